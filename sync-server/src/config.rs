//! Settings: defaults, then an optional TOML file, then `QODER_*` environment variables (and the
//! binary's flags on top). Passed explicitly; no globals.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A value that must not appear in logs: its Debug is `"***"`.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"***\"")
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on (`QODER_LISTEN`).
    pub listen: SocketAddr,
    /// PostgreSQL URL (`QODER_DATABASE_URL`).
    pub database_url: Secret,
    /// Largest number of pooled database connections (`QODER_DB_MAX_CONNECTIONS`).
    pub db_max_connections: u32,
    /// HS256 key of access tokens, at least 32 bytes (`QODER_JWT_SECRET`).
    pub jwt_secret: Secret,
    /// `iss` of access tokens (`QODER_JWT_ISSUER`).
    pub jwt_issuer: String,
    /// `aud` of access tokens (`QODER_JWT_AUDIENCE`).
    pub jwt_audience: String,
    /// Access token lifetime in seconds (`QODER_ACCESS_TOKEN_TTL`).
    pub access_token_ttl: u64,
    /// Refresh token lifetime in seconds (`QODER_REFRESH_TOKEN_TTL`).
    pub refresh_token_ttl: u64,
    /// Largest request body in bytes (`QODER_MAX_BODY_BYTES`).
    pub max_body_bytes: usize,
    /// Failed logins for one email within `login_window` before it is locked (`QODER_MAX_FAILED_LOGINS`).
    pub max_failed_logins: i32,
    /// Seconds over which failed logins are counted, and how long a lock lasts (`QODER_LOGIN_WINDOW`).
    pub login_window: u64,
    /// Failed logins from one client IP within `login_window` before that IP may not try again
    /// until the window ends (`QODER_MAX_FAILED_LOGINS_PER_IP`).
    pub max_failed_logins_per_ip: i32,
    /// Requests a minute one user may make to authenticated endpoints (`QODER_API_RATE_LIMIT`).
    pub api_rate_limit: u32,
    /// Take the client IP from `X-Forwarded-For` (set only behind a proxy that sets it;
    /// `QODER_TRUST_PROXY`).
    pub trust_proxy: bool,
    /// Accounts with these emails that exist when the server starts are made admins
    /// (`QODER_ADMIN_EMAILS`, comma-separated). Never applied at register or login: an email
    /// is not proof of owning the address. Removing an email does not demote; use
    /// `qoder-server admin revoke`.
    pub admin_emails: Vec<String>,
    /// Registrations one client IP (IPv6: its /64) may make in an hour
    /// (`QODER_REGISTER_LIMIT_PER_IP`).
    pub register_limit_per_ip: u32,
    /// Registrations a minute from all clients together, per process group (the count is in
    /// PostgreSQL) (`QODER_REGISTER_LIMIT`).
    pub register_limit: u32,
    /// Ciphertext bytes one account may store (`QODER_ACCOUNT_QUOTA_BYTES`).
    pub account_quota_bytes: i64,
    /// Open WebSockets one user may have on this process (`QODER_WEBSOCKET_PER_USER_LIMIT`).
    pub websocket_per_user_limit: usize,
    /// Open WebSockets this process accepts before answering 503
    /// (`QODER_WEBSOCKET_CONNECTION_LIMIT`).
    pub websocket_connection_limit: usize,
    /// Seconds between the server's pings on a WebSocket; two unanswered close it
    /// (`QODER_WEBSOCKET_PING_INTERVAL`).
    pub websocket_ping_interval: u64,
    /// The server's public origin, for the pages Stripe sends the browser back to
    /// (`QODER_PUBLIC_URL`).
    pub public_url: String,
    /// Where a user over a limit can upgrade: the `upgrade_url` of a 402 (`QODER_UPGRADE_URL`).
    pub upgrade_url: String,
    /// Stripe's API origin; tests point it at a local stand-in (`QODER_STRIPE_API_BASE`).
    pub stripe_api_base: String,
    /// Stripe secret API key; empty turns billing off (503) (`QODER_STRIPE_SECRET_KEY`).
    pub stripe_secret_key: Secret,
    /// The signing secret of the webhook endpoint, `whsec_…` (`QODER_STRIPE_WEBHOOK_SECRET`).
    pub stripe_webhook_secret: Secret,
    /// Stripe price of each paid plan, `plan_id=price_id` (`QODER_STRIPE_PRICES`,
    /// comma-separated).
    pub stripe_prices: Vec<String>,
    /// Providers of the hosted AI in failover order, by name (`QODER_AI_PROVIDERS`,
    /// comma-separated); each is described in `ai`.
    pub ai_providers: Vec<String>,
    /// Each hosted-AI provider: kind, base URL, key, model (`QODER_AI_<NAME>_KIND`, `_BASE_URL`,
    /// `_API_KEY`, `_MODEL`, or a table in `ai_secrets_file`); not a key of the settings file,
    /// so provider keys stay out of it.
    #[serde(skip)]
    pub ai: BTreeMap<String, AiProvider>,
    /// A TOML file of `[name]` tables like `ai`, read for keys not in the environment
    /// (`QODER_AI_SECRETS_FILE`).
    pub ai_secrets_file: Option<PathBuf>,
    /// US dollars of hosted AI one user may cost a UTC day (`QODER_AI_USER_DAILY_BUDGET_USD`).
    pub ai_user_daily_budget_usd: f64,
    /// US dollars of hosted AI all users together may cost a UTC day
    /// (`QODER_AI_GLOBAL_DAILY_BUDGET_USD`).
    pub ai_global_daily_budget_usd: f64,
    /// Largest `max_output_tokens` a hosted-AI request may ask (`QODER_AI_MAX_OUTPUT_TOKENS`).
    pub ai_max_output_tokens: u32,
    /// The background job queue (`[jobs]`, `QODER_JOBS_*`).
    pub jobs: JobsConfig,
    /// Alert rules, their thresholds and where notifications go (`[alerts]`, `QODER_ALERTS_*`).
    pub alerts: AlertsConfig,
}

/// `[jobs]`: the durable queue of background work (`crate::jobs`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct JobsConfig {
    /// Milliseconds between looks for due jobs when the queue was empty (`QODER_JOBS_POLL_MS`).
    pub poll_ms: u64,
    /// Tries of a job before it is marked failed (`QODER_JOBS_MAX_ATTEMPTS`).
    pub max_attempts: i32,
    /// Seconds before the first retry; doubled after each failed try, at most an hour
    /// (`QODER_JOBS_RETRY_BASE_SECS`).
    pub retry_base_secs: u64,
    /// Seconds a claimed job may run before another process takes it back (its process is
    /// taken for dead) (`QODER_JOBS_LEASE_SECS`).
    pub lease_secs: u64,
    /// Hours between scheduled runs of every retention policy (a `retention.run` job); 0: only
    /// when an admin runs them (`QODER_JOBS_RETENTION_EVERY_HOURS`).
    pub retention_every_hours: u64,
}

impl Default for JobsConfig {
    fn default() -> Self {
        Self {
            poll_ms: 1000,
            max_attempts: 5,
            retry_base_secs: 30,
            lease_secs: 300,
            retention_every_hours: 24,
        }
    }
}

/// `[alerts]`: the rules evaluated every `interval_secs` (design 12.2) and the channels their
/// notifications go to (`crate::alerts`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AlertsConfig {
    /// Seconds between evaluations; 0 turns the rules off (`QODER_ALERTS_INTERVAL_SECS`).
    pub interval_secs: u64,
    /// Share of HTTP answers that are 5xx over the last 5 minutes (`QODER_ALERTS_ERROR_RATE`).
    pub error_rate: f64,
    /// HTTP p95 latency over the last 5 minutes, milliseconds (`QODER_ALERTS_P95_MS`).
    pub p95_ms: f64,
    /// Requests in the 5 minutes below which the HTTP rules stay quiet
    /// (`QODER_ALERTS_MIN_REQUESTS`).
    pub min_requests: i64,
    /// Share of this month's hosted-AI budget (global daily budget × days) spent
    /// (`QODER_ALERTS_AI_BUDGET_SHARE`).
    pub ai_budget_share: f64,
    /// Error rate of a hosted-AI provider's last calls (`QODER_ALERTS_PROVIDER_ERROR_RATE`).
    pub provider_error_rate: f64,
    /// The last calls of a provider looked at, within 15 minutes, and the least before it can
    /// be called down (`QODER_ALERTS_PROVIDER_CALLS`).
    pub provider_calls: i64,
    /// Minutes the oldest due job may wait (`QODER_ALERTS_BACKLOG_MINUTES`).
    pub backlog_minutes: f64,
    /// Failed jobs (not replayed) at which the rule fires (`QODER_ALERTS_FAILED_JOBS`).
    pub failed_jobs: i64,
    /// Database size, bytes (`QODER_ALERTS_DB_SIZE_BYTES`).
    pub db_size_bytes: i64,
    /// Least free share of the disk of `data_dir` (`QODER_ALERTS_DISK_FREE_SHARE`).
    pub disk_free_share: f64,
    /// The directory whose disk is watched; empty: PostgreSQL's data directory when this host
    /// can read it (`QODER_ALERTS_DATA_DIR`).
    pub data_dir: Option<PathBuf>,
    /// Notifications are POSTed here as JSON; empty: none (`QODER_ALERTS_WEBHOOK_URL`).
    pub webhook_url: Secret,
    /// SMTP server: `smtp://host:25` (plain), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS), `smtps://host:465`; empty: no email (`QODER_ALERTS_SMTP_URL`).
    pub smtp_url: Secret,
    /// Sender of alert emails (`QODER_ALERTS_EMAIL_FROM`).
    pub email_from: String,
    /// Recipients of alert emails (`QODER_ALERTS_EMAIL_TO`, comma-separated).
    pub email_to: Vec<String>,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        Self {
            interval_secs: 60,
            error_rate: 0.05,
            p95_ms: 3000.0,
            min_requests: 20,
            ai_budget_share: 0.9,
            provider_error_rate: 0.5,
            provider_calls: 20,
            backlog_minutes: 10.0,
            failed_jobs: 1,
            db_size_bytes: 50 * 1024 * 1024 * 1024,
            disk_free_share: 0.1,
            data_dir: None,
            webhook_url: Secret::default(),
            smtp_url: Secret::default(),
            email_from: "qoder-server@localhost".into(),
            email_to: Vec::new(),
        }
    }
}

impl JobsConfig {
    fn layer(&mut self, env: &impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = env("QODER_JOBS_POLL_MS") {
            self.poll_ms = parse("QODER_JOBS_POLL_MS", &v)?;
        }
        if let Some(v) = env("QODER_JOBS_MAX_ATTEMPTS") {
            self.max_attempts = parse("QODER_JOBS_MAX_ATTEMPTS", &v)?;
        }
        if let Some(v) = env("QODER_JOBS_RETRY_BASE_SECS") {
            self.retry_base_secs = parse("QODER_JOBS_RETRY_BASE_SECS", &v)?;
        }
        if let Some(v) = env("QODER_JOBS_LEASE_SECS") {
            self.lease_secs = parse("QODER_JOBS_LEASE_SECS", &v)?;
        }
        if let Some(v) = env("QODER_JOBS_RETENTION_EVERY_HOURS") {
            self.retention_every_hours = parse("QODER_JOBS_RETENTION_EVERY_HOURS", &v)?;
        }
        Ok(())
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if self.poll_ms == 0 || self.max_attempts < 1 || self.lease_secs == 0 {
            return Err(ConfigError::Invalid {
                name: "QODER_JOBS_POLL_MS / _MAX_ATTEMPTS / _LEASE_SECS",
                reason: "must be at least 1".into(),
            });
        }
        Ok(())
    }
}

impl AlertsConfig {
    fn layer(&mut self, env: &impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        macro_rules! num {
            ($var:literal, $field:ident) => {
                if let Some(v) = env($var) {
                    self.$field = parse($var, &v)?;
                }
            };
        }
        num!("QODER_ALERTS_INTERVAL_SECS", interval_secs);
        num!("QODER_ALERTS_ERROR_RATE", error_rate);
        num!("QODER_ALERTS_P95_MS", p95_ms);
        num!("QODER_ALERTS_MIN_REQUESTS", min_requests);
        num!("QODER_ALERTS_AI_BUDGET_SHARE", ai_budget_share);
        num!("QODER_ALERTS_PROVIDER_ERROR_RATE", provider_error_rate);
        num!("QODER_ALERTS_PROVIDER_CALLS", provider_calls);
        num!("QODER_ALERTS_BACKLOG_MINUTES", backlog_minutes);
        num!("QODER_ALERTS_FAILED_JOBS", failed_jobs);
        num!("QODER_ALERTS_DB_SIZE_BYTES", db_size_bytes);
        num!("QODER_ALERTS_DISK_FREE_SHARE", disk_free_share);
        if let Some(v) = env("QODER_ALERTS_DATA_DIR") {
            self.data_dir = Some(v.trim()).filter(|v| !v.is_empty()).map(PathBuf::from);
        }
        if let Some(v) = env("QODER_ALERTS_WEBHOOK_URL") {
            self.webhook_url = Secret::new(v.trim());
        }
        if let Some(v) = env("QODER_ALERTS_SMTP_URL") {
            self.smtp_url = Secret::new(v.trim());
        }
        if let Some(v) = env("QODER_ALERTS_EMAIL_FROM") {
            self.email_from = v.trim().to_string();
        }
        if let Some(v) = env("QODER_ALERTS_EMAIL_TO") {
            self.email_to = list(&v);
        }
        Ok(())
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let invalid =
            |name, reason: &str| Err(ConfigError::Invalid { name, reason: reason.into() });
        let shares =
            [self.error_rate, self.ai_budget_share, self.provider_error_rate, self.disk_free_share];
        if shares.iter().any(|s| !s.is_finite() || *s < 0.0) {
            return invalid("QODER_ALERTS_*_RATE / _SHARE", "must be non-negative numbers");
        }
        if !self.p95_ms.is_finite() || self.p95_ms <= 0.0 || !self.backlog_minutes.is_finite() {
            return invalid("QODER_ALERTS_P95_MS / _BACKLOG_MINUTES", "must be positive numbers");
        }
        if self.provider_calls < 1 || self.failed_jobs < 1 || self.min_requests < 0 {
            return invalid(
                "QODER_ALERTS_PROVIDER_CALLS / _FAILED_JOBS / _MIN_REQUESTS",
                "must be at least 1 (min requests at least 0)",
            );
        }
        let webhook = self.webhook_url.expose();
        let web = webhook.starts_with("http://") || webhook.starts_with("https://");
        if !webhook.is_empty() && !web {
            return invalid("QODER_ALERTS_WEBHOOK_URL", "must be an http:// or https:// URL");
        }
        let smtp = self.smtp_url.expose();
        if !smtp.is_empty() {
            if !(smtp.starts_with("smtp://") || smtp.starts_with("smtps://")) {
                return invalid("QODER_ALERTS_SMTP_URL", "must be an smtp:// or smtps:// URL");
            }
            if self.email_to.is_empty() {
                return invalid(
                    "QODER_ALERTS_EMAIL_TO",
                    "must name a recipient when QODER_ALERTS_SMTP_URL is set",
                );
            }
            for a in self.email_to.iter().chain([&self.email_from]) {
                if a.parse::<lettre::message::Mailbox>().is_err() {
                    return invalid(
                        "QODER_ALERTS_EMAIL_FROM / _TO",
                        &format!("{a:?} is not an email address"),
                    );
                }
            }
        }
        Ok(())
    }
}

/// One provider of the hosted AI.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AiProvider {
    /// `openai-compatible` (default), `anthropic` or `gemini`.
    pub kind: String,
    /// Empty: the kind's public endpoint.
    pub base_url: String,
    pub api_key: Secret,
    /// One model for every tier; empty: the kind's default models.
    pub model: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: Secret::new("postgres://postgres@127.0.0.1:5432/qoder"),
            db_max_connections: 16,
            jwt_secret: Secret::default(),
            jwt_issuer: "qoder-server".into(),
            jwt_audience: "qoder-sync".into(),
            access_token_ttl: 15 * 60,
            refresh_token_ttl: 30 * 24 * 3600,
            max_body_bytes: 4 * 1024 * 1024,
            max_failed_logins: 10,
            login_window: 15 * 60,
            max_failed_logins_per_ip: 100,
            api_rate_limit: 100,
            trust_proxy: false,
            admin_emails: Vec::new(),
            register_limit_per_ip: 10,
            register_limit: 60,
            account_quota_bytes: 1 << 30,
            websocket_per_user_limit: 16,
            websocket_connection_limit: 10_000,
            websocket_ping_interval: 30,
            public_url: "http://127.0.0.1:8080".into(),
            upgrade_url: "https://qoderresume.app/pricing".into(),
            stripe_api_base: "https://api.stripe.com".into(),
            stripe_secret_key: Secret::default(),
            stripe_webhook_secret: Secret::default(),
            stripe_prices: Vec::new(),
            ai_providers: Vec::new(),
            ai: BTreeMap::new(),
            ai_secrets_file: None,
            ai_user_daily_budget_usd: 0.5,
            ai_global_daily_budget_usd: 100.0,
            ai_max_output_tokens: 2000,
            jobs: JobsConfig::default(),
            alerts: AlertsConfig::default(),
        }
    }
}

fn list(v: &str) -> Vec<String> {
    v.split(',').map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect()
}

/// Every setting as a command-line flag; a flag given wins over the environment, the TOML file
/// and the default. (Secrets on a command line are visible to other local users in the process
/// list: prefer `QODER_JWT_SECRET` and `QODER_DATABASE_URL`.)
#[derive(clap::Args, Clone, Debug, Default)]
pub struct Flags {
    /// Address to listen on [env QODER_LISTEN; default 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// PostgreSQL URL [env QODER_DATABASE_URL; default postgres://postgres@127.0.0.1:5432/qoder]
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Largest number of pooled database connections [env QODER_DB_MAX_CONNECTIONS; default 16]
    #[arg(long, value_name = "N")]
    pub db_max_connections: Option<u32>,
    /// HS256 key of access tokens, at least 32 bytes [env QODER_JWT_SECRET; required]
    #[arg(long, value_name = "SECRET")]
    pub jwt_secret: Option<String>,
    /// `iss` of access tokens [env QODER_JWT_ISSUER; default qoder-server]
    #[arg(long, value_name = "NAME")]
    pub jwt_issuer: Option<String>,
    /// `aud` of access tokens [env QODER_JWT_AUDIENCE; default qoder-sync]
    #[arg(long, value_name = "NAME")]
    pub jwt_audience: Option<String>,
    /// Access token lifetime in seconds [env QODER_ACCESS_TOKEN_TTL; default 900]
    #[arg(long, value_name = "SECS")]
    pub access_token_ttl: Option<u64>,
    /// Refresh token lifetime in seconds [env QODER_REFRESH_TOKEN_TTL; default 2592000]
    #[arg(long, value_name = "SECS")]
    pub refresh_token_ttl: Option<u64>,
    /// Largest request body in bytes [env QODER_MAX_BODY_BYTES; default 4194304]
    #[arg(long, value_name = "BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Failed logins of one email within the login window before it is locked
    /// [env QODER_MAX_FAILED_LOGINS; default 10]
    #[arg(long, value_name = "N")]
    pub max_failed_logins: Option<i32>,
    /// Seconds over which failed logins count, and how long a lock lasts
    /// [env QODER_LOGIN_WINDOW; default 900]
    #[arg(long, value_name = "SECS")]
    pub login_window: Option<u64>,
    /// Failed logins from one client IP within the login window before it must wait
    /// [env QODER_MAX_FAILED_LOGINS_PER_IP; default 100]
    #[arg(long, value_name = "N")]
    pub max_failed_logins_per_ip: Option<i32>,
    /// Requests a minute one user may make to authenticated endpoints
    /// [env QODER_API_RATE_LIMIT; default 100]
    #[arg(long, value_name = "N")]
    pub api_rate_limit: Option<u32>,
    /// Take the client IP from the last X-Forwarded-For entry (only behind a proxy that sets it)
    /// [env QODER_TRUST_PROXY; default false]
    #[arg(long, value_name = "true|false")]
    pub trust_proxy: Option<bool>,
    /// Emails of admin accounts, comma-separated [env QODER_ADMIN_EMAILS; default none]
    #[arg(long, value_name = "EMAILS", value_delimiter = ',')]
    pub admin_emails: Option<Vec<String>>,
    /// Registrations one client IP (IPv6: its /64) may make in an hour
    /// [env QODER_REGISTER_LIMIT_PER_IP; default 10]
    #[arg(long, value_name = "N")]
    pub register_limit_per_ip: Option<u32>,
    /// Registrations a minute from all clients together [env QODER_REGISTER_LIMIT; default 60]
    #[arg(long, value_name = "N")]
    pub register_limit: Option<u32>,
    /// Ciphertext bytes one account may store [env QODER_ACCOUNT_QUOTA_BYTES;
    /// default 1073741824]
    #[arg(long, value_name = "BYTES")]
    pub account_quota_bytes: Option<i64>,
    /// Open WebSockets per user on this process before 503 [env QODER_WEBSOCKET_PER_USER_LIMIT;
    /// default 16]
    #[arg(long, value_name = "N")]
    pub websocket_per_user_limit: Option<usize>,
    /// Open WebSockets per process before 503 [env QODER_WEBSOCKET_CONNECTION_LIMIT;
    /// default 10000]
    #[arg(long, value_name = "N")]
    pub websocket_connection_limit: Option<usize>,
    /// Seconds between WebSocket pings [env QODER_WEBSOCKET_PING_INTERVAL; default 30]
    #[arg(long, value_name = "SECS")]
    pub websocket_ping_interval: Option<u64>,
    /// The server's public origin, where Stripe sends the browser back [env QODER_PUBLIC_URL;
    /// default http://127.0.0.1:8080]
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Where a user over a limit can upgrade (the 402's upgrade_url) [env QODER_UPGRADE_URL;
    /// default https://qoderresume.app/pricing]
    #[arg(long, value_name = "URL")]
    pub upgrade_url: Option<String>,
    /// Stripe's API origin [env QODER_STRIPE_API_BASE; default https://api.stripe.com]
    #[arg(long, value_name = "URL")]
    pub stripe_api_base: Option<String>,
    /// Stripe secret key; none turns billing off [env QODER_STRIPE_SECRET_KEY; default none]
    #[arg(long, value_name = "KEY")]
    pub stripe_secret_key: Option<String>,
    /// Signing secret of the Stripe webhook endpoint [env QODER_STRIPE_WEBHOOK_SECRET; default
    /// none]
    #[arg(long, value_name = "SECRET")]
    pub stripe_webhook_secret: Option<String>,
    /// Stripe price of each paid plan, plan_id=price_id, comma-separated
    /// [env QODER_STRIPE_PRICES; default none]
    #[arg(long, value_name = "PAIRS", value_delimiter = ',')]
    pub stripe_prices: Option<Vec<String>>,
    /// Hosted-AI providers in failover order, comma-separated; each set by
    /// QODER_AI_<NAME>_KIND/_BASE_URL/_API_KEY/_MODEL or the secrets file
    /// [env QODER_AI_PROVIDERS; default none]
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub ai_providers: Option<Vec<String>>,
    /// TOML file of [NAME] tables (kind, base_url, api_key, model) of the hosted-AI providers
    /// [env QODER_AI_SECRETS_FILE; default none]
    #[arg(long, value_name = "FILE")]
    pub ai_secrets_file: Option<PathBuf>,
    /// US dollars of hosted AI per user per UTC day [env QODER_AI_USER_DAILY_BUDGET_USD;
    /// default 0.5]
    #[arg(long, value_name = "USD")]
    pub ai_user_daily_budget_usd: Option<f64>,
    /// US dollars of hosted AI for everyone per UTC day [env QODER_AI_GLOBAL_DAILY_BUDGET_USD;
    /// default 100]
    #[arg(long, value_name = "USD")]
    pub ai_global_daily_budget_usd: Option<f64>,
    /// Largest max_output_tokens of a hosted-AI request [env QODER_AI_MAX_OUTPUT_TOKENS;
    /// default 2000]
    #[arg(long, value_name = "N")]
    pub ai_max_output_tokens: Option<u32>,
}

impl Flags {
    /// Puts the flags that were given over `c`.
    pub fn apply(self, c: &mut Config) {
        fn set<T>(slot: &mut T, v: Option<T>) {
            if let Some(v) = v {
                *slot = v;
            }
        }
        set(&mut c.listen, self.listen);
        set(&mut c.database_url, self.database_url.map(Secret::new));
        set(&mut c.db_max_connections, self.db_max_connections);
        set(&mut c.jwt_secret, self.jwt_secret.map(Secret::new));
        set(&mut c.jwt_issuer, self.jwt_issuer);
        set(&mut c.jwt_audience, self.jwt_audience);
        set(&mut c.access_token_ttl, self.access_token_ttl);
        set(&mut c.refresh_token_ttl, self.refresh_token_ttl);
        set(&mut c.max_body_bytes, self.max_body_bytes);
        set(&mut c.max_failed_logins, self.max_failed_logins);
        set(&mut c.login_window, self.login_window);
        set(&mut c.max_failed_logins_per_ip, self.max_failed_logins_per_ip);
        set(&mut c.api_rate_limit, self.api_rate_limit);
        set(&mut c.trust_proxy, self.trust_proxy);
        set(
            &mut c.admin_emails,
            self.admin_emails.map(|v| {
                v.into_iter().map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect()
            }),
        );
        set(&mut c.register_limit_per_ip, self.register_limit_per_ip);
        set(&mut c.register_limit, self.register_limit);
        set(&mut c.account_quota_bytes, self.account_quota_bytes);
        set(&mut c.websocket_per_user_limit, self.websocket_per_user_limit);
        set(&mut c.websocket_connection_limit, self.websocket_connection_limit);
        set(&mut c.websocket_ping_interval, self.websocket_ping_interval);
        set(&mut c.public_url, self.public_url);
        set(&mut c.upgrade_url, self.upgrade_url);
        set(&mut c.stripe_api_base, self.stripe_api_base);
        set(&mut c.stripe_secret_key, self.stripe_secret_key.map(Secret::new));
        set(&mut c.stripe_webhook_secret, self.stripe_webhook_secret.map(Secret::new));
        set(&mut c.stripe_prices, self.stripe_prices);
        set(&mut c.ai_providers, self.ai_providers);
        set(&mut c.ai_secrets_file, self.ai_secrets_file.map(Some));
        set(&mut c.ai_user_daily_budget_usd, self.ai_user_daily_budget_usd);
        set(&mut c.ai_global_daily_budget_usd, self.ai_global_daily_budget_usd);
        set(&mut c.ai_max_output_tokens, self.ai_max_output_tokens);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path} is not valid configuration: {source}")]
    Toml { path: String, source: toml::de::Error },
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

fn parse<T: std::str::FromStr>(name: &'static str, value: &str) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    value.trim().parse().map_err(|e: T::Err| ConfigError::Invalid { name, reason: e.to_string() })
}

impl Config {
    /// Defaults, then `file` if given, then the variables `env` returns (pass
    /// `|k| std::env::var(k).ok()` for the process environment), checked by [`Config::validate`].
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let c = Self::layered(file, env)?;
        c.validate()?;
        Ok(c)
    }

    /// The layers of [`Config::load`] without the checks (for commands that need only some
    /// settings, such as `admin grant`, which needs no JWT secret).
    pub fn layered(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let mut c = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.display().to_string(),
                    source,
                })?;
                toml::from_str(&text).map_err(|source| ConfigError::Toml {
                    path: path.display().to_string(),
                    source,
                })?
            }
            None => Config::default(),
        };
        if let Some(v) = env("QODER_LISTEN") {
            c.listen = parse("QODER_LISTEN", &v)?;
        }
        if let Some(v) = env("QODER_DATABASE_URL") {
            c.database_url = Secret::new(v);
        }
        if let Some(v) = env("QODER_DB_MAX_CONNECTIONS") {
            c.db_max_connections = parse("QODER_DB_MAX_CONNECTIONS", &v)?;
        }
        if let Some(v) = env("QODER_JWT_SECRET") {
            c.jwt_secret = Secret::new(v);
        }
        if let Some(v) = env("QODER_JWT_ISSUER") {
            c.jwt_issuer = v;
        }
        if let Some(v) = env("QODER_JWT_AUDIENCE") {
            c.jwt_audience = v;
        }
        if let Some(v) = env("QODER_ACCESS_TOKEN_TTL") {
            c.access_token_ttl = parse("QODER_ACCESS_TOKEN_TTL", &v)?;
        }
        if let Some(v) = env("QODER_REFRESH_TOKEN_TTL") {
            c.refresh_token_ttl = parse("QODER_REFRESH_TOKEN_TTL", &v)?;
        }
        if let Some(v) = env("QODER_MAX_BODY_BYTES") {
            c.max_body_bytes = parse("QODER_MAX_BODY_BYTES", &v)?;
        }
        if let Some(v) = env("QODER_MAX_FAILED_LOGINS") {
            c.max_failed_logins = parse("QODER_MAX_FAILED_LOGINS", &v)?;
        }
        if let Some(v) = env("QODER_LOGIN_WINDOW") {
            c.login_window = parse("QODER_LOGIN_WINDOW", &v)?;
        }
        if let Some(v) = env("QODER_MAX_FAILED_LOGINS_PER_IP") {
            c.max_failed_logins_per_ip = parse("QODER_MAX_FAILED_LOGINS_PER_IP", &v)?;
        }
        if let Some(v) = env("QODER_API_RATE_LIMIT") {
            c.api_rate_limit = parse("QODER_API_RATE_LIMIT", &v)?;
        }
        if let Some(v) = env("QODER_TRUST_PROXY") {
            c.trust_proxy = parse("QODER_TRUST_PROXY", &v)?;
        }
        if let Some(v) = env("QODER_ADMIN_EMAILS") {
            c.admin_emails =
                v.split(',').map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect();
        }
        if let Some(v) = env("QODER_REGISTER_LIMIT_PER_IP") {
            c.register_limit_per_ip = parse("QODER_REGISTER_LIMIT_PER_IP", &v)?;
        }
        if let Some(v) = env("QODER_REGISTER_LIMIT") {
            c.register_limit = parse("QODER_REGISTER_LIMIT", &v)?;
        }
        if let Some(v) = env("QODER_ACCOUNT_QUOTA_BYTES") {
            c.account_quota_bytes = parse("QODER_ACCOUNT_QUOTA_BYTES", &v)?;
        }
        if let Some(v) = env("QODER_WEBSOCKET_PER_USER_LIMIT") {
            c.websocket_per_user_limit = parse("QODER_WEBSOCKET_PER_USER_LIMIT", &v)?;
        }
        if let Some(v) = env("QODER_WEBSOCKET_CONNECTION_LIMIT") {
            c.websocket_connection_limit = parse("QODER_WEBSOCKET_CONNECTION_LIMIT", &v)?;
        }
        if let Some(v) = env("QODER_WEBSOCKET_PING_INTERVAL") {
            c.websocket_ping_interval = parse("QODER_WEBSOCKET_PING_INTERVAL", &v)?;
        }
        if let Some(v) = env("QODER_PUBLIC_URL") {
            c.public_url = v.trim().trim_end_matches('/').to_string();
        }
        if let Some(v) = env("QODER_UPGRADE_URL") {
            c.upgrade_url = v.trim().to_string();
        }
        if let Some(v) = env("QODER_STRIPE_API_BASE") {
            c.stripe_api_base = v.trim().trim_end_matches('/').to_string();
        }
        if let Some(v) = env("QODER_STRIPE_SECRET_KEY") {
            c.stripe_secret_key = Secret::new(v.trim());
        }
        if let Some(v) = env("QODER_STRIPE_WEBHOOK_SECRET") {
            c.stripe_webhook_secret = Secret::new(v.trim());
        }
        if let Some(v) = env("QODER_STRIPE_PRICES") {
            c.stripe_prices = list(&v);
        }
        if let Some(v) = env("QODER_AI_PROVIDERS") {
            c.ai_providers = list(&v);
        }
        if let Some(v) = env("QODER_AI_SECRETS_FILE") {
            c.ai_secrets_file = Some(PathBuf::from(v));
        }
        if let Some(v) = env("QODER_AI_USER_DAILY_BUDGET_USD") {
            c.ai_user_daily_budget_usd = parse("QODER_AI_USER_DAILY_BUDGET_USD", &v)?;
        }
        if let Some(v) = env("QODER_AI_GLOBAL_DAILY_BUDGET_USD") {
            c.ai_global_daily_budget_usd = parse("QODER_AI_GLOBAL_DAILY_BUDGET_USD", &v)?;
        }
        if let Some(v) = env("QODER_AI_MAX_OUTPUT_TOKENS") {
            c.ai_max_output_tokens = parse("QODER_AI_MAX_OUTPUT_TOKENS", &v)?;
        }
        c.jobs.layer(&env)?;
        c.alerts.layer(&env)?;
        c.resolve_ai(&env)?;
        Ok(c)
    }

    /// Reads the hosted AI's providers named in `ai_providers`: `ai_secrets_file` first, the
    /// `QODER_AI_<NAME>_*` variables over it. [`Config::layered`] calls it; call it again after
    /// changing `ai_providers` or `ai_secrets_file` (the binary's flags).
    pub fn resolve_ai(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(path) = self.ai_secrets_file.clone() {
            let text = std::fs::read_to_string(&path)
                .map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
            let file: BTreeMap<String, AiProvider> = toml::from_str(&text)
                .map_err(|source| ConfigError::Toml { path: path.display().to_string(), source })?;
            self.ai.extend(file);
        }
        for name in self.ai_providers.clone() {
            let var = |suffix: &str| {
                let upper = name.to_ascii_uppercase().replace(['-', '.'], "_");
                env(&format!("QODER_AI_{upper}_{suffix}"))
            };
            let p = self.ai.entry(name.clone()).or_default();
            if let Some(v) = var("KIND") {
                p.kind = v.trim().to_string();
            }
            if let Some(v) = var("BASE_URL") {
                p.base_url = v.trim().to_string();
            }
            if let Some(v) = var("API_KEY") {
                p.api_key = Secret::new(v.trim());
            }
            if let Some(v) = var("MODEL") {
                p.model = v.trim().to_string();
            }
        }
        Ok(())
    }

    /// The Stripe price of each paid plan, from `stripe_prices`.
    pub fn stripe_price_map(&self) -> Result<BTreeMap<String, String>, ConfigError> {
        self.stripe_prices
            .iter()
            .map(|pair| match pair.split_once('=') {
                Some((plan, price)) if !plan.trim().is_empty() && !price.trim().is_empty() => {
                    Ok((plan.trim().to_string(), price.trim().to_string()))
                }
                _ => Err(ConfigError::Invalid {
                    name: "QODER_STRIPE_PRICES",
                    reason: format!("{pair:?} is not plan_id=price_id"),
                }),
            })
            .collect()
    }

    /// Checks the rules the settings must keep.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.jwt_secret.expose().len() < 32 {
            return Err(ConfigError::Invalid {
                name: "QODER_JWT_SECRET",
                reason: "must be set and at least 32 bytes long".into(),
            });
        }
        if self.access_token_ttl == 0 || self.refresh_token_ttl == 0 {
            return Err(ConfigError::Invalid {
                name: "token TTL",
                reason: "must be positive".into(),
            });
        }
        if self.max_body_bytes < 1024 {
            return Err(ConfigError::Invalid {
                name: "QODER_MAX_BODY_BYTES",
                reason: "must be at least 1024".into(),
            });
        }
        if self.max_failed_logins_per_ip < 1 {
            return Err(ConfigError::Invalid {
                name: "QODER_MAX_FAILED_LOGINS_PER_IP",
                reason: "must be at least 1".into(),
            });
        }
        if self.api_rate_limit < 1 {
            return Err(ConfigError::Invalid {
                name: "QODER_API_RATE_LIMIT",
                reason: "must be at least 1".into(),
            });
        }
        if self.websocket_ping_interval == 0 {
            return Err(ConfigError::Invalid {
                name: "QODER_WEBSOCKET_PING_INTERVAL",
                reason: "must be at least 1 second".into(),
            });
        }
        if self.register_limit_per_ip < 1 || self.register_limit < 1 {
            return Err(ConfigError::Invalid {
                name: "QODER_REGISTER_LIMIT(_PER_IP)",
                reason: "must be at least 1".into(),
            });
        }
        if self.account_quota_bytes < 1 || self.websocket_per_user_limit < 1 {
            return Err(ConfigError::Invalid {
                name: "QODER_ACCOUNT_QUOTA_BYTES / QODER_WEBSOCKET_PER_USER_LIMIT",
                reason: "must be at least 1".into(),
            });
        }
        if self.max_failed_logins < 1 {
            return Err(ConfigError::Invalid {
                name: "QODER_MAX_FAILED_LOGINS",
                reason: "must be at least 1".into(),
            });
        }
        self.stripe_price_map()?;
        if !self.stripe_secret_key.expose().is_empty()
            && self.stripe_webhook_secret.expose().is_empty()
        {
            return Err(ConfigError::Invalid {
                name: "QODER_STRIPE_WEBHOOK_SECRET",
                reason: "must be set when QODER_STRIPE_SECRET_KEY is".into(),
            });
        }
        for name in &self.ai_providers {
            if !self.ai.contains_key(name) {
                return Err(ConfigError::Invalid {
                    name: "QODER_AI_PROVIDERS",
                    reason: format!(
                        "provider {name:?} has no settings (QODER_AI_{}_API_KEY … or a [{name}] table in QODER_AI_SECRETS_FILE)",
                        name.to_ascii_uppercase()
                    ),
                });
            }
        }
        let budgets = [self.ai_user_daily_budget_usd, self.ai_global_daily_budget_usd];
        if budgets.iter().any(|b| !b.is_finite() || *b < 0.0) || self.ai_max_output_tokens < 1 {
            return Err(ConfigError::Invalid {
                name: "QODER_AI_*_DAILY_BUDGET_USD / QODER_AI_MAX_OUTPUT_TOKENS",
                reason: "budgets must be non-negative numbers, max output tokens at least 1".into(),
            });
        }
        self.jobs.validate()?;
        self.alerts.validate()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn layers_and_hidden_secrets() {
        let dir = std::env::temp_dir().join(format!("qoder-server-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("server.toml");
        std::fs::write(&file, "listen = \"0.0.0.0:9000\"\njwt_secret = \"file-secret-file-secret-file-secret!\"\nmax_body_bytes = 2048\n").unwrap();
        let env: HashMap<&str, &str> = HashMap::from([
            ("QODER_MAX_BODY_BYTES", "4096"),
            ("QODER_DATABASE_URL", "postgres://u:hunter2@db/x"),
        ]);
        let c = Config::load(Some(&file), |k| env.get(k).map(|v| v.to_string())).unwrap();
        assert_eq!(c.listen.port(), 9000); // from the file
        assert_eq!(c.max_body_bytes, 4096); // env over file
        assert_eq!(c.access_token_ttl, 900); // default
        let debug = format!("{c:?}");
        assert!(!debug.contains("hunter2") && !debug.contains("file-secret"), "{debug}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn flags_win_over_env_over_file_over_defaults() {
        use clap::Parser;
        #[derive(Parser)]
        struct Cli {
            #[command(flatten)]
            flags: Flags,
        }
        let dir = std::env::temp_dir().join(format!("qoder-server-flags-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("server.toml");
        std::fs::write(
            &file,
            "jwt_secret = \"file-secret-file-secret-file-secret!\"\napi_rate_limit = 7\nlogin_window = 60\nmax_body_bytes = 5000\n",
        )
        .unwrap();
        let env: HashMap<&str, &str> =
            HashMap::from([("QODER_API_RATE_LIMIT", "8"), ("QODER_LOGIN_WINDOW", "61")]);
        let mut c = Config::layered(Some(&file), |k| env.get(k).map(|v| v.to_string())).unwrap();
        let cli = Cli::try_parse_from([
            "qoder-server",
            "--api-rate-limit",
            "9",
            "--trust-proxy",
            "true",
            "--admin-emails",
            "a@example.com, b@example.com",
        ])
        .unwrap();
        cli.flags.apply(&mut c);
        c.validate().unwrap();
        assert_eq!(c.api_rate_limit, 9); // flag over env over file
        assert_eq!(c.login_window, 61); // env over file
        assert_eq!(c.max_body_bytes, 5000); // file over default
        assert_eq!(c.websocket_ping_interval, 30); // default
        assert!(c.trust_proxy);
        assert_eq!(c.admin_emails, ["a@example.com", "b@example.com"]);
        assert!(Cli::try_parse_from(["qoder-server", "--api-rate-limit", "many"]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn alerts_and_jobs_from_the_file_and_the_environment() {
        let dir = std::env::temp_dir().join(format!("qoder-server-alerts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("server.toml");
        std::fs::write(
            &file,
            "jwt_secret = \"file-secret-file-secret-file-secret!\"\n[alerts]\np95_ms = 1500\nemail_to = [\"a@example.com\"]\nwebhook_url = \"https://hooks.example.com/T/B/secret-token\"\n[jobs]\nmax_attempts = 8\n",
        )
        .unwrap();
        let env: HashMap<&str, &str> = HashMap::from([
            ("QODER_ALERTS_SMTP_URL", "smtp://u:hunter2@mail.example.com:587?tls=required"),
            ("QODER_ALERTS_ERROR_RATE", "0.1"),
            ("QODER_JOBS_RETRY_BASE_SECS", "5"),
        ]);
        let c = Config::load(Some(&file), |k| env.get(k).map(|v| v.to_string())).unwrap();
        assert_eq!(
            (c.alerts.p95_ms, c.alerts.error_rate, c.alerts.interval_secs),
            (1500.0, 0.1, 60)
        );
        assert_eq!(c.alerts.email_to, ["a@example.com"]);
        assert_eq!((c.jobs.max_attempts, c.jobs.retry_base_secs, c.jobs.lease_secs), (8, 5, 300));
        let debug = format!("{c:?}");
        assert!(!debug.contains("hunter2") && !debug.contains("secret-token"), "{debug}");
        // SMTP without a recipient, a bad rate, an unknown key: refused.
        let no_to = |k: &str| match k {
            "QODER_JWT_SECRET" => Some("s".repeat(32)),
            "QODER_ALERTS_SMTP_URL" => Some("smtp://127.0.0.1:25".into()),
            _ => None,
        };
        assert!(Config::load(None, no_to).is_err());
        let bad_rate = |k: &str| match k {
            "QODER_JWT_SECRET" => Some("s".repeat(32)),
            "QODER_ALERTS_ERROR_RATE" => Some("-1".into()),
            _ => None,
        };
        assert!(Config::load(None, bad_rate).is_err());
        std::fs::write(
            &file,
            "jwt_secret = \"file-secret-file-secret-file-secret!\"\n[alerts]\nnope = 1\n",
        )
        .unwrap();
        assert!(Config::load(Some(&file), |_| None).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rejects_bad_settings() {
        assert!(Config::load(None, |_| None).is_err()); // no JWT secret
        let secret = |k: &str| (k == "QODER_JWT_SECRET").then(|| "s".repeat(32));
        assert!(Config::load(None, secret).is_ok());
        let bad_listen = |k: &str| match k {
            "QODER_JWT_SECRET" => Some("s".repeat(32)),
            "QODER_LISTEN" => Some("nope".into()),
            _ => None,
        };
        assert!(Config::load(None, bad_listen).is_err());
    }
}
