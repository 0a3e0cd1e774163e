//! `GET /api/v1/search`: the search page's results as JSON. Highlights are `[start, end)`
//! ranges in characters (Unicode scalar values) of `title` and `snippet`.

use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::json;

use crate::{
    AppState,
    handlers::search::{SearchParams, to_find},
};

fn ranges(r: &[std::ops::Range<usize>]) -> Vec<[usize; 2]> {
    r.iter().map(|r| [r.start, r.end]).collect()
}

pub async fn search(State(state): State<AppState>, Query(p): Query<SearchParams>) -> Response {
    let find = match to_find(&state, &p, 50).await {
        Ok(f) => f,
        Err(e) => {
            return (
                e.status_code(),
                Json(json!({ "error": e.code(), "message": e.to_string() })),
            )
                .into_response();
        }
    };
    if find.text.is_empty() {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": "bad_request", "message": "请用 q 参数给出关键词，例如 /api/v1/search?q=湖人" })),
        )
            .into_response();
    }
    let zone = state.snapshots.current().zone;
    match state.search(&find).await {
        Ok(found) => Json(json!({
            "query": find.text,
            "total": found.total,
            "page": find.page,
            "per_page": find.per_page,
            "items": found.items.iter().map(|f| json!({
                "id": f.article.id,
                "url": format!("/a/{}", f.article.id),
                "title": f.title,
                "title_highlights": ranges(&f.title_ranges),
                "snippet": f.snippet,
                "snippet_highlights": ranges(&f.snippet_ranges),
                "channel_id": f.article.channel_id,
                "creator": { "name": f.article.creator_name, "slug": f.article.creator_slug },
                "published_at": haowen_core::time::rfc3339(f.article.published_at),
                "published_local": haowen_core::time::format_datetime(f.article.published_at, zone),
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "search unavailable");
            let mut res = (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "error": "service_unavailable", "message": crate::handlers::search::SEARCH_UNAVAILABLE })),
            )
                .into_response();
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("30"),
            );
            res
        }
    }
}
