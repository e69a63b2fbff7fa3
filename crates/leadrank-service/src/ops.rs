//! The operating layer of the service: lifecycle stages, sales
//! acceptance and rejection, qualification checklists, routing to reps and SLA clocks.
//!
//! The rules are pure ([`leadrank_lifecycle`], [`leadrank_routing`]); this module keeps the
//! per-lead operating state in memory, applies those rules when a lead is rescored, when a
//! `sales_touch` arrives, when an SLA deadline passes and when a rep acts, and turns what
//! happened into store writes ([`LeadOps`], [`OpsLogEntry`]) and webhook events
//! (`lead.stage_changed`, `lead.assigned`, `sla.breached`).
//!
//! Lock order: the service's `live` lock before the `ops` lock, always.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use jiff::Timestamp;
use leadrank_core::CompiledModel;
use leadrank_lifecycle::{LeadLifecycle, Policy, ScoreView, Stage, Transition};
use leadrank_routing::{
    Assignment, BusinessCalendar, Calendar, Rep, RouteInput, RoutingModel, RoutingState, SlaClock, Team, Warning, builtin_routing,
};
use leadrank_store::{LeadOps, OpsLogEntry, Store, StoreError};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::ServiceError;
use crate::live::Live;

/// The current assignment of a lead.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CurrentAssignment {
    /// The routing rule that chose.
    pub rule: String,
    pub team: Option<String>,
    pub rep: Option<String>,
    pub queue: Option<String>,
    pub at: Timestamp,
    pub detail: String,
    /// Whether the lead was a quality lead when assigned (for fairness).
    pub quality: bool,
    /// Released from the rep's open load (the lead left the sales stages).
    #[serde(default)]
    pub released: bool,
}

/// A running SLA clock.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SlaRun {
    /// The SLA policy id.
    pub policy: String,
    pub team: Option<String>,
    pub rep: Option<String>,
    pub clock: SlaClock,
    /// Milestones already breached (each is counted once).
    #[serde(default)]
    pub breached: Vec<String>,
    /// The deadline (or "due soon" warning time) the timer is armed for.
    #[serde(default)]
    pub armed: Option<Timestamp>,
    /// `sla.warning`s sent (each once per milestone, deadline and lead time).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warned: Vec<Warning>,
    /// When the next `sla.warning` is due, as of the last look.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warn_next: Option<Timestamp>,
}

impl SlaRun {
    /// The earliest deadline of a milestone neither met (given `touches`) nor breached.
    fn next_deadline(&self, touches: &[Timestamp]) -> Option<Timestamp> {
        // At the end of time every touch that will ever count has happened.
        let status = self.clock.evaluate(touches, Timestamp::MAX);
        self.clock.milestones.iter().filter(|m| !status.met.contains(&m.id) && !self.breached.contains(&m.id)).map(|m| m.due).min()
    }

    /// When the timer should fire: the next deadline or the next warning, whichever is first.
    fn next_timer(&self, touches: &[Timestamp]) -> Option<Timestamp> {
        match (self.next_deadline(touches), self.warn_next) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Looks again at the warnings at `now`: the time of the next one (`now` when one is
    /// due already).
    fn plan_warnings(&mut self, touches: &[Timestamp], now: Timestamp, offsets: &[i64]) {
        let w = self.clock.warnings(touches, now, offsets, &self.warned);
        self.warn_next = if w.due.is_empty() { w.next } else { Some(now) };
    }
}

/// Everything the service keeps about how one lead is being worked, stored as JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LeadOpsState {
    pub lifecycle: LeadLifecycle,
    #[serde(default)]
    pub assignment: Option<CurrentAssignment>,
    #[serde(default)]
    pub sla: Option<SlaRun>,
    /// Times of the lead's `sales_touch` events, sorted.
    #[serde(default)]
    pub touches: Vec<Timestamp>,
    #[serde(default)]
    pub breaches: u32,
    /// Hidden from its rep's queue until then (its SLA clock keeps running).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snoozed_until: Option<Timestamp>,
}

/// What an operation produced: states to store, log entries to append, webhook events.
#[derive(Default)]
pub(crate) struct OpsOut {
    pub ops: Vec<LeadOps>,
    pub log: Vec<OpsLogEntry>,
    /// (event type, lead id, payload).
    pub events: Vec<(&'static str, String, serde_json::Value)>,
    dirty: BTreeSet<String>,
}

impl OpsOut {
    pub(crate) fn is_empty(&self) -> bool {
        self.ops.is_empty() && self.log.is_empty() && self.events.is_empty() && self.dirty.is_empty()
    }

    pub(crate) fn log(&mut self, lead_id: &str, kind: &str, at: Timestamp, body: serde_json::Value) {
        self.log.push(OpsLogEntry { id: 0, lead_id: lead_id.to_string(), kind: kind.to_string(), at, body: body.to_string() });
    }
}

/// Breaches counted per rep and per team (from the log on start, then live).
#[derive(Debug, Default, Clone, Serialize)]
pub struct BreachCounts {
    pub by_rep: BTreeMap<String, u64>,
    pub by_team: BTreeMap<String, u64>,
    pub by_milestone: BTreeMap<String, u64>,
    pub total: u64,
}

/// The leads whose assignment is live (not released), by rep and by team: a queue reads its
/// candidates here instead of walking every lead. Changed only with the assignments.
#[derive(Debug, Default)]
pub struct AssignedIndex {
    by_rep: FxHashMap<String, FxHashSet<String>>,
    by_team: FxHashMap<String, FxHashSet<String>>,
}

impl AssignedIndex {
    fn add(&mut self, id: &str, a: &CurrentAssignment) {
        if a.released {
            return;
        }
        if let Some(rep) = &a.rep {
            self.by_rep.entry(rep.clone()).or_default().insert(id.to_string());
        }
        if let Some(team) = &a.team {
            self.by_team.entry(team.clone()).or_default().insert(id.to_string());
        }
    }

    fn remove(&mut self, id: &str, a: &CurrentAssignment) {
        fn drop_from(map: &mut FxHashMap<String, FxHashSet<String>>, key: &str, id: &str) {
            if let Some(set) = map.get_mut(key) {
                set.remove(id);
                if set.is_empty() {
                    map.remove(key);
                }
            }
        }
        if let Some(rep) = &a.rep {
            drop_from(&mut self.by_rep, rep, id);
        }
        if let Some(team) = &a.team {
            drop_from(&mut self.by_team, team, id);
        }
    }

    /// The leads assigned to `rep` (live assignments only).
    pub fn of_rep(&self, rep: &str) -> impl Iterator<Item = &String> {
        self.by_rep.get(rep).into_iter().flatten()
    }

    /// The leads assigned to a rep or queue of `team` (live assignments only).
    pub fn of_team(&self, team: &str) -> impl Iterator<Item = &String> {
        self.by_team.get(team).into_iter().flatten()
    }
}

/// The in-memory operating state.
pub struct Ops {
    pub policy: Policy,
    pub routing: Arc<RoutingModel>,
    /// The routing file's text (the built-in one until a file is uploaded).
    pub routing_source: String,
    pub teams: BTreeMap<String, Team>,
    pub reps: BTreeMap<String, Rep>,
    /// `teams` and `reps` as slices for the router, rebuilt on change.
    team_list: Vec<Team>,
    rep_list: Vec<Rep>,
    /// Routing decisions made (for metrics).
    pub routed: u64,
    calendars: FxHashMap<String, BusinessCalendar>,
    default_calendar: BusinessCalendar,
    pub load: RoutingState,
    pub leads: FxHashMap<String, LeadOpsState>,
    /// The leads with a live assignment, by rep and by team (kept with every assignment).
    assigned: AssignedIndex,
    /// (next SLA deadline, lead id).
    timers: BTreeSet<(Timestamp, String)>,
    pub breaches: BreachCounts,
    /// The funnel's running totals (from the log on start, then with every transition).
    pub funnel: leadrank_lifecycle::FunnelTally,
    /// Webhook event types with at least one subscriber (payloads of the others are not built).
    pub subscribed: BTreeSet<String>,
    /// The lead times (minutes before a deadline) of the alert rules on `sla.warning`.
    warn_offsets: Vec<i64>,
}

/// Transitions entering these stages route the lead (when it has no active assignment).
fn routes_on_entry(stage: Stage) -> bool {
    stage.awaiting_sales()
}

/// Stages in which an assignment holds a place in the rep's open load.
fn holds_load(stage: Stage) -> bool {
    matches!(stage, Stage::Mql | Stage::Pql | Stage::Recycled | Stage::Sal | Stage::Sql | Stage::Opportunity)
}

impl Ops {
    /// A fresh operating state with the built-in routing file and no teams or reps.
    pub fn new(policy: Policy, routing: RoutingModel, routing_source: String) -> Result<Ops, String> {
        let default_calendar = BusinessCalendar::new(&Calendar::default(), "UTC").map_err(|e| format!("default calendar: {e}"))?;
        Ok(Ops {
            policy,
            routing: Arc::new(routing),
            routing_source,
            teams: BTreeMap::new(),
            reps: BTreeMap::new(),
            team_list: Vec::new(),
            rep_list: Vec::new(),
            routed: 0,
            calendars: FxHashMap::default(),
            default_calendar,
            load: RoutingState::default(),
            leads: FxHashMap::default(),
            assigned: AssignedIndex::default(),
            funnel: Default::default(),
            timers: BTreeSet::new(),
            breaches: BreachCounts::default(),
            subscribed: BTreeSet::new(),
            warn_offsets: Vec::new(),
        })
    }

    /// The lifecycle policy for one lead: the model's, with the checklist of the team the
    /// lead is assigned to when that team has its own.
    pub fn policy_for(&self, id: &str) -> Policy {
        let team = self.leads.get(id).and_then(|s| s.assignment.as_ref()).and_then(|a| a.team.as_deref());
        let framework = team.and_then(|t| self.teams.get(t)).and_then(|t| t.checklist.as_deref()).and_then(leadrank_lifecycle::framework);
        match framework {
            Some(f) if f.id != self.policy.checklist.id => Policy { checklist: f, ..self.policy.clone() },
            _ => self.policy.clone(),
        }
    }

    /// Installs a team (validated by the caller) and its calendar.
    pub fn put_team(&mut self, team: Team) -> Result<(), String> {
        let cal = BusinessCalendar::new(&team.calendar, &team.timezone).map_err(|e| e.to_string())?;
        self.calendars.insert(team.id.clone(), cal);
        self.teams.insert(team.id.clone(), team);
        self.team_list = self.teams.values().cloned().collect();
        Ok(())
    }

    /// Removes a team.
    pub fn remove_team(&mut self, id: &str) -> bool {
        self.calendars.remove(id);
        let had = self.teams.remove(id).is_some();
        self.team_list = self.teams.values().cloned().collect();
        had
    }

    /// Installs or replaces a rep (validated by the caller).
    pub fn put_rep(&mut self, rep: Rep) {
        self.reps.insert(rep.id.clone(), rep);
        self.rep_list = self.reps.values().cloned().collect();
    }

    /// Removes a rep.
    pub fn remove_rep(&mut self, id: &str) -> bool {
        let had = self.reps.remove(id).is_some();
        self.rep_list = self.reps.values().cloned().collect();
        had
    }

    fn calendar(&self, team: Option<&str>) -> &BusinessCalendar {
        team.and_then(|t| self.calendars.get(t)).unwrap_or(&self.default_calendar)
    }

    /// Loads stored states; rebuilds the reps' load counters and the SLA timers.
    pub fn load_states(&mut self, states: Vec<(String, LeadOpsState)>) {
        self.leads.clear();
        self.timers.clear();
        self.assigned = AssignedIndex::default();
        self.load = RoutingState::default();
        for (id, st) in states {
            self.index(&id, &st);
            self.leads.insert(id, st);
        }
    }

    /// Counts a lead's assignment into the load and arms its SLA timer.
    fn index(&mut self, id: &str, st: &LeadOpsState) {
        if let Some(a) = &st.assignment {
            self.assigned.add(id, a);
            self.load.record(&to_assignment(id, a), a.quality);
            if (a.released || !holds_load(st.lifecycle.stage))
                && let Some(rep) = &a.rep
            {
                self.load.release(rep);
            }
        }
        if let Some(due) = st.sla.as_ref().and_then(|s| s.armed) {
            self.timers.insert((due, id.to_string()));
        }
    }

    /// The earliest SLA deadline still running.
    pub fn next_due(&self) -> Option<Timestamp> {
        self.timers.first().map(|(t, _)| *t)
    }

    /// How many SLA clocks are running.
    pub fn running_clocks(&self) -> usize {
        self.timers.len()
    }

    /// Marks a lead's state as changed (to be stored).
    pub(crate) fn mark(&self, id: &str, out: &mut OpsOut) {
        out.dirty.insert(id.to_string());
    }

    /// Turns the set of changed leads into stored states.
    pub(crate) fn finish(&self, out: &mut OpsOut, now: Timestamp) {
        for id in std::mem::take(&mut out.dirty) {
            if let Some(st) = self.leads.get(&id)
                && let Ok(body) = serde_json::to_string(st)
            {
                out.ops.push(LeadOps { lead_id: id, body, updated_at: now });
            }
        }
    }

    /// The leads with a live assignment, by rep and by team.
    pub fn assigned(&self) -> &AssignedIndex {
        &self.assigned
    }

    /// Whether the index of assigned leads says exactly what the leads' assignments say
    /// (for tests; it walks every lead).
    pub fn assigned_index_is_exact(&self) -> bool {
        let mut fresh = AssignedIndex::default();
        for (id, st) in &self.leads {
            if let Some(a) = &st.assignment {
                fresh.add(id, a);
            }
        }
        fresh.by_rep == self.assigned.by_rep && fresh.by_team == self.assigned.by_team
    }

    /// Forgets an erased lead.
    pub fn forget(&mut self, id: &str) {
        self.funnel.forget(id);
        if let Some(st) = self.leads.remove(id) {
            self.stop_sla(id, &st);
            if let Some(a) = &st.assignment {
                self.assigned.remove(id, a);
            }
            if let Some(rep) = st.assignment.as_ref().filter(|a| !a.released).and_then(|a| a.rep.clone()) {
                self.load.release(&rep);
            }
        }
    }

    fn stop_sla(&mut self, id: &str, st: &LeadOpsState) {
        if let Some(due) = st.sla.as_ref().and_then(|s| s.armed) {
            self.timers.remove(&(due, id.to_string()));
        }
    }

    /// Arms the lead's SLA timer at its next open deadline (disarming the old one).
    fn rearm(&mut self, id: &str) {
        let Some(st) = self.leads.get_mut(id) else { return };
        let touches = &st.touches;
        let Some(run) = st.sla.as_mut() else { return };
        if let Some(old) = run.armed.take() {
            self.timers.remove(&(old, id.to_string()));
        }
        run.armed = run.next_timer(touches);
        if let Some(due) = run.armed {
            self.timers.insert((due, id.to_string()));
        }
    }

    /// Applies the automatic lifecycle rules to leads just rescored at `now`.
    pub(crate) fn observe(&mut self, live: &Live, ids: &[String], now: Timestamp, out: &mut OpsOut) {
        for id in ids {
            let Some(current) = live.current.get(id) else { continue };
            let signals = if live.book.model().signals.is_empty() { Vec::new() } else { live.book.signals(id, now).unwrap_or_default() };
            let view = ScoreView { quality: current.score.quality, total: current.score.total, signals: &signals };
            if !self.leads.contains_key(id) {
                let created = live.book.lead(id).and_then(|l| l.created_at).filter(|t| *t <= now).unwrap_or(now);
                let (lifecycle, t) = LeadLifecycle::new(created);
                self.leads.insert(
                    id.clone(),
                    LeadOpsState { lifecycle, assignment: None, sla: None, touches: Vec::new(), breaches: 0, snoozed_until: None },
                );
                self.record_transition(id, &t, out);
                self.mark(id, out);
            }
            let team_policy;
            let policy = if self.teams.values().any(|t| t.checklist.is_some()) {
                team_policy = self.policy_for(id);
                &team_policy
            } else {
                &self.policy
            };
            let Some(st) = self.leads.get_mut(id) else { continue };
            if let Some(t) = policy.on_score(&mut st.lifecycle, view, now) {
                self.after_transition(live, id, t, now, out);
            }
        }
    }

    fn record_transition(&mut self, id: &str, t: &Transition, out: &mut OpsOut) {
        self.funnel.add(id, t);
        if let Ok(body) = serde_json::to_string(t) {
            out.log.push(OpsLogEntry { id: 0, lead_id: id.to_string(), kind: "transition".into(), at: t.at, body });
        }
        if t.from.is_some() && self.subscribed.contains("lead.stage_changed") {
            let body = json!({
                "lead_id": id,
                "from": t.from.map(|s| s.as_str()),
                "to": t.to.as_str(),
                "at": t.at.to_string(),
                "actor": t.actor,
                "reason": t.reason,
                "rejection": t.rejection,
                "note": t.note,
            });
            out.events.push(("lead.stage_changed", id.to_string(), body));
        }
    }

    /// Records a transition already applied to the lead's lifecycle, then routes or stops
    /// clocks as the new stage asks.
    pub(crate) fn after_transition(&mut self, live: &Live, id: &str, t: Transition, now: Timestamp, out: &mut OpsOut) {
        self.record_transition(id, &t, out);
        self.mark(id, out);
        // The stage's SLA clock (if any) replaces the previous one.
        let Some(st) = self.leads.get_mut(id) else { return };
        let old_timer = st.sla.take().and_then(|run| run.armed);
        let active_rep = st.assignment.as_ref().filter(|a| !a.released).map(|a| a.rep.clone());
        if let Some(due) = old_timer {
            self.timers.remove(&(due, id.to_string()));
        }
        let stage = t.to;
        if let Some(rep) = &active_rep
            && !holds_load(stage)
        {
            if let Some(rep) = rep {
                self.load.release(rep);
            }
            if let Some(a) = self.leads.get_mut(id).and_then(|s| s.assignment.as_mut()) {
                self.assigned.remove(id, a);
                a.released = true;
            }
        }
        if routes_on_entry(stage) && active_rep.is_none() {
            self.route(live, id, &[], now, "stage", out);
        } else {
            self.start_sla(live, id, now, out);
        }
    }

    /// Routes a lead (excluding `exclude` reps), records the assignment and starts the
    /// stage's SLA clock.
    pub(crate) fn route(
        &mut self,
        live: &Live,
        id: &str,
        exclude: &[&str],
        now: Timestamp,
        why: &str,
        out: &mut OpsOut,
    ) -> Option<Assignment> {
        let st = self.leads.get(id)?;
        let input = route_input(live, id, st.lifecycle.stage)?;
        let assignment = self.routing.route(&input, &self.team_list, &self.rep_list, &self.load, now, exclude);
        self.routed += 1;
        // Release the previous rep's place.
        if let Some(prev) = st.assignment.as_ref().filter(|a| !a.released).and_then(|a| a.rep.clone()) {
            self.load.release(&prev);
        }
        self.load.record(&assignment, input.quality);
        let current = CurrentAssignment {
            rule: assignment.rule.clone(),
            team: assignment.team.clone(),
            rep: assignment.rep.clone(),
            queue: assignment.queue.clone(),
            at: now,
            detail: assignment.detail.clone(),
            quality: input.quality,
            released: false,
        };
        let body = json!({
            "lead_id": id,
            "rule": assignment.rule,
            "team": assignment.team,
            "rep": assignment.rep,
            "queue": assignment.queue,
            "detail": assignment.detail,
            "skipped": assignment.skipped,
            "why": why,
            "at": now.to_string(),
        });
        if self.subscribed.contains("lead.assigned") {
            out.events.push(("lead.assigned", id.to_string(), body.clone()));
        }
        out.log(id, "assignment", now, body);
        if let Some(st) = self.leads.get_mut(id) {
            if let Some(old) = &st.assignment {
                self.assigned.remove(id, old);
            }
            self.assigned.add(id, &current);
            st.assignment = Some(current);
        }
        self.mark(id, out);
        self.start_sla(live, id, now, out);
        Some(assignment)
    }

    /// Starts the SLA clock of the lead's stage and grade, if the routing file has one.
    fn start_sla(&mut self, live: &Live, id: &str, now: Timestamp, out: &mut OpsOut) {
        let Some(st) = self.leads.get(id) else { return };
        let stage = st.lifecycle.stage;
        let grade = live.current.get(id).map(|c| c.score.grade.to_string()).unwrap_or_default();
        let Some(policy) = self.routing.sla_for(stage.as_str(), &grade).cloned() else { return };
        let team = st.assignment.as_ref().filter(|a| !a.released).and_then(|a| a.team.clone());
        let rep = st.assignment.as_ref().filter(|a| !a.released).and_then(|a| a.rep.clone());
        let clock = SlaClock::start(&policy, self.calendar(team.as_deref()), now);
        let mut run =
            SlaRun { policy: policy.id.clone(), team, rep, clock, breached: Vec::new(), armed: None, warned: Vec::new(), warn_next: None };
        if let Some(st) = self.leads.get_mut(id) {
            run.plan_warnings(&st.touches, now, &self.warn_offsets);
            st.sla = Some(run);
        }
        self.rearm(id);
        self.mark(id, out);
    }

    /// Records a `sales_touch` of the lead at `at`.
    pub(crate) fn touch(&mut self, id: &str, at: Timestamp, out: &mut OpsOut) {
        let Some(st) = self.leads.get_mut(id) else { return };
        let pos = st.touches.partition_point(|t| *t <= at);
        st.touches.insert(pos, at);
        self.rearm(id);
        self.mark(id, out);
    }

    /// Sets the lead times of `sla.warning` (from the alert rules) and re-plans every running
    /// clock's warnings at `now`.
    pub(crate) fn set_warn_offsets(&mut self, mut offsets: Vec<i64>, now: Timestamp) {
        offsets.sort_unstable();
        offsets.dedup();
        if offsets == self.warn_offsets {
            return;
        }
        self.warn_offsets = offsets;
        let ids: Vec<String> = self.leads.iter().filter(|(_, st)| st.sla.is_some()).map(|(id, _)| id.clone()).collect();
        for id in ids {
            if let Some(st) = self.leads.get_mut(&id)
                && let Some(run) = st.sla.as_mut()
            {
                run.plan_warnings(&st.touches, now, &self.warn_offsets);
            }
            self.rearm(&id);
        }
    }

    /// Sends the lead's `sla.warning`s due by `now` (each once) and plans the next.
    fn warn(&mut self, id: &str, touches: &[Timestamp], run: &SlaRun, now: Timestamp, out: &mut OpsOut) {
        let w = run.clock.warnings(touches, now, &self.warn_offsets, &run.warned);
        for warning in &w.due {
            let body = json!({
                "lead_id": id,
                "policy": run.policy,
                "milestone": warning.milestone,
                "due": warning.due.to_string(),
                "warn_minutes": warning.minutes,
                "rep": run.rep,
                "team": run.team,
                "detected_at": now.to_string(),
            });
            out.events.push(("sla.warning", id.to_string(), body));
        }
        if let Some(r) = self.leads.get_mut(id).and_then(|s| s.sla.as_mut()) {
            r.warned.extend(w.due);
            r.warn_next = w.next;
        }
    }

    /// Checks the SLA clocks due by `now`: records breaches (once per milestone), fires
    /// `sla.breached`, and re-routes where the milestone says so. Returns each breach's
    /// detection lag (now - deadline) in seconds.
    pub(crate) fn sweep(&mut self, live: &Live, now: Timestamp, out: &mut OpsOut) -> Vec<f64> {
        let mut lags = Vec::new();
        let due: Vec<(Timestamp, String)> = self.timers.iter().take_while(|(t, _)| *t <= now).cloned().collect();
        for (t, id) in due {
            self.timers.remove(&(t, id.clone()));
            if let Some(run) = self.leads.get_mut(&id).and_then(|s| s.sla.as_mut()) {
                run.armed = None;
            }
            let Some(st) = self.leads.get(&id).cloned() else { continue };
            let Some(run) = st.sla.clone() else { continue };
            self.warn(&id, &st.touches, &run, now, out);
            let status = run.clock.evaluate(&st.touches, now);
            let mut reroute_from: Option<String> = None;
            for b in &status.breached {
                if run.breached.contains(&b.milestone) {
                    continue;
                }
                lags.push(now.duration_since(b.due).as_secs_f64());
                let milestone = run.clock.milestones.iter().find(|m| m.id == b.milestone);
                let reroute = milestone.is_some_and(|m| m.reroute);
                let body = json!({
                    "lead_id": id,
                    "policy": run.policy,
                    "milestone": b.milestone,
                    "due": b.due.to_string(),
                    "touches": b.touches_by_due,
                    "required": b.required,
                    "rep": run.rep,
                    "team": run.team,
                    "detected_at": now.to_string(),
                    "rerouted": reroute && run.rep.is_some(),
                });
                out.log(&id, "breach", now, body.clone());
                out.events.push(("sla.breached", id.clone(), body));
                self.breaches.total += 1;
                *self.breaches.by_milestone.entry(b.milestone.clone()).or_default() += 1;
                if let Some(rep) = &run.rep {
                    *self.breaches.by_rep.entry(rep.clone()).or_default() += 1;
                }
                if let Some(team) = &run.team {
                    *self.breaches.by_team.entry(team.clone()).or_default() += 1;
                }
                if reroute && run.rep.is_some() {
                    reroute_from = run.rep.clone();
                }
                if let Some(s) = self.leads.get_mut(&id) {
                    s.breaches += 1;
                    if let Some(r) = s.sla.as_mut() {
                        r.breached.push(b.milestone.clone());
                    }
                }
            }
            self.mark(&id, out);
            if let Some(rep) = reroute_from {
                self.route(live, &id, &[rep.as_str()], now, "sla breach", out);
            } else {
                self.rearm(&id);
            }
        }
        lags
    }
}

fn to_assignment(id: &str, a: &CurrentAssignment) -> Assignment {
    Assignment {
        lead_id: id.to_string(),
        rule: a.rule.clone(),
        team: a.team.clone(),
        rep: a.rep.clone(),
        queue: a.queue.clone(),
        detail: a.detail.clone(),
        skipped: Vec::new(),
    }
}

/// What routing needs to know of a lead: its firmographics, its account and its score.
pub(crate) fn route_input(live: &Live, id: &str, stage: Stage) -> Option<RouteInput> {
    let lead = live.book.lead(id)?;
    let account = lead.account_id.as_deref().and_then(|a| live.book.account(a));
    let score = live.current.get(id).map(|c| &c.score);
    let country = lead
        .country
        .as_deref()
        .or(account.and_then(|a| a.country.as_deref()))
        .and_then(leadrank_facts::country::normalize)
        .map(str::to_string);
    Some(RouteInput {
        lead_id: id.to_string(),
        country,
        employees: lead.employees.or(account.and_then(|a| a.employees)),
        industry: lead.industry.as_deref().map(str::to_string).or(account.and_then(|a| a.industry.clone())),
        grade: score.map(|s| s.grade.to_string()),
        stage: Some(stage.as_str().to_string()),
        account_id: lead.account_id.as_deref().map(str::to_string),
        account_owner: account.and_then(|a| a.owner.clone()),
        account_tier: account.and_then(|a| a.tier.clone()),
        quality: score.is_some_and(|s| s.quality),
    })
}

/// Directory kinds.
pub const TEAM: &str = "team";
pub const REP: &str = "rep";
pub const ROUTING: &str = "routing";
/// The id under which the active routing file is stored.
pub const ACTIVE: &str = "active";

fn corrupt(table: &'static str, detail: impl ToString) -> ServiceError {
    ServiceError::Store(StoreError::Corrupt { table, detail: detail.to_string() })
}

/// Builds the operating state from the store: routing file, teams, reps, lead states and the
/// breach counters.
pub(crate) async fn load(store: &dyn Store, model: &CompiledModel) -> Result<Ops, ServiceError> {
    let (routing, source) = match store.directory(ROUTING).await?.into_iter().find(|e| e.id == ACTIVE) {
        Some(e) => (RoutingModel::from_toml(&e.body, "stored routing file").map_err(|e| corrupt("directory", e))?, e.body),
        None => (builtin_routing(), leadrank_routing::BUILTIN_ROUTING.to_string()),
    };
    let mut ops = Ops::new(Policy::from_spec(&model.lifecycle), routing, source).map_err(|e| corrupt("directory", e))?;
    for e in store.directory(TEAM).await? {
        let team: Team = serde_json::from_str(&e.body).map_err(|x| corrupt("directory", format!("team {}: {x}", e.id)))?;
        ops.put_team(team).map_err(|x| corrupt("directory", format!("team {}: {x}", e.id)))?;
    }
    for e in store.directory(REP).await? {
        let rep: Rep = serde_json::from_str(&e.body).map_err(|x| corrupt("directory", format!("rep {}: {x}", e.id)))?;
        ops.put_rep(rep);
    }
    let mut states = Vec::new();
    for row in store.all_ops().await? {
        let st: LeadOpsState = serde_json::from_str(&row.body).map_err(|x| corrupt("lead_ops", format!("lead state: {x}")))?;
        states.push((row.lead_id, st));
    }
    ops.load_states(states);
    for entry in store.all_ops_log(Some("transition")).await? {
        let t: Transition = serde_json::from_str(&entry.body).map_err(|x| corrupt("ops_log", format!("transition of a lead: {x}")))?;
        ops.funnel.add(&entry.lead_id, &t);
    }
    for entry in store.all_ops_log(Some("breach")).await? {
        let v: serde_json::Value = serde_json::from_str(&entry.body).unwrap_or_default();
        ops.breaches.total += 1;
        if let Some(m) = v["milestone"].as_str() {
            *ops.breaches.by_milestone.entry(m.to_string()).or_default() += 1;
        }
        if let Some(r) = v["rep"].as_str() {
            *ops.breaches.by_rep.entry(r.to_string()).or_default() += 1;
        }
        if let Some(t) = v["team"].as_str() {
            *ops.breaches.by_team.entry(t.to_string()).or_default() += 1;
        }
    }
    Ok(ops)
}
