//! 相关推荐: for one article, a short list of others a reader is likely to want next, each with
//! a reason the page can show.
//!
//! Candidates come from four signals:
//! - **content**: the article's TF-IDF keywords (jieba) searched against titles (×2) and bodies
//!   with BM25 — similarity on Chinese words;
//! - **channel**: the caller passes the channel's newest articles;
//! - **co-reading**: the caller passes articles read by the same readers, with counts;
//! - **freshness**: newer articles get a small lift (half-life 7 days).
//!
//! `score = 0.60·similarity + 0.25·same channel + 0.10·co-reading + 0.05·freshness`, each
//! signal scaled to 0–1 within the candidate set ([`Weights::PRODUCTION`]; an evaluation can
//! hide the channel with [`Weights::WITHOUT_CHANNEL`] and no channel candidates). Never the article itself, never a near
//! duplicate (a simhash of character trigrams within [`DUP_BITS`] bits, or the same title), at
//! most [`PER_CREATOR`] items per creator while other creators' articles can fill the list
//! (then the held-back ones fill it, best first).

use std::collections::HashMap;

use tantivy::{
    Term,
    collector::TopDocs,
    query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery},
    schema::IndexRecordOption,
};

use crate::{
    SearchError,
    analysis::{distance, keywords, story_hash},
    index::{DocMeta, SearchIndex},
    normalize::normalize,
};

pub const SIMILARITY_WEIGHT: f32 = 0.60;
pub const CHANNEL_WEIGHT: f32 = 0.25;
pub const CO_READ_WEIGHT: f32 = 0.10;
pub const FRESHNESS_WEIGHT: f32 = 0.05;
/// Freshness halves every this many days.
pub const FRESHNESS_HALF_LIFE_DAYS: f32 = 7.0;
/// Simhash distance at or below which two articles are the same story.
pub const DUP_BITS: u32 = 8;
pub const PER_CREATOR: usize = 2;
/// Keywords taken from the article.
const KEYWORDS: usize = 10;
/// Content candidates considered.
const CONTENT_CANDIDATES: usize = 40;

/// The article to recommend for.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub id: i64,
    pub channel_id: i64,
    pub title: &'a str,
    /// Plain text.
    pub body: &'a str,
}

/// How much each signal counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub similarity: f32,
    pub channel: f32,
    pub co_read: f32,
    pub freshness: f32,
}

impl Weights {
    /// What the site uses.
    pub const PRODUCTION: Weights = Weights {
        similarity: SIMILARITY_WEIGHT,
        channel: CHANNEL_WEIGHT,
        co_read: CO_READ_WEIGHT,
        freshness: FRESHNESS_WEIGHT,
    };
    /// The channel is not known to the recommender (for evaluations scored on the channel).
    pub const WITHOUT_CHANNEL: Weights = Weights {
        channel: 0.0,
        ..Weights::PRODUCTION
    };
}

impl Default for Weights {
    fn default() -> Weights {
        Weights::PRODUCTION
    }
}

/// What the caller knows besides the index.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Newest visible articles of the source's channel.
    pub channel_newest: Vec<i64>,
    /// (article, readers who read both).
    pub co_read: Vec<(i64, u32)>,
    pub now: i64,
    pub weights: Weights,
}

/// One recommendation.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    pub id: i64,
    pub score: f32,
    pub same_channel: bool,
    pub channel_id: i64,
    /// Keywords of the source that this article shares, best first (at most 3).
    pub shared_keywords: Vec<String>,
    /// Readers of the source also read this.
    pub co_read: bool,
}

struct Candidate {
    meta: DocMeta,
    address: Option<tantivy::DocAddress>,
    similarity: f32,
    co_reads: u32,
}

fn same_title(a: &str, b: &str) -> bool {
    let clean = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    let (a, b) = (clean(a), clean(b));
    !a.is_empty() && a == b
}

/// Whether a posting list holds `doc`.
fn contains(postings: &mut impl tantivy::DocSet, doc: tantivy::DocId) -> bool {
    let first = postings.doc();
    first == doc || (first < doc && postings.seek(doc) == doc)
}

impl SearchIndex {
    /// Up to `limit` recommendations for `source`, best first.
    pub fn recommend(
        &self,
        source: &Source,
        ctx: &Context,
        limit: usize,
    ) -> Result<Vec<Recommendation>, SearchError> {
        let title = normalize(source.title);
        let body = normalize(source.body);
        let kw = keywords(&format!("{title}。{title}。{body}"), KEYWORDS);
        let source_hash = story_hash(&title, &body);
        let searcher = self.searcher();
        let f = self.fields;

        // Content candidates: the keywords, weighted, against titles and bodies.
        let mut candidates: HashMap<i64, Candidate> = HashMap::new();
        if !kw.is_empty() {
            let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (word, weight) in &kw {
                for (field, by) in [(f.title, 2.0), (f.body, 1.0)] {
                    let q = TermQuery::new(
                        Term::from_field_text(field, word),
                        IndexRecordOption::WithFreqs,
                    );
                    should.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(q), by * *weight as f32)),
                    ));
                }
            }
            should.push((
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.id, source.id as u64),
                    IndexRecordOption::Basic,
                )),
            ));
            let query = BooleanQuery::new(should);
            for (score, at) in searcher.search(
                &query,
                &TopDocs::with_limit(CONTENT_CANDIDATES).order_by_score(),
            )? {
                let meta = self.meta_at(&searcher, at)?;
                candidates.insert(
                    meta.id,
                    Candidate {
                        meta,
                        address: Some(at),
                        similarity: score,
                        co_reads: 0,
                    },
                );
            }
        }
        // Channel and co-reading candidates.
        let extra = ctx
            .channel_newest
            .iter()
            .map(|id| (*id, 0))
            .chain(ctx.co_read.iter().copied());
        for (id, reads) in extra {
            if let Some(c) = candidates.get_mut(&id) {
                c.co_reads = c.co_reads.max(reads);
                continue;
            }
            if let Some(at) = self.address(&searcher, id)? {
                let meta = self.meta_at(&searcher, at)?;
                candidates.insert(
                    id,
                    Candidate {
                        meta,
                        address: Some(at),
                        similarity: 0.0,
                        co_reads: reads,
                    },
                );
            }
        }

        let max_sim = candidates
            .values()
            .map(|c| c.similarity)
            .fold(0.0f32, f32::max);
        let max_co = candidates.values().map(|c| c.co_reads).max().unwrap_or(0);
        let mut scored: Vec<(f32, Candidate)> = candidates
            .into_values()
            .filter(|c| c.meta.id != source.id && c.meta.published_at <= ctx.now)
            .filter(|c| c.meta.simhash == 0 || distance(c.meta.simhash, source_hash) > DUP_BITS)
            .map(|c| {
                let sim = if max_sim > 0.0 {
                    c.similarity / max_sim
                } else {
                    0.0
                };
                let co = if max_co > 0 {
                    c.co_reads as f32 / max_co as f32
                } else {
                    0.0
                };
                let age_days = ((ctx.now - c.meta.published_at).max(0) as f32) / 86_400.0;
                let fresh = 0.5f32.powf(age_days / FRESHNESS_HALF_LIFE_DAYS);
                let same = if c.meta.channel_id == source.channel_id {
                    1.0
                } else {
                    0.0
                };
                let w = ctx.weights;
                let score =
                    w.similarity * sim + w.channel * same + w.co_read * co + w.freshness * fresh;
                (score, c)
            })
            .collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(b.1.meta.published_at.cmp(&a.1.meta.published_at))
                .then(b.1.meta.id.cmp(&a.1.meta.id))
        });

        // The cap first; what it held back fills the places left (best first), so a site with
        // one or two creators still gets a full list.
        let mut per_creator: HashMap<i64, usize> = HashMap::new();
        let mut out = Vec::with_capacity(limit);
        let mut held_back = Vec::new();
        for (score, c) in scored {
            if out.len() >= limit {
                break;
            }
            let n = per_creator.entry(c.meta.creator_id).or_insert(0);
            if *n >= PER_CREATOR {
                held_back.push((score, c));
                continue;
            }
            if let Some(r) = self.accept(&searcher, score, &c, &title, &kw, source.channel_id)? {
                *n += 1;
                out.push(r);
            }
        }
        for (score, c) in held_back {
            if out.len() >= limit {
                break;
            }
            if let Some(r) = self.accept(&searcher, score, &c, &title, &kw, source.channel_id)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// The recommendation for a candidate, or `None` when it carries the source's title.
    fn accept(
        &self,
        searcher: &tantivy::Searcher,
        score: f32,
        c: &Candidate,
        title: &str,
        kw: &[(String, f64)],
        source_channel: i64,
    ) -> Result<Option<Recommendation>, SearchError> {
        let Some(at) = c.address else {
            return Ok(None);
        };
        let doc: tantivy::TantivyDocument = searcher.doc(at)?;
        let their_title = doc
            .get_first(self.fields.title)
            .and_then(|v| tantivy::schema::Value::as_str(&v))
            .unwrap_or("")
            .to_string();
        if same_title(&their_title, title) {
            return Ok(None);
        }
        Ok(Some(Recommendation {
            id: c.meta.id,
            score,
            same_channel: c.meta.channel_id == source_channel,
            channel_id: c.meta.channel_id,
            shared_keywords: self.shared_keywords(searcher, at, kw)?,
            co_read: c.co_reads > 0,
        }))
    }

    /// The keywords (best first, at most 3) that occur in the document's title or body.
    fn shared_keywords(
        &self,
        searcher: &tantivy::Searcher,
        at: tantivy::DocAddress,
        kw: &[(String, f64)],
    ) -> Result<Vec<String>, SearchError> {
        let segment = searcher.segment_reader(at.segment_ord);
        let mut out = Vec::new();
        for (word, _) in kw {
            if out.len() >= 3 {
                break;
            }
            for field in [self.fields.title, self.fields.body] {
                let inverted = segment.inverted_index(field)?;
                let term = Term::from_field_text(field, word);
                // A fresh posting list sits on its first document; seeking backwards is not allowed.
                if let Some(mut postings) =
                    inverted.read_postings(&term, IndexRecordOption::Basic)?
                    && contains(&mut postings, at.doc_id)
                {
                    out.push(word.clone());
                    break;
                }
            }
        }
        Ok(out)
    }
}
