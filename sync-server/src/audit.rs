//! The audit log (design 10.3 "Audit Trail System"): security events and admin actions, each
//! written by [`record`] on the connection of the action's own transaction, so a row exists if
//! and only if the action happened. The table is append-only for every role (migration 0008's
//! triggers); rows leave only through the `audit_log` retention policy, after 2,555 days.
//! Admins read it with filters and paging, or export it as JSON or CSV.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{PgExecutor, PgPool, Postgres, QueryBuilder, Row};
use uuid::Uuid;

use crate::http::error::ApiError;

/// Who did it, from where: the acting account (if signed in), the client address, its
/// User-Agent and the request's id (`X-Request-Id`, echoed on every answer).
#[derive(Clone, Debug, Default)]
pub struct Ctx {
    pub actor: Option<Uuid>,
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

impl Ctx {
    /// The same request, acted by `actor`.
    pub fn by(&self, actor: Uuid) -> Ctx {
        Ctx { actor: Some(actor), ..self.clone() }
    }

    /// The server itself (a start-up setting, the `qoder-server admin` command).
    pub fn system() -> Ctx {
        Ctx::default()
    }
}

/// The actions recorded. Dotted: the first part is the area.
pub mod action {
    pub const REGISTER: &str = "auth.register";
    pub const LOGIN: &str = "auth.login";
    pub const LOGIN_FAILED: &str = "auth.login_failed";
    pub const LOCKOUT: &str = "auth.lockout";
    pub const LOGIN_DISABLED: &str = "auth.login_disabled";
    pub const PASSWORD_CHANGED: &str = "auth.password_changed";
    pub const RECOVERY_KEY_REPLACED: &str = "key.recovery_replaced";
    pub const ACCOUNT_ERASED: &str = "account.erased";
    pub const ACCOUNT_EXPORTED: &str = "account.exported";
    pub const PLAN_CHANGED: &str = "billing.plan_changed";
    pub const ROLE_CHANGED: &str = "admin.role_changed";
    pub const CONSOLE_TOKEN: &str = "admin.console_token";
    pub const USER_DISABLED: &str = "admin.user_disabled";
    pub const USER_ENABLED: &str = "admin.user_enabled";
    pub const PLAN_OVERRIDE: &str = "admin.plan_override";
    pub const USER_ERASED: &str = "admin.user_erased";
    pub const USER_EXPORTED: &str = "admin.user_exported";
    pub const FLAG_CHANGED: &str = "admin.flag_changed";
    pub const FLAG_OVERRIDE: &str = "admin.flag_override";
    pub const COUPON_CREATED: &str = "admin.coupon_created";
    pub const RETENTION_CHANGED: &str = "admin.retention_changed";
    pub const PROVIDERS_CHANGED: &str = "admin.providers_changed";
    pub const RETENTION_RUN: &str = "admin.retention_run";
    pub const AUDIT_EXPORTED: &str = "admin.audit_exported";
    pub const JOB_REPLAYED: &str = "admin.job_replayed";
}

/// The target naming an account.
pub fn user(id: Uuid) -> String {
    format!("user:{id}")
}

/// Writes one row on `db`: pass the action's transaction.
pub async fn record(
    db: impl PgExecutor<'_>,
    ctx: &Ctx,
    action: &str,
    target: Option<&str>,
    details: Value,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (actor, action, target, ip, user_agent, request_id, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)",
    )
    .bind(ctx.actor)
    .bind(action)
    .bind(target)
    .bind(ctx.ip.map(|i| i.to_string()))
    .bind(ctx.user_agent.as_deref())
    .bind(ctx.request_id.as_deref())
    .bind(details.to_string())
    .execute(db)
    .await?;
    Ok(())
}

/// One row as an admin reads it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<Uuid>,
    pub action: String,
    pub target: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    pub details: Value,
}

/// Query of `GET /api/admin/audit`: newest first; every filter optional. `action` is exact, or a
/// prefix when it ends with `*` (`auth.*`). `before`: the `next` of the previous page.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Filter {
    pub actor: Option<Uuid>,
    pub action: Option<String>,
    pub target: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub before: Option<i64>,
    pub limit: Option<i64>,
    /// `json` or `csv`: the whole selection as a download instead of a page.
    pub format: Option<String>,
}

/// A page of entries; `next` is the `before` of the following page.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Page {
    pub entries: Vec<Entry>,
    pub next: Option<i64>,
}

pub const MAX_PAGE: i64 = 500;
/// Most rows one export holds (narrow the time range for more).
pub const MAX_EXPORT: i64 = 100_000;

fn entry(r: &sqlx::postgres::PgRow) -> sqlx::Result<Entry> {
    Ok(Entry {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        target: r.try_get("target")?,
        ip: r.try_get("ip")?,
        user_agent: r.try_get("user_agent")?,
        request_id: r.try_get("request_id")?,
        details: serde_json::from_str(r.try_get("details")?)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
    })
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

async fn select(pool: &PgPool, f: &Filter, limit: i64) -> Result<Vec<Entry>, ApiError> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
        "SELECT id, at, actor, action, target, ip, user_agent, request_id, details::text AS details \
         FROM audit_log WHERE true",
    );
    if let Some(a) = f.actor {
        q.push(" AND actor = ").push_bind(a);
    }
    if let Some(a) = f.action.as_deref().filter(|a| !a.is_empty()) {
        match a.strip_suffix('*') {
            Some(prefix) => {
                q.push(" AND action LIKE ").push_bind(format!("{}%", like_escape(prefix)));
            }
            None => {
                q.push(" AND action = ").push_bind(a.to_string());
            }
        }
    }
    if let Some(t) = f.target.as_deref().filter(|t| !t.is_empty()) {
        q.push(" AND target = ").push_bind(t.to_string());
    }
    if let Some(from) = f.from {
        q.push(" AND at >= ").push_bind(from);
    }
    if let Some(to) = f.to {
        q.push(" AND at < ").push_bind(to);
    }
    if let Some(b) = f.before {
        q.push(" AND id < ").push_bind(b);
    }
    q.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
    let rows = q.build().fetch_all(pool).await?;
    rows.iter().map(entry).collect::<sqlx::Result<_>>().map_err(ApiError::from)
}

fn check(f: &Filter) -> Result<(), ApiError> {
    if let (Some(from), Some(to)) = (f.from, f.to)
        && from > to
    {
        return Err(ApiError::Validation("from: must not be after to".into()));
    }
    Ok(())
}

/// One page, newest first.
pub async fn page(pool: &PgPool, f: &Filter) -> Result<Page, ApiError> {
    check(f)?;
    let limit = f.limit.unwrap_or(100);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::Validation(format!("limit: 1 to {MAX_PAGE}")));
    }
    let mut entries = select(pool, f, limit + 1).await?;
    let more = entries.len() as i64 > limit;
    entries.truncate(usize::try_from(limit).unwrap_or(0));
    let next = if more { entries.last().map(|e| e.id) } else { None };
    Ok(Page { entries, next })
}

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    pub fn parse(s: &str) -> Result<Format, ApiError> {
        match s {
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            other => Err(ApiError::Validation(format!("format: json or csv, not {other:?}"))),
        }
    }
}

/// The whole selection (at most [`MAX_EXPORT`] rows, newest first) as a file; the export itself
/// is recorded, in the same transaction as nothing else (reading changes nothing).
pub async fn export(
    pool: &PgPool,
    ctx: &Ctx,
    f: &Filter,
    format: Format,
) -> Result<Vec<u8>, ApiError> {
    check(f)?;
    let entries = select(pool, f, MAX_EXPORT).await?;
    let bytes = match format {
        Format::Json => serde_json::to_vec_pretty(&entries).map_err(anyhow::Error::from)?,
        Format::Csv => to_csv(&entries)?,
    };
    record(
        pool,
        ctx,
        action::AUDIT_EXPORTED,
        None,
        serde_json::json!({
            "format": if format == Format::Json { "json" } else { "csv" },
            "rows": entries.len(),
            "filter": {"actor": f.actor, "action": f.action, "target": f.target,
                       "from": f.from, "to": f.to},
        }),
    )
    .await?;
    Ok(bytes)
}

fn to_csv(entries: &[Entry]) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| ApiError::Internal(e.into());
    w.write_record([
        "id",
        "at",
        "actor",
        "action",
        "target",
        "ip",
        "user_agent",
        "request_id",
        "details",
    ])
    .map_err(internal)?;
    for e in entries {
        w.write_record([
            e.id.to_string(),
            e.at.to_rfc3339(),
            e.actor.map(|a| a.to_string()).unwrap_or_default(),
            e.action.clone(),
            e.target.clone().unwrap_or_default(),
            e.ip.clone().unwrap_or_default(),
            e.user_agent.clone().unwrap_or_default(),
            e.request_id.clone().unwrap_or_default(),
            e.details.to_string(),
        ])
        .map_err(internal)?;
    }
    w.into_inner().map_err(|e| ApiError::Internal(anyhow::anyhow!("csv: {e}")))
}

/// Every row acted by or about `user` (for the account's export).
pub async fn about(db: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT id, at, actor, action, target, ip, user_agent, request_id, details::text AS details
         FROM audit_log WHERE actor = $1 OR target = $2 ORDER BY id",
    )
    .bind(user)
    .bind(self::user(user))
    .fetch_all(db)
    .await?;
    rows.iter().map(entry).collect()
}
