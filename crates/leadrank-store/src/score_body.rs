//! The stored form of a score's details (`scores.body`, `score_history.body`).
//!
//! [`leadrank_core::Score`] is also the API's and the webhooks' type, so its shape may
//! change; what is on disk must not change with it. [`StoredScoreBody`] is the store's own
//! type with an explicit format version, converted to and from `Score`:
//!
//! * format 1: rows written before the format was recorded: the JSON of `Score` as it was
//!   then (`lead_id, total, quality, grade, cell, dimensions` as an object of points,
//!   `reasons` as `{rule, dimension, points, detail}`), with no `format` member. Read only.
//! * format 2: `{"format": 2, ...}` with the same fields, dimensions as an ordered list of
//!   `{id, points}`. Written now.
//!
//! A body that does not decode is [`StoreError::Corrupt`] naming the table and the lead;
//! never "no score".

use std::sync::Arc;

use leadrank_core::Score;
use leadrank_core::engine::{Dimensions, Reason};
use serde::{Deserialize, Serialize};

use crate::{StoreError, StoreResult};

/// The format this build writes.
pub const SCORE_BODY_FORMAT: u32 = 2;

/// A score's details as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredScoreBody {
    pub lead_id: String,
    pub total: i32,
    pub quality: bool,
    pub grade: String,
    pub cell: String,
    /// Points per dimension after caps, in model order.
    pub dimensions: Vec<(String, i32)>,
    pub reasons: Vec<StoredReason>,
}

/// One line of a stored score's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredReason {
    pub rule: String,
    pub dimension: String,
    pub points: i32,
    pub detail: String,
}

/// Format 2 on disk.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormatTwo {
    format: u32,
    lead_id: String,
    total: i32,
    quality: bool,
    grade: String,
    cell: String,
    dimensions: Vec<DimensionPoints>,
    reasons: Vec<StoredReason>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DimensionPoints {
    id: String,
    points: i32,
}

/// Format 1 on disk (the JSON of `Score` when it was written; unknown members refused).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormatOne {
    lead_id: String,
    total: i32,
    quality: bool,
    grade: String,
    cell: String,
    dimensions: OrderedPoints,
    reasons: Vec<StoredReason>,
}

/// A JSON object of dimension points, read in document order.
struct OrderedPoints(Vec<(String, i32)>);

impl<'de> Deserialize<'de> for OrderedPoints {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OrderedPoints;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of dimension points")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<OrderedPoints, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = m.next_entry::<String, i32>()? {
                    out.push(entry);
                }
                Ok(OrderedPoints(out))
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// Only the `format` member, to choose the decoder.
#[derive(Deserialize)]
struct FormatTag {
    format: Option<serde_json::Value>,
}

impl StoredScoreBody {
    /// The stored text (format [`SCORE_BODY_FORMAT`]).
    pub fn encode(&self) -> String {
        let two = FormatTwo {
            format: SCORE_BODY_FORMAT,
            lead_id: self.lead_id.clone(),
            total: self.total,
            quality: self.quality,
            grade: self.grade.clone(),
            cell: self.cell.clone(),
            dimensions: self.dimensions.iter().map(|(id, points)| DimensionPoints { id: id.clone(), points: *points }).collect(),
            reasons: self.reasons.clone(),
        };
        serde_json::to_string(&two).expect("a score body serialises to JSON")
    }

    /// Reads stored text of any known format; `table` and `lead_id` name the row in errors.
    pub fn decode(table: &'static str, lead_id: &str, text: &str) -> StoreResult<Self> {
        let corrupt = |detail: String| StoreError::Corrupt { table, detail: format!("score body of lead {lead_id:?}: {detail}") };
        let bad = |e: serde_json::Error| corrupt(format!("{e}"));
        let tag: FormatTag = serde_json::from_str(text).map_err(bad)?;
        let body = match tag.format {
            None => {
                let one: FormatOne = serde_json::from_str(text).map_err(bad)?;
                StoredScoreBody {
                    lead_id: one.lead_id,
                    total: one.total,
                    quality: one.quality,
                    grade: one.grade,
                    cell: one.cell,
                    dimensions: one.dimensions.0,
                    reasons: one.reasons,
                }
            }
            Some(serde_json::Value::Number(n)) if n.as_u64() == Some(2) => {
                let two: FormatTwo = serde_json::from_str(text).map_err(bad)?;
                StoredScoreBody {
                    lead_id: two.lead_id,
                    total: two.total,
                    quality: two.quality,
                    grade: two.grade,
                    cell: two.cell,
                    dimensions: two.dimensions.into_iter().map(|d| (d.id, d.points)).collect(),
                    reasons: two.reasons,
                }
            }
            Some(other) => {
                return Err(corrupt(format!("unknown format {other} (this leadrank reads formats 1 and {SCORE_BODY_FORMAT})")));
            }
        };
        if body.lead_id != lead_id {
            return Err(corrupt(format!("the body names lead {:?}", body.lead_id)));
        }
        Ok(body)
    }
}

impl From<&Score> for StoredScoreBody {
    fn from(s: &Score) -> Self {
        StoredScoreBody {
            lead_id: s.lead_id.clone(),
            total: s.total,
            quality: s.quality,
            grade: s.grade.to_string(),
            cell: s.cell.clone(),
            dimensions: s.dimensions.0.iter().map(|(d, p)| (d.to_string(), *p)).collect(),
            reasons: s
                .reasons
                .iter()
                .map(|r| StoredReason {
                    rule: r.rule.to_string(),
                    dimension: r.dimension.to_string(),
                    points: r.points,
                    detail: r.detail.clone(),
                })
                .collect(),
        }
    }
}

impl From<StoredScoreBody> for Score {
    fn from(b: StoredScoreBody) -> Self {
        Score {
            lead_id: b.lead_id,
            total: b.total,
            quality: b.quality,
            grade: Arc::from(b.grade),
            cell: b.cell,
            dimensions: Dimensions(b.dimensions.into_iter().map(|(d, p)| (Arc::from(d), p)).collect()),
            reasons: b
                .reasons
                .into_iter()
                .map(|r| Reason { rule: Arc::from(r.rule), dimension: Arc::from(r.dimension), points: r.points, detail: r.detail })
                .collect(),
        }
    }
}

/// `StoredScore::body` in a record's serde form: the stored text, as a string.
pub(crate) mod as_text {
    use super::StoredScoreBody;

    pub fn serialize<S: serde::Serializer>(body: &StoredScoreBody, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&body.encode())
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<StoredScoreBody, D::Error> {
        let text: String = serde::Deserialize::deserialize(d)?;
        let tag: serde_json::Value = serde_json::from_str(&text).map_err(serde::de::Error::custom)?;
        let lead = tag.get("lead_id").and_then(|v| v.as_str()).unwrap_or_default().to_string();
        StoredScoreBody::decode("scores", &lead, &text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body as the service wrote it before the format was recorded (the JSON of `Score`).
    const FORMAT_ONE: &str = r#"{"lead_id":"L1","total":72,"quality":true,"grade":"B","cell":"A2","dimensions":{"fit":40,"intent":32,"integrity":0},"reasons":[{"rule":"title_vp","dimension":"fit","points":25,"detail":"title VP Sales"},{"rule":"cap","dimension":"intent","points":-3,"detail":"intent capped at 32 (35 before the cap)"}]}"#;

    #[test]
    fn format_one_decodes_to_the_same_score() {
        let body = StoredScoreBody::decode("scores", "L1", FORMAT_ONE).unwrap();
        let score: Score = body.clone().into();
        let today: Score = serde_json::from_str(FORMAT_ONE).unwrap();
        assert_eq!(score, today);
        assert_eq!(body.dimensions[1], ("intent".to_string(), 32));
    }

    #[test]
    fn format_two_round_trips_and_keeps_dimension_order() {
        let score: Score = serde_json::from_str(FORMAT_ONE).unwrap();
        let text = StoredScoreBody::from(&score).encode();
        assert!(text.starts_with(r#"{"format":2,"#), "{text}");
        let back: Score = StoredScoreBody::decode("score_history", "L1", &text).unwrap().into();
        assert_eq!(back, score);
    }

    #[test]
    fn undecodable_bodies_are_corrupt_naming_table_and_lead() {
        let cases = [
            ("not json", "score body of lead \"L1\""),
            (r#"{"format":9,"lead_id":"L1"}"#, "unknown format 9"),
            (r#"{"lead_id":"L1","total":"high"}"#, "invalid type"),
            (r#"{"format":2,"lead_id":"L1","total":1,"quality":true,"grade":"A","cell":"","dimensions":{},"reasons":[]}"#, "invalid type"),
        ];
        for (text, expected) in cases {
            let err = StoredScoreBody::decode("scores", "L1", text).unwrap_err();
            assert!(matches!(err, StoreError::Corrupt { table: "scores", .. }), "{err}");
            assert!(err.to_string().contains(expected), "{text}: {err}");
        }
        let other = FORMAT_ONE.replace("\"L1\"", "\"L2\"");
        let err = StoredScoreBody::decode("scores", "L1", &other).unwrap_err().to_string();
        assert!(err.contains("names lead \"L2\""), "{err}");
        let extra = FORMAT_ONE.replacen('{', r#"{"renamed_field":1,"#, 1);
        assert!(StoredScoreBody::decode("scores", "L1", &extra).is_err(), "unknown members are refused");
    }
}
