//! Qualification checklists: BANT, CHAMP and MEDDICC.
//!
//! Each item of a framework carries the discovery question a rep asks to settle it. The
//! questions follow a common discovery sequence ("What's your primary goal for
//! this quarter?", "What triggered your search now?", "What tools are in your stack today?",
//! "Who else will weigh in on this decision?", "What happens if you do nothing?", "What's
//! your timeline for implementation?", "What's the budget source for this initiative?"),
//! quoted where one fits and adapted where an item needs a sharper question. Early
//! conversations should not be over-gated: partial checklists are allowed and shown with
//! their completeness; only the SQL gate (when the model asks for it) needs all items.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::stage::join;

/// One item of a qualification framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Item {
    /// The item's id (snake_case), e.g. `budget`.
    pub id: &'static str,
    /// Its label for people, e.g. `Budget`.
    pub label: &'static str,
    /// The discovery question a rep asks to settle it.
    pub question: &'static str,
}

/// A qualification framework: a named list of items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Framework {
    /// The framework's id as in the model file's `lifecycle.checklist`: bant, champ, meddicc.
    pub id: &'static str,
    /// Its label for people, e.g. `BANT`.
    pub label: &'static str,
    /// Its items, in the order a rep works through them.
    pub items: &'static [Item],
}

impl Framework {
    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&'static Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The item ids joined with ", " (for error messages).
    pub fn item_ids(&self) -> String {
        join(self.items.iter().map(|i| i.id))
    }
}

const Q_WEIGH_IN: &str = "Who else will weigh in on this decision?";
const Q_TIMELINE: &str = "What's your timeline for implementation?";
const Q_BUDGET: &str = "What's the budget source for this initiative?";

/// BANT: budget, authority, need, timeline.
pub static BANT: Framework = Framework {
    id: "bant",
    label: "BANT",
    items: &[
        Item { id: "budget", label: "Budget", question: Q_BUDGET },
        Item { id: "authority", label: "Authority", question: Q_WEIGH_IN },
        Item { id: "need", label: "Need", question: "What's your primary goal for this quarter, and what triggered your search now?" },
        Item { id: "timeline", label: "Timeline", question: Q_TIMELINE },
    ],
};

/// CHAMP: challenges, authority, money, prioritization.
pub static CHAMP: Framework = Framework {
    id: "champ",
    label: "CHAMP",
    items: &[
        Item { id: "challenges", label: "Challenges", question: "What triggered your search now, and what happens if you do nothing?" },
        Item { id: "authority", label: "Authority", question: Q_WEIGH_IN },
        Item { id: "money", label: "Money", question: Q_BUDGET },
        Item {
            id: "prioritization",
            label: "Prioritization",
            question: "What's your primary goal for this quarter, and what's your timeline for implementation?",
        },
    ],
};

/// MEDDICC: metrics, economic buyer, decision criteria, decision process, identify pain,
/// champion, competition.
pub static MEDDICC: Framework = Framework {
    id: "meddicc",
    label: "MEDDICC",
    items: &[
        Item { id: "metrics", label: "Metrics", question: "What's your primary goal for this quarter, and how will you measure it?" },
        Item {
            id: "economic_buyer",
            label: "Economic buyer",
            question: "What's the budget source for this initiative, and who signs off on it?",
        },
        Item {
            id: "decision_criteria",
            label: "Decision criteria",
            question: "What tools are in your stack today, and what must a new one do to fit?",
        },
        Item {
            id: "decision_process",
            label: "Decision process",
            question: "Who else will weigh in on this decision, and what's your timeline for implementation?",
        },
        Item { id: "identify_pain", label: "Identify pain", question: "What happens if you do nothing?" },
        Item { id: "champion", label: "Champion", question: "Who on your side will carry this forward internally?" },
        Item { id: "competition", label: "Competition", question: "What tools are in your stack today, and what else are you evaluating?" },
    ],
};

/// Every framework, in the order of `leadrank_core::model::CHECKLISTS`.
pub static FRAMEWORKS: [&Framework; 3] = [&BANT, &CHAMP, &MEDDICC];

/// The framework with this id (`bant`, `champ`, `meddicc`).
pub fn framework(id: &str) -> Option<&'static Framework> {
    FRAMEWORKS.iter().copied().find(|f| f.id == id)
}

/// The framework ids joined with ", " (for error messages).
pub fn framework_ids() -> String {
    join(FRAMEWORKS.iter().map(|f| f.id))
}

/// What a rep knows about one checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Confirmed by the prospect.
    Confirmed,
    /// Not known yet (also the status of an item nobody has set).
    #[default]
    Unknown,
    /// Known to be missing (e.g. no budget).
    Negative,
}

/// One recorded checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ChecklistEntry {
    /// Its status.
    pub status: ItemStatus,
    /// The rep's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who set it (the user id).
    pub by: String,
    /// When it was set.
    pub at: Timestamp,
}

/// A lead's checklist entries, per framework and item (any framework may be filled).
///
/// Serialized as `{ "bant": { "budget": { "status": ..., ... } } }`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Checklist {
    /// framework id -> item id -> entry.
    pub entries: BTreeMap<String, BTreeMap<String, ChecklistEntry>>,
}

impl Checklist {
    /// The entry of one item, if anybody set it.
    pub fn entry(&self, framework: &str, item: &str) -> Option<&ChecklistEntry> {
        self.entries.get(framework)?.get(item)
    }

    /// Records an item (replacing an earlier entry). Ids are not checked here; the
    /// [`Policy::set_item`](crate::Policy::set_item) entry point checks them.
    pub fn set(&mut self, framework: &str, item: &str, entry: ChecklistEntry) {
        self.entries.entry(framework.to_string()).or_default().insert(item.to_string(), entry);
    }

    /// Whether every item of the framework is confirmed.
    pub fn is_complete(&self, framework: &Framework) -> bool {
        framework.items.iter().all(|i| self.entry(framework.id, i.id).is_some_and(|e| e.status == ItemStatus::Confirmed))
    }

    /// How far the framework's checklist is, item by item, with the discovery question as
    /// the prompt for every item not yet confirmed.
    pub fn completeness(&self, framework: &Framework) -> Completeness {
        let mut c = Completeness {
            framework: framework.id.to_string(),
            confirmed: 0,
            negative: 0,
            unknown: 0,
            total: framework.items.len() as u32,
            complete: false,
            percent: 0,
            items: Vec::with_capacity(framework.items.len()),
        };
        for item in framework.items {
            let entry = self.entry(framework.id, item.id);
            let status = entry.map_or(ItemStatus::Unknown, |e| e.status);
            match status {
                ItemStatus::Confirmed => c.confirmed += 1,
                ItemStatus::Negative => c.negative += 1,
                ItemStatus::Unknown => c.unknown += 1,
            }
            c.items.push(ItemView {
                id: item.id.to_string(),
                label: item.label.to_string(),
                status,
                note: entry.and_then(|e| e.note.clone()),
                by: entry.map(|e| e.by.clone()),
                at: entry.map(|e| e.at),
                prompt: (status != ItemStatus::Confirmed).then(|| item.question.to_string()),
            });
        }
        c.complete = c.confirmed == c.total;
        c.percent = (c.confirmed * 100).checked_div(c.total).map_or(100, |p| p as u8);
        c
    }
}

/// The state of one framework's checklist for a lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Completeness {
    /// The framework id.
    pub framework: String,
    /// Items confirmed.
    pub confirmed: u32,
    /// Items known to be negative.
    pub negative: u32,
    /// Items unknown or not set yet.
    pub unknown: u32,
    /// Items in the framework.
    pub total: u32,
    /// Whether every item is confirmed.
    pub complete: bool,
    /// Confirmed items as a whole percentage of all items (rounded down).
    pub percent: u8,
    /// Every item, in framework order.
    pub items: Vec<ItemView>,
}

impl Completeness {
    /// The ids of the items not yet confirmed.
    pub fn missing(&self) -> Vec<&str> {
        self.items.iter().filter(|i| i.status != ItemStatus::Confirmed).map(|i| i.id.as_str()).collect()
    }
}

/// One item of a [`Completeness`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ItemView {
    /// The item id.
    pub id: String,
    /// The item label.
    pub label: String,
    /// Its status (`unknown` when nobody set it).
    pub status: ItemStatus,
    /// The rep's note.
    pub note: Option<String>,
    /// Who set it.
    pub by: Option<String>,
    /// When it was set.
    pub at: Option<Timestamp>,
    /// The discovery question to ask, when the item is not confirmed.
    pub prompt: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn frameworks_match_core_checklists_exactly() {
        let ids: Vec<&str> = FRAMEWORKS.iter().map(|f| f.id).collect();
        assert_eq!(ids, leadrank_core::model::CHECKLISTS);
        for id in leadrank_core::model::CHECKLISTS {
            assert_eq!(framework(id).unwrap().id, *id);
        }
        assert!(framework("meddic").is_none());
    }

    #[test]
    fn items_as_specified() {
        let ids = |f: &Framework| f.items.iter().map(|i| i.id).collect::<Vec<_>>();
        assert_eq!(ids(&BANT), ["budget", "authority", "need", "timeline"]);
        assert_eq!(ids(&CHAMP), ["challenges", "authority", "money", "prioritization"]);
        assert_eq!(
            ids(&MEDDICC),
            ["metrics", "economic_buyer", "decision_criteria", "decision_process", "identify_pain", "champion", "competition"]
        );
        for f in FRAMEWORKS {
            for i in f.items {
                assert!(i.question.ends_with('?'), "{}", i.id);
                assert!(!i.label.is_empty());
            }
        }
        // The discovery sequence's wording is quoted where it fits.
        assert_eq!(BANT.item("budget").unwrap().question, "What's the budget source for this initiative?");
        assert_eq!(BANT.item("timeline").unwrap().question, "What's your timeline for implementation?");
        assert_eq!(BANT.item("authority").unwrap().question, "Who else will weigh in on this decision?");
    }

    #[test]
    fn completeness_counts_and_prompts() {
        let mut c = Checklist::default();
        let e = |status, note: Option<&str>| ChecklistEntry {
            status,
            note: note.map(str::to_string),
            by: "ann".into(),
            at: t("2025-01-02T00:00:00Z"),
        };
        let empty = c.completeness(&BANT);
        assert_eq!((empty.confirmed, empty.negative, empty.unknown, empty.total), (0, 0, 4, 4));
        assert!(!empty.complete);
        assert_eq!(empty.percent, 0);
        assert!(empty.items.iter().all(|i| i.prompt.is_some() && i.by.is_none()));

        c.set("bant", "budget", e(ItemStatus::Confirmed, Some("IT budget Q3")));
        c.set("bant", "authority", e(ItemStatus::Negative, Some("intern")));
        c.set("bant", "need", e(ItemStatus::Unknown, None));
        let p = c.completeness(&BANT);
        assert_eq!((p.confirmed, p.negative, p.unknown, p.total, p.percent), (1, 1, 2, 4, 25));
        assert!(!p.complete);
        assert_eq!(p.missing(), ["authority", "need", "timeline"]);
        let budget = &p.items[0];
        assert_eq!(budget.prompt, None);
        assert_eq!(budget.note.as_deref(), Some("IT budget Q3"));
        assert_eq!(budget.by.as_deref(), Some("ann"));
        assert_eq!(p.items[1].prompt.as_deref(), Some(BANT.items[1].question));
        assert_eq!(p.items[1].status, ItemStatus::Negative);
        assert!(!c.is_complete(&BANT));

        for i in ["authority", "need", "timeline"] {
            c.set("bant", i, e(ItemStatus::Confirmed, None));
        }
        let full = c.completeness(&BANT);
        assert!(full.complete && c.is_complete(&BANT));
        assert_eq!(full.percent, 100);
        assert!(full.items.iter().all(|i| i.prompt.is_none()));
        // Other frameworks are independent.
        assert_eq!(c.completeness(&CHAMP).confirmed, 0);
        assert_eq!(c.completeness(&MEDDICC).total, 7);

        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["bant"]["budget"]["status"], "confirmed");
        let back: Checklist = serde_json::from_value(json).unwrap();
        assert_eq!(back, c);
        let cj = serde_json::to_string(&full).unwrap();
        assert_eq!(serde_json::from_str::<Completeness>(&cj).unwrap(), full);
    }
}
