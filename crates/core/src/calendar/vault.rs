//! Where a calendar's OAuth tokens are kept: the OS keychain through qoder-llm's secret store
//! (service `qoderresume`, user `calendar-<provider>`), the same store as the AI providers'
//! keys. Where there is no keychain (QODER_NO_KEYCHAIN=1, or no Secret Service running) they go
//! to a file only the user can read in the data folder, like the sync sign-in's tokens, which
//! live in the database there.

use std::path::{Path, PathBuf};

use qoder_domain::calendar::CalendarProvider;
use qoder_llm::ApiKey;
use qoder_llm::secret::{keychain_delete, keychain_get, keychain_set};

use super::oauth::Tokens;
use super::{CalendarError, Result};

pub const KEYCHAIN: &str = "keychain";
pub const FILE: &str = "file";

fn user(p: CalendarProvider) -> String {
    format!("calendar-{}", p.as_str())
}

fn file(dir: &Path, p: CalendarProvider) -> PathBuf {
    dir.join("calendar").join(format!("{}.tokens.json", p.as_str()))
}

/// Stores the tokens; returns where ("keychain" or "file").
pub fn save(dir: &Path, keychain: bool, p: CalendarProvider, t: &Tokens) -> Result<&'static str> {
    let json = serde_json::to_string(t).map_err(|e| CalendarError::Internal(e.to_string()))?;
    if keychain {
        let key = ApiKey::new(json.clone())
            .ok_or_else(|| CalendarError::Internal("empty tokens".into()))?;
        match keychain_set(&user(p), &key) {
            Ok(()) => {
                let _ = std::fs::remove_file(file(dir, p));
                return Ok(KEYCHAIN);
            }
            Err(e) => {
                tracing::warn!(error = %e, "keychain not writable; calendar tokens go to the data folder")
            }
        }
    }
    let path = file(dir, p);
    let io = |e: std::io::Error| {
        CalendarError::Internal(format!("cannot write {}: {e}", path.display()))
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let tmp = path.with_extension("tmp");
    {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        let mut f = o.open(&tmp).map_err(io)?;
        std::io::Write::write_all(&mut f, json.as_bytes()).map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    std::fs::rename(&tmp, &path).map_err(io)?;
    Ok(FILE)
}

/// The stored tokens, if any: the keychain first, then the file.
pub fn load(dir: &Path, keychain: bool, p: CalendarProvider) -> Result<Option<Tokens>> {
    if keychain {
        match keychain_get(&user(p)) {
            Ok(Some(k)) => {
                return serde_json::from_str(k.expose()).map(Some).map_err(|e| {
                    CalendarError::Internal(format!("the stored calendar tokens are damaged: {e}"))
                });
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "keychain not readable"),
        }
    }
    match std::fs::read(file(dir, p)) {
        Ok(b) => serde_json::from_slice(&b).map(Some).map_err(|e| {
            CalendarError::Internal(format!("the stored calendar tokens are damaged: {e}"))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CalendarError::Internal(format!("cannot read the calendar tokens: {e}"))),
    }
}

/// Forgets the tokens wherever they are.
pub fn delete(dir: &Path, keychain: bool, p: CalendarProvider) {
    if keychain && let Err(e) = keychain_delete(&user(p)) {
        tracing::warn!(error = %e, "keychain entry not removed");
    }
    let _ = std::fs::remove_file(file(dir, p));
}
