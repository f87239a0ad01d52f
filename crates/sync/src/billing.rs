//! The HTTP contract of plans, billing, usage limits, feature flags and the hosted AI between
//! the app (and `qoder account`) and `qoder-server`. Both sides use these types.

use chrono::{DateTime, Utc};
pub use qoder_domain::billing::{
    AccountStatus, FlagsResponse, Invoice, Plan, PlanLimit, PlanLimits, RedirectUrl,
    SubscriptionView, UsageItem, UsageResponse,
};
use serde::{Deserialize, Serialize};

/// Features the hosted AI counts, per plan and period.
pub const FEATURE_RESUME_ANALYSIS: &str = "resume_analysis";
pub const FEATURE_JD_MATCHING: &str = "jd_matching";
/// Bullet-point generations (a UTC day, every plan).
pub const FEATURE_BULLET_POINTS: &str = "bullet_points";

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
