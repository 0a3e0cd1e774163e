//! First-run setup: the one-time `/setup?token=…` link that `serve` prints while no admin exists
//! creates the first admin. The link is taken by the request that uses it (a second request at
//! the same moment finds none) and the account is created only while no admin exists, decided
//! in the insert itself — so racing posts make one admin, and an admin made meanwhile with
//! `haowen admin create-user` ends the link too.

use std::collections::HashMap;

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::Response,
};
use serde::Deserialize;

use crate::handlers::extract::CsrfForm;
use crate::{
    AppState,
    error::AppError,
    forms::Form,
    handlers::{
        ClientIp,
        account::session::{
            ensure_anonymous_csrf, form_response, refuse, secure, session_response, signup_form,
        },
        field,
    },
    ui::Ui,
};
use haowen_app::{Refusal, accounts};

#[derive(Deserialize)]
pub struct SetupQuery {
    token: Option<String>,
}

fn setup_form(ui: &Ui, token: &str, f: Option<&HashMap<String, String>>) -> Form {
    let mut form = signup_form(ui, f);
    form.heading = "创建站长账号";
    form.intro =
        vec!["这是新站点的一次性设置链接：创建第一个站长（管理员）账号后，此链接即失效。".into()];
    form.action = format!("/setup?token={token}");
    form.submit = "创建站长账号";
    form.links = vec![];
    form
}

fn setup_token_matches(expected: Option<&str>, token: Option<&str>) -> bool {
    matches!((expected, token), (Some(e), Some(t)) if haowen_core::account::constant_time_eq(e, t))
}

fn setup_token_ok(state: &AppState, token: Option<&str>) -> bool {
    let expected = state.setup_token.lock().ok().and_then(|g| g.clone());
    setup_token_matches(expected.as_deref(), token)
}

pub async fn setup_page(
    State(state): State<AppState>,
    mut ui: Ui,
    Query(q): Query<SetupQuery>,
) -> Result<Response, AppError> {
    if !setup_token_ok(&state, q.token.as_deref()) {
        return Err(AppError::NotFound);
    }
    // An admin made meanwhile (`haowen admin create-user --role admin`) ends the link.
    if state.db.admin_count().await? > 0 {
        if let Ok(mut t) = state.setup_token.lock() {
            *t = None;
        }
        return Err(AppError::NotFound);
    }
    let cookie = ensure_anonymous_csrf(&mut ui, secure(&state));
    let form = setup_form(&ui, q.token.as_deref().unwrap_or(""), None);
    form_response(&state, &ui, &form, StatusCode::OK, cookie.as_slice())
}

pub async fn setup(
    State(state): State<AppState>,
    ui: Ui,
    ClientIp(ip): ClientIp,
    Query(q): Query<SetupQuery>,
    CsrfForm(f): CsrfForm,
) -> Result<Response, AppError> {
    // The link is taken while this request uses it: a second request at the same moment finds
    // none. It goes back unless an admin was made (or already exists) — also when the request
    // fails or is dropped midway.
    let taken = match state.setup_token.lock() {
        Ok(mut t) if setup_token_matches(t.as_deref(), q.token.as_deref()) => t.take(),
        _ => None,
    };
    let Some(link) = taken else {
        return Err(AppError::NotFound);
    };
    let mut link = TakenLink {
        slot: &state.setup_token,
        link: Some(link),
    };
    let input = accounts::SignUp {
        username: field(&f, "username"),
        display_name: field(&f, "display_name"),
        password: field(&f, "password"),
        password_again: field(&f, "password_again"),
    };
    let result = accounts::create_first_admin(&state.db, &input).await;
    if matches!(result, Ok(_) | Err(Refusal::Missing(_))) {
        link.used();
    }
    match result {
        Err(Refusal::Missing(message)) => Err(AppError::Missing(message)),
        Ok(user) => {
            let (token, _) = accounts::start_session(&state.db, &state.throttles, ip, user.id)
                .await
                .map_err(AppError::from)?;
            Ok(session_response(&state, &token, "/me"))
        }
        Err(refusal) => {
            let mut form = setup_form(&ui, q.token.as_deref().unwrap_or(""), Some(&f));
            let status = refuse(&mut form, refusal)?;
            form_response(&state, &ui, &form, status, &[])
        }
    }
}

/// The setup link while one request holds it: put back when dropped, unless it was used.
struct TakenLink<'a> {
    slot: &'a std::sync::Mutex<Option<String>>,
    link: Option<String>,
}

impl TakenLink<'_> {
    fn used(&mut self) {
        self.link = None;
    }
}

impl Drop for TakenLink<'_> {
    fn drop(&mut self) {
        if let Some(link) = self.link.take()
            && let Ok(mut slot) = self.slot.lock()
            && slot.is_none()
        {
            *slot = Some(link);
        }
    }
}
