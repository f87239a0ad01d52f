//! Sync: sign in, on/off, sync now, status, conflicts; and the background loop that syncs every
//! few minutes while signed in, backing off while the server cannot be reached.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use qoder_core::sync::{self as core_sync, SyncError};
use qoder_domain::sync::{SyncConflict, SyncReport, SyncStatus};
use tauri::{AppHandle, Manager};
use tokio::sync::Notify;

use crate::commands::blocking;
use crate::dto::{SyncLogin, SyncPasswordChange};
use crate::error::{CommandError, CommandResult};
use crate::events;

/// How often the app syncs while signed in and reachable.
pub const INTERVAL: Duration = Duration::from_secs(120);
/// Longest wait between attempts while the server cannot be reached.
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// Wakes the background loop (after sign-in, or when the user asks to sync).
#[derive(Default)]
pub struct SyncWaker {
    notify: Notify,
    /// One sync at a time in this process.
    running: AtomicBool,
}

impl SyncWaker {
    pub fn wake(&self) {
        self.notify.notify_one();
    }
}

impl From<SyncError> for CommandError {
    fn from(e: SyncError) -> Self {
        if e.code() == qoder_domain::ErrorCode::Internal {
            tracing::error!(error = %e, "sync failed");
        }
        CommandError(e.body())
    }
}

#[tauri::command]
pub async fn sync_status(app: AppHandle) -> CommandResult<SyncStatus> {
    blocking(app, |s| Ok(core_sync::status(&s.data_dir)?)).await
}

#[tauri::command]
pub async fn sync_login(app: AppHandle, login: SyncLogin) -> CommandResult<SyncStatus> {
    let handle = app.clone();
    let status = blocking(app, move |s| {
        Ok(core_sync::login(
            &s.data_dir,
            &login.server,
            &login.email,
            &login.password,
            login.create,
        )?)
    })
    .await?;
    handle.state::<SyncWaker>().wake();
    Ok(status)
}

#[tauri::command]
pub async fn sync_logout(app: AppHandle) -> CommandResult<SyncStatus> {
    blocking(app, |s| {
        core_sync::logout(&s.data_dir)?;
        Ok(core_sync::status(&s.data_dir)?)
    })
    .await
}

#[tauri::command]
pub async fn sync_set_enabled(app: AppHandle, enabled: bool) -> CommandResult<SyncStatus> {
    let handle = app.clone();
    let status = blocking(app, move |s| Ok(core_sync::set_enabled(&s.data_dir, enabled)?)).await?;
    if enabled {
        handle.state::<SyncWaker>().wake();
    }
    Ok(status)
}

#[tauri::command]
pub async fn sync_now(app: AppHandle) -> CommandResult<SyncReport> {
    run_once(&app).await
}

/// A new recovery code for the account's key, shown once. Replacing an existing code needs the
/// account's password (the server checks it, so a stolen token alone cannot replace the code).
#[tauri::command]
pub async fn sync_recovery_code(app: AppHandle, password: Option<String>) -> CommandResult<String> {
    blocking(app, move |s| {
        let password = password.filter(|p| !p.is_empty());
        Ok(core_sync::new_recovery_code_with(&s.data_dir, password.as_deref())?)
    })
    .await
}

#[tauri::command]
pub async fn sync_change_password(
    app: AppHandle,
    change: SyncPasswordChange,
) -> CommandResult<SyncStatus> {
    blocking(app, move |s| {
        Ok(core_sync::change_password(&s.data_dir, &change.old_password, &change.new_password)?)
    })
    .await
}

#[tauri::command]
pub async fn sync_conflicts(app: AppHandle) -> CommandResult<Vec<SyncConflict>> {
    blocking(app, |s| Ok(core_sync::conflicts(&s.data_dir)?)).await
}

/// One sync, then the `sync-status` event (and `sync-completed` when something changed here,
/// so the screens reload).
async fn run_once(app: &AppHandle) -> CommandResult<SyncReport> {
    let waker = app.state::<SyncWaker>();
    if waker.running.swap(true, Ordering::AcqRel) {
        return Err(CommandError::new(
            qoder_domain::ErrorCode::Conflict,
            "a sync is already running; it will finish in a moment",
        ));
    }
    let result = blocking(app.clone(), |s| Ok(core_sync::sync_now(&s.data_dir)?)).await;
    waker.running.store(false, Ordering::Release);
    if let Ok(status) = blocking(app.clone(), |s| Ok(core_sync::status(&s.data_dir)?)).await {
        events::emit(app, events::SYNC_STATUS, status);
    }
    if let Ok(report) = &result {
        events::emit(app, events::SYNC_COMPLETED, report.clone());
    }
    result
}

/// The background loop: syncs every [`INTERVAL`] while signed in and on; after a failure that
/// may pass (offline, server busy) it waits twice as long each time, up to [`MAX_BACKOFF`].
pub fn spawn_background(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut wait = Duration::from_secs(5);
        let mut failures = 0u32;
        loop {
            let waker = app.state::<SyncWaker>();
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = waker.notify.notified() => {}
            }
            let status = blocking(app.clone(), |s| Ok(core_sync::status(&s.data_dir)?)).await;
            let active = matches!(&status, Ok(s) if s.signed_in && s.enabled);
            if !active {
                wait = INTERVAL;
                continue;
            }
            wait = match run_once(&app).await {
                Ok(_) => {
                    failures = 0;
                    INTERVAL
                }
                Err(e) if e.0.code == qoder_domain::ErrorCode::Conflict => INTERVAL,
                Err(e) => {
                    failures += 1;
                    let next = backoff(failures);
                    tracing::warn!("sync failed ({}); next attempt in {next:?}", e.0.message);
                    next
                }
            };
        }
    });
}

/// Listens for other devices' pushes (the server's WebSocket) and syncs at once when told; the
/// 2-minute loop above still runs, so a closed or refused connection only delays updates.
pub fn spawn_watcher(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut failures = 0u32;
        loop {
            let dir = app.state::<crate::state::AppState>().data_dir.clone();
            let waker = app.clone();
            let started = std::time::Instant::now();
            let ended = core_sync::watch(&dir, move || waker.state::<SyncWaker>().wake()).await;
            // A connection that stayed up a while was fine; start the backoff over.
            if started.elapsed() > INTERVAL {
                failures = 0;
            }
            failures += 1;
            let pause = match &ended {
                Err(SyncError::NotSignedIn | SyncError::Disabled) => INTERVAL,
                _ => backoff(failures),
            };
            if let Err(e) = ended {
                tracing::debug!("sync watch ended ({e}); again in {pause:?}");
            }
            tokio::time::sleep(pause).await;
        }
    });
}

/// The wait after `failures` failed attempts in a row: 15 s, doubling, at most [`MAX_BACKOFF`].
pub fn backoff(failures: u32) -> Duration {
    let secs = 15u64.saturating_mul(1u64 << failures.saturating_sub(1).min(16));
    Duration::from_secs(secs).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let seen: Vec<u64> = (1..=8).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(seen, vec![15, 30, 60, 120, 240, 480, 900, 900]);
        assert_eq!(backoff(1000), MAX_BACKOFF);
    }
}
