//! Turning errors into the CLI's exit codes and messages.

use qoder_domain::{CodedError, ErrorBody, ErrorCode};
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

/// Every error type of the workspace converts the same way: its code and message.
impl<E: CodedError> From<E> for CliError {
    fn from(e: E) -> Self {
        Self(e.body())
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
            if let Some(l) = &body.limit {
                eprintln!(
                    "{} of {} used; it resets at {}. More with `qoder account upgrade`.",
                    l.used,
                    l.limit,
                    l.resets_at.format("%Y-%m-%d %H:%M UTC")
                );
            }
            if body.code.is_bad_input() { ExitCode::from(2) } else { ExitCode::from(1) }
        }
    }
}
