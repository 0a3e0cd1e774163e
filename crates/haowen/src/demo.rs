//! The demo site: eight creators and 44 short articles across 13 channels, all written by the
//! Haowen team for this purpose (no third-party text ships in the binary). Times are relative
//! to the moment of seeding so a new site looks alive; read counts vary so the hot list has a
//! shape. The articles live in `demo/articles.md`:
//!
//! ```text
//! == 标题
//! meta: creator-slug | 频道 | hours ago | reads | original|ai_assisted|ai_generated|reprint:来源 | tag,tag
//!
//! Markdown body …
//! ```

use anyhow::{Context, bail};
use haowen_core::{ArticleStatus, Declaration, NewArticle, NewCreator, time};
use haowen_db::Store;

const ARTICLES: &str = include_str!("../demo/articles.md");

/// (slug, name, bio). 关注度 counts real follows, so demo creators start with none.
const CREATORS: &[(&str, &str, &str)] = &[
    (
        "jiangcheng",
        "江城观察",
        "关注城市里的大事小情，记录普通人的生活。",
    ),
    (
        "lvyin",
        "绿茵笔记",
        "写给普通爱好者的体育故事，从业余联赛到奥运赛场。",
    ),
    ("yinmu", "银幕边", "电影、剧集、综艺和舞台，只聊好作品。"),
    (
        "xiaoqiandai",
        "小钱袋",
        "讲明白钱的事：消费、理财、养老，不荐股。",
    ),
    (
        "guigu",
        "硅谷之外",
        "科技与游戏的日常解读，不追热点，只讲清楚。",
    ),
    (
        "fangxiangpan",
        "方向盘",
        "买车、用车、修车，二十年老司机的经验谈。",
    ),
    ("shuzhuo", "书桌旁", "教育、艺术与终身学习。"),
    (
        "manshenghuo",
        "慢生活手帖",
        "家居、穿搭、旅行，把日子过得舒服一点。",
    ),
];

/// The demo creators as they are created.
pub fn creators() -> Vec<NewCreator> {
    CREATORS
        .iter()
        .map(|(slug, name, bio)| NewCreator {
            slug: (*slug).to_string(),
            name: (*name).to_string(),
            avatar_url: String::new(),
            bio: (*bio).to_string(),
        })
        .collect()
}

/// One parsed demo article.
#[derive(Debug)]
pub struct DemoArticle {
    pub title: String,
    pub creator: String,
    pub channel: String,
    pub hours_ago: i64,
    pub reads: i64,
    pub declaration: Declaration,
    pub tags: Vec<String>,
    pub body_md: String,
}

/// Parses `demo/articles.md`; errors name the line.
pub fn articles() -> anyhow::Result<Vec<DemoArticle>> {
    let mut out = Vec::new();
    let lines: Vec<&str> = ARTICLES.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let Some(title) = lines[i].strip_prefix("== ") else {
            i += 1;
            continue;
        };
        let meta_line = i + 2;
        let meta = lines
            .get(i + 1)
            .and_then(|l| l.strip_prefix("meta: "))
            .with_context(|| format!("demo/articles.md line {meta_line}: expected a meta: line"))?;
        let parts: Vec<&str> = meta.split('|').map(str::trim).collect();
        let [creator, channel, hours, reads, decl, tags] = parts[..] else {
            bail!(
                "demo/articles.md line {meta_line}: meta needs 6 fields, found {}",
                parts.len()
            );
        };
        let declaration = match decl.split_once(':') {
            Some(("reprint", source)) => Declaration::reprint(source.to_string(), ""),
            _ => Declaration::from_parts(decl, None, None)
                .map_err(|e| anyhow::anyhow!("demo/articles.md line {meta_line}: {e}"))?,
        };
        let mut j = i + 2;
        while j < lines.len() && !lines[j].starts_with("== ") {
            j += 1;
        }
        out.push(DemoArticle {
            title: title.trim().to_string(),
            creator: creator.to_string(),
            channel: channel.to_string(),
            hours_ago: hours
                .parse()
                .with_context(|| format!("demo/articles.md line {meta_line}: hours"))?,
            reads: reads
                .parse()
                .with_context(|| format!("demo/articles.md line {meta_line}: reads"))?,
            declaration,
            tags: tags
                .split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            body_md: lines[i + 2..j].join("\n").trim().to_string(),
        });
        i = j;
    }
    Ok(out)
}

/// Seeds the demo into an empty database; returns the article count, or `None` when the
/// database already has articles (it is never mixed into a real site).
pub async fn seed_if_empty(store: &Store) -> anyhow::Result<Option<usize>> {
    if store.article_count().await? > 0 {
        return Ok(None);
    }
    let articles = articles()?;
    let now = time::now();
    let mut ids = std::collections::HashMap::new();
    for new in &creators() {
        let creator = match store.creator_by_slug(&new.slug).await {
            Ok(existing) => existing,
            Err(_) => store
                .create_creator(new)
                .await
                .with_context(|| format!("creating demo creator {}", new.name))?,
        };
        ids.insert(new.slug.clone(), creator.id);
    }
    let mut reads = Vec::new();
    for a in &articles {
        let creator_id = *ids.get(&a.creator).with_context(|| {
            format!("demo article {:?}: unknown creator {}", a.title, a.creator)
        })?;
        let channel_id = store.channel_by_name_or_create(&a.channel).await?.id;
        let id = store
            .create_article(&NewArticle {
                external_id: Some(format!("demo-{}", reads.len() + 1)),
                creator_id,
                channel_id,
                title: a.title.clone(),
                body_md: a.body_md.clone(),
                declaration: a.declaration.clone(),
                // Every demo article has a cover: its own illustration if the body has one
                // (taken automatically), else one of the generated landscapes.
                cover_url: (!a.body_md.contains("](/media/"))
                    .then(|| format!("/media/demo/{}.svg", reads.len() + 7)),
                tags: a.tags.clone(),
                status: ArticleStatus::Published,
                published_at: now - a.hours_ago * 3600 - 17 * 60,
            })
            .await
            .with_context(|| format!("creating demo article {:?}", a.title))?;
        reads.push((id, a.reads));
    }
    store.add_reads(&reads).await?;
    Ok(Some(articles.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_content_meets_the_brief() {
        let articles = articles().expect("demo parses");
        assert!(articles.len() >= 40, "{}", articles.len());
        let channels: std::collections::HashSet<_> =
            articles.iter().map(|a| a.channel.as_str()).collect();
        assert!(channels.len() >= 11, "{channels:?}");
        let slugs: Vec<&str> = CREATORS.iter().map(|c| c.0).collect();
        assert!(slugs.len() >= 8);
        for a in &articles {
            assert!(slugs.contains(&a.creator.as_str()), "{}", a.creator);
            assert!(a.body_md.chars().count() > 80, "{} is too short", a.title);
            assert!(
                haowen_core::validate::title(&a.title).is_ok(),
                "{}",
                a.title
            );
        }
        for name in haowen_core::channel::NEWS_BOXES
            .iter()
            .chain(haowen_core::channel::ORIGINAL_BOXES)
        {
            assert!(channels.contains(name), "no demo article in {name}");
        }
    }
}
