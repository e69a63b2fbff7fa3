//! Demo data for `leadrank serve --demo`: generated leads, accounts and events (as of now),
//! loaded through the same service operations the API uses, the last weeks played in time
//! order with demo reps answering their leads.

use std::path::Path;

use anyhow::Context;
use jiff::{SignedDuration, Timestamp};
use leadrank_core::records::{Event, Lead, account_from_pairs, event_from_pairs, lead_from_pairs};
use leadrank_routing::BusinessCalendar;

use crate::clock::ReplayClock;
use crate::service::Service;

fn read_rows(path: &Path, mut each: impl FnMut(&[(&str, &str)]) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let mut reader = csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let headers = reader.headers()?.clone();
    for (i, row) in reader.records().enumerate() {
        let row = row.with_context(|| format!("{}: row {}", path.display(), i + 2))?;
        let pairs: Vec<(&str, &str)> = headers.iter().zip(row.iter()).collect();
        each(&pairs).with_context(|| format!("{}: line {}", path.display(), i + 2))?;
    }
    Ok(())
}

/// Days of the demo's recent history played in time order (see [`load`]).
pub const REPLAY_DAYS: i64 = 28;

/// Generates `leads` demo leads (with accounts and events up to now) and loads them, unless
/// the database already has leads. Returns the number of leads loaded.
///
/// What happened before the last [`REPLAY_DAYS`] days is loaded at once, as the state the
/// team started the month with. The last days are then played hour by hour on `clock`:
/// leads arrive when they were created, events when they happened, and the demo reps answer
/// the leads routed to them as a real team would (most within minutes of business time, some
/// late, a few never; most accepted, some rejected with a reason). Stage changes, routing,
/// SLA clocks and breaches are therefore stamped across the month, so the funnel, speed to
/// lead and SLA figures read like a working team's. The clock runs in real time afterwards.
pub async fn load(service: &Service, clock: &ReplayClock, leads: usize, seed: u64) -> anyhow::Result<usize> {
    if service.live_read().book.lead_count() > 0 {
        return Ok(0);
    }
    load_sales_team(service).await?;
    let now = service.clock.now();
    let dir = tempfile::tempdir()?;
    let opts = leadrank_synth::GenerateOptions { leads, seed, as_of: now, ..Default::default() };
    leadrank_synth::generate(&opts, dir.path(), &mut |_| {})?;
    let mut accounts = Vec::new();
    read_rows(&dir.path().join("accounts.csv"), |p| {
        let _: () = accounts.push(account_from_pairs(p.iter().copied())?);
        Ok(())
    })?;
    let mut all = Vec::new();
    read_rows(&dir.path().join("leads.csv"), |p| {
        let _: () = all.push(lead_from_pairs(p.iter().copied())?);
        Ok(())
    })?;
    let count = all.len();
    let mut events = Vec::new();
    read_rows(&dir.path().join("events.csv"), |p| {
        let _: () = events.push(event_from_pairs(p.iter().copied())?);
        Ok(())
    })?;

    let start = now - SignedDuration::from_hours(24 * REPLAY_DAYS);
    let (mut later_leads, early_leads): (Vec<Lead>, Vec<Lead>) = all.into_iter().partition(|l| l.created_at.is_some_and(|t| t > start));
    let (mut later_events, early_events): (Vec<Event>, Vec<Event>) = events.into_iter().partition(|e| e.occurred_at > start);
    later_leads.sort_by_key(|l| l.created_at);
    later_events.sort_by(|a, b| a.occurred_at.cmp(&b.occurred_at).then_with(|| a.event_id.cmp(&b.event_id)));

    clock.replay_at(start);
    for chunk in accounts.chunks(500) {
        service.upsert_accounts(chunk.to_vec()).await?;
    }
    for chunk in early_leads.chunks(500) {
        service.upsert_leads(chunk.to_vec()).await?;
    }
    for chunk in early_events.chunks(500) {
        service.ingest_events(chunk.to_vec()).await?;
    }
    let mut team = DemoTeam::new(service, seed);
    team.answer_new_assignments(service);
    let (mut next_lead, mut next_event) = (0, 0);
    let mut t = start;
    while t < now {
        let end = (t + SignedDuration::from_hours(1)).min(now);
        clock.replay_at(end);
        // The reps' touches of this hour go first: any write checks the SLA clocks due by
        // the hour's end, and a touch made in time must be known by then.
        let touches = team.touches_until(service, end);
        if !touches.is_empty() {
            for (outcome, why) in service.ingest_events(touches).await? {
                if outcome == crate::Outcome::Rejected {
                    anyhow::bail!("a demo rep's touch was refused: {}", why.unwrap_or_default());
                }
            }
        }
        let arrived = later_leads[next_lead..].iter().take_while(|l| l.created_at.is_some_and(|c| c <= end)).count();
        if arrived > 0 {
            service.upsert_leads(later_leads[next_lead..next_lead + arrived].to_vec()).await?;
            next_lead += arrived;
        }
        let happened = later_events[next_event..].iter().take_while(|e| e.occurred_at <= end).count();
        if happened > 0 {
            service.ingest_events(later_events[next_event..next_event + happened].to_vec()).await?;
            next_event += happened;
        }
        // Leads routed now are answered from now on (their clocks started at this hour's end).
        team.answer_new_assignments(service);
        team.decide_until(service, end).await?;
        service.sweep(end).await;
        service.sla_sweep(end);
        // Leads re-routed after a breach are answered by their new rep from now on.
        team.answer_new_assignments(service);
        t = end;
    }
    clock.resume();
    Ok(count)
}

/// What a demo rep does with a lead routed to them.
enum RepAction {
    /// A first `sales_touch` (call or e-mail).
    Touch { lead_id: String, rep: String },
    /// Sales accepts the lead.
    Accept { lead_id: String, rep: String },
    /// Sales rejects the lead with a reason code of the model.
    Reject { lead_id: String, rep: String, code: &'static str },
}

/// The demo reps: how fast they answer and what they decide, drawn from a seeded generator.
struct DemoTeam {
    rng: rand_chacha::ChaCha8Rng,
    /// Assignments already answered (lead id and the time it was assigned).
    answered: std::collections::HashSet<(String, Timestamp)>,
    /// Actions to come, by time.
    planned: std::collections::BTreeMap<(Timestamp, u64), RepAction>,
    sequence: u64,
    calendars: std::collections::HashMap<String, BusinessCalendar>,
}

/// Rejection codes the demo reps use, with their relative frequency.
const REJECTIONS: [(&str, u32); 5] =
    [("no_active_project", 4), ("no_budget_path", 2), ("no_role_fit", 2), ("unreachable", 1), ("existing_customer", 1)];

impl DemoTeam {
    fn new(service: &Service, seed: u64) -> Self {
        use rand::SeedableRng;
        let calendars = service
            .ops_state(|ops| ops.teams.values().filter_map(|t| BusinessCalendar::for_team(t).ok().map(|c| (t.id.clone(), c))).collect());
        DemoTeam {
            rng: rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x7e4d_5eed),
            answered: Default::default(),
            planned: Default::default(),
            sequence: 0,
            calendars,
        }
    }

    fn plan(&mut self, at: Timestamp, action: RepAction) {
        self.sequence += 1;
        self.planned.insert((at, self.sequence), action);
    }

    /// Plans the answer to every lead assigned to a rep and not answered yet: a first touch
    /// after some minutes of the team's business time (mostly about 2, one in seven about
    /// 30, one in twenty never), a second within the hour (mostly), a touch every half or whole business day
    /// after, and two hours to ten days after the first touch an acceptance (three in four) or
    /// a rejection (one in six).
    fn answer_new_assignments(&mut self, service: &Service) {
        use rand::Rng;
        let fresh: Vec<(String, String, String, Timestamp)> = service.ops_state(|ops| {
            ops.leads
                .iter()
                .filter_map(|(id, st)| {
                    let a = st.assignment.as_ref()?;
                    if a.released || !st.lifecycle.stage.awaiting_sales() {
                        return None;
                    }
                    Some((id.clone(), a.rep.clone()?, a.team.clone().unwrap_or_default(), a.at))
                })
                .filter(|(id, _, _, at)| !self.answered.contains(&(id.clone(), *at)))
                .collect()
        });
        let mut fresh = fresh;
        fresh.sort();
        for (lead_id, rep, team, at) in fresh {
            self.answered.insert((lead_id.clone(), at));
            if self.rng.random_bool(0.05) {
                continue;
            }
            let calendar = self.calendars.get(&team).cloned();
            let later = |from: Timestamp, minutes: i64| match &calendar {
                Some(c) => c.add_business_minutes(from, minutes),
                None => from + SignedDuration::from_mins(minutes),
            };
            let minutes = if self.rng.random_bool(0.85) { self.lognormal_minutes(2.0, 0.6) } else { self.lognormal_minutes(30.0, 0.8) };
            let first = later(at, minutes);
            // Deciding takes a conversation or two: two hours to ten days after the first
            // touch, so the last days' leads are still waiting in the queues.
            let decided = first + SignedDuration::from_mins(self.rng.random_range(120f64.ln()..14_400f64.ln()).exp() as i64);
            self.plan(first, RepAction::Touch { lead_id: lead_id.clone(), rep: rep.clone() });
            // A second touch within the hour, mostly; then a touch every half or whole
            // business day until the lead is decided.
            let mut touch = first;
            if self.rng.random_bool(0.85) {
                touch = later(touch, self.lognormal_minutes(20.0, 0.6));
                self.plan(touch, RepAction::Touch { lead_id: lead_id.clone(), rep: rep.clone() });
            }
            let every = if self.rng.random_bool(0.8) { 240 } else { 480 };
            for _ in 0..14 {
                touch = later(touch, every * self.rng.random_range(70..=130) / 100);
                if touch >= decided {
                    break;
                }
                self.plan(touch, RepAction::Touch { lead_id: lead_id.clone(), rep: rep.clone() });
            }
            let roll: f64 = self.rng.random();
            if roll < 0.75 {
                self.plan(decided, RepAction::Accept { lead_id, rep });
            } else if roll < 0.92 {
                let total: u32 = REJECTIONS.iter().map(|(_, w)| w).sum();
                let mut pick = self.rng.random_range(0..total);
                let code = REJECTIONS
                    .iter()
                    .find(|(_, w)| {
                        let hit = pick < *w;
                        pick = pick.saturating_sub(*w);
                        hit
                    })
                    .map_or("other", |(c, _)| c);
                self.plan(decided, RepAction::Reject { lead_id, rep, code });
            }
        }
    }

    /// Minutes of a log-normal answer time with this median and spread (sigma of the log).
    fn lognormal_minutes(&mut self, median: f64, sigma: f64) -> i64 {
        (median * (sigma * normal(&mut self.rng)).exp()).round().max(1.0) as i64
    }

    /// The planned touches up to `end`, as `sales_touch` events.
    /// A rep stops working a lead once it went to someone else.
    fn touches_until(&mut self, service: &Service, end: Timestamp) -> Vec<Event> {
        let mut out = Vec::new();
        let due: Vec<(Timestamp, u64)> = self.planned.range(..=(end, u64::MAX)).map(|(k, _)| *k).collect();
        for key in due {
            if let Some(RepAction::Touch { lead_id, rep }) = self.planned.get(&key) {
                if !holds(service, lead_id, rep) {
                    self.planned.remove(&key);
                    continue;
                }
                let mut properties = serde_json::Map::new();
                properties.insert("rep".into(), rep.clone().into());
                properties.insert("channel".into(), "call".into());
                out.push(Event {
                    event_id: format!("demo-touch-{}", key.1),
                    lead_id: lead_id.clone(),
                    event_type: "sales_touch".into(),
                    occurred_at: key.0,
                    url: None,
                    properties: Some(properties),
                });
                self.planned.remove(&key);
            }
        }
        out
    }

    /// Applies the planned acceptances and rejections up to `end` (a lead that has left the
    /// stages awaiting sales meanwhile is left as it is).
    async fn decide_until(&mut self, service: &Service, end: Timestamp) -> anyhow::Result<()> {
        let due: Vec<(Timestamp, u64)> = self.planned.range(..=(end, u64::MAX)).map(|(k, _)| *k).collect();
        for key in due {
            if matches!(self.planned.get(&key), Some(RepAction::Touch { .. }) | None) {
                continue;
            }
            let Some(action) = self.planned.remove(&key) else { continue };
            let result = match &action {
                RepAction::Touch { .. } => continue,
                RepAction::Accept { lead_id, rep } | RepAction::Reject { lead_id, rep, .. } if !holds(service, lead_id, rep) => continue,
                RepAction::Accept { lead_id, rep } => {
                    service.lifecycle_action(lead_id, |p, st, _, now| p.accept(st, rep, None, now).map(Some)).await
                }
                RepAction::Reject { lead_id, rep, code } => {
                    service.lifecycle_action(lead_id, |p, st, total, now| p.reject(st, rep, code, None, total, now).map(Some)).await
                }
            };
            match result {
                Ok(_) | Err(crate::ServiceError::Lifecycle(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }
}

/// Whether `rep` still holds the lead (it was not routed to someone else meanwhile).
fn holds(service: &Service, lead_id: &str, rep: &str) -> bool {
    service.ops_state(|ops| {
        ops.leads.get(lead_id).and_then(|st| st.assignment.as_ref()).is_some_and(|a| !a.released && a.rep.as_deref() == Some(rep))
    })
}

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut impl rand::Rng) -> f64 {
    let u: f64 = rng.random_range(f64::EPSILON..1.0);
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// Creates a demo sales organisation when there is none: a team per region and segment (the
/// territory names of the built-in routing file) and an ABM team, in the region's time zone,
/// with two reps each (capacity 200, weight 1).
async fn load_sales_team(service: &Service) -> anyhow::Result<()> {
    if !service.ops_state(|ops| ops.teams.is_empty()) {
        return Ok(());
    }
    let regions = [("amer", "America/New_York"), ("emea", "Europe/London"), ("apac", "Asia/Singapore")];
    let mut teams: Vec<(String, &str)> = vec![("abm".to_string(), "America/New_York")];
    for (region, tz) in regions {
        for segment in ["smb", "mid-market", "enterprise"] {
            teams.push((format!("{region}-{segment}"), tz));
        }
    }
    for (i, (id, tz)) in teams.iter().enumerate() {
        let mut team = leadrank_routing::Team::new(id.clone());
        team.timezone = tz.to_string();
        service.put_team(team).await?;
        for k in 0..2 {
            let mut rep = leadrank_routing::Rep::new(format!("rep-{:02}", i * 2 + k + 1), id.clone(), 200);
            // Weights are relative shares within a team: one unit per demo rep, so a rep
            // added with weight 2 takes twice a demo rep's share.
            rep.weight = Some(1);
            service.put_rep(rep).await?;
        }
    }
    Ok(())
}

/// A demo user made by [`create_users`], with its password (shown once).
#[derive(Debug, Clone)]
pub struct DemoUser {
    pub username: String,
    pub role: crate::users::Role,
    pub password: String,
    /// What the user sees: the rep or teams it works as.
    pub scope: String,
}

/// Creates one user per role for the demo, unless users exist already: `rep` works as the
/// rep with the most leads waiting for sales (then the most open leads), `manager` manages that rep's team, `revops` and `admin`.
pub async fn create_users(service: &Service) -> anyhow::Result<Vec<DemoUser>> {
    use crate::users::{NewUser, Role, generate_password};
    if !service.users().await?.is_empty() {
        return Ok(Vec::new());
    }
    let busiest = service.ops_state(|ops| {
        let mut waiting: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for st in ops.leads.values() {
            if let Some(rep) =
                st.assignment.as_ref().filter(|a| !a.released && st.lifecycle.stage.awaiting_sales()).and_then(|a| a.rep.as_deref())
            {
                *waiting.entry(rep).or_default() += 1;
            }
        }
        ops.reps
            .values()
            .max_by_key(|r| {
                (
                    waiting.get(r.id.as_str()).copied().unwrap_or(0),
                    ops.load.reps.get(&r.id).map_or(0, |c| c.open),
                    std::cmp::Reverse(r.id.clone()),
                )
            })
            .map(|r| (r.id.clone(), r.team.clone()))
    });
    let Some((rep, team)) = busiest else { anyhow::bail!("the demo has no reps to make a rep user for") };
    let plan = [
        ("rep", "Riley Rep", Role::Rep, Some(rep.clone()), vec![], format!("rep {rep}")),
        ("manager", "Morgan Manager", Role::Manager, None, vec![team.clone()], format!("team {team}")),
        ("revops", "Robin RevOps", Role::Revops, None, vec![], "every lead".to_string()),
        ("admin", "Alex Admin", Role::Admin, None, vec![], "every lead".to_string()),
    ];
    let mut made = Vec::new();
    for (username, name, role, rep, teams, scope) in plan {
        let password = generate_password();
        let new = NewUser { username: username.into(), name: name.into(), role, rep, teams };
        service.create_user(new, &password, "cli (serve --demo)").await?;
        made.push(DemoUser { username: username.into(), role, password, scope });
    }
    Ok(made)
}
