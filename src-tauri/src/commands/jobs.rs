//! The job tracker: list (filter, sort, page), add, edit, move, delete, vendors, stats, CSV.

use crate::commands::blocking;
use crate::dto::{FileReport, JobForm};
use crate::error::{CommandError, CommandResult, parse_id};
use crate::events::{self, JobEvent};
use qoder_domain::ids::{JobId, VersionId};
use qoder_domain::job::{
    JobApplication, JobDetail, JobFields, JobFilter, JobSort, JobStats, JobStatus, Page,
    PageRequest, VendorSummary,
};
use tauri::AppHandle;

/// The form is the whole job: every field is set (an empty text clears it).
fn fields(f: JobForm) -> CommandResult<JobFields> {
    let version = f
        .resume_version_id
        .filter(|v| !v.is_empty())
        .map(|v| parse_id::<VersionId>("resume_version_id", &v))
        .transpose()?;
    Ok(JobFields {
        title: Some(f.title),
        company: Some(f.company),
        vendor_name: Some(f.vendor_name),
        vendor_contact: Some(f.vendor_contact),
        rate: Some(f.rate),
        location: Some(f.location),
        work_mode: Some(f.work_mode),
        source_url: Some(f.source_url),
        description: Some(f.description),
        resume_version_id: Some(version),
        notes: Some(f.notes),
        status: f.status,
        applied_at: Some(f.applied_at),
    })
}

fn changed(app: &AppHandle, name: &str, id: JobId) {
    events::emit(app, name, JobEvent { job_id: id.to_string() });
}

#[tauri::command]
pub async fn jobs_list(
    app: AppHandle,
    filter: JobFilter,
    sort: JobSort,
    page: PageRequest,
) -> CommandResult<Page<JobApplication>> {
    blocking(app, move |s| Ok(qoder_core::job::list(&*s.store()?, &filter, sort, page)?)).await
}

#[tauri::command]
pub async fn job_show(app: AppHandle, job_id: String) -> CommandResult<JobDetail> {
    blocking(app, move |s| Ok(qoder_core::job::show(&*s.store()?, parse_id("job_id", &job_id)?)?))
        .await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn job_add(app: AppHandle, form: JobForm) -> CommandResult<JobApplication> {
    let handle = app.clone();
    blocking(app, move |s| {
        let job = qoder_core::job::add(&mut *s.store()?, &fields(form)?)?;
        changed(&handle, events::JOB_TRACKER_ENTRY_CREATED, job.id);
        Ok(job)
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn job_update(
    app: AppHandle,
    job_id: String,
    form: JobForm,
) -> CommandResult<JobApplication> {
    let handle = app.clone();
    blocking(app, move |s| {
        let id: JobId = parse_id("job_id", &job_id)?;
        let job = qoder_core::job::update(&mut *s.store()?, id, &fields(form)?)?;
        changed(&handle, events::JOB_TRACKER_ENTRY_UPDATED, id);
        crate::commands::calendar::push(&handle);
        Ok(job)
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn job_set_status(
    app: AppHandle,
    job_id: String,
    status: JobStatus,
    note: Option<String>,
) -> CommandResult<JobApplication> {
    let handle = app.clone();
    blocking(app, move |s| {
        let id: JobId = parse_id("job_id", &job_id)?;
        let job = qoder_core::job::set_status(&mut *s.store()?, id, status, note.as_deref())?;
        changed(&handle, events::JOB_TRACKER_ENTRY_UPDATED, id);
        Ok(job)
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn job_remove(app: AppHandle, job_id: String) -> CommandResult<()> {
    let handle = app.clone();
    blocking(app, move |s| {
        let id: JobId = parse_id("job_id", &job_id)?;
        qoder_core::job::remove(&mut *s.store()?, id)?;
        changed(&handle, events::JOB_TRACKER_ENTRY_DELETED, id);
        crate::commands::calendar::push(&handle);
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn jobs_vendors(app: AppHandle) -> CommandResult<Vec<VendorSummary>> {
    blocking(app, |s| Ok(qoder_core::job::vendors(&*s.store()?)?)).await
}

#[tauri::command]
pub async fn jobs_stats(app: AppHandle) -> CommandResult<JobStats> {
    blocking(app, |s| Ok(qoder_core::stats::stats(&*s.store()?, chrono::Utc::now())?)).await
}

#[tauri::command]
pub async fn jobs_export_csv(app: AppHandle, path: String) -> CommandResult<FileReport> {
    blocking(app, move |s| {
        let file = std::fs::File::create(&path)
            .map_err(|e| CommandError::invalid(format!("cannot write {path}: {e}")))?;
        let n = qoder_core::jobs_csv::export(&*s.store()?, std::io::BufWriter::new(file))?;
        Ok(FileReport { message: format!("Exported {n} jobs to {path}"), path })
    })
    .await
}

#[tauri::command]
pub async fn jobs_import_csv(app: AppHandle, path: String) -> CommandResult<FileReport> {
    blocking(app, move |s| {
        let file = std::fs::File::open(&path)
            .map_err(|e| CommandError::invalid(format!("cannot read {path}: {e}")))?;
        let r = qoder_core::jobs_csv::import(&mut *s.store()?, std::io::BufReader::new(file))?;
        Ok(FileReport {
            message: format!("Imported {path}: {} new jobs, {} updated", r.created, r.updated),
            path,
        })
    })
    .await
}
