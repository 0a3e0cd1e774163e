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
        // Share links count and redirect to the network, and the care-mode switches set a
        // cookie and redirect back; everything else must be a page.
        if path.contains("/share/") || path.starts_with("/care/") {
            assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
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
