//! The sync file (`sync.toml`): which CRM, how to reach it, what to read and what to write
//! back. Every problem names the file, the line and the key.
//!
//! ```toml
//! [hubspot]
//! token_env = "HUBSPOT_TOKEN"        # or token_file = "/run/secrets/hubspot"
//! tier = "professional"               # free, starter, professional, enterprise, api-add-on
//! objects = ["contacts", "companies", "deals"]
//!
//! [writeback]
//! fields = ["score", "grade", "cell", "quality", "reasons", "stage", "rep"]
//! [writeback.rules.rep]
//! only_if_empty = true
//! ```

use std::collections::BTreeMap;

use toml_edit::{Document, Item, Table, Value};

use crate::budget::Tier;
use crate::fields::CrmField;
use crate::plan::FieldRule;

/// A problem in a sync file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {}{message}", if key.is_empty() { String::new() } else { format!("{key}: ") })]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    /// Dotted key (`hubspot.tier`); empty for the file.
    pub key: String,
    pub message: String,
}

/// Every problem found in a sync file (at least one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl std::fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// HubSpot objects read: CRM records, then engagement events.
pub const HUBSPOT_OBJECTS: [&str; 6] = ["contacts", "companies", "deals", "meetings", "email_events", "form_submissions"];
/// HubSpot objects read when `objects` is not given (the engagement events need more scopes
/// of the private app, so they are read only when listed).
pub const HUBSPOT_DEFAULT_OBJECTS: [&str; 3] = ["contacts", "companies", "deals"];
/// HubSpot objects read through a mapping file (`[hubspot.mapping]`).
pub const HUBSPOT_MAPPED: [&str; 3] = ["contacts", "companies", "deals"];

/// How to reach HubSpot and what to read.
#[derive(Debug, Clone, PartialEq)]
pub struct HubSpotConfig {
    pub base_url: String,
    /// The environment variable holding the private-app token (default `HUBSPOT_TOKEN`).
    pub token_env: String,
    /// A file holding the token (read instead of the environment when set).
    pub token_file: Option<String>,
    pub tier: Tier,
    /// The share of the account's limits this connection uses (0 < share <= 1).
    pub share: f64,
    /// The account's day (for the daily cap) starts at this offset from UTC, in minutes.
    pub utc_offset_minutes: i64,
    /// Objects read, among [`HUBSPOT_OBJECTS`], in order.
    pub objects: Vec<String>,
    /// Records per search page (at most 200, the default).
    pub page_size: u32,
    /// Mapping per object: a built-in name or a file path (relative to the sync file).
    pub mappings: BTreeMap<String, String>,
    /// Seconds before a request is abandoned (then retried).
    pub timeout_s: u64,
    /// Retries of one call after a 429, a 5xx or a timeout, before the run stops.
    pub max_retries: u32,
    /// How often `leadrank serve --sync-config` runs this source (`interval = "15m"`).
    pub interval: Option<std::time::Duration>,
    /// The line of the `[hubspot]` table (to locate "no interval" errors).
    pub line: usize,
    /// HubSpot webhooks (`webhooks = true`): changed records are pushed, not searched for.
    pub webhooks: Option<HubSpotWebhooksConfig>,
}

/// HubSpot webhooks (`webhooks = true` in `[hubspot]`): HubSpot posts the ids of changed
/// records to `webhook_url`, signed with the app's client secret; runs read those records by
/// id, and the modified-since search runs only every `reconcile_every`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubSpotWebhooksConfig {
    /// The public URL the HubSpot app posts to, as entered in the app's webhook settings
    /// (`https://leadrank.example.com/v1/crm/hubspot/webhooks`); its scheme and host are part
    /// of what HubSpot signs.
    pub url: String,
    /// The environment variable holding the app's client secret (default
    /// `HUBSPOT_CLIENT_SECRET`).
    pub secret_env: String,
    /// A file holding the client secret (read instead of the environment when set).
    pub secret_file: Option<String>,
    /// How often the modified-since search still runs as a safety net (default one day).
    pub reconcile_every: std::time::Duration,
    /// How long after a notification its run starts (default 2 s): the notifications until
    /// then share the run (a longer delay trades freshness for fewer calls).
    pub delay: std::time::Duration,
}

/// How to reach Salesforce and what to read.
#[derive(Debug, Clone, PartialEq)]
pub struct SalesforceConfig {
    /// The org's instance URL (`https://example.my.salesforce.com`).
    pub instance_url: String,
    /// The REST API version (`v62.0`).
    pub api_version: String,
    /// The environment variable holding the access token (default `SALESFORCE_TOKEN`).
    pub token_env: String,
    /// A file holding the access token (read instead of the environment when set).
    pub token_file: Option<String>,
    /// OAuth client credentials instead of an access token: the connected app's consumer
    /// key (`client_id`), its secret from `client_secret_file` or `client_secret_env`.
    pub client_credentials: Option<ClientCredentialsConfig>,
    /// The OAuth 2.0 JWT bearer flow instead of an access token (`auth = "jwt_bearer"`).
    pub jwt_bearer: Option<JwtBearerConfig>,
    /// The share of the org's daily API allocation this connection may bring it to
    /// (0 < share <= 1).
    pub share: f64,
    /// Objects read, among `accounts`, `leads`, `contacts`, `opportunities`,
    /// `campaign_members`, in that order (all but campaign members by default).
    pub objects: Vec<String>,
    /// Records per query batch (`Sforce-Query-Options: batchSize`, 200 to 2,000).
    pub batch_size: u32,
    /// Records per query before it is asked again from the cursor.
    pub query_limit: u64,
    /// Read an object that has no cursor yet (its first load) through a Bulk API 2.0 query
    /// job instead of REST query paging, when its first query counts at least
    /// `bulk_threshold` records.
    pub bulk_first_load: bool,
    /// Records from which a first load goes through a query job.
    pub bulk_threshold: u64,
    /// Records per page of a query job's results (`maxRecords`).
    pub bulk_max_records: u64,
    /// Custom field names: prefix + field + `__c` (`Leadrank_Score__c`).
    pub field_prefix: String,
    /// Mapping per object: a built-in name or a file path (relative to the sync file).
    pub mappings: BTreeMap<String, String>,
    /// Seconds before a request is abandoned (then retried).
    pub timeout_s: u64,
    /// Retries of one call after a 5xx or a timeout, before the run stops.
    pub max_retries: u32,
    /// How often `leadrank serve --sync-config` runs this source (`interval = "15m"`).
    pub interval: Option<std::time::Duration>,
    /// The line of the `[salesforce]` table (to locate "no interval" errors).
    pub line: usize,
}

/// Where a Salesforce connected app's client credentials are (`auth = "client_credentials"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCredentialsConfig {
    /// The consumer key (an identifier, not a secret).
    pub client_id: String,
    /// The environment variable holding the consumer secret (default `SALESFORCE_CLIENT_SECRET`).
    pub secret_env: String,
    /// A file holding the consumer secret (read instead of the environment when set).
    pub secret_file: Option<String>,
}

/// The OAuth 2.0 JWT bearer flow (`auth = "jwt_bearer"`): a JWT signed with the connected
/// app's certificate key, exchanged at `{login_url}/services/oauth2/token` for an access token
/// and the org's instance URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtBearerConfig {
    /// The connected app's consumer key (the JWT's `iss`).
    pub client_id: String,
    /// The integration user's username (the JWT's `sub`).
    pub username: String,
    /// The PEM file of the RSA private key whose certificate the connected app holds
    /// (relative to the sync file).
    pub private_key_file: String,
    /// `https://login.salesforce.com` (the default), `https://test.salesforce.com` for a
    /// sandbox (or an Experience Cloud site's URL): the token endpoint's host and the JWT's
    /// `aud`, which Salesforce checks against these.
    pub login_url: String,
}

/// What is written back.
#[derive(Debug, Clone, PartialEq)]
pub struct WritebackConfig {
    pub enabled: bool,
    pub prefix: String,
    /// HubSpot property group of the fields.
    pub group: String,
    pub fields: Vec<CrmField>,
    pub top_reasons: usize,
    /// The CRM's text limit in characters (default: the CRM's own).
    pub text_limit: Option<usize>,
    /// Per field (by its short name: `rep`).
    pub rules: BTreeMap<CrmField, FieldRule>,
    /// Also move HubSpot's lifecycle stage forward from leadrank's stage.
    pub lifecycle_stage: bool,
}

impl Default for WritebackConfig {
    fn default() -> Self {
        WritebackConfig {
            enabled: true,
            prefix: "leadrank_".into(),
            group: "leadrank".into(),
            fields: CrmField::ALL.to_vec(),
            top_reasons: 3,
            text_limit: None,
            rules: BTreeMap::new(),
            lifecycle_stage: false,
        }
    }
}

/// A sync file.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncConfig {
    pub file: String,
    pub hubspot: Option<HubSpotConfig>,
    pub salesforce: Option<SalesforceConfig>,
    pub writeback: WritebackConfig,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

struct P<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<ConfigError>,
}

impl P<'_> {
    fn err(&mut self, span: Option<std::ops::Range<usize>>, key: &str, message: impl Into<String>) {
        let line = span.map_or(1, |s| line_of(self.text, s.start));
        self.errors.push(ConfigError { file: self.file.into(), line, key: key.into(), message: message.into() });
    }

    fn unknown(&mut self, t: &Table, path: &str, known: &[&str]) {
        for (k, item) in t.iter() {
            if !known.contains(&k) {
                let near = known.iter().map(|c| (strsim::levenshtein(c, k), *c)).min().filter(|(d, _)| *d <= 2);
                let hint = near.map(|(_, c)| format!(" (did you mean '{c}'?)")).unwrap_or_default();
                let span = t.key(k).and_then(|key| key.span()).or_else(|| item.span());
                self.err(span, &join(path, k), format!("unknown key{hint}; known: {}", known.join(", ")));
            }
        }
    }

    fn str(&mut self, t: &Table, path: &str, k: &str) -> Option<String> {
        let item = t.get(k)?;
        match item.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.err(item.span(), &join(path, k), "must be a string");
                None
            }
        }
    }

    fn int(&mut self, t: &Table, path: &str, k: &str, min: i64, max: i64) -> Option<i64> {
        let item = t.get(k)?;
        match item.as_integer() {
            Some(v) if (min..=max).contains(&v) => Some(v),
            _ => {
                self.err(item.span(), &join(path, k), format!("must be a whole number from {min} to {max}"));
                None
            }
        }
    }

    fn bool(&mut self, t: &Table, path: &str, k: &str) -> Option<bool> {
        let item = t.get(k)?;
        match item.as_bool() {
            Some(v) => Some(v),
            None => {
                self.err(item.span(), &join(path, k), "must be true or false");
                None
            }
        }
    }

    fn strings(&mut self, t: &Table, path: &str, k: &str) -> Option<Vec<(String, Option<std::ops::Range<usize>>)>> {
        let item = t.get(k)?;
        let Some(arr) = item.as_array() else {
            self.err(item.span(), &join(path, k), "must be a list of strings");
            return None;
        };
        let mut out = Vec::new();
        for v in arr.iter() {
            match v {
                Value::String(s) => out.push((s.value().clone(), v.span())),
                _ => self.err(v.span(), &join(path, k), "must be a list of strings"),
            }
        }
        Some(out)
    }

    fn table<'t>(&mut self, root: &'t Table, path: &str, k: &str) -> Option<&'t Table> {
        let item = root.get(k)?;
        match item {
            Item::Table(t) => Some(t),
            _ => {
                self.err(item.span(), &join(path, k), "must be a table");
                None
            }
        }
    }
}

fn join(path: &str, k: &str) -> String {
    if path.is_empty() { k.to_string() } else { format!("{path}.{k}") }
}

fn parse_offset(s: &str) -> Option<i64> {
    if s.eq_ignore_ascii_case("utc") || s == "Z" {
        return Some(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 || h < 0 || m < 0 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

impl SyncConfig {
    /// Parses a sync file; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<SyncConfig, ConfigErrors> {
        let doc = match Document::parse(text) {
            Ok(d) => d,
            Err(e) => {
                let line = e.span().map_or(1, |s| line_of(text, s.start));
                return Err(ConfigErrors(vec![ConfigError {
                    file: file.into(),
                    line,
                    key: String::new(),
                    message: e.message().trim().into(),
                }]));
            }
        };
        let mut p = P { file, text, errors: Vec::new() };
        let root = doc.as_table();
        p.unknown(root, "", &["hubspot", "salesforce", "writeback"]);
        let mut cfg = SyncConfig { file: file.into(), hubspot: None, salesforce: None, writeback: WritebackConfig::default() };
        if let Some(h) = p.table(root, "", "hubspot") {
            cfg.hubspot = Some(parse_hubspot(&mut p, h));
        }
        if let Some(t) = p.table(root, "", "salesforce") {
            cfg.salesforce = parse_salesforce(&mut p, t);
        }
        if let Some(w) = p.table(root, "", "writeback") {
            parse_writeback(&mut p, w, &mut cfg.writeback);
        }
        if cfg.hubspot.is_none() && cfg.salesforce.is_none() && p.errors.is_empty() {
            p.err(None, "", "no CRM configured: add a [hubspot] or a [salesforce] table");
        }
        if p.errors.is_empty() { Ok(cfg) } else { Err(ConfigErrors(p.errors)) }
    }
}

fn parse_hubspot(p: &mut P<'_>, h: &Table) -> HubSpotConfig {
    const PATH: &str = "hubspot";
    p.unknown(
        h,
        PATH,
        &[
            "base_url",
            "token_env",
            "token_file",
            "tier",
            "share",
            "utc_offset",
            "objects",
            "page_size",
            "mapping",
            "timeout",
            "max_retries",
            "interval",
            "webhooks",
            "webhook_url",
            "client_secret_env",
            "client_secret_file",
            "reconcile_every",
            "webhook_delay",
        ],
    );
    let mut c = HubSpotConfig {
        base_url: "https://api.hubapi.com".into(),
        token_env: "HUBSPOT_TOKEN".into(),
        token_file: None,
        tier: Tier::Starter,
        share: 0.8,
        utc_offset_minutes: 0,
        objects: HUBSPOT_DEFAULT_OBJECTS.iter().map(|s| s.to_string()).collect(),
        page_size: 200,
        mappings: BTreeMap::new(),
        timeout_s: 30,
        max_retries: 8,
        interval: interval(p, h, PATH),
        line: h.span().map_or(1, |s| line_of(p.text, s.start)),
        webhooks: None,
    };
    c.webhooks = parse_hubspot_webhooks(p, h);
    if let Some(u) = p.str(h, PATH, "base_url") {
        if u.starts_with("https://") || u.starts_with("http://") {
            c.base_url = u.trim_end_matches('/').to_string();
        } else {
            p.err(
                h.get("base_url").and_then(Item::span),
                "hubspot.base_url",
                "must start with https:// (or http:// for a local test server)",
            );
        }
    }
    if let Some(v) = p.str(h, PATH, "token_env") {
        c.token_env = v;
    }
    c.token_file = p.str(h, PATH, "token_file");
    if let Some(t) = p.str(h, PATH, "tier") {
        match Tier::parse(&t) {
            Some(t) => c.tier = t,
            None => {
                p.err(h.get("tier").and_then(Item::span), "hubspot.tier", format!("'{t}' is not a tier; one of {}", Tier::NAMES.join(", ")))
            }
        }
    }
    if let Some(item) = h.get("share") {
        match item.as_float().or_else(|| item.as_integer().map(|i| i as f64)) {
            Some(s) if s > 0.0 && s <= 1.0 => c.share = s,
            _ => p.err(
                item.span(),
                "hubspot.share",
                "must be a number above 0 and at most 1 (the share of the account's rate limits to use)",
            ),
        }
    }
    if let Some(o) = p.str(h, PATH, "utc_offset") {
        match parse_offset(&o) {
            Some(m) => c.utc_offset_minutes = m,
            None => p.err(h.get("utc_offset").and_then(Item::span), "hubspot.utc_offset", "must be like \"-05:00\", \"+01:00\" or \"UTC\""),
        }
    }
    if let Some(list) = p.strings(h, PATH, "objects") {
        let mut objects = Vec::new();
        for (o, span) in list {
            if !HUBSPOT_OBJECTS.contains(&o.as_str()) {
                p.err(span, "hubspot.objects", format!("'{o}' is not an object read; one of {}", HUBSPOT_OBJECTS.join(", ")));
            } else if !objects.contains(&o) {
                objects.push(o);
            }
        }
        if !objects.iter().any(|o| o == "contacts") {
            p.err(h.get("objects").and_then(Item::span), "hubspot.objects", "must include \"contacts\" (the leads)");
        }
        c.objects = objects;
    }
    if let Some(n) = p.int(h, PATH, "page_size", 1, 200) {
        c.page_size = n as u32;
    }
    if let Some(n) = p.int(h, PATH, "timeout", 1, 600) {
        c.timeout_s = n as u64;
    }
    if let Some(n) = p.int(h, PATH, "max_retries", 0, 100) {
        c.max_retries = n as u32;
    }
    if let Some(m) = p.table(h, PATH, "mapping") {
        p.unknown(m, "hubspot.mapping", &HUBSPOT_MAPPED);
        for o in HUBSPOT_MAPPED {
            if let Some(v) = p.str(m, "hubspot.mapping", o) {
                c.mappings.insert(o.to_string(), v);
            }
        }
    }
    c
}

/// The webhook keys of `[hubspot]`: none unless `webhooks = true`, which needs `webhook_url`.
fn parse_hubspot_webhooks(p: &mut P<'_>, h: &Table) -> Option<HubSpotWebhooksConfig> {
    const PATH: &str = "hubspot";
    let span = |k: &str| h.get(k).and_then(Item::span);
    let on = p.bool(h, PATH, "webhooks").unwrap_or(false);
    let url = p.str(h, PATH, "webhook_url");
    let secret_env = p.str(h, PATH, "client_secret_env");
    let secret_file = p.str(h, PATH, "client_secret_file");
    let mut duration = |k: &str| match p.str(h, PATH, k) {
        Some(text) => match crate::schedule::parse_interval(&text) {
            Ok(d) => Some(d),
            Err(message) => {
                p.err(span(k), &join(PATH, k), message);
                None
            }
        },
        None => None,
    };
    let reconcile_every = duration("reconcile_every");
    let delay = duration("webhook_delay");
    if !on {
        if let Some(k) = ["webhook_url", "client_secret_env", "client_secret_file", "reconcile_every", "webhook_delay"]
            .into_iter()
            .find(|k| h.contains_key(k))
        {
            p.err(span(k), &join(PATH, k), "only read with webhooks = true");
        }
        return None;
    }
    let url = match url {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => u,
        Some(_) => {
            p.err(
                span("webhook_url"),
                "hubspot.webhook_url",
                "must start with https:// (HubSpot posts only to HTTPS; http:// for a local test)",
            );
            return None;
        }
        None => {
            p.err(
                span("webhooks"),
                "hubspot.webhook_url",
                "missing: the public URL the HubSpot app posts to, e.g. \"https://leadrank.example.com/v1/crm/hubspot/webhooks\"",
            );
            return None;
        }
    };
    Some(HubSpotWebhooksConfig {
        url,
        secret_env: secret_env.unwrap_or_else(|| "HUBSPOT_CLIENT_SECRET".into()),
        secret_file,
        reconcile_every: reconcile_every.unwrap_or(std::time::Duration::from_secs(86_400)),
        delay: delay.unwrap_or(std::time::Duration::from_secs(2)),
    })
}

fn parse_salesforce(p: &mut P<'_>, t: &Table) -> Option<SalesforceConfig> {
    use crate::salesforce::{API_VERSION, DEFAULT_OBJECTS, OBJECTS, QUERY_BATCH, valid_prefix};
    const PATH: &str = "salesforce";
    p.unknown(
        t,
        PATH,
        &[
            "instance_url",
            "api_version",
            "token_env",
            "token_file",
            "auth",
            "client_id",
            "client_secret_env",
            "client_secret_file",
            "username",
            "private_key_file",
            "login_url",
            "share",
            "objects",
            "batch_size",
            "query_limit",
            "bulk_first_load",
            "bulk_threshold",
            "bulk_max_records",
            "field_prefix",
            "mapping",
            "timeout",
            "max_retries",
            "interval",
        ],
    );
    let span = |k: &str| t.get(k).and_then(Item::span);
    let mut c = SalesforceConfig {
        instance_url: String::new(),
        api_version: API_VERSION.into(),
        token_env: "SALESFORCE_TOKEN".into(),
        token_file: None,
        client_credentials: None,
        jwt_bearer: None,
        share: 0.8,
        objects: DEFAULT_OBJECTS.iter().map(|o| o.to_string()).collect(),
        batch_size: QUERY_BATCH,
        query_limit: 50_000,
        bulk_first_load: false,
        bulk_threshold: 10_000,
        bulk_max_records: 50_000,
        field_prefix: "Leadrank_".into(),
        mappings: BTreeMap::new(),
        timeout_s: 30,
        max_retries: 8,
        interval: interval(p, t, PATH),
        line: t.span().map_or(1, |s| line_of(p.text, s.start)),
    };
    match p.str(t, PATH, "instance_url") {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => c.instance_url = u.trim_end_matches('/').to_string(),
        Some(_) => p.err(span("instance_url"), "salesforce.instance_url", "must start with https:// (or http:// for a local test server)"),
        None => p.err(t.span(), "salesforce.instance_url", "missing: the org's instance URL, e.g. \"https://example.my.salesforce.com\""),
    }
    if let Some(v) = p.str(t, PATH, "api_version") {
        let ok = v.strip_prefix('v').and_then(|r| r.split_once('.')).is_some_and(|(a, b)| {
            !a.is_empty() && !b.is_empty() && a.bytes().all(|x| x.is_ascii_digit()) && b.bytes().all(|x| x.is_ascii_digit())
        });
        if ok {
            c.api_version = v;
        } else {
            p.err(span("api_version"), "salesforce.api_version", format!("must be like \"{API_VERSION}\""));
        }
    }
    if let Some(v) = p.str(t, PATH, "token_env") {
        c.token_env = v;
    }
    c.token_file = p.str(t, PATH, "token_file");
    let client_id = p.str(t, PATH, "client_id");
    let secret_env = p.str(t, PATH, "client_secret_env");
    let secret_file = p.str(t, PATH, "client_secret_file");
    let username = p.str(t, PATH, "username");
    let key_file = p.str(t, PATH, "private_key_file");
    let login_url = p.str(t, PATH, "login_url");
    let auth = p.str(t, PATH, "auth");
    let jwt_keys = ["username", "private_key_file", "login_url"];
    if auth.as_deref() != Some("jwt_bearer")
        && let Some(k) = jwt_keys.into_iter().find(|k| t.contains_key(k))
    {
        p.err(span(k), &format!("salesforce.{k}"), "goes with auth = \"jwt_bearer\"");
    }
    match auth.as_deref() {
        None | Some("token") => {
            if let Some(k) = ["client_id", "client_secret_env", "client_secret_file"].into_iter().find(|k| t.contains_key(k)) {
                p.err(span(k), &format!("salesforce.{k}"), "goes with auth = \"client_credentials\" or \"jwt_bearer\"");
            }
        }
        Some("jwt_bearer") => {
            if let Some(k) = ["client_secret_env", "client_secret_file"].into_iter().find(|k| t.contains_key(k)) {
                p.err(
                    span(k),
                    &format!("salesforce.{k}"),
                    "goes with auth = \"client_credentials\" (the JWT bearer flow signs with private_key_file)",
                );
            }
            let missing = |p: &mut P<'_>, key: &str, what: &str| {
                p.err(t.span(), &format!("salesforce.{key}"), format!("missing: {what} (auth = \"jwt_bearer\")"))
            };
            let client_id = client_id.filter(|v| !v.trim().is_empty());
            let username = username.filter(|v| !v.trim().is_empty());
            let key_file = key_file.filter(|v| !v.trim().is_empty());
            if client_id.is_none() {
                missing(p, "client_id", "the connected app's consumer key");
            }
            if username.is_none() {
                missing(p, "username", "the integration user's username");
            }
            if key_file.is_none() {
                missing(p, "private_key_file", "the PEM file of the RSA private key whose certificate the connected app holds");
            }
            let login_url = match login_url {
                None => Some("https://login.salesforce.com".to_string()),
                Some(u) if u.starts_with("https://") || u.starts_with("http://") => Some(u.trim_end_matches('/').to_string()),
                Some(_) => {
                    p.err(
                        span("login_url"),
                        "salesforce.login_url",
                        "must start with https:// (https://login.salesforce.com, or https://test.salesforce.com for a sandbox)",
                    );
                    None
                }
            };
            if let (Some(client_id), Some(username), Some(private_key_file), Some(login_url)) = (client_id, username, key_file, login_url) {
                c.jwt_bearer = Some(JwtBearerConfig { client_id, username, private_key_file, login_url });
            }
        }
        Some("client_credentials") => match client_id.filter(|id| !id.trim().is_empty()) {
            Some(client_id) => {
                c.client_credentials = Some(ClientCredentialsConfig {
                    client_id,
                    secret_env: secret_env.unwrap_or_else(|| "SALESFORCE_CLIENT_SECRET".into()),
                    secret_file,
                })
            }
            None => p.err(t.span(), "salesforce.client_id", "missing: the connected app's consumer key (auth = \"client_credentials\")"),
        },
        Some(other) => p.err(
            span("auth"),
            "salesforce.auth",
            format!("'{other}' is not an authentication; use \"token\", \"client_credentials\" or \"jwt_bearer\""),
        ),
    }
    if let Some(item) = t.get("share") {
        match item.as_float().or_else(|| item.as_integer().map(|i| i as f64)) {
            Some(s) if s > 0.0 && s <= 1.0 => c.share = s,
            _ => p.err(
                item.span(),
                "salesforce.share",
                "must be a number above 0 and at most 1 (the share of the org's daily API allocation to use)",
            ),
        }
    }
    if let Some(list) = p.strings(t, PATH, "objects") {
        let names: Vec<&str> = OBJECTS.iter().map(|(o, _)| *o).collect();
        let mut wanted = Vec::new();
        for (o, sp) in list {
            if names.contains(&o.as_str()) {
                wanted.push(o);
            } else {
                p.err(sp, "salesforce.objects", format!("'{o}' is not an object read; one of {}", names.join(", ")));
            }
        }
        if !wanted.iter().any(|o| o == "leads" || o == "contacts") {
            p.err(span("objects"), "salesforce.objects", "must include \"leads\" or \"contacts\"");
        }
        c.objects = names.iter().filter(|n| wanted.iter().any(|w| w == *n)).map(|n| n.to_string()).collect();
    }
    if let Some(n) = p.int(t, PATH, "batch_size", 200, 2_000) {
        c.batch_size = n as u32;
    }
    if let Some(n) = p.int(t, PATH, "query_limit", 1, 50_000_000) {
        c.query_limit = n as u64;
    }
    if let Some(b) = p.bool(t, PATH, "bulk_first_load") {
        c.bulk_first_load = b;
    }
    if let Some(n) = p.int(t, PATH, "bulk_threshold", 1, 50_000_000) {
        c.bulk_threshold = n as u64;
    }
    if let Some(n) = p.int(t, PATH, "bulk_max_records", 1, 1_000_000) {
        c.bulk_max_records = n as u64;
    }
    if let Some(v) = p.str(t, PATH, "field_prefix") {
        if valid_prefix(&v) {
            c.field_prefix = v;
        } else {
            p.err(
                span("field_prefix"),
                "salesforce.field_prefix",
                "must start with a letter and hold only letters, digits and single underscores (Salesforce's rule for field names), at most 30 characters",
            );
        }
    }
    if let Some(n) = p.int(t, PATH, "timeout", 1, 600) {
        c.timeout_s = n as u64;
    }
    if let Some(n) = p.int(t, PATH, "max_retries", 0, 100) {
        c.max_retries = n as u32;
    }
    if let Some(m) = p.table(t, PATH, "mapping") {
        let names: Vec<&str> = OBJECTS.iter().map(|(o, _)| *o).collect();
        p.unknown(m, "salesforce.mapping", &names);
        for o in names {
            if let Some(v) = p.str(m, "salesforce.mapping", o) {
                c.mappings.insert(o.to_string(), v);
            }
        }
    }
    if c.instance_url.is_empty() { None } else { Some(c) }
}

/// A connector table's `interval` (the schedule of `serve --sync-config`), if set.
fn interval(p: &mut P<'_>, t: &Table, path: &str) -> Option<std::time::Duration> {
    let text = p.str(t, path, "interval")?;
    match crate::schedule::parse_interval(&text) {
        Ok(d) => Some(d),
        Err(message) => {
            p.err(t.get("interval").and_then(Item::span), &join(path, "interval"), message);
            None
        }
    }
}

impl SyncConfig {
    /// The scheduled sources of this file, by connector name, each with its interval; an
    /// error (located at the connector's table) for a source without one.
    pub fn scheduled(&self) -> Result<Vec<(&'static str, std::time::Duration)>, ConfigErrors> {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let tables = [
            ("hubspot", self.hubspot.as_ref().map(|h| (h.interval, h.line))),
            ("salesforce", self.salesforce.as_ref().map(|s| (s.interval, s.line))),
        ];
        for (name, table) in tables {
            match table {
                None => {}
                Some((Some(d), _)) => out.push((name, d)),
                Some((None, line)) => errors.push(ConfigError {
                    file: self.file.clone(),
                    line,
                    key: format!("{name}.interval"),
                    message: "missing: a scheduled sync needs one, e.g. interval = \"15m\"".into(),
                }),
            }
        }
        if errors.is_empty() { Ok(out) } else { Err(ConfigErrors(errors)) }
    }
}

fn parse_writeback(p: &mut P<'_>, w: &Table, c: &mut WritebackConfig) {
    const PATH: &str = "writeback";
    p.unknown(w, PATH, &["enabled", "prefix", "group", "fields", "top_reasons", "text_limit", "rules", "lifecycle_stage"]);
    if let Some(b) = p.bool(w, PATH, "enabled") {
        c.enabled = b;
    }
    if let Some(s) = p.str(w, PATH, "prefix") {
        let ok = !s.is_empty()
            && s.len() <= 40
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && s.as_bytes()[0].is_ascii_lowercase();
        if ok {
            c.prefix = s;
        } else {
            p.err(
                w.get("prefix").and_then(Item::span),
                "writeback.prefix",
                "must start with a lowercase letter and hold only a-z, 0-9 and _ (HubSpot's rule for property names)",
            );
        }
    }
    if let Some(s) = p.str(w, PATH, "group") {
        c.group = s;
    }
    if let Some(list) = p.strings(w, PATH, "fields") {
        let mut fields = Vec::new();
        for (f, span) in list {
            match CrmField::parse(&f) {
                Some(f) if !fields.contains(&f) => fields.push(f),
                Some(_) => {}
                None => p.err(
                    span,
                    "writeback.fields",
                    format!("'{f}' is not a field; one of {}", CrmField::ALL.map(CrmField::suffix).join(", ")),
                ),
            }
        }
        c.fields = fields;
    }
    if let Some(n) = p.int(w, PATH, "top_reasons", 1, 50) {
        c.top_reasons = n as usize;
    }
    if let Some(n) = p.int(w, PATH, "text_limit", 20, 65_536) {
        c.text_limit = Some(n as usize);
    }
    if let Some(b) = p.bool(w, PATH, "lifecycle_stage") {
        c.lifecycle_stage = b;
    }
    if let Some(rules) = p.table(w, PATH, "rules") {
        for (name, item) in rules.iter() {
            let path = format!("writeback.rules.{name}");
            let Some(field) = CrmField::parse(name) else {
                let span = rules.key(name).and_then(|k| k.span()).or_else(|| item.span());
                p.err(span, &path, format!("not a field; one of {}", CrmField::ALL.map(CrmField::suffix).join(", ")));
                continue;
            };
            let Some(t) = p.table(rules, "writeback.rules", name) else { continue };
            p.unknown(t, &path, &["keep_human", "only_if_empty"]);
            let mut rule = FieldRule::default();
            if let Some(b) = p.bool(t, &path, "keep_human") {
                rule.keep_human = b;
            }
            if let Some(b) = p.bool(t, &path, "only_if_empty") {
                rule.only_if_empty = b;
            }
            c.rules.insert(field, rule);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_file() {
        let text = r#"
[hubspot]
token_file = "/run/secrets/hs"
tier = "enterprise"
share = 0.5
utc_offset = "-05:00"
objects = ["contacts", "deals", "meetings", "form_submissions"]
page_size = 200
[hubspot.mapping]
contacts = "my-contacts.toml"

[writeback]
fields = ["score", "reasons", "rep"]
top_reasons = 5
lifecycle_stage = true
[writeback.rules.rep]
only_if_empty = true
"#;
        let c = SyncConfig::parse(text, "sync.toml").unwrap();
        let h = c.hubspot.unwrap();
        assert_eq!(h.tier, Tier::Enterprise);
        assert_eq!(h.utc_offset_minutes, -300);
        assert_eq!(h.objects, ["contacts", "deals", "meetings", "form_submissions"]);
        assert_eq!(h.mappings["contacts"], "my-contacts.toml");
        assert_eq!(c.writeback.fields, [CrmField::Score, CrmField::Reasons, CrmField::Rep]);
        assert!(c.writeback.rules[&CrmField::Rep].only_if_empty);
        assert!(c.writeback.lifecycle_stage);
    }

    #[test]
    fn engagement_kinds_are_read_only_when_listed() {
        let h = SyncConfig::parse("[hubspot]\n", "s.toml").unwrap().hubspot.unwrap();
        assert_eq!(h.objects, ["contacts", "companies", "deals"]);
        let text = "[hubspot]\nobjects = [\"contacts\", \"email_events\", \"email_events\"]\n";
        assert_eq!(SyncConfig::parse(text, "s.toml").unwrap().hubspot.unwrap().objects, ["contacts", "email_events"]);
        // Events have no mapping file.
        let e = SyncConfig::parse("[hubspot]\n[hubspot.mapping]\nmeetings = \"m.toml\"\n", "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:3: hubspot.mapping.meetings: unknown key"), "{e}");
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let text = "[hubspot]\ntier = \"gold\"\npage_sise = 10\nobjects = [\"contacts\", \"tickets\"]\n\n[writeback.rules.scor]\nonly_if_empty = true\n";
        let e = SyncConfig::parse(text, "sync.toml").unwrap_err().to_string();
        assert!(e.contains("sync.toml:2: hubspot.tier: 'gold' is not a tier"), "{e}");
        assert!(e.contains("sync.toml:3: hubspot.page_sise: unknown key (did you mean 'page_size'?)"), "{e}");
        assert!(e.contains("sync.toml:4: hubspot.objects: 'tickets'"), "{e}");
        assert!(e.contains("sync.toml:6: writeback.rules.scor: not a field"), "{e}");
        let e = SyncConfig::parse("[hubspot\n", "s.toml").unwrap_err().to_string();
        assert!(e.starts_with("s.toml:1: "), "{e}");
        let e = SyncConfig::parse("", "s.toml").unwrap_err().to_string();
        assert!(e.contains("no CRM configured"), "{e}");
        let e = SyncConfig::parse("[hubspot]\ninterval = \"15 min\"\n", "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:2: hubspot.interval: '15 min' is not an interval"), "{e}");
        let e = SyncConfig::parse("\n[hubspot]\ntier = \"free\"\n", "s.toml").unwrap().scheduled().unwrap_err().to_string();
        assert_eq!(e, "s.toml:2: hubspot.interval: missing: a scheduled sync needs one, e.g. interval = \"15m\"");
        let c = SyncConfig::parse("[hubspot]\ninterval = \"15m\"\n", "s.toml").unwrap();
        assert_eq!(c.scheduled().unwrap(), [("hubspot", std::time::Duration::from_secs(900))]);
        let e = SyncConfig::parse("[hubspot]\n[salesforce]\nbatch_size = 5\n", "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:2: salesforce.instance_url: missing"), "{e}");
        assert!(e.contains("s.toml:3: salesforce.batch_size: must be a whole number from 200 to 2000"), "{e}");
    }

    #[test]
    fn a_salesforce_file() {
        let text = "[salesforce]\ninstance_url = \"https://acme.my.salesforce.com/\"\nobjects = [\"contacts\", \"leads\"]\nfield_prefix = \"LR_\"\n[salesforce.mapping]\nleads = \"l.toml\"\n";
        let c = SyncConfig::parse(text, "sync.toml").unwrap();
        let s = c.salesforce.unwrap();
        assert_eq!(s.instance_url, "https://acme.my.salesforce.com");
        assert_eq!(s.api_version, "v62.0");
        assert_eq!(s.token_env, "SALESFORCE_TOKEN");
        assert_eq!(s.objects, ["leads", "contacts"]);
        assert_eq!(s.field_prefix, "LR_");
        assert_eq!(s.mappings["leads"], "l.toml");
        assert_eq!((s.bulk_first_load, s.bulk_threshold, s.bulk_max_records), (false, 10_000, 50_000));
        let b = SyncConfig::parse("[salesforce]\ninstance_url = \"https://x\"\nbulk_first_load = true\nbulk_max_records = 500\n", "s.toml");
        let b = b.unwrap().salesforce.unwrap();
        assert_eq!((b.bulk_first_load, b.bulk_max_records), (true, 500));
        let e =
            SyncConfig::parse("[salesforce]\ninstance_url = \"https://x\"\nbulk_first_load = \"yes\"\n", "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:3: salesforce.bulk_first_load: must be true or false"), "{e}");
        let e = SyncConfig::parse("[salesforce]\ninstance_url = \"https://x\"\napi_version = \"62\"\nfield_prefix = \"a__b\"\n", "s.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("s.toml:3: salesforce.api_version"), "{e}");
        assert!(e.contains("s.toml:4: salesforce.field_prefix"), "{e}");
    }

    #[test]
    fn salesforce_jwt_bearer_is_checked() {
        let base = "[salesforce]\ninstance_url = \"https://x\"\n";
        let ok = "auth = \"jwt_bearer\"\nclient_id = \"3MVG9k\"\nusername = \"sync@acme.com\"\nprivate_key_file = \"sf.pem\"\n";
        let s = SyncConfig::parse(&format!("{base}{ok}"), "s.toml").unwrap().salesforce.unwrap();
        let j = s.jwt_bearer.unwrap();
        assert_eq!(
            (j.client_id.as_str(), j.username.as_str(), j.private_key_file.as_str(), j.login_url.as_str()),
            ("3MVG9k", "sync@acme.com", "sf.pem", "https://login.salesforce.com")
        );
        assert!(s.client_credentials.is_none());
        let j = SyncConfig::parse(&format!("{base}{ok}login_url = \"https://test.salesforce.com/\"\n"), "s.toml").unwrap();
        assert_eq!(j.salesforce.unwrap().jwt_bearer.unwrap().login_url, "https://test.salesforce.com");
        let e = SyncConfig::parse(&format!("{base}auth = \"jwt_bearer\"\nclient_id = \"k\"\n"), "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:1: salesforce.username: missing"), "{e}");
        assert!(e.contains("s.toml:1: salesforce.private_key_file: missing"), "{e}");
        let e = SyncConfig::parse(&format!("{base}{ok}client_secret_file = \"x\"\n"), "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:7: salesforce.client_secret_file: goes with auth = \"client_credentials\""), "{e}");
        let e = SyncConfig::parse(&format!("{base}username = \"u\"\n"), "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:3: salesforce.username: goes with auth = \"jwt_bearer\""), "{e}");
        let e = SyncConfig::parse(&format!("{base}{ok}login_url = \"login.salesforce.com\"\n"), "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:7: salesforce.login_url: must start with https://"), "{e}");
    }

    #[test]
    fn salesforce_client_credentials_are_checked() {
        let base = "[salesforce]\ninstance_url = \"https://x\"\n";
        let c = SyncConfig::parse(&format!("{base}auth = \"client_credentials\"\nclient_id = \"3MVG9k\"\n"), "s.toml").unwrap();
        let cc = c.salesforce.unwrap().client_credentials.unwrap();
        assert_eq!((cc.client_id.as_str(), cc.secret_env.as_str(), cc.secret_file), ("3MVG9k", "SALESFORCE_CLIENT_SECRET", None));
        let e = SyncConfig::parse(&format!("{base}auth = \"client_credentials\"\n"), "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:1: salesforce.client_id: missing"), "{e}");
        let e = SyncConfig::parse(&format!("{base}auth = \"jwt\"\n"), "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:3: salesforce.auth: 'jwt' is not an authentication"), "{e}");
        let e = SyncConfig::parse(&format!("{base}client_id = \"k\"\n"), "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:3: salesforce.client_id: goes with auth"), "{e}");
        let e = SyncConfig::parse(&format!("{base}interval = \"2y\"\n"), "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:3: salesforce.interval"), "{e}");
    }

    #[test]
    fn hubspot_webhooks_are_checked() {
        let base = "[hubspot]\n";
        let c = SyncConfig::parse(base, "s.toml").unwrap();
        assert!(c.hubspot.unwrap().webhooks.is_none());
        let on = "webhooks = true\nwebhook_url = \"https://lr.example.com/v1/crm/hubspot/webhooks\"\n";
        let w = SyncConfig::parse(&format!("{base}{on}"), "s.toml").unwrap().hubspot.unwrap().webhooks.unwrap();
        assert_eq!((w.secret_env.as_str(), w.secret_file, w.reconcile_every.as_secs()), ("HUBSPOT_CLIENT_SECRET", None, 86_400));
        let w = SyncConfig::parse(&format!("{base}{on}reconcile_every = \"7d\"\nclient_secret_file = \"s\"\n"), "s.toml").unwrap();
        let w = w.hubspot.unwrap().webhooks.unwrap();
        assert_eq!((w.reconcile_every.as_secs(), w.secret_file.as_deref(), w.delay.as_secs()), (7 * 86_400, Some("s"), 2));
        let w = SyncConfig::parse(&format!("{base}{on}webhook_delay = \"5m\"\n"), "s.toml").unwrap();
        assert_eq!(w.hubspot.unwrap().webhooks.unwrap().delay.as_secs(), 300);
        let e = SyncConfig::parse(&format!("{base}webhooks = true\n"), "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:2: hubspot.webhook_url: missing"), "{e}");
        let e = SyncConfig::parse(&format!("{base}reconcile_every = \"1d\"\n"), "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:2: hubspot.reconcile_every: only read with webhooks = true"), "{e}");
        let e = SyncConfig::parse(&format!("{base}{on}reconcile_every = \"1y\"\n"), "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:4: hubspot.reconcile_every"), "{e}");
    }
}
