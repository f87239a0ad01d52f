//! Retention policies (design "Data Retention Policy Management"): per data type, rows older
//! than the policy's days are deleted when it runs. A dry run counts them; an execution deletes
//! them and keeps its report on the policy; both, and every change of a policy, are audited in
//! their transaction. Defaults (migration 0008): audit log, hosted-AI calls and spend 2,555 days
//! (design AUDIT_LOG_RETENTION_DAYS and AUTO_ANONYMIZATION_DAYS), usage counters 400, processed
//! Stripe event ids 30. The audit log cannot go below 2,555 days: its table refuses deleting
//! younger rows.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

use crate::AppState;
use crate::audit::{self, action};
use crate::http::error::ApiError;

/// The least retention of the audit log (migration 0008's trigger holds it too).
pub const AUDIT_MIN_DAYS: i32 = 2555;
/// The longest retention accepted (100 years).
pub const MAX_DAYS: i32 = 36_500;

/// The table and time column of each data type (constants: never input in SQL).
fn source(data_type: &str) -> Option<(&'static str, &'static str)> {
    Some(match data_type {
        "audit_log" => ("audit_log", "at"),
        "ai_calls" => ("ai_calls", "created_at"),
        "ai_daily_spend" => ("ai_daily_spend", "day"),
        "usage_counters" => ("usage_counters", "period_start"),
        "stripe_events" => ("stripe_events", "processed_at"),
        _ => return None,
    })
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Policy {
    pub data_type: String,
    pub retention_days: i32,
    pub description: String,
    pub last_run_at: Option<DateTime<Utc>>,
    /// Rows the latest execution deleted.
    pub last_deleted: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Policies {
    pub policies: Vec<Policy>,
}

/// Body of `PUT /api/admin/retention/{data_type}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetRetention {
    pub retention_days: i32,
}

/// Body of `POST /api/admin/retention/run`: one data type or all; a dry run only counts.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunRequest {
    #[serde(default)]
    pub data_type: Option<String>,
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunItem {
    pub data_type: String,
    pub retention_days: i32,
    /// Rows older than this are (or would be) deleted.
    pub cutoff: DateTime<Utc>,
    /// Rows deleted, or that a dry run would delete.
    pub rows: i64,
}

/// What a run did.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunReport {
    pub dry_run: bool,
    pub at: DateTime<Utc>,
    pub items: Vec<RunItem>,
}

pub async fn list(state: &AppState) -> Result<Policies, ApiError> {
    let rows = sqlx::query(
        "SELECT data_type, retention_days, description, last_run_at, last_deleted, updated_at
         FROM retention_policies ORDER BY data_type",
    )
    .fetch_all(&state.pool)
    .await?;
    let policies = rows
        .iter()
        .map(|r| {
            Ok(Policy {
                data_type: r.try_get("data_type")?,
                retention_days: r.try_get("retention_days")?,
                description: r.try_get("description")?,
                last_run_at: r.try_get("last_run_at")?,
                last_deleted: r.try_get("last_deleted")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .collect::<sqlx::Result<_>>()?;
    Ok(Policies { policies })
}

pub async fn set(
    state: &AppState,
    ctx: &audit::Ctx,
    data_type: &str,
    days: i32,
) -> Result<Policies, ApiError> {
    if source(data_type).is_none() {
        return Err(ApiError::NotFound("no such data type"));
    }
    let least = if data_type == "audit_log" { AUDIT_MIN_DAYS } else { 1 };
    if !(least..=MAX_DAYS).contains(&days) {
        return Err(ApiError::Validation(format!(
            "retention_days: {least} to {MAX_DAYS} for {data_type}"
        )));
    }
    let mut tx = state.pool.begin().await?;
    let old: i32 = sqlx::query_scalar(
        "SELECT retention_days FROM retention_policies WHERE data_type = $1 FOR UPDATE",
    )
    .bind(data_type)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound("no such data type"))?;
    if old != days {
        sqlx::query(
            "UPDATE retention_policies SET retention_days = $2, updated_at = now() WHERE data_type = $1",
        )
        .bind(data_type)
        .bind(days)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut *tx,
            ctx,
            action::RETENTION_CHANGED,
            Some(&format!("retention:{data_type}")),
            json!({"from": old, "to": days}),
        )
        .await?;
    }
    tx.commit().await?;
    list(state).await
}

/// Runs one policy or all of them, each in its own transaction with its audit row.
pub async fn run(
    state: &AppState,
    ctx: &audit::Ctx,
    req: &RunRequest,
) -> Result<RunReport, ApiError> {
    let all = list(state).await?.policies;
    let chosen: Vec<&Policy> = match &req.data_type {
        Some(t) => {
            let p = all.iter().find(|p| &p.data_type == t);
            vec![p.ok_or(ApiError::NotFound("no such data type"))?]
        }
        None => all.iter().collect(),
    };
    let mut items = Vec::new();
    for p in chosen {
        let Some((table, column)) = source(&p.data_type) else { continue };
        let mut tx = state.pool.begin().await?;
        let cutoff: DateTime<Utc> = sqlx::query_scalar("SELECT now() - make_interval(days => $1)")
            .bind(p.retention_days)
            .fetch_one(&mut *tx)
            .await?;
        let rows: i64 = if req.dry_run {
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FROM {table} WHERE {column} < $1"
            )))
            .bind(cutoff)
            .fetch_one(&mut *tx)
            .await?
        } else {
            let n = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE {column} < $1"
            )))
            .bind(cutoff)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let n = i64::try_from(n).unwrap_or(i64::MAX);
            sqlx::query(
                "UPDATE retention_policies SET last_run_at = now(), last_deleted = $2 WHERE data_type = $1",
            )
            .bind(&p.data_type)
            .bind(n)
            .execute(&mut *tx)
            .await?;
            n
        };
        audit::record(
            &mut *tx,
            ctx,
            action::RETENTION_RUN,
            Some(&format!("retention:{}", p.data_type)),
            json!({"dry_run": req.dry_run, "retention_days": p.retention_days,
                   "cutoff": cutoff, "rows": rows}),
        )
        .await?;
        tx.commit().await?;
        items.push(RunItem {
            data_type: p.data_type.clone(),
            retention_days: p.retention_days,
            cutoff,
            rows,
        });
    }
    Ok(RunReport { dry_run: req.dry_run, at: Utc::now(), items })
}
