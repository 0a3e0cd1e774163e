//! The bulk writer (`WriterOptions::bulk`, `haowen import` and `haowen reindex`): with two
//! indexing threads, documents land in two segments at once, and an upsert or a removal must
//! still reach the copy in the other thread's segment.

mod common;

use common::{base, doc, search};
use haowen_search::{SearchIndex, SearchQuery, WriterOptions};

fn ids_for(index: &SearchIndex, text: &str) -> Vec<i64> {
    let mut ids = search(
        index,
        SearchQuery {
            text: text.into(),
            limit: 500,
            ..base()
        },
    );
    ids.sort_unstable();
    ids
}

#[test]
fn upserts_and_removals_hold_across_two_indexing_threads() {
    assert!(WriterOptions::bulk().threads >= 1);
    let dir = tempfile::tempdir().expect("dir");
    let two = WriterOptions {
        threads: 2,
        heap_bytes: 2 * 64 * 1024 * 1024,
    };
    let (index, _) = SearchIndex::open(dir.path(), two).expect("open");
    let first: Vec<_> = (1..=200)
        .map(|i| {
            doc(
                i,
                1,
                1,
                60 + i,
                &format!("旧稿第{i}篇"),
                "农业新闻旧稿正文。",
            )
        })
        .collect();
    for batch in first.chunks(25) {
        index.add(batch).expect("add");
    }
    // Before any commit: ids 1–100 replaced, 150–160 taken out.
    let second: Vec<_> = (1..=100)
        .map(|i| {
            doc(
                i,
                1,
                1,
                60 + i,
                &format!("更新版第{i}篇"),
                "农业新闻更新版正文。",
            )
        })
        .collect();
    index.add(&second).expect("re-add");
    index.remove(&(150..=160).collect::<Vec<_>>());
    index.commit(7).expect("commit");

    assert_eq!(index.num_docs(), 189, "one document per article");
    assert_eq!(ids_for(&index, "更新版"), (1..=100).collect::<Vec<_>>());
    let old: Vec<i64> = (101..=200).filter(|i| !(150..=160).contains(i)).collect();
    assert_eq!(
        ids_for(&index, "旧稿"),
        old,
        "no replaced or removed copy left"
    );
    assert_eq!(index.cursor(), 7);
}
