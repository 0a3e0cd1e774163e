//! A search as pages and the API ask for it: reader parameters checked (channel and creator by
//! slug, dates in the site's zone), the index queried, results filled from the database with
//! highlighted titles and snippets.

use std::ops::Range;

use chrono_tz::Tz;
use haowen_core::{ArticleSummary, Channel, time};
use haowen_db::Store;
use haowen_search::{
    SearchQuery, Sort,
    highlight::{needles, ranges, snippet, to_html},
};

use crate::discovery::{Discovery, DiscoveryError};

/// Results per page.
pub const PER_PAGE: usize = 10;
/// Snippet length, in characters.
const SNIPPET_CHARS: usize = 120;
/// How much of a body a snippet is looked for in (a match further in shows the opening).
const SNIPPET_SOURCE_CHARS: usize = 3_000;

/// What a reader asked for (already checked).
#[derive(Debug, Clone, Default)]
pub struct Find {
    pub text: String,
    pub channel: Option<Channel>,
    pub creator: Option<(i64, String, String)>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub sort: Sort,
    pub page: usize,
    pub per_page: usize,
}

/// One result, ready to print.
#[derive(Debug, Clone)]
pub struct Found {
    pub article: ArticleSummary,
    pub title: String,
    pub title_ranges: Vec<Range<usize>>,
    pub snippet: String,
    pub snippet_ranges: Vec<Range<usize>>,
}

impl Found {
    pub fn title_html(&self) -> String {
        to_html(&self.title, &self.title_ranges)
    }

    pub fn snippet_html(&self) -> String {
        to_html(&self.snippet, &self.snippet_ranges)
    }
}

pub struct FindResults {
    pub total: usize,
    pub items: Vec<Found>,
}

/// Parses a `YYYY-MM-DD` day in the site zone: its first second, or (`end`) its last.
pub fn parse_day(raw: &str, zone: Tz, end: bool) -> Option<i64> {
    let raw = raw.trim();
    let t = time::parse_local(&format!("{raw}T00:00"), zone)?;
    Some(if end { t + 86_399 } else { t })
}

impl Discovery {
    pub async fn find(&self, store: &Store, f: &Find) -> Result<FindResults, DiscoveryError> {
        let query = SearchQuery {
            text: f.text.clone(),
            channel_id: f.channel.as_ref().map(|c| c.id),
            creator_id: f.creator.as_ref().map(|c| c.0),
            from: f.from,
            to: f.to,
            now: time::now(),
            sort: f.sort,
            offset: f.page.saturating_sub(1) * f.per_page,
            limit: f.per_page,
        };
        if let Some(reason) = self.broken() {
            return Err(DiscoveryError::Unavailable(reason));
        }
        let index = self.index();
        let turn = self.index_turn().await?;
        let results = self.watch(
            tokio::task::spawn_blocking(move || index.search(&query))
                .await
                .map_err(|e| DiscoveryError::Join(e.to_string()))
                .and_then(|r| r.map_err(DiscoveryError::from)),
        )?;
        drop(turn);
        let ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
        let found = store
            .summaries_with_text(&ids, time::now(), SNIPPET_SOURCE_CHARS)
            .await?;
        let marks = needles(&results.terms);
        let items = found
            .into_iter()
            .map(|(article, body)| {
                let (snippet, snippet_ranges) = snippet(&body, &marks, SNIPPET_CHARS);
                Found {
                    title_ranges: ranges(&article.title, &marks),
                    title: article.title.clone(),
                    snippet,
                    snippet_ranges,
                    article,
                }
            })
            .collect();
        Ok(FindResults {
            total: results.total,
            items,
        })
    }
}
