//! Bot and fraud risk per lead, with reasons, for the hygiene report.
//!
//! The reasons, their weights and each check are defined once, in
//! [`leadrank_core::engine::risk`], which the model's bot-risk facts (`bot_user_agent`,
//! `form_burst`, `ip_burst`, `country_phone_mismatch`, `bot_risk`) also use; this module
//! gathers a lead's signals from raw events (keeping the user agent and IP for evidence) and
//! explains each reason.

use rustc_hash::FxHashMap;
use serde::Serialize;

use leadrank_core::Lead;
use leadrank_core::engine::LeadFacts;
use leadrank_facts::email::EmailKind;

use leadrank_core::engine::risk::{self as core_risk, IP_BURST_LEADS, IP_BURST_SECONDS, SIGNUP_TYPES};
pub use leadrank_core::engine::risk::{HIGH_RISK, REASONS, country_phone_mismatch, is_bot_user_agent};

/// What the risk checks need from a lead's events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventSignals {
    /// Unix seconds of each `form_submit`.
    pub form_submits: Vec<i64>,
    /// `user_agent` property values seen.
    pub user_agents: Vec<String>,
    /// (`ip` property, Unix seconds) of sign-up events (form_submit, demo_request, trial_started).
    pub signups: Vec<(String, i64)>,
}

/// What one event contributes to the risk checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventView<'a> {
    pub event_type: &'a str,
    /// Unix seconds.
    pub at: i64,
    pub user_agent: Option<&'a str>,
    pub ip: Option<&'a str>,
}

/// The event signals of one lead and whether it has an `email_bounce`, from its events;
/// events after `as_of` (Unix seconds) are ignored.
pub fn signals_of<'a>(events: impl IntoIterator<Item = EventView<'a>>, as_of: i64) -> (EventSignals, bool) {
    let mut s = EventSignals::default();
    let mut bounced = false;
    for e in events.into_iter().filter(|e| e.at <= as_of) {
        match e.event_type {
            "form_submit" => s.form_submits.push(e.at),
            "email_bounce" => bounced = true,
            _ => {}
        }
        if let Some(ua) = e.user_agent.map(str::trim).filter(|u| !u.is_empty())
            && !s.user_agents.iter().any(|u| u == ua)
        {
            s.user_agents.push(ua.to_string());
        }
        if let Some(ip) = e.ip.map(str::trim).filter(|i| !i.is_empty())
            && SIGNUP_TYPES.contains(&e.event_type)
        {
            s.signups.push((ip.to_string(), e.at));
        }
    }
    s.form_submits.sort_unstable();
    s.user_agents.sort_unstable();
    s.signups.sort_unstable();
    (s, bounced)
}

/// The risk of one lead.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Risk {
    /// 0..=100.
    pub score: u32,
    /// (reason, evidence), in [`REASONS`] order.
    pub reasons: Vec<(&'static str, String)>,
}

impl Risk {
    /// Whether the risk is high.
    pub fn is_high(&self) -> bool {
        self.score >= HIGH_RISK
    }
}

/// Leads (indexes) in an IP burst (see [`leadrank_core::engine::risk::ip_bursts`]), with the IP.
pub fn ip_bursts(signals: &[EventSignals]) -> FxHashMap<u32, String> {
    let signups = signals
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.signups.iter().filter(|(ip, _)| !ip.trim().is_empty()).map(move |(ip, at)| (ip.trim(), *at, i as u32)));
    core_risk::ip_bursts(signups).into_iter().map(|(lead, (ip, _))| (lead, ip.to_string())).collect()
}

/// The risk of a lead given its event signals and whether it is in an IP burst.
pub fn assess(lead: &Lead, signals: &EventSignals, ip_burst: Option<&str>) -> Risk {
    let facts = LeadFacts::new(lead);
    let mut reasons: Vec<(&'static str, String)> = Vec::new();
    if let Some(h) = lead.honeypot.as_deref().filter(|h| !h.trim().is_empty()) {
        reasons.push(("honeypot", format!("honeypot field filled ('{}')", h.chars().take(20).collect::<String>())));
    }
    if let Some(ua) = signals.user_agents.iter().find(|u| is_bot_user_agent(u).is_some()) {
        reasons.push(("bot_user_agent", format!("user agent '{}'", ua.chars().take(60).collect::<String>())));
    }
    let mut subs = signals.form_submits.clone();
    subs.sort_unstable();
    if let Some((_, span)) = core_risk::form_burst(&subs) {
        reasons.push(("form_burst", format!("{} form_submit within {span} s", core_risk::FORM_BURST_COUNT)));
    }
    if facts.email_kind() == Some(EmailKind::Disposable) {
        let d = facts.email().and_then(|e| e.domain.clone()).unwrap_or_default();
        reasons.push(("disposable_domain", format!("disposable email domain {d}")));
    }
    if let Some(why) = facts.gibberish() {
        reasons.push(("gibberish_name", format!("name looks machine-made: {why}")));
    }
    if let Some(ip) = ip_burst {
        reasons.push(("ip_burst", format!("sign-ups of {IP_BURST_LEADS}+ leads from {ip} within {} minutes", IP_BURST_SECONDS / 60)));
    }
    if let (Some(p), Some(c)) = (lead.phone.as_deref(), facts.country_code())
        && let Some(m) = country_phone_mismatch(p, c)
    {
        reasons.push(("country_phone_mismatch", format!("phone prefix {m}")));
    }
    let score = core_risk::risk_of(reasons.iter().map(|(r, _)| *r));
    Risk { score, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_come_from_events_up_to_as_of() {
        let e = |t: &'static str, at: i64, ua: Option<&'static str>, ip: Option<&'static str>| EventView {
            event_type: t,
            at,
            user_agent: ua,
            ip,
        };
        let (s, bounced) = signals_of(
            [
                e("form_submit", 10, Some("curl/8.0"), Some("1.2.3.4")),
                e("page_view", 5, Some("curl/8.0"), Some("9.9.9.9")),
                e("email_bounce", 200, None, None),
                e("form_submit", 3, None, None),
            ],
            100,
        );
        assert_eq!(s.form_submits, vec![3, 10]);
        assert_eq!(s.user_agents, vec!["curl/8.0"]);
        assert_eq!(s.signups, vec![("1.2.3.4".to_string(), 10)]);
        assert!(!bounced, "the bounce is after as_of");
    }

    #[test]
    fn ip_bursts_need_three_leads_close_in_time() {
        let s = |ip: &str, at: i64| EventSignals { signups: vec![(ip.into(), at)], ..EventSignals::default() };
        let signals = vec![s("1.2.3.4", 0), s("1.2.3.4", 100), s("1.2.3.4", 500), s("1.2.3.4", 5000), s("5.6.7.8", 10)];
        let b = ip_bursts(&signals);
        let mut hit: Vec<u32> = b.keys().copied().collect();
        hit.sort_unstable();
        assert_eq!(hit, vec![0, 1, 2]);
    }

    #[test]
    fn a_bot_lead_has_reasons() {
        let lead = Lead {
            lead_id: "L1".into(),
            honeypot: Some("http://spam".into()),
            email: Some("x@mailinator.com".into()),
            country: Some("US".into()),
            phone: Some("+44 20 7946 0958".into()),
            ..Lead::default()
        };
        let signals = EventSignals { form_submits: vec![0, 5, 9, 20, 30], user_agents: vec!["curl/8.0".into()], signups: vec![] };
        let r = assess(&lead, &signals, Some("9.9.9.9"));
        let names: Vec<&str> = r.reasons.iter().map(|r| r.0).collect();
        assert_eq!(names, vec!["honeypot", "bot_user_agent", "form_burst", "disposable_domain", "ip_burst", "country_phone_mismatch"]);
        assert_eq!(r.score, 100);
        assert!(r.is_high());
        let clean = Lead { lead_id: "L2".into(), email: Some("ana@acme.com".into()), ..Lead::default() };
        assert_eq!(assess(&clean, &EventSignals::default(), None).score, 0);
    }
}
