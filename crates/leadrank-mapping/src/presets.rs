//! Built-in mappings for common CRM exports (`leadrank mapping list`, `leadrank mapping show
//! NAME`, `--mapping NAME`).

use crate::{MappingErrors, MappingFile};

/// A built-in mapping: its name and TOML text.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub name: &'static str,
    pub source: &'static str,
}

impl Preset {
    /// The parsed mapping (built-in mappings parse: a test checks them all).
    pub fn parse(&self) -> Result<MappingFile, MappingErrors> {
        MappingFile::parse(self.source, self.name)
    }

    /// The `description` of its `[mapping]` table.
    pub fn description(&self) -> String {
        self.parse().ok().and_then(|m| m.description).unwrap_or_default()
    }
}

/// Every built-in mapping.
pub const ALL: &[Preset] = &[
    Preset { name: "hubspot-contacts", source: include_str!("../presets/hubspot-contacts.toml") },
    Preset { name: "hubspot-companies", source: include_str!("../presets/hubspot-companies.toml") },
    Preset { name: "hubspot-deals", source: include_str!("../presets/hubspot-deals.toml") },
    Preset { name: "salesforce-leads", source: include_str!("../presets/salesforce-leads.toml") },
    Preset { name: "salesforce-contacts", source: include_str!("../presets/salesforce-contacts.toml") },
    Preset { name: "salesforce-accounts", source: include_str!("../presets/salesforce-accounts.toml") },
    Preset { name: "salesforce-opportunities", source: include_str!("../presets/salesforce-opportunities.toml") },
    Preset { name: "segment", source: include_str!("../presets/segment.toml") },
];

/// The built-in mapping named `name`.
pub fn find(name: &str) -> Option<&'static Preset> {
    ALL.iter().find(|p| p.name == name)
}

/// The names of the built-in mappings, comma-separated (for messages).
pub fn names() -> String {
    ALL.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
}
