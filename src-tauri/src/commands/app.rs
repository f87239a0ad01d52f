use crate::dto::{AppInfo, ModelStatus};
use crate::state::{AppState, Model};
use tauri::State;

pub fn model_status(state: &AppState) -> ModelStatus {
    match state.model.get() {
        None => ModelStatus::NotLoaded,
        Some(Model::Ready(e)) => ModelStatus::Ready { model_id: e.model_id().to_string() },
        Some(Model::Unavailable(reason)) => ModelStatus::Unavailable { reason: reason.clone() },
    }
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        max_upload_bytes: state.config.max_upload_bytes,
        data_dir: state.data_dir.display().to_string(),
        log_dir: state.log_dir.display().to_string(),
        model: model_status(&state),
    }
}

/// The UI calls this once its first screen has rendered with data: logged, and with
/// QODER_BENCH set printed on stderr for the start-up benchmark (tests/e2e/bench.mjs).
#[tauri::command]
pub fn app_ready(screen: String) {
    tracing::info!(screen, "first screen rendered");
    if std::env::var_os("QODER_BENCH").is_some() {
        eprintln!("qoder-ready {screen}");
    }
}
