//! The signed-in account's plan and billing on its `qoder-server`: the subscription, usage of
//! each limit, invoices, feature flags, and the Stripe pages to upgrade (Checkout) or manage
//! billing (the customer portal). Uses the sync sign-in of this data folder (`qoder sync
//! login`); like sync, it holds the sync lock while it talks to the server, since refresh
//! tokens rotate.
//!
//! "Use QoderResume AI" (the hosted provider) lives here too: it is the account's server, and
//! the account's session token is its key ([`with_session_key`]). Before the first hosted call
//! the user is told what leaves the machine ([`HOSTED_AI_NOTICE`]); turning it on records that.

use std::path::Path;
use std::time::{Duration, Instant};

pub use qoder_domain::billing::AccountStatus;
use qoder_llm::secret::{ApiKey, KeySource};
use qoder_llm::{ProviderConfig, ProviderKind};
use qoder_store::Store;

use crate::Config;
use qoder_store::sync as st;
use qoder_sync::billing::{FlagsResponse, Invoice, Plan, RedirectUrl, UsageResponse};
use qoder_sync::wire::ErasureReceipt;
use qoder_sync::{Client, ClientError};
use uuid::Uuid;

use super::{Result, SyncError, SyncLock, from_client, keep_tokens, runtime};

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

/// The signed-in account of `dir`, its store under the sync lock, and a client resuming its
/// session.
struct Session {
    _lock: SyncLock,
    store: Store,
    account: st::Account,
    client: Client,
}

impl Session {
    fn open(dir: &Path) -> Result<Session> {
        let _lock = lock(dir)?;
        let store = Store::open(dir)?;
        let a = st::account(store.conn())?.ok_or(SyncError::NotSignedIn)?;
        let client = Client::new(&a.server).map_err(|e| from_client(&a.server, e))?;
        let user = Uuid::parse_str(&a.user_id).map_err(|e| SyncError::Corrupt(e.to_string()))?;
        client.resume_session(user, &a.access_token, &a.refresh_token);
        Ok(Session { _lock, store, account: a, client })
    }
}

/// Runs `call` with the stored session, then keeps the rotated tokens.
fn with_session<T>(
    dir: &Path,
    call: impl AsyncFnOnce(&Client) -> std::result::Result<T, ClientError>,
) -> Result<(T, st::Account)> {
    let Session { _lock, mut store, account: a, client } = Session::open(dir)?;
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

/// Everything the account's server holds about it (GDPR export): the bytes of a zip of JSON
/// files, ciphertext marked as such.
pub fn export(dir: &Path) -> Result<Vec<u8>> {
    Ok(with_session(dir, async |c: &Client| c.export_account().await)?.0)
}

/// Erases the account on its server (the password again, as confirmation) and signs this
/// device out; the server's receipt. The data on this device stays.
pub fn erase(dir: &Path, password: &str) -> Result<ErasureReceipt> {
    let Session { _lock, mut store, account: a, client } = Session::open(dir)?;
    let receipt = match runtime()?.block_on(client.erase_account(&a.email, password)) {
        Ok(r) => r,
        Err(e) => {
            keep_tokens(&mut store, &client, &a.refresh_token)?;
            return Err(from_client(&a.server, e));
        }
    };
    // The account is gone: sign this device out (the tokens and the key are scrubbed).
    store.write(|tx| st::forget(tx).map_err(SyncError::from))?;
    st::scrub(store.conn())?;
    Ok(receipt)
}

/// What the app and the CLI say before the first call to the hosted AI.
pub const HOSTED_AI_NOTICE: &str = "QoderResume AI runs on your account's server: each request \
sends the parts of your resume the prompt needs (experience, skills, summary, projects) and the \
job description to it. Contact details (name, email, phone, address, links) never leave this \
computer. The server does not keep the text after answering; it counts your use against your plan.";

/// The setting that records the user's consent to [`HOSTED_AI_NOTICE`] (when, RFC 3339).
pub const SETTING_HOSTED_CONSENT: &str = "ai.hosted.consented_at";

/// Whether "Use QoderResume AI" is on (a hosted provider is configured) and the user agreed to
/// what it sends.
pub fn hosted_ai_on(store: &Store) -> Result<bool> {
    let configured = crate::suggest::configured_providers(store)
        .map_err(|e| SyncError::Validation(e.to_string()))?;
    Ok(configured.iter().any(|p| p.kind == ProviderKind::Hosted)
        && qoder_store::setting::get(store.conn(), SETTING_HOSTED_CONSENT)?.is_some())
}

/// Turns "Use QoderResume AI" on or off. On: the signed-in account's server becomes the first
/// provider (the user's own keys stay, after it, as the failover), and the consent to
/// [`HOSTED_AI_NOTICE`] is recorded; this needs a sign-in. Off: the hosted provider is removed.
pub fn set_hosted_ai(dir: &Path, on: bool) -> Result<()> {
    let mut store = Store::open(dir)?;
    let input = |e: crate::suggest::SuggestError| SyncError::Validation(e.to_string());
    if !on {
        crate::suggest::remove_provider(&mut store, ProviderKind::Hosted.as_str())
            .map_err(input)?;
        return Ok(());
    }
    let cfg = account_hosted_provider(&store)?;
    crate::suggest::save_provider_first(&mut store, cfg).map_err(input)?;
    let now = chrono::Utc::now().to_rfc3339();
    store.write(|tx| qoder_store::setting::set(tx, SETTING_HOSTED_CONSENT, &now))?;
    Ok(())
}

/// The access token of this folder's sign-in, refreshed when it has expired; `None` when the
/// folder is not signed in. When the server cannot be reached the stored token is given (the
/// hosted call then reports the server as unavailable).
pub fn session_key(dir: &Path) -> Result<Option<ApiKey>> {
    let stored = {
        let store = Store::open(dir)?;
        match st::account(store.conn())? {
            None => return Ok(None),
            Some(a) => a.access_token,
        }
    };
    match with_session(dir, async |c: &Client| {
        // Any authenticated call refreshes an expired access token; the flags are the cheapest.
        c.flags().await?;
        Ok(c.access_token())
    }) {
        Ok((token, _)) => Ok(token.and_then(ApiKey::new)),
        Err(SyncError::Offline { .. }) => Ok(ApiKey::new(stored)),
        Err(e) => Err(e),
    }
}

/// `keys` with the session token as the hosted provider's key, when `store` has the hosted
/// provider configured (no server call otherwise); see [`with_session_for`].
pub fn with_session_key(dir: &Path, store: &Store, keys: KeySource) -> Result<KeySource> {
    let configured = crate::suggest::configured_providers(store)
        .map_err(|e| SyncError::Validation(e.to_string()))?;
    match configured.iter().find(|p| p.kind == ProviderKind::Hosted) {
        Some(hosted) => with_session_for(dir, store, hosted, keys),
        None => Ok(keys),
    }
}

/// `keys` with the session token added when `provider` is the hosted AI of the server this
/// folder is signed in to. The token goes only to the server it is for: any other provider,
/// or a hosted one pointing elsewhere, gets `keys` unchanged.
pub fn with_session_for(
    dir: &Path,
    store: &Store,
    provider: &ProviderConfig,
    keys: KeySource,
) -> Result<KeySource> {
    if provider.kind != ProviderKind::Hosted {
        return Ok(keys);
    }
    let Some(a) = st::account(store.conn())? else { return Ok(keys) };
    if hosted_config(&a.server)?.base_url != provider.base_url {
        tracing::warn!(
            hosted = %provider.base_url,
            "QoderResume AI points at another server than the sign-in; no session sent"
        );
        return Ok(keys);
    }
    Ok(keys.with_session(session_key(dir)?))
}

/// The hosted AI of the server this folder is signed in to.
pub fn account_hosted_provider(store: &Store) -> Result<ProviderConfig> {
    let a = st::account(store.conn())?.ok_or(SyncError::NotSignedIn)?;
    hosted_config(&a.server)
}

fn hosted_config(server: &str) -> Result<ProviderConfig> {
    ProviderConfig::new(ProviderKind::Hosted, Some(server))
        .map_err(|e| SyncError::Validation(e.to_string()))
}

/// After signing in to `server`: a configured hosted provider follows the account there (its
/// place in the failover order kept).
pub(super) fn follow_sign_in(store: &mut Store, server: &str) -> Result<()> {
    let input = |e: crate::suggest::SuggestError| SyncError::Validation(e.to_string());
    let configured = crate::suggest::configured_providers(store).map_err(input)?;
    if let Some(old) = configured.iter().find(|p| p.kind == ProviderKind::Hosted) {
        let new = hosted_config(server)?;
        if new.base_url != old.base_url {
            crate::suggest::save_provider(
                store,
                ProviderConfig { base_url: new.base_url, ..old.clone() },
            )
            .map_err(input)?;
        }
    }
    Ok(())
}

/// Opens `url` (a Stripe page) in the system browser; `false` when it could not, or when
/// `config` says not to (QODER_NO_BROWSER=1: scripts, CI, tests).
pub fn open_in_browser(url: &str, config: &Config) -> bool {
    if !config.open_browser {
        return false;
    }
    let status = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).status()
    } else if cfg!(windows) {
        std::process::Command::new("rundll32").args(["url.dll,FileProtocolHandler", url]).status()
    } else {
        std::process::Command::new("xdg-open").arg(url).status()
    };
    status.is_ok_and(|s| s.success())
}

/// Opens a page Stripe hosts (an invoice, Checkout, the portal) in the system browser; any
/// other address is refused, so the app's window cannot send the browser elsewhere.
pub fn open_stripe_page(url: &str, config: &Config) -> Result<bool> {
    let host = url
        .strip_prefix("https://")
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""))
        .unwrap_or("");
    if host != "stripe.com" && !host.ends_with(".stripe.com") {
        return Err(SyncError::Validation(format!("{url:?} is not a page on stripe.com")));
    }
    Ok(open_in_browser(url, config))
}

/// A usage list to print.
pub struct UsageView<'a>(pub &'a [qoder_sync::billing::UsageItem]);

#[cfg(test)]
mod tests {
    use super::*;

    fn signed_in(dir: &Path, server: &str) -> Store {
        let mut store = Store::open(dir).unwrap();
        let a = st::Account {
            server: server.into(),
            email: "a@b.co".into(),
            user_id: Uuid::now_v7().to_string(),
            device_id: Uuid::now_v7().to_string(),
            access_token: "stored-access-token".into(),
            refresh_token: "r".into(),
            data_key: vec![0; 32],
            enabled: true,
            clock_wall: 0,
            clock_counter: 0,
            last_attempt_at: None,
            last_sync_at: None,
            last_error: None,
        };
        store.write(|tx| st::sign_in(tx, &a)).unwrap();
        store
    }

    fn hosted_key(dir: &Path) -> Option<String> {
        let store = Store::open(dir).unwrap();
        let keys = with_session_key(dir, &store, KeySource::default()).unwrap();
        keys.get("hosted").map(|k| k.expose().to_string())
    }

    #[test]
    fn the_session_goes_only_to_the_signed_in_server_and_follows_a_new_sign_in() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // Port 9 (discard): nothing answers, so the stored token is what is given.
        let mut store = signed_in(d, "http://127.0.0.1:9");
        assert_eq!(hosted_key(d), None, "no hosted provider: no session looked up");
        set_hosted_ai(d, true).unwrap();
        assert!(hosted_ai_on(&store).unwrap());
        assert_eq!(hosted_key(d).as_deref(), Some("stored-access-token"));

        // Signed in elsewhere without following: the token is not sent to the old server.
        let other = ProviderConfig::new(ProviderKind::Hosted, Some("http://127.0.0.1:10")).unwrap();
        crate::suggest::save_provider(&mut store, other).unwrap();
        assert_eq!(hosted_key(d), None);
        follow_sign_in(&mut store, "http://127.0.0.1:9").unwrap();
        let list = crate::suggest::configured_providers(&store).unwrap();
        assert_eq!(list[0].base_url, "http://127.0.0.1:9");
        assert_eq!(hosted_key(d).as_deref(), Some("stored-access-token"));

        set_hosted_ai(d, false).unwrap();
        assert!(!hosted_ai_on(&store).unwrap());
        assert!(crate::suggest::configured_providers(&store).unwrap().is_empty());
    }

    /// The command line's `--provider hosted [--base-url URL]`: the signed-in server's hosted AI
    /// gets the session; the same provider pointed at another server, or another kind, does not.
    #[test]
    fn an_explicit_provider_gets_the_session_only_for_the_signed_in_server() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let key = |p: &ProviderConfig| {
            let store = Store::open(d).unwrap();
            let keys = with_session_for(d, &store, p, KeySource::default()).unwrap();
            keys.get("hosted").map(|k| k.expose().to_string())
        };
        let elsewhere =
            ProviderConfig::new(ProviderKind::Hosted, Some("http://127.0.0.1:10")).unwrap();
        assert!(matches!(
            account_hosted_provider(&Store::open(d).unwrap()),
            Err(SyncError::NotSignedIn)
        ));
        assert_eq!(key(&elsewhere), None, "not signed in");
        let store = signed_in(d, "http://127.0.0.1:9");
        let own = account_hosted_provider(&store).unwrap();
        assert_eq!(own.base_url, "http://127.0.0.1:9");
        assert_eq!(key(&own).as_deref(), Some("stored-access-token"));
        assert_eq!(key(&elsewhere), None, "a hosted provider at another server");
        let ollama =
            ProviderConfig::new(ProviderKind::OpenaiCompatible, Some("http://127.0.0.1:9"))
                .unwrap();
        assert_eq!(key(&ollama), None, "another kind of provider");
    }

    #[test]
    fn only_stripe_pages_are_opened() {
        for bad in [
            "http://invoice.stripe.com/i/1",
            "https://evil.example/stripe.com",
            "https://stripe.com.evil.example/x",
            "file:///etc/passwd",
        ] {
            assert!(open_stripe_page(bad, &Config::default()).is_err(), "{bad}");
        }
        // QODER_NO_BROWSER=1: nothing is launched, and the caller hears so.
        let quiet = Config { open_browser: false, ..Config::default() };
        assert!(!open_stripe_page("https://invoice.stripe.com/i/1", &quiet).unwrap());
    }
}
