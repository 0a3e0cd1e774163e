//! Chinese full-text search and 相关推荐 for Haowen.
//!
//! - [`normalize`]: traditional → simplified, full-width → half-width, one char for one char;
//! - [`analysis`]: the word (jieba), bigram and character views, keywords, simhash;
//! - [`index`]: the tantivy index on disk, with the change-feed cursor in each commit;
//! - [`search`]: queries, filters and orders; [`highlight`]: marked ranges and snippets;
//! - [`related`]: the recommender.
//!
//! Nothing here touches the database: the web layer feeds documents in and reads ids out.

pub mod analysis;
pub mod highlight;
pub mod index;
pub mod normalize;
pub mod pread_directory;
pub mod related;
mod schema;
pub mod search;
mod segment_columns;
mod top_hits;
mod writer_options;

pub use index::{DocMeta, IndexDoc, Opened, SearchIndex, WriterOptions};
pub use related::{Context, Recommendation, Source, Weights};
pub use search::{Hit, QueryTerm, SearchQuery, SearchResults, Sort};

/// What can go wrong in the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index files: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index metadata: {0}")]
    Json(#[from] serde_json::Error),
    /// Another process holds the index's writer (a running `haowen serve` on this folder).
    #[error(
        "the search index is in use by another process (is `haowen serve` running on this data folder?)"
    )]
    InUse,
}

impl SearchError {
    /// Whether the index's files are damaged (corrupt, cut short, missing) rather than the
    /// error being a passing fault (too many open files, a full disk, an interrupted read).
    pub fn is_damage(&self) -> bool {
        use std::io::ErrorKind;
        let io_damage = |e: &std::io::Error| {
            matches!(
                e.kind(),
                ErrorKind::UnexpectedEof | ErrorKind::NotFound | ErrorKind::InvalidData
            )
        };
        match self {
            SearchError::Tantivy(t) => match t {
                tantivy::TantivyError::DataCorruption(_)
                | tantivy::TantivyError::OpenReadError(_) => true,
                tantivy::TantivyError::IoError(io) => io_damage(io),
                _ => false,
            },
            SearchError::Io(io) => io_damage(io),
            SearchError::Json(_) => true,
            SearchError::InUse => false,
        }
    }
}
