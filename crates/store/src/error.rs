//! Errors of the store. `NotFound` is kept apart from other failures.

use qoder_domain::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: String },
    #[error(
        "the database at {path} was written by a newer version of QoderResume (schema {found}, \
         this version knows up to {supported}); upgrade the app, or point QODER_DATA_DIR elsewhere"
    )]
    Incompatible { path: String, found: i64, supported: i64 },
    #[error("{path} is not a QoderResume database (application id {found:#x})")]
    Foreign { path: String, found: i64 },
    #[error("no data directory: set QODER_DATA_DIR or HOME")]
    NoDataDir,
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
}

impl StoreError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        StoreError::Io { context: context.into(), source }
    }

    pub fn not_found(what: &'static str, id: impl ToString) -> Self {
        StoreError::NotFound { what, id: id.to_string() }
    }
}

impl qoder_domain::CodedError for StoreError {
    fn code(&self) -> ErrorCode {
        match self {
            StoreError::NotFound { .. } => ErrorCode::NotFound,
            StoreError::Incompatible { .. } | StoreError::Foreign { .. } => {
                ErrorCode::IncompatibleDatabase
            }
            StoreError::NoDataDir
            | StoreError::Corrupt(_)
            | StoreError::Sqlite(_)
            | StoreError::Io { .. } => ErrorCode::Internal,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
