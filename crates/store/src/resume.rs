//! The `resume` table: resume families.

use crate::error::Result;
use crate::{from_ms, parse_id, to_ms};
use qoder_domain::ids::ResumeId;
use qoder_domain::version::ResumeFamily;
use rusqlite::{Connection, OptionalExtension, params};

const SELECT: &str = "SELECT r.id, r.name, r.created_at, r.updated_at,
        (SELECT count(*) FROM resume_version v WHERE v.resume_id = r.id)
    FROM resume r";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ResumeFamily> {
    let id: String = r.get(0)?;
    Ok(ResumeFamily {
        id: parse_id(&id, "resume")?,
        name: r.get(1)?,
        created_at: from_ms(r.get(2)?),
        updated_at: from_ms(r.get(3)?),
        versions: r.get(4)?,
    })
}

pub fn insert(conn: &Connection, f: &ResumeFamily) -> Result<()> {
    conn.execute(
        "INSERT INTO resume(id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?4)",
        params![f.id.to_string(), f.name, to_ms(f.created_at), to_ms(f.updated_at)],
    )?;
    Ok(())
}

pub fn touch(conn: &Connection, id: ResumeId, at_ms: i64) -> Result<()> {
    conn.execute(
        "UPDATE resume SET updated_at = ?2 WHERE id = ?1",
        params![id.to_string(), at_ms],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, id: ResumeId) -> Result<Option<ResumeFamily>> {
    Ok(conn.query_row(&format!("{SELECT} WHERE r.id = ?1"), [id.to_string()], row).optional()?)
}

/// Every family, most recently changed first.
pub fn list(conn: &Connection) -> Result<Vec<ResumeFamily>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY r.updated_at DESC, r.id"))?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The family most recently added to, if any.
pub fn latest(conn: &Connection) -> Result<Option<ResumeFamily>> {
    Ok(conn
        .query_row(&format!("{SELECT} ORDER BY r.updated_at DESC, r.id DESC LIMIT 1"), [], row)
        .optional()?)
}
