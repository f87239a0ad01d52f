//! The `resume_version` and `version_tag` tables.

use crate::error::Result;
use crate::{conversion, from_ms, job, parse_id, to_ms};
use qoder_domain::ids::{ResumeId, VersionId};
use qoder_domain::version::ResumeVersion;
use qoder_domain::{AtsReport, FileFormat, ParsedResume};
use rusqlite::{Connection, OptionalExtension, params};

const COLUMNS: &str =
    "id, resume_id, seq, file_name, format, sha256, size, ats_score, notes, pinned, created_at";

/// A version as stored, with the analysis it was imported with.
pub struct NewVersion<'a> {
    pub version: &'a ResumeVersion,
    pub text: &'a str,
    pub parsed: &'a ParsedResume,
    pub ats: &'a AtsReport,
}

fn row(conn: &Connection, r: &rusqlite::Row<'_>) -> rusqlite::Result<ResumeVersion> {
    let id: String = r.get(0)?;
    let resume: String = r.get(1)?;
    let format: Option<String> = r.get(4)?;
    let format = format.as_deref().and_then(FileFormat::parse);
    let mut tags_stmt =
        conn.prepare_cached("SELECT tag FROM version_tag WHERE version_id = ?1 ORDER BY tag")?;
    let tags = tags_stmt.query_map([&id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let job_ids = job::ids_with_version(conn, &id).map_err(|e| conversion(e.to_string()))?;
    Ok(ResumeVersion {
        id: parse_id(&id, "version")?,
        resume_id: parse_id(&resume, "resume")?,
        seq: r.get(2)?,
        file_name: r.get(3)?,
        format,
        sha256: r.get(5)?,
        size: r.get::<_, i64>(6)? as u64,
        ats_score: r.get(7)?,
        tags,
        notes: r.get(8)?,
        pinned: r.get(9)?,
        job_ids,
        created_at: from_ms(r.get(10)?),
    })
}

pub fn insert(conn: &Connection, n: &NewVersion<'_>) -> Result<()> {
    let v = n.version;
    let parsed =
        serde_json::to_string(n.parsed).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
    let ats =
        serde_json::to_string(n.ats).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
    conn.execute(
        "INSERT INTO resume_version(id, resume_id, seq, file_name, format, sha256, size, text,
            parsed_json, ats_json, ats_score, notes, pinned, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            v.id.to_string(),
            v.resume_id.to_string(),
            v.seq,
            v.file_name,
            v.format.map(FileFormat::as_str),
            v.sha256,
            v.size as i64,
            n.text,
            parsed,
            ats,
            v.ats_score,
            v.notes,
            v.pinned,
            to_ms(v.created_at)
        ],
    )?;
    for t in &v.tags {
        add_tag(conn, v.id, t)?;
    }
    Ok(())
}

pub fn get(conn: &Connection, id: VersionId) -> Result<Option<ResumeVersion>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM resume_version WHERE id = ?1"))?;
    Ok(stmt.query_row([id.to_string()], |r| row(conn, r)).optional()?)
}

pub fn by_sha(conn: &Connection, sha: &str) -> Result<Option<ResumeVersion>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM resume_version WHERE sha256 = ?1"))?;
    Ok(stmt.query_row([sha], |r| row(conn, r)).optional()?)
}

/// The versions of one family, newest first.
pub fn for_resume(conn: &Connection, resume: ResumeId) -> Result<Vec<ResumeVersion>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM resume_version WHERE resume_id = ?1 ORDER BY seq DESC"
    ))?;
    let rows = stmt.query_map([resume.to_string()], |r| row(conn, r))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every version, oldest first.
pub fn all(conn: &Connection) -> Result<Vec<ResumeVersion>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM resume_version ORDER BY pk"))?;
    let rows = stmt.query_map([], |r| row(conn, r))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn next_seq(conn: &Connection, resume: ResumeId) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM resume_version WHERE resume_id = ?1",
        [resume.to_string()],
        |r| r.get(0),
    )?)
}

/// The stored analysis of a version as the parser made it: (text, parsed resume, ATS report).
/// Readers that show or use it go through `qoder_core::correction::analysis`, which applies the
/// user's corrections.
pub fn analysis(
    conn: &Connection,
    id: VersionId,
) -> Result<Option<(String, ParsedResume, AtsReport)>> {
    let row: Option<(String, String, String)> = conn
        .query_row(
            "SELECT text, parsed_json, ats_json FROM resume_version WHERE id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((text, parsed, ats)) = row else { return Ok(None) };
    let bad = |e: serde_json::Error| crate::StoreError::Corrupt(format!("version {id}: {e}"));
    Ok(Some((
        text,
        serde_json::from_str(&parsed).map_err(bad)?,
        serde_json::from_str(&ats).map_err(bad)?,
    )))
}

pub fn set_notes(conn: &Connection, id: VersionId, notes: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE resume_version SET notes = ?2 WHERE id = ?1",
        params![id.to_string(), notes],
    )? > 0)
}

/// The listed ATS score, kept in step with the report as corrected (see `correction`).
pub fn set_ats_score(conn: &Connection, id: VersionId, score: u32) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE resume_version SET ats_score = ?2 WHERE id = ?1",
        params![id.to_string(), score],
    )? > 0)
}

pub fn set_pinned(conn: &Connection, id: VersionId, pinned: bool) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE resume_version SET pinned = ?2 WHERE id = ?1",
        params![id.to_string(), pinned],
    )? > 0)
}

pub fn add_tag(conn: &Connection, id: VersionId, tag: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO version_tag(version_id, tag) VALUES (?1, ?2)",
        params![id.to_string(), tag],
    )?;
    Ok(())
}

pub fn remove_tag(conn: &Connection, id: VersionId, tag: &str) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM version_tag WHERE version_id = ?1 AND tag = ?2",
        params![id.to_string(), tag],
    )? > 0)
}

/// Delete a version row (tags go with it). The caller checks it is not referenced.
pub fn delete(conn: &Connection, id: VersionId) -> Result<bool> {
    Ok(conn.execute("DELETE FROM resume_version WHERE id = ?1", [id.to_string()])? > 0)
}

/// The latest match scores of two resumes (by file hash) against the same job description,
/// `(score_a, score_b)`, when both were matched against one.
pub fn match_scores_same_jd(
    conn: &Connection,
    sha_a: &str,
    sha_b: &str,
) -> Result<Option<(i64, i64)>> {
    Ok(conn
        .query_row(
            "SELECT a.score, b.score FROM match_run a JOIN match_run b ON a.jd_sha256 = b.jd_sha256
             WHERE a.resume_sha256 = ?1 AND b.resume_sha256 = ?2
             ORDER BY max(a.created_at, b.created_at) DESC LIMIT 1",
            params![sha_a, sha_b],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}
