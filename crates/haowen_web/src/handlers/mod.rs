//! Request handlers, one file per page or action. Shared helpers live here: the cached-page
//! path every reader page takes, the client-address extractor, and page-number parsing.

pub mod account;
pub mod admin;
pub mod api;
pub mod assets;
pub mod editor;
pub mod extract;
pub mod health;
pub mod reader;
pub mod studio;

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Arc,
};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, request::Parts},
    response::{IntoResponse, Response},
};

use crate::{AppState, error::AppError, ui::Ui};
use haowen_app::snapshot::SiteSnapshot;

/// Serves `key` from the page cache, rendering it on a miss (once, however many readers miss it
/// together; see page_cache.rs). Rendering happens against the
/// snapshot current at the start, and the page is stamped with that snapshot's generation.
/// Each display mode (normal, care mode at each text size) is cached separately.
pub async fn cached<F, Fut>(
    state: &AppState,
    ui: &Ui,
    key: String,
    headers: &HeaderMap,
    render: F,
) -> Result<Response, AppError>
where
    F: FnOnce(Arc<SiteSnapshot>) -> Fut,
    Fut: Future<Output = Result<String, AppError>>,
{
    cached_in(&state.pages, state, ui, key, headers, render).await
}

/// [`cached`], in the given cache (search results keep their own).
pub async fn cached_in<F, Fut>(
    cache: &crate::page_cache::PageCache,
    state: &AppState,
    ui: &Ui,
    key: String,
    headers: &HeaderMap,
    render: F,
) -> Result<Response, AppError>
where
    F: FnOnce(Arc<SiteSnapshot>) -> Fut,
    Fut: Future<Output = Result<String, AppError>>,
{
    let site = state.snapshots.current();
    if ui.viewer.is_some() {
        let mut res = axum::response::Html(render(site).await?).into_response();
        res.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("private, no-store"),
        );
        return Ok(res);
    }
    let key = format!("{}{key}", ui.cache_prefix());
    let page = cache
        .get_or_render(&key, || site_now(state), render)
        .await?;
    Ok(page.respond(headers))
}

/// The current snapshot and its generation, for `PageCache::get_or_render`.
pub(crate) fn site_now(state: &AppState) -> (u64, Arc<SiteSnapshot>) {
    let site = state.snapshots.current();
    (site.generation, site)
}

/// The client's address: the socket peer, or, when the site sits behind trusted proxies
/// (`behind_proxy`, `proxy_hops`), the address the outermost of them received from.
pub struct ClientIp(pub IpAddr);

/// The client in an `X-Forwarded-For` value written through `hops` trusted proxies: each
/// appends the address it received from, so the client is `hops` entries from the right.
/// Entries further left were written by the client and are never trusted. `None` when the
/// header is shorter than that or the entry is not an address.
pub fn forwarded_client(header: &str, hops: usize) -> Option<IpAddr> {
    let entries: Vec<&str> = header.split(',').map(str::trim).collect();
    let at = entries.len().checked_sub(hops.max(1))?;
    entries.get(at)?.parse().ok()
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        Ok(ClientIp(client_ip(state, &parts.headers, peer)))
    }
}

/// The client's address for a request with these headers from `peer` (see [`ClientIp`]).
pub fn client_ip(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> IpAddr {
    if state.config.behind_proxy {
        // Several X-Forwarded-For lines read as one list, in order.
        let joined = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        if let Some(ip) = forwarded_client(&joined, state.config.proxy_hops) {
            return ip;
        }
    }
    peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |p| p.ip())
}

/// The `page` query parameter: absent means 1; anything but a positive integer is a 400.
pub fn page_number(raw: Option<&str>) -> Result<i64, AppError> {
    match raw {
        None | Some("") => Ok(1),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or_else(|| {
                AppError::BadRequest(format!("页码“{s}”无效：请使用 1 以上的整数，例如 ?page=2"))
            }),
    }
}

/// A page for one signed-in person: never stored by shared caches.
pub fn private(html: String, status: axum::http::StatusCode) -> Response {
    let mut res = (status, axum::response::Html(html)).into_response();
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("private, no-store"),
    );
    res
}

/// A form field's value, or "".
pub fn field<'a>(f: &'a std::collections::HashMap<String, String>, name: &str) -> &'a str {
    f.get(name).map(String::as_str).unwrap_or("")
}

/// The user agent, or "".
pub fn user_agent(headers: &HeaderMap) -> &str {
    headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The avatar URL to show for a creator: theirs, or the generated one.
pub fn avatar_url(creator: &haowen_core::Creator) -> String {
    if creator.avatar_url.is_empty() {
        format!("/avatar/{}.svg", creator.slug)
    } else {
        creator.avatar_url.clone()
    }
}

/// Query string with only `page`, shared by paginated pages.
#[derive(Debug, serde::Deserialize)]
pub struct PageQuery {
    pub page: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        assert_eq!(page_number(None).ok(), Some(1));
        assert_eq!(page_number(Some("3")).ok(), Some(3));
        assert!(page_number(Some("0")).is_err());
        assert!(page_number(Some("abc")).is_err());
    }

    #[test]
    fn the_client_is_counted_from_the_right() {
        let ip = |s: &str| s.parse::<IpAddr>().ok();
        // One proxy: it appended the real peer; what the client wrote before it is ignored.
        assert_eq!(
            forwarded_client("1.2.3.4, 203.0.113.9", 1),
            ip("203.0.113.9")
        );
        assert_eq!(forwarded_client("203.0.113.9", 1), ip("203.0.113.9"));
        // Two proxies (a CDN, then nginx): the client is second from the right.
        assert_eq!(
            forwarded_client("6.6.6.6, 203.0.113.9, 198.51.100.7", 2),
            ip("203.0.113.9")
        );
        assert_eq!(forwarded_client("203.0.113.9", 2), None);
        assert_eq!(forwarded_client("1.2.3.4, not-an-ip", 1), None);
        assert_eq!(forwarded_client("", 1), None);
    }
}
