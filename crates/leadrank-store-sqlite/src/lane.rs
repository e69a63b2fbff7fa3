//! Who takes the one writer connection next.
//!
//! SQLite has one writer. A plain queue makes a 1-event request wait behind every bulk
//! batch queued before it (hundreds of milliseconds while batches of 500 stream in). Writes
//! of a few rows take the express lane instead: when the connection is released, the oldest
//! express write goes first, unless [`MAX_EXPRESS_RUN`] express writes in a row already went
//! ahead of a waiting bulk write (so bulk writes always make progress). Within a lane, first
//! come first served. Callers' per-key arrival order is kept by the service's write order
//! above the store: two writes that share a key are never in the queue together.
//!
//! Hand-written (about 100 lines) because the crates offering a priority mutex for tokio are
//! unmaintained or lack cancellation safety; this one hands a turn on when a waiter is
//! cancelled, including when the turn was handed to it at the moment it was cancelled.

use std::collections::VecDeque;
use std::sync::Mutex;

use tokio::sync::oneshot;

/// Rows at or below which a write takes the express lane.
pub(crate) const EXPRESS_ROWS: usize = leadrank_store::SMALL_WRITE_RECORDS;

/// Express writes that may go ahead of a waiting bulk write in a row.
pub(crate) const MAX_EXPRESS_RUN: u32 = 8;

/// The lane a write queues in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lane {
    Express,
    Bulk,
}

impl Lane {
    /// The lane for a write of `rows` rows.
    pub(crate) fn for_rows(rows: usize) -> Lane {
        if rows <= EXPRESS_ROWS { Lane::Express } else { Lane::Bulk }
    }
}

#[derive(Debug, Default)]
struct Queue {
    busy: bool,
    express: VecDeque<oneshot::Sender<()>>,
    bulk: VecDeque<oneshot::Sender<()>>,
    express_run: u32,
}

/// The queue for the writer connection.
#[derive(Debug, Default)]
pub(crate) struct WriteLanes {
    queue: Mutex<Queue>,
}

/// The writer connection's turn: the next waiter gets it when this is dropped.
pub(crate) struct WriteTurn<'a> {
    lanes: &'a WriteLanes,
}

impl Drop for WriteTurn<'_> {
    fn drop(&mut self) {
        self.lanes.hand_on();
    }
}

/// A waiter's claim; gives back a turn that reached it after it was cancelled.
struct Waiting<'a> {
    lanes: &'a WriteLanes,
    rx: Option<oneshot::Receiver<()>>,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if let Some(mut rx) = self.rx.take() {
            rx.close();
            if rx.try_recv().is_ok() {
                self.lanes.hand_on();
            }
        }
    }
}

impl WriteLanes {
    /// Waits for the writer connection in `lane`.
    pub(crate) async fn enter(&self, lane: Lane) -> WriteTurn<'_> {
        let rx = {
            let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
            if !q.busy {
                q.busy = true;
                return WriteTurn { lanes: self };
            }
            let (tx, rx) = oneshot::channel();
            match lane {
                Lane::Express => q.express.push_back(tx),
                Lane::Bulk => q.bulk.push_back(tx),
            }
            rx
        };
        let mut waiting = Waiting { lanes: self, rx: Some(rx) };
        if let Some(rx) = waiting.rx.as_mut() {
            // The sender is only dropped unsent when the lanes themselves are dropped, which
            // cannot happen while `self` is borrowed; either way the turn is ours.
            let _ = rx.await;
        }
        waiting.rx = None;
        WriteTurn { lanes: self }
    }

    /// Gives the connection to the next waiter, or marks it free.
    fn hand_on(&self) {
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let express_first = !q.express.is_empty() && (q.bulk.is_empty() || q.express_run < MAX_EXPRESS_RUN);
            let next = if express_first {
                q.express_run += 1;
                q.express.pop_front()
            } else {
                q.express_run = 0;
                q.bulk.pop_front()
            };
            match next {
                // A waiter that was cancelled meanwhile: try the next.
                Some(tx) => {
                    if tx.send(()).is_ok() {
                        return;
                    }
                }
                None => {
                    q.busy = false;
                    return;
                }
            }
        }
    }

    /// Writes waiting in each lane (express, bulk), for tests.
    #[cfg(test)]
    fn waiting(&self) -> (usize, usize) {
        let q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        (q.express.len(), q.bulk.len())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;

    async fn settle() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    #[tokio::test]
    async fn an_express_write_goes_before_bulk_writes_queued_earlier() {
        let lanes = Arc::new(WriteLanes::default());
        let order = Arc::new(Mutex::new(Vec::new()));
        let held = lanes.enter(Lane::Bulk).await;
        let mut tasks = Vec::new();
        for (name, lane) in [("bulk1", Lane::Bulk), ("bulk2", Lane::Bulk), ("express", Lane::Express)] {
            let (l, o) = (lanes.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let _t = l.enter(lane).await;
                o.lock().unwrap().push(name);
            }));
            settle().await;
        }
        assert_eq!(lanes.waiting(), (1, 2));
        drop(held);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec!["express", "bulk1", "bulk2"]);
    }

    #[tokio::test]
    async fn bulk_writes_are_not_starved_by_a_stream_of_express_writes() {
        let lanes = Arc::new(WriteLanes::default());
        let order = Arc::new(Mutex::new(Vec::new()));
        let held = lanes.enter(Lane::Express).await;
        let mut tasks = Vec::new();
        let mut lanes_in_order = vec![Lane::Bulk];
        lanes_in_order.extend(std::iter::repeat_n(Lane::Express, MAX_EXPRESS_RUN as usize + 2));
        for (i, lane) in lanes_in_order.into_iter().enumerate() {
            let (l, o) = (lanes.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let _t = l.enter(lane).await;
                o.lock().unwrap().push(i);
            }));
            settle().await;
        }
        drop(held);
        for t in tasks {
            t.await.unwrap();
        }
        let order = order.lock().unwrap();
        let bulk_at = order.iter().position(|&i| i == 0).unwrap();
        assert_eq!(bulk_at, MAX_EXPRESS_RUN as usize, "the bulk write went after exactly MAX_EXPRESS_RUN express writes: {order:?}");
    }

    #[tokio::test]
    async fn a_cancelled_waiter_passes_the_turn_on() {
        let lanes = Arc::new(WriteLanes::default());
        let held = lanes.enter(Lane::Bulk).await;
        let l = lanes.clone();
        let cancelled = tokio::spawn(async move {
            let _t = l.enter(Lane::Express).await;
            unreachable!("this waiter is aborted before its turn");
        });
        settle().await;
        let l = lanes.clone();
        let later = tokio::spawn(async move {
            let _t = l.enter(Lane::Bulk).await;
        });
        settle().await;
        cancelled.abort();
        let _ = cancelled.await;
        drop(held);
        tokio::time::timeout(Duration::from_secs(2), later).await.expect("the turn was lost").unwrap();
        // And the lanes are free again.
        tokio::time::timeout(Duration::from_secs(2), lanes.enter(Lane::Bulk)).await.expect("the lanes stayed busy");
    }

    #[test]
    fn a_turn_handed_to_a_waiter_as_it_is_cancelled_is_handed_on() {
        let lanes = WriteLanes::default();
        let first = WriteTurn { lanes: &lanes };
        lanes.queue.lock().unwrap().busy = true;
        let (tx, rx) = oneshot::channel();
        lanes.queue.lock().unwrap().express.push_back(tx);
        // The turn reaches the waiter ...
        drop(first);
        assert!(lanes.queue.lock().unwrap().busy);
        // ... which is dropped before it looked: the lanes must become free.
        drop(Waiting { lanes: &lanes, rx: Some(rx) });
        assert!(!lanes.queue.lock().unwrap().busy);
    }
}
