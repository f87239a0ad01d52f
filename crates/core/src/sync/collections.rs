//! What syncs: each collection, how its entities are read from and written to the local tables.
//!
//! An entity is one row (a version also carries its tags and the user's corrections of its
//! parse; a status change is named by job, time and status since its table has no id). Original
//! resume files travel in their own collection, `files`, named by hash, so a version's record
//! stays small and a file is sent once.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qoder_store::sync::{Fields, TableSpec, delete_row, read_row, upsert_row};
use qoder_store::{StoreError, blob, correction, vendor};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use std::path::Path;

/// Collections in the order pulled records are applied, so what a row refers to arrives first.
pub const ORDER: &[&str] = &[
    "settings",
    "files",
    "resumes",
    "versions",
    "jobs",
    "status_changes",
    "interviews",
    "reminders",
];

/// Whether an entity stays on this device and never syncs: the `ai.*` settings (providers,
/// base URLs, models, spend limits, and any added later). A provider's `base_url` decides where
/// the keychain's API key and resume text are sent, so another device (or whoever holds a
/// stolen token and the data key) must not be able to set it here. The exception is
/// `ai.context.*`, the facts the user added to a version (content, not configuration: they
/// travel like the version).
pub fn local_only(collection: &str, id: &str) -> bool {
    collection == "settings" && id.starts_with("ai.") && !id.starts_with("ai.context.")
}

/// Originals larger than this stay on the device they were uploaded on (the record would not fit
/// the server's body limit); the version's text and analysis still sync.
pub const MAX_SYNCED_FILE: u64 = 2 * 1024 * 1024;

/// Fields whose losing concurrent edits are kept as conflict copies (long text people write).
pub fn keep_conflicts(collection: &str) -> &'static [&'static str] {
    match collection {
        "jobs" => &["notes", "description"],
        "versions" => &["notes"],
        "interviews" => &["notes"],
        "resumes" => &["name"],
        _ => &[],
    }
}

/// A version's field named so holds the user's correction of a parsed field
/// (`correction.name`, `correction.experience[0].title`): `{"value", "created_at"}`.
pub const CORRECTION_PREFIX: &str = "correction.";

const RESUME: TableSpec =
    TableSpec { table: "resume", key: "id", columns: &["name", "created_at", "updated_at"] };
const VERSION: TableSpec = TableSpec {
    table: "resume_version",
    key: "id",
    columns: &[
        "resume_id",
        "seq",
        "file_name",
        "format",
        "sha256",
        "size",
        "text",
        "parsed_json",
        "ats_json",
        "ats_score",
        "notes",
        "pinned",
        "created_at",
    ],
};
const JOB: TableSpec = TableSpec {
    table: "job",
    key: "id",
    columns: &[
        "title",
        "company",
        "vendor_name",
        "vendor_contact",
        "rate_amount",
        "rate_currency",
        "rate_period",
        "rate_kind",
        "rate_yearly",
        "location",
        "work_mode",
        "source_url",
        "description",
        "resume_version_id",
        "notes",
        "status",
        "applied_at",
        "created_at",
        "updated_at",
    ],
};
const INTERVIEW: TableSpec = TableSpec {
    table: "interview",
    key: "id",
    columns: &[
        "job_id",
        "starts_at",
        "duration_minutes",
        "timezone",
        "kind",
        "location",
        "link",
        "interviewers",
        "notes",
        "created_at",
    ],
};
const REMINDER: TableSpec = TableSpec {
    table: "reminder",
    key: "id",
    columns: &["job_id", "kind", "due_at", "after_days", "message", "done", "created_at"],
};
const SETTING: TableSpec = TableSpec { table: "setting", key: "key", columns: &["value"] };

fn spec(collection: &str) -> Option<&'static TableSpec> {
    Some(match collection {
        "resumes" => &RESUME,
        "versions" => &VERSION,
        "jobs" => &JOB,
        "interviews" => &INTERVIEW,
        "reminders" => &REMINDER,
        "settings" => &SETTING,
        _ => return None,
    })
}

/// Why a merged entity could not be written locally yet (it is kept and retried).
pub type Pending = String;

/// A status change's entity name: job, time and new status.
fn status_key(id: &str) -> Option<(&str, i64, &str)> {
    let mut it = id.splitn(3, '|');
    let job = it.next()?;
    let at = it.next()?.parse().ok()?;
    let to = it.next()?;
    Some((job, at, to))
}

/// The entity as it is in the local tables now; `None` when it has no row.
pub fn read(conn: &Connection, collection: &str, id: &str) -> Result<Option<Fields>, StoreError> {
    match collection {
        "versions" => {
            let Some(mut f) = read_row(conn, &VERSION, id)? else { return Ok(None) };
            let mut stmt = conn
                .prepare_cached("SELECT tag FROM version_tag WHERE version_id = ?1 ORDER BY tag")?;
            let tags: Vec<String> =
                stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            f.insert("tags".into(), Value::from(tags));
            // Each corrected field is a field of its own, so corrections of different fields
            // made on two devices at once both survive the merge.
            let mut stmt = conn.prepare_cached(
                "SELECT field, value, created_at FROM version_correction WHERE version_id = ?1",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
            })?;
            for row in rows {
                let (field, value, at) = row?;
                f.insert(
                    format!("{CORRECTION_PREFIX}{field}"),
                    serde_json::json!({"value": value, "created_at": at}),
                );
            }
            Ok(Some(f))
        }
        "status_changes" => {
            let Some((job, at, to)) = status_key(id) else { return Ok(None) };
            Ok(conn
                .query_row(
                    "SELECT from_status, note FROM status_change
                      WHERE job_id = ?1 AND at = ?2 AND to_status = ?3 LIMIT 1",
                    params![job, at, to],
                    |r| {
                        Ok(Fields::from([
                            ("job_id".to_string(), Value::from(job)),
                            ("at".to_string(), Value::from(at)),
                            ("to_status".to_string(), Value::from(to)),
                            (
                                "from_status".to_string(),
                                Value::from(r.get::<_, Option<String>>(0)?),
                            ),
                            ("note".to_string(), Value::from(r.get::<_, Option<String>>(1)?)),
                        ]))
                    },
                )
                .optional()?)
        }
        // Files are sent once with the version that brought them; never compared.
        "files" => Ok(None),
        other => match spec(other) {
            Some(s) => read_row(conn, s, id),
            None => Ok(None),
        },
    }
}

/// The original file of a new version, to send along: `(sha256, bytes)` when it is stored here
/// and small enough.
pub fn file_of_version(
    conn: &Connection,
    files_dir: &Path,
    fields: &Fields,
) -> Result<Option<(String, Vec<u8>)>, StoreError> {
    let Some(sha) = fields.get("sha256").and_then(Value::as_str) else { return Ok(None) };
    let size: Option<i64> = conn
        .query_row("SELECT size FROM blob WHERE sha256 = ?1", [sha], |r| r.get(0))
        .optional()?;
    match size {
        Some(n) if u64::try_from(n).is_ok_and(|n| n <= MAX_SYNCED_FILE) => {
            match blob::read_file(files_dir, sha) {
                Ok(bytes) => Ok(Some((sha.to_string(), bytes))),
                // A missing or damaged original is not a reason to stop syncing the rest.
                Err(_) => Ok(None),
            }
        }
        _ => Ok(None),
    }
}

fn str_field<'a>(f: &'a Fields, name: &str) -> Option<&'a str> {
    f.get(name).and_then(Value::as_str)
}

fn exists(conn: &Connection, sql: &str, id: &str) -> Result<bool, StoreError> {
    Ok(conn.query_row(sql, [id], |_| Ok(())).optional()?.is_some())
}

/// Writes the merged live fields of an entity into the local tables. `Ok(Err(reason))` when it
/// cannot be written yet (what it refers to has not arrived), to be retried later.
pub fn write(
    conn: &Connection,
    files_dir: &Path,
    collection: &str,
    id: &str,
    fields: &Fields,
) -> Result<Result<(), Pending>, StoreError> {
    if local_only(collection, id) {
        tracing::warn!("sync: a received {collection} record for {id} was ignored (local only)");
        return Ok(Ok(()));
    }
    match collection {
        "files" => {
            let Some(data) = str_field(fields, "data") else { return Ok(Ok(())) };
            let Ok(bytes) = STANDARD.decode(data) else {
                return Ok(Err(format!("file {id} is not valid base64")));
            };
            if blob::sha256_hex(&bytes) != id {
                return Ok(Err(format!("file {id} does not match its hash")));
            }
            blob::write_file(files_dir, &bytes)?;
            blob::insert(conn, id, bytes.len() as u64, qoder_store::now_ms())?;
            Ok(Ok(()))
        }
        "versions" => write_version(conn, id, fields),
        "jobs" => {
            let mut f = fields.clone();
            if let Some(v) = str_field(&f, "resume_version_id")
                && !exists(conn, "SELECT 1 FROM resume_version WHERE id = ?1", v)?
            {
                // The version it was sent with is gone (or not here yet): keep the job.
                f.insert("resume_version_id".into(), Value::Null);
            }
            if !f.contains_key("title") || !f.contains_key("status") {
                return Ok(Err("the job's title and status have not arrived".into()));
            }
            if let Some(v) = str_field(&f, "vendor_name") {
                vendor::ensure(conn, v)?;
            }
            upsert_row(conn, &JOB, id, &f)?;
            Ok(Ok(()))
        }
        "status_changes" => {
            let Some((job, at, to)) = status_key(id) else {
                return Ok(Err(format!("bad status change name {id}")));
            };
            if !exists(conn, "SELECT 1 FROM job WHERE id = ?1", job)? {
                return Ok(Err("its job is not here".into()));
            }
            if read(conn, collection, id)?.is_none() {
                conn.execute(
                    "INSERT INTO status_change(job_id, from_status, to_status, at, note)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        job,
                        str_field(fields, "from_status"),
                        to,
                        at,
                        str_field(fields, "note")
                    ],
                )?;
            }
            Ok(Ok(()))
        }
        "interviews" | "reminders" => {
            if let Some(job) = str_field(fields, "job_id")
                && !exists(conn, "SELECT 1 FROM job WHERE id = ?1", job)?
            {
                return Ok(Err("its job is not here".into()));
            }
            let s = spec(collection).ok_or_else(|| StoreError::Corrupt(collection.into()))?;
            match upsert_row(conn, s, id, fields) {
                Ok(()) => Ok(Ok(())),
                Err(StoreError::Sqlite(e)) if is_constraint(&e) => Ok(Err(e.to_string())),
                Err(e) => Err(e),
            }
        }
        "resumes" | "settings" => {
            let s = spec(collection).ok_or_else(|| StoreError::Corrupt(collection.into()))?;
            match upsert_row(conn, s, id, fields) {
                Ok(()) => Ok(Ok(())),
                Err(StoreError::Sqlite(e)) if is_constraint(&e) => Ok(Err(e.to_string())),
                Err(e) => Err(e),
            }
        }
        other => Ok(Err(format!("unknown collection {other}"))),
    }
}

fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::ConstraintViolation))
}

fn write_version(
    conn: &Connection,
    id: &str,
    fields: &Fields,
) -> Result<Result<(), Pending>, StoreError> {
    let Some(resume) = str_field(fields, "resume_id") else {
        return Ok(Err("the version's resume has not arrived".into()));
    };
    if !exists(conn, "SELECT 1 FROM resume WHERE id = ?1", resume)? {
        return Ok(Err("its resume is not here".into()));
    }
    let Some(sha) = str_field(fields, "sha256") else {
        return Ok(Err("the version's file hash has not arrived".into()));
    };
    let other: Option<String> = conn
        .query_row(
            "SELECT id FROM resume_version WHERE sha256 = ?1 AND id <> ?2",
            params![sha, id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(other) = other {
        return Ok(Err(format!("the same file is already stored here as version {other}")));
    }
    // The file's row; the bytes come in the `files` collection (or stayed on a device when
    // larger than MAX_SYNCED_FILE).
    let size = fields.get("size").and_then(Value::as_u64).unwrap_or(0);
    blob::insert(conn, sha, size, qoder_store::now_ms())?;
    let mut f = fields.clone();
    // Two devices that added a version to the same resume at once give both the same number:
    // the later one here takes the next free number (numbers are labels; ids name versions).
    if let Some(seq) = f.get("seq").and_then(Value::as_i64) {
        let taken = conn
            .query_row(
                "SELECT 1 FROM resume_version WHERE resume_id = ?1 AND seq = ?2 AND id <> ?3",
                params![resume, seq, id],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if taken {
            let next: i64 = conn.query_row(
                "SELECT coalesce(max(seq), 0) + 1 FROM resume_version WHERE resume_id = ?1",
                [resume],
                |r| r.get(0),
            )?;
            f.insert("seq".into(), Value::from(next));
        }
    }
    for required in ["seq", "text", "parsed_json", "ats_json", "ats_score", "created_at"] {
        if !f.contains_key(required) {
            return Ok(Err(format!("the version's {required} has not arrived")));
        }
    }
    upsert_row(conn, &VERSION, id, &f)?;
    for (key, c) in &f {
        let Some(field) = key.strip_prefix(CORRECTION_PREFIX) else { continue };
        let (Some(value), Some(at)) =
            (c.get("value").and_then(Value::as_str), c.get("created_at").and_then(Value::as_i64))
        else {
            continue;
        };
        correction::set_raw(conn, id, field, value, at)?;
    }
    if let Some(tags) = f.get("tags").and_then(Value::as_array) {
        conn.execute("DELETE FROM version_tag WHERE version_id = ?1", [id])?;
        for t in tags.iter().filter_map(Value::as_str) {
            conn.execute(
                "INSERT OR IGNORE INTO version_tag(version_id, tag) VALUES (?1, ?2)",
                params![id, t],
            )?;
        }
    }
    Ok(Ok(()))
}

/// Removes a deleted entity from the local tables (what refers to it follows the schema's rules;
/// a job keeps its place when the version it was sent with goes).
pub fn remove(
    conn: &Connection,
    files_dir: &Path,
    collection: &str,
    id: &str,
) -> Result<(), StoreError> {
    if local_only(collection, id) {
        return Ok(());
    }
    match collection {
        "files" => Ok(()),
        "versions" => {
            let sha: Option<String> = conn
                .query_row("SELECT sha256 FROM resume_version WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            conn.execute(
                "UPDATE job SET resume_version_id = NULL WHERE resume_version_id = ?1",
                [id],
            )?;
            delete_row(conn, &VERSION, id)?;
            if let Some(sha) = sha
                && blob::delete_if_unused(conn, &sha)?
            {
                blob::remove_file(files_dir, &sha)?;
            }
            Ok(())
        }
        "resumes" => {
            let shas: Vec<String> = {
                let mut stmt =
                    conn.prepare("SELECT sha256 FROM resume_version WHERE resume_id = ?1")?;
                stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
            };
            conn.execute(
                "UPDATE job SET resume_version_id = NULL WHERE resume_version_id IN
                    (SELECT id FROM resume_version WHERE resume_id = ?1)",
                [id],
            )?;
            delete_row(conn, &RESUME, id)?;
            for sha in shas {
                if blob::delete_if_unused(conn, &sha)? {
                    blob::remove_file(files_dir, &sha)?;
                }
            }
            Ok(())
        }
        "status_changes" => {
            if let Some((job, at, to)) = status_key(id) {
                conn.execute(
                    "DELETE FROM status_change WHERE job_id = ?1 AND at = ?2 AND to_status = ?3",
                    params![job, at, to],
                )?;
            }
            Ok(())
        }
        other => {
            if let Some(s) = spec(other) {
                delete_row(conn, s, id)?;
            }
            Ok(())
        }
    }
}

/// The entities sync knows that belong to this row: a job's status changes, interviews and
/// reminders; a resume's versions.
pub fn children(
    conn: &Connection,
    collection: &str,
    id: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    let queries: &[(&str, &str)] = match collection {
        "jobs" => &[
            ("status_changes", "entity >= ?1 || '|' AND entity < ?1 || '}'"),
            ("interviews", "json_extract(state, '$.fields.job_id[1]') = ?1"),
            ("reminders", "json_extract(state, '$.fields.job_id[1]') = ?1"),
        ],
        "resumes" => &[("versions", "json_extract(state, '$.fields.resume_id[1]') = ?1")],
        _ => &[],
    };
    let mut out = Vec::new();
    for (child, cond) in queries {
        let sql = format!("SELECT entity FROM sync_entity WHERE collection = ?2 AND {cond}");
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![id, child], |r| r.get::<_, String>(0))?;
        for r in rows {
            out.push(((*child).to_string(), r?));
        }
    }
    Ok(out)
}

/// The row an entity belongs to, from its fields: `(collection, id)`.
pub fn parent(collection: &str, fields: &Fields) -> Option<(&'static str, String)> {
    let (parent, field) = match collection {
        "status_changes" | "interviews" | "reminders" => ("jobs", "job_id"),
        "versions" => ("resumes", "resume_id"),
        _ => return None,
    };
    str_field(fields, field).map(|id| (parent, id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resume::Family;
    use qoder_analysis::AnalyzeOptions;
    use qoder_store::Store;

    #[test]
    fn ai_settings_never_come_from_another_device() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let conn = s.conn();
        conn.execute("INSERT INTO setting (key, value) VALUES ('ai.providers', '[]')", []).unwrap();
        let evil: Fields = [(
            "value".to_string(),
            serde_json::json!(
                r#"[{"name":"anthropic","kind":"openai-compatible","base_url":"https://x"}]"#
            ),
        )]
        .into_iter()
        .collect();
        assert!(write(conn, dir.path(), "settings", "ai.providers", &evil).unwrap().is_ok());
        remove(conn, dir.path(), "settings", "ai.providers").unwrap();
        let value: String = conn
            .query_row("SELECT value FROM setting WHERE key = 'ai.providers'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(value, "[]", "the local providers stay as they were");
        assert!(local_only("settings", "ai.daily_limit") && !local_only("settings", "theme"));
        assert!(!local_only("settings", "ai.context.0190abcd"), "a version's facts still sync");
        assert!(!local_only("jobs", "ai.x"));
    }

    fn stored(dir: &Path) -> (Store, String, String) {
        let mut s = Store::open(dir).unwrap();
        let opts = AnalyzeOptions {
            file_name: Some("ana.txt".into()),
            today: (2026, 11),
            ..AnalyzeOptions::default()
        };
        let bytes = b"Ana Souza\nana@example.com | +351 912 345 678\n\nEXPERIENCE\nPlumbing Wizardry, Acme, 2019 - Present\n- Fixed leaks\n";
        let v = crate::resume::import(&mut s, bytes, Family::New, &opts, &Default::default())
            .unwrap()
            .version;
        (s, v.id.to_string(), v.resume_id.to_string())
    }

    #[test]
    fn a_versions_corrections_travel_with_it_field_by_field() {
        let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (mut a, id, family) = stored(da.path());
        let vid = id.parse().unwrap();
        crate::correction::correct_field(&mut a, vid, "name", "Ana M. Souza").unwrap();
        crate::correction::correct_field(&mut a, vid, "experience[0].title", "Plumber").unwrap();
        let fields = read(a.conn(), "versions", &id).unwrap().unwrap();
        assert_eq!(fields["correction.name"]["value"], "Ana M. Souza");
        assert_eq!(fields["correction.experience[0].title"]["value"], "Plumber");

        // The other device gets the resume, then the version with its corrections.
        let b = Store::open(db.path()).unwrap();
        let resume = read(a.conn(), "resumes", &family).unwrap().unwrap();
        write(b.conn(), &b.files_dir(), "resumes", &family, &resume).unwrap().unwrap();
        write(b.conn(), &b.files_dir(), "versions", &id, &fields).unwrap().unwrap();
        let (_, parsed, _) = crate::correction::analysis(b.conn(), vid).unwrap().unwrap();
        assert_eq!(parsed.contact.name.as_deref(), Some("Ana M. Souza"));
        assert_eq!(parsed.experience[0].title.as_deref(), Some("Plumber"));
        assert_eq!(read(b.conn(), "versions", &id).unwrap().unwrap(), fields);
    }
}
