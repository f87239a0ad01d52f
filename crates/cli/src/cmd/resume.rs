//! `qoder resume …`: stored resumes and their versions.

use crate::cmd::analyze::options_for;
use crate::cmd::jobs::{open_store, print_json};
use crate::exit::{CliError, CliResult};
use qoder_core::resume::{ExportFormat, Family};
use qoder_core::{correction, diff, resume};
use qoder_domain::version::{ResumeVersion, SectionChange};
use qoder_domain::{CodedError, ErrorCode};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Store a resume file as a new version (PDF, DOCX or TXT). The same bytes again are not
    /// duplicated. Joins the family with the same file name unless --family or --new.
    Import {
        file: PathBuf,
        /// Add to this resume family (id or prefix).
        #[arg(long, conflicts_with = "new")]
        family: Option<String>,
        /// Start a new family.
        #[arg(long)]
        new: bool,
        #[arg(long)]
        json: bool,
    },
    /// Resume families.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Versions, newest first (of one family, or all).
    Versions {
        #[arg(long)]
        family: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Add tags to a version (or take them off with --remove).
    Tag {
        version: String,
        #[arg(required = true)]
        tags: Vec<String>,
        #[arg(long)]
        remove: bool,
        #[arg(long)]
        json: bool,
    },
    /// Set the notes (Markdown) of a version; --file reads them from a file.
    Note {
        version: String,
        #[arg(required_unless_present = "file")]
        text: Option<String>,
        #[arg(long, conflicts_with = "text")]
        file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Pin a version so retention never removes it (--off to unpin).
    Pin {
        version: String,
        #[arg(long)]
        off: bool,
        #[arg(long)]
        json: bool,
    },
    /// Correct a field the parser read from a version (kept with the version; matching, the ATS
    /// report and exports use it). Fields: name, email, phone, location, experience[N].title,
    /// experience[N].employer, experience[N].dates (N counts from 0). Giving the value as read
    /// confirms it; an empty value clears the field.
    Correct {
        version: String,
        #[arg(long)]
        field: String,
        #[arg(long, allow_hyphen_values = true)]
        value: String,
        #[arg(long)]
        json: bool,
    },
    /// Compare two versions section by section, with the ATS score delta.
    Diff {
        from: String,
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// Write a version as its original file, its text or JSON Resume (stdout or --out).
    Export {
        version: String,
        #[arg(long, value_enum, default_value = "original")]
        format: ExportFormat,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Apply the retention policy (last N per family; pinned and job-referenced kept) and
    /// report what was removed. --keep N changes the policy first.
    Cleanup {
        #[arg(long)]
        keep: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(c: Command) -> CliResult {
    let mut store = open_store()?;
    match c {
        Command::Import { file, family, new, json } => {
            let opts = options_for(&file)?;
            let target = match (family, new) {
                (Some(f), _) => Family::Existing(resume::resolve_family(&store, &f)?),
                (None, true) => Family::New,
                (None, false) => Family::Auto,
            };
            let store = std::sync::Mutex::new(store);
            let never = std::sync::atomic::AtomicBool::new(false);
            let source = resume::ImportSource::Path(file.clone());
            let config = crate::config()?;
            let out =
                resume::import_file(&store, source, target, &opts, config, &mut |_, _| {}, &never)
                    .map_err(|e| CliError::new(e.code(), format!("{}: {e}", file.display())))?
                    .ok_or_else(|| {
                        CliError::new(ErrorCode::Internal, "the import was cancelled")
                    })?;
            if json {
                return print_json(&out);
            }
            let v = &out.version;
            if out.duplicate {
                println!(
                    "{} (already stored as version {} of resume {})",
                    v.id, v.seq, v.resume_id
                );
            } else {
                println!(
                    "{} (version {} of resume {}, ATS {}/100)",
                    v.id, v.seq, v.resume_id, v.ats_score
                );
            }
            for r in &out.removed {
                eprintln!("retention removed version {} ({})", r.seq, r.id);
            }
            Ok(())
        }
        Command::List { json } => {
            let f = resume::families(&store)?;
            if json {
                return print_json(&f);
            }
            for f in &f {
                println!(
                    "{}  {}  {} version(s)  updated {}",
                    f.id,
                    f.name,
                    f.versions,
                    f.updated_at.to_rfc3339()
                );
            }
            Ok(())
        }
        Command::Versions { family, json } => {
            let family = family.map(|f| resume::resolve_family(&store, &f)).transpose()?;
            let v = resume::versions(&store, family)?;
            if json {
                return print_json(&v);
            }
            for v in &v {
                println!("{}", render_version(v));
            }
            Ok(())
        }
        Command::Tag { version, tags, remove, json } => {
            let id = resume::resolve(&store, &version)?;
            let edit = if remove { resume::TagEdit::Remove } else { resume::TagEdit::Add };
            let v = resume::tag(&mut store, id, &tags, edit)?;
            if json {
                print_json(&v)
            } else {
                println!("{}", render_version(&v));
                Ok(())
            }
        }
        Command::Note { version, text, file, json } => {
            let id = resume::resolve(&store, &version)?;
            let notes = match file {
                Some(p) => std::fs::read_to_string(&p).map_err(|e| read_error(&p, e))?,
                None => text.unwrap_or_default(),
            };
            let v = resume::note(&mut store, id, &notes)?;
            if json {
                print_json(&v)
            } else {
                println!("{}", render_version(&v));
                Ok(())
            }
        }
        Command::Pin { version, off, json } => {
            let id = resume::resolve(&store, &version)?;
            let v = resume::pin(&mut store, id, !off)?;
            if json {
                print_json(&v)
            } else {
                println!("{}", render_version(&v));
                Ok(())
            }
        }
        Command::Correct { version, field, value, json } => {
            let id = resume::resolve(&store, &version)?;
            let d = correction::correct_field(&mut store, id, &field, &value)?;
            let c = d.resume.confidence.iter().find(|c| c.field == field);
            if json {
                return print_json(&c);
            }
            let shown = c.and_then(|c| c.value.as_deref()).unwrap_or("(cleared)");
            println!("{field}: {shown} ({})", correction::CONFIRMED);
            println!("ATS {}/100", d.ats.score);
            eprint!("{}", crate::cmd::parse::please_check(&d.resume));
            Ok(())
        }
        Command::Diff { from, to, json } => {
            let (a, b) = (resume::resolve(&store, &from)?, resume::resolve(&store, &to)?);
            let d = diff::compare(&store, a, b)?;
            if json {
                return print_json(&d);
            }
            println!("ATS score: {} → {} ({:+})", d.ats_score_from, d.ats_score_to, d.ats_delta);
            for s in &d.sections {
                let name = if s.heading.is_empty() {
                    s.kind.as_str().to_string()
                } else {
                    s.heading.clone()
                };
                match s.change {
                    SectionChange::Unchanged => continue,
                    SectionChange::Added => println!("\n+ section {name}"),
                    SectionChange::Removed => println!("\n- section {name}"),
                    SectionChange::Changed => println!("\n~ section {name}"),
                }
                for l in &s.removed {
                    println!("  - {l}");
                }
                for l in &s.added {
                    println!("  + {l}");
                }
                for c in &s.changed {
                    println!("  ~ {}\n    → {}", c.from, c.to);
                    if !c.words_removed.is_empty() {
                        println!("    words removed: {}", c.words_removed.join(" "));
                    }
                    if !c.words_added.is_empty() {
                        println!("    words added: {}", c.words_added.join(" "));
                    }
                }
            }
            Ok(())
        }
        Command::Export { version, format, out } => {
            let id = resume::resolve(&store, &version)?;
            let (bytes, name) = resume::export(&store, id, format)?;
            match out {
                Some(p) => {
                    std::fs::write(&p, &bytes).map_err(|e| {
                        CliError::bad_input(format!("cannot write {}: {e}", p.display()))
                    })?;
                    eprintln!("wrote {} ({} bytes; stored as {name})", p.display(), bytes.len());
                }
                None => std::io::stdout().lock().write_all(&bytes)?,
            }
            Ok(())
        }
        Command::Cleanup { keep, json } => {
            let config = crate::config()?;
            if let Some(n) = keep {
                resume::set_retention_count(&mut store, n)?;
            }
            let r = resume::cleanup(&mut store, config)?;
            if json {
                return print_json(&r);
            }
            println!("retention: last {} version(s) per resume", r.retention_count);
            for v in &r.removed {
                println!(
                    "removed {} (version {} of {}{})",
                    v.id,
                    v.seq,
                    v.resume_id,
                    v.file_name.as_ref().map(|n| format!(", {n}")).unwrap_or_default()
                );
            }
            for id in &r.kept_pinned {
                println!("kept {id} (pinned)");
            }
            for id in &r.kept_referenced {
                println!("kept {id} (sent with a job application)");
            }
            println!(
                "{} version(s) removed, {} orphan file(s) removed",
                r.removed.len(),
                r.orphan_files_removed
            );
            Ok(())
        }
    }
}

fn read_error(path: &std::path::Path, e: std::io::Error) -> CliError {
    let code = if e.kind() == std::io::ErrorKind::NotFound {
        ErrorCode::NotFound
    } else {
        ErrorCode::Validation
    };
    CliError::new(code, format!("cannot read {}: {e}", path.display()))
}

fn render_version(v: &ResumeVersion) -> String {
    let mut flags = Vec::new();
    if v.pinned {
        flags.push("pinned".to_string());
    }
    if !v.job_ids.is_empty() {
        flags.push(format!("sent with {} job(s)", v.job_ids.len()));
    }
    format!(
        "{}  v{}  {}  ATS {}/100  {}{}{}",
        v.id,
        v.seq,
        v.file_name.as_deref().unwrap_or("-"),
        v.ats_score,
        v.created_at.format("%Y-%m-%d %H:%M"),
        if v.tags.is_empty() { String::new() } else { format!("  [{}]", v.tags.join(", ")) },
        if flags.is_empty() { String::new() } else { format!("  ({})", flags.join(", ")) }
    )
}
