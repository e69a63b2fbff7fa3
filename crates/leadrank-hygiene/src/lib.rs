//! Data integrity for leadrank, pure (no I/O): fuzzy duplicate detection with blocking and
//! evidence, survivorship and merge maps, and the labelled set that measures them.
//!
//! * [`config`]: the dedupe configuration (fields, comparators, weights, blocking keys).
//! * [`dedupe`]: normalisation, blocking, pair scoring with evidence, clusters.
//! * [`em`]: weights learned without labels (Fellegi-Sunter, expectation maximisation).
//! * [`merge`]: survivorship rules and the merge map.
//! * [`labelled`]: a generated, labelled duplicate set and pair precision/recall/F1.
//! * [`report`] and [`risk`]: the data-quality report and bot/spam risk.
//! * [`account_match`]: linking leads to accounts by email domain, website and company name.
//! * [`text`]: folding accents and scripts, nicknames, company legal forms, domains.
//!
//! Derived facts (email kind and normalisation, phone validity, country, gibberish names,
//! account keys) come from `leadrank-facts` and `leadrank-core`, never a second version.

pub mod account_match;
pub mod config;
pub mod dedupe;
pub mod em;
pub mod labelled;
pub mod merge;
pub mod report;
pub mod risk;
pub mod text;

pub use config::{Comparator, ConfigError, DedupeConfig, Weights};
pub use dedupe::{DedupeResult, MatchPair, Matcher, Record};
