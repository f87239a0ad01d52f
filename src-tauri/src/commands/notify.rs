//! Desktop notifications for due reminders and interviews. qoder-core decides what is due,
//! missed, snoozed or done ([`qoder_core::notify`]); this module ticks it every 30 s and when
//! the tracker changes, shows what it returns as system notifications, and tells the windows.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use qoder_domain::job::{Notice, NoticeKind};
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

use crate::commands::blocking;
use crate::error::CommandResult;
use crate::events;

/// How often the notifier looks for what fell due.
const TICK: Duration = Duration::from_secs(30);
/// More notices than this at once are shown as one summary notification.
const MAX_SEPARATE: usize = 3;

/// Wakes the notifier early (managed state): after a reminder or interview changes.
pub struct Notifier(Arc<tokio::sync::Notify>);

/// Starts the notifier loop.
pub fn start(app: &AppHandle) {
    let wake = Arc::new(tokio::sync::Notify::new());
    app.manage(Notifier(wake.clone()));
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            tick(&app).await;
            tokio::select! {
                () = tokio::time::sleep(TICK) => {}
                () = wake.notified() => {}
            }
        }
    });
}

/// Looks for what is due now (after a reminder or interview changed).
pub fn wake(app: &AppHandle) {
    if let Some(n) = app.try_state::<Notifier>() {
        n.0.notify_one();
    }
}

async fn tick(app: &AppHandle) {
    let due =
        blocking(app.clone(), |s| Ok(qoder_core::notify::tick(&mut *s.store()?, Utc::now())?))
            .await;
    let due = match due {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(error = %e.0.message, "notifier: cannot read what is due");
            return;
        }
    };
    if due.is_empty() {
        return;
    }
    for (title, body) in system_notifications(&due) {
        if let Err(e) = app.notification().builder().title(&title).body(&body).show() {
            // No notification service (a bare session): the in-app list still shows them.
            tracing::info!(error = %e, "notifier: system notification not shown");
        }
    }
    tracing::info!(count = due.len(), "notifier: due items notified");
    events::emit(app, events::NOTICES_DUE, events::NoticesDue { notices: due });
}

/// The system notifications for `due`: one each, or one summary when there are many.
fn system_notifications(due: &[Notice]) -> Vec<(String, String)> {
    if due.len() <= MAX_SEPARATE {
        return due
            .iter()
            .map(|n| {
                let title = if n.missed { format!("Missed: {}", n.title) } else { n.title.clone() };
                (title, n.body.clone())
            })
            .collect();
    }
    let missed = due.iter().filter(|n| n.missed).count();
    let title = if missed == due.len() {
        format!("{missed} reminders fell due while QoderResume was closed")
    } else {
        format!("{} reminders and interviews are due", due.len())
    };
    let body = due.iter().take(MAX_SEPARATE).map(|n| n.title.as_str()).collect::<Vec<_>>();
    vec![(title, format!("{} and {} more", body.join(", "), due.len() - MAX_SEPARATE))]
}

/// Everything due and not done or snoozed, soonest first.
#[tauri::command]
pub async fn notice_list(app: AppHandle) -> CommandResult<Vec<Notice>> {
    blocking(app, |s| Ok(qoder_core::notify::inbox(&*s.store()?, Utc::now())?)).await
}

/// Hides a due item for `minutes`; it notifies again then.
#[tauri::command]
pub async fn notice_snooze(
    app: AppHandle,
    kind: NoticeKind,
    item_id: String,
    minutes: u32,
) -> CommandResult<Vec<Notice>> {
    let out = blocking(app.clone(), move |s| {
        let now = Utc::now();
        let until = now + chrono::Duration::minutes(i64::from(minutes));
        let mut store = s.store()?;
        qoder_core::notify::snooze(&mut store, kind, &item_id, until, now)?;
        Ok(qoder_core::notify::inbox(&store, now)?)
    })
    .await?;
    wake(&app);
    Ok(out)
}

/// Done with a due item (a stored reminder is marked done).
#[tauri::command]
pub async fn notice_done(
    app: AppHandle,
    kind: NoticeKind,
    item_id: String,
) -> CommandResult<Vec<Notice>> {
    blocking(app, move |s| {
        let now = Utc::now();
        let mut store = s.store()?;
        qoder_core::notify::done(&mut store, kind, &item_id, now)?;
        Ok(qoder_core::notify::inbox(&store, now)?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(title: &str, missed: bool) -> Notice {
        Notice {
            kind: NoticeKind::Reminder,
            item_id: "x".into(),
            job_id: None,
            title: title.into(),
            body: "b".into(),
            at: Utc::now(),
            fire_at: Utc::now(),
            missed,
            shown: true,
        }
    }

    #[test]
    fn many_at_once_are_one_summary() {
        let few = system_notifications(&[notice("Deadline", true)]);
        assert_eq!(few, vec![("Missed: Deadline".to_string(), "b".to_string())]);
        let many: Vec<Notice> = (0..5).map(|i| notice(&format!("R{i}"), true)).collect();
        let one = system_notifications(&many);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0, "5 reminders fell due while QoderResume was closed");
        assert_eq!(one[0].1, "R0, R1, R2 and 2 more");
    }
}
