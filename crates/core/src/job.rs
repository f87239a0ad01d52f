//! The job tracker's use cases: add, update, change status, remove, show, list, vendors.

use crate::{Error, Result};
use chrono::{DateTime, Utc};
use qoder_domain::ids::{JobId, VersionId};
use qoder_domain::job::{
    JobApplication, JobDetail, JobFields, JobFilter, JobSort, JobStatus, MAX_PAGE_LIMIT, Page,
    PageRequest, Rate, RateKind, RatePeriod, StatusChange, VendorSummary,
};
use qoder_store::{
    Connection, Store, activity, interview, job, reminder, status_change, vendor, version,
};
use serde_json::json;

const MAX_TITLE: usize = 300;
const MAX_SHORT: usize = 500;
const MAX_LONG: usize = 200_000;

/// Parse a rate as people write it: `95/hour`, `650 GBP/day`, `120000 USD/year`, `95/h bill`.
/// The currency defaults to `default_currency`; the kind to pay.
pub fn parse_rate(s: &str, default_currency: &str) -> Result<Rate> {
    let rule = "write it as AMOUNT[ CURRENCY]/PERIOD[ bill|pay], e.g. 95/hour or 650 GBP/day bill";
    let (left, right) = s.split_once('/').ok_or_else(|| Error::invalid("rate", rule))?;
    let mut left = left.split_whitespace();
    let amount_s = left.next().ok_or_else(|| Error::invalid("rate", rule))?;
    let currency = left.next().unwrap_or(default_currency).to_string();
    if left.next().is_some() {
        return Err(Error::invalid("rate", rule));
    }
    let amount: f64 = amount_s.replace(',', "").parse().map_err(|_| {
        Error::invalid("rate", format!("amount {amount_s:?} is not a number; {rule}"))
    })?;
    let mut right = right.split_whitespace();
    let period_s = right.next().unwrap_or("");
    let period = RatePeriod::parse(period_s).ok_or_else(|| {
        Error::invalid(
            "rate",
            format!("period must be one of {} (got {period_s:?})", RatePeriod::names()),
        )
    })?;
    let kind = match right.next() {
        Some(k) => RateKind::parse(k).ok_or_else(|| {
            Error::invalid("rate", format!("kind must be one of {} (got {k:?})", RateKind::names()))
        })?,
        None => RateKind::Pay,
    };
    let rate = Rate { amount, currency: currency.to_ascii_uppercase(), period, kind };
    validate_rate(&rate)?;
    Ok(rate)
}

pub fn validate_rate(r: &Rate) -> Result<()> {
    if !r.amount.is_finite() || r.amount < 0.0 {
        return Err(Error::invalid("rate", "amount must be a number ≥ 0"));
    }
    if r.amount > 1e12 {
        return Err(Error::invalid("rate", "amount must be ≤ 1,000,000,000,000"));
    }
    if r.currency.len() != 3 || !r.currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Error::invalid(
            "rate.currency",
            format!("must be a 3-letter ISO 4217 code such as USD (got {:?})", r.currency),
        ));
    }
    Ok(())
}

/// Trim a text field; empty means "unset". Checks its length.
fn text(field: &str, v: &str, max: usize) -> Result<Option<String>> {
    let v = v.trim();
    if v.chars().count() > max {
        return Err(Error::invalid(field, format!("must be at most {max} characters")));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
        return Err(Error::invalid(field, "must not contain control characters"));
    }
    Ok((!v.is_empty()).then(|| v.to_string()))
}

fn url(v: &str) -> Result<Option<String>> {
    let v = text("source_url", v, 2_000)?;
    if let Some(u) = &v {
        let lower = u.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://"))
            || u.contains(char::is_whitespace)
        {
            return Err(Error::invalid(
                "source_url",
                "must be an http:// or https:// URL without spaces",
            ));
        }
    }
    Ok(v)
}

/// Apply `f` onto `j`, validating every field given.
pub(crate) fn apply_fields(conn: &Connection, j: &mut JobApplication, f: &JobFields) -> Result<()> {
    if let Some(t) = &f.title {
        j.title = text("title", t, MAX_TITLE)?
            .ok_or_else(|| Error::invalid("title", "must not be empty"))?;
    }
    if let Some(v) = &f.company {
        j.company = text("company", v, MAX_SHORT)?;
    }
    if let Some(v) = &f.vendor_name {
        j.vendor_name = match text("vendor", v, MAX_SHORT)? {
            Some(name) => Some(vendor::ensure(conn, &name)?),
            None => None,
        };
    }
    if let Some(v) = &f.vendor_contact {
        j.vendor_contact = text("vendor_contact", v, MAX_SHORT)?;
    }
    if let Some(r) = &f.rate {
        if let Some(r) = r {
            validate_rate(r)?;
        }
        j.rate = r.clone();
    }
    if let Some(v) = &f.location {
        j.location = text("location", v, MAX_SHORT)?;
    }
    if let Some(m) = f.work_mode {
        j.work_mode = m;
    }
    if let Some(v) = &f.source_url {
        j.source_url = url(v)?;
    }
    if let Some(v) = &f.description {
        j.description = text("description", v, MAX_LONG)?;
    }
    if let Some(v) = &f.notes {
        j.notes = text("notes", v, MAX_LONG)?;
    }
    if let Some(v) = f.resume_version_id {
        if let Some(id) = v
            && version::get(conn, id)?.is_none()
        {
            return Err(Error::invalid("resume_version", format!("version {id} does not exist")));
        }
        j.resume_version_id = v;
    }
    if let Some(a) = f.applied_at {
        j.applied_at = a;
    }
    Ok(())
}

/// Add a job. `title` is required; status defaults to saved. The first status is the first
/// entry of its timeline.
pub fn add(store: &mut Store, fields: &JobFields) -> Result<JobApplication> {
    let now = Utc::now();
    store.write(|tx| add_in(tx, fields, Stamp { created: now, updated: now, id: None, log: true }))
}

/// When and as what a job is added: imports pass the dates and ids they read, and write one
/// activity entry for the whole file instead of one per row.
pub(crate) struct Stamp {
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub id: Option<JobId>,
    pub log: bool,
}

/// Add a job inside an open transaction.
pub(crate) fn add_in(tx: &Connection, fields: &JobFields, stamp: Stamp) -> Result<JobApplication> {
    let now = stamp.created;
    let id = stamp.id;
    if fields.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Err(Error::invalid("title", "is required"));
    }
    let status = fields.status.unwrap_or(JobStatus::Saved);
    let mut j = JobApplication {
        id: id.unwrap_or_default(),
        title: String::new(),
        company: None,
        vendor_name: None,
        vendor_contact: None,
        rate: None,
        location: None,
        work_mode: None,
        source_url: None,
        description: None,
        resume_version_id: None,
        notes: None,
        status,
        applied_at: None,
        created_at: now,
        updated_at: stamp.updated,
    };
    apply_fields(tx, &mut j, fields)?;
    if j.applied_at.is_none() && status != JobStatus::Saved {
        j.applied_at = Some(now);
    }
    job::insert(tx, &j)?;
    status_change::insert(tx, j.id, &StatusChange { from: None, to: status, at: now, note: None })?;
    if stamp.log {
        let detail = json!({"title": j.title, "status": status});
        activity::log(tx, "job", &j.id.to_string(), "create", &detail)?;
    }
    Ok(j)
}

/// Change fields of a job; a status given here is recorded on the timeline like [`set_status`].
pub fn update(store: &mut Store, id: JobId, fields: &JobFields) -> Result<JobApplication> {
    let now = Utc::now();
    store.write(|tx| {
        let mut j = must_get(tx, id)?;
        let before = j.clone();
        apply_fields(tx, &mut j, fields)?;
        if let Some(s) = fields.status
            && s != before.status
        {
            change_status(tx, &mut j, s, now, None)?;
        }
        j.updated_at = now;
        job::update(tx, &j)?;
        activity::log(
            tx,
            "job",
            &id.to_string(),
            "update",
            &serde_json::to_value(changed(&before, &j)).unwrap_or_default(),
        )?;
        Ok(j)
    })
}

/// The names of the fields that differ (for the activity log).
fn changed(a: &JobApplication, b: &JobApplication) -> Vec<&'static str> {
    let mut out = Vec::new();
    macro_rules! cmp {
        ($($f:ident),*) => { $( if a.$f != b.$f { out.push(stringify!($f)); } )* };
    }
    cmp!(
        title,
        company,
        vendor_name,
        vendor_contact,
        rate,
        location,
        work_mode,
        source_url,
        description,
        resume_version_id,
        notes,
        status,
        applied_at
    );
    out
}

pub(crate) fn record_status(
    tx: &Connection,
    j: &mut JobApplication,
    to: JobStatus,
    now: DateTime<Utc>,
) -> Result<()> {
    change_status(tx, j, to, now, None)
}

fn change_status(
    tx: &Connection,
    j: &mut JobApplication,
    to: JobStatus,
    now: DateTime<Utc>,
    note: Option<String>,
) -> Result<()> {
    status_change::insert(tx, j.id, &StatusChange { from: Some(j.status), to, at: now, note })?;
    if j.applied_at.is_none() && to != JobStatus::Saved {
        j.applied_at = Some(now);
    }
    j.status = to;
    Ok(())
}

/// Move a job to `status`, recording the change (with an optional note) on its timeline.
pub fn set_status(
    store: &mut Store,
    id: JobId,
    status: JobStatus,
    note: Option<&str>,
) -> Result<JobApplication> {
    let note = match note {
        Some(n) => text("note", n, MAX_SHORT)?,
        None => None,
    };
    let now = Utc::now();
    store.write(|tx| {
        let mut j = must_get(tx, id)?;
        let from = j.status;
        change_status(tx, &mut j, status, now, note)?;
        j.updated_at = now;
        job::update(tx, &j)?;
        activity::log(tx, "job", &id.to_string(), "status", &json!({"from": from, "to": status}))?;
        Ok(j)
    })
}

/// Remove a job with its timeline, interviews and reminders.
pub fn remove(store: &mut Store, id: JobId) -> Result<()> {
    store.write(|tx| {
        let j = must_get(tx, id)?;
        job::delete(tx, id)?;
        activity::log(tx, "job", &id.to_string(), "delete", &json!({"title": j.title}))?;
        Ok(())
    })
}

fn must_get(conn: &Connection, id: JobId) -> Result<JobApplication> {
    job::get(conn, id)?.ok_or_else(|| Error::NotFound(format!("job {id} does not exist")))
}

/// A job with its timeline, interviews and reminders.
pub fn show(store: &Store, id: JobId) -> Result<JobDetail> {
    let c = store.conn();
    Ok(JobDetail {
        job: must_get(c, id)?,
        timeline: status_change::for_job(c, id)?,
        interviews: interview::for_job(c, id)?,
        reminders: reminder::for_job(c, id)?,
    })
}

/// One page of jobs. `page.limit` must be 1..=100 and `page.page` ≥ 1.
pub fn list(
    store: &Store,
    filter: &JobFilter,
    sort: JobSort,
    page: PageRequest,
) -> Result<Page<JobApplication>> {
    if page.limit == 0 || page.limit > MAX_PAGE_LIMIT {
        return Err(Error::invalid("limit", format!("must be between 1 and {MAX_PAGE_LIMIT}")));
    }
    if page.page == 0 {
        return Err(Error::invalid("page", "must be ≥ 1"));
    }
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        return Err(Error::invalid("from", "must not be after `to`"));
    }
    if let Some(t) = &filter.text
        && job::fts_query(t).is_none()
    {
        return Err(Error::invalid("text", "must contain at least one letter or digit"));
    }
    Ok(job::list(store.conn(), filter, sort, page)?)
}

pub fn vendors(store: &Store) -> Result<Vec<VendorSummary>> {
    Ok(vendor::summaries(store.conn())?)
}

/// Resolve a job id as typed: the full id, or a unique prefix of at least 4 characters.
pub fn resolve(store: &Store, s: &str) -> Result<JobId> {
    resolve_id(store.conn(), "job", s)
}

pub(crate) fn resolve_id<T: std::str::FromStr>(
    conn: &Connection,
    table: &'static str,
    s: &str,
) -> Result<T> {
    let s = s.trim();
    if let Ok(id) = s.parse::<T>() {
        return Ok(id);
    }
    let field = match table {
        "job" => "job id",
        "resume_version" => "version id",
        "resume" => "resume id",
        _ => "id",
    };
    if s.len() < 4 || !s.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(Error::invalid(
            field,
            format!("must be an id or a prefix of at least 4 hex digits (got {s:?})"),
        ));
    }
    let ids = qoder_store::search::ids_with_prefix(conn, table, &s.to_ascii_lowercase())?;
    match ids.as_slice() {
        [one] => one.parse().map_err(|_| Error::NotFound(format!("{field} {s} does not exist"))),
        [] => Err(Error::NotFound(format!("no {table} has an id starting with {s}"))),
        _ => Err(Error::invalid(
            field,
            format!("{s} matches more than one {table}; type more of it"),
        )),
    }
}

/// The version sent with a job, resolved from a typed id.
pub fn resolve_version(store: &Store, s: &str) -> Result<VersionId> {
    resolve_id(store.conn(), "resume_version", s)
}
