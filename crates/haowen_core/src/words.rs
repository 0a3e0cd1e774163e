//! The sensitive-word filter: finds an admin-edited list of words in comment text.
//!
//! Matching runs an Aho–Corasick automaton (one pass over the text, whatever the list size) over
//! a folded copy of the text: lower case, full-width ASCII to half-width, and with spaces and
//! the punctuation people slip between characters (`敏 感`, `敏*感`, `敏.感`) removed, so such
//! tricks do not get a word past the list. Words are folded the same way when the list is built.

use aho_corasick::{AhoCorasick, MatchKind};

/// Longest word accepted into the list, in characters.
pub const MAX_WORD_CHARS: usize = 40;
/// Most words in the list.
pub const MAX_WORDS: usize = 20_000;

/// A compiled word list.
#[derive(Debug, Clone)]
pub struct WordFilter {
    words: Vec<String>,
    automaton: Option<AhoCorasick>,
}

impl Default for WordFilter {
    fn default() -> Self {
        WordFilter::new(Vec::<String>::new())
    }
}

/// Characters dropped before matching: whitespace and the separators used to split a word.
fn is_filler(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(
            c,
            '，' | '。'
                | '、'
                | '·'
                | '・'
                | '－'
                | '—'
                | '…'
                | '～'
                | '＊'
                | '！'
                | '？'
                | '\u{200b}'
                | '\u{200c}'
                | '\u{200d}'
                | '\u{feff}'
        )
}

/// Full-width ASCII (！ to ～) to half-width, then lower case.
fn fold_char(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    c.to_lowercase().next().unwrap_or(c)
}

/// The text as the automaton sees it.
pub fn fold(text: &str) -> String {
    text.chars()
        .map(fold_char)
        .filter(|c| !is_filler(*c))
        .collect()
}

impl WordFilter {
    /// Builds the filter; empty words (after folding) are skipped.
    pub fn new<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> WordFilter {
        let mut folded: Vec<String> = words
            .into_iter()
            .map(|w| fold(w.as_ref()))
            .filter(|w| !w.is_empty())
            .collect();
        folded.sort();
        folded.dedup();
        let automaton = if folded.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&folded)
                .ok()
        };
        WordFilter {
            words: folded,
            automaton,
        }
    }

    /// The listed words found in `text` (folded form, each once, in list order).
    pub fn find(&self, text: &str) -> Vec<String> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let hay = fold(text);
        let mut hits: Vec<usize> = ac.find_iter(&hay).map(|m| m.pattern().as_usize()).collect();
        hits.sort_unstable();
        hits.dedup();
        hits.into_iter().map(|i| self.words[i].clone()).collect()
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Parses the admin's list (one word per line; blank lines and `#` comments skipped). Errors
/// name the line.
pub fn parse_list(raw: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        let w = line.trim();
        if w.is_empty() || w.starts_with('#') {
            continue;
        }
        let n = w.chars().count();
        if n > MAX_WORD_CHARS {
            return Err(format!(
                "第 {} 行太长（{n} 个字）：每个词最多 {MAX_WORD_CHARS} 个字。",
                i + 1
            ));
        }
        if fold(w).is_empty() {
            return Err(format!("第 {} 行只有标点或空白，无法匹配任何内容。", i + 1));
        }
        if !out.iter().any(|o: &String| o == w) {
            out.push(w.to_string());
        }
    }
    if out.len() > MAX_WORDS {
        return Err(format!("词表有 {} 个词，最多 {MAX_WORDS} 个。", out.len()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_words_through_spacing_width_and_case_tricks() {
        let f = WordFilter::new(["赌博", "SPAM链接", "代开发票"]);
        assert_eq!(f.find("这里有赌博网站"), vec!["赌博"]);
        assert_eq!(f.find("赌 博"), vec!["赌博"]);
        assert_eq!(f.find("赌*博，赌.博"), vec!["赌博"]);
        assert_eq!(f.find("ＳＰＡＭ链接"), vec!["spam链接"]);
        assert_eq!(f.find("代开 发票 和 赌博"), vec!["代开发票", "赌博"]);
        assert!(f.find("今天天气很好，比赛很精彩").is_empty());
    }

    #[test]
    fn empty_list_matches_nothing() {
        let f = WordFilter::default();
        assert!(f.is_empty());
        assert!(f.find("任何内容").is_empty());
    }

    #[test]
    fn list_parsing_names_the_bad_line() {
        assert_eq!(
            parse_list("赌博\n\n# 注释\n 发票 \n赌博").ok(),
            Some(vec!["赌博".to_string(), "发票".to_string()])
        );
        let long = "长".repeat(41);
        let err = parse_list(&format!("好\n{long}")).err().unwrap_or_default();
        assert!(err.starts_with("第 2 行太长"), "{err}");
        let err = parse_list("好\n*** ").err().unwrap_or_default();
        assert!(err.starts_with("第 2 行只有标点"), "{err}");
    }
}
