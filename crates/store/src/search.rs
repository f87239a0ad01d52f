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

/// How many of the newest matches are ranked: bounds the cost of a search for a word that
/// appears in most documents.
pub const RANK_WINDOW: u32 = 1_000;

/// The best `limit` hits for `text` among jobs and resume versions, best first (BM25 over the
/// newest [`RANK_WINDOW`] matches of each kind).
pub fn search(conn: &Connection, text: &str, limit: u32) -> Result<Vec<SearchHit>> {
    let Some(q) = fts_query(text) else { return Ok(Vec::new()) };
    let mut hits = Vec::new();
    for (kind, fts, table, title) in [
        (HitKind::Job, "job_fts", "job", "title"),
        (HitKind::ResumeVersion, "resume_fts", "resume_version", "coalesce(file_name, '')"),
    ] {
        // Rank a bounded window first; snippets only for the winners, each by rowid (a seek).
        let mut top = conn.prepare_cached(&format!(
            "SELECT rowid, rank FROM
               (SELECT rowid, rank FROM {fts} WHERE {fts} MATCH ?1 ORDER BY rowid DESC LIMIT ?3)
             ORDER BY rank LIMIT ?2"
        ))?;
        let ranked: Vec<(i64, f64)> = top
            .query_map(params![q, limit, RANK_WINDOW], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut snip = conn.prepare_cached(&format!(
            "SELECT snippet({fts}, -1, '[', ']', '…', 12) FROM {fts} WHERE {fts} MATCH ?1 AND rowid = ?2"
        ))?;
        let mut row =
            conn.prepare_cached(&format!("SELECT id, {title} FROM {table} WHERE pk = ?1"))?;
        for (rowid, rank) in ranked {
            let snippet: String = snip.query_row(params![q, rowid], |r| r.get(0))?;
            let (id, title): (String, String) =
                row.query_row([rowid], |r| Ok((r.get(0)?, r.get(1)?)))?;
            hits.push(SearchHit { kind, id, title, snippet, rank });
        }
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
