//! Text normalisation shared by indexing, querying and highlighting: traditional characters to
//! simplified (fast2s, one character for one character), full-width ASCII to half-width, ASCII
//! to lower case. Every step maps one `char` to one `char`, so a character offset in the
//! normalised text is the same offset in the original — which is what keeps highlights right.

/// Characters whose simplified form depends on their neighbours in fast2s (乾隆 keeps 乾,
/// 看著 becomes 看着 …): these are converted with them, as fast2s does over a whole text.
const IN_CONTEXT: [char; 15] = [
    '兒', '覆', '夥', '藉', '瞭', '麽', '幺', '於', '乾', '著', '苧', '闔', '鍾', '讎', '畫',
];

/// fast2s converts characters of three UTF-8 bytes (U+0800 to U+FFFF) only.
const TABLE_FROM: u32 = 0x800;

/// Marks, in the table, a character converted with its neighbours ([`IN_CONTEXT`]); U+FFFF is
/// a noncharacter, and should a text hold one, converting it in context gives it back anyway.
const WITH_NEIGHBOURS: char = '\u{FFFF}';

/// fast2s's answer for each of those characters on its own, built once (a few milliseconds):
/// one table read per character instead of fast2s's hash lookups and string building, which
/// were a tenth of a search's CPU (search snippets normalise every result's text).
static SIMPLIFIED: std::sync::LazyLock<Box<[char]>> = std::sync::LazyLock::new(|| {
    (TABLE_FROM..=0xFFFF)
        .map(|u| match char::from_u32(u) {
            Some(c) if IN_CONTEXT.contains(&c) => WITH_NEIGHBOURS,
            Some(c) => fast2s::convert(c.encode_utf8(&mut [0; 4]))
                .chars()
                .next()
                .unwrap_or(c),
            None => '\u{FFFD}', // surrogates: never in a str
        })
        .collect()
});

/// One bit per character up to U+FFFF, set where [`normalize`] may give another character
/// (upper-case and full-width ASCII, traditional characters, those converted in context): 8 KB
/// that stay in the CPU's nearest cache, where the 250 KB table does not. Characters past
/// U+FFFF never change.
static CHANGES: std::sync::LazyLock<Box<[u64]>> = std::sync::LazyLock::new(|| {
    let table = &*SIMPLIFIED;
    let mut bits = vec![0u64; 0x1_0000 / 64].into_boxed_slice();
    for u in 0..=0xFFFFu32 {
        let Some(c) = char::from_u32(u) else { continue };
        let folded = fold_char(c);
        let f = folded as u32;
        let changes = folded != c
            || ((TABLE_FROM..=0xFFFF).contains(&f) && table[(f - TABLE_FROM) as usize] != c);
        if changes {
            bits[(u / 64) as usize] |= 1 << (u % 64);
        }
    }
    bits
});

/// Whether [`normalize`] keeps `c` as it is, whatever its neighbours.
#[inline]
fn unchanged(c: char, changes: &[u64]) -> bool {
    let u = c as u32;
    u > 0xFFFF || changes[(u / 64) as usize] & (1 << (u % 64)) == 0
}

/// Normalises `text`; the result has exactly as many `char`s as the input. Runs of characters
/// that stay as they are (nearly all of a simplified-Chinese text) are copied as bytes; only
/// the others are looked up.
pub fn normalize(text: &str) -> String {
    let (table, changes) = (&*SIMPLIFIED, &*CHANGES);
    let mut out = String::with_capacity(text.len());
    // Bytes of `text` before this are in `out`; the previous character, folded.
    let (mut copied, mut prev) = (0, '0');
    let mut chars = text.char_indices().peekable();
    while let Some((at, raw)) = chars.next() {
        if unchanged(raw, changes) {
            prev = raw;
            continue;
        }
        out.push_str(&text[copied..at]);
        copied = at + raw.len_utf8();
        let c = fold_char(raw);
        let u = c as u32;
        let simplified = if !(TABLE_FROM..=0xFFFF).contains(&u) {
            c
        } else {
            match table[(u - TABLE_FROM) as usize] {
                WITH_NEIGHBOURS => {
                    let next = chars.peek().map_or('0', |&(_, n)| fold_char(n));
                    let window: String = [prev, c, next].iter().collect();
                    fast2s::convert(&window).chars().nth(1).unwrap_or(c)
                }
                simple => simple,
            }
        };
        out.push(simplified);
        prev = c;
    }
    out.push_str(&text[copied..]);
    out
}

/// Full-width ASCII (！ to ～, and the ideographic space) to half-width; ASCII to lower case.
fn fold_char(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Whether `c` is written without spaces between words (Han, kana, Hangul …): such runs are
/// cut into bigrams and characters rather than words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F
        | 0x3040..=0x30FF | 0xAC00..=0xD7AF)
}

/// Removes whitespace that sits between two CJK characters ("数字 经济" → "数字经济"), as
/// readers type it but the text does not have it.
pub fn join_cjk(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let before = chars[..i].iter().rev().find(|c| !c.is_whitespace());
            let after = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if before.is_some_and(|c| is_cjk(*c)) && after.is_some_and(|c| is_cjk(*c)) {
                continue;
            }
        }
        out.push(*c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_full_width_and_case_fold_one_char_each() {
        assert_eq!(normalize("中國農業發展銀行"), "中国农业发展银行");
        assert_eq!(normalize("ＡＢＣ１２３　ｉＰｈｏｎｅ"), "abc123 iphone");
        assert_eq!(normalize("湖人隊季後賽"), "湖人队季后赛");
        for s in ["中國農業發展銀行ＡＢＣ", "簡單安裝 Test，測試工具箱！", ""]
        {
            assert_eq!(normalize(s).chars().count(), s.chars().count());
        }
    }

    /// Normalisation one character at a time through the table (before runs were copied).
    fn normalize_char_by_char(text: &str) -> String {
        let table = &*SIMPLIFIED;
        let mut out = String::new();
        let mut prev = '0';
        let mut folded = text.chars().map(fold_char).peekable();
        while let Some(c) = folded.next() {
            let u = c as u32;
            out.push(if !(TABLE_FROM..=0xFFFF).contains(&u) {
                c
            } else {
                match table[(u - TABLE_FROM) as usize] {
                    WITH_NEIGHBOURS => {
                        let next = folded.peek().copied().unwrap_or('0');
                        let window: String = [prev, c, next].iter().collect();
                        fast2s::convert(&window).chars().nth(1).unwrap_or(c)
                    }
                    simple => simple,
                }
            });
            prev = c;
        }
        out
    }

    #[test]
    fn copying_unchanged_runs_gives_what_the_table_gives_char_by_char() {
        let every: String = (0u32..=0x1_0000).filter_map(char::from_u32).collect();
        assert_eq!(normalize(&every), normalize_char_by_char(&every));
        // Every character between every pair of a few (context characters, full-width, upper
        // case, traditional, plain).
        let some = [
            '乾', '隆', '著', 'Ａ', 'Ｂ', 'A', 'a', '國', '国', '　', ' ', '𠀀', 'é',
        ];
        for a in some {
            for b in some {
                for c in some {
                    let s: String = [a, b, c, a].iter().collect();
                    assert_eq!(normalize(&s), normalize_char_by_char(&s), "{s}");
                }
            }
        }
    }

    /// Normalisation as first written: fast2s over the whole folded text.
    fn normalize_with_fast2s(text: &str) -> String {
        fast2s::convert(&text.chars().map(fold_char).collect::<String>())
    }

    #[test]
    fn the_table_gives_what_fast2s_gives_over_the_whole_text() {
        let every: String = (0u32..=0x1_0000).filter_map(char::from_u32).collect();
        assert_eq!(normalize(&every), normalize_with_fast2s(&every));
        for s in [
            "乾隆年間乾坤乾淨",
            "看著計畫企畫畫家",
            "慰藉藉口憑藉狼藉",
            "回覆答覆覆蓋",
            "乾",
            "著",
            "畫畫",
            "闔家闔上",
            "鍾書鍾愛",
            "校讎讎定仇讎",
            "苧麻苧",
            "兒寬兒子",
            "ＡＢＣ乾隆",
            "瞭望瞭解",
            "幺麽麽",
            "樊於期於是",
            "甚夥夥伴",
            "𠀀乾隆𠀀",
        ] {
            assert_eq!(normalize(s), normalize_with_fast2s(s), "{s}");
        }
    }

    #[test]
    fn spaces_between_cjk_characters_go() {
        assert_eq!(join_cjk("数字 经济"), "数字经济");
        assert_eq!(join_cjk("iphone 手机"), "iphone 手机");
        assert_eq!(join_cjk("NBA 湖人 vs 勇士"), "NBA 湖人 vs 勇士");
        assert_eq!(join_cjk("湖人  勇士"), "湖人勇士");
    }
}
