//! What can go wrong talking to a model, in the categories the failover rules act on.

use qoder_domain::billing::PlanLimit;
use qoder_domain::{CodedError, ErrorBody, ErrorCode};
use std::time::Duration;

/// An error of one provider call (or of the whole failover run).
///
/// Messages never contain an API key: provider error bodies are cut and scrubbed of the key
/// before they get here (see `provider::scrub`).
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    /// No key in the keychain or `QODER_LLM_API_KEY` for a provider that needs one.
    #[error("{}", missing_key(provider))]
    MissingKey { provider: String },
    /// 401/403: the key was refused.
    #[error(
        "{provider} refused the API key (HTTP {status}): check it with `qoder ai key set {provider}`"
    )]
    Unauthorized { provider: String, status: u16 },
    /// 429 after the retries (or a Retry-After longer than we wait): defer the work.
    #[error("{provider} is rate limiting requests{}; try again later", retry_hint(*retry_after))]
    RateLimited { provider: String, retry_after: Option<Duration> },
    /// The daily spend limit the user set is used up (or the hosted service said 402).
    #[error("{provider}: {detail}")]
    BudgetExceeded { provider: String, detail: String },
    /// The hosted AI refused the call: the account's plan allows no more this period (402
    /// `limit_reached`). Another provider (the user's own key) may still answer.
    #[error("{provider}: {detail}")]
    LimitReached { provider: String, detail: String, limit: Box<PlanLimit> },
    /// 5xx, connection refused, DNS, or a timeout, after the retries.
    #[error("{provider} is unavailable: {reason}")]
    ProviderUnavailable { provider: String, reason: String },
    /// The answer was not what the wire format or our schema says (invalid JSON, missing
    /// fields, oversized, hostile).
    #[error("{provider} gave an unusable answer: {reason}")]
    MalformedResponse { provider: String, reason: String },
    /// 400/404/422: our request was refused (an unknown model, a bad base URL).
    #[error("{provider} rejected the request (HTTP {status}): {message}")]
    Rejected { provider: String, status: u16, message: String },
    /// A setting is wrong (a base URL that does not parse, an empty model name).
    #[error("{0}")]
    Config(String),
    /// The OS keychain could not be used.
    #[error("keychain: {0}")]
    Keychain(String),
    /// Every provider of the list failed; the first failure is the one to act on.
    #[error("{}", all_failed(attempts))]
    AllFailed { attempts: Vec<(String, LlmError)> },
    /// No provider is configured at all.
    #[error(
        "no AI provider is configured: store a key with `qoder ai key set PROVIDER`, or pass --provider/--base-url for a local model"
    )]
    NoProvider,
}

fn missing_key(provider: &str) -> String {
    if provider == "hosted" {
        "QoderResume AI needs an account: sign in under Settings → Sync (or `qoder sync login`)"
            .to_string()
    } else {
        format!(
            "no API key for {provider}: store one with `qoder ai key set {provider}` (or set QODER_LLM_API_KEY)"
        )
    }
}

fn retry_hint(d: Option<Duration>) -> String {
    match d {
        Some(d) => format!(" (retry after {} s)", d.as_secs().max(1)),
        None => String::new(),
    }
}

fn all_failed(attempts: &[(String, LlmError)]) -> String {
    let parts: Vec<String> = attempts.iter().map(|(_, e)| e.to_string()).collect();
    format!("every AI provider failed: {}", parts.join("; "))
}

/// The boundary code (CLI exit status, UI branch).
impl CodedError for LlmError {
    fn code(&self) -> ErrorCode {
        match self {
            LlmError::MissingKey { .. } | LlmError::Unauthorized { .. } => ErrorCode::Unauthorized,
            LlmError::RateLimited { .. } => ErrorCode::RateLimited,
            LlmError::BudgetExceeded { .. } => ErrorCode::BudgetExceeded,
            LlmError::LimitReached { .. } => ErrorCode::LimitReached,
            LlmError::ProviderUnavailable { .. } | LlmError::MalformedResponse { .. } => {
                ErrorCode::Upstream
            }
            LlmError::Rejected { .. } | LlmError::Config(_) => ErrorCode::Validation,
            LlmError::Keychain(_) => ErrorCode::Internal,
            LlmError::NoProvider => ErrorCode::Validation,
            LlmError::AllFailed { attempts } => {
                attempts.first().map_or(ErrorCode::Upstream, |(_, e)| e.code())
            }
        }
    }

    /// The boundary body; a plan's limit keeps its figures (the app's upgrade prompt).
    fn body(&self) -> ErrorBody {
        ErrorBody {
            limit: self.plan_limit().cloned(),
            ..ErrorBody::new(self.code(), self.to_string())
        }
    }
}

impl LlmError {
    /// The plan's limit behind a `limit_reached` error (also as the first failure of a
    /// failover run, the one [`LlmError::code`] reports).
    pub fn plan_limit(&self) -> Option<&PlanLimit> {
        match self {
            LlmError::LimitReached { limit, .. } => Some(limit),
            LlmError::AllFailed { attempts } => attempts.first().and_then(|(_, e)| e.plan_limit()),
            _ => None,
        }
    }

    /// What the failover rules do with this error.
    pub fn failover(&self) -> Failover {
        match self {
            // Design "Failover Rules": rate_limited → defer_processing.
            LlmError::RateLimited { .. } => Failover::Defer,
            // budget_exceeded / provider_unavailable → switch_provider; so do errors that belong
            // to one provider only (its key, its answer, its model name): another may work.
            LlmError::BudgetExceeded { .. }
            | LlmError::LimitReached { .. }
            | LlmError::ProviderUnavailable { .. }
            | LlmError::MalformedResponse { .. }
            | LlmError::MissingKey { .. }
            | LlmError::Unauthorized { .. }
            | LlmError::Rejected { .. }
            | LlmError::Config(_)
            | LlmError::Keychain(_) => Failover::SwitchProvider,
            LlmError::AllFailed { .. } | LlmError::NoProvider => Failover::Stop,
        }
    }

    /// Whether the same request may succeed if sent again to the same provider.
    pub fn retryable(&self) -> bool {
        matches!(self, LlmError::RateLimited { .. } | LlmError::ProviderUnavailable { .. })
    }
}

/// The action a failover rule takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failover {
    SwitchProvider,
    Defer,
    Stop,
}

pub type Result<T, E = LlmError> = std::result::Result<T, E>;
