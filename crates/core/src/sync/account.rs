//! The signed-in account's plan and billing on its `qoder-server`: the subscription, usage of
//! each limit, invoices, feature flags, and the Stripe pages to upgrade (Checkout) or manage
//! billing (the customer portal). Uses the sync sign-in of this data folder (`qoder sync
//! login`); like sync, it holds the sync lock while it talks to the server, since refresh
//! tokens rotate.

use std::path::Path;
use std::time::{Duration, Instant};

use qoder_store::Store;
use qoder_store::sync as st;
use qoder_sync::billing::{
    FlagsResponse, Invoice, Plan, RedirectUrl, SubscriptionView, UsageResponse,
};
use qoder_sync::{Client, ClientError};
use serde::Serialize;
use uuid::Uuid;

use super::{Result, SyncError, SyncLock, from_client, keep_tokens, runtime};

/// What `qoder account status` shows.
#[derive(Clone, Debug, Serialize)]
pub struct AccountStatus {
    pub server: String,
    pub email: String,
    pub subscription: SubscriptionView,
    pub usage: UsageResponse,
}

/// The sync lock, waiting up to 5 s for a running sync to finish.
fn lock(dir: &Path) -> Result<SyncLock> {
    let started = Instant::now();
    loop {
        match SyncLock::take(dir) {
            Err(SyncError::Busy) if started.elapsed() < Duration::from_secs(5) => {
                std::thread::sleep(Duration::from_millis(200));
            }
            other => return other,
        }
    }
}

/// Runs `call` with the stored session, then keeps the rotated tokens.
fn with_session<T>(
    dir: &Path,
    call: impl AsyncFnOnce(&Client) -> std::result::Result<T, ClientError>,
) -> Result<(T, st::Account)> {
    let _lock = lock(dir)?;
    let mut store = Store::open(dir)?;
    let a = st::account(store.conn())?.ok_or(SyncError::NotSignedIn)?;
    let client = Client::new(&a.server).map_err(|e| from_client(&a.server, e))?;
    let user = Uuid::parse_str(&a.user_id).map_err(|e| SyncError::Corrupt(e.to_string()))?;
    client.resume_session(user, &a.access_token, &a.refresh_token);
    let result = runtime()?.block_on(call(&client));
    keep_tokens(&mut store, &client, &a.refresh_token)?;
    let value = result.map_err(|e| from_client(&a.server, e))?;
    Ok((value, a))
}

pub fn status(dir: &Path) -> Result<AccountStatus> {
    let ((subscription, usage), a) = with_session(dir, async |c: &Client| {
        let s = c.subscription().await?;
        let u = c.usage().await?;
        Ok((s, u))
    })?;
    Ok(AccountStatus { server: a.server, email: a.email, subscription, usage })
}

pub fn usage(dir: &Path) -> Result<UsageResponse> {
    Ok(with_session(dir, async |c: &Client| c.usage().await)?.0)
}

pub fn invoices(dir: &Path) -> Result<Vec<Invoice>> {
    Ok(with_session(dir, async |c: &Client| c.invoices().await)?.0.invoices)
}

pub fn plans(dir: &Path) -> Result<Vec<Plan>> {
    Ok(with_session(dir, async |c: &Client| c.plans().await)?.0.plans)
}

pub fn flags(dir: &Path) -> Result<FlagsResponse> {
    Ok(with_session(dir, async |c: &Client| c.flags().await)?.0)
}

/// The Stripe Checkout page for `plan` (`pro_monthly`, `pro_quarterly`, `pro_halfyearly`),
/// with an optional coupon code.
pub fn upgrade(dir: &Path, plan: &str, coupon: Option<&str>) -> Result<RedirectUrl> {
    Ok(with_session(dir, async |c: &Client| c.checkout(plan, coupon).await)?.0)
}

/// The Stripe customer portal (cancel, switch plan, card, invoices).
pub fn portal(dir: &Path) -> Result<RedirectUrl> {
    Ok(with_session(dir, async |c: &Client| c.portal().await)?.0)
}

/// A usage list to print.
pub struct UsageView<'a>(pub &'a [qoder_sync::billing::UsageItem]);
