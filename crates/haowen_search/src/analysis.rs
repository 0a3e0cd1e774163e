//! Tokenizers and text analysis over normalised text (see [`crate::normalize`]).
//!
//! Three views of the same text go into the index:
//! - **words**: jieba in search mode (`中华人民共和国` also yields `中华`, `人民`, `共和国` …) —
//!   what ranking is good at;
//! - **bigrams**: every pair of adjacent CJK characters, ASCII words whole, with positions — so a
//!   word inside a longer word is always found (`简单` in `安装简单`, `工具` in `测试工具箱`)
//!   and phrases are exact;
//!
//! One-character queries are a prefix lookup: every character begins an indexed term (a bigram,
//! or the character itself at the end of a run), so no separate character field is indexed.

use std::sync::LazyLock;

use jieba_rs::{Jieba, KeywordExtract, TfIdf, TokenizeMode};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::normalize::is_cjk;

/// One dictionary for the whole process (it is ~50 MB in memory).
pub static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);
static TFIDF: LazyLock<TfIdf> = LazyLock::new(TfIdf::default);

/// Loads the dictionaries now. Each loads on first use otherwise — ~0.3 s, inside the first
/// request that segments text (the first article render after a start: its related list), on a
/// runtime worker, stalling every request queued behind it. `serve` calls this on a thread of
/// its own as it starts.
pub fn warm_up() {
    LazyLock::force(&JIEBA);
    LazyLock::force(&TFIDF);
}

pub const WORDS: &str = "hw_words";
pub const BIGRAMS: &str = "hw_bigrams";

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// A piece of text: a CJK run, an ASCII word, or something to skip.
#[derive(Debug, PartialEq, Eq)]
enum Run {
    Cjk,
    Word,
    Other,
}

fn run_of(c: char) -> Run {
    if is_cjk(c) {
        Run::Cjk
    } else if is_word_char(c) {
        Run::Word
    } else {
        Run::Other
    }
}

/// (kind, byte start, byte end, the chars with their byte offsets).
type Span = (Run, usize, usize, Vec<(usize, char)>);

/// Splits text into runs.
fn runs(text: &str) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for (i, c) in text.char_indices() {
        let kind = run_of(c);
        match out.last_mut() {
            Some(last) if last.0 == kind && kind != Run::Other => {
                last.2 = i + c.len_utf8();
                last.3.push((i, c));
            }
            _ => out.push((kind, i, i + c.len_utf8(), vec![(i, c)])),
        }
    }
    out.retain(|r| r.0 != Run::Other);
    out
}

/// The bigram view of `text` as tokens (also used to build phrase queries).
pub fn bigram_tokens(text: &str) -> Vec<Token> {
    bigrams(text, false)
}

/// The bigram view as indexed: also the last character of each CJK run, at the position of the
/// run's last bigram. Every occurrence of a character then begins some indexed term (a bigram,
/// or that last character), so a one-character query is a prefix lookup on the term dictionary.
pub fn bigram_index_tokens(text: &str) -> Vec<Token> {
    bigrams(text, true)
}

fn bigrams(text: &str, run_ends: bool) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut position = 0;
    let mut push = |from: usize, to: usize, text: String, advance: bool| {
        tokens.push(Token {
            offset_from: from,
            offset_to: to,
            position: if advance { position } else { position - 1 },
            text,
            position_length: 1,
        });
        if advance {
            position += 1;
        }
    };
    for (kind, from, to, chars) in runs(text) {
        match kind {
            Run::Word => push(from, to, text[from..to].to_ascii_lowercase(), true),
            Run::Cjk if chars.len() == 1 => push(from, to, chars[0].1.to_string(), true),
            Run::Cjk => {
                for pair in chars.windows(2) {
                    let (a, b) = (pair[0], pair[1]);
                    // Two pushes, not `format!`: the formatting machinery was 3 % of an
                    // import's CPU, on the indexing thread that bounds it.
                    let mut two = String::with_capacity(a.1.len_utf8() + b.1.len_utf8());
                    two.push(a.1);
                    two.push(b.1);
                    push(a.0, b.0 + b.1.len_utf8(), two, true);
                }
                if run_ends && let Some((at, c)) = chars.last() {
                    push(*at, at + c.len_utf8(), c.to_string(), false);
                }
            }
            Run::Other => {}
        }
    }
    tokens
}

/// The word view: jieba search mode; tokens without a letter or digit are dropped.
pub fn word_tokens(text: &str) -> Vec<Token> {
    JIEBA
        .tokenize(text, TokenizeMode::Search, false)
        .into_iter()
        .filter(|t| t.word.chars().any(char::is_alphanumeric))
        .enumerate()
        .map(|(position, t)| Token {
            offset_from: t.byte_start,
            offset_to: t.byte_end,
            position,
            text: t.word.to_ascii_lowercase(),
            position_length: 1,
        })
        .collect()
}

/// Words of a query term (jieba search mode), without one-character fillers.
pub fn query_words(term: &str) -> Vec<String> {
    let mut words: Vec<String> = word_tokens(term).into_iter().map(|t| t.text).collect();
    words.dedup();
    words
}

/// The `top` most telling words of a text (TF-IDF over jieba's corpus statistics).
pub fn keywords(text: &str, top: usize) -> Vec<(String, f64)> {
    TFIDF
        .extract_keywords(&JIEBA, text, top, Vec::new())
        .into_iter()
        .filter(|k| k.keyword.chars().any(char::is_alphanumeric))
        .map(|k| (k.keyword.to_ascii_lowercase(), k.weight))
        .collect()
}

/// A 64-bit simhash over character trigrams: near-identical texts land a few bits apart.
pub fn simhash(text: &str) -> u64 {
    let chars: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).collect();
    if chars.is_empty() {
        return 0;
    }
    // Count set bits per position (branch-free, so the compiler vectorises it); a bit of the
    // fingerprint is set when more than half of the trigram hashes have it.
    let mut ones = [0u32; 64];
    let mut total = 0u32;
    let mut add = |h: u64| {
        for (bit, n) in ones.iter_mut().enumerate() {
            *n += ((h >> bit) & 1) as u32;
        }
        total += 1;
    };
    if chars.len() < 3 {
        add(fnv(&chars));
    }
    for gram in chars.windows(3) {
        add(fnv(gram));
    }
    ones.iter()
        .enumerate()
        .filter(|(_, n)| **n * 2 > total)
        .fold(0u64, |acc, (bit, _)| acc | 1 << bit)
}

/// FNV-1a over chars, then a finaliser so nearby inputs spread over all bits.
fn fnv(chars: &[char]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in chars {
        h ^= *c as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// The fingerprint of a story: its body when it has one (titles of the same story are often
/// reworded), else its title.
pub fn story_hash(title: &str, body: &str) -> u64 {
    if body.chars().filter(|c| c.is_alphanumeric()).count() >= 20 {
        simhash(body)
    } else {
        simhash(&format!("{title}。{body}"))
    }
}

/// Bits that differ.
pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// A tantivy tokenizer over one of the views above.
#[derive(Clone, Copy)]
pub struct ViewTokenizer(pub fn(&str) -> Vec<Token>);

pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for ViewTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream {
            tokens: (self.0)(text),
            next: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: Vec<Token>) -> Vec<String> {
        tokens.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn bigrams_cover_every_word_inside_a_longer_word() {
        let t = texts(bigram_tokens("中国农业发展银行"));
        assert_eq!(t, ["中国", "国农", "农业", "业发", "发展", "展银", "银行"]);
        let t = texts(bigram_tokens("测试工具箱，iphone 15手机"));
        assert_eq!(t, ["测试", "试工", "工具", "具箱", "iphone", "15", "手机"]);
        assert_eq!(texts(bigram_tokens("城")), ["城"]);
        // As indexed: each run's last character too, sharing the last bigram's position.
        let indexed = bigram_index_tokens("江城，手机iphone");
        assert_eq!(
            texts(indexed.clone()),
            ["江城", "城", "手机", "机", "iphone"]
        );
        assert_eq!(
            indexed.iter().map(|t| t.position).collect::<Vec<_>>(),
            [0, 0, 1, 1, 2]
        );
        let toks = bigram_tokens("安装简单");
        assert_eq!(&"安装简单"[toks[2].offset_from..toks[2].offset_to], "简单");
        assert_eq!(
            toks.iter().map(|t| t.position).collect::<Vec<_>>(),
            [0, 1, 2]
        );
    }

    #[test]
    fn chars_and_words() {
        let words = texts(word_tokens("中华人民共和国国务院今天发布规划"));
        assert!(words.contains(&"国务院".to_string()), "{words:?}");
        assert!(words.contains(&"中华".to_string()), "{words:?}");
        assert!(
            !words
                .iter()
                .any(|w| w.chars().all(|c| !c.is_alphanumeric()))
        );
    }

    #[test]
    fn simhash_sees_near_duplicates() {
        let a = "湖人队在季后赛首轮以四比一淘汰对手，詹姆斯全场砍下三十分，球队士气高涨，下一轮将迎战勇士。";
        let b = "湖人队在季后赛首轮以四比一淘汰对手，詹姆斯全场砍下三十分！球队士气高涨，下一轮将迎战勇士";
        let c = "央行今天宣布下调存款准备金率零点五个百分点，释放长期资金约一万亿元，以支持实体经济发展。";
        assert!(
            distance(simhash(a), simhash(b)) <= 6,
            "{}",
            distance(simhash(a), simhash(b))
        );
        assert!(
            distance(simhash(a), simhash(c)) > 12,
            "{}",
            distance(simhash(a), simhash(c))
        );
    }

    #[test]
    fn keywords_are_the_telling_words() {
        let k = keywords(
            "湖人季后赛。湖人队在季后赛首轮以四比一淘汰对手，詹姆斯全场砍下三十分，湖人下一轮将迎战勇士。",
            5,
        );
        let words: Vec<&str> = k.iter().map(|(w, _)| w.as_str()).collect();
        assert!(words.iter().any(|w| w.starts_with("湖人")), "{words:?}");
        assert!(words.contains(&"季后赛"), "{words:?}");
    }
}

#[cfg(test)]
mod speed {
    use super::*;

    #[test]
    #[ignore = "a timing probe, run by hand"]
    fn tok_speed() {
        let text = "中国农业发展银行今日发布年度报告，支农贷款余额继续增长。湖人队在季后赛首轮以四比一淘汰对手，詹姆斯全场砍下三十分。".repeat(12);
        for (name, f) in [
            ("words", word_tokens as fn(&str) -> Vec<Token>),
            ("bigrams", bigram_tokens),
        ] {
            let t = std::time::Instant::now();
            let mut n = 0;
            for _ in 0..2000 {
                n += f(&text).len();
            }
            println!("{name}: {:?} per doc ({n} tokens)", t.elapsed() / 2000);
        }
        let t = std::time::Instant::now();
        for _ in 0..200 {
            let _ = simhash(&text);
        }
        println!("simhash: {:?} per doc", t.elapsed() / 200);
        let t = std::time::Instant::now();
        for _ in 0..200 {
            let _ = crate::normalize::normalize(&text);
        }
        println!("normalize: {:?} per doc", t.elapsed() / 200);
    }
}
