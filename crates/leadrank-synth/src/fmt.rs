//! Cheap formatting of timestamps, dates and ids into byte buffers.

/// (year, month, day) of the civil date `days` after 1970-01-01 (proleptic Gregorian).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Howard Hinnant's algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[inline]
fn two(out: &mut [u8], v: u32) {
    out[0] = b'0' + (v / 10) as u8;
    out[1] = b'0' + (v % 10) as u8;
}

#[inline]
fn date_into(out: &mut [u8], days: i64) {
    let (y, m, d) = civil_from_days(days);
    let y = y.clamp(0, 9999) as u32;
    two(&mut out[0..2], y / 100);
    two(&mut out[2..4], y % 100);
    out[4] = b'-';
    two(&mut out[5..7], m);
    out[7] = b'-';
    two(&mut out[8..10], d);
}

/// RFC 3339 UTC at second precision: `2026-06-12T09:31:07Z`.
#[inline]
pub(crate) fn ts(out: &mut [u8; 20], secs: i64) {
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400) as u32;
    date_into(&mut out[0..10], days);
    out[10] = b'T';
    two(&mut out[11..13], sod / 3600);
    out[13] = b':';
    two(&mut out[14..16], sod / 60 % 60);
    out[16] = b':';
    two(&mut out[17..19], sod % 60);
    out[19] = b'Z';
}

/// A bare date `YYYY-MM-DD`.
pub(crate) fn date(out: &mut [u8; 10], secs: i64) {
    date_into(&mut out[..], secs.div_euclid(86_400));
}

pub(crate) fn push_ts(s: &mut String, secs: i64) {
    let mut b = [0u8; 20];
    ts(&mut b, secs);
    s.push_str(std::str::from_utf8(&b).expect("ascii"));
}

pub(crate) fn push_date(s: &mut String, secs: i64) {
    let mut b = [0u8; 10];
    date(&mut b, secs);
    s.push_str(std::str::from_utf8(&b).expect("ascii"));
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// A bijection on the low `bits` bits (bits <= 64): scrambles sequential ids so they look
/// opaque while staying unique.
pub(crate) fn mix(x: u64, bits: u32) -> u64 {
    let mask = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
    let half = bits / 2;
    let mut x = x & mask;
    x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15) & mask;
    x ^= x >> half;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9) & mask;
    x ^= x >> (half + 1);
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB) & mask;
    x ^= x >> half;
    x
}

/// `prefix` + `digits` lower-case hex digits of `v`.
pub(crate) fn hex_id(out: &mut Vec<u8>, prefix: &[u8], v: u64, digits: u32) {
    out.clear();
    out.extend_from_slice(prefix);
    for i in (0..digits).rev() {
        out.push(HEX[((v >> (4 * i)) & 0xf) as usize]);
    }
}

/// Lower-case ASCII for e-mail local parts: accents folded, anything else dropped.
pub(crate) fn fold_ascii(out: &mut String, s: &str) {
    for c in s.chars() {
        let rep: &str = match c {
            'a'..='z' | '0'..='9' => {
                out.push(c);
                continue;
            }
            'A'..='Z' => {
                out.push(c.to_ascii_lowercase());
                continue;
            }
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' | 'Á' | 'À' | 'Â' | 'Ä' | 'Å' | 'Ą' => "a",
            'æ' | 'Æ' => "ae",
            'ç' | 'ć' | 'Ç' | 'Ć' => "c",
            'é' | 'è' | 'ê' | 'ë' | 'ę' | 'ễ' | 'É' | 'È' | 'Ê' | 'Ę' => "e",
            'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Î' => "i",
            'ñ' | 'ń' | 'Ñ' => "n",
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'Ó' | 'Ö' | 'Ø' => "o",
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ü' => "u",
            'ý' | 'ÿ' => "y",
            'ß' => "ss",
            'ł' | 'Ł' => "l",
            'ś' | 'Ś' => "s",
            'ź' | 'ż' | 'Ź' | 'Ż' => "z",
            'đ' | 'Đ' => "d",
            'ả' | 'ạ' | 'ầ' | 'ấ' => "a",
            'ơ' | 'ồ' | 'ộ' => "o",
            'ư' | 'ữ' => "u",
            _ => "",
        };
        out.push_str(rep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_match_jiff() {
        let mut b = [0u8; 20];
        for secs in [0i64, 951_782_400, 1_782_820_800, 4_102_444_799, 1_709_208_000, -1] {
            ts(&mut b, secs);
            let want = jiff::Timestamp::from_second(secs).unwrap().strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
            assert_eq!(std::str::from_utf8(&b).unwrap(), want);
        }
        let mut s = 0i64;
        while s < 4_000_000_000 {
            ts(&mut b, s);
            let want = jiff::Timestamp::from_second(s).unwrap().strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
            assert_eq!(std::str::from_utf8(&b).unwrap(), want);
            s += 86_399 * 7 + 13;
        }
    }

    #[test]
    fn mix_is_a_bijection_on_small_widths() {
        let mut seen = std::collections::BTreeSet::new();
        for x in 0..(1u64 << 16) {
            assert!(seen.insert(mix(x, 16)));
        }
    }

    #[test]
    fn folding() {
        let mut s = String::new();
        fold_ascii(&mut s, "Ødegaard José O'Brien Müller-Lüdenscheidt");
        assert_eq!(s, "odegaardjoseobrienmullerludenscheidt");
    }
}
