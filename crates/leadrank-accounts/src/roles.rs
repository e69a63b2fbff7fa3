//! Buying-committee roles from a job title and a department.
//!
//! A person holds up to two kinds of role:
//!
//! - a **level role** from the seniority of the title
//!   ([`leadrank_facts::seniority::from_title`]): C-level and VP are
//!   [`CommitteeRole::DecisionMaker`]; head and director [`CommitteeRole::Champion`]; manager
//!   and senior individual contributors [`CommitteeRole::Influencer`]; other titles
//!   [`CommitteeRole::EndUser`]; students, interns and missing titles none;
//! - **function roles** ([`CommitteeRole::Finance`], [`CommitteeRole::Security`],
//!   [`CommitteeRole::It`]) from keyword tables, so a CFO is finance *and* decision maker and
//!   a CISO security *and* decision maker.
//!
//! # How functions are found
//!
//! Text is lower-cased, Latin accents are folded (`Sécurité` = `securite`) and it is split into
//! words at spaces and punctuation, exactly like the seniority module: dotted one-letter
//! abbreviations are joined (`I.T.` = `it`), so matching is by whole word and "Digital",
//! "Securities" or "Submittals" never contain `it` or `security`. Each table has whole words,
//! multi-word phrases, and (for German and Russian compounds) word prefixes or infixes;
//! Chinese, Japanese and Korean terms are matched as substrings of the raw text.
//!
//! | function | words and phrases (abridged; see the tables in the source) |
//! |---|---|
//! | finance | cfo, finance, financial, controller, comptroller, controlling, accounting, accountant, bookkeeper, accounts payable/receivable, procurement, purchasing, purchase, treasury, treasurer, payroll, tax, FP&A; Finanz*, \*buchhalt\*, \*einkauf\*, Rechnungswesen, kaufmännisch; financier, comptable, achats, trésorerie; financiero, finanzas, contabilidad, compras, tesorería; finanza, acquisti; financeiro; inkoop; финанс\*, бухгалтер\*, закуп\*; 财务, 会计, 采购, 経理, 財務, 재무, 회계, 구매 |
//! | security | ciso, security, cybersecurity, infosec, appsec, secops, devsecops, soc, iam, grc, compliance, risk, privacy, dpo, rssi; \*sicherheit\* (not Arbeitssicherheit, which is workplace safety), Datenschutz\*; sécurité, seguridad, sicurezza, segurança, beveiliging; безопасност\*; 安全, セキュリティ, 보안 |
//! | IT | cio, cto, it, ict, edv, ti, information technology/systems/services, chief information officer, technology, infrastructure, systems, sysadmin, devops, sre, site reliability, network(s), networking, helpdesk, help desk, service desk, dba, database; informatique, informatica, informatik, systèmes, sistemas, sistemi, tecnología, technologie; ит; 信息技术, 情報システム, 전산 |
//!
//! Decisions worth knowing:
//! - **The department wins.** When the department names a function, the function comes from
//!   the department alone and the title's function keywords are not consulted ("Risk
//!   Manager" in department "IT" is IT, not security). A department that names no function
//!   ("Sales", "Executive", "Engineering") leaves the title to decide: CRM departments are
//!   often coarse, and a CFO filed under "Executive" is still finance.
//! - **A CTO is IT** (and a decision maker). The committee's IT seat is whoever signs off on
//!   technical integration, single sign-on and data access; in most companies without a CIO
//!   that is the CTO, and where both exist both count. "Technology" alone (VP Technology,
//!   Head of Technology) is IT too, except marketing, sales and revenue technology, which are
//!   operations roles.
//! - **Engineering, product and data are not IT**: engineers build the company's product,
//!   IT runs its internal systems. A "Software Engineer" is an end user.
//! - **IT modifying security is security.** An IT word right next to a security word (only
//!   a connector such as "of", "des", "de" between them) names the kind of security: "IT
//!   Security Manager", "Information Systems Security Officer", "Seguridad Informática",
//!   "Responsable Sécurité des Systèmes d'Information" and "IT-Sicherheit" are security only.
//!   "Head of IT and Security" names two functions and is both.
//! - **Financial risk is finance.** "Risk" is security (governance, risk and compliance)
//!   unless a financial word comes before it (credit, market, liquidity, financial,
//!   counterparty, treasury): a "Credit Risk Analyst" is finance.
//! - **Ambiguous acronyms are left out**: CSO (security or strategy or sales), CRO (risk or
//!   revenue), CCO (compliance or commercial), CPO (procurement, product or people) and CDO
//!   give a level role only.
//! - Physical security ("Security Guard", "Security Patrol") and network words in other trades
//!   ("Partner Network Manager", "Provider Network", "Social Network") are not matched;
//!   "Embedded Systems" and "Control Systems" are engineering, not IT; "Air Traffic Controller"
//!   is not finance. "Social Security Administration" is accepted as security: the title
//!   says security, and such titles are rare among B2B leads.
//! - Text after "to" is dropped ("Assistant to the CFO" is an end user without a function),
//!   as the seniority module does for levels; "Office of the CFO" stays finance.
//! - Students and interns hold **no** role at all: an intern in finance does not represent
//!   finance in a purchase. A person with no title but a departmental function holds the
//!   function only.

use leadrank_facts::seniority::{Seniority, from_title};
use serde::{Deserialize, Serialize};

/// A seat on a B2B buying committee.
///
/// The first four are *level* roles (one per person, from seniority); the last three are
/// *function* roles (from title or department keywords). Serialised in snake case:
/// `decision_maker`, `champion`, `influencer`, `end_user`, `finance`, `security`, `it`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitteeRole {
    /// Signs the purchase: C-level and VP titles.
    DecisionMaker,
    /// Sponsors the purchase inside the account: heads of functions and directors.
    Champion,
    /// Shapes the evaluation: managers and senior individual contributors.
    Influencer,
    /// Uses the product day to day: other individual contributors.
    EndUser,
    /// Finance, accounting, procurement and treasury: approves budget and contract terms.
    Finance,
    /// Information security, risk and compliance: runs the security review.
    Security,
    /// IT, infrastructure and systems (and the CTO): approves integration and access.
    It,
}

impl CommitteeRole {
    /// Every role, level roles first, in declaration order.
    pub const ALL: [CommitteeRole; 7] = [
        CommitteeRole::DecisionMaker,
        CommitteeRole::Champion,
        CommitteeRole::Influencer,
        CommitteeRole::EndUser,
        CommitteeRole::Finance,
        CommitteeRole::Security,
        CommitteeRole::It,
    ];

    /// Stable snake-case name, the same as the serde name: `"decision_maker"`,
    /// `"champion"`, `"influencer"`, `"end_user"`, `"finance"`, `"security"` or `"it"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CommitteeRole::DecisionMaker => "decision_maker",
            CommitteeRole::Champion => "champion",
            CommitteeRole::Influencer => "influencer",
            CommitteeRole::EndUser => "end_user",
            CommitteeRole::Finance => "finance",
            CommitteeRole::Security => "security",
            CommitteeRole::It => "it",
        }
    }

    /// A label for people: `"decision maker"`, `"champion"`, `"influencer"`, `"end user"`,
    /// `"finance"`, `"security"` or `"IT"`.
    pub fn label(self) -> &'static str {
        match self {
            CommitteeRole::DecisionMaker => "decision maker",
            CommitteeRole::Champion => "champion",
            CommitteeRole::Influencer => "influencer",
            CommitteeRole::EndUser => "end user",
            CommitteeRole::Finance => "finance",
            CommitteeRole::Security => "security",
            CommitteeRole::It => "IT",
        }
    }

    /// The role named by [`CommitteeRole::as_str`] (surrounding spaces and ASCII case
    /// ignored), or `None`.
    pub fn from_name(s: &str) -> Option<CommitteeRole> {
        let s = s.trim();
        Self::ALL.into_iter().find(|r| r.as_str().eq_ignore_ascii_case(s))
    }

    /// True for the function roles (finance, security, IT), false for the level roles.
    pub fn is_function(self) -> bool {
        matches!(self, CommitteeRole::Finance | CommitteeRole::Security | CommitteeRole::It)
    }

    /// The level role of a seniority level: C-level and VP are decision makers; head and
    /// director champions; manager and senior influencers; individual end users; student and
    /// unknown none.
    pub fn from_seniority(level: Seniority) -> Option<CommitteeRole> {
        match level {
            Seniority::CLevel | Seniority::Vp => Some(CommitteeRole::DecisionMaker),
            Seniority::Head | Seniority::Director => Some(CommitteeRole::Champion),
            Seniority::Manager | Seniority::Senior => Some(CommitteeRole::Influencer),
            Seniority::Individual => Some(CommitteeRole::EndUser),
            Seniority::Student | Seniority::Unknown => None,
        }
    }
}

impl std::fmt::Display for CommitteeRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// The committee roles of a person, in [`CommitteeRole::ALL`] order without repeats: at most
/// one level role (from the title's seniority) and any function roles (from the department
/// when it names one, otherwise from the title). See the module documentation for the
/// keyword tables and the choices behind them.
///
/// ```
/// use leadrank_accounts::{CommitteeRole::*, roles_of};
///
/// assert_eq!(roles_of(Some("Chief Financial Officer"), None), vec![DecisionMaker, Finance]);
/// assert_eq!(roles_of(Some("Head of IT Security"), None), vec![Champion, Security]);
/// assert_eq!(roles_of(Some("Digital Marketing Manager"), None), vec![Influencer]);
/// assert_eq!(roles_of(Some("Risk Manager"), Some("IT")), vec![Influencer, It]);
/// assert_eq!(roles_of(Some("Finance Intern"), None), vec![]);
/// ```
pub fn roles_of(title: Option<&str>, department: Option<&str>) -> Vec<CommitteeRole> {
    let title = title.map(str::trim).filter(|t| !t.is_empty());
    let level = from_title(title.unwrap_or(""));
    if level == Seniority::Student {
        return Vec::new();
    }
    let mut roles: Vec<CommitteeRole> = CommitteeRole::from_seniority(level).into_iter().collect();

    let from_department = department.map(functions_of).unwrap_or_default();
    let functions = if from_department.any() { from_department } else { title.map(|t| functions_of(before_to(t))).unwrap_or_default() };
    if functions.finance {
        roles.push(CommitteeRole::Finance);
    }
    if functions.security {
        roles.push(CommitteeRole::Security);
    }
    if functions.it {
        roles.push(CommitteeRole::It);
    }
    roles
}

// ---------------------------------------------------------------------------------------
// Keyword tables (lower-case, Latin accents folded).

/// Whole words and phrases (space-separated words) for a function.
#[rustfmt::skip]
const FINANCE_WORDS: &[&str] = &[
    "cfo", "finance", "finances", "financial", "financials", "controller", "controllers",
    "comptroller", "controlling", "accounting", "accountant", "accountants", "bookkeeper",
    "bookkeeping", "accounts payable", "accounts receivable", "procurement", "purchasing",
    "purchase", "purchaser", "treasury", "treasurer", "payroll", "tax", "taxation", "fp a",
    "fpa", "kaufmannisch", "kaufmannischer", "kaufmannische", "financier", "financiere",
    "comptable", "comptabilite", "achats", "acheteur", "acheteuse", "tresorerie",
    "tresorier", "controle de gestion", "controleur de gestion", "financiero", "financiera",
    "finanzas", "contabilidad", "contable", "contador", "contadora", "compras", "tesoreria",
    "tesorero", "tesorera", "finanza", "finanziario", "finanziaria", "contabilita",
    "acquisti", "tesoreria", "financeiro", "financeira", "contabil", "financien",
    "financieel", "financiele", "inkoop", "boekhouding",
];

/// Infixes that mark a finance word inside a compound (German, Russian).
#[rustfmt::skip]
const FINANCE_INFIXES: &[&str] = &[
    "finanz", "buchhalt", "einkauf", "rechnungswesen", "финанс", "бухгалтер", "закуп",
    "ekonomi", "казначей",
];

/// Chinese, Japanese and Korean finance terms (substring match).
#[rustfmt::skip]
const FINANCE_CJK: &[&str] = &[
    "财务", "財務", "会计", "會計", "采购", "採購", "購買", "調達", "経理", "재무", "회계",
    "구매", "재경",
];

#[rustfmt::skip]
const SECURITY_WORDS: &[&str] = &[
    "ciso", "security", "cybersecurity", "cyber", "infosec", "appsec", "secops",
    "devsecops", "soc", "iam", "grc", "compliance", "risk", "risks", "privacy", "dpo",
    "rssi", "securite", "cybersecurite", "seguridad", "ciberseguridad", "sicurezza",
    "seguranca", "beveiliging", "conformite", "cumplimiento", "penetration tester",
    "pentester", "identity and access management",
];

#[rustfmt::skip]
const SECURITY_INFIXES: &[&str] = &["sicherheit", "datenschutz", "безопасност"];

#[rustfmt::skip]
const SECURITY_CJK: &[&str] = &["安全", "セキュリティ", "보안"];

#[rustfmt::skip]
const IT_WORDS: &[&str] = &[
    "cio", "cto", "it", "ict", "edv", "ti", "information technology", "information systems",
    "information services", "chief information officer", "technology", "technologies",
    "infrastructure", "systems", "system administrator", "sysadmin", "devops", "sre",
    "site reliability", "network", "networks", "networking", "helpdesk", "help desk",
    "service desk", "dba", "database", "informatique", "informatica", "informatico",
    "informatik", "systemes", "sistemas", "sistemi", "tecnologia", "tecnologias",
    "technologie", "tecnologie", "ит",
];

#[rustfmt::skip]
const IT_INFIXES: &[&str] = &["informatik"];

#[rustfmt::skip]
const IT_CJK: &[&str] = &[
    "信息技术", "資訊科技", "资讯科技", "情報システム", "情報技術", "전산", "정보기술",
];

/// Words before "risk" that make it financial risk (finance, not security).
const FINANCIAL_RISK_PREV: &[&str] = &["credit", "market", "liquidity", "financial", "counterparty", "treasury"];

/// Words after "security" that make it physical security.
const PHYSICAL_SECURITY_NEXT: &[&str] = &["guard", "guards", "patrol"];

/// Words before "network" that name a network of people, not computers.
#[rustfmt::skip]
const PEOPLE_NETWORK_PREV: &[&str] = &[
    "partner", "partners", "social", "affiliate", "sales", "channel", "alumni", "provider",
    "dealer", "franchise", "retail", "care",
];

/// Words before "systems" that name engineering, not IT.
const ENGINEERING_SYSTEMS_PREV: &[&str] =
    &["embedded", "control", "controls", "weapons", "hvac", "building", "electrical", "mechanical", "propulsion"];

/// Words before "technology" that name an operations specialty, not IT.
const OPS_TECHNOLOGY_PREV: &[&str] = &["marketing", "sales", "revenue", "learning"];

/// Words between an IT word and a security word that keep them adjacent.
#[rustfmt::skip]
const CONNECTORS: &[&str] = &[
    "of", "for", "de", "des", "du", "d", "del", "della", "di", "da", "do", "der", "dei",
];

// ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Functions {
    finance: bool,
    security: bool,
    it: bool,
}

impl Functions {
    fn any(self) -> bool {
        self.finance || self.security || self.it
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Finance,
    Security,
    It,
}

/// The text before a "to" that introduces whom the person supports ("Assistant to the
/// CFO"); the whole text when there is none.
fn before_to(title: &str) -> &str {
    let mut start = 0;
    for word in title.split(' ') {
        if start > 0 && word.eq_ignore_ascii_case("to") {
            return title.get(..start).unwrap_or(title);
        }
        start += word.len() + 1;
    }
    title
}

/// The functions named in a title or department.
fn functions_of(text: &str) -> Functions {
    let words = tokenize(text);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    // Per word: the function it signals, if any.
    let mut kinds: Vec<Option<Kind>> = vec![None; w.len()];
    mark_phrases(&w, FINANCE_WORDS, Kind::Finance, &mut kinds);
    mark_phrases(&w, SECURITY_WORDS, Kind::Security, &mut kinds);
    mark_phrases(&w, IT_WORDS, Kind::It, &mut kinds);
    for (i, t) in w.iter().enumerate() {
        let prev = if i > 0 { w.get(i - 1).copied() } else { None };
        let next = w.get(i + 1).copied();
        let is = |x: Option<&str>, set: &[&str]| x.is_some_and(|x| set.contains(&x));
        let Some(slot) = kinds.get_mut(i) else {
            continue;
        };
        if slot.is_none() {
            if t.contains("arbeitssicherheit") {
                continue;
            }
            if FINANCE_INFIXES.iter().any(|s| t.contains(s)) {
                *slot = Some(Kind::Finance);
            } else if SECURITY_INFIXES.iter().any(|s| t.contains(s)) {
                *slot = Some(Kind::Security);
            } else if IT_INFIXES.iter().any(|s| t.contains(s)) {
                *slot = Some(Kind::It);
            }
            continue;
        }
        // Exceptions to single-word matches.
        match *t {
            "risk" | "risks" if is(prev, FINANCIAL_RISK_PREV) => *slot = Some(Kind::Finance),
            "security" if is(next, PHYSICAL_SECURITY_NEXT) => *slot = None,
            "network" | "networks" | "networking" if is(prev, PEOPLE_NETWORK_PREV) => *slot = None,
            "systems" if is(prev, ENGINEERING_SYSTEMS_PREV) => *slot = None,
            "technology" | "technologies" if is(prev, OPS_TECHNOLOGY_PREV) => *slot = None,
            "controller" | "controllers" if is(prev, &["traffic", "game", "motion"]) => *slot = None,
            _ => {}
        }
    }

    // An IT word next to a security word (connectors between them allowed) names the kind
    // of security, not a second function.
    let content: Vec<usize> = (0..w.len()).filter(|&i| w.get(i).is_some_and(|t| !CONNECTORS.contains(t))).collect();
    let kind_at = |i: usize| kinds.get(i).copied().flatten();
    let mut modifier = vec![false; w.len()];
    for pair in content.windows(2) {
        let &[a, b] = pair else { continue };
        if b != a + 1 && !(a + 1..b).all(|j| w.get(j).is_some_and(|t| CONNECTORS.contains(t))) {
            continue;
        }
        match (kind_at(a), kind_at(b)) {
            (Some(Kind::It), Some(Kind::Security)) => mark_run(&kinds, &mut modifier, a, Kind::It),
            (Some(Kind::Security), Some(Kind::It)) => mark_run(&kinds, &mut modifier, b, Kind::It),
            _ => {}
        }
    }

    let mut f = Functions::default();
    for (i, k) in kinds.iter().enumerate() {
        match k {
            Some(Kind::Finance) => f.finance = true,
            Some(Kind::Security) => f.security = true,
            Some(Kind::It) if !modifier.get(i).copied().unwrap_or(false) => f.it = true,
            _ => {}
        }
    }
    if !text.is_ascii() {
        f.finance |= FINANCE_CJK.iter().any(|s| text.contains(s));
        f.security |= SECURITY_CJK.iter().any(|s| text.contains(s));
        f.it |= IT_CJK.iter().any(|s| text.contains(s));
    }
    f
}

/// Marks the run of `kind` words containing `at` (a multi-word phrase such as "information
/// systems") as a modifier.
fn mark_run(kinds: &[Option<Kind>], modifier: &mut [bool], at: usize, kind: Kind) {
    let same = |i: usize| kinds.get(i).copied().flatten() == Some(kind);
    let mut i = at;
    while same(i) {
        if let Some(m) = modifier.get_mut(i) {
            *m = true;
        }
        if i == 0 {
            break;
        }
        i -= 1;
    }
    let mut i = at + 1;
    while same(i) {
        if let Some(m) = modifier.get_mut(i) {
            *m = true;
        }
        i += 1;
    }
}

/// Marks every word covered by a whole-word or phrase match of `table` with `kind` (words
/// already marked keep their first function).
fn mark_phrases(w: &[&str], table: &[&str], kind: Kind, kinds: &mut [Option<Kind>]) {
    for entry in table {
        let parts: Vec<&str> = entry.split(' ').collect();
        let n = parts.len();
        if n == 0 || n > w.len() {
            continue;
        }
        for start in 0..=w.len() - n {
            if w.get(start..start + n) == Some(parts.as_slice()) {
                for slot in kinds.iter_mut().skip(start).take(n) {
                    if slot.is_none() {
                        *slot = Some(kind);
                    }
                }
            }
        }
    }
}

/// Lower-cased words with Latin accents folded; dotted one-letter abbreviations joined
/// (`I.T.` = `it`), other dotted words split. Chinese, Japanese and Korean characters
/// separate words (they are matched as substrings instead).
fn tokenize(text: &str) -> Vec<String> {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii() {
            folded.push(c);
        } else if is_latin(c) {
            folded.push_str(deunicode::deunicode_char(c).unwrap_or(""));
        } else if is_cjk(c) {
            folded.push(' ');
        } else if ('\u{0300}'..='\u{036F}').contains(&c) {
            // combining accent: belongs to the previous letter
        } else {
            folded.push(c);
        }
    }
    leadrank_facts::seniority::split_words(&folded)
}

fn is_latin(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}')
}

#[cfg(test)]
mod tests {
    use super::CommitteeRole::*;
    use super::*;

    /// (title, department, roles)
    #[rustfmt::skip]
    const CASES: &[(&str, Option<&str>, &[CommitteeRole])] = &[
        // Finance, English
        ("Chief Financial Officer", None, &[DecisionMaker, Finance]),
        ("CFO", None, &[DecisionMaker, Finance]),
        ("EVP & Chief Financial Officer", None, &[DecisionMaker, Finance]),
        ("VP Finance", None, &[DecisionMaker, Finance]),
        ("Head of Procurement", None, &[Champion, Finance]),
        ("Director, FP&A", None, &[Champion, Finance]),
        ("Corporate Controller", None, &[EndUser, Finance]),
        ("Senior Accountant", None, &[Influencer, Finance]),
        ("Accounts Payable Specialist", None, &[EndUser, Finance]),
        ("Purchasing Manager", None, &[Influencer, Finance]),
        ("Treasury Analyst", None, &[EndUser, Finance]),
        ("Credit Risk Analyst", None, &[EndUser, Finance]),
        ("Office of the CFO", None, &[EndUser, Finance]),
        // Finance, other languages
        ("Leiter Finanzen", None, &[Champion, Finance]),
        ("Finanzbuchhalterin", None, &[EndUser, Finance]),
        ("Leiterin Einkauf", None, &[Champion, Finance]),
        ("Kaufmännischer Leiter", None, &[Champion, Finance]),
        ("Directeur Financier", None, &[Champion, Finance]),
        ("Responsable Comptabilité", None, &[Influencer, Finance]),
        ("Directora Financiera", None, &[Champion, Finance]),
        ("Jefe de Compras", None, &[Champion, Finance]),
        ("Gerente de Contabilidad", None, &[Influencer, Finance]),
        ("Responsabile Acquisti", None, &[Influencer, Finance]),
        ("Финансовый директор", None, &[Champion, Finance]),
        ("财务总监", None, &[Champion, Finance]),
        ("経理部長", None, &[Champion, Finance]),
        // Security
        ("CISO", None, &[DecisionMaker, Security]),
        ("Chief Information Security Officer", None, &[DecisionMaker, Security]),
        ("Head of IT Security", None, &[Champion, Security]),
        ("IT Security Manager", None, &[Influencer, Security]),
        ("Information Systems Security Officer", None, &[EndUser, Security]),
        ("Director of Information Security", None, &[Champion, Security]),
        ("Compliance Officer", None, &[EndUser, Security]),
        ("Risk Manager", None, &[Influencer, Security]),
        ("VP, Governance, Risk & Compliance", None, &[DecisionMaker, Security]),
        ("SOC Analyst", None, &[EndUser, Security]),
        ("Leiter IT-Sicherheit", None, &[Champion, Security]),
        ("Informationssicherheitsbeauftragter", None, &[EndUser, Security]),
        ("Responsable Sécurité des Systèmes d'Information", None, &[Influencer, Security]),
        ("Jefe de Seguridad Informática", None, &[Champion, Security]),
        ("Social Security Administration Analyst", None, &[EndUser, Security]),
        ("Security Guard", None, &[EndUser]),
        ("Fachkraft für Arbeitssicherheit", None, &[EndUser]),
        ("信息安全总监", None, &[Champion, Security]),
        // IT
        ("CIO", None, &[DecisionMaker, It]),
        ("Chief Information Officer", None, &[DecisionMaker, It]),
        ("CTO", None, &[DecisionMaker, It]),
        ("Chief Technology Officer", None, &[DecisionMaker, It]),
        ("Head of IT", None, &[Champion, It]),
        ("Director, I.T.", None, &[Champion, It]),
        ("IT Manager", None, &[Influencer, It]),
        ("Systems Administrator", None, &[EndUser, It]),
        ("Senior DevOps Engineer", None, &[Influencer, It]),
        ("Network Engineer", None, &[EndUser, It]),
        ("Helpdesk Technician", None, &[EndUser, It]),
        ("Infrastructure Architect", None, &[EndUser, It]),
        ("IT-Leiter", None, &[Champion, It]),
        ("Directeur des Systèmes d'Information", None, &[Champion, It]),
        ("Director de Sistemas", None, &[Champion, It]),
        ("Gerente de TI", None, &[Influencer, It]),
        ("Head of IT and Security", None, &[Champion, Security, It]),
        ("IT总监", None, &[Champion, It]),
        // Word boundaries and other trades
        ("Digital Marketing Manager", None, &[Influencer]),
        ("Head of Digital", None, &[Champion]),
        ("Securities Trader", None, &[EndUser]),
        ("Partner Network Manager", None, &[Influencer]),
        ("Embedded Systems Engineer", None, &[EndUser]),
        ("Marketing Technology Manager", None, &[Influencer]),
        ("Air Traffic Controller", None, &[EndUser]),
        ("Submittals Coordinator", None, &[EndUser]),
        ("VP Engineering", None, &[DecisionMaker]),
        ("Software Engineer", None, &[EndUser]),
        ("CSO", None, &[DecisionMaker]),
        // Level roles only
        ("CEO", None, &[DecisionMaker]),
        ("Geschäftsführer", None, &[DecisionMaker]),
        ("VP of Sales", None, &[DecisionMaker]),
        ("Head of Marketing", None, &[Champion]),
        ("Director of Revenue Operations", None, &[Champion]),
        ("Sales Manager", None, &[Influencer]),
        ("Senior Data Analyst", None, &[Influencer]),
        ("Account Executive", None, &[EndUser]),
        ("Assistant to the CFO", None, &[EndUser]),
        ("Executive Assistant To The CISO", None, &[EndUser]),
        ("Chief Security Officer", None, &[DecisionMaker, Security]),
        ("Director of Technology", None, &[Champion, It]),
        // Students, interns and unknowns
        ("Finance Intern", None, &[]),
        ("Werkstudent IT", None, &[]),
        ("PhD Student", None, &[]),
        ("n/a", None, &[]),
        ("", None, &[]),
        // Department wins
        ("Risk Manager", Some("IT"), &[Influencer, It]),
        ("Finance Systems Analyst", Some("Finance"), &[EndUser, Finance]),
        ("Business Analyst", Some("Information Technology"), &[EndUser, It]),
        ("Analyst", Some("Procurement"), &[EndUser, Finance]),
        ("Manager", Some("InfoSec"), &[Influencer, Security]),
        ("Director", Some("Legal & Compliance"), &[Champion, Security]),
        ("Chief Financial Officer", Some("Executive"), &[DecisionMaker, Finance]),
        ("Security Engineer", Some("Engineering"), &[EndUser, Security]),
        ("Directeur", Some("Informatique"), &[Champion, It]),
        ("Analyst", Some("Digital"), &[EndUser]),
        ("", Some("Finance"), &[Finance]),
    ];

    #[test]
    fn role_table() {
        assert!(CASES.len() >= 40);
        let mut failures = Vec::new();
        for (title, department, want) in CASES {
            let got = roles_of(Some(title), *department);
            if got != *want {
                failures.push(format!("{title:?} / {department:?}: got {got:?}, want {want:?}"));
            }
        }
        assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    }

    #[test]
    fn no_title_no_department() {
        assert_eq!(roles_of(None, None), vec![]);
        assert_eq!(roles_of(None, Some("Sales")), vec![]);
        assert_eq!(roles_of(None, Some("Treasury")), vec![Finance]);
        assert_eq!(roles_of(Some("   "), Some("  ")), vec![]);
    }

    #[test]
    fn names_and_labels() {
        for role in CommitteeRole::ALL {
            assert_eq!(CommitteeRole::from_name(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
            assert_eq!(role.to_string(), role.label());
        }
        assert_eq!(CommitteeRole::from_name(" Decision_Maker "), Some(DecisionMaker));
        assert_eq!(CommitteeRole::from_name("cfo"), None);
        assert_eq!(It.label(), "IT");
        assert!(Finance.is_function() && !Champion.is_function());
    }

    #[test]
    fn roles_are_sorted_and_unique() {
        for (title, department, _) in CASES {
            let got = roles_of(Some(title), *department);
            let mut sorted = got.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(got, sorted, "{title}");
            assert!(got.iter().filter(|r| !r.is_function()).count() <= 1, "{title}");
        }
    }
}
