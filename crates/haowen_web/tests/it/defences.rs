//! The ways in that an attacker tries first, each closed: open redirects, the first-run setup
//! link raced or reused, a client-written `X-Forwarded-For`, cross-site API writes (login
//! CSRF), missing security headers, invisible comments (passwords and sessions:
//! `account_defences.rs`).

use haowen_core::account::{Role, hash_password};
use haowen_testkit::TestDb;
use reqwest::StatusCode;

use crate::support::{Browser, TestApp, seed};

const PASSWORD: &str = "江城好文2026";

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

#[tokio::test]
async fn redirects_never_leave_the_site() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    for next in [
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%0d%0aSet-Cookie:%20x=1",
        "/%0a",
        "%5Cevil.example",
        "/%5C/evil.example",
        "//evil.example",
        "///evil.example",
        "https://evil.example",
        "/%E3%80%80/evil.example",
    ] {
        let res = app
            .client
            .get(format!("{}/care/on?next={next}", app.base))
            .send()
            .await
            .expect("care switch");
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "next={next}");
        assert_eq!(location(&res), "/", "next={next}");
    }
    // A path on the site is kept.
    let res = app
        .client
        .get(format!(
            "{}/care/on?next=/channel/sports%3Fpage%3D2",
            app.base
        ))
        .send()
        .await
        .expect("care switch");
    assert_eq!(location(&res), "/channel/sports?page=2");
    // After signing in, the same.
    let hash = hash_password(PASSWORD).expect("hash");
    app.store
        .create_user("li_lei", "李雷", &hash, Role::Reader)
        .await
        .expect("user");
    for next in ["/%09/evil.example", "//evil.example", "/%0a"] {
        let b = Browser::new(&app);
        let (status, to, body) = b
            .post(
                "/signin",
                &format!("/signin?next={next}"),
                &[("username", "li_lei"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            (status, to.as_str()),
            (StatusCode::SEE_OTHER, "/"),
            "{next}: {body}"
        );
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let article = format!("/a/{}", f.rich);
    for path in [
        "/",
        article.as_str(),
        "/channel/sports",
        "/search?q=%E8%81%94%E8%B5%9B",
        "/signin",
        "/static/site.css",
        "/api/v1/hot",
        "/healthz",
        "/no-such-page",
        "/media/aa/none.jpg",
        "/care/on?next=/",
        "/a/not-a-number",
    ] {
        let res = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("get");
        let h = res.headers();
        let csp = h
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            h["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(
            h.get("strict-transport-security").is_none(),
            "{path}: plain http"
        );
    }
    // No page needs inline script or style: nothing for the policy to block.
    let (_, html) = app.get(&article).await;
    assert!(!html.contains(" style=\""), "an inline style attribute");
    assert!(!html.contains("<script>"), "an inline script");
    // Over https, HSTS too.
    let https = TestApp::start_with(TestDb::sqlite(), |c| {
        c.public_url = "https://news.example.com".into();
    })
    .await;
    let res = https
        .client
        .get(format!("{}/", https.base))
        .send()
        .await
        .expect("get");
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000"
    );
}

#[tokio::test]
async fn the_setup_link_makes_one_admin_however_many_post_at_once() {
    let app = TestApp::sqlite().await;
    let link = app
        .state
        .open_setup_if_no_admin()
        .await
        .expect("setup")
        .expect("no admin yet");
    let mut people = Vec::new();
    for i in 0..8 {
        let b = Browser::new(&app);
        let token = b.csrf(&link).await;
        people.push((b, token, format!("first_admin{i}")));
    }
    // All eight post at the same moment.
    let mut tasks = tokio::task::JoinSet::new();
    for (b, token, name) in people {
        let link = link.clone();
        tasks.spawn(async move {
            b.post_raw(
                &link,
                &[
                    ("username", name.as_str()),
                    ("display_name", "站长"),
                    ("password", PASSWORD),
                    ("password_again", PASSWORD),
                    ("_csrf", token.as_str()),
                ],
            )
            .await
        });
    }
    let results = tasks.join_all().await;
    let made = results
        .iter()
        .filter(|(s, _, _)| *s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(
        made,
        1,
        "{:?}",
        results.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    assert!(
        results
            .iter()
            .all(|(s, _, _)| *s == StatusCode::SEE_OTHER || *s == StatusCode::NOT_FOUND)
    );
    assert_eq!(app.store.admin_count().await.expect("count"), 1);
    assert_eq!(app.get(&link).await.0, StatusCode::NOT_FOUND, "used up");

    // An admin made from the shell (`haowen admin create-user --role admin`) ends a link
    // printed before it.
    let other = TestApp::sqlite().await;
    let link = other
        .state
        .open_setup_if_no_admin()
        .await
        .expect("setup")
        .expect("no admin yet");
    let b = Browser::new(&other);
    let token = b.csrf(&link).await;
    let hash = hash_password(PASSWORD).expect("hash");
    other
        .store
        .create_user("shell_admin", "站长", &hash, Role::Admin)
        .await
        .expect("admin");
    let (status, _, _) = b
        .post_raw(
            &link,
            &[
                ("username", "late_admin"),
                ("display_name", "站长"),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
                ("_csrf", token.as_str()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(other.store.admin_count().await.expect("count"), 1);
    assert_eq!(other.get(&link).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn behind_a_proxy_only_the_proxys_hop_counts() {
    let app = TestApp::start_with(TestDb::sqlite(), |c| {
        c.behind_proxy = true;
        c.proxy_hops = 1;
    })
    .await;
    let b = Browser::new(&app);
    let token = b.csrf("/signin").await;
    let attempt = |spoofed: String, real: &'static str, user: String| {
        let b = &b;
        let token = token.clone();
        async move {
            b.client
                .post(format!("{}/signin", b.base))
                .header("x-forwarded-for", format!("{spoofed}, {real}"))
                .form(&[
                    ("username", user.as_str()),
                    ("password", "wrong password"),
                    ("_csrf", token.as_str()),
                ])
                .send()
                .await
                .expect("post")
                .status()
        }
    };
    // 20 failures from one real address, each with a different client-written hop.
    for i in 0..20 {
        let status = attempt(format!("10.0.0.{i}"), "203.0.113.9", format!("user{i}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {i}");
    }
    // The 21st is limited however the left part is forged …
    let status = attempt("10.9.9.9".into(), "203.0.113.9", "user_x".into()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // … while another real address is not.
    let status = attempt("10.0.0.1".into(), "198.51.100.7", "user_y".into()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn cross_site_api_writes_are_refused() {
    let app = TestApp::sqlite().await;
    let hash = hash_password(PASSWORD).expect("hash");
    app.store
        .create_user("han_mei", "韩梅", &hash, Role::Reader)
        .await
        .expect("user");
    let body = serde_json::json!({ "username": "han_mei", "password": PASSWORD }).to_string();
    let post = |content_type: &'static str, extra: Option<(&'static str, &'static str)>| {
        let mut req = app
            .client
            .post(format!("{}/api/v1/session", app.base))
            .header("content-type", content_type)
            .body(body.clone());
        if let Some((k, v)) = extra {
            req = req.header(k, v);
        }
        req.send()
    };
    // The login CSRF of the report: a text/plain body from another site.
    for (ct, extra, want) in [
        (
            "text/plain",
            Some(("origin", "https://evil.example")),
            StatusCode::FORBIDDEN,
        ),
        ("text/plain", None, StatusCode::UNSUPPORTED_MEDIA_TYPE),
        (
            "application/x-www-form-urlencoded",
            None,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "application/json",
            Some(("origin", "https://evil.example")),
            StatusCode::FORBIDDEN,
        ),
        (
            "application/json",
            Some(("sec-fetch-site", "cross-site")),
            StatusCode::FORBIDDEN,
        ),
    ] {
        let res = post(ct, extra).await.expect("post");
        assert_eq!(res.status(), want, "{ct} {extra:?}");
        assert!(
            res.headers().get("set-cookie").is_none(),
            "no session for {ct} {extra:?}"
        );
    }
    let origin: &'static str = Box::leak(app.base.clone().into_boxed_str());
    let res = post("application/json", Some(("origin", origin)))
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("set-cookie").is_some());
}

#[tokio::test]
async fn invisible_comments_are_refused_and_names_cleaned() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let b = Browser::new(&app);
    // A display name with a zero-width space and a direction override is stored without them.
    b.sign_up("ghost_writer", "李\u{200B}雷\u{202E}", "夜班读者的长密码")
        .await;
    let (_, me) = b.get("/me").await;
    assert!(me.contains("李雷"), "the name is stored clean");
    let path = format!("/a/{}/comments", f.rich);
    for body in [
        "\u{200B}\u{200C}\u{200D}",
        "\u{202E}\u{3000} ",
        "\u{3164}\u{FEFF}",
    ] {
        let (status, _, html) = b
            .post(&format!("/a/{}", f.rich), &path, &[("body", body)])
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body:?}");
        assert!(html.contains("跟贴内容不能为空"), "{body:?}");
    }
    assert_eq!(app.store.article(f.rich).await.expect("a").comments, 0);
}
