//! POST /v1/ai/complete: the hosted AI (see `hosted_ai`). A `stream: true` request is answered
//! as server-sent events in the contract's shape (`delta`, then `done`); the text is sent once
//! the provider has answered in full (failover may change provider mid-way, and a client must
//! not see text of a provider that then failed).

use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use qoder_llm::LlmError;
use qoder_sync::billing::{AiCompleteRequest, LimitReached};
use serde_json::json;

use crate::AppState;
use crate::billing::usage::Refused;
use crate::hosted_ai::{self, AiError};
use crate::http::error::{ApiError, JsonBody};
use crate::http::extract::UncountedUser;

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/ai/complete", post(complete))
}

fn limit_body(s: &AppState, r: Refused, message: String) -> ApiError {
    ApiError::LimitReached(Box::new(LimitReached {
        code: "limit_reached".into(),
        message,
        feature: r.feature.to_string(),
        limit: r.limit,
        used: r.used,
        resets_at: r.resets_at,
        upgrade_url: s.config.upgrade_url.clone(),
    }))
}

impl ApiError {
    fn from_ai(s: &AppState, e: AiError) -> ApiError {
        match e {
            AiError::NotConfigured => ApiError::Unavailable {
                message: "the hosted AI is not available on this server",
                retry_after: 3600,
            },
            AiError::Disabled => ApiError::Forbidden(e.to_string()),
            AiError::Invalid(m) => ApiError::Validation(m),
            AiError::Limit(r) => {
                let message = format!(
                    "your plan's {} limit is reached ({} of {}); it resets at {} — upgrade for more",
                    r.feature.replace('_', " "),
                    r.used,
                    r.limit,
                    r.resets_at.format("%Y-%m-%d %H:%M UTC")
                );
                limit_body(s, r, message)
            }
            AiError::Budget(r) => {
                let message = format!(
                    "today's hosted-AI allowance is used up; it resets at {}",
                    r.resets_at.format("%Y-%m-%d %H:%M UTC")
                );
                limit_body(s, r, message)
            }
            AiError::RateLimited(resets_in) => crate::rate::api_limited(resets_in),
            AiError::Capacity => ApiError::Unavailable {
                message: "the hosted AI has reached today's capacity; try again tomorrow",
                retry_after: 3600,
            },
            AiError::Llm(LlmError::RateLimited { retry_after, .. }) => ApiError::RateLimited {
                message: "the AI providers are busy; try again shortly",
                retry_after: retry_after.map_or(30, |d| d.as_secs().max(1)),
            },
            AiError::Llm(e) => {
                tracing::warn!(error = %e, "hosted AI call failed");
                ApiError::Upstream(format!("the AI provider failed: {e}"))
            }
            AiError::Database(e) => ApiError::Database(e),
            AiError::Internal(m) => ApiError::Internal(anyhow::anyhow!(m)),
        }
    }
}

/// The request is counted against the per-user rate limit inside the hosted AI's admission
/// statement (one round trip for both); a request that ends before it (a malformed body, a
/// refused parameter, no providers) is counted here, and the rate limit's 429 comes first, as on
/// every other endpoint.
#[tracing::instrument(skip_all, err(level = "debug"))]
async fn complete(
    State(s): State<AppState>,
    UncountedUser(user): UncountedUser,
    body: Result<JsonBody<AiCompleteRequest>, ApiError>,
) -> Result<Response, ApiError> {
    let counted_first = |e: ApiError| async {
        crate::rate::check_api(&s.pool, user.user_id, s.config.api_rate_limit).await?;
        Err::<Response, _>(e)
    };
    let req = match body {
        Ok(JsonBody(req)) => req,
        Err(e) => return counted_first(e).await,
    };
    let stream = req.stream;
    let answer = match hosted_ai::complete(
        s.ai.clone(),
        &s.pool,
        &s.config,
        &s.billing.flags,
        &s.ai_calls,
        user.user_id,
        req,
    )
    .await
    {
        Ok(a) => a,
        Err(e @ (AiError::Invalid(_) | AiError::NotConfigured)) => {
            return counted_first(ApiError::from_ai(&s, e)).await;
        }
        Err(e) => return Err(ApiError::from_ai(&s, e)),
    };
    if !stream {
        return Ok(Json(answer).into_response());
    }
    let delta = Event::default().event("delta").data(json!({"text": answer.text}).to_string());
    let done = Event::default().event("done").data(
        json!({"model": answer.model, "usage": answer.usage, "cost_usd": answer.cost_usd})
            .to_string(),
    );
    let events = futures_util::stream::iter([Ok::<_, Infallible>(delta), Ok(done)]);
    Ok(Sse::new(events).into_response())
}
