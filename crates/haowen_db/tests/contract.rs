//! The storage contract: every Store behaviour, run on SQLite and on PostgreSQL
//! (`sqlite::NAME` and `postgres::NAME` in the test output).

use haowen_core::{ArticleStatus, DEFAULT_CHANNELS, Declaration, NewCreator, account::Role};
use haowen_db::{Store, StoreError, UpsertOutcome};
use haowen_testkit::{article, backend_tests, channel_id, creator};

backend_tests!(
    migrations_seed_the_default_channels,
    creators_are_unique_by_name_and_found_by_slug,
    articles_store_rendered_sanitized_html,
    upsert_by_external_id_updates_in_place,
    lists_show_only_visible_articles_newest_first,
    pagination_totals_are_exact,
    reads_and_shares_are_counted,
    settings_fall_back_to_defaults,
    content_writes_feed_the_change_log_but_counters_do_not,
    channels_are_created_once,
    creator_counts_only_published_articles,
    hot_signals_cover_the_week_and_the_newest,
    migrating_twice_is_harmless,
    users_are_unique_and_sign_in_finds_them,
    sessions_live_until_they_expire_or_the_password_changes,
    follows_count_real_followers_and_feed_their_articles,
    studio_edits_keep_revisions_and_scheduled_articles_fall_due,
    picks_lead_their_slot_and_hide_with_their_article,
);

/// 跟贴, reports, takedowns, appeals, the audit log and the word list.
#[path = "contract/engagement.rs"]
mod engagement;

/// An article's 跟贴 list from candidates, not from every comment.
#[path = "contract/comment_lists.rs"]
mod comment_lists;

/// A comment spike: many posts at once, each kept or refused alone.
#[path = "contract/spike.rs"]
mod spike;

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

async fn migrating_twice_is_harmless(store: Store) {
    store.migrate().await.expect("second migrate");
    let applied = store.applied_migrations().await.expect("applied");
    assert_eq!(applied.len(), 12);
    assert_eq!(
        store.channels().await.expect("channels").len(),
        DEFAULT_CHANNELS.len()
    );
}

async fn users_are_unique_and_sign_in_finds_them(store: Store) {
    assert_eq!(store.admin_count().await.expect("count"), 0);
    let u = store
        .create_user("li_lei", "李雷", "$argon2id$fake", Role::Admin)
        .await
        .expect("create");
    assert_eq!(
        (
            u.username.as_str(),
            u.display_name.as_str(),
            u.role,
            u.disabled
        ),
        ("li_lei", "李雷", Role::Admin, false)
    );
    assert_eq!(store.admin_count().await.expect("count"), 1);
    let dup = store.create_user("li_lei", "别人", "x", Role::Reader).await;
    assert!(matches!(dup, Err(StoreError::Conflict { .. })), "{dup:?}");
    let (found, hash) = store
        .user_for_sign_in("li_lei")
        .await
        .expect("lookup")
        .expect("present");
    assert_eq!((found.id, hash.as_str()), (u.id, "$argon2id$fake"));
    assert!(
        store
            .user_for_sign_in("nobody")
            .await
            .expect("lookup")
            .is_none()
    );
}

async fn sessions_live_until_they_expire_or_the_password_changes(store: Store) {
    let u = store
        .create_user("han_meimei", "韩梅梅", "h1", Role::Reader)
        .await
        .expect("create");
    let now = haowen_core::time::now();
    store
        .create_session("digest-a", u.id, "csrf-a", now + 3600)
        .await
        .expect("a");
    store
        .create_session("digest-b", u.id, "csrf-b", now + 3600)
        .await
        .expect("b");
    store
        .create_session("digest-old", u.id, "csrf-old", now - 1)
        .await
        .expect("old");
    let (who, csrf) = store
        .session_user("digest-a", now)
        .await
        .expect("lookup")
        .expect("live");
    assert_eq!((who.id, csrf.as_str()), (u.id, "csrf-a"));
    assert!(
        store
            .session_user("digest-old", now)
            .await
            .expect("lookup")
            .is_none(),
        "expired"
    );
    assert!(
        store
            .session_user("digest-x", now)
            .await
            .expect("lookup")
            .is_none(),
        "unknown"
    );
    assert_eq!(store.prune_sessions(now).await.expect("prune"), 1);
    store
        .set_password(u.id, "h2", Some("digest-a"))
        .await
        .expect("password");
    assert_eq!(store.password_hash(u.id).await.expect("hash"), "h2");
    assert!(
        store
            .session_user("digest-a", now)
            .await
            .expect("lookup")
            .is_some(),
        "the current session stays"
    );
    assert!(
        store
            .session_user("digest-b", now)
            .await
            .expect("lookup")
            .is_none(),
        "other sessions end"
    );
    store.delete_session("digest-a").await.expect("sign out");
    assert!(
        store
            .session_user("digest-a", now)
            .await
            .expect("lookup")
            .is_none()
    );
}

async fn follows_count_real_followers_and_feed_their_articles(store: Store) {
    let a = creator(&store, "作者子").await;
    let b = creator(&store, "作者丑").await;
    let ch = channel_id(&store, "体育").await;
    let a1 = store
        .create_article(&article(a.id, ch, "子一", "x", 300))
        .await
        .expect("a1");
    let b1 = store
        .create_article(&article(b.id, ch, "丑一", "x", 200))
        .await
        .expect("b1");
    store
        .create_article(&article(b.id, ch, "丑未来", "x", -600))
        .await
        .expect("future");
    let u = store
        .create_user("reader_1", "读者一", "h", Role::Reader)
        .await
        .expect("u");
    let v = store
        .create_user("reader_2", "读者二", "h", Role::Reader)
        .await
        .expect("v");
    assert!(store.follow(u.id, a.id).await.expect("follow"));
    assert!(
        !store.follow(u.id, a.id).await.expect("again"),
        "following twice counts once"
    );
    assert!(store.follow(u.id, b.id).await.expect("follow"));
    assert!(store.follow(v.id, a.id).await.expect("follow"));
    assert_eq!(store.creator(a.id).await.expect("a").followers, 2);
    assert!(store.is_following(u.id, b.id).await.expect("is"));
    let feed = store
        .following_feed(u.id, haowen_core::time::now(), 0, 10)
        .await
        .expect("feed");
    assert_eq!(
        feed.items.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![b1, a1],
        "newest first, nothing scheduled"
    );
    assert_eq!(feed.total, 2);
    let followed: Vec<i64> = store
        .followed_creators(u.id)
        .await
        .expect("list")
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(followed.len(), 2);
    assert!(store.unfollow(u.id, a.id).await.expect("unfollow"));
    assert!(!store.unfollow(u.id, a.id).await.expect("again"));
    assert_eq!(store.creator(a.id).await.expect("a").followers, 1);
    assert!(!store.is_following(u.id, a.id).await.expect("is"));
}

async fn studio_edits_keep_revisions_and_scheduled_articles_fall_due(store: Store) {
    let c = creator(&store, "作者寅").await;
    let ch = channel_id(&store, "科技").await;
    let mut new = article(c.id, ch, "初版", "初版正文", 60);
    new.declaration = Declaration::reprint("新华社", "https://example.com/src");
    let id = store.create_article(&new).await.expect("create");
    assert_eq!(
        store.article(id).await.expect("a").declaration.link(),
        Some("https://example.com/src")
    );
    new.title = "修订版".into();
    new.body_md = "修订正文".into();
    store.update_article(id, &new, None).await.expect("edit");
    let revs = store.revisions(id).await.expect("revisions");
    assert_eq!(revs.len(), 1);
    assert_eq!(
        (revs[0].title.as_str(), revs[0].body_md.as_str()),
        ("初版", "初版正文")
    );
    let a = store.article(id).await.expect("a");
    assert_eq!(a.title, "修订版");
    assert!(a.body_html.contains("修订正文"));
    // A draft's edits keep no revisions.
    let mut draft = article(c.id, ch, "草稿", "x", 0);
    draft.status = ArticleStatus::Draft;
    let d = store.create_article(&draft).await.expect("draft");
    draft.title = "草稿2".into();
    store
        .update_article(d, &draft, None)
        .await
        .expect("edit draft");
    assert!(store.revisions(d).await.expect("revisions").is_empty());
    let (mine, total) = store.studio_articles(c.id, 0, 10).await.expect("studio");
    assert_eq!((mine.len(), total), (2, 2));
    assert_eq!(mine[0].id, d, "most recently changed first");
    // Scheduled: published with a future time; due once the time passes.
    let now = haowen_core::time::now();
    let mut later = article(c.id, ch, "定时文章", "x", -120);
    later.status = ArticleStatus::Published;
    store.create_article(&later).await.expect("scheduled");
    assert_eq!(store.scheduled_due(now, now + 60).await.expect("due"), 0);
    assert_eq!(
        store.scheduled_due(now + 60, now + 180).await.expect("due"),
        1
    );
    // Deleting hides it from the studio.
    let u = store
        .create_user("creator_yin", "寅", "h", Role::Creator)
        .await
        .expect("u");
    store.delete_article(d, u.id).await.expect("delete");
    assert_eq!(
        store.studio_articles(c.id, 0, 10).await.expect("studio").1,
        2
    );
    assert!(matches!(
        store.delete_article(d, u.id).await,
        Err(StoreError::NotFound)
    ));
}

async fn picks_lead_their_slot_and_hide_with_their_article(store: Store) {
    let c = creator(&store, "作者卯").await;
    let ch = channel_id(&store, "教育").await;
    let a = store
        .create_article(&article(c.id, ch, "甲", "x", 600))
        .await
        .expect("a");
    let b = store
        .create_article(&article(c.id, ch, "乙", "x", 300))
        .await
        .expect("b");
    let ed = store
        .create_user("editor_mao", "卯编辑", "h", Role::Editor)
        .await
        .expect("editor");
    let before = store.latest_change_id().await.expect("feed");
    store.add_pick("headline", a, ed.id).await.expect("pick a");
    store.add_pick("headline", b, ed.id).await.expect("pick b");
    store
        .add_pick("headline", b, ed.id)
        .await
        .expect("pick b again");
    assert!(
        store.latest_change_id().await.expect("feed") > before,
        "picks invalidate pages"
    );
    let now = haowen_core::time::now();
    let ids: Vec<i64> = store
        .picks("headline", now, 10)
        .await
        .expect("picks")
        .iter()
        .map(|x| x.id)
        .collect();
    assert_eq!(ids, vec![b, a], "newest pick first, no duplicates");
    store
        .set_article_status(b, ArticleStatus::TakenDown)
        .await
        .expect("down");
    assert_eq!(
        store.picks("headline", now, 10).await.expect("picks").len(),
        1,
        "a taken-down pick disappears"
    );
    store
        .remove_pick("headline", a, ed.id)
        .await
        .expect("remove");
    assert!(matches!(
        store.remove_pick("headline", a, ed.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.add_pick("headline", 9_999_999, ed.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        store
            .audit_entries(10)
            .await
            .expect("audit")
            .iter()
            .any(|e| e.1 == "pick.add")
    );
}

/// What search and 相关推荐 read: index rows, the feed after a cursor, co-reading.
#[path = "contract/discovery.rs"]
mod discovery;
