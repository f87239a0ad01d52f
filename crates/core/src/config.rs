//! The settings every front end reads from the environment, read and checked in one place:
//! the CLI and the app call [`Config::from_env`] once and pass the result on, so a variable
//! means the same thing, and a bad value gives the same error, wherever it is read. README.md
//! lists every variable in one table.

use std::time::Duration;

use qoder_analysis::AnalyzeOptions;
use qoder_analysis::extract::isolate::WorkerCommand;
use qoder_llm::HttpConfig;

use crate::calendar::{CalendarConfig, OAuthClient};
use crate::suggest::Limits;
use crate::{Error, Result};

/// The longest job description accepted, in bytes of UTF-8 (the JD parser reads no more).
pub const MAX_JD_BYTES: usize = qoder_analysis::jd::MAX_JD_BYTES;

#[derive(Clone, Debug)]
pub struct Config {
    /// QODER_MAX_UPLOAD_BYTES: the largest resume file accepted (default 10 MiB).
    pub max_upload_bytes: u64,
    /// QODER_PARSE_IN_PROCESS: parse untrusted files in this process instead of a child
    /// (tests and debugging only).
    pub parse_in_process: bool,
    /// QODER_LLM_TIMEOUT_MS (read timeout of an AI provider) and QODER_LLM_RETRIES.
    pub http: HttpConfig,
    /// JD_GENERATION_POINTS_LIMIT, JD_GENERATION_DAILY_LIMIT, MAX_PROMPT_TOKENS (each also with
    /// a QODER_ prefix).
    pub limits: Limits,
    /// RESUME_RETENTION_COUNT: how many versions per resume retention keeps when the store has
    /// no setting of its own (default 10; the stored setting wins, see
    /// [`crate::resume::retention_count`]).
    pub retention_count: u32,
    /// QODER_NO_BROWSER: `false` when set (to anything but `0`): pages are never opened in the
    /// system browser (scripts, CI, tests).
    pub open_browser: bool,
    /// Calendar sync: GOOGLE_CALENDAR_CLIENT_ID, GOOGLE_CALENDAR_CLIENT_SECRET,
    /// OUTLOOK_CLIENT_ID, OUTLOOK_CLIENT_SECRET, QODER_GOOGLE_CALENDAR_URL and
    /// QODER_OUTLOOK_URL (every host of the provider replaced by one base URL: tests), and
    /// QODER_NO_KEYCHAIN (the tokens go to a file of the data folder instead).
    pub calendar: CalendarConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_upload_bytes: qoder_analysis::extract::Limits::default().max_bytes,
            parse_in_process: false,
            http: HttpConfig::default(),
            limits: Limits::default(),
            retention_count: crate::resume::DEFAULT_RETENTION,
            open_browser: true,
            calendar: CalendarConfig::default(),
        }
    }
}

impl Config {
    /// The settings from this process's environment.
    pub fn from_env() -> Result<Config> {
        Config::from_vars(|k| std::env::var(k).ok())
    }

    /// The settings from `var` (a variable's value, if set); an empty value counts as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Config> {
        let var = |k: &str| var(k).filter(|v| !v.trim().is_empty());
        let mut c = Config::default();
        if let Some(v) = var("QODER_MAX_UPLOAD_BYTES") {
            c.max_upload_bytes = whole("QODER_MAX_UPLOAD_BYTES", &v, 1, u64::MAX, "bytes")?;
        }
        c.parse_in_process = var("QODER_PARSE_IN_PROCESS").is_some_and(|v| v != "0");
        c.open_browser = var("QODER_NO_BROWSER").is_none_or(|v| v == "0");
        if let Some(v) = var("RESUME_RETENTION_COUNT") {
            c.retention_count = whole("RESUME_RETENTION_COUNT", &v, 1, 1000, "versions")? as u32;
        }
        if let Some(v) = var("QODER_LLM_TIMEOUT_MS") {
            let ms = whole("QODER_LLM_TIMEOUT_MS", &v, 1, 3_600_000, "milliseconds")?;
            let h = &mut c.http;
            h.read_timeout = Duration::from_millis(ms);
            h.connect_timeout = h.connect_timeout.min(h.read_timeout);
            h.total_timeout = h.total_timeout.min(h.read_timeout * 4 + Duration::from_secs(1));
        }
        if let Some(v) = var("QODER_LLM_RETRIES") {
            c.http.max_retries = whole("QODER_LLM_RETRIES", &v, 0, 10, "retries")? as u32;
        }
        let limit = |name: &str| var(&format!("QODER_{name}")).or_else(|| var(name));
        if let Some(v) = limit("JD_GENERATION_POINTS_LIMIT") {
            c.limits.points_per_request =
                whole("JD_GENERATION_POINTS_LIMIT", &v, 1, 20, "points")? as usize;
        }
        if let Some(v) = limit("JD_GENERATION_DAILY_LIMIT") {
            c.limits.generations_per_day =
                whole("JD_GENERATION_DAILY_LIMIT", &v, 0, 10_000, "generations")? as u32;
        }
        if let Some(v) = limit("MAX_PROMPT_TOKENS") {
            c.limits.max_prompt_tokens =
                whole("MAX_PROMPT_TOKENS", &v, 500, 200_000, "tokens")? as usize;
        }
        // The design's names first; GOOGLE_CLIENT_ID / MICROSOFT_CLIENT_ID (issue 18's) also work.
        let client = |id: &str, alias: &str, secret: &str, url: &str| -> Result<OAuthClient> {
            let base_url = var(url).map(|u| u.trim().trim_end_matches('/').to_string());
            if let Some(u) = &base_url
                && !(u.starts_with("https://") || u.starts_with("http://"))
            {
                return Err(Error::invalid(url, format!("must be an http(s):// URL (got {u:?})")));
            }
            Ok(OAuthClient {
                client_id: var(id).or_else(|| var(alias)).map(|v| v.trim().to_string()),
                client_secret: var(secret).map(|v| v.trim().to_string()),
                base_url,
            })
        };
        c.calendar.google = client(
            "GOOGLE_CALENDAR_CLIENT_ID",
            "GOOGLE_CLIENT_ID",
            "GOOGLE_CALENDAR_CLIENT_SECRET",
            "QODER_GOOGLE_CALENDAR_URL",
        )?;
        c.calendar.outlook = client(
            "OUTLOOK_CLIENT_ID",
            "MICROSOFT_CLIENT_ID",
            "OUTLOOK_CLIENT_SECRET",
            "QODER_OUTLOOK_URL",
        )?;
        c.calendar.keychain = var("QODER_NO_KEYCHAIN").is_none_or(|v| v == "0");
        Ok(c)
    }

    /// How to analyse a resume file under these settings.
    pub fn analyze_options(
        &self,
        file_name: Option<String>,
        worker: Option<WorkerCommand>,
    ) -> AnalyzeOptions {
        let mut opts = AnalyzeOptions {
            file_name,
            today: today(),
            worker: if self.parse_in_process { None } else { worker },
            ..AnalyzeOptions::default()
        };
        opts.limits.max_bytes = self.max_upload_bytes;
        opts
    }
}

/// `v` as a whole number in `min..=max`, or the error every front end shows for `name`.
fn whole(name: &str, v: &str, min: u64, max: u64, unit: &str) -> Result<u64> {
    v.trim().parse::<u64>().ok().filter(|n| (min..=max).contains(n)).ok_or_else(|| {
        let range = if max == u64::MAX {
            format!("at least {min}")
        } else {
            format!("from {min} to {max}")
        };
        Error::invalid(name, format!("must be a whole number of {unit}, {range} (got {v:?})"))
    })
}

/// Today's (year, month), UTC: for "Present" in resume dates and the date checks.
pub fn today() -> (i32, u8) {
    use chrono::Datelike;
    let now = chrono::Utc::now();
    (now.year(), now.month() as u8)
}

/// The user's local date, YYYY-MM-DD: the day AI usage and limits are counted on.
pub fn local_day() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

/// Rejects a job description longer than [`MAX_JD_BYTES`] (one limit for every front end).
pub fn check_jd(text: &str) -> Result<()> {
    if text.len() > MAX_JD_BYTES {
        return Err(Error::invalid(
            "job description",
            format!(
                "it is {} KB; the longest accepted is {} KB: paste only the posting",
                text.len().div_ceil(1024),
                MAX_JD_BYTES / 1024
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use qoder_domain::{CodedError, ErrorCode};

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn defaults_without_variables() {
        let c = Config::from_vars(vars(&[])).unwrap();
        assert_eq!(c.max_upload_bytes, 10 * 1024 * 1024);
        assert_eq!(c.http.max_retries, HttpConfig::default().max_retries);
        assert_eq!(c.limits.points_per_request, 8);
        assert!(!c.parse_in_process);
        assert_eq!(c.retention_count, 10);
        assert!(c.open_browser);
        assert!(c.calendar.google.client_id.is_none() && c.calendar.keychain);
    }

    #[test]
    fn calendar_clients_are_read() {
        let c = Config::from_vars(vars(&[
            ("GOOGLE_CALENDAR_CLIENT_ID", "g-id.apps.googleusercontent.com"),
            ("GOOGLE_CALENDAR_CLIENT_SECRET", "GOCSPX-x"),
            ("OUTLOOK_CLIENT_ID", "0b7e-outlook"),
            ("QODER_OUTLOOK_URL", "http://127.0.0.1:9/"),
            ("QODER_NO_KEYCHAIN", "1"),
        ]))
        .unwrap();
        assert_eq!(c.calendar.google.client_id.as_deref(), Some("g-id.apps.googleusercontent.com"));
        assert_eq!(c.calendar.google.client_secret.as_deref(), Some("GOCSPX-x"));
        assert_eq!(c.calendar.outlook.base_url.as_deref(), Some("http://127.0.0.1:9"));
        assert!(c.calendar.outlook.client_secret.is_none());
        assert!(!c.calendar.keychain);
        let c =
            Config::from_vars(vars(&[("MICROSOFT_CLIENT_ID", "m-id"), ("GOOGLE_CLIENT_ID", "g")]))
                .unwrap();
        assert_eq!(c.calendar.outlook.client_id.as_deref(), Some("m-id"));
        assert_eq!(c.calendar.google.client_id.as_deref(), Some("g"));
        let e = Config::from_vars(vars(&[("QODER_GOOGLE_CALENDAR_URL", "ftp://x")])).unwrap_err();
        assert!(e.to_string().starts_with("QODER_GOOGLE_CALENDAR_URL: must be"), "{e}");
    }

    #[test]
    fn each_variable_is_read_and_checked() {
        let c = Config::from_vars(vars(&[
            ("QODER_MAX_UPLOAD_BYTES", "2048"),
            ("QODER_LLM_TIMEOUT_MS", "1500"),
            ("QODER_LLM_RETRIES", "0"),
            ("JD_GENERATION_POINTS_LIMIT", "3"),
            ("QODER_JD_GENERATION_DAILY_LIMIT", "7"),
            ("RESUME_RETENTION_COUNT", "4"),
            ("QODER_NO_BROWSER", "1"),
        ]))
        .unwrap();
        assert_eq!(c.retention_count, 4);
        assert!(!c.open_browser);
        assert!(Config::from_vars(vars(&[("QODER_NO_BROWSER", "0")])).unwrap().open_browser);
        assert_eq!(c.max_upload_bytes, 2048);
        assert_eq!(c.http.read_timeout, Duration::from_millis(1500));
        assert_eq!(c.http.max_retries, 0);
        assert_eq!((c.limits.points_per_request, c.limits.generations_per_day), (3, 7));
        assert_eq!(c.analyze_options(None, None).limits.max_bytes, 2048);
        for (k, v) in [
            ("QODER_MAX_UPLOAD_BYTES", "ten"),
            ("QODER_MAX_UPLOAD_BYTES", "0"),
            ("QODER_LLM_TIMEOUT_MS", "-1"),
            ("QODER_LLM_RETRIES", "many"),
            ("JD_GENERATION_POINTS_LIMIT", "99"),
            ("RESUME_RETENTION_COUNT", "0"),
            ("RESUME_RETENTION_COUNT", "1001"),
            ("RESUME_RETENTION_COUNT", "all"),
        ] {
            let e = Config::from_vars(vars(&[(k, v)])).unwrap_err();
            assert_eq!(e.code(), ErrorCode::Validation);
            assert!(e.to_string().starts_with(&format!("{k}: must be a whole number")), "{e}");
        }
    }

    #[test]
    fn one_jd_limit() {
        assert!(check_jd(&"a".repeat(MAX_JD_BYTES)).is_ok());
        let e = check_jd(&"a".repeat(MAX_JD_BYTES + 1)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Validation);
        assert!(e.to_string().contains("the longest accepted is 200 KB"), "{e}");
    }
}
