//! Device sync: sign in to a `qoder-server`, send this device's edits as end-to-end-encrypted
//! records, receive the other devices' and merge them into the local database.
//!
//! How it works:
//! - Triggers (migration 0004) mark every changed row of the synced tables in `sync_dirty`.
//! - Export compares each marked row with the copy sync last saw (`sync_entity.local`) and
//!   writes the changed fields as a [`qoder_sync::materialise::Change`], stamped with this
//!   device's hybrid logical clock, encrypted with the account's data key, into the outbox.
//! - Sync pushes the outbox (idempotent: a retry after a lost answer is a no-op), then pulls
//!   every other device's logs past what it has read, merges each record into the entity's
//!   state (last writer wins per field; deletes are tombstones; losing edits of long text are
//!   kept as conflict copies) and writes the result to the local tables with the triggers
//!   silenced.
//! - The data key never leaves the device unwrapped: the server holds it wrapped by a key
//!   derived from the password, and receives only a login secret derived separately.
//!
//! Every function here is blocking; the network part runs on a small runtime of its own.

pub mod account;
mod collections;
mod engine;
pub mod schedule;

use std::path::Path;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use qoder_domain::ErrorCode;
use qoder_domain::sync::{SyncConflict, SyncReport, SyncStatus};
use qoder_store::sync::{self as st, Account};
use qoder_store::{Store, StoreError};
use qoder_sync::crypto::CryptoError;
use qoder_sync::materialise::EntityState;
use qoder_sync::wire::Record;
use qoder_sync::{Client, ClientError};
use uuid::Uuid;

pub use collections::{MAX_SYNCED_FILE, ORDER as COLLECTIONS};

/// Records per pull page.
const PULL_PAGE: i64 = 500;
/// Most records, and about the most bytes, in one push (the server takes 1,000 and 4 MiB).
const PUSH_RECORDS: usize = 1000;
const PUSH_BYTES: usize = 3 * 1024 * 1024;
/// Locally changed entities turned into records per transaction.
const EXPORT_BATCH: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(
        "this device is not signed in to a sync server; run `qoder sync login` or use Settings → Sync"
    )]
    NotSignedIn,
    #[error("sync is turned off on this device; turn it on to sync")]
    Disabled,
    #[error(
        "a sync of this data folder is already running (the app or `qoder sync`); try again in a moment"
    )]
    Busy,
    #[error("{0}")]
    Validation(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Server(String, ErrorCode),
    #[error("could not reach the sync server at {server}: {detail}")]
    Offline { server: String, detail: String },
    #[error("the password is wrong, or the account's key was changed on another device")]
    WrongPassword,
    #[error(
        "the email or the password is not right (or there is no such account: add --create for the first device)"
    )]
    BadCredentials,
    #[error("the recovery code does not open this account's key (a newer code replaced it?)")]
    WrongRecoveryCode,
    #[error("sync data is damaged: {0}")]
    Corrupt(String),
}

impl From<CryptoError> for SyncError {
    fn from(e: CryptoError) -> Self {
        match e {
            CryptoError::WrongPassword => SyncError::WrongPassword,
            CryptoError::WrongRecoveryCode => SyncError::WrongRecoveryCode,
            CryptoError::WeakPassword | CryptoError::MalformedRecoveryCode => {
                SyncError::Validation(e.to_string())
            }
            other => SyncError::Corrupt(other.to_string()),
        }
    }
}

fn from_client(server: &str, e: ClientError) -> SyncError {
    match e {
        ClientError::Api { status, body } => {
            let message = match (status, body.code) {
                (401, _) => format!(
                    "the sync server refused this device's sign-in ({}); sign in again",
                    body.message
                ),
                _ => body.message,
            };
            SyncError::Server(message, body.code)
        }
        ClientError::NotSignedIn => SyncError::NotSignedIn,
        ClientError::Transport(e) => {
            SyncError::Offline { server: server.to_string(), detail: e.without_url().to_string() }
        }
        ClientError::Crypto(e) => e.into(),
        ClientError::Record(m) => SyncError::Corrupt(m),
    }
}

impl SyncError {
    /// Whether trying again later may help (the server is unreachable or busy).
    pub fn is_transient(&self) -> bool {
        matches!(self, SyncError::Offline { .. })
            || matches!(
                self,
                SyncError::Server(
                    _,
                    ErrorCode::RateLimited | ErrorCode::Upstream | ErrorCode::Internal
                )
            )
    }
}

impl qoder_domain::CodedError for SyncError {
    fn code(&self) -> ErrorCode {
        match self {
            SyncError::NotSignedIn => ErrorCode::Unauthorized,
            SyncError::Disabled | SyncError::Validation(_) => ErrorCode::Validation,
            SyncError::Busy => ErrorCode::Conflict,
            SyncError::WrongPassword | SyncError::BadCredentials | SyncError::WrongRecoveryCode => {
                ErrorCode::Unauthorized
            }
            SyncError::Store(e) => e.code(),
            SyncError::Server(_, code) => *code,
            SyncError::Offline { .. } => ErrorCode::Upstream,
            SyncError::Corrupt(_) => ErrorCode::Internal,
        }
    }
}

type Result<T> = std::result::Result<T, SyncError>;

/// One sync at a time per data directory, across processes (the app and `qoder sync`): refresh
/// tokens rotate, and two processes refreshing the same one would revoke the device's sign-in.
/// An OS file lock, so it is released when the process ends, however it ends.
struct SyncLock(#[allow(dead_code)] std::fs::File);

impl SyncLock {
    fn take(dir: &Path) -> Result<Self> {
        let path = dir.join("sync.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::io(format!("cannot open {}", path.display()), e))?;
        match file.try_lock() {
            Ok(()) => Ok(Self(file)),
            Err(std::fs::TryLockError::WouldBlock) => Err(SyncError::Busy),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(StoreError::io(format!("cannot lock {}", path.display()), e).into())
            }
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SyncError::Corrupt(format!("cannot start the network runtime: {e}")))
}

fn now_ms() -> u64 {
    u64::try_from(qoder_store::now_ms()).unwrap_or(0)
}

fn check_server(server: &str) -> Result<String> {
    let s = server.trim().trim_end_matches('/');
    if !(s.starts_with("http://") || s.starts_with("https://")) || s.len() < 10 {
        return Err(SyncError::Validation(format!(
            "the server address must start with http:// or https:// (got {server:?})"
        )));
    }
    // Plain http carries the password's login secret and the tokens in the clear: only to this
    // machine (a local server, or a tunnel to one).
    if let Some(rest) = s.strip_prefix("http://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let host = if host.starts_with('[') {
            host.split(']').next().map(|h| h.trim_start_matches('[')).unwrap_or_default()
        } else {
            host.split(':').next().unwrap_or_default()
        };
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if !loopback {
            return Err(SyncError::Validation(format!(
                "plain http:// is allowed only to this machine (localhost, 127.0.0.1, [::1]); use \
                 https:// for {server:?}"
            )));
        }
    }
    Ok(s.to_string())
}

/// Whether [`login`] signs in to an existing account or creates it (the first device).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountMode {
    Existing,
    Create,
}

/// Signs this device in to `server` (creating the account with [`AccountMode::Create`]), fetches
/// or creates the account's data key, and marks everything here to be sent on the next sync.
/// The password is not stored.
pub fn login(
    dir: &Path,
    server: &str,
    email: &str,
    password: &str,
    account: AccountMode,
) -> Result<SyncStatus> {
    login_with(dir, server, email, password, account, None)
}

/// [`login`], taking the data key with a recovery code instead of the password (when the key
/// stored under the password does not open, e.g. after a password reset elsewhere).
pub fn login_with(
    dir: &Path,
    server: &str,
    email: &str,
    password: &str,
    account: AccountMode,
    recovery_code: Option<&str>,
) -> Result<SyncStatus> {
    let server = check_server(server)?;
    if !email.contains('@') {
        return Err(SyncError::Validation(format!("{email:?} is not an email address")));
    }
    let mut store = Store::open(dir)?;
    let _lock = SyncLock::take(dir)?;
    let device_id = Uuid::now_v7();
    let client = Client::new(&server).map_err(|e| from_client(&server, e))?;
    let (tokens, key) = runtime()?.block_on(async {
        let tokens = if account == AccountMode::Create {
            client.register(email, password, device_id).await
        } else {
            client.login(email, password, device_id).await
        }
        .map_err(|e| match e {
            ClientError::Api { status: 401, .. } => SyncError::BadCredentials,
            other => from_client(&server, other),
        })?;
        let key = match recovery_code {
            Some(code) => client.data_key_with_recovery_code(code).await,
            None => client.data_key(password).await,
        }
        .map_err(|e| from_client(&server, e))?;
        Ok::<_, SyncError>((tokens, key))
    })?;
    let account = Account {
        server,
        email: qoder_sync::crypto::normalize_email(email),
        user_id: tokens.user_id.to_string(),
        device_id: device_id.to_string(),
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        data_key: key.expose_bytes().to_vec(),
        enabled: true,
        clock_wall: 0,
        clock_counter: 0,
        last_attempt_at: None,
        last_sync_at: None,
        last_error: None,
    };
    let server = account.server.clone();
    store.write(|tx| st::sign_in(tx, &account))?;
    account::follow_sign_in(&mut store, &server)?;
    status_of(&store)
}

/// Signs this device out: the server revokes its session (when reachable) and the account, key
/// and sync bookkeeping are removed here. The data stays.
pub fn logout(dir: &Path) -> Result<()> {
    let mut store = Store::open(dir)?;
    let _lock = SyncLock::take(dir)?;
    let Some(a) = st::account(store.conn())? else { return Ok(()) };
    if let Ok(client) = Client::new(&a.server)
        && let Ok(user) = Uuid::parse_str(&a.user_id)
    {
        client.resume_session(user, &a.access_token, &a.refresh_token);
        if let Ok(rt) = runtime()
            && let Err(e) = rt.block_on(client.logout())
        {
            tracing::warn!("sync: signing out on the server failed ({e}); signed out here");
        }
    }
    store.write(|tx| st::forget(tx).map_err(SyncError::from))?;
    // The freed pages were zeroed (secure_delete); fold the log in so no copy of the key or
    // the tokens stays in it.
    st::scrub(store.conn())?;
    Ok(())
}

/// Turns sync on or off on this device.
pub fn set_enabled(dir: &Path, enabled: bool) -> Result<SyncStatus> {
    let mut store = Store::open(dir)?;
    if st::account(store.conn())?.is_none() {
        return Err(SyncError::NotSignedIn);
    }
    store.write(|tx| st::set_enabled(tx, enabled).map_err(SyncError::from))?;
    status_of(&store)
}

/// Where this device stands.
pub fn status(dir: &Path) -> Result<SyncStatus> {
    status_of(&Store::open(dir)?)
}

fn at(ms: Option<i64>) -> Option<chrono::DateTime<Utc>> {
    ms.and_then(|m| Utc.timestamp_millis_opt(m).single())
}

pub fn status_of(store: &Store) -> Result<SyncStatus> {
    let Some(a) = st::account(store.conn())? else { return Ok(SyncStatus::default()) };
    let c = st::counts(store.conn())?;
    Ok(SyncStatus {
        signed_in: true,
        server: Some(a.server),
        email: Some(a.email),
        device_id: Some(a.device_id),
        enabled: a.enabled,
        last_sync_at: at(a.last_sync_at),
        last_attempt_at: at(a.last_attempt_at),
        last_error: a.last_error,
        waiting: u64::try_from(c.outbox + c.dirty).unwrap_or(0),
        pending: u64::try_from(c.pending).unwrap_or(0),
        conflicts: u64::try_from(c.conflicts).unwrap_or(0),
        set_aside: u64::try_from(c.set_aside).unwrap_or(0),
    })
}

/// Losing concurrent edits kept as conflict copies.
pub fn conflicts(dir: &Path) -> Result<Vec<SyncConflict>> {
    let store = Store::open(dir)?;
    let mut out = Vec::new();
    for (collection, entity, state) in st::with_conflicts(store.conn())? {
        let state: EntityState =
            serde_json::from_str(&state).map_err(|e| SyncError::Corrupt(e.to_string()))?;
        for c in state.conflicts(&entity) {
            out.push(SyncConflict {
                collection: collection.clone(),
                entity: entity.clone(),
                field: c.field,
                value: c.value.as_str().map_or_else(|| c.value.to_string(), str::to_string),
                device_id: c.stamp.device_id.to_string(),
                at: at(i64::try_from(c.stamp.hlc.wall_ms).ok()).unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

/// Sends this device's edits and merges the other devices'. Safe to call at any time and from
/// several processes (each step is one transaction; pushes are idempotent).
pub fn sync_now(dir: &Path) -> Result<SyncReport> {
    let started = Instant::now();
    let mut store = Store::open(dir)?;
    let _lock = SyncLock::take(dir)?;
    let account = st::account(store.conn())?.ok_or(SyncError::NotSignedIn)?;
    if !account.enabled {
        return Err(SyncError::Disabled);
    }
    let result = run(&mut store, &account);
    let error = result.as_ref().err().map(ToString::to_string);
    store.write(|tx| st::record_attempt(tx, now_ms() as i64, error.as_deref()))?;
    let mut report = result?;
    let c = st::counts(store.conn())?;
    report.pending = u64::try_from(c.pending).unwrap_or(0);
    report.conflicts = u64::try_from(c.conflicts).unwrap_or(0);
    report.took_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}

fn run(store: &mut Store, account: &Account) -> Result<SyncReport> {
    let mut ctx = engine::Ctx::from_account(account)?;
    let files = store.files_dir();
    // 1. Local edits into the outbox.
    loop {
        let n =
            store.write(|tx| engine::export_batch(tx, &files, &mut ctx, EXPORT_BATCH, now_ms()))?;
        if n == 0 {
            break;
        }
    }
    // 2. Push and pull.
    let client = Client::new(&account.server).map_err(|e| from_client(&account.server, e))?;
    let user = ctx.user_id;
    client.resume_session(user, &account.access_token, &account.refresh_token);
    let result = runtime()?.block_on(exchange(store, &client, &mut ctx, &account.server));
    // Refresh tokens rotate: keep the newest, whatever happened.
    keep_tokens(store, &client, &account.refresh_token)?;
    result
}

async fn exchange(
    store: &mut Store,
    client: &Client,
    ctx: &mut engine::Ctx,
    server: &str,
) -> Result<SyncReport> {
    let net = |e| from_client(server, e);
    let files = store.files_dir();
    let mut report = SyncReport::default();
    loop {
        let batch = st::outbox_batch(store.conn(), PUSH_RECORDS, PUSH_BYTES)?;
        if batch.is_empty() {
            break;
        }
        let records: Vec<Record> = batch
            .iter()
            .map(|o| serde_json::from_str(&o.record).map_err(|e| SyncError::Corrupt(e.to_string())))
            .collect::<Result<_>>()?;
        patient(|| client.push(&records)).await.map_err(net)?;
        store.write(|tx| {
            for o in &batch {
                st::outbox_remove(tx, &o.collection, o.idx)?;
            }
            Ok::<_, SyncError>(())
        })?;
        report.pushed += records.len() as u64;
    }
    let status = patient(|| client.status()).await.map_err(net)?;
    let mut heads = status.logs;
    heads.sort_by_key(|h| {
        (
            collections::ORDER.iter().position(|c| *c == h.collection).unwrap_or(usize::MAX),
            h.device_id,
        )
    });
    // This device's own logs are already applied here (each device has its own id).
    let me = ctx.device_id;
    let others = heads
        .iter()
        .filter(|h| h.device_id != me && collections::ORDER.contains(&h.collection.as_str()));
    for head in others {
        let device = head.device_id.to_string();
        loop {
            let (after, _) = st::read_mark(store.conn(), &device, &head.collection)?;
            if after >= head.max_idx {
                break;
            }
            let page = patient(|| client.pull(head.device_id, &head.collection, after, PULL_PAGE))
                .await
                .map_err(net)?;
            if page.records.is_empty() {
                break;
            }
            let applied = store.write(|tx| engine::apply(tx, &files, ctx, &page.records))?;
            report.pulled += applied.records;
            report.applied += applied.entities;
            let (now, _) = st::read_mark(store.conn(), &device, &head.collection)?;
            // No progress: the log has a gap its device has not pushed yet; read on later.
            if now == after {
                break;
            }
        }
    }
    report.applied += store.write(|tx| engine::retry_pending(tx, &files))?;
    Ok(report)
}

/// Waits when the server says to slow down (its per-user limit, 100 requests a minute by
/// default, is reached by a first sync of a large tracker), then asks again; up to ~2 minutes.
async fn patient<T, F, Fut>(call: F) -> std::result::Result<T, ClientError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = std::result::Result<T, ClientError>>,
{
    let mut waited = std::time::Duration::ZERO;
    loop {
        match call().await {
            Err(e)
                if e.code() == Some(ErrorCode::RateLimited)
                    && waited < std::time::Duration::from_secs(120) =>
            {
                let pause = std::time::Duration::from_secs(10);
                tracing::info!("sync: the server asks to slow down; waiting {pause:?}");
                tokio::time::sleep(pause).await;
                waited += pause;
            }
            other => return other,
        }
    }
}

/// Listens on the server's WebSocket and calls `on_push` each time another device of the
/// account pushed, until the connection ends (the error says why; reconnect after a pause).
///
/// The watch never refreshes the session itself: refresh tokens rotate, and two refreshes of
/// one token (this and a sync running at the same time) would revoke the device's sign-in. When
/// the access token has expired it fails with `unauthorized`; the next sync refreshes it.
pub async fn watch(dir: &Path, mut on_push: impl FnMut()) -> Result<()> {
    let (server, user, access) = {
        let store = Store::open(dir)?;
        let a = st::account(store.conn())?.ok_or(SyncError::NotSignedIn)?;
        if !a.enabled {
            return Err(SyncError::Disabled);
        }
        let user = Uuid::parse_str(&a.user_id).map_err(|e| SyncError::Corrupt(e.to_string()))?;
        (a.server, user, a.access_token)
    };
    let client = Client::new(&server).map_err(|e| from_client(&server, e))?;
    client.resume_session(user, &access, "");
    let watch_err = |e: qoder_sync::WatchError| match e {
        qoder_sync::WatchError::Client(c) => from_client(&server, c),
        other => SyncError::Offline { server: server.clone(), detail: other.to_string() },
    };
    let mut w = client.watch().await.map_err(watch_err)?;
    loop {
        // The server tells a device only of the other devices' pushes.
        let qoder_sync::wire::Notice::Pushed { .. } = w.next().await.map_err(watch_err)?;
        on_push();
    }
}

/// The signed-in account's session and key, for calls outside a sync.
fn session(store: &Store) -> Result<(Account, Client, qoder_sync::crypto::DataKey)> {
    let a = st::account(store.conn())?.ok_or(SyncError::NotSignedIn)?;
    let client = Client::new(&a.server).map_err(|e| from_client(&a.server, e))?;
    let user = Uuid::parse_str(&a.user_id).map_err(|e| SyncError::Corrupt(e.to_string()))?;
    client.resume_session(user, &a.access_token, &a.refresh_token);
    let key = qoder_sync::crypto::DataKey::from_bytes(&a.data_key)?;
    Ok((a, client, key))
}

/// Saves the session's tokens when they rotated (refresh tokens are spent on use).
fn keep_tokens(store: &mut Store, client: &Client, stored_refresh: &str) -> Result<()> {
    if let Some((_, access, refresh)) = client.saved_session()
        && refresh != stored_refresh
    {
        store.write(|tx| st::set_tokens(tx, &access, &refresh))?;
    }
    Ok(())
}

/// Makes the account's first recovery code and returns it, to be written down: with it, a
/// device that can sign in gets the key even if the key stored under the password cannot be
/// opened. If a code is already set up this fails: replacing it needs the password
/// ([`new_recovery_code_with`]).
pub fn new_recovery_code(dir: &Path) -> Result<String> {
    new_recovery_code_with(dir, None)
}

/// [`new_recovery_code`]; with `password`, an existing code is replaced (it stops working). The
/// server checks the password, so a stolen access token alone cannot replace the code.
pub fn new_recovery_code_with(dir: &Path, password: Option<&str>) -> Result<String> {
    let _lock = SyncLock::take(dir)?;
    let mut store = Store::open(dir)?;
    let (a, client, key) = session(&store)?;
    let code = runtime()?.block_on(async {
        match password {
            Some(p) => client.replace_recovery_code(&key, &a.email, p).await,
            None => client.create_recovery_code(&key).await,
        }
    });
    keep_tokens(&mut store, &client, &a.refresh_token)?;
    let code = code.map_err(|e| match e {
        ClientError::Api { status: 409, .. } => SyncError::Server(
            "a recovery code is already set up; making a new one needs the account's password \
             (`qoder sync recovery-code --replace`)"
                .into(),
            ErrorCode::Conflict,
        ),
        ClientError::Api { status: 403, .. } => SyncError::WrongPassword,
        e => from_client(&a.server, e),
    })?;
    Ok(code.display().to_string())
}

/// Changes the account's password (the key is re-wrapped under the new one on this device; the
/// server never sees either password). Every other device must sign in again.
pub fn change_password(dir: &Path, old_password: &str, new_password: &str) -> Result<SyncStatus> {
    let _lock = SyncLock::take(dir)?;
    let mut store = Store::open(dir)?;
    let (a, client, key) = session(&store)?;
    let r = runtime()?.block_on(client.change_password(&a.email, old_password, new_password, &key));
    keep_tokens(&mut store, &client, &a.refresh_token)?;
    r.map_err(|e| match e {
        ClientError::Api { status: 401, .. } => SyncError::BadCredentials,
        other => from_client(&a.server, other),
    })?;
    status_of(&store)
}

#[cfg(test)]
mod tests {
    use super::*;
    use qoder_domain::CodedError;

    #[test]
    fn one_sync_at_a_time_per_data_directory() {
        let dir = tempfile::tempdir().unwrap();
        let held = SyncLock::take(dir.path()).unwrap();
        assert!(matches!(SyncLock::take(dir.path()), Err(SyncError::Busy)));
        assert_eq!(SyncError::Busy.code(), ErrorCode::Conflict);
        drop(held);
        assert!(SyncLock::take(dir.path()).is_ok());
    }

    #[test]
    fn plain_http_only_to_this_machine() {
        for ok in [
            "https://sync.example.com",
            "http://127.0.0.1:8080",
            "http://localhost:8080/",
            "http://[::1]:8080",
            "http://127.0.0.2",
        ] {
            assert!(check_server(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://sync.example.com",
            "http://192.168.1.10:8080",
            "http://localhost.evil.com",
            "http://127.0.0.1@evil.com",
            "http://[2001:db8::1]:8080",
        ] {
            assert!(matches!(check_server(bad), Err(SyncError::Validation(_))), "{bad}");
        }
    }

    #[test]
    fn not_signed_in_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let e = sync_now(dir.path()).unwrap_err();
        assert!(matches!(e, SyncError::NotSignedIn), "{e}");
        assert!(!status(dir.path()).unwrap().signed_in);
        assert!(matches!(set_enabled(dir.path(), true), Err(SyncError::NotSignedIn)));
        assert!(matches!(
            login(dir.path(), "ftp://example.com", "a@b.co", "password1", AccountMode::Existing),
            Err(SyncError::Validation(_))
        ));
    }
}
