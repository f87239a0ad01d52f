//! Full-text search (FTS5) over job descriptions and notes and resume text and notes.

use crate::error::Result;
use crate::job::fts_query;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Job,
    ResumeVersion,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub kind: HitKind,
    pub id: String,
    /// The job title, or the file name of the version.
    pub title: String,
    /// The matching passage, the matches in [brackets].
    pub snippet: String,
    /// BM25 rank: lower is better.
    pub rank: f64,
}

/// The best `limit` hits for `text` among jobs and resume versions, best first.
pub fn search(conn: &Connection, text: &str, limit: u32) -> Result<Vec<SearchHit>> {
    let Some(q) = fts_query(text) else { return Ok(Vec::new()) };
    let mut hits = Vec::new();
    let mut jobs = conn.prepare_cached(
        "SELECT j.id, j.title, snippet(job_fts, -1, '[', ']', '…', 12), f.rank
         FROM job_fts f JOIN job j ON j.pk = f.rowid
         WHERE job_fts MATCH ?1 ORDER BY f.rank LIMIT ?2",
    )?;
    for h in jobs.query_map(params![q, limit], |r| {
        Ok(SearchHit {
            kind: HitKind::Job,
            id: r.get(0)?,
            title: r.get(1)?,
            snippet: r.get(2)?,
            rank: r.get(3)?,
        })
    })? {
        hits.push(h?);
    }
    let mut versions = conn.prepare_cached(
        "SELECT v.id, coalesce(v.file_name, ''), snippet(resume_fts, -1, '[', ']', '…', 12), f.rank
         FROM resume_fts f JOIN resume_version v ON v.pk = f.rowid
         WHERE resume_fts MATCH ?1 ORDER BY f.rank LIMIT ?2",
    )?;
    for h in versions.query_map(params![q, limit], |r| {
        Ok(SearchHit {
            kind: HitKind::ResumeVersion,
            id: r.get(0)?,
            title: r.get(1)?,
            snippet: r.get(2)?,
            rank: r.get(3)?,
        })
    })? {
        hits.push(h?);
    }
    hits.sort_by(|a, b| a.rank.total_cmp(&b.rank));
    hits.truncate(limit as usize);
    Ok(hits)
}

/// Ids in `table` (job, resume_version or resume) starting with `prefix`; at most two, which
/// is enough to tell "unique" from "ambiguous".
pub fn ids_with_prefix(conn: &Connection, table: &str, prefix: &str) -> Result<Vec<String>> {
    let table = match table {
        "job" => "job",
        "resume_version" => "resume_version",
        _ => "resume",
    };
    // Ids are lower-case hex and dashes, all sorting before 'z': an index range scan.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id FROM {table} WHERE id >= ?1 AND id < ?1 || 'z' ORDER BY id LIMIT 2"
    ))?;
    let rows = stmt.query_map([prefix], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
