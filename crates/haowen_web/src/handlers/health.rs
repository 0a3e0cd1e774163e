//! `GET /healthz`: `ok` when the database takes a write, else 503 `degraded: why`. The write is
//! a one-row upsert made at most every [`PROBE_EVERY`]; calls in between get the last answer,
//! so polling (or hammering) the endpoint costs no more than that.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::{extract::State, http::StatusCode, response::IntoResponse};

use crate::AppState;

/// Longest time a health answer is reused.
pub const PROBE_EVERY: Duration = Duration::from_secs(2);

/// The last probe: when, and what it found (None = ok).
#[derive(Default)]
pub struct HealthCache(Mutex<Option<(Instant, Option<String>)>>);

pub async fn show(State(state): State<AppState>) -> impl IntoResponse {
    let cached = state
        .health
        .0
        .lock()
        .ok()
        .and_then(|g| g.clone())
        .filter(|(at, _)| at.elapsed() < PROBE_EVERY);
    let problem = match cached {
        Some((_, problem)) => problem,
        None => {
            let problem = state.store.probe_write().await.err().map(|e| e.to_string());
            if let Some(p) = &problem {
                tracing::warn!(problem = %p, "health: a write cannot be made");
            }
            if let Ok(mut g) = state.health.0.lock() {
                *g = Some((Instant::now(), problem.clone()));
            }
            problem
        }
    };
    match problem {
        None => (StatusCode::OK, "ok".to_string()),
        Some(p) => (StatusCode::SERVICE_UNAVAILABLE, format!("degraded: {p}")),
    }
}
