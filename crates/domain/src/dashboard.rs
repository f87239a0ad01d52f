//! What the desktop's first screen shows: the latest resume and its score, the job pipeline,
//! what is coming up and how the scores moved.

use crate::job::{Interview, JobStats, Reminder};
use crate::matching::MatchRecord;
use crate::version::ResumeVersion;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One point of the score trend: a stored version's ATS score when it was imported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScorePoint {
    pub at: DateTime<Utc>,
    pub score: u32,
    /// "resume name v3".
    pub label: String,
}

/// An interview with the job it belongs to, for lists outside the job's own page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UpcomingInterview {
    pub interview: Interview,
    /// "Title — Company".
    pub job_label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Dashboard {
    /// The most recently imported version, if any.
    pub latest: Option<ResumeVersion>,
    /// Its family's name.
    pub latest_name: Option<String>,
    /// ATS scores of the stored versions, oldest first (at most 30).
    pub score_trend: Vec<ScorePoint>,
    pub jobs: JobStats,
    /// Interviews from now on, soonest first (at most 5).
    pub upcoming_interviews: Vec<UpcomingInterview>,
    /// Reminders due within the next 7 days (or overdue), soonest first (at most 8).
    pub due_reminders: Vec<Reminder>,
    /// How many are due in all (the list above is cut at 8).
    pub due_reminders_total: u32,
    /// The newest matches (at most 5).
    pub recent_matches: Vec<MatchRecord>,
}
