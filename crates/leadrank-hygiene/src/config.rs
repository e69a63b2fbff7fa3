//! The dedupe configuration: which fields are compared, how, with what weights, and the
//! blocking keys that choose which pairs are compared at all.
//!
//! ```toml
//! threshold = 10.0        # a pair whose score reaches this is a match
//! max_block = 64          # blocks larger than this are skipped (too common to be evidence)
//!
//! [[fields]]
//! field = "email"         # a lead field or a custom column
//! comparator = "email"    # exact, text, email, phone, first_name, last_name, company, domain, numeric, country
//! agree = 9.0             # points when the values are the same
//! disagree = 1.0          # points taken away when they differ (absent values score 0)
//! min_similarity = 0.85   # below this similarity the values differ; above it points scale
//!
//! [[blocking]]
//! key = ["last_name:phonetic", "first_name:initial"]
//! ```

use serde::Deserialize;

/// How two values of a field are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// Equal after folding case, accents and punctuation.
    Exact,
    /// Jaro-Winkler on folded text, insensitive to word order.
    Text,
    /// Equal normalised emails (gmail dots and +tags); a one-letter typo in the local part at
    /// the same domain is a near match.
    Email,
    /// The same number: E.164 when it parses, else the last 9 digits.
    Phone,
    /// Given names: nicknames ("Bob" = "Robert"), initials ("J." ~ "John"), typos.
    FirstName,
    /// Family names: typos, transpositions, accents, compound names ("García Márquez" ~ "García").
    LastName,
    /// Company names without legal forms and punctuation ("Acme Inc." = "ACME, Inc").
    Company,
    /// The registrable company domain (public suffix list): "eu.acme.co.uk" = "acme.co.uk".
    Domain,
    /// Numbers, similarity 1 - |a - b| / max(|a|, |b|).
    Numeric,
    /// Countries as ISO alpha-2 when recognised ("United States" = "US" = "usa").
    Country,
}

/// One compared field.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRule {
    /// A lead field (SPEC section 1) or a custom column.
    pub field: String,
    pub comparator: Comparator,
    /// Points when the values agree fully.
    pub agree: f64,
    /// Points taken away when they disagree.
    #[serde(default)]
    pub disagree: f64,
    /// Similarity below which values disagree; between it and 1 the points scale linearly.
    #[serde(default = "default_min_similarity")]
    pub min_similarity: f64,
}

fn default_min_similarity() -> f64 {
    0.85
}

/// One blocking key: records sharing all its parts are compared.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockingKey {
    /// Parts `field` or `field:transform`; transforms: `value` (the normalised value),
    /// `initial`, `phonetic`, `prefix3` (any `prefixN`), `canonical` (nickname group),
    /// `first_token`, `last_token`.
    pub key: Vec<String>,
}

/// The whole dedupe configuration.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DedupeConfig {
    /// A pair whose score reaches this is a match.
    pub threshold: f64,
    /// Blocks with more records than this are skipped and counted.
    #[serde(default = "default_max_block")]
    pub max_block: usize,
    pub fields: Vec<FieldRule>,
    pub blocking: Vec<BlockingKey>,
}

fn default_max_block() -> usize {
    64
}

/// The built-in configuration for lead data (SPEC lead fields only).
pub const DEFAULT_CONFIG: &str = include_str!("default_dedupe.toml");

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}: {message}")]
    Toml { file: String, message: String },
    #[error("{file}: blocking key part '{part}' names field '{field}', which is not among [[fields]]")]
    UnknownBlockingField { file: String, part: String, field: String },
    #[error(
        "{file}: blocking key part '{part}': unknown transform (use value, initial, phonetic, prefixN, canonical, first_token, last_token)"
    )]
    UnknownTransform { file: String, part: String },
    #[error("{file}: field '{field}': min_similarity must be in [0, 1)")]
    BadSimilarity { file: String, field: String },
    #[error("{file}: at least one [[fields]] and one [[blocking]] key are needed")]
    Empty { file: String },
}

/// A transform of a blocking key part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transform {
    Value,
    Initial,
    Phonetic,
    Prefix(usize),
    Canonical,
    FirstToken,
    LastToken,
}

/// One blocking key as (field index, transform) parts.
pub(crate) type BlockingKeyPlan = Vec<(usize, Transform)>;

impl DedupeConfig {
    /// The built-in configuration.
    pub fn default_config() -> Self {
        // The built-in file is tested to parse, so this cannot fail at run time.
        Self::from_toml(DEFAULT_CONFIG, "built-in dedupe config").unwrap_or_else(|e| panic!("{e}"))
    }

    /// Parses and checks a configuration; `file` names it in errors (with line and column).
    pub fn from_toml(text: &str, file: &str) -> Result<Self, ConfigError> {
        let cfg: DedupeConfig = toml::from_str(text).map_err(|e| ConfigError::Toml { file: file.into(), message: e.to_string() })?;
        if cfg.fields.is_empty() || cfg.blocking.is_empty() {
            return Err(ConfigError::Empty { file: file.into() });
        }
        for f in &cfg.fields {
            if !(0.0..1.0).contains(&f.min_similarity) {
                return Err(ConfigError::BadSimilarity { file: file.into(), field: f.field.clone() });
            }
        }
        cfg.blocking_plan().map_err(|(part, field)| match field {
            Some(field) => ConfigError::UnknownBlockingField { file: file.into(), part, field },
            None => ConfigError::UnknownTransform { file: file.into(), part },
        })?;
        Ok(cfg)
    }

    /// Each blocking key as (field index, transform) parts; `Err((part, Some(field)))` for an
    /// unknown field, `Err((part, None))` for an unknown transform.
    pub(crate) fn blocking_plan(&self) -> Result<Vec<BlockingKeyPlan>, (String, Option<String>)> {
        self.blocking
            .iter()
            .map(|k| {
                k.key
                    .iter()
                    .map(|part| {
                        let (field, tr) = part.split_once(':').unwrap_or((part.as_str(), "value"));
                        let idx =
                            self.fields.iter().position(|f| f.field == field).ok_or_else(|| (part.clone(), Some(field.to_string())))?;
                        let t = match tr {
                            "value" => Transform::Value,
                            "initial" => Transform::Initial,
                            "phonetic" => Transform::Phonetic,
                            "canonical" => Transform::Canonical,
                            "first_token" => Transform::FirstToken,
                            "last_token" => Transform::LastToken,
                            p => match p.strip_prefix("prefix").and_then(|n| n.parse::<usize>().ok()) {
                                Some(n) if n > 0 => Transform::Prefix(n),
                                _ => return Err((part.clone(), None)),
                            },
                        };
                        Ok((idx, t))
                    })
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_config_parses() {
        let c = DedupeConfig::default_config();
        assert!(c.fields.iter().any(|f| f.comparator == Comparator::Email));
        assert!(c.blocking_plan().is_ok());
    }

    #[test]
    fn errors_name_the_file_and_what_is_wrong() {
        let e = DedupeConfig::from_toml("threshold = 1\n[[fields]]\nfield = \"x\"\ncomparator = \"fuzzy\"\nagree = 1\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("c.toml: TOML parse error at line 4"), "{e}");
        let e = DedupeConfig::from_toml(
            "threshold = 1\n[[fields]]\nfield = \"x\"\ncomparator = \"text\"\nagree = 1\n[[blocking]]\nkey = [\"y:initial\"]\n",
            "c.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("names field 'y'"), "{e}");
        let e = DedupeConfig::from_toml(
            "threshold = 1\n[[fields]]\nfield = \"x\"\ncomparator = \"text\"\nagree = 1\n[[blocking]]\nkey = [\"x:soundex\"]\n",
            "c.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("unknown transform"), "{e}");
    }
}
