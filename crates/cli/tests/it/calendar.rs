//! `qoder calendar` end to end: the real `qoder` binary connects Google Calendar through the
//! loopback redirect (this test plays the browser with a plain HTTP GET of the printed sign-in
//! address's redirect), pushes an interview to a local stand-in speaking Calendar v3 and the
//! OAuth token endpoint, follows `jobs interview rm` with a DELETE on its own, and disconnects.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{ok, qoder};

const EVENTS: &str = "/calendar/v3/calendars/primary/events";

fn base_env(dir: &Path, cmd: &mut Command) {
    cmd.env("QODER_DATA_DIR", dir)
        .env("QODER_NO_BROWSER", "1")
        .env("QODER_NO_KEYCHAIN", "1")
        .env_remove("GOOGLE_CALENDAR_CLIENT_ID")
        .env_remove("OUTLOOK_CLIENT_ID");
}

/// The value of `key` in the query of `url`, percent-decoded.
fn param(url: &str, key: &str) -> String {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let raw = q
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("{key} in {url}"));
    let mut out = Vec::new();
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                out.push(u8::from_str_radix(&raw[i + 1..i + 3], 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn unconfigured_and_unconnected_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let st: Value = serde_json::from_str(&ok(
        dir.path(),
        &["calendar", "status", "--json"],
        &[("QODER_NO_KEYCHAIN", "1")],
    ))
    .unwrap();
    assert_eq!(st["accounts"][0]["provider"], "google");
    assert_eq!(st["accounts"][1]["provider"], "outlook");
    assert_eq!(st["accounts"][0]["connected"], false);
    let o = qoder(dir.path(), &["calendar", "sync"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no calendar is connected"));
    let o = Command::new(env!("CARGO_BIN_EXE_qoder"))
        .args(["calendar", "connect", "google"])
        .env("QODER_DATA_DIR", dir.path())
        .env_remove("GOOGLE_CALENDAR_CLIENT_ID")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("GOOGLE_CALENDAR_CLIENT_ID is not set"));
}

#[test]
fn connect_push_follow_and_disconnect() {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = rt.block_on(MockServer::start());
    let mount = |m: Mock| rt.block_on(m.mount(&server));
    mount(
        Mock::given(method("POST"))
            .and(path("/token"))
            .and(body_string_contains("grant_type=authorization_code"))
            .and(body_string_contains("code=cli-code"))
            .and(body_string_contains("code_verifier="))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "access_token": "ya29.cli", "expires_in": 3599, "refresh_token": "1//cli",
                "scope": "https://www.googleapis.com/auth/calendar.events", "token_type": "Bearer"})))
            .expect(1),
    );
    mount(
        Mock::given(method("POST"))
            .and(path(EVENTS))
            .and(header("authorization", "Bearer ya29.cli"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "kind": "calendar#event", "etag": "\"1\"", "id": "clievent1", "status": "confirmed"})))
            .expect(1),
    );
    mount(
        Mock::given(method("DELETE"))
            .and(path(format!("{EVENTS}/clievent1")))
            .respond_with(ResponseTemplate::new(204))
            .expect(1),
    );
    let dir = tempfile::tempdir().unwrap();
    let envs = [
        ("GOOGLE_CALENDAR_CLIENT_ID", "cli-test.apps.googleusercontent.com"),
        ("GOOGLE_CALENDAR_CLIENT_SECRET", "GOCSPX-cli"),
        ("QODER_NO_KEYCHAIN", "1"),
        ("QODER_NO_BROWSER", "1"),
    ];
    let uri = server.uri();
    let mut envs: Vec<(&str, &str)> = envs.to_vec();
    envs.push(("QODER_GOOGLE_CALENDAR_URL", &uri));
    let job =
        ok(dir.path(), &["jobs", "add", "--title", "Rust Engineer", "--company", "Acme"], &envs);
    let at = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let interview = ok(dir.path(), &["jobs", "interview", "add", job.trim(), "--at", &at], &envs);

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qoder"));
    base_env(dir.path(), &mut cmd);
    cmd.args(["calendar", "connect", "google"])
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    stdout.read_line(&mut url).unwrap();
    assert!(url.starts_with(&format!("{uri}/o/oauth2/v2/auth?")), "{url}");
    assert_eq!(param(&url, "code_challenge_method"), "S256");
    let redirect = param(&url, "redirect_uri");
    let port = redirect.trim_start_matches("http://127.0.0.1:").trim_end_matches("/callback");
    let mut browser =
        std::net::TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap())).unwrap();
    write!(
        browser,
        "GET /callback?code=cli-code&state={} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n",
        param(&url, "state")
    )
    .unwrap();
    let mut page = String::new();
    browser.read_to_string(&mut page).unwrap();
    assert!(page.starts_with("HTTP/1.1 200") && page.contains("You can close this tab"), "{page}");
    let out = child.wait_with_output().unwrap();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(rest.contains("Connected Google Calendar.") && rest.contains("1 created"), "{rest}");

    let st: Value =
        serde_json::from_str(&ok(dir.path(), &["calendar", "status", "--json"], &envs)).unwrap();
    assert_eq!(st["accounts"][0]["connected"], true);
    assert_eq!(st["accounts"][0]["events"], 1);
    assert_eq!(st["accounts"][0]["token_store"], "file");

    // Removing the interview in the tracker deletes its event, without a `calendar sync`.
    ok(dir.path(), &["jobs", "interview", "rm", interview.trim()], &envs);
    let st: Value =
        serde_json::from_str(&ok(dir.path(), &["calendar", "status", "--json"], &envs)).unwrap();
    assert_eq!(st["accounts"][0]["events"], 0);

    let d: Value =
        serde_json::from_str(&ok(dir.path(), &["calendar", "disconnect", "--json"], &envs))
            .unwrap();
    assert_eq!(d["provider"], "google");
    assert_eq!(d["removed"], 0);
    rt.block_on(server.verify());
}
