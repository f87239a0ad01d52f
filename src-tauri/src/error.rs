//! The one error every command returns: `{code, message}` where `code` is the closed
//! [`ErrorCode`] enum the UI branches on.

use qoder_domain::{ErrorBody, ErrorCode};
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct CommandError(pub ErrorBody);

pub type CommandResult<T> = Result<T, CommandError>;

impl CommandError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        CommandError(ErrorBody::new(code, message.into()))
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Validation, message)
    }
}

impl From<qoder_core::Error> for CommandError {
    fn from(e: qoder_core::Error) -> Self {
        if e.code() == ErrorCode::Internal {
            tracing::error!(error = %e, "command failed");
        }
        CommandError(e.body())
    }
}

impl From<qoder_core::StoreError> for CommandError {
    fn from(e: qoder_core::StoreError) -> Self {
        qoder_core::Error::from(e).into()
    }
}

impl From<qoder_core::matching::MatchError> for CommandError {
    fn from(e: qoder_core::matching::MatchError) -> Self {
        CommandError(e.body())
    }
}

impl From<qoder_analysis::AnalyzeError> for CommandError {
    fn from(e: qoder_analysis::AnalyzeError) -> Self {
        qoder_core::Error::from(e).into()
    }
}

/// Parses an id the UI sent.
pub fn parse_id<T: std::str::FromStr>(what: &str, s: &str) -> CommandResult<T> {
    s.parse().map_err(|_| CommandError::invalid(format!("{what}: {s:?} is not a valid id")))
}
