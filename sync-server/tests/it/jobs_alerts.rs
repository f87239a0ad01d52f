//! Background jobs and alerts: a rule fires and its notifications arrive at a webhook (a
//! wiremock server) and by email (a tiny SMTP server in this test), then resolve; a failing
//! webhook is retried with backoff, fails, is listed and replayed; two servers share the
//! queue without running a job twice; a job whose process died goes back to the queue; an
//! unknown kind fails at once.

use std::time::{Duration, Instant};

use qoder_server::config::Secret;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

/// A message the SMTP sink received: its envelope and its data (headers and body).
#[derive(Debug)]
struct Mail {
    from: String,
    to: Vec<String>,
    data: String,
}

impl Mail {
    /// The body as text (quoted-printable or base64 decoded).
    fn text(&self) -> String {
        let (head, body) = self.data.split_once("\n\n").unwrap_or((&self.data, ""));
        let head = head.to_ascii_lowercase();
        if head.contains("content-transfer-encoding: base64") {
            use base64::Engine;
            let joined: String = body.split_whitespace().collect();
            let bytes = base64::engine::general_purpose::STANDARD.decode(joined).expect("base64");
            String::from_utf8(bytes).expect("utf-8")
        } else if head.contains("content-transfer-encoding: quoted-printable") {
            let soft = body.replace("=\n", "");
            let b = soft.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < b.len() {
                let hex = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                if let (b'=', Some(Ok(v))) = (b[i], hex.map(|h| u8::from_str_radix(h, 16))) {
                    out.push(v);
                    i += 3;
                } else {
                    out.push(b[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).expect("utf-8")
        } else {
            body.to_string()
        }
    }
}

/// A local SMTP server that accepts every message (220, EHLO/HELO, MAIL, RCPT, DATA, RSET,
/// NOOP, QUIT) and hands it over on the channel; its port.
async fn smtp_sink() -> (u16, mpsc::UnboundedReceiver<Mail>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink.test ESMTP ready\r\n").await?;
                let (mut from, mut to, mut data) = (String::new(), Vec::new(), None::<String>);
                while let Some(line) = lines.next_line().await? {
                    if let Some(buf) = data.as_mut() {
                        if line == "." {
                            let mail = Mail {
                                from: std::mem::take(&mut from),
                                to: std::mem::take(&mut to),
                                data: std::mem::take(buf),
                            };
                            data = None;
                            let _ = tx.send(mail);
                            w.write_all(b"250 2.0.0 queued\r\n").await?;
                        } else {
                            // Dot-unstuffing (RFC 5321 4.5.2).
                            buf.push_str(line.strip_prefix('.').unwrap_or(&line));
                            buf.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink.test\r\n250 8BITMIME\r\n",
                        "HELO" => b"250 sink.test\r\n",
                        "MAIL" => {
                            from = line.clone();
                            b"250 2.1.0 sender ok\r\n"
                        }
                        "RCPT" => {
                            to.push(line.clone());
                            b"250 2.1.5 recipient ok\r\n"
                        }
                        "DATA" => {
                            data = Some(String::new());
                            b"354 end data with <CR><LF>.<CR><LF>\r\n"
                        }
                        "QUIT" => {
                            w.write_all(b"221 2.0.0 bye\r\n").await?;
                            break;
                        }
                        "RSET" | "NOOP" => b"250 2.0.0 ok\r\n",
                        _ => b"502 5.5.2 not implemented\r\n",
                    };
                    w.write_all(reply).await?;
                }
                Ok::<_, std::io::Error>(())
            });
        }
    });
    (port, rx)
}

/// The JSON bodies the webhook received, in order.
async fn hooks(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/hook")
        .map(|r| serde_json::from_slice(&r.body).expect("a JSON notification"))
        .collect()
}

async fn wait_for<T>(what: &str, secs: u64, mut f: impl AsyncFnMut() -> Option<T>) -> T {
    let end = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(Instant::now() < end, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn admin(s: &TestServer, email: &str) -> String {
    let (c, _) = s.account(email).await;
    sqlx::query("UPDATE users SET role = 'admin' WHERE email = $1")
        .bind(email)
        .execute(&s.pool)
        .await
        .expect("promote");
    c.refresh().await.expect("refresh");
    c.access_token().expect("token")
}

async fn get(s: &TestServer, token: &str, p: &str) -> Value {
    call(s, token, Method::GET, p).await.1
}

async fn call(s: &TestServer, token: &str, m: Method, p: &str) -> (u16, Value) {
    let r = s.http.request(m, s.url(p)).bearer_auth(token).send().await.expect("send");
    let status = r.status().as_u16();
    (status, r.json().await.expect("json"))
}

/// This month's hosted-AI spend, all users (what the budget rule reads).
async fn set_month_spend(s: &TestServer, usd: f64) {
    sqlx::query("DELETE FROM ai_daily_spend WHERE scope = 'all'")
        .execute(&s.pool)
        .await
        .expect("clear");
    if usd > 0.0 {
        sqlx::query(
            "INSERT INTO ai_daily_spend (day, scope, cost_usd)
             VALUES ((now() AT TIME ZONE 'UTC')::date, 'all', $1)",
        )
        .bind(usd)
        .execute(&s.pool)
        .await
        .expect("spend");
    }
}

/// Rules evaluated every second; only the budget rule can fire (the others' thresholds are out
/// of reach); fast retries.
fn alerting(c: &mut qoder_server::config::Config, webhook: &str, smtp_port: Option<u16>) {
    c.ai_global_daily_budget_usd = 1.0;
    c.alerts.interval_secs = 1;
    c.alerts.failed_jobs = 1_000_000;
    c.alerts.disk_free_share = 0.0;
    c.alerts.webhook_url = Secret::new(webhook);
    if let Some(port) = smtp_port {
        c.alerts.smtp_url = Secret::new(format!("smtp://127.0.0.1:{port}"));
        c.alerts.email_from = "alerts@qoder.test".into();
        c.alerts.email_to = vec!["ops@example.com".into(), "oncall@example.com".into()];
    }
    c.jobs.poll_ms = 50;
    c.jobs.max_attempts = 3;
    c.jobs.retry_base_secs = 1;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_fires_and_resolves_with_a_webhook_call_and_an_email_each_time() {
    let hook = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&hook)
        .await;
    let (smtp_port, mut mails) = smtp_sink().await;
    let url = format!("{}/hook", hook.uri());
    let s = TestServer::start_with(|c| alerting(c, &url, Some(smtp_port))).await;
    let token = admin(&s, "root@example.com").await;

    // Nothing fires while the spend is low.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let a = get(&s, &token, "/api/admin/alerts").await;
    assert_eq!(a["firing"], 0, "{a}");
    assert_eq!(a["channels"], json!({"webhook": true, "email": true}));
    let budget =
        a["rules"].as_array().unwrap().iter().find(|r| r["rule"] == "ai_budget").unwrap().clone();
    assert_eq!((budget["state"].as_str(), budget["threshold"].as_f64()), (Some("ok"), Some(0.9)));
    assert!(hooks(&hook).await.is_empty());

    // $1,000 against a budget of $1 a day: firing.
    set_month_spend(&s, 1000.0).await;
    let fired =
        wait_for("the firing webhook", 15, async || hooks(&hook).await.into_iter().next()).await;
    let days: f64 = sqlx::query_scalar(
        "SELECT extract(day FROM date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month' - interval '1 day')::float8",
    )
    .fetch_one(&s.pool)
    .await
    .unwrap();
    let mut keys: Vec<&str> = fired.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "fired_at",
            "message",
            "name",
            "resolved_at",
            "rule",
            "runbook",
            "severity",
            "state",
            "threshold",
            "unit",
            "value"
        ]
    );
    assert_eq!(fired["rule"], "ai_budget");
    assert_eq!(fired["state"], "firing");
    assert_eq!(fired["severity"], "critical");
    assert_eq!(fired["threshold"], 0.9);
    assert!((fired["value"].as_f64().unwrap() - 1000.0 / days).abs() < 1e-9, "{fired}");
    assert!(fired["message"].as_str().unwrap().contains("$1000.00"), "{fired}");
    let runbook = fired["runbook"].as_str().unwrap();
    assert!(
        runbook.starts_with("What it means: ")
            && runbook.contains("What to do: Raise ai_global_daily_budget_usd"),
        "{runbook}"
    );
    assert!(fired["fired_at"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().is_ok());
    assert!(fired["resolved_at"].is_null());

    let mail = tokio::time::timeout(Duration::from_secs(15), mails.recv())
        .await
        .expect("an email")
        .expect("mail");
    assert!(mail.from.contains("<alerts@qoder.test>"), "{mail:?}");
    assert_eq!(mail.to.len(), 2, "{mail:?}");
    assert!(
        mail.data.contains("Subject: [qoder-server] FIRING: Hosted-AI spend vs budget (critical)"),
        "{}",
        mail.data
    );
    let text = mail.text();
    assert!(
        text.contains("Runbook (ai_budget)") && text.contains("What to check: The LLM cost screen"),
        "{text}"
    );
    assert!(text.contains("$1000.00"), "{text}");

    // The console's view: firing since, the value, the runbook, one history row.
    let a = get(&s, &token, "/api/admin/alerts").await;
    assert_eq!(a["firing"], 1);
    let budget =
        a["rules"].as_array().unwrap().iter().find(|r| r["rule"] == "ai_budget").unwrap().clone();
    assert_eq!(budget["state"], "firing");
    assert!(budget["since"].is_string() && budget["value"].as_f64().unwrap() > 0.9);
    assert!(budget["runbook"]["meaning"].as_str().unwrap().contains("UTC month"));
    assert_eq!(a["history"].as_array().unwrap().len(), 1);
    assert_eq!(a["history"][0]["state"], "firing");
    // Still firing a few evaluations later: no second notification.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(hooks(&hook).await.len(), 1);
    let h = get(&s, &token, "/api/admin/health").await;
    assert_eq!(h["alerts_firing"], 1);

    // Spend back under the threshold: resolved, and notified once more on both channels.
    set_month_spend(&s, 0.0).await;
    let resolved =
        wait_for("the resolved webhook", 15, async || hooks(&hook).await.get(1).cloned()).await;
    assert_eq!(
        (resolved["rule"].as_str(), resolved["state"].as_str()),
        (Some("ai_budget"), Some("resolved"))
    );
    assert_eq!(resolved["fired_at"], fired["fired_at"]);
    assert!(resolved["resolved_at"].is_string());
    let mail = tokio::time::timeout(Duration::from_secs(15), mails.recv())
        .await
        .expect("a second email")
        .expect("mail");
    assert!(mail.data.contains("RESOLVED: Hosted-AI spend vs budget"), "{}", mail.data);
    assert!(mail.text().contains("What to do:"));
    let a = get(&s, &token, "/api/admin/alerts").await;
    assert_eq!(a["firing"], 0);
    assert_eq!(a["history"][0]["state"], "resolved");
    assert!(a["history"][0]["resolved_at"].is_string());

    // Four notification jobs, all done at their first try.
    let done = wait_for("four done jobs", 10, async || {
        let page = get(&s, &token, "/api/admin/jobs?state=done").await;
        (page["jobs"].as_array().unwrap().len() == 4).then_some(page)
    })
    .await;
    let kinds: Vec<&str> =
        done["jobs"].as_array().unwrap().iter().map(|j| j["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "alert.webhook").count(), 2, "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| **k == "alert.email").count(), 2, "{kinds:?}");
    assert!(done["jobs"].as_array().unwrap().iter().all(|j| j["attempts"] == 1));
    let email_jobs = get(&s, &token, "/api/admin/jobs?kind=alert.email&limit=1").await;
    assert_eq!(email_jobs["jobs"].as_array().unwrap().len(), 1);
    assert!(email_jobs["next"].is_i64(), "a second page: {email_jobs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_webhook_is_retried_then_failed_listed_and_replayed() {
    let hook = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(500).set_body_string("down for maintenance"))
        .mount(&hook)
        .await;
    let url = format!("{}/hook", hook.uri());
    let s = TestServer::start_with(|c| alerting(c, &url, None)).await;
    let token = admin(&s, "root@example.com").await;
    set_month_spend(&s, 1000.0).await;

    // Three tries (1 s, then 2 s apart), then failed.
    let failed = wait_for("a failed job", 30, async || {
        let page = get(&s, &token, "/api/admin/jobs?state=failed").await;
        page["jobs"].as_array().unwrap().first().cloned()
    })
    .await;
    assert_eq!(
        (failed["kind"].as_str(), failed["attempts"].as_i64()),
        (Some("alert.webhook"), Some(3))
    );
    assert!(failed["last_error"].as_str().unwrap().contains("500"), "{failed}");
    assert!(failed["finished_at"].is_string());
    assert_eq!(hooks(&hook).await.len(), 3, "one request per try");
    let id = failed["id"].as_i64().unwrap();
    let d = get(&s, &token, &format!("/api/admin/jobs/{id}")).await;
    assert_eq!(d["payload"]["rule"], "ai_budget");
    assert_eq!(d["payload"]["state"], "firing");
    let errors = d["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 3);
    assert_eq!(
        errors.iter().map(|e| e["attempt"].as_i64().unwrap()).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert!(errors.iter().all(|e| e["error"].as_str().unwrap().contains("down for maintenance")));
    // The backoff doubled: the third try came at least 2 s after the second.
    let at = |i: usize| {
        errors[i]["at"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap()
    };
    assert!((at(2) - at(1)).num_milliseconds() >= 1900, "{errors:?}");
    assert!((at(1) - at(0)).num_milliseconds() >= 900, "{errors:?}");
    // The queue's figures: one failed, in the health answer and the Prometheus gauges.
    let h = get(&s, &token, "/api/admin/health").await;
    assert_eq!(h["jobs"]["failed"], 1, "{h}");
    let metrics = s
        .http
        .get(s.url("/metrics"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("qoder_jobs{state=\"failed\"} 1"), "{metrics}");
    assert!(metrics.contains("qoder_alerts_firing 1"), "{metrics}");

    // Not failed: nothing to replay (409); no such job: 404.
    let (status, body) = call(&s, &token, Method::POST, "/api/admin/jobs/999999/replay").await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));

    // The endpoint is fixed; the replay goes through.
    hook.reset().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&hook)
        .await;
    let (status, replayed) =
        call(&s, &token, Method::POST, &format!("/api/admin/jobs/{id}/replay")).await;
    assert_eq!(status, 200, "{replayed}");
    assert_eq!(replayed["state"], "queued");
    assert_eq!(replayed["attempts"], 0);
    assert_eq!(replayed["errors"].as_array().unwrap().len(), 3, "the history is kept");
    let done = wait_for("the replayed job done", 15, async || {
        let d = get(&s, &token, &format!("/api/admin/jobs/{id}")).await;
        (d["state"] == "done").then_some(d)
    })
    .await;
    assert_eq!(done["attempts"], 1);
    let got = hooks(&hook).await;
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0]["rule"].as_str(), got[0]["state"].as_str()),
        (Some("ai_budget"), Some("firing"))
    );
    let (status, body) =
        call(&s, &token, Method::POST, &format!("/api/admin/jobs/{id}/replay")).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("conflict")), "{body}");
    // Audited once, with the job as target.
    let trail = get(&s, &token, "/api/admin/audit?action=admin.job_replayed").await;
    let entries = trail["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["target"], format!("job:{id}"));
    assert_eq!(entries[0]["details"]["attempts"], 3);
    // Bad filters are refused.
    let (status, _) = call(&s, &token, Method::GET, "/api/admin/jobs?state=lost").await;
    assert_eq!(status, 422);
}

/// An alert notification as the webhook job carries it.
fn note(message: &str) -> Value {
    json!({
        "rule": "db_size", "name": "Database size", "severity": "warning", "state": "firing",
        "value": 1.0, "threshold": 0.5, "unit": "bytes", "message": message, "runbook": "none",
        "fired_at": chrono::Utc::now(), "resolved_at": null,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutdown_lets_the_running_job_finish() {
    let hook = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .mount(&hook)
        .await;
    let db = TestDb::create().await;
    let mut c = config(&db);
    alerting(&mut c, &format!("{}/hook", hook.uri()), None);
    c.alerts.interval_secs = 0;
    let server = Server::start(&c).await;
    let pool = server.pool.clone();
    let id = qoder_server::jobs::enqueue(&pool, "alert.webhook", &note("slow")).await.unwrap();
    let state = async || -> String {
        sqlx::query_scalar("SELECT state FROM jobs WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    wait_for("the job running", 10, async || (state().await == "running").then_some(())).await;
    server.shut_down().await;
    assert_eq!(state().await, "done", "the worker finished its job before serve returned");
    assert_eq!(hooks(&hook).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_the_queue_and_each_job_runs_once() {
    let hook = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&hook)
        .await;
    let url = format!("{}/hook", hook.uri());
    let s = TestServer::start_with(|c| {
        alerting(c, &url, None);
        c.alerts.interval_secs = 0;
        c.jobs.poll_ms = 20;
    })
    .await;
    let second = Server::start(&s.config).await;
    let n = 40;
    let notification = note("test");
    let mut tx = s.pool.begin().await.unwrap();
    for i in 0..n {
        let mut p = notification.clone();
        p["message"] = json!(format!("job {i}"));
        qoder_server::jobs::enqueue(&mut *tx, "alert.webhook", &p).await.unwrap();
    }
    tx.commit().await.unwrap();
    wait_for("every job done", 30, async || {
        let done: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs WHERE state = 'done'")
            .fetch_one(&s.pool)
            .await
            .unwrap();
        (done == n).then_some(())
    })
    .await;
    let got = hooks(&hook).await;
    let mut messages: Vec<String> =
        got.iter().map(|v| v["message"].as_str().unwrap().to_string()).collect();
    messages.sort();
    messages.dedup();
    assert_eq!((got.len(), messages.len()), (n as usize, n as usize), "each job ran exactly once");
    let tries: i64 =
        sqlx::query_scalar("SELECT sum(attempts) FROM jobs").fetch_one(&s.pool).await.unwrap();
    assert_eq!(tries, n);
    second.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_processs_job_is_queued_again_and_unknown_kinds_fail_at_once() {
    let s = TestServer::start_with(|c| {
        c.alerts.interval_secs = 0;
        c.jobs.poll_ms = 50;
        c.jobs.retention_every_hours = 24;
    })
    .await;
    let token = admin(&s, "root@example.com").await;
    // The scheduler enqueued one retention run at start, and the worker ran it.
    let run = wait_for("the scheduled retention run", 20, async || {
        let page = get(&s, &token, "/api/admin/jobs?kind=retention.run&state=done").await;
        page["jobs"].as_array().unwrap().first().cloned()
    })
    .await;
    assert_eq!(run["attempts"], 1);
    let runs = get(&s, &token, "/api/admin/audit?action=admin.retention_run&limit=500").await;
    assert!(!runs["entries"].as_array().unwrap().is_empty(), "the run is audited per policy");
    let scheduled: i64 =
        sqlx::query_scalar("SELECT count(*) FROM jobs WHERE kind = 'retention.run'")
            .fetch_one(&s.pool)
            .await
            .unwrap();
    assert_eq!(scheduled, 1, "one run a day, not one per sweep");

    // A job some process claimed and never finished (its lease ran out a minute ago).
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO jobs (kind, state, attempts, lease_id, locked_until)
         VALUES ('retention.run', 'running', 1, $1, now() - interval '1 minute') RETURNING id",
    )
    .bind(Uuid::now_v7())
    .fetch_one(&s.pool)
    .await
    .unwrap();
    assert!(qoder_server::jobs::sweep(&s.pool).await.unwrap() >= 1);
    let d = wait_for("the abandoned job done", 20, async || {
        let d = get(&s, &token, &format!("/api/admin/jobs/{id}")).await;
        (d["state"] == "done").then_some(d)
    })
    .await;
    assert_eq!(d["attempts"], 2, "the lost try counts");
    assert!(d["errors"][0]["error"].as_str().unwrap().contains("lease ran out"), "{d}");

    // An unknown kind: failed at its first try, saying why.
    let id = qoder_server::jobs::enqueue(&s.pool, "mystery.work", &json!({"x": 1})).await.unwrap();
    let d = wait_for("the unknown kind failed", 20, async || {
        let d = get(&s, &token, &format!("/api/admin/jobs/{id}")).await;
        (d["state"] == "failed").then_some(d)
    })
    .await;
    assert_eq!(d["attempts"], 1);
    assert!(d["last_error"].as_str().unwrap().contains("unknown job kind \"mystery.work\""), "{d}");
    assert_eq!(d["payload"], json!({"x": 1}));
}

/// Adds a minute of traffic as another process would (`traffic_minutes`): `requests` answers,
/// `errors` of them 5xx, all in one latency bucket (`bucket` of the 12).
async fn traffic(s: &TestServer, minutes_ago: i64, requests: i64, errors: i64, bucket: usize) {
    use qoder_server::traffic;
    let mut buckets = vec![0_i64; traffic::BUCKET_COUNT];
    buckets[bucket] = requests;
    let minute = chrono::Utc::now() - chrono::TimeDelta::minutes(minutes_ago);
    traffic::add_minutes(&s.pool, &[minute], &[requests], &[errors], &buckets)
        .await
        .expect("traffic");
}

/// Rules every second, the disk rule off, the HTTP rules judged from 50 requests.
fn http_rules_every_second(c: &mut qoder_server::config::Config) {
    c.alerts.interval_secs = 1;
    c.alerts.disk_free_share = 0.0;
    c.alerts.min_requests = 50;
}

fn rule_of<'a>(alerts: &'a Value, id: &str) -> &'a Value {
    alerts["rules"].as_array().unwrap().iter().find(|r| r["rule"] == id).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_http_rules_read_every_processs_traffic_of_the_last_5_minutes() {
    let s = TestServer::start_with(http_rules_every_second).await;
    let token = admin(&s, "root@example.com").await;
    // 30 answers, all 5xx, 2 minutes ago: too few to judge (min_requests = 50).
    traffic(&s, 2, 30, 30, 0).await;
    let a = wait_for("the quiet evaluation", 10, async || {
        let a = get(&s, &token, "/api/admin/alerts").await;
        let m = rule_of(&a, "http_error_rate")["message"].as_str().unwrap_or("").to_string();
        m.contains("not judged").then_some(a)
    })
    .await;
    assert_eq!(rule_of(&a, "http_error_rate")["state"], "ok", "{a}");
    // 200 more answers 3 minutes ago, 40 of them 5xx, slow (2.5–5 s): 70 of 230+ fail.
    traffic(&s, 3, 200, 40, 9).await;
    // And a minute 20 minutes ago that must not count.
    traffic(&s, 20, 10_000, 10_000, 11).await;
    let a = wait_for("both HTTP rules firing", 15, async || {
        let a = get(&s, &token, "/api/admin/alerts").await;
        (rule_of(&a, "http_error_rate")["state"] == "firing"
            && rule_of(&a, "http_p95_latency")["state"] == "firing")
            .then_some(a)
    })
    .await;
    let rate = rule_of(&a, "http_error_rate")["value"].as_f64().unwrap();
    assert!(rate > 0.2 && rate < 0.31, "70 of at least 230 answers, not the old minute: {rate}");
    let p95 = rule_of(&a, "http_p95_latency")["value"].as_f64().unwrap();
    assert!((3000.0..=5000.0).contains(&p95), "{p95}");
    assert_eq!(a["firing"], 2);
    // Those minutes leave the window: both resolve.
    sqlx::query("DELETE FROM traffic_minutes WHERE minute < date_trunc('minute', now()) - interval '1 minute'")
        .execute(&s.pool)
        .await
        .unwrap();
    let a = wait_for("both resolved", 15, async || {
        let a = get(&s, &token, "/api/admin/alerts").await;
        (a["firing"] == 0).then_some(a)
    })
    .await;
    let resolved: Vec<&str> = a["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["state"] == "resolved")
        .map(|h| h["rule"].as_str().unwrap())
        .collect();
    assert!(resolved.contains(&"http_error_rate") && resolved.contains(&"http_p95_latency"), "{a}");
}

/// The console's live socket tells of an alert as it fires (its severity) and resolves (info):
/// `health-alert` frames naming the rule.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_socket_tells_when_an_alert_fires_and_resolves() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let s = TestServer::start_with(http_rules_every_second).await;
    let token = admin(&s, "root@example.com").await;
    let url = format!("{}/api/admin/live?access_token={token}", s.base.replace("http://", "ws://"));
    let (mut live, _) = tokio_tungstenite::connect_async(url).await.expect("live socket");
    let mut next_alert = async move || loop {
        let frame = tokio::time::timeout(Duration::from_secs(30), live.next())
            .await
            .expect("a health-alert within 30 s")
            .expect("open")
            .expect("frame");
        if let Message::Text(text) = frame {
            let v: Value = serde_json::from_str(&text).unwrap();
            if v["type"] == "health-alert" {
                return v;
            }
        }
    };
    // Every answer of 3 minutes ago a 5xx: the error-rate rule fires.
    traffic(&s, 3, 300, 300, 0).await;
    let fired = next_alert().await;
    assert_eq!(fired["rule"], "http_error_rate", "{fired}");
    assert_eq!(fired["level"], "critical", "{fired}");
    assert!(fired["message"].as_str().unwrap().starts_with("HTTP error rate: "), "{fired}");
    sqlx::query("DELETE FROM traffic_minutes").execute(&s.pool).await.unwrap();
    let resolved = next_alert().await;
    assert_eq!(
        (resolved["rule"].as_str(), resolved["level"].as_str()),
        (Some("http_error_rate"), Some("info"))
    );
    assert_eq!(resolved["message"], "HTTP error rate: resolved");
}
