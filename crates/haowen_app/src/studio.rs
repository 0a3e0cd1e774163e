//! The creator studio's rules: only a creator writes, only into their own articles; what makes a
//! draft, a publication or a schedule; what a declaration needs.

use chrono_tz::Tz;
use haowen_core::{Article, ArticleStatus, Declaration, NewArticle, account::User, time, validate};

use crate::Db;
use crate::refusal::{Check, Refusal};

/// What the studio form sends.
#[derive(Debug, Default, Clone)]
pub struct ArticleForm {
    pub title: String,
    pub body: String,
    pub channel: String,
    pub tags: String,
    pub declaration: String,
    pub source_name: String,
    pub source_link: String,
    /// `draft`, `publish` or `schedule`.
    pub action: String,
    /// `datetime-local` in the site zone, for `schedule`.
    pub publish_at: String,
    /// Cover image: an uploaded image's URL (`/media/…`), or empty.
    pub cover: String,
}

impl ArticleForm {
    /// The form pre-filled from a stored article.
    pub fn from_article(a: &Article, channel_slug: &str, zone: Tz) -> ArticleForm {
        ArticleForm {
            title: a.title.clone(),
            body: a.body_md.clone(),
            channel: channel_slug.to_string(),
            tags: a.tags.join("，"),
            declaration: a.declaration.kind().to_string(),
            source_name: a.declaration.source().unwrap_or("").to_string(),
            source_link: a.declaration.link().unwrap_or("").to_string(),
            action: String::new(),
            publish_at: time::format_local_input(a.published_at, zone),
            cover: a.cover_url.clone().unwrap_or_default(),
        }
    }
}

/// The creator profile `user` writes as.
pub fn creator_of(user: &User) -> Result<i64, Refusal> {
    match user.creator_id {
        Some(id) if !user.disabled => Ok(id),
        _ => Err(Refusal::Forbidden(
            "只有创作者可以发表文章。请先申请入驻。".into(),
        )),
    }
}

/// An article `user` may edit: their own, not deleted.
pub async fn own_article(db: &Db, user: &User, id: i64) -> Result<Article, Refusal> {
    let creator_id = creator_of(user)?;
    let article = db.store.article(id).await?;
    if article.creator_id != creator_id {
        return Err(Refusal::Forbidden("你只能编辑自己的文章。".into()));
    }
    if article.status == ArticleStatus::Deleted {
        return Err(Refusal::NotFound);
    }
    Ok(article)
}

fn tags(raw: &str) -> Result<Vec<String>, String> {
    let parts: Vec<String> = raw
        .split([',', '，', '、', ' ', '\n'])
        .map(str::to_string)
        .collect();
    validate::tags(&parts).map_err(|e| e.zh())
}

fn declaration(form: &ArticleForm, check: &mut Check) -> Option<Declaration> {
    if form.declaration == "reprint" {
        let name = form.source_name.trim();
        let link = form.source_link.trim();
        if name.is_empty() {
            check.fail("source_name", "转载须注明来源名称");
        }
        if !(link.starts_with("https://") || link.starts_with("http://")) || link.len() < 12 {
            check.fail(
                "source_link",
                "转载须注明来源链接（以 http:// 或 https:// 开头）",
            );
        }
        if name.chars().count() > 60 {
            check.fail("source_name", "来源名称最多 60 个字");
        }
        return Some(Declaration::reprint(name, link));
    }
    match Declaration::from_parts(&form.declaration, None, None) {
        Ok(d) if !form.declaration.is_empty() => Some(d),
        _ => {
            check.fail("declaration", "请选择一项声明");
            None
        }
    }
}

/// Creates (`existing` = None) or updates an article from the form. Returns its id.
pub async fn save(
    db: &Db,
    user: &User,
    existing: Option<&Article>,
    form: &ArticleForm,
    zone: Tz,
) -> Result<i64, Refusal> {
    let creator_id = creator_of(user)?;
    if let Some(a) = existing
        && a.creator_id != creator_id
    {
        return Err(Refusal::Forbidden("你只能编辑自己的文章。".into()));
    }
    let now = time::now();
    let mut check = Check::default();
    let title = check.take("title", validate::title(&form.title).map_err(|e| e.zh()));
    if let Err(e) = validate::body(&form.body) {
        check.fail("body", e.zh());
    }
    let publishing = form.action == "publish" || form.action == "schedule";
    if publishing && form.body.trim().chars().count() < 10 {
        check.fail("body", "正文至少需要 10 个字才能发布");
    }
    let channel = db.store.channel_by_slug(form.channel.trim()).await.ok();
    if channel.is_none() {
        check.fail("channel", "请选择频道");
    }
    let tags = check.take("tags", tags(&form.tags));
    let cover = form.cover.trim();
    let cover_ok = cover.is_empty()
        || (cover.starts_with("/media/")
            && cover.len() < 100
            && cover
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/-.".contains(&b)));
    if !cover_ok {
        check.fail(
            "cover",
            "封面图须是在本站上传的图片（先用“插入图片”上传，再勾选“设为封面”）",
        );
    }
    let declaration = declaration(form, &mut check);
    let (status, published_at) = match form.action.as_str() {
        "draft" => (
            ArticleStatus::Draft,
            existing.map(|a| a.published_at).unwrap_or(now),
        ),
        "publish" => {
            // Republishing keeps the original time; a draft or schedule goes out now.
            let keep =
                existing.filter(|a| a.status == ArticleStatus::Published && a.published_at <= now);
            (
                ArticleStatus::Published,
                keep.map(|a| a.published_at).unwrap_or(now),
            )
        }
        "schedule" => match time::parse_local(&form.publish_at, zone) {
            Some(t) if t > now + 30 => (ArticleStatus::Published, t),
            Some(_) => {
                check.fail("publish_at", "定时发布的时间须晚于现在");
                (ArticleStatus::Draft, now)
            }
            None => {
                check.fail("publish_at", "请填写定时发布的日期和时间");
                (ArticleStatus::Draft, now)
            }
        },
        _ => {
            check.fail("action", "请选择保存草稿、发布或定时发布");
            (ArticleStatus::Draft, now)
        }
    };
    check.finish()?;
    let (Some(title), Some(channel), Some(tags), Some(declaration)) =
        (title, channel, tags, declaration)
    else {
        return Err(Refusal::field("title", "表单不完整"));
    };
    let new = NewArticle {
        external_id: None,
        creator_id,
        channel_id: channel.id,
        title,
        body_md: form.body.clone(),
        declaration,
        cover_url: (!cover.is_empty()).then(|| cover.to_string()),
        tags,
        status,
        published_at,
    };
    match existing {
        Some(a) => {
            db.store.update_article(a.id, &new, Some(user.id)).await?;
            Ok(a.id)
        }
        None => Ok(db.store.create_article(&new).await?),
    }
}

/// Takes a public or scheduled article back to draft.
pub async fn unpublish(db: &Db, user: &User, id: i64) -> Result<(), Refusal> {
    let a = own_article(db, user, id).await?;
    if a.status == ArticleStatus::TakenDown {
        return Err(Refusal::Forbidden("这篇文章已被编辑下架。".into()));
    }
    db.store
        .set_article_status(id, ArticleStatus::Draft)
        .await?;
    Ok(())
}

/// Deletes (softly) one of the user's articles.
pub async fn delete(db: &Db, user: &User, id: i64) -> Result<(), Refusal> {
    own_article(db, user, id).await?;
    db.store.delete_article(id, user.id).await?;
    Ok(())
}
