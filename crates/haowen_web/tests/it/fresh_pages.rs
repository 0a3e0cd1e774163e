//! Nothing stale for any reader: while an anonymous reader, a care-mode reader and a signed-in
//! reader keep reading (so every cache — shared pages, care pages, the signed-in rendering,
//! remembered sessions and standings — is warm), a creator publishes and edits, a reader
//! comments, shares and follows, and an editor takes the article down; the next request of each
//! reader shows each change. On SQLite and on PostgreSQL.

use haowen_core::account::Role;
use reqwest::StatusCode;

use crate::support::{Browser, TestApp, creator_browser, seed};

const PASSWORD: &str = "江城好文2026";

fn form(title: &str) -> Vec<(&str, &str)> {
    vec![
        ("title", title),
        ("body", "第一段正文，足够长的内容，讲清楚来龙去脉。"),
        ("channel", "tech"),
        ("tags", "芯片"),
        ("declaration", "original"),
        ("action", "publish"),
    ]
}

/// How many articles the search for `tag` offers as the tag's (0 when it offers none).
fn offered(html: &str, tag: &str) -> u32 {
    let Some(at) = html.find(&format!("#{tag}</a>（")) else {
        return 0;
    };
    let rest = &html[at + tag.len() + "#</a>（".len()..];
    rest[..rest.find(" 篇）").expect("count")]
        .parse()
        .expect("a number")
}

/// Each reader's next request of `path`, all asserted with `check`.
async fn every_reader_sees(
    readers: &[(&str, &Browser)],
    path: &str,
    check: impl Fn(StatusCode, &str) -> bool,
    what: &str,
) {
    for (who, b) in readers {
        let (status, html) = b.get(path).await;
        assert!(check(status, &html), "{who} on {path}: {what} ({status})");
    }
}

async fn fresh_for_every_reader(app: TestApp) {
    seed(&app).await;
    let anon = Browser::new(&app);
    let care = Browser::new(&app);
    care.get("/care/on?next=%2F").await;
    let reader = Browser::new(&app);
    reader.sign_up("fresh_reader", "新鲜读者", PASSWORD).await;
    let fan = Browser::new(&app);
    fan.sign_up("fresh_fan", "热心读者", PASSWORD).await;
    let writer = creator_browser(&app, "fresh_writer", "新鲜作者").await;
    let editor = Browser::new(&app);
    editor.sign_up("fresh_editor", "值班编辑", PASSWORD).await;
    let editor_id = app
        .store
        .user_for_sign_in("fresh_editor")
        .await
        .expect("user")
        .expect("exists")
        .0
        .id;
    app.store
        .set_role(editor_id, Role::Editor, editor_id)
        .await
        .expect("role");
    let readers = [
        ("anonymous", &anon),
        ("care", &care),
        ("signed in", &reader),
        ("signed in, no 跟贴", &fan),
    ];
    let (_, care_home) = care.get("/").await;
    assert!(
        care_home.contains(r#"class="care care-"#),
        "care mode is on"
    );
    let search = "/search?q=%E8%8A%AF%E7%89%87"; // 芯片, the tag of the article below
    let (_, before) = anon.get(search).await;
    let tagged = offered(&before, "芯片");
    for (_, b) in &readers {
        b.get("/").await;
        b.get("/channel/tech").await;
        b.get(search).await;
    }

    // Published: on the home page, the channel and its own page, for everyone at once.
    let (status, location, _) = writer
        .post("/studio/new", "/studio/new", &form("初版标题"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = location;
    for path in ["/", "/channel/tech", page.as_str()] {
        every_reader_sees(
            &readers,
            path,
            |s, h| s == StatusCode::OK && h.contains("初版标题"),
            "the new article",
        )
        .await;
    }

    every_reader_sees(
        &readers,
        search,
        |_, h| offered(h, "芯片") == tagged + 1,
        "one more article under the tag",
    )
    .await;

    // Edited: the new title everywhere, the old one nowhere.
    let id = page.trim_start_matches("/a/");
    let edit = format!("/studio/{id}/edit");
    let (status, _, _) = writer.post(&edit, &edit, &form("改过的标题")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    for path in ["/", page.as_str()] {
        every_reader_sees(
            &readers,
            path,
            |_, h| h.contains("改过的标题") && !h.contains("初版标题"),
            "the edited title",
        )
        .await;
    }

    // A 跟贴: on the article page of every reader.
    let comments = format!("{page}/comments");
    let (status, _, _) = reader
        .post(&page, &comments, &[("body", "读者的第一条跟贴")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    every_reader_sees(
        &readers,
        &page,
        |_, h| h.contains("读者的第一条跟贴"),
        "the new 跟贴",
    )
    .await;

    // A share: the count on every reader's page.
    let res = anon
        .client
        .post(format!("{}{page}/share/link", anon.base))
        .send()
        .await
        .expect("share");
    assert_eq!(res.status(), StatusCode::OK);
    every_reader_sees(
        &readers,
        &page,
        |_, h| h.contains(r#"<span class="share-count">(1)</span>"#),
        "the share count",
    )
    .await;

    // A follow, by a reader who has read the page but never written there (their page is the
    // shared rendering): they see 已关注 (an unfollow form) at once, nobody else does.
    let slug = app
        .store
        .creators()
        .await
        .expect("creators")
        .into_iter()
        .find(|c| c.name == "新鲜作者")
        .expect("creator")
        .slug;
    let (status, _, _) = fan
        .post(&page, &format!("/creator/{slug}/follow?next={page}"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, theirs) = fan.get(&page).await;
    assert!(theirs.contains("/unfollow"), "the follower's page");
    for other in [&anon, &reader] {
        let (_, html) = other.get(&page).await;
        assert!(!html.contains("/unfollow"), "not anyone else's");
    }

    // Taken down: gone from its page and the lists for everyone at once.
    let (status, _, _) = editor
        .post(
            &page,
            &format!("/editor/articles/{id}/takedown"),
            &[("reason", "核实后下架")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    every_reader_sees(
        &readers,
        &page,
        |s, _| s == StatusCode::GONE,
        "410 after the takedown",
    )
    .await;
    let link = format!("href=\"{page}\"");
    for path in ["/", "/channel/tech"] {
        every_reader_sees(&readers, path, |_, h| !h.contains(&link), "no link left").await;
    }
    every_reader_sees(
        &readers,
        search,
        |_, h| offered(h, "芯片") == tagged,
        "the tag's count without it",
    )
    .await;
}

#[tokio::test]
async fn every_reader_sees_every_change_at_once_sqlite() {
    fresh_for_every_reader(TestApp::sqlite().await).await;
}

#[tokio::test]
async fn every_reader_sees_every_change_at_once_postgres() {
    if let Some(app) = TestApp::postgres().await {
        fresh_for_every_reader(app).await;
    }
}
