//! `GET/POST /admin/words`: the admins' sensitive-word list (a 跟贴 containing one is held for
//! review).

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};

use crate::handlers::extract::Admin;
use crate::handlers::extract::CsrfForm;
use crate::{
    AppState,
    error::AppError,
    forms::{self, Field, Form},
    handlers::{field, private},
    ui::Ui,
};
use haowen_app::{Refusal, moderation};

fn words_form(ui: &Ui, value: String, count: usize) -> Form {
    Form {
        heading: "敏感词表",
        intro: vec![
            "每行一个词。含有这些词的跟贴不会直接公开，而是进入编辑的待审队列，作者会收到提示。"
                .into(),
            format!("现有 {count} 个词。匹配时忽略大小写、全角半角和夹在字之间的空格与标点。"),
        ],
        action: "/admin/words".into(),
        csrf: ui.csrf.clone(),
        fields: vec![{
            let mut f = Field::new("words", "词表", "textarea")
                .hint("以 # 开头的行是注释；空行会被忽略。")
                .value(value);
            f.required = false;
            f
        }],
        submit: "保存词表",
        links: vec![("/admin/users".into(), "返回管理".into())],
        ..Form::default()
    }
}

/// `GET /admin/words`.
pub async fn words_page(
    State(state): State<AppState>,
    Admin(_): Admin,
    ui: Ui,
) -> Result<Response, AppError> {
    let words = state.db.sensitive_words().await?;
    let site = state.snapshots.current();
    let form = words_form(&ui, words.join("\n"), words.len());
    Ok(private(
        forms::render(&site.chrome, &ui, &form)?,
        StatusCode::OK,
    ))
}

/// `POST /admin/words`.
pub async fn save_words(
    State(state): State<AppState>,
    Admin(_): Admin,
    ui: Ui,
    CsrfForm(f): CsrfForm,
) -> Result<Response, AppError> {
    let user = ui
        .viewer
        .as_ref()
        .map(|v| &v.user)
        .ok_or(AppError::NotFound)?;
    match moderation::set_words(&state.db, user, field(&f, "words")).await {
        Ok(_) => {
            state.after(haowen_app::Change::Site).await;
            Ok(Redirect::to("/admin/words").into_response())
        }
        Err(Refusal::Fields(errors)) => {
            let site = state.snapshots.current();
            let mut form = words_form(&ui, field(&f, "words").to_string(), site.words.len());
            for (name, message) in errors {
                form.field_error(name, message);
            }
            Ok(private(
                forms::render(&site.chrome, &ui, &form)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(other) => Err(other.into()),
    }
}
