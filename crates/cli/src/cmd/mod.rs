//! One module per sub-command.

pub mod account;
pub mod ai;
pub mod analyze;
pub mod bulk;
pub mod calendar;
pub mod data;
pub mod jobs;
pub mod matching;
pub mod parse;
pub mod resume;
pub mod similarity;
pub mod suggest;
pub mod sync;

use crate::exit::{CliError, CliResult};

/// The local store (QODER_DATA_DIR, else the platform's data directory), for every command.
pub(crate) fn open_store() -> Result<qoder_core::Store, CliError> {
    Ok(qoder_core::Store::open_default()?)
}

/// The data folder (QODER_DATA_DIR or the platform's).
pub(crate) fn data_dir() -> Result<std::path::PathBuf, CliError> {
    use qoder_domain::CodedError;
    qoder_core::data_dir().map_err(|e| CliError::new(e.code(), e.to_string()))
}

pub(crate) fn print_json<T: serde::Serialize>(v: &T) -> CliResult {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}
