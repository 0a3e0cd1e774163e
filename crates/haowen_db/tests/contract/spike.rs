//! A comment spike at the storage layer, on both backends: many posts at the same moment
//! (committed together on SQLite, side by side on PostgreSQL), each kept or refused on its own.

use haowen_core::{account::Role, comment::CommentStatus};
use haowen_db::{CommentLimits, NewComment, Store, StoreError};
use haowen_testkit::{article, backend_tests, channel_id, creator};

backend_tests!(simultaneous_comments_are_each_kept_or_refused_alone);

const READERS: usize = 150;

async fn simultaneous_comments_are_each_kept_or_refused_alone(store: Store) {
    let c = creator(&store, "热点作者").await;
    let ch = channel_id(&store, "社会").await;
    let aid = store
        .create_article(&article(c.id, ch, "全城关注", "正文", 60))
        .await
        .expect("article");
    let mut readers = Vec::new();
    for i in 0..READERS {
        let name = format!("reader{i}");
        let u = store
            .create_user(&name, &name, "h", Role::Reader)
            .await
            .expect("user");
        readers.push(u.id);
    }
    let now = haowen_core::time::now();
    let limits = CommentLimits {
        repeat_since: now - 600,
        burst_since: now - 60,
        burst_max: 5,
    };
    let post = |user_id: i64, article_id: i64, body: String| {
        let store = store.clone();
        tokio::spawn(async move {
            let new = NewComment {
                article_id,
                user_id,
                parent_id: None,
                body,
                status: CommentStatus::Published,
            };
            store.add_comment_limited(&new, limits).await
        })
    };
    let mut tasks = Vec::new();
    // Everyone but the last two posts one comment of their own…
    for (i, id) in readers[..READERS - 2].iter().enumerate() {
        tasks.push(("own", post(*id, aid, format!("第 {i} 条看法"))));
    }
    // … one person sends the same text ten times (one is kept), another ten different texts
    // (the burst limit keeps five), and ten comments go to an article that does not exist.
    let repeater = readers[READERS - 2];
    let burster = readers[READERS - 1];
    for (i, lost) in readers.iter().take(10).enumerate() {
        tasks.push(("repeat", post(repeater, aid, "顶！".into())));
        tasks.push(("burst", post(burster, aid, format!("刷屏 {i}"))));
        tasks.push(("missing", post(*lost, 9_999_999, format!("迷路 {i}"))));
    }
    let (mut kept, mut repeats, mut bursts, mut missing) = (0, 0, 0, 0);
    for (kind, task) in tasks {
        match (kind, task.await.expect("no panic")) {
            (_, Ok(id)) => {
                let stored = store.comment(id).await.expect("stored");
                assert_eq!(stored.article_id, aid, "{kind}");
                kept += 1;
            }
            ("repeat", Err(StoreError::Conflict { constraint }))
                if constraint == "repeated_comment" =>
            {
                repeats += 1
            }
            ("burst", Err(StoreError::Conflict { constraint }))
                if constraint == "comment_burst" =>
            {
                bursts += 1
            }
            ("missing", Err(StoreError::NotFound)) => missing += 1,
            (kind, other) => panic!("{kind}: {other:?}"),
        }
    }
    assert_eq!((repeats, bursts, missing), (9, 5, 10));
    assert_eq!(kept, READERS - 2 + 1 + 5, "every other comment is stored");
    let article = store.article(aid).await.expect("article");
    assert_eq!(
        article.comments as usize, kept,
        "the count matches the rows"
    );
    let stored = store
        .article_comments(aid, None, 1_000)
        .await
        .expect("list");
    assert_eq!(stored.len(), kept, "each stored once");
}
