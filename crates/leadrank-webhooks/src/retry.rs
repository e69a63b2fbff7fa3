//! The retry schedule: fixed, deterministic (no jitter) steps, retrying for at least
//! [`RETRY_HORIZON`] after a delivery was created.

use jiff::{SignedDuration, Timestamp};

/// The waits after the 1st, 2nd, ... failed attempt, in seconds: 10 s, 30 s, 2 min, 10 min,
/// 30 min, 1 h; every later failure waits [`LATER_DELAY_SECS`].
pub const RETRY_DELAYS_SECS: [i64; 6] = [10, 30, 120, 600, 1_800, 3_600];
/// The wait after the 7th and every later failed attempt: 2 h.
pub const LATER_DELAY_SECS: i64 = 7_200;
/// How long after creation a failed attempt is still followed by another: 24 h. The last
/// retry is therefore made between 24 h and 26 h after creation (with a punctual dispatcher,
/// at 25 h 42 min 40 s, the 19th attempt).
pub const RETRY_HORIZON: SignedDuration = SignedDuration::from_hours(24);

/// The wait after `attempts` failed attempts (zero for no attempt yet).
pub fn retry_delay(attempts: u32) -> SignedDuration {
    let secs = match attempts {
        0 => 0,
        n => RETRY_DELAYS_SECS.get(n as usize - 1).copied().unwrap_or(LATER_DELAY_SECS),
    };
    SignedDuration::from_secs(secs)
}

/// When to try a delivery again after its `attempts`-th attempt failed at `now`, or `None` to
/// give up (the delivery becomes `Failed`).
///
/// Retries go on while the failed attempt was made less than [`RETRY_HORIZON`] after
/// `first_created_at`; the first failure at or past it is final.
pub fn next_retry(attempts: u32, first_created_at: Timestamp, now: Timestamp) -> Option<Timestamp> {
    if now.duration_since(first_created_at) >= RETRY_HORIZON {
        return None;
    }
    now.checked_add(retry_delay(attempts)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> Timestamp {
        "2025-01-01T00:00:00Z".parse().unwrap()
    }

    /// Every attempt time of a delivery that always fails, with a punctual dispatcher.
    fn punctual_attempts() -> Vec<Timestamp> {
        let created = t0();
        let mut at = created;
        let mut times = vec![at];
        while let Some(next) = next_retry(times.len() as u32, created, at) {
            assert!(next > at);
            at = next;
            times.push(at);
            assert!(times.len() < 100, "schedule does not end");
        }
        times
    }

    #[test]
    fn steps() {
        let created = t0();
        let secs = |n| next_retry(n, created, created).unwrap().duration_since(created).as_secs();
        assert_eq!(secs(0), 0);
        assert_eq!(secs(1), 10);
        assert_eq!(secs(2), 30);
        assert_eq!(secs(3), 120);
        assert_eq!(secs(4), 600);
        assert_eq!(secs(5), 1_800);
        assert_eq!(secs(6), 3_600);
        assert_eq!(secs(7), 7_200);
        assert_eq!(secs(50), 7_200);
        assert_eq!(secs(u32::MAX), 7_200);
    }

    #[test]
    fn horizon_is_at_least_24h_and_gives_up_before_26h() {
        let times = punctual_attempts();
        let created = t0();
        let last = times.last().unwrap().duration_since(created);
        assert!(last >= SignedDuration::from_hours(24), "last attempt at {last:?}");
        assert!(last <= SignedDuration::from_hours(26), "last attempt at {last:?}");
        // 25 h 42 min 40 s: the 19th attempt.
        assert_eq!(last, SignedDuration::from_secs(25 * 3600 + 42 * 60 + 40));
        assert_eq!(times.len(), 19);
        // The second to last attempt was inside the horizon, so it was retried.
        assert!(times[times.len() - 2].duration_since(created) < RETRY_HORIZON);
    }

    #[test]
    fn boundary() {
        let created = t0();
        let just_before = created + (RETRY_HORIZON - SignedDuration::from_secs(1));
        let next = next_retry(12, created, just_before).unwrap();
        assert_eq!(next.duration_since(created), SignedDuration::from_secs(26 * 3600 - 1));
        assert_eq!(next_retry(12, created, created + RETRY_HORIZON), None);
        assert_eq!(next_retry(1, created, created + SignedDuration::from_hours(30)), None);
        // A late first attempt (the dispatcher was down) past the horizon is final too.
        assert_eq!(next_retry(1, created, created + SignedDuration::from_hours(48)), None);
    }
}
