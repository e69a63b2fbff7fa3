//! People who sign in to the web app: users with a role, their passwords (Argon2id) and their
//! sessions.
//!
//! Users and sessions are records of the sales directory (kinds `user` and `session`), so the
//! CLI (`leadrank users ...`) and a running service see the same ones. A session is stored
//! under the SHA-256 of its token only; the token itself lives in the browser's cookie. The
//! form token that protects every state change (`csrf`) is derived from the session token, so
//! it is never stored and changes with every sign-in.

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use jiff::{SignedDuration, Timestamp};
use leadrank_store::{DirectoryEntry, Store, StoreError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a user may do. Each role sees its own screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Works the leads assigned to one rep of the directory.
    Rep,
    /// Watches and re-assigns the leads of one or more teams.
    Manager,
    /// Owns models, routing, data and reports.
    Revops,
    /// Owns users, keys, webhooks and privacy.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Rep, Role::Manager, Role::Revops, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rep => "rep",
            Role::Manager => "manager",
            Role::Revops => "revops",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Role, UserError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UserError::Invalid(format!("unknown role '{s}' (use rep, manager, revops or admin)")))
    }
}

/// A user as stored (kind `user`, id = the username).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    #[serde(skip)]
    pub username: String,
    /// Display name.
    pub name: String,
    pub role: Role,
    /// The rep of the directory a rep user works as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rep: Option<String>,
    /// The teams a manager manages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<String>,
    #[serde(default)]
    pub disabled: bool,
    /// Argon2id hash in PHC form.
    pub password: String,
    pub created_at: Timestamp,
}

/// A session as stored (kind `session`, id = SHA-256 of the token, hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub user: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// What creating or changing a user can refuse.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("{0}")]
    Invalid(String),
    #[error("user '{0}' not found")]
    NotFound(String),
    #[error("user '{0}' already exists")]
    Exists(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How long a session lasts from sign-in: one working day.
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(12);
/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 12;
/// Longest password accepted (Argon2 hashes any length; this bounds the work per attempt).
pub const MAX_PASSWORD: usize = 256;

const USER: &str = "user";
const SESSION: &str = "session";

/// A new user's fields.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub name: String,
    pub role: Role,
    pub rep: Option<String>,
    pub teams: Vec<String>,
}

/// Checks a username: 1 to 64 of `a-z 0-9 . _ - @`, starting with a letter or digit.
pub fn check_username(username: &str) -> Result<(), UserError> {
    let ok = !username.is_empty()
        && username.len() <= 64
        && username.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-@".contains(&b))
        && username.as_bytes()[0].is_ascii_alphanumeric();
    if ok {
        Ok(())
    } else {
        Err(UserError::Invalid(format!(
            "username '{username}': 1 to 64 characters of a-z, 0-9, '.', '_', '-', '@', starting with a letter or digit"
        )))
    }
}

/// Checks a password's length.
pub fn check_password(password: &str) -> Result<(), UserError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD || password.len() > MAX_PASSWORD {
        return Err(UserError::Invalid(format!("a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters (this one has {n})")));
    }
    Ok(())
}

/// A random password of 20 letters and digits (about 119 bits).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..20).map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char).collect()
}

/// Hashes a password with Argon2id (the crate's default parameters: 19 MiB, 2 passes).
pub fn hash_password(password: &str) -> Result<String, UserError> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(|e| UserError::Invalid(format!("cannot make a salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| UserError::Invalid(format!("cannot hash the password: {e}")))
}

fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A well-formed hash of no password anyone knows, verified for unknown users so that a
/// wrong username costs as long as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&generate_password()).unwrap_or_default())
}

fn token_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The form token of a session: derived from its token, so never stored.
pub fn csrf_token(session_token: &str) -> String {
    hex::encode(&Sha256::digest(format!("leadrank-csrf:{session_token}").as_bytes())[..16])
}

fn decode_user(e: DirectoryEntry) -> Result<User, StoreError> {
    let mut u: User = serde_json::from_str(&e.body)
        .map_err(|err| StoreError::Corrupt { table: "directory", detail: format!("user '{}': {err}", e.id) })?;
    u.username = e.id;
    Ok(u)
}

async fn put_user(store: &dyn Store, user: &User, now: Timestamp) -> Result<(), StoreError> {
    let body = serde_json::to_string(user).map_err(|e| StoreError::Database(format!("encoding user: {e}")))?;
    store.put_directory(&DirectoryEntry { kind: USER.into(), id: user.username.clone(), body, updated_at: now }).await
}

/// One user, if it exists.
pub async fn user(store: &dyn Store, username: &str) -> Result<Option<User>, StoreError> {
    store.directory_entry(USER, username).await?.map(decode_user).transpose()
}

/// Every user, by username.
pub async fn users(store: &dyn Store) -> Result<Vec<User>, StoreError> {
    store.directory(USER).await?.into_iter().map(decode_user).collect()
}

/// Creates a user with a password (checked and hashed here). A rep user must name a rep of
/// the directory; a manager, at least one team of it.
pub async fn create(store: &dyn Store, new: NewUser, password: &str, now: Timestamp) -> Result<User, UserError> {
    check_username(&new.username)?;
    check_password(password)?;
    if new.name.trim().is_empty() || new.name.chars().count() > 200 {
        return Err(UserError::Invalid("a user's name has 1 to 200 characters".into()));
    }
    if user(store, &new.username).await?.is_some() {
        return Err(UserError::Exists(new.username));
    }
    match new.role {
        Role::Rep => {
            let rep = new.rep.as_deref().ok_or_else(|| UserError::Invalid("a rep user names the rep it works as (--rep)".into()))?;
            if store.directory_entry("rep", rep).await?.is_none() {
                return Err(UserError::Invalid(format!("no rep '{rep}' in the sales directory (see `GET /v1/reps`)")));
            }
        }
        Role::Manager => {
            if new.teams.is_empty() {
                return Err(UserError::Invalid("a manager manages at least one team (--team)".into()));
            }
            for t in &new.teams {
                if store.directory_entry("team", t).await?.is_none() {
                    return Err(UserError::Invalid(format!("no team '{t}' in the sales directory (see `GET /v1/teams`)")));
                }
            }
        }
        Role::Revops | Role::Admin => {
            if new.rep.is_some() || !new.teams.is_empty() {
                return Err(UserError::Invalid(format!("a {} user has no rep or teams", new.role.as_str())));
            }
        }
    }
    let user = User {
        username: new.username,
        name: new.name.trim().to_string(),
        role: new.role,
        rep: new.rep,
        teams: new.teams,
        disabled: false,
        password: hash_password(password)?,
        created_at: now,
    };
    put_user(store, &user, now).await?;
    Ok(user)
}

/// Disables (or enables) a user; disabling signs them out everywhere.
pub async fn set_disabled(store: &dyn Store, username: &str, disabled: bool, now: Timestamp) -> Result<User, UserError> {
    let mut u = user(store, username).await?.ok_or_else(|| UserError::NotFound(username.into()))?;
    u.disabled = disabled;
    put_user(store, &u, now).await?;
    if disabled {
        end_sessions(store, username).await?;
    }
    Ok(u)
}

/// Sets a new password and signs the user out everywhere.
pub async fn reset_password(store: &dyn Store, username: &str, password: &str, now: Timestamp) -> Result<User, UserError> {
    check_password(password)?;
    let mut u = user(store, username).await?.ok_or_else(|| UserError::NotFound(username.into()))?;
    u.password = hash_password(password)?;
    put_user(store, &u, now).await?;
    end_sessions(store, username).await?;
    Ok(u)
}

/// Ends every session of a user; returns how many.
pub async fn end_sessions(store: &dyn Store, username: &str) -> Result<usize, StoreError> {
    let mut n = 0;
    for e in store.directory(SESSION).await? {
        let mine = serde_json::from_str::<Session>(&e.body).map(|s| s.user == username).unwrap_or(true);
        if mine {
            match store.delete_directory(SESSION, &e.id).await {
                Ok(()) => n += 1,
                Err(StoreError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(n)
}

/// Why a sign-in failed. Deliberately says nothing about which of username or password was
/// wrong.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong username or password, or the user is disabled")]
    Refused,
    #[error("too many failed sign-ins: try again in {0} seconds")]
    Throttled(u64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Failed sign-ins per key (a username or a client address) in a sliding window.
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<Timestamp>>>,
}

/// Failures allowed per username or client address in [`THROTTLE_WINDOW`].
pub const THROTTLE_FAILURES: usize = 5;
pub const THROTTLE_WINDOW: SignedDuration = SignedDuration::from_mins(15);
/// Most keys remembered; the oldest are forgotten beyond (bounds memory under a spray).
const THROTTLE_KEYS: usize = 100_000;

impl Throttle {
    /// Seconds to wait before `key` may try again, if it must.
    pub fn wait(&self, key: &str, now: Timestamp) -> Option<u64> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let recent: Vec<&Timestamp> = map.get(key)?.iter().filter(|t| now.duration_since(**t) < THROTTLE_WINDOW).collect();
        if recent.len() < THROTTLE_FAILURES {
            return None;
        }
        let oldest = recent.iter().min()?;
        let left = THROTTLE_WINDOW - now.duration_since(**oldest);
        Some(left.as_secs().max(1) as u64)
    }

    /// Records a failure of `key`.
    pub fn fail(&self, key: &str, now: Timestamp) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= THROTTLE_KEYS && !map.contains_key(key) {
            map.retain(|_, v| v.iter().any(|t| now.duration_since(*t) < THROTTLE_WINDOW));
            if map.len() >= THROTTLE_KEYS {
                map.clear();
            }
        }
        let v = map.entry(key.to_string()).or_default();
        v.retain(|t| now.duration_since(*t) < THROTTLE_WINDOW);
        v.push(now);
    }

    /// Forgets `key`'s failures (after a successful sign-in).
    pub fn clear(&self, key: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }
}

/// A signed-in user: who, and the session's form token.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub session: Session,
    /// The form token every state change must carry.
    pub csrf: String,
}

/// Checks a username and password; on success starts a new session and returns its token
/// (a new token at every sign-in: a session id set before sign-in is never adopted).
pub async fn login(store: &dyn Store, username: &str, password: &str, now: Timestamp) -> Result<(String, SignedIn), LoginError> {
    let found = if check_username(username).is_ok() { user(store, username).await? } else { None };
    let password = password.to_string();
    let phc = found.as_ref().map_or_else(|| decoy_hash().to_string(), |u| u.password.clone());
    let ok = tokio::task::spawn_blocking(move || password.len() <= MAX_PASSWORD && verify_password(&password, &phc)).await.unwrap_or(false);
    let user = match found {
        Some(u) if ok && !u.disabled => u,
        _ => return Err(LoginError::Refused),
    };
    Ok(start_session(store, user, now).await?)
}

/// Starts a new session of `user` (a new random token each time); returns the token.
pub async fn start_session(store: &dyn Store, user: User, now: Timestamp) -> Result<(String, SignedIn), StoreError> {
    let token = hex::encode(rand::random::<[u8; 32]>());
    let session = Session { user: user.username.clone(), created_at: now, expires_at: now + SESSION_LIFETIME };
    let body = serde_json::to_string(&session).map_err(|e| StoreError::Database(format!("encoding session: {e}")))?;
    store.put_directory(&DirectoryEntry { kind: SESSION.into(), id: token_id(&token), body, updated_at: now }).await?;
    let csrf = csrf_token(&token);
    Ok((token, SignedIn { user, session, csrf }))
}

/// The signed-in user of a session token, if the session exists, has not expired and its
/// user is still enabled. An expired session is deleted.
pub async fn session(store: &dyn Store, token: &str, now: Timestamp) -> Result<Option<SignedIn>, StoreError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let id = token_id(token);
    let Some(entry) = store.directory_entry(SESSION, &id).await? else { return Ok(None) };
    let Ok(session) = serde_json::from_str::<Session>(&entry.body) else { return Ok(None) };
    if now >= session.expires_at {
        let _ = store.delete_directory(SESSION, &id).await;
        return Ok(None);
    }
    let Some(user) = user(store, &session.user).await? else { return Ok(None) };
    if user.disabled {
        return Ok(None);
    }
    Ok(Some(SignedIn { user, session, csrf: csrf_token(token) }))
}

/// Ends one session (sign out).
pub async fn logout(store: &dyn Store, token: &str) -> Result<(), StoreError> {
    match store.delete_directory(SESSION, &token_id(token)).await {
        Ok(()) | Err(StoreError::NotFound(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

impl From<UserError> for crate::ServiceError {
    fn from(e: UserError) -> Self {
        match e {
            UserError::Invalid(m) => crate::ServiceError::Invalid(m),
            UserError::NotFound(u) => crate::ServiceError::NotFound(format!("user '{u}'")),
            UserError::Exists(u) => crate::ServiceError::Conflict(format!("user '{u}' already exists")),
            UserError::Store(e) => crate::ServiceError::Store(e),
        }
    }
}

/// The users operations of the service, each audited with its actor.
impl crate::Service {
    /// Signs a user in (see [`login`]), refusing at once while the username or the client
    /// address (when the front end knows it) has had [`THROTTLE_FAILURES`] failures in
    /// [`THROTTLE_WINDOW`].
    pub async fn login(&self, username: &str, password: &str, client: Option<&str>) -> Result<(String, SignedIn), LoginError> {
        let now = self.now();
        let mut keys = vec![format!("user:{username}")];
        keys.extend(client.map(|c| format!("client:{c}")));
        if let Some(wait) = keys.iter().filter_map(|k| self.login_throttle.wait(k, now)).max() {
            return Err(LoginError::Throttled(wait));
        }
        match login(self.store.as_ref(), username, password, now).await {
            Ok(ok) => {
                self.login_throttle.clear(&keys[0]);
                let _ = self.audit(&format!("user:{username}"), "user.signin", "").await;
                Ok(ok)
            }
            Err(LoginError::Refused) => {
                for k in &keys {
                    self.login_throttle.fail(k, now);
                }
                Err(LoginError::Refused)
            }
            Err(e) => Err(e),
        }
    }

    /// Signs in a person vouched for by single sign-on, with the role their identity
    /// provider gives (`role`). A RevOps or admin user is made on first sign-in (with a
    /// random password nobody knows); a rep or manager must exist already, since the record
    /// holds their rep or teams. An existing user takes the provider's role when it fits
    /// the record (a rep needs a rep, a manager teams); a disabled user is refused.
    pub async fn sso_sign_in(&self, username: &str, name: &str, role: Option<&str>) -> Result<(String, SignedIn), crate::ServiceError> {
        use crate::ServiceError as E;
        check_username(username)?;
        let role = match role {
            Some(r) => Role::parse(r)?,
            None => return Err(E::Forbidden(format!("the identity provider gave '{username}' no role"))),
        };
        let now = self.now();
        let store = self.store.as_ref();
        let user = match user(store, username).await? {
            Some(u) if u.disabled => return Err(E::Forbidden(format!("user '{username}' is disabled"))),
            Some(mut u) => {
                if u.role != role {
                    let fits = match role {
                        Role::Rep => u.rep.is_some(),
                        Role::Manager => !u.teams.is_empty(),
                        Role::Revops | Role::Admin => true,
                    };
                    if !fits {
                        return Err(E::Forbidden(format!(
                            "the identity provider makes '{username}' a {} but the user has no {}: an admin sets it first",
                            role.as_str(),
                            if role == Role::Rep { "rep" } else { "teams" }
                        )));
                    }
                    if matches!(role, Role::Revops | Role::Admin) {
                        u.rep = None;
                        u.teams.clear();
                    }
                    u.role = role;
                    put_user(store, &u, now).await?;
                    self.audit(&format!("user:{username}"), "user.role_from_sso", role.as_str()).await?;
                }
                u
            }
            None if matches!(role, Role::Revops | Role::Admin) => {
                let new = NewUser { username: username.into(), name: name.chars().take(200).collect(), role, rep: None, teams: vec![] };
                let u = create(store, new, &generate_password(), now).await?;
                self.audit(&format!("user:{username}"), "user.create_from_sso", role.as_str()).await?;
                u
            }
            None => {
                return Err(E::Forbidden(format!(
                    "no user '{username}': a {} signing in with single sign-on is created first by an admin, with their {}",
                    role.as_str(),
                    if role == Role::Rep { "rep" } else { "teams" }
                )));
            }
        };
        let signed = start_session(store, user, now).await?;
        self.audit(&format!("user:{username}"), "user.signin_sso", "").await?;
        Ok(signed)
    }

    /// The signed-in user of a session token (see [`session`]).
    pub async fn session(&self, token: &str) -> Result<Option<SignedIn>, crate::ServiceError> {
        Ok(session(self.store.as_ref(), token, self.now()).await?)
    }

    /// Ends one session.
    pub async fn logout(&self, token: &str) -> Result<(), crate::ServiceError> {
        Ok(logout(self.store.as_ref(), token).await?)
    }

    /// Ends every session of `username` (sign out everywhere); returns how many.
    pub async fn logout_everywhere(&self, username: &str) -> Result<usize, crate::ServiceError> {
        let n = end_sessions(self.store.as_ref(), username).await?;
        self.audit(&format!("user:{username}"), "user.signout_everywhere", &format!("{n} sessions")).await?;
        Ok(n)
    }

    /// Every user (password hashes included: callers show only what they must).
    pub async fn users(&self) -> Result<Vec<User>, crate::ServiceError> {
        Ok(users(self.store.as_ref()).await?)
    }

    /// Creates a user; `actor` is who asked.
    pub async fn create_user(&self, new: NewUser, password: &str, actor: &str) -> Result<User, crate::ServiceError> {
        let u = create(self.store.as_ref(), new, password, self.now()).await?;
        self.audit(actor, "user.create", &format!("{} ({})", u.username, u.role.as_str())).await?;
        Ok(u)
    }

    /// Sets a new password (and ends the user's sessions); `actor` is who asked.
    pub async fn reset_user_password(&self, username: &str, password: &str, actor: &str) -> Result<User, crate::ServiceError> {
        let u = reset_password(self.store.as_ref(), username, password, self.now()).await?;
        self.audit(actor, "user.reset_password", username).await?;
        Ok(u)
    }

    /// Disables or enables a user; `actor` is who asked.
    pub async fn set_user_disabled(&self, username: &str, disabled: bool, actor: &str) -> Result<User, crate::ServiceError> {
        let u = set_disabled(self.store.as_ref(), username, disabled, self.now()).await?;
        self.audit(actor, if disabled { "user.disable" } else { "user.enable" }, username).await?;
        Ok(u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_and_passwords_are_checked() {
        assert!(check_username("maria.lopez@acme").is_ok());
        for bad in ["", "Maria", "-x", "a b", &"a".repeat(65)] {
            assert!(check_username(bad).is_err(), "{bad:?}");
        }
        assert!(check_password("short").unwrap_err().to_string().contains("has 5"));
        assert!(check_password("twelve chars").is_ok());
        assert_eq!(generate_password().len(), 20);
        assert!(Role::parse("RevOps").is_ok_and(|r| r == Role::Revops));
        assert!(Role::parse("boss").unwrap_err().to_string().contains("boss"));
    }

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn csrf_tokens_differ_per_session() {
        assert_ne!(csrf_token("a"), csrf_token("b"));
        assert_eq!(csrf_token("a").len(), 32);
    }

    #[test]
    fn the_throttle_counts_failures_in_a_window() {
        let t = Throttle::default();
        let start: Timestamp = "2026-01-05T09:00:00Z".parse().unwrap();
        for i in 0..THROTTLE_FAILURES {
            assert_eq!(t.wait("u", start), None, "attempt {i}");
            t.fail("u", start + SignedDuration::from_secs(i as i64));
        }
        let wait = t.wait("u", start + SignedDuration::from_secs(10)).unwrap();
        assert!(wait > 800 && wait <= 900, "{wait}");
        assert_eq!(t.wait("other", start), None);
        assert_eq!(t.wait("u", start + THROTTLE_WINDOW + SignedDuration::from_secs(1)), None, "failures age out");
        t.clear("u");
        assert_eq!(t.wait("u", start + SignedDuration::from_secs(10)), None);
    }
}
