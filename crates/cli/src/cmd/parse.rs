//! `qoder parse FILE [--format json-resume|text|json]`

use crate::cmd::analyze::analyze_file;
use crate::exit::CliResult;
use qoder_domain::json_resume::JsonResume;
use qoder_domain::{FieldConfidence, ParsedResume};
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    /// JSON Resume v1.0.0 (jsonresume.org).
    JsonResume,
    /// The extracted text in reading order.
    Text,
    /// Everything the parser found (sections, entries, skills with evidence), as JSON.
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// A resume: PDF, DOCX or TXT.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value = "json-resume")]
    pub format: Format,
}

pub fn run(args: Args) -> CliResult {
    let analysis = analyze_file(&args.file)?;
    match args.format {
        Format::JsonResume => {
            let j = JsonResume::from(&analysis.resume);
            println!("{}", serde_json::to_string_pretty(&j)?);
        }
        Format::Text => print!("{}", analysis.resume.text),
        // `confidence` is part of the JSON (every field, with its line and reason).
        Format::Json => println!("{}", serde_json::to_string_pretty(&analysis.resume)?),
    }
    if !matches!(args.format, Format::Json) {
        eprint!("{}", please_check(&analysis.resume));
    }
    Ok(())
}

/// The fields the parser is unsure of (under [`FieldConfidence::CONFIRM_BELOW`]), for the user
/// to check: field, value, confidence and reason, and the line it was read from. Empty when
/// everything read is certain.
pub fn please_check(r: &ParsedResume) -> String {
    let unsure = qoder_core::correction::needing_confirmation(r);
    if unsure.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "please check {} field(s) read with confidence below {} \
         (store the resume and fix one with `qoder resume correct VERSION --field F --value V`):\n",
        unsure.len(),
        FieldConfidence::CONFIRM_BELOW
    );
    for c in unsure {
        let value =
            c.value.as_deref().map_or_else(|| "(not found)".to_string(), |v| format!("{v:?}"));
        out.push_str(&format!(
            "  {}: {value}  confidence {:.2}: {}\n",
            c.field, c.confidence, c.reason
        ));
        if let Some(line) = &c.source_line {
            out.push_str(&format!("      read from: {}\n", line.trim()));
        }
    }
    out
}
