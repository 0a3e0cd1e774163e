//! Accounts over HTTP: sign-up, sign-in, sessions, CSRF, the sign-in limiter, passwords, setup.

use reqwest::StatusCode;

use crate::support::{Browser, TestApp, seed};

#[tokio::test]
async fn sign_up_signs_in_and_pages_greet_the_viewer_uncached() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let reader = Browser::new(&app);
    reader.sign_up("li_lei", "李雷", "江城好文2026").await;
    let (status, me) = reader.get("/me").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        me.contains(r#"<h1 id="me-heading">李雷</h1>"#) && me.contains("读者"),
        "{me}"
    );
    // Pages carry the viewer's name and are not served from (or stored in) the shared cache.
    let res = reader
        .client
        .get(format!("{}/a/{}", app.base, f.rich))
        .send()
        .await
        .expect("get");
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    assert!(
        res.text()
            .await
            .expect("body")
            .contains(r#"<a class="account-link" href="/me">李雷</a>"#)
    );
    let (_, anonymous) = app.get(&format!("/a/{}", f.rich)).await;
    assert!(!anonymous.contains("李雷") && anonymous.contains(r#"href="/signin">登录</a>"#));
}

#[tokio::test]
async fn sign_up_explains_each_bad_field() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let b = Browser::new(&app);
    b.sign_up("taken", "甲", "江城好文2026").await;
    let other = Browser::new(&app);
    let (status, _, html) = other
        .post(
            "/signup",
            "/signup",
            &[
                ("username", "taken"),
                ("display_name", ""),
                ("password", "short"),
                ("password_again", "different"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("昵称需为 1 到 20 个字符"), "{html}");
    assert!(html.contains("密码至少需要 8 个字符"));
    assert!(html.contains("两次输入的密码不一致"));
    assert!(html.contains(r#"aria-invalid="true""#));
    let (_, _, html) = other
        .post(
            "/signup",
            "/signup",
            &[
                ("username", "taken"),
                ("display_name", "乙"),
                ("password", "江城好文2026"),
                ("password_again", "江城好文2026"),
            ],
        )
        .await;
    assert!(html.contains("这个账号名已被使用"), "{html}");
}

#[tokio::test]
async fn forms_without_their_csrf_token_are_refused() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let b = Browser::new(&app);
    b.get("/signup").await; // gets the anonymous CSRF cookie, but the form field is missing
    let (status, _, html) = b
        .post_raw(
            "/signup",
            &[
                ("username", "mallory"),
                ("display_name", "M"),
                ("password", "江城好文2026"),
                ("password_again", "江城好文2026"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("缺少安全令牌"));
    let (status, _, _) = b
        .post_raw("/signup", &[("_csrf", "forged"), ("username", "mallory")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Signed in: the session's token is required too.
    b.sign_up("alice", "爱丽丝", "江城好文2026").await;
    let (status, _, _) = b.post_raw("/signout", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(b.get("/me").await.0, StatusCode::OK, "still signed in");
    let (status, location, _) = b.post("/me", "/signout", &[]).await;
    assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/"));
    let (status, _) = b.get("/me").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed out");
}

#[tokio::test]
async fn the_sixth_wrong_password_within_a_minute_is_limited() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    Browser::new(&app)
        .sign_up("bob", "鲍勃", "江城好文2026")
        .await;
    let b = Browser::new(&app);
    for i in 1..=5 {
        let (status, _, html) = b
            .post(
                "/signin",
                "/signin",
                &[("username", "bob"), ("password", "wrong-password")],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {i}");
        assert!(html.contains("账号或密码错误"), "{html}");
    }
    let (status, _, html) = b
        .post(
            "/signin",
            "/signin",
            &[("username", "bob"), ("password", "江城好文2026")],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the 6th attempt within a minute waits, even with the right password"
    );
    assert!(
        html.contains("尝试次数过多，请") && html.contains("秒后再试"),
        "{html}"
    );
    // A missing account reads exactly like a wrong password.
    let (status, _, html) = b
        .post(
            "/signin",
            "/signin",
            &[("username", "nobody_here"), ("password", "whatever1")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("账号或密码错误"), "{html}");
}

#[tokio::test]
async fn sign_in_returns_to_the_page_and_protected_pages_ask_for_it() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    Browser::new(&app)
        .sign_up("carol", "卡罗尔", "江城好文2026")
        .await;
    let b = Browser::new(&app);
    let (status, _) = b.get("/account/password").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let res = b
        .client
        .get(format!("{}/account/password", app.base))
        .send()
        .await
        .expect("get");
    assert_eq!(
        res.headers()["location"],
        "/signin?next=%2Faccount%2Fpassword"
    );
    let (status, location, _) = b
        .post(
            "/signin?next=%2Faccount%2Fpassword",
            "/signin?next=%2Faccount%2Fpassword",
            &[("username", "CAROL"), ("password", "江城好文2026")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/account/password")
    );
    assert_eq!(b.get("/me").await.0, StatusCode::OK);
    // `next` never leads off the site.
    let c = Browser::new(&app);
    let (status, location, _) = c
        .post(
            "/signin",
            "/signin?next=https%3A%2F%2Fevil.example",
            &[("username", "carol"), ("password", "江城好文2026")],
        )
        .await;
    assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/"));
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let b = Browser::new(&app);
    let token = b.csrf("/signup").await;
    let res = b
        .client
        .post(format!("{}/signup", app.base))
        .form(&[
            ("_csrf", token.as_str()),
            ("username", "dave"),
            ("display_name", "戴夫"),
            ("password", "江城好文2026"),
            ("password_again", "江城好文2026"),
        ])
        .send()
        .await
        .expect("post");
    let cookie = res.headers()["set-cookie"].to_str().expect("cookie");
    assert!(
        cookie.starts_with("hw_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http on loopback");
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let phone = Browser::new(&app);
    phone.sign_up("erin", "艾琳", "江城好文2026").await;
    let laptop = Browser::new(&app);
    laptop
        .post(
            "/signin",
            "/signin",
            &[("username", "erin"), ("password", "江城好文2026")],
        )
        .await;
    assert_eq!(laptop.get("/me").await.0, StatusCode::OK);
    let (status, _, html) = phone
        .post(
            "/account/password",
            "/account/password",
            &[
                ("current", "wrong"),
                ("password", "新的密码2027"),
                ("password_again", "新的密码2027"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("当前密码不正确"));
    let (status, _, html) = phone
        .post(
            "/account/password",
            "/account/password",
            &[
                ("current", "江城好文2026"),
                ("password", "新的密码2027"),
                ("password_again", "新的密码2027"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("密码已修改"));
    assert_eq!(
        phone.get("/me").await.0,
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        laptop.get("/me").await.0,
        StatusCode::SEE_OTHER,
        "the other session ended"
    );
    let fresh = Browser::new(&app);
    let (status, _, _) = fresh
        .post(
            "/signin",
            "/signin",
            &[("username", "erin"), ("password", "新的密码2027")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_setup_link_creates_the_first_admin_once() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let path = app
        .state
        .open_setup_if_no_admin()
        .await
        .expect("setup")
        .expect("no admin yet");
    assert_eq!(app.get("/setup?token=wrong").await.0, StatusCode::NOT_FOUND);
    let b = Browser::new(&app);
    let (status, location, body) = b
        .post(
            &path,
            &path,
            &[
                ("username", "admin"),
                ("display_name", "站长"),
                ("password", "江城好文2026"),
                ("password_again", "江城好文2026"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/me"),
        "{body}"
    );
    let (_, me) = b.get("/me").await;
    assert!(me.contains("站长"));
    assert_eq!(
        b.get(&path).await.0,
        StatusCode::NOT_FOUND,
        "the link works once"
    );
    assert!(
        app.state
            .open_setup_if_no_admin()
            .await
            .expect("setup")
            .is_none(),
        "an admin exists now"
    );
}
