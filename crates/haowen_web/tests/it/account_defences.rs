//! Accounts against attackers: common and personal passwords refused, at most ten sessions
//! per account (the oldest signed out).

use haowen_core::account::{Role, hash_password};
use haowen_testkit::Peek;
use reqwest::StatusCode;

use crate::support::{Browser, TestApp};

const PASSWORD: &str = "江城好文2026";

#[tokio::test]
async fn common_and_personal_passwords_are_refused() {
    let app = TestApp::sqlite().await;
    // Built from the site's name is as guessable as built from one's own.
    app.store
        .set_setting("site_name", "江城新闻")
        .await
        .expect("site name");
    for (username, password) in [
        ("reader_a", "password"),
        ("reader_b", "12345678"),
        ("reader_c", "woaini1314"),
        ("reader_d", "qwertyuiop"),
        ("lilei_1990", "lilei_1990!"),
        ("reader_e", "江城新闻2026"),
    ] {
        let b = Browser::new(&app);
        let (status, _, html) = b
            .post(
                "/signup",
                "/signup",
                &[
                    ("username", username),
                    ("display_name", "读者"),
                    ("password", password),
                    ("password_again", password),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{password}");
        assert!(
            html.contains("太常见")
                || html.contains("太容易被猜中")
                || html.contains("不能与账号名"),
            "{password}: {html}"
        );
    }
}

#[tokio::test]
async fn an_account_keeps_at_most_ten_sessions() {
    let app = TestApp::sqlite().await;
    let hash = hash_password(PASSWORD).expect("hash");
    app.store
        .create_user("many_phones", "多台手机", &hash, Role::Reader)
        .await
        .expect("user");
    let mut browsers = Vec::new();
    for _ in 0..12 {
        let b = Browser::new(&app);
        let (status, _, _) = b
            .post(
                "/signin",
                "/signin",
                &[("username", "many_phones"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        browsers.push(b);
    }
    let mut peek = Peek::open(&app.db).await;
    assert_eq!(
        peek.text("SELECT CAST(COUNT(*) AS TEXT) FROM sessions")
            .await,
        "10"
    );
    // The two oldest ended; the newest still works.
    assert_eq!(browsers[0].get("/me").await.0, StatusCode::SEE_OTHER);
    assert_eq!(browsers[11].get("/me").await.0, StatusCode::OK);
}
