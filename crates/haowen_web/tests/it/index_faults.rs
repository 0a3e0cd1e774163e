//! A damaged or deleted search index never takes the server down: searching answers 503 with
//! a message, pages keep working, and the index is rebuilt from the database without a
//! restart.

use reqwest::StatusCode;

use crate::support::{TestApp, seed};

const QUERY: &str = "/search?q=%E8%81%94%E8%B5%9B"; // 联赛, in the seeded article's title

/// Every file of the index's segments (not its metadata), largest first.
fn segment_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<(u64, std::path::PathBuf)> = std::fs::read_dir(dir)
        .expect("index dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.ends_with(".json") && !name.starts_with('.')
        })
        .map(|p| (std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0), p))
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    files.into_iter().map(|f| f.1).collect()
}

#[tokio::test]
async fn a_truncated_index_answers_503_then_is_rebuilt() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    app.state.index_now().await.expect("index");
    let link = format!("href=\"/a/{}\"", f.rich);
    let (status, html) = app.get(QUERY).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&link), "found before the damage");

    // Every segment file cut to a few bytes under the running server (with memory maps this
    // was a SIGBUS that killed the process).
    let dir = app.state.config.search_dir.clone();
    for file in segment_files(&dir) {
        std::fs::OpenOptions::new()
            .write(true)
            .open(&file)
            .and_then(|f| f.set_len(3))
            .expect("truncate");
    }
    // A search not asked before reaches the index: 503 with the reason. (The page searched
    // above is still served from the search cache meanwhile: its results were right.)
    let fresh = format!("{QUERY}&sort=newest");
    let (status, html) = app.get(&fresh).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{html}");
    assert!(html.contains("搜索暂时不可用"), "the reader is told why");
    assert_eq!(
        app.get(QUERY).await.0,
        StatusCode::OK,
        "cached results still served"
    );
    let api = app
        .client
        .get(format!("{}/api/v1/search?q=%E8%81%94%E8%B5%9B", app.base))
        .send()
        .await
        .expect("api");
    assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(api.headers().contains_key("retry-after"));
    // The article page still works (its related list is left out meanwhile).
    assert_eq!(app.get(&format!("/a/{}", f.rich)).await.0, StatusCode::OK);

    // The background indexer's next pass replaces the index and rebuilds it.
    app.state.index_now().await.expect("rebuild");
    let (status, html) = app.get(&fresh).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&link), "found again after the rebuild");
}

#[tokio::test]
async fn a_deleted_index_folder_is_recreated_and_refilled() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    app.state.index_now().await.expect("index");
    let dir = app.state.config.search_dir.clone();
    std::fs::remove_dir_all(&dir).expect("delete the index folder");
    app.state.index_now().await.expect("rebuild");
    assert!(dir.join("meta.json").exists(), "recreated");
    let (status, html) = app.get(QUERY).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("href=\"/a/{}\"", f.rich)),
        "refilled from the database"
    );
}
