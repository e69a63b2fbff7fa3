//! Integration tests: routing rules, round-robin, calendars, SLAs and the routing file.

use jiff::Timestamp;
use leadrank_routing::*;
use proptest::prelude::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

const NOW: &str = "2026-03-04T10:00:00Z";

/// The built-in rules plus an industry specialist rule before territory.
const FILE: &str = r#"
[routing]
name = "test"
version = "1"
fallback_queue = "unassigned"

[[rules]]
id = "account_owner"
when = { account_owner = true }
to = "account_owner"

[[rules]]
id = "abm"
when = { account_tier = ["ABM"] }
to = { team = "abm" }

[[rules]]
id = "healthcare"
when = { industry = ["Healthcare"], segment = ["mid-market", "enterprise"] }
to = { team = "healthcare" }

[[rules]]
id = "territory"
to = { team = "{region}-{segment}" }
"#;

fn model() -> RoutingModel {
    RoutingModel::from_toml(FILE, "test.toml").unwrap()
}

fn teams() -> Vec<Team> {
    let mut out = vec![Team::new("abm"), Team::new("healthcare")];
    for region in ["amer", "emea", "apac"] {
        for segment in ["smb", "mid-market", "enterprise"] {
            // apac-enterprise deliberately missing.
            if region == "apac" && segment == "enterprise" {
                continue;
            }
            out.push(Team::new(format!("{region}-{segment}")));
        }
    }
    out
}

fn reps() -> Vec<Rep> {
    let mut out = Vec::new();
    for t in teams() {
        for i in 1..=2 {
            out.push(Rep::new(format!("{}-{i}", t.id), t.id.clone(), 10));
        }
    }
    out.push(Rep::new("owner", "emea-enterprise", 10));
    out
}

fn lead(country: &str, employees: i64) -> RouteInput {
    RouteInput { lead_id: "L1".into(), country: Some(country.into()), employees: Some(employees), quality: true, ..Default::default() }
}

fn route(input: &RouteInput, reps: &[Rep], state: &RoutingState, exclude: &[&str]) -> Assignment {
    model().route(input, &teams(), reps, state, ts(NOW), exclude)
}

fn reasons(a: &Assignment) -> Vec<(String, String, String)> {
    a.skipped.iter().map(|s| (s.rule.clone(), s.rep_or_team.clone(), s.reason.to_string())).collect()
}

// ---------------------------------------------------------------------------------------
// Routing rules

#[test]
fn account_owner_wins() {
    let input = RouteInput { account_id: Some("acc1".into()), account_owner: Some("owner".into()), ..lead("US", 50) };
    let a = route(&input, &reps(), &RoutingState::new(), &[]);
    assert_eq!(a.rule, "account_owner");
    assert_eq!(a.rep.as_deref(), Some("owner"));
    assert_eq!(a.team.as_deref(), Some("emea-enterprise"));
    assert_eq!(a.detail, "account_owner: account acc1 owned by owner -> rep owner (0 of 10 open)");
    assert!(a.skipped.is_empty());
}

#[test]
fn owner_away_falls_through() {
    let mut reps = reps();
    if let Some(r) = reps.iter_mut().find(|r| r.id == "owner") {
        r.away = true;
    }
    let input = RouteInput { account_owner: Some("owner".into()), ..lead("US", 50) };
    let a = route(&input, &reps, &RoutingState::new(), &[]);
    assert_eq!(a.rule, "territory");
    assert_eq!(a.team.as_deref(), Some("amer-smb"));
    assert_eq!(reasons(&a), vec![("account_owner".into(), "owner".into(), "away".into())]);
}

#[test]
fn unknown_owner_falls_through() {
    let input = RouteInput { account_owner: Some("ghost".into()), ..lead("US", 50) };
    let a = route(&input, &reps(), &RoutingState::new(), &[]);
    assert_eq!(a.rule, "territory");
    assert_eq!(reasons(&a), vec![("account_owner".into(), "ghost".into(), "no such rep".into())]);
}

#[test]
fn abm_tier_goes_to_abm_team() {
    let input = RouteInput { account_tier: Some("abm".into()), ..lead("DE", 50_000) };
    let a = route(&input, &reps(), &RoutingState::new(), &[]);
    assert_eq!(a.rule, "abm");
    assert_eq!(a.team.as_deref(), Some("abm"));
    assert_eq!(a.rep.as_deref(), Some("abm-1"));
    assert_eq!(a.detail, "abm -> team abm, round-robin picked rep abm-1 (0 of 10 open)");
}

#[test]
fn segment_edges() {
    for (employees, team) in
        [(0, "emea-smb"), (199, "emea-smb"), (200, "emea-mid-market"), (2000, "emea-mid-market"), (2001, "emea-enterprise")]
    {
        let a = route(&lead("de", employees), &reps(), &RoutingState::new(), &[]);
        assert_eq!(a.team.as_deref(), Some(team), "{employees} employees");
        assert_eq!(a.rule, "territory");
    }
    let a = route(&lead("FR", 5000), &reps(), &RoutingState::new(), &[]);
    assert_eq!(a.detail, "territory: EMEA enterprise -> team emea-enterprise, round-robin picked rep emea-enterprise-1 (0 of 10 open)");
}

#[test]
fn regions() {
    let a = route(&lead("US", 300), &reps(), &RoutingState::new(), &[]);
    assert_eq!(a.team.as_deref(), Some("amer-mid-market"));
    let a = route(&lead("BR", 10), &reps(), &RoutingState::new(), &[]);
    assert_eq!(a.team.as_deref(), Some("amer-smb"));
    let a = route(&lead("JP", 10), &reps(), &RoutingState::new(), &[]);
    assert_eq!(a.team.as_deref(), Some("apac-smb"));
    let a = route(&lead("gb", 10), &reps(), &RoutingState::new(), &[]);
    assert_eq!(a.team.as_deref(), Some("emea-smb"));
}

#[test]
fn unknown_country_goes_to_fallback_queue() {
    let a = route(&lead("ZZ", 10), &reps(), &RoutingState::new(), &[]);
    assert_eq!(a.rule, "fallback");
    assert_eq!(a.queue.as_deref(), Some("unassigned"));
    assert_eq!(a.rep, None);
    assert_eq!(reasons(&a), vec![("territory".into(), "{region}-{segment}".into(), "unknown region".into())]);
    let no_country = RouteInput { country: None, ..lead("x", 10) };
    assert_eq!(route(&no_country, &reps(), &RoutingState::new(), &[]).queue.as_deref(), Some("unassigned"));
    let no_size = RouteInput { employees: None, ..lead("DE", 10) };
    let a = route(&no_size, &reps(), &RoutingState::new(), &[]);
    assert_eq!(a.rule, "fallback");
    assert_eq!(a.skipped[0].reason, SkipReason::UnknownSegment);
}

#[test]
fn industry_specialist() {
    let input = RouteInput { industry: Some("HEALTHCARE".into()), ..lead("US", 500) };
    let a = route(&input, &reps(), &RoutingState::new(), &[]);
    assert_eq!(a.rule, "healthcare");
    assert_eq!(a.team.as_deref(), Some("healthcare"));
    // SMB healthcare is not for the specialists.
    let input = RouteInput { industry: Some("healthcare".into()), ..lead("US", 50) };
    assert_eq!(route(&input, &reps(), &RoutingState::new(), &[]).rule, "territory");
}

#[test]
fn template_to_missing_team_falls_through() {
    let a = route(&lead("JP", 5000), &reps(), &RoutingState::new(), &[]);
    assert_eq!(a.rule, "fallback");
    assert_eq!(a.queue.as_deref(), Some("unassigned"));
    assert_eq!(reasons(&a), vec![("territory".into(), "apac-enterprise".into(), "no such team".into())]);
}

#[test]
fn missing_team_falls_through_to_next_rule() {
    let m = RoutingModel::from_toml(
        r#"
[routing]
name = "t"
version = "1"
fallback_queue = "unassigned"
[[rules]]
id = "by_country"
to = { team = "{country}-team" }
[[rules]]
id = "catch_all"
to = { queue = "triage" }
"#,
        "t",
    )
    .unwrap();
    let a = m.route(&lead("DE", 10), &teams(), &reps(), &RoutingState::new(), ts(NOW), &[]);
    assert_eq!(a.rule, "catch_all");
    assert_eq!(a.queue.as_deref(), Some("triage"));
    assert_eq!(reasons(&a), vec![("by_country".into(), "de-team".into(), "no such team".into())]);
}

#[test]
fn capacity_and_away_are_skipped() {
    let mut reps = reps();
    if let Some(r) = reps.iter_mut().find(|r| r.id == "emea-smb-1") {
        r.away_until = Some(ts("2026-03-05T00:00:00Z"));
    }
    let mut state = RoutingState::new();
    state.set_open("emea-smb-2", 10);
    let a = route(&lead("DE", 10), &reps, &state, &[]);
    assert_eq!(a.rule, "fallback");
    assert_eq!(
        reasons(&a),
        vec![
            ("territory".into(), "emea-smb-1".into(), "away".into()),
            ("territory".into(), "emea-smb-2".into(), "at capacity".into()),
            ("territory".into(), "emea-smb".into(), "no available rep".into()),
        ]
    );
    // After the absence ends, the rep is back.
    let a = model().route(&lead("DE", 10), &teams(), &reps, &state, ts("2026-03-05T00:00:00Z"), &[]);
    assert_eq!(a.rep.as_deref(), Some("emea-smb-1"));
    // Releasing a lead frees capacity.
    state.release("emea-smb-2");
    let a = route(&lead("DE", 10), &reps, &state, &[]);
    assert_eq!(a.rep.as_deref(), Some("emea-smb-2"));
    assert_eq!(a.detail, "territory: EMEA smb -> team emea-smb, round-robin picked rep emea-smb-2 (9 of 10 open)");
}

#[test]
fn exclusion_reroutes_to_another_rep() {
    let mut state = RoutingState::new();
    let first = route(&lead("DE", 10), &reps(), &state, &[]);
    assert_eq!(first.rep.as_deref(), Some("emea-smb-1"));
    state.record(&first, true);
    // Breach: re-route excluding the rep who had it; they keep it open until released.
    let again = route(&lead("DE", 10), &reps(), &state, &["emea-smb-1"]);
    assert_eq!(again.rep.as_deref(), Some("emea-smb-2"));
    assert_eq!(reasons(&again), vec![("territory".into(), "emea-smb-1".into(), "excluded".into())]);
    // Excluding the owner sends an owned lead to territory.
    let input = RouteInput { account_owner: Some("owner".into()), ..lead("DE", 10) };
    let a = route(&input, &reps(), &RoutingState::new(), &["owner"]);
    assert_eq!(a.rule, "territory");
    assert_eq!(a.skipped[0].reason, SkipReason::Excluded);
}

#[test]
fn rep_and_queue_targets() {
    let m = RoutingModel::from_toml(
        r#"
[routing]
name = "t"
version = "1"
fallback_queue = "unassigned"
[[rules]]
id = "vip"
when = { country = ["ch"], grade = ["a"] }
to = { rep = "emea-smb-2" }
[[rules]]
id = "partners"
when = { stage = ["nurture"], quality = false }
to = { queue = "partners" }
"#,
        "t",
    )
    .unwrap();
    let vip = RouteInput { grade: Some("A".into()), ..lead("CH", 10) };
    let a = m.route(&vip, &teams(), &reps(), &RoutingState::new(), ts(NOW), &[]);
    assert_eq!((a.rule.as_str(), a.rep.as_deref(), a.team.as_deref()), ("vip", Some("emea-smb-2"), Some("emea-smb")));
    let a = m.route(&vip, &teams(), &reps(), &RoutingState::new(), ts(NOW), &["emea-smb-2"]);
    assert_eq!(a.rule, "fallback");
    let nurture = RouteInput { stage: Some("Nurture".into()), quality: false, ..lead("CH", 10) };
    let a = m.route(&nurture, &teams(), &reps(), &RoutingState::new(), ts(NOW), &[]);
    assert_eq!(a.queue.as_deref(), Some("partners"));
    let quality = RouteInput { quality: true, ..nurture };
    assert_eq!(m.route(&quality, &teams(), &reps(), &RoutingState::new(), ts(NOW), &[]).rule, "fallback");
}

#[test]
fn assignment_serialises() {
    let a = route(&lead("ZZ", 10), &reps(), &RoutingState::new(), &[]);
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["skipped"][0]["reason"], "unknown region");
    let back: Assignment = serde_json::from_value(json).unwrap();
    assert_eq!(back, a);
}

// ---------------------------------------------------------------------------------------
// Weighted round-robin

fn weighted_counts(weights: &[u32], leads: usize) -> Vec<u64> {
    let m = model();
    let teams = vec![Team::new("emea-smb")];
    let reps: Vec<Rep> =
        weights.iter().enumerate().map(|(i, w)| Rep { weight: Some(*w), ..Rep::new(format!("r{i:02}"), "emea-smb", 1_000_000) }).collect();
    let mut state = RoutingState::new();
    let input = lead("DE", 10);
    for _ in 0..leads {
        let a = m.route(&input, &teams, &reps, &state, ts(NOW), &[]);
        state.record(&a, false);
    }
    reps.iter().map(|r| state.counters(&r.id).assigned).collect()
}

#[test]
fn weighted_round_robin_proportions() {
    // Weights 5, 3, 2: 1000 leads split exactly 500/300/200.
    assert_eq!(weighted_counts(&[5, 3, 2], 1000), vec![500, 300, 200]);
    // Default weight = capacity.
    let m = model();
    let teams = vec![Team::new("emea-smb")];
    let reps = vec![Rep::new("big", "emea-smb", 30), Rep::new("small", "emea-smb", 10)];
    let mut state = RoutingState::new();
    for _ in 0..40 {
        let a = m.route(&lead("DE", 10), &teams, &reps, &state, ts(NOW), &[]);
        state.record(&a, false);
        if let Some(r) = &a.rep {
            state.release(r);
        }
    }
    assert_eq!((state.counters("big").assigned, state.counters("small").assigned), (30, 10));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// After n leads, each rep has at most n*w/W + 1 and at least n*w/W - (k-1) leads, so
    /// each share converges to weight / sum(weights).
    #[test]
    fn round_robin_converges(weights in prop::collection::vec(1u32..20, 1..8), n in 1usize..600) {
        let counts = weighted_counts(&weights, n);
        let total: u32 = weights.iter().sum();
        let k = weights.len() as f64;
        prop_assert_eq!(counts.iter().sum::<u64>(), n as u64);
        for (c, w) in counts.iter().zip(&weights) {
            let ideal = n as f64 * f64::from(*w) / f64::from(total);
            prop_assert!((*c as f64) <= ideal + 1.0 + 1e-9, "count {} ideal {}", c, ideal);
            prop_assert!((*c as f64) >= ideal - (k - 1.0) - 1e-9, "count {} ideal {}", c, ideal);
        }
    }

    /// Routing is deterministic and always lands somewhere.
    #[test]
    fn route_is_total_and_deterministic(country in "[A-Z]{2}", employees in -5i64..10_000, away in any::<bool>()) {
        let mut reps = reps();
        if away {
            for r in reps.iter_mut() { r.away = true; }
        }
        let input = lead(&country, employees);
        let a = route(&input, &reps, &RoutingState::new(), &[]);
        let b = route(&input, &reps, &RoutingState::new(), &[]);
        prop_assert_eq!(&a, &b);
        prop_assert!(a.rep.is_some() != a.queue.is_some());
    }
}

// ---------------------------------------------------------------------------------------
// Calendars

fn team_cal(tz: &str) -> BusinessCalendar {
    BusinessCalendar::new(&Calendar::default(), tz).unwrap()
}

#[test]
fn lead_at_1658_is_due_0903_next_business_day() {
    // Wednesday 2026-03-04, 16:58 in Berlin (CET, UTC+1).
    let c = team_cal("Europe/Berlin");
    assert_eq!(c.add_business_minutes(ts("2026-03-04T15:58:00Z"), 5), ts("2026-03-05T08:03:00Z"));
    assert_eq!(c.business_minutes_between(ts("2026-03-04T15:58:00Z"), ts("2026-03-05T08:03:00Z")), 5);
}

#[test]
fn friday_evening_to_monday() {
    let c = team_cal("Europe/Berlin");
    // Friday 2026-03-06 18:00 CET -> Monday 09:05 CET.
    assert_eq!(c.add_business_minutes(ts("2026-03-06T17:00:00Z"), 5), ts("2026-03-09T08:05:00Z"));
}

#[test]
fn weekend_start() {
    let c = team_cal("UTC");
    assert!(!c.is_open(ts("2026-03-07T12:00:00Z")));
    assert_eq!(c.add_business_minutes(ts("2026-03-07T12:00:00Z"), 5), ts("2026-03-09T09:05:00Z"));
    assert_eq!(c.business_minutes_between(ts("2026-03-07T00:00:00Z"), ts("2026-03-09T00:00:00Z")), 0);
}

#[test]
fn holiday_is_skipped() {
    let cal = Calendar { holidays: vec!["2026-12-25".parse().unwrap()], ..Calendar::default() };
    let c = BusinessCalendar::new(&cal, "UTC").unwrap();
    // Thursday 24 Dec 16:58 -> Friday 25 is a holiday -> Monday 28 Dec 09:03.
    assert_eq!(c.add_business_minutes(ts("2026-12-24T16:58:00Z"), 5), ts("2026-12-28T09:03:00Z"));
    assert!(!c.is_open(ts("2026-12-25T10:00:00Z")));
}

#[test]
fn dst_spring_forward_new_york() {
    let c = team_cal("America/New_York");
    // Friday 2026-03-06 16:58 EST; DST starts Sunday 8 March; Monday 09:03 EDT = 13:03Z.
    assert_eq!(c.add_business_minutes(ts("2026-03-06T21:58:00Z"), 5), ts("2026-03-09T13:03:00Z"));
    assert!(c.is_open(ts("2026-03-09T13:00:00Z")));
    assert!(!c.is_open(ts("2026-03-09T12:59:59Z")));
    // Hours spanning the gap: Sunday 00:00-06:00 is 5 real hours that day.
    let night = Calendar { days: vec![Weekday::Sun], start: "00:00".into(), end: "06:00".into(), holidays: vec![] };
    let n = BusinessCalendar::new(&night, "America/New_York").unwrap();
    assert_eq!(n.business_minutes_between(ts("2026-03-07T00:00:00Z"), ts("2026-03-10T00:00:00Z")), 300);
    // 00:00 EST + 120 business minutes = 03:00 EDT (02:00-03:00 does not exist).
    assert_eq!(n.add_business_minutes(ts("2026-03-08T05:00:00Z"), 120), ts("2026-03-08T07:00:00Z"));
}

#[test]
fn dst_fall_back_new_york() {
    let c = team_cal("America/New_York");
    // Friday 2026-10-30 16:58 EDT; DST ends Sunday 1 November; Monday 09:03 EST = 14:03Z.
    assert_eq!(c.add_business_minutes(ts("2026-10-30T20:58:00Z"), 5), ts("2026-11-02T14:03:00Z"));
    let night = Calendar { days: vec![Weekday::Sun], start: "00:00".into(), end: "06:00".into(), holidays: vec![] };
    let n = BusinessCalendar::new(&night, "America/New_York").unwrap();
    assert_eq!(n.business_minutes_between(ts("2026-10-31T00:00:00Z"), ts("2026-11-03T00:00:00Z")), 420);
}

#[test]
fn dst_europe_berlin() {
    let c = team_cal("Europe/Berlin");
    // Spring forward on Sunday 29 March 2026: Friday 16:58 CET -> Monday 09:03 CEST = 07:03Z.
    assert_eq!(c.add_business_minutes(ts("2026-03-27T15:58:00Z"), 5), ts("2026-03-30T07:03:00Z"));
    // Fall back on Sunday 25 October 2026: Friday 16:58 CEST -> Monday 09:03 CET = 08:03Z.
    assert_eq!(c.add_business_minutes(ts("2026-10-23T14:58:00Z"), 5), ts("2026-10-26T08:03:00Z"));
    let night = Calendar { days: vec![Weekday::Sun], start: "00:00".into(), end: "06:00".into(), holidays: vec![] };
    let n = BusinessCalendar::new(&night, "Europe/Berlin").unwrap();
    assert_eq!(n.business_minutes_between(ts("2026-03-28T00:00:00Z"), ts("2026-03-30T00:00:00Z")), 300);
    assert_eq!(n.business_minutes_between(ts("2026-10-24T00:00:00Z"), ts("2026-10-26T00:00:00Z")), 420);
    // Business days stay nominal: 10 days of 8 hours.
    assert_eq!(c.business_minutes_between(ts("2026-03-23T00:00:00Z"), ts("2026-04-04T00:00:00Z")), 10 * 480);
}

#[test]
fn two_teams_in_different_time_zones() {
    let berlin = team_cal("Europe/Berlin");
    let new_york = team_cal("America/New_York");
    // 08:30Z on Wednesday 4 March: 09:30 in Berlin (open), 03:30 in New York (closed).
    let t = ts("2026-03-04T08:30:00Z");
    assert!(berlin.is_open(t));
    assert!(!new_york.is_open(t));
    assert_eq!(berlin.add_business_minutes(t, 5), ts("2026-03-04T08:35:00Z"));
    assert_eq!(new_york.add_business_minutes(t, 5), ts("2026-03-04T14:05:00Z"));
    // 15:00Z: both open (16:00 Berlin, 10:00 New York).
    let t = ts("2026-03-04T15:00:00Z");
    assert!(berlin.is_open(t) && new_york.is_open(t));
    assert_eq!(berlin.add_business_minutes(t, 120), ts("2026-03-05T09:00:00Z"));
    assert_eq!(new_york.add_business_minutes(t, 120), ts("2026-03-04T17:00:00Z"));
    // Team::validate and for_team agree.
    let team = Team { timezone: "America/New_York".into(), ..Team::new("amer-smb") };
    assert!(team.validate().is_ok());
    assert_eq!(BusinessCalendar::for_team(&team).unwrap().add_business_minutes(t, 120), ts("2026-03-04T17:00:00Z"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Adding n business minutes then measuring gives n back; the result is open or a close.
    #[test]
    fn add_then_measure(start in 1_767_225_600i64..1_830_297_600, minutes in 0i64..20_000, tz in prop::sample::select(vec!["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"])) {
        let c = team_cal(tz);
        let start = Timestamp::from_second(start).unwrap();
        let end = c.add_business_minutes(start, minutes);
        prop_assert!(end >= start);
        prop_assert_eq!(c.business_seconds_between(start, end), minutes * 60);
        let back = c.add_business_minutes(end, -minutes);
        prop_assert!(back >= start);
        prop_assert_eq!(c.business_seconds_between(back, end), minutes * 60);
    }
}

// ---------------------------------------------------------------------------------------
// SLAs

fn builtin_clock(start: &str) -> SlaClock {
    let m = builtin_routing();
    let policy = m.sla_for("MQL", "A").unwrap();
    SlaClock::start(policy, &team_cal("UTC"), ts(start))
}

#[test]
fn builtin_sla_deadlines() {
    let clock = builtin_clock("2026-03-04T10:00:00Z");
    let due: Vec<(&str, u32, Timestamp, bool)> = clock.milestones.iter().map(|d| (d.id.as_str(), d.touches, d.due, d.reroute)).collect();
    assert_eq!(
        due,
        vec![
            ("first_touch", 1, ts("2026-03-04T10:05:00Z"), true),
            ("two_touches", 2, ts("2026-03-04T11:00:00Z"), false),
            ("cadence", 12, ts("2026-03-18T10:00:00Z"), false),
        ]
    );
    let m = builtin_routing();
    assert!(m.sla_for("pql", "").is_some());
    assert!(m.sla_for("recycled", "D").is_some());
    assert!(m.sla_for("sal", "A").is_none());
}

#[test]
fn sla_met_exactly_at_due() {
    let clock = builtin_clock("2026-03-04T10:00:00Z");
    let s = clock.evaluate(&[ts("2026-03-04T10:05:00Z")], ts("2026-03-04T10:05:00Z"));
    assert_eq!(s.met, vec!["first_touch"]);
    assert!(s.breached.is_empty());
    assert_eq!(s.next_due, Some(ts("2026-03-04T11:00:00Z")));
}

#[test]
fn sla_breached_one_second_late() {
    let clock = builtin_clock("2026-03-04T10:00:00Z");
    let late = ts("2026-03-04T10:05:01Z");
    let s = clock.evaluate(&[late], late);
    assert!(s.met.is_empty());
    assert_eq!(
        s.breached,
        vec![Breach { milestone: "first_touch".into(), due: ts("2026-03-04T10:05:00Z"), touches_by_due: 0, required: 1, reroute: true }]
    );
    assert!(s.reroute);
    // Before the deadline nothing is breached and the timer waits for it.
    let s = clock.evaluate(&[], ts("2026-03-04T10:04:59Z"));
    assert!(s.breached.is_empty() && s.met.is_empty());
    assert_eq!(s.next_due, Some(ts("2026-03-04T10:05:00Z")));
}

#[test]
fn sla_touches_before_start_are_ignored() {
    let clock = builtin_clock("2026-03-04T10:00:00Z");
    let touches = [ts("2026-03-04T09:59:59Z"), ts("2026-03-04T09:00:00Z")];
    let s = clock.evaluate(&touches, ts("2026-03-04T11:00:00Z"));
    assert!(s.met.is_empty());
    assert_eq!(s.breached.iter().map(|b| b.milestone.as_str()).collect::<Vec<_>>(), vec!["first_touch", "two_touches"]);
    assert_eq!(s.next_due, Some(ts("2026-03-18T10:00:00Z")));
}

#[test]
fn sla_full_cadence() {
    let clock = builtin_clock("2026-03-04T10:00:00Z");
    // One touch a business day for 12 days is too slow; two per day is fine.
    let mut touches = Vec::new();
    let cal = team_cal("UTC");
    for i in 0..12 {
        touches.push(cal.add_business_minutes(ts("2026-03-04T10:01:00Z"), i * 240));
    }
    let s = clock.evaluate(&touches, ts("2026-04-01T00:00:00Z"));
    assert_eq!(s.met, vec!["first_touch", "cadence"]);
    assert_eq!(s.breached.len(), 1);
    assert_eq!(s.next_due, None);
    assert!(!s.reroute);
}

#[test]
fn sla_lead_at_1658_local() {
    let m = builtin_routing();
    let policy = m.sla_for("mql", "B").unwrap();
    let clock = SlaClock::start(policy, &team_cal("Europe/Berlin"), ts("2026-03-04T15:58:00Z"));
    assert_eq!(clock.milestones[0].due, ts("2026-03-05T08:03:00Z"));
    // Two touches in the first (business) hour: 2 minutes today, 58 tomorrow.
    assert_eq!(clock.milestones[1].due, ts("2026-03-05T08:58:00Z"));
}

// ---------------------------------------------------------------------------------------
// The routing file

fn errors(src: &str) -> Vec<(usize, String, String)> {
    match RoutingModel::from_toml(src, "bad.toml") {
        Ok(_) => panic!("expected errors"),
        Err(e) => e.issues.into_iter().map(|i| (i.line, i.key, i.message)).collect(),
    }
}

const HEAD: &str = "[routing]\nname = \"t\"\nversion = \"1\"\nfallback_queue = \"q\"\n";

#[test]
fn builtin_file_compiles() {
    let m = RoutingModel::from_toml(BUILTIN_ROUTING, "models/routing.toml").unwrap();
    assert_eq!(m.name, "default");
    assert_eq!(m.fallback_queue, "unassigned");
    assert_eq!(m.segments, Segments { smb_below: 200, enterprise_above: 2000 });
    let ids: Vec<&str> = m.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, vec!["account_owner", "abm", "territory"]);
    assert_eq!(m.slas.len(), 1);
    assert_eq!(m.slas[0].stages, vec!["mql", "pql", "recycled"]);
}

#[test]
fn unknown_key_is_located() {
    let src = format!("{HEAD}\n[[rules]]\nid = \"a\"\nto = {{ queue = \"x\" }}\ncolour = \"red\"\n");
    let e = errors(&src);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].0, 9);
    assert!(e[0].2.contains("colour"), "{:?}", e);
    let src = format!("{HEAD}[[rules]]\nid = \"a\"\nwhen = {{ regon = [\"EMEA\"] }}\nto = {{ queue = \"x\" }}\n");
    let e = errors(&src);
    assert_eq!(e[0].0, 7);
    assert!(e[0].2.contains("regon"));
}

#[test]
fn bad_values_are_located_with_keys() {
    let src = format!(
        "{HEAD}\n[[rules]]\nid = \"a\"\nwhen = {{ region = [\"MARS\"] }}\nto = {{ team = \"x\" }}\n\n[[rules]]\nid = \"a\"\nto = {{ team = \"{{regio}}\" }}\n\n[[rules]]\nid = \"c\"\nwhen = {{ country = [\"XX\"], segment = [\"huge\"], stage = [\"mqll\"] }}\nto = {{ squad = \"y\" }}\n"
    );
    let e = errors(&src);
    let got: Vec<(usize, &str)> = e.iter().map(|(l, k, _)| (*l, k.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (8, "rules[0] (a).when.region"),
            (11, "rules[1] (a)"),
            (13, "rules[1] (a).to.team"),
            (17, "rules[2] (c).when.segment"),
            (17, "rules[2] (c).when.country"),
            (17, "rules[2] (c).when.stage"),
            (18, "rules[2] (c).to.squad"),
        ]
    );
    assert!(e[1].2.contains("duplicate rule id"));
    assert!(e[2].2.contains("unknown placeholder {regio}"));
    let text = RoutingModel::from_toml(&src, "bad.toml").unwrap_err().to_string();
    assert!(text.starts_with("bad.toml:8:"), "{text}");
}

#[test]
fn sla_errors() {
    let src = format!(
        "{HEAD}\n[[sla]]\nid = \"s\"\nstages = [\"mql\"]\nmilestones = [\n  {{ id = \"a\", touches = 0, within_minutes = 5 }},\n  {{ id = \"a\", touches = 1 }},\n  {{ id = \"b\", touches = 1, within_minutes = 5, within_business_days = 1 }},\n]\n"
    );
    let e = errors(&src);
    let got: Vec<(usize, &str)> = e.iter().map(|(l, k, _)| (*l, k.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (10, "sla[0] (s).milestones[0] (a).touches"),
            (11, "sla[0] (s).milestones[1] (a)"),
            (11, "sla[0] (s).milestones[1] (a)"),
            (12, "sla[0] (s).milestones[2] (b)"),
        ]
    );
}

#[test]
fn syntax_and_missing_sections() {
    let e = errors("[routing]\nname = \"t\"\nversion = \n");
    assert_eq!(e[0].0, 3);
    let e = errors("[routing]\nname = \"t\"\nversion = \"1\"\n");
    assert!(e[0].2.contains("fallback_queue"));
    let e = errors(&format!("{HEAD}[segments]\nsmb_below = 5000\nenterprise_above = 2000\n"));
    assert_eq!((e[0].0, e[0].1.as_str()), (5, "segments"));
    let e = errors(&format!("{HEAD}[[rules]]\nid = \"a\"\nwhen = {{ industry = [] }}\nto = \"owner\"\n"));
    assert_eq!(e.len(), 2);
    assert!(e[0].2.contains("empty"));
    assert!(e[1].2.contains("unknown target"));
}

// ---------------------------------------------------------------------------------------
// Reports

#[test]
fn fairness_from_round_robin() {
    let counts = weighted_counts(&[2, 1, 1], 400);
    let rows: Vec<RepLoad> = counts
        .iter()
        .zip([2, 1, 1])
        .enumerate()
        .map(|(i, (c, w))| RepLoad { rep: format!("r{i}"), team: "t".into(), weight: w, leads: *c, quality_leads: c / 2 })
        .collect();
    let r = fairness(&rows);
    assert_eq!(r.reps[0].lead_share, 0.5);
    assert_eq!(r.reps[0].lead_ratio, Some(1.0));
    assert_eq!(r.teams[0].max_lead_deviation, 0.0);
    assert_eq!(r.teams[0].leads, 400);
}

#[test]
fn speed_to_lead_report() {
    let t0 = ts("2026-03-04T10:00:00Z");
    let pairs = (0..10).map(|i| {
        let touch =
            if i == 9 { None } else { Some(ts("2026-03-04T10:00:00Z").checked_add(jiff::SignedDuration::from_secs(i * 60)).unwrap()) };
        (t0, touch)
    });
    let s = speed_to_lead(pairs);
    assert_eq!((s.leads, s.touched, s.untouched), (10, 9, 1));
    assert_eq!(s.median_seconds, Some(240));
    assert_eq!(s.p90_seconds, Some(480));
    assert_eq!(s.within_5_minutes_share, Some(0.6));
}

#[test]
fn owner_target_without_condition_records_missing_owner() {
    let m = RoutingModel::from_toml(&format!("{HEAD}[[rules]]\nid = \"own\"\nto = \"account_owner\"\n"), "t").unwrap();
    let a = m.route(&lead("DE", 10), &teams(), &reps(), &RoutingState::new(), ts(NOW), &[]);
    assert_eq!(a.queue.as_deref(), Some("q"));
    assert_eq!(reasons(&a), vec![("own".into(), "(none)".into(), "no account owner".into())]);
}
