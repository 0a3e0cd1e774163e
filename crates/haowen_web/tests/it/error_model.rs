//! One error model: the same refusal answers the same status through a form and through the
//! API, each validation failure has its own message, and the API's errors are always its JSON.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, creator_browser, seed};

const BODY: &str = "第一段正文，足够长的内容，用来发布。";

#[tokio::test]
async fn the_same_refusal_gets_the_same_status_and_message_in_a_form_and_the_api() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let c = creator_browser(&app, "err_writer", "错误模型").await;
    let csrf = c.csrf("/studio/new").await;
    // A title with a control character (a tab inside): its own message, not "too long".
    let form = |title: &'static str| {
        vec![
            ("title", title),
            ("body", BODY),
            ("channel", "tech"),
            ("declaration", "original"),
            ("action", "publish"),
        ]
    };
    let (status, _, page) = c
        .post("/studio/new", "/studio/new", &form("春耕\t开始"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("控制字符"), "its own message in the form");
    assert!(!page.contains("标题最多"), "not the length message");
    let res = c
        .client
        .post(format!("{}/api/v1/articles", app.base))
        .header("x-csrf-token", &csrf)
        .json(&json!({"title": "春耕\t开始", "body": BODY, "channel": "tech", "action": "publish"}))
        .send()
        .await
        .expect("api");
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "422 in both"
    );
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "invalid_input");
    assert!(
        body["error"]["fields"]["title"]
            .as_str()
            .is_some_and(|m| m.contains("控制字符")),
        "{body}"
    );
    // Too long: its own message, with the count.
    let long = "字".repeat(201);
    let res = c
        .client
        .post(format!("{}/api/v1/articles", app.base))
        .header("x-csrf-token", &csrf)
        .json(&json!({"title": long, "body": BODY, "channel": "tech"}))
        .send()
        .await
        .expect("api");
    let body: Value = res.json().await.expect("json");
    assert!(
        body["error"]["fields"]["title"]
            .as_str()
            .is_some_and(|m| m.contains("201")),
        "{body}"
    );

    // Another creator's article: 403 through the studio and through the API.
    let (_, location, _) = c
        .post("/studio/new", "/studio/new", &form("别人的文章"))
        .await;
    let id: i64 = location
        .trim_start_matches("/a/")
        .parse()
        .expect("article id");
    let other = creator_browser(&app, "err_other", "另一个号").await;
    let (page_status, _) = other.get(&format!("/studio/{id}/edit")).await;
    let other_csrf = other.csrf("/studio/new").await;
    let res = other
        .client
        .put(format!("{}/api/v1/articles/{id}", app.base))
        .header("x-csrf-token", &other_csrf)
        .json(&json!({"title": "改标题", "body": BODY, "channel": "tech"}))
        .send()
        .await
        .expect("api");
    assert_eq!(page_status, StatusCode::FORBIDDEN);
    assert_eq!(res.status(), page_status, "the same status in both");
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "forbidden");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}

#[tokio::test]
async fn api_errors_are_always_the_api_json() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let c = creator_browser(&app, "path_writer", "路径作者").await;
    let csrf = c.csrf("/studio/new").await;
    // An unparseable id in the path: the API's JSON, not axum's plain text.
    let res = c
        .client
        .put(format!("{}/api/v1/articles/abc", app.base))
        .header("x-csrf-token", &csrf)
        .json(&json!({"title": "x"}))
        .send()
        .await
        .expect("api");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("application/json")
    );
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "bad_request");
    // Search without words and an unknown hot-list channel: the same shape.
    for (path, status, code) in [
        ("/api/v1/search?q=", StatusCode::BAD_REQUEST, "bad_request"),
        (
            "/api/v1/hot?channel=nope",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ] {
        let res = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("api");
        assert_eq!(res.status(), status, "{path}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], code, "{path}");
        assert!(body["error"]["message"].is_string(), "{path}");
    }
}
