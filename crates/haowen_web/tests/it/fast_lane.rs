//! The fast lane answers a cached anonymous page exactly as the router does — status, every
//! header, the bytes — in each shape a reader sends (plain, gzip, revalidation, care mode,
//! cookies that do not sign in); it passes everything else to the router, and an article read
//! through it is counted like one through the router.

use std::net::SocketAddr;

use axum::{
    body::Body,
    http::{Method, Request, Response, header},
};
use tower::ServiceExt;

use crate::support::{TestApp, seed};

fn request(method: Method, path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut req = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.body(Body::empty()).expect("request")
}

/// Status, headers (in order) and body of a response, as they go on the wire: hyper writes
/// `content-length` from the body when a response does not say it (a layer of the router
/// does), so that header is checked against the body and left out of the comparison.
async fn parts(res: Response<Body>) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let status = res.status().as_u16();
    let headers: Vec<(String, String)> = res
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
        .collect();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec();
    for (_, length) in headers.iter().filter(|(k, _)| k == "content-length") {
        assert_eq!(length, &body.len().to_string(), "content-length");
    }
    let headers = headers
        .into_iter()
        .filter(|(k, _)| k != "content-length")
        .collect();
    (status, headers, body)
}

#[tokio::test]
async fn the_lane_answers_what_the_router_answers_and_passes_the_rest() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let lane = haowen_web::fast_lane::FastLane::new(app.state.clone());
    let router = haowen_web::app(app.state.clone());
    let peer: SocketAddr = "127.0.0.1:40000".parse().expect("peer");
    let article = format!("/a/{}", f.rich);
    let creator = format!("/creator/{}", f.writer.slug);
    let get = |path: &str, headers: &[(&str, &str)]| request(Method::GET, path, headers);

    // Nothing rendered yet: a miss is the router's.
    assert!(lane.answer(&get(&article, &[]), peer).is_none());
    let first = router
        .clone()
        .oneshot(get(&article, &[]))
        .await
        .expect("router");
    let etag = first.headers()[header::ETAG]
        .to_str()
        .expect("etag")
        .to_string();

    let shapes: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (&article, vec![]),
        (&article, vec![("accept-encoding", "gzip, deflate, br")]),
        (&article, vec![("if-none-match", etag.as_str())]),
        (&article, vec![("cookie", "hw_care=1; hw_care_size=2")]),
        (
            &article,
            vec![
                ("cookie", "_ga=GA1.1.1; hw_vid=v1"),
                ("user-agent", "Mozilla/5.0"),
            ],
        ),
        ("/", vec![]),
        ("/", vec![("accept-encoding", "gzip")]),
        ("/channel/sports", vec![]),
        ("/channel/sports", vec![("cookie", "hw_care=1")]),
        (&creator, vec![("accept-encoding", "gzip")]),
        ("/tag/%E8%B6%B3%E7%90%83", vec![]),
        ("/search?q=%E8%B6%B3%E7%90%83", vec![]),
        (
            "/search?q=%E8%B6%B3%E7%90%83",
            vec![("accept-encoding", "gzip")],
        ),
        (
            "/search?q=%E8%B6%B3%E7%90%83",
            vec![("cookie", "hw_care=1")],
        ),
        ("/search?channel=sports&q=%E8%B6%B3%E7%90%83&page=1", vec![]),
    ];
    // A search the route has not checked yet is the router's.
    assert!(
        lane.answer(&get("/search?q=%E8%B6%B3%E7%90%83", &[]), peer)
            .is_none()
    );
    for (path, headers) in &shapes {
        // The router renders and caches; then both answer the same request.
        let warm = router
            .clone()
            .oneshot(get(path, headers))
            .await
            .expect("warm");
        assert!(
            warm.status().is_success() || warm.status() == 304,
            "{path} {headers:?}"
        );
        let fast = lane
            .answer(&get(path, headers), peer)
            .unwrap_or_else(|| panic!("the lane answers {path} {headers:?}"));
        let routed = router
            .clone()
            .oneshot(get(path, headers))
            .await
            .expect("router");
        let (fast, routed) = (parts(fast).await, parts(routed).await);
        assert_eq!(fast.0, routed.0, "status of {path} {headers:?}");
        assert_eq!(fast.1, routed.1, "headers of {path} {headers:?}");
        assert!(fast.2 == routed.2, "body of {path} {headers:?}");
        assert!(
            fast.1.iter().any(|(k, _)| k == "content-security-policy"),
            "security headers on the lane"
        );
    }

    // Switching care mode in the address stays the router's even once it has answered it.
    let care_search = "/search?q=%E8%B6%B3%E7%90%83&care=1";
    let routed = router
        .clone()
        .oneshot(get(care_search, &[]))
        .await
        .expect("router");
    assert!(routed.status().is_success());

    // The router's: queries, sessions (live or not), other methods, other or odd paths.
    let session = "hw_session=not-a-live-session";
    for req in [
        get(&format!("{article}?care=1"), &[]),
        get("/?page=1", &[]),
        get(&article, &[("cookie", session)]),
        request(Method::HEAD, &article, &[]),
        request(Method::POST, &article, &[]),
        get(&format!("/a/0{}", f.rich), &[]),
        get(&format!("{article}/comments"), &[]),
        get("/channel/sports?page=2", &[]),
        // Checked and cached above, but switching care mode in the address, or signed in.
        get(care_search, &[]),
        get("/search?q=%E8%B6%B3%E7%90%83", &[("cookie", session)]),
        get("/search?q=%E8%B6%B3%E7%90%83&x=1", &[]),
    ] {
        let what = format!("{} {}", req.method(), req.uri());
        assert!(lane.answer(&req, peer).is_none(), "{what}");
    }

    // A search naming a creator is checked against the database each time: never the lane's.
    let by_creator = format!("/search?q=%E8%B6%B3%E7%90%83&creator={}", f.writer.slug);
    for _ in 0..2 {
        let routed = router
            .clone()
            .oneshot(get(&by_creator, &[]))
            .await
            .expect("router");
        assert!(routed.status().is_success());
    }
    assert!(lane.answer(&get(&by_creator, &[]), peer).is_none());

    // A read through the lane counts once per visitor, like one through the router.
    app.state.flush_reads().await.expect("flush");
    let before = app.store.article(f.rich).await.expect("article").reads;
    let reader = [
        ("cookie", "hw_vid=lane-reader"),
        ("user-agent", "Mozilla/5.0 Chrome/126"),
    ];
    for _ in 0..3 {
        assert!(lane.answer(&get(&article, &reader), peer).is_some());
    }
    app.state.flush_reads().await.expect("flush");
    let after = app.store.article(f.rich).await.expect("article").reads;
    assert_eq!(after, before + 1, "one read for one visitor");

    // A site change (here a rebuilt snapshot) makes every alias old: the router checks the query again.
    let search = "/search?q=%E8%B6%B3%E7%90%83";
    assert!(lane.answer(&get(search, &[]), peer).is_some());
    app.state
        .snapshots
        .rebuild(&app.store)
        .await
        .expect("rebuild");
    assert!(lane.answer(&get(search, &[]), peer).is_none());
}
