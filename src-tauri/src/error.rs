//! The one error every command returns: `{code, message}` where `code` is the closed
//! [`ErrorCode`] enum the UI branches on.

use qoder_domain::{CodedError, ErrorBody, ErrorCode};
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

/// Every error type of the workspace converts the same way: its code and message; internal
/// failures (bugs, the environment) also go to the log.
impl<E: CodedError> From<E> for CommandError {
    fn from(e: E) -> Self {
        let body = e.body();
        if body.code == ErrorCode::Internal {
            tracing::error!(error = %e, "command failed");
        }
        CommandError(body)
    }
}

/// Parses an id the UI sent.
pub fn parse_id<T: std::str::FromStr>(what: &str, s: &str) -> CommandResult<T> {
    s.parse().map_err(|_| CommandError::invalid(format!("{what}: {s:?} is not a valid id")))
}
