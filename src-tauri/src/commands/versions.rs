//! Tags, notes, pin, compare, export and retention of stored versions.

use crate::commands::blocking;
use crate::dto::FileReport;
use crate::error::{CommandError, CommandResult, parse_id};
use qoder_core::resume::ExportFormat;
use qoder_core::resume::TagEdit;
use qoder_domain::ids::VersionId;
use qoder_domain::version::{CleanupReport, ResumeVersion, VersionDetail, VersionDiff};
use tauri::AppHandle;

#[tauri::command]
pub async fn version_tags(
    app: AppHandle,
    version_id: String,
    add: Vec<String>,
    remove: Vec<String>,
) -> CommandResult<ResumeVersion> {
    blocking(app, move |s| {
        let id: VersionId = parse_id("version_id", &version_id)?;
        let mut store = s.store()?;
        let mut v = qoder_core::resume::get(&store, id)?;
        if !add.is_empty() {
            v = qoder_core::resume::tag(&mut store, id, &add, TagEdit::Add)?;
        }
        if !remove.is_empty() {
            v = qoder_core::resume::tag(&mut store, id, &remove, TagEdit::Remove)?;
        }
        Ok(v)
    })
    .await
}

#[tauri::command]
pub async fn version_note(
    app: AppHandle,
    version_id: String,
    notes: String,
) -> CommandResult<ResumeVersion> {
    blocking(app, move |s| {
        let id: VersionId = parse_id("version_id", &version_id)?;
        Ok(qoder_core::resume::note(&mut *s.store()?, id, &notes)?)
    })
    .await
}

#[tauri::command]
pub async fn version_pin(
    app: AppHandle,
    version_id: String,
    pinned: bool,
) -> CommandResult<ResumeVersion> {
    blocking(app, move |s| {
        let id: VersionId = parse_id("version_id", &version_id)?;
        Ok(qoder_core::resume::pin(&mut *s.store()?, id, pinned)?)
    })
    .await
}

/// Corrects one parsed field of a version (or confirms it, sent with the value as read); the
/// correction is kept with the version. Returns the version as now read.
#[tauri::command]
pub async fn version_correct(
    app: AppHandle,
    version_id: String,
    field: String,
    value: String,
) -> CommandResult<VersionDetail> {
    blocking(app, move |s| {
        let id: VersionId = parse_id("version_id", &version_id)?;
        Ok(qoder_core::correction::correct_field(&mut *s.store()?, id, &field, &value)?)
    })
    .await
}

#[tauri::command]
pub async fn version_compare(
    app: AppHandle,
    from: String,
    to: String,
) -> CommandResult<VersionDiff> {
    blocking(app, move |s| {
        let from: VersionId = parse_id("from", &from)?;
        let to: VersionId = parse_id("to", &to)?;
        Ok(qoder_core::diff::compare(&*s.store()?, from, to)?)
    })
    .await
}

/// Writes a version to `path` as its original file, its text or JSON Resume.
#[tauri::command]
pub async fn version_export(
    app: AppHandle,
    version_id: String,
    format: ExportFormat,
    path: String,
) -> CommandResult<FileReport> {
    blocking(app, move |s| {
        let id: VersionId = parse_id("version_id", &version_id)?;
        let (bytes, _) = qoder_core::resume::export(&*s.store()?, id, format)?;
        std::fs::write(&path, &bytes)
            .map_err(|e| CommandError::invalid(format!("cannot write {path}: {e}")))?;
        Ok(FileReport { message: format!("Saved {} bytes to {path}", bytes.len()), path })
    })
    .await
}

/// Applies the retention setting to every resume now.
#[tauri::command]
pub async fn version_cleanup(app: AppHandle) -> CommandResult<CleanupReport> {
    blocking(app, |s| Ok(qoder_core::resume::cleanup(&mut *s.store()?, &s.config)?)).await
}
