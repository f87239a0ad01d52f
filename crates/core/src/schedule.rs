//! Interviews and reminders of the job tracker, and what is due.

use crate::{Error, Result};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use qoder_domain::ids::{InterviewId, JobId, ReminderId};
use qoder_domain::job::{Interview, InterviewKind, Reminder, ReminderKind};
pub use qoder_domain::job::{NewInterview, NewReminder};
use qoder_store::{Store, activity, interview, job, reminder, setting};
use serde_json::json;

/// The setting holding the default follow-up delay for stale applications (days; 0 = off).
pub const FOLLOW_UP_DAYS_SETTING: &str = "reminders.follow_up_days";
pub const DEFAULT_FOLLOW_UP_DAYS: u32 = 7;

/// Parse a date-time as people give it: RFC 3339 with an offset (`2026-12-01T14:00:00+01:00`,
/// `…Z`), or `YYYY-MM-DD HH:MM` / `YYYY-MM-DD` which need `offset` (e.g. `+01:00`).
pub fn parse_time(field: &str, s: &str, offset: Option<&str>) -> Result<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let rule = "must be a date-time like 2026-12-01T14:00:00+01:00 (or 2026-12-01 14:00 with --utc-offset)";
    let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .or_else(|_| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(9, 0, 0).unwrap_or_default())
        })
        .map_err(|_| Error::invalid(field, format!("{rule} (got {s:?})")))?;
    let Some(offset) = offset else {
        return Err(Error::invalid(
            field,
            format!("has no UTC offset: add one (e.g. {s}+01:00 or Z) or give --utc-offset"),
        ));
    };
    let off = parse_offset(offset)?;
    naive
        .and_local_timezone(off)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| Error::invalid(field, rule))
}

fn parse_offset(s: &str) -> Result<FixedOffset> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("z") || s.eq_ignore_ascii_case("utc") {
        return FixedOffset::east_opt(0).ok_or_else(|| Error::invalid("utc_offset", "bad offset"));
    }
    let rule = "must look like +01:00 or -05:30";
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'+') => (1, &s[1..]),
        Some(b'-') => (-1, &s[1..]),
        _ => return Err(Error::invalid("utc_offset", rule)),
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i32, i32) = (
        h.parse().map_err(|_| Error::invalid("utc_offset", rule))?,
        m.parse().map_err(|_| Error::invalid("utc_offset", rule))?,
    );
    if h > 14 || m > 59 {
        return Err(Error::invalid("utc_offset", rule));
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
        .ok_or_else(|| Error::invalid("utc_offset", rule))
}

/// The interview `n` describes, checked.
fn interview_from(
    id: InterviewId,
    job_id: JobId,
    created_at: DateTime<Utc>,
    n: &NewInterview,
) -> Result<Interview> {
    let starts_at = n.starts_at.ok_or_else(|| Error::invalid("at", "is required"))?;
    let duration = n.duration_minutes.unwrap_or(60);
    if duration == 0 || duration > 24 * 60 {
        return Err(Error::invalid("duration", "must be between 1 and 1440 minutes"));
    }
    if let Some(tz) = &n.timezone
        && (tz.is_empty() || tz.len() > 64 || tz.contains(char::is_whitespace))
    {
        return Err(Error::invalid("timezone", "must be an IANA zone name such as Europe/London"));
    }
    if let Some(link) = &n.link
        && !(link.starts_with("https://") || link.starts_with("http://"))
    {
        return Err(Error::invalid("link", "must be an http:// or https:// URL"));
    }
    let interviewers: Vec<String> =
        n.interviewers.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    if interviewers.iter().any(|s| s.chars().count() > 200) || interviewers.len() > 50 {
        return Err(Error::invalid("interviewers", "at most 50 names of at most 200 characters"));
    }
    Ok(Interview {
        id,
        job_id,
        starts_at,
        duration_minutes: duration,
        timezone: n.timezone.clone(),
        kind: n.kind.unwrap_or(InterviewKind::Video),
        location: n.location.clone().filter(|s| !s.trim().is_empty()),
        link: n.link.clone(),
        interviewers,
        notes: n.notes.clone().filter(|s| !s.trim().is_empty()),
        created_at,
    })
}

/// Schedule an interview for a job. The job's status is left alone: statuses are the user's.
pub fn add_interview(store: &mut Store, job_id: JobId, n: &NewInterview) -> Result<Interview> {
    let i = interview_from(InterviewId::new(), job_id, Utc::now(), n)?;
    let starts_at = i.starts_at;
    store.write(|tx| {
        if job::get(tx, job_id)?.is_none() {
            return Err(Error::NotFound(format!("job {job_id} does not exist")));
        }
        interview::insert(tx, &i)?;
        activity::log(
            tx,
            "interview",
            &i.id.to_string(),
            "create",
            &json!({"job": job_id, "at": starts_at}),
        )?;
        Ok(i.clone())
    })
}

/// Change an interview: every field as `n` gives it (a rescheduled time, a new link).
pub fn update_interview(store: &mut Store, id: InterviewId, n: &NewInterview) -> Result<Interview> {
    store.write(|tx| {
        let old = interview::get(tx, id)?
            .ok_or_else(|| Error::NotFound(format!("interview {id} does not exist")))?;
        let i = interview_from(id, old.job_id, old.created_at, n)?;
        interview::update(tx, &i)?;
        activity::log(tx, "interview", &id.to_string(), "update", &json!({"at": i.starts_at}))?;
        Ok(i)
    })
}

pub fn remove_interview(store: &mut Store, id: InterviewId) -> Result<()> {
    store.write(|tx| {
        if !interview::delete(tx, id)? {
            return Err(Error::NotFound(format!("interview {id} does not exist")));
        }
        activity::log(tx, "interview", &id.to_string(), "delete", &json!({}))?;
        Ok(())
    })
}

pub fn add_reminder(store: &mut Store, n: &NewReminder) -> Result<Reminder> {
    let now = Utc::now();
    let (due_at, after_days) = match n.kind {
        ReminderKind::FollowUp => {
            if n.job_id.is_none() {
                return Err(Error::invalid("job", "a follow-up reminder needs a job"));
            }
            let days = n
                .after_days
                .ok_or_else(|| Error::invalid("after_days", "is required for a follow-up"))?;
            if !(1..=365).contains(&days) {
                return Err(Error::invalid("after_days", "must be between 1 and 365"));
            }
            (now + Duration::days(i64::from(days)), Some(days))
        }
        _ => (
            n.due_at
                .ok_or_else(|| Error::invalid("at", "is required for this kind of reminder"))?,
            None,
        ),
    };
    let message = n.message.clone().unwrap_or_default().trim().to_string();
    if message.chars().count() > 1000 {
        return Err(Error::invalid("message", "must be at most 1000 characters"));
    }
    store.write(|tx| {
        let job = match n.job_id {
            Some(id) => Some(
                job::get(tx, id)?
                    .ok_or_else(|| Error::NotFound(format!("job {id} does not exist")))?,
            ),
            None => None,
        };
        let message = if message.is_empty() {
            match (&job, n.kind) {
                (Some(j), ReminderKind::FollowUp) => format!("Follow up: {}", job_label(j)),
                (Some(j), ReminderKind::Deadline) => format!("Deadline: {}", job_label(j)),
                (Some(j), _) => job_label(j),
                (None, _) => {
                    return Err(Error::invalid("message", "is required when no job is given"));
                }
            }
        } else {
            message.clone()
        };
        let r = Reminder {
            id: ReminderId::new(),
            job_id: n.job_id,
            kind: n.kind,
            due_at,
            message,
            after_days,
            done: false,
            created_at: now,
        };
        reminder::insert(tx, &r)?;
        activity::log(
            tx,
            "reminder",
            &r.id.to_string(),
            "create",
            &json!({"job": n.job_id, "kind": n.kind}),
        )?;
        Ok(r)
    })
}

pub fn job_label(j: &qoder_domain::job::JobApplication) -> String {
    match (&j.company, &j.vendor_name) {
        (Some(c), _) => format!("{} at {c}", j.title),
        (None, Some(v)) => format!("{} via {v}", j.title),
        (None, None) => j.title.clone(),
    }
}

pub fn complete_reminder(store: &mut Store, id: ReminderId) -> Result<()> {
    store.write(|tx| {
        if !reminder::set_done(tx, id, true)? {
            return Err(Error::NotFound(format!("reminder {id} does not exist")));
        }
        activity::log(tx, "reminder", &id.to_string(), "done", &json!({}))?;
        Ok(())
    })
}

/// The follow-up delay for stale applications (setting, default 7; 0 turns it off).
pub fn follow_up_days(store: &Store) -> Result<u32> {
    Ok(setting::get(store.conn(), FOLLOW_UP_DAYS_SETTING)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_FOLLOW_UP_DAYS))
}

pub fn set_follow_up_days(store: &mut Store, days: u32) -> Result<()> {
    if days > 365 {
        return Err(Error::invalid("follow_up_days", "must be between 0 and 365"));
    }
    store.write(|tx| {
        setting::set(tx, FOLLOW_UP_DAYS_SETTING, &days.to_string())?;
        activity::log(tx, "setting", FOLLOW_UP_DAYS_SETTING, "update", &json!({"value": days}))?;
        Ok(())
    })
}

/// Reminders due by `until`: the ones set, plus a follow-up for every application still
/// waiting on a reply that has not changed for the default follow-up delay.
pub fn due(store: &Store, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<Reminder>> {
    let conn = store.conn();
    let mut out = reminder::open_until(conn, until.timestamp_millis())?;
    let days = follow_up_days(store)?;
    if days > 0 {
        let horizon = until - Duration::days(i64::from(days));
        let explicit: std::collections::HashSet<JobId> = out
            .iter()
            .filter(|r| r.kind == ReminderKind::FollowUp)
            .filter_map(|r| r.job_id)
            .collect();
        for j in job::stale(conn, horizon.timestamp_millis(), 500)? {
            if explicit.contains(&j.id) {
                continue;
            }
            out.push(Reminder {
                // Stable per job and last change, so a calendar re-import updates in place.
                id: ReminderId(uuid_from(j.id, j.updated_at)),
                job_id: Some(j.id),
                kind: ReminderKind::FollowUp,
                due_at: j.updated_at + Duration::days(i64::from(days)),
                message: format!(
                    "Follow up: {} ({} for {} days)",
                    job_label(&j),
                    j.status.as_str(),
                    (now - j.updated_at).num_days().max(0)
                ),
                after_days: Some(days),
                done: false,
                created_at: j.updated_at,
            });
        }
    }
    out.sort_by_key(|r| r.due_at);
    Ok(out)
}

fn uuid_from(job: JobId, at: DateTime<Utc>) -> uuid::Uuid {
    let mut bytes = *job.0.as_bytes();
    for (i, b) in at.timestamp_millis().to_be_bytes().iter().enumerate() {
        bytes[8 + i] ^= b;
    }
    uuid::Builder::from_bytes(bytes)
        .with_variant(uuid::Variant::RFC4122)
        .with_version(uuid::Version::Custom)
        .into_uuid()
}

/// Interviews from `now` on, soonest first.
pub fn upcoming_interviews(store: &Store, now: DateTime<Utc>) -> Result<Vec<Interview>> {
    Ok(interview::upcoming(store.conn(), now.timestamp_millis())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_need_an_offset() {
        let t = parse_time("at", "2026-12-01T14:00:00+01:00", None).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-01T13:00:00+00:00");
        let t = parse_time("at", "2026-12-01 14:00", Some("-05:00")).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-01T19:00:00+00:00");
        let e = parse_time("at", "2026-12-01 14:00", None).unwrap_err();
        assert!(e.to_string().starts_with("at: has no UTC offset"), "{e}");
        assert!(parse_time("at", "tomorrow", Some("Z")).is_err());
        assert!(parse_time("at", "2026-12-01 14:00", Some("+25:00")).is_err());
    }
}
