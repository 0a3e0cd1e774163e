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
