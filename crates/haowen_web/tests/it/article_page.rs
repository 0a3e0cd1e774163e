//! The article page shows every block of PRODUCT.md's reader page that this release fills.

use haowen_testkit::{article, channel_id};
use reqwest::StatusCode;

use crate::support::{TestApp, seed};

async fn article_page_has_every_block(app: &TestApp) {
    let f = seed(app).await;
    let (status, html) = app.get(&format!("/a/{}", f.rich)).await;
    assert_eq!(status, StatusCode::OK);
    let must = [
        // document
        r#"<html lang="zh-CN""#,
        "<title>业余联赛决赛上演逆转 - 好文</title>",
        // header: breadcrumb and 申请入驻
        r#"<nav class="breadcrumb" aria-label="当前位置">"#,
        r#"<a href="/">首页</a>"#,
        r#"<a href="/hao">好文号</a>"#,
        r#"<span aria-current="page">正文</span>"#,
        r#"<a class="apply" href="/apply">申请入驻</a>"#,
        // title: the page's one h1
        r#"<h1 id="article-title">业余联赛决赛上演逆转</h1>"#,
        // meta line
        &format!(
            r#"<a class="author" href="/creator/{}">绿茵笔记</a>"#,
            f.writer.slug
        ),
        r#"<time datetime="2026-03-02T01:39:00Z">2026-03-02 09:39:00</time>"#,
        "跟贴 0",
        "分享至",
        r#"<span class="share-count">(0)</span>"#,
        "复制链接",
        &format!(r#"<img src="/a/{}/qr.svg""#, f.rich),
        &format!(
            r#"<a href="/a/{}/share/weibo" rel="nofollow">新浪微博</a>"#,
            f.rich
        ),
        &format!(
            r#"<a href="/a/{}/share/qq" rel="nofollow">QQ好友</a>"#,
            f.rich
        ),
        &format!(r#"value="{}/a/{}""#, app.base, f.rich),
        // body
        "<p>第一段正文，讲述比赛经过。</p>",
        "<h2>赛后采访</h2>",
        "<blockquote>",
        r#"alt="球员庆祝进球""#,
        "<figcaption>终场前的庆祝</figcaption>",
        "<li>第一点</li>",
        // declaration and disclaimer
        "<strong>声明：</strong>个人原创，仅供参考",
        "<strong>特别声明：</strong>以上内容",
        "本平台仅提供信息存储服务",
        "Notice: The content above",
        // related, hot
        "相关推荐",
        "热点推荐",
        // author card
        r#"<h2 id="author-heading">"#,
        "绿茵笔记的简介",
        "<dt>文章数</dt><dd>3</dd>",
        "<dt>关注度</dt><dd>3</dd>",
        "往期回顾",
        &format!(r#"<a class="all" href="/creator/{}">全部"#, f.writer.slug),
        // channel boxes and 态度原创 (of the channels that have articles)
        "头条要闻",
        "体育要闻",
        "财经要闻",
        "态度原创",
        r#"<a href="/channel/edu">教育</a>"#,
        // footer
        r#"aria-controls="a11y-toolbar">无障碍浏览</a>"#,
        &format!(
            r#"<a href="/care/on?next=%2Fa%2F{}">进入关怀版</a>"#,
            f.rich
        ),
        "application/ld+json",
        "NewsArticle",
    ];
    for needle in must {
        assert!(html.contains(needle), "article page lacks {needle:?}");
    }
    // Empty channels leave no empty box behind (「汽车要闻 暂无文章」).
    for gone in [
        "娱乐要闻",
        "汽车要闻",
        r#"<a href="/channel/fashion">时尚</a>"#,
        "暂无文章",
    ] {
        assert!(!html.contains(gone), "article page shows {gone:?}");
    }
    assert_eq!(html.matches("<h1").count(), 1, "exactly one h1");

    // 相关推荐: same channel, never the article itself.
    let related = section(&html, "related-heading");
    assert!(
        related.contains("第1篇测试文章") && related.contains("第2篇测试文章"),
        "{related}"
    );
    assert!(
        !related.contains(&format!("/a/{}\"", f.rich)),
        "related lists the article itself"
    );
    // 往期回顾: the creator's other articles only.
    let past = section(&html, "author-heading");
    assert!(
        past.contains("第1篇测试文章") && past.contains("第4篇测试文章"),
        "{past}"
    );
    assert!(
        !past.contains("第2篇测试文章"),
        "another creator's article in 往期回顾"
    );
}

/// The HTML from the element with `id` to the end of its enclosing section or aside.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("id=\"{id}\"")).expect("section present");
    let rest = &html[start..];
    let end = rest
        .find("</section>")
        .into_iter()
        .chain(rest.find("</aside>"))
        .min()
        .unwrap_or(rest.len());
    &rest[..end]
}

#[tokio::test]
async fn article_page_has_every_block_sqlite() {
    article_page_has_every_block(&TestApp::sqlite().await).await;
}

#[tokio::test]
async fn article_page_has_every_block_postgres() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    article_page_has_every_block(&app).await;
}

#[tokio::test]
async fn bodies_are_sanitized() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let ch = channel_id(&app.store, "科技").await;
    let evil = "正文<script>alert('x')</script>\n\n[点我](javascript:alert(1))\n\n<img src=\"/x.png\" onerror=\"alert(2)\">\n\n<a href=\"#\" onclick=\"steal()\">链接</a>\n\n<iframe src=\"https://evil.example\"></iframe>";
    let id = app
        .store
        .create_article(&article(f.writer.id, ch, "<b>标题</b>里的标签", evil, 60))
        .await
        .expect("create");
    app.refresh().await;
    let (status, html) = app.get(&format!("/a/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let body_start = html.find("class=\"article-body\"").expect("body");
    let body = &html[body_start..html.find("class=\"declaration\"").expect("declaration")];
    for bad in [
        "<script",
        "javascript:",
        "onerror",
        "onclick",
        "<iframe",
        "alert(",
    ] {
        assert!(!body.contains(bad), "body still has {bad:?}: {body}");
    }
    assert!(
        html.contains("&lt;b&gt;标题&lt;/b&gt;里的标签")
            || html.contains("&#60;b&#62;标题&#60;/b&#62;里的标签"),
        "titles are escaped, not interpreted"
    );
    assert!(!html.contains("<b>标题</b>"));
}

#[tokio::test]
async fn times_follow_the_site_zone_setting() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    app.store.set_setting("timezone", "UTC").await.expect("set");
    app.refresh().await;
    let (_, html) = app.get(&format!("/a/{}", f.rich)).await;
    assert!(
        html.contains(">2026-03-02 01:39:00</time>"),
        "time not shown in UTC"
    );
}

#[tokio::test]
async fn disclaimer_text_comes_from_settings() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    app.store
        .set_setting("disclaimer_zh", "本站自定义声明文字。")
        .await
        .expect("set");
    app.refresh().await;
    let (_, html) = app.get(&format!("/a/{}", f.rich)).await;
    assert!(html.contains("本站自定义声明文字。"));
}

#[tokio::test]
async fn qr_code_encodes_the_article_url() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let res = app
        .client
        .get(format!("{}/a/{}/qr.svg", app.base, f.rich))
        .send()
        .await
        .expect("qr");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    let svg = res.text().await.expect("svg");
    assert!(
        svg.starts_with("<?xml") || svg.starts_with("<svg"),
        "{}",
        &svg[..40.min(svg.len())]
    );
    assert!(svg.contains("<path") || svg.contains("<rect"));
}
