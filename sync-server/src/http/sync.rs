//! GET /api/sync/status, POST and GET /api/sync/records.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use qoder_sync::wire::{PullQuery, PullResponse, PushRequest, PushResponse, StatusResponse};

use crate::http::error::{ApiError, JsonBody, QueryParams};
use crate::http::extract::AuthUser;
use crate::{AppState, sync};

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
    Ok(Json(sync::status(&s.pool, &user).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn push(
    State(s): State<AppState>,
    user: AuthUser,
    JsonBody(req): JsonBody<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    Ok(Json(sync::push(&s.pool, &user, s.config.account_quota_bytes, req).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn pull(
    State(s): State<AppState>,
    user: AuthUser,
    QueryParams(q): QueryParams<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    Ok(Json(sync::pull(&s.pool, &user, q).await?))
}
