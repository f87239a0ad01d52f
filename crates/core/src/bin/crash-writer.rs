//! A writer for the crash test: adds jobs, changes statuses and imports small CSV batches in a
//! loop, printing a line to stdout after each commit. The test kills it with SIGKILL at random
//! moments and checks that every printed write is in the database.
//!
//! Usage: crash-writer DIR TAG

use qoder_core::{Store, job, jobs_csv};
use qoder_domain::job::{JobFields, JobStatus};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(tag)) = (args.next(), args.next()) else {
        eprintln!("usage: crash-writer DIR TAG");
        return ExitCode::from(2);
    };
    let mut store = match Store::open(std::path::Path::new(&dir)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("open: {e}");
            return ExitCode::from(1);
        }
    };
    let mut out = std::io::stdout().lock();
    let description =
        "Design and build Rust services on PostgreSQL and Kafka; mentor engineers. ".repeat(20);
    for i in 0u64.. {
        let fields = JobFields {
            title: Some(format!("crash {tag} {i}")),
            company: Some("Crash Co".into()),
            vendor_name: Some(format!("Vendor {}", i % 7)),
            description: Some(description.clone()),
            status: Some(JobStatus::Applied),
            ..JobFields::default()
        };
        let j = match job::add(&mut store, &fields) {
            Ok(j) => j,
            Err(e) => {
                eprintln!("add: {e}");
                return ExitCode::from(1);
            }
        };
        let _ = writeln!(out, "job {}", j.id);
        if i % 3 == 0 {
            if let Err(e) =
                job::set_status(&mut store, j.id, JobStatus::Interviewing, Some("crash test"))
            {
                eprintln!("status: {e}");
                return ExitCode::from(1);
            }
            let _ = writeln!(out, "status {} interviewing", j.id);
        }
        if i % 10 == 0 {
            let mut csv = String::from("title,company,status,description\n");
            for k in 0..25 {
                csv.push_str(&format!(
                    "batch {tag} {i} {k},Batch Co,saved,\"{}\"\n",
                    &description[..200]
                ));
            }
            if let Err(e) = jobs_csv::import(&mut store, csv.as_bytes()) {
                eprintln!("import: {e}");
                return ExitCode::from(1);
            }
            let _ = writeln!(out, "batch batch {tag} {i} 25");
        }
        let _ = out.flush();
    }
    ExitCode::SUCCESS
}
