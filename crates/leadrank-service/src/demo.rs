//! Demo data for `leadrank serve --demo`: generated leads, accounts and events (as of now),
//! loaded through the same service operations the API uses.

use std::path::Path;

use anyhow::Context;
use leadrank_core::records::{account_from_pairs, event_from_pairs, lead_from_pairs};

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

/// Generates `leads` demo leads (with accounts and events up to now) and loads them, unless
/// the database already has leads. Returns the number of leads loaded.
pub async fn load(service: &Service, leads: usize, seed: u64) -> anyhow::Result<usize> {
    if service.live_read().book.lead_count() > 0 {
        return Ok(0);
    }
    load_sales_team(service).await?;
    let dir = tempfile::tempdir()?;
    let opts = leadrank_synth::GenerateOptions { leads, seed, as_of: service.clock.now(), ..Default::default() };
    leadrank_synth::generate(&opts, dir.path(), &mut |_| {})?;
    let mut accounts = Vec::new();
    read_rows(&dir.path().join("accounts.csv"), |p| {
        let _: () = accounts.push(account_from_pairs(p.iter().copied())?);
        Ok(())
    })?;
    for chunk in accounts.chunks(500) {
        service.upsert_accounts(chunk.to_vec()).await?;
    }
    let mut all = Vec::new();
    read_rows(&dir.path().join("leads.csv"), |p| {
        let _: () = all.push(lead_from_pairs(p.iter().copied())?);
        Ok(())
    })?;
    let count = all.len();
    for chunk in all.chunks(500) {
        service.upsert_leads(chunk.to_vec()).await?;
    }
    let mut events = Vec::new();
    read_rows(&dir.path().join("events.csv"), |p| {
        let _: () = events.push(event_from_pairs(p.iter().copied())?);
        Ok(())
    })?;
    for chunk in events.chunks(500) {
        service.ingest_events(chunk.to_vec()).await?;
    }
    Ok(count)
}

/// Creates a demo sales organisation when there is none: a team per region and segment (the
/// territory names of the built-in routing file) and an ABM team, in the region's time zone,
/// with two reps each.
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
            let rep = leadrank_routing::Rep::new(format!("rep-{:02}", i * 2 + k + 1), id.clone(), 200);
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
/// rep with the most open leads, `manager` manages that rep's team, `revops` and `admin`.
pub async fn create_users(service: &Service) -> anyhow::Result<Vec<DemoUser>> {
    use crate::users::{NewUser, Role, generate_password};
    if !service.users().await?.is_empty() {
        return Ok(Vec::new());
    }
    let busiest = service.ops_state(|ops| {
        ops.reps
            .values()
            .max_by_key(|r| (ops.load.reps.get(&r.id).map_or(0, |c| c.open), std::cmp::Reverse(r.id.clone())))
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
