//! Bulk screening: hundreds of resumes ranked against one job description, for recruiters.
//!
//! [`run`] is the use case every front end calls. In stages:
//! 1. **Collecting**: the files under a folder (recursively), in a zip (entry count, sizes and
//!    compression ratio checked as the DOCX reader checks its archives) or given one by one;
//!    each is hashed, recorded in the batch, and a file with the same bytes as an earlier one
//!    is a duplicate (not parsed again).
//! 2. **Parsing**: each queued file in the isolated parse worker (`AnalyzeOptions::worker`),
//!    `concurrency` at a time on plain threads; each result is saved as it comes (in small
//!    transactions), so a run after a crash, a kill or a cancel parses only what is left.
//! 3. **Scoring**: the job-fit score of [`qoder_analysis::matching`] for every parsed resume,
//!    keyword-only (milliseconds each), with the knock-out criteria and same-person marks.
//! 4. **Semantic**: with an embedding model, the `semantic_top` best plausible candidates are
//!    scored again with embeddings (the same report with related skills and responsibility
//!    similarity). Everyone else keeps the keyword score; `semantic` says which is which.
//! 5. **Ranking**: by score, saved.
//!
//! Knock-out criteria flag a candidate; they never change a score, a rank or hide anyone; a
//! criterion the resume does not let us judge is `insufficient_data`.

use crate::matching::{Embeddings, MatchError, jd_hash, match_parsed};
use crate::{Error, Store, StoreError};
use qoder_analysis::AnalyzeOptions;
use qoder_analysis::jd::parse_jd;
use qoder_analysis::matching::{FUNCTION_MISMATCH_CAP, MatchOptions, ResumeFacts, match_report};
use qoder_analysis::skills::Taxonomy;
use qoder_domain::bulk::{
    BatchState, BatchView, BulkCandidate, BulkEvent, BulkOutcome, BulkSource, BulkStage,
    CandidateProfile, Criteria, DegreeSummary, FileStatus, Knockout, KnockoutKind, KnockoutResult,
    RecruiterStatus, StageTiming,
};
use qoder_domain::matching::{ComponentKind, JobDescription, ScoreComponent};
use qoder_domain::{CodedError, ErrorBody, ErrorCode, ParsedResume, SectionKind};
use qoder_embed::Embedder;
use qoder_store::{Cache, bulk as db};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::Instant;

/// Most files one batch takes.
pub const MAX_FILES: usize = 20_000;
/// Most entries of a zip given as input.
pub const MAX_ZIP_ENTRIES: usize = 20_000;
/// Most bytes a zip given as input may expand to, all entries together.
pub const MAX_ZIP_UNCOMPRESSED: u64 = 4 * 1024 * 1024 * 1024;
/// A zip entry expanding more than this many times its packed size is refused (as in DOCX).
pub const MAX_ZIP_RATIO: u64 = 200;
/// Entries below this size are not held to the ratio (text compresses well).
const RATIO_EXEMPT_BYTES: u64 = 256 * 1024;
/// Default number of plausible candidates re-scored with embeddings.
pub const DEFAULT_SEMANTIC_TOP: usize = 40;
/// Most parse results saved in one transaction.
const FLUSH_EVERY: usize = 64;
/// The file extensions taken from a folder or a zip.
const EXTENSIONS: [&str; 3] = ["pdf", "docx", "txt"];

#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    #[error(transparent)]
    Core(#[from] Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Match(#[from] MatchError),
    #[error("no resumes found in {0}: screening reads PDF, DOCX and TXT files")]
    NoFiles(String),
    #[error("{path}: {detail}")]
    Zip { path: String, detail: String, code: ErrorCode },
    #[error("cannot write the export: {0}")]
    Export(String),
}

impl CodedError for BulkError {
    fn code(&self) -> ErrorCode {
        match self {
            BulkError::Core(e) => e.code(),
            BulkError::Store(e) => e.code(),
            BulkError::Match(e) => e.code(),
            BulkError::NoFiles(_) => ErrorCode::Validation,
            BulkError::Zip { code, .. } => *code,
            BulkError::Export(_) => ErrorCode::Internal,
        }
    }
}

pub type Result<T, E = BulkError> = std::result::Result<T, E>;

/// Which batch a run works on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BatchChoice {
    /// The newest batch of the same input and job description when there is one (a run after
    /// a kill, a cancel or with new files added picks up there), else a new one.
    Continue,
    /// Always a new batch.
    New,
}

/// What to screen, against what.
#[derive(Clone, Debug)]
pub struct BulkRequest {
    pub source: BulkSource,
    pub jd_text: String,
    pub criteria: Criteria,
    /// Files parsed at once; 0 means the number of cores.
    pub concurrency: usize,
    /// How many plausible candidates are re-scored with embeddings (0: none).
    pub semantic_top: usize,
    /// Limits, today and the parse worker; the file name is set per file.
    pub analyze: AnalyzeOptions,
    pub batch: BatchChoice,
}

/// What a list of paths the user picked is: one folder, one `.zip`, or files.
pub fn source_of(inputs: &[PathBuf]) -> Result<BulkSource> {
    let text = |p: &Path| p.to_string_lossy().into_owned();
    if inputs.is_empty() {
        return Err(Error::invalid("inputs", "give a folder, a .zip or resume files").into());
    }
    if let [one] = inputs {
        if one.is_dir() {
            return Ok(BulkSource::Folder { path: text(one) });
        }
        if one.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) {
            return Ok(BulkSource::Zip { path: text(one) });
        }
    }
    if let Some(d) = inputs.iter().find(|p| p.is_dir()) {
        let rule =
            format!("{} is a folder: give one folder (or one .zip), or files only", d.display());
        return Err(Error::invalid("inputs", rule).into());
    }
    Ok(BulkSource::Files { paths: inputs.iter().map(|p| text(p)).collect() })
}

/// The default concurrency: the number of cores.
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
}

fn lock(store: &Mutex<Store>) -> Result<std::sync::MutexGuard<'_, Store>> {
    store.lock().map_err(|_| BulkError::Core(Error::Poisoned))
}

fn sha_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

// ---------------------------------------------------------------------------------------------
// Collecting

/// Where a file's bytes are.
#[derive(Clone, Debug)]
enum Locator {
    Path(PathBuf),
    ZipEntry { archive: PathBuf, index: usize },
}

/// A file found under the input, with the path shown for it.
#[derive(Clone, Debug)]
struct Found {
    label: String,
    locator: Locator,
    /// Known before reading: refused without reading (too large, a zip bomb, encrypted).
    refused: Option<ErrorBody>,
}

fn canonical(p: &str) -> Result<PathBuf> {
    std::fs::canonicalize(p)
        .map_err(|e| BulkError::Core(Error::Read { path: p.to_string(), source: e }))
}

/// The source with absolute paths, and the key a later run of the same input finds it by.
fn canonical_source(source: &BulkSource) -> Result<(BulkSource, String)> {
    let text = |p: PathBuf| p.to_string_lossy().into_owned();
    Ok(match source {
        BulkSource::Folder { path } => {
            let p = text(canonical(path)?);
            (BulkSource::Folder { path: p.clone() }, format!("folder:{p}"))
        }
        BulkSource::Zip { path } => {
            let p = text(canonical(path)?);
            (BulkSource::Zip { path: p.clone() }, format!("zip:{p}"))
        }
        BulkSource::Files { paths } => {
            let mut ps =
                paths.iter().map(|p| canonical(p).map(text)).collect::<Result<Vec<_>>>()?;
            ps.dedup();
            let mut key = ps.clone();
            key.sort();
            (
                BulkSource::Files { paths: ps },
                format!("files:{}", sha_hex(key.join("\n").as_bytes())),
            )
        }
    })
}

fn wanted(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    EXTENSIONS.iter().any(|e| lower.ends_with(&format!(".{e}")))
}

fn hidden(name: &str) -> bool {
    name.starts_with('.') || name.starts_with("~$") || name == "__MACOSX"
}

fn walk(dir: &Path, found: &mut Vec<Found>, skipped: &mut Vec<String>, depth: usize) -> Result<()> {
    if depth > 64 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| BulkError::Core(Error::Read { path: dir.display().to_string(), source: e }))?;
    let mut paths: Vec<(PathBuf, std::fs::FileType)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_type().ok().map(|t| (e.path(), t)))
        .collect();
    // A folder's own files first, then its sub-folders: the original before its copies.
    paths.sort_by(|a, b| (a.1.is_dir(), &a.0).cmp(&(b.1.is_dir(), &b.0)));
    for (p, t) in paths {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if hidden(&name) {
            continue;
        }
        // Symbolic links are not followed: no loops, nothing outside the folder.
        if t.is_dir() {
            walk(&p, found, skipped, depth + 1)?;
        } else if t.is_file() {
            if wanted(&name) {
                if found.len() >= MAX_FILES {
                    return Err(BulkError::Core(Error::invalid(
                        "input",
                        format!("more than {MAX_FILES} resumes; split the folder into batches"),
                    )));
                }
                found.push(Found {
                    label: p.to_string_lossy().into_owned(),
                    locator: Locator::Path(p),
                    refused: None,
                });
            } else {
                skipped.push(p.to_string_lossy().into_owned());
            }
        }
    }
    Ok(())
}

fn zip_error(path: &Path, code: ErrorCode, detail: impl Into<String>) -> BulkError {
    BulkError::Zip { path: path.display().to_string(), detail: detail.into(), code }
}

/// The entries of a zip, checked before anything is inflated: entry count, total declared
/// size and each entry's compression ratio (an entry over the ratio or the file size limit is
/// listed as failed, with its reason, and never inflated).
fn zip_entries(path: &Path, max_bytes: u64, skipped: &mut Vec<String>) -> Result<Vec<Found>> {
    let file = std::fs::File::open(path).map_err(|e| {
        BulkError::Core(Error::Read { path: path.display().to_string(), source: e })
    })?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| {
        zip_error(path, ErrorCode::CorruptFile, format!("not a readable zip archive ({e})"))
    })?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(zip_error(
            path,
            ErrorCode::ResourceLimit,
            format!("the archive holds {} entries; the limit is {MAX_ZIP_ENTRIES}", zip.len()),
        ));
    }
    let mut declared: u64 = 0;
    let mut found = Vec::new();
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| {
            zip_error(path, ErrorCode::CorruptFile, format!("bad zip entry {i}: {e}"))
        })?;
        if f.is_dir() {
            continue;
        }
        let name = f.name().to_string();
        let label = format!("{}!/{name}", path.display());
        let base = name.rsplit('/').next().unwrap_or(&name);
        if name.split('/').any(hidden) || !wanted(base) {
            skipped.push(label);
            continue;
        }
        let size = f.size();
        let packed = f.compressed_size().max(1);
        declared = declared.saturating_add(size);
        let refused = if f.encrypted() {
            Some(ErrorBody::new(
                ErrorCode::EncryptedPdf,
                "the zip entry is password-protected; add the file without a password",
            ))
        } else if size > max_bytes {
            Some(Error::FileTooLarge { size, max: max_bytes }.body())
        } else if size > RATIO_EXEMPT_BYTES && size / packed > MAX_ZIP_RATIO {
            Some(ErrorBody::new(
                ErrorCode::ResourceLimit,
                format!(
                    "the entry expands {}x ({size} bytes from {packed}); the limit is {MAX_ZIP_RATIO}x (a zip bomb?)",
                    size / packed
                ),
            ))
        } else {
            None
        };
        found.push(Found {
            label,
            locator: Locator::ZipEntry { archive: path.to_path_buf(), index: i },
            refused,
        });
        if found.len() > MAX_FILES {
            return Err(zip_error(
                path,
                ErrorCode::ResourceLimit,
                format!("more than {MAX_FILES} resumes; split the archive into batches"),
            ));
        }
    }
    if declared > MAX_ZIP_UNCOMPRESSED {
        return Err(zip_error(
            path,
            ErrorCode::ResourceLimit,
            format!("the archive expands to {declared} bytes; the limit is {MAX_ZIP_UNCOMPRESSED}"),
        ));
    }
    Ok(found)
}

fn collect(source: &BulkSource, max_bytes: u64) -> Result<(Vec<Found>, Vec<String>)> {
    let mut skipped = Vec::new();
    let found = match source {
        BulkSource::Folder { path } => {
            let mut found = Vec::new();
            walk(Path::new(path), &mut found, &mut skipped, 0)?;
            found
        }
        BulkSource::Zip { path } => zip_entries(Path::new(path), max_bytes, &mut skipped)?,
        BulkSource::Files { paths } => {
            if paths.len() > MAX_FILES {
                return Err(BulkError::Core(Error::invalid(
                    "input",
                    format!("more than {MAX_FILES} resumes; split them into batches"),
                )));
            }
            paths
                .iter()
                .map(|p| Found {
                    label: p.clone(),
                    locator: Locator::Path(p.into()),
                    refused: None,
                })
                .collect()
        }
    };
    Ok((found, skipped))
}

/// Reads files for one thread; a zip archive is opened once per thread.
#[derive(Default)]
struct Reader {
    zip: Option<(PathBuf, zip::ZipArchive<std::io::BufReader<std::fs::File>>)>,
}

impl Reader {
    fn read(&mut self, f: &Found, max_bytes: u64) -> std::result::Result<Vec<u8>, ErrorBody> {
        if let Some(e) = &f.refused {
            return Err(e.clone());
        }
        match &f.locator {
            Locator::Path(p) => crate::resume::read_file(p, max_bytes).map_err(|e| e.body()),
            Locator::ZipEntry { archive, index } => {
                let reopen = !matches!(&self.zip, Some((p, _)) if p == archive);
                if reopen {
                    let file = std::fs::File::open(archive).map_err(|e| {
                        Error::Read { path: archive.display().to_string(), source: e }.body()
                    })?;
                    let z = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| {
                        ErrorBody::new(ErrorCode::CorruptFile, format!("unreadable zip: {e}"))
                    })?;
                    self.zip = Some((archive.clone(), z));
                }
                let (_, z) = self.zip.as_mut().expect("opened above");
                let entry = z.by_index(*index).map_err(|e| {
                    ErrorBody::new(
                        ErrorCode::CorruptFile,
                        format!("cannot open the zip entry: {e}"),
                    )
                })?;
                // Declared sizes can lie: read at most one byte past the limit.
                let mut buf = Vec::new();
                entry.take(max_bytes.saturating_add(1)).read_to_end(&mut buf).map_err(|e| {
                    ErrorBody::new(
                        ErrorCode::CorruptFile,
                        format!("cannot inflate the zip entry: {e}"),
                    )
                })?;
                if buf.len() as u64 > max_bytes {
                    return Err(
                        Error::FileTooLarge { size: buf.len() as u64, max: max_bytes }.body()
                    );
                }
                Ok(buf)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What screening keeps of a parsed resume

/// Location, latest title, years and degrees of a parsed resume.
pub fn profile(resume: &ParsedResume, today: (i32, u8)) -> CandidateProfile {
    CandidateProfile {
        location: resume.contact.location.clone(),
        title: resume.experience.iter().find_map(|e| e.title.clone()),
        years: qoder_analysis::matching::experience_years(resume, today),
        education: resume
            .education
            .iter()
            .map(|e| DegreeSummary {
                degree: e.degree.clone(),
                field: e.field.clone(),
                school: e.institution.clone(),
                year: e.end.or(e.start).map(|d| d.year),
            })
            .collect(),
    }
}

/// Words of a phrase as matched in text: lowercase, whitespace collapsed.
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The first line holding `phrase` as whole words (case-insensitive).
fn line_with<'a>(lines: impl IntoIterator<Item = &'a str>, phrase: &str) -> Option<String> {
    let p = norm(phrase);
    if p.is_empty() {
        return None;
    }
    lines.into_iter().find_map(|line| {
        let l = norm(line);
        let mut from = 0;
        while let Some(i) = l[from..].find(&p) {
            let at = from + i;
            let before = l[..at].chars().next_back();
            let after = l[at + p.len()..].chars().next();
            let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
            if edge(before) && edge(after) {
                return Some(line.trim().to_string());
            }
            from = at + p.len().max(1);
            while !l.is_char_boundary(from) {
                from += 1;
            }
        }
        None
    })
}

fn text_lines(resume: &ParsedResume) -> impl Iterator<Item = &str> {
    resume.text.lines()
}

/// The recruiter's knock-out criteria judged on one resume.
pub fn knockouts(resume: &ParsedResume, facts: &ResumeFacts, criteria: &Criteria) -> Vec<Knockout> {
    let tax = Taxonomy::builtin();
    let has_section = |k: SectionKind| resume.sections.iter().any(|s| s.kind == k);
    // A resume with neither a skills list nor experience lines says nothing about skills.
    let skills_readable = has_section(SectionKind::Skills) || !facts.bullets.is_empty();
    let mut out = Vec::new();
    for name in &criteria.must_have {
        let by_taxonomy = tax.lookup(name).and_then(|idx| {
            facts
                .skills
                .iter()
                .find(|s| s.skill == idx || tax.get(s.skill).implies.contains(&idx))
                .map(|s| {
                    s.evidence
                        .iter()
                        .find(|e| !e.line.is_empty())
                        .map(|e| e.line.clone())
                        .unwrap_or_else(|| s.name.clone())
                })
        });
        let evidence = by_taxonomy.or_else(|| line_with(text_lines(resume), name));
        let result = match (&evidence, skills_readable) {
            (Some(_), _) => KnockoutResult::Met,
            (None, true) => KnockoutResult::NotMet,
            (None, false) => KnockoutResult::InsufficientData,
        };
        out.push(Knockout {
            kind: KnockoutKind::MustHaveSkill,
            criterion: name.clone(),
            result,
            evidence,
        });
    }
    if let Some(min) = criteria.min_years {
        let (result, evidence) = match facts.years {
            None => (KnockoutResult::InsufficientData, None),
            Some(y) => (
                if y + 0.05 >= min { KnockoutResult::Met } else { KnockoutResult::NotMet },
                Some(format!("{y:.1} years of dated experience")),
            ),
        };
        out.push(Knockout {
            kind: KnockoutKind::MinYears,
            criterion: format!("at least {min} years"),
            result,
            evidence,
        });
    }
    for cert in &criteria.certificates {
        let evidence = line_with(text_lines(resume), cert);
        let result = match &evidence {
            Some(_) => KnockoutResult::Met,
            // Certifications are listed and this one is not among them.
            None if has_section(SectionKind::Certifications) => KnockoutResult::NotMet,
            None => KnockoutResult::InsufficientData,
        };
        out.push(Knockout {
            kind: KnockoutKind::Certificate,
            criterion: cert.clone(),
            result,
            evidence,
        });
    }
    for statement in &criteria.statements {
        // Resumes rarely state work authorisation: not written is not "no".
        let evidence = line_with(text_lines(resume), statement);
        let result =
            if evidence.is_some() { KnockoutResult::Met } else { KnockoutResult::InsufficientData };
        out.push(Knockout {
            kind: KnockoutKind::Statement,
            criterion: statement.clone(),
            result,
            evidence,
        });
    }
    out
}

/// An email or phone as compared for "same person".
fn person_keys(email: Option<&str>, phone: Option<&str>) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(e) = email.map(|e| e.trim().to_lowercase()).filter(|e| e.contains('@')) {
        keys.push(format!("e:{e}"));
    }
    if let Some(p) = phone {
        let digits: String = p.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 7 {
            // The last nine digits: the same number with or without the country code.
            keys.push(format!("p:{}", &digits[digits.len().saturating_sub(9)..]));
        }
    }
    keys
}

// ---------------------------------------------------------------------------------------------
// The run

/// One parsed file, sent from a parse thread.
struct ParseResult {
    id: i64,
    label: String,
    outcome: std::result::Result<Box<qoder_analysis::Analysis>, ErrorBody>,
}

/// What is saved of a parsed file.
struct Kept {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    profile: CandidateProfile,
    json: String,
}

/// A parsed file's row, ready to save.
struct ToSave {
    id: i64,
    outcome: std::result::Result<Kept, ErrorBody>,
}

fn flush(store: &Mutex<Store>, pending: &mut Vec<ToSave>) -> Result<()> {
    if pending.is_empty() {
        return Ok(());
    }
    let mut s = lock(store)?;
    s.write(|tx| -> Result<()> {
        for p in pending.iter() {
            match &p.outcome {
                Ok(r) => db::mark_done(
                    tx,
                    p.id,
                    &db::Parsed {
                        name: r.name.as_deref(),
                        email: r.email.as_deref(),
                        phone: r.phone.as_deref(),
                        profile: &r.profile,
                        parsed_json: &r.json,
                    },
                )?,
                Err(e) => db::mark_failed(tx, p.id, e)?,
            }
        }
        Ok(())
    })?;
    pending.clear();
    Ok(())
}

fn timing(stage: BulkStage, started: Instant, items: usize) -> StageTiming {
    StageTiming {
        stage,
        millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        items: u32::try_from(items).unwrap_or(u32::MAX),
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Screen the resumes of `req.source` against `req.jd_text`: collect, parse (isolated,
/// `concurrency` at a time), score, rank; `progress` hears of each stage and file, `cancel`
/// stops the run after the files being parsed (they are kept; a later run continues). The
/// store is locked only to save, never while a file is parsed.
pub fn run(
    store: &Mutex<Store>,
    cache: Option<&Cache>,
    embedder: Option<&Embedder>,
    req: &BulkRequest,
    progress: &mut dyn FnMut(BulkEvent),
    cancel: &AtomicBool,
) -> Result<BulkOutcome> {
    crate::config::check_jd(&req.jd_text)?;
    if req.jd_text.trim().is_empty() {
        return Err(MatchError::EmptyJd.into());
    }
    let mut stages = Vec::new();
    let started = Instant::now();
    progress(BulkEvent::Stage { stage: BulkStage::Collecting });
    let (source, source_key) = canonical_source(&req.source)?;
    let max_bytes = req.analyze.limits.max_bytes;
    let (found, skipped) = collect(&source, max_bytes)?;
    if found.is_empty() {
        let shown = match &req.source {
            BulkSource::Folder { path } | BulkSource::Zip { path } => path.clone(),
            BulkSource::Files { .. } => "the files given".to_string(),
        };
        return Err(BulkError::NoFiles(shown));
    }
    let jd_sha = jd_hash(&req.jd_text);
    let jd = parse_jd(&req.jd_text);
    let concurrency = match req.concurrency {
        0 => default_concurrency(),
        n => n,
    }
    .min(64);

    // The batch: the one to continue, or a new one.
    let (batch_id, resumed) = {
        let mut s = lock(store)?;
        let existing = match req.batch {
            BatchChoice::Continue => db::latest_for(s.conn(), &source_key, &jd_sha)?,
            BatchChoice::New => None,
        };
        match existing {
            Some(id) => {
                s.write(|tx| -> Result<()> {
                    db::set_criteria(tx, &id, &req.criteria, count(concurrency))?;
                    db::set_state(tx, &id, BatchState::Running)?;
                    Ok(())
                })?;
                (id, true)
            }
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                s.write(|tx| {
                    db::insert_batch(
                        tx,
                        &db::NewBatch {
                            id: &id,
                            source: &source,
                            source_key: &source_key,
                            jd_text: &req.jd_text,
                            jd_sha256: &jd_sha,
                            jd_title: jd.title.as_deref(),
                            criteria: &req.criteria,
                            concurrency: count(concurrency),
                        },
                    )
                })?;
                (id, false)
            }
        }
    };

    // Hash every file (read, hashed, dropped), record it, mark duplicates.
    let mut rows: Vec<(db::FileRow, Found)> = Vec::with_capacity(found.len());
    {
        let mut reader = Reader::default();
        let mut hashed: Vec<(Found, String, u64, Option<ErrorBody>)> = Vec::new();
        for f in found {
            match reader.read(&f, max_bytes) {
                Ok(bytes) => {
                    let sha = sha_hex(&bytes);
                    let n = bytes.len() as u64;
                    hashed.push((f, sha, n, None));
                }
                Err(e) => hashed.push((f, String::new(), 0, Some(e))),
            }
        }
        let mut s = lock(store)?;
        s.write(|tx| -> Result<()> {
            let mut first: HashMap<String, i64> = HashMap::new();
            for (f, sha, size, err) in hashed {
                let mut row = db::upsert_file(tx, &batch_id, &f.label, &sha, size)?;
                if let Some(e) = err {
                    if row.status != FileStatus::Failed {
                        db::mark_failed(tx, row.id, &e)?;
                        row.status = FileStatus::Failed;
                    }
                } else if let Some(&of) = first.get(&sha) {
                    if row.status != FileStatus::Duplicate {
                        db::mark_duplicate(tx, row.id, of)?;
                        row.status = FileStatus::Duplicate;
                    }
                } else {
                    first.insert(sha.clone(), row.id);
                    if row.status == FileStatus::Duplicate {
                        // Its original is gone from the input: it is read on its own now.
                        db::requeue(tx, row.id)?;
                        row.status = FileStatus::Queued;
                    }
                }
                rows.push((row, f));
            }
            Ok(())
        })?;
    }
    stages.push(timing(BulkStage::Collecting, started, rows.len()));

    let todo: Vec<(i64, Found)> = rows
        .iter()
        .filter(|(r, _)| r.status == FileStatus::Queued)
        .map(|(r, f)| (r.id, f.clone()))
        .collect();
    let already_done = count(rows.iter().filter(|(r, _)| r.status == FileStatus::Done).count());
    let to_parse = count(todo.len());
    progress(BulkEvent::Started {
        batch_id: batch_id.clone(),
        total: count(rows.len()),
        to_parse,
        already_done,
        resumed,
    });
    drop(rows);

    // Parse, `concurrency` at a time; results saved as they come.
    let t = Instant::now();
    progress(BulkEvent::Stage { stage: BulkStage::Parsing });
    let mut parsed_now = 0u32;
    let today = req.analyze.today;
    let next = AtomicUsize::new(0);
    let parse_outcome: Result<()> = std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<ParseResult>(concurrency * 2);
        for _ in 0..concurrency.min(todo.len()) {
            let tx = tx.clone();
            let (todo, next) = (&todo, &next);
            scope.spawn(move || {
                let mut reader = Reader::default();
                loop {
                    if cancel.load(Ordering::SeqCst) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((id, f)) = todo.get(i) else { break };
                    let outcome = reader.read(f, max_bytes).and_then(|bytes| {
                        let mut opts = req.analyze.clone();
                        opts.file_name = Path::new(f.label.rsplit("!/").next().unwrap_or(&f.label))
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned());
                        qoder_analysis::analyze(&bytes, &opts).map(Box::new).map_err(|e| e.body())
                    });
                    if tx.send(ParseResult { id: *id, label: f.label.clone(), outcome }).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Whatever has arrived is saved in one transaction, then reported: a file reported
        // done is on disk, and the parse threads never wait for the disk.
        let mut done = 0u32;
        while let Ok(first) = rx.recv() {
            let mut arrived = vec![first];
            arrived.extend(rx.try_iter().take(FLUSH_EVERY));
            let mut pending: Vec<ToSave> = Vec::with_capacity(arrived.len());
            let mut events = Vec::with_capacity(arrived.len());
            for r in arrived {
                let error = r.outcome.as_ref().err().cloned();
                let outcome = match r.outcome {
                    Ok(a) => match serde_json::to_string(&a.resume) {
                        Ok(json) => {
                            let c = &a.resume.contact;
                            Ok(Kept {
                                name: c.name.clone(),
                                email: c.email.clone(),
                                phone: c.phone.clone(),
                                profile: profile(&a.resume, today),
                                json,
                            })
                        }
                        Err(e) => Err(ErrorBody::new(ErrorCode::Internal, e.to_string())),
                    },
                    Err(e) => Err(e),
                };
                pending.push(ToSave { id: r.id, outcome });
                events.push((r.label, error));
            }
            if let Err(e) = flush(store, &mut pending) {
                // Stop the threads; what is being parsed is dropped.
                next.store(todo.len(), Ordering::SeqCst);
                return Err(e);
            }
            for (file, error) in events {
                done += 1;
                progress(BulkEvent::FileFinished {
                    file,
                    ok: error.is_none(),
                    error,
                    done,
                    to_parse,
                });
            }
        }
        parsed_now = done;
        Ok(())
    });
    parse_outcome?;
    stages.push(timing(BulkStage::Parsing, t, parsed_now as usize));

    if cancel.load(Ordering::SeqCst) {
        lock(store)?.write(|tx| db::set_state(tx, &batch_id, BatchState::Cancelled))?;
        progress(BulkEvent::Cancelled { done: parsed_now, to_parse });
        let view = view(&*lock(store)?, &batch_id)?;
        return Ok(BulkOutcome {
            view,
            resumed,
            parsed_now,
            already_done,
            skipped,
            cancelled: true,
            stages,
            model_id: None,
        });
    }

    let model_id =
        rank(store, cache, embedder, &batch_id, &jd, req, progress, cancel, &mut stages)?;
    progress(BulkEvent::Finished { batch_id: batch_id.clone() });
    let view = view(&*lock(store)?, &batch_id)?;
    Ok(BulkOutcome {
        cancelled: view.batch.state == BatchState::Cancelled,
        view,
        resumed,
        parsed_now,
        already_done,
        skipped,
        stages,
        model_id,
    })
}

/// One candidate while ranking.
struct Scoring {
    id: i64,
    facts: ResumeFacts,
    score: u8,
    components: Vec<ScoreComponent>,
    matched: Vec<String>,
    missing: Vec<String>,
    semantic: bool,
    knockouts: Vec<Knockout>,
    keys: Vec<String>,
}

/// The job's skills a report found and found lacking, required ones first.
fn skill_names(r: &qoder_domain::matching::MatchReport) -> (Vec<String>, Vec<String>) {
    let mut matched: Vec<(bool, &str)> =
        r.matched.iter().map(|m| (!m.required, m.skill.as_str())).collect();
    let mut missing: Vec<(bool, &str)> =
        r.missing.iter().map(|m| (!m.required, m.skill.as_str())).collect();
    matched.sort_by_key(|&(optional, _)| optional);
    missing.sort_by_key(|&(optional, _)| optional);
    let names = |v: Vec<(bool, &str)>| v.into_iter().map(|(_, s)| s.to_string()).collect();
    (names(matched), names(missing))
}

/// Stages 3–5: score every parsed resume (keyword), re-score the plausible best with
/// embeddings, judge the knock-outs, mark the same person, rank and save. Returns the model
/// used, if any.
#[allow(clippy::too_many_arguments)]
fn rank(
    store: &Mutex<Store>,
    cache: Option<&Cache>,
    embedder: Option<&Embedder>,
    batch_id: &str,
    jd: &JobDescription,
    req: &BulkRequest,
    progress: &mut dyn FnMut(BulkEvent),
    cancel: &AtomicBool,
    stages: &mut Vec<StageTiming>,
) -> Result<Option<String>> {
    let t = Instant::now();
    progress(BulkEvent::Stage { stage: BulkStage::Scoring });
    let opts = MatchOptions::new(req.analyze.today);
    let mut scored: Vec<Scoring> = Vec::new();
    {
        let s = lock(store)?;
        db::for_each_parsed(s.conn(), batch_id, |id, json| {
            let resume: ParsedResume = serde_json::from_str(json).map_err(|e| {
                StoreError::Corrupt(format!("parsed resume of candidate {id}: {e}"))
            })?;
            let facts = ResumeFacts::from_resume(&resume, opts.today);
            let report = match_report(&facts, jd, None, &opts);
            let knockouts = knockouts(&resume, &facts, &req.criteria);
            let keys =
                person_keys(resume.contact.email.as_deref(), resume.contact.phone.as_deref());
            let (matched, missing) = skill_names(&report);
            scored.push(Scoring {
                id,
                facts,
                score: report.score,
                components: report.components,
                matched,
                missing,
                semantic: false,
                knockouts,
                keys,
            });
            Ok(())
        })?;
    }
    stages.push(timing(BulkStage::Scoring, t, scored.len()));

    // Semantic evidence for the plausible best only.
    let mut model_id = None;
    if let Some(e) = embedder.filter(|_| req.semantic_top > 0) {
        let t = Instant::now();
        progress(BulkEvent::Stage { stage: BulkStage::Semantic });
        let mut order: Vec<usize> = (0..scored.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(scored[i].score), scored[i].id));
        let emb = Embeddings { embedder: e, cache };
        let mut n = 0;
        for i in order.into_iter().take(req.semantic_top) {
            if scored[i].score <= FUNCTION_MISMATCH_CAP || cancel.load(Ordering::SeqCst) {
                break;
            }
            let report = match_parsed(&scored[i].facts, jd, Some(&emb), None, &opts)?;
            let c = &mut scored[i];
            (c.matched, c.missing) = skill_names(&report);
            c.score = report.score;
            c.components = report.components;
            c.semantic = true;
            n += 1;
        }
        model_id = Some(e.model_id().to_string());
        stages.push(timing(BulkStage::Semantic, t, n));
    }

    let t = Instant::now();
    progress(BulkEvent::Stage { stage: BulkStage::Ranking });
    // The same person: an earlier candidate (in the order found) with the same email or phone.
    let mut by_id: Vec<usize> = (0..scored.len()).collect();
    by_id.sort_by_key(|&i| scored[i].id);
    let mut first: BTreeMap<&str, i64> = BTreeMap::new();
    let mut same: HashMap<i64, i64> = HashMap::new();
    for &i in &by_id {
        let c = &scored[i];
        if let Some(of) = c.keys.iter().find_map(|k| first.get(k.as_str())).copied() {
            same.insert(c.id, of);
        }
        for k in &c.keys {
            first.entry(k.as_str()).or_insert(c.id);
        }
    }
    let mut order: Vec<usize> = (0..scored.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(scored[i].score), !scored[i].semantic, scored[i].id));
    let finished = !cancel.load(Ordering::SeqCst);
    lock(store)?.write(|tx| -> Result<()> {
        for (rank, &i) in order.iter().enumerate() {
            let c = &scored[i];
            db::save_score(
                tx,
                &db::Scored {
                    id: c.id,
                    score: c.score,
                    components: &c.components,
                    semantic: c.semantic,
                    knockouts: &c.knockouts,
                    matched_skills: &c.matched,
                    missing_skills: &c.missing,
                    flagged: c.knockouts.iter().any(|k| k.result == KnockoutResult::NotMet),
                    same_person_as: same.get(&c.id).copied(),
                    rank: count(rank + 1),
                },
            )?;
        }
        let state = if finished { BatchState::Done } else { BatchState::Cancelled };
        db::set_state(tx, batch_id, state)?;
        Ok(())
    })?;
    stages.push(timing(BulkStage::Ranking, t, scored.len()));
    Ok(model_id)
}

/// A batch as it stands, by id (or unique id prefix).
pub fn show(store: &Store, id: &str) -> Result<BatchView> {
    let id = db::resolve(store.conn(), id)?;
    view(store, &id)
}

fn view(store: &Store, id: &str) -> Result<BatchView> {
    let batch = db::get_batch(store.conn(), id)?
        .ok_or_else(|| StoreError::not_found("screening batch", id))?;
    let mut v = BatchView {
        batch,
        candidates: Vec::new(),
        failed: Vec::new(),
        duplicates: Vec::new(),
        queued: Vec::new(),
    };
    for c in db::candidates(store.conn(), id)? {
        match c.status {
            FileStatus::Done if c.rank.is_some() => v.candidates.push(c),
            FileStatus::Done | FileStatus::Queued => v.queued.push(c),
            FileStatus::Failed => v.failed.push(c),
            FileStatus::Duplicate => v.duplicates.push(c),
        }
    }
    Ok(v)
}

/// Every batch, newest first.
pub fn list(store: &Store) -> Result<Vec<qoder_domain::bulk::BulkBatch>> {
    Ok(db::list_batches(store.conn())?)
}

/// Sets a candidate's recruiter status and/or note.
pub fn set_status(
    store: &mut Store,
    batch: &str,
    candidate: i64,
    status: Option<RecruiterStatus>,
    note: Option<&str>,
) -> Result<BulkCandidate> {
    if status.is_none() && note.is_none() {
        return Err(Error::invalid("status", "give a status to set, a note, or both").into());
    }
    if note.is_some_and(|n| n.len() > 10_000) {
        return Err(Error::invalid("note", "at most 10,000 characters").into());
    }
    let id = db::resolve(store.conn(), batch)?;
    if !store.write(|tx| db::set_recruiter(tx, &id, candidate, status, note))? {
        return Err(Error::NotFound(format!("candidate {candidate} is not in batch {id}")).into());
    }
    db::candidate(store.conn(), &id, candidate)?
        .ok_or_else(|| Error::NotFound(format!("candidate {candidate}")).into())
}

/// Turns a ranked candidate into an entry of the job tracker: the batch's JD as the job (its
/// title and text), the candidate as its contact, the score and the job's skills they show and
/// lack in its notes, status `screening`. The candidate's note records it.
pub fn track(
    store: &mut Store,
    batch: &str,
    candidate: i64,
) -> Result<qoder_domain::job::JobApplication> {
    use qoder_domain::job::{JobFields, JobStatus};
    let id = db::resolve(store.conn(), batch)?;
    let c = db::candidate(store.conn(), &id, candidate)?
        .ok_or_else(|| Error::NotFound(format!("candidate {candidate} is not in batch {id}")))?;
    let Some(score) = c.score else {
        return Err(Error::invalid(
            "candidate",
            "was not ranked (its file failed or repeats another): only ranked candidates can be tracked",
        )
        .into());
    };
    let b = db::get_batch(store.conn(), &id)?
        .ok_or_else(|| StoreError::not_found("screening batch", &id))?;
    let file =
        Path::new(&c.file).file_name().map_or(c.file.clone(), |f| f.to_string_lossy().into());
    let who = [&c.name, &c.email, &c.phone].into_iter().flatten().cloned().collect::<Vec<_>>();
    let who = if who.is_empty() { file.clone() } else { who.join(", ") };
    let mut notes = format!("Screened candidate: {who}\nResume: {}\nScore {score}/100", c.file);
    if let Some(band) = c.band {
        notes.push_str(&format!(" ({})", band.as_str()));
    }
    if !c.matched_skills.is_empty() {
        notes.push_str(&format!("\nShows: {}", c.matched_skills.join(", ")));
    }
    if !c.missing_skills.is_empty() {
        notes.push_str(&format!("\nLacks: {}", c.missing_skills.join(", ")));
    }
    if !c.notes.trim().is_empty() {
        notes.push_str(&format!("\nScreening note: {}", c.notes.trim()));
    }
    let fields = JobFields {
        title: Some(b.jd_title.clone().unwrap_or_else(|| "Screened candidate".into())),
        vendor_contact: Some(who.chars().take(200).collect()),
        description: Some(db::jd_text(store.conn(), &id)?.chars().take(200_000).collect()),
        notes: Some(notes),
        status: Some(JobStatus::Screening),
        ..Default::default()
    };
    let job = crate::job::add(store, &fields)?;
    let note = format!(
        "{}Tracked in the job tracker ({}).",
        if c.notes.trim().is_empty() { String::new() } else { format!("{}\n", c.notes.trim()) },
        job.id
    );
    store.write(|tx| db::set_recruiter(tx, &id, candidate, None, Some(&note)))?;
    Ok(job)
}

/// The request that runs a stored batch again over its own input and JD (its failed files
/// queued again): the "retry" of the failures list.
pub fn retry_request(
    store: &mut Store,
    batch: &str,
    analyze: AnalyzeOptions,
    semantic_top: usize,
) -> Result<BulkRequest> {
    let id = db::resolve(store.conn(), batch)?;
    let b = db::get_batch(store.conn(), &id)?
        .ok_or_else(|| StoreError::not_found("screening batch", &id))?;
    let jd_text = db::jd_text(store.conn(), &id)?;
    store.write(|tx| db::requeue_failed(tx, &id))?;
    Ok(BulkRequest {
        source: b.source,
        jd_text,
        criteria: b.criteria,
        concurrency: b.concurrency as usize,
        semantic_top,
        analyze,
        batch: BatchChoice::Continue,
    })
}

// ---------------------------------------------------------------------------------------------
// Views and export

/// Whether a view hides who the candidates are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity {
    Shown,
    /// Name, contact, file names (which often carry the name), school names and the years of
    /// degrees (which reveal age) hidden, also inside the score's evidence lines.
    Anonymised,
}

const HIDDEN: &str = "[hidden]";

/// Replaces each of `secrets` (case-insensitive) in `text`.
fn scrub(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.chars().count() >= 3) {
        let lower = out.to_lowercase();
        let needle = s.to_lowercase();
        if lower.len() != out.len() {
            // Case folding changed lengths: fall back to an exact replace.
            out = out.replace(s.as_str(), HIDDEN);
            continue;
        }
        let mut result = String::with_capacity(out.len());
        let mut from = 0;
        while let Some(i) = lower[from..].find(&needle) {
            result.push_str(&out[from..from + i]);
            result.push_str(HIDDEN);
            from += i + needle.len();
        }
        result.push_str(&out[from..]);
        out = result;
    }
    out
}

/// Four-digit years (1900–2099) replaced.
fn scrub_years(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let year = i + 4 <= chars.len()
            && chars[i..i + 4].iter().all(char::is_ascii_digit)
            && matches!((chars[i], chars[i + 1]), ('1', '9') | ('2', '0'))
            && (i == 0 || !chars[i - 1].is_ascii_digit())
            && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        if year {
            out.push_str("[year]");
            i += 4;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A candidate as the anonymised view shows it.
pub fn anonymised(c: &BulkCandidate) -> BulkCandidate {
    let mut secrets: Vec<String> =
        [&c.name, &c.email, &c.phone].into_iter().flatten().cloned().collect();
    if let Some(n) = &c.name {
        secrets.extend(n.split_whitespace().filter(|w| w.chars().count() >= 3).map(str::to_string));
    }
    secrets.extend(c.profile.education.iter().filter_map(|d| d.school.clone()));
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut a = c.clone();
    a.name = None;
    a.email = None;
    a.phone = None;
    a.file = format!("candidate-{}", c.id);
    a.duplicates = c.duplicates.iter().map(|_| HIDDEN.to_string()).collect();
    for d in &mut a.profile.education {
        d.school = None;
        d.year = None;
    }
    for comp in &mut a.components {
        comp.evidence = scrub(&comp.evidence, &secrets);
        if comp.kind == ComponentKind::Education {
            comp.evidence = scrub_years(&comp.evidence);
        }
    }
    for k in &mut a.knockouts {
        k.evidence = k.evidence.as_deref().map(|e| scrub(e, &secrets));
    }
    a
}

/// The view with identities as asked.
pub fn with_identity(mut v: BatchView, identity: Identity) -> BatchView {
    if identity == Identity::Anonymised {
        for list in [&mut v.candidates, &mut v.failed, &mut v.duplicates, &mut v.queued] {
            for c in list.iter_mut() {
                *c = anonymised(c);
            }
        }
    }
    v
}

pub use qoder_domain::bulk::BulkExportFormat;

const COMPONENTS: [ComponentKind; 6] = [
    ComponentKind::RequiredSkills,
    ComponentKind::PreferredSkills,
    ComponentKind::TitleSeniority,
    ComponentKind::ExperienceYears,
    ComponentKind::Education,
    ComponentKind::ResponsibilityFit,
];

fn header() -> Vec<String> {
    let mut h: Vec<String> =
        ["rank", "candidate_id", "file", "name", "email", "phone", "score", "band", "semantic"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    for k in COMPONENTS {
        let name = format!("{k:?}");
        let snake = serde_json::to_value(k)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or(name);
        h.push(format!("{snake}_points"));
        h.push(format!("{snake}_weight"));
    }
    h.extend(
        [
            "matched_skills",
            "missing_skills",
            "flagged",
            "knockouts",
            "title",
            "years",
            "education",
            "location",
            "status",
            "recruiter_status",
            "notes",
            "duplicates",
            "same_person_as",
            "error",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    h
}

/// A cell: text, or a number.
enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt_text(s: &Option<String>) -> Cell {
    s.as_ref().map_or(Cell::Empty, |s| Cell::Text(s.clone()))
}

fn cells(c: &BulkCandidate) -> Vec<Cell> {
    let mut row = vec![
        c.rank.map_or(Cell::Empty, |r| Cell::Number(f64::from(r))),
        Cell::Number(c.id as f64),
        text(&c.file),
        opt_text(&c.name),
        opt_text(&c.email),
        opt_text(&c.phone),
        c.score.map_or(Cell::Empty, |s| Cell::Number(f64::from(s))),
        c.band.map_or(Cell::Empty, |b| text(b.as_str())),
        text(if c.semantic { "yes" } else { "no" }),
    ];
    for k in COMPONENTS {
        match c.components.iter().find(|x| x.kind == k) {
            Some(x) if x.applicable => {
                row.push(Cell::Number(f64::from(x.points)));
                row.push(Cell::Number(f64::from(x.weight)));
            }
            Some(_) => {
                row.push(text("n/a"));
                row.push(text("n/a"));
            }
            None => {
                row.push(Cell::Empty);
                row.push(Cell::Empty);
            }
        }
    }
    let knock = c
        .knockouts
        .iter()
        .map(|k| format!("{}: {}", k.criterion, k.result.as_str()))
        .collect::<Vec<_>>()
        .join("; ");
    let education = c
        .profile
        .education
        .iter()
        .map(|d| {
            let mut parts: Vec<String> = Vec::new();
            parts.extend(d.degree.clone());
            parts.extend(d.field.clone());
            parts.extend(d.school.clone());
            parts.extend(d.year.map(|y| y.to_string()));
            parts.join(", ")
        })
        .collect::<Vec<_>>()
        .join(" | ");
    row.extend([
        text(c.matched_skills.join("; ")),
        text(c.missing_skills.join("; ")),
        text(if c.flagged { "yes" } else { "no" }),
        text(knock),
        opt_text(&c.profile.title),
        c.profile.years.map_or(Cell::Empty, |y| Cell::Number(f64::from(y))),
        text(education),
        opt_text(&c.profile.location),
        text(c.status.as_str()),
        text(c.recruiter_status.as_str()),
        text(&c.notes),
        text(c.duplicates.join("; ")),
        c.same_person_as.map_or(Cell::Empty, |n| Cell::Number(n as f64)),
        c.error.as_ref().map_or(Cell::Empty, |e| {
            text(format!(
                "{}: {}",
                serde_json::to_value(e.code)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                e.message
            ))
        }),
    ]);
    row
}

/// A cell's text as CSV writes it; text that a spreadsheet would run as a formula is quoted
/// with a leading apostrophe (CSV injection).
fn csv_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
        Cell::Text(s) => s.clone(),
        Cell::Number(n) => {
            if n.fract() == 0.0 {
                format!("{n:.0}")
            } else {
                format!("{n}")
            }
        }
        Cell::Empty => String::new(),
    }
}

/// The ranked list (then the failed and duplicate files) as CSV or XLSX bytes, with every
/// score component.
pub fn export(view: &BatchView, format: BulkExportFormat) -> Result<Vec<u8>> {
    let rows: Vec<&BulkCandidate> = view
        .candidates
        .iter()
        .chain(&view.failed)
        .chain(&view.duplicates)
        .chain(&view.queued)
        .collect();
    let head = header();
    match format {
        BulkExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let fail = |e: csv::Error| BulkError::Export(e.to_string());
            w.write_record(&head).map_err(fail)?;
            for c in rows {
                w.write_record(cells(c).iter().map(csv_text)).map_err(fail)?;
            }
            w.into_inner().map_err(|e| BulkError::Export(e.to_string()))
        }
        BulkExportFormat::Xlsx => {
            use rust_xlsxwriter::{Format, Workbook};
            let fail = |e: rust_xlsxwriter::XlsxError| BulkError::Export(e.to_string());
            let mut wb = Workbook::new();
            let bold = Format::new().set_bold();
            let ws = wb.add_worksheet();
            ws.set_name("Ranking").map_err(fail)?;
            for (j, h) in head.iter().enumerate() {
                ws.write_string_with_format(0, j as u16, h, &bold).map_err(fail)?;
            }
            for (i, c) in rows.iter().enumerate() {
                let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
                for (j, cell) in cells(c).iter().enumerate() {
                    let col = j as u16;
                    match cell {
                        Cell::Text(s) => ws.write_string(r, col, s).map(|_| ()),
                        Cell::Number(n) => ws.write_number(r, col, *n).map(|_| ()),
                        Cell::Empty => Ok(()),
                    }
                    .map_err(fail)?;
                }
            }
            ws.set_freeze_panes(1, 0).map_err(fail)?;
            wb.save_to_buffer().map_err(fail)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_whole_words_only() {
        let lines = ["Certified: PMP, CSM", "Authorized to work in the US", "Rustacean"];
        assert_eq!(line_with(lines, "pmp").as_deref(), Some("Certified: PMP, CSM"));
        assert_eq!(
            line_with(lines, "authorized  to work").as_deref(),
            Some("Authorized to work in the US")
        );
        assert_eq!(line_with(lines, "rust"), None);
    }

    #[test]
    fn same_person_keys_ignore_case_and_country_code() {
        assert_eq!(
            person_keys(Some("Ann@X.org"), Some("+1 (415) 555-0100")),
            vec!["e:ann@x.org".to_string(), "p:155550100".to_string()]
        );
        assert_eq!(person_keys(None, Some("415-555-0100"))[0], "p:155550100");
        assert!(person_keys(Some("not an email"), Some("12")).is_empty());
    }

    #[test]
    fn anonymising_hides_names_schools_and_degree_years() {
        let c = BulkCandidate {
            id: 7,
            rank: Some(1),
            file: "/cvs/jane-doe.pdf".into(),
            sha256: String::new(),
            size: 1,
            status: FileStatus::Done,
            error: None,
            name: Some("Jane Doe".into()),
            email: Some("jane@doe.dev".into()),
            phone: Some("+1 555 0100".into()),
            profile: CandidateProfile {
                education: vec![DegreeSummary {
                    degree: Some("BSc".into()),
                    field: Some("Computer Science".into()),
                    school: Some("Stanford University".into()),
                    year: Some(2009),
                }],
                ..CandidateProfile::default()
            },
            score: Some(80),
            band: None,
            components: vec![ScoreComponent {
                kind: ComponentKind::Education,
                weight: 5.0,
                points: 5.0,
                applicable: true,
                evidence: "BSc, Stanford University, 2009 (Jane)".into(),
            }],
            matched_skills: vec!["Rust".into()],
            missing_skills: Vec::new(),
            semantic: false,
            knockouts: Vec::new(),
            flagged: false,
            duplicate_of: None,
            duplicates: vec!["/cvs/jane-doe (1).pdf".into()],
            same_person_as: None,
            recruiter_status: RecruiterStatus::New,
            notes: String::new(),
        };
        let a = anonymised(&c);
        assert_eq!((a.name, a.email, a.phone), (None, None, None));
        assert_eq!(a.file, "candidate-7");
        assert_eq!(a.profile.education[0].school, None);
        assert_eq!(a.profile.education[0].year, None);
        assert_eq!(a.profile.education[0].degree.as_deref(), Some("BSc"));
        assert_eq!(a.components[0].evidence, "BSc, [hidden], [year] ([hidden])");
        assert_eq!(a.duplicates, vec![HIDDEN.to_string()]);
    }

    #[test]
    fn csv_cells_that_look_like_formulas_are_defused() {
        assert_eq!(csv_text(&text("=HYPERLINK(\"x\")")), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_text(&Cell::Number(72.0)), "72");
        assert_eq!(csv_text(&Cell::Number(7.5)), "7.5");
    }

    #[test]
    fn picked_paths_are_one_folder_one_zip_or_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_path_buf();
        let zip = d.join("cvs.ZIP");
        let pdf = d.join("a.pdf");
        assert_eq!(
            source_of(std::slice::from_ref(&d)).unwrap(),
            BulkSource::Folder { path: d.to_string_lossy().into_owned() }
        );
        assert!(matches!(source_of(std::slice::from_ref(&zip)).unwrap(), BulkSource::Zip { .. }));
        assert!(matches!(
            source_of(&[pdf.clone(), zip.clone()]).unwrap(),
            BulkSource::Files { paths } if paths.len() == 2
        ));
        let mixed = source_of(&[pdf, d.clone()]).unwrap_err();
        assert_eq!(mixed.code(), ErrorCode::Validation);
        assert!(mixed.to_string().contains("is a folder"), "{mixed}");
        assert_eq!(source_of(&[]).unwrap_err().code(), ErrorCode::Validation);
    }
}
