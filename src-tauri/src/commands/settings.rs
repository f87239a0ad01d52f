use crate::commands::{blocking, notify};
use crate::dto::Settings;
use crate::error::{CommandError, CommandResult};
use qoder_core::notify::Prefs;
use tauri::AppHandle;
use tauri_plugin_autostart::ManagerExt;

fn read(app: &AppHandle, s: &crate::state::AppState) -> CommandResult<Settings> {
    let store = s.store()?;
    let prefs = qoder_core::notify::prefs(&store)?;
    Ok(Settings {
        retention_count: qoder_core::resume::retention_count(&store, &s.config)?,
        follow_up_days: qoder_core::schedule::follow_up_days(&store)?,
        notifications_enabled: prefs.enabled,
        interview_lead_minutes: prefs.interview_lead_minutes,
        start_at_login: crate::starts_at_login(app),
        data_dir: s.data_dir.display().to_string(),
        log_dir: s.log_dir.display().to_string(),
    })
}

#[tauri::command]
pub async fn settings_get(app: AppHandle) -> CommandResult<Settings> {
    let handle = app.clone();
    blocking(app, move |s| read(&handle, s)).await
}

#[tauri::command]
pub async fn settings_set_retention(app: AppHandle, count: u32) -> CommandResult<Settings> {
    let handle = app.clone();
    blocking(app, move |s| {
        qoder_core::resume::set_retention_count(&mut *s.store()?, count)?;
        read(&handle, s)
    })
    .await
}

#[tauri::command]
pub async fn settings_set_follow_up(app: AppHandle, days: u32) -> CommandResult<Settings> {
    let handle = app.clone();
    let out = blocking(app.clone(), move |s| {
        qoder_core::schedule::set_follow_up_days(&mut *s.store()?, days)?;
        read(&handle, s)
    })
    .await?;
    notify::wake(&app);
    Ok(out)
}

/// Desktop notifications on or off, and the lead time before interviews.
#[tauri::command]
pub async fn settings_set_notifications(
    app: AppHandle,
    enabled: bool,
    interview_lead_minutes: u32,
) -> CommandResult<Settings> {
    let handle = app.clone();
    let out = blocking(app.clone(), move |s| {
        let prefs = Prefs { enabled, interview_lead_minutes };
        qoder_core::notify::set_prefs(&mut *s.store()?, prefs)?;
        read(&handle, s)
    })
    .await?;
    notify::wake(&app);
    Ok(out)
}

/// Start at login (hidden in the tray) on or off: the system's login items, not a setting.
#[tauri::command]
pub async fn settings_set_start_at_login(app: AppHandle, on: bool) -> CommandResult<Settings> {
    let launcher = app.autolaunch();
    let done = if on { launcher.enable() } else { launcher.disable() };
    done.map_err(|e| CommandError::invalid(format!("cannot change the login items: {e}")))?;
    tracing::info!(on, "start at login changed");
    settings_get(app).await
}
