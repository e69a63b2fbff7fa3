//! The service's notion of now, replaceable in tests.

use std::sync::Mutex;

use jiff::Timestamp;

/// Where the service reads the current time.
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> Timestamp;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that moves only when told to, for deterministic tests.
#[derive(Debug)]
pub struct ManualClock(Mutex<Timestamp>);

impl ManualClock {
    /// A clock standing at `at`.
    pub fn new(at: Timestamp) -> Self {
        ManualClock(Mutex::new(at))
    }

    /// Moves the clock to `at`.
    pub fn set(&self, at: Timestamp) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A clock that stands at moments of a replayed past while told to, and otherwise reads its
/// base clock (`serve --demo` plays the demo's last weeks in time order on it, then lets time
/// run).
pub struct ReplayClock {
    base: std::sync::Arc<dyn Clock>,
    replaying: Mutex<Option<Timestamp>>,
}

impl ReplayClock {
    /// A clock reading `base` until [`Self::replay_at`] is called.
    pub fn over(base: std::sync::Arc<dyn Clock>) -> Self {
        ReplayClock { base, replaying: Mutex::new(None) }
    }

    /// Stands the clock at `at` (a moment of the replayed past).
    pub fn replay_at(&self, at: Timestamp) {
        *self.replaying.lock().unwrap_or_else(|e| e.into_inner()) = Some(at);
    }

    /// Ends the replay: from now on the clock reads its base clock.
    pub fn resume(&self) {
        *self.replaying.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

impl Clock for ReplayClock {
    fn now(&self) -> Timestamp {
        let replaying = *self.replaying.lock().unwrap_or_else(|e| e.into_inner());
        replaying.unwrap_or_else(|| self.base.now())
    }
}
