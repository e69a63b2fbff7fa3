//! Benchmarks: routing decisions with 50 reps in 10 teams, and SLA clocks.
//!
//! Run with `cargo bench -p leadrank-routing`.

use divan::Bencher;
use divan::counter::ItemsCount;
use jiff::{SignedDuration, Timestamp};
use leadrank_routing::{BusinessCalendar, Calendar, Rep, RouteInput, RoutingState, SlaClock, Team, builtin_routing};

fn main() {
    divan::main();
}

const LEADS: usize = 1000;

fn now() -> Timestamp {
    Timestamp::from_second(1_772_618_400).unwrap_or(Timestamp::UNIX_EPOCH) // 2026-03-04T10:00Z
}

/// 10 teams (abm + 3 regions x 3 segments), 5 reps each; a few away or nearly full.
fn roster() -> (Vec<Team>, Vec<Rep>) {
    let mut teams = vec![Team::new("abm")];
    for region in ["amer", "emea", "apac"] {
        for segment in ["smb", "mid-market", "enterprise"] {
            teams.push(Team::new(format!("{region}-{segment}")));
        }
    }
    let mut reps = Vec::new();
    for (t, team) in teams.iter().enumerate() {
        for i in 0..5u32 {
            let mut rep = Rep::new(format!("{}-{i}", team.id), team.id.clone(), 1_000_000);
            rep.weight = Some(1 + i);
            rep.away = (t + i as usize).is_multiple_of(7);
            reps.push(rep);
        }
    }
    (teams, reps)
}

fn leads() -> Vec<RouteInput> {
    let countries = ["US", "DE", "JP", "BR", "FR", "IN", "GB", "AU", "CA", "ZZ"];
    let sizes = [15, 199, 200, 750, 2000, 2001, 12_000];
    (0..LEADS)
        .map(|i| RouteInput {
            lead_id: format!("L{i}"),
            country: Some(countries[i % countries.len()].to_string()),
            employees: Some(sizes[i % sizes.len()]),
            industry: Some("software".into()),
            grade: Some("A".into()),
            stage: Some("mql".into()),
            account_id: (i % 5 == 0).then(|| format!("acc{i}")),
            account_owner: (i % 10 == 0).then(|| format!("emea-smb-{}", i % 5)),
            account_tier: (i % 13 == 0).then(|| "abm".to_string()),
            quality: i % 3 == 0,
        })
        .collect()
}

/// `route()` only, against a fixed state: decisions per second.
#[divan::bench]
fn route_decisions(bencher: Bencher) {
    let model = builtin_routing();
    let (teams, reps) = roster();
    let leads = leads();
    let mut state = RoutingState::new();
    for (i, r) in reps.iter().enumerate() {
        state.set_open(&r.id, (i % 9) as u32);
    }
    bencher.counter(ItemsCount::new(LEADS)).bench_local(|| {
        for lead in &leads {
            divan::black_box(model.route(lead, &teams, &reps, &state, now(), &[]));
        }
    });
}

/// `route()` then `record()` and `release()`: the full round-robin loop.
#[divan::bench]
fn route_and_record(bencher: Bencher) {
    let model = builtin_routing();
    let (teams, reps) = roster();
    let leads = leads();
    bencher.counter(ItemsCount::new(LEADS)).bench_local(|| {
        let mut state = RoutingState::new();
        for lead in &leads {
            let a = model.route(lead, &teams, &reps, &state, now(), &[]);
            state.record(&a, lead.quality);
            if let Some(rep) = &a.rep {
                state.release(rep);
            }
        }
        divan::black_box(state)
    });
}

/// `SlaClock::start` (3 milestones, one of 10 business days) in Europe/Berlin.
#[divan::bench]
fn sla_start(bencher: Bencher) {
    let model = builtin_routing();
    let policy = model.sla_for("mql", "A").cloned();
    let cal = BusinessCalendar::new(&Calendar::default(), "Europe/Berlin").ok();
    let started = now();
    bencher.bench_local(|| {
        if let (Some(p), Some(c)) = (&policy, &cal) {
            divan::black_box(SlaClock::start(p, c, divan::black_box(started)));
        }
    });
}

/// `SlaClock::start` followed by `evaluate` with 6 touches.
#[divan::bench]
fn sla_start_and_evaluate(bencher: Bencher) {
    let model = builtin_routing();
    let policy = model.sla_for("mql", "A").cloned();
    let cal = BusinessCalendar::new(&Calendar::default(), "Europe/Berlin").ok();
    let started = now();
    let touches: Vec<Timestamp> = (0..6).filter_map(|i| started.checked_add(SignedDuration::from_mins(i * 37)).ok()).collect();
    let at = started.checked_add(SignedDuration::from_hours(30)).unwrap_or(started);
    bencher.bench_local(|| {
        if let (Some(p), Some(c)) = (&policy, &cal) {
            let clock = SlaClock::start(p, c, divan::black_box(started));
            divan::black_box(clock.evaluate(&touches, at));
        }
    });
}
