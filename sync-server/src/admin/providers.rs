//! The hosted AI's providers as admins run them: each configured provider (name, kind, model,
//! base URL host; never its key) with its status, its figures over the last 24 hours from
//! `ai_calls` (provider calls, cache hits left out: error rate, p50/p95 latency, cost, last
//! error), and the failover order and enabled flags, which an admin changes (audited in the
//! change's transaction). The change is hot-swapped: this process reloads the order after its
//! commit; every other process is told by the table's trigger (channel `qoder_flags`) and reads
//! it at its next call, or within [`hosted_ai::ORDER_TTL`] if the notice was lost.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::AppState;
use crate::audit::{self, action};
use crate::hosted_ai::{self, Setting};
use crate::http::error::ApiError;

/// The window of the figures, in hours.
pub const WINDOW_HOURS: i64 = 24;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProviderStatus {
    pub name: String,
    /// `openai`, `anthropic`, `openai_compatible`…
    pub kind: String,
    /// The model it answers with.
    pub model: String,
    /// The host (and port) of its base URL.
    pub host: String,
    pub enabled: bool,
    /// Its place in the failover order, 0 first.
    pub position: usize,
    /// Provider calls in the window (cache hits not counted).
    pub calls: i64,
    pub errors: i64,
    /// errors / calls (0 with no calls).
    pub error_rate: f64,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub cost_usd: f64,
    pub cache_hits: i64,
    /// The error code of its last failed call in the window (`upstream`, `rate_limited`…).
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    pub last_call_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Providers {
    /// Whether this server has a hosted AI (providers in its configuration).
    pub configured: bool,
    pub window_hours: i64,
    /// Seconds another server process takes at most to apply a change whose notice it missed
    /// (it applies a notified change at its next call).
    pub reload_seconds: u64,
    /// In failover order.
    pub providers: Vec<ProviderStatus>,
}

/// One provider in the body of `PUT /api/admin/providers`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSetting {
    pub name: String,
    pub enabled: bool,
}

/// Body of `PUT /api/admin/providers`: every configured provider once, in the failover order.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetProviders {
    pub providers: Vec<ProviderSetting>,
}

type StatRow = (
    String,
    i64,
    i64,
    Option<f64>,
    Option<f64>,
    f64,
    i64,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

pub async fn list(state: &AppState) -> Result<Providers, ApiError> {
    let reload_seconds = hosted_ai::ORDER_TTL.as_secs();
    let Some(ai) = state.ai.as_ref() else {
        return Ok(Providers {
            configured: false,
            window_hours: WINDOW_HOURS,
            reload_seconds,
            providers: Vec::new(),
        });
    };
    let stored: Vec<(String, bool, i32)> =
        sqlx::query_as("SELECT name, enabled, position FROM ai_provider_settings")
            .fetch_all(&state.pool)
            .await?;
    let order = ai.arrange(&stored);
    let names: Vec<String> = order.iter().map(|s| s.name.clone()).collect();
    let stats: Vec<StatRow> = sqlx::query_as(
        "SELECT provider,
                count(*) FILTER (WHERE NOT cache_hit),
                count(*) FILTER (WHERE NOT cache_hit AND outcome <> 'ok'),
                percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE NOT cache_hit),
                percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE NOT cache_hit),
                coalesce(sum(cost_usd), 0)::float8,
                count(*) FILTER (WHERE cache_hit),
                (array_agg(outcome ORDER BY created_at DESC, id DESC)
                    FILTER (WHERE NOT cache_hit AND outcome <> 'ok'))[1],
                max(created_at) FILTER (WHERE NOT cache_hit AND outcome <> 'ok'),
                max(created_at)
         FROM ai_calls
         WHERE provider = ANY($1) AND created_at > now() - make_interval(hours => $2::int)
         GROUP BY provider",
    )
    .bind(&names)
    .bind(WINDOW_HOURS as i32)
    .fetch_all(&state.pool)
    .await?;
    let providers = order
        .iter()
        .enumerate()
        .filter_map(|(position, s)| {
            let c = ai.configured().iter().find(|c| c.name == s.name)?;
            let st = stats.iter().find(|r| r.0 == s.name);
            let (calls, errors) = st.map_or((0, 0), |r| (r.1, r.2));
            Some(ProviderStatus {
                name: c.name.clone(),
                kind: c.kind.clone(),
                model: c.model.clone(),
                host: c.host.clone(),
                enabled: s.enabled,
                position,
                calls,
                errors,
                error_rate: if calls > 0 { errors as f64 / calls as f64 } else { 0.0 },
                p50_ms: st.and_then(|r| r.3),
                p95_ms: st.and_then(|r| r.4),
                cost_usd: st.map_or(0.0, |r| r.5),
                cache_hits: st.map_or(0, |r| r.6),
                last_error: st.and_then(|r| r.7.clone()),
                last_error_at: st.and_then(|r| r.8),
                last_call_at: st.and_then(|r| r.9),
            })
        })
        .collect();
    Ok(Providers { configured: true, window_hours: WINDOW_HOURS, reload_seconds, providers })
}

/// Sets the failover order and the enabled flags: `body` must name every configured provider
/// exactly once. Audited when it changes anything; in force in this process on return.
pub async fn set(
    state: &AppState,
    ctx: &audit::Ctx,
    body: &SetProviders,
) -> Result<Providers, ApiError> {
    let Some(ai) = state.ai.as_ref() else {
        return Err(ApiError::Validation("this server has no hosted-AI providers".into()));
    };
    let configured: BTreeSet<&str> = ai.configured().iter().map(|c| c.name.as_str()).collect();
    let given: BTreeSet<&str> = body.providers.iter().map(|p| p.name.as_str()).collect();
    if given.len() != body.providers.len() || given != configured {
        return Err(ApiError::Validation(format!(
            "providers must list each configured provider once: {}",
            configured.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    let mut tx = state.pool.begin().await?;
    // The stored rows are locked: a concurrent change waits for this one.
    let names: Vec<&str> = ai.configured().iter().map(|c| c.name.as_str()).collect();
    let stored: Vec<(String, bool, i32)> = sqlx::query_as(
        "SELECT name, enabled, position FROM ai_provider_settings ORDER BY name FOR UPDATE",
    )
    .fetch_all(&mut *tx)
    .await?;
    let old = ai.arrange(&stored);
    let new: Vec<Setting> = body
        .providers
        .iter()
        .map(|p| Setting { name: p.name.clone(), enabled: p.enabled })
        .collect();
    if old != new {
        for (position, p) in new.iter().enumerate() {
            sqlx::query(
                "INSERT INTO ai_provider_settings (name, enabled, position) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO UPDATE
                 SET enabled = excluded.enabled, position = excluded.position, updated_at = now()",
            )
            .bind(&p.name)
            .bind(p.enabled)
            .bind(position as i32)
            .execute(&mut *tx)
            .await?;
        }
        let show = |v: &[Setting]| -> Vec<serde_json::Value> {
            v.iter().map(|s| json!({"name": s.name, "enabled": s.enabled})).collect()
        };
        audit::record(
            &mut *tx,
            ctx,
            action::PROVIDERS_CHANGED,
            Some("providers"),
            json!({"from": show(&old), "to": show(&new), "configured": names}),
        )
        .await?;
    }
    tx.commit().await?;
    ai.reload(&state.pool).await?;
    list(state).await
}
