//! The search index on disk: open (rebuilding a missing, outdated or unreadable one), write in
//! batches that carry the change-feed cursor in the commit itself, and read.

use std::{
    path::{Path, PathBuf},
    sync::Mutex,
};

use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term,
    collector::TopDocs, query::TermQuery, schema::IndexRecordOption, tokenizer::TextAnalyzer,
};

use crate::{
    SearchError,
    analysis::{self, BIGRAMS, ViewTokenizer, WORDS},
    normalize::normalize,
    schema::{self, Fields, SCHEMA_VERSION},
};

pub use crate::writer_options::WriterOptions;

/// An article as the index takes it: plain text, not HTML.
#[derive(Debug, Clone)]
pub struct IndexDoc {
    pub id: i64,
    pub channel_id: i64,
    pub creator_id: i64,
    /// Unix seconds; searches only find articles whose time has come.
    pub published_at: i64,
    pub title: String,
    pub body: String,
}

/// What opening found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// No index was there: a new, empty one (the caller fills it).
    Created,
    /// The index was there and readable.
    Existing,
    /// The index was there but unusable (the reason); it was replaced by an empty one.
    Replaced(String),
}

/// What the commit payload records.
#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    schema: u32,
    /// The change-feed id everything up to which is in the index.
    cursor: i64,
}

/// Per-document facts read from fast fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocMeta {
    pub id: i64,
    pub channel_id: i64,
    pub creator_id: i64,
    pub published_at: i64,
    pub simhash: u64,
}

pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    writer: Mutex<IndexWriter>,
    pub(crate) fields: Fields,
    dir: PathBuf,
    /// Future-dated documents, remembered per searcher (top_hits.rs).
    pub(crate) scheduled: crate::top_hits::ScheduledDocs,
    /// The date and id columns, opened once per searcher (segment_columns.rs).
    pub(crate) columns: crate::segment_columns::SegmentColumns,
    /// The change feed read past without committing: batches with nothing for the index.
    passed: std::sync::atomic::AtomicI64,
}

fn register_tokenizers(index: &Index) {
    let t = index.tokenizers();
    t.register(
        WORDS,
        TextAnalyzer::from(ViewTokenizer(analysis::word_tokens)),
    );
    t.register(
        BIGRAMS,
        TextAnalyzer::from(ViewTokenizer(analysis::bigram_index_tokens)),
    );
}

/// Why an existing index was not opened.
enum Unusable {
    /// Another process holds the writer: leave the index alone.
    InUse,
    /// It cannot be used by this build (the reason): replace it.
    Because(String),
}

impl From<String> for Unusable {
    fn from(reason: String) -> Self {
        Unusable::Because(reason)
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing and replacing it when it cannot be
    /// used (another schema version, unreadable files). Never fails on a bad index; fails when
    /// the folder itself cannot be written, and with [`SearchError::InUse`] — leaving the index
    /// alone — when another process holds its writer.
    pub fn open(dir: &Path, options: WriterOptions) -> Result<(SearchIndex, Opened), SearchError> {
        std::fs::create_dir_all(dir)?;
        if !dir.join("meta.json").exists() {
            return Ok((Self::create(dir, options)?, Opened::Created));
        }
        match Self::open_existing(dir, options) {
            Ok(index) => Ok((index, Opened::Existing)),
            Err(Unusable::InUse) => Err(SearchError::InUse),
            Err(Unusable::Because(reason)) => {
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                Ok((Self::create(dir, options)?, Opened::Replaced(reason)))
            }
        }
    }

    fn create(dir: &Path, options: WriterOptions) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema::build();
        let directory = crate::pread_directory::PreadDirectory::open(dir)
            .map_err(|e| SearchError::Io(std::io::Error::other(e.to_string())))?;
        let index = Index::create(directory, schema, tantivy::IndexSettings::default())?;
        let me = Self::assemble(index, fields, dir, options)?;
        me.commit(0)?;
        Ok(me)
    }

    fn open_existing(dir: &Path, options: WriterOptions) -> Result<SearchIndex, Unusable> {
        let directory = crate::pread_directory::PreadDirectory::open(dir)
            .map_err(|e| format!("unreadable folder: {e}"))?;
        let index = Index::open(directory).map_err(|e| format!("unreadable: {e}"))?;
        let payload = index
            .load_metas()
            .map_err(|e| format!("unreadable metadata: {e}"))?
            .payload
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok());
        match payload {
            Some(p) if p.schema == SCHEMA_VERSION => {}
            Some(p) => {
                return Err(format!(
                    "schema version {} (this build uses {SCHEMA_VERSION})",
                    p.schema
                )
                .into());
            }
            None => return Err("no Haowen metadata in the last commit".to_string().into()),
        }
        let (expected, fields) = schema::build();
        if index.schema() != expected {
            return Err("the fields differ from this build's".to_string().into());
        }
        Self::assemble(index, fields, dir, options).map_err(|e| match e {
            SearchError::InUse => Unusable::InUse,
            e => format!("cannot open: {e}").into(),
        })
    }

    fn assemble(
        index: Index,
        fields: Fields,
        dir: &Path,
        options: WriterOptions,
    ) -> Result<SearchIndex, SearchError> {
        register_tokenizers(&index);
        let writer = index
            .writer_with_num_threads(options.threads.max(1), options.heap_bytes)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(
                    tantivy::directory::error::LockError::LockBusy,
                    _,
                ) => SearchError::InUse,
                e => e.into(),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            dir: dir.to_path_buf(),
            scheduled: Default::default(),
            columns: Default::default(),
            passed: Default::default(),
        })
    }

    /// The change-feed id the index is in step with.
    pub fn cursor(&self) -> i64 {
        let committed = self
            .index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
            .map(|p| p.cursor)
            .unwrap_or(0);
        committed.max(self.passed.load(std::sync::atomic::Ordering::Acquire))
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        match self.writer.lock() {
            Ok(w) => w,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn to_document(&self, d: &IndexDoc) -> TantivyDocument {
        let f = &self.fields;
        let title = normalize(&d.title);
        let body = normalize(&d.body);
        let mut doc = TantivyDocument::new();
        doc.add_u64(f.id, d.id as u64);
        doc.add_u64(f.channel, d.channel_id as u64);
        doc.add_u64(f.creator, d.creator_id as u64);
        doc.add_i64(f.published, d.published_at);
        doc.add_u64(f.simhash, analysis::story_hash(&title, &body));
        doc.add_text(f.title, &title);
        doc.add_text(f.title_bigrams, &title);
        doc.add_text(f.body, &body);
        doc.add_text(f.body_bigrams, &body);
        doc
    }

    /// Queues documents (replacing any with the same id) without committing: for bulk loads.
    pub fn add(&self, docs: &[IndexDoc]) -> Result<(), SearchError> {
        let w = self.writer();
        for d in docs {
            w.delete_term(Term::from_field_u64(self.fields.id, d.id as u64));
            w.add_document(self.to_document(d))?;
        }
        Ok(())
    }

    /// Queues removals without committing.
    pub fn remove(&self, ids: &[i64]) {
        let w = self.writer();
        for id in ids {
            w.delete_term(Term::from_field_u64(self.fields.id, *id as u64));
        }
    }

    /// Commits what was queued, recording `cursor`, and makes it visible to searches.
    pub fn commit(&self, cursor: i64) -> Result<(), SearchError> {
        let payload = serde_json::to_string(&Payload {
            schema: SCHEMA_VERSION,
            cursor,
        })?;
        {
            let mut w = self.writer();
            let mut prepared = w.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }

    /// Applies one batch of changes atomically: upserts, removals and the new cursor.
    pub fn apply(
        &self,
        upserts: &[IndexDoc],
        removals: &[i64],
        cursor: i64,
    ) -> Result<(), SearchError> {
        // Nothing for the index (the batch held only 跟贴 and other changes): no commit, no
        // fsync, no new searcher — the cursor moves in memory, and after a restart those
        // changes are read again and passed over again.
        if upserts.is_empty() && removals.is_empty() {
            self.passed
                .fetch_max(cursor, std::sync::atomic::Ordering::AcqRel);
            return Ok(());
        }
        self.remove(removals);
        self.add(upserts)?;
        self.commit(cursor)
    }

    /// Empties the index (for a rebuild); the caller adds everything and commits.
    pub fn clear(&self) -> Result<(), SearchError> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Bytes on disk.
    pub fn size_bytes(&self) -> u64 {
        std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Where the document with `id` is, if indexed.
    pub(crate) fn address(
        &self,
        searcher: &Searcher,
        id: i64,
    ) -> Result<Option<DocAddress>, SearchError> {
        let q = TermQuery::new(
            Term::from_field_u64(self.fields.id, id as u64),
            IndexRecordOption::Basic,
        );
        Ok(searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())?
            .into_iter()
            .next()
            .map(|(_, a)| a))
    }

    /// Fast-field facts of a document.
    pub(crate) fn meta_at(
        &self,
        searcher: &Searcher,
        at: DocAddress,
    ) -> Result<DocMeta, SearchError> {
        let ff = searcher.segment_reader(at.segment_ord).fast_fields();
        let doc = at.doc_id;
        Ok(DocMeta {
            id: ff.u64("id")?.first(doc).unwrap_or(0) as i64,
            channel_id: ff.u64("channel")?.first(doc).unwrap_or(0) as i64,
            creator_id: ff.u64("creator")?.first(doc).unwrap_or(0) as i64,
            published_at: ff.i64("published")?.first(doc).unwrap_or(0),
            simhash: ff.u64("simhash")?.first(doc).unwrap_or(0),
        })
    }

    /// Facts of an indexed article.
    pub fn meta(&self, id: i64) -> Result<Option<DocMeta>, SearchError> {
        let searcher = self.searcher();
        match self.address(&searcher, id)? {
            Some(at) => Ok(Some(self.meta_at(&searcher, at)?)),
            None => Ok(None),
        }
    }
}
