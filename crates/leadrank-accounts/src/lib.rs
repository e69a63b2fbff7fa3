//! Accounts and buying committees: people rolled up to the accounts they work for.
//!
//! Pure: no I/O and no clock; the scoring time ("as of") is a parameter.
//!
//! - [`roles`]: which buying-committee seats a person holds, from title and department
//!   ([`roles_of`]).
//! - [`score`]: the account score ([`score_account`]): fit from the best-fitting person,
//!   engagement across people with diminishing returns, recency, and committee coverage,
//!   with a reason for every point and the seats nobody fills.
//! - [`explain`]: the ledger a sales rep reads ([`explain_account`]) and
//!   [`rank_accounts`].
//!
//! ```
//! use jiff::Timestamp;
//! use leadrank_accounts::*;
//!
//! let as_of: Timestamp = "2026-06-30T12:00:00Z".parse().unwrap();
//! let info = AccountInfo { account_id: "A1".into(), tier: Some("ABM".into()), ..Default::default() };
//! let cfo = Person {
//!     lead_id: "L1".into(),
//!     title: Some("CFO".into()),
//!     fit: 40,
//!     intent: 25,
//!     total: 80,
//!     quality: true,
//!     last_engaged: Some("2026-06-28T09:00:00Z".parse().unwrap()),
//!     engaged_events: 3,
//!     ..Default::default()
//! };
//! let score = score_account(&info, &[cfo], as_of, &AccountPolicy::default());
//! assert!(score.abm);
//! assert_eq!(score.total, score.reasons.iter().map(|r| r.points).sum::<i32>());
//! assert!(score.missing.contains(&"no one from security known".to_string()));
//! ```

pub mod explain;
pub mod roles;
pub mod score;

pub use explain::{explain_account, rank_accounts};
pub use roles::{CommitteeRole, roles_of};
pub use score::{AccountInfo, AccountPolicy, AccountReason, AccountScore, Person, RecencyBand, RoleCoverage, score_account};
