//! `qoder parse FILE [--format json-resume|text|json]`

use crate::cmd::analyze::analyze_file;
use crate::exit::CliResult;
use qoder_domain::json_resume::JsonResume;
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
        Format::Json => println!("{}", serde_json::to_string_pretty(&analysis.resume)?),
    }
    Ok(())
}
