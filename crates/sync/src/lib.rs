//! QoderResume sync, the client side: the wire types shared with `qoder-server`, and (feature
//! `client`, on by default) the HTTP client, end-to-end encryption of records and the
//! materialiser that replays records into state.
#![forbid(unsafe_code)]

pub mod billing;
pub mod wire;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod crypto;
#[cfg(feature = "client")]
pub mod materialise;
#[cfg(feature = "client")]
pub mod replica;
#[cfg(feature = "client")]
pub mod watch;

#[cfg(feature = "client")]
pub use client::{Client, ClientError};
#[cfg(feature = "client")]
pub use replica::Replica;
#[cfg(feature = "client")]
pub use watch::{Watch, WatchError};
