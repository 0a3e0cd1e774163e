//! A tag's reads: its visible articles newest first, the exact count and the capped count the
//! search's tag offer uses; hidden, scheduled and untagged articles never counted.

use haowen_db::Store;
use haowen_testkit::{article, backend_tests, channel_id, creator};

backend_tests!(a_tag_counts_only_its_visible_articles_and_caps_on_request);

async fn a_tag_counts_only_its_visible_articles_and_caps_on_request(store: Store) {
    let c = creator(&store, "农技站").await;
    let ch = channel_id(&store, "社会").await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut a = article(c.id, ch, &format!("春耕第{i}篇"), "正文", 600 - i * 60);
        a.tags = vec!["春耕".into(), "农业".into()];
        ids.push(store.create_article(&a).await.expect("article"));
    }
    let mut ahead = article(c.id, ch, "定时发布的春耕稿", "正文", -3_600);
    ahead.tags = vec!["春耕".into()];
    store.create_article(&ahead).await.expect("scheduled");
    store
        .create_article(&article(c.id, ch, "没有标签的稿件", "正文", 30))
        .await
        .expect("untagged");
    store
        .take_down(ids[0], None, "测试")
        .await
        .expect("take down");

    let now = haowen_core::time::now();
    assert_eq!(store.tag_count("春耕", now).await.expect("count"), 4);
    for (cap, expected) in [(0, 1), (2, 3), (3, 4), (4, 4), (1_000, 4)] {
        assert_eq!(
            store
                .tag_count_upto("春耕", now, cap)
                .await
                .expect("capped"),
            expected,
            "cap {cap}"
        );
    }
    assert_eq!(
        store
            .tag_count_upto("无人用的词", now, 1_000)
            .await
            .expect("none"),
        0
    );
    let page = store.tag_articles("春耕", now, 0, 3).await.expect("page");
    assert_eq!(page.total, 4);
    let shown: Vec<i64> = page.items.iter().map(|a| a.id).collect();
    assert_eq!(
        shown,
        vec![ids[4], ids[3], ids[2]],
        "newest first, the taken-down one gone"
    );
}
