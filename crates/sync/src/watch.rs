//! `Client::watch`: the server's WebSocket (`GET /api/ws`) telling this device when another
//! device of the account pushed, so it can pull at once instead of waiting for its next poll.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use qoder_domain::{ErrorBody, ErrorCode};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

use crate::client::{Client, ClientError};
use crate::wire::Notice;

/// How long a watch waits without any frame (the server pings every 30 s by default) before it
/// takes the connection for dead.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(75);

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// Signing in, refreshing the session, or the server's answer to the upgrade (401, 429, 503
    /// with `{code, message}`).
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The server closed the connection: the access token expired (1008), the server is shutting
    /// down (1001), or its notification feed was interrupted (1012). Reconnect and pull.
    #[error("the server closed the notification connection ({code}: {reason})")]
    Closed { code: u16, reason: String },
    /// The connection failed or went silent.
    #[error("the notification connection failed: {0}")]
    Transport(String),
    /// The server sent something that is not a notice.
    #[error("the server sent an unreadable notice: {0}")]
    Malformed(String),
}

/// An open notification connection. [`Watch::next`] waits for the next notice; it ends with an
/// error when the connection does, so the caller backs off, calls [`Client::watch`] again and
/// pulls (notices sent while it was away are not replayed).
pub struct Watch {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    idle: Duration,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch").field("idle", &self.idle).finish_non_exhaustive()
    }
}

fn ws_url(base: &str) -> Result<String, WatchError> {
    let rest = |scheme: &str| base.strip_prefix(scheme).map(str::to_string);
    if let Some(r) = rest("https://") {
        Ok(format!("wss://{r}/api/ws"))
    } else if let Some(r) = rest("http://") {
        Ok(format!("ws://{r}/api/ws"))
    } else {
        Err(WatchError::Transport(format!("not an http(s) server address: {base}")))
    }
}

fn tls_connector() -> Connector {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    // The provider is named, so this does not depend on which rustls crypto features other
    // crates of the build turn on.
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map(|b| b.with_root_certificates(roots).with_no_client_auth());
    match config {
        Ok(c) => Connector::Rustls(Arc::new(c)),
        // ring supports the default versions; fall back to the library's own choice.
        Err(_) => Connector::Plain,
    }
}

enum Attempt {
    Open(Box<Watch>),
    Unauthorized,
}

impl Client {
    /// Opens the notification connection with the session's access token (refreshed once if the
    /// server says it expired).
    pub async fn watch(&self) -> Result<Watch, WatchError> {
        self.watch_with_idle_timeout(DEFAULT_IDLE_TIMEOUT).await
    }

    /// [`Client::watch`] with another silence limit (for servers with a longer ping interval).
    pub async fn watch_with_idle_timeout(&self, idle: Duration) -> Result<Watch, WatchError> {
        let url = ws_url(self.base())?;
        let token = self.access_token().ok_or(ClientError::NotSignedIn)?;
        match open(&url, &token, idle).await? {
            Attempt::Open(w) => Ok(*w),
            Attempt::Unauthorized => {
                self.refresh().await?;
                let token = self.access_token().ok_or(ClientError::NotSignedIn)?;
                match open(&url, &token, idle).await? {
                    Attempt::Open(w) => Ok(*w),
                    Attempt::Unauthorized => Err(ClientError::Api {
                        status: 401,
                        body: ErrorBody::new(
                            ErrorCode::Unauthorized,
                            "the server refused the token",
                        ),
                    }
                    .into()),
                }
            }
        }
    }
}

async fn open(url: &str, token: &str, idle: Duration) -> Result<Attempt, WatchError> {
    use tokio_tungstenite::tungstenite::Error as WsError;
    let mut req = url.into_client_request().map_err(|e| WatchError::Transport(e.to_string()))?;
    let bearer = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|e| WatchError::Transport(e.to_string()))?;
    req.headers_mut().insert("authorization", bearer);
    let connector = url.starts_with("wss://").then(tls_connector);
    let connecting = tokio_tungstenite::connect_async_tls_with_config(req, None, false, connector);
    let (ws, _) = match tokio::time::timeout(Duration::from_secs(10), connecting).await {
        Err(_) => return Err(WatchError::Transport("timed out connecting".into())),
        Ok(Ok(pair)) => pair,
        Ok(Err(WsError::Http(resp))) => {
            let status = resp.status().as_u16();
            if status == 401 {
                return Ok(Attempt::Unauthorized);
            }
            let text = resp.body().as_deref().map(String::from_utf8_lossy).unwrap_or_default();
            let body = serde_json::from_str::<ErrorBody>(&text).unwrap_or_else(|_| {
                ErrorBody::new(ErrorCode::Upstream, format!("HTTP {status}: {text}"))
            });
            return Err(ClientError::Api { status, body }.into());
        }
        Ok(Err(e)) => return Err(WatchError::Transport(e.to_string())),
    };
    Ok(Attempt::Open(Box::new(Watch { ws, idle })))
}

impl Watch {
    /// The next notice. Pings are answered on the way; an error means the connection is over.
    pub async fn next(&mut self) -> Result<Notice, WatchError> {
        loop {
            let frame = tokio::time::timeout(self.idle, self.ws.next()).await.map_err(|_| {
                WatchError::Transport(format!("nothing heard for {} s", self.idle.as_secs()))
            })?;
            match frame {
                None => return Err(WatchError::Transport("the connection ended".into())),
                Some(Err(e)) => return Err(WatchError::Transport(e.to_string())),
                Some(Ok(Message::Text(text))) => {
                    return serde_json::from_str(text.as_str())
                        .map_err(|e| WatchError::Malformed(format!("{e}: {}", text.as_str())));
                }
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) = frame
                        .map(|f| (u16::from(f.code), f.reason.as_str().to_string()))
                        .unwrap_or((1005, String::new()));
                    return Err(WatchError::Closed { code, reason });
                }
                // Pongs to the server's pings go out with the next read; nothing else is sent.
                Some(Ok(_)) => {}
            }
        }
    }

    /// Closes the connection politely.
    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }

    /// Sends a ping (tests and diagnostics; the server pings by itself).
    pub async fn ping(&mut self) -> Result<(), WatchError> {
        self.ws
            .send(Message::Ping(Vec::new().into()))
            .await
            .map_err(|e| WatchError::Transport(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn websocket_urls_follow_the_server_scheme() {
        assert_eq!(ws_url("http://127.0.0.1:8080").unwrap(), "ws://127.0.0.1:8080/api/ws");
        assert_eq!(ws_url("https://sync.example.com").unwrap(), "wss://sync.example.com/api/ws");
        assert!(ws_url("ftp://x").is_err());
    }

    #[test]
    fn notices_are_tagged_json() {
        let n =
            Notice::Pushed { device_id: uuid::Uuid::nil(), collection: "jobs".into(), max_idx: 7 };
        let json = serde_json::to_value(&n).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"type": "pushed", "device_id": uuid::Uuid::nil(), "collection": "jobs", "max_idx": 7})
        );
        let _ = tls_connector();
    }
}
