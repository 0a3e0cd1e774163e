//! One error model for every handler, HTML and JSON alike: [`AppError`] carries a stable
//! [`ErrorCode`] and one status mapping (validation 422, rate limits 429 with `Retry-After`,
//! conflicts 409, not found 404, forbidden 403, the moment 503). Pages render it in the site's
//! style (error_page.rs, the form again where there is one); the API renders the same value as
//! `{"error": {"code", "message", "fields"}}` ([`ApiError`]). Internal errors are logged once
//! with their cause and never shown.

use std::collections::BTreeMap;

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use haowen_app::Refusal;
use serde::Serialize;

/// Stable codes, the API's `error.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    Gone,
    BadRequest,
    InvalidJson,
    InvalidInput,
    Conflict,
    RateLimited,
    Forbidden,
    CsrfTokenInvalid,
    CrossSiteRequest,
    JsonRequired,
    SignInRequired,
    ServiceUnavailable,
    Internal,
}

/// What a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("页面不存在")]
    NotFound,
    /// The article was taken down; the message says why.
    #[error("该文章已被删除或下架")]
    Gone(String),
    #[error("{0}")]
    BadRequest(String),
    /// A request body that is not the JSON it should be.
    #[error("{0}")]
    InvalidJson(String),
    /// Fields that failed their checks: field → message.
    #[error("输入有误，请按字段说明修改")]
    Fields(BTreeMap<&'static str, String>),
    /// The thing is not there (or no longer), said plainly.
    #[error("{0}")]
    Missing(String),
    /// The request clashes with what is already there (reported twice, appealed twice).
    #[error("{0}")]
    Conflict(String),
    /// Slow down; `retry_after` seconds when known.
    #[error("{message}")]
    TooMany {
        message: String,
        retry_after: Option<i64>,
    },
    /// Not allowed for this user.
    #[error("{0}")]
    Forbidden(String),
    /// A form or call without its CSRF token (or with a wrong one).
    #[error("{0}")]
    Csrf(String),
    /// A cookie-authenticated API write from another site.
    #[error("{0}")]
    CrossSite(String),
    /// An API write whose body is not declared as JSON.
    #[error("{0}")]
    JsonRequired(String),
    /// The request needs a signed-in user; the path to return to after signing in.
    #[error("请先登录")]
    SignInRequired(String),
    /// The server cannot do this for the moment (busy database, full disk, index rebuilding);
    /// the message says what and what to do. Answered with `Retry-After`.
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// Too many requests, with the wait when known.
    pub fn too_many(message: impl Into<String>) -> AppError {
        AppError::TooMany {
            message: message.into(),
            retry_after: None,
        }
    }

    /// The status, the same for a page and for the API (a page needing sign-in redirects
    /// instead of its 401).
    pub fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::Missing(_) => StatusCode::NOT_FOUND,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::BadRequest(_) | AppError::InvalidJson(_) => StatusCode::BAD_REQUEST,
            AppError::Fields(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Forbidden(_) | AppError::Csrf(_) | AppError::CrossSite(_) => {
                StatusCode::FORBIDDEN
            }
            AppError::JsonRequired(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::SignInRequired(_) => StatusCode::UNAUTHORIZED,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::NotFound | AppError::Missing(_) => ErrorCode::NotFound,
            AppError::Gone(_) => ErrorCode::Gone,
            AppError::BadRequest(_) => ErrorCode::BadRequest,
            AppError::InvalidJson(_) => ErrorCode::InvalidJson,
            AppError::Fields(_) => ErrorCode::InvalidInput,
            AppError::Conflict(_) => ErrorCode::Conflict,
            AppError::TooMany { .. } => ErrorCode::RateLimited,
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::Csrf(_) => ErrorCode::CsrfTokenInvalid,
            AppError::CrossSite(_) => ErrorCode::CrossSiteRequest,
            AppError::JsonRequired(_) => ErrorCode::JsonRequired,
            AppError::SignInRequired(_) => ErrorCode::SignInRequired,
            AppError::Unavailable(_) => ErrorCode::ServiceUnavailable,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// Seconds to wait before trying again, for `Retry-After`.
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            AppError::TooMany { retry_after, .. } => *retry_after,
            AppError::Unavailable(_) => Some(5),
            _ => None,
        }
    }

    /// What a person is told (an internal error's cause stays in the log).
    pub fn message(&self) -> String {
        match self {
            AppError::NotFound => "您访问的页面不存在或已被移动。".into(),
            AppError::Internal(_) => "服务器暂时无法处理请求，请稍后再试".into(),
            // Each field's message, so a client that shows one line shows what to fix.
            AppError::Fields(errors) => errors.values().cloned().collect::<Vec<_>>().join("；"),
            other => other.to_string(),
        }
    }

    /// Adds `Retry-After` where the error has one.
    pub(crate) fn with_retry_after(&self, mut res: Response) -> Response {
        if let Some(secs) = self.retry_after()
            && let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Forbidden(m) => AppError::Forbidden(m),
            Refusal::NotFound => AppError::NotFound,
            Refusal::Missing(m) => AppError::Missing(m),
            Refusal::Conflict(m) => AppError::Conflict(m),
            Refusal::TooMany(m) => AppError::too_many(m),
            Refusal::Limited(wait) => AppError::TooMany {
                message: format!("尝试次数过多，请 {wait} 秒后再试。"),
                retry_after: Some(wait),
            },
            Refusal::Fields(errors) => AppError::Fields(errors),
            Refusal::Unavailable(m) => AppError::Unavailable(m),
            Refusal::Internal(m) => AppError::Internal(m),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

/// An [`AppError`] answered as JSON: `{"error": {"code", "message", "fields"}}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: ErrorCode,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<&'a BTreeMap<&'static str, String>>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        if let AppError::Internal(cause) = &e {
            tracing::error!(%cause, "internal error (API)");
        }
        let fields = match &e {
            AppError::Fields(f) => Some(f),
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: e.code(),
                message: e.message(),
                fields,
            },
        };
        let res = (e.status_code(), Json(body)).into_response();
        e.with_retry_after(res)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_refusal_one_status_for_pages_and_api() {
        let cases = [
            (Refusal::field("title", "请填写标题"), 422, "invalid_input"),
            (Refusal::Limited(30), 429, "rate_limited"),
            (Refusal::TooMany("慢一点".into()), 429, "rate_limited"),
            (Refusal::Conflict("已举报".into()), 409, "conflict"),
            (Refusal::NotFound, 404, "not_found"),
            (Refusal::Forbidden("不行".into()), 403, "forbidden"),
            (
                Refusal::Unavailable("稍后".into()),
                503,
                "service_unavailable",
            ),
        ];
        for (refusal, status, code) in cases {
            let e = AppError::from(refusal);
            assert_eq!(e.status_code().as_u16(), status, "{e:?}");
            assert_eq!(serde_json::to_value(e.code()).expect("code"), code);
            let api = ApiError(e).into_response();
            assert_eq!(api.status().as_u16(), status);
        }
        let limited = ApiError(AppError::from(Refusal::Limited(30))).into_response();
        assert_eq!(limited.headers()[header::RETRY_AFTER], "30");
    }
}
