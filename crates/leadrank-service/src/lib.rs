//! The leadrank service core, independent of any transport: what `leadrank serve`'s HTTP API,
//! the web app and the CRM connectors all call.
//!
//! * [`service`]: the state and operations (ingest, rescoring, windows, models, erasure);
//! * [`ops`], [`ops_admin`]: lifecycle stages, sales acceptance, checklists, routing and SLA
//!   clocks, the sales directory and the operating reports; [`accounts`]: account scores;
//! * [`admin`]: models, webhook subscriptions, API keys, privacy export and the audit log;
//! * [`alerts`]: alert rules (Slack, Teams, email) delivered through the webhook queue;
//! * [`deals`]: deals (opportunities), the outcomes the quality figures are measured against;
//! * [`background`]: the window sweeper, the SLA watcher and the webhook dispatcher;
//! * `writer`: the background writer of score history and webhook deliveries;
//! * [`keys`], [`privacy`], [`metrics`], [`clock`]: API keys, erasure markers, Prometheus
//!   metrics and the replaceable clock;
//! * [`demo`]: generated demo data for `leadrank serve --demo`;
//! * [`import`]: bulk import of a CSV file (a CRM export) through a mapping;
//! * [`segment`]: the Segment intake's identity rules (anonymous visitors held, then linked);
//! * [`sync_schedule`], [`sync_status`]: the scheduled CRM sync's status and commands (the
//!   scheduler itself is in `leadrank-sync`).
//!
//! Storage is a [`leadrank_store::Store`] (SQLite or PostgreSQL); only this crate calls it.
//! Locks are taken in one order, enforced by the types: a turn in the write order
//! ([`order::WriteOrder`]: per lead, account and event id, a bulk batch in parts) before the
//! live book (`Service::live_write` takes a held [`order::Turn`]), the live book before the
//! operating state (`Service::ops_lock` takes a `&Live` borrowed from a held guard). The
//! modules form no dependency cycle (`tests/module_cycles.rs`).

pub mod access;
pub mod accounts;
pub mod admin;
pub mod alert_settings;
pub mod alerts;
pub mod background;
pub mod clock;
pub mod crm;
pub mod deals;
pub mod demo;
pub mod digest_store;
pub mod error;
pub mod import;
pub mod keys;
pub mod lead_quality;
pub mod live;
pub mod metrics;
pub mod ops;
pub mod ops_admin;
pub mod order;
pub mod privacy;
pub mod queue_looks;
pub mod segment;
pub mod service;
pub mod sync_schedule;
pub mod sync_status;
pub mod users;
pub mod workspace;
mod writer;

pub use service::{Outcome, Service, ServiceError};
