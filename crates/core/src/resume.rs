//! Resumes and their versions: import (content-addressed, deduplicated), tags, notes, pins,
//! export, and the retention policy (the last N per family, pinned and referenced kept).

use crate::{Config, Error, Result};
use chrono::Utc;
use qoder_analysis::AnalyzeOptions;
use qoder_domain::ids::{ResumeId, VersionId};
use qoder_domain::json_resume::JsonResume;
use qoder_domain::version::{
    CleanupReport, ImportOutcome, ImportStage, RemovedVersion, ResumeFamily, ResumeVersion,
};
use qoder_store::{Connection, Store, activity, blob, resume, setting, version};
use serde_json::json;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

pub const RETENTION_SETTING: &str = "resume.retention_count";
pub const DEFAULT_RETENTION: u32 = 10;

/// Which family an imported file joins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Family {
    /// The family whose newest version has the same file name, else a new one.
    Auto,
    /// Always a new family.
    New,
    Existing(ResumeId),
}

/// How many versions per family retention keeps: the stored setting, else the configured
/// default (`RESUME_RETENTION_COUNT`, read by [`Config`], else 10).
pub fn retention_count(store: &Store, config: &Config) -> Result<u32> {
    match setting::get(store.conn(), RETENTION_SETTING)? {
        Some(v) => v.parse().map_err(|_| {
            Error::invalid(RETENTION_SETTING, format!("stored value {v:?} is not a number"))
        }),
        None => Ok(config.retention_count),
    }
}

pub fn set_retention_count(store: &mut Store, n: u32) -> Result<()> {
    if n == 0 || n > 1000 {
        return Err(Error::invalid("retention", "must be between 1 and 1000"));
    }
    store.write(|tx| {
        setting::set(tx, RETENTION_SETTING, &n.to_string())?;
        activity::log(tx, "setting", RETENTION_SETTING, "update", &json!({"value": n}))?;
        Ok(())
    })
}

/// Import a resume file: analyse it, store the original bytes under their hash, the text, the
/// parsed resume and the ATS report, as the next version of `family`; then apply retention to
/// that family (keeping as many as [`retention_count`] says under `config`). The same bytes
/// imported again return the stored version (`duplicate`).
pub fn import(
    store: &mut Store,
    bytes: &[u8],
    family: Family,
    opts: &AnalyzeOptions,
    config: &Config,
) -> Result<ImportOutcome> {
    if let Some(v) = stored_copy(store, bytes)? {
        return Ok(ImportOutcome { version: v, duplicate: true, removed: Vec::new() });
    }
    let analysis = qoder_analysis::analyze(bytes, opts)?;
    save_analysed(store, bytes, family, opts.file_name.clone(), &analysis, config)
}

/// Where the file of an [`import_file`] comes from.
pub enum ImportSource {
    /// Bytes the front end read itself (a file picker, a drop).
    Bytes(Vec<u8>),
    /// A file on this machine.
    Path(std::path::PathBuf),
}

/// The whole import, for every front end: read (size-checked) → extract → analyse → save,
/// with `progress` told each stage and the share done (0–100), and `cancel` honoured until the
/// save begins (then `Ok(None)`: nothing was saved). The store is locked only to look up and
/// to save, never while the untrusted file is parsed.
pub fn import_file(
    store: &Mutex<Store>,
    source: ImportSource,
    family: Family,
    opts: &AnalyzeOptions,
    config: &Config,
    progress: &mut dyn FnMut(ImportStage, u8),
    cancel: &AtomicBool,
) -> Result<Option<ImportOutcome>> {
    progress(ImportStage::Reading, 5);
    if let Family::Existing(id) = family {
        // Checked again when saving; failing early spares the user the wait.
        versions(&*lock(store)?, Some(id))?;
    }
    let bytes = match source {
        ImportSource::Bytes(b) => {
            check_size(b.len() as u64, opts.limits.max_bytes)?;
            b
        }
        ImportSource::Path(p) => read_file(&p, opts.limits.max_bytes)?,
    };
    if let Some(v) = stored_copy(&*lock(store)?, &bytes)? {
        return Ok(Some(ImportOutcome { version: v, duplicate: true, removed: Vec::new() }));
    }
    let analysis = qoder_analysis::analyze_staged(&bytes, opts, &mut |stage| match stage {
        qoder_analysis::Stage::Extracting => progress(ImportStage::Extracting, 25),
        qoder_analysis::Stage::Analysing => progress(ImportStage::Analysing, 70),
    })?;
    if cancel.load(Ordering::SeqCst) {
        return Ok(None);
    }
    progress(ImportStage::Saving, 90);
    let outcome = save_analysed(
        &mut *lock(store)?,
        &bytes,
        family,
        opts.file_name.clone(),
        &analysis,
        config,
    )?;
    progress(ImportStage::Saving, 100);
    Ok(Some(outcome))
}

fn lock(store: &Mutex<Store>) -> Result<std::sync::MutexGuard<'_, Store>> {
    store.lock().map_err(|_| Error::Poisoned)
}

/// Rejects a file over `max` bytes with the advice every front end gives.
pub fn check_size(size: u64, max: u64) -> Result<()> {
    if size > max { Err(Error::FileTooLarge { size, max }) } else { Ok(()) }
}

/// Reads a resume file from disk, refusing it before reading when it is over `max` bytes.
pub fn read_file(path: &std::path::Path, max: u64) -> Result<Vec<u8>> {
    let cannot = |e: std::io::Error| Error::Read { path: path.display().to_string(), source: e };
    check_size(std::fs::metadata(path).map_err(cannot)?.len(), max)?;
    std::fs::read(path).map_err(cannot)
}

/// The stored version with exactly these bytes, if any (an import of them is a no-op).
pub fn stored_copy(store: &Store, bytes: &[u8]) -> Result<Option<ResumeVersion>> {
    Ok(version::by_sha(store.conn(), &blob::sha256_hex(bytes))?)
}

/// The second half of [`import`], for callers that analysed the file themselves (outside
/// the store's lock, with progress): store the bytes and the analysis as the next version.
pub fn save_analysed(
    store: &mut Store,
    bytes: &[u8],
    family: Family,
    file_name: Option<String>,
    analysis: &qoder_analysis::Analysis,
    config: &Config,
) -> Result<ImportOutcome> {
    let sha = blob::sha256_hex(bytes);
    if let Some(v) = version::by_sha(store.conn(), &sha)? {
        return Ok(ImportOutcome { version: v, duplicate: true, removed: Vec::new() });
    }
    let retention = retention_count(store, config)?;
    let files = store.files_dir();
    blob::write_file(&files, bytes)?;
    let now = Utc::now();
    let (outcome, gone) = store.write(|tx| {
        let family_id = match &family {
            Family::Existing(id) => {
                resume::get(tx, *id)?
                    .ok_or_else(|| Error::NotFound(format!("resume {id} does not exist")))?;
                *id
            }
            Family::Auto => {
                match file_name.as_deref().and_then(|n| family_by_file_name(tx, n).transpose()) {
                    Some(id) => id?,
                    None => new_family(tx, file_name.as_deref(), now)?,
                }
            }
            Family::New => new_family(tx, file_name.as_deref(), now)?,
        };
        blob::insert(tx, &sha, bytes.len() as u64, now.timestamp_millis())?;
        let v = ResumeVersion {
            id: VersionId::new(),
            resume_id: family_id,
            seq: version::next_seq(tx, family_id)?,
            file_name: file_name.clone(),
            format: analysis.resume.document.format,
            sha256: sha.clone(),
            size: bytes.len() as u64,
            ats_score: analysis.ats.score,
            tags: Vec::new(),
            notes: String::new(),
            pinned: false,
            job_ids: Vec::new(),
            created_at: now,
        };
        version::insert(
            tx,
            &version::NewVersion {
                version: &v,
                text: &analysis.resume.text,
                parsed: &analysis.resume,
                ats: &analysis.ats,
            },
        )?;
        resume::touch(tx, family_id, now.timestamp_millis())?;
        activity::log(
            tx,
            "resume_version",
            &v.id.to_string(),
            "import",
            &json!({"resume": family_id, "seq": v.seq, "sha256": sha, "file_name": file_name}),
        )?;
        let mut report = CleanupReport { retention_count: retention, ..CleanupReport::default() };
        let gone = enforce(tx, family_id, retention, &mut report)?;
        Ok::<_, Error>((
            ImportOutcome { version: v, duplicate: false, removed: report.removed },
            gone,
        ))
    })?;
    remove_files(&files, &gone);
    Ok(outcome)
}

fn family_by_file_name(conn: &Connection, name: &str) -> Result<Option<ResumeId>> {
    for f in resume::list(conn)? {
        if let Some(v) = version::for_resume(conn, f.id)?.first()
            && v.file_name.as_deref() == Some(name)
        {
            return Ok(Some(f.id));
        }
    }
    Ok(None)
}

fn new_family(
    tx: &Connection,
    file_name: Option<&str>,
    now: chrono::DateTime<Utc>,
) -> Result<ResumeId> {
    let name = file_name
        .map(|n| n.rsplit_once('.').map_or(n, |(stem, _)| stem).to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Resume".to_string());
    let f =
        ResumeFamily { id: ResumeId::new(), name, versions: 0, created_at: now, updated_at: now };
    resume::insert(tx, &f)?;
    activity::log(tx, "resume", &f.id.to_string(), "create", &json!({"name": f.name}))?;
    Ok(f.id)
}

/// Apply retention to one family inside `tx`: keep the newest `keep`, and beyond them the
/// pinned and the ones a job references; delete the rest. Returns the file hashes no longer
/// used (to remove after the commit).
fn enforce(
    tx: &Connection,
    family: ResumeId,
    keep: u32,
    report: &mut CleanupReport,
) -> Result<Vec<String>> {
    let mut gone = Vec::new();
    for v in version::for_resume(tx, family)?.into_iter().skip(keep as usize) {
        if v.pinned {
            report.kept_pinned.push(v.id);
        } else if !v.job_ids.is_empty() {
            report.kept_referenced.push(v.id);
        } else {
            version::delete(tx, v.id)?;
            if blob::delete_if_unused(tx, &v.sha256)? {
                gone.push(v.sha256.clone());
            }
            activity::log(
                tx,
                "resume_version",
                &v.id.to_string(),
                "delete",
                &json!({"reason": "retention", "seq": v.seq}),
            )?;
            report.removed.push(RemovedVersion {
                id: v.id,
                resume_id: v.resume_id,
                seq: v.seq,
                file_name: v.file_name,
                sha256: v.sha256,
            });
        }
    }
    Ok(gone)
}

fn remove_files(files: &std::path::Path, shas: &[String]) {
    for sha in shas {
        // A file left behind is swept by the next cleanup.
        let _ = blob::remove_file(files, sha);
    }
}

/// Apply retention to every family and remove stored files nothing points to. Reports all of it.
pub fn cleanup(store: &mut Store, config: &Config) -> Result<CleanupReport> {
    let keep = retention_count(store, config)?;
    let mut report = CleanupReport { retention_count: keep, ..CleanupReport::default() };
    let gone = store.write(|tx| {
        let mut gone = Vec::new();
        for f in resume::list(tx)? {
            gone.extend(enforce(tx, f.id, keep, &mut report)?);
        }
        activity::log(
            tx,
            "resume_version",
            "*",
            "cleanup",
            &json!({"removed": report.removed.len()}),
        )?;
        Ok::<_, Error>(gone)
    })?;
    let files = store.files_dir();
    remove_files(&files, &gone);
    report.orphan_files_removed = blob::sweep_orphans(store.conn(), &files)?;
    Ok(report)
}

pub fn families(store: &Store) -> Result<Vec<ResumeFamily>> {
    Ok(resume::list(store.conn())?)
}

/// The versions of one family (newest first), or of every family.
pub fn versions(store: &Store, family: Option<ResumeId>) -> Result<Vec<ResumeVersion>> {
    match family {
        Some(id) => {
            resume::get(store.conn(), id)?
                .ok_or_else(|| Error::NotFound(format!("resume {id} does not exist")))?;
            Ok(version::for_resume(store.conn(), id)?)
        }
        None => {
            let mut all = version::all(store.conn())?;
            all.reverse();
            Ok(all)
        }
    }
}

pub fn get(store: &Store, id: VersionId) -> Result<ResumeVersion> {
    version::get(store.conn(), id)?
        .ok_or_else(|| Error::NotFound(format!("version {id} does not exist")))
}

fn check_tag(tag: &str) -> Result<String> {
    let t = tag.trim();
    if t.is_empty() || t.chars().count() > 50 || t.chars().any(char::is_control) {
        return Err(Error::invalid(
            "tag",
            format!("must be 1 to 50 printable characters (got {tag:?})"),
        ));
    }
    Ok(t.to_string())
}

/// A version with its stored analysis and its family's name.
pub fn detail(store: &Store, id: VersionId) -> Result<qoder_domain::version::VersionDetail> {
    let v = get(store, id)?;
    let (text, resume, ats) = crate::correction::analysis(store.conn(), id)?
        .ok_or_else(|| Error::NotFound(format!("version {id} does not exist")))?;
    let family_name = resume::get(store.conn(), v.resume_id)?.map(|f| f.name).unwrap_or_default();
    Ok(qoder_domain::version::VersionDetail { version: v, family_name, text, resume, ats })
}

/// Whether [`tag`] puts tags on a version or takes them off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagEdit {
    Add,
    Remove,
}

/// Add (or with `remove`, take off) tags of a version.
pub fn tag(
    store: &mut Store,
    id: VersionId,
    tags: &[String],
    edit: TagEdit,
) -> Result<ResumeVersion> {
    if tags.is_empty() {
        return Err(Error::invalid("tag", "give at least one tag"));
    }
    let tags = tags.iter().map(|t| check_tag(t)).collect::<Result<Vec<_>>>()?;
    store.write(|tx| {
        version::get(tx, id)?
            .ok_or_else(|| Error::NotFound(format!("version {id} does not exist")))?;
        for t in &tags {
            if edit == TagEdit::Remove {
                version::remove_tag(tx, id, t)?;
            } else {
                version::add_tag(tx, id, t)?;
            }
        }
        activity::log(
            tx,
            "resume_version",
            &id.to_string(),
            if edit == TagEdit::Remove { "untag" } else { "tag" },
            &json!({"tags": tags}),
        )?;
        Ok::<_, Error>(())
    })?;
    get(store, id)
}

/// Replace the notes (Markdown) of a version.
pub fn note(store: &mut Store, id: VersionId, notes: &str) -> Result<ResumeVersion> {
    if notes.chars().count() > 100_000 {
        return Err(Error::invalid("notes", "must be at most 100000 characters"));
    }
    store.write(|tx| {
        if !version::set_notes(tx, id, notes)? {
            return Err(Error::NotFound(format!("version {id} does not exist")));
        }
        activity::log(
            tx,
            "resume_version",
            &id.to_string(),
            "note",
            &json!({"chars": notes.chars().count()}),
        )?;
        Ok::<_, Error>(())
    })?;
    get(store, id)
}

pub fn pin(store: &mut Store, id: VersionId, pinned: bool) -> Result<ResumeVersion> {
    store.write(|tx| {
        if !version::set_pinned(tx, id, pinned)? {
            return Err(Error::NotFound(format!("version {id} does not exist")));
        }
        activity::log(
            tx,
            "resume_version",
            &id.to_string(),
            if pinned { "pin" } else { "unpin" },
            &json!({}),
        )?;
        Ok::<_, Error>(())
    })?;
    get(store, id)
}

pub use qoder_domain::resume::ExportFormat;

/// A version's bytes in `format`, with a file name to save them under.
pub fn export(store: &Store, id: VersionId, format: ExportFormat) -> Result<(Vec<u8>, String)> {
    let v = get(store, id)?;
    let stem = v
        .file_name
        .as_deref()
        .map(|n| n.rsplit_once('.').map_or(n, |(s, _)| s))
        .unwrap_or("resume")
        .to_string();
    match format {
        ExportFormat::Original => {
            let bytes = blob::read_file(&store.files_dir(), &v.sha256)?;
            let ext = v.format.map_or("bin", |f| f.as_str());
            Ok((bytes, v.file_name.clone().unwrap_or_else(|| format!("{stem}.{ext}"))))
        }
        ExportFormat::Text | ExportFormat::JsonResume => {
            let (text, parsed, _) = crate::correction::analysis(store.conn(), id)?
                .ok_or_else(|| Error::NotFound(format!("version {id} does not exist")))?;
            if format == ExportFormat::Text {
                Ok((text.into_bytes(), format!("{stem}.txt")))
            } else {
                let j = JsonResume::from(&parsed);
                let s = serde_json::to_string_pretty(&j)
                    .map_err(|e| Error::io("cannot write JSON", e.into()))?;
                Ok((s.into_bytes(), format!("{stem}.json")))
            }
        }
    }
}

/// Resolve a version id as typed: the full id, or a unique prefix of at least 4 characters.
pub fn resolve(store: &Store, s: &str) -> Result<VersionId> {
    crate::job::resolve_id(store.conn(), "resume_version", s)
}

pub fn resolve_family(store: &Store, s: &str) -> Result<ResumeId> {
    crate::job::resolve_id(store.conn(), "resume", s)
}
