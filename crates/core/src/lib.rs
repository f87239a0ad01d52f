//! qoder-core: the use cases the desktop shell and the CLI call: resumes and their versions,
//! the job tracker (timeline, interviews, reminders, calendar and CSV), the activity log and
//! the export of all local data. No Tauri and no HTTP here; the store is passed in.
#![forbid(unsafe_code)]

pub mod correction;
pub mod dashboard;
pub mod diff;
pub mod export;
pub mod grounding;
pub mod ics;
pub mod job;
pub mod jobs_csv;
pub mod matching;
pub mod resume;
pub mod schedule;
pub mod stats;
pub mod suggest;
pub mod sync;

pub use qoder_store::{Cache, Store, StoreError, data_dir};

use qoder_domain::{ErrorBody, ErrorCode};

/// Why a use case failed. `Validation` names the field and the rule it breaks.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{field}: {rule}")]
    Validation { field: String, rule: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Analyze(#[from] qoder_analysis::AnalyzeError),
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
}

impl Error {
    pub fn invalid(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Error::Validation { field: field.into(), rule: rule.into() }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Validation { .. } => ErrorCode::Validation,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::Store(e) => e.code(),
            Error::Analyze(e) => e.code(),
            Error::Io { .. } => ErrorCode::Internal,
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody::new(self.code(), self.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Full-text search over jobs (title, company, vendor, description, notes) and resume
/// versions (text, notes): the best `limit` hits.
pub fn search(
    store: &Store,
    text: &str,
    limit: u32,
) -> Result<Vec<qoder_store::search::SearchHit>> {
    if qoder_store::job::fts_query(text).is_none() {
        return Err(Error::invalid("text", "must contain at least one letter or digit"));
    }
    Ok(qoder_store::search::search(store.conn(), text, limit)?)
}
