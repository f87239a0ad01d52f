//! Desktop notifications for the tracker's reminders and interviews: what falls due now, what
//! fell due while the app was closed (shown at the next launch as missed), snooze and done.
//!
//! The app's notifier calls [`tick`] every half minute and whenever the tracker changes, and
//! shows what it returns; [`inbox`] is the in-app list of everything due and not yet done or
//! snoozed. What was notified is kept per device in the `notice` table (never synced), keyed by
//! the item and the time it was due, so a reminder or interview moved to a new time notifies
//! again.

use crate::{Error, Result, schedule};
use chrono::{DateTime, Duration, Local, Utc};
use qoder_domain::ids::ReminderId;
use qoder_domain::job::{InterviewKind, Notice, NoticeKind, ReminderKind};
use qoder_store::notice::{self, NoticeState};
use qoder_store::{Store, activity, interview, job, setting};
use serde_json::json;
use std::collections::HashMap;

/// Whether due items raise desktop notifications ("true"/"false"; default on). The in-app
/// list works either way.
pub const ENABLED_SETTING: &str = "notifications.enabled";
/// How long before an interview its notification comes (minutes).
pub const INTERVIEW_LEAD_SETTING: &str = "notifications.interview_lead_minutes";
pub const DEFAULT_INTERVIEW_LEAD_MINUTES: u32 = 30;
/// How far back a due item still notifies; older ones stay on the dashboard only.
pub const LOOKBACK_DAYS: i64 = 14;
/// An item first notified this long after it fell due fell due while the app was not running
/// (the notifier ticks every 30 s while it runs).
const MISSED_AFTER_MINUTES: i64 = 5;
/// An interview stays listed this long after it ends (unless marked done).
const INTERVIEW_LISTED_AFTER_END_HOURS: i64 = 12;
/// The longest snooze.
const MAX_SNOOZE_DAYS: i64 = 30;

/// The notification preferences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefs {
    pub enabled: bool,
    pub interview_lead_minutes: u32,
}

pub fn prefs(store: &Store) -> Result<Prefs> {
    let conn = store.conn();
    Ok(Prefs {
        enabled: setting::get(conn, ENABLED_SETTING)?.is_none_or(|v| v != "false"),
        interview_lead_minutes: setting::get(conn, INTERVIEW_LEAD_SETTING)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_INTERVIEW_LEAD_MINUTES),
    })
}

pub fn set_prefs(store: &mut Store, p: Prefs) -> Result<Prefs> {
    if p.interview_lead_minutes > 24 * 60 {
        return Err(Error::invalid(
            "interview_lead_minutes",
            "must be between 0 and 1440 minutes (a day)",
        ));
    }
    store.write(|tx| {
        setting::set(tx, ENABLED_SETTING, if p.enabled { "true" } else { "false" })?;
        setting::set(tx, INTERVIEW_LEAD_SETTING, &p.interview_lead_minutes.to_string())?;
        activity::log(
            tx,
            "setting",
            "notifications",
            "update",
            &json!({"enabled": p.enabled, "interview_lead_minutes": p.interview_lead_minutes}),
        )?;
        Ok::<_, Error>(())
    })?;
    Ok(p)
}

/// A due item with the time it stops being listed.
struct Item {
    notice: Notice,
    listed_until: DateTime<Utc>,
}

fn key(kind: NoticeKind, id: &str) -> (String, String) {
    (kind.as_str().to_string(), id.to_string())
}

fn local_time(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let (t, today) = (t.with_timezone(&Local), now.with_timezone(&Local));
    if t.date_naive() == today.date_naive() {
        t.format("%H:%M").to_string()
    } else {
        t.format("%a %-d %b, %H:%M").to_string()
    }
}

/// Every reminder and interview whose notification time has come, within the lookback.
fn items(store: &Store, now: DateTime<Utc>, lead_minutes: u32) -> Result<Vec<Item>> {
    let conn = store.conn();
    let oldest = now - Duration::days(LOOKBACK_DAYS);
    let mut labels: HashMap<qoder_domain::ids::JobId, String> = HashMap::new();
    let mut label = |id: qoder_domain::ids::JobId| -> Result<Option<String>> {
        if let Some(l) = labels.get(&id) {
            return Ok(Some(l.clone()));
        }
        let l = job::get(conn, id)?.map(|j| schedule::job_label(&j));
        if let Some(l) = &l {
            labels.insert(id, l.clone());
        }
        Ok(l)
    };
    let mut out = Vec::new();
    for r in schedule::due(store, now, now)? {
        if r.due_at < oldest {
            continue;
        }
        let title = match r.kind {
            ReminderKind::FollowUp => "Follow-up due",
            ReminderKind::Interview => "Interview reminder",
            ReminderKind::Deadline => "Deadline",
            ReminderKind::Custom => "Reminder",
        };
        // A follow-up's message names its job already.
        let body = match (r.kind, r.job_id) {
            (ReminderKind::FollowUp, _) | (_, None) => r.message.clone(),
            (_, Some(j)) => match label(j)? {
                Some(l) if !r.message.contains(&l) => format!("{} ({l})", r.message),
                _ => r.message.clone(),
            },
        };
        out.push(Item {
            listed_until: r.due_at + Duration::days(LOOKBACK_DAYS),
            notice: Notice {
                kind: NoticeKind::Reminder,
                item_id: r.id.to_string(),
                job_id: r.job_id,
                title: title.to_string(),
                body,
                at: r.due_at,
                fire_at: r.due_at,
                missed: false,
                shown: false,
            },
        });
    }
    let lead = Duration::minutes(i64::from(lead_minutes));
    let listed_after = Duration::hours(INTERVIEW_LISTED_AFTER_END_HOURS);
    // Interviews that ended up to the listing window ago (the longest lasts a day).
    for i in interview::upcoming(conn, (now - listed_after - Duration::days(1)).timestamp_millis())?
    {
        let fire_at = i.starts_at - lead;
        let ends = i.starts_at + Duration::minutes(i64::from(i.duration_minutes));
        if fire_at > now || ends + listed_after < now {
            continue;
        }
        let kind = match i.kind {
            InterviewKind::Phone => "Phone screen",
            InterviewKind::Video => "Video interview",
            InterviewKind::Onsite => "On-site interview",
            InterviewKind::Technical => "Technical interview",
            InterviewKind::Panel => "Panel interview",
            InterviewKind::Other => "Interview",
        };
        let mut body = label(i.job_id)?.unwrap_or_else(|| "A tracked job".into());
        if let Some(place) = i.link.as_deref().or(i.location.as_deref()) {
            body.push_str(" · ");
            body.push_str(place);
        }
        out.push(Item {
            listed_until: ends + listed_after,
            notice: Notice {
                kind: NoticeKind::Interview,
                item_id: i.id.to_string(),
                job_id: Some(i.job_id),
                title: format!("{kind} at {}", local_time(i.starts_at, now)),
                body,
                at: i.starts_at,
                fire_at,
                missed: false,
                shown: false,
            },
        });
    }
    out.sort_by_key(|i| i.notice.fire_at);
    Ok(out)
}

/// An item's state, if it is for the item's current due time.
fn state_of<'a>(
    states: &'a HashMap<(String, String), NoticeState>,
    n: &Notice,
) -> Option<&'a NoticeState> {
    states.get(&key(n.kind, &n.item_id)).filter(|s| s.fire_at == n.fire_at.timestamp_millis())
}

fn waiting(s: Option<&NoticeState>, now_ms: i64) -> bool {
    s.is_some_and(|s| s.dismissed_at.is_some() || s.snoozed_until.is_some_and(|u| u > now_ms))
}

/// What to notify now: the items that fell due (or whose snooze ran out) and were not notified
/// yet, each marked notified. An item that fell due more than a few minutes ago was missed
/// while the app was not running. Nothing when notifications are turned off.
pub fn tick(store: &mut Store, now: DateTime<Utc>) -> Result<Vec<Notice>> {
    let p = prefs(store)?;
    if !p.enabled {
        return Ok(Vec::new());
    }
    let items = items(store, now, p.interview_lead_minutes)?;
    let states = notice::all(store.conn())?;
    let now_ms = now.timestamp_millis();
    let mut fresh = Vec::new();
    for item in items {
        let mut n = item.notice;
        let s = state_of(&states, &n);
        if waiting(s, now_ms) || s.is_some_and(|s| s.shown_at.is_some()) {
            continue;
        }
        let snoozed = s.and_then(|s| s.snoozed_until);
        let due = snoozed.map_or(n.fire_at, qoder_store::from_ms);
        n.missed = now - due > Duration::minutes(MISSED_AFTER_MINUTES);
        n.shown = true;
        fresh.push((n, snoozed));
    }
    store.write(|tx| {
        for (n, snoozed) in &fresh {
            let s = NoticeState {
                fire_at: n.fire_at.timestamp_millis(),
                shown_at: Some(now_ms),
                snoozed_until: *snoozed,
                dismissed_at: None,
            };
            notice::put(tx, n.kind.as_str(), &n.item_id, &s)?;
        }
        notice::prune(tx, (now - Duration::days(2 * LOOKBACK_DAYS)).timestamp_millis())?;
        Ok::<_, Error>(())
    })?;
    Ok(fresh.into_iter().map(|(n, _)| n).collect())
}

/// The in-app list: everything due and not done, snoozed or past its listing time, soonest
/// first; `missed` marks what fell due before it was first notified, `shown` what was notified.
pub fn inbox(store: &Store, now: DateTime<Utc>) -> Result<Vec<Notice>> {
    let p = prefs(store)?;
    let states = notice::all(store.conn())?;
    let now_ms = now.timestamp_millis();
    let mut out = Vec::new();
    for item in items(store, now, p.interview_lead_minutes)? {
        let mut n = item.notice;
        let s = state_of(&states, &n);
        if waiting(s, now_ms) || item.listed_until < now {
            continue;
        }
        let shown_at = s.and_then(|s| s.shown_at);
        n.shown = shown_at.is_some();
        let due = s.and_then(|s| s.snoozed_until).unwrap_or(n.fire_at.timestamp_millis());
        n.missed = shown_at.unwrap_or(now_ms) - due > MISSED_AFTER_MINUTES * 60_000;
        out.push(n);
    }
    Ok(out)
}

fn find(store: &Store, kind: NoticeKind, item_id: &str, now: DateTime<Utc>) -> Result<Notice> {
    let lead = prefs(store)?.interview_lead_minutes;
    items(store, now, lead)?
        .into_iter()
        .map(|i| i.notice)
        .find(|n| n.kind == kind && n.item_id == item_id)
        .ok_or_else(|| Error::NotFound(format!("no {} {item_id} is due now", kind.as_str())))
}

/// Hides a due item until `until`, when it notifies again.
pub fn snooze(
    store: &mut Store,
    kind: NoticeKind,
    item_id: &str,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    if until <= now || until > now + Duration::days(MAX_SNOOZE_DAYS) {
        return Err(Error::invalid("until", "must be later today or within 30 days"));
    }
    let n = find(store, kind, item_id, now)?;
    store.write(|tx| {
        let s = NoticeState {
            fire_at: n.fire_at.timestamp_millis(),
            shown_at: None,
            snoozed_until: Some(until.timestamp_millis()),
            dismissed_at: None,
        };
        notice::put(tx, kind.as_str(), item_id, &s)?;
        Ok::<_, Error>(())
    })
}

/// Done with a due item: a stored reminder is marked done (on every device, through sync); an
/// automatic follow-up or an interview stops notifying on this device.
pub fn done(store: &mut Store, kind: NoticeKind, item_id: &str, now: DateTime<Utc>) -> Result<()> {
    let n = find(store, kind, item_id, now)?;
    if kind == NoticeKind::Reminder
        && let Ok(id) = item_id.parse::<uuid::Uuid>()
    {
        match schedule::complete_reminder(store, ReminderId(id)) {
            // An automatic follow-up has no row to mark.
            Ok(()) | Err(Error::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    store.write(|tx| {
        let s = NoticeState {
            fire_at: n.fire_at.timestamp_millis(),
            shown_at: Some(now.timestamp_millis()),
            snoozed_until: None,
            dismissed_at: Some(now.timestamp_millis()),
        };
        notice::put(tx, kind.as_str(), item_id, &s)?;
        Ok::<_, Error>(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use qoder_domain::job::{JobFields, NewInterview, NewReminder};

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        (dir, s)
    }

    fn reminder(s: &mut Store, due: DateTime<Utc>, msg: &str) -> String {
        let r = schedule::add_reminder(
            s,
            &NewReminder {
                job_id: None,
                kind: ReminderKind::Custom,
                due_at: Some(due),
                after_days: None,
                message: Some(msg.into()),
            },
        )
        .unwrap();
        r.id.to_string()
    }

    #[test]
    fn a_due_reminder_notifies_once_then_waits_for_done() {
        let (_d, mut s) = store();
        let now = Utc::now();
        let id = reminder(&mut s, now + Duration::minutes(10), "Send the portfolio");
        assert!(tick(&mut s, now).unwrap().is_empty(), "not due yet");
        let later = now + Duration::minutes(10);
        let fired = tick(&mut s, later).unwrap();
        assert_eq!(fired.len(), 1);
        assert_eq!((fired[0].item_id.as_str(), fired[0].missed), (id.as_str(), false));
        assert_eq!(fired[0].body, "Send the portfolio");
        assert!(tick(&mut s, later + Duration::minutes(1)).unwrap().is_empty(), "notified once");
        // Still listed until done.
        let inbox_now = inbox(&s, later + Duration::minutes(1)).unwrap();
        assert_eq!(inbox_now.len(), 1);
        assert!(inbox_now[0].shown && !inbox_now[0].missed);
        done(&mut s, NoticeKind::Reminder, &id, later).unwrap();
        assert!(inbox(&s, later + Duration::minutes(2)).unwrap().is_empty());
        // Done marks the stored reminder done (it syncs), so nothing is due any more.
        assert!(schedule::due(&s, later, later).unwrap().is_empty());
    }

    #[test]
    fn what_fell_due_while_closed_is_missed_and_snooze_brings_it_back() {
        let (_d, mut s) = store();
        let now = Utc::now();
        let id = reminder(&mut s, now - Duration::hours(3), "Call the recruiter");
        let fired = tick(&mut s, now).unwrap();
        assert_eq!(fired.len(), 1);
        assert!(fired[0].missed, "due 3 h before the app ran");
        snooze(&mut s, NoticeKind::Reminder, &id, now + Duration::minutes(10), now).unwrap();
        assert!(inbox(&s, now + Duration::minutes(1)).unwrap().is_empty(), "snoozed");
        assert!(tick(&mut s, now + Duration::minutes(9)).unwrap().is_empty());
        let again = tick(&mut s, now + Duration::minutes(10)).unwrap();
        assert_eq!(again.len(), 1);
        assert!(!again[0].missed, "the snooze ran out while the app ran");
        // Bad snoozes are refused with the rule.
        let e =
            snooze(&mut s, NoticeKind::Reminder, &id, now - Duration::minutes(1), now).unwrap_err();
        assert!(e.to_string().starts_with("until: must be"), "{e}");
        let e = snooze(&mut s, NoticeKind::Reminder, "nope", now + Duration::hours(1), now)
            .unwrap_err();
        assert!(matches!(e, Error::NotFound(_)), "{e}");
    }

    #[test]
    fn interviews_notify_ahead_and_again_when_moved() {
        let (_d, mut s) = store();
        let now = Utc::now();
        let fields = JobFields {
            title: Some("Data Engineer".into()),
            company: Some("Acme".into()),
            ..Default::default()
        };
        let job = crate::job::add(&mut s, &fields).unwrap();
        let at = now + Duration::minutes(45);
        let i = schedule::add_interview(
            &mut s,
            job.id,
            &NewInterview {
                starts_at: Some(at),
                duration_minutes: Some(45),
                link: Some("https://meet.example.com/x".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(tick(&mut s, now).unwrap().is_empty(), "45 min ahead, lead is 30");
        let fired = tick(&mut s, now + Duration::minutes(15)).unwrap();
        assert_eq!(fired.len(), 1);
        assert!(fired[0].title.contains(" at "), "{}", fired[0].title);
        assert_eq!(fired[0].body, "Data Engineer at Acme · https://meet.example.com/x");
        // A longer lead time is a setting.
        set_prefs(&mut s, Prefs { enabled: true, interview_lead_minutes: 60 }).unwrap();
        assert_eq!(prefs(&s).unwrap().interview_lead_minutes, 60);
        // Turned off: nothing notifies, the list still shows it.
        set_prefs(&mut s, Prefs { enabled: false, interview_lead_minutes: 30 }).unwrap();
        schedule::remove_interview(&mut s, i.id).unwrap();
        schedule::add_interview(
            &mut s,
            job.id,
            &NewInterview { starts_at: Some(at), ..Default::default() },
        )
        .unwrap();
        assert!(tick(&mut s, now + Duration::minutes(20)).unwrap().is_empty());
        assert_eq!(inbox(&s, now + Duration::minutes(20)).unwrap().len(), 1);
        assert!(set_prefs(&mut s, Prefs { enabled: true, interview_lead_minutes: 2000 }).is_err());
    }
}
