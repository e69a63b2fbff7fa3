//! Lifecycle stages and the transitions between them.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A lead's lifecycle stage.
///
/// The main line is inquiry, mql, sal, sql, opportunity, won, lost; beside it are pql
/// (product-qualified), nurture (not or no longer ready for sales), recycled (a rejected
/// lead whose score rose again after a cool-down) and disqualified (out for good).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// A new lead nobody has qualified yet.
    Inquiry,
    /// Marketing-qualified: the lead is a quality lead; it waits for sales.
    Mql,
    /// Product-qualified: the model's PQL signal holds; it waits for sales.
    Pql,
    /// Sales-accepted: a rep accepted the lead.
    Sal,
    /// Sales-qualified: the qualification checklist is confirmed (or a rep moved it here).
    Sql,
    /// An opportunity was created.
    Opportunity,
    /// The deal was won (terminal).
    Won,
    /// The deal was lost (terminal for the rules; a rep may recycle it).
    Lost,
    /// Not ready for sales: fell below the bar before acceptance or softly rejected.
    Nurture,
    /// A rejected lead handed back to sales after its cool-down; it waits for sales.
    Recycled,
    /// Out for good (terminal): a disqualifying rejection or a rep's decision.
    Disqualified,
}

impl Stage {
    /// Every stage, in funnel order (main line first, then the stages beside it).
    pub const ALL: [Stage; 11] = [
        Stage::Inquiry,
        Stage::Mql,
        Stage::Pql,
        Stage::Sal,
        Stage::Sql,
        Stage::Opportunity,
        Stage::Won,
        Stage::Lost,
        Stage::Nurture,
        Stage::Recycled,
        Stage::Disqualified,
    ];

    /// The stage's snake_case name, as in the model file, JSON and the API.
    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::Inquiry => "inquiry",
            Stage::Mql => "mql",
            Stage::Pql => "pql",
            Stage::Sal => "sal",
            Stage::Sql => "sql",
            Stage::Opportunity => "opportunity",
            Stage::Won => "won",
            Stage::Lost => "lost",
            Stage::Nurture => "nurture",
            Stage::Recycled => "recycled",
            Stage::Disqualified => "disqualified",
        }
    }

    /// Whether the lead is still in play: every stage except won, lost and disqualified.
    pub const fn is_open(self) -> bool {
        !matches!(self, Stage::Won | Stage::Lost | Stage::Disqualified)
    }

    /// Whether the lead waits for a sales decision (accept or reject): mql, pql, recycled.
    pub const fn awaiting_sales(self) -> bool {
        matches!(self, Stage::Mql | Stage::Pql | Stage::Recycled)
    }

    /// The valid stage names joined with ", " (for error messages).
    pub fn valid_names() -> String {
        join(Stage::ALL.iter().map(|s| s.as_str()))
    }
}

pub(crate) fn join<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<&str> = items.into_iter().collect();
    if v.is_empty() { "none".to_string() } else { v.join(", ") }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stage name that is not one of [`Stage::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stage '{given}'; valid: {}", Stage::valid_names())]
pub struct ParseStageError {
    /// The text that was given.
    pub given: String,
}

impl FromStr for Stage {
    type Err = ParseStageError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Stage::ALL.iter().copied().find(|st| st.as_str().eq_ignore_ascii_case(t)).ok_or_else(|| ParseStageError { given: s.to_string() })
    }
}

/// The actor of the creation transition (none -> inquiry).
pub const RULE_CREATED: &str = "rule:created";
/// The actor of inquiry/nurture -> mql when the lead is a quality lead.
pub const RULE_MQL_ON_QUALITY: &str = "rule:mql_on_quality";
/// The actor of inquiry/nurture -> pql when the model's PQL signal holds.
pub const RULE_PQL_SIGNAL: &str = "rule:pql_signal";
/// The actor of mql/pql/recycled -> nurture when the lead fell below the bar.
pub const RULE_BELOW_BAR: &str = "rule:below_bar";
/// The actor of nurture -> recycled after a soft rejection, cool-down and a higher score.
pub const RULE_RECYCLE: &str = "rule:recycle";
/// The actor of sal -> sql when the model's checklist became complete.
pub const RULE_CHECKLIST_COMPLETE: &str = "rule:checklist_complete";

/// One move of a lead between stages; every transition is kept and fires webhooks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Transition {
    /// The stage left; `None` for the creation of the lead.
    pub from: Option<Stage>,
    /// The stage entered.
    pub to: Stage,
    /// When it happened (the caller's "now").
    pub at: Timestamp,
    /// Who or what moved it: `rule:<name>` (see the `RULE_*` constants) or `user:<id>`.
    pub actor: String,
    /// Why, in words for people.
    pub reason: String,
    /// The rejection reason code, for rejections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection: Option<String>,
    /// A free-text note from the person who made the move.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Transition {
    /// Whether a rule (not a person) made this move.
    pub fn is_automatic(&self) -> bool {
        self.actor.starts_with("rule:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Stage::ALL {
            assert_eq!(s.as_str().parse::<Stage>().unwrap(), s);
            assert_eq!(s.to_string(), s.as_str());
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert_eq!(" MQL ".parse::<Stage>().unwrap(), Stage::Mql);
    }

    #[test]
    fn parse_error_lists_valid_names() {
        let e = "lead".parse::<Stage>().unwrap_err().to_string();
        assert!(e.contains("'lead'"), "{e}");
        for s in Stage::ALL {
            assert!(e.contains(s.as_str()), "{e}");
        }
    }

    #[test]
    fn open_and_awaiting() {
        let closed: Vec<Stage> = Stage::ALL.into_iter().filter(|s| !s.is_open()).collect();
        assert_eq!(closed, vec![Stage::Won, Stage::Lost, Stage::Disqualified]);
        let waiting: Vec<Stage> = Stage::ALL.into_iter().filter(|s| s.awaiting_sales()).collect();
        assert_eq!(waiting, vec![Stage::Mql, Stage::Pql, Stage::Recycled]);
    }
}
