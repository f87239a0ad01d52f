//! qoder-embed's integration tests, one binary: `cargo test -p qoder-embed --test it`.

mod embed;
