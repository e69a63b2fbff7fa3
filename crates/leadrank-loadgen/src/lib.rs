//! Helpers shared by the `leadrank-loadgen` binary and its crash test: reading the CSV
//! files of `leadrank generate` into the JSON records of the API, percentiles, and what the
//! web benchmark reads from pages and from the server's log.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use serde_json::{Map, Value};

/// Reads a CSV file into JSON objects, one per row, named by the header. Empty cells are
/// left out; the `properties` column (events) is parsed as a JSON object.
pub fn read_records(path: &Path) -> anyhow::Result<Vec<Value>> {
    let mut reader = csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
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
                let v: Value =
                    serde_json::from_str(cell).with_context(|| format!("{} row {}: properties is not JSON", path.display(), i + 2))?;
                anyhow::ensure!(v.is_object(), "{} row {}: properties is not a JSON object", path.display(), i + 2);
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
pub fn bodies(name: &str, records: &[Value], batch: usize, max_bytes: usize) -> Vec<(usize, Vec<u8>)> {
    fn push(name: &str, chunk: &[Value], max_bytes: usize, out: &mut Vec<(usize, Vec<u8>)>) {
        let body = serde_json::to_vec(&serde_json::json!({ name: chunk })).expect("JSON values serialise");
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
    pub p95: Duration,
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
            p95: at(0.95),
            p99: at(0.99),
            max: v.last().copied().unwrap_or_default(),
        }
    }

    /// As JSON, in milliseconds.
    pub fn to_json(self) -> Value {
        let ms = |d: Duration| (d.as_secs_f64() * 1e6).round() / 1e3;
        serde_json::json!({"count": self.count, "p50_ms": ms(self.p50), "p90_ms": ms(self.p90), "p95_ms": ms(self.p95), "p99_ms": ms(self.p99), "max_ms": ms(self.max)})
    }
}

impl std::fmt::Display for Percentiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        write!(
            f,
            "p50 {:.2} ms, p90 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms (n={})",
            ms(self.p50),
            ms(self.p90),
            ms(self.p95),
            ms(self.p99),
            ms(self.max),
            self.count
        )
    }
}

/// The lead ids a queue page or fragment links to (its rows' `data-lead` attributes), in
/// page order, each once.
pub fn queue_lead_ids(html: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for part in html.split("data-lead=\"").skip(1) {
        let Some((id, _)) = part.split_once('"') else { continue };
        if !id.is_empty() && !ids.iter().any(|x| x == id) {
            ids.push(id.to_string());
        }
    }
    ids
}

/// The value of the `name` cookie set by a `Set-Cookie` header value, if it sets it.
pub fn set_cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    let (k, v) = header.split(';').next()?.split_once('=')?;
    (k.trim() == name && !v.trim().is_empty()).then(|| v.trim())
}

/// The server-side time of each request in the service's log, by request id: the
/// `request_id=... ms=...` fields of its per-request lines (other lines are skipped).
pub fn server_ms_by_request(log: &str) -> std::collections::HashMap<String, f64> {
    let mut out = std::collections::HashMap::new();
    for line in log.lines() {
        let (mut id, mut ms) = (None, None);
        for field in line.split_ascii_whitespace() {
            if let Some(v) = field.strip_prefix("request_id=") {
                id = Some(v);
            } else if let Some(v) = field.strip_prefix("ms=") {
                ms = v.parse::<f64>().ok();
            }
        }
        if let (Some(id), Some(ms)) = (id, ms) {
            out.insert(id.to_string(), ms);
        }
    }
    out
}

/// The value of an unlabelled sample `name` in a Prometheus / OpenMetrics text exposition.
pub fn prom_value(text: &str, name: &str) -> Option<f64> {
    prom_samples(text).find(|(n, labels, _)| *n == name && labels.is_empty()).map(|(_, _, v)| v)
}

/// Samples of a text exposition: (name, labels without braces, value). Comments are skipped.
fn prom_samples(text: &str) -> impl Iterator<Item = (&str, &str, f64)> {
    text.lines().filter_map(|line| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let (series, rest) = match (line.find('{'), line.rfind('}')) {
            (Some(open), Some(close)) if open < close => (&line[..open], (&line[open + 1..close], &line[close + 1..])),
            _ => {
                let (n, r) = line.split_once(char::is_whitespace)?;
                (n, ("", r))
            }
        };
        let value = rest.1.split_whitespace().next()?;
        let value = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v.parse().ok()?,
        };
        Some((series, rest.0, value))
    })
}

/// A Prometheus histogram read from the text format: cumulative counts by bucket upper
/// bound (`le`, ascending, `+Inf` last), the sum and the count of observations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PromHistogram {
    pub buckets: Vec<(f64, u64)>,
    pub sum: f64,
    pub count: u64,
}

impl PromHistogram {
    /// Reads the histogram `name` (without the `_bucket` / `_sum` / `_count` suffixes).
    pub fn parse(text: &str, name: &str) -> Option<PromHistogram> {
        let (bucket, sum, count) = (format!("{name}_bucket"), format!("{name}_sum"), format!("{name}_count"));
        let mut h = PromHistogram::default();
        let mut seen = false;
        for (n, labels, v) in prom_samples(text) {
            if n == bucket {
                let le = labels.split(',').find_map(|l| {
                    let (k, v) = l.split_once('=')?;
                    (k.trim() == "le").then(|| v.trim().trim_matches('"'))
                })?;
                let le = if le == "+Inf" { f64::INFINITY } else { le.parse().ok()? };
                h.buckets.push((le, v as u64));
            } else if n == sum {
                h.sum = v;
                seen = true;
            } else if n == count {
                h.count = v as u64;
                seen = true;
            }
        }
        h.buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
        (seen || !h.buckets.is_empty()).then_some(h)
    }

    /// The observations made since `before` (same buckets).
    pub fn minus(&self, before: &PromHistogram) -> PromHistogram {
        let buckets = self
            .buckets
            .iter()
            .map(|(le, n)| {
                let b = before.buckets.iter().find(|(l, _)| l == le).map_or(0, |x| x.1);
                (*le, n.saturating_sub(b))
            })
            .collect();
        PromHistogram { buckets, sum: self.sum - before.sum, count: self.count.saturating_sub(before.count) }
    }

    /// The mean observation (sum / count).
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum / self.count as f64)
    }

    /// The upper bound of the bucket holding the q-quantile (nearest rank): the true
    /// quantile is at most this (and above the previous bound).
    pub fn quantile_bound(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        self.buckets.iter().find(|(_, n)| *n >= rank).map(|(le, _)| *le)
    }

    /// The upper bound of the highest non-empty bucket (a bound on the maximum).
    pub fn max_bound(&self) -> Option<f64> {
        self.quantile_bound(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let v: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let p = Percentiles::of(&v);
        assert_eq!((p.p50, p.p99, p.max), (Duration::from_millis(50), Duration::from_millis(99), Duration::from_millis(100)));
        assert_eq!(Percentiles::of(&[]).count, 0);
    }

    #[test]
    fn p95_is_the_nearest_rank() {
        let v: Vec<Duration> = (1..=40).rev().map(Duration::from_millis).collect();
        assert_eq!(Percentiles::of(&v).p95, Duration::from_millis(38));
    }

    #[test]
    fn queue_pages_give_their_lead_ids_once_in_order() {
        let html = r#"<tr data-lead="l-9" data-row="0"><a href="/leads/l-9">x</a></tr><tr data-lead="l-2"></tr><tr data-lead="l-9"></tr><tr data-lead=""></tr>"#;
        assert_eq!(queue_lead_ids(html), vec!["l-9", "l-2"]);
        assert!(queue_lead_ids("<tbody></tbody>").is_empty());
    }

    #[test]
    fn session_cookie_is_read_from_set_cookie() {
        assert_eq!(set_cookie_value("lr_session=abc123; Path=/; HttpOnly; SameSite=Strict", "lr_session"), Some("abc123"));
        assert_eq!(set_cookie_value("other=1; Path=/", "lr_session"), None);
        assert_eq!(set_cookie_value("lr_session=; Path=/; Max-Age=0", "lr_session"), None);
    }

    #[test]
    fn server_times_are_read_from_the_log_by_request_id() {
        let log = "2026-12-06T13:00:00.000001Z  INFO leadrank_server::http: request request_id=wb1-q-0 method=GET route=/queue status=200 ms=12.5\n\
                   2026-12-06T13:00:00.000002Z  INFO leadrank_service: something else happened\n\
                   2026-12-06T13:00:00.000003Z  INFO leadrank_server::http: request request_id=wb1-q-1 method=GET route=/queue status=200 ms=0.25\n";
        let m = server_ms_by_request(log);
        assert_eq!(m.len(), 2);
        assert_eq!(m.get("wb1-q-0"), Some(&12.5));
        assert_eq!(m.get("wb1-q-1"), Some(&0.25));
    }

    #[test]
    fn bodies_respect_count_and_size() {
        let recs: Vec<Value> = (0..1001).map(|i| serde_json::json!({"event_id": format!("e{i}"), "pad": "x".repeat(100)})).collect();
        let b = bodies("events", &recs, 500, usize::MAX);
        assert_eq!(b.iter().map(|x| x.0).collect::<Vec<_>>(), vec![500, 500, 1]);
        let b = bodies("events", &recs, 500, 20_000);
        assert!(b.iter().all(|x| x.1.len() <= 20_000));
        assert_eq!(b.iter().map(|x| x.0).sum::<usize>(), 1001);
    }
    #[test]
    fn prometheus_text_is_read() {
        let text = "# HELP leadrank_routing_decisions Leads routed.\n# TYPE leadrank_routing_decisions counter\nleadrank_routing_decisions_total 12\nleadrank_http_requests_total{method=\"GET\",route=\"/v1/leads\",status=\"200\"} 3\n# TYPE leadrank_sla_detection_lag_seconds histogram\nleadrank_sla_detection_lag_seconds_sum 0.05\nleadrank_sla_detection_lag_seconds_count 10\nleadrank_sla_detection_lag_seconds_bucket{le=\"0.001\"} 2\nleadrank_sla_detection_lag_seconds_bucket{le=\"0.002\"} 9\nleadrank_sla_detection_lag_seconds_bucket{le=\"0.004\"} 10\nleadrank_sla_detection_lag_seconds_bucket{le=\"+Inf\"} 10\n# EOF\n";
        assert_eq!(prom_value(text, "leadrank_routing_decisions_total"), Some(12.0));
        assert_eq!(prom_value(text, "leadrank_http_requests_total"), None);
        let h = PromHistogram::parse(text, "leadrank_sla_detection_lag_seconds").unwrap();
        assert_eq!((h.count, h.buckets.len()), (10, 4));
        assert_eq!(h.quantile_bound(0.5), Some(0.002));
        assert_eq!(h.quantile_bound(0.1), Some(0.001));
        assert_eq!(h.max_bound(), Some(0.004));
        assert!((h.mean().unwrap() - 0.005).abs() < 1e-12);
        let d = h.minus(&PromHistogram { buckets: vec![(0.001, 2), (0.002, 2), (0.004, 2), (f64::INFINITY, 2)], sum: 0.001, count: 2 });
        assert_eq!(d.count, 8);
        assert_eq!(d.quantile_bound(0.125), Some(0.002));
    }
}
