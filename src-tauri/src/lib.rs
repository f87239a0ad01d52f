//! qoder-desktop: the Tauri shell over qoder-core. Setup, plugins, logging, state and thin
//! commands (one module per feature under `commands/`); no business rules live here.
#![forbid(unsafe_code)]

pub mod commands;
pub mod dto;
pub mod error;
pub mod events;
mod logging;
pub mod state;

use std::path::PathBuf;
use tauri::Manager;

/// First argument that makes the binary act as the isolated file parser.
pub const EXTRACT_WORKER_ARG: &str = "__extract-worker";

/// Where the embedding model is: QODER_MODEL_DIR, the bundled resources, or the workspace.
fn model_dir(app: &tauri::App) -> PathBuf {
    if let Some(d) = std::env::var_os("QODER_MODEL_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    if let Ok(res) = app.path().resource_dir() {
        let bundled = res.join("models").join("minilm");
        if bundled.join("model.safetensors").is_file() {
            return bundled;
        }
    }
    qoder_embed::default_model_dir()
}

/// The same directory as the `qoder` CLI (QODER_DATA_DIR, else the platform data directory),
/// so both see the same resumes and jobs.
fn data_dir(app: &tauri::App) -> anyhow::Result<PathBuf> {
    match qoder_core::data_dir() {
        Ok(d) => Ok(d),
        Err(_) => Ok(app.path().app_data_dir()?),
    }
}

/// WebKitGTK is tuned for browsing: large caches (back/forward pages, decoded resources), which
/// a single-page app does not need. QODER_NO_GPU=1 also turns off GPU compositing, whose OpenGL
/// buffers cost ~100 MB in the web process (web process PSS 217 → 120 MiB under Xvfb); it is
/// not the default because WebKitWebDriver's screenshots crash the web process in that mode
/// with this WebKitGTK, so the end-to-end suite could not cover it.
fn tune_webview(w: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    let _ = w.with_webview(|wv| {
        use webkit2gtk::{
            CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
        };
        let view = wv.inner();
        if let Some(ctx) = view.context() {
            ctx.set_cache_model(CacheModel::DocumentViewer);
        }
        if std::env::var_os("QODER_NO_GPU").is_some_and(|v| v == "1")
            && let Some(settings) = view.settings()
        {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = w;
}

pub fn run() {
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let data_dir = data_dir(app)?;
            let log_dir = app.path().app_log_dir().unwrap_or_else(|_| data_dir.join("logs"));
            let guard = logging::init(&log_dir);
            app.manage(logging::Guard::keep(guard));
            let state = state::AppState::open(data_dir, log_dir, model_dir(app))?;
            tracing::info!(data_dir = %state.data_dir.display(), "QoderResume started");
            commands::sync::start(app.handle(), state.data_dir.clone());
            app.manage(state);
            commands::calendar::start(app.handle());
            if let Some(w) = app.get_webview_window("main") {
                tune_webview(&w);
            }
            // The embedding model (~200 MB in memory) loads on the first match, not at start-up.
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("QoderResume could not start: {e}");
            std::process::exit(1);
        }
    }
}
