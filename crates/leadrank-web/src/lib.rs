//! The web app, served by `leadrank serve` at `/` beside the API under `/v1`.
//!
//! Server-rendered pages ([maud] templates escape every value), one small script of our own
//! (`assets/app.js`: live refresh over server-sent events and keyboard shortcuts) and one
//! style sheet, all embedded in the binary: no CDN, no external font, no Node toolchain.
//!
//! * [`auth`]: sign-in with a username and password (Argon2id) or single sign-on
//!   ([`sso`], OpenID Connect), sessions in an HttpOnly,
//!   SameSite=Strict cookie, the form token every state change carries, the signed-in user
//!   as an extractor;
//! * who may see and act on which lead is `leadrank_service::access` (a rep: their own; a
//!   manager: their teams'; RevOps and admins: every lead, read-only);
//! * [`queue`], [`lead`], [`team`], [`quality`], [`models`] (the model workspace),
//!   [`import`] (CSV imports through a mapping), [`settings`]: the screens; [`live`]: the change stream;
//! * [`page`]: the page shell, navigation and shared pieces.
//!
//! Handlers call [`leadrank_service::Service`] only, never the store.

// Checks return the page to answer with as their error (`Result<_, Response>`): it is built
// once per refused request and returned at once, so its size does not matter.
#![allow(clippy::result_large_err)]

pub mod alert_rules;
pub mod auth;
pub mod import;
pub mod lead;
pub mod live;
pub mod models;
pub mod page;
pub mod quality;
pub mod queue;
pub mod settings;
pub mod sso;
pub mod sync;
pub mod team;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use leadrank_service::Service;

/// The web app's state.
#[derive(Clone)]
pub struct Web {
    pub service: Arc<Service>,
    /// Single sign-on, when set up.
    pub sso: Option<Arc<sso::Sso>>,
    /// The funnel of the Team screen and when it was built: it is rebuilt from the whole
    /// operating log, so views within [`team::FUNNEL_FRESH`] share one (the page says when).
    pub funnel: Arc<Mutex<Option<team::BuiltFunnel>>>,
    /// Per reach, the open leads in it best first, with the change counter they were read
    /// at (see `queue::rows_for`).
    pub candidates: Arc<Mutex<HashMap<String, queue::Candidates>>>,
    /// Alert rules may send to loopback and private networks (`serve --allow-private-webhooks`).
    pub allow_private_targets: bool,
}

/// Where alert rules made in the web app may send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Targets {
    /// Public addresses only (the default).
    #[default]
    PublicOnly,
    /// Loopback and private networks too (`serve --allow-private-webhooks`).
    AllowPrivate,
}

/// The Content-Security-Policy of every page: scripts, styles and connections from this
/// origin only, no inline script or style, no framing, forms post here only.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; \
                       form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Longest form body accepted: a model file and the form around it (URL-encoding can
/// triple a file's size; the model's own limit is checked after decoding).
pub const MAX_FORM: usize = 3 * models::MAX_MODEL + 32 * 1024;

/// Refuses a state change (any method but GET and HEAD) whose `Origin` header names another
/// site: a form on someone else's page cannot sign a visitor in (login CSRF) or act for them.
/// Requests without `Origin` (not from a browser) pass; forms still carry their token.
/// `Origin: null` (a sandboxed frame, or a page with `Referrer-Policy: no-referrer`) is
/// refused: our own pages send `same-origin`, so browsers name their origin.
fn cross_site(req: &Request) -> bool {
    if matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD) {
        return false;
    }
    let Some(origin) = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return false };
    let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest).trim_end_matches('/');
    // The host the browser asked for: a proxy in front says it in X-Forwarded-Host.
    let same = ["x-forwarded-host", "host"]
        .iter()
        .filter_map(|h| req.headers().get(*h).and_then(|v| v.to_str().ok()))
        .any(|host| origin_host.eq_ignore_ascii_case(host.trim()));
    origin == "null" || !same
}

async fn security_headers(req: Request, next: Next) -> Response {
    if cross_site(&req) {
        return page::error(
            axum::http::StatusCode::FORBIDDEN,
            "Refused",
            "This request came from another site. Open leadrank itself and try again.",
        );
    }
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

const APP_CSS: &str = include_str!("../assets/app.css");
const APP_JS: &str = include_str!("../assets/app.js");

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

/// The web app's routes (mounted at `/` by the HTTP adapter, beside routes of any state);
/// alert rules to public addresses only.
pub fn router<S: Clone + Send + Sync + 'static>(service: Arc<Service>, sso: Option<Arc<sso::Sso>>) -> Router<S> {
    router_with(service, sso, Targets::PublicOnly)
}

/// [`router`], saying where alert rules may send.
pub fn router_with<S: Clone + Send + Sync + 'static>(service: Arc<Service>, sso: Option<Arc<sso::Sso>>, targets: Targets) -> Router<S> {
    let allow_private_targets = targets == Targets::AllowPrivate;
    let web = Web { service, sso, funnel: Arc::default(), candidates: Arc::default(), allow_private_targets };
    Router::new()
        .route("/", get(auth::home))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/login/sso", get(auth::sso_start))
        .route("/login/sso/callback", get(auth::sso_callback))
        .route("/logout", post(auth::logout))
        .route("/logout-everywhere", post(auth::logout_everywhere))
        .route("/queue", get(queue::page))
        .route("/queue/rows", get(queue::rows))
        .route("/leads/{lead_id}", get(lead::page))
        .route("/leads/{lead_id}/accept", post(lead::accept))
        .route("/leads/{lead_id}/reject", post(lead::reject))
        .route("/leads/{lead_id}/checklist", post(lead::checklist))
        .route("/leads/{lead_id}/snooze", post(lead::snooze))
        .route("/leads/{lead_id}/reassign", post(team::reassign))
        .route("/team", get(team::page))
        .route("/quality", get(quality::page))
        .route("/models", get(models::list).post(models::upload))
        .route("/models/new", get(models::new))
        .route("/models/check", post(models::check))
        .route("/models/{id}", get(models::show))
        .route("/models/{id}/signoff", post(models::sign_off))
        .route("/models/{id}/publish", post(models::publish))
        .route("/import", get(import::page).post(import::submit).layer(axum::extract::DefaultBodyLimit::max(import::MAX_IMPORT_FORM)))
        .route("/settings", get(settings::page))
        .route("/settings/users", post(settings::create_user))
        .route("/settings/users/state", post(settings::user_state))
        .route("/settings/users/password", post(settings::reset_password))
        .route("/settings/reps", post(settings::rep))
        .route("/settings/reps/new", post(settings::new_rep))
        .route("/settings/teams", post(settings::team))
        .route("/settings/webhooks", post(settings::webhook))
        .route("/settings/webhooks/delete", post(settings::delete_webhook))
        .route("/settings/alerts", post(alert_rules::create))
        .route("/settings/alerts/delete", post(alert_rules::delete))
        .route("/settings/teams/delete", post(settings::delete_team))
        .route("/settings/reps/delete", post(settings::delete_rep))
        .route("/settings/erase", post(settings::erase))
        .route("/settings/routing", post(settings::routing))
        .route("/settings/sync", post(sync::action))
        .route("/live", get(live::stream))
        .route("/assets/app.css", get(|| async { asset("text/css; charset=utf-8", APP_CSS) }))
        .route("/assets/app.js", get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_FORM))
        .layer(middleware::from_fn(security_headers))
        .with_state(web)
}
