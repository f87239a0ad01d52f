//! Every provider against a local wiremock server speaking its wire format: whole and streamed
//! answers, 401, 429 with Retry-After, 500, timeouts, malformed answers, an unreachable server;
//! then failover, the cache, the spend limit and hot swapping across providers.

use qoder_domain::CodedError;
use qoder_llm::{
    ApiKey, Call, Event, HttpConfig, HttpProvider, Ledger, LlmError, Provider, ProviderConfig,
    ProviderKind, Request, Router, Tier, TierModels, Usage,
};
use serde_json::json;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wiremock::matchers::{body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "test-key-0123456789";

struct Server {
    rt: tokio::runtime::Runtime,
    mock: MockServer,
}

impl Server {
    fn start() -> Server {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let mock = rt.block_on(MockServer::start());
        Server { rt, mock }
    }
    fn mount(&self, m: Mock) {
        self.rt.block_on(m.mount(&self.mock));
    }
    fn uri(&self) -> String {
        self.mock.uri()
    }
    fn verify(&self) {
        self.rt.block_on(self.mock.verify());
    }
    fn requests(&self) -> usize {
        self.rt.block_on(self.mock.received_requests()).map_or(0, |r| r.len())
    }
}

/// What differs between the four wire formats, for the shared cases.
struct Spec {
    kind: ProviderKind,
    path: &'static str,
    stream_path: &'static str,
    auth: (&'static str, String),
    ok: serde_json::Value,
    stream: String,
    /// A part of the request body the provider must send.
    body: serde_json::Value,
}

fn sse(events: &[(&str, serde_json::Value)]) -> String {
    events
        .iter()
        .map(|(e, d)| {
            if e.is_empty() {
                format!("data: {d}\n\n")
            } else {
                format!("event: {e}\ndata: {d}\n\n")
            }
        })
        .collect()
}

fn specs() -> Vec<Spec> {
    vec![
        Spec {
            kind: ProviderKind::OpenaiCompatible,
            path: "/v1/chat/completions",
            stream_path: "/v1/chat/completions",
            auth: ("authorization", format!("Bearer {KEY}")),
            ok: json!({"id":"c1","object":"chat.completion","model":"m-basic",
                "choices":[{"index":0,"message":{"role":"assistant","content":"Hello world"},"finish_reason":"stop"}],
                "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}),
            stream: sse(&[
                (
                    "",
                    json!({"id":"c1","model":"m-basic","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}),
                ),
                (
                    "",
                    json!({"id":"c1","model":"m-basic","choices":[{"index":0,"delta":{"content":"Hello"}}]}),
                ),
                (
                    "",
                    json!({"id":"c1","model":"m-basic","choices":[{"index":0,"delta":{"content":" world"},"finish_reason":"stop"}]}),
                ),
                (
                    "",
                    json!({"id":"c1","model":"m-basic","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3}}),
                ),
            ]) + "data: [DONE]\n\n",
            body: json!({"model":"m-basic","messages":[{"role":"system","content":"sys"},{"role":"user","content":"hi"}]}),
        },
        Spec {
            kind: ProviderKind::Anthropic,
            path: "/v1/messages",
            stream_path: "/v1/messages",
            auth: ("x-api-key", KEY.to_string()),
            ok: json!({"id":"msg_1","type":"message","role":"assistant","model":"m-basic",
                "content":[{"type":"text","text":"Hello world"}],"stop_reason":"end_turn",
                "usage":{"input_tokens":12,"output_tokens":3}}),
            stream: sse(&[
                (
                    "message_start",
                    json!({"type":"message_start","message":{"id":"msg_1","model":"m-basic","usage":{"input_tokens":12,"output_tokens":1}}}),
                ),
                (
                    "content_block_start",
                    json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}),
                ),
                ("ping", json!({"type":"ping"})),
                (
                    "content_block_delta",
                    json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}),
                ),
                (
                    "content_block_delta",
                    json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" world"}}),
                ),
                ("content_block_stop", json!({"type":"content_block_stop","index":0})),
                (
                    "message_delta",
                    json!({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}),
                ),
                ("message_stop", json!({"type":"message_stop"})),
            ]),
            body: json!({"model":"m-basic","system":"sys","messages":[{"role":"user","content":"hi"}]}),
        },
        Spec {
            kind: ProviderKind::Gemini,
            path: "/v1beta/models/m-basic:generateContent",
            stream_path: "/v1beta/models/m-basic:streamGenerateContent",
            auth: ("x-goog-api-key", KEY.to_string()),
            ok: json!({"candidates":[{"content":{"role":"model","parts":[{"text":"Hello"},{"text":" world"}]},"finishReason":"STOP"}],
                "usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":3,"totalTokenCount":15},"modelVersion":"m-basic"}),
            stream: sse(&[
                (
                    "",
                    json!({"candidates":[{"content":{"role":"model","parts":[{"text":"Hello"}]}}],"modelVersion":"m-basic"}),
                ),
                (
                    "",
                    json!({"candidates":[{"content":{"role":"model","parts":[{"text":" world"}]},"finishReason":"STOP"}],
                    "usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":3},"modelVersion":"m-basic"}),
                ),
            ]),
            body: json!({"systemInstruction":{"parts":[{"text":"sys"}]},"contents":[{"role":"user","parts":[{"text":"hi"}]}]}),
        },
        Spec {
            kind: ProviderKind::Hosted,
            path: "/v1/ai/complete",
            stream_path: "/v1/ai/complete",
            auth: ("authorization", format!("Bearer {KEY}")),
            ok: json!({"text":"Hello world","model":"m-basic","usage":{"input_tokens":12,"output_tokens":3},"cost_usd":0.0001}),
            stream: sse(&[
                ("delta", json!({"text":"Hello"})),
                ("delta", json!({"text":" world"})),
                (
                    "done",
                    json!({"model":"m-basic","usage":{"input_tokens":12,"output_tokens":3},"cost_usd":0.0001}),
                ),
            ]),
            body: json!({"feature":"test","tier_model":"m-basic","system":"sys","prompt":"hi"}),
        },
    ]
}

fn base_for(kind: ProviderKind, uri: &str) -> String {
    match kind {
        ProviderKind::OpenaiCompatible => format!("{uri}/v1"),
        _ => uri.to_string(),
    }
}

fn provider_with(kind: ProviderKind, uri: &str, http: HttpConfig) -> HttpProvider {
    let mut cfg = ProviderConfig::new(kind, Some(&base_for(kind, uri))).unwrap();
    cfg.models =
        TierModels { basic: "m-basic".into(), standard: "m-std".into(), premium: "m-pro".into() };
    HttpProvider::with_key(cfg, ApiKey::new(KEY), http).unwrap()
}

fn provider(kind: ProviderKind, uri: &str) -> HttpProvider {
    provider_with(kind, uri, HttpConfig::fast())
}

fn request(stream: bool) -> Request {
    Request {
        feature: "test".into(),
        system: "sys".into(),
        prompt: "hi".into(),
        model: "m-basic".into(),
        max_output_tokens: 100,
        temperature: 0.2,
        json: false,
        stream,
    }
}

fn complete(
    p: &HttpProvider,
    stream: bool,
) -> (Result<qoder_llm::Completion, LlmError>, Vec<String>) {
    let mut deltas = Vec::new();
    let r = p.complete(&request(stream), &mut |d: &str| deltas.push(d.to_string()));
    (r, deltas)
}

#[test]
fn whole_answers_in_each_wire_format() {
    for s in specs() {
        let srv = Server::start();
        srv.mount(
            Mock::given(method("POST"))
                .and(path(s.path))
                .and(header(s.auth.0, s.auth.1.as_str()))
                .and(body_partial_json(s.body.clone()))
                .respond_with(ResponseTemplate::new(200).set_body_json(s.ok.clone()))
                .expect(1),
        );
        if s.kind == ProviderKind::Anthropic {
            srv.mount(
                Mock::given(header("anthropic-version", "2023-06-01"))
                    .respond_with(ResponseTemplate::new(418))
                    .expect(0)
                    .with_priority(200),
            );
        }
        let (r, deltas) = complete(&provider(s.kind, &srv.uri()), false);
        let c = r.unwrap_or_else(|e| panic!("{:?}: {e}", s.kind));
        assert_eq!(c.text, "Hello world", "{:?}", s.kind);
        assert_eq!((c.tokens_in, c.tokens_out), (Some(12), Some(3)), "{:?}", s.kind);
        assert_eq!(c.model, "m-basic");
        assert!(deltas.is_empty());
        srv.verify();
    }
}

#[test]
fn streamed_answers_arrive_as_deltas() {
    for s in specs() {
        let srv = Server::start();
        let mut m = Mock::given(method("POST"))
            .and(path(s.stream_path))
            .and(header(s.auth.0, s.auth.1.as_str()))
            .and(body_partial_json(s.body.clone()));
        if s.kind == ProviderKind::Gemini {
            m = m.and(query_param("alt", "sse"));
        } else {
            m = m.and(body_partial_json(json!({"stream": true})));
            if s.kind == ProviderKind::OpenaiCompatible {
                m = m.and(body_partial_json(json!({"stream_options": {"include_usage": true}})));
            }
        }
        srv.mount(
            m.respond_with(
                ResponseTemplate::new(200).set_body_raw(s.stream.clone(), "text/event-stream"),
            )
            .expect(1),
        );
        let (r, deltas) = complete(&provider(s.kind, &srv.uri()), true);
        let c = r.unwrap_or_else(|e| panic!("{:?}: {e}", s.kind));
        assert_eq!(c.text, "Hello world", "{:?}", s.kind);
        assert_eq!(deltas, vec!["Hello", " world"], "{:?}", s.kind);
        assert_eq!((c.tokens_in, c.tokens_out), (Some(12), Some(3)), "{:?}", s.kind);
        if s.kind == ProviderKind::Hosted {
            assert_eq!(c.cost_usd, Some(0.0001));
        }
        srv.verify();
    }
}

fn path_of(s: &Spec) -> &'static str {
    s.path
}

#[test]
fn unauthorized_is_not_retried_and_never_shows_the_key() {
    for s in specs() {
        for status in [401u16, 403] {
            let srv = Server::start();
            srv.mount(
                Mock::given(method("POST"))
                    .and(path(path_of(&s)))
                    .respond_with(ResponseTemplate::new(status).set_body_json(
                        json!({"error":{"message":format!("Incorrect API key provided: {KEY}")}}),
                    ))
                    .expect(1),
            );
            let (r, _) = complete(&provider(s.kind, &srv.uri()), false);
            let e = r.unwrap_err();
            assert!(
                matches!(e, LlmError::Unauthorized { status: st, .. } if st == status),
                "{e:?}"
            );
            assert_eq!(e.code(), qoder_domain::ErrorCode::Unauthorized);
            assert!(!e.to_string().contains(KEY) && !format!("{e:?}").contains(KEY));
            srv.verify();
        }
    }
}

#[test]
fn rate_limits_honour_retry_after_then_defer_when_too_long() {
    for s in specs() {
        // Retry-After: 1 → one wait of a second, then the answer.
        let srv = Server::start();
        srv.mount(
            Mock::given(method("POST"))
                .and(path(s.path))
                .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
                .up_to_n_times(1)
                .with_priority(1)
                .expect(1),
        );
        srv.mount(
            Mock::given(method("POST"))
                .and(path(s.path))
                .respond_with(ResponseTemplate::new(200).set_body_json(s.ok.clone()))
                .expect(1),
        );
        let t = Instant::now();
        let (r, _) = complete(&provider(s.kind, &srv.uri()), false);
        assert_eq!(r.unwrap().text, "Hello world");
        assert!(t.elapsed() >= Duration::from_millis(950), "{:?}", t.elapsed());
        srv.verify();

        // Retry-After longer than we wait: no retry, RateLimited with the delay.
        let srv = Server::start();
        srv.mount(
            Mock::given(method("POST"))
                .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120"))
                .expect(1),
        );
        let (r, _) = complete(&provider(s.kind, &srv.uri()), false);
        match r.unwrap_err() {
            LlmError::RateLimited { retry_after, .. } => {
                assert_eq!(retry_after, Some(Duration::from_secs(120)))
            }
            e => panic!("{e:?}"),
        }
        srv.verify();
    }
}

#[test]
fn server_errors_are_retried_with_backoff_then_reported() {
    for s in specs() {
        let srv = Server::start();
        srv.mount(
            Mock::given(method("POST"))
                .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
                .expect(3), // first try + 2 retries
        );
        let (r, _) = complete(&provider(s.kind, &srv.uri()), false);
        let e = r.unwrap_err();
        assert!(matches!(e, LlmError::ProviderUnavailable { .. }), "{e:?}");
        assert!(e.to_string().contains("HTTP 500"), "{e}");
        srv.verify();

        // One 503, then fine.
        let srv = Server::start();
        srv.mount(
            Mock::given(method("POST"))
                .respond_with(ResponseTemplate::new(503))
                .up_to_n_times(1)
                .with_priority(1),
        );
        srv.mount(
            Mock::given(method("POST"))
                .respond_with(ResponseTemplate::new(200).set_body_json(s.ok.clone())),
        );
        let (r, _) = complete(&provider(s.kind, &srv.uri()), false);
        assert_eq!(r.unwrap().text, "Hello world");
        assert_eq!(srv.requests(), 2);
    }
}

#[test]
fn a_slow_server_times_out_quickly() {
    let http = HttpConfig {
        max_retries: 1,
        read_timeout: Duration::from_millis(300),
        ..HttpConfig::fast()
    };
    for s in specs() {
        let srv = Server::start();
        srv.mount(
            Mock::given(method("POST")).respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(s.ok.clone())
                    .set_delay(Duration::from_secs(3)),
            ),
        );
        let t = Instant::now();
        let (r, _) = complete(&provider_with(s.kind, &srv.uri(), http.clone()), false);
        let e = r.unwrap_err();
        assert!(matches!(e, LlmError::ProviderUnavailable { .. }), "{e:?}");
        assert!(e.to_string().contains("no answer within 300 ms"), "{e}");
        assert!(t.elapsed() < Duration::from_millis(1500), "{:?}", t.elapsed());
    }
}

#[test]
fn malformed_answers_are_clear_errors() {
    for s in specs() {
        for (body, ctype, what) in [
            ("{not json", "application/json", "not JSON"),
            ("{\"unexpected\": true}", "application/json", ""),
        ] {
            let srv = Server::start();
            srv.mount(
                Mock::given(method("POST"))
                    .respond_with(ResponseTemplate::new(200).set_body_raw(body, ctype)),
            );
            let (r, _) = complete(&provider(s.kind, &srv.uri()), false);
            let e = r.unwrap_err();
            assert!(matches!(e, LlmError::MalformedResponse { .. }), "{:?} {e:?}", s.kind);
            assert!(e.to_string().contains(what), "{e}");
        }
        // A stream of garbage.
        let srv = Server::start();
        srv.mount(Mock::given(method("POST")).respond_with(
            ResponseTemplate::new(200).set_body_raw("data: {oops\n\n", "text/event-stream"),
        ));
        let (r, _) = complete(&provider(s.kind, &srv.uri()), true);
        let e = r.unwrap_err();
        assert!(e.to_string().contains("not JSON"), "{:?} {e}", s.kind);
    }
}

#[test]
fn oversized_answers_are_refused() {
    let http = HttpConfig { max_response_bytes: 2_000, ..HttpConfig::fast() };
    let srv = Server::start();
    let huge = json!({"choices":[{"message":{"content":"x".repeat(10_000)}}]});
    srv.mount(
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(huge)),
    );
    let p = provider_with(ProviderKind::OpenaiCompatible, &srv.uri(), http.clone());
    let e = p.complete(&request(false), &mut |_: &str| {}).unwrap_err();
    assert!(
        matches!(e, LlmError::MalformedResponse { .. })
            && e.to_string().contains("over 2000 bytes"),
        "{e}"
    );
    // Streamed: the cap holds across events.
    let srv = Server::start();
    let many = format!("data: {}\n\n", json!({"choices":[{"delta":{"content":"y".repeat(100)}}]}))
        .repeat(100);
    srv.mount(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(many, "text/event-stream")),
    );
    let p = provider_with(ProviderKind::OpenaiCompatible, &srv.uri(), http);
    let e = p.complete(&request(true), &mut |_: &str| {}).unwrap_err();
    assert!(e.to_string().contains("over 2000 bytes"), "{e}");
}

#[test]
fn stream_error_events_map_to_their_category() {
    let srv = Server::start();
    let body = sse(&[
        (
            "message_start",
            json!({"type":"message_start","message":{"model":"m","usage":{"input_tokens":1}}}),
        ),
        (
            "error",
            json!({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}),
        ),
    ]);
    srv.mount(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream")),
    );
    let e = provider(ProviderKind::Anthropic, &srv.uri())
        .complete(&request(true), &mut |_: &str| {})
        .unwrap_err();
    assert!(
        matches!(e, LlmError::ProviderUnavailable { .. })
            && e.to_string().contains("overloaded_error"),
        "{e}"
    );

    let srv = Server::start();
    let body =
        sse(&[("error", json!({"code":"budget_exceeded","message":"monthly AI allowance used"}))]);
    srv.mount(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream")),
    );
    let e = provider(ProviderKind::Hosted, &srv.uri())
        .complete(&request(true), &mut |_: &str| {})
        .unwrap_err();
    assert!(matches!(e, LlmError::BudgetExceeded { .. }), "{e:?}");

    // The hosted service's 402 is budget_exceeded too.
    let srv = Server::start();
    srv.mount(
        Mock::given(method("POST")).respond_with(
            ResponseTemplate::new(402)
                .set_body_json(json!({"code":"budget_exceeded","message":"plan limit reached"})),
        ),
    );
    let e = provider(ProviderKind::Hosted, &srv.uri())
        .complete(&request(false), &mut |_: &str| {})
        .unwrap_err();
    assert!(
        matches!(e, LlmError::BudgetExceeded { .. })
            && e.to_string().contains("plan limit reached"),
        "{e}"
    );

    // A plan's limit (`limit_reached`) keeps its figures for the app's upgrade prompt.
    let srv = Server::start();
    srv.mount(Mock::given(method("POST")).respond_with(ResponseTemplate::new(402).set_body_json(
        json!({"code": "limit_reached",
            "message": "your plan's jd matching limit is reached (7 of 7)",
            "feature": "jd_matching", "limit": 7, "used": 7,
            "resets_at": "2027-01-01T00:00:00Z", "upgrade_url": "https://qoder.example/upgrade"}),
    )));
    let e = provider(ProviderKind::Hosted, &srv.uri())
        .complete(&request(false), &mut |_: &str| {})
        .unwrap_err();
    assert_eq!(e.code(), qoder_domain::ErrorCode::LimitReached, "{e:?}");
    let body = e.body();
    let limit = body.limit.expect("the limit's figures");
    assert_eq!((limit.feature.as_str(), limit.limit, limit.used), ("jd_matching", 7, 7));
    assert_eq!(limit.resets_at.to_rfc3339(), "2027-01-01T00:00:00+00:00");
    assert!(body.message.contains("(7 of 7)"), "{}", body.message);
    // Wrapped in a failover run, the first failure's figures are kept.
    let all = LlmError::AllFailed { attempts: vec![("hosted".into(), e)] };
    assert_eq!(all.code(), qoder_domain::ErrorCode::LimitReached);
    assert_eq!(all.body().limit.map(|l| l.used), Some(7));
}

#[test]
fn an_unreachable_server_fails_fast() {
    // A port nothing listens on: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let t = Instant::now();
    let p = provider(ProviderKind::OpenaiCompatible, &format!("http://127.0.0.1:{port}"));
    let e = p.complete(&request(false), &mut |_: &str| {}).unwrap_err();
    assert!(
        matches!(e, LlmError::ProviderUnavailable { .. })
            && e.to_string().contains("cannot connect"),
        "{e}"
    );
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[test]
fn a_missing_key_is_reported_for_providers_that_need_one() {
    let keys = qoder_llm::KeySource { env_override: None, keychain: false, session: None };
    let cfg = ProviderConfig::new(ProviderKind::Anthropic, None).unwrap();
    let e = HttpProvider::new(cfg, &keys, HttpConfig::fast()).unwrap_err();
    assert!(
        matches!(e, LlmError::MissingKey { .. })
            && e.to_string().contains("qoder ai key set anthropic")
    );
    // A local OpenAI-compatible server needs none, and gets no Authorization header.
    let srv = Server::start();
    srv.mount(
        Mock::given(header("authorization", format!("Bearer {KEY}").as_str()))
            .respond_with(ResponseTemplate::new(500))
            .expect(0),
    );
    srv.mount(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(specs()[0].ok.clone())),
    );
    let cfg =
        ProviderConfig::new(ProviderKind::OpenaiCompatible, Some(&format!("{}/v1", srv.uri())))
            .unwrap();
    let p = HttpProvider::new(cfg, &keys, HttpConfig::fast()).unwrap();
    assert_eq!(p.complete(&request(false), &mut |_: &str| {}).unwrap().text, "Hello world");
    srv.verify();
}

// ---- failover, cache, budget --------------------------------------------------------------

#[derive(Default)]
struct MemLedger {
    cache: RefCell<HashMap<String, String>>,
    usage: RefCell<Vec<Usage>>,
    limits: HashMap<String, f64>,
    spent: RefCell<HashMap<String, f64>>,
}

impl Ledger for MemLedger {
    fn cached(&self, key: &str) -> Option<String> {
        self.cache.borrow().get(key).cloned()
    }
    fn store(&self, key: &str, text: &str) {
        self.cache.borrow_mut().insert(key.into(), text.into());
    }
    fn spent_today(&self, provider: &str) -> f64 {
        self.spent.borrow().get(provider).copied().unwrap_or(0.0)
    }
    fn daily_limit(&self, provider: &str) -> Option<f64> {
        self.limits.get(provider).copied()
    }
    fn record(&self, u: &Usage) {
        *self.spent.borrow_mut().entry(u.provider.clone()).or_default() += u.cost_usd;
        self.usage.borrow_mut().push(u.clone());
    }
}

fn call(prompt: &str) -> Call {
    Call {
        feature: "generate_points".into(),
        system: "sys".into(),
        prompt: prompt.into(),
        tier: Tier::Basic,
        max_output_tokens: 200,
        temperature: 0.2,
        json: false,
        stream: false,
    }
}

fn ok_validate(_: &str) -> Result<(), String> {
    Ok(())
}

fn run(
    router: &Router,
    c: &Call,
    ledger: &MemLedger,
) -> (Result<qoder_llm::Answer, LlmError>, Vec<String>) {
    let mut log = Vec::new();
    let r = router.run(c, &ok_validate, ledger, &mut |e| match e {
        Event::Attempt { provider, .. } => log.push(format!("try {provider}")),
        Event::Failover { provider, .. } => log.push(format!("fail {provider}")),
        Event::Delta(_) => {}
    });
    (r, log)
}

#[test]
fn failover_switches_on_unavailable_and_the_cache_answers_next_time() {
    let a = Server::start();
    let b = Server::start();
    // Two runs reach A (3 tries each: the first and 2 retries) before B's answer.
    a.mount(Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).expect(6));
    b.mount(
        Mock::given(method("POST"))
            .and(path("/v1/messages"))
            .respond_with(ResponseTemplate::new(200).set_body_json(specs()[1].ok.clone()))
            .expect(1),
    );
    let router = Router::new(vec![
        Arc::new(provider(ProviderKind::OpenaiCompatible, &a.uri())) as Arc<dyn Provider>,
        Arc::new(provider(ProviderKind::Anthropic, &b.uri())),
    ]);
    let ledger = MemLedger::default();
    let (r, log) = run(&router, &call("p1"), &ledger);
    let ans = r.unwrap();
    assert_eq!(
        (ans.provider.as_str(), ans.text.as_str(), ans.cached),
        ("anthropic", "Hello world", false)
    );
    assert_eq!(log, ["try openai-compatible", "fail openai-compatible", "try anthropic"]);
    assert_eq!(ans.failed.len(), 1);
    // Usage: the failed call and the good one.
    let u = ledger.usage.borrow().clone();
    assert_eq!(u.len(), 2);
    assert_eq!((u[0].outcome.as_str(), u[1].outcome.as_str()), ("upstream", "ok"));
    assert_eq!((u[1].tokens_in, u[1].tokens_out), (12, 3));
    assert!(u[1].cost_usd == 0.0); // m-basic has no list price and no configured price

    // Same prompt again: provider A still fails (it has no cached answer), B's answer is cached.
    let (r, _) = run(&router, &call("p1"), &ledger);
    let ans = r.unwrap();
    assert!(ans.cached && ans.provider == "anthropic");
    assert!(ledger.usage.borrow().last().unwrap().cache_hit);
    // The cache is per provider: with B alone first, the key is the same as before → hit.
    router.set_providers(vec![
        Arc::new(provider(ProviderKind::Anthropic, &b.uri())) as Arc<dyn Provider>
    ]);
    let (r, _) = run(&router, &call("p1"), &ledger);
    assert!(r.unwrap().cached);
    a.verify();
    b.verify();
}

#[test]
fn hot_swapped_providers_are_used_by_the_next_run_and_cache_keys_are_per_provider() {
    let a = Server::start();
    let b = Server::start();
    a.mount(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(specs()[0].ok.clone()))
            .expect(1),
    );
    b.mount(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(specs()[2].ok.clone()))
            .expect(1),
    );
    let router = Router::new(vec![
        Arc::new(provider(ProviderKind::OpenaiCompatible, &a.uri())) as Arc<dyn Provider>
    ]);
    let ledger = MemLedger::default();
    assert_eq!(run(&router, &call("q"), &ledger).0.unwrap().provider, "openai-compatible");
    router.set_providers(vec![
        Arc::new(provider(ProviderKind::Gemini, &b.uri())) as Arc<dyn Provider>
    ]);
    let ans = run(&router, &call("q"), &ledger).0.unwrap();
    assert_eq!((ans.provider.as_str(), ans.cached), ("gemini", false));
    a.verify();
    b.verify();
}

#[test]
fn a_spent_daily_limit_switches_provider_without_calling_it() {
    let a = Server::start();
    let b = Server::start();
    a.mount(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(specs()[0].ok.clone()))
            .expect(0),
    );
    b.mount(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(specs()[2].ok.clone()))
            .expect(1),
    );
    let mut cfg =
        ProviderConfig::new(ProviderKind::OpenaiCompatible, Some(&format!("{}/v1", a.uri())))
            .unwrap();
    cfg.models = TierModels::single("gpt-4o"); // list price: $2.50 / $10 per Mtok
    let pa = HttpProvider::with_key(cfg, ApiKey::new(KEY), HttpConfig::fast()).unwrap();
    let router = Router::new(vec![
        Arc::new(pa) as Arc<dyn Provider>,
        Arc::new(provider(ProviderKind::Gemini, &b.uri())),
    ]);
    let ledger = MemLedger {
        limits: HashMap::from([("openai-compatible".to_string(), 0.50)]),
        ..MemLedger::default()
    };
    ledger.spent.borrow_mut().insert("openai-compatible".into(), 0.4999);
    let (r, log) = run(&router, &call("z"), &ledger);
    assert_eq!(r.unwrap().provider, "gemini");
    assert_eq!(log, ["fail openai-compatible", "try gemini"]);
    // With no other provider: budget_exceeded, a clear message.
    router.set_providers(router.providers().into_iter().take(1).collect());
    let e = run(&router, &call("z2"), &ledger).0.unwrap_err();
    assert!(
        matches!(e, LlmError::BudgetExceeded { .. })
            && e.to_string().contains("daily limit of $0.50"),
        "{e}"
    );
    assert_eq!(e.code(), qoder_domain::ErrorCode::BudgetExceeded);
    a.verify();
    b.verify();
}

#[test]
fn rate_limited_defers_instead_of_switching() {
    let a = Server::start();
    let b = Server::start();
    a.mount(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "60"))
            .expect(1),
    );
    b.mount(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(specs()[1].ok.clone()))
            .expect(0),
    );
    let router = Router::new(vec![
        Arc::new(provider(ProviderKind::Gemini, &a.uri())) as Arc<dyn Provider>,
        Arc::new(provider(ProviderKind::Anthropic, &b.uri())),
    ]);
    let e = run(&router, &call("r"), &MemLedger::default()).0.unwrap_err();
    assert!(
        matches!(e, LlmError::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(60)),
        "{e:?}"
    );
    a.verify();
    b.verify();
}

#[test]
fn refused_answers_are_not_cached_and_fail_over() {
    let a = Server::start();
    let b = Server::start();
    a.mount(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(specs()[0].ok.clone()))
            .expect(2),
    );
    b.mount(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(specs()[3].ok.clone()))
            .expect(2),
    );
    let router = Router::new(vec![
        Arc::new(provider(ProviderKind::OpenaiCompatible, &a.uri())) as Arc<dyn Provider>,
        Arc::new(provider(ProviderKind::Hosted, &b.uri())),
    ]);
    let ledger = MemLedger::default();
    let never = |_: &str| -> Result<(), String> { Err("no points array".into()) };
    for _ in 0..2 {
        let e = router.run(&call("v"), &never, &ledger, &mut |_| {}).unwrap_err();
        assert!(matches!(&e, LlmError::AllFailed { attempts } if attempts.len() == 2), "{e:?}");
        assert!(e.to_string().contains("no points array"), "{e}");
        assert_eq!(e.code(), qoder_domain::ErrorCode::Upstream);
    }
    assert!(ledger.cache.borrow().is_empty());
    // Spend is recorded even for refused answers (the hosted provider reported a cost).
    assert!(ledger.spent_today("hosted") > 0.0);
    a.verify();
    b.verify();
}

#[test]
fn no_providers_is_its_own_error() {
    let e = Router::default()
        .run(&call("x"), &ok_validate, &MemLedger::default(), &mut |_| {})
        .unwrap_err();
    assert!(matches!(e, LlmError::NoProvider));
}

/// Optional: a real Ollama (OpenAI-compatible endpoint) when OLLAMA_URL is set.
#[test]
fn real_ollama_when_configured() {
    let Ok(url) = std::env::var("OLLAMA_URL") else {
        println!("SKIPPED real_ollama_when_configured: OLLAMA_URL is not set");
        return;
    };
    let model = std::env::var("OLLAMA_MODEL").unwrap_or_else(|_| "llama3.2".into());
    let mut cfg = ProviderConfig::new(
        ProviderKind::OpenaiCompatible,
        Some(&format!("{}/v1", url.trim_end_matches('/'))),
    )
    .unwrap();
    cfg.models = TierModels::single(&model);
    let http = HttpConfig { read_timeout: Duration::from_secs(120), ..HttpConfig::default() };
    let p = HttpProvider::with_key(cfg, None, http).unwrap();
    let mut req = request(true);
    req.model = model;
    req.prompt = "Reply with the single word: ready".into();
    let mut deltas = 0;
    let c = p.complete(&req, &mut |_: &str| deltas += 1).unwrap();
    println!("ollama answered {:?} in {deltas} deltas", c.text);
    assert!(!c.text.trim().is_empty() && deltas > 0);
}

#[test]
fn a_redirect_is_not_followed_so_no_key_header_goes_elsewhere() {
    // reqwest strips only Authorization on a cross-host redirect: x-api-key would follow.
    let front = Server::start();
    let elsewhere = Server::start();
    front.mount(
        Mock::given(method("POST")).respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/v1/messages", elsewhere.uri())),
        ),
    );
    let p = provider(ProviderKind::Anthropic, &front.uri());
    let (r, _) = complete(&p, false);
    assert!(r.is_err(), "a 3xx is an error, not followed");
    assert_eq!(elsewhere.requests(), 0, "nothing (and no key) reached the other host");
}

// ---- the async path (the server's hosted AI) ---------------------------------------------

fn complete_async(srv: &Server, p: &HttpProvider) -> Result<qoder_llm::Completion, LlmError> {
    let req = request(false);
    let fut = p.complete_async(&req).expect("HTTP providers have an async path");
    srv.rt.block_on(fut)
}

#[test]
fn the_async_path_answers_and_fails_as_the_blocking_one() {
    for s in specs() {
        // A whole answer, in each wire format, with the same request.
        let srv = Server::start();
        srv.mount(
            Mock::given(method("POST"))
                .and(path(s.path))
                .and(header(s.auth.0, s.auth.1.as_str()))
                .and(body_partial_json(s.body.clone()))
                .respond_with(ResponseTemplate::new(200).set_body_json(s.ok.clone()))
                .expect(1),
        );
        let c = complete_async(&srv, &provider(s.kind, &srv.uri())).unwrap();
        assert_eq!(
            (c.text.as_str(), c.tokens_in, c.tokens_out),
            ("Hello world", Some(12), Some(3))
        );
        srv.verify();
        assert!(provider(s.kind, &srv.uri()).complete_async(&request(true)).is_none(), "no stream");

        // 500: the first try and two retries, then unavailable; 401 is not retried.
        let srv = Server::start();
        srv.mount(
            Mock::given(method("POST"))
                .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
                .expect(3),
        );
        let e = complete_async(&srv, &provider(s.kind, &srv.uri())).unwrap_err();
        assert!(
            matches!(e, LlmError::ProviderUnavailable { .. }) && e.to_string().contains("HTTP 500"),
            "{e}"
        );
        srv.verify();
        let srv = Server::start();
        srv.mount(Mock::given(method("POST")).respond_with(ResponseTemplate::new(401)).expect(1));
        let e = complete_async(&srv, &provider(s.kind, &srv.uri())).unwrap_err();
        assert!(matches!(e, LlmError::Unauthorized { status: 401, .. }), "{e:?}");
        assert!(!format!("{e:?}").contains(KEY));
        srv.verify();

        // A Retry-After longer than we wait defers at once.
        let srv = Server::start();
        srv.mount(
            Mock::given(method("POST"))
                .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120"))
                .expect(1),
        );
        match complete_async(&srv, &provider(s.kind, &srv.uri())).unwrap_err() {
            LlmError::RateLimited { retry_after, .. } => {
                assert_eq!(retry_after, Some(Duration::from_secs(120)))
            }
            e => panic!("{e:?}"),
        }
        srv.verify();
    }
    // Too big, not JSON, too slow.
    let http = HttpConfig {
        max_response_bytes: 2_000,
        max_retries: 0,
        read_timeout: Duration::from_millis(300),
        ..HttpConfig::fast()
    };
    let srv = Server::start();
    let huge = json!({"choices":[{"message":{"content":"x".repeat(10_000)}}]});
    srv.mount(
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .respond_with(ResponseTemplate::new(200).set_body_json(huge)),
    );
    let p = provider_with(ProviderKind::OpenaiCompatible, &srv.uri(), http.clone());
    let e = complete_async(&srv, &p).unwrap_err();
    assert!(
        matches!(e, LlmError::MalformedResponse { .. })
            && e.to_string().contains("over 2000 bytes"),
        "{e}"
    );
    let srv = Server::start();
    srv.mount(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_raw("{not json", "application/json")),
    );
    let p = provider_with(ProviderKind::OpenaiCompatible, &srv.uri(), http.clone());
    assert!(complete_async(&srv, &p).unwrap_err().to_string().contains("not JSON"));
    let srv = Server::start();
    srv.mount(
        Mock::given(method("POST")).respond_with(
            ResponseTemplate::new(200)
                .set_body_json(specs()[0].ok.clone())
                .set_delay(Duration::from_secs(3)),
        ),
    );
    let p = provider_with(ProviderKind::OpenaiCompatible, &srv.uri(), http);
    let t = Instant::now();
    let e = complete_async(&srv, &p).unwrap_err();
    assert!(e.to_string().contains("no answer within 300 ms"), "{e}");
    assert!(t.elapsed() < Duration::from_millis(1500), "{:?}", t.elapsed());
}

/// A ledger that can be shared with an async run (the server's is of this kind).
#[derive(Default)]
struct SyncLedger {
    cache: std::sync::Mutex<HashMap<String, String>>,
    usage: std::sync::Mutex<Vec<Usage>>,
}

impl Ledger for SyncLedger {
    fn cached(&self, key: &str) -> Option<String> {
        self.cache.lock().unwrap().get(key).cloned()
    }
    fn store(&self, key: &str, text: &str) {
        self.cache.lock().unwrap().insert(key.into(), text.into());
    }
    fn spent_today(&self, _: &str) -> f64 {
        0.0
    }
    fn daily_limit(&self, _: &str) -> Option<f64> {
        None
    }
    fn record(&self, u: &Usage) {
        self.usage.lock().unwrap().push(u.clone());
    }
}

#[test]
fn the_async_run_fails_over_records_and_caches_like_the_blocking_run() {
    let a = Server::start();
    let b = Server::start();
    a.mount(Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).expect(3));
    b.mount(
        Mock::given(method("POST"))
            .and(path("/v1/messages"))
            .respond_with(ResponseTemplate::new(200).set_body_json(specs()[1].ok.clone()))
            .expect(2),
    );
    let router = Router::new(vec![
        Arc::new(provider(ProviderKind::OpenaiCompatible, &a.uri())) as Arc<dyn Provider>,
        Arc::new(provider(ProviderKind::Anthropic, &b.uri())),
    ]);
    let ledger = SyncLedger::default();
    let ans = a.rt.block_on(router.run_async(&call("p1"), &ok_validate, &ledger)).unwrap();
    assert_eq!(
        (ans.provider.as_str(), ans.text.as_str(), ans.cached),
        ("anthropic", "Hello world", false)
    );
    assert_eq!(ans.failed.len(), 1);
    let outcomes: Vec<String> =
        ledger.usage.lock().unwrap().iter().map(|u| u.outcome.clone()).collect();
    assert_eq!(outcomes, ["upstream", "ok"]);
    // The answer is cached: B alone, the same call, no request.
    router.set_providers(vec![
        Arc::new(provider(ProviderKind::Anthropic, &b.uri())) as Arc<dyn Provider>
    ]);
    let again = a.rt.block_on(router.run_async(&call("p1"), &ok_validate, &ledger)).unwrap();
    assert!(again.cached);
    // A refused answer fails over like any provider error, and is not cached.
    let refuse = |_: &str| Err::<(), String>("no \"summary\"".into());
    let e = a.rt.block_on(router.run_async(&call("p2"), &refuse, &ledger)).unwrap_err();
    assert!(matches!(e, LlmError::MalformedResponse { .. }), "{e:?}");
    assert_eq!(ledger.cache.lock().unwrap().len(), 1, "only p1's answer");
    a.verify();
    b.verify();
}
