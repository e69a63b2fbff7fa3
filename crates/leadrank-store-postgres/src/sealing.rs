//! Sealing of personal payloads with the lead's own key.
//!
//! A sealed value is the text `enc1:` followed by the standard base64 of a random 24-byte
//! nonce and the XChaCha20-Poly1305 ciphertext with its 16-byte tag. The associated data
//! names the table, the column and the lead id, so a sealed value copied into another
//! column, table or lead's row does not open. A value without the prefix is a row written
//! before encryption (plain JSON): it is read as it is.
//!
//! [`SEALED_COLUMNS`] lists every column that holds a person's data.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

/// The marker of a sealed value (format 1).
pub const PREFIX: &str = "enc1:";

const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// A lead's data key (256 bits), wiped from memory when dropped.
pub type LeadKey = zeroize::Zeroizing<[u8; 32]>;

/// A column holding personal data, sealed with the key of the row's `lead_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealedColumn {
    pub table: &'static str,
    pub column: &'static str,
    /// The primary key column, for re-sealing rows written before encryption.
    pub key_column: &'static str,
    /// Whether `key_column` is a `BIGINT` (else `TEXT`).
    pub numeric_key: bool,
}

const fn col(table: &'static str, column: &'static str, key_column: &'static str, numeric_key: bool) -> SealedColumn {
    SealedColumn { table, column, key_column, numeric_key }
}

/// Every column of the schema that holds a person's data. Deliveries without a lead id
/// (none are written today) stay as they are.
pub const SEALED_COLUMNS: &[SealedColumn] = &[
    col("leads", "data", "lead_id", false),
    col("events", "data", "seq", true),
    col("consents", "data", "seq", true),
    col("scores", "body", "lead_id", false),
    col("score_history", "body", "seq", true),
    col("deliveries", "body", "seq", true),
    col("lead_ops", "body", "lead_id", false),
    col("ops_log", "body", "id", true),
];

/// Whether `table.column` is sealed.
pub fn is_sealed_column(table: &str, column: &str) -> bool {
    SEALED_COLUMNS.iter().any(|c| c.table == table && c.column == column)
}

/// Why a sealed value did not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// Not base64, or too short to hold a nonce and a tag.
    #[error("the sealed value is malformed ({0})")]
    Malformed(&'static str),
    /// The key, the lead, the table or the column is not the one it was sealed with, or
    /// the bytes were altered.
    #[error("the sealed value does not open with this lead's key (another key vault, another row, or altered bytes)")]
    Rejected,
    /// The opened bytes are not UTF-8 text.
    #[error("the opened value is not UTF-8 text")]
    NotText,
}

/// Whether a stored value is sealed (else it is a row written before encryption).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

fn associated_data(lead_id: &str, table: &str, column: &str) -> Vec<u8> {
    // Table and column are fixed names without NUL; the lead id comes last.
    format!("leadrank/enc1\0{table}\0{column}\0{lead_id}").into_bytes()
}

/// A fresh random key from the operating system's generator.
pub fn new_key() -> LeadKey {
    let mut key = zeroize::Zeroizing::new([0u8; 32]);
    getrandom::fill(key.as_mut_slice()).expect("the operating system's random generator is available");
    key
}

/// Seals `plaintext` of `lead_id`'s row in `table.column`.
pub fn seal(key: &[u8; 32], lead_id: &str, table: &str, column: &str, plaintext: &str) -> String {
    let cipher = XChaCha20Poly1305::new(key.into());
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).expect("the operating system's random generator is available");
    let aad = associated_data(lead_id, table, column);
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext.as_bytes(), aad: &aad })
        .expect("XChaCha20-Poly1305 seals any length this store writes");
    let mut bytes = Vec::with_capacity(NONCE_LEN + sealed.len());
    bytes.extend_from_slice(&nonce);
    bytes.extend_from_slice(&sealed);
    let mut out = String::with_capacity(PREFIX.len() + bytes.len().div_ceil(3) * 4);
    out.push_str(PREFIX);
    STANDARD.encode_string(&bytes, &mut out);
    out
}

/// Opens a sealed value of `lead_id`'s row in `table.column`.
pub fn open(key: &[u8; 32], lead_id: &str, table: &str, column: &str, stored: &str) -> Result<String, OpenError> {
    let b64 = stored.strip_prefix(PREFIX).ok_or(OpenError::Malformed("no enc1: prefix"))?;
    let bytes = STANDARD.decode(b64).map_err(|_| OpenError::Malformed("not base64"))?;
    if bytes.len() < NONCE_LEN + TAG_LEN {
        return Err(OpenError::Malformed("shorter than a nonce and a tag"));
    }
    let (nonce, sealed) = bytes.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(key.into());
    let aad = associated_data(lead_id, table, column);
    let plain = cipher.decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: &aad }).map_err(|_| OpenError::Rejected)?;
    String::from_utf8(plain).map_err(|_| OpenError::NotText)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r#"{"lead_id":"L1","email":"ada@example.com"}"#;

    #[test]
    fn round_trip_and_every_seal_differs() {
        let key = new_key();
        let a = seal(&key, "L1", "leads", "data", JSON);
        let b = seal(&key, "L1", "leads", "data", JSON);
        assert!(is_sealed(&a) && a != b, "a random nonce each time");
        assert!(!a.contains("ada@example.com"));
        assert_eq!(open(&key, "L1", "leads", "data", &a).unwrap(), JSON);
        assert_eq!(open(&key, "L1", "leads", "data", &seal(&key, "L1", "leads", "data", "")).unwrap(), "");
    }

    #[test]
    fn another_key_lead_table_or_column_is_rejected() {
        let key = new_key();
        let sealed = seal(&key, "L1", "events", "data", JSON);
        assert_eq!(open(&new_key(), "L1", "events", "data", &sealed), Err(OpenError::Rejected));
        assert_eq!(open(&key, "L2", "events", "data", &sealed), Err(OpenError::Rejected));
        assert_eq!(open(&key, "L1", "consents", "data", &sealed), Err(OpenError::Rejected));
        assert_eq!(open(&key, "L1", "events", "body", &sealed), Err(OpenError::Rejected));
        // One flipped bit anywhere.
        let mut bytes = STANDARD.decode(&sealed[PREFIX.len()..]).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let altered = format!("{PREFIX}{}", STANDARD.encode(&bytes));
        assert_eq!(open(&key, "L1", "events", "data", &altered), Err(OpenError::Rejected));
    }

    #[test]
    fn malformed_values_are_named() {
        let key = new_key();
        assert_eq!(open(&key, "L1", "leads", "data", "enc1:***"), Err(OpenError::Malformed("not base64")));
        assert_eq!(open(&key, "L1", "leads", "data", "enc1:AAAA"), Err(OpenError::Malformed("shorter than a nonce and a tag")));
        assert_eq!(open(&key, "L1", "leads", "data", JSON), Err(OpenError::Malformed("no enc1: prefix")));
        assert!(!is_sealed(JSON));
    }

    #[test]
    fn sealed_columns_are_the_personal_ones() {
        assert!(is_sealed_column("leads", "data") && is_sealed_column("ops_log", "body"));
        assert!(!is_sealed_column("accounts", "data") && !is_sealed_column("audit", "detail") && !is_sealed_column("models", "source"));
        assert_eq!(SEALED_COLUMNS.len(), 8);
    }
}
