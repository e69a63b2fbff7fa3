//! The model workspace: versions and which is active, an editor that checks as you type,
//! a draft previewed on the stored leads before it goes live, sign-offs by sales and
//! marketing, and publishing with progress.
//!
//! Managers, RevOps and admins see it; RevOps writes and publishes; a manager signs off
//! for sales and a RevOps user for marketing.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadrank_core::model::{CompiledModel, ModelIssue};
use leadrank_service::users::Role;
use leadrank_service::workspace::{Preview, REQUIRED_SIDES, Side, SignOff};
use leadrank_store::StoredModel;
use maud::{Markup, html};
use serde::{Deserialize, Serialize};

use crate::Web;
use crate::auth::Signed;
use crate::page;

/// Largest model file accepted from the editor.
pub const MAX_MODEL: usize = 256 * 1024;

fn may_view(signed: &Signed) -> Result<(), Response> {
    if signed.role() == Role::Rep {
        return Err(page::error(StatusCode::FORBIDDEN, "Not for reps", "The model workspace is for managers, RevOps and admins."));
    }
    Ok(())
}

fn may_edit(signed: &Signed) -> Result<(), Response> {
    if signed.role() != Role::Revops {
        return Err(page::error(StatusCode::FORBIDDEN, "RevOps only", "Only RevOps users write and publish models."));
    }
    Ok(())
}

fn activation_view(web: &Web) -> Markup {
    let a = web.service.activation();
    html! {
        @if a.state == "running" || a.state == "queued" {
            p.progress data-reload-while="running" role="status" {
                "Publishing model " (a.model_id.unwrap_or_default()) ": rescoring "
                (a.done) " of " (a.total) " records"
                @if a.total > 0 { " (" (a.done * 100 / a.total.max(1)) "%)" } "…"
            }
        } @else if let Some(e) = &a.error {
            p.alert role="alert" { "The last publication failed: " (e) }
        }
    }
}

/// `GET /models`: every version, newest first, with who signed it off.
pub async fn list(State(web): State<Web>, signed: Signed) -> Response {
    if let Err(r) = may_view(&signed) {
        return r;
    }
    let (models, signoffs) = match tokio::try_join!(web.service.models(), web.service.sign_offs()) {
        Ok(x) => x,
        Err(e) => return page::failed(e, "reading the models"),
    };
    let body = html! {
        h1 { "Models" }
        (activation_view(&web))
        @if signed.role() == Role::Revops {
            p { a.button href="/models/new" { "New version from the active model" } }
        }
        div.table-wrap {
            table {
                thead { tr { th { "Version" } th { "Name" } th { "Uploaded" } th { "State" } th { "Signed off by" } } }
                tbody {
                    @for m in models.iter().rev() {
                        tr {
                            td data-label="Version" { a href={ "/models/" (m.id) } { "#" (m.id) " · " (m.version) } }
                            td data-label="Name" { (m.name) }
                            td data-label="Uploaded" { (m.created_at.strftime("%Y-%m-%d %H:%M")) }
                            td data-label="State" { @if m.active { span.chip.good { "active" } } @else { span.muted { "inactive" } } }
                            td data-label="Signed off by" { (signers(&signoffs, m.id)) }
                        }
                    }
                }
            }
        }
    };
    page::shell(&signed, "Models", "/models", body)
}

fn signers(all: &[SignOff], model_id: i64) -> Markup {
    let mine: Vec<&SignOff> = all.iter().filter(|s| s.model_id == model_id).collect();
    html! {
        @if mine.is_empty() { span.muted { "nobody" } }
        @for s in mine { span.chip title=(s.comment) { (s.name) " (" (s.side.as_str()) ")" } }
    }
}

#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    from: Option<i64>,
}

fn editor(signed: &Signed, source: &str, issues: &[ModelIssue]) -> Markup {
    html! {
        h1 { "New model version" }
        p.muted { "Edit the model file. It is checked as you type; saving stores it as an inactive version you can preview, get signed off and publish." }
        form.editor method="post" action="/models" {
            input type="hidden" name="csrf" value=(signed.who.csrf);
            div.editor-grid {
                div {
                    label for="source" { "Model file (TOML)" }
                    textarea #source name="source" rows="30" spellcheck="false" data-check="/models/check" maxlength=(MAX_MODEL) { (source) }
                }
                div {
                    h2 { "Problems" }
                    ul #issues aria-live="polite" {
                        @if issues.is_empty() { li.muted { "None found." } }
                        @for i in issues { li { a href="#source" data-line=(i.line) { "line " (i.line) ", column " (i.column) } ": " @if !i.key.is_empty() { code { (i.key) } " " } (i.message) } }
                    }
                }
            }
            button type="submit" { "Save as a new version" }
        }
    }
}

/// `GET /models/new`: the editor, on a copy of the active (or `from`) version.
pub async fn new(State(web): State<Web>, signed: Signed, Query(q): Query<NewQuery>) -> Response {
    if let Err(r) = may_edit(&signed) {
        return r;
    }
    let models = match web.service.models().await {
        Ok(m) => m,
        Err(e) => return page::failed(e, "reading the models"),
    };
    let base = q.from.and_then(|id| models.iter().find(|m| m.id == id)).or_else(|| models.iter().find(|m| m.active)).or(models.last());
    let source = base.map_or("", |m| m.source.as_str());
    page::shell(&signed, "New model version", "/models", editor(&signed, source, &[]))
}

#[derive(Deserialize)]
pub struct SourceForm {
    #[serde(default)]
    csrf: String,
    source: String,
}

/// A problem of a model file, for the editor's live check.
#[derive(Serialize)]
pub struct IssueView {
    line: usize,
    column: usize,
    key: String,
    message: String,
}

fn check_source(source: &str) -> Result<CompiledModel, Vec<ModelIssue>> {
    if source.len() > MAX_MODEL {
        return Err(vec![ModelIssue {
            line: 1,
            column: 1,
            key: String::new(),
            message: format!("the file is over {} KiB", MAX_MODEL / 1024),
        }]);
    }
    CompiledModel::from_toml(source, "draft").map_err(|e| e.issues)
}

/// `POST /models/check`: every problem of a draft, located (JSON for the editor).
pub async fn check(signed: Signed, Form(f): Form<SourceForm>) -> Response {
    if let Err(r) = may_edit(&signed).and_then(|()| signed.check_csrf(&f.csrf)) {
        return r;
    }
    let issues = match check_source(&f.source) {
        Ok(_) => Vec::new(),
        Err(issues) => issues.into_iter().map(|i| IssueView { line: i.line, column: i.column, key: i.key, message: i.message }).collect(),
    };
    Json(issues).into_response()
}

/// `POST /models`: stores a draft as a new, inactive version (or shows its problems).
pub async fn upload(State(web): State<Web>, signed: Signed, Form(f): Form<SourceForm>) -> Response {
    if let Err(r) = may_edit(&signed).and_then(|()| signed.check_csrf(&f.csrf)) {
        return r;
    }
    if let Err(issues) = check_source(&f.source) {
        let mut resp = page::shell(&signed, "New model version", "/models", editor(&signed, &f.source, &issues));
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return resp;
    }
    match web.service.upload_model(&f.source, &format!("user:{}", signed.username())).await {
        Ok(m) => Redirect::to(&format!("/models/{}", m.id)).into_response(),
        Err(e) => page::failed(e, "saving the model"),
    }
}

/// `GET /models/{id}`: the version, its changes against the active one, the preview on the
/// stored leads, its sign-offs and the publish button.
pub async fn show(State(web): State<Web>, signed: Signed, Path(id): Path<i64>) -> Response {
    if let Err(r) = may_view(&signed) {
        return r;
    }
    let models = match web.service.models().await {
        Ok(m) => m,
        Err(e) => return page::failed(e, "reading the models"),
    };
    let Some(model) = models.iter().find(|m| m.id == id).cloned() else {
        return page::error(StatusCode::NOT_FOUND, "No such model", &format!("There is no model version {id}."));
    };
    let active = models.iter().find(|m| m.active).cloned();
    let diff = match &active {
        Some(a) if a.id != id => web.service.diff_models(a.id, id).await.ok(),
        _ => None,
    };
    let (preview, signoffs, missing) =
        match tokio::try_join!(web.service.preview_model(id), web.service.sign_offs(), web.service.missing_sign_offs(id)) {
            Ok(x) => x,
            Err(e) => return page::failed(e, "previewing the model"),
        };
    let mine: Vec<SignOff> = signoffs.into_iter().filter(|s| s.model_id == id).collect();
    let body = html! {
        h1 { "Model #" (model.id) " · " (model.name) " " (model.version) }
        p {
            @if model.active { span.chip.good { "active" } } @else { span.muted { "inactive" } }
            " uploaded " (model.created_at.strftime("%Y-%m-%d %H:%M UTC"))
            @if signed.role() == Role::Revops { " · " a href={ "/models/new?from=" (model.id) } { "edit a copy" } }
        }
        (activation_view(&web))
        div.grid {
            section aria-labelledby="prev-h" {
                h2 #prev-h { "Preview on the stored leads" }
                (preview_view(&preview, active.as_ref()))
            }
            section aria-labelledby="sign-h" {
                h2 #sign-h { "Sign-off and publishing" }
                (signoff_view(&signed, &model, &mine, &missing, &preview))
            }
        }
        @if let Some(d) = &diff {
            section aria-labelledby="diff-h" {
                h2 #diff-h { "Changes against the active model (#" (d.from.id) ")" }
                @if d.threshold_from != d.threshold_to { p { "Quality threshold: " (d.threshold_from) " → " strong { (d.threshold_to) } } }
                pre.diff { (d.unified_diff) }
            }
        }
        details {
            summary { "The model file" }
            pre.diff { (model.source) }
        }
    };
    page::shell(&signed, &format!("Model #{id}"), "/models", body)
}

fn preview_view(p: &Preview, active: Option<&StoredModel>) -> Markup {
    let max = p.histogram.iter().map(|h| h.1.max(h.2)).max().unwrap_or(1).max(1);
    html! {
        p.muted { (p.summary()) @if let Some(a) = active { "; compared with the active model #" (a.id) } "." }
        table.compact {
            thead { tr { th {} th.num { "Active" } th.num { "This version" } } }
            tbody {
                tr { td { "Quality threshold" } td.num { (p.threshold_active) } td.num { (p.threshold_draft) } }
                tr { td { "Quality leads" } td.num { (p.quality_active) } td.num { (p.quality_draft) } }
                tr { td { "Become quality" } td.num {} td.num { (p.became.len()) } }
                tr { td { "Stop being quality" } td.num {} td.num { (p.stopped.len()) } }
            }
        }
        h3 { "Score distribution" }
        table.compact.hist {
            thead { tr { th { "Score" } th { "Active" } th { "This version" } } }
            tbody {
                @for (b, a, d) in &p.histogram {
                    tr {
                        td { (b) "–" (b + 9) }
                        td { (bar(*a, max, "track-a")) " " (a) }
                        td { (bar(*d, max, "track-d")) " " (d) }
                    }
                }
            }
        }
        h3 { "Top tenth by score: outcomes captured" }
        @if p.captures.is_empty() {
            p.muted { "No lead has reached sql or beyond yet, so there is nothing to measure capture against." }
        } @else {
            table.compact {
                thead { tr { th { "Outcome" } th.num { "Leads" } th.num { "Active top 10%" } th.num { "This version top 10%" } } }
                tbody {
                    @for c in &p.captures {
                        tr {
                            td { (c.outcome) }
                            td.num { (c.positives) @if c.positives < 30 { " " span.chip.warn title="Fewer than 30 leads: the share moves a lot with one lead" { "small sample" } } }
                            td.num { (c.active_top) " (" (c.active_top * 100 / c.positives.max(1)) "%)" }
                            td.num { (c.draft_top) " (" (c.draft_top * 100 / c.positives.max(1)) "%)" }
                        }
                    }
                }
            }
        }
        @match &p.revenue {
            Some(r) => {
                p {
                    "Won revenue in the top tenth: active model " (money(r.active_top)) " of " (money(r.total)) " (" (share(r.active_top, r.total)) "), this version "
                    (money(r.draft_top)) " (" (share(r.draft_top, r.total)) ")."
                }
            }
            None => { p.muted.small { "Won revenue: n/a (no stored won deal has an amount; send deals to POST /v1/outcomes)." } }
        }
        (moved("Become quality leads", &p.became))
        (moved("Stop being quality leads", &p.stopped))
    }
}

fn bar(n: usize, max: usize, class: &str) -> Markup {
    let w = (n * 120 / max).max(usize::from(n > 0));
    html! { svg.bar width="120" height="10" viewBox="0 0 120 10" aria-hidden="true" { rect x="0" y="1" width=(w) height="8" class=(class) {} } }
}

fn moved(title: &str, leads: &[leadrank_service::workspace::Moved]) -> Markup {
    html! {
        @if !leads.is_empty() {
            details {
                summary { (title) " (" (leads.len()) ")" }
                ul {
                    @for m in leads.iter().take(50) { li { a href={ "/leads/" (m.lead_id) } { (m.lead_id) } " " (m.active) " → " (m.draft) } }
                    @if leads.len() > 50 { li.muted { "and " (leads.len() - 50) " more" } }
                }
            }
        }
    }
}

fn signoff_view(signed: &Signed, model: &StoredModel, mine: &[SignOff], missing: &[Side], preview: &Preview) -> Markup {
    let my_side = Side::of(signed.role());
    let signed_already = mine.iter().any(|s| s.username == signed.username());
    let csrf = &signed.who.csrf;
    html! {
        p { "Publishing needs the sign-off of " (REQUIRED_SIDES.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" and ")) "." }
        ul {
            @if mine.is_empty() { li.muted { "No sign-off yet." } }
            @for s in mine {
                li {
                    strong { (s.name) } " for " (s.side.as_str()) ", " (s.at.strftime("%Y-%m-%d %H:%M UTC")) ": “" (s.comment) "”"
                    div.muted.small { "saw: " (s.preview) }
                }
            }
        }
        @if let Some(side) = my_side {
            @if !signed_already && !model.active && (signed.role() == Role::Revops || signed.role() == Role::Manager) {
                form method="post" action={ "/models/" (model.id) "/signoff" } {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="preview" value=(preview.summary());
                    label for="comment" { "Sign off for " (side.as_str()) ": what you checked and why you agree" }
                    textarea #comment name="comment" rows="3" required maxlength="2000" {}
                    button type="submit" { "Sign off" }
                }
            }
        }
        @if signed.role() == Role::Revops && !model.active {
            form method="post" action={ "/models/" (model.id) "/publish" } {
                input type="hidden" name="csrf" value=(csrf);
                @if missing.is_empty() {
                    button type="submit" { "Publish: make this version active" }
                } @else {
                    button type="submit" disabled { "Publish" }
                    " " span.muted { "waiting for the sign-off of " (missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" and ")) }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct SignOffForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    preview: String,
}

/// `POST /models/{id}/signoff`.
pub async fn sign_off(State(web): State<Web>, signed: Signed, Path(id): Path<i64>, Form(f): Form<SignOffForm>) -> Response {
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r;
    }
    if !matches!(signed.role(), Role::Revops | Role::Manager) {
        return page::error(StatusCode::FORBIDDEN, "Not an owner", "Managers sign off for sales and RevOps for marketing.");
    }
    let preview: String = f.preview.chars().take(300).collect();
    match web.service.sign_off(id, &signed.who.user, &f.comment, &preview).await {
        Ok(_) => Redirect::to(&format!("/models/{id}")).into_response(),
        Err(e) => page::failed(e, "signing off"),
    }
}

#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /models/{id}/publish`: activates a signed-off version in the background.
pub async fn publish(State(web): State<Web>, signed: Signed, Path(id): Path<i64>, Form(f): Form<PublishForm>) -> Response {
    if let Err(r) = may_edit(&signed).and_then(|()| signed.check_csrf(&f.csrf)) {
        return r;
    }
    let service: Arc<leadrank_service::Service> = web.service.clone();
    match service.publish(id, &signed.who.user).await {
        Ok(()) => Redirect::to(&format!("/models/{id}")).into_response(),
        Err(e) => page::failed(e, "publishing"),
    }
}

fn money(v: f64) -> String {
    leadrank_metrics::fmt::money(v)
}

fn share(part: f64, total: f64) -> String {
    leadrank_metrics::fmt::pct((total > 0.0).then(|| part / total))
}
