//! `qoder data …`: the local activity log, full-text search and the export of all local data.

use crate::cmd::jobs::{open_store, print_json};
use crate::exit::{CliError, CliResult};
use qoder_core::export;
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Write all local data (JSON + original files) to one zip (GDPR export).
    Export {
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The local activity log, newest first.
    Log {
        /// Only this kind of entity: job, resume, resume_version, interview, reminder, setting.
        #[arg(long)]
        entity: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over job descriptions, notes and resume text.
    Search {
        text: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(c: Command) -> CliResult {
    let store = open_store()?;
    match c {
        Command::Export { out, json } => {
            let s = export::export_all(&store, &out)?;
            if json {
                return print_json(&s);
            }
            println!(
                "wrote {}: {} job(s), {} resume(s), {} version(s), {} file(s), {} log entries",
                s.path, s.jobs, s.resumes, s.versions, s.files, s.activity
            );
            Ok(())
        }
        Command::Log { entity, limit, json } => {
            let log = export::log(&store, entity.as_deref(), limit)?;
            if json {
                return print_json(&log);
            }
            for a in &log {
                println!(
                    "{}  {:<15} {:<8} {}  {}",
                    a.at.to_rfc3339(),
                    a.entity,
                    a.action,
                    a.entity_id,
                    a.detail
                );
            }
            Ok(())
        }
        Command::Search { text, limit, json } => {
            if limit == 0 || limit > 100 {
                return Err(CliError::bad_input("limit: must be between 1 and 100"));
            }
            let hits = qoder_core::search(&store, &text, limit)?;
            if json {
                return print_json(&hits);
            }
            for h in &hits {
                println!("{:?}  {}  {}\n    {}", h.kind, h.id, h.title, h.snippet);
            }
            Ok(())
        }
    }
}
