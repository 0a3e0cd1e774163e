//! One input line of `haowen import`: its JSON shape ([`Record`]) and its checks, turning it into
//! a [`Parsed`] article or a reason the line is refused (validation errors are typed in
//! `haowen_core::validate`; their English text goes into the CLI message).

use haowen_core::{plain_text, time, validate};
use serde::Deserialize;

use super::{UNKNOWN_SOURCE, UNLABELLED_CHANNEL};

/// One input line.
#[derive(Debug, Deserialize)]
struct Record {
    id: Option<serde_json::Value>,
    title: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    published_at: Option<serde_json::Value>,
    #[serde(default)]
    tags: Option<Vec<String>>,
    /// The cover: a path on this site (`/media/…`, files copied into DATA_DIR/media first).
    #[serde(default)]
    cover: Option<String>,
    /// Pictures of the article (paths on this site), shown after the text.
    #[serde(default)]
    images: Option<Vec<String>>,
}

/// A line, checked and converted; everything but the database ids.
pub(super) struct Parsed {
    pub(super) external_id: String,
    pub(super) title: String,
    pub(super) body_md: String,
    pub(super) channel: String,
    pub(super) source: String,
    pub(super) published_at: Option<i64>,
    pub(super) tags: Vec<String>,
    pub(super) cover: Option<String>,
    /// The title lost portal boilerplate (see clean.rs).
    pub(super) title_cleaned: bool,
    /// Paragraphs dropped for repeating the one before.
    pub(super) repeated_paragraphs: usize,
}

/// `zone`: the site's, for times written without an offset; `clean`: normalise the text
/// (clean.rs) rather than keep it exactly.
pub(super) fn parse(text: &str, zone: chrono_tz::Tz, clean: bool) -> Result<Parsed, String> {
    let rec: Record = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let external_id = match rec.id {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::String(_)) | None | Some(serde_json::Value::Null) => {
            return Err(
                "missing \"id\" (every article needs a stable id so re-imports update it)".into(),
            );
        }
        Some(other) => return Err(format!("\"id\" must be a string, not {other}")),
    };
    if external_id.chars().count() > 200 {
        return Err("\"id\" is longer than 200 characters".into());
    }
    let raw_title = rec.title.as_deref().unwrap_or("");
    let cleaned = if clean {
        super::clean::title(raw_title)
    } else {
        raw_title.to_string()
    };
    let title_cleaned = cleaned != raw_title.trim();
    let title = validate::title(&cleaned).map_err(|e| format!("\"title\": {e}"))?;
    let (body, repeated_paragraphs) = match rec.body.unwrap_or_default() {
        body if clean => super::clean::body(&body),
        body => (body, 0),
    };
    validate::body(&body).map_err(|e| format!("\"body\": {e}"))?;
    let published_at = match rec.published_at {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => None,
        Some(serde_json::Value::String(s)) => Some(time::parse_any(&s, zone).ok_or_else(|| {
            format!(
                "\"published_at\" {s:?} is not a time we read: RFC 3339 (2012-07-24T09:30:00+08:00), \
                 2012-07-24 09:30[:00] or 2012年7月24日 09:30 in the site's zone, or Unix seconds/ms"
            )
        })?),
        Some(serde_json::Value::Number(n)) => Some(
            n.as_i64()
                .and_then(|n| time::parse_any(&n.to_string(), zone))
                .ok_or_else(|| format!("\"published_at\" {n} is not Unix seconds or milliseconds"))?,
        ),
        Some(other) => return Err(format!("\"published_at\" must be a string or a number, not {other}")),
    };
    let tags =
        validate::tags(&rec.tags.unwrap_or_default()).map_err(|e| format!("\"tags\": {e}"))?;
    let channel = rec
        .channel
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let source = rec
        .source
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let channel = channel.unwrap_or_else(|| UNLABELLED_CHANNEL.to_string());
    if channel.chars().count() > 20 {
        return Err(format!(
            "\"channel\" {channel:?} is longer than 20 characters"
        ));
    }
    let source = source.unwrap_or_else(|| UNKNOWN_SOURCE.to_string());
    if source.chars().count() > 60 {
        return Err(format!(
            "\"source\" {source:?} is longer than 60 characters"
        ));
    }
    let site_path = |field: &str, p: &str| -> Result<String, String> {
        let p = p.trim();
        if p.starts_with('/') && !p.starts_with("//") && !p.contains(['"', '<', '>', ' ', '(', ')'])
        {
            Ok(p.to_string())
        } else {
            Err(format!(
                "\"{field}\" {p:?} must be a path on this site such as /media/2012/photo.jpg (copy the files into DATA_DIR/media)"
            ))
        }
    };
    let cover = match rec.cover.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(site_path("cover", c)?),
    };
    let (mut body_md, repeated_in_markdown) = match plain_text::to_markdown(&body) {
        md if clean => super::clean::markdown(&md),
        md => (md, 0),
    };
    let repeated_paragraphs = repeated_paragraphs + repeated_in_markdown;
    for src in rec.images.unwrap_or_default() {
        let src = site_path("images", &src)?;
        body_md.push_str(&format!("\n\n![{}]({src})", title.replace(['[', ']'], "")));
    }
    Ok(Parsed {
        external_id,
        title,
        body_md,
        cover,
        channel,
        source,
        published_at,
        tags,
        title_cleaned,
        repeated_paragraphs,
    })
}
