//! Loading the operating state from the store, managing the sales directory (teams, reps,
//! the routing file) and the operating reports (funnel, fairness, SLAs).

use jiff::Timestamp;
use leadrank_lifecycle::{FunnelReport, Policy, Transition};
use leadrank_routing::{Rep, RepLoad, RoutingModel, Team, builtin_routing, fairness, speed_to_lead};
use leadrank_store::{DirectoryEntry, StoreError};
use serde::Serialize;

use crate::ops::{ACTIVE, LeadOpsState, Ops, REP, ROUTING, TEAM};
use crate::service::{Service, ServiceError};

impl Service {
    /// Creates or replaces a team (validated).
    pub async fn put_team(&self, team: Team) -> Result<(), ServiceError> {
        team.validate().map_err(|e| ServiceError::Invalid(e.to_string()))?;
        let body = serde_json::to_string(&team).map_err(|e| ServiceError::Internal(e.to_string()))?;
        {
            // Check the calendar compiles before storing.
            let mut probe =
                Ops::new(Policy::from_spec(&Default::default()), builtin_routing(), String::new()).map_err(ServiceError::Internal)?;
            probe.put_team(team.clone()).map_err(ServiceError::Invalid)?;
        }
        let entry = DirectoryEntry { kind: TEAM.into(), id: team.id.clone(), body, updated_at: self.clock.now() };
        self.store.put_directory(&entry).await?;
        self.ops_state(|ops| ops.put_team(team)).map_err(ServiceError::Invalid)
    }

    /// Deletes a team; its reps stay and route nowhere until moved.
    pub async fn delete_team(&self, id: &str) -> Result<(), ServiceError> {
        self.store.delete_directory(TEAM, id).await.map_err(|e| match e {
            StoreError::NotFound(_) => ServiceError::NotFound(format!("team {id}")),
            e => e.into(),
        })?;
        self.ops_state(|ops| ops.remove_team(id));
        Ok(())
    }

    /// Creates or replaces a rep (validated; its team must exist).
    pub async fn put_rep(&self, rep: Rep) -> Result<(), ServiceError> {
        rep.validate().map_err(|e| ServiceError::Invalid(e.to_string()))?;
        if !self.ops_state(|ops| ops.teams.contains_key(&rep.team)) {
            return Err(ServiceError::Invalid(format!("team: no team '{}' (create it first with PUT /v1/teams/{{id}})", rep.team)));
        }
        let body = serde_json::to_string(&rep).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let entry = DirectoryEntry { kind: REP.into(), id: rep.id.clone(), body, updated_at: self.clock.now() };
        self.store.put_directory(&entry).await?;
        self.ops_state(|ops| ops.put_rep(rep));
        Ok(())
    }

    /// Deletes a rep; leads assigned to them keep the assignment (re-route them if needed).
    pub async fn delete_rep(&self, id: &str) -> Result<(), ServiceError> {
        self.store.delete_directory(REP, id).await.map_err(|e| match e {
            StoreError::NotFound(_) => ServiceError::NotFound(format!("rep {id}")),
            e => e.into(),
        })?;
        self.ops_state(|ops| ops.remove_rep(id));
        Ok(())
    }

    /// Replaces the routing file (already compiled by the caller from `source`).
    pub async fn put_routing(&self, routing: RoutingModel, source: String) -> Result<(), ServiceError> {
        let entry = DirectoryEntry { kind: ROUTING.into(), id: ACTIVE.into(), body: source.clone(), updated_at: self.clock.now() };
        self.store.put_directory(&entry).await?;
        self.ops_state(|ops| {
            ops.routing = std::sync::Arc::new(routing);
            ops.routing_source = source;
        });
        Ok(())
    }

    /// Runs a lifecycle action (accept, reject, a manual move, a checklist item) on one lead:
    /// `f` gets the model's policy, the lead's lifecycle, its total now and the time. The
    /// transition it returns is recorded, routed and timed like an automatic one, and
    /// everything is committed before this returns.
    pub async fn lifecycle_action(
        &self,
        lead_id: &str,
        f: impl FnOnce(
            &Policy,
            &mut leadrank_lifecycle::LeadLifecycle,
            i32,
            Timestamp,
        ) -> Result<Option<Transition>, leadrank_lifecycle::LifecycleError>,
    ) -> Result<Option<Transition>, ServiceError> {
        self.with_ops(lead_id, |live, ops, now, out| {
            let total = live.current.get(lead_id).map_or(0, |c| c.score.total);
            let policy = ops.policy_for(lead_id);
            let st = ops.leads.get_mut(lead_id).ok_or_else(|| ServiceError::NotFound(format!("lead '{lead_id}'")))?;
            let t = f(&policy, &mut st.lifecycle, total, now)?;
            match &t {
                Some(t) => ops.after_transition(live, lead_id, t.clone(), now, out),
                None => ops.mark(lead_id, out),
            }
            Ok(t)
        })
        .await
    }

    /// Hides an open lead from its rep's queue until `until` (or shows it again with
    /// `None`); its SLA clock keeps running. `by` is recorded in the operating log.
    pub async fn snooze(&self, lead_id: &str, until: Option<Timestamp>, by: &str) -> Result<(), ServiceError> {
        self.with_ops(lead_id, |_, ops, now, out| {
            let st = ops.leads.get_mut(lead_id).ok_or_else(|| ServiceError::NotFound(format!("lead '{lead_id}'")))?;
            if until.is_some_and(|u| u <= now) {
                return Err(ServiceError::Invalid("a snooze ends in the future".into()));
            }
            st.snoozed_until = until;
            let detail = match until {
                Some(u) => format!("snoozed by {by} until {u}"),
                None => format!("snooze ended by {by}"),
            };
            out.log(lead_id, "snooze", now, serde_json::json!({"by": by, "until": until.map(|u| u.to_string()), "detail": detail}));
            ops.mark(lead_id, out);
            Ok(())
        })
        .await
    }

    /// Routes an open lead again (e.g. after a rep left), optionally away from its current
    /// rep; `by` is recorded as who asked.
    pub async fn reroute(&self, lead_id: &str, exclude_current: bool, by: &str) -> Result<leadrank_routing::Assignment, ServiceError> {
        self.with_ops(lead_id, |live, ops, now, out| {
            let st = ops.leads.get(lead_id).ok_or_else(|| ServiceError::NotFound(format!("lead '{lead_id}'")))?;
            if !st.lifecycle.stage.is_open() {
                return Err(ServiceError::Conflict(format!("lead is {}: only open leads are routed", st.lifecycle.stage.as_str())));
            }
            let current = st.assignment.as_ref().filter(|a| !a.released).and_then(|a| a.rep.clone());
            let exclude: Vec<&str> = if exclude_current { current.as_deref().into_iter().collect() } else { Vec::new() };
            ops.route(live, lead_id, &exclude, now, &format!("manual by {by}"), out)
                .ok_or_else(|| ServiceError::NotFound(format!("lead '{lead_id}'")))
        })
        .await
    }

    /// The lifecycle funnel: stage counts, conversions, rejections by reason.
    /// Read from the running totals kept with every transition: the log is not read again.
    pub async fn funnel_report(&self) -> Result<FunnelReport, ServiceError> {
        Ok(self.ops_state(|ops| ops.funnel.report(ops.leads.values().map(|s| &s.lifecycle))))
    }

    /// Every stage transition as CSV in the stage-history input form (`lead_id, stage,
    /// at, by, reason`; the reason is the rejection code, if any), which `leadrank report
    /// --stages` reads.
    pub async fn stage_history_csv(&self) -> Result<String, ServiceError> {
        self.flush().await;
        let mut w = csv::Writer::from_writer(Vec::new());
        let io = |e: csv::Error| ServiceError::Internal(format!("writing CSV: {e}"));
        w.write_record(["lead_id", "stage", "at", "by", "reason"]).map_err(io)?;
        for e in self.store.all_ops_log(Some("transition")).await? {
            let Ok(t) = serde_json::from_str::<Transition>(&e.body) else { continue };
            let at = t.at.to_string();
            // A person appears by id ("r7"), a rule as "rule:<name>".
            let by = t.actor.strip_prefix("user:").unwrap_or(&t.actor);
            w.write_record([e.lead_id.as_str(), t.to.as_str(), at.as_str(), by, t.rejection.as_deref().unwrap_or("")]).map_err(io)?;
        }
        let bytes = w.into_inner().map_err(|e| ServiceError::Internal(format!("writing CSV: {e}")))?;
        String::from_utf8(bytes).map_err(|e| ServiceError::Internal(e.to_string()))
    }

    /// Leads and quality leads per rep against their weight; open load per rep.
    pub fn routing_report(&self) -> RoutingReport {
        let live = self.live_read();
        let ops = self.ops_lock(&live);
        let mut rows = Vec::new();
        for rep in ops.reps.values() {
            let c = ops.load.reps.get(&rep.id);
            rows.push(RepLoad {
                rep: rep.id.clone(),
                team: rep.team.clone(),
                weight: rep.weight.unwrap_or(rep.capacity),
                leads: c.map_or(0, |c| c.assigned),
                quality_leads: c.map_or(0, |c| c.quality_assigned),
            });
        }
        let open: Vec<RepOpen> = ops
            .reps
            .values()
            .map(|r| RepOpen {
                rep: r.id.clone(),
                team: r.team.clone(),
                open: ops.load.reps.get(&r.id).map_or(0, |c| c.open),
                capacity: r.capacity,
                away: r.away,
            })
            .collect();
        let mut queues: std::collections::BTreeMap<String, u64> = Default::default();
        for st in ops.leads.values() {
            if let Some(q) = st.assignment.as_ref().filter(|a| !a.released).and_then(|a| a.queue.clone()) {
                *queues.entry(q).or_default() += 1;
            }
        }
        RoutingReport { fairness: fairness(&rows), open, queues }
    }

    /// Breaches per rep, team and milestone; speed to lead; running clocks.
    pub fn sla_report(&self) -> SlaReport {
        let live = self.live_read();
        let ops = self.ops_lock(&live);
        let pairs = ops.leads.values().filter_map(|s| s.lifecycle.quality_at.map(|q| (q, s.touches.iter().find(|t| **t >= q).copied())));
        SlaReport { breaches: ops.breaches.clone(), speed_to_lead: speed_to_lead(pairs), running_clocks: ops.running_clocks() }
    }

    /// A lead's operating log as stored (transitions, assignments, breaches, checklist
    /// changes), oldest first; each body is the JSON of its kind.
    pub async fn lead_log(&self, lead_id: &str) -> Result<Vec<leadrank_store::OpsLogEntry>, ServiceError> {
        self.flush().await;
        Ok(self.store.ops_log(lead_id).await?)
    }

    /// A lead's latest `limit` events, newest first.
    pub async fn lead_events(&self, lead_id: &str, limit: usize) -> Result<Vec<leadrank_core::records::Event>, ServiceError> {
        let mut events = self.store.lead_events(lead_id).await?;
        events.sort_by_key(|e| std::cmp::Reverse(e.occurred_at));
        events.truncate(limit);
        Ok(events)
    }

    /// A lead's operating state and log.
    pub async fn lead_ops(&self, lead_id: &str) -> Result<(LeadOpsState, Vec<serde_json::Value>), ServiceError> {
        let st = self.ops_state(|ops| ops.leads.get(lead_id).cloned()).ok_or_else(|| ServiceError::NotFound(format!("lead {lead_id}")))?;
        let log = self
            .store
            .ops_log(lead_id)
            .await?
            .into_iter()
            .map(|e| {
                let body: serde_json::Value = serde_json::from_str(&e.body).unwrap_or_default();
                serde_json::json!({"kind": e.kind, "at": e.at.to_string(), "entry": body})
            })
            .collect();
        Ok((st, log))
    }
}

/// Open load of one rep.
#[derive(Debug, Serialize)]
pub struct RepOpen {
    pub rep: String,
    pub team: String,
    pub open: u32,
    pub capacity: u32,
    pub away: bool,
}

/// The routing report.
#[derive(Debug, Serialize)]
pub struct RoutingReport {
    pub fairness: leadrank_routing::FairnessReport,
    pub open: Vec<RepOpen>,
    /// Leads waiting in queues (no rep available).
    pub queues: std::collections::BTreeMap<String, u64>,
}

/// The SLA report.
#[derive(Debug, Serialize)]
pub struct SlaReport {
    pub breaches: crate::ops::BreachCounts,
    pub speed_to_lead: leadrank_routing::SpeedToLead,
    pub running_clocks: usize,
}
