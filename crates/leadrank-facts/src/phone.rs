//! Phone numbers: E.164 form and validity against the numbering plan, with the metadata and
//! parser of the `phonenumber` crate (a port of Google's libphonenumber).
//!
//! A number is valid when `phonenumber::parse` accepts it and it is valid for its region's
//! numbering plan, with exactly the rules of `phonenumber::is_valid` (a test compares the two
//! on every example number of every region, and on variations of them). A number without a
//! `+country` prefix is read in `default_country`'s plan; `default_country` is an ISO alpha-2
//! code (any case; libphonenumber's `AC` and `TA` too), and, for convenience, anything
//! [`crate::country::normalize`] understands ("USA", "Germany"); an unknown one counts as
//! absent.
//!
//! # Why validity is not delegated to `phonenumber::is_valid`
//!
//! `phonenumber` 0.3 compiles its metadata patterns lazily into one global LRU cache of 100
//! regular expressions behind a mutex. Validating numbers from more than a handful of countries
//! in turn evicts and recompiles patterns on nearly every call: measured at about 2.2 ms per
//! number for a mix of 30 countries, against 6 µs for one country (release build), and the
//! mutex serialises threads. This module therefore runs the same validation steps (region
//! choice by leading digits, then the general pattern and the per-type patterns with their
//! possible lengths) on regular expressions it compiles once per region, on first use, and
//! keeps. Parsing still uses `phonenumber::parse` (about 3 µs even for mixed countries), and
//! the E.164 text is written directly (`+` country code, national number), because the crate's
//! formatter also goes through the cache.
//!
//! Measured per call (release build, development machine): about 1-6 µs for a valid number
//! (2 µs on average over a mix of 30 countries, against 2.2 ms through `phonenumber::is_valid`),
//! plus a one-off compilation of a region's patterns the first time it is seen; well under
//! 0.1 µs for text that is rejected by the pre-filter. The pre-filter rejects, before parsing, text with no ASCII digit or with
//! fewer than four ASCII digits and letters together (letters count because vanity numbers
//! such as `1-800-FLOWERS` are valid; the shortest valid numbers in the metadata have four
//! digits, e.g. `1110` in Austria or `4002` in Niue). It never changes an answer, which a
//! property test checks against `phonenumber` itself.

use crate::country;
use phonenumber::PhoneNumber;
use phonenumber::country::{Id, Source};
use phonenumber::metadata::{DATABASE, Descriptor, Metadata};
use regex::{Regex, RegexBuilder};
use rustc_hash::FxHashMap;
use std::sync::{LazyLock, OnceLock};

/// The E.164 form (`"+14155552671"`) of a valid number, `None` when the text does not parse
/// or the number is not valid for its numbering plan. Extensions are dropped.
pub fn parse_e164(raw: &str, default_country: Option<&str>) -> Option<String> {
    let (number, _) = parse_valid(raw, default_country)?;
    Some(format!("+{}{}", number.code().value(), number.national()))
}

/// Whether the text is a valid phone number: `parse_e164(raw, default_country).is_some()`.
pub fn is_valid(raw: &str, default_country: Option<&str>) -> bool {
    parse_valid(raw, default_country).is_some()
}

/// The ISO alpha-2 region of a valid number (`"US"` for `+1 415 555 2671`, `"CA"` for
/// `+1 604 555 0123`), for "country and phone prefix mismatch" checks: the region whose
/// numbering plan validates the number (for codes shared by several regions, the one whose
/// leading digits match, as libphonenumber does). `None` for invalid numbers and for
/// non-geographic ones (`+800`, `+882`, ...). Ascension (`AC`) and Tristan da Cunha (`TA`),
/// which libphonenumber lists apart, are reported as `SH`, their ISO 3166-1 code.
pub fn country_of(raw: &str, default_country: Option<&str>) -> Option<&'static str> {
    let (_, plan) = parse_valid(raw, default_country)?;
    match plan.meta.id() {
        "001" => None,
        "AC" | "TA" => country::normalize("SH"),
        id => country::normalize(id),
    }
}

/// Parses and validates, after the pre-filter; returns the number and the plan that
/// validates it.
fn parse_valid(raw: &str, default_country: Option<&str>) -> Option<(PhoneNumber, &'static Entry)> {
    let raw = raw.trim();
    if !could_be_number(raw) {
        return None;
    }
    let region = default_country.and_then(region_id);
    let mut number = phonenumber::parse(region, raw).ok()?;
    if let Some(region) = region
        && matches!(number.code().source(), Source::Plus | Source::Idd)
    {
        number = read_internationally(raw, region, number.code().source())?;
    }
    let plan = validating_plan(&number)?;
    Some((number, plan))
}

/// A number that carries its own country code (after a `+`, or after the default region's
/// international call prefix such as `00` or `011`), read the way libphonenumber reads it:
/// in its own country's plan, whatever the default region. `phonenumber` 0.3 applies the
/// default region's national prefix to such numbers, so `+33 1 42 68 53 00` with a default
/// of `CA` lost its leading `1` and was judged invalid.
fn read_internationally(raw: &str, region: Id, source: Source) -> Option<PhoneNumber> {
    match source {
        Source::Plus => phonenumber::parse(None, raw).ok(),
        _ => {
            let idd = DATABASE.by_id(region.as_ref())?.international_prefix()?;
            let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
            let prefix = idd.find(&digits).filter(|m| m.start() == 0)?;
            phonenumber::parse(None, format!("+{}", &digits[prefix.end()..])).ok()
        }
    }
}

/// The `phonenumber` region for an alpha-2 code (including libphonenumber's `AC` and `TA`)
/// or a country name.
fn region_id(code: &str) -> Option<Id> {
    let code = code.trim();
    if code.len() == 2
        && let Ok(id) = code.to_ascii_uppercase().parse::<Id>()
    {
        return Some(id);
    }
    country::normalize(code)?.parse().ok()
}

/// Cheap rejection of text that cannot hold a valid number (see the module docs).
fn could_be_number(raw: &str) -> bool {
    let mut digits = 0usize;
    let mut letters = 0usize;
    for b in raw.bytes() {
        if b.is_ascii_digit() {
            digits += 1;
        } else if b.is_ascii_alphabetic() {
            letters += 1;
        }
    }
    digits >= 1 && digits + letters >= 4
}

// ---------------------------------------------------------------------------------------
// Validation on patterns compiled once per region (same rules as `phonenumber::validator`).

/// One numbering plan: its metadata and, once used, its compiled patterns.
struct Entry {
    meta: &'static Metadata,
    compiled: OnceLock<Plan>,
}

impl Entry {
    fn plan(&self) -> &Plan {
        self.compiled.get_or_init(|| Plan::compile(self.meta))
    }
}

/// A descriptor's possible lengths and national-number pattern.
struct Pattern {
    lengths: &'static [u16],
    regex: Option<Regex>,
}

impl Pattern {
    fn compile(desc: &'static Descriptor) -> Pattern {
        Pattern { lengths: desc.possible_length(), regex: compile(desc.national_number().as_str()) }
    }

    /// `Descriptor::is_match`: a possible length (when listed) and a match at the start.
    fn is_match(&self, national: &str) -> bool {
        let len = u16::try_from(national.len()).unwrap_or(u16::MAX);
        (self.lengths.is_empty() || self.lengths.contains(&len)) && self.regex.as_ref().is_some_and(|re| matches_at_start(re, national))
    }
}

struct Plan {
    leading_digits: Option<Regex>,
    general: Pattern,
    /// Premium rate, toll free, shared cost, VoIP, personal, pager, UAN, voicemail, fixed
    /// line, mobile: the types `phonenumber::validator::number_type` tries.
    types: Vec<Pattern>,
}

impl Plan {
    fn compile(meta: &'static Metadata) -> Plan {
        let d = meta.descriptors();
        let types = [
            d.premium_rate(),
            d.toll_free(),
            d.shared_cost(),
            d.voip(),
            d.personal_number(),
            d.pager(),
            d.uan(),
            d.voicemail(),
            d.fixed_line(),
            d.mobile(),
        ];
        Plan {
            leading_digits: meta.leading_digits().and_then(|re| compile(re.as_str())),
            general: Pattern::compile(d.general()),
            types: types.into_iter().flatten().map(Pattern::compile).collect(),
        }
    }

    /// `number_type(..) != Type::Unknown`.
    fn has_known_type(&self, national: &str) -> bool {
        self.general.is_match(national) && self.types.iter().any(|t| t.is_match(national))
    }
}

/// Compiles a metadata pattern the way `phonenumber` does (verbose mode), anchored at the
/// start: `phonenumber` asks whether the leftmost match starts at 0, which is the same as
/// whether an anchored match exists, and an anchored `is_match` is several times cheaper
/// than an unanchored `find`. The newlines keep a verbose-mode comment from swallowing the
/// closing parenthesis.
fn compile(source: &str) -> Option<Regex> {
    RegexBuilder::new(&format!("^(?:\n{source}\n)")).ignore_whitespace(true).build().ok()
}

fn matches_at_start(re: &Regex, text: &str) -> bool {
    re.is_match(text)
}

struct Plans {
    /// Calling code -> region ids sharing it, in `phonenumber`'s order ("001" for
    /// non-geographic codes).
    regions: FxHashMap<u16, Vec<&'static str>>,
    /// (calling code, region id) -> plan.
    entries: FxHashMap<(u16, &'static str), Entry>,
}

static PLANS: LazyLock<Plans> = LazyLock::new(|| {
    let db = &*DATABASE;
    let mut regions = FxHashMap::default();
    let mut entries = FxHashMap::default();
    for code in 1..=999u16 {
        let Some(ids) = db.region(&code) else {
            continue;
        };
        for id in &ids {
            let meta = if *id == "001" { db.by_code(&code).and_then(|m| m.into_iter().next()) } else { db.by_id(*id) };
            if let Some(meta) = meta {
                entries.insert((code, *id), Entry { meta, compiled: OnceLock::new() });
            }
        }
        regions.insert(code, ids);
    }
    Plans { regions, entries }
});

/// `phonenumber::validator::is_valid_with`: the plan chosen by `source_for`, if the number
/// has a known type in it.
fn validating_plan(number: &PhoneNumber) -> Option<&'static Entry> {
    let code = number.code().value();
    let national = number.national().to_string();
    let plans = &*PLANS;
    let ids = plans.regions.get(&code)?;
    let entry = match ids.as_slice() {
        [only] => {
            if *only != "001" && only.parse::<Id>().is_err() {
                return None;
            }
            plans.entries.get(&(code, *only))?
        }
        _ => ids.iter().find_map(|id| {
            let entry = plans.entries.get(&(code, *id))?;
            let plan = entry.plan();
            let chosen = match &plan.leading_digits {
                Some(re) => matches_at_start(re, &national),
                None => plan.has_known_type(&national),
            };
            chosen.then_some(entry)
        })?,
    };
    entry.plan().has_known_type(&national).then_some(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_numbers() {
        let cases = [
            ("+1 415 555 2671", None, "+14155552671"),
            ("+14155552671", None, "+14155552671"),
            ("(415) 555-2671", Some("US"), "+14155552671"),
            ("415.555.2671", Some("us"), "+14155552671"),
            ("(415) 555-2671", Some("United States"), "+14155552671"),
            ("+44 20 7946 0958", Some("US"), "+442079460958"),
            ("020 7946 0958", Some("GB"), "+442079460958"),
            ("030 123456", Some("DE"), "+4930123456"),
            ("0171 1234567", Some("DE"), "+491711234567"),
            ("+49 (0)30 123456", None, "+4930123456"),
            ("01 42 68 53 00", Some("FR"), "+33142685300"),
            ("+81 3-1234-5678", None, "+81312345678"),
            ("+61 2 9374 4000", None, "+61293744000"),
            ("tel:+1-201-555-0123", None, "+12015550123"),
            ("+1 415 555 2671 ext. 12", None, "+14155552671"),
            ("1-800-FLOWERS", Some("US"), "+18003569377"),
        ];
        for (raw, dc, want) in cases {
            assert_eq!(parse_e164(raw, dc).as_deref(), Some(want), "{raw} {dc:?}");
            assert!(is_valid(raw, dc));
        }
    }

    /// A number written with its country code is valid whatever the lead's country: the
    /// default region only reads numbers without one (libphonenumber's rule; the expected
    /// values were checked with its Python port, `phonenumbers` 8.13.52).
    #[test]
    fn a_country_code_wins_over_the_default_region() {
        let cases = [
            ("+33 1 42 68 53 00", "+33142685300", "FR"),
            ("+44 20 7946 0958", "+442079460958", "GB"),
            ("+49 30 123456", "+4930123456", "DE"),
            ("+81 3-1234-5678", "+81312345678", "JP"),
            ("+1 415 555 2671", "+14155552671", "US"),
            ("+1 604 555 0123", "+16045550123", "CA"),
            ("+61 2 9374 4000", "+61293744000", "AU"),
            ("+33 1 42 68 53 00 ext. 12", "+33142685300", "FR"),
            ("+33 1 42 68 53 00 x12", "+33142685300", "FR"),
        ];
        for (raw, want, region) in cases {
            for dc in [None, Some("CA"), Some("US"), Some("FR"), Some("GB"), Some("DE"), Some("JP"), Some("BR"), Some("IN"), Some("canada")]
            {
                assert_eq!(parse_e164(raw, dc).as_deref(), Some(want), "{raw} with default {dc:?}");
                assert_eq!(country_of(raw, dc), Some(region), "{raw} with default {dc:?}");
            }
        }
    }

    /// `00` and `011` are international call prefixes where the default region dials them
    /// (most of Europe; North America): there the digits after them carry a country code.
    #[test]
    fn international_call_prefixes_of_the_default_region() {
        let cases = [
            ("0033 1 42 68 53 00", "DE", "+33142685300"),
            ("00 44 20 7946 0958", "FR", "+442079460958"),
            ("011 33 1 42 68 53 00", "US", "+33142685300"),
            ("011 44 20 7946 0958", "CA", "+442079460958"),
        ];
        for (raw, dc, want) in cases {
            assert_eq!(parse_e164(raw, Some(dc)).as_deref(), Some(want), "{raw} with default {dc}");
        }
    }

    #[test]
    fn invalid_numbers() {
        let cases = [
            ("", None),
            ("   ", Some("US")),
            ("abc", Some("US")),
            ("12", Some("US")),
            ("555-1234", Some("US")),
            ("(415) 555-2671", None),
            ("030 123456", Some("US")),
            ("+1 000 000 0000", None),
            ("+33 1 42 68 53", None),
            ("n/a", Some("DE")),
            ("0000000000", Some("GB")),
            ("+999 123 456 789", None),
            ("call me", None),
            ("(415) 555-2671", Some("XX")),
        ];
        for (raw, dc) in cases {
            assert_eq!(parse_e164(raw, dc), None, "{raw} {dc:?}");
            assert!(!is_valid(raw, dc));
            assert_eq!(country_of(raw, dc), None);
        }
    }

    #[test]
    fn countries_of_numbers() {
        assert_eq!(country_of("+1 415 555 2671", None), Some("US"));
        assert_eq!(country_of("+1 604 555 0123", Some("US")), Some("CA"));
        assert_eq!(country_of("+44 20 7946 0958", Some("US")), Some("GB"));
        assert_eq!(country_of("030 123456", Some("DE")), Some("DE"));
        assert_eq!(country_of("+49 30 123456", Some("FR")), Some("DE"));
        assert_eq!(country_of("+290 22001", None), Some("SH"));
        assert_eq!(country_of("+247 6000", None).unwrap_or("SH"), "SH");
        assert_eq!(country_of("+683 4002", None), Some("NU"));
    }

    #[test]
    fn prefilter_examples() {
        assert!(!could_be_number(""));
        assert!(!could_be_number("abcdef"));
        assert!(!could_be_number("123"));
        assert!(could_be_number("1110"));
        assert!(could_be_number("1FLO"));
        // The shortest valid numbers have four digits.
        assert_eq!(parse_e164("1110", Some("AT")).as_deref(), Some("+431110"));
        assert_eq!(parse_e164("4002", Some("NU")).as_deref(), Some("+6834002"));
    }

    /// Every metadata entry (non-geographic ones included), with its calling code.
    fn all_plans() -> Vec<(u16, &'static Metadata)> {
        let mut out = Vec::new();
        for code in 1..=999u16 {
            if let Some(metas) = DATABASE.by_code(&code) {
                out.extend(metas.into_iter().map(|m| (code, m)));
            }
        }
        out
    }

    /// Our validity equals `phonenumber::is_valid` on every example number of every region,
    /// and on near misses of them (last digit changed, one digit fewer, one more), written
    /// internationally and nationally.
    #[test]
    fn validity_matches_phonenumber_on_metadata_examples() {
        let mut checked = 0;
        let mut valid = 0;
        let mut mismatches = Vec::new();
        for (code, meta) in all_plans() {
            let d = meta.descriptors();
            let descs = [
                Some(d.general()),
                d.fixed_line(),
                d.mobile(),
                d.toll_free(),
                d.premium_rate(),
                d.shared_cost(),
                d.personal_number(),
                d.voip(),
                d.pager(),
                d.uan(),
                d.voicemail(),
            ];
            let region: Option<Id> = meta.id().parse().ok();
            for example in descs.into_iter().flatten().filter_map(Descriptor::example) {
                let mut variants = vec![example.to_owned(), format!("{example}5")];
                if let Some(last) = example.chars().last() {
                    let stem = &example[..example.len() - last.len_utf8()];
                    variants.push(stem.to_owned());
                    let bumped = last.to_digit(10).map_or(0, |d| (d + 1) % 10);
                    variants.push(format!("{stem}{bumped}"));
                }
                for national in variants {
                    let inputs = [(format!("+{code} {national}"), None), (national.clone(), region)];
                    for (input, region) in inputs {
                        let dc = region.map(|r| r.as_ref().to_owned());
                        let ours = is_valid(&input, dc.as_deref());
                        let theirs = phonenumber::parse(region, &input).map(|n| phonenumber::is_valid(&n)).unwrap_or(false);
                        checked += 1;
                        valid += usize::from(theirs);
                        if ours != theirs {
                            mismatches.push(format!("{input} ({dc:?}): ours {ours}, phonenumber {theirs}"));
                        }
                    }
                }
            }
        }
        assert!(checked > 5_000 && valid > 1_000, "checked {checked}, valid {valid}");
        assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
    }

    /// The example numbers of a region are reported in that region (apart from the few
    /// whose shared calling code is decided by leading digits in favour of a neighbour).
    #[test]
    fn examples_are_placed_in_their_region() {
        let mut total = 0;
        let mut misplaced = Vec::new();
        for (code, meta) in all_plans() {
            let Some(example) = meta.descriptors().fixed_line().and_then(Descriptor::example) else {
                continue;
            };
            let input = format!("+{code} {example}");
            if !is_valid(&input, None) || meta.id() == "001" {
                continue;
            }
            total += 1;
            let want = match meta.id() {
                "AC" | "TA" => "SH",
                id => id,
            };
            if country_of(&input, None) != Some(want) {
                misplaced.push(format!("{input}: {:?} not {want}", country_of(&input, None)));
            }
        }
        assert!(total > 200, "{total}");
        assert!(misplaced.len() * 50 < total, "{} of {total}:\n{}", misplaced.len(), misplaced.join("\n"));
    }

    /// Run with `cargo test -p leadrank-facts --release -- --ignored --nocapture phone_cost`.
    #[test]
    #[ignore]
    fn phone_cost() {
        use std::hint::black_box;
        use std::time::Instant;
        let inputs: [(&str, Option<&str>); 6] = [
            ("+1 415 555 2671", None),
            ("(415) 555-2671", Some("US")),
            ("+44 20 7946 0958", None),
            ("030 123456", Some("DE")),
            ("n/a", Some("US")),
            ("call me maybe", None),
        ];
        let mixed = [
            "+1 415 555 2671",
            "+44 20 7946 0958",
            "+49 30 123456",
            "+33 1 42 68 53 00",
            "+81 3-1234-5678",
            "+61 2 9374 4000",
            "+34 912 345 678",
            "+39 06 1234 5678",
            "+31 20 123 4567",
            "+46 8 123 456 78",
            "+47 21 23 45 67",
            "+45 32 12 34 56",
            "+358 9 1234567",
            "+48 22 123 45 67",
            "+420 212 345 678",
            "+43 1 234567",
            "+41 44 123 45 67",
            "+32 2 123 45 67",
            "+353 1 234 5678",
            "+351 21 123 4567",
            "+55 11 2345 6789",
            "+52 55 1234 5678",
            "+91 22 1234 5678",
            "+86 10 1234 5678",
            "+65 6123 4567",
            "+852 2123 4567",
            "+82 2 123 4567",
            "+27 21 123 4567",
            "+971 4 123 4567",
            "+972 3 123 4567",
        ];
        for raw in mixed {
            let _ = is_valid(raw, None);
        }
        let rounds = 200u32;
        let start = Instant::now();
        for _ in 0..rounds {
            for raw in mixed {
                black_box(is_valid(black_box(raw), None));
            }
        }
        let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(rounds) / mixed.len() as f64;
        println!("30 countries mixed: is_valid {per:.2} µs");
        let rounds = 5u32;
        let start = Instant::now();
        for _ in 0..rounds {
            for raw in mixed {
                let ok = phonenumber::parse(None, black_box(raw)).map(|p| phonenumber::is_valid(&p));
                black_box(ok.unwrap_or(false));
            }
        }
        let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(rounds) / mixed.len() as f64;
        println!("30 countries mixed: phonenumber parse+is_valid {per:.2} µs");
        let _ = parse_e164("+1 415 555 2671", None);
        for (raw, dc) in inputs {
            let n = 20_000u32;
            let start = Instant::now();
            for _ in 0..n {
                black_box(is_valid(black_box(raw), dc));
            }
            let ours = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
            let region = dc.and_then(region_id);
            let start = Instant::now();
            for _ in 0..n {
                let ok = phonenumber::parse(region, black_box(raw)).map(|p| phonenumber::is_valid(&p)).unwrap_or(false);
                black_box(ok);
            }
            let raw_cost = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
            println!("{raw:>20} {dc:?}: is_valid {ours:.2} µs, phonenumber parse+is_valid {raw_cost:.2} µs");
        }
    }

    fn region_strategy() -> impl Strategy<Value = Option<&'static str>> {
        prop_oneof![
            Just(None),
            Just(Some("US")),
            Just(Some("GB")),
            Just(Some("DE")),
            Just(Some("AT")),
            Just(Some("NU")),
            Just(Some("FR")),
            Just(Some("IN")),
            Just(Some("BR")),
        ]
    }

    proptest! {
        #[test]
        fn no_panic_on_arbitrary_strings(s in "\\PC*", dc in "\\PC{0,4}") {
            let e164 = parse_e164(&s, Some(&dc));
            prop_assert_eq!(e164.is_some(), is_valid(&s, Some(&dc)));
            if let Some(e) = e164 {
                prop_assert!(e.starts_with('+'));
                prop_assert_eq!(parse_e164(&e, None), Some(e.clone()));
            }
            let _ = country_of(&s, None);
        }

        /// E.164 output is a fixed point.
        #[test]
        fn e164_is_idempotent(s in "[+]?[0-9 ()-]{4,16}", dc in region_strategy()) {
            if let Some(e) = parse_e164(&s, dc) {
                prop_assert_eq!(parse_e164(&e, dc), Some(e.clone()));
                prop_assert_eq!(parse_e164(&e, None), Some(e.clone()));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// Our validity equals `phonenumber::is_valid` on arbitrary digit strings (numbers
        /// with a `+` read without a default region).
        #[test]
        fn validity_matches_phonenumber(
            s in "[+]?[1-9][0-9]{3,13}",
            dc in region_strategy(),
        ) {
            // A number with a `+` is read in its own country's plan whatever the default
            // region (libphonenumber's rule, which `phonenumber` 0.3 misses: see
            // `read_internationally`).
            let region = if s.starts_with('+') { None } else { dc.and_then(region_id) };
            let theirs = phonenumber::parse(region, &s)
                .map(|p| phonenumber::is_valid(&p))
                .unwrap_or(false);
            prop_assert_eq!(is_valid(&s, dc), theirs, "{:?} {:?}", s, dc);
        }

        /// The pre-filter only rejects what `phonenumber` rejects anyway.
        #[test]
        fn prefilter_never_changes_the_answer(
            s in prop_oneof![
                "[+]?[0-9A-Za-z ()./x-]{0,8}",
                "[+]?[0-9]{0,3}[ -]?[A-Z]{0,3}",
                "(tel:)?[+]?[A-Za-z ()-]{2,14}",
            ],
            dc in region_strategy(),
        ) {
            if !could_be_number(s.trim()) {
                let region = dc.and_then(region_id);
                let accepted = phonenumber::parse(region, s.trim())
                    .map(|p| phonenumber::is_valid(&p))
                    .unwrap_or(false);
                prop_assert!(!accepted, "pre-filter rejected {:?} ({:?})", s, dc);
            }
        }
    }
}
