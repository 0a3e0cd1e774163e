//! [`Refusal`]: why a use case did not do what was asked — the one error the layers above see.
//! A store failure arrives here already sorted: "not found", "try again in a moment" (busy,
//! disk full, read-only — with the message a reader is shown) or an internal error.

use std::collections::BTreeMap;

use haowen_db::StoreError;

/// Why a use case refused: per-field messages (in Chinese) the form shows next to each field,
/// or a reason for the whole request.
#[derive(Debug)]
pub enum Refusal {
    /// field → message.
    Fields(BTreeMap<&'static str, String>),
    /// Not allowed for this user.
    Forbidden(String),
    /// Too many attempts; retry after this many seconds.
    Limited(i64),
    /// The thing does not exist.
    NotFound,
    /// The thing is not there (or no longer), with a message saying so.
    Missing(String),
    /// Clashes with what is there (a second report or appeal).
    Conflict(String),
    /// Too many of these too fast.
    TooMany(String),
    /// The database cannot take this for the moment (busy, disk full, read-only): the message
    /// says what and what to do.
    Unavailable(String),
    /// A fault (a bug, a corrupt row, a lost connection): logged, never shown in detail.
    Internal(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Fields(errors) => {
                write!(
                    f,
                    "{}",
                    errors.values().cloned().collect::<Vec<_>>().join("；")
                )
            }
            Refusal::Limited(wait) => write!(f, "尝试次数过多，请 {wait} 秒后再试。"),
            Refusal::NotFound => write!(f, "not found"),
            Refusal::Forbidden(m)
            | Refusal::Missing(m)
            | Refusal::Conflict(m)
            | Refusal::TooMany(m)
            | Refusal::Unavailable(m)
            | Refusal::Internal(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for Refusal {}

/// What a reader is told when the database cannot take a write for the moment.
pub fn store_unavailable(e: &StoreError) -> Option<&'static str> {
    match e {
        StoreError::Busy => Some(
            "很多人正在同时提交，服务器正在排队处理。请几秒后再试，已填写的内容不会丢失（返回上一页即可）。",
        ),
        StoreError::DiskFull => {
            Some("磁盘已满：服务器暂时无法保存新内容，请稍后再试。站长已收到提醒。")
        }
        StoreError::ReadOnly(_) => {
            Some("数据库暂时只读：服务器暂时无法保存新内容，请稍后再试。站长已收到提醒。")
        }
        _ => None,
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        if let Some(message) = store_unavailable(&e) {
            tracing::warn!(error = %e, "a write could not be made");
            return Refusal::Unavailable(message.into());
        }
        match e {
            StoreError::NotFound => Refusal::NotFound,
            other => Refusal::Internal(other.to_string()),
        }
    }
}

impl Refusal {
    pub fn field(name: &'static str, message: impl Into<String>) -> Refusal {
        Refusal::Fields(BTreeMap::from([(name, message.into())]))
    }
}

/// Collects field errors while checking a form.
#[derive(Default)]
pub struct Check {
    errors: BTreeMap<&'static str, String>,
}

impl Check {
    /// Runs a parser; keeps its value or records its message against `field`.
    pub fn take<T>(&mut self, field: &'static str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.entry(field).or_insert(e);
                None
            }
        }
    }

    pub fn fail(&mut self, field: &'static str, message: impl Into<String>) {
        self.errors.entry(field).or_insert_with(|| message.into());
    }

    /// Ok when no field failed.
    pub fn finish(self) -> Result<(), Refusal> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Refusal::Fields(self.errors))
        }
    }
}
