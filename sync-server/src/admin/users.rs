//! Accounts as admins manage them: search (keyset-paged, filtered by email, plan and state),
//! detail (plan, usage, devices, last seen; never synced content, keys or hashes), disable and
//! enable, a plan override, and the GDPR export and erasure. Every change is audited in its
//! own transaction.

use chrono::{DateTime, Utc};
use qoder_sync::billing::UsageItem;
use qoder_sync::wire::{self, AdminUserRow, AdminUsersPage, AdminUsersQuery};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{PgPool, Postgres, QueryBuilder, Row};
use uuid::Uuid;

use crate::audit::{self, action};
use crate::billing::plans;
use crate::http::error::ApiError;
use crate::{AppState, db, gdpr};

/// The plan in force of `u` (an override, else the newest subscription in force, else Free).
const PLAN_OF_U: &str = "coalesce(u.plan_override, (SELECT s.plan_id FROM subscriptions s \
     WHERE s.user_id = u.id AND s.status IN ('active', 'trialing', 'past_due') \
     ORDER BY s.current_period_end DESC NULLS LAST LIMIT 1), 'free')";

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// One page of accounts matching the query, in id order. The ids of the page are found first
/// (keyset on the primary key, filters on indexed columns), then only those rows are detailed.
pub async fn search(pool: &PgPool, q: &AdminUsersQuery) -> Result<AdminUsersPage, ApiError> {
    if !(1..=wire::MAX_ADMIN_PAGE).contains(&q.limit) {
        return Err(ApiError::Validation(format!("limit: 1 to {}", wire::MAX_ADMIN_PAGE)));
    }
    let plan = q.plan.as_deref().filter(|p| !p.is_empty());
    let mut ids: QueryBuilder<Postgres> = QueryBuilder::new("SELECT u.id FROM ");
    match plan {
        // A paid plan: only accounts that could be on it (its override or a subscription to it,
        // a small set) are looked at, then checked for the plan in force.
        Some(p) if p != plans::FREE => {
            ids.push("(SELECT id FROM users WHERE plan_override = ")
                .push_bind(p.to_string())
                .push(" UNION SELECT user_id FROM subscriptions WHERE plan_id = ")
                .push_bind(p.to_string())
                .push(") c JOIN users u ON u.id = c.id WHERE true");
        }
        _ => {
            ids.push("users u WHERE true");
        }
    }
    if let Some(after) = q.after {
        ids.push(" AND u.id > ").push_bind(after);
    }
    if let Some(email) = q.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        ids.push(" AND u.email LIKE ")
            .push_bind(format!("%{}%", like_escape(&email.to_lowercase())));
    }
    if let Some(disabled) = q.disabled {
        ids.push(if disabled {
            " AND u.disabled_at IS NOT NULL"
        } else {
            " AND u.disabled_at IS NULL"
        });
    }
    if let Some(p) = plan {
        ids.push(format!(" AND {PLAN_OF_U} = ")).push_bind(p.to_string());
    }
    ids.push(" ORDER BY u.id LIMIT ").push_bind(q.limit + 1);
    let mut page: Vec<Uuid> = ids
        .build()
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    let more = page.len() as i64 > q.limit;
    page.truncate(usize::try_from(q.limit).unwrap_or(0));
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT u.id, u.email, u.role, u.created_at, u.disabled_at, {PLAN_OF_U} AS plan,
                (SELECT count(*) FROM devices d WHERE d.user_id = u.id) AS devices,
                (SELECT max(t.created_at) FROM refresh_tokens t WHERE t.user_id = u.id) AS last_seen,
                coalesce(au.bytes, 0)::bigint AS bytes, r.n AS records, r.last_push
         FROM users u
         LEFT JOIN account_usage au ON au.user_id = u.id
         LEFT JOIN LATERAL (SELECT count(*) AS n, max(created_at) AS last_push
                            FROM records WHERE user_id = u.id) r ON true
         WHERE u.id = ANY($1)
         ORDER BY u.id"
    )))
    .bind(&page)
    .fetch_all(pool)
    .await?;
    let users = rows
        .iter()
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
                plan: r.try_get("plan")?,
                disabled_at: r.try_get("disabled_at")?,
                last_seen: r.try_get("last_seen")?,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    let next = if more { users.last().map(|u| u.id) } else { None };
    Ok(AdminUsersPage { users, next })
}

/// One device of an account.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Device {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    /// Its latest sign-in or token refresh still on record.
    pub last_seen: Option<DateTime<Utc>>,
    /// Whether it holds a refresh token that is neither spent, revoked nor expired.
    pub signed_in: bool,
}

/// Where the plan in force comes from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanInForce {
    pub id: String,
    /// `override` (an admin's), `subscription` (Stripe) or `free`.
    pub source: String,
    pub subscription_status: Option<String>,
    pub current_period_end: Option<DateTime<Utc>>,
}

/// An account as an admin sees it: no synced content, keys or password hash.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UserDetail {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub plan: PlanInForce,
    pub plan_override: Option<String>,
    pub usage: Vec<UsageItem>,
    pub devices: Vec<Device>,
    pub last_seen: Option<DateTime<Utc>>,
    pub records: i64,
    pub ciphertext_bytes: i64,
    /// Hosted-AI calls and their cost over the last 30 days.
    pub ai_calls_30d: i64,
    pub ai_cost_usd_30d: f64,
    /// Feature flags set for this account alone.
    pub flag_overrides: std::collections::BTreeMap<String, bool>,
}

pub async fn detail(state: &AppState, id: Uuid) -> Result<UserDetail, ApiError> {
    let pool = &state.pool;
    let row = sqlx::query(
        "SELECT u.id, u.email, u.role, u.created_at, u.disabled_at, u.plan_override,
                (SELECT max(t.created_at) FROM refresh_tokens t WHERE t.user_id = u.id) AS last_seen,
                (SELECT count(*) FROM records r WHERE r.user_id = u.id) AS records,
                coalesce((SELECT bytes FROM account_usage a WHERE a.user_id = u.id), 0)::bigint AS bytes,
                (SELECT count(*) FROM ai_calls c
                  WHERE c.user_id = u.id AND c.created_at > now() - interval '30 days') AS ai_calls,
                (SELECT coalesce(sum(cost_usd), 0)::float8 FROM ai_calls c
                  WHERE c.user_id = u.id AND c.created_at > now() - interval '30 days') AS ai_cost
         FROM users u WHERE u.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(ApiError::NotFound("no such account"))?;
    let plan_override: Option<String> = row.try_get("plan_override")?;
    let sub = crate::billing::subscriptions::current(pool, id).await?;
    let plan = match (&plan_override, &sub) {
        (Some(p), _) => PlanInForce {
            id: p.clone(),
            source: "override".into(),
            subscription_status: sub.as_ref().map(|s| s.status.clone()),
            current_period_end: sub.as_ref().and_then(|s| s.current_period_end),
        },
        (None, _) => {
            let id = plans::plan_of(pool, id).await?;
            let source = if id == plans::FREE { "free" } else { "subscription" };
            PlanInForce {
                id,
                source: source.into(),
                subscription_status: sub.as_ref().map(|s| s.status.clone()),
                current_period_end: sub.as_ref().and_then(|s| s.current_period_end),
            }
        }
    };
    let usage = match plans::get(pool, &plan.id, &state.billing.prices).await? {
        Some(p) => crate::billing::usage::report(pool, id, &p, Utc::now()).await?,
        None => Vec::new(),
    };
    let devices = sqlx::query(
        "SELECT d.id, d.created_at,
                (SELECT max(t.created_at) FROM refresh_tokens t
                  WHERE t.user_id = d.user_id AND t.device_id = d.id) AS last_seen,
                EXISTS (SELECT 1 FROM refresh_tokens t
                         WHERE t.user_id = d.user_id AND t.device_id = d.id AND t.used_at IS NULL
                           AND t.revoked_at IS NULL AND t.expires_at > now()) AS signed_in
         FROM devices d WHERE d.user_id = $1 ORDER BY d.created_at",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(Device {
            id: r.try_get("id")?,
            created_at: r.try_get("created_at")?,
            last_seen: r.try_get("last_seen")?,
            signed_in: r.try_get("signed_in")?,
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;
    let flag_overrides: Vec<(String, bool)> = sqlx::query_as(
        "SELECT flag, enabled FROM feature_flag_overrides WHERE user_id = $1 ORDER BY flag",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(UserDetail {
        id,
        email: row.try_get("email")?,
        role: row.try_get("role")?,
        created_at: row.try_get("created_at")?,
        disabled_at: row.try_get("disabled_at")?,
        plan,
        plan_override,
        usage,
        devices,
        last_seen: row.try_get("last_seen")?,
        records: row.try_get("records")?,
        ciphertext_bytes: row.try_get("bytes")?,
        ai_calls_30d: row.try_get("ai_calls")?,
        ai_cost_usd_30d: row.try_get("ai_cost")?,
        flag_overrides: flag_overrides.into_iter().collect(),
    })
}

/// Body of `POST /api/admin/users/{id}/disable`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DisableRequest {
    /// Why (kept in the audit log).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Refuses acting on oneself or on another admin (revoke the role first) where that would lock
/// admins out.
async fn refuse_admin_target(
    pool: &PgPool,
    ctx: &audit::Ctx,
    id: Uuid,
    what: &str,
) -> Result<(), ApiError> {
    if ctx.actor == Some(id) {
        return Err(ApiError::Conflict(format!("an admin cannot {what} their own account")));
    }
    match db::account::role(pool, id).await? {
        None => Err(ApiError::NotFound("no such account")),
        Some(r) if r == super::Role::Admin.as_str() => Err(ApiError::Conflict(format!(
            "this account is an admin: revoke the role (qoder-server admin revoke) before you {what} it"
        ))),
        Some(_) => Ok(()),
    }
}

/// Disables (`disable`) or enables an account. Disabling revokes every sign-in in the same
/// transaction; its access tokens stop working at once (every process drops its copy of the
/// disabled set on the change notice; this one at once).
pub async fn set_disabled(
    state: &AppState,
    ctx: &audit::Ctx,
    id: Uuid,
    disable: bool,
    reason: Option<String>,
) -> Result<UserDetail, ApiError> {
    refuse_admin_target(&state.pool, ctx, id, if disable { "disable" } else { "enable" }).await?;
    if reason.as_ref().is_some_and(|r| r.len() > 1000) {
        return Err(ApiError::Validation("reason: at most 1000 characters".into()));
    }
    let mut tx = state.pool.begin().await?;
    let sql = if disable {
        "UPDATE users SET disabled_at = now() WHERE id = $1 AND disabled_at IS NULL"
    } else {
        "UPDATE users SET disabled_at = NULL WHERE id = $1 AND disabled_at IS NOT NULL"
    };
    let changed = sqlx::query(sql).bind(id).execute(&mut *tx).await?.rows_affected() == 1;
    if changed {
        let revoked = if disable { db::account::revoke_user(&mut tx, id).await? } else { 0 };
        audit::record(
            &mut *tx,
            ctx,
            if disable { action::USER_DISABLED } else { action::USER_ENABLED },
            Some(&audit::user(id)),
            json!({"reason": reason, "sessions_revoked": revoked}),
        )
        .await?;
    }
    tx.commit().await?;
    state.billing.flags.invalidate();
    detail(state, id).await
}

/// Body of `PUT /api/admin/users/{id}/plan`: a plan id, or null to drop the override.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanOverride {
    pub plan_id: Option<String>,
}

pub async fn set_plan(
    state: &AppState,
    ctx: &audit::Ctx,
    id: Uuid,
    plan: Option<String>,
) -> Result<UserDetail, ApiError> {
    let mut tx = state.pool.begin().await?;
    if let Some(p) = &plan
        && plans::get(&mut *tx, p, &state.billing.prices).await?.is_none()
    {
        return Err(ApiError::Validation(format!("plan_id: no plan {p:?}")));
    }
    let old: Option<Option<String>> =
        sqlx::query_scalar("SELECT plan_override FROM users WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let old = old.ok_or(ApiError::NotFound("no such account"))?;
    if old != plan {
        sqlx::query("UPDATE users SET plan_override = $2 WHERE id = $1")
            .bind(id)
            .bind(&plan)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut *tx,
            ctx,
            action::PLAN_OVERRIDE,
            Some(&audit::user(id)),
            json!({"from": old, "to": plan}),
        )
        .await?;
    }
    tx.commit().await?;
    detail(state, id).await
}

/// GDPR erasure by an admin (not of an admin account, nor of oneself).
pub async fn erase(
    state: &AppState,
    ctx: &audit::Ctx,
    id: Uuid,
) -> Result<gdpr::Receipt, ApiError> {
    refuse_admin_target(&state.pool, ctx, id, "erase").await?;
    gdpr::erase(&state.pool, ctx, id, action::USER_ERASED).await
}
