//! Events the core's work sends to the UI: the names and payloads of the design's WebSocket
//! events (section 7.3) where they apply, as Tauri events.

use serde::Serialize;
use tauri::{AppHandle, Emitter};
use ts_rs::TS;

pub const RESUME_UPLOAD_PROGRESS: &str = "resume-upload-progress";
pub const RESUME_UPLOAD_COMPLETED: &str = "resume-upload-completed";
pub const AI_ANALYSIS_PROGRESS: &str = "ai-analysis-progress";
pub const AI_ANALYSIS_COMPLETED: &str = "ai-analysis-completed";
pub const RESUME_ERROR: &str = "resume-error";
pub const JD_ANALYSIS_PROGRESS: &str = "jd-analysis-progress";
pub const JD_ANALYSIS_COMPLETED: &str = "jd-analysis-completed";
pub const JOB_TRACKER_ENTRY_CREATED: &str = "job-tracker-entry-created";
pub const JOB_TRACKER_ENTRY_UPDATED: &str = "job-tracker-entry-updated";
pub const JOB_TRACKER_ENTRY_DELETED: &str = "job-tracker-entry-deleted";
pub const MODEL_STATUS: &str = "model-status";
/// The sync status after every attempt (payload: SyncStatus).
pub const SYNC_STATUS: &str = "sync-status";
/// A sync finished (payload: SyncReport); screens reload what it changed.
pub const SYNC_COMPLETED: &str = "sync-completed";

/// The stages of an upload, in order.
#[derive(Clone, Copy, Debug, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UploadStage {
    Reading,
    Extracting,
    Analysing,
    Saving,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadProgress {
    pub file_id: String,
    /// 0–100.
    pub progress: u8,
    pub stage: UploadStage,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadCompleted {
    pub file_id: String,
    pub resume_id: String,
    pub version_id: String,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResumeErrorEvent {
    pub file_id: String,
    pub error: qoder_domain::ErrorBody,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JdProgress {
    pub resume_id: String,
    /// "parsing", "embedding", "scoring".
    pub stage: String,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobEvent {
    pub job_id: String,
}

/// Sends an event to every window; a failure (no window yet) is only logged.
pub fn emit<P: Serialize + Clone>(app: &AppHandle, name: &str, payload: P) {
    if let Err(e) = app.emit(name, payload) {
        tracing::debug!(event = name, error = %e, "event not delivered");
    }
}
