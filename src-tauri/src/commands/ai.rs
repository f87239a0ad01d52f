//! AI suggestions from the desktop: provider status, storing a key in the system keychain,
//! and bullet points for a match's gaps (grounded by the core; rule-based suggestions always).

use crate::commands::blocking;
use crate::commands::resume::today;
use crate::dto::{AiPointsOutcome, AiProvider, AiStatus};
use crate::error::{CommandError, CommandResult, parse_id};
use crate::events;
use qoder_analysis::matching::{MatchOptions, ResumeFacts};
use qoder_core::suggest::{self as core_suggest, Limits, PointsRequest, StoreLedger};
use qoder_domain::ErrorCode;
use qoder_domain::ids::VersionId;
use qoder_llm::secret::{ApiKey, KeySource};
use qoder_llm::{Event, HttpConfig, ProviderKind};
use tauri::AppHandle;

const OFFLINE: &str = "No AI provider is set up. Store a key for OpenAI, Anthropic or Gemini in Settings, or point QoderResume at a local Ollama / LM Studio server. The rule-based suggestions above still apply.";

fn local_day() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

fn suggest_error(e: core_suggest::SuggestError) -> CommandError {
    CommandError(e.body())
}

#[tauri::command]
pub async fn ai_status(app: AppHandle) -> CommandResult<AiStatus> {
    blocking(app, |s| {
        let store = s.store()?;
        let keys = KeySource::from_env();
        let mut providers: Vec<AiProvider> = core_suggest::configured_providers(&store)
            .map_err(suggest_error)?
            .into_iter()
            .map(|p| AiProvider {
                has_key: keys.get(&p.name).is_some(),
                name: p.name,
                kind: p.kind.as_str().to_string(),
                base_url: p.base_url,
            })
            .collect();
        for kind in [ProviderKind::OpenaiCompatible, ProviderKind::Anthropic, ProviderKind::Gemini]
        {
            if providers.iter().all(|p| p.name != kind.as_str())
                && let Ok(Some(_)) = qoder_llm::secret::keychain_get(kind.as_str())
                && let Ok(cfg) = qoder_llm::ProviderConfig::new(kind, None)
            {
                providers.push(AiProvider {
                    name: cfg.name,
                    kind: kind.as_str().to_string(),
                    base_url: cfg.base_url,
                    has_key: true,
                });
            }
        }
        let limits = Limits::from_env().map_err(suggest_error)?;
        let used = core_suggest::generations_today(&store, &local_day()).map_err(suggest_error)?;
        Ok(AiStatus {
            providers,
            generations_today: used,
            generations_limit: limits.generations_per_day,
            points_per_request: u32::try_from(limits.points_per_request).unwrap_or(u32::MAX),
        })
    })
    .await
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
        let limits = Limits::from_env().map_err(suggest_error)?;
        let mut store = s.store()?;
        let stored = qoder_core::matching::stored_resume(&store, &version.to_string())?;
        // The facts are kept with the version and back its later generations too.
        let context = core_suggest::keep_context(&mut store, &version.to_string(), &context).map_err(suggest_error)?;
        let day = today();
        let facts = ResumeFacts::from_resume(&stored.resume, day);
        let report = qoder_core::matching::match_texts(&facts, &jd_text, None, None, &MatchOptions::new(day))?;
        let rule_based = report.suggestions.clone();
        let mut skipped = Vec::new();
        let router = core_suggest::configured_router(&store, &KeySource::from_env(), &HttpConfig::default(), None, &mut skipped)
            .map_err(suggest_error)?;
        let Some(router) = router else {
            return Ok(AiPointsOutcome { ai: None, notice: Some(OFFLINE.into()), error: None, rule_based });
        };
        let cache = s.cache();
        let ledger = StoreLedger::new(&store, cache.as_ref(), local_day());
        let req = PointsRequest { resume: &stored.resume, report: &report, context: &context, limits: &limits, stream: true };
        let mut on_event = |e: Event<'_>| match e {
            Event::Attempt { provider, model } => {
                events::emit(&handle, "jd-generate-points-progress", serde_json::json!({"stage": "asking", "provider": provider, "model": model}))
            }
            Event::Failover { provider, error } => {
                events::emit(&handle, "jd-generate-points-progress", serde_json::json!({"stage": "failover", "provider": provider, "error": error.to_string()}))
            }
            Event::Delta(d) => events::emit(&handle, "jd-generate-points-delta", serde_json::json!({"text": d})),
        };
        match core_suggest::generate_points(&router, &ledger, &req, &mut on_event) {
            Ok(points) => Ok(AiPointsOutcome { ai: Some(points), notice: None, error: None, rule_based }),
            Err(e) => Ok(AiPointsOutcome { ai: None, notice: None, error: Some(e.body()), rule_based }),
        }
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
        core_suggest::stored_context(&store, &version.to_string()).map_err(suggest_error)
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
        let context = core_suggest::keep_context(&mut store, &version.to_string(), &context)
            .map_err(suggest_error)?;
        Ok(core_suggest::check_points(&stored.resume, &context, &bullets))
    })
    .await
}
