//! File adapters for leadrank.
//!
//! * [`read`]: CSV and JSON Lines readers. A bad row is never dropped silently: it becomes a
//!   [`RowError`] naming the file, line, column and reason, and the good rows go on.
//! * [`upload`]: a CSV file in memory (an upload to the service) read the same way.
//! * [`write`]: score writers (JSON Lines, CSV, a ranked table for terminals).

mod csv_blocks;
mod csv_input;
mod events_csv;
pub mod hygiene;
pub mod inspect;
pub mod read;
pub mod read_outcomes;
mod report;
mod row;
pub mod upload;
pub mod write;

pub use read::{InputFormat, LoadReport, ReadError, RowError};
pub use write::OutputFormat;
