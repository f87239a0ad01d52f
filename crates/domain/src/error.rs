//! The error contract of every boundary (CLI `--json`, Tauri commands, HTTP): `{code, message}`.
//! `code` is a closed set the UI can branch on; `message` is for people.

use serde::{Deserialize, Serialize};

/// What went wrong, as a closed set of codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The file is larger than the configured limit.
    FileTooLarge,
    /// The bytes are not a PDF, DOCX or plain-text file.
    UnsupportedFileType,
    /// The PDF is encrypted with a password.
    EncryptedPdf,
    /// The PDF has no text layer (a scan); OCR is out of scope.
    NoTextLayer,
    /// The file is damaged or not what its header says.
    CorruptFile,
    /// Parsing took longer than the time limit.
    Timeout,
    /// Parsing needed more memory than the limit, or the archive expands too much.
    ResourceLimit,
    /// The file was read but holds no usable resume text.
    EmptyDocument,
    /// A value the user gave breaks a rule; the message names the field and the rule.
    Validation,
    /// The thing asked for does not exist.
    NotFound,
    /// The same thing already exists.
    Conflict,
    /// The database was written by a newer version of the app.
    IncompatibleDatabase,
    /// A remote service failed or could not be reached.
    Upstream,
    /// A remote service refused our credentials (or none are stored): the user fixes the key.
    Unauthorized,
    /// Signed in, but not allowed to do this (another user's data, an admin-only action).
    Forbidden,
    /// A request body is larger than the server accepts.
    PayloadTooLarge,
    /// A remote service asks us to slow down; the work is deferred, not failed.
    RateLimited,
    /// A limit the user set (daily AI spend, daily generations) is used up for today.
    BudgetExceeded,
    /// The account's plan allows no more hosted-AI calls this period: the body's `limit` says
    /// which limit, how much is used and when it resets; upgrading lifts it.
    LimitReached,
    /// Anything else: a bug or an environment problem; details are in the log.
    Internal,
}

impl ErrorCode {
    /// Whether the error is the user's input (exit code 2 in the CLI) rather than ours.
    pub fn is_bad_input(self) -> bool {
        !matches!(
            self,
            ErrorCode::Internal
                | ErrorCode::Upstream
                | ErrorCode::RateLimited
                | ErrorCode::IncompatibleDatabase
        )
    }
}

/// The body every boundary answers with on failure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// With `limit_reached`: the plan's limit that refused the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub limit: Option<crate::billing::PlanLimit>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), limit: None }
    }

    /// A `limit_reached` body.
    pub fn limit_reached(message: impl Into<String>, limit: crate::billing::PlanLimit) -> Self {
        Self { code: ErrorCode::LimitReached, message: message.into(), limit: Some(limit) }
    }
}

impl std::fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Every error type of the workspace: its [`ErrorCode`], and the `{code, message}` body a
/// boundary (a Tauri command, the CLI's `--json`, an HTTP handler) answers with. The shells
/// convert any `CodedError` with one blanket `From`, so no boundary maps errors by hand.
pub trait CodedError: std::error::Error {
    fn code(&self) -> ErrorCode;

    fn body(&self) -> ErrorBody {
        ErrorBody::new(self.code(), self.to_string())
    }
}

/// An I/O error without context is ours (or the machine's), not the user's input.
impl CodedError for std::io::Error {
    fn code(&self) -> ErrorCode {
        ErrorCode::Internal
    }
}

/// Writing JSON fails only on a bug.
impl CodedError for serde_json::Error {
    fn code(&self) -> ErrorCode {
        ErrorCode::Internal
    }
}
