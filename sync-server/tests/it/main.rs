//! The server's integration tests, one binary (one link in CI): each test starts the real router
//! on 127.0.0.1:0 over a fresh PostgreSQL database (`common`) and drives it with the real
//! qoder-sync client, or with raw HTTP where the client would refuse to send the request.
//!
//! - `accounts`: registration, login limits, tokens, keys and recovery, deletion, pruning.
//! - `sync`: the record store, its limits and encryption, two instances, the API rate limit.
//! - `websockets`: real-time notices across processes, pings, limits.
//! - `admin`: the admin console's first endpoints (totals, accounts, roles).
//! - `console`: the admin API of issue 17 (audit log, users, GDPR, flags, retention,
//!   metrics, health) and the refusal matrix of every admin route.
//! - `jobs_alerts`: the background job queue (retries, replay, two processes, leases) and the
//!   alert rules with their webhook and email notifications (a local SMTP sink).
//! - `forecast`: the load forecast on seeded history, `qoder-server seed-history`.
//! - `server`: health, settings and the OpenAPI document.
//! - `billing`: plans, Stripe (a wiremock stand-in speaking its wire format), webhooks, usage
//!   limits, coupons, feature flags and the hosted AI.

mod accounts;
mod admin;
mod billing;
mod common;
mod console;
mod forecast;
mod jobs_alerts;
mod server;
mod sync;
mod websockets;
