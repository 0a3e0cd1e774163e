//! Who a visitor is, for counting reads and shares once: the `hw_vid` cookie when the browser
//! has one, else the client address plus user agent.

use std::{
    hash::{DefaultHasher, Hash, Hasher},
    net::IpAddr,
};

use axum::http::{HeaderMap, header};

/// The visitor key for a request.
pub fn visitor_key(headers: &HeaderMap, client_ip: IpAddr) -> u64 {
    let mut h = DefaultHasher::new();
    let cookie = crate::auth::cookie_pairs(headers).find_map(|(k, v)| (k == "hw_vid").then_some(v));
    match cookie {
        Some(id) if !id.is_empty() => ("cookie", id).hash(&mut h),
        _ => {
            let ua = headers
                .get(header::USER_AGENT)
                .map(|v| v.as_bytes())
                .unwrap_or_default();
            ("addr", client_ip, ua).hash(&mut h);
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_beats_address() {
        let ip: IpAddr = "127.0.0.1".parse().expect("ip");
        let mut a = HeaderMap::new();
        a.insert(header::COOKIE, "x=1; hw_vid=abc".parse().expect("header"));
        a.insert(header::USER_AGENT, "A".parse().expect("header"));
        let mut b = HeaderMap::new();
        b.insert(header::COOKIE, "hw_vid=abc".parse().expect("header"));
        b.insert(header::USER_AGENT, "B".parse().expect("header"));
        assert_eq!(visitor_key(&a, ip), visitor_key(&b, ip));
        let mut c = HeaderMap::new();
        c.insert(header::USER_AGENT, "A".parse().expect("header"));
        assert_ne!(visitor_key(&a, ip), visitor_key(&c, ip));
    }
}
