//! Store errors that mean something to callers.

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or foreign-key rule refused the write.
    #[error("conflicts with existing data ({constraint})")]
    Conflict { constraint: String },
    /// The database is locked by another writer and stayed so past the busy timeout.
    #[error(
        "the database is busy (another process is writing to it); try again when it has finished"
    )]
    Busy,
    /// The disk (or the database's quota) is full: nothing can be written until space is freed.
    #[error("the disk holding the database is full; free some space")]
    DiskFull,
    /// The database file or its folder cannot be written (permissions, a read-only mount).
    #[error("the database is read-only ({0}); check that the file and its folder are writable")]
    ReadOnly(String),
    /// Stored data that does not parse (a bug or a hand-edited row).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Other(sqlx::Error),
}

impl StoreError {
    /// The same error again, for telling several waiting writers why their shared
    /// transaction failed (a driver error keeps its text).
    pub fn duplicate(&self) -> StoreError {
        match self {
            StoreError::NotFound => StoreError::NotFound,
            StoreError::Conflict { constraint } => StoreError::Conflict {
                constraint: constraint.clone(),
            },
            StoreError::Busy => StoreError::Busy,
            StoreError::DiskFull => StoreError::DiskFull,
            StoreError::ReadOnly(what) => StoreError::ReadOnly(what.clone()),
            StoreError::Corrupt(what) => StoreError::Corrupt(what.clone()),
            StoreError::Other(e) => StoreError::Other(sqlx::Error::Protocol(e.to_string())),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) => {
                let msg = db.message();
                // SQLite: SQLITE_BUSY (5) / SQLITE_LOCKED (6); PostgreSQL: serialization
                // failure, deadlock, lock timeout — each worth running the transaction again.
                if matches!(
                    db.code().as_deref(),
                    Some("5" | "6" | "517" | "40001" | "40P01" | "55P03")
                ) || msg.contains("database is locked")
                {
                    return StoreError::Busy;
                }
                // SQLite's primary code is the low byte of the extended one: 13 SQLITE_FULL,
                // 8 SQLITE_READONLY; PostgreSQL: 53100 disk_full, 25006 read_only_sql_transaction.
                let code = db.code().map(|c| c.to_string()).unwrap_or_default();
                let primary = code.parse::<i64>().ok().map(|c| c & 0xff);
                if primary == Some(13) || code == "53100" || msg.contains("disk is full") {
                    return StoreError::DiskFull;
                }
                if primary == Some(8) || code == "25006" || msg.contains("readonly database") {
                    return StoreError::ReadOnly(msg.to_string());
                }
                if db.is_unique_violation() || db.is_foreign_key_violation() {
                    return StoreError::Conflict {
                        constraint: db
                            .constraint()
                            .map(str::to_string)
                            .unwrap_or_else(|| msg.to_string()),
                    };
                }
                StoreError::Other(e)
            }
            _ => StoreError::Other(e),
        }
    }
}
