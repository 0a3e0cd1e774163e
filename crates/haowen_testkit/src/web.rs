//! The test app (feature `web`): the real server on an ephemeral loopback port over a fresh
//! database, a reqwest "browser" with cookies and CSRF tokens, and a small seeded site.

use haowen_app::{AppConfig, Db};
use haowen_core::{Declaration, time};
use haowen_db::Store;
use haowen_web::{AppState, app};

use crate::{TestDb, article, channel_id, creator};
use reqwest::{StatusCode, redirect::Policy};

pub const BROWSER_UA: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub store: Store,
    pub client: reqwest::Client,
    pub db: TestDb,
    _media: tempfile::TempDir,
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        TestApp::start(TestDb::sqlite()).await
    }

    pub async fn postgres() -> Option<TestApp> {
        Some(TestApp::start(TestDb::postgres().await?).await)
    }

    pub async fn start(db: TestDb) -> TestApp {
        TestApp::start_with(db, |_| {}).await
    }

    /// Starts with a configuration changed by `tweak` (behind a proxy, an https public URL).
    pub async fn start_with(db: TestDb, tweak: impl FnOnce(&mut AppConfig)) -> TestApp {
        let store = db.store().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let media = tempfile::tempdir().expect("media dir");
        let mut config = AppConfig {
            public_url: format!("http://{addr}"),
            media_dir: media.path().join("media"),
            search_dir: media.path().join("search"),
            ..AppConfig::default()
        };
        tweak(&mut config);
        let state = AppState::new(Db::new(store.clone()), config)
            .await
            .expect("state");
        let router = app(state.clone());
        // The production listener, with its limits.
        tokio::spawn(haowen_web::server::serve(
            listener,
            router,
            haowen_web::server::ServeOptions {
                fast_lane: Some(haowen_web::fast_lane::FastLane::new(state.clone())),
                ..haowen_web::server::ServeOptions::default()
            },
            std::future::pending(),
        ));
        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            .user_agent(BROWSER_UA)
            .build()
            .expect("client");
        TestApp {
            base: format!("http://{addr}"),
            state,
            store,
            client,
            db,
            _media: media,
        }
    }

    /// GET `path`; returns status and body.
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        let status = res.status();
        (status, res.text().await.expect("body"))
    }

    /// Makes the app see database changes now (the background poller does this each second).
    pub async fn refresh(&self) {
        self.state.index_now().await.expect("index");
        self.state.refresh().await.expect("refresh");
    }
}

/// A small site: two creators, articles in several channels, one with rich Markdown.
pub struct Fixture {
    pub writer: haowen_core::Creator,
    pub other: haowen_core::Creator,
    /// The rich article (sports).
    pub rich: i64,
}

pub const RICH_BODY: &str = "第一段正文，讲述比赛经过。\n\n## 赛后采访\n\n> 我们从来没有放弃。\n\n![球员庆祝进球](/media/demo/2.svg \"终场前的庆祝\")\n\n- 第一点\n- 第二点\n\n最后一段。";

pub async fn seed(app: &TestApp) -> Fixture {
    let store = &app.store;
    let writer = creator(store, "绿茵笔记").await;
    let other = creator(store, "江城观察").await;
    for i in 0..3 {
        let fan = store
            .create_user(
                &format!("fan_{i}"),
                &format!("读者{i}"),
                "unused-hash",
                haowen_core::account::Role::Reader,
            )
            .await
            .expect("fan");
        store.follow(fan.id, writer.id).await.expect("follow");
    }
    let sports = channel_id(store, "体育").await;
    let mut rich = article(writer.id, sports, "业余联赛决赛上演逆转", RICH_BODY, 3600);
    rich.declaration = Declaration::Original;
    rich.tags = vec!["足球".into()];
    // 2026-03-02 01:39:00 UTC = 09:39:00 in Shanghai.
    rich.published_at = time::parse_rfc3339("2026-03-02T01:39:00Z").expect("time");
    let rich = store.create_article(&rich).await.expect("rich");
    let mut ids = vec![rich];
    for (i, (ch, who)) in [
        ("体育", &writer),
        ("体育", &other),
        ("财经", &other),
        ("教育", &writer),
        ("头条", &other),
    ]
    .iter()
    .enumerate()
    {
        let ch = channel_id(store, ch).await;
        let title = format!("第{}篇测试文章", i + 1);
        ids.push(
            store
                .create_article(&article(
                    who.id,
                    ch,
                    &title,
                    "正文内容。",
                    600 * (i as i64 + 1),
                ))
                .await
                .expect("article"),
        );
    }
    app.refresh().await;
    assert_eq!(ids.len(), 6);
    Fixture {
        writer,
        other,
        rich,
    }
}

/// A browser with its own cookie jar (one person's session). Clones share the jar.
#[derive(Clone)]
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            .cookie_store(true)
            .user_agent(BROWSER_UA)
            .build()
            .expect("client");
        Browser {
            base: app.base.clone(),
            client,
        }
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("get");
        let status = res.status();
        (status, res.text().await.expect("body"))
    }

    /// The CSRF token of the form on `page`.
    pub async fn csrf(&self, page: &str) -> String {
        let (_, html) = self.get(page).await;
        let at = html
            .find("name=\"_csrf\" value=\"")
            .expect("form has a CSRF token")
            + 20;
        html[at..at + html[at..].find('"').expect("end")].to_string()
    }

    /// Posts a form (with the token from `form_page`) and returns status, Location and body.
    pub async fn post(
        &self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String, String) {
        let token = self.csrf(form_page).await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("_csrf", &token));
        self.post_raw(action, &all).await
    }

    pub async fn post_raw(
        &self,
        action: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String, String) {
        let res = self
            .client
            .post(format!("{}{action}", self.base))
            .form(fields)
            .send()
            .await
            .expect("post");
        let status = res.status();
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        (status, location, res.text().await.expect("body"))
    }

    /// Signs up and stays signed in.
    pub async fn sign_up(&self, username: &str, display_name: &str, password: &str) {
        let (status, location, body) = self
            .post(
                "/signup",
                "/signup",
                &[
                    ("username", username),
                    ("display_name", display_name),
                    ("password", password),
                    ("password_again", password),
                ],
            )
            .await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/me"),
            "{body}"
        );
    }
}

/// A signed-in creator: signs up, applies, and is approved by a fresh editor account.
pub async fn creator_browser(app: &TestApp, username: &str, name: &str) -> Browser {
    let b = Browser::new(app);
    b.sign_up(username, name, "江城好文2026").await;
    let user = app
        .store
        .user_for_sign_in(username)
        .await
        .expect("user")
        .expect("exists")
        .0;
    let channel = app.store.channel_by_slug("tech").await.expect("channel");
    let id = app
        .store
        .create_application(&haowen_db::NewApplication {
            avatar_url: String::new(),
            user_id: user.id,
            display_name: name.to_string(),
            bio: format!("{name}的简介"),
            channel_id: channel.id,
            sample: "代表作".repeat(10),
            contact: "c@example.com".into(),
        })
        .await
        .expect("apply");
    let editor = app
        .store
        .create_user(
            &format!("ed_{username}"),
            "编辑",
            "unused",
            haowen_core::account::Role::Editor,
        )
        .await
        .expect("editor");
    app.store
        .approve_application(id, editor.id)
        .await
        .expect("approve");
    b
}
