//! Accounts: sign up, sign in (rate-limited), sessions, password changes, users made by admins,
//! the first admin.
//!
//! Argon2 is slow by design (tens of milliseconds of CPU): it runs on the blocking pool, at
//! most [`PASSWORD_WORKERS`] at a time, so a flood of sign-ins (right or wrong passwords) can
//! neither stall the async workers that serve readers nor take every core; a request that
//! waits more than [`PASSWORD_WAIT`] for a slot is told to try again.

use std::{net::IpAddr, time::Duration};

use haowen_core::account::{self, Role, User};
use haowen_db::StoreError;

use crate::{
    Db,
    limits::{SignInLimiter, Throttles, address_key},
    refusal::{Check, Refusal},
};

/// How long a session lasts.
pub const SESSION_SECS: i64 = 30 * 86_400;

/// The signed-in person behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub user: User,
    pub csrf: String,
    pub token_digest: String,
}

/// A real Argon2id hash of a random secret, verified when the account does not exist so that a
/// wrong name and a wrong password take the same time.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let secret = account::new_token().unwrap_or_else(|_| "haowen-dummy".to_string());
    account::hash_password(&secret).unwrap_or_default()
});

/// Password hashes computed at once (one core's worth on a 2-core machine, with room).
pub const PASSWORD_WORKERS: usize = 2;
/// Longest wait for a hashing slot before the request is refused (429).
pub const PASSWORD_WAIT: Duration = Duration::from_secs(10);
static PASSWORD_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(PASSWORD_WORKERS);

/// Runs Argon2 work off the async workers, behind the slots.
async fn password_work<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Refusal> {
    let busy = || Refusal::TooMany("现在登录和注册的人很多，请稍等几秒再试".into());
    let _slot = tokio::time::timeout(PASSWORD_WAIT, PASSWORD_SLOTS.acquire())
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
    tokio::task::spawn_blocking(work).await.map_err(|_| busy())
}

async fn hash(password: &str) -> Result<String, Refusal> {
    let password = password.to_string();
    password_work(move || account::hash_password(&password))
        .await?
        .map_err(Refusal::Internal)
}

async fn verify(password: &str, hash: Option<&str>) -> Result<bool, Refusal> {
    let password = password.to_string();
    let hash = hash.map(str::to_string);
    password_work(move || match hash {
        Some(h) => account::verify_password(&password, &h),
        None => {
            account::verify_password(&password, &DUMMY_HASH);
            false
        }
    })
    .await
}

/// The words a password must not be built from: the account name, the display name and the
/// site's name.
async fn personal_words(db: &Db, username: &str, display_name: &str) -> Vec<String> {
    let site = db
        .store
        .settings()
        .await
        .map(|s| s.site_name)
        .unwrap_or_default();
    vec![username.to_string(), display_name.to_string(), site]
}

/// The sign-up form.
pub struct SignUp<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub password_again: &'a str,
}

/// Checks the sign-up form; gives the account name, the display name and the hash.
async fn checked(db: &Db, form: &SignUp<'_>) -> Result<(String, String, String), Refusal> {
    let mut check = Check::default();
    let username = check.take("username", account::username(form.username));
    let display_name = check.take("display_name", account::display_name(form.display_name));
    if let Some(name) = &username {
        let words = personal_words(db, name, form.display_name).await;
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        check.take(
            "password",
            account::check_new_password(form.password, &words),
        );
    }
    if form.password != form.password_again {
        check.fail("password_again", "两次输入的密码不一致");
    }
    check.finish()?;
    let (Some(username), Some(display_name)) = (username, display_name) else {
        return Err(Refusal::field("username", "账号名无效"));
    };
    Ok((username, display_name, hash(form.password).await?))
}

fn taken(e: StoreError) -> Refusal {
    match e {
        StoreError::Conflict { .. } => Refusal::field("username", "这个账号名已被使用，请换一个"),
        e => e.into(),
    }
}

/// A reader signing themselves up: [`create_account`] after the address's sign-up throttle
/// ([`crate::limits::SIGNUPS`]).
pub async fn sign_up(
    db: &Db,
    throttles: &Throttles,
    ip: IpAddr,
    form: &SignUp<'_>,
) -> Result<User, Refusal> {
    // Counted as it is checked (parallel sign-ups cannot all pass first); a refused form
    // counts too, which only slows a script trying names.
    if let Err(wait) = throttles
        .signups
        .hit(&address_key(ip), haowen_core::time::now())
    {
        return Err(Refusal::TooMany(format!(
            "这个网络注册的账号太多了，请 {} 分钟后再试。",
            (wait + 59) / 60
        )));
    }
    create_account(db, form, Role::Reader).await
}

/// Creates an account with `role` after checking every field; a taken name is reported on its
/// field. Readers sign up themselves; other roles come from admins or the CLI.
pub async fn create_account(db: &Db, form: &SignUp<'_>, role: Role) -> Result<User, Refusal> {
    let (username, display_name, hash) = checked(db, form).await?;
    db.store
        .create_user(&username, &display_name, &hash, role)
        .await
        .map_err(taken)
}

/// Creates the first admin from the `/setup` link: refused (`Missing`) once any admin exists,
/// decided in the same statement as the insert, so racing set-ups make one admin.
pub async fn create_first_admin(db: &Db, form: &SignUp<'_>) -> Result<User, Refusal> {
    let (username, display_name, hash) = checked(db, form).await?;
    match db
        .store
        .create_first_admin(&username, &display_name, &hash)
        .await
    {
        Err(StoreError::Conflict { constraint }) if constraint == "admin_exists" => Err(
            Refusal::Missing("站长账号已经创建，这个设置链接已失效。请直接登录。".into()),
        ),
        other => other.map_err(taken),
    }
}

/// Checks a name and password. Every failure reads the same ("账号或密码错误"), whether the
/// account exists or not; too many failures are refused with the time to wait.
pub async fn sign_in(
    db: &Db,
    limiter: &SignInLimiter,
    ip: IpAddr,
    username: &str,
    password: &str,
) -> Result<User, Refusal> {
    let now = haowen_core::time::now();
    let name = username.trim().to_ascii_lowercase();
    // Counted before the (slow) password check, so parallel guesses cannot slip through.
    if let Err(wait) = limiter.begin(ip, &name, now) {
        return Err(Refusal::Limited(wait));
    }
    let found = db.store.user_for_sign_in(&name).await?;
    let ok = verify(password, found.as_ref().map(|(_, h)| h.as_str())).await?;
    match found {
        Some((user, _)) if ok => {
            limiter.record_success(ip, &name, now);
            if user.disabled {
                return Err(Refusal::Forbidden(
                    "该账号已被停用。如有疑问，请联系站长。".into(),
                ));
            }
            Ok(user)
        }
        _ => Err(Refusal::field("password", "账号或密码错误")),
    }
}

/// Opens a session: returns the cookie token (only its digest is stored) and the CSRF token.
/// New sessions from one address are throttled ([`crate::limits::SESSIONS`]).
pub async fn start_session(
    db: &Db,
    throttles: &Throttles,
    ip: IpAddr,
    user_id: i64,
) -> Result<(String, String), Refusal> {
    if let Err(wait) = throttles
        .sessions
        .hit(&address_key(ip), haowen_core::time::now())
    {
        return Err(Refusal::Limited(wait));
    }
    let token = account::new_token().map_err(Refusal::Internal)?;
    let csrf = account::new_token().map_err(Refusal::Internal)?;
    let expires = haowen_core::time::now() + SESSION_SECS;
    db.store
        .create_session(&account::token_digest(&token), user_id, &csrf, expires)
        .await?;
    Ok((token, csrf))
}

/// Changes a password after checking the current one; other sessions end.
pub async fn change_password(
    db: &Db,
    user: &User,
    current: &str,
    new: &str,
    new_again: &str,
    keep_session: &str,
) -> Result<(), Refusal> {
    let stored = db.store.password_hash(user.id).await?;
    let mut check = Check::default();
    if !verify(current, Some(&stored)).await? {
        check.fail("current", "当前密码不正确");
    }
    let words = personal_words(db, &user.username, &user.display_name).await;
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    check.take("password", account::check_new_password(new, &words));
    if new != new_again {
        check.fail("password_again", "两次输入的密码不一致");
    }
    if current == new {
        check.fail("password", "新密码不能与当前密码相同");
    }
    check.finish()?;
    let new_hash = hash(new).await?;
    db.store
        .set_password(user.id, &new_hash, Some(keep_session))
        .await?;
    Ok(())
}
