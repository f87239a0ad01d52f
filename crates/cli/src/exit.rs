//! Turning errors into the CLI's exit codes and messages.

use qoder_domain::{ErrorBody, ErrorCode};
use std::process::ExitCode;

/// An error the CLI reports: a code the exit status is chosen by, and a message for stderr.
#[derive(Debug)]
pub struct CliError(pub ErrorBody);

impl CliError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self(ErrorBody::new(code, message))
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Validation, message)
    }
}

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> Self {
        Self::new(ErrorCode::Internal, format!("{e:#}"))
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        Self::new(ErrorCode::Internal, e.to_string())
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> Self {
        Self::new(ErrorCode::Internal, e.to_string())
    }
}

pub type CliResult = Result<(), CliError>;

pub fn report(result: CliResult) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError(body)) => {
            let code = serde_json::to_value(body.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            eprintln!("error[{code}]: {}", body.message);
            if body.code.is_bad_input() { ExitCode::from(2) } else { ExitCode::from(1) }
        }
    }
}
