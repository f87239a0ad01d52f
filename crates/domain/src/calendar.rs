//! Calendar sync (Google Calendar, Microsoft Outlook through Graph) as the CLI and the app show
//! it: which calendars are connected, how the last sync went, and what one sync did.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::named_enum! {
    /// A calendar service interviews can be pushed to.
    pub enum CalendarProvider {
        Google = "google" | "gcal" | "google-calendar",
        Outlook = "outlook" | "microsoft" | "office365" | "graph",
    }
}

impl CalendarProvider {
    /// The name people know it by.
    pub fn label(self) -> &'static str {
        match self {
            CalendarProvider::Google => "Google Calendar",
            CalendarProvider::Outlook => "Microsoft Outlook",
        }
    }
}

/// One calendar service as this device sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CalendarAccount {
    pub provider: CalendarProvider,
    /// An OAuth client id is configured (GOOGLE_CALENDAR_CLIENT_ID / OUTLOOK_CLIENT_ID), so
    /// connecting is possible.
    pub configured: bool,
    pub connected: bool,
    pub connected_at: Option<DateTime<Utc>>,
    /// Where the tokens are kept: "keychain" (the OS keychain) or "file" (the data folder, when
    /// there is no keychain).
    pub token_store: Option<String>,
    /// The last sync attempt, the last one that went through, and why the last one failed.
    pub last_sync_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// Interviews that have an event in this calendar.
    pub events: u64,
    /// Events the next sync would create, change or delete.
    pub waiting: u64,
}

/// Every calendar service, connected or not.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CalendarStatus {
    pub accounts: Vec<CalendarAccount>,
}

/// An interview whose event could not be written this time (it is tried again next sync).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CalendarFailure {
    pub interview_id: String,
    pub message: String,
}

/// What one sync with one calendar did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CalendarSyncReport {
    pub provider: CalendarProvider,
    pub created: u64,
    pub updated: u64,
    pub deleted: u64,
    /// Events deleted in the calendar (by hand, elsewhere) and made again.
    pub recreated: u64,
    pub unchanged: u64,
    pub failed: Vec<CalendarFailure>,
    /// Why the sync stopped (refused sign-in, offline, rate limited), if it did.
    pub error: Option<String>,
    pub took_ms: u64,
}

impl CalendarSyncReport {
    pub fn new(provider: CalendarProvider) -> Self {
        CalendarSyncReport {
            provider,
            created: 0,
            updated: 0,
            deleted: 0,
            recreated: 0,
            unchanged: 0,
            failed: Vec::new(),
            error: None,
            took_ms: 0,
        }
    }

    /// Everything went through.
    pub fn ok(&self) -> bool {
        self.error.is_none() && self.failed.is_empty()
    }
}

crate::named_enum! {
    /// Whether disconnecting also deletes the events sync made.
    #[derive(Default)]
    pub enum RemoveEvents {
        /// Leave every event in the calendar (the default: turning sync off removes nothing).
        #[default]
        Keep = "keep",
        Remove = "remove",
    }
}

/// What a disconnect did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CalendarDisconnect {
    pub provider: CalendarProvider,
    /// Events deleted from the calendar (with `RemoveEvents::Remove`).
    pub removed: u64,
    /// Events left in the calendar.
    pub kept: u64,
}
