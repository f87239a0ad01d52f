//! Sync: sign in, on/off, sync now, status, conflicts. The background loop, its backoff and
//! the push watcher are qoder-core's [`Scheduler`]; the app starts it and forwards what it
//! hears as events.

use std::sync::Arc;

use qoder_core::sync::schedule::{Observer, Scheduler};
use qoder_core::sync::{self as core_sync};
use qoder_domain::sync::{SyncConflict, SyncReport, SyncStatus};
use tauri::{AppHandle, Manager};

use crate::commands::blocking;
use crate::dto::{SyncLogin, SyncPasswordChange};
use crate::error::CommandResult;
use crate::events;

/// The app's sync scheduler (managed state).
pub struct SyncScheduler(pub Arc<Scheduler>);

/// Forwards each attempt to the windows as `sync-status` and `sync-completed`.
struct Events(AppHandle);

impl Observer for Events {
    fn status(&self, status: SyncStatus) {
        events::emit(&self.0, events::SYNC_STATUS, status);
    }
    fn completed(&self, report: &SyncReport) {
        events::emit(&self.0, events::SYNC_COMPLETED, report.clone());
    }
}

/// Starts the scheduler's loop and watcher for the app's data folder.
pub fn start(app: &AppHandle, data_dir: std::path::PathBuf) {
    let scheduler = Scheduler::new(data_dir);
    app.manage(SyncScheduler(scheduler.clone()));
    tauri::async_runtime::spawn(scheduler.clone().run(Arc::new(Events(app.clone()))));
    tauri::async_runtime::spawn(scheduler.watch());
}

fn wake(app: &AppHandle) {
    app.state::<SyncScheduler>().0.wake();
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
            if login.create {
                core_sync::AccountMode::Create
            } else {
                core_sync::AccountMode::Existing
            },
        )?)
    })
    .await?;
    wake(&handle);
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
        wake(&handle);
    }
    Ok(status)
}

#[tauri::command]
pub async fn sync_now(app: AppHandle) -> CommandResult<SyncReport> {
    let scheduler = app.state::<SyncScheduler>().0.clone();
    Ok(scheduler.run_once(&Events(app)).await?)
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
