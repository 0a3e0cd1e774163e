//! Haowen's domain: the types every other crate speaks (channels, creators, articles,
//! declarations, site settings) and the pure algorithms over them (Markdown rendering and
//! sanitizing, plain-text conversion, time display, hot ranking). Nothing here touches the
//! network or a database, so it is fast to test and cheap to compile.

pub mod account;
pub mod article;
pub mod channel;
pub mod comment;
pub mod creator;
pub mod dateline;
pub mod declaration;
pub mod hot;
pub mod invisible;
pub mod markdown;
pub mod plain_text;
pub mod settings;
pub mod time;
pub mod validate;
pub mod words;

pub use article::{Article, ArticleStatus, ArticleSummary, NewArticle};
pub use channel::{Channel, DEFAULT_CHANNELS};
pub use creator::{Creator, NewCreator};
pub use declaration::Declaration;
pub use settings::SiteSettings;
