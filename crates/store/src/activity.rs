//! The `activity` table: the local audit log. Each change writes its row in its own
//! transaction, so the log and the data never disagree.

use crate::error::Result;
use crate::{from_ms, now_ms};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub at: DateTime<Utc>,
    /// "job", "resume_version", "interview", "reminder", "setting"…
    pub entity: String,
    pub entity_id: String,
    /// "create", "update", "status", "delete", "import", "tag"…
    pub action: String,
    pub detail: serde_json::Value,
}

pub fn log(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
    action: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO activity(at, entity, entity_id, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![now_ms(), entity, entity_id, action, detail.to_string()])?;
    Ok(())
}

/// The newest `limit` entries, newest first; only `entity` when given.
pub fn recent(conn: &Connection, entity: Option<&str>, limit: u32) -> Result<Vec<Activity>> {
    let mut stmt = conn.prepare(
        "SELECT at, entity, entity_id, action, detail FROM activity
         WHERE ?1 IS NULL OR entity = ?1 ORDER BY pk DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![entity, limit], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every entry, oldest first (for the data export).
pub fn all(conn: &Connection) -> Result<Vec<Activity>> {
    let mut stmt =
        conn.prepare("SELECT at, entity, entity_id, action, detail FROM activity ORDER BY pk")?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Activity> {
    let detail: String = r.get(4)?;
    Ok(Activity {
        at: from_ms(r.get(0)?),
        entity: r.get(1)?,
        entity_id: r.get(2)?,
        action: r.get(3)?,
        detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::String(detail)),
    })
}
