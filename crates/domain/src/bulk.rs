//! Bulk screening: many resumes ranked against one job description, for recruiters.
//!
//! A batch is a folder, a zip or a list of files screened against one JD. Each file found is a
//! [`BulkCandidate`]; files with the same bytes are parsed once (the later ones are
//! `duplicate`s of the first), and candidates that share an email or phone are marked as the
//! same person. Knock-out criteria only flag: they never change a score or hide a candidate.

use crate::ErrorBody;
use crate::matching::{FitBand, ScoreComponent};
use serde::{Deserialize, Serialize};

/// Where a batch's files come from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BulkSource {
    /// Every PDF, DOCX and TXT file under a folder (recursively).
    Folder { path: String },
    /// Every PDF, DOCX and TXT entry of a zip archive.
    Zip { path: String },
    /// These files.
    Files { paths: Vec<String> },
}

crate::named_enum! {
    /// Where a batch is in its life.
    pub enum BatchState {
        /// Started and not finished: interrupted by a crash or a kill when no run is going on;
        /// a new run of the batch picks up the files not done.
        Running = "running",
        /// Stopped by the user; a new run of the batch picks up where it stopped.
        Cancelled = "cancelled",
        /// Every file was read (or failed) and the candidates are ranked.
        Done = "done",
    }
}

crate::named_enum! {
    /// Where one file is in the pipeline.
    pub enum FileStatus {
        Queued = "queued",
        /// Parsed; the parsed resume is stored, so a later run does not parse it again.
        Done = "done",
        /// Could not be read: `error` says why (a specific code and what to do).
        Failed = "failed",
        /// The same bytes as another file of the batch (`duplicate_of`); not parsed again.
        Duplicate = "duplicate",
    }
}

crate::named_enum! {
    /// The recruiter's decision on a candidate.
    pub enum RecruiterStatus {
        New = "new",
        Shortlisted = "shortlisted",
        Rejected = "rejected",
        Contacted = "contacted",
    }
}

crate::named_enum! {
    /// The formats a ranked list is exported in.
    pub enum BulkExportFormat {
        /// Comma-separated values (UTF-8), one row per candidate.
        Csv = "csv",
        /// An Excel workbook.
        Xlsx = "xlsx",
    }
}

/// The recruiter's knock-out criteria for a batch. They flag candidates; they never reject.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Criteria {
    /// Skills a candidate must show ("Kubernetes"); read with the skills taxonomy (aliases and
    /// narrower skills count), else as words in the text.
    #[serde(default)]
    pub must_have: Vec<String>,
    /// Least years of dated experience.
    #[serde(default)]
    pub min_years: Option<f32>,
    /// Certificates or licences that must be stated ("PMP", "CPA").
    #[serde(default)]
    pub certificates: Vec<String>,
    /// Other statements that must be in the resume ("authorized to work in the US").
    #[serde(default)]
    pub statements: Vec<String>,
}

impl Criteria {
    pub fn is_empty(&self) -> bool {
        self.must_have.is_empty()
            && self.min_years.is_none()
            && self.certificates.is_empty()
            && self.statements.is_empty()
    }
}

crate::named_enum! {
    /// Which kind of knock-out criterion.
    pub enum KnockoutKind {
        MustHaveSkill = "must_have_skill",
        MinYears = "min_years",
        Certificate = "certificate",
        Statement = "statement",
    }
}

crate::named_enum! {
    /// What the resume says about one criterion.
    pub enum KnockoutResult {
        Met = "met",
        NotMet = "not_met",
        /// The resume does not let us tell (no dated positions for years, no statement either
        /// way): shown as "insufficient data", never as a failure.
        InsufficientData = "insufficient_data",
    }
}

/// One criterion judged on one resume.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Knockout {
    pub kind: KnockoutKind,
    pub criterion: String,
    pub result: KnockoutResult,
    /// The line or figure it was judged on, when there is one.
    pub evidence: Option<String>,
}

/// A degree as screening shows it; the school and the year are hidden in the anonymised view.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DegreeSummary {
    pub degree: Option<String>,
    pub field: Option<String>,
    pub school: Option<String>,
    pub year: Option<i32>,
}

/// What screening shows of a parsed resume besides its contact details.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CandidateProfile {
    pub location: Option<String>,
    /// Most recent position title.
    pub title: Option<String>,
    /// Years of dated experience.
    pub years: Option<f32>,
    pub education: Vec<DegreeSummary>,
}

/// One file of a batch, with its parse result, score and the recruiter's notes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BulkCandidate {
    /// Unique within the database; `qoder bulk status BATCH CANDIDATE` takes it.
    pub id: i64,
    /// 1 = best; `None` for files not ranked (failed, duplicates, not read yet).
    pub rank: Option<u32>,
    /// The path as found (for a zip, `archive.zip!/inner/path.pdf`).
    pub file: String,
    pub sha256: String,
    pub size: u64,
    pub status: FileStatus,
    pub error: Option<ErrorBody>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(flatten)]
    pub profile: CandidateProfile,
    /// The job-fit score, 0–100, comparable across the batch's candidates.
    pub score: Option<u8>,
    pub band: Option<FitBand>,
    pub components: Vec<ScoreComponent>,
    /// The job's skills the resume shows, required ones first (as the score judged them).
    #[serde(default)]
    pub matched_skills: Vec<String>,
    /// The job's skills the resume lacks with no related skill either, required ones first.
    #[serde(default)]
    pub missing_skills: Vec<String>,
    /// The score used embeddings (the candidate was among the plausible ones re-scored).
    pub semantic: bool,
    pub knockouts: Vec<Knockout>,
    /// A knock-out criterion is not met (never a rejection on its own).
    pub flagged: bool,
    /// The candidate whose file has the same bytes (for a `duplicate`).
    pub duplicate_of: Option<i64>,
    /// Paths of the files with the same bytes as this one.
    pub duplicates: Vec<String>,
    /// An earlier candidate with the same email or phone (another file of the same person).
    pub same_person_as: Option<i64>,
    pub recruiter_status: RecruiterStatus,
    pub notes: String,
}

/// Counts of a batch's files by status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchCounts {
    pub total: u32,
    pub queued: u32,
    pub done: u32,
    pub failed: u32,
    pub duplicate: u32,
    pub flagged: u32,
    pub shortlisted: u32,
}

/// A screening batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BulkBatch {
    pub id: String,
    pub source: BulkSource,
    pub jd_sha256: String,
    pub jd_title: Option<String>,
    pub criteria: Criteria,
    pub state: BatchState,
    pub concurrency: u32,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
    pub counts: BatchCounts,
}

crate::named_enum! {
    /// The steps of a run, as they begin.
    pub enum BulkStage {
        /// Finding the files and hashing them (duplicates by content).
        Collecting = "collecting",
        /// Parsing each file in the isolated worker, several at a time.
        Parsing = "parsing",
        /// The keyword score for every candidate.
        Scoring = "scoring",
        /// Embeddings for the plausible candidates, re-scored semantically.
        Semantic = "semantic",
        /// Knock-outs, same person, ranks, saved.
        Ranking = "ranking",
    }
}

/// Progress of a run (the design's bulk events), per file and overall.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum BulkEvent {
    /// The batch exists; `to_parse` of its `total` files are still to read.
    Started {
        batch_id: String,
        total: u32,
        to_parse: u32,
        already_done: u32,
        resumed: bool,
    },
    Stage {
        stage: BulkStage,
    },
    /// One file was read (`ok`) or failed; `done` of `to_parse` so far.
    FileFinished {
        file: String,
        ok: bool,
        error: Option<ErrorBody>,
        done: u32,
        to_parse: u32,
    },
    /// The run stopped at the user's request; finished files are kept.
    Cancelled {
        done: u32,
        to_parse: u32,
    },
    Finished {
        batch_id: String,
    },
}

/// How long one step of a run took.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StageTiming {
    pub stage: BulkStage,
    pub millis: u64,
    /// Files or candidates the step worked on.
    pub items: u32,
}

/// A batch as it stands: the ranked candidates best first, and the files that are not
/// ranked (failed with their error, duplicates, still queued).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchView {
    pub batch: BulkBatch,
    pub candidates: Vec<BulkCandidate>,
    pub failed: Vec<BulkCandidate>,
    pub duplicates: Vec<BulkCandidate>,
    pub queued: Vec<BulkCandidate>,
}

/// What a run did, and the batch as it stands after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BulkOutcome {
    #[serde(flatten)]
    pub view: BatchView,
    /// This run continued an earlier run of the same batch.
    pub resumed: bool,
    /// Files parsed by this run.
    pub parsed_now: u32,
    /// Files parsed by an earlier run of the batch, not parsed again.
    pub already_done: u32,
    /// Files under the input that are not PDF, DOCX or TXT, left out.
    pub skipped: Vec<String>,
    pub cancelled: bool,
    pub stages: Vec<StageTiming>,
    /// Model used for the semantic stage, when there was one.
    pub model_id: Option<String>,
}
