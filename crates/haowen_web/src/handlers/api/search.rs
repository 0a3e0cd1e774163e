//! `GET /api/v1/search`: the search page's results as JSON. Highlights are `[start, end)`
//! ranges in characters (Unicode scalar values) of `title` and `snippet`.

use axum::{
    Json,
    extract::{Query, State},
    response::{IntoResponse, Response},
};
use serde_json::json;

use crate::{
    AppState,
    error::{ApiError, AppError},
    handlers::reader::search::{SearchParams, to_find},
};

fn ranges(r: &[std::ops::Range<usize>]) -> Vec<[usize; 2]> {
    r.iter().map(|r| [r.start, r.end]).collect()
}

pub async fn search(
    State(state): State<AppState>,
    Query(p): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let find = to_find(&state, &p, 50).await?;
    if find.text.is_empty() {
        return Err(AppError::BadRequest(
            "请用 q 参数给出关键词，例如 /api/v1/search?q=湖人".into(),
        )
        .into());
    }
    let zone = state.snapshots.current().zone;
    Ok(match state.search(&find).await {
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
            ApiError(crate::handlers::reader::search::search_error(e)).into_response()
        }
    })
}
