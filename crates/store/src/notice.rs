//! The `notice` table: what this device has notified, snoozed or dismissed for each reminder
//! or interview (local only; the sync triggers do not watch it).

use crate::error::Result;
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// One item's notification state. Times are Unix milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoticeState {
    /// The due time this state is for; another time means the item moved.
    pub fire_at: i64,
    pub shown_at: Option<i64>,
    pub snoozed_until: Option<i64>,
    pub dismissed_at: Option<i64>,
}

/// Every row, keyed by (kind, item id). The table holds a row per item notified in the last
/// weeks ([`prune`] drops older ones), so it stays small.
pub fn all(conn: &Connection) -> Result<HashMap<(String, String), NoticeState>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, item_id, fire_at, shown_at, snoozed_until, dismissed_at FROM notice",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
            NoticeState {
                fire_at: r.get(2)?,
                shown_at: r.get(3)?,
                snoozed_until: r.get(4)?,
                dismissed_at: r.get(5)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn put(conn: &Connection, kind: &str, item_id: &str, s: &NoticeState) -> Result<()> {
    conn.execute(
        "INSERT INTO notice(kind, item_id, fire_at, shown_at, snoozed_until, dismissed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(kind, item_id) DO UPDATE SET fire_at = excluded.fire_at,
            shown_at = excluded.shown_at, snoozed_until = excluded.snoozed_until,
            dismissed_at = excluded.dismissed_at",
        params![kind, item_id, s.fire_at, s.shown_at, s.snoozed_until, s.dismissed_at],
    )?;
    Ok(())
}

/// Drops the rows of items due before `before_ms` (long past: they no longer notify).
pub fn prune(conn: &Connection, before_ms: i64) -> Result<usize> {
    Ok(conn.execute("DELETE FROM notice WHERE fire_at < ?1", [before_ms])?)
}
