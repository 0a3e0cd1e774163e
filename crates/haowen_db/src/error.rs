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
    /// Stored data that does not parse (a bug or a hand-edited row).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Other(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) => {
                let msg = db.message();
                // SQLite: SQLITE_BUSY (5) / SQLITE_LOCKED (6); PostgreSQL has no equivalent here.
                if matches!(db.code().as_deref(), Some("5") | Some("6") | Some("517"))
                    || msg.contains("database is locked")
                {
                    return StoreError::Busy;
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
