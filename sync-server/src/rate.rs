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

/// The counter of `user`'s requests.
pub fn api_key(user: Uuid) -> String {
    format!("u:{user}")
}

/// The answer to a request over the per-user API limit, `resets_in` seconds before its window
/// ends.
pub fn api_limited(resets_in: f64) -> ApiError {
    ApiError::RateLimited {
        message: "too many requests; slow down",
        retry_after: retry_after(resets_in),
    }
}

/// Counts a request of `user`; 429 once more than `limit` came within the current minute.
pub async fn check_api(pool: &PgPool, user: Uuid, limit: u32) -> Result<(), ApiError> {
    let w = db::rate::hit(pool, &api_key(user), API_WINDOW_SECS).await?;
    if w.hits > i64::from(limit) {
        return Err(api_limited(w.resets_in));
    }
    Ok(())
}

/// The part of a client address that limits count against: an IPv4 address (IPv4-mapped IPv6
/// addresses count as their IPv4 address), or the /64 network of an IPv6 address (one host
/// usually holds a whole /64, so counting /128s would give it 2^64 budgets).
fn ip_scope(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        IpAddr::V4(v4) => v4.to_string(),
    }
}

fn ip_key(ip: IpAddr) -> String {
    format!("login-ip:{}", ip_scope(ip))
}

/// The window of the per-IP register limit: an hour.
pub const REGISTER_IP_WINDOW_SECS: i64 = 3600;
/// The window of the global register limit: a minute.
pub const REGISTER_WINDOW_SECS: i64 = 60;

/// Counts a registration from `ip` (before any hashing); 429 past `per_ip` an hour from that
/// IP (IPv6: its /64) or past `global` a minute from everyone.
pub async fn check_register(
    pool: &PgPool,
    ip: IpAddr,
    per_ip: u32,
    global: u32,
) -> Result<(), ApiError> {
    let w = db::rate::hit(pool, &format!("register-ip:{}", ip_scope(ip)), REGISTER_IP_WINDOW_SECS)
        .await?;
    if w.hits > i64::from(per_ip) {
        return Err(ApiError::RateLimited {
            message: "too many new accounts from this address; try again later",
            retry_after: retry_after(w.resets_in),
        });
    }
    let w = db::rate::hit(pool, "register", REGISTER_WINDOW_SECS).await?;
    if w.hits > i64::from(global) {
        return Err(ApiError::RateLimited {
            message: "too many new accounts right now; try again in a minute",
            retry_after: retry_after(w.resets_in),
        });
    }
    Ok(())
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
    exec: impl sqlx::PgExecutor<'_>,
    ip: IpAddr,
    window_secs: u64,
) -> Result<(), ApiError> {
    let window = i64::try_from(window_secs).unwrap_or(i64::MAX / 4);
    db::rate::hit(exec, &ip_key(ip), window).await?;
    Ok(())
}

/// Deletes what only grows: rate-limit counters of windows that ended long ago, failed-login
/// rows (of unknown emails too) whose window ended and that hold no lock, and refresh tokens
/// that expired (spent or not: an expired token is refused anyway). `keep_secs` must be at least
/// the longest window. Returns the rows deleted.
pub async fn prune_once(pool: &PgPool, keep_secs: i64) -> sqlx::Result<u64> {
    Ok(db::rate::prune(pool, keep_secs).await?
        + db::account::prune_failures(pool, keep_secs).await?
        + db::account::prune_refresh_tokens(pool).await?)
}

/// [`prune_once`] every ten minutes (any process may; it is idempotent).
pub async fn prune_forever(pool: PgPool, keep_secs: i64) {
    let period = Duration::from_secs(600);
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        tick.tick().await;
        match prune_once(&pool, keep_secs).await {
            Ok(n) => tracing::debug!(deleted = n, "pruned counters and expired tokens"),
            Err(e) => tracing::warn!(error = %e, "cannot prune counters and expired tokens"),
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
        // IPv6: one /64 is one client.
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(ip_key(a), ip_key(b));
        assert_ne!(ip_key(a), ip_key(other));
        assert_eq!(retry_after(0.0), 1);
        assert_eq!(retry_after(12.2), 13);
    }
}
