//! The admin API of the console and compliance (issue 17): the audit log (append-only, written
//! with each action, filtered, exported), users (search, detail, disable, plan override, GDPR
//! export and erasure), feature flags, retention, metrics, health, and the refusal matrix of
//! every admin route. Raw HTTP over the real router and a fresh PostgreSQL database.

use std::collections::BTreeSet;
use std::io::Read;
use std::time::Instant;

use qoder_server::auth::Claims;
use qoder_sync::wire::AdminUsersQuery;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::*;

/// A login secret as the client sends it (any 32–256 characters).
fn secret(tag: &str) -> String {
    format!("{tag}-{}", "s".repeat(40))
}

struct Api<'a> {
    s: &'a TestServer,
}

impl Api<'_> {
    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut r = self
            .s
            .http
            .request(method, self.s.url(path))
            .header("user-agent", "console-test/1.0")
            .header("x-request-id", "req-test-0001");
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        if let Some(b) = body {
            r = r.json(&b);
        }
        r.send().await.expect("send")
    }

    async fn json(&self, method: Method, path: &str, token: &str, body: Option<Value>) -> Value {
        let r = self.call(method.clone(), path, Some(token), body).await;
        let status = r.status();
        let text = r.text().await.expect("body");
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: {e}: {text}"))
    }

    /// Registers an account with a raw secret; its token pair.
    async fn register(&self, email: &str) -> Value {
        let r = self
            .call(
                Method::POST,
                "/api/auth/register",
                None,
                Some(json!({"email": email, "secret": secret(email), "device_id": Uuid::now_v7()})),
            )
            .await;
        assert_eq!(r.status(), 201);
        r.json().await.expect("pair")
    }

    async fn login(&self, email: &str, secret: &str, device: Uuid) -> reqwest::Response {
        self.call(
            Method::POST,
            "/api/auth/login",
            None,
            Some(json!({"email": email, "secret": secret, "device_id": device})),
        )
        .await
    }

    /// A new admin account (promoted in the database, then signed in again); its access token
    /// and id.
    async fn admin(&self, email: &str) -> (String, Uuid) {
        let pair = self.register(email).await;
        let id: Uuid = pair["user_id"].as_str().expect("id").parse().expect("uuid");
        sqlx::query("UPDATE users SET role = 'admin' WHERE id = $1")
            .bind(id)
            .execute(&self.s.pool)
            .await
            .expect("promote");
        let r = self.login(email, &secret(email), Uuid::now_v7()).await;
        assert_eq!(r.status(), 200);
        let pair: Value = r.json().await.expect("pair");
        (pair["access_token"].as_str().expect("token").to_string(), id)
    }

    async fn user(&self, email: &str) -> (String, Uuid) {
        let pair = self.register(email).await;
        (
            pair["access_token"].as_str().expect("token").to_string(),
            pair["user_id"].as_str().expect("id").parse().expect("uuid"),
        )
    }

    async fn audit(&self, token: &str, query: &str) -> Vec<Value> {
        let page = self.json(Method::GET, &format!("/api/admin/audit?{query}"), token, None).await;
        page["entries"].as_array().expect("entries").clone()
    }
}

fn actions(entries: &[Value]) -> Vec<&str> {
    entries.iter().map(|e| e["action"].as_str().expect("action")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_is_append_only_for_every_role_including_its_owner() {
    let s = TestServer::start().await;
    let api = Api { s: &s };
    api.user("ann@example.com").await;
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(&s.pool)
        .await
        .expect("count");
    assert!(rows >= 1, "the registration is audited");
    // The test connects as the database's superuser and the tables' owner: a REVOKE would not
    // bind it, the triggers do.
    for sql in [
        "UPDATE audit_log SET action = 'auth.nothing'",
        "UPDATE audit_log SET details = '{}'::jsonb WHERE id = (SELECT min(id) FROM audit_log)",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
        "TRUNCATE audit_log",
    ] {
        let err = sqlx::query(sql).execute(&s.pool).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    // A row cannot be back-dated past the retention either: the database's clock wins.
    let at: chrono::DateTime<chrono::Utc> = sqlx::query_scalar(
        "INSERT INTO audit_log (action, at) VALUES ('auth.test', now() - interval '9000 days')
         RETURNING at",
    )
    .fetch_one(&s.pool)
    .await
    .expect("insert");
    assert!((chrono::Utc::now() - at).num_seconds().abs() < 60, "{at}");
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(&s.pool)
        .await
        .expect("count");
    assert_eq!(after, rows + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_events_are_audited_with_their_request_and_can_be_filtered_and_exported() {
    let s = TestServer::start().await;
    let api = Api { s: &s };
    let (admin, admin_id) = api.admin("root@example.com").await;
    let (_, bob) = api.user("bob@example.com").await;
    let device = Uuid::now_v7();
    // Wrong secrets from a new device: 3 failures, then the 4th attempt locks the email.
    for _ in 0..3 {
        let r = api.login("bob@example.com", &secret("wrong"), device).await;
        assert_eq!(r.status(), 401);
    }
    let r = api.login("bob@example.com", &secret("bob@example.com"), device).await;
    assert_eq!(r.status(), 429, "locked");
    let r = api.login("bob@example.com", &secret("bob@example.com"), device).await;
    assert_eq!(r.status(), 429, "still locked");
    // An unknown email fails the same way and is audited without a target.
    let r = api.login("nobody@example.com", &secret("x"), device).await;
    assert_eq!(r.status(), 401);

    let bobs = api.audit(&admin, &format!("target=user:{bob}")).await;
    assert_eq!(
        actions(&bobs),
        [
            "auth.lockout",
            "auth.login_failed",
            "auth.login_failed",
            "auth.login_failed",
            "auth.register"
        ],
        "newest first; one lockout row however often the locked email is tried"
    );
    let failed = &bobs[1];
    assert_eq!(failed["actor"], Value::Null);
    assert_eq!(failed["ip"], "127.0.0.1");
    assert_eq!(failed["user_agent"], "console-test/1.0");
    assert_eq!(failed["request_id"], "req-test-0001");
    assert_eq!(failed["details"]["email"], "bob@example.com");
    assert_eq!(bobs[4]["actor"], bob.to_string());
    // The admin's own sign-in, by actor; a prefix filter; time filters.
    let mine = api.audit(&admin, &format!("actor={admin_id}&action=auth.login")).await;
    assert_eq!(actions(&mine), ["auth.login"]);
    let all_auth = api.audit(&admin, "action=auth.*&limit=500").await;
    assert!(all_auth.iter().all(|e| e["action"].as_str().unwrap().starts_with("auth.")));
    let unknown: Vec<_> =
        all_auth.iter().filter(|e| e["details"]["email"] == "nobody@example.com").collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0]["target"], Value::Null);
    let future = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let none = api.audit(&admin, &format!("from={}", urlencode(&future))).await;
    assert!(none.is_empty());
    let r = api
        .call(
            Method::GET,
            &format!("/api/admin/audit?from={}&to=2020-01-01T00:00:00Z", urlencode(&future)),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(error_of(r).await, (422, "validation".into()));
    // Paging: every row once, newest first.
    let mut seen = Vec::new();
    let mut before: Option<i64> = None;
    loop {
        let q = match before {
            Some(b) => format!("/api/admin/audit?limit=2&before={b}"),
            None => "/api/admin/audit?limit=2".into(),
        };
        let page = api.json(Method::GET, &q, &admin, None).await;
        for e in page["entries"].as_array().unwrap() {
            seen.push(e["id"].as_i64().unwrap());
        }
        match page["next"].as_i64() {
            Some(n) => before = Some(n),
            None => break,
        }
    }
    let total: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log").fetch_one(&s.pool).await.unwrap();
    assert_eq!(seen.len() as i64, total);
    assert!(seen.windows(2).all(|w| w[0] > w[1]));

    // Exports: CSV and JSON of the selection, each audited.
    let r = api
        .call(
            Method::GET,
            &format!("/api/admin/audit?format=csv&target=user:{bob}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "id,at,actor,action,target,ip,user_agent,request_id,details");
    assert_eq!(lines.len(), 6, "{csv}");
    assert!(lines[1].contains("auth.lockout") && lines[1].contains("console-test/1.0"), "{csv}");
    let r = api
        .call(Method::GET, "/api/admin/audit?format=json&action=auth.lockout", Some(&admin), None)
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("audit.json"));
    let rows: Vec<Value> = r.json().await.unwrap();
    assert_eq!(rows.len(), 1);
    let r = api.call(Method::GET, "/api/admin/audit?format=xml", Some(&admin), None).await;
    assert_eq!(error_of(r).await, (422, "validation".into()));
    let exports = api.audit(&admin, "action=admin.audit_exported").await;
    assert_eq!(exports.len(), 2);
    assert_eq!(exports[1]["details"]["format"], "csv");
    assert_eq!(exports[1]["details"]["rows"], 5);
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_search_detail_disable_override_and_erase_accounts() {
    let s = TestServer::start().await;
    let api = Api { s: &s };
    let (admin, admin_id) = api.admin("root@example.com").await;
    let (c, dev) = s.account("carol@example.com").await;
    c.put_key(b"carol's wrapped key").await.expect("key");
    c.push(&[record(dev, "resumes", 0, b"secret resume bytes")]).await.expect("push");
    let carol = c.user_id().expect("id");
    let (dan_token, dan) = api.user("dan@example.com").await;
    let (_, _erin) = api.user("erin@other.org").await;

    // Search: by a part of the email (any case), by plan, by state; paged.
    let page =
        api.json(Method::GET, "/api/admin/users?email=EXAMPLE.com&limit=10", &admin, None).await;
    let emails: Vec<&str> =
        page["users"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["root@example.com", "carol@example.com", "dan@example.com"]);
    let page = api.json(Method::GET, "/api/admin/users?email=_&limit=10", &admin, None).await;
    assert!(page["users"].as_array().unwrap().is_empty(), "LIKE wildcards are literal");
    let carol_row =
        &api.json(Method::GET, "/api/admin/users?email=carol", &admin, None).await["users"][0];
    assert_eq!(carol_row["plan"], "free");
    assert_eq!(
        (carol_row["records"].as_i64(), carol_row["ciphertext_bytes"].as_i64()),
        (Some(1), Some(19))
    );
    assert!(carol_row["last_seen"].is_string() && carol_row["disabled_at"].is_null());

    // Detail: plan, usage, devices, last seen; nothing of the content or keys.
    let d = api.json(Method::GET, &format!("/api/admin/users/{carol}"), &admin, None).await;
    assert_eq!(d["email"], "carol@example.com");
    assert_eq!(d["plan"]["id"], "free");
    assert_eq!(d["plan"]["source"], "free");
    assert_eq!(d["devices"].as_array().unwrap().len(), 1);
    assert_eq!(d["devices"][0]["signed_in"], true);
    assert_eq!(d["records"], 1);
    assert!(!d["usage"].as_array().unwrap().is_empty());
    let text = d.to_string();
    assert!(
        !text.contains("argon2") && !text.contains("blob") && !text.contains("cipher\""),
        "{text}"
    );
    let r = api
        .call(Method::GET, &format!("/api/admin/users/{}", Uuid::now_v7()), Some(&admin), None)
        .await;
    assert_eq!(error_of(r).await, (404, "not_found".into()));
    let r = api.call(Method::GET, "/api/admin/users/not-a-uuid", Some(&admin), None).await;
    assert_eq!(error_of(r).await, (422, "validation".into()));

    // Plan override: wins over Stripe, shows where the plan is read, audited.
    let d = api
        .json(
            Method::PUT,
            &format!("/api/admin/users/{dan}/plan"),
            &admin,
            Some(json!({"plan_id": "pro_monthly"})),
        )
        .await;
    assert_eq!(
        (d["plan"]["id"].as_str(), d["plan"]["source"].as_str()),
        (Some("pro_monthly"), Some("override"))
    );
    let usage = api.json(Method::GET, "/api/billing/usage", &dan_token, None).await;
    assert_eq!(usage["plan_id"], "pro_monthly");
    let page = api.json(Method::GET, "/api/admin/users?plan=pro_monthly", &admin, None).await;
    assert_eq!(page["users"].as_array().unwrap().len(), 1);
    assert_eq!(page["users"][0]["id"], dan.to_string());
    let page = api.json(Method::GET, "/api/admin/users?plan=free&limit=10", &admin, None).await;
    assert_eq!(page["users"].as_array().unwrap().len(), 3);
    let r = api
        .call(
            Method::PUT,
            &format!("/api/admin/users/{dan}/plan"),
            Some(&admin),
            Some(json!({"plan_id": "gold"})),
        )
        .await;
    assert_eq!(error_of(r).await, (422, "validation".into()));
    api.json(
        Method::PUT,
        &format!("/api/admin/users/{dan}/plan"),
        &admin,
        Some(json!({"plan_id": null})),
    )
    .await;
    let usage = api.json(Method::GET, "/api/billing/usage", &dan_token, None).await;
    assert_eq!(usage["plan_id"], "free");
    let overrides =
        api.audit(&admin, &format!("action=admin.plan_override&target=user:{dan}")).await;
    assert_eq!(overrides.len(), 2);
    assert_eq!(overrides[1]["details"], json!({"from": null, "to": "pro_monthly"}));
    assert_eq!(overrides[1]["actor"], admin_id.to_string());

    // Disable: the access token stops working at once, the refresh token and sign-in too.
    let d = api
        .json(
            Method::POST,
            &format!("/api/admin/users/{carol}/disable"),
            &admin,
            Some(json!({"reason": "chargeback"})),
        )
        .await;
    assert!(d["disabled_at"].is_string());
    assert_eq!(d["devices"][0]["signed_in"], false, "its sign-ins are revoked");
    let err = c.status().await.expect_err("disabled");
    assert_eq!(err.status(), Some(403));
    let r = api.call(Method::GET, "/api/sync/status", Some(&c.access_token().unwrap()), None).await;
    let (status, code) = error_of(r).await;
    assert_eq!((status, code.as_str()), (403, "forbidden"));
    let relog = s.client();
    let err = relog.login("carol@example.com", PASSWORD, dev).await.expect_err("disabled");
    assert_eq!(err.status(), Some(403));
    let page = api.json(Method::GET, "/api/admin/users?disabled=true", &admin, None).await;
    assert_eq!(page["users"].as_array().unwrap().len(), 1);
    let page =
        api.json(Method::GET, "/api/admin/users?disabled=false&limit=10", &admin, None).await;
    assert_eq!(page["users"].as_array().unwrap().len(), 3);
    // Admins cannot disable themselves or other admins.
    let r = api
        .call(Method::POST, &format!("/api/admin/users/{admin_id}/disable"), Some(&admin), None)
        .await;
    assert_eq!(error_of(r).await, (409, "conflict".into()));
    api.json(Method::POST, &format!("/api/admin/users/{carol}/enable"), &admin, None).await;
    relog.login("carol@example.com", PASSWORD, dev).await.expect("enabled again");
    relog.status().await.expect("works again");
    let trail = api.audit(&admin, &format!("target=user:{carol}&action=admin.*")).await;
    assert_eq!(actions(&trail), ["admin.user_enabled", "admin.user_disabled"]);
    assert_eq!(trail[1]["details"]["reason"], "chargeback");
    assert_eq!(trail[1]["details"]["sessions_revoked"], 1);

    // GDPR export by an admin: a zip of readable JSON, ciphertext marked.
    let r = api
        .call(Method::GET, &format!("/api/admin/users/{carol}/export"), Some(&admin), None)
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let files = unzip(&r.bytes().await.unwrap());
    let records = &files["records.json"];
    assert_eq!(records[0]["collection"], "resumes");
    assert_eq!(records[0]["ciphertext"]["encrypted"], true);
    use base64::Engine;
    let data = records[0]["ciphertext"]["data"].as_str().unwrap();
    assert_eq!(
        base64::engine::general_purpose::STANDARD.decode(data).unwrap(),
        b"secret resume bytes"
    );
    assert_eq!(files["account.json"][0]["email"], "carol@example.com");
    assert_eq!(files["keys.json"][0]["blob"]["encrypted"], true);
    assert!(
        files["audit.json"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "admin.user_disabled")
    );
    assert_eq!(files["manifest.json"]["files"]["records.json"]["rows"], 1);

    // Erasure: a receipt, the account gone with its data, the audit trail kept.
    let r =
        api.call(Method::DELETE, &format!("/api/admin/users/{admin_id}"), Some(&admin), None).await;
    assert_eq!(error_of(r).await, (409, "conflict".into()), "not oneself");
    let receipt =
        api.json(Method::DELETE, &format!("/api/admin/users/{carol}"), &admin, None).await;
    assert_eq!(receipt["user_id"], carol.to_string());
    assert_eq!(receipt["deleted"]["records"], 1);
    assert_eq!(receipt["deleted"]["wrapped_keys"], 1);
    assert_eq!(receipt["deleted"]["account"], 1);
    assert!(receipt["retained"]["audit_entries"].as_i64().unwrap() >= 4);
    assert_eq!(receipt["email_sha256"].as_str().unwrap().len(), 64);
    for table in ["users", "devices", "records", "key_blobs", "refresh_tokens"] {
        let col = if table == "users" { "id" } else { "user_id" };
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM {table} WHERE {col} = $1"
        )))
        .bind(carol)
        .fetch_one(&s.pool)
        .await
        .unwrap();
        assert_eq!(n, 0, "{table}");
    }
    let erased = api.audit(&admin, "action=admin.user_erased").await;
    assert_eq!(erased[0]["details"]["receipt_id"], receipt["receipt_id"]);
    let r = api.call(Method::GET, &format!("/api/admin/users/{carol}"), Some(&admin), None).await;
    assert_eq!(error_of(r).await, (404, "not_found".into()));
}

fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Value> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = std::collections::BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("entry");
        let mut text = String::new();
        f.read_to_string(&mut text).expect("utf-8");
        out.insert(f.name().to_string(), serde_json::from_str(&text).expect("json"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_export_and_erase_their_own_account() {
    let s = TestServer::start().await;
    let api = Api { s: &s };
    let (admin, _) = api.admin("root@example.com").await;
    let (token, id) = api.user("fay@example.com").await;
    let r = api.call(Method::GET, "/api/account/export", Some(&token), None).await;
    assert_eq!(r.status(), 200);
    let files = unzip(&r.bytes().await.unwrap());
    assert_eq!(files["account.json"][0]["id"], id.to_string());
    assert_eq!(files["devices.json"].as_array().unwrap().len(), 1);
    assert!(files["sessions.json"][0].get("token_hash").is_none());
    // The wrong secret: refused and counted.
    let r = api
        .call(Method::DELETE, "/api/account", Some(&token), Some(json!({"secret": secret("nope")})))
        .await;
    assert_eq!(error_of(r).await, (401, "unauthorized".into()));
    let r = api
        .call(
            Method::DELETE,
            "/api/account",
            Some(&token),
            Some(json!({"secret": secret("fay@example.com")})),
        )
        .await;
    assert_eq!(r.status(), 200);
    let receipt: Value = r.json().await.unwrap();
    assert_eq!(receipt["deleted"]["devices"], 1);
    let trail = api.audit(&admin, &format!("target=user:{id}")).await;
    assert_eq!(
        actions(&trail),
        ["account.erased", "auth.login_failed", "account.exported", "auth.register"]
    );
    assert_eq!(trail[0]["details"]["receipt_id"], receipt["receipt_id"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_toggle_flags_per_default_plan_and_user() {
    let s = TestServer::start().await;
    let api = Api { s: &s };
    let (admin, _) = api.admin("root@example.com").await;
    let (gus_token, gus) = api.user("gus@example.com").await;
    let flags = |t: String| {
        let api = Api { s: &s };
        async move { api.json(Method::GET, "/api/flags", &t, None).await["flags"].clone() }
    };
    // The sync endpoints obey the flag (403 `forbidden` while it is off for the account).
    let sync_answer = |t: String| {
        let api = Api { s: &s };
        async move {
            let pull = "/api/sync/records?device=0190a3f4-0000-7000-8000-00000000b001&collection=jobs&after=0&limit=5";
            let mut codes = Vec::new();
            for path in ["/api/sync/status", pull] {
                codes.push(api.call(Method::GET, path, Some(&t), None).await.status().as_u16());
            }
            codes
        }
    };
    assert_eq!(flags(gus_token.clone()).await["sync"], true);
    assert_eq!(sync_answer(gus_token.clone()).await, [200, 200]);
    let list = api
        .json(Method::PUT, "/api/admin/flags/sync", &admin, Some(json!({"enabled": false})))
        .await;
    let sync =
        list["flags"].as_array().unwrap().iter().find(|f| f["key"] == "sync").unwrap().clone();
    assert_eq!(sync["enabled"], false);
    assert_eq!(flags(gus_token.clone()).await["sync"], false, "seen at once");
    assert_eq!(sync_answer(gus_token.clone()).await, [403, 403], "sync refused while off");
    let r = api.call(Method::GET, "/api/sync/status", Some(&gus_token), None).await;
    assert_eq!(error_of(r).await, (403, "forbidden".into()));
    api.json(
        Method::PUT,
        "/api/admin/flags/sync/plans/free",
        &admin,
        Some(json!({"enabled": true})),
    )
    .await;
    assert_eq!(
        flags(gus_token.clone()).await["sync"],
        true,
        "the plan's value wins over the default"
    );
    assert_eq!(sync_answer(gus_token.clone()).await, [200, 200], "on again through the plan");
    api.json(
        Method::PUT,
        &format!("/api/admin/flags/sync/users/{gus}"),
        &admin,
        Some(json!({"enabled": false})),
    )
    .await;
    assert_eq!(flags(gus_token.clone()).await["sync"], false, "the user's wins over the plan's");
    assert_eq!(sync_answer(gus_token.clone()).await, [403, 403], "off for this user alone");
    let list = api.json(Method::GET, "/api/admin/flags", &admin, None).await;
    let sync =
        list["flags"].as_array().unwrap().iter().find(|f| f["key"] == "sync").unwrap().clone();
    assert_eq!(sync["plans"]["free"], true);
    assert_eq!(sync["users"][0]["email"], "gus@example.com");
    api.json(Method::DELETE, &format!("/api/admin/flags/sync/users/{gus}"), &admin, None).await;
    api.json(Method::DELETE, "/api/admin/flags/sync/plans/free", &admin, None).await;
    assert_eq!(flags(gus_token.clone()).await["sync"], false);
    for (method, path) in [
        (Method::PUT, "/api/admin/flags/no_such_flag".to_string()),
        (Method::PUT, "/api/admin/flags/sync/plans/gold".to_string()),
        (Method::PUT, format!("/api/admin/flags/sync/users/{}", Uuid::now_v7())),
    ] {
        let r = api.call(method, &path, Some(&admin), Some(json!({"enabled": true}))).await;
        assert_eq!(error_of(r).await, (404, "not_found".into()), "{path}");
    }
    let trail = api.audit(&admin, "action=admin.flag_*").await;
    assert_eq!(
        actions(&trail),
        [
            "admin.flag_override",
            "admin.flag_override",
            "admin.flag_override",
            "admin.flag_override",
            "admin.flag_changed"
        ]
    );
    assert_eq!(trail[4]["target"], "flag:sync");
    assert_eq!(trail[4]["details"], json!({"from": true, "to": false}));
    assert_eq!(trail[0]["details"]["for"], "plan:free");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_dry_runs_count_executions_delete_and_both_are_audited() {
    let s = TestServer::start().await;
    let api = Api { s: &s };
    let (admin, _) = api.admin("root@example.com").await;
    let (_, hal) = api.user("hal@example.com").await;
    // Old and new rows of two data types.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "INSERT INTO stripe_events (id, type, processed_at) VALUES
            ('evt_old1', 'x', now() - interval '40 days'), ('evt_old2', 'x', now() - interval '31 days'),
            ('evt_new', 'x', now() - interval '1 day');
         INSERT INTO usage_counters (user_id, feature, period_start, used) VALUES
            ('{hal}', 'jd_matching', now() - interval '500 days', 3),
            ('{hal}', 'jd_matching', now() - interval '10 days', 1);"
    )))
    .execute(&s.pool)
    .await
    .expect("seed");
    let policies = api.json(Method::GET, "/api/admin/retention", &admin, None).await;
    let days: std::collections::BTreeMap<String, i64> = policies["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (p["data_type"].as_str().unwrap().to_string(), p["retention_days"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(days["audit_log"], 2555);
    assert_eq!(days["stripe_events"], 30);
    assert_eq!(days["usage_counters"], 400);

    let report = api
        .json(Method::POST, "/api/admin/retention/run", &admin, Some(json!({"dry_run": true})))
        .await;
    let rows = |r: &Value, t: &str| {
        r["items"].as_array().unwrap().iter().find(|i| i["data_type"] == t).unwrap()["rows"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(
        (
            rows(&report, "stripe_events"),
            rows(&report, "usage_counters"),
            rows(&report, "audit_log")
        ),
        (2, 1, 0)
    );
    let left: i64 =
        sqlx::query_scalar("SELECT count(*) FROM stripe_events").fetch_one(&s.pool).await.unwrap();
    assert_eq!(left, 3, "a dry run deletes nothing");

    let report = api
        .json(
            Method::POST,
            "/api/admin/retention/run",
            &admin,
            Some(json!({"data_type": "stripe_events", "dry_run": false})),
        )
        .await;
    assert_eq!(report["items"].as_array().unwrap().len(), 1);
    assert_eq!(rows(&report, "stripe_events"), 2);
    let left: Vec<String> =
        sqlx::query_scalar("SELECT id FROM stripe_events").fetch_all(&s.pool).await.unwrap();
    assert_eq!(left, ["evt_new"]);
    let policies = api.json(Method::GET, "/api/admin/retention", &admin, None).await;
    let p = policies["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["data_type"] == "stripe_events")
        .unwrap()
        .clone();
    assert_eq!(p["last_deleted"], 2);
    assert!(p["last_run_at"].is_string());

    // Shorter usage retention, then an execution of every policy.
    api.json(
        Method::PUT,
        "/api/admin/retention/usage_counters",
        &admin,
        Some(json!({"retention_days": 5})),
    )
    .await;
    let report = api
        .json(Method::POST, "/api/admin/retention/run", &admin, Some(json!({"dry_run": false})))
        .await;
    assert_eq!(rows(&report, "usage_counters"), 2);
    assert_eq!(rows(&report, "audit_log"), 0);
    // The audit log keeps at least 2,555 days.
    let r = api
        .call(
            Method::PUT,
            "/api/admin/retention/audit_log",
            Some(&admin),
            Some(json!({"retention_days": 30})),
        )
        .await;
    assert_eq!(error_of(r).await, (422, "validation".into()));
    let r = api
        .call(
            Method::POST,
            "/api/admin/retention/run",
            Some(&admin),
            Some(json!({"data_type": "resumes", "dry_run": true})),
        )
        .await;
    assert_eq!(error_of(r).await, (404, "not_found".into()));
    let trail = api.audit(&admin, "action=admin.retention_*&limit=500").await;
    let runs = trail.iter().filter(|e| e["action"] == "admin.retention_run").count();
    assert_eq!(runs, 5 + 1 + 5, "one row per policy run");
    assert!(trail.iter().any(|e| e["action"] == "admin.retention_changed"
        && e["details"] == json!({"from": 400, "to": 5})));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_and_health_are_for_admins() {
    let s = TestServer::start().await;
    let api = Api { s: &s };
    let (admin, _) = api.admin("root@example.com").await;
    let (user, _) = api.user("ivy@example.com").await;
    api.json(Method::GET, "/api/admin/users", &admin, None).await;
    api.call(Method::GET, "/nope", None, None).await;
    let r = api.call(Method::GET, "/metrics", Some(&admin), None).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    assert_eq!(r.headers()["x-request-id"], "req-test-0001", "the request id is echoed");
    let text = r.text().await.unwrap();
    for needle in [
        "qoder_http_requests_total{method=\"GET\",route=\"/api/admin/users\",status=\"200\"} 1",
        "qoder_http_requests_total{method=\"POST\",route=\"/api/auth/register\",status=\"201\"} 2",
        "qoder_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1",
        "qoder_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/admin/users\",status=\"200\",le=\"+Inf\"} 1",
        "qoder_websocket_connections 0",
        "qoder_db_pool_max 8",
        "# TYPE qoder_http_requests_total counter",
    ] {
        assert!(text.contains(needle), "no {needle} in\n{text}");
    }
    let r = api.call(Method::GET, "/metrics", Some(&user), None).await;
    assert_eq!(error_of(r).await, (403, "forbidden".into()));
    let h = api.json(Method::GET, "/api/admin/health", &admin, None).await;
    assert_eq!(h["status"], "ok");
    assert_eq!(h["database"]["ok"], true);
    assert!(h["database"]["pool_connections"].as_i64().unwrap() >= 1);
    assert!(h["memory_rss_bytes"].as_i64().unwrap() > 1_000_000);
    assert!(h["requests_last_5_minutes"]["requests"].is_i64(), "{h}");
    assert!(h["requests_last_5_minutes"]["error_rate"].is_f64(), "{h}");
    // A fresh id when none (or a malformed one) is sent.
    let r = s.http.get(s.url("/healthz")).header("x-request-id", "bad id!").send().await.unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    assert!(id.parse::<Uuid>().is_ok(), "{id}");
}

/// Every admin route (method, path, body), with `{uid}` for an account's id.
fn admin_routes() -> Vec<(Method, &'static str, Option<Value>)> {
    let coupon = json!({"code": "SAVE10", "kind": "percentage", "value": 10});
    vec![
        (Method::GET, "/api/admin/stats", None),
        (Method::GET, "/api/admin/health", None),
        (Method::GET, "/api/admin/live", None),
        (Method::GET, "/api/admin/activity", None),
        (Method::GET, "/api/admin/llm", None),
        (Method::GET, "/api/admin/forecast", None),
        (Method::GET, "/api/admin/users", None),
        (Method::GET, "/api/admin/users/{id}", None),
        (Method::DELETE, "/api/admin/users/{id}", None),
        (Method::GET, "/api/admin/users/{id}/export", None),
        (Method::POST, "/api/admin/users/{id}/disable", Some(json!({"reason": "x"}))),
        (Method::POST, "/api/admin/users/{id}/enable", None),
        (Method::PUT, "/api/admin/users/{id}/plan", Some(json!({"plan_id": "pro_monthly"}))),
        (Method::GET, "/api/admin/audit", None),
        (Method::GET, "/api/admin/flags", None),
        (Method::PUT, "/api/admin/flags/{key}", Some(json!({"enabled": false}))),
        (Method::PUT, "/api/admin/flags/{key}/plans/{plan}", Some(json!({"enabled": false}))),
        (Method::DELETE, "/api/admin/flags/{key}/plans/{plan}", None),
        (Method::PUT, "/api/admin/flags/{key}/users/{id}", Some(json!({"enabled": false}))),
        (Method::DELETE, "/api/admin/flags/{key}/users/{id}", None),
        (Method::GET, "/api/admin/providers", None),
        (Method::PUT, "/api/admin/providers", Some(json!({"providers": []}))),
        (Method::GET, "/api/admin/retention", None),
        (Method::PUT, "/api/admin/retention/{data_type}", Some(json!({"retention_days": 1}))),
        (Method::POST, "/api/admin/retention/run", Some(json!({"dry_run": false}))),
        (Method::POST, "/api/admin/coupons", Some(coupon)),
        (Method::GET, "/api/admin/jobs", None),
        (Method::GET, "/api/admin/jobs/{id}", None),
        (Method::POST, "/api/admin/jobs/{id}/replay", None),
        (Method::GET, "/api/admin/alerts", None),
        (Method::GET, "/metrics", None),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_admin_route_refuses_no_token_a_user_an_expired_token_and_a_demoted_admin() {
    let s = TestServer::start().await;
    let api = Api { s: &s };
    let (admin, admin_id) = api.admin("root@example.com").await;
    let (demoted, demoted_id) = api.admin("former@example.com").await;
    sqlx::query("UPDATE users SET role = 'user' WHERE id = $1")
        .bind(demoted_id)
        .execute(&s.pool)
        .await
        .unwrap();
    let (user, target) = api.user("jon@example.com").await;
    let now = chrono::Utc::now().timestamp();
    let expired = forge(
        &Claims {
            sub: admin_id,
            dev: Uuid::now_v7(),
            role: "admin".into(),
            iss: "qoder-server".into(),
            aud: "qoder-sync".into(),
            iat: now - 3600,
            exp: now - 600,
        },
        JWT_SECRET.as_bytes(),
    );
    // The matrix covers every admin route of the OpenAPI document.
    let doc = qoder_server::http::openapi::document();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if path.starts_with("/api/admin") || path == "/metrics" {
            for method in item.as_object().unwrap().keys() {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let routes = admin_routes();
    let listed: BTreeSet<(String, String)> =
        routes.iter().map(|(m, p, _)| (m.to_string(), p.to_string())).collect();
    assert_eq!(listed, documented);

    let cases: [(&str, Option<&str>, u16, &str); 4] = [
        ("no token", None, 401, "unauthorized"),
        ("a user's token", Some(&user), 403, "forbidden"),
        ("an expired admin token", Some(&expired), 401, "unauthorized"),
        ("a demoted admin's token", Some(&demoted), 403, "forbidden"),
    ];
    let mut checked = 0;
    for (method, template, body) in &routes {
        let path = template
            .replace("{id}", &target.to_string())
            .replace("{key}", "sync")
            .replace("{plan}", "free")
            .replace("{data_type}", "stripe_events");
        for (what, token, status, code) in &cases {
            let r = api.call(method.clone(), &path, *token, body.clone()).await;
            let got = error_of(r).await;
            assert_eq!(got, (*status, code.to_string()), "{method} {path} with {what}");
            checked += 1;
        }
    }
    assert_eq!(checked, routes.len() * 4);
    // Nothing happened: the target is untouched, the flag and the policy as they were, and no
    // admin action is in the log.
    let d = api.json(Method::GET, &format!("/api/admin/users/{target}"), &admin, None).await;
    assert!(d["disabled_at"].is_null() && d["plan_override"].is_null());
    let flags = api.json(Method::GET, "/api/admin/flags", &admin, None).await;
    assert!(
        flags["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["key"] == "sync" && f["enabled"] == true)
    );
    let trail = api.audit(&admin, "action=admin.*").await;
    assert!(trail.is_empty(), "{trail:?}");
    // This server has no hosted AI: the providers screen's empty state, and nothing to order.
    let p = api.json(Method::GET, "/api/admin/providers", &admin, None).await;
    assert_eq!(
        (p["configured"].as_bool(), p["providers"].as_array().map(Vec::len)),
        (Some(false), Some(0))
    );
    let r = api
        .call(Method::PUT, "/api/admin/providers", Some(&admin), Some(json!({"providers": []})))
        .await;
    assert_eq!(error_of(r).await, (422, "validation".to_string()));
}

/// The users search with 100,000 accounts, server side (the search service on the server's
/// pool, without HTTP): p95 over up to 25 pages of each query.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_users_search_pages_100_000_accounts_quickly() {
    let s = TestServer::start().await;
    let started = Instant::now();
    sqlx::raw_sql(
        "INSERT INTO users (id, email, password_hash, created_at, disabled_at, plan_override)
         SELECT u, 'user' || g || '@' || (ARRAY['example.com', 'mail.org', 'corp.io'])[1 + g % 3],
                'x', now(), CASE WHEN g % 97 = 0 THEN now() END,
                CASE WHEN g % 1000 = 0 THEN 'pro_quarterly' END
         FROM (SELECT g, (lpad(to_hex(g), 12, '0') || '7000' || '8000' || lpad(to_hex(g), 12, '0'))::uuid
                          AS u
               FROM generate_series(1, 100000) g) t;
         INSERT INTO devices (id, user_id) SELECT gen_random_uuid(), id FROM users WHERE random() < 0.5;
         INSERT INTO subscriptions (stripe_subscription_id, user_id, plan_id, status, current_period_end)
         SELECT 'sub_' || row_number() OVER (), id, 'pro_monthly', 'active', now() + interval '20 days'
         FROM users WHERE random() < 0.01;
         ANALYZE;",
    )
    .execute(&s.pool)
    .await
    .expect("seed");
    eprintln!("seeded 100,000 accounts in {:.1?}", started.elapsed());
    let q = |email: Option<&str>, plan: Option<&str>, disabled: Option<bool>| AdminUsersQuery {
        after: None,
        limit: 100,
        email: email.map(str::to_string),
        plan: plan.map(str::to_string),
        disabled,
    };
    let queries = [
        ("all", q(None, None, None)),
        ("email=mail.org", q(Some("mail.org"), None, None)),
        ("email=user4242", q(Some("user4242"), None, None)),
        ("disabled=true", q(None, None, Some(true))),
        ("plan=pro_monthly", q(None, Some("pro_monthly"), None)),
        ("plan=pro_quarterly", q(None, Some("pro_quarterly"), None)),
        ("plan=free", q(None, Some("free"), None)),
        ("plan=pro_monthly&email=corp", q(Some("corp"), Some("pro_monthly"), None)),
    ];
    let mut worst = 0.0_f64;
    for (name, mut query) in queries {
        // Once untimed (a running server has its caches warm).
        qoder_server::admin::users::search(&s.pool, &query).await.expect("warm-up");
        let mut times = Vec::new();
        let mut rows = 0;
        // Up to 25 pages deep, each timed.
        for _ in 0..25 {
            let t = Instant::now();
            let page = qoder_server::admin::users::search(&s.pool, &query).await.expect("search");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            rows += page.users.len();
            match page.next {
                Some(n) => query.after = Some(n),
                None => break,
            }
        }
        times.sort_by(f64::total_cmp);
        let p95 = times[((times.len() as f64 * 0.95).ceil() as usize).saturating_sub(1)];
        eprintln!("{name:30} pages {:3} rows {rows:5}  p95 {p95:6.1} ms", times.len());
        assert!(rows > 0, "{name}");
        worst = worst.max(p95);
    }
    assert!(worst < 50.0, "a query's p95 is {worst:.1} ms");
}

/// The console page and its script are served with a strict CSP; `qoder-server admin token`
/// prints a token the console signs in with (admins only, audited).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_is_served_and_signs_in_with_a_token_from_the_command_line() {
    let s = TestServer::start().await;
    let api = Api { s: &s };
    let (admin, admin_id) = api.admin("root@example.com").await;
    api.user("kim@example.com").await;
    let r = s.http.get(s.url("/admin")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(r.headers()["cache-control"], "no-cache");
    let page = r.text().await.unwrap();
    assert!(!page.contains("<script>") && !page.contains("<style>"), "inline code: {page}");
    // The built app's script, under a content-hashed name: cached for good.
    let src = page.split("src=\"").nth(1).and_then(|s| s.split('"').next()).unwrap();
    assert!(src.starts_with("/admin/assets/") && src.ends_with(".js"), "{src}");
    let r = s.http.get(s.url(src)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert!(r.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert_eq!(r.headers()["vary"], "Accept-Encoding");
    assert!(!r.headers().contains_key("content-encoding"));
    let plain = r.text().await.unwrap();
    assert!(plain.contains("/api/admin/users"));
    // A browser that takes gzip gets it, several times smaller, decoding to the same script.
    let r = s.http.get(s.url(src)).header("accept-encoding", "gzip, br").send().await.unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let gz = r.bytes().await.unwrap();
    assert!(gz.len() * 3 < plain.len(), "{} gzipped from {}", gz.len(), plain.len());
    let mut unzipped = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut unzipped)
        .unwrap();
    assert_eq!(unzipped, plain);
    let r = s.http.get(s.url("/admin/assets/nope.js")).send().await.unwrap();
    assert_eq!(r.status(), 404);

    let token_for = |email: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_qoder-server"))
            .args(["admin", "token", email])
            .env("QODER_DATABASE_URL", s.config.database_url.expose())
            .env("QODER_JWT_SECRET", JWT_SECRET)
            .env("QODER_LOG", "warn")
            .output()
            .expect("run qoder-server")
    };
    let out = token_for("ROOT@example.com");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let h = api.json(Method::GET, "/api/admin/health", &token, None).await;
    assert_eq!(h["status"], "ok");
    let out = token_for("kim@example.com");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an admin"));
    let trail = api.audit(&admin, "action=admin.console_token").await;
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0]["target"], format!("user:{admin_id}"));
}

/// The overview's daily series and the LLM cost figures: zero-filled days, totals by feature,
/// provider and model, the cache's hit rate and the month's projection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activity_and_llm_cost_are_daily_series_with_totals() {
    let s = TestServer::start().await;
    let api = Api { s: &s };
    let (admin, _) = api.admin("root@example.com").await;
    let (_, ann) = api.user("ann@example.com").await;
    for (feature, provider, model, cost, hit, outcome, days_ago) in [
        ("bullet_points", "openai", "gpt-4o-mini", 0.002, false, "ok", 0),
        ("bullet_points", "openai", "gpt-4o-mini", 0.0, true, "ok", 0),
        ("jd_matching", "anthropic", "claude-haiku", 0.004, false, "ok", 1),
        ("jd_matching", "anthropic", "claude-haiku", 0.0, false, "timeout", 2),
        ("resume_analysis", "openai", "gpt-4o", 0.01, false, "ok", 40),
    ] {
        sqlx::query(
            "INSERT INTO ai_calls (user_id, feature, provider, model, tokens_in, tokens_out, cost_usd,
                                   latency_ms, cache_hit, outcome, created_at)
             VALUES ($1, $2, $3, $4, 100, 50, $5, 300, $6, $7, now() - make_interval(days => $8))",
        )
        .bind(ann)
        .bind(feature)
        .bind(provider)
        .bind(model)
        .bind(cost)
        .bind(hit)
        .bind(outcome)
        .bind(days_ago)
        .execute(&s.pool)
        .await
        .unwrap();
    }
    let a = api.json(Method::GET, "/api/admin/activity?days=7", &admin, None).await;
    let days = a["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    let today = &days[6];
    assert_eq!(today["day"], chrono::Utc::now().date_naive().to_string());
    assert_eq!(today["signups"], 2);
    assert_eq!(today["ai_calls"], 2);
    assert!(today["audit_events"].as_i64().unwrap() >= 2);
    assert_eq!(days.iter().map(|d| d["ai_calls"].as_i64().unwrap()).sum::<i64>(), 4);

    let l = api.json(Method::GET, "/api/admin/llm?days=30", &admin, None).await;
    assert_eq!(l["total"]["calls"], 4);
    assert_eq!(l["total"]["errors"], 1);
    assert_eq!(l["total"]["cache_hits"], 1);
    assert_eq!(l["total"]["tokens_in"], 400);
    assert!((l["total"]["cost_usd"].as_f64().unwrap() - 0.006).abs() < 1e-9);
    assert!((l["cache_hit_rate"].as_f64().unwrap() - 0.25).abs() < 1e-9);
    assert!((l["cache_savings_usd"].as_f64().unwrap() - 0.002).abs() < 1e-9);
    assert_eq!(l["by_day"].as_array().unwrap().len(), 30);
    let features: Vec<&str> =
        l["by_feature"].as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(features, ["jd_matching", "bullet_points"]);
    assert_eq!(l["by_provider"].as_array().unwrap().len(), 2);
    assert!(l["month"]["budget_usd"].as_f64().unwrap() >= 28.0 * 100.0);
    let r = api.call(Method::GET, "/api/admin/llm?days=0", Some(&admin), None).await;
    assert_eq!(error_of(r).await, (422, "validation".to_string()));
}

/// An OpenAI chat completion (their documented wire format) whose text names `who`.
fn chat_answer(who: &str) -> Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [{"index": 0, "finish_reason": "stop",
            "message": {"role": "assistant", "content": format!("{{\"from\":\"{who}\"}}")}}],
        "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150}
    })
}

async fn answering(server: &wiremock::MockServer, who: &str) {
    use wiremock::matchers::{method, path};
    server.reset().await;
    wiremock::Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(chat_answer(who)))
        .mount(server)
        .await;
}

async fn requests(server: &wiremock::MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// Two hosted-AI providers (wiremock, OpenAI's wire format): calls go to the first; the admin's
/// PUT reorders or disables them and the next call follows with no restart; a provider
/// answering 500 shows in the figures; all disabled → 503; another server process applies the
/// change from its next call (the change notice).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn providers_are_reordered_and_disabled_hot_and_their_figures_show_failures() {
    let alpha = wiremock::MockServer::start().await;
    let beta = wiremock::MockServer::start().await;
    answering(&alpha, "alpha").await;
    answering(&beta, "beta").await;
    let (a_url, b_url) = (format!("{}/v1", alpha.uri()), format!("{}/v1", beta.uri()));
    let s = TestServer::start_with(|c| {
        for (name, url) in [("alpha", &a_url), ("beta", &b_url)] {
            c.ai.insert(
                name.into(),
                qoder_server::config::AiProvider {
                    kind: "openai".into(),
                    base_url: url.clone(),
                    api_key: qoder_server::config::Secret::new(format!("sk-{name}-secret")),
                    model: "gpt-4o-mini".into(),
                },
            );
        }
        c.ai_providers = vec!["alpha".into(), "beta".into()];
        c.ai_user_daily_budget_usd = 100.0;
        c.ai_global_daily_budget_usd = 1000.0;
    })
    .await;
    let api = Api { s: &s };
    let (admin, _) = api.admin("ops@example.com").await;
    let (user, user_id) = api.user("writer@example.com").await;
    sqlx::query(
        "INSERT INTO subscriptions (stripe_subscription_id, user_id, plan_id, status) \
         VALUES ('sub_writer', $1, 'pro_monthly', 'active')",
    )
    .bind(user_id)
    .execute(&s.pool)
    .await
    .expect("subscription");
    let n = std::sync::atomic::AtomicUsize::new(0);
    let ask = |base: String| {
        let http = s.http.clone();
        let user = user.clone();
        // A new prompt each time: the answer cache must not answer.
        let i = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async move {
            let r = http
                .post(format!("{base}/v1/ai/complete"))
                .bearer_auth(&user)
                .json(
                    &json!({"feature": "review", "tier_model": "basic", "system": "Answer in JSON.",
                    "prompt": format!("Review resume {i}."), "max_output_tokens": 200,
                    "temperature": 0.2, "json": true, "stream": false}),
                )
                .send()
                .await
                .expect("ai call");
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let set = |order: &[(&str, bool)]| json!({"providers": order.iter().map(|(n, e)| json!({"name": n, "enabled": e})).collect::<Vec<_>>()});

    // As configured: alpha first, both enabled; hosts only, no key anywhere.
    let r = api.call(Method::GET, "/api/admin/providers", Some(&admin), None).await;
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(!text.contains("secret") && !text.contains("/v1"), "{text}");
    let list: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(list["configured"], true);
    let p = &list["providers"];
    assert_eq!((p[0]["name"].as_str(), p[1]["name"].as_str()), (Some("alpha"), Some("beta")));
    assert_eq!(p[0]["host"], alpha.uri().trim_start_matches("http://"));
    assert_eq!(
        (p[0]["kind"].as_str(), p[0]["model"].as_str()),
        (Some("openai-compatible"), Some("gpt-4o-mini"))
    );
    assert!(p[0]["enabled"] == true && p[1]["enabled"] == true && p[0]["calls"] == 0);

    let (status, body) = ask(s.base.clone()).await;
    assert_eq!((status, body["text"].as_str()), (200, Some("{\"from\":\"alpha\"}")));
    assert_eq!((requests(&alpha).await, requests(&beta).await), (1, 0));

    // Beta moved first: the next call goes to it, no restart.
    let l = api
        .json(
            Method::PUT,
            "/api/admin/providers",
            &admin,
            Some(set(&[("beta", true), ("alpha", true)])),
        )
        .await;
    assert_eq!(l["providers"][0]["name"], "beta");
    assert_eq!(ask(s.base.clone()).await.0, 200);
    assert_eq!((requests(&alpha).await, requests(&beta).await), (1, 1));

    // Beta disabled (alpha first again): calls go to alpha only.
    api.json(
        Method::PUT,
        "/api/admin/providers",
        &admin,
        Some(set(&[("alpha", true), ("beta", false)])),
    )
    .await;
    assert_eq!(ask(s.base.clone()).await.1["text"], "{\"from\":\"alpha\"}");
    assert_eq!((requests(&alpha).await, requests(&beta).await), (2, 1));

    // Alpha fails (HTTP 500) with beta enabled after it: the call fails over to beta.
    alpha.reset().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(wiremock::ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&alpha)
        .await;
    api.json(
        Method::PUT,
        "/api/admin/providers",
        &admin,
        Some(set(&[("alpha", true), ("beta", true)])),
    )
    .await;
    assert_eq!(ask(s.base.clone()).await.1["text"], "{\"from\":\"beta\"}");
    assert!(requests(&alpha).await >= 1, "alpha was tried first");

    // The figures (the records are written off the request path: wait for them).
    let mut list = Value::Null;
    for _ in 0..200 {
        list = api.json(Method::GET, "/api/admin/providers", &admin, None).await;
        if list["providers"][0]["errors"].as_i64() >= Some(1)
            && list["providers"][1]["calls"].as_i64() >= Some(2)
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (a, b) = (&list["providers"][0], &list["providers"][1]);
    assert_eq!(a["name"], "alpha");
    assert_eq!((a["calls"].as_i64(), a["errors"].as_i64()), (Some(3), Some(1)), "{list}");
    let rate = a["error_rate"].as_f64().unwrap();
    assert!((rate - 1.0 / 3.0).abs() < 1e-9, "{rate}");
    assert_eq!(a["last_error"], "upstream");
    assert!(a["last_error_at"].is_string() && a["p50_ms"].is_number() && a["p95_ms"].is_number());
    assert!(a["cost_usd"].as_f64().is_some_and(|c| c >= 0.0), "{a}");
    assert_eq!(
        (b["calls"].as_i64(), b["errors"].as_i64(), b["error_rate"].as_f64()),
        (Some(2), Some(0), Some(0.0))
    );
    assert!(b["last_error"].is_null());

    // All disabled: the hosted AI is unavailable (503), as with none configured.
    api.json(
        Method::PUT,
        "/api/admin/providers",
        &admin,
        Some(set(&[("alpha", false), ("beta", false)])),
    )
    .await;
    let before = (requests(&alpha).await, requests(&beta).await);
    assert_eq!(ask(s.base.clone()).await.0, 503);
    assert_eq!((requests(&alpha).await, requests(&beta).await), before);

    // Not the configured set: 422, nothing stored or audited.
    for bad in [
        set(&[("alpha", true)]),
        set(&[("alpha", true), ("alpha", true)]),
        set(&[("alpha", true), ("beta", true), ("gamma", true)]),
        set(&[("alpha", true), ("gamma", true)]),
        json!({"providers": [{"name": "alpha"}]}),
    ] {
        let r =
            api.call(Method::PUT, "/api/admin/providers", Some(&admin), Some(bad.clone())).await;
        assert_eq!(error_of(r).await, (422, "validation".to_string()), "{bad}");
    }
    // The same order again changes nothing and is not audited.
    api.json(
        Method::PUT,
        "/api/admin/providers",
        &admin,
        Some(set(&[("alpha", false), ("beta", false)])),
    )
    .await;
    let trail = api.audit(&admin, "action=admin.providers_changed").await;
    assert_eq!(trail.len(), 4, "{trail:?}");
    assert_eq!(trail[0]["target"], "providers");
    assert_eq!(trail[0]["request_id"], "req-test-0001");
    assert_eq!(
        trail[0]["details"]["to"],
        json!([{"name": "alpha", "enabled": false}, {"name": "beta", "enabled": false}])
    );

    // A second server process on the same database: told by the change notice, it reads the
    // order again at its next call (well before its reload time).
    answering(&alpha, "alpha").await;
    let other = Server::start(&s.config).await;
    assert_eq!(ask(other.base.clone()).await.0, 503, "all disabled there too");
    api.json(
        Method::PUT,
        "/api/admin/providers",
        &admin,
        Some(set(&[("beta", false), ("alpha", true)])),
    )
    .await;
    let changed = std::time::Instant::now();
    let limit = std::time::Duration::from_secs(3);
    assert!(limit < qoder_server::hosted_ai::ORDER_TTL);
    loop {
        let (status, body) = ask(other.base.clone()).await;
        if status == 200 {
            assert_eq!(body["text"], "{\"from\":\"alpha\"}");
            break;
        }
        assert_eq!(status, 503);
        assert!(changed.elapsed() < limit, "the other process did not reload in {limit:?}");
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    eprintln!("the other process applied the change after {:.1?}", changed.elapsed());
}

/// The console's live socket (design "System Events"): an admin's `?access_token=` opens it
/// (a browser cannot set headers on a WebSocket); it sends `system-metrics` every 2 s with this
/// process's figures and every process's requests of the last minutes; a user's token is refused
/// before the upgrade.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_socket_sends_system_metrics_to_admins_only() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::{Error as WsError, Message};
    let s = TestServer::start().await;
    let api = Api { s: &s };
    let (admin, _) = api.admin("root@example.com").await;
    let (user, _) = api.user("kim@example.com").await;
    let ws = |token: &str| {
        let url =
            format!("{}/api/admin/live?access_token={token}", s.base.replace("http://", "ws://"));
        tokio_tungstenite::connect_async(url)
    };
    match ws(&user).await {
        Err(WsError::Http(resp)) => assert_eq!(resp.status().as_u16(), 403),
        other => panic!("a user's token opened the live socket: {:?}", other.map(|_| ())),
    }
    match ws("not-a-token").await {
        Err(WsError::Http(resp)) => assert_eq!(resp.status().as_u16(), 401),
        other => panic!("a bad token opened the live socket: {:?}", other.map(|_| ())),
    }
    let (mut socket, _) = ws(&admin).await.expect("the admin's live socket");
    for _ in 0..4 {
        s.http.get(s.url("/healthz")).send().await.unwrap();
    }
    // Frames until one counts the requests above (written by the process every 5 s).
    let started = Instant::now();
    let mut frames = 0;
    let seen = loop {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(5), socket.next())
            .await
            .expect("a frame every 2 s")
            .expect("open")
            .expect("frame");
        let Message::Text(text) = frame else { continue };
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["type"], "system-metrics", "{v}");
        assert_eq!(v["db_ok"], true);
        assert!(v["memory"].as_u64().unwrap() > 1_000_000, "{v}");
        assert!(v["connections"].as_u64().unwrap() >= 1, "the socket itself counts: {v}");
        frames += 1;
        if v["last_5_minutes"]["requests"].as_i64().unwrap() >= 4 {
            break v;
        }
        assert!(started.elapsed().as_secs() < 15, "the requests were never counted: {v}");
    };
    assert!(seen["last_5_minutes"]["p95_ms"].as_f64().is_some(), "{seen}");
    assert_eq!(seen["last_5_minutes"]["error_rate"], 0.0);
    assert!(seen["requests_per_minute"].as_f64().unwrap() > 0.0, "{seen}");
    let minutes = seen["minutes"].as_array().unwrap();
    assert_eq!(minutes.len(), 30, "each of the last 30 minutes, zeros included");
    assert!(minutes.iter().map(|m| m["requests"].as_i64().unwrap()).sum::<i64>() >= 4);
    if frames > 1 {
        assert!(seen["cpu"].as_f64().is_some(), "CPU from the second frame on: {seen}");
    }
    socket.close(None).await.unwrap();
}

/// The health screen lists the statements running slowly on the database now (with their text,
/// placeholders and all), and nothing once they are done.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_lists_the_statements_running_slowly_now() {
    let s = TestServer::start().await;
    let api = Api { s: &s };
    let (admin, _) = api.admin("root@example.com").await;
    let h = api.json(Method::GET, "/api/admin/health", &admin, None).await;
    assert_eq!(h["database"]["slow_queries"], json!([]), "{h}");
    let pool = s.pool.clone();
    let sleeper = tokio::spawn(async move {
        sqlx::query("SELECT pg_sleep($1)").bind(2.5f64).execute(&pool).await.unwrap();
    });
    tokio::time::sleep(std::time::Duration::from_millis(1400)).await;
    let h = api.json(Method::GET, "/api/admin/health", &admin, None).await;
    let slow = h["database"]["slow_queries"].as_array().unwrap();
    assert_eq!(slow.len(), 1, "{h}");
    assert_eq!(slow[0]["query"], "SELECT pg_sleep($1)");
    assert_eq!(slow[0]["state"], "active");
    assert!(slow[0]["running_ms"].as_f64().unwrap() >= 1000.0, "{h}");
    sleeper.await.unwrap();
    let h = api.json(Method::GET, "/api/admin/health", &admin, None).await;
    assert_eq!(h["database"]["slow_queries"], json!([]), "{h}");
}
