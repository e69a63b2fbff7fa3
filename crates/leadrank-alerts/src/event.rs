//! The event an alert is about, and which rules it matches.

use serde::{Deserialize, Serialize};

use crate::rule::{AlertRule, Scope};

/// The kinds of event an alert is sent for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    #[serde(rename = "lead.quality")]
    Quality,
    #[serde(rename = "lead.assigned")]
    Assigned,
    #[serde(rename = "sla.breached")]
    SlaBreached,
    #[serde(rename = "sla.warning")]
    SlaWarning,
}

impl EventKind {
    /// The event's name, as rules list it.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Quality => "lead.quality",
            EventKind::Assigned => "lead.assigned",
            EventKind::SlaBreached => "sla.breached",
            EventKind::SlaWarning => "sla.warning",
        }
    }

    /// The kind with this name, if alerts know it.
    pub fn parse(s: &str) -> Option<EventKind> {
        match s {
            "lead.quality" => Some(EventKind::Quality),
            "lead.assigned" => Some(EventKind::Assigned),
            "sla.breached" => Some(EventKind::SlaBreached),
            "sla.warning" => Some(EventKind::SlaWarning),
            _ => None,
        }
    }

    /// The headline of an alert of this kind.
    pub fn title(self) -> &'static str {
        match self {
            EventKind::Quality => "New quality lead",
            EventKind::Assigned => "Lead assigned",
            EventKind::SlaBreached => "SLA breached",
            EventKind::SlaWarning => "SLA due soon",
        }
    }
}

/// One reason behind a score, as an alert shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonLine {
    pub points: i32,
    pub rule: String,
    pub detail: String,
}

/// What an alert says about one lead: built by the service from the event and the lead.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AlertEvent {
    pub kind: Option<EventKind>,
    pub lead_id: String,
    /// First and last name, when known.
    pub person: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    /// Score total, grade and fit-by-intent cell, when the lead is scored.
    pub total: Option<i32>,
    pub grade: Option<String>,
    pub cell: Option<String>,
    /// The top reasons, highest points first (at most three are shown).
    pub reasons: Vec<ReasonLine>,
    /// The lead's current assignment.
    pub team: Option<String>,
    pub rep: Option<String>,
    /// For `sla.breached` and `sla.warning`: the milestone and its due time (RFC 3339).
    pub milestone: Option<String>,
    pub due: Option<String>,
    /// For `sla.warning`: how many minutes before `due` it is sent (rules match their own
    /// `warn_minutes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warn_minutes: Option<u32>,
    /// When the event happened (RFC 3339).
    pub at: String,
}

impl AlertRule {
    /// Whether this rule wants an alert for the event: the rule lists its kind and the lead
    /// is in its scope (a team rule matches leads assigned to the team, a rep rule leads
    /// assigned to the rep; an unassigned lead matches only rules for everyone).
    pub fn matches(&self, event: &AlertEvent) -> bool {
        let Some(kind) = event.kind else { return false };
        if !self.events.iter().any(|e| e == kind.as_str()) {
            return false;
        }
        if kind == EventKind::SlaWarning && event.warn_minutes != Some(self.warn_minutes) {
            return false;
        }
        match &self.scope {
            Scope::All => true,
            Scope::Team(t) => event.team.as_deref() == Some(t.as_str()),
            Scope::Rep(r) => event.rep.as_deref() == Some(r.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::Channel;

    fn rule(events: &[&str], scope: Scope) -> AlertRule {
        AlertRule {
            name: "r".into(),
            channel: Channel::Slack,
            destination: "https://hooks.slack.com/services/x".into(),
            events: events.iter().map(|e| e.to_string()).collect(),
            scope,
            warn_minutes: 2,
            digest: None,
        }
    }

    #[test]
    fn warnings_match_their_rules_lead_time() {
        let ev = AlertEvent { kind: Some(EventKind::SlaWarning), lead_id: "L1".into(), warn_minutes: Some(2), ..AlertEvent::default() };
        assert!(rule(&["sla.warning"], Scope::All).matches(&ev));
        assert!(!rule(&["sla.breached"], Scope::All).matches(&ev));
        let five = AlertRule { warn_minutes: 5, ..rule(&["sla.warning"], Scope::All) };
        assert!(!five.matches(&ev));
        assert!(five.matches(&AlertEvent { warn_minutes: Some(5), ..ev }));
    }

    #[test]
    fn matching_by_event_and_scope() {
        let ev = AlertEvent {
            kind: Some(EventKind::Assigned),
            lead_id: "L1".into(),
            team: Some("emea".into()),
            rep: Some("ana".into()),
            ..AlertEvent::default()
        };
        assert!(rule(&["lead.assigned"], Scope::All).matches(&ev));
        assert!(!rule(&["lead.quality"], Scope::All).matches(&ev));
        assert!(rule(&["lead.assigned"], Scope::Team("emea".into())).matches(&ev));
        assert!(!rule(&["lead.assigned"], Scope::Team("na".into())).matches(&ev));
        assert!(rule(&["lead.assigned"], Scope::Rep("ana".into())).matches(&ev));
        assert!(!rule(&["lead.assigned"], Scope::Rep("bo".into())).matches(&ev));
        let unassigned = AlertEvent { team: None, rep: None, ..ev.clone() };
        assert!(!rule(&["lead.assigned"], Scope::Team("emea".into())).matches(&unassigned));
        assert!(rule(&["lead.assigned"], Scope::All).matches(&unassigned));
        assert!(!rule(&["lead.assigned"], Scope::All).matches(&AlertEvent { kind: None, ..ev }));
    }

    #[test]
    fn kinds_round_trip() {
        for k in [EventKind::Quality, EventKind::Assigned, EventKind::SlaBreached, EventKind::SlaWarning] {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
            assert!(crate::rule::ALERT_EVENTS.contains(&k.as_str()));
        }
        assert_eq!(EventKind::parse("lead.score_changed"), None);
    }
}
