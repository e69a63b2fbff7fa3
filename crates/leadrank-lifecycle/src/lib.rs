//! The lead lifecycle of leadrank, pure: no I/O and no clock; every
//! operation takes "now" as a parameter.
//!
//! * [`stage`]: the stages ([`Stage`]) and the kept record of every move ([`Transition`]).
//! * [`policy`]: the per-lead state ([`LeadLifecycle`]) and the model's rules ([`Policy`]):
//!   automatic moves on every rescoring, sales acceptance and rejection with reason codes,
//!   the manual move table ([`manual_targets`]) and checklist items with the SQL gate.
//! * [`checklist`]: BANT, CHAMP and MEDDICC with their discovery questions, per-lead
//!   entries and completeness.
//! * [`report`]: the funnel: stage counts, stage conversion and rejections by reason.
//!
//! The caller stores [`LeadLifecycle`] (JSON) and appends every returned [`Transition`] to
//! the lead's history, firing webhooks for it.

#![warn(missing_docs)]

pub mod checklist;
pub mod policy;
pub mod report;
pub mod stage;

pub use checklist::{Checklist, ChecklistEntry, Completeness, FRAMEWORKS, Framework, Item, ItemStatus, ItemView, framework};
pub use policy::{LeadLifecycle, LifecycleError, Policy, Rejection, ScoreView, manual_targets};
pub use report::{Conversion, Conversions, FunnelReport, FunnelTally, RejectionCount, RejectionRate, StageCount};
pub use stage::{ParseStageError, Stage, Transition};
