//! AI suggestions from the desktop: provider status, storing a key in the system keychain,
//! and bullet points for a match's gaps (qoder-core's [`core_suggest::ai_points`], the same
//! use case as `qoder suggest`; this only passes its progress on as events).

use crate::commands::blocking;
use crate::dto::{AiProvider, AiStatus};
use crate::error::{CommandError, CommandResult, parse_id};
use crate::events::{self, PointsDelta, PointsProgress, PointsStage};
use qoder_core::suggest::{self as core_suggest, AiPointsJob};
use qoder_core::sync::account;
use qoder_domain::ErrorCode;
use qoder_domain::ids::VersionId;
use qoder_domain::suggest::{AiPointsOutcome, AiReviewOutcome};
use qoder_llm::secret::{ApiKey, KeySource};
use qoder_llm::{Event, ProviderKind};
use tauri::AppHandle;

#[tauri::command]
pub async fn ai_status(app: AppHandle) -> CommandResult<AiStatus> {
    blocking(app, |s| {
        let store = s.store()?;
        // The providers the router would ask (the same rule as `qoder ai providers`).
        let providers = core_suggest::provider_overview(&store, &KeySource::from_env())?
            .into_iter()
            .filter(|p| p.active())
            .map(|p| AiProvider {
                has_key: p.key.has_key(),
                name: p.name,
                kind: p.kind,
                base_url: p.base_url,
            })
            .collect();
        let limits = &s.config.limits;
        let used = core_suggest::generations_today(&store, &qoder_core::local_day())?;
        Ok(AiStatus {
            providers,
            generations_today: used,
            generations_limit: limits.generations_per_day,
            points_per_request: u32::try_from(limits.points_per_request).unwrap_or(u32::MAX),
            hosted: account::hosted_ai_on(&store)?,
            hosted_notice: account::HOSTED_AI_NOTICE.into(),
        })
    })
    .await
}

/// "Use QoderResume AI" on (the UI has shown [`account::HOSTED_AI_NOTICE`]; this records the
/// consent) or off.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn ai_set_hosted(app: AppHandle, on: bool) -> CommandResult<()> {
    blocking(app, move |s| Ok(account::set_hosted_ai(&s.data_dir, on)?)).await
}

/// Stores `key` for `provider` in the system keychain (never in the database or the log).
#[tauri::command]
pub async fn ai_key_set(app: AppHandle, provider: String, key: String) -> CommandResult<()> {
    blocking(app, move |_| {
        let kind = ProviderKind::parse(&provider).ok_or_else(|| {
            CommandError::invalid(format!("provider: unknown {provider:?}; use openai-compatible, anthropic or gemini"))
        })?;
        let key = ApiKey::new(key.trim())
            .ok_or_else(|| CommandError::invalid("key: paste the API key (it is empty)"))?;
        qoder_llm::secret::keychain_set(kind.as_str(), &key).map_err(|e| {
            CommandError::new(
                ErrorCode::Internal,
                format!("the system keychain refused the key: {e}. Is a keyring (GNOME Keyring, KWallet) running?"),
            )
        })
    })
    .await
}

/// Up to 8 grounded bullet points for the gaps of `version` against `jd_text`.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn ai_suggest_points(
    app: AppHandle,
    version_id: String,
    jd_text: String,
    context: String,
) -> CommandResult<AiPointsOutcome> {
    let handle = app.clone();
    blocking(app, move |s| {
        let version: VersionId = parse_id("version_id", &version_id)?;
        let mut store = s.store()?;
        let stored = qoder_core::matching::stored_resume(&store, &version.to_string())?;
        let router = router(s, &store)?;
        let job = AiPointsJob {
            resume: &stored.resume,
            version: Some(version),
            jd_text: &jd_text,
            context: &context,
            stream: true,
        };
        let mut on_event = |e: Event<'_>| match e {
            Event::Delta(d) => events::emit(
                &handle,
                events::JD_GENERATE_POINTS_DELTA,
                PointsDelta { text: d.to_string() },
            ),
            other => provider_progress(&handle, events::JD_GENERATE_POINTS_PROGRESS, other),
        };
        let cache = s.cache();
        Ok(core_suggest::ai_points(
            &mut store,
            cache.as_ref(),
            router.as_ref(),
            &s.config.limits,
            &job,
            &mut on_event,
        )?)
    })
    .await
}

/// The configured providers in failover order (QoderResume AI with the session's key when it is
/// on); the ones that cannot be used are logged and skipped.
fn router(
    s: &crate::state::AppState,
    store: &qoder_core::Store,
) -> CommandResult<Option<qoder_llm::Router>> {
    let mut skipped = Vec::new();
    let keys = account::with_session_key(&s.data_dir, store, KeySource::from_env())?;
    let router = core_suggest::configured_router(store, &keys, &s.config.http, None, &mut skipped)?;
    for e in skipped {
        tracing::warn!("skipping an AI provider: {e}");
    }
    Ok(router)
}

/// Tells the UI which provider is asked and which failed (`Attempt` and `Failover`; text deltas
/// are the caller's).
fn provider_progress(handle: &AppHandle, event: &'static str, e: Event<'_>) {
    let p = match e {
        Event::Attempt { provider, model } => PointsProgress {
            stage: PointsStage::Asking,
            provider: provider.to_string(),
            model: Some(model.to_string()),
            error: None,
        },
        Event::Failover { provider, error } => PointsProgress {
            stage: PointsStage::Failover,
            provider: provider.to_string(),
            model: None,
            error: Some(error.to_string()),
        },
        Event::Delta(_) => return,
    };
    events::emit(handle, event, p);
}

/// An AI review of `version_id`'s content beside its rule-based ATS report (the same use case
/// as `qoder review`; with QoderResume AI it is one "resume analysis" of the plan).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn ai_review(app: AppHandle, version_id: String) -> CommandResult<AiReviewOutcome> {
    let handle = app.clone();
    blocking(app, move |s| {
        let version: VersionId = parse_id("version_id", &version_id)?;
        let store = s.store()?;
        let detail = qoder_core::resume::detail(&store, version)?;
        let router = router(s, &store)?;
        let cache = s.cache();
        Ok(core_suggest::ai_review(
            &store,
            cache.as_ref(),
            router.as_ref(),
            &s.config.limits,
            &detail.resume,
            &detail.ats,
            &mut |e| provider_progress(&handle, events::AI_REVIEW_PROGRESS, e),
        )?)
    })
    .await
}

/// The facts kept with a version (what "facts to add" starts from).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn ai_context(app: AppHandle, version_id: String) -> CommandResult<String> {
    blocking(app, move |s| {
        let version: VersionId = parse_id("version_id", &version_id)?;
        let store = s.store()?;
        Ok(core_suggest::stored_context(&store, &version.to_string())?)
    })
    .await
}

/// "I have this: add it as a fact": keeps `context` with the version and checks `bullets`
/// again against the resume and every fact kept (no model is asked).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn ai_check_points(
    app: AppHandle,
    version_id: String,
    context: String,
    bullets: Vec<String>,
) -> CommandResult<Vec<qoder_domain::suggest::GeneratedPoint>> {
    blocking(app, move |s| {
        let version: VersionId = parse_id("version_id", &version_id)?;
        let mut store = s.store()?;
        let stored = qoder_core::matching::stored_resume(&store, &version.to_string())?;
        let context = core_suggest::keep_context(&mut store, &version.to_string(), &context)?;
        Ok(core_suggest::check_points(&stored.resume, &context, &bullets))
    })
    .await
}
