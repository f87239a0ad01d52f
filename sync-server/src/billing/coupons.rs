//! Coupons (design "Coupon"): percentage or fixed amount, minimum order, max uses, validity
//! window, active flag. Validated here; a use is counted by one conditional UPDATE in the
//! transaction that records who used it, so parallel redemptions cannot pass `max_uses`; each
//! coupon is mirrored to a Stripe coupon and promotion code, which Checkout applies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::billing::stripe::{Stripe, StripeError};

/// A coupon as an admin creates it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewCoupon {
    pub code: String,
    /// `percentage` or `fixed_amount`.
    pub kind: String,
    /// Percent (1–100) or cents.
    pub value: i64,
    #[serde(default)]
    pub min_order_cents: Option<i64>,
    #[serde(default)]
    pub max_uses: Option<i64>,
    #[serde(default)]
    pub valid_from: Option<DateTime<Utc>>,
    #[serde(default)]
    pub valid_to: Option<DateTime<Utc>>,
}

#[derive(Debug, thiserror::Error)]
pub enum CouponError {
    #[error("{0}")]
    Invalid(String),
    /// The coupon cannot be used (the message says why).
    #[error("{0}")]
    Refused(String),
    #[error("a coupon with this code exists")]
    Exists,
    #[error(transparent)]
    Stripe(#[from] StripeError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Codes are compared upper-case: `A-Z 0-9 _ -`, 3 to 32 characters.
pub fn normalize(code: &str) -> Result<String, CouponError> {
    let c = code.trim().to_ascii_uppercase();
    let ok = (3..=32).contains(&c.len())
        && c.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(c)
    } else {
        Err(CouponError::Invalid("a coupon code is 3 to 32 letters, digits, '_' or '-'".into()))
    }
}

fn check(c: &NewCoupon) -> Result<(), CouponError> {
    match c.kind.as_str() {
        "percentage" if (1..=100).contains(&c.value) => {}
        "fixed_amount" if c.value >= 1 => {}
        "percentage" => return Err(CouponError::Invalid("a percentage is 1 to 100".into())),
        "fixed_amount" => {
            return Err(CouponError::Invalid("a fixed amount is at least 1 cent".into()));
        }
        _ => {
            return Err(CouponError::Invalid("kind is `percentage` or `fixed_amount`".into()));
        }
    }
    if c.max_uses.is_some_and(|m| m < 1) || c.min_order_cents.is_some_and(|m| m < 0) {
        return Err(CouponError::Invalid("max_uses ≥ 1 and min_order_cents ≥ 0".into()));
    }
    if let (Some(f), Some(t)) = (c.valid_from, c.valid_to)
        && t <= f
    {
        return Err(CouponError::Invalid("valid_to must be after valid_from".into()));
    }
    Ok(())
}

/// Creates a coupon and its Stripe mirror (a coupon that applies once and a promotion code).
pub async fn create(pool: &PgPool, stripe: &Stripe, c: NewCoupon) -> Result<String, CouponError> {
    let code = normalize(&c.code)?;
    check(&c)?;
    let exists: Option<String> = sqlx::query_scalar("SELECT code FROM coupons WHERE code = $1")
        .bind(&code)
        .fetch_optional(pool)
        .await?;
    if exists.is_some() {
        return Err(CouponError::Exists);
    }
    let (percent, amount) =
        if c.kind == "percentage" { (Some(c.value), None) } else { (None, Some((c.value, "usd"))) };
    let coupon = stripe
        .create_coupon(percent, amount, c.max_uses, c.valid_to.map(|t| t.timestamp()), &code)
        .await?;
    let promo = stripe.create_promotion_code(&coupon.id, &code, c.min_order_cents).await?;
    let inserted = sqlx::query(
        "INSERT INTO coupons (code, kind, value, min_order_cents, max_uses, valid_from, valid_to, \
             stripe_coupon_id, stripe_promotion_code_id) \
         VALUES ($1, $2, $3, $4, $5, coalesce($6, now()), $7, $8, $9) ON CONFLICT (code) DO NOTHING",
    )
    .bind(&code)
    .bind(&c.kind)
    .bind(i32::try_from(c.value).map_err(|_| CouponError::Invalid("value is too large".into()))?)
    .bind(c.min_order_cents.and_then(|v| i32::try_from(v).ok()))
    .bind(c.max_uses.and_then(|v| i32::try_from(v).ok()))
    .bind(c.valid_from)
    .bind(c.valid_to)
    .bind(&coupon.id)
    .bind(&promo.id)
    .execute(pool)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(CouponError::Exists);
    }
    Ok(code)
}

/// A use taken for a checkout: the Stripe promotion code to apply.
#[derive(Debug)]
pub struct Redeemed {
    pub code: String,
    pub stripe_promotion_code_id: Option<String>,
}

/// Takes one use of `code` for `user` on an order of `order_cents`: all checks and the count
/// in one conditional UPDATE. A user may use a coupon once.
pub async fn redeem(
    pool: &PgPool,
    code: &str,
    user: Uuid,
    order_cents: i64,
) -> Result<Redeemed, CouponError> {
    let code = normalize(code).map_err(|_| CouponError::Refused("no such coupon".into()))?;
    let mut tx = pool.begin().await?;
    let first: Option<String> = sqlx::query_scalar(
        "INSERT INTO coupon_redemptions (code, user_id) \
         SELECT code, $2 FROM coupons WHERE code = $1 \
         ON CONFLICT (code, user_id) DO NOTHING RETURNING code",
    )
    .bind(&code)
    .bind(user)
    .fetch_optional(&mut *tx)
    .await?;
    if first.is_none() {
        tx.rollback().await?;
        return Err(why_refused(pool, &code, user, order_cents).await?);
    }
    let promo: Option<Option<String>> = sqlx::query_scalar(
        "UPDATE coupons SET used_count = used_count + 1 \
         WHERE code = $1 AND active AND valid_from <= now() \
           AND (valid_to IS NULL OR valid_to > now()) \
           AND (max_uses IS NULL OR used_count < max_uses) \
           AND (min_order_cents IS NULL OR min_order_cents <= $2) \
         RETURNING stripe_promotion_code_id",
    )
    .bind(&code)
    .bind(order_cents)
    .fetch_optional(&mut *tx)
    .await?;
    match promo {
        Some(stripe_promotion_code_id) => {
            tx.commit().await?;
            Ok(Redeemed { code, stripe_promotion_code_id })
        }
        None => {
            tx.rollback().await?;
            Err(why_refused(pool, &code, user, order_cents).await?)
        }
    }
}

#[derive(sqlx::FromRow)]
struct State {
    active: bool,
    valid_from: DateTime<Utc>,
    valid_to: Option<DateTime<Utc>>,
    max_uses: Option<i32>,
    used_count: i32,
    min_order_cents: Option<i32>,
}

/// The specific reason a redemption was refused (read after the fact, for the message only).
async fn why_refused(
    pool: &PgPool,
    code: &str,
    user: Uuid,
    order_cents: i64,
) -> Result<CouponError, CouponError> {
    let s: Option<State> = sqlx::query_as(
        "SELECT active, valid_from, valid_to, max_uses, used_count, min_order_cents \
         FROM coupons WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(pool)
    .await?;
    let Some(s) = s else { return Ok(CouponError::Refused("no such coupon".into())) };
    let used_by_user: Option<String> =
        sqlx::query_scalar("SELECT code FROM coupon_redemptions WHERE code = $1 AND user_id = $2")
            .bind(code)
            .bind(user)
            .fetch_optional(pool)
            .await?;
    let now = Utc::now();
    let reason = if used_by_user.is_some() {
        "you have already used this coupon".to_string()
    } else if !s.active {
        "this coupon is no longer active".to_string()
    } else if s.valid_from > now {
        format!("this coupon is valid from {}", s.valid_from.format("%Y-%m-%d"))
    } else if s.valid_to.is_some_and(|t| t <= now) {
        "this coupon has expired".to_string()
    } else if s.max_uses.is_some_and(|m| s.used_count >= m) {
        "this coupon has been used up".to_string()
    } else if s.min_order_cents.is_some_and(|m| i64::from(m) > order_cents) {
        format!(
            "this coupon needs an order of at least ${:.2}",
            f64::from(s.min_order_cents.unwrap_or(0)) / 100.0
        )
    } else {
        "this coupon cannot be used now; try again".to_string()
    };
    Ok(CouponError::Refused(reason))
}

/// Notes the Checkout session a use was taken for (an expired session gives it back).
pub async fn attach_session(
    pool: &PgPool,
    code: &str,
    user: Uuid,
    session: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE coupon_redemptions SET session_id = $3 WHERE code = $1 AND user_id = $2")
        .bind(code)
        .bind(user)
        .bind(session)
        .execute(pool)
        .await?;
    Ok(())
}

/// Gives a use back (the checkout could not be created).
pub async fn release(pool: &PgPool, code: &str, user: Uuid) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    let gone = sqlx::query("DELETE FROM coupon_redemptions WHERE code = $1 AND user_id = $2")
        .bind(code)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    if gone.rows_affected() > 0 {
        sqlx::query(
            "UPDATE coupons SET used_count = used_count - 1 WHERE code = $1 AND used_count > 0",
        )
        .bind(code)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Gives back the use taken for an expired Checkout session (in the webhook's transaction).
pub async fn release_session(db: &mut PgConnection, session: &str) -> sqlx::Result<bool> {
    let code: Option<String> =
        sqlx::query_scalar("DELETE FROM coupon_redemptions WHERE session_id = $1 RETURNING code")
            .bind(session)
            .fetch_optional(&mut *db)
            .await?;
    let Some(code) = code else { return Ok(false) };
    sqlx::query(
        "UPDATE coupons SET used_count = used_count - 1 WHERE code = $1 AND used_count > 0",
    )
    .bind(code)
    .execute(db)
    .await?;
    Ok(true)
}
