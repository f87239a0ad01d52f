//! The authenticated caller, taken from `Authorization: Bearer <access token>`.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use uuid::Uuid;

use crate::AppState;
use crate::http::error::ApiError;

#[derive(Clone, Debug)]
pub struct AuthUser {
    pub user_id: Uuid,
    pub device_id: Uuid,
    pub role: String,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or(ApiError::Unauthorized("missing access token"))?
            .to_str()
            .map_err(|_| ApiError::Unauthorized("malformed Authorization header"))?;
        let token = header
            .strip_prefix("Bearer ")
            .ok_or(ApiError::Unauthorized("the Authorization header must be a Bearer token"))?;
        let claims = state.accounts.keys.verify(token.trim())?;
        Ok(AuthUser { user_id: claims.sub, device_id: claims.dev, role: claims.role })
    }
}
