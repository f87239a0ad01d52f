//! `GET /api/admin/health`: this process and its database at a glance (pool, WebSockets,
//! requests in flight, memory), the background job queue (depth, failures) and the alerts
//! firing, for the console's health screen.

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
        },
        websocket_connections: state.hub.connections(),
        requests_in_flight: crate::MAX_IN_FLIGHT - state.in_flight.available_permits(),
        memory_rss_bytes: rss(),
        jobs,
        alerts_firing,
    }
}
