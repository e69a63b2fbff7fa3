//! Routing one lead: rules in order, first match wins, weighted round-robin inside a team,
//! and a record of every rep or team passed over and why.
//!
//! A rule *matches* when all its conditions hold. A matching rule *assigns* when its target
//! resolves to an available rep (or is a queue); otherwise routing falls through to the
//! next rule, and the reasons land in [`Assignment::skipped`]. When no rule assigns, the
//! lead goes to the model's fallback queue under the rule id `"fallback"`.
//!
//! A rep is *available* when not in `exclude`, not away at `now` ([`Rep::is_away`]) and
//! holding fewer open leads than their capacity. The same test applies to account owners
//! and to `to = { rep = ... }` targets.

use crate::model::{Placeholder, RoutingModel, Rule, Segment, Target, TemplatePart};
use crate::team::{Rep, Team};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

/// What the router knows about a lead.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RouteInput {
    /// The lead id (for the record only).
    pub lead_id: String,
    /// Country, ISO alpha-2 (any case; names are also understood); gives the region.
    pub country: Option<String>,
    /// Company size; gives the segment.
    pub employees: Option<i64>,
    /// Industry (compared case-insensitively).
    pub industry: Option<String>,
    /// Score grade, e.g. `"A"`.
    pub grade: Option<String>,
    /// Lifecycle stage, e.g. `"mql"`.
    pub stage: Option<String>,
    /// The matched account, if any.
    pub account_id: Option<String>,
    /// The account owner's rep id, if any.
    pub account_owner: Option<String>,
    /// The account tier, e.g. `"abm"`.
    pub account_tier: Option<String>,
    /// Whether the lead is a quality lead.
    pub quality: bool,
}

/// Why a rep or team was passed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SkipReason {
    /// The rep is away at `now`.
    #[serde(rename = "away")]
    Away,
    /// The rep holds as many open leads as their capacity.
    #[serde(rename = "at capacity")]
    AtCapacity,
    /// The rep was excluded by the caller (e.g. after an SLA breach).
    #[serde(rename = "excluded")]
    Excluded,
    /// The rule names a team that does not exist.
    #[serde(rename = "no such team")]
    NoSuchTeam,
    /// The rule (or the account owner) names a rep that does not exist.
    #[serde(rename = "no such rep")]
    NoSuchRep,
    /// The team exists but none of its reps is available (or it has none).
    #[serde(rename = "no available rep")]
    NoAvailableRep,
    /// The target is the account owner but the lead's account has none.
    #[serde(rename = "no account owner")]
    NoAccountOwner,
    /// A team template needs the region but the country is unknown.
    #[serde(rename = "unknown region")]
    UnknownRegion,
    /// A team template needs the segment but the company size is unknown.
    #[serde(rename = "unknown segment")]
    UnknownSegment,
    /// A team template needs the country but it is unknown.
    #[serde(rename = "unknown country")]
    UnknownCountry,
    /// A team template needs the account tier but there is none.
    #[serde(rename = "unknown tier")]
    UnknownTier,
    /// A team template needs the industry but there is none.
    #[serde(rename = "unknown industry")]
    UnknownIndustry,
}

impl SkipReason {
    /// The reason in words, as serialised: `"away"`, `"at capacity"`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Away => "away",
            SkipReason::AtCapacity => "at capacity",
            SkipReason::Excluded => "excluded",
            SkipReason::NoSuchTeam => "no such team",
            SkipReason::NoSuchRep => "no such rep",
            SkipReason::NoAvailableRep => "no available rep",
            SkipReason::NoAccountOwner => "no account owner",
            SkipReason::UnknownRegion => "unknown region",
            SkipReason::UnknownSegment => "unknown segment",
            SkipReason::UnknownCountry => "unknown country",
            SkipReason::UnknownTier => "unknown tier",
            SkipReason::UnknownIndustry => "unknown industry",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rep or team passed over while routing, under which rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skip {
    /// The rule being tried.
    pub rule: String,
    /// The rep id or team id (or the template's text for unresolved templates).
    pub rep_or_team: String,
    /// Why.
    pub reason: SkipReason,
}

/// The routing decision for one lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The lead id from the input.
    pub lead_id: String,
    /// The id of the rule that assigned the lead, or `"fallback"`.
    pub rule: String,
    /// The team of the chosen rep, if a rep was chosen.
    pub team: Option<String>,
    /// The chosen rep.
    pub rep: Option<String>,
    /// The queue, when the lead went to a queue instead of a rep.
    pub queue: Option<String>,
    /// The decision in words, e.g. `territory: EMEA enterprise -> team emea-enterprise,
    /// round-robin picked rep r7 (3 of 10 open)` (open leads before this one).
    pub detail: String,
    /// Everything passed over on the way, in order.
    pub skipped: Vec<Skip>,
}

/// A rep's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RepCounters {
    /// Leads currently open with the rep (compared with capacity).
    pub open: u32,
    /// Leads ever assigned (drives the round-robin).
    pub assigned: u64,
    /// Quality leads ever assigned.
    pub quality_assigned: u64,
}

/// Per-rep counters that routing reads and the caller updates after each decision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoutingState {
    /// Counters by rep id; absent reps have zero counters.
    pub reps: BTreeMap<String, RepCounters>,
}

impl RoutingState {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// The counters of a rep (zero when unknown).
    pub fn counters(&self, rep: &str) -> RepCounters {
        self.reps.get(rep).copied().unwrap_or_default()
    }

    /// Counts an assignment: one more open and assigned lead (and quality lead when
    /// `quality`) for its rep; queue assignments change nothing.
    pub fn record(&mut self, assignment: &Assignment, quality: bool) {
        if let Some(rep) = &assignment.rep {
            let c = self.reps.entry(rep.clone()).or_default();
            c.open = c.open.saturating_add(1);
            c.assigned = c.assigned.saturating_add(1);
            if quality {
                c.quality_assigned = c.quality_assigned.saturating_add(1);
            }
        }
    }

    /// One of the rep's leads is no longer open (worked, closed or re-routed).
    pub fn release(&mut self, rep: &str) {
        if let Some(c) = self.reps.get_mut(rep) {
            c.open = c.open.saturating_sub(1);
        }
    }

    /// Sets a rep's open count (e.g. recounted from the store).
    pub fn set_open(&mut self, rep: &str, open: u32) {
        self.reps.entry(rep.to_string()).or_default().open = open;
    }
}

/// The lead's values, normalised once per decision.
struct View {
    region: Option<&'static str>,
    segment: Option<Segment>,
    country: Option<&'static str>,
    industry: Option<String>,
    grade: Option<String>,
    stage: Option<String>,
    tier: Option<String>,
}

fn lower(s: &Option<String>) -> Option<String> {
    s.as_deref().map(|v| v.trim().to_lowercase()).filter(|v| !v.is_empty())
}

fn in_list(list: &Option<Vec<String>>, value: Option<&str>) -> bool {
    match list {
        None => true,
        Some(l) => value.is_some_and(|v| l.iter().any(|x| x == v)),
    }
}

struct Router<'a> {
    model: &'a RoutingModel,
    teams: &'a [Team],
    reps: &'a [Rep],
    state: &'a RoutingState,
    now: Timestamp,
    exclude: &'a [&'a str],
    skipped: Vec<Skip>,
    /// The account owner's availability, computed once: `Ok(rep)` or the reason.
    owner: Option<Result<&'a Rep, SkipReason>>,
}

impl<'a> Router<'a> {
    fn skip(&mut self, rule: &str, who: &str, reason: SkipReason) {
        self.skipped.push(Skip { rule: rule.to_string(), rep_or_team: who.to_string(), reason });
    }

    fn availability(&self, rep: &Rep) -> Result<(), SkipReason> {
        if self.exclude.contains(&rep.id.as_str()) {
            Err(SkipReason::Excluded)
        } else if rep.is_away(self.now) {
            Err(SkipReason::Away)
        } else if self.state.counters(&rep.id).open >= rep.capacity {
            Err(SkipReason::AtCapacity)
        } else {
            Ok(())
        }
    }

    /// The available account owner; the first time a named owner is unavailable, records
    /// why under `rule`.
    fn owner(&mut self, input: &RouteInput, rule: &str) -> Option<&'a Rep> {
        if self.owner.is_none() {
            let owner = input.account_owner.as_deref().map(str::trim).filter(|s| !s.is_empty());
            let result = match owner {
                None => Err(SkipReason::NoAccountOwner),
                Some(id) => match self.reps.iter().find(|r| r.id == id) {
                    None => Err(SkipReason::NoSuchRep),
                    Some(rep) => self.availability(rep).map(|()| rep),
                },
            };
            // A lead without an owner is not "passed over"; an unavailable owner is.
            if let (Err(reason), Some(who)) = (result, owner) {
                self.skip(rule, who, reason);
            }
            self.owner = Some(result);
        }
        self.owner.and_then(Result::ok)
    }

    fn matches(&mut self, rule: &Rule, input: &RouteInput, v: &View) -> bool {
        let w = &rule.when;
        if let Some(q) = w.quality
            && q != input.quality
        {
            return false;
        }
        let simple = in_list(&w.account_tier, v.tier.as_deref())
            && in_list(&w.region, v.region)
            && w.segment.as_ref().is_none_or(|l| v.segment.is_some_and(|s| l.contains(&s)))
            && in_list(&w.country, v.country)
            && in_list(&w.industry, v.industry.as_deref())
            && in_list(&w.grade, v.grade.as_deref())
            && in_list(&w.stage, v.stage.as_deref());
        if !simple {
            return false;
        }
        match w.account_owner {
            None => true,
            Some(want) => self.owner(input, &rule.id).is_some() == want,
        }
    }

    /// Weighted round-robin among the team's available reps; records the others.
    fn pick(&mut self, rule: &str, team: &str) -> Option<&'a Rep> {
        let mut best: Option<&'a Rep> = None;
        for rep in self.reps.iter().filter(|r| r.team == team) {
            if let Err(reason) = self.availability(rep) {
                self.skip(rule, &rep.id, reason);
                continue;
            }
            best = match best {
                None => Some(rep),
                Some(b) if self.better(rep, b) => Some(rep),
                keep => keep,
            };
        }
        if best.is_none() {
            self.skip(rule, team, SkipReason::NoAvailableRep);
        }
        best
    }

    /// Whether `a` comes before `b`: smaller assigned/weight, then fewer open, then id.
    fn better(&self, a: &Rep, b: &Rep) -> bool {
        let ca = self.state.counters(&a.id);
        let cb = self.state.counters(&b.id);
        let wa = u128::from(a.effective_weight().max(1));
        let wb = u128::from(b.effective_weight().max(1));
        let ra = u128::from(ca.assigned) * wb;
        let rb = u128::from(cb.assigned) * wa;
        ra.cmp(&rb).then(ca.open.cmp(&cb.open)).then_with(|| a.id.cmp(&b.id)) == Ordering::Less
    }

    fn rep_note(&self, rep: &Rep) -> String {
        format!("({} of {} open)", self.state.counters(&rep.id).open, rep.capacity)
    }

    fn expand(&mut self, rule: &str, parts: &[TemplatePart], v: &View) -> Result<(String, String), ()> {
        let mut team = String::new();
        let mut context = Vec::new();
        let mut missing = None;
        for p in parts {
            match p {
                TemplatePart::Literal(s) => team.push_str(s),
                TemplatePart::Field(f) => {
                    let (value, shown, reason) = match f {
                        Placeholder::Region => {
                            (v.region.map(str::to_ascii_lowercase), v.region.map(str::to_string), SkipReason::UnknownRegion)
                        }
                        Placeholder::Segment => (
                            v.segment.map(|s| s.as_str().to_string()),
                            v.segment.map(|s| s.as_str().to_string()),
                            SkipReason::UnknownSegment,
                        ),
                        Placeholder::Country => {
                            (v.country.map(str::to_ascii_lowercase), v.country.map(str::to_string), SkipReason::UnknownCountry)
                        }
                        Placeholder::Tier => (v.tier.clone(), v.tier.clone(), SkipReason::UnknownTier),
                        Placeholder::Industry => {
                            (v.industry.as_ref().map(|s| s.replace(' ', "-")), v.industry.clone(), SkipReason::UnknownIndustry)
                        }
                    };
                    match (value, shown) {
                        (Some(val), Some(sh)) => {
                            team.push_str(&val);
                            context.push(sh);
                        }
                        _ => {
                            missing.get_or_insert(reason);
                        }
                    }
                }
            }
        }
        if let Some(reason) = missing {
            let text: String = parts
                .iter()
                .map(|p| match p {
                    TemplatePart::Literal(s) => s.clone(),
                    TemplatePart::Field(f) => format!("{{{}}}", placeholder_name(*f)),
                })
                .collect();
            self.skip(rule, &text, reason);
            return Err(());
        }
        Ok((team, context.join(" ")))
    }

    /// Tries one matching rule; `Some` when it assigns.
    fn apply(&mut self, rule: &Rule, input: &RouteInput, v: &View) -> Option<Assignment> {
        let id = rule.id.as_str();
        let done = |team: Option<String>, rep: Option<String>, queue: Option<String>, detail: String| Assignment {
            lead_id: input.lead_id.clone(),
            rule: id.to_string(),
            team,
            rep,
            queue,
            detail,
            skipped: Vec::new(),
        };
        match &rule.to {
            Target::AccountOwner => {
                let Some(rep) = self.owner(input, id) else {
                    if self.owner == Some(Err(SkipReason::NoAccountOwner)) {
                        self.skip(id, "(none)", SkipReason::NoAccountOwner);
                    }
                    return None;
                };
                let account = input.account_id.as_deref().unwrap_or("?");
                let detail = format!("{id}: account {account} owned by {} -> rep {} {}", rep.id, rep.id, self.rep_note(rep));
                Some(done(Some(rep.team.clone()), Some(rep.id.clone()), None, detail))
            }
            Target::Rep(rep_id) => {
                let Some(rep) = self.reps.iter().find(|r| &r.id == rep_id) else {
                    self.skip(id, rep_id, SkipReason::NoSuchRep);
                    return None;
                };
                if let Err(reason) = self.availability(rep) {
                    self.skip(id, rep_id, reason);
                    return None;
                }
                let detail = format!("{id} -> rep {} {}", rep.id, self.rep_note(rep));
                Some(done(Some(rep.team.clone()), Some(rep.id.clone()), None, detail))
            }
            Target::Queue(q) => Some(done(None, None, Some(q.clone()), format!("{id} -> queue {q}"))),
            Target::Team(team) => self.assign_team(id, team, String::new(), input),
            Target::TeamTemplate(parts) => {
                let (team, context) = self.expand(id, parts, v).ok()?;
                self.assign_team(id, &team, context, input)
            }
        }
    }

    fn assign_team(&mut self, rule: &str, team: &str, context: String, input: &RouteInput) -> Option<Assignment> {
        if !self.teams.iter().any(|t| t.id == team) {
            self.skip(rule, team, SkipReason::NoSuchTeam);
            return None;
        }
        let rep = self.pick(rule, team)?;
        let head = if context.is_empty() { rule.to_string() } else { format!("{rule}: {context}") };
        let detail = format!("{head} -> team {team}, round-robin picked rep {} {}", rep.id, self.rep_note(rep));
        Some(Assignment {
            lead_id: input.lead_id.clone(),
            rule: rule.to_string(),
            team: Some(team.to_string()),
            rep: Some(rep.id.clone()),
            queue: None,
            detail,
            skipped: Vec::new(),
        })
    }
}

fn placeholder_name(p: Placeholder) -> &'static str {
    match p {
        Placeholder::Region => "region",
        Placeholder::Segment => "segment",
        Placeholder::Country => "country",
        Placeholder::Tier => "tier",
        Placeholder::Industry => "industry",
    }
}

impl RoutingModel {
    /// Routes one lead: the first rule that matches *and* resolves to an available rep (or
    /// a queue) wins; otherwise the fallback queue. `exclude` lists rep ids not to pick
    /// (e.g. the rep whose SLA was breached). Deterministic for the same arguments.
    pub fn route(
        &self,
        input: &RouteInput,
        teams: &[Team],
        reps: &[Rep],
        state: &RoutingState,
        now: Timestamp,
        exclude: &[&str],
    ) -> Assignment {
        let country = input.country.as_deref().and_then(leadrank_facts::country::normalize);
        let view = View {
            region: country.and_then(leadrank_facts::country::region).map(|r| r.as_str()),
            segment: input.employees.and_then(|e| self.segments.of(e)),
            country,
            industry: lower(&input.industry),
            grade: lower(&input.grade),
            stage: lower(&input.stage),
            tier: lower(&input.account_tier),
        };
        let mut router = Router { model: self, teams, reps, state, now, exclude, skipped: Vec::new(), owner: None };
        for rule in &self.rules {
            if !router.matches(rule, input, &view) {
                continue;
            }
            if let Some(mut a) = router.apply(rule, input, &view) {
                a.skipped = router.skipped;
                return a;
            }
        }
        let queue = router.model.fallback_queue.clone();
        let detail = if router.skipped.is_empty() {
            format!("no rule assigned the lead -> fallback queue {queue}")
        } else {
            format!("no rule assigned the lead ({} skipped) -> fallback queue {queue}", router.skipped.len())
        };
        Assignment {
            lead_id: input.lead_id.clone(),
            rule: "fallback".to_string(),
            team: None,
            rep: None,
            queue: Some(queue),
            detail,
            skipped: router.skipped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> RoutingModel {
        RoutingModel::from_toml(
            r#"
[routing]
name = "t"
version = "1"
fallback_queue = "unassigned"

[[rules]]
id = "territory"
to = { team = "{region}-{segment}" }
"#,
            "t",
        )
        .unwrap()
    }

    #[test]
    fn round_robin_rotates() {
        let m = model();
        let teams = vec![Team::new("emea-smb")];
        let reps = vec![Rep::new("a", "emea-smb", 10), Rep::new("b", "emea-smb", 10)];
        let mut state = RoutingState::new();
        let now: Timestamp = "2026-03-02T10:00:00Z".parse().unwrap();
        let input = RouteInput { country: Some("de".into()), employees: Some(10), ..Default::default() };
        let mut picks = Vec::new();
        for _ in 0..4 {
            let a = m.route(&input, &teams, &reps, &state, now, &[]);
            state.record(&a, false);
            picks.push(a.rep.unwrap());
        }
        assert_eq!(picks, vec!["a", "b", "a", "b"]);
        state.release("a");
        assert_eq!(state.counters("a").open, 1);
        state.release("zzz");
    }

    #[test]
    fn skip_reason_serialises_as_words() {
        assert_eq!(serde_json::to_string(&SkipReason::AtCapacity).unwrap(), "\"at capacity\"");
    }
}
