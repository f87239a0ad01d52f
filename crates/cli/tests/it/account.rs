//! `qoder account` end to end: the real `qoder` binary signs in to a real `qoder-server` on a
//! fresh PostgreSQL database, upgrades through Stripe (a local stand-in answering Stripe's
//! documented objects), a webhook signed as Stripe signs it lands, the plan and limits change,
//! a hosted-AI review (`qoder review --provider hosted`) is counted; then the subscription is
//! canceled and the account is back on Free.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use hmac::{Hmac, Mac};
use qoder_server::config::{AiProvider, Config, Secret};
use serde_json::{Value, json};
use sha2::Sha256;
use sqlx::{Connection, PgConnection};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::common::{PASSWORD, pg_admin};
const WEBHOOK_SECRET: &str = "whsec_cli_test_secret";

fn qoder(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qoder"));
    cmd.args(args)
        .env("QODER_DATA_DIR", dir)
        .env("QODER_PARSE_IN_PROCESS", "1")
        .env("QODER_NO_BROWSER", "1")
        .env("QODER_NO_KEYCHAIN", "1")
        .env_remove("QODER_LLM_API_KEY")
        .env_remove("QODER_SYNC_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("qoder");
    drop(child.stdin.take());
    child.wait_with_output().expect("output")
}

fn ok(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> String {
    let o = qoder(dir, args, envs);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("utf-8")
}

fn json_of(dir: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(dir, args, &[])).expect("json")
}

fn sign(t: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(WEBHOOK_SECRET.as_bytes()).expect("key");
    mac.update(format!("{t}.{body}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn subscription(status: &str) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"id": "sub_cli", "object": "subscription", "customer": "cus_cli", "status": status,
        "cancel_at_period_end": false, "metadata": {},
        "items": {"object": "list", "has_more": false, "data": [{"id": "si_1",
            "object": "subscription_item", "current_period_start": now,
            "current_period_end": now + 90 * 86400,
            "price": {"id": "price_q", "object": "price"}}]}})
}

#[test]
fn free_to_pro_to_free_from_the_command_line() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("rt");
    let db = format!("qoder_cli_account_{}", std::process::id());
    let state: Arc<Mutex<Value>> = Arc::new(Mutex::new(Value::Null));
    let (base, stripe, _provider) = rt.block_on(async {
        let mut admin = PgConnection::connect(&format!("{}/postgres", pg_admin()))
            .await
            .expect("PostgreSQL must be reachable at $QODER_TEST_PG or 127.0.0.1:5432");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")))
            .execute(&mut admin)
            .await
            .expect("drop");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
            .execute(&mut admin)
            .await
            .expect("create");
        let stripe = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/customers"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "cus_cli", "object": "customer"})))
            .mount(&stripe)
            .await;
        Mock::given(method("POST"))
            .and(path("/v1/checkout/sessions"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "id": "cs_cli", "object": "checkout.session",
                "url": "https://checkout.stripe.com/c/pay/cs_cli"})))
            .mount(&stripe)
            .await;
        Mock::given(method("POST"))
            .and(path("/v1/billing_portal/sessions"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "id": "bps_cli", "object": "billing_portal.session",
                "url": "https://billing.stripe.com/p/session/cli"})))
            .mount(&stripe)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/invoices"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"object": "list",
                "has_more": false, "data": [{"id": "in_cli", "object": "invoice",
                "number": "QR-7", "status": "paid", "amount_due": 2700, "amount_paid": 2700,
                "currency": "usd", "created": 1_765_000_000,
                "hosted_invoice_url": "https://invoice.stripe.com/i/in_cli"}]})))
            .mount(&stripe)
            .await;
        let s = state.clone();
        Mock::given(method("GET"))
            .and(path_regex("^/v1/subscriptions/sub_cli$"))
            .respond_with(move |_: &Request| {
                ResponseTemplate::new(200).set_body_json(s.lock().expect("state").clone())
            })
            .mount(&stripe)
            .await;
        let provider = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "id": "c1", "object": "chat.completion", "model": "gpt-4o-mini",
                "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant",
                    "content": "{\"summary\":\"Clear experience section.\",\"strengths\":[],\"issues\":[{\"section\":\"Experience\",\"problem\":\"No numbers\",\"fix\":\"Add results\"}]}"}}],
                "usage": {"prompt_tokens": 500, "completion_tokens": 60}})))
            .mount(&provider)
            .await;
        let mut ai = std::collections::BTreeMap::new();
        ai.insert("openai".to_string(), AiProvider {
            kind: "openai".into(),
            base_url: format!("{}/v1", provider.uri()),
            api_key: Secret::new("sk-provider"),
            model: "gpt-4o-mini".into(),
        });
        let config = Config {
            listen: "127.0.0.1:0".parse().expect("addr"),
            database_url: Secret::new(format!("{}/{db}", pg_admin())),
            jwt_secret: Secret::new("cli-account-test-secret-0123456789abcdef"),
            api_rate_limit: 100_000,
            stripe_api_base: stripe.uri(),
            stripe_secret_key: Secret::new("sk_test_cli"),
            stripe_webhook_secret: Secret::new(WEBHOOK_SECRET),
            stripe_prices: vec!["pro_quarterly=price_q".into()],
            ai_providers: vec!["openai".into()],
            ai,
            ..Config::default()
        };
        let pool = qoder_server::connect(&config).await.expect("connect");
        let state = qoder_server::AppState::new(config, pool).await.expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(qoder_server::serve(listener, state, std::future::pending()));
        (format!("http://{addr}"), stripe, provider)
    });
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let early = qoder(d, &["ai", "hosted", "on"], &[]);
    assert_eq!(early.status.code(), Some(2), "QoderResume AI needs a sign-in");
    assert!(String::from_utf8_lossy(&early.stderr).contains("not signed in"));
    ok(
        d,
        &["sync", "login", "--server", &base, "--email", "cli@example.com", "--create"],
        &[("QODER_SYNC_PASSWORD", PASSWORD)],
    );

    let s = json_of(d, &["account", "status", "--json"]);
    assert_eq!(s["subscription"]["plan"]["id"], "free");
    assert_eq!(s["usage"]["items"][0]["limit"], 7);
    let human = ok(d, &["account", "status"], &[]);
    assert!(
        human.contains("Plan: Free (free)") && human.contains("qoder account upgrade"),
        "{human}"
    );

    // Upgrade: the Checkout address is printed (the browser is not opened in tests).
    let out = ok(d, &["account", "upgrade", "--plan", "pro_quarterly"], &[]);
    assert_eq!(out.trim(), "https://checkout.stripe.com/c/pay/cs_cli");
    let bad = qoder(d, &["account", "upgrade", "--plan", "gold"], &[]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no plan \"gold\""));

    // Stripe confirms: the signed webhook lands.
    *state.lock().expect("state") = subscription("active");
    let post = |id: &str, kind: &str| {
        let body = json!({"id": id, "object": "event", "type": kind,
            "data": {"object": {"id": "sub_cli"}}})
        .to_string();
        let t = chrono::Utc::now().timestamp();
        rt.block_on(
            reqwest::Client::new()
                .post(format!("{base}/api/billing/webhook"))
                .header("stripe-signature", format!("t={t},v1={}", sign(t, &body)))
                .body(body)
                .send(),
        )
        .expect("webhook")
        .status()
    };
    assert_eq!(post("evt_cli_1", "customer.subscription.created"), 200);
    let s = json_of(d, &["account", "status", "--json"]);
    assert_eq!(s["subscription"]["plan"]["id"], "pro_quarterly");
    assert_eq!(s["subscription"]["status"], "active");
    assert_eq!(s["usage"]["items"][0]["limit"], 12);
    assert_eq!(s["usage"]["items"][0]["period"], "day");

    // A hosted-AI review is counted.
    let resume = d.join("resume.txt");
    std::fs::File::create(&resume)
        .and_then(|mut f| f.write_all(b"Ana Lopez\nana@example.com\n\nExperience\nSoftware Engineer, Acme, 2020 - 2024\n- Built the billing service in Rust\n\nSkills\nRust, PostgreSQL\n"))
        .expect("resume");
    let token = rt.block_on(async {
        let c = qoder_sync::Client::new(&base).expect("client");
        c.login("cli@example.com", PASSWORD, uuid::Uuid::now_v7()).await.expect("login");
        c.access_token().expect("token")
    });
    let review = qoder(
        d,
        &[
            "review",
            resume.to_str().expect("path"),
            "--provider",
            "hosted",
            "--base-url",
            &base,
            "--json",
        ],
        &[("QODER_LLM_API_KEY", &token)],
    );
    assert!(review.status.success(), "{}", String::from_utf8_lossy(&review.stderr));
    let u = json_of(d, &["account", "usage", "--json"]);
    assert_eq!(u["items"][0]["feature"], "resume_analysis");
    assert_eq!(u["items"][0]["used"], 1);

    // "Use QoderResume AI": the sign-in of `qoder sync login` is the key (no QODER_LLM_API_KEY)
    // and the account's server the address; turning it on says what is sent.
    let on = qoder(d, &["ai", "hosted", "on"], &[]);
    assert!(on.status.success(), "{}", String::from_utf8_lossy(&on.stderr));
    assert!(String::from_utf8_lossy(&on.stderr).contains("Contact details"), "no notice");
    let write = |name: &str, bullet: &str| {
        let p = d.join(name);
        std::fs::write(&p, format!("Ana Lopez\nana@example.com\n\nExperience\nSoftware Engineer, Acme, 2020 - 2024\n- {bullet}\n\nSkills\nRust, PostgreSQL\n")).expect("resume");
        p.to_str().expect("path").to_string()
    };
    let second = write("second.txt", "Ran the payments ledger in Rust");
    ok(d, &["review", &second, "--json"], &[]);
    let u = json_of(d, &["account", "usage", "--json"]);
    assert_eq!(u["items"][0]["used"], 2);
    // The plan's limit (plans are data): the next hosted review is refused with its figures.
    rt.block_on(async {
        let mut c = PgConnection::connect(&format!("{}/{db}", pg_admin())).await.expect("db");
        sqlx::raw_sql("UPDATE plans SET resume_analysis_limit = 2 WHERE id = 'pro_quarterly'")
            .execute(&mut c)
            .await
            .expect("update the plan");
    });
    let third = write("third.txt", "Moved the invoices to PostgreSQL");
    let refused = qoder(d, &["review", &third, "--json"], &[]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{err}");
    assert!(
        err.contains("error[limit_reached]")
            && err.contains("2 of 2 used; it resets at")
            && err.contains("qoder account upgrade"),
        "{err}"
    );
    let u = json_of(d, &["account", "usage", "--json"]);
    assert_eq!(u["items"][0]["used"], 2, "a refused call is not counted");
    let off = ok(d, &["ai", "hosted", "off"], &[]);
    assert!(off.contains("off"), "{off}");

    let inv = ok(d, &["account", "invoices"], &[]);
    assert!(
        inv.contains("QR-7")
            && inv.contains("$27.00")
            && inv.contains("https://invoice.stripe.com/i/in_cli"),
        "{inv}"
    );
    assert_eq!(
        ok(d, &["account", "portal"], &[]).trim(),
        "https://billing.stripe.com/p/session/cli"
    );

    // Canceled in the portal: back to Free.
    *state.lock().expect("state") = subscription("canceled");
    assert_eq!(post("evt_cli_2", "customer.subscription.deleted"), 200);
    let s = json_of(d, &["account", "status", "--json"]);
    assert_eq!(s["subscription"]["plan"]["id"], "free");
    assert_eq!(s["usage"]["items"][0]["limit"], 7);
    drop(stripe);
    rt.block_on(async {
        if let Ok(mut admin) = PgConnection::connect(&format!("{}/postgres", pg_admin())).await {
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {db} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await;
        }
    });
}

/// GDPR self-service from the command line: `qoder account export -o FILE` writes the zip of
/// everything the server holds; `qoder account delete --yes` erases the account (the password
/// on stdin), prints the receipt and signs the device out; the server no longer knows it.
#[test]
fn export_and_erase_the_account_from_the_command_line() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("rt");
    let db = format!("qoder_cli_gdpr_{}", std::process::id());
    let (base, pool) = rt.block_on(async {
        let mut admin = PgConnection::connect(&format!("{}/postgres", pg_admin()))
            .await
            .expect("PostgreSQL must be reachable at $QODER_TEST_PG or 127.0.0.1:5432");
        for sql in
            [format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"), format!("CREATE DATABASE {db}")]
        {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut admin).await.expect("create");
        }
        let config = Config {
            listen: "127.0.0.1:0".parse().expect("addr"),
            database_url: Secret::new(format!("{}/{db}", pg_admin())),
            jwt_secret: Secret::new("cli-gdpr-test-secret-0123456789abcdef01"),
            api_rate_limit: 100_000,
            ..Config::default()
        };
        let pool = qoder_server::connect(&config).await.expect("connect");
        let state = qoder_server::AppState::new(config, pool.clone()).await.expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(qoder_server::serve(listener, state, std::future::pending()));
        (format!("http://{addr}"), pool)
    });
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    ok(
        d,
        &["sync", "login", "--server", &base, "--email", "gdpr@example.com", "--create"],
        &[("QODER_SYNC_PASSWORD", PASSWORD)],
    );
    let zip_path = d.join("mine.zip");
    let out = ok(d, &["account", "export", "-o", zip_path.to_str().expect("path")], &[]);
    assert!(out.contains("mine.zip"), "{out}");
    let bytes = std::fs::read(&zip_path).expect("zip written");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut account = String::new();
    std::io::Read::read_to_string(
        &mut z.by_name("account.json").expect("account.json"),
        &mut account,
    )
    .expect("read");
    let account: Value = serde_json::from_str(&account).expect("json");
    assert_eq!(account[0]["email"], "gdpr@example.com");
    assert!(z.by_name("records.json").is_ok() && z.by_name("manifest.json").is_ok());

    // Without --yes nothing happens; a wrong password is refused; then the erasure.
    let no = qoder(d, &["account", "delete"], &[("QODER_SYNC_PASSWORD", PASSWORD)]);
    assert_eq!(no.status.code(), Some(2));
    let wrong =
        qoder(d, &["account", "delete", "--yes"], &[("QODER_SYNC_PASSWORD", "not it at all")]);
    assert!(!wrong.status.success());
    let users = |pool: &sqlx::PgPool| {
        rt.block_on(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM users").fetch_one(pool))
            .expect("count")
    };
    assert_eq!(users(&pool), 1);
    let receipt: Value = serde_json::from_str(&ok(
        d,
        &["account", "delete", "--yes", "--json"],
        &[("QODER_SYNC_PASSWORD", PASSWORD)],
    ))
    .expect("receipt");
    assert_eq!(receipt["deleted"]["account"], 1);
    assert_eq!(receipt["deleted"]["devices"], 1);
    assert_eq!(users(&pool), 0);
    let erased: i64 = rt
        .block_on(
            sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'account.erased'")
                .fetch_one(&pool),
        )
        .expect("audit");
    assert_eq!(erased, 1);
    // This device is signed out.
    let after = qoder(d, &["account", "status"], &[]);
    assert!(!after.status.success());
    assert!(String::from_utf8_lossy(&after.stderr).contains("not signed in"));
    rt.block_on(async {
        if let Ok(mut admin) = PgConnection::connect(&format!("{}/postgres", pg_admin())).await {
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {db} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await;
        }
    });
}
