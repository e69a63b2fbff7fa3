//! Properties of the account score.

use jiff::Timestamp;
use leadrank_accounts::*;
use proptest::prelude::*;

const AS_OF: i64 = 1_782_820_800; // 2026-06-30T12:00:00Z
const DAY: i64 = 86_400;

const TITLES: &[&str] = &[
    "CEO",
    "CFO",
    "CISO",
    "CTO",
    "VP of Sales",
    "Head of IT",
    "Director of Finance",
    "IT Manager",
    "Security Analyst",
    "Sales Manager",
    "Account Executive",
    "Controller",
    "Marketing Intern",
    "Software Engineer",
    "n/a",
    "Leiter Einkauf",
    "Directeur Informatique",
];

fn as_of() -> Timestamp {
    Timestamp::from_second(AS_OF).unwrap()
}

prop_compose! {
    fn arb_person()(
        id in 0u32..40,
        title in proptest::option::of(proptest::sample::select(TITLES)),
        fit in -5i32..60,
        intent in -5i32..50,
        quality in any::<bool>(),
        // From 200 days before as-of to 10 days after.
        last in proptest::option::of(-10 * DAY..200 * DAY),
        events in 0u32..20,
    ) -> Person {
        Person {
            lead_id: format!("L{id:02}"),
            title: title.map(str::to_owned),
            department: None,
            fit,
            intent,
            total: fit + intent,
            quality,
            last_engaged: last.map(|ago| Timestamp::from_second(AS_OF - ago).unwrap()),
            engaged_events: events,
        }
    }
}

fn arb_people() -> impl Strategy<Value = Vec<Person>> {
    proptest::collection::vec(arb_person(), 0..12)
}

fn arb_policy() -> impl Strategy<Value = AccountPolicy> {
    (0i64..120, 0.0f64..=1.0, 0i32..100, 0i32..10, 0i32..40).prop_map(|(window, d, cap, per, ccap)| AccountPolicy {
        engaged_within_days: window,
        diminishing: d,
        engagement_cap: cap,
        coverage_points_per_role: per,
        coverage_cap: ccap,
        ..Default::default()
    })
}

fn info() -> AccountInfo {
    AccountInfo { account_id: "A".into(), tier: Some("abm".into()), ..Default::default() }
}

proptest! {
    #[test]
    fn total_is_the_sum_of_reasons(people in arb_people(), policy in arb_policy()) {
        let s = score_account(&info(), &people, as_of(), &policy);
        prop_assert_eq!(s.total, s.reasons.iter().map(|r| r.points).sum::<i32>());
        prop_assert_eq!(s.total, s.fit + s.engagement + s.recency + s.coverage_points);
        prop_assert!(s.engagement <= policy.engagement_cap && s.coverage_points <= policy.coverage_cap);
        prop_assert!(s.engaged_people <= s.people);
        prop_assert_eq!(s.coverage.len(), 7);
    }

    #[test]
    fn adding_a_person_never_lowers_engagement(
        people in arb_people(),
        extra in arb_person(),
        policy in arb_policy(),
    ) {
        let before = score_account(&info(), &people, as_of(), &policy);
        let mut more = people.clone();
        more.push(extra);
        let after = score_account(&info(), &more, as_of(), &policy);
        prop_assert!(after.engagement >= before.engagement, "{} < {}", after.engagement, before.engagement);
        prop_assert!(after.fit >= before.fit);
        prop_assert!(after.coverage_points >= before.coverage_points);
        prop_assert!(after.recency >= before.recency);
    }

    #[test]
    fn person_order_does_not_matter(
        people in arb_people(),
        seed in any::<u64>(),
        policy in arb_policy(),
    ) {
        let s = score_account(&info(), &people, as_of(), &policy);
        let mut shuffled = people.clone();
        // A deterministic shuffle from the seed.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let j = (x % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        prop_assert_eq!(score_account(&info(), &shuffled, as_of(), &policy), s.clone());
        let mut reversed = people;
        reversed.reverse();
        prop_assert_eq!(score_account(&info(), &reversed, as_of(), &policy), s);
    }

    #[test]
    fn engaged_outside_the_window_is_ignored(
        people in arb_people(),
        extra in arb_person(),
        beyond in 1i64..(400 * DAY),
        future in any::<bool>(),
        policy in arb_policy(),
    ) {
        let before = score_account(&info(), &people, as_of(), &policy);
        let mut outsider = extra;
        outsider.lead_id = "Z-outsider".into();
        outsider.intent = 40;
        outsider.last_engaged = Some(if future {
            Timestamp::from_second(AS_OF + beyond).unwrap()
        } else {
            Timestamp::from_second(AS_OF - policy.engaged_within_days * DAY - beyond).unwrap()
        });
        let mut more = people;
        more.push(outsider);
        let after = score_account(&info(), &more, as_of(), &policy);
        prop_assert_eq!(after.engagement, before.engagement);
        prop_assert_eq!(after.recency, before.recency);
        prop_assert_eq!(after.engaged_people, before.engaged_people);
        prop_assert_eq!(after.coverage_points, before.coverage_points);
        for (a, b) in after.coverage.iter().zip(&before.coverage) {
            prop_assert_eq!(&a.engaged, &b.engaged);
        }
        prop_assert_eq!(after.people, before.people + 1);
    }

    #[test]
    fn roles_of_never_panics(title in "\\PC{0,40}", dept in proptest::option::of("\\PC{0,20}")) {
        let roles = roles_of(Some(&title), dept.as_deref());
        prop_assert!(roles.iter().filter(|r| !r.is_function()).count() <= 1);
    }
}
