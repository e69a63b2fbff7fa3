//! Checking a model file and compiling it into the form the engine evaluates.

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use toml::Spanned;

use super::format::{CHECKLISTS, ConditionSpec, LifecycleSpec, ListRef, ModelFile, Scalar};
use super::language::{self, Kind, Role};
use super::{ModelError, ModelIssue, line_col};
use crate::records::{ACCOUNT_FIELDS, FieldType, LEAD_FIELDS};

/// Seconds in a day; windows are whole days of 86,400 seconds.
pub const DAY: i64 = 86_400;
/// The most event conditions one model may hold (each gets one bit per event).
pub const MAX_EVENT_FILTERS: usize = 64;
/// The most `distinct = "property.<name>"` keys one model may use.
pub const MAX_DISTINCT_PROPERTIES: usize = 2;

/// Event types that are not engagement.
pub const NON_ENGAGEMENT: &[&str] = &["email_open", "email_bounce", "intent_surge", "sales_touch"];

/// A checked model, ready to score with.
#[derive(Debug, Clone)]
pub struct CompiledModel {
    pub name: String,
    pub version: String,
    pub description: Option<String>,
    /// The TOML text the model was compiled from.
    pub source: String,
    pub quality_threshold: i32,
    /// Grade bands, best first; the last has no minimum.
    pub grades: Vec<Band>,
    pub cell: Option<Cell>,
    pub dimensions: Vec<Dimension>,
    pub rules: Vec<Rule>,
    /// Declared custom fields and their types.
    pub custom_fields: Vec<(String, FieldType)>,
    pub(crate) event_filters: Vec<EventFilter>,
    pub(crate) distinct_properties: Vec<String>,
    /// Windows (in seconds) of the `account_engaged` conditions, deduplicated.
    pub(crate) account_windows: Vec<i64>,
    /// The hidden event filters behind the bot-risk facts, when the model uses one.
    pub(crate) risk: Option<RiskFilters>,
    /// Named conditions that drive the lifecycle (no points).
    pub signals: Vec<Signal>,
    /// Lifecycle settings, checked.
    pub lifecycle: LifecycleSpec,
}

/// A compiled signal: a named condition evaluated with every score.
#[derive(Debug, Clone)]
pub struct Signal {
    pub id: Arc<str>,
    pub label: String,
    pub(crate) when: Cond,
}

/// A labelled band with an optional inclusive minimum.
#[derive(Debug, Clone)]
pub struct Band {
    pub label: Arc<str>,
    pub min: Option<i32>,
}

/// The fit-by-intent cell: the row dimension's band label followed by the column's.
#[derive(Debug, Clone)]
pub struct Cell {
    pub rows: usize,
    pub row_bands: Vec<Band>,
    pub columns: usize,
    pub column_bands: Vec<Band>,
}

/// A dimension of the score.
#[derive(Debug, Clone)]
pub struct Dimension {
    pub id: Arc<str>,
    pub label: String,
    pub cap: Option<i32>,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: Arc<str>,
    pub label: String,
    pub description: Option<String>,
    /// Index into [`CompiledModel::dimensions`].
    pub dimension: usize,
    pub points: i32,
    pub(crate) when: Cond,
}

/// A compiled condition.
#[derive(Debug, Clone)]
pub(crate) enum Cond {
    Value { subject: Subject, op: Op },
    Events(EventCond),
    AccountEngaged { at_least: u32, window: usize, days: u32 },
    Any(Vec<Cond>),
    All(Vec<Cond>),
    Not(Box<Cond>),
}

/// What a value condition reads.
#[derive(Debug, Clone)]
pub(crate) enum Subject {
    Lead(LeadField),
    Custom(String, FieldType),
    Account(&'static str, FieldType),
    Fact(Fact),
}

impl Subject {
    pub(crate) fn name(&self) -> String {
        match self {
            Subject::Lead(f) => f.name().to_string(),
            Subject::Custom(n, _) => n.clone(),
            Subject::Account(n, _) => format!("account.{n}"),
            Subject::Fact(f) => f.name().to_string(),
        }
    }

    fn field_type(&self) -> FieldType {
        match self {
            Subject::Lead(f) => f.field_type(),
            Subject::Custom(_, t) | Subject::Account(_, t) => *t,
            Subject::Fact(f) => f.field_type(),
        }
    }
}

macro_rules! lead_fields {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// A built-in lead field.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum LeadField { $($variant),* }
        impl LeadField {
            pub(crate) fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(LeadField::$variant),)* _ => None }
            }
            pub(crate) fn name(self) -> &'static str {
                match self { $(LeadField::$variant => $name),* }
            }
            pub(crate) fn field_type(self) -> FieldType {
                let name = self.name();
                LEAD_FIELDS.iter().find(|(n, _)| *n == name).map_or(FieldType::Text, |(_, t)| *t)
            }
        }
    };
}

lead_fields! {
    LeadId => "lead_id", Email => "email", FirstName => "first_name", LastName => "last_name",
    Title => "title", Company => "company", Domain => "domain", AccountId => "account_id",
    Industry => "industry", Employees => "employees", AnnualRevenue => "annual_revenue",
    Country => "country", Phone => "phone", PhoneVerified => "phone_verified",
    Consent => "consent", ConsentAt => "consent_at", Source => "source",
    Campaign => "campaign", CreatedAt => "created_at", TechStack => "tech_stack",
    UseCase => "use_case", BudgetOwner => "budget_owner", TimelineDays => "timeline_days",
    ContractEnd => "contract_end", Honeypot => "honeypot",
}

/// A fact derived from a lead and its population.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fact {
    Seniority,
    EmailKind,
    EmailDomain,
    PhoneValid,
    Duplicate,
    GibberishName,
    AccountKey,
    Region,
    Segment,
    BotUserAgent,
    FormBurst,
    IpBurst,
    CountryPhoneMismatch,
    BotRisk,
}

impl Fact {
    /// Whether the fact is one of the bot-risk facts, which need hidden event filters.
    fn is_risk(self) -> bool {
        matches!(self, Fact::BotUserAgent | Fact::FormBurst | Fact::IpBurst | Fact::CountryPhoneMismatch | Fact::BotRisk)
    }
}

/// The event filters the bot-risk facts read (bits of [`ProjectedEvent::filters`](crate::engine::ProjectedEvent)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RiskFilters {
    /// Any event whose `user_agent` property names a bot.
    pub bot_agent: usize,
    /// `form_submit` events.
    pub form: usize,
    /// Sign-up events (their `ip` property is projected).
    pub signup: usize,
}

/// A compiled operator. Text values are lower-cased at compile time.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Equals(Scalar),
    In { values: Arc<[String]>, list: String },
    DomainIn { domains: Arc<[String]>, list: String },
    ContainsKeyword { phrases: super::phrases::Phrases, list: String },
    Range { min: Option<f64>, max: Option<f64> },
    Present(bool),
    Is(bool),
    WithinNextDays(u32),
    WithinLastDays(u32),
}

/// Which event types an event filter accepts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TypeMatch {
    Any,
    Engagement,
    Types(Vec<String>),
}

impl TypeMatch {
    pub(crate) fn matches(&self, event_type: &str) -> bool {
        match self {
            TypeMatch::Any => true,
            TypeMatch::Engagement => !NON_ENGAGEMENT.contains(&event_type),
            TypeMatch::Types(types) => types.iter().any(|t| t == event_type),
        }
    }
}

/// The per-event part of an event condition: evaluated once per event at projection time,
/// giving one bit of the event's filter mask.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EventFilter {
    pub types: TypeMatch,
    /// Normalised path prefixes; empty means any path.
    pub paths: Vec<String>,
    pub properties: Vec<(String, Scalar)>,
    /// Only events whose `user_agent` property names a bot (hidden filter of `bot_user_agent`).
    pub bot_agent: bool,
}

/// What a distinct count counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DistinctKey {
    Path,
    Property(usize),
}

/// A compiled event condition.
#[derive(Debug, Clone)]
pub(crate) struct EventCond {
    pub filter: usize,
    pub within_days: Option<u32>,
    pub at_least: u32,
    pub distinct: Option<DistinctKey>,
    pub burst: Option<(u32, u32)>,
    pub followed_by: Option<(usize, u32)>,
    /// What the condition asks, in words, for explanations.
    pub text: String,
}

/// Checks conditions and collects what the compiled model needs (event filters, distinct
/// properties, account windows) and every problem found.
pub(crate) struct Compiler<'a> {
    source: &'a str,
    lists: &'a BTreeMap<String, Vec<String>>,
    custom: &'a BTreeMap<String, FieldType>,
    issues: Vec<ModelIssue>,
    filters: Vec<EventFilter>,
    distinct_properties: Vec<String>,
    account_windows: Vec<i64>,
    risk: Option<RiskFilters>,
}

impl<'a> Compiler<'a> {
    /// Registers the hidden event filters of the bot-risk facts (once).
    fn risk_filters(&mut self, span: std::ops::Range<usize>, key: &str) -> Option<RiskFilters> {
        if let Some(r) = self.risk {
            return Some(r);
        }
        let plain = |types: TypeMatch| EventFilter { types, paths: Vec::new(), properties: Vec::new(), bot_agent: false };
        let bot_agent = self.filter(EventFilter { bot_agent: true, ..plain(TypeMatch::Any) }, span.clone(), key)?;
        let form = self.filter(plain(TypeMatch::Types(vec!["form_submit".into()])), span.clone(), key)?;
        let signups = crate::engine::risk::SIGNUP_TYPES.iter().map(|t| t.to_string()).collect();
        let signup = self.filter(plain(TypeMatch::Types(signups)), span, key)?;
        self.risk = Some(RiskFilters { bot_agent, form, signup });
        self.risk
    }

    fn issue(&mut self, span: std::ops::Range<usize>, key: &str, message: impl Into<String>) {
        let (line, column) = line_col(self.source, span.start);
        self.issues.push(ModelIssue { line, column, key: key.to_string(), message: message.into() });
    }

    fn resolve_list(&mut self, list: &ListRef, span: std::ops::Range<usize>, key: &str) -> Option<(Vec<String>, String)> {
        match list {
            ListRef::Inline(values) => {
                if values.is_empty() {
                    self.issue(span, key, "the list is empty, so the condition could never hold");
                    return None;
                }
                Some((values.clone(), format!("{values:?}")))
            }
            ListRef::Named(name) => match self.lists.get(name) {
                Some(values) if !values.is_empty() => Some((values.clone(), name.clone())),
                Some(_) => {
                    self.issue(span, key, format!("list '{name}' is empty"));
                    None
                }
                None => {
                    let known: Vec<&str> = self.lists.keys().map(String::as_str).collect();
                    self.issue(span, key, format!("unknown list '{name}'; lists defined in [lists]: {}", join_or_none(&known)));
                    None
                }
            },
        }
    }

    fn subject(&mut self, spec: &ConditionSpec, span: std::ops::Range<usize>, key: &str) -> Option<Subject> {
        if let Some(field) = &spec.field {
            if let Some(f) = LeadField::from_name(field) {
                return Some(Subject::Lead(f));
            }
            if let Some(t) = self.custom.get(field) {
                return Some(Subject::Custom(field.clone(), *t));
            }
            if let Some(name) = field.strip_prefix("account.") {
                if let Some((n, t)) = ACCOUNT_FIELDS.iter().find(|(n, _)| *n == name) {
                    return Some(Subject::Account(n, *t));
                }
                let known: Vec<&str> = ACCOUNT_FIELDS.iter().map(|(n, _)| *n).collect();
                let hint = match language::did_you_mean(name, known.iter().copied()) {
                    Some(close) => format!(" (did you mean 'account.{close}'?)"),
                    None => String::new(),
                };
                self.issue(
                    span,
                    &format!("{key}.field"),
                    format!("unknown account field '{name}'{hint}; valid: account.{}", known.join(", account.")),
                );
                return None;
            }
            let known: Vec<&str> = LEAD_FIELDS.iter().map(|(n, _)| *n).chain(self.custom.keys().map(String::as_str)).collect();
            let hint = match language::did_you_mean(field, known.iter().copied()) {
                Some(close) => format!(" (did you mean '{close}'?)"),
                None => String::new(),
            };
            let lead_fields: Vec<&str> = LEAD_FIELDS.iter().map(|(n, _)| *n).collect();
            self.issue(
                span,
                &format!("{key}.field"),
                format!(
                    "unknown field '{field}'{hint}; valid: {}, account.<field>, or a custom field declared in [custom_fields]",
                    lead_fields.join(", ")
                ),
            );
            return None;
        }
        if let Some(fact) = &spec.fact {
            if let Some(def) = language::fact(fact) {
                if def.fact.is_risk() {
                    self.risk_filters(span, &format!("{key}.fact"))?;
                }
                return Some(Subject::Fact(def.fact));
            }
            let known: Vec<&str> = language::FACTS.iter().map(|f| f.name).collect();
            let hint = match language::did_you_mean(fact, known.iter().copied()) {
                Some(close) => format!(" (did you mean '{close}'?)"),
                None => String::new(),
            };
            self.issue(span, &format!("{key}.fact"), format!("unknown fact '{fact}'{hint}; valid: {}", known.join(", ")));
        }
        None
    }

    fn condition(&mut self, spanned: &Spanned<ConditionSpec>, key: &str) -> Option<Cond> {
        let span = spanned.span();
        let spec = spanned.get_ref();
        let kinds: Vec<Kind> = language::kind_keys().filter(|(k, _)| k.is_set(spec)).map(|(_, kind)| kind).collect();
        let [kind] = kinds[..] else {
            let names: Vec<&str> = language::kind_keys().map(|(k, _)| k.name).collect();
            self.issue(span, key, format!("a condition needs exactly one of {} (found {})", names.join(", "), kinds.len()));
            return None;
        };
        match kind {
            Kind::Any | Kind::All => {
                let (which, children) = match (kind, &spec.any, &spec.all) {
                    (Kind::Any, Some(c), _) => ("any", c),
                    (_, _, Some(c)) => ("all", c),
                    _ => return None,
                };
                self.no_operators(spec, span.clone(), key, which);
                if children.is_empty() {
                    self.issue(span, key, format!("'{which}' needs at least one condition"));
                    return None;
                }
                let compiled: Vec<Option<Cond>> =
                    children.iter().enumerate().map(|(i, c)| self.condition(c, &format!("{key}.{which}[{i}]"))).collect();
                let compiled: Option<Vec<Cond>> = compiled.into_iter().collect();
                compiled.map(|c| if kind == Kind::Any { Cond::Any(c) } else { Cond::All(c) })
            }
            Kind::Not => {
                let inner = spec.not.as_ref()?;
                self.no_operators(spec, span, key, "not");
                self.condition(inner, &format!("{key}.not")).map(|c| Cond::Not(Box::new(c)))
            }
            Kind::AccountEngaged => {
                let acc = spec.account_engaged.as_ref()?;
                self.no_operators(spec, span.clone(), key, "account_engaged");
                if acc.at_least == 0 || acc.within_days == 0 {
                    self.issue(span, &format!("{key}.account_engaged"), "at_least and within_days must be at least 1");
                    return None;
                }
                let secs = i64::from(acc.within_days) * DAY;
                let window = match self.account_windows.iter().position(|w| *w == secs) {
                    Some(i) => i,
                    None => {
                        self.account_windows.push(secs);
                        self.account_windows.len() - 1
                    }
                };
                Some(Cond::AccountEngaged { at_least: acc.at_least, window, days: acc.within_days })
            }
            Kind::Event => self.event_condition(spec, span, key),
            Kind::Field | Kind::Fact => {
                let subject = self.subject(spec, span.clone(), key)?;
                self.value_condition(spec, subject, span, key)
            }
        }
    }

    /// Rejects field/fact operators and event options on a combinator.
    fn no_operators(&mut self, spec: &ConditionSpec, span: std::ops::Range<usize>, key: &str, what: &str) {
        let extra = set_keys(spec, |r| matches!(r, Role::Operator(..))).chain(set_keys(spec, |r| matches!(r, Role::EventOption(_))));
        let extra: Vec<&str> = extra.collect();
        if !extra.is_empty() {
            self.issue(span, key, format!("'{what}' takes no other keys, found: {}", extra.join(", ")));
        }
    }

    fn value_condition(&mut self, spec: &ConditionSpec, subject: Subject, span: std::ops::Range<usize>, key: &str) -> Option<Cond> {
        let stray: Vec<&str> = set_keys(spec, |r| !Kind::Field.takes(r) && !matches!(r, Role::Kind(..))).collect();
        if !stray.is_empty() {
            self.issue(span.clone(), key, format!("{} only apply to event conditions", stray.join(", ")));
            return None;
        }
        let ops: Vec<(&'static str, &'static language::Operator)> =
            language::operator_keys().filter(|(k, _)| k.is_set(spec)).map(|(k, op)| (k.name, op)).collect();
        let ty = subject.field_type();
        let name = subject.name();
        // Keys of one operator group (`min` and `max`) form one operator.
        let one_group = ops.first().is_some_and(|(_, first)| ops.iter().all(|(_, op)| op.group == first.group));
        let Some(&(first, op)) = ops.first().filter(|_| one_group) else {
            let mut groups: Vec<&str> = language::operator_keys().map(|(_, op)| op.group).collect();
            groups.dedup();
            let found: Vec<&str> = ops.iter().map(|(n, _)| *n).collect();
            self.issue(
                span,
                key,
                format!(
                    "'{name}' needs exactly one operator ({}); found {}",
                    groups.join(", "),
                    if found.is_empty() { "none".to_string() } else { found.join(", ") }
                ),
            );
            return None;
        };
        let site = OpSite { op_key: format!("{key}.{first}"), span, subject: &subject, ty, name };
        if !op.accepts.contains(&ty) {
            self.type_error(&site, op.group, op.needs);
            return None;
        }
        let op = (op.compile)(self, spec, &site)?;
        Some(Cond::Value { subject, op })
    }

    /// Reports an operator used on a value of the wrong type.
    fn type_error(&mut self, site: &OpSite<'_>, op: &str, wants: &str) -> Option<Op> {
        self.issue(site.span.clone(), &site.op_key, format!("'{op}' needs {wants}, but '{}' is {}", site.name, site.ty.as_str()));
        None
    }

    fn event_condition(&mut self, spec: &ConditionSpec, span: std::ops::Range<usize>, key: &str) -> Option<Cond> {
        let ops: Vec<&str> = set_keys(spec, |r| !Kind::Event.takes(r) && !matches!(r, Role::Kind(..))).collect();
        if !ops.is_empty() {
            let options: Vec<&str> = language::event_option_names().collect();
            let (last, others) = options.split_last().map_or(("", &[][..]), |(l, o)| (*l, o));
            self.issue(span.clone(), key, format!("{} do not apply to events; use {} or {last}", ops.join(", "), others.join(", ")));
            return None;
        }
        let types = self.event_types(spec.event.as_ref()?, span.clone(), &format!("{key}.event"))?;
        let paths = match &spec.path {
            Some(list) => {
                let (values, _) = self.resolve_list(list, span.clone(), &format!("{key}.path"))?;
                let mut out = Vec::new();
                for v in values {
                    if !v.trim_start().starts_with('/') {
                        self.issue(span.clone(), &format!("{key}.path"), format!("'{v}' is not a path; paths start with '/'"));
                        return None;
                    }
                    out.push(leadrank_facts::url::normalize_path(&v));
                }
                out
            }
            None => Vec::new(),
        };
        let properties: Vec<(String, Scalar)> =
            spec.property.as_ref().map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default();
        if spec.burst.is_some() && (spec.distinct.is_some() || spec.followed_by.is_some() || spec.at_least.is_some()) {
            self.issue(span.clone(), key, "burst cannot be combined with at_least, distinct or followed_by");
            return None;
        }
        let distinct = match spec.distinct.as_deref() {
            None => None,
            Some("path") => Some(DistinctKey::Path),
            Some(other) => match other.strip_prefix("property.") {
                Some(prop) if !prop.is_empty() => {
                    let slot = match self.distinct_properties.iter().position(|p| p == prop) {
                        Some(i) => i,
                        None => {
                            if self.distinct_properties.len() == MAX_DISTINCT_PROPERTIES {
                                self.issue(
                                    span.clone(),
                                    &format!("{key}.distinct"),
                                    format!("a model may count distinct values of at most {MAX_DISTINCT_PROPERTIES} properties"),
                                );
                                return None;
                            }
                            self.distinct_properties.push(prop.to_string());
                            self.distinct_properties.len() - 1
                        }
                    };
                    Some(DistinctKey::Property(slot))
                }
                _ => {
                    self.issue(
                        span.clone(),
                        &format!("{key}.distinct"),
                        format!("'{other}' cannot be counted; use \"path\" or \"property.<name>\""),
                    );
                    return None;
                }
            },
        };
        let at_least = spec.at_least.unwrap_or(1);
        if at_least == 0 {
            self.issue(span.clone(), &format!("{key}.at_least"), "at_least 0 always holds; remove the rule or use at_least >= 1");
            return None;
        }
        let burst = match &spec.burst {
            Some(b) if b.count < 2 || b.seconds == 0 => {
                self.issue(span.clone(), &format!("{key}.burst"), "a burst needs count >= 2 and seconds >= 1");
                return None;
            }
            Some(b) => Some((b.count, b.seconds)),
            None => None,
        };
        let filter = self.filter(EventFilter { types, paths, properties, bot_agent: false }, span.clone(), key)?;
        let followed_by = match &spec.followed_by {
            Some(f) => {
                let types = self.event_types(&f.event, span.clone(), &format!("{key}.followed_by.event"))?;
                if f.within_days == 0 {
                    self.issue(span.clone(), &format!("{key}.followed_by.within_days"), "must be at least 1");
                    return None;
                }
                let idx =
                    self.filter(EventFilter { types, paths: Vec::new(), properties: Vec::new(), bot_agent: false }, span.clone(), key)?;
                Some((idx, f.within_days))
            }
            None => None,
        };
        let text = describe_event_spec(spec, at_least);
        Some(Cond::Events(EventCond { filter, within_days: spec.within_days, at_least, distinct, burst, followed_by, text }))
    }

    fn event_types(&mut self, list: &ListRef, span: std::ops::Range<usize>, key: &str) -> Option<TypeMatch> {
        // A bare string is one event type (not a list name); several types go in an array.
        let values = match list {
            ListRef::Named(t) => vec![t.clone()],
            ListRef::Inline(v) if v.is_empty() => {
                self.issue(span, key, "the list of event types is empty");
                return None;
            }
            ListRef::Inline(v) => v.clone(),
        };
        if values.iter().any(|v| v == "any") {
            return Some(TypeMatch::Any);
        }
        if values.iter().any(|v| v == "engagement") {
            if values.len() > 1 {
                self.issue(span, key, "'engagement' already covers every engagement type; list it alone");
                return None;
            }
            return Some(TypeMatch::Engagement);
        }
        if let Some(bad) = values.iter().find(|v| v.trim().is_empty() || v.chars().any(char::is_whitespace)) {
            self.issue(span, key, format!("'{bad}' is not an event type name"));
            return None;
        }
        Some(TypeMatch::Types(values))
    }

    fn filter(&mut self, filter: EventFilter, span: std::ops::Range<usize>, key: &str) -> Option<usize> {
        if let Some(i) = self.filters.iter().position(|f| *f == filter) {
            return Some(i);
        }
        if self.filters.len() == MAX_EVENT_FILTERS {
            self.issue(span, key, format!("a model may hold at most {MAX_EVENT_FILTERS} distinct event conditions"));
            return None;
        }
        self.filters.push(filter);
        Some(self.filters.len() - 1)
    }
}

/// Where an operator is compiled: its condition's subject and the key to report problems at.
pub(crate) struct OpSite<'s> {
    /// `rules[3] (id).when.<operator>`.
    pub op_key: String,
    pub span: std::ops::Range<usize>,
    pub subject: &'s Subject,
    pub ty: FieldType,
    /// The subject's name, for messages.
    pub name: String,
}

/// The compile step of an operator (see [`language::Operator`]): checks its value against
/// the subject and builds the operator the evaluator matches on. It runs only once the
/// operator's types are known to fit the subject.
pub(crate) type CompileOp = fn(&mut Compiler<'_>, &ConditionSpec, &OpSite<'_>) -> Option<Op>;

/// Reports a text value that a fact never takes.
fn check_fact_value(c: &mut Compiler<'_>, site: &OpSite<'_>, value: &str) -> Option<()> {
    if let Subject::Fact(f) = site.subject {
        let valid = f.values();
        if !valid.is_empty() && !valid.iter().any(|x| x.eq_ignore_ascii_case(value)) {
            c.issue(site.span.clone(), &site.op_key, format!("'{value}' is never a value of {}; valid: {}", site.name, valid.join(", ")));
            return None;
        }
    }
    Some(())
}

pub(crate) fn op_equals(c: &mut Compiler<'_>, spec: &ConditionSpec, site: &OpSite<'_>) -> Option<Op> {
    let v = spec.equals.as_ref()?;
    match (site.ty, v) {
        (FieldType::Text, Scalar::Text(s)) => {
            check_fact_value(c, site, s)?;
            Some(Op::Equals(Scalar::Text(s.to_lowercase())))
        }
        (FieldType::Integer | FieldType::Number, Scalar::Integer(_) | Scalar::Number(_)) | (FieldType::Bool, Scalar::Bool(_)) => {
            Some(Op::Equals(v.clone()))
        }
        _ => c.type_error(site, "equals", "a value of the same type"),
    }
}

pub(crate) fn op_in(c: &mut Compiler<'_>, spec: &ConditionSpec, site: &OpSite<'_>) -> Option<Op> {
    let (values, list_name) = c.resolve_list(spec.in_list.as_ref()?, site.span.clone(), &site.op_key)?;
    for v in &values {
        check_fact_value(c, site, v)?;
    }
    let values = if matches!(site.subject, Subject::Lead(LeadField::Country)) {
        values.iter().map(|v| leadrank_facts::country::normalize(v).map_or_else(|| v.to_lowercase(), str::to_lowercase)).collect()
    } else {
        values.iter().map(|v| v.to_lowercase()).collect()
    };
    Some(Op::In { values: values_arc(values), list: list_name })
}

pub(crate) fn op_domain_in(c: &mut Compiler<'_>, spec: &ConditionSpec, site: &OpSite<'_>) -> Option<Op> {
    let (values, list_name) = c.resolve_list(spec.domain_in.as_ref()?, site.span.clone(), &site.op_key)?;
    let domains = values.iter().map(|v| v.trim().trim_start_matches('@').to_lowercase()).collect();
    Some(Op::DomainIn { domains: values_arc(domains), list: list_name })
}

pub(crate) fn op_contains_keyword(c: &mut Compiler<'_>, spec: &ConditionSpec, site: &OpSite<'_>) -> Option<Op> {
    let (values, list_name) = c.resolve_list(spec.contains_keyword.as_ref()?, site.span.clone(), &site.op_key)?;
    let phrases = values.iter().map(|v| normalize_phrase(v)).collect::<Vec<_>>();
    if phrases.iter().any(String::is_empty) {
        c.issue(site.span.clone(), &site.op_key, "a keyword is empty or has no letters or digits");
        return None;
    }
    match super::phrases::Phrases::new(phrases) {
        Ok(phrases) => Some(Op::ContainsKeyword { phrases, list: list_name }),
        Err(e) => {
            c.issue(site.span.clone(), &site.op_key, e.to_string());
            None
        }
    }
}

pub(crate) fn op_between(c: &mut Compiler<'_>, spec: &ConditionSpec, site: &OpSite<'_>) -> Option<Op> {
    let [lo, hi] = spec.between?;
    if lo > hi {
        c.issue(site.span.clone(), &site.op_key, format!("between [{lo}, {hi}] is empty: the low end is above the high end"));
        return None;
    }
    Some(Op::Range { min: Some(lo), max: Some(hi) })
}

/// `min`, `max` or both: one range.
pub(crate) fn op_range(c: &mut Compiler<'_>, spec: &ConditionSpec, site: &OpSite<'_>) -> Option<Op> {
    if let (Some(lo), Some(hi)) = (spec.min, spec.max)
        && lo > hi
    {
        c.issue(site.span.clone(), &site.op_key, format!("min {lo} is above max {hi}: the condition could never hold"));
        return None;
    }
    Some(Op::Range { min: spec.min, max: spec.max })
}

pub(crate) fn op_present(_: &mut Compiler<'_>, spec: &ConditionSpec, _: &OpSite<'_>) -> Option<Op> {
    spec.present.map(Op::Present)
}

pub(crate) fn op_is(_: &mut Compiler<'_>, spec: &ConditionSpec, _: &OpSite<'_>) -> Option<Op> {
    spec.is.map(Op::Is)
}

pub(crate) fn op_within_next_days(_: &mut Compiler<'_>, spec: &ConditionSpec, _: &OpSite<'_>) -> Option<Op> {
    spec.within_next_days.map(Op::WithinNextDays)
}

pub(crate) fn op_within_last_days(_: &mut Compiler<'_>, spec: &ConditionSpec, _: &OpSite<'_>) -> Option<Op> {
    spec.within_last_days.map(Op::WithinLastDays)
}

impl Op {
    /// The operator group of the table whose compile step builds this operator (`min/max`
    /// for a range from `min` and `max`, `between` for one from `between`: both are ranges).
    #[cfg(test)]
    pub(crate) fn groups(&self) -> &'static [&'static str] {
        match self {
            Op::Equals(_) => &["equals"],
            Op::In { .. } => &["in"],
            Op::DomainIn { .. } => &["domain_in"],
            Op::ContainsKeyword { .. } => &["contains_keyword"],
            Op::Range { .. } => &["between", "min/max"],
            Op::Present(_) => &["present"],
            Op::Is(_) => &["is"],
            Op::WithinNextDays(_) => &["within_next_days"],
            Op::WithinLastDays(_) => &["within_last_days"],
        }
    }
}

fn list_text(list: &ListRef) -> String {
    match list {
        ListRef::Named(n) => n.clone(),
        ListRef::Inline(v) => v.join(" or "),
    }
}

/// "2+ distinct page_view paths under high_intent_pages in the last 7 days" and the like.
fn describe_event_spec(spec: &ConditionSpec, at_least: u32) -> String {
    let types = spec.event.as_ref().map_or_else(String::new, |e| match e {
        ListRef::Named(t) if t == "engagement" => "engagement".to_string(),
        ListRef::Named(t) if t == "any" => "any event".to_string(),
        other => list_text(other),
    });
    let mut text = match (&spec.burst, spec.distinct.as_deref()) {
        (Some(b), _) => format!("{} {types} within {} s", b.count, b.seconds),
        (None, Some("path")) => format!("{at_least}+ distinct {types} paths"),
        (None, Some(d)) => format!("{at_least}+ distinct {} of {types}", d.trim_start_matches("property.")),
        (None, None) if at_least > 1 => format!("{at_least}+ {types}"),
        (None, None) => format!("a {types}"),
    };
    if let Some(p) = &spec.path {
        text.push_str(&format!(" under {}", list_text(p)));
    }
    if let Some(props) = &spec.property {
        let parts: Vec<String> = props.iter().map(|(k, v)| format!("{k} = {v:?}")).collect();
        text.push_str(&format!(" with {}", parts.join(", ")));
    }
    if let Some(d) = spec.within_days {
        text.push_str(&format!(" in the last {d} days"));
    }
    if let Some(f) = &spec.followed_by {
        text.push_str(&format!(", then {} within {} days", list_text(&f.event), f.within_days));
    }
    text
}

fn values_arc(v: Vec<String>) -> Arc<[String]> {
    v.into()
}

fn join_or_none(items: &[&str]) -> String {
    if items.is_empty() { "none".to_string() } else { items.join(", ") }
}

/// Lower-cases a phrase and reduces it to single-space-separated words of letters and digits.
pub(crate) fn normalize_phrase(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The names of the condition keys set in `spec` whose role passes `role`, in table order.
fn set_keys(spec: &ConditionSpec, role: impl Fn(&Role) -> bool) -> impl Iterator<Item = &'static str> {
    language::condition_keys().iter().filter(move |k| role(&k.role) && k.is_set(spec)).map(|k| k.name)
}

fn bands(c: &mut Compiler<'_>, raw: impl Iterator<Item = (String, Option<i32>)>, span: std::ops::Range<usize>, key: &str) -> Vec<Band> {
    let out: Vec<Band> = raw.map(|(label, min)| Band { label: label.into(), min }).collect();
    let n = out.len();
    if n == 0 {
        c.issue(span, key, "needs at least one band");
        return out;
    }
    for (i, b) in out.iter().enumerate() {
        if i + 1 < n && b.min.is_none() {
            c.issue(span.clone(), key, format!("'{}' needs a min: only the last band may omit it", b.label));
        }
        if i + 1 == n && b.min.is_some() {
            c.issue(span.clone(), key, format!("the last band '{}' takes everything below; remove its min", b.label));
        }
    }
    for w in out.windows(2) {
        if let (Some(a), Some(b)) = (w[0].min, w[1].min)
            && b >= a
        {
            c.issue(span.clone(), key, format!("bands must go from highest to lowest min ({a} then {b})"));
        }
    }
    out
}

impl CompiledModel {
    /// Parses and checks a model file. `origin` names the file in errors.
    pub fn from_toml(source: &str, origin: &str) -> Result<CompiledModel, ModelError> {
        let fail = |issues| ModelError { origin: origin.to_string(), issues };
        let unknown = language::unknown_keys(source);
        if !unknown.is_empty() {
            return Err(fail(unknown));
        }
        let file: ModelFile = toml::from_str(source).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(source, s.start));
            fail(vec![ModelIssue { line, column, key: String::new(), message: e.message().trim().to_string() }])
        })?;
        let mut c = Compiler {
            source,
            lists: &file.lists,
            custom: &file.custom_fields,
            issues: Vec::new(),
            filters: Vec::new(),
            distinct_properties: Vec::new(),
            account_windows: Vec::new(),
            risk: None,
        };
        let whole = 0..0;
        if file.model.name.trim().is_empty() || file.model.version.trim().is_empty() {
            c.issue(whole.clone(), "model", "name and version must not be empty");
        }
        for name in file.custom_fields.keys() {
            if LeadField::from_name(name).is_some() || name.starts_with("account.") {
                c.issue(whole.clone(), &format!("custom_fields.{name}"), "is a built-in field; custom fields need other names");
            }
        }

        // Dimensions.
        let mut dimensions: Vec<Dimension> = Vec::new();
        let mut dim_index: FxHashMap<String, usize> = FxHashMap::default();
        for d in &file.dimensions {
            let spec = d.get_ref();
            if dim_index.insert(spec.id.clone(), dimensions.len()).is_some() {
                c.issue(d.span(), &format!("dimensions.{}", spec.id), "dimension ids must be unique");
            }
            dimensions.push(Dimension {
                id: spec.id.as_str().into(),
                label: spec.label.clone().unwrap_or_else(|| spec.id.clone()),
                cap: spec.cap,
            });
        }
        if dimensions.is_empty() {
            c.issue(whole.clone(), "dimensions", "a model needs at least one dimension");
        }

        // Grades and cell.
        let grades = bands(&mut c, file.scoring.grades.iter().map(|g| (g.grade.clone(), g.min)), whole.clone(), "scoring.grades");
        let cell = match &file.cell {
            None => None,
            Some(spec) => {
                let rows = dim_index.get(&spec.rows).copied();
                let columns = dim_index.get(&spec.columns).copied();
                if rows.is_none() {
                    c.issue(whole.clone(), "cell.rows", format!("'{}' is not a dimension", spec.rows));
                }
                if columns.is_none() {
                    c.issue(whole.clone(), "cell.columns", format!("'{}' is not a dimension", spec.columns));
                }
                let row_bands = bands(&mut c, spec.row_bands.iter().map(|b| (b.label.clone(), b.min)), whole.clone(), "cell.row_bands");
                let column_bands =
                    bands(&mut c, spec.column_bands.iter().map(|b| (b.label.clone(), b.min)), whole.clone(), "cell.column_bands");
                match (rows, columns) {
                    (Some(rows), Some(columns)) => Some(Cell { rows, row_bands, columns, column_bands }),
                    _ => None,
                }
            }
        };

        // Rules.
        let mut rules = Vec::new();
        let mut seen_ids: FxHashMap<String, ()> = FxHashMap::default();
        for (i, r) in file.rules.iter().enumerate() {
            let spec = r.get_ref();
            let key = format!("rules[{i}] ({})", spec.id);
            if spec.id.trim().is_empty() || spec.id.chars().any(char::is_whitespace) {
                c.issue(r.span(), &key, "a rule id must be a non-empty word such as \"demo_request\"");
            }
            if seen_ids.insert(spec.id.clone(), ()).is_some() {
                c.issue(r.span(), &key, format!("rule id '{}' is used twice", spec.id));
            }
            let Some(&dimension) = dim_index.get(&spec.dimension) else {
                let known: Vec<&str> = file.dimensions.iter().map(|d| d.get_ref().id.as_str()).collect();
                c.issue(
                    r.span(),
                    &format!("{key}.dimension"),
                    format!("unknown dimension '{}'; valid: {}", spec.dimension, join_or_none(&known)),
                );
                continue;
            };
            if spec.points == 0 {
                c.issue(r.span(), &format!("{key}.points"), "0 points: the rule could never change a score");
            }
            let Some(when) = c.condition(&spec.when, &format!("{key}.when")) else { continue };
            rules.push(Rule {
                id: spec.id.as_str().into(),
                label: spec.label.clone().unwrap_or_else(|| spec.id.clone()),
                description: spec.description.clone(),
                dimension,
                points: spec.points,
                when,
            });
        }
        if file.rules.is_empty() {
            c.issue(whole.clone(), "rules", "a model needs at least one rule");
        }

        // Signals and lifecycle.
        let mut signals: Vec<Signal> = Vec::new();
        for (i, s) in file.signals.iter().enumerate() {
            let spec = s.get_ref();
            let key = format!("signals[{i}] ({})", spec.id);
            if spec.id.trim().is_empty() || spec.id.chars().any(char::is_whitespace) {
                c.issue(s.span(), &key, "a signal id must be a non-empty word such as \"pql\"");
            }
            if signals.iter().any(|x| *x.id == *spec.id) {
                c.issue(s.span(), &key, format!("signal id '{}' is used twice", spec.id));
            }
            let Some(when) = c.condition(&spec.when, &format!("{key}.when")) else { continue };
            signals.push(Signal { id: spec.id.as_str().into(), label: spec.label.clone().unwrap_or_else(|| spec.id.clone()), when });
        }
        let lc = &file.lifecycle;
        if let Some(pql) = &lc.pql_signal
            && !file.signals.iter().any(|s| s.get_ref().id == *pql)
        {
            let known: Vec<&str> = file.signals.iter().map(|s| s.get_ref().id.as_str()).collect();
            c.issue(whole.clone(), "lifecycle.pql_signal", format!("unknown signal '{pql}'; valid: {}", join_or_none(&known)));
        }
        if !CHECKLISTS.contains(&lc.checklist.as_str()) {
            c.issue(
                whole.clone(),
                "lifecycle.checklist",
                format!("unknown checklist '{}'; valid: {}", lc.checklist, CHECKLISTS.join(", ")),
            );
        }
        if lc.rejection_reasons.is_empty() {
            c.issue(whole.clone(), "lifecycle.rejection_reasons", "at least one reason code is needed");
        }
        for (i, r) in lc.rejection_reasons.iter().enumerate() {
            if r.trim().is_empty() || r.chars().any(char::is_whitespace) {
                c.issue(whole.clone(), &format!("lifecycle.rejection_reasons[{i}]"), "a reason code must be a non-empty word");
            }
            if lc.rejection_reasons[..i].contains(r) {
                c.issue(whole.clone(), &format!("lifecycle.rejection_reasons[{i}]"), format!("'{r}' is listed twice"));
            }
        }
        for (i, r) in lc.disqualifying_reasons.iter().enumerate() {
            if !lc.rejection_reasons.contains(r) {
                c.issue(
                    whole.clone(),
                    &format!("lifecycle.disqualifying_reasons[{i}]"),
                    format!("'{r}' is not one of lifecycle.rejection_reasons"),
                );
            }
        }

        if !c.issues.is_empty() {
            let mut issues = std::mem::take(&mut c.issues);
            issues.sort_by_key(|i| (i.line, i.column));
            return Err(fail(issues));
        }
        Ok(CompiledModel {
            name: file.model.name.clone(),
            version: file.model.version.clone(),
            description: file.model.description.clone(),
            source: source.to_string(),
            quality_threshold: file.scoring.quality_threshold,
            grades,
            cell,
            dimensions,
            rules,
            custom_fields: file.custom_fields.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            event_filters: c.filters,
            distinct_properties: c.distinct_properties,
            account_windows: c.account_windows,
            risk: c.risk,
            signals,
            lifecycle: file.lifecycle.clone(),
        })
    }

    /// `name@version`, as shown in outputs.
    pub fn id(&self) -> String {
        format!("{}@{}", self.name, self.version)
    }

    /// Whether any rule asks for phone validity (the batch then checks phones ahead, grouped
    /// by country, which is several times faster than in lead order).
    pub fn uses_phone_validity(&self) -> bool {
        fn walk(c: &Cond) -> bool {
            match c {
                Cond::Value { subject: Subject::Fact(Fact::PhoneValid), .. } => true,
                Cond::Any(v) | Cond::All(v) => v.iter().any(walk),
                Cond::Not(inner) => walk(inner),
                _ => false,
            }
        }
        self.rules.iter().any(|r| walk(&r.when)) || self.signals.iter().any(|s| walk(&s.when))
    }

    /// Every day count the model's conditions use (event windows, follow-ups, account
    /// windows, `within_next_days`, `within_last_days`), in seconds, sorted and deduplicated.
    /// A score can change with the passage of time only at an event or field time plus or
    /// minus one of these (see [`crate::engine::live::LiveBook::next_change_after`]).
    pub fn day_windows(&self) -> Vec<i64> {
        fn walk(c: &Cond, out: &mut Vec<i64>) {
            match c {
                Cond::Value { op: Op::WithinNextDays(d) | Op::WithinLastDays(d), .. } => out.push(i64::from(*d) * DAY),
                Cond::Value { .. } => {}
                Cond::Events(e) => {
                    out.extend(e.within_days.map(|d| i64::from(d) * DAY));
                    out.extend(e.followed_by.map(|(_, d)| i64::from(d) * DAY));
                }
                Cond::AccountEngaged { days, .. } => out.push(i64::from(*days) * DAY),
                Cond::Any(v) | Cond::All(v) => v.iter().for_each(|c| walk(c, out)),
                Cond::Not(inner) => walk(inner, out),
            }
        }
        let mut out = vec![0];
        self.rules.iter().for_each(|r| walk(&r.when, &mut out));
        self.signals.iter().for_each(|s| walk(&s.when, &mut out));
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Bits of the event filters whose events must have their properties read: filters that
    /// match on properties or the user agent, sign-ups (their IP), and filters of conditions
    /// that count distinct property values. Properties of other events are never read.
    pub(crate) fn property_filters(&self) -> u64 {
        fn walk(c: &Cond, out: &mut u64) {
            match c {
                Cond::Events(e) if matches!(e.distinct, Some(DistinctKey::Property(_))) => *out |= 1 << e.filter,
                Cond::Any(v) | Cond::All(v) => v.iter().for_each(|c| walk(c, out)),
                Cond::Not(inner) => walk(inner, out),
                _ => {}
            }
        }
        let mut out = 0u64;
        for (i, f) in self.event_filters.iter().enumerate() {
            if !f.properties.is_empty() || f.bot_agent {
                out |= 1 << i;
            }
        }
        if let Some(r) = self.risk {
            out |= 1 << r.signup;
        }
        self.rules.iter().for_each(|r| walk(&r.when, &mut out));
        self.signals.iter().for_each(|s| walk(&s.when, &mut out));
        out
    }

    /// Whether any rule reads event properties (readers may skip parsing them otherwise).
    pub fn uses_properties(&self) -> bool {
        !self.distinct_properties.is_empty() || self.event_filters.iter().any(|f| !f.properties.is_empty()) || self.risk.is_some()
    }

    /// The type of a declared custom field.
    pub fn custom_field_type(&self, name: &str) -> Option<FieldType> {
        self.custom_fields.iter().find(|(n, _)| n == name).map(|(_, t)| *t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(src: &str) -> Result<CompiledModel, String> {
        CompiledModel::from_toml(src, "m.toml").map_err(|e| e.to_string())
    }

    const HEAD: &str = r#"
[model]
name = "t"
version = "1"
[scoring]
quality_threshold = 10
grades = [{ grade = "A", min = 10 }, { grade = "B" }]
[lists]
pages = ["/pricing"]
[[dimensions]]
id = "fit"
cap = 20
"#;

    #[test]
    fn a_valid_small_model_compiles() {
        let m = check(&format!(
            "{HEAD}[[rules]]\nid = \"r\"\ndimension = \"fit\"\npoints = 5\nwhen = {{ event = \"page_view\", path = \"pages\", within_days = 30 }}\n"
        ))
        .unwrap();
        assert_eq!(m.rules.len(), 1);
        assert_eq!(m.event_filters.len(), 1);
    }

    #[test]
    fn unknown_field_names_line_and_key() {
        let err = check(&format!(
            "{HEAD}[[rules]]\nid = \"r\"\ndimension = \"fit\"\npoints = 5\nwhen = {{ field = \"industy\", in = [\"x\"] }}\n"
        ))
        .unwrap_err();
        assert!(err.starts_with("m.toml:17:"), "{err}");
        assert!(err.contains("rules[0] (r).when.field: unknown field 'industy'"), "{err}");
    }

    #[test]
    fn unknown_list_and_wrong_operator_types_are_errors() {
        let err = check(&format!(
            "{HEAD}[[rules]]\nid = \"a\"\ndimension = \"fit\"\npoints = 5\nwhen = {{ field = \"industry\", in = \"icp\" }}\n\
             [[rules]]\nid = \"b\"\ndimension = \"fit\"\npoints = 5\nwhen = {{ field = \"industry\", between = [1, 2] }}\n\
             [[rules]]\nid = \"c\"\ndimension = \"nope\"\npoints = 5\nwhen = {{ fact = \"email_kind\", equals = \"corprate\" }}\n\
             [[rules]]\nid = \"d\"\ndimension = \"fit\"\npoints = 5\nwhen = {{ fact = \"email_kind\", equals = \"corprate\" }}\n"
        ))
        .unwrap_err();
        assert!(err.contains("unknown list 'icp'; lists defined in [lists]: pages"), "{err}");
        assert!(err.contains("'between' needs a numeric field, but 'industry' is text"), "{err}");
        assert!(err.contains("unknown dimension 'nope'; valid: fit"), "{err}");
        assert!(err.contains("'corprate' is never a value of email_kind"), "{err}");
    }

    const RULE: &str = "[[rules]]\nid = \"r\"\ndimension = \"fit\"\npoints = 5\nwhen = { field = \"industry\", in = [\"x\"] }\n";

    #[test]
    fn signals_and_lifecycle_compile_with_defaults() {
        let m = check(&format!(
            "{HEAD}{RULE}[[signals]]\nid = \"pql\"\nwhen = {{ event = \"feature_used\", distinct = \"property.feature\", at_least = 3, within_days = 14 }}\n\
             [lifecycle]\npql_signal = \"pql\"\nchecklist = \"meddicc\"\n"
        ))
        .unwrap();
        assert_eq!(m.signals.len(), 1);
        assert_eq!(m.lifecycle.checklist, "meddicc");
        assert_eq!(m.lifecycle.recycle_after_days, 30, "unset keys keep the defaults");
        assert!(m.day_windows().contains(&(14 * DAY)), "signal windows arm timers");
        let plain = check(&format!("{HEAD}{RULE}")).unwrap();
        assert_eq!(plain.lifecycle, LifecycleSpec::default());
        assert!(plain.signals.is_empty());
    }

    #[test]
    fn lifecycle_mistakes_are_errors_naming_the_key() {
        let err = check(&format!(
            "{HEAD}{RULE}[[signals]]\nid = \"pql\"\nwhen = {{ event = \"teammate_invited\" }}\n\
             [lifecycle]\npql_signal = \"product\"\nchecklist = \"spin\"\nrejection_reasons = [\"spam\", \"spam\"]\ndisqualifying_reasons = [\"competitor\"]\n"
        ))
        .unwrap_err();
        assert!(err.contains("lifecycle.pql_signal: unknown signal 'product'; valid: pql"), "{err}");
        assert!(err.contains("lifecycle.checklist: unknown checklist 'spin'; valid: bant, champ, meddicc"), "{err}");
        assert!(err.contains("lifecycle.rejection_reasons[1]: 'spam' is listed twice"), "{err}");
        assert!(err.contains("lifecycle.disqualifying_reasons[0]: 'competitor' is not one of lifecycle.rejection_reasons"), "{err}");
        let err = check(&format!("{HEAD}{RULE}[[signals]]\nid = \"s\"\nwhen = {{ field = \"industy\", in = [\"x\"] }}\n")).unwrap_err();
        assert!(err.contains("signals[0] (s).when.field: unknown field 'industy'"), "{err}");
    }

    #[test]
    fn toml_syntax_and_unknown_keys_are_located() {
        let err = check("[model]\nname = \"x\"\nversio = \"1\"\n").unwrap_err();
        assert!(err.starts_with("m.toml:3:1:"), "{err}");
        assert!(err.contains("unknown field `versio`"), "{err}");
        let err = check(&format!(
            "{HEAD}[[rules]]\nid = \"r\"\ndimension = \"fit\"\npoints = 5\nwhen = {{ event = \"page_view\", within = 3 }}\n"
        ))
        .unwrap_err();
        assert!(err.contains("unknown field `within`"), "{err}");
    }

    #[test]
    fn custom_fields_must_be_declared() {
        let rule = "[[rules]]\nid = \"r\"\ndimension = \"fit\"\npoints = 5\nwhen = { field = \"seats\", min = 10 }\n";
        assert!(check(&format!("{HEAD}{rule}")).unwrap_err().contains("unknown field 'seats'"));
        let m = check(&format!("{HEAD}[custom_fields]\nseats = \"integer\"\n{rule}")).unwrap();
        assert_eq!(m.custom_field_type("seats"), Some(FieldType::Integer));
    }

    #[test]
    fn phrases_normalise() {
        assert_eq!(normalize_phrase("  Lead-Scoring  "), "lead scoring");
    }
}
