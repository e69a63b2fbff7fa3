//! The routing file: its TOML format, checking with located errors, and the compiled
//! [`RoutingModel`].
//!
//! ```toml
//! [routing]
//! name = "default"
//! version = "1"
//! fallback_queue = "unassigned"
//!
//! [segments]
//! smb_below = 200          # SMB: employees < 200
//! enterprise_above = 2000  # enterprise: employees > 2000; mid-market in between
//!
//! [[rules]]
//! id = "territory"
//! when = { region = ["EMEA"] }
//! to = { team = "{region}-{segment}" }
//!
//! [[sla]]
//! id = "quality_lead"
//! stages = ["mql"]
//! milestones = [{ id = "first_touch", touches = 1, within_minutes = 5, reroute = true }]
//! ```
//!
//! Every problem is reported with line, column and key; unknown keys are errors.

use crate::sla::{Milestone, SlaPolicy, SlaWindow};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

/// Everything wrong with a routing file (at least one issue).
pub use leadrank_core::model::ModelError as RoutingError;
/// One problem in a routing file, located by line, column and key (the model file's type).
pub use leadrank_core::model::ModelIssue as RoutingIssue;
use leadrank_core::model::line_col;

// ---------------------------------------------------------------------------------------
// File format (serde)

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoutingFile {
    routing: Spanned<Header>,
    #[serde(default)]
    segments: Option<Spanned<SegmentsSpec>>,
    #[serde(default)]
    rules: Vec<Spanned<RuleSpec>>,
    #[serde(default)]
    sla: Vec<Spanned<SlaSpec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    name: String,
    version: String,
    fallback_queue: String,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentsSpec {
    #[serde(default = "default_smb_below")]
    smb_below: i64,
    #[serde(default = "default_enterprise_above")]
    enterprise_above: i64,
}

fn default_smb_below() -> i64 {
    200
}
fn default_enterprise_above() -> i64 {
    2000
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    when: Option<Spanned<WhenSpec>>,
    to: Spanned<toml::Value>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct WhenSpec {
    account_owner: Option<bool>,
    account_tier: Option<Spanned<Vec<String>>>,
    region: Option<Spanned<Vec<String>>>,
    segment: Option<Spanned<Vec<String>>>,
    country: Option<Spanned<Vec<String>>>,
    industry: Option<Spanned<Vec<String>>>,
    grade: Option<Spanned<Vec<String>>>,
    stage: Option<Spanned<Vec<String>>>,
    quality: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SlaSpec {
    id: String,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    stages: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    grades: Vec<String>,
    milestones: Spanned<Vec<Spanned<MilestoneSpec>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MilestoneSpec {
    id: String,
    touches: i64,
    #[serde(default)]
    within_minutes: Option<i64>,
    #[serde(default)]
    within_business_days: Option<i64>,
    #[serde(default)]
    reroute: bool,
}

// ---------------------------------------------------------------------------------------
// Compiled model

/// Company size segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segment {
    /// Fewer than `smb_below` employees (default 200).
    Smb,
    /// From `smb_below` to `enterprise_above` employees inclusive (default 200..=2000).
    MidMarket,
    /// More than `enterprise_above` employees (default 2000).
    Enterprise,
}

impl Segment {
    /// `"smb"`, `"mid-market"` or `"enterprise"`: the spelling in rules and team templates.
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Smb => "smb",
            Segment::MidMarket => "mid-market",
            Segment::Enterprise => "enterprise",
        }
    }

    /// Parses the rule spelling, case-insensitively; `mid_market` and `midmarket` also work.
    pub fn parse(s: &str) -> Option<Segment> {
        match s.trim().to_ascii_lowercase().as_str() {
            "smb" => Some(Segment::Smb),
            "mid-market" | "mid_market" | "midmarket" => Some(Segment::MidMarket),
            "enterprise" => Some(Segment::Enterprise),
            _ => None,
        }
    }
}

/// Segment thresholds from `[segments]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segments {
    /// Employees below this are SMB (default 200).
    pub smb_below: i64,
    /// Employees above this are enterprise (default 2000).
    pub enterprise_above: i64,
}

impl Default for Segments {
    fn default() -> Self {
        Segments { smb_below: default_smb_below(), enterprise_above: default_enterprise_above() }
    }
}

impl Segments {
    /// The segment of a company size; `None` for negative counts.
    pub fn of(&self, employees: i64) -> Option<Segment> {
        if employees < 0 {
            None
        } else if employees < self.smb_below {
            Some(Segment::Smb)
        } else if employees > self.enterprise_above {
            Some(Segment::Enterprise)
        } else {
            Some(Segment::MidMarket)
        }
    }
}

/// The conditions of a rule; all present ones must hold. Lists hold upper-case regions and
/// countries, lower-case everything else.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditions {
    /// `Some(true)`: the lead's account owner is a known, available rep; `Some(false)`: it
    /// is not.
    pub account_owner: Option<bool>,
    /// Account tiers (lower case).
    pub account_tier: Option<Vec<String>>,
    /// Regions `AMER`, `EMEA`, `APAC`.
    pub region: Option<Vec<String>>,
    /// Segments.
    pub segment: Option<Vec<Segment>>,
    /// ISO alpha-2 countries (upper case).
    pub country: Option<Vec<String>>,
    /// Industries (lower case).
    pub industry: Option<Vec<String>>,
    /// Grades (lower case).
    pub grade: Option<Vec<String>>,
    /// Lifecycle stages (lower case).
    pub stage: Option<Vec<String>>,
    /// Whether the lead is a quality lead.
    pub quality: Option<bool>,
}

/// A placeholder in a team template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// `{region}`: `amer`, `emea`, `apac`.
    Region,
    /// `{segment}`: `smb`, `mid-market`, `enterprise`.
    Segment,
    /// `{country}`: lower-case alpha-2.
    Country,
    /// `{tier}`: the account tier, lower case.
    Tier,
    /// `{industry}`: the industry, lower case, spaces as `-`.
    Industry,
}

/// A piece of a team template: literal text or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    /// Text copied as is.
    Literal(String),
    /// Text filled in from the lead (lower case).
    Field(Placeholder),
}

/// Where a matching rule sends a lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `to = "account_owner"`.
    AccountOwner,
    /// `to = { team = "abm" }` (no placeholders).
    Team(String),
    /// `to = { team = "{region}-{segment}" }`.
    TeamTemplate(Vec<TemplatePart>),
    /// `to = { rep = "id" }`.
    Rep(String),
    /// `to = { queue = "name" }`.
    Queue(String),
}

/// A compiled routing rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Unique id, recorded in assignments.
    pub id: String,
    /// Human label (defaults to the id).
    pub label: String,
    /// The conditions.
    pub when: Conditions,
    /// The target.
    pub to: Target,
}

/// A checked routing file, ready to route leads and select SLAs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingModel {
    /// `[routing] name`.
    pub name: String,
    /// `[routing] version`.
    pub version: String,
    /// `[routing] description`, if any.
    pub description: Option<String>,
    /// Where leads go when no rule assigns them.
    pub fallback_queue: String,
    /// Segment thresholds.
    pub segments: Segments,
    /// Rules in file order; first match wins.
    pub rules: Vec<Rule>,
    /// SLA policies in file order; first match wins.
    pub slas: Vec<SlaPolicy>,
}

/// The lifecycle stages, the only values `stage` lists may hold.
pub const STAGES: &[&str] = &["inquiry", "mql", "sal", "sql", "opportunity", "won", "lost", "pql", "nurture", "recycled", "disqualified"];

/// The built-in routing file (`models/routing.toml`).
pub const BUILTIN_ROUTING: &str = include_str!("../../../models/routing.toml");

/// The built-in routing model, compiled from `models/routing.toml` (tested to compile).
pub fn builtin_routing() -> RoutingModel {
    match RoutingModel::from_toml(BUILTIN_ROUTING, "<built-in routing>") {
        Ok(m) => m,
        // The built-in file is checked by the tests; this arm is a safe minimum.
        Err(_) => RoutingModel {
            name: "built-in".into(),
            version: "0".into(),
            description: None,
            fallback_queue: "unassigned".into(),
            segments: Segments::default(),
            rules: Vec::new(),
            slas: Vec::new(),
        },
    }
}

struct Checker<'a> {
    source: &'a str,
    issues: Vec<RoutingIssue>,
}

impl Checker<'_> {
    fn issue(&mut self, span: std::ops::Range<usize>, key: &str, message: impl Into<String>) {
        let (line, column) = line_col(self.source, span.start);
        self.issues.push(RoutingIssue { line, column, key: key.to_string(), message: message.into() });
    }

    /// A non-empty list, normalised by `norm`; `check` rejects bad values with a message.
    fn list<T>(
        &mut self,
        list: &Option<Spanned<Vec<String>>>,
        key: &str,
        mut norm: impl FnMut(&str) -> Result<T, String>,
    ) -> Option<Vec<T>> {
        let list = list.as_ref()?;
        let span = list.span();
        if list.get_ref().is_empty() {
            self.issue(span, key, "the list is empty, so the condition could never hold (leave the key out to mean any)");
            return None;
        }
        let mut out = Vec::new();
        for v in list.get_ref() {
            match norm(v) {
                Ok(x) => out.push(x),
                Err(m) => self.issue(span.clone(), key, m),
            }
        }
        Some(out)
    }

    fn conditions(&mut self, when: &WhenSpec, key: &str) -> Conditions {
        let lower = |s: &str| -> Result<String, String> {
            let t = s.trim().to_lowercase();
            if t.is_empty() { Err("empty value".to_string()) } else { Ok(t) }
        };
        Conditions {
            account_owner: when.account_owner,
            account_tier: self.list(&when.account_tier, &format!("{key}.account_tier"), lower),
            region: self.list(&when.region, &format!("{key}.region"), |s| {
                let u = s.trim().to_ascii_uppercase();
                if ["AMER", "EMEA", "APAC"].contains(&u.as_str()) {
                    Ok(u)
                } else {
                    Err(format!("unknown region {s:?} (AMER, EMEA or APAC)"))
                }
            }),
            segment: self.list(&when.segment, &format!("{key}.segment"), |s| {
                Segment::parse(s).ok_or_else(|| format!("unknown segment {s:?} (smb, mid-market or enterprise)"))
            }),
            country: self.list(&when.country, &format!("{key}.country"), |s| {
                let u = s.trim().to_ascii_uppercase();
                if u.len() == 2 && leadrank_facts::country::normalize(&u) == Some(u.as_str()) {
                    Ok(u)
                } else {
                    Err(format!("{s:?} is not an ISO 3166-1 alpha-2 country code"))
                }
            }),
            industry: self.list(&when.industry, &format!("{key}.industry"), lower),
            grade: self.list(&when.grade, &format!("{key}.grade"), lower),
            stage: self.list(&when.stage, &format!("{key}.stage"), stage_name),
            quality: when.quality,
        }
    }

    fn target(&mut self, to: &Spanned<toml::Value>, key: &str) -> Option<Target> {
        let span = to.span();
        match to.get_ref() {
            toml::Value::String(s) if s == "account_owner" => Some(Target::AccountOwner),
            toml::Value::String(s) => {
                self.issue(
                    span,
                    key,
                    format!("unknown target {s:?}: use \"account_owner\", {{ team = ... }}, {{ rep = ... }} or {{ queue = ... }}"),
                );
                None
            }
            toml::Value::Table(t) => {
                if t.len() != 1 {
                    self.issue(span, key, "the target must have exactly one of team, rep or queue");
                    return None;
                }
                let (k, v) = t.iter().next()?;
                let Some(name) = v.as_str().map(str::trim).filter(|s| !s.is_empty()) else {
                    self.issue(span, &format!("{key}.{k}"), "must be a non-empty string");
                    return None;
                };
                match k.as_str() {
                    "team" if name.contains(['{', '}']) => match parse_template(name) {
                        Ok(parts) => Some(Target::TeamTemplate(parts)),
                        Err(m) => {
                            self.issue(span, &format!("{key}.team"), m);
                            None
                        }
                    },
                    "team" => Some(Target::Team(name.to_string())),
                    "rep" => Some(Target::Rep(name.to_string())),
                    "queue" => Some(Target::Queue(name.to_string())),
                    other => {
                        self.issue(span, &format!("{key}.{other}"), format!("unknown target key {other:?} (team, rep or queue)"));
                        None
                    }
                }
            }
            _ => {
                self.issue(span, key, "the target must be \"account_owner\" or a table like { team = \"abm\" }");
                None
            }
        }
    }

    fn sla(&mut self, spec: &Spanned<SlaSpec>, index: usize) -> Option<SlaPolicy> {
        let s = spec.get_ref();
        let key = format!("sla[{index}] ({})", s.id);
        let mut ok = true;
        if s.id.trim().is_empty() {
            self.issue(spec.span(), &key, "id must not be empty");
            ok = false;
        }
        let mut stages = Vec::new();
        if let Some(list) = &s.stages {
            for st in list.get_ref() {
                match stage_name(st) {
                    Ok(v) => stages.push(v),
                    Err(m) => {
                        self.issue(list.span(), &format!("{key}.stages"), m);
                        ok = false;
                    }
                }
            }
        }
        let grades: Vec<String> = s.grades.iter().map(|g| g.trim().to_lowercase()).collect();
        if s.milestones.get_ref().is_empty() {
            self.issue(s.milestones.span(), &format!("{key}.milestones"), "at least one milestone is needed");
            ok = false;
        }
        let mut milestones = Vec::new();
        let mut ids = BTreeSet::new();
        for (j, m) in s.milestones.get_ref().iter().enumerate() {
            let span = m.span();
            let m = m.get_ref();
            let mkey = format!("{key}.milestones[{j}] ({})", m.id);
            if m.id.trim().is_empty() {
                self.issue(span.clone(), &mkey, "id must not be empty");
                ok = false;
            } else if !ids.insert(m.id.as_str()) {
                self.issue(span.clone(), &mkey, format!("duplicate milestone id {:?}", m.id));
                ok = false;
            }
            let touches = match u32::try_from(m.touches) {
                Ok(t) if t >= 1 => t,
                _ => {
                    self.issue(span.clone(), &format!("{mkey}.touches"), "must be at least 1");
                    ok = false;
                    1
                }
            };
            let window = match (m.within_minutes, m.within_business_days) {
                (Some(n), None) if n > 0 => SlaWindow::Minutes(n),
                (None, Some(n)) if n > 0 => SlaWindow::BusinessDays(n),
                (Some(_), None) | (None, Some(_)) => {
                    self.issue(span.clone(), &mkey, "the window must be positive");
                    ok = false;
                    continue;
                }
                _ => {
                    self.issue(span.clone(), &mkey, "give exactly one of within_minutes or within_business_days");
                    ok = false;
                    continue;
                }
            };
            milestones.push(Milestone { id: m.id.clone(), touches, window, reroute: m.reroute });
        }
        ok.then(|| SlaPolicy { id: s.id.clone(), label: s.label.clone().unwrap_or_else(|| s.id.clone()), stages, grades, milestones })
    }
}

fn stage_name(s: &str) -> Result<String, String> {
    let t = s.trim().to_ascii_lowercase();
    if STAGES.contains(&t.as_str()) { Ok(t) } else { Err(format!("unknown stage {s:?} (one of {})", STAGES.join(", "))) }
}

fn parse_template(s: &str) -> Result<Vec<TemplatePart>, String> {
    let mut parts = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            None => {
                parts.push(TemplatePart::Literal(rest.to_string()));
                break;
            }
            Some(i) => {
                if i > 0 {
                    parts.push(TemplatePart::Literal(rest.get(..i).unwrap_or_default().to_string()));
                }
                let tail = rest.get(i..).unwrap_or_default();
                if tail.starts_with('}') {
                    return Err(format!("unmatched '}}' in team template {s:?}"));
                }
                let Some(close) = tail.find('}') else {
                    return Err(format!("unclosed '{{' in team template {s:?}"));
                };
                let name = tail.get(1..close).unwrap_or_default();
                let field = match name {
                    "region" => Placeholder::Region,
                    "segment" => Placeholder::Segment,
                    "country" => Placeholder::Country,
                    "tier" => Placeholder::Tier,
                    "industry" => Placeholder::Industry,
                    other => {
                        return Err(format!("unknown placeholder {{{other}}} in team template (region, segment, country, tier, industry)"));
                    }
                };
                parts.push(TemplatePart::Field(field));
                rest = tail.get(close + 1..).unwrap_or_default();
            }
        }
    }
    Ok(parts)
}

impl RoutingModel {
    /// Parses and checks a routing file. `origin` names the file in errors. All problems
    /// found are reported together, each with line, column and key.
    pub fn from_toml(source: &str, origin: &str) -> Result<RoutingModel, RoutingError> {
        let fail = |issues| RoutingError { origin: origin.to_string(), issues };
        let file: RoutingFile = toml::from_str(source).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(source, s.start));
            fail(vec![RoutingIssue { line, column, key: String::new(), message: e.message().trim().to_string() }])
        })?;
        let mut c = Checker { source, issues: Vec::new() };
        let header = file.routing.get_ref();
        let hspan = file.routing.span();
        if header.name.trim().is_empty() {
            c.issue(hspan.clone(), "routing.name", "must not be empty");
        }
        if header.version.trim().is_empty() {
            c.issue(hspan.clone(), "routing.version", "must not be empty");
        }
        if header.fallback_queue.trim().is_empty() {
            c.issue(hspan, "routing.fallback_queue", "must not be empty: every lead needs somewhere to go");
        }
        let segments = match &file.segments {
            None => Segments::default(),
            Some(s) => {
                let v = s.get_ref();
                if v.smb_below < 1 || v.enterprise_above < v.smb_below {
                    c.issue(
                        s.span(),
                        "segments",
                        format!("need 1 <= smb_below <= enterprise_above (got {} and {})", v.smb_below, v.enterprise_above),
                    );
                }
                Segments { smb_below: v.smb_below, enterprise_above: v.enterprise_above }
            }
        };
        let mut rules = Vec::new();
        let mut ids = BTreeMap::new();
        for (i, spanned) in file.rules.iter().enumerate() {
            let r = spanned.get_ref();
            let key = format!("rules[{i}] ({})", r.id);
            if r.id.trim().is_empty() || r.id == "fallback" {
                c.issue(spanned.span(), &key, "id must be non-empty and not \"fallback\" (reserved)");
            } else if let Some(first) = ids.insert(r.id.clone(), i) {
                c.issue(spanned.span(), &key, format!("duplicate rule id {:?} (first at rules[{first}])", r.id));
            }
            let when = match &r.when {
                Some(w) => c.conditions(w.get_ref(), &format!("{key}.when")),
                None => Conditions::default(),
            };
            if let Some(to) = c.target(&r.to, &format!("{key}.to")) {
                rules.push(Rule { id: r.id.clone(), label: r.label.clone().unwrap_or_else(|| r.id.clone()), when, to });
            }
        }
        let mut slas = Vec::new();
        let mut sla_ids = BTreeSet::new();
        for (i, s) in file.sla.iter().enumerate() {
            if !sla_ids.insert(s.get_ref().id.clone()) {
                c.issue(s.span(), &format!("sla[{i}] ({})", s.get_ref().id), "duplicate SLA id");
            }
            if let Some(p) = c.sla(s, i) {
                slas.push(p);
            }
        }
        if !c.issues.is_empty() {
            return Err(fail(c.issues));
        }
        Ok(RoutingModel {
            name: header.name.clone(),
            version: header.version.clone(),
            description: header.description.clone(),
            fallback_queue: header.fallback_queue.clone(),
            segments,
            rules,
            slas,
        })
    }

    /// The first SLA policy whose stages (empty = all) hold `stage` and whose grades
    /// (empty = all) hold `grade`, both compared case-insensitively.
    pub fn sla_for(&self, stage: &str, grade: &str) -> Option<&SlaPolicy> {
        self.slas.iter().find(|p| p.applies(stage, grade))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_compiles() {
        let m = RoutingModel::from_toml(BUILTIN_ROUTING, "<built-in routing>").unwrap();
        assert_eq!(m.fallback_queue, "unassigned");
        assert_eq!(m, builtin_routing());
        assert!(m.sla_for("mql", "A").is_some());
        assert!(m.sla_for("sal", "A").is_none());
    }

    #[test]
    fn segments_edges() {
        let s = Segments::default();
        assert_eq!(s.of(199), Some(Segment::Smb));
        assert_eq!(s.of(200), Some(Segment::MidMarket));
        assert_eq!(s.of(2000), Some(Segment::MidMarket));
        assert_eq!(s.of(2001), Some(Segment::Enterprise));
        assert_eq!(s.of(-1), None);
    }

    #[test]
    fn templates() {
        assert_eq!(
            parse_template("{region}-{segment}").unwrap(),
            vec![TemplatePart::Field(Placeholder::Region), TemplatePart::Literal("-".into()), TemplatePart::Field(Placeholder::Segment)]
        );
        assert!(parse_template("{regio}").is_err());
        assert!(parse_template("{region").is_err());
        assert!(parse_template("region}").is_err());
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("", 10), (1, 1));
    }
}
