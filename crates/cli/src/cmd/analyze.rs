//! `qoder analyze FILE [--json]`

use crate::exit::{CliError, CliResult};
use qoder_analysis::{Analysis, AnalyzeOptions};
use qoder_domain::{CheckStatus, ErrorCode};
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
    let meta = std::fs::metadata(path).map_err(|e| read_error(path, e))?;
    if meta.len() > opts.limits.max_bytes {
        return Err(CliError::new(
            ErrorCode::FileTooLarge,
            format!(
                "{}: the file is {} bytes; the limit is {} bytes",
                path.display(),
                meta.len(),
                opts.limits.max_bytes
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| read_error(path, e))?;
    qoder_analysis::analyze(&bytes, &opts)
        .map_err(|e| CliError::new(e.code(), format!("{}: {e}", path.display())))
}

fn read_error(path: &Path, e: std::io::Error) -> CliError {
    let code = match e.kind() {
        std::io::ErrorKind::NotFound => ErrorCode::NotFound,
        _ => ErrorCode::Validation,
    };
    CliError::new(code, format!("cannot read {}: {e}", path.display()))
}

pub fn options_for(path: &Path) -> Result<AnalyzeOptions, CliError> {
    let mut opts = AnalyzeOptions {
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        today: today(),
        ..AnalyzeOptions::default()
    };
    if let Ok(v) = std::env::var("QODER_MAX_UPLOAD_BYTES") {
        opts.limits.max_bytes = v.parse().map_err(|_| {
            CliError::bad_input(format!(
                "QODER_MAX_UPLOAD_BYTES must be a number of bytes, got {v:?}"
            ))
        })?;
    }
    if std::env::var_os("QODER_PARSE_IN_PROCESS").is_none() {
        let exe = std::env::current_exe()?;
        opts.worker = Some(qoder_analysis::extract::isolate::WorkerCommand {
            program: exe,
            args: vec!["__extract-worker".to_string()],
        });
    }
    Ok(opts)
}

/// Today's (year, month) from the system clock (UTC).
pub fn today() -> (i32, u8) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let days = secs.div_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as i32, month as u8)
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
