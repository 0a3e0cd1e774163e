//! `GET /healthz`: `ok` when the database takes a write, else 503 `degraded: why`
//! ([`haowen_app::App::health`] makes the probe at most every two seconds).

use axum::{extract::State, http::StatusCode, response::IntoResponse};

use crate::AppState;

pub async fn show(State(state): State<AppState>) -> impl IntoResponse {
    match state.health().await {
        None => (StatusCode::OK, "ok".to_string()),
        Some(p) => (StatusCode::SERVICE_UNAVAILABLE, format!("degraded: {p}")),
    }
}
