//! The Store: every SQL statement Haowen runs, on SQLite and on PostgreSQL.
//!
//! One code path serves both backends through sqlx's `Any` driver: `$N` placeholders,
//! `RETURNING`, `ON CONFLICT` and integer/text columns only (see STACK.md §3). What differs per
//! backend is the DDL (one migrations folder each) and the connection setup (SQLite pragmas).
//! Every content write also appends to the `changes` outbox in the same transaction, which is
//! how caches on every node learn that something changed.

mod accounts;
mod appeals;
mod applications;
mod articles;
mod audit_log;
mod bulk;
mod changes;
mod channels;
mod comment_lists;
mod comment_posting;
mod comments;
mod connect;
mod creators;
mod discovery;
mod error;
mod follows;
mod group_commit;
mod memo;
mod multi_row;
mod new_article_row;
mod picks;
mod reports;
mod rows;
mod settings;
mod studio;
mod tags;
mod upserts;
mod words;
mod write;

pub use accounts::MAX_SESSIONS_PER_USER;
pub use appeals::Appeal;
pub use applications::{Application, NewApplication};
pub use articles::Page;
pub use audit_log::{AuditEntry, AuditFilter};
pub use bulk::BulkArticle;
pub use comment_lists::{CommentCandidates, MAX_ENGAGED};
pub use comment_posting::{CommentLimits, NewComment};
pub use comments::Liked;
pub use connect::{Backend, Store};
pub use discovery::{IndexRow, MAX_INDEXED_CHARS};
pub use error::StoreError;
pub use reports::{NewReport, QueueItem, ReportRefusal};
pub use studio::Revision;
pub use upserts::{ImportedArticle, UpsertOutcome};
pub use write::{BEGIN_TRIES, WRITE_TRIES, WRITE_WAIT, WriteTx};
