//! The `reminder` table. A follow-up reminder has no fixed time: it is due `after_days` after
//! its job last changed, so it moves whenever the job does.

use crate::error::Result;
use crate::{conversion, from_ms, parse_id, to_ms};
use qoder_domain::ids::{JobId, ReminderId};
use qoder_domain::job::{Reminder, ReminderKind};
use rusqlite::{Connection, params};

const DAY_MS: i64 = 86_400_000;

/// Columns with the due time computed (follow-ups from their job's `updated_at`).
const SELECT: &str = "SELECT r.id, r.job_id, r.kind,
        CASE WHEN r.kind = 'follow_up' AND j.updated_at IS NOT NULL
             THEN j.updated_at + r.after_days * 86400000 ELSE r.due_at END AS due,
        r.message, r.after_days, r.done, r.created_at
    FROM reminder r LEFT JOIN job j ON j.id = r.job_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Reminder> {
    let id: String = r.get(0)?;
    let job: Option<String> = r.get(1)?;
    let kind: String = r.get(2)?;
    Ok(Reminder {
        id: parse_id(&id, "reminder")?,
        job_id: job.map(|j| parse_id(&j, "job")).transpose()?,
        kind: ReminderKind::parse(&kind)
            .ok_or_else(|| conversion(format!("bad reminder kind {kind:?}")))?,
        due_at: from_ms(r.get::<_, Option<i64>>(3)?.unwrap_or(0)),
        message: r.get(4)?,
        after_days: r.get(5)?,
        done: r.get(6)?,
        created_at: from_ms(r.get(7)?),
    })
}

pub fn insert(conn: &Connection, rem: &Reminder) -> Result<()> {
    let due = if rem.kind == ReminderKind::FollowUp && rem.job_id.is_some() {
        None
    } else {
        Some(to_ms(rem.due_at))
    };
    conn.execute(
        "INSERT INTO reminder(id, job_id, kind, due_at, after_days, message, done, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            rem.id.to_string(),
            rem.job_id.map(|j| j.to_string()),
            rem.kind.as_str(),
            due,
            rem.after_days,
            rem.message,
            rem.done,
            to_ms(rem.created_at)
        ],
    )?;
    Ok(())
}

pub fn set_done(conn: &Connection, id: ReminderId, done: bool) -> Result<bool> {
    Ok(conn
        .execute("UPDATE reminder SET done = ?2 WHERE id = ?1", params![id.to_string(), done])?
        > 0)
}

pub fn delete(conn: &Connection, id: ReminderId) -> Result<bool> {
    Ok(conn.execute("DELETE FROM reminder WHERE id = ?1", [id.to_string()])? > 0)
}

pub fn for_job(conn: &Connection, job: JobId) -> Result<Vec<Reminder>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE r.job_id = ?1 ORDER BY due"))?;
    let rows = stmt.query_map([job.to_string()], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Open (not done) reminders due at or before `until_ms`, soonest first. A follow-up whose job
/// moved on to a status that needs no follow-up is left out.
pub fn open_until(conn: &Connection, until_ms: i64) -> Result<Vec<Reminder>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE r.done = 0 AND due <= ?1
           AND (r.kind <> 'follow_up' OR j.status IS NULL
                OR j.status IN ('applied', 'screening', 'interviewing'))
         ORDER BY due"
    ))?;
    let rows = stmt.query_map([until_ms], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every reminder, done or not, by due time (for the data export).
pub fn all(conn: &Connection) -> Result<Vec<Reminder>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY due"))?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `after_days` in milliseconds, for callers computing due times.
pub fn days_ms(days: u32) -> i64 {
    i64::from(days) * DAY_MS
}
