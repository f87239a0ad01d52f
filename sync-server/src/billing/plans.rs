//! Plans (rows of `plans`, design "SubscriptionPlan"), the plan in force for a user, and the
//! periods limits count over.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use qoder_sync::billing::{Plan, PlanLimits};
use sqlx::PgExecutor;
use uuid::Uuid;

/// The plan of a user with no paid subscription in force.
pub const FREE: &str = "free";

/// Stripe statuses under which a paid plan is in force. `past_due` keeps it while Stripe
/// retries the payment; `unpaid`, `canceled`, `incomplete*` and `paused` fall back to Free.
pub const IN_FORCE: [&str; 3] = ["active", "trialing", "past_due"];

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: String,
    name: String,
    price_cents: i32,
    currency: String,
    interval: String,
    interval_count: i32,
    discount_percent: i32,
    limit_period: String,
    resume_analysis_limit: Option<i32>,
    jd_matching_limit: Option<i32>,
    points_per_request: i32,
    points_daily_limit: i32,
}

impl PlanRow {
    fn into_plan(self, prices: &BTreeMap<String, String>) -> Plan {
        let purchasable = self.price_cents > 0 && prices.contains_key(&self.id);
        Plan {
            purchasable,
            id: self.id,
            name: self.name,
            price_cents: i64::from(self.price_cents),
            currency: self.currency,
            interval: self.interval,
            interval_count: i64::from(self.interval_count),
            discount_percent: i64::from(self.discount_percent),
            limits: PlanLimits {
                period: self.limit_period,
                resume_analysis: self.resume_analysis_limit.map(i64::from),
                jd_matching: self.jd_matching_limit.map(i64::from),
                points_per_request: i64::from(self.points_per_request),
                points_daily: i64::from(self.points_daily_limit),
            },
        }
    }
}

const COLUMNS: &str = "id, name, price_cents, currency, interval, interval_count, discount_percent, \
     limit_period, resume_analysis_limit, jd_matching_limit, points_per_request, points_daily_limit";

/// Every active plan, cheapest first. `prices`: the configured Stripe price of each plan.
pub async fn all(
    db: impl PgExecutor<'_>,
    prices: &BTreeMap<String, String>,
) -> sqlx::Result<Vec<Plan>> {
    let rows: Vec<PlanRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM plans WHERE active ORDER BY sort_order, id"
    )))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| r.into_plan(prices)).collect())
}

pub async fn get(
    db: impl PgExecutor<'_>,
    id: &str,
    prices: &BTreeMap<String, String>,
) -> sqlx::Result<Option<Plan>> {
    let row: Option<PlanRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM plans WHERE id = $1")))
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|r| r.into_plan(prices)))
}

/// The id of the plan in force for `user`: an admin's override, else the newest subscription
/// in force, else Free.
pub async fn plan_of(db: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<String> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT coalesce((SELECT plan_override FROM users WHERE id = $1), \
             (SELECT plan_id FROM subscriptions WHERE user_id = $1 AND status = ANY($2) \
              ORDER BY current_period_end DESC NULLS LAST LIMIT 1))",
    )
    .bind(user)
    .bind(&IN_FORCE[..])
    .fetch_one(db)
    .await?;
    Ok(id.unwrap_or_else(|| FREE.to_string()))
}

/// The period containing `now`: its first instant and the first instant of the next one.
pub fn period(kind: &str, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let day =
        Utc.with_ymd_and_hms(now.year(), now.month(), now.day(), 0, 0, 0).single().unwrap_or(now);
    if kind == "day" {
        return (day, day + Duration::days(1));
    }
    let start = Utc.with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0).single().unwrap_or(day);
    let (y, m) =
        if now.month() == 12 { (now.year() + 1, 1) } else { (now.year(), now.month() + 1) };
    let next =
        Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0).single().unwrap_or(start + Duration::days(31));
    (start, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_utc_days_and_calendar_months() {
        let t = Utc.with_ymd_and_hms(2026, 12, 7, 13, 5, 0).unwrap();
        let (s, e) = period("day", t);
        assert_eq!(s, Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap());
        assert_eq!(e, Utc.with_ymd_and_hms(2026, 12, 8, 0, 0, 0).unwrap());
        let (s, e) = period("month", t);
        assert_eq!(s, Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap());
        assert_eq!(e, Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap());
        let (s, e) = period("month", Utc.with_ymd_and_hms(2027, 2, 28, 23, 59, 59).unwrap());
        assert_eq!((s.month(), e.month()), (2, 3));
    }
}
