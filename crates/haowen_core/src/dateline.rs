//! News datelines: the source tag a wire or portal puts before the first sentence
//! (「新浪体育讯」, 「本报讯」, 「中新网3月5日电」, 「（中关村在线数码相机行情报道）」,
//! 「北京时间4月12日消息」). They name the desk that wrote the piece, so they leak the channel
//! (体育, 娱乐) into the text: an evaluation scored on the channel strips them first.
//!
//! Only the start of a body is touched, and only these shapes:
//! - a bracketed lead of at most [`MAX_BRACKETED`] characters (`【…】`, `（…）`, `(…)`, `[…]`);
//! - a tag of at most [`MAX_XUN_TAG`] characters ending in 讯 (新浪体育讯, 本报讯, 南都讯);
//! - a tag of at most [`MAX_DIAN_TAG`] characters ending in 电 that names a wire or paper
//!   (社, 网, 报, 台) or a date (3月5日电);
//! - 北京时间 with an optional date and 消息;
//!
//! repeated while one matches, with the punctuation and spaces between them.

/// Longest bracketed lead removed, in characters inside the brackets.
pub const MAX_BRACKETED: usize = 40;
/// Longest tag ending in 讯.
pub const MAX_XUN_TAG: usize = 12;
/// Longest tag ending in 电.
pub const MAX_DIAN_TAG: usize = 25;

fn is_gap(c: char) -> bool {
    c.is_whitespace() || matches!(c, '，' | ',' | '：' | ':' | '、' | '\u{3000}' | '·' | '⊙')
}

fn is_sentence_mark(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '！' | '？' | '；' | '：' | ',' | '.' | '!' | '?' | ';' | ':' | '“' | '”'
    )
}

fn closing(open: char) -> Option<char> {
    match open {
        '【' => Some('】'),
        '（' => Some('）'),
        '(' => Some(')'),
        '[' => Some(']'),
        '〔' => Some('〕'),
        _ => None,
    }
}

/// A bracketed lead: its length in characters, brackets included.
fn bracketed(chars: &[char]) -> Option<usize> {
    let close = closing(*chars.first()?)?;
    let end = chars
        .iter()
        .take(MAX_BRACKETED + 2)
        .position(|c| *c == close)?;
    Some(end + 1)
}

/// Whether `tag` holds a date such as 3月5日.
fn has_date(tag: &[char]) -> bool {
    tag.windows(2)
        .any(|w| w[0].is_ascii_digit() && w[1] == '月')
        && tag
            .windows(2)
            .any(|w| w[0].is_ascii_digit() && w[1] == '日')
}

/// A source tag ending in 讯 or 电: its length.
fn source_tag(chars: &[char]) -> Option<usize> {
    let limit = MAX_DIAN_TAG.min(chars.len());
    for (i, c) in chars.iter().take(limit).enumerate() {
        if is_sentence_mark(*c) || c.is_whitespace() {
            return None;
        }
        let tag = &chars[..i];
        let after = &chars[i + 1..];
        let next_is_break = after
            .first()
            .is_none_or(|n| is_gap(*n) || closing(*n).is_some() || n.is_ascii_digit())
            || after.starts_with(&['北', '京', '时', '间']);
        if *c == '讯' && i < MAX_XUN_TAG && i > 0 && next_is_break {
            return Some(i + 1);
        }
        if *c == '电'
            && i > 0
            && next_is_break
            && (tag.iter().any(|t| matches!(t, '社' | '网' | '报' | '台')) || has_date(tag))
        {
            return Some(i + 1);
        }
    }
    None
}

/// 北京时间, then an optional date (4月12日) and 消息: its length.
fn beijing_time(chars: &[char]) -> Option<usize> {
    const PREFIX: [char; 4] = ['北', '京', '时', '间'];
    if !chars.starts_with(&PREFIX) {
        return None;
    }
    let mut i = PREFIX.len();
    let date_end = chars
        .iter()
        .skip(i)
        .take(12)
        .position(|c| *c == '日')
        .map(|p| i + p + 1);
    if let Some(end) = date_end
        && chars[i..end - 1]
            .iter()
            .all(|c| c.is_ascii_digit() || matches!(c, '年' | '月'))
    {
        i = end;
    }
    if chars[i..].starts_with(&['消', '息']) {
        i += 2;
    }
    Some(i)
}

/// The body without its dateline, and whether one was removed.
pub fn strip(body: &str) -> (String, bool) {
    let chars: Vec<char> = body.chars().collect();
    let mut at = 0;
    let mut stripped = false;
    loop {
        while at < chars.len() && is_gap(chars[at]) {
            at += 1;
        }
        let rest = &chars[at..];
        let Some(len) = bracketed(rest)
            .or_else(|| source_tag(rest))
            .or_else(|| beijing_time(rest))
        else {
            break;
        };
        at += len;
        stripped = true;
    }
    if stripped {
        (chars[at..].iter().collect(), true)
    } else {
        (body.to_string(), false)
    }
}

#[cfg(test)]
mod tests {
    use super::strip;

    #[test]
    fn wire_and_portal_tags_go() {
        for (raw, want) in [
            ("新浪体育讯北京时间4月12日，湖人队赢了。", "湖人队赢了。"),
            (
                "新浪娱乐讯 据香港媒体报道，某明星……",
                "据香港媒体报道，某明星……",
            ),
            ("本报讯 (记者 吴倩) 股市昨日上涨。", "股市昨日上涨。"),
            (
                "南都讯\u{3000}记者刘凡\u{3000}继推出日票后，",
                "记者刘凡\u{3000}继推出日票后，",
            ),
            ("中新网3月5日电 据国家统计局消息，", "据国家统计局消息，"),
            ("新华社北京3月5日电（记者张三）今天上午，", "今天上午，"),
            ("7月26日电 据国家地震台网测定，", "据国家地震台网测定，"),
            (
                "（中关村在线数码相机行情报道）尼康新品上市。",
                "尼康新品上市。",
            ),
            ("【ZOL-七天在线 it7t】本周新品不少。", "本周新品不少。"),
            ("北京时间4月3日消息，火箭队……", "火箭队……"),
        ] {
            assert_eq!(strip(raw), (want.to_string(), true), "{raw}");
        }
    }

    #[test]
    fn ordinary_openings_stay() {
        for raw in [
            "今天全市停电，居民生活受到影响。",
            "电讯业巨头发布财报。",
            "记者走访了京城家居市场，发现价格上涨。",
            "11月5日起，《武林OL》隆重推出新版本。",
            "据新浪体育讯报道，比赛推迟。",
            "",
        ] {
            assert_eq!(strip(raw), (raw.to_string(), false), "{raw}");
        }
    }
}
