//! 站长后台 over HTTP: roles, disabling accounts, site settings; the last admin stays.

use haowen_core::account::{Role, hash_password};
use reqwest::StatusCode;

use crate::support::{Browser, TestApp, seed};

const PASSWORD: &str = "江城好文2026";

async fn admin(app: &TestApp) -> Browser {
    let hash = hash_password(PASSWORD).expect("hash");
    app.store
        .create_user("site_admin", "站长", &hash, Role::Admin)
        .await
        .expect("admin");
    let b = Browser::new(app);
    b.post(
        "/signin",
        "/signin",
        &[("username", "site_admin"), ("password", PASSWORD)],
    )
    .await;
    b
}

#[tokio::test]
async fn admins_grant_roles_and_disable_accounts() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let root = admin(&app).await;
    let user = Browser::new(&app);
    user.sign_up("promote_me", "待提升", PASSWORD).await;
    let id = app
        .store
        .user_for_sign_in("promote_me")
        .await
        .expect("u")
        .expect("exists")
        .0
        .id;
    let (status, page) = root.get("/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("promote_me") && page.contains("site_admin"));
    let (status, _, _) = root
        .post(
            "/admin/users",
            &format!("/admin/users/{id}"),
            &[("role", "editor")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        user.get("/editor/applications").await.0,
        StatusCode::OK,
        "now an editor"
    );
    // Creator needs a creator page first.
    let (status, _, html) = root
        .post(
            "/admin/users",
            &format!("/admin/users/{id}"),
            &[("role", "creator")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("申请入驻"));
    // Disable: the live session ends and sign-in is refused with a reason.
    root.post(
        "/admin/users",
        &format!("/admin/users/{id}"),
        &[("disable", "1")],
    )
    .await;
    assert_eq!(
        user.get("/me").await.0,
        StatusCode::SEE_OTHER,
        "session ended"
    );
    let again = Browser::new(&app);
    let (status, _, html) = again
        .post(
            "/signin",
            "/signin",
            &[("username", "promote_me"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("该账号已被停用"));
    root.post(
        "/admin/users",
        &format!("/admin/users/{id}"),
        &[("disable", "0")],
    )
    .await;
    let (status, _, _) = again
        .post(
            "/signin",
            "/signin",
            &[("username", "promote_me"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "enabled again");
    // The last admin cannot demote or disable themselves.
    let me = app
        .store
        .user_for_sign_in("site_admin")
        .await
        .expect("u")
        .expect("exists")
        .0
        .id;
    let (status, _, html) = root
        .post(
            "/admin/users",
            &format!("/admin/users/{me}"),
            &[("role", "reader")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("唯一的站长"));
    let audit = app.store.audit_entries(20).await.expect("audit");
    assert!(
        audit.iter().any(|e| e.1 == "user.role") && audit.iter().any(|e| e.1 == "user.disable")
    );
    assert_eq!(
        user.get("/admin/users").await.0,
        StatusCode::SEE_OTHER,
        "signed out users are sent to sign in"
    );
}

#[tokio::test]
async fn admins_change_site_settings_with_checks() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let root = admin(&app).await;
    let (status, _, html) = root
        .post(
            "/admin/settings",
            "/admin/settings",
            &[
                ("site_name", "江城好文"),
                ("registration_info", "京ICP备00000000号"),
                ("timezone", "Asia/Shanghai"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("设置已保存"));
    let (_, home) = app.get("/").await;
    assert!(
        home.contains("江城好文") && home.contains("京ICP备00000000号"),
        "every page shows it at once"
    );
    let (status, _, html) = root
        .post(
            "/admin/settings",
            "/admin/settings",
            &[("timezone", "Mars/Base")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The form comes back with the reason next to the field, and nothing is saved.
    assert!(html.contains("is not an IANA time zone"), "{html}");
    assert!(html.contains("Mars"), "the rejected value is shown: {html}");
    assert_eq!(
        app.store.settings().await.expect("settings").timezone,
        "Asia/Shanghai",
        "an invalid zone is never stored"
    );
    let reader = Browser::new(&app);
    // The site is now called 江城好文, so 江城好文2026 would be refused as built from its name.
    reader
        .sign_up("nosy_reader", "读者", "夜班读者的长密码")
        .await;
    assert_eq!(reader.get("/admin/settings").await.0, StatusCode::FORBIDDEN);
    assert_eq!(reader.get("/admin/users").await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn admins_add_rename_reorder_and_hide_channels() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let root = admin(&app).await;
    let (status, _, _) = root
        .post(
            "/admin/channels",
            "/admin/channels",
            &[("name", "健康"), ("slug", "health")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // Empty, it answers by URL but stays out of the navigation until it has an article.
    let (_, home) = app.get("/").await;
    assert!(
        !home.contains(r#"href="/channel/health""#),
        "empty: not in the navigation"
    );
    assert_eq!(app.get("/channel/health").await.0, StatusCode::OK);
    let health = app.store.channel_by_slug("health").await.expect("health");
    let writer = app.store.creators().await.expect("creators")[0].id;
    app.store
        .create_article(&haowen_testkit::article(
            writer,
            health.id,
            "春季养生",
            "正文。",
            60,
        ))
        .await
        .expect("article");
    app.refresh().await;
    let (_, home) = app.get("/").await;
    assert!(
        home.contains(r#"<a href="/channel/health">健康</a>"#),
        "new channel in the navigation"
    );
    let (status, _, html) = root
        .post(
            "/admin/channels",
            "/admin/channels",
            &[("name", "健康"), ("slug", "Bad Slug")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("网址名需为"));
    let sports = app.store.channel_by_slug("sports").await.expect("sports");
    let (status, _, _) = root
        .post(
            "/admin/channels",
            &format!("/admin/channels/{}", sports.id),
            &[("name", "运动"), ("position", "0"), ("hidden", "0")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, home) = app.get("/").await;
    let nav = &home[home.find("channel-nav").expect("nav")..home.find("</nav>").expect("end")];
    assert!(
        nav.find("运动").expect("renamed") < nav.find("头条").expect("头条"),
        "moved to the front"
    );
    root.post(
        "/admin/channels",
        &format!("/admin/channels/{}", sports.id),
        &[("name", "运动"), ("position", "0"), ("hidden", "1")],
    )
    .await;
    let (_, home) = app.get("/").await;
    assert!(
        !home.contains(r#"href="/channel/sports""#),
        "hidden from navigation and home"
    );
    assert_eq!(app.get("/channel/sports").await.0, StatusCode::NOT_FOUND);
    let (status, _) = app
        .get(&format!(
            "/a/{}",
            app.store
                .channel_articles(sports.id, haowen_core::time::now(), 0, 1)
                .await
                .expect("list")
                .items[0]
                .id
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "its articles stay readable");
}
