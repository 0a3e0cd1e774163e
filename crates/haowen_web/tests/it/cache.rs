//! The page cache never serves a page stale after a content change, answers 304 to a
//! browser that has the current version, and compresses for clients that accept gzip.

use haowen_testkit::{article, channel_id};
use reqwest::StatusCode;

use crate::support::{Browser, TestApp, seed};

#[tokio::test]
async fn pages_change_as_soon_as_content_does() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let (_, before) = app.get("/channel/sports").await;
    assert!(!before.contains("刚刚发布的新文章"));
    assert!(!app.state.pages.is_empty(), "the page was cached");
    let ch = channel_id(&app.store, "体育").await;
    app.store
        .create_article(&article(f.writer.id, ch, "刚刚发布的新文章", "x", 1))
        .await
        .expect("create");
    // What the background poller does when the change feed moves:
    assert_eq!(
        app.state
            .snapshots
            .staleness(&app.store)
            .await
            .expect("poll"),
        haowen_app::snapshot::Staleness::Content,
        "the change feed moved, by content"
    );
    app.refresh().await;
    let (_, after) = app.get("/channel/sports").await;
    assert!(after.contains("刚刚发布的新文章"));
    let (_, article_page) = app.get(&format!("/a/{}", f.rich)).await;
    assert!(
        article_page.contains("刚刚发布的新文章"),
        "related and boxes follow too"
    );
}

#[tokio::test]
async fn settings_changes_reach_every_page() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    app.get("/").await;
    app.store
        .set_setting("site_name", "江城好文")
        .await
        .expect("set");
    app.refresh().await;
    let (_, html) = app.get("/").await;
    assert!(html.contains(r#"<a class="logo" href="/" aria-label="江城好文 首页">江城好文</a>"#));
}

#[tokio::test]
async fn etag_gives_304_and_gzip_is_served_when_accepted() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let url = format!("{}/a/{}", app.base, f.rich);
    let first = app.client.get(&url).send().await.expect("get");
    let etag = first.headers()["etag"].clone();
    let plain_len = first.bytes().await.expect("body").len();
    let again = app
        .client
        .get(&url)
        .header("if-none-match", etag)
        .send()
        .await
        .expect("get");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let gz = app
        .client
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("get");
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let gz_len = gz.bytes().await.expect("body").len();
    assert!(gz_len * 2 < plain_len, "gzip {gz_len} vs plain {plain_len}");
}

#[tokio::test]
async fn a_comment_keeps_the_cache_and_the_next_reader_of_a_list_sees_its_count() {
    use haowen_app::snapshot::Staleness;
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let (_, before) = app.get("/channel/sports").await;
    assert!(!before.contains("跟贴 1</span>"));
    let reader = Browser::new(&app);
    reader
        .sign_up("count_reader", "读者甲", "江城好文2026")
        .await;
    let (status, _, page) = reader
        .post(
            &format!("/a/{}", f.rich),
            &format!("/a/{}/comments", f.rich),
            &[("body", "这场比赛太精彩了")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let snapshots = &app.state.snapshots;
    assert_eq!(
        snapshots.staleness(&app.store).await.expect("poll"),
        Staleness::Counts
    );
    assert!(app.state.poll_changes().await.expect("poll"), "rebuilt");
    let generation = snapshots.generation();
    assert!(
        app.state
            .pages
            .get("/channel/sports?page=1", generation)
            .is_some_and(|p| p.is_stale()),
        "the list stays cached, stale, after a rebuild that moved only counts"
    );
    let (_, after) = app.get("/channel/sports").await;
    assert!(
        after.contains("跟贴 1</span>"),
        "the next reader renders it anew"
    );

    // Content (another process's new article, say) drops every page.
    let ch = channel_id(&app.store, "体育").await;
    app.store
        .create_article(&article(f.writer.id, ch, "另一个进程写的文章", "x", 1))
        .await
        .expect("create");
    assert_eq!(
        snapshots.staleness(&app.store).await.expect("poll"),
        Staleness::Content
    );
    assert!(app.state.poll_changes().await.expect("poll"));
    assert!(app.state.pages.is_empty(), "every page dropped");
    let (_, listed) = app.get("/channel/sports").await;
    assert!(listed.contains("另一个进程写的文章"));
}
