//! The `[segment]` section of a mapping file: how the calls of the Segment spec (`identify`,
//! `track`, `page`, `group`) become leads, events and accounts. Pure: the HTTP adapter reads
//! the messages and hands this module the text of each trait the mapping names.

use crate::{Applied, Bound, Mapping, MappingErrors, Presence};

/// What a `track` event whose name is not in `[segment.events]` becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnmappedEvents {
    /// `Trial Started` -> `trial_started`.
    SnakeCase,
    /// Its name as it is.
    Keep,
    /// Accepted and not stored.
    Ignore,
}

/// The `[segment]` section of a mapping file.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentMapping {
    /// The mapping file (or preset) it comes from.
    pub source: String,
    /// The line of its table.
    pub line: usize,
    /// `identify` traits -> lead fields (sources are trait paths).
    pub identify: Mapping,
    /// `group` traits -> account fields.
    pub group: Mapping,
    /// `track` event name -> event type, in file order.
    pub events: Vec<(String, String)>,
    /// The event type of `page` calls.
    pub page_event: String,
    pub unmapped_events: UnmappedEvents,
}

/// Longest event type, in bytes.
const MAX_EVENT_TYPE: usize = 128;

/// Whether `ty` can be an event type: non-empty, at most 128 bytes, no control characters.
pub fn check_event_type(ty: &str) -> Result<(), String> {
    if ty.trim().is_empty() {
        return Err("an event type cannot be empty".into());
    }
    if ty.len() > MAX_EVENT_TYPE {
        return Err(format!("an event type has at most {MAX_EVENT_TYPE} bytes"));
    }
    if ty.chars().any(char::is_control) {
        return Err("an event type cannot hold control characters".into());
    }
    Ok(())
}

/// `Demo Requested` -> `demo_requested`; `Order-Completed v2` -> `order_completed_v2`;
/// letters and digits kept (lower case), every other run of characters one `_`.
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    let mut prev_lower = false;
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            // camelCase splits too: `signedUp` -> `signed_up`.
            if (gap || (c.is_uppercase() && prev_lower)) && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            out.extend(c.to_lowercase());
        } else {
            gap = true;
            prev_lower = false;
        }
    }
    out
}

impl SegmentMapping {
    /// The built-in Segment mapping (`presets/segment.toml`).
    pub fn builtin() -> SegmentMapping {
        let preset = crate::presets::find("segment").expect("the segment preset is built in");
        let file = preset.parse().expect("built-in mappings parse (a test checks them)");
        file.segment.expect("the segment preset has a [segment] section")
    }

    /// The event type of a `track` event named `name`; `None` when it is ignored.
    pub fn track_type(&self, name: &str) -> Option<String> {
        let name = name.trim();
        if let Some((_, to)) = self.events.iter().find(|(from, _)| from.eq_ignore_ascii_case(name)) {
            return Some(to.clone());
        }
        match self.unmapped_events {
            UnmappedEvents::SnakeCase => Some(snake_case(name)).filter(|s| !s.is_empty()),
            UnmappedEvents::Keep => Some(name.to_string()),
            UnmappedEvents::Ignore => None,
        }
    }

    /// The trait paths `mapping` (`identify` or `group`) reads, each once, in file order.
    pub fn paths(mapping: &Mapping) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for spec in mapping.fields.iter().chain(&mapping.custom) {
            for from in &spec.from {
                if !out.contains(from) {
                    out.push(from.clone());
                }
            }
        }
        out
    }

    /// `identify` (or `group`) bound to its own trait paths, ready to map messages.
    pub fn bind(mapping: &Mapping) -> Result<TraitsBinding<'_>, MappingErrors> {
        let paths = Self::paths(mapping);
        let bound = mapping.bind(&paths, "the message", Presence::Optional)?;
        Ok(TraitsBinding { bound, paths })
    }
}

/// A traits mapping bound to its trait paths.
#[derive(Debug, Clone)]
pub struct TraitsBinding<'m> {
    bound: Bound<'m>,
    paths: Vec<String>,
}

/// One message's traits after mapping: (field, text) for every non-empty field, and the
/// problems as (field, trait path, message).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MappedTraits {
    pub fields: Vec<(String, String)>,
    pub problems: Vec<(String, String, String)>,
}

impl TraitsBinding<'_> {
    /// The trait paths to look up, in the order [`TraitsBinding::apply`] takes their text.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Maps one message: `cells[i]` is the text of trait path `paths()[i]` (empty: absent).
    pub fn apply(&self, cells: &[&str]) -> MappedTraits {
        let Applied { values, problems } = self.bound.apply(cells);
        let names = self.bound.names();
        let mut out = MappedTraits::default();
        for (i, value) in values.into_iter().enumerate() {
            if let Some((_, message)) = problems.iter().find(|(p, _)| *p == i) {
                out.problems.push((names[i].clone(), self.source_of(i), message.clone()));
            } else if !value.is_empty() {
                out.fields.push((names[i].clone(), value));
            }
        }
        out
    }

    /// The trait path field `name` comes from (the first one, for joined traits).
    pub fn source(&self, name: &str) -> Option<String> {
        self.bound.output_of(name).map(|i| self.source_of(i))
    }

    fn source_of(&self, index: usize) -> String {
        let (_, column) = self.bound.origin(index);
        column.and_then(|c| self.paths.get(c)).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MappingFile;

    fn parse(text: &str) -> Result<SegmentMapping, MappingErrors> {
        MappingFile::parse(text, "m.toml").map(|f| f.segment.expect("a [segment] section"))
    }

    #[test]
    fn event_names_become_snake_case() {
        assert_eq!(snake_case("Demo Requested"), "demo_requested");
        assert_eq!(snake_case("  Order-Completed v2 "), "order_completed_v2");
        assert_eq!(snake_case("signedUp"), "signed_up");
        assert_eq!(snake_case("page_view"), "page_view");
        assert_eq!(snake_case("!!"), "");
    }

    #[test]
    fn the_builtin_mapping_maps_traits_and_events() {
        let m = SegmentMapping::builtin();
        assert_eq!(m.track_type("demo requested").as_deref(), Some("demo_request"));
        assert_eq!(m.track_type("Feature Used").as_deref(), Some("feature_used"));
        assert_eq!(m.page_event, "page_view");
        let b = SegmentMapping::bind(&m.identify).unwrap();
        let cells: Vec<&str> = b
            .paths()
            .iter()
            .map(|p| match p.as_str() {
                "email" => "ada@example.com",
                "company.employee_count" => "1,200",
                "website" => "https://www.Example.com/about",
                _ => "",
            })
            .collect();
        let out = b.apply(&cells);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert!(out.fields.contains(&("email".into(), "ada@example.com".into())));
        assert!(out.fields.contains(&("employees".into(), "1200".into())));
        assert!(out.fields.contains(&("domain".into(), "example.com".into())), "{:?}", out.fields);
        assert_eq!(b.source("employees").as_deref(), Some("company.employee_count"));
    }

    #[test]
    fn a_bad_trait_value_names_the_field_and_the_trait() {
        let m = parse("[segment.identify.fields]\nemployees = \"size\"\n").unwrap();
        let b = SegmentMapping::bind(&m.identify).unwrap();
        let out = b.apply(&["lots"]);
        assert_eq!(out.fields, vec![]);
        assert_eq!(out.problems.len(), 1);
        assert_eq!((out.problems[0].0.as_str(), out.problems[0].1.as_str()), ("employees", "size"));
    }

    #[test]
    fn errors_are_located() {
        let text = "[segment]\npage_event = \"\"\nunmapped_events = \"drop\"\nsurprise = 1\n\n[segment.identify.fields]\nlead_id = \"id\"\nemale = \"email\"\n\n[segment.events]\n\"Signed Up\" = \"signup\"\n\"signed up\" = \"x\"\n";
        let errors = parse(text).unwrap_err().0;
        let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.key.as_str())).collect();
        assert!(got.contains(&(2, "segment.page_event")), "{got:?}");
        assert!(got.contains(&(3, "segment.unmapped_events")), "{got:?}");
        assert!(got.contains(&(4, "segment.surprise")), "{got:?}");
        assert!(got.contains(&(7, "segment.identify.fields.lead_id")), "{got:?}");
        assert!(got.contains(&(8, "segment.identify.fields.emale")), "{got:?}");
        assert!(got.contains(&(12, "segment.events.signed up")), "{got:?}");
        let emale = errors.iter().find(|e| e.key.ends_with("emale")).unwrap();
        assert!(emale.message.contains("did you mean 'email'"), "{}", emale.message);
        assert!(errors.iter().all(|e| e.file == "m.toml"));
    }

    #[test]
    fn a_segment_only_file_is_a_mapping_and_ignore_drops_unmapped_events() {
        let m = parse("[segment]\nunmapped_events = \"ignore\"\n[segment.events]\n\"Demo Requested\" = \"demo_request\"\n").unwrap();
        assert_eq!(m.track_type("Demo Requested").as_deref(), Some("demo_request"));
        assert_eq!(m.track_type("Other"), None);
        assert!(m.identify.fields.is_empty());
    }
}
