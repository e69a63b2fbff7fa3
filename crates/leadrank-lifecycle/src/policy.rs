//! The per-lead lifecycle state and the policy that moves it: automatic rules on every
//! rescoring, sales acceptance and rejection, manual moves and checklist items.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use leadrank_core::model::LifecycleSpec;
use serde::{Deserialize, Serialize};

use crate::checklist::{BANT, Checklist, ChecklistEntry, Framework, ItemStatus, framework, framework_ids};
use crate::stage::{
    RULE_BELOW_BAR, RULE_CHECKLIST_COMPLETE, RULE_CREATED, RULE_MQL_ON_QUALITY, RULE_PQL_SIGNAL, RULE_RECYCLE, Stage, Transition, join,
};

/// The last rejection of a lead by sales.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Rejection {
    /// The reason code (one of the model's `lifecycle.rejection_reasons`).
    pub code: String,
    /// The rep's note (required for `other`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who rejected it (the user id).
    pub by: String,
    /// When.
    pub at: Timestamp,
    /// The lead's score total at the rejection; recycling needs a higher one.
    pub total: i32,
}

/// The lifecycle state of one lead, stored by the service as JSON next to the lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct LeadLifecycle {
    /// The current stage.
    pub stage: Stage,
    /// When the lead entered the current stage.
    pub since: Timestamp,
    /// When the lead was created (entered inquiry).
    pub created_at: Timestamp,
    /// The first time the lead became mql or pql.
    pub quality_at: Option<Timestamp>,
    /// The last time sales accepted it (entered sal).
    pub accepted_at: Option<Timestamp>,
    /// The last rejection by sales, if any.
    pub rejected: Option<Rejection>,
    /// The qualification checklist entries.
    #[serde(default)]
    pub checklist: Checklist,
    /// How many transitions the lead has had (the creation included).
    pub history_len: u32,
    /// The current awaiting-sales stage was set by a person (a marketing override to mql or
    /// a manual recycle): the below-the-bar rule leaves it alone until sales decides.
    #[serde(default)]
    pub pinned: bool,
}

impl LeadLifecycle {
    /// A new lead in `inquiry`, with its creation transition (none -> inquiry).
    pub fn new(now: Timestamp) -> (Self, Transition) {
        let st = LeadLifecycle {
            stage: Stage::Inquiry,
            since: now,
            created_at: now,
            quality_at: None,
            accepted_at: None,
            rejected: None,
            checklist: Checklist::default(),
            history_len: 1,
            pinned: false,
        };
        let t = Transition {
            from: None,
            to: Stage::Inquiry,
            at: now,
            actor: RULE_CREATED.to_string(),
            reason: "lead created".to_string(),
            rejection: None,
            note: None,
        };
        (st, t)
    }

    /// Applies a move: sets the stage and its time, the quality time on the first mql/pql,
    /// counts it and returns the transition. `pinned` is cleared (callers set it again).
    fn apply(&mut self, to: Stage, at: Timestamp, actor: String, reason: String) -> Transition {
        let from = self.stage;
        self.stage = to;
        self.since = at;
        self.pinned = false;
        if matches!(to, Stage::Mql | Stage::Pql) && self.quality_at.is_none() {
            self.quality_at = Some(at);
        }
        if to == Stage::Sal {
            self.accepted_at = Some(at);
        }
        self.history_len = self.history_len.saturating_add(1);
        Transition { from: Some(from), to, at, actor, reason, rejection: None, note: None }
    }
}

/// What the lifecycle rules need from one score of a lead.
#[derive(Debug, Clone, Copy)]
pub struct ScoreView<'a> {
    /// Whether the lead is a quality lead (total >= the model's quality threshold).
    pub quality: bool,
    /// The score total.
    pub total: i32,
    /// The ids of the model's signals that hold for the lead, e.g. `["pql"]`.
    pub signals: &'a [Arc<str>],
}

/// Why a lifecycle operation was refused. Every message names the lead's stage, the move
/// asked for and what is allowed instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// Accept or reject asked for in a stage where it is not allowed.
    #[error("cannot {action} a lead in stage '{stage}'; {action} is allowed from: {allowed}")]
    ActionNotAllowed {
        /// The lead's stage.
        stage: Stage,
        /// `accept` or `reject`.
        action: &'static str,
        /// The stages it is allowed from.
        allowed: String,
    },
    /// A manual move not in the move table.
    #[error("cannot move a lead from '{from}' to '{to}' by hand; from '{from}' a person may move it to: {allowed}{hint}")]
    MoveNotAllowed {
        /// The lead's stage.
        from: Stage,
        /// The stage asked for.
        to: Stage,
        /// The stages a person may move it to.
        allowed: String,
        /// A pointer to the right operation, when there is one.
        hint: String,
    },
    /// sal -> sql by hand while the model requires a complete checklist.
    #[error(
        "cannot move a lead from '{from}' to 'sql': the model requires the {framework} checklist to be complete \
         ({confirmed}/{total} confirmed); still to confirm: {missing}"
    )]
    ChecklistIncomplete {
        /// The lead's stage.
        from: Stage,
        /// The model's framework id.
        framework: &'static str,
        /// Items confirmed.
        confirmed: u32,
        /// Items in the framework.
        total: u32,
        /// The items not yet confirmed.
        missing: String,
    },
    /// A manual move without a reason.
    #[error("moving a lead from '{from}' to '{to}' by hand needs a reason")]
    ReasonRequired {
        /// The lead's stage.
        from: Stage,
        /// The stage asked for.
        to: Stage,
    },
    /// An operation without the acting user.
    #[error("{action} on a lead in stage '{stage}' needs the acting user's id")]
    ActorRequired {
        /// The lead's stage.
        stage: Stage,
        /// What was asked for.
        action: &'static str,
    },
    /// A rejection code not in the model's list.
    #[error("cannot reject a lead in stage '{stage}' with reason '{code}': not a rejection reason of the model; valid: {valid}")]
    UnknownReason {
        /// The lead's stage.
        stage: Stage,
        /// The code given.
        code: String,
        /// The model's codes.
        valid: String,
    },
    /// `other` without a note.
    #[error("cannot reject a lead in stage '{stage}' with reason 'other' without a note saying why")]
    NoteRequired {
        /// The lead's stage.
        stage: Stage,
    },
    /// A checklist framework id that is not known.
    #[error("unknown checklist '{given}' (lead in stage '{stage}'); valid: {valid}")]
    UnknownFramework {
        /// The lead's stage.
        stage: Stage,
        /// The id given.
        given: String,
        /// The valid ids.
        valid: String,
    },
    /// A checklist item id that is not in the framework.
    #[error("unknown {framework} item '{given}' (lead in stage '{stage}'); valid: {valid}")]
    UnknownItem {
        /// The lead's stage.
        stage: Stage,
        /// The framework id.
        framework: &'static str,
        /// The id given.
        given: String,
        /// The framework's item ids.
        valid: String,
    },
}

/// The stages accept is allowed from.
const ACCEPT_FROM: &[Stage] = &[Stage::Mql, Stage::Pql, Stage::Recycled];
/// The stages reject is allowed from.
const REJECT_FROM: &[Stage] = &[Stage::Mql, Stage::Pql, Stage::Recycled, Stage::Sal, Stage::Sql];

/// The manual move table: the stages a person may move a lead to from `from`, with
/// [`Policy::move_to`]. Accept (-> sal) and reject (-> nurture / disqualified) have their own
/// operations. Every manual move needs a reason.
///
/// | from                              | to            | note                                       |
/// |-----------------------------------|---------------|--------------------------------------------|
/// | inquiry, nurture                  | mql           | marketing override; pinned until sales acts|
/// | nurture, lost                     | recycled      | hand back to sales now (no cool-down)      |
/// | sal                               | sql           | only when the checklist gate passes        |
/// | sql                               | opportunity   | an opportunity was created                 |
/// | opportunity                       | won, lost     | the deal closed                            |
/// | disqualified                      | nurture       | reinstate a lead disqualified by mistake   |
/// | every open stage                  | disqualified  | out for good                               |
pub fn manual_targets(from: Stage) -> Vec<Stage> {
    let mut v = match from {
        Stage::Inquiry => vec![Stage::Mql],
        Stage::Nurture => vec![Stage::Mql, Stage::Recycled],
        Stage::Sal => vec![Stage::Sql],
        Stage::Sql => vec![Stage::Opportunity],
        Stage::Opportunity => vec![Stage::Won, Stage::Lost],
        Stage::Lost => vec![Stage::Recycled],
        Stage::Disqualified => vec![Stage::Nurture],
        Stage::Mql | Stage::Pql | Stage::Recycled | Stage::Won => vec![],
    };
    if from.is_open() {
        v.push(Stage::Disqualified);
    }
    v
}

fn stages(list: &[Stage]) -> String {
    join(list.iter().map(|s| s.as_str()))
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

fn user_actor(by: &str) -> String {
    let by = by.trim();
    if by.starts_with("user:") { by.to_string() } else { format!("user:{by}") }
}

fn user_id(by: &str) -> String {
    let by = by.trim();
    by.strip_prefix("user:").unwrap_or(by).to_string()
}

/// A model's lifecycle rules, ready to apply (see [`LifecycleSpec`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Quality leads enter mql.
    pub mql_on_quality: bool,
    /// The signal id whose holding makes a lead product-qualified.
    pub pql_signal: Option<String>,
    /// The model's qualification framework (the SQL gate).
    pub checklist: &'static Framework,
    /// Entering sql requires the model's checklist complete; completing it in sal moves
    /// the lead to sql by itself.
    pub sql_requires_checklist: bool,
    /// Days (24-hour periods) after a rejection before a lead may be recycled.
    pub recycle_after_days: u32,
    /// The rejection reason codes.
    pub rejection_reasons: Vec<String>,
    /// The codes that disqualify; the others send the lead to nurture.
    pub disqualifying_reasons: Vec<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::from_spec(&LifecycleSpec::default())
    }
}

impl Policy {
    /// The policy of a model's `[lifecycle]` section. The model checker already refused an
    /// unknown checklist id; should one get here anyway, BANT (the default) is used.
    pub fn from_spec(spec: &LifecycleSpec) -> Policy {
        Policy {
            mql_on_quality: spec.mql_on_quality,
            pql_signal: spec.pql_signal.clone(),
            checklist: framework(&spec.checklist).unwrap_or(&BANT),
            sql_requires_checklist: spec.sql_requires_checklist,
            recycle_after_days: spec.recycle_after_days,
            rejection_reasons: spec.rejection_reasons.clone(),
            disqualifying_reasons: spec.disqualifying_reasons.clone(),
        }
    }

    fn pql_holds(&self, view: &ScoreView<'_>) -> bool {
        self.pql_signal.as_deref().is_some_and(|p| view.signals.iter().any(|s| &**s == p))
    }

    fn mql_holds(&self, view: &ScoreView<'_>) -> bool {
        self.mql_on_quality && view.quality
    }

    /// Whether the SQL gate passes for this lead: the model does not require the checklist,
    /// or its checklist is complete.
    pub fn sql_gate_passes(&self, st: &LeadLifecycle) -> bool {
        !self.sql_requires_checklist || st.checklist.is_complete(self.checklist)
    }

    /// Whether a rejected lead's cool-down is over at `now`.
    fn cooled_down(&self, rejected: &Rejection, now: Timestamp) -> bool {
        let wait = SignedDuration::from_hours(24 * i64::from(self.recycle_after_days));
        match rejected.at.checked_add(wait) {
            Ok(until) => now >= until,
            Err(_) => false,
        }
    }

    /// The automatic rules, run on every rescoring. Applies the move to `st` and returns it,
    /// or `None` when the lead stays. Calling it again with the same view gives `None`.
    ///
    /// * inquiry, or nurture without a rejection: -> **pql** when the PQL signal holds,
    ///   else -> **mql** when the lead is a quality lead (and `mql_on_quality`). PQL wins
    ///   when both hold: product usage is the stronger signal. A lead already in mql stays
    ///   mql when the PQL signal appears later (it already waits for sales; no second
    ///   hand-off), and a pql stays pql while either holds.
    /// * mql, pql, recycled (awaiting sales): -> **nurture** when neither holds any more
    ///   (fell below the bar before acceptance), unless a person put it there (`pinned`).
    /// * nurture after a soft rejection: -> **recycled** when the lead qualifies again (PQL
    ///   signal or quality as above), at least `recycle_after_days` have passed since the
    ///   rejection, and the total is higher than at the rejection.
    /// * sal: -> **sql** when `sql_requires_checklist` and the model's checklist is complete
    ///   (the checklist may have been completed before acceptance).
    /// * sql, opportunity, won, lost, disqualified: never move automatically.
    pub fn on_score(&self, st: &mut LeadLifecycle, view: ScoreView<'_>, now: Timestamp) -> Option<Transition> {
        let pql = self.pql_holds(&view);
        let mql = self.mql_holds(&view);
        match st.stage {
            Stage::Inquiry => self.qualify(st, pql, mql, now),
            Stage::Nurture if st.rejected.is_none() => self.qualify(st, pql, mql, now),
            Stage::Nurture => {
                let rej = st.rejected.as_ref()?;
                if (pql || mql) && self.cooled_down(rej, now) && view.total > rej.total {
                    let reason = format!(
                        "qualifies again after the {}-day cool-down from the '{}' rejection, score {} > {}",
                        self.recycle_after_days, rej.code, view.total, rej.total
                    );
                    Some(st.apply(Stage::Recycled, now, RULE_RECYCLE.into(), reason))
                } else {
                    None
                }
            }
            Stage::Mql | Stage::Pql | Stage::Recycled => {
                if pql || mql || st.pinned {
                    None
                } else {
                    Some(st.apply(Stage::Nurture, now, RULE_BELOW_BAR.into(), "fell below the bar before sales accepted it".into()))
                }
            }
            Stage::Sal => self.checklist_rule(st, now),
            Stage::Sql | Stage::Opportunity | Stage::Won | Stage::Lost | Stage::Disqualified => None,
        }
    }

    /// inquiry / nurture (no rejection) -> pql, else -> mql.
    fn qualify(&self, st: &mut LeadLifecycle, pql: bool, mql: bool, now: Timestamp) -> Option<Transition> {
        if pql {
            Some(st.apply(Stage::Pql, now, RULE_PQL_SIGNAL.into(), "the product-qualified signal holds".into()))
        } else if mql {
            Some(st.apply(Stage::Mql, now, RULE_MQL_ON_QUALITY.into(), "became a quality lead".into()))
        } else {
            None
        }
    }

    fn checklist_rule(&self, st: &mut LeadLifecycle, now: Timestamp) -> Option<Transition> {
        if st.stage == Stage::Sal && self.sql_requires_checklist && st.checklist.is_complete(self.checklist) {
            let reason = format!("{} checklist complete", self.checklist.label);
            Some(st.apply(Stage::Sql, now, RULE_CHECKLIST_COMPLETE.into(), reason))
        } else {
            None
        }
    }

    /// Sales accepts the lead: mql, pql or recycled -> sal. When the model's checklist is
    /// already complete the next [`on_score`](Self::on_score) moves it on to sql.
    pub fn accept(&self, st: &mut LeadLifecycle, by: &str, note: Option<&str>, now: Timestamp) -> Result<Transition, LifecycleError> {
        if !st.stage.awaiting_sales() {
            return Err(LifecycleError::ActionNotAllowed { stage: st.stage, action: "accept", allowed: stages(ACCEPT_FROM) });
        }
        if by.trim().is_empty() {
            return Err(LifecycleError::ActorRequired { stage: st.stage, action: "accept" });
        }
        let mut t = st.apply(Stage::Sal, now, user_actor(by), "accepted by sales".into());
        t.note = non_empty(note);
        Ok(t)
    }

    /// Sales rejects the lead with one of the model's reason codes (`other` needs a note):
    /// from mql, pql, recycled, sal or sql. A disqualifying code moves it to disqualified,
    /// any other to nurture, from where it may be recycled. `total` is the lead's current
    /// score total, kept for the recycle rule.
    #[allow(clippy::too_many_arguments)]
    pub fn reject(
        &self,
        st: &mut LeadLifecycle,
        by: &str,
        code: &str,
        note: Option<&str>,
        total: i32,
        now: Timestamp,
    ) -> Result<Transition, LifecycleError> {
        let stage = st.stage;
        if !REJECT_FROM.contains(&stage) {
            return Err(LifecycleError::ActionNotAllowed { stage, action: "reject", allowed: stages(REJECT_FROM) });
        }
        if by.trim().is_empty() {
            return Err(LifecycleError::ActorRequired { stage, action: "reject" });
        }
        let code = code.trim();
        if !self.rejection_reasons.iter().any(|r| r == code) {
            return Err(LifecycleError::UnknownReason {
                stage,
                code: code.to_string(),
                valid: join(self.rejection_reasons.iter().map(String::as_str)),
            });
        }
        let note = non_empty(note);
        if code == "other" && note.is_none() {
            return Err(LifecycleError::NoteRequired { stage });
        }
        let disqualifying = self.disqualifying_reasons.iter().any(|r| r == code);
        let (to, reason) = if disqualifying {
            (Stage::Disqualified, format!("rejected by sales: {code} (disqualifying)"))
        } else {
            (Stage::Nurture, format!("rejected by sales: {code}"))
        };
        let mut t = st.apply(to, now, user_actor(by), reason);
        t.rejection = Some(code.to_string());
        t.note = note.clone();
        st.rejected = Some(Rejection { code: code.to_string(), note, by: user_id(by), at: now, total });
        Ok(t)
    }

    /// A person moves the lead by hand, with a reason; see [`manual_targets`] for the table.
    /// A move to mql or recycled is pinned: the below-the-bar rule leaves it until sales acts.
    #[allow(clippy::too_many_arguments)]
    pub fn move_to(
        &self,
        st: &mut LeadLifecycle,
        to: Stage,
        by: &str,
        reason: &str,
        note: Option<&str>,
        now: Timestamp,
    ) -> Result<Transition, LifecycleError> {
        let from = st.stage;
        let allowed = manual_targets(from);
        if !allowed.contains(&to) {
            let hint = match to {
                Stage::Sal if from.awaiting_sales() => "; to accept the lead use accept",
                Stage::Nurture | Stage::Disqualified if REJECT_FROM.contains(&from) => "; to reject the lead use reject with a reason code",
                Stage::Sal => "; sales accepts leads in mql, pql or recycled",
                Stage::Nurture => "; sales rejects leads with a reason code",
                Stage::Pql | Stage::Inquiry => "; only the rules move leads there",
                _ => "",
            };
            return Err(LifecycleError::MoveNotAllowed { from, to, allowed: stages(&allowed), hint: hint.to_string() });
        }
        let Some(reason) = non_empty(Some(reason)) else {
            return Err(LifecycleError::ReasonRequired { from, to });
        };
        if by.trim().is_empty() {
            return Err(LifecycleError::ActorRequired { stage: from, action: "a manual move" });
        }
        if from == Stage::Sal && to == Stage::Sql && !self.sql_gate_passes(st) {
            let c = st.checklist.completeness(self.checklist);
            return Err(LifecycleError::ChecklistIncomplete {
                from,
                framework: self.checklist.id,
                confirmed: c.confirmed,
                total: c.total,
                missing: join(c.missing()),
            });
        }
        let mut t = st.apply(to, now, user_actor(by), reason);
        t.note = non_empty(note);
        st.pinned = matches!(to, Stage::Mql | Stage::Recycled);
        Ok(t)
    }

    /// Records one checklist item of any framework (teams may use another framework than
    /// the model's). When the lead is in sal, the model requires its checklist for sql and
    /// that checklist is now complete, the lead moves to sql (`rule:checklist_complete`).
    #[allow(clippy::too_many_arguments)]
    pub fn set_item(
        &self,
        st: &mut LeadLifecycle,
        framework_id: &str,
        item: &str,
        status: ItemStatus,
        note: Option<&str>,
        by: &str,
        now: Timestamp,
    ) -> Result<Option<Transition>, LifecycleError> {
        let Some(fw) = framework(framework_id.trim()) else {
            return Err(LifecycleError::UnknownFramework { stage: st.stage, given: framework_id.to_string(), valid: framework_ids() });
        };
        let Some(it) = fw.item(item.trim()) else {
            return Err(LifecycleError::UnknownItem { stage: st.stage, framework: fw.id, given: item.to_string(), valid: fw.item_ids() });
        };
        if by.trim().is_empty() {
            return Err(LifecycleError::ActorRequired { stage: st.stage, action: "setting a checklist item" });
        }
        st.checklist.set(fw.id, it.id, ChecklistEntry { status, note: non_empty(note), by: user_id(by), at: now });
        Ok(self.checklist_rule(st, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(day: i64) -> Timestamp {
        Timestamp::from_second(1_735_689_600 + day * 86_400).unwrap() // 2025-01-01 + days
    }

    fn policy() -> Policy {
        Policy::from_spec(&LifecycleSpec { pql_signal: Some("pql".into()), ..LifecycleSpec::default() })
    }

    fn sig(ids: &[&str]) -> Vec<Arc<str>> {
        ids.iter().map(|s| Arc::from(*s)).collect()
    }

    fn view(quality: bool, total: i32, signals: &[Arc<str>]) -> ScoreView<'_> {
        ScoreView { quality, total, signals }
    }

    fn lead_in(p: &Policy, stage: Stage) -> LeadLifecycle {
        let (mut st, _) = LeadLifecycle::new(t(0));
        let none = sig(&[]);
        let go = |st: &mut LeadLifecycle, to: Stage| {
            p.move_to(st, to, "ann", "test", None, t(1)).unwrap();
        };
        match stage {
            Stage::Inquiry => {}
            Stage::Mql => {
                p.on_score(&mut st, view(true, 70, &none), t(1)).unwrap();
            }
            Stage::Pql => {
                p.on_score(&mut st, view(false, 20, &sig(&["pql"])), t(1)).unwrap();
            }
            Stage::Nurture => {
                p.on_score(&mut st, view(true, 70, &none), t(1)).unwrap();
                p.on_score(&mut st, view(false, 40, &none), t(2)).unwrap();
            }
            Stage::Recycled => {
                st = lead_in(p, Stage::Lost);
                go(&mut st, Stage::Recycled);
            }
            Stage::Sal => {
                st = lead_in(p, Stage::Mql);
                p.accept(&mut st, "bob", None, t(1)).unwrap();
            }
            Stage::Sql => {
                st = lead_in(p, Stage::Sal);
                for i in ["budget", "authority", "need", "timeline"] {
                    p.set_item(&mut st, "bant", i, ItemStatus::Confirmed, None, "bob", t(1)).unwrap();
                }
                if st.stage == Stage::Sal {
                    go(&mut st, Stage::Sql);
                }
            }
            Stage::Opportunity => {
                st = lead_in(p, Stage::Sql);
                go(&mut st, Stage::Opportunity);
            }
            Stage::Won | Stage::Lost => {
                st = lead_in(p, Stage::Opportunity);
                go(&mut st, stage);
            }
            Stage::Disqualified => go(&mut st, Stage::Disqualified),
        }
        assert_eq!(st.stage, stage);
        st
    }

    // ---- creation and automatic rules ----

    #[test]
    fn new_lead_is_inquiry() {
        let (st, tr) = LeadLifecycle::new(t(0));
        assert_eq!((st.stage, st.since, st.created_at, st.history_len), (Stage::Inquiry, t(0), t(0), 1));
        assert_eq!((tr.from, tr.to, tr.actor.as_str()), (None, Stage::Inquiry, "rule:created"));
        assert!(tr.is_automatic());
    }

    #[test]
    fn inquiry_to_mql_on_quality_and_idempotent() {
        let p = policy();
        let (mut st, _) = LeadLifecycle::new(t(0));
        let none = sig(&[]);
        assert_eq!(p.on_score(&mut st, view(false, 30, &none), t(1)), None);
        let tr = p.on_score(&mut st, view(true, 70, &none), t(2)).unwrap();
        assert_eq!((tr.from, tr.to, tr.actor.as_str()), (Some(Stage::Inquiry), Stage::Mql, "rule:mql_on_quality"));
        assert_eq!((st.stage, st.since, st.quality_at, st.history_len), (Stage::Mql, t(2), Some(t(2)), 2));
        assert_eq!(p.on_score(&mut st, view(true, 70, &none), t(2)), None);
        assert_eq!(p.on_score(&mut st, view(true, 90, &none), t(3)), None);
        assert_eq!(st.history_len, 2);
    }

    #[test]
    fn mql_on_quality_off_leaves_quality_leads_in_inquiry() {
        let p = Policy::from_spec(&LifecycleSpec { mql_on_quality: false, ..LifecycleSpec::default() });
        let (mut st, _) = LeadLifecycle::new(t(0));
        assert_eq!(p.on_score(&mut st, view(true, 90, &sig(&["pql"])), t(1)), None, "no pql signal configured");
        assert_eq!(st.stage, Stage::Inquiry);
    }

    #[test]
    fn pql_wins_over_mql_and_is_idempotent() {
        let p = policy();
        let (mut st, _) = LeadLifecycle::new(t(0));
        let both = sig(&["other", "pql"]);
        let tr = p.on_score(&mut st, view(true, 80, &both), t(1)).unwrap();
        assert_eq!((tr.to, tr.actor.as_str()), (Stage::Pql, "rule:pql_signal"));
        assert_eq!(st.quality_at, Some(t(1)));
        assert_eq!(p.on_score(&mut st, view(true, 80, &both), t(1)), None);
        // The signal going away while quality holds: still a qualified lead, stays pql.
        assert_eq!(p.on_score(&mut st, view(true, 80, &sig(&[])), t(2)), None);
        // An mql that later shows the signal stays mql (no second hand-off).
        let mut m = lead_in(&p, Stage::Mql);
        assert_eq!(p.on_score(&mut m, view(true, 80, &both), t(3)), None);
        assert_eq!(m.stage, Stage::Mql);
    }

    #[test]
    fn other_signals_are_not_pql() {
        let p = policy();
        let (mut st, _) = LeadLifecycle::new(t(0));
        assert_eq!(p.on_score(&mut st, view(false, 10, &sig(&["pqlx", "hot"])), t(1)), None);
    }

    #[test]
    fn falling_below_the_bar_before_acceptance_goes_to_nurture() {
        let p = policy();
        let none = sig(&[]);
        for stage in [Stage::Mql, Stage::Pql] {
            let mut st = lead_in(&p, stage);
            let tr = p.on_score(&mut st, view(false, 40, &none), t(5)).unwrap();
            assert_eq!((tr.from, tr.to, tr.actor.as_str()), (Some(stage), Stage::Nurture, "rule:below_bar"));
            assert_eq!(p.on_score(&mut st, view(false, 40, &none), t(5)), None, "idempotent");
            // Nurture without a rejection comes back as soon as it qualifies again.
            let back = p.on_score(&mut st, view(true, 75, &none), t(6)).unwrap();
            assert_eq!((back.to, back.actor.as_str()), (Stage::Mql, "rule:mql_on_quality"));
            assert_eq!(st.quality_at, Some(t(1)), "first time kept");
        }
        // pql stays while quality holds without the signal, goes when neither holds.
        let mut st = lead_in(&p, Stage::Pql);
        assert_eq!(p.on_score(&mut st, view(true, 70, &none), t(3)), None);
        assert_eq!(p.on_score(&mut st, view(false, 70, &none), t(3)).unwrap().to, Stage::Nurture);
    }

    #[test]
    fn pinned_override_is_not_undone_by_the_bar() {
        let p = policy();
        let (mut st, _) = LeadLifecycle::new(t(0));
        p.move_to(&mut st, Stage::Mql, "mia", "met at the booth", None, t(1)).unwrap();
        assert!(st.pinned);
        assert_eq!(p.on_score(&mut st, view(false, 10, &sig(&[])), t(2)), None);
        assert_eq!(st.stage, Stage::Mql);
        p.accept(&mut st, "bob", None, t(3)).unwrap();
        assert!(!st.pinned);
    }

    #[test]
    fn leads_with_sales_never_move_automatically() {
        let p = policy();
        for stage in [Stage::Sal, Stage::Sql, Stage::Opportunity, Stage::Won, Stage::Lost, Stage::Disqualified] {
            let mut st = lead_in(&p, stage);
            for (q, total, s) in [(false, -50, sig(&[])), (true, 100, sig(&["pql"]))] {
                assert_eq!(p.on_score(&mut st, view(q, total, &s), t(400)), None, "{stage}");
            }
            assert_eq!(st.stage, stage);
        }
    }

    #[test]
    fn sal_moves_to_sql_on_rescoring_when_checklist_was_completed_before() {
        let p = policy();
        let mut st = lead_in(&p, Stage::Mql);
        for i in ["budget", "authority", "need", "timeline"] {
            assert_eq!(p.set_item(&mut st, "bant", i, ItemStatus::Confirmed, None, "bob", t(2)).unwrap(), None);
        }
        assert_eq!(st.stage, Stage::Mql, "the checklist alone never skips acceptance");
        p.accept(&mut st, "bob", None, t(3)).unwrap();
        let tr = p.on_score(&mut st, view(true, 70, &sig(&[])), t(3)).unwrap();
        assert_eq!((tr.from, tr.to, tr.actor.as_str()), (Some(Stage::Sal), Stage::Sql, "rule:checklist_complete"));
        assert_eq!(p.on_score(&mut st, view(true, 70, &sig(&[])), t(3)), None);
    }

    // ---- recycle ----

    fn rejected_nurture(p: &Policy) -> LeadLifecycle {
        let mut st = lead_in(p, Stage::Mql);
        let tr = p.reject(&mut st, "bob", "no_active_project", Some("next year"), 60, t(10)).unwrap();
        assert_eq!(tr.to, Stage::Nurture);
        st
    }

    #[test]
    fn recycle_waits_for_the_cool_down() {
        let p = policy();
        let mut st = rejected_nurture(&p);
        let none = sig(&[]);
        // Quality and higher score, but 29 days and 23:59:59 after the rejection.
        let early = t(40).checked_sub(SignedDuration::from_secs(1)).unwrap();
        assert_eq!(p.on_score(&mut st, view(true, 90, &none), early), None);
        assert_eq!(st.stage, Stage::Nurture, "a soft-rejected lead does not go back to mql");
        let tr = p.on_score(&mut st, view(true, 90, &none), t(40)).unwrap();
        assert_eq!((tr.from, tr.to, tr.actor.as_str()), (Some(Stage::Nurture), Stage::Recycled, "rule:recycle"));
        assert!(tr.reason.contains("no_active_project"), "{}", tr.reason);
        assert_eq!(p.on_score(&mut st, view(true, 90, &none), t(40)), None, "idempotent");
        assert!(st.stage.awaiting_sales());
        // Recycled behaves as awaiting sales: falls below the bar, can be accepted.
        assert_eq!(p.on_score(&mut st, view(false, 30, &none), t(41)).unwrap().to, Stage::Nurture);
        assert_eq!(p.on_score(&mut st, view(true, 90, &none), t(42)).unwrap().to, Stage::Recycled);
        assert_eq!(p.accept(&mut st, "bob", None, t(43)).unwrap().to, Stage::Sal);
    }

    #[test]
    fn recycle_needs_a_higher_score_and_qualifying() {
        let p = policy();
        let mut st = rejected_nurture(&p);
        assert_eq!(p.on_score(&mut st, view(true, 60, &sig(&[])), t(100)), None, "equal score");
        assert_eq!(p.on_score(&mut st, view(true, 55, &sig(&[])), t(100)), None, "lower score");
        assert_eq!(p.on_score(&mut st, view(false, 61, &sig(&[])), t(100)), None, "not qualifying");
        assert_eq!(p.on_score(&mut st, view(false, 61, &sig(&["pql"])), t(100)).unwrap().to, Stage::Recycled);
    }

    #[test]
    fn recycle_after_zero_days() {
        let p = Policy::from_spec(&LifecycleSpec { recycle_after_days: 0, ..LifecycleSpec::default() });
        let mut st = lead_in(&p, Stage::Mql);
        p.reject(&mut st, "bob", "weak_use_case", None, 60, t(10)).unwrap();
        assert_eq!(p.on_score(&mut st, view(true, 61, &sig(&[])), t(10)).unwrap().to, Stage::Recycled);
    }

    // ---- accept ----

    #[test]
    fn accept_from_awaiting_stages_only() {
        let p = policy();
        for stage in Stage::ALL {
            let mut st = lead_in(&p, stage);
            let r = p.accept(&mut st, "bob", Some("call booked"), t(50));
            if stage.awaiting_sales() {
                let tr = r.unwrap();
                assert_eq!((tr.from, tr.to, tr.actor.as_str()), (Some(stage), Stage::Sal, "user:bob"));
                assert_eq!(tr.note.as_deref(), Some("call booked"));
                assert_eq!((st.stage, st.accepted_at), (Stage::Sal, Some(t(50))));
            } else {
                let e = r.unwrap_err().to_string();
                assert!(e.contains(&format!("'{stage}'")) && e.contains("mql, pql, recycled"), "{e}");
                assert_eq!(st.stage, stage, "unchanged");
            }
        }
        let mut st = lead_in(&p, Stage::Mql);
        assert!(matches!(p.accept(&mut st, " ", None, t(2)), Err(LifecycleError::ActorRequired { .. })));
    }

    // ---- reject ----

    #[test]
    fn reject_soft_code_goes_to_nurture_and_records() {
        let p = policy();
        for stage in [Stage::Mql, Stage::Pql, Stage::Recycled, Stage::Sal, Stage::Sql] {
            let mut st = lead_in(&p, stage);
            let tr = p.reject(&mut st, "bob", "unreachable", Some(" 5 calls "), 42, t(20)).unwrap();
            assert_eq!((tr.from, tr.to), (Some(stage), Stage::Nurture));
            assert_eq!(
                (tr.rejection.as_deref(), tr.note.as_deref(), tr.actor.as_str()),
                (Some("unreachable"), Some("5 calls"), "user:bob")
            );
            let r = st.rejected.as_ref().unwrap();
            assert_eq!((r.code.as_str(), r.by.as_str(), r.at, r.total), ("unreachable", "bob", t(20), 42));
        }
    }

    #[test]
    fn reject_disqualifying_code_disqualifies() {
        let p = policy();
        for code in leadrank_core::model::DEFAULT_DISQUALIFYING_REASONS {
            let mut st = lead_in(&p, Stage::Mql);
            let tr = p.reject(&mut st, "user:bob", code, None, 10, t(20)).unwrap();
            assert_eq!((tr.to, tr.actor.as_str()), (Stage::Disqualified, "user:bob"));
            assert_eq!(st.rejected.as_ref().unwrap().by, "bob");
            assert_eq!(p.on_score(&mut st, view(true, 999, &sig(&["pql"])), t(999)), None);
        }
    }

    #[test]
    fn reject_other_needs_a_note_and_unknown_codes_fail() {
        let p = policy();
        let mut st = lead_in(&p, Stage::Mql);
        for note in [None, Some(""), Some("   ")] {
            let e = p.reject(&mut st, "bob", "other", note, 10, t(20)).unwrap_err();
            assert_eq!(e, LifecycleError::NoteRequired { stage: Stage::Mql });
            assert!(e.to_string().contains("'mql'"));
        }
        let e = p.reject(&mut st, "bob", "too_small", None, 10, t(20)).unwrap_err().to_string();
        assert!(e.contains("'too_small'") && e.contains("no_company_fit") && e.contains("'mql'"), "{e}");
        assert_eq!((st.stage, st.rejected.is_none()), (Stage::Mql, true));
        let tr = p.reject(&mut st, "bob", "other", Some("reseller"), 10, t(20)).unwrap();
        assert_eq!((tr.to, tr.note.as_deref()), (Stage::Nurture, Some("reseller")));
        // A configured list replaces the default one.
        let custom = Policy::from_spec(&LifecycleSpec {
            rejection_reasons: vec!["too_small".into(), "fraud".into()],
            disqualifying_reasons: vec!["fraud".into()],
            ..LifecycleSpec::default()
        });
        let mut st = lead_in(&custom, Stage::Mql);
        assert!(custom.reject(&mut st, "bob", "no_company_fit", None, 1, t(3)).is_err());
        assert_eq!(custom.reject(&mut st, "bob", "too_small", None, 1, t(3)).unwrap().to, Stage::Nurture);
    }

    #[test]
    fn reject_not_allowed_elsewhere() {
        let p = policy();
        for stage in [Stage::Inquiry, Stage::Nurture, Stage::Opportunity, Stage::Won, Stage::Lost, Stage::Disqualified] {
            let mut st = lead_in(&p, stage);
            let e = p.reject(&mut st, "bob", "spam", None, 0, t(9)).unwrap_err().to_string();
            assert!(e.contains(&format!("'{stage}'")) && e.contains("mql, pql, recycled, sal, sql"), "{e}");
        }
    }

    // ---- manual moves ----

    #[test]
    fn manual_move_table_is_exact() {
        let p = Policy { sql_requires_checklist: false, ..policy() };
        let allowed: &[(Stage, &[Stage])] = &[
            (Stage::Inquiry, &[Stage::Mql, Stage::Disqualified]),
            (Stage::Mql, &[Stage::Disqualified]),
            (Stage::Pql, &[Stage::Disqualified]),
            (Stage::Sal, &[Stage::Sql, Stage::Disqualified]),
            (Stage::Sql, &[Stage::Opportunity, Stage::Disqualified]),
            (Stage::Opportunity, &[Stage::Won, Stage::Lost, Stage::Disqualified]),
            (Stage::Won, &[]),
            (Stage::Lost, &[Stage::Recycled]),
            (Stage::Nurture, &[Stage::Mql, Stage::Recycled, Stage::Disqualified]),
            (Stage::Recycled, &[Stage::Disqualified]),
            (Stage::Disqualified, &[Stage::Nurture]),
        ];
        for &(from, tos) in allowed {
            assert_eq!(manual_targets(from), tos, "{from}");
            for to in Stage::ALL {
                let mut st = lead_in(&p, from);
                let before = st.clone();
                let r = p.move_to(&mut st, to, "ann", "because", Some("n"), t(60));
                if tos.contains(&to) {
                    let tr = r.unwrap_or_else(|e| panic!("{from} -> {to}: {e}"));
                    assert_eq!((tr.from, tr.to, tr.actor.as_str(), tr.reason.as_str()), (Some(from), to, "user:ann", "because"));
                    assert_eq!((st.stage, st.since, st.history_len), (to, t(60), before.history_len + 1));
                    assert_eq!(st.pinned, matches!(to, Stage::Mql | Stage::Recycled));
                } else {
                    let e = r.unwrap_err();
                    assert!(matches!(e, LifecycleError::MoveNotAllowed { .. }), "{from} -> {to}: {e}");
                    let msg = e.to_string();
                    assert!(msg.contains(&format!("'{from}'")) && msg.contains(&format!("'{to}'")), "{msg}");
                    assert_eq!(st, before, "unchanged on error");
                }
            }
        }
    }

    #[test]
    fn manual_move_hints_and_reason_required() {
        let p = policy();
        let mut st = lead_in(&p, Stage::Mql);
        let e = p.move_to(&mut st, Stage::Sal, "ann", "x", None, t(5)).unwrap_err().to_string();
        assert!(e.contains("use accept") && e.contains("may move it to: disqualified"), "{e}");
        let e = p.move_to(&mut st, Stage::Nurture, "ann", "x", None, t(5)).unwrap_err().to_string();
        assert!(e.contains("use reject"), "{e}");
        let e = p.move_to(&mut st, Stage::Disqualified, "ann", "  ", None, t(5)).unwrap_err();
        assert_eq!(e, LifecycleError::ReasonRequired { from: Stage::Mql, to: Stage::Disqualified });
        let mut won = lead_in(&p, Stage::Won);
        let e = p.move_to(&mut won, Stage::Lost, "ann", "x", None, t(5)).unwrap_err().to_string();
        assert!(e.contains("may move it to: none"), "{e}");
    }

    #[test]
    fn sal_to_sql_gate_on_and_off() {
        let on = policy();
        let mut st = lead_in(&on, Stage::Sal);
        on.set_item(&mut st, "bant", "budget", ItemStatus::Confirmed, None, "bob", t(2)).unwrap();
        let e = on.move_to(&mut st, Stage::Sql, "bob", "feels right", None, t(3)).unwrap_err();
        assert_eq!(
            e,
            LifecycleError::ChecklistIncomplete {
                from: Stage::Sal,
                framework: "bant",
                confirmed: 1,
                total: 4,
                missing: "authority, need, timeline".into()
            }
        );
        assert!(e.to_string().contains("'sal' to 'sql'"), "{e}");
        let off = Policy::from_spec(&LifecycleSpec { sql_requires_checklist: false, ..LifecycleSpec::default() });
        let tr = off.move_to(&mut st, Stage::Sql, "bob", "partial is fine", None, t(3)).unwrap();
        assert_eq!(tr.to, Stage::Sql);
        assert_eq!(st.checklist.completeness(off.checklist).confirmed, 1, "partial checklist kept and visible");
    }

    // ---- checklist items ----

    #[test]
    fn checklist_completion_moves_sal_to_sql_only_with_the_gate() {
        let p = policy();
        let mut st = lead_in(&p, Stage::Sal);
        for (i, item) in ["budget", "authority", "need"].iter().enumerate() {
            assert_eq!(p.set_item(&mut st, "bant", item, ItemStatus::Confirmed, None, "bob", t(i as i64 + 2)).unwrap(), None);
        }
        assert_eq!(p.set_item(&mut st, "bant", "timeline", ItemStatus::Negative, Some("no date"), "bob", t(6)).unwrap(), None);
        let tr = p.set_item(&mut st, "bant", "timeline", ItemStatus::Confirmed, Some("Q3"), "bob", t(7)).unwrap().unwrap();
        assert_eq!((tr.from, tr.to, tr.actor.as_str(), tr.at), (Some(Stage::Sal), Stage::Sql, "rule:checklist_complete", t(7)));
        assert_eq!(st.stage, Stage::Sql);
        // Setting items again in sql moves nothing.
        assert_eq!(p.set_item(&mut st, "bant", "need", ItemStatus::Confirmed, None, "bob", t(8)).unwrap(), None);

        let off = Policy::from_spec(&LifecycleSpec { sql_requires_checklist: false, ..LifecycleSpec::default() });
        let mut st = lead_in(&off, Stage::Sal);
        for item in ["budget", "authority", "need", "timeline"] {
            assert_eq!(off.set_item(&mut st, "bant", item, ItemStatus::Confirmed, None, "bob", t(3)).unwrap(), None);
        }
        assert_eq!(st.stage, Stage::Sal, "gate off: reps move to sql themselves");
        assert_eq!(off.on_score(&mut st, view(true, 80, &[]), t(4)), None);
    }

    #[test]
    fn only_the_models_framework_gates_sql() {
        let p = Policy::from_spec(&LifecycleSpec { checklist: "meddicc".into(), ..LifecycleSpec::default() });
        let mut st = lead_in(&p, Stage::Sal);
        for item in ["budget", "authority", "need", "timeline"] {
            assert_eq!(p.set_item(&mut st, "bant", item, ItemStatus::Confirmed, None, "bob", t(3)).unwrap(), None);
        }
        assert_eq!(st.stage, Stage::Sal);
        let items = crate::checklist::MEDDICC.items;
        for (n, item) in items.iter().enumerate() {
            let r = p.set_item(&mut st, "meddicc", item.id, ItemStatus::Confirmed, None, "bob", t(4)).unwrap();
            assert_eq!(r.is_some(), n == items.len() - 1);
        }
        assert_eq!(st.stage, Stage::Sql);
    }

    #[test]
    fn set_item_records_and_checks_ids() {
        let p = policy();
        let mut st = lead_in(&p, Stage::Inquiry);
        p.set_item(&mut st, "champ", "money", ItemStatus::Negative, Some("frozen"), "user:cy", t(3)).unwrap();
        let e = st.checklist.entry("champ", "money").unwrap();
        assert_eq!((e.status, e.note.as_deref(), e.by.as_str(), e.at), (ItemStatus::Negative, Some("frozen"), "cy", t(3)));
        let err = p.set_item(&mut st, "spin", "x", ItemStatus::Confirmed, None, "cy", t(3)).unwrap_err().to_string();
        assert!(err.contains("'spin'") && err.contains("bant, champ, meddicc") && err.contains("'inquiry'"), "{err}");
        let err = p.set_item(&mut st, "bant", "money", ItemStatus::Confirmed, None, "cy", t(3)).unwrap_err().to_string();
        assert!(err.contains("'money'") && err.contains("budget, authority, need, timeline"), "{err}");
        let c = st.checklist.completeness(crate::checklist::framework("champ").unwrap());
        assert_eq!((c.negative, c.unknown, c.items[2].prompt.as_deref()), (1, 3, Some("What's the budget source for this initiative?")));
    }

    #[test]
    fn lifecycle_serde_round_trip() {
        let p = policy();
        let mut st = rejected_nurture(&p);
        p.set_item(&mut st, "bant", "need", ItemStatus::Confirmed, Some("churn"), "bob", t(11)).unwrap();
        let json = serde_json::to_string(&st).unwrap();
        assert!(json.contains("\"stage\":\"nurture\"") && json.contains("\"code\":\"no_active_project\""), "{json}");
        let back: LeadLifecycle = serde_json::from_str(&json).unwrap();
        assert_eq!(back, st);
        let (_, tr) = LeadLifecycle::new(t(0));
        let tj = serde_json::to_string(&tr).unwrap();
        assert_eq!(serde_json::from_str::<Transition>(&tj).unwrap(), tr);
    }
}
