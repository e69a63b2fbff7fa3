//! Point-in-time cut-offs: the time each lead's calibration score and features are taken at.

use std::collections::HashMap;

use leadrank_core::Lead;
use leadrank_metrics::report::Opportunity;
use serde::Serialize;

/// Seconds in a day.
pub(crate) const DAY: i64 = 86_400;

/// Where each lead's calibration score is taken (see [`cutoffs`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutOffs {
    /// Per lead (dataset order), the time its score and features are taken at (Unix seconds).
    #[serde(skip)]
    pub at: Vec<i64>,
    pub rule: CutOffRule,
    /// Leads cut before an opportunity that names them.
    pub cut_by_lead_opportunity: usize,
    /// Leads cut before an opportunity that names only their account.
    pub cut_by_account_opportunity: usize,
    /// Leads cut by the horizon (and not earlier by an opportunity).
    pub cut_by_horizon: usize,
    /// Opportunities without `created_at`, which cannot cut.
    pub opportunities_without_created_at: usize,
    /// The fixed scoring horizon after each lead's `created_at`, in days.
    pub horizon_days: Option<u32>,
}

/// How the cut-offs were chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CutOffRule {
    /// Each lead at its own cut-off ([`cutoffs`]).
    #[serde(rename = "per-lead")]
    PerLead,
    /// Every lead at the same time: events after sales contact can leak into the features.
    #[serde(rename = "single")]
    Single,
}

impl CutOffs {
    /// Every one of `leads` lead seen at `as_of`.
    pub fn single(leads: usize, as_of: i64) -> Self {
        CutOffs {
            at: vec![as_of; leads],
            rule: CutOffRule::Single,
            cut_by_lead_opportunity: 0,
            cut_by_account_opportunity: 0,
            cut_by_horizon: 0,
            opportunities_without_created_at: 0,
            horizon_days: None,
        }
    }
}

/// Point-in-time cut-offs: lead `i` is seen as of min(`as_of`, the `created_at` of its first
/// opportunity - 1 s, `created_at + horizon_days` when given). An opportunity belongs to the
/// lead it names; one that names only an account belongs to every lead with that
/// `account_id` (as the won labels do). Any status counts: an opportunity means sales was in
/// touch, and what happened after must not feed the features.
pub fn cutoffs(leads: &[Lead], opps: &[Opportunity], as_of: i64, horizon_days: Option<u32>) -> CutOffs {
    let index: HashMap<&str, usize> = leads.iter().enumerate().map(|(i, l)| (l.lead_id.as_str(), i)).collect();
    let mut by_account: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, l) in leads.iter().enumerate() {
        if let Some(a) = &l.account_id {
            by_account.entry(a).or_default().push(i);
        }
    }
    // (first opportunity time, named by the lead itself?)
    let mut first: Vec<Option<(i64, bool)>> = vec![None; leads.len()];
    let mut no_time = 0;
    let put = |i: usize, t: i64, own: bool, first: &mut Vec<Option<(i64, bool)>>| {
        if first[i].is_none_or(|(f, _)| t < f) {
            first[i] = Some((t, own));
        }
    };
    for o in opps {
        let Some(t) = o.created_at else {
            no_time += 1;
            continue;
        };
        match o.lead_id.as_deref().and_then(|l| index.get(l)) {
            Some(&i) => put(i, t, true, &mut first),
            None => {
                for &i in o.account_id.as_deref().and_then(|a| by_account.get(a)).map_or(&[][..], |v| v.as_slice()) {
                    put(i, t, false, &mut first);
                }
            }
        }
    }
    let mut c = CutOffs {
        at: Vec::with_capacity(leads.len()),
        rule: CutOffRule::PerLead,
        cut_by_lead_opportunity: 0,
        cut_by_account_opportunity: 0,
        cut_by_horizon: 0,
        opportunities_without_created_at: no_time,
        horizon_days,
    };
    for (i, lead) in leads.iter().enumerate() {
        let opp = first[i].map(|(t, own)| (t.saturating_sub(1), own)).filter(|&(t, _)| t < as_of);
        let horizon = horizon_days
            .and_then(|d| lead.created_at.map(|c| c.as_second().saturating_add(i64::from(d) * DAY)))
            .filter(|&t| t < as_of && opp.is_none_or(|(o, _)| t < o));
        let at = match (opp, horizon) {
            (_, Some(h)) => {
                c.cut_by_horizon += 1;
                h
            }
            (Some((o, own)), None) => {
                if own {
                    c.cut_by_lead_opportunity += 1;
                } else {
                    c.cut_by_account_opportunity += 1;
                }
                o
            }
            (None, None) => as_of,
        };
        c.at.push(at);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use leadrank_metrics::report::OppStatus;

    fn lead(id: &str, account: Option<&str>, created: i64) -> Lead {
        Lead {
            lead_id: id.into(),
            account_id: account.map(Into::into),
            created_at: jiff::Timestamp::from_second(created).ok(),
            ..Lead::default()
        }
    }

    fn opp(id: &str, lead: Option<&str>, account: Option<&str>, created: Option<i64>) -> Opportunity {
        Opportunity {
            id: id.into(),
            lead_id: lead.map(Into::into),
            account_id: account.map(Into::into),
            created_at: created,
            closed_at: None,
            status: OppStatus::Won,
            amount: None,
            loss_reason: None,
        }
    }

    #[test]
    fn cut_offs_stop_before_the_first_opportunity_of_the_lead_or_its_account() {
        let as_of = 1_000_000;
        let leads =
            vec![lead("a", Some("X"), 0), lead("b", Some("X"), 0), lead("c", None, 0), lead("d", None, 0), lead("e", None, 900_000)];
        let opps = vec![
            opp("o1", Some("a"), Some("X"), Some(500_000)),
            opp("o2", Some("a"), None, Some(400_000)),
            opp("o3", None, Some("X"), Some(600_000)),
            opp("o4", Some("c"), None, Some(2_000_000)),
            opp("o5", Some("d"), None, None),
        ];
        let c = cutoffs(&leads, &opps, as_of, None);
        // a: its own first opportunity; b: the account's; c: after --as-of; d: no time; e: none.
        assert_eq!(c.at, vec![399_999, 599_999, as_of, as_of, as_of]);
        assert_eq!((c.cut_by_lead_opportunity, c.cut_by_account_opportunity, c.cut_by_horizon), (1, 1, 0));
        assert_eq!(c.opportunities_without_created_at, 1);
        // A 5-day horizon (432,000 s after created_at) cuts b, c and d; a's opportunity comes
        // earlier; e's horizon falls after --as-of.
        let c = cutoffs(&leads, &opps, as_of, Some(5));
        assert_eq!(c.at, vec![399_999, 432_000, 432_000, 432_000, as_of]);
        assert_eq!((c.cut_by_lead_opportunity, c.cut_by_account_opportunity, c.cut_by_horizon), (1, 0, 3));
    }
}
