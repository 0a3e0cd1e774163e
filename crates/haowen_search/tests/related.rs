//! The recommender's rules (相关推荐), on fixtures we wrote: never the article itself, never a
//! near-duplicate, at most two per creator, each item with its reason.

mod common;

use common::{NOW, doc};
use haowen_search::{Context, SearchIndex, Source, WriterOptions};

#[test]
fn recommendations_follow_the_rules() {
    let dir = tempfile::tempdir().expect("dir");
    let (index, _) = SearchIndex::open(dir.path(), WriterOptions::default()).expect("open");
    let story = "湖人队在季后赛首轮以四比一淘汰对手，詹姆斯全场砍下三十分，球队士气高涨，下一轮将迎战勇士。";
    let mut docs = vec![
        doc(1, 1, 1, 3600, "湖人晋级季后赛第二轮", story),
        // A near-copy of 1 by someone else: never recommended for 1.
        doc(2, 1, 2, 3000, "湖人季后赛晋级", &story.replace('，', ",")),
    ];
    // Creator 3 has four similar pieces; at most two may appear.
    for i in 0..4 {
        docs.push(doc(
            10 + i,
            1,
            3,
            4000 + i,
            &format!("季后赛观察{i}：湖人与勇士"),
            &format!("第{i}篇。湖人与勇士的季后赛系列赛即将开打，詹姆斯状态出色，球迷期待。"),
        ));
    }
    docs.push(doc(
        20,
        1,
        4,
        5000,
        "勇士备战季后赛",
        "勇士队主帅谈季后赛，湖人是强劲对手。",
    ));
    docs.push(doc(
        21,
        2,
        5,
        5000,
        "央行下调存款准备金率",
        "央行宣布降准零点五个百分点，释放长期资金。",
    ));
    index.add(&docs).expect("add");
    index.commit(1).expect("commit");
    let src = Source {
        id: 1,
        channel_id: 1,
        title: "湖人晋级季后赛第二轮",
        body: story,
    };
    let ctx = Context {
        channel_newest: vec![21, 20],
        co_read: vec![(21, 3)],
        now: NOW,
        ..Context::default()
    };
    let recs = index.recommend(&src, &ctx, 8).expect("recommend");
    let got: Vec<i64> = recs.iter().map(|r| r.id).collect();
    assert!(!got.contains(&1), "never itself: {got:?}");
    assert!(!got.contains(&2), "never a near-duplicate: {got:?}");
    // Two per creator while others can fill the list; a third only after all of them.
    let capped: Vec<usize> = (0..got.len())
        .filter(|&i| (10..14).contains(&got[i]))
        .collect();
    if let Some(&third) = capped.get(2) {
        assert!(
            got[third..].iter().all(|id| (10..14).contains(id)),
            "a third item of one creator only fills what others left: {got:?}"
        );
    }
    assert!(got.contains(&20));
    let first = &recs[0];
    assert!(
        first.same_channel && !first.shared_keywords.is_empty(),
        "{first:?}"
    );
    let bank = recs
        .iter()
        .find(|r| r.id == 21)
        .expect("co-read article comes in");
    assert!(bank.co_read && !bank.same_channel);
    assert!(
        recs.iter().position(|r| r.id == 21) > recs.iter().position(|r| r.id == 20),
        "similar first"
    );

    // With the channel hidden (as `haowen eval related --hide-channel` runs it), the source's
    // channel changes nothing; with the production weights it does.
    let scores = |channel_id: i64, weights: haowen_search::Weights| {
        let src = Source {
            channel_id,
            ..src.clone()
        };
        let ctx = Context {
            now: NOW,
            weights,
            ..Context::default()
        };
        index
            .recommend(&src, &ctx, 8)
            .expect("recommend")
            .iter()
            .map(|r| (r.id, (r.score * 1e4).round() as i64))
            .collect::<Vec<_>>()
    };
    let hidden = haowen_search::Weights::WITHOUT_CHANNEL;
    assert_eq!(scores(1, hidden), scores(2, hidden));
    let production = haowen_search::Weights::PRODUCTION;
    assert_ne!(scores(1, production), scores(2, production));
}
