//! Accounts: sign up, sign in (rate-limited), sessions, password changes, users made by admins.

use std::net::IpAddr;

use haowen_core::account::{self, Role, User};
use haowen_db::{Store, StoreError};

use crate::{
    auth::{SESSION_SECS, SignInLimiter},
    services::{Check, Refusal},
};

/// A real Argon2id hash of a random secret, verified when the account does not exist so that a
/// wrong name and a wrong password take the same time.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let secret = account::new_token().unwrap_or_else(|_| "haowen-dummy".to_string());
    account::hash_password(&secret).unwrap_or_default()
});

/// The sign-up form.
pub struct SignUp<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub password_again: &'a str,
}

/// Creates an account with `role` after checking every field; a taken name is reported on its
/// field. Readers sign up themselves; other roles come from admins or the CLI.
pub async fn create_account(store: &Store, form: &SignUp<'_>, role: Role) -> Result<User, Refusal> {
    let mut check = Check::default();
    let username = check.take("username", account::username(form.username));
    let display_name = check.take("display_name", account::display_name(form.display_name));
    if let Some(name) = &username {
        check.take("password", account::check_new_password(form.password, name));
    }
    if form.password != form.password_again {
        check.fail("password_again", "两次输入的密码不一致");
    }
    check.finish()?;
    let (Some(username), Some(display_name)) = (username, display_name) else {
        return Err(Refusal::field("username", "账号名无效"));
    };
    let hash = account::hash_password(form.password)
        .map_err(|e| Refusal::Store(StoreError::Corrupt(e)))?;
    match store
        .create_user(&username, &display_name, &hash, role)
        .await
    {
        Ok(user) => Ok(user),
        Err(StoreError::Conflict { .. }) => {
            Err(Refusal::field("username", "这个账号名已被使用，请换一个"))
        }
        Err(e) => Err(e.into()),
    }
}

/// Checks a name and password. Every failure reads the same ("账号或密码错误"), whether the
/// account exists or not; too many failures are refused with the time to wait.
pub async fn sign_in(
    store: &Store,
    limiter: &SignInLimiter,
    ip: IpAddr,
    username: &str,
    password: &str,
) -> Result<User, Refusal> {
    let now = haowen_core::time::now();
    let name = username.trim().to_ascii_lowercase();
    if let Some(wait) = limiter.retry_after(ip, &name, now) {
        return Err(Refusal::Limited(wait));
    }
    let found = store.user_for_sign_in(&name).await?;
    let ok = match &found {
        Some((_, hash)) => account::verify_password(password, hash),
        None => {
            account::verify_password(password, &DUMMY_HASH);
            false
        }
    };
    match found {
        Some((user, _)) if ok => {
            limiter.record_success(&name);
            if user.disabled {
                return Err(Refusal::Forbidden(
                    "该账号已被停用。如有疑问，请联系站长。".into(),
                ));
            }
            Ok(user)
        }
        _ => {
            limiter.record_failure(ip, &name, now);
            Err(Refusal::field("password", "账号或密码错误"))
        }
    }
}

/// Opens a session: returns the cookie token (only its digest is stored) and the CSRF token.
pub async fn start_session(store: &Store, user_id: i64) -> Result<(String, String), Refusal> {
    let token = account::new_token().map_err(|e| Refusal::Store(StoreError::Corrupt(e)))?;
    let csrf = account::new_token().map_err(|e| Refusal::Store(StoreError::Corrupt(e)))?;
    let expires = haowen_core::time::now() + SESSION_SECS;
    store
        .create_session(&account::token_digest(&token), user_id, &csrf, expires)
        .await?;
    Ok((token, csrf))
}

/// Changes a password after checking the current one; other sessions end.
pub async fn change_password(
    store: &Store,
    user: &User,
    current: &str,
    new: &str,
    new_again: &str,
    keep_session: &str,
) -> Result<(), Refusal> {
    let hash = store.password_hash(user.id).await?;
    let mut check = Check::default();
    if !account::verify_password(current, &hash) {
        check.fail("current", "当前密码不正确");
    }
    check.take("password", account::check_new_password(new, &user.username));
    if new != new_again {
        check.fail("password_again", "两次输入的密码不一致");
    }
    if current == new {
        check.fail("password", "新密码不能与当前密码相同");
    }
    check.finish()?;
    let hash = account::hash_password(new).map_err(|e| Refusal::Store(StoreError::Corrupt(e)))?;
    store
        .set_password(user.id, &hash, Some(keep_session))
        .await?;
    Ok(())
}
