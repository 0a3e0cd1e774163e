//! 申请入驻: the application form for readers (the editors' queue is editor/applications.rs).

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{FromRequest, Multipart, Path, Request, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use haowen_app::queries::Application;

use crate::{
    AppState,
    error::AppError,
    forms::{self, Field, Form},
    handlers::{
        ClientIp,
        extract::{check_csrf, fields},
        field, private,
        reader::info,
    },
    ui::Ui,
};
use haowen_app::{Refusal, applications};

async fn apply_form(
    state: &AppState,
    ui: &Ui,
    f: Option<&HashMap<String, String>>,
) -> Result<Form, AppError> {
    let v = |name: &str| f.map(|f| field(f, name).to_string()).unwrap_or_default();
    let mut channels = vec![(String::new(), "请选择".to_string())];
    channels.extend(
        state
            .snapshots
            .current()
            .channels
            .iter()
            .map(|c| (c.slug.clone(), c.name.clone())),
    );
    Ok(Form {
        heading: "申请入驻",
        intro: vec![
            "成为好文号创作者：填写以下信息，编辑会在三个工作日内审核，结果会显示在这个页面上。"
                .into(),
        ],
        action: "/apply".into(),
        csrf: ui.csrf.clone(),
        fields: vec![
            Field::new("display_name", "号名称", "text")
                .hint("1 到 20 个字，读者看到的名字，通过后不可随意更改")
                .value(v("display_name")),
            Field::new("bio", "一句话简介", "textarea")
                .hint("5 到 200 个字，介绍你写什么、为谁写")
                .value(v("bio")),
            Field::new("channel", "擅长领域", "select")
                .hint("你主要发文的频道")
                .value(v("channel"))
                .options(channels),
            Field::new("sample", "代表作或作品链接", "textarea")
                .hint("20 到 5000 个字：一篇代表作的正文，或你在其他平台的作品链接")
                .value(v("sample")),
            Field::new("contact", "联系方式", "text")
                .hint("邮箱或手机号，仅编辑可见")
                .value(v("contact"))
                .autocomplete("email"),
            Field {
                required: false,
                ..Field::new("avatar", "头像", "file")
                    .hint("可选：JPEG、PNG、WebP 或 GIF，最大 10 MB；不上传则使用号名称的首字")
            },
        ],
        submit: "提交申请",
        multipart: true,
        ..Form::default()
    })
}

fn status_lines(app: &Application) -> Vec<String> {
    match app.status.as_str() {
        "pending" => vec![
            format!(
                "你以「{}」提交的入驻申请正在审核中（待审核）。",
                app.display_name
            ),
            "编辑会在三个工作日内处理，结果会显示在这里。".into(),
        ],
        "approved" => vec![format!(
            "你的入驻申请已通过：「{}」已开通。",
            app.display_name
        )],
        _ => vec![
            format!(
                "你以「{}」提交的入驻申请未通过。原因：{}",
                app.display_name, app.reason
            ),
            "你可以根据原因修改后重新申请。".into(),
        ],
    }
}

/// `GET /apply`: how to apply (anonymous), or the application form and its status.
pub async fn show(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Some(viewer) = &ui.viewer else {
        return info::show(State(state), Path("apply".to_string()), ui, headers).await;
    };
    let site = state.snapshots.current();
    let latest = state.db.latest_application(viewer.user.id).await?;
    if viewer.user.creator_id.is_some() || latest.as_ref().is_some_and(|a| a.status == "pending") {
        let lines = match &latest {
            Some(a) => status_lines(a),
            None => vec!["你已经是创作者。".into()],
        };
        return Ok(private(
            info::render_page(&site.chrome, &ui, "申请入驻", lines)?,
            StatusCode::OK,
        ));
    }
    let mut form = apply_form(&state, &ui, None).await?;
    if let Some(a) = &latest {
        form.error = Some(status_lines(a).join(""));
    }
    Ok(private(
        forms::render(&site.chrome, &ui, &form)?,
        StatusCode::OK,
    ))
}

/// The application's fields and optional avatar bytes, from a multipart or urlencoded body.
async fn read_form(
    state: &AppState,
    req: Request,
) -> Result<(HashMap<String, String>, Option<Bytes>), AppError> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest("表单太大或不完整，请重试。".into()))?;
        return Ok((fields(&body), None));
    }
    let mut form = Multipart::from_request(req, state)
        .await
        .map_err(|_| AppError::BadRequest("表单不完整，请重试。".into()))?;
    let (mut f, mut avatar) = (HashMap::new(), None);
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        if name == "avatar" {
            let bytes = field.bytes().await.map_err(|_| {
                AppError::BadRequest("头像太大（最大 10 MB）或上传中断，请重试。".into())
            })?;
            avatar = Some(bytes).filter(|b| !b.is_empty());
        } else {
            f.insert(name, field.text().await.unwrap_or_default());
        }
    }
    Ok((f, avatar))
}

/// `POST /apply` (multipart with an optional `avatar`, or urlencoded).
pub async fn submit(
    State(state): State<AppState>,
    ui: Ui,
    ClientIp(ip): ClientIp,
    req: Request,
) -> Result<Response, AppError> {
    let viewer = ui
        .viewer
        .as_ref()
        .ok_or(AppError::SignInRequired("/apply".into()))?;
    let (f, avatar) = read_form(&state, req).await?;
    check_csrf(&ui, &f)?;
    let refused = |errors: std::collections::BTreeMap<&'static str, String>| {
        let (state, ui, f) = (&state, &ui, &f);
        async move {
            let mut form = apply_form(state, ui, Some(f)).await?;
            for (name, message) in errors {
                form.field_error(name, message);
            }
            let site = state.snapshots.current();
            Ok::<_, AppError>(private(
                forms::render(&site.chrome, ui, &form)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    };
    // The form is checked before the avatar is decoded: a bad form costs no image work.
    let unchecked = applications::ApplyForm {
        display_name: field(&f, "display_name"),
        bio: field(&f, "bio"),
        channel_slug: field(&f, "channel"),
        sample: field(&f, "sample"),
        contact: field(&f, "contact"),
        avatar_url: "",
    };
    match applications::precheck(&state.db, &viewer.user, &unchecked).await {
        Err(Refusal::Fields(errors)) => return refused(errors).await,
        Err(other) => return Err(other.into()),
        Ok(()) => {}
    }
    if avatar.is_some()
        && let Err(wait) = state
            .throttles
            .upload(viewer.user.id, ip, haowen_core::time::now())
    {
        return refused(std::collections::BTreeMap::from([(
            "avatar",
            format!("上传太频繁，请 {wait} 秒后再试"),
        )]))
        .await;
    }
    let avatar_url = match avatar {
        None => String::new(),
        Some(bytes) => match state.media.save(bytes.to_vec()).await {
            Ok(image) => image.phone_url,
            Err(e) => {
                return refused(std::collections::BTreeMap::from([(
                    "avatar",
                    e.to_string(),
                )]))
                .await;
            }
        },
    };
    let form_input = applications::ApplyForm {
        avatar_url: &avatar_url,
        ..unchecked
    };
    match applications::apply(&state.db, &viewer.user, &form_input).await {
        Ok(_) => Ok(Redirect::to("/apply").into_response()),
        Err(Refusal::Fields(errors)) => refused(errors).await,
        Err(other) => Err(other.into()),
    }
}
