//! Highlights: where the query's terms occur in a text, as character ranges of the original
//! text (normalisation maps one character to one, so ranges found in the normalised text hold
//! in the original), and a snippet of a long text around the first match.

use std::ops::Range;

use crate::{analysis::query_words, normalize::normalize, search::QueryTerm};

/// What to mark for these terms: each term, and for unquoted terms also their words of two or
/// more characters (a term may match through its words rather than as a whole).
pub fn needles(terms: &[QueryTerm]) -> Vec<Vec<char>> {
    let mut out: Vec<Vec<char>> = Vec::new();
    for t in terms {
        out.push(t.text.chars().collect());
        if !t.phrase {
            out.extend(
                query_words(&t.text)
                    .into_iter()
                    .filter(|w| w.chars().count() >= 2)
                    .map(|w| w.chars().collect()),
            );
        }
    }
    out.retain(|n| !n.is_empty());
    out.sort_by_key(|n| std::cmp::Reverse(n.len()));
    out.dedup();
    out
}

/// Character ranges of `text` to mark, sorted and merged.
pub fn ranges(text: &str, needles: &[Vec<char>]) -> Vec<Range<usize>> {
    let hay: Vec<char> = normalize(text).chars().collect();
    let mut marked = vec![false; hay.len()];
    for n in needles {
        if n.len() > hay.len() {
            continue;
        }
        for start in 0..=hay.len() - n.len() {
            if hay[start..start + n.len()] == n[..] {
                marked[start..start + n.len()]
                    .iter_mut()
                    .for_each(|m| *m = true);
            }
        }
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, m) in marked.iter().enumerate() {
        if !*m {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.end == i => last.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// Characters normalised at a time while looking for the first match.
const BLOCK: usize = 256;

/// The character offset of the first match in `text`. The text is normalised a block at a time
/// (with a needle's length of overlap) and searched as a string, so a match near the start —
/// the usual case — costs a block, not the whole text.
fn first_match(text: &str, bounds: &[usize], needles: &[Vec<char>]) -> Option<usize> {
    let needles: Vec<String> = needles
        .iter()
        .filter(|n| !n.is_empty())
        .map(|n| n.iter().collect())
        .collect();
    let reach = needles.iter().map(|n| n.chars().count()).max()? - 1;
    let chars = bounds.len() - 1;
    let mut at = 0;
    while at < chars {
        let hi = (at + BLOCK + reach).min(chars);
        let hay = normalize(&text[bounds[at]..bounds[hi]]);
        // A match starting in the overlap is taken only at the end of the text: the next
        // block may hold a longer needle starting earlier.
        let last = hi == chars;
        let found = needles
            .iter()
            .filter_map(|n| hay.find(n.as_str()))
            .map(|b| hay[..b].chars().count())
            .filter(|p| last || *p < BLOCK)
            .min();
        if let Some(p) = found {
            return Some(at + p);
        }
        at += BLOCK;
    }
    None
}

/// The byte offset of each character of `text`, and of its end.
fn char_bounds(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .collect()
}

/// A window of about `width` characters of `text` around its first match, with the ranges
/// inside it (relative to the returned text, which starts with "…" when cut at the front).
pub fn snippet(text: &str, needles: &[Vec<char>], width: usize) -> (String, Vec<Range<usize>>) {
    let bounds = char_bounds(text);
    // The byte offset of character `k` (the end when `k` is past it).
    let byte_at = |k: usize| bounds[k.min(bounds.len() - 1)];
    let start = match first_match(text, &bounds, needles) {
        Some(s) if s > width / 4 => s - width / 4,
        _ => 0,
    };
    let (start_b, end_b) = (byte_at(start), byte_at(start + width));
    let end = (start + width).min(bounds.len() - 1);
    let mut out: String = String::new();
    let shift = if start > 0 {
        out.push('…');
        1
    } else {
        0
    };
    out.push_str(&text[start_b..end_b]);
    if end_b < text.len() {
        out.push('…');
    }
    // Marks that touch the window, cut at its edges: only the window and a needle's length
    // either side is looked at.
    let reach = needles.iter().map(Vec::len).max().unwrap_or(1).max(1) - 1;
    let lo = start.saturating_sub(reach);
    let around = &text[byte_at(lo)..byte_at(end + reach)];
    let inside = ranges(around, needles)
        .into_iter()
        .map(|r| (r.start + lo)..(r.end + lo))
        .filter(|r| r.start < end && r.end > start)
        .map(|r| (r.start.max(start) - start + shift)..(r.end.min(end) - start + shift))
        .collect();
    (out, inside)
}

/// HTML with the ranges wrapped in `<mark>`, everything escaped.
pub fn to_html(text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 13);
    let mut open = false;
    for (i, c) in text.chars().enumerate() {
        let inside = ranges.iter().any(|r| r.contains(&i));
        if inside && !open {
            out.push_str("<mark>");
            open = true;
        } else if !inside && open {
            out.push_str("</mark>");
            open = false;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse_terms;

    fn marked(text: &str, query: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        ranges(text, &needles(&parse_terms(query)))
            .into_iter()
            .map(|r| chars[r].iter().collect())
            .collect()
    }

    #[test]
    fn ranges_are_character_offsets_of_the_original_text() {
        assert_eq!(marked("安装简单，使用方便", "简单"), ["简单"]);
        // A traditional-character text, a simplified query: the original characters are marked.
        assert_eq!(marked("中國農業發展銀行今日公告", "农业"), ["農業"]);
        // Full-width letters in the text.
        assert_eq!(marked("新款ＩＰＨＯＮＥ发布", "iphone"), ["ＩＰＨＯＮＥ"]);
        let text = "测试工具箱里有工具";
        let r = ranges(text, &needles(&parse_terms("工具")));
        assert_eq!(r, vec![2..4, 7..9]);
        assert!(marked("无关内容", "湖人").is_empty());
    }

    #[test]
    fn snippets_center_on_the_first_match_and_keep_ranges_right() {
        let text = format!("{}湖人队晋级{}", "开头".repeat(40), "结尾".repeat(40));
        let (snip, r) = snippet(&text, &needles(&parse_terms("湖人")), 40);
        assert!(snip.starts_with('…') && snip.ends_with('…'));
        let chars: Vec<char> = snip.chars().collect();
        assert_eq!(chars[r[0].clone()].iter().collect::<String>(), "湖人");
    }

    /// The snippet as first written: every range of the whole text, then the window.
    fn snippet_from_all_ranges(
        text: &str,
        needles: &[Vec<char>],
        width: usize,
    ) -> (String, Vec<Range<usize>>) {
        let chars: Vec<char> = text.chars().collect();
        let all = ranges(text, needles);
        let start = match all.first() {
            Some(r) if r.start > width / 4 => r.start - width / 4,
            _ => 0,
        };
        let end = (start + width).min(chars.len());
        let shift = usize::from(start > 0);
        let mut out: String = if start > 0 {
            "…".into()
        } else {
            String::new()
        };
        out.extend(&chars[start..end]);
        if end < chars.len() {
            out.push('…');
        }
        let inside = all
            .into_iter()
            .filter(|r| r.start < end && r.end > start)
            .map(|r| (r.start.max(start) - start + shift)..(r.end.min(end) - start + shift))
            .collect();
        (out, inside)
    }

    #[test]
    fn snippets_read_block_by_block_match_the_whole_text_reading() {
        let marks = needles(&parse_terms("\"中国农业发展\" 农业 湖人"));
        let filler = |n: usize| "开头文字".chars().cycle().take(n).collect::<String>();
        let mut texts = vec![String::new(), filler(3000), "湖人".into()];
        for at in [0, 1, 200, 254, 255, 256, 257, 300, 511, 512, 2_000, 2_999] {
            texts.push(format!("{}湖人队{}", filler(at), filler(400)));
            // Traditional characters, a longer needle starting before a shorter one, a match
            // across a block edge.
            texts.push(format!("{}中國農業發展銀行{}湖人", filler(at), filler(3)));
            texts.push(format!("{}中国农业发展{}", filler(at), filler(at)));
            texts.push(format!(
                "{}湖人{}湖人{}",
                filler(at),
                filler(100),
                filler(at)
            ));
        }
        for text in &texts {
            for width in [40, 120] {
                assert_eq!(
                    snippet(text, &marks, width),
                    snippet_from_all_ranges(text, &marks, width),
                    "{} characters, width {width}",
                    text.chars().count()
                );
            }
        }
    }

    #[test]
    fn html_is_escaped_and_marked() {
        assert_eq!(
            to_html("<b>湖人</b>", std::slice::from_ref(&(3..5))),
            "&lt;b&gt;<mark>湖人</mark>&lt;/b&gt;"
        );
    }
}
