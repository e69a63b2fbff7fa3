//! SLAs: policies per stage and grade, deadlines in business time, and their evaluation.
//!
//! A policy has milestones ("1 touch within 5 business minutes", "12 touches within 10
//! business days"). [`SlaClock::start`] turns them into instants with the team's
//! [`BusinessCalendar`]; [`SlaClock::evaluate`] says, for the touches so far and `now`,
//! which milestones are met, which are breached, and when the next one falls due (the
//! instant the server's timer sleeps until).

use crate::calendar::BusinessCalendar;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// How long a milestone allows, in business time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaWindow {
    /// Business minutes.
    Minutes(i64),
    /// Business days; one business day is the calendar's nominal day length
    /// ([`BusinessCalendar::business_day_minutes`]).
    BusinessDays(i64),
}

impl SlaWindow {
    /// The window in business minutes under `calendar`.
    pub fn minutes(self, calendar: &BusinessCalendar) -> i64 {
        match self {
            SlaWindow::Minutes(m) => m,
            SlaWindow::BusinessDays(d) => d.saturating_mul(calendar.business_day_minutes()),
        }
    }
}

/// One milestone of a policy: `touches` touches within `window` of the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    /// Id, e.g. `first_touch`.
    pub id: String,
    /// Touches required (at least 1).
    pub touches: u32,
    /// Time allowed.
    pub window: SlaWindow,
    /// Whether a breach should re-route the lead to the next rep.
    pub reroute: bool,
}

/// An SLA policy from the routing file's `[[sla]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    /// Id.
    pub id: String,
    /// Human label.
    pub label: String,
    /// Stages it applies to (lower case; empty = all).
    pub stages: Vec<String>,
    /// Grades it applies to (lower case; empty = all).
    pub grades: Vec<String>,
    /// Milestones, in file order.
    pub milestones: Vec<Milestone>,
}

impl SlaPolicy {
    /// Whether the policy covers `stage` and `grade` (case-insensitive; empty lists = all).
    pub fn applies(&self, stage: &str, grade: &str) -> bool {
        let stage = stage.trim();
        let grade = grade.trim();
        (self.stages.is_empty() || self.stages.iter().any(|s| s.eq_ignore_ascii_case(stage)))
            && (self.grades.is_empty() || self.grades.iter().any(|g| g.eq_ignore_ascii_case(grade)))
    }
}

/// A milestone turned into an instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// Milestone id.
    pub id: String,
    /// Touches required by `due`.
    pub touches: u32,
    /// The deadline (inclusive: a touch exactly at `due` counts).
    pub due: Timestamp,
    /// Whether a breach should re-route.
    pub reroute: bool,
}

/// The deadlines of one lead under one policy, from the instant the clock started (e.g. the
/// lead became a quality lead, or was re-routed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaClock {
    /// The policy id.
    pub policy: String,
    /// When the clock started; touches before it do not count.
    pub started: Timestamp,
    /// One deadline per milestone, in policy order.
    pub milestones: Vec<Deadline>,
}

/// A missed milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breach {
    /// Milestone id.
    pub milestone: String,
    /// Its deadline.
    pub due: Timestamp,
    /// Touches counted from `started` to `due`.
    pub touches_by_due: u32,
    /// Touches required.
    pub required: u32,
    /// Whether the policy asks to re-route on this breach.
    pub reroute: bool,
}

/// Where a lead stands against its SLA at some instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaStatus {
    /// Milestones met, in policy order.
    pub met: Vec<String>,
    /// Milestones breached, in policy order.
    pub breached: Vec<Breach>,
    /// The earliest deadline among milestones neither met nor breached; `None` when all are
    /// settled. Evaluate again at that instant.
    pub next_due: Option<Timestamp>,
    /// Whether any breached milestone asks for re-routing.
    pub reroute: bool,
}

impl SlaClock {
    /// Starts the clock at `started`: each milestone's deadline is its window in business
    /// minutes added to `started` with `calendar` (a start outside hours counts from the
    /// next opening).
    pub fn start(policy: &SlaPolicy, calendar: &BusinessCalendar, started: Timestamp) -> SlaClock {
        let milestones = policy
            .milestones
            .iter()
            .map(|m| Deadline {
                id: m.id.clone(),
                touches: m.touches,
                due: calendar.add_business_minutes(started, m.window.minutes(calendar)),
                reroute: m.reroute,
            })
            .collect();
        SlaClock { policy: policy.id.clone(), started, milestones }
    }

    /// Evaluates the clock at `now` for the lead's touch times (any order; the caller passes
    /// the `sales_touch` events). A milestone is met when at least `touches` touches fall in
    /// `[started, min(due, now)]`; breached when it is not met and `now >= due`; otherwise
    /// pending. Touches after `now` are ignored, so replaying history gives the answer as
    /// of `now`.
    pub fn evaluate(&self, touches: &[Timestamp], now: Timestamp) -> SlaStatus {
        let mut status = SlaStatus { met: Vec::new(), breached: Vec::new(), next_due: None, reroute: false };
        for d in &self.milestones {
            let until = d.due.min(now);
            let count = touches.iter().filter(|t| **t >= self.started && **t <= until).count();
            let count = u32::try_from(count).unwrap_or(u32::MAX);
            if count >= d.touches {
                status.met.push(d.id.clone());
            } else if now >= d.due {
                status.reroute |= d.reroute;
                status.breached.push(Breach {
                    milestone: d.id.clone(),
                    due: d.due,
                    touches_by_due: count,
                    required: d.touches,
                    reroute: d.reroute,
                });
            } else {
                status.next_due = Some(status.next_due.map_or(d.due, |n| n.min(d.due)));
            }
        }
        status
    }
}

/// A warning that a milestone is due soon: sent `minutes` before `due` while it is not met.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Warning {
    /// Milestone id.
    pub milestone: String,
    /// Its deadline.
    pub due: Timestamp,
    /// How long before `due` the warning is sent, in minutes.
    pub minutes: i64,
}

impl Warning {
    /// When the warning is sent.
    pub fn at(&self) -> Timestamp {
        self.due - jiff::SignedDuration::from_mins(self.minutes)
    }
}

/// Warnings due and the next one to wait for (see [`SlaClock::warnings`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Warnings {
    /// Warnings whose time has come by `now`, in time order.
    pub due: Vec<Warning>,
    /// The earliest time a later warning is sent.
    pub next: Option<Timestamp>,
}

impl SlaClock {
    /// The "due soon" warnings of this clock at `now`, for each lead time in `offsets`
    /// (minutes before a deadline): one per (milestone, deadline, offset) not in `sent`, for a
    /// milestone neither met nor yet due, once `now` reaches its deadline minus the offset. A
    /// warning whose time passed while the milestone was still pending is sent late rather
    /// than never (a clock started less than `minutes` before its deadline still warns).
    pub fn warnings(&self, touches: &[Timestamp], now: Timestamp, offsets: &[i64], sent: &[Warning]) -> Warnings {
        let mut out = Warnings::default();
        let status = self.evaluate(touches, now);
        for d in &self.milestones {
            if status.met.contains(&d.id) || now >= d.due {
                continue;
            }
            for &minutes in offsets {
                let w = Warning { milestone: d.id.clone(), due: d.due, minutes };
                if sent.contains(&w) {
                    continue;
                }
                let at = w.at();
                if at <= now {
                    out.due.push(w);
                } else {
                    out.next = Some(out.next.map_or(at, |n| n.min(at)));
                }
            }
        }
        out.due.sort_by_key(|w| (w.at(), w.milestone.clone(), w.minutes));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn policy() -> SlaPolicy {
        SlaPolicy {
            id: "p".into(),
            label: "p".into(),
            stages: vec!["mql".into()],
            grades: vec![],
            milestones: vec![
                Milestone { id: "first".into(), touches: 1, window: SlaWindow::Minutes(5), reroute: true },
                Milestone { id: "cadence".into(), touches: 3, window: SlaWindow::BusinessDays(2), reroute: false },
            ],
        }
    }

    #[test]
    fn deadlines_and_status() {
        let cal = BusinessCalendar::default_utc();
        let start = ts("2026-03-02T10:00:00Z");
        let clock = SlaClock::start(&policy(), &cal, start);
        assert_eq!(clock.milestones[0].due, ts("2026-03-02T10:05:00Z"));
        assert_eq!(clock.milestones[1].due, ts("2026-03-04T10:00:00Z"));
        let s = clock.evaluate(&[], start);
        assert_eq!(s.next_due, Some(ts("2026-03-02T10:05:00Z")));
        let s = clock.evaluate(&[], ts("2026-03-02T10:05:00Z"));
        assert_eq!(s.breached.len(), 1);
        assert!(s.reroute);
        assert_eq!(s.next_due, Some(ts("2026-03-04T10:00:00Z")));
        // A touch after now does not count yet.
        let s = clock.evaluate(&[ts("2026-03-02T10:03:00Z")], ts("2026-03-02T10:01:00Z"));
        assert!(s.met.is_empty());
        assert_eq!(s.next_due, Some(ts("2026-03-02T10:05:00Z")));
    }

    #[test]
    fn warnings_before_deadlines() {
        let cal = BusinessCalendar::default_utc();
        let start = ts("2026-03-02T10:00:00Z");
        let clock = SlaClock::start(&policy(), &cal, start);
        // first is due 10:05; a 2-minute warning at 10:03.
        let w = clock.warnings(&[], start, &[2], &[]);
        assert!(w.due.is_empty());
        assert_eq!(w.next, Some(ts("2026-03-02T10:03:00Z")));
        let w = clock.warnings(&[], ts("2026-03-02T10:03:00Z"), &[2], &[]);
        assert_eq!(w.due, [Warning { milestone: "first".into(), due: ts("2026-03-02T10:05:00Z"), minutes: 2 }]);
        // Sent once: next is the cadence milestone's warning.
        let sent = w.due.clone();
        let w = clock.warnings(&[], ts("2026-03-02T10:04:00Z"), &[2], &sent);
        assert!(w.due.is_empty());
        assert_eq!(w.next, Some(ts("2026-03-04T09:58:00Z")));
        // A met milestone is not warned about; a due one neither (it is a breach).
        let w = clock.warnings(&[ts("2026-03-02T10:01:00Z")], ts("2026-03-02T10:03:00Z"), &[2], &[]);
        assert!(w.due.is_empty());
        let w = clock.warnings(&[], ts("2026-03-02T10:05:00Z"), &[2], &[]);
        assert!(w.due.is_empty());
        // A lead time longer than the window warns at once; two offsets warn twice.
        let w = clock.warnings(&[], start, &[10, 2], &[]);
        assert_eq!(w.due.len(), 1);
        assert_eq!(w.due[0].minutes, 10);
        assert_eq!(w.next, Some(ts("2026-03-02T10:03:00Z")));
    }

    #[test]
    fn applies() {
        let p = policy();
        assert!(p.applies("MQL", "a"));
        assert!(!p.applies("sal", "a"));
    }
}
