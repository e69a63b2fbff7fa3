//! A mutable, in-memory book of leads, accounts, events and consent records that scores any
//! one lead at any time T in microseconds, exactly as a batch [`super::Dataset`] of the same
//! records would (a property test holds the two together).
//!
//! Every change says which leads it may have changed the score of: the lead itself, the
//! leads that share a duplicate key with it (the `duplicate` fact) and the people of its
//! account (account engagement). The service rescores just those.

use std::sync::Arc;

use jiff::Timestamp;
use rustc_hash::{FxHashMap, FxHashSet};
use xxhash_rust::xxh3::xxh3_128;

use super::dataset::{LoadError, event_id_hash, event_order};
use super::eval::LeadContext;
use super::facts::{DuplicateKeys, LeadFacts, PopulationFacts, account_key};
use super::project::{NONE, ProjectedEvent, Projector};
use super::risk::in_ip_burst;
use super::{EventAdded, Score, eval_signals, score_lead};
use crate::model::CompiledModel;
use crate::model::compile::{DAY, TypeMatch};
use crate::records::{Account, ConsentRecord, ConsentStatus, Event, Lead, MARKETING_PURPOSE};

/// 128-bit key hashes of one lead; 0 means "no such key".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Keys {
    account: u128,
    email: u128,
    name_in_account: u128,
}

impl Keys {
    fn of(lead: &Lead) -> Self {
        let hash = |s: &str| xxh3_128(s.as_bytes()).max(1);
        let facts = LeadFacts::new(lead);
        let key = account_key(lead, facts.corporate_domain());
        let dup = DuplicateKeys::from_facts(&facts, key.as_deref());
        Keys {
            account: key.as_deref().map_or(0, hash),
            email: dup.email.as_deref().map_or(0, hash),
            name_in_account: dup.name_in_account.as_ref().map_or(0, |(k, n)| hash(&format!("{k}\u{0}{n}"))),
        }
    }
}

/// One lead and what hangs off it.
#[derive(Debug)]
struct Slot {
    lead: Lead,
    keys: Keys,
    /// Projected events, in [`event_order`].
    events: Vec<ProjectedEvent>,
    /// Hashes of the ids of `events`, so that erasure can forget them.
    event_ids: Vec<u128>,
    /// Marketing consent (time, granted), by time; equal times keep arrival order.
    marketing: Vec<(Timestamp, bool)>,
}

/// The leads whose score a change may have moved, by lead id (sorted, no repeats).
pub type Affected = Vec<String>;

/// Leads, accounts, events and consent records, kept for scoring one lead at a time.
pub struct LiveBook {
    model: Arc<CompiledModel>,
    slots: Vec<Option<Slot>>,
    index: FxHashMap<Box<str>, u32>,
    accounts: FxHashMap<String, Account>,
    projector: Projector,
    seen: FxHashSet<u128>,
    by_email: FxHashMap<u128, Vec<u32>>,
    by_name: FxHashMap<u128, Vec<u32>>,
    by_account: FxHashMap<u128, Vec<u32>>,
    /// Sign-ups (time, lead) per interned IP, sorted (only when the model reads bot risk).
    by_ip: FxHashMap<u32, Vec<(i64, u32)>>,
    windows: Vec<i64>,
    uses_account_engagement: bool,
}

impl LiveBook {
    /// An empty book scoring with `model`.
    pub fn new(model: Arc<CompiledModel>) -> Self {
        LiveBook {
            projector: Projector::new(&model),
            windows: model.day_windows(),
            uses_account_engagement: !model.account_windows.is_empty(),
            model,
            slots: Vec::new(),
            index: FxHashMap::default(),
            accounts: FxHashMap::default(),
            seen: FxHashSet::default(),
            by_email: FxHashMap::default(),
            by_name: FxHashMap::default(),
            by_account: FxHashMap::default(),
            by_ip: FxHashMap::default(),
        }
    }

    /// The model the book scores with.
    pub fn model(&self) -> &Arc<CompiledModel> {
        &self.model
    }

    /// Number of leads.
    pub fn lead_count(&self) -> usize {
        self.index.len()
    }

    /// Number of (deduplicated) events.
    pub fn event_count(&self) -> usize {
        self.seen.len()
    }

    /// A lead by id.
    pub fn lead(&self, lead_id: &str) -> Option<&Lead> {
        self.slot(lead_id).map(|s| &s.lead)
    }

    /// An account by id.
    pub fn account(&self, account_id: &str) -> Option<&Account> {
        self.accounts.get(account_id)
    }

    /// Every lead, in no particular order.
    pub fn leads(&self) -> impl Iterator<Item = &Lead> {
        self.slots.iter().flatten().map(|s| &s.lead)
    }

    /// Whether an event id has been counted.
    pub fn has_event(&self, event_id: &str) -> bool {
        self.seen.contains(&event_id_hash(event_id))
    }

    fn slot(&self, lead_id: &str) -> Option<&Slot> {
        self.index.get(lead_id).and_then(|&i| self.slots[i as usize].as_ref())
    }

    /// Adds a lead or replaces the lead with the same id; returns whether it was new and the
    /// leads to rescore.
    pub fn upsert_lead(&mut self, lead: Lead) -> (bool, Affected) {
        let keys = Keys::of(&lead);
        let mut touched: FxHashSet<u32> = FxHashSet::default();
        let (idx, created) = match self.index.get(lead.lead_id.as_str()) {
            Some(&i) => (i, false),
            None => {
                let i = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
                self.index.insert(lead.lead_id.as_str().into(), i);
                self.slots.push(None);
                (i, true)
            }
        };
        let old = self.slots[idx as usize].take();
        let (events, event_ids, marketing) = match old {
            Some(old) => {
                self.unlink(idx, old.keys, &mut touched);
                (old.events, old.event_ids, old.marketing)
            }
            None => Default::default(),
        };
        self.link(idx, keys, &mut touched);
        self.slots[idx as usize] = Some(Slot { lead, keys, events, event_ids, marketing });
        touched.insert(idx);
        (created, self.ids(touched))
    }

    /// Adds or replaces an account; returns the leads to rescore (those naming it).
    pub fn upsert_account(&mut self, account: Account) -> Affected {
        let key = xxh3_128(format!("id:{}", account.account_id).as_bytes()).max(1);
        self.accounts.insert(account.account_id.clone(), account);
        let touched: FxHashSet<u32> = self.by_account.get(&key).into_iter().flatten().copied().collect();
        self.ids(touched)
    }

    /// Adds an event. The first event with a given id counts; later ones are duplicates and
    /// change nothing. An event of an unknown lead is an error.
    pub fn add_event(&mut self, event: &Event) -> Result<(EventAdded, Affected), LoadError> {
        let Some(&idx) = self.index.get(event.lead_id.as_str()) else {
            return Err(LoadError::UnknownLead(event.lead_id.clone()));
        };
        let hash = event_id_hash(&event.event_id);
        if !self.seen.insert(hash) {
            return Ok((EventAdded::Duplicate, Vec::new()));
        }
        let projected = self.projector.project(idx, &event.event_type, event.occurred_at, event.url.as_deref(), event.properties.as_ref());
        let strings = &self.projector.strings;
        let Some(slot) = self.slots[idx as usize].as_mut() else {
            return Err(LoadError::UnknownLead(event.lead_id.clone()));
        };
        let at = slot.events.partition_point(|e| event_order(strings, e, &projected).is_le());
        slot.events.insert(at, projected);
        slot.event_ids.push(hash);
        let mut touched: FxHashSet<u32> = FxHashSet::default();
        touched.insert(idx);
        if self.uses_account_engagement && TypeMatch::Engagement.matches(&event.event_type) && slot.keys.account != 0 {
            touched.extend(self.by_account.get(&slot.keys.account).into_iter().flatten().copied());
        }
        if projected.ip != NONE {
            let signups = self.by_ip.entry(projected.ip).or_default();
            let at = signups.partition_point(|x| *x <= (projected.at, idx));
            signups.insert(at, (projected.at, idx));
            touched.extend(signups.iter().map(|x| x.1));
        }
        Ok((EventAdded::Accepted, self.ids(touched)))
    }

    /// Adds a consent record of a known lead; only `marketing` records change the score.
    pub fn add_consent(&mut self, record: &ConsentRecord) -> Result<Affected, LoadError> {
        let Some(&idx) = self.index.get(record.lead_id.as_str()) else {
            return Err(LoadError::UnknownLead(record.lead_id.clone()));
        };
        let Some(slot) = self.slots[idx as usize].as_mut() else {
            return Err(LoadError::UnknownLead(record.lead_id.clone()));
        };
        if record.purpose != MARKETING_PURPOSE {
            return Ok(Vec::new());
        }
        let at = slot.marketing.partition_point(|(t, _)| *t <= record.at);
        slot.marketing.insert(at, (record.at, record.status == ConsentStatus::Granted));
        Ok(vec![record.lead_id.clone()])
    }

    /// Forgets a lead with its events and consent records (erasure); returns the other leads
    /// to rescore, or `None` when the lead is unknown.
    pub fn remove_lead(&mut self, lead_id: &str) -> Option<Affected> {
        let idx = self.index.remove(lead_id)?;
        let slot = self.slots[idx as usize].take()?;
        let mut touched = FxHashSet::default();
        self.unlink(idx, slot.keys, &mut touched);
        for ip in slot.events.iter().map(|e| e.ip).filter(|ip| *ip != NONE) {
            if let Some(signups) = self.by_ip.get_mut(&ip) {
                signups.retain(|x| x.1 != idx);
                touched.extend(signups.iter().map(|x| x.1));
                if signups.is_empty() {
                    self.by_ip.remove(&ip);
                }
            }
        }
        for id in &slot.event_ids {
            self.seen.remove(id);
        }
        touched.remove(&idx);
        Some(self.ids(touched))
    }

    /// Runs `f` on the lead's evaluation context at `as_of`.
    fn with_context<R>(&self, lead_id: &str, as_of: Timestamp, f: impl FnOnce(&LeadContext<'_>) -> R) -> Option<R> {
        let idx = *self.index.get(lead_id)?;
        let slot = self.slots[idx as usize].as_ref()?;
        let t = as_of.as_second();
        let shares = |map: &FxHashMap<u128, Vec<u32>>, key: u128| key != 0 && map.get(&key).is_some_and(|v| v.len() > 1);
        let engaged_people = if slot.keys.account == 0 {
            Vec::new()
        } else {
            let members = self.by_account.get(&slot.keys.account).map_or(&[][..], Vec::as_slice);
            let last: Vec<Option<i64>> = members.iter().map(|&m| self.last_engagement(m, t)).collect();
            self.model.account_windows.iter().map(|w| last.iter().filter(|l| l.is_some_and(|l| l >= t - w)).count() as u32).collect()
        };
        let known = slot.marketing.partition_point(|(at, _)| *at <= as_of);
        let population = PopulationFacts {
            duplicate: shares(&self.by_email, slot.keys.email) || shares(&self.by_name, slot.keys.name_in_account),
            engaged_people,
            phone_valid: None,
            consent: known.checked_sub(1).map(|i| (slot.marketing[i].1, slot.marketing[i].0)),
            ip_burst: self.model.risk.is_some()
                && slot.events.iter().filter(|e| e.ip != NONE && e.at <= t).any(|e| {
                    let signups = self.by_ip.get(&e.ip).map_or(&[][..], Vec::as_slice);
                    let known = signups.partition_point(|x| x.0 <= t);
                    in_ip_burst(&signups[..known], idx)
                }),
        };
        let ctx = LeadContext {
            facts: LeadFacts::new(&slot.lead),
            account: slot.lead.account_id.as_deref().and_then(|a| self.accounts.get(a)),
            events: &slot.events,
            strings: &self.projector.strings,
            population: &population,
            as_of: t,
            risk: self.model.risk,
        };
        Some(f(&ctx))
    }

    /// The lead's score at `as_of`, as the batch engine computes it.
    pub fn score(&self, lead_id: &str, as_of: Timestamp) -> Option<Score> {
        self.with_context(lead_id, as_of, |ctx| score_lead(&self.model, ctx))
    }

    /// The ids of the model's rules whose condition is settled by the lead's record (see
    /// `LeadContext::settled`): what no next step of a person can change.
    pub fn settled_rules(&self, lead_id: &str, as_of: Timestamp) -> Option<Vec<Arc<str>>> {
        self.with_context(lead_id, as_of, |ctx| self.model.rules.iter().filter(|r| ctx.settled(&r.when)).map(|r| r.id.clone()).collect())
    }

    /// The ids of the model's signals that hold for the lead at `as_of`.
    pub fn signals(&self, lead_id: &str, as_of: Timestamp) -> Option<Vec<Arc<str>>> {
        self.with_context(lead_id, as_of, |ctx| eval_signals(&self.model, ctx))
    }

    /// The earliest time after `after` at which the lead's score may change with no new data
    /// (an event entering or leaving a window, a date coming within range), or `None` when
    /// it can no longer change by itself. It may name times at which nothing changes; it
    /// never misses a change.
    pub fn next_change_after(&self, lead_id: &str, after: Timestamp) -> Option<Timestamp> {
        let idx = *self.index.get(lead_id)?;
        let slot = self.slots[idx as usize].as_ref()?;
        let t = after.as_second();
        let mut best: Option<i64> = None;
        let mut consider = |c: i64| {
            if c > t && best.is_none_or(|b| c < b) {
                best = Some(c);
            }
        };
        let windows = &self.windows;
        let event_times = |events: &[ProjectedEvent], consider: &mut dyn FnMut(i64)| {
            for e in events {
                for w in windows {
                    consider(e.at + w);
                    consider(e.at + w + 1);
                }
            }
        };
        event_times(&slot.events, &mut consider);
        if self.uses_account_engagement && slot.keys.account != 0 {
            for &m in self.by_account.get(&slot.keys.account).into_iter().flatten() {
                if m != idx
                    && let Some(other) = self.slots[m as usize].as_ref()
                {
                    event_times(&other.events, &mut consider);
                }
            }
        }
        let lead = &slot.lead;
        let mut times: Vec<i64> =
            [lead.created_at, lead.consent_at, lead.contract_end].into_iter().flatten().map(|ts| ts.as_second()).collect();
        times.extend(slot.marketing.iter().map(|(at, _)| at.as_second()));
        for (name, ty) in &self.model.custom_fields {
            if *ty == crate::records::FieldType::Time
                && let Some(Ok(Some(ts))) = lead.custom_field(name).map(crate::records::parse_time)
            {
                times.push(ts.as_second());
            }
        }
        for v in times {
            let day = v.div_euclid(DAY) * DAY;
            for w in windows {
                consider(v + w);
                consider(v + w + 1);
                consider(day - w);
                consider(day + DAY);
            }
        }
        best.and_then(|s| Timestamp::from_second(s).ok())
    }

    /// Time of lead number `idx`'s latest engagement event at or before `t`.
    /// The lead's last engagement event at or before `as_of`, and how many
    /// engagement events it had in the `within_days` before `as_of`.
    pub fn engagement(&self, lead_id: &str, as_of: Timestamp, within_days: u32) -> Option<(Option<Timestamp>, u32)> {
        let idx = *self.index.get(lead_id)?;
        let slot = self.slots[idx as usize].as_ref()?;
        let t = as_of.as_second();
        let from = t - i64::from(within_days) * DAY;
        let mut last = None;
        let mut count = 0u32;
        for e in slot.events.iter().filter(|e| e.at <= t) {
            if TypeMatch::Engagement.matches(self.projector.strings.get(e.type_id)) {
                last = Some(last.map_or(e.at, |l: i64| l.max(e.at)));
                if e.at >= from {
                    count += 1;
                }
            }
        }
        Some((last.and_then(|s| Timestamp::from_second(s).ok()), count))
    }

    fn last_engagement(&self, idx: u32, t: i64) -> Option<i64> {
        let slot = self.slots.get(idx as usize)?.as_ref()?;
        slot.events
            .iter()
            .rev()
            .filter(|e| e.at <= t)
            .find(|e| TypeMatch::Engagement.matches(self.projector.strings.get(e.type_id)))
            .map(|e| e.at)
    }

    fn link(&mut self, idx: u32, keys: Keys, touched: &mut FxHashSet<u32>) {
        for (map, key) in
            [(&mut self.by_email, keys.email), (&mut self.by_name, keys.name_in_account), (&mut self.by_account, keys.account)]
        {
            if key != 0 {
                let list = map.entry(key).or_default();
                touched.extend(list.iter().copied());
                list.push(idx);
            }
        }
    }

    fn unlink(&mut self, idx: u32, keys: Keys, touched: &mut FxHashSet<u32>) {
        for (map, key) in
            [(&mut self.by_email, keys.email), (&mut self.by_name, keys.name_in_account), (&mut self.by_account, keys.account)]
        {
            if key == 0 {
                continue;
            }
            if let Some(list) = map.get_mut(&key) {
                list.retain(|&i| i != idx);
                touched.extend(list.iter().copied());
                if list.is_empty() {
                    map.remove(&key);
                }
            }
        }
    }

    fn ids(&self, touched: FxHashSet<u32>) -> Affected {
        let mut out: Vec<String> =
            touched.into_iter().filter_map(|i| self.slots.get(i as usize)?.as_ref().map(|s| s.lead.lead_id.clone())).collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::DatasetBuilder;
    use crate::model::builtin::default_model;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn lead(id: &str, email: &str, account: Option<&str>) -> Lead {
        Lead {
            lead_id: id.into(),
            email: Some(email.into()),
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            title: Some("VP Engineering".into()),
            company: Some("Acme".into()),
            account_id: account.map(Into::into),
            country: Some("US".into()),
            employees: Some(500),
            industry: Some("software".into()),
            ..Lead::default()
        }
    }

    fn event(id: &str, lead: &str, kind: &str, at: &str, url: Option<&str>) -> Event {
        Event {
            event_id: id.into(),
            lead_id: lead.into(),
            event_type: kind.into(),
            occurred_at: ts(at),
            url: url.map(Into::into),
            properties: None,
        }
    }

    fn batch(model: &CompiledModel, leads: &[Lead], events: &[Event], as_of: Timestamp) -> Vec<Score> {
        let mut b = DatasetBuilder::new(model);
        for l in leads {
            b.add_lead(l.clone()).unwrap();
        }
        for e in events {
            b.add_event(e).unwrap();
        }
        b.build().score_all(model, as_of, &|_| {})
    }

    #[test]
    fn live_scores_equal_batch_scores_and_windows_expire() {
        let model = Arc::new(default_model());
        let leads = vec![lead("a", "ada@acme.com", None), lead("b", "bob@acme.com", None), lead("c", "ada@acme.com", Some("X"))];
        let events = vec![
            event("e1", "a", "demo_request", "2026-06-01T10:00:00Z", None),
            event("e2", "b", "page_view", "2026-06-20T10:00:00Z", Some("https://acme.com/pricing")),
            event("e3", "a", "page_view", "2026-06-25T10:00:00Z", Some("https://x.io/pricing")),
        ];
        let mut book = LiveBook::new(model.clone());
        for l in &leads {
            book.upsert_lead(l.clone());
        }
        for e in &events {
            book.add_event(e).unwrap();
        }
        assert_eq!(book.add_event(&events[0]).unwrap().0, EventAdded::Duplicate);
        let mut t = ts("2026-06-26T00:00:00Z");
        for _ in 0..6 {
            let want = batch(&model, &leads, &events, t);
            for w in &want {
                assert_eq!(book.score(&w.lead_id, t).as_ref(), Some(w), "at {t}");
            }
            t = book.next_change_after("a", t).expect("a window ends");
        }
    }

    #[test]
    fn changes_name_the_leads_to_rescore() {
        let model = Arc::new(default_model());
        let mut book = LiveBook::new(model);
        book.upsert_lead(lead("a", "ada@acme.com", None));
        let (created, affected) = book.upsert_lead(lead("b", "ada@acme.com", None));
        assert!(created);
        assert_eq!(affected, vec!["a".to_string(), "b".to_string()], "a becomes a duplicate of b");
        let (_, affected) = book.add_event(&event("e", "b", "webinar", "2026-06-01T00:00:00Z", None)).unwrap();
        assert_eq!(affected, vec!["a".to_string(), "b".to_string()], "account engagement");
        assert_eq!(book.remove_lead("b"), Some(vec!["a".to_string()]));
        assert!(!book.has_event("e"), "erasure forgets the event ids");
        assert!(book.score("b", ts("2026-06-02T00:00:00Z")).is_none());
    }
}
