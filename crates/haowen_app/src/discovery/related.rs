//! 相关推荐 for the article page: computed once per article from the index, the channel's
//! newest articles and co-reading, then served from memory until an article changes.

use std::sync::Arc;

use haowen_core::{Article, Channel, time};
use haowen_db::{MAX_INDEXED_CHARS, Store};
use haowen_search::{Context, Recommendation, Source};

use crate::discovery::{Discovery, DiscoveryError};

/// 相关推荐 length (PRODUCT.md asks for 6–10).
pub const RELATED: usize = 8;
/// Co-reading looks at the last 30 days of reads.
const CO_READ_WINDOW_SECS: i64 = 30 * 86_400;

/// One related article and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedEntry {
    pub id: i64,
    pub reason: String,
}

/// The reason line: 同为「体育」 · 关键词：湖人、季后赛 · 读过此文的人也在读.
pub fn reason_text(r: &Recommendation, channels: &[Channel]) -> String {
    let mut parts = Vec::new();
    if r.same_channel
        && let Some(ch) = channels.iter().find(|c| c.id == r.channel_id)
    {
        parts.push(format!("同为「{}」", ch.name));
    }
    if !r.shared_keywords.is_empty() {
        parts.push(format!("关键词：{}", r.shared_keywords.join("、")));
    }
    if r.co_read {
        parts.push("读过此文的人也在读".to_string());
    }
    if parts.is_empty() {
        parts.push("近期好文".to_string());
    }
    parts.join(" · ")
}

impl Discovery {
    /// The related list of `article` (cached).
    pub async fn related(
        &self,
        store: &Store,
        article: &Article,
        channels: &[Channel],
    ) -> Result<Arc<Vec<RelatedEntry>>, DiscoveryError> {
        if let Some(list) = self.cached_related(article.id) {
            return Ok(list);
        }
        let now = time::now();
        let channel_newest: Vec<i64> = store
            .channel_articles(article.channel_id, now, 0, 20)
            .await?
            .items
            .iter()
            .map(|a| a.id)
            .collect();
        let co_read = store
            .co_read(article.id, now - CO_READ_WINDOW_SECS, 20)
            .await?;
        if let Some(reason) = self.broken() {
            return Err(DiscoveryError::Unavailable(reason));
        }
        let recs = self.watch(
            recommend(
                self.index(),
                article.id,
                article.channel_id,
                article.title.clone(),
                haowen_core::article::summarize(&article.body_html, MAX_INDEXED_CHARS),
                Context {
                    channel_newest,
                    co_read,
                    now,
                    weights: haowen_search::Weights::PRODUCTION,
                },
                RELATED,
            )
            .await,
        )?;
        let list = Arc::new(
            recs.iter()
                .map(|r| RelatedEntry {
                    id: r.id,
                    reason: reason_text(r, channels),
                })
                .collect::<Vec<_>>(),
        );
        self.remember_related(article.id, Arc::clone(&list));
        Ok(list)
    }
}

/// Runs the recommender off the async threads.
pub async fn recommend(
    index: Arc<haowen_search::SearchIndex>,
    id: i64,
    channel_id: i64,
    title: String,
    body: String,
    ctx: Context,
    limit: usize,
) -> Result<Vec<Recommendation>, DiscoveryError> {
    tokio::task::spawn_blocking(move || {
        index.recommend(
            &Source {
                id,
                channel_id,
                title: &title,
                body: &body,
            },
            &ctx,
            limit,
        )
    })
    .await
    .map_err(|e| DiscoveryError::Join(e.to_string()))?
    .map_err(DiscoveryError::from)
}
