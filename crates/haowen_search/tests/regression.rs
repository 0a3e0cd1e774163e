//! The search regression suite: fixtures we wrote, every case must be found (100 % recall).
//! Words inside longer words, phrases, traditional characters, full-width input, highlight
//! offsets, filters, orders, new segments after a search, reopening, a corrupt index.

mod common;

use common::{NOW, base, doc, ids, open, search};
use haowen_search::{
    Opened, SearchIndex, SearchQuery, Sort, WriterOptions,
    highlight::{needles, ranges},
};

#[test]
fn a_word_inside_a_longer_word_is_always_found() {
    let dir = tempfile::tempdir().expect("dir");
    let index = open(dir.path());
    for (query, expected) in [
        ("简单", 1),
        ("处理", 2),
        ("工程", 3),
        ("农业", 4),
        ("工具", 5),
        ("发展银行", 4),
        ("开发区", 3),
        ("农业发展", 4),
    ] {
        let found = ids(&index, query);
        assert!(
            found.contains(&expected),
            "{query} should find {expected}, got {found:?}"
        );
    }
    // One character is enough, also at the end of a clause (晋级第二轮。).
    assert!(ids(&index, "箱").contains(&5));
    assert!(ids(&index, "轮").contains(&9));
    // Nothing false: a word that is not there.
    assert!(ids(&index, "篮球").is_empty());
    assert!(ids(&index, "  ").is_empty());
}

#[test]
fn phrases_are_exact_and_words_are_anded() {
    let dir = tempfile::tempdir().expect("dir");
    let index = open(dir.path());
    // Quoted: only where the phrase stands as written.
    assert_eq!(ids(&index, "\"数字经济\""), vec![6]);
    assert_eq!(
        ids(&index, "“数字 经济”"),
        vec![6],
        "spaces between CJK characters are ignored"
    );
    // Unquoted: the phrase first, a document with both words too.
    let both = ids(&index, "数字经济");
    assert_eq!(both.first(), Some(&6));
    // Every term must match.
    assert_eq!(ids(&index, "湖人 季后赛"), vec![9]);
    assert!(ids(&index, "湖人 路由器").is_empty());
}

#[test]
fn traditional_and_full_width_queries_and_texts_meet() {
    let dir = tempfile::tempdir().expect("dir");
    let index = open(dir.path());
    assert!(
        ids(&index, "農業發展").contains(&4),
        "a traditional query finds simplified text"
    );
    assert!(
        ids(&index, "电影节").contains(&8),
        "a simplified query finds traditional text"
    );
    assert!(ids(&index, "國際電影節").contains(&8));
    assert!(
        ids(&index, "nba").contains(&9),
        "full-width NBA in the title"
    );
    assert!(ids(&index, "ＮＢＡ").contains(&9));
}

#[test]
fn highlights_mark_the_right_characters_of_the_original() {
    let q = haowen_search::search::parse_terms("电影节 华语");
    let title = "香港電影節開幕";
    let body = "第四十屆香港國際電影節今晚開幕，多部華語新片首映。";
    let chars: Vec<char> = body.chars().collect();
    let r = ranges(body, &needles(&q));
    let marked: Vec<String> = r
        .iter()
        .map(|r| chars[r.clone()].iter().collect())
        .collect();
    assert_eq!(marked, ["電影節", "華語"]);
    assert_eq!(r[0], 8..11);
    assert_eq!(ranges(title, &needles(&q)), vec![2..5]);
}

#[test]
fn filters_order_and_scheduled_articles() {
    let dir = tempfile::tempdir().expect("dir");
    let index = open(dir.path());
    let q = |f: fn(&mut SearchQuery)| {
        let mut q = SearchQuery {
            text: "路由器".into(),
            ..base()
        };
        f(&mut q);
        search(&index, q)
    };
    assert_eq!(q(|_| {}), vec![1], "the scheduled article is not found yet");
    // Left out of the total too, and a page of one is still filled, whichever order puts the
    // scheduled article first (it is the newest, and its title holds the word).
    for sort in [Sort::Relevance, Sort::Newest] {
        let one = index
            .search(&SearchQuery {
                text: "路由器".into(),
                limit: 1,
                sort,
                ..base()
            })
            .expect("search");
        assert_eq!(one.total, 1, "{sort:?}");
        assert_eq!(one.hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![1]);
    }
    let tomorrow = search(
        &index,
        SearchQuery {
            text: "路由器".into(),
            now: NOW + 2 * 86_400,
            ..base()
        },
    );
    assert_eq!(tomorrow.len(), 2, "…until its time comes");
    assert_eq!(q(|q| q.channel_id = Some(2)), Vec::<i64>::new());
    assert_eq!(q(|q| q.creator_id = Some(1)), vec![1]);
    assert_eq!(
        q(|q| q.from = Some(NOW - 60)),
        Vec::<i64>::new(),
        "published an hour ago"
    );
    assert_eq!(q(|q| q.to = Some(NOW - 7200)), Vec::<i64>::new());
    // Newest first.
    let newest = search(
        &index,
        SearchQuery {
            text: "发展".into(),
            sort: Sort::Newest,
            ..base()
        },
    );
    assert_eq!(newest, vec![4, 6]);
    // Totals and pages.
    let page = index
        .search(&SearchQuery {
            text: "发展".into(),
            limit: 1,
            offset: 1,
            ..base()
        })
        .expect("page");
    assert_eq!((page.total, page.hits.len()), (2, 1));
}

#[test]
fn articles_indexed_after_a_search_are_found_by_their_own_ids_and_dates() {
    let dir = tempfile::tempdir().expect("dir");
    let index = open(dir.path());
    assert_eq!(ids(&index, "路由器"), vec![1]);
    // A new segment after the first searches: its ids and dates are read, not the old ones.
    index
        .add(&[doc(21, 1, 1, 60, "路由器降价了", "路由器今天降价。")])
        .expect("add");
    index.commit(43).expect("commit");
    let mut found = ids(&index, "路由器");
    found.sort();
    assert_eq!(found, vec![1, 21]);
    // Scheduled later than anything the index held before: still hidden until its time.
    index
        .add(&[doc(22, 1, 1, -3_600, "路由器下周上市", "路由器的新品。")])
        .expect("add");
    index.commit(44).expect("commit");
    let mut found = ids(&index, "路由器");
    found.sort();
    assert_eq!(found, vec![1, 21], "scheduled one hour ahead");
}

#[test]
fn the_cursor_survives_a_restart_and_a_corrupt_index_is_replaced() {
    let dir = tempfile::tempdir().expect("dir");
    {
        let index = open(dir.path());
        index.apply(&[], &[1], 43).expect("remove 1");
        assert!(ids(&index, "简单").is_empty(), "removed at once");
    }
    let (index, opened) = SearchIndex::open(dir.path(), WriterOptions::default()).expect("reopen");
    assert_eq!(opened, Opened::Existing);
    assert_eq!(index.cursor(), 43);
    assert_eq!(index.num_docs(), 9);
    drop(index);
    std::fs::write(dir.path().join("meta.json"), b"{ not json").expect("corrupt");
    let (index, opened) = SearchIndex::open(dir.path(), WriterOptions::default()).expect("reopen");
    assert!(matches!(opened, Opened::Replaced(_)), "{opened:?}");
    assert_eq!(
        (index.num_docs(), index.cursor()),
        (0, 0),
        "empty: the caller rebuilds it"
    );
}
