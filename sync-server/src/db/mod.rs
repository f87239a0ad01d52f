//! SQL, one module per aggregate. Runtime-checked queries: building needs no database.

pub mod account;
pub mod admin;
pub mod key;
pub mod rate;
pub mod record;
