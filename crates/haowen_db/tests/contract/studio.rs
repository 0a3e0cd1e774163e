//! The studio's side of the storage contract: edits keep revisions, scheduled articles fall
//! due, editors' picks lead their slot and hide with their article.

use haowen_core::{ArticleStatus, Declaration, account::Role};
use haowen_db::{Store, StoreError};
use haowen_testkit::{article, backend_tests, channel_id, creator};

backend_tests!(
    studio_edits_keep_revisions_and_scheduled_articles_fall_due,
    picks_lead_their_slot_and_hide_with_their_article,
);

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
