//! The two calendar APIs' wire formats and one request loop: Google Calendar v3 events
//! (insert, patch, delete on the primary calendar) and Microsoft Graph v1.0 `/me/events`
//! (POST, PATCH, DELETE), with the bearer token refreshed when it has expired or is refused
//! (once), `Retry-After` honoured on 429 and 503 (bounded), backoff on other 5xx and transport
//! errors, and 404 / 410 read as "the event is gone".

use std::time::Duration;

use chrono::{DateTime, Utc};
use qoder_domain::calendar::CalendarProvider;
use qoder_domain::job::{Interview, JobApplication};
use qoder_llm::HttpConfig;
use serde_json::{Value, json};

use super::oauth::{self, Grant, Tokens};
use super::{CalendarError, Endpoints, OAuthClient, Result};

/// The event an interview becomes, in `provider`'s format (without per-request fields).
pub fn event_body(
    provider: CalendarProvider,
    i: &Interview,
    job: Option<&JobApplication>,
) -> Value {
    let what = job.map(crate::schedule::job_label).unwrap_or_else(|| "job".into());
    let summary = format!("Interview: {what}");
    let mut desc = vec![format!("Interview ({}) for {what}", i.kind.as_str())];
    if let Some(tz) = &i.timezone {
        desc.push(format!("Time zone: {tz}"));
    }
    if !i.interviewers.is_empty() {
        desc.push(format!("Interviewers: {}", i.interviewers.join(", ")));
    }
    if let Some(l) = &i.link {
        desc.push(format!("Link: {l}"));
    }
    if let Some(n) = &i.notes {
        desc.push(n.clone());
    }
    desc.push("Added by QoderResume".into());
    let description = desc.join("\n");
    let location = i.location.clone().or_else(|| i.link.clone()).unwrap_or_default();
    let end = i.starts_at + chrono::Duration::minutes(i64::from(i.duration_minutes));
    match provider {
        CalendarProvider::Google => json!({
            "summary": summary,
            "description": description,
            "location": location,
            "start": {"dateTime": rfc3339(i.starts_at)},
            "end": {"dateTime": rfc3339(end)},
            "reminders": {"useDefault": false, "overrides": [{"method": "popup", "minutes": 30}]},
            "extendedProperties": {"private": {"qoderInterviewId": i.id.to_string()}},
        }),
        CalendarProvider::Outlook => json!({
            "subject": summary,
            "body": {"contentType": "text", "content": description},
            "location": {"displayName": location},
            "start": {"dateTime": graph_time(i.starts_at), "timeZone": "UTC"},
            "end": {"dateTime": graph_time(end), "timeZone": "UTC"},
            "isReminderOn": true,
            "reminderMinutesBeforeStart": 30,
        }),
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Graph's dateTimeTimeZone: a local time without offset, with the zone beside it.
fn graph_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// A created or changed event, as the provider answered.
#[derive(Debug)]
pub struct Remote {
    pub id: String,
    pub etag: Option<String>,
}

/// What a call came to.
#[derive(Debug)]
pub enum Outcome {
    Done(Option<Value>),
    /// 404 or 410: the event is not there (deleted in the calendar).
    Gone,
}

/// A failure of one request. `Fatal` stops the sync (sign-in refused, offline, rate limited
/// past the bounded wait); `Item` fails this event only.
#[derive(Debug)]
pub enum CallError {
    Fatal(CalendarError),
    Item(String),
}

impl From<CalendarError> for CallError {
    fn from(e: CalendarError) -> Self {
        CallError::Fatal(e)
    }
}

/// A signed-in session with one calendar.
pub struct Session<'a> {
    pub provider: CalendarProvider,
    pub ends: &'a Endpoints,
    pub client: &'a OAuthClient,
    pub client_id: &'a str,
    pub cfg: &'a HttpConfig,
    pub http: reqwest::blocking::Client,
    pub tokens: Tokens,
    /// Set when the tokens were refreshed and must be stored.
    pub on_refresh: &'a mut dyn FnMut(&Tokens) -> Result<()>,
}

/// `Retry-After` in seconds or as an HTTP date.
fn retry_after(h: &reqwest::header::HeaderMap) -> Option<Duration> {
    let v = h.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(s) = v.parse::<f64>() {
        return (s.is_finite() && s >= 0.0).then(|| Duration::from_secs_f64(s.min(86_400.0)));
    }
    let at = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
    Some((at - Utc::now()).to_std().unwrap_or(Duration::ZERO))
}

/// The provider's own words from an error body: Google `{"error": {"code", "message",
/// "errors": [{"reason"}]}}`, Graph `{"error": {"code": "ErrorItemNotFound", "message"}}`.
fn error_text(body: &[u8]) -> (String, Option<String>) {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let message = v
        .pointer("/error/message")
        .and_then(Value::as_str)
        .map(|m| m.chars().take(300).collect::<String>())
        .unwrap_or_else(|| String::from_utf8_lossy(body).chars().take(200).collect());
    let reason = v
        .pointer("/error/errors/0/reason")
        .or_else(|| v.pointer("/error/code").filter(|c| c.is_string()))
        .and_then(Value::as_str)
        .map(str::to_string);
    (message, reason)
}

impl Session<'_> {
    fn refresh(&mut self) -> Result<()> {
        let t = oauth::token_request(
            &self.http,
            self.provider,
            self.ends,
            self.client,
            self.client_id,
            Grant::Refresh { refresh_token: &self.tokens.refresh_token },
        )?;
        (self.on_refresh)(&t)?;
        self.tokens = t;
        Ok(())
    }

    /// One API call with the refresh, retry and wait rules above.
    pub fn call(
        &mut self,
        method: reqwest::Method,
        url: &str,
        body: Option<&Value>,
    ) -> std::result::Result<Outcome, CallError> {
        let label = self.provider.label();
        let mut refreshed = false;
        let mut attempt = 0u32;
        loop {
            if self.tokens.expired(Utc::now()) {
                self.refresh()?;
                refreshed = true;
            }
            let mut rb =
                self.http.request(method.clone(), url).bearer_auth(&self.tokens.access_token);
            if let Some(b) = body {
                rb = rb.json(b);
            }
            let resp = match rb.send() {
                Ok(r) => r,
                Err(e) => {
                    if attempt < self.cfg.max_retries {
                        std::thread::sleep(self.cfg.backoff(attempt));
                        attempt += 1;
                        continue;
                    }
                    return Err(CalendarError::offline(self.provider, &e).into());
                }
            };
            let status = resp.status().as_u16();
            let after = retry_after(resp.headers());
            let bytes = qoder_llm::http::read_capped(resp, self.cfg.max_response_bytes)
                .map_err(|e| CallError::Item(format!("{label}: {e}")))?;
            tracing::debug!(provider = self.provider.as_str(), %method, status, "calendar http");
            if (200..300).contains(&status) {
                let v = if bytes.is_empty() { None } else { serde_json::from_slice(&bytes).ok() };
                return Ok(Outcome::Done(v));
            }
            let (message, reason) = error_text(&bytes);
            let rate_limited = status == 429
                || status == 503
                || (status == 403
                    && matches!(
                        reason.as_deref(),
                        Some("rateLimitExceeded" | "userRateLimitExceeded")
                    ));
            match status {
                401 if !refreshed => {
                    self.refresh()?;
                    refreshed = true;
                }
                401 => {
                    return Err(CalendarError::Refused {
                        provider: self.provider,
                        detail: format!("the API refused a fresh token: {message}"),
                    }
                    .into());
                }
                404 | 410 => return Ok(Outcome::Gone),
                _ if rate_limited => {
                    let wait = after.unwrap_or_else(|| self.cfg.backoff(attempt));
                    if attempt >= self.cfg.max_retries || wait > self.cfg.max_retry_after {
                        return Err(CalendarError::RateLimited {
                            provider: self.provider,
                            retry_after: after.map(|a| a.as_secs()),
                        }
                        .into());
                    }
                    tracing::info!(
                        provider = self.provider.as_str(),
                        wait_ms = wait.as_millis() as u64,
                        "calendar rate limited; waiting"
                    );
                    std::thread::sleep(wait);
                    attempt += 1;
                }
                500..=599 if attempt < self.cfg.max_retries => {
                    std::thread::sleep(self.cfg.backoff(attempt));
                    attempt += 1;
                }
                500..=599 => {
                    return Err(CalendarError::Upstream(format!(
                        "{label} answered HTTP {status}: {message}"
                    ))
                    .into());
                }
                _ => {
                    return Err(CallError::Item(format!(
                        "{label} refused the event (HTTP {status}{}): {message}",
                        reason.map(|r| format!(", {r}")).unwrap_or_default()
                    )));
                }
            }
        }
    }

    fn event_url(&self, id: &str) -> String {
        format!("{}/{}", self.ends.events, urlencode(id))
    }

    /// Creates the event; `transaction` makes a Graph POST idempotent across retries.
    pub fn create(
        &mut self,
        body: &Value,
        transaction: &str,
    ) -> std::result::Result<Remote, CallError> {
        let mut body = body.clone();
        if self.provider == CalendarProvider::Outlook {
            body["transactionId"] = json!(transaction);
        }
        let url = self.ends.events.clone();
        match self.call(reqwest::Method::POST, &url, Some(&body))? {
            Outcome::Done(Some(v)) => remote(self.provider, &v),
            _ => Err(CallError::Item(format!(
                "{} created the event but sent no id back",
                self.provider.label()
            ))),
        }
    }

    /// Changes the event; `None` when it is gone (or, in Google, cancelled).
    pub fn update(
        &mut self,
        id: &str,
        body: &Value,
    ) -> std::result::Result<Option<Remote>, CallError> {
        let url = self.event_url(id);
        match self.call(reqwest::Method::PATCH, &url, Some(body))? {
            Outcome::Gone => Ok(None),
            Outcome::Done(Some(v))
                if v.get("status").and_then(Value::as_str) == Some("cancelled") =>
            {
                Ok(None)
            }
            Outcome::Done(Some(v)) => remote(self.provider, &v).map(Some),
            Outcome::Done(None) => Ok(Some(Remote { id: id.to_string(), etag: None })),
        }
    }

    /// Deletes the event; `false` when it was already gone.
    pub fn delete(&mut self, id: &str) -> std::result::Result<bool, CallError> {
        let url = self.event_url(id);
        Ok(matches!(self.call(reqwest::Method::DELETE, &url, None)?, Outcome::Done(_)))
    }
}

fn remote(provider: CalendarProvider, v: &Value) -> std::result::Result<Remote, CallError> {
    let id = v.get("id").and_then(Value::as_str).ok_or_else(|| {
        CallError::Item(format!("{} answered without an event id", provider.label()))
    })?;
    let etag =
        v.get("etag").or_else(|| v.get("@odata.etag")).and_then(Value::as_str).map(str::to_string);
    Ok(Remote { id: id.to_string(), etag })
}

/// Percent-encodes what may not stand in a path segment (RFC 3986 pchar stays: Graph's ids end
/// in `=` and are sent as they are).
fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
