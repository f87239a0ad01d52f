//! PUT/GET /api/keys: the user's wrapped data key, an opaque blob.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use qoder_sync::wire::KeyBlob;

use crate::AppState;
use crate::db;
use crate::http::error::{ApiError, JsonBody};
use crate::http::extract::AuthUser;

/// Largest wrapped-key blob accepted.
const MAX_BLOB: usize = 4096;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/keys", get(get_key).put(put_key))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn get_key(State(s): State<AppState>, user: AuthUser) -> Result<Json<KeyBlob>, ApiError> {
    let blob =
        db::key::get(&s.pool, user.user_id).await?.ok_or(ApiError::NotFound("no key stored"))?;
    Ok(Json(KeyBlob { blob }))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn put_key(
    State(s): State<AppState>,
    user: AuthUser,
    JsonBody(k): JsonBody<KeyBlob>,
) -> Result<StatusCode, ApiError> {
    if k.blob.is_empty() || k.blob.len() > MAX_BLOB {
        return Err(ApiError::Validation(format!("blob: 1 to {MAX_BLOB} bytes")));
    }
    db::key::put(&s.pool, user.user_id, &k.blob).await.map_err(|e| {
        if db::account::is_missing_owner(&e) {
            ApiError::Unauthorized("the account no longer exists")
        } else {
            e.into()
        }
    })?;
    Ok(StatusCode::NO_CONTENT)
}
