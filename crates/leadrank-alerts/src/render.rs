//! The messages: Slack Block Kit, a Teams Adaptive Card in the incoming-webhook envelope, and
//! email (subject, plain text, HTML). One alert, or a digest of several.
//!
//! Every value from a lead is escaped for where it goes: Slack `mrkdwn` (`&`, `<`, `>`),
//! HTML (`&`, `<`, `>`, `"`, `'`); Teams text blocks get plain text with markdown
//! characters escaped. Long values are cut so a message stays inside the vendors' limits.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::event::AlertEvent;
use crate::rule::Channel;

/// Reasons shown per alert.
pub const TOP_REASONS: usize = 3;
/// Alerts shown in one digest message; the rest are counted.
pub const DIGEST_SHOWN: usize = 15;
/// A value from a lead is cut to this many characters.
const MAX_VALUE: usize = 200;

/// An email to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailMessage {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What is sent: a JSON body to POST (Slack, Teams) or an email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    Json(String),
    Email(EmailMessage),
}

/// Renders the alerts for a channel: one alert makes a single message, several a digest.
/// `public_url` is the base of the lead-page links (`{public_url}/leads/{id}`); without it
/// messages name the lead id and carry no link.
pub fn render(channel: Channel, rule_name: &str, alerts: &[AlertEvent], public_url: Option<&str>) -> Rendered {
    match channel {
        Channel::Slack => Rendered::Json(slack(rule_name, alerts, public_url).to_string()),
        Channel::Teams => Rendered::Json(teams(rule_name, alerts, public_url).to_string()),
        Channel::Email => Rendered::Email(email(rule_name, alerts, public_url)),
    }
}

/// The lead page's URL.
pub fn lead_url(public_url: Option<&str>, lead_id: &str) -> Option<String> {
    let base = public_url?.trim_end_matches('/');
    let mut id = String::new();
    for b in lead_id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            id.push(b as char);
        } else {
            id.push_str(&format!("%{b:02X}"));
        }
    }
    Some(format!("{base}/leads/{id}"))
}

fn cut(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= MAX_VALUE {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(MAX_VALUE - 1).collect();
    out.push('…');
    out
}

/// The lead's name for a headline: the person, else the lead id.
fn who(a: &AlertEvent) -> String {
    cut(a.person.as_deref().filter(|p| !p.trim().is_empty()).unwrap_or(&a.lead_id))
}

/// "CTO at Acme" / "Acme" / "".
fn role_line(a: &AlertEvent) -> String {
    match (a.title.as_deref().map(cut), a.company.as_deref().map(cut)) {
        (Some(t), Some(c)) => format!("{t} at {c}"),
        (None, Some(c)) => c,
        (Some(t), None) => t,
        (None, None) => String::new(),
    }
}

/// "Score 71 (grade A) · cell A1".
fn score_line(a: &AlertEvent) -> Option<String> {
    let total = a.total?;
    let mut s = format!("Score {total}");
    if let Some(g) = a.grade.as_deref().filter(|g| !g.is_empty()) {
        s.push_str(&format!(" (grade {})", cut(g)));
    }
    if let Some(c) = a.cell.as_deref().filter(|c| !c.is_empty()) {
        s.push_str(&format!(" · cell {}", cut(c)));
    }
    Some(s)
}

/// "Assigned to ana (team emea)" and, for breaches, the milestone.
fn ops_line(a: &AlertEvent) -> Option<String> {
    let mut parts = Vec::new();
    match (a.rep.as_deref(), a.team.as_deref()) {
        (Some(r), Some(t)) => parts.push(format!("Assigned to {} (team {})", cut(r), cut(t))),
        (Some(r), None) => parts.push(format!("Assigned to {}", cut(r))),
        (None, Some(t)) => parts.push(format!("Team {}", cut(t))),
        (None, None) => {}
    }
    if let Some(m) = &a.milestone {
        let due = a.due.as_deref().map(|d| format!(", due {}", cut(d))).unwrap_or_default();
        match a.warn_minutes {
            Some(n) if a.kind == Some(crate::event::EventKind::SlaWarning) => {
                parts.push(format!("Milestone {} not met yet{due} (in {n} min)", cut(m)))
            }
            _ => parts.push(format!("Missed milestone {}{due}", cut(m))),
        }
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

fn reason_lines(a: &AlertEvent) -> Vec<String> {
    let mut reasons: Vec<_> = a.reasons.iter().filter(|r| r.rule != "cap").collect();
    reasons.sort_by(|x, y| y.points.cmp(&x.points).then_with(|| x.rule.cmp(&y.rule)));
    reasons
        .into_iter()
        .take(TOP_REASONS)
        .map(|r| {
            let detail = if r.detail.trim().is_empty() { String::new() } else { format!(": {}", cut(&r.detail)) };
            format!("{:+} {}{detail}", r.points, cut(&r.rule))
        })
        .collect()
}

/// The one-line summary (Slack's notification text, the email subject's tail).
fn summary(a: &AlertEvent) -> String {
    let title = a.kind.map_or("Alert", |k| k.title());
    let mut s = format!("{title}: {}", who(a));
    let role = role_line(a);
    if !role.is_empty() {
        s.push_str(&format!(", {role}"));
    }
    s
}

/// Escapes Slack mrkdwn control characters.
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn slack_blocks(a: &AlertEvent, public_url: Option<&str>) -> Vec<serde_json::Value> {
    let title = a.kind.map_or("Alert", |k| k.title());
    let name = slack_escape(&who(a));
    let linked = match lead_url(public_url, &a.lead_id) {
        // The URL is ours (percent-encoded id); `|` and `>` cannot occur in it.
        Some(url) => format!("<{url}|{name}>"),
        None => format!("{name} (lead {})", slack_escape(&cut(&a.lead_id))),
    };
    let mut text = format!("*{title}*: {linked}");
    let role = role_line(a);
    if !role.is_empty() {
        text.push_str(&format!("\n{}", slack_escape(&role)));
    }
    if let Some(s) = score_line(a) {
        text.push_str(&format!("\n{}", slack_escape(&s)));
    }
    let mut blocks = vec![json!({"type": "section", "text": {"type": "mrkdwn", "text": text}})];
    let mut context: Vec<serde_json::Value> = reason_lines(a).iter().map(|r| json!({"type": "mrkdwn", "text": slack_escape(r)})).collect();
    if let Some(o) = ops_line(a) {
        context.push(json!({"type": "mrkdwn", "text": slack_escape(&o)}));
    }
    if !context.is_empty() {
        blocks.push(json!({"type": "context", "elements": context}));
    }
    blocks
}

/// A Slack incoming-webhook message: `text` (the notification fallback) and `blocks`
/// (section blocks with mrkdwn text, context blocks for the reasons and assignment).
fn slack(rule_name: &str, alerts: &[AlertEvent], public_url: Option<&str>) -> serde_json::Value {
    match alerts {
        [one] => json!({"text": slack_escape(&summary(one)), "blocks": slack_blocks(one, public_url)}),
        many => {
            let mut blocks = vec![json!({
                "type": "section",
                "text": {"type": "mrkdwn", "text": format!("*{} alerts* from rule _{}_", many.len(), slack_escape(&cut(rule_name)))}
            })];
            for a in many.iter().take(DIGEST_SHOWN) {
                blocks.push(json!({"type": "divider"}));
                blocks.extend(slack_blocks(a, public_url));
            }
            if many.len() > DIGEST_SHOWN {
                blocks.push(json!({
                    "type": "context",
                    "elements": [{"type": "mrkdwn", "text": format!("and {} more", many.len() - DIGEST_SHOWN)}]
                }));
            }
            json!({"text": format!("{} alerts from rule {}", many.len(), slack_escape(&cut(rule_name))), "blocks": blocks})
        }
    }
}

/// Escapes the characters Teams' text blocks read as markdown.
fn teams_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\*_[]()#>`~-+!|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn teams_items(a: &AlertEvent, public_url: Option<&str>) -> (Vec<serde_json::Value>, Option<String>) {
    let title = a.kind.map_or("Alert", |k| k.title());
    let mut items = vec![json!({
        "type": "TextBlock", "text": format!("{title}: {}", teams_escape(&who(a))),
        "weight": "Bolder", "size": "Medium", "wrap": true
    })];
    let role = role_line(a);
    if !role.is_empty() {
        items.push(json!({"type": "TextBlock", "text": teams_escape(&role), "wrap": true, "spacing": "None"}));
    }
    let mut facts = Vec::new();
    if let Some(s) = score_line(a) {
        facts.push(json!({"title": "Score", "value": teams_escape(&s)}));
    }
    if let Some(o) = ops_line(a) {
        facts.push(json!({"title": "Routing", "value": teams_escape(&o)}));
    }
    for r in reason_lines(a) {
        facts.push(json!({"title": "Reason", "value": teams_escape(&r)}));
    }
    if !facts.is_empty() {
        items.push(json!({"type": "FactSet", "facts": facts}));
    }
    (items, lead_url(public_url, &a.lead_id))
}

/// A Teams incoming-webhook message: `{"type": "message", "attachments": [{"contentType":
/// "application/vnd.microsoft.card.adaptive", "content": <Adaptive Card 1.4>}]}`.
fn teams(rule_name: &str, alerts: &[AlertEvent], public_url: Option<&str>) -> serde_json::Value {
    let mut body = Vec::new();
    let mut actions = Vec::new();
    if alerts.len() != 1 {
        body.push(json!({
            "type": "TextBlock", "text": format!("{} alerts from rule {}", alerts.len(), teams_escape(&cut(rule_name))),
            "weight": "Bolder", "size": "Large", "wrap": true
        }));
    }
    for (i, a) in alerts.iter().take(DIGEST_SHOWN).enumerate() {
        let (items, url) = teams_items(a, public_url);
        if alerts.len() == 1 {
            body.extend(items);
            if let Some(url) = url {
                actions.push(json!({"type": "Action.OpenUrl", "title": "Open lead", "url": url}));
            }
        } else {
            let mut container = json!({"type": "Container", "items": items, "separator": i > 0});
            if let Some(url) = url {
                container["selectAction"] = json!({"type": "Action.OpenUrl", "url": url});
            }
            body.push(container);
        }
    }
    if alerts.len() > DIGEST_SHOWN {
        body.push(json!({"type": "TextBlock", "text": format!("and {} more", alerts.len() - DIGEST_SHOWN), "isSubtle": true}));
    }
    let mut card = json!({
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    });
    if !actions.is_empty() {
        card["actions"] = json!(actions);
    }
    json!({
        "type": "message",
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": null, "content": card}]
    })
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn email_parts(a: &AlertEvent, public_url: Option<&str>) -> (String, String) {
    let mut text = summary(a);
    let mut html = format!("<h2>{}</h2>", html_escape(&summary(a)));
    let mut lines = Vec::new();
    lines.extend(score_line(a));
    lines.extend(ops_line(a));
    for l in &lines {
        text.push_str(&format!("\n{l}"));
    }
    if !lines.is_empty() {
        html.push_str(&format!("<p>{}</p>", lines.iter().map(|l| html_escape(l)).collect::<Vec<_>>().join("<br>")));
    }
    let reasons = reason_lines(a);
    if !reasons.is_empty() {
        text.push_str("\nTop reasons:");
        html.push_str("<p>Top reasons:</p><ul>");
        for r in &reasons {
            text.push_str(&format!("\n  {r}"));
            html.push_str(&format!("<li>{}</li>", html_escape(r)));
        }
        html.push_str("</ul>");
    }
    match lead_url(public_url, &a.lead_id) {
        Some(url) => {
            text.push_str(&format!("\nOpen the lead: {url}"));
            html.push_str(&format!("<p><a href=\"{}\">Open the lead</a></p>", html_escape(&url)));
        }
        None => {
            text.push_str(&format!("\nLead id: {}", cut(&a.lead_id)));
            html.push_str(&format!("<p>Lead id: {}</p>", html_escape(&cut(&a.lead_id))));
        }
    }
    (text, html)
}

/// An email: the subject names the alert (or counts the digest), the plain text and HTML
/// bodies say the same.
fn email(rule_name: &str, alerts: &[AlertEvent], public_url: Option<&str>) -> EmailMessage {
    let footer = format!("Sent by leadrank for the alert rule \"{}\".", cut(rule_name));
    if let [one] = alerts {
        let (text, html) = email_parts(one, public_url);
        return EmailMessage {
            subject: format!("[leadrank] {}", summary(one)),
            text: format!("{text}\n\n{footer}\n"),
            html: format!("<!DOCTYPE html><html><body>{html}<hr><p><small>{}</small></p></body></html>", html_escape(&footer)),
        };
    }
    let heading = format!("{} alerts from rule {}", alerts.len(), cut(rule_name));
    let mut text = heading.clone();
    let mut html = format!("<!DOCTYPE html><html><body><h1>{}</h1>", html_escape(&heading));
    for a in alerts.iter().take(DIGEST_SHOWN) {
        let (t, h) = email_parts(a, public_url);
        text.push_str(&format!("\n\n{t}"));
        html.push_str(&format!("<hr>{h}"));
    }
    if alerts.len() > DIGEST_SHOWN {
        let more = format!("and {} more", alerts.len() - DIGEST_SHOWN);
        text.push_str(&format!("\n\n{more}"));
        html.push_str(&format!("<p>{more}</p>"));
    }
    EmailMessage {
        subject: format!("[leadrank] {heading}"),
        text: format!("{text}\n\n{footer}\n"),
        html: format!("{html}<hr><p><small>{}</small></p></body></html>", html_escape(&footer)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventKind, ReasonLine};

    fn quality() -> AlertEvent {
        AlertEvent {
            kind: Some(EventKind::Quality),
            lead_id: "L-1/ä".into(),
            person: Some("Ada <Lovelace> & Co".into()),
            title: Some("CTO".into()),
            company: Some("Analytical *Engines*".into()),
            total: Some(71),
            grade: Some("A".into()),
            cell: Some("A1".into()),
            reasons: vec![
                ReasonLine { points: 10, rule: "title_senior".into(), detail: "title CTO".into() },
                ReasonLine { points: 25, rule: "demo_request".into(), detail: "demo_request on 2026-03-02".into() },
                ReasonLine { points: -5, rule: "free_mail".into(), detail: "".into() },
                ReasonLine { points: 15, rule: "pricing_visits".into(), detail: "3 visits to /pricing".into() },
            ],
            team: Some("emea".into()),
            rep: Some("ana".into()),
            at: "2026-03-02T10:00:00Z".into(),
            ..AlertEvent::default()
        }
    }

    fn breach() -> AlertEvent {
        AlertEvent {
            kind: Some(EventKind::SlaBreached),
            lead_id: "L2".into(),
            milestone: Some("first_touch".into()),
            due: Some("2026-03-02T11:00:00Z".into()),
            rep: Some("bo".into()),
            at: "2026-03-02T11:00:05Z".into(),
            ..AlertEvent::default()
        }
    }

    const URL: Option<&str> = Some("https://leadrank.example.com/");

    fn json_of(r: Rendered) -> serde_json::Value {
        match r {
            Rendered::Json(s) => serde_json::from_str(&s).unwrap(),
            Rendered::Email(_) => panic!("expected JSON"),
        }
    }

    #[test]
    fn slack_single() {
        let v = json_of(render(Channel::Slack, "EMEA", &[quality()], URL));
        insta::assert_snapshot!(serde_json::to_string_pretty(&v).unwrap());
        let text = v["blocks"][0]["text"]["text"].as_str().unwrap();
        assert!(text.contains("<https://leadrank.example.com/leads/L-1%2F%C3%A4|Ada &lt;Lovelace&gt; &amp; Co>"));
        // Top three reasons, highest first.
        let ctx: Vec<&str> = v["blocks"][1]["elements"].as_array().unwrap().iter().map(|e| e["text"].as_str().unwrap()).collect();
        assert_eq!(ctx[0], "+25 demo_request: demo_request on 2026-03-02");
        assert_eq!(ctx[2], "+10 title_senior: title CTO");
        assert_eq!(ctx.len(), 4);
    }

    #[test]
    fn slack_without_public_url_and_digest() {
        let v = json_of(render(Channel::Slack, "breaches", &[breach()], None));
        let text = v["blocks"][0]["text"]["text"].as_str().unwrap();
        assert_eq!(text, "*SLA breached*: L2 (lead L2)");
        let v = json_of(render(Channel::Slack, "breaches", &[quality(), breach()], URL));
        insta::assert_snapshot!("slack_digest", serde_json::to_string_pretty(&v).unwrap());
        let many: Vec<AlertEvent> = (0..25).map(|_| breach()).collect();
        let v = json_of(render(Channel::Slack, "breaches", &many, URL));
        let blocks = v["blocks"].as_array().unwrap();
        assert!(blocks.len() <= 50, "Slack allows at most 50 blocks");
        assert_eq!(blocks.last().unwrap()["elements"][0]["text"], "and 10 more");
    }

    #[test]
    fn teams_single_and_digest() {
        let v = json_of(render(Channel::Teams, "EMEA", &[quality()], URL));
        insta::assert_snapshot!(serde_json::to_string_pretty(&v).unwrap());
        assert_eq!(v["attachments"][0]["content"]["actions"][0]["url"], "https://leadrank.example.com/leads/L-1%2F%C3%A4");
        let v = json_of(render(Channel::Teams, "EMEA", &[quality(), breach()], None));
        insta::assert_snapshot!("teams_digest", serde_json::to_string_pretty(&v).unwrap());
    }

    #[test]
    fn email_single_and_digest() {
        let Rendered::Email(m) = render(Channel::Email, "EMEA <all>", &[quality()], URL) else { panic!() };
        insta::assert_snapshot!("email_subject", m.subject);
        insta::assert_snapshot!("email_text", m.text);
        insta::assert_snapshot!("email_html", m.html);
        assert!(!m.html.contains("<Lovelace>"));
        assert!(m.html.contains("Ada &lt;Lovelace&gt; &amp; Co"));
        let Rendered::Email(d) = render(Channel::Email, "EMEA", &[quality(), breach()], None) else { panic!() };
        assert_eq!(d.subject, "[leadrank] 2 alerts from rule EMEA");
        assert!(d.text.contains("SLA breached: L2") && d.text.contains("Missed milestone first_touch, due 2026-03-02T11:00:00Z"));
    }

    #[test]
    fn slack_warning() {
        let warning =
            AlertEvent { kind: Some(EventKind::SlaWarning), warn_minutes: Some(2), at: "2026-03-02T10:58:00Z".into(), ..breach() };
        let v = json_of(render(Channel::Slack, "due soon", &[warning], URL));
        insta::assert_snapshot!(serde_json::to_string_pretty(&v).unwrap());
        let text = v.to_string();
        assert!(text.contains("SLA due soon"), "{text}");
        assert!(text.contains("Milestone first_touch not met yet, due 2026-03-02T11:00:00Z (in 2 min)"), "{text}");
    }

    #[test]
    fn long_values_are_cut() {
        let a = AlertEvent { person: Some("x".repeat(5000)), ..quality() };
        let v = json_of(render(Channel::Slack, "r", &[a], URL));
        assert!(v["blocks"][0]["text"]["text"].as_str().unwrap().len() < 3000, "Slack section text is at most 3000 characters");
    }
}
