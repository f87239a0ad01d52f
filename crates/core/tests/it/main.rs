//! qoder-core's integration tests, one binary: `cargo test -p qoder-core --test it`; a module
//! alone with a filter, e.g. `--test it matching:: -- --nocapture` for its figures.

mod bulk;
mod calendar;
mod grounding;
mod matching;
mod store;
mod use_cases;
