//! Search: reader query text → a tantivy query over the word and bigram fields,
//! filters, and the two orders (relevance, newest).
//!
//! Each term of the query must match (AND). A term matches when its bigrams appear as an exact
//! phrase (so `简单` finds `安装简单`), or when all its jieba words appear; one-character terms
//! match the bigrams holding the character. `"quoted phrases"` must appear exactly. Title matches count three
//! times as much as body matches.

use std::ops::Bound;

use tantivy::{
    Term,
    query::{
        BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, RegexQuery, TermQuery,
    },
    schema::{Field, IndexRecordOption},
};

use crate::{
    SearchError,
    analysis::{bigram_tokens, query_words},
    index::SearchIndex,
    normalize::{is_cjk, join_cjk, normalize},
};

/// How much a title match weighs against a body match.
pub const TITLE_BOOST: f32 = 3.0;
/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
}

#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    pub channel_id: Option<i64>,
    pub creator_id: Option<i64>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// Articles dated after this are not found yet (scheduled).
    pub now: i64,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
}

/// One term of a query, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    pub text: String,
    /// Quoted: must appear exactly.
    pub phrase: bool,
}

/// Splits reader input into terms: whitespace separates, `"…"` and `“…”` keep a phrase.
pub fn parse_terms(raw: &str) -> Vec<QueryTerm> {
    let text: String = normalize(raw).chars().take(MAX_QUERY_CHARS).collect();
    let mut terms = Vec::new();
    let mut rest = text.as_str();
    let mut push = |t: &str, phrase: bool| {
        let t = join_cjk(t.trim());
        if t.chars().any(char::is_alphanumeric) {
            terms.push(QueryTerm { text: t, phrase });
        }
    };
    while !rest.is_empty() {
        if let Some(open) = rest.find(['"', '“', '”']) {
            for t in rest[..open].split_whitespace() {
                push(t, false);
            }
            let after = &rest[open + rest[open..].chars().next().map_or(1, char::len_utf8)..];
            match after.find(['"', '“', '”']) {
                Some(close) => {
                    push(&after[..close], true);
                    let quote_len = after[close..].chars().next().map_or(1, char::len_utf8);
                    rest = &after[close + quote_len..];
                }
                None => {
                    push(after, true);
                    rest = "";
                }
            }
        } else {
            for t in rest.split_whitespace() {
                push(t, false);
            }
            rest = "";
        }
    }
    terms
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// The query's terms, for highlighting.
    pub terms: Vec<QueryTerm>,
}

fn boxed(q: impl Query + 'static) -> Box<dyn Query> {
    Box::new(q)
}

fn boost(q: Box<dyn Query>, by: f32) -> Box<dyn Query> {
    if (by - 1.0).abs() < f32::EPSILON {
        q
    } else {
        boxed(BoostQuery::new(q, by))
    }
}

/// The tokens as one query on `field`: a term, or an exact phrase.
fn sequence(field: Field, tokens: &[String]) -> Option<Box<dyn Query>> {
    match tokens {
        [] => None,
        [one] => Some(boxed(TermQuery::new(
            Term::from_field_text(field, one),
            IndexRecordOption::WithFreqs,
        ))),
        many => Some(boxed(PhraseQuery::new(
            many.iter()
                .map(|t| Term::from_field_text(field, t))
                .collect(),
        ))),
    }
}

/// All of the words on `field`.
fn all_words(field: Field, words: &[String]) -> Option<Box<dyn Query>> {
    if words.is_empty() {
        return None;
    }
    Some(boxed(BooleanQuery::new(
        words
            .iter()
            .map(|w| {
                (
                    Occur::Must,
                    boxed(TermQuery::new(
                        Term::from_field_text(field, w),
                        IndexRecordOption::WithFreqs,
                    )),
                )
            })
            .collect(),
    )))
}

impl SearchIndex {
    fn term_query(&self, term: &QueryTerm) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let mut options: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut add = |q: Option<Box<dyn Query>>, by: f32| {
            if let Some(q) = q {
                options.push((Occur::Should, boost(q, by)));
            }
        };
        let single_char = term.text.chars().count() == 1 && term.text.chars().all(is_cjk);
        if single_char {
            // One character: every occurrence begins an indexed term (a bigram, or the
            // character itself at the end of a run), so a prefix lookup on the term dictionary
            // finds them all — no separate character field needed.
            let c = &term.text;
            let pattern = format!("{c}.?");
            for (field, by) in [(f.title_bigrams, TITLE_BOOST), (f.body_bigrams, 1.0)] {
                if let Ok(q) = RegexQuery::from_pattern(&pattern, field) {
                    add(Some(boxed(q)), by);
                }
            }
        } else {
            let bigrams: Vec<String> = bigram_tokens(&term.text)
                .into_iter()
                .map(|t| t.text)
                .collect();
            add(sequence(f.title_bigrams, &bigrams), TITLE_BOOST);
            add(sequence(f.body_bigrams, &bigrams), 1.0);
            // A term of one bigram is one word: the bigram clauses already find and rank it, and
            // a second pair of clauses over the same documents would double the work.
            if !term.phrase && bigrams.len() > 1 {
                let words = query_words(&term.text);
                add(all_words(f.title, &words), TITLE_BOOST);
                add(all_words(f.body, &words), 1.0);
            }
        }
        (!options.is_empty()).then(|| boxed(BooleanQuery::new(options)))
    }

    /// Runs a search. An empty query finds nothing (total 0).
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let terms = parse_terms(&q.text);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for t in &terms {
            if let Some(tq) = self.term_query(t) {
                clauses.push((Occur::Must, tq));
            }
        }
        if clauses.is_empty() {
            return Ok(SearchResults {
                total: 0,
                hits: Vec::new(),
                terms,
            });
        }
        let f = &self.fields;
        let filter = |field: Field, v: i64| -> (Occur, Box<dyn Query>) {
            (
                Occur::Must,
                boxed(TermQuery::new(
                    Term::from_field_u64(field, v as u64),
                    IndexRecordOption::Basic,
                )),
            )
        };
        if let Some(c) = q.channel_id {
            clauses.push(filter(f.channel, c));
        }
        if let Some(c) = q.creator_id {
            clauses.push(filter(f.creator, c));
        }
        let searcher = self.searcher();
        let columns = self.columns.of(&searcher)?;
        let upper = q.to.map_or(q.now, |to| to.min(q.now));
        // Nothing dated after the upper bound and no lower bound: no date filter at all.
        let latest = columns.latest;
        // Only scheduled articles to leave out (the usual case once any is scheduled): hidden
        // after the fact, so the query keeps its pruning (top_hits.rs).
        let mut hidden = Vec::new();
        let mut by_range = q.from.is_some();
        if !by_range && latest > upper {
            match (
                q.to,
                crate::top_hits::dated_after(&searcher, f.published, upper, &self.scheduled)?,
            ) {
                (None, Some(docs)) => hidden = docs,
                _ => by_range = true,
            }
        }
        if by_range {
            let lower = q.from.map_or(Bound::Unbounded, |from| {
                Bound::Included(Term::from_field_i64(f.published, from))
            });
            clauses.push((
                Occur::Must,
                boxed(RangeQuery::new(
                    lower,
                    Bound::Included(Term::from_field_i64(f.published, upper)),
                )),
            ));
        }
        // One clause stands alone: a union of term clauses at the top runs with block-max WAND.
        let query: Box<dyn Query> = if clauses.len() == 1 {
            clauses.remove(0).1
        } else {
            boxed(BooleanQuery::new(clauses))
        };
        let limit = q.limit.clamp(1, 100);
        let (docs, total) = crate::top_hits::top_hits(
            &searcher,
            query.as_ref(),
            &hidden,
            q.sort == Sort::Newest,
            q.offset,
            limit,
        )?;
        // Ids from the `id` column, not the stored documents: pages take titles and text from
        // the database, and decompressing a stored block per hit was a twentieth of a search.
        let hits = docs
            .into_iter()
            .map(|(score, at)| Hit {
                id: columns.ids[at.segment_ord as usize]
                    .first(at.doc_id)
                    .unwrap_or(0) as i64,
                score,
            })
            .collect();
        Ok(SearchResults { total, hits, terms })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(raw: &str) -> Vec<(String, bool)> {
        parse_terms(raw)
            .into_iter()
            .map(|t| (t.text, t.phrase))
            .collect()
    }

    #[test]
    fn query_terms() {
        assert_eq!(
            texts("  湖人  季后赛 "),
            [("湖人".into(), false), ("季后赛".into(), false)]
        );
        assert_eq!(
            texts("\"数字 经济\" 规划"),
            [("数字经济".into(), true), ("规划".into(), false)]
        );
        assert_eq!(texts("“中國農業”"), [("中国农业".into(), true)]);
        assert_eq!(
            texts("ＮＢＡ 湖人"),
            [("nba".into(), false), ("湖人".into(), false)]
        );
        assert!(texts("，。！ ").is_empty());
        assert_eq!(texts("\"未闭合的 引号"), [("未闭合的引号".into(), true)]);
    }
}
