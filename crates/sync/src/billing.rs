//! The HTTP contract of plans, billing, usage limits, feature flags and the hosted AI between
//! the app (and `qoder account`) and `qoder-server`. Both sides use these types.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Features the hosted AI counts, per plan and period.
pub const FEATURE_RESUME_ANALYSIS: &str = "resume_analysis";
pub const FEATURE_JD_MATCHING: &str = "jd_matching";
/// Bullet-point generations (a UTC day, every plan).
pub const FEATURE_BULLET_POINTS: &str = "bullet_points";

/// The limits of a plan. `None`: unlimited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlansResponse {
    pub plans: Vec<Plan>,
}

/// POST /api/billing/checkout.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CheckoutRequest {
    pub plan_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon: Option<String>,
}

/// A page on Stripe to open in the browser (Checkout, the customer portal).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RedirectUrl {
    pub url: String,
}

/// GET /api/billing/subscription: the plan in force and the Stripe subscription behind it.
#[derive(Clone, Debug, Serialize, Deserialize)]
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

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UsageResponse {
    pub plan_id: String,
    pub items: Vec<UsageItem>,
}

/// A Stripe invoice, with its hosted page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InvoicesResponse {
    pub invoices: Vec<Invoice>,
}

/// The 402 answer of a hosted-AI call over a plan's limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitReached {
    /// Always `limit_reached`.
    pub code: String,
    pub message: String,
    pub feature: String,
    pub limit: i64,
    pub used: i64,
    pub resets_at: DateTime<Utc>,
    pub upgrade_url: String,
}

/// GET /api/flags: every flag as it applies to the signed-in user.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FlagsResponse {
    pub flags: BTreeMap<String, bool>,
}

/// POST /v1/ai/complete (the contract `qoder-llm`'s hosted provider speaks).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AiCompleteRequest {
    /// `review` (a resume analysis), `generate_points` (a JD matching and a bullet-point
    /// generation) or `rewrite` (a JD matching).
    pub feature: String,
    /// `basic`, `standard` or `premium`: the server picks the model.
    pub tier_model: String,
    pub system: String,
    pub prompt: String,
    pub max_output_tokens: u32,
    pub temperature: f32,
    #[serde(default)]
    pub json: bool,
    #[serde(default)]
    pub stream: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AiUsage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AiCompleteResponse {
    pub text: String,
    pub model: String,
    pub usage: AiUsage,
    pub cost_usd: f64,
}

#[cfg(feature = "client")]
mod client {
    use super::*;
    use crate::{Client, ClientError};

    impl Client {
        /// Every plan (public).
        pub async fn plans(&self) -> Result<PlansResponse, ClientError> {
            Self::send(self.http.get(format!("{}/api/billing/plans", self.base()))).await
        }

        /// A Stripe Checkout page for `plan_id`, with an optional coupon code.
        pub async fn checkout(
            &self,
            plan_id: &str,
            coupon: Option<&str>,
        ) -> Result<RedirectUrl, ClientError> {
            let body = CheckoutRequest {
                plan_id: plan_id.to_string(),
                coupon: coupon.map(str::to_string),
            };
            let url = format!("{}/api/billing/checkout", self.base());
            self.authed(|t| self.http.post(&url).bearer_auth(t).json(&body)).await
        }

        /// The Stripe customer portal (cancel, change plan, card, invoices).
        pub async fn portal(&self) -> Result<RedirectUrl, ClientError> {
            let url = format!("{}/api/billing/portal", self.base());
            self.authed(|t| self.http.post(&url).bearer_auth(t)).await
        }

        pub async fn subscription(&self) -> Result<SubscriptionView, ClientError> {
            let url = format!("{}/api/billing/subscription", self.base());
            self.authed(|t| self.http.get(&url).bearer_auth(t)).await
        }

        pub async fn usage(&self) -> Result<UsageResponse, ClientError> {
            let url = format!("{}/api/billing/usage", self.base());
            self.authed(|t| self.http.get(&url).bearer_auth(t)).await
        }

        pub async fn invoices(&self) -> Result<InvoicesResponse, ClientError> {
            let url = format!("{}/api/billing/invoices", self.base());
            self.authed(|t| self.http.get(&url).bearer_auth(t)).await
        }

        pub async fn flags(&self) -> Result<FlagsResponse, ClientError> {
            let url = format!("{}/api/flags", self.base());
            self.authed(|t| self.http.get(&url).bearer_auth(t)).await
        }
    }
}
