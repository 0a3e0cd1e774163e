//! People: roles, account names, passwords and session tokens.
//!
//! Policy: account names are 3–32 ASCII letters, digits or `_`, compared in lower case;
//! passwords are 8–128 characters and not the account name; passwords are hashed with Argon2id
//! (default parameters: m=19 MiB, t=2, p=1) and a per-hash random salt; session tokens are 32
//! random bytes, and only their SHA-256 is stored, so a leaked database holds no usable session.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a user may do. Each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Reader,
    Creator,
    Editor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Creator => "creator",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "reader" => Some(Role::Reader),
            "creator" => Some(Role::Creator),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// Chinese label for pages.
    pub fn label(self) -> &'static str {
        match self {
            Role::Reader => "读者",
            Role::Creator => "创作者",
            Role::Editor => "编辑",
            Role::Admin => "站长",
        }
    }
}

/// A user as stored (without the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    /// Login name, lower case.
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    /// The creator profile, once an application was approved.
    pub creator_id: Option<i64>,
    pub created_at: i64,
}

impl User {
    /// Whether the user holds at least `role` and the account is active.
    pub fn can(&self, role: Role) -> bool {
        !self.disabled && self.role >= role
    }
}

/// A checked account name, lower-cased.
pub fn username(raw: &str) -> Result<String, String> {
    let name = raw.trim().to_ascii_lowercase();
    let n = name.chars().count();
    if !(3..=32).contains(&n) {
        return Err("账号名需为 3 到 32 个字符".into());
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err("账号名只能包含英文字母、数字和下划线".into());
    }
    Ok(name)
}

/// A checked display name (昵称).
pub fn display_name(raw: &str) -> Result<String, String> {
    // Invisible characters (zero-width, direction overrides) go: they let one name pass for
    // another (李\u{200B}雷 for 李雷) or turn the text around it backwards.
    let cleaned = crate::invisible::strip_invisible(raw);
    let name = cleaned.trim();
    if !crate::invisible::has_visible(name) {
        return Err("昵称需为 1 到 20 个字符".into());
    }
    let n = name.chars().count();
    if !(1..=20).contains(&n) {
        return Err("昵称需为 1 到 20 个字符".into());
    }
    if name.chars().any(char::is_control) {
        return Err("昵称不能包含控制字符".into());
    }
    Ok(name.to_string())
}

/// Passwords common among Chinese-speaking users that zxcvbn's lists underrate.
static COMMON_ZH: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        include_str!("common_passwords_zh.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });

/// Checks a new password: 8–128 characters, not one repeated character, not one of the most
/// common passwords, and not guessable from the person's own words (`personal`: the account
/// name, the display name, the site's name). "Guessable" is zxcvbn's estimate (Dropbox's
/// model: 30,000 common passwords, English words and names, keyboard walks, repeats,
/// sequences, dates, and the personal words) at 10^6 guesses or fewer, plus our list of
/// passwords common in Chinese (`common_passwords_zh.txt`). Online guessing is rate-limited,
/// so 10^6 is the line: what an attacker tries first.
pub fn check_new_password(password: &str, personal: &[&str]) -> Result<(), String> {
    let n = password.chars().count();
    if n < 8 {
        return Err("密码至少需要 8 个字符".into());
    }
    if n > 128 {
        return Err("密码最多 128 个字符".into());
    }
    let lower = password.to_lowercase();
    if personal
        .iter()
        .any(|p| !p.trim().is_empty() && lower == p.trim().to_lowercase())
    {
        return Err("密码不能与账号名、昵称或网站名相同".into());
    }
    if password.chars().all(|c| password.starts_with(c)) {
        return Err("密码不能全是同一个字符".into());
    }
    if COMMON_ZH.contains(lower.as_str()) {
        return Err("这个密码太常见，很容易被猜中，请换一个".into());
    }
    let inputs: Vec<&str> = personal
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if estimate.score() <= zxcvbn::Score::One {
        return Err(
            "这个密码太容易被猜中（常见密码、连续或重复的字符、日期，或含有账号名、网站名），请换一个更长、更少见的"
                .into(),
        );
    }
    Ok(())
}

/// Hashes a password (Argon2id, PHC string).
pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("password hashing failed: {e}"))
}

/// Whether `password` matches the stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// A fresh random token (URL-safe base64 of 32 random bytes).
pub fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database stores for a token.
pub fn token_digest(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        assert!(
            Role::Admin > Role::Editor
                && Role::Editor > Role::Creator
                && Role::Creator > Role::Reader
        );
        for r in [Role::Reader, Role::Creator, Role::Editor, Role::Admin] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn names_and_passwords() {
        assert_eq!(username(" Li_Lei ").as_deref(), Ok("li_lei"));
        assert!(username("ab").is_err());
        assert!(username("李雷").is_err());
        assert!(display_name("李雷").is_ok());
        assert!(display_name("").is_err());
        assert!(check_new_password("short", &["x"]).is_err());
        assert!(check_new_password("li_lei12", &["LI_LEI12"]).is_err());
        assert!(check_new_password("aaaaaaaaaa", &["x"]).is_err());
        assert!(check_new_password("江城好文2026", &["x"]).is_ok());
        // The most common passwords, in English and in Chinese use.
        for common in [
            "12345678",
            "password",
            "Password1",
            "qwertyuiop",
            "1qaz2wsx",
            "iloveyou",
            "woaini1314",
            "WoAiNi1314",
            "5201314520",
            "qq123456",
            "19900101",
            "abcd1234",
        ] {
            assert!(check_new_password(common, &["reader"]).is_err(), "{common}");
        }
        // Built from the person's own words.
        assert!(check_new_password("lilei1990", &["lilei", "李雷", "好文"]).is_err());
        assert!(check_new_password("haowen2026", &["reader", "读者", "haowen"]).is_err());
        // Long and uncommon passes.
        assert!(check_new_password("correct horse battery", &["x"]).is_ok());
        assert!(check_new_password("江城地铁五号线2026开通", &["x"]).is_ok());
    }

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash_password("correct horse").expect("hash");
        let b = hash_password("correct horse").expect("hash");
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(verify_password("correct horse", &a));
        assert!(!verify_password("wrong horse", &a));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens() {
        let t = new_token().expect("token");
        assert_eq!(t.len(), 43);
        assert_ne!(t, new_token().expect("token"));
        assert_eq!(token_digest(&t), token_digest(&t));
        assert_ne!(token_digest(&t), t);
        assert!(
            constant_time_eq("abc", "abc")
                && !constant_time_eq("abc", "abd")
                && !constant_time_eq("a", "ab")
        );
    }
}
