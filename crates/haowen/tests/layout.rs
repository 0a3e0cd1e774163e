//! The workspace's shape, checked on every test run: the binary → web → app → db/search/core
//! arrows (the web crate never names the store or the index; the CLI uses the web crate only
//! to serve), no source file over 400 lines, and no import circle between modules of a crate.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crates/")
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A source without its comment lines (documentation may name any crate).
fn code(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn sources(krate: &str) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(&crates_dir().join(krate).join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read source");
            (p, text)
        })
        .collect()
}

#[test]
fn the_web_crate_never_names_the_store_or_the_index() {
    let manifest =
        std::fs::read_to_string(crates_dir().join("haowen_web/Cargo.toml")).expect("manifest");
    for dep in ["haowen_db", "haowen_search"] {
        assert!(!manifest.contains(dep), "haowen_web/Cargo.toml lists {dep}");
    }
    for (path, text) in sources("haowen_web") {
        for dep in ["haowen_db", "haowen_search"] {
            assert!(!code(&text).contains(dep), "{} names {dep}", path.display());
        }
    }
    for (path, text) in sources("haowen_app") {
        assert!(
            !code(&text).contains("haowen_web"),
            "{} names haowen_web",
            path.display()
        );
    }
}

#[test]
fn only_serve_uses_the_web_crate() {
    for (path, text) in sources("haowen") {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name != "serve.rs" {
            assert!(
                !code(&text).contains("haowen_web"),
                "{} uses haowen_web (only commands/serve.rs may)",
                path.display()
            );
        }
    }
}

#[test]
fn no_source_file_is_over_400_lines() {
    let mut long = Vec::new();
    for krate in std::fs::read_dir(crates_dir()).expect("crates").flatten() {
        let name = krate.file_name().to_string_lossy().to_string();
        for (path, text) in sources(&name) {
            let n = text.lines().count();
            if n > 400 {
                long.push(format!("{} ({n} lines)", path.display()));
            }
        }
    }
    assert!(long.is_empty(), "over 400 lines: {long:?}");
}

/// Expands a `use` tree (`a::{b, c::{d}}`) into paths.
fn expand(prefix: &[String], tree: &str, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if let Some(inner) = tree.strip_prefix('{') {
        let inner = &inner[..inner.rfind('}').unwrap_or(inner.len())];
        let (mut depth, mut start) = (0, 0);
        let bytes = inner.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            match b {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                b',' if depth == 0 => {
                    expand(prefix, &inner[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand(prefix, &inner[start..], out);
        return;
    }
    if tree.is_empty() {
        return;
    }
    match tree.split_once("::") {
        Some((head, rest)) => {
            let mut p = prefix.to_vec();
            p.push(head.trim().to_string());
            expand(&p, rest, out);
        }
        None => {
            let mut p = prefix.to_vec();
            p.push(tree.split(" as ").next().unwrap_or(tree).trim().to_string());
            out.push(p);
        }
    }
}

/// Module name (`handlers::reader::article`) → the modules it uses.
fn module_graph(krate: &str) -> BTreeMap<String, BTreeSet<String>> {
    let src = crates_dir().join(krate).join("src");
    let files = sources(krate);
    let name_of = |p: &Path| -> String {
        let rel = p.strip_prefix(&src).expect("under src").with_extension("");
        let name = rel.to_string_lossy().replace('/', "::");
        let name = name.strip_suffix("::mod").unwrap_or(&name).to_string();
        if name == "lib" || name == "main" {
            "crate".into()
        } else {
            name
        }
    };
    let names: BTreeSet<String> = files.iter().map(|(p, _)| name_of(p)).collect();
    let resolve = |path: &[String]| -> Option<String> {
        (1..=path.len())
            .rev()
            .map(|i| path[..i].join("::"))
            .find(|c| names.contains(c))
    };
    let mut graph = BTreeMap::new();
    for (path, text) in &files {
        let me = name_of(path);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut used = Vec::new();
        for stmt in flat.split("use crate::").skip(1) {
            let end = stmt.find(';').unwrap_or(stmt.len());
            expand(&[], &stmt[..end], &mut used);
        }
        for (i, _) in flat.match_indices("crate::") {
            let rest = &flat[i + 7..];
            let path: Vec<String> = rest
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or("")
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            used.push(path);
        }
        let deps: BTreeSet<String> = used
            .iter()
            .filter_map(|p| resolve(p))
            .filter(|d| *d != me && d != "crate")
            .collect();
        graph.insert(me, deps);
    }
    graph
}

/// Modules that reach themselves again through their imports.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut found = Vec::new();
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if next == start {
                    found.push(path.join(" → ") + " → " + start);
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    found
}

#[test]
fn no_import_circles_between_modules() {
    for krate in [
        "haowen",
        "haowen_web",
        "haowen_app",
        "haowen_db",
        "haowen_search",
        "haowen_core",
    ] {
        let graph = module_graph(krate);
        assert!(graph.len() > 3, "{krate}: the module graph was read");
        let found = circles(&graph);
        assert!(found.is_empty(), "{krate} has import circles: {found:?}");
    }
}

#[test]
fn the_circle_check_sees_a_circle() {
    let graph = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["c".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
        ("d".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert_eq!(circles(&graph).len(), 3, "a, b and c each reach themselves");
    let mut used = Vec::new();
    expand(
        &[],
        "{AppState, handlers::{extract::ItemId, reader::comments}}",
        &mut used,
    );
    assert!(used.contains(&vec!["handlers".into(), "reader".into(), "comments".into()]));
}
