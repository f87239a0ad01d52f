//! The server as a whole: health, settings (flags, help, README) and the OpenAPI document.

use qoder_server::config::Config;
use serde_json::Value;

use crate::common::*;

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

/// Every key the TOML file accepts (in `section` if given), read from the error that names them
/// all.
fn setting_keys_in(section: Option<&str>) -> Vec<String> {
    let text = match section {
        Some(s) => format!("[{s}]\nno_such_setting = 1"),
        None => "no_such_setting = 1".to_string(),
    };
    let err = toml::from_str::<Config>(&text).expect_err("unknown key").to_string();
    let list = err.split("expected one of").nth(1).unwrap_or_else(|| panic!("{err}"));
    let keys: Vec<String> = list.split('`').skip(1).step_by(2).map(str::to_string).collect();
    assert!(keys.len() > 3, "{err}");
    keys
}

/// Tables of the settings file (`[jobs]`, `[alerts]`): environment and file only, no flags.
const SECTIONS: [&str; 2] = ["jobs", "alerts"];

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
    for key in setting_keys_in(None) {
        // The `[jobs]` and `[alerts]` tables: their keys are in the file and the environment.
        if SECTIONS.contains(&key.as_str()) {
            for sub in setting_keys_in(Some(&key)) {
                let var = format!("QODER_{}_{}", key.to_uppercase(), sub.to_uppercase());
                let row = format!("| `[{key}] {sub}` | `{var}` |");
                assert!(readme.contains(&row), "README has no row {row}");
                let src =
                    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/config.rs"))
                        .expect("config.rs");
                assert!(
                    src.contains(&format!("\"{var}\"")),
                    "{var} is not read from the environment"
                );
            }
            continue;
        }
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

/// Every process adds its requests to `traffic_minutes` (migration 0010): two servers on one
/// database, their answers, 5xx errors and latencies summed per minute and per hour.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_counted_across_processes() {
    use qoder_server::traffic;
    let db = TestDb::create().await;
    let config = config(&db);
    let (a, b) = (Server::start(&config).await, Server::start(&config).await);
    let http = reqwest::Client::new();
    let since = chrono::Utc::now() - chrono::TimeDelta::minutes(1);
    for _ in 0..3 {
        http.get(format!("{}/healthz", a.base)).send().await.expect("healthz");
    }
    for _ in 0..2 {
        http.get(format!("{}/nope", b.base)).send().await.expect("404");
    }
    let pool = a.pool.clone();
    // Shutting down writes what each process counted since its last flush.
    a.shut_down().await;
    b.shut_down().await;
    let w = traffic::window(&pool, since).await.expect("window");
    assert_eq!((w.requests, w.errors), (5, 0));
    assert!(w.p95_ms.is_some_and(|p| p > 0.0 && p <= 10_000.0), "{w:?}");

    // Errors are the 5xx answers; a second write to the same minute adds to it.
    let counter = traffic::Counter::new();
    counter.record(503, std::time::Duration::from_millis(2));
    counter.record(200, std::time::Duration::from_secs(3));
    counter.flush(&pool).await.expect("flush");
    let w = traffic::window(&pool, since).await.expect("window");
    assert_eq!((w.requests, w.errors), (7, 1));
    assert!((w.error_rate() - 1.0 / 7.0).abs() < 1e-9);

    let now = chrono::Utc::now();
    let hours = traffic::hourly(
        &pool,
        now - chrono::TimeDelta::hours(3),
        now + chrono::TimeDelta::hours(1),
    )
    .await
    .expect("hourly");
    assert_eq!(hours.len(), 4, "every hour listed, zeros included");
    assert_eq!(hours.iter().map(|h| h.requests).sum::<i64>(), 7);
    // The seven fall in this hour (or the last one too, when the test ran across o'clock).
    assert!((1..=2).contains(&hours.iter().filter(|h| h.requests > 0).count()), "{hours:?}");
}
