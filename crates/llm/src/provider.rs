//! The provider trait and the HTTP providers: OpenAI-compatible chat completions (OpenAI,
//! Ollama, LM Studio, vLLM), Anthropic Messages, Google Gemini generateContent, and the hosted
//! AI of the QoderResume sync server. The wire formats are in [`crate::wire`].

use crate::error::{LlmError, Result};
use crate::http::{self, HttpConfig};
use crate::secret::{ApiKey, KeySource};
use crate::tier::{Price, TierModels, list_price};
use crate::wire;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// The wire formats we speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderKind {
    OpenaiCompatible,
    Anthropic,
    Gemini,
    Hosted,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 4] = [
        ProviderKind::OpenaiCompatible,
        ProviderKind::Anthropic,
        ProviderKind::Gemini,
        ProviderKind::Hosted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::OpenaiCompatible => "openai-compatible",
            ProviderKind::Anthropic => "anthropic",
            ProviderKind::Gemini => "gemini",
            ProviderKind::Hosted => "hosted",
        }
    }

    /// A kind by name; `openai`, `ollama`, `lmstudio` and `vllm` are the OpenAI-compatible one.
    pub fn parse(name: &str) -> Option<ProviderKind> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "openai-compatible" | "openai" | "ollama" | "lmstudio" | "lm-studio" | "vllm" => {
                ProviderKind::OpenaiCompatible
            }
            "anthropic" | "claude" => ProviderKind::Anthropic,
            "gemini" | "google" => ProviderKind::Gemini,
            "hosted" => ProviderKind::Hosted,
            _ => return None,
        })
    }

    /// The public endpoint (`None` for hosted: it is the user's own sync server).
    pub fn default_base_url(self) -> Option<&'static str> {
        match self {
            ProviderKind::OpenaiCompatible => Some("https://api.openai.com/v1"),
            ProviderKind::Anthropic => Some("https://api.anthropic.com"),
            ProviderKind::Gemini => Some("https://generativelanguage.googleapis.com"),
            ProviderKind::Hosted => None,
        }
    }

    pub fn default_models(self) -> TierModels {
        let m = |a: &str, b: &str, c: &str| TierModels {
            basic: a.into(),
            standard: b.into(),
            premium: c.into(),
        };
        match self {
            ProviderKind::OpenaiCompatible => m("gpt-4o-mini", "gpt-4o-mini", "gpt-4o"),
            ProviderKind::Anthropic => {
                m("claude-3-5-haiku-latest", "claude-sonnet-4-5", "claude-sonnet-4-5")
            }
            ProviderKind::Gemini => {
                m("gemini-2.5-flash-lite", "gemini-2.5-flash", "gemini-2.5-pro")
            }
            // The server picks the model of a tier.
            ProviderKind::Hosted => m("basic", "standard", "premium"),
        }
    }
}

/// One configured provider (stored as JSON in the local settings; never holds the key).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderConfig {
    pub kind: ProviderKind,
    /// The name keys, limits and usage are kept under (default: the kind's name).
    pub name: String,
    pub base_url: String,
    pub models: TierModels,
    /// A price for models without a list price (local models: none, so free).
    #[serde(default)]
    pub price: Option<Price>,
}

impl ProviderConfig {
    /// The defaults of `kind`, with an optional base URL (required for hosted).
    pub fn new(kind: ProviderKind, base_url: Option<&str>) -> Result<ProviderConfig> {
        let base = match base_url.or(kind.default_base_url()) {
            Some(b) => normalise_base_url(b)?,
            None => {
                return Err(LlmError::Config(format!(
                    "the {} provider needs a base URL (--base-url, or `qoder ai set {} --base-url URL`)",
                    kind.as_str(),
                    kind.as_str()
                )));
            }
        };
        Ok(ProviderConfig {
            kind,
            name: kind.as_str().to_string(),
            base_url: base,
            models: kind.default_models(),
            price: None,
        })
    }

    /// Whether calls need an API key. OpenAI-compatible servers other than OpenAI itself
    /// (Ollama, LM Studio, vLLM) usually run without one; a key is sent when there is one.
    pub fn key_required(&self) -> bool {
        match self.kind {
            ProviderKind::OpenaiCompatible => self.base_url.contains("api.openai.com"),
            _ => true,
        }
    }

    pub fn price_of(&self, model: &str) -> Price {
        list_price(model).or(self.price).unwrap_or(Price::FREE)
    }
}

/// `http(s)://host[:port][/path]` without a trailing slash.
pub fn normalise_base_url(url: &str) -> Result<String> {
    let parsed = reqwest::Url::parse(url.trim())
        .map_err(|e| LlmError::Config(format!("base URL {url:?} is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(LlmError::Config(format!("base URL {url:?} must be http:// or https://")));
    }
    // Plain http carries the API key and resume text in the clear: only to this machine.
    if parsed.scheme() == "http" && !is_loopback(&parsed) {
        return Err(LlmError::Config(format!(
            "base URL {url:?}: plain http:// is allowed only to this machine (localhost, \
             127.0.0.1, [::1]); use https:// for other hosts"
        )));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(LlmError::Config(
            "put credentials in the keychain (`qoder ai key set`), not in the base URL".into(),
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

/// Whether the URL's host is this machine: `localhost`, 127.0.0.0/8 or ::1.
pub fn is_loopback(url: &reqwest::Url) -> bool {
    url.host_str().is_some_and(|h| {
        let h = h.trim_start_matches('[').trim_end_matches(']');
        h.eq_ignore_ascii_case("localhost")
            || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    })
}

/// One request to a model.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// What the answer is for (`generate_points`, `rewrite`, `review`): the usage table's
    /// feature, and the hosted service's.
    pub feature: String,
    pub system: String,
    pub prompt: String,
    pub model: String,
    pub max_output_tokens: u32,
    pub temperature: f32,
    /// Ask for a JSON answer where the API has a switch for it.
    pub json: bool,
    /// Stream the answer (text deltas go to the callback as they come).
    pub stream: bool,
}

/// A model's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    pub text: String,
    /// The model that answered, as the provider names it.
    pub model: String,
    /// Token counts the provider reported (`None`: not reported; the caller estimates).
    pub tokens_in: Option<u64>,
    pub tokens_out: Option<u64>,
    /// A cost the provider reported (the hosted service does).
    pub cost_usd: Option<f64>,
}

/// A text delta callback: called with each piece of the answer as it arrives.
pub type DeltaSink<'a> = &'a mut dyn FnMut(&str);

/// A completion on its way (the async path: [`Provider::complete_async`]).
pub type CompletionFuture<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Completion>> + Send + 'a>>;

/// One model provider. Implementations are cheap to share (`Arc<dyn Provider>`).
pub trait Provider: Send + Sync {
    fn config(&self) -> &ProviderConfig;

    /// Send `req`; stream text to `on_delta` when `req.stream`.
    fn complete(&self, req: &Request, on_delta: DeltaSink<'_>) -> Result<Completion>;

    /// The same call without blocking a thread, for callers inside an async runtime (the
    /// server's hosted AI); `None` when this provider has no async path for `req` (a stream,
    /// or a provider that is blocking only).
    fn complete_async<'a>(&'a self, _req: &'a Request) -> Option<CompletionFuture<'a>> {
        None
    }

    fn name(&self) -> &str {
        &self.config().name
    }
}

/// A provider over HTTP.
pub struct HttpProvider {
    config: ProviderConfig,
    key: Option<ApiKey>,
    http: HttpConfig,
    client: reqwest::blocking::Client,
    /// Built on the first async call (the CLI and the desktop never make one).
    async_client: std::sync::OnceLock<reqwest::Client>,
}

impl std::fmt::Debug for HttpProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpProvider")
            .field("config", &self.config)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl HttpProvider {
    /// A provider with its key looked up in `keys` (under the provider's name). A missing key is
    /// an error only for providers that need one.
    pub fn new(config: ProviderConfig, keys: &KeySource, http: HttpConfig) -> Result<HttpProvider> {
        let key = keys.get(&config.name);
        if key.is_none() && config.key_required() {
            return Err(LlmError::MissingKey { provider: config.name.clone() });
        }
        Self::with_key(config, key, http)
    }

    pub fn with_key(
        config: ProviderConfig,
        key: Option<ApiKey>,
        http: HttpConfig,
    ) -> Result<HttpProvider> {
        // Also for configurations read back from settings: the same rules as when they were set.
        normalise_base_url(&config.base_url)?;
        let client = http.client()?;
        Ok(HttpProvider { config, key, http, client, async_client: std::sync::OnceLock::new() })
    }
}

impl Provider for HttpProvider {
    fn config(&self) -> &ProviderConfig {
        &self.config
    }

    fn complete(&self, req: &Request, on_delta: DeltaSink<'_>) -> Result<Completion> {
        let name = self.config.name.as_str();
        if req.model.trim().is_empty() {
            return Err(LlmError::Config(format!("{name}: no model name given")));
        }
        let started = Instant::now();
        let deadline = started + self.http.total_timeout;
        let wire = wire::build(self.config.kind, &self.config.base_url, req, self.key.as_ref());
        let resp = http::send(&self.client, &self.http, name, self.key.as_ref(), &wire, deadline)?;
        let malformed =
            |reason: String| LlmError::MalformedResponse { provider: name.to_string(), reason };
        let completion = if req.stream {
            let mut state = wire::StreamState::default();
            let kind = self.config.kind;
            let result = http::read_sse(resp, self.http.max_response_bytes, deadline, |ev| {
                let step = wire::on_event(kind, &ev, &mut state)?;
                if let Some(delta) = step.delta.as_deref().filter(|d| !d.is_empty()) {
                    state.text.push_str(delta);
                    on_delta(delta);
                }
                Ok(!step.done)
            });
            if let Err(reason) = result {
                // A stream that stopped (timeout, reset, cap) is the provider's failure unless
                // it told us why in an error event.
                return Err(match state.error.take() {
                    Some(e) => wire::stream_error(name, e),
                    None if reason.contains("over ") => malformed(reason),
                    None => LlmError::ProviderUnavailable { provider: name.to_string(), reason },
                });
            }
            if let Some(e) = state.error.take() {
                return Err(wire::stream_error(name, e));
            }
            state.into_completion(&req.model)
        } else {
            let body = http::read_capped(resp, self.http.max_response_bytes);
            return self.finish(req, body, started);
        };
        self.checked(completion, started)
    }

    fn complete_async<'a>(&'a self, req: &'a Request) -> Option<CompletionFuture<'a>> {
        if req.stream {
            return None;
        }
        Some(Box::pin(async move {
            let name = self.config.name.as_str();
            if req.model.trim().is_empty() {
                return Err(LlmError::Config(format!("{name}: no model name given")));
            }
            let client = match self.async_client.get() {
                Some(c) => c,
                None => {
                    let c = self.http.async_client()?;
                    self.async_client.get_or_init(|| c)
                }
            };
            let started = Instant::now();
            let deadline = started + self.http.total_timeout;
            let wire = wire::build(self.config.kind, &self.config.base_url, req, self.key.as_ref());
            let resp =
                http::send_async(client, &self.http, name, self.key.as_ref(), &wire, deadline)
                    .await?;
            let body = http::read_capped_async(resp, self.http.max_response_bytes).await;
            self.finish(req, body, started)
        }))
    }
}

impl HttpProvider {
    fn malformed(&self, reason: String) -> LlmError {
        LlmError::MalformedResponse { provider: self.config.name.clone(), reason }
    }

    /// A whole (non-streamed) answer's body, read by either path, as the completion.
    fn finish(
        &self,
        req: &Request,
        body: std::io::Result<Vec<u8>>,
        started: Instant,
    ) -> Result<Completion> {
        let body = body.map_err(|e| {
            if e.kind() == std::io::ErrorKind::Other {
                self.malformed(e.to_string())
            } else {
                LlmError::ProviderUnavailable {
                    provider: self.config.name.clone(),
                    reason: format!("the answer broke off: {e}"),
                }
            }
        })?;
        let value: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| self.malformed(format!("the answer is not JSON ({e})")))?;
        let completion = wire::parse_full(self.config.kind, &value, &req.model)
            .map_err(|reason| self.malformed(reason))?;
        self.checked(completion, started)
    }

    /// Refuses an empty answer; logs the call.
    fn checked(&self, completion: Completion, started: Instant) -> Result<Completion> {
        if completion.text.trim().is_empty() {
            return Err(self.malformed("the answer is empty".into()));
        }
        tracing::info!(
            provider = self.config.name.as_str(),
            model = %completion.model,
            ms = started.elapsed().as_millis() as u64,
            tokens_in = completion.tokens_in,
            tokens_out = completion.tokens_out,
            "llm call"
        );
        Ok(completion)
    }
}

/// How long ago `t` was, in whole milliseconds (for usage records).
pub fn elapsed_ms(t: Instant) -> u64 {
    Duration::as_millis(&t.elapsed()) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_base_urls_only_to_this_machine() {
        for ok in ["http://localhost:11434/v1", "http://127.0.0.1:1234", "http://[::1]:8000"] {
            assert!(normalise_base_url(ok).is_ok(), "{ok}");
        }
        for bad in ["http://llm.example.com/v1", "http://10.0.0.5:11434", "http://localhost.x.io"] {
            assert!(matches!(normalise_base_url(bad), Err(LlmError::Config(_))), "{bad}");
        }
        assert!(normalise_base_url("https://llm.example.com/v1").is_ok());
        // A configuration read back from settings is checked again when used.
        let mut cfg = ProviderConfig::new(ProviderKind::OpenaiCompatible, None).unwrap();
        cfg.base_url = "http://llm.example.com/v1".into();
        assert!(HttpProvider::with_key(cfg, None, HttpConfig::default()).is_err());
    }

    #[test]
    fn kinds_names_and_base_urls() {
        for k in ProviderKind::ALL {
            assert_eq!(ProviderKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ProviderKind::parse("Ollama"), Some(ProviderKind::OpenaiCompatible));
        assert_eq!(ProviderKind::parse("mistral"), None);
        assert_eq!(
            normalise_base_url("http://localhost:11434/v1/").unwrap(),
            "http://localhost:11434/v1"
        );
        assert!(normalise_base_url("ftp://x").is_err());
        assert!(normalise_base_url("https://user:pw@x.example").is_err());
        assert!(ProviderConfig::new(ProviderKind::Hosted, None).is_err());
        let local =
            ProviderConfig::new(ProviderKind::OpenaiCompatible, Some("http://127.0.0.1:1234/v1"))
                .unwrap();
        assert!(!local.key_required());
        assert!(ProviderConfig::new(ProviderKind::OpenaiCompatible, None).unwrap().key_required());
    }
}
