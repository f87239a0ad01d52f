//! `qoder jobs …`: the job tracker.

use crate::exit::{CliError, CliResult};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use qoder_core::schedule::{NewInterview, NewReminder};
use qoder_core::{Store, ics, job, jobs_csv, schedule, stats};
use qoder_domain::job::{
    DateField, InterviewKind, JobApplication, JobDetail, JobFields, JobFilter, JobSort,
    JobSortField, JobStatus, PageRequest, RateKind, ReminderKind, SortOrder, WorkMode,
};
use std::io::Write;
use std::path::PathBuf;

pub(crate) use crate::cmd::{open_store, print_json};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Add a job application.
    Add(AddArgs),
    /// List applications: filter, sort, page (limit ≤ 100).
    List(ListArgs),
    /// Show one application with its status timeline, interviews and reminders.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Change fields of an application (an empty value clears a field).
    Update {
        id: String,
        #[command(flatten)]
        fields: FieldArgs,
        #[arg(long)]
        json: bool,
    },
    /// Move an application to a new status (recorded on its timeline).
    Status {
        id: String,
        status: JobStatus,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Remove an application with its timeline, interviews and reminders.
    Rm { id: String },
    /// Counts by status, response rate, days in each stage, applications per week.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Vendors (staffing agencies) with their jobs and contacts.
    Vendors {
        #[arg(long)]
        json: bool,
    },
    /// Write every application as CSV (to stdout, or --out FILE).
    Export {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Import applications from CSV (all rows or none).
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Interviews: add, list, rm.
    #[command(subcommand)]
    Interview(InterviewCommand),
    /// Reminders: add, list (what is due), done, follow-up-days.
    #[command(subcommand)]
    Remind(RemindCommand),
    /// Write upcoming interviews and open reminders as an iCalendar (.ics) file.
    Ics {
        /// The file to write; stdout when omitted.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Reminders due within this many days (overdue ones included).
        #[arg(long, default_value_t = 90)]
        days: u32,
    },
}

#[derive(clap::Args, Default)]
pub struct FieldArgs {
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub company: Option<String>,
    /// The staffing agency's name.
    #[arg(long)]
    pub vendor: Option<String>,
    /// The person at the vendor (name, e-mail, phone).
    #[arg(long)]
    pub vendor_contact: Option<String>,
    /// AMOUNT[ CURRENCY]/PERIOD, e.g. 95/hour, "650 GBP/day"; empty clears it.
    #[arg(long, allow_hyphen_values = true)]
    pub rate: Option<String>,
    /// Currency when --rate does not name one.
    #[arg(long, default_value = "USD")]
    pub currency: String,
    /// bill (what the client pays the agency) or pay (what you get).
    #[arg(long)]
    pub rate_kind: Option<RateKind>,
    #[arg(long)]
    pub location: Option<String>,
    /// onsite, hybrid or remote; empty clears it.
    #[arg(long)]
    pub mode: Option<String>,
    /// Where the job was posted.
    #[arg(long)]
    pub url: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    /// Read the job description from a file.
    #[arg(long, conflicts_with = "description")]
    pub description_file: Option<PathBuf>,
    /// The resume version sent (id or unique prefix); empty clears it.
    #[arg(long)]
    pub resume_version: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    #[arg(long)]
    pub status: Option<JobStatus>,
    /// When it was applied to (YYYY-MM-DD or RFC 3339); set automatically on leaving `saved`.
    #[arg(long)]
    pub applied_at: Option<String>,
}

#[derive(clap::Args)]
pub struct AddArgs {
    #[command(flatten)]
    pub fields: FieldArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ListArgs {
    /// Only these statuses (repeat or comma-separate).
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<JobStatus>,
    /// Part of the vendor name.
    #[arg(long)]
    pub vendor: Option<String>,
    #[arg(long)]
    pub company: Option<String>,
    /// Words to find in title, company, vendor, description and notes.
    #[arg(long)]
    pub text: Option<String>,
    /// From this date (YYYY-MM-DD or RFC 3339), inclusive.
    #[arg(long)]
    pub from: Option<String>,
    /// Up to this date, inclusive.
    #[arg(long)]
    pub to: Option<String>,
    /// The date --from/--to apply to.
    #[arg(long, default_value = "createdAt")]
    pub date_field: DateField,
    #[arg(long, default_value = "updatedAt")]
    pub sort: JobSortField,
    #[arg(long, default_value = "desc")]
    pub order: SortOrder,
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
    #[arg(long)]
    pub json: bool,
}

/// An interview's fields, as `interview add` and `interview update` take them.
#[derive(clap::Args)]
pub struct InterviewArgs {
    /// Start: 2026-12-01T14:00:00+01:00, or "2026-12-01 14:00" with --utc-offset.
    #[arg(long)]
    at: String,
    #[arg(long)]
    utc_offset: Option<String>,
    /// The IANA time zone to show it in (e.g. Europe/London).
    #[arg(long)]
    tz: Option<String>,
    /// Minutes.
    #[arg(long, default_value_t = 60)]
    duration: u32,
    #[arg(long, default_value = "video")]
    kind: InterviewKind,
    #[arg(long)]
    location: Option<String>,
    /// The meeting link.
    #[arg(long)]
    link: Option<String>,
    /// An interviewer (repeat for several).
    #[arg(long = "with")]
    interviewers: Vec<String>,
    #[arg(long)]
    notes: Option<String>,
}

impl InterviewArgs {
    fn into_new(self) -> Result<NewInterview, CliError> {
        Ok(NewInterview {
            starts_at: Some(schedule::parse_time("at", &self.at, self.utc_offset.as_deref())?),
            duration_minutes: Some(self.duration),
            timezone: self.tz,
            kind: Some(self.kind),
            location: self.location,
            link: self.link,
            interviewers: self.interviewers,
            notes: self.notes,
        })
    }
}

#[derive(clap::Subcommand)]
pub enum InterviewCommand {
    /// Schedule an interview for a job.
    Add {
        job: String,
        #[command(flatten)]
        interview: InterviewArgs,
        #[arg(long)]
        json: bool,
    },
    /// Upcoming interviews.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Change an interview (every field as given; the calendars follow).
    Update {
        id: String,
        #[command(flatten)]
        interview: InterviewArgs,
        #[arg(long)]
        json: bool,
    },
    /// Remove an interview.
    Rm { id: String },
}

#[derive(clap::Subcommand)]
pub enum RemindCommand {
    /// Set a reminder: a deadline, an interview, a custom one, or a follow-up after N days
    /// without a change.
    Add {
        #[arg(long)]
        job: Option<String>,
        #[arg(long, default_value = "custom")]
        kind: ReminderKind,
        /// When: 2026-12-01T09:00:00Z, or a date/time with --utc-offset.
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        utc_offset: Option<String>,
        /// Follow-ups: days without a change before it is due.
        #[arg(long)]
        after_days: Option<u32>,
        #[arg(long)]
        message: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Reminders due within --days (default 7), overdue ones first, including automatic
    /// follow-ups of applications without news.
    List {
        #[arg(long, default_value_t = 7)]
        days: u32,
        #[arg(long)]
        json: bool,
    },
    /// Mark a reminder done.
    Done { id: String },
    /// Days without a change before an application gets an automatic follow-up (0 = off).
    FollowUpDays { days: u32 },
}

pub fn run(c: Command) -> CliResult {
    let mut store = open_store()?;
    // Changes a calendar event shows (an interview, or the job it is for) are pushed to the
    // connected calendars right away.
    let push = matches!(c, Command::Interview(_) | Command::Update { .. } | Command::Rm { .. });
    let result = run_on(&mut store, c);
    if push && result.is_ok() {
        crate::cmd::calendar::push(store);
    }
    result
}

fn run_on(store: &mut Store, c: Command) -> CliResult {
    match c {
        Command::Add(a) => {
            let mut fields = fields(store, &a.fields)?;
            if fields.title.is_none() {
                return Err(CliError::bad_input("title: is required (--title)"));
            }
            fields.status.get_or_insert(JobStatus::Saved);
            let j = job::add(store, &fields)?;
            if a.json {
                print_json(&j)
            } else {
                println!("{}", j.id);
                Ok(())
            }
        }
        Command::List(a) => list(store, a),
        Command::Show { id, json } => {
            let d = job::show(store, job::resolve(store, &id)?)?;
            if json {
                print_json(&d)
            } else {
                print!("{}", render_detail(&d));
                Ok(())
            }
        }
        Command::Update { id, fields: f, json } => {
            let id = job::resolve(store, &id)?;
            let fields = fields(store, &f)?;
            let j = job::update(store, id, &fields)?;
            if json {
                print_json(&j)
            } else {
                println!("{}", j.id);
                Ok(())
            }
        }
        Command::Status { id, status, note, json } => {
            let id = job::resolve(store, &id)?;
            let j = job::set_status(store, id, status, note.as_deref())?;
            if json {
                print_json(&j)
            } else {
                println!("{} {}", j.id, j.status.as_str());
                Ok(())
            }
        }
        Command::Rm { id } => {
            let id = job::resolve(store, &id)?;
            job::remove(store, id)?;
            println!("removed {id}");
            Ok(())
        }
        Command::Stats { json } => {
            let s = stats::stats(store, Utc::now())?;
            if json {
                return print_json(&s);
            }
            println!(
                "Applications: {} ({} sent, {} answered, response rate {:.0}%)",
                s.total,
                s.applied,
                s.responded,
                s.response_rate * 100.0
            );
            for (st, n) in &s.by_status {
                let days = s
                    .avg_days_in_status
                    .get(st)
                    .map(|d| format!("  avg {d:.1} days"))
                    .unwrap_or_default();
                println!("  {:<13}{n:>7}{days}", st.as_str());
            }
            for w in s.applications_per_week.iter().rev().take(8).rev() {
                println!("  {}  {}", w.week, w.count);
            }
            Ok(())
        }
        Command::Vendors { json } => {
            let v = job::vendors(store)?;
            if json {
                return print_json(&v);
            }
            for v in &v {
                let st: Vec<String> =
                    v.by_status.iter().map(|(s, n)| format!("{} {n}", s.as_str())).collect();
                println!(
                    "{}: {} job(s) ({}){}",
                    v.name,
                    v.jobs,
                    st.join(", "),
                    if v.contacts.is_empty() {
                        String::new()
                    } else {
                        format!("; contacts: {}", v.contacts.join("; "))
                    }
                );
            }
            Ok(())
        }
        Command::Export { out } => {
            let n = match out {
                Some(p) => {
                    let f = std::fs::File::create(&p).map_err(|e| {
                        CliError::bad_input(format!("cannot create {}: {e}", p.display()))
                    })?;
                    let n = jobs_csv::export(store, std::io::BufWriter::new(f))?;
                    eprintln!("wrote {n} job(s) to {}", p.display());
                    n
                }
                None => jobs_csv::export(store, std::io::stdout().lock())?,
            };
            let _ = n;
            Ok(())
        }
        Command::Import { file, json } => {
            let f = std::fs::File::open(&file)
                .map_err(|e| CliError::bad_input(format!("cannot read {}: {e}", file.display())))?;
            let r = jobs_csv::import(store, std::io::BufReader::new(f))?;
            store.optimize()?;
            if json {
                print_json(&r)
            } else {
                println!("imported {} new, {} updated", r.created, r.updated);
                Ok(())
            }
        }
        Command::Interview(c) => interview(store, c),
        Command::Remind(c) => remind(store, c),
        Command::Ics { out, days } => {
            let up = ics::upcoming(store, Utc::now(), days)?;
            let (cal, interviews, reminders) = (up.calendar, up.interviews, up.reminders);
            match out {
                Some(p) => {
                    std::fs::write(&p, cal).map_err(|e| {
                        CliError::bad_input(format!("cannot write {}: {e}", p.display()))
                    })?;
                    eprintln!(
                        "wrote {interviews} interview(s) and {reminders} reminder(s) to {}",
                        p.display()
                    );
                }
                None => std::io::stdout().lock().write_all(cal.as_bytes())?,
            }
            Ok(())
        }
    }
}

/// Which moment of a bare YYYY-MM-DD day a date stands for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DayEdge {
    /// 00:00 (a "from" bound, a date something happened).
    Start,
    /// 23:59:59.999 (a "to" bound includes the whole day).
    End,
}

/// A date given on the command line: RFC 3339, or YYYY-MM-DD (at `edge` of that day).
fn parse_date(field: &str, s: &str, edge: DayEdge) -> Result<DateTime<Utc>, CliError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t.with_timezone(&Utc));
    }
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        CliError::bad_input(format!(
            "{field}: must be YYYY-MM-DD or an RFC 3339 date-time (got {s:?})"
        ))
    })?;
    let t = match edge {
        DayEdge::End => d.and_hms_milli_opt(23, 59, 59, 999),
        DayEdge::Start => d.and_hms_opt(0, 0, 0),
    };
    Ok(t.unwrap_or_default().and_utc())
}

fn fields(store: &Store, a: &FieldArgs) -> Result<JobFields, CliError> {
    let rate = match a.rate.as_deref() {
        None => None,
        Some(r) if r.trim().is_empty() => Some(None),
        Some(r) => {
            let mut rate = job::parse_rate(r, &a.currency)?;
            if let Some(k) = a.rate_kind {
                rate.kind = k;
            }
            Some(Some(rate))
        }
    };
    if a.rate_kind.is_some() && a.rate.is_none() {
        return Err(CliError::bad_input("rate_kind: give it together with --rate"));
    }
    let work_mode = match a.mode.as_deref() {
        None => None,
        Some(m) if m.trim().is_empty() => Some(None),
        Some(m) => Some(Some(WorkMode::parse(m).ok_or_else(|| {
            CliError::bad_input(format!("mode: must be one of {} (got {m:?})", WorkMode::names()))
        })?)),
    };
    let description = match &a.description_file {
        Some(p) => Some(std::fs::read_to_string(p).map_err(|e| {
            CliError::bad_input(format!("description_file: cannot read {}: {e}", p.display()))
        })?),
        None => a.description.clone(),
    };
    let resume_version_id = match a.resume_version.as_deref() {
        None => None,
        Some(v) if v.trim().is_empty() => Some(None),
        Some(v) => Some(Some(job::resolve_version(store, v)?)),
    };
    Ok(JobFields {
        title: a.title.clone(),
        company: a.company.clone(),
        vendor_name: a.vendor.clone(),
        vendor_contact: a.vendor_contact.clone(),
        rate,
        location: a.location.clone(),
        work_mode,
        source_url: a.url.clone(),
        description,
        resume_version_id,
        notes: a.notes.clone(),
        status: a.status,
        applied_at: match a.applied_at.as_deref() {
            None => None,
            Some(s) if s.trim().is_empty() => Some(None),
            Some(s) => Some(Some(parse_date("applied_at", s, DayEdge::Start)?)),
        },
    })
}

fn list(store: &Store, a: ListArgs) -> CliResult {
    let status = a.status;
    let date_field = a.date_field;
    let filter = JobFilter {
        status,
        vendor: a.vendor,
        company: a.company,
        text: a.text,
        date_field,
        from: a.from.as_deref().map(|s| parse_date("from", s, DayEdge::Start)).transpose()?,
        to: a.to.as_deref().map(|s| parse_date("to", s, DayEdge::End)).transpose()?,
    };
    let (field, order) = (a.sort, a.order);
    let page = job::list(
        store,
        &filter,
        JobSort { field, order },
        PageRequest { page: a.page, limit: a.limit },
    )?;
    if a.json {
        return print_json(&page);
    }
    for j in &page.items {
        println!("{}", render_row(j));
    }
    let shown = page.items.len() as u64;
    let first = u64::from(page.page - 1) * u64::from(page.limit);
    eprintln!("{}–{} of {}", if shown == 0 { 0 } else { first + 1 }, first + shown, page.total);
    Ok(())
}

fn render_row(j: &JobApplication) -> String {
    let rate = j
        .rate
        .as_ref()
        .map(|r| format!("  {} {}/{} {}", r.amount, r.currency, r.period.as_str(), r.kind.as_str()))
        .unwrap_or_default();
    format!(
        "{}  {:<12} {}{}{}{}",
        j.id,
        j.status.as_str(),
        j.title,
        j.company.as_ref().map(|c| format!(" · {c}")).unwrap_or_default(),
        j.vendor_name.as_ref().map(|v| format!(" · via {v}")).unwrap_or_default(),
        rate
    )
}

fn render_detail(d: &JobDetail) -> String {
    use std::fmt::Write as _;
    let j = &d.job;
    let mut s = String::new();
    let _ = writeln!(s, "{}\n  id: {}\n  status: {}", j.title, j.id, j.status.as_str());
    let opt = |label: &str, v: &Option<String>, s: &mut String| {
        if let Some(v) = v {
            let _ = writeln!(s, "  {label}: {v}");
        }
    };
    opt("company", &j.company, &mut s);
    opt("vendor", &j.vendor_name, &mut s);
    opt("vendor contact", &j.vendor_contact, &mut s);
    if let Some(r) = &j.rate {
        let _ = writeln!(
            s,
            "  rate: {} {}/{} ({})",
            r.amount,
            r.currency,
            r.period.as_str(),
            r.kind.as_str()
        );
    }
    opt("location", &j.location, &mut s);
    if let Some(m) = j.work_mode {
        let _ = writeln!(s, "  mode: {}", m.as_str());
    }
    opt("url", &j.source_url, &mut s);
    if let Some(v) = j.resume_version_id {
        let _ = writeln!(s, "  resume version: {v}");
    }
    let _ = writeln!(
        s,
        "  created: {}  updated: {}",
        j.created_at.to_rfc3339(),
        j.updated_at.to_rfc3339()
    );
    if let Some(a) = j.applied_at {
        let _ = writeln!(s, "  applied: {}", a.to_rfc3339());
    }
    opt("notes", &j.notes, &mut s);
    let _ = writeln!(s, "Timeline:");
    for c in &d.timeline {
        let _ = writeln!(
            s,
            "  {}  {} → {}{}",
            c.at.to_rfc3339(),
            c.from.map_or("—", JobStatus::as_str),
            c.to.as_str(),
            c.note.as_ref().map(|n| format!("  ({n})")).unwrap_or_default()
        );
    }
    if !d.interviews.is_empty() {
        let _ = writeln!(s, "Interviews:");
        for i in &d.interviews {
            let _ = writeln!(
                s,
                "  {}  {} {} min {}{}",
                i.id,
                i.starts_at.to_rfc3339(),
                i.duration_minutes,
                i.kind.as_str(),
                i.timezone.as_ref().map(|t| format!(" ({t})")).unwrap_or_default()
            );
        }
    }
    if !d.reminders.is_empty() {
        let _ = writeln!(s, "Reminders:");
        for r in &d.reminders {
            let _ = writeln!(
                s,
                "  {}  {} {}{}",
                r.id,
                r.due_at.to_rfc3339(),
                r.message,
                if r.done { " (done)" } else { "" }
            );
        }
    }
    if let Some(desc) = &j.description {
        let _ = writeln!(s, "Description:\n{desc}");
    }
    s
}

fn interview(store: &mut Store, c: InterviewCommand) -> CliResult {
    match c {
        InterviewCommand::Add { job: j, interview, json } => {
            let job_id = job::resolve(store, &j)?;
            let n = interview.into_new()?;
            let i = schedule::add_interview(store, job_id, &n)?;
            if json {
                print_json(&i)
            } else {
                println!("{}", i.id);
                Ok(())
            }
        }
        InterviewCommand::List { json } => {
            let list = schedule::upcoming_interviews(store, Utc::now())?;
            if json {
                return print_json(&list);
            }
            for i in &list {
                println!(
                    "{}  {}  {} min  {}  job {}",
                    i.id,
                    i.starts_at.to_rfc3339(),
                    i.duration_minutes,
                    i.kind.as_str(),
                    i.job_id
                );
            }
            Ok(())
        }
        InterviewCommand::Update { id, interview, json } => {
            let id = id.parse().map_err(|_| {
                CliError::bad_input(format!("id: must be an interview id (got {id:?})"))
            })?;
            let n = interview.into_new()?;
            let i = schedule::update_interview(store, id, &n)?;
            if json {
                print_json(&i)
            } else {
                println!("{}", i.id);
                Ok(())
            }
        }
        InterviewCommand::Rm { id } => {
            let id = id.parse().map_err(|_| {
                CliError::bad_input(format!("id: must be an interview id (got {id:?})"))
            })?;
            schedule::remove_interview(store, id)?;
            println!("removed {id}");
            Ok(())
        }
    }
}

fn remind(store: &mut Store, c: RemindCommand) -> CliResult {
    match c {
        RemindCommand::Add { job: j, kind, at, utc_offset, after_days, message, json } => {
            let job_id = j.as_deref().map(|j| job::resolve(store, j)).transpose()?;
            let n = NewReminder {
                job_id,
                kind,
                due_at: at
                    .as_deref()
                    .map(|a| schedule::parse_time("at", a, utc_offset.as_deref()))
                    .transpose()?,
                after_days,
                message,
            };
            let r = schedule::add_reminder(store, &n)?;
            if json {
                print_json(&r)
            } else {
                println!("{}  due {}", r.id, r.due_at.to_rfc3339());
                Ok(())
            }
        }
        RemindCommand::List { days, json } => {
            let now = Utc::now();
            let list = schedule::due(store, now, now + Duration::days(i64::from(days)))?;
            if json {
                return print_json(&list);
            }
            for r in &list {
                let overdue = if r.due_at < now { " (overdue)" } else { "" };
                println!("{}  {}{}  {}", r.id, r.due_at.to_rfc3339(), overdue, r.message);
            }
            Ok(())
        }
        RemindCommand::Done { id } => {
            let id = id.parse().map_err(|_| {
                CliError::bad_input(format!("id: must be a reminder id (got {id:?})"))
            })?;
            schedule::complete_reminder(store, id)?;
            println!("done {id}");
            Ok(())
        }
        RemindCommand::FollowUpDays { days } => {
            schedule::set_follow_up_days(store, days)?;
            println!(
                "follow-up after {days} day(s) without a change{}",
                if days == 0 { " (off)" } else { "" }
            );
            Ok(())
        }
    }
}
