//! qoder-core: the use cases the desktop shell and the CLI call: resumes and their versions,
//! the job tracker (timeline, interviews, reminders, calendar and CSV), the activity log and
//! the export of all local data. No Tauri and no HTTP here; the store is passed in.
#![forbid(unsafe_code)]

pub mod bulk;
pub mod calendar;
pub mod config;
pub mod correction;
pub mod dashboard;
pub mod diff;
pub mod export;
pub mod grounding;
pub mod ics;
pub mod job;
pub mod jobs_csv;
pub mod matching;
pub mod notify;
pub mod resume;
pub mod schedule;
pub mod stats;
pub mod suggest;
pub mod sync;

pub use config::{Config, local_day, today};
pub use qoder_store::{Cache, Store, StoreError, data_dir};

use qoder_domain::ErrorCode;

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
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error(
        "the file is {}; the largest resume accepted is {}. Save it as a smaller PDF (fewer images) or as DOCX.",
        size_text(*size),
        size_text(*max)
    )]
    FileTooLarge { size: u64, max: u64 },
    #[error("the database handle was poisoned by an earlier failure; restart the app")]
    Poisoned,
}

/// A size for people: bytes, KB or MB.
fn size_text(n: u64) -> String {
    match n {
        0..1024 => format!("{n} bytes"),
        1024..1_048_576 => format!("{:.0} KB", n as f64 / 1024.0),
        _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
    }
}

impl Error {
    pub fn invalid(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Error::Validation { field: field.into(), rule: rule.into() }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }
}

impl qoder_domain::CodedError for Error {
    fn code(&self) -> ErrorCode {
        match self {
            Error::Validation { .. } => ErrorCode::Validation,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::Store(e) => e.code(),
            Error::Analyze(e) => e.code(),
            Error::Io { .. } | Error::Poisoned => ErrorCode::Internal,
            Error::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                ErrorCode::NotFound
            }
            Error::Read { .. } => ErrorCode::Validation,
            Error::FileTooLarge { .. } => ErrorCode::FileTooLarge,
        }
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
