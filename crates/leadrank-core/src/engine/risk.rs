//! Bot and fraud risk: the one definition of each reason, used by the model's risk facts
//! (`bot_user_agent`, `form_burst`, `ip_burst`, `country_phone_mismatch`, `bot_risk`) and by
//! the hygiene report.
//!
//! Reasons and their weights (risk = sum, at most 100; high at [`HIGH_RISK`] or more):
//!
//! | reason | weight | when |
//! |---|---|---|
//! | `honeypot` | 60 | the hidden form field is filled |
//! | `bot_user_agent` | 50 | an event's `user_agent` property names a bot, crawler, headless browser or HTTP library |
//! | `form_burst` | 40 | [`FORM_BURST_COUNT`] or more `form_submit` within [`FORM_BURST_SECONDS`] seconds |
//! | `disposable_domain` | 30 | the email domain is a throwaway provider |
//! | `gibberish_name` | 30 | the name looks machine-made (keyboard walks, no vowels, test names) |
//! | `ip_burst` | 30 | sign-ups of [`IP_BURST_LEADS`] or more distinct leads from the lead's `ip` within [`IP_BURST_SECONDS`] seconds |
//! | `country_phone_mismatch` | 15 | the phone's international prefix belongs to another country |

use rustc_hash::{FxHashMap, FxHashSet};

/// Every reason, in report order, with its weight.
pub const REASONS: &[(&str, u32)] = &[
    ("honeypot", 60),
    ("bot_user_agent", 50),
    ("form_burst", 40),
    ("disposable_domain", 30),
    ("gibberish_name", 30),
    ("ip_burst", 30),
    ("country_phone_mismatch", 15),
];

/// Risk at or above which a lead is high risk.
pub const HIGH_RISK: u32 = 50;

/// `form_submit` events that make a burst...
pub const FORM_BURST_COUNT: usize = 5;
/// ...within this many seconds.
pub const FORM_BURST_SECONDS: i64 = 60;

/// Distinct leads signing up from one IP that make a burst...
pub const IP_BURST_LEADS: usize = 3;
/// ...within this many seconds.
pub const IP_BURST_SECONDS: i64 = 600;

/// Event types that are a sign-up (their `ip` property counts towards IP bursts).
pub const SIGNUP_TYPES: &[&str] = &["form_submit", "demo_request", "trial_started"];

/// The weight of a reason (0 for an unknown one).
pub fn weight(reason: &str) -> u32 {
    REASONS.iter().find(|(n, _)| *n == reason).map_or(0, |(_, w)| *w)
}

/// The risk of a set of reasons: the sum of their weights, at most 100.
pub fn risk_of<'a>(reasons: impl IntoIterator<Item = &'a str>) -> u32 {
    reasons.into_iter().map(weight).sum::<u32>().min(100)
}

const BOT_AGENTS: &[&str] = &[
    "bot",
    "crawler",
    "spider",
    "crawl",
    "slurp",
    "headless",
    "phantomjs",
    "selenium",
    "puppeteer",
    "playwright",
    "python-requests",
    "python-urllib",
    "curl/",
    "wget",
    "go-http-client",
    "scrapy",
    "httpclient",
    "okhttp",
    "libwww",
    "java/",
    "node-fetch",
    "axios/",
    "aiohttp",
    "facebookexternalhit",
    "lighthouse",
];

/// Which marker makes a user agent a bot, crawler, headless browser or HTTP library, if any.
pub fn is_bot_user_agent(ua: &str) -> Option<&'static str> {
    let ua = ua.trim();
    if ua.is_empty() {
        return None;
    }
    let lower = ua.to_ascii_lowercase();
    BOT_AGENTS.iter().copied().find(|p| lower.contains(p))
}

/// The mismatch between a phone written with an international prefix (`+` or `00`) and the
/// lead's country (ISO alpha-2), if any: `Some("+44 20 ... is GB, not US")`. The number's
/// country comes from the numbering plans; national numbers, invalid numbers and
/// non-geographic ones never mismatch.
pub fn country_phone_mismatch(phone: &str, country: &str) -> Option<String> {
    let t = phone.trim();
    if !(t.starts_with('+') || t.starts_with("00")) {
        return None;
    }
    let of = leadrank_facts::phone::country_of(t, Some(country))?;
    (of != country).then(|| format!("{t} is {of}, not {country}"))
}

/// The first form burst in `times` (Unix seconds, sorted): the start and the span in seconds
/// of [`FORM_BURST_COUNT`] submissions within [`FORM_BURST_SECONDS`].
pub fn form_burst(times: &[i64]) -> Option<(i64, i64)> {
    times
        .windows(FORM_BURST_COUNT)
        .find(|w| w[FORM_BURST_COUNT - 1] - w[0] <= FORM_BURST_SECONDS)
        .map(|w| (w[0], w[FORM_BURST_COUNT - 1] - w[0]))
}

/// The leads in an IP burst: `signups` are (IP key, Unix seconds, lead), in any order; a lead
/// is in a burst when, within [`IP_BURST_SECONDS`], sign-ups of at least [`IP_BURST_LEADS`]
/// distinct leads (itself included) came from one of its IPs. Returns each such lead with
/// the IP key and the time of the sign-up that first completed a burst around it: the lead
/// is in a burst at T exactly when that time is at or before T.
pub fn ip_bursts<K: Copy + Eq + std::hash::Hash + Ord>(signups: impl IntoIterator<Item = (K, i64, u32)>) -> FxHashMap<u32, (K, i64)> {
    let mut by_ip: FxHashMap<K, Vec<(i64, u32)>> = FxHashMap::default();
    for (ip, at, lead) in signups {
        by_ip.entry(ip).or_default().push((at, lead));
    }
    let mut ips: Vec<(K, Vec<(i64, u32)>)> = by_ip.into_iter().collect();
    ips.sort_unstable_by_key(|(ip, _)| *ip);
    let mut out: FxHashMap<u32, (K, i64)> = FxHashMap::default();
    for (ip, mut v) in ips {
        v.sort_unstable();
        let mut start = 0;
        for end in 0..v.len() {
            while v[end].0 - v[start].0 > IP_BURST_SECONDS {
                start += 1;
            }
            if end + 1 - start < IP_BURST_LEADS {
                continue;
            }
            // The widest window ending at `end`: if any window ending there holds enough
            // leads, this one does, and it holds every lead of the others.
            let leads: FxHashSet<u32> = v[start..=end].iter().map(|x| x.1).collect();
            if leads.len() >= IP_BURST_LEADS {
                let since = v[end].0;
                for l in leads {
                    let e = out.entry(l).or_insert((ip, since));
                    if since < e.1 {
                        *e = (ip, since);
                    }
                }
            }
        }
    }
    out
}

/// Whether `lead` is in an IP burst among `signups` of one IP (Unix seconds, lead), sorted.
pub fn in_ip_burst(signups: &[(i64, u32)], lead: u32) -> bool {
    let mut start = 0;
    for end in 0..signups.len() {
        while signups[end].0 - signups[start].0 > IP_BURST_SECONDS {
            start += 1;
        }
        let window = &signups[start..=end];
        if window.len() >= IP_BURST_LEADS && window.iter().any(|x| x.1 == lead) {
            let leads: FxHashSet<u32> = window.iter().map(|x| x.1).collect();
            if leads.len() >= IP_BURST_LEADS {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bot_user_agents() {
        assert!(is_bot_user_agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").is_some());
        assert!(is_bot_user_agent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0").is_some());
        assert!(is_bot_user_agent("python-requests/2.31").is_some());
        assert!(is_bot_user_agent("  ").is_none());
        assert!(is_bot_user_agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 Safari/605.1.15").is_none());
    }

    #[test]
    fn phone_prefix_mismatches() {
        assert_eq!(country_phone_mismatch("+44 20 7946 0958", "US").as_deref(), Some("+44 20 7946 0958 is GB, not US"));
        assert_eq!(country_phone_mismatch("+49 30 901820", "DE"), None);
        assert_eq!(country_phone_mismatch("030 901820", "FR"), None, "national numbers never mismatch");
        assert_eq!(country_phone_mismatch("+1 junk", "GB"), None, "invalid numbers never mismatch");
    }

    #[test]
    fn form_bursts_need_five_within_a_minute() {
        assert_eq!(form_burst(&[0, 5, 9, 20, 30]), Some((0, 30)));
        assert_eq!(form_burst(&[0, 5, 9, 20, 61]), None);
        assert_eq!(form_burst(&[0, 5, 9, 20, 61, 62]), Some((5, 57)));
        assert_eq!(form_burst(&[1, 2, 3]), None);
    }

    #[test]
    fn ip_bursts_need_three_leads_close_in_time() {
        let signups = [("1.2.3.4", 0, 0), ("1.2.3.4", 100, 1), ("1.2.3.4", 500, 2), ("1.2.3.4", 5000, 3), ("5.6.7.8", 10, 4)];
        let b = ip_bursts(signups);
        let mut hit: Vec<(u32, i64)> = b.iter().map(|(l, (_, since))| (*l, *since)).collect();
        hit.sort_unstable();
        assert_eq!(hit, vec![(0, 500), (1, 500), (2, 500)], "the burst completes with the third sign-up");
        // One lead signing up three times is not a burst.
        assert!(ip_bursts([("9.9.9.9", 0, 7), ("9.9.9.9", 1, 7), ("9.9.9.9", 2, 7)]).is_empty());
        let one_ip = [(0, 0), (100, 1), (500, 2), (5000, 3)];
        assert!(in_ip_burst(&one_ip, 2));
        assert!(!in_ip_burst(&one_ip, 3));
    }

    #[test]
    fn risk_sums_weights_up_to_100() {
        assert_eq!(risk_of(["honeypot", "country_phone_mismatch"]), 75);
        assert_eq!(risk_of(["honeypot", "bot_user_agent"]), 100);
        assert_eq!(risk_of([]), 0);
    }
}
