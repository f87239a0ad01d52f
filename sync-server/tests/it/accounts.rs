//! Accounts: registration, login and its limits, tokens and their refresh, the wrapped data key
//! and the recovery code, password change, account deletion, pruning.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use qoder_server::auth::Claims;
use qoder_sync::Replica;
use qoder_sync::crypto;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use uuid::Uuid;

use crate::common::*;

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
