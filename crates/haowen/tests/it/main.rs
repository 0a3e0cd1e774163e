//! The `haowen` binary's integration tests: the importer and the admin commands.

mod admin;
mod crash;
mod disk_full;
mod import;

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
