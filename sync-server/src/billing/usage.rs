//! Usage limits (design "UsageRecord"): hosted-AI uses counted per user, feature and period in
//! PostgreSQL. A use is taken by one conditional upsert (`… ON CONFLICT … DO UPDATE … WHERE
//! used < limit RETURNING used`), so two devices, or two server processes, at once cannot pass
//! a limit: the row lock orders them and the second sees the first's count.

use chrono::{DateTime, Utc};
use qoder_sync::billing::{
    FEATURE_BULLET_POINTS, FEATURE_JD_MATCHING, FEATURE_RESUME_ANALYSIS, Plan, UsageItem,
};
use sqlx::PgPool;
use uuid::Uuid;

use crate::billing::plans::period;

/// One limit a call counts against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meter {
    pub feature: &'static str,
    /// `None`: unlimited (still counted).
    pub limit: Option<i64>,
    pub period: &'static str,
    pub start: DateTime<Utc>,
    pub resets_at: DateTime<Utc>,
}

/// A refused use: which limit, and where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub feature: &'static str,
    pub limit: i64,
    pub used: i64,
    pub resets_at: DateTime<Utc>,
}

fn meter(feature: &'static str, limit: Option<i64>, kind: &str, now: DateTime<Utc>) -> Meter {
    let (start, resets_at) = period(kind, now);
    let period = if kind == "day" { "day" } else { "month" };
    Meter { feature, limit, period, start, resets_at }
}

/// Every meter of `plan` at `now`, in a fixed order (so transactions lock rows in one order).
pub fn meters(plan: &Plan, now: DateTime<Utc>) -> Vec<Meter> {
    let p = plan.limits.period.as_str();
    vec![
        meter(FEATURE_BULLET_POINTS, Some(plan.limits.points_daily), "day", now),
        meter(FEATURE_JD_MATCHING, plan.limits.jd_matching, p, now),
        meter(FEATURE_RESUME_ANALYSIS, plan.limits.resume_analysis, p, now),
    ]
}

/// The meters a hosted-AI feature counts against, or `None` for a feature the hosted AI does
/// not serve. A JD matching is an AI pass over one resume × JD (bullet points, rewrite); bullet
/// points also count against the daily generation limit.
pub fn meters_for(feature: &str, plan: &Plan, now: DateTime<Utc>) -> Option<Vec<Meter>> {
    let wanted: &[&str] = match feature {
        "review" => &[FEATURE_RESUME_ANALYSIS],
        "generate_points" => &[FEATURE_BULLET_POINTS, FEATURE_JD_MATCHING],
        "rewrite" => &[FEATURE_JD_MATCHING],
        _ => return None,
    };
    Some(meters(plan, now).into_iter().filter(|m| wanted.contains(&m.feature)).collect())
}

/// Takes one use of every meter, all or none, in one transaction.
pub async fn take(
    pool: &PgPool,
    user: Uuid,
    meters: &[Meter],
) -> sqlx::Result<Result<(), Refused>> {
    let mut tx = pool.begin().await?;
    for m in meters {
        let limit = m.limit.unwrap_or(i64::MAX);
        let taken: Option<i32> = if limit < 1 {
            None
        } else {
            sqlx::query_scalar(
                "INSERT INTO usage_counters (user_id, feature, period_start, used) \
                 VALUES ($1, $2, $3, 1) \
                 ON CONFLICT (user_id, feature, period_start) \
                 DO UPDATE SET used = usage_counters.used + 1 WHERE usage_counters.used < $4 \
                 RETURNING used",
            )
            .bind(user)
            .bind(m.feature)
            .bind(m.start)
            .bind(limit)
            .fetch_optional(&mut *tx)
            .await?
        };
        if taken.is_none() {
            tx.rollback().await?;
            let used = used(pool, user, m).await?;
            return Ok(Err(Refused {
                feature: m.feature,
                limit: m.limit.unwrap_or(0),
                used,
                resets_at: m.resets_at,
            }));
        }
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// Gives back one use of every meter (the call failed on our side: the user got nothing).
pub async fn give_back(pool: &PgPool, user: Uuid, meters: &[Meter]) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    for m in meters {
        sqlx::query(
            "UPDATE usage_counters SET used = used - 1 \
             WHERE user_id = $1 AND feature = $2 AND period_start = $3 AND used > 0",
        )
        .bind(user)
        .bind(m.feature)
        .bind(m.start)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

async fn used(pool: &PgPool, user: Uuid, m: &Meter) -> sqlx::Result<i64> {
    let used: Option<i32> = sqlx::query_scalar(
        "SELECT used FROM usage_counters WHERE user_id = $1 AND feature = $2 AND period_start = $3",
    )
    .bind(user)
    .bind(m.feature)
    .bind(m.start)
    .fetch_optional(pool)
    .await?;
    Ok(i64::from(used.unwrap_or(0)))
}

/// Where each of `plan`'s limits stands for `user` now.
pub async fn report(
    pool: &PgPool,
    user: Uuid,
    plan: &Plan,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<UsageItem>> {
    let mut items = Vec::new();
    for m in meters(plan, now) {
        items.push(UsageItem {
            feature: m.feature.to_string(),
            used: used(pool, user, &m).await?,
            limit: m.limit,
            period: m.period.to_string(),
            resets_at: m.resets_at,
        });
    }
    // The plan's headline limits first.
    items.reverse();
    Ok(items)
}
