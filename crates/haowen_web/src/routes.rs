//! The router: the areas' routers (reader, account, studio, editor, admin, api — each in its
//! handlers/ folder) with their body limits, the error-page middleware and the safety layers
//! (panic → 500 page, tracing, security headers).

use crate::security_headers::SecurityHeaders;
use std::sync::Arc;

use axum::{
    Router,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
};
use tower_http::{catch_panic::CatchPanicLayer, limit::RequestBodyLimitLayer, trace::TraceLayer};

use crate::{
    AppState,
    error::AppError,
    handlers,
    ui::{CARE_COOKIE, Ui, set_cookie},
};

/// The whole application, ready to serve (use `into_make_service_with_connect_info::<SocketAddr>`
/// so reads can be counted per client address).
pub fn app(state: AppState) -> Router {
    // Request bodies: small forms get 64 KiB; article bodies (up to 1 MB of text, about three
    // times that once form-encoded) and the word list 4 MiB; image uploads 12 MiB.
    let forms = Router::new()
        .merge(handlers::reader::router())
        .merge(handlers::account::router())
        .merge(handlers::studio::router())
        .merge(handlers::editor::router())
        .merge(handlers::admin::router())
        .route("/static/{file}", get(handlers::assets::serve))
        .route("/healthz", get(handlers::health::show))
        .layer(RequestBodyLimitLayer::new(64 * 1024));
    let long_texts = Router::new()
        .merge(handlers::studio::articles())
        .merge(handlers::admin::words())
        .layer(RequestBodyLimitLayer::new(4 * 1024 * 1024));
    let uploads = Router::new()
        .merge(handlers::studio::uploads())
        .merge(handlers::account::uploads())
        .layer(axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024))
        .layer(RequestBodyLimitLayer::new(12 * 1024 * 1024));
    forms
        .merge(long_texts)
        .merge(uploads)
        .merge(handlers::api::router(&state))
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            pages_for_people,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            AppError::Internal("a handler panicked".into()).into_response()
        }))
        .layer(TraceLayer::new_for_http())
        .layer(middleware::from_fn_with_state(
            Arc::new(SecurityHeaders::new(&state.config.public_url)),
            crate::security_headers::add,
        ))
        .with_state(state)
}

/// Carries an [`AppError`] from `into_response` to [`pages_for_people`], which has the state
/// needed to draw the page in the site's style.
#[derive(Clone)]
struct ErrorMarker(Arc<AppError>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = self.status_code().into_response();
        res.extensions_mut().insert(ErrorMarker(Arc::new(self)));
        res
    }
}

/// Finishes every response for a person: errors become pages in the site's style (in the
/// reader's display mode), and a mode chosen in the URL (`?care=1`) is remembered in a cookie.
async fn pages_for_people(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let ui = Ui::from_parts(req.headers(), req.uri().path(), req.uri().query())
        .with_viewer(&state.db, req.headers())
        .await;
    req.extensions_mut().insert(ui.clone());
    let mut res = next.run(req).await;
    let chrome = || state.snapshots.current();
    if let Some(ErrorMarker(err)) = res.extensions().get::<ErrorMarker>() {
        res = err.render(&chrome().chrome, &ui);
    } else if res.status() == StatusCode::METHOD_NOT_ALLOWED {
        res = AppError::BadRequest("此页面不支持该请求方式。".into()).render(&chrome().chrome, &ui);
        *res.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    }
    if let Some(on) = ui.url_override
        && let Ok(v) = HeaderValue::from_str(&set_cookie(CARE_COOKIE, if on { "1" } else { "0" }))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
