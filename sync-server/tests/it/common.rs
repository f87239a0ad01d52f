//! What every test of the server shares: a fresh PostgreSQL database per test (made on the
//! server at $QODER_TEST_PG, default postgres://postgres@127.0.0.1:5432, and dropped at the end,
//! even when the test panics), the server on 127.0.0.1:0 in this process, and the real
//! `qoder-server` binary as another process on the same database.

use std::collections::BTreeMap;
use std::time::Duration;

use qoder_server::auth::Claims;
use qoder_server::config::{Config, Secret};
use qoder_sync::Client;
use qoder_sync::wire::Record;
use serde_json::Value;
use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;

/// The access-token key of every test server (in-process and binary alike).
pub const JWT_SECRET: &str = "test-jwt-secret-0123456789abcdef0123456789";
pub const PASSWORD: &str = "correct horse battery";

pub fn admin_url() -> String {
    std::env::var("QODER_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A database that is dropped (with its connections) when this goes out of scope, even when the
/// test panics.
pub struct TestDb {
    name: String,
}

impl TestDb {
    pub async fn create() -> Self {
        let name = format!("qoder_test_{}_{:08x}", std::process::id(), rand::random::<u32>());
        let mut admin = PgConnection::connect(&format!("{}/postgres", admin_url()))
            .await
            .expect("PostgreSQL must be reachable at $QODER_TEST_PG or 127.0.0.1:5432");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("create the test database");
        Self { name }
    }

    pub fn url(&self) -> String {
        format!("{}/{}", admin_url(), self.name)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        // A fresh runtime on its own thread: the test's runtime may be shutting down.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            rt.block_on(async {
                let mut admin = PgConnection::connect(&format!("{}/postgres", admin_url())).await?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}

/// The settings every test server starts from: `db`, loopback, the test key, and the request
/// and registration limits raised (tests make many requests from one account and register many
/// accounts from 127.0.0.1; the tests of those limits lower them). No scheduled retention run
/// (the retention tests count the runs they make; the jobs test turns it on).
pub fn config(db: &TestDb) -> Config {
    Config {
        jobs: qoder_server::config::JobsConfig { retention_every_hours: 0, ..Default::default() },
        listen: "127.0.0.1:0".parse().expect("address"),
        database_url: Secret::new(db.url()),
        jwt_secret: Secret::new(JWT_SECRET),
        api_rate_limit: 100_000,
        register_limit_per_ip: 10_000,
        register_limit: 10_000,
        ..Config::default()
    }
}

/// The server in this process, with its own connection pool (a second one on the same database
/// is what a second process behind a load balancer would be). Stops when dropped.
pub struct Server {
    pub base: String,
    pub pool: PgPool,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Server {
    /// Checks `config`, connects (applying the migrations) and serves on 127.0.0.1:0.
    pub async fn start(config: &Config) -> Server {
        config.validate().expect("valid test config");
        let pool = qoder_server::connect(config).await.expect("connect and migrate");
        let state = qoder_server::AppState::new(config.clone(), pool.clone()).await.expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(qoder_server::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Server { base: format!("http://{addr}"), pool, stop: Some(stop), task: Some(task) }
    }

    /// Stops it as a shutdown signal would and waits until `serve` has returned.
    pub async fn shut_down(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("serve task").expect("serve");
        }
    }
}

/// The `qoder-server` binary on 127.0.0.1 (a port of its choosing) over `database_url`, with
/// nothing of this process's environment but `env`; killed when dropped.
pub struct ServerProcess {
    child: std::process::Child,
    pub base: String,
}

impl ServerProcess {
    pub fn spawn(database_url: &str, env: &[(&str, &str)]) -> Self {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_qoder-server"))
            .args(["--listen", "127.0.0.1:0", "--json-logs"])
            .env_clear()
            .env("QODER_DATABASE_URL", database_url)
            .env("QODER_JWT_SECRET", JWT_SECRET)
            .env("QODER_API_RATE_LIMIT", "100000")
            .env("QODER_LOG", "info")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("start qoder-server");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        // Reads the log until the address shows, then keeps draining it (a full pipe would
        // block the server).
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line)
                    && v["fields"]["message"] == "listening"
                {
                    let _ = tx.send(v["fields"]["addr"].as_str().unwrap_or_default().into());
                }
            }
        });
        let addr =
            rx.recv_timeout(Duration::from_secs(30)).expect("the server says where it listens");
        Self { child, base: format!("http://{addr}") }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub const MAX_BODY: usize = 256 * 1024;

/// The server of the account and sync tests: [`config`] with a small pool, a 256 KiB body limit
/// and 3 failed logins, tweaked per test.
pub struct TestServer {
    _server: Server,
    pub base: String,
    pub pool: PgPool,
    pub http: reqwest::Client,
    pub config: Config,
    // Last: dropped after the server was told to stop.
    _db: TestDb,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> Self {
        let db = TestDb::create().await;
        let mut config = Config {
            db_max_connections: 8,
            max_body_bytes: MAX_BODY,
            max_failed_logins: 3,
            ..config(&db)
        };
        tweak(&mut config);
        let server = Server::start(&config).await;
        Self {
            base: server.base.clone(),
            pool: server.pool.clone(),
            _server: server,
            http: reqwest::Client::new(),
            config,
            _db: db,
        }
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base).expect("client")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A signed-in client on a new device of a new account.
    pub async fn account(&self, email: &str) -> (Client, Uuid) {
        let c = self.client();
        let device = Uuid::now_v7();
        c.register(email, PASSWORD, device).await.expect("register");
        (c, device)
    }
}

/// Status and `{code, message}` body of a raw response; fails if the body is not that shape.
pub async fn error_of(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.expect("a JSON body");
    let code = body["code"].as_str().unwrap_or_else(|| panic!("no code in {body}")).to_string();
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "no message in {body}");
    (status, code)
}

pub fn record(device: Uuid, collection: &str, idx: i64, bytes: &[u8]) -> Record {
    Record {
        id: Uuid::now_v7(),
        device_id: device,
        collection: collection.into(),
        idx,
        ts: 1_700_000_000_000 + idx,
        ciphertext: bytes.to_vec(),
    }
}

pub fn fields(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

pub fn forge(claims: &Claims, key: &[u8]) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(key),
    )
    .expect("encode")
}

/// Waits out the end of the current minute if it is near, so a test of the per-minute limit
/// does not straddle two windows (the database's clock decides them).
pub async fn away_from_a_minute_boundary(pool: &PgPool) {
    let left: f64 = sqlx::query_scalar("SELECT 60 - mod(extract(epoch FROM now()), 60)::float8")
        .fetch_one(pool)
        .await
        .expect("clock");
    if left < 15.0 {
        tokio::time::sleep(Duration::from_secs_f64(left + 0.5)).await;
    }
}

pub fn retry_after(resp: &reqwest::Response) -> u64 {
    resp.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After in {:?}", resp.headers()))
}

pub fn pushed(device: Uuid, collection: &str, max_idx: i64) -> qoder_sync::wire::Notice {
    qoder_sync::wire::Notice::Pushed { device_id: device, collection: collection.into(), max_idx }
}
