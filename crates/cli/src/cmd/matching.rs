//! `qoder match RESUME JD [--json] [--threshold 0.7]` and
//! `qoder match history [--resume …] [--jd …] [--json]`.
//!
//! RESUME is a PDF/DOCX/TXT file or a stored version id; JD is a PDF/DOCX/TXT file, `-` for
//! stdin, or a tracked job id (its description). Every match is stored in the local database
//! (the match history) unless `--no-save`.
//!
//! When the embedding model is not installed the match runs keyword-only (skills by name,
//! responsibilities and titles by shared words) and says so on stderr, with the command that
//! installs the model; `--keyword-only` chooses that mode on purpose.

use crate::cmd::analyze::{analyze_file, options_for};
use crate::exit::{CliError, CliResult};
use qoder_analysis::matching::MatchOptions;
use qoder_core::Store;
use qoder_core::matching::{
    self as core_match, Filter, MatchError, MatchRequest, StoredResume, bytes_hash, jd_hash,
};
use qoder_domain::matching::{MatchRecord, MatchReport, RelationKind};
use qoder_domain::{CodedError, ErrorCode};
use qoder_embed::{EmbedConfig, EmbedError, Embedder, default_model_dir};
use std::io::Read;
use std::path::Path;

/// Longest JD read from stdin: the one JD limit ([`qoder_core::config::MAX_JD_BYTES`]).
const MAX_JD_INPUT: u64 = qoder_core::config::MAX_JD_BYTES as u64;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Sub>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(clap::Subcommand)]
pub enum Sub {
    /// Past match scores, oldest first, with the trend of each resume × job pair.
    History(HistoryArgs),
}

#[derive(clap::Args)]
pub struct RunArgs {
    /// The resume: a PDF, DOCX or TXT file, or a stored version id (or unique prefix).
    #[arg(required = true)]
    pub resume: Option<String>,
    /// The job description: a PDF, DOCX or TXT file, `-` for stdin, or a tracked job id.
    #[arg(required = true)]
    pub jd: Option<String>,
    /// Print the match report as JSON (top level `score`, 0–100).
    #[arg(long)]
    pub json: bool,
    /// Cosine similarity above which a present skill counts as related to a missing one.
    #[arg(long, default_value_t = qoder_analysis::matching::SEMANTIC_SIMILARITY_THRESHOLD)]
    pub threshold: f32,
    /// Do not use the embedding model (skills by name, the rest by shared words).
    #[arg(long)]
    pub keyword_only: bool,
    /// Do not record this match in the history.
    #[arg(long)]
    pub no_save: bool,
}

#[derive(clap::Args)]
pub struct HistoryArgs {
    /// Only this resume: a file, a stored version id, or a SHA-256 (prefix).
    #[arg(long)]
    pub resume: Option<String>,
    /// Only this job description: a file, a tracked job id, or a SHA-256 (prefix).
    #[arg(long)]
    pub jd: Option<String>,
    /// At most this many (the newest).
    #[arg(long, default_value_t = 200)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> CliResult {
    match args.command {
        Some(Sub::History(h)) => history(h),
        None => run_match(args.run),
    }
}

fn match_error(e: MatchError) -> CliError {
    CliError::new(e.code(), e.to_string())
}

fn embed_error(e: EmbedError) -> CliError {
    match e {
        EmbedError::Setting { .. } => CliError::bad_input(e.to_string()),
        other => CliError::new(ErrorCode::Internal, other.to_string()),
    }
}

pub(crate) use crate::cmd::open_store;

pub(crate) fn read_resume(arg: &str, store: &mut Option<Store>) -> Result<StoredResume, CliError> {
    let path = Path::new(arg);
    if path.is_file() {
        let bytes = std::fs::read(path)
            .map_err(|e| CliError::new(ErrorCode::Validation, format!("cannot read {arg}: {e}")))?;
        let analysis = analyze_file(path)?;
        return Ok(StoredResume {
            resume: analysis.resume,
            sha256: bytes_hash(&bytes),
            label: path
                .file_name()
                .map_or_else(|| arg.to_string(), |n| n.to_string_lossy().into_owned()),
            version_id: None,
        });
    }
    if store.is_none() {
        *store = Some(open_store()?);
    }
    let s = store.as_ref().expect("opened above");
    match core_match::stored_resume(s, arg) {
        Ok(v) => Ok(v),
        Err(e) if e.code() == ErrorCode::NotFound || e.code() == ErrorCode::Validation => {
            Err(CliError::new(
                ErrorCode::NotFound,
                format!("{arg}: no such file, and no stored resume version with that id ({e})"),
            ))
        }
        Err(e) => Err(match_error(e)),
    }
}

/// Reads a JD: stdin, a file (text extracted like a resume's), or a tracked job's description.
pub(crate) fn read_jd(
    arg: &str,
    store: &mut Option<Store>,
) -> Result<(String, Option<qoder_domain::ids::JobId>), CliError> {
    if arg == "-" {
        let mut buf = Vec::new();
        std::io::stdin().take(MAX_JD_INPUT + 1).read_to_end(&mut buf)?;
        let text = String::from_utf8_lossy(&buf).into_owned();
        qoder_core::config::check_jd(&text)?;
        return Ok((text, None));
    }
    let path = Path::new(arg);
    if path.is_file() {
        let opts = options_for(path)?;
        let bytes = std::fs::read(path)
            .map_err(|e| CliError::new(ErrorCode::Validation, format!("cannot read {arg}: {e}")))?;
        let extracted = match &opts.worker {
            Some(w) => qoder_analysis::extract::isolate::extract_isolated(&bytes, &opts.limits, w),
            None => qoder_analysis::extract::extract(&bytes, &opts.limits),
        }
        .map_err(|e| CliError::new(e.code(), format!("{arg}: {e}")))?;
        return Ok((extracted.text(), None));
    }
    if store.is_none() {
        *store = Some(open_store()?);
    }
    let s = store.as_ref().expect("opened above");
    match core_match::stored_job_description(s, arg) {
        Ok((id, text)) => Ok((text, Some(id))),
        Err(e) if e.code() == ErrorCode::NotFound || e.code() == ErrorCode::Validation => {
            Err(CliError::new(
                ErrorCode::NotFound,
                format!("{arg}: no such file, and no tracked job with that id ({e})"),
            ))
        }
        Err(e) => Err(match_error(e)),
    }
}

fn run_match(args: RunArgs) -> CliResult {
    let (Some(resume_arg), Some(jd_arg)) = (args.resume.as_deref(), args.jd.as_deref()) else {
        return Err(CliError::bad_input(
            "give a resume and a job description: qoder match RESUME JD",
        ));
    };
    if !(0.0..=1.0).contains(&args.threshold) {
        return Err(CliError::bad_input(format!(
            "--threshold must be between 0 and 1 (got {})",
            args.threshold
        )));
    }
    // Still single-threaded: set the embedding thread count before anything spawns threads.
    let threads = qoder_embed::thread_count_from_env().map_err(embed_error)?;
    qoder_embed::set_thread_count_at_startup(threads);

    let mut store: Option<Store> = None;
    let input = read_resume(resume_arg, &mut store)?;
    let (jd_text, job_id) = read_jd(jd_arg, &mut store)?;
    if jd_text.trim().is_empty() {
        return Err(CliError::bad_input(format!("{jd_arg}: the job description is empty")));
    }

    let embedder = if args.keyword_only {
        None
    } else {
        let config = EmbedConfig::from_env().map_err(embed_error)?;
        match Embedder::load_with(default_model_dir(), config) {
            Ok(e) => Some(e),
            Err(e @ EmbedError::ModelMissing { .. }) => {
                eprintln!(
                    "note: {e}\nnote: matching keyword-only (skills by name; responsibilities and titles by shared words)."
                );
                None
            }
            Err(e) => return Err(embed_error(e)),
        }
    };
    if !args.no_save && store.is_none() {
        match open_store() {
            Ok(s) => store = Some(s),
            Err(e) => {
                eprintln!("note: the match will not be saved to the history: {}", e.0.message)
            }
        }
    }
    let cache = match (&embedder, &store) {
        (Some(_), Some(s)) => qoder_core::Cache::open(s.dir()).ok(),
        _ => None,
    };

    let mut opts = MatchOptions::new(qoder_core::today());
    opts.threshold = args.threshold;
    let req = MatchRequest {
        resume: &input,
        jd_text: &jd_text,
        job_id,
        opts: &opts,
        record: !args.no_save,
    };
    let out = core_match::run_match(store.as_mut(), cache.as_ref(), embedder.as_ref(), &req)?;
    let report = &out.report;

    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    print!("{}", render(report, &input.label, out.model_id.as_deref()));
    let same: Vec<u8> = out.history.iter().map(|m| m.score).collect();
    if same.len() > 1
        && let Some(t) = &out.trend
    {
        let shown: Vec<String> = same.iter().rev().take(8).rev().map(u8::to_string).collect();
        println!(
            "\nHistory: {} matches of this resume against this job: {} ({:?}, {:+} since the first)",
            t.runs,
            shown.join(" → "),
            t.direction,
            t.change
        );
    }
    let others = out.other_resumes;
    if others > 0 {
        println!(
            "Other resumes matched against this job: {others} (see `qoder match history --jd …`)"
        );
    }
    Ok(())
}

fn clip(s: &str, n: usize) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= n {
        one
    } else {
        let mut t: String = one.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The human-readable report.
pub fn render(r: &MatchReport, resume_label: &str, model: Option<&str>) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let title = r.job.title.as_deref().unwrap_or("(untitled job)");
    let _ = writeln!(
        s,
        "Match score: {}/100 — {} vs {}",
        r.score,
        clip(resume_label, 40),
        clip(title, 60)
    );
    let _ = writeln!(
        s,
        "{}",
        match model {
            Some(m) =>
                format!("semantic matching with {m} (related-skill threshold {:.2})", r.threshold),
            None => "keyword-only matching (embedding model not used)".to_string(),
        }
    );
    let _ = writeln!(
        s,
        "Reads as: {} (score bands: see README, \"How the match score reads\")",
        r.band.as_str()
    );
    if r.job_function.is_some() || r.resume_function.is_some() {
        let _ = writeln!(
            s,
            "Function: job {} · resume {}{}",
            r.job_function.as_deref().unwrap_or("unclear"),
            r.resume_function.as_deref().unwrap_or("unclear"),
            r.resume_level.map(|l| format!(" (level shown: {})", l.as_str())).unwrap_or_default()
        );
    }
    for f in &r.flags {
        let _ = writeln!(s, "  ! {}", f.message);
    }
    let _ = writeln!(s, "\n{:<20} {:>6} {:>7}  evidence", "component", "weight", "points");
    for c in &r.components {
        if c.applicable {
            let _ = writeln!(
                s,
                "{:<20} {:>6.0} {:>7.1}  {}",
                c.kind.as_str(),
                c.weight,
                c.points,
                c.evidence
            );
        } else {
            let _ = writeln!(
                s,
                "{:<20} {:>6} {:>7}  {} (weight shared out)",
                c.kind.as_str(),
                "-",
                "-",
                c.evidence
            );
        }
    }

    let _ = writeln!(s, "\nMatched skills ({}):", r.matched.len());
    for m in &r.matched {
        let via = m.via.as_deref().map(|v| format!(" via {v}")).unwrap_or_default();
        let kind = if m.required { "required" } else { "preferred" };
        let listed = if m.listed_only { ", only listed" } else { "" };
        let ev = m
            .evidence
            .iter()
            .find(|e| !e.line.is_empty() && e.section != qoder_domain::SectionKind::Skills)
            .or(m.evidence.first());
        let where_ = ev
            .map(|e| {
                if e.line.is_empty() {
                    format!(" [{}]", e.section.as_str())
                } else {
                    format!(" [{}: \"{}\"]", e.section.as_str(), clip(&e.line, 70))
                }
            })
            .unwrap_or_default();
        let _ = writeln!(s, "  ✓ {}{via} ({kind}{listed}){where_}", m.skill);
    }
    if !r.missing.is_empty() {
        let _ = writeln!(s, "\nMissing ({}):", r.missing.len());
        for m in &r.missing {
            let _ = writeln!(
                s,
                "  ✗ {} ({})",
                m.skill,
                if m.required { "required" } else { "preferred" }
            );
        }
    }
    if !r.related.is_empty() {
        let _ = writeln!(s, "\nMissing, but a related skill is present ({}):", r.related.len());
        for m in &r.related {
            if let Some(rel) = &m.related {
                let how = match (rel.relation, rel.similarity) {
                    (RelationKind::Taxonomy, _) => "related in the skills taxonomy".to_string(),
                    (RelationKind::Semantic, Some(v)) => format!("similarity {v:.2}"),
                    (RelationKind::Semantic, None) => "semantic".to_string(),
                };
                let _ = writeln!(
                    s,
                    "  ~ {} ({}) — you have {} ({how})",
                    m.skill,
                    if m.required { "required" } else { "preferred" },
                    rel.name
                );
            }
        }
    }
    if !r.responsibilities.is_empty() {
        let _ = writeln!(s, "\nResponsibilities and your best-supporting bullets:");
        for f in &r.responsibilities {
            let _ = writeln!(s, "  • {}", clip(&f.responsibility, 100));
            if f.best.is_empty() {
                let _ = writeln!(s, "      (no supporting bullet)");
            }
            for b in &f.best {
                let pos = b
                    .position
                    .as_deref()
                    .map(|p| format!(" — {}", clip(p, 40)))
                    .unwrap_or_default();
                let _ = writeln!(s, "      {:.2}  \"{}\"{pos}", b.similarity, clip(&b.bullet, 90));
            }
        }
    }
    if !r.suggestions.is_empty() {
        let _ = writeln!(s, "\nSuggestions:");
        for (i, sg) in r.suggestions.iter().enumerate() {
            let _ = writeln!(s, "  {}. {}", i + 1, sg.message);
        }
    }
    s
}

/// A `--resume` filter: a file's hash, a stored version's hash, or a hash (prefix) as typed.
fn resume_filter(arg: &str, store: &Store) -> Result<String, CliError> {
    let path = Path::new(arg);
    if path.is_file() {
        let bytes = std::fs::read(path)
            .map_err(|e| CliError::new(ErrorCode::Validation, format!("cannot read {arg}: {e}")))?;
        return Ok(bytes_hash(&bytes));
    }
    if let Ok(v) = core_match::stored_resume(store, arg) {
        return Ok(v.sha256);
    }
    Ok(arg.to_lowercase())
}

fn jd_filter(arg: &str, store: &mut Option<Store>) -> Result<String, CliError> {
    let path = Path::new(arg);
    if path.is_file() || arg == "-" {
        return Ok(jd_hash(&read_jd(arg, store)?.0));
    }
    if let Some(s) = store.as_ref()
        && let Ok((_, text)) = core_match::stored_job_description(s, arg)
    {
        return Ok(jd_hash(&text));
    }
    Ok(arg.to_lowercase())
}

/// `match history --json`: the matches, and the scores and trend of each resume × job pair.
#[derive(serde::Serialize)]
struct HistoryOut<'a> {
    matches: &'a [MatchRecord],
    pairs: Vec<PairTrend>,
}

#[derive(serde::Serialize)]
struct PairTrend {
    resume_sha256: String,
    resume_label: Option<String>,
    jd_sha256: String,
    jd_title: Option<String>,
    scores: Vec<u8>,
    trend: Option<qoder_domain::matching::Trend>,
}

fn history(args: HistoryArgs) -> CliResult {
    let mut store = Some(open_store()?);
    let resume = match &args.resume {
        Some(r) => Some(resume_filter(r, store.as_ref().expect("opened"))?),
        None => None,
    };
    let jd = match &args.jd {
        Some(j) => Some(jd_filter(j, &mut store)?),
        None => None,
    };
    let store = store.expect("opened");
    // Full hashes filter in SQL; a prefix is matched here.
    let full = |h: &Option<String>| h.as_ref().filter(|h| h.len() == 64).cloned();
    let filter = Filter { resume_sha256: full(&resume), jd_sha256: full(&jd), limit: 0 };
    let mut rows = core_match::history(&store, &filter).map_err(match_error)?;
    rows.retain(|m| {
        resume.as_ref().is_none_or(|p| m.resume_sha256.starts_with(p.as_str()))
            && jd.as_ref().is_none_or(|p| m.jd_sha256.starts_with(p.as_str()))
    });
    if args.limit > 0 && rows.len() > args.limit {
        rows.drain(..rows.len() - args.limit);
    }

    // One trend per resume × job pair, in order of first appearance.
    let mut pairs: Vec<((String, String), Vec<&MatchRecord>)> = Vec::new();
    for m in &rows {
        let k = (m.resume_sha256.clone(), m.jd_sha256.clone());
        match pairs.iter_mut().find(|(pk, _)| *pk == k) {
            Some((_, v)) => v.push(m),
            None => pairs.push((k, vec![m])),
        }
    }
    let trends: Vec<PairTrend> = pairs
        .iter()
        .map(|((r, j), ms)| {
            let scores: Vec<u8> = ms.iter().map(|m| m.score).collect();
            PairTrend {
                resume_sha256: r.clone(),
                resume_label: ms.last().and_then(|m| m.resume_label.clone()),
                jd_sha256: j.clone(),
                jd_title: ms.last().and_then(|m| m.jd_title.clone()),
                trend: core_match::trend(&scores),
                scores,
            }
        })
        .collect();

    if args.json {
        let out = HistoryOut { matches: &rows, pairs: trends };
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if rows.is_empty() {
        println!(
            "No matches recorded{}.",
            if resume.is_some() || jd.is_some() { " for that filter" } else { "" }
        );
        return Ok(());
    }
    println!("{:<17} {:>5}  {:<30} {:<40}", "when (UTC)", "score", "resume", "job");
    for m in &rows {
        println!(
            "{:<17} {:>5}  {:<30} {:<40}",
            m.created_at.format("%Y-%m-%d %H:%M"),
            m.score,
            clip(
                m.resume_label
                    .as_deref()
                    .unwrap_or(&m.resume_sha256[..12.min(m.resume_sha256.len())]),
                30
            ),
            clip(m.jd_title.as_deref().unwrap_or(&m.jd_sha256[..12.min(m.jd_sha256.len())]), 40),
        );
    }
    println!("\nTrend per resume × job:");
    for ((_, _), ms) in &pairs {
        let scores: Vec<u8> = ms.iter().map(|m| m.score).collect();
        if let Some(t) = core_match::trend(&scores) {
            let last = ms.last().expect("non-empty");
            let shown: Vec<String> =
                scores.iter().rev().take(10).rev().map(u8::to_string).collect();
            println!(
                "  {} × {}: {} ({:?}, {:+} over {} runs, best {})",
                clip(last.resume_label.as_deref().unwrap_or("?"), 30),
                clip(last.jd_title.as_deref().unwrap_or("?"), 40),
                shown.join(" → "),
                t.direction,
                t.change,
                t.runs,
                t.best
            );
        }
    }
    Ok(())
}
