//! Fuzzy duplicate detection: normalise each record once, compare only the pairs that share
//! a blocking key, score each pair field by field with evidence, and cluster the matches.
//!
//! The matcher works on any people data: a record is a list of (field, value) texts, so
//! custom columns are compared like built-in ones ([`Record`]). Work is far below quadratic:
//! it is the sum over blocks of the block size squared, and blocks larger than
//! `max_block` are skipped and counted (a key shared by that many records is not evidence).
//! A pass with a `window` is a sorted neighbourhood instead of blocks. Candidate pairs are
//! never stored: each is generated, and scored once, in the first pass that compares it.

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
                "domain" => facts.company_domain().map(str::to_string),
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
        "country" => s(&lead.country),
        "phone" => s(&lead.phone),
        "source" => s(&lead.source),
        "campaign" => s(&lead.campaign),
        "use_case" => s(&lead.use_case),
        "created_at" => lead.created_at.map(|t| t.to_string()),
        other => lead.custom_field(other).map(str::to_string),
    }
}

/// A normalised value, read from a [`Prepared`] record.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Norm<'p> {
    Absent,
    Text(&'p str),
    /// Text of a `text` or `company` field with several words, and the same words sorted
    /// ([`text::sorted_words`]).
    Words(&'p str, &'p str),
    Number(f64),
}

impl<'p> Norm<'p> {
    /// The normalised text, if this is text.
    fn text(self) -> Option<&'p str> {
        match self {
            Norm::Text(t) | Norm::Words(t, _) => Some(t),
            _ => None,
        }
    }

    /// The words sorted, for a text of several words.
    fn sorted_words(self) -> Option<&'p str> {
        match self {
            Norm::Words(_, sorted) => Some(sorted),
            _ => None,
        }
    }
}

/// A record after normalisation, a view into a [`PreparedSet`]: the normalised texts of its
/// values one after the other in its chunk's text, and per field where its text ends.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Prepared<'s> {
    /// The chunk's text.
    text: &'s str,
    /// Where the record's first field's text starts in `text`.
    base: u32,
    /// Per field: where its sorted words start (where its text ends when it has none) and
    /// where its text ends. A field's text starts where the previous field's ends; an absent
    /// value has no text. Numbers are kept as their shortest exact decimal form.
    ends: &'s [(u32, u32)],
}

impl<'s> Prepared<'s> {
    /// Field `field`'s value, compared with `comparator` (the field's own).
    fn value(self, field: usize, comparator: Comparator) -> Norm<'s> {
        let start = match field.checked_sub(1) {
            Some(previous) => self.ends.get(previous).map_or(0, |&(_, end)| end as usize),
            None => self.base as usize,
        };
        let Some(&(at, end)) = self.ends.get(field) else { return Norm::Absent };
        let (at, end) = (at as usize, end as usize);
        let (Some(text), Some(sorted)) = (self.text.get(start..at), self.text.get(at..end)) else { return Norm::Absent };
        if text.is_empty() {
            Norm::Absent
        } else if comparator == Comparator::Numeric {
            text.parse().map_or(Norm::Absent, Norm::Number)
        } else if sorted.is_empty() {
            Norm::Text(text)
        } else {
            Norm::Words(text, sorted)
        }
    }
}

/// Records per chunk of a [`PreparedSet`].
const PREPARED_CHUNK: usize = 4096;

/// Records after normalisation, without an allocation per record: per chunk of records, the
/// normalised texts of every record one after the other, and per record and field where its
/// text ends (offsets into the chunk's text).
#[derive(Debug, Clone, PartialEq, Default)]
struct PreparedSet {
    fields: usize,
    len: usize,
    /// Records per chunk.
    chunk: usize,
    chunks: Vec<PreparedChunk>,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct PreparedChunk {
    text: Box<str>,
    ends: Box<[(u32, u32)]>,
}

impl PreparedSet {
    /// Prepares `n` records, chunks in parallel: `record(i, text, ends)` appends record `i`'s
    /// texts to `text` and one entry per field to `ends` (see [`Matcher::prepare_into`]).
    fn build(n: usize, fields: usize, chunk: usize, record: impl Fn(usize, &mut String, &mut Vec<(u32, u32)>) + Sync) -> Self {
        let chunk = chunk.max(1);
        let chunks = (0..n.div_ceil(chunk))
            .into_par_iter()
            .map(|c| {
                let (mut text, mut ends) = (String::new(), Vec::with_capacity(chunk * fields));
                for i in c * chunk..((c + 1) * chunk).min(n) {
                    record(i, &mut text, &mut ends);
                }
                PreparedChunk { text: text.into_boxed_str(), ends: ends.into_boxed_slice() }
            })
            .collect();
        PreparedSet { fields, len: n, chunk, chunks }
    }

    fn len(&self) -> usize {
        self.len
    }

    /// Record `i` (a record without values when `i` is out of range).
    fn get(&self, i: usize) -> Prepared<'_> {
        let (c, k) = (i / self.chunk, i % self.chunk);
        let Some(chunk) = self.chunks.get(c) else { return Prepared::default() };
        let Some(ends) = chunk.ends.get(k * self.fields..(k + 1) * self.fields) else { return Prepared::default() };
        let base = match (k * self.fields).checked_sub(1) {
            Some(previous) => chunk.ends.get(previous).map_or(0, |&(_, end)| end),
            None => 0,
        };
        Prepared { text: &chunk.text, base, ends }
    }
}

/// Appends `raw` normalised for `comparator` to `out` (nothing when it normalises to
/// nothing); returns where the words sorted start in `out`, for a `text` or `company` value
/// of several words (they are appended after it), else `out`'s new length.
fn normalize_into(comparator: Comparator, raw: &str, out: &mut String) -> usize {
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
            if let Some(v) = raw.trim().parse::<f64>().ok().filter(|v| v.is_finite()) {
                use std::fmt::Write as _;
                // Cannot fail: writing to a String. `{:?}` is the shortest form that reads
                // back as the same number.
                let _ = write!(out, "{v:?}");
            }
            return out.len();
        }
    };
    out.push_str(&t);
    let at = out.len();
    if !t.is_empty()
        && matches!(comparator, Comparator::Text | Comparator::Company)
        && let Some(sorted) = text::sorted_words(&t)
    {
        out.push_str(&sorted);
    }
    at
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

/// Field `i` of a record's values ([`Matcher::decode`]).
fn at<'p>(values: &[Norm<'p>], i: usize) -> Norm<'p> {
    values.get(i).copied().unwrap_or(Norm::Absent)
}

fn number_similarity(a: f64, b: f64) -> f64 {
    let m = a.abs().max(b.abs());
    if m == 0.0 { 1.0 } else { (1.0 - (a - b).abs() / m).max(0.0) }
}

/// What one field contributed to a pair's score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evidence {
    /// The field's index in the configuration's `fields`.
    pub field: u32,
    /// When first and last names were compared crosswise: the index of the field this
    /// field's value was compared with.
    pub versus: Option<u32>,
    /// The similarity, rounded to 3 decimals.
    pub similarity: f64,
    /// The points, rounded to 2 decimals.
    pub points: f64,
}

impl Evidence {
    /// The field's name, followed by " (vs OTHER)" when compared crosswise with field OTHER.
    pub fn label<'c>(&self, config: &'c DedupeConfig) -> std::borrow::Cow<'c, str> {
        let name = |i: u32| config.fields.get(i as usize).map_or("?", |f| f.field.as_str());
        match self.versus {
            Some(other) => format!("{} (vs {})", name(self.field), name(other)).into(),
            None => name(self.field).into(),
        }
    }
}

/// A matched pair (indexes into the input, `a < b`) with its score; its evidence comes from
/// [`DedupeResult::evidence`].
///
/// With hand-set weights the score is the sum of the fields' points; with learned weights
/// it is the match weight (`log2` of the odds of a match), each field's points its
/// `log2(m / u)`, and `probability` the match probability.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MatchPair {
    pub a: u32,
    pub b: u32,
    pub score: f64,
    pub probability: Option<f64>,
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
    /// The pairs in those blocks (not compared unless another pass compares them).
    pub skipped_pairs: usize,
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
    /// The pairs in the skipped blocks.
    pub skipped_pairs: usize,
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
    /// The records as normalised for matching, kept to give the pairs' evidence.
    #[serde(skip)]
    prepared: PreparedSet,
}

impl DedupeResult {
    /// What each compared field contributed to a pair of this result, in configuration
    /// order; `matcher` must be the one that produced the result. Computed on demand, so the
    /// result does not hold the evidence of millions of pairs at once.
    pub fn evidence(&self, matcher: &Matcher, pair: &MatchPair) -> Vec<Evidence> {
        if pair.a as usize >= self.prepared.len() || pair.b as usize >= self.prepared.len() {
            return Vec::new();
        }
        let (a, b) = (self.prepared.get(pair.a as usize), self.prepared.get(pair.b as usize));
        match &self.model {
            Some(model) => matcher.score_learned(model, a, b).2,
            None => matcher.score_prepared(a, b, true).1,
        }
    }

    /// Lets go of the normalised records kept for [`DedupeResult::evidence`] (which gives
    /// no evidence afterwards), to free their memory once the evidence is written.
    pub fn release_records(&mut self) {
        self.prepared = PreparedSet::default();
    }
}

/// A prepared matcher for one configuration.
pub struct Matcher<'c> {
    config: &'c DedupeConfig,
    plan: Vec<Vec<(usize, Transform)>>,
    /// The `first_name` and `last_name` comparator fields, when the configuration has one
    /// of each: they are also compared crosswise (swapped name fields).
    names: Option<(usize, usize)>,
    /// The order [`Matcher::hand_match`] compares fields in (cheap comparisons first, the
    /// names last), with after each step the most points the fields not yet compared can
    /// still add (the two name fields' maximum always included: comparing them crosswise
    /// can replace their straight points).
    hand_order: Vec<(usize, f64)>,
}

/// How costly a comparator's similarity is, for the order of [`Matcher::hand_match`].
fn comparison_cost(c: Comparator) -> u8 {
    match c {
        Comparator::Exact | Comparator::Phone | Comparator::Domain | Comparator::Country | Comparator::Numeric => 0,
        Comparator::Email => 1,
        Comparator::Text | Comparator::Company => 2,
        Comparator::FirstName | Comparator::LastName => 3,
    }
}

/// The most points a field can add to a hand-weighted score.
fn most_points(f: &crate::config::FieldRule) -> f64 {
    f.agree.max(-f.disagree).max(0.0)
}

impl<'c> Matcher<'c> {
    /// A matcher for a checked configuration.
    pub fn new(config: &'c DedupeConfig) -> Self {
        let plan = config.blocking_plan().unwrap_or_default();
        let of = |c: Comparator| config.fields.iter().position(|f| f.comparator == c);
        let names = of(Comparator::FirstName).zip(of(Comparator::LastName));
        let is_name = |i: usize| names.is_some_and(|(fi, li)| i == fi || i == li);
        let mut order: Vec<usize> = (0..config.fields.len()).collect();
        order.sort_by(|&x, &y| {
            let (fx, fy) = (&config.fields[x], &config.fields[y]);
            (is_name(x), comparison_cost(fx.comparator))
                .cmp(&(is_name(y), comparison_cost(fy.comparator)))
                .then(most_points(fy).total_cmp(&most_points(fx)))
                .then(x.cmp(&y))
        });
        let names_most = names.map_or(0.0, |(fi, li)| most_points(&config.fields[fi]) + most_points(&config.fields[li]));
        let hand_order = order
            .iter()
            .enumerate()
            .map(|(step, &i)| {
                let rest: f64 = order[step + 1..].iter().filter(|&&j| !is_name(j)).map(|&j| most_points(&config.fields[j])).sum();
                (i, rest + names_most)
            })
            .collect();
        Matcher { config, plan, names, hand_order }
    }

    /// A candidate pair's hand-weighted score when it reaches `threshold` (exactly
    /// [`Matcher::score_prepared`]'s), else `None`. Fields are compared cheapest first, and
    /// the comparison stops as soon as the fields left cannot lift the score to the
    /// threshold. `a` and `b` are the records' values ([`Matcher::decode`]); `sims` is a
    /// buffer for each field's (similarity, points).
    fn hand_match(&self, a: &[Norm], b: &[Norm], threshold: f64, sims: &mut Vec<Option<(f64, f64)>>) -> Option<f64> {
        let fields = &self.config.fields;
        let is_name = |i: usize| self.names.is_some_and(|(fi, li)| i == fi || i == li);
        sims.clear();
        sims.resize(fields.len(), None);
        // Points of the fields compared so far, names left out (see `hand_order`).
        let mut known = 0.0;
        for &(i, rest) in &self.hand_order {
            sims[i] = self.field_points(i, at(a, i), at(b, i), fields[i].comparator);
            if let Some((_, points)) = sims[i]
                && !is_name(i)
            {
                known += points;
            }
            // The margin keeps rounding in this partial sum from dropping a pair whose
            // score, summed in configuration order, reaches the threshold.
            if known + rest < threshold - 1e-9 {
                return None;
            }
        }
        // The score summed as `score_prepared` sums it, so it is the same number.
        let mut total = 0.0;
        for s in sims.iter().flatten() {
            total += s.1;
        }
        if let Some((fi, li)) = self.names
            && let (Some(sf), Some(sl)) = (sims[fi], sims[li])
            && sf.1 + sl.1 < fields[fi].agree + fields[li].agree
            && let Some([cf, cl]) = self.swapped_names(a, b)
            && cf.1 + cl.1 > sf.1 + sl.1
        {
            total += cf.1 + cl.1 - (sf.1 + sl.1);
        }
        (total >= threshold).then_some(total)
    }

    /// Prepares records (see [`PreparedSet`]).
    fn prepare_records(&self, records: &[Record]) -> PreparedSet {
        PreparedSet::build(records.len(), self.config.fields.len(), PREPARED_CHUNK, |i, text, ends| {
            self.prepare_into(&records[i], text, ends)
        })
    }

    /// Appends a record's normalised texts to `text` and, per field, where its sorted words
    /// start and its text ends in `text` to `ends`.
    fn prepare_into(&self, r: &Record, text: &mut String, ends: &mut Vec<(u32, u32)>) {
        for (i, f) in self.config.fields.iter().enumerate() {
            let start = text.len();
            let at = match r.values.get(i).and_then(|v| v.as_deref()) {
                Some(v) if !v.trim().is_empty() => normalize_into(f.comparator, v, text),
                _ => start,
            };
            match (u32::try_from(at), u32::try_from(text.len())) {
                (Ok(at), Ok(end)) => ends.push((at, end)),
                _ => {
                    // Beyond 4 GiB of text in one chunk: the value is left out.
                    text.truncate(start);
                    let start = u32::try_from(start).unwrap_or(u32::MAX);
                    ends.push((start, start));
                }
            }
        }
    }

    /// Field `i` of a prepared record.
    fn value<'p>(&self, p: Prepared<'p>, i: usize) -> Norm<'p> {
        p.value(i, self.config.fields[i].comparator)
    }

    /// Appends every field's value of a prepared record to `out`, in configuration order:
    /// decoded once per record and block instead of once per pair.
    fn decode<'p>(&self, p: Prepared<'p>, out: &mut Vec<Norm<'p>>) {
        out.extend((0..self.config.fields.len()).map(|i| self.value(p, i)));
    }

    /// A prepared record's values ([`Matcher::decode`]).
    fn values<'p>(&self, p: Prepared<'p>) -> Vec<Norm<'p>> {
        let mut out = Vec::with_capacity(self.config.fields.len());
        self.decode(p, &mut out);
        out
    }

    /// Scores one pair of records: the sum of the fields' points, with the evidence.
    pub fn score(&self, a: &Record, b: &Record) -> (f64, Vec<Evidence>) {
        let set =
            PreparedSet::build(2, self.config.fields.len(), 2, |i, text, ends| self.prepare_into(if i == 0 { a } else { b }, text, ends));
        self.score_prepared(set.get(0), set.get(1), true)
    }

    /// Like [`Matcher::prepare`], reading the configured fields of a lead directly.
    fn prepare_leads(&self, leads: &[Lead]) -> PreparedSet {
        PreparedSet::build(leads.len(), self.config.fields.len(), PREPARED_CHUNK, |i, text, ends| {
            self.prepare_into(&record_of(&leads[i], self.config), text, ends)
        })
    }

    fn field_points(&self, i: usize, va: Norm, vb: Norm, comparator: Comparator) -> Option<(f64, f64)> {
        let f = &self.config.fields[i];
        let sim = match (va, vb) {
            (Norm::Number(x), Norm::Number(y)) => number_similarity(x, y),
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
    fn swapped_names(&self, a: &[Norm], b: &[Norm]) -> Option<[(f64, f64); 2]> {
        let (fi, li) = self.names?;
        let first = self.field_points(fi, at(a, fi), at(b, li), Comparator::FirstName)?;
        let last = self.field_points(li, at(a, li), at(b, fi), Comparator::LastName)?;
        // Both orders of b's names are tried, so the score stays symmetric.
        let first_r = self.field_points(fi, at(b, fi), at(a, li), Comparator::FirstName)?;
        let last_r = self.field_points(li, at(b, li), at(a, fi), Comparator::LastName)?;
        Some(if first.1 + last.1 >= first_r.1 + last_r.1 { [first, last] } else { [first_r, last_r] })
    }

    fn score_prepared(&self, a: Prepared, b: Prepared, with_evidence: bool) -> (f64, Vec<Evidence>) {
        self.score_values(&self.values(a), &self.values(b), with_evidence)
    }

    /// [`Matcher::score_prepared`] on the records' values ([`Matcher::decode`]).
    fn score_values(&self, a: &[Norm], b: &[Norm], with_evidence: bool) -> (f64, Vec<Evidence>) {
        let mut total = 0.0;
        let mut evidence = Vec::new();
        let mut per_field: [Option<(f64, f64)>; 2] = [None, None];
        for (i, f) in self.config.fields.iter().enumerate() {
            let Some((sim, points)) = self.field_points(i, at(a, i), at(b, i), f.comparator) else { continue };
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
                    field: i as u32,
                    versus: None,
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
                for e in &mut evidence {
                    let (versus, (sim, points)) = if e.field as usize == fi {
                        (li, cf)
                    } else if e.field as usize == li {
                        (fi, cl)
                    } else {
                        continue;
                    };
                    e.versus = Some(versus as u32);
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
    fn field_sims(&self, a: &[Norm], b: &[Norm], out: &mut Vec<Option<(f64, f64)>>) -> bool {
        out.clear();
        for (i, f) in self.config.fields.iter().enumerate() {
            out.push(self.field_points(i, at(a, i), at(b, i), f.comparator));
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
    fn pattern(&self, a: &[Norm], b: &[Norm], buf: &mut Vec<Option<(f64, f64)>>) -> Pattern {
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
    fn score_learned(&self, model: &em::Model, a: Prepared, b: Prepared) -> (f64, f64, Vec<Evidence>) {
        let mut sims = Vec::with_capacity(self.config.fields.len());
        let swapped = self.field_sims(&self.values(a), &self.values(b), &mut sims);
        let pattern = self.pattern_of(&sims);
        let mut evidence = Vec::new();
        for (i, s) in sims.iter().enumerate() {
            let Some((sim, _)) = s else { continue };
            let versus = match self.names {
                Some((fi, li)) if swapped && i == fi => Some(li as u32),
                Some((fi, li)) if swapped && i == li => Some(fi as u32),
                _ => None,
            };
            let points = model.level_weight(i, em::level_at(pattern, i));
            evidence.push(Evidence {
                field: i as u32,
                versus,
                similarity: (sim * 1000.0).round() / 1000.0,
                points: (points * 100.0).round() / 100.0,
            });
        }
        let w = model.match_weight(pattern);
        (w, model.probability(pattern), evidence)
    }

    /// Learns the weights: u from random pairs of records (seeded), m and λ by EM on the
    /// compared pairs' patterns.
    fn learn(&self, prepared: &PreparedSet, compared: &em::Histogram, start: &[f64]) -> em::Model {
        let cfg = &self.config.em;
        let fields = self.config.fields.len();
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
            .map_init(
                || (Vec::new(), Vec::new()),
                |(buf, values), c| {
                    em::histogram(c.iter().map(|&(a, b)| {
                        values.clear();
                        self.decode(prepared.get(a as usize), values);
                        self.decode(prepared.get(b as usize), values);
                        let (va, vb) = values.split_at(values.len() / 2);
                        self.pattern(va, vb, buf)
                    }))
                },
            )
            .reduce(Vec::new, em::merge_histograms);
        let settings = em::FitSettings { max_iterations: cfg.max_iterations, u_source: cfg.u_from, ..em::FitSettings::default() };
        let mut model = em::fit(compared, em::u_from_random(&random, fields, settings.pseudo_count), Some(start), &settings);
        model.random_pairs = index_pairs.len() as u64;
        model
    }

    /// Writes the text of blocking key `key_no` for a record into `buf`; `None` when a part
    /// has no value.
    fn key_text(&self, p: Prepared, key_no: usize, parts: &[(usize, Transform)], buf: &mut String) -> Option<()> {
        use std::fmt::Write as _;
        buf.clear();
        // Cannot fail: writing to a String.
        let _ = write!(buf, "{key_no}");
        for &(field, t) in parts {
            let v = self.value(p, field).text()?;
            buf.push('\u{1f}');
            match t {
                Transform::Value => buf.push_str(v),
                Transform::Initial => buf.push(v.chars().next()?),
                Transform::Phonetic | Transform::Nysiis => {
                    let before = buf.len();
                    let word = v.split(' ').next_back().unwrap_or(v);
                    if t == Transform::Phonetic {
                        text::phonetic_into(word, buf);
                    } else {
                        text::nysiis_into(word, 6, buf);
                    }
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
                    let w = self.value(p, other).text()?;
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
        Some(())
    }

    /// The hash of blocking key `key_no` for a record, with the pass number in the top byte
    /// (so blocks can be counted per pass).
    fn block_key(&self, p: Prepared, key_no: usize, parts: &[(usize, Transform)], buf: &mut String) -> Option<u64> {
        self.key_text(p, key_no, parts, buf)?;
        Some((xxh3_64(buf.as_bytes()) & (u64::MAX >> 8)) | ((key_no as u64 & 0xff) << 56))
    }

    /// Finds the duplicate pairs and clusters among `records`.
    pub fn run(&self, records: &[Record]) -> DedupeResult {
        self.run_timed(records, &mut |_| {})
    }

    /// [`Matcher::run`], calling `phase` with a name after each phase (for timings).
    pub fn run_timed(&self, records: &[Record], phase: &mut dyn FnMut(&'static str)) -> DedupeResult {
        let prepared = self.prepare_records(records);
        phase("prepare");
        self.run_prepared(prepared, phase)
    }

    /// [`Matcher::run`] on leads, reading the configured fields of each lead ([`record_of`])
    /// without keeping the raw records: the same result as `run(&records_of(leads, config))`
    /// with less memory.
    pub fn run_leads(&self, leads: &[Lead], phase: &mut dyn FnMut(&'static str)) -> DedupeResult {
        let prepared = self.prepare_leads(leads);
        phase("prepare");
        self.run_prepared(prepared, phase)
    }

    /// Blocks and sorted neighbourhoods of every pass: which records each pass compares.
    fn candidates(&self, prepared: &PreparedSet) -> Candidates {
        let n = prepared.len();
        let passes_n = self.plan.len();
        let max = self.config.max_block.max(2);
        let mut passes: Vec<PassStats> =
            self.config.blocking.iter().map(|k| PassStats { key: k.key.join("+"), ..PassStats::default() }).collect();
        let mut membership = vec![NOT_COMPARED; n * passes_n];
        let mut records: Vec<u32> = Vec::new();
        let mut units: Vec<Unit> = Vec::new();
        let mut windows = vec![0u32; passes_n];
        // Blocking passes, one at a time (so only one pass's keys are held): (key hash,
        // record) for every record with the key, sorted, so a block is a run of one hash.
        let mut keys: Vec<(u64, u32)> = Vec::new();
        for (pass, parts) in self.plan.iter().enumerate() {
            if self.config.blocking[pass].window.is_some() {
                continue;
            }
            keys.clear();
            keys.par_extend(
                (0..n)
                    .into_par_iter()
                    .map_init(String::new, |buf, i| self.block_key(prepared.get(i), pass, parts, buf).map(|h| (h, i as u32)))
                    .flatten_iter(),
            );
            keys.par_sort_unstable();
            keys.dedup();
            let stats = &mut passes[pass];
            for block in keys.chunk_by(|x, y| x.0 == y.0) {
                let size = block.len();
                if size > max {
                    stats.skipped_blocks += 1;
                    stats.skipped_records += size;
                    stats.skipped_pairs += size * (size - 1) / 2;
                    stats.largest_skipped = stats.largest_skipped.max(size);
                } else if size > 1 {
                    // The block's number in its pass: fewer than half the records, so never
                    // NOT_COMPARED.
                    let number = stats.blocks as u32;
                    stats.blocks += 1;
                    stats.pairs += size * (size - 1) / 2;
                    let at = records.len() as u32;
                    for &(_, i) in block {
                        membership[i as usize * passes_n + pass] = number;
                        records.push(i);
                    }
                    units.push(Unit {
                        pass: pass as u8,
                        start: at,
                        end: records.len() as u32,
                        window: 0,
                        end_of_run: records.len() as u32,
                    });
                }
            }
        }
        drop(keys);
        // Sorted-neighbourhood passes: records sorted by the key's text (ties by input order),
        // each compared with the next `window - 1`.
        for (k, parts) in self.plan.iter().enumerate() {
            let Some(window) = self.config.blocking[k].window else { continue };
            let mut sorted: Vec<(Box<str>, u32)> = (0..n)
                .into_par_iter()
                .map_init(String::new, |buf, i| self.key_text(prepared.get(i), k, parts, buf).map(|()| (Box::from(buf.as_str()), i as u32)))
                .flatten_iter()
                .collect();
            sorted.par_sort_unstable();
            let at = records.len();
            for (position, (_, i)) in sorted.iter().enumerate() {
                membership[*i as usize * passes_n + k] = position as u32;
                records.push(*i);
            }
            let len = sorted.len();
            drop(sorted);
            windows[k] = window as u32;
            let stats = &mut passes[k];
            stats.blocks = usize::from(len > 1);
            stats.pairs = (1..window).map(|d| len.saturating_sub(d)).sum();
            // Units of a few thousand records each, so the pass runs in parallel; a unit's
            // last records reach into the next unit's (the run ends at `at + len`).
            let mut from = 0;
            while from + 1 < len {
                let to = (from + SORTED_CHUNK).min(len);
                units.push(Unit {
                    pass: k as u8,
                    start: (at + from) as u32,
                    end: (at + to) as u32,
                    window: window as u32,
                    end_of_run: (at + len) as u32,
                });
                from = to;
            }
        }
        Candidates { passes_n, membership, records, units, windows, passes }
    }

    /// Calls `visit(a, b, pass, values of a, values of b)` for each candidate pair of `unit`
    /// that no earlier pass compares (so each pair is visited once over all passes, in its
    /// first pass), `a < b`. The unit's records are decoded once into `values`.
    fn each_new_pair<'p>(
        &self,
        c: &Candidates,
        prepared: &'p PreparedSet,
        unit: &Unit,
        values: &mut Vec<Norm<'p>>,
        mut visit: impl FnMut(u32, u32, usize, &[Norm<'p>], &[Norm<'p>]),
    ) {
        let pass = unit.pass as usize;
        let seen_earlier = |a: u32, b: u32| {
            let (ma, mb) = (&c.membership[a as usize * c.passes_n..][..pass], &c.membership[b as usize * c.passes_n..][..pass]);
            ma.iter()
                .zip(mb)
                .zip(&c.windows)
                .any(|((&x, &y), &w)| x != NOT_COMPARED && y != NOT_COMPARED && if w == 0 { x == y } else { x.abs_diff(y) < w })
        };
        // The records the unit reaches: a block's, or a stretch of a sorted run with the
        // window's reach beyond it.
        let start = unit.start as usize;
        let reach = if unit.window == 0 { unit.end } else { unit.end.saturating_add(unit.window - 1).min(unit.end_of_run) };
        let records = &c.records[start..reach as usize];
        values.clear();
        for &r in records {
            self.decode(prepared.get(r as usize), values);
        }
        let fields = self.config.fields.len();
        let values = &values[..];
        let mut pair = |i: usize, j: usize| {
            let (x, y) = (records[i], records[j]);
            let ((a, ia), (b, ib)) = if x < y { ((x, i), (y, j)) } else { ((y, j), (x, i)) };
            if !seen_earlier(a, b) {
                visit(a, b, pass, &values[ia * fields..][..fields], &values[ib * fields..][..fields]);
            }
        };
        if unit.window == 0 {
            for i in 0..records.len() {
                for j in i + 1..records.len() {
                    pair(i, j);
                }
            }
        } else {
            let window = unit.window as usize;
            for i in 0..(unit.end - unit.start) as usize {
                for j in i + 1..(i + window).min(records.len()) {
                    pair(i, j);
                }
            }
        }
    }

    /// Folds every new candidate pair (see [`Matcher::each_new_pair`]) in parallel; the
    /// result must not depend on the order (counts, sets, lists sorted afterwards).
    fn sweep<'p, T: Send>(
        &self,
        c: &Candidates,
        prepared: &'p PreparedSet,
        init: impl Fn() -> T + Sync + Send,
        visit: impl Fn(&mut T, u32, u32, usize, &[Norm<'p>], &[Norm<'p>]) + Sync + Send,
        merge: impl Fn(T, T) -> T + Sync + Send,
    ) -> T {
        c.units
            .par_iter()
            .fold(
                || (init(), Vec::new()),
                |(mut acc, mut values), unit| {
                    self.each_new_pair(c, prepared, unit, &mut values, |a, b, pass, va, vb| visit(&mut acc, a, b, pass, va, vb));
                    (acc, values)
                },
            )
            .map(|(acc, _)| acc)
            .reduce(&init, &merge)
    }

    fn run_prepared(&self, prepared: PreparedSet, phase: &mut dyn FnMut(&'static str)) -> DedupeResult {
        let c = self.candidates(&prepared);
        phase("blocking");
        let add = |mut a: Vec<usize>, b: Vec<usize>| {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
            a
        };
        let mut passes = c.passes.clone();
        let mut notes = Vec::new();
        let mut model = None;
        let (new_pairs, matched): (Vec<usize>, Pieces) = match self.config.weights {
            Weights::Hand => {
                let threshold = self.config.threshold;
                let (new_pairs, matched, _) = self.sweep(
                    &c,
                    &prepared,
                    || (vec![0usize; c.passes_n], Pieces::default(), Vec::new()),
                    |(counts, out, sims), a, b, pass, va, vb| {
                        counts[pass] += 1;
                        if let Some(score) = self.hand_match(va, vb, threshold, sims) {
                            out.push(MatchPair { a, b, score: (score * 100.0).round() / 100.0, probability: None });
                        }
                    },
                    |x, y| (add(x.0, y.0), x.1.join(y.1), Vec::new()),
                );
                (new_pairs, matched)
            }
            Weights::Em => {
                // Each pattern's count, and the sum of the hand-set weights' view of its pairs as
                // the EM's start (a probability in millionths, so that sums do not depend on
                // thread order).
                type Counts = rustc_hash::FxHashMap<Pattern, (u64, u64)>;
                let (new_pairs, counts, _) = self.sweep(
                    &c,
                    &prepared,
                    || (vec![0usize; c.passes_n], Counts::default(), Vec::new()),
                    |(n, counts, buf), _, _, pass, va, vb| {
                        n[pass] += 1;
                        self.field_sims(va, vb, buf);
                        let hand: f64 = buf.iter().flatten().map(|s| s.1).sum();
                        let p = em::probability_of_weight(hand - self.config.threshold);
                        let e = counts.entry(self.pattern_of(buf)).or_default();
                        e.0 += 1;
                        e.1 += (p * 1e6).round() as u64;
                    },
                    |x, y| {
                        let (mut big, small) = if x.1.len() >= y.1.len() { (x.1, y.1) } else { (y.1, x.1) };
                        for (p, (n, s)) in small {
                            let e = big.entry(p).or_default();
                            e.0 += n;
                            e.1 += s;
                        }
                        (add(x.0, y.0), big, Vec::new())
                    },
                );
                phase("patterns");
                if counts.is_empty() {
                    notes.push("weights = \"em\": no candidate pairs to learn weights from, so no pair was scored".to_string());
                    (new_pairs, Pieces::default())
                } else {
                    let (compared, start) = em::start_histogram_of(counts);
                    let m = self.learn(&prepared, &compared, &start);
                    phase("learning");
                    if !m.converged {
                        notes.push(format!(
                            "weights = \"em\": the estimation did not converge in {} iterations (em.max_iterations); the weights are those of the last iteration",
                            m.iterations
                        ));
                    }
                    let min_weight = em::weight_of_probability(self.config.em.match_probability);
                    // The pairs again, each pattern computed anew (cheaper in memory than
                    // keeping one per candidate pair).
                    let (_, matched, _) = self.sweep(
                        &c,
                        &prepared,
                        || (0u8, Pieces::default(), Vec::new()),
                        |(_, out, buf), a, b, _, va, vb| {
                            let pattern = self.pattern(va, vb, buf);
                            let score = m.match_weight(pattern);
                            if score >= min_weight {
                                let p = m.probability(pattern);
                                out.push(MatchPair { a, b, score: (score * 100.0).round() / 100.0, probability: Some(p) });
                            }
                        },
                        |x, y| (0, x.1.join(y.1), Vec::new()),
                    );
                    model = Some(m);
                    (new_pairs, matched)
                }
            }
        };
        let mut matched = matched.into_vec();
        matched.par_sort_unstable_by_key(|p| (p.a, p.b));
        for (p, n) in passes.iter_mut().zip(&new_pairs) {
            p.new_pairs = *n;
        }
        let candidates: usize = new_pairs.iter().sum();
        drop(c);
        phase("scoring");
        let clusters = clusters(prepared.len(), matched.iter().map(|p| (p.a, p.b)));
        phase("clusters");
        let stats = DedupeStats {
            records: prepared.len(),
            candidate_pairs: candidates,
            matched_pairs: matched.len(),
            clusters: clusters.len(),
            records_in_clusters: clusters.iter().map(Vec::len).sum(),
            skipped_blocks: passes.iter().map(|p| p.skipped_blocks).sum(),
            skipped_pairs: passes.iter().map(|p| p.skipped_pairs).sum(),
            passes,
        };
        notes.extend(mostly_matched_note(stats.candidate_pairs, stats.matched_pairs, model.is_some()));
        DedupeResult { pairs: matched, clusters, stats, model, notes, prepared }
    }
}

/// Fewer compared pairs than this are too few to judge the share of matches by.
const MOSTLY_MATCHED_MIN_PAIRS: usize = 10_000;

/// A note when more than half of the compared pairs are matched: blocking brings together
/// mostly different people (namesakes, colleagues), so weights that match most of them
/// cannot tell people apart. With learned weights this is how a collapsed fit shows (a field
/// that says little about who someone is, such as a country, split the pairs instead).
fn mostly_matched_note(compared: usize, matched: usize, learned: bool) -> Option<String> {
    if compared < MOSTLY_MATCHED_MIN_PAIRS || matched * 2 <= compared {
        return None;
    }
    let share = matched as f64 / compared as f64 * 100.0;
    let hint = if learned {
        "the learned weights have probably collapsed: leave out a compared field that says little about who someone is (a country, a source) or use --weights hand"
    } else {
        "check the threshold and the agree and disagree points"
    };
    Some(format!(
        "{matched} of the {compared} compared pairs ({share:.0}%) are duplicates; blocking mostly brings different people together, so the weights do not tell people apart: {hint}"
    ))
}

/// Matched pairs gathered in parallel, in pieces joined once at their final size (appending
/// piece to piece would copy them as the vector grows, holding two copies at a time).
#[derive(Default)]
struct Pieces(Vec<Vec<MatchPair>>);

impl Pieces {
    fn push(&mut self, pair: MatchPair) {
        match self.0.last_mut() {
            Some(piece) => piece.push(pair),
            None => self.0.push(vec![pair]),
        }
    }

    fn join(mut self, other: Pieces) -> Pieces {
        self.0.extend(other.0);
        self
    }

    fn into_vec(self) -> Vec<MatchPair> {
        let mut all = Vec::with_capacity(self.0.iter().map(Vec::len).sum());
        for piece in self.0 {
            all.extend_from_slice(&piece);
        }
        all
    }
}

/// A record's entry in a pass it has no compared block in.
const NOT_COMPARED: u32 = u32::MAX;

/// Records per unit of work in a sorted-neighbourhood pass.
const SORTED_CHUNK: usize = 4096;

/// The comparisons every pass makes, without the pairs themselves (they are generated as
/// they are scored).
struct Candidates {
    passes_n: usize,
    /// Per record and pass (`record * passes_n + pass`): the number of the block the
    /// record is compared in, its position in a sorted-neighbourhood pass, or
    /// [`NOT_COMPARED`].
    membership: Vec<u32>,
    /// The records of every compared block and sorted run, one after the other.
    records: Vec<u32>,
    units: Vec<Unit>,
    /// Each pass's window (0 for a blocking pass).
    windows: Vec<u32>,
    passes: Vec<PassStats>,
}

/// One unit of work: a block (`records[start..end]`, every pair) or a stretch of a sorted
/// run (each record from `start` to `end` with its next `window - 1` in the run).
#[derive(Debug, Clone, Copy)]
struct Unit {
    pass: u8,
    start: u32,
    end: u32,
    window: u32,
    end_of_run: u32,
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

    #[test]
    fn most_pairs_matched_is_a_note() {
        assert_eq!(mostly_matched_note(9_999, 9_999, true), None, "too few pairs to judge");
        assert_eq!(mostly_matched_note(100_000, 50_000, true), None, "half is not more than half");
        let learned = mostly_matched_note(1_023_716, 821_686, true).expect("a collapsed fit");
        assert!(learned.starts_with("821686 of the 1023716 compared pairs (80%) are duplicates"), "{learned}");
        assert!(learned.contains("--weights hand"), "{learned}");
        let hand = mostly_matched_note(20_000, 15_000, false).expect("hand weights too");
        assert!(hand.contains("threshold"), "{hand}");
    }

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
        assert!(r.pairs.iter().all(|p| p.a < p.b && !r.evidence(&m, p).is_empty()));
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
        let company = evidence.iter().find(|e| e.label(&cfg) == "company").unwrap();
        assert_eq!(company.similarity, 1.0);
    }

    fn address(v: &[&str]) -> Record {
        // email, phone, first, last, company, domain, (country: not compared by the
        // address preset, dropped), street, city, postcode
        let mut v = v.to_vec();
        v.remove(6);
        rec(&v)
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
        assert!(evidence.iter().any(|e| e.label(&cfg) == "first_name (vs last_name)" && e.points > 0.0), "{evidence:?}");
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
    fn every_lead_field_the_configuration_accepts_is_read() {
        let mut lead = crate::labelled::generate(1, 1).leads.remove(0);
        lead.email = Some("a@b.com".into());
        lead.first_name = Some("Ann".into());
        lead.last_name = Some("Lee".into());
        lead.company = Some("Acme".into());
        lead.domain = Some("acme.com".into());
        lead.phone = Some("+1 415 555 0100".into());
        lead.title = Some("CTO".into());
        lead.account_id = Some("A1".into());
        lead.industry = Some("software".into());
        lead.employees = Some(40);
        lead.annual_revenue = Some(1e6);
        lead.country = Some("DE".into());
        lead.source = Some("web".into());
        lead.campaign = Some("c".into());
        lead.use_case = Some("u".into());
        lead.created_at = Some("2026-01-02T00:00:00Z".parse().unwrap());
        for name in crate::config::LEAD_FIELDS {
            assert!(lead_field_text(&lead, name).is_some(), "{name} is not read");
        }
        assert_eq!(lead_field_text(&lead, "country").as_deref(), Some("DE"));
    }

    #[test]
    fn country_is_compared() {
        let cfg = DedupeConfig::default_config();
        let set = crate::labelled::generate(30, 2);
        let mut lead = set.leads[0].clone();
        lead.country = Some("Germany".into());
        let r = record_of(&lead, &cfg);
        let i = cfg.fields.iter().position(|f| f.field == "country").unwrap();
        assert_eq!(r.values[i].as_deref(), Some("Germany"));
        let mut other = lead.clone();
        other.country = Some("FR".into());
        let m = Matcher::new(&cfg);
        let (_, evidence) = m.score(&r, &record_of(&other, &cfg));
        let country = evidence.iter().find(|e| e.label(&cfg) == "country").expect("country compared");
        assert_eq!(country.points, -cfg.fields[i].disagree);
    }

    /// The address preset with a sorted-neighbourhood pass on the last name's NYSIIS code
    /// and the first name.
    fn with_sorted_pass(window: usize) -> DedupeConfig {
        let text = format!(
            "{}\n[[blocking]]\nkey = [\"last_name:nysiis\", \"first_name:value\"]\nwindow = {window}\n",
            crate::labelled::ADDRESS_CONFIG
        );
        DedupeConfig::from_toml(&text, "address+sorted").unwrap()
    }

    /// Every candidate pair, by brute force over all pairs: the passes that compare it.
    fn brute_force_passes(m: &Matcher, prepared: &PreparedSet) -> Vec<Vec<usize>> {
        let n = prepared.len();
        let mut buf = String::new();
        let mut by_pass: Vec<Vec<Option<String>>> = Vec::new();
        for (k, parts) in m.plan.iter().enumerate() {
            by_pass.push((0..n).map(|i| m.key_text(prepared.get(i), k, parts, &mut buf).map(|()| buf.clone())).collect());
        }
        let mut out = vec![Vec::new(); n * n];
        for (k, keys) in by_pass.iter().enumerate() {
            match m.config.blocking[k].window {
                None => {
                    let size = |key: &String| keys.iter().filter(|x| x.as_ref() == Some(key)).count();
                    for a in 0..n {
                        for b in a + 1..n {
                            if let (Some(x), Some(y)) = (&keys[a], &keys[b])
                                && x == y
                                && size(x) <= m.config.max_block
                            {
                                out[a * n + b].push(k);
                            }
                        }
                    }
                }
                Some(w) => {
                    let mut order: Vec<(String, usize)> = keys.iter().enumerate().filter_map(|(i, x)| x.clone().map(|x| (x, i))).collect();
                    order.sort();
                    for i in 0..order.len() {
                        for j in i + 1..(i + w).min(order.len()) {
                            let (a, b) = (order[i].1.min(order[j].1), order[i].1.max(order[j].1));
                            out[a * n + b].push(k);
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn each_candidate_pair_is_compared_once_in_its_first_pass() {
        let set = crate::labelled::generate(150, 9);
        for (window, max_block) in [(3, 64), (6, 4)] {
            let mut cfg = with_sorted_pass(window);
            cfg.max_block = max_block;
            let m = Matcher::new(&cfg);
            let records = records_of(&set.leads, &cfg);
            let prepared = m.prepare_records(&records);
            let expected = brute_force_passes(&m, &prepared);
            let n = records.len();
            let r = m.run(&records);
            let mut first = vec![0usize; cfg.blocking.len()];
            let mut all = vec![0usize; cfg.blocking.len()];
            let mut matched = Vec::new();
            for a in 0..n {
                for b in a + 1..n {
                    let passes = &expected[a * n + b];
                    for &k in passes {
                        all[k] += 1;
                    }
                    if let Some(&k) = passes.first() {
                        first[k] += 1;
                        if m.score_prepared(prepared.get(a), prepared.get(b), false).0 >= cfg.threshold {
                            matched.push((a as u32, b as u32));
                        }
                    }
                }
            }
            assert_eq!(r.stats.candidate_pairs, first.iter().sum::<usize>());
            assert_eq!(r.stats.passes.iter().map(|p| p.new_pairs).collect::<Vec<_>>(), first, "window {window}");
            assert_eq!(r.stats.passes.iter().map(|p| p.pairs).collect::<Vec<_>>(), all, "window {window}");
            assert_eq!(r.pairs.iter().map(|p| (p.a, p.b)).collect::<Vec<_>>(), matched);
            let sorted = r.stats.passes.last().unwrap();
            assert!(sorted.new_pairs > 0, "{sorted:?}");
        }
    }

    #[test]
    fn the_sorted_neighbourhood_finds_pairs_blocks_miss() {
        // One key: the last name's NYSIIS code, sorted; "Kowalczyk" and "Kowalcyk" have
        // different codes, so only the window brings them together.
        let text = "threshold = 4.0\n[[fields]]\nfield = \"last_name\"\ncomparator = \"last_name\"\nagree = 5.0\ndisagree = 5.0\n\
                    [[fields]]\nfield = \"first_name\"\ncomparator = \"first_name\"\nagree = 3.0\ndisagree = 5.0\n\
                    [[blocking]]\nkey = [\"last_name:value\"]\n";
        let rec2 = |l: &str, f: &str| Record { values: vec![Some(l.to_string()), Some(f.to_string())] };
        let data = [rec2("Kowalczyk", "Marek"), rec2("Abbott", "Ann"), rec2("Kowalcyk", "Marek"), rec2("Zimmer", "Jo")];
        let blocks = DedupeConfig::from_toml(text, "t").unwrap();
        assert!(Matcher::new(&blocks).run(&data).pairs.is_empty());
        let sorted = DedupeConfig::from_toml(&text.replace("last_name:value\"]", "last_name:value\"]\nwindow = 2"), "t").unwrap();
        let r = Matcher::new(&sorted).run(&data);
        assert_eq!(r.clusters, vec![vec![0, 2]]);
        assert_eq!((r.stats.passes[0].pairs, r.stats.passes[0].new_pairs), (3, 3));
    }

    #[test]
    fn skipped_blocks_count_their_pairs() {
        let mut cfg = DedupeConfig::from_toml(crate::labelled::ADDRESS_CONFIG, "address").unwrap();
        cfg.max_block = 3;
        let m = Matcher::new(&cfg);
        let same = |i: usize| address(&["", "", "John", "Smith", "", "", "US", &format!("{i} Main St"), "Boston", "02108"]);
        let r = m.run(&(0..5).map(same).collect::<Vec<_>>());
        let pass = r.stats.passes.iter().find(|p| p.key == "postcode+last_name:phonetic").unwrap();
        assert_eq!((pass.skipped_blocks, pass.skipped_pairs), (1, 10));
        assert_eq!(r.stats.skipped_pairs, r.stats.passes.iter().map(|p| p.skipped_pairs).sum::<usize>());
    }

    #[test]
    fn stopping_early_keeps_exactly_the_pairs_and_scores_of_full_scoring() {
        let set = crate::labelled::generate(120, 4);
        for cfg in [DedupeConfig::default_config(), DedupeConfig::from_toml(crate::labelled::ADDRESS_CONFIG, "address").unwrap()] {
            let m = Matcher::new(&cfg);
            let prepared = m.prepare_records(&records_of(&set.leads, &cfg));
            let (mut reached, mut buf) = (0, Vec::new());
            for i in 0..prepared.len() {
                for j in i + 1..prepared.len() {
                    let (a, b) = (prepared.get(i), prepared.get(j));
                    let (score, _) = m.score_prepared(a, b, false);
                    // The configured threshold, and the pair's own score (the edge case).
                    for threshold in [cfg.threshold, score] {
                        let expected = (score >= threshold).then_some(score);
                        let got = m.hand_match(&m.values(a), &m.values(b), threshold, &mut buf);
                        assert_eq!(got.map(f64::to_bits), expected.map(f64::to_bits));
                    }
                    reached += usize::from(score >= cfg.threshold);
                }
            }
            assert!(reached > 10, "{reached}");
        }
    }

    #[test]
    fn prepared_records_give_back_each_value() {
        let toml = "threshold = 1.0\n[[fields]]\nfield = \"a\"\ncomparator = \"company\"\nagree = 1.0\n\
                    [[fields]]\nfield = \"b\"\ncomparator = \"numeric\"\nagree = 1.0\n\
                    [[fields]]\nfield = \"c\"\ncomparator = \"exact\"\nagree = 1.0\n\
                    [[fields]]\nfield = \"d\"\ncomparator = \"numeric\"\nagree = 1.0\n\
                    [[fields]]\nfield = \"e\"\ncomparator = \"last_name\"\nagree = 1.0\n[[blocking]]\nkey = [\"c\"]\n";
        let cfg = DedupeConfig::from_toml(toml, "t").unwrap();
        let m = Matcher::new(&cfg);
        let company = text::normalize_company("Müller Bau GmbH");
        let sorted = text::sorted_words(&company).expect("several words");
        for number in [0.1f64, -0.0, 1e300, 5e-324, 123_456_789.125] {
            let written = format!(" {number:e} ");
            let raw = [Some("Müller Bau GmbH"), Some(written.as_str()), None, Some("x"), Some("García Márquez")];
            let set = m.prepare_records(&[Record { values: raw.iter().map(|v| v.map(str::to_string)).collect() }]);
            let p = set.get(0);
            assert_eq!(m.value(p, 0), Norm::Words(&company, &sorted));
            assert!(matches!(m.value(p, 1), Norm::Number(x) if x.to_bits() == number.to_bits()), "{number}");
            assert_eq!(m.value(p, 2), Norm::Absent);
            assert_eq!(m.value(p, 3), Norm::Absent, "not a number");
            assert_eq!(m.value(p, 4), Norm::Text("garcia marquez"));
            assert_eq!(set.get(1), Prepared::default(), "out of range");
        }
    }

    #[test]
    fn records_in_shared_chunks_give_back_their_own_values() {
        // Every record of the labelled set, prepared in chunks of 1, 3 and the default size:
        // the same values as each record prepared alone.
        let set = crate::labelled::generate(200, 6);
        let cfg = DedupeConfig::from_toml(crate::labelled::ADDRESS_CONFIG, "address").unwrap();
        let m = Matcher::new(&cfg);
        let records = records_of(&set.leads, &cfg);
        let fields = cfg.fields.len();
        let alone: Vec<PreparedSet> = records.iter().map(|r| m.prepare_records(std::slice::from_ref(r))).collect();
        for chunk in [1, 3, PREPARED_CHUNK] {
            let shared = PreparedSet::build(records.len(), fields, chunk, |i, text, ends| m.prepare_into(&records[i], text, ends));
            assert_eq!(shared.len(), records.len());
            for (i, one) in alone.iter().enumerate() {
                assert_eq!(m.values(shared.get(i)), m.values(one.get(0)), "record {i}, chunk {chunk}");
            }
            assert_eq!(shared.get(records.len()), Prepared::default());
        }
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
