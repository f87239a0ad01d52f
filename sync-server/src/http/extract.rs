//! Extractors: the authenticated caller (`Authorization: Bearer <access token>`, counted against
//! the per-user rate limit) and the client's IP address.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use uuid::Uuid;

use crate::auth::Claims;
use crate::http::error::ApiError;
use crate::telemetry::RequestId;
use crate::{AppState, audit, rate};

#[derive(Clone, Debug)]
pub struct AuthUser {
    pub user_id: Uuid,
    pub device_id: Uuid,
    /// The role the token was issued with (admin endpoints check the database again).
    pub role: String,
    /// When the access token expires (seconds since the Unix epoch).
    pub expires_at: i64,
}

impl AuthUser {
    fn from_claims(claims: Claims) -> Self {
        AuthUser {
            user_id: claims.sub,
            device_id: claims.dev,
            role: claims.role,
            expires_at: claims.exp,
        }
    }
}

/// The bearer token of the `Authorization` header.
pub fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    let header = headers
        .get(AUTHORIZATION)
        .ok_or(ApiError::Unauthorized("missing access token"))?
        .to_str()
        .map_err(|_| ApiError::Unauthorized("malformed Authorization header"))?;
    let token = header
        .strip_prefix("Bearer ")
        .ok_or(ApiError::Unauthorized("the Authorization header must be a Bearer token"))?;
    Ok(token.trim())
}

/// 403 if an admin disabled the account: its tokens stop working at once. The set of disabled
/// accounts is kept in memory with the feature flags and dropped on every change (no round trip).
pub async fn refuse_disabled(state: &AppState, user: Uuid) -> Result<(), ApiError> {
    if state.billing.flags.is_disabled(&state.pool, user).await? {
        return Err(ApiError::Forbidden("this account is disabled; contact support".into()));
    }
    Ok(())
}

/// The caller of a WebSocket: its token from the `Authorization` header or, for browsers, which
/// cannot set headers on a WebSocket, `?access_token=`; checked as [`authenticate`] does, and
/// refused when it is past `exp` (tokens are accepted a few seconds past it, clock leeway, but the
/// socket would be closed at once: 401 tells the client to refresh first).
pub async fn authenticate_socket(state: &AppState, parts: &Parts) -> Result<AuthUser, ApiError> {
    #[derive(serde::Deserialize)]
    struct TokenQuery {
        access_token: Option<String>,
    }
    let from_query = axum::extract::Query::<TokenQuery>::try_from_uri(&parts.uri)
        .ok()
        .and_then(|q| q.0.access_token);
    let token = match &from_query {
        Some(t) if !parts.headers.contains_key(AUTHORIZATION) => t.as_str(),
        _ => bearer(&parts.headers)?,
    };
    let user = authenticate(state, token).await?;
    if user.expires_at <= chrono::Utc::now().timestamp() {
        return Err(ApiError::Unauthorized("invalid or expired access token"));
    }
    Ok(user)
}

/// Checks an access token and counts the request against its user's rate limit.
pub async fn authenticate(state: &AppState, token: &str) -> Result<AuthUser, ApiError> {
    let claims = state.accounts.keys.verify(token)?;
    refuse_disabled(state, claims.sub).await?;
    rate::check_api(&state.pool, claims.sub, state.config.api_rate_limit).await?;
    Ok(AuthUser::from_claims(claims))
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        authenticate(state, bearer(&parts.headers)?).await
    }
}

/// An authenticated caller whose request is not counted against the per-user rate limit yet:
/// the handler counts it (the hosted AI counts it in its one admission statement, and calls
/// [`rate::check_api`] on the paths that end before it).
#[derive(Clone, Debug)]
pub struct UncountedUser(pub AuthUser);

impl FromRequestParts<AppState> for UncountedUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let claims = state.accounts.keys.verify(bearer(&parts.headers)?)?;
        refuse_disabled(state, claims.sub).await?;
        Ok(UncountedUser(AuthUser::from_claims(claims)))
    }
}

/// The client's address: the socket's peer, or, when `trust_proxy` is on, the last address of
/// `X-Forwarded-For` (the one the trusted proxy appended; earlier ones are the client's say).
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

/// The client address of a request, given its socket peer.
pub fn client_ip(headers: &HeaderMap, peer: IpAddr, trust_proxy: bool) -> IpAddr {
    if !trust_proxy {
        return peer;
    }
    // Only the last entry: whatever stands before it was written by the client.
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .and_then(|a| a.trim().parse::<IpAddr>().ok())
        .unwrap_or(peer)
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()).ok_or_else(
            || ApiError::Internal(anyhow::anyhow!("no peer address (serve without connect info)")),
        )?;
        Ok(ClientIp(client_ip(&parts.headers, peer, state.config.trust_proxy)))
    }
}

/// What the audit log records of a request ([`audit::Ctx`] without an actor): the client's
/// address, its User-Agent (at most 512 bytes) and the request id.
#[derive(Clone, Debug)]
pub struct Meta(pub audit::Ctx);

/// The [`audit::Ctx`] of a request's parts.
pub fn meta_of(parts: &Parts, trust_proxy: bool) -> audit::Ctx {
    let ip = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| client_ip(&parts.headers, c.0.ip(), trust_proxy));
    let user_agent = parts
        .headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(512).collect::<String>());
    let request_id = parts.extensions.get::<RequestId>().map(|r| r.0.clone());
    audit::Ctx { actor: None, ip, user_agent, request_id }
}

impl FromRequestParts<AppState> for Meta {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Meta(meta_of(parts, state.config.trust_proxy)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_only_behind_a_trusted_proxy() {
        let peer: IpAddr = "127.0.0.1".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "6.6.6.6, 203.0.113.9".parse().unwrap());
        let check = |h: &HeaderMap, trust, expected: &str| {
            assert_eq!(client_ip(h, peer, trust), expected.parse::<IpAddr>().unwrap());
        };
        check(&h, false, "127.0.0.1");
        check(&h, true, "203.0.113.9");
        h.insert("x-forwarded-for", "203.0.113.9, garbage".parse().unwrap());
        check(&h, true, "127.0.0.1");
        check(&HeaderMap::new(), true, "127.0.0.1");
    }
}
