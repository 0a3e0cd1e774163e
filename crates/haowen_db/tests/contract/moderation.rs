//! Moderation in the storage contract: reports fold per item and a takedown closes them;
//! one appeal per takedown, and a restore grants it.

use haowen_core::{ArticleStatus, account::Role, comment::CommentStatus};
use haowen_db::{NewReport, ReportRefusal, Store, StoreError};
use haowen_testkit::backend_tests;

use super::engagement::{new, one_article, user};

backend_tests!(
    reports_fold_per_item_and_takedowns_close_them,
    appeals_are_one_per_takedown_and_restores_grant_them,
);

async fn reports_fold_per_item_and_takedowns_close_them(store: Store) {
    let (aid, _) = one_article(&store).await;
    let a = user(&store, "reader_a", Role::Reader).await;
    let b = user(&store, "reader_b", Role::Reader).await;
    let ed = user(&store, "editor_e", Role::Editor).await;
    let c = store
        .add_comment(&new(aid, a.id, None, "广告"))
        .await
        .expect("c");
    let report = |target_kind: &str, target_id, reporter_id, kind: &str| NewReport {
        target_kind: target_kind.into(),
        target_id,
        reporter_id,
        kind: kind.into(),
        note: "说明".into(),
    };
    let r1 = store
        .add_report(&report("article", aid, a.id, "false"))
        .await
        .expect("r1");
    assert!(r1.is_ok());
    assert_eq!(
        store
            .add_report(&report("article", aid, a.id, "false"))
            .await
            .expect("dup"),
        Err(ReportRefusal::AlreadyReported)
    );
    assert!(
        store
            .add_report(&report("article", aid, b.id, "infringement"))
            .await
            .expect("r2")
            .is_ok()
    );
    assert!(
        store
            .add_report(&report("comment", c.id, b.id, "ads"))
            .await
            .expect("r3")
            .is_ok()
    );
    assert_eq!(
        store
            .add_report(&report("article", 9_999_999, a.id, "other"))
            .await
            .expect("missing"),
        Err(ReportRefusal::Missing)
    );
    assert_eq!(
        store
            .add_report(&report("comment", 9_999_999, a.id, "other"))
            .await
            .expect("missing"),
        Err(ReportRefusal::Missing)
    );
    let newest = store.report_queue(false).await.expect("queue");
    assert_eq!(newest.len(), 2, "folded per item");
    assert_eq!(newest[0].target_kind, "comment", "newest first");
    assert_eq!(newest[0].comment_body.as_deref(), Some("广告"));
    let most = store.report_queue(true).await.expect("queue");
    assert_eq!(
        (most[0].target_kind.as_str(), most[0].count),
        ("article", 2)
    );

    // Removing the comment closes its report; reporting it again is answered plainly.
    store
        .hide_comment(c.id, CommentStatus::Removed, ed.id, "广告营销")
        .await
        .expect("remove");
    assert_eq!(
        store
            .add_report(&report("comment", c.id, a.id, "ads"))
            .await
            .expect("gone"),
        Err(ReportRefusal::AlreadyRemoved)
    );
    // The takedown closes the article's reports and hides it from every list.
    store
        .take_down(aid, Some(ed.id), "不实信息")
        .await
        .expect("down");
    assert!(store.report_queue(false).await.expect("queue").is_empty());
    assert_eq!(
        store.takedown_reason(aid).await.expect("reason"),
        "不实信息"
    );
    assert_eq!(
        store.article(aid).await.expect("a").status,
        ArticleStatus::TakenDown
    );
    let now = haowen_core::time::now();
    assert!(
        store
            .latest(now, 0, 10)
            .await
            .expect("latest")
            .items
            .is_empty()
    );
    assert!(
        store
            .hot_signals(now, 86_400, 10)
            .await
            .expect("hot")
            .is_empty()
    );
    assert_eq!(
        store
            .add_report(&report("article", aid, b.id, "false"))
            .await
            .expect("gone"),
        Err(ReportRefusal::AlreadyRemoved)
    );
    assert!(matches!(
        store.take_down(aid, Some(ed.id), "再下架").await,
        Err(StoreError::NotFound)
    ));
    let down = store.taken_down_articles(10).await.expect("down");
    assert_eq!(down.len(), 1);
    assert_eq!(down[0].3, "不实信息");
    // Dismissing needs open reports.
    assert!(matches!(
        store.dismiss_reports("article", aid, ed.id, "无").await,
        Err(StoreError::NotFound)
    ));
}

async fn appeals_are_one_per_takedown_and_restores_grant_them(store: Store) {
    let (aid, creator_id) = one_article(&store).await;
    let ed = user(&store, "editor_e", Role::Editor).await;
    let author = user(&store, "author_x", Role::Creator).await;
    let _ = creator_id;
    assert!(matches!(
        store.appeal(aid, author.id, "没下架").await,
        Err(StoreError::NotFound)
    ));
    store
        .take_down(aid, Some(ed.id), "疑似抄袭")
        .await
        .expect("down");
    store
        .appeal(aid, author.id, "这是原创")
        .await
        .expect("appeal");
    assert!(matches!(
        store.appeal(aid, author.id, "再申诉").await,
        Err(StoreError::Conflict { .. })
    ));
    let pending = store.pending_appeals().await.expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].takedown_reason, "疑似抄袭");
    store
        .restore(aid, Some(ed.id), "申诉成立")
        .await
        .expect("restore");
    assert_eq!(
        store.article(aid).await.expect("a").status,
        ArticleStatus::Published
    );
    assert!(store.pending_appeals().await.expect("pending").is_empty());
    assert!(matches!(
        store.restore(aid, Some(ed.id), "").await,
        Err(StoreError::NotFound)
    ));
    // A new takedown allows a new appeal, which an editor can turn down.
    store
        .take_down(aid, Some(ed.id), "再次违规")
        .await
        .expect("down again");
    assert!(store.current_appeal(aid).await.expect("current").is_none());
    store
        .appeal(aid, author.id, "第二次申诉")
        .await
        .expect("second appeal");
    let id = store
        .current_appeal(aid)
        .await
        .expect("current")
        .expect("one")
        .id;
    store
        .reject_appeal(id, ed.id, "证据不足")
        .await
        .expect("reject");
    let current = store
        .current_appeal(aid)
        .await
        .expect("current")
        .expect("one");
    assert_eq!(
        (current.status.as_str(), current.reason.as_str()),
        ("rejected", "证据不足")
    );
    assert!(matches!(
        store.reject_appeal(id, ed.id, "again").await,
        Err(StoreError::NotFound)
    ));
}
