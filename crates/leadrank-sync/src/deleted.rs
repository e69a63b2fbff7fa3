//! Deals deleted in the CRM, removed from leadrank's outcomes.
//!
//! * HubSpot: `GET /crm/v3/objects/deals?archived=true` (100 a page through `after`): every
//!   archived (deleted) deal, of which those archived at or after the stored cursor
//!   (`archivedAt`) are removed. The list is read whole each run (HubSpot has no filter on
//!   it), and the cursor moves once it was.
//! * Salesforce: [`crate::salesforce`] asks `queryAll` for the opportunities with
//!   `IsDeleted = true` changed since its cursor and removes them through [`remove`].
//!
//! Removing is idempotent (an id leadrank does not hold is passed over), so a run that stops
//! part way reads the same deletions again without harm.

use leadrank_service::Service;
use serde_json::Value;

use crate::client::{HubSpotClient, Purpose, SyncError, percent_encode};
use crate::hubspot::{ReadReport, SyncOptions};
use crate::state::State;

/// Deals per page of the archived list (the list endpoint's most).
pub const ARCHIVED_PAGE: usize = 100;

/// Removes the deals of `ids` leadrank holds (a dry run counts them), counting them in
/// `r.deleted`.
pub(crate) async fn remove(service: &Service, ids: Vec<String>, dry: bool, r: &mut ReadReport) -> Result<(), SyncError> {
    if ids.is_empty() {
        return Ok(());
    }
    if dry {
        r.deleted += ids.iter().filter(|id| service.deal(id).is_some()).count() as u64;
    } else {
        r.deleted += service.delete_deals(ids).await?.len() as u64;
    }
    Ok(())
}

fn parse_ms(v: &str) -> Option<i64> {
    v.parse::<i64>().ok().or_else(|| v.parse::<jiff::Timestamp>().ok().map(|t| t.as_millisecond()))
}

/// Reads HubSpot's archived deals and removes those archived since the cursor.
pub(crate) async fn hubspot_deals(
    service: &Service,
    client: &HubSpotClient,
    options: &SyncOptions,
    state: &State,
) -> Result<ReadReport, SyncError> {
    let key = "deals.archived";
    let since = state.cursor(service, key).await?;
    let mut r = ReadReport { object: "deleted deals".into(), cursor_ms: since, ..ReadReport::default() };
    let base = "/crm/v3/objects/deals";
    let mut newest = since;
    let mut after: Option<String> = None;
    loop {
        let mut path = format!("{base}?archived=true&limit={ARCHIVED_PAGE}");
        if let Some(a) = &after {
            path.push_str(&format!("&after={}", percent_encode(a)));
        }
        let answer = client.get(&path, Purpose::Read).await?;
        let bad = |d: &str| SyncError::Protocol { path: base.into(), detail: d.into() };
        let results = answer.body.get("results").and_then(Value::as_array).ok_or_else(|| bad("no results array"))?;
        let mut ids = Vec::new();
        for d in results {
            let id = d.get("id").and_then(Value::as_str).ok_or_else(|| bad("a deal without an id"))?;
            let at =
                d.get("archivedAt").and_then(Value::as_str).and_then(parse_ms).ok_or_else(|| bad("an archived deal without archivedAt"))?;
            if at < since {
                continue;
            }
            r.read += 1;
            newest = newest.max(at);
            ids.push(id.to_string());
        }
        remove(service, ids, options.dry_run, &mut r).await?;
        after = answer.body.pointer("/paging/next/after").and_then(Value::as_str).map(str::to_string);
        if after.is_none() || results.is_empty() {
            break;
        }
    }
    if !options.dry_run {
        state.save_cursor(service, key, newest).await?;
    }
    r.cursor_ms = newest;
    Ok(r)
}
