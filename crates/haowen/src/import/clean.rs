//! Normalising imported text (on by default; `haowen import --no-clean` keeps it exactly):
//! portal boilerplate cut from titles, a paragraph printed twice in a row kept once, runs of
//! spaces collapsed. Only the importer calls this: what a creator writes in the studio is never
//! changed.
//!
//! Titles of real archives carry the portal's marks: picture notes (`(图)`, `(组图)`, a leading
//! `组图：`), column marks and what follows them (`■ 今日视点`, `□晚报`), bylines and leads run into
//! the title (`作者：彭鑫…`, `导读：…`), a cut-off bracket at the end (`【青`), an unclosed
//! `(blog`, or an English tag glued on (`Comment`).

/// Leading marks dropped from titles.
const PREFIXES: &[&str] = &["组图：", "组图:", "图文：", "图文:", "图片：", "高清组图："];
/// Trailing notes dropped from titles.
const SUFFIXES: &[&str] = &[
    "(图)",
    "（图）",
    "(组图)",
    "（组图）",
    "(附图)",
    "（附图）",
    "(图文)",
    "（图文）",
    "(多图)",
    "（多图）",
    "Comment",
    "comment",
];
/// Marks after which the rest of a title is a column name, a byline or a lead.
const CUT_AT: &[&str] = &["■", "□", "作者：", "作者:", "导读：", "导读:"];
/// A title is never cut shorter than this (characters): better a mark than a stump.
const MIN_TITLE: usize = 4;

/// The title without portal boilerplate (unchanged when nothing matched).
pub fn title(raw: &str) -> String {
    let mut t = raw.trim().to_string();
    loop {
        let before = t.clone();
        for p in PREFIXES {
            if let Some(rest) = t.strip_prefix(p) {
                t = rest.trim_start().to_string();
            }
        }
        for mark in CUT_AT {
            if let Some(at) = t.find(mark) {
                let head = t[..at].trim_end();
                if head.chars().count() >= MIN_TITLE {
                    t = head.to_string();
                }
            }
        }
        for s in SUFFIXES {
            if let Some(rest) = t.strip_suffix(s) {
                t = rest.trim_end().to_string();
            }
        }
        // An opening bracket the title never closes: the rest was cut off.
        for (open, close) in [('【', '】'), ('(', ')'), ('（', '）'), ('[', ']')] {
            if let Some(at) = t.rfind(open)
                && !t[at..].contains(close)
                && t[..at].chars().count() >= MIN_TITLE
            {
                t = t[..at].trim_end().to_string();
            }
        }
        // A newspaper's dateline left at the end after a space (「… 南方日报讯」).
        if let Some((head, last)) = t.rsplit_once(' ')
            && last.ends_with('讯')
            && last.chars().count() <= 8
            && head.chars().count() >= MIN_TITLE
        {
            t = head.trim_end().to_string();
        }
        t = t
            .trim_end_matches(['■', '□', '【', '|', '｜', '-', '—', '：', ':'])
            .trim()
            .to_string();
        if t == before {
            break;
        }
    }
    if t.chars().count() >= MIN_TITLE || t.chars().count() >= raw.trim().chars().count() {
        t
    } else {
        raw.trim().to_string()
    }
}

/// The body with runs of spaces collapsed and any paragraph that repeats the one before it
/// dropped; returns it and how many paragraphs were dropped.
pub fn body(raw: &str) -> (String, usize) {
    let mut out: Vec<String> = Vec::new();
    let mut dropped = 0;
    for line in raw.lines() {
        let mut p = String::with_capacity(line.len());
        let mut space = false;
        for c in line.trim().chars() {
            if c.is_whitespace() && c != '\u{3000}' {
                if !space {
                    p.push(' ');
                }
                space = true;
            } else {
                p.push(c);
                space = false;
            }
        }
        // A paragraph printed twice without a break between the copies.
        let chars: Vec<char> = p.chars().collect();
        let half = chars.len() / 2;
        if half >= 10 && chars.len().is_multiple_of(2) && chars[..half] == chars[half..] {
            p = chars[..half].iter().collect();
            dropped += 1;
        }
        let same = out
            .iter()
            .rev()
            .find(|q| !q.is_empty())
            .is_some_and(|q| !p.is_empty() && *q == p);
        if same {
            dropped += 1;
            continue;
        }
        out.push(p);
    }
    (out.join("\n"), dropped)
}

/// Markdown with any paragraph that repeats the one before it dropped; returns it and how many
/// were dropped (the plain-text converter cuts long paragraphs at sentence ends, which can
/// leave two copies of a doubled paragraph side by side).
pub fn markdown(md: &str) -> (String, usize) {
    let mut out: Vec<&str> = Vec::new();
    let mut dropped = 0;
    for p in md.split("\n\n") {
        if out
            .last()
            .is_some_and(|q| q.trim() == p.trim() && !p.trim().is_empty())
        {
            dropped += 1;
        } else {
            out.push(p);
        }
    }
    (out.join("\n\n"), dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_titles_the_issue_names_come_out_clean() {
        assert_eq!(
            title("基金营销迎来变革机遇■ 今日视点Comment□"),
            "基金营销迎来变革机遇"
        );
        assert_eq!(
            title("地产交易活跃家装市场淡季不淡【"),
            "地产交易活跃家装市场淡季不淡"
        );
        assert_eq!(
            title("应对大学英语四级考试五绝招：想不考高分都难作者：彭鑫本以为"),
            "应对大学英语四级考试五绝招：想不考高分都难"
        );
        assert_eq!(title("孙占军：低调的大手笔□"), "孙占军：低调的大手笔");
        assert_eq!(
            title("河南规定商品房预售款将由银行监管□晚报"),
            "河南规定商品房预售款将由银行监管"
        );
        assert_eq!(
            title("组图：房地产美女老总搭配真人秀"),
            "房地产美女老总搭配真人秀"
        );
        assert_eq!(
            title("莫少聪低调接演动作新片 京郊秘密骑马练功(图)"),
            "莫少聪低调接演动作新片 京郊秘密骑马练功"
        );
        assert_eq!(
            title("柳云龙范冰冰飚才艺 献演穿越版笑傲江湖(组图)"),
            "柳云龙范冰冰飚才艺 献演穿越版笑傲江湖"
        );
        assert_eq!(
            title("青龙真情期盼您的回归中国首款魔指族专属养宠RPG手机网游【青"),
            "青龙真情期盼您的回归中国首款魔指族专属养宠RPG手机网游"
        );
        assert_eq!(
            title("第80届奥斯卡提名预测：《老无所依》笑傲江湖毕成功(blog"),
            "第80届奥斯卡提名预测：《老无所依》笑傲江湖毕成功"
        );
        assert_eq!(
            title("组图：问题身材大胆穿出比基尼导读：夏日海滩"),
            "问题身材大胆穿出比基尼"
        );
        assert_eq!(
            title("老百姓好买奢侈品不好买房 南方日报讯("),
            "老百姓好买奢侈品不好买房"
        );
        assert_eq!(
            title("部分货基近期遭遇净赎回信息时报讯 ("),
            "部分货基近期遭遇净赎回信息时报讯"
        );
    }

    #[test]
    fn clean_titles_are_left_alone() {
        for t in [
            "QDII今年来大幅跑输A股基金",
            "谭耀文《Mr.Right》亮相香港亚洲电影节",
            "“放养”or“圈养”：中国虎妈有话说",
            "独到风格的香奈儿外套【左】当红时尚偶像Alexa",
            "图",
            "APS-C规格单反旗舰 佳能7D单机跌破万元",
        ] {
            assert_eq!(title(t), t);
        }
    }

    #[test]
    fn a_paragraph_doubled_on_one_line_is_kept_once() {
        let once = "据英国《每日邮报》6月28日报道，一只猫整天都一脸生气。它平时不喜欢噪音。";
        let (b, n) = body(&format!("{once}{once}"));
        assert_eq!((b.as_str(), n), (once, 1));
        let (b, n) = markdown(&format!("{once}\n\n{once}\n\n另一段。"));
        assert_eq!((b, n), (format!("{once}\n\n另一段。"), 1));
    }

    #[test]
    fn a_paragraph_printed_twice_is_kept_once() {
        let (b, n) = body("第一段。\n\n第一段。\n第二段  有   空格。\n第二段 有 空格。\n第三段。");
        assert_eq!(b, "第一段。\n\n第二段 有 空格。\n第三段。");
        assert_eq!(n, 2);
        let (same, none) = body("甲。\n乙。\n甲。");
        assert_eq!(
            (same.as_str(), none),
            ("甲。\n乙。\n甲。", 0),
            "only in a row"
        );
    }
}
