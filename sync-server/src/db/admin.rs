//! What admins may read: totals and per-account figures, never ciphertext or keys.

use qoder_sync::wire::{AdminStats, AdminUserRow};
use sqlx::{PgPool, Row};
use uuid::Uuid;

pub async fn stats(pool: &PgPool) -> sqlx::Result<AdminStats> {
    let r = sqlx::query(
        "SELECT (SELECT count(*) FROM users) AS users,
                (SELECT count(*) FROM users WHERE role = 'admin') AS admins,
                (SELECT count(*) FROM devices) AS devices,
                (SELECT count(*) FROM records) AS records,
                (SELECT coalesce(sum(octet_length(ciphertext)), 0)::bigint FROM records) AS bytes",
    )
    .fetch_one(pool)
    .await?;
    Ok(AdminStats {
        users: r.try_get("users")?,
        admins: r.try_get("admins")?,
        devices: r.try_get("devices")?,
        records: r.try_get("records")?,
        ciphertext_bytes: r.try_get("bytes")?,
    })
}

/// Up to `limit` accounts with an id greater than `after`, in id order.
pub async fn users(
    pool: &PgPool,
    after: Option<Uuid>,
    limit: i64,
) -> sqlx::Result<Vec<AdminUserRow>> {
    let rows = sqlx::query(
        "SELECT u.id, u.email, u.role, u.created_at,
                (SELECT count(*) FROM devices d WHERE d.user_id = u.id) AS devices,
                coalesce(r.n, 0) AS records, coalesce(r.bytes, 0)::bigint AS bytes, r.last_push
         FROM users u
         LEFT JOIN LATERAL (
             SELECT count(*) AS n, sum(octet_length(ciphertext)) AS bytes,
                    max(created_at) AS last_push
             FROM records WHERE user_id = u.id
         ) r ON true
         WHERE $1::uuid IS NULL OR u.id > $1
         ORDER BY u.id
         LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AdminUserRow {
                id: r.try_get("id")?,
                email: r.try_get("email")?,
                role: r.try_get("role")?,
                created_at: r.try_get("created_at")?,
                devices: r.try_get("devices")?,
                records: r.try_get("records")?,
                ciphertext_bytes: r.try_get("bytes")?,
                last_push: r.try_get("last_push")?,
            })
        })
        .collect()
}

/// Sets the role of the account with this (normalised) email; false if there is none.
pub async fn set_role(pool: &PgPool, email: &str, role: &str) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE users SET role = $2 WHERE email = $1")
        .bind(email)
        .bind(role)
        .execute(pool)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Makes admins of the accounts with these emails that exist and are not yet; returns how many.
pub async fn promote_all(pool: &PgPool, emails: &[String]) -> sqlx::Result<u64> {
    let r =
        sqlx::query("UPDATE users SET role = 'admin' WHERE email = ANY($1) AND role <> 'admin'")
            .bind(emails)
            .execute(pool)
            .await?;
    Ok(r.rows_affected())
}
