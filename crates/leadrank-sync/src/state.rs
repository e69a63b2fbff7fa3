//! What a connector keeps between runs, in the service's store (directory records of kinds
//! `crm.<crm>.*`):
//!
//! * `crm.<crm>.cursor` / object: the modification time read up to (epoch ms);
//! * `crm.<crm>.records` / `b00`..`b63`: per CRM record, what leadrank last wrote (`w`) and
//!   what the CRM held when last seen (`c`), in 64 buckets by a hash of the record id;
//! * `crm.<crm>.journal` / sequence number: the records changed since the buckets were last
//!   rewritten, one entry per page read or batch written, so a stop at any point loses
//!   nothing; the buckets are rewritten (and the journal emptied) at the end of a run;
//! * `crm.<crm>.budget` / `day`: the day's call count, so the daily cap spans runs.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use leadrank_service::{Service, ServiceError};
use serde::{Deserialize, Serialize};

const BUCKETS: u64 = 64;

/// One CRM record as the connector knows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordState {
    /// What leadrank last wrote, property -> value.
    #[serde(default)]
    pub w: BTreeMap<String, String>,
    /// What the CRM held when last read or written.
    #[serde(default)]
    pub c: BTreeMap<String, String>,
}

/// The connector's state of one CRM.
pub struct State {
    crm: String,
    pub records: HashMap<String, RecordState>,
    next_journal: u64,
    journal: Vec<String>,
    touched: BTreeSet<u64>,
}

fn bucket(id: &str) -> u64 {
    // FNV-1a: stable across builds and platforms.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h % BUCKETS
}

fn corrupt(kind: &str, id: &str, e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(format!("stored sync state {kind}/{id} does not decode: {e}"))
}

#[derive(Serialize, Deserialize)]
struct Cursor {
    since_ms: i64,
}

/// A cursor with the ids already read at its very time (engagement events: a run that reads
/// from the cursor again skips them instead of counting them again).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Boundary {
    pub since_ms: i64,
    #[serde(default)]
    pub at: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct Day {
    day: i64,
    used: u64,
}

impl State {
    fn kind(&self, what: &str) -> String {
        format!("crm.{}.{what}", self.crm)
    }

    /// Loads the state of `crm` (buckets, then the journal in order).
    pub async fn load(service: &Service, crm: &str) -> Result<State, ServiceError> {
        let mut s = State { crm: crm.into(), records: HashMap::new(), next_journal: 0, journal: Vec::new(), touched: BTreeSet::new() };
        for e in service.crm_state(&s.kind("records")).await? {
            let m: HashMap<String, RecordState> = serde_json::from_str(&e.body).map_err(|x| corrupt(&e.kind, &e.id, x))?;
            s.records.extend(m);
        }
        let mut journal = service.crm_state(&s.kind("journal")).await?;
        journal.sort_by(|a, b| a.id.cmp(&b.id));
        for e in journal {
            let m: BTreeMap<String, Option<RecordState>> = serde_json::from_str(&e.body).map_err(|x| corrupt(&e.kind, &e.id, x))?;
            for (id, r) in m {
                s.touched.insert(bucket(&id));
                match r {
                    Some(r) => s.records.insert(id, r),
                    None => s.records.remove(&id),
                };
            }
            let n: u64 = e.id.parse().map_err(|x| corrupt(&e.kind, &e.id, x))?;
            s.next_journal = s.next_journal.max(n + 1);
            s.journal.push(e.id);
        }
        Ok(s)
    }

    /// Records changes (`None`: forget the record) durably, then applies them.
    pub async fn append(&mut self, service: &Service, changes: BTreeMap<String, Option<RecordState>>) -> Result<(), ServiceError> {
        if changes.is_empty() {
            return Ok(());
        }
        let id = format!("{:012}", self.next_journal);
        let body = serde_json::to_string(&changes).map_err(|e| ServiceError::Internal(e.to_string()))?;
        service.put_crm_state(&self.kind("journal"), &id, body).await?;
        self.next_journal += 1;
        self.journal.push(id);
        for (id, r) in changes {
            self.touched.insert(bucket(&id));
            match r {
                Some(r) => self.records.insert(id, r),
                None => self.records.remove(&id),
            };
        }
        Ok(())
    }

    /// Rewrites the buckets the journal touched and empties the journal. A stop in between
    /// leaves the journal, which the next load applies again (its values are absolute).
    pub async fn compact(&mut self, service: &Service) -> Result<(), ServiceError> {
        let kind = self.kind("records");
        for b in std::mem::take(&mut self.touched) {
            let part: BTreeMap<&String, &RecordState> = self.records.iter().filter(|(id, _)| bucket(id) == b).collect();
            let id = format!("b{b:02}");
            if part.is_empty() {
                service.delete_crm_state(&kind, &id).await?;
            } else {
                let body = serde_json::to_string(&part).map_err(|e| ServiceError::Internal(e.to_string()))?;
                service.put_crm_state(&kind, &id, body).await?;
            }
        }
        let journal = self.kind("journal");
        for id in std::mem::take(&mut self.journal) {
            service.delete_crm_state(&journal, &id).await?;
        }
        Ok(())
    }

    /// The stored cursor of an object (epoch ms; 0 before the first run).
    pub async fn cursor(&self, service: &Service, object: &str) -> Result<i64, ServiceError> {
        let kind = self.kind("cursor");
        let entries = service.crm_state(&kind).await?;
        match entries.iter().find(|e| e.id == object) {
            Some(e) => Ok(serde_json::from_str::<Cursor>(&e.body).map_err(|x| corrupt(&kind, object, x))?.since_ms),
            None => Ok(0),
        }
    }

    pub async fn save_cursor(&self, service: &Service, object: &str, since_ms: i64) -> Result<(), ServiceError> {
        let body = serde_json::to_string(&Cursor { since_ms }).map_err(|e| ServiceError::Internal(e.to_string()))?;
        service.put_crm_state(&self.kind("cursor"), object, body).await
    }

    /// Every stored cursor with its boundary ids, by object key (one read of the store).
    pub async fn boundaries(&self, service: &Service) -> Result<BTreeMap<String, Boundary>, ServiceError> {
        let kind = self.kind("cursor");
        let mut out = BTreeMap::new();
        for e in service.crm_state(&kind).await? {
            let b: Boundary = serde_json::from_str(&e.body).map_err(|x| corrupt(&kind, &e.id, x))?;
            out.insert(e.id, b);
        }
        Ok(out)
    }

    /// Stores a cursor with its boundary ids (read back by [`State::cursor`] too).
    pub async fn save_boundary(&self, service: &Service, key: &str, b: &Boundary) -> Result<(), ServiceError> {
        let body = serde_json::to_string(b).map_err(|e| ServiceError::Internal(e.to_string()))?;
        service.put_crm_state(&self.kind("cursor"), key, body).await
    }

    /// The day's call count kept by the last run.
    pub async fn day(&self, service: &Service) -> Result<Option<(i64, u64)>, ServiceError> {
        let kind = self.kind("budget");
        let entries = service.crm_state(&kind).await?;
        match entries.iter().find(|e| e.id == "day") {
            Some(e) => {
                let d: Day = serde_json::from_str(&e.body).map_err(|x| corrupt(&kind, "day", x))?;
                Ok(Some((d.day, d.used)))
            }
            None => Ok(None),
        }
    }

    pub async fn save_day(&self, service: &Service, day: i64, used: u64) -> Result<(), ServiceError> {
        let body = serde_json::to_string(&Day { day, used }).map_err(|e| ServiceError::Internal(e.to_string()))?;
        service.put_crm_state(&self.kind("budget"), "day", body).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn buckets_are_stable() {
        assert_eq!(super::bucket("1001"), super::bucket("1001"));
        assert!(super::bucket("x") < super::BUCKETS);
    }
}
