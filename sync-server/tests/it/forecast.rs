//! The load forecast (`GET /api/admin/forecast`) on a fresh database: "not enough history"
//! before there is any, refused parameters, then 28 days of seeded load (requests and hosted-AI
//! calls) forecast 24 hours and 7 days ahead with the backtest; `qoder-server seed-history` and
//! its refusal of a database that already has history.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use qoder_server::forecast::{hour_of, seed};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::*;

/// A new admin account's access token (promoted in the database, then signed in again).
async fn admin_token(s: &TestServer) -> String {
    let email = "root@example.com";
    let secret = format!("{email}-{}", "s".repeat(40));
    let body = json!({"email": email, "secret": secret, "device_id": Uuid::now_v7()});
    let r = s.http.post(s.url("/api/auth/register")).json(&body).send().await.expect("send");
    assert_eq!(r.status(), 201);
    sqlx::query("UPDATE users SET role = 'admin' WHERE email = $1")
        .bind(email)
        .execute(&s.pool)
        .await
        .expect("promote");
    let body = json!({"email": email, "secret": secret, "device_id": Uuid::now_v7()});
    let r = s.http.post(s.url("/api/auth/login")).json(&body).send().await.expect("send");
    let pair: Value = r.json().await.expect("pair");
    pair["access_token"].as_str().expect("token").to_string()
}

async fn get(s: &TestServer, token: &str, query: &str) -> reqwest::Response {
    s.http
        .request(Method::GET, s.url(&format!("/api/admin/forecast{query}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("send")
}

async fn forecast(s: &TestServer, token: &str, query: &str) -> Value {
    let r = get(s, token, query).await;
    let status = r.status();
    let text = r.text().await.expect("body");
    assert_eq!(status, 200, "{query}: {text}");
    serde_json::from_str(&text).expect("json")
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().expect("time").parse().expect("rfc3339")
}

/// The forecast hours start at the current hour, one an hour, each inside its interval.
fn check_forecast(f: &Value, horizon: usize) {
    let hours = f["forecast"].as_array().expect("forecast");
    assert_eq!(hours.len(), horizon);
    let first = time(&hours[0]["hour"]);
    assert!(
        first == hour_of(Utc::now()) || first + chrono::TimeDelta::hours(1) == hour_of(Utc::now())
    );
    for (i, h) in hours.iter().enumerate() {
        assert_eq!(time(&h["hour"]), first + chrono::TimeDelta::hours(i as i64));
        let (l, v, u) = (
            h["lower"].as_f64().unwrap(),
            h["value"].as_f64().unwrap(),
            h["upper"].as_f64().unwrap(),
        );
        assert!(0.0 <= l && l <= v && v <= u, "hour {i}: {l} {v} {u}");
    }
    assert!(
        hours.iter().any(|h| h["upper"].as_f64() > h["lower"].as_f64()),
        "intervals have width"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_forecast_needs_history_then_forecasts_seeded_load_with_its_backtest() {
    let s = TestServer::start().await;
    let token = admin_token(&s).await;

    // No history yet: an answer without a forecast, not an error.
    for series in ["requests", "ai_calls"] {
        let f = forecast(&s, &token, &format!("?series={series}")).await;
        assert_eq!(
            (f["status"].as_str(), f["series"].as_str()),
            (Some("not_enough_history"), Some(series))
        );
        assert!(f["history_hours"].as_u64().unwrap() < 48 && f["needed_hours"] == 48);
        assert!(f["method"].is_null() && f["backtest"].is_null());
        assert_eq!(f["forecast"].as_array().map(Vec::len), Some(0));
        assert!(f["message"].as_str().unwrap().contains("not enough history"));
    }
    // Parameters outside the lists: 422 {code, message}.
    for bad in ["?series=cpu", "?horizon=48", "?horizon=x", "?series=requests&days=3"] {
        assert_eq!(error_of(get(&s, &token, bad).await).await, (422, "validation".into()), "{bad}");
    }

    // 28 days of load.
    let hours = seed::generate(Utc::now(), &seed::Options::default());
    let written = seed::write(&s.pool, &hours, 7).await.expect("seed");
    assert_eq!(written.hours, 28 * 24);
    let requests: HashMap<DateTime<Utc>, f64> =
        hours.iter().map(|h| (h.hour, h.requests as f64)).collect();

    let f = forecast(&s, &token, "?series=requests&horizon=24").await;
    assert_eq!(f["status"], "ok");
    assert_eq!(f["method"], "mstl_daily_weekly", "{}", f["method_label"]);
    assert_eq!(f["level"], 0.95);
    check_forecast(&f, 24);
    // The last 14 days as seeded (plus this test's own few requests, in its hour).
    let history = f["history"].as_array().expect("history");
    assert_eq!(history.len(), 14 * 24);
    for h in history {
        let seeded = requests.get(&time(&h["hour"])).copied().unwrap_or(0.0);
        let diff = h["value"].as_f64().unwrap() - seeded;
        assert!((0.0..100.0).contains(&diff), "{h}: seeded {seeded}");
    }
    let b = &f["backtest"];
    assert_eq!((b["metric"].as_str(), b["horizon"].as_u64()), (Some("mape"), Some(24)));
    let mape = b["value"].as_f64().unwrap();
    assert!(mape > 0.0 && mape < 15.0, "requests, 24 h: MAPE {mape:.2} %");
    // The next call is the kept answer.
    let again = forecast(&s, &token, "?series=requests&horizon=24").await;
    assert_eq!(again["generated_at"], f["generated_at"]);

    let f = forecast(&s, &token, "?series=ai_calls&horizon=168").await;
    assert_eq!(
        (f["status"].as_str(), f["method"].as_str()),
        (Some("ok"), Some("mstl_daily_weekly"))
    );
    check_forecast(&f, 168);
    let b = &f["backtest"];
    assert_eq!(b["horizon"], 168);
    let error = b["value"].as_f64().unwrap();
    assert!(error > 0.0 && error < 30.0, "AI calls, 7 days: {} {error:.2} %", b["metric"]);
    // The week ahead repeats the week's shape: weekdays above the weekend.
    let total: f64 =
        f["forecast"].as_array().unwrap().iter().map(|h| h["value"].as_f64().unwrap()).sum();
    assert!(
        total > 0.5 * written.ai_calls as f64 / 4.0,
        "{total} vs {} a week seeded",
        written.ai_calls / 4
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_history_fills_a_fresh_database_and_refuses_one_with_history() {
    let db = TestDb::create().await;
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_qoder-server"))
            .arg("seed-history")
            .args(args)
            .env("QODER_DATABASE_URL", db.url())
            .env_remove("QODER_JWT_SECRET")
            .env("QODER_LOG", "warn")
            .output()
            .expect("run qoder-server");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };
    let (ok, out) = run(&["--days", "2", "--seed", "3"]);
    assert!(ok && out.contains("seeded 48 hours"), "{out}");
    let pool = sqlx::PgPool::connect(&db.url()).await.expect("connect");
    let (minutes, calls): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM traffic_minutes), (SELECT count(*) FROM ai_calls)",
    )
    .fetch_one(&pool)
    .await
    .expect("counts");
    assert_eq!(minutes, 48 * 60);
    assert!(calls > 48, "{calls} AI calls");
    // Now it has history older than a day: refused, unless forced.
    let (ok, out) = run(&["--days", "2"]);
    assert!(!ok && out.contains("already has"), "{out}");
    let (ok, out) = run(&["--days", "1", "--force"]);
    assert!(ok, "{out}");
    pool.close().await;
}

/// The console's live socket carries the requests forecast (design "System Events":
/// `load-forecast-updated` with the prediction and its accuracy) once there is history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_socket_sends_the_load_forecast() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let s = TestServer::start().await;
    let token = admin_token(&s).await;
    let hours = seed::generate(Utc::now(), &seed::Options::default());
    seed::write(&s.pool, &hours, 7).await.expect("seed");
    let url = format!("{}/api/admin/live?access_token={token}", s.base.replace("http://", "ws://"));
    let (mut live, _) = tokio_tungstenite::connect_async(url).await.expect("live socket");
    let event = loop {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(20), live.next())
            .await
            .expect("the forecast within 20 s")
            .expect("open")
            .expect("frame");
        let Message::Text(text) = frame else { continue };
        let v: Value = serde_json::from_str(&text).unwrap();
        if v["type"] == "load-forecast-updated" {
            break v;
        }
    };
    let p = &event["prediction"];
    assert_eq!(p["series"], "requests", "{event}");
    assert_eq!(p["hours"].as_array().unwrap().len(), 24, "{event}");
    assert!(p["method"].as_str().unwrap().contains("MSTL"), "{event}");
    let accuracy = event["accuracy"].as_f64().unwrap();
    assert!((50.0..=100.0).contains(&accuracy), "{event}");
    assert!((accuracy + p["error"].as_f64().unwrap() - 100.0).abs() < 1e-9, "{event}");
}
