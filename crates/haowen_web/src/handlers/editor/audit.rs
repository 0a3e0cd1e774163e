//! `GET /editor/audit`: the audit log for editors and admins, filtered by action, actor and
//! target, newest first.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::Response,
};
use haowen_app::queries::AuditFilter;
use haowen_core::{account::Role, time};
use serde::Deserialize;

use crate::{
    AppState,
    error::AppError,
    handlers::{page_number, private},
    ui::Ui,
};
use haowen_app::page_data::{Chrome, Pager};

/// The actions the filter offers: (prefix, label).
const ACTIONS: &[(&str, &str)] = &[
    ("", "全部"),
    ("article.", "文章下架与恢复"),
    ("comment.", "跟贴删除与审核"),
    ("report.", "举报处理"),
    ("appeal.", "申诉处理"),
    ("application.", "入驻审核"),
    ("user.", "用户与角色"),
    ("words.", "敏感词表"),
];

struct EntryView {
    time: String,
    iso: String,
    actor: String,
    action: String,
    target: String,
    target_href: Option<String>,
    detail: String,
}

#[derive(Template)]
#[template(path = "pages/editor_audit.html")]
struct AuditPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    actions: Vec<(String, String)>,
    action: String,
    actor: String,
    target: String,
    total: i64,
    entries: Vec<EntryView>,
    pager: Pager,
}

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    action: Option<String>,
    actor: Option<String>,
    target: Option<String>,
    page: Option<String>,
}

/// A readable name for an action code.
fn action_label(action: &str) -> String {
    let label = match action {
        "article.takedown" => "下架文章",
        "article.restore" => "恢复文章",
        "comment.remove" => "删除跟贴",
        "comment.approve" => "通过待审跟贴",
        "report.dismiss" => "举报不成立",
        "appeal.reject" => "驳回申诉",
        "application.approve" => "通过入驻申请",
        "application.reject" => "拒绝入驻申请",
        "words.update" => "修改敏感词表",
        a if a.starts_with("user.") => "用户与角色",
        _ => "",
    };
    if label.is_empty() {
        action.to_string()
    } else {
        format!("{label}（{action}）")
    }
}

pub async fn show(
    State(state): State<AppState>,
    Query(q): Query<AuditQuery>,
    ui: Ui,
) -> Result<Response, AppError> {
    let viewer = ui
        .viewer
        .as_ref()
        .ok_or(AppError::SignInRequired(ui.path.clone()))?;
    if !viewer.user.can(Role::Editor) {
        return Err(AppError::Forbidden(
            "只有编辑和管理员可以查看审计日志。".into(),
        ));
    }
    let page = page_number(q.page.as_deref())?;
    let filter = AuditFilter {
        action: q.action.clone().unwrap_or_default(),
        actor: q.actor.clone().unwrap_or_default(),
        target: q.target.clone().unwrap_or_default(),
    };
    let (entries, total) = state
        .db
        .audit_log(&filter, Pager::offset(page), Pager::PER_PAGE)
        .await?;
    let site = state.snapshots.current();
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("action", &filter.action)
        .append_pair("actor", &filter.actor)
        .append_pair("target", &filter.target)
        .finish();
    let mut pager = Pager::new(page, total, format!("/editor/audit?{query}"));
    pager.base_has_query = true;
    let entries = entries
        .into_iter()
        .map(|e| EntryView {
            time: time::format_datetime(e.at, site.zone),
            iso: time::rfc3339(e.at),
            target_href: e
                .target
                .strip_prefix("article:")
                .map(|id| format!("/a/{id}")),
            actor: e.actor,
            action: action_label(&e.action),
            target: e.target,
            detail: e.detail,
        })
        .collect();
    let html = AuditPage {
        chrome: &site.chrome,
        ui: ui.clone(),
        page_title: format!("审计日志 - {}", site.chrome.site_name),
        description: String::new(),
        actions: ACTIONS
            .iter()
            .map(|(a, l)| (a.to_string(), l.to_string()))
            .collect(),
        action: filter.action,
        actor: filter.actor,
        target: filter.target,
        total,
        entries,
        pager,
    }
    .render()?;
    Ok(private(html, StatusCode::OK))
}
