//! What the commands share: the local store, the embedding model (loaded once, in the
//! background) and the uploads and screening runs in flight (for cancel).

use qoder_core::{Cache, Config, Store};
use qoder_embed::Embedder;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use crate::error::{CommandError, CommandResult};

/// The embedding model, once its background load has finished.
pub enum Model {
    Ready(Box<Embedder>),
    /// Not installed or failed to load: matching runs keyword-only and the UI says why.
    Unavailable(String),
}

pub struct AppState {
    /// The settings from the environment, read once at start-up.
    pub config: Config,
    pub data_dir: PathBuf,
    pub log_dir: PathBuf,
    pub model_dir: PathBuf,
    store: Mutex<Store>,
    cache: Mutex<Option<Cache>>,
    pub model: OnceLock<Model>,
    /// Upload id → cancel flag.
    pub uploads: Mutex<HashMap<String, Arc<AtomicBool>>>,
    /// Screening run id → cancel flag.
    pub bulk_runs: Mutex<HashMap<String, Arc<AtomicBool>>>,
    /// How this process runs the parser of untrusted files.
    pub worker: Option<qoder_analysis::extract::isolate::WorkerCommand>,
}

impl AppState {
    pub fn open(data_dir: PathBuf, log_dir: PathBuf, model_dir: PathBuf) -> anyhow::Result<Self> {
        let config = Config::from_env()?;
        let store = Store::open(&data_dir)?;
        let cache = Cache::open(&data_dir).ok();
        let worker = std::env::current_exe().ok().map(|program| {
            qoder_analysis::extract::isolate::WorkerCommand {
                program,
                args: vec![crate::EXTRACT_WORKER_ARG.to_string()],
            }
        });
        Ok(AppState {
            config,
            data_dir,
            log_dir,
            model_dir,
            store: Mutex::new(store),
            cache: Mutex::new(cache),
            model: OnceLock::new(),
            uploads: Mutex::new(HashMap::new()),
            bulk_runs: Mutex::new(HashMap::new()),
            worker,
        })
    }

    pub fn store(&self) -> CommandResult<MutexGuard<'_, Store>> {
        self.store.lock().map_err(|_| {
            CommandError::new(
                qoder_domain::ErrorCode::Internal,
                "the database handle was poisoned by an earlier failure; restart the app",
            )
        })
    }

    /// The store's lock itself, for core use cases that lock it only while they need it.
    pub fn store_lock(&self) -> &Mutex<Store> {
        &self.store
    }

    pub fn cache(&self) -> MutexGuard<'_, Option<Cache>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Loads the embedding model (slow: call from a background thread).
    pub fn load_model(&self) {
        let _ = self.model.get_or_init(|| {
            match Embedder::load_with(&self.model_dir, qoder_embed::EmbedConfig::default()) {
                Ok(e) => {
                    tracing::info!(model = e.model_id(), "embedding model loaded");
                    Model::Ready(Box::new(e))
                }
                Err(e) => {
                    tracing::warn!(error = %e, "embedding model unavailable; keyword-only matching");
                    Model::Unavailable(e.to_string())
                }
            }
        });
    }
}
