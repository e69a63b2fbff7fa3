//! Facts derived from one lead (computed lazily while scoring) and from the population of
//! leads (duplicates, account membership and engagement; computed once per dataset).

use std::cell::OnceCell;

use leadrank_facts::email::{self, EmailInfo, EmailKind};
use leadrank_facts::seniority::{self, Seniority};
use leadrank_facts::{country, names, phone};

use crate::records::Lead;

/// Facts about one lead that depend on nothing but the lead. Each is computed on first use,
/// so a model that never asks for phone validity never parses a phone number.
#[derive(Debug)]
pub struct LeadFacts<'a> {
    lead: &'a Lead,
    email: OnceCell<Option<EmailInfo>>,
    seniority: OnceCell<Seniority>,
    phone_valid: OnceCell<bool>,
    gibberish: OnceCell<Option<&'static str>>,
    country: OnceCell<Option<&'static str>>,
    /// The `domain` field normalised.
    domain: OnceCell<Option<String>>,
}

impl<'a> LeadFacts<'a> {
    /// Facts of `lead`, none computed yet.
    pub fn new(lead: &'a Lead) -> Self {
        LeadFacts {
            lead,
            email: OnceCell::new(),
            seniority: OnceCell::new(),
            phone_valid: OnceCell::new(),
            gibberish: OnceCell::new(),
            country: OnceCell::new(),
            domain: OnceCell::new(),
        }
    }

    /// Facts of `lead` whose email classification is already known (`email` must be
    /// `lead.email` classified), so that a lead is classified once per scoring run.
    pub fn with_email(lead: &'a Lead, email: Option<EmailInfo>) -> Self {
        let facts = Self::new(lead);
        let _ = facts.email.set(email);
        facts
    }

    /// The email classification, computed if it was not yet.
    pub fn into_email(self) -> Option<EmailInfo> {
        self.email();
        self.email.into_inner().flatten()
    }

    /// The lead these facts are about.
    pub fn lead(&self) -> &'a Lead {
        self.lead
    }

    /// Kind and domain of the email, if there is one.
    pub fn email(&self) -> Option<&EmailInfo> {
        self.email.get_or_init(|| self.lead.email.as_deref().map(email::classify)).as_ref()
    }

    /// The email's kind, if there is an email.
    pub fn email_kind(&self) -> Option<EmailKind> {
        self.email().map(|e| e.kind)
    }

    /// The email domain when the email is corporate (valid, not free-mail or disposable).
    pub fn corporate_domain(&self) -> Option<&str> {
        self.email().filter(|e| e.kind == EmailKind::Corporate).and_then(|e| e.domain.as_deref())
    }

    /// The company domain: the `domain` field normalised, else the corporate email domain.
    pub fn company_domain(&self) -> Option<&str> {
        match self.domain.get_or_init(|| self.lead.domain.as_deref().and_then(normalize_domain)) {
            Some(d) => Some(d),
            None => self.corporate_domain(),
        }
    }

    /// Seniority read from the title.
    pub fn seniority(&self) -> Seniority {
        *self.seniority.get_or_init(|| self.lead.title.as_deref().map_or(Seniority::Unknown, seniority::from_title))
    }

    /// ISO alpha-2 country, when the country is recognised.
    pub fn country_code(&self) -> Option<&'static str> {
        *self.country.get_or_init(|| self.lead.country.as_deref().and_then(country::normalize))
    }

    /// Whether the phone parses as a valid number (read in the lead's country when it has no
    /// country code). False when there is no phone.
    pub fn phone_valid(&self) -> bool {
        *self.phone_valid.get_or_init(|| self.lead.phone.as_deref().is_some_and(|p| phone::is_valid(p, self.country_code())))
    }

    /// Why the name looks machine-made, if it does.
    pub fn gibberish(&self) -> Option<&'static str> {
        *self.gibberish.get_or_init(|| names::gibberish_reason(self.lead.first_name.as_deref(), self.lead.last_name.as_deref()))
    }

    /// How the phone's international prefix contradicts the lead's country, if it does
    /// (see [`super::risk::country_phone_mismatch`]).
    pub fn country_phone_mismatch(&self) -> Option<String> {
        super::risk::country_phone_mismatch(self.lead.phone.as_deref()?, self.country_code()?)
    }

    /// The lead's account key.
    pub fn account_key(&self) -> Option<String> {
        account_key(self.lead, self.corporate_domain())
    }
}

/// The account key: `id:<account_id>` when the lead has one, else `domain:<corporate email
/// domain>`; none for a lead with neither. The prefixes keep the two kinds apart, so a lead
/// with an account_id and one known only by domain are not in the same account.
pub fn account_key(lead: &Lead, corporate_domain: Option<&str>) -> Option<String> {
    match (&lead.account_id, corporate_domain) {
        (Some(id), _) => Some(format!("id:{id}")),
        (None, Some(d)) => Some(format!("domain:{d}")),
        (None, None) => None,
    }
}

/// A company domain from what people type: "https://www.Acme.com/about" -> "acme.com";
/// internationalised domains in their ASCII form ("www.bücher.de" -> "xn--bcher-kva.de").
pub fn normalize_domain(raw: &str) -> Option<String> {
    let mut d = raw.trim();
    if let Some(i) = d.find("://") {
        d = &d[i + 3..];
    }
    let d = d.split(['/', '?', '#']).next().unwrap_or("");
    let d = d.rsplit('@').next().unwrap_or(d);
    let d = d.split(':').next().unwrap_or(d).trim_end_matches('.');
    let d = d.strip_prefix("www.").unwrap_or(d);
    (!d.is_empty()).then(|| email::to_ascii_domain(d))
}

/// [`normalize_domain`] without allocating when `raw` is already a normalised ASCII domain
/// (lower-case letters, digits, `-` and `.`, no `www.` in front, no `.` at the end), as the
/// domains read from emails and the `domain` field once normalised are.
pub fn normalize_domain_cow(raw: &str) -> Option<std::borrow::Cow<'_, str>> {
    let plain = !raw.is_empty()
        && raw.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
        && !raw.starts_with("www.")
        && !raw.ends_with('.');
    if plain { Some(std::borrow::Cow::Borrowed(raw)) } else { normalize_domain(raw).map(std::borrow::Cow::Owned) }
}

/// The population facts of one lead: what depends on the other leads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PopulationFacts {
    /// Another lead is a duplicate of this one.
    pub duplicate: bool,
    /// For each of the model's account windows, the number of people of the lead's account
    /// (the lead included) that engaged in it. Empty when the lead has no account key.
    pub engaged_people: Vec<u32>,
    /// Phone validity computed ahead for the whole batch (see [`super::Dataset::population`]);
    /// `None` means "work it out from the lead when needed".
    pub phone_valid: Option<bool>,
    /// Marketing consent (granted, time) from the consent records known at T, which then
    /// replaces the lead's `consent` and `consent_at`; `None` when there is no such record.
    pub consent: Option<(bool, jiff::Timestamp)>,
    /// Sign-ups of [`super::risk::IP_BURST_LEADS`]+ distinct leads, this one included, came
    /// from one of its IPs in a short time (only computed when the model uses it).
    pub ip_burst: bool,
}

/// The keys that decide duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DuplicateKeys {
    /// Normalised email.
    pub email: Option<String>,
    /// Account key and normalised full name.
    pub name_in_account: Option<(String, String)>,
}

impl DuplicateKeys {
    /// The duplicate keys of a lead.
    pub fn of(lead: &Lead, account_key: Option<&str>) -> Self {
        Self::from_facts(&LeadFacts::new(lead), account_key)
    }

    /// The duplicate keys from a lead's facts (reusing its email classification).
    pub fn from_facts(facts: &LeadFacts<'_>, account_key: Option<&str>) -> Self {
        let lead = facts.lead();
        // An invalid address ("x@y", "n/a") says nothing about who the person is.
        let email = match (facts.email_kind(), lead.email.as_deref()) {
            (Some(kind), Some(e)) if kind != EmailKind::Invalid => email::normalize_for_dedupe(e),
            _ => None,
        };
        let name_in_account = match (account_key, names::normalize_full_name(lead.first_name.as_deref(), lead.last_name.as_deref())) {
            (Some(k), Some(n)) => Some((k.to_string(), n)),
            _ => None,
        };
        DuplicateKeys { email, name_in_account }
    }
}

/// Segment by head count: smb < 200, mid_market 200..=2000, enterprise > 2000.
pub fn segment(employees: i64) -> &'static str {
    if employees < 200 {
        "smb"
    } else if employees <= 2000 {
        "mid_market"
    } else {
        "enterprise"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_normalise() {
        assert_eq!(normalize_domain("https://www.Acme.com/about?x").as_deref(), Some("acme.com"));
        assert_eq!(normalize_domain(" eu.acme.co.uk. ").as_deref(), Some("eu.acme.co.uk"));
        assert_eq!(normalize_domain("   "), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 1024,
            rng_seed: proptest::test_runner::RngSeed::Fixed(7),
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// The borrowing fast path gives what the full normalisation gives.
        #[test]
        fn borrowed_domains_equal_normalised_ones(raw in "(https?://)?(www\\.)?[a-zA-Z0-9.ü@:/-]{0,16}\\.?") {
            proptest::prop_assert_eq!(normalize_domain_cow(&raw).map(|d| d.into_owned()), normalize_domain(&raw));
        }
    }

    #[test]
    fn account_keys_keep_ids_and_domains_apart() {
        let mut lead = Lead { lead_id: "1".into(), account_id: Some("A1".into()), ..Lead::default() };
        assert_eq!(account_key(&lead, Some("acme.com")).as_deref(), Some("id:A1"));
        lead.account_id = None;
        assert_eq!(account_key(&lead, Some("acme.com")).as_deref(), Some("domain:acme.com"));
        assert_eq!(account_key(&lead, None), None);
    }
}
