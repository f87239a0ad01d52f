//! Buying and managing a plan: the Stripe customer of an account, Checkout for a plan with an
//! optional coupon, the customer portal, the subscription view and invoices.

use chrono::DateTime;
use qoder_sync::billing::{Invoice, RedirectUrl, SubscriptionView};
use uuid::Uuid;

use crate::AppState;
use crate::billing::stripe::{CheckoutParams, StripeError};
use crate::billing::{coupons, plans, subscriptions};

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    #[error("billing is not configured on this server")]
    NotConfigured,
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    NotFound(&'static str),
    #[error(transparent)]
    Coupon(#[from] coupons::CouponError),
    #[error(transparent)]
    Stripe(StripeError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<StripeError> for BillingError {
    fn from(e: StripeError) -> Self {
        match e {
            StripeError::NotConfigured => BillingError::NotConfigured,
            other => BillingError::Stripe(other),
        }
    }
}

async fn customer_of(state: &AppState, user: Uuid) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT stripe_customer_id FROM billing_customers WHERE user_id = $1")
        .bind(user)
        .fetch_optional(&state.pool)
        .await
}

/// The account's Stripe customer, made on first use.
async fn ensure_customer(state: &AppState, user: Uuid) -> Result<String, BillingError> {
    if let Some(c) = customer_of(state, user).await? {
        return Ok(c);
    }
    let email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(&state.pool)
        .await?;
    let email = email.ok_or(BillingError::NotFound("the account no longer exists"))?;
    let created = state.billing.stripe.create_customer(&email, &user.to_string()).await?;
    sqlx::query(
        "INSERT INTO billing_customers (user_id, stripe_customer_id) VALUES ($1, $2) \
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user)
    .bind(&created.id)
    .execute(&state.pool)
    .await?;
    customer_of(state, user).await?.ok_or(BillingError::NotFound("the account no longer exists"))
}

/// A Checkout page for `plan_id`, with `coupon` applied (one use taken now; given back if the
/// session cannot be made, or when Stripe says it expired).
pub async fn checkout(
    state: &AppState,
    user: Uuid,
    plan_id: &str,
    coupon: Option<&str>,
) -> Result<RedirectUrl, BillingError> {
    if !state.billing.enabled(&state.config) {
        return Err(BillingError::NotConfigured);
    }
    let plan = plans::get(&state.pool, plan_id, &state.billing.prices)
        .await?
        .ok_or_else(|| BillingError::Invalid(format!("no plan {plan_id:?}")))?;
    let Some(price) = state.billing.prices.get(&plan.id).filter(|_| plan.purchasable) else {
        return Err(BillingError::Invalid(format!("the {} plan cannot be bought", plan.name)));
    };
    if plans::plan_of(&state.pool, user).await? != plans::FREE {
        return Err(BillingError::Conflict(
            "you already have a paid plan; change or cancel it in the billing portal".into(),
        ));
    }
    let customer = ensure_customer(state, user).await?;
    let redeemed = match coupon.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Some(coupons::redeem(&state.pool, code, user, plan.price_cents).await?),
        None => None,
    };
    let base = state.config.public_url.trim_end_matches('/');
    let success = format!("{base}/billing/done?session_id={{CHECKOUT_SESSION_ID}}");
    let cancel = format!("{base}/billing/canceled");
    let user_id = user.to_string();
    let params = CheckoutParams {
        customer: &customer,
        price,
        user_id: &user_id,
        plan_id: &plan.id,
        promotion_code: redeemed.as_ref().and_then(|r| r.stripe_promotion_code_id.as_deref()),
        success_url: &success,
        cancel_url: &cancel,
    };
    let session = match state.billing.stripe.create_checkout_session(&params).await {
        Ok(s) => s,
        Err(e) => {
            if let Some(r) = &redeemed {
                coupons::release(&state.pool, &r.code, user).await?;
            }
            return Err(e.into());
        }
    };
    if let Some(r) = &redeemed {
        coupons::attach_session(&state.pool, &r.code, user, &session.id).await?;
    }
    let url = session.url.ok_or_else(|| {
        BillingError::Stripe(StripeError::Malformed("the Checkout session has no url".into()))
    })?;
    Ok(RedirectUrl { url })
}

/// The customer portal (cancel, switch plan with Stripe's proration, card, invoices).
pub async fn portal(state: &AppState, user: Uuid) -> Result<RedirectUrl, BillingError> {
    if !state.billing.enabled(&state.config) {
        return Err(BillingError::NotConfigured);
    }
    let customer = customer_of(state, user)
        .await?
        .ok_or(BillingError::NotFound("no billing account yet: upgrade first"))?;
    let back = format!("{}/billing/done", state.config.public_url.trim_end_matches('/'));
    let s = state.billing.stripe.create_portal_session(&customer, &back).await?;
    Ok(RedirectUrl { url: s.url })
}

/// The plan in force and the subscription behind it.
pub async fn subscription(state: &AppState, user: Uuid) -> Result<SubscriptionView, BillingError> {
    let plan_id = plans::plan_of(&state.pool, user).await?;
    let plan = plans::get(&state.pool, &plan_id, &state.billing.prices)
        .await?
        .ok_or(BillingError::NotFound("the plan in force is missing"))?;
    let row = subscriptions::current(&state.pool, user).await?;
    Ok(match row {
        Some(r) if r.plan_id == plan_id => SubscriptionView {
            plan,
            status: r.status,
            current_period_end: r.current_period_end,
            cancel_at_period_end: r.cancel_at_period_end,
            stripe_subscription_id: Some(r.stripe_subscription_id),
        },
        _ => SubscriptionView {
            plan,
            status: "free".into(),
            current_period_end: None,
            cancel_at_period_end: false,
            stripe_subscription_id: None,
        },
    })
}

/// The account's invoices, newest first (none before the first checkout).
pub async fn invoices(state: &AppState, user: Uuid) -> Result<Vec<Invoice>, BillingError> {
    let Some(customer) = customer_of(state, user).await? else { return Ok(Vec::new()) };
    let list = state.billing.stripe.invoices(&customer, 24).await?;
    Ok(list
        .data
        .into_iter()
        .map(|i| Invoice {
            id: i.id,
            number: i.number,
            status: i.status,
            amount_due: i.amount_due,
            amount_paid: i.amount_paid,
            currency: i.currency,
            created: DateTime::from_timestamp(i.created, 0).unwrap_or_default(),
            hosted_invoice_url: i.hosted_invoice_url,
            invoice_pdf: i.invoice_pdf,
        })
        .collect())
}
