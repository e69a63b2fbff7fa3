//! The scoring engine: from a lead, its events and its population facts to a [`Score`]
//! with one [`Reason`] per fired rule and per cap.
//!
//! Invariants, relied on by tests, the service and calibration:
//! * `total` equals the sum of the points of `reasons` (caps appear as negative reasons);
//! * a score depends only on the model, the data and the scoring time T: event order and
//!   repeated event ids change nothing, and events after T are ignored.

pub mod dataset;
pub(crate) mod eval;
pub mod facts;
pub mod live;
pub mod project;
pub mod risk;

use std::sync::Arc;

use jiff::Timestamp;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

pub use dataset::{Dataset, DatasetBuilder, EventAdded, EventSink, LeadLookup, LoadError, event_id_hash};
pub use eval::LeadContext;
pub use facts::{LeadFacts, PopulationFacts};
pub use live::LiveBook;
pub use project::{Interner, ProjectedEvent, Projector, remap_event};

use crate::model::CompiledModel;

/// Why a lead has (part of) its score: a fired rule, or a cap that cut a dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Reason {
    /// The rule id, or "cap" for a cap.
    pub rule: Arc<str>,
    pub dimension: Arc<str>,
    pub points: i32,
    /// Human evidence, e.g. "demo_request on 2026-03-02".
    pub detail: String,
}

/// Points per dimension after caps, in model order; serialised as a JSON object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dimensions(pub Vec<(Arc<str>, i32)>);

impl Dimensions {
    /// The points of a dimension, 0 when the model has no such dimension.
    pub fn get(&self, id: &str) -> i32 {
        self.0.iter().find(|(d, _)| &**d == id).map_or(0, |(_, p)| *p)
    }
}

impl Serialize for Dimensions {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(&**k, v)?;
        }
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for Dimensions {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map: indexmap_free::OrderedMap = serde::Deserialize::deserialize(d)?;
        Ok(Dimensions(map.0.into_iter().map(|(k, v)| (Arc::from(k.as_str()), v)).collect()))
    }
}

mod indexmap_free {
    //! Deserialises a JSON object into its entries in document order.
    use serde::de::{MapAccess, Visitor};

    pub struct OrderedMap(pub Vec<(String, i32)>);

    impl<'de> serde::Deserialize<'de> for OrderedMap {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = OrderedMap;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an object of dimension points")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<OrderedMap, A::Error> {
                    let mut out = Vec::new();
                    while let Some((k, v)) = m.next_entry::<String, i32>()? {
                        out.push((k, v));
                    }
                    Ok(OrderedMap(out))
                }
            }
            d.deserialize_map(V)
        }
    }
}

/// The score of one lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Score {
    pub lead_id: String,
    pub total: i32,
    /// `total >= quality_threshold`.
    pub quality: bool,
    pub grade: Arc<str>,
    /// Fit-by-intent cell such as "A1"; empty when the model defines no cell.
    pub cell: String,
    pub dimensions: Dimensions,
    pub reasons: Vec<Reason>,
}

/// The ids of the model's signals (`[[signals]]`) that hold for one lead, in model order.
pub fn eval_signals(model: &CompiledModel, ctx: &LeadContext<'_>) -> Vec<Arc<str>> {
    model.signals.iter().filter(|s| ctx.eval(&s.when).is_some()).map(|s| s.id.clone()).collect()
}

/// Whether scores carry the evidence text of their reasons ([`Reason::detail`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// Every reason says why it fired (JSON Lines, the table, explanations).
    Full,
    /// Reasons have an empty `detail`; everything else is as with [`Evidence::Full`]. For
    /// outputs that print only rule ids and points (CSV), which then skip building the text.
    Omitted,
}

/// Scores one lead. `ctx` carries the lead, its events and its population facts.
pub fn score_lead(model: &CompiledModel, ctx: &LeadContext<'_>) -> Score {
    score_lead_with(model, ctx, Evidence::Full)
}

/// [`score_lead`] with or without the evidence text of each reason.
pub fn score_lead_with(model: &CompiledModel, ctx: &LeadContext<'_>, evidence: Evidence) -> Score {
    let mut raw = vec![0i32; model.dimensions.len()];
    let mut reasons = Vec::new();
    for rule in &model.rules {
        let fired = match evidence {
            Evidence::Full => ctx.eval(&rule.when),
            Evidence::Omitted => ctx.holds(&rule.when).then(String::new),
        };
        if let Some(detail) = fired {
            raw[rule.dimension] += rule.points;
            reasons.push(Reason {
                rule: rule.id.clone(),
                dimension: model.dimensions[rule.dimension].id.clone(),
                points: rule.points,
                detail,
            });
        }
    }
    let mut dims = Vec::with_capacity(raw.len());
    for (dim, &points) in model.dimensions.iter().zip(&raw) {
        let capped = match dim.cap {
            Some(cap) if points > cap => {
                reasons.push(Reason {
                    rule: Arc::from("cap"),
                    dimension: dim.id.clone(),
                    points: cap - points,
                    detail: match evidence {
                        Evidence::Full => format!("{} capped at {cap} ({points} before the cap)", dim.id),
                        Evidence::Omitted => String::new(),
                    },
                });
                cap
            }
            _ => points,
        };
        dims.push((dim.id.clone(), capped));
    }
    let total: i32 = dims.iter().map(|(_, p)| p).sum();
    finish(model, ctx.facts.lead().lead_id.clone(), total, Dimensions(dims), reasons)
}

fn band(bands: &[crate::model::Band], points: i32) -> Arc<str> {
    bands.iter().find(|b| b.min.is_none_or(|m| points >= m)).or(bands.last()).map_or_else(|| Arc::from(""), |b| b.label.clone())
}

fn finish(model: &CompiledModel, lead_id: String, total: i32, dimensions: Dimensions, reasons: Vec<Reason>) -> Score {
    let cell = model.cell.as_ref().map_or(String::new(), |c| {
        let row = dimensions.0.get(c.rows).map_or(0, |d| d.1);
        let col = dimensions.0.get(c.columns).map_or(0, |d| d.1);
        format!("{}{}", band(&c.row_bands, row), band(&c.column_bands, col))
    });
    Score { lead_id, total, quality: total >= model.quality_threshold, grade: band(&model.grades, total), cell, dimensions, reasons }
}

/// The scoring time as Unix seconds (times are compared at one-second resolution).
pub fn as_of_seconds(as_of: Timestamp) -> i64 {
    as_of.as_second()
}
