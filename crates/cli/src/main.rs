//! `qoder`: the QoderResume command line.
//!
//! Exit codes: 0 ok, 2 bad input (the specific error on stderr), 1 internal error.

mod cmd;
mod exit;

/// The settings from the environment ([`qoder_core::Config`]), read once per run and only by
/// the commands that need them (a bad value fails those commands, with the same message the
/// app gives).
pub(crate) fn config() -> Result<&'static qoder_core::Config, exit::CliError> {
    static CONFIG: std::sync::OnceLock<Result<qoder_core::Config, qoder_domain::ErrorBody>> =
        std::sync::OnceLock::new();
    match CONFIG.get_or_init(|| {
        qoder_core::Config::from_env().map_err(|e| qoder_domain::CodedError::body(&e))
    }) {
        Ok(c) => Ok(c),
        Err(b) => Err(exit::CliError(b.clone())),
    }
}

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "qoder",
    version,
    about = "Local-first resume analysis, matching and job tracking"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per run; boxing the larger variants would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Print the parsed resume (JSON Resume by default).
    Parse(cmd::parse::Args),
    /// Score a resume for ATS readiness and explain every point.
    Analyze(cmd::analyze::Args),
    /// Job tracker: add, list, show, update, status, rm, stats, export, import.
    #[command(subcommand)]
    Jobs(cmd::jobs::Command),
    /// Stored resumes and their versions.
    #[command(subcommand)]
    Resume(cmd::resume::Command),
    /// Local data: activity log, full-text search, export of everything (zip).
    #[command(subcommand)]
    Data(cmd::data::Command),
    /// Match a resume against a job description: an explained 0–100 score; `match history`.
    Match(cmd::matching::Args),
    /// Cosine similarity matrix of the texts' local embeddings (all-MiniLM-L6-v2).
    Similarity(cmd::similarity::Args),
    /// AI bullet points for a job's missing skills and weak bullets (grounded in the resume).
    Suggest(cmd::suggest::SuggestArgs),
    /// AI variants of one bullet (stronger verb, quantified, concise) to choose from.
    Rewrite(cmd::suggest::RewriteArgs),
    /// An AI review of the whole resume, beside the rule-based ATS report.
    Review(cmd::suggest::ReviewArgs),
    /// AI providers, keys (OS keychain), daily limits and usage.
    #[command(subcommand)]
    Ai(cmd::ai::Command),
    /// End-to-end-encrypted sync with a qoder-server: login, now, status, on/off, conflicts.
    #[command(subcommand)]
    Sync(cmd::sync::Command),
    /// The sync account's plan and billing: status, usage, plans, upgrade, portal, invoices.
    #[command(subcommand)]
    Account(cmd::account::Command),
    /// Screen many resumes against one job description: run, list, show, export, status, retry.
    #[command(subcommand)]
    Bulk(cmd::bulk::Command),
    /// Interviews in Google Calendar or Outlook: connect, sync, status, disconnect.
    #[command(subcommand)]
    Calendar(cmd::calendar::Command),
    /// Parse one file in this process and write the result to stdout (used by the app itself to
    /// isolate parsers of untrusted files).
    #[command(name = WORKER_COMMAND, hide = true)]
    ExtractWorker,
}

/// The hidden sub-command that runs the isolated parse worker.
const WORKER_COMMAND: &str = "__extract-worker";

fn main() -> ExitCode {
    // The parse worker starts once per file read: it skips building the command-line parser.
    if std::env::args_os().nth(1).is_some_and(|a| a == WORKER_COMMAND) {
        return qoder_analysis::extract::isolate::worker_main();
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => cmd::parse::run(args),
        Command::Analyze(args) => cmd::analyze::run(args),
        Command::Jobs(c) => cmd::jobs::run(c),
        Command::Resume(c) => cmd::resume::run(c),
        Command::Data(c) => cmd::data::run(c),
        Command::Match(args) => cmd::matching::run(args),
        Command::Similarity(args) => cmd::similarity::run(args),
        Command::Suggest(args) => cmd::suggest::suggest(args),
        Command::Rewrite(args) => cmd::suggest::rewrite(args),
        Command::Review(args) => cmd::suggest::review(args),
        Command::Ai(c) => cmd::ai::run(c),
        Command::Sync(c) => cmd::sync::run(c),
        Command::Account(c) => cmd::account::run(c),
        Command::Bulk(c) => cmd::bulk::run(c),
        Command::Calendar(c) => cmd::calendar::run(c),
        Command::ExtractWorker => return qoder_analysis::extract::isolate::worker_main(),
    };
    exit::report(result)
}
