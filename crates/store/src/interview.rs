//! The `interview` table.

use crate::error::Result;
use crate::{conversion, from_ms, parse_id, to_ms};
use qoder_domain::ids::{InterviewId, JobId};
use qoder_domain::job::{Interview, InterviewKind};
use rusqlite::{Connection, params};

const COLUMNS: &str = "id, job_id, starts_at, duration_minutes, timezone, kind, location, link, \
    interviewers, notes, created_at";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Interview> {
    let id: String = r.get(0)?;
    let job: String = r.get(1)?;
    let kind: String = r.get(5)?;
    let interviewers: String = r.get(8)?;
    Ok(Interview {
        id: parse_id(&id, "interview")?,
        job_id: parse_id(&job, "job")?,
        starts_at: from_ms(r.get(2)?),
        duration_minutes: r.get(3)?,
        timezone: r.get(4)?,
        kind: InterviewKind::parse(&kind)
            .ok_or_else(|| conversion(format!("bad interview kind {kind:?}")))?,
        location: r.get(6)?,
        link: r.get(7)?,
        interviewers: serde_json::from_str(&interviewers)
            .map_err(|e| conversion(format!("bad interviewers: {e}")))?,
        notes: r.get(9)?,
        created_at: from_ms(r.get(10)?),
    })
}

pub fn insert(conn: &Connection, i: &Interview) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO interview({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        ),
        params![
            i.id.to_string(),
            i.job_id.to_string(),
            to_ms(i.starts_at),
            i.duration_minutes,
            i.timezone,
            i.kind.as_str(),
            i.location,
            i.link,
            serde_json::to_string(&i.interviewers).unwrap_or_else(|_| "[]".into()),
            i.notes,
            to_ms(i.created_at),
        ],
    )?;
    Ok(())
}

/// Rewrites every field but the id, job and creation time; `false` when there is no such row.
pub fn update(conn: &Connection, i: &Interview) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE interview SET starts_at = ?2, duration_minutes = ?3, timezone = ?4, kind = ?5,
             location = ?6, link = ?7, interviewers = ?8, notes = ?9 WHERE id = ?1",
        params![
            i.id.to_string(),
            to_ms(i.starts_at),
            i.duration_minutes,
            i.timezone,
            i.kind.as_str(),
            i.location,
            i.link,
            serde_json::to_string(&i.interviewers).unwrap_or_else(|_| "[]".into()),
            i.notes,
        ],
    )? > 0)
}

pub fn get(conn: &Connection, id: InterviewId) -> Result<Option<Interview>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM interview WHERE id = ?1"))?;
    let mut rows = stmt.query_map([id.to_string()], row)?;
    Ok(rows.next().transpose()?)
}

pub fn delete(conn: &Connection, id: InterviewId) -> Result<bool> {
    Ok(conn.execute("DELETE FROM interview WHERE id = ?1", [id.to_string()])? > 0)
}

pub fn for_job(conn: &Connection, job: JobId) -> Result<Vec<Interview>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM interview WHERE job_id = ?1 ORDER BY starts_at"
    ))?;
    let rows = stmt.query_map([job.to_string()], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Interviews starting at or after `from_ms`, soonest first.
pub fn upcoming(conn: &Connection, from_ms: i64) -> Result<Vec<Interview>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM interview WHERE starts_at >= ?1 ORDER BY starts_at"
    ))?;
    let rows = stmt.query_map([from_ms], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn all(conn: &Connection) -> Result<Vec<Interview>> {
    upcoming(conn, i64::MIN)
}
