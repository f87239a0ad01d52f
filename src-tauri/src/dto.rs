//! Types only the desktop UI needs (the shared ones live in qoder-domain). Each derives
//! `ts_rs::TS`; `tests/bindings.rs` writes them to ui/src/bindings and fails on a diff.

use chrono::{DateTime, Utc};
use qoder_domain::job::{JobStatus, Rate, WorkMode};
use qoder_domain::version::ImportOutcome;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Debug, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    /// The largest resume file accepted (QODER_MAX_UPLOAD_BYTES, default 10 MiB).
    pub max_upload_bytes: u64,
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

/// The headers of `resume_upload_bytes`, whose body is the file's raw bytes: the upload's id
/// (for progress events and cancel), the file name (URI-encoded) and the family to join.
pub const UPLOAD_ID: &str = "x-upload-id";
pub const UPLOAD_FILE_NAME: &str = "x-file-name";
pub const UPLOAD_FAMILY_ID: &str = "x-family-id";
pub const UPLOAD_HEADERS: [&str; 3] = [UPLOAD_ID, UPLOAD_FILE_NAME, UPLOAD_FAMILY_ID];

/// Decodes `%XX` escapes (what `encodeURIComponent` writes); anything else stays as it is.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) =
                (b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A resume file by path (native drag and drop, dialog).
#[derive(Clone, Debug, Deserialize, TS)]
pub struct UploadPath {
    pub upload_id: String,
    pub path: String,
    pub family_id: Option<String>,
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
    /// Due reminders and interviews raise desktop notifications.
    pub notifications_enabled: bool,
    /// How long before an interview its notification comes.
    pub interview_lead_minutes: u32,
    /// The app starts at login, hidden in the tray, and closing its window keeps it there.
    pub start_at_login: bool,
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
    /// "Use QoderResume AI" is on (the account's server is asked first).
    pub hosted: bool,
    /// What turning it on sends where (shown before the first hosted call).
    pub hosted_notice: String,
}

/// A Stripe page (Checkout, the customer portal) for the system browser.
#[derive(Clone, Debug, Serialize, TS)]
pub struct BrowserPage {
    pub url: String,
    /// The browser was opened (false: the UI offers the address to open by hand).
    pub opened: bool,
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

/// A screening run: resumes (one folder, one .zip, or files) against a JD.
#[derive(Clone, Debug, Deserialize, TS)]
pub struct BulkStart {
    /// The UI's id for the run: progress events carry it and `bulk_cancel` takes it.
    pub run_id: String,
    /// One folder, one .zip, or resume files.
    pub paths: Vec<String>,
    /// The job description's text; when empty, `job_id`'s description is used.
    pub jd_text: String,
    /// A tracked job whose description is screened against.
    pub job_id: Option<String>,
    /// Knock-out criteria: they flag candidates, never reject them.
    pub criteria: qoder_domain::bulk::Criteria,
    /// Files parsed at once (`None`: the number of cores).
    pub concurrency: Option<u32>,
    /// Start a new batch even when this input and JD were screened before (else the earlier
    /// batch continues: files already read are not read again).
    pub new_batch: bool,
}

/// What a screening run did; the batch itself comes from `bulk_show`.
#[derive(Clone, Debug, Serialize, TS)]
pub struct BulkRunReport {
    pub batch_id: String,
    /// This run continued an earlier run of the same batch.
    pub resumed: bool,
    pub parsed_now: u32,
    pub already_done: u32,
    /// Files under the input that are not PDF, DOCX or TXT, left out.
    pub skipped: Vec<String>,
    pub cancelled: bool,
    pub stages: Vec<qoder_domain::bulk::StageTiming>,
    /// The embedding model of the semantic stage, when there was one.
    pub model_id: Option<String>,
    /// Why the ranking is keyword-only, when it is.
    pub notice: Option<String>,
}

/// Who the candidates of a screening view are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum IdentityView {
    Full,
    /// Names, contact, file names, school names and degree years hidden.
    Anonymised,
}

#[cfg(test)]
mod tests {
    #[test]
    fn percent_decoding_undoes_encode_uri_component() {
        // encodeURIComponent("Lebenslauf Müller (2026).pdf")
        let sent = "Lebenslauf%20M%C3%BCller%20(2026).pdf";
        assert_eq!(super::percent_decode(sent), "Lebenslauf Müller (2026).pdf");
        assert_eq!(super::percent_decode("100%"), "100%");
        assert_eq!(super::percent_decode("a%zz"), "a%zz");
    }
}
