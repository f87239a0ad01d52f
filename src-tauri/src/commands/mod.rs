//! Thin commands, one module per feature: take the UI's arguments, call qoder-core, map the
//! error to `{code, message}`. Blocking work runs on Tauri's async pool via
//! `spawn_blocking`, so the window never freezes.

pub mod account;
pub mod ai;
pub mod app;
pub mod bulk;
pub mod calendar;
pub mod dashboard;
pub mod data;
pub mod jobs;
pub mod matching;
pub mod notify;
pub mod resume;
pub mod schedule;
pub mod settings;
pub mod sync;
pub mod versions;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// Runs `f` with the state off the async runtime's threads.
pub async fn blocking<T, F>(app: tauri::AppHandle, f: F) -> CommandResult<T>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> CommandResult<T> + Send + 'static,
{
    use tauri::Manager;
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>())).await.map_err(
        |e| CommandError::new(qoder_domain::ErrorCode::Internal, format!("task failed: {e}")),
    )?
}

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        ai::ai_status,
        sync::sync_status,
        sync::sync_login,
        sync::sync_logout,
        sync::sync_set_enabled,
        sync::sync_now,
        sync::sync_conflicts,
        sync::sync_recovery_code,
        sync::sync_change_password,
        ai::ai_key_set,
        ai::ai_suggest_points,
        ai::ai_context,
        ai::ai_check_points,
        ai::ai_review,
        ai::ai_set_hosted,
        account::account_status,
        account::account_plans,
        account::account_invoices,
        account::account_flags,
        account::account_upgrade,
        account::account_portal,
        account::account_open_page,
        app::app_info,
        app::app_ready,
        dashboard::dashboard,
        resume::resume_upload_bytes,
        resume::resume_upload_path,
        resume::resume_cancel_upload,
        resume::resume_families,
        resume::resume_versions,
        resume::resume_detail,
        versions::version_tags,
        versions::version_note,
        versions::version_pin,
        versions::version_correct,
        versions::version_compare,
        versions::version_export,
        versions::version_cleanup,
        matching::match_run,
        matching::match_history,
        jobs::jobs_list,
        jobs::job_show,
        jobs::job_add,
        jobs::job_update,
        jobs::job_set_status,
        jobs::job_remove,
        jobs::jobs_vendors,
        jobs::jobs_stats,
        jobs::jobs_export_csv,
        jobs::jobs_import_csv,
        schedule::interview_add,
        schedule::interview_remove,
        schedule::reminder_add,
        schedule::reminder_complete,
        schedule::calendar_export,
        calendar::calendar_status,
        calendar::calendar_connect,
        calendar::calendar_connect_cancel,
        calendar::calendar_sync,
        calendar::calendar_disconnect,
        notify::notice_list,
        notify::notice_snooze,
        notify::notice_done,
        settings::settings_get,
        settings::settings_set_retention,
        settings::settings_set_follow_up,
        settings::settings_set_notifications,
        settings::settings_set_start_at_login,
        data::data_search,
        data::data_export,
        bulk::bulk_run,
        bulk::bulk_retry,
        bulk::bulk_cancel,
        bulk::bulk_list,
        bulk::bulk_show,
        bulk::bulk_set_status,
        bulk::bulk_track,
        bulk::bulk_export,
    ]
}
