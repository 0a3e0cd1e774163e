//! An [`AppError`] as a page in the site's style, with a way back (the router's last layer
//! calls [`AppError::render`] with the reader's display mode).

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use haowen_app::page_data::Chrome;

use crate::{error::AppError, ui::Ui};

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
    /// Renders the error page with the site's chrome; a page that needs sign-in redirects to
    /// the sign-in page instead.
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
            AppError::BadRequest(msg)
            | AppError::InvalidJson(msg)
            | AppError::JsonRequired(msg) => ("请求有误", msg.clone()),
            AppError::Fields(errors) => (
                "请求有误",
                errors.values().cloned().collect::<Vec<_>>().join("；"),
            ),
            AppError::Missing(msg) => ("内容不存在", msg.clone()),
            AppError::Conflict(msg) => ("无需重复操作", msg.clone()),
            AppError::TooMany { message, .. } => ("操作太频繁", message.clone()),
            AppError::Forbidden(msg) | AppError::Csrf(msg) | AppError::CrossSite(msg) => {
                ("无法完成操作", msg.clone())
            }
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
        let res = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, heading.to_string()).into_response(),
        };
        self.with_retry_after(res)
    }
}
