//! `GET/POST /studio/{id}/appeal`: a creator sees why their article was taken down and appeals
//! once; afterwards the page shows the appeal and the editors' answer.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use haowen_core::ArticleStatus;

use crate::handlers::extract::CsrfForm;
use crate::{
    AppState,
    error::AppError,
    forms::{self, Field, Form},
    handlers::{field, private},
    ui::Ui,
};
use haowen_app::{Refusal, moderation, studio};

async fn page(
    state: &AppState,
    ui: &Ui,
    id: i64,
    text: &str,
    error: Option<(&'static str, String)>,
    notice: Option<String>,
) -> Result<Form, AppError> {
    let user = ui.user()?;
    let article = studio::own_article(&state.db, user, id).await?;
    if article.status != ArticleStatus::TakenDown {
        return Err(AppError::Missing("这篇文章没有被下架，无需申诉。".into()));
    }
    let reason = state.db.takedown_reason(id).await?;
    let mut intro = vec![
        format!("《{}》已被编辑下架。", article.title),
        format!("下架原因：{reason}"),
    ];
    let appeal = state.db.current_appeal(id).await?;
    let mut form = Form {
        heading: "下架申诉",
        action: format!("/studio/{id}/appeal"),
        csrf: ui.csrf.clone(),
        links: vec![("/studio".into(), "返回创作者中心".into())],
        notice,
        ..Form::default()
    };
    match appeal {
        Some(a) => {
            intro.push(format!("你的申诉：{}", a.text));
            intro.push(match a.status.as_str() {
                "pending" => "申诉已提交，正在等待编辑处理。每次下架只能申诉一次。".into(),
                "rejected" => format!("申诉未通过：{}", a.reason),
                _ => "申诉成立，文章已恢复。".into(),
            });
        }
        None => {
            intro.push("如果你认为下架有误，可以申诉一次，请写清理由和依据。".into());
            form.fields = vec![
                Field::new("text", "申诉理由", "textarea")
                    .hint("5–500 字，例如原创证明、信息来源。")
                    .value(text),
            ];
            form.submit = "提交申诉";
        }
    }
    form.intro = intro;
    if let Some((name, message)) = error {
        form.field_error(name, message);
    }
    Ok(form)
}

pub async fn show(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ui: Ui,
) -> Result<Response, AppError> {
    let id = crate::handlers::extract::article_id(&raw_id)?;
    let form = page(&state, &ui, id, "", None, None).await?;
    let site = state.snapshots.current();
    Ok(private(
        forms::render(&site.chrome, &ui, &form)?,
        StatusCode::OK,
    ))
}

pub async fn submit(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ui: Ui,
    CsrfForm(f): CsrfForm,
) -> Result<Response, AppError> {
    let id = crate::handlers::extract::article_id(&raw_id)?;
    let user = ui.user()?;
    let text = field(&f, "text");
    let (form, status) = match moderation::appeal(&state.db, user, id, text).await {
        Ok(()) => (
            page(
                &state,
                &ui,
                id,
                "",
                None,
                Some("申诉已提交，编辑会尽快处理。".into()),
            )
            .await?,
            StatusCode::CREATED,
        ),
        Err(Refusal::Fields(mut errors)) => {
            let message = errors.pop_first();
            (
                page(&state, &ui, id, text, message, None).await?,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(other) => return Err(other.into()),
    };
    let site = state.snapshots.current();
    Ok(private(forms::render(&site.chrome, &ui, &form)?, status))
}
