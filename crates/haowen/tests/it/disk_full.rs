//! A full disk: writes fail with a clear message (503, 「磁盘已满」) and `/healthz` says
//! `degraded`, while reading goes on; once space is freed, writes succeed again within
//! seconds, with no restart. Runs on a small tmpfs; skipped, with a message, where the test
//! cannot mount one (not root, no CAP_SYS_ADMIN).

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use haowen_core::account::{Role, hash_password};

use crate::haowen;

const PASSWORD: &str = "江城好文2026";

/// Unmounts when dropped.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn mount_tmpfs(at: &Path, size_mb: u32) -> Option<Mount> {
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size_mb}m"), "tmpfs"])
        .arg(at)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| Mount(at.to_path_buf()))
}

/// Fills the file system holding `dir` with one file until it is full.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler.bin");
    let mut f = std::fs::File::create(&path).expect("filler");
    let block = vec![0u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    // Smaller pieces into what is left.
    let small = vec![0u8; 512];
    while f.write_all(&small).is_ok() {}
    let _ = f.sync_all();
    path
}

async fn comment(base: &str, cookie: &str, csrf: &str, article: i64, body: &str) -> (u16, String) {
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(format!("{base}/a/{article}/comments"))
        .header("cookie", format!("hw_session={cookie}"))
        .form(&[("body", body), ("_csrf", csrf)])
        .send()
        .await
        .expect("post");
    (res.status().as_u16(), res.text().await.unwrap_or_default())
}

async fn health(base: &str) -> (u16, String) {
    let res = reqwest::get(format!("{base}/healthz"))
        .await
        .expect("healthz");
    (res.status().as_u16(), res.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_clearly_and_recovers_without_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let mnt = dir.path().join("small-disk");
    std::fs::create_dir_all(&mnt).expect("mount point");
    let Some(_mount) = mount_tmpfs(&mnt, 48) else {
        eprintln!("skipping the disk-full test: cannot mount a tmpfs here (needs root)");
        return;
    };
    let data = mnt.join("data");
    let store = crate::demo_site(&data).await;
    let hash = hash_password(PASSWORD).expect("hash");
    store
        .create_user("full_disk_reader", "读者", &hash, Role::Reader)
        .await
        .expect("user");
    let article = store.index_rows(0, 1).await.expect("rows")[0].id;
    store.close().await;

    let (server, base) = crate::crash::start(&data);
    let (cookie, csrf) = crate::crash::sign_in(&base, "full_disk_reader")
        .await
        .expect("signed in");
    assert_eq!(
        comment(&base, &cookie, &csrf, article, "磁盘满之前的跟贴")
            .await
            .0,
        303
    );

    // The disk fills up.
    let filler = fill(&mnt);
    let mut refused = 0;
    for i in 0..5 {
        let (status, html) = comment(
            &base,
            &cookie,
            &csrf,
            article,
            &format!("磁盘满时的跟贴{i}"),
        )
        .await;
        assert_ne!(status, 500, "never a 500: {html}");
        if status == 503 {
            assert!(html.contains("磁盘已满"), "the reason is said: {html}");
            refused += 1;
        }
    }
    assert!(refused > 0, "writes on a full disk are refused");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (status, body) = health(&base).await;
    assert_eq!(
        (status, body.starts_with("degraded")),
        (503, true),
        "{body}"
    );
    // Reading goes on.
    let page = reqwest::get(format!("{base}/a/{article}"))
        .await
        .expect("read");
    assert_eq!(page.status(), 200);

    // Space comes back: writes work again within seconds, no restart.
    std::fs::remove_file(&filler).expect("free space");
    let started = Instant::now();
    let mut back = None;
    let mut last = String::new();
    while started.elapsed() < Duration::from_secs(15) {
        let (status, html) = comment(&base, &cookie, &csrf, article, "空间恢复后的跟贴").await;
        last = format!(
            "{status}: {}",
            html.split("<main")
                .nth(1)
                .unwrap_or(&html)
                .chars()
                .take(400)
                .collect::<String>()
        );
        if status == 303 {
            back = Some(started.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let back = back
        .unwrap_or_else(|| panic!("writes succeed again after space is freed; last answer {last}"));
    eprintln!("writes succeeded again {back:?} after space was freed");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(health(&base).await, (200, "ok".to_string()));
    drop(server);
}

#[tokio::test]
async fn a_read_only_database_is_named_in_the_error() {
    let dir = tempfile::tempdir().expect("dir");
    let mnt = dir.path().join("ro-disk");
    std::fs::create_dir_all(&mnt).expect("mount point");
    let Some(_mount) = mount_tmpfs(&mnt, 32) else {
        eprintln!("skipping the read-only test: cannot mount a tmpfs here (needs root)");
        return;
    };
    let data = mnt.join("data");
    assert!(haowen(&data, &["demo"]).status.success());
    let remounted = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&mnt)
        .status()
        .is_ok_and(|s| s.success());
    assert!(remounted, "remount read-only");
    let started = Instant::now();
    let out = haowen(
        &data,
        &["admin", "settings", "set", "site_name", "只读测试"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("read-only") && stderr.contains(&data.display().to_string()),
        "the error says which path is read-only: {stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered at once, not after the pool's retries"
    );
}
