//! The order in which writes reach the store and the live book.
//!
//! Every write is committed and applied in arrival order *per key* (a lead, an account, an
//! event id): a request waits only for earlier requests that share a key with it, so a
//! single event is not queued behind a bulk batch of other leads. Operations that touch
//! everything (erasure, model activation, start-up) take the order exclusively: they wait for
//! the writes in flight and hold back new ones, first come first served.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock, watch};

/// A key writes are ordered by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OrderKey {
    Lead(Box<str>),
    Account(Box<str>),
    Event(Box<str>),
    Deal(Box<str>),
}

/// The arrival order of writes.
pub struct WriteOrder {
    /// Keyed writes hold it shared, whole-book operations exclusively (tokio's lock is fair:
    /// a waiting exclusive holder holds back later shared ones).
    gate: Arc<RwLock<()>>,
    /// The last write registered on each key; it signals `true` when done.
    tails: Mutex<HashMap<OrderKey, Arc<watch::Sender<bool>>>>,
}

/// Proof that the holder's turn has come: what the live book may be written with.
pub struct Turn<'a> {
    kind: TurnKind,
    order: &'a WriteOrder,
    keys: Vec<OrderKey>,
    done: Option<Arc<watch::Sender<bool>>>,
}

enum TurnKind {
    Shared(#[allow(dead_code)] OwnedRwLockReadGuard<()>),
    Exclusive(#[allow(dead_code)] OwnedRwLockWriteGuard<()>),
}

impl Default for WriteOrder {
    fn default() -> Self {
        WriteOrder { gate: Arc::new(RwLock::new(())), tails: Mutex::new(HashMap::new()) }
    }
}

impl WriteOrder {
    /// Waits until every earlier write sharing one of `keys` is done.
    ///
    /// The shared gate is taken before the keys are registered: every registered write then
    /// holds the gate, so an exclusive turn waiting for the gate can never wait for a write
    /// that itself waits (on a key) for one queued behind that exclusive turn.
    pub async fn keyed(&self, keys: impl IntoIterator<Item = OrderKey>) -> Turn<'_> {
        let mut keys: Vec<OrderKey> = keys.into_iter().collect();
        keys.sort_unstable();
        keys.dedup();
        let gate = self.gate.clone().read_owned().await;
        let (tx, _) = watch::channel(false);
        let done = Arc::new(tx);
        let mut waits = Vec::new();
        {
            let mut tails = self.tails.lock().unwrap_or_else(|e| e.into_inner());
            for key in &keys {
                if let Some(prev) = tails.insert(key.clone(), done.clone()) {
                    waits.push(prev.subscribe());
                }
            }
        }
        for mut w in waits {
            // A dropped sender (its turn ended without signalling) counts as done.
            let _ = w.wait_for(|d| *d).await;
        }
        Turn { kind: TurnKind::Shared(gate), order: self, keys, done: Some(done) }
    }

    /// Waits for every write in flight and holds back new ones until the turn is dropped.
    pub async fn exclusive(&self) -> Turn<'_> {
        let gate = self.gate.clone().write_owned().await;
        Turn { kind: TurnKind::Exclusive(gate), order: self, keys: Vec::new(), done: None }
    }

    /// A turn that waits for nothing but exclusive operations (the window sweeper, which
    /// changes no record).
    pub async fn background(&self) -> Turn<'_> {
        let gate = self.gate.clone().read_owned().await;
        Turn { kind: TurnKind::Shared(gate), order: self, keys: Vec::new(), done: None }
    }

    /// Keys with a write registered (for tests: none once all turns ended).
    pub fn pending_keys(&self) -> usize {
        self.tails.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

impl Turn<'_> {
    /// Whether this turn holds back every other write.
    pub fn is_exclusive(&self) -> bool {
        matches!(self.kind, TurnKind::Exclusive(_))
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let Some(done) = self.done.take() else { return };
        let _ = done.send(true);
        let mut tails = self.order.tails.lock().unwrap_or_else(|e| e.into_inner());
        for key in &self.keys {
            if tails.get(key).is_some_and(|t| Arc::ptr_eq(t, &done)) {
                tails.remove(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn lead(id: &str) -> OrderKey {
        OrderKey::Lead(id.into())
    }

    #[tokio::test]
    async fn writes_on_other_keys_do_not_wait() {
        let order = WriteOrder::default();
        let first = order.keyed([lead("A")]).await;
        let second = tokio::time::timeout(Duration::from_millis(200), order.keyed([lead("B")])).await;
        assert!(second.is_ok(), "a write on B waited for one on A");
        drop(first);
    }

    #[tokio::test]
    async fn writes_on_a_shared_key_go_in_arrival_order() {
        let order = Arc::new(WriteOrder::default());
        let first = order.keyed([lead("A"), lead("B")]).await;
        let log = Arc::new(Mutex::new(Vec::new()));
        let (o, l) = (order.clone(), log.clone());
        let second = tokio::spawn(async move {
            let _t = o.keyed([lead("B")]).await;
            l.lock().unwrap().push("second");
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(log.lock().unwrap().is_empty(), "the second write on B ran before the first ended");
        log.lock().unwrap().push("first");
        drop(first);
        second.await.unwrap();
        assert_eq!(*log.lock().unwrap(), vec!["first", "second"]);
        assert_eq!(order.pending_keys(), 0);
    }

    #[tokio::test]
    async fn an_exclusive_turn_waits_for_writes_in_flight_and_holds_back_later_ones() {
        let order = Arc::new(WriteOrder::default());
        let write = order.keyed([lead("A")]).await;
        let o = order.clone();
        let exclusive = tokio::spawn(async move {
            let t = o.exclusive().await;
            assert!(t.is_exclusive());
            tokio::time::sleep(Duration::from_millis(50)).await;
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!exclusive.is_finished());
        // A later write on another key queues behind the waiting exclusive turn.
        let o = order.clone();
        let later = tokio::spawn(async move {
            let _t = o.keyed([lead("B")]).await;
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!later.is_finished());
        drop(write);
        exclusive.await.unwrap();
        later.await.unwrap();
    }
}
