//! Figures of issue 16, on loopback:
//!
//! 1. Hosted-AI overhead at 200 concurrent users: each user makes calls one after another; the
//!    same load is sent straight to the provider stand-in (the reference) and through
//!    `POST /v1/ai/complete`, in alternating rounds; the server's overhead is the hosted
//!    latency minus the direct one, compared at p50 and p99.
//! 2. Webhook handling: signed `customer.subscription.updated` events one after another (each
//!    re-reads the subscription from the Stripe stand-in and writes in one transaction), p50 and
//!    p99; then every one of them replayed 4 times at once: how many applied twice (must be 0).
//!
//! `cargo bench -p qoder-server --bench billing [-- ROUNDS]` (default 3 rounds of each side;
//! `QODER_BENCH_USERS` changes the 200 users, e.g. 1 for the latency of one call alone).
//! After the closed loop, the same users in an open loop at fixed arrival rates
//! (`QODER_BENCH_RATES`, calls a second in all, default `200,1000`): the overhead a call sees
//! at a given load rather than at saturation.
//! Needs PostgreSQL at $QODER_TEST_PG (default postgres://postgres@127.0.0.1:5432); a scratch
//! database is made and dropped.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use qoder_server::auth::TokenKeys;
use qoder_server::config::{AiProvider, Config, Secret};
use serde_json::{Value, json};
use sha2::Sha256;
use sqlx::{Connection, PgConnection};
use uuid::Uuid;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Concurrent users (`QODER_BENCH_USERS`, default 200).
fn users() -> usize {
    std::env::var("QODER_BENCH_USERS").ok().and_then(|v| v.parse().ok()).unwrap_or(200)
}
const CALLS_PER_USER: usize = 10;
const WEBHOOKS: usize = 300;
const SECRET: &str = "whsec_bench";

fn pg() -> String {
    std::env::var("QODER_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

async fn load(
    http: &reqwest::Client,
    url: &str,
    tokens: &[String],
    body: impl Fn(usize, usize) -> Value,
) -> Vec<Duration> {
    let mut tasks = Vec::new();
    for (u, token) in tokens.iter().enumerate() {
        let http = http.clone();
        let url = url.to_string();
        let token = token.clone();
        let bodies: Vec<Value> = (0..CALLS_PER_USER).map(|i| body(u, i)).collect();
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for b in bodies {
                let t = Instant::now();
                let r = http.post(&url).bearer_auth(&token).json(&b).send().await.expect("send");
                let status = r.status();
                let _ = r.bytes().await;
                assert!(status.is_success(), "{url}: {status}");
                out.push(t.elapsed());
            }
            out
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    all
}

/// Open loop: each user sends `CALLS_PER_USER` calls, one every `users / rate` seconds
/// (the users staggered), without waiting for answers, so `rate` calls a second arrive in all
/// whatever the latency: what a user sees who calls now and then while others do too (the closed
/// loop above measures the throughput: there latency is users ÷ calls per second).
async fn paced(
    http: &reqwest::Client,
    url: &str,
    tokens: &[String],
    rate: f64,
    body: impl Fn(usize, usize) -> Value,
) -> Vec<Duration> {
    let gap = Duration::from_secs_f64(tokens.len() as f64 / rate);
    let start = tokio::time::Instant::now();
    let mut calls = Vec::new();
    for i in 0..CALLS_PER_USER {
        for (u, token) in tokens.iter().enumerate() {
            let at = start + gap * i as u32 + gap.mul_f64(u as f64 / tokens.len() as f64);
            let (http, url, token, b) = (http.clone(), url.to_string(), token.clone(), body(u, i));
            calls.push(tokio::spawn(async move {
                tokio::time::sleep_until(at).await;
                let t = Instant::now();
                let r = http.post(&url).bearer_auth(&token).json(&b).send().await.expect("send");
                let status = r.status();
                let _ = r.bytes().await;
                assert!(status.is_success(), "{url}: {status}");
                t.elapsed()
            }));
        }
    }
    let mut out = Vec::new();
    for c in calls {
        out.push(c.await.expect("task"));
    }
    out
}

/// The open loop's arrival rates, calls a second in all (`QODER_BENCH_RATES`, default 200
/// and 1,000: each of 200 users calling once a second, and five times a second).
fn rates() -> Vec<f64> {
    std::env::var("QODER_BENCH_RATES")
        .ok()
        .map(|v| v.split(',').filter_map(|r| r.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![200.0, 1000.0])
}

fn main() {
    let rounds: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(3);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(run(rounds));
}

async fn run(rounds: usize) {
    let db = format!("qoder_bench_billing_{}", std::process::id());
    let mut admin = PgConnection::connect(&format!("{}/postgres", pg())).await.expect("PostgreSQL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
        .execute(&mut admin)
        .await
        .expect("create db");
    let provider = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "c", "object": "chat.completion", "model": "gpt-4o-mini",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "{\"ok\":true}"}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20}})))
        .mount(&provider)
        .await;
    let stripe = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("^/v1/subscriptions/sub_bench$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "sub_bench", "object": "subscription", "customer": "cus_bench",
            "status": "active", "cancel_at_period_end": false, "metadata": {},
            "items": {"object": "list", "has_more": false, "data": [{"id": "si", "price": {"id": "price_m"},
                "current_period_start": 1_765_000_000, "current_period_end": 1_767_600_000}]}})))
        .mount(&stripe)
        .await;
    let mut ai = BTreeMap::new();
    ai.insert(
        "openai".to_string(),
        AiProvider {
            kind: "openai".into(),
            base_url: format!("{}/v1", provider.uri()),
            api_key: Secret::new("sk-bench"),
            model: "gpt-4o-mini".into(),
        },
    );
    let config = Config {
        database_url: Secret::new(format!("{}/{db}", pg())),
        jwt_secret: Secret::new("bench-secret-0123456789abcdef0123456789"),
        db_max_connections: 32,
        api_rate_limit: 1_000_000_000,
        stripe_api_base: stripe.uri(),
        stripe_secret_key: Secret::new("sk_test_bench"),
        stripe_webhook_secret: Secret::new(SECRET),
        stripe_prices: vec!["pro_monthly=price_m".into()],
        ai_providers: vec!["openai".into()],
        ai,
        ai_user_daily_budget_usd: 1e9,
        ai_global_daily_budget_usd: 1e12,
        ..Config::default()
    };
    let pool = qoder_server::connect(&config).await.expect("connect");
    sqlx::query("UPDATE plans SET resume_analysis_limit = NULL")
        .execute(&pool)
        .await
        .expect("unlimited");
    let keys = TokenKeys::new(&config);
    let users = users();
    let mut tokens = Vec::new();
    for i in 0..users {
        let id = Uuid::now_v7();
        sqlx::query("INSERT INTO users (id, email, password_hash) VALUES ($1, $2, 'x')")
            .bind(id)
            .bind(format!("bench{i}@example.com"))
            .execute(&pool)
            .await
            .expect("user");
        tokens.push(keys.issue(id, Uuid::now_v7(), "user").expect("token"));
    }
    let owner = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO users (id, email, password_hash) VALUES ($1, 'owner@example.com', 'x')",
    )
    .bind(owner)
    .execute(&pool)
    .await
    .expect("owner");
    sqlx::query(
        "INSERT INTO billing_customers (user_id, stripe_customer_id) VALUES ($1, 'cus_bench')",
    )
    .bind(owner)
    .execute(&pool)
    .await
    .expect("customer");
    let state = qoder_server::AppState::new(config, pool.clone()).await.expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(qoder_server::serve(listener, state, std::future::pending()));
    let http = reqwest::Client::builder().pool_max_idle_per_host(users).build().expect("http");
    let direct_url = format!("{}/v1/chat/completions", provider.uri());
    let hosted_url = format!("{base}/v1/ai/complete");
    let seq = std::sync::atomic::AtomicUsize::new(0);
    let direct_body = |u: usize, i: usize| {
        json!({"model": "gpt-4o-mini", "messages": [{"role": "system", "content": "s"},
            {"role": "user", "content": format!("user {u} call {i}")}], "temperature": 0.0,
            "max_tokens": 100, "stream": false})
    };
    let hosted_body = |u: usize, i: usize| {
        let n = seq.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        json!({"feature": "review", "tier_model": "basic", "system": "s",
            "prompt": format!("user {u} call {i} #{n}"), "max_output_tokens": 100, "temperature": 0.0})
    };
    // Warm-up of both paths.
    let warm = &tokens[..users.min(20)];
    load(&http, &direct_url, warm, direct_body).await;
    load(&http, &hosted_url, warm, hosted_body).await;
    let (mut direct, mut hosted) = (Vec::new(), Vec::new());
    let (mut direct_secs, mut hosted_secs) = (0.0, 0.0);
    for r in 0..rounds {
        // Alternate which side goes first.
        for side in if r % 2 == 0 { [0, 1] } else { [1, 0] } {
            let t = Instant::now();
            if side == 0 {
                direct.extend(load(&http, &direct_url, &tokens, direct_body).await);
                direct_secs += t.elapsed().as_secs_f64();
            } else {
                hosted.extend(load(&http, &hosted_url, &tokens, hosted_body).await);
                hosted_secs += t.elapsed().as_secs_f64();
            }
        }
    }
    let (d50, d99) = (pct(&mut direct, 0.5), pct(&mut direct, 0.99));
    let (h50, h99) = (pct(&mut hosted, 0.5), pct(&mut hosted, 0.99));
    println!(
        "hosted AI, {users} concurrent users × {CALLS_PER_USER} calls × {rounds} rounds ({} calls a side):",
        hosted.len()
    );
    let rate = |n: usize, secs: f64| n as f64 / secs;
    println!(
        "  provider directly (reference): p50 {d50:.1} ms, p99 {d99:.1} ms, {:.0} calls/s",
        rate(direct.len(), direct_secs)
    );
    println!(
        "  through /v1/ai/complete:       p50 {h50:.1} ms, p99 {h99:.1} ms, {:.0} calls/s",
        rate(hosted.len(), hosted_secs)
    );
    println!("  server overhead:               p50 {:.1} ms, p99 {:.1} ms", h50 - d50, h99 - d99);

    // The open loop, at each rate: the same calls, paced.
    for rate in rates() {
        let (mut direct, mut hosted) = (Vec::new(), Vec::new());
        for r in 0..rounds {
            for side in if r % 2 == 0 { [0, 1] } else { [1, 0] } {
                if side == 0 {
                    direct.extend(paced(&http, &direct_url, &tokens, rate, direct_body).await);
                } else {
                    hosted.extend(paced(&http, &hosted_url, &tokens, rate, hosted_body).await);
                }
            }
        }
        let (d50, d99) = (pct(&mut direct, 0.5), pct(&mut direct, 0.99));
        let (h50, h99) = (pct(&mut hosted, 0.5), pct(&mut hosted, 0.99));
        println!(
            "open loop, {users} users, {rate:.0} calls/s in all ({} calls a side): provider directly p50 {d50:.1} / p99 {d99:.1} ms; through /v1/ai/complete p50 {h50:.1} / p99 {h99:.1} ms; server overhead p50 {:.1} ms, p99 {:.1} ms",
            hosted.len(),
            h50 - d50,
            h99 - d99
        );
    }

    // Webhooks, one after another.
    let sign = |t: i64, body: &str| {
        let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("key");
        mac.update(format!("{t}.{body}").as_bytes());
        hex::encode(mac.finalize().into_bytes())
    };
    let events: Vec<String> = (0..WEBHOOKS)
        .map(|i| {
            json!({"id": format!("evt_bench_{i}"), "object": "event", "type": "customer.subscription.updated",
                "data": {"object": {"id": "sub_bench"}}})
            .to_string()
        })
        .collect();
    let post = |body: String| {
        let http = http.clone();
        let url = format!("{base}/api/billing/webhook");
        let t = chrono::Utc::now().timestamp();
        let sig = sign(t, &body);
        async move {
            let r = http
                .post(url)
                .header("stripe-signature", format!("t={t},v1={sig}"))
                .body(body)
                .send()
                .await
                .expect("webhook");
            assert!(r.status().is_success());
            r.json::<Value>().await.expect("json")["outcome"].as_str().unwrap_or("").to_string()
        }
    };
    let mut lat = Vec::new();
    for e in &events {
        let t = Instant::now();
        let outcome = post(e.clone()).await;
        lat.push(t.elapsed());
        assert_eq!(outcome, "applied");
    }
    println!(
        "webhooks ({WEBHOOKS}, each re-reading the subscription from the Stripe stand-in): p50 {:.1} ms, p99 {:.1} ms",
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.99)
    );
    let replays = events.iter().flat_map(|e| std::iter::repeat_n(e.clone(), 4)).map(&post);
    let outcomes = futures_util::future::join_all(replays).await;
    let twice = outcomes.iter().filter(|o| *o == "applied").count();
    println!("replays ({} at once): {twice} applied again", outcomes.len());
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM stripe_events")
        .fetch_one(&pool)
        .await
        .expect("count");
    println!("stripe_events rows: {stored} (one per event)");
    // Not `pool.close()`: the server's LISTEN connections, taken from this pool, stay checked
    // out while its task runs, so closing would wait for ever. The database goes WITH (FORCE).
    drop(pool);
    let _ =
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")))
            .execute(&mut admin)
            .await;
}
