//! The `haowen` binary's integration tests: the importer and the admin commands.

mod admin;
mod archive;
mod crash;
mod disk_full;
mod import;
mod import_index;

use std::process::Command;

/// Runs the built `haowen` binary with `--data-dir DIR` and `args`.
pub fn haowen(data_dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_haowen"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("HAOWEN_LOG", "warn")
        .output()
        .expect("run haowen")
}

/// A demo site made with `haowen demo` in `data_dir`, and its store opened.
pub async fn demo_site(data_dir: &std::path::Path) -> haowen_db::Store {
    let out = haowen(data_dir, &["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    haowen_db::Store::open(&format!("sqlite:{}", data_dir.join("haowen.db").display()))
        .await
        .expect("store")
}
