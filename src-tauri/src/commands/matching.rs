//! Match a stored version against a pasted JD, and the match history.

use crate::commands::blocking;
use crate::commands::resume::today;
use crate::dto::MatchOutcome;
use crate::error::{CommandError, CommandResult, parse_id};
use crate::events::{self, JdProgress};
use crate::state::Model;
use qoder_domain::ids::{JobId, VersionId};
use qoder_domain::matching::MatchRecord;
use tauri::AppHandle;

/// Longest JD accepted from the UI (the parser reads at most 200 KB of it).
const MAX_JD_CHARS: usize = 200_000;

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn match_run(
    app: AppHandle,
    version_id: String,
    jd_text: String,
    job_id: Option<String>,
) -> CommandResult<MatchOutcome> {
    let handle = app.clone();
    blocking(app, move |s| {
        let version: VersionId = parse_id("version_id", &version_id)?;
        let job = job_id.filter(|j| !j.is_empty()).map(|j| parse_id::<JobId>("job_id", &j)).transpose()?;
        if jd_text.chars().count() > MAX_JD_CHARS {
            return Err(CommandError::invalid(format!(
                "the job description is longer than {MAX_JD_CHARS} characters; paste only the posting"
            )));
        }
        let stage = |st: &str| {
            events::emit(&handle, events::JD_ANALYSIS_PROGRESS, JdProgress { resume_id: version_id.clone(), stage: st.into() })
        };
        // The model loads on the first match (a second or so), then stays loaded.
        if s.model.get().is_none() {
            stage("loading_model");
            s.load_model();
            events::emit(&handle, events::MODEL_STATUS, crate::commands::app::model_status(s));
        }
        stage("embedding");
        let (embedder, notice) = match s.model.get() {
            Some(Model::Ready(e)) => (Some(&**e), None),
            Some(Model::Unavailable(reason)) => (
                None,
                Some(format!("Keyword-only matching: {reason}. Install the model with models/fetch-minilm.sh.")),
            ),
            None => (None, Some("Keyword-only matching: the model could not be loaded.".to_string())),
        };
        stage("scoring");
        let cache = s.cache();
        let (report, history) = qoder_core::matching::match_stored(
            &mut *s.store()?,
            cache.as_ref(),
            embedder,
            version,
            &jd_text,
            job,
            today(),
        )?;
        let outcome = MatchOutcome {
            report,
            history,
            model_id: embedder.map(|e| e.model_id().to_string()),
            notice,
        };
        events::emit(&handle, events::JD_ANALYSIS_COMPLETED, serde_json::json!({"resumeId": version_id, "score": outcome.report.score}));
        Ok(outcome)
    })
    .await
}

/// Past matches (newest last): all of them, or those of one version.
#[tauri::command]
pub async fn match_history(
    app: AppHandle,
    version_id: Option<String>,
) -> CommandResult<Vec<MatchRecord>> {
    blocking(app, move |s| {
        let store = s.store()?;
        let resume_sha256 = match version_id {
            Some(v) => Some(qoder_core::resume::get(&store, parse_id("version_id", &v)?)?.sha256),
            None => None,
        };
        let filter = qoder_core::matching::Filter { resume_sha256, jd_sha256: None, limit: 500 };
        Ok(qoder_core::matching::history(&store, &filter)?)
    })
    .await
}
