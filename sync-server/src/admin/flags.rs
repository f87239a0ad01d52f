//! Feature flags as admins manage them (the flags of the billing issue, `billing::flags`): list
//! with their per-plan and per-user overrides, toggle a default, set or drop an override. Each
//! change is audited in its transaction; the tables' triggers tell every process to drop its
//! cached copy, and this process drops its own at once.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;
use uuid::Uuid;

use crate::AppState;
use crate::audit::{self, action};
use crate::http::error::ApiError;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UserOverride {
    pub user_id: Uuid,
    pub email: String,
    pub enabled: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Flag {
    pub key: String,
    pub enabled: bool,
    pub description: String,
    /// Plan id → the value on that plan.
    pub plans: std::collections::BTreeMap<String, bool>,
    pub users: Vec<UserOverride>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FlagList {
    pub flags: Vec<Flag>,
}

/// Body of the flag routes: the value to set.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetFlag {
    pub enabled: bool,
}

pub async fn list(state: &AppState) -> Result<FlagList, ApiError> {
    let defaults: Vec<(String, bool, String)> =
        sqlx::query_as("SELECT key, enabled, description FROM feature_flags ORDER BY key")
            .fetch_all(&state.pool)
            .await?;
    let overrides = sqlx::query(
        "SELECT o.flag, o.plan_id, o.user_id, u.email, o.enabled
         FROM feature_flag_overrides o LEFT JOIN users u ON u.id = o.user_id
         ORDER BY o.flag, o.plan_id, u.email",
    )
    .fetch_all(&state.pool)
    .await?;
    let mut flags: Vec<Flag> = defaults
        .into_iter()
        .map(|(key, enabled, description)| Flag {
            key,
            enabled,
            description,
            plans: Default::default(),
            users: Vec::new(),
        })
        .collect();
    for r in overrides {
        let key: String = r.try_get("flag")?;
        let Some(f) = flags.iter_mut().find(|f| f.key == key) else { continue };
        let enabled: bool = r.try_get("enabled")?;
        match (r.try_get::<Option<String>, _>("plan_id")?, r.try_get::<Option<Uuid>, _>("user_id")?)
        {
            (Some(p), _) => {
                f.plans.insert(p, enabled);
            }
            (None, Some(u)) => f.users.push(UserOverride {
                user_id: u,
                email: r.try_get::<Option<String>, _>("email")?.unwrap_or_default(),
                enabled,
            }),
            (None, None) => {}
        }
    }
    Ok(FlagList { flags })
}

async fn flag_exists(db: &mut sqlx::PgConnection, key: &str) -> Result<bool, ApiError> {
    let old: Option<bool> =
        sqlx::query_scalar("SELECT enabled FROM feature_flags WHERE key = $1 FOR UPDATE")
            .bind(key)
            .fetch_optional(db)
            .await?;
    Ok(old.is_some())
}

/// Sets a flag's default.
pub async fn set_default(
    state: &AppState,
    ctx: &audit::Ctx,
    key: &str,
    enabled: bool,
) -> Result<FlagList, ApiError> {
    let mut tx = state.pool.begin().await?;
    let old: Option<bool> =
        sqlx::query_scalar("SELECT enabled FROM feature_flags WHERE key = $1 FOR UPDATE")
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
    let old = old.ok_or(ApiError::NotFound("no such feature flag"))?;
    if old != enabled {
        sqlx::query("UPDATE feature_flags SET enabled = $2 WHERE key = $1")
            .bind(key)
            .bind(enabled)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut *tx,
            ctx,
            action::FLAG_CHANGED,
            Some(&format!("flag:{key}")),
            json!({"from": old, "to": enabled}),
        )
        .await?;
    }
    tx.commit().await?;
    state.billing.flags.invalidate();
    list(state).await
}

/// Whom an override is for.
#[derive(Clone, Debug)]
pub enum Scope {
    Plan(String),
    User(Uuid),
}

/// Sets (`Some`) or drops (`None`) an override of `key` for a plan or an account.
pub async fn set_override(
    state: &AppState,
    ctx: &audit::Ctx,
    key: &str,
    scope: Scope,
    enabled: Option<bool>,
) -> Result<FlagList, ApiError> {
    let mut tx = state.pool.begin().await?;
    if !flag_exists(&mut tx, key).await? {
        return Err(ApiError::NotFound("no such feature flag"));
    }
    let (exists, target): (bool, String) = match &scope {
        Scope::Plan(p) => (
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM plans WHERE id = $1)")
                .bind(p)
                .fetch_one(&mut *tx)
                .await?,
            format!("plan:{p}"),
        ),
        Scope::User(u) => (
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)")
                .bind(u)
                .fetch_one(&mut *tx)
                .await?,
            audit::user(*u),
        ),
    };
    if !exists {
        return Err(ApiError::NotFound(match scope {
            Scope::Plan(_) => "no such plan",
            Scope::User(_) => "no such account",
        }));
    }
    let old: Option<bool> = match &scope {
        Scope::Plan(p) => sqlx::query_scalar(
            "DELETE FROM feature_flag_overrides WHERE flag = $1 AND plan_id = $2 RETURNING enabled",
        )
        .bind(key)
        .bind(p)
        .fetch_optional(&mut *tx)
        .await?,
        Scope::User(u) => sqlx::query_scalar(
            "DELETE FROM feature_flag_overrides WHERE flag = $1 AND user_id = $2 RETURNING enabled",
        )
        .bind(key)
        .bind(u)
        .fetch_optional(&mut *tx)
        .await?,
    };
    if let Some(on) = enabled {
        let q = sqlx::query(
            "INSERT INTO feature_flag_overrides (flag, plan_id, user_id, enabled) VALUES ($1, $2, $3, $4)",
        )
        .bind(key);
        match &scope {
            Scope::Plan(p) => q.bind(Some(p.clone())).bind(None::<Uuid>),
            Scope::User(u) => q.bind(None::<String>).bind(Some(*u)),
        }
        .bind(on)
        .execute(&mut *tx)
        .await?;
    }
    if old != enabled {
        audit::record(
            &mut *tx,
            ctx,
            action::FLAG_OVERRIDE,
            Some(&format!("flag:{key}")),
            json!({"for": target, "from": old, "to": enabled}),
        )
        .await?;
    }
    tx.commit().await?;
    state.billing.flags.invalidate();
    list(state).await
}
