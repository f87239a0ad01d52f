//! Roles (`user`, `admin`) and what admins may do. Admins see totals and per-account figures,
//! never ciphertext, keys or password hashes. One module per screen of the console: `users`,
//! `flags`, `retention`, `health`; the audit log is `crate::audit`, exports `crate::gdpr`.

pub mod flags;
pub mod health;
pub mod live;
pub mod providers;
pub mod retention;
pub mod usage;
pub mod users;

use qoder_sync::wire::{AdminStats, AdminUsersPage, AdminUsersQuery};
use serde_json::json;
use sqlx::PgPool;

use crate::http::error::ApiError;
use crate::{audit, db};

/// The two roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    User,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }
}

/// Normalised email (as accounts are keyed).
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Gives the account with this email a role (audited, `qoder-server admin grant|revoke`); an
/// error if there is no such account.
pub async fn set_role(pool: &PgPool, email: &str, role: Role) -> anyhow::Result<()> {
    let email = normalize_email(email);
    let mut tx = pool.begin().await?;
    let Some(id) = db::admin::set_role(&mut *tx, &email, role.as_str()).await? else {
        anyhow::bail!("no account with the email {email}");
    };
    audit::record(
        &mut *tx,
        &audit::Ctx::system(),
        audit::action::ROLE_CHANGED,
        Some(&audit::user(id)),
        json!({"role": role.as_str(), "by": "qoder-server admin"}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An access token of the admin account with this email, for the web console (`qoder-server
/// admin token`); audited. An error if there is no such account or it is not an admin.
pub async fn console_token(
    pool: &PgPool,
    keys: &crate::auth::TokenKeys,
    email: &str,
) -> anyhow::Result<String> {
    let email = normalize_email(email);
    let mut tx = pool.begin().await?;
    let row: Option<(uuid::Uuid, String)> =
        sqlx::query_as("SELECT id, role FROM users WHERE email = $1 AND disabled_at IS NULL")
            .bind(&email)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((id, role)) = row else {
        anyhow::bail!("no enabled account with the email {email}");
    };
    if role != Role::Admin.as_str() {
        anyhow::bail!("{email} is not an admin (qoder-server admin grant {email})");
    }
    // A device id of its own: the console is not one of the account's sync devices.
    let token = keys.issue(id, uuid::Uuid::now_v7(), &role).map_err(|e| anyhow::anyhow!("{e}"))?;
    audit::record(
        &mut *tx,
        &audit::Ctx::system(),
        audit::action::CONSOLE_TOKEN,
        Some(&audit::user(id)),
        json!({"by": "qoder-server admin token"}),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

pub async fn stats(pool: &PgPool) -> Result<AdminStats, ApiError> {
    Ok(db::admin::stats(pool).await?)
}

pub async fn users(pool: &PgPool, q: AdminUsersQuery) -> Result<AdminUsersPage, ApiError> {
    users::search(pool, &q).await
}
