//! Haowen's web layer: HTTP only. Routes, extractors, askama pages in Simplified Chinese, the
//! page cache and error rendering; everything else is `haowen_app`'s.
//!
//! Read path, designed for speed: the app's site snapshot holds everything every page shares
//! (settings, channels, hot list, channel boxes) and is rebuilt only when the change feed moves
//! or its counters age out; rendered pages are kept in the [`page_cache`] stamped with the
//! snapshot generation they were built from, so a request for a cached page costs a hash lookup
//! and a read-count increment in memory — no SQL.

mod article_drops;
pub mod auth;
pub mod error;
mod error_page;
pub mod fast_lane;
mod forms;
mod handlers;
pub mod listen;
pub mod page_cache;
mod routes;
pub mod search_aliases;
pub mod security_headers;
pub mod server;
pub mod state;
pub mod tag_offers;
pub mod ui;
pub mod visitor;

pub use routes::app;
pub use state::AppState;
