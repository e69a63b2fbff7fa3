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
    let s = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 { format!("-{out}") } else { out }
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
    }
}
