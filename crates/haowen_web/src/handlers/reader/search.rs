//! `GET /search?q=…`: Chinese full-text search (the app's discovery) with highlighted titles and
//! snippets, filters (channel, creator, time), relevance or newest order, pagination and a
//! helpful empty state. Not cached: queries are unbounded. The JSON API shares [`to_find`].

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;

use crate::{AppState, error::AppError, handlers::page_number, ui::Ui};
use haowen_app::{
    discovery::{Find, Found, PER_PAGE, Sort, parse_day},
    page_data::{Chrome, ListItem, Pager},
};

/// What `/search` and `/api/v1/search` take.
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
    /// Channel slug.
    pub channel: Option<String>,
    /// Creator slug.
    pub creator: Option<String>,
    /// `YYYY-MM-DD` in the site zone, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// `day`, `week`, `month` or `year`: a shortcut for `from`.
    pub within: Option<String>,
    /// `relevance` (default) or `newest`.
    pub sort: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Checks the parameters; every bad one is a 400 that says how to fix it.
pub async fn to_find(
    state: &AppState,
    p: &SearchParams,
    max_per_page: usize,
) -> Result<Find, AppError> {
    let site = state.snapshots.current();
    let zone = site.zone;
    let text: String =
        p.q.as_deref()
            .unwrap_or("")
            .trim()
            .chars()
            .take(100)
            .collect();
    let channel = match nonempty(&p.channel) {
        None => None,
        Some(slug) => Some(
            site.channels
                .iter()
                .find(|c| c.slug == slug)
                .cloned()
                .ok_or_else(|| {
                    AppError::BadRequest(format!(
                        "没有名为“{slug}”的频道：请用频道网址里的英文名，例如 channel=sports。"
                    ))
                })?,
        ),
    };
    let creator = match nonempty(&p.creator) {
        None => None,
        Some(slug) => match state.db.creator_by_slug(slug).await {
            Ok(c) => Some((c.id, c.slug, c.name)),
            Err(haowen_app::Refusal::NotFound) => {
                return Err(AppError::BadRequest(format!(
                    "没有网址为“{slug}”的创作者：请用创作者主页网址 /creator/ 后面的部分。"
                )));
            }
            Err(e) => return Err(e.into()),
        },
    };
    let day = |raw: Option<&str>, end: bool, name: &str| -> Result<Option<i64>, AppError> {
        match raw {
            None => Ok(None),
            Some(r) => parse_day(r, zone, end).map(Some).ok_or_else(|| {
                AppError::BadRequest(format!("{name}“{r}”无效：请用 年-月-日，例如 2026-03-02。"))
            }),
        }
    };
    let mut from = day(nonempty(&p.from), false, "起始日期")?;
    let to = day(nonempty(&p.to), true, "截止日期")?;
    if let Some(w) = nonempty(&p.within) {
        let secs = match w {
            "day" => 86_400,
            "week" => 7 * 86_400,
            "month" => 30 * 86_400,
            "year" => 365 * 86_400,
            other => {
                return Err(AppError::BadRequest(format!(
                    "时间范围“{other}”无效：请用 day、week、month 或 year。"
                )));
            }
        };
        from = Some(haowen_core::time::now() - secs);
    }
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(AppError::BadRequest(
            "起始日期晚于截止日期，请对调后再搜。".into(),
        ));
    }
    let sort = match nonempty(&p.sort) {
        None | Some("relevance") => Sort::Relevance,
        Some("newest") => Sort::Newest,
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "排序方式“{other}”无效：请用 relevance（相关度）或 newest（最新）。"
            )));
        }
    };
    let per_page = match nonempty(&p.per_page) {
        None => PER_PAGE,
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max_per_page).contains(n))
            .ok_or_else(|| {
                AppError::BadRequest(format!("per_page 须为 1 到 {max_per_page} 的整数。"))
            })?,
    };
    Ok(Find {
        text,
        channel,
        creator,
        from,
        to,
        sort,
        page: page_number(p.page.as_deref())? as usize,
        per_page,
    })
}

struct ResultView {
    id: i64,
    title_html: String,
    snippet_html: String,
    item: ListItem,
}

#[derive(Template)]
#[template(path = "pages/search.html")]
struct SearchPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    query: String,
    channels: Vec<(String, String)>,
    channel: String,
    creator: Option<(String, String)>,
    within: String,
    newest: bool,
    total: usize,
    results: Vec<ResultView>,
    pager: Pager,
    hot: Vec<ListItem>,
    /// The query is also a tag: (tag, its page, how many articles carry it: "1000+" past
    /// [`TAG_COUNT_CAP`]).
    tag: Option<(String, String, String)>,
}

pub async fn show(
    State(state): State<AppState>,
    Query(p): Query<SearchParams>,
    ui: Ui,
    headers: axum::http::HeaderMap,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let generation = state.snapshots.current().generation;
    let find = to_find(&state, &p, 50).await?;
    // Anonymous result pages are cached by the query as checked (filters, order, page), in the
    // search cache, until the index or the site changes; a signed-in reader's are rendered.
    let key = format!(
        "/search?{}",
        pager_query(&find, &p) + &format!("&page={}", find.page)
    );
    // The request as sent stands for that page from now on, for the fast lane.
    if ui.viewer.is_none() && find.creator.is_none() {
        let prefix = ui.cache_prefix();
        state.search_aliases.record(
            crate::search_aliases::raw_key(&prefix, uri.query().unwrap_or("")),
            generation,
            format!("{prefix}{key}"),
        );
    }
    let (st, page_ui) = (state.clone(), ui.clone());
    crate::handlers::cached_in(&state.search_pages, &state, &ui, key, &headers, |site| {
        render(st, page_ui, p, find, site)
    })
    .await
}

/// The query string that keeps every filter (for the pager, and as the cache key).
fn pager_query(find: &Find, p: &SearchParams) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("q", &find.text);
    for (k, v) in [
        ("channel", find.channel.as_ref().map(|c| c.slug.clone())),
        ("creator", find.creator.as_ref().map(|c| c.1.clone())),
        ("within", nonempty(&p.within).map(str::to_string)),
        ("from", nonempty(&p.from).map(str::to_string)),
        ("to", nonempty(&p.to).map(str::to_string)),
        (
            "sort",
            (find.sort == Sort::Newest).then(|| "newest".to_string()),
        ),
        (
            "per_page",
            (find.per_page != PER_PAGE).then(|| find.per_page.to_string()),
        ),
    ] {
        if let Some(v) = v {
            query.append_pair(k, &v);
        }
    }
    query.finish()
}

async fn render(
    state: AppState,
    ui: Ui,
    p: SearchParams,
    find: Find,
    site: std::sync::Arc<haowen_app::snapshot::SiteSnapshot>,
) -> Result<String, AppError> {
    let found = if find.text.is_empty() {
        None
    } else {
        Some(state.search(&find).await.map_err(search_error)?)
    };
    let (total, items) = found.map(|f| (f.total, f.items)).unwrap_or_default();
    let results = items
        .into_iter()
        .map(|f: Found| ResultView {
            id: f.article.id,
            title_html: f.title_html(),
            snippet_html: f.snippet_html(),
            item: ListItem::from_summary(&f.article, site.zone),
        })
        .collect();
    // Pages of the size actually shown; a page past the last is not there.
    let mut pager = Pager::sized(
        find.page as i64,
        total as i64,
        find.per_page as i64,
        format!("/search?{}", pager_query(&find, &p)),
    );
    if find.page as i64 > pager.pages {
        return Err(AppError::NotFound);
    }
    pager.base_has_query = true;
    // A query that is a tag offers the tag's page (its articles, newest first) as a filter.
    let text = find.text.trim();
    let tag = if text.is_empty() || text.contains(char::is_whitespace) || text.chars().count() > 32
    {
        None
    } else {
        let carried = match state.tag_offers.count(text, site.generation) {
            Some(n) => n,
            None => {
                let now = haowen_core::time::now();
                let n = state.db.tag_count_upto(text, now, TAG_COUNT_CAP).await?;
                state.tag_offers.record(text, site.generation, n);
                n
            }
        };
        let shown = if carried > TAG_COUNT_CAP {
            format!("{TAG_COUNT_CAP}+")
        } else {
            carried.to_string()
        };
        (carried > 0).then(|| (text.to_string(), super::tag::href(text), shown))
    };
    let view = SearchPage {
        tag,
        chrome: &site.chrome,
        page_title: if find.text.is_empty() {
            format!("搜索 - {}", site.chrome.site_name)
        } else {
            format!("{} - 搜索 - {}", find.text, site.chrome.site_name)
        },
        description: format!("在{}搜索文章", site.chrome.site_name),
        channels: site
            .channels
            .iter()
            .filter(|c| !c.hidden)
            .map(|c| (c.slug.clone(), c.name.clone()))
            .collect(),
        channel: find
            .channel
            .as_ref()
            .map(|c| c.slug.clone())
            .unwrap_or_default(),
        creator: find.creator.as_ref().map(|c| (c.1.clone(), c.2.clone())),
        within: nonempty(&p.within).unwrap_or("").to_string(),
        newest: find.sort == Sort::Newest,
        query: find.text,
        total,
        results,
        pager,
        hot: site.hot.iter().take(8).cloned().collect(),
        ui,
    };
    Ok(view.render()?)
}

/// A search that could not run: 503 with a message while the index is rebuilt (or after it
/// failed and was marked for rebuilding), else an internal error.
pub fn search_error(e: haowen_app::discovery::DiscoveryError) -> AppError {
    use haowen_app::discovery::DiscoveryError;
    match e {
        DiscoveryError::Unavailable(_) | DiscoveryError::Search(_) | DiscoveryError::Join(_) => {
            AppError::Unavailable(SEARCH_UNAVAILABLE.into())
        }
        other => AppError::Internal(other.to_string()),
    }
}

/// What readers are told while the search index is rebuilt.
/// The search's tag offer counts a tag's articles up to this many (a common tag at 1 M articles
/// would cost a join per article on every fresh search).
const TAG_COUNT_CAP: i64 = 1000;

pub const SEARCH_UNAVAILABLE: &str = "搜索暂时不可用：搜索索引正在从数据库重建，通常一两分钟即可恢复。请稍后再试，或先浏览频道和热点。";
