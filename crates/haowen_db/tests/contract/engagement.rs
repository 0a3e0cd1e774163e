//! The engagement half of the storage contract, on both backends: 跟贴, the audit log, the
//! sensitive-word list, follows credited to an article.

use haowen_core::{
    account::{Role, User},
    comment::CommentStatus,
};
use haowen_db::{AuditFilter, NewComment, Store, StoreError};
use haowen_testkit::{article, backend_tests, channel_id, creator};

backend_tests!(
    comments_count_quote_like_hold_and_pin,
    audit_log_filters_by_action_actor_and_target,
    sensitive_words_replace_the_whole_list,
    follows_from_an_article_credit_it,
);

pub(crate) async fn user(store: &Store, name: &str, role: Role) -> User {
    store
        .create_user(name, name, "h", role)
        .await
        .expect("user")
}

pub(crate) async fn one_article(store: &Store) -> (i64, i64) {
    let c = creator(store, "评论作者").await;
    let ch = channel_id(store, "体育").await;
    let id = store
        .create_article(&article(c.id, ch, "比赛", "x", 60))
        .await
        .expect("article");
    (id, c.id)
}

pub(crate) fn new(article_id: i64, user_id: i64, parent: Option<i64>, body: &str) -> NewComment {
    NewComment {
        article_id,
        user_id,
        parent_id: parent,
        body: body.into(),
        status: CommentStatus::Published,
    }
}

async fn count(store: &Store, id: i64) -> i64 {
    store.article(id).await.expect("article").comments
}

async fn comments_count_quote_like_hold_and_pin(store: Store) {
    let (aid, _) = one_article(&store).await;
    let a = user(&store, "reader_a", Role::Reader).await;
    let b = user(&store, "reader_b", Role::Reader).await;
    let before = store.latest_change_id().await.expect("feed");
    let first = store
        .add_comment(&new(aid, a.id, None, "<b>第一</b>"))
        .await
        .expect("first");
    assert_eq!(first.body, "<b>第一</b>", "stored as the text it is");
    assert_eq!(first.author, "reader_a");
    let reply = store
        .add_comment(&new(aid, b.id, Some(first.id), "回复"))
        .await
        .expect("reply");
    let third = store
        .add_comment(&new(aid, a.id, Some(reply.id), "盖楼"))
        .await
        .expect("third");
    assert_eq!(reply.chain, vec![first.id]);
    assert_eq!(third.chain, vec![first.id, reply.id], "the floors pile up");
    assert_eq!(count(&store, aid).await, 3);
    assert!(store.latest_change_id().await.expect("feed") > before);
    assert_eq!(store.comment(first.id).await.expect("c").replies, 1);

    // Likes count once per person.
    assert_eq!(
        store.like_comment(first.id, b.id).await.expect("like"),
        haowen_db::Liked {
            likes: 1,
            added: true,
            article_id: first.article_id
        }
    );
    assert_eq!(
        store.like_comment(first.id, b.id).await.expect("again"),
        haowen_db::Liked {
            likes: 1,
            added: false,
            article_id: first.article_id
        }
    );
    assert!(
        store
            .liked_comments(b.id, &[first.id, reply.id])
            .await
            .expect("liked")
            .contains(&first.id)
    );

    // A held comment is only its author's until approved, and does not count.
    let mut held = new(aid, b.id, None, "待审");
    held.status = CommentStatus::Held;
    let held = store.add_comment(&held).await.expect("held");
    assert_eq!(count(&store, aid).await, 3);
    let for_a = store
        .article_comments(aid, Some(a.id), 100)
        .await
        .expect("list");
    assert!(!for_a.iter().any(|c| c.id == held.id));
    let for_b = store
        .article_comments(aid, Some(b.id), 100)
        .await
        .expect("list");
    assert!(for_b.iter().any(|c| c.id == held.id));
    assert_eq!(store.held_comments(10).await.expect("held").len(), 1);
    let ed = user(&store, "editor_e", Role::Editor).await;
    store
        .approve_comment(held.id, ed.id)
        .await
        .expect("approve");
    assert_eq!(count(&store, aid).await, 4);
    assert!(matches!(
        store.approve_comment(held.id, ed.id).await,
        Err(StoreError::NotFound)
    ));

    // Deleting drops the counts; the quote chain still names the deleted floor.
    store
        .hide_comment(first.id, CommentStatus::Deleted, a.id, "")
        .await
        .expect("delete");
    assert_eq!(count(&store, aid).await, 3);
    assert!(matches!(
        store
            .hide_comment(first.id, CommentStatus::Removed, ed.id, "再删")
            .await,
        Err(StoreError::NotFound)
    ));
    let floors = store.comments_by_ids(&third.chain).await.expect("floors");
    assert_eq!(floors.len(), 2);
    assert!(floors.iter().any(|c| c.status == CommentStatus::Deleted));
    // Replies to a deleted comment are refused; comments on a missing article too.
    assert!(matches!(
        store
            .add_comment(&new(aid, b.id, Some(first.id), "晚了"))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.add_comment(&new(9_999_999, b.id, None, "无")).await,
        Err(StoreError::NotFound)
    ));
    // Rate-limit input: the user's recent bodies, newest first.
    let recent = store.recent_comments_of(a.id, 0).await.expect("recent");
    assert_eq!(recent.first().map(|r| r.0.as_str()), Some("盖楼"));

    // Pins: at most three per article.
    let mut ids = vec![reply.id, third.id, held.id];
    ids.push(
        store
            .add_comment(&new(aid, b.id, None, "四"))
            .await
            .expect("4")
            .id,
    );
    for id in &ids[..3] {
        assert!(store.pin_comment(*id, true).await.expect("pin"));
    }
    assert!(!store.pin_comment(ids[3], true).await.expect("fourth"));
    assert!(store.pin_comment(ids[0], false).await.expect("unpin"));
    assert!(store.pin_comment(ids[3], true).await.expect("now fits"));
    assert_eq!(
        store
            .article_comments(aid, None, 100)
            .await
            .expect("list")
            .iter()
            .filter(|c| c.pinned_at.is_some())
            .count(),
        3
    );
}

async fn audit_log_filters_by_action_actor_and_target(store: Store) {
    let (aid, _) = one_article(&store).await;
    let ed = user(&store, "editor_e", Role::Editor).await;
    let other = user(&store, "editor_f", Role::Editor).await;
    store
        .take_down(aid, Some(ed.id), "理由一")
        .await
        .expect("down");
    store
        .restore(aid, Some(other.id), "恢复")
        .await
        .expect("restore");
    store
        .take_down(aid, None, "命令行下架")
        .await
        .expect("cli down");
    let all = AuditFilter::default();
    let (entries, total) = store.audit_log(&all, 0, 10).await.expect("all");
    assert_eq!(total, 3);
    assert_eq!(entries[0].actor, "system", "the CLI acts as the system");
    assert_eq!(entries[0].detail, "命令行下架");
    let by_action = AuditFilter {
        action: "article.restore".into(),
        ..AuditFilter::default()
    };
    assert_eq!(
        store.audit_log(&by_action, 0, 10).await.expect("action").1,
        1
    );
    let by_prefix = AuditFilter {
        action: "article.".into(),
        ..AuditFilter::default()
    };
    assert_eq!(
        store.audit_log(&by_prefix, 0, 10).await.expect("prefix").1,
        3
    );
    let by_actor = AuditFilter {
        actor: "editor_e".into(),
        ..AuditFilter::default()
    };
    let (mine, n) = store.audit_log(&by_actor, 0, 10).await.expect("actor");
    assert_eq!((n, mine[0].action.as_str()), (1, "article.takedown"));
    let by_target = AuditFilter {
        target: format!("article:{aid}"),
        ..AuditFilter::default()
    };
    assert_eq!(
        store.audit_log(&by_target, 0, 10).await.expect("target").1,
        3
    );
    let wildcard = AuditFilter {
        action: "%".into(),
        ..AuditFilter::default()
    };
    assert_eq!(
        store.audit_log(&wildcard, 0, 10).await.expect("escaped").1,
        0,
        "% is literal"
    );
    let (page2, _) = store.audit_log(&all, 2, 10).await.expect("offset");
    assert_eq!(page2.len(), 1);
}

async fn sensitive_words_replace_the_whole_list(store: Store) {
    let admin = user(&store, "admin_a", Role::Admin).await;
    assert!(store.sensitive_words().await.expect("empty").is_empty());
    let before = store.latest_change_id().await.expect("feed");
    store
        .set_sensitive_words(&["赌博".into(), "发票".into()], admin.id)
        .await
        .expect("set");
    assert_eq!(store.sensitive_words().await.expect("words").len(), 2);
    store
        .set_sensitive_words(&["代考".into()], admin.id)
        .await
        .expect("replace");
    assert_eq!(
        store.sensitive_words().await.expect("words"),
        vec!["代考".to_string()]
    );
    assert!(
        store.latest_change_id().await.expect("feed") > before,
        "nodes rebuild their filter"
    );
    let words = AuditFilter {
        action: "words.".into(),
        ..AuditFilter::default()
    };
    assert_eq!(store.audit_log(&words, 0, 10).await.expect("audit").1, 2);
}

async fn follows_from_an_article_credit_it(store: Store) {
    let (aid, creator_id) = one_article(&store).await;
    let other = creator(&store, "别的作者").await;
    let r = user(&store, "reader_a", Role::Reader).await;
    let r2 = user(&store, "reader_b", Role::Reader).await;
    assert!(
        store
            .follow_from(r.id, creator_id, Some(aid))
            .await
            .expect("follow")
    );
    assert!(
        !store
            .follow_from(r.id, creator_id, Some(aid))
            .await
            .expect("again")
    );
    // Following someone else from this page does not credit it.
    assert!(
        store
            .follow_from(r2.id, other.id, Some(aid))
            .await
            .expect("other")
    );
    let now = haowen_core::time::now();
    let s = store.hot_signals(now, 86_400, 10).await.expect("signals");
    assert_eq!(s.iter().find(|s| s.id == aid).map(|s| s.follows), Some(1));
}
