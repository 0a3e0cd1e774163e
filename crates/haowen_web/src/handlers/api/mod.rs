//! The JSON API under `/api/v1/` (see docs/API-DESIGN.md): the same use cases as the pages.
//! Cookie sessions; every state-changing call carries the session's CSRF token in the
//! `X-CSRF-Token` header ([`ApiCaller`] checks it). Errors are
//! `{"error": {"code", "message", "fields"}}` with the pages' status mapping
//! ([`crate::error::ApiError`]); answers are typed serde structs.

mod articles;
mod follows;
pub mod guard;
pub mod hot;
mod images;
pub mod search;
mod session;

pub use articles::{create, my_articles, publish, update};
pub use follows::{follow, unfollow};
pub use images::upload_image;
pub use session::{sign_in, sign_out};

use axum::{
    Router,
    body::Bytes,
    extract::{DefaultBodyLimit, FromRequestParts, Path, rejection::PathRejection},
    http::{Method, request::Parts},
    middleware,
    routing::{get, post, put},
};
use haowen_core::account::User;
use serde::de::DeserializeOwned;
use tower_http::limit::RequestBodyLimitLayer;

use crate::{
    AppState,
    auth::csrf_ok,
    error::{ApiError, AppError},
    ui::Ui,
};

/// The API's routes, behind the cross-site guard: JSON bodies up to 4 MiB, image uploads 12 MiB.
pub fn router(state: &AppState) -> Router<AppState> {
    let json = Router::new()
        .route("/api/v1/session", post(sign_in).delete(sign_out))
        .route("/api/v1/me/articles", get(my_articles))
        .route("/api/v1/hot", get(hot::show))
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/articles", post(create))
        .route("/api/v1/articles/{id}", put(update))
        .route("/api/v1/articles/{id}/publish", post(publish))
        .route(
            "/api/v1/creators/{slug}/follow",
            put(follow).delete(unfollow),
        )
        .route("/api/v1/{*rest}", axum::routing::any(not_found))
        .layer(RequestBodyLimitLayer::new(4 * 1024 * 1024));
    let uploads = Router::new()
        .route("/api/v1/images", post(upload_image))
        .layer(DefaultBodyLimit::max(12 * 1024 * 1024))
        .layer(RequestBodyLimitLayer::new(12 * 1024 * 1024));
    json.merge(uploads)
        .layer(middleware::from_fn_with_state(state.clone(), guard::guard))
}

/// The signed-in caller of an API route; on anything but a read, only with the session's CSRF
/// token in `X-CSRF-Token`. Refused with the API's JSON error (401 / 403).
pub struct ApiCaller(pub User);

impl<S: Send + Sync> FromRequestParts<S> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Ok(ui) = Ui::from_request_parts(parts, state).await;
        let viewer = ui
            .viewer
            .ok_or_else(|| AppError::SignInRequired(parts.uri.path().to_string()))?;
        let reading = matches!(parts.method, Method::GET | Method::HEAD);
        let token = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok());
        if !reading && !csrf_ok(&viewer.csrf, token) {
            return Err(AppError::Csrf("缺少或错误的 X-CSRF-Token 请求头".into()).into());
        }
        Ok(ApiCaller(viewer.user))
    }
}

/// A path parameter that answers the API's JSON error (not axum's text) when it does not parse.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(ApiPath(v)),
            Err(e @ PathRejection::FailedToDeserializePathParams(_)) => {
                Err(AppError::BadRequest(format!("网址中的参数无效：{}", e.body_text())).into())
            }
            Err(_) => Err(AppError::NotFound.into()),
        }
    }
}

/// A JSON body of type `T`, or the API's `invalid_json` error.
pub fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| AppError::InvalidJson(format!("请求体不是有效的 JSON：{e}")).into())
}

/// Any other `/api/v1/…` path.
pub async fn not_found() -> ApiError {
    AppError::Missing("没有这个 API；请查看 docs/API-DESIGN.md".into()).into()
}
