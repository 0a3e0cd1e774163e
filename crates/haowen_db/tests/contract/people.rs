//! Accounts in the storage contract: unique users, sign-in lookups, sessions that end when
//! they expire or the password changes, follows and the feed they make.

use haowen_core::account::Role;
use haowen_db::{Store, StoreError};
use haowen_testkit::{article, backend_tests, channel_id, creator};

backend_tests!(
    users_are_unique_and_sign_in_finds_them,
    sessions_live_until_they_expire_or_the_password_changes,
    follows_count_real_followers_and_feed_their_articles,
);

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
