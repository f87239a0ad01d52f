//! Upload (raw bytes from the file picker, or by path from a native drop), cancel, and reading
//! stored resumes. The import itself is qoder-core's [`import_file`]: these commands pass its
//! progress on as events and keep its cancel flag where `resume_cancel_upload` finds it.

use crate::commands::blocking;
use crate::dto::{ImportResult, UploadPath};
use crate::error::{CommandError, CommandResult, parse_id};
use crate::events::{self, UploadCompleted, UploadProgress};
use crate::state::AppState;
use qoder_core::resume::{Family, ImportSource, import_file};
use qoder_domain::ids::{ResumeId, VersionId};
use qoder_domain::version::{ImportStage, ResumeFamily, ResumeVersion, VersionDetail};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::AppHandle;
use tauri::ipc::{InvokeBody, Request};

fn family(family_id: Option<&str>) -> CommandResult<Family> {
    match family_id.filter(|f| !f.is_empty()) {
        None => Ok(Family::Auto),
        Some(f) => Ok(Family::Existing(parse_id::<ResumeId>("family_id", f)?)),
    }
}

/// Runs one import with its progress events and its cancel flag.
fn upload(
    app: &AppHandle,
    s: &AppState,
    id: &str,
    file_name: Option<String>,
    source: ImportSource,
    family: Family,
) -> CommandResult<ImportResult> {
    let cancel = Arc::new(AtomicBool::new(false));
    s.uploads.lock().unwrap_or_else(|p| p.into_inner()).insert(id.to_string(), cancel.clone());
    let opts = s.config.analyze_options(file_name, s.worker.clone());
    let mut progress = |stage: ImportStage, progress: u8| {
        let payload = UploadProgress { file_id: id.to_string(), progress, stage };
        events::emit(app, events::RESUME_UPLOAD_PROGRESS, payload);
    };
    let result =
        import_file(s.store_lock(), source, family, &opts, &s.config, &mut progress, &cancel);
    s.uploads.lock().unwrap_or_else(|p| p.into_inner()).remove(id);
    Ok(match result? {
        None => ImportResult::Cancelled,
        Some(outcome) => {
            let done = UploadCompleted {
                file_id: id.to_string(),
                resume_id: outcome.version.resume_id.to_string(),
                version_id: outcome.version.id.to_string(),
            };
            events::emit(app, events::RESUME_UPLOAD_COMPLETED, done);
            ImportResult::Done { outcome: Box::new(outcome) }
        }
    })
}

/// A file the UI read itself (file picker, HTML drop), sent as the raw IPC body (no JSON
/// array of numbers); its upload id, name and family travel as headers (see
/// [`crate::dto::UPLOAD_HEADERS`]), the name URI-encoded.
#[tauri::command]
// No file names or paths in the log (they can name the person): the size only.
#[tracing::instrument(skip_all, err(Debug))]
pub async fn resume_upload_bytes(
    app: AppHandle,
    request: Request<'_>,
) -> CommandResult<ImportResult> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::invalid("the upload must be the file's raw bytes"));
    };
    let header = |name: &str| -> CommandResult<Option<String>> {
        match request.headers().get(name) {
            None => Ok(None),
            Some(v) => v
                .to_str()
                .map(|v| Some(crate::dto::percent_decode(v)))
                .map_err(|_| CommandError::invalid(format!("{name}: not text"))),
        }
    };
    let upload_id = header(crate::dto::UPLOAD_ID)?
        .ok_or_else(|| CommandError::invalid(format!("{} is missing", crate::dto::UPLOAD_ID)))?;
    let file_name = header(crate::dto::UPLOAD_FILE_NAME)?;
    let family = family(header(crate::dto::UPLOAD_FAMILY_ID)?.as_deref())?;
    let bytes = bytes.clone();
    let handle = app.clone();
    blocking(app, move |s| {
        upload(&handle, s, &upload_id, file_name, ImportSource::Bytes(bytes), family)
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn resume_upload_path(app: AppHandle, upload: UploadPath) -> CommandResult<ImportResult> {
    let UploadPath { upload_id, path, family_id } = upload;
    let family = family(family_id.as_deref())?;
    let handle = app.clone();
    blocking(app, move |s| {
        let p = std::path::PathBuf::from(&path);
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        self::upload(&handle, s, &upload_id, name, ImportSource::Path(p), family)
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
