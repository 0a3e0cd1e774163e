//! The importer on good, bad and repeated input, plain and gzip, on SQLite and PostgreSQL,
//! and the `haowen import` command's messages and exit codes.

use std::io::Write;

use haowen::import::{ImportReport, import_file, import_lines};
use haowen_core::Declaration;
use haowen_db::Store;
use haowen_testkit::{TestDb, backend_tests};

use crate::haowen;

const GOOD: &str = r#"{"id": "t-1", "title": "湖人逆转国王", "body": "新浪体育讯 第一段。\n第二段 *不是强调*。", "channel": "体育", "source": "新浪新闻 (THUCNews)", "published_at": null}
{"id": "t-2", "title": "深圳地铁将设头等车厢", "body": "南都讯　记者报道。　　第二段。", "channel": "时政", "source": "搜狐", "published_at": "2012-07-24T00:00:00+08:00", "tags": ["地铁", "深圳"], "url": "http://news.sohu.com/x"}
{"id": "t-3", "title": "只有标题的新闻", "body": "", "channel": "", "source": null, "published_at": null}
"#;

async fn run(store: &Store, input: &str) -> ImportReport {
    import_lines(store, input.as_bytes(), true, None, |_, _, _| {}, |_| {})
        .await
        .map_err(|(_, e)| e)
        .expect("import")
}

async fn imports_good_input(store: Store) {
    let report = run(&store, GOOD).await;
    assert_eq!(
        (report.imported, report.updated, report.rejected.len()),
        (3, 0, 0)
    );
    assert_eq!(store.article_count().await.expect("count"), 3);

    let now = haowen_core::time::now();
    let sports = store
        .channel_by_name_or_create("体育")
        .await
        .expect("channel");
    let list = store
        .channel_articles(sports.id, now, 0, 10)
        .await
        .expect("list");
    assert_eq!(list.total, 1);
    let a = store.article(list.items[0].id).await.expect("article");
    assert_eq!(a.external_id.as_deref(), Some("t-1"));
    assert_eq!(a.body_html.matches("<p>").count(), 2, "{}", a.body_html);
    assert!(
        a.body_html.contains("*不是强调*"),
        "plain text stays literal: {}",
        a.body_html
    );
    assert_eq!(
        a.declaration,
        Declaration::reprint("新浪新闻 (THUCNews)", "")
    );
    assert_eq!(
        a.published_at,
        haowen_core::time::UNDATED,
        "no time given: undated, never the import time"
    );

    let sohu = store
        .creator_by_name_or_create("搜狐")
        .await
        .expect("creator");
    let list = store
        .creator_articles(sohu.id, now, 0, 10)
        .await
        .expect("list");
    let b = store.article(list.items[0].id).await.expect("article");
    assert_eq!(
        b.published_at,
        haowen_core::time::parse_rfc3339("2012-07-23T16:00:00Z").expect("t")
    );
    assert_eq!(b.tags, vec!["地铁".to_string(), "深圳".to_string()]);
    assert_eq!(
        b.body_html.matches("<p>").count(),
        2,
        "full-width indents split paragraphs"
    );

    let unlabelled = store
        .channel_by_name_or_create(haowen::import::UNLABELLED_CHANNEL)
        .await
        .expect("channel");
    assert_eq!(
        store
            .channel_articles(unlabelled.id, now, 0, 10)
            .await
            .expect("list")
            .total,
        1
    );
}

async fn a_second_run_updates_and_never_duplicates(store: Store) {
    run(&store, GOOD).await;
    let first_time = store
        .published_at_of("t-1")
        .await
        .expect("time")
        .expect("present");
    let changed = GOOD.replace("湖人逆转国王", "湖人加时逆转国王");
    let report = run(&store, &changed).await;
    assert_eq!(
        (report.imported, report.updated, report.rejected.len()),
        (0, 3, 0)
    );
    assert_eq!(store.article_count().await.expect("count"), 3);
    assert_eq!(
        store.published_at_of("t-1").await.expect("time"),
        Some(first_time),
        "time kept"
    );
    let rows = store.index_rows(0, 100).await.expect("rows");
    assert_eq!(
        rows.iter().filter(|r| r.title.contains("加时逆转")).count(),
        1,
        "the update replaced the title"
    );
}

async fn bad_lines_are_named_and_skipped(store: Store) {
    let input = [
        r#"{"id": "ok-1", "title": "好的一行", "body": "正文", "channel": "科技", "source": "甲"}"#,
        r#"{"id": "bad-json", "title": "少了括号""#,
        r#"{"title": "没有id", "body": "x"}"#,
        r#"{"id": "no-title", "title": "   ", "body": "x"}"#,
        r#"{"id": "bad-time", "title": "时间不对", "published_at": "昨天"}"#,
        "",
        r#"{"id": 42, "title": "数字 id 也可以", "body": "x"}"#,
        r#"{"id": ["x"], "title": "数组 id 不行"}"#,
        r#"{"id": "ok-2", "title": "另一行好的", "body": "正文", "channel": "科技", "source": "甲"}"#,
    ]
    .join("\n");
    let mut rejects = Vec::new();
    let report = import_lines(
        &store,
        input.as_bytes(),
        true,
        None,
        |line, reason, _| rejects.push((line, reason.to_string())),
        |_| {},
    )
    .await
    .map_err(|(_, e)| e)
    .expect("import");
    assert_eq!(report.imported, 3);
    let lines: Vec<u64> = report.rejected.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 8]);
    assert_eq!(
        rejects, report.rejected,
        "each reject is reported as it happens"
    );
    let reason = |line: u64| {
        report
            .rejected
            .iter()
            .find(|(l, _)| *l == line)
            .map(|(_, r)| r.as_str())
            .unwrap_or("")
    };
    assert!(reason(2).starts_with("invalid JSON"), "{}", reason(2));
    assert!(reason(3).contains("missing \"id\""), "{}", reason(3));
    assert!(reason(4).contains("title is empty"), "{}", reason(4));
    assert!(reason(5).contains("RFC 3339"), "{}", reason(5));
    assert!(reason(8).contains("must be a string"), "{}", reason(8));
    assert_eq!(store.article_count().await.expect("count"), 3);
}

backend_tests!(
    imports_good_input,
    a_second_run_updates_and_never_duplicates,
    bad_lines_are_named_and_skipped
);

#[tokio::test]
async fn gzip_files_and_invalid_utf8_lines() {
    let db = TestDb::sqlite();
    let store = db.store().await;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("news.jsonl.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).expect("file"),
        flate2::Compression::default(),
    );
    gz.write_all(GOOD.as_bytes()).expect("write");
    gz.write_all(b"{\"id\": \"latin\", \"title\": \"\xff\xfe\"}\n")
        .expect("write");
    gz.finish().expect("finish");
    let report = import_file(&store, &path, false, true, None)
        .await
        .map_err(|(_, e)| e)
        .expect("import");
    assert_eq!(report.imported, 3);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].0, 4);
    assert!(report.rejected[0].1.contains("UTF-8"));
}

#[test]
fn cli_reports_rejects_with_line_numbers_and_a_summary() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("in.jsonl");
    std::fs::write(&file, format!("{GOOD}not json at all\n")).expect("write");
    let out = haowen(dir.path(), &["import", file.to_str().expect("path")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("line 4: invalid JSON"), "{stderr}");
    assert!(
        stdout.contains("imported 3, updated 0, rejected 1"),
        "{stdout}"
    );
    let again = haowen(
        dir.path(),
        &["import", "--strict", file.to_str().expect("path")],
    );
    assert!(!again.status.success(), "--strict fails on rejects");
    assert!(String::from_utf8_lossy(&again.stdout).contains("imported 0, updated 3, rejected 1"));
}

#[test]
fn cli_missing_file_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("dir");
    let out = haowen(dir.path(), &["import", "/no/such/file.jsonl"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot open /no/such/file.jsonl"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test]
async fn cli_busy_database_stops_cleanly_without_half_written_articles() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite:{}", dir.path().join("haowen.db").display());
    let store = Store::open(&url).await.expect("open");
    // Another process holds the write lock for the whole run.
    let mut locker = <sqlx::AnyConnection as sqlx::Connection>::connect(&format!(
        "{}?mode=rwc",
        url.replacen("sqlite:", "sqlite://", 1)
    ))
    .await
    .expect("connect");
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut locker)
        .await
        .expect("lock");
    let file = dir.path().join("in.jsonl");
    std::fs::write(&file, GOOD).expect("write");
    let dir_path = dir.path().to_path_buf();
    let file_arg = file.to_str().expect("path").to_string();
    let out = tokio::task::spawn_blocking(move || haowen(&dir_path, &["import", &file_arg]))
        .await
        .expect("join");
    sqlx::query("ROLLBACK")
        .execute(&mut locker)
        .await
        .expect("unlock");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("busy"), "{stderr}");
    assert!(stderr.contains("line 1"), "{stderr}");
    assert_eq!(
        store.article_count().await.expect("count"),
        0,
        "nothing half-written"
    );
}
