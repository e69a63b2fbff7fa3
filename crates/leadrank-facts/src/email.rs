//! Email facts: kind (corporate, free-mail, disposable, invalid), dedupe key, role addresses.
//!
//! The domain lists are vendored plain-text files (`data/*.txt`, one lower-case domain per
//! line; sources, versions and licences in `data/README.md`), compiled into the binary with
//! `include_str!` and loaded into hash sets on first use.
//!
//! - Free-mail matching is exact: `gmail.com` is free-mail, `mail.gmail.com` is not.
//! - Disposable matching also covers subdomains: `x.mailinator.com` is disposable (the upstream
//!   list has wildcard entries such as `*.33mail.com`, and throwaway services hand out
//!   subdomains). Entries that are public suffixes open to general registration were left out
//!   of the vendored list so that this cannot mark every organisation under them.
//! - A domain on both lists counts as disposable; it was removed from the free-mail file.

use email_address::{EmailAddress, Options};
use rustc_hash::FxHashSet;
use std::rc::Rc;
use std::sync::LazyLock;

use crate::memo;

static FREE_MAIL: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| load(include_str!("../data/free_mail_domains.txt")));

static DISPOSABLE: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| load(include_str!("../data/disposable_domains.txt")));

fn load(list: &'static str) -> FxHashSet<&'static str> {
    list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
}

/// What kind of address an email is, for the `corporate_email`, `personal_email` and `spam`
/// rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmailKind {
    /// Valid, and its domain is neither free-mail nor disposable.
    Corporate,
    /// Valid, on a free-mail provider (gmail.com, yahoo.com, ...).
    FreeMail,
    /// Valid, on a throwaway-address provider (mailinator.com, ...).
    Disposable,
    /// Not a syntactically valid address (or empty).
    Invalid,
}

impl EmailKind {
    /// Stable snake-case name: `"corporate"`, `"free_mail"`, `"disposable"` or `"invalid"`.
    pub fn as_str(self) -> &'static str {
        match self {
            EmailKind::Corporate => "corporate",
            EmailKind::FreeMail => "free_mail",
            EmailKind::Disposable => "disposable",
            EmailKind::Invalid => "invalid",
        }
    }
}

/// The result of [`classify`]: the kind and the lower-cased domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailInfo {
    /// The kind of address.
    pub kind: EmailKind,
    /// The lower-cased part after the last `@`, when there is a non-empty one (also for
    /// [`EmailKind::Invalid`]). Internationalised domains are in their ASCII form
    /// ([`to_ascii_domain`]), so `bücher.de` and `xn--bcher-kva.de` are one domain.
    pub domain: Option<String>,
}

/// Classifies an email address (trimmed, case-insensitive).
///
/// Checks, in this order: syntax ([`EmailKind::Invalid`]), disposable domain, free-mail
/// domain, else [`EmailKind::Corporate`]. Syntax is RFC 5322 as checked by the
/// `email_address` crate without display names or domain literals, plus: the domain has at
/// least two labels and its last label (the TLD) is at least two letters (or punycode
/// `xn--...`), so `a@localhost`, `a@b.c` and `a@1.2.3.4` are invalid.
pub fn classify(email: &str) -> EmailInfo {
    let email = email.trim();
    let Some((_, raw_domain)) = email.rsplit_once('@') else {
        return EmailInfo { kind: EmailKind::Invalid, domain: None };
    };
    let domain = memo::memoized(&DOMAINS, raw_domain, |d| {
        let ascii = to_ascii_domain(d);
        let kind = if is_disposable_domain(&ascii) {
            EmailKind::Disposable
        } else if is_free_mail_domain(&ascii) {
            EmailKind::FreeMail
        } else {
            EmailKind::Corporate
        };
        (Rc::<str>::from(ascii), kind)
    });
    if domain.0.is_empty() {
        return EmailInfo { kind: EmailKind::Invalid, domain: None };
    }
    let kind = if is_valid_syntax(email) { domain.1 } else { EmailKind::Invalid };
    EmailInfo { kind, domain: Some(domain.0.to_string()) }
}

thread_local! {
    /// A domain's ASCII form and its kind when the address is valid. Domains repeat
    /// heavily (free-mail providers, colleagues); see [`crate::memo`].
    static DOMAINS: memo::Table<(Rc<str>, EmailKind)> = Default::default();
}

/// A domain in its ASCII (IDNA "A-label") form for comparison: lower case, without a
/// trailing dot, each non-ASCII label punycode-encoded (`"Bücher.de"` -> `"xn--bcher-kva.de"`,
/// ideographic full stops read as dots) by the `idna` crate (UTS #46). A domain IDNA rejects
/// is kept lower-cased as given.
pub fn to_ascii_domain(domain: &str) -> String {
    let d = domain.trim().trim_end_matches(['.', '\u{3002}']).to_lowercase();
    if d.is_ascii() {
        return d;
    }
    idna::domain_to_ascii(&d).unwrap_or(d)
}

const SYNTAX: Options = Options { minimum_sub_domains: 2, allow_domain_literal: false, allow_display_text: false };

fn is_valid_syntax(email: &str) -> bool {
    match EmailAddress::parse_with_options(email, SYNTAX) {
        Ok(addr) => has_valid_tld(addr.domain()),
        Err(_) => false,
    }
}

/// The last label is a TLD: at least two letters (any script), or punycode (`xn--` + at least
/// two letters, digits or hyphens).
fn has_valid_tld(domain: &str) -> bool {
    let Some((rest, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    if rest.is_empty() {
        return false;
    }
    let lower = tld.to_ascii_lowercase();
    if let Some(puny) = lower.strip_prefix("xn--") {
        return puny.len() >= 2 && puny.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    }
    tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic)
}

/// Whether `domain` is a free-mail provider's domain (exact match, case-insensitive; a
/// subdomain of a provider is not free-mail).
pub fn is_free_mail_domain(domain: &str) -> bool {
    let d = domain.trim().trim_end_matches('.');
    if d.is_empty() {
        return false;
    }
    with_lower(d, |d| FREE_MAIL.contains(d))
}

/// Whether `domain` is a disposable-address domain or a subdomain of one (case-insensitive):
/// `mailinator.com` and `x.mailinator.com` are both disposable.
pub fn is_disposable_domain(domain: &str) -> bool {
    let d = domain.trim().trim_end_matches('.');
    if d.is_empty() {
        return false;
    }
    with_lower(d, |d| {
        let mut rest = d;
        loop {
            if DISPOSABLE.contains(rest) {
                return true;
            }
            match rest.split_once('.') {
                Some((_, parent)) if parent.contains('.') => rest = parent,
                _ => return false,
            }
        }
    })
}

/// Runs `f` on the lower-cased `s`, without allocating when `s` is already lower case.
fn with_lower<T>(s: &str, f: impl FnOnce(&str) -> T) -> T {
    if s.chars().any(char::is_uppercase) { f(&s.to_lowercase()) } else { f(s) }
}

/// The dedupe key of an email: trimmed and lower-cased; for `gmail.com`
/// and `googlemail.com` the dots and any `+tag` are removed from the local part and the
/// domain is read as `gmail.com`. Other domains are only trimmed and lower-cased, and an
/// internationalised domain is put in its ASCII form ([`to_ascii_domain`]).
///
/// `None` when the address is empty, has no `@`, or has an empty local part or domain
/// (such a key would merge unrelated broken records). Idempotent.
pub fn normalize_for_dedupe(email: &str) -> Option<String> {
    let lower = email.trim().to_lowercase();
    let (local, domain) = lower.rsplit_once('@')?;
    if domain.is_empty() {
        return None;
    }
    if domain == "gmail.com" || domain == "googlemail.com" {
        let base = local.split('+').next().unwrap_or("");
        let local: String = base.chars().filter(|&c| c != '.').collect();
        let local = local.trim();
        if local.is_empty() {
            return None;
        }
        return Some(format!("{local}@gmail.com"));
    }
    if local.is_empty() {
        return None;
    }
    if !domain.is_ascii() {
        return Some(format!("{local}@{}", to_ascii_domain(domain)));
    }
    Some(lower)
}

/// Local parts of shared team or system mailboxes, not a person.
#[rustfmt::skip]
const ROLE_LOCAL_PARTS: &[&str] = &[
    "abuse", "accounting", "accounts", "admin", "administrator", "all", "billing", "bizdev",
    "careers", "career", "community", "compliance", "contact", "contacts", "contactus",
    "customercare", "customerservice", "customersupport", "dev", "devnull", "do-not-reply",
    "do_not_reply", "donotreply", "enquiries", "enquiry", "events", "everyone", "feedback",
    "finance", "general", "hello", "help", "helpdesk", "hi", "hostmaster", "hr", "info",
    "inquiries", "inquiry", "investors", "invoice", "invoices", "ir", "it", "jobs", "kontakt",
    "legal", "mail", "mailer-daemon", "marketing", "media", "news", "newsletter", "no-reply",
    "no_reply", "noreply", "office", "orders", "partners", "partnerships", "payments",
    "postmaster", "pr", "press", "privacy", "procurement", "purchasing", "reception",
    "recruiting", "recruitment", "root", "sales", "security", "service", "services", "social",
    "staff", "support", "sysadmin", "talent", "team", "webmaster",
];

/// Whether the address is a role mailbox (`info@`, `sales@`, `support@`, `noreply@`, ...)
/// rather than a person. Case-insensitive; a `+tag` is ignored (`sales+eu@` is a role
/// address); `false` when there is no `@`.
pub fn is_role_address(email: &str) -> bool {
    let Some((local, _)) = email.trim().rsplit_once('@') else {
        return false;
    };
    let base = local.split('+').next().unwrap_or("").to_ascii_lowercase();
    !base.is_empty() && ROLE_LOCAL_PARTS.contains(&base.as_str())
}

#[cfg(test)]
mod tests {

    #[test]
    fn idn_domains_are_one_domain_in_ascii() {
        assert_eq!(to_ascii_domain("Bücher.de"), "xn--bcher-kva.de");
        assert_eq!(to_ascii_domain("xn--bcher-kva.de"), "xn--bcher-kva.de");
        assert_eq!(to_ascii_domain("münchen.de."), "xn--mnchen-3ya.de");
        assert_eq!(to_ascii_domain("例え.jp"), "xn--r8jz45g.jp");
        assert_eq!(to_ascii_domain("пример.рф"), "xn--e1afmkfd.xn--p1ai");
        let a = classify("anna@Bücher.de");
        let b = classify("anna@xn--bcher-kva.de");
        assert_eq!((a.kind, a.domain.as_deref()), (EmailKind::Corporate, Some("xn--bcher-kva.de")));
        assert_eq!(a, b);
        assert_eq!(normalize_for_dedupe("Anna@Bücher.de"), normalize_for_dedupe("anna@xn--bcher-kva.de"));
    }

    use super::*;
    use proptest::prelude::*;

    fn kind(e: &str) -> EmailKind {
        classify(e).kind
    }

    #[test]
    fn well_known_free_mail_domains() {
        for d in [
            "gmail.com",
            "googlemail.com",
            "yahoo.com",
            "hotmail.com",
            "outlook.com",
            "icloud.com",
            "gmx.de",
            "web.de",
            "mail.ru",
            "qq.com",
            "163.com",
            "yandex.ru",
            "proton.me",
            "protonmail.com",
            "aol.com",
            "live.com",
        ] {
            assert!(is_free_mail_domain(d), "{d} should be free-mail");
            assert!(!is_disposable_domain(d), "{d} should not be disposable");
            assert_eq!(kind(&format!("someone@{d}")), EmailKind::FreeMail, "{d}");
        }
    }

    #[test]
    fn well_known_disposable_domains() {
        for d in ["mailinator.com", "guerrillamail.com", "10minutemail.com", "yopmail.com"] {
            assert!(is_disposable_domain(d), "{d} should be disposable");
            assert!(!is_free_mail_domain(d), "{d} was removed from the free-mail list");
            assert_eq!(kind(&format!("someone@{d}")), EmailKind::Disposable, "{d}");
        }
    }

    #[test]
    fn lists_are_disjoint() {
        for d in FREE_MAIL.iter() {
            assert!(!is_disposable_domain(d), "{d} is on both lists");
        }
        assert!(FREE_MAIL.len() > 5_000);
        assert!(DISPOSABLE.len() > 50_000);
    }

    #[test]
    fn lists_are_clean_lower_case() {
        for d in FREE_MAIL.iter().chain(DISPOSABLE.iter()) {
            assert_eq!(*d, d.to_lowercase());
            assert!(d.contains('.') && !d.starts_with('.') && !d.ends_with('.'), "{d}");
        }
    }

    #[test]
    fn matching_rules() {
        assert!(is_free_mail_domain("GMAIL.COM"));
        assert!(is_free_mail_domain(" gmail.com "));
        assert!(!is_free_mail_domain("mail.gmail.com"));
        assert!(!is_free_mail_domain("acme.com"));
        assert!(!is_free_mail_domain(""));
        assert!(is_disposable_domain("x.mailinator.com"));
        assert!(is_disposable_domain("a.b.MAILINATOR.com"));
        assert!(is_disposable_domain("anything.33mail.com"));
        assert!(!is_disposable_domain("mailinator.com.acme.com"));
        assert!(!is_disposable_domain("acme-widgets-inc.com"));
        assert!(!is_disposable_domain("com"));
        assert!(!is_disposable_domain(""));
        // Public suffixes open to registration are not treated as disposable parents.
        assert!(!is_disposable_domain("uni.edu.pl"));
        assert!(!is_disposable_domain("acme.web.id"));
    }

    #[test]
    fn classify_examples() {
        let info = classify("  Jane.Doe@Acme.COM ");
        assert_eq!(info.kind, EmailKind::Corporate);
        assert_eq!(info.domain.as_deref(), Some("acme.com"));
        assert_eq!(kind("jane@GMail.com"), EmailKind::FreeMail);
        assert_eq!(kind("bot@sub.mailinator.com"), EmailKind::Disposable);
        assert_eq!(kind("ceo@acme.co.uk"), EmailKind::Corporate);
        assert_eq!(kind("x@xn--mller-kva.de"), EmailKind::Corporate);
        assert_eq!(kind("x@müller.de"), EmailKind::Corporate);
        assert_eq!(kind("x@acme.xn--p1ai"), EmailKind::Corporate);
        assert_eq!(classify("x@Müller.DE").domain.as_deref(), Some("xn--mller-kva.de"), "IDN in ASCII form");
    }

    #[test]
    fn invalid_addresses() {
        for e in [
            "",
            "   ",
            "jane",
            "jane@",
            "@acme.com",
            "jane@localhost",
            "jane@acme",
            "jane@acme.c",
            "jane@1.2.3.4",
            "jane@acme.c1",
            "jane@[1.2.3.4]",
            "Jane <jane@acme.com>",
            "ja ne@acme.com",
            "jane@acme..com",
            "jane@.acme.com",
            "jane@acme.com.",
            "jane@@acme.com",
            "jane@-acme.com",
        ] {
            assert_eq!(kind(e), EmailKind::Invalid, "{e:?}");
        }
        let info = classify("not an email@Acme.COM");
        assert_eq!(info.kind, EmailKind::Invalid);
        assert_eq!(info.domain.as_deref(), Some("acme.com"));
        assert_eq!(classify("jane").domain, None);
        assert_eq!(classify("jane@").domain, None);
    }

    #[test]
    fn as_str_names() {
        assert_eq!(EmailKind::Corporate.as_str(), "corporate");
        assert_eq!(EmailKind::FreeMail.as_str(), "free_mail");
        assert_eq!(EmailKind::Disposable.as_str(), "disposable");
        assert_eq!(EmailKind::Invalid.as_str(), "invalid");
    }

    #[test]
    fn dedupe_keys() {
        let n = |e: &str| normalize_for_dedupe(e);
        assert_eq!(n("J.Doe+news@GMail.com").as_deref(), Some("jdoe@gmail.com"));
        assert_eq!(n("j.d.o.e@googlemail.com").as_deref(), Some("jdoe@gmail.com"));
        assert_eq!(n(" JDoe@gmail.com ").as_deref(), Some("jdoe@gmail.com"));
        assert_eq!(n("J.Doe+x@Acme.com").as_deref(), Some("j.doe+x@acme.com"));
        assert_eq!(n("a.b@mail.gmail.com").as_deref(), Some("a.b@mail.gmail.com"));
        assert_eq!(n(""), None);
        assert_eq!(n("jdoe"), None);
        assert_eq!(n("jdoe@"), None);
        assert_eq!(n("@acme.com"), None);
        assert_eq!(n("+tag@gmail.com"), None);
        assert_eq!(n("...@gmail.com"), None);
    }

    #[test]
    fn role_addresses() {
        for e in [
            "info@acme.com",
            "SALES@acme.com",
            "admin@acme.com",
            "support@acme.com",
            "contact@acme.com",
            "hello@acme.com",
            "office@acme.com",
            "team@acme.com",
            "marketing@acme.com",
            "noreply@acme.com",
            "no-reply@acme.com",
            "billing@acme.com",
            "hr@acme.com",
            "jobs@acme.com",
            "careers@acme.com",
            "webmaster@acme.com",
            "postmaster@acme.com",
            "sales+emea@acme.com",
        ] {
            assert!(is_role_address(e), "{e}");
        }
        for e in ["jane@acme.com", "info.jane@acme.com", "salesman@acme.com", "info", "", "@acme.com"] {
            assert!(!is_role_address(e), "{e}");
        }
    }

    proptest! {
        #[test]
        fn no_panic_on_arbitrary_strings(s in "\\PC*") {
            let info = classify(&s);
            if info.kind != EmailKind::Invalid {
                prop_assert!(info.domain.is_some());
            }
            let _ = is_free_mail_domain(&s);
            let _ = is_disposable_domain(&s);
            let _ = is_role_address(&s);
            if let Some(k) = normalize_for_dedupe(&s) {
                prop_assert_eq!(normalize_for_dedupe(&k), Some(k.clone()));
            }
        }

        #[test]
        fn dedupe_is_idempotent_on_email_like_input(
            local in "[a-zA-Z0-9.+_-]{0,12}",
            domain in "(gmail\\.com|googlemail\\.com|GMail\\.COM|acme\\.com|[a-z]{1,6}\\.[a-z]{2,3})",
        ) {
            let e = format!("{local}@{domain}");
            if let Some(k) = normalize_for_dedupe(&e) {
                prop_assert_eq!(normalize_for_dedupe(&k), Some(k.clone()));
                prop_assert!(k.contains('@'));
            }
        }
    }
}
