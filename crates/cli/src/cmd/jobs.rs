//! `qoder jobs …` (being written).

use crate::exit::{CliError, CliResult};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Not available yet.
    List,
}

pub fn run(_c: Command) -> CliResult {
    Err(CliError::new(qoder_domain::ErrorCode::Internal, "`qoder jobs` is not available yet"))
}
