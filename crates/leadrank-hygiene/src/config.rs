//! The dedupe configuration: which fields are compared, how, with what weights, and the
//! blocking keys that choose which pairs are compared at all.
//!
//! ```toml
//! threshold = 10.0        # a pair whose score reaches this is a match (hand-set weights)
//! max_block = 64          # blocks larger than this are skipped (too common to be evidence)
//! weights = "hand"        # or "em": learned from the data (Fellegi-Sunter, see [em])
//!
//! [em]                    # only read with weights = "em"
//! match_probability = 0.95
//! u_from = "em"           # or "random"
//! random_pairs = 1000000
//! max_iterations = 100
//! seed = 1
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
//!
//! [[blocking]]            # a sorted neighbourhood: each record with the next window - 1
//! key = ["last_name:nysiis", "first_name"]
//! window = 4
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
    /// A lead field or a custom column.
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
    /// `initial`, `phonetic` (a short Soundex-like code of the last word), `nysiis` (the
    /// NYSIIS code of the last word), `prefix3` (any `prefixN`), `canonical` (nickname
    /// group), `first_token`, `last_token`; and `a+b:phonetic_set` (the phonetic codes of
    /// the words of two fields, sorted: swapped first and last names share it).
    pub key: Vec<String>,
    /// With a window, the pass is a sorted neighbourhood instead of blocks: records are
    /// sorted by the key's text (then by input order) and each is compared with the next
    /// `window - 1` records, so near keys meet too.
    #[serde(default)]
    pub window: Option<usize>,
}

/// The largest sorted-neighbourhood window (each record is compared with this many
/// neighbours at most).
pub const MAX_WINDOW: usize = 1000;

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
    /// Where the weights come from: `hand` (each field's `agree` / `disagree` points and the
    /// `threshold`) or `em` (learned from the data, see [`EmConfig`]).
    #[serde(default)]
    pub weights: Weights,
    /// Settings of the learned weights (used with `weights = "em"`).
    #[serde(default)]
    pub em: EmConfig,
    /// Where the configuration came from (a file path or a preset name), for errors.
    #[serde(skip)]
    pub source: String,
    /// The line of each `[[fields]]` entry's `field = ...` (1-based; 0 when unknown).
    #[serde(skip)]
    pub field_lines: Vec<usize>,
}

fn default_max_block() -> usize {
    64
}

/// Where a pair's score comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Weights {
    /// The fields' hand-set `agree` and `disagree` points; a match reaches `threshold`.
    #[default]
    Hand,
    /// Fellegi-Sunter weights `log2(m / u)` per field and comparison level, estimated by
    /// expectation maximisation on the compared pairs without labels; a match reaches
    /// `em.match_probability`.
    Em,
}

/// Settings of the learned (`weights = "em"`) weights.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmConfig {
    /// A pair whose match probability reaches this is a match.
    pub match_probability: f64,
    /// Where the non-match probabilities u come from: `random` (random pairs of records,
    /// fixed) or `em` (estimated with m on the compared pairs, starting from random pairs).
    pub u_from: crate::em::USource,
    /// How many random pairs of records estimate u.
    pub random_pairs: usize,
    /// The most EM iterations.
    pub max_iterations: usize,
    /// The seed of the random pairs (the same seed and data give the same weights).
    pub seed: u64,
}

impl Default for EmConfig {
    fn default() -> Self {
        EmConfig { match_probability: 0.95, u_from: crate::em::USource::Em, random_pairs: 1_000_000, max_iterations: 100, seed: 1 }
    }
}

/// The built-in configuration for lead data (the built-in lead fields only).
pub const DEFAULT_CONFIG: &str = include_str!("default_dedupe.toml");

/// The configuration for person-name-and-address data: the lead fields plus the custom
/// columns `street`, `city` and `postcode`.
pub const ADDRESS_CONFIG: &str = include_str!("address_dedupe.toml");

/// The named presets `--config NAME` accepts, with their text.
pub const PRESETS: &[(&str, &str)] = &[("default", DEFAULT_CONFIG), ("address", ADDRESS_CONFIG)];

/// The text of a named preset.
pub fn preset(name: &str) -> Option<&'static str> {
    PRESETS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The lead fields the matcher reads by name (`domain` also comes from the email).
pub(crate) const LEAD_FIELDS: &[&str] = &[
    "lead_id",
    "email",
    "first_name",
    "last_name",
    "title",
    "company",
    "domain",
    "account_id",
    "industry",
    "employees",
    "annual_revenue",
    "country",
    "phone",
    "source",
    "campaign",
    "use_case",
    "created_at",
];

/// How a configuration fits the columns of the data it is run on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnFit {
    /// Compared fields that are built-in lead fields absent from the data.
    pub absent_fields: Vec<String>,
    /// Blocking keys (parts joined with '+') that need an absent field: they find no pairs.
    pub dead_blocking_keys: Vec<String>,
    /// Blocking keys every part of which has a column.
    pub live_blocking_keys: usize,
}

/// A configuration that names a column the data does not have.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: field '{field}' is not a column of the data{hint}; the data has: {columns}")]
pub struct UnknownColumn {
    pub file: String,
    pub line: usize,
    pub field: String,
    /// "; did you mean 'x'?" or empty.
    pub hint: String,
    /// The columns that exist, comma-separated.
    pub columns: String,
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}: {message}")]
    Toml { file: String, message: String },
    #[error("{file}: blocking key part '{part}' names field '{field}', which is not among [[fields]]")]
    UnknownBlockingField { file: String, part: String, field: String },
    #[error(
        "{file}: blocking key part '{part}': unknown transform (use value, initial, phonetic, nysiis, prefixN, canonical, first_token, last_token, or a+b:phonetic_set)"
    )]
    UnknownTransform { file: String, part: String },
    #[error("{file}: field '{field}': min_similarity must be in [0, 1)")]
    BadSimilarity { file: String, field: String },
    #[error("{file}: at least one [[fields]] and one [[blocking]] key are needed")]
    Empty { file: String },
    #[error("{file}: em.match_probability must be strictly between 0 and 1, not {value}")]
    BadProbability { file: String, value: f64 },
    #[error("{file}: weights = \"em\" compares at most {max} fields; this configuration has {fields}")]
    TooManyFields { file: String, fields: usize, max: usize },
    #[error("{file}: em.max_iterations must be at least 1")]
    NoIterations { file: String },
    #[error("{file}: blocking key {key}: window must be between 2 and {max}, not {window}", max = MAX_WINDOW)]
    BadWindow { file: String, key: String, window: usize },
    #[error("{file}: at most {max} [[blocking]] keys, not {passes}", max = MAX_PASSES)]
    TooManyPasses { file: String, passes: usize },
}

/// The most blocking passes (the pass number is kept in one byte).
pub const MAX_PASSES: usize = 255;

/// A transform of a blocking key part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transform {
    Value,
    Initial,
    Phonetic,
    /// The NYSIIS code of the last word ([`crate::text::nysiis`]).
    Nysiis,
    Prefix(usize),
    Canonical,
    FirstToken,
    LastToken,
    /// `a+b:phonetic_set`: the sorted phonetic codes of the words of fields `a` and `b`
    /// (the index here is `b`'s), so swapped first and last names share a key.
    PhoneticSet(usize),
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
        let mut cfg: DedupeConfig = toml::from_str(text).map_err(|e| ConfigError::Toml { file: file.into(), message: e.to_string() })?;
        cfg.source = file.to_string();
        cfg.field_lines = field_lines(text);
        if cfg.fields.is_empty() || cfg.blocking.is_empty() {
            return Err(ConfigError::Empty { file: file.into() });
        }
        for f in &cfg.fields {
            if !(0.0..1.0).contains(&f.min_similarity) {
                return Err(ConfigError::BadSimilarity { file: file.into(), field: f.field.clone() });
            }
        }
        if !(cfg.em.match_probability > 0.0 && cfg.em.match_probability < 1.0) {
            return Err(ConfigError::BadProbability { file: file.into(), value: cfg.em.match_probability });
        }
        if cfg.em.max_iterations == 0 {
            return Err(ConfigError::NoIterations { file: file.into() });
        }
        cfg.check_weights()?;
        if cfg.blocking.len() > MAX_PASSES {
            return Err(ConfigError::TooManyPasses { file: file.into(), passes: cfg.blocking.len() });
        }
        if let Some(k) = cfg.blocking.iter().find(|k| k.window.is_some_and(|w| !(2..=MAX_WINDOW).contains(&w))) {
            return Err(ConfigError::BadWindow { file: file.into(), key: k.key.join("+"), window: k.window.unwrap_or(0) });
        }
        cfg.blocking_plan().map_err(|(part, field)| match field {
            Some(field) => ConfigError::UnknownBlockingField { file: file.into(), part, field },
            None => ConfigError::UnknownTransform { file: file.into(), part },
        })?;
        Ok(cfg)
    }

    /// Checks that the configuration's weights can be used (a pattern of learned weights
    /// holds at most [`crate::em::MAX_FIELDS`] fields). Call again after changing `weights`.
    pub fn check_weights(&self) -> Result<(), ConfigError> {
        if self.weights == Weights::Em && self.fields.len() > crate::em::MAX_FIELDS {
            return Err(ConfigError::TooManyFields { file: self.source.clone(), fields: self.fields.len(), max: crate::em::MAX_FIELDS });
        }
        Ok(())
    }

    /// Checks the configuration against the columns of the data (`columns`: lead fields with
    /// a value and custom columns). A field that is neither a built-in lead field nor a
    /// column is an error (a misspelt name would otherwise compare nothing); a built-in field
    /// the data lacks is reported in the fit, with the blocking keys it disables.
    pub fn fit_columns(&self, columns: &[String]) -> Result<ColumnFit, UnknownColumn> {
        let has = |name: &str| columns.iter().any(|c| c == name) || (name == "domain" && columns.iter().any(|c| c == "email"));
        let mut fit = ColumnFit::default();
        for (i, f) in self.fields.iter().enumerate() {
            if has(&f.field) {
                continue;
            }
            if LEAD_FIELDS.contains(&f.field.as_str()) {
                fit.absent_fields.push(f.field.clone());
                continue;
            }
            let candidates = columns.iter().map(String::as_str).chain(LEAD_FIELDS.iter().copied());
            let hint = leadrank_core::model::language::did_you_mean(&f.field, candidates)
                .map(|c| format!("; did you mean '{c}'?"))
                .unwrap_or_default();
            return Err(UnknownColumn {
                file: self.source.clone(),
                line: self.field_lines.get(i).copied().unwrap_or(0),
                field: f.field.clone(),
                hint,
                columns: columns.join(", "),
            });
        }
        for k in &self.blocking {
            let dead = k.key.iter().any(|part| part.split_once(':').map_or(part.as_str(), |(f, _)| f).split('+').any(|f| !has(f)));
            if dead {
                fit.dead_blocking_keys.push(k.key.join("+"));
            } else {
                fit.live_blocking_keys += 1;
            }
        }
        Ok(fit)
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
                        let index = |name: &str| {
                            self.fields.iter().position(|f| f.field == name).ok_or_else(|| (part.clone(), Some(name.to_string())))
                        };
                        if tr == "phonetic_set" {
                            let Some((a, b)) = field.split_once('+') else { return Err((part.clone(), None)) };
                            return Ok((index(a)?, Transform::PhoneticSet(index(b)?)));
                        }
                        let idx = index(field)?;
                        let t = match tr {
                            "value" => Transform::Value,
                            "initial" => Transform::Initial,
                            "phonetic" => Transform::Phonetic,
                            "nysiis" => Transform::Nysiis,
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

/// The line of each `[[fields]]` entry's `field` key, in order (0 when not found).
fn field_lines(text: &str) -> Vec<usize> {
    #[derive(Deserialize)]
    struct Spans {
        #[serde(default)]
        fields: Vec<SpannedField>,
    }
    #[derive(Deserialize)]
    struct SpannedField {
        field: toml::Spanned<String>,
    }
    match toml::from_str::<Spans>(text) {
        Ok(s) => s.fields.iter().map(|f| leadrank_core::model::line_col(text, f.field.span().start).0).collect(),
        Err(_) => Vec::new(),
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
    fn a_field_not_in_the_data_is_an_error_with_its_line_and_the_columns() {
        let text = format!("{DEFAULT_CONFIG}\n[[fields]]\nfield = \"date_of_brith\"\ncomparator = \"exact\"\nagree = 1.0\n");
        let c = DedupeConfig::from_toml(&text, "c.toml").unwrap();
        let columns: Vec<String> = ["lead_id", "email", "first_name", "last_name", "date_of_birth"].map(String::from).to_vec();
        let e = c.fit_columns(&columns).unwrap_err();
        let line = text.lines().position(|l| l.contains("date_of_brith")).unwrap() + 1;
        assert_eq!((e.file.as_str(), e.line), ("c.toml", line));
        let msg = e.to_string();
        assert!(msg.contains("did you mean 'date_of_birth'?") && msg.contains("the data has: lead_id, email"), "{msg}");
    }

    #[test]
    fn absent_lead_fields_disable_blocking_keys() {
        let c = DedupeConfig::default_config();
        let columns: Vec<String> = ["lead_id", "first_name", "last_name", "street"].map(String::from).to_vec();
        let fit = c.fit_columns(&columns).unwrap();
        assert!(fit.absent_fields.contains(&"email".to_string()) && fit.absent_fields.contains(&"country".to_string()));
        assert_eq!(fit.live_blocking_keys, 0);
        assert_eq!(fit.dead_blocking_keys.len(), c.blocking.len());
        let with_email: Vec<String> = ["lead_id", "email"].map(String::from).to_vec();
        let fit = c.fit_columns(&with_email).unwrap();
        assert!(!fit.absent_fields.contains(&"domain".to_string()), "the domain comes from the email");
        assert!(fit.live_blocking_keys >= 1);
    }

    #[test]
    fn presets_parse() {
        for (name, text) in PRESETS {
            DedupeConfig::from_toml(text, name).unwrap();
        }
        assert!(preset("address").unwrap().contains("postcode"));
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
        let e = DedupeConfig::from_toml(
            "threshold = 1\n[[fields]]\nfield = \"x\"\ncomparator = \"text\"\nagree = 1\n[[blocking]]\nkey = [\"x\"]\nwindow = 1\n",
            "c.toml",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(e, "c.toml: blocking key x: window must be between 2 and 1000, not 1");
        let ok = DedupeConfig::from_toml(
            "threshold = 1\n[[fields]]\nfield = \"x\"\ncomparator = \"text\"\nagree = 1\n[[blocking]]\nkey = [\"x:nysiis\"]\nwindow = 5\n",
            "c.toml",
        )
        .unwrap();
        assert_eq!(ok.blocking[0].window, Some(5));
    }
}
