//! Value formats: how a source cell's text becomes the text leadrank's readers accept
//! (`1,200` -> `1200`, `201-500` -> `201`, `Yes` -> `true`, `01/05/2024 10:22 AM` ->
//! `2024-01-05T10:22:00Z`, `https://www.acme.com/about` -> `acme.com`).
//!
//! Every function takes a trimmed, non-empty value and returns the converted text or a
//! message about the source value.

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

/// How a number is written in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberStyle {
    /// The character between groups of thousands (`,` by default; `None` for none).
    pub thousands: Option<char>,
    /// The decimal mark (`.` by default).
    pub decimal: char,
}

impl Default for NumberStyle {
    fn default() -> Self {
        NumberStyle { thousands: Some(','), decimal: '.' }
    }
}

/// Which number of a range like `201-500` a field gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RangePick {
    /// The lower bound (`201-500` -> 201): the figure the company has at least. The default.
    #[default]
    Low,
    /// The upper bound (`201-500` -> 500).
    High,
    /// The middle, rounded down for whole numbers (`201-500` -> 350).
    Middle,
}

impl RangePick {
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "low" => Some(RangePick::Low),
            "high" => Some(RangePick::High),
            "middle" => Some(RangePick::Middle),
            _ => None,
        }
    }
}

/// A value format.
#[derive(Debug, Clone, PartialEq)]
pub enum Format {
    /// The text as it is (trimmed).
    Text,
    /// A whole number, with thousands separators and a currency sign allowed.
    Integer(NumberStyle),
    /// A number, with thousands separators and a currency sign allowed.
    Number(NumberStyle),
    /// A range `low-high`, an open range `low+` or a single number; one number of it.
    Range { style: NumberStyle, pick: RangePick, whole: bool },
    /// A yes/no value: the words read as true and as false (any case).
    Bool { truthy: Vec<String>, falsy: Vec<String> },
    /// A date or time in one of `patterns` (strftime: `%Y-%m-%d %H:%M`, `%m/%d/%Y`, ...),
    /// at the UTC offset `offset` unless the value has its own. RFC 3339 and `YYYY-MM-DD`
    /// are read too.
    Date { patterns: Vec<String>, offset: Offset },
    /// A web domain from a URL, an email address or a domain (`https://www.acme.com/x` ->
    /// `acme.com`).
    Domain,
    /// Entries separated by `split`, written as leadrank lists (`;` between entries).
    List { split: String },
    /// The first entry of a list separated by `split` (`123;456` -> `123`).
    First { split: String },
}

/// The words read as true by default.
pub const TRUE_WORDS: &[&str] = &["true", "yes", "y", "1"];
/// The words read as false by default.
pub const FALSE_WORDS: &[&str] = &["false", "no", "n", "0"];

impl Format {
    /// The format's name in mapping files.
    pub fn name(&self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Integer(_) => "integer",
            Format::Number(_) => "number",
            Format::Range { .. } => "range",
            Format::Bool { .. } => "bool",
            Format::Date { .. } => "date",
            Format::Domain => "domain",
            Format::List { .. } => "list",
            Format::First { .. } => "first",
        }
    }

    /// Converts one trimmed, non-empty value.
    pub fn apply(&self, value: &str) -> Result<String, String> {
        match self {
            Format::Text => Ok(value.to_string()),
            Format::Integer(style) => {
                let n = number(value, style)?;
                whole(n).map(|n| n.to_string()).ok_or_else(|| format!("'{value}' is not a whole number"))
            }
            Format::Number(style) => number(value, style).map(|n| n.to_string()),
            Format::Range { style, pick, whole: integer } => range(value, style, *pick, *integer),
            Format::Bool { truthy, falsy } => {
                if truthy.iter().any(|w| w.eq_ignore_ascii_case(value)) {
                    Ok("true".into())
                } else if falsy.iter().any(|w| w.eq_ignore_ascii_case(value)) {
                    Ok("false".into())
                } else {
                    Err(format!("'{value}' is neither true ({}) nor false ({})", truthy.join(", "), falsy.join(", ")))
                }
            }
            Format::Date { patterns, offset } => date(value, patterns, *offset),
            Format::Domain => domain(value),
            Format::List { split } => {
                Ok(value.split(split.as_str()).map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(";"))
            }
            Format::First { split } => {
                Ok(value.split(split.as_str()).map(str::trim).find(|s| !s.is_empty()).unwrap_or_default().to_string())
            }
        }
    }
}

/// An integral `f64` as an `i64`.
fn whole(n: f64) -> Option<i64> {
    (n.fract() == 0.0 && n.abs() < 9.0e15).then_some(n as i64)
}

/// Reads a number written with `style`: an optional currency sign or ISO code (`$`, `€`,
/// `£`, `¥`, `₹`, `USD `), an optional sign, digits with thousands separators in groups of
/// three, and a decimal part.
pub fn number(value: &str, style: &NumberStyle) -> Result<f64, String> {
    let bad = || {
        let sep = match style.thousands {
            Some(c) => format!("'{c}' between thousands and "),
            None => String::new(),
        };
        format!("'{value}' is not a number (written with {sep}'{}' before decimals)", style.decimal)
    };
    let mut t = value.trim();
    let (negative, rest) = match t.strip_prefix('-') {
        Some(r) => (true, r.trim_start()),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    t = rest;
    // A currency sign or a three-letter code before or after the figure.
    for sign in ['$', '€', '£', '¥', '₹'] {
        t = t.strip_prefix(sign).unwrap_or(t).trim();
        t = t.strip_suffix(sign).unwrap_or(t).trim();
    }
    let is_code = |s: &str| s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase());
    if let Some((code, figure)) = t.split_once(' ')
        && is_code(code)
    {
        t = figure.trim();
    } else if let Some((figure, code)) = t.rsplit_once(' ')
        && is_code(code)
    {
        t = figure.trim();
    }
    let (int_part, frac_part) = match t.split_once(style.decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    let digits: String = match style.thousands {
        Some(sep) if int_part.contains(sep) => {
            let groups: Vec<&str> = int_part.split(sep).collect();
            let first_ok = (1..=3).contains(&groups[0].len());
            if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
                return Err(bad());
            }
            groups.concat()
        }
        _ => int_part.to_string(),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let mut text = digits;
    if let Some(f) = frac_part {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        text.push('.');
        text.push_str(f);
    }
    let n: f64 = text.parse().map_err(|_| bad())?;
    Ok(if negative { -n } else { n })
}

/// One number of a range (`201-500`, `201 – 500`, `10,001+`, `1000 or more`, `50`).
fn range(value: &str, style: &NumberStyle, pick: RangePick, integer: bool) -> Result<String, String> {
    let normal = value.replace(['–', '—'], "-").replace(" to ", "-");
    let t = normal.trim();
    let open = t.strip_suffix('+').or_else(|| t.strip_suffix("or more")).map(str::trim);
    let n = if let Some(low) = open {
        number(low, style)?
    } else if let Some((a, b)) = t.split_once('-').filter(|(a, _)| !a.trim().is_empty()) {
        let (lo, hi) = (number(a, style)?, number(b, style)?);
        if hi < lo {
            return Err(format!("'{value}' is a range whose end is below its start"));
        }
        match pick {
            RangePick::Low => lo,
            RangePick::High => hi,
            RangePick::Middle if integer => ((lo + hi) / 2.0).floor(),
            RangePick::Middle => (lo + hi) / 2.0,
        }
    } else {
        number(t, style).map_err(|_| format!("'{value}' is not a range like 201-500, 1000+ or a number"))?
    };
    if integer {
        whole(n).map(|n| n.to_string()).ok_or_else(|| format!("'{value}' does not give a whole number"))
    } else {
        Ok(n.to_string())
    }
}

/// A date or time in one of `patterns`, else RFC 3339 or `YYYY-MM-DD`, as RFC 3339 UTC.
fn date(value: &str, patterns: &[String], offset: Offset) -> Result<String, String> {
    for pattern in patterns {
        let Ok(tm) = jiff::fmt::strtime::parse(pattern, value) else { continue };
        if let Some(own) = tm.offset()
            && let Ok(ts) = tm.to_datetime().and_then(|dt| dt.to_zoned(TimeZone::fixed(own)))
        {
            return Ok(ts.timestamp().to_string());
        }
        if let Ok(z) = tm.to_datetime().and_then(|dt| dt.to_zoned(TimeZone::fixed(offset))) {
            return Ok(z.timestamp().to_string());
        }
    }
    match leadrank_core::records::parse_time(value) {
        Ok(Some(t)) => Ok(t.to_string()),
        _ => Err(if patterns.is_empty() {
            format!("'{value}' is not an RFC 3339 time or a YYYY-MM-DD date")
        } else {
            format!("'{value}' is not a date in the form {} (nor RFC 3339 or YYYY-MM-DD)", patterns.join(" or "))
        }),
    }
}

/// Checks a strftime pattern: it must read the example it writes for a known time.
pub fn check_pattern(pattern: &str) -> Result<(), String> {
    let probe: Timestamp = "2024-01-05T10:22:33Z".parse().map_err(|e| format!("{e}"))?;
    let zoned = probe.to_zoned(TimeZone::UTC);
    let written = jiff::fmt::strtime::format(pattern, &zoned).map_err(|e| format!("'{pattern}' is not a date pattern: {e}"))?;
    let tm =
        jiff::fmt::strtime::parse(pattern, &written).map_err(|e| format!("'{pattern}' cannot read its own output '{written}': {e}"))?;
    tm.to_date().map_err(|_| format!("'{pattern}' has no full date (it needs a year, a month and a day, e.g. %Y-%m-%d)"))?;
    Ok(())
}

/// A web domain from a URL, an email address or a bare domain, lower-cased, without
/// `www.`.
fn domain(value: &str) -> Result<String, String> {
    let mut t = value.trim().to_lowercase();
    if let Some(at) = t.rfind('@') {
        t = t[at + 1..].to_string();
    }
    if let Some(i) = t.find("://") {
        t = t[i + 3..].to_string();
    }
    let end = t.find(['/', '?', '#', ':']).unwrap_or(t.len());
    t.truncate(end);
    let t = t.trim_end_matches('.');
    let t = t.strip_prefix("www.").unwrap_or(t);
    let valid = t.contains('.')
        && !t.starts_with('.')
        && t.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.')
        && t.split('.').all(|label| !label.is_empty());
    if valid { Ok(t.to_string()) } else { Err(format!("'{value}' is not a web address, email address or domain")) }
}

/// Parses a UTC offset: `UTC`, `Z`, `+02:00`, `-05:30`, `+0200`.
pub fn parse_offset(text: &str) -> Result<Offset, String> {
    let bad = || format!("'{text}' is not a UTC offset (use UTC, +02:00 or -05:30)");
    let t = text.trim();
    if t.eq_ignore_ascii_case("utc") || t == "Z" {
        return Ok(Offset::UTC);
    }
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => return Err(bad()),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let hours: i32 = digits[..2].parse().map_err(|_| bad())?;
    let minutes: i32 = digits[2..].parse().map_err(|_| bad())?;
    if hours > 17 || minutes > 59 {
        return Err(bad());
    }
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style() -> NumberStyle {
        NumberStyle::default()
    }

    #[test]
    fn numbers_with_separators_and_currency() {
        let n = |v: &str| number(v, &style());
        assert_eq!(n("1,200"), Ok(1200.0));
        assert_eq!(n("$1,200,000.50"), Ok(1_200_000.5));
        assert_eq!(n("USD 12,000"), Ok(12000.0));
        assert_eq!(n("12000 EUR"), Ok(12000.0));
        assert_eq!(n("-3.5"), Ok(-3.5));
        assert!(n("12,5").is_err(), "a decimal comma is not read as thousands");
        assert!(n("1,2000").is_err());
        assert!(n("abc").is_err());
        assert!(n("1.2.3").is_err());
        let european = NumberStyle { thousands: Some('.'), decimal: ',' };
        assert_eq!(number("1.200,75", &european), Ok(1200.75));
        assert_eq!(Format::Integer(style()).apply("1,200"), Ok("1200".into()));
        assert!(Format::Integer(style()).apply("12.5").is_err());
    }

    #[test]
    fn ranges_pick_the_documented_bound() {
        let r = |v: &str, pick| Format::Range { style: style(), pick, whole: true }.apply(v);
        assert_eq!(r("201-500", RangePick::Low), Ok("201".into()));
        assert_eq!(r("201 - 500", RangePick::High), Ok("500".into()));
        assert_eq!(r("201–500", RangePick::Middle), Ok("350".into()));
        assert_eq!(r("1,001-5,000", RangePick::Low), Ok("1001".into()));
        assert_eq!(r("10,001+", RangePick::High), Ok("10001".into()), "an open range has only its low bound");
        assert_eq!(r("1000 or more", RangePick::Middle), Ok("1000".into()));
        assert_eq!(r("42", RangePick::Low), Ok("42".into()));
        assert!(r("500-201", RangePick::Low).is_err());
        assert!(r("many", RangePick::Low).is_err());
    }

    #[test]
    fn dates_follow_the_pattern_day_month_order() {
        let d = |v: &str, p: &[&str]| Format::Date { patterns: p.iter().map(|s| s.to_string()).collect(), offset: Offset::UTC }.apply(v);
        assert_eq!(d("01/05/2024", &["%m/%d/%Y"]), Ok("2024-01-05T00:00:00Z".into()));
        assert_eq!(d("01/05/2024", &["%d/%m/%Y"]), Ok("2024-05-01T00:00:00Z".into()));
        assert_eq!(d("2024-01-05 10:22", &["%Y-%m-%d %H:%M"]), Ok("2024-01-05T10:22:00Z".into()));
        assert_eq!(d("1/5/2024 3:04 PM", &["%m/%d/%Y %I:%M %p", "%m/%d/%Y"]), Ok("2024-01-05T15:04:00Z".into()));
        assert_eq!(d("2024-01-05T10:00:00+02:00", &["%m/%d/%Y"]), Ok("2024-01-05T08:00:00Z".into()), "RFC 3339 always reads");
        assert!(d("13/45/2024", &["%m/%d/%Y"]).unwrap_err().contains("%m/%d/%Y"));
        let berlin = Format::Date { patterns: vec!["%d.%m.%Y %H:%M".into()], offset: parse_offset("+01:00").unwrap() };
        assert_eq!(berlin.apply("05.01.2024 10:00"), Ok("2024-01-05T09:00:00Z".into()));
        assert!(check_pattern("%m/%d/%Y").is_ok());
        assert!(check_pattern("%H:%M").is_err());
    }

    #[test]
    fn booleans_domains_and_lists() {
        let b = Format::Bool { truthy: vec!["Marketing contact".into()], falsy: vec!["Non-marketing contact".into()] };
        assert_eq!(b.apply("marketing contact"), Ok("true".into()));
        assert_eq!(b.apply("Non-marketing contact"), Ok("false".into()));
        assert!(b.apply("maybe").is_err());
        assert_eq!(Format::Domain.apply("https://www.Acme.com/about?x=1"), Ok("acme.com".into()));
        assert_eq!(Format::Domain.apply("dana@sub.acme.co.uk"), Ok("sub.acme.co.uk".into()));
        assert_eq!(Format::Domain.apply("acme.com:8080"), Ok("acme.com".into()));
        assert!(Format::Domain.apply("not a site").is_err());
        assert_eq!(Format::List { split: ",".into() }.apply("Salesforce, Snowflake,,"), Ok("Salesforce;Snowflake".into()));
        assert_eq!(Format::First { split: ";".into() }.apply(" ;123;456"), Ok("123".into()));
        assert_eq!(parse_offset("-05:30").unwrap().seconds(), -(5 * 3600 + 30 * 60));
        assert!(parse_offset("CET").is_err());
    }
}
