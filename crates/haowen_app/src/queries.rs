//! Page data read from the database: what the reader's, creator's and editor's pages show, as
//! core types. Each read turns a store failure into a [`Refusal`] (not found, try again, or an
//! internal fault), so the web crate never sees the store. Writes are not here: they are use
//! cases.

use std::collections::BTreeMap;

use haowen_core::{Article, ArticleSummary, Channel, Creator, account::User, comment::Comment};
pub use haowen_db::{Appeal, Application, AuditEntry, AuditFilter, Page, QueueItem, Revision};

use crate::{Db, Refusal};

/// Declares reads that pass straight through to the store, with their documentation.
macro_rules! reads {
    ($( $(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty; )*) => {
        impl Db {
            $(
                $(#[$doc])*
                pub async fn $name(&self, $($arg: $ty),*) -> Result<$ret, Refusal> {
                    Ok(self.store.$name($($arg),*).await?)
                }
            )*
        }
    };
}

reads! {
    /// One article, whatever its status (callers decide what a reader may see).
    fn article(id: i64) -> Article;
    /// Article summaries by id, visible ones only, in the order asked.
    fn summaries(ids: &[i64], now: i64) -> Vec<ArticleSummary>;
    /// Every visible article, newest first (the home page's 最新).
    fn latest(now: i64, offset: i64, limit: i64) -> Page<ArticleSummary>;
    /// A tag's visible articles, newest first.
    fn tag_articles(tag: &str, now: i64, offset: i64, limit: i64) -> Page<ArticleSummary>;
    /// How many visible articles carry a tag.
    fn tag_count(tag: &str, now: i64) -> i64;
    /// How many visible articles carry a tag, up to a cap (`cap + 1` means more).
    fn tag_count_upto(tag: &str, now: i64, cap: i64) -> i64;
    /// The hot-ranking signals of a tag's newest visible articles.
    fn tag_signals(tag: &str, now: i64, newest: i64) -> Vec<haowen_core::hot::Signals>;
    /// A channel's visible articles, newest first.
    fn channel_articles(channel_id: i64, now: i64, offset: i64, limit: i64) -> Page<ArticleSummary>;
    /// A creator's visible articles, newest first.
    fn creator_articles(creator_id: i64, now: i64, offset: i64, limit: i64) -> Page<ArticleSummary>;
    /// The articles of the creators a reader follows, newest first.
    fn following_feed(user_id: i64, now: i64, offset: i64, limit: i64) -> Page<ArticleSummary>;
    /// An editor's picks in one slot (头条, 态度原创 boxes).
    fn picks(slot: &str, now: i64, limit: i64) -> Vec<ArticleSummary>;
    fn creator(id: i64) -> Creator;
    fn creator_by_slug(slug: &str) -> Creator;
    /// Every creator (号 directory).
    fn creators() -> Vec<Creator>;
    fn followed_creators(user_id: i64) -> Vec<Creator>;
    fn is_following(user_id: i64, creator_id: i64) -> bool;
    /// Every channel, hidden ones too (the admin's list).
    fn channels() -> Vec<Channel>;
    /// Why an article was taken down (empty when no reason was given).
    fn takedown_reason(article_id: i64) -> String;
    /// The creator's appeal against a takedown, if any.
    fn current_appeal(article_id: i64) -> Option<Appeal>;
    fn pending_appeals() -> Vec<Appeal>;
    /// A person's latest 入驻 application.
    fn latest_application(user_id: i64) -> Option<Application>;
    fn pending_applications() -> Vec<Application>;
    /// Site settings as stored (key → value).
    fn setting_pairs() -> BTreeMap<String, String>;
    /// Accounts, newest first, with the total.
    fn users(offset: i64, limit: i64) -> (Vec<User>, i64);
    /// A creator's own articles (every status), with the total.
    fn studio_articles(creator_id: i64, offset: i64, limit: i64) -> (Vec<Article>, i64);
    fn revisions(article_id: i64) -> Vec<Revision>;
    fn audit_log(filter: &AuditFilter, offset: i64, limit: i64) -> (Vec<AuditEntry>, i64);
    /// The sensitive-word list.
    fn sensitive_words() -> Vec<String>;
    /// One comment, whatever its status.
    fn comment(id: i64) -> Comment;
    /// The report queue, newest or most reported first.
    fn report_queue(most_reported: bool) -> Vec<QueueItem>;
    /// Comments held for review (a sensitive word matched).
    fn held_comments(limit: i64) -> Vec<Comment>;
    /// Taken-down articles: (id, title, creator, reason, when).
    fn taken_down_articles(limit: i64) -> Vec<(i64, String, String, String, i64)>;
    fn admin_count() -> i64;
    /// (has written or liked any 跟贴 of the article, follows its creator).
    fn viewer_on_article(user_id: i64, article_id: i64) -> (bool, bool);
    /// The user and CSRF token of a live session.
    fn session_user(token_digest: &str, now: i64) -> Option<(User, String)>;
}
