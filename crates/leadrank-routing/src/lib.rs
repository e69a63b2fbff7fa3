//! Lead routing and SLAs for leadrank.
//!
//! Pure: no I/O, no clock. Every "now" is a parameter, so decisions and deadlines are
//! deterministic and testable. The server stores teams, reps and counters, calls
//! [`RoutingModel::route`] when a lead needs an owner, starts an [`SlaClock`] when it becomes
//! a quality lead, and sleeps until [`SlaStatus::next_due`].
//!
//! Module map:
//!
//! * [`team`]: [`Team`], [`Calendar`], [`Rep`] as the API manages them (serde, defaults,
//!   `validate()` with [`ValidationError`] naming the field), and [`validate_roster`].
//! * [`calendar`]: [`BusinessCalendar`], business-time arithmetic in a team's IANA time zone
//!   (DST-correct via jiff; the tz database is bundled).
//! * [`model`]: the routing file (TOML) and its checking with located errors
//!   ([`RoutingError`]); [`RoutingModel`], [`builtin_routing`] (`models/routing.toml`).
//! * [`route`]: [`RouteInput`], [`RoutingState`], [`Assignment`] with the rule, the detail and
//!   every [`Skip`]; rules in order, first match wins, weighted round-robin in a team.
//! * [`sla`]: [`SlaPolicy`] and milestones, [`SlaClock`] deadlines and [`SlaStatus`].
//! * [`report`]: [`fairness`] (leads per rep against weight) and [`speed_to_lead`].

#![warn(missing_docs)]

pub mod calendar;
pub mod model;
pub mod report;
pub mod route;
pub mod sla;
pub mod team;

pub use calendar::BusinessCalendar;
pub use model::{
    BUILTIN_ROUTING, Conditions, Placeholder, RoutingError, RoutingIssue, RoutingModel, Rule, Segment, Segments, Target, TemplatePart,
    builtin_routing,
};
pub use report::{FairnessReport, RepFairness, RepLoad, SpeedToLead, TeamFairness, fairness, speed_to_lead};
pub use route::{Assignment, RepCounters, RouteInput, RoutingState, Skip, SkipReason};
pub use sla::{Breach, Deadline, Milestone, SlaClock, SlaPolicy, SlaStatus, SlaWindow, Warning, Warnings};
pub use team::{Calendar, Rep, Team, ValidationError, Weekday, validate_roster};
