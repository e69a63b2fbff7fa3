//! The alert rules card of Settings (admins): Slack, Microsoft Teams and email alerts for
//! lead events, with each rule's latest deliveries; create and delete. The same service
//! calls as `/v1/alerts`, so the checks and the audit log are the API's.

use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadrank_alerts::{ALERT_EVENTS, AlertRuleInput, Digest, RuleError, Scope};
use leadrank_service::Service;
use leadrank_service::alerts::{AlertRuleError, StoredAlertRule};
use leadrank_store::Delivery;
use maud::{Markup, html};

use crate::Web;
use crate::auth::Signed;
use crate::page;

/// Deliveries shown per rule.
const SHOWN_DELIVERIES: u32 = 5;

/// A rule with its latest deliveries, newest first.
pub struct RuleRow {
    pub rule: StoredAlertRule,
    pub deliveries: Vec<Delivery>,
}

/// Reads the rules and their latest deliveries for the card.
pub async fn rows(service: &Service) -> Result<Vec<RuleRow>, leadrank_service::ServiceError> {
    let mut rows = Vec::new();
    for rule in service.alert_rules().await? {
        let deliveries = service.alert_deliveries(&rule.id, SHOWN_DELIVERIES).await?;
        rows.push(RuleRow { rule, deliveries });
    }
    Ok(rows)
}

fn scope_text(scope: &Scope) -> String {
    match scope {
        Scope::All => "everyone's leads".into(),
        Scope::Team(t) => format!("team {t}"),
        Scope::Rep(r) => format!("rep {r}"),
    }
}

fn digest_text(digest: Option<Digest>) -> &'static str {
    match digest {
        None => "each alert at once",
        Some(Digest::Hourly) => "hourly digest (UTC hours)",
        Some(Digest::Daily) => "daily digest (UTC days)",
    }
}

/// The card: the rules, their deliveries and the form for a new one.
pub fn card(rows: &[RuleRow], teams: &[String], reps: &[String], now: jiff::Timestamp, csrf: &str) -> Markup {
    html! {
        section #alerts aria-labelledby="alerts-h" {
            h2 #alerts-h { "Alert rules" }
            p.muted { "Messages to a Slack channel, a Microsoft Teams channel or a mailbox when a lead becomes a quality lead, is assigned, or misses (or is about to miss) a response-time milestone. Slack and Teams webhook URLs are secrets: they are shown masked." }
            @if rows.is_empty() { p.muted { "No alert rules." } }
            @for row in rows {
                @let r = &row.rule;
                article.alert-rule data-rule=(r.id) {
                    h3 { (r.rule.name) " " span.chip { (r.rule.channel.as_str()) } }
                    dl.facts {
                        dt { "To" } dd { code.url { (r.rule.masked_destination()) } }
                        dt { "Events" } dd { (r.rule.events.join(", "))
                            @if r.rule.events.iter().any(|e| e == "sla.warning") { " (warning " (r.rule.warn_minutes) " min before)" } }
                        dt { "For" } dd { (scope_text(&r.rule.scope)) }
                        dt { "Sent" } dd { (digest_text(r.rule.digest)) }
                        dt { "Created" } dd { (page::ago(now, r.created_at)) " · " code { (r.id) } }
                    }
                    form.inline method="post" action="/settings/alerts/delete" {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="id" value=(r.id);
                        button.danger type="submit" aria-label=(format!("Delete alert rule {}", r.rule.name)) { "Delete" }
                        span.muted.small { " (queued deliveries stop)" }
                    }
                    @if row.deliveries.is_empty() { p.muted.small { "No deliveries yet." } } @else {
                        div.table-wrap { table.compact {
                            caption.muted.small { "Latest deliveries" }
                            thead { tr { th { "Created" } th { "Event" } th { "State" } th.num { "Attempts" } th { "Last answer" } } }
                            tbody { @for d in &row.deliveries { tr {
                                td { (page::ago(now, d.created_at)) } td { (d.event_type) } td { (format!("{:?}", d.state).to_lowercase()) }
                                td.num { (d.attempts) }
                                td { @if let Some(code) = d.last_status { "HTTP " (code) } @if let Some(e) = &d.last_error { " " span.warn { (e) } } }
                            } } }
                        } }
                    }
                }
            }
            h3 { "New alert rule" }
            form.grid-form #new-alert method="post" action="/settings/alerts" {
                input type="hidden" name="csrf" value=(csrf);
                label { "Name " input name="name" required maxlength="100" placeholder="EMEA quality leads"; }
                label { "Channel "
                    select name="channel" {
                        option value="slack" { "Slack (incoming webhook)" }
                        option value="teams" { "Microsoft Teams (incoming webhook)" }
                        option value="email" { "Email" }
                    }
                }
                label { "Webhook URL or email address " input name="destination" required maxlength="2048" placeholder="https://hooks.slack.com/services/..."; }
                fieldset.days { legend { "Events" }
                    @for e in ALERT_EVENTS {
                        label { input type="checkbox" name="event" value=(e) checked[*e == "lead.quality"]; " " (e) }
                    }
                }
                label { "Warn minutes before a milestone (sla.warning) " input name="warn_minutes" type="number" min="1" max="1440" value="2"; }
                label { "For "
                    select name="for" {
                        option value="" { "everyone's leads" }
                        @for t in teams { option value=(format!("team:{t}")) { "team " (t) } }
                        @for r in reps { option value=(format!("rep:{r}")) { "rep " (r) } }
                    }
                }
                label { "Send "
                    select name="digest" {
                        option value="" { "each alert at once" }
                        option value="hourly" { "an hourly digest" }
                        option value="daily" { "a daily digest" }
                    }
                }
                button type="submit" { "Create alert rule" }
            }
        }
    }
}

fn field<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
}

/// The rule a submitted form describes (the service checks it), or why its "For" choice is
/// not one the form offers.
pub fn input_of(pairs: &[(String, String)]) -> Result<AlertRuleInput, RuleError> {
    let events: Vec<String> = pairs.iter().filter(|(k, _)| k == "event").map(|(_, v)| v.clone()).collect();
    let warns = events.iter().any(|e| e == "sla.warning");
    let (team, rep) = match field(pairs, "for").split_once(':') {
        Some(("team", t)) => (Some(t.to_string()), None),
        Some(("rep", r)) => (None, Some(r.to_string())),
        None if field(pairs, "for").is_empty() => (None, None),
        _ => {
            return Err(RuleError {
                pointer: "/team".into(),
                message: "choose everyone's leads, a team (team:<id>) or a rep (rep:<id>)".into(),
            });
        }
    };
    let warn = field(pairs, "warn_minutes").trim();
    Ok(AlertRuleInput {
        name: field(pairs, "name").trim().to_string(),
        channel: field(pairs, "channel").to_string(),
        destination: field(pairs, "destination").trim().to_string(),
        events,
        team,
        rep,
        // The form always sends a number; it means something only with sla.warning. A value
        // that is not a whole number is passed on as one the rule check refuses.
        warn_minutes: if warns && !warn.is_empty() { Some(warn.parse().unwrap_or(i64::MIN)) } else { None },
        digest: Some(field(pairs, "digest")).filter(|d| !d.is_empty()).map(str::to_string),
    })
}

/// What a refused rule's page says: the field at fault (as the form names it) and why.
fn refused(e: &AlertRuleError) -> Response {
    let detail = match e {
        AlertRuleError::Invalid(e) => {
            let label = match e.pointer.split('/').nth(1).unwrap_or("") {
                "name" => "Name",
                "channel" => "Channel",
                "destination" => "Webhook URL or email address",
                "events" => "Events",
                "warn_minutes" => "Warn minutes",
                "team" | "rep" => "For",
                "digest" => "Send",
                _ => "The rule",
            };
            format!("{label}: {}", e.message)
        }
        other => other.to_string(),
    };
    page::error(StatusCode::UNPROCESSABLE_ENTITY, "Alert rule not created", &detail)
}

/// `POST /settings/alerts`: creates an alert rule (audited by the service).
pub async fn create(State(web): State<Web>, signed: Signed, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    if let Err(r) = crate::settings::admin_only(&signed).and_then(|()| signed.check_csrf(field(&pairs, "csrf"))) {
        return r;
    }
    let actor = format!("user:{}", signed.username());
    let input = match input_of(&pairs) {
        Ok(input) => input,
        Err(e) => return refused(&AlertRuleError::Invalid(e)),
    };
    match web.service.create_alert_rule(input, web.allow_private_targets, &actor).await {
        Ok(Ok(_)) => Redirect::to("/settings#alerts-h").into_response(),
        Ok(Err(e)) => refused(&e),
        Err(e) => page::failed(e, "creating the alert rule"),
    }
}

#[derive(serde::Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    csrf: String,
    id: String,
}

/// `POST /settings/alerts/delete`: deletes an alert rule (audited by the service).
pub async fn delete(State(web): State<Web>, signed: Signed, Form(f): Form<DeleteForm>) -> Response {
    if let Err(r) = crate::settings::admin_only(&signed).and_then(|()| signed.check_csrf(&f.csrf)) {
        return r;
    }
    let actor = format!("user:{}", signed.username());
    match web.service.delete_alert_rule(&f.id, &actor).await {
        Ok(()) => Redirect::to("/settings#alerts-h").into_response(),
        Err(leadrank_service::ServiceError::NotFound(m)) => page::error(StatusCode::NOT_FOUND, "Not found", &format!("There is no {m}.")),
        Err(e) => page::failed(e, "deleting the alert rule"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_form_becomes_the_rule_the_api_takes() {
        let input = input_of(&pairs(&[
            ("name", " EMEA hot "),
            ("channel", "slack"),
            ("destination", "https://hooks.slack.com/services/T/B/X"),
            ("event", "lead.quality"),
            ("event", "sla.warning"),
            ("warn_minutes", "5"),
            ("for", "team:emea"),
            ("digest", "hourly"),
        ]))
        .expect("a form choice");
        assert_eq!(input.name, "EMEA hot");
        assert_eq!(input.events, vec!["lead.quality", "sla.warning"]);
        assert_eq!(input.warn_minutes, Some(5));
        assert_eq!((input.team.as_deref(), input.rep.as_deref()), (Some("emea"), None));
        assert_eq!(input.digest.as_deref(), Some("hourly"));
        assert!(input.validate().is_ok());
    }

    #[test]
    fn warn_minutes_count_only_with_sla_warning_and_a_bad_number_is_refused() {
        let base =
            [("name", "n"), ("channel", "email"), ("destination", "sdr@example.com"), ("event", "lead.assigned"), ("warn_minutes", "2")];
        let input = input_of(&pairs(&base)).expect("a form choice");
        assert_eq!(input.warn_minutes, None);
        assert!(input.digest.is_none() && input.team.is_none() && input.rep.is_none());
        assert!(input.validate().is_ok());
        let bad = input_of(&pairs(&[
            ("name", "n"),
            ("channel", "email"),
            ("destination", "sdr@example.com"),
            ("event", "sla.warning"),
            ("warn_minutes", "2.5"),
        ]))
        .expect("a form choice");
        let e = bad.validate().expect_err("not a whole number");
        assert_eq!(e.pointer, "/warn_minutes");
    }

    #[test]
    fn a_rep_scope_is_read_from_the_for_field_and_an_unknown_choice_is_refused() {
        let input = input_of(&pairs(&[("for", "rep:ana@example.com")])).expect("a form choice");
        assert_eq!((input.team, input.rep.as_deref()), (None, Some("ana@example.com")));
        for bad in ["emea", "account:acme"] {
            let e = input_of(&pairs(&[("for", bad)])).expect_err("not a form choice");
            assert_eq!(e.pointer, "/team", "{bad}");
        }
    }
}
