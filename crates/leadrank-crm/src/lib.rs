//! CRM two-way sync, the pure part (no I/O, no clock): what the connectors in
//! `leadrank-sync` decide before they spend an API call.
//!
//! * [`fields`]: the leadrank properties written back to the CRM (score, grade, cell,
//!   quality flag, top reasons, stage, rep), their definitions for `--install-fields` and
//!   the values wanted for one lead, reasons cut to the CRM's text limit;
//! * [`plan`]: per record, which fields to write, diffed against what was last written and
//!   what the CRM holds now, with the per-field rules (never overwrite a value a person set,
//!   never move HubSpot's lifecycle stage backwards, only if empty);
//! * [`budget`]: the rate budget of one connection (a rolling burst window and a daily cap,
//!   on times the caller passes in), and how `Retry-After` holds it back;
//! * [`config`]: the sync file (`sync.toml`), every problem located by file, line and key;
//! * [`calls`]: how many API calls a sync spends, for dry runs and the benchmarks;
//! * [`salesforce`]: Salesforce's custom field names and definitions, the keyset SOQL query,
//!   the daily API allocation header, per-record errors of a composite update.
//! * [`schedule`]: when a scheduled sync (`serve --sync-config`) runs next, and its backoff.

pub mod budget;
pub mod calls;
pub mod config;
pub mod fields;
pub mod plan;
pub mod salesforce;
pub mod schedule;

pub use budget::{Admit, Budget, Limits, Tier};
pub use config::{ConfigError, ConfigErrors, SyncConfig};
pub use fields::{CrmField, Snapshot};
pub use plan::{Decision, FieldRule, RecordPlan, Rules, plan_record};
