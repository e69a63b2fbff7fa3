//! Settings, for admins: users, reps (capacity, away), API keys, webhooks, the CRM sync card
//! ([`crate::sync`], which RevOps see too), the audit log, and a person's privacy export and
//! erasure.

use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leadrank_service::users::{NewUser, Role, generate_password};
use maud::{Markup, html};
use serde::Deserialize;

use crate::Web;
use crate::auth::Signed;
use crate::page;

pub(crate) fn admin_only(signed: &Signed) -> Result<(), Response> {
    if signed.role() != Role::Admin {
        return Err(page::error(StatusCode::FORBIDDEN, "Admins only", "Settings are for admins."));
    }
    Ok(())
}

fn actor(signed: &Signed) -> String {
    format!("user:{}", signed.username())
}

/// `GET /settings`.
pub async fn page(State(web): State<Web>, signed: Signed) -> Response {
    if signed.role() == Role::Revops {
        // RevOps see the CRM sync card only.
        let body = html! { h1 { "Settings" } (crate::sync::card(&web.service, &signed.who.csrf)) };
        return page::shell(&signed, "Settings", "/settings", body);
    }
    if let Err(r) = admin_only(&signed) {
        return r;
    }
    render(&web, &signed, None).await
}

/// The page, with an optional notice (a password shown once, what an erasure removed).
async fn render(web: &Web, signed: &Signed, notice: Option<Markup>) -> Response {
    let svc = &web.service;
    let (users, keys, hooks, audit) = match tokio::try_join!(svc.users(), svc.keys(), svc.subscriptions(), svc.audit_log(50)) {
        Ok(x) => x,
        Err(e) => return page::failed(e, "reading the settings"),
    };
    let now = svc.now();
    let routing_source = svc.read_state(|_, ops| ops.routing_source.clone());
    let mut deliveries = Vec::new();
    for h in &hooks {
        match svc.deliveries(&h.id, 10).await {
            Ok(d) => deliveries.push(d),
            Err(e) => return page::failed(e, "reading webhook deliveries"),
        }
    }
    let reps =
        svc.read_state(|_, ops| ops.reps.values().map(|r| (r.clone(), ops.load.reps.get(&r.id).map_or(0, |c| c.open))).collect::<Vec<_>>());
    let teams = svc.read_state(|_, ops| ops.teams.values().cloned().collect::<Vec<_>>());
    let alert_rows = match crate::alert_rules::rows(svc).await {
        Ok(rows) => rows,
        Err(e) => return page::failed(e, "reading the alert rules"),
    };
    let team_ids: Vec<String> = teams.iter().map(|t| t.id.clone()).collect();
    let rep_ids: Vec<String> = reps.iter().map(|(r, _)| r.id.clone()).collect();
    let csrf = &signed.who.csrf;
    let body = html! {
        h1 { "Settings" }
        @if let Some(n) = notice { div.notice role="status" { (n) } }
        section aria-labelledby="users-h" {
            h2 #users-h { "Users" }
            div.table-wrap { table {
                thead { tr { th { "Username" } th { "Name" } th { "Role" } th { "Works as" } th { "State" } th { "Actions" } } }
                tbody {
                    @for u in &users {
                        tr {
                            td data-label="Username" { (u.username) }
                            td data-label="Name" { (u.name) }
                            td data-label="Role" { (u.role.as_str()) }
                            td data-label="Works as" { @if let Some(r) = &u.rep { "rep " (r) } @else if !u.teams.is_empty() { "teams " (u.teams.join(", ")) } }
                            td data-label="State" { @if u.disabled { span.chip.warn { "disabled" } } @else { "active" } }
                            td.actions data-label="Actions" {
                                @if u.username != signed.username() {
                                    form method="post" action="/settings/users/state" {
                                        input type="hidden" name="csrf" value=(csrf);
                                        input type="hidden" name="username" value=(u.username);
                                        input type="hidden" name="disabled" value=(if u.disabled { "0" } else { "1" });
                                        button type="submit" { @if u.disabled { "Enable" } @else { "Disable" } }
                                    }
                                }
                                form method="post" action="/settings/users/password" {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="username" value=(u.username);
                                    button type="submit" { "New password" }
                                }
                            }
                        }
                    }
                }
            } }
            form.grid-form method="post" action="/settings/users" {
                input type="hidden" name="csrf" value=(csrf);
                label { "Username " input name="username" required maxlength="64"; }
                label { "Name " input name="name" required maxlength="200"; }
                label { "Role "
                    select name="role" { @for r in Role::ALL { option value=(r.as_str()) { (r.as_str()) } } }
                }
                label { "Rep (for a rep) "
                    select name="rep" { option value="" { "—" } @for (r, _) in &reps { option value=(r.id) { (r.id) } } }
                }
                label { "Teams (for a manager, comma-separated) " input name="teams" maxlength="500"; }
                button type="submit" { "Create user" }
            }
            p.muted.small { "A new user gets a generated password, shown once here." }
        }
        section aria-labelledby="reps-h" {
            h2 #reps-h { "Reps" }
            div.table-wrap { table {
                thead { tr { th { "Rep" } th { "Team" } th.num { "Open" } th { "Capacity" } th { "Away" } th { "Remove" } } }
                tbody {
                    @for (r, open) in &reps {
                        tr {
                            td data-label="Rep" { (r.id) @if !r.name.is_empty() { " · " (r.name) } }
                            td data-label="Team" { (r.team) }
                            td.num data-label="Open" { (open) }
                            td data-label="Capacity" colspan="2" {
                                form.inline method="post" action="/settings/reps" {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="id" value=(r.id);
                                    label.sr-only for={ "cap-" (r.id) } { "Capacity of " (r.id) }
                                    input id={ "cap-" (r.id) } name="capacity" type="number" min="1" max="100000" value=(r.capacity) size="5";
                                    label { input type="checkbox" name="away" value="1" checked[r.is_away(now)]; " away" }
                                    button type="submit" { "Save" }
                                }
                            }
                            td.actions data-label="Remove" {
                                (remove_form("/settings/reps/delete", csrf, &r.id, &format!("Remove rep {}", r.id), if *open > 0 { " (its open leads keep the assignment; re-assign them from Team)" } else { "" }))
                            }
                        }
                    }
                }
            } }
        }
        section aria-labelledby="teams-h" {
            h2 #teams-h { "Teams" }
            div.table-wrap { table {
                thead { tr { th { "Team" } th { "Time zone" } th { "Business hours" } th.num { "Reps" } th { "Remove" } } }
                tbody { @for t in &teams {
                    @let members = reps.iter().filter(|(r, _)| r.team == t.id).count();
                    tr {
                        td data-label="Team" { (t.id) @if !t.name.is_empty() && t.name != t.id { " · " (t.name) } }
                        td data-label="Time zone" { (t.timezone) }
                        td data-label="Business hours" { (days_text(&t.calendar.days)) " " (t.calendar.start) "-" (t.calendar.end) }
                        td.num data-label="Reps" { (members) }
                        td.actions data-label="Remove" {
                            @if members == 0 {
                                (remove_form("/settings/teams/delete", csrf, &t.id, &format!("Remove team {}", t.id), ""))
                            } @else {
                                span.muted.small { "move or remove its reps first" }
                            }
                        }
                    }
                } }
            } }
            h3 { "Create or change a team" }
            form.grid-form method="post" action="/settings/teams" {
                input type="hidden" name="csrf" value=(csrf);
                label { "Team id " input name="id" required maxlength="100" pattern="[A-Za-z0-9_.-]+" placeholder="emea-enterprise"; }
                label { "Name " input name="name" maxlength="200"; }
                label { "Time zone (IANA) " input name="timezone" required maxlength="64" value="UTC" placeholder="Europe/Berlin"; }
                label { "Opens " input name="start" required value="09:00" pattern="[0-2][0-9]:[0-5][0-9]" size="5"; }
                label { "Closes " input name="end" required value="17:00" pattern="[0-2][0-9]:[0-5][0-9]" size="5"; }
                fieldset.days { legend { "Open days" }
                    @for (d, on) in [("mon", true), ("tue", true), ("wed", true), ("thu", true), ("fri", true), ("sat", false), ("sun", false)] {
                        label { input type="checkbox" name="day" value=(d) checked[on]; " " (d) }
                    }
                }
                button type="submit" { "Save team" }
            }
            h3 { "Add a rep" }
            form.grid-form method="post" action="/settings/reps/new" {
                input type="hidden" name="csrf" value=(csrf);
                label { "Rep id " input name="id" required maxlength="100" pattern="[A-Za-z0-9_.@-]+"; }
                label { "Name " input name="name" maxlength="200"; }
                label { "Team "
                    select name="team" required { @for t in &teams { option value=(t.id) { (t.id) } } }
                }
                label { "Capacity (most open leads) " input name="capacity" type="number" min="1" max="100000" value="50" required; }
                label { "Weight (share of the team's leads) " input name="weight" type="number" min="1" max="100000" value="1" required; }
                button type="submit" disabled[teams.is_empty()] { "Add rep" }
            }
            @if teams.is_empty() { p.muted.small { "Create a team first." } }
        }
        section aria-labelledby="routing-h" {
            h2 #routing-h { "Routing file" }
            p.muted { "Who gets a lead and under which response-time clock. Checked before it is saved; problems are listed with their line." }
            (routing_form(csrf, &routing_source, &[]))
        }
        section aria-labelledby="privacy-h" {
            h2 #privacy-h { "Privacy: erase a person" }
            p.muted { "Erasure removes every record of the person (leads, events, consents, scores, history, deliveries, operating state) and keeps a marker so the person is not stored again. It cannot be undone." }
            form.inline method="post" action="/settings/erase" {
                input type="hidden" name="csrf" value=(csrf);
                label { "Lead id " input name="lead_id" maxlength="200"; }
                label { "or email " input name="email" type="email" maxlength="320"; }
                label { input type="checkbox" name="confirm" value="yes" required; " I understand this cannot be undone" }
                button type="submit" { "Erase" }
            }
        }
        section aria-labelledby="keys-h" {
            h2 #keys-h { "API keys" }
            p.muted.small { "Create keys with " code { "leadrank keys create" } "; secrets are shown once and stored hashed." }
            ul { @for k in &keys {
                li { code { (k.id) } " " (k.name) " · " (k.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "))
                    @if let Some(t) = k.revoked_at { " · " span.warn { "revoked " (page::ago(now, t)) } } }
            } }
        }
        section aria-labelledby="hooks-h" {
            h2 #hooks-h { "Webhooks" }
            form.grid-form method="post" action="/settings/webhooks" {
                input type="hidden" name="csrf" value=(csrf);
                label { "URL (https://...) " input name="url" type="url" required maxlength="2048"; }
                fieldset.days { legend { "Events" }
                    @for e in leadrank_service::admin::WEBHOOK_EVENTS {
                        label { input type="checkbox" name="event" value=(e) checked[*e == "lead.quality"]; " " (e) }
                    }
                }
                button type="submit" { "Subscribe" }
            }
            p.muted.small { "Deliveries are signed with a secret shown once when the subscription is made. Targets must be public addresses unless the server runs with --allow-private-webhooks." }
            @if hooks.is_empty() { p.muted { "No subscriptions." } }
            @for (h, ds) in hooks.iter().zip(&deliveries) {
                h3 { code { (h.id) } " " span.url { (h.url) } }
                p.muted.small { (h.events.join(", ")) }
                (remove_form("/settings/webhooks/delete", csrf, &h.id, &format!("Unsubscribe {}", h.id), " (queued deliveries stop)"))
                @if ds.is_empty() { p.muted { "No deliveries yet." } } @else {
                    div.table-wrap { table.compact {
                        thead { tr { th { "Created" } th { "Event" } th { "State" } th.num { "Attempts" } th { "Last answer" } } }
                        tbody { @for d in ds { tr {
                            td { (page::ago(now, d.created_at)) } td { (d.event_type) } td { (format!("{:?}", d.state).to_lowercase()) }
                            td.num { (d.attempts) }
                            td { @if let Some(code) = d.last_status { "HTTP " (code) } @if let Some(e) = &d.last_error { " " span.warn { (e) } } }
                        } } }
                    } }
                }
            }
        }
        (crate::alert_rules::card(&alert_rows, &team_ids, &rep_ids, now, csrf))
        (crate::sync::card(svc, csrf))
        section aria-labelledby="audit-h" {
            h2 #audit-h { "Audit log (latest 50)" }
            div.table-wrap { table.compact {
                thead { tr { th { "When" } th { "Who" } th { "What" } th { "Detail" } } }
                tbody { @for a in &audit { tr { td { (page::ago(now, a.at)) } td { (a.actor) } td { (a.action) } td { (a.detail) } } } }
            } }
        }
    };
    page::shell(signed, "Settings", "/settings", body)
}

/// A one-button form that removes the directory entry or subscription `id` (CSRF-protected).
fn remove_form(action: &str, csrf: &str, id: &str, label: &str, note: &str) -> Markup {
    html! {
        form.inline method="post" action=(action) {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="id" value=(id);
            button.danger type="submit" aria-label=(label) { "Remove" }
            @if !note.is_empty() { span.muted.small { (note) } }
        }
    }
}

fn routing_form(csrf: &str, source: &str, issues: &[leadrank_core::model::ModelIssue]) -> Markup {
    html! {
        @if !issues.is_empty() {
            ul.alert role="alert" { @for i in issues { li { "line " (i.line) ", column " (i.column) ": " @if !i.key.is_empty() { code { (i.key) } " " } (i.message) } } }
        }
        form method="post" action="/settings/routing" {
            input type="hidden" name="csrf" value=(csrf);
            label for="routing" { "Routing file (TOML)" }
            textarea #routing name="source" rows="16" spellcheck="false" maxlength=(crate::models::MAX_MODEL) { (source) }
            button type="submit" { "Check and save" }
        }
    }
}

#[derive(Deserialize)]
pub struct RoutingForm {
    #[serde(default)]
    csrf: String,
    source: String,
}

/// `POST /settings/routing`: a new routing file, checked first (problems listed by line).
pub async fn routing(State(web): State<Web>, signed: Signed, Form(f): Form<RoutingForm>) -> Response {
    if let Err(r) = admin_only(&signed).and_then(|()| signed.check_csrf(&f.csrf)) {
        return r;
    }
    let parsed = if f.source.len() > crate::models::MAX_MODEL {
        Err(vec![leadrank_core::model::ModelIssue { line: 1, column: 1, key: String::new(), message: "the file is over 256 KiB".into() }])
    } else {
        leadrank_routing::RoutingModel::from_toml(&f.source, "routing").map_err(|e| e.issues)
    };
    match parsed {
        Err(issues) => {
            let body = html! { h1 { "Routing file not saved" } (routing_form(&signed.who.csrf, &f.source, &issues)) };
            let mut resp = page::shell(&signed, "Routing file", "/settings", body);
            *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            resp
        }
        Ok(model) => {
            let rules = model.rules.len();
            if let Err(e) = web.service.put_routing(model, f.source).await {
                return page::failed(e, "saving the routing file");
            }
            if let Err(e) = web.service.audit(&actor(&signed), "routing.put", &format!("{rules} rules")).await {
                return page::failed(e, "recording the change");
            }
            Redirect::to("/settings").into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    csrf: String,
    username: String,
    name: String,
    role: String,
    #[serde(default)]
    rep: String,
    #[serde(default)]
    teams: String,
}

/// `POST /settings/users`: a new user, with a generated password shown once.
pub async fn create_user(State(web): State<Web>, signed: Signed, Form(f): Form<NewUserForm>) -> Response {
    if let Err(r) = admin_only(&signed).and_then(|()| signed.check_csrf(&f.csrf)) {
        return r;
    }
    let role = match Role::parse(&f.role) {
        Ok(r) => r,
        Err(e) => return page::error(StatusCode::UNPROCESSABLE_ENTITY, "Not accepted", &e.to_string()),
    };
    let new = NewUser {
        username: f.username.trim().to_ascii_lowercase(),
        name: f.name,
        role,
        rep: Some(f.rep.trim().to_string()).filter(|r| !r.is_empty() && role == Role::Rep),
        teams: if role == Role::Manager {
            f.teams.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect()
        } else {
            vec![]
        },
    };
    let password = generate_password();
    match web.service.create_user(new, &password, &actor(&signed)).await {
        Ok(u) => {
            let notice = html! { p { "User " strong { (u.username) } " created. Password (shown once): " code.secret { (password) } } };
            render(&web, &signed, Some(notice)).await
        }
        Err(e) => page::failed(e, "creating the user"),
    }
}

#[derive(Deserialize)]
pub struct UserStateForm {
    #[serde(default)]
    csrf: String,
    username: String,
    #[serde(default)]
    disabled: String,
}

/// `POST /settings/users/state`: disable (ending their sessions) or enable a user.
pub async fn user_state(State(web): State<Web>, signed: Signed, Form(f): Form<UserStateForm>) -> Response {
    if let Err(r) = admin_only(&signed).and_then(|()| signed.check_csrf(&f.csrf)) {
        return r;
    }
    if f.username == signed.username() {
        return page::error(StatusCode::CONFLICT, "Not possible", "You cannot disable yourself; ask another admin.");
    }
    match web.service.set_user_disabled(&f.username, f.disabled == "1", &actor(&signed)).await {
        Ok(_) => Redirect::to("/settings").into_response(),
        Err(e) => page::failed(e, "changing the user"),
    }
}

/// `POST /settings/users/password`: a new generated password (shown once); the user's
/// sessions end.
pub async fn reset_password(State(web): State<Web>, signed: Signed, Form(f): Form<UserStateForm>) -> Response {
    if let Err(r) = admin_only(&signed).and_then(|()| signed.check_csrf(&f.csrf)) {
        return r;
    }
    let password = generate_password();
    match web.service.reset_user_password(&f.username, &password, &actor(&signed)).await {
        Ok(u) => {
            if u.username == signed.username() {
                // Their own sessions ended with it, this one included.
                return Redirect::to("/login").into_response();
            }
            let notice = html! { p { "New password of " strong { (u.username) } " (shown once): " code.secret { (password) } } };
            render(&web, &signed, Some(notice)).await
        }
        Err(e) => page::failed(e, "resetting the password"),
    }
}

#[derive(Deserialize)]
pub struct RepForm {
    #[serde(default)]
    csrf: String,
    id: String,
    capacity: String,
    #[serde(default)]
    away: String,
}

/// `POST /settings/reps`: a rep's capacity and absence.
pub async fn rep(State(web): State<Web>, signed: Signed, Form(f): Form<RepForm>) -> Response {
    if let Err(r) = admin_only(&signed).and_then(|()| signed.check_csrf(&f.csrf)) {
        return r;
    }
    let Some(mut rep) = web.service.read_state(|_, ops| ops.reps.get(&f.id).cloned()) else {
        return page::error(StatusCode::NOT_FOUND, "No such rep", &format!("There is no rep '{}'.", f.id));
    };
    let capacity = match f.capacity.trim().parse::<u32>() {
        Ok(c) if c >= 1 => c,
        _ => {
            return page::error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Not accepted",
                &format!("capacity '{}': a whole number of at least 1", f.capacity),
            );
        }
    };
    rep.capacity = capacity;
    rep.away = f.away == "1";
    if !rep.away {
        rep.away_until = None;
    }
    let detail = format!("rep {} capacity {} away {}", rep.id, rep.capacity, rep.away);
    match web.service.put_rep(rep).await {
        Ok(()) => {
            if let Err(e) = web.service.audit(&actor(&signed), "rep.update", &detail).await {
                return page::failed(e, "recording the change");
            }
            Redirect::to("/settings").into_response()
        }
        Err(e) => page::failed(e, "saving the rep"),
    }
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    lead_id: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /settings/erase`: erases a person by lead id or email.
pub async fn erase(State(web): State<Web>, signed: Signed, Form(f): Form<EraseForm>) -> Response {
    if let Err(r) = admin_only(&signed).and_then(|()| signed.check_csrf(&f.csrf)) {
        return r;
    }
    if f.confirm != "yes" {
        return page::error(StatusCode::UNPROCESSABLE_ENTITY, "Not confirmed", "Tick the confirmation: an erasure cannot be undone.");
    }
    let lead_id = Some(f.lead_id.trim()).filter(|s| !s.is_empty());
    let email = Some(f.email.trim()).filter(|s| !s.is_empty());
    if lead_id.is_none() && email.is_none() {
        return page::error(StatusCode::UNPROCESSABLE_ENTITY, "Whom?", "Give a lead id or an email.");
    }
    match web.service.erase(lead_id, email, &actor(&signed)).await {
        Ok((people, erased)) => {
            let notice = html! {
                p { "Erased " (people) " lead record(s): " (erased.leads) " leads, " (erased.events) " events, " (erased.consents) " consents, "
                    (erased.scores + erased.history) " scores, " (erased.deliveries) " webhook deliveries, " (erased.ops) " operating records." }
            };
            let mut resp = render(&web, &signed, Some(notice)).await;
            resp.headers_mut().insert(header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
            resp
        }
        Err(e) => page::failed(e, "erasing"),
    }
}

/// `mon, tue, ...` for a list of open days.
fn days_text(days: &[leadrank_routing::Weekday]) -> String {
    days.iter().filter_map(|d| serde_json::to_value(d).ok()).filter_map(|v| v.as_str().map(str::to_string)).collect::<Vec<_>>().join(" ")
}

/// The value of `key` in a form's pairs (the first one), or "".
fn field<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
}

fn not_accepted(what: &str) -> Response {
    page::error(StatusCode::UNPROCESSABLE_ENTITY, "Not accepted", what)
}

/// `POST /settings/teams`: creates or replaces a team (id, name, time zone, business hours).
/// Repeated `day` fields are the open days.
pub async fn team(State(web): State<Web>, signed: Signed, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    if let Err(r) = admin_only(&signed).and_then(|()| signed.check_csrf(field(&pairs, "csrf"))) {
        return r;
    }
    let id = field(&pairs, "id").trim();
    if id.is_empty() || id.len() > 100 || !id.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) {
        return not_accepted(&format!("id '{id}': letters, digits, '_', '.' or '-', at most 100"));
    }
    let mut team = web.service.read_state(|_, ops| ops.teams.get(id).cloned()).unwrap_or_else(|| leadrank_routing::Team::new(id));
    team.name = field(&pairs, "name").trim().to_string();
    team.timezone = field(&pairs, "timezone").trim().to_string();
    team.calendar.start = field(&pairs, "start").trim().to_string();
    team.calendar.end = field(&pairs, "end").trim().to_string();
    let mut days = Vec::new();
    for (_, d) in pairs.iter().filter(|(k, _)| k == "day") {
        match serde_json::from_value::<leadrank_routing::Weekday>(serde_json::Value::String(d.clone())) {
            Ok(day) => days.push(day),
            Err(_) => return not_accepted(&format!("day '{d}': one of mon, tue, wed, thu, fri, sat, sun")),
        }
    }
    team.calendar.days = days;
    let detail = format!("team {} {} {}-{}", team.id, team.timezone, team.calendar.start, team.calendar.end);
    match web.service.put_team(team).await {
        Ok(()) => {
            if let Err(e) = web.service.audit(&actor(&signed), "team.put", &detail).await {
                return page::failed(e, "recording the change");
            }
            Redirect::to("/settings#teams-h").into_response()
        }
        Err(leadrank_service::ServiceError::Invalid(m)) => not_accepted(&m),
        Err(e) => page::failed(e, "saving the team"),
    }
}

/// `POST /settings/reps/new`: adds a rep to a team (or replaces one with the same id).
pub async fn new_rep(State(web): State<Web>, signed: Signed, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    if let Err(r) = admin_only(&signed).and_then(|()| signed.check_csrf(field(&pairs, "csrf"))) {
        return r;
    }
    let number = |key: &str| -> Result<u32, Response> {
        match field(&pairs, key).trim().parse::<u32>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(not_accepted(&format!("{key} '{}': a whole number of at least 1", field(&pairs, key)))),
        }
    };
    let (capacity, weight) = match (number("capacity"), number("weight")) {
        (Ok(c), Ok(w)) => (c, w),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let id = field(&pairs, "id").trim();
    if id.is_empty() || id.len() > 100 {
        return not_accepted(&format!("id '{id}': 1 to 100 characters"));
    }
    let mut rep = leadrank_routing::Rep::new(id, field(&pairs, "team").trim(), capacity);
    let name = field(&pairs, "name").trim();
    if !name.is_empty() {
        rep.name = name.to_string();
    }
    rep.weight = Some(weight);
    let detail = format!("rep {} team {} capacity {capacity} weight {weight}", rep.id, rep.team);
    match web.service.put_rep(rep).await {
        Ok(()) => {
            if let Err(e) = web.service.audit(&actor(&signed), "rep.create", &detail).await {
                return page::failed(e, "recording the change");
            }
            Redirect::to("/settings#reps-h").into_response()
        }
        Err(leadrank_service::ServiceError::Invalid(m)) => not_accepted(&m),
        Err(e) => page::failed(e, "saving the rep"),
    }
}

/// `POST /settings/webhooks`: subscribes a public URL to the checked events; the signing
/// secret is shown once.
pub async fn webhook(State(web): State<Web>, signed: Signed, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    if let Err(r) = admin_only(&signed).and_then(|()| signed.check_csrf(field(&pairs, "csrf"))) {
        return r;
    }
    let url = field(&pairs, "url").trim().to_string();
    let events: Vec<String> = pairs.iter().filter(|(k, _)| k == "event").map(|(_, v)| v.clone()).collect();
    match web.service.subscribe(url, events, web.allow_private_targets, &actor(&signed)).await {
        Ok(Ok(sub)) => {
            let notice = html! { p { "Subscribed " code { (sub.id) } " to " (sub.events.join(", ")) ". Signing secret (shown once): " code.secret { (sub.secret) } } };
            render(&web, &signed, Some(notice)).await
        }
        Ok(Err(e)) => not_accepted(&e.to_string()),
        Err(e) => page::failed(e, "subscribing"),
    }
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    csrf: String,
    id: String,
}

/// `POST /settings/teams/delete`: removes a team that has no reps left (a team with reps is
/// refused with 409 naming them, so no rep is left routing nowhere by accident).
pub async fn delete_team(State(web): State<Web>, signed: Signed, Form(f): Form<RemoveForm>) -> Response {
    if let Err(r) = admin_only(&signed).and_then(|()| signed.check_csrf(&f.csrf)) {
        return r;
    }
    let members: Vec<String> =
        web.service.read_state(|_, ops| ops.reps.values().filter(|r| r.team == f.id).map(|r| r.id.clone()).collect());
    if !members.is_empty() {
        return page::error(
            StatusCode::CONFLICT,
            "Team has reps",
            &format!("Team '{}' still has {} rep(s) ({}); move or remove them first.", f.id, members.len(), members.join(", ")),
        );
    }
    removed(&web, &signed, web.service.delete_team(&f.id).await, "team.delete", &f.id, "#teams-h").await
}

/// `POST /settings/reps/delete`: removes a rep; leads assigned to them keep the assignment.
pub async fn delete_rep(State(web): State<Web>, signed: Signed, Form(f): Form<RemoveForm>) -> Response {
    if let Err(r) = admin_only(&signed).and_then(|()| signed.check_csrf(&f.csrf)) {
        return r;
    }
    removed(&web, &signed, web.service.delete_rep(&f.id).await, "rep.delete", &f.id, "#reps-h").await
}

/// `POST /settings/webhooks/delete`: unsubscribes a webhook (audited by the service).
pub async fn delete_webhook(State(web): State<Web>, signed: Signed, Form(f): Form<RemoveForm>) -> Response {
    if let Err(r) = admin_only(&signed).and_then(|()| signed.check_csrf(&f.csrf)) {
        return r;
    }
    match web.service.unsubscribe(&f.id, &actor(&signed)).await {
        Ok(()) => Redirect::to("/settings#hooks-h").into_response(),
        Err(leadrank_service::ServiceError::NotFound(m)) => page::error(StatusCode::NOT_FOUND, "Not found", &format!("There is no {m}.")),
        Err(e) => page::failed(e, "unsubscribing"),
    }
}

/// Audits a removal that succeeded and goes back to its section; a missing id is a 404 page.
async fn removed(
    web: &Web,
    signed: &Signed,
    result: Result<(), leadrank_service::ServiceError>,
    action: &str,
    id: &str,
    anchor: &str,
) -> Response {
    match result {
        Ok(()) => {
            if let Err(e) = web.service.audit(&actor(signed), action, id).await {
                return page::failed(e, "recording the change");
            }
            Redirect::to(&format!("/settings{anchor}")).into_response()
        }
        Err(leadrank_service::ServiceError::NotFound(m)) => page::error(StatusCode::NOT_FOUND, "Not found", &format!("There is no {m}.")),
        Err(e) => page::failed(e, "removing"),
    }
}
