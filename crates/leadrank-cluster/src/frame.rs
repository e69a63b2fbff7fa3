//! How a request and its answer cross NATS between nodes: a frame is a 4-byte big-endian
//! length, that many bytes of JSON head (method, URI, headers; status and headers for an
//! answer), then the body as it is.

use bytes::{BufMut, Bytes, BytesMut};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Longest head accepted when decoding (a frame from a peer is still input).
const MAX_HEAD: usize = 256 * 1024;

/// A request as the receiving node forwards it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestHead {
    pub method: String,
    /// Path and query.
    pub uri: String,
    /// Headers whose values are text, hop-by-hop ones left out.
    pub headers: Vec<(String, String)>,
    /// For writes through the log: the API key the receiving node read, as its id and the
    /// SHA-256 of its secret (the `Authorization` header itself is left out then).
    pub key: Option<KeyRef>,
}

/// An API key by id and secret hash, never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRef {
    pub id: String,
    pub secret_hash: String,
}

/// The owner's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseHead {
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

/// A frame that cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FrameError {
    #[error("frame of {0} bytes is shorter than its length prefix")]
    Short(usize),
    #[error("frame head of {0} bytes is longer than {MAX_HEAD}")]
    HeadTooLong(usize),
    #[error("frame head is not valid JSON: {0}")]
    Head(String),
}

/// Encodes `head` and `body` as one frame.
pub fn encode(head: &impl Serialize, body: &[u8]) -> Bytes {
    // A head of strings and numbers always serialises.
    let json = serde_json::to_vec(head).unwrap_or_default();
    let mut out = BytesMut::with_capacity(4 + json.len() + body.len());
    out.put_u32(u32::try_from(json.len()).unwrap_or(u32::MAX));
    out.put_slice(&json);
    out.put_slice(body);
    out.freeze()
}

/// Splits a frame into its head and body.
pub fn decode<T: DeserializeOwned>(frame: &Bytes) -> Result<(T, Bytes), FrameError> {
    if frame.len() < 4 {
        return Err(FrameError::Short(frame.len()));
    }
    let len = u32::from_be_bytes([frame[0], frame[1], frame[2], frame[3]]) as usize;
    if len > MAX_HEAD {
        return Err(FrameError::HeadTooLong(len));
    }
    if frame.len() < 4 + len {
        return Err(FrameError::Short(frame.len()));
    }
    let head = serde_json::from_slice(&frame[4..4 + len]).map_err(|e| FrameError::Head(e.to_string()))?;
    Ok((head, frame.slice(4 + len..)))
}

/// Headers that belong to one connection and are not forwarded (RFC 9110 7.6.1), and the
/// length, which the receiver recomputes.
pub fn is_hop_by_hop(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "connection" | "keep-alive" | "proxy-connection" | "transfer-encoding" | "te" | "trailer" | "upgrade" | "content-length"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_survives_the_round_trip_with_its_body_untouched() {
        let head = RequestHead {
            method: "POST".into(),
            uri: "/v1/events?x=1".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            key: Some(KeyRef { id: "kabc".into(), secret_hash: "00ff".into() }),
        };
        let body = b"{\"events\":[]}\x00\xff";
        let frame = encode(&head, body);
        let (back, rest): (RequestHead, Bytes) = decode(&frame).unwrap();
        assert_eq!(back, head);
        assert_eq!(&rest[..], body);
    }

    #[test]
    fn broken_frames_are_errors_not_panics() {
        assert_eq!(decode::<ResponseHead>(&Bytes::from_static(b"\x00\x00")).unwrap_err(), FrameError::Short(2));
        assert_eq!(decode::<ResponseHead>(&Bytes::from_static(b"\x00\x00\x00\x09{}")).unwrap_err(), FrameError::Short(6));
        assert!(matches!(decode::<ResponseHead>(&Bytes::from_static(b"\xff\xff\xff\xff")), Err(FrameError::HeadTooLong(_))));
        assert!(matches!(decode::<ResponseHead>(&Bytes::from_static(b"\x00\x00\x00\x02{}")), Err(FrameError::Head(_))));
    }

    #[test]
    fn connection_headers_are_not_forwarded() {
        assert!(is_hop_by_hop("Connection"));
        assert!(is_hop_by_hop("transfer-encoding"));
        assert!(is_hop_by_hop("Content-Length"));
        assert!(!is_hop_by_hop("content-type"));
        assert!(!is_hop_by_hop("cookie"));
    }
}
