//! A hot story: hundreds of signed-in readers comment at the same moment. Every post is
//! answered with a redirect (committed) — none fails — and every comment is stored exactly
//! once; one reader posting the same words thirty times at once stores them once; an
//! anonymous reader reading throughout is always served, and sees all the 跟贴 shortly after.
//! Runs on SQLite and PostgreSQL.

use std::collections::HashMap;

use haowen_core::account::{Role, new_token, token_digest};
use haowen_testkit::Peek;
use reqwest::StatusCode;

use crate::support::{TestApp, seed};

/// Readers posting at once.
const READERS: usize = 200;

/// A signed-in client: a session made in the store (signing 200 people in through the form
/// would only exercise the sign-in throttle), its cookie and CSRF token.
async fn reader(app: &TestApp, i: usize) -> (reqwest::Client, String) {
    let user = app
        .store
        .create_user(
            &format!("spike_{i}"),
            &format!("读者{i}"),
            "h",
            Role::Reader,
        )
        .await
        .expect("user");
    let token = new_token().expect("token");
    let csrf = new_token().expect("csrf");
    app.store
        .create_session(
            &token_digest(&token),
            user.id,
            &csrf,
            haowen_core::time::now() + 3600,
        )
        .await
        .expect("session");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "cookie",
        format!("hw_session={token}").parse().expect("cookie"),
    );
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .expect("client");
    (client, csrf)
}

async fn spike(app: TestApp) {
    let f = seed(&app).await;
    let action = format!("{}/a/{}/comments", app.base, f.rich);
    let mut readers = Vec::new();
    for i in 0..READERS {
        readers.push(reader(&app, i).await);
    }
    // An anonymous reader has the page cached before and reads it throughout.
    let page = format!("{}/a/{}", app.base, f.rich);
    let anonymous = reqwest::Client::new();
    let before = anonymous.get(&page).send().await.expect("page");
    assert_eq!(before.status(), StatusCode::OK);
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reading = {
        let (anonymous, page, done) = (anonymous.clone(), page.clone(), done.clone());
        tokio::spawn(async move {
            let mut statuses = Vec::new();
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                let status = anonymous.get(&page).send().await.map(|r| r.status());
                statuses.push(status.map_err(|e| e.to_string()));
            }
            statuses
        })
    };
    // Everyone at once.
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (client, csrf)) in readers.iter().cloned().enumerate() {
        let action = action.clone();
        tasks.spawn(async move {
            let body = format!("第{i}位读者：现场太精彩了");
            let status = client
                .post(&action)
                .form(&[("body", body.as_str()), ("_csrf", csrf.as_str())])
                .send()
                .await
                .map(|r| r.status())
                .map_err(|e| e.to_string());
            (body, status)
        });
    }
    let results = tasks.join_all().await;
    let mut statuses: HashMap<String, usize> = HashMap::new();
    for (_, status) in &results {
        *statuses.entry(format!("{status:?}")).or_default() += 1;
    }
    assert!(
        results
            .iter()
            .all(|(_, s)| matches!(s, Ok(s) if *s == StatusCode::SEE_OTHER)),
        "every post committed and redirected: {statuses:?}"
    );
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let reads = reading.await.expect("reader");
    assert!(
        reads
            .iter()
            .all(|s| matches!(s, Ok(s) if *s == StatusCode::OK)),
        "the page kept being served during the spike: {reads:?}"
    );
    // The hot story's page is marked stale within 100 ms of the last 跟贴 and rendered anew by
    // the next reader (the snapshot the change poller builds within a second also renews it).
    let shown = format!("跟贴 <span class=\"count\">({READERS})</span>");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let html = anonymous
            .get(&page)
            .send()
            .await
            .expect("page")
            .text()
            .await;
        if html.expect("body").contains(&shown) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the page never showed {shown}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let mut peek = Peek::open(&app.db).await;
    for (body, _) in &results {
        let sql = format!("SELECT CAST(COUNT(*) AS TEXT) FROM comments WHERE body = '{body}'");
        assert_eq!(peek.text(&sql).await, "1", "{body} stored once");
    }
    assert_eq!(
        app.store.article(f.rich).await.expect("a").comments,
        READERS as i64,
        "the count kept in step"
    );
    removed_at_once_on_a_hot_story(&app, &readers, &page, &mut peek).await;

    // One reader, thirty identical posts at once: one is stored, the rest are refused.
    let (client, csrf) = readers[0].clone();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..30 {
        let (client, csrf, action) = (client.clone(), csrf.clone(), action.clone());
        tasks.spawn(async move {
            client
                .post(&action)
                .form(&[("body", "顶！顶！顶！"), ("_csrf", csrf.as_str())])
                .send()
                .await
                .expect("post")
                .status()
        });
    }
    let statuses = tasks.join_all().await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::SEE_OTHER)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert_eq!(
        peek.text("SELECT CAST(COUNT(*) AS TEXT) FROM comments WHERE body = '顶！顶！顶！'")
            .await,
        "1"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundreds_comment_at_once_sqlite() {
    spike(TestApp::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundreds_comment_at_once_postgres() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    spike(app).await;
}

/// A removal is never served again, even on a hot story (whose pages are otherwise refreshed
/// every 100 ms): a burst of changes makes the story hot, the page is cached, and the author
/// deletes a 跟贴 it shows; the very next read does not show it.
async fn removed_at_once_on_a_hot_story(
    app: &TestApp,
    readers: &[(reqwest::Client, String)],
    page: &str,
    peek: &mut Peek,
) {
    let anonymous = reqwest::Client::new();
    let read = || async {
        anonymous
            .get(page)
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("body")
    };
    let html = read().await;
    let (author, body) = (0..READERS)
        .map(|i| (i, format!("第{i}位读者：现场太精彩了")))
        .find(|(_, body)| html.contains(body.as_str()))
        .expect("a 跟贴 shown on the page");
    let id = peek
        .text(&format!(
            "SELECT CAST(id AS TEXT) FROM comments WHERE body = '{body}'"
        ))
        .await;
    // Thirty changes within a moment (what a burst of 跟贴 and likes does): the story is hot.
    let article: i64 = page
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("id");
    for _ in 0..30 {
        app.state.after(haowen_app::Change::Article(article)).await;
    }
    assert!(read().await.contains(&body), "shown, and cached again");
    let (client, csrf) = &readers[author];
    let res = client
        .post(format!("{}/comments/{id}/delete", app.base))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        !read().await.contains(&body),
        "the removed 跟贴 is gone at once"
    );
}
