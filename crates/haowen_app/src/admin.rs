//! Admins run the site: roles, disabling accounts, site settings. The last active admin can
//! neither be demoted nor disabled, so the site never locks itself out.

use haowen_core::account::{Role, User};

use crate::Db;
use crate::refusal::Refusal;

fn admin(actor: &User) -> Result<(), Refusal> {
    if actor.can(Role::Admin) {
        Ok(())
    } else {
        Err(Refusal::Forbidden(
            "只有站长可以管理用户和站点设置。".into(),
        ))
    }
}

async fn keeps_an_admin(db: &Db, target: &User) -> Result<(), Refusal> {
    if target.role == Role::Admin && !target.disabled && db.store.admin_count().await? <= 1 {
        return Err(Refusal::Forbidden(
            "这是站点唯一的站长账号，不能降级或停用。请先把另一位用户设为站长。".into(),
        ));
    }
    Ok(())
}

/// Grants or revokes a role. A creator keeps their creator profile whatever the role.
pub async fn set_role(db: &Db, actor: &User, user_id: i64, role: &str) -> Result<(), Refusal> {
    admin(actor)?;
    let role = Role::parse(role).ok_or_else(|| Refusal::field("role", "未知的身份"))?;
    let target = db.store.user(user_id).await?;
    if target.role == role {
        return Ok(());
    }
    if role != Role::Admin {
        keeps_an_admin(db, &target).await?;
    }
    if role == Role::Creator && target.creator_id.is_none() {
        return Err(Refusal::Forbidden(
            "这位用户还没有创作者主页：请让 Ta 申请入驻，由编辑审核通过。".into(),
        ));
    }
    db.store.set_role(user_id, role, actor.id).await?;
    Ok(())
}

/// Disables (or re-enables) an account. A disabled creator's articles stay up unless taken down.
pub async fn set_disabled(
    db: &Db,
    actor: &User,
    user_id: i64,
    disabled: bool,
) -> Result<(), Refusal> {
    admin(actor)?;
    let target = db.store.user(user_id).await?;
    if disabled {
        keeps_an_admin(db, &target).await?;
    }
    db.store
        .set_disabled_by(user_id, disabled, actor.id)
        .await?;
    Ok(())
}

/// Changes a site setting after validating it.
pub async fn set_setting(db: &Db, actor: &User, key: &str, value: &str) -> Result<(), Refusal> {
    admin(actor)?;
    haowen_core::settings::validate(key, value)
        .map_err(|m| Refusal::Fields([(field_name(key), m)].into_iter().collect()))?;
    db.store.set_setting(key, value).await?;
    Ok(())
}

/// The static field name of a settings key (forms show errors by field).
fn field_name(key: &str) -> &'static str {
    haowen_core::settings::KEYS
        .iter()
        .map(|(k, _, _)| *k)
        .find(|k| *k == key)
        .unwrap_or("settings")
}

/// Adds a channel. Slugs are the URL segment: 2–32 lower-case ASCII letters, digits or `-`.
pub async fn add_channel(db: &Db, actor: &User, name: &str, slug: &str) -> Result<(), Refusal> {
    admin(actor)?;
    let mut check = crate::refusal::Check::default();
    let name = name.trim();
    let slug = slug.trim().to_ascii_lowercase();
    if !(1..=10).contains(&name.chars().count()) {
        check.fail("name", "频道名称需为 1 到 10 个字");
    }
    if !(2..=32).contains(&slug.len())
        || !slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        check.fail("slug", "网址名需为 2 到 32 个小写英文字母、数字或 -");
    }
    check.finish()?;
    match db.store.create_channel(&slug, name, actor.id).await {
        Ok(_) => Ok(()),
        Err(haowen_db::StoreError::Conflict { .. }) => {
            Err(Refusal::field("name", "频道名称或网址名已被使用"))
        }
        Err(e) => Err(e.into()),
    }
}

/// Renames, moves or hides a channel.
pub async fn update_channel(
    db: &Db,
    actor: &User,
    id: i64,
    name: &str,
    position: &str,
    hidden: bool,
) -> Result<(), Refusal> {
    admin(actor)?;
    let name = name.trim();
    if !(1..=10).contains(&name.chars().count()) {
        return Err(Refusal::field("name", "频道名称需为 1 到 10 个字"));
    }
    let position: i64 = position
        .trim()
        .parse()
        .map_err(|_| Refusal::field("position", "顺序须为整数"))?;
    match db
        .store
        .update_channel(id, name, position, hidden, actor.id)
        .await
    {
        Ok(()) => Ok(()),
        Err(haowen_db::StoreError::Conflict { .. }) => {
            Err(Refusal::field("name", "频道名称已被使用"))
        }
        Err(e) => Err(e.into()),
    }
}
