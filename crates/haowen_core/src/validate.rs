//! Input rules shared by the importer and (later) the studio: parse, don't validate.

/// Longest title we accept, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest body we accept, in bytes (a long feature with images is well under this).
pub const MAX_BODY_BYTES: usize = 1_000_000;
/// Most tags per article.
pub const MAX_TAGS: usize = 20;

/// A title, trimmed and checked.
pub fn title(raw: &str) -> Result<String, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err("title is empty".into());
    }
    let n = t.chars().count();
    if n > MAX_TITLE_CHARS {
        return Err(format!(
            "title is {n} characters; at most {MAX_TITLE_CHARS} are allowed"
        ));
    }
    if t.chars().any(char::is_control) {
        return Err("title contains control characters".into());
    }
    Ok(t.to_string())
}

/// A body, checked for size.
pub fn body(raw: &str) -> Result<&str, String> {
    if raw.len() > MAX_BODY_BYTES {
        return Err(format!(
            "body is {} bytes; at most {MAX_BODY_BYTES} are allowed",
            raw.len()
        ));
    }
    Ok(raw)
}

/// Tags: trimmed, empty ones dropped, duplicates removed, count and length limited.
pub fn tags(raw: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for t in raw {
        let t = t.trim();
        if t.is_empty() || out.iter().any(|o| o == t) {
            continue;
        }
        if t.chars().count() > 30 {
            return Err(format!("tag {t:?} is longer than 30 characters"));
        }
        out.push(t.to_string());
    }
    if out.len() > MAX_TAGS {
        return Err(format!(
            "{} tags; at most {MAX_TAGS} are allowed",
            out.len()
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(title("  标题 ").as_deref(), Ok("标题"));
        assert!(title("   ").is_err());
        assert!(title(&"字".repeat(201)).is_err());
    }

    #[test]
    fn tags_dedupe() {
        let t = tags(&["a".into(), " a ".into(), "".into(), "b".into()]);
        assert_eq!(t, Ok(vec!["a".to_string(), "b".to_string()]));
    }
}
