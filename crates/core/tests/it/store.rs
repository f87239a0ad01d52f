//! qoder-core over a real SQLite file in a temporary directory: the job tracker, resume
//! versions and retention, CSV, iCalendar, the data export, and the crash test.

use chrono::{Duration, Utc};
use qoder_analysis::AnalyzeOptions;
use qoder_core::resume::{ExportFormat, Family};
use qoder_core::{Config, Error, Store, diff, export, ics, job, jobs_csv, resume, schedule, stats};
use qoder_domain::job::{
    JobFields, JobFilter, JobSort, JobSortField, JobStatus, PageRequest, ReminderKind, SortOrder,
};
use qoder_domain::version::SectionChange;
use qoder_domain::{CodedError, ErrorCode};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    (dir, s)
}

fn fields(title: &str) -> JobFields {
    JobFields { title: Some(title.into()), ..JobFields::default() }
}

fn opts(name: &str) -> AnalyzeOptions {
    AnalyzeOptions { file_name: Some(name.into()), today: (2026, 11), ..AnalyzeOptions::default() }
}

fn resume_txt(name: &str, bullets: &[&str]) -> Vec<u8> {
    let mut s = format!(
        "{name}\n{}@example.com | +1 555 123 4567 | Boston, MA\n\nSummary\nBackend engineer building reliable services.\n\nExperience\nAcme Corp — Senior Engineer, Jan 2020 – Present\n",
        name.to_lowercase().replace(' ', ".")
    );
    for b in bullets {
        s.push_str(&format!("• {b}\n"));
    }
    s.push_str("\nEducation\nMIT, BSc Computer Science, 2012 – 2016\n\nSkills\nRust, SQL, Kubernetes, PostgreSQL\n");
    s.into_bytes()
}

#[test]
fn validation_errors_name_the_field_and_rule() {
    let (_d, mut s) = store();
    let check = |r: Result<_, Error>, field: &str| {
        let e = r.expect_err("should fail");
        assert_eq!(e.code(), ErrorCode::Validation, "{e}");
        assert!(e.to_string().starts_with(field), "{e} should name {field}");
    };
    check(job::add(&mut s, &JobFields::default()).map(|_| ()), "title");
    check(
        job::add(&mut s, &JobFields { source_url: Some("ftp://x".into()), ..fields("t") })
            .map(|_| ()),
        "source_url",
    );
    check(job::parse_rate("-5/hour", "USD").map(|_| ()), "rate");
    check(job::parse_rate("95/week", "USD").map(|_| ()), "rate");
    check(job::parse_rate("95 dollars/hour", "USD").map(|_| ()), "rate.currency");
    check(job::parse_rate("abc/hour", "USD").map(|_| ()), "rate");
    let page = |limit, page| {
        job::list(&s, &JobFilter::default(), JobSort::default(), PageRequest { page, limit })
    };
    check(page(101, 1).map(|_| ()), "limit");
    check(page(0, 1).map(|_| ()), "limit");
    check(page(10, 0).map(|_| ()), "page");
    assert!(page(100, 1).is_ok());
    for (input, amount, cur, period, kind) in [
        ("95/hour", 95.0, "USD", "hour", "pay"),
        ("650 GBP/day bill", 650.0, "GBP", "day", "bill"),
        ("120,000 eur/year", 120000.0, "EUR", "year", "pay"),
        ("0/h pay", 0.0, "USD", "hour", "pay"),
    ] {
        let r = job::parse_rate(input, "USD").unwrap();
        assert_eq!(
            (r.amount, r.currency.as_str(), r.period.as_str(), r.kind.as_str()),
            (amount, cur, period, kind),
            "{input}"
        );
    }
}

#[test]
fn jobs_filter_sort_page_and_timeline() {
    let (_d, mut s) = store();
    let mk = |s: &mut Store, t: &str, v: &str, rate: &str, st: JobStatus, desc: &str| {
        job::add(
            s,
            &JobFields {
                vendor_name: Some(v.into()),
                rate: Some(Some(job::parse_rate(rate, "USD").unwrap())),
                status: Some(st),
                description: Some(desc.into()),
                company: Some("Acme".into()),
                ..fields(t)
            },
        )
        .unwrap()
    };
    let a = mk(&mut s, "Rust Engineer", "Hays", "95/hour", JobStatus::Applied, "Rust and Tokio");
    let b = mk(&mut s, "Go Developer", "hays", "600/day", JobStatus::Applied, "Go and Kubernetes");
    let c =
        mk(&mut s, "Data Engineer", "Randstad", "150000/year", JobStatus::Saved, "Spark pipelines");
    let list = |s: &Store, f: JobFilter, field, order| {
        job::list(s, &f, JobSort { field, order }, PageRequest { page: 1, limit: 10 })
            .unwrap()
            .items
            .into_iter()
            .map(|j| j.id)
            .collect::<Vec<_>>()
    };
    let applied = JobFilter { status: vec![JobStatus::Applied], ..JobFilter::default() };
    assert_eq!(list(&s, applied.clone(), JobSortField::JobTitle, SortOrder::Asc), vec![b.id, a.id]);
    let vendor = JobFilter { vendor: Some("AY".into()), ..JobFilter::default() };
    assert_eq!(list(&s, vendor, JobSortField::CreatedAt, SortOrder::Asc), vec![a.id, b.id]);
    // 95/h = 197,600/yr; 600/d = 156,000/yr; 150,000/yr.
    assert_eq!(
        list(&s, JobFilter::default(), JobSortField::Rate, SortOrder::Desc),
        vec![a.id, b.id, c.id]
    );
    let text = JobFilter { text: Some("kubernetes".into()), ..JobFilter::default() };
    assert_eq!(list(&s, text, JobSortField::UpdatedAt, SortOrder::Desc), vec![b.id]);
    assert_eq!(b.vendor_name.as_deref(), Some("Hays"), "vendor spelling is shared");
    let p2 =
        job::list(&s, &JobFilter::default(), JobSort::default(), PageRequest { page: 2, limit: 2 })
            .unwrap();
    assert_eq!((p2.items.len(), p2.total), (1, 3));

    job::set_status(&mut s, c.id, JobStatus::Applied, None).unwrap();
    job::set_status(&mut s, c.id, JobStatus::Interviewing, Some("phone screen went well")).unwrap();
    let d = job::show(&s, c.id).unwrap();
    let steps: Vec<_> = d.timeline.iter().map(|t| (t.from, t.to)).collect();
    assert_eq!(
        steps,
        vec![
            (None, JobStatus::Saved),
            (Some(JobStatus::Saved), JobStatus::Applied),
            (Some(JobStatus::Applied), JobStatus::Interviewing),
        ]
    );
    assert!(d.job.applied_at.is_some());
    let st = stats::stats(&s, Utc::now()).unwrap();
    assert_eq!((st.total, st.applied, st.responded), (3, 3, 1));
    assert!((st.response_rate - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(st.applications_per_week.iter().map(|w| w.count).sum::<u64>(), 3);
    let v = job::vendors(&s).unwrap();
    assert_eq!(
        v.iter().map(|v| (v.name.as_str(), v.jobs)).collect::<Vec<_>>(),
        vec![("Hays", 2), ("Randstad", 1)]
    );

    let u = job::update(
        &mut s,
        a.id,
        &JobFields {
            notes: Some("call back Friday".into()),
            company: Some(String::new()),
            ..JobFields::default()
        },
    )
    .unwrap();
    assert_eq!((u.notes.as_deref(), u.company), (Some("call back Friday"), None));
    job::remove(&mut s, a.id).unwrap();
    let e = job::show(&s, a.id).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotFound);
    let log = export::log(&s, Some("job"), 100).unwrap();
    let actions: Vec<&str> = log.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions.first(), Some(&"delete"));
    assert!(
        actions.contains(&"status") && actions.contains(&"update") && actions.contains(&"create")
    );
}

#[test]
fn csv_round_trip_and_bad_rows_reject_the_file() {
    let (_d, mut s) = store();
    job::add(
        &mut s,
        &JobFields {
            vendor_name: Some("Hays".into()),
            rate: Some(Some(job::parse_rate("95/hour bill", "USD").unwrap())),
            notes: Some("line one\nline \"two\", with comma".into()),
            status: Some(JobStatus::Applied),
            ..fields("Rust Engineer")
        },
    )
    .unwrap();
    let mut csv = Vec::new();
    assert_eq!(jobs_csv::export(&s, &mut csv).unwrap(), 1);
    let (_d2, mut t) = store();
    let r = jobs_csv::import(&mut t, csv.as_slice()).unwrap();
    assert_eq!((r.created, r.updated), (1, 0));
    let mut again = Vec::new();
    jobs_csv::export(&t, &mut again).unwrap();
    assert_eq!(String::from_utf8(again).unwrap(), String::from_utf8(csv.clone()).unwrap());
    // Importing the same file again updates by id.
    let r = jobs_csv::import(&mut t, csv.as_slice()).unwrap();
    assert_eq!((r.created, r.updated), (0, 1));

    for (input, want) in [
        ("title,status\nA,applied\nB,hired\n", "csv row 3, status: must be one of"),
        ("title,rate_amount\nA,-3\n", "csv row 2, rate: amount must be a number ≥ 0"),
        ("title,rate_amount\nA,lots\n", "csv row 2, rate_amount: must be a number"),
        ("company\nAcme\n", "csv: the header needs a `title` column"),
        ("title,salary\nA,1\n", "csv: unknown column \"salary\""),
        ("title,status\n,applied\n", "csv row 2, title: is required"),
        ("title,applied_at\nA,yesterday\n", "csv row 2, applied_at: must be"),
    ] {
        let e = jobs_csv::import(&mut t, input.as_bytes()).unwrap_err();
        assert!(e.to_string().starts_with(want), "{input:?}: {e}");
    }
    assert_eq!(
        job::list(&t, &JobFilter::default(), JobSort::default(), PageRequest::default())
            .unwrap()
            .total,
        1
    );
}

#[test]
fn interviews_reminders_and_ics() {
    let (_d, mut s) = store();
    let j = job::add(
        &mut s,
        &JobFields {
            company: Some("Acme, Inc; Ltd".into()),
            status: Some(JobStatus::Applied),
            ..fields("Rust Engineer")
        },
    )
    .unwrap();
    let at = Utc::now() + Duration::days(2);
    let i = schedule::add_interview(&mut s, j.id, &schedule::NewInterview {
        starts_at: Some(at),
        timezone: Some("Europe/London".into()),
        interviewers: vec!["Ada Lovelace".into(), "Alan Turing".into()],
        link: Some("https://meet.example.com/abc".into()),
        notes: Some("Bring a long description that goes on and on so that the line has to be folded at seventy-five octets — ünïcödé too".into()),
        ..schedule::NewInterview::default()
    })
    .unwrap();
    let e = schedule::add_interview(
        &mut s,
        j.id,
        &schedule::NewInterview {
            starts_at: Some(at),
            duration_minutes: Some(0),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("duration"), "{e}");
    let deadline = schedule::add_reminder(
        &mut s,
        &schedule::NewReminder {
            job_id: Some(j.id),
            kind: ReminderKind::Deadline,
            due_at: Some(Utc::now() + Duration::days(1)),
            after_days: None,
            message: None,
        },
    )
    .unwrap();
    assert_eq!(deadline.message, "Deadline: Rust Engineer at Acme, Inc; Ltd");
    let follow = schedule::add_reminder(
        &mut s,
        &schedule::NewReminder {
            job_id: Some(j.id),
            kind: ReminderKind::FollowUp,
            due_at: None,
            after_days: Some(3),
            message: None,
        },
    )
    .unwrap();
    let now = Utc::now();
    let due = schedule::due(&s, now, now + Duration::days(7)).unwrap();
    assert_eq!(due.iter().map(|r| r.id).collect::<Vec<_>>(), vec![deadline.id, follow.id]);
    // The follow-up moves with the job: after a change it is due 3 days from that change.
    // (Times are kept in milliseconds: make sure the change lands in a later one.)
    std::thread::sleep(std::time::Duration::from_millis(5));
    job::set_status(&mut s, j.id, JobStatus::Screening, None).unwrap();
    let f = schedule::due(&s, now, now + Duration::days(7))
        .unwrap()
        .into_iter()
        .find(|r| r.id == follow.id)
        .unwrap();
    assert!(f.due_at > follow.due_at);
    schedule::complete_reminder(&mut s, deadline.id).unwrap();
    assert_eq!(schedule::due(&s, now, now + Duration::days(2)).unwrap().len(), 0);

    let jobs = HashMap::from([(j.id, j.clone())]);
    let reminders = schedule::due(&s, now, now + Duration::days(30)).unwrap();
    let cal =
        ics::calendar(&schedule::upcoming_interviews(&s, now).unwrap(), &reminders, &jobs, now);
    assert!(cal.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert!(cal.ends_with("END:VCALENDAR\r\n"));
    assert!(!cal.replace("\r\n", "").contains('\n'), "bare LF");
    for line in cal.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let unfolded = cal.replace("\r\n ", "");
    assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 2);
    assert_eq!(unfolded.matches("DTSTAMP:").count(), 2);
    assert!(unfolded.contains(&format!("UID:interview-{}@qoder.local", i.id)));
    assert!(unfolded.contains(&format!("DTSTART:{}", at.format("%Y%m%dT%H%M%SZ"))));
    assert!(unfolded.contains("SUMMARY:Interview: Rust Engineer at Acme\\, Inc\\; Ltd"));
    assert!(unfolded.contains("Interviewers: Ada Lovelace\\, Alan Turing"));
    assert!(unfolded.contains("ünïcödé"));
}

#[test]
fn stale_applications_get_automatic_follow_ups() {
    let (_d, mut s) = store();
    let csv = format!(
        "title,status,updated_at\nOld,applied,{}\nFresh,applied,{}\nDone,rejected,{}\n",
        (Utc::now() - Duration::days(10)).to_rfc3339(),
        Utc::now().to_rfc3339(),
        (Utc::now() - Duration::days(30)).to_rfc3339()
    );
    jobs_csv::import(&mut s, csv.as_bytes()).unwrap();
    let now = Utc::now();
    let due = schedule::due(&s, now, now).unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    assert!(
        due[0].message.starts_with("Follow up: Old (applied for 10 days)"),
        "{}",
        due[0].message
    );
    schedule::set_follow_up_days(&mut s, 0).unwrap();
    assert!(schedule::due(&s, now, now).unwrap().is_empty());
}

#[test]
fn resume_versions_dedupe_retention_diff_export() {
    let (dir, mut s) = store();
    resume::set_retention_count(&mut s, 3).unwrap();
    let v1 = resume::import(
        &mut s,
        &resume_txt("Jane Doe", &["Built a Rust service handling 10k rps", "Wrote docs"]),
        Family::Auto,
        &opts("jane.txt"),
        &Config::default(),
    )
    .unwrap();
    assert!(!v1.duplicate);
    let again = resume::import(
        &mut s,
        &resume_txt("Jane Doe", &["Built a Rust service handling 10k rps", "Wrote docs"]),
        Family::Auto,
        &opts("other-name.txt"),
        &Config::default(),
    )
    .unwrap();
    assert!(again.duplicate);
    assert_eq!(again.version.id, v1.version.id);
    let v2 = resume::import(
        &mut s,
        &resume_txt("Jane Doe", &["Built a Rust service handling 50k rps", "Cut AWS cost by 30%"]),
        Family::Auto,
        &opts("jane.txt"),
        &Config::default(),
    )
    .unwrap();
    assert_eq!((v2.version.resume_id, v2.version.seq), (v1.version.resume_id, 2));

    let d = diff::compare(&s, v1.version.id, v2.version.id).unwrap();
    let exp = d
        .sections
        .iter()
        .find(|x| x.kind == qoder_domain::SectionKind::Experience)
        .expect("experience section");
    assert_eq!(exp.change, SectionChange::Changed);
    assert!(
        exp.changed.iter().any(|c| c.words_removed == vec!["10k"] && c.words_added == vec!["50k"]),
        "{exp:?}"
    );
    assert!(exp.added.iter().any(|l| l.contains("AWS")), "{exp:?}");
    assert!(exp.removed.iter().any(|l| l.contains("Wrote docs")), "{exp:?}");
    assert_eq!(d.ats_delta, d.ats_score_to as i32 - d.ats_score_from as i32);

    // v1 is sent with a job; pin v2: neither may be removed however many versions follow.
    job::add(&mut s, &JobFields { resume_version_id: Some(Some(v1.version.id)), ..fields("Job") })
        .unwrap();
    resume::pin(&mut s, v2.version.id, true).unwrap();
    resume::tag(&mut s, v2.version.id, &["backend".into(), "fintech".into()], resume::TagEdit::Add)
        .unwrap();
    resume::note(&mut s, v2.version.id, "**Tailored** for fintech").unwrap();
    let mut later = Vec::new();
    for k in 3..=6 {
        let o = resume::import(
            &mut s,
            &resume_txt("Jane Doe", &[&format!("Shipped feature {k}")]),
            Family::Auto,
            &opts("jane.txt"),
            &Config::default(),
        )
        .unwrap();
        later.push(o);
    }
    let kept: Vec<u32> =
        resume::versions(&s, Some(v1.version.resume_id)).unwrap().iter().map(|v| v.seq).collect();
    assert_eq!(kept, vec![6, 5, 4, 2, 1], "last 3 plus pinned v2 and job-referenced v1");
    let removed =
        &later.iter().find(|o| !o.removed.is_empty()).expect("retention removed one").removed;
    assert_eq!(removed.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![3]);
    let gone = dir.path().join("files").join(&removed[0].sha256[..2]).join(&removed[0].sha256);
    assert!(!gone.exists(), "the file of a removed version is deleted");

    let v2r = resume::get(&s, v2.version.id).unwrap();
    assert_eq!(
        (v2r.tags.clone(), v2r.notes.as_str(), v2r.pinned),
        (vec!["backend".to_string(), "fintech".to_string()], "**Tailored** for fintech", true)
    );
    let (orig, _) = resume::export(&s, v1.version.id, ExportFormat::Original).unwrap();
    assert_eq!(
        orig,
        resume_txt("Jane Doe", &["Built a Rust service handling 10k rps", "Wrote docs"])
    );
    let (text, name) = resume::export(&s, v1.version.id, ExportFormat::Text).unwrap();
    assert!(String::from_utf8(text).unwrap().contains("Jane Doe"));
    assert_eq!(name, "jane.txt");
    let (json, _) = resume::export(&s, v1.version.id, ExportFormat::JsonResume).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["basics"]["email"], "jane.doe@example.com");

    // A manual cleanup with a stricter limit reports what it removed and what it kept.
    resume::set_retention_count(&mut s, 1).unwrap();
    std::fs::write(dir.path().join("files").join("ab").join("a".repeat(64)), b"orphan")
        .unwrap_or_else(|_| {
            std::fs::create_dir_all(dir.path().join("files/ab")).unwrap();
        });
    let r = resume::cleanup(&mut s, &Config::default()).unwrap();
    assert_eq!(r.removed.iter().map(|v| v.seq).collect::<Vec<_>>(), vec![5, 4]);
    assert_eq!(r.kept_pinned, vec![v2.version.id]);
    assert_eq!(r.kept_referenced, vec![v1.version.id]);
    // Search sees resume text and notes.
    let hits = qoder_core::search(&s, "tailored fintech", 10).unwrap();
    assert_eq!(hits.first().map(|h| h.id.clone()), Some(v2.version.id.to_string()));
}

/// RESUME_RETENTION_COUNT comes from the one `Config`: it is the default when the store has no
/// setting of its own, and the stored setting (`--keep`, the app's settings) wins over it.
#[test]
fn retention_default_comes_from_config_and_the_stored_setting_wins() {
    let (_dir, mut s) = store();
    let config =
        Config::from_vars(|k| (k == "RESUME_RETENTION_COUNT").then(|| "2".into())).unwrap();
    assert_eq!(resume::retention_count(&s, &Config::default()).unwrap(), 10);
    assert_eq!(resume::retention_count(&s, &config).unwrap(), 2);
    for k in 1..=3 {
        let bytes = resume_txt("Jane Doe", &[&format!("Shipped feature {k}")]);
        resume::import(&mut s, &bytes, Family::Auto, &opts("jane.txt"), &config).unwrap();
    }
    let seqs =
        |s: &Store| resume::versions(s, None).unwrap().iter().map(|v| v.seq).collect::<Vec<_>>();
    assert_eq!(seqs(&s), vec![3, 2], "the configured default keeps two");
    resume::set_retention_count(&mut s, 1).unwrap();
    assert_eq!(resume::retention_count(&s, &config).unwrap(), 1);
    let r = resume::cleanup(&mut s, &config).unwrap();
    assert_eq!((r.retention_count, seqs(&s)), (1, vec![3]));
}

#[test]
fn data_export_holds_json_and_original_files() {
    let (dir, mut s) = store();
    let bytes = resume_txt("Sam Roe", &["Led a team of 4"]);
    let v =
        resume::import(&mut s, &bytes, Family::New, &opts("sam.txt"), &Config::default()).unwrap();
    let j = job::add(
        &mut s,
        &JobFields {
            status: Some(JobStatus::Applied),
            resume_version_id: Some(Some(v.version.id)),
            ..fields("Rust Engineer")
        },
    )
    .unwrap();
    let out = dir.path().join("export.zip");
    let sum = export::export_all(&s, &out).unwrap();
    assert_eq!((sum.jobs, sum.versions, sum.files), (1, 1, 1));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut names: Vec<String> = zip.file_names().map(str::to_string).collect();
    names.sort();
    let file = format!("files/{}.txt", v.version.sha256);
    for want in [
        "activity.json",
        "jobs.json",
        "manifest.json",
        "resumes.json",
        "settings.json",
        "versions.json",
        file.as_str(),
    ] {
        assert!(names.iter().any(|n| n == want), "{want} missing from {names:?}");
    }
    let mut orig = Vec::new();
    zip.by_name(&file).unwrap().read_to_end(&mut orig).unwrap();
    assert_eq!(orig, bytes);
    let mut jobs = String::new();
    zip.by_name("jobs.json").unwrap().read_to_string(&mut jobs).unwrap();
    let jobs: serde_json::Value = serde_json::from_str(&jobs).unwrap();
    assert_eq!(jobs[0]["job"]["id"], j.id.to_string());
    assert_eq!(jobs[0]["timeline"][0]["to"], "applied");
}

#[test]
fn a_database_from_a_newer_app_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let c = rusqlite_handle(dir.path());
    c.execute_batch("PRAGMA user_version = 999").unwrap();
    drop(c);
    let e = Store::open(dir.path()).err().expect("refused");
    assert_eq!(e.code(), ErrorCode::IncompatibleDatabase);
    assert!(e.to_string().contains("newer version"), "{e}");
}

fn rusqlite_handle(dir: &std::path::Path) -> qoder_store::Connection {
    qoder_store::Connection::open(dir.join(qoder_store::DB_FILE)).unwrap()
}

/// A tiny xorshift generator: the crash test's kill times.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Kill a writer with SIGKILL at random points many times; after every kill the database must
/// pass `PRAGMA integrity_check` and hold every write the writer reported as committed.
/// `QODER_CRASH_ROUNDS` sets the number of kills (default 40).
#[test]
fn crash_test_sigkill_loses_no_committed_write() {
    let dir = tempfile::tempdir().unwrap();
    let rounds: u32 =
        std::env::var("QODER_CRASH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(40);
    let seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
            as u64
            | 1;
    eprintln!("crash test seed {seed}");
    let mut rng = Rng(seed);
    let started = std::time::Instant::now();
    let mut jobs: Vec<String> = Vec::new();
    let mut statuses: HashSet<String> = HashSet::new();
    let mut batches: Vec<(String, usize)> = Vec::new();
    for round in 0..rounds {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash-writer"))
            .arg(dir.path())
            .arg(format!("r{round}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout).lines().map_while(Result::ok).collect::<Vec<_>>()
        });
        std::thread::sleep(std::time::Duration::from_millis(20 + rng.next() % 200));
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        let mut err = String::new();
        child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        assert!(err.is_empty() || !status.success(), "writer failed: {err}");
        assert!(
            !err.contains("add:") && !err.contains("import:") && !err.contains("open:"),
            "writer error: {err}"
        );
        for line in reader.join().unwrap() {
            let parts: Vec<&str> = line.split(' ').collect();
            match parts.as_slice() {
                ["job", id] => jobs.push(id.to_string()),
                ["status", id, "interviewing"] => {
                    statuses.insert(id.to_string());
                }
                ["batch", rest @ ..] => {
                    let n: usize = rest.last().unwrap().parse().unwrap();
                    batches.push((rest[..rest.len() - 1].join(" "), n));
                }
                _ => {} // a line cut by the kill was never fully reported
            }
        }
        let s = Store::open(dir.path()).unwrap();
        s.integrity_check().unwrap();
    }
    let s = Store::open(dir.path()).unwrap();
    s.integrity_check().unwrap();
    let c = s.conn();
    let fk: Vec<String> = c
        .prepare("PRAGMA foreign_key_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(fk.is_empty(), "foreign key violations: {fk:?}");
    c.execute_batch("INSERT INTO job_fts(job_fts) VALUES('integrity-check')").unwrap();
    for id in &jobs {
        let status: String = c
            .query_row("SELECT status FROM job WHERE id = ?1", [id], |r| r.get(0))
            .unwrap_or_else(|e| panic!("committed job {id} lost: {e}"));
        if statuses.contains(id) {
            assert_eq!(status, "interviewing", "committed status of {id} lost");
        }
    }
    for (prefix, n) in &batches {
        let found: i64 = c
            .query_row("SELECT count(*) FROM job WHERE title LIKE ?1 || ' %'", [prefix], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(found as usize, *n, "batch {prefix}");
    }
    assert!(
        jobs.len() > rounds as usize,
        "the writer committed too little to prove anything: {}",
        jobs.len()
    );
    eprintln!(
        "crash test: {rounds} kills, {} jobs, {} status changes, {} batches verified in {:?}",
        jobs.len(),
        statuses.len(),
        batches.len(),
        started.elapsed()
    );
}

/// Two processes writing the same data directory at once: SQLite's locks and the busy timeout
/// serialise them; nothing is lost and the file stays sound.
#[test]
fn two_writers_on_one_directory() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let spawn = |tag: &str| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_crash-writer"))
            .arg(dir.path())
            .arg(tag)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = c.stdout.take().unwrap();
        let t = std::thread::spawn(move || {
            BufReader::new(out).lines().map_while(Result::ok).collect::<Vec<_>>()
        });
        (c, t)
    };
    let (mut a, ta) = spawn("A");
    let (mut b, tb) = spawn("B");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    for c in [&mut a, &mut b] {
        c.kill().unwrap();
        c.wait().unwrap();
        let mut err = String::new();
        c.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        assert!(err.is_empty(), "a writer failed: {err}");
    }
    let lines: Vec<String> = ta.join().unwrap().into_iter().chain(tb.join().unwrap()).collect();
    let s = Store::open(dir.path()).unwrap();
    s.integrity_check().unwrap();
    let ids: Vec<&str> = lines.iter().filter_map(|l| l.strip_prefix("job ")).collect();
    assert!(ids.len() > 4, "both writers should have committed: {}", ids.len());
    for id in ids {
        let n: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM job WHERE id = ?1", [id], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1, "job {id}");
    }
}

/// A resume whose first position has no role word in its title and whose phone is missing:
/// the title asks for confirmation, and the ATS contact check misses the phone.
const UNSURE: &str = "Ana Souza\nana.souza@example.com | Lisbon, Portugal\n\nSummary\nBuilds growth programs.\n\nExperience\nGrowth Wizardry, Acme Corp, Jan 2020 – Present\n• Grew sign-ups by 40% with referral campaigns\nData Team, Globex, 2016 – 2019\n• Built SQL dashboards\n\nSkills\nSQL, Python\n";

#[test]
fn corrections_are_kept_with_the_version_and_read_everywhere() {
    use qoder_core::correction;
    let (dir, mut s) = store();
    let v = resume::import(
        &mut s,
        UNSURE.as_bytes(),
        Family::New,
        &opts("ana.txt"),
        &Config::default(),
    )
    .unwrap()
    .version;
    let before = resume::detail(&s, v.id).unwrap();
    let title = |d: &qoder_domain::version::VersionDetail| {
        d.resume.confidence.iter().find(|c| c.field == "experience[0].title").cloned().unwrap()
    };
    assert!(title(&before).needs_confirmation(), "{:?}", before.resume.confidence);
    assert_eq!(before.resume.contact.phone, None);

    // Correct the title, add the phone that was not read, confirm the employer as read.
    correction::correct_field(&mut s, v.id, "experience[0].title", "Growth Marketing Manager")
        .unwrap();
    correction::correct_field(&mut s, v.id, "phone", "+351 912 345 678").unwrap();
    let d = correction::correct_field(&mut s, v.id, "experience[0].employer", "Acme Corp").unwrap();
    assert_eq!(d.resume.experience[0].title.as_deref(), Some("Growth Marketing Manager"));
    let t = title(&d);
    assert_eq!((t.confidence, t.reason.as_str()), (1.0, correction::CONFIRMED));
    assert!(!t.needs_confirmation());
    assert!(
        d.ats.score > before.ats.score,
        "the phone now counts: {} → {}",
        before.ats.score,
        d.ats.score
    );
    assert_eq!(resume::get(&s, v.id).unwrap().ats_score, d.ats.score, "the listed score follows");

    // A correction that cannot apply is refused with the field named, and nothing is kept.
    for (field, value) in
        [("experience[5].title", "x"), ("experience[0].dates", "soon"), ("hobby", "x")]
    {
        let e = correction::correct_field(&mut s, v.id, field, value).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Validation, "{e}");
        assert!(e.to_string().starts_with(field), "{e}");
    }
    let e = correction::correct_field(&mut s, qoder_domain::ids::VersionId::new(), "name", "x")
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotFound);

    // Kept: a fresh store reads the corrected values, and so do the exports and the diff.
    drop(s);
    let s = Store::open(dir.path()).unwrap();
    let again = resume::detail(&s, v.id).unwrap();
    assert_eq!(again.resume, d.resume);
    assert_eq!(again.ats, d.ats);
    let (json, _) = resume::export(&s, v.id, ExportFormat::JsonResume).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(json["basics"]["phone"], "+351 912 345 678");
    assert_eq!(json["work"][0]["position"], "Growth Marketing Manager");
    let out = dir.path().join("export.zip");
    export::export_all(&s, &out).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut versions = String::new();
    zip.by_name("versions.json").unwrap().read_to_string(&mut versions).unwrap();
    let versions: serde_json::Value = serde_json::from_str(&versions).unwrap();
    assert_eq!(versions[0]["corrections"].as_array().unwrap().len(), 3);
    assert_eq!(versions[0]["parsed"]["contact"]["phone"], "+351 912 345 678");
    let diff = diff::compare(&s, v.id, v.id).unwrap();
    assert_eq!(diff.ats_score_from, d.ats.score);
}
