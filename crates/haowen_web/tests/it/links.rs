//! No dead links: crawl every internal link reachable from the home page and fetch it.

use std::collections::{BTreeSet, VecDeque};

use reqwest::StatusCode;

use crate::support::{TestApp, seed};

/// Internal hrefs and srcs of a page (absolute paths only; external links are not ours).
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(0);
            let link = rest[..end].replace("&amp;", "&");
            if link.starts_with('/') && !link.starts_with("//") {
                out.push(link.split('#').next().unwrap_or("").to_string());
            }
        }
    }
    out
}

#[tokio::test]
async fn every_internal_link_resolves() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/".to_string()]);
    let mut pages = 0;
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let res = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("get");
        let status = res.status();
        // Redirects must land somewhere real: inside the site (care switches, sign-in first) or,
        // for share links only, at the network's share page.
        if status == StatusCode::SEE_OTHER {
            let to = res.headers()["location"]
                .to_str()
                .expect("location")
                .to_string();
            if to.starts_with('/') {
                if !seen.contains(&to) {
                    queue.push_back(to);
                }
            } else {
                assert!(
                    path.contains("/share/"),
                    "{path} redirects off the site to {to}"
                );
            }
            continue;
        }
        assert_eq!(status, StatusCode::OK, "dead link {path}");
        let is_html = res
            .headers()
            .get("content-type")
            .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"));
        let body = res.text().await.expect("body");
        if is_html {
            pages += 1;
            for link in links(&body) {
                if !seen.contains(&link) {
                    queue.push_back(link);
                }
            }
        }
    }
    assert!(pages >= 30, "crawled only {pages} pages");
    for must in [
        "/apply",
        "/care",
        "/accessibility",
        "/report",
        "/about",
        "/contact",
        "/hao",
    ] {
        assert!(seen.contains(must), "{must} is not linked from the site");
    }
}
