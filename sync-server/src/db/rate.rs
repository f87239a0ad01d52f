//! Fixed-window counters in the `rate_limits` table (shared by every server process; the
//! database's clock decides the window).

use sqlx::{PgPool, Row};

/// A window's count after a hit, and the seconds left until it ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub hits: i64,
    pub resets_in: f64,
}

/// Counts one hit against `key` in the current window of `window_seconds` seconds: one upsert
/// (the SQL function `rate_hit`, migration 0007; the hosted AI's admission calls it too).
pub async fn hit(
    db: impl sqlx::PgExecutor<'_>,
    key: &str,
    window_secs: i64,
) -> sqlx::Result<Window> {
    let row = sqlx::query("SELECT o_hits AS hits, o_resets_in AS resets_in FROM rate_hit($1, $2)")
        .bind(key)
        .bind(window_secs)
        .fetch_one(db)
        .await?;
    Ok(Window { hits: row.try_get("hits")?, resets_in: row.try_get("resets_in")? })
}

/// The count of `key` in the current window, without a hit (0 and the window's end if none).
pub async fn peek(pool: &PgPool, key: &str, window_secs: i64) -> sqlx::Result<Window> {
    let row = sqlx::query(
        "WITH w AS (SELECT floor(extract(epoch FROM now()) / $2)::bigint * $2 AS start)
         SELECT coalesce((SELECT hits FROM rate_limits r, w
                          WHERE r.key = $1 AND r.window_start = w.start), 0)::bigint AS hits,
                (w.start + $2 - extract(epoch FROM now()))::float8 AS resets_in
         FROM w",
    )
    .bind(key)
    .bind(window_secs)
    .fetch_one(pool)
    .await?;
    Ok(Window { hits: row.try_get("hits")?, resets_in: row.try_get("resets_in")? })
}

/// Deletes counters whose window ended more than `older_than_secs` ago.
pub async fn prune(pool: &PgPool, older_than_secs: i64) -> sqlx::Result<u64> {
    let r = sqlx::query(
        "DELETE FROM rate_limits WHERE window_start < extract(epoch FROM now())::bigint - $1",
    )
    .bind(older_than_secs)
    .execute(pool)
    .await?;
    Ok(r.rows_affected())
}
