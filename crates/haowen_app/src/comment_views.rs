//! 跟贴 as templates print them: author, text, time, counts, the quoted floors (盖楼) and what
//! the viewer may do with each comment. Built for the article page and the comments page.

use std::collections::HashMap;

use chrono_tz::Tz;
use haowen_core::{
    account::Role,
    comment::{Comment, CommentStatus, sort_hot},
    time,
};

use crate::{Db, Refusal, accounts::Viewer};

/// Comments the article page shows under 热门跟贴 (the rest are on the comments page).
pub const ON_ARTICLE_PAGE: usize = 5;

/// One quoted floor.
#[derive(Debug, Clone)]
pub struct Floor {
    pub number: usize,
    pub author: String,
    /// The text, or a notice when the quoted comment is gone.
    pub body: String,
    pub gone: bool,
}

/// One comment on a page.
#[derive(Debug, Clone)]
pub struct CommentView {
    pub id: i64,
    pub author: String,
    pub body: String,
    pub time: String,
    pub iso: String,
    pub likes: i64,
    pub replies: i64,
    pub pinned: bool,
    /// Waiting for review (only its author sees it).
    pub held: bool,
    /// Oldest floor first.
    pub floors: Vec<Floor>,
    pub liked: bool,
    pub mine: bool,
    pub can_remove: bool,
    pub can_pin: bool,
}

/// An article's comments, ordered and annotated for one viewer.
pub struct CommentList {
    pub pinned: Vec<CommentView>,
    /// All others in the chosen order (pinned ones excluded).
    /// The unpinned comments asked for (`shown`), in order.
    pub rest: Vec<CommentView>,
    /// How many unpinned comments there are in all ([`Count::BeyondShown`]: counted only far
    /// enough to tell whether there are more than `shown`).
    pub total: usize,
}

/// How far [`load`] counts an article's comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// All of them (a pager needs the number of pages).
    Exact,
    /// Only whether there are more than the page shows (the article page's 查看全部跟贴): a
    /// hot story's 30,000 comments are not walked at each render.
    BeyondShown,
}

/// Loads and orders (`hot` or newest) an article's comments, and annotates the pinned ones and
/// those of `shown` (positions among the others) — only what the page shows is formatted, its
/// quote chains and likes looked up (an article page shows 5 of possibly thousands).
pub async fn load(
    db: &Db,
    article_id: i64,
    article_creator_id: i64,
    viewer: Option<&Viewer>,
    hot: bool,
    zone: Tz,
    (shown, count): (std::ops::Range<usize>, Count),
) -> Result<CommentList, Refusal> {
    let viewer_id = viewer.map(|v| v.user.id);
    // Enough published ones that, pinned ones taken out, more than `shown.end` remain.
    let count_up_to = (count == Count::BeyondShown)
        .then(|| (shown.end + haowen_core::comment::MAX_PINNED + 1) as i64);
    // Every comment that can be among the first `shown.end` of either order (comment_lists.rs).
    let candidates = db
        .store
        .comment_candidates(article_id, viewer_id, shown.end, count_up_to)
        .await?;
    let mut all = candidates.comments;
    if hot {
        sort_hot(&mut all, time::now());
    } else {
        all.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    }
    let (pinned_all, others): (Vec<Comment>, Vec<Comment>) =
        all.into_iter().partition(|c| c.pinned_at.is_some());
    let pinned_published = pinned_all
        .iter()
        .filter(|c| c.status == CommentStatus::Published)
        .count();
    let held = others
        .iter()
        .filter(|c| c.status == CommentStatus::Held)
        .count();
    let total = (candidates.published as usize).saturating_sub(pinned_published) + held;
    let comments: Vec<Comment> = pinned_all
        .into_iter()
        .chain(
            others
                .into_iter()
                .skip(shown.start)
                .take(shown.end.saturating_sub(shown.start)),
        )
        .collect();
    let mut quoted: Vec<i64> = comments.iter().flat_map(|c| c.chain.clone()).collect();
    quoted.sort_unstable();
    quoted.dedup();
    let floors: HashMap<i64, Comment> = db
        .store
        .comments_by_ids(&quoted)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let liked = match viewer {
        Some(v) => {
            let ids: Vec<i64> = comments.iter().map(|c| c.id).collect();
            db.store.liked_comments(v.user.id, &ids).await?
        }
        None => Default::default(),
    };
    let editor = viewer.is_some_and(|v| v.user.can(Role::Editor));
    let owner = viewer.is_some_and(|v| v.user.creator_id == Some(article_creator_id));
    let view = |c: &Comment| CommentView {
        id: c.id,
        author: c.author.clone(),
        body: c.body.clone(),
        time: time::format_datetime(c.created_at, zone),
        iso: time::rfc3339(c.created_at),
        likes: c.likes,
        replies: c.replies,
        pinned: c.pinned_at.is_some(),
        held: c.status == CommentStatus::Held,
        floors: c
            .chain
            .iter()
            .enumerate()
            .map(|(i, id)| match floors.get(id) {
                Some(f) if f.status == CommentStatus::Published => Floor {
                    number: i + 1,
                    author: f.author.clone(),
                    body: f.body.clone(),
                    gone: false,
                },
                _ => Floor {
                    number: i + 1,
                    author: String::new(),
                    body: "该跟贴已被删除".into(),
                    gone: true,
                },
            })
            .collect(),
        liked: liked.contains(&c.id),
        mine: viewer_id == Some(c.user_id),
        can_remove: editor && viewer_id != Some(c.user_id),
        can_pin: owner && c.status == CommentStatus::Published,
    };
    let mut pinned: Vec<&Comment> = comments.iter().filter(|c| c.pinned_at.is_some()).collect();
    pinned.sort_by_key(|c| c.pinned_at);
    Ok(CommentList {
        pinned: pinned.into_iter().map(view).collect(),
        rest: comments
            .iter()
            .filter(|c| c.pinned_at.is_none())
            .map(view)
            .collect(),
        total,
    })
}
