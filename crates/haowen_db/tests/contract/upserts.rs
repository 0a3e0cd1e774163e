//! An import batch written in multi-row statements: the same articles, tags, ids and change rows
//! as one upsert at a time, on both databases — and a batch that repeats an external id (or has
//! none) written one by one, the later record updating the earlier.

use haowen_db::{ImportedArticle, Store, UpsertOutcome};
use haowen_testkit::{article, backend_tests, channel_id, creator};

backend_tests!(
    a_batch_inserts_new_and_updates_existing_in_order,
    a_batch_repeating_an_external_id_keeps_the_last,
);

fn imported(c: i64, ch: i64, key: Option<&str>, title: &str, tags: &[&str]) -> ImportedArticle {
    let mut a = article(c, ch, title, &format!("{title}的正文\n\n第二段"), 120);
    a.external_id = key.map(str::to_string);
    a.tags = tags.iter().map(|t| t.to_string()).collect();
    ImportedArticle { article: a }
}

async fn a_batch_inserts_new_and_updates_existing_in_order(store: Store) {
    let c = creator(&store, "批量来源").await;
    let ch = channel_id(&store, "科技").await;
    let first = store
        .upsert_articles(&[imported(c.id, ch, Some("k2"), "旧标题", &["旧"])])
        .await
        .expect("first batch");
    let UpsertOutcome::Inserted(k2) = first[0].0 else {
        panic!("{first:?}")
    };
    store.add_reads(&[(k2, 7)]).await.expect("reads");
    let before = store.changes_after(0, 100).await.expect("feed").len();

    let batch = [
        imported(
            c.id,
            ch,
            Some("k1"),
            "第一篇",
            &["芯片", " 芯片 ", "", "人工智能"],
        ),
        imported(c.id, ch, Some("k2"), "新标题", &["新"]),
        imported(c.id, ch, Some("k3"), "第三篇", &[]),
    ];
    let saved = store.upsert_articles(&batch).await.expect("batch");
    assert_eq!(saved.len(), 3);
    assert!(
        matches!(saved[0].0, UpsertOutcome::Inserted(_)),
        "{saved:?}"
    );
    assert_eq!(saved[1].0, UpsertOutcome::Updated(k2));
    assert!(
        matches!(saved[2].0, UpsertOutcome::Inserted(_)),
        "{saved:?}"
    );

    // Each outcome carries its own article and its own change row.
    let feed = store.changes_after(0, 100).await.expect("feed");
    assert_eq!(feed.len(), before + 3);
    for (outcome, change) in &saved {
        let row = feed.iter().find(|r| r.0 == *change).expect("change row");
        assert_eq!((row.1.as_str(), row.2), ("article", outcome.id()));
    }
    let k1 = store.article(saved[0].0.id()).await.expect("k1");
    assert_eq!(k1.title, "第一篇");
    assert!(k1.body_html.contains("<p>第二段</p>"), "{}", k1.body_html);
    assert_eq!(k1.summary, "第一篇的正文 第二段");
    let tagged = store
        .tag_articles("芯片", haowen_core::time::now(), 0, 10)
        .await;
    let tagged = tagged.expect("tag");
    assert_eq!(tagged.total, 1, "a repeated tag is one row");
    assert_eq!(tagged.items[0].id, k1.id);
    let updated = store.article(k2).await.expect("k2");
    assert_eq!((updated.title.as_str(), updated.reads), ("新标题", 7));
    let old_tag = store.tag_articles("旧", haowen_core::time::now(), 0, 10);
    assert_eq!(
        old_tag.await.expect("tag").total,
        0,
        "an update replaces the tags"
    );
    assert_eq!(
        store.article(saved[2].0.id()).await.expect("k3").title,
        "第三篇"
    );
    assert_eq!(store.article_count().await.expect("count"), 3);
}

async fn a_batch_repeating_an_external_id_keeps_the_last(store: Store) {
    let c = creator(&store, "重复来源").await;
    let ch = channel_id(&store, "财经").await;
    let batch = [
        imported(c.id, ch, Some("dup"), "先到的", &[]),
        imported(c.id, ch, None, "没有编号", &[]),
        imported(c.id, ch, Some("dup"), "后到的", &["后"]),
    ];
    let saved = store.upsert_articles(&batch).await.expect("batch");
    let UpsertOutcome::Inserted(id) = saved[0].0 else {
        panic!("{saved:?}")
    };
    assert!(
        matches!(saved[1].0, UpsertOutcome::Inserted(_)),
        "{saved:?}"
    );
    assert_eq!(saved[2].0, UpsertOutcome::Updated(id));
    assert_eq!(store.article(id).await.expect("dup").title, "后到的");
    assert_eq!(store.article_count().await.expect("count"), 2);
}
