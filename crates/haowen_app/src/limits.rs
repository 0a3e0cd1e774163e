//! Rate limits kept in memory: a sliding window per key, and the limits built from it.
//!
//! **Sign-in** ([`SignInLimiter`]) must stop password guessing without letting a stranger lock
//! the owner out by guessing wrong on purpose. Three windows:
//! - per address: [`PER_ADDRESS`] failures a minute (one office behind a NAT shares it);
//! - per account *and* address: [`PER_ACCOUNT_ADDRESS`] failures a minute — what a guesser at
//!   one address meets, and what never touches the owner at another address;
//! - per account, everywhere: [`PER_ACCOUNT`] failures an hour — a slow curve against guessing
//!   from many addresses, which does not apply at addresses where the account signed in
//!   successfully in the last [`TRUSTED_SECS`] (the owner's home, phone network, office).
//!
//! So a guesser gets at most 50 tries an hour at an account however many addresses they hold,
//! and the owner, at an address they have used, can always sign in. (No captcha: the site
//! works without JavaScript and for elderly readers.)
//!
//! **Throttles** ([`Throttles`]) bound what one address or account can make the server do:
//! sign-ups, new sessions, and image uploads (decoding is the costly part).

use std::{
    collections::{HashMap, VecDeque},
    net::IpAddr,
    sync::Mutex,
};

/// A limit: at most `max` events within `secs`.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub max: usize,
    pub secs: i64,
}

/// Keys kept before expired ones are swept (bounds memory under a flood of new keys).
const SWEEP_AT: usize = 100_000;

/// Events per key within one window.
#[derive(Debug)]
pub struct Counter {
    window: Window,
    events: Mutex<HashMap<String, VecDeque<i64>>>,
}

impl Counter {
    pub fn new(window: Window) -> Counter {
        Counter {
            window,
            events: Mutex::new(HashMap::new()),
        }
    }

    /// Seconds to wait before the next event for `key` is allowed, if it is limited now.
    pub fn retry_after(&self, key: &str, now: i64) -> Option<i64> {
        let mut map = self.events.lock().unwrap_or_else(|e| e.into_inner());
        let times = map.get_mut(key)?;
        while times.front().is_some_and(|t| now - t >= self.window.secs) {
            times.pop_front();
        }
        (times.len() >= self.window.max).then(|| {
            times
                .front()
                .map_or(1, |oldest| (oldest + self.window.secs - now).max(1))
        })
    }

    pub fn record(&self, key: &str, now: i64) {
        let mut map = self.events.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= SWEEP_AT {
            let secs = self.window.secs;
            map.retain(|_, times| times.back().is_some_and(|t| now - t < secs));
            // Still full of live keys (a flood of new names): memory comes first.
            if map.len() >= SWEEP_AT {
                map.clear();
            }
        }
        let times = map.entry(key.to_string()).or_default();
        times.push_back(now);
        while times.len() > self.window.max {
            times.pop_front();
        }
    }

    /// Checks and records in one step: `Err(wait)` when the event is over the limit (and then
    /// it is not recorded).
    pub fn hit(&self, key: &str, now: i64) -> Result<(), i64> {
        if let Some(wait) = self.retry_after(key, now) {
            return Err(wait);
        }
        self.record(key, now);
        Ok(())
    }

    /// Takes back the newest event of `key` (an attempt counted up front that succeeded).
    pub fn forget_latest(&self, key: &str) {
        let mut map = self.events.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(times) = map.get_mut(key) {
            times.pop_back();
        }
    }

    pub fn clear(&self, key: &str) {
        let mut map = self.events.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(key);
    }
}

pub const PER_ADDRESS: Window = Window { max: 20, secs: 60 };
pub const PER_ACCOUNT_ADDRESS: Window = Window { max: 5, secs: 60 };
pub const PER_ACCOUNT: Window = Window {
    max: 50,
    secs: 3600,
};
/// An address where an account signed in is trusted for it this long.
pub const TRUSTED_SECS: i64 = 30 * 86_400;
/// Trusted (account, address) pairs kept at most.
const TRUSTED_MAX: usize = 200_000;

/// Failed sign-ins (see the module docs).
#[derive(Debug)]
pub struct SignInLimiter {
    address: Counter,
    account_address: Counter,
    account: Counter,
    trusted: Mutex<HashMap<String, i64>>,
    /// Makes check-and-count one step across the three counters.
    gate: Mutex<()>,
}

impl Default for SignInLimiter {
    fn default() -> SignInLimiter {
        SignInLimiter {
            address: Counter::new(PER_ADDRESS),
            account_address: Counter::new(PER_ACCOUNT_ADDRESS),
            account: Counter::new(PER_ACCOUNT),
            trusted: Mutex::new(HashMap::new()),
            gate: Mutex::new(()),
        }
    }
}

/// The key an address is counted under: IPv4 as is, IPv6 by its /64 (one home or phone
/// network holds a whole /64, so counting single IPv6 addresses would count nothing).
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

fn pair(ip: IpAddr, username: &str) -> String {
    format!("{}|{}", username.to_ascii_lowercase(), address_key(ip))
}

impl SignInLimiter {
    pub fn new() -> SignInLimiter {
        SignInLimiter::default()
    }

    fn trusted(&self, ip: IpAddr, username: &str, now: i64) -> bool {
        let map = self.trusted.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&pair(ip, username))
            .is_some_and(|at| now - at < TRUSTED_SECS)
    }

    /// Checks and counts an attempt in one step, so parallel guesses cannot all pass the check
    /// before any is counted: `Err(wait)` when limited. The attempt counts as a failure until
    /// [`SignInLimiter::record_success`] takes it back.
    pub fn begin(&self, ip: IpAddr, username: &str, now: i64) -> Result<(), i64> {
        let _gate = self.gate.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(wait) = self.retry_after(ip, username, now) {
            return Err(wait);
        }
        self.record_failure(ip, username, now);
        Ok(())
    }

    /// Seconds to wait before another attempt is allowed, if limited.
    pub fn retry_after(&self, ip: IpAddr, username: &str, now: i64) -> Option<i64> {
        let name = username.to_ascii_lowercase();
        let mut waits = vec![
            self.address.retry_after(&address_key(ip), now),
            self.account_address.retry_after(&pair(ip, &name), now),
        ];
        if !self.trusted(ip, &name, now) {
            waits.push(self.account.retry_after(&name, now));
        }
        waits.into_iter().flatten().max()
    }

    pub fn record_failure(&self, ip: IpAddr, username: &str, now: i64) {
        let name = username.to_ascii_lowercase();
        self.address.record(&address_key(ip), now);
        self.account_address.record(&pair(ip, &name), now);
        self.account.record(&name, now);
    }

    /// A successful sign-in (counted by [`SignInLimiter::begin`]): the attempt is taken back,
    /// the failures at this address for the account are cleared, and the address is trusted
    /// for it (earlier failures on the account-wide curve and the address's count stay).
    pub fn record_success(&self, ip: IpAddr, username: &str, now: i64) {
        let name = username.to_ascii_lowercase();
        self.address.forget_latest(&address_key(ip));
        self.account.forget_latest(&name);
        let key = pair(ip, username);
        self.account_address.clear(&key);
        let mut map = self.trusted.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= TRUSTED_MAX {
            map.retain(|_, at| now - *at < TRUSTED_SECS);
        }
        map.insert(key, now);
    }
}

/// Sign-ups per address.
pub const SIGNUPS: Window = Window { max: 10, secs: 600 };
/// New sessions (successful sign-ins) per address.
pub const SESSIONS: Window = Window { max: 30, secs: 60 };
/// Image uploads (and 申请入驻 avatars) per account and per address.
pub const UPLOADS_PER_ACCOUNT: Window = Window { max: 30, secs: 600 };
pub const UPLOADS_PER_ADDRESS: Window = Window { max: 60, secs: 600 };

/// The throttles on costly or abusable acts.
#[derive(Debug)]
pub struct Throttles {
    pub signups: Counter,
    pub sessions: Counter,
    pub uploads_per_account: Counter,
    pub uploads_per_address: Counter,
}

impl Default for Throttles {
    fn default() -> Throttles {
        Throttles {
            signups: Counter::new(SIGNUPS),
            sessions: Counter::new(SESSIONS),
            uploads_per_account: Counter::new(UPLOADS_PER_ACCOUNT),
            uploads_per_address: Counter::new(UPLOADS_PER_ADDRESS),
        }
    }
}

impl Throttles {
    /// An upload by `user_id` from `ip`: `Err(wait)` when either is over its limit.
    pub fn upload(&self, user_id: i64, ip: IpAddr, now: i64) -> Result<(), i64> {
        let user = user_id.to_string();
        let addr = address_key(ip);
        if let Some(wait) = self
            .uploads_per_account
            .retry_after(&user, now)
            .max(self.uploads_per_address.retry_after(&addr, now))
        {
            return Err(wait);
        }
        self.uploads_per_account.record(&user, now);
        self.uploads_per_address.record(&addr, now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn a_guesser_is_limited_and_the_owner_is_not() {
        let l = SignInLimiter::new();
        let (owner, guesser) = (ip("198.51.100.7"), ip("203.0.113.9"));
        // The owner signed in from home before.
        l.begin(owner, "li", 0).expect("first attempt");
        l.record_success(owner, "li", 0);
        for i in 0..5 {
            assert_eq!(
                l.retry_after(guesser, "li", 100 + i),
                None,
                "attempt {}",
                i + 1
            );
            l.record_failure(guesser, "li", 100 + i);
        }
        let wait = l
            .retry_after(guesser, "li", 105)
            .expect("the guesser waits");
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(
            l.retry_after(owner, "li", 105),
            None,
            "the owner is not locked out"
        );
        assert_eq!(l.retry_after(guesser, "li", 161), None, "the window passed");
    }

    #[test]
    fn many_addresses_meet_the_slow_curve_but_the_owners_address_does_not() {
        let l = SignInLimiter::new();
        let owner = ip("198.51.100.7");
        l.begin(owner, "han", 0).expect("first attempt");
        l.record_success(owner, "han", 0);
        for i in 0..50u8 {
            l.record_failure(ip(&format!("10.0.{i}.1")), "han", 10 + i64::from(i));
        }
        // A fresh address (never used by the account) is held back for the hour …
        let wait = l.retry_after(ip("10.9.9.9"), "han", 100).expect("limited");
        assert!(wait > 60 && wait <= 3600, "{wait}");
        // … the owner's own address is not.
        assert_eq!(l.retry_after(owner, "han", 100), None);
    }

    #[test]
    fn one_address_is_limited_across_accounts() {
        let l = SignInLimiter::new();
        let office = ip("192.0.2.1");
        for i in 0..20 {
            l.record_failure(office, &format!("user{i}"), 100);
        }
        assert!(l.retry_after(office, "someone_else", 101).is_some());
    }

    #[test]
    fn parallel_attempts_are_counted_before_they_are_checked() {
        let l = SignInLimiter::new();
        let guesser = ip("203.0.113.9");
        // 100 attempts arrive together: each is counted as it passes the gate.
        let passed = (0..100)
            .filter(|_| l.begin(guesser, "li", 100).is_ok())
            .count();
        assert_eq!(passed, 5);
        // IPv6 addresses of one /64 count together.
        let a = ip("2001:db8:1:2::1");
        let b = ip("2001:db8:1:2::ffff");
        for i in 0..20 {
            assert!(l.begin(a, &format!("x{i}"), 200).is_ok());
        }
        assert!(l.retry_after(b, "someone", 201).is_some());
    }

    #[test]
    fn counters_forget_and_stay_small() {
        let c = Counter::new(Window { max: 2, secs: 10 });
        assert_eq!(c.hit("k", 0), Ok(()));
        assert_eq!(c.hit("k", 1), Ok(()));
        assert_eq!(c.hit("k", 2), Err(8));
        assert_eq!(c.hit("k", 10), Ok(()), "the first event left the window");
    }
}
