//! Salesforce's OAuth 2.0 JWT bearer flow (RFC 7523): an assertion signed with RS256 by the
//! key whose certificate the connected app holds, exchanged at `{login_url}/services/oauth2/token`
//! for an access token and the org's instance URL. The key is never printed or logged: its
//! `Debug` shows `***`, and an unreadable key file is named, never shown.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::RsaPrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::{Value, json};

use crate::client::{SyncError, TOKEN_PATH, Token, percent_encode, post_token_form};

/// How long an assertion is valid (Salesforce accepts at most three minutes).
pub const ASSERTION_LIFETIME_S: i64 = 180;

/// An RSA private key that signs assertions.
pub struct JwtKey(SigningKey<Sha256>);

impl std::fmt::Debug for JwtKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKey(***)")
    }
}

/// Why a key could not be read (the key's text is never part of it).
#[derive(Debug, thiserror::Error)]
#[error(
    "not a PEM RSA private key (expected \"-----BEGIN PRIVATE KEY-----\" (PKCS #8) or \"-----BEGIN RSA PRIVATE KEY-----\" (PKCS #1), unencrypted)"
)]
pub struct KeyError;

impl JwtKey {
    /// Reads a PEM RSA private key, PKCS #8 or PKCS #1.
    pub fn from_pem(pem: &str) -> Result<JwtKey, KeyError> {
        let key = RsaPrivateKey::from_pkcs8_pem(pem.trim()).or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem.trim())).map_err(|_| KeyError)?;
        Ok(JwtKey(SigningKey::<Sha256>::new(key)))
    }

    /// The compact JWS of the claims `iss`, `sub`, `aud` and `exp` (`now_s` + three
    /// minutes), signed with RS256.
    pub fn assertion(&self, iss: &str, sub: &str, aud: &str, now_s: i64) -> String {
        let header = URL_SAFE_NO_PAD.encode(json!({"alg": "RS256"}).to_string());
        let claims = json!({"iss": iss, "sub": sub, "aud": aud, "exp": now_s + ASSERTION_LIFETIME_S});
        let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signing_input = format!("{header}.{payload}");
        let signature = self.0.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }
}

/// The JWT bearer flow's settings, with the key read.
#[derive(Debug)]
pub struct JwtBearer {
    /// `https://login.salesforce.com` (or a sandbox's `https://test.salesforce.com`): the token endpoint's
    /// host and the assertion's audience.
    pub login_url: String,
    /// The connected app's consumer key.
    pub client_id: String,
    /// The integration user's username.
    pub username: String,
    pub key: JwtKey,
}

impl JwtBearer {
    /// Asks for an access token with a new assertion: the token and the org's instance URL.
    pub(crate) async fn fetch(&self, http: &reqwest::Client) -> Result<(Token, String), SyncError> {
        let now_s = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        let assertion = self.key.assertion(&self.client_id, &self.username, &self.login_url, now_s);
        let form = format!("grant_type={}&assertion={assertion}", percent_encode("urn:ietf:params:oauth:grant-type:jwt-bearer"));
        let failed = |e: reqwest::Error| SyncError::Protocol {
            path: TOKEN_PATH.into(),
            detail: format!("the token request to {} failed: {}", self.login_url, if e.is_timeout() { "timed out" } else { "no answer" }),
        };
        let (status, body) = post_token_form(http, &format!("{}{TOKEN_PATH}", self.login_url), form, failed).await?;
        let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        if !(200..300).contains(&status) {
            let hint = match text("error_description").as_str() {
                "user hasn't approved this consumer" => {
                    "the user is not pre-authorized for the connected app: set its Permitted Users to \"Admin approved users are pre-authorized\" and add the user's profile or permission set"
                }
                "invalid assertion" => "the signature does not match: upload the certificate of private_key_file to the connected app",
                "expired authorization code" => "the assertion had expired on arrival: check this machine's clock",
                "audience is invalid" => {
                    "login_url is not where this org signs in (https://login.salesforce.com, https://test.salesforce.com for a sandbox)"
                }
                _ => "the JWT bearer flow was refused; check client_id, username, private_key_file and login_url",
            };
            return Err(SyncError::Api {
                crm: "Salesforce",
                status,
                category: text("error"),
                message: format!("{} ({hint})", text("error_description")),
                correlation: String::new(),
            });
        }
        let token = Token::new(text("access_token"))
            .ok_or_else(|| SyncError::Protocol { path: TOKEN_PATH.into(), detail: "no access_token in the answer".into() })?;
        let instance = text("instance_url");
        if !(instance.starts_with("https://") || instance.starts_with("http://")) {
            return Err(SyncError::Protocol { path: TOKEN_PATH.into(), detail: "no instance_url in the answer".into() });
        }
        Ok((token, instance.trim_end_matches('/').to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::RsaPublicKey;
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;

    const PRIVATE: &str = include_str!("../../leadrank-crm-fakes/fixtures/test-jwt-private.pem");
    const PUBLIC: &str = include_str!("../../leadrank-crm-fakes/fixtures/test-jwt-public.pem");

    #[test]
    fn an_assertion_is_signed_rs256_with_the_claims() {
        let key = JwtKey::from_pem(PRIVATE).unwrap();
        assert_eq!(format!("{key:?}"), "JwtKey(***)");
        let a = key.assertion("3MVG9key", "sync@acme.com", "https://login.salesforce.com", 1_800_000_000);
        let parts: Vec<&str> = a.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header, json!({"alg": "RS256"}));
        let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims, json!({"iss": "3MVG9key", "sub": "sync@acme.com", "aud": "https://login.salesforce.com", "exp": 1_800_000_180}));
        let verifier = VerifyingKey::<Sha256>::new(RsaPublicKey::from_public_key_pem(PUBLIC).unwrap());
        let sig = Signature::try_from(URL_SAFE_NO_PAD.decode(parts[2]).unwrap().as_slice()).unwrap();
        verifier.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig).unwrap();
        // Another payload does not verify with this signature.
        assert!(verifier.verify(b"x.y", &sig).is_err());
    }

    #[test]
    fn a_bad_key_is_an_error_that_never_shows_it() {
        let e = JwtKey::from_pem("-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n").unwrap_err().to_string();
        assert!(e.contains("not a PEM RSA private key") && !e.contains("c2VjcmV0"), "{e}");
        assert!(JwtKey::from_pem(PUBLIC).is_err(), "a public key signs nothing");
    }
}
