//! Request ids and metrics. Every request gets an id (its `X-Request-Id` if well-formed, else a
//! new one), echoed on the answer and written to the audit log; its route, status and latency
//! are counted in this process's Prometheus recorder (the `metrics` crate with
//! `metrics-exporter-prometheus`, kept per [`crate::AppState`] rather than installed globally,
//! so two servers in one process count apart). `GET /metrics` renders it for admins.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};
use uuid::Uuid;

use crate::AppState;

/// The id of a request, in its extensions.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

pub const REQUEST_ID: &str = "x-request-id";

/// Latency buckets, seconds.
const BUCKETS: [f64; 12] =
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// The queue's figures `GET /metrics` shows.
#[derive(Clone, Debug, Default)]
pub struct Queue {
    pub jobs: crate::jobs::Depth,
    pub alerts_firing: i64,
}

impl Queue {
    pub async fn read(pool: &sqlx::PgPool) -> sqlx::Result<Queue> {
        let jobs = crate::jobs::depth(pool).await?;
        let alerts_firing =
            sqlx::query_scalar("SELECT count(*) FROM alerts WHERE state = 'firing'")
                .fetch_one(pool)
                .await?;
        Ok(Queue { jobs, alerts_firing })
    }
}

/// The process's recorder and its renderer.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    started: Instant,
}

impl Metrics {
    pub fn new() -> anyhow::Result<Self> {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&BUCKETS)
            .map_err(|e| anyhow::anyhow!("metrics buckets: {e}"))?
            .build_recorder();
        let handle = recorder.handle();
        let m = Self { recorder, handle, started: Instant::now() };
        metrics::with_local_recorder(&m.recorder, || {
            metrics::describe_counter!(
                "qoder_http_requests_total",
                "HTTP requests answered, by method, route and status"
            );
            metrics::describe_histogram!(
                "qoder_http_request_duration_seconds",
                metrics::Unit::Seconds,
                "Time to answer, by method, route and status"
            );
            metrics::describe_gauge!(
                "qoder_websocket_connections",
                "Open WebSockets in this process"
            );
            metrics::describe_gauge!(
                "qoder_db_pool_connections",
                "Connections of the PostgreSQL pool (open)"
            );
            metrics::describe_gauge!(
                "qoder_db_pool_idle",
                "Idle connections of the PostgreSQL pool"
            );
            metrics::describe_gauge!(
                "qoder_db_pool_max",
                "The pool's maximum (db_max_connections)"
            );
            metrics::describe_gauge!("qoder_requests_in_flight", "Requests being answered now");
            metrics::describe_gauge!("qoder_uptime_seconds", "Seconds since this process started");
            metrics::describe_gauge!(
                "qoder_jobs",
                "Background jobs of all processes by state (queued, due, running, failed)"
            );
            metrics::describe_gauge!(
                "qoder_jobs_oldest_due_seconds",
                "Seconds the oldest due background job has waited"
            );
            metrics::describe_gauge!("qoder_alerts_firing", "Alert rules firing now");
        });
        Ok(m)
    }

    fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        metrics::with_local_recorder(&self.recorder, || {
            let labels = [
                ("method", method.to_string()),
                ("route", route.to_string()),
                ("status", status.to_string()),
            ];
            metrics::counter!("qoder_http_requests_total", &labels).increment(1);
            metrics::histogram!("qoder_http_request_duration_seconds", &labels)
                .record(took.as_secs_f64());
        });
    }

    /// The Prometheus text exposition, with the gauges read now (`queue`: the job queue and
    /// the alerts firing, read from the database by the caller; left out when unknown).
    pub fn render(&self, state: &AppState, queue: Option<&Queue>) -> String {
        metrics::with_local_recorder(&self.recorder, || {
            metrics::gauge!("qoder_websocket_connections").set(state.hub.connections() as f64);
            metrics::gauge!("qoder_db_pool_connections").set(f64::from(state.pool.size()));
            metrics::gauge!("qoder_db_pool_idle").set(state.pool.num_idle() as f64);
            metrics::gauge!("qoder_db_pool_max").set(f64::from(state.config.db_max_connections));
            metrics::gauge!("qoder_requests_in_flight")
                .set((crate::MAX_IN_FLIGHT - state.in_flight.available_permits()) as f64);
            metrics::gauge!("qoder_uptime_seconds").set(self.started.elapsed().as_secs_f64());
            if let Some(q) = queue {
                let d = &q.jobs;
                for (st, n) in [
                    ("queued", d.queued),
                    ("due", d.due),
                    ("running", d.running),
                    ("failed", d.failed),
                ] {
                    metrics::gauge!("qoder_jobs", "state" => st).set(n as f64);
                }
                metrics::gauge!("qoder_jobs_oldest_due_seconds")
                    .set(d.oldest_due_secs.unwrap_or(0.0));
                metrics::gauge!("qoder_alerts_firing").set(q.alerts_firing as f64);
            }
        });
        self.handle.render()
    }

    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }

    /// Folds the latency samples recorded since the last call into the histograms (they wait in
    /// a queue until then; unscraped, the queue would only grow).
    pub async fn upkeep_forever(self: Arc<Self>) {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            self.handle.run_upkeep();
        }
    }
}

fn well_formed(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// The layer on every route: the request id in, the metrics and the id out.
pub async fn observe(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| well_formed(v))
        .map_or_else(|| Uuid::now_v7().to_string(), str::to_string);
    req.extensions_mut().insert(RequestId(id.clone()));
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let method = req.method().as_str().to_string();
    let start = Instant::now();
    let mut resp = next.run(req).await;
    let took = start.elapsed();
    state.metrics.request(&method, &route, resp.status().as_u16(), took);
    state.traffic.record(resp.status().as_u16(), took);
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert(REQUEST_ID, v);
    }
    resp
}
