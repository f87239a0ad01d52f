//! CSV export and import of the tracker. One row per job; the header names the columns, so a
//! spreadsheet's column order does not matter on import. An import is one transaction: any bad
//! row rejects the file, naming the row and the field.

use crate::{Error, Result};
use chrono::{DateTime, Utc};
use qoder_domain::ids::JobId;
use qoder_domain::job::{
    JobApplication, JobFields, JobStatus, Rate, RateKind, RatePeriod, WorkMode,
};
use qoder_store::{Store, activity, job};
use serde_json::json;
use std::io::{Read, Write};

pub const COLUMNS: [&str; 19] = [
    "id",
    "title",
    "company",
    "vendor_name",
    "vendor_contact",
    "rate_amount",
    "rate_currency",
    "rate_period",
    "rate_kind",
    "location",
    "work_mode",
    "source_url",
    "status",
    "applied_at",
    "created_at",
    "updated_at",
    "resume_version_id",
    "notes",
    "description",
];

/// The most rows one import accepts.
pub const MAX_ROWS: usize = 200_000;

fn row_of(j: &JobApplication) -> [String; 19] {
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let t = |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    let r = j.rate.as_ref();
    [
        j.id.to_string(),
        j.title.clone(),
        opt(&j.company),
        opt(&j.vendor_name),
        opt(&j.vendor_contact),
        r.map(|r| r.amount.to_string()).unwrap_or_default(),
        r.map(|r| r.currency.clone()).unwrap_or_default(),
        r.map(|r| r.period.as_str().to_string()).unwrap_or_default(),
        r.map(|r| r.kind.as_str().to_string()).unwrap_or_default(),
        opt(&j.location),
        j.work_mode.map(|m| m.as_str().to_string()).unwrap_or_default(),
        opt(&j.source_url),
        j.status.as_str().to_string(),
        t(j.applied_at),
        t(Some(j.created_at)),
        t(Some(j.updated_at)),
        j.resume_version_id.map(|v| v.to_string()).unwrap_or_default(),
        opt(&j.notes),
        opt(&j.description),
    ]
}

/// Write every job as CSV; returns how many.
pub fn export(store: &Store, out: impl Write) -> Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    let csv_err = |e: csv::Error| Error::io("cannot write CSV", std::io::Error::other(e));
    w.write_record(COLUMNS).map_err(csv_err)?;
    let mut n = 0;
    job::for_each(store.conn(), |j| {
        w.write_record(row_of(&j)).map_err(|e| {
            qoder_store::StoreError::io("cannot write CSV", std::io::Error::other(e))
        })?;
        n += 1;
        Ok(())
    })?;
    w.flush().map_err(|e| Error::io("cannot write CSV", e))?;
    Ok(n)
}

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct ImportReport {
    pub created: u64,
    pub updated: u64,
}

/// Import jobs from CSV. Needs a `title` column; every other column is optional. A row whose
/// `id` names an existing job updates it; other rows create jobs.
pub fn import(store: &mut Store, input: impl Read) -> Result<ImportReport> {
    let mut rdr =
        csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::Fields).from_reader(input);
    let headers = rdr
        .headers()
        .map_err(|e| Error::invalid("csv", format!("cannot read the header row: {e}")))?
        .clone();
    let mut index = [None; 19];
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
        match COLUMNS.iter().position(|c| *c == h) {
            Some(p) => index[p] = Some(i),
            None => {
                return Err(Error::invalid(
                    "csv",
                    format!("unknown column {h:?}; columns are {}", COLUMNS.join(", ")),
                ));
            }
        }
    }
    if index[1].is_none() {
        return Err(Error::invalid("csv", "the header needs a `title` column"));
    }
    let mut rows = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let line = n + 2;
        let rec = rec.map_err(|e| Error::invalid(format!("csv row {line}"), e.to_string()))?;
        if rows.len() >= MAX_ROWS {
            return Err(Error::invalid("csv", format!("at most {MAX_ROWS} rows per import")));
        }
        let get = |col: usize| index[col].and_then(|i| rec.get(i)).unwrap_or("").to_string();
        rows.push((line, std::array::from_fn::<String, 19, _>(get)));
    }
    let now = Utc::now();
    let report = store.write(|tx| {
        let mut report = ImportReport::default();
        for (line, r) in &rows {
            let at = |e: Error| match e {
                Error::Validation { field, rule } => {
                    Error::invalid(format!("csv row {line}, {field}"), rule)
                }
                e => e,
            };
            let (id, fields, created, updated) = parse_row(r).map_err(at)?;
            if let Some(id) = id
                && let Some(existing) = job::get(tx, id)?
            {
                let mut j = existing;
                let mut f = fields;
                f.status = None;
                crate::job::apply_fields(tx, &mut j, &f).map_err(at)?;
                if let Some(s) = fields_status(r).map_err(at)?
                    && s != j.status
                {
                    crate::job::record_status(tx, &mut j, s, now)?;
                }
                j.updated_at = updated.unwrap_or(now);
                job::update(tx, &j)?;
                report.updated += 1;
            } else {
                let created = created.unwrap_or(now);
                let stamp = crate::job::Stamp {
                    created,
                    updated: updated.unwrap_or(created),
                    id,
                    log: false,
                };
                crate::job::add_in(tx, &fields, stamp).map_err(at)?;
                report.created += 1;
            }
        }
        activity::log(
            tx,
            "job",
            "*",
            "import",
            &json!({"created": report.created, "updated": report.updated}),
        )?;
        Ok::<_, Error>(report)
    })?;
    Ok(report)
}

fn fields_status(r: &[String; 19]) -> Result<Option<JobStatus>> {
    let s = r[12].trim();
    if s.is_empty() {
        return Ok(None);
    }
    JobStatus::parse(s).map(Some).ok_or_else(|| {
        Error::invalid("status", format!("must be one of {} (got {s:?})", JobStatus::names()))
    })
}

fn time(field: &str, s: &str) -> Result<Option<DateTime<Utc>>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| Some(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()))
        .map_err(|_| {
            Error::invalid(
                field,
                format!("must be an RFC 3339 date-time or YYYY-MM-DD (got {s:?})"),
            )
        })
}

type Parsed = (Option<JobId>, JobFields, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

fn parse_row(r: &[String; 19]) -> Result<Parsed> {
    let id = match r[0].trim() {
        "" => None,
        s => Some(
            s.parse::<JobId>()
                .map_err(|_| Error::invalid("id", format!("must be a UUID (got {s:?})")))?,
        ),
    };
    let some = |s: &String| (!s.trim().is_empty()).then(|| s.clone());
    let rate = match r[5].trim() {
        "" => None,
        a => {
            let amount: f64 = a.parse().map_err(|_| {
                Error::invalid("rate_amount", format!("must be a number ≥ 0 (got {a:?})"))
            })?;
            let period = match r[7].trim() {
                "" => RatePeriod::Hour,
                p => RatePeriod::parse(p).ok_or_else(|| {
                    Error::invalid(
                        "rate_period",
                        format!("must be one of {} (got {p:?})", RatePeriod::names()),
                    )
                })?,
            };
            let kind = match r[8].trim() {
                "" => RateKind::Pay,
                k => RateKind::parse(k).ok_or_else(|| {
                    Error::invalid(
                        "rate_kind",
                        format!("must be one of {} (got {k:?})", RateKind::names()),
                    )
                })?,
            };
            let currency = match r[6].trim() {
                "" => "USD".to_string(),
                c => c.to_ascii_uppercase(),
            };
            Some(Rate { amount, currency, period, kind })
        }
    };
    let work_mode = match r[10].trim() {
        "" => None,
        m => Some(WorkMode::parse(m).ok_or_else(|| {
            Error::invalid("work_mode", format!("must be one of {} (got {m:?})", WorkMode::names()))
        })?),
    };
    let version = match r[16].trim() {
        "" => None,
        v => Some(v.parse().map_err(|_| {
            Error::invalid("resume_version_id", format!("must be a UUID (got {v:?})"))
        })?),
    };
    let fields = JobFields {
        title: some(&r[1]),
        company: some(&r[2]),
        vendor_name: some(&r[3]),
        vendor_contact: some(&r[4]),
        rate: Some(rate),
        location: some(&r[9]),
        work_mode: Some(work_mode),
        source_url: some(&r[11]),
        status: fields_status(r)?,
        applied_at: Some(time("applied_at", &r[13])?),
        resume_version_id: Some(version),
        notes: some(&r[17]),
        description: some(&r[18]),
    };
    Ok((id, fields, time("created_at", &r[14])?, time("updated_at", &r[15])?))
}
