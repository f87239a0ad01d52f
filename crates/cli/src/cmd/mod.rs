//! One module per sub-command.

pub mod analyze;
pub mod jobs;
pub mod matching;
pub mod parse;
pub mod resume;
