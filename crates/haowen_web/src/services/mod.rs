//! Use cases: the rules of the platform, with no HTTP in sight. Handlers (HTML and JSON) and the
//! CLI call these, so a rule such as "only an editor decides an application" holds whichever
//! door a request comes through.

pub mod accounts;
pub mod admin;
pub mod applications;
pub mod comments;
pub mod moderation;
pub mod studio;

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
    Store(StoreError),
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Refusal::NotFound,
            other => Refusal::Store(other),
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
