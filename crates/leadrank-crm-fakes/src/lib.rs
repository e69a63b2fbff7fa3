//! Local fake CRM servers for the connectors' tests (never a dependency of a shipped crate).
//!
//! The vendors' APIs cannot be reached from a test, so each fake follows the vendor's
//! published API reference for the endpoints leadrank calls: paths, request and response
//! bodies, batch size limits, paging (and its limits), error bodies, rate limits (429 with
//! `Retry-After`, a daily cap) and partial batch failures (207). Tests inject faults (bursts
//! of 429, 5xx, slow answers, partial failures) and read the log of every call.
//!
//! * [`hubspot`]: HubSpot's CRM v3 objects (search, batch read, batch update), properties and
//!   property groups, v4 association reads, and signed webhook notifications of changes;
//! * [`salesforce`]: Salesforce's REST query (a SOQL subset, `nextRecordsUrl` paging),
//!   composite sObject updates, describe, and the daily API allocation.

pub mod hubspot;
pub mod salesforce;

pub use hubspot::{Call, Fault, HubSpotFake, SignedRequest, Subscription, WebhookSettings};
pub use salesforce::SalesforceFake;

/// Decodes one `application/x-www-form-urlencoded` value or query parameter (`+` is a space,
/// `%XX` a byte; a `%` without two hex digits stays as it is).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'+', _) => out.push(b' '),
            (b'%', Some(b)) => {
                out.push(b);
                i += 2;
            }
            (b, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("SELECT+Id%2C+X"), "SELECT Id, X");
        assert_eq!(percent_decode("a%2"), "a%2", "a cut escape stays");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
        assert_eq!(percent_decode("x%3D"), "x=", "an escape at the very end");
    }
}
