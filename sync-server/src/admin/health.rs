//! `GET /api/admin/health`: this process and its database at a glance (pool, size, statements
//! running slowly now, WebSockets, requests in flight, memory), the background job queue (depth,
//! failures) and the alerts firing, for the console's overview.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::AppState;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Database {
    /// Whether `SELECT 1` answered within 2 s.
    pub ok: bool,
    pub ping_ms: Option<f64>,
    pub pool_connections: u32,
    pub pool_idle: usize,
    pub pool_max: u32,
    /// The database's size on disk.
    pub size_bytes: Option<i64>,
    /// Statements running on this database for [`SLOW_AFTER_MS`] or longer now, slowest first
    /// (at most 20; their text as sent, with `$n` placeholders, never the values).
    pub slow_queries: Vec<SlowQuery>,
}

/// A statement that has been running for a while (`pg_stat_activity`).
#[derive(Clone, Debug, Serialize, Deserialize, sqlx::FromRow)]
pub struct SlowQuery {
    pub pid: i32,
    pub running_ms: f64,
    /// `active`, `idle in transaction`…
    pub state: String,
    /// What it waits for, if anything (`Lock`, `IO`…).
    pub wait_event_type: Option<String>,
    pub application_name: String,
    /// The first 300 characters of its text.
    pub query: String,
}

/// How long a statement runs before the health screen lists it.
pub const SLOW_AFTER_MS: i64 = 1000;

async fn slow_queries(state: &AppState) -> Vec<SlowQuery> {
    let rows = sqlx::query_as::<_, SlowQuery>(
        "SELECT pid,
                (extract(epoch FROM clock_timestamp() - query_start) * 1000)::float8 AS running_ms,
                coalesce(state, '') AS state, wait_event_type,
                coalesce(application_name, '') AS application_name,
                left(query, 300) AS query
           FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()
            AND state IS NOT NULL AND state <> 'idle' AND backend_type = 'client backend'
            AND query_start < clock_timestamp() - make_interval(secs => $1::float8 / 1000)
          ORDER BY query_start LIMIT 20",
    )
    .bind(SLOW_AFTER_MS as f64)
    .fetch_all(&state.pool);
    match tokio::time::timeout(Duration::from_secs(2), rows).await {
        Ok(Ok(rows)) => rows,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "cannot list the slow queries");
            Vec::new()
        }
        Err(_) => Vec::new(),
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Health {
    /// `ok`, or `degraded` when the database does not answer.
    pub status: String,
    pub version: String,
    pub uptime_secs: u64,
    pub database: Database,
    pub websocket_connections: usize,
    pub requests_in_flight: usize,
    /// Every process's requests of the last five minutes (`traffic_minutes`): their number, 5xx
    /// share and p95 latency; `None` when it cannot be read.
    pub requests_last_5_minutes: Option<super::live::Traffic>,
    /// Resident memory of this process (Linux: /proc/self/status VmRSS).
    pub memory_rss_bytes: Option<u64>,
    /// The background job queue (all processes); `None` when the database does not answer.
    pub jobs: Option<crate::jobs::Depth>,
    /// Alert rules firing now.
    pub alerts_firing: Option<i64>,
}

fn rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

pub async fn health(state: &AppState) -> Health {
    let start = Instant::now();
    let size = tokio::time::timeout(
        Duration::from_secs(2),
        sqlx::query_scalar::<_, i64>("SELECT pg_database_size(current_database())")
            .fetch_one(&state.pool),
    )
    .await;
    let (ok, ping_ms, size_bytes) = match size {
        Ok(Ok(bytes)) => (true, Some(start.elapsed().as_secs_f64() * 1000.0), Some(bytes)),
        _ => (false, None, None),
    };
    let (jobs, alerts_firing) = if ok {
        let firing = sqlx::query_scalar("SELECT count(*) FROM alerts WHERE state = 'firing'")
            .fetch_one(&state.pool)
            .await
            .ok();
        (crate::jobs::depth(&state.pool).await.ok(), firing)
    } else {
        (None, None)
    };
    Health {
        status: if ok { "ok" } else { "degraded" }.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        uptime_secs: state.metrics.uptime().as_secs(),
        database: Database {
            ok,
            ping_ms,
            pool_connections: state.pool.size(),
            pool_idle: state.pool.num_idle(),
            pool_max: state.config.db_max_connections,
            size_bytes,
            slow_queries: if ok { slow_queries(state).await } else { Vec::new() },
        },
        websocket_connections: state.hub.connections(),
        requests_in_flight: crate::MAX_IN_FLIGHT - state.in_flight.available_permits(),
        requests_last_5_minutes: if ok {
            crate::traffic::window(&state.pool, chrono::Utc::now() - chrono::TimeDelta::minutes(5))
                .await
                .ok()
                .map(Into::into)
        } else {
            None
        },
        memory_rss_bytes: rss(),
        jobs,
        alerts_firing,
    }
}
