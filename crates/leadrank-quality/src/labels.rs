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

/// Per lead: won (a won opportunity names it, or only its account).
pub fn won_labels(leads: &[Lead], opps: &[Opportunity]) -> Vec<bool> {
    let index: HashMap<&str, usize> = leads.iter().enumerate().map(|(i, l)| (l.lead_id.as_str(), i)).collect();
    let mut by_account: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, l) in leads.iter().enumerate() {
        if let Some(a) = &l.account_id {
            by_account.entry(a).or_default().push(i);
        }
    }
    let mut won = vec![false; leads.len()];
    for o in opps.iter().filter(|o| o.status == OppStatus::Won) {
        match o.lead_id.as_deref().and_then(|l| index.get(l)) {
            Some(&i) => won[i] = true,
            None => {
                for &i in o.account_id.as_deref().and_then(|a| by_account.get(a)).map_or(&[][..], |v| v.as_slice()) {
                    won[i] = true;
                }
            }
        }
    }
    won
}
