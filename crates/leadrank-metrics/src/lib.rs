//! Lead-quality measurement and calibration, with no I/O.
//!
//! Everything here takes plain slices and structs and returns plain results, so the CLI, the
//! service and the dashboard share one implementation:
//!
//! * [`classify`]: ROC AUC, lift and conversion by decile, precision and recall at a
//!   threshold, Brier score and reliability tables.
//! * [`stats`]: medians and means.
//! * [`logistic`]: L2-regularised logistic regression (Newton's method with an exact or
//!   subsampled Hessian, parallel and deterministic), and k-fold / holdout splits.
//! * [`gbm`]: gradient-boosted trees (forust-ml) on the same matrix, as a challenger to the
//!   logistic fit, with early stopping and a small choice of depth on the training rows.
//! * [`ebm`]: explainable boosting (cyclic boosting of one shape function per feature on
//!   binned features), the additive model `learn` turns into points bands.
//! * [`html`]: the report as one self-contained HTML page (inline CSS and SVG charts).
//! * [`report`]: the funnel and revenue metrics, published benchmarks and
//!   the symptoms of poor lead quality.
//! * [`table`]: learning a readable points model (one rule per category or numeric band)
//!   plus a calibrated probability from any labelled table.
//! * [`proposal`]: integer points per rule from a fitted model, keeping the threshold's
//!   meaning, and the edit of a model file's TOML text that keeps its comments.

pub mod classify;
pub mod ebm;
pub mod fmt;
pub mod gbm;
pub mod html;
pub mod logistic;
pub mod proposal;
pub mod report;
pub mod stats;
pub mod table;
