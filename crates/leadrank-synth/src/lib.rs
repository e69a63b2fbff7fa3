//! Deterministic synthetic B2B data for leadrank: `leads.csv`, `events.csv`, `accounts.csv`
//! and `outcomes.csv` in the input formats (`docs/input-fields.md`), realistic enough to exercise every
//! rule of the default model, the hygiene checks, routing and calibration.
//!
//! ```no_run
//! use leadrank_synth::{generate, default_as_of, GenerateOptions};
//! let opts = GenerateOptions { leads: 10_000, seed: 42, as_of: default_as_of(), ..GenerateOptions::default() };
//! let summary = generate(&opts, std::path::Path::new("demo-data"), &mut |_done| {}).unwrap();
//! println!("{} leads, {} events", summary.leads, summary.events);
//! ```
//!
//! # Guarantees
//!
//! * **Deterministic.** The same `(leads, seed, as_of, profile)` gives byte-identical files on every
//!   platform and with any number of threads. Randomness is ChaCha8 (`rand_chacha`), seeded
//!   with [`rand::SeedableRng::seed_from_u64`]; stream 0 builds the companies, stream `1 + k`
//!   generates the `k`-th chunk of 4,096 leads. Floating-point functions come from `libm`
//!   (pure Rust), never from the platform's C library, and no hash-map order is ever used.
//! * **Streaming.** Only the companies (one per eight leads) are held in memory; leads, events
//!   and opportunities are written chunk by chunk through buffered writers. Chunks are generated
//!   on all cores and written in order.
//! * **Times.** RFC 3339 UTC at second precision (`2026-06-12T09:31:07Z`); `contract_end` is a
//!   bare date. Every lead is created in the 365 days before `as_of`; every event lies in
//!   `[created_at, as_of]` (the form fill that creates an inbound lead is at `created_at`
//!   exactly); every opportunity is created after the lead and before `as_of`, and closed (if
//!   closed) by `as_of`.
//! * **Ids.** `lead_id` is `L0000001`, `L0000002`, ... in file order; `account_id` is
//!   `acc-000001`, ...; `event_id` is `e` + 12 hex digits and `opportunity_id` `opp-` + 10 hex
//!   digits, both unique (a bijective scramble of the lead number and the event's sequence
//!   number). Event ids are unique except for deliberate re-sends (below).
//!
//! # The generative story
//!
//! **Companies.** About one account per eight leads. A name is a brand ("Bluepeak",
//! "Meridian", "Silver Aurora") plus an industry word ("Health", "Analytics", "Capital"),
//! half of the time with the country's legal form ("Bluepeak Health GmbH"). Domains are unique
//! and use the country's TLDs (`.com`, `.io`, `.co.uk`, `.de`, `.fr`, `.com.au`, ...).
//! Industries include the example ICP's (Software, Information Technology, Financial Services,
//! Healthcare, about 42% of companies) and Retail, Manufacturing, Education, Government, Media,
//! Logistics and more. Head count is log-normal around 150 (5 to 50,000): about 55% SMB, 38%
//! mid-market (200 to 2,000) and 7% enterprise; revenue is head count times an industry
//! revenue per employee, with noise. Countries are mostly the US, then GB, DE, IN, CA, FR, AU,
//! NL, BR, ... 40% of accounts have an owner (`rep-01` .. `rep-20`); about 5% are tier `abm`
//! (mostly large ICP companies). Hidden: each company has a tech stack, and some ran or run a
//! buying project (8% plus 5% per ICP criterion met: industry, size band, geography, an ICP
//! tool): half of them now, around a moment in the last 80 days, half 3 to 11 months ago
//! (those deals have mostly closed by `as_of`), with third-party intent surges near it.
//!
//! **Leads.** 1% are bots: gibberish names ("asdf qwer", "Test123", "xkcdqz"), usually a
//! disposable address and a filled honeypot, and bursts of 5 to 12 `form_submit` within a
//! minute. 0.3% are competitors (`@rivalcrm.com`, `@scoreleads.io`) snooping on pricing and
//! comparison pages. Of the rest, 70% use a corporate address at their company's domain
//! (`first.last@`, `flast@`, `first@`, ...; 4% of those have since left, so mail bounces),
//! 18% a free-mail address (gmail.com, yahoo.com, outlook.com, gmx.de, orange.fr, ...; the
//! local part mostly the name with digits, so distinct people rarely collide), 1% a
//! disposable one (mailinator.com, yopmail.com, ...), 3% an invalid one ("john.doe@",
//! "jane at acme.com", "x@y") and 8% none. Companies are chosen in proportion to a
//! popularity that grows with head count and with a running buying project, so buying
//! committees form. Names come from the country's naming cultures (English, German, French,
//! Spanish, Portuguese, Italian, Dutch, Nordic, Polish, Vietnamese, Chinese pinyin, Indian,
//! Nigerian, Japanese), accents included ("Ødegaard", "José"); e-mail local parts are folded
//! to ASCII. Titles span C-level, VP, director/head, manager, individual contributor, students
//! and interns, and blanks, with tricky ones ("Assistant to the Director"). The CRM fields are
//! copied from the company with noise: the company name as typed (short, legal, lower-case,
//! missing), `domain` for ~70% of corporate leads (sometimes with `www.`), `account_id` for
//! ~60%, industry sometimes missing or written differently ("IT Services", "SaaS"), employees
//! missing, banded or off, country as a code (80%), a name ("United States", "UK", "Germany",
//! 11%), lower case or missing. Phones: 30% missing, 10% junk ("555-CALL-NOW", "12345"), the
//! rest valid in the country's numbering plan, as E.164 with or without spaces or in national
//! format; `phone_verified` true for ~15%. Consent true for ~60% (with `consent_at`). Sources
//! organic, paid_search, paid_social, referral, event, outbound, partner, webinar with
//! campaigns. `tech_stack`, `use_case` (ICP phrases like "lead scoring", "pipeline",
//! "routing", "forecast", "attribution" and near misses like "data pipelines", "forecasting"),
//! `budget_owner` (likelier the more senior), `timeline_days`, `contract_end` (past and future)
//! appear for part of the leads, more often for in-market ones.
//!
//! **Duplicates.** About 3% of leads re-enter a recent lead: the same e-mail in another case,
//! the same gmail address with dots moved or a `+tag` (or at googlemail.com), or the same name
//! in the same account with another address. They get their own `lead_id`, a later
//! `created_at` and another source.
//!
//! **Behaviour.** A lead is in-market (latent) with probability 55% (70% for directors and
//! above) if its company runs or ran a buying project while the lead existed, else 5%; 30% of
//! the junior in-market leads are promoted to a senior title, and in-market leads fill in more of the
//! form (tech stack, use case, budget owner, timeline). Its engagement tier sets an event budget:
//! dormant 0-2, light 2-7, active 7-20, engaged 20-60 (in-market leads are mostly active or
//! engaged). Inbound leads start with the form fill (`form_submit`, or `demo_request` for some
//! in-market ones) at `created_at`; event leads with `event_attended`, webinar leads with a
//! `webinar_attended` a few days later. Then activities: visits (1 to 8 `page_view`s seconds to
//! minutes apart, on `https://www.leadrank-demo.com/...`: `/pricing`, `/demo`,
//! `/compare/rivalcrm`, `/integrations/salesforce`, `/security`, `/case-studies/...` more for
//! in-market leads; `/blog/...`, `/docs/...`, `/product`; `/careers`, `/jobs/NNN` for job
//! seekers and students; sometimes with `?utm_source=...`), ending now and then in a
//! `content_download`, `form_submit`, `demo_request` or `trial_started`; marketing e-mail
//! (`email_open`, `email_click`, rarely `email_reply`, or `email_bounce` for invalid and
//! decayed addresses); webinars and events, after which engaged leads come back within a week;
//! and rep `sales_touch`es (more at owned accounts). In-market leads' activity clusters around
//! their buying moment (sd 10 days), which for current projects lies in the last 90 days. Demo requests are followed by
//! `meeting_booked` and touches; trials by `feature_used` (`{"feature":"reports"}` ...) and
//! sometimes `teammate_invited`. Leads of companies with an intent surge get `intent_surge`
//! events. About 0.5% of event rows are re-sent: the identical row again later in the file.
//! The average is about 10 events per lead, heavy-tailed.
//!
//! **Outcomes (the hidden truth).** Each lead has a true log-odds of becoming an opportunity.
//! The weights deliberately differ from the default model's points, so that calibration has
//! something to find:
//!
//! | signal | log-odds | | signal | log-odds |
//! |---|---|---|---|---|
//! | intercept | -4.1 | | meeting_booked (ignored by the default model) | +1.6 |
//! | trial_started | +1.4 | | demo_request | +1.2 |
//! | email_reply (ignored by the default model) | +1.1 | | in-market (latent) | +0.5 |
//! | 3+ features used | +0.5 | | teammate_invited | +0.4 |
//! | pricing page in 30 days | +0.3 | | 2+ high-intent pages | +0.25 |
//! | intent surge in 30 days | +0.2 | | webinar then return | +0.3 |
//! | ICP industry | +0.35 | | 200-2,000 employees / more / < 50 | +0.45 / +0.35 / -0.6 |
//! | ICP tool in the stack | +0.35 | | ICP geography | +0.1 |
//! | genuine ICP use case | +0.3 | | C-level / VP / director / manager | +0.4 / +0.55 / +0.45 / +0.1 |
//! | individual contributor / other / student | -0.25 / -0.4 / -2.5 | | budget owner | +0.35 |
//! | timeline <= 90 days | +0.45 | | contract ends within 270 days | +0.5 |
//! | corporate / free-mail / invalid / missing e-mail | +0.2 / -0.4 / -1.0 / -0.6 | | disposable / competitor / bot | -2 / -5 / -8 |
//! | bounced or decayed address | -0.8 | | careers pages | -0.6 |
//! | duplicate record | -1.5 | | referral / partner / event / outbound / paid_social | +0.9 / +0.5 / +0.3 / +0.2 / -0.3 |
//!
//! plus Gaussian noise (sd 0.9). About 10% of leads get an opportunity, created a few hours to
//! ten days after the lead's latest demo, trial, meeting or reply (without those, 2 to 60 days
//! after creation, and not at all if that would be after `as_of`). A sales cycle (log-normal,
//! median 16 / 28 / 50 days for SMB / mid-market / enterprise) decides whether it has closed by
//! `as_of`; a closed one is won with probability `sigmoid(0.8 z - 0.5)`, so the better leads
//! win more often. The result is about 27% won, 51% lost (with a `loss_reason` of no_budget,
//! competitor, no_decision, timing or price) and 22% open. Amounts are log-normal around
//! `3000 * employees^0.4` USD, clamped to 5,000..500,000. 15% of opportunities name only the
//! account; the others name the lead and, mostly, its account.
//!
//! **Profiles.** [`Profile::Default`] writes the story above. [`Profile::CrmExport`] tells
//! the same story but writes the CRM fields the way an uncleaned CRM export holds them (few
//! distinct phones, titles and first names; many company names and domains; countries and
//! industries written many ways; free-text use cases; an account id on every lead; tracking
//! parameters and trailing slashes on page URLs; fewer events); see its documentation. The
//! default profile's files do not change when other profiles are added (a test pins them).
//!
//! For a feel of the result: with the default model about 3-4% of leads are
//! quality leads (grade A) and 8% grade B; the top score decile converts to an opportunity about
//! 35% of the time against about 1% for the bottom decile.

mod data;
mod fmt;
mod r#gen;
mod phone;
mod rng;
mod world;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use r#gen::{Chunk, GenErr};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Number of leads.
    pub leads: usize,
    /// The seed: the same seed (with the same `leads` and `as_of`) gives identical files.
    pub seed: u64,
    /// The "now" of the data set: nothing happens after it.
    pub as_of: jiff::Timestamp,
    /// The shape of the data (see [`Profile`]).
    pub profile: Profile,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions { leads: 1000, seed: 42, as_of: default_as_of(), profile: Profile::Default }
    }
}

/// The shape of the generated data. Both follow the same story (companies, people, buying
/// projects, events, outcomes); they differ in how the CRM fields are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// The story as described in the crate documentation.
    #[default]
    Default,
    /// A messy CRM export: the same story, written the way a CRM that nobody cleans holds it.
    /// Per 300,000 leads about 13 distinct phone numbers (placeholders typed again and again),
    /// 21 titles and 25 first names; about 155,000 distinct company names (typed per lead) and
    /// 105,000 domains; countries written many ways (`us`, `USA`, `United States`, `UK`,
    /// `Deutschland`); industries in mixed case; use cases as free-text sentences; an account
    /// id on every lead (a one-person account when the lead has no company); page URLs often
    /// with query strings and trailing slashes; about 6 events per lead instead of 10.
    CrmExport,
}

impl Profile {
    /// Every profile with its command-line name.
    pub const ALL: [(&'static str, Profile); 2] = [("default", Profile::Default), ("crm-export", Profile::CrmExport)];

    /// The profile called `name` on the command line.
    pub fn from_name(name: &str) -> Option<Profile> {
        Profile::ALL.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
    }

    /// The command-line name.
    pub fn name(self) -> &'static str {
        Profile::ALL.iter().find(|(_, p)| *p == self).map_or("default", |(n, _)| n)
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub leads: u64,
    /// Event rows, re-sent duplicates included.
    pub events: u64,
    pub accounts: u64,
    /// Opportunities.
    pub outcomes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write CSV to {path}: {source}")]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
}

/// The files [`generate`] writes, in `out_dir`.
pub const FILES: [&str; 4] = ["leads.csv", "events.csv", "accounts.csv", "outcomes.csv"];

/// The demo's fixed "now": 2026-06-30T12:00:00Z.
pub fn default_as_of() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_782_820_800).expect("valid timestamp")
}

struct Out {
    path: PathBuf,
    w: BufWriter<File>,
}

impl Out {
    fn create(dir: &Path, name: &str) -> Result<Out, GenerateError> {
        let path = dir.join(name);
        let f = File::create(&path).map_err(|source| GenerateError::Io { path: path.clone(), source })?;
        Ok(Out { path, w: BufWriter::with_capacity(1 << 20, f) })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), GenerateError> {
        self.w.write_all(bytes).map_err(|source| GenerateError::Io { path: self.path.clone(), source })
    }

    fn header(&mut self, cols: &[&str]) -> Result<(), GenerateError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(cols).map_err(|source| GenerateError::Csv { path: self.path.clone(), source })?;
        let bytes = w.into_inner().map_err(|e| GenerateError::Io { path: self.path.clone(), source: e.into_error() })?;
        self.write(&bytes)
    }

    fn finish(mut self) -> Result<(), GenerateError> {
        self.w.flush().map_err(|source| GenerateError::Io { path: self.path.clone(), source })
    }
}

/// Writes leads.csv, events.csv, accounts.csv and outcomes.csv into `out_dir` (created if
/// missing). `progress` is called now and then with the number of leads generated so far.
pub fn generate(opts: &GenerateOptions, out_dir: &Path, progress: &mut dyn FnMut(u64)) -> Result<Summary, GenerateError> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    generate_with_workers(opts, out_dir, progress, workers)
}

/// [`generate`] with an explicit number of worker threads (1 = everything on the calling
/// thread). The output does not depend on it; this exists for tests and benchmarks.
#[doc(hidden)]
pub fn generate_with_workers(
    opts: &GenerateOptions,
    out_dir: &Path,
    progress: &mut dyn FnMut(u64),
    workers: usize,
) -> Result<Summary, GenerateError> {
    let workers = workers.max(1) as u64;
    std::fs::create_dir_all(out_dir).map_err(|source| GenerateError::Io { path: out_dir.to_path_buf(), source })?;
    let as_of = opts.as_of.as_second();
    let world = world::World::new(opts.seed, as_of, opts.leads);

    let mut accounts = Out::create(out_dir, "accounts.csv")?;
    accounts.header(&r#gen::ACCOUNT_HEADER)?;
    let rows = r#gen::account_rows(&world).map_err(|source| GenerateError::Csv { path: accounts.path.clone(), source })?;
    accounts.write(&rows)?;
    drop(rows);
    accounts.finish()?;

    let mut leads = Out::create(out_dir, "leads.csv")?;
    let mut events = Out::create(out_dir, "events.csv")?;
    let mut outcomes = Out::create(out_dir, "outcomes.csv")?;
    leads.header(&r#gen::LEAD_HEADER)?;
    events.header(&r#gen::EVENT_HEADER)?;
    outcomes.header(&r#gen::OUTCOME_HEADER)?;

    let mut summary = Summary { accounts: world.accounts.len() as u64, ..Summary::default() };
    let total = opts.leads as u64;
    let n_chunks = total.div_ceil(r#gen::CHUNK);
    let chunk_args = |c: u64| (c * r#gen::CHUNK, r#gen::CHUNK.min(total - c * r#gen::CHUNK));
    let tag = |(file, source): GenErr| GenerateError::Csv { path: out_dir.join(file), source };

    let mut write_chunk = |chunk: Chunk, summary: &mut Summary| -> Result<(), GenerateError> {
        leads.write(&chunk.leads)?;
        events.write(&chunk.events)?;
        outcomes.write(&chunk.outcomes)?;
        summary.leads += chunk.n_leads;
        summary.events += chunk.n_events;
        summary.outcomes += chunk.n_outcomes;
        progress(summary.leads);
        Ok(())
    };

    if workers <= 1 || n_chunks <= 1 {
        for c in 0..n_chunks {
            let (first, count) = chunk_args(c);
            let chunk = r#gen::chunk(&world, opts.seed, opts.profile, c, first, count).map_err(tag)?;
            write_chunk(chunk, &mut summary)?;
        }
    } else {
        // Workers generate chunks in any order; this thread writes them in order. The channel
        // bound keeps at most a few chunks in memory.
        let next = AtomicU64::new(0);
        let result = std::thread::scope(|s| -> Result<(), GenerateError> {
            let (tx, rx) = mpsc::sync_channel::<(u64, Result<Chunk, GenErr>)>(workers as usize);
            for _ in 0..workers.min(n_chunks) {
                let tx = tx.clone();
                let (next, world, seed, profile) = (&next, &world, opts.seed, opts.profile);
                s.spawn(move || {
                    loop {
                        let c = next.fetch_add(1, Ordering::Relaxed);
                        if c >= n_chunks {
                            break;
                        }
                        let (first, count) = chunk_args(c);
                        let r = r#gen::chunk(world, seed, profile, c, first, count);
                        if tx.send((c, r)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            let mut pending: BTreeMap<u64, Result<Chunk, GenErr>> = BTreeMap::new();
            let mut want = 0u64;
            for (c, r) in rx {
                pending.insert(c, r);
                while let Some(r) = pending.remove(&want) {
                    let res = r.map_err(tag).and_then(|chunk| write_chunk(chunk, &mut summary));
                    if let Err(e) = res {
                        // Stop the workers: they see `next` exhausted after their current chunk.
                        next.store(n_chunks, Ordering::Relaxed);
                        return Err(e);
                    }
                    want += 1;
                }
            }
            Ok(())
        });
        result?;
    }
    leads.finish()?;
    events.finish()?;
    outcomes.finish()?;
    Ok(summary)
}
