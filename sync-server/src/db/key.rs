//! Wrapped data keys (opaque blobs).

use sqlx::PgPool;
use uuid::Uuid;

pub async fn put(pool: &PgPool, user_id: Uuid, blob: &[u8]) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO key_blobs (user_id, blob) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET blob = EXCLUDED.blob, updated_at = now()",
    )
    .bind(user_id)
    .bind(blob)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn get(pool: &PgPool, user_id: Uuid) -> sqlx::Result<Option<Vec<u8>>> {
    sqlx::query_scalar("SELECT blob FROM key_blobs WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(pool)
        .await
}
