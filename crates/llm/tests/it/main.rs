//! qoder-llm's integration tests, one binary: `cargo test -p qoder-llm --test it`.

mod providers;
