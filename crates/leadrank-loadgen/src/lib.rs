//! Helpers shared by the `leadrank-loadgen` binary and its crash test: reading the CSV
//! files of `leadrank generate` into the JSON records of the API, and percentiles.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use serde_json::{Map, Value};

/// Reads a CSV file into JSON objects, one per row, named by the header. Empty cells are
/// left out; the `properties` column (events) is parsed as a JSON object.
pub fn read_records(path: &Path) -> anyhow::Result<Vec<Value>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let mut out = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.with_context(|| format!("{} row {}", path.display(), i + 2))?;
        let mut obj = Map::new();
        for (name, cell) in headers.iter().zip(row.iter()) {
            if cell.is_empty() {
                continue;
            }
            let value = if name == "properties" {
                let v: Value = serde_json::from_str(cell).with_context(|| {
                    format!("{} row {}: properties is not JSON", path.display(), i + 2)
                })?;
                anyhow::ensure!(
                    v.is_object(),
                    "{} row {}: properties is not a JSON object",
                    path.display(),
                    i + 2
                );
                v
            } else {
                Value::String(cell.to_string())
            };
            obj.insert(name.to_string(), value);
        }
        out.push(Value::Object(obj));
    }
    Ok(out)
}

/// Serialises `records` into request bodies `{"<name>": [...]}` of at most `batch` records
/// and `max_bytes` bytes (a batch over the byte limit is split in halves).
pub fn bodies(
    name: &str,
    records: &[Value],
    batch: usize,
    max_bytes: usize,
) -> Vec<(usize, Vec<u8>)> {
    fn push(name: &str, chunk: &[Value], max_bytes: usize, out: &mut Vec<(usize, Vec<u8>)>) {
        let body =
            serde_json::to_vec(&serde_json::json!({ name: chunk })).expect("JSON values serialise");
        if body.len() > max_bytes && chunk.len() > 1 {
            let (a, b) = chunk.split_at(chunk.len() / 2);
            push(name, a, max_bytes, out);
            push(name, b, max_bytes, out);
        } else {
            out.push((chunk.len(), body));
        }
    }
    let mut out = Vec::new();
    for chunk in records.chunks(batch.max(1)) {
        push(name, chunk, max_bytes, &mut out);
    }
    out
}

/// Latency percentiles of a set of samples (nearest rank).
#[derive(Debug, Clone, Copy, Default)]
pub struct Percentiles {
    pub count: usize,
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Percentiles {
    pub fn of(samples: &[Duration]) -> Self {
        let mut v = samples.to_vec();
        v.sort_unstable();
        let at = |q: f64| -> Duration {
            if v.is_empty() {
                return Duration::ZERO;
            }
            let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
            v[rank - 1]
        };
        Percentiles {
            count: v.len(),
            p50: at(0.50),
            p90: at(0.90),
            p99: at(0.99),
            max: v.last().copied().unwrap_or_default(),
        }
    }

    /// As JSON, in milliseconds.
    pub fn to_json(self) -> Value {
        let ms = |d: Duration| (d.as_secs_f64() * 1e6).round() / 1e3;
        serde_json::json!({"count": self.count, "p50_ms": ms(self.p50), "p90_ms": ms(self.p90), "p99_ms": ms(self.p99), "max_ms": ms(self.max)})
    }
}

impl std::fmt::Display for Percentiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        write!(
            f,
            "p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms (n={})",
            ms(self.p50),
            ms(self.p90),
            ms(self.p99),
            ms(self.max),
            self.count
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let v: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let p = Percentiles::of(&v);
        assert_eq!(
            (p.p50, p.p99, p.max),
            (
                Duration::from_millis(50),
                Duration::from_millis(99),
                Duration::from_millis(100)
            )
        );
        assert_eq!(Percentiles::of(&[]).count, 0);
    }

    #[test]
    fn bodies_respect_count_and_size() {
        let recs: Vec<Value> = (0..1001)
            .map(|i| serde_json::json!({"event_id": format!("e{i}"), "pad": "x".repeat(100)}))
            .collect();
        let b = bodies("events", &recs, 500, usize::MAX);
        assert_eq!(b.iter().map(|x| x.0).collect::<Vec<_>>(), vec![500, 500, 1]);
        let b = bodies("events", &recs, 500, 20_000);
        assert!(b.iter().all(|x| x.1.len() <= 20_000));
        assert_eq!(b.iter().map(|x| x.0).sum::<usize>(), 1001);
    }
}
