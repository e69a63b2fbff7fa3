//! Evaluation of compiled conditions against one lead, with the evidence for each match.

use jiff::Timestamp;

use super::facts::{LeadFacts, PopulationFacts, normalize_domain_cow, segment};
use super::project::{Interner, NONE, ProjectedEvent};
use crate::model::compile::{Cond, DAY, DistinctKey, EventCond, Fact, LeadField, Op, RiskFilters, Subject};
use crate::model::format::Scalar;
use crate::model::phrases::Phrases;
use crate::records::{Account, FieldType, parse_bool, parse_integer, parse_number, parse_time};

/// Everything a condition may look at for one lead.
pub struct LeadContext<'a> {
    pub facts: LeadFacts<'a>,
    pub account: Option<&'a Account>,
    /// The lead's events, deduplicated and sorted by time.
    pub events: &'a [ProjectedEvent],
    pub strings: &'a Interner,
    pub population: &'a PopulationFacts,
    /// Scoring time, Unix seconds.
    pub as_of: i64,
    /// The model's bot-risk event filters, when it reads bot risk.
    pub(crate) risk: Option<RiskFilters>,
}

/// A value read from a lead, an account or a fact.
#[derive(Debug, Clone)]
enum Val<'a> {
    Text(std::borrow::Cow<'a, str>),
    Int(i64),
    Num(f64),
    Bool(bool),
    Time(Timestamp),
    List(&'a [String]),
}

fn text<'a, S: std::ops::Deref<Target = str>>(s: &'a Option<S>) -> Option<Val<'a>> {
    s.as_deref().map(|s| Val::Text(s.into()))
}

impl<'a> LeadContext<'a> {
    fn value(&self, subject: &Subject) -> Option<Val<'_>> {
        let lead = self.facts.lead();
        match subject {
            Subject::Lead(f) => match f {
                LeadField::LeadId => Some(Val::Text(lead.lead_id.as_str().into())),
                LeadField::Email => text(&lead.email),
                LeadField::FirstName => text(&lead.first_name),
                LeadField::LastName => text(&lead.last_name),
                LeadField::Title => text(&lead.title),
                LeadField::Company => text(&lead.company),
                LeadField::Domain => self.facts.company_domain().map(|d| Val::Text(d.into())),
                LeadField::AccountId => text(&lead.account_id),
                LeadField::Industry => text(&lead.industry),
                LeadField::Employees => lead.employees.map(Val::Int),
                LeadField::AnnualRevenue => lead.annual_revenue.map(Val::Num),
                LeadField::Country => match self.facts.country_code() {
                    Some(code) => Some(Val::Text(code.into())),
                    None => text(&lead.country),
                },
                LeadField::Phone => text(&lead.phone),
                LeadField::PhoneVerified => lead.phone_verified.map(Val::Bool),
                LeadField::Consent => match self.population.consent {
                    Some((granted, _)) => Some(Val::Bool(granted)),
                    None => lead.consent.map(Val::Bool),
                },
                LeadField::ConsentAt => match self.population.consent {
                    Some((_, at)) => Some(Val::Time(at)),
                    None => lead.consent_at.map(Val::Time),
                },
                LeadField::Source => text(&lead.source),
                LeadField::Campaign => text(&lead.campaign),
                LeadField::CreatedAt => lead.created_at.map(Val::Time),
                LeadField::TechStack => (!lead.tech_stack.is_empty()).then_some(Val::List(&lead.tech_stack)),
                LeadField::UseCase => text(&lead.use_case),
                LeadField::BudgetOwner => lead.budget_owner.map(Val::Bool),
                LeadField::TimelineDays => lead.timeline_days.map(Val::Int),
                LeadField::ContractEnd => lead.contract_end.map(Val::Time),
                LeadField::Honeypot => text(&lead.honeypot),
            },
            Subject::Custom(name, ty) => {
                let raw = lead.custom_field(name)?;
                match ty {
                    FieldType::Text => Some(Val::Text(raw.into())),
                    FieldType::Integer => parse_integer(raw).ok().flatten().map(Val::Int),
                    FieldType::Number => parse_number(raw).ok().flatten().map(Val::Num),
                    FieldType::Bool => parse_bool(raw).ok().flatten().map(Val::Bool),
                    FieldType::Time => parse_time(raw).ok().flatten().map(Val::Time),
                    // A custom list keeps its text; `in` and `contains_keyword` split it.
                    FieldType::List => Some(Val::Text(raw.into())),
                }
            }
            Subject::Account(name, _) => {
                let a = self.account?;
                match *name {
                    "name" => text(&a.name),
                    "domain" => text(&a.domain),
                    "industry" => text(&a.industry),
                    "employees" => a.employees.map(Val::Int),
                    "country" => a.country.as_deref().map(|c| Val::Text(leadrank_facts::country::normalize(c).unwrap_or(c).into())),
                    "owner" => text(&a.owner),
                    "tier" => text(&a.tier),
                    _ => None,
                }
            }
            Subject::Fact(f) => match f {
                Fact::Seniority => Some(Val::Text(self.facts.seniority().as_str().into())),
                Fact::EmailKind => self.facts.email_kind().map(|k| Val::Text(k.as_str().into())),
                Fact::EmailDomain => self.facts.email().and_then(|e| e.domain.as_deref()).map(|d| Val::Text(d.into())),
                Fact::PhoneValid => Some(Val::Bool(self.population.phone_valid.unwrap_or_else(|| self.facts.phone_valid()))),
                Fact::Duplicate => Some(Val::Bool(self.population.duplicate)),
                Fact::GibberishName => Some(Val::Bool(self.facts.gibberish().is_some())),
                Fact::AccountKey => self.facts.account_key().map(|k| Val::Text(k.into())),
                Fact::Region => self.facts.country_code().and_then(leadrank_facts::country::region).map(|r| Val::Text(r.as_str().into())),
                Fact::Segment => lead.employees.map(|e| Val::Text(segment(e).into())),
                Fact::BotUserAgent => Some(Val::Bool(self.bot_agent_at().is_some())),
                Fact::FormBurst => Some(Val::Bool(self.form_burst().is_some())),
                Fact::IpBurst => Some(Val::Bool(self.population.ip_burst)),
                Fact::CountryPhoneMismatch => Some(Val::Bool(self.facts.country_phone_mismatch().is_some())),
                Fact::BotRisk => Some(Val::Int(i64::from(super::risk::risk_of(self.risk_reasons())))),
            },
        }
    }

    /// Events at or before T that pass filter number `filter`.
    fn passing(&self, filter: usize) -> impl Iterator<Item = &'a ProjectedEvent> + '_ {
        let bit = 1u64 << filter;
        let events: &'a [ProjectedEvent] = self.events;
        events.iter().take_while(move |e| e.at <= self.as_of).filter(move |e| e.filters & bit != 0)
    }

    /// Time of the first event at or before T from a bot user agent.
    fn bot_agent_at(&self) -> Option<i64> {
        self.passing(self.risk?.bot_agent).next().map(|e| e.at)
    }

    /// The first form burst at or before T: (start, span in seconds).
    fn form_burst(&self) -> Option<(i64, i64)> {
        let times: Vec<i64> = self.passing(self.risk?.form).map(|e| e.at).collect();
        super::risk::form_burst(&times)
    }

    /// The bot-risk reasons that hold for the lead at T, in [`super::risk::REASONS`] order.
    fn risk_reasons(&self) -> Vec<&'static str> {
        let lead = self.facts.lead();
        let mut out = Vec::new();
        if lead.honeypot.as_deref().is_some_and(|h| !h.trim().is_empty()) {
            out.push("honeypot");
        }
        if self.bot_agent_at().is_some() {
            out.push("bot_user_agent");
        }
        if self.form_burst().is_some() {
            out.push("form_burst");
        }
        if self.facts.email_kind() == Some(leadrank_facts::email::EmailKind::Disposable) {
            out.push("disposable_domain");
        }
        if self.facts.gibberish().is_some() {
            out.push("gibberish_name");
        }
        if self.population.ip_burst {
            out.push("ip_burst");
        }
        if self.facts.country_phone_mismatch().is_some() {
            out.push("country_phone_mismatch");
        }
        out
    }

    /// Evaluates a condition; `Some(evidence)` when it holds.
    /// Whether `cond` reads only what the lead's record (or its account's) already says,
    /// every value of it known: no event, no account engagement, no missing field. Such a
    /// condition does not change by anything a person does next (a rule on a Retail
    /// company's industry), so it is no suggestion to a rep. Derived facts count as known.
    pub(crate) fn settled(&self, cond: &Cond) -> bool {
        match cond {
            Cond::Value { subject: Subject::Fact(_), .. } => true,
            Cond::Value { subject, .. } => self.value(subject).is_some(),
            Cond::Events(_) | Cond::AccountEngaged { .. } => false,
            Cond::Any(cs) | Cond::All(cs) => cs.iter().all(|c| self.settled(c)),
            Cond::Not(c) => self.settled(c),
        }
    }

    /// Whether a condition holds: the same answer as `self.eval(cond).is_some()`, without
    /// building the evidence text (for outputs that print only rule ids and points).
    pub(crate) fn holds(&self, cond: &Cond) -> bool {
        match cond {
            Cond::Any(children) => children.iter().any(|c| self.holds(c)),
            Cond::All(children) => children.iter().all(|c| self.holds(c)),
            Cond::Not(inner) => !self.holds(inner),
            Cond::AccountEngaged { at_least, window, .. } => self.population.engaged_people.get(*window).copied().unwrap_or(0) >= *at_least,
            Cond::Events(ec) => self.events_hold(ec),
            Cond::Value { subject, op } => {
                let value = self.value(subject);
                if let Op::Present(want) = op {
                    return value.is_some() == *want;
                }
                value.is_some_and(|v| self.value_matches(op, &v))
            }
        }
    }

    /// Whether `value` satisfies `op` (not [`Op::Present`]); the test of [`Self::eval_value`].
    fn value_matches(&self, op: &Op, value: &Val<'_>) -> bool {
        match (op, value) {
            (Op::Equals(Scalar::Text(want)), Val::Text(got)) => eq_ci(got, want),
            (Op::Equals(Scalar::Bool(want)), Val::Bool(got)) => want == got,
            (Op::Equals(want), Val::Int(_) | Val::Num(_)) => {
                let w = match want {
                    Scalar::Integer(i) => *i as f64,
                    Scalar::Number(n) => *n,
                    _ => return false,
                };
                number(value) == Some(w)
            }
            (Op::In { values, .. }, Val::Text(got)) => find_ci(got, values).is_some(),
            (Op::In { values, .. }, Val::List(items)) => items.iter().any(|i| find_ci(i, values).is_some()),
            (Op::DomainIn { domains, .. }, Val::Text(got)) => normalize_domain_cow(got).is_some_and(|d| in_domains(&d, domains)),
            (Op::ContainsKeyword { phrases, .. }, Val::Text(got)) => phrases.first_in(got).is_some(),
            (Op::ContainsKeyword { phrases, .. }, Val::List(items)) => items.iter().any(|i| phrases.first_in(i).is_some()),
            (Op::Range { min, max }, _) => number(value).is_some_and(|v| min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m)),
            (Op::Is(want), Val::Bool(got)) => want == got,
            (Op::WithinNextDays(days), Val::Time(t)) => {
                let today = day_number(self.as_of);
                let d = day_number(t.as_second());
                d >= today && d - today <= i64::from(*days)
            }
            (Op::WithinLastDays(days), Val::Time(t)) => {
                let s = t.as_second();
                s <= self.as_of && s >= self.as_of - i64::from(*days) * DAY
            }
            _ => false,
        }
    }

    /// Whether an event condition holds: `self.eval_events(ec).is_some()` without evidence.
    fn events_hold(&self, ec: &EventCond) -> bool {
        let bit = 1u64 << ec.filter;
        let hi = self.as_of;
        let lo = ec.within_days.map_or(i64::MIN, |d| hi - i64::from(d) * DAY);
        let window = in_window(self.events, lo, hi);
        let mut matching = window.iter().filter(move |e| e.filters & bit != 0);

        if let Some((count, seconds)) = ec.burst {
            // The model compiler requires count >= 2.
            let need = (count as usize).max(1);
            let hits: Vec<i64> = matching.map(|e| e.at).collect();
            return hits.windows(need).any(|w| w[need - 1] - w[0] <= i64::from(seconds));
        }
        if let Some((follow_filter, days)) = ec.followed_by {
            let fbit = 1u64 << follow_filter;
            let reach = i64::from(days) * DAY;
            return matching.any(|anchor| {
                let end = (anchor.at + reach).min(hi);
                in_window(self.events, anchor.at + 1, end).iter().any(|e| e.filters & fbit != 0)
            });
        }
        if let Some(key) = ec.distinct {
            let mut seen: Vec<u32> = Vec::new();
            for e in matching {
                let k = match key {
                    DistinctKey::Path => e.path_id,
                    DistinctKey::Property(slot) => e.keys[slot],
                };
                if k != NONE && !seen.contains(&k) {
                    seen.push(k);
                }
            }
            return seen.len() >= ec.at_least as usize;
        }
        let count = matching.by_ref().take(ec.at_least.max(1) as usize).count();
        count >= ec.at_least as usize && count > 0
    }

    pub(crate) fn eval(&self, cond: &Cond) -> Option<String> {
        match cond {
            Cond::Any(children) => children.iter().find_map(|c| self.eval(c)),
            Cond::All(children) => {
                let mut parts = Vec::with_capacity(children.len());
                for c in children {
                    parts.push(self.eval(c)?);
                }
                Some(parts.join("; "))
            }
            Cond::Not(inner) => match self.eval(inner) {
                Some(_) => None,
                None => Some(format!("not ({})", describe(inner))),
            },
            Cond::AccountEngaged { at_least, window, days } => {
                let n = self.population.engaged_people.get(*window).copied().unwrap_or(0);
                (n >= *at_least).then(|| {
                    let key = self.facts.account_key().unwrap_or_default();
                    let key = key.split_once(':').map_or(key.as_str(), |(_, k)| k);
                    format!("{n} people of account {key} engaged in the last {days} days")
                })
            }
            Cond::Events(ec) => self.eval_events(ec),
            Cond::Value { subject, op } => {
                let value = self.value(subject);
                self.eval_value(subject, op, value)
            }
        }
    }

    fn eval_value(&self, subject: &Subject, op: &Op, value: Option<Val<'_>>) -> Option<String> {
        let name = subject.name();
        if let Op::Present(want) = op {
            return match (&value, want) {
                (Some(v), true) => Some(format!("{name} present ({})", show(v))),
                (None, false) => Some(format!("{name} absent")),
                _ => None,
            };
        }
        let value = value?;
        let matched: Option<String> = match (op, &value) {
            (Op::Equals(Scalar::Text(want)), Val::Text(got)) => eq_ci(got, want).then(|| show(&value)),
            (Op::Equals(Scalar::Bool(want)), Val::Bool(got)) => (want == got).then(|| got.to_string()),
            (Op::Equals(want), Val::Int(_) | Val::Num(_)) => {
                let w = match want {
                    Scalar::Integer(i) => *i as f64,
                    Scalar::Number(n) => *n,
                    _ => return None,
                };
                (number(&value) == Some(w)).then(|| show(&value))
            }
            (Op::In { values, .. }, Val::Text(got)) => find_ci(got, values).map(|_| show(&value)),
            (Op::In { values, .. }, Val::List(items)) => items.iter().find(|i| find_ci(i, values).is_some()).map(|i| format!("has {i}")),
            (Op::DomainIn { domains, list }, Val::Text(got)) => {
                let d = normalize_domain_cow(got)?;
                in_domains(&d, domains).then(|| format!("{d} (in {list})"))
            }
            (Op::ContainsKeyword { phrases, .. }, Val::Text(got)) => contains_phrase(got, phrases),
            (Op::ContainsKeyword { phrases, .. }, Val::List(items)) => items.iter().find_map(|i| contains_phrase(i, phrases)),
            (Op::Range { min, max }, _) => {
                let v = number(&value)?;
                let ok = min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m);
                ok.then(|| match (min, max) {
                    (Some(a), Some(b)) => format!("{} (in {a}..{b})", show(&value)),
                    (Some(a), None) => format!("{} (at least {a})", show(&value)),
                    (None, Some(b)) => format!("{} (at most {b})", show(&value)),
                    (None, None) => show(&value),
                })
            }
            (Op::Is(want), Val::Bool(got)) => (want == got).then(|| got.to_string()),
            (Op::WithinNextDays(days), Val::Time(t)) => {
                let today = day_number(self.as_of);
                let d = day_number(t.as_second());
                (d >= today && d - today <= i64::from(*days)).then(|| format!("{} (in {} days)", date(t.as_second()), d - today))
            }
            (Op::WithinLastDays(days), Val::Time(t)) => {
                let s = t.as_second();
                (s <= self.as_of && s >= self.as_of - i64::from(*days) * DAY).then(|| date(s))
            }
            _ => None,
        };
        let detail = matched?;
        Some(match subject {
            Subject::Fact(Fact::Seniority) => match &self.facts.lead().title {
                Some(t) => format!("seniority {detail} (title \"{t}\")"),
                None => format!("seniority {detail}"),
            },
            Subject::Fact(Fact::EmailKind) => match self.facts.email().and_then(|e| e.domain.as_deref()) {
                Some(d) => format!("{detail} email ({d})"),
                None => format!("{detail} email"),
            },
            Subject::Fact(Fact::GibberishName) if detail == "true" => {
                format!("gibberish name: {}", self.facts.gibberish().unwrap_or("machine-made"))
            }
            Subject::Fact(Fact::PhoneValid) if detail == "true" => "phone number is valid".to_string(),
            Subject::Fact(Fact::Duplicate) if detail == "false" => "no duplicate of this lead".to_string(),
            Subject::Fact(Fact::BotUserAgent) if detail == "true" => match self.bot_agent_at() {
                Some(at) => format!("an event on {} came from a bot user agent", datetime(at)),
                None => "bot user agent".to_string(),
            },
            Subject::Fact(Fact::FormBurst) if detail == "true" => match self.form_burst() {
                Some((at, span)) => format!("{} form_submit within {span} s from {}", super::risk::FORM_BURST_COUNT, datetime(at)),
                None => "form burst".to_string(),
            },
            Subject::Fact(Fact::IpBurst) if detail == "true" => format!(
                "sign-ups of {}+ leads from one of its IPs within {} minutes",
                super::risk::IP_BURST_LEADS,
                super::risk::IP_BURST_SECONDS / 60
            ),
            Subject::Fact(Fact::CountryPhoneMismatch) if detail == "true" => {
                format!("phone prefix: {}", self.facts.country_phone_mismatch().unwrap_or_default())
            }
            Subject::Fact(Fact::BotRisk) => {
                let reasons = self.risk_reasons();
                if reasons.is_empty() {
                    format!("bot risk {detail}: no risk signal")
                } else {
                    format!("bot risk {detail}: {}", reasons.join(", "))
                }
            }
            _ if detail.starts_with("has ") || detail.starts_with("mentions ") => format!("{name} {detail}"),
            _ => format!("{name}: {detail}"),
        })
    }

    fn eval_events(&self, ec: &EventCond) -> Option<String> {
        let bit = 1u64 << ec.filter;
        let hi = self.as_of;
        let lo = ec.within_days.map_or(i64::MIN, |d| hi - i64::from(d) * DAY);
        let window = in_window(self.events, lo, hi);
        let matching = || window.iter().filter(move |e| e.filters & bit != 0);
        let span = ec.within_days.map_or(String::new(), |d| format!(" in the last {d} days"));

        if let Some((count, seconds)) = ec.burst {
            let hits: Vec<&ProjectedEvent> = matching().collect();
            let need = count as usize;
            return hits
                .windows(need)
                .find(|w| w[need - 1].at - w[0].at <= i64::from(seconds))
                .map(|w| format!("{count} {} within {seconds} s from {}", self.strings.get(w[0].type_id), datetime(w[0].at)));
        }
        if let Some((follow_filter, days)) = ec.followed_by {
            let fbit = 1u64 << follow_filter;
            let reach = i64::from(days) * DAY;
            // Latest anchor first: the freshest evidence is the most useful to a rep.
            for anchor in matching().collect::<Vec<_>>().into_iter().rev() {
                let end = (anchor.at + reach).min(hi);
                let after = in_window(self.events, anchor.at + 1, end);
                if let Some(next) = after.iter().find(|e| e.filters & fbit != 0) {
                    return Some(format!(
                        "{} on {}, then {} on {}",
                        self.describe_event(anchor),
                        date(anchor.at),
                        self.describe_event(next),
                        date(next.at)
                    ));
                }
            }
            return None;
        }
        if let Some(key) = ec.distinct {
            let mut seen: Vec<u32> = Vec::new();
            for e in matching() {
                let k = match key {
                    DistinctKey::Path => e.path_id,
                    DistinctKey::Property(slot) => e.keys[slot],
                };
                if k != NONE && !seen.contains(&k) {
                    seen.push(k);
                }
            }
            if seen.len() < ec.at_least as usize {
                return None;
            }
            let what = match key {
                DistinctKey::Path => "pages".to_string(),
                DistinctKey::Property(_) => "values".to_string(),
            };
            let mut names: Vec<&str> = seen.iter().map(|k| self.strings.get(*k)).collect();
            names.sort_unstable();
            return Some(format!("{} distinct {what}{span}: {}", seen.len(), names.join(", ")));
        }
        let mut count = 0u32;
        let mut latest: Option<&ProjectedEvent> = None;
        for e in matching() {
            count += 1;
            latest = Some(e);
        }
        if count < ec.at_least {
            return None;
        }
        let latest = latest?;
        let first = format!("{} on {}", self.describe_event(latest), date(latest.at));
        Some(if count > 1 { format!("{first} ({count} times{span})") } else { first })
    }

    fn describe_event(&self, e: &ProjectedEvent) -> String {
        let t = self.strings.get(e.type_id);
        if e.path_id == NONE { t.to_string() } else { format!("{t} {}", self.strings.get(e.path_id)) }
    }
}

/// The events with `lo <= at <= hi` (events are sorted by time).
fn in_window(events: &[ProjectedEvent], lo: i64, hi: i64) -> &[ProjectedEvent] {
    let start = events.partition_point(|e| e.at < lo);
    let end = events.partition_point(|e| e.at <= hi);
    events.get(start..end.max(start)).unwrap_or(&[])
}

fn number(v: &Val<'_>) -> Option<f64> {
    match v {
        Val::Int(i) => Some(*i as f64),
        Val::Num(n) => Some(*n),
        _ => None,
    }
}

fn show(v: &Val<'_>) -> String {
    match v {
        Val::Text(s) => s.to_string(),
        Val::Int(i) => i.to_string(),
        Val::Num(n) => n.to_string(),
        Val::Bool(b) => b.to_string(),
        Val::Time(t) => date(t.as_second()),
        Val::List(items) => items.join(";"),
    }
}

/// Case-insensitive equality; `want` is already lower case.
fn eq_ci(got: &str, want: &str) -> bool {
    find_ci(got, std::slice::from_ref(&want)).is_some()
}

/// The first of `values` (each already lower case) equal to `got` ignoring case and the
/// white space around `got`; `got` is trimmed and lower-cased once for the whole list.
fn find_ci<'v, V: AsRef<str>>(got: &str, values: &'v [V]) -> Option<&'v V> {
    let got = crate::records::trim(got);
    if got.is_ascii() {
        values.iter().find(|v| got.eq_ignore_ascii_case(v.as_ref()))
    } else {
        let lower = got.to_lowercase();
        values.iter().find(|v| v.as_ref() == lower)
    }
}

/// The first phrase found in `text` as whole words, with the evidence.
fn contains_phrase(text: &str, phrases: &Phrases) -> Option<String> {
    phrases.first_in(text).map(|p| format!("mentions \"{p}\""))
}

/// Whether the normalised domain `d` is one of `domains` or a subdomain of one.
fn in_domains(d: &str, domains: &[String]) -> bool {
    domains.iter().any(|x| d == x.as_str() || (d.ends_with(x.as_str()) && d[..d.len() - x.len()].ends_with('.')))
}

/// Days since the Unix epoch of a UTC time (floor).
fn day_number(secs: i64) -> i64 {
    secs.div_euclid(DAY)
}

/// "2026-03-02" for a Unix time.
pub(crate) fn date(secs: i64) -> String {
    Timestamp::from_second(secs).map_or_else(|_| secs.to_string(), |t| jiff::tz::TimeZone::UTC.to_datetime(t).date().to_string())
}

/// "2026-03-02T10:00:00Z" for a Unix time.
pub(crate) fn datetime(secs: i64) -> String {
    Timestamp::from_second(secs).map_or_else(|_| secs.to_string(), |t| t.to_string())
}

/// A short text of what a condition asks, for explanations of rules that did not fire.
pub(crate) fn describe(cond: &Cond) -> String {
    match cond {
        Cond::Any(c) => c.iter().map(describe).collect::<Vec<_>>().join(" or "),
        Cond::All(c) => c.iter().map(describe).collect::<Vec<_>>().join(" and "),
        Cond::Not(c) => format!("not ({})", describe(c)),
        Cond::AccountEngaged { at_least, days, .. } => {
            format!("{at_least} or more people of the account engaged in {days} days")
        }
        Cond::Events(ec) => ec.text.clone(),
        Cond::Value { subject, op } => {
            let n = subject.name();
            match op {
                Op::Equals(v) => format!("{n} = {}", scalar(v)),
                Op::In { list, .. } => format!("{n} in {list}"),
                Op::DomainIn { list, .. } => format!("{n} in {list}"),
                Op::ContainsKeyword { list, .. } => format!("{n} mentions {list}"),
                Op::Range { min, max } => {
                    format!("{n} in {}..{}", min.map_or(String::new(), |m| m.to_string()), max.map_or(String::new(), |m| m.to_string()))
                }
                Op::Present(true) => format!("{n} present"),
                Op::Present(false) => format!("{n} absent"),
                Op::Is(b) => format!("{n} is {b}"),
                Op::WithinNextDays(d) => format!("{n} within the next {d} days"),
                Op::WithinLastDays(d) => format!("{n} within the last {d} days"),
            }
        }
    }
}

fn scalar(v: &Scalar) -> String {
    match v {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Integer(i) => i.to_string(),
        Scalar::Number(n) => n.to_string(),
        Scalar::Text(s) => s.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_days() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(-1), "1969-12-31");
        assert_eq!(date(1_772_445_599), "2026-03-02");
        assert_eq!(date(1_772_445_600), "2026-03-02");
        assert_eq!(datetime(1_772_445_600), "2026-03-02T10:00:00Z");
        // Out of jiff's range: the seconds, not a panic.
        assert_eq!(date(i64::MAX), i64::MAX.to_string());
    }
}
