//! The Segment intake's identity rules, with no HTTP in it: calls of the Segment spec
//! (`identify`, `track`, `page`, `group`), already mapped to leadrank records, become lead and
//! account upserts and events.
//!
//! * The lead id is the message's `userId`. A message carrying both `userId` and
//!   `anonymousId` links the anonymous visitor to the person (the first link of an
//!   `anonymousId` holds; later ones to another person are refused with a reason).
//! * An event with an `anonymousId` that is not linked yet is held: stored under the
//!   reserved lead id `segment-anonymous:<anonymousId>`, which is no lead, and scored by no
//!   one. When the link comes (in the same batch or any later one), the held events are moved
//!   to the person with the event ids they would have had with the `userId` from the start,
//!   so the score is the same; then the held copies are deleted. A crash between the two
//!   steps is harmless: the next link re-sends them and the event ids make them duplicates.
//! * Links are stored as rows under `segment-alias:<anonymousId>` (also no lead) and cached.
//! * The event id is `segment:<messageId>`: a message sent twice counts once.
//!
//! One batch at a time goes through the intake (a lock), so a held event and the link that
//! releases it cannot pass each other.

use std::collections::HashMap;

use jiff::Timestamp;
use leadrank_core::records::{Account, Event, Lead};
use serde_json::{Map, Value};

use crate::service::{Outcome, Service, ServiceError};

/// Prefix of the event ids of the intake's events.
pub const EVENT_PREFIX: &str = "segment:";
/// Prefix of the reserved ids under which anonymous events are held.
pub const HELD_PREFIX: &str = crate::service::SEGMENT_HELD_PREFIX;
/// Prefix of the reserved ids under which links are stored.
pub const ALIAS_PREFIX: &str = crate::service::SEGMENT_ALIAS_PREFIX;
/// Prefix of the reserved ids under which a person's links are stored the other way round
/// (read when the person is erased).
pub const ALIASES_OF_PREFIX: &str = crate::service::SEGMENT_ALIASES_OF_PREFIX;
/// Event type of a stored link.
const ALIAS_TYPE: &str = "segment_alias";
/// Links cached at most (the cache is emptied beyond; links are read again from the store).
const ALIAS_CACHE: usize = 200_000;

/// One call, mapped: who it is about and what it says.
#[derive(Debug, Clone)]
pub struct Call {
    pub message_id: String,
    pub user_id: Option<String>,
    pub anonymous_id: Option<String>,
    pub what: What,
}

/// What a call says.
#[derive(Debug, Clone)]
pub enum What {
    /// `identify`: the lead's mapped traits (`lead_id` is ignored: the person's id is used).
    Identify(Box<Lead>),
    /// `track` or `page` with its event type; `None`: the mapping ignores this event.
    Event { event_type: Option<String>, occurred_at: Timestamp, url: Option<String>, properties: Option<Map<String, Value>> },
    /// `group`: the account (its id is the `groupId`), linked to the person.
    Group(Box<Account>),
}

/// What became of one call.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// A lead or account was created.
    Created,
    /// A lead or account was updated.
    Updated,
    /// An event was stored and scored.
    Accepted,
    /// An event id seen before: counted once.
    Duplicate,
    /// An anonymous event held until the visitor is identified.
    Held,
    /// Accepted and not stored (the mapping ignores the event).
    Ignored,
    /// The person was erased: nothing was stored.
    Suppressed,
    Rejected,
}

impl From<&Outcome> for CallOutcome {
    fn from(o: &Outcome) -> Self {
        match o {
            Outcome::Created => CallOutcome::Created,
            Outcome::Updated => CallOutcome::Updated,
            Outcome::Accepted => CallOutcome::Accepted,
            Outcome::Duplicate => CallOutcome::Duplicate,
            Outcome::Suppressed => CallOutcome::Suppressed,
            Outcome::Rejected => CallOutcome::Rejected,
        }
    }
}

/// The intake: the service, the lock that takes batches one at a time and the link cache.
pub struct Intake {
    service: std::sync::Arc<Service>,
    /// anonymousId -> userId (`None`: known to have no link).
    aliases: tokio::sync::Mutex<HashMap<String, Option<String>>>,
}

/// Copies the fields `from` has onto `into` (traits merge: what a call does not say stays).
pub fn merge_lead(into: &mut Lead, from: Lead) {
    macro_rules! take {
        ($($f:ident),*) => { $( if from.$f.is_some() { into.$f = from.$f; } )* };
    }
    take!(
        email,
        first_name,
        last_name,
        title,
        company,
        domain,
        account_id,
        industry,
        employees,
        annual_revenue,
        country,
        phone,
        phone_verified,
        consent,
        consent_at,
        source,
        campaign,
        created_at,
        use_case,
        budget_owner,
        timeline_days,
        contract_end,
        honeypot
    );
    if !from.tech_stack.is_empty() {
        into.tech_stack = from.tech_stack;
    }
    for (k, v) in from.custom {
        match into.custom.iter_mut().find(|(name, _)| *name == k) {
            Some(slot) => slot.1 = v,
            None => into.custom.push((k, v)),
        }
    }
}

/// Copies the fields `from` has onto `into`.
pub fn merge_account(into: &mut Account, from: Account) {
    macro_rules! take {
        ($($f:ident),*) => { $( if from.$f.is_some() { into.$f = from.$f; } )* };
    }
    take!(name, domain, industry, employees, country, owner, tier);
}

impl Intake {
    pub fn new(service: std::sync::Arc<Service>) -> Self {
        Intake { service, aliases: tokio::sync::Mutex::new(HashMap::new()) }
    }

    /// The person an anonymous visitor is linked to, if any (cache, then store).
    async fn alias(&self, cache: &mut HashMap<String, Option<String>>, anonymous_id: &str) -> Result<Option<String>, ServiceError> {
        if let Some(hit) = cache.get(anonymous_id) {
            return Ok(hit.clone());
        }
        let rows = self.service.store.lead_events(&format!("{ALIAS_PREFIX}{anonymous_id}")).await?;
        let user = rows
            .iter()
            .filter(|e| e.event_type == ALIAS_TYPE)
            .find_map(|e| e.properties.as_ref()?.get("user_id")?.as_str().map(str::to_string));
        if cache.len() >= ALIAS_CACHE {
            cache.clear();
        }
        cache.insert(anonymous_id.to_string(), user.clone());
        Ok(user)
    }

    /// Ingests one batch of calls; one outcome (with a reason when rejected) per call, in order.
    pub async fn ingest(&self, calls: Vec<Call>) -> Result<Vec<(CallOutcome, Option<String>)>, ServiceError> {
        // One batch at a time: a held event and the link that releases it cannot pass.
        let mut cache = self.aliases.lock().await;
        let now = self.service.clock.now();
        let mut out: Vec<(CallOutcome, Option<String>)> = vec![(CallOutcome::Accepted, None); calls.len()];

        // 1. Links: every call with both ids links them; the first link of a visitor holds.
        // All links of the batch are known before anyone is resolved, so a visitor's events
        // earlier in the batch than their identify go straight to the person.
        let mut new_links: Vec<(String, String)> = Vec::new();
        for (i, call) in calls.iter().enumerate() {
            let (Some(user), Some(anon)) = (&call.user_id, &call.anonymous_id) else { continue };
            match self.alias(&mut cache, anon).await? {
                None => {
                    new_links.push((anon.clone(), user.clone()));
                    cache.insert(anon.clone(), Some(user.clone()));
                }
                Some(linked) if linked != *user => {
                    out[i] = (
                        CallOutcome::Rejected,
                        Some("anonymousId: this visitor is already linked to another userId (the first link holds)".into()),
                    );
                }
                Some(_) => {}
            }
        }
        let mut person: Vec<Option<String>> = Vec::with_capacity(calls.len());
        for (i, call) in calls.iter().enumerate() {
            if out[i].0 == CallOutcome::Rejected {
                person.push(None);
                continue;
            }
            match (&call.user_id, &call.anonymous_id) {
                (Some(user), _) => person.push(Some(user.clone())),
                (None, Some(anon)) => person.push(self.alias(&mut cache, anon).await?),
                (None, None) => person.push(None),
            }
        }

        // 2. Accounts and leads: traits merge into what is stored; a person the service does
        // not know yet becomes a lead at their first call.
        let mut accounts: Vec<Account> = Vec::new();
        let mut leads: Vec<Lead> = Vec::new();
        let mut lead_of_call: Vec<Option<usize>> = vec![None; calls.len()];
        let mut account_of_call: Vec<Option<usize>> = vec![None; calls.len()];
        {
            let live = self.service.live_read();
            for (i, call) in calls.iter().enumerate() {
                if out[i].0 == CallOutcome::Rejected {
                    continue;
                }
                if let What::Group(account) = &call.what {
                    let slot = match accounts.iter().position(|a| a.account_id == account.account_id) {
                        Some(s) => s,
                        None => {
                            accounts.push(
                                live.book
                                    .account(&account.account_id)
                                    .cloned()
                                    .unwrap_or_else(|| Account { account_id: account.account_id.clone(), ..Account::default() }),
                            );
                            accounts.len() - 1
                        }
                    };
                    merge_account(&mut accounts[slot], (**account).clone());
                    account_of_call[i] = Some(slot);
                }
                let Some(id) = &person[i] else {
                    match &call.what {
                        What::Identify(_) => {
                            out[i] = (CallOutcome::Rejected, Some("userId: identify needs a userId (the person's lead id)".into()))
                        }
                        What::Group(_) => {
                            out[i] =
                                (CallOutcome::Rejected, Some("userId: group needs a userId, or an anonymousId already identified".into()))
                        }
                        What::Event { .. } => {}
                    }
                    continue;
                };
                let slot = match leads.iter().position(|l| l.lead_id == *id) {
                    Some(s) => s,
                    None => {
                        leads.push(live.book.lead(id).cloned().unwrap_or_else(|| Lead { lead_id: id.clone(), ..Lead::default() }));
                        leads.len() - 1
                    }
                };
                match &call.what {
                    What::Identify(traits) => {
                        let mut traits = (**traits).clone();
                        traits.lead_id = id.clone();
                        merge_lead(&mut leads[slot], traits);
                        lead_of_call[i] = Some(slot);
                    }
                    What::Group(account) => {
                        leads[slot].account_id = Some(account.account_id.as_str().into());
                        lead_of_call[i] = Some(slot);
                    }
                    What::Event { .. } => {}
                }
            }
            // Only leads that are new or that a call changes are written.
            let mut keep = vec![false; leads.len()];
            for (slot, lead) in leads.iter().enumerate() {
                keep[slot] = live.book.lead(&lead.lead_id).is_none_or(|stored| stored != lead);
            }
            let mut n = 0;
            let mut renumber = vec![None; leads.len()];
            for (slot, k) in keep.iter().enumerate() {
                if *k {
                    renumber[slot] = Some(n);
                    n += 1;
                }
            }
            for l in lead_of_call.iter_mut() {
                *l = l.and_then(|s| renumber[s]);
            }
            let mut slot = 0;
            leads.retain(|_| {
                slot += 1;
                keep[slot - 1]
            });
        }
        let account_outcomes = if accounts.is_empty() { Vec::new() } else { self.service.upsert_accounts(accounts).await? };
        let lead_outcomes = if leads.is_empty() { Vec::new() } else { self.service.upsert_leads(leads).await? };
        for (i, call) in calls.iter().enumerate() {
            if out[i].0 == CallOutcome::Rejected {
                continue;
            }
            match &call.what {
                What::Identify(_) => {
                    out[i].0 = lead_of_call[i].and_then(|s| lead_outcomes.get(s)).map_or(CallOutcome::Updated, CallOutcome::from);
                }
                What::Group(_) => {
                    let lead = lead_of_call[i].and_then(|s| lead_outcomes.get(s));
                    out[i].0 = if lead == Some(&Outcome::Suppressed) {
                        CallOutcome::Suppressed
                    } else {
                        account_of_call[i].and_then(|s| account_outcomes.get(s)).map_or(CallOutcome::Updated, CallOutcome::from)
                    };
                }
                What::Event { .. } => {}
            }
        }

        // 3. Store the new links, then move what each visitor had held to the person.
        let mut moved: Vec<Event> = Vec::new();
        let mut released: Vec<String> = Vec::new();
        if !new_links.is_empty() {
            let rows: Vec<Event> = new_links
                .iter()
                .flat_map(|(anon, user)| {
                    let mut props = Map::new();
                    props.insert("user_id".into(), Value::String(user.clone()));
                    let link = Event {
                        event_id: format!("{ALIAS_PREFIX}{anon}"),
                        lead_id: format!("{ALIAS_PREFIX}{anon}"),
                        event_type: ALIAS_TYPE.into(),
                        occurred_at: now,
                        url: None,
                        properties: Some(props),
                    };
                    // The way back, from the person to the visitor, so that erasing the
                    // person erases the link too.
                    let mut back = Map::new();
                    back.insert("anonymous_id".into(), Value::String(anon.clone()));
                    let reverse = Event {
                        event_id: format!("{ALIASES_OF_PREFIX}{user}:{anon}"),
                        lead_id: format!("{ALIASES_OF_PREFIX}{user}"),
                        event_type: ALIAS_TYPE.into(),
                        occurred_at: now,
                        url: None,
                        properties: Some(back),
                    };
                    [link, reverse]
                })
                .collect();
            self.service.store.insert_events(&rows).await?;
            for (anon, user) in &new_links {
                let held = self.service.store.lead_events(&format!("{HELD_PREFIX}{anon}")).await?;
                if held.is_empty() {
                    continue;
                }
                released.push(anon.clone());
                for e in held {
                    let message_id = e.event_id.strip_prefix(HELD_PREFIX).unwrap_or(&e.event_id).to_string();
                    moved.push(Event { event_id: format!("{EVENT_PREFIX}{message_id}"), lead_id: user.clone(), ..e });
                }
            }
        }

        // 4. Events: the person's, or held for the visitor.
        let mut events: Vec<Event> = Vec::new();
        let mut event_calls: Vec<usize> = Vec::new();
        let mut held: Vec<Event> = Vec::new();
        let mut held_calls: Vec<usize> = Vec::new();
        for (i, call) in calls.iter().enumerate() {
            let What::Event { event_type, occurred_at, url, properties } = &call.what else { continue };
            if out[i].0 == CallOutcome::Rejected {
                continue;
            }
            let Some(event_type) = event_type else {
                out[i].0 = CallOutcome::Ignored;
                continue;
            };
            let event = |event_id: String, lead_id: String| Event {
                event_id,
                lead_id,
                event_type: event_type.clone(),
                occurred_at: *occurred_at,
                url: url.clone(),
                properties: properties.clone(),
            };
            match (&person[i], &call.anonymous_id) {
                (Some(id), _) => {
                    events.push(event(format!("{EVENT_PREFIX}{}", call.message_id), id.clone()));
                    event_calls.push(i);
                }
                (None, Some(anon)) => {
                    held.push(event(format!("{HELD_PREFIX}{}", call.message_id), format!("{HELD_PREFIX}{anon}")));
                    held_calls.push(i);
                }
                (None, None) => {
                    out[i] = (CallOutcome::Rejected, Some("userId: a message needs a userId or an anonymousId".into()));
                }
            }
        }
        if !held.is_empty() {
            let fresh = self.service.store.insert_events(&held).await?;
            for (k, i) in held_calls.iter().enumerate() {
                out[*i].0 = if fresh.get(k).copied().unwrap_or(false) { CallOutcome::Held } else { CallOutcome::Duplicate };
            }
        }
        let n_moved = moved.len();
        moved.extend(events);
        if !moved.is_empty() {
            let outcomes = self.service.ingest_events(moved).await?;
            for (k, i) in event_calls.iter().enumerate() {
                if let Some((o, why)) = outcomes.get(n_moved + k) {
                    out[*i] = (CallOutcome::from(o), why.clone());
                }
            }
        }
        // The held copies are no longer needed once moved (they hold no one's score).
        for anon in released {
            self.service.store.erase_lead(&format!("{HELD_PREFIX}{anon}"), &[]).await?;
        }
        Ok(out)
    }
}
