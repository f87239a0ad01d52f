//! Events the core's work sends to the UI, as Tauri events: each name with its payload type,
//! declared once in [`EVENTS`]. `tests/bindings.rs` writes the table to ui/src/bindings/events.ts
//! (a map from event name to payload type) and fails when it drifts; the UI listens only
//! through that map, so a renamed event or payload no longer compiles there.

use serde::Serialize;
use tauri::{AppHandle, Emitter};
use ts_rs::TS;

/// Upload progress (payload: [`UploadProgress`]).
pub const RESUME_UPLOAD_PROGRESS: &str = "resume-upload-progress";
/// An upload was saved (payload: [`UploadCompleted`]).
pub const RESUME_UPLOAD_COMPLETED: &str = "resume-upload-completed";
/// Stages of a match (payload: [`JdProgress`]).
pub const JD_ANALYSIS_PROGRESS: &str = "jd-analysis-progress";
/// Which AI provider is asked, and failovers (payload: [`PointsProgress`]).
pub const JD_GENERATE_POINTS_PROGRESS: &str = "jd-generate-points-progress";
/// Streamed text of the AI's answer (payload: [`PointsDelta`]).
pub const JD_GENERATE_POINTS_DELTA: &str = "jd-generate-points-delta";
/// Which AI provider is asked for a resume's review, and failovers (payload: [`PointsProgress`]).
pub const AI_REVIEW_PROGRESS: &str = "ai-review-progress";
pub const JOB_TRACKER_ENTRY_CREATED: &str = "job-tracker-entry-created";
pub const JOB_TRACKER_ENTRY_UPDATED: &str = "job-tracker-entry-updated";
pub const JOB_TRACKER_ENTRY_DELETED: &str = "job-tracker-entry-deleted";
/// The embedding model loaded or failed (payload: ModelStatus).
pub const MODEL_STATUS: &str = "model-status";
/// The sync status after every attempt (payload: SyncStatus).
pub const SYNC_STATUS: &str = "sync-status";
/// A sync finished (payload: SyncReport); screens reload what it changed.
pub const SYNC_COMPLETED: &str = "sync-completed";

/// Progress of a screening run, per file and overall (payload: [`BulkProgress`]).
pub const BULK_PROGRESS: &str = "bulk-progress";

/// Reminders or interviews fell due and were notified (payload: [`NoticesDue`]).
pub const NOTICES_DUE: &str = "notices-due";

/// Every event the app emits, with the name of its payload's generated type.
pub const EVENTS: &[(&str, &str)] = &[
    (RESUME_UPLOAD_PROGRESS, "UploadProgress"),
    (RESUME_UPLOAD_COMPLETED, "UploadCompleted"),
    (JD_ANALYSIS_PROGRESS, "JdProgress"),
    (JD_GENERATE_POINTS_PROGRESS, "PointsProgress"),
    (JD_GENERATE_POINTS_DELTA, "PointsDelta"),
    (AI_REVIEW_PROGRESS, "PointsProgress"),
    (JOB_TRACKER_ENTRY_CREATED, "JobEvent"),
    (JOB_TRACKER_ENTRY_UPDATED, "JobEvent"),
    (JOB_TRACKER_ENTRY_DELETED, "JobEvent"),
    (MODEL_STATUS, "ModelStatus"),
    (SYNC_STATUS, "SyncStatus"),
    (SYNC_COMPLETED, "SyncReport"),
    (BULK_PROGRESS, "BulkProgress"),
    (NOTICES_DUE, "NoticesDue"),
];

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadProgress {
    pub file_id: String,
    /// 0–100.
    pub progress: u8,
    pub stage: qoder_domain::version::ImportStage,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadCompleted {
    pub file_id: String,
    pub resume_id: String,
    pub version_id: String,
}

/// The stages of a match, in order.
#[derive(Clone, Copy, Debug, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchStage {
    /// The embedding model loads (the first match only).
    LoadingModel,
    Embedding,
    Scoring,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JdProgress {
    pub resume_id: String,
    pub stage: MatchStage,
}

#[derive(Clone, Copy, Debug, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PointsStage {
    /// A provider is asked.
    Asking,
    /// It failed; the next one is asked.
    Failover,
}

#[derive(Clone, Debug, Serialize, TS)]
pub struct PointsProgress {
    pub stage: PointsStage,
    pub provider: String,
    /// The model asked (when asking).
    pub model: Option<String>,
    /// Why it failed (on failover).
    pub error: Option<String>,
}

#[derive(Clone, Debug, Serialize, TS)]
pub struct PointsDelta {
    pub text: String,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobEvent {
    pub job_id: String,
}

/// One step of a screening run (`run_id` is the UI's id for the run).
#[derive(Clone, Debug, Serialize, TS)]
pub struct BulkProgress {
    pub run_id: String,
    pub event: qoder_domain::bulk::BulkEvent,
}

/// What the notifier just notified (`missed`: fell due while the app was closed).
#[derive(Clone, Debug, Serialize, TS)]
pub struct NoticesDue {
    pub notices: Vec<qoder_domain::job::Notice>,
}

/// Sends an event to every window; a failure (no window yet) is only logged.
pub fn emit<P: Serialize + Clone>(app: &AppHandle, name: &str, payload: P) {
    debug_assert!(EVENTS.iter().any(|(n, _)| *n == name), "undeclared event {name}");
    if let Err(e) = app.emit(name, payload) {
        tracing::debug!(event = name, error = %e, "event not delivered");
    }
}
