//! Telephone numbers that follow each country's numbering plan (as libphonenumber knows it),
//! written the ways people type them, plus a share of junk.

use crate::rng::R;

/// A block of numbers: national significant number = `prefix` + `rest` digits, the first of
/// which is drawn from `first`.
#[derive(Clone, Copy)]
struct Block {
    prefix: &'static str,
    rest: u8,
    first: &'static [u8],
}

struct Plan {
    code: &'static str,
    cc: &'static str,
    /// Trunk prefix dialled before the national number at home ("0" in most of Europe).
    trunk: &'static str,
    blocks: &'static [Block],
}

const D29: &[u8] = b"23456789";
const D19: &[u8] = b"123456789";
const D09: &[u8] = b"0123456789";

macro_rules! b {
    ($p:expr, $n:expr, $f:expr) => {
        Block { prefix: $p, rest: $n, first: $f }
    };
}

static PLANS: &[Plan] = &[
    Plan {
        code: "US",
        cc: "1",
        trunk: "",
        blocks: &[
            b!("212", 7, D29),
            b!("213", 7, D29),
            b!("312", 7, D29),
            b!("415", 7, D29),
            b!("617", 7, D29),
            b!("646", 7, D29),
            b!("206", 7, D29),
            b!("303", 7, D29),
            b!("404", 7, D29),
            b!("512", 7, D29),
            b!("305", 7, D29),
            b!("702", 7, D29),
            b!("718", 7, D29),
            b!("408", 7, D29),
            b!("650", 7, D29),
            b!("214", 7, D29),
            b!("602", 7, D29),
            b!("612", 7, D29),
            b!("720", 7, D29),
            b!("773", 7, D29),
        ],
    },
    Plan {
        code: "CA",
        cc: "1",
        trunk: "",
        blocks: &[
            b!("416", 7, D29),
            b!("647", 7, D29),
            b!("604", 7, D29),
            b!("778", 7, D29),
            b!("514", 7, D29),
            b!("438", 7, D29),
            b!("403", 7, D29),
            b!("613", 7, D29),
            b!("905", 7, D29),
        ],
    },
    Plan {
        code: "GB",
        cc: "44",
        trunk: "0",
        blocks: &[
            b!("20", 8, b"378"),
            b!("161", 7, b"234567"),
            b!("121", 7, b"234567"),
            b!("131", 7, b"234567"),
            b!("7912", 6, D09),
            b!("7712", 6, D09),
            b!("7723", 6, D09),
            b!("7891", 6, D09),
            b!("7958", 6, D09),
            b!("7400", 6, D09),
            b!("7535", 6, D09),
        ],
    },
    Plan {
        code: "IE",
        cc: "353",
        trunk: "0",
        blocks: &[b!("1", 7, D29), b!("21", 7, D29), b!("83", 7, D29), b!("85", 7, D29), b!("86", 7, D29), b!("87", 7, D29)],
    },
    Plan {
        code: "DE",
        cc: "49",
        trunk: "0",
        blocks: &[
            b!("30", 8, D19),
            b!("89", 8, D19),
            b!("40", 8, D19),
            b!("69", 8, D19),
            b!("151", 8, D09),
            b!("152", 8, D09),
            b!("160", 7, D09),
            b!("170", 7, D09),
            b!("171", 7, D09),
            b!("176", 8, D09),
        ],
    },
    Plan {
        code: "FR",
        cc: "33",
        trunk: "0",
        blocks: &[b!("1", 8, D19), b!("4", 8, D19), b!("6", 8, b"0124578"), b!("7", 8, b"5678"), b!("3", 8, D19)],
    },
    Plan { code: "NL", cc: "31", trunk: "0", blocks: &[b!("20", 7, D29), b!("10", 7, D29), b!("30", 7, D29), b!("6", 8, b"12345")] },
    Plan {
        code: "SE",
        cc: "46",
        trunk: "0",
        blocks: &[b!("8", 7, D19), b!("31", 7, D19), b!("70", 7, D09), b!("73", 7, D09), b!("76", 7, D09)],
    },
    Plan { code: "AU", cc: "61", trunk: "0", blocks: &[b!("2", 8, b"89"), b!("3", 8, b"89"), b!("7", 8, b"3"), b!("4", 8, b"01236")] },
    Plan {
        code: "IN",
        cc: "91",
        trunk: "0",
        blocks: &[b!("98", 8, D09), b!("99", 8, D09), b!("97", 8, D09), b!("96", 8, D09), b!("70", 8, D09), b!("22", 8, b"2345")],
    },
    Plan {
        code: "BR",
        cc: "55",
        trunk: "0",
        blocks: &[b!("119", 8, b"6789"), b!("219", 8, b"6789"), b!("11", 8, b"2345"), b!("31", 8, b"2345")],
    },
    Plan {
        code: "JP",
        cc: "81",
        trunk: "0",
        blocks: &[b!("3", 8, b"56"), b!("6", 8, b"6"), b!("90", 8, D19), b!("80", 8, D19), b!("70", 8, D19)],
    },
    Plan { code: "ES", cc: "34", trunk: "", blocks: &[b!("91", 7, D19), b!("93", 7, D19), b!("6", 8, D09)] },
    Plan {
        code: "IT",
        cc: "39",
        trunk: "",
        blocks: &[b!("02", 8, D19), b!("06", 8, D19), b!("33", 8, D09), b!("34", 8, D09), b!("32", 8, b"0789")],
    },
    Plan { code: "SG", cc: "65", trunk: "", blocks: &[b!("6", 7, b"1236"), b!("9", 7, b"0123478"), b!("8", 7, b"1234568")] },
    Plan {
        code: "ZA",
        cc: "27",
        trunk: "0",
        blocks: &[b!("21", 7, D29), b!("11", 7, D29), b!("82", 7, D09), b!("83", 7, D09), b!("72", 7, D09)],
    },
    Plan {
        code: "PL",
        cc: "48",
        trunk: "",
        blocks: &[b!("22", 7, D29), b!("50", 7, D09), b!("51", 7, D09), b!("60", 7, D09), b!("66", 7, D09), b!("79", 7, D09)],
    },
    Plan { code: "MX", cc: "52", trunk: "", blocks: &[b!("55", 8, D19), b!("33", 8, D19), b!("81", 8, D19)] },
    Plan { code: "NG", cc: "234", trunk: "0", blocks: &[b!("803", 7, D09), b!("806", 7, D09), b!("813", 7, D09), b!("816", 7, D09)] },
    Plan { code: "CH", cc: "41", trunk: "0", blocks: &[b!("44", 7, D29), b!("22", 7, D29), b!("79", 7, D09), b!("78", 7, D09)] },
    Plan { code: "VN", cc: "84", trunk: "0", blocks: &[b!("90", 7, D09), b!("91", 7, D09), b!("98", 7, D09), b!("24", 8, b"3")] },
    Plan { code: "CN", cc: "86", trunk: "0", blocks: &[b!("138", 8, D09), b!("139", 8, D09), b!("186", 8, D09), b!("10", 8, b"568")] },
];

const INVALID: &[&str] = &[
    "12345",
    "555-CALL-NOW",
    "+1 415 555",
    "000-000-0000",
    "n/a",
    "+44 20 12",
    "phone",
    "123abc4567",
    "+49 30",
    "1111111",
    "0",
    "+1 (555) 123-4567",
    "call me",
    "+33 6",
    "999",
];

/// How the number should look.
#[derive(Clone, Copy)]
pub(crate) enum PhoneStyle {
    /// "+1 415 392 8841"
    E164Spaced,
    /// "+14153928841"
    E164,
    /// "(415) 392-8841", "030 12345678", "06 12 34 56 78" ...
    National,
}

/// Appends a numbering-plan-valid number for `country` (falls back to the US plan).
pub(crate) fn valid(out: &mut String, rng: &mut R, country: &str, style: PhoneStyle) {
    let plan = PLANS.iter().find(|p| p.code == country).unwrap_or(&PLANS[0]);
    let block = rng.pick(plan.blocks);
    let mut nsn = String::with_capacity(12);
    nsn.push_str(block.prefix);
    nsn.push(rng.pick(block.first) as char);
    for _ in 1..block.rest {
        nsn.push((b'0' + rng.below(10) as u8) as char);
    }
    if plan.cc == "1" {
        // Avoid the 555 exchange entirely (fictional and mostly unassigned).
        if &nsn[3..6] == "555" {
            nsn.replace_range(3..4, "4");
        }
    }
    let p = block.prefix.len();
    match style {
        PhoneStyle::E164 => {
            out.push('+');
            out.push_str(plan.cc);
            out.push_str(&nsn);
        }
        PhoneStyle::E164Spaced => {
            out.push('+');
            out.push_str(plan.cc);
            out.push(' ');
            if plan.cc == "1" {
                group(out, &nsn, 3);
            } else if plan.cc == "33" {
                pairs(out, &nsn);
            } else {
                group(out, &nsn, p.min(4));
            }
        }
        PhoneStyle::National => {
            if plan.cc == "1" {
                out.push('(');
                out.push_str(&nsn[0..3]);
                out.push_str(") ");
                out.push_str(&nsn[3..6]);
                out.push('-');
                out.push_str(&nsn[6..]);
            } else if plan.cc == "33" {
                out.push_str(plan.trunk);
                pairs(out, &nsn);
            } else {
                out.push_str(plan.trunk);
                group(out, &nsn, p.min(4));
            }
        }
    }
}

/// French style: "6 12 34 56 78".
fn pairs(out: &mut String, nsn: &str) {
    out.push_str(&nsn[..1]);
    let mut i = 1;
    while i < nsn.len() {
        out.push(' ');
        out.push_str(&nsn[i..(i + 2).min(nsn.len())]);
        i += 2;
    }
}

fn group(out: &mut String, nsn: &str, head: usize) {
    out.push_str(&nsn[..head]);
    let rest = &nsn[head..];
    let sizes: &[usize] = match rest.len() {
        0 => &[],
        1..=4 => &[rest.len()],
        5 => &[2, 3],
        6 => &[3, 3],
        7 => &[3, 4],
        8 => &[4, 4],
        9 => &[3, 3, 3],
        _ => &[3, 3, 4],
    };
    let mut i = 0;
    for &n in sizes {
        let n = n.min(rest.len() - i);
        out.push(' ');
        out.push_str(&rest[i..i + n]);
        i += n;
    }
    if i < rest.len() {
        out.push_str(&rest[i..]);
    }
}

pub(crate) fn invalid(out: &mut String, rng: &mut R) {
    out.push_str(rng.pick(INVALID));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(country: &str, style: PhoneStyle, rng: &mut R, bad: &mut Vec<String>) -> usize {
        let id: phonenumber::country::Id = country.parse().expect("known country");
        let mut n = 0;
        for _ in 0..200 {
            let mut s = String::new();
            valid(&mut s, rng, country, style);
            let region = if matches!(style, PhoneStyle::National) { Some(id) } else { None };
            let ok = phonenumber::parse(region, &s).map(|p| p.is_valid()).unwrap_or(false);
            if !ok {
                bad.push(format!("{country} {s}"));
            }
            n += 1;
        }
        n
    }

    #[test]
    fn numbers_follow_the_numbering_plans() {
        let mut rng = R::new(7, 99);
        let mut bad = Vec::new();
        let mut total = 0;
        for plan in PLANS {
            for style in [PhoneStyle::E164, PhoneStyle::E164Spaced, PhoneStyle::National] {
                total += check(plan.code, style, &mut rng, &mut bad);
            }
        }
        bad.sort();
        bad.dedup();
        for b in bad.iter().take(80) {
            eprintln!("invalid: {b}");
        }
        assert!(bad.len() * 200 <= total, "{} of {total} invalid", bad.len());
    }

    #[test]
    fn every_country_has_a_plan() {
        for c in crate::data::COUNTRIES {
            assert!(PLANS.iter().any(|p| p.code == c.code), "{}", c.code);
        }
    }

    #[test]
    fn junk_is_invalid() {
        for s in INVALID {
            let ok = phonenumber::parse(Some(phonenumber::country::Id::US), s).map(|p| p.is_valid()).unwrap_or(false);
            assert!(!ok, "{s} parses as valid");
        }
    }
}
