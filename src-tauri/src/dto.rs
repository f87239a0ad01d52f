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
