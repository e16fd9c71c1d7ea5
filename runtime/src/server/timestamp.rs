//! RFC 3339 UTC timestamps from `SystemTime`, formatted by hand.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds from the epoch to 9999-12-31T23:59:59Z, the last instant with a 4-digit year.
const MAX_SECONDS: u64 = 253_402_300_799;

/// `time` as `YYYY-MM-DDThh:mm:ss.sssZ` (UTC, millisecond precision), the shape of
/// JavaScript's `toISOString()`.
///
/// Total: instants before 1970 are written as the epoch and instants after year 9999 as
/// its last millisecond, so the result is always a valid RFC 3339 timestamp.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    let (seconds, millis) = match time.duration_since(UNIX_EPOCH) {
        Ok(elapsed) if elapsed.as_secs() <= MAX_SECONDS => {
            (elapsed.as_secs(), elapsed.subsec_millis())
        }
        Ok(_) => (MAX_SECONDS, 999),
        Err(_) => (0, 0),
    };
    let days = seconds / 86_400;
    let second_of_day = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    let mut out = String::with_capacity(24);
    // Writing to a `String` cannot fail.
    let _ = write!(
        out,
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
    );
    out
}

/// The proleptic Gregorian date `days` days after 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, for non-negative day counts).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn at(seconds: u64, millis: u64) -> String {
        rfc3339(UNIX_EPOCH + Duration::from_secs(seconds) + Duration::from_millis(millis))
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(951_782_400, 1), "2000-02-29T00:00:00.001Z");
        assert_eq!(at(1_705_314_600, 250), "2024-01-15T10:30:00.250Z");
        assert_eq!(at(1_709_251_199, 999), "2024-02-29T23:59:59.999Z");
        assert_eq!(at(4_107_542_400, 0), "2100-03-01T00:00:00.000Z");
    }

    #[test]
    fn clamps_instants_out_of_range() {
        assert_eq!(
            rfc3339(UNIX_EPOCH - Duration::from_secs(1)),
            "1970-01-01T00:00:00.000Z"
        );
        assert_eq!(at(MAX_SECONDS, 0), "9999-12-31T23:59:59.000Z");
        assert_eq!(at(MAX_SECONDS + 1, 0), "9999-12-31T23:59:59.999Z");
    }

    #[test]
    fn agrees_with_httpdate_on_every_day_of_four_centuries() {
        for day in (0..146_097_u64).step_by(7) {
            let seconds = day * 86_400 + 45_296;
            let time = UNIX_EPOCH + Duration::from_secs(seconds);
            let ours = rfc3339(time);
            let theirs = httpdate::fmt_http_date(time);
            let (year, month, date) = civil_from_days(day);
            let month_name = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ][usize::try_from(month - 1).unwrap()];
            assert_eq!(
                theirs[5..16],
                format!("{date:02} {month_name} {year:04}"),
                "{ours}"
            );
            assert!(ours.ends_with("T12:34:56.000Z"), "{ours}");
        }
    }
}
