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

/// The lead whose phone survives, from leads most recent first: the first with a verified
/// phone, else the first whose phone is valid, else the first with a phone. Phones are
/// validated (the costly part of survivorship) only up to the first valid one, and each
/// invalid number and country once.
fn best_phone<'a>(by_recency: impl Iterator<Item = &'a Lead> + Clone) -> Option<&'a Lead> {
    let with_phone = by_recency.filter(|l| l.phone.is_some());
    if let Some(l) = with_phone.clone().find(|l| l.phone_verified == Some(true)) {
        return Some(l);
    }
    let mut first = None;
    let mut invalid: Vec<(&str, Option<&str>)> = Vec::new();
    for l in with_phone {
        first.get_or_insert(l);
        let Some(p) = l.phone.as_deref() else { continue };
        let country = l.country.as_deref().and_then(leadrank_facts::country::normalize);
        if invalid.contains(&(p, country)) {
            continue;
        }
        if leadrank_facts::phone::is_valid(p, country) {
            return Some(l);
        }
        invalid.push((p, country));
    }
    first
}

/// Merges one cluster (indexes into `leads`) into its surviving lead; returns the survivor's
/// index and the merged record.
pub fn merge_cluster(leads: &[Lead], cluster: &[u32]) -> Option<(u32, Lead)> {
    let members: Vec<u32> = cluster.iter().copied().filter(|&i| (i as usize) < leads.len()).collect();
    let get = |i: u32| &leads[i as usize];
    let survivor = survivor_of(leads, &members)?;
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
    let best_phone = best_phone(by_recency());
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

/// The survivor of a cluster: its oldest record (earliest `created_at`, records without one
/// first, then the first in the input); `None` when no index is in `leads`.
fn survivor_of(leads: &[Lead], cluster: &[u32]) -> Option<u32> {
    cluster.iter().copied().filter(|&i| (i as usize) < leads.len()).min_by_key(|&i| (leads[i as usize].created_at, i))
}

/// Clusters merged at a time by [`Survivors::leads`] (in parallel): the merged records of
/// one batch are held at once, not those of every cluster.
const MERGE_BATCH: usize = 4096;

/// Survivorship applied to every cluster, without copying the leads that stay as they are
/// and without holding every merged record: which records are dropped and the merge map,
/// as indexes; the merged survivors are computed a batch at a time as they are read.
#[derive(Debug, Clone)]
pub struct Survivors<'a> {
    leads: &'a [Lead],
    clusters: &'a [Vec<u32>],
    /// Per cluster with a survivor, ascending by survivor: (survivor index, cluster index).
    order: Vec<(u32, u32)>,
    /// Per input record: merged into another record (and left out of the output).
    pub dropped: Vec<bool>,
    /// Every record of every cluster, the survivor included, in cluster order: (record,
    /// survivor, cluster index).
    map: Vec<(u32, u32, u32)>,
}

impl<'a> Survivors<'a> {
    /// The merged leads in input order: records not in a cluster unchanged, one merged
    /// survivor per cluster, merged records left out. Survivors are merged a batch of
    /// clusters at a time, in parallel.
    pub fn leads(&self) -> impl Iterator<Item = std::borrow::Cow<'a, Lead>> + '_ {
        self.leads_in_batches(MERGE_BATCH)
    }

    fn leads_in_batches(&self, batch: usize) -> impl Iterator<Item = std::borrow::Cow<'a, Lead>> + '_ {
        use rayon::prelude::*;
        use std::borrow::Cow;
        let (leads, clusters) = (self.leads, self.clusters);
        // The next survivor in `order`, and the merged records of its batch still to yield.
        let mut next = 0usize;
        let mut merged: std::collections::VecDeque<Option<Lead>> = std::collections::VecDeque::new();
        leads.iter().enumerate().filter(|(i, _)| !self.dropped.get(*i).copied().unwrap_or(false)).map(move |(i, l)| {
            match self.order.get(next) {
                Some(&(s, _)) if s as usize == i => {}
                _ => return Cow::Borrowed(l),
            }
            if merged.is_empty() {
                let end = (next + batch.max(1)).min(self.order.len());
                let of_batch: Vec<Option<Lead>> = self.order[next..end]
                    .par_iter()
                    .map(|&(_, c)| clusters.get(c as usize).and_then(|members| merge_cluster(leads, members)).map(|(_, m)| m))
                    .collect();
                merged.extend(of_batch);
            }
            next += 1;
            match merged.pop_front().flatten() {
                Some(m) => Cow::Owned(m),
                // Cannot happen: a survivor's cluster has a survivor.
                None => Cow::Borrowed(l),
            }
        })
    }

    /// The merge map: every record of every cluster with its survivor, the survivor
    /// included (mapped to itself), in cluster order.
    pub fn map(&self) -> impl Iterator<Item = MergeEntry> + '_ {
        self.map.iter().map(|&(old, survivor, cluster)| MergeEntry {
            old_id: self.leads[old as usize].lead_id.clone(),
            survivor_id: self.leads[survivor as usize].lead_id.clone(),
            cluster: cluster as usize + 1,
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

/// Applies survivorship to every cluster, keeping only what changes (see [`Survivors`]).
pub fn survivors<'a>(leads: &'a [Lead], clusters: &'a [Vec<u32>]) -> Survivors<'a> {
    let mut dropped = vec![false; leads.len()];
    let mut map = Vec::new();
    let mut order = Vec::new();
    for (c, cluster) in clusters.iter().enumerate() {
        let Some(survivor) = survivor_of(leads, cluster) else { continue };
        order.push((survivor, c as u32));
        for &i in cluster {
            if (i as usize) >= leads.len() {
                continue;
            }
            if i != survivor {
                dropped[i as usize] = true;
            }
            map.push((i, survivor, c as u32));
        }
    }
    order.sort_unstable();
    Survivors { leads, clusters, order, dropped, map }
}

/// Applies survivorship to every cluster: [`survivors`] with the merged leads copied out.
pub fn merge_plan(leads: &[Lead], clusters: &[Vec<u32>]) -> MergePlan {
    let s = survivors(leads, clusters);
    MergePlan { leads: s.leads().map(std::borrow::Cow::into_owned).collect(), map: s.map().collect() }
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

    /// The ranking [`best_phone`] replaced: verified 3, valid 2, other 1; the first of the
    /// best rank in recency order wins.
    fn best_phone_by_rank(leads: &[&Lead]) -> Option<usize> {
        let rank = |l: &Lead| {
            if l.phone_verified == Some(true) {
                3
            } else if leadrank_facts::phone::is_valid(
                l.phone.as_deref().unwrap_or(""),
                l.country.as_deref().and_then(leadrank_facts::country::normalize),
            ) {
                2
            } else {
                1
            }
        };
        let mut best: Option<(u8, usize)> = None;
        for (i, l) in leads.iter().enumerate().filter(|(_, l)| l.phone.is_some()) {
            let r = rank(l);
            if best.is_none_or(|(b, _)| r > b) {
                best = Some((r, i));
            }
        }
        best.map(|(_, i)| i)
    }

    proptest::proptest! {
        #[test]
        fn best_phone_is_the_first_of_the_best_rank(
            members in proptest::collection::vec((0usize..7, proptest::option::of(proptest::bool::ANY), 0usize..4), 0..8)
        ) {
            const PHONES: [Option<&str>; 7] =
                [None, Some("+1 415 555 0132"), Some("(415) 555-0132"), Some("12345"), Some("+44 20 7946 0958"), Some("020 7946 0958"), Some("not a phone")];
            const COUNTRIES: [Option<&str>; 4] = [None, Some("US"), Some("GB"), Some("Germany")];
            let leads: Vec<Lead> = members
                .iter()
                .enumerate()
                .map(|(i, &(p, verified, c))| Lead {
                    lead_id: format!("L{i}"),
                    phone: PHONES[p].map(Into::into),
                    phone_verified: verified,
                    country: COUNTRIES[c].map(Into::into),
                    ..Lead::default()
                })
                .collect();
            let refs: Vec<&Lead> = leads.iter().collect();
            let fast = best_phone(refs.iter().copied()).map(|l| l.lead_id.clone());
            proptest::prop_assert_eq!(fast, best_phone_by_rank(&refs).map(|i| leads[i].lead_id.clone()));
        }
    }

    #[test]
    fn plan_drops_merged_records_and_maps_every_id() {
        let leads = vec![lead("A", "2026-02-01"), lead("B", "2026-01-01"), lead("C", "2026-01-05"), lead("D", "2026-03-01")];
        let plan = merge_plan(&leads, &[vec![0, 1, 3]]);
        let ids: Vec<&str> = plan.leads.iter().map(|l| l.lead_id.as_str()).collect();
        assert_eq!(ids, vec!["B", "C"]);
        assert_eq!(plan.map.len(), 3);
        assert!(plan.map.iter().all(|e| e.survivor_id == "B"));
        let clusters = [vec![0, 1, 3]];
        let s = survivors(&leads, &clusters);
        assert_eq!(s.len(), 2);
        assert_eq!(s.leads().map(|l| l.lead_id.clone()).collect::<Vec<_>>(), vec!["B", "C"]);
    }

    #[test]
    fn survivors_replace_only_the_surviving_records() {
        let mut leads = vec![lead("A", "2026-02-01"), lead("B", "2026-01-01"), lead("C", "2026-01-05"), lead("D", "2026-03-01")];
        leads[0].title = Some("CTO".into());
        leads[3].title = Some("CEO".into());
        let clusters = [vec![0, 1], vec![2, 3]];
        let s = survivors(&leads, &clusters);
        let out: Vec<(String, Option<String>)> = s.leads().map(|l| (l.lead_id.clone(), l.title.as_deref().map(str::to_string))).collect();
        assert_eq!(out, vec![("B".to_string(), Some("CTO".to_string())), ("C".to_string(), Some("CEO".to_string()))]);
        assert_eq!(merge_plan(&leads, &[vec![0, 1], vec![2, 3]]).leads, s.leads().map(std::borrow::Cow::into_owned).collect::<Vec<_>>());
    }

    #[test]
    fn survivors_merged_in_batches_are_each_cluster_merged() {
        // Clusters of the labelled set with its duplicates, merged a few at a time (batches
        // end inside runs of survivors): the same leads as merging every cluster at once.
        let set = crate::labelled::generate(300, 7);
        let cfg = crate::DedupeConfig::from_toml(crate::labelled::ADDRESS_CONFIG, "address").unwrap();
        let clusters = crate::Matcher::new(&cfg).run_leads(&set.leads, &mut |_| {}).clusters;
        assert!(clusters.len() > 20, "{}", clusters.len());
        let mut eager: Vec<(u32, Lead)> = clusters.iter().filter_map(|c| merge_cluster(&set.leads, c)).collect();
        eager.sort_by_key(|(i, _)| *i);
        let s = survivors(&set.leads, &clusters);
        let mut dropped = vec![false; set.leads.len()];
        for c in &clusters {
            let survivor = eager.iter().find(|(i, _)| c.contains(i)).map(|(i, _)| *i);
            c.iter().filter(|&&i| Some(i) != survivor).for_each(|&i| dropped[i as usize] = true);
        }
        let expected: Vec<Lead> = set
            .leads
            .iter()
            .enumerate()
            .filter(|(i, _)| !dropped[*i])
            .map(|(i, l)| eager.iter().find(|(s, _)| *s as usize == i).map_or_else(|| l.clone(), |(_, m)| m.clone()))
            .collect();
        for batch in [1, 2, 5, MERGE_BATCH] {
            let got: Vec<Lead> = s.leads_in_batches(batch).map(std::borrow::Cow::into_owned).collect();
            assert_eq!(got, expected, "batch {batch}");
        }
        assert_eq!(s.len(), expected.len());
        let mut map = Vec::new();
        for (c, cluster) in clusters.iter().enumerate() {
            let survivor = eager.iter().find(|(i, _)| cluster.contains(i)).map(|(i, _)| *i as usize).unwrap();
            for &i in cluster {
                let (old_id, survivor_id) = (set.leads[i as usize].lead_id.clone(), set.leads[survivor].lead_id.clone());
                map.push(MergeEntry { old_id, survivor_id, cluster: c + 1 });
            }
        }
        assert_eq!(s.map().collect::<Vec<_>>(), map);
    }
}
