//! A batch of leads, accounts and projected events, and the scoring of all of it at once.

use jiff::Timestamp;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use xxhash_rust::xxh3::xxh3_128;

use super::eval::LeadContext;
use super::facts::{DuplicateKeys, LeadFacts, PopulationFacts, account_key};
use super::project::{Interner, NONE, ProjectedEvent, Projector};
use super::{Evidence, Score, score_lead_with};
use crate::model::CompiledModel;
use crate::model::compile::{NON_ENGAGEMENT, TypeMatch};
use crate::records::{Account, ConsentRecord, ConsentStatus, Event, Lead, MARKETING_PURPOSE};

/// Why a record was not added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("lead_id '{0}' appears twice (lead ids must be unique)")]
    DuplicateLead(String),
    #[error("account_id '{0}' appears twice (account ids must be unique)")]
    DuplicateAccount(String),
    #[error("lead_id '{0}' is not in the leads input")]
    UnknownLead(String),
}

/// What happened to an event handed to [`DatasetBuilder::add_event`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventAdded {
    Accepted,
    /// The event id was seen before; the event counts once.
    Duplicate,
}

/// Collects leads, then accounts and events, into a [`Dataset`].
///
/// Leads must be added before their events (events name their lead). Event ids are kept as
/// 128-bit hashes only: two different ids collide with negligible probability (about 1e-25
/// for ten million events), which is how ten million ids fit in memory.
pub struct DatasetBuilder {
    leads: Vec<Lead>,
    lead_index: LeadIndex,
    accounts: FxHashMap<String, Account>,
    projector: Projector,
    events: Vec<ProjectedEvent>,
    seen: FxHashSet<u128>,
    consents: Vec<ConsentRecord>,
}

impl DatasetBuilder {
    /// An empty builder for `model`.
    pub fn new(model: &CompiledModel) -> Self {
        DatasetBuilder {
            leads: Vec::new(),
            lead_index: LeadIndex::default(),
            accounts: FxHashMap::default(),
            projector: Projector::new(model),
            events: Vec::new(),
            seen: FxHashSet::default(),
            consents: Vec::new(),
        }
    }

    /// Adds a lead; a lead id seen before is an error and the first one is kept.
    pub fn add_lead(&mut self, lead: Lead) -> Result<(), LoadError> {
        if self.lead_index.get(&self.leads, &lead.lead_id).is_some() {
            return Err(LoadError::DuplicateLead(lead.lead_id));
        }
        let idx = u32::try_from(self.leads.len()).map_err(|_| LoadError::DuplicateLead(lead.lead_id.clone()))?;
        self.leads.push(lead);
        self.lead_index.insert(&self.leads, idx);
        Ok(())
    }

    /// Adds an account; an account id seen before is an error and the first one is kept.
    pub fn add_account(&mut self, account: Account) -> Result<(), LoadError> {
        if self.accounts.contains_key(&account.account_id) {
            return Err(LoadError::DuplicateAccount(account.account_id));
        }
        self.accounts.insert(account.account_id.clone(), account);
        Ok(())
    }

    /// Adds a consent record (after the leads, since it names its lead); an unknown lead is
    /// an error. When scoring at T, a lead's `consent` and `consent_at` come from its latest
    /// `marketing` record at or before T (see [`Dataset::consent_at`]); records for other
    /// purposes are kept in [`Dataset::consents`] without changing the score.
    pub fn add_consent(&mut self, record: ConsentRecord) -> Result<(), LoadError> {
        if self.lead_index.get(&self.leads, &record.lead_id).is_none() {
            return Err(LoadError::UnknownLead(record.lead_id));
        }
        self.consents.push(record);
        Ok(())
    }

    /// Reserves room for `n` more leads (a hint: growing a vector of a million leads by
    /// doubling copies and faults in about twice their memory).
    pub fn reserve_leads(&mut self, n: usize) {
        self.leads.reserve(n);
        let leads = &self.leads;
        self.lead_index.table.reserve(n, |&i| LeadIndex::hash(&leads[i as usize].lead_id));
    }

    /// Reserves room for `n` more events.
    pub fn reserve_events(&mut self, n: usize) {
        self.events.reserve(n);
        self.seen.reserve(n);
    }

    /// The index of a lead id, for readers that project events themselves.
    pub fn lead_index(&self, lead_id: &str) -> Option<u32> {
        self.lead_index.get(&self.leads, lead_id)
    }

    /// Adds an event. The first event with a given id counts; later ones are duplicates.
    pub fn add_event(&mut self, event: &Event) -> Result<EventAdded, LoadError> {
        self.add_event_parts(
            &event.event_id,
            &event.lead_id,
            &event.event_type,
            event.occurred_at,
            event.url.as_deref(),
            event.properties.as_ref(),
        )
    }

    /// [`Self::add_event`] from borrowed parts, so readers need not allocate an [`Event`].
    pub fn add_event_parts(
        &mut self,
        event_id: &str,
        lead_id: &str,
        event_type: &str,
        occurred_at: Timestamp,
        url: Option<&str>,
        properties: Option<&serde_json::Map<String, serde_json::Value>>,
    ) -> Result<EventAdded, LoadError> {
        let Some(lead) = self.lead_index.get(&self.leads, lead_id) else {
            return Err(LoadError::UnknownLead(lead_id.to_string()));
        };
        if !self.seen.insert(event_id_hash(event_id)) {
            return Ok(EventAdded::Duplicate);
        }
        let projected = self.projector.project(lead, event_type, occurred_at, url, properties);
        self.events.push(projected);
        Ok(EventAdded::Accepted)
    }

    /// Adds an event projected elsewhere (by a per-thread [`Projector`] whose ids were
    /// remapped to [`Self::projector_mut`]'s), with the 128-bit hash of its id.
    pub fn add_projected(&mut self, id_hash: u128, event: ProjectedEvent) -> EventAdded {
        if !self.seen.insert(id_hash) {
            return EventAdded::Duplicate;
        }
        self.events.push(event);
        EventAdded::Accepted
    }

    /// Borrows the lead lookup and the event sink apart, so that a reader can parse and
    /// project events on other threads (looking leads up) while it adds events projected
    /// earlier.
    pub fn split_events(&mut self) -> (LeadLookup<'_>, EventSink<'_>) {
        (
            LeadLookup { leads: &self.leads, index: &self.lead_index },
            EventSink { projector: &mut self.projector, events: &mut self.events, seen: &mut self.seen },
        )
    }

    /// The builder's own projector, whose string ids the dataset uses.
    pub fn projector_mut(&mut self) -> &mut Projector {
        &mut self.projector
    }

    /// Number of leads added so far.
    pub fn lead_count(&self) -> usize {
        self.leads.len()
    }

    /// Finishes the dataset: applies the consent records (see [`Self::add_consent`]), groups
    /// events by lead and sorts each lead's events by time.
    pub fn build(self) -> Dataset {
        let DatasetBuilder { leads, lead_index, accounts, projector, mut events, seen, consents } = self;
        drop(seen);
        let marketing = marketing_consents(&leads, &lead_index, &consents);
        drop(lead_index);
        let strings = &projector.strings;
        // Ties in time are broken by content, so the input order never shows in a score.
        events.par_sort_unstable_by(|a, b| a.lead.cmp(&b.lead).then_with(|| event_order(strings, a, b)));
        let mut offsets = vec![0usize; leads.len() + 1];
        for e in &events {
            offsets[e.lead as usize + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        Dataset { leads, accounts, events, offsets, projector, consents, marketing }
    }
}

/// Lead id -> lead number, borrowed from a [`DatasetBuilder`] (see
/// [`DatasetBuilder::split_events`]).
pub struct LeadLookup<'a> {
    leads: &'a [Lead],
    index: &'a LeadIndex,
}

impl LeadLookup<'_> {
    /// The index of a lead id.
    pub fn get(&self, lead_id: &str) -> Option<u32> {
        self.index.get(self.leads, lead_id)
    }
}

/// Where projected events go, borrowed from a [`DatasetBuilder`] (see
/// [`DatasetBuilder::split_events`]).
pub struct EventSink<'a> {
    projector: &'a mut Projector,
    events: &'a mut Vec<ProjectedEvent>,
    seen: &'a mut FxHashSet<u128>,
}

impl EventSink<'_> {
    /// As [`DatasetBuilder::add_projected`].
    pub fn add_projected(&mut self, id_hash: u128, event: ProjectedEvent) -> EventAdded {
        if !self.seen.insert(id_hash) {
            return EventAdded::Duplicate;
        }
        self.events.push(event);
        EventAdded::Accepted
    }

    /// As [`DatasetBuilder::projector_mut`].
    pub fn projector_mut(&mut self) -> &mut Projector {
        self.projector
    }
}

/// The population facts of a dataset at one time T, compactly (see [`Dataset::population`]).
struct PopulationIndex {
    duplicate: Vec<bool>,
    /// Account key hash per lead, 0 without one.
    account: Vec<u128>,
    /// People engaged per account key hash, one count per model account window.
    engaged: FxHashMap<u128, Vec<u32>>,
    phone_valid: Vec<Option<bool>>,
    /// Each lead's email classification, made while finding duplicates and kept so that
    /// scoring does not classify the email again.
    emails: Vec<Option<leadrank_facts::email::EmailInfo>>,
    /// Per lead in an IP burst, the time the burst completed, over all sign-ups (empty when
    /// the model has no bot-risk fact).
    ip_burst: FxHashMap<u32, i64>,
    as_of: Timestamp,
}

impl PopulationIndex {
    /// Whether lead number `i` is in an IP burst at `t`.
    fn ip_burst_at(&self, i: usize, t: Timestamp) -> bool {
        self.ip_burst.get(&(i as u32)).is_some_and(|since| *since <= t.as_second())
    }

    /// The lead facts of lead number `i` (`lead`), with its email already classified.
    fn lead_facts<'a>(&self, lead: &'a Lead, i: usize) -> LeadFacts<'a> {
        match self.emails.get(i) {
            Some(email) => LeadFacts::with_email(lead, email.clone()),
            None => LeadFacts::new(lead),
        }
    }

    /// The population facts of lead number `i`.
    fn facts(&self, dataset: &Dataset, i: usize) -> PopulationFacts {
        PopulationFacts {
            duplicate: self.duplicate.get(i).copied().unwrap_or(false),
            engaged_people: self.account.get(i).filter(|a| **a != 0).and_then(|a| self.engaged.get(a).cloned()).unwrap_or_default(),
            phone_valid: self.phone_valid.get(i).copied().flatten(),
            consent: dataset.consent_at(i, self.as_of),
            ip_burst: self.ip_burst_at(i, self.as_of),
        }
    }
}

/// Lead id -> lead number, holding only the numbers: the ids stay in the leads themselves,
/// so a million leads need no second copy of their ids.
#[derive(Default)]
struct LeadIndex {
    table: hashbrown::HashTable<u32>,
}

impl LeadIndex {
    fn hash(id: &str) -> u64 {
        xxhash_rust::xxh3::xxh3_64(id.as_bytes())
    }

    fn get(&self, leads: &[Lead], id: &str) -> Option<u32> {
        self.table.find(Self::hash(id), |&i| leads[i as usize].lead_id == id).copied()
    }

    /// Adds lead number `idx` (already in `leads`) under its id.
    fn insert(&mut self, leads: &[Lead], idx: u32) {
        let hash = Self::hash(&leads[idx as usize].lead_id);
        self.table.insert_unique(hash, idx, |&i| Self::hash(&leads[i as usize].lead_id));
    }
}

/// Each lead's `marketing` consent records as (time, granted), sorted by time; records with
/// the same time keep their input order, so the later row wins a tie.
fn marketing_consents(leads: &[Lead], index: &LeadIndex, consents: &[ConsentRecord]) -> FxHashMap<u32, Vec<(Timestamp, bool)>> {
    let mut out: FxHashMap<u32, Vec<(Timestamp, bool)>> = FxHashMap::default();
    for record in consents.iter().filter(|r| r.purpose == MARKETING_PURPOSE) {
        if let Some(idx) = index.get(leads, &record.lead_id) {
            out.entry(idx).or_default().push((record.at, record.status == ConsentStatus::Granted));
        }
    }
    for records in out.values_mut() {
        records.sort_by_key(|(at, _)| *at);
    }
    out
}

/// Leads, accounts and their projected events, ready to score at any time T.
pub struct Dataset {
    pub leads: Vec<Lead>,
    pub accounts: FxHashMap<String, Account>,
    events: Vec<ProjectedEvent>,
    offsets: Vec<usize>,
    projector: Projector,
    /// Every consent record added, in input order (all purposes).
    pub consents: Vec<ConsentRecord>,
    /// Marketing consent records per lead, by time (see [`Dataset::consent_at`]).
    marketing: FxHashMap<u32, Vec<(Timestamp, bool)>>,
}

impl Dataset {
    /// The events of lead number `idx`, sorted by time.
    pub fn events_of(&self, idx: usize) -> &[ProjectedEvent] {
        match (self.offsets.get(idx), self.offsets.get(idx + 1)) {
            (Some(&a), Some(&b)) => &self.events[a..b],
            _ => &[],
        }
    }

    /// The type of a projected event of this dataset ("" if unknown).
    pub fn event_type(&self, event: &ProjectedEvent) -> &str {
        self.projector.strings.get(event.type_id)
    }

    /// Lead number `idx`'s marketing consent as known at `as_of`: (granted, time) of its
    /// latest `marketing` record at or before `as_of` (a later withdrawal turns consent off;
    /// a tie in time goes to the later row). `None` when it has no such record: the leads
    /// input's `consent` and `consent_at` then stand.
    pub fn consent_at(&self, idx: usize, as_of: Timestamp) -> Option<(bool, Timestamp)> {
        let records = self.marketing.get(&(idx as u32))?;
        let known = records.partition_point(|(at, _)| *at <= as_of);
        known.checked_sub(1).map(|i| (records[i].1, records[i].0))
    }

    /// Total number of (deduplicated) events.
    pub fn event_count(&self) -> usize {
        self.events.len()
    }

    /// The index of a lead by id.
    pub fn find_lead(&self, lead_id: &str) -> Option<usize> {
        self.leads.iter().position(|l| l.lead_id == lead_id)
    }

    /// Facts that depend on the whole population (duplicates, account engagement), per lead.
    ///
    /// Keys are compared by 128-bit hashes (as event ids are), so a million leads need no
    /// second copy of their emails and names.
    pub fn population(&self, model: &CompiledModel, as_of: Timestamp) -> Vec<PopulationFacts> {
        let index = self.population_index(model, as_of);
        (0..self.leads.len()).map(|i| index.facts(self, i)).collect()
    }

    /// What [`Self::population`] needs, in compact form: per-lead facts are then made batch by
    /// batch, so a million of them are never held at once.
    fn population_index(&self, model: &CompiledModel, as_of: Timestamp) -> PopulationIndex {
        /// 128-bit key hashes, 0 for "no key" (xxh3 gives 0 with probability 2^-128).
        struct Keys {
            account: u128,
            email: u128,
            name_in_account: u128,
            last_engagement: Option<i64>,
            email_info: Option<leadrank_facts::email::EmailInfo>,
        }
        let hash = |s: &str| xxh3_128(s.as_bytes()).max(1);
        let t = as_of.as_second();
        let keys: Vec<Keys> = self
            .leads
            .par_iter()
            .enumerate()
            .map(|(i, lead)| {
                let facts = LeadFacts::new(lead);
                let key = account_key(lead, facts.corporate_domain());
                let dup = DuplicateKeys::from_facts(&facts, key.as_deref());
                Keys {
                    account: key.as_deref().map_or(0, hash),
                    email: dup.email.as_deref().map_or(0, hash),
                    name_in_account: dup.name_in_account.as_ref().map_or(0, |(k, n)| hash(&format!("{k}\u{0}{n}"))),
                    last_engagement: self.last_engagement(i, t),
                    email_info: facts.into_email(),
                }
            })
            .collect();
        // Duplicates: a key held by two leads or more, found by sorting (no hash maps).
        let repeated = |pick: fn(&Keys) -> u128| -> Vec<u128> {
            let mut all: Vec<u128> = keys.iter().map(pick).filter(|k| *k != 0).collect();
            all.par_sort_unstable();
            let mut out: Vec<u128> = all.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
            out.dedup();
            out
        };
        let emails = repeated(|k| k.email);
        let names = repeated(|k| k.name_in_account);
        let mut members: FxHashMap<u128, Vec<u32>> = FxHashMap::default();
        for (i, k) in keys.iter().enumerate() {
            if k.account != 0 {
                members.entry(k.account).or_default().push(i as u32);
            }
        }
        let windows = &model.account_windows;
        let engaged: FxHashMap<u128, Vec<u32>> = members
            .into_iter()
            .map(|(account, people)| {
                let counts = windows
                    .iter()
                    .map(|w| people.iter().filter(|&&p| keys[p as usize].last_engagement.is_some_and(|last| last >= t - w)).count() as u32)
                    .collect();
                (account, counts)
            })
            .collect();
        let duplicate = keys
            .iter()
            .map(|k| {
                (k.email != 0 && emails.binary_search(&k.email).is_ok())
                    || (k.name_in_account != 0 && names.binary_search(&k.name_in_account).is_ok())
            })
            .collect();
        let account = keys.iter().map(|k| k.account).collect();
        let emails = keys.into_iter().map(|k| k.email_info).collect();
        PopulationIndex {
            duplicate,
            account,
            engaged,
            phone_valid: if model.uses_phone_validity() { self.phone_validity() } else { Vec::new() },
            emails,
            ip_burst: self.ip_bursts(model),
            as_of,
        }
    }

    /// Per lead in an IP burst, the time its first burst completed, when the model reads
    /// bot risk. Sign-ups after T cannot complete a burst before T, so one pass over all of
    /// them serves every scoring time.
    fn ip_bursts(&self, model: &CompiledModel) -> FxHashMap<u32, i64> {
        let Some(risk) = model.risk else { return FxHashMap::default() };
        let bit = 1u64 << risk.signup;
        let signups = (0..self.leads.len()).flat_map(|i| {
            self.events_of(i).iter().filter(move |e| e.filters & bit != 0 && e.ip != NONE).map(move |e| (e.ip, e.at, i as u32))
        });
        super::risk::ip_bursts(signups).into_iter().map(|(lead, (_, since))| (lead, since)).collect()
    }

    /// Phone validity of every lead with a phone. Each distinct (country, number text) pair
    /// is checked once: CRM exports repeat placeholder and switchboard numbers thousands of
    /// times, and a check costs microseconds (two parses for a number with its own country
    /// code). Pairs are checked grouped by country: libphonenumber's pattern cache then stays
    /// warm, which makes a mixed-country batch several times faster than checking in input
    /// order.
    fn phone_validity(&self) -> Vec<Option<bool>> {
        let mut order: Vec<(Option<&'static str>, &str, u32)> = self
            .leads
            .iter()
            .enumerate()
            .filter_map(|(i, l)| Some((l.country.as_deref().and_then(leadrank_facts::country::normalize), l.phone.as_deref()?, i as u32)))
            .collect();
        order.par_sort_unstable();
        // The distinct pairs, in sorted order, and for each lead (in `order`) its pair.
        let mut distinct: Vec<(Option<&'static str>, &str)> = Vec::new();
        let mut pair_of: Vec<u32> = Vec::with_capacity(order.len());
        for &(country, phone, _) in &order {
            if distinct.last() != Some(&(country, phone)) {
                distinct.push((country, phone));
            }
            pair_of.push(distinct.len() as u32 - 1);
        }
        let valid: Vec<bool> = distinct
            .par_chunks(8192)
            .flat_map_iter(|chunk| chunk.iter().map(|&(country, phone)| leadrank_facts::phone::is_valid(phone, country)))
            .collect();
        let mut out = vec![None; self.leads.len()];
        for (&(_, _, i), &pair) in order.iter().zip(&pair_of) {
            out[i as usize] = Some(valid[pair as usize]);
        }
        out
    }

    /// Time of the lead's latest engagement event at or before `t`.
    fn last_engagement(&self, idx: usize, t: i64) -> Option<i64> {
        let engagement = TypeMatch::Engagement;
        self.events_of(idx)
            .iter()
            .rev()
            .filter(|e| e.at <= t)
            .find(|e| engagement.matches(self.projector.strings.get(e.type_id)))
            .map(|e| e.at)
    }

    /// Scores every lead at `as_of`, in input order, in parallel.
    /// `progress` is called from worker threads with the number of leads just scored.
    pub fn score_all(&self, model: &CompiledModel, as_of: Timestamp, progress: &(dyn Fn(u64) + Sync)) -> Vec<Score> {
        let mut all = Vec::with_capacity(self.leads.len());
        self.score_batches(model, as_of, self.leads.len().max(1), &mut |batch| {
            progress(batch.len() as u64);
            all.extend(batch);
        });
        all
    }

    /// Scores every lead at `as_of` in batches of `batch` leads (in input order, each batch
    /// in parallel) and hands each batch to `sink`, so that a million scores with their
    /// reasons never need to be in memory at once.
    pub fn score_batches(&self, model: &CompiledModel, as_of: Timestamp, batch: usize, sink: &mut dyn FnMut(Vec<Score>)) {
        let population = self.population_index(model, as_of);
        let batch = batch.max(1);
        let mut start = 0;
        while start < self.leads.len() {
            let end = (start + batch).min(self.leads.len());
            let scores: Vec<Score> = (start..end)
                .into_par_iter()
                .with_min_len(256)
                .map(|i| {
                    self.score_with_facts(
                        model,
                        i,
                        as_of,
                        &population.facts(self, i),
                        Evidence::Full,
                        population.lead_facts(&self.leads[i], i),
                    )
                })
                .collect();
            sink(scores);
            start = end;
        }
    }

    /// Scores every lead at `as_of` and turns the scores into output on the worker threads:
    /// leads are scored `chunk` at a time, `encode` maps each chunk's scores (in input order)
    /// to a value, say serialised rows, and the scores are dropped there. `sink` gets the
    /// encoded chunks in input order on the calling thread while the next chunks are scored,
    /// so writing overlaps scoring and no more than a few chunks are held at once.
    pub fn score_encoded<T: Send>(
        &self,
        model: &CompiledModel,
        as_of: Timestamp,
        evidence: Evidence,
        chunk: usize,
        encode: &(dyn Fn(Vec<Score>) -> T + Sync),
        sink: &mut dyn FnMut(T),
    ) {
        let population = self.population_index(model, as_of);
        let chunk = chunk.max(1);
        // Enough chunks per batch for every thread to stay busy while `sink` writes.
        let batch = chunk * rayon::current_num_threads().max(1) * 4;
        let score_batch = |start: usize| -> Vec<T> {
            let end = (start + batch).min(self.leads.len());
            (start..end)
                .step_by(chunk)
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|from| {
                    let to = (from + chunk).min(end);
                    encode(
                        (from..to)
                            .map(|i| {
                                let facts = population.lead_facts(&self.leads[i], i);
                                self.score_with_facts(model, i, as_of, &population.facts(self, i), evidence, facts)
                            })
                            .collect(),
                    )
                })
                .collect()
        };
        let mut pending: Option<Vec<T>> = None;
        let mut start = 0;
        while start < self.leads.len() {
            let mut next = None;
            let previous = pending.take();
            rayon::in_place_scope(|scope| {
                let next = &mut next;
                let score_batch = &score_batch;
                scope.spawn(move |_| *next = Some(score_batch(start)));
                for encoded in previous.into_iter().flatten() {
                    sink(encoded);
                }
            });
            pending = next;
            start += batch;
        }
        for encoded in pending.into_iter().flatten() {
            sink(encoded);
        }
    }

    /// Scores every lead at its own time: lead number `i` at `as_of[i]` (point-in-time
    /// scores, e.g. each lead as of just before its first opportunity, so that what sales did
    /// afterwards cannot leak into a calibration). Each score equals the one
    /// [`Self::score_all`] gives at that lead's time: windows, consent records and account
    /// engagement (the people of the lead's account engaged by `as_of[i]`) all use `as_of[i]`.
    /// Leads without an entry in `as_of` (a shorter slice) are scored at `otherwise`.
    /// Results are in input order; `progress` is called with the number of leads just scored.
    pub fn score_each_at(
        &self,
        model: &CompiledModel,
        as_of: &[Timestamp],
        otherwise: Timestamp,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Vec<Score> {
        let at = |i: usize| as_of.get(i).copied().unwrap_or(otherwise);
        let latest = as_of.iter().copied().chain((as_of.len() < self.leads.len()).then_some(otherwise)).max().unwrap_or(otherwise);
        // Duplicates and phone validity do not depend on time; engagement, consent and IP
        // bursts do.
        let population = self.population_index(model, latest);
        let mut members: FxHashMap<u128, Vec<u32>> = FxHashMap::default();
        for (i, &key) in population.account.iter().enumerate() {
            if key != 0 {
                members.entry(key).or_default().push(i as u32);
            }
        }
        // People engaged per (account, time), once per distinct pair.
        let mut pairs: Vec<(u128, i64)> =
            population.account.iter().enumerate().filter(|(_, k)| **k != 0).map(|(i, &k)| (k, at(i).as_second())).collect();
        pairs.par_sort_unstable();
        pairs.dedup();
        let windows = &model.account_windows;
        let engaged: FxHashMap<(u128, i64), Vec<u32>> = pairs
            .into_par_iter()
            .map(|(key, t)| {
                let last: Vec<Option<i64>> =
                    members.get(&key).map_or(&[][..], |m| m.as_slice()).iter().map(|&p| self.last_engagement(p as usize, t)).collect();
                let counts = windows.iter().map(|w| last.iter().filter(|l| l.is_some_and(|l| l >= t - w)).count() as u32).collect();
                ((key, t), counts)
            })
            .collect();
        let scores: Vec<Score> = (0..self.leads.len())
            .into_par_iter()
            .with_min_len(256)
            .map(|i| {
                let t = at(i);
                let key = population.account.get(i).copied().unwrap_or(0);
                let facts = PopulationFacts {
                    engaged_people: if key == 0 { Vec::new() } else { engaged.get(&(key, t.as_second())).cloned().unwrap_or_default() },
                    consent: self.consent_at(i, t),
                    ip_burst: population.ip_burst_at(i, t),
                    ..population.facts(self, i)
                };
                let score = self.score_with_facts(model, i, t, &facts, Evidence::Full, population.lead_facts(&self.leads[i], i));
                progress(1);
                score
            })
            .collect();
        scores
    }

    /// Scores lead number `idx` given its population facts.
    pub fn score_index(&self, model: &CompiledModel, idx: usize, as_of: Timestamp, population: &PopulationFacts) -> Score {
        self.score_with_facts(model, idx, as_of, population, Evidence::Full, LeadFacts::new(&self.leads[idx]))
    }

    /// [`Self::score_index`] with or without the evidence text of each reason, given the
    /// lead's facts (`facts` must be lead `idx`'s).
    fn score_with_facts(
        &self,
        model: &CompiledModel,
        idx: usize,
        as_of: Timestamp,
        population: &PopulationFacts,
        evidence: Evidence,
        facts: LeadFacts<'_>,
    ) -> Score {
        let lead = &self.leads[idx];
        let ctx = LeadContext {
            facts,
            account: lead.account_id.as_deref().and_then(|a| self.accounts.get(a)),
            events: self.events_of(idx),
            strings: &self.projector.strings,
            population,
            as_of: as_of.as_second(),
            risk: model.risk,
        };
        score_lead_with(model, &ctx, evidence)
    }
}

/// The order of one lead's events: by time, ties broken by content (type, path, counted
/// property values), so that the input order never shows in a score.
pub(crate) fn event_order(strings: &Interner, a: &ProjectedEvent, b: &ProjectedEvent) -> std::cmp::Ordering {
    a.at.cmp(&b.at).then_with(|| {
        (strings.get(a.type_id), strings.get(a.path_id), a.keys.map(|k| strings.get(k)), strings.get(a.ip)).cmp(&(
            strings.get(b.type_id),
            strings.get(b.path_id),
            b.keys.map(|k| strings.get(k)),
            strings.get(b.ip),
        ))
    })
}

/// The 128-bit hash that stands for an event id.
pub fn event_id_hash(event_id: &str) -> u128 {
    xxh3_128(event_id.as_bytes())
}

/// True for event types that count as engagement.
pub fn is_engagement(event_type: &str) -> bool {
    !NON_ENGAGEMENT.contains(&event_type)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::builtin::default_model;

    fn lead(id: &str, email: &str) -> Lead {
        Lead {
            lead_id: id.into(),
            email: Some(email.into()),
            first_name: Some(id.into()),
            last_name: Some("Lovelace".into()),
            title: Some("VP Engineering".into()),
            country: Some("US".into()),
            employees: Some(500),
            ..Lead::default()
        }
    }

    fn event(id: &str, lead: &str, kind: &str, at: &str) -> Event {
        Event {
            event_id: id.into(),
            lead_id: lead.into(),
            event_type: kind.into(),
            occurred_at: at.parse().unwrap(),
            url: None,
            properties: None,
        }
    }

    #[test]
    fn score_each_at_equals_score_all_at_each_leads_time() {
        let model = default_model();
        let mut b = DatasetBuilder::new(&model);
        // Two people of acme.com (one account), one of other.io.
        for l in [lead("a", "ada@acme.com"), lead("b", "bob@acme.com"), lead("c", "cy@other.io")] {
            b.add_lead(l).unwrap();
        }
        for e in [
            event("e1", "a", "page_view", "2026-06-01T10:00:00Z"),
            event("e2", "b", "demo_request", "2026-06-10T10:00:00Z"),
            event("e3", "a", "trial_started", "2026-06-20T10:00:00Z"),
            event("e4", "c", "demo_request", "2026-06-25T10:00:00Z"),
        ] {
            b.add_event(&e).unwrap();
        }
        let d = b.build();
        let early: Timestamp = "2026-06-05T00:00:00Z".parse().unwrap();
        let late: Timestamp = "2026-06-30T00:00:00Z".parse().unwrap();
        let at_early = d.score_all(&model, early, &|_| {});
        let at_late = d.score_all(&model, late, &|_| {});
        let each = d.score_each_at(&model, &[late, early, late], early, &|_| {});
        assert_eq!(each[0], at_late[0]);
        assert_eq!(each[1], at_early[1], "b is scored before its demo request and a's trial");
        assert_eq!(each[2], at_late[2]);
        assert_ne!(at_early[1].total, at_late[1].total);
        let each = d.score_each_at(&model, &[early, late, early], late, &|_| {});
        assert_eq!(each[0], at_early[0]);
        assert_eq!(each[1], at_late[1]);
        assert_eq!(each[2], at_early[2]);
        // Leads past the end of the slice are scored at the time the caller gives.
        let each = d.score_each_at(&model, &[early], late, &|_| {});
        assert_eq!(each, vec![at_early[0].clone(), at_late[1].clone(), at_late[2].clone()]);
        assert_eq!(d.score_each_at(&model, &[], early, &|_| {}), at_early);
    }

    #[test]
    fn phone_validity_per_distinct_pair_equals_the_check_per_lead() {
        let model = default_model();
        let mut b = DatasetBuilder::new(&model);
        // Few numbers, repeated across leads of several countries written several ways; a
        // number with its own country code, national numbers, junk, and one lead without.
        let phones = ["+44 20 7946 0958", "020 7946 0000", "(415) 555-0134", "555-1234", "+49 30 901820", "n/a"];
        let countries = ["US", "GB", "United Kingdom", "usa", "Deutschland", "nowhere"];
        let mut leads = Vec::new();
        for i in 0..60 {
            let mut l = lead(&format!("L{i:02}"), &format!("p{i}@firm.com"));
            l.phone = (i % 7 != 6).then(|| phones[i % phones.len()].into());
            l.country = Some(countries[(i / 3) % countries.len()].into());
            leads.push(l.clone());
            b.add_lead(l).unwrap();
        }
        let d = b.build();
        let got = d.phone_validity();
        assert_eq!(got.len(), leads.len());
        for (l, v) in leads.iter().zip(&got) {
            assert_eq!(*v, l.phone.is_some().then(|| LeadFacts::new(l).phone_valid()), "{:?} in {:?}", l.phone, l.country);
        }
        assert!(got.contains(&Some(true)) && got.contains(&Some(false)) && got.contains(&None));
    }

    #[test]
    fn score_encoded_gives_every_score_once_in_input_order() {
        let model = default_model();
        let mut b = DatasetBuilder::new(&model);
        for i in 0..37 {
            b.add_lead(lead(&format!("L{i:02}"), &format!("p{i}@firm{}.com", i % 5))).unwrap();
            b.add_event(&event(&format!("e{i}"), &format!("L{i:02}"), "demo_request", "2026-06-10T10:00:00Z")).unwrap();
        }
        let d = b.build();
        let at: Timestamp = "2026-06-30T00:00:00Z".parse().unwrap();
        let all = d.score_all(&model, at, &|_| {});
        for chunk in [1, 3, 8, 1000] {
            let mut got = Vec::new();
            let mut chunks = 0;
            d.score_encoded(&model, at, Evidence::Full, chunk, &|scores| scores, &mut |scores| {
                assert!(scores.len() <= chunk);
                chunks += 1;
                got.extend(scores);
            });
            assert_eq!(got, all, "chunk {chunk}");
            assert_eq!(chunks, all.len().div_ceil(chunk), "chunk {chunk}");
        }
    }
}
