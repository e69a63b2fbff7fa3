//! The rate budget of one CRM connection: a rolling burst window and a daily cap, kept on
//! times the caller passes in (milliseconds since the Unix epoch), so it is tested without
//! waiting.
//!
//! Before each call the connector asks [`Budget::check`]: go, wait so long, or the day's
//! allowance is spent. A `429` with `Retry-After` holds every later call back
//! ([`Budget::hold_until`]).

use std::collections::VecDeque;

const DAY_MS: u64 = 86_400_000;

/// A CRM's documented limits for one connection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Calls allowed in any rolling `window_ms`.
    pub burst: u32,
    pub window_ms: u64,
    /// Calls allowed per day (0: no daily cap).
    pub daily: u64,
}

/// HubSpot's account tiers, for the limits of a private app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Free,
    Starter,
    Professional,
    Enterprise,
    /// The API limit increase add-on (on Professional or Enterprise).
    ApiAddOn,
}

impl Tier {
    pub const NAMES: [&'static str; 5] = ["free", "starter", "professional", "enterprise", "api-add-on"];

    pub fn parse(s: &str) -> Option<Tier> {
        match s {
            "free" => Some(Tier::Free),
            "starter" => Some(Tier::Starter),
            "professional" => Some(Tier::Professional),
            "enterprise" => Some(Tier::Enterprise),
            "api-add-on" => Some(Tier::ApiAddOn),
            _ => None,
        }
    }

    /// HubSpot's published limits for private apps: 100 calls per 10 s and 250,000 a day on
    /// Free and Starter, 190 per 10 s and 625,000 a day on Professional, 190 per 10 s and
    /// 1,000,000 a day on Enterprise, 250 per 10 s and 1,000,000 more a day with the API
    /// limit increase (counted here on top of Enterprise).
    pub fn hubspot_limits(self) -> Limits {
        let (burst, daily) = match self {
            Tier::Free | Tier::Starter => (100, 250_000),
            Tier::Professional => (190, 625_000),
            Tier::Enterprise => (190, 1_000_000),
            Tier::ApiAddOn => (250, 2_000_000),
        };
        Limits { burst, window_ms: 10_000, daily }
    }
}

/// HubSpot's CRM search endpoints allow 5 requests per second per account, on top of the
/// general limits.
pub const HUBSPOT_SEARCH: Limits = Limits { burst: 5, window_ms: 1_000, daily: 0 };

/// Whether a call may go now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    Go,
    /// Wait this many milliseconds, then ask again.
    Wait(u64),
    /// The daily allowance is spent until this time (ms since the epoch).
    Exhausted {
        until_ms: u64,
    },
}

/// The budget of one connection.
#[derive(Debug, Clone)]
pub struct Budget {
    limits: Limits,
    /// The burst this connection uses (a share of the CRM's, leaving room for others).
    burst: u32,
    daily: u64,
    /// Times of the calls in the current window.
    window: VecDeque<u64>,
    /// The day counted (days since the epoch, shifted by the reset offset) and its calls.
    day: i64,
    used_today: u64,
    /// The CRM's day starts at this offset from UTC midnight.
    reset_offset_ms: i64,
    held_until: u64,
}

impl Budget {
    /// A budget using `share` (0 < share <= 1) of `limits`; the CRM's day begins
    /// `reset_offset_minutes` after UTC midnight (HubSpot resets at midnight in the account's
    /// time zone: -300 for New York in winter).
    pub fn new(limits: Limits, share: f64, reset_offset_minutes: i64) -> Budget {
        let share = if share.is_finite() { share.clamp(0.01, 1.0) } else { 1.0 };
        let burst = ((f64::from(limits.burst) * share).floor() as u32).max(1);
        let daily = if limits.daily == 0 { 0 } else { ((limits.daily as f64 * share).floor() as u64).max(1) };
        Budget {
            limits,
            burst,
            daily,
            window: VecDeque::new(),
            day: i64::MIN,
            used_today: 0,
            reset_offset_ms: reset_offset_minutes * 60_000,
            held_until: 0,
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The burst this connection allows itself per window.
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// The daily calls this connection allows itself (0: no cap).
    pub fn daily(&self) -> u64 {
        self.daily
    }

    fn day_of(&self, now_ms: u64) -> i64 {
        (now_ms as i64 + self.reset_offset_ms).div_euclid(DAY_MS as i64)
    }

    fn next_day_start(&self, now_ms: u64) -> u64 {
        ((self.day_of(now_ms) + 1) * DAY_MS as i64 - self.reset_offset_ms).max(0) as u64
    }

    /// Calls counted today (as of `now_ms`).
    pub fn used_today(&self, now_ms: u64) -> u64 {
        if self.day_of(now_ms) == self.day { self.used_today } else { 0 }
    }

    /// Restores the day's count kept from an earlier run (the cap spans processes).
    pub fn restore_day(&mut self, day: i64, used: u64) {
        self.day = day;
        self.used_today = used;
    }

    /// The day counted and its calls, to keep for the next run.
    pub fn day_count(&self) -> (i64, u64) {
        (self.day, self.used_today)
    }

    /// Whether a call may go at `now_ms` (counts nothing).
    fn roll(&mut self, now_ms: u64) {
        let day = self.day_of(now_ms);
        if day != self.day {
            self.day = day;
            self.used_today = 0;
        }
    }

    pub fn check(&mut self, now_ms: u64) -> Admit {
        self.roll(now_ms);
        if self.daily > 0 && self.used_today >= self.daily {
            return Admit::Exhausted { until_ms: self.next_day_start(now_ms) };
        }
        if now_ms < self.held_until {
            return Admit::Wait(self.held_until - now_ms);
        }
        while self.window.front().is_some_and(|&t| t + self.limits.window_ms <= now_ms) {
            self.window.pop_front();
        }
        if self.window.len() >= self.burst as usize {
            let oldest = self.window.front().copied().unwrap_or(now_ms);
            return Admit::Wait((oldest + self.limits.window_ms).saturating_sub(now_ms).max(1));
        }
        Admit::Go
    }

    /// Counts a call sent at `now_ms` (after [`Budget::check`] said go).
    pub fn record(&mut self, now_ms: u64) {
        self.roll(now_ms);
        self.window.push_back(now_ms);
        self.used_today += 1;
    }

    /// Holds every call back until `until_ms` (a `Retry-After`, or a backoff).
    pub fn hold_until(&mut self, until_ms: u64) {
        self.held_until = self.held_until.max(until_ms);
    }

    /// The CRM said the day's allowance is spent: no call until its next day.
    pub fn exhaust_day(&mut self, now_ms: u64) {
        self.day = self.day_of(now_ms);
        self.used_today = self.used_today.max(self.daily.max(1));
        if self.daily == 0 {
            self.held_until = self.next_day_start(now_ms);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `n` calls as fast as the budget allows from t = 0; returns the time of the last.
    fn drive(b: &mut Budget, n: usize) -> (u64, Vec<u64>) {
        let mut now = 0u64;
        let mut times = Vec::new();
        while times.len() < n {
            match b.check(now) {
                Admit::Go => {
                    b.record(now);
                    times.push(now);
                }
                Admit::Wait(ms) => now += ms,
                Admit::Exhausted { until_ms } => now = until_ms,
            }
        }
        (now, times)
    }

    #[test]
    fn never_more_than_the_burst_in_any_window() {
        let mut b = Budget::new(Tier::Starter.hubspot_limits(), 1.0, 0);
        let (_, times) = drive(&mut b, 1_000);
        for (i, &t) in times.iter().enumerate() {
            let in_window = times[i..].iter().take_while(|&&u| u < t + 10_000).count();
            assert!(in_window <= 100, "{in_window} calls in the window from {t}");
        }
        // 1,000 calls at 100 per 10 s: the last goes out at 90 s.
        assert_eq!(*times.last().unwrap(), 90_000);
    }

    #[test]
    fn share_leaves_room_for_other_apps() {
        let b = Budget::new(Tier::Professional.hubspot_limits(), 0.8, 0);
        assert_eq!(b.burst(), 152);
        assert_eq!(b.daily(), 500_000);
    }

    #[test]
    fn the_daily_cap_waits_for_the_next_day() {
        let mut b = Budget::new(Limits { burst: 1000, window_ms: 10_000, daily: 5 }, 1.0, 0);
        for _ in 0..5 {
            assert_eq!(b.check(1_000), Admit::Go);
            b.record(1_000);
        }
        assert_eq!(b.check(2_000), Admit::Exhausted { until_ms: DAY_MS });
        assert_eq!(b.check(DAY_MS), Admit::Go);
        // A day reset at 05:00 UTC (the account in UTC-5).
        let mut b = Budget::new(Limits { burst: 1000, window_ms: 10_000, daily: 1 }, 1.0, -300);
        b.record(0);
        let five = 5 * 3_600_000;
        assert_eq!(b.check(1), Admit::Exhausted { until_ms: five });
    }

    #[test]
    fn retry_after_holds_calls_back() {
        let mut b = Budget::new(Tier::Enterprise.hubspot_limits(), 1.0, 0);
        b.hold_until(3_000);
        assert_eq!(b.check(1_000), Admit::Wait(2_000));
        assert_eq!(b.check(3_000), Admit::Go);
    }

    #[test]
    fn the_day_count_survives_a_restart() {
        let mut b = Budget::new(Limits { burst: 10, window_ms: 1_000, daily: 3 }, 1.0, 0);
        b.record(5);
        b.record(6);
        let (day, used) = b.day_count();
        let mut again = Budget::new(Limits { burst: 10, window_ms: 1_000, daily: 3 }, 1.0, 0);
        again.restore_day(day, used);
        assert_eq!(again.check(7), Admit::Go);
        again.record(7);
        assert!(matches!(again.check(8), Admit::Exhausted { .. }));
    }
}
