//! GET /api/account/export and DELETE /api/account: the account's own GDPR export (a zip) and
//! erasure (with a receipt), the self-service side of `crate::gdpr`.

use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use qoder_sync::wire::{DeleteAccountRequest, ErasureReceipt};

use crate::http::error::{ApiError, JsonBody};
use crate::http::extract::{AuthUser, Meta};
use crate::{AppState, audit, auth, gdpr};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/account", axum::routing::delete(delete_account))
        .route("/api/account/export", get(export))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn export(
    user: AuthUser,
    State(s): State<AppState>,
    Meta(ctx): Meta,
) -> Result<Response, ApiError> {
    let ctx = ctx.by(user.user_id);
    let zip = gdpr::export(&s.pool, &ctx, user.user_id, audit::action::ACCOUNT_EXPORTED).await?;
    Ok((
        [
            (CONTENT_TYPE, "application/zip".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"qoder-account-{}.zip\"", user.user_id),
            ),
        ],
        zip,
    )
        .into_response())
}

/// Checks the login secret again (counted like a login attempt), then erases.
#[tracing::instrument(skip_all, err(level = "debug"))]
async fn delete_account(
    user: AuthUser,
    State(s): State<AppState>,
    Meta(ctx): Meta,
    JsonBody(r): JsonBody<DeleteAccountRequest>,
) -> Result<Json<ErasureReceipt>, ApiError> {
    Ok(Json(auth::delete_account(&s.pool, &s.accounts, &user, r.secret, &ctx).await?))
}
