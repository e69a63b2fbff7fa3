//! Number formatting shared by the text and html reports.

/// A share as a percentage with two decimals, "n/a" when absent.
pub fn pct(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |v| format!("{:.2}%", v * 100.0))
}

/// A number with `digits` decimals, "n/a" when absent.
pub fn num(v: Option<f64>, digits: usize) -> String {
    v.map_or("n/a".into(), |v| format!("{v:.digits$}"))
}

/// An amount rounded to whole units with thousands separators: 1234567.4 -> "1,234,567".
pub fn money(v: f64) -> String {
    grouped(v, 0)
}

/// A number with `decimals` decimals and thousands separators: (1234.5, 2) -> "1,234.50".
pub fn grouped(v: f64, decimals: usize) -> String {
    let s = format!("{:.decimals$}", v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') { format!("-{out}") } else { out }
}

/// An amount with its currency and thousands separators ("USD 1,234,567"), "n/a" when
/// absent; without a known currency, the number alone.
pub fn amount(v: Option<f64>, currency: Option<&str>) -> String {
    amount_dp(v, currency, 0)
}

/// Like [`amount`] with `decimals` decimals (for per-lead figures).
pub fn amount_dp(v: Option<f64>, currency: Option<&str>, decimals: usize) -> String {
    match (v, currency) {
        (None, _) => "n/a".into(),
        (Some(v), Some(c)) => format!("{c} {}", grouped(v, decimals)),
        (Some(v), None) => grouped(v, decimals),
    }
}

/// A count with thousands separators: 12345 -> "12,345".
pub fn count(n: usize) -> String {
    money(n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(money(1234567.4), "1,234,567");
        assert_eq!(money(-999.0), "-999");
        assert_eq!(pct(Some(0.6315)), "63.15%");
        assert_eq!(num(None, 1), "n/a");
        assert_eq!(amount(Some(10_005_534.0), Some("USD")), "USD 10,005,534");
        assert_eq!(amount(Some(999.6), None), "1,000");
        assert_eq!(amount(None, Some("EUR")), "n/a");
        assert_eq!(count(8800), "8,800");
        assert_eq!(amount_dp(Some(1234.5), Some("USD"), 2), "USD 1,234.50");
        assert_eq!(grouped(-0.001, 2), "0.00");
    }
}
