//! The data-quality report: per field, values missing, invalid or suspicious with example
//! lead ids; decayed records; consent coverage; duplicates; bot risk; and what it costs in
//! the Integrity dimension of the model.

use rayon::prelude::*;
use serde::Serialize;

use leadrank_core::engine::LeadFacts;
use leadrank_core::model::format::{ConditionSpec, ListRef, ModelFile};
use leadrank_core::{CompiledModel, Lead, Score};
use leadrank_facts::email::{self, EmailKind};

use crate::risk::{self, EventSignals, Risk};

/// How many example lead ids a check keeps.
pub const EXAMPLES: usize = 5;

/// A row the reader rejected, for the report (`location` is `file:line[:column]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    pub field: Option<String>,
    pub location: String,
    pub message: String,
}

/// One check over one field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub field: String,
    pub check: String,
    /// `missing`, `invalid` or `suspicious`.
    pub kind: &'static str,
    pub count: u64,
    /// Share of the leads (rejected rows included in the denominator).
    pub share: f64,
    /// Up to five lead ids (or `file:line` for rejected rows).
    pub examples: Vec<String>,
}

/// Records that look decayed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Decay {
    pub bounced_email: u64,
    pub invalid_phone: u64,
    /// Leads with either.
    pub decayed: u64,
    pub share: f64,
    pub examples: Vec<String>,
}

/// Consent coverage.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Consent {
    pub granted: u64,
    pub denied: u64,
    pub unknown: u64,
    /// Share of leads with consent granted.
    pub coverage: f64,
    /// Consent true without a `consent_at` (cannot be proven).
    pub granted_without_time: u64,
}

/// Duplicate clusters found by the fuzzy matcher.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Duplicates {
    pub clusters: u64,
    pub records_in_clusters: u64,
    /// Records that a merge would remove.
    pub redundant_records: u64,
    pub share: f64,
    /// Example clusters as lead ids.
    pub examples: Vec<Vec<String>>,
}

/// Bot and spam risk.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RiskSummary {
    pub high: u64,
    /// 25..49.
    pub medium: u64,
    /// Per reason: (reason, leads, examples).
    pub reasons: Vec<(String, u64, Vec<String>)>,
}

/// What the data costs in the model's Integrity dimension and its data penalties
/// (see [`IntegrityRules`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IntegrityCost {
    /// The model's integrity dimension: id, label and cap (`None`: uncapped).
    pub dimension: String,
    pub label: String,
    pub cap: Option<i64>,
    /// Points the dimension could give at its cap (uncapped: the sum of its rules' points),
    /// over all leads.
    pub possible: i64,
    pub earned: i64,
    pub lost: i64,
    /// Per integrity rule: leads that did not earn it.
    pub rules_missed: Vec<(String, u64)>,
    /// Per data penalty rule (default model: personal_email, bounced_email, spam): (rule,
    /// leads, points).
    pub penalties: Vec<(String, u64, i64)>,
}

/// The whole report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct HygieneReport {
    pub leads: u64,
    pub rejected_rows: u64,
    pub checks: Vec<Check>,
    pub decay: Decay,
    pub consent: Consent,
    pub duplicates: Duplicates,
    pub risk: RiskSummary,
    pub integrity: Option<IntegrityCost>,
}

/// What the report is computed from.
pub struct Input<'a> {
    pub leads: &'a [Lead],
    pub rejected: &'a [RejectedRow],
    /// Per lead (same order), when events were given.
    pub signals: Option<&'a [EventSignals]>,
    /// Per lead: any `email_bounce`, when events were given.
    pub bounced: Option<&'a [bool]>,
    /// Duplicate clusters (indexes into `leads`).
    pub clusters: &'a [Vec<u32>],
    /// Scores with the model and the model's integrity rules, for the Integrity cost.
    pub scores: Option<(&'a [Score], &'a IntegrityRules)>,
    /// The report time, Unix seconds (dates after it are "future").
    pub as_of: i64,
}

#[derive(Default)]
struct Acc {
    count: u64,
    examples: Vec<String>,
}

impl Acc {
    fn add(&mut self, id: &str) {
        self.count += 1;
        if self.examples.len() < EXAMPLES {
            self.examples.push(id.to_string());
        }
    }
}

/// The checks, in report order: (field, check, kind).
const CHECKS: &[(&str, &str, &str)] = &[
    ("email", "missing", "missing"),
    ("email", "invalid syntax", "invalid"),
    ("email", "disposable domain", "invalid"),
    ("email", "free-mail domain", "suspicious"),
    ("email", "role address (info@, sales@, ...)", "suspicious"),
    ("phone", "missing", "missing"),
    ("phone", "not valid for the country", "invalid"),
    ("phone", "prefix of another country", "suspicious"),
    ("country", "missing", "missing"),
    ("country", "not recognised", "invalid"),
    ("first_name", "missing", "missing"),
    ("last_name", "missing", "missing"),
    ("name", "gibberish or keyboard walk", "suspicious"),
    ("company", "missing", "missing"),
    ("employees", "missing", "missing"),
    ("created_at", "missing", "missing"),
    ("created_at", "in the future", "invalid"),
    ("consent_at", "in the future", "invalid"),
    ("honeypot", "filled", "suspicious"),
];

fn lead_checks(lead: &Lead, as_of: i64) -> Vec<usize> {
    let f = LeadFacts::new(lead);
    let mut hits = Vec::new();
    let mut hit = |i: usize| hits.push(i);
    match lead.email.as_deref() {
        None => hit(0),
        Some(e) => {
            match f.email_kind() {
                Some(EmailKind::Invalid) => hit(1),
                Some(EmailKind::Disposable) => hit(2),
                Some(EmailKind::FreeMail) => hit(3),
                _ => {}
            }
            if email::is_role_address(e) {
                hit(4);
            }
        }
    }
    match lead.phone.as_deref() {
        None => hit(5),
        Some(p) => {
            if !f.phone_valid() {
                hit(6);
            } else if let Some(c) = f.country_code()
                && risk::country_phone_mismatch(p, c).is_some()
            {
                hit(7);
            }
        }
    }
    match lead.country.as_deref() {
        None => hit(8),
        Some(_) if f.country_code().is_none() => hit(9),
        _ => {}
    }
    if lead.first_name.is_none() {
        hit(10);
    }
    if lead.last_name.is_none() {
        hit(11);
    }
    if f.gibberish().is_some() {
        hit(12);
    }
    if lead.company.is_none() {
        hit(13);
    }
    if lead.employees.is_none() {
        hit(14);
    }
    match lead.created_at {
        None => hit(15),
        Some(t) if t.as_second() > as_of => hit(16),
        _ => {}
    }
    if lead.consent_at.is_some_and(|t| t.as_second() > as_of) {
        hit(17);
    }
    if lead.honeypot.is_some() {
        hit(18);
    }
    hits
}

/// Computes the report.
pub fn report(input: &Input<'_>) -> HygieneReport {
    let n = input.leads.len() as u64;
    let total = n + input.rejected.len() as u64;
    let share = |c: u64| if total == 0 { 0.0 } else { c as f64 / total as f64 };
    let per_lead: Vec<Vec<usize>> = input.leads.par_iter().map(|l| lead_checks(l, input.as_of)).collect();
    let mut accs: Vec<Acc> = CHECKS.iter().map(|_| Acc::default()).collect();
    for (lead, hits) in input.leads.iter().zip(&per_lead) {
        for &h in hits {
            accs[h].add(&lead.lead_id);
        }
    }
    let mut checks: Vec<Check> = CHECKS
        .iter()
        .zip(accs)
        .map(|((field, check, kind), a)| Check {
            field: field.to_string(),
            check: check.to_string(),
            kind,
            count: a.count,
            share: share(a.count),
            examples: a.examples,
        })
        .collect();
    // Rejected rows: values the reader could not read (employees "many", a bad date, ...).
    let mut rejected: Vec<(String, Acc)> = Vec::new();
    for r in input.rejected {
        let field = r.field.clone().unwrap_or_else(|| "(row)".into());
        let i = match rejected.iter().position(|(f, _)| *f == field) {
            Some(i) => i,
            None => {
                rejected.push((field, Acc::default()));
                rejected.len() - 1
            }
        };
        rejected[i].1.add(&r.location);
    }
    for (field, a) in rejected {
        let check = if field == "employees" { "not a number (row rejected)" } else { "unreadable (row rejected)" };
        checks.push(Check { field, check: check.into(), kind: "invalid", count: a.count, share: share(a.count), examples: a.examples });
    }

    let mut decay = Decay::default();
    let mut decayed_acc = Acc::default();
    for (i, (lead, hits)) in input.leads.iter().zip(&per_lead).enumerate() {
        let bounced = input.bounced.and_then(|b| b.get(i)).copied().unwrap_or(false);
        let bad_phone = hits.contains(&6);
        decay.bounced_email += u64::from(bounced);
        decay.invalid_phone += u64::from(bad_phone);
        if bounced || bad_phone {
            decayed_acc.add(&lead.lead_id);
        }
    }
    decay.decayed = decayed_acc.count;
    decay.share = if n == 0 { 0.0 } else { decay.decayed as f64 / n as f64 };
    decay.examples = decayed_acc.examples;

    let mut consent = Consent::default();
    for l in input.leads {
        match l.consent {
            Some(true) => {
                consent.granted += 1;
                consent.granted_without_time += u64::from(l.consent_at.is_none());
            }
            Some(false) => consent.denied += 1,
            None => consent.unknown += 1,
        }
    }
    consent.coverage = if n == 0 { 0.0 } else { consent.granted as f64 / n as f64 };

    let in_clusters: u64 = input.clusters.iter().map(|c| c.len() as u64).sum();
    let duplicates = Duplicates {
        clusters: input.clusters.len() as u64,
        records_in_clusters: in_clusters,
        redundant_records: in_clusters - input.clusters.len() as u64,
        share: if n == 0 { 0.0 } else { in_clusters as f64 / n as f64 },
        examples: input
            .clusters
            .iter()
            .take(EXAMPLES)
            .map(|c| c.iter().filter_map(|&i| input.leads.get(i as usize)).map(|l| l.lead_id.clone()).collect())
            .collect(),
    };

    let empty = EventSignals::default();
    let signals_of = |i: usize| input.signals.and_then(|s| s.get(i)).unwrap_or(&empty);
    let bursts = input.signals.map(risk::ip_bursts).unwrap_or_default();
    let risks: Vec<Risk> = input
        .leads
        .par_iter()
        .enumerate()
        .map(|(i, l)| risk::assess(l, signals_of(i), bursts.get(&(i as u32)).map(String::as_str)))
        .collect();
    let mut summary = RiskSummary::default();
    let mut by_reason: Vec<Acc> = risk::REASONS.iter().map(|_| Acc::default()).collect();
    for (l, r) in input.leads.iter().zip(&risks) {
        if r.is_high() {
            summary.high += 1;
        } else if r.score >= 25 {
            summary.medium += 1;
        }
        for (reason, _) in &r.reasons {
            if let Some(i) = risk::REASONS.iter().position(|(n, _)| n == reason) {
                by_reason[i].add(&l.lead_id);
            }
        }
    }
    summary.reasons = risk::REASONS.iter().zip(by_reason).map(|((name, _), a)| (name.to_string(), a.count, a.examples)).collect();

    HygieneReport {
        leads: n,
        rejected_rows: input.rejected.len() as u64,
        checks,
        decay,
        consent,
        duplicates,
        risk: summary,
        integrity: input.scores.map(|(s, rules)| integrity_cost(s, rules)),
    }
}

/// Duplicate clusters by the exact duplicate keys (`leadrank_core` `DuplicateKeys`: the
/// normalised valid email, or the normalised full name within the same account key), as
/// indexes into `leads`. Each cluster is sorted and has at least two records; clusters are
/// ordered by their first record.
pub fn duplicate_clusters(leads: &[Lead]) -> Vec<Vec<u32>> {
    use leadrank_core::engine::facts::DuplicateKeys;
    use std::collections::HashMap;
    let keys: Vec<DuplicateKeys> = leads
        .par_iter()
        .map(|l| {
            let f = LeadFacts::new(l);
            DuplicateKeys::of(l, f.account_key().as_deref())
        })
        .collect();
    let mut parent: Vec<u32> = (0..leads.len() as u32).collect();
    fn root(parent: &mut [u32], mut i: u32) -> u32 {
        while parent[i as usize] != i {
            let up = parent[parent[i as usize] as usize];
            parent[i as usize] = up;
            i = up;
        }
        i
    }
    let mut by_email: HashMap<&str, u32> = HashMap::new();
    let mut by_name: HashMap<(&str, &str), u32> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        let i = i as u32;
        let mut firsts = Vec::new();
        if let Some(e) = k.email.as_deref() {
            firsts.push(*by_email.entry(e).or_insert(i));
        }
        if let Some((a, n)) = &k.name_in_account {
            firsts.push(*by_name.entry((a.as_str(), n.as_str())).or_insert(i));
        }
        for f in firsts {
            let (ra, rb) = (root(&mut parent, f), root(&mut parent, i));
            if ra != rb {
                parent[ra.max(rb) as usize] = ra.min(rb);
            }
        }
    }
    let mut groups: HashMap<u32, Vec<u32>> = HashMap::new();
    for i in 0..leads.len() as u32 {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut clusters: Vec<Vec<u32>> = groups.into_values().filter(|g| g.len() > 1).collect();
    clusters.sort_unstable();
    clusters
}

/// Facts (`fact = ...` in a model condition) that describe the quality of the data itself.
pub const DATA_QUALITY_FACTS: &[&str] = &[
    "email_kind",
    "phone_valid",
    "duplicate",
    "gibberish_name",
    "bot_user_agent",
    "form_burst",
    "ip_burst",
    "country_phone_mismatch",
    "bot_risk",
];
/// Lead fields (`field = ...`) that describe the quality of the data itself.
pub const DATA_QUALITY_FIELDS: &[&str] = &["honeypot"];
/// Event types (`event = ...`) that describe the quality of the data itself.
pub const DATA_QUALITY_EVENTS: &[&str] = &["email_bounce"];

/// The model's integrity dimension cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum IntegrityError {
    #[error("model {model}: cannot read its rules back from its source: {message}")]
    Source { model: String, message: String },
}

/// What the Integrity cost is computed from, read from a model: its `integrity` dimension
/// (id `integrity`) with its cap and rules, and its data penalties.
///
/// A data penalty is a rule with negative points, outside the integrity dimension, whose
/// condition reads a data-quality input anywhere in it (through `any`, `all` and `not`):
/// a fact of [`DATA_QUALITY_FACTS`], a field of [`DATA_QUALITY_FIELDS`], an event of
/// [`DATA_QUALITY_EVENTS`] among its event types, or an event `burst` (a bot
/// signal). In the default model these are `personal_email`, `bounced_email` and `spam`;
/// `careers_page`, `student` and `competitor` are penalties about the person, not the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntegrityRules {
    /// The dimension's id and label.
    pub dimension: String,
    pub label: String,
    /// Its cap; `None` when the model leaves it uncapped.
    pub cap: Option<i32>,
    /// Its rules with positive points, in model order: (id, points).
    pub rules: Vec<(String, i32)>,
    /// The data penalties, in model order: (id, points).
    pub penalties: Vec<(String, i32)>,
}

/// Whether a condition reads a data-quality input anywhere in it.
fn reads_data_quality(c: &ConditionSpec) -> bool {
    let named = |name: &str| DATA_QUALITY_FIELDS.contains(&name);
    if c.fact.as_deref().is_some_and(|f| DATA_QUALITY_FACTS.contains(&f)) || c.field.as_deref().is_some_and(named) {
        return true;
    }
    if let Some(event) = &c.event {
        // As the model compiler reads it: a bare string is one event type, not a list name.
        let types: &[String] = match event {
            ListRef::Inline(v) => v,
            ListRef::Named(t) => std::slice::from_ref(t),
        };
        if c.burst.is_some() || types.iter().any(|t| DATA_QUALITY_EVENTS.contains(&t.as_str())) {
            return true;
        }
    }
    c.any.iter().chain(&c.all).flatten().any(|x| reads_data_quality(x.get_ref()))
        || c.not.as_ref().is_some_and(|x| reads_data_quality(x.get_ref()))
}

impl IntegrityRules {
    /// Reads the integrity dimension and the data penalties of a compiled model (its rules'
    /// conditions are read back from the model's source). `Ok(None)` when the model has no
    /// dimension with id `integrity`.
    pub fn of(model: &CompiledModel) -> Result<Option<Self>, IntegrityError> {
        let Some(dim) = model.dimensions.iter().position(|d| &*d.id == "integrity") else { return Ok(None) };
        let file: ModelFile =
            toml::from_str(&model.source).map_err(|e| IntegrityError::Source { model: model.id(), message: e.to_string() })?;
        let spec_of = |id: &str| file.rules.iter().map(|r| r.get_ref()).find(|r| r.id == id);
        let d = &model.dimensions[dim];
        let rules = model.rules.iter().filter(|r| r.dimension == dim && r.points > 0).map(|r| (r.id.to_string(), r.points)).collect();
        let penalties = model
            .rules
            .iter()
            .filter(|r| r.dimension != dim && r.points < 0)
            .filter(|r| spec_of(&r.id).is_some_and(|s| reads_data_quality(s.when.get_ref())))
            .map(|r| (r.id.to_string(), r.points))
            .collect();
        Ok(Some(IntegrityRules { dimension: d.id.to_string(), label: d.label.clone(), cap: d.cap, rules, penalties }))
    }
}

/// The Integrity cost of scored leads: the points of the model's integrity dimension lost
/// below its cap (or, uncapped, below the sum of its rules' points), the leads that missed
/// each of its rules, and the data penalties that fired.
pub fn integrity_cost(scores: &[Score], model: &IntegrityRules) -> IntegrityCost {
    let per_lead = match model.cap {
        Some(cap) => i64::from(cap),
        None => model.rules.iter().map(|(_, p)| i64::from(*p)).sum(),
    };
    let mut c = IntegrityCost {
        dimension: model.dimension.clone(),
        label: model.label.clone(),
        cap: model.cap.map(i64::from),
        possible: per_lead * scores.len() as i64,
        ..IntegrityCost::default()
    };
    c.earned = scores.iter().map(|s| i64::from(s.dimensions.get(&model.dimension))).sum();
    c.lost = c.possible - c.earned;
    c.rules_missed = model
        .rules
        .iter()
        .map(|(r, _)| (r.clone(), scores.iter().filter(|s| !s.reasons.iter().any(|x| *x.rule == **r)).count() as u64))
        .collect();
    c.penalties = model
        .penalties
        .iter()
        .map(|(r, _)| {
            let hit: Vec<i64> =
                scores.iter().filter_map(|s| s.reasons.iter().find(|x| *x.rule == **r).map(|x| i64::from(x.points))).collect();
            (r.clone(), hit.len() as u64, hit.iter().sum())
        })
        .collect();
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use leadrank_core::records::parse_time;

    #[test]
    fn duplicate_clusters_follow_the_spec_keys() {
        let lead = |id: &str, email: &str, first: &str, last: &str, account: Option<&str>| Lead {
            lead_id: id.into(),
            email: Some(email.into()),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            account_id: account.map(Into::into),
            ..Lead::default()
        };
        let leads = vec![
            lead("L1", "Jane.Doe@acme.com", "Jane", "Doe", Some("A1")),
            lead("L2", "bob@globex.com", "Bob", "Stone", None),
            lead("L3", "jane.doe@ACME.com", "J", "Doe", None),
            lead("L4", "jd@acme.com", "Jane", "Doe", Some("A1")),
            lead("L5", "x@y", "Ann", "Lee", None),
            lead("L6", "x@y", "Tom", "Kay", None),
        ];
        // L1 = L3 by email, L1 = L4 by name in account A1; invalid emails never match.
        assert_eq!(duplicate_clusters(&leads), vec![vec![0, 2, 3]]);
    }

    /// A model whose integrity dimension differs from the default one: cap 12, two rules, a
    /// penalty dimension named `risk`, and data penalties written through an event-type list,
    /// `all` and `not`.
    pub(crate) const CUSTOM_MODEL: &str = include_str!("../tests/data/custom_integrity.toml");

    #[test]
    fn integrity_rules_of_the_default_model_are_the_spec_ones() {
        let rules = IntegrityRules::of(&leadrank_core::model::builtin::default_model()).unwrap().unwrap();
        assert_eq!((rules.dimension.as_str(), rules.cap), ("integrity", Some(15)));
        let ids = |v: &[(String, i32)]| v.iter().map(|(r, p)| format!("{r}:{p}")).collect::<Vec<_>>();
        assert_eq!(ids(&rules.rules), ["corporate_email:5", "phone_verified:5", "consent:5", "unique_record:5"]);
        assert_eq!(ids(&rules.penalties), ["personal_email:-10", "bounced_email:-20", "spam:-30"]);
    }

    #[test]
    fn integrity_rules_follow_a_custom_model() {
        let model = CompiledModel::from_toml(CUSTOM_MODEL, "custom.toml").unwrap();
        let rules = IntegrityRules::of(&model).unwrap().unwrap();
        assert_eq!((rules.label.as_str(), rules.cap), ("Reachability", Some(12)));
        assert_eq!(rules.rules, vec![("valid_phone".to_string(), 8), ("has_consent".to_string(), 6)]);
        let penalties: Vec<&str> = rules.penalties.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(penalties, ["bounced", "bot", "form_flood"], "student is about the person, not the data");

        // Two leads: one earns both rules (14, cut to 12) and bounced; one earns nothing.
        use leadrank_core::engine::{Dimensions, Reason};
        let reason = |rule: &str, dimension: &str, points: i32| Reason {
            rule: rule.into(),
            dimension: dimension.into(),
            points,
            detail: String::new(),
        };
        let score = |id: &str, integrity: i32, reasons: Vec<Reason>| Score {
            lead_id: id.into(),
            dimensions: Dimensions(vec![("integrity".into(), integrity)]),
            reasons,
            total: 0,
            quality: false,
            grade: "B".into(),
            cell: String::new(),
        };
        let scores = vec![
            score(
                "L1",
                12,
                vec![reason("valid_phone", "integrity", 8), reason("has_consent", "integrity", 6), reason("bounced", "risk", -25)],
            ),
            score("L2", 0, vec![reason("student", "risk", -15)]),
        ];
        let c = integrity_cost(&scores, &rules);
        assert_eq!((c.cap, c.possible, c.earned, c.lost), (Some(12), 24, 12, 12));
        assert_eq!(c.rules_missed, vec![("valid_phone".to_string(), 1), ("has_consent".to_string(), 1)]);
        assert_eq!(c.penalties, vec![("bounced".to_string(), 1, -25), ("bot".to_string(), 0, 0), ("form_flood".to_string(), 0, 0)]);

        // Without an integrity dimension there is no cost to report.
        let no_dim =
            CUSTOM_MODEL.replace("id = \"integrity\"", "id = \"reach\"").replace("dimension = \"integrity\"", "dimension = \"reach\"");
        let model = CompiledModel::from_toml(&no_dim, "custom.toml").unwrap();
        assert_eq!(IntegrityRules::of(&model).unwrap(), None);
    }

    #[test]
    fn international_names_idn_domains_and_long_tail_tlds_are_not_flagged() {
        let lead = |id: &str, first: &str, last: &str, email: &str, country: &str, phone: &str| Lead {
            lead_id: id.into(),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            email: Some(email.into()),
            country: Some(country.into()),
            phone: Some(phone.into()),
            ..Lead::default()
        };
        let leads = vec![
            lead("I1", "José", "Müller", "jose.mueller@bücher.de", "Germany", "+49 30 901820"),
            lead("I2", "Zoë", "Ng", "zoe@xn--bcher-kva.de", "DE", "+49 30 901820"),
            lead("I3", "太郎", "山田", "taro.yamada@sony.co.jp", "JP", "+81 3-6748-2111"),
            lead("I4", "Иван", "Петров", "ivan.petrov@пример.рф", "RU", "+7 495 739-70-00"),
            lead("I5", "Søren", "Ødegaard", "soren@louvre.museum", "DK", "+45 33 12 34 56"),
            lead("I6", "Siobhán", "Ó Briain", "siobhan@studio.photography", "IE", "+353 1 234 5678"),
            lead("I7", "Nguyễn", "Văn An", "an.nguyen@acme.co.uk", "GB", "+44 20 7946 0958"),
        ];
        let r = report(&Input {
            leads: &leads,
            rejected: &[],
            signals: None,
            bounced: None,
            clusters: &[],
            scores: None,
            as_of: parse_time("2026-06-30").unwrap().unwrap().as_second(),
        });
        let count = |field: &str, check: &str| {
            r.checks.iter().find(|c| c.field == field && c.check.starts_with(check)).map(|c| (c.count, c.examples.clone()))
        };
        for (field, check) in [
            ("email", "invalid syntax"),
            ("email", "disposable"),
            ("email", "free-mail"),
            ("email", "role address"),
            ("name", "gibberish"),
            ("country", "not recognised"),
        ] {
            assert_eq!(count(field, check), Some((0, vec![])), "{field} / {check}");
        }
        assert!(r.risk.reasons.iter().all(|(_, n, _)| *n == 0), "{:?}", r.risk.reasons);
    }

    #[test]
    fn checks_count_and_keep_examples() {
        let lead = |id: &str, email: Option<&str>, phone: Option<&str>, country: Option<&str>| Lead {
            lead_id: id.into(),
            email: email.map(Into::into),
            phone: phone.map(Into::into),
            country: country.map(Into::into),
            first_name: Some("Ana".into()),
            last_name: Some("Silva".into()),
            ..Lead::default()
        };
        let mut future = lead("L5", Some("ana@bücher.de"), None, Some("Deutschland"));
        future.created_at = parse_time("2030-01-01").unwrap();
        let leads = vec![
            lead("L1", Some("info@acme.photography"), Some("+44 20 7946 0958"), Some("GB")),
            lead("L2", Some("jane at acme.com"), Some("12345"), Some("Narnia")),
            lead("L3", Some("x@mailinator.com"), None, None),
            lead("L4", Some("bob@gmail.com"), Some("+44 20 7946 0958"), Some("US")),
            future,
        ];
        let rejected = vec![RejectedRow {
            field: Some("employees".into()),
            location: "leads.csv:7:9".into(),
            message: "'many' is not an integer".into(),
        }];
        let r = report(&Input {
            leads: &leads,
            rejected: &rejected,
            signals: None,
            bounced: Some(&[false, false, true, false, false]),
            clusters: &[vec![0, 3]],
            scores: None,
            as_of: parse_time("2026-06-30").unwrap().unwrap().as_second(),
        });
        let get = |field: &str, check: &str| r.checks.iter().find(|c| c.field == field && c.check.starts_with(check)).unwrap().clone();
        assert_eq!(get("email", "role").examples, vec!["L1"]);
        assert_eq!(get("email", "invalid").examples, vec!["L2"]);
        assert_eq!(get("email", "disposable").examples, vec!["L3"]);
        assert_eq!(get("email", "free-mail").examples, vec!["L4"]);
        assert_eq!(get("phone", "not valid").examples, vec!["L2"]);
        assert_eq!(get("phone", "prefix").examples, vec!["L4"]);
        assert_eq!(get("country", "not recognised").examples, vec!["L2"]);
        assert_eq!(get("created_at", "in the future").examples, vec!["L5"]);
        assert_eq!(get("employees", "not a number").examples, vec!["leads.csv:7:9"]);
        assert_eq!(r.decay.decayed, 2);
        assert_eq!(r.duplicates.redundant_records, 1);
        assert_eq!(r.consent.unknown, 5);
        assert!(r.risk.reasons.iter().any(|(n, c, _)| n == "disposable_domain" && *c == 1));
    }
}
