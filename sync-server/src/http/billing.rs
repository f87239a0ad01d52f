//! /api/billing/*: plans, Checkout, the customer portal, the subscription, usage, invoices and
//! Stripe's webhook; /api/flags; /api/admin/coupons; the pages Stripe sends the browser back to.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Html;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use qoder_sync::billing::{
    CheckoutRequest, FlagsResponse, InvoicesResponse, PlansResponse, RedirectUrl, SubscriptionView,
    UsageResponse,
};
use serde_json::{Value, json};

use crate::AppState;
use crate::billing::checkout::{self, BillingError};
use crate::billing::coupons::{self, CouponError, NewCoupon};
use crate::billing::stripe::StripeError;
use crate::billing::webhook::{self, ApplyError, Outcome};
use crate::billing::{plans, usage};
use crate::http::admin::AdminUser;
use crate::http::error::{ApiError, JsonBody};
use crate::http::extract::AuthUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/billing/plans", get(list_plans))
        .route("/api/billing/checkout", post(create_checkout))
        .route("/api/billing/portal", post(open_portal))
        .route("/api/billing/subscription", get(get_subscription))
        .route("/api/billing/usage", get(get_usage))
        .route("/api/billing/invoices", get(list_invoices))
        .route("/api/billing/webhook", post(receive_webhook))
        .route("/api/flags", get(get_flags))
        .route("/api/admin/coupons", post(create_coupon))
        .route("/billing/done", get(done_page))
        .route("/billing/canceled", get(canceled_page))
}

const NOT_CONFIGURED: ApiError = ApiError::Unavailable {
    message: "billing is not configured on this server",
    retry_after: 3600,
};

fn stripe_error(e: StripeError) -> ApiError {
    match e {
        StripeError::NotConfigured => NOT_CONFIGURED,
        other => {
            tracing::warn!(error = %other, "Stripe call failed");
            ApiError::Upstream(other.to_string())
        }
    }
}

impl From<BillingError> for ApiError {
    fn from(e: BillingError) -> Self {
        match e {
            BillingError::NotConfigured => NOT_CONFIGURED,
            BillingError::Invalid(m) => ApiError::Validation(m),
            BillingError::Conflict(m) => ApiError::Conflict(m),
            BillingError::NotFound(m) => ApiError::NotFound(m),
            BillingError::Coupon(c) => c.into(),
            BillingError::Stripe(s) => stripe_error(s),
            BillingError::Database(d) => ApiError::Database(d),
        }
    }
}

impl From<CouponError> for ApiError {
    fn from(e: CouponError) -> Self {
        match e {
            CouponError::Invalid(m) | CouponError::Refused(m) => ApiError::Validation(m),
            CouponError::Exists => ApiError::Conflict("a coupon with this code exists".into()),
            CouponError::Stripe(s) => stripe_error(s),
            CouponError::Database(d) => ApiError::Database(d),
        }
    }
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn list_plans(State(s): State<AppState>) -> Result<Json<PlansResponse>, ApiError> {
    Ok(Json(PlansResponse { plans: plans::all(&s.pool, &s.billing.prices).await? }))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn create_checkout(
    State(s): State<AppState>,
    user: AuthUser,
    JsonBody(req): JsonBody<CheckoutRequest>,
) -> Result<Json<RedirectUrl>, ApiError> {
    Ok(Json(checkout::checkout(&s, user.user_id, &req.plan_id, req.coupon.as_deref()).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn open_portal(
    State(s): State<AppState>,
    user: AuthUser,
) -> Result<Json<RedirectUrl>, ApiError> {
    Ok(Json(checkout::portal(&s, user.user_id).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn get_subscription(
    State(s): State<AppState>,
    user: AuthUser,
) -> Result<Json<SubscriptionView>, ApiError> {
    Ok(Json(checkout::subscription(&s, user.user_id).await?))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn get_usage(
    State(s): State<AppState>,
    user: AuthUser,
) -> Result<Json<UsageResponse>, ApiError> {
    let plan_id = plans::plan_of(&s.pool, user.user_id).await?;
    let plan = plans::get(&s.pool, &plan_id, &s.billing.prices)
        .await?
        .ok_or(ApiError::NotFound("the plan in force is missing"))?;
    let items = usage::report(&s.pool, user.user_id, &plan, Utc::now()).await?;
    Ok(Json(UsageResponse { plan_id, items }))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn list_invoices(
    State(s): State<AppState>,
    user: AuthUser,
) -> Result<Json<InvoicesResponse>, ApiError> {
    Ok(Json(InvoicesResponse { invoices: checkout::invoices(&s, user.user_id).await? }))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn get_flags(
    State(s): State<AppState>,
    user: AuthUser,
) -> Result<Json<FlagsResponse>, ApiError> {
    let plan = plans::plan_of(&s.pool, user.user_id).await?;
    Ok(Json(FlagsResponse { flags: s.billing.flags.for_user(&s.pool, user.user_id, &plan).await? }))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
async fn create_coupon(
    admin: AdminUser,
    State(s): State<AppState>,
    JsonBody(c): JsonBody<NewCoupon>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    if !s.billing.enabled(&s.config) {
        return Err(NOT_CONFIGURED);
    }
    let (kind, value) = (c.kind.clone(), c.value);
    let code = coupons::create(&s.pool, &s.billing.stripe, c).await?;
    // After Stripe and the coupon's row (which Stripe's calls sit between).
    crate::audit::record(
        &s.pool,
        &admin.ctx,
        crate::audit::action::COUPON_CREATED,
        Some(&format!("coupon:{code}")),
        json!({"kind": kind, "value": value}),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"code": code}))))
}

/// Stripe's webhook: the signature over the raw body first, then the event.
#[tracing::instrument(skip_all, err(level = "debug"))]
async fn receive_webhook(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let secret = s.config.stripe_webhook_secret.expose();
    if secret.is_empty() {
        return Err(NOT_CONFIGURED);
    }
    let header = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::Malformed(webhook::SignatureError::Missing.to_string()))?;
    webhook::verify(&body, header, secret, Utc::now().timestamp())
        .map_err(|e| ApiError::Malformed(format!("webhook signature refused: {e}")))?;
    let event: webhook::Event = serde_json::from_slice(&body)
        .map_err(|e| ApiError::Malformed(format!("not a Stripe event: {e}")))?;
    let outcome = webhook::apply(&s, &event).await.map_err(|e| match e {
        ApplyError::Stripe(e) => stripe_error(e),
        ApplyError::Database(e) => ApiError::Database(e),
    })?;
    let outcome = match outcome {
        Outcome::Applied => "applied",
        Outcome::Replay => "replay",
        Outcome::Ignored => "ignored",
    };
    tracing::info!(event = %event.id, kind = %event.kind, outcome, "Stripe event");
    Ok(Json(json!({"received": true, "outcome": outcome})))
}

fn page(title: &str, text: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body style=\"font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto\">\
         <h1>{title}</h1><p>{text}</p></body></html>"
    ))
}

async fn done_page() -> Html<String> {
    page(
        "QoderResume billing",
        "All set. You can close this tab and return to QoderResume: your plan updates there within a few seconds.",
    )
}

async fn canceled_page() -> Html<String> {
    page("QoderResume billing", "Nothing was charged. You can close this tab.")
}
