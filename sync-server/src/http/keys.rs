//! PUT/GET /api/keys and /api/keys/recovery: the user's data key wrapped under the password and
//! under the recovery code, opaque blobs.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use qoder_sync::wire::KeyBlob;

use crate::db;
use crate::db::key::Wrap;
use crate::http::error::{ApiError, JsonBody};
use crate::http::extract::{AuthUser, Meta};
use crate::{AppState, audit};

/// Largest wrapped-key blob accepted.
pub const MAX_BLOB: usize = 4096;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/keys", get(get_key).put(put_key))
        .route("/api/keys/recovery", get(get_recovery).put(put_recovery))
}

async fn read(s: &AppState, wrap: Wrap, user: &AuthUser) -> Result<Json<KeyBlob>, ApiError> {
    let blob = db::key::get(&s.pool, wrap, user.user_id)
        .await?
        .ok_or(ApiError::NotFound("no key stored"))?;
    Ok(Json(KeyBlob { blob, secret: None }))
}

/// Checks a wrapped-key blob's size.
pub fn check_blob(blob: &[u8]) -> Result<(), ApiError> {
    if blob.is_empty() || blob.len() > MAX_BLOB {
        return Err(ApiError::Validation(format!("blob: 1 to {MAX_BLOB} bytes")));
    }
    Ok(())
}

async fn write(
    s: &AppState,
    wrap: Wrap,
    user: &AuthUser,
    k: KeyBlob,
    ctx: &audit::Ctx,
) -> Result<StatusCode, ApiError> {
    check_blob(&k.blob)?;
    let missing_owner = |e: sqlx::Error| {
        if db::account::is_missing_owner(&e) {
            ApiError::Unauthorized("the account no longer exists")
        } else {
            e.into()
        }
    };
    // Create-only: a bearer token alone must not overwrite a wrapped key (a stolen token would
    // wipe it; two first devices at once would each store their own data key).
    match (wrap, k.secret) {
        (Wrap::RecoveryCode, Some(secret)) => {
            crate::auth::check_secret(&s.pool, &s.accounts, user, secret, ctx).await?;
            let mut tx = s.pool.begin().await?;
            db::key::put(&mut *tx, wrap, user.user_id, &k.blob).await.map_err(missing_owner)?;
            audit::record(
                &mut *tx,
                &ctx.by(user.user_id),
                audit::action::RECOVERY_KEY_REPLACED,
                Some(&audit::user(user.user_id)),
                serde_json::json!({"device": user.device_id}),
            )
            .await?;
            tx.commit().await?;
        }
        _ => {
            if !db::key::create(&s.pool, wrap, user.user_id, &k.blob)
                .await
                .map_err(missing_owner)?
            {
                return Err(ApiError::Conflict(match wrap {
                    Wrap::Password => "a wrapped key is already stored; get it with GET /api/keys \
                                       (only a password change replaces it)"
                        .into(),
                    Wrap::RecoveryCode => "a recovery code is already set up; replacing it \
                                           needs the login secret"
                        .into(),
                }));
            }
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn get_key(State(s): State<AppState>, user: AuthUser) -> Result<Json<KeyBlob>, ApiError> {
    read(&s, Wrap::Password, &user).await
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn put_key(
    State(s): State<AppState>,
    user: AuthUser,
    Meta(ctx): Meta,
    JsonBody(k): JsonBody<KeyBlob>,
) -> Result<StatusCode, ApiError> {
    write(&s, Wrap::Password, &user, k, &ctx).await
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn get_recovery(
    State(s): State<AppState>,
    user: AuthUser,
) -> Result<Json<KeyBlob>, ApiError> {
    read(&s, Wrap::RecoveryCode, &user).await
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn put_recovery(
    State(s): State<AppState>,
    user: AuthUser,
    Meta(ctx): Meta,
    JsonBody(k): JsonBody<KeyBlob>,
) -> Result<StatusCode, ApiError> {
    write(&s, Wrap::RecoveryCode, &user, k, &ctx).await
}
