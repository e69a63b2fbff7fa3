//! End-to-end checks of the generated files (small N so they run fast).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use leadrank_synth::{GenerateOptions, Summary, default_as_of, generate, generate_with_workers};

const LEAD_HEADER: &str = "lead_id,email,first_name,last_name,title,company,domain,account_id,industry,employees,annual_revenue,country,phone,phone_verified,consent,consent_at,source,campaign,created_at,tech_stack,use_case,budget_owner,timeline_days,contract_end,honeypot";
const EVENT_HEADER: &str = "event_id,lead_id,type,occurred_at,url,properties";
const ACCOUNT_HEADER: &str = "account_id,name,domain,industry,employees,country,owner,tier";
const OUTCOME_HEADER: &str = "opportunity_id,lead_id,account_id,created_at,closed_at,status,amount,loss_reason";

const TYPES: &[&str] = &[
    "page_view",
    "form_submit",
    "content_download",
    "webinar_attended",
    "event_attended",
    "demo_request",
    "trial_started",
    "intent_surge",
    "email_open",
    "email_click",
    "email_reply",
    "email_bounce",
    "meeting_booked",
    "feature_used",
    "teammate_invited",
    "sales_touch",
];

fn opts(leads: usize, seed: u64) -> GenerateOptions {
    GenerateOptions { leads, seed, as_of: default_as_of(), ..GenerateOptions::default() }
}

fn run(o: &GenerateOptions, dir: &Path) -> Summary {
    let mut last = 0;
    let s = generate(o, dir, &mut |n| {
        assert!(n >= last, "progress goes forward");
        last = n;
    })
    .expect("generate");
    assert_eq!(last, o.leads as u64, "progress reports the final count");
    s
}

/// All rows of a file as maps column -> value; also checks the header and that every record
/// has exactly the header's number of fields.
fn read(dir: &Path, file: &str, header: &str) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(dir.join(file)).expect("read");
    assert_eq!(text.lines().next().unwrap(), header, "{file} header");
    let mut r = csv::ReaderBuilder::new().flexible(false).from_path(dir.join(file)).expect("open");
    let cols: Vec<String> = r.headers().expect("header").iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap_or_else(|e| panic!("{file}: {e}"));
            cols.iter().cloned().zip(rec.iter().map(str::to_string)).collect()
        })
        .collect()
}

fn ts(s: &str) -> jiff::Timestamp {
    assert_eq!(s.len(), 20, "second-precision UTC timestamp: {s}");
    assert!(s.ends_with('Z'), "{s}");
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn files(dir: &Path) -> Vec<Vec<u8>> {
    leadrank_synth::FILES.iter().map(|f| std::fs::read(dir.join(f)).expect("read")).collect()
}

#[test]
fn default_as_of_is_the_demo_date() {
    assert_eq!(default_as_of(), "2026-06-30T12:00:00Z".parse::<jiff::Timestamp>().unwrap());
}

#[test]
fn same_seed_same_bytes_different_seed_different_bytes() {
    let (a, b, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sa = run(&opts(2000, 7), a.path());
    let sb = run(&opts(2000, 7), b.path());
    let sc = run(&opts(2000, 8), c.path());
    assert_eq!(sa, sb);
    assert_eq!(files(a.path()), files(b.path()));
    // Expected sizes for 2,000 leads.
    assert_eq!(sa.leads, 2000);
    assert_eq!(sa.accounts, 250);
    assert!((14_000..26_000).contains(&sa.events), "{sa:?}");
    assert!((120..300).contains(&sa.outcomes), "{sa:?}");
    let (fa, fc) = (files(a.path()), files(c.path()));
    for i in 0..4 {
        assert_ne!(fa[i], fc[i], "{} differs between seeds", leadrank_synth::FILES[i]);
    }
    assert_ne!(sa, sc);
}

#[test]
fn output_does_not_depend_on_threads() {
    // 9,000 leads = 3 chunks, so several workers really interleave.
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let o = opts(9000, 3);
    let sa = generate_with_workers(&o, a.path(), &mut |_| {}, 1).unwrap();
    let sb = generate_with_workers(&o, b.path(), &mut |_| {}, 3).unwrap();
    assert_eq!(sa, sb);
    assert_eq!(files(a.path()), files(b.path()));
}

#[test]
fn zero_leads_writes_headers_only() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nested/out");
    let s = run(&opts(0, 1), &out);
    assert_eq!(s, Summary::default());
    assert!(read(&out, "leads.csv", LEAD_HEADER).is_empty());
    assert!(read(&out, "events.csv", EVENT_HEADER).is_empty());
    assert!(read(&out, "accounts.csv", ACCOUNT_HEADER).is_empty());
    assert!(read(&out, "outcomes.csv", OUTCOME_HEADER).is_empty());
}

#[test]
fn unwritable_directory_is_an_io_error_with_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let err = generate(&opts(10, 1), &file.join("sub"), &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("a-file"), "{err}");
}

#[test]
fn files_are_consistent_and_realistic() {
    let dir = tempfile::tempdir().unwrap();
    let n = 3000;
    // LEADRANK_SYNTH_TEST_SEED=... checks the same properties for another seed.
    let seed = std::env::var("LEADRANK_SYNTH_TEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(42);
    let s = run(&opts(n, seed), dir.path());
    let as_of = default_as_of();

    let leads = read(dir.path(), "leads.csv", LEAD_HEADER);
    let events = read(dir.path(), "events.csv", EVENT_HEADER);
    let accounts = read(dir.path(), "accounts.csv", ACCOUNT_HEADER);
    let opps = read(dir.path(), "outcomes.csv", OUTCOME_HEADER);
    assert_eq!(s.leads as usize, leads.len());
    assert_eq!(s.events as usize, events.len());
    assert_eq!(s.accounts as usize, accounts.len());
    assert_eq!(s.outcomes as usize, opps.len());

    // Row counts.
    assert_eq!(leads.len(), n);
    assert_eq!(accounts.len(), n / 8 + usize::from(n % 8 != 0));
    let per_lead = events.len() as f64 / n as f64;
    assert!((7.0..13.0).contains(&per_lead), "{per_lead} events per lead");
    let opp_rate = opps.len() as f64 / n as f64;
    assert!((0.06..0.14).contains(&opp_rate), "opportunity rate {opp_rate}");

    // Accounts: unique ids and domains, owners, abm tier, sizes.
    let account_ids: BTreeSet<&str> = accounts.iter().map(|a| a["account_id"].as_str()).collect();
    assert_eq!(account_ids.len(), accounts.len());
    let domains: BTreeSet<&str> = accounts.iter().map(|a| a["domain"].as_str()).collect();
    assert_eq!(domains.len(), accounts.len(), "account domains are unique");
    let owned = accounts.iter().filter(|a| !a["owner"].is_empty()).count() as f64 / accounts.len() as f64;
    assert!((0.3..0.5).contains(&owned), "owned share {owned}");
    assert!(accounts.iter().any(|a| a["tier"] == "abm"));
    let emp: Vec<u32> = accounts.iter().map(|a| a["employees"].parse().unwrap()).collect();
    assert!(emp.iter().all(|&e| (5..=50_000).contains(&e)));
    assert!(emp.iter().any(|&e| e < 200) && emp.iter().any(|&e| (200..=2000).contains(&e)) && emp.iter().any(|&e| e > 2000));
    for tld in [".com", ".io", ".co.uk", ".de"] {
        assert!(accounts.iter().any(|a| a["domain"].ends_with(tld)), "some {tld} domain");
    }

    // Leads: unique ids, valid times, fields as documented.
    let mut created = BTreeMap::new();
    for l in &leads {
        let t = ts(&l["created_at"]);
        assert!(t < as_of && t > as_of - jiff::SignedDuration::from_hours(366 * 24));
        assert!(created.insert(l["lead_id"].clone(), t).is_none(), "lead ids are unique");
        if !l["account_id"].is_empty() {
            assert!(account_ids.contains(l["account_id"].as_str()));
        }
        for b in ["phone_verified", "consent", "budget_owner"] {
            assert!(["", "true", "false"].contains(&l[b].as_str()), "{b}={}", l[b]);
        }
        if !l["consent_at"].is_empty() {
            assert_eq!(l["consent"], "true");
            ts(&l["consent_at"]);
        }
        if !l["timeline_days"].is_empty() {
            let d: u32 = l["timeline_days"].parse().unwrap();
            assert!((7..=365).contains(&d));
        }
        if !l["contract_end"].is_empty() {
            jiff::civil::Date::strptime("%Y-%m-%d", &l["contract_end"]).unwrap();
        }
        if !l["employees"].is_empty() {
            l["employees"].parse::<u32>().unwrap();
        }
        if !l["annual_revenue"].is_empty() {
            l["annual_revenue"].parse::<f64>().unwrap();
        }
    }
    let share = |f: &dyn Fn(&BTreeMap<String, String>) -> bool| leads.iter().filter(|l| f(l)).count() as f64 / n as f64;
    let honeypot = share(&|l| !l["honeypot"].is_empty());
    assert!((0.002..0.02).contains(&honeypot), "honeypot {honeypot}");
    let no_phone = share(&|l| l["phone"].is_empty());
    assert!((0.22..0.38).contains(&no_phone), "no phone {no_phone}");
    let verified = share(&|l| l["phone_verified"] == "true");
    assert!((0.10..0.20).contains(&verified), "verified {verified}");
    let consent = share(&|l| l["consent"] == "true");
    assert!((0.5..0.7).contains(&consent), "consent {consent}");
    let with_account = share(&|l| !l["account_id"].is_empty());
    assert!((0.3..0.55).contains(&with_account), "account_id {with_account}");
    let free = share(&|l| l["email"].to_lowercase().ends_with("@gmail.com"));
    assert!(free > 0.03, "gmail {free}");
    assert!(leads.iter().any(|l| { ["mailinator.com", "yopmail.com", "guerrillamail.com"].iter().any(|d| l["email"].ends_with(d)) }));
    assert!(leads.iter().any(|l| l["country"] == "United States" || l["country"] == "USA"));
    assert!(leads.iter().any(|l| l["title"].to_lowercase().contains("student")));
    assert!(leads.iter().any(|l| l["use_case"].to_lowercase().contains("lead scoring")));
    assert!(leads.iter().any(|l| l["tech_stack"].contains(';')));
    assert!(leads.iter().any(|l| !l["first_name"].is_ascii()), "accented names");

    // Duplicates: same normalised e-mail, or same name within the same account.
    let norm = |e: &str| {
        let e = e.trim().to_lowercase();
        let (local, dom) = e.rsplit_once('@')?;
        if local.is_empty() || !dom.contains('.') {
            return None;
        }
        if dom == "gmail.com" || dom == "googlemail.com" {
            let local = local.split('+').next().unwrap().replace('.', "");
            return Some(format!("{local}@gmail.com"));
        }
        Some(format!("{local}@{dom}"))
    };
    let mut by_email: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_name: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut gmail_variants = 0;
    for l in &leads {
        if let Some(e) = norm(&l["email"]) {
            *by_email.entry(e).or_default() += 1;
        }
        let e = l["email"].to_lowercase();
        if e.contains('+') && (e.ends_with("@gmail.com") || e.ends_with("@googlemail.com")) {
            gmail_variants += 1;
        }
        let key = if !l["account_id"].is_empty() {
            Some(l["account_id"].clone())
        } else {
            l["email"].rsplit_once('@').map(|(_, d)| d.to_lowercase())
        };
        let name = format!("{} {}", l["first_name"], l["last_name"]).to_lowercase();
        if let Some(k) = key
            && !l["last_name"].is_empty()
        {
            *by_name.entry((k, name)).or_default() += 1;
        }
    }
    let email_dups: usize = by_email.values().filter(|&&c| c > 1).map(|c| c - 1).sum();
    let name_dups: usize = by_name.values().filter(|&&c| c > 1).map(|c| c - 1).sum();
    assert!(email_dups >= n / 100, "{email_dups} e-mail duplicates");
    assert!(name_dups >= n / 400, "{name_dups} same-name duplicates");
    assert!(email_dups <= n / 15, "{email_dups} e-mail duplicates");
    assert!(gmail_variants > 0, "gmail +tag variants");

    // Events: known lead, time window, types, JSON properties, ids unique except re-sends.
    let mut rows_by_id: BTreeMap<&str, Vec<&BTreeMap<String, String>>> = BTreeMap::new();
    let mut forms: BTreeMap<&str, Vec<jiff::Timestamp>> = BTreeMap::new();
    let mut types = BTreeSet::new();
    for e in &events {
        let lead = e["lead_id"].as_str();
        let c = created.get(lead).unwrap_or_else(|| panic!("event for unknown lead {lead}"));
        let t = ts(&e["occurred_at"]);
        assert!(t <= as_of, "event after as_of: {e:?}");
        assert!(t >= *c, "event before the lead was created: {e:?}");
        assert!(TYPES.contains(&e["type"].as_str()), "type {}", e["type"]);
        types.insert(e["type"].as_str());
        if !e["properties"].is_empty() {
            let v: serde_json::Value = serde_json::from_str(&e["properties"]).expect("properties are JSON");
            assert!(v.is_object());
        }
        if e["type"] == "page_view" {
            assert!(e["url"].starts_with("https://www.leadrank-demo.com/"), "{}", e["url"]);
        }
        if e["type"] == "feature_used" {
            let v: serde_json::Value = serde_json::from_str(&e["properties"]).unwrap();
            assert!(["reports", "dashboards", "alerts", "api", "exports"].contains(&v["feature"].as_str().unwrap()));
        }
        if e["type"] == "form_submit" {
            forms.entry(lead).or_default().push(t);
        }
        rows_by_id.entry(e["event_id"].as_str()).or_default().push(e);
    }
    assert_eq!(types.len(), TYPES.len(), "every canonical type occurs: {types:?}");
    let resent: Vec<_> = rows_by_id.values().filter(|v| v.len() > 1).collect();
    for v in &resent {
        assert_eq!(v.len(), 2);
        assert_eq!(v[0], v[1], "a re-sent event is the identical row");
    }
    let resent_share = resent.len() as f64 / events.len() as f64;
    assert!((0.002..0.01).contains(&resent_share), "re-sent share {resent_share}");
    for v in forms.values_mut() {
        v.sort();
    }
    let bursts = forms.values().filter(|v| v.windows(5).any(|w| w[4].duration_since(w[0]) <= jiff::SignedDuration::from_secs(60))).count();
    assert!(bursts >= n / 500, "{bursts} leads with form-submit bursts");
    assert!(events.iter().any(|e| e["url"].contains("/pricing")));
    assert!(events.iter().any(|e| e["url"].contains("/careers") || e["url"].contains("/jobs/")));
    assert!(events.iter().any(|e| e["url"].contains("?utm_source=")));

    // Engagement is heavy-tailed: many quiet leads, some very engaged ones.
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &events {
        *per.entry(e["lead_id"].as_str()).or_default() += 1;
    }
    let quiet = leads.iter().filter(|l| per.get(l["lead_id"].as_str()).copied().unwrap_or(0) <= 3).count();
    let busy = per.values().filter(|&&c| c >= 20).count();
    assert!(quiet > n / 4, "{quiet} leads with 0-3 events");
    assert!(busy > n / 20, "{busy} leads with 20+ events");

    // Outcomes.
    let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
    let mut opp_ids = BTreeSet::new();
    for o in &opps {
        assert!(opp_ids.insert(o["opportunity_id"].as_str()), "opportunity ids are unique");
        assert!(!o["lead_id"].is_empty() || !o["account_id"].is_empty());
        if !o["lead_id"].is_empty() {
            let c = created[o["lead_id"].as_str()];
            assert!(ts(&o["created_at"]) >= c);
        }
        if !o["account_id"].is_empty() {
            assert!(account_ids.contains(o["account_id"].as_str()));
        }
        let at = ts(&o["created_at"]);
        assert!(at < as_of);
        *statuses.entry(o["status"].as_str()).or_default() += 1;
        match o["status"].as_str() {
            "open" => assert!(o["closed_at"].is_empty() && o["loss_reason"].is_empty()),
            "won" => assert!(o["loss_reason"].is_empty()),
            "lost" => assert!(["no_budget", "competitor", "no_decision", "timing", "price"].contains(&o["loss_reason"].as_str())),
            s => panic!("status {s}"),
        }
        if o["status"] != "open" {
            let closed = ts(&o["closed_at"]);
            assert!(closed > at && closed <= as_of);
        }
        let amount: u64 = o["amount"].parse().unwrap();
        assert!((5_000..=500_000).contains(&amount));
    }
    let total = opps.len() as f64;
    let won = statuses.get("won").copied().unwrap_or(0) as f64 / total;
    let lost = statuses.get("lost").copied().unwrap_or(0) as f64 / total;
    assert!((0.15..0.35).contains(&won), "won share {won}");
    assert!((0.4..0.7).contains(&lost), "lost share {lost}");
    assert!(statuses.get("open").copied().unwrap_or(0) > 0);
    assert!(opps.iter().any(|o| o["lead_id"].is_empty()), "some opportunities name only the account");
}

/// FNV-1a, 64 bits: a fingerprint that does not change between Rust releases.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[test]
fn the_default_profile_is_pinned_byte_for_byte() {
    // Fingerprints of the files made before the CRM-export profile existed: adding a profile
    // (or anything else) must not change what the default one writes.
    let dir = tempfile::tempdir().unwrap();
    run(&opts(2000, 7), dir.path());
    let got: Vec<u64> = files(dir.path()).iter().map(|f| fnv1a(f)).collect();
    assert_eq!(got, vec![0x0b5c_b32a_a86d_760e, 0xb448_37c4_6dc2_4623, 0x80bb_44b5_7ea1_e333, 0x58ce_e2d2_0825_f2c5]);
}

fn crm(leads: usize, seed: u64) -> GenerateOptions {
    GenerateOptions { profile: leadrank_synth::Profile::CrmExport, ..opts(leads, seed) }
}

#[test]
fn crm_export_profile_is_deterministic_and_differs_from_the_default() {
    let (a, b, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sa = generate_with_workers(&crm(9000, 5), a.path(), &mut |_| {}, 1).unwrap();
    let sb = generate_with_workers(&crm(9000, 5), b.path(), &mut |_| {}, 3).unwrap();
    run(&opts(9000, 5), c.path());
    assert_eq!(sa, sb);
    assert_eq!(files(a.path()), files(b.path()), "same seed, same bytes, whatever the threads");
    assert_ne!(files(a.path())[0], files(c.path())[0]);
    assert_eq!(leadrank_synth::Profile::from_name("crm-export"), Some(leadrank_synth::Profile::CrmExport));
    assert_eq!(leadrank_synth::Profile::CrmExport.name(), "crm-export");
}

#[test]
fn crm_export_profile_has_the_shape_it_promises() {
    let dir = tempfile::tempdir().unwrap();
    let n = 30_000;
    let s = run(&crm(n, 7), dir.path());
    let leads = read(dir.path(), "leads.csv", LEAD_HEADER);
    let events = read(dir.path(), "events.csv", EVENT_HEADER);
    let distinct = |col: &str| leads.iter().map(|l| l[col].as_str()).filter(|v| !v.is_empty()).collect::<BTreeSet<_>>();
    let per_300k = |count: usize| count as f64 * 300_000.0 / n as f64;
    assert_eq!(distinct("phone").len(), 13, "a handful of numbers typed again and again");
    assert_eq!(distinct("title").len(), 21);
    let first: BTreeSet<String> = distinct("first_name").iter().map(|f| f.to_lowercase()).collect();
    assert_eq!(first.len(), 25, "{first:?}");
    // Company names and domains: per 300,000 leads about 155,000 and 105,000; at 30,000 leads
    // the pools are a tenth as large, so the same shares of distinct values.
    let companies = per_300k(distinct("company").len());
    assert!((135_000.0..175_000.0).contains(&companies), "{companies}");
    let domains: BTreeSet<String> = leads
        .iter()
        .filter(|l| !l["domain"].is_empty())
        .map(|l| {
            let d = l["domain"].to_lowercase();
            let d = d.split("://").last().unwrap_or(&d).to_string();
            d.split(['/', '?']).next().unwrap_or("").trim_start_matches("www.").to_string()
        })
        .collect();
    let domains = per_300k(domains.len());
    assert!((90_000.0..120_000.0).contains(&domains), "{domains}");
    assert!(leads.iter().all(|l| !l["account_id"].is_empty()), "every lead has an account id");
    let countries = distinct("country");
    for written in ["US", "us", "USA", "United States", "UK"] {
        assert!(countries.contains(written), "{written} in {countries:?}");
    }
    let industries = distinct("industry");
    assert!(industries.contains("Software") && industries.contains("software") && industries.contains("SOFTWARE"), "{industries:?}");
    assert!(distinct("use_case").iter().any(|u| u.split_whitespace().count() >= 6), "free-text use cases");
    let urls: Vec<&str> = events.iter().map(|e| e["url"].as_str()).filter(|u| !u.is_empty()).collect();
    let with_query = urls.iter().filter(|u| u.contains('?')).count() as f64 / urls.len() as f64;
    let with_slash = urls.iter().filter(|u| u.split('?').next().is_some_and(|p| p.ends_with('/') && p.matches('/').count() > 3)).count()
        as f64
        / urls.len() as f64;
    assert!(with_query > 0.3, "{with_query}");
    assert!(with_slash > 0.2, "{with_slash}");
    let per_lead = s.events as f64 / n as f64;
    assert!((5.0..7.5).contains(&per_lead), "{per_lead} events per lead");
}
