//! Upload (by bytes from the file picker, or by path from a native drop), cancel, and reading
//! stored resumes. The file is analysed outside the store's lock, in the isolated parser
//! process, with progress events at each stage; the store is locked only to save.

use crate::commands::blocking;
use crate::dto::{ImportResult, UploadBytes, UploadPath};
use crate::error::{CommandError, CommandResult, parse_id};
use crate::events::{self, UploadCompleted, UploadProgress, UploadStage};
use crate::state::AppState;
use chrono::Datelike;
use qoder_analysis::{AnalyzeOptions, Stage};
use qoder_core::resume::Family;
use qoder_domain::ErrorCode;
use qoder_domain::ids::{ResumeId, VersionId};
use qoder_domain::version::{ResumeFamily, ResumeVersion, VersionDetail};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::AppHandle;

pub fn today() -> (i32, u8) {
    let now = chrono::Utc::now();
    (now.year(), now.month() as u8)
}

fn progress(app: &AppHandle, id: &str, stage: UploadStage, progress: u8) {
    events::emit(
        app,
        events::RESUME_UPLOAD_PROGRESS,
        UploadProgress { file_id: id.to_string(), progress, stage },
    );
}

fn family(s: &AppState, family_id: Option<String>) -> CommandResult<Family> {
    match family_id.filter(|f| !f.is_empty()) {
        None => Ok(Family::Auto),
        Some(f) => {
            let id: ResumeId = parse_id("family_id", &f)?;
            // Checked again when saving; failing early spares the user the wait.
            qoder_core::resume::versions(&*s.store()?, Some(id))?;
            Ok(Family::Existing(id))
        }
    }
}

/// The whole upload: read → extract → analyse → save, cancellable until the save begins.
fn upload(
    app: &AppHandle,
    s: &AppState,
    id: &str,
    file_name: Option<String>,
    read: impl FnOnce(u64) -> CommandResult<Vec<u8>>,
    family_id: Option<String>,
) -> CommandResult<ImportResult> {
    let cancel = Arc::new(AtomicBool::new(false));
    s.uploads.lock().unwrap_or_else(|p| p.into_inner()).insert(id.to_string(), cancel.clone());
    let result: CommandResult<ImportResult> = (|| {
        progress(app, id, UploadStage::Reading, 5);
        let family = family(s, family_id)?;
        let mut opts = AnalyzeOptions {
            file_name,
            today: today(),
            worker: s.worker.clone(),
            ..AnalyzeOptions::default()
        };
        if let Some(max) = std::env::var("QODER_MAX_UPLOAD_BYTES").ok().and_then(|v| v.parse().ok())
        {
            opts.limits.max_bytes = max;
        }
        let bytes = read(opts.limits.max_bytes)?;
        if let Some(v) = qoder_core::resume::stored_copy(&*s.store()?, &bytes)? {
            let outcome = qoder_domain::version::ImportOutcome {
                version: v,
                duplicate: true,
                removed: vec![],
            };
            return Ok(ImportResult::Done { outcome: Box::new(outcome) });
        }
        let resume_key = qoder_core::matching::bytes_hash(&bytes);
        let analysis = qoder_analysis::analyze_staged(&bytes, &opts, &mut |stage| match stage {
            Stage::Extracting => progress(app, id, UploadStage::Extracting, 25),
            Stage::Analysing => {
                progress(app, id, UploadStage::Analysing, 70);
                events::emit(
                    app,
                    events::AI_ANALYSIS_PROGRESS,
                    serde_json::json!({"resumeId": resume_key, "stage": "analysing"}),
                );
            }
        })?;
        if cancel.load(Ordering::SeqCst) {
            return Ok(ImportResult::Cancelled);
        }
        progress(app, id, UploadStage::Saving, 90);
        let outcome = qoder_core::resume::save_analysed(
            &mut *s.store()?,
            &bytes,
            family,
            opts.file_name.clone(),
            &analysis,
        )?;
        progress(app, id, UploadStage::Saving, 100);
        events::emit(
            app,
            events::RESUME_UPLOAD_COMPLETED,
            UploadCompleted {
                file_id: id.to_string(),
                resume_id: outcome.version.resume_id.to_string(),
                version_id: outcome.version.id.to_string(),
            },
        );
        events::emit(
            app,
            events::AI_ANALYSIS_COMPLETED,
            serde_json::json!({"resumeId": outcome.version.id, "results": analysis.ats}),
        );
        Ok(ImportResult::Done { outcome: Box::new(outcome) })
    })();
    s.uploads.lock().unwrap_or_else(|p| p.into_inner()).remove(id);
    if let Err(e) = &result {
        events::emit(
            app,
            events::RESUME_ERROR,
            events::ResumeErrorEvent { file_id: id.to_string(), error: e.0.clone() },
        );
    }
    result
}

fn too_large(size: u64, max: u64) -> CommandError {
    CommandError::new(
        ErrorCode::FileTooLarge,
        format!(
            "the file is {:.1} MB; the largest resume accepted is {:.0} MB. Save it as a smaller PDF (fewer images) or as DOCX.",
            size as f64 / 1_048_576.0,
            max as f64 / 1_048_576.0
        ),
    )
}

#[tauri::command]
// No file names or paths in the log (they can name the person): the size only.
#[tracing::instrument(skip_all, fields(size = upload.bytes.len()), err(Debug))]
pub async fn resume_upload_bytes(
    app: AppHandle,
    upload: UploadBytes,
) -> CommandResult<ImportResult> {
    let UploadBytes { upload_id, file_name, bytes, family_id } = upload;
    let handle = app.clone();
    blocking(app, move |s| {
        let read = |max: u64| {
            if bytes.len() as u64 > max {
                return Err(too_large(bytes.len() as u64, max));
            }
            Ok(bytes)
        };
        self::upload(&handle, s, &upload_id, Some(file_name), read, family_id)
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn resume_upload_path(app: AppHandle, upload: UploadPath) -> CommandResult<ImportResult> {
    let UploadPath { upload_id, path, family_id } = upload;
    let handle = app.clone();
    blocking(app, move |s| {
        let p = std::path::PathBuf::from(&path);
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        let read = |max: u64| {
            let cannot =
                |e: std::io::Error| CommandError::invalid(format!("cannot read {path}: {e}"));
            let size = std::fs::metadata(&p).map_err(cannot)?.len();
            if size > max {
                return Err(too_large(size, max));
            }
            std::fs::read(&p).map_err(cannot)
        };
        self::upload(&handle, s, &upload_id, name, read, family_id)
    })
    .await
}

/// Cancels an upload still reading or analysing; its result is dropped, nothing is saved.
#[tauri::command]
pub fn resume_cancel_upload(state: tauri::State<'_, AppState>, upload_id: String) -> bool {
    let uploads = state.uploads.lock().unwrap_or_else(|p| p.into_inner());
    match uploads.get(&upload_id) {
        Some(flag) => {
            flag.store(true, Ordering::SeqCst);
            true
        }
        None => false,
    }
}

#[tauri::command]
pub async fn resume_families(app: AppHandle) -> CommandResult<Vec<ResumeFamily>> {
    blocking(app, |s| Ok(qoder_core::resume::families(&*s.store()?)?)).await
}

#[tauri::command]
pub async fn resume_versions(
    app: AppHandle,
    family_id: Option<String>,
) -> CommandResult<Vec<ResumeVersion>> {
    blocking(app, move |s| {
        let family = family_id.map(|f| parse_id::<ResumeId>("family_id", &f)).transpose()?;
        Ok(qoder_core::resume::versions(&*s.store()?, family)?)
    })
    .await
}

#[tauri::command]
pub async fn resume_detail(app: AppHandle, version_id: String) -> CommandResult<VersionDetail> {
    blocking(app, move |s| {
        let id: VersionId = parse_id("version_id", &version_id)?;
        Ok(qoder_core::resume::detail(&*s.store()?, id)?)
    })
    .await
}
