//! qoder-analysis: bytes in, facts out.
//!
//! Pure and deterministic: no database, no network, no clock (the current date is passed in).
#![forbid(unsafe_code)]

pub mod extract;
pub mod fit;

use qoder_domain::{AtsReport, CodedError, ErrorCode, ParsedResume};
use serde::{Deserialize, Serialize};

/// How to analyse one file.
#[derive(Clone, Debug, Default)]
pub struct AnalyzeOptions {
    pub limits: extract::Limits,
    /// The file name as the user gave it (the ATS report checks it); never used to pick a parser.
    pub file_name: Option<String>,
    /// Today's date as (year, month), for "Present" and date checks. Passed in: this crate has
    /// no clock.
    pub today: (i32, u8),
    /// Run the parser in a child process (see [`extract::isolate`]); `None` parses in-process.
    pub worker: Option<extract::isolate::WorkerCommand>,
}

/// The result of analysing one resume file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub resume: ParsedResume,
    pub ats: AtsReport,
}

/// Why an analysis failed.
#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    #[error(transparent)]
    Extract(#[from] extract::ExtractError),
}

impl CodedError for AnalyzeError {
    fn code(&self) -> ErrorCode {
        match self {
            AnalyzeError::Extract(e) => e.code(),
        }
    }
}

pub mod ats;
pub mod jd;
pub mod matching;
pub mod skills;
pub mod structure;
pub mod words;

/// The steps of [`analyze_staged`], reported as each begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading the text out of the file (the slow, untrusted part).
    Extracting,
    /// Sections, contact, experience, skills and the ATS checks.
    Analysing,
}

/// Analyse one resume file: extract its text (isolated when `opts.worker` is set), read its
/// structure and skills, and score it for ATS readiness.
pub fn analyze(bytes: &[u8], opts: &AnalyzeOptions) -> Result<Analysis, AnalyzeError> {
    analyze_staged(bytes, opts, &mut |_| {})
}

/// [`analyze`], telling `on_stage` when each step begins (for progress bars).
pub fn analyze_staged(
    bytes: &[u8],
    opts: &AnalyzeOptions,
    on_stage: &mut dyn FnMut(Stage),
) -> Result<Analysis, AnalyzeError> {
    on_stage(Stage::Extracting);
    let extracted = match &opts.worker {
        Some(worker) => {
            // While the child process parses, build the skills matcher and compile the
            // parser's patterns (tens of milliseconds, once per process) on another thread.
            let warm = std::thread::spawn(structure::warm_up);
            let extracted = extract::isolate::extract_isolated(bytes, &opts.limits, worker);
            let _ = warm.join();
            extracted?
        }
        None => extract::extract(bytes, &opts.limits)?,
    };
    on_stage(Stage::Analysing);
    let mut resume = structure::parse(&extracted, opts.today);
    resume.document.file_name = opts.file_name.clone();
    let ats = ats::report(&resume, opts.today);
    Ok(Analysis { resume, ats })
}
