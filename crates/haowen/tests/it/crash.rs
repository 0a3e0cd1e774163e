//! Every acknowledged write survives a crash: a stream of concurrent writes (sign-ins, 跟贴,
//! follows, publishes) against `haowen serve`, the server killed with SIGKILL at a random
//! moment, restarted, and every write that was answered with success found — several rounds,
//! then `PRAGMA integrity_check`.

use std::{
    collections::HashSet,
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::Duration,
};

use haowen_core::account::{Role, hash_password};
use serde_json::{Value, json};

const PASSWORD: &str = "江城好文2026";
const READERS: usize = 16;
const CREATORS: usize = 4;
const ROUNDS: usize = 4;

/// A tiny seeded generator (the seed is printed, so a failing run can be repeated).
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// What the server acknowledged, to be found after every crash.
#[derive(Default)]
struct Acked {
    /// (username, session cookie value)
    sessions: Vec<(String, String)>,
    comments: Vec<String>,
    /// (username, creator slug)
    follows: Vec<(String, String)>,
    /// article ids
    published: Vec<i64>,
}

/// A running server, killed (SIGKILL) when dropped — also when a test panics.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn start(data: &Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_haowen"))
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("HAOWEN_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(if std::env::var_os("HAOWEN_TEST_SERVER_LOG").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .spawn()
        .expect("start haowen serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .expect("line");
        if let Some(rest) = line.split("is serving ").nth(1) {
            break rest.split_whitespace().next().expect("url").to_string();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (Server(child), url)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

/// Signs in through the API; the session cookie and CSRF token when acknowledged.
pub async fn sign_in(base: &str, username: &str) -> Option<(String, String)> {
    let res = client()
        .post(format!("{base}/api/v1/session"))
        .json(&json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
        .ok()?;
    if res.status() != 200 {
        return None;
    }
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("hw_session="))?
        .split(';')
        .next()?
        .to_string();
    let body: Value = res.json().await.ok()?;
    Some((cookie, body["csrf_token"].as_str()?.to_string()))
}

/// Prepares readers, creators (with approved applications) and an editor in the database.
async fn prepare(data: &Path) -> (Vec<String>, Vec<(String, String)>, i64) {
    let store = crate::demo_site(data).await;
    let hash = hash_password(PASSWORD).expect("hash");
    let editor = store
        .create_user("crash_editor", "编辑", &hash, Role::Editor)
        .await
        .expect("editor");
    let tech = store.channel_by_slug("tech").await.expect("tech").id;
    let mut readers = Vec::new();
    for i in 0..READERS {
        let name = format!("crash_reader{i}");
        store
            .create_user(&name, &format!("读者{i}"), &hash, Role::Reader)
            .await
            .expect("reader");
        readers.push(name);
    }
    let mut creators = Vec::new();
    for i in 0..CREATORS {
        let name = format!("crash_writer{i}");
        let user = store
            .create_user(&name, &format!("写作者{i}"), &hash, Role::Reader)
            .await
            .expect("writer");
        let app = store
            .create_application(&haowen_db::NewApplication {
                avatar_url: String::new(),
                user_id: user.id,
                display_name: format!("崩溃测试作者{i}"),
                bio: "一位写作者的简介".into(),
                channel_id: tech,
                sample: "代表作".repeat(10),
                contact: "c@example.com".into(),
            })
            .await
            .expect("application");
        let creator_id = store
            .approve_application(app, editor.id)
            .await
            .expect("approve");
        let slug = store.creator(creator_id).await.expect("creator").slug;
        creators.push((name, slug));
    }
    let article = store
        .index_rows(0, 1)
        .await
        .expect("articles")
        .first()
        .expect("a demo article")
        .id;
    store.close().await;
    (readers, creators, article)
}

/// One round of writers until the server dies; records what was acknowledged.
async fn write_until_killed(
    base: String,
    readers: &[String],
    creators: &[(String, String)],
    article: i64,
    acked: Arc<Mutex<Acked>>,
    round: usize,
    seed: u64,
) {
    let mut tasks = tokio::task::JoinSet::new();
    for (w, name) in readers
        .iter()
        .chain(creators.iter().map(|c| &c.0))
        .enumerate()
    {
        let (base, name, acked) = (base.clone(), name.clone(), Arc::clone(&acked));
        let creators: Vec<String> = creators.iter().map(|c| c.1.clone()).collect();
        let is_creator = w >= readers.len();
        tasks.spawn(async move {
            let Some((cookie, csrf)) = sign_in(&base, &name).await else {
                return;
            };
            acked
                .lock()
                .expect("lock")
                .sessions
                .push((name.clone(), cookie.clone()));
            let http = client();
            let mut rng = Lcg(seed ^ ((w as u64 + 1) * 7919));
            for n in 0.. {
                let cookie_header = format!("hw_session={cookie}");
                match (is_creator, rng.below(3)) {
                    (true, _) => {
                        let title = format!("第{round}轮第{n}篇：{name}的快讯");
                        let res = http
                            .post(format!("{base}/api/v1/articles"))
                            .header("cookie", &cookie_header)
                            .header("x-csrf-token", &csrf)
                            .json(&json!({
                                "title": title, "body": "崩溃测试中发布的正文，内容足够长。",
                                "channel": "tech", "declaration": "original", "action": "publish",
                            }))
                            .send()
                            .await;
                        let Ok(res) = res else { return };
                        if res.status() == 201
                            && let Ok(v) = res.json::<Value>().await
                            && let Some(id) = v["id"].as_i64()
                        {
                            acked.lock().expect("lock").published.push(id);
                        }
                    }
                    (false, 0 | 1) => {
                        let body = format!("第{round}轮{name}的第{n}条跟贴");
                        let res = http
                            .post(format!("{base}/a/{article}/comments"))
                            .header("cookie", &cookie_header)
                            .form(&[("body", body.as_str()), ("_csrf", csrf.as_str())])
                            .send()
                            .await;
                        let Ok(res) = res else { return };
                        if res.status() == 303 {
                            acked.lock().expect("lock").comments.push(body);
                        }
                    }
                    (false, _) => {
                        let slug = &creators[rng.below(creators.len() as u64) as usize];
                        let res = http
                            .put(format!("{base}/api/v1/creators/{slug}/follow"))
                            .header("cookie", &cookie_header)
                            .header("x-csrf-token", &csrf)
                            .send()
                            .await;
                        let Ok(res) = res else { return };
                        if res.status() == 200 {
                            acked
                                .lock()
                                .expect("lock")
                                .follows
                                .push((name.clone(), slug.clone()));
                        }
                    }
                }
            }
        });
    }
    // Writers run until the server is killed under them.
    while tasks.join_next().await.is_some() {}
}

/// Finds every acknowledged write in the database and through the restarted server.
async fn verify(data: &Path, base: &str, acked: &Acked) {
    let url = format!("sqlite:{}", data.join("haowen.db").display());
    sqlx::any::install_default_drivers();
    let mut db = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .expect("db");
    for body in &acked.comments {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM comments WHERE body = $1")
            .bind(body)
            .fetch_one(&mut db)
            .await
            .expect("count");
        assert_eq!(n, 1, "acknowledged comment {body:?} stored once");
    }
    for (user, slug) in &acked.follows {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM follows f JOIN users u ON u.id = f.user_id \
             JOIN creators c ON c.id = f.creator_id WHERE u.username = $1 AND c.slug = $2",
        )
        .bind(user)
        .bind(slug)
        .fetch_one(&mut db)
        .await
        .expect("count");
        assert_eq!(n, 1, "acknowledged follow {user} → {slug}");
    }
    let http = client();
    for id in &acked.published {
        let status = http
            .get(format!("{base}/a/{id}"))
            .send()
            .await
            .expect("get")
            .status();
        assert_eq!(status, 200, "acknowledged article {id}");
    }
    let live: HashSet<&str> = acked.sessions.iter().map(|s| s.1.as_str()).collect();
    for cookie in live {
        let status = http
            .get(format!("{base}/me"))
            .header("cookie", format!("hw_session={cookie}"))
            .send()
            .await
            .expect("get")
            .status();
        assert_eq!(status, 200, "an acknowledged sign-in's session survives");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let (readers, creators, article) = prepare(data).await;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1);
    eprintln!("crash test seed {seed}");
    let mut rng = Lcg(seed);
    let acked = Arc::new(Mutex::new(Acked::default()));
    for round in 0..ROUNDS {
        let (mut server, base) = start(data);
        if round > 0 {
            let snapshot = std::mem::take(&mut *acked.lock().expect("lock"));
            verify(data, &base, &snapshot).await;
            *acked.lock().expect("lock") = snapshot;
        }
        let kill_after = Duration::from_millis(400 + rng.below(1200));
        let writers = write_until_killed(
            base.clone(),
            &readers,
            &creators,
            article,
            Arc::clone(&acked),
            round,
            seed.wrapping_add(round as u64),
        );
        let killer = async {
            tokio::time::sleep(kill_after).await;
            server.0.kill().expect("SIGKILL");
            server.0.wait().expect("reaped");
        };
        tokio::join!(writers, killer);
        let a = acked.lock().expect("lock");
        eprintln!(
            "round {round}: killed after {kill_after:?}; acknowledged so far: {} sessions, {} comments, {} follows, {} articles",
            a.sessions.len(),
            a.comments.len(),
            a.follows.len(),
            a.published.len()
        );
    }
    let (server, base) = start(data);
    let snapshot = std::mem::take(&mut *acked.lock().expect("lock"));
    verify(data, &base, &snapshot).await;
    assert!(
        !snapshot.comments.is_empty() && !snapshot.published.is_empty(),
        "the stream wrote something to check"
    );
    drop(server);
    let url = format!("sqlite:{}", data.join("haowen.db").display());
    let mut db = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .expect("db");
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&mut db)
        .await
        .expect("integrity check");
    assert_eq!(check, "ok");
}
