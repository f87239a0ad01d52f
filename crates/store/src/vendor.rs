//! The `vendor` table: staffing agencies by name (case-insensitive), and their summaries.

use crate::error::Result;
use crate::{from_ms, now_ms, parse_id};
use qoder_domain::job::{JobStatus, VendorSummary};
use rusqlite::{Connection, params};
use std::collections::BTreeMap;

/// Make sure `name` is a vendor and return its stored spelling (the first one used), so the
/// jobs of "hays" and "Hays" group together.
pub fn ensure(conn: &Connection, name: &str) -> Result<String> {
    conn.prepare_cached("INSERT OR IGNORE INTO vendor(name, created_at) VALUES (?1, ?2)")?
        .execute(params![name, now_ms()])?;
    Ok(conn
        .prepare_cached("SELECT name FROM vendor WHERE name = ?1")?
        .query_row([name], |r| r.get(0))?)
}

/// Every vendor that has jobs, with counts by status, contacts and job ids; by name.
pub fn summaries(conn: &Connection) -> Result<Vec<VendorSummary>> {
    let mut stmt = conn.prepare(
        "SELECT vendor_name, id, status, vendor_contact, updated_at FROM job
         WHERE vendor_name IS NOT NULL ORDER BY vendor_name COLLATE NOCASE, pk",
    )?;
    let mut out: Vec<VendorSummary> = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let name: String = r.get(0)?;
        let id: String = r.get(1)?;
        let status: String = r.get(2)?;
        let contact: Option<String> = r.get(3)?;
        let updated = from_ms(r.get(4)?);
        if out.last().is_none_or(|v| !v.name.eq_ignore_ascii_case(&name)) {
            out.push(VendorSummary {
                name,
                jobs: 0,
                by_status: BTreeMap::new(),
                contacts: Vec::new(),
                job_ids: Vec::new(),
                last_activity: None,
            });
        }
        let Some(v) = out.last_mut() else { continue };
        v.jobs += 1;
        v.job_ids.push(parse_id(&id, "job")?);
        if let Some(s) = JobStatus::parse(&status) {
            *v.by_status.entry(s).or_default() += 1;
        }
        if let Some(c) = contact.filter(|c| !c.is_empty())
            && !v.contacts.contains(&c)
        {
            v.contacts.push(c);
        }
        v.last_activity = Some(v.last_activity.map_or(updated, |t| t.max(updated)));
    }
    Ok(out)
}
