//! Usage limits (design "UsageRecord"): hosted-AI uses counted per user, feature and period in
//! PostgreSQL. A use is taken by one conditional upsert (`… ON CONFLICT … DO UPDATE … WHERE
//! used < limit RETURNING used`), so two devices, or two server processes, at once cannot pass
//! a limit: the row lock orders them and the second sees the first's count. The hosted AI takes
//! its uses inside the SQL function `hosted_ai_admit` (migration 0007), one round trip with the
//! plan and budget checks; its meters mirror [`meters`] (a test holds them together).

use chrono::{DateTime, Utc};
use qoder_sync::billing::{
    FEATURE_BULLET_POINTS, FEATURE_JD_MATCHING, FEATURE_RESUME_ANALYSIS, Plan, UsageItem,
};
use sqlx::PgPool;
use uuid::Uuid;

use crate::billing::plans;

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

/// Every usage feature, in the fixed order meters are taken in (so transactions lock rows in
/// one order).
pub const FEATURES: [&str; 3] =
    [FEATURE_BULLET_POINTS, FEATURE_JD_MATCHING, FEATURE_RESUME_ANALYSIS];

/// The period a usage feature counts over on a plan whose limits count over `plan_period`: the
/// bullet-point generations over the UTC day on every plan, the rest over the plan's period.
pub fn period_of(feature: &str, plan_period: &str) -> &'static str {
    if feature == FEATURE_BULLET_POINTS || plan_period == "day" { "day" } else { "month" }
}

/// The meter of `feature` on a plan whose limits count over `plan_period`.
pub fn meter(
    feature: &'static str,
    limit: Option<i64>,
    plan_period: &str,
    now: DateTime<Utc>,
) -> Meter {
    let period = period_of(feature, plan_period);
    let (start, resets_at) = plans::period(period, now);
    Meter { feature, limit, period, start, resets_at }
}

/// Every meter of `plan` at `now`, in the order of [`FEATURES`].
pub fn meters(plan: &Plan, now: DateTime<Utc>) -> Vec<Meter> {
    let p = plan.limits.period.as_str();
    vec![
        meter(FEATURE_BULLET_POINTS, Some(plan.limits.points_daily), p, now),
        meter(FEATURE_JD_MATCHING, plan.limits.jd_matching, p, now),
        meter(FEATURE_RESUME_ANALYSIS, plan.limits.resume_analysis, p, now),
    ]
}

/// The usage features a hosted-AI feature counts against, in the order of [`FEATURES`], or
/// `None` for a feature the hosted AI does not serve. A JD matching is an AI pass over one
/// resume × JD (bullet points, rewrite); bullet points also count against the daily generation
/// limit.
pub fn features_for(feature: &str) -> Option<&'static [&'static str]> {
    match feature {
        "review" => Some(&[FEATURE_RESUME_ANALYSIS]),
        "generate_points" => Some(&[FEATURE_BULLET_POINTS, FEATURE_JD_MATCHING]),
        "rewrite" => Some(&[FEATURE_JD_MATCHING]),
        _ => None,
    }
}

/// The meters a hosted-AI feature counts against on `plan`, or `None` for a feature the hosted
/// AI does not serve.
pub fn meters_for(feature: &str, plan: &Plan, now: DateTime<Utc>) -> Option<Vec<Meter>> {
    let wanted = features_for(feature)?;
    Some(meters(plan, now).into_iter().filter(|m| wanted.contains(&m.feature)).collect())
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
