//! Sign-in, sessions and the form token.
//!
//! The session cookie `lr_session` is HttpOnly and SameSite=Strict (and Secure when the
//! request came over HTTPS through a proxy that says so with `X-Forwarded-Proto: https`).
//! Every state change is a POST carrying the form field `csrf`, which must equal the
//! session's form token; a new token is issued at every sign-in, so a session id planted
//! before sign-in is never adopted.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Form, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leadrank_service::users::{LoginError, Role, SignedIn};
use maud::html;
use serde::Deserialize;

use crate::Web;
use crate::page;

/// The session cookie's name.
pub const COOKIE: &str = "lr_session";

/// The session token presented in the request's cookie, if any.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    cookie_value(headers, COOKIE)
}

/// A cookie's value in the request, if present.
fn cookie_value<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// A signed-in user and their session token.
pub struct Signed {
    pub who: SignedIn,
    pub token: String,
}

impl Signed {
    pub fn username(&self) -> &str {
        &self.who.user.username
    }

    pub fn role(&self) -> Role {
        self.who.user.role
    }

    /// Checks a form's token against the session's (constant time).
    pub fn check_csrf(&self, presented: &str) -> Result<(), Response> {
        let expected = self.who.csrf.as_bytes();
        let p = presented.as_bytes();
        let same = p.len() == expected.len() && p.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if same {
            Ok(())
        } else {
            Err(page::error(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "The form's security token does not match your session (it was opened before you signed in again, or \
                 it came from another site). Go back, reload the page and try again.",
            ))
        }
    }
}

impl FromRequestParts<Web> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, web: &Web) -> Result<Self, Self::Rejection> {
        let to_login = || Redirect::to("/login").into_response();
        let Some(token) = session_token(&parts.headers) else { return Err(to_login()) };
        match web.service.session(token).await {
            Ok(Some(who)) => Ok(Signed { who, token: token.to_string() }),
            Ok(None) => Err(to_login()),
            Err(e) => {
                tracing::error!(error = %e, "reading a session");
                Err(page::error(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", "The session could not be read; try again."))
            }
        }
    }
}

fn cookie(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"))
        .unwrap_or_else(|_| HeaderValue::from_static("lr_session=; Path=/; Max-Age=0"))
}

fn behind_https(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// Where each role starts.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Rep => "/queue",
        Role::Manager => "/team",
        Role::Revops => "/quality",
        Role::Admin => "/settings",
    }
}

/// `GET /`: the signed-in user's home screen.
pub async fn home(signed: Signed) -> Response {
    Redirect::to(home_of(signed.role())).into_response()
}

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    error: Option<String>,
}

fn login_form(message: Option<&str>, username: &str, sso: bool) -> maud::Markup {
    page::bare(
        "Sign in",
        html! {
            main.signin {
                h1 { "leadrank" }
                p.muted { "Sign in to work your leads." }
                @if let Some(m) = message {
                    p.alert role="alert" { (m) }
                }
                form method="post" action="/login" {
                    label for="username" { "Username" }
                    input #username name="username" type="text" autocomplete="username" required maxlength="64" value=(username) autofocus;
                    label for="password" { "Password" }
                    input #password name="password" type="password" autocomplete="current-password" required maxlength="256";
                    button type="submit" { "Sign in" }
                }
                @if sso {
                    p { a.button href="/login/sso" { "Sign in with single sign-on" } }
                }
            }
        },
    )
}

/// `GET /login`.
pub async fn login_page(State(web): State<Web>, Query(q): Query<LoginQuery>) -> Response {
    let message = q.error.as_deref().map(|_| "Wrong username or password.");
    login_form(message, "", web.sso.is_some()).into_response()
}

/// The cookie binding a single sign-on to the browser that started it (SameSite=Lax: it
/// must come back on the provider's redirect, a cross-site navigation).
pub const SSO_COOKIE: &str = "lr_sso_state";

/// `GET /login/sso`: off to the identity provider. The sign-in's state goes along in a
/// cookie too, so that only this browser can complete it (no sign-in forced on someone
/// else by sending them a callback link).
pub async fn sso_start(State(web): State<Web>, headers: HeaderMap) -> Response {
    match &web.sso {
        Some(sso) => {
            let (url, state) = sso.start();
            let mut resp = Redirect::to(&url).into_response();
            let secure = if behind_https(&headers) { "; Secure" } else { "" };
            if let Ok(v) =
                HeaderValue::from_str(&format!("{SSO_COOKIE}={state}; Path=/login/sso; HttpOnly; SameSite=Lax; Max-Age=600{secure}"))
            {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
            resp
        }
        None => page::error(
            StatusCode::NOT_FOUND,
            "No single sign-on",
            "Single sign-on is not set up on this server (see `leadrank serve --help`, --oidc-issuer).",
        ),
    }
}

#[derive(Deserialize)]
pub struct SsoCallback {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

fn sso_refused(detail: String) -> Response {
    (StatusCode::FORBIDDEN, login_form(Some(&format!("Single sign-on failed: {detail}")), "", true)).into_response()
}

/// `GET /login/sso/callback`: back from the identity provider; a new session on success.
pub async fn sso_callback(State(web): State<Web>, headers: HeaderMap, Query(q): Query<SsoCallback>) -> Response {
    let Some(sso) = &web.sso else {
        return page::error(StatusCode::NOT_FOUND, "No single sign-on", "Single sign-on is not set up on this server.");
    };
    if let Some(e) = &q.error {
        return sso_refused(format!("the identity provider said {e}: {}", q.error_description.as_deref().unwrap_or("")));
    }
    let (Some(code), Some(state)) = (&q.code, &q.state) else { return sso_refused("the answer has no code or state".into()) };
    if cookie_value(&headers, SSO_COOKIE) != Some(state.as_str()) {
        return sso_refused("this sign-in was not started in this browser; start again".into());
    }
    let identity = match sso.finish(state, code).await {
        Ok(i) => i,
        Err(e) => return sso_refused(e.to_string()),
    };
    match web.service.sso_sign_in(&identity.username, &identity.name, identity.role.as_deref()).await {
        Ok((token, who)) => {
            // A page of ours moves on to the home screen: a redirect would continue the
            // provider's cross-site navigation, on which the SameSite=Strict session cookie
            // is not sent.
            let home = home_of(who.user.role);
            let body = page::bare(
                "Signed in",
                html! {
                    meta http-equiv="refresh" content={ "0;url=" (home) };
                    main.signin { p { "Signed in. " a href=(home) { "Continue" } } }
                },
            );
            let mut resp = body.into_response();
            let max_age = leadrank_service::users::SESSION_LIFETIME.as_secs();
            resp.headers_mut().append(header::SET_COOKIE, cookie(&token, max_age, behind_https(&headers)));
            if let Ok(v) = HeaderValue::from_str(&format!("{SSO_COOKIE}=; Path=/login/sso; HttpOnly; SameSite=Lax; Max-Age=0")) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            resp
        }
        Err(leadrank_service::ServiceError::Forbidden(m) | leadrank_service::ServiceError::Invalid(m)) => sso_refused(m),
        Err(e) => {
            tracing::error!(error = %e, "single sign-on");
            page::error(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", "Signing in failed; try again.")
        }
    }
}

/// The client's address, when the listener recorded it (for the sign-in throttle).
pub struct ClientAddr(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip().to_string())))
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

/// `POST /login`: a new session on success (a fresh token, never one the browser brought).
pub async fn login(State(web): State<Web>, ClientAddr(client): ClientAddr, headers: HeaderMap, Form(form): Form<LoginForm>) -> Response {
    let username = form.username.trim().to_ascii_lowercase();
    match web.service.login(&username, &form.password, client.as_deref()).await {
        Ok((token, who)) => {
            let mut resp = Redirect::to(home_of(who.user.role)).into_response();
            let max_age = leadrank_service::users::SESSION_LIFETIME.as_secs();
            resp.headers_mut().insert(header::SET_COOKIE, cookie(&token, max_age, behind_https(&headers)));
            resp
        }
        Err(LoginError::Refused) => {
            (StatusCode::UNAUTHORIZED, login_form(Some("Wrong username or password."), &username, web.sso.is_some())).into_response()
        }
        Err(LoginError::Throttled(secs)) => {
            let msg = format!("Too many failed sign-ins. Try again in {} minutes.", secs.div_ceil(60));
            let mut resp = (StatusCode::TOO_MANY_REQUESTS, login_form(Some(&msg), &username, web.sso.is_some())).into_response();
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            resp
        }
        Err(LoginError::Store(e)) => {
            tracing::error!(error = %e, "signing in");
            page::error(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", "Signing in failed; try again.")
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

fn signed_out(headers: &HeaderMap) -> Response {
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut().insert(header::SET_COOKIE, cookie("", 0, behind_https(headers)));
    resp
}

/// `POST /logout`: ends this session.
pub async fn logout(State(web): State<Web>, signed: Signed, headers: HeaderMap, Form(form): Form<CsrfForm>) -> Response {
    if let Err(r) = signed.check_csrf(&form.csrf) {
        return r;
    }
    if let Err(e) = web.service.logout(&signed.token).await {
        tracing::error!(error = %e, "signing out");
    }
    signed_out(&headers)
}

/// `POST /logout-everywhere`: ends every session of the user, on every device.
pub async fn logout_everywhere(State(web): State<Web>, signed: Signed, headers: HeaderMap, Form(form): Form<CsrfForm>) -> Response {
    if let Err(r) = signed.check_csrf(&form.csrf) {
        return r;
    }
    if let Err(e) = web.service.logout_everywhere(signed.username()).await {
        tracing::error!(error = %e, "signing out everywhere");
        return page::error(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", "Signing out everywhere failed; try again.");
    }
    signed_out(&headers)
}
