//! An import indexed as it lands (`BulkIndexing`): every imported article is in the index after
//! one commit, changes other writers made meanwhile are applied too, the cursor ends at the
//! feed's end; and `haowen import` beside a server that holds the index leaves it alone.

use haowen::import::import_lines;
use haowen_app::discovery::Discovery;
use haowen_core::{ArticleStatus, Declaration, NewArticle};
use haowen_db::Store;
use haowen_testkit::backend_tests;

use crate::haowen;

/// `n` records over three channels, one source.
fn records(n: usize) -> String {
    (0..n)
        .map(|i| {
            let channel = ["农业", "科技", "财经"][i % 3];
            serde_json::json!({
                "id": format!("bulk-{i}"),
                "title": format!("批量导入的第{i}篇稿件"),
                "body": format!("春耕时节，第{i}个村子的田里一片忙碌。"),
                "channel": channel,
                "source": "某县融媒体中心",
                "published_at": "2026-11-30T08:00:00+08:00",
            })
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The id the import gave record `i` (rows are numbered in the order they were written).
async fn article_id(store: &Store, first: i64, i: i64) -> i64 {
    let id = first + i;
    let a = store.article(id).await.expect("imported row");
    assert_eq!(a.external_id, Some(format!("bulk-{i}")));
    id
}

async fn an_import_is_indexed_as_it_lands_with_other_writers_changes(store: Store) {
    let dir = tempfile::tempdir().expect("dir");
    // As `haowen import` opens it: two indexing threads on a machine with two cores.
    let discovery = Discovery::open_for_bulk(&dir.path().join("search")).expect("index");
    let creator = store
        .creator_by_name_or_create("早到的作者")
        .await
        .expect("creator");
    let channel = store
        .channel_by_name_or_create("农业")
        .await
        .expect("channel");
    let other_channel = store
        .channel_by_name_or_create("时政")
        .await
        .expect("channel");
    let article = |external: &str, channel_id: i64| NewArticle {
        external_id: Some(external.to_string()),
        creator_id: creator.id,
        channel_id,
        title: "另一位作者的稿件".into(),
        body_md: "正文。".into(),
        declaration: Declaration::Original,
        cover_url: None,
        tags: vec![],
        status: ArticleStatus::Published,
        published_at: haowen_core::time::now() - 60,
    };
    // Written before the run and not yet indexed: the run catches up with it first.
    let early = store
        .upsert_article(&article("early", channel.id))
        .await
        .expect("early");

    let mut bulk = discovery.bulk(&store).await.expect("bulk");
    let report = import_lines(
        &store,
        records(1_100).as_bytes(),
        true,
        Some(&mut bulk),
        |l, r, _| panic!("line {l}: {r}"),
        |_| {},
    )
    .await
    .map_err(|(_, e)| e)
    .expect("import");
    assert_eq!(report.imported, 1_100, "three batches of up to 500");
    // Other writers while the bulk holds the index: a new article, an imported one moved to
    // another channel, another taken down.
    let late = store
        .upsert_article(&article("late", channel.id))
        .await
        .expect("late");
    let moved = article_id(&store, early.id() + 1, 7).await;
    let mut edit = article("bulk-7", other_channel.id);
    edit.title = "改到时政的稿件".into();
    store.upsert_article(&edit).await.expect("edit");
    let gone = article_id(&store, early.id() + 1, 8).await;
    store
        .take_down(gone, None, "测试下架")
        .await
        .expect("take down");

    assert_eq!(bulk.finish(&store).await.expect("finish"), 1_100);
    let index = discovery.index();
    assert_eq!(index.num_docs(), 1 + 1_100 + 1 - 1);
    for id in [
        early.id(),
        late.id(),
        article_id(&store, early.id() + 1, 1_099).await,
    ] {
        assert!(
            index.meta(id).expect("meta").is_some(),
            "article {id} indexed"
        );
    }
    assert_eq!(
        index.meta(moved).expect("meta").map(|m| m.channel_id),
        Some(other_channel.id),
        "an edit made during the run is applied over the imported version"
    );
    assert!(
        index.meta(gone).expect("meta").is_none(),
        "the take-down applied"
    );
    assert_eq!(
        index.cursor(),
        store.latest_change_id().await.expect("latest")
    );
    assert_eq!(
        discovery.catch_up(&store).await.expect("catch up"),
        0,
        "nothing left to apply"
    );
}

backend_tests!(an_import_is_indexed_as_it_lands_with_other_writers_changes);

#[tokio::test]
async fn the_cli_indexes_its_import_and_leaves_a_held_index_alone() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("in.jsonl");
    std::fs::write(&file, records(30)).expect("write");
    let out = haowen(dir.path(), &["import", file.to_str().expect("path")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("imported 30, updated 0, rejected 0; cleaned 0 titles, 0 repeated paragraphs, 30 indexed"), "{stdout}");

    let search = dir.path().join("search");
    let store = Store::open(&format!(
        "sqlite:{}",
        dir.path().join("haowen.db").display()
    ))
    .await
    .expect("store");
    let held = Discovery::open(&search).expect("index");
    assert_eq!(held.index().num_docs(), 30);
    assert_eq!(
        held.index().cursor(),
        store.latest_change_id().await.expect("latest")
    );

    // A server holds the index: the import saves, says who indexes, and deletes nothing.
    std::fs::write(&file, records(40)).expect("write");
    let out = haowen(dir.path(), &["import", file.to_str().expect("path")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("in use by another process"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 10, updated 30"));
    assert!(
        search.join("meta.json").exists(),
        "the held index is still there"
    );
    assert_eq!(
        held.catch_up(&store).await.expect("catch up"),
        40,
        "the holder indexes the import"
    );
    assert_eq!(held.index().num_docs(), 40);
}
