//! Device sync as the CLI and the app show it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where this device stands with its sync server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncStatus {
    pub signed_in: bool,
    pub server: Option<String>,
    pub email: Option<String>,
    pub device_id: Option<String>,
    /// Off: nothing is sent or fetched until it is turned on again (edits are still tracked).
    pub enabled: bool,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<String>,
    /// Local edits not yet sent (records waiting, and rows changed since the last sync).
    pub waiting: u64,
    /// Received entities that could not be written here yet (what they refer to is missing).
    pub pending: u64,
    /// Losing concurrent edits kept as conflict copies.
    pub conflicts: u64,
    /// Received records that could not be opened or read, set aside so sync goes on.
    pub set_aside: u64,
}

/// What one sync did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncReport {
    /// Records this device sent.
    pub pushed: u64,
    /// Records received from other devices.
    pub pulled: u64,
    /// Entities changed here by what was received.
    pub applied: u64,
    pub pending: u64,
    pub conflicts: u64,
    pub took_ms: u64,
}

/// A losing concurrent edit of long text, kept so nothing anyone wrote is dropped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncConflict {
    /// resumes, versions, jobs, interviews.
    pub collection: String,
    /// The id of the resume, version, job or interview.
    pub entity: String,
    pub field: String,
    /// The text that lost.
    pub value: String,
    /// The device that wrote it, and when.
    pub device_id: String,
    pub at: DateTime<Utc>,
}
