//! Single sign-on with OpenID Connect: the authorization code flow with PKCE (S256), a state
//! and a nonce per sign-in, the ID token's signature, issuer, audience, expiry and nonce
//! checked (the `openidconnect` crate), and one claim mapped to a role.
//!
//! The username comes from a claim (default `preferred_username`), the role from another
//! (default `leadrank_role`: rep, manager, revops or admin). A RevOps or admin user is made on
//! first sign-in; a rep or manager must exist already (an admin creates them with their rep
//! or teams), and signs in with the role the claim gives when that role fits the record.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce,
    OAuth2TokenResponse as _, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse as _,
};

/// How single sign-on is set up (flags of `leadrank serve`).
#[derive(Debug, Clone)]
pub struct SsoConfig {
    /// The provider's issuer URL (its discovery document is at
    /// `<issuer>/.well-known/openid-configuration`).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// This server's callback, `<public URL>/login/sso/callback`, as registered with the
    /// provider.
    pub redirect_url: String,
    /// The claim naming the user's role.
    pub role_claim: String,
    /// The claim naming the username.
    pub username_claim: String,
}

/// What can go wrong setting up or completing a sign-in.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("single sign-on setup: {0}")]
    Setup(String),
    #[error("the identity provider at {issuer} cannot be used: {detail}")]
    Discovery { issuer: String, detail: String },
    #[error("{0}")]
    SignIn(String),
}

type SsoClient = CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// A sign-in started and not yet completed.
struct Pending {
    verifier: PkceCodeVerifier,
    nonce: Nonce,
    started: Instant,
}

/// Longest a sign-in may take at the provider.
const PENDING_FOR: Duration = Duration::from_secs(600);
/// Most sign-ins waiting at once (the oldest are dropped beyond).
const MAX_PENDING: usize = 10_000;

/// A discovered provider and the sign-ins in flight.
pub struct Sso {
    pub config: SsoConfig,
    client: SsoClient,
    http: Http,
    pending: Mutex<HashMap<String, Pending>>,
}

/// The HTTP client the OpenID Connect calls go through (no redirects followed).
struct Http(reqwest::Client);

type HttpFuture<'c> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<openidconnect::HttpResponse, reqwest::Error>> + Send + 'c>>;

impl<'c> openidconnect::AsyncHttpClient<'c> for Http {
    type Error = reqwest::Error;
    type Future = HttpFuture<'c>;

    fn call(&'c self, request: openidconnect::HttpRequest) -> Self::Future {
        Box::pin(send(&self.0, request))
    }
}

async fn send(http: &reqwest::Client, req: openidconnect::HttpRequest) -> Result<openidconnect::HttpResponse, reqwest::Error> {
    let (parts, body) = req.into_parts();
    let resp = http.request(parts.method, parts.uri.to_string()).headers(parts.headers).body(body).send().await?;
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = resp.bytes().await?;
    let mut out = openidconnect::HttpResponse::new(bytes.to_vec());
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    Ok(out)
}

/// A person the provider vouched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub username: String,
    pub name: String,
    /// The role claim's value, if present.
    pub role: Option<String>,
}

impl Sso {
    /// Reads the provider's discovery document and keys; fails when the issuer does not
    /// answer or the settings are malformed.
    pub async fn discover(config: SsoConfig) -> Result<Sso, SsoError> {
        let issuer =
            IssuerUrl::new(config.issuer.clone()).map_err(|e| SsoError::Setup(format!("--oidc-issuer '{}': {e}", config.issuer)))?;
        let redirect = RedirectUrl::new(config.redirect_url.clone())
            .map_err(|e| SsoError::Setup(format!("--oidc-redirect-url '{}': {e}", config.redirect_url)))?;
        // Redirects are not followed: a provider's endpoints answer themselves.
        let http = Http(
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(10))
                .build()
                .map_err(|e| SsoError::Setup(e.to_string()))?,
        );
        let metadata = CoreProviderMetadata::discover_async(issuer, &http)
            .await
            .map_err(|e| SsoError::Discovery { issuer: config.issuer.clone(), detail: error_chain(&e) })?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(config.client_id.clone()),
            Some(ClientSecret::new(config.client_secret.clone())),
        )
        .set_redirect_uri(redirect);
        Ok(Sso { config, client, http, pending: Mutex::new(HashMap::new()) })
    }

    /// Starts a sign-in: the provider's URL to send the browser to, and the sign-in's state
    /// (which the browser must bring back).
    pub fn start(&self) -> (String, String) {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = self
            .client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|_, p| p.started.elapsed() < PENDING_FOR);
        if pending.len() >= MAX_PENDING
            && let Some(oldest) = pending.iter().min_by_key(|(_, p)| p.started).map(|(k, _)| k.clone())
        {
            pending.remove(&oldest);
        }
        pending.insert(state.secret().clone(), Pending { verifier, nonce, started: Instant::now() });
        (url.to_string(), state.secret().clone())
    }

    /// Completes a sign-in from the provider's answer: exchanges the code (with the PKCE
    /// verifier), checks the ID token and reads the identity from it.
    pub async fn finish(&self, state: &str, code: &str) -> Result<Identity, SsoError> {
        let pending = self.pending.lock().unwrap_or_else(|e| e.into_inner()).remove(state);
        let Some(p) = pending.filter(|p| p.started.elapsed() < PENDING_FOR) else {
            return Err(SsoError::SignIn("this sign-in is unknown or expired (over 10 minutes); start again".into()));
        };
        let token = self
            .client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| SsoError::SignIn(format!("the provider has no token endpoint: {e}")))?
            .set_pkce_verifier(p.verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| SsoError::SignIn(format!("exchanging the code failed: {}", error_chain(&e))))?;
        let _ = token.access_token();
        let id_token = token.id_token().ok_or_else(|| SsoError::SignIn("the provider sent no ID token".into()))?;
        // Signature, issuer, audience, expiry and nonce.
        id_token
            .claims(&self.client.id_token_verifier(), &p.nonce)
            .map_err(|e| SsoError::SignIn(format!("the ID token was refused: {e}")))?;
        // The token is verified; read the claims, custom ones included, from its payload.
        let jwt = id_token.to_string();
        let payload = jwt.split('.').nth(1).ok_or_else(|| SsoError::SignIn("the ID token is not a JWT".into()))?;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|e| SsoError::SignIn(format!("the ID token's payload: {e}")))?;
        let claims: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&bytes).map_err(|e| SsoError::SignIn(format!("the ID token's payload: {e}")))?;
        identity(&claims, &self.config)
    }
}

/// The identity in a verified token's claims.
fn identity(claims: &serde_json::Map<String, serde_json::Value>, config: &SsoConfig) -> Result<Identity, SsoError> {
    let text = |k: &str| claims.get(k).and_then(|v| v.as_str()).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let username = text(&config.username_claim)
        .ok_or_else(|| SsoError::SignIn(format!("the ID token has no '{}' claim to take the username from", config.username_claim)))?
        .to_ascii_lowercase();
    let name = text("name").unwrap_or_else(|| username.clone());
    Ok(Identity { username, name, role: text(&config.role_claim) })
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identity_comes_from_the_configured_claims() {
        let config = SsoConfig {
            issuer: "http://idp".into(),
            client_id: "c".into(),
            client_secret: "s".into(),
            redirect_url: "http://app/login/sso/callback".into(),
            role_claim: "groups_role".into(),
            username_claim: "email".into(),
        };
        let claims = serde_json::json!({"sub": "1", "email": "Dana@Acme.com", "name": "Dana", "groups_role": "revops"});
        let id = identity(claims.as_object().unwrap(), &config).unwrap();
        assert_eq!(id, Identity { username: "dana@acme.com".into(), name: "Dana".into(), role: Some("revops".into()) });
        let err = identity(serde_json::json!({"sub": "1"}).as_object().unwrap(), &config).unwrap_err();
        assert!(err.to_string().contains("no 'email' claim"), "{err}");
    }
}
