//! Webhook signatures: HMAC-SHA256 over `"{timestamp}.{body}"`, sent as
//! `Leadrank-Signature: t={timestamp},v1={hex}`.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The header carrying the signature (`t=...,v1=...`).
pub const SIGNATURE_HEADER: &str = "Leadrank-Signature";
/// The header carrying the delivery id, the key receivers deduplicate on.
pub const DELIVERY_ID_HEADER: &str = "Leadrank-Delivery-Id";
/// The header carrying the event type.
pub const EVENT_HEADER: &str = "Leadrank-Event";
/// How far a receiver should let a signature's timestamp be from its clock, by default.
pub const DEFAULT_TOLERANCE_SECS: u64 = 300;

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The hex HMAC-SHA256 of `"{timestamp}.{body}"` under `secret`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    hex::encode(mac(secret, timestamp, body).finalize().into_bytes())
}

/// The whole `Leadrank-Signature` header value: `t={timestamp},v1={hex}`.
pub fn signature_header(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!("t={timestamp},v1={}", sign(secret, timestamp, body))
}

/// Why a signature was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The header is not a list of `key=value` pairs.
    #[error("malformed signature header")]
    Malformed,
    /// No (or an unreadable) `t=` part.
    #[error("signature header has no timestamp")]
    MissingTimestamp,
    /// No `v1=` part.
    #[error("signature header has no v1 signature")]
    MissingSignature,
    /// The timestamp is further than the tolerance from `now` (either way).
    #[error("signature timestamp is {age_secs} s away from now")]
    Stale { age_secs: i64 },
    /// No `v1=` signature matches.
    #[error("signature mismatch")]
    Mismatch,
}

/// Checks a `Leadrank-Signature` header value against `body`.
///
/// `now` is the receiver's clock in Unix seconds; a timestamp more than `tolerance_secs` away
/// from it (in the past or the future) is rejected as [`VerifyError::Stale`]. Several `v1=`
/// parts are allowed (any one matching is enough, for secret rotation); unknown keys are
/// ignored. The comparison is constant-time.
pub fn verify(secret: &str, header_value: &str, body: &[u8], now: i64, tolerance_secs: u64) -> Result<(), VerifyError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header_value.split(',') {
        let (key, value) = part.trim().split_once('=').ok_or(VerifyError::Malformed)?;
        match key.trim() {
            "t" => timestamp = Some(value.trim().parse::<i64>().map_err(|_| VerifyError::MissingTimestamp)?),
            "v1" => signatures.push(value.trim()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(VerifyError::MissingTimestamp)?;
    if signatures.is_empty() {
        return Err(VerifyError::MissingSignature);
    }
    let age_secs = now.saturating_sub(timestamp);
    if age_secs.unsigned_abs() > tolerance_secs {
        return Err(VerifyError::Stale { age_secs });
    }
    let expected = mac(secret, timestamp, body);
    for candidate in signatures {
        let Ok(bytes) = hex::decode(candidate) else {
            continue;
        };
        // `verify_slice` compares in constant time.
        if expected.clone().verify_slice(&bytes).is_ok() {
            return Ok(());
        }
    }
    Err(VerifyError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const TS: i64 = 1_700_000_000;
    const BODY: &[u8] = br#"{"id":"dlv_1","type":"lead.quality"}"#;
    /// python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test_secret",
    ///   b"1700000000.{\"id\":\"dlv_1\",\"type\":\"lead.quality\"}", hashlib.sha256).hexdigest())'
    const KNOWN: &str = "17f3ec93b921df475452c0cbb0accca22436a4e6c6f775310ffeb16fd2783d9c";

    #[test]
    fn known_vector() {
        assert_eq!(sign(SECRET, TS, BODY), KNOWN);
        assert_eq!(signature_header(SECRET, TS, BODY), format!("t={TS},v1={KNOWN}"));
    }

    #[test]
    fn verify_accepts_own_signature() {
        let header = signature_header(SECRET, TS, BODY);
        assert_eq!(verify(SECRET, &header, BODY, TS, 300), Ok(()));
        assert_eq!(verify(SECRET, &header, BODY, TS + 300, 300), Ok(()));
        assert_eq!(verify(SECRET, &header, BODY, TS - 300, 300), Ok(()));
        // Spaces and unknown keys are tolerated; any matching v1 is enough.
        let loose = format!("t={TS}, v0=abc, v1={}, v1={KNOWN}", "00".repeat(32));
        assert_eq!(verify(SECRET, &loose, BODY, TS, 300), Ok(()));
    }

    #[test]
    fn verify_rejects_tampering() {
        let header = signature_header(SECRET, TS, BODY);
        assert_eq!(verify("other", &header, BODY, TS, 300), Err(VerifyError::Mismatch));
        assert_eq!(verify(SECRET, &header, b"{}", TS, 300), Err(VerifyError::Mismatch));
        // Moving the timestamp breaks the signature.
        let moved = format!("t={},v1={KNOWN}", TS + 1);
        assert_eq!(verify(SECRET, &moved, BODY, TS, 300), Err(VerifyError::Mismatch));
        let bad_hex = format!("t={TS},v1=zz{}", &KNOWN[2..]);
        assert_eq!(verify(SECRET, &bad_hex, BODY, TS, 300), Err(VerifyError::Mismatch));
        let short = format!("t={TS},v1={}", &KNOWN[..32]);
        assert_eq!(verify(SECRET, &short, BODY, TS, 300), Err(VerifyError::Mismatch));
    }

    #[test]
    fn verify_rejects_stale_and_future() {
        let header = signature_header(SECRET, TS, BODY);
        assert_eq!(verify(SECRET, &header, BODY, TS + 301, 300), Err(VerifyError::Stale { age_secs: 301 }));
        assert_eq!(verify(SECRET, &header, BODY, TS - 301, 300), Err(VerifyError::Stale { age_secs: -301 }));
    }

    #[test]
    fn verify_rejects_malformed() {
        assert_eq!(verify(SECRET, "", BODY, TS, 300), Err(VerifyError::Malformed));
        assert_eq!(verify(SECRET, "garbage", BODY, TS, 300), Err(VerifyError::Malformed));
        assert_eq!(verify(SECRET, &format!("v1={KNOWN}"), BODY, TS, 300), Err(VerifyError::MissingTimestamp));
        assert_eq!(verify(SECRET, &format!("t=soon,v1={KNOWN}"), BODY, TS, 300), Err(VerifyError::MissingTimestamp));
        assert_eq!(verify(SECRET, &format!("t={TS}"), BODY, TS, 300), Err(VerifyError::MissingSignature));
    }
}
