//! HTTP integration tests: the real app on 127.0.0.1 with a real database file (and, where
//! marked, on PostgreSQL), driven with reqwest like a browser would.

/// The test app lives in haowen_testkit (feature `web`).
mod support {
    pub use haowen_testkit::web::*;
}

mod account_defences;
mod accounts;
mod admin;
mod api;
mod applications;
mod article_page;
mod authz;
mod cache;
mod care_mode;
mod comment_counts;
mod comments;
mod connections;
mod defences;
mod error_model;
mod errors;
mod fast_lane;
mod follows;
mod fresh_pages;
mod hot;
mod index_faults;
mod links;
mod listen;
mod lists;
mod moderation;
mod reads_and_shares;
mod search;
mod signed_in_page;
mod spike;
mod studio;
mod studio_images;
