//! The `job` table: applications in the tracker, and the list query (filter, sort, page).

use crate::error::{Result, StoreError};
use crate::{conversion, from_ms, parse_id, to_ms};
use qoder_domain::ids::JobId;
use qoder_domain::job::{
    DateField, JobApplication, JobFilter, JobSort, JobSortField, JobStatus, Page, PageRequest,
    Rate, RateKind, RatePeriod, SortOrder, TEXT_COUNT_CAP, WorkMode,
};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

const COLUMNS: &str = "id, title, company, vendor_name, vendor_contact, rate_amount, \
    rate_currency, rate_period, rate_kind, location, work_mode, source_url, description, \
    resume_version_id, notes, status, applied_at, created_at, updated_at";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JobApplication> {
    let id: String = r.get(0)?;
    let rate = match r.get::<_, Option<f64>>(5)? {
        Some(amount) => {
            let period: String = r.get(7)?;
            let kind: String = r.get(8)?;
            Some(Rate {
                amount,
                currency: r.get(6)?,
                period: RatePeriod::parse(&period)
                    .ok_or_else(|| conversion(format!("bad rate period {period:?}")))?,
                kind: RateKind::parse(&kind)
                    .ok_or_else(|| conversion(format!("bad rate kind {kind:?}")))?,
            })
        }
        None => None,
    };
    let work_mode: Option<String> = r.get(10)?;
    let version: Option<String> = r.get(13)?;
    let status: String = r.get(15)?;
    Ok(JobApplication {
        id: parse_id(&id, "job")?,
        title: r.get(1)?,
        company: r.get(2)?,
        vendor_name: r.get(3)?,
        vendor_contact: r.get(4)?,
        rate,
        location: r.get(9)?,
        work_mode: work_mode.as_deref().and_then(WorkMode::parse),
        source_url: r.get(11)?,
        description: r.get(12)?,
        resume_version_id: version.map(|v| parse_id(&v, "version")).transpose()?,
        notes: r.get(14)?,
        status: JobStatus::parse(&status)
            .ok_or_else(|| conversion(format!("bad status {status:?}")))?,
        applied_at: r.get::<_, Option<i64>>(16)?.map(from_ms),
        created_at: from_ms(r.get(17)?),
        updated_at: from_ms(r.get(18)?),
    })
}

fn values(j: &JobApplication) -> [Value; 19] {
    let text = |s: &Option<String>| s.clone().map_or(Value::Null, Value::Text);
    let rate = j.rate.as_ref();
    [
        Value::Text(j.id.to_string()),
        Value::Text(j.title.clone()),
        text(&j.company),
        text(&j.vendor_name),
        text(&j.vendor_contact),
        rate.map_or(Value::Null, |r| Value::Real(r.amount)),
        rate.map_or(Value::Null, |r| Value::Text(r.currency.clone())),
        rate.map_or(Value::Null, |r| Value::Text(r.period.as_str().into())),
        rate.map_or(Value::Null, |r| Value::Text(r.kind.as_str().into())),
        text(&j.location),
        j.work_mode.map_or(Value::Null, |m| Value::Text(m.as_str().into())),
        text(&j.source_url),
        text(&j.description),
        j.resume_version_id.map_or(Value::Null, |v| Value::Text(v.to_string())),
        text(&j.notes),
        Value::Text(j.status.as_str().into()),
        j.applied_at.map_or(Value::Null, |t| Value::Integer(to_ms(t))),
        Value::Integer(to_ms(j.created_at)),
        Value::Integer(to_ms(j.updated_at)),
    ]
}

/// Insert a job (its vendor must already be [`crate::vendor::ensure`]d).
pub fn insert(conn: &Connection, j: &JobApplication) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO job({COLUMNS}, rate_yearly) VALUES \
         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
    ))?;
    let v = values(j);
    let yearly = j.rate.as_ref().map_or(Value::Null, |r| Value::Real(r.yearly()));
    stmt.execute(params_from_iter(v.iter().chain([&yearly])))?;
    Ok(())
}

/// Replace every column of an existing job.
pub fn update(conn: &Connection, j: &JobApplication) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE job SET title = ?2, company = ?3, vendor_name = ?4, vendor_contact = ?5,
            rate_amount = ?6, rate_currency = ?7, rate_period = ?8, rate_kind = ?9,
            location = ?10, work_mode = ?11, source_url = ?12, description = ?13,
            resume_version_id = ?14, notes = ?15, status = ?16, applied_at = ?17,
            created_at = ?18, updated_at = ?19, rate_yearly = ?20
         WHERE id = ?1",
    )?;
    let v = values(j);
    let yearly = j.rate.as_ref().map_or(Value::Null, |r| Value::Real(r.yearly()));
    let n = stmt.execute(params_from_iter(v.iter().chain([&yearly])))?;
    if n == 0 {
        return Err(StoreError::not_found("job", j.id));
    }
    Ok(())
}

pub fn get(conn: &Connection, id: JobId) -> Result<Option<JobApplication>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM job WHERE id = ?1"))?
        .query_row([id.to_string()], row)
        .optional()?)
}

pub fn delete(conn: &Connection, id: JobId) -> Result<bool> {
    Ok(conn.execute("DELETE FROM job WHERE id = ?1", [id.to_string()])? > 0)
}

/// About how many jobs there are (`max(pk)`: exact until jobs are deleted), in O(1).
pub fn row_estimate(conn: &Connection) -> Result<u64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(pk), 0) FROM job")?
        .query_row([], |r| r.get::<_, i64>(0))? as u64)
}

/// Every job, oldest first, handed to `f` one at a time (exports of any size).
pub fn for_each(conn: &Connection, mut f: impl FnMut(JobApplication) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM job ORDER BY pk"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(row(r)?)?;
    }
    Ok(())
}

/// Jobs that name `version_id` as the resume sent.
pub fn ids_with_version(conn: &Connection, version_id: &str) -> Result<Vec<JobId>> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM job WHERE resume_version_id = ?1 ORDER BY pk")?;
    let ids: Vec<String> =
        stmt.query_map([version_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    ids.iter().map(|s| Ok(parse_id(s, "job")?)).collect()
}

/// Turn free text into an FTS5 query: every word must appear (whole words: prefix queries
/// merge many doclists and are several times slower at 100,000 rows).
/// Returns `None` when the text has no word at all.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<&str> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(32).collect();
    if words.is_empty() {
        return None;
    }
    Some(words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" "))
}

/// One page of jobs matching `filter`, in `sort` order, and how many match in all.
/// The caller validates `page` (limit 1..=100); a text filter without words matches nothing.
pub fn list(
    conn: &Connection,
    filter: &JobFilter,
    sort: JobSort,
    page: PageRequest,
) -> Result<Page<JobApplication>> {
    let vendor = filter.vendor.as_deref().map(str::trim).filter(|v| !v.is_empty());
    let company = filter.company.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let text = match filter.text.as_deref() {
        Some(t) => match fts_query(t) {
            Some(q) => Some(q),
            None => {
                return Ok(Page {
                    items: Vec::new(),
                    page: page.page.max(1),
                    limit: page.limit.max(1),
                    total: 0,
                    total_exact: true,
                });
            }
        },
        None => None,
    };
    let date_col = match filter.date_field {
        DateField::CreatedAt => "created_at",
        DateField::UpdatedAt => "updated_at",
        DateField::AppliedAt => "applied_at",
    };
    // Build the WHERE clause twice: once letting SQLite drive from the filter's own index
    // (best when few rows match), once with the filter columns wrapped in unary `+` so it walks
    // the sort index and stops after one page (best when many match). The count decides.
    let build = |walk_sort_index: bool, with_text: bool| -> (String, Vec<Value>) {
        let p = if walk_sort_index { "+" } else { "" };
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        if !filter.status.is_empty() {
            let marks = vec!["?"; filter.status.len()].join(", ");
            // A single status pairs with the (status, sort) indexes: never hide it.
            let sp = if filter.status.len() == 1 { "" } else { p };
            clauses.push(format!("{sp}status IN ({marks})"));
            args.extend(filter.status.iter().map(|s| Value::Text(s.as_str().into())));
        }
        if let Some(v) = vendor {
            clauses.push(format!(
                "{p}vendor_name COLLATE NOCASE IN (SELECT name FROM vendor WHERE name LIKE ? ESCAPE '\\')"
            ));
            args.push(Value::Text(format!("%{}%", like_escape(v))));
        }
        if let Some(c) = company {
            clauses.push(format!("{p}company = ? COLLATE NOCASE"));
            args.push(Value::Text(c.into()));
        }
        if let Some(q) = text.as_ref().filter(|_| with_text) {
            if walk_sort_index {
                // `+pk`: the matches are collected once into a temporary set that each row of
                // the sort-index walk is looked up in (a correlated MATCH per row re-reads the
                // term's whole posting list and was 10× slower on common words).
                clauses.push("+pk IN (SELECT rowid FROM job_fts WHERE job_fts MATCH ?)".into());
            } else {
                clauses.push("pk IN (SELECT rowid FROM job_fts WHERE job_fts MATCH ?)".into());
            }
            args.push(Value::Text(q.clone()));
        }
        if let Some(from) = filter.from {
            clauses.push(format!("{p}{date_col} >= ?"));
            args.push(Value::Integer(to_ms(from)));
        }
        if let Some(to) = filter.to {
            clauses.push(format!("{p}{date_col} <= ?"));
            args.push(Value::Integer(to_ms(to)));
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        (sql, args)
    };
    let dir = match sort.order {
        SortOrder::Asc => "ASC",
        SortOrder::Desc => "DESC",
    };
    let sort_col = match sort.field {
        JobSortField::CreatedAt => "created_at",
        JobSortField::UpdatedAt => "updated_at",
        JobSortField::JobTitle => "title COLLATE NOCASE",
        JobSortField::VendorName => "vendor_name COLLATE NOCASE",
        JobSortField::Rate => "rate_yearly",
    };
    let limit = page.limit.max(1);
    let offset = u64::from(page.page.max(1) - 1) * u64::from(limit);
    let (total, exact) = match &text {
        // Count from the full-text index, joined to the rows, and stop at the cap: a common
        // word can match most of the table.
        Some(q) => {
            let (other, mut args) = build(true, false);
            let more = if other.is_empty() {
                String::new()
            } else {
                format!("AND {}", &other["WHERE ".len()..])
            };
            let sql = format!(
                "SELECT count(*) FROM (SELECT 1 FROM job_fts JOIN job ON job.pk = job_fts.rowid
                   WHERE job_fts MATCH ? {more} LIMIT {})",
                TEXT_COUNT_CAP + 1
            );
            args.insert(0, Value::Text(q.clone()));
            let n: i64 = conn
                .prepare_cached(&sql)?
                .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
            let n = n as u64;
            if n > TEXT_COUNT_CAP { (TEXT_COUNT_CAP, false) } else { (n, true) }
        }
        None => {
            let (where_sql, args) = build(false, true);
            let n: i64 = conn
                .prepare_cached(&format!("SELECT count(*) FROM job {where_sql}"))?
                .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
            (n as u64, true)
        }
    };
    let total_i = total as i64;
    if exact && offset >= total {
        return Ok(Page {
            items: Vec::new(),
            page: page.page.max(1),
            limit,
            total,
            total_exact: exact,
        });
    }
    // Walking the sort index visits about (offset + limit) × rows / matches rows; driving
    // from the filter's index costs about `matches` plus a sort.
    let rows = row_estimate(conn)?.max(1);
    let visits = (offset + u64::from(limit)) as f64 * rows as f64 / total_i.max(1) as f64;
    let walk = !exact || (visits < total_i as f64 * 2.0 && total_i > 2_000);
    let (where_sql, mut args) = build(walk, true);
    let sql = format!(
        "SELECT {COLUMNS} FROM job {where_sql} ORDER BY {sort_col} {dir}, pk {dir} LIMIT ? OFFSET ?"
    );
    args.push(Value::Integer(i64::from(limit)));
    args.push(Value::Integer(offset.min(i64::MAX as u64) as i64));
    let mut stmt = conn.prepare_cached(&sql)?;
    let items =
        stmt.query_map(params_from_iter(args.iter()), row)?.collect::<rusqlite::Result<_>>()?;
    Ok(Page { items, page: page.page.max(1), limit, total, total_exact: exact })
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// `(status, updated_at)` of jobs waiting on a reply whose last change is at or before `cutoff_ms`.
pub fn stale(conn: &Connection, cutoff_ms: i64, limit: u32) -> Result<Vec<JobApplication>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM job WHERE status IN ('applied', 'screening', 'interviewing')
           AND updated_at <= ?1 ORDER BY updated_at LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![cutoff_ms, limit], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Jobs per status (statuses with no job are left out).
pub fn status_counts(conn: &Connection) -> Result<Vec<(JobStatus, u64)>> {
    let mut stmt = conn.prepare_cached("SELECT status, count(*) FROM job GROUP BY status")?;
    let rows = stmt.query_map([], |r| {
        let s: String = r.get(0)?;
        let n: i64 = r.get(1)?;
        let status = JobStatus::parse(&s).ok_or_else(|| conversion(format!("bad status {s:?}")))?;
        Ok((status, n.max(0) as u64))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Applications actually sent: jobs that left `saved` or carry an applied date.
pub fn applied_count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM job WHERE status <> 'saved' OR applied_at IS NOT NULL",
        )?
        .query_row([], |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

/// Every applied date (ms since the epoch), for per-week counts.
pub fn applied_dates(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT applied_at FROM job WHERE applied_at IS NOT NULL")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_queries_quote_every_word() {
        for (input, want) in [
            ("rust", Some("\"rust\"")),
            ("Rust engineer", Some("\"Rust\" \"engineer\"")),
            ("c++ AND \"x\" NEAR(", Some("\"c\" \"AND\" \"x\" \"NEAR\"")),
            ("  -- ", None),
        ] {
            let want = want.map(str::to_string);
            assert_eq!(fts_query(input), want, "{input}");
        }
    }
}
