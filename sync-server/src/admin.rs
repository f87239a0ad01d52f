//! Roles (`user`, `admin`) and what admins may do. Admins see totals and per-account figures,
//! never ciphertext, keys or password hashes.

use qoder_sync::wire::{self, AdminStats, AdminUsersPage, AdminUsersQuery};
use sqlx::PgPool;

use crate::db;
use crate::http::error::ApiError;

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

/// Gives the account with this email a role; an error if there is no such account.
pub async fn set_role(pool: &PgPool, email: &str, role: Role) -> anyhow::Result<()> {
    let email = normalize_email(email);
    if !db::admin::set_role(pool, &email, role.as_str()).await? {
        anyhow::bail!("no account with the email {email}");
    }
    Ok(())
}

pub async fn stats(pool: &PgPool) -> Result<AdminStats, ApiError> {
    Ok(db::admin::stats(pool).await?)
}

pub async fn users(pool: &PgPool, q: AdminUsersQuery) -> Result<AdminUsersPage, ApiError> {
    if !(1..=wire::MAX_ADMIN_PAGE).contains(&q.limit) {
        return Err(ApiError::Validation(format!("limit: 1 to {}", wire::MAX_ADMIN_PAGE)));
    }
    let mut users = db::admin::users(pool, q.after, q.limit + 1).await?;
    let more = users.len() as i64 > q.limit;
    users.truncate(usize::try_from(q.limit).unwrap_or(0));
    let next = if more { users.last().map(|u| u.id) } else { None };
    Ok(AdminUsersPage { users, next })
}
