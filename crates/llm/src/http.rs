//! The HTTP side shared by every provider: one blocking reqwest client (rustls), timeouts,
//! retries with exponential backoff and jitter, `Retry-After`, status → error mapping, a capped
//! body reader and a server-sent-events reader.
//!
//! The client is blocking on purpose: the use cases in qoder-core are synchronous (SQLite,
//! the parsers), the CLI calls them directly and the desktop shell calls them from a blocking
//! task. Do not call it from inside an async runtime's worker thread. The server, which lives
//! in one, takes the async twins ([`send_async`], [`read_capped_async`]; non-streaming only),
//! which share the status mapping and the retry rule with the blocking ones.

use crate::error::{LlmError, Result};
use crate::secret::{ApiKey, scrub};
use std::io::{BufRead, BufReader, Read};
use std::time::{Duration, Instant};

/// Timeouts, retries and size limits of provider calls.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// Time to open the TCP/TLS connection.
    pub connect_timeout: Duration,
    /// Time to the response headers, and between two reads of the body (a stalled stream).
    pub read_timeout: Duration,
    /// Whole call, retries and streaming included.
    pub total_timeout: Duration,
    /// Retries after the first attempt (429, 5xx, connection errors, timeouts).
    pub max_retries: u32,
    /// First backoff; doubled each retry, capped at `backoff_max`, with jitter.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// A `Retry-After` longer than this is not waited for: the call returns `RateLimited`
    /// (the failover rule "defer").
    pub max_retry_after: Duration,
    /// Largest answer body accepted (non-streaming body, or the sum of a stream's events).
    pub max_response_bytes: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(60),
            total_timeout: Duration::from_secs(180),
            max_retries: 2,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            max_response_bytes: 512 * 1024,
        }
    }
}

impl HttpConfig {
    /// Short timeouts for tests and health checks.
    pub fn fast() -> HttpConfig {
        HttpConfig {
            connect_timeout: Duration::from_millis(500),
            read_timeout: Duration::from_millis(800),
            total_timeout: Duration::from_secs(5),
            max_retries: 2,
            backoff_base: Duration::from_millis(10),
            backoff_max: Duration::from_millis(50),
            max_retry_after: Duration::from_secs(2),
            max_response_bytes: 512 * 1024,
        }
    }

    pub fn client(&self) -> Result<reqwest::blocking::Client> {
        reqwest::blocking::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.read_timeout)
            .user_agent(concat!("qoderresume/", env!("CARGO_PKG_VERSION")))
            // No redirects: reqwest strips only Authorization on a cross-host redirect, so
            // x-api-key and x-goog-api-key would follow to wherever a provider (or whoever sits
            // in front of it) points. A 3xx is an answer like any other error.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| LlmError::Config(format!("cannot build the HTTP client: {e}")))
    }

    /// The async twin of [`HttpConfig::client`] (same timeouts, agent and redirect rule).
    pub fn async_client(&self) -> Result<reqwest::Client> {
        reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.read_timeout)
            .user_agent(concat!("qoderresume/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| LlmError::Config(format!("cannot build the HTTP client: {e}")))
    }

    /// The backoff before retry number `attempt` (0-based): `base × 2^attempt`, capped, then
    /// "equal jitter" (a random point in its upper half) so clients do not retry in step.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.backoff_base.saturating_mul(2u32.saturating_pow(attempt.min(16)));
        let d = exp.min(self.backoff_max);
        d / 2 + d.mul_f64(jitter() / 2.0)
    }
}

/// A number in [0, 1) from the standard library's randomly keyed hasher (no rand dependency).
fn jitter() -> f64 {
    use std::hash::BuildHasher;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let h = std::collections::hash_map::RandomState::new().hash_one(nanos);
    (h % 10_000) as f64 / 10_000.0
}

/// One request as a provider's wire format spells it.
#[derive(Clone, Debug)]
pub struct WireRequest {
    pub url: String,
    /// Header name and value; secret values are sent but never logged.
    pub headers: Vec<(&'static str, String)>,
    pub body: serde_json::Value,
}

/// `Retry-After` in seconds (the HTTP-date form is rare from these APIs and treated as absent).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let v = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let secs: f64 = v.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

/// The provider's own error message from a JSON error body, cut and scrubbed.
fn error_message(body: &str, key: Option<&ApiKey>) -> String {
    let from_json = serde_json::from_str::<serde_json::Value>(body).ok().and_then(|v| {
        let m = v
            .pointer("/error/message")
            .or_else(|| v.get("message"))
            .or_else(|| v.get("error"))
            .or_else(|| v.pointer("/0/error/message"))?;
        m.as_str().map(str::to_string)
    });
    let text = from_json.unwrap_or_else(|| body.trim().to_string());
    let text = scrub(&text, key);
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 300 {
        format!("{}…", one.chars().take(299).collect::<String>())
    } else if one.is_empty() {
        "(no message)".to_string()
    } else {
        one
    }
}

/// The hosted AI's 402 body `{code: "limit_reached", message, feature, limit, used, resets_at,
/// upgrade_url}` as the limit it names; `None` for any other 402.
fn limit_reached(body: &[u8]) -> Option<qoder_domain::billing::PlanLimit> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    if v.get("code")?.as_str()? != "limit_reached" {
        return None;
    }
    serde_json::from_value(v).ok()
}

fn transport_reason(e: &reqwest::Error, cfg: &HttpConfig) -> String {
    let url = e.url().map(|u| {
        let mut u = u.clone();
        u.set_query(None);
        u.to_string()
    });
    let at = url.map(|u| format!(" ({u})")).unwrap_or_default();
    if e.is_timeout() {
        format!("no answer within {} ms{at}", cfg.read_timeout.as_millis())
    } else if e.is_connect() {
        format!("cannot connect{at}")
    } else {
        // reqwest's Display names the URL, never headers, so no key can leak here.
        format!("request failed{at}: {e}")
    }
}

/// What a non-2xx answer means. `Err`: it ends the call at once, whatever the retries left (a
/// `Retry-After` longer than the configuration waits for: the failover rule "defer").
fn status_error(
    cfg: &HttpConfig,
    provider: &str,
    key: Option<&ApiKey>,
    status: u16,
    after: Option<Duration>,
    body: &[u8],
) -> std::result::Result<LlmError, LlmError> {
    let message = error_message(&String::from_utf8_lossy(body), key);
    let provider = provider.to_string();
    Ok(match status {
        401 | 403 => LlmError::Unauthorized { provider, status },
        402 => match limit_reached(body) {
            Some(limit) => {
                LlmError::LimitReached { provider, detail: message, limit: Box::new(limit) }
            }
            None => LlmError::BudgetExceeded { provider, detail: message },
        },
        429 if after.is_some_and(|a| a > cfg.max_retry_after) => {
            return Err(LlmError::RateLimited { provider, retry_after: after });
        }
        429 => LlmError::RateLimited { provider, retry_after: after },
        408 | 500..=599 => {
            LlmError::ProviderUnavailable { provider, reason: format!("HTTP {status}: {message}") }
        }
        _ => LlmError::Rejected { provider, status, message },
    })
}

/// How long to wait before retry number `attempt` after `err`, or `None` to give up (not
/// retryable, no retries left, or the wait would pass the deadline).
fn retry_wait(
    cfg: &HttpConfig,
    provider: &str,
    err: &LlmError,
    attempt: u32,
    deadline: Instant,
) -> Option<Duration> {
    if !err.retryable() || attempt >= cfg.max_retries {
        return None;
    }
    let wait = match err {
        LlmError::RateLimited { retry_after: Some(a), .. } => *a,
        _ => cfg.backoff(attempt),
    };
    if Instant::now() + wait >= deadline {
        return None;
    }
    tracing::info!(provider, attempt, wait_ms = wait.as_millis() as u64, error = %err, "llm retry");
    Some(wait)
}

fn log_status(provider: &str, status: u16, started: Instant) {
    tracing::debug!(provider, status, ms = started.elapsed().as_millis() as u64, "llm http");
}

/// Send `wire` with retries; a 2xx response comes back, anything else as the error it maps to.
pub fn send(
    client: &reqwest::blocking::Client,
    cfg: &HttpConfig,
    provider: &str,
    key: Option<&ApiKey>,
    wire: &WireRequest,
    deadline: Instant,
) -> Result<reqwest::blocking::Response> {
    let mut attempt = 0u32;
    loop {
        let mut rb = client.post(&wire.url).json(&wire.body);
        for (name, value) in &wire.headers {
            rb = rb.header(*name, value);
        }
        let started = Instant::now();
        let err = match rb.send() {
            Ok(resp) if resp.status().is_success() => {
                log_status(provider, resp.status().as_u16(), started);
                return Ok(resp);
            }
            Ok(resp) => {
                let status = resp.status().as_u16();
                log_status(provider, status, started);
                let after = retry_after(resp.headers());
                let body = read_capped(resp, 16 * 1024).unwrap_or_default();
                status_error(cfg, provider, key, status, after, &body)?
            }
            Err(e) => LlmError::ProviderUnavailable {
                provider: provider.to_string(),
                reason: transport_reason(&e, cfg),
            },
        };
        let Some(wait) = retry_wait(cfg, provider, &err, attempt, deadline) else {
            return Err(err);
        };
        std::thread::sleep(wait);
        attempt += 1;
    }
}

/// [`send`] without blocking a thread, for callers inside an async runtime (the server's
/// hosted AI): the same retries, waits and error mapping, on an async client.
pub async fn send_async(
    client: &reqwest::Client,
    cfg: &HttpConfig,
    provider: &str,
    key: Option<&ApiKey>,
    wire: &WireRequest,
    deadline: Instant,
) -> Result<reqwest::Response> {
    let mut attempt = 0u32;
    loop {
        let mut rb = client.post(&wire.url).json(&wire.body);
        for (name, value) in &wire.headers {
            rb = rb.header(*name, value);
        }
        let started = Instant::now();
        let err = match rb.send().await {
            Ok(resp) if resp.status().is_success() => {
                log_status(provider, resp.status().as_u16(), started);
                return Ok(resp);
            }
            Ok(resp) => {
                let status = resp.status().as_u16();
                log_status(provider, status, started);
                let after = retry_after(resp.headers());
                let body = read_capped_async(resp, 16 * 1024).await.unwrap_or_default();
                status_error(cfg, provider, key, status, after, &body)?
            }
            Err(e) => LlmError::ProviderUnavailable {
                provider: provider.to_string(),
                reason: transport_reason(&e, cfg),
            },
        };
        let Some(wait) = retry_wait(cfg, provider, &err, attempt, deadline) else {
            return Err(err);
        };
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

/// Read at most `max` bytes of a body; more is an error.
pub fn read_capped(resp: reqwest::blocking::Response, max: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    resp.take(max as u64 + 1).read_to_end(&mut buf)?;
    if buf.len() > max {
        return Err(std::io::Error::other(format!("the answer is over {max} bytes")));
    }
    Ok(buf)
}

/// [`read_capped`] of an async response: the same cap (`ErrorKind::Other`) and a broken-off
/// body as another kind of error.
pub async fn read_capped_async(
    mut resp: reqwest::Response,
    max: usize,
) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::ConnectionAborted, e))?
    {
        if buf.len() + chunk.len() > max {
            return Err(std::io::Error::other(format!("the answer is over {max} bytes")));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

/// One server-sent event.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SseEvent {
    pub event: Option<String>,
    pub data: String,
}

/// Read server-sent events from `reader`, calling `on_event` for each until it returns
/// `Ok(false)` (done) or the stream ends. Lines and the total are capped; the deadline is
/// checked between reads.
pub fn read_sse<R: Read>(
    reader: R,
    max_bytes: usize,
    deadline: Instant,
    mut on_event: impl FnMut(SseEvent) -> std::result::Result<bool, String>,
) -> std::result::Result<(), String> {
    let mut r = BufReader::new(reader);
    let mut total = 0usize;
    let mut ev = SseEvent::default();
    let mut has_data = false;
    let mut line = Vec::new();
    loop {
        if Instant::now() > deadline {
            return Err("the answer took longer than the time limit".into());
        }
        line.clear();
        let n = (&mut r)
            .take((max_bytes - total.min(max_bytes)) as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("the stream broke off: {e}"))?;
        total += n;
        if total > max_bytes {
            return Err(format!("the answer is over {max_bytes} bytes"));
        }
        let eof = n == 0;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\n', '\r']);
        if eof || text.is_empty() {
            if has_data || ev.event.is_some() {
                let done = !on_event(std::mem::take(&mut ev))?;
                has_data = false;
                if done {
                    return Ok(());
                }
            }
            if eof {
                return Ok(());
            }
            continue;
        }
        if text.starts_with(':') {
            continue; // comment / keep-alive
        }
        let (field, value) = match text.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (text, ""),
        };
        match field {
            "event" => ev.event = Some(value.to_string()),
            "data" => {
                if has_data {
                    ev.data.push('\n');
                }
                ev.data.push_str(value);
                has_data = true;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_capped() {
        let cfg = HttpConfig {
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_millis(1000),
            ..HttpConfig::default()
        };
        for attempt in 0..8 {
            let d = cfg.backoff(attempt);
            let full =
                (Duration::from_millis(100) * 2u32.pow(attempt)).min(Duration::from_millis(1000));
            assert!(d >= full / 2 && d <= full, "{attempt}: {d:?}");
        }
    }

    #[test]
    fn sse_events_with_comments_multiline_data_and_no_final_blank_line() {
        let text =
            ": ping\nevent: a\ndata: one\ndata: two\n\ndata: {\"x\":1}\n\nevent: end\ndata: z";
        let mut seen = Vec::new();
        read_sse(text.as_bytes(), 10_000, Instant::now() + Duration::from_secs(5), |e| {
            seen.push(e);
            Ok(true)
        })
        .unwrap();
        assert_eq!(
            seen,
            vec![
                SseEvent { event: Some("a".into()), data: "one\ntwo".into() },
                SseEvent { event: None, data: "{\"x\":1}".into() },
                SseEvent { event: Some("end".into()), data: "z".into() },
            ]
        );
        let big = "data: xxxxxxxxxx\n\n".repeat(100);
        let err =
            read_sse(big.as_bytes(), 200, Instant::now() + Duration::from_secs(5), |_| Ok(true));
        assert!(err.unwrap_err().contains("over 200 bytes"));
    }

    #[test]
    fn provider_error_messages_are_cut_and_scrubbed() {
        let k = ApiKey::new("sk-live-abcdef").unwrap();
        let body = r#"{"error":{"message":"Incorrect API key provided: sk-live-abcdef"}}"#;
        assert_eq!(error_message(body, Some(&k)), "Incorrect API key provided: ***");
        assert_eq!(error_message("<html>bad gateway</html>", None), "<html>bad gateway</html>");
        assert!(error_message(&"x".repeat(1000), None).chars().count() <= 300);
    }
}
