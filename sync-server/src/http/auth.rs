//! POST /api/auth/register, /login, /refresh; DELETE /api/auth/logout.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, post};
use axum::{Json, Router};
use qoder_sync::wire::{
    Credentials, DeleteAccountRequest, PasswordChange, RefreshRequest, TokenPair,
};

use crate::http::error::{ApiError, JsonBody};
use crate::http::extract::{AuthUser, Meta};
use crate::{AppState, auth};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/auth/register", post(register))
        .route("/api/auth/login", post(login))
        .route("/api/auth/refresh", post(refresh))
        .route("/api/auth/logout", delete(logout))
        .route("/api/auth/account", delete(delete_account))
        .route("/api/auth/password", post(change_password))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn register(
    State(s): State<AppState>,
    Meta(ctx): Meta,
    JsonBody(c): JsonBody<Credentials>,
) -> Result<(StatusCode, Json<TokenPair>), ApiError> {
    Ok((StatusCode::CREATED, Json(auth::register(&s.pool, &s.accounts, c, &ctx).await?)))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn login(
    State(s): State<AppState>,
    Meta(ctx): Meta,
    JsonBody(c): JsonBody<Credentials>,
) -> Result<Json<TokenPair>, ApiError> {
    Ok(Json(auth::login(&s.pool, &s.accounts, c, &ctx).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn refresh(
    State(s): State<AppState>,
    JsonBody(r): JsonBody<RefreshRequest>,
) -> Result<Json<TokenPair>, ApiError> {
    Ok(Json(auth::refresh(&s.pool, &s.accounts, &r.refresh_token).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn logout(State(s): State<AppState>, user: AuthUser) -> Result<StatusCode, ApiError> {
    auth::logout(&s.pool, user.user_id, user.device_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn change_password(
    State(s): State<AppState>,
    user: AuthUser,
    Meta(ctx): Meta,
    JsonBody(r): JsonBody<PasswordChange>,
) -> Result<Json<TokenPair>, ApiError> {
    Ok(Json(auth::change_password(&s.pool, &s.accounts, &user, r, &ctx).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn delete_account(
    State(s): State<AppState>,
    user: AuthUser,
    Meta(ctx): Meta,
    JsonBody(r): JsonBody<DeleteAccountRequest>,
) -> Result<StatusCode, ApiError> {
    auth::delete_account(&s.pool, &s.accounts, &user, r.secret, &ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
