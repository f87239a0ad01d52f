//! The `calendar_account` and `calendar_event` tables: connected calendars and the event each
//! interview has in them.

use crate::error::Result;
use crate::{from_ms, now_ms};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// A connected calendar.
#[derive(Clone, Debug, PartialEq)]
pub struct Account {
    pub provider: String,
    pub connected_at: DateTime<Utc>,
    pub token_store: String,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// The event an interview has in a calendar.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub interview_id: String,
    pub event_id: String,
    pub etag: Option<String>,
    /// What was last sent, hashed.
    pub hash: String,
}

fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        provider: r.get(0)?,
        connected_at: from_ms(r.get(1)?),
        token_store: r.get(2)?,
        last_sync_at: r.get::<_, Option<i64>>(3)?.map(from_ms),
        last_success_at: r.get::<_, Option<i64>>(4)?.map(from_ms),
        last_error: r.get(5)?,
    })
}

const ACCOUNT: &str = "SELECT provider, connected_at, token_store, last_sync_at, last_success_at, last_error \
     FROM calendar_account";

pub fn account(conn: &Connection, provider: &str) -> Result<Option<Account>> {
    Ok(conn
        .query_row(&format!("{ACCOUNT} WHERE provider = ?1"), [provider], account_row)
        .optional()?)
}

pub fn accounts(conn: &Connection) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare(&format!("{ACCOUNT} ORDER BY provider"))?;
    let rows = stmt.query_map([], account_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records a (re)connection. The events already pushed stay mapped (a reconnect to the same
/// account goes on updating them).
pub fn connect(conn: &Connection, provider: &str, token_store: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO calendar_account(provider, connected_at, token_store) VALUES (?1, ?2, ?3)
         ON CONFLICT(provider) DO UPDATE SET connected_at = excluded.connected_at,
             token_store = excluded.token_store, last_error = NULL",
        params![provider, now_ms(), token_store],
    )?;
    Ok(())
}

/// Forgets a calendar and its events' ids; `false` when it was not connected.
pub fn disconnect(conn: &Connection, provider: &str) -> Result<bool> {
    conn.execute("DELETE FROM calendar_event WHERE provider = ?1", [provider])?;
    Ok(conn.execute("DELETE FROM calendar_account WHERE provider = ?1", [provider])? > 0)
}

pub fn set_token_store(conn: &Connection, provider: &str, token_store: &str) -> Result<()> {
    conn.execute(
        "UPDATE calendar_account SET token_store = ?2 WHERE provider = ?1",
        params![provider, token_store],
    )?;
    Ok(())
}

/// Records a sync attempt: `error` `None` is a success.
pub fn record_sync(conn: &Connection, provider: &str, error: Option<&str>) -> Result<()> {
    let now = now_ms();
    conn.execute(
        "UPDATE calendar_account SET last_sync_at = ?2, last_error = ?3,
             last_success_at = CASE WHEN ?3 IS NULL THEN ?2 ELSE last_success_at END
         WHERE provider = ?1",
        params![provider, now, error],
    )?;
    Ok(())
}

pub fn events(conn: &Connection, provider: &str) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(
        "SELECT interview_id, event_id, etag, hash FROM calendar_event WHERE provider = ?1
         ORDER BY interview_id",
    )?;
    let rows = stmt.query_map([provider], |r| {
        Ok(Event { interview_id: r.get(0)?, event_id: r.get(1)?, etag: r.get(2)?, hash: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count_events(conn: &Connection, provider: &str) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM calendar_event WHERE provider = ?1",
        [provider],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

pub fn put_event(conn: &Connection, provider: &str, e: &Event) -> Result<()> {
    conn.execute(
        "INSERT INTO calendar_event(provider, interview_id, event_id, etag, hash, pushed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(provider, interview_id) DO UPDATE SET event_id = excluded.event_id,
             etag = excluded.etag, hash = excluded.hash, pushed_at = excluded.pushed_at",
        params![provider, e.interview_id, e.event_id, e.etag, e.hash, now_ms()],
    )?;
    Ok(())
}

pub fn drop_event(conn: &Connection, provider: &str, interview_id: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM calendar_event WHERE provider = ?1 AND interview_id = ?2",
        params![provider, interview_id],
    )?;
    Ok(())
}
