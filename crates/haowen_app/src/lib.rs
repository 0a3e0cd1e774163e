//! Haowen's application layer: what the platform does, with no HTTP in sight.
//!
//! - **Use cases** ([`accounts`], [`applications`], [`studio`], [`comments`], [`engagement`],
//!   [`moderation`], [`admin`]): every state change, each checking its own role rule, so a rule
//!   holds whichever door (an HTML form, the JSON API, the CLI) a request comes through. They
//!   take a [`Db`], an opaque handle on the store.
//! - **Discovery** ([`discovery`]): the search index, its indexer worker and related lists.
//! - **Runtime** ([`App`]): the site [`snapshot`], read counting ([`reads`]), rate limits
//!   ([`limits`]), uploaded images ([`media`]), the background loops, and the one place that
//!   applies what follows a write ([`App::after`]).
//! - **Page data** ([`page_data`], [`comment_views`], [`queries`]): what pages show, as data —
//!   never HTML. The web crate renders it.
//!
//! Arrows: `haowen_web` → `haowen_app` → `haowen_db` / `haowen_search` / `haowen_core`. The web
//! crate never names the store or the index; the binary's commands other than `serve` call
//! this crate, never the web crate.

pub mod accounts;
pub mod admin;
mod app;
pub mod applications;
mod background;
pub mod comment_views;
pub mod comments;
mod db;
pub mod discovery;
pub mod engagement;
pub mod limits;
pub mod media;
pub mod moderation;
pub mod page_data;
pub mod queries;
pub mod reads;
pub mod refusal;
pub mod snapshot;
pub mod studio;

pub use app::{App, AppConfig, Change, PageSink};
pub use db::Db;
pub use refusal::{Check, Refusal};
