//! 申请入驻 end to end: apply, see the status, an editor decides, the creator page appears.

use haowen_core::account::{Role, hash_password};
use reqwest::StatusCode;

use crate::support::{Browser, TestApp, seed};

const PASSWORD: &str = "江城好文2026";

async fn editor(app: &TestApp) -> Browser {
    let hash = hash_password(PASSWORD).expect("hash");
    app.store
        .create_user("editor_wang", "王编辑", &hash, Role::Editor)
        .await
        .expect("editor");
    let b = Browser::new(app);
    let (status, _, _) = b
        .post(
            "/signin",
            "/signin",
            &[("username", "editor_wang"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    b
}

fn application(name: &str) -> Vec<(&str, &str)> {
    vec![
        ("display_name", name),
        ("bio", "记录江城的街巷与人情"),
        ("channel", "society"),
        (
            "sample",
            "这是一篇代表作的正文，写的是老城区一条背街小巷的改造，以及住在那里的人们。",
        ),
        ("contact", "writer@example.com"),
    ]
}

#[tokio::test]
async fn apply_then_approval_makes_a_creator() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let reader = Browser::new(&app);
    reader.sign_up("zhang_san", "张三", PASSWORD).await;
    let (status, form) = reader.get("/apply").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(r#"<select id="f-channel" name="channel""#) && form.contains("提交申请"));
    let (status, location, _) = reader
        .post("/apply", "/apply", &application("街巷笔记"))
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/apply")
    );
    let (_, status_page) = reader.get("/apply").await;
    assert!(
        status_page.contains("正在审核中（待审核）"),
        "{status_page}"
    );
    let (status, _, _) = reader.post_raw("/apply", &[]).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "no second application while one is pending (and no token)"
    );

    // A reader cannot see or decide the queue.
    assert_eq!(
        reader.get("/editor/applications").await.0,
        StatusCode::FORBIDDEN
    );
    let ed = editor(&app).await;
    let (status, queue) = ed.get("/editor/applications").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        queue.contains("街巷笔记")
            && queue.contains("zhang_san")
            && queue.contains("writer@example.com")
    );
    let id = app.store.pending_applications().await.expect("queue")[0].id;
    let (status, _, _) = ed
        .post(
            "/editor/applications",
            &format!("/editor/applications/{id}"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, queue) = ed.get("/editor/applications").await;
    assert!(queue.contains("没有待审核的申请"));

    let (_, status_page) = reader.get("/apply").await;
    assert!(status_page.contains("已通过"), "{status_page}");
    let (_, me) = reader.get("/me").await;
    assert!(me.contains("创作者"), "the role changed");
    let user = app
        .store
        .user_for_sign_in("zhang_san")
        .await
        .expect("user")
        .expect("exists")
        .0;
    let creator = app
        .store
        .creator(user.creator_id.expect("creator"))
        .await
        .expect("creator");
    assert_eq!(creator.name, "街巷笔记");
    app.refresh().await;
    let (status, page) = app.get(&format!("/creator/{}", creator.slug)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("记录江城的街巷与人情"));
    let audit = app.store.audit_entries(10).await.expect("audit");
    assert_eq!(
        (audit[0].0.as_str(), audit[0].1.as_str()),
        ("editor_wang", "application.approve")
    );
}

#[tokio::test]
async fn rejection_shows_the_reason_and_allows_a_new_application() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let reader = Browser::new(&app);
    reader.sign_up("li_si", "李四", PASSWORD).await;
    reader
        .post("/apply", "/apply", &application("李四说"))
        .await;
    let ed = editor(&app).await;
    let id = app.store.pending_applications().await.expect("queue")[0].id;
    let (status, _, html) = ed
        .post(
            "/editor/applications",
            &format!("/editor/applications/{id}"),
            &[("decision", "reject"), ("reason", "")],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a rejection needs a reason"
    );
    assert!(html.contains("未通过的原因至少需要 2 个字"));
    ed.post(
        "/editor/applications",
        &format!("/editor/applications/{id}"),
        &[("decision", "reject"), ("reason", "代表作与所选领域不符")],
    )
    .await;
    let (_, page) = reader.get("/apply").await;
    assert!(
        page.contains("未通过。原因：代表作与所选领域不符"),
        "{page}"
    );
    assert!(page.contains("提交申请"), "the form is offered again");
    // The queue is empty now; the session's token (from any signed-in page) still applies.
    let (status, _, _) = ed
        .post(
            "/me",
            &format!("/editor/applications/{id}"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "already decided");
}

#[tokio::test]
async fn bad_applications_are_explained_field_by_field() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let reader = Browser::new(&app);
    reader.sign_up("wang_wu", "王五", PASSWORD).await;
    let (status, _, html) = reader
        .post(
            "/apply",
            "/apply",
            &[
                ("display_name", "绿茵笔记"),
                ("bio", "短"),
                ("channel", "nowhere"),
                ("sample", "太短"),
                ("contact", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "这个号名称已被使用",
        "简介至少需要 5 个字",
        "请选择一个擅长的领域",
        "代表作或作品链接至少需要 20 个字",
        "联系方式至少需要 3 个字",
    ] {
        assert!(html.contains(message), "missing {message:?}");
    }
    let (_, anonymous) = app.get("/apply").await;
    assert!(
        anonymous.contains("开设你的好文号"),
        "anonymous readers get the explanation"
    );
}

#[tokio::test]
async fn editor_picks_lead_the_headlines_and_original_columns() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let ed = editor(&app).await;
    let (status, page) = ed.get("/editor/picks").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("态度原创 · 教育"));
    let rich = f.rich.to_string();
    let (status, _, _) = ed
        .post(
            "/editor/picks",
            "/editor/picks",
            &[("slot", "headline"), ("article", &rich)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, home) = app.get("/").await;
    let headlines = &home[home.find("headlines-heading").expect("headlines")
        ..home.find("channel-blocks").expect("blocks")];
    assert!(
        headlines.contains("业余联赛决赛上演逆转"),
        "the pick leads the headlines"
    );
    let path = format!("/a/{rich}");
    ed.post(
        "/editor/picks",
        "/editor/picks",
        &[("slot", "original:教育"), ("article", &path)],
    )
    .await;
    let (_, article) = app.get(&path).await;
    let original = &article[article.find("original-heading").expect("态度原创")..];
    assert!(
        original.contains("业余联赛决赛上演逆转"),
        "picked into 态度原创 · 教育"
    );
    let (status, _, html) = ed
        .post(
            "/editor/picks",
            "/editor/picks",
            &[("slot", "headline"), ("article", "abc")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("文章编号“abc”无效"));
    let reader = Browser::new(&app);
    reader.sign_up("picky", "读者", PASSWORD).await;
    assert_eq!(reader.get("/editor/picks").await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_uploaded_avatar_becomes_the_creator_avatar() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let reader = Browser::new(&app);
    reader.sign_up("with_avatar", "有头像", PASSWORD).await;
    let token = reader.csrf("/apply").await;
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        300,
        300,
        image::Rgb([30, 90, 160]),
    ))
    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
    .expect("png");
    let form = |avatar: Vec<u8>| {
        let mut form = reqwest::multipart::Form::new().text("_csrf", token.clone());
        for (k, v) in application("头像号") {
            form = form.text(k, v.to_string());
        }
        form.part(
            "avatar",
            reqwest::multipart::Part::bytes(avatar).file_name("me.png"),
        )
    };
    let res = reader
        .client
        .post(format!("{}/apply", app.base))
        .multipart(form(b"not an image".to_vec()))
        .send()
        .await
        .expect("apply");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.expect("body");
    let at = body.find("form-page").unwrap_or(0);
    assert!(body.contains("不是支持的图片格式"), "{}", &body[at..]);
    let res = reader
        .client
        .post(format!("{}/apply", app.base))
        .multipart(form(png))
        .send()
        .await
        .expect("apply");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let ed = editor(&app).await;
    let id = app.store.pending_applications().await.expect("queue")[0].id;
    ed.post(
        "/editor/applications",
        &format!("/editor/applications/{id}"),
        &[("decision", "approve")],
    )
    .await;
    let user = app
        .store
        .user_for_sign_in("with_avatar")
        .await
        .expect("u")
        .expect("exists")
        .0;
    let creator = app
        .store
        .creator(user.creator_id.expect("creator"))
        .await
        .expect("creator");
    assert!(
        creator.avatar_url.starts_with("/media/") && creator.avatar_url.ends_with("-800.jpg"),
        "{}",
        creator.avatar_url
    );
    app.refresh().await;
    let (_, page) = app.get(&format!("/creator/{}", creator.slug)).await;
    assert!(page.contains(&format!("src=\"{}\"", creator.avatar_url)));
    let img = app
        .client
        .get(format!("{}{}", app.base, creator.avatar_url))
        .send()
        .await
        .expect("avatar");
    assert_eq!(img.status(), StatusCode::OK);
}
