//! Alerts: which lead events go to which Slack channel, Teams channel or mailbox, and the
//! messages sent there.
//!
//! - [`rule`]: an alert rule ([`AlertRule`]): channel, destination, events, scope (a team, a
//!   rep, or everyone) and validation with errors naming the JSON pointer of the bad field;
//! - [`event`]: the typed event an alert is about ([`AlertEvent`]) and [`AlertRule::matches`];
//! - [`render`]: the Slack Block Kit message, the Teams Adaptive Card envelope and the email
//!   (subject, plain text, HTML), for one alert or a digest of several.
//!
//! Nothing here reads a file, a clock or the network: the service builds the events and the
//! webhook dispatcher sends what is rendered.

pub mod event;
pub mod render;
pub mod rule;

pub use event::{AlertEvent, EventKind};
pub use render::{EmailMessage, Rendered, render};
pub use rule::{ALERT_EVENTS, AlertRule, AlertRuleInput, Channel, Digest, RuleError, Scope};
