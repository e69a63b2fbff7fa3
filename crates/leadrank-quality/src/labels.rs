//! The label of each lead: won, or accepted by sales.

use std::collections::HashMap;

use leadrank_core::Lead;
use leadrank_metrics::report::{OppStatus, Opportunity, StageChange};

/// Sales-acceptance labels from a stage history: `(label, lead index)` for every lead that
/// sales reviewed. Accepted = reached sal or later (an opportunity lost was accepted first);
/// rejected = disqualified or rejected, or sent to nurture with a reason code, and never
/// accepted.
pub fn acceptance_labels(leads: &[Lead], stages: &[StageChange]) -> Vec<(bool, usize)> {
    const ACCEPTED: &[&str] = &["sal", "sql", "opportunity", "won", "lost"];
    let index: HashMap<&str, usize> = leads.iter().enumerate().map(|(i, l)| (l.lead_id.as_str(), i)).collect();
    let mut state: Vec<Option<bool>> = vec![None; leads.len()];
    for c in stages {
        let Some(&i) = index.get(c.lead_id.as_str()) else { continue };
        let stage = c.stage.to_ascii_lowercase();
        if ACCEPTED.contains(&stage.as_str()) {
            state[i] = Some(true);
        } else if state[i] != Some(true)
            && (stage == "disqualified"
                || stage == "rejected"
                || (stage == "nurture" && c.reason.as_deref().is_some_and(|r| !r.is_empty())))
        {
            state[i] = Some(false);
        }
    }
    state.iter().enumerate().filter_map(|(i, s)| s.map(|l| (l, i))).collect()
}

/// Per lead: `Some(true)` won (a won opportunity names it, or only its account),
/// `Some(false)` not won (no opportunity, or only lost ones), `None` censored: no won
/// opportunity and at least one still open, so its outcome is not known yet.
pub fn won_labels(leads: &[Lead], opps: &[Opportunity]) -> Vec<Option<bool>> {
    let index: HashMap<&str, usize> = leads.iter().enumerate().map(|(i, l)| (l.lead_id.as_str(), i)).collect();
    let mut by_account: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, l) in leads.iter().enumerate() {
        if let Some(a) = &l.account_id {
            by_account.entry(a).or_default().push(i);
        }
    }
    let (mut won, mut open) = (vec![false; leads.len()], vec![false; leads.len()]);
    for o in opps.iter().filter(|o| o.status != OppStatus::Lost) {
        let owners: &[usize] = match o.lead_id.as_deref().and_then(|l| index.get(l)) {
            Some(i) => std::slice::from_ref(i),
            None => o.account_id.as_deref().and_then(|a| by_account.get(a)).map_or(&[][..], |v| v.as_slice()),
        };
        let flags = if o.status == OppStatus::Won { &mut won } else { &mut open };
        for &i in owners {
            flags[i] = true;
        }
    }
    won.iter()
        .zip(&open)
        .map(|(&w, &o)| {
            if w {
                Some(true)
            } else if o {
                None
            } else {
                Some(false)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use leadrank_metrics::report::OppStatus::{Lost, Open, Won};

    fn opp(id: &str, lead: Option<&str>, account: Option<&str>, status: OppStatus) -> Opportunity {
        Opportunity {
            id: id.into(),
            lead_id: lead.map(Into::into),
            account_id: account.map(Into::into),
            created_at: None,
            closed_at: None,
            status,
            amount: None,
            loss_reason: None,
        }
    }

    /// Leads a..f; f and g share account acc.
    ///   a: won                      -> won
    ///   b: open                     -> censored (outcome unknown)
    ///   c: lost and open            -> censored
    ///   d: no opportunity           -> not won
    ///   e: lost                     -> not won
    ///   f, g: acc has an open deal naming only the account -> both censored
    ///   h: won and open             -> won
    #[test]
    fn open_deals_are_censored() {
        let lead = |id: &str, acc: Option<&str>| Lead { lead_id: id.into(), account_id: acc.map(Into::into), ..Lead::default() };
        let leads = vec![
            lead("a", None),
            lead("b", None),
            lead("c", None),
            lead("d", None),
            lead("e", None),
            lead("f", Some("acc")),
            lead("g", Some("acc")),
            lead("h", None),
        ];
        let opps = vec![
            opp("1", Some("a"), None, Won),
            opp("2", Some("b"), None, Open),
            opp("3", Some("c"), None, Lost),
            opp("4", Some("c"), None, Open),
            opp("5", Some("e"), None, Lost),
            opp("6", None, Some("acc"), Open),
            opp("7", Some("h"), None, Open),
            opp("8", Some("h"), None, Won),
        ];
        assert_eq!(won_labels(&leads, &opps), vec![Some(true), None, None, Some(false), Some(false), None, None, Some(true)]);
    }
}
