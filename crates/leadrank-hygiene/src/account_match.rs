//! Lead-to-account matching for leads without an `account_id`, pure.
//!
//! Methods, tried in this order; the first that finds any candidate decides:
//!
//! 1. `email_domain`: the domain of a corporate email (free-mail, disposable and invalid
//!    addresses never match). An account whose domain is exactly the email's host wins
//!    (score 1.0); otherwise the email's registrable domain (public suffix list:
//!    `eu.acme.co.uk` -> `acme.co.uk`) is looked up, preferring the account whose domain *is*
//!    that registrable domain (the parent) over its subsidiaries (score 0.9).
//! 2. `website`: the lead's `domain` field (`https://www.acme.com/x` = `acme.com`), the same way.
//! 3. `company_name`: the company name without legal form, punctuation, case or accents
//!    ([`crate::text::normalize_company`]: "Acme Inc." = "ACME, Inc"), compared word by word
//!    ([`name_similarity`]: at most one typo per word); the best account matches, so a
//!    typo matches ("Globexx" = "Globex") but a sister company does not ("Osprey Consulting"
//!    is not "Osprey Construction").
//!
//! Domains are compared in their ASCII form (`bücher.de` = `xn--bcher-kva.de`). When several
//! accounts are equally good the lead is `ambiguous` with the candidates listed, never guessed.

use std::collections::BTreeMap;

use serde::Serialize;

use leadrank_core::engine::facts::normalize_domain;
use leadrank_core::{Account, Lead};
use leadrank_facts::email::{self, EmailKind};

use crate::text::{normalize_company, registrable_domain, to_ascii_domain};

/// Company-name similarity above which a name matches (see [`name_similarity`]).
pub const COMPANY_THRESHOLD: f64 = 0.0;

/// The shortest word in which [`name_similarity`] allows one typo.
pub const TYPO_MIN_LEN: usize = 5;

/// Similarity of two normalised company names in [0, 1], or 0 when they are not the same
/// name. Same number of words (in order, or sorted), each pair equal or, for words of
/// [`TYPO_MIN_LEN`] letters or more, one typo apart (insertion, deletion, substitution or
/// transposition); the score is 1 - typos / letters. Names that differ only by spaces
/// ("pay pal" = "paypal") score 0.95.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (ta, tb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    if ta.len() != tb.len() {
        return if a.replace(' ', "") == b.replace(' ', "") { 0.95 } else { 0.0 };
    }
    let score = |x: &[&str], y: &[&str]| {
        let (mut typos, mut letters) = (0usize, 0usize);
        for (p, q) in x.iter().zip(y) {
            let d = strsim::osa_distance(p, q);
            let len = p.chars().count().max(q.chars().count());
            if d > 1 || (d == 1 && len < TYPO_MIN_LEN) {
                return 0.0;
            }
            typos += d;
            letters += len;
        }
        if letters == 0 { 0.0 } else { 1.0 - typos as f64 / letters as f64 }
    };
    let (mut sa, mut sb) = (ta.clone(), tb.clone());
    sa.sort_unstable();
    sb.sort_unstable();
    score(&ta, &tb).max(score(&sa, &sb))
}

/// How a lead was linked to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    EmailDomain,
    Website,
    CompanyName,
    /// Several accounts are equally good; see the candidates.
    Ambiguous,
    None,
}

impl Method {
    /// The method's name in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::EmailDomain => "email_domain",
            Method::Website => "website",
            Method::CompanyName => "company_name",
            Method::Ambiguous => "ambiguous",
            Method::None => "none",
        }
    }
}

/// The result for one lead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountMatch {
    pub lead_id: String,
    /// The linked account, when exactly one matched.
    pub account_id: Option<String>,
    pub method: Method,
    /// 0..=1: 1.0 exact domain, 0.9 registrable domain, the name similarity for names.
    pub score: f64,
    /// The accounts considered equally good (one for a match, several when ambiguous),
    /// sorted by id.
    pub candidates: Vec<String>,
    /// The method that produced the candidates of an ambiguous match.
    pub ambiguous_by: Option<Method>,
}

/// Candidate accounts (indexes) and their score, when a method found any.
type Found = Option<(Vec<u32>, f64)>;

/// Accounts indexed for matching.
#[derive(Debug, Clone, Default)]
pub struct AccountMatcher {
    ids: Vec<String>,
    /// ASCII host -> accounts.
    by_host: BTreeMap<String, Vec<u32>>,
    /// Registrable domain -> accounts (with whether the account's host is that domain).
    by_registrable: BTreeMap<String, Vec<(u32, bool)>>,
    /// Normalised company name -> accounts.
    by_name: BTreeMap<String, Vec<u32>>,
    /// First character of the normalised name -> names (blocking for fuzzy comparison).
    names_by_initial: BTreeMap<char, Vec<String>>,
}

/// A domain as compared: ASCII, normalised; none for free-mail or disposable domains.
fn comparable_domain(raw: &str) -> Option<String> {
    let d = to_ascii_domain(&normalize_domain(raw)?);
    if d.is_empty() || !d.contains('.') || email::is_free_mail_domain(&d) || email::is_disposable_domain(&d) {
        return None;
    }
    Some(d)
}

impl AccountMatcher {
    /// Indexes `accounts` by domain and normalised name.
    pub fn new(accounts: &[Account]) -> Self {
        let mut m = AccountMatcher::default();
        let mut sorted: Vec<&Account> = accounts.iter().collect();
        sorted.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        for (i, a) in sorted.into_iter().enumerate() {
            let i = i as u32;
            m.ids.push(a.account_id.clone());
            if let Some(host) = a.domain.as_deref().and_then(comparable_domain) {
                let reg = registrable_domain(&host);
                m.by_registrable.entry(reg.clone()).or_default().push((i, reg == host));
                m.by_host.entry(host).or_default().push(i);
            }
            if let Some(name) = a.name.as_deref() {
                let n = normalize_company(name);
                if let Some(c) = n.chars().next() {
                    let list = m.by_name.entry(n.clone()).or_default();
                    if list.is_empty() {
                        m.names_by_initial.entry(c).or_default().push(n);
                    }
                    list.push(i);
                }
            }
        }
        m
    }

    /// Candidates for a host: exact host first, else the registrable domain's parent account,
    /// else all accounts under that registrable domain.
    fn by_domain(&self, host: &str) -> Found {
        if let Some(v) = self.by_host.get(host) {
            return Some((v.clone(), 1.0));
        }
        let reg = registrable_domain(host);
        let v = self.by_registrable.get(&reg)?;
        let parents: Vec<u32> = v.iter().filter(|(_, p)| *p).map(|(i, _)| *i).collect();
        if parents.is_empty() { Some((v.iter().map(|(i, _)| *i).collect(), 0.9)) } else { Some((parents, 0.9)) }
    }

    fn by_company(&self, company: &str) -> Found {
        let n = normalize_company(company);
        if let Some(v) = self.by_name.get(&n) {
            return Some((v.clone(), 1.0));
        }
        let c = n.chars().next()?;
        let mut best: Option<(f64, Vec<u32>)> = None;
        for name in self.names_by_initial.get(&c).into_iter().flatten() {
            let s = name_similarity(&n, name);
            if s <= COMPANY_THRESHOLD {
                continue;
            }
            let ids = self.by_name.get(name).cloned().unwrap_or_default();
            match &mut best {
                Some((b, v)) if (s - *b).abs() < 1e-9 => v.extend(ids),
                Some((b, _)) if s < *b => {}
                _ => best = Some((s, ids)),
            }
        }
        best.map(|(s, v)| (v, s))
    }

    /// Matches one lead (its `account_id` is not looked at).
    pub fn match_lead(&self, lead: &Lead) -> AccountMatch {
        let email_host = lead
            .email
            .as_deref()
            .map(email::classify)
            .filter(|e| e.kind == EmailKind::Corporate)
            .and_then(|e| e.domain)
            .and_then(|d| comparable_domain(&d));
        let website = lead.domain.as_deref().and_then(comparable_domain);
        let tries: [(Method, Found); 3] = [
            (Method::EmailDomain, email_host.and_then(|h| self.by_domain(&h))),
            (Method::Website, website.and_then(|h| self.by_domain(&h))),
            (Method::CompanyName, lead.company.as_deref().and_then(|c| self.by_company(c))),
        ];
        for (method, found) in tries {
            let Some((mut ids, score)) = found else { continue };
            ids.sort_unstable();
            ids.dedup();
            let candidates: Vec<String> = ids.iter().map(|&i| self.ids[i as usize].clone()).collect();
            return match candidates.len() {
                0 => continue,
                1 => AccountMatch {
                    lead_id: lead.lead_id.clone(),
                    account_id: candidates.first().cloned(),
                    method,
                    score,
                    candidates,
                    ambiguous_by: None,
                },
                _ => AccountMatch {
                    lead_id: lead.lead_id.clone(),
                    account_id: None,
                    method: Method::Ambiguous,
                    score,
                    candidates,
                    ambiguous_by: Some(method),
                },
            };
        }
        AccountMatch {
            lead_id: lead.lead_id.clone(),
            account_id: None,
            method: Method::None,
            score: 0.0,
            candidates: Vec::new(),
            ambiguous_by: None,
        }
    }
}

/// Matches every lead without an `account_id`, in input order.
pub fn match_leads(leads: &[Lead], accounts: &[Account]) -> Vec<AccountMatch> {
    use rayon::prelude::*;
    let m = AccountMatcher::new(accounts);
    leads.par_iter().filter(|l| l.account_id.is_none()).map(|l| m.match_lead(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str, name: &str, domain: &str) -> Account {
        Account {
            account_id: id.into(),
            name: Some(name.into()).filter(|n: &String| !n.is_empty()),
            domain: Some(domain.into()).filter(|d: &String| !d.is_empty()),
            ..Account::default()
        }
    }

    fn lead(email: &str, domain: &str, company: &str) -> Lead {
        let opt = |s: &str| (!s.is_empty()).then(|| Box::<str>::from(s));
        Lead { lead_id: "L1".into(), email: opt(email), domain: opt(domain), company: opt(company), ..Lead::default() }
    }

    fn accounts() -> Vec<Account> {
        vec![
            account("A1", "Acme Inc.", "acme.com"),
            account("A2", "Acme UK Ltd", "acme.co.uk"),
            account("A3", "Acme Deutschland GmbH", "https://de.acme.com/"),
            account("A4", "Bücher & Co. KG", "bücher.de"),
            account("A5", "Kangaroo Logistics Pty Ltd", "www.kangaroo.com.au"),
            account("A6", "Lumen Studio", "lumen.photography"),
            account("A7", "Globex Corporation", "globex.com"),
            account("A8", "Initech", ""),
            account("A9", "Initech", "initech.io"),
        ]
    }

    fn check(l: Lead, method: Method, id: Option<&str>) -> AccountMatch {
        let m = AccountMatcher::new(&accounts()).match_lead(&l);
        assert_eq!((m.method, m.account_id.as_deref()), (method, id), "{m:?}");
        m
    }

    #[test]
    fn email_domains_follow_the_public_suffix_list() {
        let m = check(lead("jane@acme.com", "", ""), Method::EmailDomain, Some("A1"));
        assert_eq!(m.score, 1.0);
        check(lead("jane@eu.acme.co.uk", "", ""), Method::EmailDomain, Some("A2"));
        // A subsidiary with its own domain wins over the parent; other subdomains go to the parent.
        check(lead("hans@de.acme.com", "", ""), Method::EmailDomain, Some("A3"));
        let m = check(lead("ops@mail.acme.com", "", ""), Method::EmailDomain, Some("A1"));
        assert_eq!(m.score, 0.9);
        check(lead("bruce@sydney.kangaroo.com.au", "", ""), Method::EmailDomain, Some("A5"));
        check(lead("ann@lumen.photography", "", ""), Method::EmailDomain, Some("A6"));
        // com.au is a suffix, not a company: another .com.au domain does not match.
        check(lead("x@wallaby.com.au", "", ""), Method::None, None);
    }

    #[test]
    fn idn_domains_match_their_punycode() {
        check(lead("anna@xn--bcher-kva.de", "", ""), Method::EmailDomain, Some("A4"));
        check(lead("anna@BÜCHER.de", "", ""), Method::EmailDomain, Some("A4"));
        check(lead("", "https://www.xn--bcher-kva.de/shop", ""), Method::Website, Some("A4"));
    }

    #[test]
    fn free_mail_and_disposable_never_match() {
        let mut accts = accounts();
        accts.push(account("G1", "Google", "gmail.com"));
        let m = AccountMatcher::new(&accts);
        assert_eq!(m.match_lead(&lead("bob@gmail.com", "", "")).method, Method::None);
        assert_eq!(m.match_lead(&lead("bob@mailinator.com", "", "")).method, Method::None);
        // A free-mail email falls through to the website.
        assert_eq!(m.match_lead(&lead("bob@gmail.com", "globex.com", "")).account_id.as_deref(), Some("A7"));
    }

    #[test]
    fn company_names_without_legal_forms() {
        let m = check(lead("", "", "ACME, Inc"), Method::CompanyName, Some("A1"));
        assert_eq!(m.score, 1.0);
        check(lead("", "", "Globex Corp."), Method::CompanyName, Some("A7"));
        check(lead("", "", "Globexx"), Method::CompanyName, Some("A7"));
        check(lead("", "", "Bucher & Co"), Method::CompanyName, Some("A4"));
        check(lead("", "", "Umbrella"), Method::None, None);
        // A sister company sharing the first word is not the same company.
        let accts = vec![account("O1", "Osprey Construction", "osprey.com.br")];
        let r = AccountMatcher::new(&accts).match_lead(&lead("a@gmail.com", "", "Osprey Consulting"));
        assert_eq!(r.method, Method::None, "{r:?}");
        assert_eq!(name_similarity("pay pal", "paypal"), 0.95);
        assert_eq!(name_similarity("northwind traders", "traders northwind"), 1.0);
        for (a, b) in [("pinnacle medical", "pinnacle media"), ("hawkspire", "hawkside"), ("silverstone", "silvershore"), ("acme", "acne")]
        {
            assert_eq!(name_similarity(a, b), 0.0, "{a} / {b}");
        }
        assert!((name_similarity("alpine studio", "alpine studios") - (1.0 - 1.0 / 13.0)).abs() < 1e-9);
    }

    #[test]
    fn equally_good_accounts_are_ambiguous() {
        let m = check(lead("", "", "Initech LLC"), Method::Ambiguous, None);
        assert_eq!(m.candidates, vec!["A8", "A9"]);
        assert_eq!(m.ambiguous_by, Some(Method::CompanyName));
        // Two accounts named "Acme" and no domain to tell them apart.
        let accts = vec![account("B1", "Acme", ""), account("B2", "ACME Ltd.", "")];
        let r = AccountMatcher::new(&accts).match_lead(&lead("", "", "Acme"));
        assert_eq!((r.method, r.candidates.clone()), (Method::Ambiguous, vec!["B1".to_string(), "B2".to_string()]));
        // The email domain settles it when there is one.
        let accts = vec![account("B1", "Acme", "acme.com"), account("B2", "Acme", "acme.io")];
        let r = AccountMatcher::new(&accts).match_lead(&lead("a@acme.io", "", "Acme"));
        assert_eq!(r.account_id.as_deref(), Some("B2"));
    }

    #[test]
    fn leads_with_an_account_are_skipped() {
        let mut l = lead("jane@acme.com", "", "");
        l.account_id = Some("A1".into());
        assert!(match_leads(&[l], &accounts()).is_empty());
    }
}
