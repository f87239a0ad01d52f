//! GET /api/ws: the WebSocket of real-time notices (see `crate::hub`).

use axum::Router;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::get;

use crate::http::error::ApiError;
use crate::http::extract::{AuthUser, authenticate_socket};
use crate::{AppState, hub};

/// Largest message or frame a client may send on the socket.
pub const MAX_CLIENT_MESSAGE: usize = 4096;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/ws", get(ws))
}

/// The caller of the socket (`authenticate_socket`: the header or `?access_token=`).
struct SocketUser(AuthUser);

impl FromRequestParts<AppState> for SocketUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(SocketUser(authenticate_socket(state, parts).await?))
    }
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn ws(
    State(s): State<AppState>,
    SocketUser(user): SocketUser,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
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
