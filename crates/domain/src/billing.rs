//! Plans, subscriptions, usage limits and invoices of a `qoder-server` account, as the server
//! answers them (GET /api/billing/…) and as the app and `qoder account` show them. The HTTP
//! client and the server's other billing wire types are in `qoder_sync::billing`, which
//! re-exports these.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The limits of a plan. `None`: unlimited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlanLimits {
    /// What `resume_analysis` and `jd_matching` count over: `day` or `month` (UTC).
    pub period: String,
    pub resume_analysis: Option<i64>,
    pub jd_matching: Option<i64>,
    /// AI bullet points one request may ask for.
    pub points_per_request: i64,
    /// Bullet-point generations a UTC day.
    pub points_daily: i64,
}

/// Design "SubscriptionPlan".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Plan {
    /// `free`, `pro_monthly`, `pro_quarterly`, `pro_halfyearly`.
    pub id: String,
    pub name: String,
    pub price_cents: i64,
    pub currency: String,
    /// `month` or `year`.
    pub interval: String,
    /// Months (or years) a payment covers.
    pub interval_count: i64,
    pub discount_percent: i64,
    pub limits: PlanLimits,
    /// Whether Checkout can sell it (a Stripe price is configured).
    pub purchasable: bool,
}

/// GET /api/billing/subscription: the plan in force and the Stripe subscription behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SubscriptionView {
    pub plan: Plan,
    /// `free` (no paid subscription), or Stripe's status: `trialing`, `active`, `past_due`,
    /// `canceled`, `unpaid`, `incomplete`…
    pub status: String,
    pub current_period_end: Option<DateTime<Utc>>,
    pub cancel_at_period_end: bool,
    pub stripe_subscription_id: Option<String>,
}

/// One limit's use in its current period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UsageItem {
    /// `resume_analysis`, `jd_matching` or `bullet_points`.
    pub feature: String,
    pub used: i64,
    /// `None`: unlimited.
    pub limit: Option<i64>,
    /// `day` or `month`.
    pub period: String,
    pub resets_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UsageResponse {
    pub plan_id: String,
    pub items: Vec<UsageItem>,
}

/// A Stripe invoice, with its hosted page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Invoice {
    pub id: String,
    pub number: Option<String>,
    pub status: Option<String>,
    pub amount_due: i64,
    pub amount_paid: i64,
    pub currency: String,
    pub created: DateTime<Utc>,
    pub hosted_invoice_url: Option<String>,
    pub invoice_pdf: Option<String>,
}

/// GET /api/flags: every flag as it applies to the signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FlagsResponse {
    pub flags: BTreeMap<String, bool>,
}

/// What a `limit_reached` refusal says beside its message: which limit, how much of it is
/// used, when it resets and where to upgrade (the design's "UpgradePrompt").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlanLimit {
    /// `resume_analysis`, `jd_matching` or `bullet_points` (or `daily_budget`).
    pub feature: String,
    pub limit: i64,
    pub used: i64,
    pub resets_at: DateTime<Utc>,
    pub upgrade_url: String,
}

/// The signed-in account's plan and its use (Settings → Account, `qoder account status`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountStatus {
    /// The `qoder-server` the account lives on.
    pub server: String,
    pub email: String,
    pub subscription: SubscriptionView,
    pub usage: UsageResponse,
}

/// A page on Stripe the app opened in the browser (Checkout, the customer portal).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RedirectUrl {
    pub url: String,
}
