//! The hot ranking as readers and apps see it: engagement moves an article up the site and
//! channel lists (page and `GET /api/v1/hot`), a taken-down one leaves at once, and an unknown
//! channel is answered plainly.

use reqwest::StatusCode;

use crate::support::{TestApp, seed};

async fn hot_ids(app: &TestApp, query: &str) -> Vec<i64> {
    let (status, body) = app.get(&format!("/api/v1/hot{query}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_i64().expect("id"))
        .collect()
}

#[tokio::test]
async fn engagement_moves_articles_up_and_takedowns_leave_at_once() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let before = hot_ids(&app, "").await;
    assert!(!before.is_empty());
    // The last of the seeded list: make it the most shared piece of the site.
    // (Not the rich article: it is dated months back, and no amount of sharing lifts that.)
    let target = *before.iter().rev().find(|id| **id != f.rich).expect("one");
    for _ in 0..50 {
        app.store.add_share(target).await.expect("share");
    }
    app.refresh().await;
    let after = hot_ids(&app, "").await;
    assert_eq!(after[0], target, "shares lift it to the top: {after:?}");

    // Channel lists hold only the channel's articles.
    let sports = hot_ids(&app, "?channel=sports").await;
    assert!(sports.contains(&f.rich));
    let sports_id = app
        .store
        .channel_by_slug("sports")
        .await
        .expect("sports")
        .id;
    for id in &sports {
        assert_eq!(
            app.store.article(*id).await.expect("a").channel_id,
            sports_id
        );
    }
    let (_, channel_page) = app.get("/channel/sports").await;
    assert!(channel_page.contains("体育热点"));

    // A takedown leaves the hot lists with the next snapshot (the write refreshes it).
    app.store
        .take_down(target, None, "测试下架")
        .await
        .expect("down");
    app.refresh().await;
    assert!(!hot_ids(&app, "").await.contains(&target));
    let (_, home) = app.get("/").await;
    let hot_box = &home[home.find("hot-heading").expect("hot box")..];
    let title = app.store.article(target).await.expect("a").title;
    assert!(!hot_box[..hot_box.find("</section>").expect("end")].contains(&title));

    let (status, body) = app.get("/api/v1/hot?channel=nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("channel=sports"));
}
