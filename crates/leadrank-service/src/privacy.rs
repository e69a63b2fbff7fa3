//! Erasure markers: keyed hashes of a person's lead id and email, kept after erasure so that
//! re-ingesting the person stores nothing, while the markers themselves reveal nothing
//! without the key (which never leaves the database).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The secret key of the markers.
#[derive(Clone)]
pub struct MarkerKey(Vec<u8>);

impl MarkerKey {
    /// A new random key, hex encoded.
    pub fn generate_hex() -> String {
        let bytes: [u8; 32] = rand::random();
        hex::encode(bytes)
    }

    /// A key from its hex form.
    pub fn from_hex(s: &str) -> Result<Self, hex::FromHexError> {
        hex::decode(s.trim()).map(MarkerKey)
    }

    fn mac(&self, text: &str) -> String {
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        mac.update(text.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The marker of a lead id.
    pub fn lead_marker(&self, lead_id: &str) -> String {
        self.mac(&format!("lead:{lead_id}"))
    }

    /// The marker of an email, normalised as for duplicates (case, gmail dots, +tags);
    /// `None` for something that is not an address.
    pub fn email_marker(&self, email: &str) -> Option<String> {
        leadrank_facts::email::normalize_for_dedupe(email).map(|e| self.mac(&format!("email:{e}")))
    }

    /// The markers of a person: lead id, and email when there is one.
    pub fn markers(&self, lead_id: &str, email: Option<&str>) -> Vec<String> {
        let mut out = vec![self.lead_marker(lead_id)];
        out.extend(email.and_then(|e| self.email_marker(e)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_keyed_and_normalised() {
        let a = MarkerKey::from_hex(&MarkerKey::generate_hex()).unwrap();
        let b = MarkerKey::from_hex(&MarkerKey::generate_hex()).unwrap();
        assert_eq!(a.email_marker("Ada.Lovelace+x@GMail.com"), a.email_marker("adalovelace@gmail.com"));
        assert_ne!(a.lead_marker("L1"), b.lead_marker("L1"));
        assert!(!a.lead_marker("L1").contains("L1"));
    }
}
