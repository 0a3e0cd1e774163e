//! Reads count once per visitor per article per window, bots never; shares likewise.

use reqwest::StatusCode;

use crate::support::{TestApp, seed};

async fn reads_of(app: &TestApp, id: i64) -> i64 {
    app.state.flush_reads().await.expect("flush");
    app.store.article(id).await.expect("article").reads
}

#[tokio::test]
async fn a_visitor_counts_once_per_window() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let path = format!("/a/{}", f.rich);
    for _ in 0..5 {
        assert_eq!(app.get(&path).await.0, StatusCode::OK);
    }
    assert_eq!(
        reads_of(&app, f.rich).await,
        1,
        "five views by one visitor are one read"
    );
    // Another visitor (a different browser cookie) counts.
    let res = app
        .client
        .get(format!("{}{path}", app.base))
        .header("cookie", "hw_vid=second")
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(reads_of(&app, f.rich).await, 2);
}

#[tokio::test]
async fn bots_are_not_counted() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    for ua in [
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0",
    ] {
        let res = app
            .client
            .get(format!("{}/a/{}", app.base, f.rich))
            .header("user-agent", ua)
            .send()
            .await
            .expect("get");
        assert_eq!(res.status(), StatusCode::OK, "bots still get the page");
    }
    assert_eq!(reads_of(&app, f.rich).await, 0);
}

#[tokio::test]
async fn shares_count_once_and_redirect_to_the_network() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    app.get(&format!("/a/{}", f.rich)).await;
    let res = app
        .client
        .get(format!("{}/a/{}/share/weibo", app.base, f.rich))
        .send()
        .await
        .expect("share");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().expect("location");
    assert!(
        to.starts_with("https://service.weibo.com/share/share.php?url=http"),
        "{to}"
    );
    assert!(to.contains(&format!("%2Fa%2F{}", f.rich)), "{to}");
    let res = app
        .client
        .get(format!("{}/a/{}/share/qq", app.base, f.rich))
        .send()
        .await
        .expect("share");
    assert!(
        res.headers()["location"]
            .to_str()
            .expect("location")
            .starts_with("https://connect.qq.com/")
    );
    // The same visitor sharing again within the window does not inflate the count.
    let res = app
        .client
        .post(format!("{}/a/{}/share/link", app.base, f.rich))
        .send()
        .await
        .expect("copy");
    assert_eq!(res.status(), StatusCode::OK);
    let json: serde_json::Value = res.json().await.expect("json");
    assert_eq!(json["shares"], 1);
    let (_, html) = app.get(&format!("/a/{}", f.rich)).await;
    assert!(
        html.contains(r#"<span class="share-count">(1)</span>"#),
        "the page shows the new count at once"
    );
    assert_eq!(
        app.client
            .get(format!("{}/a/999999/share/weibo", app.base))
            .send()
            .await
            .expect("x")
            .status(),
        StatusCode::NOT_FOUND
    );
}

/// A share drops the article's cached pages in every display mode: a care-mode reader (who has
/// the page cached at each text size) sees the new count at once, not a minute later.
#[tokio::test]
async fn a_share_shows_at_once_in_care_mode_too() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let path = format!("/a/{}", f.rich);
    let care = |level: &'static str| {
        let (client, url) = (app.client.clone(), format!("{}{path}", app.base));
        async move {
            client
                .get(url)
                .header("cookie", format!("hw_care=1; hw_care_size={level}"))
                .send()
                .await
                .expect("get")
                .text()
                .await
                .expect("body")
        }
    };
    // Cached before the share, in two care sizes and the normal mode.
    for level in ["1", "3"] {
        assert!(
            care(level)
                .await
                .contains(r#"<span class="share-count">(0)</span>"#)
        );
    }
    app.get(&path).await;
    let res = app
        .client
        .post(format!("{}{path}/share/link", app.base))
        .send()
        .await
        .expect("copy");
    assert_eq!(res.status(), StatusCode::OK);
    for level in ["1", "3"] {
        let html = care(level).await;
        assert!(html.contains(r#"class="care care-"#), "care mode");
        assert!(
            html.contains(r#"<span class="share-count">(1)</span>"#),
            "care size {level} shows the share at once"
        );
    }
}
