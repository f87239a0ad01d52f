use crate::commands::blocking;
use crate::error::CommandResult;
use qoder_domain::dashboard::Dashboard;

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn dashboard(app: tauri::AppHandle) -> CommandResult<Dashboard> {
    blocking(app, |s| Ok(qoder_core::dashboard::dashboard(&*s.store()?, chrono::Utc::now())?)).await
}
