//! `GET/POST /editor/picks`: editors choose the 头条 headlines and the 态度原创 columns that the
//! home page and the article page boxes lead with.

use askama::Template;
use axum::{
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use haowen_core::channel::ORIGINAL_BOXES;

use crate::handlers::extract::CsrfForm;
use crate::handlers::extract::Editor;
use crate::{AppState, error::AppError, ui::Ui};
use haowen_app::page_data::{Chrome, ListItem};

struct Slot {
    key: String,
    label: String,
    items: Vec<ListItem>,
}

#[derive(Template)]
#[template(path = "pages/editor_picks.html")]
struct PicksPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    slots: Vec<Slot>,
}

fn slots() -> Vec<(String, String)> {
    let mut out = vec![("headline".to_string(), "头条".to_string())];
    out.extend(
        ORIGINAL_BOXES
            .iter()
            .map(|n| (format!("original:{n}"), format!("态度原创 · {n}"))),
    );
    out
}

pub async fn show(
    State(state): State<AppState>,
    Editor(_): Editor,
    ui: Ui,
) -> Result<Response, AppError> {
    let site = state.snapshots.current();
    let now = haowen_core::time::now();
    let mut list = Vec::new();
    for (key, label) in slots() {
        let items = ListItem::many(&state.db.picks(&key, now, 20).await?, site.zone);
        list.push(Slot { key, label, items });
    }
    let page = PicksPage {
        chrome: &site.chrome,
        page_title: format!("头条与态度原创 - {}", site.chrome.site_name),
        description: String::new(),
        slots: list,
        ui: ui.clone(),
    };
    let mut res = (StatusCode::OK, Html(page.render()?)).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

/// `action=add|remove`, `slot`, `article` (the id in /a/ID).
pub async fn change(
    State(state): State<AppState>,
    Editor(_): Editor,
    ui: Ui,
    CsrfForm(f): CsrfForm,
) -> Result<Response, AppError> {
    let slot = f.get("slot").map(String::as_str).unwrap_or("");
    if !slots().iter().any(|(k, _)| k == slot) {
        return Err(AppError::BadRequest(
            "请选择要放入的位置（头条或态度原创的某一栏）。".into(),
        ));
    }
    let raw = f
        .get("article")
        .map(|s| s.trim().trim_start_matches("/a/"))
        .unwrap_or("");
    let article: i64 = raw.parse().map_err(|_| {
        AppError::BadRequest(format!(
            "文章编号“{raw}”无效：请填写文章网址 /a/ 后面的数字。"
        ))
    })?;
    let remove = f.get("action").map(String::as_str) == Some("remove");
    let user = &ui.viewer.as_ref().ok_or(AppError::NotFound)?.user;
    haowen_app::engagement::pick(&state.db, user, slot, article, remove).await?;
    state.after(haowen_app::Change::Site).await;
    Ok(Redirect::to("/editor/picks").into_response())
}
