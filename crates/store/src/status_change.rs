//! The `status_change` table: the status timeline of each job.

use crate::error::Result;
use crate::{conversion, from_ms, to_ms};
use qoder_domain::ids::JobId;
use qoder_domain::job::{JobStatus, StatusChange};
use rusqlite::{Connection, params};

pub fn insert(conn: &Connection, job: JobId, c: &StatusChange) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO status_change(job_id, from_status, to_status, at, note) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![job.to_string(), c.from.map(JobStatus::as_str), c.to.as_str(), to_ms(c.at), c.note])?;
    Ok(())
}

fn status(s: Option<String>) -> rusqlite::Result<Option<JobStatus>> {
    s.map(|s| JobStatus::parse(&s).ok_or_else(|| conversion(format!("bad status {s:?}"))))
        .transpose()
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StatusChange> {
    Ok(StatusChange {
        from: status(r.get(0)?)?,
        to: status(Some(r.get(1)?))?.unwrap_or(JobStatus::Saved),
        at: from_ms(r.get(2)?),
        note: r.get(3)?,
    })
}

/// The timeline of one job, oldest first.
pub fn for_job(conn: &Connection, job: JobId) -> Result<Vec<StatusChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT from_status, to_status, at, note FROM status_change WHERE job_id = ?1 ORDER BY at, pk",
    )?;
    let rows = stmt.query_map([job.to_string()], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every change of every job, grouped by job and in time order: `(job_id, change)`.
pub fn for_each(conn: &Connection, mut f: impl FnMut(&str, StatusChange)) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT from_status, to_status, at, note, job_id FROM status_change ORDER BY job_id, at, pk",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let job: String = r.get(4)?;
        f(&job, row(r)?);
    }
    Ok(())
}

/// How many distinct jobs ever moved to one of `statuses`.
pub fn jobs_reaching(conn: &Connection, statuses: &[JobStatus]) -> Result<u64> {
    if statuses.is_empty() {
        return Ok(0);
    }
    let marks = vec!["?"; statuses.len()].join(", ");
    let sql = format!(
        "SELECT count(DISTINCT job_id) FROM status_change WHERE to_status IN ({marks}) \
         AND job_id IN (SELECT id FROM job)"
    );
    let n: i64 = conn.query_row(
        &sql,
        rusqlite::params_from_iter(statuses.iter().map(|s| s.as_str())),
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}
