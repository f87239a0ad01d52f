//! `qoder bulk …`: screen many resumes against one job description (recruiters).
//!
//! `run DIR_OR_ZIP_OR_FILES… --jd JD` parses every PDF/DOCX/TXT (isolated, `--concurrency`
//! at a time), ranks them by job-fit score and stores the batch; running the same command again
//! continues the batch (files already read are not read again); Ctrl-C stops it cleanly.
//! `list`, `show`, `export`, `status`, `track` and `retry` work on stored batches. Progress goes to stderr.

use crate::cmd::analyze::options_for;
use crate::cmd::matching::read_jd;
use crate::cmd::{open_store, print_json};
use crate::exit::{CliError, CliResult};
use qoder_core::bulk::{self, BatchChoice, BulkExportFormat, BulkRequest, Identity};
use qoder_domain::bulk::{
    BatchView, BulkCandidate, BulkEvent, Criteria, KnockoutResult, RecruiterStatus,
};
use qoder_domain::{CodedError, ErrorCode};
use qoder_embed::{EmbedConfig, EmbedError, Embedder, default_model_dir};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Screen a folder (recursively), a .zip or several files against a job description.
    /// The same input and JD again continue the same batch (done files are not parsed again).
    Run(RunArgs),
    /// Screening batches, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// A batch: candidates ranked best first, then failed and duplicate files.
    Show {
        batch: String,
        #[arg(long)]
        json: bool,
        /// Hide names, contact details, file names, school names and degree years.
        #[arg(long)]
        anonymised: bool,
        /// Only candidates flagged by a knock-out criterion.
        #[arg(long)]
        flagged: bool,
        /// Only candidates with this recruiter status.
        #[arg(long, value_enum)]
        status: Option<RecruiterStatus>,
        /// Show at most this many candidates (0: all).
        #[arg(long, default_value_t = 0)]
        top: usize,
    },
    /// Write the ranking with its score components as CSV or XLSX.
    Export {
        batch: String,
        #[arg(long, value_enum)]
        format: BulkExportFormat,
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long)]
        anonymised: bool,
    },
    /// Set a candidate's status (new, shortlisted, rejected, contacted) and/or a note.
    Status {
        batch: String,
        candidate: i64,
        #[arg(long, value_enum)]
        set: Option<RecruiterStatus>,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Add a ranked candidate to the job tracker: the batch's JD as the job, the candidate as
    /// its contact, the score and skills in its notes.
    Track {
        batch: String,
        candidate: i64,
        #[arg(long)]
        json: bool,
    },
    /// Read a batch's failed files again (and any not read yet), then rank again.
    Retry {
        batch: String,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        keyword_only: bool,
    },
}

#[derive(clap::Args)]
pub struct RunArgs {
    /// A folder, a .zip, or one or more resume files.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The job description: a PDF, DOCX or TXT file, `-` for stdin, or a tracked job id.
    #[arg(long)]
    pub jd: String,
    /// Print the outcome as JSON: `candidates` ranked best first, each with `file`, `score`
    /// (0–100) and `components`.
    #[arg(long)]
    pub json: bool,
    /// Files parsed at once (default: the number of cores).
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Knock-out: a skill every candidate should show (repeat for more). Flags, never rejects.
    #[arg(long = "must-have")]
    pub must_have: Vec<String>,
    /// Knock-out: least years of dated experience.
    #[arg(long)]
    pub min_years: Option<f32>,
    /// Knock-out: a certificate or licence that should be stated (repeat for more).
    #[arg(long = "require-cert")]
    pub certificates: Vec<String>,
    /// Knock-out: a statement the resume should make, e.g. "authorized to work in the US".
    #[arg(long = "require")]
    pub statements: Vec<String>,
    /// Plausible candidates re-scored with the embedding model (0: keyword scores only).
    #[arg(long, default_value_t = bulk::DEFAULT_SEMANTIC_TOP)]
    pub semantic_top: usize,
    /// Do not use the embedding model.
    #[arg(long)]
    pub keyword_only: bool,
    /// Start a new batch even when this input and JD were screened before.
    #[arg(long)]
    pub new: bool,
    /// Show at most this many candidates in the text output (0: all).
    #[arg(long, default_value_t = 25)]
    pub top: usize,
}

pub fn run(c: Command) -> CliResult {
    match c {
        Command::Run(args) => run_batch(args),
        Command::List { json } => list(json),
        Command::Show { batch, json, anonymised, flagged, status, top } => {
            let store = open_store()?;
            let mut v = bulk::with_identity(bulk::show(&store, &batch)?, identity(anonymised));
            v.candidates.retain(|c| {
                (!flagged || c.flagged) && status.is_none_or(|s| c.recruiter_status == s)
            });
            if json {
                return print_json(&v);
            }
            print!("{}", render(&v, top));
            Ok(())
        }
        Command::Export { batch, format, output, anonymised } => {
            let store = open_store()?;
            let v = bulk::with_identity(bulk::show(&store, &batch)?, identity(anonymised));
            let bytes = bulk::export(&v, format)?;
            std::fs::write(&output, bytes).map_err(|e| {
                CliError::new(
                    ErrorCode::Validation,
                    format!("cannot write {}: {e}", output.display()),
                )
            })?;
            eprintln!(
                "wrote {} ({} ranked candidates, {} failed, {} duplicates)",
                output.display(),
                v.candidates.len(),
                v.failed.len(),
                v.duplicates.len()
            );
            Ok(())
        }
        Command::Status { batch, candidate, set, note, json } => {
            let mut store = open_store()?;
            let c = bulk::set_status(&mut store, &batch, candidate, set, note.as_deref())?;
            if json {
                return print_json(&c);
            }
            println!(
                "candidate {}: {}{}",
                c.id,
                c.recruiter_status.as_str(),
                if c.notes.is_empty() { String::new() } else { format!(" — {}", c.notes) }
            );
            Ok(())
        }
        Command::Track { batch, candidate, json } => {
            let mut store = open_store()?;
            let job = bulk::track(&mut store, &batch, candidate)?;
            if json {
                return print_json(&job);
            }
            println!(
                "tracked candidate {candidate} as job {} ({}, {})",
                job.id,
                job.title,
                job.vendor_contact.as_deref().unwrap_or("no contact")
            );
            Ok(())
        }
        Command::Retry { batch, json, keyword_only } => {
            let mut store = open_store()?;
            let opts = options_for(Path::new("resume"))?;
            let req = bulk::retry_request(&mut store, &batch, opts, bulk::DEFAULT_SEMANTIC_TOP)?;
            execute(store, req, json, keyword_only, 25)
        }
    }
}

fn identity(anonymised: bool) -> Identity {
    if anonymised { Identity::Anonymised } else { Identity::Shown }
}

fn run_batch(args: RunArgs) -> CliResult {
    if args.concurrency == Some(0) || args.concurrency.is_some_and(|n| n > 64) {
        return Err(CliError::bad_input("--concurrency must be from 1 to 64"));
    }
    if args.min_years.is_some_and(|y| !(0.0..=60.0).contains(&y)) {
        return Err(CliError::bad_input("--min-years must be from 0 to 60"));
    }
    let source = bulk::source_of(&args.inputs)?;
    let mut store = Some(open_store()?);
    let (jd_text, _) = read_jd(&args.jd, &mut store)?;
    if jd_text.trim().is_empty() {
        return Err(CliError::bad_input(format!("{}: the job description is empty", args.jd)));
    }
    let store = store.expect("opened above");
    let analyze = options_for(Path::new("resume"))?;
    let req = BulkRequest {
        source,
        jd_text,
        criteria: Criteria {
            must_have: args.must_have,
            min_years: args.min_years,
            certificates: args.certificates,
            statements: args.statements,
        },
        concurrency: args.concurrency.unwrap_or(0),
        semantic_top: args.semantic_top,
        analyze,
        batch: if args.new { BatchChoice::New } else { BatchChoice::Continue },
    };
    execute(store, req, args.json, args.keyword_only || args.semantic_top == 0, args.top)
}

fn embed_error(e: EmbedError) -> CliError {
    match e {
        EmbedError::Setting { .. } => CliError::bad_input(e.to_string()),
        other => CliError::new(ErrorCode::Internal, other.to_string()),
    }
}

fn execute(
    store: qoder_core::Store,
    req: BulkRequest,
    json: bool,
    keyword_only: bool,
    top: usize,
) -> CliResult {
    let embedder = if keyword_only {
        None
    } else {
        let threads = qoder_embed::thread_count_from_env().map_err(embed_error)?;
        qoder_embed::set_thread_count_at_startup(threads);
        let config = EmbedConfig::from_env().map_err(embed_error)?;
        match Embedder::load_with(default_model_dir(), config) {
            Ok(e) => Some(e),
            Err(e @ EmbedError::ModelMissing { .. }) => {
                eprintln!("note: {e}\nnote: ranking with keyword scores only.");
                None
            }
            Err(e) => return Err(embed_error(e)),
        }
    };
    let cache = embedder.as_ref().and_then(|_| qoder_core::Cache::open(store.dir()).ok());
    let store = Mutex::new(store);
    // Ctrl-C stops after the files being read (they are saved), so the same command continues;
    // a second Ctrl-C quits at once.
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\nstopping after the files being read (Ctrl-C again quits now)…");
    });
    let mut on_event = |e: BulkEvent| match e {
        BulkEvent::Started { batch_id, total, to_parse, already_done, resumed } => eprintln!(
            "batch {batch_id}: {total} file(s), {to_parse} to read{}",
            if resumed {
                format!(" (continuing: {already_done} already read)")
            } else {
                String::new()
            }
        ),
        BulkEvent::Stage { stage } => eprintln!("== {}", stage.as_str()),
        BulkEvent::FileFinished { file, ok, error, done, to_parse } => match (ok, error) {
            (true, _) => eprintln!("[{done}/{to_parse}] ok {file}"),
            (false, Some(e)) => eprintln!("[{done}/{to_parse}] FAILED {file}: {}", e.message),
            (false, None) => eprintln!("[{done}/{to_parse}] FAILED {file}"),
        },
        BulkEvent::Cancelled { done, to_parse } => {
            eprintln!("cancelled after {done} of {to_parse} files; run again to continue")
        }
        BulkEvent::Finished { .. } => {}
    };
    let out = bulk::run(&store, cache.as_ref(), embedder.as_ref(), &req, &mut on_event, &cancel)
        .map_err(|e| CliError::new(e.code(), e.to_string()))?;
    if out.cancelled && cancel.load(Ordering::SeqCst) {
        // Interrupted: what was read is saved; the exit status says it did not finish.
        drop(store);
        std::process::exit(130);
    }
    if json {
        return print_json(&out);
    }
    print!("{}", render(&out.view, top));
    println!(
        "\nRead now: {}, read before: {}, skipped (not PDF/DOCX/TXT): {}",
        out.parsed_now,
        out.already_done,
        out.skipped.len()
    );
    let stages: Vec<String> = out
        .stages
        .iter()
        .map(|s| format!("{} {} ms ({})", s.stage.as_str(), s.millis, s.items))
        .collect();
    println!("Stages: {}", stages.join(" · "));
    match &out.model_id {
        Some(m) => println!("Semantic re-scoring of the plausible best with {m}."),
        None => println!("Keyword scores only (no embedding model used)."),
    }
    Ok(())
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn label(c: &BulkCandidate) -> String {
    let file = Path::new(c.file.rsplit("!/").next().unwrap_or(&c.file))
        .file_name()
        .map_or_else(|| c.file.clone(), |n| n.to_string_lossy().into_owned());
    match &c.name {
        Some(n) => format!("{n} ({file})"),
        None => file,
    }
}

fn render(v: &BatchView, top: usize) -> String {
    use std::fmt::Write;
    let b = &v.batch;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Batch {} — {} — {} ({} files: {} ranked, {} failed, {} duplicates, {} queued)",
        b.id,
        b.jd_title.as_deref().unwrap_or("(untitled job)"),
        b.state.as_str(),
        b.counts.total,
        v.candidates.len(),
        v.failed.len(),
        v.duplicates.len(),
        v.queued.len()
    );
    let _ = writeln!(
        s,
        "\n{:>4} {:>6} {:>5}  {:<12} {:<4} {:<40} knock-outs",
        "rank", "id", "score", "status", "flag", "candidate"
    );
    let n = if top == 0 { v.candidates.len() } else { top.min(v.candidates.len()) };
    for c in &v.candidates[..n] {
        let knock: Vec<String> = c
            .knockouts
            .iter()
            .filter(|k| k.result != KnockoutResult::Met)
            .map(|k| format!("{}: {}", k.criterion, k.result.as_str().replace('_', " ")))
            .collect();
        let mut extra = Vec::new();
        if let Some(p) = c.same_person_as {
            extra.push(format!("same person as {p}"));
        }
        if !c.duplicates.is_empty() {
            extra.push(format!("{} duplicate file(s)", c.duplicates.len()));
        }
        let _ = writeln!(
            s,
            "{:>4} {:>6} {:>5}  {:<12} {:<4} {:<40} {}{}",
            c.rank.unwrap_or(0),
            c.id,
            c.score.map(|x| x.to_string()).unwrap_or_default(),
            c.recruiter_status.as_str(),
            if c.flagged { "!" } else { "" },
            clip(&label(c), 40),
            knock.join("; "),
            if extra.is_empty() { String::new() } else { format!(" [{}]", extra.join(", ")) }
        );
    }
    if n < v.candidates.len() {
        let _ =
            writeln!(s, "… {} more (`qoder bulk show {} --top 0`)", v.candidates.len() - n, b.id);
    }
    if !v.failed.is_empty() {
        let _ = writeln!(
            s,
            "\nFailed ({}; `qoder bulk retry {}` reads them again):",
            v.failed.len(),
            b.id
        );
        for c in &v.failed {
            let (code, msg) = c.error.as_ref().map_or((String::new(), String::new()), |e| {
                (
                    serde_json::to_value(e.code)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    e.message.clone(),
                )
            });
            let _ = writeln!(s, "  {} — {code}: {msg}", c.file);
        }
    }
    if !v.duplicates.is_empty() {
        let _ = writeln!(s, "\nDuplicates (same bytes, read once): {}", v.duplicates.len());
        for c in &v.duplicates {
            let _ = writeln!(s, "  {} = candidate {}", c.file, c.duplicate_of.unwrap_or(0));
        }
    }
    s
}

fn list(json: bool) -> CliResult {
    let store = open_store()?;
    let batches = bulk::list(&store)?;
    if json {
        return print_json(&batches);
    }
    if batches.is_empty() {
        println!("No screening batches yet (`qoder bulk run FOLDER --jd JD`).");
        return Ok(());
    }
    println!("{:<36}  {:<9} {:>6} {:>6} {:>6}  job", "batch", "state", "files", "done", "failed");
    for b in batches {
        println!(
            "{:<36}  {:<9} {:>6} {:>6} {:>6}  {}",
            b.id,
            b.state.as_str(),
            b.counts.total,
            b.counts.done,
            b.counts.failed,
            b.jd_title.as_deref().unwrap_or("(untitled)")
        );
    }
    Ok(())
}
