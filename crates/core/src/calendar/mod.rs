//! Calendar sync: interviews of the job tracker pushed as events to Google Calendar (v3, the
//! primary calendar) and Microsoft Outlook (Graph v1.0, `/me/events`).
//!
//! - Connect: OAuth 2.0 authorization code + PKCE through the system browser and a loopback
//!   redirect ([`oauth`]); the tokens go to the OS keychain ([`vault`]).
//! - Sync: every interview is turned into the provider's event JSON and hashed; the mapping
//!   table (`calendar_event`: interview → event id, etag, hash of what was sent) says what is new
//!   (insert), changed (patch), or gone from the tracker (delete). Unchanged events cost no
//!   request. An event deleted in the calendar (404 / 410 on patch) is made again; failures are
//!   recorded on the account (last error, last success) and tried again by the next sync.
//! - Disconnect forgets the tokens and the mapping and leaves the events in the calendar unless
//!   asked to remove them ([`RemoveEvents::Remove`]).
//!
//! Blocking (reqwest's blocking client); the store is locked only between requests.

pub mod api;
pub mod oauth;
pub mod vault;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use chrono::Utc;
use qoder_domain::ErrorCode;
pub use qoder_domain::calendar::{
    CalendarAccount, CalendarDisconnect, CalendarFailure, CalendarProvider, CalendarStatus,
    CalendarSyncReport, RemoveEvents,
};
use qoder_domain::job::{Interview, JobApplication};
use qoder_llm::HttpConfig;
use qoder_store::{Store, StoreError, calendar as st, interview, job};
use sha2::{Digest, Sha256};

use crate::Config;
use api::{CallError, Session};
use oauth::{Grant, Loopback, Tokens};

/// An interview that ended longer ago than this is not added to a calendar (it is still
/// updated or deleted if it was added before).
const PAST_LIMIT_DAYS: i64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error(
        "{var} is not set: create an OAuth client for {} (README, \"Calendars\") and set it",
        provider.label()
    )]
    NotConfigured { provider: CalendarProvider, var: &'static str },
    #[error("{} is not connected; run `qoder calendar connect {}` or use Settings → Calendars", .0.label(), .0.as_str())]
    NotConnected(CalendarProvider),
    #[error(
        "no calendar is connected; run `qoder calendar connect google|outlook` or use Settings → Calendars"
    )]
    NoneConnected,
    #[error("the calendar was not connected: access was not granted in the browser ({0})")]
    Denied(String),
    #[error("no answer from the browser within {0} s; connect again")]
    ConnectTimeout(u64),
    #[error("connecting was cancelled")]
    Cancelled,
    #[error("{} refused the sign-in ({detail}); connect it again", provider.label())]
    Refused { provider: CalendarProvider, detail: String },
    #[error("{} asks to slow down{}; the next sync tries again", provider.label(), retry_after.map(|s| format!(" (retry after {s} s)")).unwrap_or_default())]
    RateLimited { provider: CalendarProvider, retry_after: Option<u64> },
    #[error("cannot reach {}: {detail}", provider.label())]
    Offline { provider: CalendarProvider, detail: String },
    #[error("{0}")]
    Upstream(String),
    #[error(
        "a calendar sync is already running (the app or `qoder calendar sync`); try again in a moment"
    )]
    Busy,
    #[error("{0}")]
    Validation(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
}

impl CalendarError {
    pub(crate) fn offline(provider: CalendarProvider, e: &reqwest::Error) -> Self {
        let detail = if e.is_timeout() {
            "no answer in time".to_string()
        } else if e.is_connect() {
            "cannot connect".to_string()
        } else {
            // Without the URL: it may carry a query, never a token, but keep messages short.
            e.to_string().split(" for url").next().unwrap_or("request failed").to_string()
        };
        CalendarError::Offline { provider, detail }
    }
}

impl qoder_domain::CodedError for CalendarError {
    fn code(&self) -> ErrorCode {
        match self {
            CalendarError::NotConfigured { .. }
            | CalendarError::NotConnected(_)
            | CalendarError::NoneConnected
            | CalendarError::Denied(_)
            | CalendarError::Validation(_)
            | CalendarError::Cancelled => ErrorCode::Validation,
            CalendarError::ConnectTimeout(_) => ErrorCode::Timeout,
            CalendarError::Refused { .. } => ErrorCode::Unauthorized,
            CalendarError::RateLimited { .. } => ErrorCode::RateLimited,
            CalendarError::Offline { .. } | CalendarError::Upstream(_) => ErrorCode::Upstream,
            CalendarError::Busy => ErrorCode::Conflict,
            CalendarError::Store(e) => e.code(),
            CalendarError::Internal(_) => ErrorCode::Internal,
        }
    }
}

pub type Result<T, E = CalendarError> = std::result::Result<T, E>;

/// One OAuth client: GOOGLE_CALENDAR_CLIENT_ID / _SECRET, OUTLOOK_CLIENT_ID / _SECRET, and a
/// base URL that replaces every host of the provider (tests: a local server).
#[derive(Clone, Debug, Default)]
pub struct OAuthClient {
    pub client_id: Option<String>,
    /// Google's "Desktop app" clients come with a secret its token endpoint asks for (it is not
    /// secret in an installed app; PKCE protects the code). Microsoft's public clients have none.
    pub client_secret: Option<String>,
    pub base_url: Option<String>,
}

/// The calendar settings of [`Config`].
#[derive(Clone, Debug)]
pub struct CalendarConfig {
    pub google: OAuthClient,
    pub outlook: OAuthClient,
    /// Whether the OS keychain holds the tokens (QODER_NO_KEYCHAIN=1 turns it off).
    pub keychain: bool,
    /// How long connect waits for the browser.
    pub connect_timeout: Duration,
    /// Timeouts, retries and the longest `Retry-After` waited for.
    pub http: HttpConfig,
}

impl Default for CalendarConfig {
    fn default() -> Self {
        CalendarConfig {
            google: OAuthClient::default(),
            outlook: OAuthClient::default(),
            keychain: true,
            connect_timeout: Duration::from_secs(300),
            http: HttpConfig {
                read_timeout: Duration::from_secs(30),
                total_timeout: Duration::from_secs(120),
                max_retry_after: Duration::from_secs(30),
                ..HttpConfig::default()
            },
        }
    }
}

impl CalendarConfig {
    pub fn client(&self, p: CalendarProvider) -> &OAuthClient {
        match p {
            CalendarProvider::Google => &self.google,
            CalendarProvider::Outlook => &self.outlook,
        }
    }

    fn client_id(&self, p: CalendarProvider) -> Result<&str> {
        self.client(p).client_id.as_deref().ok_or(CalendarError::NotConfigured {
            provider: p,
            var: match p {
                CalendarProvider::Google => "GOOGLE_CALENDAR_CLIENT_ID",
                CalendarProvider::Outlook => "OUTLOOK_CLIENT_ID",
            },
        })
    }
}

/// A provider's addresses.
#[derive(Clone, Debug)]
pub struct Endpoints {
    pub authorize: String,
    pub token: String,
    /// The events collection (insert); an event is `{events}/{id}`.
    pub events: String,
}

pub fn endpoints(p: CalendarProvider, base: Option<&str>) -> Endpoints {
    let at = |host: &str, path: &str| match base {
        Some(b) => format!("{}{path}", b.trim_end_matches('/')),
        None => format!("{host}{path}"),
    };
    match p {
        CalendarProvider::Google => Endpoints {
            authorize: at("https://accounts.google.com", "/o/oauth2/v2/auth"),
            token: at("https://oauth2.googleapis.com", "/token"),
            events: at("https://www.googleapis.com", "/calendar/v3/calendars/primary/events"),
        },
        CalendarProvider::Outlook => Endpoints {
            authorize: at("https://login.microsoftonline.com", "/common/oauth2/v2.0/authorize"),
            token: at("https://login.microsoftonline.com", "/common/oauth2/v2.0/token"),
            events: at("https://graph.microsoft.com", "/v1.0/me/events"),
        },
    }
}

fn http_client(cfg: &HttpConfig) -> Result<reqwest::blocking::Client> {
    cfg.client().map_err(|e| CalendarError::Internal(e.to_string()))
}

fn lock(store: &Mutex<Store>) -> Result<std::sync::MutexGuard<'_, Store>> {
    store.lock().map_err(|_| CalendarError::Internal("the database handle was poisoned".into()))
}

/// One calendar sync at a time per data folder, across processes (Microsoft rotates refresh
/// tokens: two processes refreshing the same one would sign the device out). An OS file lock.
struct SyncLock(#[allow(dead_code)] std::fs::File);

/// Whether a sync that finds another one running gives up ([`CalendarError::Busy`]: "sync now"
/// while one runs) or waits for it and then runs (a change pushed right after another).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhenBusy {
    Fail,
    Wait,
}

impl SyncLock {
    fn take(dir: &Path) -> Result<Self> {
        Self::acquire(dir, WhenBusy::Fail)
    }

    fn acquire(dir: &Path, when_busy: WhenBusy) -> Result<Self> {
        let path = dir.join("calendar.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| CalendarError::Internal(format!("cannot open {}: {e}", path.display())))?;
        if when_busy == WhenBusy::Wait {
            return match file.lock() {
                Ok(()) => Ok(Self(file)),
                Err(e) => {
                    Err(CalendarError::Internal(format!("cannot lock {}: {e}", path.display())))
                }
            };
        }
        match file.try_lock() {
            Ok(()) => Ok(Self(file)),
            Err(std::fs::TryLockError::WouldBlock) => Err(CalendarError::Busy),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(CalendarError::Internal(format!("cannot lock {}: {e}", path.display())))
            }
        }
    }
}

/// What a connect shows the user while it waits: the address, and whether a browser was
/// opened on it.
#[derive(Clone, Debug)]
pub struct ConnectPrompt {
    pub provider: CalendarProvider,
    pub url: String,
    pub browser_opened: bool,
}

/// Connects `provider`: opens the consent page in the system browser (unless the
/// configuration says not to), waits for its redirect to the loopback listener, exchanges the
/// code for tokens and stores them. `prompt` hears the address once the listener is up (the
/// CLI prints it; a test follows it).
pub fn connect(
    store: &Mutex<Store>,
    config: &Config,
    provider: CalendarProvider,
    prompt: &mut dyn FnMut(&ConnectPrompt),
    cancel: &AtomicBool,
) -> Result<CalendarAccount> {
    let cal = &config.calendar;
    let client = cal.client(provider);
    let client_id = cal.client_id(provider)?;
    let ends = endpoints(provider, client.base_url.as_deref());
    let listener = Loopback::bind()?;
    let verifier = oauth::random_b64(32)?;
    let state = oauth::random_b64(16)?;
    let url = oauth::authorize_url(
        provider,
        &ends,
        client_id,
        &listener.redirect_uri,
        &state,
        &verifier,
    )?;
    let browser_opened = crate::sync::account::open_in_browser(&url, config);
    prompt(&ConnectPrompt { provider, url, browser_opened });
    let code = listener.wait(&state, cal.connect_timeout, cancel)?;
    let http = http_client(&cal.http)?;
    let tokens = oauth::token_request(
        &http,
        provider,
        &ends,
        client,
        client_id,
        Grant::Code { code: &code, verifier: &verifier, redirect_uri: &listener.redirect_uri },
    )?;
    let mut guard = lock(store)?;
    let place = vault::save(guard.dir(), cal.keychain, provider, &tokens)?;
    guard.write(|tx| st::connect(tx, provider.as_str(), place))?;
    account_status(&guard, config, provider)
}

/// The event an interview becomes and its hash.
struct Desired {
    body: serde_json::Value,
    hash: String,
}

fn desired(provider: CalendarProvider, i: &Interview, job: Option<&JobApplication>) -> Desired {
    let body = api::event_body(provider, i, job);
    let hash = hex::encode(Sha256::digest(body.to_string().as_bytes()));
    Desired { body, hash }
}

enum Op {
    Create { interview: String, want: Desired },
    Update { interview: String, event: String, want: Desired },
    Delete { interview: String, event: String },
}

/// What a sync with `provider` has to do, from the database alone.
fn plan(store: &Store, provider: CalendarProvider) -> Result<(Vec<Op>, u64)> {
    let conn = store.conn();
    let interviews = interview::all(conn)?;
    let mut jobs: HashMap<_, Option<JobApplication>> = HashMap::new();
    for i in &interviews {
        if let std::collections::hash_map::Entry::Vacant(e) = jobs.entry(i.job_id) {
            e.insert(job::get(conn, i.job_id)?);
        }
    }
    let mapped: HashMap<String, st::Event> = st::events(conn, provider.as_str())?
        .into_iter()
        .map(|e| (e.interview_id.clone(), e))
        .collect();
    let horizon = Utc::now() - chrono::Duration::days(PAST_LIMIT_DAYS);
    let mut ops = Vec::new();
    let mut unchanged = 0;
    let mut present = std::collections::HashSet::new();
    for i in &interviews {
        let id = i.id.to_string();
        present.insert(id.clone());
        let want = desired(provider, i, jobs.get(&i.job_id).and_then(Option::as_ref));
        match mapped.get(&id) {
            Some(m) if m.hash == want.hash => unchanged += 1,
            Some(m) => ops.push(Op::Update { interview: id, event: m.event_id.clone(), want }),
            None => {
                let ends = i.starts_at + chrono::Duration::minutes(i64::from(i.duration_minutes));
                if ends >= horizon {
                    ops.push(Op::Create { interview: id, want });
                }
            }
        }
    }
    for (id, m) in &mapped {
        if !present.contains(id) {
            ops.push(Op::Delete { interview: id.clone(), event: m.event_id.clone() });
        }
    }
    Ok((ops, unchanged))
}

/// Syncs every connected calendar: one report each (a calendar that failed says why in its
/// `error`, recorded on the account as well).
pub fn sync(store: &Mutex<Store>, config: &Config) -> Result<Vec<CalendarSyncReport>> {
    sync_all(store, config, WhenBusy::Fail)
}

fn sync_all(
    store: &Mutex<Store>,
    config: &Config,
    when_busy: WhenBusy,
) -> Result<Vec<CalendarSyncReport>> {
    let connected: Vec<CalendarProvider> = {
        let guard = lock(store)?;
        st::accounts(guard.conn())?
            .iter()
            .filter_map(|a| CalendarProvider::parse(&a.provider))
            .collect()
    };
    if connected.is_empty() {
        return Err(CalendarError::NoneConnected);
    }
    connected.into_iter().map(|p| sync_provider(store, config, p, when_busy)).collect()
}

/// [`sync`] when a calendar is connected, `None` otherwise: for a change in the tracker to
/// reach the calendars right away. A sync already running is waited for, then this one runs
/// (it sees the change the running one may have missed).
pub fn sync_if_connected(
    store: &Mutex<Store>,
    config: &Config,
) -> Result<Option<Vec<CalendarSyncReport>>> {
    match sync_all(store, config, WhenBusy::Wait) {
        Err(CalendarError::NoneConnected) => Ok(None),
        other => other.map(Some),
    }
}

/// Syncs one calendar. Errors that stop it are in the report's `error` (and on the account);
/// `Err` is for what is not the calendar's fault (not connected, busy, the database).
pub fn sync_one(
    store: &Mutex<Store>,
    config: &Config,
    provider: CalendarProvider,
) -> Result<CalendarSyncReport> {
    sync_provider(store, config, provider, WhenBusy::Fail)
}

fn sync_provider(
    store: &Mutex<Store>,
    config: &Config,
    provider: CalendarProvider,
    when_busy: WhenBusy,
) -> Result<CalendarSyncReport> {
    let started = Instant::now();
    let dir = lock(store)?.dir().to_path_buf();
    // Locked before planning: what another process pushed meanwhile is in the mapping.
    let _lock = SyncLock::acquire(&dir, when_busy)?;
    let (ops, unchanged) = {
        let guard = lock(store)?;
        if st::account(guard.conn(), provider.as_str())?.is_none() {
            return Err(CalendarError::NotConnected(provider));
        }
        plan(&guard, provider)?
    };
    let mut report = CalendarSyncReport::new(provider);
    report.unchanged = unchanged;
    let outcome = run_ops(store, config, provider, &dir, ops, &mut report);
    if let Err(e) = outcome {
        report.error = Some(e.to_string());
    }
    let error = report.error.clone().or_else(|| {
        report
            .failed
            .first()
            .map(|f| format!("{} event(s) not written: {}", report.failed.len(), f.message))
    });
    {
        let mut guard = lock(store)?;
        guard.write(|tx| st::record_sync(tx, provider.as_str(), error.as_deref()))?;
    }
    report.took_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

fn session<'a>(
    config: &'a Config,
    provider: CalendarProvider,
    ends: &'a Endpoints,
    tokens: Tokens,
    on_refresh: &'a mut dyn FnMut(&Tokens) -> Result<()>,
) -> Result<Session<'a>> {
    let cal = &config.calendar;
    Ok(Session {
        provider,
        ends,
        client: cal.client(provider),
        client_id: cal.client_id(provider)?,
        cfg: &cal.http,
        http: http_client(&cal.http)?,
        tokens,
        on_refresh,
    })
}

fn run_ops(
    store: &Mutex<Store>,
    config: &Config,
    provider: CalendarProvider,
    dir: &Path,
    ops: Vec<Op>,
    report: &mut CalendarSyncReport,
) -> Result<()> {
    if ops.is_empty() {
        return Ok(());
    }
    let cal = &config.calendar;
    let tokens = vault::load(dir, cal.keychain, provider)?.ok_or(CalendarError::Refused {
        provider,
        detail: "no saved sign-in on this device".into(),
    })?;
    let ends = endpoints(provider, cal.client(provider).base_url.as_deref());
    let keychain = cal.keychain;
    let mut on_refresh = |t: &Tokens| -> Result<()> {
        let place = vault::save(dir, keychain, provider, t)?;
        let mut guard = lock(store)?;
        guard.write(|tx| st::set_token_store(tx, provider.as_str(), place))?;
        Ok(())
    };
    let mut s = session(config, provider, &ends, tokens, &mut on_refresh)?;
    let p = provider.as_str();
    for op in ops {
        let (interview, result) = match op {
            Op::Create { interview, want } => {
                let r = s.create(&want.body, &uuid::Uuid::now_v7().to_string()).map(|remote| {
                    report.created += 1;
                    Some(st::Event {
                        interview_id: interview.clone(),
                        event_id: remote.id,
                        etag: remote.etag,
                        hash: want.hash,
                    })
                });
                (interview, r)
            }
            Op::Update { interview, event, want } => {
                let r = match s.update(&event, &want.body) {
                    Ok(Some(remote)) => {
                        report.updated += 1;
                        Ok(remote)
                    }
                    Ok(None) => {
                        s.create(&want.body, &uuid::Uuid::now_v7().to_string()).inspect(|_| {
                            report.recreated += 1;
                        })
                    }
                    Err(e) => Err(e),
                }
                .map(|remote| {
                    Some(st::Event {
                        interview_id: interview.clone(),
                        event_id: remote.id,
                        etag: remote.etag,
                        hash: want.hash,
                    })
                });
                (interview, r)
            }
            Op::Delete { interview, event } => {
                let r = s.delete(&event).map(|_| {
                    report.deleted += 1;
                    None
                });
                (interview, r)
            }
        };
        match result {
            Ok(mapping) => {
                let mut guard = lock(store)?;
                guard.write(|tx| match &mapping {
                    Some(e) => st::put_event(tx, p, e),
                    None => st::drop_event(tx, p, &interview),
                })?;
            }
            Err(CallError::Item(message)) => {
                report.failed.push(CalendarFailure { interview_id: interview, message });
            }
            Err(CallError::Fatal(e)) => return Err(e),
        }
    }
    Ok(())
}

/// Disconnects `provider`: forgets its tokens and which events it has; with
/// [`RemoveEvents::Remove`] deletes those events from the calendar first (if one cannot be
/// deleted, nothing is forgotten and the error says why, so it can be tried again).
pub fn disconnect(
    store: &Mutex<Store>,
    config: &Config,
    provider: CalendarProvider,
    remove: RemoveEvents,
) -> Result<CalendarDisconnect> {
    let cal = &config.calendar;
    let (dir, events) = {
        let guard = lock(store)?;
        if st::account(guard.conn(), provider.as_str())?.is_none() {
            return Err(CalendarError::NotConnected(provider));
        }
        (guard.dir().to_path_buf(), st::events(guard.conn(), provider.as_str())?)
    };
    let _lock = SyncLock::take(&dir)?;
    let mut removed = 0;
    if remove == RemoveEvents::Remove && !events.is_empty() {
        let tokens = vault::load(&dir, cal.keychain, provider)?.ok_or(CalendarError::Refused {
            provider,
            detail: "no saved sign-in on this device to remove the events with".into(),
        })?;
        let ends = endpoints(provider, cal.client(provider).base_url.as_deref());
        let keychain = cal.keychain;
        let dir2 = dir.clone();
        let mut on_refresh = |t: &Tokens| vault::save(&dir2, keychain, provider, t).map(|_| ());
        let mut s = session(config, provider, &ends, tokens, &mut on_refresh)?;
        for e in &events {
            match s.delete(&e.event_id) {
                Ok(_) => {
                    removed += 1;
                    let mut guard = lock(store)?;
                    guard.write(|tx| st::drop_event(tx, provider.as_str(), &e.interview_id))?;
                }
                Err(CallError::Item(m)) => return Err(CalendarError::Upstream(m)),
                Err(CallError::Fatal(e)) => return Err(e),
            }
        }
    }
    let kept = events.len() as u64 - removed;
    vault::delete(&dir, cal.keychain, provider);
    let mut guard = lock(store)?;
    guard.write(|tx| st::disconnect(tx, provider.as_str()))?;
    Ok(CalendarDisconnect { provider, removed, kept })
}

/// Every calendar service: configured, connected, how its last sync went.
pub fn status(store: &Store, config: &Config) -> Result<CalendarStatus> {
    let accounts = CalendarProvider::ALL
        .iter()
        .map(|&p| account_status(store, config, p))
        .collect::<Result<_>>()?;
    Ok(CalendarStatus { accounts })
}

fn account_status(
    store: &Store,
    config: &Config,
    provider: CalendarProvider,
) -> Result<CalendarAccount> {
    let conn = store.conn();
    let a = st::account(conn, provider.as_str())?;
    let configured = config.calendar.client(provider).client_id.is_some();
    let Some(a) = a else {
        return Ok(CalendarAccount {
            provider,
            configured,
            connected: false,
            connected_at: None,
            token_store: None,
            last_sync_at: None,
            last_success_at: None,
            last_error: None,
            events: 0,
            waiting: 0,
        });
    };
    let (ops, _) = plan(store, provider)?;
    Ok(CalendarAccount {
        provider,
        configured,
        connected: true,
        connected_at: Some(a.connected_at),
        token_store: Some(a.token_store),
        last_sync_at: a.last_sync_at,
        last_success_at: a.last_success_at,
        last_error: a.last_error,
        events: st::count_events(conn, provider.as_str())?,
        waiting: ops.len() as u64,
    })
}

/// The one connected calendar, for commands that may leave it unnamed.
pub fn only_connected(store: &Store) -> Result<CalendarProvider> {
    let connected: Vec<CalendarProvider> = st::accounts(store.conn())?
        .iter()
        .filter_map(|a| CalendarProvider::parse(&a.provider))
        .collect();
    match connected.as_slice() {
        [] => Err(CalendarError::NoneConnected),
        [one] => Ok(*one),
        _ => Err(CalendarError::Validation(format!(
            "calendar: more than one is connected; name one of {}",
            CalendarProvider::names()
        ))),
    }
}

/// A provider named by the user.
pub fn parse_provider(s: &str) -> Result<CalendarProvider> {
    CalendarProvider::parse(s).ok_or_else(|| {
        CalendarError::Validation(format!(
            "calendar: must be one of {} (got {s:?})",
            CalendarProvider::names()
        ))
    })
}
