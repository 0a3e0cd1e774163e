//! The index's files read with `pread` instead of memory maps.
//!
//! tantivy's `MmapDirectory` maps segment files into memory; if a file shrinks under a running
//! reader (a truncated copy, a full disk during a restore, a hand edit), the next touch of a
//! page past the end raises SIGBUS and the whole server dies without a log line. Here every
//! read is a `pread` into a buffer: a short file is an ordinary I/O error, which the caller
//! turns into "index damaged, rebuild it". Writes, locks, deletes and `meta.json` still go
//! through `MmapDirectory` (none of those map files for reading). The page cache still serves
//! the reads; the cost is one copy per read range (measured in `haowen bench discovery`).

use std::{
    fs::File,
    io,
    ops::Range,
    path::{Path, PathBuf},
    sync::Arc,
};

use tantivy::{
    HasLen,
    directory::{
        Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
        WatchHandle, WritePtr,
        error::{DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError},
    },
};

/// A directory whose files are read with `pread` (see the module docs).
#[derive(Debug, Clone)]
pub struct PreadDirectory {
    root: PathBuf,
    inner: MmapDirectory,
}

impl PreadDirectory {
    pub fn open(root: &Path) -> Result<PreadDirectory, OpenDirectoryError> {
        Ok(PreadDirectory {
            root: root.to_path_buf(),
            inner: MmapDirectory::open(root)?,
        })
    }
}

/// An open file and the length it had when opened.
#[derive(Debug)]
struct PreadFile {
    file: File,
    len: usize,
    /// The whole file, read once, for the fast-field columns: tantivy opens a column on every
    /// use (each search and related list reads `published` per segment), and a `pread` per use
    /// zeroed and copied the whole column each time — `memset` and `copy_to_iter` were 37 % of
    /// the server's CPU under mixed browsing at 100 k articles, which went from 155–211 to
    /// 489 req/s with this (RSS 928–976 → 720 MB). A few bytes per document, so kept.
    /// The field norms likewise (one byte per document and text field): every term scorer
    /// opens its field's norms for the segment, and copying them per search was a tenth of the
    /// CPU of a fresh search at 100 k articles (`memset`, `copy_to_iter` under
    /// `FieldNormReader::open`).
    whole: Option<std::sync::OnceLock<OwnedBytes>>,
}

impl PreadFile {
    fn read(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        let mut buffer = vec![0u8; range.end - range.start];
        if !buffer.is_empty() {
            use std::os::unix::fs::FileExt;
            // A file that shrank since it was opened ends early: an error, not a signal.
            self.file.read_exact_at(&mut buffer, range.start as u64)?;
        }
        Ok(OwnedBytes::new(buffer))
    }
}

impl HasLen for PreadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for PreadFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.start > range.end || range.end > self.len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("read {range:?} past the end of a {}-byte file", self.len),
            ));
        }
        let Some(whole) = &self.whole else {
            return self.read(range);
        };
        if let Some(bytes) = whole.get() {
            return Ok(bytes.slice(range));
        }
        let bytes = self.read(0..self.len)?;
        Ok(whole.get_or_init(|| bytes).slice(range))
    }
}

impl Directory for PreadDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let full = self.root.join(path);
        let file = File::open(&full).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_path_buf()),
            _ => OpenReadError::wrap_io_error(e, path.to_path_buf()),
        })?;
        let len = file
            .metadata()
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?
            .len() as usize;
        let kept_whole = path
            .extension()
            .is_some_and(|e| e == "fast" || e == "fieldnorm");
        Ok(Arc::new(PreadFile {
            file,
            len,
            whole: kept_whole.then(std::sync::OnceLock::new),
        }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}
