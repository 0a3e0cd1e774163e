//! Text normalisation shared by indexing, querying and highlighting: traditional characters to
//! simplified (fast2s, one character for one character), full-width ASCII to half-width, ASCII
//! to lower case. Every step maps one `char` to one `char`, so a character offset in the
//! normalised text is the same offset in the original — which is what keeps highlights right.

/// Normalises `text`; the result has exactly as many `char`s as the input.
pub fn normalize(text: &str) -> String {
    let folded: String = text.chars().map(fold_char).collect();
    let simplified = fast2s::convert(&folded);
    if simplified.chars().count() == folded.chars().count() {
        simplified
    } else {
        // Never expected (fast2s maps char to char), but offsets must hold whatever happens.
        folded
            .chars()
            .map(|c| {
                fast2s::convert(c.encode_utf8(&mut [0; 4]))
                    .chars()
                    .next()
                    .unwrap_or(c)
            })
            .collect()
    }
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

    #[test]
    fn spaces_between_cjk_characters_go() {
        assert_eq!(join_cjk("数字 经济"), "数字经济");
        assert_eq!(join_cjk("iphone 手机"), "iphone 手机");
        assert_eq!(join_cjk("NBA 湖人 vs 勇士"), "NBA 湖人 vs 勇士");
        assert_eq!(join_cjk("湖人  勇士"), "湖人勇士");
    }
}
