//! Webhook targets must be public: a subscriber cannot point leadrank at its own network
//! (loopback, private ranges, link-local cloud metadata at 169.254.169.254, ...), neither by
//! an address in the URL nor by a name that resolves to one (checked again at every
//! connection, so a name re-pointed after the subscription is caught too).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Whether an address is reachable on the public internet (not loopback, private, link-local,
/// shared, multicast, unspecified, documentation or reserved).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_unspecified()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
        || first == 0x2001 && ip.segments()[1] == 0x0db8) // documentation
}

/// Checks a webhook URL's host without resolving it: an address must be public and
/// `localhost` (and `*.localhost`) is refused. Returns why not, if not.
pub fn check_url_host(url: &str) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
    match parsed.host() {
        None => Err("the URL has no host".into()),
        Some(url::Host::Ipv4(ip)) if !is_public(IpAddr::V4(ip)) => Err(format!("{ip} is not a public address")),
        Some(url::Host::Ipv6(ip)) if !is_public(IpAddr::V6(ip)) => Err(format!("{ip} is not a public address")),
        Some(url::Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") || d.to_ascii_lowercase().ends_with(".localhost") => {
            Err(format!("{d} is not a public host"))
        }
        Some(_) => Ok(()),
    }
}

/// A DNS resolver for the webhook client that only returns public addresses: a name that
/// resolves only to private ones fails to connect.
#[derive(Debug, Default, Clone, Copy)]
pub struct PublicOnlyResolver;

impl reqwest::dns::Resolve for PublicOnlyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let all: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = all.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(format!("{host} resolves to no public address").into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn url_hosts() {
        assert!(check_url_host("https://hooks.example.com/x").is_ok());
        assert!(check_url_host("https://8.8.8.8/x").is_ok());
        for bad in
            ["http://127.0.0.1:8080/h", "http://[::1]/h", "http://localhost/h", "http://api.localhost/h", "http://169.254.169.254/latest"]
        {
            assert!(check_url_host(bad).is_err(), "{bad}");
        }
    }
}
