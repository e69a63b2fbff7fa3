//! An object's first load through a Bulk API 2.0 query job (`bulk_first_load = true`):
//! `POST /jobs/query` with the object's SOQL (no `ORDER BY`, no `LIMIT`, so Salesforce can
//! chunk it), `GET /jobs/query/{id}` until the job is `JobComplete` (waits from
//! [`Plan::set_bulk_poll`], doubling, at most 30 s), then the CSV results page by page
//! (`GET /jobs/query/{id}/results?maxRecords=n[&locator=...]`, the next page named by the
//! `Sforce-Locator` header until it is `null`). Each page is stored like a REST batch; the
//! results are not in time order, so the cursor (the latest `SystemModstamp` read) is stored
//! only when every page is read. A run stopped before then starts a new job next time (the
//! records already stored are unchanged and not sent again). Later runs read by REST from
//! the cursor as always.

use std::collections::BTreeMap;
use std::time::Duration;

use leadrank_crm::salesforce::bulk_soql;
use leadrank_service::Service;
use serde_json::{Value, json};

use super::{Plan, Reading, Row, parse_time, store_rows};
use crate::client::{CrmClient, Purpose, SyncError, percent_encode};
use crate::hubspot::{ReadReport, SyncOptions};
use crate::state::State;

/// Polls of a query job before the run gives up on it (about half an hour at 30 s).
const MAX_POLLS: u32 = 64;
/// The longest wait between two polls.
const MAX_POLL_WAIT: Duration = Duration::from_secs(30);

#[allow(clippy::too_many_arguments)]
pub(super) async fn first_load(
    service: &Service,
    plan: &Plan,
    client: &CrmClient,
    options: &SyncOptions,
    state: &mut State,
    reading: &Reading<'_>,
    seen: &mut BTreeMap<String, BTreeMap<String, String>>,
    report: &mut ReadReport,
) -> Result<(), SyncError> {
    let jobs = format!("{}/jobs/query", plan.api());
    let query = bulk_soql(reading.source.sobject, &reading.fields);
    let created = client
        .post(
            &jobs,
            &json!({"operation": "query", "query": query, "contentType": "CSV", "columnDelimiter": "COMMA", "lineEnding": "LF"}),
            Purpose::Read,
        )
        .await?;
    let id = created
        .body
        .get("id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()))
        .ok_or_else(|| SyncError::Protocol { path: jobs.clone(), detail: "the new query job has no id".into() })?
        .to_string();
    let job = format!("{jobs}/{id}");
    let mut wait = plan.bulk_poll;
    let mut polls = 0u32;
    loop {
        tokio::time::sleep(wait).await;
        let answer = client.get(&job, Purpose::Read).await?;
        let state_of = answer.body.get("state").and_then(Value::as_str).unwrap_or("");
        match state_of {
            "JobComplete" => break,
            "UploadComplete" | "InProgress" => {}
            "Failed" | "Aborted" => {
                let why = answer.body.get("errorMessage").and_then(Value::as_str).unwrap_or("no reason given");
                return Err(SyncError::GaveUp {
                    tries: 1,
                    path: job,
                    last: format!(
                        "the query job of {} {}: {why} (set bulk_first_load = false to read it through REST paging)",
                        reading.source.sobject,
                        state_of.to_lowercase()
                    ),
                });
            }
            other => return Err(SyncError::Protocol { path: job, detail: format!("unexpected job state '{other}'") }),
        }
        polls += 1;
        if polls >= MAX_POLLS {
            return Err(SyncError::GaveUp {
                tries: polls,
                path: job,
                last: format!("the query job of {} is not done; the next run starts a new one", reading.source.sobject),
            });
        }
        wait = (wait * 2).min(MAX_POLL_WAIT);
    }
    let mut latest: Option<i64> = None;
    let mut locator: Option<String> = None;
    loop {
        let mut path = format!("{job}/results?maxRecords={}", plan.salesforce.bulk_max_records);
        if let Some(l) = &locator {
            path.push_str(&format!("&locator={}", percent_encode(l)));
        }
        let answer = client.get_text(&path, Purpose::Read).await?;
        let rows = rows_of_csv(&answer.text, &reading.fields, &format!("{job}/results"))?;
        if let Some(t) = store_rows(service, options, state, reading, rows, seen, report).await? {
            latest = Some(latest.map_or(t, |l| l.max(t)));
        }
        match answer.locator.as_deref().map(str::trim) {
            None | Some("") | Some("null") => break,
            Some(next) => locator = Some(next.to_string()),
        }
    }
    if let Some(t) = latest {
        report.cursor_ms = report.cursor_ms.max(t);
        if !options.dry_run {
            state.save_cursor(service, reading.source.name, report.cursor_ms).await?;
        }
    }
    Ok(())
}

/// The rows of a CSV page of a query job's results: a header of the queried field names
/// (relationship fields as `Campaign.Type`), then a record a line, empty for null.
pub(super) fn rows_of_csv(text: &str, fields: &[String], path: &str) -> Result<Vec<Row>, SyncError> {
    let bad = |d: String| SyncError::Protocol { path: path.into(), detail: d };
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| bad(format!("the CSV header: {e}")))?.clone();
    let positions: Vec<usize> = fields
        .iter()
        .map(|f| {
            header
                .iter()
                .position(|h| h == f)
                .or_else(|| header.iter().position(|h| h.eq_ignore_ascii_case(f)))
                .ok_or_else(|| bad(format!("the results have no column {f}")))
        })
        .collect::<Result<_, _>>()?;
    let (id_at, stamp_at) = (positions[0], positions[1]);
    let mut rows = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| bad(format!("CSV line {}: {e}", line + 2)))?;
        let cell = |i: usize| record.get(i).unwrap_or("").to_string();
        let id = cell(id_at);
        if id.is_empty() {
            return Err(bad(format!("CSV line {}: a record without an Id", line + 2)));
        }
        let stamp_ms =
            parse_time(&cell(stamp_at)).ok_or_else(|| bad(format!("CSV line {}: a record without a SystemModstamp", line + 2)))?;
        rows.push(Row { id, stamp_ms, cells: positions.iter().map(|&i| cell(i)).collect() });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_results_become_rows_in_the_queried_order() {
        let fields: Vec<String> = ["Id", "SystemModstamp", "Campaign.Type", "HasResponded"].iter().map(|s| s.to_string()).collect();
        let text = "\"Id\",\"HasResponded\",\"SystemModstamp\",\"Campaign.Type\"\n\"00v1\",\"true\",\"2026-01-01T00:00:01.000Z\",\"Trade Show\"\n\"00v2\",\"false\",\"2026-01-01T00:00:02.000Z\",\"\"\n";
        let rows = rows_of_csv(text, &fields, "p").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].id, "00v1");
        assert_eq!(rows[0].cells, ["00v1", "2026-01-01T00:00:01.000Z", "Trade Show", "true"]);
        assert_eq!(rows[1].stamp_ms - rows[0].stamp_ms, 1_000);
        assert!(rows_of_csv("", &fields, "p").unwrap().is_empty());
        let e = rows_of_csv("\"Id\",\"SystemModstamp\"\n", &fields, "p").err().unwrap().to_string();
        assert!(e.contains("no column Campaign.Type"), "{e}");
        let e = rows_of_csv("Id,SystemModstamp,Campaign.Type,HasResponded\n00v1,,x,true\n", &fields, "p").err().unwrap().to_string();
        assert!(e.contains("CSV line 2: a record without a SystemModstamp"), "{e}");
    }
}
