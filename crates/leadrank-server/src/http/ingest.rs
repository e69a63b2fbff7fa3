//! Batch writes: leads, accounts, events and consent records, with one result per record.
//! A 2xx answer means every accepted record is durably committed.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::records::schema::{AccountRecord, ConsentRecordSchema, EventRecord, LeadRecord};

use super::body::Strict;
use super::problem::Problem;
use super::problem::responses::*;
use super::records::{self, Rejection};
use super::views::{BatchResult, OpportunityList, OpportunityView, RecordId, RecordResult};
use super::{AppState, Caller, MAX_BATCH, need, view};
use leadrank_service::service::Outcome;

/// A batch of 1 to 500 leads; each record is checked on its own.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadsBody {
    #[schema(value_type = Vec<LeadRecord>, min_items = 1, max_items = 500)]
    leads: Vec<Value>,
}

/// A batch of 1 to 500 accounts; each record is checked on its own.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountsBody {
    #[schema(value_type = Vec<AccountRecord>, min_items = 1, max_items = 500)]
    accounts: Vec<Value>,
}

/// A batch of 1 to 500 events; each record is checked on its own.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventsBody {
    #[schema(value_type = Vec<EventRecord>, min_items = 1, max_items = 500)]
    events: Vec<Value>,
}

/// A batch of 1 to 500 consent records; each record is checked on its own.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentsBody {
    #[schema(value_type = Vec<ConsentRecordSchema>, min_items = 1, max_items = 500)]
    consents: Vec<Value>,
}

/// A batch of 1 to 500 opportunities (deals); each record is checked on its own.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomesBody {
    #[schema(value_type = Vec<OpportunityRecord>, min_items = 1, max_items = 500)]
    outcomes: Vec<Value>,
}

/// An opportunity (a deal): `opportunity_id` and `status` (open, won or lost; "closed won"
/// style values too) required, a `lead_id` or an `account_id`; `amount` zero or more;
/// times in the accepted time formats; `closed_at` not before `created_at`. Any other member
/// rejects the record.
#[derive(ToSchema)]
#[allow(dead_code)]
struct OpportunityRecord {
    opportunity_id: String,
    lead_id: Option<String>,
    account_id: Option<String>,
    status: String,
    amount: Option<f64>,
    created_at: Option<String>,
    closed_at: Option<String>,
    loss_reason: Option<String>,
}

fn check_size(name: &str, n: usize) -> Result<(), Problem> {
    if n == 0 {
        return Err(Problem::field("empty_batch", format!("/{name}"), format!("{name} is empty")));
    }
    if n > MAX_BATCH {
        return Err(Problem::field("batch_too_large", format!("/{name}"), format!("at most {MAX_BATCH} records per request; got {n}")));
    }
    Ok(())
}

/// The result of record `index` of the batch `name`.
fn result(name: &str, index: usize, id_kind: RecordId, id: Option<&str>, outcome: &Outcome, why: Option<&Rejection>) -> RecordResult {
    let why = why.map(|r| (format!("/{name}/{index}{}", r.pointer), r.reason.clone()));
    RecordResult::new(index, id_kind, id, outcome, why)
}

/// `POST /v1/leads`: upsert up to 500 leads.
#[utoipa::path(
    post,
    path = "/v1/leads",
    tag = "ingest",
    operation_id = "upsertLeads",
    request_body(content = LeadsBody, content_type = "application/json"),
    responses(
        (status = 200, description = "One result per record, in order; created and updated leads are rescored before the answer.", body = BatchResult),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["ingest"]))
)]
pub async fn leads(State(state): State<AppState>, _: Caller<need::Ingest>, Strict(body): Strict<LeadsBody>) -> Result<Response, Problem> {
    check_size("leads", body.leads.len())?;
    let parsed: Vec<Result<leadrank_core::Lead, Rejection>> = body.leads.iter().map(records::lead).collect();
    let good: Vec<leadrank_core::Lead> = parsed.iter().filter_map(|r| r.as_ref().ok().cloned()).collect();
    let mut outcomes = state.service.upsert_leads(good).await?.into_iter();
    let results: Vec<RecordResult> = parsed
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            Ok(lead) => {
                let outcome = outcomes.next().unwrap_or(Outcome::Rejected);
                result("leads", i, RecordId::Lead, Some(&lead.lead_id), &outcome, None)
            }
            Err(why) => result("leads", i, RecordId::Lead, body.leads[i]["lead_id"].as_str(), &Outcome::Rejected, Some(why)),
        })
        .collect();
    Ok(view(BatchResult::of(results)))
}

/// `POST /v1/accounts`: upsert up to 500 accounts.
#[utoipa::path(
    post,
    path = "/v1/accounts",
    tag = "ingest",
    operation_id = "upsertAccounts",
    request_body(content = AccountsBody, content_type = "application/json"),
    responses(
        (status = 200, description = "One result per record, in order.", body = BatchResult),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["ingest"]))
)]
pub async fn accounts(
    State(state): State<AppState>,
    _: Caller<need::Ingest>,
    Strict(body): Strict<AccountsBody>,
) -> Result<Response, Problem> {
    check_size("accounts", body.accounts.len())?;
    let parsed: Vec<_> = body.accounts.iter().map(records::account).collect();
    let good: Vec<leadrank_core::Account> = parsed.iter().filter_map(|r| r.as_ref().ok().cloned()).collect();
    let mut outcomes = state.service.upsert_accounts(good).await?.into_iter();
    let results: Vec<RecordResult> = parsed
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            Ok(a) => result("accounts", i, RecordId::Account, Some(&a.account_id), &outcomes.next().unwrap_or(Outcome::Rejected), None),
            Err(why) => result("accounts", i, RecordId::Account, body.accounts[i]["account_id"].as_str(), &Outcome::Rejected, Some(why)),
        })
        .collect();
    Ok(view(BatchResult::of(results)))
}

/// `POST /v1/events`: ingest up to 500 events; the event id is the idempotency key.
#[utoipa::path(
    post,
    path = "/v1/events",
    tag = "ingest",
    operation_id = "ingestEvents",
    request_body(content = EventsBody, content_type = "application/json"),
    responses(
        (status = 200, description = "One result per record, in order; a resent event id is a duplicate.", body = BatchResult),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["ingest"]))
)]
pub async fn events(State(state): State<AppState>, _: Caller<need::Ingest>, Strict(body): Strict<EventsBody>) -> Result<Response, Problem> {
    check_size("events", body.events.len())?;
    let parsed: Vec<_> = body.events.iter().map(records::event).collect();
    let good: Vec<leadrank_core::Event> = parsed.iter().filter_map(|r| r.as_ref().ok().cloned()).collect();
    let mut outcomes = state.service.ingest_events(good).await?.into_iter();
    let results: Vec<RecordResult> = parsed
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            Ok(e) => {
                let (outcome, why) = outcomes.next().unwrap_or((Outcome::Rejected, None));
                let why = why.map(|reason| Rejection { pointer: "/lead_id".into(), reason });
                result("events", i, RecordId::Event, Some(&e.event_id), &outcome, why.as_ref())
            }
            Err(why) => result("events", i, RecordId::Event, body.events[i]["event_id"].as_str(), &Outcome::Rejected, Some(why)),
        })
        .collect();
    Ok(view(BatchResult::of(results)))
}

/// `POST /v1/consents`: append consent records (purpose, status, source, time).
#[utoipa::path(
    post,
    path = "/v1/consents",
    tag = "ingest",
    operation_id = "addConsents",
    request_body(content = ConsentsBody, content_type = "application/json"),
    responses(
        (status = 200, description = "One result per record, in order.", body = BatchResult),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["ingest"]))
)]
pub async fn consents(
    State(state): State<AppState>,
    _: Caller<need::Ingest>,
    Strict(body): Strict<ConsentsBody>,
) -> Result<Response, Problem> {
    check_size("consents", body.consents.len())?;
    let parsed: Vec<_> = body.consents.iter().map(records::consent).collect();
    let good: Vec<leadrank_core::records::ConsentRecord> = parsed.iter().filter_map(|r| r.as_ref().ok().cloned()).collect();
    let mut outcomes = state.service.add_consents(good).await?.into_iter();
    let results: Vec<RecordResult> = parsed
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            Ok(c) => {
                let (outcome, why) = outcomes.next().unwrap_or((Outcome::Rejected, None));
                let why = why.map(|reason| Rejection { pointer: "/lead_id".into(), reason });
                result("consents", i, RecordId::Lead, Some(&c.lead_id), &outcome, why.as_ref())
            }
            Err(why) => result("consents", i, RecordId::Lead, body.consents[i]["lead_id"].as_str(), &Outcome::Rejected, Some(why)),
        })
        .collect();
    Ok(view(BatchResult::of(results)))
}

/// `POST /v1/outcomes`: upsert up to 500 opportunities (deals) by `opportunity_id`.
#[utoipa::path(
    post,
    path = "/v1/outcomes",
    tag = "ingest",
    operation_id = "upsertOutcomes",
    request_body(content = OutcomesBody, content_type = "application/json"),
    responses(
        (status = 200, description = "One result per record, in order. Deals do not change scores; they are what the quality figures measure against. A deal naming an erased person's lead is suppressed.", body = BatchResult),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["ingest"]))
)]
pub async fn outcomes(
    State(state): State<AppState>,
    _: Caller<need::Ingest>,
    Strict(body): Strict<OutcomesBody>,
) -> Result<Response, Problem> {
    check_size("outcomes", body.outcomes.len())?;
    let parsed: Vec<_> = body.outcomes.iter().map(records::opportunity).collect();
    // One id twice in a batch: the later record wins, as in a file read top to bottom.
    let good: Vec<_> = parsed.iter().filter_map(|r| r.as_ref().ok().cloned()).collect();
    let mut outcomes = state.service.upsert_deals(good).await?.into_iter();
    let results: Vec<RecordResult> = parsed
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            Ok(o) => result("outcomes", i, RecordId::Opportunity, Some(&o.id), &outcomes.next().unwrap_or(Outcome::Rejected), None),
            Err(why) => {
                result("outcomes", i, RecordId::Opportunity, body.outcomes[i]["opportunity_id"].as_str(), &Outcome::Rejected, Some(why))
            }
        })
        .collect();
    Ok(view(BatchResult::of(results)))
}

/// `GET /v1/outcomes`: every stored opportunity (deal), by id.
#[utoipa::path(
    get,
    path = "/v1/outcomes",
    tag = "read",
    operation_id = "listOutcomes",
    responses(
        (status = 200, description = "Every stored opportunity, by id.", body = OpportunityList),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["read"]))
)]
pub async fn list_outcomes(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    let items = state.service.deals().iter().map(OpportunityView::from).collect();
    Ok(view(OpportunityList { items }))
}
