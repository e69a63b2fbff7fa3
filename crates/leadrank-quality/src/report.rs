//! The typed result of a calibration run, its JSON and the model file it proposes.
//!
//! The JSON keys are the field names (or their `serde` renames) and are part of the command
//! line's interface: scripts read them.

use leadrank_core::CompiledModel;
use leadrank_metrics::classify::{Confusion, DecileRow, ReliabilityBin};
use leadrank_metrics::gbm::GbmCandidate;
use leadrank_metrics::proposal::{self, EditError, NewRule, Proposal, Refinement};
use serde::{Serialize, Serializer};

use crate::cutoffs::CutOffs;

/// What calibration learns to predict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// A won opportunity names the lead, or only its account.
    Won,
    /// Sales accepted the lead (reached sal or later) rather than rejected it; leads sales
    /// never reviewed are left out.
    Accepted,
}

impl Target {
    /// "won" or "accepted", as in the report's text.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Won => "won",
            Target::Accepted => "accepted",
        }
    }
}

/// How the labelled leads are split into training and held-out rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Split {
    /// This share of the rows held out at random (seeded).
    Random { holdout: f64 },
    /// The latest 30% by `created_at` held out.
    ByTime,
}

impl Split {
    /// The description in the report.
    pub fn label(self) -> &'static str {
        match self {
            Split::Random { .. } => "random",
            Split::ByTime => "by time (latest 30% held out)",
        }
    }
}

impl Serialize for Split {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

/// Which points `--write-model` wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WrittenPoints {
    Proposed,
    Current,
}

/// Ranking figures of one set of scores on the held-out rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldOut {
    pub auc: Option<f64>,
    /// Ten rows, best-scored tenth first.
    pub deciles: Vec<DecileRow>,
}

/// The current points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurrentFigures {
    /// ROC AUC of the totals on every labelled lead.
    pub auc_all: Option<f64>,
    pub held_out: HeldOut,
    /// Flagging held-out leads at the model's quality threshold.
    pub threshold: Confusion,
    /// Of the totals calibrated to probabilities by a one-variable fit on the training rows.
    pub brier: Option<f64>,
    pub reliability: Vec<ReliabilityBin>,
}

/// The regularised logistic fit on all features.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogisticFigures {
    /// The L2 penalty chosen by cross-validation.
    pub l2: f64,
    /// Each penalty tried with its mean cross-validated AUC (`None`: no fold could be ranked).
    pub cv_auc: Vec<(f64, Option<f64>)>,
    /// Newton iterations of the final fit.
    pub iterations: usize,
    pub held_out: HeldOut,
    pub brier: Option<f64>,
    pub reliability: Vec<ReliabilityBin>,
    /// Feature name and log-odds coefficient, in feature order.
    pub coefficients: Vec<(String, f64)>,
}

/// Gradient-boosted trees on the same rows, as a challenger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GbmFigures {
    pub depth: usize,
    pub learning_rate: f64,
    /// Trees of the final fit.
    pub rounds: usize,
    pub candidates: Vec<GbmCandidate>,
    pub held_out: HeldOut,
    pub brier: Option<f64>,
    pub reliability: Vec<ReliabilityBin>,
    /// The ten features with the largest share of the total split gain, largest first.
    pub importance: Vec<(String, f64)>,
}

/// The cross-validation that decides whether the proposal is recommended.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposalCv {
    /// Folds where both point sets could be ranked.
    pub folds: usize,
    /// AUC per fold of the current and of the proposed points.
    pub current: Vec<f64>,
    pub proposed: Vec<f64>,
    pub current_mean: Option<f64>,
    pub proposed_mean: Option<f64>,
    /// The gain of the means the proposal needs.
    pub min_gain: f64,
}

/// One lead with its totals, to check a written model against `leadrank score`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleLead {
    pub lead_id: String,
    /// The lead's cut-off.
    pub as_of: jiff::Timestamp,
    pub current: i32,
    pub proposed: i32,
    /// The total under the points `--write-model` writes.
    pub written: i32,
}

/// The proposed points and the evidence for them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposedFigures {
    pub held_out: HeldOut,
    pub threshold: Confusion,
    /// One entry per feature of the points fit: the model's rules, then candidate new rules.
    pub proposal: Proposal,
    pub refinement: Refinement,
    /// The points fit's features, rules first.
    pub features: Vec<String>,
    pub points_fit_coefficients: Vec<f64>,
    pub cv: ProposalCv,
    pub recommend: bool,
    /// The recommendation in one sentence.
    pub verdict: String,
    /// Features other than the rules worth 5 points or more, with their log-odds.
    pub new_signals: Vec<(String, f64)>,
    /// The new rules the proposal adds (written only when recommended).
    pub new_rules: Vec<NewRule>,
    /// Strong signals not proposed as a rule, and why.
    pub not_proposed: Vec<(String, String)>,
    /// The first (up to) 20 labelled leads.
    pub sample: Vec<SampleLead>,
}

/// Set when no lead can reach the quality threshold with the proposed points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdCheck {
    /// The highest total any lead can reach with the proposed points (caps applied).
    pub highest_possible: i32,
    /// The threshold that keeps today's share of quality leads on the training rows, when
    /// some lead qualifies today.
    pub suggested_threshold: Option<i32>,
}

/// Everything `leadrank calibrate` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationReport {
    /// Labelled leads (rows).
    pub leads: usize,
    /// Leads with a positive label (won, or accepted).
    #[serde(rename = "won")]
    pub positives: usize,
    pub target: Target,
    /// Training rows.
    #[serde(rename = "train")]
    pub train_rows: usize,
    /// Held-out rows.
    #[serde(rename = "test")]
    pub test_rows: usize,
    pub split: Split,
    pub cut_off: CutOffs,
    /// Leads left out because their deals are all still open (outcome not known yet).
    pub censored_open: usize,
    /// Present when the proposed points cannot reach the quality threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_check: Option<ThresholdCheck>,
    pub current: CurrentFigures,
    pub logistic: LogisticFigures,
    pub proposed: ProposedFigures,
    pub warnings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gbm: Option<GbmFigures>,
    /// Set by the caller once it has written a model file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<WrittenPoints>,
}

impl CalibrationReport {
    /// The report as pretty JSON, keys in alphabetical order at every level (the order
    /// `calibrate --json` has always printed).
    pub fn to_json_pretty(&self) -> serde_json::Result<String> {
        // Through a `Value`, whose maps are sorted, rather than in field order.
        serde_json::to_string_pretty(&serde_json::to_value(self)?)
    }

    /// The points a model file written from this report carries.
    pub fn points_to_write(&self) -> WrittenPoints {
        if self.proposed.recommend { WrittenPoints::Proposed } else { WrittenPoints::Current }
    }

    /// The model file to write for `model`, whose TOML text is `source`: with the proposed
    /// points, version `VERSION-calibrated` and the new rules appended when the proposal is
    /// recommended; otherwise `source` unchanged. Comments and layout of `source` survive.
    pub fn model_text(&self, model: &CompiledModel, source: &str) -> Result<String, EditError> {
        if !self.proposed.recommend {
            return Ok(source.to_string());
        }
        let rules = model.rules.len().min(self.proposed.proposal.rules.len());
        let points: Vec<(String, Option<i32>)> = self.proposed.proposal.rules[..rules].iter().map(|r| (r.id.clone(), r.proposed)).collect();
        let version = format!("{}-calibrated", model.version);
        let mut text = proposal::edit_model(source, &points, Some(&version))?;
        if !self.proposed.new_rules.is_empty() {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&proposal::rules_toml(&self.proposed.new_rules));
        }
        Ok(text)
    }
}
