//! The fast lane: an anonymous `GET` of the home page, an article page, the first page of a
//! channel, creator or tag, or a search the route has checked before (`search_aliases.rs`),
//! that is already rendered is answered from the page cache before the router.
//!
//! The router's layers (tracing, panic catching, the people-pages middleware, body limits, path
//! matching, extractors that clone the header map) cost about as much as the kernel's TCP work
//! for a cached page: 16.5–17.3 µs of server CPU per article against 9.1–9.5 µs for bare hyper
//! answering the same bytes and 9.3–11 µs for nginx on the same box. The lane does only what
//! the route would do for such a request — the same cache key and entry, the same variant
//! (`CachedPage::variant`: 304, gzip or plain) with the same headers in the same order
//! ([`Templates`]), the read count for an article — and sends anything
//! else (another query string, a session cookie, another method or path, a miss, a stale page
//! nobody is rendering yet) down the router, so
//! its answers are the router's: `tests/it/fast_lane.rs` compares them header by header.

use std::{net::SocketAddr, sync::Arc};

use axum::{
    http::{HeaderMap, HeaderValue, Method, Request, header},
    response::Response,
};
use bytes::Bytes;

use crate::{
    AppState,
    auth::{SESSION_COOKIE, cookie},
    handlers::{client_ip, user_agent},
    page_cache::{CachedPage, Variant},
    security_headers::SecurityHeaders,
    ui::Ui,
    visitor::visitor_key,
};

/// See the module header.
pub struct FastLane {
    state: AppState,
    templates: Templates,
}

/// Every header of a cached page's response, for each variant, security headers included, in
/// the route's order: built once; each answer clones one and puts its page's `ETag` in.
/// Building them per answer (a header map, then an entry per security header) was 7.9 % of
/// the server's samples for a cached article page; the clone is 3.8 %.
struct Templates {
    not_modified: HeaderMap,
    gzip: HeaderMap,
    plain: HeaderMap,
}

impl Templates {
    fn new(security: &SecurityHeaders) -> Templates {
        let empty = Bytes::new();
        let build = |variant: Variant<'_>| {
            let mut headers = variant.headers();
            // Where the route's response has it; each answer replaces the value in place.
            headers.insert(header::ETAG, HeaderValue::from_static("\"0\""));
            security.add_to(&mut headers);
            headers
        };
        Templates {
            not_modified: build(Variant::NotModified),
            gzip: build(Variant::Gzip(&empty)),
            plain: build(Variant::Plain(&empty)),
        }
    }

    /// `cached`'s answer to a request with these headers, as the route's would be.
    fn respond(&self, cached: &CachedPage, request: &HeaderMap) -> Response {
        let variant = cached.variant(request);
        let mut headers = match variant {
            Variant::NotModified => &self.not_modified,
            Variant::Gzip(_) => &self.gzip,
            Variant::Plain(_) => &self.plain,
        }
        .clone();
        headers.insert(header::ETAG, cached.etag.clone());
        variant.into_response(headers)
    }
}

impl std::fmt::Debug for FastLane {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FastLane")
    }
}

/// What a path is, for the lane: the key its route caches it under (`/`, `/a/{id}`,
/// `/channel/{slug}?page=1` …); anything else is the router's.
enum Page {
    Home,
    Article(i64),
    /// The first page of a list, under this key.
    List(String),
}

/// A list's name as its route reads it: the one path segment, percent-decoded as UTF-8 (what
/// axum's `Path` gives the handler, which keys the page with it). `None` for anything the
/// route would refuse or the lane cannot be sure of: empty, more segments, bad UTF-8, control
/// characters, over-long.
fn list_name(segment: &str) -> Option<String> {
    if segment.is_empty() || segment.len() > 256 || segment.contains('/') {
        return None;
    }
    let name = percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()?;
    (!name.is_empty() && !name.chars().any(char::is_control)).then(|| name.into_owned())
}

fn page_of(path: &str) -> Option<Page> {
    if path == "/" {
        return Some(Page::Home);
    }
    for list in ["/channel/", "/creator/", "/tag/"] {
        if let Some(segment) = path.strip_prefix(list) {
            return list_name(segment).map(|name| Page::List(format!("{list}{name}?page=1")));
        }
    }
    let digits = path.strip_prefix("/a/")?;
    let id: i64 = digits.parse().ok()?;
    // Only the canonical spelling: `/a/05` or `/a/+5` is the router's (it answers or refuses).
    (id > 0 && digits.bytes().all(|b| b.is_ascii_digit()) && id.to_string() == digits)
        .then_some(Page::Article(id))
}

impl FastLane {
    pub fn new(state: AppState) -> Arc<FastLane> {
        let templates = Templates::new(&SecurityHeaders::new(&state.config.public_url));
        Arc::new(FastLane { state, templates })
    }

    /// The answer from the cache, or `None` for the router.
    pub fn answer<B>(&self, req: &Request<B>, peer: SocketAddr) -> Option<Response> {
        let headers = req.headers();
        // A session (live or not) is the router's: it decides who is signed in.
        if req.method() != Method::GET || cookie(headers, SESSION_COOKIE).is_some() {
            return None;
        }
        let path = req.uri().path();
        if let Some(query) = req.uri().query() {
            return (path == "/search")
                .then(|| self.search(headers, query))
                .flatten();
        }
        let page = page_of(path)?;
        let prefix = Ui::cache_prefix_of(headers);
        let site = self.state.snapshots.current();
        let key = match &page {
            Page::List(key) => format!("{prefix}{key}"),
            Page::Home | Page::Article(_) => format!("{prefix}{path}"),
        };
        // A stale page is served only while someone renders the new one; the router renders it.
        let cached = self.state.pages.ready(&key, site.generation)?;
        let res = self.templates.respond(&cached, headers);
        if let Page::Article(id) = page {
            self.state.reads.record(
                id,
                visitor_key(headers, client_ip(&self.state, headers, Some(peer))),
                user_agent(headers),
                haowen_core::time::now(),
            );
        }
        Some(res)
    }

    /// A search the route has checked before (`search_aliases.rs`), when its page is cached.
    fn search(&self, headers: &axum::http::HeaderMap, query: &str) -> Option<Response> {
        // `care=` in the address switches the reader's mode: the router's.
        if query.contains("care") {
            return None;
        }
        let site = self.state.snapshots.current();
        let raw = crate::search_aliases::raw_key(&Ui::cache_prefix_of(headers), query);
        let key = self.state.search_aliases.key(&raw, site.generation)?;
        let cached = self.state.search_pages.ready(&key, site.generation)?;
        let res = self.templates.respond(&cached, headers);
        Some(res)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_canonical_paths_take_the_lane() {
        assert!(matches!(page_of("/"), Some(Page::Home)));
        assert!(matches!(page_of("/a/42"), Some(Page::Article(42))));
        assert!(
            matches!(page_of("/channel/sports"), Some(Page::List(k)) if k == "/channel/sports?page=1")
        );
        assert!(matches!(
            page_of("/creator/lvyin-biji"),
            Some(Page::List(_))
        ));
        for other in [
            "/a/042",
            "/a/+42",
            "/a/-1",
            "/a/0",
            "/a/42/",
            "/a/4 2",
            "/a/",
            "/a/42/comments",
            "//",
            "/a/99999999999999999999",
            "/channel/",
            "/channel/a/b",
            "/tag/%E6%98",
            "/tag/%0A",
            "/creator/%FF",
        ] {
            assert!(page_of(other).is_none(), "{other}");
        }
    }
}
