//! Haowen's web layer: the reader's pages, server-rendered in Simplified Chinese.
//!
//! Read path, designed for speed: a [`snapshot::SiteSnapshot`] holds everything every page
//! shares (settings, channels, hot list, channel boxes) and is rebuilt only when the change feed
//! moves or its counters age out; rendered pages are kept in the [`page_cache`] stamped with the
//! snapshot generation they were built from, so a request for a cached page costs a hash lookup
//! and a read-count increment in memory — no SQL. Read counts reach the database in batches.

pub mod auth;
mod comment_views;
pub mod discovery;
pub mod error;
mod forms;
mod handlers;
pub mod limits;
pub mod media;
pub mod page_cache;
pub mod reads;
mod routes;
pub mod security_headers;
pub mod server;
pub mod services;
pub mod snapshot;
pub mod state;
pub mod ui;
mod views;

pub use routes::app;
pub use state::{AppState, WebConfig};
