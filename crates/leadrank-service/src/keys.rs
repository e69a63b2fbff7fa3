//! API keys: `lr_<id>_<secret>`, shown once at creation; only the SHA-256 of the secret is
//! stored. A key has scopes (ingest, read, admin); admin includes the other two.

use jiff::Timestamp;
use leadrank_store::{ApiKey, Scope, Store, StoreError};
use sha2::{Digest, Sha256};

/// Creates and stores a key; returns the stored record and the full key (shown once).
pub async fn create(store: &dyn Store, name: &str, scopes: &[Scope], now: Timestamp) -> Result<(ApiKey, String), StoreError> {
    let id = format!("k{}", hex::encode(rand::random::<[u8; 6]>()));
    let secret = hex::encode(rand::random::<[u8; 16]>());
    let mut scopes = scopes.to_vec();
    scopes.sort();
    scopes.dedup();
    let key = ApiKey { id: id.clone(), secret_hash: hash(&secret), name: name.to_string(), scopes, created_at: now, revoked_at: None };
    store.add_key(&key).await?;
    Ok((key, format!("lr_{id}_{secret}")))
}

/// SHA-256 of a secret, hex.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Splits a presented key into id and secret.
pub fn split(presented: &str) -> Option<(&str, &str)> {
    let rest = presented.strip_prefix("lr_")?;
    let (id, secret) = rest.split_once('_')?;
    (!id.is_empty() && !secret.is_empty()).then_some((id, secret))
}

/// Checks a presented key against the store: the key if it exists, matches and is not revoked.
pub async fn verify(store: &dyn Store, presented: &str) -> Result<Option<ApiKey>, StoreError> {
    let Some((id, secret)) = split(presented) else { return Ok(None) };
    verify_hash(store, id, &hash(secret)).await
}

/// Checks a key id and the SHA-256 of its secret (as a cluster node forwards a request it
/// checked, never with the secret): the key if it exists, matches and is not revoked.
pub async fn verify_hash(store: &dyn Store, id: &str, secret_hash: &str) -> Result<Option<ApiKey>, StoreError> {
    let Some(key) = store.key(id).await? else { return Ok(None) };
    // Constant-time comparison of the hashes.
    let same = secret_hash.len() == key.secret_hash.len()
        && secret_hash.bytes().zip(key.secret_hash.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    Ok((same && key.revoked_at.is_none()).then_some(key))
}

/// Whether a key's scopes grant `scope` (admin grants everything).
pub fn grants(key: &ApiKey, scope: Scope) -> bool {
    key.scopes.contains(&scope) || key.scopes.contains(&Scope::Admin)
}

/// Parses a comma-separated scope list such as "ingest,read".
pub fn parse_scopes(list: &str) -> Result<Vec<Scope>, String> {
    let scopes: Result<Vec<Scope>, String> = list
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| Scope::parse(s).ok_or_else(|| format!("unknown scope '{}' (use ingest, read, admin or sales)", s.trim())))
        .collect();
    let scopes = scopes?;
    if scopes.is_empty() {
        return Err("at least one scope is needed (ingest, read, sales or admin)".into());
    }
    Ok(scopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_split_and_scopes_parse() {
        assert_eq!(split("lr_kabc_0123"), Some(("kabc", "0123")));
        assert_eq!(split("Bearer lr_x"), None);
        assert_eq!(parse_scopes("ingest, READ").unwrap(), vec![Scope::Ingest, Scope::Read]);
        assert!(parse_scopes("write").unwrap_err().contains("write"));
        assert!(parse_scopes("").is_err());
    }
}
