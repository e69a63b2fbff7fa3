//! Building deliveries: the JSON envelope and the delivery id.

use jiff::Timestamp;
use leadrank_store::{Delivery, DeliveryState, Subscription};
use serde::Serialize;

/// The body every webhook carries.
#[derive(Serialize)]
struct Envelope<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    event_type: &'a str,
    created_at: Timestamp,
    data: &'a serde_json::Value,
}

/// A fresh delivery id: `dlv_` and 128 random bits in hex.
pub fn new_delivery_id() -> String {
    format!("dlv_{:032x}", rand::random::<u128>())
}

/// A pending delivery of one event to one subscription, due at `now`.
///
/// The body is `{"id": <delivery id>, "type": event_type, "created_at": <RFC 3339>, "data":
/// payload}`; the id is also sent as `Leadrank-Delivery-Id`. Whether the subscription wants
/// this event type is the caller's business (see [`fan_out`]).
pub fn new_delivery(sub: &Subscription, event_type: &str, lead_id: Option<&str>, payload: serde_json::Value, now: Timestamp) -> Delivery {
    let id = new_delivery_id();
    let body =
        serde_json::to_string(&Envelope { id: &id, event_type, created_at: now, data: &payload }).expect("a JSON value always serializes");
    pending_delivery(id, &sub.id, event_type, lead_id, body, now)
}

/// A delivery of `body` to a subscription, due now and not attempted yet.
pub fn pending_delivery(
    id: String,
    subscription_id: &str,
    event_type: &str,
    lead_id: Option<&str>,
    body: String,
    now: Timestamp,
) -> Delivery {
    Delivery {
        id,
        subscription_id: subscription_id.to_owned(),
        event_type: event_type.to_owned(),
        lead_id: lead_id.map(str::to_owned),
        body,
        created_at: now,
        next_attempt_at: now,
        attempts: 0,
        state: DeliveryState::Pending,
        last_attempt_at: None,
        last_status: None,
        last_error: None,
    }
}

/// One delivery per subscription that lists `event_type` in its events (exact match).
pub fn fan_out(
    subs: &[Subscription],
    event_type: &str,
    lead_id: Option<&str>,
    payload: &serde_json::Value,
    now: Timestamp,
) -> Vec<Delivery> {
    subs.iter()
        .filter(|sub| sub.events.iter().any(|e| e == event_type))
        .map(|sub| new_delivery(sub, event_type, lead_id, payload.clone(), now))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(id: &str, events: &[&str]) -> Subscription {
        Subscription {
            id: id.into(),
            url: "http://127.0.0.1:1/hook".into(),
            secret: "s".into(),
            events: events.iter().map(|e| e.to_string()).collect(),
            created_at: "2025-01-01T00:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn envelope_and_fields() {
        let now: Timestamp = "2025-03-04T05:06:07Z".parse().unwrap();
        let d = new_delivery(
            &sub("sub_1", &["lead.quality"]),
            "lead.quality",
            Some("L1"),
            serde_json::json!({"lead_id": "L1", "total": 71}),
            now,
        );
        assert!(d.id.starts_with("dlv_"));
        assert_eq!(d.id.len(), 4 + 32);
        assert!(d.id[4..].chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(d.subscription_id, "sub_1");
        assert_eq!(d.lead_id.as_deref(), Some("L1"));
        assert_eq!((d.state, d.attempts, d.created_at, d.next_attempt_at), (DeliveryState::Pending, 0, now, now));
        assert_eq!(
            d.body,
            format!(
                r#"{{"id":"{}","type":"lead.quality","created_at":"2025-03-04T05:06:07Z","data":{{"lead_id":"L1","total":71}}}}"#,
                d.id
            )
        );
    }

    #[test]
    fn ids_are_unique() {
        let ids: std::collections::HashSet<String> = (0..1000).map(|_| new_delivery_id()).collect();
        assert_eq!(ids.len(), 1000);
    }

    #[test]
    fn fan_out_filters_by_event() {
        let now = Timestamp::UNIX_EPOCH;
        let subs = [sub("a", &["lead.quality"]), sub("b", &["lead.score_changed"]), sub("c", &["lead.quality", "x"])];
        let ds = fan_out(&subs, "lead.quality", None, &serde_json::json!({}), now);
        let ids: Vec<_> = ds.iter().map(|d| d.subscription_id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert_ne!(ds[0].id, ds[1].id);
    }
}
