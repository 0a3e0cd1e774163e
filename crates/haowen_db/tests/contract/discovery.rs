//! The discovery half of the storage contract, on both backends.

use haowen_core::ArticleStatus;
use haowen_db::Store;
use haowen_testkit::{article, backend_tests, channel_id, creator};

backend_tests!(
    index_rows_page_through_published_articles_as_plain_text,
    the_feed_after_a_cursor_names_every_article_write,
    co_reading_counts_readers_of_both,
    summaries_of_long_id_lists_keep_the_order_asked,
);

async fn index_rows_page_through_published_articles_as_plain_text(store: Store) {
    let c = creator(&store, "索引作者").await;
    let ch = channel_id(&store, "科技").await;
    let a = store
        .create_article(&article(c.id, ch, "第一篇", "**粗体**正文 <i>x</i>", 60))
        .await
        .expect("a");
    let mut draft = article(c.id, ch, "草稿", "x", 60);
    draft.status = ArticleStatus::Draft;
    let d = store.create_article(&draft).await.expect("draft");
    let b = store
        .create_article(&article(c.id, ch, "第二篇", "正文", 60))
        .await
        .expect("b");
    let page = store.index_rows(0, 1).await.expect("page 1");
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].id, a);
    assert_eq!(page[0].body, "粗体 正文 x", "plain text, markup gone");
    let rest = store.index_rows(a, 10).await.expect("page 2");
    assert_eq!(
        rest.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![b],
        "drafts are skipped"
    );
    assert_eq!(store.published_count().await.expect("count"), 2);
    let by_id = store.index_rows_by_id(&[d, b]).await.expect("by id");
    assert_eq!(by_id.len(), 2, "any status by id");
    assert!(
        by_id
            .iter()
            .any(|r| r.id == d && r.status == ArticleStatus::Draft)
    );
}

async fn the_feed_after_a_cursor_names_every_article_write(store: Store) {
    let start = store.latest_change_id().await.expect("feed");
    let c = creator(&store, "变更作者").await;
    let ch = channel_id(&store, "科技").await;
    let a = store
        .create_article(&article(c.id, ch, "甲", "x", 60))
        .await
        .expect("a");
    store.take_down(a, None, "下架").await.expect("down");
    let changes = store.changes_after(start, 100).await.expect("changes");
    let articles: Vec<i64> = changes
        .iter()
        .filter(|(_, e, _)| e == "article")
        .map(|(_, _, id)| *id)
        .collect();
    assert_eq!(articles, vec![a, a], "create and takedown");
    assert!(changes.windows(2).all(|w| w[0].0 < w[1].0), "in order");
    assert!(store.oldest_change_id().await.expect("oldest") <= changes[0].0);
    let last = changes.last().expect("one").0;
    assert!(
        store
            .changes_after(last, 100)
            .await
            .expect("none")
            .is_empty()
    );
}

async fn co_reading_counts_readers_of_both(store: Store) {
    let now = haowen_core::time::now();
    // Readers 1 and 2 read article 10 and 20; reader 3 read 10 and 30; reader 4 only 30.
    let events = [
        (1u64, 10, now),
        (1, 20, now),
        (2, 10, now),
        (2, 20, now),
        (3, 10, now),
        (3, 30, now),
        (4, 30, now),
        // Too old to count.
        (5, 10, now - 90 * 86_400),
        (5, 40, now - 90 * 86_400),
        // A hash with the top bit set survives the trip through BIGINT.
        (u64::MAX - 1, 10, now),
        (u64::MAX - 1, 20, now),
    ];
    store.add_read_events(&events).await.expect("events");
    let co = store.co_read(10, now - 30 * 86_400, 10).await.expect("co");
    assert_eq!(co, vec![(20, 3), (30, 1)]);
    assert_eq!(
        store.prune_read_events(now - 86_400).await.expect("prune"),
        2
    );
}

async fn summaries_of_long_id_lists_keep_the_order_asked(store: Store) {
    let c = creator(&store, "长列表作者").await;
    let ch = channel_id(&store, "科技").await;
    let mut published = Vec::new();
    for i in 0..300 {
        let body = format!("第{i}篇的正文&amp;内容");
        let id = store
            .create_article(&article(c.id, ch, &format!("第{i}篇"), &body, 60))
            .await
            .expect("article");
        published.push(id);
    }
    let mut draft = article(c.id, ch, "草稿", "x", 60);
    draft.status = ArticleStatus::Draft;
    let draft = store.create_article(&draft).await.expect("draft");
    let mut scheduled = article(c.id, ch, "未来", "x", 0);
    scheduled.published_at = haowen_core::time::now() + 3600;
    let scheduled = store.create_article(&scheduled).await.expect("scheduled");
    // Past one statement's worth of ids (256), in an order of our own, the invisible ones
    // among them, one asked twice.
    let mut ask: Vec<i64> = published.iter().rev().copied().collect();
    ask.insert(3, draft);
    ask.insert(280, scheduled);
    ask.push(published[299]);
    let now = haowen_core::time::now();
    let got: Vec<i64> = store
        .summaries(&ask, now)
        .await
        .expect("summaries")
        .iter()
        .map(|a| a.id)
        .collect();
    let want: Vec<i64> = published.iter().rev().copied().collect();
    assert_eq!(got, want);
    // Every short length, each padded to its statement's size.
    for n in [1, 2, 7, 8, 9, 16, 17, 255, 256, 257] {
        let got = store.summaries(&want[..n], now).await.expect("short");
        assert_eq!(got.iter().map(|a| a.id).collect::<Vec<_>>(), want[..n]);
    }
    let with_text = store
        .summaries_with_text(&[published[5], draft, published[0]], now, 100)
        .await
        .expect("with text");
    let texts: Vec<(i64, &str)> = with_text.iter().map(|(a, t)| (a.id, t.as_str())).collect();
    assert_eq!(
        texts,
        vec![
            (published[5], "第5篇的正文&内容"),
            (published[0], "第0篇的正文&内容")
        ]
    );
    // A long body: only its opening is read out (four characters of HTML per character of
    // text asked for), and an entity cut there does not show, wherever the cut falls.
    for pad in 0..24 {
        let md = format!("{} {}", "开".repeat(pad), "**甲**&".repeat(3_000));
        let long = store
            .create_article(&article(c.id, ch, "长文", &md, 60))
            .await
            .expect("long");
        let with_text = store
            .summaries_with_text(&[long], now, 50)
            .await
            .expect("with text");
        let text = &with_text[0].1;
        assert!(text.starts_with("开") || pad == 0, "{text}");
        assert!(
            !text.contains("&a") && !text.contains("&#"),
            "{pad}: {text}"
        );
        assert!(text.chars().count() <= 51, "{text}");
        assert!(text.ends_with('…'), "read as cut: {text}");
    }
}
