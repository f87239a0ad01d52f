//! Subscriptions as Stripe has them: stored on webhooks and by the reconcile, which lists every
//! subscription and fixes drift after missed events.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::billing::stripe::{Stripe, StripeError, Subscription};

fn time(secs: Option<i64>) -> Option<DateTime<Utc>> {
    secs.and_then(|s| DateTime::from_timestamp(s, 0))
}

/// The account a Stripe subscription belongs to: by its customer (ours), else by the
/// `user_id` metadata Checkout put on it, if that account exists.
async fn owner(db: &mut PgConnection, sub: &Subscription) -> sqlx::Result<Option<Uuid>> {
    let by_customer: Option<Uuid> =
        sqlx::query_scalar("SELECT user_id FROM billing_customers WHERE stripe_customer_id = $1")
            .bind(&sub.customer)
            .fetch_optional(&mut *db)
            .await?;
    if by_customer.is_some() {
        return Ok(by_customer);
    }
    let Some(id) = sub.metadata.get("user_id").and_then(|s| s.parse::<Uuid>().ok()) else {
        return Ok(None);
    };
    sqlx::query_scalar("SELECT id FROM users WHERE id = $1").bind(id).fetch_optional(db).await
}

/// Stores `sub` as read from Stripe. `prices`: plan id → Stripe price id. Returns false (and
/// logs) when the subscription is not ours to store: unknown account or price.
pub async fn store(
    db: &mut PgConnection,
    prices: &BTreeMap<String, String>,
    sub: &Subscription,
) -> sqlx::Result<bool> {
    let Some(user) = owner(db, sub).await? else {
        tracing::warn!(subscription = %sub.id, "a Stripe subscription of no known account");
        return Ok(false);
    };
    let plan = sub.price_id().and_then(|p| prices.iter().find(|(_, v)| *v == p)).map(|(k, _)| k);
    let Some(plan) = plan else {
        tracing::warn!(subscription = %sub.id, price = ?sub.price_id(), "a Stripe price of no plan (QODER_STRIPE_PRICES)");
        return Ok(false);
    };
    let (start, end) = sub.period();
    let old: Option<(String, String)> = sqlx::query_as(
        "SELECT plan_id, status FROM subscriptions WHERE stripe_subscription_id = $1 FOR UPDATE",
    )
    .bind(&sub.id)
    .fetch_optional(&mut *db)
    .await?;
    let new = (plan.clone(), sub.status.clone());
    if old.as_ref() != Some(&new) {
        // A plan change (or a subscription's start or end) is audited with the write.
        crate::audit::record(
            &mut *db,
            &crate::audit::Ctx::system(),
            crate::audit::action::PLAN_CHANGED,
            Some(&crate::audit::user(user)),
            serde_json::json!({
                "subscription": sub.id,
                "from": old.map(|(p, s)| serde_json::json!({"plan": p, "status": s})),
                "to": {"plan": new.0, "status": new.1},
            }),
        )
        .await?;
    }
    sqlx::query(
        "INSERT INTO subscriptions (stripe_subscription_id, user_id, plan_id, status, \
             current_period_start, current_period_end, cancel_at_period_end, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, now()) \
         ON CONFLICT (stripe_subscription_id) DO UPDATE SET plan_id = $3, status = $4, \
             current_period_start = $5, current_period_end = $6, cancel_at_period_end = $7, \
             updated_at = now()",
    )
    .bind(&sub.id)
    .bind(user)
    .bind(plan)
    .bind(&sub.status)
    .bind(time(start))
    .bind(time(end))
    .bind(sub.cancel_at_period_end)
    .execute(db)
    .await?;
    Ok(true)
}

#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    #[error(transparent)]
    Stripe(#[from] StripeError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Lists every Stripe subscription and stores each; returns how many were stored.
pub async fn reconcile(
    pool: &PgPool,
    stripe: &Stripe,
    prices: &BTreeMap<String, String>,
) -> Result<u64, ReconcileError> {
    let mut after: Option<String> = None;
    let mut stored = 0;
    loop {
        let page = stripe.subscriptions(after.as_deref()).await?;
        let mut conn = pool.acquire().await?;
        for sub in &page.data {
            if store(&mut conn, prices, sub).await? {
                stored += 1;
            }
        }
        match (page.has_more, page.data.last()) {
            (true, Some(last)) => after = Some(last.id.clone()),
            _ => break,
        }
    }
    Ok(stored)
}

/// The subscription behind the plan in force, or the newest one.
#[derive(Debug, sqlx::FromRow)]
pub struct Row {
    pub stripe_subscription_id: String,
    pub plan_id: String,
    pub status: String,
    pub current_period_end: Option<DateTime<Utc>>,
    pub cancel_at_period_end: bool,
}

pub async fn current(pool: &PgPool, user: Uuid) -> sqlx::Result<Option<Row>> {
    sqlx::query_as(
        "SELECT stripe_subscription_id, plan_id, status, current_period_end, cancel_at_period_end \
         FROM subscriptions WHERE user_id = $1 \
         ORDER BY (status = ANY($2)) DESC, current_period_end DESC NULLS LAST LIMIT 1",
    )
    .bind(user)
    .bind(&crate::billing::plans::IN_FORCE[..])
    .fetch_optional(pool)
    .await
}

/// How often the reconcile runs in each process.
pub const RECONCILE_EVERY: std::time::Duration = std::time::Duration::from_secs(6 * 3600);

/// Runs the reconcile every [`RECONCILE_EVERY`] while billing is configured (first run after
/// one period: webhooks keep state current; this only repairs missed events).
pub async fn reconcile_forever(state: crate::AppState) {
    if !state.billing.enabled(&state.config) {
        return;
    }
    let mut tick = tokio::time::interval(RECONCILE_EVERY);
    tick.tick().await;
    loop {
        tick.tick().await;
        match reconcile(&state.pool, &state.billing.stripe, &state.billing.prices).await {
            Ok(n) => tracing::info!(stored = n, "billing reconcile done"),
            Err(e) => tracing::warn!(error = %e, "billing reconcile failed"),
        }
    }
}
