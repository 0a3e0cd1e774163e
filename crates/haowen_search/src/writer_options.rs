//! The index writer's resources: indexing threads and the memory each fills before it writes a
//! segment out.

/// The writer's resources.
#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    pub threads: usize,
    pub heap_bytes: usize,
}

impl WriterOptions {
    /// For a process that loads many articles and exits (`haowen import`, `haowen reindex`):
    /// two indexing threads of 320 MB each (one on a one-core machine). The indexing thread
    /// bounds an import (two thirds of its CPU: tokens and postings), so a second one uses
    /// the other core. Importing 100 k articles: median 64.2 s with one thread (62.0–71.0),
    /// 59.0 s with two (51.8–69.8); 4 and 4–5 segments left; peak RSS 454 and 543–593 MB.
    /// At 320 MB a thread (2026-12-04) each thread writes 100 k articles' share as one
    /// segment: 2 segments instead of 5, the import as fast (33.3 against 34.2 s), its peak
    /// RSS 851 MB against 584 — and a search visits each segment: fresh common-word searches
    /// on the 2-segment index cost 617 µs of CPU against 685 µs (medians of 4 alternating
    /// rounds; a single merged segment, 614 µs, was not worth the 8 s its merge added).
    /// The server keeps one thread: its small commits every 250 ms would leave a segment per
    /// thread each time.
    pub fn bulk() -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
        WriterOptions {
            threads,
            heap_bytes: threads * 320 * 1024 * 1024,
        }
    }
}

impl Default for WriterOptions {
    fn default() -> Self {
        WriterOptions {
            threads: 1,
            // What the segment being built may hold before it is written out. A bulk load
            // (import, reindex) fills it; the server's small batches, committed every 250 ms,
            // never come near it (tantivy's term table starts at the same size either way).
            // At 100 k articles, 64 MB wrote twice as many segments, and merging them cost
            // 15-20 s of CPU: the import took 71.5-77.2 s against 62.0-71.0 s (median 64.2)
            // at 128 MB, with the same peak RSS (444-464 MB).
            heap_bytes: 128 * 1024 * 1024,
        }
    }
}
