//! OAuth 2.0 for installed apps (RFC 8252): the authorization code flow with PKCE (S256,
//! RFC 7636) through the system browser and a loopback redirect
//! (`http://127.0.0.1:<ephemeral port>/callback`), then the token endpoint's code exchange and
//! refresh (RFC 6749 §4.1.3, §6), as Google and the Microsoft identity platform v2 speak them.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use qoder_domain::calendar::CalendarProvider;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{CalendarError, Endpoints, OAuthClient, Result};

/// The tokens of one connected calendar, as kept in the keychain (JSON).
#[derive(Clone, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    /// When the access token stops working.
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tokens(***, expires {})", self.expires_at)
    }
}

impl Tokens {
    /// Expired, or about to (a minute's margin for clocks and the request's own time).
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at <= now + chrono::Duration::seconds(60)
    }
}

/// `n` random bytes from the OS, base64url without padding.
pub fn random_b64(n: usize) -> Result<String> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf)
        .map_err(|e| CalendarError::Internal(format!("no randomness from the OS: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// The PKCE S256 challenge of `verifier`: base64url(SHA-256(verifier)).
pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// The scopes asked for.
pub fn scope(provider: CalendarProvider) -> &'static str {
    match provider {
        CalendarProvider::Google => "https://www.googleapis.com/auth/calendar.events",
        CalendarProvider::Outlook => {
            "offline_access https://graph.microsoft.com/Calendars.ReadWrite"
        }
    }
}

/// The address the browser is sent to.
pub fn authorize_url(
    provider: CalendarProvider,
    ends: &Endpoints,
    client_id: &str,
    redirect: &str,
    state: &str,
    verifier: &str,
) -> Result<String> {
    let mut url = reqwest::Url::parse(&ends.authorize)
        .map_err(|e| CalendarError::Internal(format!("bad authorize URL: {e}")))?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("client_id", client_id)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", redirect)
            .append_pair("scope", scope(provider))
            .append_pair("state", state)
            .append_pair("code_challenge", &challenge(verifier))
            .append_pair("code_challenge_method", "S256");
        match provider {
            // A refresh token every time, also when the user connected before.
            CalendarProvider::Google => {
                q.append_pair("access_type", "offline").append_pair("prompt", "consent");
            }
            CalendarProvider::Outlook => {
                q.append_pair("response_mode", "query").append_pair("prompt", "select_account");
            }
        }
    }
    Ok(url.to_string())
}

/// The loopback listener the browser is redirected to: bound before the browser opens, on
/// 127.0.0.1 and a port the OS picks.
pub struct Loopback {
    listener: TcpListener,
    pub redirect_uri: String,
}

const PAGE_OK: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>QoderResume</title></head>\
<body style=\"font-family:system-ui,sans-serif;margin:4em auto;max-width:32em\"><h1>Calendar connected</h1>\
<p>QoderResume has what it needs. You can close this tab.</p></body></html>";
const PAGE_DENIED: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>QoderResume</title></head>\
<body style=\"font-family:system-ui,sans-serif;margin:4em auto;max-width:32em\"><h1>Not connected</h1>\
<p>The calendar was not connected. You can close this tab and try again from QoderResume.</p></body></html>";
const PAGE_BAD: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>QoderResume</title></head>\
<body><p>This address is only for the sign-in QoderResume started.</p></body></html>";

impl Loopback {
    pub fn bind() -> Result<Loopback> {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .map_err(|e| CalendarError::Internal(format!("cannot listen on 127.0.0.1: {e}")))?;
        let port = listener
            .local_addr()
            .map_err(|e| CalendarError::Internal(format!("no local address: {e}")))?
            .port();
        listener
            .set_nonblocking(true)
            .map_err(|e| CalendarError::Internal(format!("cannot set up the listener: {e}")))?;
        Ok(Loopback { listener, redirect_uri: format!("http://127.0.0.1:{port}/callback") })
    }

    /// Waits for the browser's redirect carrying `state`, and returns its code. Requests for
    /// other paths or with another state get an error page and the wait goes on (anything on
    /// this machine can reach the port); the provider's `error=` ends it. Gives up at `timeout`
    /// or when `cancel` is set.
    pub fn wait(&self, state: &str, timeout: Duration, cancel: &AtomicBool) -> Result<String> {
        let deadline = Instant::now() + timeout;
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(CalendarError::Cancelled);
            }
            if Instant::now() >= deadline {
                return Err(CalendarError::ConnectTimeout(timeout.as_secs()));
            }
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if let Some(outcome) = handle(stream, state) {
                        return outcome;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => {
                    return Err(CalendarError::Internal(format!(
                        "the sign-in listener failed: {e}"
                    )));
                }
            }
        }
    }
}

fn respond(stream: &mut TcpStream, status: &str, page: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{page}",
        page.len()
    );
    let _ = stream.flush();
}

/// One request to the listener: `Some` ends the wait (the code, or the provider's refusal).
fn handle(mut stream: TcpStream, state: &str) -> Option<Result<String>> {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut line = String::new();
    {
        let mut reader = BufReader::new((&stream).take(8192));
        if reader.read_line(&mut line).is_err() {
            return None;
        }
        // The headers are not needed; read them so the browser sees a clean answer.
        let mut h = String::new();
        while reader.read_line(&mut h).is_ok_and(|n| n > 2) {
            h.clear();
        }
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let Ok(url) = reqwest::Url::parse(&format!("http://127.0.0.1{target}")) else {
        respond(&mut stream, "400 Bad Request", PAGE_BAD);
        return None;
    };
    if method != "GET" || url.path() != "/callback" {
        respond(&mut stream, "404 Not Found", PAGE_BAD);
        return None;
    }
    let get = |k: &str| url.query_pairs().find(|(n, _)| n == k).map(|(_, v)| v.into_owned());
    if get("state").as_deref() != Some(state) {
        respond(&mut stream, "400 Bad Request", PAGE_BAD);
        return None;
    }
    if let Some(err) = get("error") {
        respond(&mut stream, "200 OK", PAGE_DENIED);
        let detail = get("error_description").unwrap_or_default();
        return Some(Err(CalendarError::Denied(
            format!("{err} {detail}").trim().chars().take(300).collect(),
        )));
    }
    match get("code").filter(|c| !c.is_empty()) {
        Some(code) => {
            respond(&mut stream, "200 OK", PAGE_OK);
            Some(Ok(code))
        }
        None => {
            respond(&mut stream, "400 Bad Request", PAGE_BAD);
            None
        }
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: Option<i64>,
}

#[derive(Deserialize)]
struct TokenError {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// A grant sent to the token endpoint.
pub enum Grant<'a> {
    Code { code: &'a str, verifier: &'a str, redirect_uri: &'a str },
    Refresh { refresh_token: &'a str },
}

/// Posts a grant to the token endpoint (form-encoded, as RFC 6749 requires).
pub fn token_request(
    http: &reqwest::blocking::Client,
    provider: CalendarProvider,
    ends: &Endpoints,
    client: &OAuthClient,
    client_id: &str,
    grant: Grant<'_>,
) -> Result<Tokens> {
    let mut form: Vec<(&str, &str)> = vec![("client_id", client_id)];
    if let Some(secret) = client.client_secret.as_deref() {
        form.push(("client_secret", secret));
    }
    let old_refresh = match &grant {
        Grant::Code { code, verifier, redirect_uri } => {
            form.extend([
                ("grant_type", "authorization_code"),
                ("code", *code),
                ("code_verifier", *verifier),
                ("redirect_uri", *redirect_uri),
            ]);
            None
        }
        Grant::Refresh { refresh_token } => {
            form.extend([("grant_type", "refresh_token"), ("refresh_token", *refresh_token)]);
            Some(refresh_token.to_string())
        }
    };
    if provider == CalendarProvider::Outlook {
        form.push(("scope", scope(provider)));
    }
    let resp = http
        .post(&ends.token)
        .form(&form)
        .send()
        .map_err(|e| CalendarError::offline(provider, &e))?;
    let status = resp.status().as_u16();
    let body = qoder_llm::http::read_capped(resp, 64 * 1024)
        .map_err(|e| CalendarError::Upstream(format!("{}: {e}", provider.label())))?;
    if (200..300).contains(&status) {
        let a: TokenAnswer = serde_json::from_slice(&body).map_err(|e| {
            CalendarError::Upstream(format!(
                "{} sent a token answer that cannot be read: {e}",
                provider.label()
            ))
        })?;
        let refresh_token = a.refresh_token.or(old_refresh).ok_or_else(|| {
            CalendarError::Upstream(format!(
                "{} sent no refresh token; remove QoderResume's access in the account's \
                 settings and connect again",
                provider.label()
            ))
        })?;
        return Ok(Tokens {
            access_token: a.access_token,
            refresh_token,
            expires_at: Utc::now() + chrono::Duration::seconds(a.expires_in.unwrap_or(3600)),
        });
    }
    let detail = match serde_json::from_slice::<TokenError>(&body) {
        Ok(e) => {
            let d = e.error_description.unwrap_or_default();
            let d: String = d.lines().next().unwrap_or("").chars().take(200).collect();
            format!("{}{}", e.error, if d.is_empty() { String::new() } else { format!(": {d}") })
        }
        Err(_) => format!("HTTP {status}"),
    };
    Err(match status {
        400 | 401 => CalendarError::Refused { provider, detail },
        429 => CalendarError::RateLimited { provider, retry_after: None },
        _ => CalendarError::Upstream(format!("{} token endpoint: {detail}", provider.label())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc7636_appendix_b() {
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let v = random_b64(32).unwrap();
        assert_eq!(v.len(), 43);
        assert_ne!(v, random_b64(32).unwrap());
    }
}
