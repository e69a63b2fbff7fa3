//! Funnel reports: stage counts, stage conversion and rejections by reason.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::policy::LeadLifecycle;
use crate::stage::{Stage, Transition};

/// The published benchmark for the rejection rate: under 15%.
pub const REJECTION_RATE_BENCHMARK: f64 = 0.15;

/// How many leads are in, or ever entered, one stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct StageCount {
    /// The stage.
    pub stage: Stage,
    /// The number of leads.
    pub count: u64,
}

/// A conversion between two stages: of the leads that ever entered `from`, how many ever
/// entered `to`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Conversion {
    /// Leads that entered the first stage.
    pub from: u64,
    /// Of those, leads that entered the second.
    pub to: u64,
    /// `to / from`; `None` when no lead entered the first stage.
    pub rate: Option<f64>,
}

impl Conversion {
    fn new(from: u64, to: u64) -> Conversion {
        Conversion { from, to, rate: (from > 0).then(|| to as f64 / from as f64) }
    }
}

/// The stage conversions. "MQL" counts leads that entered mql or pql: both
/// are quality leads handed to sales.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Conversions {
    /// inquiry -> mql or pql.
    pub inquiry_to_mql: Conversion,
    /// mql or pql -> sal.
    pub mql_to_sal: Conversion,
    /// mql or pql -> sql (published benchmark 20-40%).
    pub mql_to_sql: Conversion,
    /// sql -> won (published benchmark 15-30%).
    pub sql_to_won: Conversion,
}

/// How often sales rejected with one reason code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct RejectionCount {
    /// The reason code.
    pub code: String,
    /// Rejections with it.
    pub count: u64,
    /// Its share of all rejections (0..=1).
    pub share: f64,
}

/// Sales' decisions on handed-over leads: rejections of leads awaiting sales (mql, pql,
/// recycled) against acceptances (-> sal). Rejections after acceptance (from sal or sql)
/// are counted by reason but not here.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct RejectionRate {
    /// Acceptances.
    pub accepted: u64,
    /// Rejections of leads awaiting sales.
    pub rejected: u64,
    /// `rejected / (accepted + rejected)`; `None` without decisions.
    pub rate: Option<f64>,
    /// Whether the rate is under the published benchmark of 15%; `None` without decisions.
    pub within_benchmark: Option<bool>,
}

/// The funnel's running totals, kept transition by transition: who ever entered each stage,
/// and each lead's acceptances and rejections (so that an erased lead is forgotten exactly).
/// [`FunnelTally::report`] adds the current stages; it never reads the transitions again.
#[derive(Debug, Default, Clone)]
pub struct FunnelTally {
    entered: HashMap<Stage, HashSet<String>>,
    decisions: HashMap<String, LeadDecisions>,
}

/// One lead's part in the decision counts.
#[derive(Debug, Default, Clone)]
struct LeadDecisions {
    /// Acceptances of the lead while it awaited sales.
    accepted: u64,
    /// Rejections of the lead while it awaited sales.
    rejected: u64,
    /// The reason code of every rejection of the lead (also after acceptance).
    codes: Vec<String>,
}

impl FunnelTally {
    /// Counts one transition of `lead`.
    pub fn add(&mut self, lead: &str, t: &Transition) {
        let entered = self.entered.entry(t.to).or_default();
        if !entered.contains(lead) {
            entered.insert(lead.to_string());
        }
        let accepted = t.to == Stage::Sal && t.from.is_some_and(Stage::awaiting_sales);
        if accepted || t.rejection.is_some() {
            let d = self.decisions.entry(lead.to_string()).or_default();
            if accepted {
                d.accepted += 1;
            }
            if let Some(code) = &t.rejection {
                d.codes.push(code.clone());
                if t.from.is_some_and(Stage::awaiting_sales) {
                    d.rejected += 1;
                }
            }
        }
    }

    /// Forgets everything counted for `lead` (it was erased).
    pub fn forget(&mut self, lead: &str) {
        for set in self.entered.values_mut() {
            set.remove(lead);
        }
        self.decisions.remove(lead);
    }

    /// The report of these totals with the leads' current states.
    pub fn report<'a>(&self, states: impl Iterator<Item = &'a LeadLifecycle>) -> FunnelReport {
        let mut now: BTreeMap<Stage, u64> = BTreeMap::new();
        let mut leads = 0u64;
        for st in states {
            leads += 1;
            *now.entry(st.stage).or_default() += 1;
        }
        let mut by_code: BTreeMap<&str, u64> = BTreeMap::new();
        let (mut accepted, mut rejected, mut all_rejections) = (0u64, 0u64, 0u64);
        for d in self.decisions.values() {
            accepted += d.accepted;
            rejected += d.rejected;
            all_rejections += d.codes.len() as u64;
            for code in &d.codes {
                *by_code.entry(code.as_str()).or_default() += 1;
            }
        }
        let empty = HashSet::new();
        let set = |s: Stage| self.entered.get(&s).unwrap_or(&empty);
        let quality: HashSet<&String> = set(Stage::Mql).union(set(Stage::Pql)).collect();
        let of = |base: &HashSet<&String>, s: Stage| {
            Conversion::new(base.len() as u64, base.iter().filter(|l| set(s).contains(**l)).count() as u64)
        };
        let inquiry = set(Stage::Inquiry);
        let sql: HashSet<&String> = set(Stage::Sql).iter().collect();
        let conversion = Conversions {
            inquiry_to_mql: Conversion::new(inquiry.len() as u64, inquiry.iter().filter(|l| quality.contains(*l)).count() as u64),
            mql_to_sal: of(&quality, Stage::Sal),
            mql_to_sql: of(&quality, Stage::Sql),
            sql_to_won: of(&sql, Stage::Won),
        };
        let mut rejections: Vec<RejectionCount> = by_code
            .into_iter()
            .map(|(code, count)| RejectionCount { code: code.to_string(), count, share: count as f64 / all_rejections as f64 })
            .collect();
        rejections.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
        let decisions = accepted + rejected;
        let rate = (decisions > 0).then(|| rejected as f64 / decisions as f64);
        FunnelReport {
            leads,
            stage_counts: Stage::ALL.iter().map(|&stage| StageCount { stage, count: now.get(&stage).copied().unwrap_or(0) }).collect(),
            entered: Stage::ALL.iter().map(|&stage| StageCount { stage, count: set(stage).len() as u64 }).collect(),
            conversion,
            rejections,
            rejection_rate: RejectionRate { accepted, rejected, rate, within_benchmark: rate.map(|r| r < REJECTION_RATE_BENCHMARK) },
        }
    }
}

/// The lifecycle funnel of a set of leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct FunnelReport {
    /// Leads counted (states given).
    pub leads: u64,
    /// Leads in each stage now, every stage listed (zeros included), in [`Stage::ALL`] order.
    pub stage_counts: Vec<StageCount>,
    /// Distinct leads that ever entered each stage, every stage listed.
    pub entered: Vec<StageCount>,
    /// Stage conversions.
    pub conversion: Conversions,
    /// Rejections by reason code (every rejection transition, also after acceptance), most
    /// frequent first, ties by code.
    pub rejections: Vec<RejectionCount>,
    /// The rejection rate of handed-over leads.
    pub rejection_rate: RejectionRate,
}

impl FunnelReport {
    /// Builds the report from the leads' current states and their transitions, each with
    /// its lead id (for "ever entered").
    pub fn build<'a>(
        states: impl Iterator<Item = &'a LeadLifecycle>,
        transitions: impl Iterator<Item = (&'a str, &'a Transition)>,
    ) -> FunnelReport {
        let mut tally = FunnelTally::default();
        for (lead, t) in transitions {
            tally.add(lead, t);
        }
        tally.report(states)
    }

    /// The current count of one stage.
    pub fn count(&self, stage: Stage) -> u64 {
        self.stage_counts.iter().find(|c| c.stage == stage).map_or(0, |c| c.count)
    }

    /// How many leads ever entered one stage.
    pub fn entered(&self, stage: Stage) -> u64 {
        self.entered.iter().find(|c| c.stage == stage).map_or(0, |c| c.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Policy, ScoreView};
    use jiff::Timestamp;
    use std::sync::Arc;

    fn t(day: i64) -> Timestamp {
        Timestamp::from_second(1_735_689_600 + day * 86_400).unwrap()
    }

    #[test]
    fn empty_report_lists_every_stage_and_no_rates() {
        let r = FunnelReport::build(std::iter::empty(), std::iter::empty());
        assert_eq!(r.stage_counts.len(), Stage::ALL.len());
        assert_eq!(r.entered.len(), Stage::ALL.len());
        assert!(r.stage_counts.iter().all(|c| c.count == 0));
        assert_eq!(r.conversion.inquiry_to_mql, Conversion { from: 0, to: 0, rate: None });
        assert_eq!(r.rejection_rate.rate, None);
        assert_eq!(r.rejection_rate.within_benchmark, None);
        assert!(r.rejections.is_empty());
    }

    #[test]
    fn funnel_counts_conversions_and_rejections() {
        let p = Policy::default();
        let none: Vec<Arc<str>> = vec![];
        let q = ScoreView { quality: true, total: 80, signals: &none };
        let mut states = Vec::new();
        let mut log: Vec<(String, Transition)> = Vec::new();
        for i in 0..6 {
            let id = format!("L{i}");
            let (mut st, tr) = crate::LeadLifecycle::new(t(0));
            log.push((id.clone(), tr));
            if i < 5 {
                log.push((id.clone(), p.on_score(&mut st, q, t(1)).unwrap()));
            }
            match i {
                0 | 1 => {
                    log.push((id.clone(), p.accept(&mut st, "bob", None, t(2)).unwrap()));
                    log.push((id.clone(), p.move_to(&mut st, Stage::Disqualified, "bob", "gone", None, t(3)).unwrap()));
                }
                2 => log.push((id.clone(), p.reject(&mut st, "bob", "spam", None, 80, t(2)).unwrap())),
                3 => log.push((id.clone(), p.reject(&mut st, "bob", "unreachable", None, 80, t(2)).unwrap())),
                4 => {
                    log.push((id.clone(), p.accept(&mut st, "bob", None, t(2)).unwrap()));
                    log.push((id.clone(), p.reject(&mut st, "bob", "no_budget_path", None, 80, t(3)).unwrap()));
                }
                _ => {}
            }
            states.push(st);
        }
        let r = FunnelReport::build(states.iter(), log.iter().map(|(id, tr)| (id.as_str(), tr)));
        assert_eq!(r.leads, 6);
        assert_eq!((r.count(Stage::Inquiry), r.count(Stage::Disqualified), r.count(Stage::Nurture)), (1, 3, 2));
        assert_eq!(r.stage_counts.iter().map(|c| c.count).sum::<u64>(), 6);
        assert_eq!((r.entered(Stage::Inquiry), r.entered(Stage::Mql), r.entered(Stage::Sal)), (6, 5, 3));
        assert_eq!(r.conversion.inquiry_to_mql, Conversion { from: 6, to: 5, rate: Some(5.0 / 6.0) });
        assert_eq!(r.conversion.mql_to_sal, Conversion { from: 5, to: 3, rate: Some(0.6) });
        assert_eq!(r.conversion.mql_to_sql, Conversion { from: 5, to: 0, rate: Some(0.0) });
        assert_eq!(r.conversion.sql_to_won.rate, None);
        let codes: Vec<(&str, u64)> = r.rejections.iter().map(|c| (c.code.as_str(), c.count)).collect();
        assert_eq!(codes, [("no_budget_path", 1), ("spam", 1), ("unreachable", 1)]);
        assert!((r.rejections[0].share - 1.0 / 3.0).abs() < 1e-12);
        // Decisions on handed-over leads: 3 accepted, 2 rejected while awaiting sales.
        assert_eq!((r.rejection_rate.accepted, r.rejection_rate.rejected), (3, 2));
        assert_eq!(r.rejection_rate.rate, Some(0.4));
        assert_eq!(r.rejection_rate.within_benchmark, Some(false));
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<FunnelReport>(&json).unwrap(), r);
    }
}
