//! The creator studio over HTTP: write with preview, drafts, publish, schedule, edit with
//! revisions, unpublish, delete — and nobody edits another creator's article.

use reqwest::StatusCode;

use crate::support::{Browser, TestApp, creator_browser, seed};

fn article_form<'a>(title: &'a str, action: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        (
            "body",
            "## 小标题\n\n第一段正文，足够长的内容。\n\n<script>alert(1)</script>\n\n[坏链接](javascript:alert(2))",
        ),
        ("channel", "tech"),
        ("tags", "芯片，人工智能"),
        ("declaration", "original"),
        ("action", action),
    ]
}

#[tokio::test]
async fn a_creator_publishes_and_readers_see_it_at_once() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let c = creator_browser(&app, "writer_a", "硅谷以东").await;
    let (status, page) = c.get("/studio/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("写文章")
            && page.contains("个人原创")
            && page.contains("AI生成")
            && page.contains(r#"type="datetime-local""#)
    );
    let (status, location, _) = c
        .post(
            "/studio/new",
            "/studio/new",
            &article_form("芯片的旅程", "publish"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.starts_with("/a/"), "{location}");
    let (status, html) = app.get(&location).await;
    assert_eq!(status, StatusCode::OK, "public at once, no stale cache");
    assert!(html.contains("<h2>小标题</h2>") && html.contains("个人原创，仅供参考"));
    assert!(
        !html.contains("alert(1)") && !html.contains("javascript:"),
        "sanitized"
    );
    let (_, home) = app.get("/").await;
    assert!(home.contains("芯片的旅程"));
    let (_, channel) = app.get("/channel/tech").await;
    assert!(channel.contains("芯片的旅程"));
    let (_, studio) = c.get("/studio").await;
    assert!(studio.contains("芯片的旅程") && studio.contains("已发布"));
}

#[tokio::test]
async fn drafts_stay_private_and_preview_uses_the_article_renderer() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let c = creator_browser(&app, "writer_b", "草稿箱").await;
    let (status, location, _) = c
        .post(
            "/studio/new",
            "/studio/new",
            &article_form("还没写完", "draft"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id: i64 = location
        .trim_start_matches("/studio/")
        .trim_end_matches("/edit")
        .parse()
        .expect("id");
    assert_eq!(
        app.get(&format!("/a/{id}")).await.0,
        StatusCode::NOT_FOUND,
        "drafts are private"
    );
    let (_, studio) = c.get("/studio").await;
    assert!(studio.contains("还没写完") && studio.contains("草稿"));
    // Live preview endpoint: same renderer and sanitizer.
    let token = c.csrf("/studio").await;
    let res = c
        .client
        .post(format!("{}/studio/preview", app.base))
        .form(&[
            ("_csrf", token.as_str()),
            ("body", "> 引用\n\n<img src=x onerror=alert(1)>"),
        ])
        .send()
        .await
        .expect("preview");
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("<blockquote>") && !html.contains("onerror"),
        "{html}"
    );
    // Autosave answers JSON and keeps a draft a draft.
    let mut fields = article_form("还没写完（自动保存）", "draft");
    fields.push(("_csrf", &token));
    let res = c
        .client
        .post(format!("{}/studio/{id}/edit", app.base))
        .header("x-autosave", "1")
        .form(&fields)
        .send()
        .await
        .expect("autosave");
    let json: serde_json::Value = res.json().await.expect("json");
    assert_eq!(json["id"], id);
    assert_eq!(
        app.store.article(id).await.expect("a").title,
        "还没写完（自动保存）"
    );
}

#[tokio::test]
async fn scheduled_articles_appear_when_their_time_comes() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    // The real background loop: it notices scheduled articles falling due.
    let background = app.state.spawn_background();
    let c = creator_browser(&app, "writer_c", "定时君").await;
    // The earliest time the studio accepts is 30 s ahead; the form takes seconds too.
    let due = haowen_core::time::now() + 33;
    let at = haowen_core::time::format_datetime(due, haowen_core::time::DEFAULT_ZONE);
    let at = at.replace(' ', "T");
    let mut form = article_form("三十秒后见", "schedule");
    form.push(("publish_at", &at));
    let (status, location, _) = c.post("/studio/new", "/studio/new", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id: i64 = location
        .trim_start_matches("/studio/")
        .trim_end_matches("/edit")
        .parse()
        .expect("id");
    let (_, studio) = c.get("/studio").await;
    assert!(studio.contains("定时发布"));
    assert_eq!(app.store.article(id).await.expect("a").published_at, due);
    // Poll as a reader would: hidden everywhere until its time, then on its page, the home
    // page and its channel within a few seconds.
    let page = format!("/a/{id}");
    let appeared = loop {
        let now = haowen_core::time::now();
        let (status, _) = app.get(&page).await;
        let (_, home) = app.get("/").await;
        if now < due {
            assert_eq!(status, StatusCode::NOT_FOUND, "not before its time");
            assert!(
                !home.contains("三十秒后见"),
                "not on the home page before its time"
            );
        } else if status == StatusCode::OK && home.contains("三十秒后见") {
            break now;
        }
        assert!(now < due + 10, "still hidden 10 s after its time");
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    };
    assert!(appeared >= due);
    let (_, channel) = app.get("/channel/tech").await;
    assert!(channel.contains("三十秒后见"), "and in its channel");
    background.abort();
    // A past time is refused with a reason.
    let mut past = article_form("过去", "schedule");
    past.push(("publish_at", "2020-01-01T08:00"));
    let (status, _, html) = c.post("/studio/new", "/studio/new", &past).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("定时发布的时间须晚于现在"));
}

#[tokio::test]
async fn edits_after_publishing_keep_revisions_and_reprints_need_a_source() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let c = creator_browser(&app, "writer_d", "改稿人").await;
    let (_, location, _) = c
        .post(
            "/studio/new",
            "/studio/new",
            &article_form("第一版", "publish"),
        )
        .await;
    let id: i64 = location.trim_start_matches("/a/").parse().expect("id");
    let edit = format!("/studio/{id}/edit");
    let (status, _, _) = c
        .post(&edit, &edit, &article_form("第二版", "publish"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = c.get(&edit).await;
    assert!(
        page.contains("修改记录") && page.contains("《第一版》"),
        "revision listed"
    );
    assert_eq!(app.store.article(id).await.expect("a").title, "第二版");
    let mut reprint = article_form("转载文", "publish");
    reprint.retain(|(k, _)| *k != "declaration");
    reprint.push(("declaration", "reprint"));
    let (status, _, html) = c.post("/studio/new", "/studio/new", &reprint).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("转载须注明来源名称") && html.contains("转载须注明来源链接"));
    reprint.push(("source_name", "新华社"));
    reprint.push(("source_link", "https://example.com/news/1"));
    let (_, location, _) = c.post("/studio/new", "/studio/new", &reprint).await;
    let (_, html) = app.get(&location).await;
    assert!(
        html.contains("转载自：新华社") && html.contains(r#"href="https://example.com/news/1""#)
    );
    assert!(
        html.contains(r#"<meta name="haowen:declaration" content="reprint">"#)
            && html.contains("\"isBasedOn\":\"https://example.com/news/1\"")
    );
}

#[tokio::test]
async fn unpublish_and_delete_take_the_article_off_the_site() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let c = creator_browser(&app, "writer_e", "删稿人").await;
    let (_, location, _) = c
        .post(
            "/studio/new",
            "/studio/new",
            &article_form("要撤回的文章", "publish"),
        )
        .await;
    let id: i64 = location.trim_start_matches("/a/").parse().expect("id");
    assert_eq!(app.get(&format!("/a/{id}")).await.0, StatusCode::OK);
    assert!(
        c.get("/studio").await.1.contains("要撤回的文章"),
        "listed before"
    );
    let (status, _, _) = c
        .post("/studio", &format!("/studio/{id}/unpublish"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(app.get(&format!("/a/{id}")).await.0, StatusCode::NOT_FOUND);
    let (status, _, _) = c
        .post("/studio", &format!("/studio/{id}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, studio) = c.get("/studio").await;
    assert!(!studio.contains("要撤回的文章"));
    let audit = app.store.audit_entries(5).await.expect("audit");
    assert!(audit.iter().any(|e| e.1 == "article.delete"));
}

#[tokio::test]
async fn nobody_edits_another_creators_article() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let owner = creator_browser(&app, "owner_x", "原作者").await;
    let (_, location, _) = owner
        .post(
            "/studio/new",
            "/studio/new",
            &article_form("我的文章", "publish"),
        )
        .await;
    let id: i64 = location.trim_start_matches("/a/").parse().expect("id");
    let other = creator_browser(&app, "other_y", "别的作者").await;
    let edit = format!("/studio/{id}/edit");
    assert_eq!(other.get(&edit).await.0, StatusCode::FORBIDDEN);
    for action in [
        edit.clone(),
        format!("/studio/{id}/unpublish"),
        format!("/studio/{id}/delete"),
    ] {
        let (status, _, _) = other
            .post("/me", &action, &article_form("改掉你", "publish"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{action}");
    }
    // A reader has no studio at all; an anonymous visitor is sent to sign in.
    let reader = Browser::new(&app);
    reader
        .sign_up("plain_reader", "普通读者", "江城好文2026")
        .await;
    assert_eq!(reader.get("/studio").await.0, StatusCode::FORBIDDEN);
    assert_eq!(reader.get("/studio/new").await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        Browser::new(&app).get("/studio").await.0,
        StatusCode::SEE_OTHER
    );
    // The fixture's imported-style creator has no account: its articles are nobody's to edit here.
    assert_eq!(
        other.get(&format!("/studio/{}/edit", f.rich)).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.store.article(id).await.expect("a").title, "我的文章");
}
