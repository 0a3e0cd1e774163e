//! `GET /api/v1/hot[?channel=slug]`: the hot list (热点推荐) as JSON, straight from the
//! snapshot's precomputed bytes — no query, no serialisation per request.

use axum::{
    extract::{Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct HotQuery {
    channel: Option<String>,
}

pub async fn show(State(state): State<AppState>, Query(q): Query<HotQuery>) -> Response {
    let site = state.snapshots.current();
    let key = q.channel.unwrap_or_default();
    match site.hot_json.get(&key) {
        Some(body) => (
            StatusCode::OK,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json; charset=utf-8"),
                ),
                // The list is recomputed at least every minute.
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=30"),
                ),
            ],
            body.clone(),
        )
            .into_response(),
        None => crate::error::ApiError(crate::error::AppError::Missing(format!(
            "没有名为“{key}”的频道：请用频道网址里的英文名，例如 channel=sports"
        )))
        .into_response(),
    }
}
