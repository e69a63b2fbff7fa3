//! URL paths for page-view rules.
//!
//! Rules such as `pricing_page` or `careers_page` match on the *path* of a page view's URL,
//! segment-aware: `/pricing/enterprise` is under `/pricing`, `/pricingx` is not. Query strings
//! and fragments are ignored, so `/pricing?utm_source=x` and `/pricing#plans` are one page.
//!
//! Normalisation ([`normalize_path`]):
//! 1. trim; cut at the first `?` or `#`;
//! 2. strip `scheme://host[:port]` (a scheme is letters, digits, `+`, `-`, `.` before `://`),
//!    a protocol-relative `//host`, or, without a scheme, a leading host: the text before
//!    the first `/` when it contains a dot or ends in `:port` (`acme.com/pricing`);
//! 3. lower-case; collapse runs of `/` into one; drop trailing `/` and white space (the
//!    root stays `/`);
//!    make sure the result starts with `/`; empty gives `/`.
//!
//! Percent-escapes are kept as they are (lower-cased). Normalisation is idempotent.

/// The normalised path of a URL or of a bare path, e.g. `"https://Acme.com/Pricing/?utm=x"`
/// gives `"/pricing"`, `"/demo#form"` gives `"/demo"`, `"acme.com/pricing"` gives
/// `"/pricing"` and `""` gives `"/"`.
pub fn normalize_path(url: &str) -> String {
    let s = url.trim();
    let s = match s.find(['?', '#']) {
        Some(i) => s[..i].trim_end(),
        None => s,
    };
    let path = strip_origin(s);

    let mut out = String::with_capacity(path.len() + 1);
    out.push('/');
    for c in path.chars().flat_map(char::to_lowercase) {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    while out.len() > 1 && out.ends_with(|c: char| c == '/' || c.is_whitespace()) {
        out.pop();
    }
    out
}

/// [`normalize_path`] without allocating when the URL's path is already normal but for one
/// trailing `/` (ASCII, lower case, starting with `/`, no `//`), which is what most page views
/// carry.
pub fn normalize_path_cow(url: &str) -> std::borrow::Cow<'_, str> {
    let s = url.trim();
    let s = match memchr::memchr2(b'?', b'#', s.as_bytes()) {
        Some(i) => s[..i].trim_end(),
        None => s,
    };
    let path = strip_origin(s);
    let b = path.as_bytes();
    // One pass: ASCII, no upper case, no white space, no `//`.
    let mut previous = 0u8;
    let clean = b.first() == Some(&b'/')
        && b.iter().all(|&c| {
            let doubled_slash = c == b'/' && previous == b'/';
            let ok = c.is_ascii() && !c.is_ascii_uppercase() && !c.is_ascii_whitespace() && !doubled_slash;
            previous = c;
            ok
        });
    if clean {
        // Without `//`, at most one trailing `/` to drop (the root keeps it).
        std::borrow::Cow::Borrowed(if b.len() > 1 { path.strip_suffix('/').unwrap_or(path) } else { path })
    } else if path.is_empty() {
        std::borrow::Cow::Borrowed("/")
    } else {
        std::borrow::Cow::Owned(normalize_path(url))
    }
}

/// Removes `scheme://host[:port]`, `//host` or a bare leading host from `s`; returns the rest.
fn strip_origin(s: &str) -> &str {
    if let Some(i) = scheme_separator(s.as_bytes()) {
        let scheme = &s.as_bytes()[..i];
        let is_scheme = !scheme.is_empty() && scheme.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'));
        if is_scheme {
            return after_host(&s[i + 3..]);
        }
    }
    if let Some(rest) = s.strip_prefix("//") {
        return after_host(rest);
    }
    if s.starts_with('/') {
        return s;
    }
    let first = s.split('/').next().unwrap_or("");
    if looks_like_host(first) { after_host(s) } else { s }
}

/// Where the first `://` in `s` starts (as `str::find("://")`, without building a searcher).
fn scheme_separator(s: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b':', &s[from..]) {
        let at = from + i;
        if s[at + 1..].starts_with(b"//") {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The part of `s` from its first `/` on (empty when there is none).
fn after_host(s: &str) -> &str {
    match memchr::memchr(b'/', s.as_bytes()) {
        Some(i) => &s[i..],
        None => "",
    }
}

/// A scheme-less leading segment is a host when it has a dot (`acme.com`) or a `:port`.
fn looks_like_host(segment: &str) -> bool {
    if segment.is_empty() || segment.contains(char::is_whitespace) {
        return false;
    }
    if segment.contains('.') {
        return true;
    }
    match segment.rsplit_once(':') {
        Some((host, port)) => !host.is_empty() && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

/// Whether the normalised `path` is `prefix` or lies below it, segment by segment:
/// `/pricing` and `/pricing/enterprise` are under `/pricing`, `/pricingx` is not, and
/// every path is under `/`. A trailing `/` on `prefix` is ignored.
pub fn path_is_under(path: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() {
        return true;
    }
    match path.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_examples() {
        let cases = [
            ("https://Acme.com/Pricing/?utm=x", "/pricing"),
            ("/demo#form", "/demo"),
            ("acme.com/pricing", "/pricing"),
            ("", "/"),
            ("   ", "/"),
            ("/", "/"),
            ("https://acme.com", "/"),
            ("https://acme.com/", "/"),
            ("https://acme.com?x=1", "/"),
            ("http://acme.com:8080/Demo/", "/demo"),
            ("//cdn.acme.com/a/b/", "/a/b"),
            ("acme.com", "/"),
            ("www.acme.co.uk/Case-Studies/x/", "/case-studies/x"),
            ("localhost:3000/pricing", "/pricing"),
            ("pricing", "/pricing"),
            ("pricing/enterprise/", "/pricing/enterprise"),
            ("/pricing//enterprise//", "/pricing/enterprise"),
            ("https://acme.com//pricing", "/pricing"),
            ("/PRICING?plan=pro#top", "/pricing"),
            ("/a#b?c", "/a"),
            ("https://acme.com/redirect/http://b.com/x", "/redirect/http:/b.com/x"),
            ("/Prici%C3%A9ng", "/prici%c3%a9ng"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_path(input), want, "input {input:?}");
        }
    }

    #[test]
    fn prefix_matching_is_segment_aware() {
        assert!(path_is_under("/pricing", "/pricing"));
        assert!(path_is_under("/pricing/enterprise", "/pricing"));
        assert!(!path_is_under("/pricingx", "/pricing"));
        assert!(!path_is_under("/", "/pricing"));
        assert!(!path_is_under("/demo", "/pricing"));
        assert!(path_is_under("/anything/at/all", "/"));
        assert!(path_is_under("/", "/"));
        assert!(path_is_under("/careers/sales", "/careers/"));
        assert!(path_is_under("/x", ""));
    }

    #[test]
    fn borrowed_normalisation_matches() {
        for u in [
            "https://www.leadrank-demo.com/",
            "https://www.leadrank-demo.com/pricing",
            "/demo#form",
            "acme.com/pricing",
            "",
            "https://Acme.com/Pricing/?utm=x",
            "//cdn.x/a//b/",
            "/a /",
            " /x ",
            "https://acme.com",
            "mailto:x",
            "/ä",
            "/a\tb",
        ] {
            assert_eq!(normalize_path_cow(u), normalize_path(u), "{u:?}");
        }
    }

    /// `strip_origin` as first written, with `str` searches: the reference for the byte version.
    fn strip_origin_reference(s: &str) -> &str {
        if let Some(i) = s.find("://") {
            let scheme = &s[..i];
            if !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
                return s[i + 3..].find('/').map_or("", |j| &s[i + 3 + j..]);
            }
        }
        if let Some(rest) = s.strip_prefix("//") {
            return rest.find('/').map_or("", |j| &rest[j..]);
        }
        if s.starts_with('/') {
            return s;
        }
        let first = s.split('/').next().unwrap_or("");
        if looks_like_host(first) { s.find('/').map_or("", |j| &s[j..]) } else { s }
    }

    proptest! {
        #[test]
        fn byte_search_strips_as_str_search(s in "\\PC{0,24}", t in "([a-z+é.-]{0,4}:(//?)?)?[a-z.:/é]{0,12}") {
            prop_assert_eq!(strip_origin(&s), strip_origin_reference(&s));
            prop_assert_eq!(strip_origin(&t), strip_origin_reference(&t));
        }

        #[test]
        fn borrowed_equals_owned(s in "\\PC*", t in "(https?://[a-zA-Z.]{0,8})?[/a-zA-Z ?#.:]{0,16}") {
            prop_assert_eq!(normalize_path_cow(&s), normalize_path(&s));
            prop_assert_eq!(normalize_path_cow(&t), normalize_path(&t));
        }

        #[test]
        fn never_panics_and_is_idempotent(s in "\\PC*") {
            let once = normalize_path(&s);
            prop_assert!(once.starts_with('/'));
            prop_assert_eq!(normalize_path(&once), once.clone());
            prop_assert!(path_is_under(&once, "/"));
            prop_assert!(path_is_under(&once, &once));
        }

        #[test]
        fn idempotent_on_url_like_input(
            s in "(https?://)?([a-zA-Z]{1,5}\\.){0,2}[a-z]{0,4}(:[0-9]{1,4})?(/[a-zA-Z.:%]{0,4}){0,4}/?(\\?[a-z=&]{0,5})?(#[a-z]{0,3})?"
        ) {
            let once = normalize_path(&s);
            prop_assert_eq!(normalize_path(&once), once);
        }
    }
}
