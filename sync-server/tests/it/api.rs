//! The server's integration tests: each test starts the real router on 127.0.0.1:0 over a fresh
//! PostgreSQL database (created on the server at $QODER_TEST_PG, default
//! postgres://postgres@127.0.0.1:5432, and dropped at the end) and drives it with the real
//! qoder-sync client, or with raw HTTP where the client would refuse to send the request.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use qoder_server::auth::Claims;
use qoder_server::config::{Config, Secret};
use qoder_sync::crypto::{self, RecordMeta};
use qoder_sync::wire::Record;
use qoder_sync::{Client, Replica};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;

const JWT_SECRET: &str = "test-jwt-secret-0123456789abcdef0123456789";
const MAX_BODY: usize = 256 * 1024;
const PASSWORD: &str = "correct horse battery";

fn admin_url() -> String {
    std::env::var("QODER_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A database that is dropped (with its connections) when this goes out of scope, even when the
/// test panics.
struct TestDb {
    name: String,
}

impl TestDb {
    async fn create() -> Self {
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

    fn url(&self) -> String {
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

struct TestServer {
    base: String,
    pool: PgPool,
    http: reqwest::Client,
    config: Config,
    _stop: tokio::sync::oneshot::Sender<()>,
    // Last: dropped after the server was told to stop.
    _db: TestDb,
}

impl TestServer {
    async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    async fn start_with(tweak: impl FnOnce(&mut Config)) -> Self {
        let db = TestDb::create().await;
        let mut config = Config {
            listen: "127.0.0.1:0".parse().expect("address"),
            database_url: Secret::new(db.url()),
            db_max_connections: 8,
            jwt_secret: Secret::new(JWT_SECRET),
            max_body_bytes: MAX_BODY,
            max_failed_logins: 3,
            // Tests sync a lot from one account; the limit's own tests lower it.
            api_rate_limit: 100_000,
            // Tests register many accounts from 127.0.0.1; the flood test lowers these.
            register_limit_per_ip: 10_000,
            register_limit: 10_000,
            ..Config::default()
        };
        tweak(&mut config);
        config.validate().expect("valid test config");
        let pool = qoder_server::connect(&config).await.expect("connect and migrate");
        let state = qoder_server::AppState::new(config.clone(), pool.clone()).await.expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(qoder_server::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Self {
            base: format!("http://{addr}"),
            pool,
            http: reqwest::Client::new(),
            config,
            _stop: stop,
            _db: db,
        }
    }

    fn client(&self) -> Client {
        Client::new(&self.base).expect("client")
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A signed-in client on a new device of a new account.
    async fn account(&self, email: &str) -> (Client, Uuid) {
        let c = self.client();
        let device = Uuid::now_v7();
        c.register(email, PASSWORD, device).await.expect("register");
        (c, device)
    }
}

/// Status and `{code, message}` body of a raw response; fails if the body is not that shape.
async fn error_of(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.expect("a JSON body");
    let code = body["code"].as_str().unwrap_or_else(|| panic!("no code in {body}")).to_string();
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "no message in {body}");
    (status, code)
}

fn record(device: Uuid, collection: &str, idx: i64, bytes: &[u8]) -> Record {
    Record {
        id: Uuid::now_v7(),
        device_id: device,
        collection: collection.into(),
        idx,
        ts: 1_700_000_000_000 + idx,
        ciphertext: bytes.to_vec(),
    }
}

fn fields(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_readiness() {
    let s = TestServer::start().await;
    let r = s.http.get(s.url("/healthz")).send().await.expect("healthz");
    assert_eq!(r.status(), 200);
    let r = s.http.get(s.url("/readyz")).send().await.expect("readyz");
    assert_eq!(r.status(), 200);
    let (status, code) = error_of(s.http.get(s.url("/nope")).send().await.expect("404")).await;
    assert_eq!((status, code.as_str()), (404, "not_found"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_rotates_and_a_reused_token_revokes_the_family() {
    let s = TestServer::start().await;
    let (c, _) = s.account("ann@example.com").await;
    c.status().await.expect("signed in");

    let first = c.refresh_token().expect("refresh token");
    let second = c.refresh().await.expect("refresh").refresh_token;
    assert_ne!(first, second, "refresh tokens rotate");
    c.status().await.expect("new access token works");

    // The spent token presented again: refused, and the whole family with it.
    let reuse =
        s.http.post(s.url("/api/auth/refresh")).json(&json!({"refresh_token": first})).send();
    let (status, code) = error_of(reuse.await.expect("reuse")).await;
    assert_eq!((status, code.as_str()), (401, "unauthorized"));
    let err = c.refresh().await.expect_err("the rotated token was revoked with its family");
    assert_eq!(err.status(), Some(401));
    let revoked: i64 =
        sqlx::query_scalar("SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NOT NULL")
            .fetch_one(&s.pool)
            .await
            .expect("count");
    assert!(revoked >= 1);
    // Tokens are stored hashed, never as issued.
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT token_hash FROM refresh_tokens")
        .fetch_all(&s.pool)
        .await
        .expect("hashes");
    assert!(stored.iter().all(|h| h.len() == 32 && h.as_slice() != second.as_bytes()));

    // A new login starts a new family; logout revokes it.
    let device = Uuid::now_v7();
    c.login("ann@example.com", PASSWORD, device).await.expect("login again");
    let before_logout = c.refresh_token().expect("token");
    c.logout().await.expect("logout");
    let after = s
        .http
        .post(s.url("/api/auth/refresh"))
        .json(&json!({"refresh_token": before_logout}))
        .send()
        .await
        .expect("refresh after logout");
    assert_eq!(after.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_says_the_same_for_unknown_and_wrong_and_throttles_in_the_database() {
    let s = TestServer::start().await;
    let (_, device) = s.account("bob@example.com").await;
    let dup = s.client().register("bob@example.com", PASSWORD, Uuid::now_v7()).await;
    assert_eq!(dup.expect_err("taken").status(), Some(409));

    // Attempts from new devices (the account's own device is counted apart: see below).
    let attempt = |email: &'static str, password: &'static str| {
        let http = s.http.clone();
        let url = s.url("/api/auth/login");
        async move {
            let secret = crypto::login_secret(email, password).expect("secret");
            let started = Instant::now();
            let r = http
                .post(url)
                .json(&json!({"email": email, "secret": secret, "device_id": Uuid::now_v7()}))
                .send()
                .await
                .expect("login");
            let elapsed = started.elapsed();
            let status = r.status().as_u16();
            let body: Value = r.json().await.expect("json");
            (status, body, elapsed)
        }
    };
    let (s1, b1, t_wrong) = attempt("bob@example.com", "wrong password").await;
    let (s2, b2, t_unknown) = attempt("nobody@example.com", "wrong password").await;
    assert_eq!(s1, 401);
    assert_eq!((s1, &b1), (s2, &b2), "unknown and wrong look alike");
    // Both check an argon2id hash (the unknown one a dummy): similar time, not a fast path.
    let (fast, slow) =
        if t_wrong < t_unknown { (t_wrong, t_unknown) } else { (t_unknown, t_wrong) };
    assert!(slow < fast * 4 + Duration::from_millis(50), "{t_wrong:?} vs {t_unknown:?}");

    // Third failure locks the email (known or not), even for the right password.
    attempt("bob@example.com", "wrong password").await;
    attempt("bob@example.com", "wrong password").await;
    let (locked, body, _) = attempt("bob@example.com", PASSWORD).await;
    assert_eq!((locked, body["code"].as_str()), (429, Some("rate_limited")));
    attempt("nobody@example.com", "wrong password").await;
    attempt("nobody@example.com", "wrong password").await;
    let (locked_unknown, body_unknown, _) = attempt("nobody@example.com", PASSWORD).await;
    assert_eq!((locked_unknown, &body_unknown), (locked, &body));
    // The counter lives in PostgreSQL, shared by every server process; every attempt is
    // counted before its secret is checked (the refused fourth one too).
    let failures: i32 =
        sqlx::query_scalar("SELECT failures FROM login_failures WHERE email = 'bob@example.com'")
            .fetch_one(&s.pool)
            .await
            .expect("row");
    assert_eq!(failures, 4);
    // Strangers locked the email, but bob's own device (bound to the account by an earlier
    // sign-in, its id unknown to them) still signs in: its attempts are counted apart.
    let own = s.client();
    own.login("bob@example.com", PASSWORD, device).await.expect("the known device passes");
    let (still, _, _) = attempt("bob@example.com", PASSWORD).await;
    assert_eq!(still, 429, "a new device is still locked out");
}

fn forge(claims: &Claims, key: &[u8]) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(key),
    )
    .expect("encode")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_refuses_bad_tokens() {
    let s = TestServer::start().await;
    let (c, device) = s.account("cat@example.com").await;
    let user = c.user_id().expect("user");
    let now = chrono::Utc::now().timestamp();
    let good = Claims {
        sub: user,
        dev: device,
        role: "user".into(),
        iss: "qoder-server".into(),
        aud: "qoder-sync".into(),
        iat: now,
        exp: now + 600,
    };
    let expired =
        forge(&Claims { iat: now - 7200, exp: now - 3600, ..good.clone() }, JWT_SECRET.as_bytes());
    let wrong_key = forge(&good, b"another-secret-another-secret-another-secret");
    let wrong_iss = forge(&Claims { iss: "evil".into(), ..good.clone() }, JWT_SECRET.as_bytes());
    let wrong_aud = forge(&Claims { aud: "other".into(), ..good.clone() }, JWT_SECRET.as_bytes());
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&good).expect("claims"))
    );
    let hs512 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
        &good,
        &jsonwebtoken::EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .expect("hs512");
    let valid = forge(&good, JWT_SECRET.as_bytes());

    let push = json!({"records": []});
    let key = json!({"blob": "AAAA"});
    let password = json!({"old_secret": "short", "new_secret": "short", "key_blob": "AAAA"});
    let device_q = device.to_string();
    // Last: with the valid token and the real secret it deletes the account.
    let delete = json!({"secret": crypto::login_secret("cat@example.com", PASSWORD).expect("s")});
    let endpoints: Vec<(&str, reqwest::Method, &str, Option<&Value>)> = vec![
        ("status", reqwest::Method::GET, "/api/sync/status", None),
        ("push", reqwest::Method::POST, "/api/sync/records", Some(&push)),
        ("pull", reqwest::Method::GET, "/api/sync/records", None),
        ("get key", reqwest::Method::GET, "/api/keys", None),
        ("put key", reqwest::Method::PUT, "/api/keys", Some(&key)),
        ("get recovery key", reqwest::Method::GET, "/api/keys/recovery", None),
        ("put recovery key", reqwest::Method::PUT, "/api/keys/recovery", Some(&key)),
        ("change password", reqwest::Method::POST, "/api/auth/password", Some(&password)),
        ("admin stats", reqwest::Method::GET, "/api/admin/stats", None),
        ("admin users", reqwest::Method::GET, "/api/admin/users", None),
        ("websocket", reqwest::Method::GET, "/api/ws", None),
        ("logout", reqwest::Method::DELETE, "/api/auth/logout", None),
        ("delete account", reqwest::Method::DELETE, "/api/auth/account", Some(&delete)),
    ];
    let bad: Vec<(&str, Option<String>)> = vec![
        ("no token", None),
        ("expired", Some(format!("Bearer {expired}"))),
        ("wrong key", Some(format!("Bearer {wrong_key}"))),
        ("wrong issuer", Some(format!("Bearer {wrong_iss}"))),
        ("wrong audience", Some(format!("Bearer {wrong_aud}"))),
        ("alg none", Some(format!("Bearer {none}"))),
        ("alg HS512", Some(format!("Bearer {hs512}"))),
        ("garbage", Some("Bearer not.a.token".into())),
        ("not bearer", Some(format!("Basic {valid}"))),
    ];
    let mut checked = 0;
    for (name, method, path, body) in &endpoints {
        for (what, header) in &bad {
            let mut req = s.http.request(method.clone(), s.url(path));
            if *path == "/api/sync/records" && method == reqwest::Method::GET {
                req = req.query(&[("device", device_q.as_str()), ("collection", "jobs")]);
            }
            if let Some(b) = body {
                req = req.json(b);
            }
            if let Some(h) = header {
                req = req.header("authorization", h);
            }
            let (status, code) = error_of(req.send().await.expect("send")).await;
            assert_eq!((status, code.as_str()), (401, "unauthorized"), "{name} with {what}");
            checked += 1;
        }
        // The well-formed token passes the same endpoint (logout and delete last).
        let mut req = s
            .http
            .request(method.clone(), s.url(path))
            .header("authorization", format!("Bearer {valid}"));
        if *path == "/api/sync/records" && method == reqwest::Method::GET {
            req = req.query(&[("device", device_q.as_str()), ("collection", "jobs")]);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let status = req.send().await.expect("send").status().as_u16();
        assert!(status != 401 && status < 500, "{name} with a valid token: {status}");
    }
    assert_eq!(checked, endpoints.len() * bad.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_cannot_touch_each_others_data() {
    let s = TestServer::start().await;
    let (a, a_dev) = s.account("a@example.com").await;
    let (b, b_dev) = s.account("b@example.com").await;
    a.put_key(b"a's wrapped key").await.expect("a key");
    a.push(&[record(a_dev, "jobs", 0, b"secret of a")]).await.expect("a push");

    // B cannot read A's log, see it in status, or get A's key.
    assert!(b.pull(a_dev, "jobs", -1, 100).await.expect("b pull").records.is_empty());
    assert!(b.status().await.expect("b status").logs.is_empty());
    assert_eq!(b.get_key().await.expect("b key"), None);
    // B cannot write into A's device log, nor sign in as A's device.
    let err = b.push(&[record(a_dev, "jobs", 1, b"forged")]).await.expect_err("forbidden");
    assert_eq!((err.status(), err.code()), (Some(403), Some(qoder_domain::ErrorCode::Forbidden)));
    let err = s.client().login("b@example.com", PASSWORD, a_dev).await.expect_err("device taken");
    assert_eq!((err.status(), err.code()), (Some(403), Some(qoder_domain::ErrorCode::Forbidden)));
    // A still sees exactly its own record.
    let page = a.pull(a_dev, "jobs", -1, 100).await.expect("a pull");
    assert_eq!(page.records.len(), 1);
    assert_eq!(page.records[0].ciphertext, b"secret of a");
    assert!(a.pull(b_dev, "jobs", -1, 100).await.expect("a pulls b").records.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_is_idempotent_conflicts_are_409_and_pull_pages() {
    let s = TestServer::start().await;
    let (c, dev) = s.account("dan@example.com").await;
    let batch: Vec<Record> = (0..3).map(|i| record(dev, "jobs", i, &[i as u8 + 1; 40])).collect();
    let r = c.push(&batch).await.expect("push");
    assert_eq!((r.inserted, r.already_present), (3, 0));
    let r = c.push(&batch).await.expect("retried push");
    assert_eq!((r.inserted, r.already_present), (0, 3));
    // A retry that brings new records along, one of them twice: each stored once.
    let mut mixed = batch.clone();
    let fresh = record(dev, "jobs", 3, b"fresh");
    mixed.extend([fresh.clone(), fresh]);
    let r = c.push(&mixed).await.expect("mixed push");
    assert_eq!((r.inserted, r.already_present), (1, 4));
    sqlx::query("DELETE FROM records WHERE idx = 3").execute(&s.pool).await.expect("reset");

    // A different record at an existing index: 409, and the whole push is refused.
    let clash = vec![record(dev, "jobs", 3, b"new"), record(dev, "jobs", 1, b"different")];
    let err = c.push(&clash).await.expect_err("conflict");
    assert_eq!((err.status(), err.code()), (Some(409), Some(qoder_domain::ErrorCode::Conflict)));
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM records").fetch_one(&s.pool).await.expect("n");
    assert_eq!(rows, 3);

    let more: Vec<Record> = (3..25).map(|i| record(dev, "jobs", i, b"x")).collect();
    c.push(&more).await.expect("push more");
    let status = c.status().await.expect("status");
    assert_eq!(status.logs.len(), 1);
    assert_eq!(status.logs[0].max_idx, 24);
    let (mut after, mut seen, mut pages) = (-1, Vec::new(), 0);
    loop {
        let page = c.pull(dev, "jobs", after, 10).await.expect("page");
        pages += 1;
        seen.extend(page.records.iter().map(|r| r.idx));
        after = page.records.last().map_or(after, |r| r.idx);
        if !page.more {
            break;
        }
    }
    assert_eq!(seen, (0..25).collect::<Vec<_>>());
    assert_eq!(pages, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_malformed_bodies_get_json_4xx() {
    let s = TestServer::start().await;
    let (c, dev) = s.account("eve@example.com").await;
    let token = format!("Bearer {}", c.access_token().expect("token"));
    let post = |body: String, content_type: &'static str| {
        s.http
            .post(s.url("/api/sync/records"))
            .header("authorization", token.clone())
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let big =
        serde_json::to_string(&json!({"records": [record(dev, "jobs", 0, &vec![7u8; MAX_BODY])]}))
            .expect("json");
    let many: Vec<Record> = (0..1001).map(|i| record(dev, "jobs", i, b"x")).collect();
    let too_many = serde_json::to_string(&json!({ "records": many })).expect("json");
    let bad_collection =
        serde_json::to_string(&json!({"records": [record(dev, "Bad/Name", 0, b"x")]}))
            .expect("json");
    let cases: Vec<(&str, String, &str, u16)> = vec![
        ("oversized", big, "application/json", 413),
        ("malformed", "{\"records\": [".into(), "application/json", 400),
        ("not json", "hello".into(), "text/plain", 415),
        ("missing field", "{\"recs\": []}".into(), "application/json", 422),
        (
            "bad base64",
            format!(
                "{{\"records\":[{{\"id\":\"{}\",\"device_id\":\"{dev}\",\"collection\":\"jobs\",\"idx\":0,\"ts\":0,\"ciphertext\":\"%%%\"}}]}}",
                Uuid::now_v7()
            ),
            "application/json",
            422,
        ),
        ("too many records", too_many, "application/json", 422),
        ("bad collection", bad_collection, "application/json", 422),
    ];
    for (name, body, content_type, expected) in cases {
        let (status, code) = error_of(post(body, content_type).await.expect("send")).await;
        assert_eq!(status, expected, "{name}");
        let expected_code = if expected == 413 { "payload_too_large" } else { "validation" };
        assert_eq!(code, expected_code, "{name}");
    }
    // Too large on other endpoints too: the wrapped key and a register body, whether the size
    // shows in Content-Length or only while the body streams in (chunked).
    let huge = format!("{{\"blob\": \"{}\"}}", "A".repeat(MAX_BODY + 8));
    let r = s
        .http
        .put(s.url("/api/keys"))
        .header("authorization", token.clone())
        .header("content-type", "application/json")
        .body(huge.clone())
        .send()
        .await
        .expect("send");
    assert_eq!(error_of(r).await, (413, "payload_too_large".into()));
    let chunks: Vec<Result<String, std::io::Error>> =
        huge.as_bytes().chunks(8192).map(|c| Ok(String::from_utf8_lossy(c).into_owned())).collect();
    let r = s
        .http
        .post(s.url("/api/auth/register"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
        .send()
        .await
        .expect("send");
    assert_eq!(error_of(r).await, (413, "payload_too_large".into()));
    // Bad query and bad register bodies too.
    let r = s
        .http
        .get(s.url("/api/sync/records?device=x&collection=jobs&limit=abc"))
        .header("authorization", token.clone())
        .send()
        .await
        .expect("send");
    assert_eq!(error_of(r).await, (422, "validation".into()));
    let r = s
        .http
        .get(s.url(&format!("/api/sync/records?device={dev}&collection=jobs&limit=100000")))
        .header("authorization", token.clone())
        .send()
        .await
        .expect("send");
    assert_eq!(error_of(r).await, (422, "validation".into()));
    let r = s
        .http
        .post(s.url("/api/auth/register"))
        .json(
            &json!({"email": "no-at-sign", "secret": "x".repeat(64), "device_id": Uuid::now_v7()}),
        )
        .send()
        .await
        .expect("send");
    assert_eq!(error_of(r).await, (422, "validation".into()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_never_holds_the_plaintext() {
    let s = TestServer::start().await;
    let canary = format!("CANARY-{:016x}", rand::random::<u64>());
    let (laptop, laptop_dev) = s.account("fay@example.com").await;
    let user = laptop.user_id().expect("user");
    let key = laptop.data_key(PASSWORD).await.expect("data key");
    let mut replica = Replica::new(user, laptop_dev, "resumes", key, &["summary"]);
    replica
        .set("r1", fields(&[("summary", json!(format!("salary 150k {canary}")))]), 1_000)
        .expect("edit");
    replica.sync(&laptop).await.expect("sync");

    // A dump of every table, bytea as raw bytes and every row as text.
    let mut dump: Vec<u8> = Vec::new();
    laptop
        .create_recovery_code(&laptop.data_key(PASSWORD).await.expect("key"))
        .await
        .expect("code");
    for table in [
        "users",
        "devices",
        "refresh_tokens",
        "login_failures",
        "key_blobs",
        "recovery_blobs",
        "rate_limits",
        "records",
    ] {
        let rows: Vec<String> =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT t::text FROM {table} t")))
                .fetch_all(&s.pool)
                .await
                .expect("dump");
        rows.iter().for_each(|r| dump.extend_from_slice(r.as_bytes()));
    }
    let blobs: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT ciphertext FROM records UNION ALL SELECT blob FROM key_blobs
             UNION ALL SELECT blob FROM recovery_blobs",
    )
    .fetch_all(&s.pool)
    .await
    .expect("bytes");
    blobs.iter().for_each(|b| dump.extend_from_slice(b));
    let hex_canary = hex::encode(canary.as_bytes());
    for needle in [canary.as_bytes(), hex_canary.as_bytes(), b"salary", PASSWORD.as_bytes()] {
        assert!(
            !dump.windows(needle.len()).any(|w| w == needle),
            "found {:?}",
            String::from_utf8_lossy(needle)
        );
    }

    // A second device gets the key with the password alone and reads the canary back.
    let desktop = s.client();
    let desktop_dev = Uuid::now_v7();
    desktop.login("fay@example.com", PASSWORD, desktop_dev).await.expect("login");
    let key = desktop.data_key(PASSWORD).await.expect("unwrap key");
    let mut other = Replica::new(user, desktop_dev, "resumes", key, &["summary"]);
    other.sync(&desktop).await.expect("sync");
    let summary = other.view()["r1"]["summary"].as_str().map(str::to_string);
    assert_eq!(summary, Some(format!("salary 150k {canary}")));
    // The wrong password does not open the key.
    assert!(desktop.data_key("not the password").await.is_err());
    // A record moved to another index does not decrypt (metadata is bound).
    let stored = &laptop.pull(laptop_dev, "resumes", -1, 10).await.expect("pull").records[0];
    let key = laptop.data_key(PASSWORD).await.expect("key");
    let moved = RecordMeta { user_id: user, device_id: laptop_dev, collection: "resumes", idx: 1 };
    assert!(crypto::open(&key, moved, &stored.ciphertext).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_devices_converge_despite_duplicates_reordering_and_lost_acks() {
    let s = TestServer::start().await;
    let seed = std::env::var("QODER_CONVERGE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(rand::random::<u64>);
    eprintln!("convergence seed {seed} (QODER_CONVERGE_SEED to replay)");
    let mut rng = StdRng::seed_from_u64(seed);
    let (first, first_dev) = s.account("gus@example.com").await;
    let user = first.user_id().expect("user");
    let mut devices = vec![(first, first_dev)];
    for _ in 0..2 {
        let c = s.client();
        let dev = Uuid::now_v7();
        c.login("gus@example.com", PASSWORD, dev).await.expect("login");
        devices.push((c, dev));
    }
    let mut replicas = Vec::new();
    for (c, dev) in &devices {
        replicas.push(Replica::new(
            user,
            *dev,
            "jobs",
            c.data_key(PASSWORD).await.expect("key"),
            &["notes"],
        ));
    }
    let entities = ["job-1", "job-2", "job-3", "job-4"];
    let field_names = ["title", "company", "status", "notes"];
    let mut written = 0i64;
    let mut clock_ms = 1_700_000_000_000u64;
    for _round in 0..30 {
        let d = rng.gen_range(0..3);
        // A few local edits, with clocks that are sometimes behind.
        for _ in 0..rng.gen_range(1..4) {
            clock_ms += rng.gen_range(0..3);
            let skew = rng.gen_range(0..50);
            let entity = entities[rng.gen_range(0..entities.len())];
            if rng.gen_bool(0.15) {
                replicas[d].delete(entity, clock_ms - skew).expect("delete");
            } else {
                let f = field_names[rng.gen_range(0..field_names.len())];
                let v = json!(format!("{f}-{}", rng.gen_range(0..1000)));
                replicas[d].set(entity, fields(&[(f, v)]), clock_ms - skew).expect("set");
            }
            written += 1;
        }
        let client = &devices[d].0;
        let mut outbox = replicas[d].outbox().to_vec();
        match rng.gen_range(0..4) {
            // Normal sync.
            0 => replicas[d].sync(client).await.expect("sync"),
            // Pushed in a shuffled order, twice (a retry after a lost answer).
            1 => {
                outbox.shuffle(&mut rng);
                client.push(&outbox).await.expect("push");
                client.push(&outbox).await.expect("retried push");
                replicas[d].acknowledge(&outbox);
            }
            // Only the later half pushed first (a gap), acknowledged; the rest on a later sync.
            2 => {
                let later = outbox.split_off(outbox.len() / 2);
                client.push(&later).await.expect("push later half");
                replicas[d].acknowledge(&later);
            }
            // Pushed but the device "crashed" before recording the ack: it pushes again later.
            _ => {
                client.push(&outbox).await.expect("push without ack");
            }
        }
        // Another device pulls now and then.
        let other = rng.gen_range(0..3);
        if rng.gen_bool(0.5) {
            replicas[other].sync(&devices[other].0).await.expect("sync other");
        }
    }
    // Everyone syncs until quiet (two passes: pushes of the last device reach the first).
    for _ in 0..2 {
        for (r, (c, _)) in replicas.iter_mut().zip(&devices) {
            r.sync(c).await.expect("final sync");
        }
    }
    let views: Vec<_> = replicas.iter().map(Replica::view).collect();
    assert_eq!(views[0], views[1], "seed {seed}");
    assert_eq!(views[1], views[2], "seed {seed}");
    assert!(replicas.iter().all(|r| r.outbox().is_empty()));
    // Exactly one row per written record, none lost.
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM records").fetch_one(&s.pool).await.expect("rows");
    assert_eq!(rows, written, "seed {seed}");
    let distinct: i64 =
        sqlx::query_scalar("SELECT count(DISTINCT (device_id, collection, idx)) FROM records")
            .fetch_one(&s.pool)
            .await
            .expect("distinct");
    assert_eq!(distinct, written);
    // A fresh device replaying everything reaches the same state.
    let late = s.client();
    let late_dev = Uuid::now_v7();
    late.login("gus@example.com", PASSWORD, late_dev).await.expect("login");
    let mut fresh = Replica::new(
        user,
        late_dev,
        "jobs",
        late.data_key(PASSWORD).await.expect("key"),
        &["notes"],
    );
    fresh.sync(&late).await.expect("sync");
    assert_eq!(fresh.view(), views[0], "seed {seed}");
    // Losing concurrent edits of `notes` are kept, the same on every device.
    let copies = replicas[0].conflicts();
    assert!(replicas.iter().all(|r| r.conflicts() == copies), "seed {seed}");
    assert_eq!(fresh.conflicts(), copies, "seed {seed}");
    eprintln!(
        "converged: {written} records from 3 devices, {} live entities, {} conflict copies",
        views[0].len(),
        copies.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_an_account_removes_its_data_and_only_its_data() {
    let s = TestServer::start().await;
    let (a, a_dev) = s.account("hal@example.com").await;
    let (b, b_dev) = s.account("ivy@example.com").await;
    a.put_key(b"wrapped").await.expect("key");
    let a_token = a.access_token().expect("token");
    a.push(&[record(a_dev, "jobs", 0, b"a0"), record(a_dev, "jobs", 1, b"a1")])
        .await
        .expect("push");
    b.push(&[record(b_dev, "jobs", 0, b"b0")]).await.expect("push");

    let wrong = a.delete_account("hal@example.com", "not the password").await;
    assert_eq!(wrong.expect_err("needs the password").status(), Some(401));
    // A wrong secret here counts like a failed login (a stolen access token cannot guess on).
    let counted: i32 = sqlx::query_scalar(
        "SELECT failures FROM login_failures WHERE email LIKE 'hal@example.com %'",
    )
    .fetch_one(&s.pool)
    .await
    .expect("counted");
    assert_eq!(counted, 1);
    a.delete_account("hal@example.com", PASSWORD).await.expect("delete");

    let count = |sql: &'static str| {
        let pool = s.pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.expect("count") }
    };
    assert_eq!(count("SELECT count(*) FROM users").await, 1);
    assert_eq!(count("SELECT count(*) FROM records").await, 1);
    assert_eq!(count("SELECT count(*) FROM key_blobs").await, 0);
    assert_eq!(count("SELECT count(*) FROM devices").await, 1);
    assert_eq!(count("SELECT count(*) FROM refresh_tokens").await, 1);
    // The old access token cannot write any more; the email is free again; B is untouched.
    let r = s
        .http
        .post(s.url("/api/sync/records"))
        .bearer_auth(&a_token)
        .json(&json!({"records": [record(a_dev, "jobs", 2, b"late")]}))
        .send()
        .await
        .expect("push");
    assert_eq!(error_of(r).await, (401, "unauthorized".into()));
    let login = s.client().login("hal@example.com", PASSWORD, Uuid::now_v7()).await;
    assert_eq!(login.expect_err("gone").status(), Some(401));
    assert_eq!(b.pull(b_dev, "jobs", -1, 10).await.expect("b pull").records.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_refreshes_an_expired_access_token_by_itself() {
    // One-second access tokens (the server allows 5 s of clock leeway).
    let s = TestServer::start_with(|c| c.access_token_ttl = 1).await;
    let (c, dev) = s.account("jay@example.com").await;
    let first_access = c.access_token().expect("token");
    let first_refresh = c.refresh_token().expect("token");
    tokio::time::sleep(Duration::from_secs(7)).await;
    let r = s.http.get(s.url("/api/sync/status")).bearer_auth(&first_access).send().await;
    assert_eq!(error_of(r.expect("send")).await, (401, "unauthorized".into()), "expired");
    // The client sees the 401, rotates its refresh token and retries.
    c.push(&[record(dev, "jobs", 0, b"after expiry")]).await.expect("push after expiry");
    assert_ne!(c.refresh_token().expect("token"), first_refresh);
    assert_ne!(c.access_token().expect("token"), first_access);
}

/// A second server instance on the same database, with its own connection pool (as a second
/// process behind a load balancer would be). Returns its base URL and its stop handle.
async fn second_instance(s: &TestServer) -> (String, tokio::sync::oneshot::Sender<()>) {
    let pool = qoder_server::connect(&s.config).await.expect("connect");
    let state = qoder_server::AppState::new(s.config.clone(), pool).await.expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(qoder_server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    (format!("http://{addr}"), stop)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_instances_share_accounts_records_and_login_limits() {
    let s = TestServer::start().await;
    let (other, _stop) = second_instance(&s).await;
    let (laptop, laptop_dev) = s.account("kim@example.com").await;
    let user = laptop.user_id().expect("user");
    let desktop = Client::new(&other).expect("client");
    let desktop_dev = Uuid::now_v7();
    desktop.login("kim@example.com", PASSWORD, desktop_dev).await.expect("login on instance 2");

    let mut a =
        Replica::new(user, laptop_dev, "jobs", laptop.data_key(PASSWORD).await.expect("key"), &[]);
    let mut b = Replica::new(
        user,
        desktop_dev,
        "jobs",
        desktop.data_key(PASSWORD).await.expect("key"),
        &[],
    );
    a.set("j1", fields(&[("title", json!("Rust engineer"))]), 10).expect("edit");
    b.set("j1", fields(&[("status", json!("applied"))]), 11).expect("edit");
    for _ in 0..2 {
        a.sync(&laptop).await.expect("sync 1");
        b.sync(&desktop).await.expect("sync 2");
    }
    assert_eq!(a.view(), b.view());
    assert_eq!(a.view()["j1"].len(), 2);

    // A refresh token issued by one instance is rotated by the other, and reuse is caught there.
    let old = laptop.refresh_token().expect("token");
    laptop.refresh().await.expect("refresh on 1");
    let reuse = s
        .http
        .post(format!("{other}/api/auth/refresh"))
        .json(&json!({"refresh_token": old}))
        .send()
        .await
        .expect("reuse on 2");
    assert_eq!(reuse.status(), 401);

    // Failed logins counted on both instances lock the email on both.
    let bad = crypto::login_secret("kim@example.com", "wrong password").expect("secret");
    for base in [s.base.as_str(), other.as_str(), s.base.as_str()] {
        let r = s
            .http
            .post(format!("{base}/api/auth/login"))
            .json(&json!({"email": "kim@example.com", "secret": bad, "device_id": desktop_dev}))
            .send()
            .await
            .expect("login");
        assert_eq!(r.status(), 401);
    }
    let err = Client::new(&other)
        .expect("client")
        .login("kim@example.com", PASSWORD, desktop_dev)
        .await
        .expect_err("locked");
    assert_eq!(err.status(), Some(429));
}

/// Waits out the end of the current minute if it is near, so a test of the per-minute limit
/// does not straddle two windows (the database's clock decides them).
async fn away_from_a_minute_boundary(pool: &PgPool) {
    let left: f64 = sqlx::query_scalar("SELECT 60 - mod(extract(epoch FROM now()), 60)::float8")
        .fetch_one(pool)
        .await
        .expect("clock");
    if left < 15.0 {
        tokio::time::sleep(Duration::from_secs_f64(left + 0.5)).await;
    }
}

fn retry_after(resp: &reqwest::Response) -> u64 {
    resp.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After in {:?}", resp.headers()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_rate_limit_is_per_user_and_shared_by_server_processes() {
    let s = TestServer::start_with(|c| c.api_rate_limit = 5).await;
    let (other, _stop) = second_instance(&s).await;
    let (a, _) = s.account("lea@example.com").await;
    let (b, _) = s.account("max@example.com").await;
    away_from_a_minute_boundary(&s.pool).await;
    for i in 0..3 {
        a.status().await.unwrap_or_else(|e| panic!("request {i}: {e}"));
    }
    // The other process counts against the same window.
    let a_token = a.access_token().expect("token");
    for _ in 0..2 {
        let r = s
            .http
            .get(format!("{other}/api/sync/status"))
            .bearer_auth(&a_token)
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 200);
    }
    let r = s
        .http
        .get(format!("{other}/api/sync/status"))
        .bearer_auth(&a_token)
        .send()
        .await
        .expect("send");
    let wait = retry_after(&r);
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    assert_eq!(error_of(r).await, (429, "rate_limited".into()));
    // Through the client too, on the first process, and for every authenticated endpoint.
    let err = a.status().await.expect_err("limited");
    assert_eq!((err.status(), err.code()), (Some(429), Some(qoder_domain::ErrorCode::RateLimited)));
    assert_eq!(a.get_key().await.expect_err("limited").status(), Some(429));
    // Another user has a window of their own; unauthenticated endpoints are not counted.
    b.status().await.expect("b is not limited");
    s.http.get(s.url("/healthz")).send().await.expect("health").error_for_status().expect("200");
    // One row per user, in PostgreSQL.
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM rate_limits WHERE key LIKE 'u:%'")
        .fetch_one(&s.pool)
        .await
        .expect("rows");
    assert_eq!(rows, 2);
}

async fn raw_login(
    s: &TestServer,
    email: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let secret = crypto::login_secret(email, password).expect("secret");
    let mut req = s
        .http
        .post(s.url("/api/auth/login"))
        .json(&json!({"email": email, "secret": secret, "device_id": Uuid::now_v7()}));
    if let Some(ip) = forwarded_for {
        req = req.header("x-forwarded-for", ip);
    }
    req.send().await.expect("login")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_are_limited_per_ip_and_forwarded_for_counts_only_behind_a_trusted_proxy() {
    // Direct clients: X-Forwarded-For is ignored, the socket's address is counted.
    let s = TestServer::start_with(|c| {
        c.max_failed_logins = 100;
        c.max_failed_logins_per_ip = 3;
        c.login_window = 86_400;
    })
    .await;
    s.account("ned@example.com").await;
    for (i, email) in ["x1@example.com", "x2@example.com", "ned@example.com"].iter().enumerate() {
        let spoof = format!("198.51.100.{i}");
        let r = raw_login(&s, email, "wrong password", Some(&spoof)).await;
        assert_eq!(r.status(), 401);
    }
    // Three different emails failed from one IP: now even the right password is refused there.
    let r = raw_login(&s, "ned@example.com", PASSWORD, Some("198.51.100.77")).await;
    assert!(retry_after(&r) > 0);
    assert_eq!(error_of(r).await, (429, "rate_limited".into()));
    let email_failures: i64 =
        sqlx::query_scalar("SELECT max(failures)::bigint FROM login_failures")
            .fetch_one(&s.pool)
            .await
            .expect("count");
    assert_eq!(email_failures, 1, "no email is locked: it is the IP");

    // Behind a trusted proxy: the last X-Forwarded-For address is the client.
    let p = TestServer::start_with(|c| {
        c.max_failed_logins = 100;
        c.max_failed_logins_per_ip = 2;
        c.login_window = 86_400;
        c.trust_proxy = true;
    })
    .await;
    p.account("ola@example.com").await;
    for email in ["y1@example.com", "y2@example.com"] {
        let r = raw_login(&p, email, "wrong password", Some("6.6.6.6, 203.0.113.1")).await;
        assert_eq!(r.status(), 401);
    }
    let r = raw_login(&p, "ola@example.com", PASSWORD, Some("203.0.113.1")).await;
    assert_eq!(error_of(r).await, (429, "rate_limited".into()));
    let r = raw_login(&p, "ola@example.com", PASSWORD, Some("203.0.113.1, 203.0.113.2")).await;
    assert_eq!(r.status(), 200, "another client behind the proxy is not limited");
    let r = raw_login(&p, "ola@example.com", PASSWORD, None).await;
    assert_eq!(r.status(), 200, "nor the proxy's own address");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_device_gets_the_key_with_the_recovery_code() {
    let s = TestServer::start().await;
    let (laptop, laptop_dev) = s.account("pia@example.com").await;
    let user = laptop.user_id().expect("user");
    let key = laptop.data_key(PASSWORD).await.expect("key");
    let code = laptop.create_recovery_code(&key).await.expect("recovery code");
    let shown = code.display().to_string();
    let mut a = Replica::new(user, laptop_dev, "resumes", key, &[]);
    a.set("r1", fields(&[("title", json!("Staff engineer"))]), 5).expect("edit");
    a.sync(&laptop).await.expect("sync");
    // The server holds a second blob, not the code.
    let blob: Vec<u8> = sqlx::query_scalar("SELECT blob FROM recovery_blobs")
        .fetch_one(&s.pool)
        .await
        .expect("blob");
    assert!(!blob.windows(8).any(|w| shown.as_bytes().windows(8).any(|c| c == w)));
    assert_ne!(Some(blob.clone()), laptop.get_key().await.expect("password blob"));

    // A new device signs in and opens the key with the code as typed (lower case, spaces).
    let desktop = s.client();
    let desktop_dev = Uuid::now_v7();
    desktop.login("pia@example.com", PASSWORD, desktop_dev).await.expect("login");
    let typed = shown.to_lowercase().replace('-', " ");
    let key = desktop.data_key_with_recovery_code(&typed).await.expect("key by recovery code");
    let mut b = Replica::new(user, desktop_dev, "resumes", key, &[]);
    b.sync(&desktop).await.expect("sync");
    assert_eq!(b.view(), a.view());
    assert_eq!(b.view()["r1"]["title"], json!("Staff engineer"));

    // A wrong code, a malformed one, another account: no key.
    let other = qoder_sync::crypto::RecoveryCode::generate().display().to_string();
    let err = desktop.data_key_with_recovery_code(&other).await.expect_err("wrong code");
    assert!(
        matches!(err, qoder_sync::ClientError::Crypto(crypto::CryptoError::WrongRecoveryCode)),
        "{err}"
    );
    assert!(desktop.data_key_with_recovery_code("1234").await.is_err());
    let (stranger, _) = s.account("quinn@example.com").await;
    assert_eq!(stranger.get_recovery_key().await.expect("none"), None);
    let err = stranger.data_key_with_recovery_code(&shown).await.expect_err("no code set up");
    assert_eq!(err.status(), Some(404));
    // A new code replaces the old one.
    let key = desktop.data_key(PASSWORD).await.expect("key");
    // A new code replaces the old one, but only with the password: a bearer token alone gets
    // 409 (and a wrong password 403).
    let err = desktop.create_recovery_code(&key).await.expect_err("one is set up");
    assert_eq!(err.status(), Some(409));
    let err = desktop.replace_recovery_code(&key, "pia@example.com", "not the password").await;
    assert_eq!(err.expect_err("wrong password").status(), Some(403));
    desktop.data_key_with_recovery_code(&shown).await.expect("the old code still works");
    let newer =
        desktop.replace_recovery_code(&key, "pia@example.com", PASSWORD).await.expect("new code");
    assert!(desktop.data_key_with_recovery_code(&shown).await.is_err());
    desktop
        .data_key_with_recovery_code(&newer.display())
        .await
        .expect("the new code opens the key");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_rewraps_the_key_and_signs_out_every_other_session() {
    const NEW: &str = "a whole new passphrase";
    let s = TestServer::start().await;
    let (laptop, laptop_dev) = s.account("rae@example.com").await;
    let user = laptop.user_id().expect("user");
    let key = laptop.data_key(PASSWORD).await.expect("key");
    let code = laptop.create_recovery_code(&key).await.expect("code");
    let mut a = Replica::new(user, laptop_dev, "jobs", key, &[]);
    a.set("j1", fields(&[("company", json!("Acme"))]), 5).expect("edit");
    a.sync(&laptop).await.expect("sync");
    let desktop = s.client();
    desktop.login("rae@example.com", PASSWORD, Uuid::now_v7()).await.expect("desktop login");
    let laptop_old_refresh = laptop.refresh_token().expect("token");

    // The wrong old password: refused, and counted like a failed login.
    let key = laptop.data_key(PASSWORD).await.expect("key");
    let err = laptop
        .change_password("rae@example.com", "not the password", NEW, &key)
        .await
        .expect_err("wrong old password");
    assert_eq!((err.status(), err.code()), (Some(403), Some(qoder_domain::ErrorCode::Forbidden)));
    let failures: i32 = sqlx::query_scalar(
        "SELECT failures FROM login_failures WHERE email = 'rae@example.com ' || $1",
    )
    .bind(laptop_dev.to_string())
    .fetch_one(&s.pool)
    .await
    .expect("counted");
    assert_eq!(failures, 1);

    laptop.change_password("rae@example.com", PASSWORD, NEW, &key).await.expect("change");
    // This device goes on with its new session; every other sign-in is revoked.
    laptop.status().await.expect("still signed in");
    laptop.refresh().await.expect("the new refresh token works");
    assert_eq!(desktop.refresh().await.expect_err("desktop revoked").status(), Some(401));
    let r = s
        .http
        .post(s.url("/api/auth/refresh"))
        .json(&json!({"refresh_token": laptop_old_refresh}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 401);
    // The old password no longer signs in; the new one does and opens the same key.
    let err = s.client().login("rae@example.com", PASSWORD, Uuid::now_v7()).await;
    assert_eq!(err.expect_err("old password").status(), Some(401));
    let fresh = s.client();
    let fresh_dev = Uuid::now_v7();
    fresh.login("rae@example.com", NEW, fresh_dev).await.expect("new password signs in");
    assert!(fresh.data_key(PASSWORD).await.is_err(), "the old password no longer opens the key");
    let mut b = Replica::new(user, fresh_dev, "jobs", fresh.data_key(NEW).await.expect("key"), &[]);
    b.sync(&fresh).await.expect("sync");
    assert_eq!(b.view(), a.view());
    // The recovery code made before the change still opens the same key.
    let by_code = fresh.data_key_with_recovery_code(&code.display()).await.expect("code");
    let mut c = Replica::new(user, Uuid::now_v7(), "jobs", by_code, &[]);
    c.sync(&fresh).await.expect("sync with the recovered key");
    assert_eq!(c.view(), a.view());
}

/// The claims of an access token, read without checking it (the test only looks).
fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64")).expect("json")
}

/// Runs `qoder-server admin ...` against the test database; its exit status and output.
fn admin_command(s: &TestServer, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qoder-server"))
        .arg("admin")
        .args(args)
        .env("QODER_DATABASE_URL", s.config.database_url.expose())
        .env_remove("QODER_JWT_SECRET")
        .env("QODER_LOG", "warn")
        .output()
        .expect("run qoder-server");
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_see_totals_and_accounts_but_never_content_and_demotion_is_immediate() {
    let s = TestServer::start_with(|c| c.admin_emails = vec!["Root@Example.com".into()]).await;
    let (root, _) = s.account("root@example.com").await;
    // Registering with a listed email proves nothing about owning the address: a plain user.
    assert_eq!(claims_of(&root.access_token().expect("token"))["role"], "user");
    let relog = s.client();
    relog.login("root@example.com", PASSWORD, Uuid::now_v7()).await.expect("login");
    assert_eq!(claims_of(&relog.access_token().expect("token"))["role"], "user");
    // The list applies to accounts that exist when the server starts.
    qoder_server::AppState::new(s.config.clone(), s.pool.clone()).await.expect("restart");
    root.refresh().await.expect("refresh");
    assert_eq!(claims_of(&root.access_token().expect("token"))["role"], "admin");
    let (sam, sam_dev) = s.account("sam@example.com").await;
    let (tia, tia_dev) = s.account("tia@example.com").await;
    assert_eq!(claims_of(&sam.access_token().expect("token"))["role"], "user");
    sam.put_key(b"sam's wrapped key").await.expect("key");
    sam.push(&[record(sam_dev, "jobs", 0, &[1; 100]), record(sam_dev, "jobs", 1, &[2; 50])])
        .await
        .expect("push");
    tia.push(&[record(tia_dev, "resumes", 0, &[3; 30])]).await.expect("push");

    // A plain user: 403 forbidden on both admin endpoints.
    for err in [
        sam.admin_stats().await.expect_err("not an admin"),
        sam.admin_users(None, 10).await.map(|_| ()).expect_err("not an admin"),
    ] {
        assert_eq!(
            (err.status(), err.code()),
            (Some(403), Some(qoder_domain::ErrorCode::Forbidden))
        );
    }

    let stats = root.admin_stats().await.expect("stats");
    assert_eq!(
        stats,
        qoder_sync::wire::AdminStats {
            users: 3,
            admins: 1,
            devices: 4,
            records: 3,
            ciphertext_bytes: 180
        }
    );
    // Paged in id order (registration order: ids are UUIDv7).
    let first = root.admin_users(None, 2).await.expect("page 1");
    assert_eq!(first.users.len(), 2);
    let second = root.admin_users(first.next, 2).await.expect("page 2");
    assert_eq!((second.users.len(), second.next), (1, None));
    let all: Vec<_> = first.users.iter().chain(&second.users).collect();
    let emails: Vec<&str> = all.iter().map(|u| u.email.as_str()).collect();
    assert_eq!(emails, ["root@example.com", "sam@example.com", "tia@example.com"]);
    let sam_row = all[1];
    assert_eq!((sam_row.role.as_str(), sam_row.devices), ("user", 1));
    assert_eq!((sam_row.records, sam_row.ciphertext_bytes), (2, 150));
    assert!(sam_row.last_push.is_some() && all[0].last_push.is_none());
    assert!(root.admin_users(None, 0).await.is_err(), "limit 0 is refused");
    // The raw answer has exactly these fields: no ciphertext, keys or hashes.
    let raw: Value = s
        .http
        .get(s.url("/api/admin/users?limit=10"))
        .bearer_auth(root.access_token().expect("token"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    let mut keys: Vec<&str> =
        raw["users"][1].as_object().expect("row").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "ciphertext_bytes",
            "created_at",
            "devices",
            "email",
            "id",
            "last_push",
            "records",
            "role"
        ]
    );
    let text = raw.to_string();
    assert!(!text.contains("argon2") && !text.contains("blob"), "{text}");

    // `qoder-server admin grant`: sam is an admin after the next token.
    let (ok, out) = admin_command(&s, &["grant", "SAM@example.com"]);
    assert!(ok, "{out}");
    assert!(sam.admin_stats().await.is_err(), "the old token still says user");
    sam.refresh().await.expect("refresh");
    assert_eq!(claims_of(&sam.access_token().expect("token"))["role"], "admin");
    assert_eq!(sam.admin_stats().await.expect("now an admin").admins, 2);
    // Revoked: the token that says admin stops working at once.
    let (ok, out) = admin_command(&s, &["revoke", "sam@example.com"]);
    assert!(ok, "{out}");
    assert_eq!(claims_of(&sam.access_token().expect("token"))["role"], "admin");
    let err = sam.admin_stats().await.expect_err("demoted");
    assert_eq!(err.status(), Some(403));
    // An unknown email is an error.
    let (ok, out) = admin_command(&s, &["grant", "nobody@example.com"]);
    assert!(!ok && out.contains("no account"), "{out}");
    // A forged admin claim for a plain user (right key, wrong role) is refused by the database.
    let now = chrono::Utc::now().timestamp();
    let forged = forge(
        &Claims {
            sub: tia.user_id().expect("user"),
            dev: tia_dev,
            role: "admin".into(),
            iss: "qoder-server".into(),
            aud: "qoder-sync".into(),
            iat: now,
            exp: now + 600,
        },
        JWT_SECRET.as_bytes(),
    );
    let r = s.http.get(s.url("/api/admin/stats")).bearer_auth(forged).send().await.expect("send");
    assert_eq!(error_of(r).await, (403, "forbidden".into()));
}

/// A `qoder-server` process on 127.0.0.1 (a port of its choosing), killed when dropped.
struct ServerProcess {
    child: std::process::Child,
    base: String,
}

impl ServerProcess {
    fn spawn(database_url: &str, extra_env: &[(&str, &str)]) -> Self {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_qoder-server"))
            .args(["--listen", "127.0.0.1:0", "--json-logs"])
            .env("QODER_DATABASE_URL", database_url)
            .env("QODER_JWT_SECRET", JWT_SECRET)
            .env("QODER_API_RATE_LIMIT", "100000")
            .env("QODER_LOG", "info")
            .envs(extra_env.iter().copied())
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

async fn next_notice(w: &mut qoder_sync::Watch, within: Duration) -> qoder_sync::wire::Notice {
    tokio::time::timeout(within, w.next())
        .await
        .unwrap_or_else(|_| panic!("no notice within {within:?}"))
        .expect("a notice")
}

fn pushed(device: Uuid, collection: &str, max_idx: i64) -> qoder_sync::wire::Notice {
    qoder_sync::wire::Notice::Pushed { device_id: device, collection: collection.into(), max_idx }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_tell_a_device_at_once_when_another_device_pushed() {
    let db = TestDb::create().await;
    let one = ServerProcess::spawn(&db.url(), &[]);
    let two = ServerProcess::spawn(&db.url(), &[]);
    let a = Client::new(&one.base).expect("client");
    let a_dev = Uuid::now_v7();
    a.register("una@example.com", PASSWORD, a_dev).await.expect("register on process 1");
    let b = Client::new(&two.base).expect("client");
    let b_dev = Uuid::now_v7();
    b.login("una@example.com", PASSWORD, b_dev).await.expect("login on process 2");
    let c = Client::new(&two.base).expect("client");
    let c_dev = Uuid::now_v7();
    c.register("vic@example.com", PASSWORD, c_dev).await.expect("another account");

    let mut wa = a.watch().await.expect("A watches on process 1");
    let mut wb = b.watch().await.expect("B watches on process 2");
    let started = Instant::now();
    b.push(&[record(b_dev, "jobs", 0, b"b0")]).await.expect("B pushes through process 2");
    assert_eq!(next_notice(&mut wa, Duration::from_secs(1)).await, pushed(b_dev, "jobs", 0));
    let latency = started.elapsed();

    // A's own push, another account's push and a retried push tell A nothing: the next notices A
    // gets are B's second push (one per collection, with the highest index).
    a.push(&[record(a_dev, "jobs", 0, b"a0")]).await.expect("A pushes");
    c.push(&[record(c_dev, "jobs", 0, b"c0")]).await.expect("C pushes");
    let again = record(b_dev, "jobs", 1, b"b1");
    b.push(&[again.clone(), record(b_dev, "jobs", 2, b"b2"), record(b_dev, "resumes", 0, b"r")])
        .await
        .expect("B pushes again");
    b.push(&[again]).await.expect("retried push");
    assert_eq!(next_notice(&mut wa, Duration::from_secs(1)).await, pushed(b_dev, "jobs", 2));
    assert_eq!(next_notice(&mut wa, Duration::from_secs(1)).await, pushed(b_dev, "resumes", 0));
    assert!(
        tokio::time::timeout(Duration::from_millis(700), wa.next()).await.is_err(),
        "nothing more for A"
    );
    // B hears of A's push, and of nothing of its own.
    assert_eq!(next_notice(&mut wb, Duration::from_secs(1)).await, pushed(a_dev, "jobs", 0));
    assert!(tokio::time::timeout(Duration::from_millis(500), wb.next()).await.is_err());
    eprintln!("notice across processes after {latency:?}");
    wa.close().await;
    wb.close().await;
}

/// Connects a raw WebSocket to `/api/ws` with `?access_token=` (as a browser would).
async fn raw_ws(
    base: &str,
    token: &str,
) -> Result<
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    tokio_tungstenite::tungstenite::Error,
> {
    let url = format!("{}/api/ws?access_token={token}", base.replace("http://", "ws://"));
    tokio_tungstenite::connect_async(url).await.map(|(ws, _)| ws)
}

fn refused_status(e: &tokio_tungstenite::tungstenite::Error) -> (u16, Value) {
    match e {
        tokio_tungstenite::tungstenite::Error::Http(resp) => (
            resp.status().as_u16(),
            serde_json::from_slice(resp.body().as_deref().unwrap_or_default()).expect("json body"),
        ),
        other => panic!("not an HTTP refusal: {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websockets_ping_close_when_the_token_expires_and_are_limited_per_process() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let s = TestServer::start_with(|c| {
        c.access_token_ttl = 3;
        c.websocket_ping_interval = 1;
        c.websocket_connection_limit = 1;
    })
    .await;
    let (a, _) = s.account("wes@example.com").await;
    let token = a.access_token().expect("token");
    let started = Instant::now();
    let mut ws = raw_ws(&s.base, &token).await.expect("query-string token accepted");
    // Without a token, with a bad one, or over the limit: refused before the upgrade.
    let e = raw_ws(&s.base, "not.a.token").await.expect_err("bad token");
    assert_eq!(refused_status(&e).0, 401);
    let e = raw_ws(&s.base, &token).await.expect_err("over the limit");
    let (status, body) = refused_status(&e);
    assert_eq!((status, body["code"].as_str()), (503, Some("rate_limited")));
    // The server pings every second (the library answers) and closes at the token's expiry.
    let (mut pings, mut close) = (0, None);
    while let Ok(Some(m)) = tokio::time::timeout(Duration::from_secs(6), ws.next()).await {
        match m.expect("frame") {
            Message::Ping(_) => pings += 1,
            Message::Close(frame) => {
                close = frame.map(|f| (u16::from(f.code), f.reason.to_string()));
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let lasted = started.elapsed();
    assert!(pings >= 1, "{pings} pings");
    assert_eq!(close.as_ref().map(|c| c.0), Some(1008), "{close:?}");
    assert!(lasted < Duration::from_secs(6), "closed after {lasted:?}");
    drop(ws);
    // The slot is free again; the client refreshes its expired token (401 at the upgrade, not a
    // socket that closes at once) and watches.
    let mut w = None;
    for _ in 0..20 {
        match a.watch().await {
            Ok(x) => {
                w = Some(x);
                break;
            }
            Err(e) => {
                eprintln!("watch: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    let mut w = w.expect("watch after the token expired");
    let err = tokio::time::timeout(Duration::from_secs(6), w.next())
        .await
        .expect("closed at the new token's expiry")
        .expect_err("closed");
    assert!(matches!(err, qoder_sync::WatchError::Closed { code: 1008, .. }), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_listen_connection_closes_the_sockets_and_notices_resume() {
    let s = TestServer::start().await;
    let (a, _) = s.account("xia@example.com").await;
    let b = s.client();
    let b_dev = Uuid::now_v7();
    b.login("xia@example.com", PASSWORD, b_dev).await.expect("login");
    let mut w = a.watch().await.expect("watch");
    // Kill the server's LISTEN connection from the database side.
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN%' \
           AND query NOT LIKE '%qoder_flags%'",
    )
    .fetch_all(&s.pool)
    .await
    .expect("terminate");
    assert_eq!(killed, [true]);
    let err = tokio::time::timeout(Duration::from_secs(5), w.next())
        .await
        .expect("the socket closes")
        .expect_err("closed");
    assert!(matches!(err, qoder_sync::WatchError::Closed { code: 1012, .. }), "{err}");
    // The caller reconnects (the listener is back) and hears of the next push.
    let mut w = None;
    for _ in 0..50 {
        if let Ok(x) = a.watch().await {
            w = Some(x);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut w = w.expect("watch again");
    b.push(&[record(b_dev, "jobs", 0, b"after")]).await.expect("push");
    assert_eq!(next_notice(&mut w, Duration::from_secs(2)).await, pushed(b_dev, "jobs", 0));
}

/// Every key the TOML file accepts, read from the error that names them all.
fn setting_keys() -> Vec<String> {
    let err = toml::from_str::<Config>("no_such_setting = 1").expect_err("unknown key").to_string();
    let list = err.split("expected one of").nth(1).unwrap_or_else(|| panic!("{err}"));
    let keys: Vec<String> = list.split('`').skip(1).step_by(2).map(str::to_string).collect();
    assert!(keys.len() > 10, "{err}");
    keys
}

#[test]
fn every_setting_is_a_flag_in_help_and_in_the_readme() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qoder-server"))
        .arg("--help")
        .output()
        .expect("run --help");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout).to_string();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    for key in setting_keys() {
        let flag = format!("--{}", key.replace('_', "-"));
        let var = format!("QODER_{}", key.to_uppercase());
        assert!(help.contains(&format!("{flag} ")), "{flag} missing from --help");
        assert!(help.contains(&var), "{var} missing from --help");
        let row = format!("| `{key}` | `{var}` | `{flag}");
        assert!(readme.contains(&row), "README has no row {row}");
    }
}

/// Every (METHOD, path) the router serves: the paths named in the router's Debug output, each
/// asked with a method no route has; axum answers 405 with the route's `Allow` header.
async fn routed_operations(s: &TestServer) -> std::collections::BTreeSet<(String, String)> {
    let state = qoder_server::AppState::new(s.config.clone(), s.pool.clone()).await.expect("state");
    let dump = format!("{:?}", qoder_server::app(state));
    let candidates: std::collections::BTreeSet<&str> =
        dump.split('"').filter(|p| p.starts_with('/')).collect();
    let probe = reqwest::Method::from_bytes(b"PROBE").expect("method");
    let mut ops = std::collections::BTreeSet::new();
    for path in candidates {
        let r = s.http.request(probe.clone(), s.url(path)).send().await.expect("probe");
        if r.status() != 405 {
            continue; // not a route (e.g. the fallback's "/")
        }
        let allow = r.headers().get("allow").and_then(|v| v.to_str().ok()).unwrap_or_default();
        for m in allow.split(',').map(str::trim).filter(|m| !m.is_empty() && *m != "HEAD") {
            ops.insert((m.to_string(), path.to_string()));
        }
    }
    ops
}

/// Every `$ref` in `v`.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_every_route_and_only_those() {
    let s = TestServer::start().await;
    let routed = routed_operations(&s).await;
    // 19 operations when this was written; fewer means the probe broke, not the router.
    assert!(routed.len() >= 19, "the probe found only {routed:?}");
    let r = s.http.get(s.url("/api/openapi.json")).send().await.expect("get");
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.expect("json");
    assert_eq!(doc, qoder_server::http::openapi::document());
    assert_eq!(doc["openapi"], "3.1.0");
    let mut described = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            described.insert((method.to_uppercase(), path.clone()));
            assert!(op["summary"].as_str().is_some_and(|t| !t.is_empty()), "{method} {path}");
            assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()), "{method} {path}");
        }
    }
    let undocumented: Vec<_> = routed.difference(&described).collect();
    assert!(undocumented.is_empty(), "routes missing from the OpenAPI document: {undocumented:?}");
    let stale: Vec<_> = described.difference(&routed).collect();
    assert!(stale.is_empty(), "described but not routed: {stale:?}");
    // Every reference resolves.
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{r}"));
        assert!(doc["components"]["schemas"].get(name).is_some(), "{r} does not resolve");
    }
    // The error codes it lists are real ErrorCode values.
    for code in doc["components"]["schemas"]["ErrorCode"]["enum"].as_array().expect("enum") {
        serde_json::from_value::<qoder_domain::ErrorCode>(code.clone())
            .unwrap_or_else(|e| panic!("{code}: {e}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_websocket_that_leaves_pings_unanswered_is_closed() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let s = TestServer::start_with(|c| {
        c.websocket_ping_interval = 1;
        c.websocket_connection_limit = 1;
    })
    .await;
    let (a, _) = s.account("yan@example.com").await;
    let token = a.access_token().expect("token");
    let mut ws = raw_ws(&s.base, &token).await.expect("connect");
    // Not reading means not answering: the server's pings pile up unanswered, and at the third
    // tick it gives up on the socket.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let mut pings = 0;
    let ending = loop {
        match tokio::time::timeout(Duration::from_secs(3), ws.next()).await {
            Ok(Some(Ok(Message::Ping(_)))) => pings += 1,
            // The close frame, or, when the library's late pong hits the closed socket first,
            // the broken connection.
            Ok(Some(Ok(Message::Close(f)))) => break format!("close {:?}", f.map(|f| f.code)),
            Ok(Some(Err(e))) => break format!("error {e}"),
            other => panic!("after {pings} pings: {other:?}"),
        }
    };
    assert_eq!(pings, 2, "{ending}");
    assert!(ending.contains("Error") || ending.contains("error"), "{ending}");
    // The server let go of it: the one slot is free for a new socket.
    drop(ws);
    raw_ws(&s.base, &token).await.expect("the slot is free again");
}

// ---------------------------------------------------------------------------------------------
// Security suite (issue 15): floods, lockout races, create-only keys, quotas, caps, pruning.

fn credentials(email: &str) -> Value {
    let secret = crypto::login_secret(email, PASSWORD).expect("secret");
    json!({"email": email, "secret": secret, "device_id": Uuid::now_v7()})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_register_flood_is_refused_early_and_argon2_stays_bounded() {
    // Per IP: 5 an hour. 30 registrations at once from one address: 5 accounts, 25 answers 429
    // (counted before any hashing), and never more argon2id runs at once than cores.
    let s = TestServer::start_with(|c| c.register_limit_per_ip = 5).await;
    let sends = (0..30).map(|i| {
        let req =
            s.http.post(s.url("/api/auth/register")).json(&credentials(&format!("f{i}@x.io")));
        async move { req.send().await.expect("send").status().as_u16() }
    });
    let statuses = futures_util::future::join_all(sends).await;
    let created = statuses.iter().filter(|&&c| c == 201).count();
    let refused = statuses.iter().filter(|&&c| c == 429).count();
    assert_eq!((created, refused), (5, 25), "{statuses:?}");
    let users: i64 =
        sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&s.pool).await.expect("n");
    assert_eq!(users, 5);
    let (peak, bound) = qoder_server::auth::argon2_peak();
    assert!(peak >= 1 && peak <= bound, "argon2id ran {peak} at once, bound {bound}");

    // Globally: past `register_limit` a minute, every address is refused.
    let g = TestServer::start_with(|c| c.register_limit = 3).await;
    away_from_a_minute_boundary(&g.pool).await;
    let mut codes = Vec::new();
    for i in 0..5 {
        let ip = format!("203.0.113.{i}");
        let r = g
            .http
            .post(g.url("/api/auth/register"))
            .header("x-forwarded-for", ip)
            .json(&credentials(&format!("g{i}@x.io")))
            .send()
            .await
            .expect("send");
        codes.push(r.status().as_u16());
    }
    assert_eq!(codes, [201, 201, 201, 429, 429]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_are_all_counted_before_any_is_checked() {
    // max_failed_logins = 3: of 12 guesses sent at once, at most 3 reach argon2 (401), the rest
    // are refused (429), and the email ends up locked.
    let s = TestServer::start().await;
    s.account("zed@example.com").await;
    let sends = (0..12).map(|_| async {
        raw_login(&s, "zed@example.com", "wrong password", None).await.status().as_u16()
    });
    let statuses = futures_util::future::join_all(sends).await;
    let checked = statuses.iter().filter(|&&c| c == 401).count();
    let refused = statuses.iter().filter(|&&c| c == 429).count();
    assert_eq!((checked, refused), (3, 9), "{statuses:?}");
    let r = raw_login(&s, "zed@example.com", PASSWORD, None).await;
    assert_eq!(r.status(), 429, "locked even for the right password");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrapped_keys_are_create_only_and_two_first_devices_share_one_key() {
    let s = TestServer::start().await;
    let (a, _) = s.account("kim@example.com").await;
    let b = s.client();
    b.login("kim@example.com", PASSWORD, Uuid::now_v7()).await.expect("login");
    // Two first devices at once: both end up with the same data key.
    let (ka, kb) = tokio::join!(a.data_key(PASSWORD), b.data_key(PASSWORD));
    let (ka, kb) = (ka.expect("a key"), kb.expect("b key"));
    assert_eq!(ka.expose_bytes(), kb.expose_bytes(), "one data key per account");
    // A bearer token alone cannot overwrite either blob.
    let stored = a.get_key().await.expect("get").expect("a blob");
    let err = a.put_key(b"garbage").await.expect_err("create-only");
    assert_eq!(err.status(), Some(409));
    assert_eq!(a.get_key().await.expect("get"), Some(stored));
    a.create_recovery_code(&ka).await.expect("first recovery code");
    let r = s
        .http
        .put(s.url("/api/keys/recovery"))
        .bearer_auth(a.access_token().expect("token"))
        .json(&json!({"blob": "AAAA"}))
        .send()
        .await
        .expect("send");
    assert_eq!(error_of(r).await, (409, "conflict".into()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_pages_and_accounts_have_byte_limits() {
    use qoder_sync::wire::{MAX_PULL_BYTES, MAX_RECORD_BYTES};
    let s = TestServer::start_with(|c| {
        c.max_body_bytes = 32 << 20;
        c.account_quota_bytes = 20 << 20;
    })
    .await;
    let (a, dev) = s.account("max@example.com").await;
    // One record over the cap: 413 with a message that says so.
    let r = s
        .http
        .post(s.url("/api/sync/records"))
        .bearer_auth(a.access_token().expect("token"))
        .json(&json!({"records": [record(dev, "jobs", 0, &vec![7; MAX_RECORD_BYTES + 1])]}))
        .send()
        .await
        .expect("send");
    assert_eq!(error_of(r).await, (413, "payload_too_large".into()));
    // 12 records of 1 MiB: a pull page stops at about MAX_PULL_BYTES and says there is more.
    let big: Vec<Record> =
        (0..12).map(|i| record(dev, "jobs", i, &vec![i as u8; MAX_RECORD_BYTES])).collect();
    a.push(&big).await.expect("push 12 MiB");
    let page = a.pull(dev, "jobs", -1, 1000).await.expect("pull");
    let bytes: usize = page.records.iter().map(|r| r.ciphertext.len()).sum();
    assert!(page.more, "cut by size");
    assert!(bytes as i64 <= MAX_PULL_BYTES + MAX_RECORD_BYTES as i64, "{bytes}");
    assert_eq!(page.records.len(), 8);
    let rest =
        a.pull(dev, "jobs", page.records.last().expect("last").idx, 1000).await.expect("pull");
    assert_eq!((rest.records.len(), rest.more), (4, false));
    // The quota (20 MiB): the next 9 MiB do not fit; the push is refused whole, clearly.
    let more: Vec<Record> =
        (12..21).map(|i| record(dev, "jobs", i, &vec![1; MAX_RECORD_BYTES])).collect();
    let err = a.push(&more).await.expect_err("over quota");
    assert_eq!(err.status(), Some(413));
    assert!(err.to_string().contains("storage is full"), "{err}");
    let n: i64 =
        sqlx::query_scalar("SELECT count(*) FROM records").fetch_one(&s.pool).await.expect("n");
    assert_eq!(n, 12, "nothing of the refused push was stored");
    a.push(&more[..4]).await.expect("what fits is taken");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websockets_are_limited_per_user() {
    let s = TestServer::start_with(|c| c.websocket_per_user_limit = 2).await;
    let (a, _) = s.account("pat@example.com").await;
    let (b, _) = s.account("quy@example.com").await;
    let ta = a.access_token().expect("token");
    let _one = raw_ws(&s.base, &ta).await.expect("first");
    let _two = raw_ws(&s.base, &ta).await.expect("second");
    let e = raw_ws(&s.base, &ta).await.expect_err("third of one user");
    assert_eq!(refused_status(&e).0, 503);
    let _other = raw_ws(&s.base, &b.access_token().expect("token")).await.expect("another user");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_websocket_message_over_the_cap_closes_the_socket() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let s = TestServer::start().await;
    let (a, _) = s.account("ray@example.com").await;
    let mut ws = raw_ws(&s.base, &a.access_token().expect("token")).await.expect("socket");
    let big = "x".repeat(qoder_server::http::ws::MAX_CLIENT_MESSAGE * 4);
    let _ = ws.send(Message::Text(big.into())).await;
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match ws.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the server closed the socket");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_failed_logins_and_expired_refresh_tokens_are_pruned() {
    let s = TestServer::start().await;
    let (c, _) = s.account("sol@example.com").await;
    raw_login(&s, "ghost@example.com", "wrong password", None).await;
    // Age them: the unknown email's window and one expired refresh token.
    sqlx::query("UPDATE login_failures SET window_start = now() - interval '3 hours'")
        .execute(&s.pool)
        .await
        .expect("age");
    c.refresh().await.expect("rotate: one spent token");
    sqlx::query(
        "UPDATE refresh_tokens SET expires_at = now() - interval '2 hours' WHERE used_at IS NOT NULL",
    )
    .execute(&s.pool)
    .await
    .expect("age");
    let deleted = qoder_server::rate::prune_once(&s.pool, 3600).await.expect("prune");
    assert!(deleted >= 2, "{deleted}");
    let failures: i64 = sqlx::query_scalar("SELECT count(*) FROM login_failures")
        .fetch_one(&s.pool)
        .await
        .expect("n");
    let tokens: i64 = sqlx::query_scalar("SELECT count(*) FROM refresh_tokens")
        .fetch_one(&s.pool)
        .await
        .expect("n");
    assert_eq!((failures, tokens), (0, 1), "only the live refresh token is left");
    c.refresh().await.expect("the live token still works");
}
