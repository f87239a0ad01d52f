//! Search across jobs and versions; export of all local data.

use crate::commands::blocking;
use crate::dto::{FileReport, SearchResult};
use crate::error::CommandResult;
use tauri::AppHandle;

#[tauri::command]
pub async fn data_search(app: AppHandle, text: String) -> CommandResult<Vec<SearchResult>> {
    blocking(app, move |s| {
        let hits = qoder_core::search(&*s.store()?, &text, 20)?;
        Ok(hits
            .into_iter()
            .map(|h| SearchResult {
                kind: format!("{:?}", h.kind).to_lowercase(),
                id: h.id,
                title: h.title,
                snippet: h.snippet,
            })
            .collect())
    })
    .await
}

#[tauri::command]
pub async fn data_export(app: AppHandle, path: String) -> CommandResult<FileReport> {
    blocking(app, move |s| {
        let sum = qoder_core::export::export_all(&*s.store()?, std::path::Path::new(&path))?;
        Ok(FileReport {
            message: format!(
                "Exported {} jobs, {} resumes ({} versions, {} files) to {path}",
                sum.jobs, sum.resumes, sum.versions, sum.files
            ),
            path,
        })
    })
    .await
}
