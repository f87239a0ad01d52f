//! Settings: defaults, then an optional TOML file, then `QODER_*` environment variables (and the
//! binary's flags on top). Passed explicitly; no globals.

use std::net::SocketAddr;
use std::path::Path;

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
        }
    }
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
        Ok(c)
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
