//! Search and 相关推荐 over HTTP: the page (highlights, filters, order, empty state, bad
//! parameters), the JSON API (highlight offsets), the index following the database through the
//! background task (a new article is found, a taken-down one is not), and related lists with
//! their reasons.

use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::support::{TestApp, creator_browser, seed};

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn api(app: &TestApp, query: &str) -> serde_json::Value {
    let (status, body) = app.get(&format!("/api/v1/search?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).expect("json")
}

fn ids(json: &serde_json::Value) -> Vec<i64> {
    json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_i64().expect("id"))
        .collect()
}

#[tokio::test]
async fn the_search_page_highlights_filters_and_explains_empty_results() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    // A word inside a longer word (测试 in 第N篇测试文章), five articles.
    let (status, html) = app.get(&format!("/search?q={}", enc("测试"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("共找到 5 篇文章"), "{html}");
    assert!(html.contains("第1篇<mark>测试</mark>文章"));
    // Channel filter, creator filter, newest order.
    let (_, sports) = app
        .get(&format!("/search?q={}&channel=sports", enc("测试")))
        .await;
    assert!(sports.contains("共找到 2 篇文章"), "{sports}");
    let (_, mine) = app
        .get(&format!(
            "/search?q={}&creator={}",
            enc("测试"),
            f.writer.slug
        ))
        .await;
    assert!(mine.contains("共找到 2 篇文章") && mine.contains("只看：绿茵笔记"));
    let (_, newest) = app
        .get(&format!("/search?q={}&sort=newest", enc("测试")))
        .await;
    let first = newest.find("第1篇").expect("1");
    let fifth = newest.find("第5篇").expect("5");
    assert!(
        first < fifth,
        "newest first: 第1篇 is 10 minutes old, 第5篇 50"
    );
    let (_, recent) = app
        .get(&format!("/search?q={}&within=day", enc("逆转")))
        .await;
    assert!(
        recent.contains("共找到 0 篇文章"),
        "the rich article is from March"
    );
    // Traditional characters find simplified text.
    let (_, trad) = app.get(&format!("/search?q={}", enc("決賽"))).await;
    assert!(trad.contains("共找到 1 篇文章"));
    // The empty state helps.
    let (_, none) = app.get(&format!("/search?q={}", enc("火星移民"))).await;
    assert!(none.contains("没有找到相关文章") && none.contains("用更短的关键词"));
    // Bad parameters are 400s that say how to fix them.
    for (query, hint) in [
        ("q=x&channel=nope", "channel=sports"),
        ("q=x&from=2026-13-40", "年-月-日"),
        ("q=x&sort=random", "newest"),
        ("q=x&within=decade", "week"),
        ("q=x&from=2026-03-02&to=2026-03-01", "起始日期晚于截止日期"),
    ] {
        let (status, body) = app.get(&format!("/search?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(body.contains(hint), "{query}: {body}");
    }
}

#[tokio::test]
async fn the_api_returns_highlight_offsets_in_characters() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let json = api(&app, &format!("q={}", enc("逆转"))).await;
    assert_eq!(json["total"], 1);
    let item = &json["items"][0];
    let title: Vec<char> = item["title"].as_str().expect("title").chars().collect();
    let [start, end] = [0, 1].map(|i| item["title_highlights"][0][i].as_u64().expect("n") as usize);
    assert_eq!(title[start..end].iter().collect::<String>(), "逆转");
    let snippet: Vec<char> = item["snippet"].as_str().expect("snippet").chars().collect();
    for r in item["snippet_highlights"].as_array().expect("ranges") {
        let (s, e) = (
            r[0].as_u64().expect("s") as usize,
            r[1].as_u64().expect("e") as usize,
        );
        assert_eq!(snippet[s..e].iter().collect::<String>(), "逆转");
    }
    let (status, body) = app.get("/api/v1/search?q=").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("q="));
    let (status, _) = app.get("/api/v1/search?q=x&per_page=500").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_index_follows_publishing_and_takedowns_through_the_change_feed() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let background = app.state.spawn_background();
    let writer = creator_browser(&app, "writer_s", "搜索测试号").await;
    let (status, location, body) = writer
        .post(
            "/studio/new",
            "/studio/new",
            &[
                ("title", "江城开通首条无人驾驶公交线路"),
                (
                    "body",
                    "今天上午，江城首条无人驾驶公交线路正式开通，全程十二公里。",
                ),
                ("channel", "tech"),
                ("declaration", "original"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let id: i64 = location.trim_start_matches("/a/").parse().expect("id");
    let query = format!("q={}", enc("无人驾驶"));
    // The background indexer runs every 250 ms: the article is searchable well within a second
    // on an idle machine; the loop allows more so a busy CI machine does not flake.
    let started = Instant::now();
    while !ids(&api(&app, &query).await).contains(&id) {
        assert!(started.elapsed() < Duration::from_secs(10), "not indexed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!("found {:?} after publishing", started.elapsed());
    app.store
        .take_down(id, None, "测试下架")
        .await
        .expect("down");
    let started = Instant::now();
    while ids(&api(&app, &query).await).contains(&id) {
        assert!(started.elapsed() < Duration::from_secs(10), "still found");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!("gone {:?} after the takedown", started.elapsed());
    background.abort();
}

#[tokio::test]
async fn related_lists_carry_reasons_and_never_the_article_itself() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let (_, html) = app.get(&format!("/a/{}", f.rich)).await;
    let start = html.find("related-heading").expect("related");
    let related = &html[start..start + html[start..].find("</section>").expect("end")];
    assert!(
        !related.contains(&format!("href=\"/a/{}\"", f.rich)),
        "never itself"
    );
    // The reason rides in the link's title, not as a line of debug-looking text.
    assert!(
        related.contains("title=\"推荐理由：同为「体育」"),
        "{related}"
    );
    assert!(!related.contains("class=\"reason\""));
}

/// Anonymous result pages are cached, but never past a change of the index: an article
/// indexed after a search was cached shows in the next search, with no snapshot rebuild between.
#[tokio::test]
async fn cached_search_pages_follow_the_index() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    app.refresh().await;
    let path = format!("/search?q={}", enc("量子纠缠"));
    let (status, before) = app.get(&path).await;
    assert_eq!(status, StatusCode::OK);
    let (_, again) = app.get(&path).await;
    assert_eq!(before, again, "the same page again");
    let ch = haowen_testkit::channel_id(&app.store, "科技").await;
    let id = app
        .store
        .create_article(&haowen_testkit::article(
            f.writer.id,
            ch,
            "量子纠缠实验取得新进展",
            "研究团队在量子纠缠实验中取得新进展。",
            60,
        ))
        .await
        .expect("article");
    assert!(!before.contains(&format!("href=\"/a/{id}\"")));
    // Only the indexer runs (as its background task would within 250 ms): no new snapshot.
    assert!(app.state.index_now().await.expect("index") > 0);
    let (_, after) = app.get(&path).await;
    assert!(
        after.contains(&format!("href=\"/a/{id}\"")),
        "found after indexing"
    );
}

/// The pager counts pages of the size shown (10), reaches the last hit, and a page past the
/// end is not there.
#[tokio::test]
async fn the_search_pager_reaches_the_last_hit() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let ch = haowen_testkit::channel_id(&app.store, "科技").await;
    let mut ids = Vec::new();
    for i in 0..25 {
        let id = app
            .store
            .create_article(&haowen_testkit::article(
                f.writer.id,
                ch,
                &format!("春耕备忘第{i}号"),
                "春耕时节，农机下田。",
                600 + i * 60,
            ))
            .await
            .expect("article");
        ids.push(id);
    }
    app.refresh().await;
    let base = format!("/search?q={}&sort=newest", enc("春耕备忘"));
    let (status, first) = app.get(&base).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        first.contains("共找到 25 篇文章，第 1 / 3 页"),
        "10 a page: 3 pages"
    );
    let (status, last) = app.get(&format!("{base}&page=3")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(last.contains("第 3 / 3 页"));
    // Newest first: the oldest five are on the last page, the very oldest among them.
    let oldest = ids.last().expect("ids");
    assert!(
        last.contains(&format!("href=\"/a/{oldest}\"")),
        "the 25th hit is reachable"
    );
    assert!(!last.contains("rel=\"next\""));
    assert_eq!(
        app.get(&format!("{base}&page=4")).await.0,
        StatusCode::NOT_FOUND
    );
    // A page size asked for is kept by the pager's links.
    let (_, sized) = app.get(&format!("{base}&per_page=20")).await;
    assert!(sized.contains("第 1 / 2 页"));
    let next = sized
        .replace("&#38;", "&")
        .replace("&amp;", "&")
        .contains("per_page=20&page=2");
    assert!(next, "the next-page link keeps per_page");
}
