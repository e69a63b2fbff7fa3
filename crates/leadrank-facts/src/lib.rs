//! Derived facts about a lead, computed from its raw fields without any I/O.
//!
//! Every function here is pure and total: any input string gives an answer, never a panic.
//! The engine (`leadrank-core`) and the hygiene report reuse these facts, so there is exactly
//! one definition of "corporate email", "valid phone", "director or above" and so on.
//!
//! Modules:
//! - [`email`]: corporate / free-mail / disposable / invalid, dedupe key, role addresses.
//! - [`phone`]: E.164 parsing and numbering-plan validity (via `phonenumber`).
//! - [`country`]: ISO 3166-1 alpha-2 from codes and common names; sales region.
//! - [`seniority`]: seniority level from a job title.
//! - [`names`]: full-name dedupe key and a high-precision gibberish-name detector.
//! - [`url`]: URL path normalisation and segment-aware prefix matching.

pub mod country;
pub mod email;
pub mod names;
pub mod phone;
pub mod seniority;
pub mod url;

mod text;
