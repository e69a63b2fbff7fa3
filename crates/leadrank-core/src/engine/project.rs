//! Projection of events into the compact form the engine scores.
//!
//! A raw event carries strings (id, lead, type, URL, JSON properties). The engine needs much
//! less: the time, which of the model's event filters the event satisfies (one bit each), and
//! interned ids of its type, path and counted property values. Projecting at read time keeps
//! ten million events in a few hundred megabytes and makes every window check a bit test.

use std::sync::Arc;

use jiff::Timestamp;
use rustc_hash::FxHashMap;

use crate::model::compile::{CompiledModel, EventFilter, MAX_DISTINCT_PROPERTIES};
use crate::model::format::Scalar;

/// Marks an absent interned string (no URL, no property value).
pub const NONE: u32 = u32::MAX;

/// One event as the engine sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectedEvent {
    /// Occurrence time, Unix seconds.
    pub at: i64,
    /// Bit `i` is set when the event satisfies the model's event filter `i`.
    pub filters: u64,
    /// Index of the lead in its dataset (batch) or 0 (single lead).
    pub lead: u32,
    /// Interned event type.
    pub type_id: u32,
    /// Interned normalised URL path, or [`NONE`].
    pub path_id: u32,
    /// Interned values of the model's distinct-counted properties, or [`NONE`].
    pub keys: [u32; MAX_DISTINCT_PROPERTIES],
    /// Interned `ip` property of a sign-up event when the model uses the `ip_burst` or
    /// `bot_risk` fact, else [`NONE`].
    pub ip: u32,
}

/// A string table: each distinct string gets a small id.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    ids: FxHashMap<Arc<str>, u32>,
    strings: Vec<Arc<str>>,
}

impl Interner {
    /// The id of `s`, adding it when new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.strings.len()).unwrap_or(NONE - 1);
        let arc: Arc<str> = s.into();
        self.strings.push(arc.clone());
        self.ids.insert(arc, id);
        id
    }

    /// The string of an id; "" for [`NONE`] or an unknown id.
    pub fn get(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", |s| s)
    }

    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }
}

/// Projects events for one model, interning their strings. Cheap to create; one per thread.
#[derive(Debug, Clone)]
pub struct Projector {
    filters: Vec<EventFilter>,
    /// Filters that need a look at the path or properties beyond the type.
    deep: u64,
    uses_paths: bool,
    distinct_properties: Vec<String>,
    /// Filters whose events need their properties (see `CompiledModel::property_filters`).
    property_filters: u64,
    /// The filter bit of sign-up events whose `ip` is kept (bot-risk facts).
    signup_ip: Option<u64>,
    /// The strings of every projected event.
    pub strings: Interner,
    /// Filter mask by type id (only the type part); `None` until first seen.
    type_masks: Vec<Option<u64>>,
}

impl Projector {
    /// A projector for `model`'s event filters.
    pub fn new(model: &CompiledModel) -> Self {
        let filters = model.event_filters.clone();
        let mut deep = 0u64;
        for (i, f) in filters.iter().enumerate() {
            if !f.paths.is_empty() || !f.properties.is_empty() || f.bot_agent {
                deep |= 1 << i;
            }
        }
        let uses_paths = filters.iter().any(|f| !f.paths.is_empty());
        Projector {
            filters,
            deep,
            uses_paths,
            distinct_properties: model.distinct_properties.clone(),
            signup_ip: model.risk.map(|r| 1u64 << r.signup),
            property_filters: model.property_filters(),
            strings: Interner::default(),
            type_masks: Vec::new(),
        }
    }

    /// The interned type and the filters its type part accepts.
    fn type_mask(&mut self, event_type: &str) -> (u32, u64) {
        let type_id = self.strings.intern(event_type);
        let idx = type_id as usize;
        if self.type_masks.len() <= idx {
            self.type_masks.resize(idx + 1, None);
        }
        let mask = match self.type_masks[idx] {
            Some(m) => m,
            None => {
                let mut m = 0u64;
                for (i, f) in self.filters.iter().enumerate() {
                    if f.types.matches(event_type) {
                        m |= 1 << i;
                    }
                }
                self.type_masks[idx] = Some(m);
                m
            }
        };
        (type_id, mask)
    }

    /// Whether [`Self::project`] reads the properties of an event of this type; when not,
    /// a reader need not parse them (it may still check that they are valid JSON).
    pub fn needs_properties(&mut self, event_type: &str) -> bool {
        self.type_mask(event_type).1 & self.property_filters != 0
    }

    /// Projects one event of lead number `lead`.
    pub fn project(
        &mut self,
        lead: u32,
        event_type: &str,
        occurred_at: Timestamp,
        url: Option<&str>,
        properties: Option<&serde_json::Map<String, serde_json::Value>>,
    ) -> ProjectedEvent {
        let (type_id, type_mask) = self.type_mask(event_type);
        // Properties count only for events of a type that some property-reading filter
        // accepts: a reader may skip parsing the others, and the projection is the same.
        let properties = if type_mask & self.property_filters != 0 { properties } else { None };
        let path = match (self.uses_paths, url) {
            (true, Some(u)) => Some(leadrank_facts::url::normalize_path_cow(u)),
            _ => None,
        };
        let mut filters = type_mask & !self.deep;
        let mut deep = type_mask & self.deep;
        while deep != 0 {
            let i = deep.trailing_zeros() as usize;
            deep &= deep - 1;
            let f = &self.filters[i];
            let path_ok = f.paths.is_empty()
                || path.as_deref().is_some_and(|p| f.paths.iter().any(|prefix| leadrank_facts::url::path_is_under(p, prefix)));
            let props_ok = f.properties.iter().all(|(k, want)| properties.and_then(|m| m.get(k)).is_some_and(|v| scalar_matches(want, v)))
                && (!f.bot_agent
                    || properties
                        .and_then(|m| m.get("user_agent"))
                        .and_then(serde_json::Value::as_str)
                        .is_some_and(|ua| crate::engine::risk::is_bot_user_agent(ua).is_some()));
            if path_ok && props_ok {
                filters |= 1 << i;
            }
        }
        let path_id = path.as_deref().map_or(NONE, |p| self.strings.intern(p));
        let mut keys = [NONE; MAX_DISTINCT_PROPERTIES];
        for (slot, name) in self.distinct_properties.iter().enumerate() {
            if let Some(v) = properties.and_then(|m| m.get(name)) {
                let text = match v {
                    serde_json::Value::String(s) => s.trim().to_lowercase(),
                    serde_json::Value::Null => continue,
                    other => other.to_string(),
                };
                if !text.is_empty() {
                    keys[slot] = self.strings.intern(&text);
                }
            }
        }
        let ip = match self.signup_ip {
            Some(bit) if filters & bit != 0 => properties
                .and_then(|m| m.get("ip"))
                .and_then(serde_json::Value::as_str)
                .map(str::trim)
                .filter(|ip| !ip.is_empty())
                .map_or(NONE, |ip| self.strings.intern(&ip.to_ascii_lowercase())),
            _ => NONE,
        };
        ProjectedEvent { at: occurred_at.as_second(), filters, lead, type_id, path_id, keys, ip }
    }

    /// Extends `remap` (ids of `other`'s strings -> ids in this projector) with the strings
    /// `other` interned since the last call. Used to merge per-thread projectors.
    pub fn sync_ids(&mut self, other: &Projector, remap: &mut Vec<u32>) {
        for s in other.strings.strings.get(remap.len()..).unwrap_or(&[]) {
            remap.push(self.strings.intern(s));
        }
    }
}

/// Rewrites the interned ids of an event projected by another projector (see
/// [`Projector::sync_ids`]).
pub fn remap_event(e: &mut ProjectedEvent, remap: &[u32]) {
    let map = |id: u32| if id == NONE { NONE } else { remap.get(id as usize).copied().unwrap_or(NONE) };
    e.type_id = map(e.type_id);
    e.path_id = map(e.path_id);
    for k in &mut e.keys {
        *k = map(*k);
    }
    e.ip = map(e.ip);
}

fn scalar_matches(want: &Scalar, got: &serde_json::Value) -> bool {
    match (want, got) {
        (Scalar::Text(w), serde_json::Value::String(g)) => w.trim().eq_ignore_ascii_case(g.trim()) || w.to_lowercase() == g.to_lowercase(),
        (Scalar::Bool(w), serde_json::Value::Bool(g)) => w == g,
        (Scalar::Integer(w), serde_json::Value::Number(g)) => g.as_f64().is_some_and(|g| g == *w as f64),
        (Scalar::Number(w), serde_json::Value::Number(g)) => g.as_f64().is_some_and(|g| g == *w),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::builtin::default_model;

    /// A reader may skip the properties of events no property-reading filter accepts: the
    /// projection is the same with or without them.
    #[test]
    fn properties_are_read_only_where_a_filter_needs_them() {
        let model = default_model();
        let mut p = Projector::new(&model);
        assert!(p.needs_properties("feature_used"), "pql counts distinct features");
        assert!(!p.needs_properties("page_view"));
        assert!(!p.needs_properties("form_submit"));
        let at = Timestamp::from_second(1_782_820_800).expect("valid time");
        let props = serde_json::json!({ "feature": "Reports", "form": "contact" });
        let props = props.as_object();
        let with = p.project(0, "form_submit", at, None, props);
        let without = p.project(0, "form_submit", at, None, None);
        assert_eq!(with, without);
        let used = p.project(0, "feature_used", at, None, props);
        assert_eq!(p.strings.get(used.keys[0]), "reports");
        assert_ne!(used, p.project(0, "feature_used", at, None, None));
    }
}
