//! Account scores and buying-committee coverage, rolled up from the live book at request
//! time ([`leadrank_accounts`] holds the rules).

use leadrank_accounts::{AccountInfo, AccountPolicy, AccountScore, Person, score_account};
use leadrank_core::engine::LiveBook;
use leadrank_core::records::Lead;
use rustc_hash::FxHashMap;

use crate::live::Live;
use crate::service::Service;

/// The custom lead field read as the person's department, when present.
pub const DEPARTMENT_FIELD: &str = "department";

fn person(live: &Live, lead: &Lead, now: jiff::Timestamp, policy: &AccountPolicy) -> Person {
    let score = live.current.get(&lead.lead_id).map(|c| &c.score);
    let (last_engaged, engaged_events) =
        live.book.engagement(&lead.lead_id, now, u32::try_from(policy.engaged_within_days.max(0)).unwrap_or(u32::MAX)).unwrap_or((None, 0));
    Person {
        lead_id: lead.lead_id.clone(),
        title: lead.title.as_deref().map(str::to_string),
        department: lead.custom.iter().find(|(k, _)| k == DEPARTMENT_FIELD).map(|(_, v)| v.clone()),
        fit: score.map_or(0, |s| s.dimensions.get("fit")),
        intent: score.map_or(0, |s| s.dimensions.get("intent")),
        total: score.map_or(0, |s| s.total),
        quality: score.is_some_and(|s| s.quality),
        last_engaged,
        engaged_events,
    }
}

fn info(book: &LiveBook, account_id: &str) -> Option<AccountInfo> {
    book.account(account_id).map(AccountInfo::from)
}

/// One account's score now, or `None` when the account is unknown.
pub fn score_one(svc: &Service, account_id: &str) -> Option<AccountScore> {
    let now = svc.clock.now();
    let live = svc.live_read();
    let info = info(&live.book, account_id)?;
    let policy = AccountPolicy::default();
    let people: Vec<Person> =
        live.book.leads().filter(|l| l.account_id.as_deref() == Some(account_id)).map(|l| person(&live, l, now, &policy)).collect();
    Some(score_account(&info, &people, now, &policy))
}

/// Every account's score now, best first.
pub fn score_all(svc: &Service) -> Vec<AccountScore> {
    let now = svc.clock.now();
    let live = svc.live_read();
    let policy = AccountPolicy::default();
    let mut people: FxHashMap<&str, Vec<Person>> = FxHashMap::default();
    for lead in live.book.leads() {
        if let Some(a) = lead.account_id.as_deref()
            && live.book.account(a).is_some()
        {
            people.entry(a).or_default().push(person(&live, lead, now, &policy));
        }
    }
    let mut scores: Vec<AccountScore> =
        people.into_iter().filter_map(|(id, ps)| info(&live.book, id).map(|i| score_account(&i, &ps, now, &policy))).collect();
    scores.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.account_id.cmp(&b.account_id)));
    scores
}
