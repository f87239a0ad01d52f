//! Interviews, reminders and the calendar (.ics) export.

use crate::commands::blocking;
use crate::dto::{FileReport, InterviewForm, ReminderForm};
use crate::error::{CommandError, CommandResult, parse_id};
use qoder_core::schedule::{NewInterview, NewReminder};
use qoder_domain::job::{Interview, Reminder};
use tauri::AppHandle;

#[tauri::command]
pub async fn interview_add(app: AppHandle, form: InterviewForm) -> CommandResult<Interview> {
    blocking(app, move |s| {
        let job = parse_id("job_id", &form.job_id)?;
        let n = NewInterview {
            starts_at: Some(form.starts_at),
            duration_minutes: form.duration_minutes,
            timezone: form.timezone,
            kind: form.kind,
            location: form.location,
            link: form.link,
            interviewers: form.interviewers,
            notes: form.notes,
        };
        Ok(qoder_core::schedule::add_interview(&mut *s.store()?, job, &n)?)
    })
    .await
}

#[tauri::command]
pub async fn interview_remove(app: AppHandle, interview_id: String) -> CommandResult<()> {
    blocking(app, move |s| {
        Ok(qoder_core::schedule::remove_interview(
            &mut *s.store()?,
            parse_id("interview_id", &interview_id)?,
        )?)
    })
    .await
}

#[tauri::command]
pub async fn reminder_add(app: AppHandle, form: ReminderForm) -> CommandResult<Reminder> {
    blocking(app, move |s| {
        let job_id =
            form.job_id.filter(|j| !j.is_empty()).map(|j| parse_id("job_id", &j)).transpose()?;
        let n = NewReminder {
            job_id,
            kind: form.kind,
            due_at: form.due_at,
            after_days: form.after_days,
            message: form.message,
        };
        Ok(qoder_core::schedule::add_reminder(&mut *s.store()?, &n)?)
    })
    .await
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
