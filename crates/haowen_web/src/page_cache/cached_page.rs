//! One rendered page, ready to send: its HTML, its gzip (made on first need), its ETag, and
//! whether a newer rendering is due (stale: served only while a reader renders the new one).

use std::{
    io::Write,
    sync::{
        OnceLock,
        atomic::{AtomicBool, Ordering},
    },
};

use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
};
use bytes::Bytes;
use flate2::{Compression, write::GzEncoder};

/// A rendered page, ready to send.
#[derive(Debug)]
pub struct CachedPage {
    pub generation: u64,
    pub html: Bytes,
    /// Made on the first request that accepts gzip (a search page asked once by a client that
    /// does not accept it never pays for compressing it: 9 % of the CPU of fresh searches).
    gzip: OnceLock<Bytes>,
    pub etag: HeaderValue,
    /// A newer rendering is due ([`super::PageCache::mark_article_stale`]).
    stale: AtomicBool,
}

impl CachedPage {
    pub fn new(generation: u64, html: String) -> CachedPage {
        let etag =
            HeaderValue::from_str(&format!("\"g{generation}-{:x}\"", digest(html.as_bytes())))
                .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
        CachedPage {
            generation,
            html: Bytes::from(html),
            gzip: OnceLock::new(),
            etag,
            stale: AtomicBool::new(false),
        }
    }

    /// Whether a newer rendering is due: serve this only while someone renders it.
    pub fn is_stale(&self) -> bool {
        self.stale.load(Ordering::Relaxed)
    }

    pub(super) fn mark_stale(&self) {
        self.stale.store(true, Ordering::Relaxed);
    }

    /// The page gzip-compressed (empty if compression failed).
    pub fn gzip(&self) -> &Bytes {
        self.gzip.get_or_init(|| {
            let mut enc =
                GzEncoder::new(Vec::with_capacity(self.html.len() / 3), Compression::new(6));
            match enc.write_all(&self.html).and_then(|()| enc.finish()) {
                Ok(v) => Bytes::from(v),
                Err(_) => Bytes::new(),
            }
        })
    }

    /// What a request with these headers gets of this page.
    pub fn variant(&self, request: &HeaderMap) -> Variant<'_> {
        if request
            .get(header::IF_NONE_MATCH)
            .is_some_and(|v| v == self.etag)
        {
            return Variant::NotModified;
        }
        let gzip_ok = request
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
        if gzip_ok && !self.gzip().is_empty() {
            Variant::Gzip(self.gzip())
        } else {
            Variant::Plain(&self.html)
        }
    }

    /// The HTTP response for a request with these headers: gzip when accepted, 304 when the
    /// browser already has this version.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let variant = self.variant(request);
        let mut headers = variant.headers();
        headers.insert(header::ETAG, self.etag.clone());
        variant.into_response(headers)
    }
}

/// A cached page as one request gets it.
#[derive(Debug, Clone, Copy)]
pub enum Variant<'a> {
    /// The browser has this version: `304 Not Modified`.
    NotModified,
    Gzip(&'a Bytes),
    Plain(&'a Bytes),
}

impl Variant<'_> {
    /// The headers of this variant of any page, all but its `ETag`.
    pub fn headers(self) -> HeaderMap {
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        // Browsers revalidate every time (pages change when content does) but a 304 is cheap.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Variant::Gzip(_) = self {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        headers
    }

    /// The response: these headers and the variant's status and body.
    pub fn into_response(self, headers: HeaderMap) -> Response {
        let (status, body) = match self {
            Variant::NotModified => (StatusCode::NOT_MODIFIED, Body::empty()),
            Variant::Gzip(bytes) | Variant::Plain(bytes) => {
                (StatusCode::OK, Body::from(bytes.clone()))
            }
        };
        let mut res = Response::new(body);
        *res.status_mut() = status;
        *res.headers_mut() = headers;
        res
    }
}

impl CachedPage {
    /// Bytes held: the HTML and room for its gzip (reserved at half the HTML whether made yet
    /// or not, so the count never changes while the page is cached; our pages compress to a
    /// quarter to a third).
    pub fn size(&self) -> usize {
        self.html.len() + self.html.len() / 2
    }
}

/// The page's fingerprint for its ETag: foldhash with its fixed seed, so the same bytes give
/// the same tag in every process of one build (another foldhash version or platform may give
/// another: a browser then gets a 200 once instead of a 304). It reads many bytes a step; the
/// byte-at-a-time FNV-1a before it took ~25 µs for a 15 KB page (2.3 % of a fresh search).
fn digest(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher as _;
    foldhash::quality::FixedState::default().hash_one(bytes)
}

#[cfg(test)]
mod tests {
    use super::CachedPage;

    #[test]
    fn the_etag_follows_the_bytes_and_the_generation() {
        let page: String = "<p>新闻正文，第一段。</p>".repeat(700);
        let tag = |generation, html: &str| CachedPage::new(generation, html.to_string()).etag;
        assert_eq!(tag(3, &page), tag(3, &page), "same bytes, same tag");
        assert_ne!(tag(3, &page), tag(4, &page), "another generation");
        // One byte changed anywhere — the head, the middle, the last partial block — or one
        // byte more or less: another tag.
        for at in [0, page.len() / 2, page.len() - 1] {
            let mut bytes = page.clone().into_bytes();
            bytes[at] = b'x';
            let changed = String::from_utf8_lossy(&bytes).into_owned();
            assert_ne!(tag(3, &page), tag(3, &changed), "byte {at} changed");
        }
        assert_ne!(
            tag(3, &page),
            tag(3, &page[..page.len() - 1]),
            "one byte shorter"
        );
        assert_ne!(
            tag(3, &page),
            tag(3, &format!("{page} ")),
            "one byte longer"
        );
    }
}
