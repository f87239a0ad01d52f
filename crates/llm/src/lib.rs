//! qoder-llm: talking to language models, within limits.
//!
//! - [`provider`]: one [`Provider`] trait and the HTTP providers for OpenAI-compatible servers
//!   (OpenAI, Ollama, LM Studio, vLLM), Anthropic, Google Gemini and the hosted AI of the
//!   QoderResume sync server; wire formats in [`wire`], streaming as server-sent events.
//! - [`http`]: timeouts, retries with exponential backoff and jitter, `Retry-After`.
//! - [`router`]: failover across providers, the answer cache, the daily spend limit and usage
//!   records, through a [`Ledger`] the caller implements (qoder-core, over SQLite).
//! - [`tier`]: the model tier by number of skills, and list prices.
//! - [`tokens`]: the token estimate and the prompt budget (`MAX_PROMPT_TOKENS`).
//! - [`prompt`]: data blocks for untrusted text, cache keys, reading a JSON answer.
//! - [`secret`]: API keys in the OS keychain, in a type whose `Debug` hides them.
//!
//! No database and no clock here: the caller passes what it knows. See README.md.
#![forbid(unsafe_code)]

pub mod error;
pub mod http;
pub mod prompt;
pub mod provider;
pub mod router;
pub mod secret;
pub mod tier;
pub mod tokens;
pub mod wire;

pub use error::{Failover, LlmError, Result};
pub use http::HttpConfig;
pub use provider::{
    Completion, DeltaSink, HttpProvider, Provider, ProviderConfig, ProviderKind, Request,
};
pub use router::{Answer, Call, Event, Ledger, Router, Usage};
pub use secret::{ApiKey, KeySource};
pub use tier::{Price, Tier, TierModels};
