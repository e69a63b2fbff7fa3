//! `calibrate` on a small history built in memory: what the report holds, its JSON and table,
//! the model file it proposes, and its errors.

use jiff::Timestamp;
use leadrank_core::engine::{Dataset, DatasetBuilder};
use leadrank_core::model::builtin::default_model;
use leadrank_core::records::Event;
use leadrank_core::{CompiledModel, Lead};
use leadrank_metrics::report::{OppStatus, Opportunity, StageChange};
use leadrank_quality::{
    CalibrationError, CalibrationInput, CalibrationOptions, CalibrationReport, CutOffChoice, CutOffRule, Phase, Split, Target,
    WrittenPoints, calibrate, render_table,
};

const DAY: i64 = 86_400;

fn as_of() -> Timestamp {
    "2026-06-30T12:00:00Z".parse().unwrap()
}

/// A deterministic number in 0..100 for lead `i` and salt `k` (no randomness in tests).
fn draw(i: u64, k: u64) -> u64 {
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ k.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (x ^ (x >> 29)) % 100
}

/// 400 leads created over four months; directors, pricing views, demo requests and email
/// replies make a win likelier. Each won or lost lead has one opportunity 40 days after it
/// came in; some won leads then request a demo (after sales contact).
fn history() -> (CompiledModel, Dataset, Vec<Opportunity>) {
    let model = default_model();
    let mut b = DatasetBuilder::new(&model);
    let mut opps = Vec::new();
    let start: Timestamp = "2026-01-05T09:00:00Z".parse().unwrap();
    let at = |secs: i64| Timestamp::from_second(start.as_second() + secs).unwrap();
    let mut events = Vec::new();
    for i in 0..400u64 {
        let id = format!("L{i:03}");
        let created = (i as i64 % 120) * DAY;
        let director = draw(i, 1) < 30;
        let lead = Lead {
            lead_id: id.clone(),
            email: Some(format!("p{i}@firm{}.com", i % 90).into()),
            title: Some(if director { "Director of Sales" } else { "Analyst" }.into()),
            industry: Some(if draw(i, 2) < 50 { "Software" } else { "Retail" }.into()),
            employees: Some([20, 300, 5000][(draw(i, 3) % 3) as usize]),
            country: Some(if draw(i, 4) < 70 { "US" } else { "BR" }.into()),
            source: Some(["organic", "paid_social", "webinar", "referral"][(draw(i, 5) % 4) as usize].into()),
            created_at: Some(at(created)),
            ..Lead::default()
        };
        b.add_lead(lead).unwrap();
        let mut signal = u64::from(director) * 25;
        let mut event = |kind: &str, day: i64, url: Option<&str>| {
            events.push(Event {
                event_id: format!("{id}-{kind}-{day}"),
                lead_id: id.clone(),
                event_type: kind.into(),
                occurred_at: at(created + day * DAY + 3600),
                url: url.map(str::to_string),
                properties: None,
            })
        };
        if draw(i, 6) < 40 {
            event("page_view", 10, Some("https://x.io/pricing"));
            signal += 20;
        }
        if draw(i, 7) < 20 {
            event("email_reply", 12, None);
            signal += 30;
        }
        if draw(i, 8) < 15 {
            event("demo_request", 20, None);
            signal += 25;
        }
        let won = draw(i, 9) + signal >= 90;
        let lost = !won && draw(i, 10) < 25;
        if won && draw(i, 11) < 50 {
            event("demo_request", 45, None);
        }
        if won || lost {
            opps.push(Opportunity {
                id: format!("O{i}"),
                lead_id: Some(id.clone()),
                account_id: None,
                created_at: Some(at(created + 40 * DAY).as_second()),
                closed_at: Some(at(created + 70 * DAY).as_second()),
                status: if won { OppStatus::Won } else { OppStatus::Lost },
                amount: Some(1000.0),
                loss_reason: None,
            });
        }
    }
    for e in &events {
        b.add_event(e).unwrap();
    }
    (model, b.build(), opps)
}

fn options() -> CalibrationOptions {
    CalibrationOptions {
        target: Target::Won,
        split: Split::Random { holdout: 0.3 },
        cut_off: CutOffChoice::PerLead { horizon_days: None },
        gbm: false,
        seed: 42,
    }
}

fn run(model: &CompiledModel, dataset: &Dataset, opps: &[Opportunity], opts: &CalibrationOptions) -> (CalibrationReport, Vec<Phase>) {
    let input = CalibrationInput { model, dataset, opportunities: Some(opps), stages: None, as_of: as_of() };
    let mut phases = Vec::new();
    let report = calibrate(&input, opts, &mut |p| phases.push(p)).expect("calibrates");
    (report, phases)
}

#[test]
fn report_holds_the_split_the_cut_offs_and_a_sample() {
    let (model, dataset, opps) = history();
    let (r, phases) = run(&model, &dataset, &opps, &options());
    let won = opps.iter().filter(|o| o.status == OppStatus::Won).count();
    assert_eq!((r.leads, r.positives, r.train_rows + r.test_rows), (400, won, 400));
    assert_eq!(r.test_rows, 120);
    assert_eq!(r.cut_off.rule, CutOffRule::PerLead);
    assert_eq!(r.cut_off.cut_by_lead_opportunity, opps.len());
    assert_eq!(r.logistic.cv_auc.len(), 4);
    assert_eq!(r.logistic.coefficients.len(), r.logistic.coefficients.iter().map(|c| &c.0).collect::<std::collections::HashSet<_>>().len());
    assert_eq!(r.proposed.proposal.rules.len(), r.proposed.features.len());
    assert_eq!(r.proposed.sample.len(), 20);
    // The sample's cut-offs: one second before the lead's opportunity, else --as-of.
    for s in &r.proposed.sample {
        let cut = match opps.iter().find(|o| o.lead_id.as_deref() == Some(&s.lead_id)) {
            Some(o) => Timestamp::from_second(o.created_at.unwrap() - 1).unwrap(),
            None => as_of(),
        };
        assert_eq!(s.as_of, cut, "{}", s.lead_id);
        assert_eq!(s.written, if r.proposed.recommend { s.proposed } else { s.current });
    }
    assert!(r.current.held_out.auc.is_some_and(|a| a > 0.6), "{:?}", r.current.held_out.auc);
    assert!(r.gbm.is_none() && r.written.is_none());
    let expected = [Phase::LogisticStarted, Phase::LogisticFitted { penalties: 4 }, Phase::ProposalStarted, Phase::ProposalFitted];
    assert_eq!(phases, expected);
    // The same input and seed give the same report.
    assert_eq!(run(&model, &dataset, &opps, &options()).0, r);
}

#[test]
fn a_single_cut_off_scores_every_lead_at_as_of_and_says_so() {
    let (model, dataset, opps) = history();
    let (cut, _) = run(&model, &dataset, &opps, &options());
    let (single, _) = run(&model, &dataset, &opps, &CalibrationOptions { cut_off: CutOffChoice::Single, ..options() });
    assert_eq!(single.cut_off.rule, CutOffRule::Single);
    assert_eq!(single.cut_off.cut_by_lead_opportunity, 0);
    assert!(single.proposed.sample.iter().all(|s| s.as_of == as_of()));
    assert!(cut.proposed.sample.iter().any(|s| s.as_of < as_of()));
    assert!(single.warnings.iter().any(|w| w.starts_with("--single-as-of")), "{:?}", single.warnings);
    assert!(!cut.warnings.iter().any(|w| w.starts_with("--single-as-of")), "{:?}", cut.warnings);
    assert!(render_table(&single).contains("Cut-off: every lead scored at --as-of"));
}

#[test]
fn the_challenger_is_reported_beside_the_logistic_fit() {
    let (model, dataset, opps) = history();
    let (r, phases) = run(&model, &dataset, &opps, &CalibrationOptions { gbm: true, split: Split::ByTime, ..options() });
    let g = r.gbm.as_ref().expect("gbm figures");
    assert_eq!(g.held_out.deciles.len(), 10);
    assert_eq!(g.reliability.len(), 10);
    assert!(!g.importance.is_empty() && g.importance.len() <= 10);
    assert!(phases.contains(&Phase::GbmFitted { candidates: g.candidates.len(), trees: g.rounds }), "{phases:?}");
    assert_eq!(r.split, Split::ByTime);
    let table = render_table(&r);
    assert!(table.contains("proposed         gbm") && table.contains("Feature importance of the trees"), "{table}");
}

#[test]
fn json_keeps_the_command_line_keys_in_alphabetical_order() {
    let (model, dataset, opps) = history();
    let (mut r, _) = run(&model, &dataset, &opps, &options());
    let json = r.to_json_pretty().unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let expected =
        ["censored_open", "current", "cut_off", "leads", "logistic", "proposed", "split", "target", "test", "train", "warnings", "won"];
    assert_eq!(keys, expected);
    // Pretty JSON of a sorted map: the text itself lists the keys in that order.
    let top: Vec<&str> = json.lines().filter(|l| l.starts_with("  \"")).map(|l| l[3..].split('"').next().unwrap()).collect();
    assert_eq!(top, expected);
    assert_eq!(v["split"], "random");
    assert_eq!(v["target"], "won");
    assert_eq!(v["cut_off"]["rule"], "per-lead");
    assert!(v["cut_off"].get("at").is_none(), "the per-lead times stay out of the JSON");
    assert_eq!(v["proposed"]["sample"][0]["as_of"], r.proposed.sample[0].as_of.to_string());
    r.written = Some(WrittenPoints::Current);
    let v: serde_json::Value = serde_json::from_str(&r.to_json_pretty().unwrap()).unwrap();
    assert_eq!(v["written"], "current");
}

#[test]
fn the_model_file_carries_the_proposal_only_when_recommended() {
    let (model, dataset, opps) = history();
    let (mut r, _) = run(&model, &dataset, &opps, &options());
    r.proposed.recommend = false;
    assert_eq!(r.points_to_write(), WrittenPoints::Current);
    assert_eq!(r.model_text(&model, &model.source).unwrap(), model.source);
    r.proposed.recommend = true;
    assert_eq!(r.points_to_write(), WrittenPoints::Proposed);
    let text = r.model_text(&model, &model.source).unwrap();
    let written = CompiledModel::from_toml(&text, "proposed.toml").expect("the proposed model compiles");
    assert_eq!(written.version, format!("{}-calibrated", model.version));
    for (rule, proposed) in model.rules.iter().zip(&r.proposed.proposal.rules) {
        assert_eq!(*rule.id, *proposed.id);
        let now = written.rules.iter().find(|w| w.id == rule.id).map(|w| w.points);
        assert_eq!(now, proposed.proposed, "{}", rule.id);
    }
    for n in &r.proposed.new_rules {
        assert!(written.rules.iter().any(|w| *w.id == *n.id && w.points == n.points), "{}", n.id);
    }
}

#[test]
fn missing_labels_are_errors() {
    let (model, dataset, opps) = history();
    let input = CalibrationInput { model: &model, dataset: &dataset, opportunities: None, stages: None, as_of: as_of() };
    let err = calibrate(&input, &options(), &mut |_| {}).unwrap_err();
    assert!(matches!(err, CalibrationError::NoOutcomes), "{err}");
    let accepted = CalibrationOptions { target: Target::Accepted, ..options() };
    let input = CalibrationInput { opportunities: Some(&opps), ..input };
    assert!(matches!(calibrate(&input, &accepted, &mut |_| {}).unwrap_err(), CalibrationError::NoStages));
    let stranger = [StageChange { lead_id: "nobody".into(), stage: "sal".into(), at: Some(0), by: None, reason: None }];
    let input = CalibrationInput { stages: Some(&stranger), ..input };
    let err = calibrate(&input, &accepted, &mut |_| {}).unwrap_err();
    assert!(matches!(err, CalibrationError::NoReviewedLeads), "{err}");
    assert_eq!(err.to_string(), "no lead was accepted or rejected by sales");
}

#[test]
fn sales_acceptance_labels_only_the_reviewed_leads() {
    let (model, dataset, opps) = history();
    let stages: Vec<StageChange> = (0..400)
        .filter(|i| i % 2 == 0)
        .map(|i| StageChange {
            lead_id: format!("L{i:03}"),
            stage: if draw(i, 1) < 30 || i % 6 == 0 { "sal" } else { "disqualified" }.into(),
            at: Some(0),
            by: None,
            reason: None,
        })
        .collect();
    let input = CalibrationInput { model: &model, dataset: &dataset, opportunities: Some(&opps), stages: Some(&stages), as_of: as_of() };
    let r = calibrate(&input, &CalibrationOptions { target: Target::Accepted, ..options() }, &mut |_| {}).unwrap();
    assert_eq!(r.leads, 200);
    assert_eq!(r.target, Target::Accepted);
    assert_eq!(r.positives, stages.iter().filter(|s| s.stage == "sal").count());
    assert!(r.proposed.sample.iter().all(|s| s.lead_id[1..].parse::<u32>().unwrap() % 2 == 0));
    assert!(render_table(&r).starts_with("Calibration on 200 leads ("), "{}", render_table(&r));
}

#[test]
fn table() {
    let (model, dataset, opps) = history();
    let (r, _) =
        run(&model, &dataset, &opps, &CalibrationOptions { cut_off: CutOffChoice::PerLead { horizon_days: Some(30) }, ..options() });
    insta::assert_snapshot!("table_won_horizon_30", render_table(&r));
}

#[test]
fn table_with_the_challenger_and_a_single_cut_off() {
    let (model, dataset, opps) = history();
    let (r, _) = run(&model, &dataset, &opps, &CalibrationOptions { gbm: true, cut_off: CutOffChoice::Single, ..options() });
    insta::assert_snapshot!("table_gbm_single_as_of", render_table(&r));
}

#[test]
fn backtest_lists_the_leads_that_change_side() {
    use leadrank_quality::backtest::{ModelScores, backtest, render_backtest};
    let (model, dataset, opps) = history();
    let scores = dataset.score_all(&model, as_of(), &|_| {});
    let id = model.id();
    let a = ModelScores { id: &id, quality_threshold: model.quality_threshold, scores: &scores };
    let same = backtest(&dataset.leads, &opps, as_of(), a, a);
    assert_eq!(same.a, same.b);
    assert!(same.now_quality.is_empty() && same.no_longer_quality.is_empty());
    assert_eq!(same.won, opps.iter().filter(|o| o.status == OppStatus::Won).count());
    // B: the same totals with the median total as its threshold.
    let mut totals: Vec<i32> = scores.iter().map(|s| s.total).collect();
    totals.sort_unstable();
    let lax = totals[totals.len() / 2];
    let b_scores: Vec<_> = scores.iter().cloned().map(|mut s| (s.quality = s.total >= lax, s).1).collect();
    let b = ModelScores { id: "median", quality_threshold: lax, scores: &b_scores };
    let r = backtest(&dataset.leads, &opps, as_of(), a, b);
    let ids = |f: &dyn Fn(&leadrank_core::Score, &leadrank_core::Score) -> bool| -> Vec<&str> {
        scores.iter().zip(&b_scores).filter(|(x, y)| f(x, y)).map(|(x, _)| x.lead_id.as_str()).collect()
    };
    let up = ids(&|x, y| !x.quality && y.quality);
    let down = ids(&|x, y| x.quality && !y.quality);
    assert!(!up.is_empty(), "the median threshold lets leads in");
    assert_eq!(r.now_quality.iter().map(|c| c.lead_id.as_str()).collect::<Vec<_>>(), up);
    assert_eq!(r.no_longer_quality.iter().map(|c| c.lead_id.as_str()).collect::<Vec<_>>(), down);
    assert_eq!(r.b.quality_leads, r.a.quality_leads + up.len() - down.len());
    assert_eq!(r.a.auc, r.b.auc, "the same totals rank the same");
    let won_up = r.now_quality.iter().filter(|c| c.won).count();
    let text = render_backtest(&r, 3);
    assert!(text.contains(&format!("{} leads become quality under B ({won_up} of them won); {} stop", up.len(), down.len())), "{text}");
    assert_eq!(text.lines().filter(|l| l.starts_with("  now quality")).count(), up.len().min(3));
}

/// Open deals are censored, not losses: 30 leads without an opportunity get an open one.
/// Before, they were 30 more negatives; now they leave the fit (400 - 30 = 370 labelled
/// leads) and the report says how many were left out. Those that had none before stay
/// negatives; won and lost leads are unchanged.
#[test]
fn open_deals_are_left_out_and_counted() {
    let (model, dataset, mut opps) = history();
    let without: Vec<String> = dataset
        .leads
        .iter()
        .map(|l| l.lead_id.clone())
        .filter(|id| !opps.iter().any(|o| o.lead_id.as_deref() == Some(id)))
        .take(30)
        .collect();
    assert_eq!(without.len(), 30);
    let won = opps.iter().filter(|o| o.status == OppStatus::Won).count();
    for (k, id) in without.iter().enumerate() {
        opps.push(Opportunity {
            id: format!("open{k}"),
            lead_id: Some(id.clone()),
            account_id: None,
            created_at: Some(as_of().as_second() - 5 * DAY),
            closed_at: None,
            status: OppStatus::Open,
            amount: Some(500.0),
            loss_reason: None,
        });
    }
    let (r, _) = run(&model, &dataset, &opps, &options());
    assert_eq!((r.censored_open, r.leads, r.positives), (30, 370, won));
    assert!(render_table(&r).contains("Left out: 30 leads whose deals are all still open"));
    assert!(r.proposed.sample.iter().all(|s| !without.contains(&s.lead_id)));
}
