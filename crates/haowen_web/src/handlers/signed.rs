//! Extractors for state-changing form posts: the signed-in person and the form's fields after
//! the CSRF check ([`SignedPost`]), and a numeric id from the path ([`ItemId`]). Anonymous
//! visitors are sent to sign in; a form without its token is refused.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Path, Request},
    http::request::Parts,
    response::{IntoResponse, Response},
};
use haowen_core::account::{Role, User};

use crate::{
    AppState,
    error::AppError,
    handlers::account::{check_csrf, fields},
    ui::Ui,
};

/// A form posted by a signed-in person, CSRF-checked.
pub struct SignedPost {
    pub user: User,
    pub fields: HashMap<String, String>,
}

impl FromRequest<AppState> for SignedPost {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let ui = req.extensions().get::<Ui>().cloned().ok_or_else(|| {
            AppError::Internal("no display settings on the request".into()).into_response()
        })?;
        let user = ui
            .viewer
            .as_ref()
            .map(|v| v.user.clone())
            .ok_or_else(|| AppError::SignInRequired(ui.path.clone()).into_response())?;
        // Body-size and read errors answer as axum does (413 for a body over the limit).
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let fields = fields(&body);
        check_csrf(&ui, &fields).map_err(IntoResponse::into_response)?;
        Ok(SignedPost { user, fields })
    }
}

impl SignedPost {
    /// The poster, when they hold `role`; else a 403 with `why`.
    pub fn with_role(&self, role: Role, why: &str) -> Result<&User, AppError> {
        if self.user.can(role) {
            Ok(&self.user)
        } else {
            Err(AppError::Forbidden(why.into()))
        }
    }
}

/// A positive integer id from the path's `{id}`; anything else is simply not there (404).
pub struct ItemId(pub i64);

impl FromRequestParts<AppState> for ItemId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        crate::handlers::article::article_id(&raw).map(ItemId)
    }
}
