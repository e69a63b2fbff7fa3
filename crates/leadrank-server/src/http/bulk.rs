//! Bulk workers: a request that carries more than [`EXPRESS_RECORDS`] records is handled on
//! threads of its own, at a lower OS priority, instead of the threads that answer every other
//! request.
//!
//! Without them, a 1-event request queues behind batches of 500 twice: for a worker thread
//! (each await point of the small request waits until the batches running on the workers
//! reach their next await point: checking, rescoring and answering 500 records), and for the
//! CPU. On their own threads the batches cannot hold the request threads, and the lower
//! priority lets the kernel run a small request's thread first when both are ready. Batches
//! still make progress whenever no small request is running: the priority only orders who
//! waits, and on an idle machine a batch gets every core.
//!
//! The lock order and the write order are the service's, the same on both sets of threads:
//! a batch and a small request that share a lead are still applied in arrival order.

use std::future::Future;

use tokio::runtime::{Handle, Runtime};

use super::problem::{Problem, REQUEST_ID, request_id};

/// Records at or below which a request stays on the request threads.
pub const EXPRESS_RECORDS: usize = 16;

/// How much nicer the bulk threads are than the server's: 10 gives a ready request thread about ten
/// times the CPU share of a bulk thread while both want it.
const BULK_NICE: i32 = 10;

/// The bulk threads; stopped when dropped (work still queued there is dropped with them:
/// drop this only after the listener has finished the requests in flight).
pub struct BulkWorkers {
    runtime: Option<Runtime>,
}

impl BulkWorkers {
    /// Starts `threads` bulk threads.
    pub fn start(threads: usize) -> std::io::Result<BulkWorkers> {
        // Relative to the starting thread's own: a server started at nice 5 runs batches at 15.
        let nice = (current_nice() + BULK_NICE).min(19);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("leadrank-bulk")
            .on_thread_start(move || set_nice(nice))
            .enable_all()
            .build()?;
        Ok(BulkWorkers { runtime: Some(runtime) })
    }

    /// Where bulk work is spawned.
    pub fn handle(&self) -> Option<Handle> {
        self.runtime.as_ref().map(|r| r.handle().clone())
    }
}

impl Drop for BulkWorkers {
    fn drop(&mut self) {
        // Dropping a runtime blocks until its threads end, which is refused inside another
        // runtime; nothing is waited for here, so let them end in the background.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// The calling thread's nice value. (On Linux nice is per thread: `who` 0 with PRIO_PROCESS
/// names the calling thread. Elsewhere it names the process.)
fn current_nice() -> i32 {
    // SAFETY: getpriority reads and writes no memory of ours.
    unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
}

/// Sets the calling thread's nice value. Failing to is harmless: the bulk threads then share
/// the CPU evenly with the request threads.
fn set_nice(nice: i32) {
    // SAFETY: as in `current_nice`.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, nice);
    }
}

/// Runs `work` on the bulk threads when `records` is above [`EXPRESS_RECORDS`] (and bulk
/// threads run), else here. The request id goes along; a panic there is a panic here.
pub async fn by_size<T, F>(bulk: Option<&Handle>, records: usize, work: F) -> Result<T, Problem>
where
    F: Future<Output = Result<T, Problem>> + Send + 'static,
    T: Send + 'static,
{
    let Some(handle) = bulk.filter(|_| records > EXPRESS_RECORDS) else {
        return work.await;
    };
    let id = request_id();
    match handle.spawn(REQUEST_ID.scope(id, work)).await {
        Ok(answer) => answer,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => Err(Problem {
            retry_after: Some(1),
            ..Problem::new(axum::http::StatusCode::SERVICE_UNAVAILABLE, "shutting_down", "the server is stopping; send the batch again")
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread_name() -> String {
        std::thread::current().name().unwrap_or("").to_string()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn a_batch_runs_on_the_bulk_threads_and_a_small_request_stays() {
        let workers = BulkWorkers::start(1).expect("bulk threads");
        let handle = workers.handle();
        let big = by_size(handle.as_ref(), EXPRESS_RECORDS + 1, async { Ok(thread_name()) }).await.expect("answer");
        let small = by_size(handle.as_ref(), EXPRESS_RECORDS, async { Ok(thread_name()) }).await.expect("answer");
        assert_eq!(big, "leadrank-bulk");
        assert_ne!(small, "leadrank-bulk");
        // Without bulk threads everything stays.
        let inline = by_size(None, 500, async { Ok(thread_name()) }).await.expect("answer");
        assert_ne!(inline, "leadrank-bulk");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn the_request_id_goes_along() {
        let workers = BulkWorkers::start(1).expect("bulk threads");
        let handle = workers.handle();
        let seen = REQUEST_ID.scope("req-7".to_string(), by_size(handle.as_ref(), 500, async { Ok(request_id()) })).await;
        assert_eq!(seen.expect("answer"), "req-7");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn bulk_threads_run_at_a_lower_priority() {
        let workers = BulkWorkers::start(1).expect("bulk threads");
        let handle = workers.handle();
        let here = current_nice();
        let there = by_size(handle.as_ref(), 500, async { Ok(current_nice()) }).await.expect("answer");
        assert_eq!(there, (here + BULK_NICE).min(19));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn a_stopped_pool_answers_503_with_retry_after() {
        let workers = BulkWorkers::start(1).expect("bulk threads");
        let handle = workers.handle();
        drop(workers);
        let answer = by_size(handle.as_ref(), 500, async { Ok(()) }).await;
        let problem = answer.expect_err("stopped");
        assert_eq!(problem.status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(problem.retry_after, Some(1));
    }
}
