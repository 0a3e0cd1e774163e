//! View models: what templates print, already formatted (times in the site zone, counts in
//! Chinese units), so templates hold no logic beyond loops and conditions.

use chrono_tz::Tz;
use haowen_core::{ArticleSummary, time};

/// One line of an article list: title · source · time.
#[derive(Debug, Clone)]
pub struct ListItem {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub creator_name: String,
    pub creator_slug: String,
    /// 「3 小时前」 within the last day, else `YYYY-MM-DD` in the site zone; empty when undated.
    pub time: String,
    /// RFC 3339 UTC, for `<time datetime>`; empty when undated.
    pub iso: String,
    pub comments: i64,
    /// The cover's phone-size variant (lists show it small).
    pub cover_thumb: Option<String>,
    /// Both sizes of an uploaded cover, for `srcset`.
    pub cover_srcset: Option<String>,
}

impl ListItem {
    pub fn from_summary(a: &ArticleSummary, zone: Tz) -> ListItem {
        ListItem {
            id: a.id,
            title: a.title.clone(),
            summary: a.summary.clone(),
            creator_name: a.creator_name.clone(),
            creator_slug: a.creator_slug.clone(),
            time: time::list_time(a.published_at, time::now(), zone),
            iso: if time::is_undated(a.published_at) {
                String::new()
            } else {
                time::rfc3339(a.published_at)
            },
            comments: a.comments,
            cover_thumb: a.cover_url.as_deref().map(|c| c.replace("-1600.", "-800.")),
            cover_srcset: a
                .cover_url
                .as_deref()
                .filter(|c| c.contains("-1600."))
                .map(|c| format!("{} 800w, {c} 1600w", c.replace("-1600.", "-800."))),
        }
    }

    pub fn many(items: &[ArticleSummary], zone: Tz) -> Vec<ListItem> {
        items
            .iter()
            .map(|a| ListItem::from_summary(a, zone))
            .collect()
    }
}

/// A channel in the navigation bar.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub slug: String,
    pub name: String,
}

impl NavItem {
    pub fn href(&self) -> String {
        format!("/channel/{}", self.slug)
    }
}

/// A titled box of a channel's top stories (体育要闻, 教育 …).
#[derive(Debug, Clone)]
pub struct ChannelBox {
    pub title: String,
    pub slug: String,
    pub items: Vec<ListItem>,
}

/// What every page's header and footer show.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub site_name: String,
    pub site_description: String,
    pub nav: Vec<NavItem>,
    pub registration_info: String,
    pub contact_email: String,
    /// Cache-busting version of the static assets.
    pub asset_version: &'static str,
}

/// Counts as Chinese readers expect: 9999, 1.2万, 3.4亿.
pub fn count(n: i64) -> String {
    if n >= 100_000_000 {
        format!("{:.1}亿", n as f64 / 100_000_000.0).replace(".0亿", "亿")
    } else if n >= 10_000 {
        format!("{:.1}万", n as f64 / 10_000.0).replace(".0万", "万")
    } else {
        n.to_string()
    }
}

/// Page links for a paginated list.
#[derive(Debug, Clone)]
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    /// Base path; `?page=N` (or `&page=N` when it has a query) is appended.
    pub base: String,
    pub base_has_query: bool,
}

impl Pager {
    pub const PER_PAGE: i64 = 20;

    pub fn new(page: i64, total: i64, base: impl Into<String>) -> Pager {
        Pager::sized(page, total, Self::PER_PAGE, base)
    }

    /// A pager over `total` items shown `per_page` at a time (search pages show 10).
    pub fn sized(page: i64, total: i64, per_page: i64, base: impl Into<String>) -> Pager {
        let per_page = per_page.max(1);
        let pages = ((total + per_page - 1) / per_page).max(1);
        Pager {
            page,
            pages,
            base: base.into(),
            base_has_query: false,
        }
    }

    pub fn offset(page: i64) -> i64 {
        (page - 1) * Self::PER_PAGE
    }

    pub fn href<P: std::borrow::Borrow<i64>>(&self, page: P) -> String {
        let page = *page.borrow();
        let sep = if self.base_has_query { '&' } else { '?' };
        if page <= 1 {
            self.base.clone()
        } else {
            format!("{}{sep}page={page}", self.base)
        }
    }

    /// The page numbers to show: first, last, and two either side of the current one.
    pub fn numbers(&self) -> Vec<i64> {
        (1..=self.pages)
            .filter(|&p| p == 1 || p == self.pages || (p - self.page).abs() <= 2)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_use_chinese_units() {
        assert_eq!(count(9999), "9999");
        assert_eq!(count(12_000), "1.2万");
        assert_eq!(count(30_000), "3万");
        assert_eq!(count(340_000_000), "3.4亿");
    }

    #[test]
    fn pager_numbers() {
        let p = Pager::new(5, 200, "/c");
        assert_eq!(p.pages, 10);
        assert_eq!(p.numbers(), vec![1, 3, 4, 5, 6, 7, 10]);
        assert_eq!(p.href(1), "/c");
        assert_eq!(p.href(2), "/c?page=2");
        assert_eq!(Pager::new(1, 0, "/c").pages, 1);
    }
}
