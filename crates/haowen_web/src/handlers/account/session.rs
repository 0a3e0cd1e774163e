//! Sign up, sign in, sign out, change password, the account page (first-run setup: setup.rs).
//! Forms post `application/x-www-form-urlencoded` and carry a CSRF token; errors come back next
//! to their fields with status 422 (429 when sign-in is rate-limited).

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use haowen_core::account::Role;
use serde::Deserialize;

use crate::handlers::extract::CsrfForm;
use crate::handlers::extract::SignedIn;
use crate::{
    AppState,
    auth::{CSRF_COOKIE, SESSION_COOKIE, SESSION_SECS, secret_cookie},
    error::AppError,
    forms::{self, Field, Form},
    handlers::{ClientIp, field},
    ui::{Ui, safe_next},
};
use haowen_app::{Refusal, accounts, page_data::Chrome};

/// Makes sure an anonymous visitor has a CSRF cookie before a form is shown; returns the
/// `Set-Cookie` to send when one was made.
pub(crate) fn ensure_anonymous_csrf(ui: &mut Ui, secure: bool) -> Option<String> {
    if ui.viewer.is_some() || !ui.csrf.is_empty() {
        return None;
    }
    ui.csrf = haowen_core::account::new_token().ok()?;
    Some(secret_cookie(CSRF_COOKIE, &ui.csrf, 86_400, secure))
}

pub(crate) fn secure(state: &AppState) -> bool {
    state.config.public_url.starts_with("https://")
}

/// Renders a form page with `status`, adding `cookies`.
pub(crate) fn form_response(
    state: &AppState,
    ui: &Ui,
    form: &Form,
    status: StatusCode,
    cookies: &[String],
) -> Result<Response, AppError> {
    let site = state.snapshots.current();
    let mut res = (status, Html(forms::render(&site.chrome, ui, form)?)).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(res)
}

/// Applies a refusal to a form: field messages next to fields, anything else as the form
/// error, with the status the API gives the same refusal (one mapping, error.rs).
pub(crate) fn refuse(form: &mut Form, refusal: Refusal) -> Result<StatusCode, AppError> {
    let error = AppError::from(refusal);
    match &error {
        AppError::Fields(errors) => {
            for (name, message) in errors {
                form.field_error(name, message.clone());
            }
        }
        AppError::NotFound | AppError::Unavailable(_) | AppError::Internal(_) => return Err(error),
        other => form.error = Some(other.message()),
    }
    Ok(error.status_code())
}

pub(crate) fn session_response(state: &AppState, token: &str, next: &str) -> Response {
    let mut res = Redirect::to(next).into_response();
    if let Ok(v) = HeaderValue::from_str(&secret_cookie(
        SESSION_COOKIE,
        token,
        SESSION_SECS,
        secure(state),
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

// ---- sign up ----------------------------------------------------------------------------

pub(crate) fn signup_form(ui: &Ui, f: Option<&HashMap<String, String>>) -> Form {
    let v = |name: &str| f.map(|f| field(f, name).to_string()).unwrap_or_default();
    Form {
        heading: "注册",
        intro: vec!["注册后可以关注创作者、申请入驻成为创作者。".into()],
        action: "/signup".into(),
        csrf: ui.csrf.clone(),
        fields: vec![
            Field::new("username", "账号名", "text")
                .hint("3 到 32 个英文字母、数字或下划线，用于登录")
                .value(v("username"))
                .autocomplete("username"),
            Field::new("display_name", "昵称", "text")
                .hint("1 到 20 个字，显示在页面上")
                .value(v("display_name"))
                .autocomplete("nickname"),
            Field::new("password", "密码", "password")
                .hint("至少 8 个字符，不能与账号名相同")
                .autocomplete("new-password"),
            Field::new("password_again", "再次输入密码", "password")
                .hint("与上面的密码相同")
                .autocomplete("new-password"),
        ],
        submit: "注册",
        links: vec![("/signin".into(), "已有账号？登录".into())],
        ..Form::default()
    }
}

pub async fn signup_page(State(state): State<AppState>, mut ui: Ui) -> Result<Response, AppError> {
    if ui.viewer.is_some() {
        return Ok(Redirect::to("/me").into_response());
    }
    let cookie = ensure_anonymous_csrf(&mut ui, secure(&state));
    let form = signup_form(&ui, None);
    form_response(&state, &ui, &form, StatusCode::OK, cookie.as_slice())
}

pub async fn signup(
    State(state): State<AppState>,
    ui: Ui,
    ClientIp(ip): ClientIp,
    CsrfForm(f): CsrfForm,
) -> Result<Response, AppError> {
    let input = accounts::SignUp {
        username: field(&f, "username"),
        display_name: field(&f, "display_name"),
        password: field(&f, "password"),
        password_again: field(&f, "password_again"),
    };
    let result = match accounts::sign_up(&state.db, &state.throttles, ip, &input).await {
        Ok(user) => accounts::start_session(&state.db, &state.throttles, ip, user.id).await,
        Err(e) => Err(e),
    };
    match result {
        Ok((token, _)) => Ok(session_response(&state, &token, "/me")),
        Err(refusal) => {
            let mut form = signup_form(&ui, Some(&f));
            let status = refuse(&mut form, refusal)?;
            form_response(&state, &ui, &form, status, &[])
        }
    }
}

// ---- sign in / out ----------------------------------------------------------------------

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn signin_form(ui: &Ui, username: &str, next: &str) -> Form {
    Form {
        heading: "登录",
        intro: vec![],
        action: format!(
            "/signin?next={}",
            url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        ),
        csrf: ui.csrf.clone(),
        fields: vec![
            Field::new("username", "账号名", "text")
                .value(username)
                .autocomplete("username"),
            Field::new("password", "密码", "password").autocomplete("current-password"),
        ],
        submit: "登录",
        links: vec![("/signup".into(), "还没有账号？注册".into())],
        ..Form::default()
    }
}

pub async fn signin_page(
    State(state): State<AppState>,
    mut ui: Ui,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = safe_next(q.next.as_deref());
    if ui.viewer.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let cookie = ensure_anonymous_csrf(&mut ui, secure(&state));
    let form = signin_form(&ui, "", &next);
    form_response(&state, &ui, &form, StatusCode::OK, cookie.as_slice())
}

pub async fn signin(
    State(state): State<AppState>,
    ui: Ui,
    ClientIp(ip): ClientIp,
    Query(q): Query<NextQuery>,
    CsrfForm(f): CsrfForm,
) -> Result<Response, AppError> {
    let next = safe_next(q.next.as_deref());
    let result = match accounts::sign_in(
        &state.db,
        &state.limiter,
        ip,
        field(&f, "username"),
        field(&f, "password"),
    )
    .await
    {
        Ok(user) => accounts::start_session(&state.db, &state.throttles, ip, user.id).await,
        Err(e) => Err(e),
    };
    match result {
        Ok((token, _)) => Ok(session_response(&state, &token, &next)),
        Err(refusal) => {
            let mut form = signin_form(&ui, field(&f, "username"), &next);
            let status = refuse(&mut form, refusal)?;
            form_response(&state, &ui, &form, status, &[])
        }
    }
}

pub async fn signout(
    State(state): State<AppState>,
    ui: Ui,
    CsrfForm(_f): CsrfForm,
) -> Result<Response, AppError> {
    if let Some(v) = &ui.viewer {
        haowen_app::engagement::end_session(&state.db, &v.token_digest).await?;
    }
    let mut res = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&secret_cookie(SESSION_COOKIE, "", 0, secure(&state))) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

// ---- password ---------------------------------------------------------------------------

fn password_form(ui: &Ui) -> Form {
    Form {
        heading: "修改密码",
        intro: vec!["修改后，你在其他设备上的登录会失效。".into()],
        action: "/account/password".into(),
        csrf: ui.csrf.clone(),
        fields: vec![
            Field::new("current", "当前密码", "password").autocomplete("current-password"),
            Field::new("password", "新密码", "password")
                .hint("至少 8 个字符，不能与账号名相同")
                .autocomplete("new-password"),
            Field::new("password_again", "再次输入新密码", "password").autocomplete("new-password"),
        ],
        submit: "修改密码",
        links: vec![("/me".into(), "返回我的账号".into())],
        ..Form::default()
    }
}

pub async fn password_page(
    State(state): State<AppState>,
    SignedIn(_): SignedIn,
    ui: Ui,
) -> Result<Response, AppError> {
    form_response(&state, &ui, &password_form(&ui), StatusCode::OK, &[])
}

pub async fn password(
    State(state): State<AppState>,
    SignedIn(viewer): SignedIn,
    ui: Ui,
    CsrfForm(f): CsrfForm,
) -> Result<Response, AppError> {
    let result = accounts::change_password(
        &state.db,
        &viewer.user,
        field(&f, "current"),
        field(&f, "password"),
        field(&f, "password_again"),
        &viewer.token_digest,
    )
    .await;
    let mut form = password_form(&ui);
    match result {
        Ok(()) => {
            form.notice = Some("密码已修改。".into());
            form_response(&state, &ui, &form, StatusCode::OK, &[])
        }
        Err(refusal) => {
            let status = refuse(&mut form, refusal)?;
            form_response(&state, &ui, &form, status, &[])
        }
    }
}

// ---- account page -----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "pages/me.html", whitespace = "suppress")]
struct MePage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    role_label: &'static str,
}

pub async fn me(
    State(state): State<AppState>,
    SignedIn(viewer): SignedIn,
    ui: Ui,
) -> Result<Response, AppError> {
    let site = state.snapshots.current();
    let page = MePage {
        chrome: &site.chrome,
        role_label: viewer.user.role.label(),
        page_title: format!("我的账号 - {}", site.chrome.site_name),
        description: String::new(),
        ui: ui.clone(),
    };
    let mut res = Html(page.render()?).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}
