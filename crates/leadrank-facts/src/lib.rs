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
//!
//! ```
//! use leadrank_facts::{country, email, names, phone, seniority, url};
//!
//! assert_eq!(email::classify("Jane@GMail.com").kind, email::EmailKind::FreeMail);
//! assert_eq!(email::normalize_for_dedupe("J.Doe+x@googlemail.com").as_deref(), Some("jdoe@gmail.com"));
//! assert_eq!(phone::parse_e164("(415) 555-2671", Some("US")).as_deref(), Some("+14155552671"));
//! assert_eq!(country::normalize("United Kingdom"), Some("GB"));
//! assert_eq!(country::region("GB"), Some(country::Region::Emea));
//! assert_eq!(seniority::from_title("VP of Sales"), seniority::Seniority::Vp);
//! assert_eq!(seniority::from_title("Executive Assistant to the CEO"), seniority::Seniority::Individual);
//! assert!(names::is_gibberish(Some("asdf"), Some("qwerty")));
//! assert!(!names::is_gibberish(Some("Łukasz"), Some("Szczepański")));
//! assert_eq!(url::normalize_path("https://Acme.com/Pricing/?utm=x"), "/pricing");
//! ```

pub mod country;
pub mod email;
pub mod names;
pub mod phone;
pub mod seniority;
pub mod url;

mod memo;
mod text;
