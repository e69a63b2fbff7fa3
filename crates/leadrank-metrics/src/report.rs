//! The lead-quality report of SPEC section 6: funnel and revenue metrics, stage conversion,
//! rejections, speed to lead, score quality, the seeds' benchmarks and seed 001's symptoms of
//! poor lead quality.
//!
//! Attribution: an opportunity that names a known lead belongs to that lead; one that names
//! only an account belongs to every lead of that account (`account_id`), its amount shared
//! equally among them. Opportunity-level figures (win rate, cycle, pipeline) of the whole
//! report count every opportunity, attributed or not.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::classify::{DecileRow, decile_table, roc_auc};
use crate::stats::{mean, median, ratio};

/// Seconds in a day.
const DAY: f64 = 86_400.0;

/// The state of an opportunity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OppStatus {
    Open,
    Won,
    Lost,
}

/// One opportunity (SPEC section 1, outcomes). Times are Unix seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// One stage change (SPEC section 4): the lead entered `stage` at `at`.
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
    pub email_bounced: bool,
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
    pub leads_won: usize,
    /// Lead-to-deal (won) rate.
    pub lead_to_deal: Option<f64>,
    pub opportunities: usize,
    pub open: usize,
    pub won: usize,
    pub lost: usize,
    /// won / (won + lost).
    pub win_rate: Option<f64>,
    /// Sum of opportunity amounts.
    pub pipeline: f64,
    pub won_amount: f64,
    /// Pipeline per lead.
    pub ppl: Option<f64>,
    /// Revenue per lead.
    pub rpl: Option<f64>,
    pub avg_won_amount: Option<f64>,
    /// Days from creation to close of closed opportunities.
    pub cycle_median_days: Option<f64>,
    pub cycle_mean_days: Option<f64>,
    /// opportunities x win rate x average won amount / mean cycle days (per day).
    pub velocity_per_day: Option<f64>,
}

/// One row of the breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRow {
    pub group: String,
    #[serde(flatten)]
    pub metrics: Metrics,
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
    pub inquiry_to_mql: Option<f64>,
    pub mql_to_sql: Option<f64>,
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

/// Where a figure stands against a seed benchmark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchmarkCheck {
    pub metric: &'static str,
    pub value: Option<f64>,
    pub benchmark: &'static str,
    /// "below", "within", "above" or "n/a".
    pub status: &'static str,
}

/// A symptom of poor lead quality (seed 001), with likely causes and what to do.
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
    pub by: Option<String>,
    pub groups: Vec<GroupRow>,
    pub stages: StageConversion,
    pub lost_by_reason: BTreeMap<String, usize>,
    pub speed_to_lead: Option<SpeedToLead>,
    pub data_quality: DataQuality,
    pub score_quality: Option<ScoreQuality>,
    pub benchmarks: Vec<BenchmarkCheck>,
    pub symptoms: Vec<Symptom>,
}

/// What opportunities a lead has, with its share of each amount.
#[derive(Default, Clone)]
struct Attributed {
    opps: Vec<(usize, f64)>,
}

/// Computes the report. `by` names the breakdown the leads' `group` fields hold.
pub fn compute(leads: &[LeadObs], opps: &[Opportunity], stages: Option<&[StageChange]>, by: Option<&str>) -> Report {
    let lead_index: HashMap<&str, usize> = leads.iter().enumerate().map(|(i, l)| (l.lead_id.as_str(), i)).collect();
    let mut by_account: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, l) in leads.iter().enumerate() {
        if let Some(a) = &l.account_id {
            by_account.entry(a.as_str()).or_default().push(i);
        }
    }
    let mut attributed = vec![Attributed::default(); leads.len()];
    let mut unattributed = 0;
    for (o, opp) in opps.iter().enumerate() {
        let owners: Vec<usize> = match opp.lead_id.as_deref().and_then(|l| lead_index.get(l)) {
            Some(&i) => vec![i],
            None => opp.account_id.as_deref().and_then(|a| by_account.get(a)).cloned().unwrap_or_default(),
        };
        if owners.is_empty() {
            unattributed += 1;
        }
        let share = 1.0 / owners.len().max(1) as f64;
        for i in owners {
            attributed[i].opps.push((o, share));
        }
    }
    let all: Vec<usize> = (0..leads.len()).collect();
    let overall = metrics(leads, &all, opps, &attributed, Some(&(0..opps.len()).collect::<Vec<_>>()));

    let mut groups = Vec::new();
    if by.is_some() {
        let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, l) in leads.iter().enumerate() {
            members.entry(l.group.clone().unwrap_or_else(|| "(none)".into())).or_default().push(i);
        }
        for (g, idx) in members {
            groups.push(GroupRow { group: g, metrics: metrics(leads, &idx, opps, &attributed, None) });
        }
    }

    let has_won = |i: usize| attributed[i].opps.iter().any(|&(o, _)| opps[o].status == OppStatus::Won);
    let stages_conv = stage_conversion(leads, stages, &attributed, opps, &lead_index);
    let mut lost_by_reason = BTreeMap::new();
    for o in opps.iter().filter(|o| o.status == OppStatus::Lost) {
        *lost_by_reason.entry(o.loss_reason.clone().unwrap_or_else(|| "(none)".into())).or_insert(0) += 1;
    }

    let scored = leads.iter().any(|l| l.quality.is_some());
    let speed_to_lead = scored.then(|| {
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
    let data_quality = DataQuality {
        leads_with_email: with_email,
        bounce_rate: ratio(leads.iter().filter(|l| l.email_bounced).count() as f64, with_email as f64),
        invalid_email_rate: ratio(leads.iter().filter(|l| l.email_invalid).count() as f64, with_email as f64),
    };

    let score_quality = leads.iter().any(|l| l.score.is_some()).then(|| {
        let idx: Vec<usize> = (0..leads.len()).filter(|&i| leads[i].score.is_some()).collect();
        let scores: Vec<f64> = idx.iter().map(|&i| leads[i].score.unwrap_or(0.0)).collect();
        let won: Vec<bool> = idx.iter().map(|&i| has_won(i)).collect();
        let opp: Vec<bool> = idx.iter().map(|&i| !attributed[i].opps.is_empty()).collect();
        let revenue: Vec<f64> = idx
            .iter()
            .map(|&i| {
                attributed[i]
                    .opps
                    .iter()
                    .filter(|&&(o, _)| opps[o].status == OppStatus::Won)
                    .map(|&(o, s)| opps[o].amount.unwrap_or(0.0) * s)
                    .sum()
            })
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
/// opportunity-level figures (default: those attributed to the leads).
fn metrics(leads: &[LeadObs], idx: &[usize], opps: &[Opportunity], attributed: &[Attributed], opp_idx: Option<&Vec<usize>>) -> Metrics {
    let n = idx.len();
    let scored = idx.iter().any(|&i| leads[i].quality.is_some());
    let quality = scored.then(|| idx.iter().filter(|&&i| leads[i].quality == Some(true)).count());
    let with_opp = idx.iter().filter(|&&i| !attributed[i].opps.is_empty()).count();
    let won_leads = idx.iter().filter(|&&i| attributed[i].opps.iter().any(|&(o, _)| opps[o].status == OppStatus::Won)).count();
    // Opportunities with the share of each that belongs to these leads.
    let mut shares: BTreeMap<usize, f64> = BTreeMap::new();
    match opp_idx {
        Some(all) => {
            for &o in all {
                shares.insert(o, 1.0);
            }
        }
        None => {
            for &i in idx {
                for &(o, s) in &attributed[i].opps {
                    *shares.entry(o).or_insert(0.0) += s;
                }
            }
        }
    }
    let (mut open, mut won, mut lost, mut pipeline, mut won_amount) = (0, 0, 0, 0.0, 0.0);
    let mut won_amounts = Vec::new();
    let mut cycles = Vec::new();
    for (&o, &share) in &shares {
        let opp = &opps[o];
        let amount = opp.amount.unwrap_or(0.0);
        pipeline += amount * share;
        match opp.status {
            OppStatus::Open => open += 1,
            OppStatus::Won => {
                won += 1;
                won_amount += amount * share;
                won_amounts.push(amount);
            }
            OppStatus::Lost => lost += 1,
        }
        if opp.status != OppStatus::Open
            && let (Some(c), Some(d)) = (opp.created_at, opp.closed_at)
        {
            cycles.push((d - c) as f64 / DAY);
        }
    }
    let opportunities = shares.len();
    let win_rate = ratio(won as f64, (won + lost) as f64);
    let avg_won = mean(&won_amounts);
    let cycle_mean = mean(&cycles);
    let velocity = match (win_rate, avg_won, cycle_mean) {
        (Some(w), Some(a), Some(c)) if c > 0.0 => Some(opportunities as f64 * w * a / c),
        _ => None,
    };
    let leads_f = n as f64;
    Metrics {
        leads: n,
        quality_leads: quality,
        qlr: quality.and_then(|q| ratio(q as f64, leads_f)),
        leads_with_opportunity: with_opp,
        l2o: ratio(with_opp as f64, leads_f),
        leads_won: won_leads,
        lead_to_deal: ratio(won_leads as f64, leads_f),
        opportunities,
        open,
        won,
        lost,
        win_rate,
        pipeline,
        won_amount,
        ppl: ratio(pipeline, leads_f),
        rpl: ratio(won_amount, leads_f),
        avg_won_amount: avg_won,
        cycle_median_days: median(&cycles),
        cycle_mean_days: cycle_mean,
        velocity_per_day: velocity,
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
    attributed: &[Attributed],
    opps: &[Opportunity],
    lead_index: &HashMap<&str, usize>,
) -> StageConversion {
    let n = leads.len();
    let won_lead = |i: usize| attributed[i].opps.iter().any(|&(o, _)| opps[o].status == OppStatus::Won);
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
            let sql = (0..n).filter(|&i| has(i, SQL_OR_LATER) || !attributed[i].opps.is_empty()).count();
            let won = (0..n).filter(|&i| has(i, &["won"]) || won_lead(i)).count();
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
            let sql_of_mql = (0..n).filter(|&i| leads[i].quality == Some(true) && !attributed[i].opps.is_empty()).count();
            let sql = (0..n).filter(|&i| !attributed[i].opps.is_empty()).count();
            let won = (0..n).filter(|&i| won_lead(i)).count();
            StageConversion {
                basis: "derived",
                inquiries: n,
                mql,
                sql,
                won,
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

fn check(metric: &'static str, value: Option<f64>, lo: f64, hi: f64, benchmark: &'static str) -> BenchmarkCheck {
    let status = match value {
        None => "n/a",
        Some(v) if v < lo => "below",
        Some(v) if v > hi => "above",
        Some(_) => "within",
    };
    BenchmarkCheck { metric, value, benchmark, status }
}

/// The figures against the seeds' benchmarks (SPEC section 6).
pub fn benchmarks(r: &Report) -> Vec<BenchmarkCheck> {
    let referral = r.groups.iter().find(|g| g.group.eq_ignore_ascii_case("referral")).and_then(|g| g.metrics.lead_to_deal);
    vec![
        check("lead_to_deal", r.overall.lead_to_deal, 0.01, 0.05, "1-5% (average B2B)"),
        check("referral_lead_to_deal", referral, 0.0, 0.14, "up to 14% for referral leads"),
        check("mql_to_sql", r.stages.mql_to_sql, 0.20, 0.40, "20-40% (inbound B2B SaaS)"),
        check("sql_to_won", r.stages.sql_to_won, 0.15, 0.30, "15-30% (ICP with strong intent)"),
        check("win_rate", r.overall.win_rate, 0.15, 0.30, "15-30% SQL-to-win"),
        check("rejection_rate", r.stages.rejection_rate, 0.0, 0.15, "under 15%"),
        check("quality_lead_rate", r.overall.qlr, 0.20, 1.0, "20% or more (under 20%: targeting needs work)"),
        check("bounce_rate", r.data_quality.bounce_rate, 0.0, 0.05, "contact data decays 20-30% a year; keep bounces under 5%"),
    ]
}

/// Rejection reasons that mean the lead never fitted (a targeting problem).
const FIT_REASONS: &[&str] = &["no_company_fit", "no_role_fit", "weak_use_case", "bad_data", "student_or_job_seeker", "spam", "competitor"];

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// Seed 001's symptoms of poor lead quality, with their likely causes.
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
                "lead-to-deal {}, win rate {}, median cycle {:.0} days",
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
                "lead-to-deal {}, win rate {}",
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
            evidence: format!("{} of leads with an email bounced, {} have an invalid address", pct(bounce), pct(invalid)),
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
        assert_eq!(m.pipeline, 1800.0);
        assert_eq!(m.ppl, Some(450.0));
        assert_eq!(m.rpl, Some(250.0));
        assert_eq!(m.avg_won_amount, Some(1000.0));
        assert_eq!(m.cycle_median_days, Some(20.0));
        assert_eq!(m.cycle_mean_days, Some(20.0));
        // 3 opportunities x 0.5 x 1000 / 20 days = 75 per day.
        assert_eq!(m.velocity_per_day, Some(75.0));
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
    fn account_only_opportunities_are_shared() {
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
        assert_eq!(r.overall.leads_won, 2);
        assert_eq!(r.groups[0].metrics.won_amount, 100.0);
        assert_eq!(r.overall.rpl, Some(100.0 / 3.0));
        assert_eq!(r.lost_by_reason.get("(none)"), Some(&1));
    }

    #[test]
    fn stage_history_and_symptoms() {
        let mut leads: Vec<LeadObs> = (0..10).map(|i| lead(&format!("l{i}"), "g", f64::from(i), false)).collect();
        leads[0].email_bounced = true;
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
}
