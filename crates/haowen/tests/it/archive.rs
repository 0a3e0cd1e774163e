//! An imported archive looks like a news site: a one-source, undated archive (the THUCNews
//! shape) gets full lists, no empty channel in the navigation, no fake dates, clean titles,
//! tag pages and a paged 最新 — checked through the real importer and the real HTTP app.

use haowen::import::import_lines;
use haowen_testkit::web::TestApp;
use reqwest::StatusCode;

/// Channels of the fixture, with the words their articles share (so 相关推荐 has matter).
const CHANNELS: [(&str, &str); 3] = [
    ("体育", "球队 比赛 冠军 联赛 球员"),
    ("财经", "基金 市场 投资 股票 银行"),
    ("科技", "手机 芯片 网络 软件 数据"),
];
const PER_CHANNEL: usize = 14;

/// One source, no dates, no images, some portal boilerplate — as THUCNews arrives.
fn fixture() -> String {
    let mut lines = Vec::new();
    for (c, (channel, words)) in CHANNELS.iter().enumerate() {
        for i in 0..PER_CHANNEL {
            let title = match (c, i) {
                (1, 0) => "基金营销迎来变革机遇■ 今日视点Comment□".to_string(),
                (1, 1) => "地产交易活跃家装市场淡季不淡【".to_string(),
                (0, 0) => "组图：业余联赛决赛上演逆转(组图)".to_string(),
                _ => format!(
                    "{channel}新闻第{i}篇：{}",
                    words.split(' ').nth(i % 5).unwrap_or("")
                ),
            };
            let para = format!("{words}。这是{channel}第{i}篇的正文，讲述{words}的来龙去脉。");
            let body = format!("{para}\n{para}\n另一段：{words}。");
            lines.push(
                serde_json::json!({
                    "id": format!("thuc-{c}-{i}"),
                    "title": title,
                    "body": body,
                    "channel": channel,
                    "source": "新浪新闻",
                    "tags": [if i % 2 == 0 { "春耕" } else { "热点" }],
                })
                .to_string(),
            );
        }
    }
    lines.join("\n")
}

/// The part of `html` from `start` to the end of its section.
fn section<'a>(html: &'a str, start: &str) -> &'a str {
    let at = html.find(start).unwrap_or_else(|| panic!("no {start:?}"));
    let rest = &html[at..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

fn links(part: &str) -> usize {
    part.matches("href=\"/a/").count()
}

#[tokio::test]
async fn an_undated_one_source_archive_reads_like_a_news_site() {
    let app = TestApp::sqlite().await;
    let report = import_lines(
        &app.store,
        fixture().as_bytes(),
        true,
        None,
        |_, _, _| {},
        |_| {},
    )
    .await
    .map_err(|(_, e)| e)
    .expect("import");
    assert_eq!(report.imported, 42);
    assert_eq!(report.cleaned_titles, 3);
    assert_eq!(report.repeated_paragraphs, 42);
    app.refresh().await;
    app.state.index_now().await.expect("index");

    let (_, home) = app.get("/").await;
    assert!(
        links(section(&home, "id=\"headlines-heading\"")) >= 4,
        "头条 ≥ 4"
    );
    assert_eq!(
        links(section(&home, "id=\"hot-heading\"")),
        15,
        "热点推荐 full"
    );
    // Every channel in the navigation has articles; empty default channels are not there.
    let nav = &home[home.find("class=\"channel-nav\"").expect("nav")..];
    let nav = &nav[..nav.find("</nav>").expect("end")];
    for (slug, name) in [("sports", "体育"), ("money", "财经"), ("tech", "科技")] {
        assert!(
            nav.contains(&format!("/channel/{slug}\"")),
            "{name} in the nav"
        );
        let (_, page) = app.get(&format!("/channel/{slug}")).await;
        assert_eq!(
            links(section(&page, "class=\"box hot channel-hot\"")),
            10,
            "{name}'s hot list is full"
        );
    }
    assert!(
        !nav.contains("/channel/auto\""),
        "an empty channel is left out"
    );
    assert!(!home.contains("暂无文章"), "no empty boxes");

    // Titles are clean, and no page shows the import minute as the publication time.
    let (_, money) = app.get("/channel/money").await;
    assert!(money.contains(">基金营销迎来变革机遇</a>"), "clean title");
    assert!(money.contains(">地产交易活跃家装市场淡季不淡</a>"));
    assert!(!money.contains("今日视点") && !home.contains("(组图)"));
    let today =
        haowen_core::time::format_date(haowen_core::time::now(), haowen_core::time::DEFAULT_ZONE);
    let first = app
        .store
        .latest(haowen_core::time::now(), 0, 1)
        .await
        .expect("latest")
        .items[0]
        .id;
    let (status, article) = app.get(&format!("/a/{first}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(article.contains("发布时间不详"));
    if let Some(at) = article.find(&today) {
        panic!(
            "import time on the page: {}",
            &article[at.saturating_sub(100)..(at + 300).min(article.len())]
        );
    }
    assert!(!home.contains(&today) && !home.contains("分钟前") && !home.contains("刚刚"));
    // 相关推荐 is full although every article has the same source.
    assert_eq!(
        links(section(&article, "id=\"related-heading\"")),
        8,
        "相关推荐 full"
    );
    assert!(!section(&article, "id=\"related-heading\"").contains("class=\"reason\""));

    // Tags are links to their pages; 最新 goes back page by page.
    assert!(article.contains("href=\"/tag/"));
    let (status, tag) = app.get("/tag/%E6%98%A5%E8%80%95").await;
    assert_eq!(status, StatusCode::OK);
    assert!(tag.contains("共 21 篇文章") && tag.contains("/tag/%E6%98%A5%E8%80%95?page=2"));
    assert_eq!(
        app.get("/tag/%E6%97%A0%E6%AD%A4%E6%A0%87%E7%AD%BE").await.0,
        StatusCode::NOT_FOUND
    );
    // A search for a tag offers the tag's page.
    let (_, found) = app.get("/search?q=%E7%83%AD%E7%82%B9").await;
    assert!(
        found.contains("只看标签 <a class=\"tag\" href=\"/tag/%E7%83%AD%E7%82%B9\""),
        "tag filter"
    );
    let (status, second) = app.get("/?page=2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(links(section(&second, "id=\"latest-heading\"")) == 20);
    assert!(
        home.contains("href=\"/?page=2\""),
        "加载更多 without JavaScript"
    );
    assert_eq!(app.get("/?page=4").await.0, StatusCode::NOT_FOUND);
    // The navigation marks where the reader is.
    let (_, sports) = app.get("/channel/sports").await;
    assert!(sports.contains("href=\"/channel/sports\" aria-current=\"page\""));
}

#[tokio::test]
async fn dated_archives_with_pictures_show_their_times_and_thumbnails() {
    let app = TestApp::sqlite().await;
    let now = haowen_core::time::now();
    let zone = haowen_core::time::DEFAULT_ZONE;
    let local = |t: i64, fmt: &str| {
        use chrono::TimeZone;
        zone.timestamp_opt(t, 0)
            .single()
            .expect("time")
            .format(fmt)
            .to_string()
    };
    // Five shapes of time; every article has a picture (the demo's own illustrations).
    let times = [
        serde_json::json!(haowen_core::time::rfc3339(now - 3 * 3600)),
        serde_json::json!(local(now - 2 * 86_400, "%Y-%m-%d %H:%M:%S")),
        serde_json::json!(now - 3 * 86_400),
        serde_json::json!(((now - 4 * 86_400) * 1000).to_string()),
        serde_json::json!(local(now - 5 * 86_400, "%Y年%-m月%-d日 %H:%M")),
    ];
    let lines: Vec<String> = (0..20)
        .map(|i| {
            serde_json::json!({
                "id": format!("pic-{i}"),
                "title": format!("有图的新闻第{i}篇"),
                "body": "正文一段。",
                "channel": if i % 2 == 0 { "体育" } else { "财经" },
                "source": format!("来源{}", i % 4),
                "published_at": times[i % times.len()],
                "images": [format!("/media/demo/{}.svg", i % 6 + 1)],
            })
            .to_string()
        })
        .collect();
    let report = import_lines(
        &app.store,
        lines.join("\n").as_bytes(),
        true,
        None,
        |l, r, _| panic!("line {l}: {r}"),
        |_| {},
    )
    .await
    .map_err(|(_, e)| e)
    .expect("import");
    assert_eq!(report.imported, 20);
    app.refresh().await;
    let (_, home) = app.get("/").await;
    assert!(home.contains("3 小时前"), "the last day in relative time");
    assert!(
        home.contains(&local(now - 2 * 86_400, "%Y-%m-%d")),
        "older ones by date"
    );
    // Every list picture has its size, so nothing shifts as they load.
    let imgs: Vec<&str> = home.split("<img ").skip(1).collect();
    assert!(
        imgs.iter()
            .filter(|t| t.contains("class=\"cover\""))
            .count()
            >= 5,
        "covers in the lists"
    );
    for tag in imgs.iter().filter(|t| t.contains("class=\"cover\"")) {
        let tag = &tag[..tag.find('>').expect("end")];
        assert!(
            tag.contains("width=\"160\"")
                && tag.contains("height=\"90\"")
                && tag.contains("loading=\"lazy\""),
            "{tag}"
        );
    }
    // The first picture is the cover, and the article page keeps the full date and time.
    let first = app.store.latest(now, 0, 1).await.expect("latest").items[0].clone();
    assert!(
        first
            .cover_url
            .as_deref()
            .is_some_and(|c| c.starts_with("/media/demo/"))
    );
    let (_, page) = app.get(&format!("/a/{}", first.id)).await;
    assert!(page.contains(&local(first.published_at, "%Y-%m-%d %H:%M:%S")));
}
