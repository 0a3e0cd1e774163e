//! 站长后台: users and roles (`/admin/users`) and site settings (`/admin/settings`).

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};

use crate::handlers::extract::Admin;
use crate::handlers::extract::CsrfForm;
use crate::{
    AppState,
    error::AppError,
    forms::{self, Field, Form},
    handlers::private,
    ui::Ui,
};
use haowen_app::{Refusal, admin, page_data::Chrome};

struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: &'static str,
    disabled: bool,
    creator: bool,
    created: String,
}

#[derive(Template)]
#[template(path = "pages/admin_users.html")]
struct UsersPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    users: Vec<UserRow>,
    total: i64,
    roles: [(&'static str, &'static str); 4],
}

pub async fn users(
    State(state): State<AppState>,
    Admin(_): Admin,
    ui: Ui,
) -> Result<Response, AppError> {
    let site = state.snapshots.current();
    let (list, total) = state.db.users(0, 500).await?;
    let users = list
        .into_iter()
        .map(|u| UserRow {
            created: haowen_core::time::format_datetime(u.created_at, site.zone),
            id: u.id,
            role: u.role.as_str(),
            disabled: u.disabled,
            creator: u.creator_id.is_some(),
            username: u.username,
            display_name: u.display_name,
        })
        .collect();
    let page = UsersPage {
        chrome: &site.chrome,
        page_title: format!("用户与身份 - {}", site.chrome.site_name),
        description: String::new(),
        users,
        total,
        roles: [
            ("reader", "读者"),
            ("creator", "创作者"),
            ("editor", "编辑"),
            ("admin", "站长"),
        ],
        ui: ui.clone(),
    };
    Ok(private(page.render()?, StatusCode::OK))
}

/// `POST /admin/users/{id}`: `role=…`, or `disable=1` / `disable=0`.
pub async fn change_user(
    State(state): State<AppState>,
    Admin(actor): Admin,
    _ui: Ui,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm,
) -> Result<Response, AppError> {
    if let Some(role) = f.get("role") {
        admin::set_role(&state.db, &actor, id, role)
            .await
            .map_err(AppError::from)?;
    }
    if let Some(flag) = f.get("disable") {
        admin::set_disabled(&state.db, &actor, id, flag == "1")
            .await
            .map_err(AppError::from)?;
    }
    Ok(Redirect::to("/admin/users").into_response())
}

fn settings_form(ui: &Ui, values: &std::collections::BTreeMap<String, String>) -> Form {
    let fields = haowen_core::settings::KEYS
        .iter()
        .map(|(key, default, meaning)| {
            let kind = if key.starts_with("disclaimer") {
                "textarea"
            } else {
                "text"
            };
            Field::new(key, meaning, kind)
                .value(
                    values
                        .get(*key)
                        .cloned()
                        .unwrap_or_else(|| (*default).to_string()),
                )
                .hint(format!(
                    "默认：{}",
                    if default.is_empty() {
                        "（空）"
                    } else {
                        default
                    }
                ))
        })
        .collect();
    Form {
        heading: "站点设置",
        intro: vec!["修改后立即对所有页面生效。".into()],
        action: "/admin/settings".into(),
        csrf: ui.csrf.clone(),
        fields,
        submit: "保存设置",
        ..Form::default()
    }
}

pub async fn settings(
    State(state): State<AppState>,
    Admin(_): Admin,
    ui: Ui,
) -> Result<Response, AppError> {
    let values = state.db.setting_pairs().await?;
    let site = state.snapshots.current();
    Ok(private(
        forms::render(&site.chrome, &ui, &settings_form(&ui, &values))?,
        StatusCode::OK,
    ))
}

pub async fn save_settings(
    State(state): State<AppState>,
    Admin(actor): Admin,
    ui: Ui,
    CsrfForm(f): CsrfForm,
) -> Result<Response, AppError> {
    // Read the stored values once; only keys whose value changed are written.
    let stored = state.db.setting_pairs().await?;
    let mut form_values = stored.clone();
    let mut errors = Vec::new();
    for (key, default, _) in haowen_core::settings::KEYS {
        let Some(value) = f.get(*key) else { continue };
        form_values.insert((*key).to_string(), value.clone());
        let current = stored.get(*key).map(String::as_str).unwrap_or(default);
        if value == current {
            continue;
        }
        if let Err(Refusal::Fields(e)) = admin::set_setting(&state.db, &actor, key, value).await {
            errors.extend(e);
        }
    }
    state.after(haowen_app::Change::Site).await;
    let mut form = settings_form(&ui, &form_values);
    if errors.is_empty() {
        form.notice = Some("设置已保存。".into());
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    for (name, message) in errors {
        form.field_error(name, message);
    }
    let site = state.snapshots.current();
    Ok(private(forms::render(&site.chrome, &ui, &form)?, status))
}

#[derive(Template)]
#[template(path = "pages/admin_channels.html")]
struct ChannelsPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    channels: Vec<haowen_core::Channel>,
}

/// `GET /admin/channels`.
pub async fn channels(
    State(state): State<AppState>,
    Admin(_): Admin,
    ui: Ui,
) -> Result<Response, AppError> {
    let site = state.snapshots.current();
    let channels = state.db.channels().await?;
    let page = ChannelsPage {
        chrome: &site.chrome,
        page_title: format!("频道管理 - {}", site.chrome.site_name),
        description: String::new(),
        channels,
        ui: ui.clone(),
    };
    Ok(private(page.render()?, StatusCode::OK))
}

/// `POST /admin/channels` (add: `name`, `slug`) and `POST /admin/channels/{id}` (`name`,
/// `position`, `hidden`).
pub async fn add_channel(
    State(state): State<AppState>,
    Admin(actor): Admin,
    _ui: Ui,
    CsrfForm(f): CsrfForm,
) -> Result<Response, AppError> {
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    admin::add_channel(&state.db, &actor, get("name"), get("slug"))
        .await
        .map_err(AppError::from)?;
    state.after(haowen_app::Change::Site).await;
    Ok(Redirect::to("/admin/channels").into_response())
}

pub async fn update_channel(
    State(state): State<AppState>,
    Admin(actor): Admin,
    _ui: Ui,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm,
) -> Result<Response, AppError> {
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    admin::update_channel(
        &state.db,
        &actor,
        id,
        get("name"),
        get("position"),
        get("hidden") == "1",
    )
    .await
    .map_err(AppError::from)?;
    state.after(haowen_app::Change::Site).await;
    Ok(Redirect::to("/admin/channels").into_response())
}
