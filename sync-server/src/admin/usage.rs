//! `GET /api/admin/activity` and `GET /api/admin/llm`: daily series for the console's overview
//! chart and its LLM cost screen (design 12.1 "LLM Cost Dashboard"), read from `users`,
//! `audit_log` and the hosted-AI call records (`ai_calls`). Days are UTC; days without
//! anything are zeros, so a chart has no gaps.

use chrono::{Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgPool, Row};

use crate::http::error::ApiError;

/// `?days=` of both routes: 1 to 366, 30 by default.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DaysQuery {
    pub days: Option<i32>,
}

impl DaysQuery {
    fn days(&self) -> Result<i32, ApiError> {
        match self.days.unwrap_or(30) {
            d @ 1..=366 => Ok(d),
            _ => Err(ApiError::Validation("days must be 1 to 366".into())),
        }
    }
}

/// One UTC day of the service.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ActivityDay {
    pub day: NaiveDate,
    /// Accounts created.
    pub signups: i64,
    /// Audit-log entries (sign-ins, failed sign-ins, admin actions…).
    pub audit_events: i64,
    /// Failed sign-ins and lockouts among them.
    pub failed_logins: i64,
    pub ai_calls: i64,
    pub ai_cost_usd: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Activity {
    pub days: Vec<ActivityDay>,
}

pub async fn activity(pool: &PgPool, q: &DaysQuery) -> Result<Activity, ApiError> {
    let days = q.days()?;
    let rows = sqlx::query(
        "WITH d AS (SELECT generate_series((now() AT TIME ZONE 'UTC')::date - ($1 - 1),
                                           (now() AT TIME ZONE 'UTC')::date, interval '1 day')::date AS day),
              s AS (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM users
                    WHERE created_at >= (SELECT min(day) FROM d) GROUP BY 1),
              a AS (SELECT (at AT TIME ZONE 'UTC')::date AS day, count(*) AS n,
                           count(*) FILTER (WHERE action IN ('auth.login_failed', 'auth.lockout')) AS failed
                    FROM audit_log WHERE at >= (SELECT min(day) FROM d) GROUP BY 1),
              c AS (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n,
                           coalesce(sum(cost_usd), 0) AS cost
                    FROM ai_calls WHERE created_at >= (SELECT min(day) FROM d) GROUP BY 1)
         SELECT d.day, coalesce(s.n, 0) AS signups, coalesce(a.n, 0) AS audit_events,
                coalesce(a.failed, 0) AS failed_logins, coalesce(c.n, 0) AS ai_calls,
                coalesce(c.cost, 0)::float8 AS ai_cost_usd
         FROM d LEFT JOIN s USING (day) LEFT JOIN a USING (day) LEFT JOIN c USING (day)
         ORDER BY d.day",
    )
    .bind(days)
    .fetch_all(pool)
    .await?;
    let days = rows
        .iter()
        .map(|r| {
            Ok(ActivityDay {
                day: r.try_get("day")?,
                signups: r.try_get("signups")?,
                audit_events: r.try_get("audit_events")?,
                failed_logins: r.try_get("failed_logins")?,
                ai_calls: r.try_get("ai_calls")?,
                ai_cost_usd: r.try_get("ai_cost_usd")?,
            })
        })
        .collect::<sqlx::Result<_>>()?;
    Ok(Activity { days })
}

/// Hosted-AI calls of one day, or of one feature, provider or model over the period.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct LlmFigures {
    /// The day (`YYYY-MM-DD`), feature, provider or model; `total` for the whole period.
    pub key: String,
    pub calls: i64,
    /// Calls that did not end `ok`.
    pub errors: i64,
    pub cache_hits: i64,
    pub tokens_in: i64,
    pub tokens_out: i64,
    pub cost_usd: f64,
    /// Mean provider latency.
    pub avg_latency_ms: f64,
}

/// This UTC month's spend against the global daily budget.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MonthSpend {
    pub spent_usd: f64,
    /// Spent so far, continued at this month's daily mean to the month's end.
    pub projected_usd: f64,
    /// The global daily budget (`ai_global_daily_budget_usd`) times the month's days.
    pub budget_usd: f64,
    pub days_elapsed: u32,
    pub days_in_month: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LlmUsage {
    pub days: i32,
    pub total: LlmFigures,
    /// Cache hits / calls, 0 to 1.
    pub cache_hit_rate: f64,
    /// What the cache hits would have cost at the mean cost of a paid call.
    pub cache_savings_usd: f64,
    pub by_day: Vec<LlmFigures>,
    pub by_feature: Vec<LlmFigures>,
    pub by_provider: Vec<LlmFigures>,
    pub by_model: Vec<LlmFigures>,
    pub month: MonthSpend,
    pub daily_budget_usd: f64,
}

const FIGURES: &str = "count(*) AS calls, count(*) FILTER (WHERE outcome <> 'ok') AS errors,
     count(*) FILTER (WHERE cache_hit) AS cache_hits,
     coalesce(sum(tokens_in), 0)::bigint AS tokens_in, coalesce(sum(tokens_out), 0)::bigint AS tokens_out,
     coalesce(sum(cost_usd), 0)::float8 AS cost_usd, coalesce(avg(latency_ms), 0)::float8 AS avg_latency_ms";

fn figures(r: &sqlx::postgres::PgRow) -> sqlx::Result<LlmFigures> {
    Ok(LlmFigures {
        key: r.try_get("key")?,
        calls: r.try_get("calls")?,
        errors: r.try_get("errors")?,
        cache_hits: r.try_get("cache_hits")?,
        tokens_in: r.try_get("tokens_in")?,
        tokens_out: r.try_get("tokens_out")?,
        cost_usd: r.try_get("cost_usd")?,
        avg_latency_ms: r.try_get("avg_latency_ms")?,
    })
}

async fn grouped(pool: &PgPool, column: &str, days: i32) -> sqlx::Result<Vec<LlmFigures>> {
    let sql = format!(
        "SELECT {column} AS key, {FIGURES} FROM ai_calls
         WHERE created_at >= (now() AT TIME ZONE 'UTC')::date - ($1 - 1)
         GROUP BY 1 ORDER BY cost_usd DESC, key"
    );
    // Built from constants only (the column is one of three literals below).
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(days)
        .fetch_all(pool)
        .await?
        .iter()
        .map(figures)
        .collect()
}

pub async fn llm(pool: &PgPool, daily_budget: f64, q: &DaysQuery) -> Result<LlmUsage, ApiError> {
    let days = q.days()?;
    let since = "created_at >= (now() AT TIME ZONE 'UTC')::date - ($1 - 1)";
    // The dynamic SQL below is built from constants only.
    let total = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT 'total' AS key, {FIGURES} FROM ai_calls WHERE {since}"
    )))
    .bind(days)
    .fetch_one(pool)
    .await?;
    let total = figures(&total)?;
    let by_day = sqlx::query(sqlx::AssertSqlSafe(format!(
        "WITH d AS (SELECT generate_series((now() AT TIME ZONE 'UTC')::date - ($1 - 1),
                                           (now() AT TIME ZONE 'UTC')::date, interval '1 day')::date AS day),
              c AS (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, {FIGURES}
                    FROM ai_calls WHERE {since} GROUP BY 1)
         SELECT to_char(d.day, 'YYYY-MM-DD') AS key, coalesce(c.calls, 0) AS calls,
                coalesce(c.errors, 0) AS errors, coalesce(c.cache_hits, 0) AS cache_hits,
                coalesce(c.tokens_in, 0)::bigint AS tokens_in, coalesce(c.tokens_out, 0)::bigint AS tokens_out,
                coalesce(c.cost_usd, 0)::float8 AS cost_usd, coalesce(c.avg_latency_ms, 0)::float8 AS avg_latency_ms
         FROM d LEFT JOIN c USING (day) ORDER BY d.day"
    )))
    .bind(days)
    .fetch_all(pool)
    .await?
    .iter()
    .map(figures)
    .collect::<sqlx::Result<Vec<_>>>()?;
    let by_feature = grouped(pool, "feature", days).await?;
    let by_provider = grouped(pool, "provider", days).await?;
    let by_model = grouped(pool, "model", days).await?;

    let spent_usd: f64 = sqlx::query_scalar(
        "SELECT coalesce(sum(cost_usd), 0)::float8 FROM ai_daily_spend
         WHERE scope = 'all' AND day >= date_trunc('month', now() AT TIME ZONE 'UTC')::date",
    )
    .fetch_one(pool)
    .await?;
    let today = Utc::now().date_naive();
    let days_elapsed = today.day();
    let days_in_month = days_in_month(today);
    let projected_usd = spent_usd / f64::from(days_elapsed) * f64::from(days_in_month);

    let paid = total.calls - total.cache_hits;
    let cache_savings_usd =
        if paid > 0 { total.cost_usd / paid as f64 * total.cache_hits as f64 } else { 0.0 };
    let cache_hit_rate =
        if total.calls > 0 { total.cache_hits as f64 / total.calls as f64 } else { 0.0 };
    Ok(LlmUsage {
        days,
        cache_hit_rate,
        cache_savings_usd,
        total,
        by_day,
        by_feature,
        by_provider,
        by_model,
        month: MonthSpend {
            spent_usd,
            projected_usd,
            budget_usd: daily_budget * f64::from(days_in_month),
            days_elapsed,
            days_in_month,
        },
        daily_budget_usd: daily_budget,
    })
}

pub(crate) fn days_in_month(d: NaiveDate) -> u32 {
    let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|next| next.pred_opt()).map_or(30, |last| last.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_lengths() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(days_in_month(d(2026, 2, 10)), 28);
        assert_eq!(days_in_month(d(2028, 2, 1)), 29);
        assert_eq!(days_in_month(d(2026, 12, 31)), 31);
        assert_eq!(days_in_month(d(2026, 4, 30)), 30);
    }

    #[test]
    fn days_are_bounded() {
        assert_eq!(DaysQuery::default().days().unwrap(), 30);
        assert!(DaysQuery { days: Some(0) }.days().is_err());
        assert!(DaysQuery { days: Some(367) }.days().is_err());
    }
}
