//! qoder-analysis: bytes in, facts out.
//!
//! Pure and deterministic: no database, no network, no clock (the current date is passed in).
#![forbid(unsafe_code)]

pub mod extract;
