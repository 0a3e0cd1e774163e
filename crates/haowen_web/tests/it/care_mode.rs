//! Care mode (关怀版) on the server: switches, cookie, URL, text size, separate cache entries.

use reqwest::StatusCode;

use crate::support::{TestApp, seed};

async fn get_with_cookie(app: &TestApp, path: &str, cookie: &str) -> (StatusCode, String) {
    let res = app
        .client
        .get(format!("{}{path}", app.base))
        .header("cookie", cookie)
        .send()
        .await
        .expect("get");
    (res.status(), res.text().await.expect("body"))
}

#[tokio::test]
async fn switches_set_the_cookie_and_return_to_the_page() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let res = app
        .client
        .get(format!(
            "{}/care/on?next=%2Fchannel%2Fsports%3Fpage%3D1",
            app.base
        ))
        .send()
        .await
        .expect("on");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/channel/sports?page=1");
    let cookie = res.headers()["set-cookie"].to_str().expect("cookie");
    assert!(
        cookie.starts_with("hw_care=1;")
            && cookie.contains("Max-Age=")
            && cookie.contains("Path=/"),
        "{cookie}"
    );

    let res = app
        .client
        .get(format!("{}/care/size?level=3&next=%2F", app.base))
        .send()
        .await
        .expect("size");
    let cookies: Vec<&str> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("hw_care_size=3;")),
        "{cookies:?}"
    );
    assert_eq!(
        app.get("/care/size?level=9&next=%2F").await.0,
        StatusCode::BAD_REQUEST
    );

    let res = app
        .client
        .get(format!(
            "{}/care/off?next=https%3A%2F%2Fevil.example",
            app.base
        ))
        .send()
        .await
        .expect("off");
    assert_eq!(res.headers()["location"], "/", "no open redirect");
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .starts_with("hw_care=0;")
    );
}

#[tokio::test]
async fn care_pages_are_a_separate_rendering() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    // An article in every channel, so that the whole navigation shows (empty channels leave it).
    for ch in app.store.channels().await.expect("channels") {
        app.store
            .create_article(&haowen_testkit::article(
                f.other.id,
                ch.id,
                &format!("{}一则", ch.name),
                "正文。",
                90,
            ))
            .await
            .expect("article");
    }
    app.refresh().await;
    let path = format!("/a/{}", f.rich);
    let (_, normal) = app.get(&path).await;
    assert!(!normal.contains(r#"class="care care-"#));
    assert!(normal.contains("进入关怀版"));
    let (_, care) = get_with_cookie(&app, &path, "hw_care=1; hw_care_size=2").await;
    assert!(
        care.contains(r#"<html lang="zh-CN" class="care care-28" data-base-font="28">"#),
        "{}",
        care.chars().take(300).collect::<String>()
    );
    assert!(care.contains("/static/care.css"));
    assert!(care.contains("退出关怀版"));
    assert!(care.contains("缩小字号") && care.contains("放大字号"));
    assert!(care.contains("朗读全文"));
    // The cache keeps both; the normal page is not served to care readers or back.
    let (_, normal_again) = app.get(&path).await;
    assert!(!normal_again.contains(r#"class="care care-"#));
    // Care mode's navigation is simplified to the first channels.
    assert!(!care.contains(r#"<a href="/channel/culture">文化</a>"#));
    assert!(normal.contains(r#"<a href="/channel/culture">文化</a>"#));
}

#[tokio::test]
async fn care_mode_is_addressable_by_url_and_then_remembered() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let res = app
        .client
        .get(format!("{}/channel/sports?care=1", app.base))
        .send()
        .await
        .expect("get");
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .starts_with("hw_care=1;")
    );
    let html = res.text().await.expect("body");
    assert!(html.contains(r#"class="care care-"#));
    // The switch on that page leads back to the page without the parameter.
    assert!(
        html.contains(r#"href="/care/off?next=%2Fchannel%2Fsports">退出关怀版</a>"#),
        "switch link"
    );
    let (status, html) = app.get("/no-such-page?care=1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        html.contains(r#"class="care care-"#),
        "error pages follow the mode"
    );
}
