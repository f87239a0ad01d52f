//! The `bulk_batch` and `bulk_candidate` tables: screening batches and the files in them.

use crate::error::{Result, StoreError};
use crate::now_ms;
use qoder_domain::bulk::{
    BatchCounts, BatchState, BulkBatch, BulkCandidate, BulkSource, CandidateProfile, Criteria,
    FileStatus, Knockout, RecruiterStatus,
};
use qoder_domain::matching::{FitBand, ScoreComponent};
use qoder_domain::{ErrorBody, ErrorCode};
use rusqlite::{Connection, OptionalExtension, params};

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s).map_err(|e| crate::conversion(format!("bad {what}: {e}")))
}

/// An error code's wire name (`corrupt_file`).
fn code_name(code: ErrorCode) -> String {
    match serde_json::to_value(code) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "internal".to_string(),
    }
}

/// A new batch.
pub struct NewBatch<'a> {
    pub id: &'a str,
    pub source: &'a BulkSource,
    pub source_key: &'a str,
    pub jd_text: &'a str,
    pub jd_sha256: &'a str,
    pub jd_title: Option<&'a str>,
    pub criteria: &'a Criteria,
    pub concurrency: u32,
}

pub fn insert_batch(conn: &Connection, b: &NewBatch<'_>) -> Result<()> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO bulk_batch(id, source_json, source_key, jd_text, jd_sha256, jd_title,
            criteria_json, state, concurrency, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'running', ?8, ?9, ?9)",
        params![
            b.id,
            json(b.source)?,
            b.source_key,
            b.jd_text,
            b.jd_sha256,
            b.jd_title,
            json(b.criteria)?,
            i64::from(b.concurrency.max(1)),
            now
        ],
    )?;
    Ok(())
}

/// The newest batch of the same source and job description, to continue.
pub fn latest_for(conn: &Connection, source_key: &str, jd_sha256: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT id FROM bulk_batch WHERE source_key = ?1 AND jd_sha256 = ?2
             ORDER BY created_at DESC, id DESC LIMIT 1",
            params![source_key, jd_sha256],
            |r| r.get(0),
        )
        .optional()?)
}

/// The batch whose id is `id` or starts with it (when only one does).
pub fn resolve(conn: &Connection, id: &str) -> Result<String> {
    let id = id.trim().to_ascii_lowercase();
    let like = format!("{}%", id.replace(['%', '_'], ""));
    let mut stmt = conn.prepare("SELECT id FROM bulk_batch WHERE id LIKE ?1 LIMIT 2")?;
    let ids: Vec<String> =
        stmt.query_map([like], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    match ids.as_slice() {
        [one] if !id.is_empty() => Ok(one.clone()),
        [] | [_] => Err(StoreError::not_found("screening batch", id)),
        _ => Err(StoreError::not_found("screening batch (the prefix is ambiguous)", id)),
    }
}

pub fn set_state(conn: &Connection, id: &str, state: BatchState) -> Result<()> {
    conn.execute(
        "UPDATE bulk_batch SET state = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, state.as_str(), now_ms()],
    )?;
    Ok(())
}

pub fn set_criteria(
    conn: &Connection,
    id: &str,
    criteria: &Criteria,
    concurrency: u32,
) -> Result<()> {
    conn.execute(
        "UPDATE bulk_batch SET criteria_json = ?2, concurrency = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, json(criteria)?, i64::from(concurrency.max(1)), now_ms()],
    )?;
    Ok(())
}

/// The JD text of a batch.
pub fn jd_text(conn: &Connection, id: &str) -> Result<String> {
    conn.query_row("SELECT jd_text FROM bulk_batch WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::not_found("screening batch", id))
}

const BATCH_COLUMNS: &str = "id, source_json, jd_sha256, jd_title, criteria_json, state, \
                             concurrency, created_at, updated_at";

fn batch_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<BulkBatch> {
    let state: String = r.get(5)?;
    Ok(BulkBatch {
        id: r.get(0)?,
        source: from_json(&r.get::<_, String>(1)?, "batch source")?,
        jd_sha256: r.get(2)?,
        jd_title: r.get(3)?,
        criteria: from_json(&r.get::<_, String>(4)?, "batch criteria")?,
        state: BatchState::parse(&state)
            .ok_or_else(|| crate::conversion(format!("bad batch state {state:?}")))?,
        concurrency: r.get::<_, i64>(6)?.clamp(1, i64::from(u32::MAX)) as u32,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
        counts: BatchCounts::default(),
    })
}

pub fn counts(conn: &Connection, id: &str) -> Result<BatchCounts> {
    Ok(conn.query_row(
        "SELECT count(*),
                coalesce(sum(status = 'queued'), 0), coalesce(sum(status = 'done'), 0),
                coalesce(sum(status = 'failed'), 0), coalesce(sum(status = 'duplicate'), 0),
                coalesce(sum(flagged AND status = 'done'), 0),
                coalesce(sum(recruiter_status = 'shortlisted'), 0)
         FROM bulk_candidate WHERE batch_id = ?1",
        [id],
        |r| {
            let n = |i: usize| -> rusqlite::Result<u32> {
                Ok(r.get::<_, i64>(i)?.clamp(0, i64::from(u32::MAX)) as u32)
            };
            Ok(BatchCounts {
                total: n(0)?,
                queued: n(1)?,
                done: n(2)?,
                failed: n(3)?,
                duplicate: n(4)?,
                flagged: n(5)?,
                shortlisted: n(6)?,
            })
        },
    )?)
}

pub fn get_batch(conn: &Connection, id: &str) -> Result<Option<BulkBatch>> {
    let b = conn
        .query_row(
            &format!("SELECT {BATCH_COLUMNS} FROM bulk_batch WHERE id = ?1"),
            [id],
            batch_row,
        )
        .optional()?;
    match b {
        Some(mut b) => {
            b.counts = counts(conn, &b.id)?;
            Ok(Some(b))
        }
        None => Ok(None),
    }
}

/// Every batch, newest first.
pub fn list_batches(conn: &Connection) -> Result<Vec<BulkBatch>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {BATCH_COLUMNS} FROM bulk_batch ORDER BY created_at DESC, id DESC"
    ))?;
    let mut out: Vec<BulkBatch> =
        stmt.query_map([], batch_row)?.collect::<rusqlite::Result<_>>()?;
    for b in &mut out {
        b.counts = counts(conn, &b.id)?;
    }
    Ok(out)
}

/// A file of a batch as the pipeline sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRow {
    pub id: i64,
    pub file: String,
    pub sha256: String,
    pub size: u64,
    pub status: FileStatus,
}

/// Records a file found under the batch's source. A file already recorded keeps its state,
/// unless its bytes changed since (then it is queued again).
pub fn upsert_file(
    conn: &Connection,
    batch_id: &str,
    file: &str,
    sha256: &str,
    size: u64,
) -> Result<FileRow> {
    conn.execute(
        "INSERT INTO bulk_candidate(batch_id, file, sha256, size, status)
         VALUES (?1, ?2, ?3, ?4, 'queued')
         ON CONFLICT(batch_id, file) DO UPDATE SET
            sha256 = excluded.sha256, size = excluded.size, status = 'queued',
            duplicate_of = NULL, error_code = NULL, error_message = NULL, parsed_json = NULL,
            parsed_at = NULL, score = NULL, components_json = NULL, knockouts_json = NULL,
            skills_json = NULL,
            rank = NULL
         WHERE bulk_candidate.sha256 <> excluded.sha256",
        params![batch_id, file, sha256, size as i64],
    )?;
    Ok(conn.query_row(
        "SELECT id, file, sha256, size, status FROM bulk_candidate
         WHERE batch_id = ?1 AND file = ?2",
        params![batch_id, file],
        file_row,
    )?)
}

fn status_of(s: &str) -> rusqlite::Result<FileStatus> {
    FileStatus::parse(s).ok_or_else(|| crate::conversion(format!("bad file status {s:?}")))
}

fn file_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FileRow> {
    Ok(FileRow {
        id: r.get(0)?,
        file: r.get(1)?,
        sha256: r.get(2)?,
        size: r.get::<_, i64>(3)?.max(0) as u64,
        status: status_of(&r.get::<_, String>(4)?)?,
    })
}

/// The batch's files in the order they were found.
pub fn files(conn: &Connection, batch_id: &str) -> Result<Vec<FileRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, file, sha256, size, status FROM bulk_candidate WHERE batch_id = ?1
         ORDER BY id",
    )?;
    let rows = stmt.query_map([batch_id], file_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn mark_duplicate(conn: &Connection, id: i64, of: i64) -> Result<()> {
    conn.execute(
        "UPDATE bulk_candidate SET status = 'duplicate', duplicate_of = ?2, parsed_json = NULL,
            score = NULL, rank = NULL WHERE id = ?1",
        params![id, of],
    )?;
    Ok(())
}

/// A file that was read.
pub struct Parsed<'a> {
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub profile: &'a CandidateProfile,
    /// The parsed resume, JSON.
    pub parsed_json: &'a str,
}

pub fn mark_done(conn: &Connection, id: i64, p: &Parsed<'_>) -> Result<()> {
    conn.execute(
        "UPDATE bulk_candidate SET status = 'done', error_code = NULL, error_message = NULL,
            name = ?2, email = ?3, phone = ?4, profile_json = ?5, parsed_json = ?6,
            parsed_at = ?7 WHERE id = ?1",
        params![id, p.name, p.email, p.phone, json(p.profile)?, p.parsed_json, now_ms()],
    )?;
    Ok(())
}

pub fn mark_failed(conn: &Connection, id: i64, error: &ErrorBody) -> Result<()> {
    conn.execute(
        "UPDATE bulk_candidate SET status = 'failed', error_code = ?2, error_message = ?3,
            parsed_json = NULL, score = NULL, rank = NULL WHERE id = ?1",
        params![id, code_name(error.code), error.message],
    )?;
    Ok(())
}

/// Queue one file again (a duplicate whose original is gone).
pub fn requeue(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE bulk_candidate SET status = 'queued', duplicate_of = NULL WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

/// Queue the batch's failed files again; how many.
pub fn requeue_failed(conn: &Connection, batch_id: &str) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE bulk_candidate SET status = 'queued', error_code = NULL, error_message = NULL
         WHERE batch_id = ?1 AND status = 'failed'",
        [batch_id],
    )?)
}

/// When each done file was parsed (Unix ms), by candidate id: how a test tells a file was not
/// parsed again.
pub fn parsed_at(conn: &Connection, batch_id: &str) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT id, parsed_at FROM bulk_candidate
         WHERE batch_id = ?1 AND status = 'done' ORDER BY id",
    )?;
    let rows = stmt.query_map([batch_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The parsed resume (JSON) of every done file, by candidate id, read one at a time.
pub fn for_each_parsed(
    conn: &Connection,
    batch_id: &str,
    mut f: impl FnMut(i64, &str) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, parsed_json FROM bulk_candidate
         WHERE batch_id = ?1 AND status = 'done' AND parsed_json IS NOT NULL ORDER BY id",
    )?;
    let mut rows = stmt.query([batch_id])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let json: String = r.get(1)?;
        f(id, &json)?;
    }
    Ok(())
}

/// A candidate's score and ranking.
pub struct Scored<'a> {
    pub id: i64,
    pub score: u8,
    pub components: &'a [ScoreComponent],
    pub semantic: bool,
    pub knockouts: &'a [Knockout],
    /// The job's skills shown and lacking (see [`BulkCandidate::matched_skills`]).
    pub matched_skills: &'a [String],
    pub missing_skills: &'a [String],
    pub flagged: bool,
    pub same_person_as: Option<i64>,
    pub rank: u32,
}

pub fn save_score(conn: &Connection, s: &Scored<'_>) -> Result<()> {
    conn.execute(
        "UPDATE bulk_candidate SET score = ?2, components_json = ?3, semantic = ?4,
            knockouts_json = ?5, flagged = ?6, same_person_as = ?7, rank = ?8, skills_json = ?9
         WHERE id = ?1",
        params![
            s.id,
            i64::from(s.score),
            json(&s.components)?,
            s.semantic,
            json(&s.knockouts)?,
            s.flagged,
            s.same_person_as,
            i64::from(s.rank),
            json(&Skills {
                matched: s.matched_skills.to_vec(),
                missing: s.missing_skills.to_vec()
            })?
        ],
    )?;
    Ok(())
}

const CANDIDATE_COLUMNS: &str = "id, rank, file, sha256, size, status, error_code, error_message, \
     name, email, phone, profile_json, score, components_json, semantic, knockouts_json, flagged, \
     duplicate_of, same_person_as, recruiter_status, notes, skills_json";

/// `skills_json`: the job's skills a candidate shows and lacks.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Skills {
    #[serde(default)]
    matched: Vec<String>,
    #[serde(default)]
    missing: Vec<String>,
}

fn candidate_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<BulkCandidate> {
    let code: Option<String> = r.get(6)?;
    let message: Option<String> = r.get(7)?;
    let error = code.map(|c| ErrorBody {
        code: serde_json::from_value(serde_json::Value::String(c)).unwrap_or(ErrorCode::Internal),
        message: message.unwrap_or_default(),
        limit: None,
    });
    let profile: Option<String> = r.get(11)?;
    let components: Option<String> = r.get(13)?;
    let knockouts: Option<String> = r.get(15)?;
    let skills: Option<String> = r.get(21)?;
    let skills: Skills = skills.map(|s| from_json(&s, "skills")).transpose()?.unwrap_or_default();
    let score: Option<i64> = r.get(12)?;
    let score = score.map(|s| s.clamp(0, 100) as u8);
    let recruiter: String = r.get(19)?;
    Ok(BulkCandidate {
        id: r.get(0)?,
        rank: r.get::<_, Option<i64>>(1)?.map(|n| n.clamp(0, i64::from(u32::MAX)) as u32),
        file: r.get(2)?,
        sha256: r.get(3)?,
        size: r.get::<_, i64>(4)?.max(0) as u64,
        status: status_of(&r.get::<_, String>(5)?)?,
        error,
        name: r.get(8)?,
        email: r.get(9)?,
        phone: r.get(10)?,
        profile: profile
            .map(|p| from_json(&p, "candidate profile"))
            .transpose()?
            .unwrap_or_default(),
        score,
        band: score.map(FitBand::of),
        components: components
            .map(|c| from_json(&c, "score components"))
            .transpose()?
            .unwrap_or_default(),
        matched_skills: skills.matched,
        missing_skills: skills.missing,
        semantic: r.get(14)?,
        knockouts: knockouts.map(|k| from_json(&k, "knock-outs")).transpose()?.unwrap_or_default(),
        flagged: r.get(16)?,
        duplicate_of: r.get(17)?,
        duplicates: Vec::new(),
        same_person_as: r.get(18)?,
        recruiter_status: RecruiterStatus::parse(&recruiter)
            .ok_or_else(|| crate::conversion(format!("bad recruiter status {recruiter:?}")))?,
        notes: r.get(20)?,
    })
}

/// The batch's candidates: ranked ones best first, then the rest in the order found; each
/// with the paths of its duplicates.
pub fn candidates(conn: &Connection, batch_id: &str) -> Result<Vec<BulkCandidate>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {CANDIDATE_COLUMNS} FROM bulk_candidate WHERE batch_id = ?1
         ORDER BY rank IS NULL, rank, id"
    ))?;
    let mut rows: Vec<BulkCandidate> =
        stmt.query_map([batch_id], candidate_row)?.collect::<rusqlite::Result<_>>()?;
    let dups: Vec<(i64, String)> =
        rows.iter().filter_map(|c| c.duplicate_of.map(|of| (of, c.file.clone()))).collect();
    for (of, file) in dups {
        if let Some(c) = rows.iter_mut().find(|c| c.id == of) {
            c.duplicates.push(file);
        }
    }
    Ok(rows)
}

/// One candidate of a batch.
pub fn candidate(conn: &Connection, batch_id: &str, id: i64) -> Result<Option<BulkCandidate>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {CANDIDATE_COLUMNS} FROM bulk_candidate WHERE batch_id = ?1 AND id = ?2"
            ),
            params![batch_id, id],
            candidate_row,
        )
        .optional()?)
}

/// Sets the recruiter's status and/or note of a candidate; false when it is not in the batch.
pub fn set_recruiter(
    conn: &Connection,
    batch_id: &str,
    id: i64,
    status: Option<RecruiterStatus>,
    notes: Option<&str>,
) -> Result<bool> {
    let n = conn.execute(
        "UPDATE bulk_candidate SET recruiter_status = coalesce(?3, recruiter_status),
            notes = coalesce(?4, notes) WHERE batch_id = ?1 AND id = ?2",
        params![batch_id, id, status.map(RecruiterStatus::as_str), notes],
    )?;
    if n > 0 {
        conn.execute(
            "UPDATE bulk_batch SET updated_at = ?2 WHERE id = ?1",
            params![batch_id, now_ms()],
        )?;
    }
    Ok(n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    #[test]
    fn a_batch_keeps_its_files_state_across_runs() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let source = BulkSource::Folder { path: "/cvs".into() };
        let criteria = Criteria { min_years: Some(3.0), ..Criteria::default() };
        let b = NewBatch {
            id: "0190-batch",
            source: &source,
            source_key: "/cvs",
            jd_text: "Engineer",
            jd_sha256: "j1",
            jd_title: Some("Engineer"),
            criteria: &criteria,
            concurrency: 2,
        };
        let (a, c, d) = store
            .write(|tx| -> Result<_> {
                insert_batch(tx, &b)?;
                let a = upsert_file(tx, b.id, "/cvs/a.pdf", "h1", 10)?;
                let c = upsert_file(tx, b.id, "/cvs/c.pdf", "h2", 10)?;
                let d = upsert_file(tx, b.id, "/cvs/d.pdf", "h1", 10)?;
                let profile = CandidateProfile { title: Some("Dev".into()), ..Default::default() };
                let p = Parsed {
                    name: Some("Ann"),
                    email: Some("ann@x.org"),
                    phone: None,
                    profile: &profile,
                    parsed_json: "{}",
                };
                mark_done(tx, a.id, &p)?;
                mark_duplicate(tx, d.id, a.id)?;
                let e =
                    ErrorBody { code: ErrorCode::CorruptFile, message: "bad".into(), limit: None };
                mark_failed(tx, c.id, &e)?;
                save_score(
                    tx,
                    &Scored {
                        id: a.id,
                        score: 77,
                        components: &[],
                        semantic: false,
                        knockouts: &[],
                        matched_skills: &["SQL".to_string()],
                        missing_skills: &[],
                        flagged: true,
                        same_person_as: None,
                        rank: 1,
                    },
                )?;
                Ok((a, c, d))
            })
            .unwrap();
        assert_eq!(latest_for(store.conn(), "/cvs", "j1").unwrap().as_deref(), Some(b.id));
        assert_eq!(resolve(store.conn(), "0190").unwrap(), b.id);
        assert!(resolve(store.conn(), "zz").is_err());
        let batch = get_batch(store.conn(), b.id).unwrap().unwrap();
        assert_eq!(batch.criteria, criteria);
        assert_eq!(
            (batch.counts.total, batch.counts.done, batch.counts.failed, batch.counts.duplicate),
            (3, 1, 1, 1)
        );
        assert_eq!(batch.counts.flagged, 1);
        // Found again with the same bytes: state kept; with other bytes: queued again.
        let again = store.write(|tx| upsert_file(tx, b.id, "/cvs/a.pdf", "h1", 10)).unwrap();
        assert_eq!(again.status, FileStatus::Done);
        let cands = candidates(store.conn(), b.id).unwrap();
        assert_eq!(cands[0].id, a.id);
        assert_eq!(cands[0].score, Some(77));
        assert_eq!(cands[0].profile.title.as_deref(), Some("Dev"));
        assert_eq!(cands[0].matched_skills, vec!["SQL".to_string()]);
        assert_eq!(cands[0].duplicates, vec!["/cvs/d.pdf".to_string()]);
        let failed = cands.iter().find(|x| x.id == c.id).unwrap();
        assert_eq!(failed.error.as_ref().unwrap().code, ErrorCode::CorruptFile);
        assert_eq!(cands.iter().find(|x| x.id == d.id).unwrap().duplicate_of, Some(a.id));
        assert!(
            store
                .write(|tx| set_recruiter(
                    tx,
                    b.id,
                    a.id,
                    Some(RecruiterStatus::Shortlisted),
                    Some("call")
                ))
                .unwrap()
        );
        let one = candidate(store.conn(), b.id, a.id).unwrap().unwrap();
        assert_eq!(
            (one.recruiter_status, one.notes.as_str()),
            (RecruiterStatus::Shortlisted, "call")
        );
        assert!(!store.write(|tx| set_recruiter(tx, b.id, 9999, None, Some("x"))).unwrap());
        assert_eq!(store.write(|tx| requeue_failed(tx, b.id)).unwrap(), 1);
        let changed = store.write(|tx| upsert_file(tx, b.id, "/cvs/a.pdf", "h9", 11)).unwrap();
        assert_eq!(changed.status, FileStatus::Queued);
        assert_eq!(list_batches(store.conn()).unwrap().len(), 1);
    }
}
