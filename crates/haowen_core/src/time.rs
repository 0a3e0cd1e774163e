//! Time display. Times are stored as UTC unix seconds and shown in the site's zone
//! (`Asia/Shanghai` by default) as `YYYY-MM-DD HH:MM:SS`, the format Chinese portals use.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The zone used when the setting is missing or unknown.
pub const DEFAULT_ZONE: Tz = chrono_tz::Asia::Shanghai;

/// Parses an IANA zone name such as `Asia/Shanghai`.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// `YYYY-MM-DD HH:MM:SS` in `zone`.
pub fn format_datetime(unix: i64, zone: Tz) -> String {
    to_zone(unix, zone).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// `YYYY-MM-DD` in `zone`.
pub fn format_date(unix: i64, zone: Tz) -> String {
    to_zone(unix, zone).format("%Y-%m-%d").to_string()
}

/// RFC 3339 in UTC, for `<time datetime>` and metadata.
pub fn rfc3339(unix: i64) -> String {
    DateTime::<Utc>::from_timestamp(unix, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Parses RFC 3339 (any offset) to unix seconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s).ok().map(|d| d.timestamp())
}

/// Parses a wall-clock time in `zone`, as an HTML `datetime-local` control sends it
/// (`YYYY-MM-DDTHH:MM`, optionally with `:SS`), to unix seconds. Times that do not exist in the
/// zone (a DST gap) are refused; ambiguous ones take the earlier instant.
pub fn parse_local(s: &str, zone: Tz) -> Option<i64> {
    let s = s.trim();
    let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .ok()?;
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|d| d.timestamp())
}

/// The `datetime-local` value for a time in `zone` (`YYYY-MM-DDTHH:MM`).
pub fn format_local_input(unix: i64, zone: Tz) -> String {
    to_zone(unix, zone).format("%Y-%m-%dT%H:%M").to_string()
}

/// The stored time of an article whose time is unknown (an archive imported without dates):
/// the epoch, so it sorts after every dated article and the hot ranking treats it as old.
/// Pages show no time for it ([`is_undated`]).
pub const UNDATED: i64 = 0;

/// Whether a stored article time means "unknown" (anything at or before the epoch).
pub fn is_undated(unix: i64) -> bool {
    unix <= UNDATED
}

/// A list's time: 「刚刚」, 「5 分钟前」, 「3 小时前」 within the last day, the date after, and
/// nothing for an undated article.
pub fn list_time(unix: i64, now: i64, zone: Tz) -> String {
    if is_undated(unix) {
        return String::new();
    }
    match now - unix {
        age if age < 60 => "刚刚".to_string(),
        age if age < 3600 => format!("{} 分钟前", age / 60),
        age if age < 86_400 => format!("{} 小时前", age / 3600),
        _ => format_date(unix, zone),
    }
}

/// Parses the times real exports carry, to unix seconds: RFC 3339; `YYYY-MM-DD HH:MM[:SS]`,
/// `YYYY-MM-DDTHH:MM[:SS]`, `YYYY/MM/DD HH:MM[:SS]` and `YYYY-MM-DD` in `zone`; Unix seconds or
/// milliseconds; `YYYY年M月D日 HH:MM[:SS]` and `YYYY年M月D日` in `zone`.
pub fn parse_any(raw: &str, zone: Tz) -> Option<i64> {
    let s = raw.trim();
    if let Some(t) = parse_rfc3339(s) {
        return Some(t);
    }
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        return match s.len() {
            9 | 10 => Some(n),
            12 | 13 => Some(n / 1000),
            _ => None,
        };
    }
    let s = s.replace(['年', '月', '/'], "-").replace('日', " ");
    let s = s.trim();
    const WITH_TIME: [&str; 4] = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ];
    let naive = WITH_TIME
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|d| d.timestamp())
}

/// Now, in unix seconds.
pub fn now() -> i64 {
    Utc::now().timestamp()
}

fn to_zone(unix: i64, zone: Tz) -> DateTime<Tz> {
    zone.from_utc_datetime(
        &DateTime::<Utc>::from_timestamp(unix, 0)
            .unwrap_or_default()
            .naive_utc(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_times_in_every_common_shape() {
        let z = DEFAULT_ZONE;
        let at = parse_rfc3339("2012-07-24T01:30:00Z").expect("rfc");
        for raw in [
            "2012-07-24T09:30:00+08:00",
            "2012-07-24 09:30:00",
            "2012-07-24 09:30",
            "2012-07-24T09:30",
            "2012/07/24 09:30:00",
            "2012年7月24日 09:30",
            "2012年07月24日 09:30:00",
            "1343093400",
            "1343093400000",
        ] {
            assert_eq!(parse_any(raw, z), Some(at), "{raw}");
        }
        let midnight = parse_rfc3339("2012-07-23T16:00:00Z").expect("rfc");
        assert_eq!(parse_any("2012-07-24", z), Some(midnight));
        assert_eq!(parse_any("2012年7月24日", z), Some(midnight));
        for bad in ["昨天", "2012-13-01", "12345", "24/07/2012 09:30", ""] {
            assert_eq!(parse_any(bad, z), None, "{bad}");
        }
    }

    #[test]
    fn lists_show_relative_times_for_the_last_day_and_nothing_when_undated() {
        let now = parse_rfc3339("2026-03-02T12:00:00Z").expect("rfc");
        let z = DEFAULT_ZONE;
        assert_eq!(list_time(now - 20, now, z), "刚刚");
        assert_eq!(list_time(now - 5 * 60, now, z), "5 分钟前");
        assert_eq!(list_time(now - 3 * 3600, now, z), "3 小时前");
        assert_eq!(list_time(now - 2 * 86_400, now, z), "2026-02-28");
        assert_eq!(list_time(UNDATED, now, z), "");
    }

    #[test]
    fn shows_shanghai_time() {
        let t = parse_rfc3339("2026-03-02T01:39:00Z").expect("valid");
        assert_eq!(format_datetime(t, DEFAULT_ZONE), "2026-03-02 09:39:00");
        assert_eq!(format_date(t, DEFAULT_ZONE), "2026-03-02");
        assert_eq!(rfc3339(t), "2026-03-02T01:39:00Z");
        let utc = parse_zone("UTC").expect("zone");
        assert_eq!(format_datetime(t, utc), "2026-03-02 01:39:00");
    }

    #[test]
    fn local_times_in_the_site_zone() {
        let t = parse_local("2026-03-02T09:39", DEFAULT_ZONE).expect("parses");
        assert_eq!(rfc3339(t), "2026-03-02T01:39:00Z");
        assert_eq!(format_local_input(t, DEFAULT_ZONE), "2026-03-02T09:39");
        assert_eq!(parse_local("2026-03-02 09:39", DEFAULT_ZONE), Some(t));
        assert_eq!(parse_local("明天", DEFAULT_ZONE), None);
    }

    #[test]
    fn parses_offsets() {
        assert_eq!(
            parse_rfc3339("2012-07-24T00:00:00+08:00"),
            parse_rfc3339("2012-07-23T16:00:00Z")
        );
        assert_eq!(parse_rfc3339("yesterday"), None);
    }
}
