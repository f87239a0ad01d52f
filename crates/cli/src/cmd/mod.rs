//! One module per sub-command.

pub mod account;
pub mod ai;
pub mod analyze;
pub mod data;
pub mod jobs;
pub mod matching;
pub mod parse;
pub mod resume;
pub mod similarity;
pub mod suggest;
pub mod sync;
