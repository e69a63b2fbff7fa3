//! The in-memory state: the live book of records, each lead's current score, the ranking of
//! lists and the timers at which a score can change by itself. Rebuilt from the store on start
//! and on model activation.

use std::cmp::Reverse;
use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::Timestamp;
use leadrank_core::engine::LiveBook;
use leadrank_core::{CompiledModel, Score};
use leadrank_store::{StoredScore, StoredScoreBody};
use rustc_hash::FxHashMap;

/// Leads from which on a rescoring scores them on all cores.
const PARALLEL_RESCORE: usize = 4096;

/// What the service knows about one lead's current score.
#[derive(Debug, Clone)]
pub struct Current {
    pub score: Score,
    /// When it was computed.
    pub as_of: Timestamp,
    /// Last change of the lead record or its score.
    pub updated_at: Timestamp,
    pub(crate) next_change: Option<i64>,
}

/// The in-memory state, rebuilt from the store on start and on model activation.
pub struct Live {
    pub book: LiveBook,
    pub model_id: i64,
    pub current: FxHashMap<String, Current>,
    /// (score descending, lead id): the order of lists.
    pub ranking: BTreeSet<(Reverse<i32>, String)>,
    /// (time, lead id) of the next possible change by the passage of time.
    pub(crate) timers: BTreeSet<(i64, String)>,
}

impl Live {
    pub(crate) fn new(model: Arc<CompiledModel>, model_id: i64) -> Self {
        Live { book: LiveBook::new(model), model_id, current: FxHashMap::default(), ranking: BTreeSet::new(), timers: BTreeSet::new() }
    }

    /// Rescores `ids` at `now`; returns the persisted form of the scores that changed, with
    /// the webhook events they raise.
    pub(crate) fn rescore(&mut self, ids: &[String], now: Timestamp, cause: &dyn Fn(&str) -> String) -> ScoreChanges {
        let mut changes = ScoreChanges::default();
        let book = &self.book;
        let compute = |id: &String| book.score(id, now).map(|s| (s, book.next_change_after(id, now).map(|t| t.as_second())));
        // Scoring reads the book only, so a large rescoring (a start, a model activation)
        // scores on all cores; the results are applied in `ids`' order either way.
        let computed: Vec<Option<(Score, Option<i64>)>> = if ids.len() >= PARALLEL_RESCORE {
            use rayon::prelude::*;
            ids.par_iter().map(compute).collect()
        } else {
            ids.iter().map(compute).collect()
        };
        for (id, computed) in ids.iter().zip(computed) {
            let Some((score, next_change)) = computed else { continue };
            let old = self.current.remove(id);
            if let Some(old) = &old {
                self.ranking.remove(&(Reverse(old.score.total), id.clone()));
                if let Some(t) = old.next_change {
                    self.timers.remove(&(t, id.clone()));
                }
            }
            self.ranking.insert((Reverse(score.total), id.clone()));
            if let Some(t) = next_change {
                self.timers.insert((t, id.clone()));
            }
            let moved = old.as_ref().is_none_or(|o| headline(&o.score) != headline(&score));
            let updated_at = match (&old, moved) {
                (Some(o), false) => o.updated_at,
                _ => now,
            };
            if moved {
                changes.push(old.as_ref().map(|o| &o.score), &score, now, self.model_id, cause(id));
            }
            self.current.insert(id.clone(), Current { score, as_of: now, updated_at, next_change });
        }
        changes
    }

    pub(crate) fn forget(&mut self, id: &str) {
        if let Some(old) = self.current.remove(id) {
            self.ranking.remove(&(Reverse(old.score.total), id.to_string()));
            if let Some(t) = old.next_change {
                self.timers.remove(&(t, id.to_string()));
            }
        }
    }

    pub(crate) fn touch(&mut self, id: &str, now: Timestamp) {
        if let Some(c) = self.current.get_mut(id) {
            c.updated_at = now;
        }
    }
}

/// The parts of a score whose change is a "score change": total, quality, grade and cell.
fn headline(s: &Score) -> (i32, bool, &str, &str) {
    (s.total, s.quality, &s.grade, &s.cell)
}

/// A webhook event raised by a change: (event type, lead id, payload).
pub type RaisedEvent = (&'static str, String, serde_json::Value);

/// Score changes and the webhook events they raise.
#[derive(Default)]
pub struct ScoreChanges {
    pub scores: Vec<StoredScore>,
    pub events: Vec<RaisedEvent>,
}

impl ScoreChanges {
    fn push(&mut self, old: Option<&Score>, new: &Score, now: Timestamp, model_id: i64, cause: String) {
        let body = StoredScoreBody::from(new);
        let payload = serde_json::json!({
            "lead_id": new.lead_id,
            "previous": old.map(|o| serde_json::json!({"total": o.total, "quality": o.quality, "grade": &*o.grade, "cell": o.cell})),
            "score": new,
            "as_of": now.to_string(),
            "cause": cause,
        });
        if old.is_none_or(|o| o.total != new.total) {
            self.events.push(("lead.score_changed", new.lead_id.clone(), payload.clone()));
        }
        if new.quality && old.is_none_or(|o| !o.quality) {
            self.events.push(("lead.quality", new.lead_id.clone(), payload));
        }
        self.scores.push(StoredScore {
            lead_id: new.lead_id.clone(),
            as_of: now,
            model_id,
            total: new.total,
            quality: new.quality,
            grade: new.grade.to_string(),
            cell: new.cell.clone(),
            body,
            cause,
        });
    }
}
