//! The model file: one company's exact, versioned definition of a quality lead.
//!
//! A model is written in TOML ([`format`]), checked and compiled into a [`CompiledModel`]
//! ([`compile`]) that the engine evaluates. The language itself (every section, key, type,
//! default and its documentation) is one table, [`language`], from which the JSON Schema, the
//! reference documentation and the unknown-key errors derive. Compilation rejects anything
//! that could make a rule silently never fire: unknown keys, fields, lists, facts, event
//! options or operators that do not fit the field's type. Errors name the file, line, column
//! and key.

pub mod builtin;
pub mod compile;
pub mod format;
pub mod language;
pub mod phrases;

use std::fmt;

pub use compile::{Band, Cell, CompiledModel, Dimension, Rule, Signal};
pub use format::{CHECKLISTS, DEFAULT_DISQUALIFYING_REASONS, DEFAULT_REJECTION_REASONS, LifecycleSpec};

/// One problem in a model (or routing) file, located by line and column (1-based) and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelIssue {
    pub line: usize,
    pub column: usize,
    /// The dotted key or rule the problem is about, e.g. `rules[3] (demo_request).when.event`.
    pub key: String,
    pub message: String,
}

/// Everything wrong with a model (or routing) file (at least one issue).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ModelError {
    /// Where the model came from: a file path or `<built-in default>`.
    pub origin: String,
    pub issues: Vec<ModelIssue>,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, issue) in self.issues.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{}:{}: ", self.origin, issue.line, issue.column)?;
            if !issue.key.is_empty() {
                write!(f, "{}: ", issue.key)?;
            }
            write!(f, "{}", issue.message)?;
        }
        Ok(())
    }
}

/// Line and column (1-based, in characters) of a byte offset in `source`.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The JSON Schema of the model file format, for editors (see [`language::json_schema`]).
pub fn json_schema() -> serde_json::Value {
    language::json_schema()
}

/// The reference documentation of the model language, in Markdown (see
/// [`language::reference_markdown`]).
pub fn reference_markdown() -> String {
    language::reference_markdown()
}
