//! The desktop's first screen in one read: latest resume and score trend, the job pipeline,
//! interviews and reminders coming up, the newest matches.

use crate::Result;
use chrono::{DateTime, Duration, Utc};
use qoder_domain::dashboard::{Dashboard, ScorePoint, UpcomingInterview};
use qoder_store::{Store, job, match_run, resume, version};
use std::collections::HashMap;

const TREND_POINTS: usize = 30;
const UPCOMING: usize = 5;
const RECENT_MATCHES: usize = 5;
const DUE_REMINDERS: usize = 8;

pub fn dashboard(store: &Store, now: DateTime<Utc>) -> Result<Dashboard> {
    let conn = store.conn();
    let names: HashMap<_, _> = resume::list(conn)?.into_iter().map(|f| (f.id, f.name)).collect();
    let mut versions = version::all(conn)?;
    versions.sort_by_key(|v| v.created_at);
    let label = |v: &qoder_domain::version::ResumeVersion| {
        let name = names.get(&v.resume_id).map_or("resume", String::as_str);
        format!("{name} v{}", v.seq)
    };
    let score_trend = versions
        .iter()
        .skip(versions.len().saturating_sub(TREND_POINTS))
        .map(|v| ScorePoint { at: v.created_at, score: v.ats_score, label: label(v) })
        .collect();
    let latest = versions.last().cloned();
    let latest_name = latest.as_ref().and_then(|v| names.get(&v.resume_id).cloned());

    let mut upcoming_interviews = Vec::new();
    for i in crate::schedule::upcoming_interviews(store, now)?.into_iter().take(UPCOMING) {
        let job_label = match job::get(conn, i.job_id)? {
            Some(j) => crate::schedule::job_label(&j),
            None => "(deleted job)".to_string(),
        };
        upcoming_interviews.push(UpcomingInterview { interview: i, job_label });
    }
    let mut due_reminders = crate::schedule::due(store, now, now + Duration::days(7))?;
    let due_reminders_total = u32::try_from(due_reminders.len()).unwrap_or(u32::MAX);
    due_reminders.truncate(DUE_REMINDERS);
    let mut recent_matches =
        match_run::list(conn, &match_run::Filter { limit: RECENT_MATCHES, ..Default::default() })?;
    recent_matches.reverse();
    Ok(Dashboard {
        latest,
        latest_name,
        score_trend,
        jobs: crate::stats::summary(store)?,
        upcoming_interviews,
        due_reminders,
        due_reminders_total,
        recent_matches,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use qoder_domain::job::JobFields;

    #[test]
    fn empty_store_gives_an_empty_dashboard() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let d = dashboard(&store, Utc::now()).unwrap();
        assert!(d.latest.is_none());
        assert!(d.score_trend.is_empty());
        assert_eq!(d.jobs.total, 0);
    }

    #[test]
    fn counts_jobs_and_imported_versions() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let fields = JobFields { title: Some("Data Engineer".into()), ..Default::default() };
        crate::job::add(&mut store, &fields).unwrap();
        let text = b"Jane Doe\njane@example.com\n\nExperience\nData Engineer, Acme (2020 - 2024)\n- Built pipelines in Python\n\nSkills\nPython, SQL\n";
        let opts = qoder_analysis::AnalyzeOptions {
            limits: Default::default(),
            file_name: Some("jane.txt".into()),
            today: (2026, 11),
            worker: None,
        };
        crate::resume::import(
            &mut store,
            text,
            crate::resume::Family::Auto,
            &opts,
            &Default::default(),
        )
        .unwrap();
        let d = dashboard(&store, Utc::now()).unwrap();
        assert_eq!(d.jobs.total, 1);
        let full = crate::stats::stats(&store, Utc::now()).unwrap();
        assert_eq!(
            (d.jobs.by_status.clone(), d.jobs.applied, d.jobs.responded),
            (full.by_status, full.applied, full.responded)
        );
        assert_eq!(d.score_trend.len(), 1);
        assert_eq!(d.latest_name.as_deref(), Some("jane"));
        assert_eq!(d.score_trend[0].label, "jane v1");
    }
}
