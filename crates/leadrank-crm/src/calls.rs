//! How many API calls a sync spends: what a dry run prints, and what the benchmarks count.

/// Calls to read `records` records at `page` per call (at least one call, which finds out
/// that there is nothing).
pub fn pages(records: u64, page: u64) -> u64 {
    records.div_ceil(page.max(1)).max(1)
}

/// Calls to write `records` records at `batch` per call (none for none).
pub fn batches(records: u64, batch: u64) -> u64 {
    records.div_ceil(batch.max(1))
}

/// The calls of one sync, by purpose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallCount {
    /// Reading changed records (search pages, association reads).
    pub reads: u64,
    /// Writing leadrank's fields back (batch updates).
    pub writes: u64,
    /// Checking and creating the property group and properties.
    pub setup: u64,
}

impl CallCount {
    pub fn total(&self) -> u64 {
        self.reads + self.writes + self.setup
    }
}

impl std::ops::AddAssign for CallCount {
    fn add_assign(&mut self, o: CallCount) {
        self.reads += o.reads;
        self.writes += o.writes;
        self.setup += o.setup;
    }
}

/// The least time in seconds that `calls` calls take at `burst` calls per `window_s` seconds
/// (the first `burst` go at once).
pub fn least_seconds(calls: u64, burst: u64, window_s: f64) -> f64 {
    if calls <= burst || burst == 0 { 0.0 } else { ((calls - 1) / burst) as f64 * window_s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(pages(0, 100), 1);
        assert_eq!(pages(10_000, 100), 100);
        assert_eq!(pages(10_001, 200), 51);
        assert_eq!(batches(0, 100), 0);
        assert_eq!(batches(250, 100), 3);
        assert_eq!(least_seconds(1_000, 100, 10.0), 90.0);
        assert_eq!(least_seconds(50, 100, 10.0), 0.0);
    }
}
