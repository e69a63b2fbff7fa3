//! Alert rules: what a user asks for, and its validation.

use serde::{Deserialize, Serialize};

/// The events an alert rule may name.
pub const ALERT_EVENTS: &[&str] = &["lead.quality", "lead.assigned", "sla.breached", "sla.warning"];

/// Minutes before a deadline an `sla.warning` is sent, unless the rule says otherwise.
pub const DEFAULT_WARN_MINUTES: u32 = 2;
/// The longest `warn_minutes` (one day).
pub const MAX_WARN_MINUTES: u32 = 1440;

/// Longest rule name, in characters.
pub const MAX_NAME: usize = 100;
/// Longest destination URL, in bytes.
pub const MAX_URL: usize = 2048;
/// Longest team or rep id, in bytes.
pub const MAX_ID: usize = 200;

/// Where an alert goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A Slack incoming webhook (`https://hooks.slack.com/services/...`).
    Slack,
    /// A Microsoft Teams incoming webhook (Workflows or the classic connector).
    Teams,
    /// An email address, sent through the configured SMTP server.
    Email,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Slack => "slack",
            Channel::Teams => "teams",
            Channel::Email => "email",
        }
    }
}

/// How often a digest rule sends: its matching alerts are collected and sent as one message
/// per period, at the period's end (hourly: each full hour; daily: midnight; both in UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Digest {
    Hourly,
    Daily,
}

impl Digest {
    pub fn as_str(self) -> &'static str {
        match self {
            Digest::Hourly => "hourly",
            Digest::Daily => "daily",
        }
    }

    /// The period's length in seconds.
    pub fn seconds(self) -> i64 {
        match self {
            Digest::Hourly => 3600,
            Digest::Daily => 86_400,
        }
    }

    /// The end of the period holding `at_s` (epoch seconds): the next full hour or UTC
    /// midnight strictly after it.
    pub fn period_end(self, at_s: i64) -> i64 {
        let p = self.seconds();
        (at_s.div_euclid(p) + 1) * p
    }
}

/// Whose leads a rule is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Scope {
    /// Every lead.
    All,
    /// Leads assigned to this team.
    Team(String),
    /// Leads assigned to this rep.
    Rep(String),
}

/// A rule as a user writes it (the API's request body).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertRuleInput {
    pub name: String,
    /// `slack`, `teams` or `email`.
    pub channel: String,
    /// The incoming-webhook URL (Slack, Teams) or the email address.
    pub destination: String,
    /// Some of [`ALERT_EVENTS`].
    pub events: Vec<String>,
    /// Only leads assigned to this team.
    #[serde(default)]
    pub team: Option<String>,
    /// Only leads assigned to this rep.
    #[serde(default)]
    pub rep: Option<String>,
    /// For `sla.warning`: minutes before the deadline (default 2).
    #[serde(default)]
    pub warn_minutes: Option<i64>,
    /// `hourly` or `daily`: one message per period; absent: each alert as it happens.
    #[serde(default)]
    pub digest: Option<String>,
}

fn default_warn_minutes() -> u32 {
    DEFAULT_WARN_MINUTES
}

/// A checked rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertRule {
    pub name: String,
    pub channel: Channel,
    /// The URL or email address (a secret for Slack and Teams: show it masked).
    pub destination: String,
    pub events: Vec<String>,
    pub scope: Scope,
    /// For `sla.warning`: minutes before the deadline the warning is sent.
    #[serde(default = "default_warn_minutes")]
    pub warn_minutes: u32,
    /// Collect the alerts and send one message per period (none: send each at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<Digest>,
}

/// Why a rule was refused: the JSON pointer of the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{pointer}: {message}")]
pub struct RuleError {
    pub pointer: String,
    pub message: String,
}

fn err(pointer: &str, message: impl Into<String>) -> RuleError {
    RuleError { pointer: pointer.to_owned(), message: message.into() }
}

impl AlertRuleInput {
    /// Checks every field; the first bad one is named by its JSON pointer.
    pub fn validate(self) -> Result<AlertRule, RuleError> {
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            return Err(err("/name", "give the rule a name"));
        }
        if name.chars().count() > MAX_NAME {
            return Err(err("/name", format!("at most {MAX_NAME} characters")));
        }
        if name.chars().any(char::is_control) {
            return Err(err("/name", "control characters are not allowed"));
        }
        let channel = match self.channel.as_str() {
            "slack" => Channel::Slack,
            "teams" => Channel::Teams,
            "email" => Channel::Email,
            _ => return Err(err("/channel", "expected slack, teams or email")),
        };
        let destination = self.destination.trim().to_owned();
        match channel {
            Channel::Slack | Channel::Teams => check_url(&destination)?,
            Channel::Email => check_email(&destination)?,
        }
        if self.events.is_empty() {
            return Err(err("/events", format!("name at least one of {}", ALERT_EVENTS.join(", "))));
        }
        let mut events: Vec<String> = Vec::with_capacity(self.events.len());
        for (i, e) in self.events.into_iter().enumerate() {
            if !ALERT_EVENTS.contains(&e.as_str()) {
                return Err(err(&format!("/events/{i}"), format!("unknown event; use {}", ALERT_EVENTS.join(", "))));
            }
            if !events.contains(&e) {
                events.push(e);
            }
        }
        let id = |pointer: &str, v: Option<String>| -> Result<Option<String>, RuleError> {
            match v.map(|s| s.trim().to_owned()) {
                None => Ok(None),
                Some(s) if s.is_empty() => Err(err(pointer, "empty; leave it out to alert on every lead")),
                Some(s) if s.len() > MAX_ID => Err(err(pointer, format!("at most {MAX_ID} bytes"))),
                Some(s) if s.chars().any(char::is_control) => Err(err(pointer, "control characters are not allowed")),
                Some(s) => Ok(Some(s)),
            }
        };
        let scope = match (id("/team", self.team)?, id("/rep", self.rep)?) {
            (Some(_), Some(_)) => return Err(err("/rep", "give a team or a rep, not both")),
            (Some(t), None) => Scope::Team(t),
            (None, Some(r)) => Scope::Rep(r),
            (None, None) => Scope::All,
        };
        let warn_minutes = match self.warn_minutes {
            None => DEFAULT_WARN_MINUTES,
            Some(_) if !events.iter().any(|e| e == "sla.warning") => {
                return Err(err("/warn_minutes", "only for rules with the sla.warning event"));
            }
            Some(m) => match u32::try_from(m) {
                Ok(m) if (1..=MAX_WARN_MINUTES).contains(&m) => m,
                _ => return Err(err("/warn_minutes", format!("a whole number of minutes from 1 to {MAX_WARN_MINUTES}"))),
            },
        };
        let digest = match self.digest.as_deref() {
            None => None,
            Some("hourly") => Some(Digest::Hourly),
            Some("daily") => Some(Digest::Daily),
            Some(_) => return Err(err("/digest", "expected hourly or daily (leave it out to send each alert at once)")),
        };
        Ok(AlertRule { name, channel, destination, events, scope, warn_minutes, digest })
    }
}

fn check_url(s: &str) -> Result<(), RuleError> {
    if s.len() > MAX_URL {
        return Err(err("/destination", format!("at most {MAX_URL} bytes")));
    }
    let url = url::Url::parse(s).map_err(|e| err("/destination", format!("not a URL ({e})")))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(err("/destination", "expected an https:// incoming-webhook URL"));
    }
    if url.host().is_none() {
        return Err(err("/destination", "the URL has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(err("/destination", "user names and passwords in the URL are not allowed"));
    }
    Ok(())
}

fn check_email(s: &str) -> Result<(), RuleError> {
    if s.len() > 254 {
        return Err(err("/destination", "an email address has at most 254 bytes"));
    }
    let addr: email_address::EmailAddress = s.parse().map_err(|e| err("/destination", format!("not an email address ({e})")))?;
    if addr.display_part() != "" || s.contains('<') {
        return Err(err("/destination", "give the bare address, without a display name"));
    }
    Ok(())
}

impl AlertRule {
    /// The destination with its secret part hidden: a URL keeps its scheme, host and the
    /// first characters of its path; an email address is shown whole (it is not a secret).
    pub fn masked_destination(&self) -> String {
        match self.channel {
            Channel::Email => self.destination.clone(),
            Channel::Slack | Channel::Teams => mask_url(&self.destination),
        }
    }
}

/// `https://hooks.slack.com/services/T000…` style: scheme, host and at most the first 10
/// characters of the path.
pub fn mask_url(s: &str) -> String {
    match url::Url::parse(s) {
        Ok(u) => {
            let path: String = u.path().chars().take(10).collect();
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!("{}://{}{}{}…", u.scheme(), u.host_str().unwrap_or(""), port, path)
        }
        Err(_) => "…".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AlertRuleInput {
        AlertRuleInput {
            name: "EMEA quality".into(),
            channel: "slack".into(),
            destination: "https://hooks.slack.com/services/T000/B000/XXXXSECRET".into(),
            events: vec!["lead.quality".into(), "sla.breached".into(), "lead.quality".into()],
            team: Some("emea".into()),
            rep: None,
            warn_minutes: None,
            digest: None,
        }
    }

    fn pointer(i: AlertRuleInput) -> String {
        i.validate().unwrap_err().pointer
    }

    #[test]
    fn a_good_rule() {
        let r = input().validate().unwrap();
        assert_eq!(r.channel, Channel::Slack);
        assert_eq!(r.events, ["lead.quality", "sla.breached"]);
        assert_eq!(r.scope, Scope::Team("emea".into()));
        assert_eq!(r.masked_destination(), "https://hooks.slack.com/services/…");
        assert!(!r.masked_destination().contains("SECRET"));
    }

    #[test]
    fn bad_fields_are_named() {
        assert_eq!(pointer(AlertRuleInput { name: " ".into(), ..input() }), "/name");
        assert_eq!(pointer(AlertRuleInput { name: "x".repeat(101), ..input() }), "/name");
        assert_eq!(pointer(AlertRuleInput { channel: "sms".into(), ..input() }), "/channel");
        assert_eq!(pointer(AlertRuleInput { destination: "hooks.slack.com/x".into(), ..input() }), "/destination");
        assert_eq!(pointer(AlertRuleInput { destination: "ftp://h/x".into(), ..input() }), "/destination");
        assert_eq!(pointer(AlertRuleInput { destination: "https://u:p@h/x".into(), ..input() }), "/destination");
        assert_eq!(pointer(AlertRuleInput { destination: format!("https://h/{}", "a".repeat(2048)), ..input() }), "/destination");
        assert_eq!(pointer(AlertRuleInput { events: vec![], ..input() }), "/events");
        assert_eq!(pointer(AlertRuleInput { events: vec!["lead.quality".into(), "lead.nope".into()], ..input() }), "/events/1");
        assert_eq!(pointer(AlertRuleInput { team: Some("".into()), ..input() }), "/team");
        assert_eq!(pointer(AlertRuleInput { rep: Some("r1".into()), ..input() }), "/rep");
        assert_eq!(pointer(AlertRuleInput { warn_minutes: Some(5), ..input() }), "/warn_minutes");
        let warning = |m| AlertRuleInput { events: vec!["sla.warning".into()], warn_minutes: Some(m), ..input() };
        assert_eq!(pointer(warning(0)), "/warn_minutes");
        assert_eq!(pointer(warning(1441)), "/warn_minutes");
        assert_eq!(warning(15).validate().unwrap().warn_minutes, 15);
        let default = AlertRuleInput { events: vec!["sla.warning".into()], ..input() };
        assert_eq!(default.validate().unwrap().warn_minutes, DEFAULT_WARN_MINUTES);
        assert_eq!(pointer(AlertRuleInput { digest: Some("weekly".into()), ..input() }), "/digest");
        assert_eq!(AlertRuleInput { digest: Some("daily".into()), ..input() }.validate().unwrap().digest, Some(Digest::Daily));
    }

    #[test]
    fn digest_periods_end_on_the_hour_and_at_utc_midnight() {
        // 2026-03-02T10:20:00Z
        let t = 1_772_446_800;
        assert_eq!(Digest::Hourly.period_end(t), 1_772_449_200); // 11:00
        assert_eq!(Digest::Daily.period_end(t), 1_772_496_000); // 2026-03-03T00:00
        // A time on the boundary belongs to the next period.
        assert_eq!(Digest::Hourly.period_end(1_772_449_200), 1_772_449_200 + 3600);
        for at in [t, t + 1, t + 3599, -5] {
            let end = Digest::Hourly.period_end(at);
            assert!(end > at && end - at <= 3600 && end % 3600 == 0, "{at}");
        }
    }

    #[test]
    fn email_destinations() {
        let ok = AlertRuleInput { channel: "email".into(), destination: "sdr-team@example.com".into(), ..input() };
        let r = ok.validate().unwrap();
        assert_eq!(r.masked_destination(), "sdr-team@example.com");
        for bad in ["not-an-address", "Ada <ada@example.com>", "https://hooks.slack.com/x"] {
            let i = AlertRuleInput { channel: "email".into(), destination: bad.into(), ..input() };
            assert_eq!(pointer(i), "/destination", "{bad}");
        }
    }

    #[test]
    fn rules_round_trip_through_json() {
        let r = input().validate().unwrap();
        let back: AlertRule = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
        let all = AlertRule { scope: Scope::All, ..r };
        assert!(serde_json::to_string(&all).unwrap().contains(r#""scope":{"kind":"all"}"#));
        // Rules stored before warn_minutes existed read with the default.
        let old = r#"{"name":"n","channel":"slack","destination":"https://h/x","events":["sla.breached"],"scope":{"kind":"all"}}"#;
        assert_eq!(serde_json::from_str::<AlertRule>(old).unwrap().warn_minutes, DEFAULT_WARN_MINUTES);
    }
}
