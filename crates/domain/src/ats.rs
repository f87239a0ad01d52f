//! The ATS readiness report: a 0–100 score made of named checks. Every point is traceable:
//! `score` is the sum of `points` over `checks`, and the weights sum to 100.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    Warn,
    Fail,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AtsCheck {
    /// A stable identifier, e.g. `contact_complete`.
    pub id: String,
    /// A short title for people.
    pub title: String,
    /// The most points this check can give.
    pub weight: u32,
    /// The points given, `0..=weight`.
    pub points: u32,
    pub status: CheckStatus,
    /// What was found, in one sentence.
    pub detail: String,
    /// The text or section the check is about.
    pub evidence: Vec<String>,
    /// What to change to earn the missing points; `None` when nothing is missing.
    pub fix: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AtsReport {
    /// 0–100, the sum of the checks' points.
    pub score: u32,
    pub checks: Vec<AtsCheck>,
    /// The analysis engine's version, so a stored report says what made it.
    pub engine: String,
}

impl AtsReport {
    pub fn from_checks(checks: Vec<AtsCheck>, engine: impl Into<String>) -> Self {
        let score = checks.iter().map(|c| c.points.min(c.weight)).sum();
        Self { score, checks, engine: engine.into() }
    }
}
