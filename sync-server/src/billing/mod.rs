//! Plans and billing: plans as data, Stripe (Checkout, the customer portal, subscriptions,
//! invoices, coupons), webhooks, usage limits and feature flags. HTTP is in `http::billing`.

pub mod checkout;
pub mod coupons;
pub mod flags;
pub mod plans;
pub mod stripe;
pub mod subscriptions;
pub mod usage;
pub mod webhook;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::Config;

/// What billing needs in every handler.
pub struct Billing {
    pub stripe: stripe::Stripe,
    /// Plan id → Stripe price id (`QODER_STRIPE_PRICES`).
    pub prices: BTreeMap<String, String>,
    pub flags: Arc<flags::Flags>,
}

impl Billing {
    pub fn new(config: &Config) -> anyhow::Result<Self> {
        let stripe = stripe::Stripe::new(&config.stripe_api_base, config.stripe_secret_key.clone())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let prices = config.stripe_price_map().map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(Self { stripe, prices, flags: Arc::new(flags::Flags::new(flags::TTL)) })
    }

    pub fn enabled(&self, config: &Config) -> bool {
        !config.stripe_secret_key.expose().is_empty()
    }
}
