//! Types only the desktop UI needs (the shared ones live in qoder-domain). Each derives
//! `ts_rs::TS`; `tests/bindings.rs` writes them to ui/src/bindings and fails on a diff.

use chrono::{DateTime, Utc};
use qoder_domain::job::{JobStatus, Rate, WorkMode};
use qoder_domain::matching::{MatchRecord, MatchReport};
use qoder_domain::version::ImportOutcome;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Debug, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub log_dir: String,
    pub model: ModelStatus,
}

/// Whether semantic matching is available.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ModelStatus {
    /// Installed; loads on the first match (it takes ~200 MB of memory once loaded).
    NotLoaded,
    Ready {
        model_id: String,
    },
    /// Matching runs keyword-only; `reason` says why and what to do.
    Unavailable {
        reason: String,
    },
}

/// The end of an upload.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ImportResult {
    Done { outcome: Box<ImportOutcome> },
    Cancelled,
}

/// A resume file the UI read itself (file picker, HTML drop).
#[derive(Clone, Debug, Deserialize, TS)]
pub struct UploadBytes {
    pub upload_id: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// Add as a new version of this resume; otherwise by file name or a new resume.
    pub family_id: Option<String>,
}

/// A resume file by path (native drag and drop, dialog).
#[derive(Clone, Debug, Deserialize, TS)]
pub struct UploadPath {
    pub upload_id: String,
    pub path: String,
    pub family_id: Option<String>,
}

#[derive(Clone, Debug, Serialize, TS)]
pub struct MatchOutcome {
    pub report: MatchReport,
    /// Earlier matches of the same resume and JD, oldest first (this one last).
    pub history: Vec<MatchRecord>,
    /// The embedding model's id when the match was semantic.
    pub model_id: Option<String>,
    /// Why the match is keyword-only, when it is.
    pub notice: Option<String>,
}

/// The job form: every field, as the form holds them (a full replacement on update).
#[derive(Clone, Debug, Default, Deserialize, TS)]
pub struct JobForm {
    pub title: String,
    pub company: String,
    pub vendor_name: String,
    pub vendor_contact: String,
    pub rate: Option<Rate>,
    pub location: String,
    pub work_mode: Option<WorkMode>,
    pub source_url: String,
    pub description: String,
    pub notes: String,
    pub status: Option<JobStatus>,
    pub resume_version_id: Option<String>,
    pub applied_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Serialize, TS)]
pub struct Settings {
    pub retention_count: u32,
    pub follow_up_days: u32,
    pub data_dir: String,
    pub log_dir: String,
}

/// What a file export or import did.
#[derive(Clone, Debug, Serialize, TS)]
pub struct FileReport {
    pub path: String,
    pub message: String,
}

#[derive(Clone, Debug, Serialize, TS)]
pub struct SearchResult {
    pub kind: String,
    pub id: String,
    pub title: String,
    pub snippet: String,
}

/// A configured AI provider as the settings screen shows it (never the key itself).
#[derive(Clone, Debug, Serialize, TS)]
pub struct AiProvider {
    pub name: String,
    pub kind: String,
    pub base_url: String,
    /// A key is stored in the system keychain (or QODER_LLM_API_KEY is set).
    pub has_key: bool,
}

#[derive(Clone, Debug, Serialize, TS)]
pub struct AiStatus {
    pub providers: Vec<AiProvider>,
    pub generations_today: u32,
    pub generations_limit: u32,
    pub points_per_request: u32,
}

/// AI bullet points for a match, or why there are none; the rule-based suggestions always.
#[derive(Clone, Debug, Serialize, TS)]
pub struct AiPointsOutcome {
    pub ai: Option<qoder_domain::suggest::GeneratedPoints>,
    /// Set when no provider is configured or the call failed: what happened and what to do.
    pub notice: Option<String>,
    pub error: Option<qoder_domain::ErrorBody>,
    pub rule_based: Vec<qoder_domain::matching::Suggestion>,
}

/// Sign in to a sync server (the password is used once and not stored).
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncLogin {
    pub server: String,
    pub email: String,
    pub password: String,
    /// Create the account (the first device).
    pub create: bool,
}

/// Change the sync account's password (both are used once and not stored).
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncPasswordChange {
    pub old_password: String,
    pub new_password: String,
}
