//! GET /api/sync/status, POST and GET /api/sync/records.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use qoder_sync::wire::{PullQuery, PullResponse, PushRequest, PushResponse, StatusResponse};

use crate::http::error::{ApiError, JsonBody, QueryParams};
use crate::http::extract::AuthUser;
use crate::{AppState, sync};

/// The `sync` feature flag (an admin's per-user or per-plan switch): off answers 403 on every
/// sync endpoint and the WebSocket, before anything is read or written.
pub(crate) async fn require_sync(s: &AppState, user: uuid::Uuid) -> Result<(), ApiError> {
    if s.billing.flags.enabled_for(&s.pool, user, "sync").await? {
        Ok(())
    } else {
        Err(ApiError::Forbidden("device sync is turned off for this account".into()))
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/sync/status", get(status))
        .route("/api/sync/records", get(pull).post(push))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn status(
    State(s): State<AppState>,
    user: AuthUser,
) -> Result<Json<StatusResponse>, ApiError> {
    require_sync(&s, user.user_id).await?;
    Ok(Json(sync::status(&s.pool, &user).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn push(
    State(s): State<AppState>,
    user: AuthUser,
    JsonBody(req): JsonBody<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    require_sync(&s, user.user_id).await?;
    Ok(Json(sync::push(&s.pool, &user, s.config.account_quota_bytes, req).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn pull(
    State(s): State<AppState>,
    user: AuthUser,
    QueryParams(q): QueryParams<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    require_sync(&s, user.user_id).await?;
    Ok(Json(sync::pull(&s.pool, &user, q).await?))
}
