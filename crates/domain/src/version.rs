//! Stored resumes: families of versions, their tags and notes, the comparison of two versions
//! and what a retention cleanup removed.

use crate::ids::{JobId, ResumeId, VersionId};
use crate::resume::{FileFormat, SectionKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A resume "family": every version of one resume.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResumeFamily {
    pub id: ResumeId,
    pub name: String,
    pub versions: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One stored version: the original file (by hash) and what the analysis read from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResumeVersion {
    pub id: VersionId,
    pub resume_id: ResumeId,
    /// 1, 2, 3… within the family.
    pub seq: u32,
    pub file_name: Option<String>,
    pub format: Option<FileFormat>,
    /// SHA-256 of the original bytes (hex); the file is stored under this name.
    pub sha256: String,
    pub size: u64,
    pub ats_score: u32,
    pub tags: Vec<String>,
    /// Free-form notes (Markdown).
    pub notes: String,
    /// Pinned versions are never removed by retention.
    pub pinned: bool,
    /// Jobs that name this version as the one sent; such versions are never removed.
    pub job_ids: Vec<JobId>,
    pub created_at: DateTime<Utc>,
}

/// The stages of a resume import, in order, reported as each begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ImportStage {
    Reading,
    Extracting,
    Analysing,
    Saving,
}

/// The result of importing a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportOutcome {
    pub version: ResumeVersion,
    /// The same bytes were already stored: nothing new was written.
    pub duplicate: bool,
    /// Versions the retention policy removed to make room.
    pub removed: Vec<RemovedVersion>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RemovedVersion {
    pub id: VersionId,
    pub resume_id: ResumeId,
    pub seq: u32,
    pub file_name: Option<String>,
    pub sha256: String,
}

/// What a cleanup did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CleanupReport {
    pub retention_count: u32,
    pub removed: Vec<RemovedVersion>,
    /// Versions beyond the limit kept because they are pinned.
    pub kept_pinned: Vec<VersionId>,
    /// Versions beyond the limit kept because a job application references them.
    pub kept_referenced: Vec<VersionId>,
    /// Stored files no version pointed to any more (left by an interrupted delete).
    pub orphan_files_removed: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SectionChange {
    Added,
    Removed,
    Changed,
    Unchanged,
}

/// One line (bullet) edited between two versions, with the words that differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LineChange {
    pub from: String,
    pub to: String,
    pub words_removed: Vec<String>,
    pub words_added: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SectionDiff {
    pub kind: SectionKind,
    pub heading: String,
    pub change: SectionChange,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<LineChange>,
}

/// The comparison of two versions: section by section, then the score deltas.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VersionDiff {
    pub from: VersionId,
    pub to: VersionId,
    pub sections: Vec<SectionDiff>,
    pub ats_score_from: u32,
    pub ats_score_to: u32,
    pub ats_delta: i32,
    /// Best stored match score of each version against the same job, when both have one.
    pub match_score_delta: Option<f64>,
}

/// A stored version with what the analysis read from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VersionDetail {
    pub version: ResumeVersion,
    pub family_name: String,
    /// The extracted text.
    pub text: String,
    pub resume: crate::resume::ParsedResume,
    pub ats: crate::ats::AtsReport,
}
