//! Phone numbers: E.164 form and validity against the numbering plan, via the `phonenumber`
//! crate (a port of Google's libphonenumber metadata).
//!
//! A number is valid when it parses and `phonenumber::is_valid` accepts it for its region's
//! numbering plan. A number without a `+country` prefix is read in `default_country`'s plan;
//! `default_country` is an ISO alpha-2 code, and, for convenience, anything
//! [`crate::country::normalize`] understands ("USA", "Germany"); an unknown one counts as
//! absent.
//!
//! Cost: parsing and validating a plausible number takes roughly 6-11 µs (measured on the
//! development machine, release build; the `phonenumber` crate compiles its regular
//! expressions lazily behind a shared cache). Strings that cannot be a number are rejected by
//! a cheap pre-filter before `phonenumber` is called: no ASCII digit, or fewer than four
//! ASCII digits and letters together (letters count because vanity numbers such as
//! `1-800-FLOWERS` are valid; the shortest valid numbers in the metadata have four digits,
//! e.g. `1110` in Austria or `4002` in Niue). The pre-filter never changes an answer, which a
//! property test checks against `phonenumber` itself.

use crate::country;
use phonenumber::{Mode, PhoneNumber, country::Id};

/// The E.164 form (`"+14155552671"`) of a valid number, `None` when the text does not parse
/// or the number is not valid for its numbering plan. Extensions are dropped.
pub fn parse_e164(raw: &str, default_country: Option<&str>) -> Option<String> {
    parse_valid(raw, default_country).map(|n| n.format().mode(Mode::E164).to_string())
}

/// Whether the text is a valid phone number: `parse_e164(raw, default_country).is_some()`.
pub fn is_valid(raw: &str, default_country: Option<&str>) -> bool {
    parse_valid(raw, default_country).is_some()
}

/// The ISO alpha-2 region of a valid number (`"US"` for `+1 415 555 2671`, `"CA"` for
/// `+1 604 555 0123`), for "country and phone prefix mismatch" checks. `None` for invalid
/// numbers and for non-geographic ones (`+800`, `+882`, ...). Ascension (`AC`) and Tristan
/// da Cunha (`TA`), which libphonenumber lists apart, are reported as `SH`, their ISO code.
pub fn country_of(raw: &str, default_country: Option<&str>) -> Option<&'static str> {
    let number = parse_valid(raw, default_country)?;
    let id = number.country().id()?;
    match id.as_ref() {
        "AC" | "TA" => country::normalize("SH"),
        other => country::normalize(other),
    }
}

/// Parses and validates, after the pre-filter.
fn parse_valid(raw: &str, default_country: Option<&str>) -> Option<PhoneNumber> {
    let raw = raw.trim();
    if !could_be_number(raw) {
        return None;
    }
    let region = default_country.and_then(region_id);
    let number = phonenumber::parse(region, raw).ok()?;
    phonenumber::is_valid(&number).then_some(number)
}

/// The `phonenumber` region for an alpha-2 code or a country name.
fn region_id(code: &str) -> Option<Id> {
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

    #[test]
    fn invalid_numbers() {
        let cases = [
            ("", None), ("   ", Some("US")), ("abc", Some("US")), ("12", Some("US")),
            ("555-1234", Some("US")), ("(415) 555-2671", None), ("030 123456", Some("US")),
            ("+1 000 000 0000", None), ("+33 1 42 68 53", None), ("n/a", Some("DE")),
            ("0000000000", Some("GB")), ("+999 123 456 789", None), ("call me", None),
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
                let ok = phonenumber::parse(region, black_box(raw))
                    .map(|p| phonenumber::is_valid(&p))
                    .unwrap_or(false);
                black_box(ok);
            }
            let raw_cost = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
            println!("{raw:>20} {dc:?}: is_valid {ours:.2} µs, phonenumber parse+is_valid {raw_cost:.2} µs");
        }
    }

    fn region_strategy() -> impl Strategy<Value = Option<&'static str>> {
        prop_oneof![
            Just(None), Just(Some("US")), Just(Some("GB")), Just(Some("DE")), Just(Some("AT")),
            Just(Some("NU")), Just(Some("FR")), Just(Some("IN")), Just(Some("BR")),
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
