//! A daily rolling log file in the app's log directory (seven files kept), plus stderr in
//! development. Level from QODER_LOG (default info).

use std::path::Path;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Keeps the log writer's thread alive as long as the app.
pub struct Guard {
    _worker: Option<tracing_appender::non_blocking::WorkerGuard>,
}

impl Guard {
    pub fn keep(worker: Option<tracing_appender::non_blocking::WorkerGuard>) -> Self {
        Guard { _worker: worker }
    }
}

pub fn init(dir: &Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let filter = EnvFilter::try_from_env("QODER_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("qoder")
        .filename_suffix("log")
        .max_log_files(7)
        .build(dir);
    let (file_layer, guard) = match appender {
        Ok(a) => {
            let (w, g) = tracing_appender::non_blocking(a);
            (Some(tracing_subscriber::fmt::layer().with_ansi(false).with_writer(w)), Some(g))
        }
        Err(e) => {
            eprintln!("note: no log file in {}: {e}", dir.display());
            (None, None)
        }
    };
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(file_layer)
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .try_init();
    guard
}
