//! Business time: a team's [`Calendar`] in its time zone, as open intervals of real time.
//!
//! Each open local date has one interval `[start, end)` of local wall-clock time, turned
//! into instants with jiff's time zone rules ("compatible" disambiguation: a time in a
//! spring-forward gap moves forward, a repeated fall-back time takes the earlier instant).
//! Business durations are measured in *elapsed* time inside those intervals, so five
//! business minutes are always five real minutes, and a working day that spans a DST change
//! is an hour shorter or longer. A "business day" for SLA purposes is the nominal length
//! `end - start` of the calendar (see [`BusinessCalendar::business_day_minutes`]).

use crate::team::{Calendar, ValidationError, parse_hhmm};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeSet;

/// How many local days a search walks before giving up (about 30 years). Results beyond
/// that saturate to [`Timestamp::MAX`] (adding) or stop counting (between).
const MAX_DAYS: usize = 11_000;

/// A validated calendar bound to a time zone, ready for business-time arithmetic.
#[derive(Debug, Clone)]
pub struct BusinessCalendar {
    tz: TimeZone,
    open_days: [bool; 7],
    start: Time,
    end: Time,
    holidays: BTreeSet<Date>,
}

impl BusinessCalendar {
    /// Binds `calendar` to the IANA time zone `timezone`. Errors name the field at fault
    /// (`timezone`, `days`, `start`, `end`).
    pub fn new(calendar: &Calendar, timezone: &str) -> Result<Self, ValidationError> {
        calendar.validate()?;
        let tz =
            TimeZone::get(timezone).map_err(|_| ValidationError::new("timezone", format!("{timezone:?} is not a known IANA time zone")))?;
        let start = parse_hhmm(&calendar.start).ok_or_else(|| ValidationError::new("start", "bad time"))?;
        let end = parse_hhmm(&calendar.end).ok_or_else(|| ValidationError::new("end", "bad time"))?;
        let mut open_days = [false; 7];
        for d in &calendar.days {
            if let Some(slot) = open_days.get_mut(weekday_index(d.to_jiff())) {
                *slot = true;
            }
        }
        Ok(BusinessCalendar { tz, open_days, start, end, holidays: calendar.holidays.iter().copied().collect() })
    }

    /// The calendar of a team (its `calendar` in its `timezone`).
    pub fn for_team(team: &crate::team::Team) -> Result<Self, ValidationError> {
        BusinessCalendar::new(&team.calendar, &team.timezone)
    }

    /// Monday to Friday, 09:00 to 17:00, UTC.
    pub fn default_utc() -> Self {
        BusinessCalendar {
            tz: TimeZone::UTC,
            open_days: [true, true, true, true, true, false, false],
            start: Time::constant(9, 0, 0, 0),
            end: Time::constant(17, 0, 0, 0),
            holidays: BTreeSet::new(),
        }
    }

    /// The time zone.
    pub fn timezone(&self) -> &TimeZone {
        &self.tz
    }

    /// The nominal length of one business day in minutes (`end - start`), e.g. 480 for
    /// 09:00-17:00. SLA milestones in business days use this.
    pub fn business_day_minutes(&self) -> i64 {
        self.end.since(self.start).map_or(0, |span| i64::from(span.get_hours()) * 60 + span.get_minutes() + span.get_seconds() / 60)
    }

    /// The local date of an instant in this calendar's time zone.
    fn local_date(&self, t: Timestamp) -> Date {
        self.tz.to_datetime(t).date()
    }

    /// The open interval `[open, close)` of a local date, `None` when closed all day.
    fn interval(&self, d: Date) -> Option<(Timestamp, Timestamp)> {
        if !self.open_days.get(weekday_index(d.weekday())).copied().unwrap_or(false) || self.holidays.contains(&d) {
            return None;
        }
        let open = self.tz.to_ambiguous_timestamp(d.to_datetime(self.start)).compatible().ok()?;
        let close = self.tz.to_ambiguous_timestamp(d.to_datetime(self.end)).compatible().ok()?;
        (open < close).then_some((open, close))
    }

    /// Whether the team is open at `t` (opening inclusive, closing exclusive).
    pub fn is_open(&self, t: Timestamp) -> bool {
        self.interval(self.local_date(t)).is_some_and(|(o, c)| o <= t && t < c)
    }

    /// `t` itself when open, else the next opening.
    pub fn next_opening(&self, t: Timestamp) -> Timestamp {
        self.add_business_minutes(t, 0)
    }

    /// The instant `minutes` business minutes after `start`. A start outside business hours
    /// counts from the next opening (so `0` minutes gives the next opening); a deadline that
    /// lands exactly on a closing time stays there. Negative minutes count backwards from
    /// `start` (outside hours: from the previous closing). Saturates at
    /// [`Timestamp::MAX`]/[`Timestamp::MIN`] beyond about 30 years.
    pub fn add_business_minutes(&self, start: Timestamp, minutes: i64) -> Timestamp {
        let minutes = minutes.clamp(-(i64::MAX / 60), i64::MAX / 60);
        if minutes < 0 {
            return self.sub_business(start, SignedDuration::from_secs(minutes.saturating_neg() * 60));
        }
        let mut remaining = SignedDuration::from_secs(minutes * 60);
        let mut day = self.local_date(start);
        for _ in 0..MAX_DAYS {
            if let Some((open, close)) = self.interval(day)
                && close > start
            {
                let from = open.max(start);
                let available = close.duration_since(from);
                if remaining <= available {
                    return from.checked_add(remaining).unwrap_or(Timestamp::MAX);
                }
                remaining -= available;
            }
            match day.tomorrow() {
                Ok(d) => day = d,
                Err(_) => break,
            }
        }
        Timestamp::MAX
    }

    fn sub_business(&self, start: Timestamp, mut remaining: SignedDuration) -> Timestamp {
        let mut day = self.local_date(start);
        for _ in 0..MAX_DAYS {
            if let Some((open, close)) = self.interval(day)
                && open < start
            {
                let to = close.min(start);
                let available = to.duration_since(open);
                if remaining <= available {
                    return to.checked_sub(remaining).unwrap_or(Timestamp::MIN);
                }
                remaining -= available;
            }
            match day.yesterday() {
                Ok(d) => day = d,
                Err(_) => break,
            }
        }
        Timestamp::MIN
    }

    /// Business seconds from `a` to `b` (negative when `b < a`).
    pub fn business_seconds_between(&self, a: Timestamp, b: Timestamp) -> i64 {
        if b < a {
            return -self.business_seconds_between(b, a);
        }
        let last = self.local_date(b);
        let mut day = self.local_date(a);
        let mut total = SignedDuration::ZERO;
        for _ in 0..MAX_DAYS {
            if day > last {
                break;
            }
            if let Some((open, close)) = self.interval(day) {
                let from = open.max(a);
                let to = close.min(b);
                if to > from {
                    total += to.duration_since(from);
                }
            }
            match day.tomorrow() {
                Ok(d) => day = d,
                Err(_) => break,
            }
        }
        total.as_secs()
    }

    /// Whole business minutes from `a` to `b` (truncated toward zero; negative when
    /// `b < a`).
    pub fn business_minutes_between(&self, a: Timestamp, b: Timestamp) -> i64 {
        self.business_seconds_between(a, b) / 60
    }
}

fn weekday_index(w: jiff::civil::Weekday) -> usize {
    usize::try_from(w.to_monday_zero_offset()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::team::Weekday;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn utc_basics() {
        let c = BusinessCalendar::default_utc();
        // 2026-03-02 is a Monday.
        assert!(c.is_open(ts("2026-03-02T09:00:00Z")));
        assert!(!c.is_open(ts("2026-03-02T17:00:00Z")));
        assert!(!c.is_open(ts("2026-03-07T12:00:00Z")));
        assert_eq!(c.add_business_minutes(ts("2026-03-02T08:00:00Z"), 0), ts("2026-03-02T09:00:00Z"));
        assert_eq!(c.add_business_minutes(ts("2026-03-02T16:55:00Z"), 5), ts("2026-03-02T17:00:00Z"));
        assert_eq!(c.add_business_minutes(ts("2026-03-02T17:00:00Z"), 5), ts("2026-03-03T09:05:00Z"));
        assert_eq!(c.business_day_minutes(), 480);
        assert_eq!(c.business_minutes_between(ts("2026-03-02T00:00:00Z"), ts("2026-03-09T00:00:00Z")), 5 * 480);
        assert_eq!(c.business_minutes_between(ts("2026-03-09T00:00:00Z"), ts("2026-03-02T00:00:00Z")), -5 * 480);
    }

    #[test]
    fn backwards() {
        let c = BusinessCalendar::default_utc();
        assert_eq!(c.add_business_minutes(ts("2026-03-03T09:03:00Z"), -5), ts("2026-03-02T16:58:00Z"));
        // Saturday: back from Friday's close.
        assert_eq!(c.add_business_minutes(ts("2026-03-07T12:00:00Z"), -60), ts("2026-03-06T16:00:00Z"));
    }

    #[test]
    fn weekend_only_calendar() {
        let cal = Calendar { days: vec![Weekday::Sat, Weekday::Sun], ..Calendar::default() };
        let c = BusinessCalendar::new(&cal, "UTC").unwrap();
        assert_eq!(c.add_business_minutes(ts("2026-03-02T10:00:00Z"), 1), ts("2026-03-07T09:01:00Z"));
    }

    #[test]
    fn bad_input() {
        assert_eq!(BusinessCalendar::new(&Calendar::default(), "Nowhere/Land").unwrap_err().field, "timezone");
        let cal = Calendar { start: "18:00".into(), ..Calendar::default() };
        assert_eq!(BusinessCalendar::new(&cal, "UTC").unwrap_err().field, "start");
    }

    #[test]
    fn huge_values_saturate() {
        let c = BusinessCalendar::default_utc();
        assert_eq!(c.add_business_minutes(ts("2026-03-02T10:00:00Z"), i64::MAX), Timestamp::MAX);
        assert_eq!(c.add_business_minutes(ts("2026-03-02T10:00:00Z"), i64::MIN), Timestamp::MIN);
    }
}
