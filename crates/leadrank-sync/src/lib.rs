//! CRM two-way sync (I/O): the HubSpot and Salesforce connectors.
//!
//! [`hubspot::sync`] reads the records HubSpot changed since the stored cursor (CRM v3
//! search, `lastmodifieddate` ascending, keyset paging), maps them through mapping files
//! into leads and accounts, hands them to the [`leadrank_service::Service`], and writes each
//! lead's score, grade, cell, quality flag, top reasons, stage and rep back into prefixed
//! properties with batch updates, only where a value changed and the per-field rules allow
//! it ([`leadrank_crm::plan`]). Every call goes through the connection's rate budget
//! ([`client`]); 429s, 5xx and timeouts are retried; the cursor and what was written are
//! stored after every page and batch, so a run that stops resumes where it stopped.
//!
//! [`hubspot_events`] reads HubSpot's meetings, marketing e-mail events and form submissions
//! as leadrank events, each from its own cursor.
//!
//! [`salesforce::sync`] does the same with Salesforce's REST API: SOQL queries keyed on
//! `SystemModstamp` and `Id`, composite sObject updates of custom fields, and the org's
//! daily API allocation read from `Sforce-Limit-Info`.
//!
//! [`schedule`] runs the connectors on their intervals inside `leadrank serve`.
//!
//! [`webhooks`] takes HubSpot's signed webhook notifications (`webhooks = true`): runs then
//! read the changed records by id, and search only every `reconcile_every`.

pub mod client;
pub mod deleted;
pub mod hubspot;
pub mod hubspot_events;
pub mod jwt;
pub mod salesforce;
pub mod schedule;
pub mod state;
pub mod webhooks;

pub use client::{HubSpotClient, SyncError, Token};
pub use hubspot::{SyncOptions, SyncReport, sync};
