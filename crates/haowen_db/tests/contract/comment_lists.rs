//! An article's 跟贴 list built from candidates (engaged comments and the newest quiet ones)
//! starts exactly like the list built from every comment, in both orders, on both backends.

use haowen_core::{
    account::Role,
    comment::{Comment, CommentStatus, sort_hot},
};
use haowen_db::{NewComment, Store};
use haowen_testkit::{article, backend_tests, channel_id, creator};

backend_tests!(candidates_start_the_list_like_every_comment_does);

fn ids(list: &[Comment], k: usize) -> Vec<i64> {
    list.iter()
        .filter(|c| c.pinned_at.is_none())
        .take(k)
        .map(|c| c.id)
        .collect()
}

async fn candidates_start_the_list_like_every_comment_does(store: Store) {
    let c = creator(&store, "跟贴作者").await;
    let ch = channel_id(&store, "社会").await;
    let aid = store
        .create_article(&article(c.id, ch, "热议话题", "正文", 60))
        .await
        .expect("article");
    let mut users = Vec::new();
    for i in 0..6 {
        let name = format!("lister{i}");
        users.push(
            store
                .create_user(&name, &name, "h", Role::Reader)
                .await
                .expect("user")
                .id,
        );
    }
    let mut comments = Vec::new();
    for i in 0..40 {
        let new = NewComment {
            article_id: aid,
            user_id: users[i % users.len()],
            parent_id: (i % 9 == 8).then(|| comments[i - 5]),
            body: format!("第{i}条"),
            status: CommentStatus::Published,
        };
        comments.push(store.add_comment(&new).await.expect("comment").id);
    }
    // Likes on a few old ones, a pinned one, and the viewer's own held one.
    for (at, likes) in [(1, 3), (4, 1), (10, 2), (22, 5)] {
        for u in &users[..likes] {
            store.like_comment(comments[at], *u).await.expect("like");
        }
    }
    assert!(store.pin_comment(comments[2], true).await.expect("pin"));
    let held = store
        .add_comment(&NewComment {
            article_id: aid,
            user_id: users[0],
            parent_id: None,
            body: "待审的".into(),
            status: CommentStatus::Held,
        })
        .await
        .expect("held");
    let now = haowen_core::time::now();
    for viewer in [None, Some(users[0])] {
        let mut every = store
            .article_comments(aid, viewer, 1_000)
            .await
            .expect("all");
        let published = every
            .iter()
            .filter(|c| c.status == CommentStatus::Published)
            .count();
        for k in [1, 5, 12, 30, 60] {
            let got = store
                .comment_candidates(aid, viewer, k, None)
                .await
                .expect("candidates");
            assert_eq!(got.published as usize, published);
            for cap in [
                1,
                published as i64 - 1,
                published as i64,
                published as i64 + 5,
            ] {
                let capped = store
                    .comment_candidates(aid, viewer, k, Some(cap))
                    .await
                    .expect("capped count");
                assert_eq!(capped.published, cap.min(published as i64), "up to {cap}");
                assert_eq!(ids(&capped.comments, 1_000), ids(&got.comments, 1_000));
            }
            assert!(
                got.comments.len() < every.len() || k >= 30,
                "fewer rows read"
            );
            assert!(got.comments.iter().any(|c| c.pinned_at.is_some()), "pinned");
            assert_eq!(
                got.comments.iter().any(|c| c.id == held.id),
                viewer.is_some(),
                "held only for its author"
            );
            let mut newest = got.comments.clone();
            newest.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
            assert_eq!(ids(&newest, k), ids(&every, k), "newest first, k = {k}");
            let mut hot = got.comments.clone();
            sort_hot(&mut hot, now);
            sort_hot(&mut every, now);
            assert_eq!(ids(&hot, k), ids(&every, k), "hot, k = {k}");
            every.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        }
    }
}
