//! Calendar sync against local wiremock servers speaking Google Calendar v3's and Microsoft
//! Graph v1.0's wire formats (events JSON, their error bodies) and their OAuth token
//! endpoints' (RFC 6749 JSON answers and `{"error": "invalid_grant", …}` refusals): the whole
//! connect flow (the loopback redirect driven by a real HTTP GET carrying code and state, the
//! PKCE verifier checked against the challenge), an expired token refreshed, a 401 answered by
//! one refresh, 429 and 503 with Retry-After, events deleted in the calendar, updates, deletes,
//! failures recorded and retried, disconnect with and without removing the events.

use qoder_core::calendar::oauth::{self, Tokens};
use qoder_core::calendar::{
    self, CalendarError, CalendarProvider, ConnectPrompt, OAuthClient, RemoveEvents, vault,
};
use qoder_core::{Config, Store, job, schedule};
use qoder_domain::job::{Interview, InterviewKind, JobFields, NewInterview};
use qoder_domain::{CodedError, ErrorCode};
use qoder_llm::HttpConfig;
use serde_json::{Value, json};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::matchers::{body_partial_json, body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const GOOGLE_ID: &str = "1234-abc.apps.googleusercontent.com";
const GOOGLE_SECRET: &str = "GOCSPX-test-secret";
const OUTLOOK_ID: &str = "6731de76-14a6-49ae-97bc-6eba6914391e";
const EVENTS: &str = "/calendar/v3/calendars/primary/events";
const GRAPH_EVENTS: &str = "/v1.0/me/events";

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
    fn requests(&self) -> Vec<Request> {
        self.rt.block_on(self.mock.received_requests()).unwrap_or_default()
    }
    fn reset(&self) {
        self.rt.block_on(self.mock.reset());
    }
}

fn config(server: &Server) -> Config {
    let mut c = Config { open_browser: false, ..Config::default() };
    c.calendar.keychain = false;
    c.calendar.connect_timeout = Duration::from_secs(10);
    c.calendar.http = HttpConfig {
        read_timeout: Duration::from_secs(5),
        max_retries: 2,
        backoff_base: Duration::from_millis(10),
        backoff_max: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(3),
        ..HttpConfig::fast()
    };
    c.calendar.google = OAuthClient {
        client_id: Some(GOOGLE_ID.into()),
        client_secret: Some(GOOGLE_SECRET.into()),
        base_url: Some(server.uri()),
    };
    c.calendar.outlook = OAuthClient {
        client_id: Some(OUTLOOK_ID.into()),
        client_secret: None,
        base_url: Some(server.uri()),
    };
    c
}

fn new_store() -> (tempfile::TempDir, Mutex<Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, Mutex::new(store))
}

fn form(at: chrono::DateTime<chrono::Utc>) -> NewInterview {
    NewInterview {
        starts_at: Some(at),
        duration_minutes: Some(45),
        timezone: Some("Europe/London".into()),
        kind: Some(InterviewKind::Video),
        location: None,
        link: Some("https://meet.example.com/abc".into()),
        interviewers: vec!["Ada Lovelace".into()],
        notes: Some("Bring the portfolio".into()),
    }
}

fn add_interview(store: &Mutex<Store>) -> Interview {
    let mut s = store.lock().unwrap();
    let j = job::add(
        &mut s,
        &JobFields {
            title: Some("Rust Engineer".into()),
            company: Some("Acme".into()),
            ..JobFields::default()
        },
    )
    .unwrap();
    let at = chrono::Utc::now() + chrono::Duration::days(3);
    schedule::add_interview(&mut s, j.id, &form(at)).unwrap()
}

/// A calendar connected with these tokens (as a finished connect leaves it).
fn connected(store: &Mutex<Store>, p: CalendarProvider, access: &str, expires_in: i64) {
    let s = store.lock().unwrap();
    let t = Tokens {
        access_token: access.into(),
        refresh_token: format!("{}-refresh", p.as_str()),
        expires_at: chrono::Utc::now() + chrono::Duration::seconds(expires_in),
    };
    let place = vault::save(s.dir(), false, p, &t).unwrap();
    qoder_store::calendar::connect(s.conn(), p.as_str(), place).unwrap();
}

fn stored_tokens(store: &Mutex<Store>, p: CalendarProvider) -> Option<Tokens> {
    let s = store.lock().unwrap();
    vault::load(s.dir(), false, p).unwrap()
}

/// Google's answer to events.insert / events.patch (a Calendar v3 Event resource).
fn google_event(id: &str, etag: &str, summary: &str) -> Value {
    json!({
        "kind": "calendar#event",
        "etag": format!("\"{etag}\""),
        "id": id,
        "status": "confirmed",
        "htmlLink": format!("https://www.google.com/calendar/event?eid={id}"),
        "created": "2026-12-07T10:00:00.000Z",
        "updated": "2026-12-07T10:00:00.000Z",
        "summary": summary,
        "creator": {"email": "me@example.com", "self": true},
        "organizer": {"email": "me@example.com", "self": true},
        "start": {"dateTime": "2026-12-10T13:00:00Z", "timeZone": "UTC"},
        "end": {"dateTime": "2026-12-10T13:45:00Z", "timeZone": "UTC"},
        "iCalUID": format!("{id}@google.com"),
        "sequence": 0,
        "reminders": {"useDefault": false, "overrides": [{"method": "popup", "minutes": 30}]},
        "eventType": "default"
    })
}

/// Google's error body (https://developers.google.com/calendar/api/guides/errors).
fn google_error(code: u16, reason: &str, message: &str) -> Value {
    json!({"error": {"errors": [{"domain": "global", "reason": reason, "message": message}],
        "code": code, "message": message}})
}

/// Graph's answer to POST/PATCH /me/events (an event resource).
fn graph_event(id: &str, etag: &str) -> Value {
    json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('me')/events/$entity",
        "@odata.etag": format!("W/\"{etag}\""),
        "id": id,
        "createdDateTime": "2026-12-07T10:00:00.0000000Z",
        "subject": "Interview: Rust Engineer at Acme",
        "isReminderOn": true,
        "reminderMinutesBeforeStart": 30,
        "start": {"dateTime": "2026-12-10T13:00:00.0000000", "timeZone": "UTC"},
        "end": {"dateTime": "2026-12-10T13:45:00.0000000", "timeZone": "UTC"},
        "webLink": "https://outlook.office365.com/owa/?itemid=x"
    })
}

/// Graph's error body (https://learn.microsoft.com/graph/errors).
fn graph_error(code: &str, message: &str) -> Value {
    json!({"error": {"code": code, "message": message, "innerError": {
        "date": "2026-12-07T10:00:00", "request-id": "9d1b3e4f-0000-0000-0000-000000000000",
        "client-request-id": "9d1b3e4f-0000-0000-0000-000000000000"}}})
}

/// The token endpoint's answer (RFC 6749 §5.1 as Google and Microsoft send it).
fn token_answer(access: &str, refresh: Option<&str>, scope: &str) -> Value {
    let mut v = json!({"access_token": access, "expires_in": 3599, "scope": scope,
        "token_type": "Bearer"});
    if let Some(r) = refresh {
        v["refresh_token"] = json!(r);
    }
    v
}

fn form_value(body: &[u8], key: &str) -> Option<String> {
    let url = reqwest::Url::parse(&format!("http://x/?{}", String::from_utf8_lossy(body))).ok()?;
    url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

/// The token request's PKCE verifier must hash to the challenge the browser was sent with.
struct VerifierMatches(Arc<Mutex<Option<String>>>);

impl wiremock::Match for VerifierMatches {
    fn matches(&self, req: &Request) -> bool {
        let want = self.0.lock().unwrap().clone();
        let got = form_value(&req.body, "code_verifier");
        matches!((want, got), (Some(c), Some(v)) if oauth::challenge(&v) == c && v.len() >= 43)
    }
}

fn query(url: &str) -> std::collections::HashMap<String, String> {
    reqwest::Url::parse(url).unwrap().query_pairs().into_owned().collect()
}

/// Connects `provider`, playing the browser: first a stray request with a wrong state (refused,
/// the wait goes on), a favicon request, then the provider's redirect with code and state.
fn connect_as_browser(
    store: &Mutex<Store>,
    config: &Config,
    provider: CalendarProvider,
    challenge: &Arc<Mutex<Option<String>>>,
    outcome: &'static str,
) -> (Result<qoder_core::calendar::CalendarAccount, CalendarError>, Vec<(u16, String)>) {
    let pages: Arc<Mutex<Vec<(u16, String)>>> = Arc::default();
    let mut browser = None;
    let mut prompt = |p: &ConnectPrompt| {
        assert!(!p.browser_opened, "QODER_NO_BROWSER-like config opens nothing");
        let q = query(&p.url);
        *challenge.lock().unwrap() = Some(q["code_challenge"].clone());
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["response_type"], "code");
        let redirect = q["redirect_uri"].clone();
        assert!(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"));
        match provider {
            CalendarProvider::Google => {
                assert!(p.url.starts_with(&format!(
                    "{}/o/oauth2/v2/auth?",
                    config.calendar.google.base_url.as_deref().unwrap()
                )));
                assert_eq!(q["client_id"], GOOGLE_ID);
                assert_eq!(q["scope"], "https://www.googleapis.com/auth/calendar.events");
                assert_eq!(q["access_type"], "offline");
            }
            CalendarProvider::Outlook => {
                assert!(p.url.contains("/common/oauth2/v2.0/authorize?"));
                assert_eq!(q["client_id"], OUTLOOK_ID);
                assert_eq!(
                    q["scope"],
                    "offline_access https://graph.microsoft.com/Calendars.ReadWrite"
                );
            }
        }
        let state = q["state"].clone();
        let pages = pages.clone();
        browser = Some(std::thread::spawn(move || {
            let http = reqwest::blocking::Client::new();
            let get = |url: String| {
                let r = http.get(url).send().unwrap();
                let status = r.status().as_u16();
                pages.lock().unwrap().push((status, r.text().unwrap()));
            };
            get(format!("{redirect}?code=stolen&state=not-the-state"));
            get(redirect.replace("/callback", "/favicon.ico"));
            match outcome {
                "code" => get(format!("{redirect}?code=4%2F0AX4-the-code&state={state}&scope=x")),
                _ => get(format!(
                    "{redirect}?error=access_denied&error_description=The+user+denied&state={state}"
                )),
            }
        }));
    };
    let r = calendar::connect(store, config, provider, &mut prompt, &AtomicBool::new(false));
    browser.unwrap().join().unwrap();
    let pages = pages.lock().unwrap().clone();
    (r, pages)
}

#[test]
fn google_connect_then_create_update_delete() {
    let server = Server::start();
    let cfg = config(&server);
    let (_dir, store) = new_store();
    let challenge: Arc<Mutex<Option<String>>> = Arc::default();
    server.mount(
        Mock::given(method("POST"))
            .and(path("/token"))
            .and(header("content-type", "application/x-www-form-urlencoded"))
            .and(body_string_contains("grant_type=authorization_code"))
            .and(body_string_contains("code=4%2F0AX4-the-code"))
            .and(body_string_contains(format!("client_secret={GOOGLE_SECRET}")))
            .and(body_string_contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A"))
            .and(VerifierMatches(challenge.clone()))
            .respond_with(ResponseTemplate::new(200).set_body_json(token_answer(
                "ya29.a0-access-1",
                Some("1//0g-refresh"),
                "https://www.googleapis.com/auth/calendar.events",
            )))
            .expect(1),
    );
    let (account, pages) =
        connect_as_browser(&store, &cfg, CalendarProvider::Google, &challenge, "code");
    let account = account.unwrap();
    assert!(account.connected);
    assert_eq!(account.token_store.as_deref(), Some("file"));
    assert_eq!(pages[0].0, 400, "a wrong state is refused");
    assert_eq!(pages[1].0, 404);
    assert_eq!(pages[2].0, 200);
    assert!(pages[2].1.contains("You can close this tab"));
    let t = stored_tokens(&store, CalendarProvider::Google).unwrap();
    assert_eq!(
        (t.access_token.as_str(), t.refresh_token.as_str()),
        ("ya29.a0-access-1", "1//0g-refresh")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let f = _dir.path().join("calendar/google.tokens.json");
        assert_eq!(std::fs::metadata(f).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // Create.
    let i = add_interview(&store);
    server.mount(
        Mock::given(method("POST"))
            .and(path(EVENTS))
            .and(header("authorization", "Bearer ya29.a0-access-1"))
            .and(body_partial_json(json!({
                "summary": "Interview: Rust Engineer at Acme",
                "location": "https://meet.example.com/abc",
                "start": {"dateTime": i.starts_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)},
                "extendedProperties": {"private": {"qoderInterviewId": i.id.to_string()}},
                "reminders": {"useDefault": false}
            })))
            .respond_with(ResponseTemplate::new(200).set_body_json(google_event(
                "evt1google",
                "3181161784712000",
                "Interview: Rust Engineer at Acme",
            )))
            .expect(1),
    );
    let r = calendar::sync(&store, &cfg).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].created, r[0].unchanged), (1, 0), "{r:?}");
    assert!(r[0].ok());
    // Nothing changed: no request at all.
    let before = server.requests().len();
    let r = calendar::sync(&store, &cfg).unwrap();
    assert_eq!((r[0].created, r[0].updated, r[0].unchanged), (0, 0, 1));
    assert_eq!(server.requests().len(), before);
    let st = calendar::status(&store.lock().unwrap(), &cfg).unwrap();
    let g = &st.accounts[0];
    assert_eq!((g.provider, g.events, g.waiting), (CalendarProvider::Google, 1, 0));
    assert!(g.last_success_at.is_some() && g.last_error.is_none());

    // Update: rescheduled.
    let later = i.starts_at + chrono::Duration::hours(2);
    schedule::update_interview(&mut store.lock().unwrap(), i.id, &form(later)).unwrap();
    assert_eq!(calendar::status(&store.lock().unwrap(), &cfg).unwrap().accounts[0].waiting, 1);
    server.mount(
        Mock::given(method("PATCH"))
            .and(path(format!("{EVENTS}/evt1google")))
            .and(body_partial_json(json!({"start": {"dateTime": later.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)}})))
            .respond_with(ResponseTemplate::new(200).set_body_json(google_event(
                "evt1google",
                "3181161784712001",
                "Interview: Rust Engineer at Acme",
            )))
            .expect(1),
    );
    let r = calendar::sync(&store, &cfg).unwrap();
    assert_eq!((r[0].updated, r[0].created), (1, 0), "{r:?}");

    // Delete: the interview is removed from the tracker.
    schedule::remove_interview(&mut store.lock().unwrap(), i.id).unwrap();
    server.mount(
        Mock::given(method("DELETE"))
            .and(path(format!("{EVENTS}/evt1google")))
            .and(header("authorization", "Bearer ya29.a0-access-1"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1),
    );
    let r = calendar::sync(&store, &cfg).unwrap();
    assert_eq!(r[0].deleted, 1, "{r:?}");
    assert_eq!(calendar::status(&store.lock().unwrap(), &cfg).unwrap().accounts[0].events, 0);
    server.verify();
}

#[test]
fn connect_refused_in_the_browser_or_not_configured() {
    let server = Server::start();
    let cfg = config(&server);
    let (_dir, store) = new_store();
    let challenge: Arc<Mutex<Option<String>>> = Arc::default();
    let (r, pages) =
        connect_as_browser(&store, &cfg, CalendarProvider::Outlook, &challenge, "deny");
    let e = r.unwrap_err();
    assert!(matches!(e, CalendarError::Denied(ref m) if m.contains("access_denied")), "{e}");
    assert!(pages[2].1.contains("not connected"));
    assert!(server.requests().is_empty(), "no token request after a refusal");
    assert!(!calendar::status(&store.lock().unwrap(), &cfg).unwrap().accounts[1].connected);

    let mut bare = cfg.clone();
    bare.calendar.google.client_id = None;
    let e = calendar::connect(
        &store,
        &bare,
        CalendarProvider::Google,
        &mut |_: &ConnectPrompt| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation);
    assert!(e.to_string().starts_with("GOOGLE_CALENDAR_CLIENT_ID is not set"), "{e}");

    // Nobody comes back from the browser: a timeout, not a hang.
    let mut quick = cfg.clone();
    quick.calendar.connect_timeout = Duration::from_millis(300);
    let e = calendar::connect(
        &store,
        &quick,
        CalendarProvider::Google,
        &mut |_: &ConnectPrompt| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Timeout);
}

#[test]
fn an_expired_access_token_is_refreshed_before_the_call() {
    let server = Server::start();
    let cfg = config(&server);
    let (_dir, store) = new_store();
    connected(&store, CalendarProvider::Google, "ya29.old", -10);
    add_interview(&store);
    server.mount(
        Mock::given(method("POST"))
            .and(path("/token"))
            .and(body_string_contains("grant_type=refresh_token"))
            .and(body_string_contains("refresh_token=google-refresh"))
            .and(body_string_contains(format!("client_id={GOOGLE_ID}")))
            // Google does not send a new refresh token on refresh: the old one is kept.
            .respond_with(ResponseTemplate::new(200).set_body_json(token_answer(
                "ya29.fresh",
                None,
                "https://www.googleapis.com/auth/calendar.events",
            )))
            .expect(1),
    );
    server.mount(
        Mock::given(method("POST"))
            .and(path(EVENTS))
            .and(header("authorization", "Bearer ya29.fresh"))
            .respond_with(ResponseTemplate::new(200).set_body_json(google_event("e1", "1", "x")))
            .expect(1),
    );
    let r = calendar::sync(&store, &cfg).unwrap();
    assert_eq!(r[0].created, 1, "{r:?}");
    let t = stored_tokens(&store, CalendarProvider::Google).unwrap();
    assert_eq!(
        (t.access_token.as_str(), t.refresh_token.as_str()),
        ("ya29.fresh", "google-refresh")
    );
    assert!(t.expires_at > chrono::Utc::now() + chrono::Duration::minutes(50));
    server.verify();
}

#[test]
fn a_401_refreshes_once_and_retries_and_a_second_401_is_recorded() {
    let server = Server::start();
    let cfg = config(&server);
    let (_dir, store) = new_store();
    connected(&store, CalendarProvider::Outlook, "eyJ0-revoked", 3600);
    add_interview(&store);
    server.mount(
        Mock::given(method("POST"))
            .and(path(GRAPH_EVENTS))
            .and(header("authorization", "Bearer eyJ0-revoked"))
            .respond_with(ResponseTemplate::new(401).set_body_json(graph_error(
                "InvalidAuthenticationToken",
                "Access token has expired or is not yet valid.",
            )))
            .expect(1),
    );
    // Microsoft rotates the refresh token: the new one must be kept.
    server.mount(
        Mock::given(method("POST"))
            .and(path("/common/oauth2/v2.0/token"))
            .and(body_string_contains("grant_type=refresh_token"))
            .and(body_string_contains("refresh_token=outlook-refresh"))
            .and(body_string_contains(
                "scope=offline_access+https%3A%2F%2Fgraph.microsoft.com%2FCalendars.ReadWrite",
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(token_answer(
                "eyJ0-new",
                Some("M.C5-rotated"),
                "https://graph.microsoft.com/Calendars.ReadWrite",
            )))
            .expect(1),
    );
    server.mount(
        Mock::given(method("POST"))
            .and(path(GRAPH_EVENTS))
            .and(header("authorization", "Bearer eyJ0-new"))
            .and(body_partial_json(json!({"subject": "Interview: Rust Engineer at Acme",
                "body": {"contentType": "text"}, "start": {"timeZone": "UTC"},
                "isReminderOn": true, "reminderMinutesBeforeStart": 30})))
            .respond_with(
                ResponseTemplate::new(201)
                    .set_body_json(graph_event("AAMkAGI2TG93AAA=", "DwAAABYAAAA")),
            )
            .expect(1),
    );
    let r = calendar::sync(&store, &cfg).unwrap();
    assert_eq!(r[0].created, 1, "{r:?}");
    let t = stored_tokens(&store, CalendarProvider::Outlook).unwrap();
    assert_eq!((t.access_token.as_str(), t.refresh_token.as_str()), ("eyJ0-new", "M.C5-rotated"));
    // The create carried a transactionId (Graph's idempotent POST).
    let posts: Vec<Value> = server
        .requests()
        .iter()
        .filter(|r| r.url.path() == GRAPH_EVENTS)
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert!(posts.iter().all(|b| b["transactionId"].as_str().is_some_and(|s| s.len() == 36)));
    server.verify();

    // Refused again after a fresh token: recorded, shown, and the sync stops.
    server.reset();
    let id = r_interview(&store);
    schedule::update_interview(
        &mut store.lock().unwrap(),
        id,
        &form(chrono::Utc::now() + chrono::Duration::days(5)),
    )
    .unwrap();
    server.mount(Mock::given(method("PATCH")).respond_with(
        ResponseTemplate::new(401).set_body_json(graph_error(
            "InvalidAuthenticationToken",
            "Access token validation failure.",
        )),
    ));
    server.mount(Mock::given(method("POST")).and(path("/common/oauth2/v2.0/token")).respond_with(
        ResponseTemplate::new(200).set_body_json(token_answer("eyJ0-newer", None, "x")),
    ));
    let r = calendar::sync(&store, &cfg).unwrap();
    let err = r[0].error.clone().unwrap();
    assert!(err.contains("refused the sign-in"), "{err}");
    assert_eq!(server.requests().iter().filter(|r| r.method.as_str() == "PATCH").count(), 2);
    let st = calendar::status(&store.lock().unwrap(), &cfg).unwrap();
    assert_eq!(st.accounts[1].last_error.as_deref(), Some(err.as_str()));
    assert_eq!(st.accounts[1].waiting, 1, "still to do next time");

    // A revoked refresh token (invalid_grant) says to connect again.
    server.reset();
    connected(&store, CalendarProvider::Outlook, "eyJ0-x", -1);
    server.mount(
        Mock::given(method("POST")).and(path("/common/oauth2/v2.0/token")).respond_with(
            ResponseTemplate::new(400).set_body_json(json!({
                "error": "invalid_grant",
                "error_description": "AADSTS70000: The provided value for the 'refresh_token' is not valid.\r\nTrace ID: 1",
                "error_codes": [70000], "timestamp": "2026-12-07 10:00:00Z",
                "trace_id": "1", "correlation_id": "2"})),
        ),
    );
    let r = calendar::sync_one(&store, &cfg, CalendarProvider::Outlook).unwrap();
    let err = r.error.unwrap();
    assert!(
        err.contains("invalid_grant: AADSTS70000") && err.contains("connect it again"),
        "{err}"
    );
}

fn r_interview(store: &Mutex<Store>) -> qoder_domain::ids::InterviewId {
    qoder_store::interview::all(store.lock().unwrap().conn()).unwrap()[0].id
}

#[test]
fn rate_limits_are_waited_out_within_bounds() {
    let server = Server::start();
    let cfg = config(&server);
    let (_dir, store) = new_store();
    connected(&store, CalendarProvider::Google, "ya29.a", 3600);
    add_interview(&store);
    // Google: 429 with Retry-After: 1, then the insert goes through.
    server.mount(
        Mock::given(method("POST"))
            .and(path(EVENTS))
            .respond_with(
                ResponseTemplate::new(429)
                    .insert_header("retry-after", "1")
                    .set_body_json(google_error(429, "rateLimitExceeded", "Rate Limit Exceeded")),
            )
            .up_to_n_times(1)
            .expect(1),
    );
    server.mount(
        Mock::given(method("POST"))
            .and(path(EVENTS))
            .respond_with(ResponseTemplate::new(200).set_body_json(google_event("e1", "1", "x")))
            .expect(1),
    );
    let t0 = Instant::now();
    let r = calendar::sync(&store, &cfg).unwrap();
    assert_eq!(r[0].created, 1, "{r:?}");
    assert!(t0.elapsed() >= Duration::from_millis(950), "waited {:?}", t0.elapsed());
    server.verify();

    // Graph: 503 with Retry-After, then success.
    server.reset();
    connected(&store, CalendarProvider::Outlook, "eyJ0-a", 3600);
    server.mount(
        Mock::given(method("POST"))
            .and(path(GRAPH_EVENTS))
            .respond_with(
                ResponseTemplate::new(503)
                    .insert_header("retry-after", "1")
                    .set_body_json(graph_error("ServiceNotAvailable", "Service Unavailable")),
            )
            .up_to_n_times(1)
            .expect(1),
    );
    server.mount(
        Mock::given(method("POST"))
            .and(path(GRAPH_EVENTS))
            .respond_with(ResponseTemplate::new(201).set_body_json(graph_event("AAMk1", "D1")))
            .expect(1),
    );
    let r = calendar::sync_one(&store, &cfg, CalendarProvider::Outlook).unwrap();
    assert_eq!(r.created, 1, "{r:?}");
    server.verify();

    // A Retry-After longer than we wait: the sync stops, says so, and the next one retries.
    server.reset();
    let id = r_interview(&store);
    schedule::update_interview(
        &mut store.lock().unwrap(),
        id,
        &form(chrono::Utc::now() + chrono::Duration::days(9)),
    )
    .unwrap();
    server.mount(
        Mock::given(method("PATCH"))
            .and(path(format!("{GRAPH_EVENTS}/AAMk1")))
            .respond_with(
                ResponseTemplate::new(429).insert_header("retry-after", "120").set_body_json(
                    graph_error("TooManyRequests", "Please retry after 120 seconds."),
                ),
            )
            .up_to_n_times(1),
    );
    let t0 = Instant::now();
    let r = calendar::sync_one(&store, &cfg, CalendarProvider::Outlook).unwrap();
    assert!(t0.elapsed() < Duration::from_secs(2), "did not wait 120 s");
    let err = r.error.unwrap();
    assert!(err.contains("slow down") && err.contains("120 s"), "{err}");
    server.mount(
        Mock::given(method("PATCH"))
            .and(path(format!("{GRAPH_EVENTS}/AAMk1")))
            .respond_with(ResponseTemplate::new(200).set_body_json(graph_event("AAMk1", "D2")))
            .expect(1),
    );
    let r = calendar::sync_one(&store, &cfg, CalendarProvider::Outlook).unwrap();
    assert_eq!(r.updated, 1, "{r:?}");
    assert!(
        calendar::status(&store.lock().unwrap(), &cfg).unwrap().accounts[1].last_error.is_none()
    );
}

#[test]
fn events_deleted_in_the_calendar_are_made_again() {
    let server = Server::start();
    let cfg = config(&server);
    let (_dir, store) = new_store();
    connected(&store, CalendarProvider::Google, "ya29.a", 3600);
    connected(&store, CalendarProvider::Outlook, "eyJ0-a", 3600);
    let i = add_interview(&store);
    server.mount(
        Mock::given(method("POST"))
            .and(path(EVENTS))
            .respond_with(ResponseTemplate::new(200).set_body_json(google_event("g1", "1", "x")))
            .up_to_n_times(1),
    );
    server.mount(
        Mock::given(method("POST"))
            .and(path(GRAPH_EVENTS))
            .respond_with(ResponseTemplate::new(201).set_body_json(graph_event("AAMk1", "D1")))
            .up_to_n_times(1),
    );
    let r = calendar::sync(&store, &cfg).unwrap();
    assert_eq!((r[0].created, r[1].created), (1, 1), "{r:?}");

    // Both were deleted by hand in the calendars; the interview then changes.
    server.reset();
    schedule::update_interview(
        &mut store.lock().unwrap(),
        i.id,
        &form(i.starts_at + chrono::Duration::hours(1)),
    )
    .unwrap();
    server.mount(
        Mock::given(method("PATCH"))
            .and(path(format!("{EVENTS}/g1")))
            .respond_with(ResponseTemplate::new(410).set_body_json(google_error(
                410,
                "deleted",
                "Resource has been deleted",
            )))
            .expect(1),
    );
    server.mount(
        Mock::given(method("POST"))
            .and(path(EVENTS))
            .respond_with(ResponseTemplate::new(200).set_body_json(google_event("g2", "2", "x")))
            .expect(1),
    );
    server.mount(
        Mock::given(method("PATCH"))
            .and(path(format!("{GRAPH_EVENTS}/AAMk1")))
            .respond_with(ResponseTemplate::new(404).set_body_json(graph_error(
                "ErrorItemNotFound",
                "The specified object was not found in the store.",
            )))
            .expect(1),
    );
    server.mount(
        Mock::given(method("POST"))
            .and(path(GRAPH_EVENTS))
            .respond_with(ResponseTemplate::new(201).set_body_json(graph_event("AAMk2", "D2")))
            .expect(1),
    );
    let r = calendar::sync(&store, &cfg).unwrap();
    assert_eq!((r[0].recreated, r[1].recreated), (1, 1), "{r:?}");
    server.verify();
    let ids: Vec<String> = ["google", "outlook"]
        .iter()
        .map(|p| {
            qoder_store::calendar::events(store.lock().unwrap().conn(), p).unwrap()[0]
                .event_id
                .clone()
        })
        .collect();
    assert_eq!(ids, ["g2", "AAMk2"]);

    // Deleted there and then removed here: the DELETE's 404 / 410 just drops the mapping.
    server.reset();
    schedule::remove_interview(&mut store.lock().unwrap(), i.id).unwrap();
    server.mount(
        Mock::given(method("DELETE"))
            .and(path(format!("{EVENTS}/g2")))
            .respond_with(ResponseTemplate::new(410).set_body_json(google_error(
                410,
                "deleted",
                "Resource has been deleted",
            )))
            .expect(1),
    );
    server.mount(
        Mock::given(method("DELETE"))
            .and(path(format!("{GRAPH_EVENTS}/AAMk2")))
            .respond_with(
                ResponseTemplate::new(404)
                    .set_body_json(graph_error("ErrorItemNotFound", "Not found.")),
            )
            .expect(1),
    );
    let r = calendar::sync(&store, &cfg).unwrap();
    assert!(r.iter().all(|r| r.ok() && r.deleted == 1), "{r:?}");
    assert_eq!(
        qoder_store::calendar::count_events(store.lock().unwrap().conn(), "google").unwrap(),
        0
    );
    server.verify();
}

#[test]
fn a_refused_event_is_recorded_and_retried_next_sync() {
    let server = Server::start();
    let cfg = config(&server);
    let (_dir, store) = new_store();
    connected(&store, CalendarProvider::Google, "ya29.a", 3600);
    add_interview(&store);
    server.mount(
        Mock::given(method("POST"))
            .and(path(EVENTS))
            .respond_with(ResponseTemplate::new(400).set_body_json(google_error(
                400,
                "timeRangeEmpty",
                "The specified time range is empty.",
            )))
            .up_to_n_times(1),
    );
    let r = calendar::sync(&store, &cfg).unwrap();
    assert_eq!(r[0].failed.len(), 1, "{r:?}");
    assert!(r[0].failed[0].message.contains("HTTP 400, timeRangeEmpty"), "{r:?}");
    let a = &calendar::status(&store.lock().unwrap(), &cfg).unwrap().accounts[0];
    assert!(a.last_error.as_deref().unwrap().contains("1 event(s) not written"));
    assert!(a.last_success_at.is_none() && a.last_sync_at.is_some());
    assert_eq!(a.waiting, 1);
    server.mount(
        Mock::given(method("POST"))
            .and(path(EVENTS))
            .respond_with(ResponseTemplate::new(200).set_body_json(google_event("e1", "1", "x")))
            .expect(1),
    );
    let r = calendar::sync(&store, &cfg).unwrap();
    assert!(r[0].ok() && r[0].created == 1, "{r:?}");
    let a = &calendar::status(&store.lock().unwrap(), &cfg).unwrap().accounts[0];
    assert!(a.last_error.is_none() && a.last_success_at.is_some());
    server.verify();

    // Unreachable (a port nobody listens on): the sync stops with a clear error.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut offline = cfg.clone();
    offline.calendar.google.base_url = Some(format!("http://{closed}"));
    add_interview(&store);
    let r = calendar::sync(&store, &offline).unwrap();
    assert!(r[0].error.as_deref().unwrap().starts_with("cannot reach Google Calendar"), "{r:?}");
}

#[test]
fn disconnect_keeps_the_events_unless_asked() {
    let server = Server::start();
    let cfg = config(&server);
    let (dir, store) = new_store();
    connected(&store, CalendarProvider::Google, "ya29.a", 3600);
    connected(&store, CalendarProvider::Outlook, "eyJ0-a", 3600);
    add_interview(&store);
    add_interview(&store);
    let n = std::sync::atomic::AtomicUsize::new(0);
    server.mount(Mock::given(method("POST")).and(path(EVENTS)).respond_with(move |_: &Request| {
        let k = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        ResponseTemplate::new(200).set_body_json(google_event(&format!("g{k}"), "1", "x"))
    }));
    let m = std::sync::atomic::AtomicUsize::new(0);
    server.mount(Mock::given(method("POST")).and(path(GRAPH_EVENTS)).respond_with(
        move |_: &Request| {
            let k = m.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            ResponseTemplate::new(201).set_body_json(graph_event(&format!("AAMk{k}"), "1"))
        },
    ));
    let r = calendar::sync(&store, &cfg).unwrap();
    assert_eq!((r[0].created, r[1].created), (2, 2), "{r:?}");

    // Google: turned off, events stay (no DELETE sent).
    server.reset();
    let d =
        calendar::disconnect(&store, &cfg, CalendarProvider::Google, RemoveEvents::Keep).unwrap();
    assert_eq!((d.removed, d.kept), (0, 2));
    assert!(server.requests().is_empty());
    assert!(stored_tokens(&store, CalendarProvider::Google).is_none());
    assert!(!dir.path().join("calendar/google.tokens.json").exists());
    let st = calendar::status(&store.lock().unwrap(), &cfg).unwrap();
    assert!(!st.accounts[0].connected && st.accounts[1].connected);

    // Outlook: removed with its events.
    server.mount(
        Mock::given(method("DELETE"))
            .and(path(format!("{GRAPH_EVENTS}/AAMk0")))
            .and(header("authorization", "Bearer eyJ0-a"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1),
    );
    server.mount(
        Mock::given(method("DELETE"))
            .and(path(format!("{GRAPH_EVENTS}/AAMk1")))
            .respond_with(
                ResponseTemplate::new(404).set_body_json(graph_error("ErrorItemNotFound", "gone")),
            )
            .expect(1),
    );
    let d = calendar::disconnect(&store, &cfg, CalendarProvider::Outlook, RemoveEvents::Remove)
        .unwrap();
    assert_eq!((d.removed, d.kept), (2, 0));
    server.verify();
    let st = calendar::status(&store.lock().unwrap(), &cfg).unwrap();
    assert!(st.accounts.iter().all(|a| !a.connected && a.events == 0));
    let e = calendar::sync(&store, &cfg).unwrap_err();
    assert!(matches!(e, CalendarError::NoneConnected));
    assert!(calendar::sync_if_connected(&store, &cfg).unwrap().is_none());
    let e = calendar::disconnect(&store, &cfg, CalendarProvider::Outlook, RemoveEvents::Keep)
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation);
}

#[test]
fn a_running_sync_makes_sync_now_busy_and_a_push_wait() {
    let server = Server::start();
    let cfg = config(&server);
    let (dir, store) = new_store();
    connected(&store, CalendarProvider::Google, "ya29.a", 3600);
    add_interview(&store);
    server.mount(
        Mock::given(method("POST"))
            .and(path(EVENTS))
            .respond_with(ResponseTemplate::new(200).set_body_json(google_event("e1", "1", "x")))
            .expect(1),
    );
    // Another process (the app, or `qoder calendar sync`) holds the data folder's calendar lock.
    let held = std::fs::File::create(dir.path().join("calendar.lock")).unwrap();
    held.lock().unwrap();
    let e = calendar::sync(&store, &cfg).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict, "{e}");
    let store = Arc::new(store);
    let (s2, c2) = (store.clone(), cfg.clone());
    let push = std::thread::spawn(move || calendar::sync_if_connected(&s2, &c2));
    std::thread::sleep(Duration::from_millis(300));
    assert!(!push.is_finished(), "the push waits for the running sync");
    drop(held);
    let r = push.join().unwrap().unwrap().unwrap();
    assert_eq!(r[0].created, 1, "{r:?}");
    server.verify();
}
