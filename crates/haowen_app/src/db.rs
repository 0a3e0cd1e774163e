//! [`Db`]: the store as the layers above see it — a handle they pass to use cases and cannot
//! query themselves.

use haowen_db::Store;

/// An opaque handle on the database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pub(crate) store: Store,
}

impl Db {
    /// Wraps an open store (the binary opens it: `haowen_db::Store::open`).
    pub fn new(store: Store) -> Db {
        Db { store }
    }
}
