//! `POST /api/v1/session` (sign in) and `DELETE /api/v1/session` (sign out).

use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use haowen_app::{accounts, engagement};
use haowen_core::account::Role;
use serde::{Deserialize, Serialize};

use super::{ApiCaller, parse};
use crate::{
    AppState,
    auth::{SESSION_COOKIE, SESSION_SECS, secret_cookie},
    error::ApiError,
    handlers::ClientIp,
    ui::Ui,
};

#[derive(Deserialize)]
struct SignIn {
    username: String,
    password: String,
}

/// The signed-in user, as the API shows it.
#[derive(Serialize)]
pub struct UserJson {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Serialize)]
pub struct SessionJson {
    pub user: UserJson,
    pub csrf_token: String,
}

/// `POST /api/v1/session`: sign in; sets the session cookie and returns the CSRF token.
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: SignIn = parse(&body)?;
    let user = accounts::sign_in(
        &state.db,
        &state.limiter,
        ip,
        &input.username,
        &input.password,
    )
    .await?;
    let (token, csrf) = accounts::start_session(&state.db, &state.throttles, ip, user.id).await?;
    let mut res = Json(SessionJson {
        user: UserJson {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            role: user.role,
        },
        csrf_token: csrf,
    })
    .into_response();
    let secure = state.config.public_url.starts_with("https://");
    if let Ok(v) =
        HeaderValue::from_str(&secret_cookie(SESSION_COOKIE, &token, SESSION_SECS, secure))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

/// `DELETE /api/v1/session`: sign out.
pub async fn sign_out(
    State(state): State<AppState>,
    _caller: ApiCaller,
    ui: Ui,
) -> Result<StatusCode, ApiError> {
    if let Some(v) = &ui.viewer {
        engagement::end_session(&state.db, &v.token_digest).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
