//! Site settings that admins change at run time (`haowen admin settings`), stored in the
//! database as key/value pairs. Every key has a default, so a new site needs none.

use std::collections::BTreeMap;

use serde::Serialize;

/// The settings, typed. Build with [`SiteSettings::from_pairs`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteSettings {
    pub site_name: String,
    pub site_description: String,
    /// IANA zone used to show times.
    pub timezone: String,
    /// 特别声明, Chinese.
    pub disclaimer_zh: String,
    /// Notice, English.
    pub disclaimer_en: String,
    /// 备案信息 shown in the footer (ICP number etc.); empty hides it.
    pub registration_info: String,
    pub contact_email: String,
}

/// Every known key, its default, and what it means (for `haowen admin settings`).
pub const KEYS: &[(&str, &str, &str)] = &[
    ("site_name", "好文", "站点名称 / site name"),
    (
        "site_description",
        "自媒体资讯平台：原创、深度、温度",
        "站点简介 / tagline",
    ),
    (
        "timezone",
        "Asia/Shanghai",
        "显示时区 (IANA) / display time zone",
    ),
    (
        "disclaimer_zh",
        "以上内容（如有图片或视频亦包括在内）为自媒体平台“好文号”用户上传并发布，本平台仅提供信息存储服务。",
        "特别声明（中文）",
    ),
    (
        "disclaimer_en",
        "Notice: The content above (including the pictures and videos if any) is uploaded and posted by a user of Haowen Hao, which is a social media platform and only provides information storage services.",
        "Disclaimer (English)",
    ),
    (
        "registration_info",
        "",
        "备案信息 / registration info (footer)",
    ),
    (
        "contact_email",
        "contact@example.com",
        "联系邮箱 / contact e-mail",
    ),
];

impl SiteSettings {
    /// Builds settings from stored pairs; missing keys take their defaults.
    pub fn from_pairs(pairs: &BTreeMap<String, String>) -> Self {
        let get = |key: &str| {
            pairs
                .get(key)
                .cloned()
                .unwrap_or_else(|| default_of(key).to_string())
        };
        SiteSettings {
            site_name: get("site_name"),
            site_description: get("site_description"),
            timezone: get("timezone"),
            disclaimer_zh: get("disclaimer_zh"),
            disclaimer_en: get("disclaimer_en"),
            registration_info: get("registration_info"),
            contact_email: get("contact_email"),
        }
    }

    /// The zone to show times in; an unknown zone falls back to Asia/Shanghai.
    pub fn zone(&self) -> chrono_tz::Tz {
        crate::time::parse_zone(&self.timezone).unwrap_or(crate::time::DEFAULT_ZONE)
    }
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self::from_pairs(&BTreeMap::new())
    }
}

fn default_of(key: &str) -> &'static str {
    KEYS.iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, d, _)| *d)
        .unwrap_or("")
}

/// Checks a value before it is stored; the message says what to fix.
pub fn validate(key: &str, value: &str) -> Result<(), String> {
    if !KEYS.iter().any(|(k, _, _)| *k == key) {
        let known: Vec<&str> = KEYS.iter().map(|(k, _, _)| *k).collect();
        return Err(format!(
            "unknown setting {key:?}; known settings: {}",
            known.join(", ")
        ));
    }
    match key {
        "timezone" if crate::time::parse_zone(value).is_none() => Err(format!(
            "{value:?} is not an IANA time zone (for example Asia/Shanghai or UTC)"
        )),
        "site_name" if value.trim().is_empty() => Err("site_name cannot be empty".into()),
        _ if value.chars().count() > 2000 => {
            Err(format!("{key} is too long (at most 2000 characters)"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_missing_keys() {
        let mut pairs = BTreeMap::new();
        pairs.insert("site_name".to_string(), "测试站".to_string());
        let s = SiteSettings::from_pairs(&pairs);
        assert_eq!(s.site_name, "测试站");
        assert_eq!(s.timezone, "Asia/Shanghai");
        assert!(s.disclaimer_zh.contains("仅提供信息存储服务"));
    }

    #[test]
    fn validation_explains() {
        assert!(
            validate("timezone", "Mars/Base")
                .unwrap_err()
                .contains("IANA")
        );
        assert!(
            validate("nope", "x")
                .unwrap_err()
                .contains("known settings")
        );
        assert!(validate("timezone", "UTC").is_ok());
    }
}
