//! The HTTP client of one CRM connection: every call passes the rate budget, 429s hold the
//! budget back for `Retry-After`, 5xx and timeouts back off and retry, the daily cap stops
//! the run. The token is never logged or printed. The [`Dialect`] says how the CRM reports
//! errors and its daily allowance (HubSpot: a JSON object and 429 `DAILY`; Salesforce: an
//! array of `{message, errorCode}`, 403 `REQUEST_LIMIT_EXCEEDED` and `Sforce-Limit-Info`).

use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use leadrank_crm::budget::{Admit, Budget, HUBSPOT_SEARCH, Limits};
use leadrank_crm::calls::CallCount;
use leadrank_crm::salesforce::{parse_limit_info, within_share};
use serde_json::Value;

/// A secret token: shown as `***` in every format.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn new(s: impl Into<String>) -> Option<Token> {
        let s: String = s.into().trim().to_string();
        if s.is_empty() { None } else { Some(Token(s)) }
    }

    /// The secret itself (to key a signature check; never to print).
    pub(crate) fn reveal(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(***)")
    }
}

/// Why a sync call failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The CRM refused the request (a 4xx other than 429).
    #[error("{crm} answered {status} {category}: {message}{}", if correlation.is_empty() { String::new() } else { format!(" (correlation id {correlation})") })]
    Api { crm: &'static str, status: u16, category: String, message: String, correlation: String },
    /// The day's API allowance is spent.
    #[error("the daily API allowance is spent until {until}; the next run resumes from the stored cursor")]
    DailyCap { until: String },
    /// Retries ran out.
    #[error("gave up after {tries} attempts at {path}: {last}; the next run resumes from the stored cursor")]
    GaveUp { tries: u32, path: String, last: String },
    #[error("unexpected answer from {path}: {detail}")]
    Protocol { path: String, detail: String },
    #[error(transparent)]
    Service(#[from] leadrank_service::ServiceError),
}

/// What a call is for (counted separately).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Read,
    Write,
    Setup,
}

/// Counters of one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Requests sent (each attempt spends budget).
    pub calls: CallCount,
    pub retries: u64,
    pub throttled: u64,
    pub server_errors: u64,
    pub timeouts: u64,
    /// Milliseconds spent waiting for the budget or a `Retry-After`.
    pub waited_ms: u64,
}

/// How a CRM answers errors and reports its allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    HubSpot,
    Salesforce,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::HubSpot => "HubSpot",
            Dialect::Salesforce => "Salesforce",
        }
    }
}

/// Options of the client.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub dialect: Dialect,
    pub limits: Limits,
    pub search_limits: Limits,
    pub share: f64,
    pub utc_offset_minutes: i64,
    pub timeout: Duration,
    pub max_retries: u32,
    /// First backoff after a 5xx or a timeout (doubles per attempt, at most 60 s).
    pub backoff: Duration,
    /// Wait after a 429 without `Retry-After`.
    pub default_retry_after: Duration,
}

impl ClientOptions {
    pub fn hubspot(tier: leadrank_crm::Tier) -> ClientOptions {
        ClientOptions {
            dialect: Dialect::HubSpot,
            limits: tier.hubspot_limits(),
            search_limits: HUBSPOT_SEARCH,
            share: 0.8,
            utc_offset_minutes: 0,
            timeout: Duration::from_secs(30),
            max_retries: 8,
            backoff: Duration::from_millis(500),
            default_retry_after: Duration::from_secs(10),
        }
    }

    /// Salesforce: no burst window (its limits are a rolling 24-hour allocation per org,
    /// read from every answer's `Sforce-Limit-Info`, and concurrent long requests); the
    /// connection stops before the org's usage passes `share` of the allocation.
    pub fn salesforce(share: f64) -> ClientOptions {
        let unlimited = Limits { burst: u32::MAX, window_ms: 1_000, daily: 0 };
        ClientOptions {
            dialect: Dialect::Salesforce,
            limits: unlimited,
            search_limits: unlimited,
            share,
            utc_offset_minutes: 0,
            timeout: Duration::from_secs(30),
            max_retries: 8,
            backoff: Duration::from_millis(500),
            default_retry_after: Duration::from_secs(10),
        }
    }
}

/// An answer: status and JSON body.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

/// A text answer (CSV) and its `Sforce-Locator` header, when it has one.
#[derive(Debug, Clone)]
pub struct TextAnswer {
    pub status: u16,
    pub text: String,
    pub locator: Option<String>,
}

/// OAuth 2.0 client credentials (Salesforce's client credentials flow): the client asks
/// `token_url` for an access token before its first call and again when a call answers 401.
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    /// `https://<my domain>.my.salesforce.com/services/oauth2/token`.
    pub token_url: String,
    /// The connected app's consumer key (not a secret).
    pub client_id: String,
    /// The connected app's consumer secret.
    pub client_secret: Token,
}

/// Salesforce's OAuth token endpoint, below the login or instance URL.
pub(crate) const TOKEN_PATH: &str = "/services/oauth2/token";

/// POSTs an OAuth token request form to `url`: the answer's status and its JSON body (null
/// when it is not JSON; the caller reads OAuth's `error` and `error_description` from it).
pub(crate) async fn post_token_form(
    http: &reqwest::Client,
    url: &str,
    form: String,
    failed: impl Fn(reqwest::Error) -> SyncError,
) -> Result<(u16, Value), SyncError> {
    let resp = http.post(url).header("content-type", "application/x-www-form-urlencoded").body(form).send().await.map_err(&failed)?;
    let status = resp.status().as_u16();
    let body = serde_json::from_slice(&resp.bytes().await.map_err(&failed)?).unwrap_or(Value::Null);
    Ok((status, body))
}

impl ClientCredentials {
    /// Asks for a new access token (`grant_type=client_credentials`).
    async fn fetch(&self, http: &reqwest::Client) -> Result<Token, SyncError> {
        let form = format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            percent_encode(&self.client_id),
            percent_encode(&self.client_secret.0)
        );
        let failed = |e: reqwest::Error| SyncError::Protocol {
            path: TOKEN_PATH.into(),
            detail: format!("the token request failed: {}", redact(&e.to_string())),
        };
        let (status, body) = post_token_form(http, &self.token_url, form, failed).await?;
        let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        if !(200..300).contains(&status) {
            return Err(SyncError::Api {
                crm: "Salesforce",
                status,
                category: text("error"),
                message: format!(
                    "{} (the client credentials were refused; check the connected app's key, secret and run-as user)",
                    text("error_description")
                ),
                correlation: String::new(),
            });
        }
        Token::new(text("access_token"))
            .ok_or_else(|| SyncError::Protocol { path: TOKEN_PATH.into(), detail: "no access_token in the answer".into() })
    }
}

/// A HubSpot connection.
pub struct HubSpotClient {
    http: reqwest::Client,
    base: String,
    /// The access token (none yet with client credentials, before the first call).
    token: Mutex<Option<Token>>,
    credentials: Option<ClientCredentials>,
    /// Salesforce's JWT bearer flow: tokens and the instance URL from the login host.
    jwt: Option<crate::jwt::JwtBearer>,
    /// The instance URL the JWT bearer flow's token endpoint answered (used instead of `base`).
    instance: Mutex<Option<String>>,
    budget: Mutex<Budget>,
    search: Mutex<Budget>,
    options: ClientOptions,
    stats: Mutex<Stats>,
    /// The org's daily API usage from the last answer (Salesforce): (used, allocation).
    usage: Mutex<Option<(u64, u64)>>,
}

/// The client of either CRM (the name kept from when HubSpot was the only one).
pub type CrmClient = HubSpotClient;

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

fn when(ms: u64) -> String {
    jiff::Timestamp::from_millisecond(ms as i64).map(|t| t.to_string()).unwrap_or_else(|_| ms.to_string())
}

impl HubSpotClient {
    pub fn new(base: &str, token: Token, options: ClientOptions) -> anyhow::Result<HubSpotClient> {
        let http =
            reqwest::Client::builder().timeout(options.timeout).user_agent(concat!("leadrank/", env!("CARGO_PKG_VERSION"))).build()?;
        Ok(HubSpotClient {
            http,
            base: base.trim_end_matches('/').to_string(),
            token: Mutex::new(Some(token)),
            credentials: None,
            jwt: None,
            instance: Mutex::new(None),
            budget: Mutex::new(Budget::new(options.limits, options.share, options.utc_offset_minutes)),
            search: Mutex::new(Budget::new(options.search_limits, 1.0, 0)),
            options,
            stats: Mutex::new(Stats::default()),
            usage: Mutex::new(None),
        })
    }

    /// A client that gets its access tokens with OAuth client credentials (first before its
    /// first call, then again whenever a call answers 401).
    pub fn with_client_credentials(base: &str, credentials: ClientCredentials, options: ClientOptions) -> anyhow::Result<HubSpotClient> {
        let mut client = HubSpotClient::new(base, Token(String::from("-")), options)?;
        client.token = Mutex::new(None);
        client.credentials = Some(credentials);
        Ok(client)
    }

    /// A Salesforce client that gets its access tokens, and the instance URL it calls, with
    /// the JWT bearer flow (first before its first call, then again whenever a call answers
    /// 401); `base` is used until the first token arrives.
    pub fn with_jwt_bearer(base: &str, jwt: crate::jwt::JwtBearer, options: ClientOptions) -> anyhow::Result<HubSpotClient> {
        let mut client = HubSpotClient::new(base, Token(String::from("-")), options)?;
        client.token = Mutex::new(None);
        client.jwt = Some(jwt);
        Ok(client)
    }

    /// The URL calls go to: the instance URL the token endpoint answered, else `base`.
    fn base_url(&self) -> String {
        self.instance.lock().unwrap_or_else(|e| e.into_inner()).clone().unwrap_or_else(|| self.base.clone())
    }

    /// The access token to send, fetched first when there is none.
    async fn bearer(&self) -> Result<String, SyncError> {
        if let Some(t) = self.token.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            return Ok(t.0.clone());
        }
        self.renew().await
    }

    /// Asks for a new access token (client credentials or the JWT bearer flow).
    async fn renew(&self) -> Result<String, SyncError> {
        if let Some(jwt) = &self.jwt {
            let (token, instance) = jwt.fetch(&self.http).await?;
            let bearer = token.0.clone();
            *self.instance.lock().unwrap_or_else(|e| e.into_inner()) = Some(instance);
            *self.token.lock().unwrap_or_else(|e| e.into_inner()) = Some(token);
            return Ok(bearer);
        }
        let Some(creds) = &self.credentials else {
            return Err(SyncError::Protocol { path: TOKEN_PATH.into(), detail: "no client credentials to renew the token with".into() });
        };
        let token = creds.fetch(&self.http).await?;
        let bearer = token.0.clone();
        *self.token.lock().unwrap_or_else(|e| e.into_inner()) = Some(token);
        Ok(bearer)
    }

    pub fn stats(&self) -> Stats {
        *self.stats.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn stat(&self, f: impl FnOnce(&mut Stats)) {
        f(&mut self.stats.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// The day's count of the budget, to keep for the next run.
    pub fn day_count(&self) -> (i64, u64) {
        self.budget.lock().unwrap_or_else(|e| e.into_inner()).day_count()
    }

    /// Restores the day's count from an earlier run.
    pub fn restore_day(&self, day: i64, used: u64) {
        self.budget.lock().unwrap_or_else(|e| e.into_inner()).restore_day(day, used);
    }

    /// The budget's burst per window and daily calls.
    pub fn budget_limits(&self) -> (u32, u64, u64) {
        let b = self.budget.lock().unwrap_or_else(|e| e.into_inner());
        (b.burst(), b.limits().window_ms, b.daily())
    }

    /// The org's daily API usage from the last answer (Salesforce): (used, allocation).
    pub fn usage(&self) -> Option<(u64, u64)> {
        *self.usage.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until the budget (and the search budget for searches) lets a call go, and
    /// counts it.
    async fn admit(&self, search: bool) -> Result<(), SyncError> {
        if let Some((used, max)) = self.usage()
            && !within_share(used, max, self.options.share)
        {
            return Err(SyncError::DailyCap {
                until: format!(
                    "calls age out of Salesforce's rolling 24 hours (the org used {used} of {max}; this connection stops at {:.0}%)",
                    self.options.share * 100.0
                ),
            });
        }
        loop {
            let now = now_ms();
            let wait = {
                let mut b = self.budget.lock().unwrap_or_else(|e| e.into_inner());
                let mut s = self.search.lock().unwrap_or_else(|e| e.into_inner());
                match (b.check(now), if search { s.check(now) } else { Admit::Go }) {
                    (Admit::Exhausted { until_ms }, _) | (_, Admit::Exhausted { until_ms }) => {
                        return Err(SyncError::DailyCap { until: when(until_ms) });
                    }
                    (Admit::Go, Admit::Go) => {
                        b.record(now);
                        if search {
                            s.record(now);
                        }
                        return Ok(());
                    }
                    (Admit::Wait(a), Admit::Go) | (Admit::Go, Admit::Wait(a)) => a,
                    (Admit::Wait(a), Admit::Wait(c)) => a.max(c),
                }
            };
            self.stat(|s| s.waited_ms += wait);
            tokio::time::sleep(Duration::from_millis(wait)).await;
        }
    }

    /// GET a path.
    pub async fn get(&self, path: &str, purpose: Purpose) -> Result<Answer, SyncError> {
        self.call(reqwest::Method::GET, path, None, &[], purpose).await
    }

    /// GET a path with extra request headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, String)], purpose: Purpose) -> Result<Answer, SyncError> {
        self.call(reqwest::Method::GET, path, None, headers, purpose).await
    }

    /// PATCH JSON to a path.
    pub async fn patch(&self, path: &str, body: &Value, purpose: Purpose) -> Result<Answer, SyncError> {
        self.call(reqwest::Method::PATCH, path, Some(body), &[], purpose).await
    }

    /// POST JSON to a path.
    pub async fn post(&self, path: &str, body: &Value, purpose: Purpose) -> Result<Answer, SyncError> {
        self.call(reqwest::Method::POST, path, Some(body), &[], purpose).await
    }

    /// GET a path whose answer is text (a Bulk API 2.0 job's CSV results), with its
    /// `Sforce-Locator` header.
    pub async fn get_text(&self, path: &str, purpose: Purpose) -> Result<TextAnswer, SyncError> {
        let (status, bytes, headers) = self.call_raw(reqwest::Method::GET, path, None, &[], purpose).await?;
        let text =
            String::from_utf8(bytes).map_err(|_| SyncError::Protocol { path: path.into(), detail: "the body is not UTF-8".into() })?;
        let locator = headers.get("sforce-locator").and_then(|v| v.to_str().ok()).map(str::to_string);
        Ok(TextAnswer { status, text, locator })
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, String)],
        purpose: Purpose,
    ) -> Result<Answer, SyncError> {
        let (status, bytes, _) = self.call_raw(method, path, body, headers, purpose).await?;
        let body =
            serde_json::from_slice(&bytes).map_err(|_| SyncError::Protocol { path: path.into(), detail: "the body is not JSON".into() })?;
        Ok(Answer { status, body })
    }

    /// One call with its retries: a 2xx answer's status, body and headers.
    async fn call_raw(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, String)],
        purpose: Purpose,
    ) -> Result<(u16, Vec<u8>, reqwest::header::HeaderMap), SyncError> {
        let search = path.ends_with("/search");
        let payload = body.map(|b| b.to_string());
        let mut attempt: u32 = 0;
        let mut renewed = false;
        loop {
            let bearer = self.bearer().await?;
            let url = format!("{}{}", self.base_url(), path);
            self.admit(search).await?;
            self.stat(|s| match purpose {
                Purpose::Read => s.calls.reads += 1,
                Purpose::Write => s.calls.writes += 1,
                Purpose::Setup => s.calls.setup += 1,
            });
            let mut req = self.http.request(method.clone(), &url).bearer_auth(&bearer);
            for (k, v) in headers {
                req = req.header(*k, v);
            }
            if let Some(p) = &payload {
                req = req.header("content-type", "application/json").body(p.clone());
            }
            let last: String;
            let mut backoff = true;
            match req.send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let retry_after = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    if let Some(u) = resp.headers().get("sforce-limit-info").and_then(|v| v.to_str().ok()).and_then(parse_limit_info) {
                        *self.usage.lock().unwrap_or_else(|e| e.into_inner()) = Some(u);
                    }
                    let answer_headers = resp.headers().clone();
                    let bytes = match resp.bytes().await {
                        Ok(b) => b,
                        Err(e) => {
                            self.stat(|s| s.timeouts += 1);
                            last = format!("reading the answer failed: {}", redact(&e.to_string()));
                            attempt += 1;
                            if attempt > self.options.max_retries {
                                return Err(SyncError::GaveUp { tries: attempt, path: path.into(), last });
                            }
                            self.sleep_backoff(attempt).await;
                            continue;
                        }
                    };
                    if (200..300).contains(&status) {
                        return Ok((status, bytes.to_vec(), answer_headers));
                    }
                    let json: Option<Value> = serde_json::from_slice(&bytes).ok();
                    // Salesforce's errors are an array of `{message, errorCode}`.
                    let first = json.as_ref().map(|j| j.get(0).unwrap_or(j));
                    let field = |k: &str| first.and_then(|j| j.get(k)).and_then(Value::as_str).unwrap_or("").to_string();
                    let dialect = self.options.dialect;
                    if dialect == Dialect::Salesforce && status == 403 && field("errorCode") == "REQUEST_LIMIT_EXCEEDED" {
                        return Err(SyncError::DailyCap {
                            until: "calls age out of Salesforce's rolling 24 hours (REQUEST_LIMIT_EXCEEDED)".into(),
                        });
                    }
                    if status == 401 && (self.credentials.is_some() || self.jwt.is_some()) && !renewed {
                        // The access token expired or was revoked: one new one, then the call again.
                        renewed = true;
                        self.renew().await?;
                        continue;
                    }
                    if status == 429 {
                        self.stat(|s| s.throttled += 1);
                        if field("policyName") == "DAILY" {
                            let now = now_ms();
                            self.budget.lock().unwrap_or_else(|e| e.into_inner()).exhaust_day(now);
                            let until = {
                                let mut b = self.budget.lock().unwrap_or_else(|e| e.into_inner());
                                match b.check(now) {
                                    Admit::Exhausted { until_ms } => until_ms,
                                    _ => now,
                                }
                            };
                            return Err(SyncError::DailyCap { until: when(until) });
                        }
                        let wait = retry_after.unwrap_or(self.options.default_retry_after);
                        self.budget.lock().unwrap_or_else(|e| e.into_inner()).hold_until(now_ms() + wait.as_millis() as u64);
                        last = format!("429 {}", field("message"));
                        backoff = false;
                    } else if status >= 500 {
                        self.stat(|s| s.server_errors += 1);
                        last = format!("{status} from the server");
                    } else {
                        let category = if dialect == Dialect::Salesforce { field("errorCode") } else { field("category") };
                        return Err(SyncError::Api {
                            crm: dialect.name(),
                            status,
                            category,
                            message: field("message"),
                            correlation: field("correlationId"),
                        });
                    }
                }
                Err(e) => {
                    if e.is_timeout() {
                        self.stat(|s| s.timeouts += 1);
                        last = format!("no answer within {} s", self.options.timeout.as_secs_f64());
                    } else {
                        last = format!("the request failed: {}", redact(&e.to_string()));
                    }
                }
            }
            attempt += 1;
            if attempt > self.options.max_retries {
                return Err(SyncError::GaveUp { tries: attempt, path: path.into(), last });
            }
            self.stat(|s| s.retries += 1);
            tracing::warn!(path, attempt, "CRM call failed, retrying: {last}");
            if backoff {
                self.sleep_backoff(attempt).await;
            }
        }
    }

    async fn sleep_backoff(&self, attempt: u32) {
        let ms = (self.options.backoff.as_millis() as u64).saturating_mul(1 << attempt.min(16).saturating_sub(1)).min(60_000);
        self.stat(|s| s.waited_ms += ms);
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters (for query strings and
/// form bodies).
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Error texts of the HTTP stack name the URL, never the token; this keeps only the text
/// before any query string in case a URL carries one.
fn redact(s: &str) -> String {
    match s.find('?') {
        Some(i) => format!("{}?…", &s[..i]),
        None => s.to_string(),
    }
}
