//! When a scheduled sync runs next (`leadrank serve --sync-config`), on times the caller
//! passes in (epoch milliseconds): no clock here.
//!
//! * A source never run is due at once.
//! * After a run that succeeded, the next is due one interval after that run **started**
//!   (so the schedule does not drift by the run's length), and never before it ended.
//! * After `n` failures in a row, the next try waits [`RETRY_AFTER`] doubled `n - 1` times,
//!   never longer than the interval: a passing fault is retried soon, a lasting one settles
//!   back on the source's own schedule, which it keeps.
//! * A due time in the past (the server was stopped, the source paused) means one run now,
//!   not one per interval missed.

use std::time::Duration;

/// The first retry after a failure, at most (then doubled per failure, up to the interval).
pub const RETRY_AFTER: Duration = Duration::from_secs(60);
/// The shortest interval a sync file may set.
pub const MIN_INTERVAL: Duration = Duration::from_secs(1);
/// The longest interval a sync file may set (7 days).
pub const MAX_INTERVAL: Duration = Duration::from_secs(7 * 24 * 3600);

/// The last run of a source, as far as its schedule cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastRun {
    pub started_ms: i64,
    pub ended_ms: i64,
    /// Failed runs in a row, this one included (0: it succeeded).
    pub failures: u32,
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The wait before the next try after `failures` failed runs in a row (0: the interval).
pub fn retry_delay(interval: Duration, failures: u32) -> Duration {
    if failures == 0 {
        return interval;
    }
    let doubled = RETRY_AFTER.saturating_mul(1u32 << (failures - 1).min(20));
    doubled.min(interval)
}

/// When the source is due next (epoch ms); `now_ms` for a source never run.
pub fn next_run(interval: Duration, last: Option<LastRun>, now_ms: i64) -> i64 {
    match last {
        None => now_ms,
        Some(l) if l.failures == 0 => l.started_ms.saturating_add(ms(interval)).max(l.ended_ms),
        Some(l) => l.ended_ms.saturating_add(ms(retry_delay(interval, l.failures))),
    }
}

/// Parses an interval: a whole number and a unit, `s`, `m`, `h` or `d` (`"15m"`, `"1h"`),
/// from [`MIN_INTERVAL`] to [`MAX_INTERVAL`].
pub fn parse_interval(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let bad = || format!("'{text}' is not an interval; write a whole number and a unit: \"30s\", \"15m\", \"1h\", \"1d\"");
    let split = t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (n, unit) = t.split_at(split);
    let n: u64 = n.parse().map_err(|_| bad())?;
    let unit_s = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    let d = Duration::from_secs(n.saturating_mul(unit_s));
    if d < MIN_INTERVAL || d > MAX_INTERVAL {
        return Err(format!("'{text}' is outside the allowed range: from 1s to 7d"));
    }
    Ok(d)
}

/// An interval as it is written in a sync file (`"15m"`).
pub fn format_interval(d: Duration) -> String {
    let s = d.as_secs();
    for (unit, n) in [("d", 86_400), ("h", 3600), ("m", 60)] {
        if s >= n && s.is_multiple_of(n) {
            return format!("{}{unit}", s / n);
        }
    }
    format!("{s}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    #[test]
    fn never_run_is_due_now() {
        assert_eq!(next_run(Duration::from_secs(900), None, 5), 5);
    }

    #[test]
    fn success_keeps_the_start_aligned() {
        let i = Duration::from_secs(15 * 60);
        let l = LastRun { started_ms: 0, ended_ms: 2 * MIN, failures: 0 };
        assert_eq!(next_run(i, Some(l), 3 * MIN), 15 * MIN);
        // A run longer than the interval: the next starts when it ended, not in the past.
        let l = LastRun { started_ms: 0, ended_ms: 20 * MIN, failures: 0 };
        assert_eq!(next_run(i, Some(l), 20 * MIN), 20 * MIN);
    }

    #[test]
    fn failures_back_off_up_to_the_interval() {
        let i = Duration::from_secs(15 * 60);
        let after = |failures| next_run(i, Some(LastRun { started_ms: 0, ended_ms: 10 * MIN, failures }), 10 * MIN) - 10 * MIN;
        assert_eq!([after(1), after(2), after(3), after(4), after(5), after(40)], [MIN, 2 * MIN, 4 * MIN, 8 * MIN, 15 * MIN, 15 * MIN]);
        // A short interval is never stretched by the backoff.
        assert_eq!(retry_delay(Duration::from_secs(1), 3), Duration::from_secs(1));
    }

    #[test]
    fn intervals_parse_and_print() {
        assert_eq!(parse_interval("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_interval("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(format_interval(Duration::from_secs(900)), "15m");
        assert_eq!(format_interval(Duration::from_secs(90)), "90s");
        for bad in ["", "15", "m", "15 minutes", "-1m", "0s", "8d", "1.5h"] {
            assert!(parse_interval(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn next_run_is_never_before_the_last_end() {
        // Invariant over a grid of cases: the next try is after the last run ended.
        for interval_s in [1u64, 60, 900, 86_400] {
            for failures in 0..30 {
                for len in [0, 1, MIN, 48 * 60 * MIN] {
                    let l = LastRun { started_ms: 1_000, ended_ms: 1_000 + len, failures };
                    let next = next_run(Duration::from_secs(interval_s), Some(l), 0);
                    assert!(next >= l.ended_ms, "{interval_s} {failures} {len}");
                    assert!(next - l.ended_ms <= (interval_s * 1000) as i64);
                }
            }
        }
    }
}
