//! Plain text → Markdown paragraphs, for imported news whose bodies are bare text.
//!
//! Source texts break paragraphs with newlines or with the full-width indent `　　`; some are
//! one long line. We split on both, then cut any paragraph over [`LONG_PARAGRAPH`] characters at
//! a sentence end, so the page reads in paragraphs. Markdown syntax characters are escaped: the
//! text must show exactly as written, never become links, emphasis or HTML.

/// Paragraphs longer than this (in characters) are cut at a sentence end.
const LONG_PARAGRAPH: usize = 360;
/// … but never into pieces shorter than this.
const MIN_PIECE: usize = 120;

/// Converts plain text into Markdown whose rendering shows the same words in paragraphs.
pub fn to_markdown(text: &str) -> String {
    let mut paragraphs = Vec::new();
    for line in text.split(['\n', '\r']) {
        for part in line.split("　　") {
            let p = part.trim_matches(|c: char| c.is_whitespace());
            if p.is_empty() {
                continue;
            }
            paragraphs.extend(cut_long(p));
        }
    }
    paragraphs
        .iter()
        .map(|p| escape_markdown(p))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn cut_long(p: &str) -> Vec<String> {
    let chars: Vec<char> = p.chars().collect();
    if chars.len() <= LONG_PARAGRAPH {
        return vec![p.to_string()];
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let len = i + 1 - start;
        let closes = matches!(chars.get(i + 1), Some('”' | '」' | '’' | '）'));
        // A sentence ends at 。！？； unless a closing quote follows, in which case it ends
        // after the quote.
        let sentence_end = (matches!(c, '。' | '！' | '？' | '；') && !closes)
            || (matches!(c, '”' | '」') && i > 0 && matches!(chars[i - 1], '。' | '！' | '？'));
        if sentence_end && len >= MIN_PIECE.max(LONG_PARAGRAPH / 2) {
            out.push(chars[start..=i].iter().collect::<String>());
            start = i + 1;
        }
        i += 1;
    }
    if start < chars.len() {
        let tail: String = chars[start..].iter().collect();
        match out.last_mut() {
            Some(last) if tail.chars().count() < MIN_PIECE / 2 => last.push_str(&tail),
            _ => out.push(tail),
        }
    }
    out
}

/// Backslash-escapes what Markdown would otherwise interpret.
fn escape_markdown(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 8);
    // A paragraph that starts like a list item, heading or rule must not become one.
    let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
    let after_digits = p[digits.len()..].chars().next();
    let starts_block = matches!(p.chars().next(), Some('-' | '+' | '=' | '>' | '#'))
        || (!digits.is_empty() && matches!(after_digits, Some('.' | ')')));
    if starts_block && digits.is_empty() {
        out.push('\\');
    }
    for (i, c) in p.char_indices() {
        if !digits.is_empty() && starts_block && i == digits.len() {
            out.push('\\');
        }
        let special = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '|' | '~' | '&'
        );
        // The block-start character already got its backslash above.
        if special && !(starts_block && i == 0 && digits.is_empty()) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::render;

    #[test]
    fn newlines_and_fullwidth_indents_make_paragraphs() {
        let md = to_markdown("第一段。\n第二段。　　第三段。");
        assert_eq!(md, "第一段。\n\n第二段。\n\n第三段。");
        assert_eq!(render(&md).matches("<p>").count(), 3);
    }

    #[test]
    fn long_lines_are_cut_at_sentence_ends() {
        let sentence = "这是一个用来测试的句子，里面有一些文字。";
        let long = sentence.repeat(60);
        let md = to_markdown(&long);
        let paras: Vec<&str> = md.split("\n\n").collect();
        assert!(paras.len() > 2, "{}", paras.len());
        for p in &paras {
            assert!(p.ends_with('。'));
            assert!(p.chars().count() <= 400);
        }
        assert_eq!(paras.concat(), long);
    }

    #[test]
    fn markdown_syntax_shows_literally() {
        let md = to_markdown("1. 不是列表 *也不是强调* <b>x</b> [链接](http://a) # 号\n- 减号开头");
        let html = render(&md);
        assert!(
            !html.contains("<ol>") && !html.contains("<ul>") && !html.contains("<em>"),
            "{html}"
        );
        assert!(!html.contains("<a ") && !html.contains("<b>"), "{html}");
        assert!(
            html.contains("1. 不是列表 *也不是强调* &lt;b&gt;x&lt;/b&gt; [链接](http://a) # 号"),
            "{html}"
        );
        assert!(html.contains("- 减号开头"), "{html}");
    }
}
