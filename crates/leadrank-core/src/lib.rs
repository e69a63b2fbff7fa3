//! The pure domain core of leadrank.
//!
//! Nothing in this crate touches files, the network or the clock: callers pass records in,
//! and the scoring time ("as of") explicitly. That keeps scoring deterministic, fast and easy
//! to test, and lets the CLI, the service and the calibration tools share one definition of
//! a quality lead.
//!
//! * [`records`]: the input records (leads, events, accounts) and the parsing of their values.
//! * [`model`]: the model file (TOML), its validation and the built-in models.
//! * [`engine`]: projection of events, population facts (duplicates, accounts) and scoring.
//! * [`explain`]: the human ledger of one score and what is missing to reach quality.

pub mod engine;
pub mod explain;
pub mod model;
pub mod records;

pub use engine::{Dataset, Reason, Score};
pub use model::{CompiledModel, ModelError};
pub use records::{Account, Event, Lead};
