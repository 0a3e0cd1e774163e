//! The storage contract: every Store behaviour, run on SQLite and on PostgreSQL
//! (`sqlite::NAME` and `postgres::NAME` in the test output).

use haowen_core::{ArticleStatus, DEFAULT_CHANNELS, Declaration, NewCreator};
use haowen_db::{Store, StoreError, UpsertOutcome};
use haowen_testkit::{article, backend_tests, channel_id, creator};

backend_tests!(
    migrations_seed_the_default_channels,
    creators_are_unique_by_name_and_found_by_slug,
    articles_store_rendered_sanitized_html,
    upsert_by_external_id_updates_in_place,
    reads_and_shares_are_counted,
    settings_fall_back_to_defaults,
    content_writes_feed_the_change_log_but_counters_do_not,
    channels_are_created_once,
    migrating_twice_is_harmless,
);

/// 跟贴, the audit log, the word list, follows from an article.
#[path = "contract/engagement.rs"]
mod engagement;

/// An article's 跟贴 list from candidates, not from every comment.
#[path = "contract/comment_lists.rs"]
mod comment_lists;

/// A comment spike: many posts at once, each kept or refused alone.
#[path = "contract/spike.rs"]
mod spike;

/// Import batches in multi-row statements.
#[path = "contract/upserts.rs"]
mod upserts;

/// A tag's articles and counts.
#[path = "contract/tags.rs"]
mod tags;

async fn migrations_seed_the_default_channels(store: Store) {
    let channels = store.channels().await.expect("channels");
    let names: Vec<&str> = channels.iter().map(|c| c.name.as_str()).collect();
    let expected: Vec<&str> = DEFAULT_CHANNELS.iter().map(|(_, n)| *n).collect();
    assert_eq!(names, expected);
    let sports = store.channel_by_slug("sports").await.expect("sports");
    assert_eq!(sports.name, "体育");
    assert!(matches!(
        store.channel_by_slug("nope").await,
        Err(StoreError::NotFound)
    ));
}

async fn creators_are_unique_by_name_and_found_by_slug(store: Store) {
    let c = creator(&store, "江城观察").await;
    assert_eq!(store.creator_by_slug(&c.slug).await.expect("by slug"), c);
    assert_eq!(c.article_count, 0);
    let dup = store
        .create_creator(&NewCreator {
            slug: "other".into(),
            name: "江城观察".into(),
            avatar_url: String::new(),
            bio: String::new(),
        })
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict { .. })), "{dup:?}");
    let again = store
        .creator_by_name_or_create("江城观察")
        .await
        .expect("existing");
    assert_eq!(again.id, c.id);
    let made = store
        .creator_by_name_or_create("新来的号")
        .await
        .expect("created");
    assert_ne!(made.id, c.id);
    assert!(made.bio.contains("新来的号"));
    assert!(matches!(
        store.creator(9_999_999).await,
        Err(StoreError::NotFound)
    ));
}

async fn articles_store_rendered_sanitized_html(store: Store) {
    let c = creator(&store, "作者甲").await;
    let ch = channel_id(&store, "科技").await;
    let mut new = article(
        c.id,
        ch,
        "标题",
        "## 小标题\n\n正文<script>alert(1)</script>段落。",
        60,
    );
    new.declaration = Declaration::reprint("新华社", "");
    new.tags = vec!["人工智能".into(), "芯片".into()];
    let id = store.create_article(&new).await.expect("create");
    let a = store.article(id).await.expect("get");
    assert_eq!(a.title, "标题");
    assert!(a.body_html.contains("<h2>小标题</h2>"), "{}", a.body_html);
    assert!(!a.body_html.contains("<script"), "{}", a.body_html);
    assert_eq!(a.summary, "小标题 正文段落。");
    assert_eq!(a.declaration, Declaration::reprint("新华社", ""));
    assert_eq!(a.tags, vec!["人工智能".to_string(), "芯片".to_string()]);
    assert_eq!(a.status, ArticleStatus::Published);
    assert_eq!((a.reads, a.comments, a.shares), (0, 0, 0));
}

async fn upsert_by_external_id_updates_in_place(store: Store) {
    let c = creator(&store, "作者乙").await;
    let ch = channel_id(&store, "体育").await;
    let mut new = article(c.id, ch, "初稿标题", "初稿", 60);
    new.external_id = Some("src-1".into());
    let first = store.upsert_article(&new).await.expect("insert");
    let UpsertOutcome::Inserted(id) = first else {
        panic!("{first:?}")
    };
    store.add_reads(&[(id, 5)]).await.expect("reads");
    new.title = "修订标题".into();
    new.body_md = "修订正文".into();
    assert_eq!(
        store.upsert_article(&new).await.expect("update"),
        UpsertOutcome::Updated(id)
    );
    let a = store.article(id).await.expect("get");
    assert_eq!(a.title, "修订标题");
    assert!(a.body_html.contains("修订正文"));
    assert_eq!(a.summary, "修订正文");
    assert_eq!(a.reads, 5, "counters survive an update");
    assert_eq!(store.article_count().await.expect("count"), 1);
}

async fn reads_and_shares_are_counted(store: Store) {
    let c = creator(&store, "作者戊").await;
    let ch = channel_id(&store, "娱乐").await;
    let a = store
        .create_article(&article(c.id, ch, "甲", "x", 60))
        .await
        .expect("a");
    let b = store
        .create_article(&article(c.id, ch, "乙", "x", 60))
        .await
        .expect("b");
    store.add_reads(&[(a, 3), (b, 1)]).await.expect("reads");
    store.add_reads(&[(a, 2)]).await.expect("reads");
    store.add_reads(&[]).await.expect("empty batch");
    assert_eq!(store.article(a).await.expect("a").reads, 5);
    assert_eq!(store.article(b).await.expect("b").reads, 1);
    assert_eq!(store.add_share(a).await.expect("share"), 1);
    assert_eq!(store.add_share(a).await.expect("share"), 2);
    assert!(matches!(
        store.add_share(9_999_999).await,
        Err(StoreError::NotFound)
    ));
}

async fn settings_fall_back_to_defaults(store: Store) {
    assert_eq!(store.settings().await.expect("settings").site_name, "好文");
    store
        .set_setting("site_name", "江城好文")
        .await
        .expect("set");
    store
        .set_setting("site_name", "江城好文2")
        .await
        .expect("set again");
    assert_eq!(
        store.settings().await.expect("settings").site_name,
        "江城好文2"
    );
    assert_eq!(store.setting_pairs().await.expect("pairs").len(), 1);
    store.reset_setting("site_name").await.expect("reset");
    assert_eq!(store.settings().await.expect("settings").site_name, "好文");
}

async fn content_writes_feed_the_change_log_but_counters_do_not(store: Store) {
    let start = store.latest_change_id().await.expect("latest");
    let c = creator(&store, "作者己").await;
    let after_creator = store.latest_change_id().await.expect("latest");
    assert!(after_creator > start);
    let ch = channel_id(&store, "教育").await;
    let a = store
        .create_article(&article(c.id, ch, "文", "x", 60))
        .await
        .expect("a");
    let after_article = store.latest_change_id().await.expect("latest");
    assert!(after_article > after_creator);
    store.add_reads(&[(a, 1)]).await.expect("reads");
    store.add_share(a).await.expect("share");
    assert_eq!(
        store.latest_change_id().await.expect("latest"),
        after_article
    );
    store.set_setting("timezone", "UTC").await.expect("set");
    let newest = store.latest_change_id().await.expect("latest");
    assert!(newest > after_article);
    let pruned = store.prune_changes(1).await.expect("prune");
    assert!(pruned >= 2, "{pruned}");
    assert_eq!(
        store.latest_change_id().await.expect("latest"),
        newest,
        "the newest id survives pruning"
    );
}

async fn channels_are_created_once(store: Store) {
    let before = store.channels().await.expect("channels").len();
    let a = store
        .channel_by_name_or_create("公益")
        .await
        .expect("create");
    let b = store
        .channel_by_name_or_create("公益")
        .await
        .expect("again");
    assert_eq!(a, b);
    assert_eq!(a.slug, "公益");
    let all = store.channels().await.expect("channels");
    assert_eq!(all.len(), before + 1);
    assert_eq!(all.last().map(|c| c.id), Some(a.id), "new channels go last");
}

async fn migrating_twice_is_harmless(store: Store) {
    store.migrate().await.expect("second migrate");
    let applied = store.applied_migrations().await.expect("applied");
    assert_eq!(applied.len(), 13);
    assert_eq!(
        store.channels().await.expect("channels").len(),
        DEFAULT_CHANNELS.len()
    );
}

/// What search and 相关推荐 read: index rows, the feed after a cursor, co-reading.
#[path = "contract/discovery.rs"]
mod discovery;

/// Accounts, sessions, follows.
#[path = "contract/people.rs"]
mod people;

/// Revisions, scheduling, editors' picks.
#[path = "contract/studio.rs"]
mod studio;

/// Visible lists, totals, hot signals.
#[path = "contract/lists.rs"]
mod lists;

/// Reports, takedowns, appeals.
#[path = "contract/moderation.rs"]
mod moderation;
