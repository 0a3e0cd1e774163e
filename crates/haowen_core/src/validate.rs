//! Input rules shared by the importer and the studio: parse, don't validate. Each refusal is a
//! typed error — English `Display` for the CLI, `zh()` for forms — never matched by its text.

/// Longest title we accept, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest body we accept, in bytes (a long feature with images is well under this).
pub const MAX_BODY_BYTES: usize = 1_000_000;
/// Most tags per article.
pub const MAX_TAGS: usize = 20;

/// Why a title was refused. `Display` is English (the CLI and logs); [`TitleError::zh`] is what
/// a form shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TitleError {
    #[error("title is empty")]
    Empty,
    #[error("title is {chars} characters; at most {MAX_TITLE_CHARS} are allowed")]
    TooLong { chars: usize },
    #[error("title contains control characters")]
    ControlCharacter,
}

impl TitleError {
    /// The message a form shows next to the title.
    pub fn zh(&self) -> String {
        match self {
            TitleError::Empty => "请填写标题".into(),
            TitleError::TooLong { chars } => {
                format!("标题最多 {MAX_TITLE_CHARS} 个字，现在有 {chars} 个字")
            }
            TitleError::ControlCharacter => {
                "标题里有看不见的控制字符（如制表符、换行），请删去后再提交".into()
            }
        }
    }
}

/// A title, trimmed and checked.
pub fn title(raw: &str) -> Result<String, TitleError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(TitleError::Empty);
    }
    let n = t.chars().count();
    if n > MAX_TITLE_CHARS {
        return Err(TitleError::TooLong { chars: n });
    }
    if t.chars().any(char::is_control) {
        return Err(TitleError::ControlCharacter);
    }
    Ok(t.to_string())
}

/// A body longer than [`MAX_BODY_BYTES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("body is {bytes} bytes; at most {MAX_BODY_BYTES} are allowed")]
pub struct BodyTooLong {
    pub bytes: usize,
}

impl BodyTooLong {
    pub fn zh(&self) -> String {
        "正文太长了（最多约 100 万字节）".into()
    }
}

/// A body, checked for size.
pub fn body(raw: &str) -> Result<&str, BodyTooLong> {
    if raw.len() > MAX_BODY_BYTES {
        return Err(BodyTooLong { bytes: raw.len() });
    }
    Ok(raw)
}

/// Why a tag list was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    #[error("tag {0:?} is longer than {MAX_TAG_CHARS} characters")]
    TooLong(String),
    #[error("{0} tags; at most {MAX_TAGS} are allowed")]
    TooMany(usize),
}

impl TagError {
    pub fn zh(&self) -> String {
        match self {
            TagError::TooLong(t) => format!("标签“{t}”太长了：每个标签最多 {MAX_TAG_CHARS} 个字"),
            TagError::TooMany(n) => format!("标签最多 {MAX_TAGS} 个，现在有 {n} 个"),
        }
    }
}

/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 30;

/// Tags: trimmed, empty ones dropped, duplicates removed, count and length limited.
pub fn tags(raw: &[String]) -> Result<Vec<String>, TagError> {
    let mut out: Vec<String> = Vec::new();
    for t in raw {
        let t = t.trim();
        if t.is_empty() || out.iter().any(|o| o == t) {
            continue;
        }
        if t.chars().count() > MAX_TAG_CHARS {
            return Err(TagError::TooLong(t.to_string()));
        }
        out.push(t.to_string());
    }
    if out.len() > MAX_TAGS {
        return Err(TagError::TooMany(out.len()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(title("  标题 ").as_deref(), Ok("标题"));
        assert_eq!(title("   "), Err(TitleError::Empty));
        assert_eq!(
            title(&"字".repeat(201)),
            Err(TitleError::TooLong { chars: 201 })
        );
        assert_eq!(title("春耕\t开始"), Err(TitleError::ControlCharacter));
        assert!(TitleError::ControlCharacter.zh().contains("控制字符"));
    }

    #[test]
    fn tags_dedupe() {
        let t = tags(&["a".into(), " a ".into(), "".into(), "b".into()]);
        assert_eq!(t, Ok(vec!["a".to_string(), "b".to_string()]));
    }
}
