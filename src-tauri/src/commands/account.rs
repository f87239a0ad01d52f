//! Settings → Account: the plan, its use and invoices of the signed-in `qoder-server`
//! account, and the Stripe pages to upgrade or manage billing (qoder-core's
//! [`qoder_core::sync::account`], the same use cases as `qoder account`).

use qoder_core::sync::account;
use qoder_domain::billing::{AccountStatus, FlagsResponse, Invoice, Plan};
use tauri::AppHandle;

use crate::commands::blocking;
use crate::dto::BrowserPage;
use crate::error::CommandResult;

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn account_status(app: AppHandle) -> CommandResult<AccountStatus> {
    blocking(app, |s| Ok(account::status(&s.data_dir)?)).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn account_plans(app: AppHandle) -> CommandResult<Vec<Plan>> {
    blocking(app, |s| Ok(account::plans(&s.data_dir)?)).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn account_invoices(app: AppHandle) -> CommandResult<Vec<Invoice>> {
    blocking(app, |s| Ok(account::invoices(&s.data_dir)?)).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn account_flags(app: AppHandle) -> CommandResult<FlagsResponse> {
    blocking(app, |s| Ok(account::flags(&s.data_dir)?)).await
}

/// Stripe Checkout for `plan` (and an optional coupon), opened in the system browser.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn account_upgrade(
    app: AppHandle,
    plan: String,
    coupon: Option<String>,
) -> CommandResult<BrowserPage> {
    blocking(app, move |s| {
        let coupon = coupon.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let url = account::upgrade(&s.data_dir, &plan, coupon)?.url;
        Ok(BrowserPage { opened: account::open_in_browser(&url, &s.config), url })
    })
    .await
}

/// Stripe's customer portal (cancel, change plan, card), opened in the system browser.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn account_portal(app: AppHandle) -> CommandResult<BrowserPage> {
    blocking(app, |s| {
        let url = account::portal(&s.data_dir)?.url;
        Ok(BrowserPage { opened: account::open_in_browser(&url, &s.config), url })
    })
    .await
}

/// An invoice's page on Stripe, opened in the system browser (stripe.com pages only).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn account_open_page(app: AppHandle, url: String) -> CommandResult<bool> {
    blocking(app, move |s| Ok(account::open_stripe_page(&url, &s.config)?)).await
}
