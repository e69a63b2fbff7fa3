//! A realistic eight-person buying committee at a named target account.

use jiff::Timestamp;
use leadrank_accounts::*;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

const AS_OF: &str = "2026-06-30T12:00:00Z";

#[allow(clippy::too_many_arguments)]
fn person(
    id: &str,
    title: &str,
    department: Option<&str>,
    fit: i32,
    intent: i32,
    quality: bool,
    last: Option<&str>,
    events: u32,
) -> Person {
    Person {
        lead_id: id.into(),
        title: Some(title.into()),
        department: department.map(Into::into),
        fit,
        intent,
        total: fit + intent,
        quality,
        last_engaged: last.map(at),
        engaged_events: events,
    }
}

fn acme() -> AccountInfo {
    AccountInfo {
        account_id: "ACC-0042".into(),
        name: Some("Acme Analytics".into()),
        tier: Some("ABM".into()),
        owner: Some("rep-maria".into()),
        industry: Some("Software".into()),
        employees: Some(850),
        country: Some("US".into()),
    }
}

fn committee() -> Vec<Person> {
    vec![
        // The VP of Sales ran the evaluation: demo request and pricing visits this week.
        person("L-101", "VP of Sales", None, 40, 35, true, Some("2026-06-29T15:20:00Z"), 9),
        // The RevOps director is the champion.
        person("L-102", "Director, Revenue Operations", None, 40, 40, true, Some("2026-06-28T10:00:00Z"), 14),
        // Two sales managers and an SDR use the product in the trial.
        person("L-103", "Sales Manager", None, 30, 20, false, Some("2026-06-20T09:00:00Z"), 5),
        person("L-104", "Sales Development Representative", None, 30, 10, false, Some("2026-06-10T09:00:00Z"), 3),
        // The controller downloaded the ROI guide.
        person("L-105", "Corporate Controller", Some("Finance"), 35, 10, false, Some("2026-06-12T16:00:00Z"), 2),
        // The IT manager visited /security and /integrations.
        person("L-106", "IT Manager", None, 30, 15, false, Some("2026-06-25T11:00:00Z"), 4),
        // The security lead came to a webinar last winter: known, not engaged now.
        person("L-107", "Information Security Lead", None, 25, 0, false, Some("2026-01-15T17:00:00Z"), 1),
        // The CFO has never engaged.
        person("L-108", "Chief Financial Officer", None, 45, 0, false, None, 0),
    ]
}

#[test]
fn eight_person_committee() {
    let s = score_account(&acme(), &committee(), at(AS_OF), &AccountPolicy::default());
    assert!(s.abm);
    assert_eq!(s.people, 8);
    assert_eq!(s.engaged_people, 6);
    assert_eq!(s.quality_people, 2);
    assert_eq!(s.total, s.reasons.iter().map(|r| r.points).sum::<i32>());

    // Fit: the CFO's record is the best documented, though the CFO never engaged.
    assert_eq!(s.fit, 45);
    assert!(s.reasons[0].detail.starts_with("best fit 45 (lead L-108)"));
    // Engagement: 40 + 35/2 + 20/4 + 15/8 + 10/16 + 10/32 = 65.3 -> 65, capped at 60.
    assert_eq!(s.engagement, 60);
    assert!(s.reasons.iter().any(|r| r.rule == "cap" && r.detail == "engagement capped at 60 (65 before the cap)"));
    assert_eq!(s.recency, 20);
    // decision maker, champion, influencer, end user, finance, IT engaged: 30, capped at 20.
    assert_eq!(s.coverage_points, 20);
    assert_eq!(s.total, 45 + 60 + 20 + 20);

    let role = |r: CommitteeRole| s.coverage.iter().find(|c| c.role == r).unwrap();
    assert_eq!(role(CommitteeRole::DecisionMaker).engaged, ["L-101"]);
    assert_eq!(role(CommitteeRole::DecisionMaker).known, ["L-108"]);
    assert_eq!(role(CommitteeRole::Champion).engaged, ["L-102"]);
    assert_eq!(role(CommitteeRole::Influencer).engaged, ["L-103", "L-106"]);
    assert_eq!(role(CommitteeRole::Influencer).known, ["L-107"]);
    assert_eq!(role(CommitteeRole::EndUser).engaged, ["L-104", "L-105"]);
    assert_eq!(role(CommitteeRole::Finance).engaged, ["L-105"]);
    assert_eq!(role(CommitteeRole::Finance).known, ["L-108"]);
    assert_eq!(role(CommitteeRole::Security).known, ["L-107"]);
    assert!(role(CommitteeRole::Security).engaged.is_empty());
    assert_eq!(role(CommitteeRole::It).engaged, ["L-106"]);
    assert_eq!(s.missing, ["no one from security engaged (L-107 known)"]);

    // Order never shows.
    let mut reversed = committee();
    reversed.reverse();
    assert_eq!(score_account(&acme(), &reversed, at(AS_OF), &AccountPolicy::default()), s);
}

#[test]
fn explain_snapshot() {
    let s = score_account(&acme(), &committee(), at(AS_OF), &AccountPolicy::default());
    insta::assert_snapshot!("eight_person_committee", explain_account(&s));
}

#[test]
fn a_month_later_the_account_cools() {
    // As of a month later only the VP and the director are inside a 30-day window.
    let policy = AccountPolicy { engaged_within_days: 30, ..Default::default() };
    let s = score_account(&acme(), &committee(), at("2026-07-27T12:00:00Z"), &policy);
    assert_eq!(s.engaged_people, 2);
    // 40 + 35/2 = 57.5 -> 58 (half away from zero), under the cap
    assert_eq!(s.engagement, 58);
    assert!(!s.reasons.iter().any(|r| r.rule == "cap" && r.detail.starts_with("engagement")));
    assert_eq!(s.recency, 10);
    assert!(s.reasons.iter().any(|r| r.detail == "engaged 27 days ago (L-101, within 30 days)"));
    assert_eq!(s.coverage_points, 10);
    assert_eq!(
        s.missing,
        [
            "no one from finance engaged (L-105, L-108 known)",
            "no one from security engaged (L-107 known)",
            "no one from IT engaged (L-106 known)",
        ]
    );
    let snapshot = explain_account(&s);
    insta::assert_snapshot!("a_month_later", snapshot);
}

#[test]
fn ranked_queue() {
    let policy = AccountPolicy::default();
    let hot = score_account(&acme(), &committee(), at(AS_OF), &policy);
    let cold_info = AccountInfo { account_id: "ACC-0007".into(), name: Some("Globex".into()), ..Default::default() };
    let cold = score_account(&cold_info, &committee()[6..], at(AS_OF), &policy);
    let tie = score_account(&AccountInfo { account_id: "ACC-0001".into(), ..Default::default() }, &committee()[6..], at(AS_OF), &policy);
    let ranked = rank_accounts(vec![cold, hot, tie]);
    let ids: Vec<_> = ranked.iter().map(|s| s.account_id.as_str()).collect();
    assert_eq!(ids, ["ACC-0042", "ACC-0001", "ACC-0007"]);
}

#[test]
fn json_output_shape() {
    let s = score_account(&acme(), &committee(), at(AS_OF), &AccountPolicy::default());
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(v["abm"], true);
    assert_eq!(v["coverage"][6]["role"], "it");
    assert_eq!(v["coverage"][6]["required"], true);
    assert_eq!(v["missing"][0], "no one from security engaged (L-107 known)");
    assert!(v["reasons"].as_array().unwrap().iter().all(|r| r["rule"].is_string() && r["points"].is_i64()));
}
