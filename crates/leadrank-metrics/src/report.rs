//! The lead-quality report: funnel and revenue metrics, stage conversion, rejections, speed to
//! lead, score quality, published benchmarks and the symptoms of poor lead quality.
//!
//! Attribution: every opportunity belongs to at most one lead, so deals are counted as deals
//! and the groups of a breakdown add up to the whole. An opportunity that names a known lead
//! belongs to that lead. One that names only an account belongs to the account's
//! earliest-created lead (first touch; leads without `created_at` come last, ties go to the
//! smallest `lead_id`), with its whole amount. Opportunity-level figures of the whole report
//! (win rate, cycle, pipeline, velocity) count every opportunity, attributed or not.
//!
//! A figure whose inputs are absent is `None` (rendered "n/a"), never 0: pipeline and revenue
//! without any amount, speed to lead without any sales touch, bounces without event data.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::classify::{DecileRow, decile_table, roc_auc};
use crate::stats::{mean, median, ratio};

/// Seconds in a day.
const DAY: f64 = 86_400.0;

/// A group of a breakdown with fewer leads than this is too small to judge its rates.
pub const MIN_GROUP_LEADS: usize = 30;
/// A win rate over fewer closed deals than this is too small to judge.
pub const MIN_CLOSED_DEALS: usize = 10;

/// The state of an opportunity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OppStatus {
    Open,
    Won,
    Lost,
}

/// One opportunity (an outcome). Times are Unix seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opportunity {
    pub id: String,
    pub lead_id: Option<String>,
    pub account_id: Option<String>,
    pub created_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub status: OppStatus,
    pub amount: Option<f64>,
    pub loss_reason: Option<String>,
}

/// One stage change: the lead entered `stage` at `at`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageChange {
    pub lead_id: String,
    pub stage: String,
    pub at: Option<i64>,
    pub by: Option<String>,
    pub reason: Option<String>,
}

/// What the report needs to know about one lead.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LeadObs {
    pub lead_id: String,
    pub account_id: Option<String>,
    /// The lead's group for the breakdown (`--by`), e.g. its source or score decile.
    pub group: Option<String>,
    pub created_at: Option<i64>,
    /// The model's total, when the leads were scored.
    pub score: Option<f64>,
    pub quality: Option<bool>,
    /// Seconds from creation to the first sales touch at or after it.
    pub first_touch_secs: Option<i64>,
    pub has_email: bool,
    pub email_invalid: bool,
    /// Whether an email bounced; `None` when no event data was read (bounces unknown).
    pub email_bounced: Option<bool>,
}

/// Pipeline velocity and its inputs: open opportunities x win rate x average won amount /
/// average sales cycle in days, the revenue per day the open pipeline is expected to bring.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Velocity {
    pub open_opportunities: usize,
    /// won / (won + lost).
    pub win_rate: f64,
    pub avg_won_amount: f64,
    /// Mean days from creation to close of closed (won or lost) opportunities.
    pub cycle_days: f64,
    pub per_day: f64,
}

/// Funnel and revenue figures for a set of leads and their opportunities.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Metrics {
    pub leads: usize,
    pub quality_leads: Option<usize>,
    /// Quality lead rate.
    pub qlr: Option<f64>,
    pub leads_with_opportunity: usize,
    /// Lead-to-opportunity rate.
    pub l2o: Option<f64>,
    /// Leads with at least one won deal attributed to them.
    pub leads_won: usize,
    /// Lead-to-deal rate: leads_won / leads.
    pub lead_to_deal: Option<f64>,
    /// Opportunities (deals), each counted once.
    pub opportunities: usize,
    pub open: usize,
    pub won: usize,
    pub lost: usize,
    /// Win rate of closed deals: won / (won + lost).
    pub win_rate: Option<f64>,
    /// Sum of opportunity amounts; `None` when no opportunity of the data has an amount.
    pub pipeline: Option<f64>,
    pub won_amount: Option<f64>,
    /// Pipeline per lead.
    pub ppl: Option<f64>,
    /// Revenue per lead.
    pub rpl: Option<f64>,
    /// Mean amount of won deals that have an amount.
    pub avg_won_amount: Option<f64>,
    /// Days from creation to close of closed opportunities.
    pub cycle_median_days: Option<f64>,
    pub cycle_mean_days: Option<f64>,
    /// Pipeline velocity per day (see [`Velocity`]).
    pub velocity_per_day: Option<f64>,
    pub velocity: Option<Velocity>,
}

/// One row of the breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRow {
    pub group: String,
    #[serde(flatten)]
    pub metrics: Metrics,
}

impl GroupRow {
    /// Whether the group has too few leads to judge its rates.
    pub fn too_few_leads(&self) -> bool {
        self.metrics.leads < MIN_GROUP_LEADS
    }

    /// Whether its win rate rests on too few closed deals to judge.
    pub fn too_few_closed(&self) -> bool {
        self.metrics.won + self.metrics.lost < MIN_CLOSED_DEALS
    }
}

/// Stage-to-stage conversion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageConversion {
    /// "stages" when read from a stage history; "derived" when MQL = quality lead and
    /// SQL = has an opportunity.
    pub basis: &'static str,
    pub inquiries: usize,
    pub mql: Option<usize>,
    pub sql: usize,
    pub won: usize,
    /// SQLs whose deals are all still open (counted as not won in `sql_to_won`).
    pub sql_open: usize,
    pub inquiry_to_mql: Option<f64>,
    pub mql_to_sql: Option<f64>,
    /// SQL leads that won / SQL leads, open deals included (a lead-level rate, unlike the
    /// closed-deal win rate).
    pub sql_to_won: Option<f64>,
    pub rejected: usize,
    /// Rejected leads / leads handed to sales (MQL or later).
    pub rejection_rate: Option<f64>,
    pub rejections_by_reason: BTreeMap<String, usize>,
}

/// Speed to lead for quality leads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpeedToLead {
    pub quality_leads: usize,
    pub touched: usize,
    pub median_minutes: Option<f64>,
    pub within_5_minutes: Option<f64>,
}

/// Data integrity figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataQuality {
    pub leads_with_email: usize,
    pub bounce_rate: Option<f64>,
    pub invalid_email_rate: Option<f64>,
}

/// How well the score separates won from the rest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreQuality {
    pub auc_won: Option<f64>,
    pub auc_opportunity: Option<f64>,
    /// Conversion to won and won revenue by score decile.
    pub deciles: Vec<DecileRow>,
}

/// Where a figure stands against a published benchmark of the same definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchmarkCheck {
    pub metric: &'static str,
    /// How the figure is computed, so that it is compared only with a benchmark of the same
    /// definition.
    pub definition: &'static str,
    pub value: Option<f64>,
    pub benchmark: &'static str,
    /// "below", "within", "above" or "n/a".
    pub status: &'static str,
}

/// A symptom of poor lead quality, with likely causes and what to do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Symptom {
    pub symptom: String,
    pub evidence: String,
    pub likely_causes: &'static str,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub overall: Metrics,
    /// Opportunities that name no known lead nor a known lead's account.
    pub unattributed_opportunities: usize,
    /// Opportunities that name only an account, attributed to its earliest-created lead.
    pub account_attributed_opportunities: usize,
    /// The currency of the amounts, when known (e.g. "USD").
    pub currency: Option<String>,
    pub by: Option<String>,
    pub groups: Vec<GroupRow>,
    pub stages: StageConversion,
    pub lost_by_reason: BTreeMap<String, usize>,
    /// `None` when the leads were not scored or no lead has a sales touch.
    pub speed_to_lead: Option<SpeedToLead>,
    pub data_quality: DataQuality,
    pub score_quality: Option<ScoreQuality>,
    pub benchmarks: Vec<BenchmarkCheck>,
    pub symptoms: Vec<Symptom>,
}

/// Per opportunity, the index in `leads` of the lead it belongs to (see the module
/// documentation), `None` when it names neither a known lead nor an account with leads.
pub fn owners(leads: &[LeadObs], opps: &[Opportunity]) -> Vec<Option<usize>> {
    let lead_index: HashMap<&str, usize> = leads.iter().enumerate().map(|(i, l)| (l.lead_id.as_str(), i)).collect();
    attribute(leads, opps, &lead_index).0
}

/// Per opportunity, the lead it belongs to (see the module documentation), and how many
/// were attributed through their account only.
fn attribute(leads: &[LeadObs], opps: &[Opportunity], lead_index: &HashMap<&str, usize>) -> (Vec<Option<usize>>, usize) {
    // Per account, its earliest-created lead (unknown creation last, then the smallest id,
    // so that the input order never shows).
    let mut first_of_account: HashMap<&str, usize> = HashMap::new();
    for (i, l) in leads.iter().enumerate() {
        if let Some(a) = &l.account_id {
            let key = |k: usize| (leads[k].created_at.unwrap_or(i64::MAX), leads[k].lead_id.as_str());
            first_of_account
                .entry(a.as_str())
                .and_modify(|f| {
                    if key(i) < key(*f) {
                        *f = i
                    }
                })
                .or_insert(i);
        }
    }
    let mut by_account = 0;
    let owners = opps
        .iter()
        .map(|opp| match opp.lead_id.as_deref().and_then(|l| lead_index.get(l)) {
            Some(&i) => Some(i),
            None => {
                let owner = opp.account_id.as_deref().and_then(|a| first_of_account.get(a)).copied();
                by_account += usize::from(owner.is_some());
                owner
            }
        })
        .collect();
    (owners, by_account)
}

/// Computes the report. `by` names the breakdown the leads' `group` fields hold.
pub fn compute(leads: &[LeadObs], opps: &[Opportunity], stages: Option<&[StageChange]>, by: Option<&str>) -> Report {
    let lead_index: HashMap<&str, usize> = leads.iter().enumerate().map(|(i, l)| (l.lead_id.as_str(), i)).collect();
    let (owner, account_attributed) = attribute(leads, opps, &lead_index);
    let mut attributed: Vec<Vec<usize>> = vec![Vec::new(); leads.len()];
    for (o, owner) in owner.iter().enumerate() {
        if let Some(i) = owner {
            attributed[*i].push(o);
        }
    }
    let unattributed = owner.iter().filter(|o| o.is_none()).count();
    let amounts_known = opps.iter().any(|o| o.amount.is_some());
    let all: Vec<usize> = (0..leads.len()).collect();
    let all_opps: Vec<usize> = (0..opps.len()).collect();
    let overall = metrics(leads, &all, opps, &attributed, Some(&all_opps), amounts_known);

    let mut groups = Vec::new();
    if by.is_some() {
        let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, l) in leads.iter().enumerate() {
            members.entry(l.group.clone().unwrap_or_else(|| "(none)".into())).or_default().push(i);
        }
        for (g, idx) in members {
            groups.push(GroupRow { group: g, metrics: metrics(leads, &idx, opps, &attributed, None, amounts_known) });
        }
    }

    let has_won = |i: usize| attributed[i].iter().any(|&o| opps[o].status == OppStatus::Won);
    let stages_conv = stage_conversion(leads, stages, &attributed, opps, &lead_index);
    let mut lost_by_reason = BTreeMap::new();
    for o in opps.iter().filter(|o| o.status == OppStatus::Lost) {
        *lost_by_reason.entry(o.loss_reason.clone().unwrap_or_else(|| "(none)".into())).or_insert(0) += 1;
    }

    let scored = leads.iter().any(|l| l.quality.is_some());
    let touch_data = leads.iter().any(|l| l.first_touch_secs.is_some());
    let speed_to_lead = (scored && touch_data).then(|| {
        let q: Vec<&LeadObs> = leads.iter().filter(|l| l.quality == Some(true)).collect();
        let mins: Vec<f64> = q.iter().filter_map(|l| l.first_touch_secs).map(|s| s as f64 / 60.0).collect();
        SpeedToLead {
            quality_leads: q.len(),
            touched: mins.len(),
            median_minutes: median(&mins),
            within_5_minutes: ratio(mins.iter().filter(|&&m| m <= 5.0).count() as f64, q.len() as f64),
        }
    });
    let with_email = leads.iter().filter(|l| l.has_email).count();
    let bounce_known = leads.iter().any(|l| l.email_bounced.is_some());
    let data_quality = DataQuality {
        leads_with_email: with_email,
        bounce_rate: if bounce_known {
            ratio(leads.iter().filter(|l| l.email_bounced == Some(true)).count() as f64, with_email as f64)
        } else {
            None
        },
        invalid_email_rate: ratio(leads.iter().filter(|l| l.email_invalid).count() as f64, with_email as f64),
    };

    let score_quality = leads.iter().any(|l| l.score.is_some()).then(|| {
        let idx: Vec<usize> = (0..leads.len()).filter(|&i| leads[i].score.is_some()).collect();
        let scores: Vec<f64> = idx.iter().map(|&i| leads[i].score.unwrap_or(0.0)).collect();
        let won: Vec<bool> = idx.iter().map(|&i| has_won(i)).collect();
        let opp: Vec<bool> = idx.iter().map(|&i| !attributed[i].is_empty()).collect();
        let revenue: Vec<f64> = idx
            .iter()
            .map(|&i| attributed[i].iter().filter(|&&o| opps[o].status == OppStatus::Won).map(|&o| opps[o].amount.unwrap_or(0.0)).sum())
            .collect();
        ScoreQuality {
            auc_won: roc_auc(&scores, &won),
            auc_opportunity: roc_auc(&scores, &opp),
            deciles: decile_table(&scores, &won, &revenue),
        }
    });

    let mut report = Report {
        overall,
        unattributed_opportunities: unattributed,
        account_attributed_opportunities: account_attributed,
        currency: None,
        by: by.map(str::to_string),
        groups,
        stages: stages_conv,
        lost_by_reason,
        speed_to_lead,
        data_quality,
        score_quality,
        benchmarks: Vec::new(),
        symptoms: Vec::new(),
    };
    report.benchmarks = benchmarks(&report);
    report.symptoms = symptoms(&report);
    report
}

/// Metrics of the leads `idx`; `opp_idx` overrides which opportunities count for the
/// opportunity-level figures (default: those attributed to the leads). `amounts_known`: some
/// opportunity of the data has an amount (else amounts are `None`, not 0).
fn metrics(
    leads: &[LeadObs],
    idx: &[usize],
    opps: &[Opportunity],
    attributed: &[Vec<usize>],
    opp_idx: Option<&Vec<usize>>,
    amounts_known: bool,
) -> Metrics {
    let n = idx.len();
    let scored = idx.iter().any(|&i| leads[i].quality.is_some());
    let quality = scored.then(|| idx.iter().filter(|&&i| leads[i].quality == Some(true)).count());
    let with_opp = idx.iter().filter(|&&i| !attributed[i].is_empty()).count();
    let won_leads = idx.iter().filter(|&&i| attributed[i].iter().any(|&o| opps[o].status == OppStatus::Won)).count();
    let owned: Vec<usize> = match opp_idx {
        Some(all) => all.clone(),
        None => idx.iter().flat_map(|&i| attributed[i].iter().copied()).collect(),
    };
    let (mut open, mut won, mut lost, mut pipeline, mut won_amount) = (0, 0, 0, 0.0, 0.0);
    let mut won_amounts = Vec::new();
    let mut cycles = Vec::new();
    for &o in &owned {
        let opp = &opps[o];
        pipeline += opp.amount.unwrap_or(0.0);
        match opp.status {
            OppStatus::Open => open += 1,
            OppStatus::Won => {
                won += 1;
                if let Some(a) = opp.amount {
                    won_amount += a;
                    won_amounts.push(a);
                }
            }
            OppStatus::Lost => lost += 1,
        }
        if opp.status != OppStatus::Open
            && let (Some(c), Some(d)) = (opp.created_at, opp.closed_at)
        {
            cycles.push((d - c) as f64 / DAY);
        }
    }
    let win_rate = ratio(won as f64, (won + lost) as f64);
    let avg_won = mean(&won_amounts);
    let cycle_mean = mean(&cycles);
    let velocity = match (win_rate, avg_won, cycle_mean) {
        (Some(w), Some(a), Some(c)) if c > 0.0 => {
            Some(Velocity { open_opportunities: open, win_rate: w, avg_won_amount: a, cycle_days: c, per_day: open as f64 * w * a / c })
        }
        _ => None,
    };
    let leads_f = n as f64;
    let pipeline = amounts_known.then_some(pipeline);
    let won_amount = amounts_known.then_some(won_amount);
    Metrics {
        leads: n,
        quality_leads: quality,
        qlr: quality.and_then(|q| ratio(q as f64, leads_f)),
        leads_with_opportunity: with_opp,
        l2o: ratio(with_opp as f64, leads_f),
        leads_won: won_leads,
        lead_to_deal: ratio(won_leads as f64, leads_f),
        opportunities: owned.len(),
        open,
        won,
        lost,
        win_rate,
        pipeline,
        won_amount,
        ppl: pipeline.and_then(|p| ratio(p, leads_f)),
        rpl: won_amount.and_then(|w| ratio(w, leads_f)),
        avg_won_amount: avg_won,
        cycle_median_days: median(&cycles),
        cycle_mean_days: cycle_mean,
        velocity_per_day: velocity.as_ref().map(|v| v.per_day),
        velocity,
    }
}

/// Stage codes that count as handed to sales (MQL or later), as SQL or later, and as a
/// rejection. A move to `nurture` with a reason is a rejection too (sales sent the lead back
/// with a reason code; `leadrank serve` exports its rejections so).
const MQL_OR_LATER: &[&str] = &["mql", "pql", "sal", "sql", "opportunity", "won", "lost", "disqualified", "recycled"];
const SQL_OR_LATER: &[&str] = &["sql", "opportunity", "won", "lost"];
const REJECTED: &[&str] = &["disqualified", "rejected"];

fn stage_conversion(
    leads: &[LeadObs],
    stages: Option<&[StageChange]>,
    attributed: &[Vec<usize>],
    opps: &[Opportunity],
    lead_index: &HashMap<&str, usize>,
) -> StageConversion {
    let n = leads.len();
    let won_lead = |i: usize| attributed[i].iter().any(|&o| opps[o].status == OppStatus::Won);
    // A lead with deals, none won, at least one still open: its outcome is not known yet.
    let open_only = |i: usize| !won_lead(i) && attributed[i].iter().any(|&o| opps[o].status == OppStatus::Open);
    match stages {
        Some(changes) => {
            let mut reached: Vec<Vec<&str>> = vec![Vec::new(); n];
            let mut reasons: Vec<Option<&str>> = vec![None; n];
            for c in changes {
                if let Some(&i) = lead_index.get(c.lead_id.as_str()) {
                    reached[i].push(c.stage.as_str());
                    let sent_back = c.stage.eq_ignore_ascii_case("nurture") && c.reason.is_some();
                    if sent_back || REJECTED.iter().any(|r| c.stage.eq_ignore_ascii_case(r)) {
                        reasons[i] = Some(c.reason.as_deref().unwrap_or("other"));
                    }
                }
            }
            let has = |i: usize, set: &[&str]| reached[i].iter().any(|s| set.iter().any(|x| s.eq_ignore_ascii_case(x)));
            let mql = (0..n).filter(|&i| has(i, MQL_OR_LATER)).count();
            let sql = (0..n).filter(|&i| has(i, SQL_OR_LATER) || !attributed[i].is_empty()).count();
            let won = (0..n).filter(|&i| has(i, &["won"]) || won_lead(i)).count();
            let sql_open = (0..n).filter(|&i| !has(i, &["won", "lost"]) && open_only(i)).count();
            let mut by_reason = BTreeMap::new();
            for r in reasons.iter().flatten() {
                *by_reason.entry((*r).to_string()).or_insert(0) += 1;
            }
            let rejected = reasons.iter().flatten().count();
            StageConversion {
                basis: "stages",
                inquiries: n,
                mql: Some(mql),
                sql,
                won,
                sql_open,
                inquiry_to_mql: ratio(mql as f64, n as f64),
                mql_to_sql: ratio(sql as f64, mql as f64),
                sql_to_won: ratio(won as f64, sql as f64),
                rejected,
                rejection_rate: ratio(rejected as f64, mql as f64),
                rejections_by_reason: by_reason,
            }
        }
        None => {
            let scored = leads.iter().any(|l| l.quality.is_some());
            let mql = scored.then(|| leads.iter().filter(|l| l.quality == Some(true)).count());
            let sql_of_mql = (0..n).filter(|&i| leads[i].quality == Some(true) && !attributed[i].is_empty()).count();
            let sql = (0..n).filter(|&i| !attributed[i].is_empty()).count();
            let won = (0..n).filter(|&i| won_lead(i)).count();
            let sql_open = (0..n).filter(|&i| open_only(i)).count();
            StageConversion {
                basis: "derived",
                inquiries: n,
                mql,
                sql,
                won,
                sql_open,
                inquiry_to_mql: mql.and_then(|m| ratio(m as f64, n as f64)),
                mql_to_sql: mql.and_then(|m| ratio(sql_of_mql as f64, m as f64)),
                sql_to_won: ratio(won as f64, sql as f64),
                rejected: 0,
                rejection_rate: None,
                rejections_by_reason: BTreeMap::new(),
            }
        }
    }
}

fn check(metric: &'static str, definition: &'static str, value: Option<f64>, lo: f64, hi: f64, benchmark: &'static str) -> BenchmarkCheck {
    let status = match value {
        None => "n/a",
        Some(v) if v < lo => "below",
        Some(v) if v > hi => "above",
        Some(_) => "within",
    };
    BenchmarkCheck { metric, definition, value, benchmark, status }
}

/// The figures against published benchmarks, each only against a benchmark of the same
/// definition. The closed-deal win rate has none (the published "SQL-to-win" is a lead-level
/// rate, compared with `sql_to_won`); the referral rate is shown only in a breakdown by source.
pub fn benchmarks(r: &Report) -> Vec<BenchmarkCheck> {
    let mut out =
        vec![check("lead_to_deal", "leads with a won deal / leads", r.overall.lead_to_deal, 0.01, 0.05, "1-5% (average B2B lead-to-deal)")];
    if r.by.as_deref() == Some("source") {
        let referral = r.groups.iter().find(|g| g.group.eq_ignore_ascii_case("referral")).and_then(|g| g.metrics.lead_to_deal);
        out.push(check(
            "referral_lead_to_deal",
            "referral leads with a won deal / referral leads",
            referral,
            0.0,
            0.14,
            "up to 14% for referral leads",
        ));
    }
    let (mql_def, sql_def) = if r.stages.basis == "stages" {
        ("leads that reached sql / leads that reached mql", "SQL leads that won / SQL leads (open deals count as not won)")
    } else {
        (
            "quality leads with an opportunity / quality leads",
            "leads with a won deal / leads with an opportunity (open deals count as not won)",
        )
    };
    out.extend([
        check("mql_to_sql", mql_def, r.stages.mql_to_sql, 0.20, 0.40, "20-40% (inbound B2B SaaS MQL-to-SQL)"),
        check("sql_to_won", sql_def, r.stages.sql_to_won, 0.15, 0.30, "15-30% SQL-to-win (ICP with strong intent)"),
        check("rejection_rate", "rejected leads / leads handed to sales", r.stages.rejection_rate, 0.0, 0.15, "under 15%"),
        check("quality_lead_rate", "quality leads / leads", r.overall.qlr, 0.20, 1.0, "20% or more (under 20%: targeting needs work)"),
        check(
            "bounce_rate",
            "leads with a bounced email / leads with an email",
            r.data_quality.bounce_rate,
            0.0,
            0.05,
            "contact data decays 20-30% a year; keep bounces under 5%",
        ),
    ]);
    out
}

/// Rejection reasons that mean the lead never fitted (a targeting problem).
const FIT_REASONS: &[&str] = &["no_company_fit", "no_role_fit", "weak_use_case", "bad_data", "student_or_job_seeker", "spam", "competitor"];

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// The symptoms of poor lead quality found in the report, with their likely causes.
pub fn symptoms(r: &Report) -> Vec<Symptom> {
    let mut out = Vec::new();
    if let Some(rate) = r.stages.rejection_rate.filter(|&v| v > 0.15) {
        let fit: usize = r.stages.rejections_by_reason.iter().filter(|(k, _)| FIT_REASONS.contains(&k.as_str())).map(|(_, v)| v).sum();
        if fit * 2 >= r.stages.rejected {
            out.push(Symptom {
                symptom: "High rejection for no fit".into(),
                evidence: format!("{} of handed-over leads rejected, {} of them for fit or bad data", pct(rate), pct(fit as f64 / r.stages.rejected.max(1) as f64)),
                likely_causes: "Targeting: the ICP is too loose or ads reach poor-fit segments. Tighten the ICP, exclude poor-fit audiences, add negative scoring, align the sales acceptance rubric.",
            });
        } else {
            out.push(Symptom {
                symptom: "High rejection rate".into(),
                evidence: format!("{} of handed-over leads rejected", pct(rate)),
                likely_causes: "Marketing and sales define a quality lead differently. Review rejection reasons weekly and adjust the model.",
            });
        }
    }
    let low_conv = r.overall.lead_to_deal.is_some_and(|v| v < 0.01) || r.overall.win_rate.is_some_and(|v| v < 0.15);
    let long_cycle = r.overall.cycle_median_days.is_some_and(|d| d >= 90.0);
    if low_conv && long_cycle {
        out.push(Symptom {
            symptom: "Low conversion with long cycles".into(),
            evidence: format!(
                "lead-to-deal {}, win rate of closed deals {}, median cycle {:.0} days",
                r.overall.lead_to_deal.map_or("n/a".into(), pct),
                r.overall.win_rate.map_or("n/a".into(), pct),
                r.overall.cycle_median_days.unwrap_or(0.0)
            ),
            likely_causes: "Leads are not in market: the score rewards interest (downloads, clicks) over intent (pricing, demo, trial), or timing and budget are not qualified. Weight first-party intent, qualify timeline and budget early.",
        });
    } else if low_conv {
        out.push(Symptom {
            symptom: "Low conversion".into(),
            evidence: format!(
                "lead-to-deal {}, win rate of closed deals {}",
                r.overall.lead_to_deal.map_or("n/a".into(), pct),
                r.overall.win_rate.map_or("n/a".into(), pct)
            ),
            likely_causes: "Volume over quality: optimise for revenue per lead, not form fills; calibrate the model on win data.",
        });
    }
    let bounce = r.data_quality.bounce_rate.unwrap_or(0.0);
    let invalid = r.data_quality.invalid_email_rate.unwrap_or(0.0);
    if bounce > 0.05 || invalid > 0.05 {
        out.push(Symptom {
            symptom: "High bounce or invalid rates".into(),
            evidence: format!(
                "{} of leads with an email bounced, {} have an invalid address",
                r.data_quality.bounce_rate.map_or("n/a (no event data)".into(), pct),
                pct(invalid)
            ),
            likely_causes: "Data decay (20-30% a year) and weak capture: verify emails and phones at capture, enrich and re-verify stale records, block disposable addresses, score bounces negatively.",
        });
    }
    if let Some(q) = r.overall.qlr.filter(|&q| q < 0.20) {
        out.push(Symptom {
            symptom: "Quality lead rate under 20%".into(),
            evidence: format!("{} of leads are quality leads", pct(q)),
            likely_causes: "Targeting needs work: channels and campaigns bring leads outside the ICP. Compare source quality with volume below.",
        });
    }
    if let Some(s) = &r.speed_to_lead
        && let Some(w) = s.within_5_minutes.filter(|&w| w < 0.5)
    {
        out.push(Symptom {
                symptom: "Slow speed to lead".into(),
                evidence: format!("{} of quality leads touched within 5 minutes", pct(w)),
                likely_causes: "Routing and SLAs: the odds of qualifying fall by 80% after 5 minutes. Route quality leads to reps at once and alert on breaches.",
            });
    }
    if let Some(sq) = &r.score_quality {
        let top_lift = sq.deciles.first().and_then(|d| d.lift);
        if sq.auc_won.is_some_and(|a| a < 0.65) || top_lift.is_some_and(|l| l < 2.0) {
            out.push(Symptom {
                symptom: "The score barely predicts revenue".into(),
                evidence: format!(
                    "ROC AUC against won {}, top-decile lift {}",
                    sq.auc_won.map_or("n/a".into(), |a| format!("{a:.3}")),
                    top_lift.map_or("n/a".into(), |l| format!("{l:.2}x"))
                ),
                likely_causes: "The points do not match what wins: run `leadrank calibrate` on won and lost deals.",
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(id: &str, group: &str, score: f64, quality: bool) -> LeadObs {
        LeadObs {
            lead_id: id.into(),
            group: Some(group.into()),
            score: Some(score),
            quality: Some(quality),
            has_email: true,
            ..LeadObs::default()
        }
    }

    fn opp(id: &str, lead: &str, status: OppStatus, created: i64, closed: Option<i64>, amount: f64) -> Opportunity {
        Opportunity {
            id: id.into(),
            lead_id: Some(lead.into()),
            account_id: None,
            created_at: Some(created * 86_400),
            closed_at: closed.map(|c| c * 86_400),
            status,
            amount: Some(amount),
            loss_reason: (status == OppStatus::Lost).then(|| "price".into()),
        }
    }

    /// Four leads, two of them quality; three opportunities.
    fn fixture() -> Report {
        let leads = vec![
            lead("a", "referral", 90.0, true),
            lead("b", "organic", 85.0, true),
            lead("c", "organic", 40.0, false),
            lead("d", "organic", 10.0, false),
        ];
        let opps = vec![
            opp("o1", "a", OppStatus::Won, 0, Some(10), 1000.0),
            opp("o2", "b", OppStatus::Lost, 0, Some(30), 500.0),
            opp("o3", "c", OppStatus::Open, 5, None, 300.0),
        ];
        compute(&leads, &opps, None, Some("source"))
    }

    #[test]
    fn overall_known_answers() {
        let r = fixture();
        let m = &r.overall;
        assert_eq!(m.leads, 4);
        assert_eq!(m.quality_leads, Some(2));
        assert_eq!(m.qlr, Some(0.5));
        assert_eq!(m.l2o, Some(0.75));
        assert_eq!(m.lead_to_deal, Some(0.25));
        assert_eq!(m.win_rate, Some(0.5));
        assert_eq!(m.pipeline, Some(1800.0));
        assert_eq!(m.ppl, Some(450.0));
        assert_eq!(m.rpl, Some(250.0));
        assert_eq!(m.avg_won_amount, Some(1000.0));
        assert_eq!(m.cycle_median_days, Some(20.0));
        assert_eq!(m.cycle_mean_days, Some(20.0));
        // Velocity counts the open pipeline only: 1 open opportunity (o3) x win rate 0.5 x
        // average won amount 1000 / mean cycle of closed deals (10 + 30) / 2 = 20 days = 25.
        assert_eq!(m.velocity_per_day, Some(25.0));
        let v = m.velocity.as_ref().unwrap();
        assert_eq!((v.open_opportunities, v.win_rate, v.avg_won_amount, v.cycle_days), (1, 0.5, 1000.0, 20.0));
        assert_eq!(r.lost_by_reason.get("price"), Some(&1));
    }

    #[test]
    fn groups_stages_and_score_known_answers() {
        let r = fixture();
        assert_eq!(r.groups.len(), 2);
        let organic = &r.groups[0];
        assert_eq!(organic.group, "organic");
        assert_eq!(organic.metrics.leads, 3);
        assert_eq!(organic.metrics.l2o, Some(2.0 / 3.0));
        assert_eq!(organic.metrics.win_rate, Some(0.0));
        // Derived stages: MQL 2 of 4, both have an opportunity, 1 of 3 opportunities won.
        assert_eq!(r.stages.inquiry_to_mql, Some(0.5));
        assert_eq!(r.stages.mql_to_sql, Some(1.0));
        assert_eq!(r.stages.sql_to_won, Some(1.0 / 3.0));
        let sq = r.score_quality.as_ref().unwrap();
        assert_eq!(sq.auc_won, Some(1.0));
        // Opportunity: a, b, c (scores 90, 85, 40) above d (10).
        assert_eq!(sq.auc_opportunity, Some(1.0));
        let referral = r.benchmarks.iter().find(|b| b.metric == "referral_lead_to_deal").unwrap();
        assert_eq!(referral.value, Some(1.0));
        assert_eq!(referral.status, "above");
    }

    #[test]
    fn account_only_opportunities_go_to_the_first_lead() {
        let mut leads = vec![lead("a", "x", 1.0, false), lead("b", "x", 2.0, false), lead("c", "y", 3.0, false)];
        leads[0].account_id = Some("acc".into());
        leads[1].account_id = Some("acc".into());
        let mut o = opp("o1", "zz", OppStatus::Won, 0, Some(4), 100.0);
        o.lead_id = None;
        o.account_id = Some("acc".into());
        let mut orphan = opp("o2", "nobody", OppStatus::Lost, 0, Some(2), 50.0);
        orphan.loss_reason = None;
        let r = compute(&leads, &[o, orphan], None, Some("g"));
        assert_eq!(r.unattributed_opportunities, 1);
        assert_eq!(r.overall.opportunities, 2);
        // The account-only deal goes to one lead (a: both have no created_at, "a" < "b").
        assert_eq!(r.overall.leads_won, 1);
        assert_eq!(r.account_attributed_opportunities, 1);
        assert_eq!(r.groups[0].metrics.won_amount, Some(100.0));
        assert_eq!(r.groups[0].metrics.leads_won, 1);
        assert_eq!(r.overall.rpl, Some(100.0 / 3.0));
        assert_eq!(r.lost_by_reason.get("(none)"), Some(&1));
    }

    #[test]
    fn stage_history_and_symptoms() {
        let mut leads: Vec<LeadObs> = (0..10).map(|i| lead(&format!("l{i}"), "g", f64::from(i), false)).collect();
        leads[0].email_bounced = Some(true);
        let mut stages = Vec::new();
        for i in 0..10 {
            stages.push(StageChange { lead_id: format!("l{i}"), stage: "mql".into(), at: None, by: None, reason: None });
        }
        for i in 0..4 {
            stages.push(StageChange {
                lead_id: format!("l{i}"),
                stage: "disqualified".into(),
                at: None,
                by: None,
                reason: Some("no_company_fit".into()),
            });
        }
        stages.push(StageChange { lead_id: "l9".into(), stage: "sql".into(), at: None, by: None, reason: None });
        let r = compute(&leads, &[], Some(&stages), None);
        assert_eq!(r.stages.mql, Some(10));
        assert_eq!(r.stages.sql, 1);
        assert_eq!(r.stages.mql_to_sql, Some(0.1));
        assert_eq!(r.stages.rejection_rate, Some(0.4));
        assert_eq!(r.stages.rejections_by_reason.get("no_company_fit"), Some(&4));
        assert_eq!(r.data_quality.bounce_rate, Some(0.1));
        let names: Vec<&str> = r.symptoms.iter().map(|s| s.symptom.as_str()).collect();
        assert!(names.contains(&"High rejection for no fit"), "{names:?}");
        assert!(names.contains(&"High bounce or invalid rates"), "{names:?}");
        assert!(names.contains(&"Quality lead rate under 20%"), "{names:?}");
    }
    /// Deals are counted as deals: three won deals of one account (two naming only the
    /// account) and one lead. Leads a (created day 5) and b (created day 1) share account
    /// acc; c has no account.
    ///   o1 names a, won 100        -> a
    ///   o2 names only acc, won 200 -> b (earliest-created lead of acc)
    ///   o3 names only acc, won 300 -> b
    ///   o4 names c, open 50        -> c
    /// Leads won: a and b = 2 (never more than the 3 won deals); lead-to-deal 2 / 3.
    /// Group "x" (a, b): 3 won deals, won amount 600; group "y" (c): 1 open deal.
    #[test]
    fn account_deals_count_once_and_groups_add_up() {
        let mut leads = vec![lead("a", "x", 1.0, false), lead("b", "x", 2.0, false), lead("c", "y", 3.0, false)];
        leads[0].account_id = Some("acc".into());
        leads[0].created_at = Some(5 * 86_400);
        leads[1].account_id = Some("acc".into());
        leads[1].created_at = Some(86_400);
        let mut o2 = opp("o2", "-", OppStatus::Won, 2, Some(4), 200.0);
        o2.lead_id = None;
        o2.account_id = Some("acc".into());
        let mut o3 = opp("o3", "-", OppStatus::Won, 3, Some(5), 300.0);
        o3.lead_id = None;
        o3.account_id = Some("acc".into());
        let opps = vec![opp("o1", "a", OppStatus::Won, 0, Some(3), 100.0), o2, o3, opp("o4", "c", OppStatus::Open, 1, None, 50.0)];
        let r = compute(&leads, &opps, None, Some("g"));
        assert_eq!(r.overall.won, 3);
        assert_eq!(r.overall.leads_won, 2);
        assert_eq!(r.overall.lead_to_deal, Some(2.0 / 3.0));
        assert_eq!(r.account_attributed_opportunities, 2);
        let x = &r.groups[0].metrics;
        assert_eq!((x.won, x.leads_won, x.won_amount), (3, 2, Some(600.0)));
        let y = &r.groups[1].metrics;
        assert_eq!((y.opportunities, y.open, y.won), (1, 1, 0));
        assert_eq!(x.opportunities + y.opportunities, r.overall.opportunities);
        // Derived stages: SQL = a, b, c; won a, b; c's only deal is open.
        assert_eq!((r.stages.sql, r.stages.won, r.stages.sql_open), (3, 2, 1));
    }

    /// Without amounts, touches or event data the figures are absent, never 0: two leads, one
    /// quality, one lost deal without an amount, no sales touch, no event data.
    #[test]
    fn figures_without_data_are_absent() {
        let mut leads = vec![lead("a", "g", 90.0, true), lead("b", "g", 10.0, false)];
        for l in &mut leads {
            l.email_bounced = None;
        }
        let mut o = opp("o1", "a", OppStatus::Lost, 0, Some(3), 0.0);
        o.amount = None;
        let r = compute(&leads, &[o], None, None);
        assert_eq!(r.overall.pipeline, None);
        assert_eq!(r.overall.ppl, None);
        assert_eq!(r.overall.rpl, None);
        assert_eq!(r.overall.avg_won_amount, None);
        assert_eq!(r.overall.velocity, None);
        assert_eq!(r.speed_to_lead, None);
        assert_eq!(r.data_quality.bounce_rate, None);
        let names: Vec<&str> = r.symptoms.iter().map(|s| s.symptom.as_str()).collect();
        assert!(!names.contains(&"Slow speed to lead"), "{names:?}");
        // No breakdown by source: no referral benchmark.
        assert!(r.benchmarks.iter().all(|b| b.metric != "referral_lead_to_deal"));
        // With one touch at 3 minutes on the quality lead: 1 of 1 within 5 minutes.
        leads[0].first_touch_secs = Some(180);
        let r = compute(&leads, &[], None, None);
        let s = r.speed_to_lead.unwrap();
        assert_eq!((s.touched, s.within_5_minutes), (1, Some(1.0)));
    }

    /// The closed-deal win rate (1 won of 1 closed = 100%) is not compared with the SQL-to-win
    /// benchmark; the lead-level SQL-to-won (1 won of 2 SQLs, one open = 50%) is.
    #[test]
    fn win_rates_are_named_and_compared_like_with_like() {
        let leads = vec![lead("a", "g", 90.0, true), lead("b", "g", 80.0, true)];
        let opps = vec![opp("o1", "a", OppStatus::Won, 0, Some(3), 10.0), opp("o2", "b", OppStatus::Open, 0, None, 10.0)];
        let r = compute(&leads, &opps, None, None);
        assert_eq!(r.overall.win_rate, Some(1.0));
        assert_eq!(r.stages.sql_to_won, Some(0.5));
        assert!(r.benchmarks.iter().all(|b| b.metric != "win_rate"));
        let sql = r.benchmarks.iter().find(|b| b.metric == "sql_to_won").unwrap();
        assert_eq!((sql.value, sql.status), (Some(0.5), "above"));
        assert!(sql.definition.contains("open deals count as not won"));
    }
}
