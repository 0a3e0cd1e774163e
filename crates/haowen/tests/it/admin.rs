//! `haowen admin settings`, `haowen migrate` and `haowen demo` from the command line.

use crate::haowen;

fn text(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn settings_show_set_and_reset() {
    let dir = tempfile::tempdir().expect("dir");
    let (shown, _) = text(&haowen(dir.path(), &["admin", "settings"]));
    assert!(shown.contains("site_name = \"好文\" (default)"), "{shown}");
    assert!(
        shown.contains("timezone = \"Asia/Shanghai\" (default)"),
        "{shown}"
    );

    let out = haowen(
        dir.path(),
        &["admin", "settings", "set", "site_name", "江城好文"],
    );
    assert!(out.status.success(), "{:?}", text(&out));
    let (shown, _) = text(&haowen(dir.path(), &["admin", "settings", "show"]));
    assert!(shown.contains("site_name = \"江城好文\"\n"), "{shown}");

    let out = haowen(dir.path(), &["admin", "settings", "reset", "site_name"]);
    assert!(out.status.success());
    let (shown, _) = text(&haowen(dir.path(), &["admin", "settings"]));
    assert!(shown.contains("site_name = \"好文\" (default)"), "{shown}");
}

#[test]
fn bad_settings_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let out = haowen(
        dir.path(),
        &["admin", "settings", "set", "timezone", "Mars/Base"],
    );
    assert!(!out.status.success());
    let (_, err) = text(&out);
    assert!(err.contains("not an IANA time zone"), "{err}");
    let out = haowen(dir.path(), &["admin", "settings", "set", "colour", "red"]);
    let (_, err) = text(&out);
    assert!(
        !out.status.success() && err.contains("known settings: site_name"),
        "{err}"
    );
}

#[test]
fn migrate_lists_migrations_and_demo_fills_only_an_empty_site() {
    let dir = tempfile::tempdir().expect("dir");
    let (out, _) = text(&haowen(dir.path(), &["migrate", "--status"]));
    assert!(
        out.contains("initial") && out.contains("default channels"),
        "{out}"
    );
    let first = haowen(dir.path(), &["demo"]);
    let (out, err) = text(&first);
    assert!(first.status.success(), "{err}");
    assert!(
        out.contains("demo site created: 44 articles by 8 creators"),
        "{out}"
    );
    let second = haowen(dir.path(), &["demo"]);
    let (_, err) = text(&second);
    assert!(!second.status.success());
    assert!(err.contains("already has 44 articles"), "{err}");
}

#[test]
fn unreachable_postgres_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("dir");
    let out = haowen(
        dir.path(),
        &[
            "--database-url",
            "postgres://haowen:secret@127.0.0.1:1/haowen",
            "migrate",
        ],
    );
    let (_, err) = text(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("cannot open the database postgres://***@127.0.0.1:1/haowen"),
        "{err}"
    );
    assert!(!err.contains("secret"), "the password leaked: {err}");
}

#[test]
fn create_user_makes_an_admin_who_can_sign_in() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("dir");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_haowen"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "admin",
            "create-user",
            "--username",
            "Root_Admin",
            "--display-name",
            "站长",
            "--role",
            "admin",
            "--password-stdin",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all("江城好文2026\n".as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    let (stdout, _) = text(&out);
    assert!(out.status.success());
    assert!(
        stdout.contains("created admin root_admin (站长)"),
        "{stdout}"
    );
    let weak = haowen(
        dir.path(),
        &[
            "admin",
            "create-user",
            "--username",
            "x",
            "--role",
            "editor",
        ],
    );
    let (_, err) = text(&weak);
    assert!(
        !weak.status.success() && err.contains("username: 账号名需为 3 到 32 个字符"),
        "{err}"
    );
    let generated = haowen(
        dir.path(),
        &[
            "admin",
            "create-user",
            "--username",
            "editor1",
            "--role",
            "editor",
        ],
    );
    let (out, _) = text(&generated);
    assert!(out.contains("password (shown once"), "{out}");
    let bad_role = haowen(
        dir.path(),
        &[
            "admin",
            "create-user",
            "--username",
            "someone",
            "--role",
            "king",
        ],
    );
    assert!(text(&bad_role).1.contains("unknown role"));
}

#[test]
fn reindex_rebuilds_the_search_index_even_from_a_corrupt_one() {
    let dir = tempfile::tempdir().expect("dir");
    assert!(haowen(dir.path(), &["demo"]).status.success());
    let out = haowen(dir.path(), &["reindex"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.starts_with("indexed 44 articles"), "{stdout}");
    // A damaged index is replaced with a clear log line, never a crash.
    std::fs::write(dir.path().join("search").join("meta.json"), b"garbage").expect("corrupt");
    let out = haowen(dir.path(), &["reindex"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.starts_with("indexed 44 articles"), "{stdout}");
    assert!(
        stderr.contains("search index: unusable, rebuilding"),
        "{stderr}"
    );
}
