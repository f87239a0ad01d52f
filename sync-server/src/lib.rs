//! qoder-server: accounts and an end-to-end-encrypted record store on PostgreSQL.
//!
//! The server stores ciphertext and metadata only; see README.md for the threat model.
#![forbid(unsafe_code)]

pub mod admin;
pub mod alerts;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod config;
pub mod db;
pub mod forecast;
pub mod gdpr;
pub mod hosted_ai;
pub mod http;
pub mod hub;
pub mod jobs;
pub mod rate;
pub mod sync;
pub mod telemetry;
pub mod traffic;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tokio::net::TcpListener;

use crate::auth::Accounts;
use crate::config::Config;
use crate::http::error::ApiError;

/// Requests one process handles at once; beyond it the answer is 503 at once (shedding load
/// rather than queueing it without bound).
pub const MAX_IN_FLIGHT: usize = 1024;
/// Longest a request may take before it is answered 503 (a WebSocket counts only until its
/// upgrade).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub pool: PgPool,
    pub accounts: Accounts,
    /// This process's WebSockets.
    pub hub: Arc<hub::Hub>,
    /// Permits of the requests in flight ([`MAX_IN_FLIGHT`]).
    pub in_flight: Arc<tokio::sync::Semaphore>,
    /// Stripe, plan prices and feature flags.
    pub billing: Arc<billing::Billing>,
    /// The hosted AI's providers (`None`: not configured; its endpoint answers 503).
    pub ai: Option<Arc<hosted_ai::HostedAi>>,
    /// The queue of `ai_calls` records and its writer task.
    pub ai_calls: hosted_ai::Recorder,
    /// Request counts and latencies of this process (`GET /metrics`).
    pub metrics: Arc<telemetry::Metrics>,
    /// This process's requests per minute not yet added to `traffic_minutes`.
    pub traffic: Arc<traffic::Counter>,
    /// The load forecasts made lately (`GET /api/admin/forecast`).
    pub forecasts: Arc<forecast::Cache>,
}

impl AppState {
    pub async fn new(config: Config, pool: PgPool) -> anyhow::Result<Self> {
        let accounts = Accounts::new(&config).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        if !config.admin_emails.is_empty() {
            let emails: Vec<String> =
                config.admin_emails.iter().map(|e| admin::normalize_email(e)).collect();
            let promoted = db::admin::promote_all(&pool, &emails).await?;
            tracing::info!(promoted, "admin_emails applied");
        }
        let hub = hub::Hub::new(
            config.websocket_connection_limit,
            config.websocket_per_user_limit,
            Duration::from_secs(config.websocket_ping_interval),
        );
        let in_flight = Arc::new(tokio::sync::Semaphore::new(MAX_IN_FLIGHT));
        let billing = Arc::new(billing::Billing::new(&config)?);
        // The providers' HTTP clients are blocking ones: made off the async threads.
        let ai_config = config.clone();
        let ai = tokio::task::spawn_blocking(move || hosted_ai::HostedAi::from_config(&ai_config))
            .await??
            .map(Arc::new);
        // The failover order admins stored (migration 0009), before the first call.
        if let Some(ai) = &ai
            && let Err(e) = ai.reload(&pool).await
        {
            tracing::warn!(error = %e, "cannot read the hosted-AI provider order; read at the first call");
        }
        let ai_calls = hosted_ai::Recorder::start(pool.clone());
        let metrics = Arc::new(telemetry::Metrics::new()?);
        Ok(Self {
            config: Arc::new(config),
            pool,
            accounts,
            hub,
            in_flight,
            billing,
            ai,
            ai_calls,
            metrics,
            traffic: Arc::new(traffic::Counter::new()),
            forecasts: Arc::new(forecast::Cache::new()),
        })
    }
}

/// A pooled connection idle for longer than this is pinged before it is handed out.
pub const PING_IDLE_AFTER: Duration = Duration::from_secs(60);

/// Connects to PostgreSQL and applies the migrations in `migrations/server`.
///
/// The pool does not ping every connection it hands out (sqlx's default, one more round trip
/// before every statement): only those idle for over [`PING_IDLE_AFTER`], which a restart or a
/// firewall may have cut. sqlx still pings each connection when it comes back to the pool, so a
/// broken one is dropped there. Two connections stay checked out for the LISTEN of real-time
/// notices and of feature-flag changes.
///
/// JIT compilation is off on the server's connections: every query here is short, and
/// PostgreSQL's planner, misled by correlated subqueries' cost estimates, would JIT-compile some
/// (the admin's users search by plan took ~60 ms instead of ~6, 17 ms of it compiling).
pub async fn connect(config: &Config) -> anyhow::Result<PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(config.db_max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > PING_IDLE_AFTER {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
        .connect_with(
            config
                .database_url
                .expose()
                .parse::<PgConnectOptions>()
                .context("reading database_url")?
                .options([("jit", "off")]),
        )
        .await
        .context("connecting to PostgreSQL")?;
    sqlx::migrate!("../migrations/server").run(&pool).await.context("applying migrations")?;
    Ok(pool)
}

/// The outermost layer: a concurrency limit (503 beyond [`MAX_IN_FLIGHT`]) and a timeout
/// ([`REQUEST_TIMEOUT`], 503).
async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Ok(_permit) = state.in_flight.clone().try_acquire_owned() else {
        return ApiError::Unavailable {
            message: "the server is busy; try again shortly",
            retry_after: 1,
        }
        .into_response();
    };
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(response) => response,
        Err(_) => ApiError::Unavailable {
            message: "the request took too long; try again later",
            retry_after: 5,
        }
        .into_response(),
    }
}

/// The whole HTTP API.
pub fn app(state: AppState) -> Router {
    let limit = state.config.max_body_bytes;
    let guarded = axum::middleware::from_fn_with_state(state.clone(), guard);
    let observed = axum::middleware::from_fn_with_state(state.clone(), telemetry::observe);
    Router::new()
        .merge(http::health::router())
        .merge(http::auth::router())
        .merge(http::keys::router())
        .merge(http::sync::router())
        .merge(http::admin::router())
        .merge(http::account::router())
        .merge(http::console::router())
        .merge(http::billing::router())
        .merge(http::ai::router())
        .merge(http::ws::router())
        .merge(http::openapi::router())
        .fallback(http::error::not_found)
        .layer(observed)
        .layer(DefaultBodyLimit::max(limit))
        .layer(guarded)
        .with_state(state)
}

/// Serves until `shutdown` completes, then closes the WebSockets, finishes the requests in
/// flight and writes the queued hosted-AI call records and request counts. Also runs the process's background tasks until then: the LISTEN connection of
/// real-time notices (connected before the first request), the pruning of old rate-limit
/// counters, the background jobs' worker (`jobs`) and the alert rules' evaluation (`alerts`).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let notices = hub::listen(&state.pool).await.map_err(std::io::Error::other)?;
    let feed = tokio::spawn(hub::run_listener(state.hub.clone(), state.pool.clone(), notices));
    let keep = i64::try_from(state.config.login_window).unwrap_or(i64::MAX / 4)
        + rate::API_WINDOW_SECS
        + 3600;
    let pruner = tokio::spawn(rate::prune_forever(state.pool.clone(), keep));
    let flag_notices = billing::flags::listen(&state.pool).await.map_err(std::io::Error::other)?;
    let flags = tokio::spawn(billing::flags::run_listener(
        state.billing.flags.clone(),
        state.ai.clone(),
        state.pool.clone(),
        flag_notices,
    ));
    let reconcile = tokio::spawn(billing::subscriptions::reconcile_forever(state.clone()));
    let upkeep = tokio::spawn(state.metrics.clone().upkeep_forever());
    let (stop_jobs, jobs_stopped) = tokio::sync::watch::channel(false);
    let mut worker = tokio::spawn(jobs::run_forever(state.clone(), jobs_stopped));
    let alerting = tokio::spawn(alerts::run_forever(state.clone()));
    let (stop_counting, stopped) = tokio::sync::watch::channel(false);
    let counts =
        tokio::spawn(traffic::flush_forever(state.traffic.clone(), state.pool.clone(), stopped));
    let hub = state.hub.clone();
    let ai_calls = state.ai_calls.clone();
    let shutdown = async move {
        shutdown.await;
        hub.shut_down();
    };
    let served =
        axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown)
            .await;
    pruner.abort();
    feed.abort();
    flags.abort();
    reconcile.abort();
    upkeep.abort();
    alerting.abort();
    // The worker finishes the job it runs (a notification takes at most 10 s) and stops; one
    // still running after jobs::STOP_WAIT is left to its lease.
    stop_jobs.send_replace(true);
    if tokio::time::timeout(jobs::STOP_WAIT, &mut worker).await.is_err() {
        worker.abort();
        tracing::warn!(
            "a background job was still running at shutdown; its lease will put it back in the queue"
        );
    }
    // The counter's task writes what is left and returns (not aborted: an abort in the middle
    // of a write would lose the counts it took).
    stop_counting.send_replace(true);
    if tokio::time::timeout(Duration::from_secs(10), counts).await.is_err() {
        tracing::warn!("the last request counts were not written within 10 s");
    }
    ai_calls.flush().await;
    served
}
