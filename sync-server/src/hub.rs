//! Real-time notices: a push stores its records and, in the same transaction, a PostgreSQL
//! `NOTIFY` on [`CHANNEL`]. Every server process holds one `LISTEN` connection and fans the
//! notices out to its own WebSockets of the same user, skipping the device that pushed. Nothing
//! is kept in process memory beyond the open sockets themselves.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use qoder_sync::wire::Notice;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

/// The NOTIFY channel of pushes.
pub const CHANNEL: &str = "qoder_pushed";
/// Notices a slow socket may fall behind by before it skips some (it pulls everything on any
/// notice, so skipping is harmless).
const PER_USER_BUFFER: usize = 64;

/// The payload of a NOTIFY: who pushed what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pushed {
    pub user_id: Uuid,
    pub device_id: Uuid,
    pub collection: String,
    pub max_idx: i64,
}

/// Close codes the server uses.
pub mod close {
    /// The server is shutting down.
    pub const GOING_AWAY: u16 = 1001;
    /// The access token expired: refresh, then reconnect.
    pub const TOKEN_EXPIRED: u16 = 1008;
    /// No pong to two pings.
    pub const NO_PONG: u16 = 1011;
    /// The process lost its LISTEN connection (notices may have been missed): reconnect and pull.
    pub const FEED_INTERRUPTED: u16 = 1012;
}

/// This process's WebSockets, grouped by user.
pub struct Hub {
    users: Mutex<HashMap<Uuid, broadcast::Sender<Arc<Pushed>>>>,
    connections: AtomicUsize,
    limit: usize,
    /// Open sockets one user may have on this process.
    per_user: usize,
    ping_every: Duration,
    /// Whether the LISTEN connection is up (sockets are refused while it is not).
    listening: AtomicBool,
    /// Bumped when the LISTEN connection was lost: every socket closes.
    feed_epoch: watch::Sender<u64>,
    epoch_counter: AtomicU64,
    shutdown: watch::Sender<bool>,
}

/// The notices of one user for one socket; unsubscribes when dropped.
pub struct Subscription {
    hub: Arc<Hub>,
    user: Uuid,
    rx: Option<broadcast::Receiver<Arc<Pushed>>>,
}

impl Subscription {
    async fn recv(&mut self) -> Result<Arc<Pushed>, broadcast::error::RecvError> {
        match self.rx.as_mut() {
            Some(rx) => rx.recv().await,
            None => Err(broadcast::error::RecvError::Closed),
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.rx = None;
        self.hub.unsubscribe(self.user);
    }
}

/// A counted WebSocket; the count drops with it.
pub struct Slot(Arc<Hub>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.connections.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Hub {
    pub fn new(limit: usize, per_user: usize, ping_every: Duration) -> Arc<Self> {
        Arc::new(Self {
            users: Mutex::new(HashMap::new()),
            connections: AtomicUsize::new(0),
            limit,
            per_user,
            ping_every,
            listening: AtomicBool::new(false),
            feed_epoch: watch::channel(0).0,
            epoch_counter: AtomicU64::new(0),
            shutdown: watch::channel(false).0,
        })
    }

    /// Open WebSockets of this process.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::Acquire)
    }

    pub fn is_listening(&self) -> bool {
        self.listening.load(Ordering::Acquire)
    }

    /// A slot for one more socket, or None at the limit.
    pub fn try_slot(self: &Arc<Self>) -> Option<Slot> {
        let before = self.connections.fetch_add(1, Ordering::AcqRel);
        if before >= self.limit {
            self.connections.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(Slot(Arc::clone(self)))
    }

    /// Starts receiving the notices of `user` (before the upgrade is answered, so nothing pushed
    /// after the client saw the connection open is missed); None if the user already has
    /// `per_user` sockets open on this process.
    pub fn subscribe(self: &Arc<Self>, user: Uuid) -> Option<Subscription> {
        let mut users = self.users.lock().unwrap_or_else(|p| p.into_inner());
        let tx = users.entry(user).or_insert_with(|| broadcast::channel(PER_USER_BUFFER).0);
        if tx.receiver_count() >= self.per_user {
            return None;
        }
        let rx = tx.subscribe();
        Some(Subscription { hub: Arc::clone(self), user, rx: Some(rx) })
    }

    fn unsubscribe(&self, user: Uuid) {
        let mut users = self.users.lock().unwrap_or_else(|p| p.into_inner());
        if users.get(&user).is_some_and(|tx| tx.receiver_count() == 0) {
            users.remove(&user);
        }
    }

    /// Hands a notice to this process's sockets of its user.
    pub fn dispatch(&self, pushed: Pushed) {
        let users = self.users.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = users.get(&pushed.user_id) {
            let _ = tx.send(Arc::new(pushed));
        }
    }

    /// Closes every socket: the feed was interrupted.
    fn interrupt(&self) {
        let epoch = self.epoch_counter.fetch_add(1, Ordering::AcqRel) + 1;
        self.feed_epoch.send_replace(epoch);
    }

    /// Closes every socket with "going away" (graceful shutdown).
    pub fn shut_down(&self) {
        self.shutdown.send_replace(true);
    }
}

/// Connects the process's LISTEN connection.
pub async fn listen(pool: &PgPool) -> sqlx::Result<PgListener> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.ignore_pool_close_event(true);
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Receives notices until the process ends, dispatching them to the hub. When the connection
/// drops, every socket is closed (notices may have been missed) and the listener reconnects,
/// backing off up to 30 s while the database is unreachable.
pub async fn run_listener(hub: Arc<Hub>, pool: PgPool, mut listener: PgListener) {
    hub.listening.store(true, Ordering::Release);
    let mut backoff = Duration::from_millis(250);
    loop {
        match listener.try_recv().await {
            Ok(Some(n)) => {
                backoff = Duration::from_millis(250);
                match serde_json::from_str::<Pushed>(n.payload()) {
                    Ok(p) => hub.dispatch(p),
                    Err(e) => tracing::warn!(error = %e, "unreadable notice"),
                }
            }
            // The connection was lost and re-established: whatever came meanwhile is gone.
            Ok(None) => {
                tracing::warn!("LISTEN connection lost and re-established; closing sockets");
                hub.interrupt();
            }
            Err(e) => {
                hub.listening.store(false, Ordering::Release);
                hub.interrupt();
                tracing::warn!(error = %e, retry_in = ?backoff, "LISTEN connection failed");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(30));
                match listen(&pool).await {
                    Ok(l) => {
                        listener = l;
                        hub.listening.store(true, Ordering::Release);
                        tracing::info!("LISTEN connection back");
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot reconnect the LISTEN connection"),
                }
            }
        }
    }
}

/// Who is on the other end of a socket.
#[derive(Clone, Copy, Debug)]
pub struct Peer {
    pub user_id: Uuid,
    pub device_id: Uuid,
    /// When the access token expires (seconds since the Unix epoch).
    pub expires_at: i64,
}

pub(crate) async fn close_with(socket: &mut WebSocket, code: u16, reason: &'static str) {
    let frame = CloseFrame { code, reason: reason.into() };
    let _ = socket.send(Message::Close(Some(frame))).await;
}

/// What every server socket does besides its own messages: a ping every `ping_every` (closed
/// after two unanswered), pongs and the client's close read, closed when the access token
/// expires and when the server shuts down.
pub struct Keepalive {
    ping: tokio::time::Interval,
    unanswered: u32,
    expiry: std::pin::Pin<Box<tokio::time::Sleep>>,
    shutdown: watch::Receiver<bool>,
}

impl Keepalive {
    /// For a socket of a token that expires at `expires_at` (seconds since the Unix epoch).
    pub fn new(hub: &Hub, ping_every: Duration, expires_at: i64) -> Self {
        let mut shutdown = hub.shutdown.subscribe();
        if *shutdown.borrow() {
            // Shutting down already: the first step closes the socket.
            shutdown.mark_changed();
        }
        let left = expires_at - chrono::Utc::now().timestamp();
        Keepalive {
            ping: tokio::time::interval_at(tokio::time::Instant::now() + ping_every, ping_every),
            unanswered: 0,
            expiry: Box::pin(tokio::time::sleep(Duration::from_secs(
                u64::try_from(left).unwrap_or(0),
            ))),
            shutdown,
        }
    }

    /// Waits for the ping timer, the client, the token's expiry or the shutdown. Cancel-safe:
    /// a socket's loop selects on it beside its own sources, then calls [`Keepalive::handle`]
    /// (whose sends must not be cut short by another branch).
    pub async fn wake(&mut self, socket: &mut WebSocket) -> Wake {
        tokio::select! {
            _ = self.ping.tick() => Wake::Ping,
            m = socket.recv() => match m {
                Some(Ok(Message::Pong(_))) => Wake::Pong,
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => Wake::Gone,
                // Pings are answered by the library; clients send nothing else that matters.
                Some(Ok(_)) => Wake::Other,
            },
            () = &mut self.expiry => Wake::Expired,
            _ = self.shutdown.changed() => Wake::ShuttingDown,
        }
    }

    /// Acts on what woke the socket: `Break` once it is closed (with the close frame sent where
    /// the server closes it).
    pub async fn handle(&mut self, socket: &mut WebSocket, wake: Wake) -> ControlFlow<()> {
        match wake {
            Wake::Ping if self.unanswered >= 2 => {
                close_with(socket, close::NO_PONG, "no pong").await;
                ControlFlow::Break(())
            }
            Wake::Ping => {
                self.unanswered += 1;
                match socket.send(Message::Ping(Vec::new().into())).await {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(_) => ControlFlow::Break(()),
                }
            }
            Wake::Pong => {
                self.unanswered = 0;
                ControlFlow::Continue(())
            }
            Wake::Other => ControlFlow::Continue(()),
            Wake::Gone => ControlFlow::Break(()),
            Wake::Expired => {
                close_with(socket, close::TOKEN_EXPIRED, "access token expired").await;
                ControlFlow::Break(())
            }
            Wake::ShuttingDown => {
                close_with(socket, close::GOING_AWAY, "server shutting down").await;
                ControlFlow::Break(())
            }
        }
    }
}

/// What woke a socket's [`Keepalive`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wake {
    Ping,
    Pong,
    /// A message that needs nothing.
    Other,
    /// The client closed the socket, or it broke.
    Gone,
    Expired,
    ShuttingDown,
}

/// Serves one socket until it closes: notices of the user's other devices as JSON text, and
/// [`Keepalive`]; closed too when the feed is interrupted.
pub async fn serve_socket(
    mut socket: WebSocket,
    hub: Arc<Hub>,
    peer: Peer,
    mut notices: Subscription,
    _slot: Slot,
) {
    let mut epoch = hub.feed_epoch.subscribe();
    epoch.mark_unchanged();
    let mut keepalive = Keepalive::new(&hub, hub.ping_every, peer.expires_at);
    loop {
        tokio::select! {
            n = notices.recv() => match n {
                Ok(p) if p.device_id != peer.device_id => {
                    let notice = Notice::Pushed {
                        device_id: p.device_id,
                        collection: p.collection.clone(),
                        max_idx: p.max_idx,
                    };
                    let Ok(text) = serde_json::to_string(&notice) else { continue };
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => break,
            },
            wake = keepalive.wake(&mut socket) => {
                if keepalive.handle(&mut socket, wake).await.is_break() {
                    break;
                }
            }
            _ = epoch.changed() => {
                close_with(&mut socket, close::FEED_INTERRUPTED, "notifications interrupted; reconnect and pull").await;
                break;
            }
        }
    }
}
