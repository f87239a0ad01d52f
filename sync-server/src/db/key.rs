//! Wrapped data keys (opaque blobs): the password's (`key_blobs`) and the recovery code's
//! (`recovery_blobs`).

use sqlx::PgPool;
use uuid::Uuid;

/// Which wrapped key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrap {
    Password,
    RecoveryCode,
}

impl Wrap {
    fn table(self) -> &'static str {
        match self {
            Wrap::Password => "key_blobs",
            Wrap::RecoveryCode => "recovery_blobs",
        }
    }
}

/// Stores the blob if the user has none of this kind yet; false if one is already there.
pub async fn create(pool: &PgPool, wrap: Wrap, user_id: Uuid, blob: &[u8]) -> sqlx::Result<bool> {
    // The table name is one of two constants, never input.
    let sql = format!(
        "INSERT INTO {} (user_id, blob) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING",
        wrap.table()
    );
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(blob).execute(pool).await?;
    Ok(r.rows_affected() == 1)
}

/// Stores or replaces the blob (only the password change, which checked the old password, and
/// the recovery-code replacement, which checked the login secret, call this).
pub async fn put<'c>(
    exec: impl sqlx::PgExecutor<'c>,
    wrap: Wrap,
    user_id: Uuid,
    blob: &[u8],
) -> sqlx::Result<()> {
    let sql = format!(
        "INSERT INTO {} (user_id, blob) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET blob = EXCLUDED.blob, updated_at = now()",
        wrap.table()
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(blob).execute(exec).await?;
    Ok(())
}

pub async fn get(pool: &PgPool, wrap: Wrap, user_id: Uuid) -> sqlx::Result<Option<Vec<u8>>> {
    let sql = format!("SELECT blob FROM {} WHERE user_id = $1", wrap.table());
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_optional(pool).await
}
