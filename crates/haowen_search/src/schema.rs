//! The index schema: one document per visible article.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{BIGRAMS, WORDS};

/// Bumped when the schema or the analysis changes: an index with another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub channel: Field,
    pub creator: Field,
    pub published: Field,
    pub simhash: Field,
    /// Title words (stored: results show the title without a database trip).
    pub title: Field,
    pub title_bigrams: Field,
    pub body: Field,
    pub body_bigrams: Field,
}

fn text(tokenizer: &str, positions: bool) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(if positions {
                IndexRecordOption::WithFreqsAndPositions
            } else {
                IndexRecordOption::WithFreqs
            }),
    )
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | STORED | FAST),
        channel: b.add_u64_field("channel", INDEXED | FAST),
        creator: b.add_u64_field("creator", INDEXED | FAST),
        published: b.add_i64_field("published", INDEXED | FAST),
        simhash: b.add_u64_field("simhash", FAST),
        title: b.add_text_field("title", text(WORDS, false).set_stored()),
        title_bigrams: b.add_text_field("title_bigrams", text(BIGRAMS, true)),
        body: b.add_text_field("body", text(WORDS, false)),
        body_bigrams: b.add_text_field("body_bigrams", text(BIGRAMS, true)),
    };
    (b.build(), fields)
}
