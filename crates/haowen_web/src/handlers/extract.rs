//! Extractors: who is asking, with the role in the type ([`SignedIn`], [`Editor`], [`Admin`]),
//! form posts already CSRF-checked ([`CsrfForm`], [`SignedPost`] — the fields, or a typed
//! struct), and a numeric id from the path ([`ItemId`]). Anonymous visitors are sent to sign
//! in, a missing role is a 403, a form without its token is refused; handlers start from what
//! they need instead of repeating those checks.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Path, Request},
    http::request::Parts,
    response::{IntoResponse, Response},
};
use haowen_core::account::{Role, User};
use serde::de::DeserializeOwned;

use crate::{AppState, auth::Viewer, auth::csrf_ok, error::AppError, ui::Ui};

/// A form's fields by name (a repeated name keeps its last value).
pub type Fields = HashMap<String, String>;

/// Parses a urlencoded body (never rejects: a malformed body is just missing fields).
pub fn fields(body: &[u8]) -> Fields {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// The CSRF check for a form: the session's token when signed in, else the double-submit
/// cookie. The extractors below call it; multipart forms (uploads) call it themselves.
pub fn check_csrf(ui: &Ui, f: &Fields) -> Result<(), AppError> {
    if csrf_ok(&ui.csrf, f.get("_csrf").map(String::as_str)) {
        Ok(())
    } else {
        Err(AppError::Csrf(
            "表单已过期或来源不明（缺少安全令牌）。请返回上一页，刷新后重新提交。".into(),
        ))
    }
}

/// The display settings and viewer the request middleware resolved.
fn ui_of(parts: &Parts) -> Ui {
    parts
        .extensions
        .get::<Ui>()
        .cloned()
        .unwrap_or_else(|| Ui::from_parts(&parts.headers, parts.uri.path(), parts.uri.query()))
}

/// Reads and CSRF-checks a form body; `T` is the fields map or a typed struct.
async fn checked_form<T: DeserializeOwned>(
    req: Request,
    state: &AppState,
) -> Result<(Ui, T), Response> {
    let ui = req.extensions().get::<Ui>().cloned().ok_or_else(|| {
        AppError::Internal("no display settings on the request".into()).into_response()
    })?;
    // Body-size and read errors answer as axum does (413 for a body over the limit).
    let body = Bytes::from_request(req, state)
        .await
        .map_err(IntoResponse::into_response)?;
    check_csrf(&ui, &fields(&body)).map_err(IntoResponse::into_response)?;
    let form = serde_urlencoded::from_bytes::<T>(&body).map_err(|e| {
        AppError::BadRequest(format!("表单内容无效：{e}。请返回上一页重新提交。")).into_response()
    })?;
    Ok((ui, form))
}

/// A form posted by anyone (signed in or not), CSRF-checked: sign-in, sign-up, setup.
pub struct CsrfForm<T = Fields>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        Ok(CsrfForm(checked_form(req, state).await?.1))
    }
}

/// A form posted by a signed-in person, CSRF-checked.
pub struct SignedPost<T = Fields> {
    pub user: User,
    pub fields: T,
}

impl<T: DeserializeOwned> FromRequest<AppState> for SignedPost<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let ui = req.extensions().get::<Ui>().cloned();
        let user = ui
            .as_ref()
            .and_then(|ui| ui.viewer.as_ref())
            .map(|v| v.user.clone())
            .ok_or_else(|| {
                let path = ui.map(|u| u.path).unwrap_or_else(|| "/".into());
                AppError::SignInRequired(path).into_response()
            })?;
        let (_, fields) = checked_form(req, state).await?;
        Ok(SignedPost { user, fields })
    }
}

impl<T> SignedPost<T> {
    /// The poster, when they hold `role`; else a 403 with `why`.
    pub fn with_role(&self, role: Role, why: &str) -> Result<&User, AppError> {
        if self.user.can(role) {
            Ok(&self.user)
        } else {
            Err(AppError::Forbidden(why.into()))
        }
    }
}

/// A signed-in person (any role); anonymous visitors are sent to sign in.
pub struct SignedIn(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let ui = ui_of(parts);
        let path = ui.path.clone();
        ui.viewer
            .map(SignedIn)
            .ok_or(AppError::SignInRequired(path))
    }
}

/// The signed-in user when they hold `role` and the account is active.
async fn with_role(parts: &Parts, role: Role, why: &str) -> Result<User, AppError> {
    let ui = ui_of(parts);
    let viewer = ui.viewer.ok_or(AppError::SignInRequired(ui.path))?;
    if viewer.user.can(role) {
        Ok(viewer.user)
    } else {
        Err(AppError::Forbidden(why.into()))
    }
}

/// An editor (or an admin): the editors' desk — reports, takedowns, appeals, applications,
/// picks, held comments, the audit log.
pub struct Editor(pub User);

impl<S: Send + Sync> FromRequestParts<S> for Editor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let why = "只有编辑可以进行这项操作（处理举报、下架、申诉、入驻申请和推荐位）。";
        with_role(parts, Role::Editor, why).await.map(Editor)
    }
}

/// An admin: accounts, roles, channels, site settings, the sensitive-word list.
pub struct Admin(pub User);

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let why = "只有管理员可以进行这项操作（账号、频道、站点设置和敏感词）。";
        with_role(parts, Role::Admin, why).await.map(Admin)
    }
}

/// Parses an id segment; anything but a positive integer is simply not there.
pub fn article_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(AppError::NotFound)
}

/// A positive integer id from the path's `{id}`; anything else is simply not there (404).
pub struct ItemId(pub i64);

impl FromRequestParts<AppState> for ItemId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        article_id(&raw).map(ItemId)
    }
}
