//! HTTP: one module and one `router()` per feature, merged in [`crate::app`].

pub mod account;
pub mod admin;
pub mod ai;
pub mod auth;
pub mod billing;
pub mod console;
pub mod error;
pub mod extract;
pub mod health;
pub mod keys;
pub mod openapi;
pub mod sync;
pub mod ws;
