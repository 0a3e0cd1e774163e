//! The JSON API under `/api/v1/` (see docs/API-DESIGN.md): the same use cases as the pages.
//! Cookie sessions; every state-changing call carries the session's CSRF token in the
//! `X-CSRF-Token` header ([`ApiCaller`] checks it). Errors are
//! `{"error": {"code", "message", "fields"}}` with the pages' status mapping
//! ([`crate::error::ApiError`]); answers are typed serde structs.

mod articles;
mod follows;
mod images;
mod session;

pub use articles::{create, my_articles, publish, update};
pub use follows::{follow, unfollow};
pub use images::upload_image;
pub use session::{sign_in, sign_out};

use axum::{
    body::Bytes,
    extract::{FromRequestParts, Path, rejection::PathRejection},
    http::{Method, request::Parts},
};
use haowen_core::account::User;
use serde::de::DeserializeOwned;

use crate::{
    auth::csrf_ok,
    error::{ApiError, AppError},
    ui::Ui,
};

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
