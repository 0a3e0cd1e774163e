//! Moderation rules: 举报 reports from readers, the editors' acts on them (takedown, restore,
//! comment removal, dismissal, held-comment review), the creator's one appeal per takedown, and
//! the admins' sensitive-word list. Each act is audited by the store in its own transaction.

use haowen_core::{
    ArticleStatus,
    account::{Role, User},
    comment::report_kind_label,
    words,
};
use haowen_db::{NewReport, ReportRefusal, StoreError};

use crate::Db;
use crate::refusal::{Check, Refusal};

/// Longest report note and appeal, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

fn editor(user: &User) -> Result<(), Refusal> {
    if user.disabled || !user.can(Role::Editor) {
        return Err(Refusal::Forbidden("只有编辑可以处理举报和下架。".into()));
    }
    Ok(())
}

fn reason(raw: &str, field: &'static str, what: &str) -> Result<String, Refusal> {
    let r = raw.trim();
    let n = r.chars().count();
    if n < 2 {
        return Err(Refusal::field(
            field,
            format!("请写明{what}（至少 2 个字）。"),
        ));
    }
    if n > 200 {
        return Err(Refusal::field(
            field,
            format!("{what}最多 200 个字，现在有 {n} 个。"),
        ));
    }
    Ok(r.to_string())
}

/// A reader reports an article or a comment.
pub async fn report(
    db: &Db,
    user: &User,
    target_kind: &str,
    target_id: i64,
    kind: &str,
    note: &str,
) -> Result<i64, Refusal> {
    if user.disabled {
        return Err(Refusal::Forbidden("你的账号已被停用。".into()));
    }
    let mut check = Check::default();
    if report_kind_label(kind).is_none() {
        check.fail("kind", "请选择举报类型。");
    }
    let note = note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        check.fail("note", format!("说明最多 {MAX_NOTE_CHARS} 个字。"));
    }
    check.finish()?;
    let what = if target_kind == "comment" {
        "跟贴"
    } else {
        "文章"
    };
    let result = db
        .store
        .add_report(&NewReport {
            target_kind: target_kind.to_string(),
            target_id,
            reporter_id: user.id,
            kind: kind.to_string(),
            note: note.to_string(),
        })
        .await?;
    match result {
        Ok(id) => Ok(id),
        Err(ReportRefusal::Missing) => Err(Refusal::Missing(format!(
            "要举报的{what}不存在，请检查链接。"
        ))),
        Err(ReportRefusal::AlreadyRemoved) => Err(Refusal::Missing(format!(
            "这篇{what}已被删除或下架，无需再举报。"
        ))),
        Err(ReportRefusal::AlreadyReported) => Err(Refusal::Conflict(format!(
            "你已举报过这条{what}，编辑处理前无需重复举报。"
        ))),
    }
}

/// An editor takes an article down, with the reason the creator and readers see.
pub async fn take_down(db: &Db, user: &User, id: i64, why: &str) -> Result<(), Refusal> {
    editor(user)?;
    let why = reason(why, "reason", "下架原因")?;
    match db.store.take_down(id, Some(user.id), &why).await {
        Err(StoreError::NotFound) => Err(Refusal::Missing(
            "这篇文章不存在，或已经下架、删除。".into(),
        )),
        other => Ok(other?),
    }
}

/// An editor restores a taken-down article.
pub async fn restore(db: &Db, user: &User, id: i64, note: &str) -> Result<(), Refusal> {
    editor(user)?;
    match db.store.restore(id, Some(user.id), note.trim()).await {
        Err(StoreError::NotFound) => Err(Refusal::Missing("这篇文章不在下架状态。".into())),
        other => Ok(other?),
    }
}

/// An editor closes the reports on an item without acting on it.
pub async fn dismiss(
    db: &Db,
    user: &User,
    target_kind: &str,
    target_id: i64,
) -> Result<(), Refusal> {
    editor(user)?;
    match db
        .store
        .dismiss_reports(target_kind, target_id, user.id, "举报不成立")
        .await
    {
        Err(StoreError::NotFound) => Err(Refusal::Missing("这条举报已经处理过了。".into())),
        other => other.map(|_| ()).map_err(Refusal::from),
    }
}

/// An editor lets a held comment through.
pub async fn approve_comment(db: &Db, user: &User, id: i64) -> Result<(), Refusal> {
    editor(user)?;
    match db.store.approve_comment(id, user.id).await {
        Err(StoreError::NotFound) => Err(Refusal::Missing("这条跟贴已经处理过了。".into())),
        other => Ok(other?),
    }
}

/// The creator appeals a takedown of their article, once.
pub async fn appeal(db: &Db, user: &User, id: i64, text: &str) -> Result<(), Refusal> {
    let creator = crate::studio::creator_of(user)?;
    let article = db.store.article(id).await?;
    if article.creator_id != creator {
        return Err(Refusal::Forbidden("你只能为自己的文章申诉。".into()));
    }
    if article.status != ArticleStatus::TakenDown {
        return Err(Refusal::Missing("这篇文章没有被下架，无需申诉。".into()));
    }
    let text = text.trim();
    let n = text.chars().count();
    if n < 5 {
        return Err(Refusal::field("text", "请说明申诉理由（至少 5 个字）。"));
    }
    if n > MAX_NOTE_CHARS {
        return Err(Refusal::field(
            "text",
            format!("申诉理由最多 {MAX_NOTE_CHARS} 个字，现在有 {n} 个。"),
        ));
    }
    match db.store.appeal(id, user.id, text).await {
        Err(StoreError::Conflict { .. }) => Err(Refusal::Conflict(
            "每次下架只能申诉一次，你已经提交过申诉。".into(),
        )),
        Err(StoreError::NotFound) => Err(Refusal::Missing("这篇文章没有被下架。".into())),
        other => other.map(|_| ()).map_err(Refusal::from),
    }
}

/// An editor turns an appeal down, with a reason the creator sees.
pub async fn reject_appeal(db: &Db, user: &User, id: i64, why: &str) -> Result<(), Refusal> {
    editor(user)?;
    let why = reason(why, "reason", "驳回理由")?;
    match db.store.reject_appeal(id, user.id, &why).await {
        Err(StoreError::NotFound) => Err(Refusal::Missing("这条申诉已经处理过了。".into())),
        other => Ok(other?),
    }
}

/// An admin replaces the sensitive-word list (one word per line).
pub async fn set_words(db: &Db, user: &User, raw: &str) -> Result<usize, Refusal> {
    if user.disabled || !user.can(Role::Admin) {
        return Err(Refusal::Forbidden("只有管理员可以编辑敏感词表。".into()));
    }
    let list = words::parse_list(raw).map_err(|e| Refusal::field("words", e))?;
    db.store.set_sensitive_words(&list, user.id).await?;
    Ok(list.len())
}
