//! GET /api/ws: the WebSocket of real-time notices (see `crate::hub`).

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use crate::http::error::ApiError;
use crate::http::extract::{authenticate, bearer};
use crate::{AppState, hub};

/// Largest message or frame a client may send on the socket.
pub const MAX_CLIENT_MESSAGE: usize = 4096;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/ws", get(ws))
}

#[derive(Deserialize)]
struct WsQuery {
    access_token: Option<String>,
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn ws(
    State(s): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<WsQuery>, QueryRejection>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    // The header, or `?access_token=` for clients that cannot set headers on a WebSocket.
    let from_query = query.ok().and_then(|Query(q)| q.access_token);
    let token = match (&from_query, headers.contains_key("authorization")) {
        (Some(t), false) => t.as_str(),
        _ => bearer(&headers)?,
    };
    let user = authenticate(&s, token).await?;
    // Tokens are accepted a few seconds past `exp` (clock leeway), but a socket would be closed
    // at once: say 401 so that the client refreshes first.
    if user.expires_at <= chrono::Utc::now().timestamp() {
        return Err(ApiError::Unauthorized("invalid or expired access token"));
    }
    crate::http::sync::require_sync(&s, user.user_id).await?;
    let upgrade = upgrade.map_err(|e| {
        ApiError::Malformed(format!("this endpoint needs a WebSocket upgrade: {}", e.body_text()))
    })?;
    let unavailable = |message| ApiError::Unavailable { message, retry_after: 5 };
    if !s.hub.is_listening() {
        return Err(unavailable("notifications are not available right now"));
    }
    let slot = s.hub.try_slot().ok_or_else(|| unavailable("too many open WebSockets"))?;
    let peer =
        hub::Peer { user_id: user.user_id, device_id: user.device_id, expires_at: user.expires_at };
    let notices = s
        .hub
        .subscribe(user.user_id)
        .ok_or_else(|| unavailable("too many open WebSockets for this account"))?;
    let hub = s.hub.clone();
    // Clients send only pongs and close frames: a few KiB is plenty (the default is 64 MiB).
    let upgrade = upgrade.max_message_size(MAX_CLIENT_MESSAGE).max_frame_size(MAX_CLIENT_MESSAGE);
    Ok(upgrade.on_upgrade(move |socket| hub::serve_socket(socket, hub, peer, notices, slot)))
}
