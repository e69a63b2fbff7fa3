//! One chunk of leads: their rows, their events and their opportunities, rendered as CSV bytes.
//!
//! A chunk depends only on the seed, its number and the (read-only) world, so chunks can be
//! generated in any order or in parallel and the concatenated output is always the same.

use std::fmt::Write as _;

use crate::Profile;
use crate::data::{self, COUNTRIES, Culture, INDUSTRIES, Seniority, TOOLS};
use crate::fmt as tf;
use crate::phone::{self, PhoneStyle};
use crate::rng::{R, sigmoid};
use crate::world::{self, DAY, World};

const HOUR: i64 = 3600;
const MIN: i64 = 60;

/// Leads per chunk.
pub(crate) const CHUNK: u64 = 4096;
/// How far back a duplicate may look for its original (within the chunk).
const RING: usize = 256;
/// At most this many events per lead (event ids reserve 12 bits for the sequence).
const MAX_EVENTS: usize = 4000;

// Lead columns, in header order.
pub(crate) const LEAD_HEADER: [&str; 25] = [
    "lead_id",
    "email",
    "first_name",
    "last_name",
    "title",
    "company",
    "domain",
    "account_id",
    "industry",
    "employees",
    "annual_revenue",
    "country",
    "phone",
    "phone_verified",
    "consent",
    "consent_at",
    "source",
    "campaign",
    "created_at",
    "tech_stack",
    "use_case",
    "budget_owner",
    "timeline_days",
    "contract_end",
    "honeypot",
];
pub(crate) const EVENT_HEADER: [&str; 6] = ["event_id", "lead_id", "type", "occurred_at", "url", "properties"];
pub(crate) const ACCOUNT_HEADER: [&str; 8] = ["account_id", "name", "domain", "industry", "employees", "country", "owner", "tier"];
pub(crate) const OUTCOME_HEADER: [&str; 8] =
    ["opportunity_id", "lead_id", "account_id", "created_at", "closed_at", "status", "amount", "loss_reason"];

const ID: usize = 0;
const EMAIL: usize = 1;
const FIRST: usize = 2;
const LAST: usize = 3;
const TITLE: usize = 4;
const COMPANY: usize = 5;
const DOMAIN: usize = 6;
const ACCOUNT: usize = 7;
const INDUSTRY: usize = 8;
const EMPLOYEES: usize = 9;
const REVENUE: usize = 10;
const COUNTRY: usize = 11;
const PHONE: usize = 12;
const PHONE_VERIFIED: usize = 13;
const CONSENT: usize = 14;
const CONSENT_AT: usize = 15;
const SOURCE: usize = 16;
const CAMPAIGN: usize = 17;
const CREATED: usize = 18;
const TECH: usize = 19;
const USE_CASE: usize = 20;
const BUDGET: usize = 21;
const TIMELINE: usize = 22;
const CONTRACT_END: usize = 23;
const HONEYPOT: usize = 24;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
enum Mail {
    Corporate,
    Free,
    Disposable,
    Invalid,
    #[default]
    Missing,
    Competitor,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
enum Tier {
    #[default]
    Dormant,
    Light,
    Active,
    Engaged,
}

/// A lead: its rendered row plus the latent traits the rest of the story is drawn from.
#[derive(Clone, Default)]
struct Lead {
    f: [String; 25],
    idx: u64,
    account: Option<u32>,
    mail: Mail,
    /// Folded first and last name, for e-mail local parts.
    first_fold: String,
    last_fold: String,
    /// The e-mail domain (corporate, free-mail, disposable), empty when none.
    mail_domain: String,
    bot: bool,
    dup: bool,
    created: i64,
    seniority: Seniority,
    student: bool,
    job_seeker: bool,
    in_market: bool,
    center: i64,
    tier: Tier,
    /// Corporate address of someone who has left: mail to it bounces.
    decayed: bool,
    budget_owner: Option<bool>,
    timeline: Option<u32>,
    contract_end: Option<i64>,
    genuine_use_case: bool,
    icp_tech: bool,
    icp_industry: bool,
    icp_geo: bool,
    employees: u32,
    source: &'static str,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum K {
    PageView,
    FormSubmit,
    ContentDownload,
    WebinarAttended,
    EventAttended,
    DemoRequest,
    TrialStarted,
    IntentSurge,
    EmailOpen,
    EmailClick,
    EmailReply,
    EmailBounce,
    MeetingBooked,
    FeatureUsed,
    TeammateInvited,
    SalesTouch,
}

impl K {
    fn name(self) -> &'static str {
        match self {
            K::PageView => "page_view",
            K::FormSubmit => "form_submit",
            K::ContentDownload => "content_download",
            K::WebinarAttended => "webinar_attended",
            K::EventAttended => "event_attended",
            K::DemoRequest => "demo_request",
            K::TrialStarted => "trial_started",
            K::IntentSurge => "intent_surge",
            K::EmailOpen => "email_open",
            K::EmailClick => "email_click",
            K::EmailReply => "email_reply",
            K::EmailBounce => "email_bounce",
            K::MeetingBooked => "meeting_booked",
            K::FeatureUsed => "feature_used",
            K::TeammateInvited => "teammate_invited",
            K::SalesTouch => "sales_touch",
        }
    }

    fn engagement(self) -> bool {
        !matches!(self, K::EmailOpen | K::EmailBounce | K::IntentSurge | K::SalesTouch)
    }
}

#[derive(Clone, Copy)]
enum P {
    None,
    S(&'static str),
    Webinar(u8, u8),
    Intent(u8, u8),
    Touch(u8, u8),
    Meeting(u8),
    Email(u8),
    Teammate(u8),
}

#[derive(Clone, Copy)]
struct Ev {
    t: i64,
    k: K,
    path: &'static str,
    query: &'static str,
    job: u16,
    p: P,
}

impl Ev {
    fn new(t: i64, k: K, p: P) -> Ev {
        Ev { t, k, path: "", query: "", job: 0, p }
    }
}

/// What the events say about the lead (input to the hidden propensity).
#[derive(Default)]
struct Signals {
    demo: bool,
    trial: bool,
    meeting: bool,
    reply: bool,
    pricing_30d: bool,
    surge_30d: bool,
    high_intent_pages: u32,
    features: u32,
    teammate: bool,
    webinar_follow_up: bool,
    careers: bool,
    bounced: bool,
    /// Latest demo/trial/meeting/reply, 0 when none.
    key_time: i64,
    engaged_30d: bool,
}

pub(crate) struct Chunk {
    pub leads: Vec<u8>,
    pub events: Vec<u8>,
    pub outcomes: Vec<u8>,
    pub n_leads: u64,
    pub n_events: u64,
    pub n_outcomes: u64,
}

struct Gen<'w> {
    w: &'w World,
    rng: R,
    ring: Vec<Lead>,
    evs: Vec<Ev>,
    resend: Vec<usize>,
    leads: csv::Writer<Vec<u8>>,
    events: csv::Writer<Vec<u8>>,
    outcomes: csv::Writer<Vec<u8>>,
    id: Vec<u8>,
    url: Vec<u8>,
    props: Vec<u8>,
    row: [String; 8],
    n_events: u64,
    n_outcomes: u64,
    webinar_follow_up: bool,
    profile: Profile,
}

fn writer(cap: usize) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().has_headers(false).from_writer(Vec::with_capacity(cap))
}

fn into_bytes(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, csv::Error> {
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Generates leads `first .. first + count` (chunk number `chunk`).
/// A failed write inside a chunk: the file it was for, and the error.
pub(crate) type GenErr = (&'static str, csv::Error);

pub(crate) fn chunk(w: &World, seed: u64, profile: Profile, chunk: u64, first: u64, count: u64) -> Result<Chunk, GenErr> {
    let mut g = Gen {
        w,
        rng: R::new(seed, 1 + chunk),
        ring: vec![Lead::default(); RING],
        evs: Vec::with_capacity(256),
        resend: Vec::new(),
        leads: writer(count as usize * 330),
        events: writer(count as usize * 1100),
        outcomes: writer(count as usize * 12),
        id: Vec::with_capacity(16),
        url: Vec::with_capacity(128),
        props: Vec::with_capacity(128),
        row: Default::default(),
        n_events: 0,
        n_outcomes: 0,
        webinar_follow_up: false,
        profile,
    };
    for pos in 0..count as usize {
        g.one(first + pos as u64, pos)?;
    }
    Ok(Chunk {
        n_leads: count,
        n_events: g.n_events,
        n_outcomes: g.n_outcomes,
        leads: into_bytes(g.leads).map_err(|e| ("leads.csv", e))?,
        events: into_bytes(g.events).map_err(|e| ("events.csv", e))?,
        outcomes: into_bytes(g.outcomes).map_err(|e| ("outcomes.csv", e))?,
    })
}

fn lower_in_place(s: &mut String) {
    let l = s.to_lowercase();
    s.clear();
    s.push_str(&l);
}

impl Gen<'_> {
    fn one(&mut self, idx: u64, pos: usize) -> Result<(), GenErr> {
        let slot = pos % RING;
        let mut lead = std::mem::take(&mut self.ring[slot]);
        let mut made = false;
        if pos > 0 && self.rng.chance(0.03) {
            let back = 1 + self.rng.below(pos.min(RING - 1) as u32) as usize;
            let j = (pos - back) % RING;
            if !self.ring[j].bot && self.ring[j].mail != Mail::Competitor {
                let orig = self.ring[j].clone();
                made = self.duplicate(&mut lead, &orig, idx);
            }
        }
        if !made {
            self.fresh(&mut lead, idx);
            if self.profile == Profile::CrmExport {
                self.crm_export(&mut lead);
            }
        }
        self.leads.write_record(lead.f.iter()).map_err(|e| ("leads.csv", e))?;
        let sig = self.events(&lead)?;
        self.outcome(&lead, &sig)?;
        self.ring[slot] = lead;
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Lead rows

    fn fresh(&mut self, l: &mut Lead, idx: u64) {
        let w = self.w;
        let as_of = w.as_of;
        for s in l.f.iter_mut() {
            s.clear();
        }
        l.idx = idx;
        l.dup = false;
        l.decayed = false;
        l.mail_domain.clear();
        let _ = write!(l.f[ID], "L{:07}", idx + 1);
        // Leads arrive over the past year, a little more often recently (growth).
        let year = 365 * DAY;
        l.created = (as_of - year + (year as f64 * libm::pow(self.rng.f(), 0.8)) as i64).min(as_of - MIN);
        tf::push_ts(&mut l.f[CREATED], l.created);

        let r = self.rng.f();
        l.bot = r < 0.01;
        let competitor = !l.bot && r < 0.013;
        l.mail = if l.bot {
            match self.rng.below(10) {
                0..6 => Mail::Disposable,
                6..8 => Mail::Free,
                8 => Mail::Invalid,
                _ => Mail::Missing,
            }
        } else if competitor {
            Mail::Competitor
        } else {
            match self.rng.below(1000) {
                0..700 => Mail::Corporate,
                700..880 => Mail::Free,
                880..890 => Mail::Disposable,
                890..920 => Mail::Invalid,
                _ => Mail::Missing,
            }
        };

        // Seniority first: students mostly write from personal addresses.
        l.seniority = if l.bot { Seniority::Other } else { self.rng.weighted(data::SENIORITY_WEIGHTS) };
        l.student = l.seniority == Seniority::Student;
        if l.student && l.mail == Mail::Corporate && self.rng.chance(0.7) {
            l.mail = Mail::Free;
        }
        l.job_seeker = !l.bot
            && (l.student && self.rng.chance(0.5) || l.seniority == Seniority::Other && self.rng.chance(0.3) || self.rng.chance(0.02));

        // The company.
        let has_company = match l.mail {
            Mail::Corporate => true,
            Mail::Competitor | Mail::Disposable => false,
            _ if l.bot => false,
            _ => self.rng.chance(0.35),
        };
        l.account = if has_company { w.pick_account(&mut self.rng) } else { None };
        let acct = l.account.map(|a| &w.accounts[a as usize]);
        if l.account.is_none() && l.mail == Mail::Corporate {
            l.mail = Mail::Free; // no world (0 leads); cannot happen for N > 0
        }
        let country = match acct {
            Some(a) if self.rng.chance(0.92) => a.country,
            _ => world::pick_country(&mut self.rng),
        };
        let c = &COUNTRIES[country as usize];
        l.icp_geo = c.icp;

        // Latent intent: a buying project at the company (now or months ago) makes its people
        // in-market around the project's moment; a few others are in-market on their own.
        let senior = l.seniority >= Seniority::Director;
        let eligible = !l.bot && l.mail != Mail::Competitor && !l.student;
        let project = acct.filter(|a| a.in_market && a.center >= l.created - 15 * DAY);
        l.in_market = eligible
            && self.rng.chance(match project {
                Some(_) if senior => 0.7,
                Some(_) => 0.55,
                None => 0.05,
            });
        l.center = match project {
            Some(a) if l.in_market => (a.center + self.rng.int(-5 * DAY, 5 * DAY)).min(as_of - HOUR),
            _ if self.rng.chance(0.5) => as_of - self.rng.int(DAY, 85 * DAY),
            _ => as_of - self.rng.int(95 * DAY, 330 * DAY),
        };
        if l.center < l.created {
            l.center = l.created + ((as_of - l.created) as f64 * (0.1 + 0.5 * self.rng.f())) as i64;
        }
        // Buying projects are run by senior people: in-market leads skew senior.
        if l.in_market && !senior && self.rng.chance(0.3) {
            l.seniority = self.rng.weighted(&[(Seniority::Director, 5), (Seniority::Vp, 3), (Seniority::CLevel, 2)]);
        }

        // The person.
        if l.bot {
            let (f, s) = self.rng.pick(data::GIBBERISH);
            l.f[FIRST].push_str(f);
            l.f[LAST].push_str(s);
        } else {
            let culture: Culture = self.rng.weighted(c.cultures);
            let pool = data::names(culture);
            l.f[FIRST].push_str(self.rng.pick(pool.first));
            l.f[LAST].push_str(self.rng.pick(pool.last));
        }
        l.first_fold.clear();
        l.last_fold.clear();
        tf::fold_ascii(&mut l.first_fold, &l.f[FIRST]);
        tf::fold_ascii(&mut l.last_fold, &l.f[LAST]);
        if !l.bot {
            match self.rng.below(100) {
                0..3 => {
                    lower_in_place(&mut l.f[FIRST]);
                    lower_in_place(&mut l.f[LAST]);
                }
                3..5 => {
                    let u = l.f[LAST].to_uppercase();
                    l.f[LAST] = u;
                }
                5 => l.f[LAST].clear(),
                _ => {}
            }
        }
        if l.bot {
            if self.rng.chance(0.5) {
                l.f[TITLE].push_str(self.rng.pick(&["asdf", "test", "", "x", "CEO", "qwerty"]));
            }
        } else {
            let t = self.rng.pick(data::titles(l.seniority));
            l.f[TITLE].push_str(t);
            if self.rng.chance(0.04) {
                lower_in_place(&mut l.f[TITLE]);
            }
        }

        // E-mail.
        match l.mail {
            Mail::Corporate => {
                let a = acct.expect("corporate leads have a company");
                l.mail_domain.push_str(&a.domain);
                l.decayed = self.rng.chance(0.04);
                let pattern = self.rng.below(100);
                corporate_local(&mut l.f[EMAIL], &l.first_fold, &l.last_fold, pattern);
                l.f[EMAIL].push('@');
                l.f[EMAIL].push_str(&a.domain);
                if self.rng.chance(0.04) {
                    capitalise_email(&mut l.f[EMAIL]);
                }
            }
            Mail::Competitor => {
                let (name, dom) = self.rng.pick(data::COMPETITORS);
                l.mail_domain.push_str(dom);
                corporate_local(&mut l.f[EMAIL], &l.first_fold, &l.last_fold, self.rng.below(100));
                l.f[EMAIL].push('@');
                l.f[EMAIL].push_str(dom);
                l.f[COMPANY].push_str(name);
                if self.rng.chance(0.5) {
                    l.f[DOMAIN].push_str(dom);
                }
            }
            Mail::Free | Mail::Disposable => {
                let dom: &'static str = if l.mail == Mail::Disposable {
                    self.rng.pick(data::DISPOSABLE)
                } else if !c.freemail.is_empty() && self.rng.chance(0.2) {
                    self.rng.pick(c.freemail)
                } else {
                    self.rng.weighted(data::GLOBAL_FREEMAIL)
                };
                l.mail_domain.push_str(dom);
                if l.bot || l.first_fold.is_empty() {
                    for _ in 0..self.rng.int(5, 10) {
                        l.f[EMAIL].push((b'a' + self.rng.below(26) as u8) as char);
                    }
                    let _ = write!(l.f[EMAIL], "{}", self.rng.int(1, 999));
                } else {
                    self.personal_local(l);
                }
                l.f[EMAIL].push('@');
                l.f[EMAIL].push_str(dom);
                if self.rng.chance(0.06) {
                    capitalise_email(&mut l.f[EMAIL]);
                }
            }
            Mail::Invalid => {
                let dom = acct.map(|a| a.domain.as_str()).unwrap_or("gmail.com");
                let (fi, la) = (&l.first_fold, &l.last_fold);
                let e = &mut l.f[EMAIL];
                match self.rng.below(8) {
                    0 => {
                        let _ = write!(e, "{fi}.{la}@");
                    }
                    1 => {
                        let _ = write!(e, "{fi} at {dom}");
                    }
                    2 => e.push_str("x@y"),
                    3 => {
                        let stem = dom.split('.').next().unwrap_or(dom);
                        let _ = write!(e, "{fi}.{la}@{stem}");
                    }
                    4 => {
                        let _ = write!(e, "{fi}@@{dom}");
                    }
                    5 => {
                        let _ = write!(e, "{fi}.{la}{dom}");
                    }
                    6 => {
                        let _ = write!(e, "@{dom}");
                    }
                    _ => {
                        let _ = write!(e, "{fi}.{la}@{}", dom.replace('.', ","));
                    }
                }
            }
            Mail::Missing => {}
        }

        // Company fields as the lead typed them (copied from the company, with noise).
        if let Some(a) = acct {
            let corporate = l.mail == Mail::Corporate;
            let ind = &INDUSTRIES[a.industry as usize];
            match self.rng.below(100) {
                0..60 => l.f[COMPANY].push_str(&a.short),
                60..85 => l.f[COMPANY].push_str(&a.name),
                85..90 => {
                    l.f[COMPANY].push_str(&a.short);
                    lower_in_place(&mut l.f[COMPANY]);
                }
                90..93 => l.f[COMPANY].push_str(a.short.split(' ').next().unwrap_or(&a.short)),
                _ => {}
            }
            if self.rng.chance(if corporate { 0.7 } else { 0.3 }) {
                match self.rng.below(100) {
                    0..5 => l.f[DOMAIN].push_str("www."),
                    5..7 => l.f[DOMAIN].push_str("https://"),
                    _ => {}
                }
                l.f[DOMAIN].push_str(&a.domain);
            }
            if self.rng.chance(if corporate { 0.6 } else { 0.2 }) {
                l.f[ACCOUNT].push_str(&a.id);
            }
            match self.rng.below(100) {
                0..15 => {}
                15..20 => l.f[INDUSTRY].push_str(self.rng.pick(ind.variants)),
                _ => l.f[INDUSTRY].push_str(ind.name),
            }
            match self.rng.below(100) {
                0..25 => {}
                25..35 => {
                    let band = [10u32, 50, 100, 250, 500, 1000, 5000, 10000, 50000];
                    let b = band.iter().copied().find(|&b| b >= a.employees).unwrap_or(50000);
                    let _ = write!(l.f[EMPLOYEES], "{b}");
                }
                35..40 => {
                    let noisy = (a.employees as f64 * (0.8 + 0.4 * self.rng.f())).round().max(1.0);
                    let _ = write!(l.f[EMPLOYEES], "{noisy}");
                }
                _ => {
                    let _ = write!(l.f[EMPLOYEES], "{}", a.employees);
                }
            }
            if self.rng.chance(0.55) {
                let rev = (a.revenue as f64 * (0.85 + 0.3 * self.rng.f()) / 100_000.0).round() as u64 * 100_000;
                let _ = write!(l.f[REVENUE], "{}", rev.max(100_000));
            }
            l.employees = a.employees;
            l.icp_industry = ind.icp;
        } else {
            l.icp_industry = false;
            l.employees = 0;
            if l.f[COMPANY].is_empty() && !l.bot {
                match self.rng.below(100) {
                    0..45 => {}
                    45..65 => l.f[COMPANY].push_str(self.rng.pick(&[
                        "Freelance",
                        "Self-employed",
                        "N/A",
                        "none",
                        "Student",
                        "University",
                        "Personal",
                        "-",
                    ])),
                    _ => {
                        let _ = write!(
                            l.f[COMPANY],
                            "{} {}",
                            self.rng.pick(data::BRAND_WORDS),
                            self.rng.pick(&["Consulting", "Studio", "Bakery", "Design", "Agency", "Solutions"])
                        );
                        l.employees = self.rng.int(1, 30) as u32;
                        if self.rng.chance(0.4) {
                            let _ = write!(l.f[EMPLOYEES], "{}", l.employees);
                        }
                    }
                }
            } else if l.bot && self.rng.chance(0.5) {
                l.f[COMPANY].push_str(self.rng.pick(&["asdf", "test", "xxx", "Company"]));
            }
        }

        // Country as typed.
        match self.rng.below(100) {
            0..80 => l.f[COUNTRY].push_str(c.code),
            80..91 => l.f[COUNTRY].push_str(self.rng.pick(c.names)),
            91 => l.f[COUNTRY].push_str(&c.code.to_ascii_lowercase()),
            _ => {}
        }

        // Phone.
        match self.rng.below(100) {
            0..30 => {}
            30..40 => phone::invalid(&mut l.f[PHONE], &mut self.rng),
            _ => {
                let style = match self.rng.below(100) {
                    0..35 => PhoneStyle::E164Spaced,
                    35..60 => PhoneStyle::E164,
                    _ => PhoneStyle::National,
                };
                phone::valid(&mut l.f[PHONE], &mut self.rng, c.code, style);
                if self.rng.chance(0.25) {
                    l.f[PHONE_VERIFIED].push_str("true");
                }
            }
        }
        if l.f[PHONE_VERIFIED].is_empty() && self.rng.chance(0.85) {
            l.f[PHONE_VERIFIED].push_str("false");
        }

        // Consent.
        match self.rng.below(100) {
            0..60 => {
                l.f[CONSENT].push_str("true");
                let at = if self.rng.chance(0.8) { l.created } else { (l.created + self.rng.int(MIN, 30 * DAY)).min(as_of) };
                tf::push_ts(&mut l.f[CONSENT_AT], at);
            }
            60..90 => l.f[CONSENT].push_str("false"),
            _ => {}
        }

        // Where the lead came from.
        l.source = if l.bot {
            self.rng.weighted(&[("organic", 5), ("paid_social", 3), ("paid_search", 2)])
        } else {
            self.rng.weighted(data::SOURCES)
        };
        l.f[SOURCE].push_str(l.source);
        if self.rng.chance(0.8) {
            l.f[CAMPAIGN].push_str(self.rng.pick(data::campaigns(l.source)));
        }

        l.tier = if l.bot {
            Tier::Light
        } else if l.mail == Mail::Competitor {
            Tier::Active
        } else {
            let w: &[(Tier, u32)] = if l.in_market {
                &[(Tier::Dormant, 5), (Tier::Light, 15), (Tier::Active, 35), (Tier::Engaged, 45)]
            } else if l.student || l.job_seeker {
                &[(Tier::Dormant, 50), (Tier::Light, 40), (Tier::Active, 10)]
            } else {
                &[(Tier::Dormant, 42), (Tier::Light, 37), (Tier::Active, 16), (Tier::Engaged, 5)]
            };
            self.rng.weighted(w)
        };

        // Tech stack (the company's, as far as the lead knows it).
        l.icp_tech = false;
        if !l.bot && self.rng.chance(if l.in_market { 0.7 } else { 0.45 }) {
            let set = match acct {
                Some(a) if a.tech != 0 && self.rng.chance(0.8) => a.tech,
                _ => {
                    let n = 1 + self.rng.below(2);
                    world::pick_tools(&mut self.rng, n, false)
                }
            };
            for (i, t) in TOOLS.iter().enumerate() {
                if set & (1 << i) != 0 {
                    if !l.f[TECH].is_empty() {
                        l.f[TECH].push(';');
                    }
                    l.f[TECH].push_str(t.name);
                    l.icp_tech |= t.icp;
                }
            }
        } else if let Some(a) = acct {
            l.icp_tech = a.icp_tech(); // true but unknown to the CRM
        }

        // Use case, as typed.
        l.genuine_use_case = false;
        if !l.bot && self.rng.chance(if l.in_market { 0.7 } else { 0.45 }) {
            let want = self.rng.chance(if l.in_market {
                0.65
            } else if l.student || l.job_seeker {
                0.05
            } else {
                0.3
            });
            let (text, genuine) = loop {
                let u = self.rng.pick(data::USE_CASES);
                if u.1 == want {
                    break u;
                }
            };
            l.f[USE_CASE].push_str(text);
            l.genuine_use_case = genuine;
        } else if l.bot && self.rng.chance(0.3) {
            l.f[USE_CASE].push_str(self.rng.pick(&["asdf", "test test", "Great site!!! visit http://spam.example"]));
        }

        // Budget, timeline, renewal.
        l.budget_owner = if !l.bot && self.rng.chance(if l.in_market { 0.7 } else { 0.45 }) {
            let p = match l.seniority {
                Seniority::CLevel => 0.75,
                Seniority::Vp => 0.55,
                Seniority::Director => 0.4,
                Seniority::Manager => 0.15,
                Seniority::Student => 0.01,
                _ => 0.04,
            };
            Some(self.rng.chance(p))
        } else {
            None
        };
        if let Some(b) = l.budget_owner {
            l.f[BUDGET].push_str(if b { "true" } else { "false" });
        }
        l.timeline = if !l.bot && self.rng.chance(if l.in_market { 0.65 } else { 0.22 }) {
            Some(if l.in_market && self.rng.chance(0.7) {
                self.rng.pick(&[14u32, 30, 30, 45, 60, 60, 90, 90])
            } else if self.rng.chance(0.6) {
                self.rng.pick(&[30u32, 90, 120, 180, 180, 270, 365])
            } else {
                self.rng.int(7, 365) as u32
            })
        } else {
            None
        };
        if let Some(t) = l.timeline {
            let _ = write!(l.f[TIMELINE], "{t}");
        }
        l.contract_end = if !l.bot && self.rng.chance(if l.in_market { 0.4 } else { 0.2 }) {
            let d = if l.in_market && self.rng.chance(0.6) { self.rng.int(10, 200) } else { self.rng.int(-365, 540) };
            Some(as_of + d * DAY)
        } else {
            None
        };
        if let Some(t) = l.contract_end {
            tf::push_date(&mut l.f[CONTRACT_END], t);
        }

        // The hidden form field only bots fill.
        if l.bot && self.rng.chance(0.8) {
            l.f[HONEYPOT].push_str(self.rng.pick(data::HONEYPOT));
        }
    }

    /// Rewrites a fresh lead's fields the way a CRM export holds them (see
    /// [`Profile::CrmExport`]). The latent traits (seniority, in-market, ICP membership) stay,
    /// so the outcomes still follow them.
    fn crm_export(&mut self, l: &mut Lead) {
        let w = self.w;
        // Pools sized from the number of companies (one per eight leads): about 1.07 times the
        // leads' count of company names and 0.42 of domains, of which a draw per lead with a
        // company leaves about 155,000 and 105,000 distinct per 300,000 leads.
        let companies = w.accounts.len().max(1);
        let acct = l.account.map(|a| &w.accounts[a as usize]);
        // Bots keep their gibberish last names (and so their spam verdicts).
        l.f[FIRST].clear();
        l.f[FIRST].push_str(self.rng.pick(data::CRM_FIRST_NAMES));
        if !l.f[TITLE].is_empty() {
            let pool: &[&str] = match l.seniority {
                _ if l.bot => data::CRM_TITLES,
                Seniority::CLevel => &data::CRM_TITLES[0..4],
                Seniority::Vp => &data::CRM_TITLES[4..6],
                Seniority::Director => &data::CRM_TITLES[6..9],
                Seniority::Manager => &data::CRM_TITLES[9..13],
                Seniority::Individual => &data::CRM_TITLES[13..18],
                Seniority::Student => &data::CRM_TITLES[18..20],
                Seniority::Other => &data::CRM_TITLES[20..21],
            };
            l.f[TITLE].clear();
            l.f[TITLE].push_str(self.rng.pick(pool));
        }
        if !l.f[COMPANY].is_empty() && acct.is_some() {
            let k = self.rng.below((companies * 17 / 2).min(u32::MAX as usize) as u32) as usize;
            let (nb, ns) = (data::BRAND_WORDS.len(), data::CRM_COMPANY_SUFFIXES.len());
            l.f[COMPANY].clear();
            let _ =
                write!(l.f[COMPANY], "{} {} {}", data::BRAND_WORDS[k % nb], data::CRM_COMPANY_SUFFIXES[(k / nb) % ns], k / (nb * ns) + 1);
        }
        if let Some(a) = acct {
            let k = self.rng.below((companies * 10 / 3).max(1).min(u32::MAX as usize) as u32) as usize;
            let brand = data::BRAND_WORDS[k % data::BRAND_WORDS.len()].to_ascii_lowercase();
            let tlds = ["com", "com", "com", "io", "net", "co.uk", "de", "com.au", "fr"];
            let tld = tlds[(k / 7) % tlds.len()];
            let domain = format!("{brand}{k}.{tld}");
            if l.mail == Mail::Corporate
                && let Some(at) = l.f[EMAIL].find('@')
            {
                l.f[EMAIL].truncate(at + 1);
                l.f[EMAIL].push_str(&domain);
                l.mail_domain.clear();
                l.mail_domain.push_str(&domain);
            }
            l.f[DOMAIN].clear();
            match self.rng.below(100) {
                0..40 => l.f[DOMAIN].push_str(&domain),
                40..60 => {
                    let _ = write!(l.f[DOMAIN], "www.{domain}");
                }
                60..75 => {
                    let _ = write!(l.f[DOMAIN], "https://www.{domain}/");
                }
                75..85 => {
                    let _ = write!(l.f[DOMAIN], "http://{domain}");
                }
                85..90 => {
                    let _ = write!(l.f[DOMAIN], "{}{}", brand[..1].to_ascii_uppercase(), &domain[1..]);
                }
                _ => {
                    let _ = write!(l.f[DOMAIN], "https://{domain}/about?utm_source=crm");
                }
            }
            l.f[ACCOUNT].clear();
            l.f[ACCOUNT].push_str(&a.id);
        } else {
            l.f[ACCOUNT].clear();
            let _ = write!(l.f[ACCOUNT], "acc-p{:07}", l.idx + 1);
        }
        if !l.f[INDUSTRY].is_empty() {
            match self.rng.below(100) {
                0..40 => {}
                40..70 => lower_in_place(&mut l.f[INDUSTRY]),
                70..90 => {
                    let u = l.f[INDUSTRY].to_uppercase();
                    l.f[INDUSTRY] = u;
                }
                _ => {
                    let t: String = l.f[INDUSTRY]
                        .split(' ')
                        .map(|w| {
                            let mut c = w.chars();
                            c.next().map_or(String::new(), |f| f.to_lowercase().chain(c.flat_map(char::to_uppercase)).collect())
                        })
                        .collect::<Vec<_>>()
                        .join(" ");
                    l.f[INDUSTRY] = t;
                }
            }
        }
        if !l.f[COUNTRY].is_empty() {
            let code = COUNTRIES.iter().find(|c| c.code.eq_ignore_ascii_case(&l.f[COUNTRY]) || c.names.contains(&l.f[COUNTRY].as_str()));
            if let Some(c) = code {
                l.f[COUNTRY].clear();
                let aliases = data::crm_country_aliases(c.code);
                match self.rng.below(100) {
                    0..30 => l.f[COUNTRY].push_str(c.code),
                    30..45 => l.f[COUNTRY].push_str(&c.code.to_ascii_lowercase()),
                    45..70 => l.f[COUNTRY].push_str(self.rng.pick(c.names)),
                    70..80 => l.f[COUNTRY].push_str(&self.rng.pick(c.names).to_lowercase()),
                    80..85 => l.f[COUNTRY].push_str(&self.rng.pick(c.names).to_uppercase()),
                    _ if !aliases.is_empty() => l.f[COUNTRY].push_str(self.rng.pick(aliases)),
                    _ => l.f[COUNTRY].push_str(c.code),
                }
            }
        }
        if !l.f[PHONE].is_empty() {
            l.f[PHONE].clear();
            l.f[PHONE].push_str(self.rng.pick(data::CRM_PHONES));
        }
        if !l.f[USE_CASE].is_empty() && !l.bot {
            let mut text = std::mem::take(&mut l.f[USE_CASE]);
            let (pre, post) = (self.rng.pick(data::CRM_USE_CASE_LEADS), self.rng.pick(data::CRM_USE_CASE_TAILS));
            if !pre.is_empty() {
                lower_in_place(&mut text);
            }
            let _ = write!(l.f[USE_CASE], "{pre}{text}{post}");
        }
    }

    /// A personal (free-mail) local part: mostly the name with digits, as people pick them
    /// when "first.last" is long taken.
    fn personal_local(&mut self, l: &mut Lead) {
        let (fi, la) = (&l.first_fold, &l.last_fold);
        let e = &mut l.f[EMAIL];
        let la = if la.is_empty() { "x" } else { la.as_str() };
        let f1 = &fi[..1.min(fi.len())];
        let year = self.rng.int(1960, 2006);
        let n = self.rng.int(1, 9999);
        let _ = match self.rng.below(20) {
            0..5 => write!(e, "{fi}.{la}{year}"),
            5..9 => write!(e, "{fi}{la}{n}"),
            9..12 => write!(e, "{f1}{la}{n}"),
            12..14 => write!(e, "{fi}_{la}{:02}", year % 100),
            14..17 => write!(e, "{fi}{}{n}", &la[..la.len().min(3)]),
            17 => write!(e, "{la}.{fi}{:02}", year % 100),
            _ => write!(e, "{fi}.{la}"),
        };
    }

    /// Makes `l` a duplicate of `orig` (same person entered again). Returns false when the
    /// original offers nothing to duplicate on.
    fn duplicate(&mut self, l: &mut Lead, orig: &Lead, idx: u64) -> bool {
        let as_of = self.w.as_of;
        let email = &orig.f[EMAIL];
        let is_gmail = orig.mail_domain == "gmail.com" || orig.mail_domain == "googlemail.com";
        let has_key = !orig.f[ACCOUNT].is_empty() || orig.mail == Mail::Corporate;
        let at = email.find('@');
        let valid_mail = matches!(orig.mail, Mail::Corporate | Mail::Free | Mail::Disposable) && at.is_some();
        // 0: gmail variant, 1: same name in the same account, 2: e-mail in another case.
        let how = if is_gmail && valid_mail && self.rng.chance(0.7) {
            0
        } else if has_key && self.rng.chance(0.5) {
            1
        } else if valid_mail {
            2
        } else if has_key {
            1
        } else {
            return false;
        };
        *l = orig.clone();
        l.idx = idx;
        l.dup = true;
        l.f[ID].clear();
        let _ = write!(l.f[ID], "L{:07}", idx + 1);
        let mut new_email = String::new();
        match how {
            0 => {
                let at = at.expect("valid");
                let orig_local = &email[..at];
                let local: String = orig_local.chars().filter(|&c| c != '.').collect();
                let tagged = self.rng.chance(0.5);
                let dom = if self.rng.chance(0.2) { "googlemail.com" } else { "gmail.com" };
                if tagged || orig_local.contains('.') || local.len() < 2 {
                    // "john.smith" -> "johnsmith" (or kept, with a +tag below).
                    new_email.push_str(if tagged { orig_local } else { &local });
                } else {
                    // "johnsmith" -> "john.smith"
                    let cut = 1 + self.rng.below(local.len() as u32 - 1) as usize;
                    new_email.push_str(&local[..cut]);
                    new_email.push('.');
                    new_email.push_str(&local[cut..]);
                }
                if tagged {
                    new_email.push('+');
                    new_email.push_str(self.rng.pick(&["leadrank", "work", "newsletter", "1"]));
                }
                new_email.push('@');
                new_email.push_str(dom);
                if new_email.eq_ignore_ascii_case(email) {
                    new_email = format!("{}+dup@{dom}", &email[..at]);
                }
            }
            1 => {
                // Another address of the same person in the same account.
                if orig.mail == Mail::Corporate {
                    let mut local = String::new();
                    let old_local = &email[..at.unwrap_or(0)];
                    for _ in 0..4 {
                        local.clear();
                        corporate_local(&mut local, &orig.first_fold, &orig.last_fold, self.rng.below(100));
                        if !local.eq_ignore_ascii_case(old_local) {
                            break;
                        }
                    }
                    if local.eq_ignore_ascii_case(old_local) {
                        local.push_str(".1");
                    }
                    new_email = format!("{local}@{}", orig.mail_domain);
                } else {
                    // Known to the CRM by account id; this time with a personal address.
                    l.f[EMAIL].clear();
                    self.personal_local(l);
                    new_email = std::mem::take(&mut l.f[EMAIL]);
                    new_email.push_str("@gmail.com");
                    l.mail = Mail::Free;
                    l.mail_domain = "gmail.com".to_string();
                }
                if self.rng.chance(0.3) {
                    let u = l.f[FIRST].to_uppercase();
                    l.f[FIRST] = u;
                    let u = l.f[LAST].to_uppercase();
                    l.f[LAST] = u;
                }
            }
            _ => {
                new_email = if email.chars().any(|c| c.is_ascii_uppercase()) {
                    email.to_ascii_lowercase()
                } else {
                    let mut s = email.clone();
                    capitalise_email(&mut s);
                    if &s == email {
                        s = email.to_ascii_uppercase();
                    }
                    s
                };
            }
        }
        l.f[EMAIL] = new_email;
        // Entered again later, through another channel; otherwise the same record.
        l.created = orig.created + self.rng.int(HOUR, 120 * DAY);
        if l.created >= as_of {
            l.created = orig.created + ((as_of - orig.created) as f64 * self.rng.f()) as i64;
        }
        l.f[CREATED].clear();
        tf::push_ts(&mut l.f[CREATED], l.created);
        if !l.f[CONSENT_AT].is_empty() {
            l.f[CONSENT_AT].clear();
            tf::push_ts(&mut l.f[CONSENT_AT], l.created);
        }
        l.source = self.rng.weighted(data::SOURCES);
        l.f[SOURCE].clear();
        l.f[SOURCE].push_str(l.source);
        l.f[CAMPAIGN].clear();
        if self.rng.chance(0.8) {
            l.f[CAMPAIGN].push_str(self.rng.pick(data::campaigns(l.source)));
        }
        if self.rng.chance(0.3) {
            l.f[PHONE].clear();
        }
        if self.rng.chance(0.2) {
            l.f[TITLE].clear();
        }
        l.tier = if self.rng.chance(0.7) { Tier::Dormant } else { Tier::Light };
        l.in_market = l.in_market && self.rng.chance(0.5);
        true
    }

    // -----------------------------------------------------------------------------------
    // Events

    fn push(&mut self, t: i64, k: K, p: P) {
        self.evs.push(Ev::new(t, k, p));
    }

    /// A moment in [lo, hi]: near the lead's in-market moment for in-market leads, else spread
    /// over the lead's life with a lean towards recent times.
    fn when(&mut self, l: &Lead, lo: i64, hi: i64) -> i64 {
        if l.in_market && self.rng.chance(0.8) {
            for _ in 0..3 {
                let t = l.center + (self.rng.normal() * 10.0 * DAY as f64) as i64;
                if t >= lo && t <= hi {
                    return t;
                }
            }
        }
        lo + ((hi - lo) as f64 * self.rng.f()) as i64
    }

    fn page(&mut self, l: &Lead) -> (&'static str, u16) {
        if (l.job_seeker && self.rng.chance(0.5)) || self.rng.chance(0.004) {
            let p = self.rng.pick(data::CAREER_PAGES);
            let job = if p == "/jobs/" { self.rng.int(100, 9999) as u16 } else { 0 };
            return (p, job);
        }
        let hi_p = if l.mail == Mail::Competitor {
            0.6
        } else if l.in_market {
            0.45
        } else {
            0.12
        };
        if self.rng.chance(hi_p) { (self.rng.weighted(data::HIGH_INTENT_PAGES), 0) } else { (self.rng.weighted(data::GENERAL_PAGES), 0) }
    }

    /// A visit: a few page views minutes apart, sometimes ending in a conversion.
    fn session(&mut self, l: &Lead, start: i64, hi: i64) {
        let mut n = 1;
        while n < 8 && self.rng.chance(0.62) {
            n += 1;
        }
        let mut t = start;
        for i in 0..n {
            if t > hi {
                return;
            }
            let (path, job) = self.page(l);
            let query: &'static str = if self.rng.chance(if i == 0 { 0.2 } else { 0.02 }) { self.rng.pick(data::QUERIES) } else { "" };
            let mut path = path;
            if self.rng.chance(0.01) && path.len() > 1 && job == 0 {
                path = match path {
                    "/pricing" => "/pricing/",
                    "/demo" => "/demo/",
                    p => p,
                };
            }
            self.evs.push(Ev { t, k: K::PageView, path, query, job, p: P::None });
            t += self.rng.int(15, 240);
        }
        if t > hi {
            return;
        }
        let has = |evs: &[Ev], k: K| evs.iter().any(|e| e.k == k);
        let r = self.rng.f();
        let (demo_p, trial_p) = if l.in_market { (0.07, 0.05) } else { (0.006, 0.004) };
        if r < demo_p && !has(&self.evs, K::DemoRequest) {
            self.evs.push(Ev { t, k: K::DemoRequest, path: "/demo", query: "", job: 0, p: P::S(r#"{"form":"demo"}"#) });
        } else if r < demo_p + trial_p && !has(&self.evs, K::TrialStarted) {
            let plan = self.rng.pick(&[r#"{"plan":"team"}"#, r#"{"plan":"pro"}"#, r#"{"plan":"free"}"#]);
            self.push(t, K::TrialStarted, P::S(plan));
        } else if r < demo_p + trial_p + 0.08 {
            let a = self.rng.pick(data::ASSETS);
            self.push(t, K::ContentDownload, P::S(a));
        } else if r < demo_p + trial_p + 0.11 {
            let f = self.rng.pick(data::FORMS);
            self.push(t, K::FormSubmit, P::S(f));
        }
    }

    fn email(&mut self, l: &Lead, t: i64, hi: i64, bounces: &mut u32) {
        if matches!(l.mail, Mail::Missing) {
            return;
        }
        if l.mail == Mail::Invalid || l.decayed {
            if *bounces < 2 && self.rng.chance(0.7) {
                *bounces += 1;
                self.push(t, K::EmailBounce, P::S(r#"{"bounce":"hard"}"#));
            }
            return;
        }
        let campaign = self.rng.below(data::EMAIL_CAMPAIGNS.len() as u32) as u8;
        self.push(t, K::EmailOpen, P::Email(campaign));
        let mut t = t;
        if self.rng.chance(0.3) {
            t += self.rng.int(5, 600);
            if t <= hi {
                let (path, job) = self.page(l);
                self.evs.push(Ev {
                    t,
                    k: K::EmailClick,
                    path,
                    query: "?utm_source=newsletter&utm_medium=email",
                    job,
                    p: P::Email(campaign),
                });
                if self.rng.chance(0.5) {
                    let t = t + self.rng.int(1, 30);
                    self.session(l, t, hi);
                }
            }
        }
        let reply_p = if l.in_market && l.seniority >= Seniority::Director {
            0.12
        } else if l.in_market {
            0.06
        } else {
            0.006
        };
        if self.rng.chance(reply_p) {
            let t = t + self.rng.int(10 * MIN, 2 * DAY);
            if t <= hi {
                self.push(t, K::EmailReply, P::Email(campaign));
            }
        }
    }

    fn touches(&mut self, l: &Lead, t: i64, hi: i64) {
        let rep = match l.account.map(|a| self.w.accounts[a as usize].owner) {
            Some(o) if o > 0 => o,
            _ => 1 + self.rng.below(data::OWNERS as u32) as u8,
        };
        let mut t = t;
        for _ in 0..self.rng.int(1, 4) {
            if t > hi {
                break;
            }
            let ch = self.rng.below(3) as u8;
            self.push(t, K::SalesTouch, P::Touch(ch, rep));
            t += self.rng.int(10 * MIN, 3 * DAY);
        }
        let _ = l;
    }

    fn attended(&mut self, l: &Lead, k: K, t: i64, hi: i64) {
        let p = if k == K::WebinarAttended {
            P::Webinar(self.rng.below(data::WEBINARS.len() as u32) as u8, self.rng.int(5, 60) as u8)
        } else {
            P::S(self.rng.pick(data::EVENTS))
        };
        self.push(t, k, p);
        // Engaged people come back within a week.
        let back_p = match l.tier {
            Tier::Engaged => 0.7,
            Tier::Active => 0.45,
            _ => 0.1,
        };
        if self.rng.chance(back_p) {
            let back = t + self.rng.int(2 * HOUR, 6 * DAY + 20 * HOUR);
            if back <= hi {
                self.webinar_follow_up = true;
                self.session(l, back, hi);
            }
        }
    }

    fn bot_events(&mut self, l: &Lead, lo: i64, hi: i64) {
        let bursts = if self.rng.chance(0.85) { if self.rng.chance(0.25) { 2 } else { 1 } } else { 0 };
        for b in 0..bursts {
            let mut t = if b == 0 { lo } else { lo + ((hi - lo) as f64 * self.rng.f()) as i64 };
            let n = self.rng.int(5, 12);
            for _ in 0..n {
                if t > hi {
                    break;
                }
                let f = self.rng.pick(data::FORMS);
                self.push(t, K::FormSubmit, P::S(f));
                t += self.rng.int(1, 6);
            }
        }
        if bursts == 0 {
            self.push(lo, K::FormSubmit, P::S(data::FORMS[0]));
        }
        for _ in 0..self.rng.int(0, 3) {
            let t = (lo + self.rng.int(0, 120)).min(hi);
            let (path, job) = self.page(l);
            self.evs.push(Ev { t, k: K::PageView, path, query: "", job, p: P::None });
        }
    }

    fn events(&mut self, l: &Lead) -> Result<Signals, GenErr> {
        self.evs.clear();
        self.webinar_follow_up = false;
        let as_of = self.w.as_of;
        let (lo, hi) = (l.created, as_of);
        if l.bot {
            self.bot_events(l, lo, hi);
        } else {
            // The form fill that created the lead.
            let inbound = matches!(l.source, "organic" | "paid_search" | "paid_social" | "webinar" | "referral" | "partner" | "");
            if inbound {
                if self.rng.chance(if l.in_market { 0.2 } else { 0.02 }) {
                    self.evs.push(Ev { t: lo, k: K::DemoRequest, path: "/demo", query: "", job: 0, p: P::S(r#"{"form":"demo"}"#) });
                } else if l.source == "webinar" {
                    self.push(lo, K::FormSubmit, P::S(r#"{"form":"webinar-registration"}"#));
                } else {
                    let f = self.rng.pick(data::FORMS);
                    self.push(lo, K::FormSubmit, P::S(f));
                }
            }
            if l.source == "event" && self.rng.chance(0.7) {
                self.attended(l, K::EventAttended, lo, hi);
            }
            if l.source == "webinar" && self.rng.chance(0.6) {
                let t = lo + self.rng.int(DAY, 10 * DAY);
                if t <= hi {
                    self.attended(l, K::WebinarAttended, t, hi);
                }
            }
            let budget = match l.tier {
                Tier::Dormant => self.rng.int(0, 2),
                Tier::Light => self.rng.int(2, 7),
                Tier::Active => self.rng.int(7, 20),
                Tier::Engaged => self.rng.int(20, 60),
            } as usize;
            let owned = l.account.is_some_and(|a| self.w.accounts[a as usize].owner > 0);
            let touch_w = if l.in_market || owned { 5 } else { 1 };
            let email_w = if l.mail == Mail::Missing { 0 } else { 30 };
            let webinar_w = if l.in_market || l.tier == Tier::Engaged { 5 } else { 2 };
            let acts = [(0u8, 56u32), (1, email_w), (2, webinar_w), (3, 1), (4, touch_w)];
            let mut bounces = 0;
            let mut guard = 0;
            while self.evs.len() < budget && guard < 200 {
                guard += 1;
                let t = self.when(l, lo, hi);
                match self.rng.weighted(&acts) {
                    0 => self.session(l, t, hi),
                    1 => self.email(l, t, hi, &mut bounces),
                    2 => self.attended(l, K::WebinarAttended, t, hi),
                    3 => self.attended(l, K::EventAttended, t, hi),
                    _ => self.touches(l, t, hi),
                }
            }
            // Third-party research surges at the company.
            let w = self.w;
            if let Some(a) = l.account.map(|a| &w.accounts[a as usize]) {
                for s in a.surges {
                    if s > lo && s <= hi && self.rng.chance(0.8) {
                        let t = (s + self.rng.int(0, 6 * HOUR)).min(hi);
                        let topic = self.rng.below(data::INTENT_TOPICS.len() as u32) as u8;
                        let score = self.rng.int(60, 99) as u8;
                        self.push(t, K::IntentSurge, P::Intent(topic, score));
                    }
                }
            }
            // Follow-ups of a demo request: a meeting and rep touches.
            if let Some(d) = self.evs.iter().find(|e| e.k == K::DemoRequest).map(|e| e.t) {
                if self.rng.chance(if l.in_market { 0.55 } else { 0.25 }) {
                    let t = d + self.rng.int(2 * HOUR, 5 * DAY);
                    if t <= hi {
                        let rep = 1 + self.rng.below(data::OWNERS as u32) as u8;
                        self.push(t, K::MeetingBooked, P::Meeting(rep));
                    }
                }
                let t = d + self.rng.int(2 * MIN, 2 * DAY);
                self.touches(l, t, hi);
            }
            // A trial: product usage and invited teammates.
            if let Some(tr) = self.evs.iter().find(|e| e.k == K::TrialStarted).map(|e| e.t) {
                let n = match l.tier {
                    Tier::Engaged => self.rng.int(4, 14),
                    Tier::Active => self.rng.int(2, 8),
                    _ => self.rng.int(0, 3),
                };
                let distinct = self.rng.int(1, 5) as usize;
                for _ in 0..n {
                    let t = tr + self.rng.int(10 * MIN, 20 * DAY);
                    if t <= hi {
                        let f = data::FEATURES[self.rng.below(distinct as u32) as usize];
                        self.push(t, K::FeatureUsed, P::S(f));
                    }
                }
                if self.rng.chance(0.35) {
                    let t = tr + self.rng.int(HOUR, 10 * DAY);
                    if t <= hi {
                        let c = self.rng.int(1, 4) as u8;
                        self.push(t, K::TeammateInvited, P::Teammate(c));
                    }
                }
            }
        }
        self.evs.retain(|e| e.t >= lo && e.t <= hi);
        self.evs.sort_by_key(|e| e.t);
        self.evs.truncate(MAX_EVENTS);
        if self.profile == Profile::CrmExport && self.evs.len() > 1 {
            // A CRM export keeps fewer activities: the first (the form fill), then 3 in 5.
            let keep: Vec<bool> = (0..self.evs.len()).map(|i| i == 0 || self.rng.chance(0.6)).collect();
            let mut k = keep.iter();
            self.evs.retain(|_| k.next().copied().unwrap_or(true));
        }

        // Signals for the hidden propensity.
        let mut s = Signals { webinar_follow_up: self.webinar_follow_up, ..Signals::default() };
        let mut hi_pages = 0u32;
        for e in &self.evs {
            let recent30 = e.t >= as_of - 30 * DAY;
            match e.k {
                K::DemoRequest => s.demo = true,
                K::TrialStarted => s.trial = true,
                K::MeetingBooked => s.meeting = true,
                K::EmailReply => s.reply = true,
                K::IntentSurge => s.surge_30d |= recent30,
                K::TeammateInvited => s.teammate = true,
                K::EmailBounce => s.bounced = true,
                K::FeatureUsed => {
                    if let P::S(f) = e.p
                        && let Some(i) = data::FEATURES.iter().position(|x| *x == f)
                    {
                        s.features |= 1 << i;
                    }
                }
                K::PageView => {
                    if e.path.starts_with("/pricing") && recent30 {
                        s.pricing_30d = true;
                    }
                    if e.path.starts_with("/careers") || e.path.starts_with("/jobs") {
                        s.careers = true;
                    }
                    if let Some(i) = data::HIGH_INTENT_PAGES.iter().position(|p| p.0 == e.path) {
                        hi_pages |= 1 << i;
                    }
                }
                _ => {}
            }
            if matches!(e.k, K::DemoRequest | K::TrialStarted | K::MeetingBooked | K::EmailReply) {
                s.key_time = e.t;
            }
            if e.k.engagement() && recent30 {
                s.engaged_30d = true;
            }
        }
        s.high_intent_pages = hi_pages.count_ones();

        // Rows; a few are sent twice (same event_id) to exercise idempotency.
        self.resend.clear();
        for i in 0..self.evs.len() {
            self.write_event(l, i)?;
            if self.rng.chance(0.005) {
                self.resend.push(i);
            }
        }
        for j in 0..self.resend.len() {
            let i = self.resend[j];
            self.write_event(l, i)?;
        }
        Ok(s)
    }

    fn write_event(&mut self, l: &Lead, i: usize) -> Result<(), GenErr> {
        let e = self.evs[i];
        tf::hex_id(&mut self.id, b"e", tf::mix(((l.idx << 12) | i as u64) + 1, 48), 12);
        let mut ts = [0u8; 20];
        tf::ts(&mut ts, e.t);
        self.url.clear();
        if !e.path.is_empty() {
            self.url.extend_from_slice(data::SITE.as_bytes());
            self.url.extend_from_slice(e.path.as_bytes());
            if e.job > 0 {
                let _ = std::io::Write::write_fmt(&mut self.url, format_args!("{}", e.job));
            }
            if self.profile == Profile::CrmExport {
                // Tracking links as a CRM records them: trailing slashes and query strings.
                if e.job == 0 && !e.path.ends_with('/') && self.rng.chance(0.4) {
                    self.url.push(b'/');
                }
                if e.query.is_empty() && self.rng.chance(0.5) {
                    let q = self.rng.pick(data::CRM_QUERIES);
                    self.url.extend_from_slice(q.as_bytes());
                    let _ = std::io::Write::write_fmt(&mut self.url, format_args!("{}", self.rng.int(1000, 99_999_999)));
                }
            }
            self.url.extend_from_slice(e.query.as_bytes());
        }
        self.props.clear();
        render_props(&mut self.props, e.p);
        self.events
            .write_record([&self.id[..], l.f[ID].as_bytes(), e.k.name().as_bytes(), &ts[..], &self.url[..], &self.props[..]])
            .map_err(|e| ("events.csv", e))?;
        self.n_events += 1;
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Outcomes

    /// The hidden truth: log-odds that the lead turns into an opportunity. The weights differ
    /// on purpose from the default model's points (see the crate documentation).
    fn propensity(&mut self, l: &Lead, s: &Signals) -> f64 {
        let mut z = -4.1;
        // Fit.
        z += if l.icp_industry { 0.35 } else { 0.0 };
        z += match l.employees {
            0 => -0.3,
            1..50 => -0.6,
            50..200 => 0.0,
            200..=2000 => 0.45,
            _ => 0.35,
        };
        z += if l.icp_tech { 0.35 } else { 0.0 };
        z += if l.icp_geo { 0.1 } else { 0.0 };
        z += if l.genuine_use_case { 0.3 } else { 0.0 };
        // Intent.
        z += if s.trial { 1.4 } else { 0.0 };
        z += if s.demo { 1.2 } else { 0.0 };
        z += if s.meeting { 1.6 } else { 0.0 };
        z += if s.reply { 1.1 } else { 0.0 };
        z += if s.pricing_30d { 0.3 } else { 0.0 };
        z += if s.surge_30d { 0.2 } else { 0.0 };
        z += if s.high_intent_pages >= 2 { 0.25 } else { 0.0 };
        z += if s.features.count_ones() >= 3 { 0.5 } else { 0.0 };
        z += if s.teammate { 0.4 } else { 0.0 };
        z += if s.webinar_follow_up { 0.3 } else { 0.0 };
        z += if l.in_market { 0.5 } else { 0.0 };
        // Access.
        z += match l.seniority {
            Seniority::CLevel => 0.4,
            Seniority::Vp => 0.55,
            Seniority::Director => 0.45,
            Seniority::Manager => 0.1,
            Seniority::Individual => -0.25,
            Seniority::Other => -0.4,
            Seniority::Student => -2.5,
        };
        z += if l.budget_owner == Some(true) { 0.35 } else { 0.0 };
        // Timing.
        z += if l.timeline.is_some_and(|t| t <= 90) { 0.45 } else { 0.0 };
        let as_of = self.w.as_of;
        z += if l.contract_end.is_some_and(|c| c >= as_of && c <= as_of + 270 * DAY) { 0.5 } else { 0.0 };
        // Integrity and fraud.
        z += match l.mail {
            Mail::Corporate => 0.2,
            Mail::Free => -0.4,
            Mail::Invalid => -1.0,
            Mail::Missing => -0.6,
            Mail::Disposable => -2.0,
            Mail::Competitor => -5.0,
        };
        z += if l.decayed || s.bounced { -0.8 } else { 0.0 };
        z += if s.careers { -0.6 } else { 0.0 };
        z += if l.dup { -1.5 } else { 0.0 };
        z += if l.bot { -8.0 } else { 0.0 };
        // Channel.
        z += match l.source {
            "referral" => 0.9,
            "partner" => 0.5,
            "event" => 0.3,
            "outbound" => 0.2,
            "webinar" => 0.1,
            "paid_social" => -0.3,
            _ => 0.0,
        };
        z + 0.9 * self.rng.normal()
    }

    fn outcome(&mut self, l: &Lead, s: &Signals) -> Result<(), GenErr> {
        let z = self.propensity(l, s);
        if !self.rng.chance(sigmoid(z)) {
            return Ok(());
        }
        let as_of = self.w.as_of;
        let lo = l.created;
        let mut t = if s.key_time > 0 { s.key_time + self.rng.int(HOUR, 10 * DAY) } else { lo + self.rng.int(2 * DAY, 60 * DAY) };
        if t >= as_of {
            if s.key_time == 0 {
                return Ok(()); // too new to have become an opportunity yet
            }
            t = s.key_time + ((as_of - s.key_time) as f64 * self.rng.f()) as i64;
        }
        if t >= as_of || t < lo {
            return Ok(());
        }
        let employees = if l.employees == 0 { 20 } else { l.employees };
        let median_days = match employees {
            0..200 => 16.0,
            200..=2000 => 28.0,
            _ => 50.0,
        };
        let cycle = (self.rng.lognormal(libm::log(median_days), 0.5) * DAY as f64) as i64;
        let cycle = cycle.clamp(7 * DAY, 300 * DAY) + self.rng.int(0, DAY);
        let closed = t + cycle;
        let median_amount = 3000.0 * libm::pow(employees as f64, 0.4);
        let amount = ((self.rng.lognormal(libm::log(median_amount), 0.6) / 100.0).round() as i64 * 100).clamp(5_000, 500_000);

        for r in self.row.iter_mut() {
            r.clear();
        }
        let mut id = Vec::with_capacity(16);
        tf::hex_id(&mut id, b"opp-", tf::mix(l.idx + 1, 40), 10);
        self.row[0].push_str(std::str::from_utf8(&id).expect("ascii"));
        let account_only = l.account.is_some() && self.rng.chance(0.15);
        if !account_only {
            self.row[1].push_str(&l.f[ID]);
        }
        if let Some(a) = l.account
            && (account_only || self.rng.chance(0.85))
        {
            self.row[2].push_str(&self.w.accounts[a as usize].id);
        }
        tf::push_ts(&mut self.row[3], t);
        if closed <= as_of {
            tf::push_ts(&mut self.row[4], closed);
            if self.rng.chance(sigmoid(-0.5 + 0.8 * z)) {
                self.row[5].push_str("won");
            } else {
                self.row[5].push_str("lost");
                self.row[7].push_str(self.rng.weighted(data::LOSS_REASONS));
            }
        } else {
            self.row[5].push_str("open");
        }
        let _ = write!(self.row[6], "{amount}");
        self.outcomes.write_record(self.row.iter()).map_err(|e| ("outcomes.csv", e))?;
        self.n_outcomes += 1;
        Ok(())
    }
}

fn corporate_local(out: &mut String, fi: &str, la: &str, pattern: u32) {
    let f1 = &fi[..fi.len().min(1)];
    if la.is_empty() {
        out.push_str(if fi.is_empty() { "info" } else { fi });
        return;
    }
    let _ = match pattern {
        0..45 => write!(out, "{fi}.{la}"),
        45..65 => write!(out, "{f1}{la}"),
        65..75 => write!(out, "{fi}"),
        75..80 => write!(out, "{fi}{}", &la[..1]),
        80..85 => write!(out, "{fi}_{la}"),
        85..90 => write!(out, "{la}.{fi}"),
        _ => write!(out, "{f1}.{la}"),
    };
    if fi.is_empty() {
        out.clear();
        out.push_str(la);
    }
}

/// "john.smith@northwind.com" -> "John.Smith@Northwind.com".
fn capitalise_email(s: &mut String) {
    let mut out = String::with_capacity(s.len());
    let mut up = true;
    for c in s.chars() {
        if up {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        up = matches!(c, '.' | '@' | '_');
    }
    *s = out;
}

fn render_props(out: &mut Vec<u8>, p: P) {
    use std::io::Write;
    let _ = match p {
        P::None => Ok(()),
        P::S(s) => out.write_all(s.as_bytes()),
        P::Webinar(w, m) => write!(out, r#"{{"webinar":"{}","minutes":{m}}}"#, data::WEBINARS[w as usize]),
        P::Intent(t, score) => write!(out, r#"{{"topic":"{}","provider":"bombora","score":{score}}}"#, data::INTENT_TOPICS[t as usize]),
        P::Touch(ch, rep) => {
            let ch = ["call", "email", "linkedin"][ch as usize];
            write!(out, r#"{{"channel":"{ch}","rep":"rep-{rep:02}"}}"#)
        }
        P::Meeting(rep) => write!(out, r#"{{"with":"rep-{rep:02}"}}"#),
        P::Email(c) => write!(out, r#"{{"campaign":"{}"}}"#, data::EMAIL_CAMPAIGNS[c as usize]),
        P::Teammate(n) => write!(out, r#"{{"invited":{n}}}"#),
    };
}

pub(crate) fn account_rows(w: &World) -> Result<Vec<u8>, csv::Error> {
    let mut wtr = writer(w.accounts.len() * 90);
    let mut emp = String::new();
    let mut owner = String::new();
    for a in &w.accounts {
        emp.clear();
        let _ = write!(emp, "{}", a.employees);
        owner.clear();
        if a.owner > 0 {
            let _ = write!(owner, "rep-{:02}", a.owner);
        }
        wtr.write_record([
            a.id.as_str(),
            a.name.as_str(),
            a.domain.as_str(),
            INDUSTRIES[a.industry as usize].name,
            emp.as_str(),
            COUNTRIES[a.country as usize].code,
            owner.as_str(),
            if a.abm { "abm" } else { "" },
        ])?;
    }
    into_bytes(wtr)
}
