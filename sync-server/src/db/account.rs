//! Users, devices, refresh tokens and login throttling.

use sqlx::{PgPool, Postgres, Row, Transaction};
use uuid::Uuid;

pub struct User {
    pub id: Uuid,
    pub password_hash: String,
    pub role: String,
    /// An admin disabled the account.
    pub disabled: bool,
}

/// Inserts a user; false if the email is taken.
pub async fn insert_user(
    db: impl sqlx::PgExecutor<'_>,
    id: Uuid,
    email: &str,
    hash: &str,
    role: &str,
) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "INSERT INTO users (id, email, password_hash, role) VALUES ($1, $2, $3, $4)
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(id)
    .bind(email)
    .bind(hash)
    .bind(role)
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn find_user(pool: &PgPool, email: &str) -> sqlx::Result<Option<User>> {
    let row = sqlx::query(
        "SELECT id, password_hash, role, disabled_at IS NOT NULL AS disabled
         FROM users WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(User {
            id: r.try_get("id")?,
            password_hash: r.try_get("password_hash")?,
            role: r.try_get("role")?,
            disabled: r.try_get("disabled")?,
        })
    })
    .transpose()
}

/// Registers the device to the user if it is new; returns its owner.
pub async fn claim_device(
    db: &mut sqlx::PgConnection,
    user_id: Uuid,
    device_id: Uuid,
) -> sqlx::Result<Uuid> {
    sqlx::query("INSERT INTO devices (id, user_id) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING")
        .bind(device_id)
        .bind(user_id)
        .execute(&mut *db)
        .await?;
    sqlx::query_scalar("SELECT user_id FROM devices WHERE id = $1")
        .bind(device_id)
        .fetch_one(db)
        .await
}

/// Counts one attempt for `key` (an email, or an email and a known device) **before** its
/// secret is checked, in one statement, so parallel guesses cannot all pass before one is
/// counted. Returns the seconds the key stays locked if this attempt is refused, and whether
/// this attempt set the lock: the attempt after `max` within the window is refused, and locks
/// the key for the window. (`now()` is the transaction's start, so `locked_until` equals
/// `now() + window` only in the statement that set it.)
pub async fn count_attempt(
    db: impl sqlx::PgExecutor<'_>,
    key: &str,
    window_secs: u64,
    max: i32,
) -> sqlx::Result<Option<(f64, bool)>> {
    let locked: Option<(Option<f64>, bool)> = sqlx::query_as(
        "INSERT INTO login_failures AS f (email, failures, window_start, locked_until)
         VALUES ($1, 1, now(), CASE WHEN 1 > $3 THEN now() + make_interval(secs => $2) END)
         ON CONFLICT (email) DO UPDATE SET
           failures = CASE
             WHEN f.locked_until > now() THEN f.failures
             WHEN f.window_start < now() - make_interval(secs => $2) THEN 1
             ELSE f.failures + 1 END,
           window_start = CASE
             WHEN f.locked_until > now() THEN f.window_start
             WHEN f.window_start < now() - make_interval(secs => $2) THEN now()
             ELSE f.window_start END,
           locked_until = CASE
             WHEN f.locked_until > now() THEN f.locked_until
             WHEN f.window_start >= now() - make_interval(secs => $2) AND f.failures + 1 > $3
               THEN now() + make_interval(secs => $2)
             ELSE NULL END
         RETURNING CASE WHEN locked_until > now()
                        THEN extract(epoch FROM locked_until - now())::float8 END,
                   coalesce(locked_until = now() + make_interval(secs => $2), false)",
    )
    .bind(key)
    .bind(window_secs as f64)
    .bind(max)
    .fetch_optional(db)
    .await?;
    Ok(locked.and_then(|(secs, set)| secs.map(|s| (s, set))))
}

/// Forgets the attempts of `key` (after the right secret).
pub async fn clear_failures(db: impl sqlx::PgExecutor<'_>, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE email = $1").bind(key).execute(db).await?;
    Ok(())
}

/// Whether the device is registered to the account with this email (a device that signed in
/// before: its attempts are counted apart from the email's, so strangers cannot lock it out).
pub async fn device_of(pool: &PgPool, email: &str, device_id: uuid::Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM devices d JOIN users u ON u.id = d.user_id
                        WHERE d.id = $1 AND u.email = $2)",
    )
    .bind(device_id)
    .bind(email)
    .fetch_one(pool)
    .await
}

/// Deletes failed-login rows whose window started more than `older_than_secs` ago and that
/// hold no lock (unknown emails are counted too, so these rows would only grow).
pub async fn prune_failures(pool: &PgPool, older_than_secs: i64) -> sqlx::Result<u64> {
    let r = sqlx::query(
        "DELETE FROM login_failures
         WHERE window_start < now() - make_interval(secs => $1)
           AND (locked_until IS NULL OR locked_until < now())",
    )
    .bind(older_than_secs as f64)
    .execute(pool)
    .await?;
    Ok(r.rows_affected())
}

/// Deletes refresh tokens that expired more than an hour ago (spent ones included: they were
/// kept for reuse detection, which an expired token no longer needs).
pub async fn prune_refresh_tokens(pool: &PgPool) -> sqlx::Result<u64> {
    let r = sqlx::query("DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 hour'")
        .execute(pool)
        .await?;
    Ok(r.rows_affected())
}

pub async fn insert_refresh<'c>(
    exec: impl sqlx::PgExecutor<'c>,
    hash: &[u8],
    family: Uuid,
    user_id: Uuid,
    device_id: Uuid,
    ttl_secs: u64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, family_id, user_id, device_id, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))",
    )
    .bind(hash)
    .bind(family)
    .bind(user_id)
    .bind(device_id)
    .bind(ttl_secs as f64)
    .execute(exec)
    .await?;
    Ok(())
}

pub struct RefreshRow {
    pub family_id: Uuid,
    pub user_id: Uuid,
    pub device_id: Uuid,
    pub role: String,
    /// Already exchanged or revoked.
    pub spent: bool,
    pub expired: bool,
    /// An admin disabled the account.
    pub disabled: bool,
}

/// The refresh token with this hash, locked for the rest of the transaction.
pub async fn lock_refresh(
    tx: &mut Transaction<'_, Postgres>,
    hash: &[u8],
) -> sqlx::Result<Option<RefreshRow>> {
    let row = sqlx::query(
        "SELECT t.family_id, t.user_id, t.device_id, u.role,
                (t.used_at IS NOT NULL OR t.revoked_at IS NOT NULL) AS spent,
                t.expires_at <= now() AS expired, u.disabled_at IS NOT NULL AS disabled
         FROM refresh_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 FOR UPDATE OF t",
    )
    .bind(hash)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        Ok(RefreshRow {
            family_id: r.try_get("family_id")?,
            user_id: r.try_get("user_id")?,
            device_id: r.try_get("device_id")?,
            role: r.try_get("role")?,
            spent: r.try_get("spent")?,
            expired: r.try_get("expired")?,
            disabled: r.try_get("disabled")?,
        })
    })
    .transpose()
}

pub async fn mark_used(tx: &mut Transaction<'_, Postgres>, hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query("UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1")
        .bind(hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn revoke_family(tx: &mut Transaction<'_, Postgres>, family: Uuid) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL",
    )
    .bind(family)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn revoke_device(pool: &PgPool, user_id: Uuid, device_id: Uuid) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND device_id = $2 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(device_id)
    .execute(pool)
    .await?;
    Ok(())
}

/// The stored password hash of a user, by id.
pub async fn password_hash(pool: &PgPool, user_id: Uuid) -> sqlx::Result<Option<(String, String)>> {
    let row = sqlx::query("SELECT email, password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(pool)
        .await?;
    row.map(|r| Ok((r.try_get("email")?, r.try_get("password_hash")?))).transpose()
}

/// Replaces the password hash if it is still `old_hash` (false if it changed meanwhile).
pub async fn swap_password_hash(
    tx: &mut Transaction<'_, Postgres>,
    user_id: Uuid,
    old_hash: &str,
    new_hash: &str,
) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2")
        .bind(user_id)
        .bind(old_hash)
        .bind(new_hash)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Revokes every refresh token of the user (every device, every family).
pub async fn revoke_user(tx: &mut Transaction<'_, Postgres>, user_id: Uuid) -> sqlx::Result<u64> {
    let r = sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected())
}

/// The role of a user, by id (None if the account is gone).
pub async fn role(pool: &PgPool, user_id: Uuid) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(pool)
        .await
}

/// Whether the error is a foreign-key violation (the account was deleted meanwhile).
pub fn is_missing_owner(e: &sqlx::Error) -> bool {
    e.as_database_error().and_then(|d| d.code()).is_some_and(|c| c == "23503")
}
