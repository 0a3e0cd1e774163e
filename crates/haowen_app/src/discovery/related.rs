//! 相关推荐 for the article page: computed per article from the index, the channel's newest
//! articles and co-reading, and served from memory. The indexer computes the lists of the
//! articles it has just indexed (published or edited), so their first readers never wait; a
//! change forgets only the lists it touches (its own, and those holding it), and a list older
//! than [`RELATED_MAX_AGE_SECS`] is computed again on its next view, so newer articles enter it.

use std::sync::Arc;

use haowen_core::{Article, Channel, time};
use haowen_db::{MAX_INDEXED_CHARS, Store};
use haowen_search::{Context, Recommendation, Source};

use crate::discovery::{Discovery, DiscoveryError};

/// 相关推荐 length (PRODUCT.md asks for 6–10).
pub const RELATED: usize = 8;
/// How long a list is served before it is computed again.
pub const RELATED_MAX_AGE_SECS: i64 = 6 * 3600;
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
    /// The related list of `article` (remembered; computed now if it was not).
    pub async fn related(
        &self,
        store: &Store,
        article: &Article,
        channels: &[Channel],
    ) -> Result<Arc<Vec<RelatedEntry>>, DiscoveryError> {
        if let Some(list) = self.cached_related(article.id) {
            return Ok(list);
        }
        let body = haowen_core::article::summarize(&article.body_html, MAX_INDEXED_CHARS);
        let source = (article.id, article.channel_id, article.title.clone(), body);
        self.compute_related(store, source, channels).await
    }

    /// Computes and remembers the lists of articles the indexer just indexed (id, channel,
    /// title, body text), so that their first readers do not wait for them. Failures are
    /// logged: the article page computes a missing list itself.
    pub async fn precompute_related(
        &self,
        store: &Store,
        sources: Vec<(i64, i64, String, String)>,
    ) {
        let channels = match store.channels().await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "related lists: could not read the channels");
                return;
            }
        };
        for source in sources {
            let id = source.0;
            if let Err(e) = self.compute_related(store, source, &channels).await {
                tracing::warn!(article = id, error = %e, "related list: not precomputed");
            }
        }
    }

    async fn compute_related(
        &self,
        store: &Store,
        (id, channel_id, title, body): (i64, i64, String, String),
        channels: &[Channel],
    ) -> Result<Arc<Vec<RelatedEntry>>, DiscoveryError> {
        let now = time::now();
        let channel_newest: Vec<i64> = store
            .channel_articles(channel_id, now, 0, 20)
            .await?
            .items
            .iter()
            .map(|a| a.id)
            .collect();
        let co_read = store.co_read(id, now - CO_READ_WINDOW_SECS, 20).await?;
        if let Some(reason) = self.broken() {
            return Err(DiscoveryError::Unavailable(reason));
        }
        // A turn at the index, shared with searches: a crawler opening 64 uncached articles
        // at once would otherwise run 64 recommenders, each on a blocking thread of its own
        // (79 threads and 700–870 MB under mixed browsing at 100 k articles).
        let turn = self.index_turn().await?;
        let recs = self.watch(
            recommend(
                self.index(),
                id,
                channel_id,
                title,
                body,
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
        drop(turn);
        let list = Arc::new(
            recs.iter()
                .map(|r| RelatedEntry {
                    id: r.id,
                    reason: reason_text(r, channels),
                })
                .collect::<Vec<_>>(),
        );
        self.remember_related(id, Arc::clone(&list));
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
