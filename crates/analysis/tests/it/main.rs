//! qoder-analysis's integration tests, one binary: `cargo test -p qoder-analysis --test it`;
//! a module's alone with a filter, e.g. `--test it corpus:: -- --nocapture` for its table.

mod corpus;
mod entries_snapshots;
mod extract;
mod fit;
mod jd_snapshots;
mod oracle;
mod scoring;
mod unseen;
