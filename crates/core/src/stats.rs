//! Tracker statistics: counts by status, response rate, time in each stage, applications
//! per week.

use crate::Result;
use chrono::{DateTime, Datelike, Utc};
use qoder_domain::job::{JobStats, JobStatus, StatusChange, WeekCount};
use qoder_store::{Store, job, status_change};
use std::collections::{BTreeMap, HashSet};

/// Statuses after which time stops counting (the application is over).
fn is_final(s: JobStatus) -> bool {
    matches!(
        s,
        JobStatus::Accepted | JobStatus::Rejected | JobStatus::Withdrawn | JobStatus::Ghosted
    )
}

pub fn stats(store: &Store, now: DateTime<Utc>) -> Result<JobStats> {
    let conn = store.conn();
    let mut by_status: BTreeMap<JobStatus, u64> = BTreeMap::new();
    let mut applied = 0u64;
    let mut weeks: BTreeMap<(i32, u32), u64> = BTreeMap::new();
    job::for_each(conn, |j| {
        *by_status.entry(j.status).or_default() += 1;
        if j.status != JobStatus::Saved || j.applied_at.is_some() {
            applied += 1;
        }
        if let Some(a) = j.applied_at {
            let w = a.iso_week();
            *weeks.entry((w.year(), w.week())).or_default() += 1;
        }
        Ok(())
    })?;
    let total = by_status.values().sum();

    let mut responded: HashSet<String> = HashSet::new();
    let mut time: BTreeMap<JobStatus, (f64, u64)> = BTreeMap::new();
    let mut current: Option<(String, StatusChange)> = None;
    let mut close = |prev: &StatusChange, end: DateTime<Utc>| {
        let days = (end - prev.at).num_seconds().max(0) as f64 / 86_400.0;
        let e = time.entry(prev.to).or_default();
        e.0 += days;
        e.1 += 1;
    };
    status_change::for_each(conn, |job_id, c| {
        if c.to.is_response() {
            responded.insert(job_id.to_string());
        }
        if let Some((prev_job, prev)) = current.take() {
            if prev_job == job_id {
                close(&prev, c.at);
            } else if !is_final(prev.to) {
                close(&prev, now);
            }
        }
        current = Some((job_id.to_string(), c));
    })?;
    if let Some((_, prev)) = current
        && !is_final(prev.to)
    {
        close(&prev, now);
    }
    let responded = responded.len() as u64;
    Ok(JobStats {
        total,
        by_status,
        applied,
        responded,
        response_rate: if applied == 0 { 0.0 } else { responded as f64 / applied as f64 },
        avg_days_in_status: time.into_iter().map(|(s, (sum, n))| (s, sum / n as f64)).collect(),
        applications_per_week: weeks
            .into_iter()
            .map(|((y, w), count)| WeekCount { week: format!("{y}-W{w:02}"), count })
            .collect(),
    })
}

/// The counts of [`stats`] from SQL aggregates, without the time spent in each status (which
/// needs every status change): what the dashboard shows, fast with 100,000 jobs.
pub fn summary(store: &Store) -> Result<JobStats> {
    let conn = store.conn();
    let by_status: BTreeMap<JobStatus, u64> = job::status_counts(conn)?.into_iter().collect();
    let applied = job::applied_count(conn)?;
    let responses: Vec<JobStatus> =
        JobStatus::ALL.into_iter().filter(|s| s.is_response()).collect();
    let responded = status_change::jobs_reaching(conn, &responses)?;
    let mut weeks: BTreeMap<(i32, u32), u64> = BTreeMap::new();
    for ms in job::applied_dates(conn)? {
        let w = qoder_store::from_ms(ms).iso_week();
        *weeks.entry((w.year(), w.week())).or_default() += 1;
    }
    Ok(JobStats {
        total: by_status.values().sum(),
        by_status,
        applied,
        responded,
        response_rate: if applied == 0 { 0.0 } else { responded as f64 / applied as f64 },
        avg_days_in_status: BTreeMap::new(),
        applications_per_week: weeks
            .into_iter()
            .map(|((y, w), count)| WeekCount { week: format!("{y}-W{w:02}"), count })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use qoder_domain::job::JobFields;

    #[test]
    fn summary_counts_agree_with_the_full_stats() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let moves: [&[JobStatus]; 5] = [
            &[],
            &[JobStatus::Applied],
            &[JobStatus::Applied, JobStatus::Screening, JobStatus::Rejected],
            &[JobStatus::Applied, JobStatus::Interviewing, JobStatus::Offer],
            &[JobStatus::Applied, JobStatus::Ghosted],
        ];
        for (i, path) in moves.iter().enumerate() {
            let f = JobFields { title: Some(format!("Job {i}")), ..Default::default() };
            let j = crate::job::add(&mut store, &f).unwrap();
            for s in *path {
                crate::job::set_status(&mut store, j.id, *s, None).unwrap();
            }
        }
        let full = stats(&store, Utc::now()).unwrap();
        let fast = summary(&store).unwrap();
        assert_eq!(fast.total, 5);
        assert_eq!(fast.by_status, full.by_status);
        assert_eq!(fast.applied, full.applied);
        assert_eq!(fast.responded, 2);
        assert_eq!(fast.responded, full.responded);
        assert_eq!(fast.applications_per_week, full.applications_per_week);
    }
}
