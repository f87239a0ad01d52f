//! A small typed client of the Stripe endpoints billing needs (form-encoded requests, JSON
//! answers, `Authorization: Bearer sk_…`): customers, Checkout Sessions, Billing Portal
//! sessions, subscriptions (retrieve, list), invoices (list), coupons and promotion codes.
//! Objects are read into the few fields we use; unknown fields are ignored, as Stripe adds
//! fields without a version change.

use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::config::Secret;

#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    #[error("billing is not configured on this server (no Stripe key)")]
    NotConfigured,
    #[error("could not reach Stripe: {0}")]
    Transport(String),
    /// Stripe answered an error object.
    #[error("Stripe refused the request (HTTP {status}): {message}")]
    Api { status: u16, kind: String, message: String },
    #[error("Stripe's answer could not be read: {0}")]
    Malformed(String),
}

#[derive(Clone)]
pub struct Stripe {
    base: String,
    key: Secret,
    http: reqwest::Client,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Customer {
    pub id: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct CheckoutSession {
    pub id: String,
    pub url: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PortalSession {
    pub url: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Price {
    pub id: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SubscriptionItem {
    pub price: Price,
    /// Where API versions from 2025-03 put the period.
    #[serde(default)]
    pub current_period_start: Option<i64>,
    #[serde(default)]
    pub current_period_end: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct List<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub has_more: bool,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub customer: String,
    pub status: String,
    #[serde(default)]
    pub cancel_at_period_end: bool,
    #[serde(default)]
    pub current_period_start: Option<i64>,
    #[serde(default)]
    pub current_period_end: Option<i64>,
    pub items: List<SubscriptionItem>,
    #[serde(default)]
    pub metadata: std::collections::BTreeMap<String, String>,
}

impl Subscription {
    pub fn price_id(&self) -> Option<&str> {
        self.items.data.first().map(|i| i.price.id.as_str())
    }

    /// (start, end) of the current period, from the subscription or (newer API versions) its
    /// first item.
    pub fn period(&self) -> (Option<i64>, Option<i64>) {
        let item = self.items.data.first();
        (
            self.current_period_start.or_else(|| item.and_then(|i| i.current_period_start)),
            self.current_period_end.or_else(|| item.and_then(|i| i.current_period_end)),
        )
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct Invoice {
    pub id: String,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    pub amount_due: i64,
    pub amount_paid: i64,
    pub currency: String,
    pub created: i64,
    #[serde(default)]
    pub hosted_invoice_url: Option<String>,
    #[serde(default)]
    pub invoice_pdf: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Coupon {
    pub id: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PromotionCode {
    pub id: String,
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorObject,
}

#[derive(Deserialize)]
struct ErrorObject {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    message: String,
}

/// What Checkout sells.
pub struct CheckoutParams<'a> {
    pub customer: &'a str,
    pub price: &'a str,
    pub user_id: &'a str,
    pub plan_id: &'a str,
    pub promotion_code: Option<&'a str>,
    pub success_url: &'a str,
    pub cancel_url: &'a str,
}

impl Stripe {
    pub fn new(base: &str, key: Secret) -> Result<Self, StripeError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| StripeError::Transport(e.to_string()))?;
        Ok(Self { base: base.trim_end_matches('/').to_string(), key, http })
    }

    fn configured(&self) -> Result<(), StripeError> {
        if self.key.expose().is_empty() {
            return Err(StripeError::NotConfigured);
        }
        Ok(())
    }

    async fn call<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, StripeError> {
        self.configured()?;
        let resp = req
            .bearer_auth(self.key.expose())
            .send()
            .await
            .map_err(|e| StripeError::Transport(e.without_url().to_string()))?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(|e| StripeError::Transport(e.to_string()))?;
        if !status.is_success() {
            let (kind, message) = match serde_json::from_slice::<ErrorEnvelope>(&bytes) {
                Ok(e) => (e.error.kind, e.error.message),
                Err(_) => (
                    "api_error".into(),
                    String::from_utf8_lossy(&bytes).chars().take(200).collect(),
                ),
            };
            return Err(StripeError::Api { status: status.as_u16(), kind, message });
        }
        serde_json::from_slice(&bytes).map_err(|e| StripeError::Malformed(e.to_string()))
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A customer for an account; the idempotency key makes a retry (or two first checkouts
    /// at once) return the same customer.
    pub async fn create_customer(
        &self,
        email: &str,
        user_id: &str,
    ) -> Result<Customer, StripeError> {
        let form = [("email", email), ("metadata[user_id]", user_id)];
        self.call(
            self.http
                .post(self.url("/v1/customers"))
                .header("Idempotency-Key", format!("customer-{user_id}"))
                .form(&form),
        )
        .await
    }

    pub async fn create_checkout_session(
        &self,
        p: &CheckoutParams<'_>,
    ) -> Result<CheckoutSession, StripeError> {
        let mut form = vec![
            ("mode", "subscription"),
            ("customer", p.customer),
            ("client_reference_id", p.user_id),
            ("line_items[0][price]", p.price),
            ("line_items[0][quantity]", "1"),
            ("success_url", p.success_url),
            ("cancel_url", p.cancel_url),
            ("metadata[user_id]", p.user_id),
            ("metadata[plan_id]", p.plan_id),
            ("subscription_data[metadata][user_id]", p.user_id),
            ("subscription_data[metadata][plan_id]", p.plan_id),
        ];
        if let Some(code) = p.promotion_code {
            form.push(("discounts[0][promotion_code]", code));
        }
        self.call(self.http.post(self.url("/v1/checkout/sessions")).form(&form)).await
    }

    pub async fn create_portal_session(
        &self,
        customer: &str,
        return_url: &str,
    ) -> Result<PortalSession, StripeError> {
        let form = [("customer", customer), ("return_url", return_url)];
        self.call(self.http.post(self.url("/v1/billing_portal/sessions")).form(&form)).await
    }

    pub async fn subscription(&self, id: &str) -> Result<Subscription, StripeError> {
        self.call(self.http.get(self.url(&format!("/v1/subscriptions/{id}")))).await
    }

    /// One page of every subscription (any status), after `starting_after`.
    pub async fn subscriptions(
        &self,
        starting_after: Option<&str>,
    ) -> Result<List<Subscription>, StripeError> {
        let mut q = vec![("status", "all"), ("limit", "100")];
        if let Some(s) = starting_after {
            q.push(("starting_after", s));
        }
        self.call(self.http.get(self.url("/v1/subscriptions")).query(&q)).await
    }

    pub async fn invoices(&self, customer: &str, limit: u32) -> Result<List<Invoice>, StripeError> {
        let limit = limit.to_string();
        let q = [("customer", customer), ("limit", limit.as_str())];
        self.call(self.http.get(self.url("/v1/invoices")).query(&q)).await
    }

    /// A coupon that applies once, mirroring ours.
    pub async fn create_coupon(
        &self,
        percent_off: Option<i64>,
        amount_off: Option<(i64, &str)>,
        max_redemptions: Option<i64>,
        redeem_by: Option<i64>,
        name: &str,
    ) -> Result<Coupon, StripeError> {
        let mut form: Vec<(&str, String)> =
            vec![("duration", "once".into()), ("name", name.to_string())];
        if let Some(p) = percent_off {
            form.push(("percent_off", p.to_string()));
        }
        if let Some((a, cur)) = amount_off {
            form.push(("amount_off", a.to_string()));
            form.push(("currency", cur.to_string()));
        }
        if let Some(m) = max_redemptions {
            form.push(("max_redemptions", m.to_string()));
        }
        if let Some(r) = redeem_by {
            form.push(("redeem_by", r.to_string()));
        }
        self.call(self.http.post(self.url("/v1/coupons")).form(&form)).await
    }

    /// The customer-facing code of a coupon.
    pub async fn create_promotion_code(
        &self,
        coupon: &str,
        code: &str,
        min_order_cents: Option<i64>,
    ) -> Result<PromotionCode, StripeError> {
        let mut form: Vec<(&str, String)> =
            vec![("coupon", coupon.to_string()), ("code", code.to_string())];
        if let Some(m) = min_order_cents {
            form.push(("restrictions[minimum_amount]", m.to_string()));
            form.push(("restrictions[minimum_amount_currency]", "usd".into()));
        }
        self.call(self.http.post(self.url("/v1/promotion_codes")).form(&form)).await
    }
}
