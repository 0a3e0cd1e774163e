//! `haowen bench writes`: a hot story's comment spike against a real `haowen serve` on
//! loopback. For each N, N signed-in readers post one comment each at the same moment, alone
//! and then while `wrk` reads the article page; printed: acknowledged and failed posts, write
//! p50/p99, and the reads per second and read p99 with and without the writes. Then two
//! attacks on the listener: thousands of idle connections, and slowloris connections — and
//! how long a normal GET takes meanwhile. Everything runs on 127.0.0.1 and stops by itself.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context as _, bail};
use haowen_core::account::{Role, new_token, token_digest};
use tokio::io::AsyncWriteExt;

use crate::commands::synthetic::percentile;

/// Kills the server when dropped.
pub(crate) struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn start(data: &std::path::Path) -> anyhow::Result<(Server, String)> {
    start_on(data, None)
}

/// `haowen serve` on a free loopback port, on `database_url` when given (else SQLite in `data`).
pub(crate) fn start_on(
    data: &std::path::Path,
    database_url: Option<&str>,
) -> anyhow::Result<(Server, String)> {
    let mut command = Command::new(std::env::current_exe()?);
    if let Some(url) = database_url {
        command.env("HAOWEN_DATABASE_URL", url);
    }
    let mut child = command
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("HAOWEN_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("starting haowen serve")?;
    let stdout = child.stdout.take().context("stdout")?;
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines.next().context("the server stopped")??;
        if let Some(rest) = line.split("is serving ").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Ok((server, url))
}

/// `wrk` on `url` for `secs`: (requests per second, p99 latency in ms).
pub(crate) fn wrk(url: &str, secs: u64) -> anyhow::Result<(f64, f64)> {
    let out = Command::new("wrk")
        .args([
            "-t1",
            "-c64",
            &format!("-d{secs}s"),
            "--latency",
            "--timeout",
            "5s",
        ])
        .args(["-H", "User-Agent: Mozilla/5.0 (bench) Chrome/126.0"])
        .arg(url)
        .output()
        .context("running wrk (apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if text.contains("Non-2xx") || text.contains("Socket errors") {
        bail!("wrk saw errors reading {url}:\n{text}");
    }
    let rps = text
        .lines()
        .find(|l| l.starts_with("Requests/sec:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0.0);
    let p99 = text
        .lines()
        .find(|l| l.trim_start().starts_with("99%"))
        .and_then(|l| l.split_whitespace().nth(1))
        .map(wrk_ms)
        .unwrap_or(0.0);
    Ok((rps, p99))
}

/// `1.23ms`, `845.00us`, `1.01s` → milliseconds.
fn wrk_ms(v: &str) -> f64 {
    let num = |s: &str| s.parse::<f64>().unwrap_or(0.0);
    if let Some(x) = v.strip_suffix("ms") {
        num(x)
    } else if let Some(x) = v.strip_suffix("us") {
        num(x) / 1000.0
    } else if let Some(x) = v.strip_suffix('s') {
        num(x) * 1000.0
    } else {
        num(v)
    }
}

/// One spike: every reader posts once at the same moment. (acknowledged, failed, sorted times)
async fn spike(
    base: &str,
    article: i64,
    readers: &[(String, String)],
    round: &str,
) -> (usize, String, Vec<Duration>) {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (token, csrf)) in readers.iter().cloned().enumerate() {
        let url = format!("{base}/a/{article}/comments");
        let body = format!("{round}：第{i}位读者的跟贴");
        tasks.spawn(async move {
            let client = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(60))
                .build()
                .ok()?;
            let t = Instant::now();
            let res = client
                .post(url)
                .header("cookie", format!("hw_session={token}"))
                .form(&[("body", body.as_str()), ("_csrf", csrf.as_str())])
                .send()
                .await
                .ok()?;
            Some((res.status().as_u16(), t.elapsed()))
        });
    }
    let mut times = Vec::new();
    let mut ok = 0;
    let mut failed: std::collections::BTreeMap<String, usize> = Default::default();
    for r in tasks.join_all().await {
        match r {
            Some((303, t)) => {
                ok += 1;
                times.push(t);
            }
            Some((status, _)) => *failed.entry(status.to_string()).or_default() += 1,
            None => *failed.entry("no answer".into()).or_default() += 1,
        }
    }
    times.sort();
    let failed = if failed.is_empty() {
        "0".to_string()
    } else {
        failed
            .iter()
            .map(|(k, v)| format!("{v} × {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    (ok, failed, times)
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// A normal GET's time while `hold` connections sit open (idle, or dripping a header).
async fn get_time(base: &str) -> String {
    let t = Instant::now();
    match reqwest::Client::new()
        .get(format!("{base}/healthz"))
        .timeout(Duration::from_secs(10))
        .send()
        .await
    {
        Ok(r) if r.status().is_success() => format!("{:.1} ms", t.elapsed().as_secs_f64() * 1000.0),
        Ok(r) => format!(
            "{} after {:.0} ms",
            r.status(),
            t.elapsed().as_secs_f64() * 1000.0
        ),
        Err(e) => format!("failed: {e}"),
    }
}

/// `count` readers with live sessions: (session token, CSRF token) each.
pub(crate) async fn signed_in_readers(
    store: &haowen_db::Store,
    count: usize,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut readers = Vec::with_capacity(count);
    for i in 0..count {
        let user = store
            .create_user(
                &format!("bench_reader{i}"),
                &format!("读者{i}"),
                "h",
                Role::Reader,
            )
            .await?;
        let token = new_token().map_err(anyhow::Error::msg)?;
        let csrf = new_token().map_err(anyhow::Error::msg)?;
        store
            .create_session(
                &token_digest(&token),
                user.id,
                &csrf,
                haowen_core::time::now() + 86_400,
            )
            .await?;
        readers.push((token, csrf));
    }
    Ok(readers)
}

pub async fn run(
    users: Vec<usize>,
    read_secs: u64,
    idle: usize,
    slow: usize,
) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("haowen-bench-writes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let store =
        haowen_db::Store::open(&format!("sqlite:{}", dir.join("haowen.db").display())).await?;
    crate::demo::seed_if_empty(&store).await?;
    let article = store
        .index_rows(0, 1)
        .await?
        .first()
        .context("an article")?
        .id;
    // Every run has readers of its own: the same reader posting again within a minute would meet
    // the comment burst limit (5 a minute), which is a refusal by rule, not a failed write.
    let total: usize = users.iter().map(|n| n * 2).sum();
    let readers = signed_in_readers(&store, total).await?;
    store.close().await;
    let (_server, base) = start(&dir)?;
    let page = format!("{base}/a/{article}");
    println!("haowen bench writes: SQLite, loopback, a demo site; each reader posts one comment");
    println!();
    println!(
        "| case | acknowledged | failed | write p50 | write p99 | article reads/s | read p99 |"
    );
    println!("|---|---|---|---|---|---|---|");
    // A warm-up first: the first second of a fresh server (cold caches, connections opening)
    // put 107 ms into the baseline's p99 that no later round has.
    wrk(&page, 2)?;
    let (base_rps, base_p99) = wrk(&page, read_secs)?;
    println!(
        "| reads alone (wrk -t1 -c64, {read_secs} s) | — | — | — | — | {base_rps:.0} | {base_p99:.1} ms |"
    );
    let mut next = 0;
    for &n in &users {
        let group = &readers[next..next + n];
        next += n;
        let (ok, failed, times) = spike(&base, article, group, &format!("{n}人同时")).await;
        println!(
            "| {n} writers at once | {ok} | {failed} | {} | {} | — | — |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        );
        // The same, while wrk reads the article page.
        let reads = {
            let page = page.clone();
            std::thread::spawn(move || wrk(&page, read_secs))
        };
        tokio::time::sleep(Duration::from_millis(500)).await;
        let group = &readers[next..next + n];
        next += n;
        let (ok, failed, times) = spike(&base, article, group, &format!("{n}人边读边写")).await;
        let (rps, p99) = reads.join().map_err(|_| anyhow::anyhow!("wrk thread"))??;
        println!(
            "| {n} writers at once, under the read load | {ok} | {failed} | {} | {} | {rps:.0} | {p99:.1} ms |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        );
    }
    // `--idle 0 --slow 0` (bench/run's quick pass) leaves the attack out rather than print
    // rows that measured nothing.
    if idle > 0 || slow > 0 {
        listener_attack(&base, idle, slow).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A normal request's time while `idle` connections are held open and then while `slow`
/// slowloris connections drip a header line every 2 s.
async fn listener_attack(base: &str, idle: usize, slow: usize) {
    println!();
    println!("| listener attack | a normal GET /healthz meanwhile |");
    println!("|---|---|");
    println!("| none | {} |", get_time(base).await);
    let addr = base.trim_start_matches("http://").to_string();
    let mut held = Vec::new();
    for _ in 0..idle {
        match tokio::net::TcpStream::connect(&addr).await {
            Ok(s) => held.push(s),
            Err(_) => break,
        }
    }
    println!(
        "| {} idle connections held open | {} |",
        held.len(),
        get_time(base).await
    );
    drop(held);
    let mut dripping = Vec::new();
    for _ in 0..slow {
        if let Ok(mut s) = tokio::net::TcpStream::connect(&addr).await
            && s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.is_ok()
        {
            dripping.push(s);
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    for s in dripping.iter_mut() {
        let _ = s.write_all(b"X-a: b\r\n").await;
    }
    println!(
        "| {} slowloris connections (a header line every 2 s) | {} |",
        dripping.len(),
        get_time(base).await
    );
    drop(dripping);
}
