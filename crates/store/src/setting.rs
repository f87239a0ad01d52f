//! The `setting` table: small key/value preferences.

use crate::error::Result;
use rusqlite::{Connection, OptionalExtension, params};

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// An UPDATE, else an INSERT; not an upsert: SQLite lets an upsert's conflict handling
/// override the `INSERT OR IGNORE` of the sync triggers, so changing a setting again before a
/// push would fail on its existing dirty mark.
pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    let changed =
        conn.execute("UPDATE setting SET value = ?2 WHERE key = ?1", params![key, value])?;
    if changed == 0 {
        conn.execute("INSERT INTO setting(key, value) VALUES (?1, ?2)", params![key, value])?;
    }
    Ok(())
}

pub fn all(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT key, value FROM setting ORDER BY key")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
