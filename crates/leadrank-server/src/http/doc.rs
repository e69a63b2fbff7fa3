//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` annotations and
//! the views' schemas; served at `/openapi.json` and kept in `docs/openapi.json`.

use std::sync::OnceLock;

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::problem::responses::*;
use super::{BodyLimits, MAX_BATCH, admin, alerts, crm_webhooks, import, ingest, ops, read, segment, sync};
use crate::http::records::MAX_RECORD_BYTES;

/// The document: every operation of the router (a test checks that the two list the same
/// routes), the schemas they refer to and the reusable error answers.
#[derive(OpenApi)]
#[openapi(
    info(title = "leadrank API"),
    paths(
        ingest::leads,
        read::list_leads,
        read::lead,
        read::score,
        read::history,
        ops::lifecycle,
        ops::accept,
        ops::reject,
        ops::move_stage,
        ops::reroute,
        ops::set_item,
        ops::list_teams,
        ops::put_team,
        ops::delete_team,
        ops::list_reps,
        ops::put_rep,
        ops::delete_rep,
        ops::get_routing,
        ops::put_routing,
        ops::funnel,
        ops::routing_report,
        ops::sla_report,
        ops::stages_csv,
        ingest::accounts,
        ops::list_accounts,
        read::account,
        ingest::events,
        ingest::consents,
        ingest::outcomes,
        ingest::list_outcomes,
        import::import_csv,
        admin::upload_model,
        admin::list_models,
        admin::activation,
        admin::diff_models,
        admin::get_model,
        admin::activate_model,
        admin::add_webhook,
        admin::list_webhooks,
        admin::delete_webhook,
        admin::webhook_deliveries,
        alerts::add_alert_rule,
        alerts::list_alert_rules,
        alerts::delete_alert_rule,
        alerts::alert_deliveries,
        sync::list_sync_sources,
        sync::run_sync_source,
        sync::pause_sync_source,
        sync::resume_sync_source,
        crm_webhooks::hubspot_webhooks,
        admin::export,
        admin::erase,
        admin::audit_log,
        admin::create_key,
        admin::list_keys,
        admin::revoke_key,
        segment::batch,
        segment::identify,
        segment::track,
        segment::page,
        segment::group,
        read::healthz,
        read::ready,
        read::metrics,
        read::openapi,
    ),
    components(schemas(super::problem::ProblemBody, super::problem::FileIssue), responses(
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        PayloadTooLarge,
        UnsupportedMediaType,
        UnprocessableEntity,
        TooManyRequests,
        InternalError,
        ServiceUnavailable,
    )),
    modifiers(&Described),
    tags(
        (name = "ingest", description = "Batch writes of leads, accounts, events and consent records; CSV imports through a mapping."),
        (name = "read", description = "Leads ranked by score, one lead, its score with the explanation, history, accounts."),
        (name = "lifecycle", description = "Stages, sales acceptance and rejection, qualification checklists."),
        (name = "routing", description = "Teams, reps, the routing file and re-routing."),
        (name = "reports", description = "Funnel, fairness and SLA reports, the stage history."),
        (name = "models", description = "Model versions: upload, diff, activation."),
        (name = "webhooks", description = "Subscriptions and their deliveries."),
        (name = "alerts", description = "Alert rules (Slack, Teams, email) and their deliveries."),
        (name = "sync", description = "The scheduled CRM sync of `leadrank serve --sync-config`: status, run now, pause, resume (see docs/crm-sync.md)."),
        (name = "privacy", description = "Export and erasure of a person."),
        (name = "admin", description = "API keys and the audit log."),
        (name = "segment", description = "The Segment-compatible intake: Segment's identify, track, page, group and batch calls, mapped to leads, events and accounts (see docs/segment.md)."),
        (name = "operations", description = "Health, readiness, metrics and this document; no key needed."),
    )
)]
pub struct ApiDoc;

/// Adds the security scheme and the description, whose figures come from the router's limits.
struct Described;

impl Modify for Described {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "apiKey",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("lr_<id>_<secret>")
                    .description(Some(
                        "An API key `lr_<id>_<secret>` with the scope the operation lists (ingest, read, sales or admin; \
                         admin includes the others).",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "writeKey",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Basic)
                    .description(Some(
                        "Segment's write key: an API key with the ingest scope as the basic auth user name (password empty), \
                         as Segment's libraries send it; or the key as a bearer token, or `writeKey` in the body.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "hubspotSignature",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-HubSpot-Signature-v3",
                "HubSpot's webhook signature v3: base64 of HMAC-SHA256, keyed with the HubSpot app's client secret, of the \
                 method, the full request URI, the body and X-HubSpot-Request-Timestamp (epoch ms, at most 5 minutes old).",
            ))),
        );
        openapi.info.description = Some(description());
        // A handler's doc comment starts with its route ("`GET /v1/leads`: leads ranked…"),
        // which the document already says: the summary keeps what follows.
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete];
            for op in operations.into_iter().flatten() {
                if let Some(summary) = &mut op.summary
                    && let Some((_, rest)) = summary.strip_prefix('`').and_then(|s| s.split_once("`: "))
                {
                    let mut chars = rest.chars();
                    *summary = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
                }
            }
        }
    }
}

fn description() -> String {
    let kib = |bytes: usize| bytes / 1024;
    let l = BodyLimits::ROUTES;
    format!(
        "Real-time B2B lead scoring. JSON under /v1; errors are `application/problem+json` (RFC 9457) with a request id \
         and, when a field is at fault, its JSON pointer.\n\n\
         **Authentication:** `Authorization: Bearer lr_<id>_<secret>` (create keys with `leadrank keys create` or \
         POST /v1/keys). Each operation lists the scope it needs in its security requirement: `ingest` (writes of leads, \
         accounts, events, consents), `read` (reads), `sales` (working leads: accept, reject, stages, checklists, \
         re-routing), `admin` (models, webhooks, privacy, audit, keys, teams, reps, routing); `admin` includes the others. \
         A missing, unknown or revoked key is a 401; a key without the scope, a 403. /healthz, /readyz, /metrics and \
         /openapi.json need no key.\n\n\
         **Limits:** at most {MAX_BATCH} records per batch and {} KiB per record; bodies up to {} KiB (leads), {} KiB \
         (accounts), {} KiB (events, consents), {} KiB (models, routing file), {} KiB (teams), {} KiB (reps), {} MiB (CSV imports), {} KiB \
         otherwise (413 beyond). Too many requests at once (or too many writes at once: every method but GET and HEAD) \
         get a 429 with Retry-After at once; a request that takes too long, a 503. Connections that do not send a \
         request's headers in time, or stay idle too long, are closed.\n\n\
         **Content types:** JSON bodies need `Content-Type: application/json` (or `application/*+json`); model and \
         routing files (TOML) are taken as `application/toml`, `text/plain`, `application/octet-stream`, \
         `application/x-www-form-urlencoded` (curl's default) or without a content type; CSV imports as `text/csv` or a \
         `multipart/form-data` form; anything else is a 415.\n\n\
         **Errors:** a fault of the request is a 4xx naming what is wrong; a fault of the service (database, a corrupt \
         stored value) is a 500 `about:blank#internal` whose details are in the server log under the request id.",
        kib(MAX_RECORD_BYTES),
        kib(l.leads),
        kib(l.accounts),
        kib(l.events),
        kib(l.files),
        kib(l.team),
        kib(l.rep),
        import::MAX_IMPORT_BYTES >> 20,
        kib(l.default),
    )
}

/// The document as pretty JSON (made once).
pub fn json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        // Serialising the document's own types cannot fail (every map key is a string).
        let mut text = ApiDoc::openapi().to_pretty_json().expect("the OpenAPI document serialises");
        text.push('\n');
        text
    })
}
