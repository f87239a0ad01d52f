//! qoder-cli's end-to-end tests, one binary: the real `qoder` executable over real data
//! directories, PDFs, a real qoder-server on PostgreSQL and local stand-ins for Stripe and the AI
//! providers. `cargo test -p qoder-cli --test it`; one module alone with a filter, e.g.
//! `--test it jobs::`.

mod account;
mod analyze;
mod bulk;
mod calendar;
mod common;
mod jobs;
mod resume;
mod suggest;
mod sync;
