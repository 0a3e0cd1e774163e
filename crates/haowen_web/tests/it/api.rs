//! The JSON API: sign in, write and publish, my articles, follow, images; CSRF header required;
//! errors are JSON with stable codes.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, creator_browser, seed};

#[tokio::test]
async fn a_creator_works_through_the_api() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    creator_browser(&app, "api_writer", "接口作者").await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let url = |p: &str| format!("{}{p}", app.base);

    let res = client
        .post(url("/api/v1/session"))
        .json(&json!({"username": "api_writer", "password": "wrong"}))
        .send()
        .await
        .expect("signin");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "invalid_input");
    assert_eq!(body["error"]["fields"]["password"], "账号或密码错误");
    let res = client
        .post(url("/api/v1/session"))
        .json(&json!({"username": "api_writer", "password": "江城好文2026"}))
        .send()
        .await
        .expect("signin");
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    let csrf = body["csrf_token"].as_str().expect("token").to_string();
    assert_eq!(body["user"]["role"], "creator");

    let draft = json!({"title": "接口写的文章", "body": "这是通过 JSON 接口写成的正文。", "channel": "tech", "tags": ["接口"], "declaration": "ai_generated"});
    let res = client
        .post(url("/api/v1/articles"))
        .json(&draft)
        .send()
        .await
        .expect("create");
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "no CSRF header");
    assert_eq!(
        res.json::<Value>().await.expect("json")["error"]["code"],
        "csrf_token_invalid"
    );
    let res = client
        .post(url("/api/v1/articles"))
        .header("x-csrf-token", &csrf)
        .json(&draft)
        .send()
        .await
        .expect("create");
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.expect("json");
    assert_eq!(created["status"], "draft");
    assert_eq!(created["declaration"]["kind"], "ai_generated");
    let id = created["id"].as_i64().expect("id");
    assert_eq!(app.get(&format!("/a/{id}")).await.0, StatusCode::NOT_FOUND);

    let res = client
        .post(url(&format!("/api/v1/articles/{id}/publish")))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .expect("publish");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.json::<Value>().await.expect("json")["status"],
        "published"
    );
    let (status, html) = app.get(&format!("/a/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("本文由AI生成"));

    let res = client
        .put(url(&format!("/api/v1/articles/{id}")))
        .header("x-csrf-token", &csrf)
        .json(&json!({"title": "", "body": "x", "channel": "nope", "action": "publish"}))
        .send()
        .await
        .expect("update");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let errors: Value = res.json().await.expect("json");
    assert_eq!(errors["error"]["fields"]["title"], "请填写标题");
    assert_eq!(errors["error"]["fields"]["channel"], "请选择频道");

    let mine: Value = client
        .get(url("/api/v1/me/articles"))
        .send()
        .await
        .expect("mine")
        .json()
        .await
        .expect("json");
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["articles"][0]["reads"], 0);

    let res = client
        .put(url(&format!("/api/v1/creators/{}/follow", f.writer.slug)))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .expect("follow");
    let followed: Value = res.json().await.expect("json");
    assert_eq!(
        (
            followed["following"].as_bool(),
            followed["followers"].as_i64()
        ),
        (Some(true), Some(4))
    );

    let res = client
        .post(url("/api/v1/articles"))
        .header("x-csrf-token", &csrf)
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .expect("bad");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json::<Value>().await.expect("json")["error"]["code"],
        "invalid_json"
    );
    let res = client
        .get(url("/api/v1/nothing-here"))
        .send()
        .await
        .expect("404");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        res.json::<Value>().await.expect("json")["error"]["code"],
        "not_found"
    );

    let res = client
        .delete(url("/api/v1/session"))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .expect("signout");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = client
        .get(url("/api/v1/me/articles"))
        .send()
        .await
        .expect("mine");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        res.json::<Value>().await.expect("json")["error"]["code"],
        "sign_in_required"
    );
}
