//! Reports: routing fairness (leads per rep against weight) and speed to lead.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One rep's load over a period, as counted by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepLoad {
    /// Rep id.
    pub rep: String,
    /// Team id.
    pub team: String,
    /// Round-robin weight ([`crate::Rep::effective_weight`]).
    pub weight: u32,
    /// Leads assigned in the period.
    pub leads: u64,
    /// Quality leads assigned in the period.
    pub quality_leads: u64,
}

/// Fairness of one rep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepFairness {
    /// Rep id.
    pub rep: String,
    /// Team id.
    pub team: String,
    /// Weight.
    pub weight: u32,
    /// Leads assigned.
    pub leads: u64,
    /// Share of the team's leads (0 when the team has none).
    pub lead_share: f64,
    /// Expected share: weight / sum of the team's weights.
    pub expected_share: f64,
    /// `lead_share / expected_share`; `None` when the team has no leads or no weight.
    pub lead_ratio: Option<f64>,
    /// Quality leads assigned.
    pub quality_leads: u64,
    /// Share of the team's quality leads (0 when none).
    pub quality_share: f64,
    /// `quality_share / expected_share`; `None` when the team has no quality leads.
    pub quality_ratio: Option<f64>,
}

/// Fairness of one team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamFairness {
    /// Team id.
    pub team: String,
    /// Reps in the report.
    pub reps: usize,
    /// Sum of weights.
    pub weight: u64,
    /// Leads.
    pub leads: u64,
    /// Quality leads.
    pub quality_leads: u64,
    /// Largest `|lead_share - expected_share|` among the team's reps.
    pub max_lead_deviation: f64,
    /// Largest `|quality_share - expected_share|` among the team's reps (0 without quality
    /// leads).
    pub max_quality_deviation: f64,
}

/// Fairness per rep and per team (teams sorted by id; reps in input order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FairnessReport {
    /// Per rep.
    pub reps: Vec<RepFairness>,
    /// Per team.
    pub teams: Vec<TeamFairness>,
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

/// Compares each rep's share of the team's leads and quality leads with their share of the
/// team's weight.
pub fn fairness(rows: &[RepLoad]) -> FairnessReport {
    #[derive(Default)]
    struct Totals {
        reps: usize,
        weight: u64,
        leads: u64,
        quality: u64,
    }
    let mut totals: BTreeMap<&str, Totals> = BTreeMap::new();
    for r in rows {
        let t = totals.entry(r.team.as_str()).or_default();
        t.reps += 1;
        t.weight += u64::from(r.weight);
        t.leads = t.leads.saturating_add(r.leads);
        t.quality = t.quality.saturating_add(r.quality_leads);
    }
    let mut reps = Vec::with_capacity(rows.len());
    let mut dev: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for r in rows {
        let Some(t) = totals.get(r.team.as_str()) else {
            continue;
        };
        let expected = ratio(u64::from(r.weight), t.weight);
        let lead_share = ratio(r.leads, t.leads);
        let quality_share = ratio(r.quality_leads, t.quality);
        let lead_ratio = (t.leads > 0 && expected > 0.0).then(|| lead_share / expected);
        let quality_ratio = (t.quality > 0 && expected > 0.0).then(|| quality_share / expected);
        let d = dev.entry(r.team.as_str()).or_default();
        if t.leads > 0 {
            d.0 = d.0.max((lead_share - expected).abs());
        }
        if t.quality > 0 {
            d.1 = d.1.max((quality_share - expected).abs());
        }
        reps.push(RepFairness {
            rep: r.rep.clone(),
            team: r.team.clone(),
            weight: r.weight,
            leads: r.leads,
            lead_share,
            expected_share: expected,
            lead_ratio,
            quality_leads: r.quality_leads,
            quality_share,
            quality_ratio,
        });
    }
    let teams = totals
        .iter()
        .map(|(team, t)| {
            let (l, q) = dev.get(team).copied().unwrap_or_default();
            TeamFairness {
                team: (*team).to_string(),
                reps: t.reps,
                weight: t.weight,
                leads: t.leads,
                quality_leads: t.quality,
                max_lead_deviation: l,
                max_quality_deviation: q,
            }
        })
        .collect();
    FairnessReport { reps, teams }
}

/// Speed to lead: from becoming a quality lead to the first touch, in elapsed (wall-clock)
/// seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeedToLead {
    /// Quality leads counted.
    pub leads: u64,
    /// Leads with a first touch.
    pub touched: u64,
    /// Leads without one.
    pub untouched: u64,
    /// Median seconds to first touch over touched leads (nearest rank); `None` when none.
    pub median_seconds: Option<i64>,
    /// 90th percentile (nearest rank) over touched leads; `None` when none.
    pub p90_seconds: Option<i64>,
    /// Share of *all* leads touched within 5 minutes (untouched leads count as misses);
    /// `None` when there are no leads.
    pub within_5_minutes_share: Option<f64>,
}

/// Nearest-rank percentile of sorted values: the value at rank `ceil(p * n)`.
fn nearest_rank(sorted: &[i64], p: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
    sorted.get(rank - 1).copied()
}

/// Speed to lead over `(became_quality, first_touch)` pairs. A touch before the lead became
/// quality counts as 0 seconds (it was already being worked).
pub fn speed_to_lead(pairs: impl Iterator<Item = (Timestamp, Option<Timestamp>)>) -> SpeedToLead {
    let mut secs = Vec::new();
    let mut leads = 0u64;
    for (quality, touch) in pairs {
        leads += 1;
        if let Some(t) = touch {
            secs.push(t.duration_since(quality).as_secs().max(0));
        }
    }
    secs.sort_unstable();
    let touched = secs.len() as u64;
    let within = secs.iter().filter(|s| **s <= 300).count() as u64;
    SpeedToLead {
        leads,
        touched,
        untouched: leads - touched,
        median_seconds: nearest_rank(&secs, 0.5),
        p90_seconds: nearest_rank(&secs, 0.9),
        within_5_minutes_share: (leads > 0).then(|| ratio(within, leads)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(rep: &str, team: &str, weight: u32, leads: u64, q: u64) -> RepLoad {
        RepLoad { rep: rep.into(), team: team.into(), weight, leads, quality_leads: q }
    }

    #[test]
    fn fairness_shares() {
        let r = fairness(&[load("a", "t", 3, 30, 0), load("b", "t", 1, 10, 0), load("c", "u", 1, 0, 0)]);
        assert_eq!(r.reps[0].expected_share, 0.75);
        assert_eq!(r.reps[0].lead_share, 0.75);
        assert_eq!(r.reps[0].lead_ratio, Some(1.0));
        assert_eq!(r.reps[0].quality_ratio, None);
        assert_eq!(r.reps[2].lead_ratio, None);
        assert_eq!(r.teams.len(), 2);
        assert_eq!(r.teams[0].max_lead_deviation, 0.0);
        let r = fairness(&[load("a", "t", 1, 30, 4), load("b", "t", 1, 10, 0)]);
        assert_eq!(r.teams[0].max_lead_deviation, 0.25);
        assert_eq!(r.teams[0].max_quality_deviation, 0.5);
        assert_eq!(r.reps[1].quality_ratio, Some(0.0));
    }

    #[test]
    fn speed() {
        let t0: Timestamp = "2026-03-02T10:00:00Z".parse().unwrap();
        let at = |s: i64| Some(t0.checked_add(jiff::SignedDuration::from_secs(s)).unwrap());
        let s = speed_to_lead(vec![(t0, at(60)), (t0, at(300)), (t0, at(301)), (t0, None), (t0, at(-5))].into_iter());
        assert_eq!(s.leads, 5);
        assert_eq!(s.touched, 4);
        assert_eq!(s.untouched, 1);
        assert_eq!(s.median_seconds, Some(60));
        assert_eq!(s.p90_seconds, Some(301));
        assert_eq!(s.within_5_minutes_share, Some(0.6));
        let e = speed_to_lead(std::iter::empty());
        assert_eq!(e.median_seconds, None);
        assert_eq!(e.within_5_minutes_share, None);
    }
}
