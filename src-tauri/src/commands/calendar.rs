//! Calendar sync (Google Calendar, Outlook): connect through the system browser, sync now,
//! status, disconnect. Every rule is in `qoder_core::calendar`; interview and job changes push
//! to the connected calendars in the background ([`push`]), and [`start`] retries every
//! 15 minutes what did not go through.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use qoder_core::calendar::{self as core_calendar};
use qoder_domain::calendar::{
    CalendarAccount, CalendarDisconnect, CalendarProvider, CalendarStatus, CalendarSyncReport,
    RemoveEvents,
};
use tauri::{AppHandle, Manager};

use crate::commands::blocking;
use crate::error::CommandResult;
use crate::state::AppState;

/// Set by `calendar_connect_cancel` to stop the wait for the browser.
static CANCEL_CONNECT: AtomicBool = AtomicBool::new(false);

/// How often the app retries and catches up (changes from other devices, failed pushes).
const EVERY: Duration = Duration::from_secs(15 * 60);

fn sync_quietly(s: &AppState) {
    match core_calendar::sync_if_connected(s.store_lock(), &s.config) {
        Ok(Some(reports)) => {
            for r in reports.iter().filter(|r| !r.ok()) {
                tracing::warn!(provider = r.provider.as_str(), error = ?r.error, failed = r.failed.len(), "calendar sync incomplete");
            }
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "calendar sync failed"),
    }
}

/// Pushes a tracker change to the connected calendars without holding up the command.
pub fn push(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || sync_quietly(&app.state::<AppState>()));
}

/// The background retry loop.
pub fn start(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(EVERY).await;
            let app = app.clone();
            let _ = tauri::async_runtime::spawn_blocking(move || {
                sync_quietly(&app.state::<AppState>())
            })
            .await;
        }
    });
}

#[tauri::command]
pub async fn calendar_status(app: AppHandle) -> CommandResult<CalendarStatus> {
    blocking(app, |s| Ok(core_calendar::status(&*s.store()?, &s.config)?)).await
}

/// Opens the provider's sign-in page in the browser and waits (up to 5 minutes) for its
/// redirect; then syncs once (a failure there shows in the status, not as an error).
#[tauri::command]
pub async fn calendar_connect(
    app: AppHandle,
    provider: CalendarProvider,
) -> CommandResult<CalendarAccount> {
    blocking(app, move |s| {
        CANCEL_CONNECT.store(false, Ordering::Relaxed);
        let mut prompt = |p: &core_calendar::ConnectPrompt| {
            tracing::info!(
                provider = p.provider.as_str(),
                opened = p.browser_opened,
                "calendar sign-in page"
            );
        };
        let account = core_calendar::connect(
            s.store_lock(),
            &s.config,
            provider,
            &mut prompt,
            &CANCEL_CONNECT,
        )?;
        if let Err(e) = core_calendar::sync_one(s.store_lock(), &s.config, provider) {
            tracing::warn!(error = %e, "first calendar sync failed");
        }
        Ok(core_calendar::status(&*s.store()?, &s.config)?
            .accounts
            .into_iter()
            .find(|a| a.provider == provider)
            .unwrap_or(account))
    })
    .await
}

#[tauri::command]
pub async fn calendar_connect_cancel() -> CommandResult<()> {
    CANCEL_CONNECT.store(true, Ordering::Relaxed);
    Ok(())
}

#[tauri::command]
pub async fn calendar_sync(app: AppHandle) -> CommandResult<Vec<CalendarSyncReport>> {
    blocking(app, |s| Ok(core_calendar::sync(s.store_lock(), &s.config)?)).await
}

#[tauri::command]
pub async fn calendar_disconnect(
    app: AppHandle,
    provider: CalendarProvider,
    remove_events: RemoveEvents,
) -> CommandResult<CalendarDisconnect> {
    blocking(app, move |s| {
        Ok(core_calendar::disconnect(s.store_lock(), &s.config, provider, remove_events)?)
    })
    .await
}
