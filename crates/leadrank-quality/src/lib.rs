//! Calibration of a scoring model against outcomes, with no I/O and no clock.
//!
//! [`calibrate`] takes a compiled model, the loaded leads and events, the opportunities and
//! (for sales acceptance) the stage history, and returns a [`CalibrationReport`]: held-out
//! figures of the current points, of a regularised logistic fit and of the proposed points,
//! optionally a gradient-boosted challenger, the proposal itself, and warnings. The report
//! renders as a table ([`render_table`]) or as JSON ([`CalibrationReport::to_json_pretty`]),
//! and gives the model file to write ([`CalibrationReport::model_text`]).
//!
//! [`backtest`] compares two models on the same leads and outcomes, as a typed report too.
//!
//! This sits above `leadrank-metrics` (figures on plain slices, engine-agnostic) because it
//! needs the engine's types: the model's rules and caps, each lead's events, and re-scoring
//! every lead at its own cut-off.

pub mod backtest;
mod calibrate;
pub mod cutoffs;
mod features;
pub mod labels;
mod report;
mod table;

pub use calibrate::{CalibrationError, CalibrationInput, CalibrationOptions, CutOffChoice, Phase, calibrate};
pub use cutoffs::{CutOffRule, CutOffs, cutoffs};
pub use report::{
    CalibrationReport, CurrentFigures, GbmFigures, HeldOut, LogisticFigures, ProposalCv, ProposedFigures, SampleLead, Split, Target,
    ThresholdCheck, WrittenPoints,
};
pub use table::render_table;
