//! Home, channel, creator and 号 pages: blocks, order, pagination.

use haowen_testkit::{article, channel_id};
use reqwest::StatusCode;

use crate::support::{TestApp, seed};

async fn home_has_nav_headlines_blocks_hot_and_latest(app: &TestApp) {
    seed(app).await;
    let (status, html) = app.get("/").await;
    assert_eq!(status, StatusCode::OK);
    for needle in [
        r#"<nav class="channel-nav" aria-label="频道">"#,
        r#"<a href="/channel/sports">体育</a>"#,
        r#"<h2 id="headlines-heading">头条</h2>"#,
        "第5篇测试文章", // the 头条 channel's article leads the headlines
        r#"<h2 id="hot-heading">热点推荐</h2>"#,
        r#"<h2 id="latest-heading">最新</h2>"#,
        "更多体育新闻",
        "更多财经新闻",
        r#"<a class="apply" href="/apply">申请入驻</a>"#,
    ] {
        assert!(html.contains(needle), "home lacks {needle:?}");
    }
}

#[tokio::test]
async fn home_sqlite() {
    home_has_nav_headlines_blocks_hot_and_latest(&TestApp::sqlite().await).await;
}

#[tokio::test]
async fn home_postgres() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    home_has_nav_headlines_blocks_hot_and_latest(&app).await;
}

#[tokio::test]
async fn channel_pages_paginate_newest_first() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let ch = channel_id(&app.store, "游戏").await;
    for i in 0..45 {
        app.store
            .create_article(&article(
                f.other.id,
                ch,
                &format!("游戏新闻{i:02}"),
                "正文",
                60 * (i + 1),
            ))
            .await
            .expect("create");
    }
    app.refresh().await;
    let (status, p1) = app.get("/channel/game").await;
    assert_eq!(status, StatusCode::OK);
    assert!(p1.contains("<h1>游戏</h1>"));
    assert!(p1.contains("共 45 篇文章，第 1 / 3 页"));
    assert!(
        p1.find("游戏新闻00").expect("00") < p1.find("游戏新闻01").expect("01"),
        "newest first"
    );
    assert!(p1.contains(r#"<a href="/channel/game?page=2" rel="next">下一页</a>"#));
    let (_, p3) = app.get("/channel/game?page=3").await;
    assert_eq!(
        main_column(&p3).matches("游戏新闻").count(),
        5,
        "third page holds the last 5"
    );
    assert!(p3.contains(r#"<a href="/channel/game?page=2" rel="prev">上一页</a>"#));
    assert_eq!(
        app.get("/channel/game?page=4").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/channel/game?page=0").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(app.get("/channel/nope").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn creator_page_shows_profile_counts_and_archive() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let (status, html) = app.get(&format!("/creator/{}", f.writer.slug)).await;
    assert_eq!(status, StatusCode::OK);
    for needle in [
        r#"<h1 id="creator-name">绿茵笔记</h1>"#,
        "绿茵笔记的简介",
        "<dt>文章数</dt><dd>3</dd>",
        "<dt>关注度</dt><dd>3</dd>",
        &format!(r#"src="/avatar/{}.svg""#, f.writer.slug),
        "业余联赛决赛上演逆转",
        "第1篇测试文章",
        "第4篇测试文章",
    ] {
        assert!(html.contains(needle), "creator page lacks {needle:?}");
    }
    assert!(
        !main_column(&html).contains("第2篇测试文章"),
        "another creator's article"
    );
    let (status, svg) = app.get(&format!("/avatar/{}.svg", f.writer.slug)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(svg.contains(">绿</text>"));
    assert_eq!(app.get("/creator/nobody").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn hao_lists_every_creator() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let (status, html) = app.get("/hao").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!(
        r#"href="/creator/{}">绿茵笔记</a>"#,
        f.writer.slug
    )));
    assert!(html.contains(&format!(r#"href="/creator/{}">江城观察</a>"#, f.other.slug)));
}

#[tokio::test]
async fn search_finds_titles_and_escapes_the_query() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let (status, html) = app.get("/search?q=%E9%80%86%E8%BD%AC").await; // 逆转
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("共找到 1 篇文章"), "{html}");
    assert!(
        html.contains("业余联赛决赛上演<mark>逆转</mark>"),
        "highlighted"
    );
    let (_, html) = app.get("/search?q=%3Cscript%3E%25").await; // <script>%
    assert!(html.contains("共找到 0 篇文章"));
    assert!(!html.contains("<script>%"));
}

/// The page's main column, without the sidebar (whose hot list may name any article).
fn main_column(html: &str) -> &str {
    let start = html.find("class=\"home-main\"").expect("main column");
    let end = html.find("class=\"home-side\"").expect("sidebar");
    &html[start..end]
}
