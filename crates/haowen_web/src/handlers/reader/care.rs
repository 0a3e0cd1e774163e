//! The care-mode switches: `/care/on`, `/care/off` and `/care/size?level=N`, each followed by
//! `next=PATH`. They set the preference cookie and send the reader back to the page they were
//! on, so the switch works with plain links and no JavaScript.

use axum::{
    extract::Query,
    http::{HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use crate::{
    error::AppError,
    ui::{CARE_COOKIE, CARE_SIZES, SIZE_COOKIE, safe_next, set_cookie},
};

#[derive(Deserialize)]
pub struct SwitchQuery {
    next: Option<String>,
    level: Option<String>,
}

fn back(next: Option<&str>, cookies: &[String]) -> Response {
    let mut res = Redirect::to(&safe_next(next)).into_response();
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

pub async fn on(Query(q): Query<SwitchQuery>) -> Response {
    back(q.next.as_deref(), &[set_cookie(CARE_COOKIE, "1")])
}

pub async fn off(Query(q): Query<SwitchQuery>) -> Response {
    back(q.next.as_deref(), &[set_cookie(CARE_COOKIE, "0")])
}

/// Sets the care-mode text size (and turns care mode on: the control lives there).
pub async fn size(Query(q): Query<SwitchQuery>) -> Result<Response, AppError> {
    let level = q
        .level
        .as_deref()
        .and_then(|l| l.parse::<usize>().ok())
        .filter(|l| *l < CARE_SIZES.len())
        .ok_or_else(|| {
            AppError::BadRequest(format!(
                "字号档位须为 0 到 {} 之间的整数",
                CARE_SIZES.len() - 1
            ))
        })?;
    Ok(back(
        q.next.as_deref(),
        &[
            set_cookie(CARE_COOKIE, "1"),
            set_cookie(SIZE_COOKIE, &level.to_string()),
        ],
    ))
}
