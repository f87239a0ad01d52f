use crate::commands::blocking;
use crate::dto::Settings;
use crate::error::CommandResult;
use tauri::AppHandle;

fn read(s: &crate::state::AppState) -> CommandResult<Settings> {
    let store = s.store()?;
    Ok(Settings {
        retention_count: qoder_core::resume::retention_count(&store, &s.config)?,
        follow_up_days: qoder_core::schedule::follow_up_days(&store)?,
        data_dir: s.data_dir.display().to_string(),
        log_dir: s.log_dir.display().to_string(),
    })
}

#[tauri::command]
pub async fn settings_get(app: AppHandle) -> CommandResult<Settings> {
    blocking(app, read).await
}

#[tauri::command]
pub async fn settings_set_retention(app: AppHandle, count: u32) -> CommandResult<Settings> {
    blocking(app, move |s| {
        qoder_core::resume::set_retention_count(&mut *s.store()?, count)?;
        read(s)
    })
    .await
}

#[tauri::command]
pub async fn settings_set_follow_up(app: AppHandle, days: u32) -> CommandResult<Settings> {
    blocking(app, move |s| {
        qoder_core::schedule::set_follow_up_days(&mut *s.store()?, days)?;
        read(s)
    })
    .await
}
