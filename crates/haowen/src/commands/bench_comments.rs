//! `haowen bench comments --writers 64 --secs 10 --rates 0,1000 [--postgres URL]`: sustained 跟贴
//! throughput. `writers` signed-in readers post to one hot story for `secs` seconds, without
//! pause (rate 0: what the server takes) or paced to a total rate (each
//! account posts at most the burst limit, then the writer takes the next account, so no post
//! is refused by rule), alone and then in three windows while `wrk` reads the article page,
//! each window between two of reads alone. Printed: comments acknowledged per second, failures,
//! write p50/p99, and article reads per second with and without the writes (the median ratio
//! of each window to the reads alone around it). Against a real `haowen serve` on loopback, on
//! SQLite and, when a URL is given, on a fresh PostgreSQL database (dropped afterwards).

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::Context as _;
use haowen_app::comments::BURST_COMMENTS;

use crate::commands::{
    bench_writes::{ms, signed_in_readers, start_on, wrk},
    synthetic::percentile,
};

/// Posts a second flat out may reach, to size the pool of accounts (SQLite took 8,153/s on the
/// 2-core machine; with 4,000 the flat-out run used every account up and the next round posted
/// nothing).
const MAX_RATE: usize = 16_000;

/// Windows of reads under the writes, each between two windows of reads alone.
const CYCLES: usize = 3;

#[derive(Default)]
struct Round {
    acknowledged: usize,
    failed: usize,
    /// Writers that stopped early because every account had posted its burst.
    out_of_accounts: usize,
    secs: f64,
    times: Vec<Duration>,
}

impl Round {
    /// Adds another round's posts (its times unsorted: sort before reading percentiles).
    fn add(&mut self, other: Round) {
        self.acknowledged += other.acknowledged;
        self.failed += other.failed;
        self.out_of_accounts += other.out_of_accounts;
        self.secs += other.secs;
        self.times.extend(other.times);
    }
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// `writers` tasks posting for `secs`; accounts handed out from `next`.
async fn round(
    base: &str,
    article: i64,
    readers: Arc<Vec<(String, String)>>,
    next: Arc<AtomicUsize>,
    writers: usize,
    secs: u64,
    rate: usize,
) -> Round {
    let started = Instant::now();
    // Each writer's pause between posts for `rate` posts a second in all (none: flat out).
    let every = (rate > 0).then(|| Duration::from_secs_f64(writers as f64 / rate as f64));
    let until = started + Duration::from_secs(secs);
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..writers {
        let (readers, next, base, path) = (
            Arc::clone(&readers),
            Arc::clone(&next),
            base.to_string(),
            format!("/a/{article}/comments"),
        );
        tasks.spawn(async move {
            let mut poster = crate::commands::bench_poster::Poster::new(&base, &path);
            let (mut times, mut failed) = (Vec::new(), 0usize);
            let mut tick = every.map(|d| {
                let mut t = tokio::time::interval_at(
                    tokio::time::Instant::now() + d.mul_f64(w as f64 / writers as f64),
                    d,
                );
                t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                t
            });
            'accounts: while Instant::now() < until {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((token, csrf)) = readers.get(i) else {
                    return (times, failed, true);
                };
                for n in 0..BURST_COMMENTS {
                    if Instant::now() >= until {
                        break 'accounts;
                    }
                    if let Some(t) = tick.as_mut() {
                        t.tick().await;
                    }
                    let body = format!("第{w}号写手·账号{i}·第{n}条跟贴");
                    let t = Instant::now();
                    let res = poster
                        .post(
                            &format!("hw_session={token}"),
                            &[("body", body.as_str()), ("_csrf", csrf.as_str())],
                        )
                        .await;
                    match res {
                        Ok(303) => times.push(t.elapsed()),
                        _ => failed += 1,
                    }
                }
            }
            (times, failed, false)
        });
    }
    let mut all = Vec::new();
    let (mut failed, mut out_of_accounts) = (0, 0);
    for (times, f, out) in tasks.join_all().await {
        all.extend(times);
        failed += f;
        out_of_accounts += usize::from(out);
    }
    all.sort();
    Round {
        acknowledged: all.len(),
        failed,
        out_of_accounts,
        secs: started.elapsed().as_secs_f64(),
        times: all,
    }
}

fn with_rate(backend: &str, rate: usize) -> String {
    if rate == 0 {
        format!("{backend}, flat out")
    } else {
        format!("{backend}, paced at {rate}/s")
    }
}

fn row(label: &str, r: &Round, reads: &str) -> String {
    // A writer out of accounts stops posting: the rate is then the bench's limit, not the
    // server's, and says so.
    let short = match r.out_of_accounts {
        0 => String::new(),
        n => format!(" ({n} writers ran out of accounts: not the server's rate)"),
    };
    format!(
        "| {label} | **{:.0}**{short} | {} | {} | {} | {reads} |",
        r.acknowledged as f64 / r.secs,
        r.failed,
        ms(percentile(&r.times, 0.5)),
        ms(percentile(&r.times, 0.99)),
    )
}

async fn backend(
    label: &str,
    database_url: Option<&str>,
    writers: usize,
    secs: u64,
    rate: usize,
) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("haowen-bench-comments-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let url = database_url
        .map(str::to_string)
        .unwrap_or_else(|| format!("sqlite:{}", dir.join("haowen.db").display()));
    let store = haowen_db::Store::open(&url).await?;
    crate::demo::seed_if_empty(&store).await?;
    let article = store
        .index_rows(0, 1)
        .await?
        .first()
        .context("an article")?
        .id;
    // The write rounds: alone for `secs`, then CYCLES under reads of `secs` each; each at
    // most MAX_RATE posts a second flat out (the pace, with room, when paced), BURST_COMMENTS
    // per account.
    let per_sec = if rate == 0 { MAX_RATE } else { rate + rate / 4 };
    let accounts = (1 + CYCLES) * per_sec * secs as usize / BURST_COMMENTS + writers * 2;
    let readers = Arc::new(signed_in_readers(&store, accounts).await?);
    store.close().await;
    let (_server, base) = start_on(&dir, database_url)?;
    let page = format!("{base}/a/{article}");
    let next = Arc::new(AtomicUsize::new(0));
    // Warm up first (the first renders, the background tasks' first rounds): a cold baseline
    // flattered the ratio and swung by 30 % between runs.
    wrk(&page, 2)?;
    let (first_alone, first_p99) = wrk(&page, secs)?;
    // One round of posts, the accounts handed out where the last round stopped.
    let posts = || {
        round(
            &base,
            article,
            Arc::clone(&readers),
            Arc::clone(&next),
            writers,
            secs,
            rate,
        )
    };
    let alone = posts().await;
    println!(
        "{}",
        row(
            &format!("{label}, {writers} writers"),
            &alone,
            &format!("{first_alone:.0} (p99 {first_p99:.1} ms) alone")
        )
    );
    // Reads alone and reads under the writes, alternating (alone, under, alone, … alone): the
    // machine's pace drifts by 10–20 % within a minute, so each window under the writes is
    // set against the reads alone just before and just after it, and the median ratio is told.
    let mut alones = vec![wrk(&page, secs)?.0];
    let (mut unders, mut ratios, mut p99s) = (Vec::new(), Vec::new(), Vec::new());
    let mut under = Round::default();
    for _ in 0..CYCLES {
        let reads = {
            let page = page.clone();
            std::thread::spawn(move || wrk(&page, secs))
        };
        let writes = posts().await;
        under.add(writes);
        let (rps, p99) = reads.join().map_err(|_| anyhow::anyhow!("wrk thread"))??;
        let after = wrk(&page, secs)?.0;
        ratios.push(rps / ((alones[alones.len() - 1] + after) / 2.0));
        alones.push(after);
        unders.push(rps);
        p99s.push(p99);
    }
    under.times.sort();
    // Figures joined with " / ", `digits` after the point.
    let text = |v: &[f64], digits: usize| {
        v.iter()
            .map(|x| format!("{x:.digits$}"))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    println!(
        "{}",
        row(
            &format!("{label}, {writers} writers under wrk -c64 reads"),
            &under,
            &format!(
                "{:.0} (p99 {:.1} ms) = **{:.2}×** alone (median of {CYCLES} windows, each against the reads alone just before and after it; ratios {}; under {}; alone {})",
                median(&unders),
                median(&p99s),
                median(&ratios),
                text(&ratios, 2),
                text(&unders, 0),
                text(&alones, 0),
            )
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

pub async fn run(
    writers: usize,
    secs: u64,
    rates: Vec<usize>,
    postgres: Option<String>,
) -> anyhow::Result<()> {
    println!(
        "haowen bench comments: one hot story, {writers} signed-in writers posting for {secs} s, paced to each total rate (flat out: as fast as the server answers); loopback, demo site"
    );
    println!();
    println!("| backend, load | comments/s | failed | write p50 | write p99 | article reads/s |");
    println!("|---|---|---|---|---|---|");
    for &rate in &rates {
        backend(&with_rate("SQLite", rate), None, writers, secs, rate).await?;
    }
    let Some(server) = postgres else {
        return Ok(());
    };
    for &rate in &rates {
        // A fresh database per run: the accounts of one run must not meet the next.
        let name = format!("haowen_bench_comments_{}_{rate}", std::process::id());
        let admin = haowen_db::Store::connect(&server).await?;
        admin.create_database(&name).await?;
        let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        let result = backend(
            &with_rate("PostgreSQL", rate),
            Some(&url),
            writers,
            secs,
            rate,
        )
        .await;
        admin.drop_database(&name).await?;
        admin.close().await;
        result?;
    }
    Ok(())
}
