//! Lists in the storage contract: only visible articles, newest first, exact totals; a
//! creator's count of published articles; the hot list's signals.

use haowen_core::ArticleStatus;
use haowen_db::{Store, StoreError};
use haowen_testkit::{article, backend_tests, channel_id, creator};

backend_tests!(
    lists_show_only_visible_articles_newest_first,
    pagination_totals_are_exact,
    creator_counts_only_published_articles,
    hot_signals_cover_the_week_and_the_newest,
);

async fn lists_show_only_visible_articles_newest_first(store: Store) {
    let c = creator(&store, "作者丙").await;
    let ch = channel_id(&store, "财经").await;
    let other = channel_id(&store, "汽车").await;
    let old = store
        .create_article(&article(c.id, ch, "旧文", "x", 7200))
        .await
        .expect("old");
    let new = store
        .create_article(&article(c.id, ch, "新文", "x", 60))
        .await
        .expect("new");
    let elsewhere = store
        .create_article(&article(c.id, other, "别处", "x", 30))
        .await
        .expect("other");
    let mut draft = article(c.id, ch, "草稿", "x", 10);
    draft.status = ArticleStatus::Draft;
    store.create_article(&draft).await.expect("draft");
    store
        .create_article(&article(c.id, ch, "定时", "x", -3600))
        .await
        .expect("scheduled");
    let down = store
        .create_article(&article(c.id, ch, "下架", "x", 20))
        .await
        .expect("down");
    store
        .set_article_status(down, ArticleStatus::TakenDown)
        .await
        .expect("take down");

    let now = haowen_core::time::now();
    let ids = |p: haowen_db::Page<haowen_core::ArticleSummary>| {
        p.items.iter().map(|a| a.id).collect::<Vec<_>>()
    };
    assert_eq!(
        ids(store
            .channel_articles(ch, now, 0, 10)
            .await
            .expect("channel")),
        vec![new, old]
    );
    assert_eq!(
        ids(store.latest(now, 0, 10).await.expect("latest")),
        vec![elsewhere, new, old]
    );
    assert_eq!(
        ids(store
            .creator_articles(c.id, now, 0, 10)
            .await
            .expect("creator")),
        vec![elsewhere, new, old]
    );
    let first = store
        .latest(now, 0, 1)
        .await
        .expect("latest")
        .items
        .remove(0);
    assert_eq!(first.creator_name, "作者丙");
    assert_eq!(first.creator_slug, c.slug);
    assert_eq!(first.title, "别处");
    assert!(matches!(
        store
            .set_article_status(9_999_999, ArticleStatus::Draft)
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn pagination_totals_are_exact(store: Store) {
    let c = creator(&store, "作者丁").await;
    let ch = channel_id(&store, "游戏").await;
    for i in 0..7 {
        store
            .create_article(&article(c.id, ch, &format!("第{i}篇"), "x", 100 * (i + 1)))
            .await
            .expect("create");
    }
    let now = haowen_core::time::now();
    let p1 = store.channel_articles(ch, now, 0, 3).await.expect("p1");
    let p3 = store.channel_articles(ch, now, 6, 3).await.expect("p3");
    assert_eq!((p1.items.len(), p1.total), (3, 7));
    assert_eq!((p3.items.len(), p3.total), (1, 7));
    assert_eq!(p1.items[0].title, "第0篇");
    assert_eq!(p3.items[0].title, "第6篇");
}

async fn creator_counts_only_published_articles(store: Store) {
    let c = creator(&store, "作者庚").await;
    let ch = channel_id(&store, "艺术").await;
    store
        .create_article(&article(c.id, ch, "一", "x", 60))
        .await
        .expect("one");
    let two = store
        .create_article(&article(c.id, ch, "二", "x", 60))
        .await
        .expect("two");
    let mut draft = article(c.id, ch, "稿", "x", 60);
    draft.status = ArticleStatus::Draft;
    store.create_article(&draft).await.expect("draft");
    assert_eq!(store.creator(c.id).await.expect("creator").article_count, 2);
    store
        .set_article_status(two, ArticleStatus::TakenDown)
        .await
        .expect("down");
    assert_eq!(store.creator(c.id).await.expect("creator").article_count, 1);
    let all = store.creators().await.expect("creators");
    assert_eq!(all.len(), 1);
}

async fn hot_signals_cover_the_week_and_the_newest(store: Store) {
    let c = creator(&store, "作者辛").await;
    let ch = channel_id(&store, "家居").await;
    let popular = store
        .create_article(&article(c.id, ch, "老而热", "x", 3 * 86_400))
        .await
        .expect("popular");
    let ancient = store
        .create_article(&article(c.id, ch, "很久以前", "x", 30 * 86_400))
        .await
        .expect("ancient");
    for i in 0..5 {
        store
            .create_article(&article(c.id, ch, &format!("新{i}"), "x", 60 + i))
            .await
            .expect("new");
    }
    let mut future = article(c.id, ch, "未来", "x", 0);
    future.published_at = haowen_core::time::now() + 3600;
    let future = store.create_article(&future).await.expect("future");
    store.add_reads(&[(popular, 10_000)]).await.expect("reads");
    let now = haowen_core::time::now();
    let signals = store
        .hot_signals(now, 7 * 86_400, 2)
        .await
        .expect("signals");
    let ids: Vec<i64> = signals.iter().map(|s| s.id).collect();
    assert!(ids.contains(&popular));
    assert!(
        !ids.contains(&ancient),
        "outside the window and not among the newest"
    );
    assert!(
        !ids.contains(&future),
        "scheduled articles are not signals yet"
    );
    assert_eq!(ids.len(), 6);
    let hot = signals.iter().find(|s| s.id == popular).expect("popular");
    assert_eq!(
        (hot.reads, hot.creator_id, hot.channel_id),
        (10_000, c.id, ch)
    );
    let ranked = haowen_core::hot::rank(&signals, now, 3);
    assert_eq!(ranked[0], popular);
    // Summaries come back in the order asked, without invisible ones.
    let listed = store
        .summaries(&[ranked[1], future, popular], now)
        .await
        .expect("summaries");
    let listed: Vec<i64> = listed.iter().map(|a| a.id).collect();
    assert_eq!(listed, vec![ranked[1], popular]);
}
