//! The account score: people rolled up to their account.
//!
//! ```text
//! total = fit + engagement + recency + coverage_points
//! ```
//!
//! - **fit** (0..=50 by default): the best fit among the account's people. Firmographics
//!   (industry, size, country, tech stack) are facts about the company, shared by everyone in
//!   it, but each lead carries them only as well as that lead's record documents them: one
//!   form asks for head count, another never did. The best-fitting person is the
//!   best-documented view of the company, so the account takes that person's fit rather than
//!   an average, which would punish an account for its sparse records. The lead is named
//!   in the reason so a rep can check it.
//! - **engagement** (0..=60): each *engaged* person's intent points (engaged = last
//!   engagement within [`AccountPolicy::engaged_within_days`] of "as of"), sorted from the
//!   highest, the k-th person (counting from 0) weighted `diminishing^k`, summed and rounded.
//!   With 0.5: 40 + 30 + 20 intent gives 40 + 15 + 5 = 60. A second and third person add
//!   evidence that the account is buying, but less than the first: ten people reading a
//!   blog post are not ten times one demo request.
//! - **recency** (0..=20): points for the band of the most recent engagement.
//! - **coverage** (0..=20): points per committee role with at least one engaged person.
//!
//! Every part has a reason, and every cap that cut points has a `cap` reason with negative
//! points, so `total` is always the sum of the reasons' points. People with no engagement
//! in the window still count for fit and appear as *known* in the committee coverage; they
//! add nothing to engagement, recency or coverage points. The result does not depend on the
//! order of the people: ties are broken by lead id.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::roles::{CommitteeRole, roles_of};

/// An account as the CRM knows it (the `accounts` input).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    /// The account's id.
    pub account_id: String,
    /// The company name.
    pub name: Option<String>,
    /// The tier; `"abm"` (any case) marks a named target account.
    pub tier: Option<String>,
    /// The owning rep's id.
    pub owner: Option<String>,
    /// Industry, shown beside the fit reason.
    pub industry: Option<String>,
    /// Head count, shown beside the fit reason.
    pub employees: Option<i64>,
    /// Country, shown beside the fit reason.
    pub country: Option<String>,
}

impl From<&leadrank_core::Account> for AccountInfo {
    fn from(a: &leadrank_core::Account) -> Self {
        AccountInfo {
            account_id: a.account_id.clone(),
            name: a.name.clone(),
            tier: a.tier.clone(),
            owner: a.owner.clone(),
            industry: a.industry.clone(),
            employees: a.employees,
            country: a.country.clone(),
        }
    }
}

/// One person of the account, with the numbers of their lead score.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The lead's id (expected unique within the account).
    pub lead_id: String,
    /// Job title as typed.
    pub title: Option<String>,
    /// Department, when the CRM has one; it decides the function role (see
    /// [`roles_of`]).
    pub department: Option<String>,
    /// The lead's fit points (after the fit cap).
    pub fit: i32,
    /// The lead's intent points (after the intent cap).
    pub intent: i32,
    /// The lead's total score.
    pub total: i32,
    /// Whether the lead is a quality lead.
    pub quality: bool,
    /// The time of the lead's last engagement event, if any. Engagements after "as of" are
    /// ignored.
    pub last_engaged: Option<Timestamp>,
    /// How many engagement events the lead had (shown in the engagement reason).
    pub engaged_events: u32,
}

/// A recency band: `points` when the most recent engagement is at most `within_days` days
/// before "as of".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecencyBand {
    /// The band's upper bound in days (24-hour periods before "as of"), inclusive.
    pub within_days: i64,
    /// The points of the band.
    pub points: i32,
}

/// The account scoring policy. Every field has a default (`#[serde(default)]`), so a policy
/// file need only name what it changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountPolicy {
    /// A person is *engaged* when their last engagement is at most this many days before
    /// "as of" (default 90, the longest behavioural window of the default lead model: a
    /// demo request or trial within 90 days still counts for intent).
    pub engaged_within_days: i64,
    /// The weight ratio between consecutive engaged people, from the most intent down:
    /// the k-th person (from 0) counts `diminishing^k` of their intent (default 0.5, so a
    /// second person adds half, a third a quarter; the sum of any number of people stays
    /// below twice the best person's intent). Clamped to 0..=1.
    pub diminishing: f64,
    /// The most engagement points an account can have (default 60: one person at the lead
    /// intent cap of 40 plus a second at 40 reach it; one person alone cannot).
    pub engagement_cap: i32,
    /// The most fit points (default 50, the lead model's fit cap, so an account is never
    /// fitter than its best person could be).
    pub fit_cap: i32,
    /// Recency bands; the first band (smallest `within_days`) that contains the most recent
    /// engagement gives its points, none when it is older than every band (default: within
    /// 7 days +20, 30 days +10, 90 days +5: an account active this week deserves a call
    /// today; one that was active last quarter is still warm). Only engaged people count,
    /// so bands beyond [`AccountPolicy::engaged_within_days`] never fire.
    pub recency: Vec<RecencyBand>,
    /// The roles a complete buying committee needs; each one with no engaged person is
    /// listed in [`AccountScore::missing`] (default: decision maker, champion, finance,
    /// security, IT: who signs, who sponsors, who approves budget, the security review and
    /// the integration).
    pub committee_roles_required: Vec<CommitteeRole>,
    /// Points for each committee role (any of the seven, required or not) with at least
    /// one engaged person (default 5: breadth is evidence of a real buying process).
    pub coverage_points_per_role: i32,
    /// The most coverage points (default 20: four engaged roles are a committee at work;
    /// more seats add nothing).
    pub coverage_cap: i32,
}

impl Default for AccountPolicy {
    fn default() -> Self {
        AccountPolicy {
            engaged_within_days: 90,
            diminishing: 0.5,
            engagement_cap: 60,
            fit_cap: 50,
            recency: vec![
                RecencyBand { within_days: 7, points: 20 },
                RecencyBand { within_days: 30, points: 10 },
                RecencyBand { within_days: 90, points: 5 },
            ],
            committee_roles_required: vec![
                CommitteeRole::DecisionMaker,
                CommitteeRole::Champion,
                CommitteeRole::Finance,
                CommitteeRole::Security,
                CommitteeRole::It,
            ],
            coverage_points_per_role: 5,
            coverage_cap: 20,
        }
    }
}

impl AccountPolicy {
    /// The problems of a policy, one message each; empty when it is sound. Scoring never
    /// fails: it clamps `diminishing` to 0..=1 and negative windows and caps to 0.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !(self.diminishing.is_finite() && (0.0..=1.0).contains(&self.diminishing)) {
            out.push(format!("diminishing must be within 0..=1, not {}", self.diminishing));
        }
        if self.engaged_within_days < 0 {
            out.push("engaged_within_days must not be negative".into());
        }
        for (name, v) in [
            ("engagement_cap", self.engagement_cap),
            ("fit_cap", self.fit_cap),
            ("coverage_cap", self.coverage_cap),
            ("coverage_points_per_role", self.coverage_points_per_role),
        ] {
            if v < 0 {
                out.push(format!("{name} must not be negative"));
            }
        }
        for band in &self.recency {
            if band.within_days < 0 {
                out.push(format!("recency band {} days must not be negative", band.within_days));
            }
        }
        out
    }
}

/// One line of an account score's explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountReason {
    /// `fit`, `engagement`, `recency`, `coverage`, or `cap` for a cap that cut points.
    pub rule: String,
    /// The points it added (negative for a cap).
    pub points: i32,
    /// Human evidence, e.g. "best fit 40 (lead L12)".
    pub detail: String,
}

/// Who holds one committee role in the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleCoverage {
    /// The role.
    pub role: CommitteeRole,
    /// Whether the policy requires the role ([`AccountPolicy::committee_roles_required`]).
    pub required: bool,
    /// Lead ids of the people in the role who engaged within the window, sorted.
    pub engaged: Vec<String>,
    /// Lead ids of the people in the role who did not engage within the window, sorted.
    pub known: Vec<String>,
}

/// The score of an account, with its reasons and its buying-committee coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountScore {
    /// The account's id.
    pub account_id: String,
    /// The company name.
    pub name: Option<String>,
    /// The tier as given.
    pub tier: Option<String>,
    /// True for a named target account (tier `abm`, any case, surrounding spaces ignored).
    pub abm: bool,
    /// The owning rep.
    pub owner: Option<String>,
    /// The scoring time.
    pub as_of: Timestamp,
    /// The engagement window used, in days.
    pub engaged_within_days: i64,
    /// fit + engagement + recency + coverage_points; always the sum of the reasons' points.
    pub total: i32,
    /// Fit points after the fit cap.
    pub fit: i32,
    /// Engagement points after the engagement cap.
    pub engagement: i32,
    /// Recency points.
    pub recency: i32,
    /// Coverage points after the coverage cap.
    pub coverage_points: i32,
    /// How many people the account has.
    pub people: usize,
    /// How many of them engaged within the window.
    pub engaged_people: usize,
    /// How many of them are quality leads.
    pub quality_people: usize,
    /// Every part of the score and every cap, in order: fit, engagement, recency, coverage.
    pub reasons: Vec<AccountReason>,
    /// All seven roles in [`CommitteeRole::ALL`] order, with who holds them.
    pub coverage: Vec<RoleCoverage>,
    /// What the committee lacks, one line per required role nobody engaged in: "no one from
    /// finance known", "no one from security engaged (L8 known)", "no decision maker known".
    pub missing: Vec<String>,
}

const DAY: i64 = 86_400;

/// Scores an account from its people as of `as_of`. Pure and deterministic: the same
/// inputs in any order give the same score. See the module documentation for the formula.
pub fn score_account(info: &AccountInfo, people: &[Person], as_of: Timestamp, policy: &AccountPolicy) -> AccountScore {
    let window_days = policy.engaged_within_days.max(0);
    let window = window_days.saturating_mul(DAY);
    let elapsed = |p: &Person| -> Option<i64> {
        let t = p.last_engaged?;
        let e = as_of.as_second().saturating_sub(t.as_second());
        (0..=window).contains(&e).then_some(e)
    };
    let mut reasons = Vec::new();

    // Fit: the best person's fit, ties to the smallest lead id.
    let best = people.iter().max_by(|a, b| a.fit.cmp(&b.fit).then_with(|| b.lead_id.cmp(&a.lead_id)));
    let firmographics = firmographics(info);
    let raw_fit = best.map_or(0, |p| p.fit.max(0));
    let detail = match best {
        Some(p) => format!("best fit {raw_fit} (lead {}){firmographics}", p.lead_id),
        None => format!("no people known{firmographics}"),
    };
    reasons.push(reason("fit", raw_fit, detail));
    let fit = capped(&mut reasons, "fit", raw_fit, policy.fit_cap);

    // Engagement: engaged people by intent, highest first, with diminishing weights.
    let mut engaged: Vec<(&Person, i64)> = people.iter().filter_map(|p| elapsed(p).map(|e| (p, e))).collect();
    engaged.sort_by(|(a, _), (b, _)| b.intent.max(0).cmp(&a.intent.max(0)).then_with(|| a.lead_id.cmp(&b.lead_id)));
    let d = if policy.diminishing.is_finite() { policy.diminishing.clamp(0.0, 1.0) } else { 0.5 };
    let mut sum = 0.0_f64;
    let mut weight = 1.0_f64;
    let mut parts = Vec::new();
    let mut items = Vec::new();
    for (p, _) in &engaged {
        let intent = p.intent.max(0);
        let contribution = f64::from(intent) * weight;
        sum += contribution;
        parts.push(fmt_num(contribution, 1));
        items.push(format!("{} {intent}", p.lead_id));
        weight *= d;
    }
    let raw_engagement = sum.round() as i32;
    let events: u64 = engaged.iter().map(|(p, _)| u64::from(p.engaged_events)).sum();
    let detail = match engaged.len() {
        0 => format!("no one engaged in the last {window_days} days"),
        n => format!(
            "{n} {} ({events} {}) in the last {window_days} days: {} intent with diminishing \
             returns (x{} per extra person; {})",
            if n == 1 { "person engaged" } else { "people engaged" },
            if events == 1 { "event" } else { "events" },
            abbreviate(&parts, " + "),
            fmt_num(d, 3),
            abbreviate(&items, ", "),
        ),
    };
    reasons.push(reason("engagement", raw_engagement, detail));
    let engagement = capped(&mut reasons, "engagement", raw_engagement, policy.engagement_cap);

    // Recency: the most recent engagement, ties to the smallest lead id.
    let latest = engaged.iter().min_by(|(a, ea), (b, eb)| ea.cmp(eb).then_with(|| a.lead_id.cmp(&b.lead_id)));
    let mut bands = policy.recency.clone();
    bands.sort_by_key(|b| (b.within_days, std::cmp::Reverse(b.points)));
    let (recency, detail) = match latest {
        None => (0, format!("no engagement in the last {window_days} days")),
        Some((p, e)) => {
            let ago = ago(*e);
            match bands.iter().find(|b| *e <= b.within_days.max(0).saturating_mul(DAY)) {
                Some(b) => (b.points, format!("engaged {ago} ({}, within {} days)", p.lead_id, b.within_days)),
                None => (0, format!("engaged {ago} ({}), outside every recency band", p.lead_id)),
            }
        }
    };
    reasons.push(reason("recency", recency, detail));

    // Coverage: who holds which role.
    let mut coverage: Vec<RoleCoverage> = CommitteeRole::ALL
        .into_iter()
        .map(|role| RoleCoverage {
            role,
            required: policy.committee_roles_required.contains(&role),
            engaged: Vec::new(),
            known: Vec::new(),
        })
        .collect();
    for p in people {
        let is_engaged = elapsed(p).is_some();
        for role in roles_of(p.title.as_deref(), p.department.as_deref()) {
            if let Some(c) = coverage.iter_mut().find(|c| c.role == role) {
                let list = if is_engaged { &mut c.engaged } else { &mut c.known };
                list.push(p.lead_id.clone());
            }
        }
    }
    for c in &mut coverage {
        c.engaged.sort();
        c.engaged.dedup();
        c.known.sort();
        c.known.dedup();
        let engaged = &c.engaged;
        c.known.retain(|id| engaged.binary_search(id).is_err());
    }
    let per_role = policy.coverage_points_per_role.max(0);
    let mut raw_coverage = 0;
    for c in coverage.iter().filter(|c| !c.engaged.is_empty()) {
        raw_coverage += per_role;
        let detail = format!("{} engaged ({})", c.role.label(), abbreviate(&c.engaged, ", "));
        reasons.push(reason("coverage", per_role, detail));
    }
    let coverage_points = capped(&mut reasons, "coverage", raw_coverage, policy.coverage_cap);

    // Missing seats.
    let mut required = policy.committee_roles_required.clone();
    required.sort();
    required.dedup();
    let missing = required
        .iter()
        .filter_map(|role| {
            let c = coverage.iter().find(|c| c.role == *role)?;
            if !c.engaged.is_empty() {
                return None;
            }
            let who = if role.is_function() { format!("no one from {}", role.label()) } else { format!("no {}", role.label()) };
            Some(if c.known.is_empty() { format!("{who} known") } else { format!("{who} engaged ({} known)", abbreviate(&c.known, ", ")) })
        })
        .collect();

    let total = fit + engagement + recency + coverage_points;
    debug_assert_eq!(total, reasons.iter().map(|r| r.points).sum::<i32>());
    AccountScore {
        account_id: info.account_id.clone(),
        name: info.name.clone(),
        tier: info.tier.clone(),
        abm: info.tier.as_deref().is_some_and(|t| t.trim().eq_ignore_ascii_case("abm")),
        owner: info.owner.clone(),
        as_of,
        engaged_within_days: window_days,
        total,
        fit,
        engagement,
        recency,
        coverage_points,
        people: people.len(),
        engaged_people: engaged.len(),
        quality_people: people.iter().filter(|p| p.quality).count(),
        reasons,
        coverage,
        missing,
    }
}

fn reason(rule: &str, points: i32, detail: String) -> AccountReason {
    AccountReason { rule: rule.to_owned(), points, detail }
}

/// Applies a cap: returns the capped points and adds a `cap` reason when points were cut.
fn capped(reasons: &mut Vec<AccountReason>, part: &str, raw: i32, cap: i32) -> i32 {
    let cap = cap.max(0);
    if raw <= cap {
        return raw;
    }
    let detail = format!("{part} capped at {cap} ({raw} before the cap)");
    reasons.push(reason("cap", cap - raw, detail));
    cap
}

/// "; account: Software, 450 employees, US", or nothing when the account has no
/// firmographics.
fn firmographics(info: &AccountInfo) -> String {
    let mut parts = Vec::new();
    if let Some(i) = info.industry.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        parts.push(i.to_owned());
    }
    if let Some(e) = info.employees {
        parts.push(format!("{e} employees"));
    }
    if let Some(c) = info.country.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        parts.push(c.to_owned());
    }
    if parts.is_empty() { String::new() } else { format!("; account: {}", parts.join(", ")) }
}

/// "3 hours ago", "1 day ago", "12 days ago": whole hours under a day, whole days after.
fn ago(seconds: i64) -> String {
    match (seconds / DAY, seconds / 3600) {
        (0, 0) => "less than an hour ago".into(),
        (0, 1) => "1 hour ago".into(),
        (0, h) => format!("{h} hours ago"),
        (1, _) => "1 day ago".into(),
        (d, _) => format!("{d} days ago"),
    }
}

/// A number with at most `decimals` decimals and no trailing zeros: 10, 2.5, 0.13.
fn fmt_num(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_owned() }
}

/// The first ten items joined, then "and N more".
fn abbreviate(items: &[String], sep: &str) -> String {
    const SHOWN: usize = 10;
    if items.len() <= SHOWN {
        return items.join(sep);
    }
    let head = items.get(..SHOWN).unwrap_or(items).join(sep);
    format!("{head} and {} more", items.len() - SHOWN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    const AS_OF: &str = "2026-06-30T12:00:00Z";

    fn person(id: &str, title: &str, fit: i32, intent: i32, last: Option<&str>) -> Person {
        Person {
            lead_id: id.into(),
            title: Some(title.into()),
            fit,
            intent,
            total: fit + intent,
            last_engaged: last.map(at),
            engaged_events: u32::from(last.is_some()) * 2,
            ..Default::default()
        }
    }

    fn info() -> AccountInfo {
        AccountInfo { account_id: "A1".into(), ..Default::default() }
    }

    fn check_sum(s: &AccountScore) {
        assert_eq!(s.total, s.reasons.iter().map(|r| r.points).sum::<i32>(), "{s:#?}");
        assert_eq!(s.total, s.fit + s.engagement + s.recency + s.coverage_points);
    }

    #[test]
    fn empty_account() {
        let s = score_account(&info(), &[], at(AS_OF), &AccountPolicy::default());
        check_sum(&s);
        assert_eq!(s.total, 0);
        assert_eq!(s.reasons.len(), 3);
        assert_eq!(s.reasons[0].detail, "no people known");
        assert_eq!(
            s.missing,
            vec![
                "no decision maker known",
                "no champion known",
                "no one from finance known",
                "no one from security known",
                "no one from IT known",
            ]
        );
        assert_eq!(s.coverage.len(), 7);
        assert!(!s.abm);
    }

    #[test]
    fn diminishing_engagement() {
        let people = [
            person("L3", "Analyst", 10, 20, Some("2026-06-20T00:00:00Z")),
            person("L1", "VP Sales", 30, 40, Some("2026-06-29T00:00:00Z")),
            person("L2", "Manager", 20, 30, Some("2026-06-01T00:00:00Z")),
        ];
        let s = score_account(&info(), &people, at(AS_OF), &AccountPolicy::default());
        check_sum(&s);
        // 40 + 30*0.5 + 20*0.25 = 60
        assert_eq!(s.engagement, 60);
        assert_eq!(
            s.reasons[1].detail,
            "3 people engaged (6 events) in the last 90 days: 40 + 15 + 5 intent with \
             diminishing returns (x0.5 per extra person; L1 40, L2 30, L3 20)"
        );
        assert_eq!(s.fit, 30);
        assert_eq!(s.reasons[0].detail, "best fit 30 (lead L1)");
        assert_eq!(s.recency, 20);
        assert_eq!(s.reasons[2].detail, "engaged 1 day ago (L1, within 7 days)");
        assert_eq!(s.engaged_people, 3);
    }

    #[test]
    fn caps_add_reasons() {
        let people = [
            person("L1", "CFO", 55, 40, Some("2026-06-30T11:00:00Z")),
            person("L2", "CISO", 10, 40, Some("2026-06-30T11:00:00Z")),
            person("L3", "Head of IT", 10, 40, Some("2026-06-30T11:00:00Z")),
            person("L4", "Sales Manager", 10, 40, Some("2026-06-30T11:00:00Z")),
            person("L5", "Analyst", 10, 0, Some("2026-06-30T11:00:00Z")),
        ];
        let s = score_account(&info(), &people, at(AS_OF), &AccountPolicy::default());
        check_sum(&s);
        assert_eq!(s.fit, 50);
        assert_eq!(s.engagement, 60);
        assert_eq!(s.coverage_points, 20);
        let caps: Vec<_> = s.reasons.iter().filter(|r| r.rule == "cap").collect();
        assert_eq!(caps.len(), 3, "{caps:?}");
        assert_eq!(caps[0].detail, "fit capped at 50 (55 before the cap)");
        assert_eq!(caps[0].points, -5);
        assert_eq!(caps[1].detail, "engagement capped at 60 (75 before the cap)");
        // decision maker, champion, influencer, end user, finance, security, IT = 35
        assert_eq!(caps[2].detail, "coverage capped at 20 (35 before the cap)");
        let recency = s.reasons.iter().find(|r| r.rule == "recency").unwrap();
        assert_eq!(recency.detail, "engaged 1 hour ago (L1, within 7 days)");
        assert!(s.missing.is_empty(), "{:?}", s.missing);
        assert_eq!(s.total, 50 + 60 + 20 + 20);
    }

    #[test]
    fn window_and_future() {
        let people = [
            person("L1", "CFO", 40, 30, Some("2026-03-01T00:00:00Z")),     // 121 days: outside
            person("L2", "Analyst", 10, 25, Some("2026-07-02T00:00:00Z")), // after as-of
            person("L3", "Analyst", 10, 10, Some("2026-04-15T00:00:00Z")), // 76 days
        ];
        let s = score_account(&info(), &people, at(AS_OF), &AccountPolicy::default());
        check_sum(&s);
        assert_eq!(s.engaged_people, 1);
        assert_eq!(s.engagement, 10);
        assert_eq!(s.recency, 5);
        assert_eq!(s.fit, 40, "people outside the window still count for fit");
        let finance = s.coverage.iter().find(|c| c.role == CommitteeRole::Finance).unwrap();
        assert_eq!(finance.known, vec!["L1"]);
        assert!(finance.engaged.is_empty());
        assert!(s.missing.contains(&"no one from finance engaged (L1 known)".to_string()));
        assert!(s.missing.contains(&"no decision maker engaged (L1 known)".to_string()));
    }

    #[test]
    fn window_edges() {
        let policy = AccountPolicy::default();
        let exactly = person("L1", "Analyst", 0, 10, Some("2026-04-01T12:00:00Z")); // 90 days
        let s = score_account(&info(), &[exactly], at(AS_OF), &policy);
        assert_eq!(s.engaged_people, 1);
        assert_eq!(s.recency, 5);
        let just_out = person("L1", "Analyst", 0, 10, Some("2026-04-01T11:59:59Z"));
        let s = score_account(&info(), &[just_out], at(AS_OF), &policy);
        assert_eq!(s.engaged_people, 0);
        let seven = person("L1", "Analyst", 0, 10, Some("2026-06-23T12:00:00Z"));
        let s = score_account(&info(), &[seven], at(AS_OF), &policy);
        assert_eq!((s.recency, s.reasons[2].detail.as_str()), (20, "engaged 7 days ago (L1, within 7 days)"));
    }

    #[test]
    fn abm_tier_and_firmographics() {
        let info = AccountInfo {
            account_id: "A9".into(),
            name: Some("Acme".into()),
            tier: Some(" ABM ".into()),
            owner: Some("rep-1".into()),
            industry: Some("Software".into()),
            employees: Some(450),
            country: Some("US".into()),
        };
        let s = score_account(&info, &[person("L1", "CEO", 40, 0, None)], at(AS_OF), &AccountPolicy::default());
        assert!(s.abm);
        assert_eq!(s.reasons[0].detail, "best fit 40 (lead L1); account: Software, 450 employees, US");
        assert_eq!(s.reasons[1].detail, "no one engaged in the last 90 days");
        let other = AccountInfo { tier: Some("tier1".into()), ..info };
        assert!(!score_account(&other, &[], at(AS_OF), &AccountPolicy::default()).abm);
    }

    #[test]
    fn fit_ties_go_to_smallest_id() {
        let people = [person("L9", "CEO", 30, 0, None), person("L2", "CTO", 30, 0, None)];
        let s = score_account(&info(), &people, at(AS_OF), &AccountPolicy::default());
        assert_eq!(s.reasons[0].detail, "best fit 30 (lead L2)");
    }

    #[test]
    fn policy_defaults_and_serde() {
        let p = AccountPolicy::default();
        assert!(p.problems().is_empty());
        let json = serde_json::to_string(&p).unwrap();
        let back: AccountPolicy = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
        let partial: AccountPolicy = serde_json::from_str(r#"{"diminishing": 0.25, "committee_roles_required": ["finance"]}"#).unwrap();
        assert_eq!(partial.diminishing, 0.25);
        assert_eq!(partial.committee_roles_required, vec![CommitteeRole::Finance]);
        assert_eq!(partial.engagement_cap, 60);
        assert!(serde_json::from_str::<AccountPolicy>(r#"{"bogus": 1}"#).is_err());
        let bad = AccountPolicy { diminishing: 1.5, fit_cap: -1, ..Default::default() };
        assert_eq!(bad.problems().len(), 2);
    }

    #[test]
    fn custom_policy_is_clamped() {
        let policy = AccountPolicy { diminishing: 7.0, engagement_cap: -3, ..Default::default() };
        let people =
            [person("L1", "Analyst", 0, 10, Some("2026-06-29T00:00:00Z")), person("L2", "Analyst", 0, 10, Some("2026-06-29T00:00:00Z"))];
        let s = score_account(&info(), &people, at(AS_OF), &policy);
        check_sum(&s);
        assert_eq!(s.engagement, 0);
        assert!(s.reasons.iter().any(|r| r.detail == "engagement capped at 0 (20 before the cap)"));
    }

    #[test]
    fn serialises() {
        let s = score_account(&info(), &[person("L1", "CFO", 40, 10, Some("2026-06-29T00:00:00Z"))], at(AS_OF), &AccountPolicy::default());
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["coverage"][4]["role"], "finance");
        assert_eq!(v["coverage"][4]["engaged"][0], "L1");
        assert_eq!(v["as_of"], "2026-06-30T12:00:00Z");
    }

    #[test]
    fn number_format() {
        assert_eq!(fmt_num(10.0, 2), "10");
        assert_eq!(fmt_num(2.5, 2), "2.5");
        assert_eq!(fmt_num(0.126, 2), "0.13");
        assert_eq!(fmt_num(0.125, 4), "0.125");
        assert_eq!(fmt_num(0.0, 2), "0");
        assert_eq!(ago(59), "less than an hour ago");
        assert_eq!(ago(3 * 3600 + 5), "3 hours ago");
        assert_eq!(ago(DAY + 5), "1 day ago");
        assert_eq!(ago(12 * DAY), "12 days ago");
        let items: Vec<String> = (0..12).map(|i| format!("L{i}")).collect();
        assert_eq!(abbreviate(&items, ","), "L0,L1,L2,L3,L4,L5,L6,L7,L8,L9 and 2 more");
    }
}
