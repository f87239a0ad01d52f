//! The hosted AI: `POST /v1/ai/complete`, the contract `qoder-llm`'s `hosted` provider speaks,
//! so a user needs no API key of their own.
//!
//! A call: the `hosted_ai` flag must be on for the user; the user's and everyone's spend today
//! must be under their daily budgets; one use of each of the plan's limits the feature counts
//! against is taken atomically (`billing::usage`); then `qoder-llm`'s router runs it over the
//! server's providers (failover, tiers, an in-memory answer cache by prompt hash); every
//! provider call is recorded in `ai_calls` (user, feature, provider, model, tokens, cost,
//! latency, cache hit, outcome; no text). A call that fails gives its uses back.
//!
//! This is the one place the server sees resume text: it is held in memory for the call, sent
//! to the provider, and never written to the database or the logs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use qoder_llm::{
    Call, HttpConfig, HttpProvider, Ledger, LlmError, Provider, ProviderConfig, ProviderKind,
    Router, Tier, TierModels, Usage,
};
use qoder_sync::billing::{AiCompleteRequest, AiCompleteResponse, AiUsage};
use sqlx::PgPool;
use uuid::Uuid;

use crate::billing::plans;
use crate::billing::usage::{self, Refused};
use crate::config::Config;

/// Longest prompt (system + user) accepted, in characters.
pub const MAX_PROMPT_CHARS: usize = 100_000;
/// How long a cached answer is served.
pub const CACHE_TTL: Duration = Duration::from_secs(24 * 3600);
/// Most answers kept in the cache.
pub const CACHE_ENTRIES: usize = 10_000;

/// The server's providers and answer cache.
pub struct HostedAi {
    router: Router,
    cache: Mutex<HashMap<String, (Instant, String)>>,
}

#[derive(Debug, thiserror::Error)]
pub enum AiError {
    #[error("the hosted AI is not available on this server")]
    NotConfigured,
    #[error("the hosted AI is turned off for this account")]
    Disabled,
    #[error("{0}")]
    Invalid(String),
    /// A plan limit (402).
    #[error("the {} limit of your plan is reached ({} of {})", .0.feature, .0.used, .0.limit)]
    Limit(Refused),
    /// The user's daily budget (402, as a limit of US cents).
    #[error("today's hosted-AI allowance is used up")]
    Budget(Refused),
    /// Everyone's daily budget (503).
    #[error("the hosted AI has reached today's capacity; try again tomorrow")]
    Capacity,
    #[error(transparent)]
    Llm(#[from] LlmError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

impl HostedAi {
    /// The providers of `config.ai_providers`, in order; `None` if there are none. Blocking
    /// (the providers' HTTP clients): call from a blocking thread.
    pub fn from_config(config: &Config) -> anyhow::Result<Option<HostedAi>> {
        let http = HttpConfig {
            // Under the server's 30 s request timeout.
            total_timeout: Duration::from_secs(25),
            read_timeout: Duration::from_secs(20),
            max_retries: 1,
            ..HttpConfig::default()
        };
        let mut providers: Vec<Arc<dyn Provider>> = Vec::new();
        for name in &config.ai_providers {
            let p = config
                .ai
                .get(name)
                .ok_or_else(|| anyhow::anyhow!("hosted AI provider {name:?} has no settings"))?;
            let kind = if p.kind.is_empty() {
                ProviderKind::OpenaiCompatible
            } else {
                ProviderKind::parse(&p.kind).filter(|k| *k != ProviderKind::Hosted).ok_or_else(
                    || anyhow::anyhow!("hosted AI provider {name:?}: unknown kind {:?}", p.kind),
                )?
            };
            let base = (!p.base_url.is_empty()).then_some(p.base_url.as_str());
            let mut pc =
                ProviderConfig::new(kind, base).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            pc.name = name.clone();
            if !p.model.is_empty() {
                pc.models = TierModels::single(&p.model);
            }
            let key = qoder_llm::ApiKey::new(p.api_key.expose());
            let provider = HttpProvider::with_key(pc, key, http.clone())
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            providers.push(Arc::new(provider));
        }
        if providers.is_empty() {
            return Ok(None);
        }
        Ok(Some(HostedAi { router: Router::new(providers), cache: Mutex::new(HashMap::new()) }))
    }
}

/// The router's ledger for one call: the shared answer cache, no per-provider limit (the
/// budgets are checked before), usage collected to be written after.
struct CallLedger<'a> {
    cache: &'a Mutex<HashMap<String, (Instant, String)>>,
    usages: Mutex<Vec<Usage>>,
}

impl Ledger for CallLedger<'_> {
    fn cached(&self, key: &str) -> Option<String> {
        let c = self.cache.lock().ok()?;
        c.get(key).filter(|(at, _)| at.elapsed() < CACHE_TTL).map(|(_, t)| t.clone())
    }

    fn store(&self, key: &str, text: &str) {
        if let Ok(mut c) = self.cache.lock() {
            if c.len() >= CACHE_ENTRIES {
                c.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
                if c.len() >= CACHE_ENTRIES {
                    c.clear();
                }
            }
            c.insert(key.to_string(), (Instant::now(), text.to_string()));
        }
    }

    fn spent_today(&self, _provider: &str) -> f64 {
        0.0
    }

    fn daily_limit(&self, _provider: &str) -> Option<f64> {
        None
    }

    fn record(&self, usage: &Usage) {
        if let Ok(mut u) = self.usages.lock() {
            u.push(usage.clone());
        }
    }
}

fn tier(name: &str) -> Result<Tier, AiError> {
    match name {
        "basic" => Ok(Tier::Basic),
        "standard" => Ok(Tier::Standard),
        "premium" => Ok(Tier::Premium),
        other => {
            Err(AiError::Invalid(format!("tier_model {other:?}: use basic, standard or premium")))
        }
    }
}

/// The `ai_daily_spend` scope of `user`, or of everyone.
fn scope(user: Option<Uuid>) -> String {
    user.map_or_else(|| "all".to_string(), |u| u.to_string())
}

/// US dollars `user` (or everyone, for `None`) cost since the start of the UTC day.
async fn spent_today(pool: &PgPool, user: Option<Uuid>) -> sqlx::Result<f64> {
    let spent: Option<f64> = sqlx::query_scalar(
        "SELECT cost_usd FROM ai_daily_spend WHERE day = (now() AT TIME ZONE 'UTC')::date AND scope = $1",
    )
    .bind(scope(user))
    .fetch_optional(pool)
    .await?;
    Ok(spent.unwrap_or(0.0))
}

/// Records the provider calls of one request and adds their cost to today's spend.
async fn record(pool: &PgPool, user: Uuid, usages: &[Usage]) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    let mut cost = 0.0;
    for u in usages {
        cost += u.cost_usd;
        sqlx::query(
            "INSERT INTO ai_calls (user_id, feature, provider, model, tokens_in, tokens_out, \
                 cost_usd, latency_ms, cache_hit, outcome) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(user)
        .bind(&u.feature)
        .bind(&u.provider)
        .bind(&u.model)
        .bind(i64::try_from(u.tokens_in).unwrap_or(i64::MAX))
        .bind(i64::try_from(u.tokens_out).unwrap_or(i64::MAX))
        .bind(u.cost_usd)
        .bind(i64::try_from(u.latency_ms).unwrap_or(i64::MAX))
        .bind(u.cache_hit)
        .bind(&u.outcome)
        .execute(&mut *tx)
        .await?;
    }
    if cost > 0.0 {
        // The user's row, then everyone's: one order for every transaction (no deadlock).
        for s in [scope(Some(user)), scope(None)] {
            sqlx::query(
                "INSERT INTO ai_daily_spend (day, scope, cost_usd) \
                 VALUES ((now() AT TIME ZONE 'UTC')::date, $1, $2) \
                 ON CONFLICT (day, scope) DO UPDATE SET cost_usd = ai_daily_spend.cost_usd + $2",
            )
            .bind(s)
            .bind(cost)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await
}

fn cents(usd: f64) -> i64 {
    (usd * 100.0).ceil() as i64
}

/// Runs one hosted-AI call for `user` (see the module's description).
pub async fn complete(
    ai: Option<Arc<HostedAi>>,
    pool: &PgPool,
    config: &Config,
    flags: &crate::billing::flags::Flags,
    prices: &std::collections::BTreeMap<String, String>,
    user: Uuid,
    req: AiCompleteRequest,
) -> Result<AiCompleteResponse, AiError> {
    let tier = tier(&req.tier_model)?;
    if req.max_output_tokens == 0 || req.max_output_tokens > config.ai_max_output_tokens {
        return Err(AiError::Invalid(format!(
            "max_output_tokens must be 1 to {}",
            config.ai_max_output_tokens
        )));
    }
    if !(0.0..=2.0).contains(&req.temperature) {
        return Err(AiError::Invalid("temperature must be 0 to 2".into()));
    }
    if req.prompt.trim().is_empty() {
        return Err(AiError::Invalid("prompt is empty".into()));
    }
    if req.prompt.chars().count() + req.system.chars().count() > MAX_PROMPT_CHARS {
        return Err(AiError::Invalid(format!(
            "system and prompt together are over {MAX_PROMPT_CHARS} characters"
        )));
    }
    let plan_id = plans::plan_of(pool, user).await?;
    let plan = plans::get(pool, &plan_id, prices)
        .await?
        .ok_or_else(|| AiError::Internal(format!("plan {plan_id} is missing")))?;
    let now = Utc::now();
    let meters = usage::meters_for(&req.feature, &plan, now).ok_or_else(|| {
        AiError::Invalid(format!(
            "feature {:?}: the hosted AI serves review, generate_points and rewrite",
            req.feature
        ))
    })?;
    if !flags.enabled(pool, user, &plan_id, "hosted_ai").await? {
        return Err(AiError::Disabled);
    }
    let ai = ai.ok_or(AiError::NotConfigured)?;
    if spent_today(pool, None).await? >= config.ai_global_daily_budget_usd {
        return Err(AiError::Capacity);
    }
    let spent = spent_today(pool, Some(user)).await?;
    if spent >= config.ai_user_daily_budget_usd {
        return Err(AiError::Budget(Refused {
            feature: "daily_budget_cents",
            limit: cents(config.ai_user_daily_budget_usd),
            used: cents(spent),
            resets_at: plans::period("day", now).1,
        }));
    }
    if let Err(refused) = usage::take(pool, user, &meters).await? {
        return Err(AiError::Limit(refused));
    }
    let call = Call {
        feature: req.feature.clone(),
        system: req.system,
        prompt: req.prompt,
        tier,
        max_output_tokens: req.max_output_tokens,
        temperature: req.temperature,
        json: req.json,
        stream: false,
    };
    let json = req.json;
    let worker = ai.clone();
    let run = tokio::task::spawn_blocking(move || {
        let ledger = CallLedger { cache: &worker.cache, usages: Mutex::new(Vec::new()) };
        let validate = |text: &str| -> Result<(), String> {
            if json {
                qoder_llm::prompt::extract_json(text, 512 * 1024).map(|_| ())
            } else {
                Ok(())
            }
        };
        let answer = worker.router.run(&call, &validate, &ledger, &mut |_| {});
        let usages = ledger.usages.into_inner().unwrap_or_default();
        (answer, usages)
    })
    .await;
    let (answer, usages) = match run {
        Ok(r) => r,
        Err(e) => {
            usage::give_back(pool, user, &meters).await?;
            return Err(AiError::Internal(format!("the hosted-AI task failed: {e}")));
        }
    };
    if let Err(e) = record(pool, user, &usages).await {
        tracing::error!(error = %e, "could not record hosted-AI calls");
    }
    match answer {
        Ok(a) => Ok(AiCompleteResponse {
            text: a.text,
            model: a.model,
            usage: AiUsage { input_tokens: a.tokens_in, output_tokens: a.tokens_out },
            cost_usd: a.cost_usd,
        }),
        Err(e) => {
            usage::give_back(pool, user, &meters).await?;
            Err(AiError::Llm(e))
        }
    }
}
