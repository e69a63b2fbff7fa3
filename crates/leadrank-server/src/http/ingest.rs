//! Batch writes: leads, accounts, events and consent records, with one result per record.
//! A 2xx answer means every accepted record is durably committed.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::Strict;
use super::problem::Problem;
use super::records::{self, Rejection};
use super::{AppState, Caller, MAX_BATCH, json, need};
use leadrank_service::service::Outcome;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadsBody {
    leads: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountsBody {
    accounts: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsBody {
    events: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentsBody {
    consents: Vec<Value>,
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

/// One result line.
fn result(name: &str, index: usize, id_field: &str, id: Option<&str>, outcome: &Outcome, why: Option<&Rejection>) -> Value {
    let mut v = json!({ "index": index, "status": outcome });
    if let Some(id) = id {
        v[id_field] = json!(id);
    }
    if let Some(r) = why {
        v["pointer"] = json!(format!("/{name}/{index}{}", r.pointer));
        v["reason"] = json!(r.reason);
    }
    v
}

fn summary(results: &[Value]) -> Value {
    let mut counts = serde_json::Map::new();
    for r in results {
        if let Some(s) = r["status"].as_str() {
            let n = counts.get(s).and_then(Value::as_u64).unwrap_or(0);
            counts.insert(s.to_string(), json!(n + 1));
        }
    }
    Value::Object(counts)
}

/// `POST /v1/leads`: upsert up to 500 leads.
pub async fn leads(State(state): State<AppState>, _: Caller<need::Ingest>, Strict(body): Strict<LeadsBody>) -> Result<Response, Problem> {
    check_size("leads", body.leads.len())?;
    let parsed: Vec<Result<leadrank_core::Lead, Rejection>> = body.leads.iter().map(records::lead).collect();
    let good: Vec<leadrank_core::Lead> = parsed.iter().filter_map(|r| r.as_ref().ok().cloned()).collect();
    let mut outcomes = state.service.upsert_leads(good).await?.into_iter();
    let results: Vec<Value> = parsed
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            Ok(lead) => {
                let outcome = outcomes.next().unwrap_or(Outcome::Rejected);
                result("leads", i, "lead_id", Some(&lead.lead_id), &outcome, None)
            }
            Err(why) => result("leads", i, "lead_id", body.leads[i]["lead_id"].as_str(), &Outcome::Rejected, Some(why)),
        })
        .collect();
    Ok(json(json!({ "summary": summary(&results), "results": results })))
}

/// `POST /v1/accounts`: upsert up to 500 accounts.
pub async fn accounts(
    State(state): State<AppState>,
    _: Caller<need::Ingest>,
    Strict(body): Strict<AccountsBody>,
) -> Result<Response, Problem> {
    check_size("accounts", body.accounts.len())?;
    let parsed: Vec<_> = body.accounts.iter().map(records::account).collect();
    let good: Vec<leadrank_core::Account> = parsed.iter().filter_map(|r| r.as_ref().ok().cloned()).collect();
    let mut outcomes = state.service.upsert_accounts(good).await?.into_iter();
    let results: Vec<Value> = parsed
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            Ok(a) => result("accounts", i, "account_id", Some(&a.account_id), &outcomes.next().unwrap_or(Outcome::Rejected), None),
            Err(why) => result("accounts", i, "account_id", body.accounts[i]["account_id"].as_str(), &Outcome::Rejected, Some(why)),
        })
        .collect();
    Ok(json(json!({ "summary": summary(&results), "results": results })))
}

/// `POST /v1/events`: ingest up to 500 events; the event id is the idempotency key.
pub async fn events(State(state): State<AppState>, _: Caller<need::Ingest>, Strict(body): Strict<EventsBody>) -> Result<Response, Problem> {
    check_size("events", body.events.len())?;
    let parsed: Vec<_> = body.events.iter().map(records::event).collect();
    let good: Vec<leadrank_core::Event> = parsed.iter().filter_map(|r| r.as_ref().ok().cloned()).collect();
    let mut outcomes = state.service.ingest_events(good).await?.into_iter();
    let results: Vec<Value> = parsed
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            Ok(e) => {
                let (outcome, why) = outcomes.next().unwrap_or((Outcome::Rejected, None));
                let why = why.map(|reason| Rejection { pointer: "/lead_id".into(), reason });
                result("events", i, "event_id", Some(&e.event_id), &outcome, why.as_ref())
            }
            Err(why) => result("events", i, "event_id", body.events[i]["event_id"].as_str(), &Outcome::Rejected, Some(why)),
        })
        .collect();
    Ok(json(json!({ "summary": summary(&results), "results": results })))
}

/// `POST /v1/consents`: append consent records (purpose, status, source, time).
pub async fn consents(
    State(state): State<AppState>,
    _: Caller<need::Ingest>,
    Strict(body): Strict<ConsentsBody>,
) -> Result<Response, Problem> {
    check_size("consents", body.consents.len())?;
    let parsed: Vec<_> = body.consents.iter().map(records::consent).collect();
    let good: Vec<leadrank_core::records::ConsentRecord> = parsed.iter().filter_map(|r| r.as_ref().ok().cloned()).collect();
    let mut outcomes = state.service.add_consents(good).await?.into_iter();
    let results: Vec<Value> = parsed
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            Ok(c) => {
                let (outcome, why) = outcomes.next().unwrap_or((Outcome::Rejected, None));
                let why = why.map(|reason| Rejection { pointer: "/lead_id".into(), reason });
                result("consents", i, "lead_id", Some(&c.lead_id), &outcome, why.as_ref())
            }
            Err(why) => result("consents", i, "lead_id", body.consents[i]["lead_id"].as_str(), &Outcome::Rejected, Some(why)),
        })
        .collect();
    Ok(json(json!({ "summary": summary(&results), "results": results })))
}
