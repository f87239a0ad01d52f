//! The hosted AI: `POST /v1/ai/complete`, the contract `qoder-llm`'s `hosted` provider speaks,
//! so a user needs no API key of their own.
//!
//! A call: the `hosted_ai` flag must be on for the user; the user's and everyone's spend today
//! must be under their daily budgets; one use of each of the plan's limits the feature counts
//! against is taken atomically (`billing::usage`); then `qoder-llm`'s router runs it over the
//! server's enabled providers in the order admins set (`ai_provider_settings`, see
//! [`ORDER_TTL`]; failover, tiers, an in-memory answer cache by prompt hash); every
//! provider call is recorded in `ai_calls` (user, feature, provider, model, tokens, cost,
//! latency, cache hit, outcome; no text). A call that fails gives its uses back.
//!
//! The request path is kept short (issue 16: p99 < 20 ms of server time at 200 concurrent
//! users): the plan, both budgets and the uses are one database round trip ([`admit`]), the
//! flags come from the process's cache, and the records are written by a batch writer off the
//! request path ([`recorder`]).
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

pub mod recorder;

pub use recorder::Recorder;

/// Longest prompt (system + user) accepted, in characters.
pub const MAX_PROMPT_CHARS: usize = 100_000;
/// How long a cached answer is served.
pub const CACHE_TTL: Duration = Duration::from_secs(24 * 3600);
/// Most answers kept in the cache.
pub const CACHE_ENTRIES: usize = 10_000;

/// How long this process uses the stored failover order (table `ai_provider_settings`) before
/// it reads it again. A change is announced on the `qoder_flags` channel (a trigger, migration
/// 0009): every process marks its copy stale and reads the order at its next call; the process
/// that made the change reloads it right after its commit. This is the bound when a notice is
/// lost.
pub const ORDER_TTL: Duration = Duration::from_secs(30);

/// One configured provider as the admin console shows it (no key).
#[derive(Clone)]
pub struct Configured {
    pub name: String,
    pub kind: String,
    pub model: String,
    /// The host (and port) of its base URL; never the path, query or any credentials.
    pub host: String,
    provider: Arc<dyn Provider>,
}

/// A provider's stored setting, as an admin set it.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    pub name: String,
    pub enabled: bool,
}

/// The server's providers and answer cache.
pub struct HostedAi {
    /// Every configured provider, in the order of `config.ai_providers`.
    configured: Vec<Configured>,
    /// The enabled ones in the stored order (what calls use).
    router: Router,
    /// The stored order and flags as last read, and when.
    order: Mutex<(Option<Instant>, Vec<Setting>)>,
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
    /// Over the per-user API rate limit (429): the seconds until its window ends.
    #[error("too many requests; slow down")]
    RateLimited(f64),
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
    /// (the providers' blocking HTTP clients are built here, though the server asks them
    /// through their async path): call from a blocking thread.
    pub fn from_config(config: &Config) -> anyhow::Result<Option<HostedAi>> {
        let http = HttpConfig {
            // Under the server's 30 s request timeout.
            total_timeout: Duration::from_secs(25),
            read_timeout: Duration::from_secs(20),
            max_retries: 1,
            ..HttpConfig::default()
        };
        let mut providers: Vec<Configured> = Vec::new();
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
            let host = reqwest::Url::parse(&pc.base_url)
                .ok()
                .and_then(|u| {
                    u.host_str().map(|h| match u.port() {
                        Some(port) => format!("{h}:{port}"),
                        None => h.to_string(),
                    })
                })
                .unwrap_or_default();
            let model = pc.models.get(Tier::Basic).to_string();
            let provider = HttpProvider::with_key(pc, key, http.clone())
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            providers.push(Configured {
                name: name.clone(),
                kind: kind.as_str().to_string(),
                model,
                host,
                provider: Arc::new(provider),
            });
        }
        if providers.is_empty() {
            return Ok(None);
        }
        let settings =
            providers.iter().map(|c| Setting { name: c.name.clone(), enabled: true }).collect();
        let router = Router::new(providers.iter().map(|c| c.provider.clone()).collect());
        Ok(Some(HostedAi {
            configured: providers,
            router,
            order: Mutex::new((None, settings)),
            cache: Mutex::new(HashMap::new()),
        }))
    }

    /// Every configured provider, in the configuration's order.
    pub fn configured(&self) -> &[Configured] {
        &self.configured
    }

    /// The configured providers in the stored failover order with their flags: a provider
    /// with no stored setting is enabled and comes after the stored ones, in the
    /// configuration's order.
    pub fn arrange(&self, stored: &[(String, bool, i32)]) -> Vec<Setting> {
        let mut v: Vec<(i32, usize, Setting)> = self
            .configured
            .iter()
            .enumerate()
            .map(|(i, c)| match stored.iter().find(|(n, _, _)| *n == c.name) {
                Some((_, enabled, pos)) => {
                    (*pos, i, Setting { name: c.name.clone(), enabled: *enabled })
                }
                None => (i32::MAX, i, Setting { name: c.name.clone(), enabled: true }),
            })
            .collect();
        v.sort_by_key(|(pos, i, _)| (*pos, *i));
        v.into_iter().map(|(_, _, s)| s).collect()
    }

    /// Reads the stored order and flags and swaps the router's provider list (calls already
    /// running keep theirs). Returns the order now in force.
    pub async fn reload(&self, pool: &PgPool) -> sqlx::Result<Vec<Setting>> {
        let stored: Vec<(String, bool, i32)> =
            sqlx::query_as("SELECT name, enabled, position FROM ai_provider_settings")
                .fetch_all(pool)
                .await?;
        let settings = self.arrange(&stored);
        let list = settings
            .iter()
            .filter(|s| s.enabled)
            .filter_map(|s| self.configured.iter().find(|c| c.name == s.name))
            .map(|c| c.provider.clone())
            .collect();
        let mut order = self.order.lock().unwrap_or_else(|p| p.into_inner());
        self.router.set_providers(list);
        *order = (Some(Instant::now()), settings.clone());
        Ok(settings)
    }

    /// Marks the order stale: the next call reads it again (a change notice).
    pub fn invalidate(&self) {
        let mut order = self.order.lock().unwrap_or_else(|p| p.into_inner());
        if order.0.is_some() {
            order.0 = Instant::now().checked_sub(ORDER_TTL);
        }
    }

    /// The order in force, read again once it is older than [`ORDER_TTL`]: one call reads it
    /// while the others keep using the last one (no burst of reads under load); until it was
    /// read once, every call reads it. A failed read keeps the last order and is tried again
    /// on the next call.
    pub async fn current(&self, pool: &PgPool) -> Vec<Setting> {
        let (previous, settings) = {
            let mut order = self.order.lock().unwrap_or_else(|p| p.into_inner());
            let previous = order.0;
            match previous {
                Some(at) if at.elapsed() < ORDER_TTL => return order.1.clone(),
                // Claimed: the others see a fresh order until this read ends.
                Some(_) => order.0 = Some(Instant::now()),
                None => {}
            }
            (previous, order.1.clone())
        };
        match self.reload(pool).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the hosted-AI provider order");
                self.order.lock().unwrap_or_else(|p| p.into_inner()).0 = previous;
                settings
            }
        }
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

/// Where the admission of a call ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Admitted {
    /// Over the per-user API rate limit: the seconds until its window ends.
    RateLimited(f64),
    /// One use of each meter taken.
    Taken,
    Limit(Refused),
    /// The user's daily budget: their spend today, in US dollars.
    Budget(f64),
    /// Everyone's daily budget.
    Capacity,
}

/// The admission of one call of `user` counting against `features` (in the order of
/// [`usage::FEATURES`]) at `now`: the request counted against the per-user API rate limit
/// (`config.api_rate_limit`), the plan in force, the budgets and the uses, in one database round
/// trip (the SQL function `hosted_ai_admit`, migration 0007). Returns the plan's id, the meters
/// (for [`usage::give_back`]) and the outcome.
pub async fn admit(
    pool: &PgPool,
    config: &Config,
    user: Uuid,
    features: &[&'static str],
    now: chrono::DateTime<Utc>,
) -> Result<(String, Vec<usage::Meter>, Admitted), AiError> {
    let (day, _) = plans::period("day", now);
    let (month, _) = plans::period("month", now);
    type Row = (Option<String>, Option<String>, String, Option<String>, i64, i64, f64, f64);
    let (plan, period, outcome, feature, limit, used, spent, retry): Row = sqlx::query_as(
        "SELECT r_plan, r_period, r_outcome, r_feature, r_limit, r_used, r_spent, r_retry \
         FROM hosted_ai_admit($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(crate::rate::api_key(user))
    .bind(crate::rate::API_WINDOW_SECS)
    .bind(i64::from(config.api_rate_limit))
    .bind(user)
    .bind(features)
    .bind(day)
    .bind(month)
    .bind(&plans::IN_FORCE[..])
    .bind(plans::FREE)
    .bind(config.ai_user_daily_budget_usd)
    .bind(config.ai_global_daily_budget_usd)
    .fetch_one(pool)
    .await?;
    if outcome == "rate_limited" {
        return Ok((String::new(), Vec::new(), Admitted::RateLimited(retry)));
    }
    let plan = plan.unwrap_or_default();
    let Some(period) = period else {
        return Err(AiError::Internal(format!("plan {plan} is missing")));
    };
    let meters: Vec<usage::Meter> =
        features.iter().map(|&f| usage::meter(f, None, &period, now)).collect();
    let admitted = match outcome.as_str() {
        "taken" => Admitted::Taken,
        "capacity" => Admitted::Capacity,
        "budget" => Admitted::Budget(spent),
        "limit" => {
            let m = feature
                .and_then(|f| meters.iter().find(|m| m.feature == f))
                .ok_or_else(|| AiError::Internal("hosted_ai_admit: no refused meter".into()))?;
            Admitted::Limit(Refused { feature: m.feature, limit, used, resets_at: m.resets_at })
        }
        other => return Err(AiError::Internal(format!("hosted_ai_admit: outcome {other:?}"))),
    };
    Ok((plan, meters, admitted))
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
    recorder: &Recorder,
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
    let features = usage::features_for(&req.feature).ok_or_else(|| {
        AiError::Invalid(format!(
            "feature {:?}: the hosted AI serves review, generate_points and rewrite",
            req.feature
        ))
    })?;
    let ai = ai.ok_or(AiError::NotConfigured)?;
    // Every provider disabled by an admin: as if none were configured.
    if !ai.current(pool).await.iter().any(|s| s.enabled) {
        return Err(AiError::NotConfigured);
    }
    let now = Utc::now();
    let (plan_id, meters, admitted) = admit(pool, config, user, features, now).await?;
    if let Admitted::RateLimited(resets_in) = admitted {
        return Err(AiError::RateLimited(resets_in));
    }
    // The flag depends on the plan, known only now: a call it refuses gives its uses back (the
    // snapshot is in memory, so this costs no round trip).
    if !flags.enabled(pool, user, &plan_id, "hosted_ai").await? {
        if admitted == Admitted::Taken {
            usage::give_back(pool, user, &meters).await?;
        }
        return Err(AiError::Disabled);
    }
    match admitted {
        Admitted::Taken | Admitted::RateLimited(_) => {}
        Admitted::Limit(refused) => return Err(AiError::Limit(refused)),
        Admitted::Capacity => return Err(AiError::Capacity),
        Admitted::Budget(spent) => {
            return Err(AiError::Budget(Refused {
                feature: "daily_budget_cents",
                limit: cents(config.ai_user_daily_budget_usd),
                used: cents(spent),
                resets_at: plans::period("day", now).1,
            }));
        }
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
    let recorder = recorder.clone();
    // On its own task (of this runtime: no thread of its own, the providers' async path), so
    // that a call whose request is dropped meanwhile still ends and is recorded.
    let run = tokio::spawn(async move {
        let ledger = CallLedger { cache: &worker.cache, usages: Mutex::new(Vec::new()) };
        let validate = |text: &str| -> Result<(), String> {
            if json {
                qoder_llm::prompt::extract_json(text, 512 * 1024).map(|_| ())
            } else {
                Ok(())
            }
        };
        let answer = worker.router.run_async(&call, &validate, &ledger).await;
        recorder.record(user, ledger.usages.into_inner().unwrap_or_default()).await;
        answer
    })
    .await;
    let answer = match run {
        Ok(r) => r,
        Err(e) => {
            usage::give_back(pool, user, &meters).await?;
            return Err(AiError::Internal(format!("the hosted-AI task failed: {e}")));
        }
    };
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
