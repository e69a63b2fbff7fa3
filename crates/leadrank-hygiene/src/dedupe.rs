//! Fuzzy duplicate detection: normalise each record once, compare only the pairs that share
//! a blocking key, score each pair field by field with evidence, and cluster the matches.
//!
//! The matcher works on any people data: a record is a list of (field, value) texts, so
//! custom columns are compared like built-in ones ([`Record`]). Work is far below quadratic:
//! it is the sum over blocks of the block size squared, and blocks larger than
//! `max_block` are skipped (a key shared by that many records is not evidence).

use rayon::prelude::*;
use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64;

use crate::config::{Comparator, DedupeConfig, Transform, Weights};
use crate::em::{self, Level, Pattern};
use crate::text;
use leadrank_core::Lead;
use leadrank_core::engine::LeadFacts;

/// One record to deduplicate: its values for the configured fields, in config order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub values: Vec<Option<String>>,
}

/// Reads the configured fields of a lead. `domain` is the company domain (the `domain`
/// field normalised, else the corporate email domain); other names are lead fields or
/// custom columns.
pub fn record_of(lead: &Lead, config: &DedupeConfig) -> Record {
    let facts = LeadFacts::new(lead);
    let values = config
        .fields
        .iter()
        .map(|f| {
            let v: Option<String> = match f.field.as_str() {
                "domain" => facts.company_domain(),
                name => lead_field_text(lead, name),
            };
            v
        })
        .collect();
    Record { values }
}

/// [`record_of`] for every lead, in parallel.
pub fn records_of(leads: &[Lead], config: &DedupeConfig) -> Vec<Record> {
    leads.par_iter().map(|l| record_of(l, config)).collect()
}

/// The text of a lead field or custom column, if present.
pub fn lead_field_text(lead: &Lead, name: &str) -> Option<String> {
    let s = |v: &Option<Box<str>>| v.as_deref().map(str::to_string);
    match name {
        "lead_id" => Some(lead.lead_id.clone()),
        "email" => s(&lead.email),
        "first_name" => s(&lead.first_name),
        "last_name" => s(&lead.last_name),
        "title" => s(&lead.title),
        "company" => s(&lead.company),
        "domain" => s(&lead.domain),
        "account_id" => s(&lead.account_id),
        "industry" => s(&lead.industry),
        "employees" => lead.employees.map(|v| v.to_string()),
        "annual_revenue" => lead.annual_revenue.map(|v| v.to_string()),
        "phone" => s(&lead.phone),
        "source" => s(&lead.source),
        "campaign" => s(&lead.campaign),
        "use_case" => s(&lead.use_case),
        "created_at" => lead.created_at.map(|t| t.to_string()),
        other => lead.custom_field(other).map(str::to_string),
    }
}

/// A value normalised for its comparator, with what its comparisons need computed once.
#[derive(Debug, Clone, PartialEq)]
enum Norm {
    Absent,
    Text(Box<str>),
    /// Text of a `text` or `company` field with several words followed by the same words
    /// sorted ([`text::sorted_words`]), in one allocation; the number is where the sorted
    /// words start.
    Words(Box<str>, u32),
    Number(f64),
}

impl Norm {
    /// The normalised text, if this is text.
    fn text(&self) -> Option<&str> {
        match self {
            Norm::Text(t) => Some(t),
            Norm::Words(t, at) => t.get(..*at as usize),
            _ => None,
        }
    }

    /// The words sorted, for a text of several words.
    fn sorted_words(&self) -> Option<&str> {
        match self {
            Norm::Words(t, at) => t.get(*at as usize..),
            _ => None,
        }
    }
}

/// A record after normalisation.
#[derive(Debug, Clone)]
struct Prepared {
    values: Box<[Norm]>,
}

fn normalize(comparator: Comparator, raw: &str) -> Norm {
    let t = match comparator {
        Comparator::Exact | Comparator::Text | Comparator::FirstName | Comparator::LastName => text::fold(raw),
        Comparator::Email => match leadrank_facts::email::normalize_for_dedupe(raw) {
            Some(e) => e,
            None => raw.trim().to_lowercase(),
        },
        Comparator::Phone => phone_key(raw),
        Comparator::Company => text::normalize_company(raw),
        Comparator::Domain => text::registrable_domain(&leadrank_core::engine::facts::normalize_domain(raw).unwrap_or_default()),
        Comparator::Country => match leadrank_facts::country::normalize(raw) {
            Some(c) => c.to_string(),
            None => text::fold(raw),
        },
        Comparator::Numeric => {
            return raw.trim().parse::<f64>().ok().filter(|v| v.is_finite()).map_or(Norm::Absent, Norm::Number);
        }
    };
    if t.is_empty() {
        return Norm::Absent;
    }
    match comparator {
        Comparator::Text | Comparator::Company => match text::sorted_words(&t) {
            Some(sorted) if u32::try_from(t.len()).is_ok() => {
                let at = t.len() as u32;
                let mut both = t;
                both.push_str(&sorted);
                Norm::Words(both.into_boxed_str(), at)
            }
            _ => Norm::Text(t.into_boxed_str()),
        },
        _ => Norm::Text(t.into_boxed_str()),
    }
}

/// The comparable part of a phone number: its last 9 digits (the national significant
/// number without trunk or country prefix for almost every plan), so "+44 20 7946 0958" and
/// "020 7946 0958" agree. Fewer than 7 digits is not a phone.
pub fn phone_key(raw: &str) -> String {
    let d = text::phone_digits(raw);
    if d.len() < 7 {
        return String::new();
    }
    d[d.len().saturating_sub(9)..].to_string()
}

/// Similarity in [0, 1] of two present, normalised values; `sorted_a` and `sorted_b` are
/// their words sorted when they have several (`text` and `company` only).
fn similarity(comparator: Comparator, a: &str, sorted_a: Option<&str>, b: &str, sorted_b: Option<&str>) -> f64 {
    if a == b {
        return 1.0;
    }
    match comparator {
        Comparator::Exact | Comparator::Phone | Comparator::Domain | Comparator::Numeric | Comparator::Country => 0.0,
        Comparator::Text | Comparator::Company => text::token_similarity_sorted(a, sorted_a, b, sorted_b),
        Comparator::Email => {
            let (Some((la, da)), Some((lb, db))) = (a.rsplit_once('@'), b.rsplit_once('@')) else { return 0.0 };
            if da == db && la.len() >= 5 && strsim::damerau_levenshtein(la, lb) <= 1 { 0.9 } else { 0.0 }
        }
        Comparator::FirstName => {
            let (ca, cb) = (a.trim_end_matches('.'), b.trim_end_matches('.'));
            fn first(s: &str) -> &str {
                s.split(' ').next().unwrap_or("")
            }
            let (fa, fb) = (first(ca), first(cb));
            if fa == fb || text::nickname_match(fa, fb) {
                return 1.0;
            }
            if (fa.len() == 1 || fb.len() == 1) && fa.chars().next() == fb.chars().next() {
                return 0.9;
            }
            text::jaro_winkler(ca, cb)
        }
        Comparator::LastName => {
            let (na, nb) = (a.split(' ').count(), b.split(' ').count());
            let (short, long) = if na <= nb { (a, b) } else { (b, a) };
            if short.split(' ').all(|t| long.split(' ').any(|u| u == t)) {
                return 0.95;
            }
            let whole = text::jaro_winkler(a, b);
            if !a.contains(' ') && !b.contains(' ') {
                // Without spaces the joined forms are the values themselves.
                return whole;
            }
            whole.max(text::jaro_winkler(&a.replace(' ', ""), &b.replace(' ', "")))
        }
    }
}

fn number_similarity(a: f64, b: f64) -> f64 {
    let m = a.abs().max(b.abs());
    if m == 0.0 { 1.0 } else { (1.0 - (a - b).abs() / m).max(0.0) }
}

/// What one field contributed to a pair's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub field: String,
    pub similarity: f64,
    pub points: f64,
}

/// A matched pair (indexes into the input, `a < b`) with its score and evidence.
///
/// With hand-set weights the score is the sum of the fields' points; with learned weights
/// it is the match weight (`log2` of the odds of a match), each field's points its
/// `log2(m / u)`, and `probability` the match probability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchPair {
    pub a: u32,
    pub b: u32,
    pub score: f64,
    pub probability: Option<f64>,
    pub evidence: Vec<Evidence>,
}

/// Counts of the work done, for reports and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DedupeStats {
    pub records: usize,
    pub candidate_pairs: usize,
    pub matched_pairs: usize,
    pub clusters: usize,
    pub records_in_clusters: usize,
    /// Blocks skipped because they had more than `max_block` records.
    pub skipped_blocks: usize,
    /// What each blocking pass did, in configuration order.
    pub passes: Vec<PassStats>,
}

/// The work of one blocking pass (one blocking key).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PassStats {
    /// The key's parts joined with '+'.
    pub key: String,
    /// Blocks of two or more records compared.
    pub blocks: usize,
    /// Pairs in those blocks (a pair found by several passes counts in each).
    pub pairs: usize,
    /// Pairs no earlier pass found.
    pub new_pairs: usize,
    /// Blocks skipped for having more than `max_block` records, and their records.
    pub skipped_blocks: usize,
    pub skipped_records: usize,
    /// The largest block skipped (0 when none).
    pub largest_skipped: usize,
}

/// The result of deduplication.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DedupeResult {
    pub pairs: Vec<MatchPair>,
    /// Clusters of two or more records (indexes, ascending), ordered by their first record.
    pub clusters: Vec<Vec<u32>>,
    pub stats: DedupeStats,
    /// The learned weights, with `weights = "em"` (None with hand-set weights, or when
    /// there were no pairs to learn from: see `notes`).
    pub model: Option<em::Model>,
    /// What the matcher could not do as configured, for the user to read.
    pub notes: Vec<String>,
}

/// A prepared matcher for one configuration.
pub struct Matcher<'c> {
    config: &'c DedupeConfig,
    plan: Vec<Vec<(usize, Transform)>>,
    /// The `first_name` and `last_name` comparator fields, when the configuration has one
    /// of each: they are also compared crosswise (swapped name fields).
    names: Option<(usize, usize)>,
}

impl<'c> Matcher<'c> {
    /// A matcher for a checked configuration.
    pub fn new(config: &'c DedupeConfig) -> Self {
        let plan = config.blocking_plan().unwrap_or_default();
        let of = |c: Comparator| config.fields.iter().position(|f| f.comparator == c);
        let names = of(Comparator::FirstName).zip(of(Comparator::LastName));
        Matcher { config, plan, names }
    }

    fn prepare(&self, r: &Record) -> Prepared {
        let values = self
            .config
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| match r.values.get(i).and_then(|v| v.as_deref()) {
                Some(v) if !v.trim().is_empty() => normalize(f.comparator, v),
                _ => Norm::Absent,
            })
            .collect();
        Prepared { values }
    }

    /// Scores one pair of records: the sum of the fields' points, with the evidence.
    pub fn score(&self, a: &Record, b: &Record) -> (f64, Vec<Evidence>) {
        self.score_prepared(&self.prepare(a), &self.prepare(b), true)
    }

    /// Like [`Matcher::prepare`], reading the configured fields of a lead directly.
    fn prepare_lead(&self, lead: &Lead) -> Prepared {
        self.prepare(&record_of(lead, self.config))
    }

    fn field_points(&self, i: usize, va: &Norm, vb: &Norm, comparator: Comparator) -> Option<(f64, f64)> {
        let f = &self.config.fields[i];
        let sim = match (va, vb) {
            (Norm::Number(x), Norm::Number(y)) => number_similarity(*x, *y),
            _ => match (va.text(), vb.text()) {
                (Some(x), Some(y)) => similarity(comparator, x, va.sorted_words(), y, vb.sorted_words()),
                _ => return None,
            },
        };
        let points = if sim >= 0.9999 {
            f.agree
        } else if sim >= f.min_similarity {
            f.agree * (sim - f.min_similarity) / (1.0 - f.min_similarity)
        } else {
            -f.disagree
        };
        Some((sim, points))
    }

    /// The points of the first and last name fields compared crosswise (a's first name with
    /// b's last name and the other way round), when both records have both names.
    fn swapped_names(&self, a: &Prepared, b: &Prepared) -> Option<[(f64, f64); 2]> {
        let (fi, li) = self.names?;
        let first = self.field_points(fi, &a.values[fi], &b.values[li], Comparator::FirstName)?;
        let last = self.field_points(li, &a.values[li], &b.values[fi], Comparator::LastName)?;
        // Both orders of b's names are tried, so the score stays symmetric.
        let first_r = self.field_points(fi, &b.values[fi], &a.values[li], Comparator::FirstName)?;
        let last_r = self.field_points(li, &b.values[li], &a.values[fi], Comparator::LastName)?;
        Some(if first.1 + last.1 >= first_r.1 + last_r.1 { [first, last] } else { [first_r, last_r] })
    }

    fn score_prepared(&self, a: &Prepared, b: &Prepared, with_evidence: bool) -> (f64, Vec<Evidence>) {
        let mut total = 0.0;
        let mut evidence = Vec::new();
        let mut per_field: [Option<(f64, f64)>; 2] = [None, None];
        for (i, f) in self.config.fields.iter().enumerate() {
            let Some((sim, points)) = self.field_points(i, &a.values[i], &b.values[i], f.comparator) else { continue };
            if let Some((fi, li)) = self.names {
                if i == fi {
                    per_field[0] = Some((sim, points));
                } else if i == li {
                    per_field[1] = Some((sim, points));
                }
            }
            total += points;
            if with_evidence {
                evidence.push(Evidence {
                    field: f.field.clone(),
                    similarity: (sim * 1000.0).round() / 1000.0,
                    points: (points * 100.0).round() / 100.0,
                });
            }
        }
        // First and last names entered the wrong way round: when comparing them crosswise
        // scores better, the crosswise points replace the straight ones.
        if let (Some((fi, li)), [Some(sf), Some(sl)]) = (self.names, per_field)
            && sf.1 + sl.1 < self.config.fields[fi].agree + self.config.fields[li].agree
            && let Some([cf, cl]) = self.swapped_names(a, b)
            && cf.1 + cl.1 > sf.1 + sl.1
        {
            total += cf.1 + cl.1 - (sf.1 + sl.1);
            if with_evidence {
                let (first, last) = (&self.config.fields[fi].field, &self.config.fields[li].field);
                for e in &mut evidence {
                    let (label, (sim, points)) = if e.field == *first {
                        (format!("{first} (vs {last})"), cf)
                    } else if e.field == *last {
                        (format!("{last} (vs {first})"), cl)
                    } else {
                        continue;
                    };
                    e.field = label;
                    e.similarity = (sim * 1000.0).round() / 1000.0;
                    e.points = (points * 100.0).round() / 100.0;
                }
            }
        }
        (total, evidence)
    }

    /// Each field's (similarity, hand points) for a pair, `None` when a value is absent,
    /// with first and last names compared crosswise when that scores better (as in
    /// [`Matcher::score_prepared`]); returns whether the names were compared crosswise.
    fn field_sims(&self, a: &Prepared, b: &Prepared, out: &mut Vec<Option<(f64, f64)>>) -> bool {
        out.clear();
        for (i, f) in self.config.fields.iter().enumerate() {
            out.push(self.field_points(i, &a.values[i], &b.values[i], f.comparator));
        }
        if let Some((fi, li)) = self.names
            && let (Some(sf), Some(sl)) = (out[fi], out[li])
            && sf.1 + sl.1 < self.config.fields[fi].agree + self.config.fields[li].agree
            && let Some([cf, cl]) = self.swapped_names(a, b)
            && cf.1 + cl.1 > sf.1 + sl.1
        {
            out[fi] = Some(cf);
            out[li] = Some(cl);
            return true;
        }
        false
    }

    /// The comparison pattern of a pair: each field's [`Level`].
    fn pattern(&self, a: &Prepared, b: &Prepared, buf: &mut Vec<Option<(f64, f64)>>) -> Pattern {
        self.field_sims(a, b, buf);
        self.pattern_of(buf)
    }

    fn pattern_of(&self, sims: &[Option<(f64, f64)>]) -> Pattern {
        sims.iter().zip(&self.config.fields).enumerate().fold(0, |p, (i, (s, f))| match s {
            Some((sim, _)) => em::with_level(p, i, Level::of(*sim, f.min_similarity)),
            None => p,
        })
    }

    /// A pair's match weight, probability and evidence under a learned model.
    fn score_learned(&self, model: &em::Model, a: &Prepared, b: &Prepared) -> (f64, f64, Vec<Evidence>) {
        let mut sims = Vec::with_capacity(self.config.fields.len());
        let swapped = self.field_sims(a, b, &mut sims);
        let pattern = self.pattern_of(&sims);
        let mut evidence = Vec::new();
        for (i, (s, f)) in sims.iter().zip(&self.config.fields).enumerate() {
            let Some((sim, _)) = s else { continue };
            let field = match self.names {
                Some((fi, li)) if swapped && i == fi => format!("{} (vs {})", f.field, self.config.fields[li].field),
                Some((fi, li)) if swapped && i == li => format!("{} (vs {})", f.field, self.config.fields[fi].field),
                _ => f.field.clone(),
            };
            let points = model.level_weight(i, em::level_at(pattern, i));
            evidence.push(Evidence { field, similarity: (sim * 1000.0).round() / 1000.0, points: (points * 100.0).round() / 100.0 });
        }
        let w = model.match_weight(pattern);
        (w, model.probability(pattern), evidence)
    }

    /// Learns the weights: u from random pairs of records (seeded), m and λ by EM on the
    /// compared pairs' patterns.
    fn learn(&self, prepared: &[Prepared], patterns: &[Pattern], start: &[u32]) -> em::Model {
        let cfg = &self.config.em;
        let fields = self.config.fields.len();
        let (compared, start) = em::start_histogram(patterns, start);
        // Random pairs of distinct records; with few records, every pair.
        let n = prepared.len() as u64;
        let all = n * n.saturating_sub(1) / 2;
        let index_pairs: Vec<(u32, u32)> = if all <= cfg.random_pairs as u64 {
            (0..n as u32).flat_map(|a| (a + 1..n as u32).map(move |b| (a, b))).collect()
        } else {
            let mut rng = crate::labelled::Rng::new(cfg.seed);
            (0..cfg.random_pairs)
                .map(|_| {
                    let a = rng.below(n as usize) as u32;
                    let mut b = rng.below(n as usize - 1) as u32;
                    if b >= a {
                        b += 1;
                    }
                    (a, b)
                })
                .collect()
        };
        let random = index_pairs
            .par_chunks(1 << 14)
            .map_init(Vec::new, |buf, c| {
                em::histogram(c.iter().map(|&(a, b)| self.pattern(&prepared[a as usize], &prepared[b as usize], buf)))
            })
            .reduce(Vec::new, em::merge_histograms);
        let settings = em::FitSettings { max_iterations: cfg.max_iterations, u_source: cfg.u_from, ..em::FitSettings::default() };
        let mut model = em::fit(&compared, em::u_from_random(&random, fields, settings.pseudo_count), Some(&start), &settings);
        model.random_pairs = index_pairs.len() as u64;
        model
    }

    fn block_key(&self, p: &Prepared, key_no: usize, parts: &[(usize, Transform)], buf: &mut String) -> Option<u64> {
        use std::fmt::Write as _;
        buf.clear();
        // Cannot fail: writing to a String.
        let _ = write!(buf, "{key_no}");
        for &(field, t) in parts {
            let v = p.values[field].text()?;
            buf.push('\u{1f}');
            match t {
                Transform::Value => buf.push_str(v),
                Transform::Initial => buf.push(v.chars().next()?),
                Transform::Phonetic => {
                    let before = buf.len();
                    text::phonetic_into(v.split(' ').next_back().unwrap_or(v), buf);
                    if buf.len() == before {
                        return None;
                    }
                }
                Transform::Prefix(n) => buf.extend(v.chars().take(n)),
                Transform::Canonical => {
                    let first = v.split(' ').next().unwrap_or(v);
                    if first.trim_end_matches('.').len() <= 1 {
                        return None;
                    }
                    buf.push_str(text::canonical_first_name(first));
                }
                Transform::PhoneticSet(other) => {
                    // The phonetic codes of the words of both fields, sorted: the same key
                    // whichever field each name was entered in.
                    let w = p.values[other].text()?;
                    let mut codes: Vec<String> = v.split(' ').chain(w.split(' ')).map(text::phonetic).filter(|c| !c.is_empty()).collect();
                    if codes.len() < 2 {
                        return None;
                    }
                    codes.sort_unstable();
                    codes.dedup();
                    for c in codes {
                        buf.push_str(&c);
                        buf.push(' ');
                    }
                }
                Transform::FirstToken => buf.push_str(v.split(' ').next().unwrap_or(v)),
                Transform::LastToken => buf.push_str(v.split(' ').next_back().unwrap_or(v)),
            }
        }
        // The pass number in the top byte, so blocks can be counted per pass.
        Some((xxh3_64(buf.as_bytes()) & (u64::MAX >> 8)) | ((key_no as u64 & 0xff) << 56))
    }

    /// Finds the duplicate pairs and clusters among `records`.
    pub fn run(&self, records: &[Record]) -> DedupeResult {
        self.run_timed(records, &mut |_| {})
    }

    /// [`Matcher::run`], calling `phase` with a name after each phase (for timings).
    pub fn run_timed(&self, records: &[Record], phase: &mut dyn FnMut(&'static str)) -> DedupeResult {
        let prepared: Vec<Prepared> = records.par_iter().map(|r| self.prepare(r)).collect();
        phase("prepare");
        self.run_prepared(&prepared, phase)
    }

    /// [`Matcher::run`] on leads, reading the configured fields of each lead ([`record_of`])
    /// without keeping the raw records: the same result as `run(&records_of(leads, config))`
    /// with less memory.
    pub fn run_leads(&self, leads: &[Lead], phase: &mut dyn FnMut(&'static str)) -> DedupeResult {
        let prepared: Vec<Prepared> = leads.par_iter().map(|l| self.prepare_lead(l)).collect();
        phase("prepare");
        self.run_prepared(&prepared, phase)
    }

    fn run_prepared(&self, prepared: &[Prepared], phase: &mut dyn FnMut(&'static str)) -> DedupeResult {
        // Blocking: (key hash, record) for every key of every record, one key at a time (no
        // per-record allocation).
        // At most one key per blocking key and record; pages never written are not resident.
        let mut keys: Vec<(u64, u32)> = Vec::with_capacity(prepared.len() * self.plan.len());
        for (k, parts) in self.plan.iter().enumerate() {
            keys.par_extend(
                prepared
                    .par_iter()
                    .enumerate()
                    .map_init(String::new, |buf, (i, p)| self.block_key(p, k, parts, buf).map(|h| (h, i as u32)))
                    .flatten_iter(),
            );
        }
        keys.par_sort_unstable();
        keys.dedup();
        phase("blocking");
        // The blocks small enough to compare, as ranges of `keys`, and per-pass counts.
        let max = self.config.max_block.max(2);
        let mut passes: Vec<PassStats> =
            self.config.blocking.iter().map(|k| PassStats { key: k.key.join("+"), ..PassStats::default() }).collect();
        let mut blocks: Vec<(u32, u32)> = Vec::new();
        let mut skipped = 0usize;
        let mut start = 0;
        while start < keys.len() {
            let mut end = start + 1;
            while end < keys.len() && keys[end].0 == keys[start].0 {
                end += 1;
            }
            let n = end - start;
            let pass = (keys[start].0 >> 56) as usize;
            if n > max {
                skipped += 1;
                if let Some(p) = passes.get_mut(pass) {
                    p.skipped_blocks += 1;
                    p.skipped_records += n;
                    p.largest_skipped = p.largest_skipped.max(n);
                }
            } else if n > 1 {
                blocks.push((start as u32, end as u32));
                if let Some(p) = passes.get_mut(pass) {
                    p.blocks += 1;
                    p.pairs += n * (n - 1) / 2;
                }
            }
            start = end;
        }
        // Candidate pairs of every block, generated in parallel, as `a << 32 | b` (a < b),
        // each with its pass; after sorting, the first copy of a pair is its earliest pass.
        let mut pairs: Vec<(u64, u8)> = blocks
            .par_iter()
            .flat_map_iter(|&(start, end)| {
                let block = &keys[start as usize..end as usize];
                let pass = (block[0].0 >> 56) as u8;
                block
                    .iter()
                    .enumerate()
                    .flat_map(move |(x, &(_, a))| block[x + 1..].iter().map(move |&(_, b)| ((u64::from(a) << 32) | u64::from(b), pass)))
            })
            .collect();
        drop(blocks);
        drop(keys);
        pairs.par_sort_unstable();
        pairs.dedup_by_key(|p| p.0);
        for &(_, pass) in &pairs {
            if let Some(p) = passes.get_mut(pass as usize) {
                p.new_pairs += 1;
            }
        }
        let pairs: Vec<u64> = pairs.into_iter().map(|p| p.0).collect();
        phase("pairs");
        let candidates = pairs.len();
        let mut notes = Vec::new();
        let mut model = None;
        let matched: Vec<MatchPair> = match self.config.weights {
            Weights::Hand => {
                let threshold = self.config.threshold;
                pairs
                    .par_iter()
                    .filter_map(|&pair| {
                        let (a, b) = ((pair >> 32) as u32, pair as u32);
                        let (pa, pb) = (&prepared[a as usize], &prepared[b as usize]);
                        let (s, _) = self.score_prepared(pa, pb, false);
                        (s >= threshold).then(|| {
                            let (score, evidence) = self.score_prepared(pa, pb, true);
                            MatchPair { a, b, score: (score * 100.0).round() / 100.0, probability: None, evidence }
                        })
                    })
                    .collect()
            }
            Weights::Em if pairs.is_empty() => {
                notes.push("weights = \"em\": no candidate pairs to learn weights from, so no pair was scored".to_string());
                Vec::new()
            }
            Weights::Em => {
                // Each pair's pattern, and the hand-set weights' view of it as the EM's start
                // (a probability in millionths, so that sums do not depend on thread order).
                let (patterns, start): (Vec<Pattern>, Vec<u32>) = pairs
                    .par_iter()
                    .map_init(Vec::new, |buf, &pair| {
                        self.field_sims(&prepared[(pair >> 32) as usize], &prepared[pair as u32 as usize], buf);
                        let hand: f64 = buf.iter().flatten().map(|s| s.1).sum();
                        let p = em::probability_of_weight(hand - self.config.threshold);
                        (self.pattern_of(buf), (p * 1e6).round() as u32)
                    })
                    .unzip();
                phase("patterns");
                let m = self.learn(prepared, &patterns, &start);
                drop(start);
                phase("learning");
                if !m.converged {
                    notes.push(format!(
                        "weights = \"em\": the estimation did not converge in {} iterations (em.max_iterations); the weights are those of the last iteration",
                        m.iterations
                    ));
                }
                let min_weight = em::weight_of_probability(self.config.em.match_probability);
                let matched = pairs
                    .par_iter()
                    .zip(patterns.par_iter())
                    .filter_map(|(&pair, &pattern)| {
                        (m.match_weight(pattern) >= min_weight).then(|| {
                            let (a, b) = ((pair >> 32) as u32, pair as u32);
                            let (score, p, evidence) = self.score_learned(&m, &prepared[a as usize], &prepared[b as usize]);
                            MatchPair { a, b, score: (score * 100.0).round() / 100.0, probability: Some(p), evidence }
                        })
                    })
                    .collect();
                model = Some(m);
                matched
            }
        };
        drop(pairs);
        phase("scoring");
        let clusters = clusters(prepared.len(), matched.iter().map(|p| (p.a, p.b)));
        phase("clusters");
        let stats = DedupeStats {
            records: prepared.len(),
            candidate_pairs: candidates,
            matched_pairs: matched.len(),
            clusters: clusters.len(),
            records_in_clusters: clusters.iter().map(Vec::len).sum(),
            skipped_blocks: skipped,
            passes,
        };
        DedupeResult { pairs: matched, clusters, stats, model, notes }
    }
}

/// Connected components of the match graph with two or more members, each ascending,
/// ordered by their smallest member.
pub fn clusters(n: usize, edges: impl IntoIterator<Item = (u32, u32)>) -> Vec<Vec<u32>> {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let p = parent[parent[x as usize] as usize];
            parent[x as usize] = p;
            x = p;
        }
        x
    }
    for (a, b) in edges {
        if (a as usize) >= n || (b as usize) >= n {
            continue;
        }
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent[hi as usize] = lo;
        }
    }
    let mut groups: rustc_hash::FxHashMap<u32, Vec<u32>> = rustc_hash::FxHashMap::default();
    for i in 0..n as u32 {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out: Vec<Vec<u32>> = groups.into_values().filter(|g| g.len() > 1).collect();
    out.sort_unstable_by_key(|g| g[0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(v: &[&str]) -> Record {
        Record { values: v.iter().map(|s| (!s.is_empty()).then(|| s.to_string())).collect() }
    }

    // email, phone, first, last, company, domain, country
    #[test]
    fn fuzzy_duplicates_match_and_colleagues_do_not() {
        let cfg = DedupeConfig::default_config();
        let m = Matcher::new(&cfg);
        let base = rec(&["robert.smith@acme.com", "+1 415 555 0132", "Robert", "Smith", "Acme Inc.", "acme.com", "US"]);
        let nick = rec(&["", "(415) 555-0132", "Bob", "Smith", "ACME, Inc", "", "US"]);
        let typo = rec(&["bob.smith@gmail.com", "+14155550132", "Robert", "Smtih", "Acme", "", "United States"]);
        let colleague = rec(&["jane.smith@acme.com", "", "Jane", "Smith", "Acme Inc.", "acme.com", "US"]);
        assert!(m.score(&base, &nick).0 >= cfg.threshold, "{:?}", m.score(&base, &nick));
        assert!(m.score(&base, &typo).0 >= cfg.threshold, "{:?}", m.score(&base, &typo));
        assert!(m.score(&base, &colleague).0 < cfg.threshold, "{:?}", m.score(&base, &colleague));
        let r = m.run(&[base, colleague, nick, typo]);
        assert_eq!(r.clusters, vec![vec![0, 2, 3]]);
        assert!(r.pairs.iter().all(|p| p.a < p.b && !p.evidence.is_empty()));
    }

    #[test]
    fn international_names_match_across_accents_and_scripts() {
        let cfg = DedupeConfig::default_config();
        let m = Matcher::new(&cfg);
        let a = rec(&["", "", "José", "García Márquez", "Telefónica S.A.", "telefonica.es", "ES"]);
        let b = rec(&["", "", "Jose", "Garcia", "Telefonica", "www.telefonica.es", "Spain"]);
        assert!(m.score(&a, &b).0 >= cfg.threshold, "{:?}", m.score(&a, &b));
        let a = rec(&["", "", "Иван", "Петров", "Яндекс", "yandex.ru", "RU"]);
        let b = rec(&["", "", "Ivan", "Petrov", "Yandex LLC", "yandex.ru", "RU"]);
        assert!(m.score(&a, &b).0 >= cfg.threshold, "{:?}", m.score(&a, &b));
        let a = rec(&["", "", "Søren", "Ødegaard", "Nordisk A/S", "eu.nordisk.co.uk", "DK"]);
        let b = rec(&["", "", "Soren", "Odegaard", "Nordisk", "nordisk.co.uk", "DK"]);
        assert!(m.score(&a, &b).0 >= cfg.threshold, "{:?}", m.score(&a, &b));
    }

    #[test]
    fn run_on_leads_is_run_on_their_records() {
        let set = crate::labelled::generate(400, 3);
        for cfg in [DedupeConfig::default_config(), DedupeConfig::from_toml(crate::labelled::ADDRESS_CONFIG, "address").unwrap()] {
            let m = Matcher::new(&cfg);
            let a = m.run(&records_of(&set.leads, &cfg));
            let b = m.run_leads(&set.leads, &mut |_| {});
            assert!(!a.pairs.is_empty());
            assert_eq!(a, b);
            assert!(a.pairs.windows(2).all(|w| (w[0].a, w[0].b) < (w[1].a, w[1].b)), "pairs in (a, b) order");
        }
    }

    #[test]
    fn multi_word_companies_compare_in_any_word_order() {
        let cfg = DedupeConfig::default_config();
        let m = Matcher::new(&cfg);
        let a = rec(&["", "", "Anna", "Nowak", "Bau Müller GmbH", "", "DE"]);
        let b = rec(&["", "", "Anna", "Nowak", "Müller Bau", "", "DE"]);
        let (_, evidence) = m.score(&a, &b);
        let company = evidence.iter().find(|e| e.field == "company").unwrap();
        assert_eq!(company.similarity, 1.0);
    }

    fn address(v: &[&str]) -> Record {
        // email, phone, first, last, company, domain, country, street, city, postcode
        rec(v)
    }

    #[test]
    fn swapped_first_and_last_names_are_blocked_together_and_match() {
        let cfg = DedupeConfig::from_toml(crate::labelled::ADDRESS_CONFIG, "address").unwrap();
        let m = Matcher::new(&cfg);
        let a = address(&["", "", "Marek", "Kowalczyk", "", "", "PL", "12 Lipowa", "Gdansk", "80-001"]);
        let b = address(&["", "", "Kowalczyk", "Marek", "", "", "PL", "12 Lipowa", "Gdańsk", "80-001"]);
        let other = address(&["", "", "Anna", "Kowalczyk", "", "", "PL", "12 Lipowa", "Gdansk", "80-001"]);
        let (score, evidence) = m.score(&a, &b);
        assert!(score >= cfg.threshold, "{score} {evidence:?}");
        assert!(evidence.iter().any(|e| e.field == "first_name (vs last_name)" && e.points > 0.0), "{evidence:?}");
        // Symmetric.
        assert!((m.score(&b, &a).0 - score).abs() < 1e-9);
        // A relative at the same address is not made a match by the crosswise comparison.
        assert!(m.score(&a, &other).0 < cfg.threshold);
        let r = m.run(&[a, other, b]);
        assert_eq!(r.clusters, vec![vec![0, 2]]);
        let pass = r.stats.passes.iter().find(|p| p.key == "first_name+last_name:phonetic_set+postcode").unwrap();
        assert_eq!((pass.blocks, pass.pairs), (1, 1));
    }

    #[test]
    fn oversized_blocks_are_counted_per_pass() {
        let mut cfg = DedupeConfig::from_toml(crate::labelled::ADDRESS_CONFIG, "address").unwrap();
        cfg.max_block = 3;
        let m = Matcher::new(&cfg);
        let same = |i: usize| address(&["", "", "John", "Smith", "", "", "US", &format!("{i} Main St"), "Boston", "02108"]);
        let r = m.run(&(0..5).map(same).collect::<Vec<_>>());
        let pass = r.stats.passes.iter().find(|p| p.key == "first_name+last_name:phonetic_set+postcode").unwrap();
        assert_eq!((pass.skipped_blocks, pass.skipped_records, pass.largest_skipped), (1, 5, 5));
        assert_eq!(r.stats.skipped_blocks, r.stats.passes.iter().map(|p| p.skipped_blocks).sum::<usize>());
        assert_eq!(r.stats.passes.len(), cfg.blocking.len());
        let new: usize = r.stats.passes.iter().map(|p| p.new_pairs).sum();
        assert_eq!(new, r.stats.candidate_pairs);
    }

    #[test]
    fn phone_keys_ignore_format_and_prefix() {
        assert_eq!(phone_key("+44 20 7946 0958"), phone_key("020 7946 0958"));
        assert_eq!(phone_key("12345"), "");
    }

    #[test]
    fn clusters_are_components() {
        assert_eq!(clusters(6, [(4, 5), (0, 3), (3, 1), (9, 1)]), vec![vec![0, 1, 3], vec![4, 5]]);
    }
}
