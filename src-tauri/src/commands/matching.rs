//! Match a stored version against a pasted JD (qoder-core's [`run_match`], the same use case as
//! `qoder match`), and the match history.

use crate::commands::blocking;
use crate::error::{CommandResult, parse_id};
use crate::events::{self, JdProgress, MatchStage};
use crate::state::Model;
use qoder_analysis::matching::MatchOptions;
use qoder_core::matching::{MatchRequest, run_match, stored_resume};
use qoder_domain::ids::{JobId, VersionId};
use qoder_domain::matching::{MatchOutcome, MatchRecord};
use tauri::AppHandle;

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
        qoder_core::config::check_jd(&jd_text)?;
        let stage = |stage: MatchStage| {
            events::emit(&handle, events::JD_ANALYSIS_PROGRESS, JdProgress { resume_id: version_id.clone(), stage })
        };
        // The model loads on the first match (a second or so), then stays loaded.
        if s.model.get().is_none() {
            stage(MatchStage::LoadingModel);
            s.load_model();
            events::emit(&handle, events::MODEL_STATUS, crate::commands::app::model_status(s));
        }
        stage(MatchStage::Embedding);
        let (embedder, notice) = match s.model.get() {
            Some(Model::Ready(e)) => (Some(&**e), None),
            Some(Model::Unavailable(reason)) => (
                None,
                Some(format!("Keyword-only matching: {reason}. Install the model with models/fetch-minilm.sh.")),
            ),
            None => (None, Some("Keyword-only matching: the model could not be loaded.".to_string())),
        };
        stage(MatchStage::Scoring);
        let cache = s.cache();
        let mut store = s.store()?;
        let resume = stored_resume(&store, &version.to_string())?;
        let opts = MatchOptions::new(qoder_core::today());
        let req = MatchRequest { resume: &resume, jd_text: &jd_text, job_id: job, opts: &opts, record: true };
        let outcome = run_match(Some(&mut *store), cache.as_ref(), embedder, &req)?;
        Ok(MatchOutcome { notice, ..outcome })
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
