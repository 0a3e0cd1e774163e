//! Error pages: in the site's style, with a way back, and the right status.

use haowen_core::ArticleStatus;
use haowen_testkit::{article, channel_id};
use reqwest::StatusCode;

use crate::support::{TestApp, seed};

fn styled(html: &str) {
    assert!(html.contains(r#"<html lang="zh-CN""#), "{html}");
    assert!(
        html.contains(r#"<a class="button" href="/">返回首页</a>"#),
        "no way back"
    );
    assert!(
        html.contains(r#"<nav class="channel-nav""#),
        "no site chrome"
    );
}

#[tokio::test]
async fn unknown_pages_are_404_in_style() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    for path in [
        "/nope",
        "/a/999999",
        "/a/abc",
        "/a/-1",
        "/channel/none",
        "/static/x.css",
        "/a/1/share/facebook",
    ] {
        let (status, html) = app.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        styled(&html);
        assert!(html.contains("页面不存在"));
    }
}

#[tokio::test]
async fn taken_down_articles_are_410_with_a_notice() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    app.get(&format!("/a/{}", f.rich)).await;
    let (_, home) = app.get("/").await;
    assert!(home.contains("业余联赛决赛上演逆转"), "listed before");
    app.store
        .set_article_status(f.rich, ArticleStatus::TakenDown)
        .await
        .expect("take down");
    app.refresh().await;
    let (status, html) = app.get(&format!("/a/{}", f.rich)).await;
    assert_eq!(status, StatusCode::GONE);
    styled(&html);
    assert!(html.contains("该文章已下架"));
    let (_, home) = app.get("/").await;
    assert!(
        !home.contains("业余联赛决赛上演逆转"),
        "taken-down article still listed"
    );
}

#[tokio::test]
async fn drafts_and_scheduled_articles_are_not_public() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let ch = channel_id(&app.store, "体育").await;
    let mut draft = article(f.writer.id, ch, "草稿", "x", 60);
    draft.status = ArticleStatus::Draft;
    let draft = app.store.create_article(&draft).await.expect("draft");
    let scheduled = app
        .store
        .create_article(&article(f.writer.id, ch, "明天见", "x", -86_400))
        .await
        .expect("later");
    app.refresh().await;
    assert_eq!(
        app.get(&format!("/a/{draft}")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/a/{scheduled}")).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bad_page_numbers_are_400_with_an_explanation() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let (status, html) = app.get("/channel/sports?page=abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    styled(&html);
    assert!(html.contains("请使用 1 以上的整数"));
}

#[tokio::test]
async fn wrong_methods_get_a_page_not_a_bare_status() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let res = app
        .client
        .delete(format!("{}/", app.base))
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    styled(&res.text().await.expect("body"));
}

#[tokio::test]
async fn database_failures_are_a_500_page_that_hides_the_cause() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    // The database goes away under a running server.
    app.store.close().await;
    let (status, html) = app.get(&format!("/creator/{}", f.writer.slug)).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    styled(&html);
    assert!(html.contains("服务器开小差了"));
    assert!(
        !html.to_lowercase().contains("pool"),
        "internal details leaked: {html}"
    );
}
