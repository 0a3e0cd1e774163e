//! One error type for every handler, rendered as a page in the site's style with a way back.
//! Internal errors are logged once with their cause and never shown to the reader.

use askama::Template;
use axum::{
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};

use crate::ui::Ui;
use haowen_app::page_data::Chrome;

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
    /// The thing is not there (or no longer), said plainly.
    #[error("{0}")]
    Missing(String),
    /// The request clashes with what is already there (reported twice, appealed twice).
    #[error("{0}")]
    Conflict(String),
    /// Slow down: too many requests of this kind.
    #[error("{0}")]
    TooMany(String),
    /// Not allowed for this user (or a form without its CSRF token).
    #[error("{0}")]
    Forbidden(String),
    /// The page needs a signed-in user; the path to return to after signing in.
    #[error("sign-in required")]
    SignInRequired(String),
    /// The server cannot do this for the moment (busy database, full disk, index rebuilding);
    /// the message says what and what to do. Answered with `Retry-After`.
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Missing(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::SignInRequired(_) => StatusCode::SEE_OTHER,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable snake_case code (for JSON answers).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Gone(_) => "gone",
            AppError::BadRequest(_) => "bad_request",
            AppError::Missing(_) => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::TooMany(_) => "too_many_requests",
            AppError::Forbidden(_) => "forbidden",
            AppError::SignInRequired(_) => "sign_in_required",
            AppError::Unavailable(_) => "service_unavailable",
            AppError::Internal(_) => "internal",
        }
    }
}

impl From<haowen_app::Refusal> for AppError {
    /// A refusal outside a form (forms show field messages themselves).
    fn from(r: haowen_app::Refusal) -> Self {
        use haowen_app::Refusal;
        match r {
            Refusal::Forbidden(m) => AppError::Forbidden(m),
            Refusal::NotFound => AppError::NotFound,
            Refusal::Missing(m) => AppError::Missing(m),
            Refusal::Conflict(m) => AppError::Conflict(m),
            Refusal::TooMany(m) => AppError::TooMany(m),
            Refusal::Limited(wait) => {
                AppError::BadRequest(format!("尝试次数过多，请 {wait} 秒后再试。"))
            }
            Refusal::Fields(errors) => {
                AppError::BadRequest(errors.into_values().collect::<Vec<_>>().join("；"))
            }
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

#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPage<'a> {
    pub chrome: &'a Chrome,
    pub ui: &'a Ui,
    pub status: u16,
    pub heading: &'a str,
    pub message: String,
    pub page_title: String,
    pub description: String,
}

impl AppError {
    /// Renders the error page with the site's chrome.
    pub fn render(&self, chrome: &Chrome, ui: &Ui) -> Response {
        let status = self.status_code();
        let (heading, message) = match self {
            AppError::NotFound => (
                "页面不存在",
                "您访问的页面不存在或已被移动。请检查网址，或回到首页继续阅读。".to_string(),
            ),
            AppError::Gone(reason) => (
                "该文章已下架",
                format!("该文章已被删除或下架，无法继续阅读。原因：{reason}"),
            ),
            AppError::BadRequest(msg) => ("请求有误", msg.clone()),
            AppError::Missing(msg) => ("内容不存在", msg.clone()),
            AppError::Conflict(msg) => ("无需重复操作", msg.clone()),
            AppError::TooMany(msg) => ("操作太频繁", msg.clone()),
            AppError::Forbidden(msg) => ("无法完成操作", msg.clone()),
            AppError::Unavailable(msg) => ("暂时无法完成", msg.clone()),
            AppError::SignInRequired(next) => {
                let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
                return axum::response::Redirect::to(&format!("/signin?next={next}"))
                    .into_response();
            }
            AppError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    "服务器开小差了",
                    "服务器暂时无法处理您的请求，请稍后再试。我们已记录此问题。".to_string(),
                )
            }
        };
        let page = ErrorPage {
            chrome,
            ui,
            status: status.as_u16(),
            heading,
            message,
            page_title: format!("{heading} - {}", chrome.site_name),
            description: String::new(),
        };
        let mut res = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, heading.to_string()).into_response(),
        };
        if status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("5"),
            );
        }
        res
    }
}
