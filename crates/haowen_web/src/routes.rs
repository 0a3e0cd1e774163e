//! The router: every route of the reader's site, the error-page middleware and the safety
//! layers (panic → 500 page, request body limit, tracing).

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
        .route(
            "/a/{id}/comments",
            get(handlers::comments::page).post(handlers::comments::post),
        )
        .route(
            "/a/{id}/report",
            get(handlers::reports::article_form).post(handlers::reports::article_submit),
        )
        .route(
            "/comments/{id}/like",
            axum::routing::post(handlers::comments::like),
        )
        .route(
            "/comments/{id}/delete",
            axum::routing::post(handlers::comments::delete),
        )
        .route(
            "/comments/{id}/pin",
            axum::routing::post(handlers::comments::pin),
        )
        .route(
            "/comments/{id}/report",
            get(handlers::reports::comment_form).post(handlers::reports::comment_submit),
        )
        .route("/editor/reports", get(handlers::reports::queue))
        .route(
            "/editor/reports/dismiss",
            axum::routing::post(handlers::reports::dismiss),
        )
        .route(
            "/editor/articles/{id}/takedown",
            axum::routing::post(handlers::reports::take_down),
        )
        .route(
            "/editor/articles/{id}/restore",
            axum::routing::post(handlers::reports::restore),
        )
        .route(
            "/editor/comments/{id}/approve",
            axum::routing::post(handlers::reports::approve_comment),
        )
        .route(
            "/editor/appeals/{id}/reject",
            axum::routing::post(handlers::reports::reject_appeal),
        )
        .route("/editor/audit", get(handlers::audit::show))
        .route(
            "/studio/{id}/appeal",
            get(handlers::appeal::show).post(handlers::appeal::submit),
        )
        .route("/admin/words", get(handlers::audit::words_page))
        .route("/search", get(handlers::search::show))
        .route(
            "/signup",
            get(handlers::account::signup_page).post(handlers::account::signup),
        )
        .route(
            "/signin",
            get(handlers::account::signin_page).post(handlers::account::signin),
        )
        .route("/signout", axum::routing::post(handlers::account::signout))
        .route(
            "/account/password",
            get(handlers::account::password_page).post(handlers::account::password),
        )
        .route("/me", get(handlers::account::me))
        .route("/following", get(handlers::follow::feed))
        .route("/apply", get(handlers::apply::show))
        .route("/studio", get(handlers::studio::list))
        .route("/studio/new", get(handlers::studio::new_page))
        .route("/studio/{id}/edit", get(handlers::studio::edit))
        .route(
            "/studio/{id}/unpublish",
            axum::routing::post(handlers::studio::unpublish),
        )
        .route(
            "/studio/{id}/delete",
            axum::routing::post(handlers::studio::delete),
        )
        .route("/admin/users", get(handlers::admin::users))
        .route(
            "/admin/users/{id}",
            axum::routing::post(handlers::admin::change_user),
        )
        .route(
            "/admin/settings",
            get(handlers::admin::settings).post(handlers::admin::save_settings),
        )
        .route(
            "/admin/channels",
            get(handlers::admin::channels).post(handlers::admin::add_channel),
        )
        .route(
            "/admin/channels/{id}",
            axum::routing::post(handlers::admin::update_channel),
        )
        .route("/editor/applications", get(handlers::apply::queue))
        .route(
            "/editor/picks",
            get(handlers::picks::show).post(handlers::picks::change),
        )
        .route(
            "/editor/applications/{id}",
            axum::routing::post(handlers::apply::decide),
        )
        .route(
            "/creator/{slug}/follow",
            get(handlers::follow::confirm).post(handlers::follow::follow),
        )
        .route(
            "/creator/{slug}/unfollow",
            axum::routing::post(handlers::follow::unfollow),
        )
        .route(
            "/setup",
            get(handlers::setup::setup_page).post(handlers::setup::setup),
        )
        .route("/care/on", get(handlers::care::on))
        .route("/care/off", get(handlers::care::off))
        .route("/care/size", get(handlers::care::size))
        .route("/avatar/{file}", get(handlers::avatar::avatar))
        .route("/media/demo/{file}", get(handlers::avatar::illustration))
        .route("/static/{file}", get(handlers::assets::serve))
        .route("/media/{dir}/{file}", get(handlers::media::serve))
        .route("/healthz", get(handlers::health::show));
    // /apply is the application form for signed-in readers; its info page serves the rest.
    for path in handlers::info::paths().filter(|p| *p != "apply") {
        let route = format!("/{path}");
        router = router.route(
            &route,
            get(move |state, ui, headers| {
                handlers::info::show(state, axum::extract::Path(path.to_string()), ui, headers)
            }),
        );
    }
    // Request bodies: small forms get 64 KiB; article bodies (up to 1 MB of text, about three
    // times that once form-encoded) 4 MiB; image uploads 12 MiB.
    let router = router.layer(RequestBodyLimitLayer::new(64 * 1024));
    let articles = Router::new()
        .route("/studio/new", axum::routing::post(handlers::studio::create))
        .route(
            "/studio/preview",
            axum::routing::post(handlers::studio::preview),
        )
        .route(
            "/studio/{id}/edit",
            axum::routing::post(handlers::studio::update),
        )
        // The sensitive-word list can run to tens of thousands of words.
        .route(
            "/admin/words",
            axum::routing::post(handlers::audit::save_words),
        )
        .layer(RequestBodyLimitLayer::new(4 * 1024 * 1024));
    let uploads = Router::new()
        .route(
            "/studio/upload",
            axum::routing::post(handlers::media::upload),
        )
        // 申请入驻 carries an optional avatar.
        .route("/apply", axum::routing::post(handlers::apply::submit))
        .layer(axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024))
        .layer(RequestBodyLimitLayer::new(12 * 1024 * 1024));
    let api = Router::new()
        .route(
            "/api/v1/session",
            axum::routing::post(handlers::api::sign_in).delete(handlers::api::sign_out),
        )
        .route("/api/v1/me/articles", get(handlers::api::my_articles))
        .route("/api/v1/hot", get(handlers::hot_api::show))
        .route("/api/v1/search", get(handlers::search_api::search))
        .route(
            "/api/v1/articles",
            axum::routing::post(handlers::api::create),
        )
        .route(
            "/api/v1/articles/{id}",
            axum::routing::put(handlers::api::update),
        )
        .route(
            "/api/v1/articles/{id}/publish",
            axum::routing::post(handlers::api::publish),
        )
        .route(
            "/api/v1/creators/{slug}/follow",
            axum::routing::put(handlers::api::follow).delete(handlers::api::unfollow),
        )
        .route(
            "/api/v1/{*rest}",
            axum::routing::any(handlers::api::not_found),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            handlers::api_guard::guard,
        ))
        .layer(RequestBodyLimitLayer::new(4 * 1024 * 1024));
    let api_uploads = Router::new()
        .route(
            "/api/v1/images",
            axum::routing::post(handlers::api::upload_image),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            handlers::api_guard::guard,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024))
        .layer(RequestBodyLimitLayer::new(12 * 1024 * 1024));
    router
        .merge(articles)
        .merge(uploads)
        .merge(api)
        .merge(api_uploads)
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
