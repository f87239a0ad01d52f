//! Plans, billing, usage limits, coupons, feature flags and the hosted AI, over the real router
//! and a fresh PostgreSQL database. Stripe and the AI provider are local HTTP servers (wiremock) answering in their documented
//! wire formats; webhooks are signed as Stripe signs them (t=…,v1=HMAC-SHA256).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, Mac};
use qoder_server::config::{AiProvider, Config, Secret};
use qoder_sync::Client;
use qoder_sync::billing::{LimitReached, PlansResponse, SubscriptionView, UsageResponse};
use serde_json::{Value, json};
use sha2::Sha256;
use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;
use wiremock::matchers::{body_string_contains, header, method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::common::{self, PASSWORD, Server, ServerProcess, TestDb};

const WEBHOOK_SECRET: &str = "whsec_test_0123456789abcdef";
const STRIPE_KEY: &str = "sk_test_0123456789";
const PRICES: [&str; 3] =
    ["pro_monthly=price_monthly", "pro_quarterly=price_quarterly", "pro_halfyearly=price_half"];

/// The Stripe subscription the stand-in answers for `GET /v1/subscriptions/{id}`: the test
/// changes it as Stripe would.
type StripeState = Arc<Mutex<Value>>;

struct Env {
    base: String,
    pool: PgPool,
    http: reqwest::Client,
    config: Config,
    stripe: MockServer,
    provider: MockServer,
    subscription: StripeState,
    server: Server,
    // Last: dropped after the server was told to stop.
    db: TestDb,
}

fn subscription_object(id: &str, customer: &str, price: &str, status: &str, cancel: bool) -> Value {
    // The shape of Stripe's Subscription object (API 2025-03+: the period on the item).
    let now = chrono::Utc::now().timestamp();
    json!({
        "id": id, "object": "subscription", "customer": customer, "status": status,
        "cancel_at_period_end": cancel, "created": now - 60, "livemode": false,
        "metadata": {},
        "items": {"object": "list", "has_more": false, "url": "/v1/subscription_items",
            "data": [{"id": "si_1", "object": "subscription_item", "quantity": 1,
                "current_period_start": now - 60, "current_period_end": now + 30 * 86400,
                "price": {"id": price, "object": "price", "currency": "usd",
                    "unit_amount": 1000, "recurring": {"interval": "month", "interval_count": 1}}}]}
    })
}

fn openai_answer(text: &str) -> Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [{"index": 0, "finish_reason": "stop",
            "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150}
    })
}

fn test_config(db: &TestDb, stripe: &MockServer, provider: &MockServer) -> Config {
    let mut ai = std::collections::BTreeMap::new();
    ai.insert(
        "openai".to_string(),
        AiProvider {
            kind: "openai".into(),
            base_url: format!("{}/v1", provider.uri()),
            api_key: Secret::new("sk-provider-test"),
            model: "gpt-4o-mini".into(),
        },
    );
    Config {
        db_max_connections: 16,
        public_url: "http://127.0.0.1:9".into(),
        stripe_api_base: stripe.uri(),
        stripe_secret_key: Secret::new(STRIPE_KEY),
        stripe_webhook_secret: Secret::new(WEBHOOK_SECRET),
        stripe_prices: PRICES.iter().map(|s| s.to_string()).collect(),
        ai_providers: vec!["openai".into()],
        ai,
        ai_user_daily_budget_usd: 100.0,
        ai_global_daily_budget_usd: 1000.0,
        ..common::config(db)
    }
}

impl Env {
    async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    async fn start_with(tweak: impl FnOnce(&mut Config)) -> Self {
        let db = TestDb::create().await;
        let stripe = MockServer::start().await;
        let provider = MockServer::start().await;
        let subscription: StripeState = Arc::new(Mutex::new(Value::Null));
        mount_stripe(&stripe, subscription.clone()).await;
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .and(header("authorization", "Bearer sk-provider-test"))
            .respond_with(ResponseTemplate::new(200).set_body_json(openai_answer("{\"ok\":true}")))
            .mount(&provider)
            .await;
        let mut config = test_config(&db, &stripe, &provider);
        tweak(&mut config);
        let server = Server::start(&config).await;
        Self {
            base: server.base.clone(),
            pool: server.pool.clone(),
            http: reqwest::Client::new(),
            config,
            stripe,
            provider,
            subscription,
            server,
            db,
        }
    }

    /// Runs one SQL statement on the test's database (plans are data: tests change them).
    async fn sql(&self, statement: &'static str) {
        sqlx::query(statement).execute(&self.pool).await.expect(statement);
    }

    /// Another `AppState` on the test's settings and pool, for calling the library directly.
    async fn state(&self) -> qoder_server::AppState {
        qoder_server::AppState::new(self.config.clone(), self.pool.clone()).await.expect("state")
    }

    /// Makes `user` the Stripe customer `cus_test_1` (the stand-in's).
    async fn customer(&self, user: Uuid) {
        sqlx::query(
            "INSERT INTO billing_customers (user_id, stripe_customer_id) VALUES ($1, 'cus_test_1')",
        )
        .bind(user)
        .execute(&self.pool)
        .await
        .expect("customer");
    }

    /// The uses of `feature` `user` has taken in the current period (0 if none).
    async fn used(&self, user: Uuid, feature: &str) -> i32 {
        let used: Option<i32> = sqlx::query_scalar(
            "SELECT used FROM usage_counters WHERE user_id = $1 AND feature = $2 \
             ORDER BY period_start DESC LIMIT 1",
        )
        .bind(user)
        .bind(feature)
        .fetch_optional(&self.pool)
        .await
        .expect("used");
        used.unwrap_or(0)
    }

    /// Gives `user` an active subscription to `plan`, as a webhook would have stored it.
    async fn subscribe(&self, user: Uuid, plan: &str) {
        sqlx::query(
            "INSERT INTO subscriptions (stripe_subscription_id, user_id, plan_id, status) \
             VALUES ($1, $2, $3, 'active')",
        )
        .bind(format!("sub_{user}"))
        .bind(user)
        .bind(plan)
        .execute(&self.pool)
        .await
        .expect("subscription");
    }

    fn url(&self, p: &str) -> String {
        format!("{}{}", self.base, p)
    }

    async fn account(&self, email: &str) -> (Client, Uuid) {
        let c = Client::new(&self.base).expect("client");
        let t = c.register(email, PASSWORD, Uuid::now_v7()).await.expect("register");
        (c, t.user_id)
    }

    /// Posts `event` signed at `t` with `secret`, as Stripe does.
    async fn webhook(&self, event: &Value, t: i64, secret: &str) -> reqwest::Response {
        let body = event.to_string();
        self.http
            .post(self.url("/api/billing/webhook"))
            .header("content-type", "application/json")
            .header("stripe-signature", format!("t={t},v1={}", sign(secret, t, &body)))
            .body(body)
            .send()
            .await
            .expect("webhook")
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, c: &Client, p: &str) -> T {
        let r = self
            .http
            .get(self.url(p))
            .bearer_auth(c.access_token().expect("token"))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 200, "{p}");
        r.json().await.expect("json")
    }

    async fn ai(&self, token: &str, feature: &str, prompt: &str) -> reqwest::Response {
        self.http
            .post(self.url("/v1/ai/complete"))
            .bearer_auth(token)
            .json(&json!({"feature": feature, "tier_model": "basic", "system": "Answer in JSON.",
                "prompt": prompt, "max_output_tokens": 200, "temperature": 0.2,
                "json": true, "stream": false}))
            .send()
            .await
            .expect("ai call")
    }
}

fn sign(secret: &str, t: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{t}.{body}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The `ai_calls` rows of `user`, once there are at least `n` (they are written off the request
/// path, moments after the answer), or whatever there is after 10 s.
async fn ai_calls_of(
    pool: &PgPool,
    user: Uuid,
    n: usize,
) -> Vec<(String, String, i64, i64, bool, String)> {
    for _ in 0..200 {
        let calls: Vec<(String, String, i64, i64, bool, String)> = sqlx::query_as(
            "SELECT provider, model, tokens_in, tokens_out, cache_hit, outcome FROM ai_calls \
             WHERE user_id = $1 ORDER BY id",
        )
        .bind(user)
        .fetch_all(pool)
        .await
        .expect("calls");
        if calls.len() >= n {
            return calls;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Vec::new()
}

fn event(id: &str, kind: &str, object: Value) -> Value {
    json!({"id": id, "object": "event", "type": kind, "api_version": "2025-03-31.basil",
           "created": now(), "livemode": false, "data": {"object": object}})
}

/// Stripe's endpoints as the server calls them, answering Stripe's documented objects.
async fn mount_stripe(stripe: &MockServer, subscription: StripeState) {
    let key = format!("Bearer {STRIPE_KEY}");
    let auth = || header("authorization", key.as_str());
    Mock::given(method("POST"))
        .and(path("/v1/customers"))
        .and(auth())
        .and(body_string_contains("metadata%5Buser_id%5D="))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "cus_test_1", "object": "customer", "email": "x@example.com", "metadata": {}
        })))
        .mount(stripe)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/checkout/sessions"))
        .and(auth())
        .and(body_string_contains("mode=subscription"))
        .and(body_string_contains("customer=cus_test_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "cs_test_1", "object": "checkout.session", "mode": "subscription",
            "status": "open", "url": "https://checkout.stripe.com/c/pay/cs_test_1"
        })))
        .mount(stripe)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/billing_portal/sessions"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "bps_1", "object": "billing_portal.session", "customer": "cus_test_1",
            "url": "https://billing.stripe.com/p/session/test_1"
        })))
        .mount(stripe)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/invoices"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "has_more": false, "url": "/v1/invoices",
            "data": [{"id": "in_1", "object": "invoice", "number": "QR-0001", "status": "paid",
                "amount_due": 1000, "amount_paid": 1000, "currency": "usd", "created": 1_765_000_000,
                "hosted_invoice_url": "https://invoice.stripe.com/i/in_1",
                "invoice_pdf": "https://pay.stripe.com/invoice/in_1/pdf"}]
        })))
        .mount(stripe)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/coupons"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "co_test_1", "object": "coupon", "duration": "once", "percent_off": 20.0
        })))
        .mount(stripe)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/promotion_codes"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "promo_test_1", "object": "promotion_code", "code": "SPRING20", "active": true
        })))
        .mount(stripe)
        .await;
    let state = subscription.clone();
    Mock::given(method("GET"))
        .and(path_regex("^/v1/subscriptions/sub_[a-z0-9_]+$"))
        .and(auth())
        .respond_with(move |_: &Request| {
            let s = state.lock().expect("state").clone();
            if s.is_null() {
                ResponseTemplate::new(404).set_body_json(json!({"error": {
                    "type": "invalid_request_error", "code": "resource_missing",
                    "message": "No such subscription"}}))
            } else {
                ResponseTemplate::new(200).set_body_json(s)
            }
        })
        .mount(stripe)
        .await;
    let state = subscription;
    Mock::given(method("GET"))
        .and(path("/v1/subscriptions"))
        .and(auth())
        .respond_with(move |_: &Request| {
            let s = state.lock().expect("state").clone();
            let data = if s.is_null() { vec![] } else { vec![s] };
            ResponseTemplate::new(200).set_body_json(json!({
                "object": "list", "has_more": false, "url": "/v1/subscriptions", "data": data}))
        })
        .mount(stripe)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn free_to_pro_to_free_through_stripe_checkout_and_webhooks() {
    let e = Env::start().await;
    let plans: PlansResponse = e
        .http
        .get(e.url("/api/billing/plans"))
        .send()
        .await
        .expect("plans")
        .json()
        .await
        .expect("json");
    let ids: Vec<&str> = plans.plans.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["free", "pro_monthly", "pro_quarterly", "pro_halfyearly"]);
    let prices: Vec<i64> = plans.plans.iter().map(|p| p.price_cents).collect();
    assert_eq!(prices, [0, 1000, 2700, 5400]);
    assert_eq!(plans.plans[2].interval_count, 3);
    assert_eq!(plans.plans[0].limits.resume_analysis, Some(7));
    assert_eq!(plans.plans[0].limits.period, "month");
    assert!(!plans.plans[0].purchasable && plans.plans[1].purchasable);

    let (c, user) = e.account("ana@example.com").await;
    let sub: SubscriptionView = e.get(&c, "/api/billing/subscription").await;
    assert_eq!((sub.plan.id.as_str(), sub.status.as_str()), ("free", "free"));
    let usage: UsageResponse = e.get(&c, "/api/billing/usage").await;
    assert_eq!(usage.items[0].feature, "resume_analysis");
    assert_eq!((usage.items[0].used, usage.items[0].limit), (0, Some(7)));
    assert_eq!(usage.items[0].period, "month");

    // Checkout: a customer is made once, the session sells the plan's price.
    let url = c.checkout("pro_monthly", None).await.expect("checkout").url;
    assert_eq!(url, "https://checkout.stripe.com/c/pay/cs_test_1");
    let bodies: Vec<String> = e
        .stripe
        .received_requests()
        .await
        .expect("requests")
        .iter()
        .filter(|r| r.url.path() == "/v1/checkout/sessions")
        .map(|r| String::from_utf8_lossy(&r.body).to_string())
        .collect();
    assert_eq!(bodies.len(), 1);
    assert!(bodies[0].contains("line_items%5B0%5D%5Bprice%5D=price_monthly"), "{}", bodies[0]);
    assert!(bodies[0].contains(&format!("subscription_data%5Bmetadata%5D%5Buser_id%5D={user}")));
    // A free plan, an unknown plan: refused with a reason.
    let err = c.checkout("free", None).await.expect_err("free");
    assert_eq!(err.status(), Some(422));
    assert_eq!(c.checkout("gold", None).await.expect_err("unknown").status(), Some(422));

    // Stripe made the subscription; its webhook arrives.
    *e.subscription.lock().expect("s") =
        subscription_object("sub_1", "cus_test_1", "price_monthly", "active", false);
    let created = event("evt_1", "customer.subscription.created", json!({"id": "sub_1"}));
    let r = e.webhook(&created, now(), WEBHOOK_SECRET).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.expect("json")["outcome"], "applied");
    let sub: SubscriptionView = e.get(&c, "/api/billing/subscription").await;
    assert_eq!((sub.plan.id.as_str(), sub.status.as_str()), ("pro_monthly", "active"));
    assert!(sub.current_period_end.is_some());
    let usage: UsageResponse = e.get(&c, "/api/billing/usage").await;
    assert_eq!((usage.plan_id.as_str(), usage.items[0].limit), ("pro_monthly", Some(12)));
    assert_eq!(usage.items[0].period, "day");
    // Already Pro: checkout again is a conflict.
    assert_eq!(c.checkout("pro_quarterly", None).await.expect_err("twice").status(), Some(409));

    // Replayed: acknowledged, applied once.
    let r = e.webhook(&created, now(), WEBHOOK_SECRET).await;
    assert_eq!(r.json::<Value>().await.expect("json")["outcome"], "replay");
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM stripe_events WHERE id = 'evt_1'")
        .fetch_one(&e.pool)
        .await
        .expect("count");
    assert_eq!(n, 1);

    // A hosted-AI call is counted against the Pro limit.
    let token = c.access_token().expect("token");
    let r = e.ai(&token, "review", "Review this resume: built things.").await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["text"], "{\"ok\":true}");
    assert_eq!(body["usage"]["input_tokens"], 120);
    let usage: UsageResponse = e.get(&c, "/api/billing/usage").await;
    assert_eq!(usage.items[0].used, 1);

    // Invoices and the portal.
    let inv = c.invoices().await.expect("invoices");
    assert_eq!(
        inv.invoices[0].hosted_invoice_url.as_deref(),
        Some("https://invoice.stripe.com/i/in_1")
    );
    assert_eq!(
        c.portal().await.expect("portal").url,
        "https://billing.stripe.com/p/session/test_1"
    );

    // Cancel at period end: still Pro, flagged.
    *e.subscription.lock().expect("s") =
        subscription_object("sub_1", "cus_test_1", "price_monthly", "active", true);
    let r = e
        .webhook(
            &event("evt_2", "customer.subscription.updated", json!({"id": "sub_1"})),
            now(),
            WEBHOOK_SECRET,
        )
        .await;
    assert_eq!(r.status(), 200);
    let sub: SubscriptionView = e.get(&c, "/api/billing/subscription").await;
    assert!(sub.cancel_at_period_end && sub.plan.id == "pro_monthly");

    // The period ends: Stripe deletes it. Then an older "updated" event arrives late, its
    // payload still saying active: the server reads Stripe again and stays on Free.
    *e.subscription.lock().expect("s") =
        subscription_object("sub_1", "cus_test_1", "price_monthly", "canceled", false);
    let deleted = event(
        "evt_4",
        "customer.subscription.deleted",
        json!({"id": "sub_1", "status": "canceled"}),
    );
    assert_eq!(e.webhook(&deleted, now(), WEBHOOK_SECRET).await.status(), 200);
    let late =
        event("evt_3", "customer.subscription.updated", json!({"id": "sub_1", "status": "active"}));
    assert_eq!(e.webhook(&late, now(), WEBHOOK_SECRET).await.status(), 200);
    let sub: SubscriptionView = e.get(&c, "/api/billing/subscription").await;
    assert_eq!((sub.plan.id.as_str(), sub.status.as_str()), ("free", "free"));
    let usage: UsageResponse = e.get(&c, "/api/billing/usage").await;
    assert_eq!((usage.items[0].limit, usage.items[0].period.as_str()), (Some(7), "month"));

    // Unknown events are acknowledged and recorded.
    let r = e
        .webhook(
            &event("evt_5", "customer.tax_id.created", json!({"id": "txi_1"})),
            now(),
            WEBHOOK_SECRET,
        )
        .await;
    assert_eq!(r.json::<Value>().await.expect("json")["outcome"], "ignored");
    let _ = &e.provider;
    let _ = &e.config;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_stale_and_unsigned_webhooks_are_refused_and_change_nothing() {
    let e = Env::start().await;
    let (_c, _) = e.account("bo@example.com").await;
    *e.subscription.lock().expect("s") =
        subscription_object("sub_9", "cus_test_1", "price_monthly", "active", false);
    let ev = event("evt_f", "customer.subscription.created", json!({"id": "sub_9"}));
    // Signed with another secret.
    let r = e.webhook(&ev, now(), "whsec_attacker").await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.expect("text").contains("no signature matches"));
    // Signed right, 301 s ago (and from the future).
    let r = e.webhook(&ev, now() - 301, WEBHOOK_SECRET).await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.expect("text").contains("older than 300"));
    assert_eq!(e.webhook(&ev, now() + 400, WEBHOOK_SECRET).await.status(), 400);
    // Signed right, body changed after signing.
    let t = now();
    let sig = sign(WEBHOOK_SECRET, t, &ev.to_string());
    let tampered = ev.to_string().replace("sub_9", "sub_8");
    let r = e
        .http
        .post(e.url("/api/billing/webhook"))
        .header("stripe-signature", format!("t={t},v1={sig}"))
        .body(tampered)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 400);
    // No header.
    let r =
        e.http.post(e.url("/api/billing/webhook")).body(ev.to_string()).send().await.expect("post");
    assert_eq!(r.status(), 400);
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM stripe_events")
        .fetch_one(&e.pool)
        .await
        .expect("n");
    let subs: i64 = sqlx::query_scalar("SELECT count(*) FROM subscriptions")
        .fetch_one(&e.pool)
        .await
        .expect("n");
    assert_eq!((events, subs), (0, 0));
    // Signed right within the window: accepted (5 s of clock skew either way is fine).
    assert_eq!(e.webhook(&ev, now() - 5, WEBHOOK_SECRET).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_replayed_webhook_sent_many_times_at_once_applies_once() {
    let e = Env::start().await;
    let (_c, user) = e.account("cy@example.com").await;
    e.customer(user).await;
    *e.subscription.lock().expect("s") =
        subscription_object("sub_2", "cus_test_1", "price_quarterly", "active", false);
    let ev = event("evt_many", "invoice.paid", json!({"id": "in_2", "subscription": "sub_2"}));
    let sends = (0..20).map(|_| e.webhook(&ev, now(), WEBHOOK_SECRET));
    let mut outcomes = Vec::new();
    for r in futures_util::future::join_all(sends).await {
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.expect("json");
        outcomes.push(v["outcome"].as_str().unwrap_or_default().to_string());
    }
    assert_eq!(outcomes.iter().filter(|o| *o == "applied").count(), 1, "{outcomes:?}");
    assert_eq!(outcomes.iter().filter(|o| *o == "replay").count(), 19);
    let plan: String = sqlx::query_scalar("SELECT plan_id FROM subscriptions WHERE user_id = $1")
        .bind(user)
        .fetch_one(&e.pool)
        .await
        .expect("plan");
    assert_eq!(plan, "pro_quarterly");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_limit_of_12_holds_for_100_parallel_calls_across_two_server_processes() {
    let e = Env::start().await;
    let (c, user) = e.account("di@example.com").await;
    // Plans are data: this plan's limit is 12 for the test.
    e.sql("UPDATE plans SET resume_analysis_limit = 12 WHERE id = 'free'").await;
    let ai = &e.config.ai["openai"];
    let second = ServerProcess::spawn(
        &e.db.url(),
        &[
            ("QODER_STRIPE_API_BASE", &e.config.stripe_api_base),
            ("QODER_STRIPE_SECRET_KEY", STRIPE_KEY),
            ("QODER_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET),
            ("QODER_STRIPE_PRICES", &PRICES.join(",")),
            ("QODER_AI_PROVIDERS", "openai"),
            ("QODER_AI_OPENAI_KIND", "openai"),
            ("QODER_AI_OPENAI_BASE_URL", &ai.base_url),
            ("QODER_AI_OPENAI_API_KEY", ai.api_key.expose()),
            ("QODER_AI_OPENAI_MODEL", &ai.model),
            ("QODER_AI_USER_DAILY_BUDGET_USD", "100"),
        ],
    );
    let token = c.access_token().expect("token");
    let bases = [e.base.clone(), second.base.clone()];
    let calls = (0..100).map(|i| {
        let http = e.http.clone();
        let base = bases[i % 2].clone();
        let token = token.clone();
        tokio::spawn(async move {
            http.post(format!("{base}/v1/ai/complete"))
                .bearer_auth(token)
                .json(&json!({"feature": "review", "tier_model": "basic", "system": "s",
                    "prompt": format!("resume number {i}"), "max_output_tokens": 100,
                    "temperature": 0.0}))
                .send()
                .await
                .expect("call")
        })
    });
    let mut ok = 0;
    let mut refused = Vec::new();
    for r in futures_util::future::join_all(calls).await {
        let r = r.expect("task");
        match r.status().as_u16() {
            200 => ok += 1,
            402 => refused.push(r.json::<LimitReached>().await.expect("402 body")),
            s => panic!("unexpected {s}: {}", r.text().await.unwrap_or_default()),
        }
    }
    assert_eq!(ok, 12);
    assert_eq!(refused.len(), 88);
    let first = &refused[0];
    assert_eq!(first.code, "limit_reached");
    assert_eq!((first.feature.as_str(), first.limit, first.used), ("resume_analysis", 12, 12));
    assert!(first.resets_at > chrono::Utc::now());
    assert_eq!(first.upgrade_url, e.config.upgrade_url);
    assert_eq!(e.used(user, "resume_analysis").await, 12);
    // Each served call was one provider call, recorded without text.
    let calls = ai_calls_of(&e.pool, user, 12).await;
    assert_eq!(calls.len(), 12);
    assert!(calls.iter().all(|c| c.0 == "openai"
        && c.2 == 120
        && c.3 == 30
        && !c.4
        && c.5 == "ok"));
    let provider_calls = e.provider.received_requests().await.expect("requests").len();
    assert_eq!(provider_calls, 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_provider_call_gives_the_use_back_and_bad_requests_are_refused() {
    let e = Env::start().await;
    let (c, user) = e.account("ed@example.com").await;
    let token = c.access_token().expect("token");
    // The provider breaks: 500 after the retries.
    e.provider.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&e.provider)
        .await;
    let r = e.ai(&token, "rewrite", "Rewrite this bullet.").await;
    assert_eq!(r.status(), 502);
    assert_eq!(e.used(user, "jd_matching").await, 0);
    let calls = ai_calls_of(&e.pool, user, 1).await;
    assert!(!calls.is_empty(), "the failed call is recorded");
    assert!(calls.iter().all(|c| c.5 == "upstream"), "{calls:?}");
    assert_eq!(e.ai(&token, "summarise", "x").await.status(), 422);
    assert_eq!(e.ai("not-a-token", "review", "x").await.status(), 401);
    // The hosted_ai flag off for this user: 403.
    sqlx::query("INSERT INTO feature_flag_overrides (flag, user_id, enabled) VALUES ('hosted_ai', $1, false)")
        .bind(user)
        .execute(&e.pool)
        .await
        .expect("override");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(e.ai(&token, "review", "x").await.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_bullet_point_limit_and_the_users_budget_refuse_with_402() {
    let e = Env::start().await;
    let (c, _) = e.account("fa@example.com").await;
    let token = c.access_token().expect("token");
    e.sql("UPDATE plans SET points_daily_limit = 2, jd_matching_limit = 100").await;
    for i in 0..2 {
        assert_eq!(e.ai(&token, "generate_points", &format!("points {i}")).await.status(), 200);
    }
    let r = e.ai(&token, "generate_points", "points 3").await;
    assert_eq!(r.status(), 402);
    let body: LimitReached = r.json().await.expect("body");
    assert_eq!((body.feature.as_str(), body.limit, body.used), ("bullet_points", 2, 2));
    // The refused call took no JD matching either (all or none).
    let usage: UsageResponse = e.get(&c, "/api/billing/usage").await;
    let jd = usage.items.iter().find(|i| i.feature == "jd_matching").expect("jd");
    assert_eq!(jd.used, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_coupon_with_5_uses_gives_exactly_5_of_50_parallel_redemptions() {
    let e = Env::start().await;
    let state = e.state().await;
    let code = qoder_server::billing::coupons::create(
        &e.pool,
        &state.billing.stripe,
        qoder_server::billing::coupons::NewCoupon {
            code: "spring20".into(),
            kind: "percentage".into(),
            value: 20,
            min_order_cents: Some(500),
            max_uses: Some(5),
            valid_from: None,
            valid_to: Some(chrono::Utc::now() + chrono::Duration::days(30)),
        },
    )
    .await
    .expect("create");
    assert_eq!(code, "SPRING20");
    // Mirrored to Stripe: a coupon and a promotion code with the same code.
    let reqs = e.stripe.received_requests().await.expect("requests");
    let promo = reqs.iter().find(|r| r.url.path() == "/v1/promotion_codes").expect("promo");
    let body = String::from_utf8_lossy(&promo.body);
    assert!(body.contains("code=SPRING20") && body.contains("coupon=co_test_1"), "{body}");
    let mut users = Vec::new();
    for i in 0..50 {
        let id = Uuid::now_v7();
        sqlx::query("INSERT INTO users (id, email, password_hash) VALUES ($1, $2, 'x')")
            .bind(id)
            .bind(format!("u{i}@example.com"))
            .execute(&e.pool)
            .await
            .expect("user");
        users.push(id);
    }
    let tries = users.iter().map(|u| {
        let pool = e.pool.clone();
        let u = *u;
        tokio::spawn(async move {
            qoder_server::billing::coupons::redeem(&pool, "spring20", u, 1000).await
        })
    });
    let results = futures_util::future::join_all(tries).await;
    let ok = results.iter().filter(|r| matches!(r, Ok(Ok(_)))).count();
    assert_eq!(ok, 5);
    let used: i32 = sqlx::query_scalar("SELECT used_count FROM coupons WHERE code = 'SPRING20'")
        .fetch_one(&e.pool)
        .await
        .expect("used");
    assert_eq!(used, 5);
    let refusal =
        results.into_iter().find_map(|r| r.expect("task").err()).expect("a refusal").to_string();
    assert!(refusal.contains("used up"), "{refusal}");

    // Through checkout: the promotion code goes to Stripe; the minimum order and a second use
    // by the same account are refused with their reasons.
    sqlx::query("UPDATE coupons SET max_uses = 10 WHERE code = 'SPRING20'")
        .execute(&e.pool)
        .await
        .expect("more");
    let (c, _) = e.account("gi@example.com").await;
    c.checkout("pro_monthly", Some("Spring20")).await.expect("checkout with coupon");
    let reqs = e.stripe.received_requests().await.expect("requests");
    let session = reqs.iter().rfind(|r| r.url.path() == "/v1/checkout/sessions").expect("session");
    assert!(
        String::from_utf8_lossy(&session.body)
            .contains("discounts%5B0%5D%5Bpromotion_code%5D=promo_test_1")
    );
    let again = c.checkout("pro_monthly", Some("SPRING20")).await.expect_err("twice");
    assert!(again.to_string().contains("already used"), "{again}");
    let unknown = c.checkout("pro_monthly", Some("NOPE99")).await.expect_err("unknown");
    assert!(unknown.to_string().contains("no such coupon"), "{unknown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flags_follow_plan_and_user_overrides_and_changes_reach_the_cache_at_once() {
    let e = Env::start().await;
    let (c, user) = e.account("hu@example.com").await;
    let flags = c.flags().await.expect("flags").flags;
    assert_eq!(flags.get("hosted_ai"), Some(&true));
    assert_eq!(flags.get("bulk_upload"), Some(&false)); // Pro only
    // Pro by a subscription: the plan override applies.
    e.subscribe(user, "pro_monthly").await;
    assert_eq!(c.flags().await.expect("flags").flags.get("bulk_upload"), Some(&true));
    // A change is announced and the 10-minute cache is dropped: seen within moments.
    sqlx::query("INSERT INTO feature_flag_overrides (flag, user_id, enabled) VALUES ('bulk_upload', $1, false)")
        .bind(user)
        .execute(&e.pool)
        .await
        .expect("override");
    let mut seen = false;
    for _ in 0..40 {
        if c.flags().await.expect("flags").flags.get("bulk_upload") == Some(&false) {
            seen = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(seen, "the user override did not reach the cache");
    sqlx::query("INSERT INTO feature_flags (key, enabled) VALUES ('new_editor', true)")
        .execute(&e.pool)
        .await
        .expect("flag");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(c.flags().await.expect("flags").flags.get("new_editor"), Some(&true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reconcile_repairs_a_missed_event() {
    let e = Env::start().await;
    let (_c, user) = e.account("io@example.com").await;
    e.customer(user).await;
    *e.subscription.lock().expect("s") =
        subscription_object("sub_r", "cus_test_1", "price_half", "active", false);
    let state = e.state().await;
    let n = qoder_server::billing::subscriptions::reconcile(
        &e.pool,
        &state.billing.stripe,
        &state.billing.prices,
    )
    .await
    .expect("reconcile");
    assert_eq!(n, 1);
    let plan = qoder_server::billing::plans::plan_of(&e.pool, user).await.expect("plan");
    assert_eq!(plan, "pro_halfyearly");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn billing_without_stripe_settings_answers_503_and_plans_still_list() {
    let db = TestDb::create().await;
    let server = Server::start(&common::config(&db)).await;
    let base = &server.base;
    let http = reqwest::Client::new();
    let r = http.get(format!("{base}/api/billing/plans")).send().await.expect("plans");
    assert_eq!(r.status(), 200);
    let plans: PlansResponse = r.json().await.expect("json");
    assert!(plans.plans.iter().all(|p| !p.purchasable));
    let c = Client::new(base).expect("client");
    c.register("jo@example.com", PASSWORD, Uuid::now_v7()).await.expect("register");
    assert_eq!(c.checkout("pro_monthly", None).await.expect_err("503").status(), Some(503));
    let r = http.post(format!("{base}/api/billing/webhook")).body("{}").send().await.expect("post");
    assert_eq!(r.status(), 503);
    let r = http
        .post(format!("{base}/v1/ai/complete"))
        .bearer_auth(c.access_token().expect("token"))
        .json(&json!({"feature": "review", "tier_model": "basic", "system": "s", "prompt": "p",
            "max_output_tokens": 10, "temperature": 0.0}))
        .send()
        .await
        .expect("ai");
    assert_eq!(r.status(), 503);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn call_records_queued_at_shutdown_are_written_before_serve_returns() {
    let e = Env::start().await;
    let (c, user) = e.account("ka@example.com").await;
    let token = c.access_token().expect("token");
    e.sql("UPDATE plans SET jd_matching_limit = NULL").await;
    // A model with a list price, so the calls cost something.
    let mut priced = openai_answer("{\"ok\":true}");
    priced["model"] = json!("gpt-4o-mini");
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(priced))
        .with_priority(1)
        .mount(&e.provider)
        .await;
    // The writer cannot write while this transaction holds the table: the records stay queued.
    let mut lock = PgConnection::connect(&e.db.url()).await.expect("connect");
    sqlx::raw_sql("BEGIN; LOCK TABLE ai_calls IN EXCLUSIVE MODE")
        .execute(&mut lock)
        .await
        .expect("lock");
    let calls = (0..30).map(|i| {
        let http = e.http.clone();
        let (base, token) = (e.base.clone(), token.clone());
        async move {
            http.post(format!("{base}/v1/ai/complete"))
                .bearer_auth(token)
                .json(&json!({"feature": "rewrite", "tier_model": "basic", "system": "s",
                    "prompt": format!("bullet {i}"), "max_output_tokens": 50, "temperature": 0.0}))
                .send()
                .await
                .expect("call")
                .status()
        }
    });
    let statuses = futures_util::future::join_all(calls).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert!(ai_calls_of(&e.pool, user, 0).await.is_empty(), "written despite the lock");
    let release = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        sqlx::raw_sql("COMMIT").execute(&mut lock).await.expect("unlock");
    });
    e.server.shut_down().await;
    // serve returned only after the queued records were written: none lost.
    let written: i64 = sqlx::query_scalar("SELECT count(*) FROM ai_calls WHERE user_id = $1")
        .bind(user)
        .fetch_one(&e.pool)
        .await
        .expect("count");
    assert_eq!(written, 30);
    // The spend of the batch went to the user's and everyone's rows of today.
    let (calls_cost, user_spend, all_spend): (f64, f64, f64) = sqlx::query_as(
        "SELECT (SELECT sum(cost_usd) FROM ai_calls), \
                (SELECT cost_usd FROM ai_daily_spend WHERE scope = $1), \
                (SELECT cost_usd FROM ai_daily_spend WHERE scope = 'all')",
    )
    .bind(user.to_string())
    .fetch_one(&e.pool)
    .await
    .expect("spend");
    assert!(calls_cost > 0.0);
    assert!((user_spend - calls_cost).abs() < 1e-9 && (all_spend - calls_cost).abs() < 1e-9);
    release.await.expect("release");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sql_admission_takes_the_meters_the_plans_define() {
    use qoder_server::billing::{plans, usage};
    use qoder_server::hosted_ai::{Admitted, admit};
    let e = Env::start().await;
    // Distinct limits, so a refusal names which limit it hit.
    sqlx::query(
        "UPDATE plans SET points_daily_limit = 3, jd_matching_limit = 4 + sort_order, \
         resume_analysis_limit = 10 + sort_order",
    )
    .execute(&e.pool)
    .await
    .expect("limits");
    let now = chrono::Utc::now();
    for plan in plans::all(&e.pool, &Default::default()).await.expect("plans") {
        for feature in ["review", "generate_points", "rewrite"] {
            let (_c, user) = e.account(&format!("{}-{feature}@example.com", plan.id)).await;
            if plan.id != plans::FREE {
                e.subscribe(user, &plan.id).await;
            }
            let features = usage::features_for(feature).expect("served");
            let (plan_id, _, admitted) =
                admit(&e.pool, &e.config, user, features, now).await.expect("admit");
            assert_eq!((plan_id.as_str(), &admitted), (plan.id.as_str(), &Admitted::Taken));
            let expected = usage::meters_for(feature, &plan, now).expect("meters");
            let mut taken: Vec<(String, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
                "SELECT feature, period_start FROM usage_counters WHERE user_id = $1 AND used = 1",
            )
            .bind(user)
            .fetch_all(&e.pool)
            .await
            .expect("counters");
            taken.sort();
            let mut want: Vec<_> =
                expected.iter().map(|m| (m.feature.to_string(), m.start)).collect();
            want.sort();
            assert_eq!(taken, want, "{} {feature}", plan.id);
            // At the limit of the first meter: refused with that meter's limit and reset time.
            let first = &expected[0];
            let limit = first.limit.expect("limited");
            sqlx::query("UPDATE usage_counters SET used = $2 WHERE user_id = $1 AND feature = $3")
                .bind(user)
                .bind(i32::try_from(limit).expect("small"))
                .bind(first.feature)
                .execute(&e.pool)
                .await
                .expect("exhaust");
            let (_, _, admitted) =
                admit(&e.pool, &e.config, user, features, now).await.expect("admit");
            let Admitted::Limit(r) = admitted else {
                panic!("{} {feature}: {admitted:?}", plan.id)
            };
            assert_eq!(
                (r.feature, r.limit, r.used, r.resets_at),
                (first.feature, limit, limit, first.resets_at)
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hosted_ai_calls_count_against_the_per_user_rate_limit_like_every_request() {
    let e = Env::start_with(|c| c.api_rate_limit = 4).await;
    let (c, user) = e.account("la@example.com").await;
    let token = c.access_token().expect("token");
    // Counted too: a refused parameter and a malformed body (they end before the admission).
    assert_eq!(e.ai(&token, "summarise", "x").await.status(), 422);
    let r = e.http.post(e.url("/v1/ai/complete")).bearer_auth(&token).body("{").send().await;
    assert_eq!(r.expect("post").status(), 415);
    for i in 0..2 {
        assert_eq!(e.ai(&token, "review", &format!("resume {i}")).await.status(), 200);
    }
    // The fifth request of the minute: 429 with Retry-After, and no use taken.
    let r = e.ai(&token, "review", "resume 3").await;
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"].to_str().expect("ascii").parse().expect("secs");
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(e.used(user, "resume_analysis").await, 2);
    // One window for every endpoint: the next request elsewhere is refused as well.
    let r = e.http.get(e.url("/api/billing/usage")).bearer_auth(&token).send().await;
    assert_eq!(r.expect("get").status(), 429);
}
