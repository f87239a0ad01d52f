//! `qoder analyze FILE [--json]`

use crate::exit::{CliError, CliResult};
use qoder_analysis::{Analysis, AnalyzeOptions};
use qoder_domain::{CheckStatus, CodedError};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// A resume: PDF, DOCX or TXT.
    pub file: PathBuf,
    /// Print the report as JSON (`score` 0–100 and the list of checks).
    #[arg(long)]
    pub json: bool,
}

/// Read and analyse a file the way every command does: size-checked, parsed in a child process.
pub fn analyze_file(path: &Path) -> Result<Analysis, CliError> {
    let opts = options_for(path)?;
    let bytes = qoder_core::resume::read_file(path, opts.limits.max_bytes)
        .map_err(|e| CliError::new(e.code(), format!("{}: {e}", path.display())))?;
    qoder_analysis::analyze(&bytes, &opts)
        .map_err(|e| CliError::new(e.code(), format!("{}: {e}", path.display())))
}

/// How to analyse the file at `path` under the run's [`crate::config`].
pub fn options_for(path: &Path) -> Result<AnalyzeOptions, CliError> {
    let worker = qoder_analysis::extract::isolate::WorkerCommand::beside(
        std::env::current_exe()?,
        vec![crate::WORKER_COMMAND.to_string()],
    );
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    Ok(crate::config()?.analyze_options(file_name, Some(worker)))
}

pub fn run(args: Args) -> CliResult {
    let analysis = analyze_file(&args.file)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&analysis.ats)?);
        return Ok(());
    }
    print!("{}", render(&args.file, &analysis));
    Ok(())
}

fn render(path: &Path, a: &Analysis) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let r = &a.resume;
    let _ = writeln!(out, "ATS readiness: {}/100  ({})", a.ats.score, path.display());
    if let Some(name) = &r.contact.name {
        let _ = writeln!(out, "Candidate: {name}");
    }
    let _ = writeln!(
        out,
        "Sections: {}",
        r.sections
            .iter()
            .filter(|s| !s.heading.is_empty())
            .map(|s| s.heading.as_str())
            .collect::<Vec<_>>()
            .join(" · ")
    );
    let _ = writeln!(
        out,
        "Experience: {} position(s); education: {} entr(y/ies); skills found: {}",
        r.experience.len(),
        r.education.len(),
        r.skills.len()
    );
    let _ = writeln!(out);
    for c in &a.ats.checks {
        let mark = match c.status {
            CheckStatus::Pass => "PASS",
            CheckStatus::Warn => "WARN",
            CheckStatus::Fail => "FAIL",
        };
        let _ =
            writeln!(out, "[{mark}] {:>2}/{:<2} {} — {}", c.points, c.weight, c.title, c.detail);
        for e in c.evidence.iter().take(3) {
            let _ = writeln!(out, "           · {e}");
        }
        if let Some(fix) = &c.fix {
            let _ = writeln!(out, "           fix: {fix}");
        }
    }
    out
}
