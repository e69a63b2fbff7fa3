//! Lead quality on the live data: conversion and lift by score decile, quality against
//! volume by source, and weekly trends, over the leads a filter keeps. Every figure comes
//! with its count; a group under [`SMALL_SAMPLE`] leads is marked, and a rate without data
//! is `None`, never 0.
//!
//! Outcomes are the leads' current lifecycle stages: "sql+" is sql, opportunity, won or lost
//! (lost deals were qualified first); "won" is won. Revenue comes from the stored deals, each
//! attributed to one lead as `leadrank report` does; without any deal amount it is `None`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use leadrank_lifecycle::Stage;
use leadrank_metrics::report::{LeadObs, OppStatus, owners};

use crate::Service;

/// Groups with fewer leads than this are marked as small samples.
pub const SMALL_SAMPLE: usize = 30;

/// One lead as the quality view reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadFacts {
    pub lead_id: String,
    pub source: Option<String>,
    pub campaign: Option<String>,
    pub created_at: Option<Timestamp>,
    pub total: i32,
    pub quality: bool,
    pub stage: Option<Stage>,
    /// Amounts of the won deals attributed to the lead (deals without an amount add 0).
    pub won_amount: f64,
    /// Won deals attributed to the lead.
    pub deals_won: u32,
}

impl LeadFacts {
    fn sql_plus(&self) -> bool {
        matches!(self.stage, Some(Stage::Sql | Stage::Opportunity | Stage::Won | Stage::Lost))
    }

    fn won(&self) -> bool {
        self.stage == Some(Stage::Won)
    }
}

/// Which leads count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QualityFilter {
    /// Created at or after.
    pub from: Option<Timestamp>,
    /// Created before.
    pub until: Option<Timestamp>,
    pub source: Option<String>,
    pub campaign: Option<String>,
}

impl QualityFilter {
    fn keeps(&self, l: &LeadFacts) -> bool {
        let in_period = match (self.from, self.until) {
            (None, None) => true,
            _ => l.created_at.is_some_and(|t| self.from.is_none_or(|f| t >= f) && self.until.is_none_or(|u| t < u)),
        };
        in_period
            && self.source.as_deref().is_none_or(|s| l.source.as_deref() == Some(s))
            && self.campaign.as_deref().is_none_or(|c| l.campaign.as_deref() == Some(c))
    }
}

/// Counts and rates of one group of leads.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub label: String,
    pub leads: usize,
    pub quality: usize,
    pub sql_plus: usize,
    pub won: usize,
    /// Lowest and highest score in the group.
    pub min_score: i32,
    pub max_score: i32,
    /// Won deals attributed to the group's leads, and their amounts.
    pub deals_won: usize,
    pub won_amount: f64,
}

impl Group {
    fn of<'a>(label: String, leads: impl Iterator<Item = &'a LeadFacts>) -> Group {
        let mut g = Group {
            label,
            leads: 0,
            quality: 0,
            sql_plus: 0,
            won: 0,
            min_score: i32::MAX,
            max_score: i32::MIN,
            deals_won: 0,
            won_amount: 0.0,
        };
        for l in leads {
            g.leads += 1;
            g.deals_won += l.deals_won as usize;
            g.won_amount += l.won_amount;
            g.quality += usize::from(l.quality);
            g.sql_plus += usize::from(l.sql_plus());
            g.won += usize::from(l.won());
            g.min_score = g.min_score.min(l.total);
            g.max_score = g.max_score.max(l.total);
        }
        if g.leads == 0 {
            (g.min_score, g.max_score) = (0, 0);
        }
        g
    }

    fn rate(n: usize, of: usize) -> Option<f64> {
        (of > 0).then(|| n as f64 / of as f64)
    }

    pub fn quality_rate(&self) -> Option<f64> {
        Self::rate(self.quality, self.leads)
    }

    pub fn sql_rate(&self) -> Option<f64> {
        Self::rate(self.sql_plus, self.leads)
    }

    pub fn won_rate(&self) -> Option<f64> {
        Self::rate(self.won, self.leads)
    }

    pub fn small(&self) -> bool {
        self.leads < SMALL_SAMPLE
    }
}

/// The quality view of the kept leads.
#[derive(Debug, Clone, PartialEq)]
pub struct QualityView {
    pub all: Group,
    /// Decile 1 holds the highest scores; ties are split by lead id.
    pub deciles: Vec<Group>,
    /// Most leads first.
    pub sources: Vec<Group>,
    /// By ISO week of creation (`2026-W09`), oldest first; leads without a creation time
    /// are counted in `undated`.
    pub weeks: Vec<Group>,
    pub undated: usize,
    /// The values the filters can take.
    pub source_values: Vec<String>,
    pub campaign_values: Vec<String>,
    /// Whether any stored deal has an amount: without one, revenue is "n/a", not 0.
    pub amounts_known: bool,
}

impl QualityView {
    /// The share of the kept leads' won revenue that a group holds (`None` without amounts
    /// or without won revenue).
    pub fn revenue_share(&self, g: &Group) -> Option<f64> {
        (self.amounts_known && self.all.won_amount > 0.0).then(|| g.won_amount / self.all.won_amount)
    }

    /// The sql+ rate of a group over the whole's (`None` without data).
    pub fn lift(&self, g: &Group) -> Option<f64> {
        match (g.sql_rate(), self.all.sql_rate()) {
            (Some(r), Some(base)) if base > 0.0 => Some(r / base),
            _ => None,
        }
    }
}

/// Builds the view (pure: no clock, no store). `amounts_known` says whether any deal has an
/// amount.
pub fn quality_view(all: &[LeadFacts], filter: &QualityFilter, amounts_known: bool) -> QualityView {
    let mut source_values: Vec<String> = all.iter().filter_map(|l| l.source.clone()).collect();
    source_values.sort();
    source_values.dedup();
    let mut campaign_values: Vec<String> = all.iter().filter_map(|l| l.campaign.clone()).collect();
    campaign_values.sort();
    campaign_values.dedup();
    let mut kept: Vec<&LeadFacts> = all.iter().filter(|l| filter.keeps(l)).collect();
    kept.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.lead_id.cmp(&b.lead_id)));
    let n = kept.len();
    let deciles = if n == 0 {
        Vec::new()
    } else {
        (0..10.min(n))
            .map(|d| {
                let k = 10.min(n);
                let (start, end) = (d * n / k, (d + 1) * n / k);
                Group::of(format!("{}", d + 1), kept[start..end].iter().copied())
            })
            .collect()
    };
    let mut by_source: BTreeMap<String, Vec<&LeadFacts>> = BTreeMap::new();
    for l in &kept {
        by_source.entry(l.source.clone().unwrap_or_else(|| "(none)".into())).or_default().push(l);
    }
    let mut sources: Vec<Group> = by_source.into_iter().map(|(s, v)| Group::of(s, v.into_iter())).collect();
    sources.sort_by(|a, b| b.leads.cmp(&a.leads).then_with(|| a.label.cmp(&b.label)));
    let mut by_week: BTreeMap<String, Vec<&LeadFacts>> = BTreeMap::new();
    let mut undated = 0;
    for l in &kept {
        match l.created_at {
            Some(t) => {
                let d = t.to_zoned(jiff::tz::TimeZone::UTC).date().iso_week_date();
                by_week.entry(format!("{}-W{:02}", d.year(), d.week())).or_default().push(l);
            }
            None => undated += 1,
        }
    }
    QualityView {
        all: Group::of("all".into(), kept.iter().copied()),
        deciles,
        sources,
        weeks: by_week.into_iter().map(|(w, v)| Group::of(w, v.into_iter())).collect(),
        undated,
        source_values,
        campaign_values,
        amounts_known,
    }
}

impl Service {
    /// Every lead with its current score, stage and attributed won deals, for
    /// [`quality_view`]; and whether any deal has an amount.
    pub fn lead_facts(&self) -> (Vec<LeadFacts>, bool) {
        let deals = self.deals();
        let amounts_known = deals.iter().any(|d| d.amount.is_some());
        let facts = self.read_state(|live, ops| {
            let mut facts: Vec<LeadFacts> = Vec::new();
            let mut obs: Vec<LeadObs> = Vec::new();
            for l in live.book.leads() {
                let Some(cur) = live.current.get(&l.lead_id) else { continue };
                obs.push(LeadObs {
                    lead_id: l.lead_id.clone(),
                    account_id: l.account_id.as_deref().map(str::to_string),
                    created_at: l.created_at.map(|t| t.as_second()),
                    ..LeadObs::default()
                });
                facts.push(LeadFacts {
                    lead_id: l.lead_id.clone(),
                    source: l.source.as_deref().map(str::to_string),
                    campaign: l.campaign.as_deref().map(str::to_string),
                    created_at: l.created_at,
                    total: cur.score.total,
                    quality: cur.score.quality,
                    stage: ops.leads.get(&l.lead_id).map(|s| s.lifecycle.stage),
                    won_amount: 0.0,
                    deals_won: 0,
                });
            }
            for (deal, owner) in deals.iter().zip(owners(&obs, &deals)) {
                if let (Some(i), OppStatus::Won) = (owner, deal.status) {
                    facts[i].deals_won += 1;
                    facts[i].won_amount += deal.amount.unwrap_or(0.0);
                }
            }
            facts
        });
        (facts, amounts_known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(i: usize, source: &str, total: i32, stage: Stage, created: &str) -> LeadFacts {
        LeadFacts {
            lead_id: format!("L{i:03}"),
            source: Some(source.into()),
            campaign: None,
            created_at: Some(created.parse().unwrap()),
            total,
            quality: total >= 80,
            stage: Some(stage),
            won_amount: if stage == Stage::Won { 1000.0 } else { 0.0 },
            deals_won: u32::from(stage == Stage::Won),
        }
    }

    #[test]
    fn deciles_sources_and_weeks_count_every_kept_lead_once() {
        // 100 leads scored 0..99; the top 10 reached sql, 5 of them won; web and event alternate.
        let leads: Vec<LeadFacts> = (0..100)
            .map(|i| {
                let stage = if i >= 95 {
                    Stage::Won
                } else if i >= 90 {
                    Stage::Sql
                } else {
                    Stage::Mql
                };
                let created = if i % 2 == 0 { "2026-03-02T10:00:00Z" } else { "2026-03-09T10:00:00Z" };
                lead(i, if i % 2 == 0 { "web" } else { "event" }, i as i32, stage, created)
            })
            .collect();
        let v = quality_view(&leads, &QualityFilter::default(), true);
        assert_eq!((v.all.leads, v.all.quality, v.all.sql_plus, v.all.won), (100, 20, 10, 5));
        assert_eq!(v.deciles.len(), 10);
        assert_eq!(v.deciles.iter().map(|d| d.leads).sum::<usize>(), 100);
        assert_eq!((v.deciles[0].min_score, v.deciles[0].max_score, v.deciles[0].sql_plus), (90, 99, 10));
        assert_eq!(v.lift(&v.deciles[0]), Some(10.0));
        assert_eq!(v.lift(&v.deciles[9]), Some(0.0));
        assert_eq!((v.all.deals_won, v.all.won_amount), (5, 5000.0));
        assert_eq!(v.revenue_share(&v.deciles[0]), Some(1.0), "the won deals are all in the top decile");
        assert_eq!(v.revenue_share(&v.deciles[1]), Some(0.0));
        let unknown = quality_view(&leads, &QualityFilter::default(), false);
        assert_eq!(unknown.revenue_share(&unknown.deciles[0]), None, "no deal amount: no revenue share");
        assert!(v.deciles[0].small(), "10 leads is a small sample");
        assert_eq!(v.sources.iter().map(|s| (s.label.as_str(), s.leads)).collect::<Vec<_>>(), [("event", 50), ("web", 50)]);
        assert_eq!(v.weeks.iter().map(|w| (w.label.as_str(), w.leads)).collect::<Vec<_>>(), [("2026-W10", 50), ("2026-W11", 50)]);
        // Filters: one source, one period.
        let f = QualityFilter {
            source: Some("web".into()),
            from: Some("2026-03-01T00:00:00Z".parse().unwrap()),
            until: Some("2026-03-08T00:00:00Z".parse().unwrap()),
            ..QualityFilter::default()
        };
        let w = quality_view(&leads, &f, true);
        assert_eq!(w.all.leads, 50);
        assert_eq!(w.source_values, ["event", "web"], "filter values come from every lead");
        // Nothing kept: no rate is invented.
        let none = quality_view(&leads, &QualityFilter { source: Some("fax".into()), ..QualityFilter::default() }, true);
        assert_eq!((none.all.leads, none.all.sql_rate(), none.deciles.len()), (0, None, 0));
        assert_eq!(none.lift(&none.all), None);
        assert_eq!(none.revenue_share(&none.all), None);
    }
}
