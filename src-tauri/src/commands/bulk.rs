//! Screening (bulk): many resumes ranked against one JD, the same use case as `qoder bulk`
//! (qoder-core's [`bulk::run`]). A run passes the core's `BulkEvent`s on as `bulk-progress`
//! events and keeps its cancel flag where `bulk_cancel` finds it; running the same input and JD
//! again (or `bulk_retry`) continues the stored batch, so an interrupted run resumes.

use crate::commands::blocking;
use crate::dto::{BulkRunReport, BulkStart, FileReport, IdentityView};
use crate::error::{CommandError, CommandResult};
use crate::events::{self, BulkProgress};
use crate::state::{AppState, Model};
use qoder_core::bulk::{self, BatchChoice, BulkExportFormat, BulkRequest, Identity};
use qoder_domain::bulk::{BatchView, BulkBatch, BulkCandidate, BulkEvent, RecruiterStatus};
use qoder_domain::job::JobApplication;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::AppHandle;

fn identity(view: IdentityView) -> Identity {
    match view {
        IdentityView::Full => Identity::Shown,
        IdentityView::Anonymised => Identity::Anonymised,
    }
}

/// Runs `req` with its progress events and its cancel flag, with the embedding model when it
/// is installed (loaded on first use, as for a match).
fn execute(
    app: &AppHandle,
    s: &AppState,
    run_id: &str,
    req: &BulkRequest,
) -> CommandResult<BulkRunReport> {
    if s.model.get().is_none() {
        s.load_model();
        events::emit(app, events::MODEL_STATUS, crate::commands::app::model_status(s));
    }
    let (embedder, notice) = match s.model.get() {
        Some(Model::Ready(e)) => (Some(&**e), None),
        Some(Model::Unavailable(reason)) => (
            None,
            Some(format!(
                "Keyword scores only: {reason}. Install the model with models/fetch-minilm.sh."
            )),
        ),
        None => (None, Some("Keyword scores only: the model could not be loaded.".to_string())),
    };
    let cancel = Arc::new(AtomicBool::new(false));
    s.bulk_runs
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(run_id.to_string(), cancel.clone());
    let mut progress = |event: BulkEvent| {
        events::emit(app, events::BULK_PROGRESS, BulkProgress { run_id: run_id.to_string(), event })
    };
    let result = {
        let cache = s.cache();
        bulk::run(s.store_lock(), cache.as_ref(), embedder, req, &mut progress, &cancel)
    };
    s.bulk_runs.lock().unwrap_or_else(|p| p.into_inner()).remove(run_id);
    let out = result?;
    Ok(BulkRunReport {
        batch_id: out.view.batch.id,
        resumed: out.resumed,
        parsed_now: out.parsed_now,
        already_done: out.already_done,
        skipped: out.skipped,
        cancelled: out.cancelled,
        stages: out.stages,
        notice: if out.model_id.is_none() { notice } else { None },
        model_id: out.model_id,
    })
}

/// Screens one folder, one .zip or several files against a pasted JD or a tracked job's.
/// Returns when the run ends (finished or cancelled); `bulk-progress` events tell how it goes.
#[tauri::command]
// No paths in the log (file names often name the person).
#[tracing::instrument(skip_all, err(Debug))]
pub async fn bulk_run(app: AppHandle, start: BulkStart) -> CommandResult<BulkRunReport> {
    let handle = app.clone();
    blocking(app, move |s| {
        let BulkStart { run_id, paths, jd_text, job_id, criteria, concurrency, new_batch } = start;
        if concurrency.is_some_and(|n| !(1..=64).contains(&n)) {
            return Err(CommandError::invalid("concurrency must be from 1 to 64"));
        }
        let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
        let source = bulk::source_of(&paths)?;
        let jd_text = match job_id.filter(|_| jd_text.trim().is_empty()).filter(|j| !j.is_empty()) {
            Some(job) => qoder_core::matching::stored_job_description(&*s.store()?, &job)?.1,
            None => jd_text,
        };
        let req = BulkRequest {
            source,
            jd_text,
            criteria,
            concurrency: concurrency.unwrap_or(0) as usize,
            semantic_top: bulk::DEFAULT_SEMANTIC_TOP,
            analyze: s.config.analyze_options(None, s.worker.clone()),
            batch: if new_batch { BatchChoice::New } else { BatchChoice::Continue },
        };
        execute(&handle, s, &run_id, &req)
    })
    .await
}

/// Reads a batch's failed files again and any not read yet (an interrupted run), then ranks
/// again.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn bulk_retry(
    app: AppHandle,
    run_id: String,
    batch_id: String,
) -> CommandResult<BulkRunReport> {
    let handle = app.clone();
    blocking(app, move |s| {
        let analyze = s.config.analyze_options(None, s.worker.clone());
        // The store's guard is dropped before the run, which locks it only to save.
        let req =
            bulk::retry_request(&mut *s.store()?, &batch_id, analyze, bulk::DEFAULT_SEMANTIC_TOP)?;
        execute(&handle, s, &run_id, &req)
    })
    .await
}

/// Stops a run after the files being read; what is read is kept (running again continues).
#[tauri::command]
pub fn bulk_cancel(state: tauri::State<'_, AppState>, run_id: String) -> bool {
    let runs = state.bulk_runs.lock().unwrap_or_else(|p| p.into_inner());
    match runs.get(&run_id) {
        Some(flag) => {
            flag.store(true, Ordering::SeqCst);
            true
        }
        None => false,
    }
}

/// Screening batches, newest first.
#[tauri::command]
pub async fn bulk_list(app: AppHandle) -> CommandResult<Vec<BulkBatch>> {
    blocking(app, |s| Ok(bulk::list(&*s.store()?)?)).await
}

/// A batch: ranked candidates best first, then failed, duplicate and queued files.
#[tauri::command]
pub async fn bulk_show(
    app: AppHandle,
    batch_id: String,
    identity: IdentityView,
) -> CommandResult<BatchView> {
    blocking(app, move |s| {
        let view = bulk::show(&*s.store()?, &batch_id)?;
        Ok(bulk::with_identity(view, self::identity(identity)))
    })
    .await
}

/// Sets a candidate's recruiter status and/or notes; returns it as the view shows it.
#[tauri::command]
pub async fn bulk_set_status(
    app: AppHandle,
    batch_id: String,
    candidate_id: i64,
    status: Option<RecruiterStatus>,
    notes: Option<String>,
    identity: IdentityView,
) -> CommandResult<BulkCandidate> {
    blocking(app, move |s| {
        let c =
            bulk::set_status(&mut *s.store()?, &batch_id, candidate_id, status, notes.as_deref())?;
        Ok(match identity {
            IdentityView::Full => c,
            IdentityView::Anonymised => bulk::anonymised(&c),
        })
    })
    .await
}

/// Adds a ranked candidate to the job tracker: the batch's JD as the job, the candidate as
/// its contact, the score and skills in its notes.
#[tauri::command]
pub async fn bulk_track(
    app: AppHandle,
    batch_id: String,
    candidate_id: i64,
) -> CommandResult<JobApplication> {
    let handle = app.clone();
    let job =
        blocking(app, move |s| Ok(bulk::track(&mut *s.store()?, &batch_id, candidate_id)?)).await?;
    events::emit(
        &handle,
        events::JOB_TRACKER_ENTRY_CREATED,
        events::JobEvent { job_id: job.id.to_string() },
    );
    Ok(job)
}

/// Writes the ranking with its score components as CSV or XLSX to `path` (from the save
/// dialog).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn bulk_export(
    app: AppHandle,
    batch_id: String,
    format: BulkExportFormat,
    identity: IdentityView,
    path: String,
) -> CommandResult<FileReport> {
    blocking(app, move |s| {
        let view =
            bulk::with_identity(bulk::show(&*s.store()?, &batch_id)?, self::identity(identity));
        let bytes = bulk::export(&view, format)?;
        std::fs::write(&path, bytes)
            .map_err(|e| CommandError::invalid(format!("cannot write {path}: {e}")))?;
        Ok(FileReport {
            message: format!(
                "Exported {} ranked candidates ({} failed, {} duplicates) to {path}",
                view.candidates.len(),
                view.failed.len(),
                view.duplicates.len()
            ),
            path,
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_views_map_to_the_core_identities() {
        assert_eq!(identity(IdentityView::Full), Identity::Shown);
        assert_eq!(identity(IdentityView::Anonymised), Identity::Anonymised);
    }
}
