//! What admins may read: totals and per-account figures, never ciphertext or keys.

use qoder_sync::wire::AdminStats;
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

/// Sets the role of the account with this (normalised) email; its id, or None if there is none.
pub async fn set_role(
    db: impl sqlx::PgExecutor<'_>,
    email: &str,
    role: &str,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar("UPDATE users SET role = $2 WHERE email = $1 RETURNING id")
        .bind(email)
        .bind(role)
        .fetch_optional(db)
        .await
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
