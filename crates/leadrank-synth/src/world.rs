//! The companies (accounts) every lead is drawn against. Built once, up front, from stream 0
//! of the seed; read-only afterwards so that lead chunks can be generated independently.

use std::collections::HashSet;

use crate::data::{self, BRAND_A, BRAND_B, BRAND_WORDS, COUNTRIES, INDUSTRIES, TOOLS};
use crate::fmt;
use crate::rng::R;

pub(crate) const DAY: i64 = 86_400;

pub(crate) struct Account {
    pub id: String,
    /// The registered name, e.g. "Bluepeak Health GmbH".
    pub name: String,
    /// The name people type, e.g. "Bluepeak Health".
    pub short: String,
    pub domain: String,
    pub industry: u8,
    pub employees: u32,
    pub revenue: u64,
    pub country: u8,
    /// Owning rep (1..=20), 0 when unowned.
    pub owner: u8,
    pub abm: bool,
    /// A buying project ran or runs at this company around `center`.
    pub in_market: bool,
    pub center: i64,
    /// Times of third-party intent surges (0 = none).
    pub surges: [i64; 2],
    /// Bit set over `data::TOOLS`.
    pub tech: u32,
}

impl Account {
    pub fn icp_tech(&self) -> bool {
        TOOLS.iter().enumerate().any(|(i, t)| t.icp && self.tech & (1 << i) != 0)
    }
}

pub(crate) struct World {
    pub as_of: i64,
    pub accounts: Vec<Account>,
    cum: Vec<f64>,
}

pub(crate) fn employees(rng: &mut R) -> u32 {
    // Log-normal around 150 people: ~55% SMB (< 200), ~38% mid-market, ~7% enterprise.
    (rng.lognormal(libm::log(150.0), 1.6).round() as i64).clamp(5, 50_000) as u32
}

pub(crate) fn pick_country(rng: &mut R) -> u8 {
    rng.weighted_index(COUNTRIES, |c| c.weight) as u8
}

pub(crate) fn pick_tools(rng: &mut R, n: u32, icp_bias: bool) -> u32 {
    let mut set = 0u32;
    for _ in 0..n {
        let i = rng.weighted_index(TOOLS, |t| if icp_bias && t.icp { t.weight * 2 } else { t.weight });
        set |= 1 << i;
    }
    set
}

impl World {
    pub fn new(seed: u64, as_of: i64, leads: usize) -> World {
        let mut rng = R::new(seed, 0);
        let n = if leads == 0 { 0 } else { leads.div_ceil(8) };
        let mut accounts = Vec::with_capacity(n);
        let mut cum = Vec::with_capacity(n);
        let mut domains: HashSet<String> = HashSet::with_capacity(n + 2);
        for (_, d) in data::COMPETITORS {
            domains.insert((*d).to_string());
        }
        domains.insert("leadrank-demo.com".to_string());
        let mut total = 0.0;
        for i in 0..n {
            let a = account(&mut rng, i, as_of, &mut domains);
            // How many leads the company sends: bigger and in-market companies send more.
            let w = rng.lognormal(0.0, 0.6) * libm::pow(a.employees as f64, 0.22) * if a.in_market { 1.8 } else { 1.0 };
            total += w;
            cum.push(total);
            accounts.push(a);
        }
        World { as_of, accounts, cum }
    }

    /// A company, chosen in proportion to how many leads it sends.
    pub fn pick_account(&self, rng: &mut R) -> Option<u32> {
        let total = *self.cum.last()?;
        let u = rng.f() * total;
        let i = self.cum.partition_point(|&c| c <= u).min(self.cum.len() - 1);
        Some(i as u32)
    }
}

fn account(rng: &mut R, i: usize, as_of: i64, domains: &mut HashSet<String>) -> Account {
    let industry = rng.weighted_index(INDUSTRIES, |x| x.weight) as u8;
    let ind = &INDUSTRIES[industry as usize];
    let country = pick_country(rng);
    let c = &COUNTRIES[country as usize];
    let employees = employees(rng);
    let revenue = ((employees as f64 * ind.rev_per_emp * rng.lognormal(0.0, 0.5)) / 1000.0).round() as u64 * 1000;

    // Brand: compound ("Bluepeak"), a word ("Meridian") or two words ("Silver Meridian").
    let brand = match rng.below(100) {
        0..55 => {
            let mut s = String::from(rng.pick(BRAND_A));
            s.push_str(rng.pick(BRAND_B));
            s
        }
        55..90 => String::from(rng.pick(BRAND_WORDS)),
        _ => format!("{} {}", rng.pick(BRAND_A), rng.pick(BRAND_WORDS)),
    };
    let suffix: &str = if rng.chance(0.85) { rng.pick(ind.suffixes) } else { "" };
    let short = if suffix.is_empty() { brand.clone() } else { format!("{brand} {suffix}") };
    let name = if rng.chance(0.5) { format!("{short} {}", rng.pick(c.legal)) } else { short.clone() };

    let mut b = String::new();
    fmt::fold_ascii(&mut b, &brand);
    let mut s = String::new();
    fmt::fold_ascii(&mut s, suffix);
    let mut domain = String::new();
    for attempt in 0..16 {
        let tld = rng.weighted(c.tlds);
        domain.clear();
        match (attempt, rng.below(10)) {
            (_, 0..4) if !s.is_empty() => {
                domain.push_str(&b);
                domain.push_str(&s);
            }
            (_, 4..6) if !s.is_empty() => {
                domain.push_str(&b);
                domain.push('-');
                domain.push_str(&s);
            }
            (4.., 6) => {
                domain.push_str("get");
                domain.push_str(&b);
            }
            (4.., 7) => {
                domain.push_str(&b);
                domain.push_str("hq");
            }
            (8.., _) => {
                domain.push_str(&b);
                domain.push_str(&s);
                domain.push_str(&format!("{}", rng.int(2, 99)));
            }
            _ => domain.push_str(&b),
        }
        domain.push('.');
        domain.push_str(tld);
        if !domains.contains(&domain) {
            break;
        }
    }
    let mut k = 0;
    while domains.contains(&domain) {
        // Extremely unlikely: make it unique with the account number.
        k += 1;
        domain = format!("{b}{s}-{i}-{k}.com");
    }
    domains.insert(domain.clone());

    let icp_ind = ind.icp;
    let band = (200..=2000).contains(&employees);
    let ntools = match rng.below(10) {
        0..2 => 0,
        2..5 => 1,
        5..8 => 2,
        8 => 3,
        _ => 4,
    };
    let tech = pick_tools(rng, ntools, icp_ind);
    let tech_icp = TOOLS.iter().enumerate().any(|(i, t)| t.icp && tech & (1 << i) != 0);
    let criteria = icp_ind as u32 + band as u32 + c.icp as u32 + tech_icp as u32;
    // A buying project: running now (around a moment in the last 80 days) or already over
    // (3 to 11 months ago; its deals have mostly closed by `as_of`).
    let in_market = rng.chance(0.08 + 0.05 * criteria as f64);
    let current = rng.chance(0.5);
    let center = if current { as_of - rng.int(2 * DAY, 80 * DAY) } else { as_of - rng.int(95 * DAY, 330 * DAY) };
    let mut surges = [0i64; 2];
    if in_market {
        if rng.chance(0.7) {
            surges[0] = (center + rng.int(-10 * DAY, 6 * DAY)).min(as_of - 3600);
        }
        if rng.chance(0.35) {
            surges[1] = (center + rng.int(-20 * DAY, 6 * DAY)).min(as_of - 3600);
        }
    } else if rng.chance(0.03) {
        surges[0] = as_of - rng.int(DAY, 200 * DAY);
    }
    let owner = if rng.chance(0.4) { 1 + rng.below(data::OWNERS as u32) as u8 } else { 0 };
    let abm = rng.chance(if icp_ind && employees >= 200 { 0.15 } else { 0.025 });
    Account {
        id: format!("acc-{:06}", i + 1),
        name,
        short,
        domain,
        industry,
        employees,
        revenue,
        country,
        owner,
        abm,
        in_market,
        center,
        surges,
        tech,
    }
}
