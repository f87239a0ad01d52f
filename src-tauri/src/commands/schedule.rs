//! Interviews, reminders and the calendar (.ics) export.

use crate::commands::{blocking, notify};
use crate::dto::FileReport;
use crate::error::{CommandError, CommandResult, parse_id};
use qoder_core::schedule::{NewInterview, NewReminder};
use qoder_domain::job::{Interview, Reminder};
use tauri::AppHandle;

#[tauri::command]
pub async fn interview_add(
    app: AppHandle,
    job_id: String,
    form: NewInterview,
) -> CommandResult<Interview> {
    let out = blocking(app.clone(), move |s| {
        Ok(qoder_core::schedule::add_interview(
            &mut *s.store()?,
            parse_id("job_id", &job_id)?,
            &form,
        )?)
    })
    .await?;
    notify::wake(&app);
    crate::commands::calendar::push(&app);
    Ok(out)
}

#[tauri::command]
pub async fn interview_remove(app: AppHandle, interview_id: String) -> CommandResult<()> {
    let handle = app.clone();
    blocking(app, move |s| {
        Ok(qoder_core::schedule::remove_interview(
            &mut *s.store()?,
            parse_id("interview_id", &interview_id)?,
        )?)
    })
    .await?;
    crate::commands::calendar::push(&handle);
    Ok(())
}

#[tauri::command]
pub async fn reminder_add(app: AppHandle, form: NewReminder) -> CommandResult<Reminder> {
    let out = blocking(app.clone(), move |s| {
        Ok(qoder_core::schedule::add_reminder(&mut *s.store()?, &form)?)
    })
    .await?;
    notify::wake(&app);
    Ok(out)
}

#[tauri::command]
pub async fn reminder_complete(app: AppHandle, reminder_id: String) -> CommandResult<()> {
    blocking(app, move |s| {
        Ok(qoder_core::schedule::complete_reminder(
            &mut *s.store()?,
            parse_id("reminder_id", &reminder_id)?,
        )?)
    })
    .await
}

/// Writes interviews from now on and reminders due within `days` to an .ics file.
#[tauri::command]
pub async fn calendar_export(app: AppHandle, path: String, days: u32) -> CommandResult<FileReport> {
    blocking(app, move |s| {
        let up = qoder_core::ics::upcoming(&*s.store()?, chrono::Utc::now(), days)?;
        std::fs::write(&path, &up.calendar)
            .map_err(|e| CommandError::invalid(format!("cannot write {path}: {e}")))?;
        Ok(FileReport {
            message: format!(
                "Saved {} interviews and {} reminders to {path}",
                up.interviews, up.reminders
            ),
            path,
        })
    })
    .await
}
