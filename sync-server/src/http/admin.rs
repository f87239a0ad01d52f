//! GET /api/admin/stats and /api/admin/users, for admins only.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::routing::get;
use axum::{Json, Router};
use qoder_sync::wire::{AdminStats, AdminUsersPage, AdminUsersQuery};

use crate::http::error::{ApiError, QueryParams};
use crate::http::extract::AuthUser;
use crate::{AppState, admin, db};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/admin/stats", get(stats)).route("/api/admin/users", get(users))
}

/// An authenticated admin: the token must say `admin` *and* the account must still be one in the
/// database (a demoted admin's token stops working at once).
pub struct AdminUser(pub AuthUser);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        let forbidden = || ApiError::Forbidden("this needs an admin account".into());
        if user.role != admin::Role::Admin.as_str() {
            return Err(forbidden());
        }
        match db::account::role(&state.pool, user.user_id).await? {
            Some(role) if role == admin::Role::Admin.as_str() => Ok(AdminUser(user)),
            Some(_) => Err(forbidden()),
            None => Err(ApiError::Unauthorized("the account no longer exists")),
        }
    }
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn stats(State(s): State<AppState>, _admin: AdminUser) -> Result<Json<AdminStats>, ApiError> {
    Ok(Json(admin::stats(&s.pool).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn users(
    State(s): State<AppState>,
    _admin: AdminUser,
    QueryParams(q): QueryParams<AdminUsersQuery>,
) -> Result<Json<AdminUsersPage>, ApiError> {
    Ok(Json(admin::users(&s.pool, q).await?))
}
