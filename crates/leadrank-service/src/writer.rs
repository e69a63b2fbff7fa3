//! The background writer of derived data: score changes (current score and history),
//! operating state and log (stages, assignments, breaches) and webhook deliveries. Requests do not wait for it; it commits in order, coalescing what
//! piles up, and retries on database errors rather than dropping anything.

use std::sync::Arc;
use std::time::Duration;

use leadrank_store::{Delivery, LeadOps, OpsLogEntry, Store, StoredScore};
use tokio::sync::{Notify, mpsc, oneshot};

use crate::metrics::Metrics;

/// Scores per transaction: large enough to keep bulk ingest fast, small enough that a
/// request's write never waits long behind one.
const SCORE_SLICE: usize = 1_000;

/// Score changes and deliveries to commit together.
#[derive(Default)]
pub(crate) struct WriteBatch {
    pub scores: Vec<StoredScore>,
    pub deliveries: Vec<Delivery>,
    pub ops: Vec<LeadOps>,
    pub log: Vec<OpsLogEntry>,
}

enum Msg {
    Write(WriteBatch),
    Flush(oneshot::Sender<()>),
}

/// Handle to the writer task.
pub(crate) struct Writer {
    tx: mpsc::UnboundedSender<Msg>,
}

impl Writer {
    /// Starts the writer task.
    pub(crate) fn spawn(store: Arc<dyn Store>, wakeup: Arc<Notify>, metrics: Arc<Metrics>) -> Writer {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(store, rx, wakeup, metrics));
        Writer { tx }
    }

    /// Queues a batch.
    pub(crate) fn send(&self, batch: WriteBatch) {
        let _ = self.tx.send(Msg::Write(batch));
    }

    /// Waits until everything queued before this call is committed.
    pub(crate) async fn flush(&self) {
        let (tx, rx) = oneshot::channel();
        if self.tx.send(Msg::Flush(tx)).is_ok() {
            let _ = rx.await;
        }
    }
}

async fn run(store: Arc<dyn Store>, mut rx: mpsc::UnboundedReceiver<Msg>, wakeup: Arc<Notify>, metrics: Arc<Metrics>) {
    while let Some(first) = rx.recv().await {
        let mut batch = WriteBatch::default();
        let mut flushes = Vec::new();
        let mut take = |msg: Msg, batch: &mut WriteBatch| match msg {
            Msg::Write(b) => {
                batch.scores.extend(b.scores);
                batch.deliveries.extend(b.deliveries);
                batch.ops.extend(b.ops);
                batch.log.extend(b.log);
            }
            Msg::Flush(done) => flushes.push(done),
        };
        take(first, &mut batch);
        while batch.scores.len() < 20_000 {
            match rx.try_recv() {
                Ok(msg) => take(msg, &mut batch),
                Err(_) => break,
            }
        }
        let mut delay = Duration::from_millis(50);
        // What is committed survives a retry, so nothing is written twice (history rows and
        // log entries are appended, not upserted).
        let mut scores_saved = 0;
        let mut ops_saved = batch.ops.is_empty() && batch.log.is_empty();
        let mut deliveries_saved = batch.deliveries.is_empty();
        loop {
            let result = async {
                // Scores go in slices, each its own transaction, so a request's write waits
                // for at most one slice rather than for everything that piled up.
                while scores_saved < batch.scores.len() {
                    let end = (scores_saved + SCORE_SLICE).min(batch.scores.len());
                    store.save_scores(&batch.scores[scores_saved..end]).await?;
                    scores_saved = end;
                }
                if !ops_saved {
                    store.save_ops(&batch.ops, &batch.log).await?;
                    ops_saved = true;
                }
                if !deliveries_saved {
                    store.enqueue_deliveries(&batch.deliveries).await?;
                    deliveries_saved = true;
                }
                Ok::<(), leadrank_store::StoreError>(())
            }
            .await;
            match result {
                Ok(()) => break,
                Err(e) => {
                    metrics.store_error();
                    tracing::error!(error = %e, "writing scores failed; retrying");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(5));
                }
            }
        }
        if !batch.deliveries.is_empty() {
            wakeup.notify_one();
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}
