//! API keys: a type whose `Debug` hides the value, and the OS keychain (service
//! `qoderresume`, user = the provider name) through the `keyring` crate.
//!
//! Keys never go to the database, logs or error messages. `QODER_LLM_API_KEY` overrides the
//! keychain for scripts; `QODER_NO_KEYCHAIN=1` keeps the keychain out entirely (CI, tests).

use crate::error::{LlmError, Result};

/// The keychain service name every key is stored under.
pub const KEYCHAIN_SERVICE: &str = "qoderresume";
/// Environment variable that overrides the keychain (for scripts).
pub const KEY_ENV: &str = "QODER_LLM_API_KEY";
/// Environment variable that disables the keychain (headless runs).
pub const NO_KEYCHAIN_ENV: &str = "QODER_NO_KEYCHAIN";

/// A secret: `Debug` prints `ApiKey(***)`; there is no `Display`; `expose` is explicit.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// A key from text: surrounding whitespace (a pasted newline) is trimmed; empty is refused.
    pub fn new(value: impl Into<String>) -> Option<ApiKey> {
        let v: String = value.into();
        let t = v.trim();
        (!t.is_empty()).then(|| ApiKey(t.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// Where keys are read from and written to.
#[derive(Clone, Debug, Default)]
pub struct KeySource {
    /// `QODER_LLM_API_KEY`, already read by the caller (no globals in libraries).
    pub env_override: Option<ApiKey>,
    /// Whether to use the OS keychain.
    pub keychain: bool,
    /// The hosted provider's key: the access token of the `qoder-server` account this data
    /// folder is signed in to (qoder-core reads it from the sync sign-in), so "Use QoderResume
    /// AI" needs no key of its own.
    pub session: Option<ApiKey>,
}

impl KeySource {
    /// The usual source: the environment override, and the keychain unless disabled.
    pub fn from_env() -> KeySource {
        KeySource {
            env_override: std::env::var(KEY_ENV).ok().and_then(ApiKey::new),
            keychain: std::env::var_os(NO_KEYCHAIN_ENV).is_none_or(|v| v.is_empty() || v == "0"),
            session: None,
        }
    }

    /// The same source with the signed-in account's access token for the hosted provider.
    pub fn with_session(self, token: Option<ApiKey>) -> KeySource {
        KeySource { session: token, ..self }
    }

    /// The key for `provider`: the override first, then the keychain. A keychain that cannot
    /// be reached (no Secret Service on a headless box) counts as "no key" with a log line.
    pub fn get(&self, provider: &str) -> Option<ApiKey> {
        if provider == crate::ProviderKind::Hosted.as_str() {
            return self.session.clone().or_else(|| self.env_override.clone());
        }
        if let Some(k) = &self.env_override {
            return Some(k.clone());
        }
        if !self.keychain {
            return None;
        }
        match keychain_get(provider) {
            Ok(k) => k,
            Err(e) => {
                tracing::warn!(provider, error = %e, "keychain not readable");
                None
            }
        }
    }
}

fn entry(provider: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(KEYCHAIN_SERVICE, provider).map_err(|e| LlmError::Keychain(e.to_string()))
}

/// The stored key of `provider`, if any.
pub fn keychain_get(provider: &str) -> Result<Option<ApiKey>> {
    match entry(provider)?.get_password() {
        Ok(p) => Ok(ApiKey::new(p)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(LlmError::Keychain(e.to_string())),
    }
}

/// Store (or replace) the key of `provider`.
pub fn keychain_set(provider: &str, key: &ApiKey) -> Result<()> {
    entry(provider)?.set_password(key.expose()).map_err(|e| LlmError::Keychain(e.to_string()))
}

/// Remove the key of `provider`; `Ok(false)` when there was none.
pub fn keychain_delete(provider: &str) -> Result<bool> {
    match entry(provider)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(LlmError::Keychain(e.to_string())),
    }
}

/// Replace every occurrence of the key in `text` (provider error bodies sometimes echo it).
pub fn scrub(text: &str, key: Option<&ApiKey>) -> String {
    match key {
        Some(k) if k.expose().len() >= 4 => text.replace(k.expose(), "***"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_key_and_scrub_removes_it() {
        let k = ApiKey::new(" sk-secret-123\n").unwrap();
        assert_eq!(k.expose(), "sk-secret-123");
        assert_eq!(format!("{k:?}"), "ApiKey(***)");
        assert_eq!(format!("{:?}", Some(&k)), "Some(ApiKey(***))");
        assert_eq!(scrub("bad key sk-secret-123 given", Some(&k)), "bad key *** given");
        assert!(ApiKey::new("  ").is_none());
    }

    #[test]
    fn keychain_round_trip_with_the_mock_store() {
        keyring::set_default_credential_builder(keyring::mock::default_credential_builder());
        // The mock keeps no state between entries; one entry object is what it can check.
        let e = entry("anthropic").unwrap();
        assert!(matches!(e.get_password(), Err(keyring::Error::NoEntry)));
        e.set_password("sk-ant-1").unwrap();
        assert_eq!(e.get_password().unwrap(), "sk-ant-1");
        e.delete_credential().unwrap();
        assert!(matches!(e.get_password(), Err(keyring::Error::NoEntry)));
        // Through our functions: a fresh mock entry holds nothing, and delete says so.
        assert_eq!(keychain_get("gemini").unwrap(), None);
        assert!(!keychain_delete("gemini").unwrap());
    }
}
