//! Survivorship: one surviving record per duplicate cluster, and the merge map.
//!
//! Rules, applied per field over the cluster's records ordered from the most recent
//! (`created_at`, then later input position) to the oldest:
//! * the survivor's id is the **oldest** record's (earliest `created_at`, records without
//!   one count as oldest, then the first in the input), so references to the original stay
//!   valid; its `created_at` is the earliest too (when the person first appeared);
//! * every other field takes the **most recent non-empty value**;
//! * `email`: a corporate address beats a free-mail one, which beats a disposable or an
//!   invalid one; the most recent within the best kind;
//! * `phone`: a verified phone beats a valid one, which beats any other; `phone_verified`
//!   travels with the chosen phone;
//! * `consent` and `consent_at` travel together, from the record with the latest
//!   `consent_at` (else the most recent non-empty consent);
//! * `tech_stack`: the union, most recent first; custom columns: most recent non-empty.
//!
//! Nothing is lost: every merged id appears in the merge map with its survivor.

use leadrank_core::Lead;
use leadrank_facts::email::{self, EmailKind};
use serde::Serialize;

/// One line of the merge map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergeEntry {
    pub old_id: String,
    pub survivor_id: String,
    /// Number of the cluster (1-based, in cluster order).
    pub cluster: usize,
}

/// The merged leads (input order, merged records removed, survivors rewritten) and the map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergePlan {
    pub leads: Vec<Lead>,
    /// Every record of every cluster, the survivor included (mapped to itself).
    pub map: Vec<MergeEntry>,
}

fn email_rank(e: Option<&str>) -> u8 {
    match e.map(|e| email::classify(e).kind) {
        Some(EmailKind::Corporate) => 3,
        Some(EmailKind::FreeMail) => 2,
        Some(_) => 1,
        None => 0,
    }
}

fn phone_rank(l: &Lead) -> u8 {
    let Some(p) = l.phone.as_deref() else { return 0 };
    if l.phone_verified == Some(true) {
        return 3;
    }
    let country = l.country.as_deref().and_then(leadrank_facts::country::normalize);
    if leadrank_facts::phone::is_valid(p, country) { 2 } else { 1 }
}

/// Merges one cluster (indexes into `leads`) into its surviving lead; returns the survivor's
/// index and the merged record.
pub fn merge_cluster(leads: &[Lead], cluster: &[u32]) -> Option<(u32, Lead)> {
    let members: Vec<u32> = cluster.iter().copied().filter(|&i| (i as usize) < leads.len()).collect();
    let get = |i: u32| &leads[i as usize];
    let survivor = *members.iter().min_by_key(|&&i| (get(i).created_at, i))?;
    // Most recent first.
    let mut recent = members.clone();
    recent.sort_by_key(|&b| std::cmp::Reverse((get(b).created_at, b)));
    let by_recency = || recent.iter().map(|&i| get(i));
    let first_text = |f: fn(&Lead) -> &Option<Box<str>>| by_recency().find_map(|l| f(l).clone());
    let mut out = get(survivor).clone();
    // The first of the best kind in recency order wins (each record's kind found once).
    let first_best = |rank: &dyn Fn(&Lead) -> u8, has: fn(&Lead) -> bool| {
        by_recency().filter(|l| has(l)).map(|l| (rank(l), l)).fold(None::<(u8, &Lead)>, |best, (r, l)| match best {
            Some((best_rank, b)) if best_rank >= r => Some((best_rank, b)),
            _ => Some((r, l)),
        })
    };
    let best_email = first_best(&|l| email_rank(l.email.as_deref()), |l| l.email.is_some()).map(|(_, l)| l);
    out.email = best_email.and_then(|l| l.email.clone());
    let best_phone = first_best(&phone_rank, |l| l.phone.is_some()).map(|(_, l)| l);
    out.phone = best_phone.and_then(|l| l.phone.clone());
    out.phone_verified = best_phone.and_then(|l| l.phone_verified).or_else(|| by_recency().find_map(|l| l.phone_verified));
    out.first_name = first_text(|l| &l.first_name);
    out.last_name = first_text(|l| &l.last_name);
    out.title = first_text(|l| &l.title);
    out.company = first_text(|l| &l.company);
    out.domain = first_text(|l| &l.domain);
    out.account_id = first_text(|l| &l.account_id);
    out.industry = first_text(|l| &l.industry);
    out.country = first_text(|l| &l.country);
    out.source = first_text(|l| &l.source);
    out.campaign = first_text(|l| &l.campaign);
    out.use_case = first_text(|l| &l.use_case);
    out.honeypot = first_text(|l| &l.honeypot);
    out.employees = by_recency().find_map(|l| l.employees);
    out.annual_revenue = by_recency().find_map(|l| l.annual_revenue);
    out.budget_owner = by_recency().find_map(|l| l.budget_owner);
    out.timeline_days = by_recency().find_map(|l| l.timeline_days);
    out.contract_end = by_recency().find_map(|l| l.contract_end);
    out.created_at = members.iter().filter_map(|&i| get(i).created_at).min();
    let consent_from = by_recency()
        .filter(|l| l.consent.is_some() && l.consent_at.is_some())
        .max_by_key(|l| l.consent_at)
        .or_else(|| by_recency().find(|l| l.consent.is_some()));
    out.consent = consent_from.and_then(|l| l.consent);
    out.consent_at = consent_from.and_then(|l| l.consent_at);
    let mut stack: Vec<String> = Vec::new();
    for l in by_recency() {
        for t in &l.tech_stack {
            if !stack.iter().any(|s| s.eq_ignore_ascii_case(t)) {
                stack.push(t.clone());
            }
        }
    }
    out.tech_stack = stack;
    let mut custom: Vec<(String, String)> = Vec::new();
    for l in by_recency() {
        for (k, v) in &l.custom {
            if !custom.iter().any(|(n, _)| n == k) {
                custom.push((k.clone(), v.clone()));
            }
        }
    }
    // Keep the survivor's column order, then new columns.
    let mut ordered: Vec<(String, String)> = Vec::new();
    for (k, _) in get(survivor).custom.iter().chain(custom.iter()) {
        if let Some(kv) = custom.iter().find(|(n, _)| n == k)
            && !ordered.iter().any(|(n, _)| n == k)
        {
            ordered.push(kv.clone());
        }
    }
    out.custom = ordered;
    Some((survivor, out))
}

/// Survivorship applied to every cluster, without copying the leads that stay as they are:
/// the merged survivors, which records are dropped, and the merge map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Survivors {
    /// Per cluster with a survivor: (survivor index, merged record), ascending by index.
    pub merged: Vec<(u32, Lead)>,
    /// Per input record: merged into another record (and left out of the output).
    pub dropped: Vec<bool>,
    /// Every record of every cluster, the survivor included (mapped to itself).
    pub map: Vec<MergeEntry>,
}

impl Survivors {
    /// The merged leads in input order: records not in a cluster unchanged, one survivor per
    /// cluster, merged records left out. `leads` must be the input the survivors were
    /// computed from.
    pub fn leads<'a>(&'a self, leads: &'a [Lead]) -> impl Iterator<Item = &'a Lead> + 'a {
        let mut merged = self.merged.iter().peekable();
        leads.iter().enumerate().filter(|(i, _)| !self.dropped.get(*i).copied().unwrap_or(false)).map(move |(i, l)| {
            match merged.next_if(|(s, _)| *s as usize == i) {
                Some((_, m)) => m,
                None => l,
            }
        })
    }

    /// How many leads [`Survivors::leads`] yields.
    pub fn len(&self) -> usize {
        self.dropped.iter().filter(|d| !**d).count()
    }

    /// Whether [`Survivors::leads`] yields nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Applies survivorship to every cluster (in parallel), keeping only what changes.
pub fn survivors(leads: &[Lead], clusters: &[Vec<u32>]) -> Survivors {
    use rayon::prelude::*;
    let merged: Vec<Option<(u32, Lead)>> = clusters.par_iter().map(|c| merge_cluster(leads, c)).collect();
    let mut dropped = vec![false; leads.len()];
    let mut map = Vec::new();
    for (c, (cluster, m)) in clusters.iter().zip(&merged).enumerate() {
        let Some((survivor, _)) = m else { continue };
        let survivor_id = &leads[*survivor as usize].lead_id;
        for &i in cluster {
            if (i as usize) >= leads.len() {
                continue;
            }
            if i != *survivor {
                dropped[i as usize] = true;
            }
            map.push(MergeEntry { old_id: leads[i as usize].lead_id.clone(), survivor_id: survivor_id.clone(), cluster: c + 1 });
        }
    }
    let mut merged: Vec<(u32, Lead)> = merged.into_iter().flatten().collect();
    merged.sort_by_key(|(s, _)| *s);
    Survivors { merged, dropped, map }
}

/// Applies survivorship to every cluster: [`survivors`] with the merged leads copied out.
pub fn merge_plan(leads: &[Lead], clusters: &[Vec<u32>]) -> MergePlan {
    let s = survivors(leads, clusters);
    MergePlan { leads: s.leads(leads).cloned().collect(), map: s.map }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leadrank_core::records::parse_time;

    fn lead(id: &str, created: &str) -> Lead {
        Lead { lead_id: id.into(), created_at: parse_time(created).unwrap(), ..Lead::default() }
    }

    #[test]
    fn survivorship_rules() {
        let mut a = lead("L1", "2026-01-01");
        a.email = Some("bob@acme.com".into());
        a.title = Some("Engineer".into());
        a.phone = Some("+1 415 555 0132".into());
        a.phone_verified = Some(true);
        a.consent = Some(true);
        a.consent_at = parse_time("2026-01-01").unwrap();
        a.tech_stack = vec!["Salesforce".into()];
        let mut b = lead("L2", "2026-03-01");
        b.email = Some("bob.smith@gmail.com".into());
        b.title = Some("VP Engineering".into());
        b.phone = Some("+1 415 555 0199".into());
        b.consent = Some(false);
        b.consent_at = parse_time("2026-03-01").unwrap();
        b.tech_stack = vec!["salesforce".into(), "Snowflake".into()];
        b.custom = vec![("seats".into(), "12".into())];
        let (s, m) = merge_cluster(&[a, b], &[0, 1]).unwrap();
        assert_eq!(s, 0);
        assert_eq!(m.lead_id, "L1");
        assert_eq!(m.email.as_deref(), Some("bob@acme.com"), "corporate over free-mail");
        assert_eq!(m.title.as_deref(), Some("VP Engineering"), "most recent");
        assert_eq!(m.phone.as_deref(), Some("+1 415 555 0132"), "verified over unverified");
        assert_eq!(m.phone_verified, Some(true));
        assert_eq!(m.consent, Some(false), "withdrawn later");
        assert_eq!(m.tech_stack, vec!["salesforce".to_string(), "Snowflake".into()]);
        assert_eq!(m.custom_field("seats"), Some("12"));
        assert_eq!(m.created_at, parse_time("2026-01-01").unwrap());
    }

    #[test]
    fn plan_drops_merged_records_and_maps_every_id() {
        let leads = vec![lead("A", "2026-02-01"), lead("B", "2026-01-01"), lead("C", "2026-01-05"), lead("D", "2026-03-01")];
        let plan = merge_plan(&leads, &[vec![0, 1, 3]]);
        let ids: Vec<&str> = plan.leads.iter().map(|l| l.lead_id.as_str()).collect();
        assert_eq!(ids, vec!["B", "C"]);
        assert_eq!(plan.map.len(), 3);
        assert!(plan.map.iter().all(|e| e.survivor_id == "B"));
        let s = survivors(&leads, &[vec![0, 1, 3]]);
        assert_eq!(s.len(), 2);
        assert_eq!(s.leads(&leads).map(|l| l.lead_id.as_str()).collect::<Vec<_>>(), vec!["B", "C"]);
    }

    #[test]
    fn survivors_replace_only_the_surviving_records() {
        let mut leads = vec![lead("A", "2026-02-01"), lead("B", "2026-01-01"), lead("C", "2026-01-05"), lead("D", "2026-03-01")];
        leads[0].title = Some("CTO".into());
        leads[3].title = Some("CEO".into());
        let s = survivors(&leads, &[vec![0, 1], vec![2, 3]]);
        let out: Vec<(&str, Option<&str>)> = s.leads(&leads).map(|l| (l.lead_id.as_str(), l.title.as_deref())).collect();
        assert_eq!(out, vec![("B", Some("CTO")), ("C", Some("CEO"))]);
        assert_eq!(merge_plan(&leads, &[vec![0, 1], vec![2, 3]]).leads, s.leads(&leads).cloned().collect::<Vec<_>>());
    }
}
