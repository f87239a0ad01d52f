//! Rate limits, with their state in PostgreSQL so that every server process behind a load
//! balancer counts against the same windows: requests per user a minute on authenticated
//! endpoints, and failed logins per client IP (next to the per-email lock in `auth`).

use std::net::IpAddr;
use std::time::Duration;

use sqlx::PgPool;
use uuid::Uuid;

use crate::db;
use crate::http::error::ApiError;

/// The window of the per-user API limit: a minute.
pub const API_WINDOW_SECS: i64 = 60;

fn retry_after(resets_in: f64) -> u64 {
    // Whole seconds, at least 1 (a window that just ended reads as 0).
    resets_in.ceil().max(1.0) as u64
}

/// Counts a request of `user`; 429 once more than `limit` came within the current minute.
pub async fn check_api(pool: &PgPool, user: Uuid, limit: u32) -> Result<(), ApiError> {
    let w = db::rate::hit(pool, &format!("u:{user}"), API_WINDOW_SECS).await?;
    if w.hits > i64::from(limit) {
        return Err(ApiError::RateLimited {
            message: "too many requests; slow down",
            retry_after: retry_after(w.resets_in),
        });
    }
    Ok(())
}

fn ip_key(ip: IpAddr) -> String {
    // IPv4-mapped IPv6 addresses count as their IPv4 address.
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    format!("login-ip:{ip}")
}

/// 429 if `ip` already failed `max` logins in the current window of `window_secs`.
pub async fn check_login_ip(
    pool: &PgPool,
    ip: IpAddr,
    window_secs: u64,
    max: i32,
) -> Result<(), ApiError> {
    let window = i64::try_from(window_secs).unwrap_or(i64::MAX / 4);
    let w = db::rate::peek(pool, &ip_key(ip), window).await?;
    if w.hits >= i64::from(max) {
        return Err(ApiError::RateLimited {
            message: "too many failed logins; try again later",
            retry_after: retry_after(w.resets_in),
        });
    }
    Ok(())
}

/// Counts a failed login from `ip`.
pub async fn record_login_failure(
    pool: &PgPool,
    ip: IpAddr,
    window_secs: u64,
) -> Result<(), ApiError> {
    let window = i64::try_from(window_secs).unwrap_or(i64::MAX / 4);
    db::rate::hit(pool, &ip_key(ip), window).await?;
    Ok(())
}

/// Deletes counters of windows that ended long ago, every ten minutes (any process may; it is
/// idempotent). `keep_secs` must be at least the longest window.
pub async fn prune_forever(pool: PgPool, keep_secs: i64) {
    let period = Duration::from_secs(600);
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        tick.tick().await;
        match db::rate::prune(&pool, keep_secs).await {
            Ok(n) => tracing::debug!(deleted = n, "pruned rate-limit counters"),
            Err(e) => tracing::warn!(error = %e, "cannot prune rate-limit counters"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapped_addresses_share_a_key_and_retry_is_at_least_a_second() {
        let v4: IpAddr = "10.1.2.3".parse().unwrap();
        let mapped: IpAddr = "::ffff:10.1.2.3".parse().unwrap();
        assert_eq!(ip_key(v4), ip_key(mapped));
        assert_ne!(ip_key(v4), ip_key("10.1.2.4".parse().unwrap()));
        assert_eq!(retry_after(0.0), 1);
        assert_eq!(retry_after(12.2), 13);
    }
}
