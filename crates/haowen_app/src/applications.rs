//! 申请入驻: a signed-in reader applies to become a creator; an editor approves or rejects with a
//! reason the applicant sees. Roles are checked here, whichever page or API calls.

use haowen_core::account::{Role, User};
use haowen_db::{NewApplication, StoreError};

use crate::Db;
use crate::refusal::{Check, Refusal};

/// What the applicant fills in.
#[derive(Clone, Copy)]
pub struct ApplyForm<'a> {
    pub display_name: &'a str,
    pub bio: &'a str,
    pub channel_slug: &'a str,
    pub sample: &'a str,
    pub contact: &'a str,
    /// An uploaded avatar's URL (the handler stores the image first), or empty.
    pub avatar_url: &'a str,
}

fn length(value: &str, min: usize, max: usize, what: &str) -> Result<String, String> {
    let v = value.trim();
    let n = v.chars().count();
    if n < min {
        return Err(format!("{what}至少需要 {min} 个字"));
    }
    if n > max {
        return Err(format!("{what}最多 {max} 个字，现在有 {n} 个"));
    }
    Ok(v.to_string())
}

/// Files an application for `user`.
/// Checks an application without storing it (so the avatar is decoded only for a valid form).
pub async fn precheck(db: &Db, user: &User, form: &ApplyForm<'_>) -> Result<(), Refusal> {
    validate(db, user, form).await.map(|_| ())
}

/// Submits an application: checked, then stored as pending (one pending per person).
pub async fn apply(db: &Db, user: &User, form: &ApplyForm<'_>) -> Result<i64, Refusal> {
    let new = validate(db, user, form).await?;
    match db.store.create_application(&new).await {
        // One pending application per person (a unique index): a simultaneous second
        // submission lands here.
        Err(StoreError::Conflict { .. }) => Err(Refusal::Forbidden(
            "你的申请正在审核中，请耐心等待编辑处理。".into(),
        )),
        other => Ok(other?),
    }
}

async fn validate(db: &Db, user: &User, form: &ApplyForm<'_>) -> Result<NewApplication, Refusal> {
    if user.creator_id.is_some() {
        return Err(Refusal::Forbidden("你已经是创作者，无需再次申请。".into()));
    }
    if let Some(last) = db.store.latest_application(user.id).await?
        && last.status == "pending"
    {
        return Err(Refusal::Forbidden(
            "你的申请正在审核中，请耐心等待编辑处理。".into(),
        ));
    }
    let mut check = Check::default();
    let name = check.take(
        "display_name",
        haowen_core::account::display_name(form.display_name)
            .map_err(|_| "号名称需为 1 到 20 个字".to_string()),
    );
    let bio = check.take("bio", length(form.bio, 5, 200, "简介"));
    let sample = check.take("sample", length(form.sample, 20, 5000, "代表作或作品链接"));
    let contact = check.take("contact", length(form.contact, 3, 100, "联系方式"));
    let channel = db
        .store
        .channel_by_slug(form.channel_slug.trim())
        .await
        .ok();
    if channel.is_none() {
        check.fail("channel", "请选择一个擅长的领域（频道）");
    }
    if let Some(n) = &name
        && db.store.creator_name_taken(n).await?
    {
        check.fail("display_name", "这个号名称已被使用，请换一个");
    }
    check.finish()?;
    let (Some(display_name), Some(bio), Some(sample), Some(contact), Some(channel)) =
        (name, bio, sample, contact, channel)
    else {
        return Err(Refusal::field("display_name", "申请信息不完整"));
    };
    Ok(NewApplication {
        user_id: user.id,
        display_name,
        bio,
        avatar_url: form.avatar_url.to_string(),
        channel_id: channel.id,
        sample,
        contact,
    })
}

/// An editor's decision on an application.
pub async fn decide(
    db: &Db,
    reviewer: &User,
    id: i64,
    approve: bool,
    reason: &str,
) -> Result<(), Refusal> {
    if !reviewer.can(Role::Editor) {
        return Err(Refusal::Forbidden("只有编辑可以审核入驻申请。".into()));
    }
    let app = db.store.application(id).await?;
    if app.status != "pending" {
        return Err(Refusal::Forbidden("这份申请已经处理过了。".into()));
    }
    if approve {
        if db.store.creator_name_taken(&app.display_name).await? {
            return Err(Refusal::Forbidden(format!(
                "号名称「{}」已被其他创作者使用，请拒绝并说明原因。",
                app.display_name
            )));
        }
        match db.store.approve_application(id, reviewer.id).await {
            Ok(_) => Ok(()),
            Err(StoreError::Conflict { .. }) => {
                Err(Refusal::Forbidden("这份申请已经处理过了。".into()))
            }
            Err(e) => Err(e.into()),
        }
    } else {
        let reason =
            length(reason, 2, 200, "未通过的原因").map_err(|e| Refusal::field("reason", e))?;
        match db.store.reject_application(id, reviewer.id, &reason).await {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict { .. }) => {
                Err(Refusal::Forbidden("这份申请已经处理过了。".into()))
            }
            Err(e) => Err(e.into()),
        }
    }
}
