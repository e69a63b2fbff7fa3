//! Readers for outcomes (opportunities), stage history and arbitrary labelled tables, and
//! the import adapter for the Maven Analytics CRM pipeline.
//!
//! Same conventions as [`crate::read`]: a bad row becomes a [`RowError`] with file, line,
//! column and reason, and the good rows are kept.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use leadrank_core::Lead;
use leadrank_core::records::{ValueError, non_empty, parse_integer, parse_number, parse_time};
use leadrank_metrics::report::{OppStatus, Opportunity, StageChange};

use crate::read::{InputFormat, Kind, LoadReport, Mapping, ReadError, RowError, check_kind, for_each_mapped_row, for_each_row};

/// Rows read from a file, and the rows rejected.
#[derive(Debug, Default)]
pub struct Loaded<T> {
    pub rows: Vec<T>,
    pub rejected: Vec<RowError>,
    /// What the user should know that is not a rejected row (columns a mapping does not read).
    pub notes: Vec<String>,
}

fn time_secs(raw: &str) -> Result<Option<i64>, ValueError> {
    parse_time(raw).map(|t| t.map(|t| t.as_second()))
}

/// Parses an opportunity status: open, won or lost (any case; "closed won" and "closed_lost"
/// style values are accepted too).
pub fn parse_status(raw: &str) -> Option<OppStatus> {
    let t = raw.trim().to_ascii_lowercase().replace(['_', '-'], " ");
    match t.trim_start_matches("closed ").trim() {
        "won" => Some(OppStatus::Won),
        "lost" => Some(OppStatus::Lost),
        "open" | "engaging" | "prospecting" => Some(OppStatus::Open),
        _ => None,
    }
}

/// Why a record could not become an opportunity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpportunityError {
    /// Every bad or missing field with its reason, in field order.
    Fields(Vec<(String, String)>),
    /// `closed_at` is before `created_at`.
    ClosedBeforeCreated,
}

/// One opportunity from its (field, text) pairs, the same way for a CSV row and an API
/// record: opportunity_id and status required, a lead_id or an account_id, times in the
/// accepted time formats, a non-negative amount. Unknown fields are ignored (the caller
/// decides whether they are errors).
pub fn opportunity_from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Opportunity, OpportunityError> {
    let mut o = Opportunity {
        id: String::new(),
        lead_id: None,
        account_id: None,
        created_at: None,
        closed_at: None,
        status: OppStatus::Open,
        amount: None,
        loss_reason: None,
    };
    let mut status = None;
    let mut problems: Vec<(String, String)> = Vec::new();
    for (name, value) in pairs {
        let mut bad = |msg: String| problems.push((name.to_string(), msg));
        match name {
            "opportunity_id" => o.id = non_empty(value).unwrap_or_default().to_string(),
            "lead_id" => o.lead_id = non_empty(value).map(str::to_string),
            "account_id" => o.account_id = non_empty(value).map(str::to_string),
            "created_at" => time_secs(value).map(|t| o.created_at = t).unwrap_or_else(|e| bad(e.to_string())),
            "closed_at" => time_secs(value).map(|t| o.closed_at = t).unwrap_or_else(|e| bad(e.to_string())),
            "amount" => match parse_number(value) {
                Ok(Some(a)) if a < 0.0 => bad(format!("'{}' must be zero or more", value.trim())),
                Ok(a) => o.amount = a,
                Err(e) => bad(e.to_string()),
            },
            "loss_reason" => o.loss_reason = non_empty(value).map(str::to_string),
            "status" => match non_empty(value).map(|v| (v, parse_status(v))) {
                None => {}
                Some((_, Some(s))) => status = Some(s),
                Some((v, None)) => bad(format!("'{v}' is not open, won or lost")),
            },
            _ => {}
        }
    }
    let has_problem = |problems: &[(String, String)], field: &str| problems.iter().any(|(f, _)| f == field);
    if o.id.is_empty() {
        problems.push(("opportunity_id".into(), "is required".into()));
    }
    if status.is_none() && !has_problem(&problems, "status") {
        problems.push(("status".into(), "is required".into()));
    }
    if o.lead_id.is_none() && o.account_id.is_none() {
        problems.push(("lead_id".into(), "an opportunity needs a lead_id or an account_id".into()));
    }
    let Some(s) = status.filter(|_| problems.is_empty()) else {
        return Err(OpportunityError::Fields(problems));
    };
    o.status = s;
    if let (Some(c), Some(d)) = (o.created_at, o.closed_at)
        && d < c
        && !same_day_close(c, d)
    {
        return Err(OpportunityError::ClosedBeforeCreated);
    }
    Ok(o)
}

/// A close date without a time (midnight UTC, as CRMs give a close *date*) on the day the
/// opportunity was created is that day, not a close before the creation.
fn same_day_close(created: i64, closed: i64) -> bool {
    closed.rem_euclid(86_400) == 0 && created - closed < 86_400
}

/// Reads outcomes: opportunity_id (required, unique), lead_id and/or
/// account_id (one required), created_at, closed_at, status (open | won | lost), amount,
/// loss_reason. Other columns are ignored.
pub fn read_outcomes(path: &Path, format: InputFormat) -> Result<Loaded<Opportunity>, ReadError> {
    read_outcomes_mapped(path, format, None)
}

/// Reads outcomes through `mapping` when there is one (an `[outcomes]` mapping). Notes
/// about the read (columns the mapping does not read) are in `notes`.
pub fn read_outcomes_mapped(path: &Path, format: InputFormat, mapping: Option<&Mapping>) -> Result<Loaded<Opportunity>, ReadError> {
    check_kind(mapping, Kind::Outcomes)?;
    let file = path.display().to_string();
    let mut out = Loaded { rows: Vec::new(), rejected: Vec::new(), notes: Vec::new() };
    let mut seen = HashSet::new();
    let mut report = LoadReport::default();
    let required: &[&'static str] = if format.is_csv() { &["opportunity_id", "status"] } else { &[] };
    for_each_mapped_row(path, format, mapping, required, &mut report, |row, report| {
        let o = match opportunity_from_pairs(row.pairs()) {
            Ok(o) if row.mapped_cleanly() => o,
            Err(OpportunityError::Fields(problems)) => return report.rejected.push(row.problems(&file, problems)),
            Err(OpportunityError::ClosedBeforeCreated) if row.mapped_cleanly() => {
                return report.rejected.push(row.error(&file, Some("closed_at"), "is before created_at".into()));
            }
            // The mapping's own problems name the row's faults.
            Ok(_) | Err(OpportunityError::ClosedBeforeCreated) => return report.rejected.push(row.problems(&file, Vec::new())),
        };
        if !seen.insert(o.id.clone()) {
            return report.rejected.push(row.error(&file, Some("opportunity_id"), format!("'{}' appears twice", o.id)));
        }
        out.rows.push(o);
    })?;
    out.rejected = report.rejected;
    out.notes = report.notes;
    Ok(out)
}

/// Reads a stage history: lead_id and stage required; at, by, reason.
pub fn read_stages(path: &Path, format: InputFormat) -> Result<Loaded<StageChange>, ReadError> {
    read_stages_mapped(path, format, None)
}

/// Reads a stage history through `mapping` when there is one (a `[stages]` mapping).
pub fn read_stages_mapped(path: &Path, format: InputFormat, mapping: Option<&Mapping>) -> Result<Loaded<StageChange>, ReadError> {
    check_kind(mapping, Kind::Stages)?;
    let file = path.display().to_string();
    let mut out = Loaded { rows: Vec::new(), rejected: Vec::new(), notes: Vec::new() };
    let mut report = LoadReport::default();
    let required: &[&'static str] = if format.is_csv() { &["lead_id", "stage"] } else { &[] };
    for_each_mapped_row(path, format, mapping, required, &mut report, |row, report| {
        let mut c = StageChange { lead_id: String::new(), stage: String::new(), at: None, by: None, reason: None };
        let mut problems: Vec<(String, String)> = Vec::new();
        for (name, value) in row.pairs() {
            match name {
                "lead_id" => c.lead_id = non_empty(value).unwrap_or_default().to_string(),
                "stage" => c.stage = non_empty(value).unwrap_or_default().to_ascii_lowercase(),
                "at" => match time_secs(value) {
                    Ok(t) => c.at = t,
                    Err(e) => problems.push((name.to_string(), e.to_string())),
                },
                "by" => c.by = non_empty(value).map(str::to_string),
                "reason" => c.reason = non_empty(value).map(str::to_string),
                _ => {}
            }
        }
        for (field, v) in [("lead_id", &c.lead_id), ("stage", &c.stage)] {
            if v.is_empty() {
                problems.push((field.to_string(), "is required".into()));
            }
        }
        if !problems.is_empty() || !row.mapped_cleanly() {
            return report.rejected.push(row.problems(&file, problems));
        }
        out.rows.push(c);
    })?;
    out.rejected = report.rejected;
    out.notes = report.notes;
    Ok(out)
}

/// A table of text cells with named columns (empty cells are empty strings).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Reads any CSV or JSON Lines table. In JSON Lines, keys seen first on later lines become
/// new columns (empty for the earlier rows).
pub fn read_table(path: &Path, format: InputFormat) -> Result<Loaded<Vec<String>>, ReadError> {
    let t = read_table_with_columns(path, format)?;
    Ok(Loaded { rows: t.0.rows, rejected: t.1, notes: Vec::new() })
}

/// Like [`read_table`], also returning the column names.
pub fn read_table_with_columns(path: &Path, format: InputFormat) -> Result<(Table, Vec<RowError>), ReadError> {
    let mut table = Table::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut report = LoadReport::default();
    for_each_row(path, format, &[], &mut report, |row, _| {
        let mut cells = vec![String::new(); table.columns.len()];
        for (name, value) in row.pairs() {
            let i = *index.entry(name.to_string()).or_insert_with(|| {
                table.columns.push(name.to_string());
                table.columns.len() - 1
            });
            if i >= cells.len() {
                cells.resize(i + 1, String::new());
            }
            cells[i] = value.trim().to_string();
        }
        table.rows.push(cells);
    })?;
    let n = table.columns.len();
    for r in &mut table.rows {
        r.resize(n, String::new());
    }
    Ok((table, report.rejected))
}

/// The Maven Analytics "CRM + Sales Opportunities" pipeline as leadrank inputs.
#[derive(Debug, Default)]
pub struct MavenCrm {
    /// One lead per opportunity (the data set has no leads): lead_id = opportunity_id.
    pub leads: Vec<Lead>,
    pub opportunities: Vec<Opportunity>,
    pub rejected: Vec<RowError>,
}

/// Reads `sales_pipeline.csv`, `accounts.csv`, `products.csv` and `sales_teams.csv` from
/// `dir` (Maven Analytics CRM + Sales Opportunities) and maps them onto leadrank's inputs.
///
/// Mapping: each pipeline row is one opportunity and one lead with the same id.
/// `engage_date` is the opportunity's (and lead's) creation, `close_date` its close;
/// `deal_stage` Won/Lost are won/lost, Engaging/Prospecting open. The amount is
/// `close_value` for won deals and the product's list price otherwise (lost deals carry a
/// close value of 0). The lead gets the account's sector (as industry, `technolgy` read as
/// technology), employees, revenue (millions of USD) and office location (as country), and
/// custom fields `product`, `series`, `sales_agent`, `manager`, `regional_office` and
/// `deal_stage`, so any of them can be a report breakdown. Product `GTXPro` is `GTX Pro`.
pub fn read_maven_crm(dir: &Path) -> Result<MavenCrm, ReadError> {
    let load = |name: &str| read_table_with_columns(&dir.join(name), InputFormat::CSV);
    let (pipeline, mut rejected) = load("sales_pipeline.csv")?;
    let (accounts, r2) = load("accounts.csv")?;
    let (products, r3) = load("products.csv")?;
    let (teams, r4) = load("sales_teams.csv")?;
    rejected.extend(r2.into_iter().chain(r3).chain(r4));
    let col = |t: &Table, name: &'static str, file: &str| -> Result<usize, ReadError> {
        t.columns.iter().position(|c| c == name).ok_or_else(|| ReadError::MissingColumn {
            path: dir.join(file),
            column: name,
            found: t.columns.join(","),
        })
    };
    let keyed = |t: &Table, key: usize| -> HashMap<String, usize> { t.rows.iter().enumerate().map(|(i, r)| (r[key].clone(), i)).collect() };
    let (a_name, a_sector, a_rev, a_emp, a_loc) = (
        col(&accounts, "account", "accounts.csv")?,
        col(&accounts, "sector", "accounts.csv")?,
        col(&accounts, "revenue", "accounts.csv")?,
        col(&accounts, "employees", "accounts.csv")?,
        col(&accounts, "office_location", "accounts.csv")?,
    );
    let (p_name, p_series, p_price) = (
        col(&products, "product", "products.csv")?,
        col(&products, "series", "products.csv")?,
        col(&products, "sales_price", "products.csv")?,
    );
    let (t_agent, t_manager, t_office) = (
        col(&teams, "sales_agent", "sales_teams.csv")?,
        col(&teams, "manager", "sales_teams.csv")?,
        col(&teams, "regional_office", "sales_teams.csv")?,
    );
    let f = "sales_pipeline.csv";
    let (c_id, c_agent, c_product, c_account, c_stage, c_engage, c_close, c_value) = (
        col(&pipeline, "opportunity_id", f)?,
        col(&pipeline, "sales_agent", f)?,
        col(&pipeline, "product", f)?,
        col(&pipeline, "account", f)?,
        col(&pipeline, "deal_stage", f)?,
        col(&pipeline, "engage_date", f)?,
        col(&pipeline, "close_date", f)?,
        col(&pipeline, "close_value", f)?,
    );
    let account_of = keyed(&accounts, a_name);
    let product_of = keyed(&products, p_name);
    let team_of = keyed(&teams, t_agent);
    let file = dir.join(f).display().to_string();
    let mut out = MavenCrm { rejected, ..MavenCrm::default() };
    for (i, r) in pipeline.rows.iter().enumerate() {
        // Line numbers: the header is line 1 (these files have no multi-line cells).
        let line = i as u64 + 2;
        let err = |c: usize, msg: String| RowError::at_column(&file, line, &pipeline.columns, c, msg);
        let Some(status) = parse_status(&r[c_stage]) else {
            out.rejected.push(err(c_stage, format!("'{}' is not Won, Lost, Engaging or Prospecting", r[c_stage])));
            continue;
        };
        let created = match time_secs(&r[c_engage]) {
            Ok(t) => t,
            Err(e) => {
                out.rejected.push(err(c_engage, e.to_string()));
                continue;
            }
        };
        let closed = match time_secs(&r[c_close]) {
            Ok(t) => t,
            Err(e) => {
                out.rejected.push(err(c_close, e.to_string()));
                continue;
            }
        };
        let value = match parse_number(&r[c_value]) {
            Ok(v) => v,
            Err(e) => {
                out.rejected.push(err(c_value, e.to_string()));
                continue;
            }
        };
        let product_name = if r[c_product] == "GTXPro" { "GTX Pro".to_string() } else { r[c_product].clone() };
        let product = product_of.get(&product_name).map(|&p| &products.rows[p]);
        let list_price = product.and_then(|p| parse_number(&p[p_price]).ok().flatten());
        let amount = if status == OppStatus::Won { value } else { list_price };
        let account_id = non_empty(&r[c_account]).map(str::to_string);
        let account = account_id.as_ref().and_then(|a| account_of.get(a)).map(|&k| &accounts.rows[k]);
        let mut lead = Lead {
            lead_id: r[c_id].clone(),
            account_id: account_id.clone().map(Into::into),
            company: account_id.clone().map(Into::into),
            ..Lead::default()
        };
        lead.created_at = created.and_then(|s| jiff::Timestamp::from_second(s).ok());
        if let Some(a) = account {
            lead.industry = non_empty(&a[a_sector]).map(|s| if s == "technolgy" { "technology".into() } else { s.into() });
            lead.employees = parse_integer(&a[a_emp]).ok().flatten();
            lead.annual_revenue = parse_number(&a[a_rev]).ok().flatten().map(|m| m * 1e6);
            lead.country = non_empty(&a[a_loc]).map(Into::into);
        }
        let mut custom = vec![("product".to_string(), product_name.clone())];
        if let Some(p) = product {
            custom.push(("series".into(), p[p_series].clone()));
        }
        custom.push(("sales_agent".into(), r[c_agent].clone()));
        if let Some(t) = team_of.get(&r[c_agent]).map(|&k| &teams.rows[k]) {
            custom.push(("manager".into(), t[t_manager].clone()));
            custom.push(("regional_office".into(), t[t_office].clone()));
        }
        custom.push(("deal_stage".into(), r[c_stage].clone()));
        lead.custom = custom.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        out.opportunities.push(Opportunity {
            id: r[c_id].clone(),
            lead_id: Some(r[c_id].clone()),
            account_id,
            created_at: created,
            closed_at: closed,
            status,
            amount,
            loss_reason: None,
        });
        out.leads.push(lead);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(parse_status("Won"), Some(OppStatus::Won));
        assert_eq!(parse_status("closed_lost"), Some(OppStatus::Lost));
        assert_eq!(parse_status(" OPEN "), Some(OppStatus::Open));
        assert_eq!(parse_status("maybe"), None);
    }

    #[test]
    fn a_close_date_on_the_day_of_creation_is_not_before_it() {
        let opp = |created: &str, closed: &str| {
            opportunity_from_pairs([
                ("opportunity_id", "o1"),
                ("lead_id", "L1"),
                ("status", "won"),
                ("created_at", created),
                ("closed_at", closed),
            ])
        };
        assert!(opp("2026-06-20T15:30:00Z", "2026-06-20").is_ok(), "a date on the same day");
        assert_eq!(opp("2026-06-20T15:30:00Z", "2026-06-19").unwrap_err(), OpportunityError::ClosedBeforeCreated);
        assert_eq!(opp("2026-06-20T15:30:00Z", "2026-06-20T09:00:00Z").unwrap_err(), OpportunityError::ClosedBeforeCreated);
    }

    #[test]
    fn outcomes_report_bad_rows_and_keep_good_ones() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("outcomes.csv");
        std::fs::write(
            &p,
            "opportunity_id,lead_id,account_id,created_at,closed_at,status,amount,loss_reason\n\
             o1,L1,,2026-01-01,2026-02-01,won,1000,\n\
             o2,L2,,2026-01-01,,maybe,10,\n\
             o3,,,2026-01-01,,open,10,\n\
             o1,L3,,2026-01-01,,open,10,\n\
             o4,,A1,2026-01-05,2026-01-02,lost,5,price\n\
             o5,L5,,2026-01-05,2026-01-09,lost,-5,price\n\
             o6,L6,A1,,,open,,\n",
        )
        .unwrap();
        let l = read_outcomes(&p, InputFormat::CSV).unwrap();
        assert_eq!(l.rows.len(), 2);
        assert_eq!(l.rows[0].amount, Some(1000.0));
        assert_eq!(l.rows[0].closed_at.unwrap() - l.rows[0].created_at.unwrap(), 31 * 86_400);
        let msgs: Vec<String> = l.rejected.iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 5, "{msgs:?}");
        assert!(msgs[0].contains(":3:6: status: 'maybe' is not open, won or lost"), "{msgs:?}");
        assert!(msgs[1].contains("needs a lead_id or an account_id"), "{msgs:?}");
        assert!(msgs[2].contains("'o1' appears twice"), "{msgs:?}");
        assert!(msgs[3].contains("closed_at: is before created_at"), "{msgs:?}");
        assert!(msgs[4].contains("amount: '-5' must be zero or more"), "{msgs:?}");
    }

    #[test]
    fn stages_and_tables() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("stages.csv");
        std::fs::write(&p, "lead_id,stage,at,by,reason\nL1,MQL,2026-01-01,,\nL1,disqualified,2026-01-02,rep-1,no_company_fit\n,sql,,,\nL2,sql,yesterday,,\n").unwrap();
        let s = read_stages(&p, InputFormat::CSV).unwrap();
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[0].stage, "mql");
        assert_eq!(s.rejected.len(), 2);
        let t = dir.path().join("t.jsonl");
        std::fs::write(&t, "{\"a\": 1}\n{\"b\": \"x\", \"a\": 2}\n").unwrap();
        let (table, rej) = read_table_with_columns(&t, InputFormat::JsonLines).unwrap();
        assert!(rej.is_empty());
        assert_eq!(table.columns, vec!["a", "b"]);
        assert_eq!(table.rows, vec![vec!["1".to_string(), String::new()], vec!["2".into(), "x".into()]]);
    }
}
