//! Channels (频道): the sections readers browse. The default set mirrors a NetEase-style portal;
//! admins may add more, and the importer creates any channel it meets.

use serde::{Deserialize, Serialize};

/// A channel as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub id: i64,
    /// URL segment: `/channel/{slug}`. ASCII for the defaults, the name itself for others.
    pub slug: String,
    /// Display name in Chinese, e.g. `体育`.
    pub name: String,
    /// Order in the navigation bar (ascending).
    pub position: i64,
    /// Hidden by an admin: off the navigation and the home page; its articles stay readable.
    pub hidden: bool,
}

/// The channels a new site starts with: (slug, name). Order is the navigation order.
pub const DEFAULT_CHANNELS: &[(&str, &str)] = &[
    ("headlines", "头条"),
    ("sports", "体育"),
    ("ent", "娱乐"),
    ("money", "财经"),
    ("tech", "科技"),
    ("auto", "汽车"),
    ("edu", "教育"),
    ("fashion", "时尚"),
    ("art", "艺术"),
    ("home", "家居"),
    ("game", "游戏"),
    ("house", "房产"),
    ("politics", "时政"),
    ("society", "社会"),
    ("war", "军事"),
    ("world", "国际"),
    ("travel", "旅游"),
    ("culture", "文化"),
];

/// The channel boxes of the article page's sidebar (`头条要闻` …): channel names.
pub const NEWS_BOXES: &[&str] = &["头条", "体育", "娱乐", "财经", "科技", "汽车"];

/// The 态度原创 boxes (the site's original columns): channel names.
pub const ORIGINAL_BOXES: &[&str] = &["教育", "时尚", "艺术", "家居", "游戏"];

/// The slug a new channel gets: the ASCII slug when the name is a default channel,
/// else the name itself (percent-encoded in URLs by the browser).
pub fn slug_for(name: &str) -> String {
    DEFAULT_CHANNELS
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(s, _)| (*s).to_string())
        .unwrap_or_else(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_get_ascii_slugs_and_others_keep_their_name() {
        assert_eq!(slug_for("体育"), "sports");
        assert_eq!(slug_for("公益"), "公益");
    }

    #[test]
    fn every_box_is_a_default_channel() {
        for name in NEWS_BOXES.iter().chain(ORIGINAL_BOXES) {
            assert!(DEFAULT_CHANNELS.iter().any(|(_, n)| n == name), "{name}");
        }
    }
}
