//! Local fake CRM servers for the connectors' tests (never a dependency of a shipped crate).
//!
//! The vendors' APIs cannot be reached from a test, so each fake follows the vendor's
//! published API reference for the endpoints leadrank calls: paths, request and response
//! bodies, batch size limits, paging (and its limits), error bodies, rate limits (429 with
//! `Retry-After`, a daily cap) and partial batch failures (207). Tests inject faults (bursts
//! of 429, 5xx, slow answers, partial failures) and read the log of every call.
//!
//! * [`hubspot`]: HubSpot's CRM v3 objects (search, batch update), properties and property
//!   groups, and v4 association reads;
//! * [`salesforce`]: Salesforce's REST query (a SOQL subset, `nextRecordsUrl` paging),
//!   composite sObject updates, describe, and the daily API allocation.

pub mod hubspot;
pub mod salesforce;

pub use hubspot::{Call, Fault, HubSpotFake};
pub use salesforce::SalesforceFake;
