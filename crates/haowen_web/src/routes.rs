//! The router: every route of the reader's site, the error-page middleware and the safety
//! layers (panic → 500 page, request body limit, tracing).

use std::sync::Arc;

use axum::{
    Router,
    extract::State,
    http::StatusCode,
    middleware,
    response::{IntoResponse, Response},
    routing::get,
};
use tower_http::{catch_panic::CatchPanicLayer, limit::RequestBodyLimitLayer, trace::TraceLayer};

use crate::{AppState, error::AppError, handlers};

/// The whole application, ready to serve (use `into_make_service_with_connect_info::<SocketAddr>`
/// so reads can be counted per client address).
pub fn app(state: AppState) -> Router {
    let mut router = Router::new()
        .route("/", get(handlers::home::show))
        .route("/hao", get(handlers::hao::show))
        .route("/channel/{slug}", get(handlers::channel::show))
        .route("/creator/{slug}", get(handlers::creator::show))
        .route("/a/{id}", get(handlers::article::show))
        .route("/a/{id}/qr.svg", get(handlers::share::qr))
        .route(
            "/a/{id}/share/{target}",
            get(handlers::share::to_network).post(handlers::share::copied_link),
        )
        .route("/search", get(handlers::search::show))
        .route("/avatar/{file}", get(handlers::avatar::avatar))
        .route("/media/demo/{file}", get(handlers::avatar::illustration))
        .route("/static/{file}", get(handlers::assets::serve))
        .route("/healthz", get(|| async { "ok" }));
    for path in handlers::info::paths() {
        let route = format!("/{path}");
        router = router.route(
            &route,
            get(move |state, headers| {
                handlers::info::show(state, axum::extract::Path(path.to_string()), headers)
            }),
        );
    }
    router
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::map_response_with_state(
            state.clone(),
            render_errors,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            AppError::Internal("a handler panicked".into()).into_response()
        }))
        .layer(RequestBodyLimitLayer::new(64 * 1024))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Carries an [`AppError`] from `into_response` to [`render_errors`], which has the state
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

async fn render_errors(State(state): State<AppState>, res: Response) -> Response {
    match res.extensions().get::<ErrorMarker>() {
        Some(ErrorMarker(err)) => err.render(&state.snapshots.current().chrome),
        None if res.status() == StatusCode::METHOD_NOT_ALLOWED => {
            let mut page = AppError::BadRequest("此页面不支持该请求方式。".into())
                .render(&state.snapshots.current().chrome);
            *page.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
            page
        }
        None => res,
    }
}
