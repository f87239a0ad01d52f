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
/// Start with the window hidden in the tray (what the login item passes).
pub const HIDDEN_ARG: &str = "--hidden";

/// Whether the app is one of the system's login items (then it lives in the tray: closing the
/// window hides it, so reminders still notify).
pub fn starts_at_login(app: &tauri::AppHandle) -> bool {
    use tauri_plugin_autostart::ManagerExt;
    app.autolaunch().is_enabled().unwrap_or(false)
}

fn show_main(app: &tauri::AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

/// The tray icon: open the window, or quit (the only way out when closing hides the window).
fn install_tray(app: &tauri::App) -> tauri::Result<()> {
    use tauri::menu::{Menu, MenuItem};
    use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
    let open = MenuItem::with_id(app, "open", "Open QoderResume", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &quit])?;
    let mut tray = TrayIconBuilder::with_id("main")
        .tooltip("QoderResume")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, e| match e.id().as_ref() {
            "open" => show_main(app),
            "quit" => app.exit(0),
            _ => {}
        })
        .on_tray_icon_event(|tray, e| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = e
            {
                show_main(tray.app_handle());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(())
}

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
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| show_main(app)))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec![HIDDEN_ARG]),
        ))
        .setup(|app| {
            let data_dir = data_dir(app)?;
            let log_dir = app.path().app_log_dir().unwrap_or_else(|_| data_dir.join("logs"));
            let guard = logging::init(&log_dir);
            app.manage(logging::Guard::keep(guard));
            let state = state::AppState::open(data_dir, log_dir, model_dir(app))?;
            tracing::info!(data_dir = %state.data_dir.display(), "QoderResume started");
            commands::sync::start(app.handle(), state.data_dir.clone());
            app.manage(state);
            commands::notify::start(app.handle());
            if let Err(e) = install_tray(app) {
                tracing::warn!(error = %e, "no tray icon");
            }
            commands::calendar::start(app.handle());
            if let Some(w) = app.get_webview_window("main") {
                tune_webview(&w);
                if std::env::args().any(|a| a == HIDDEN_ARG) {
                    let _ = w.hide();
                }
            }
            // The embedding model (~200 MB in memory) loads on the first match, not at start-up.
            Ok(())
        })
        .on_window_event(|w, e| {
            // In the tray when started at login: closing hides, so reminders still notify.
            if let tauri::WindowEvent::CloseRequested { api, .. } = e
                && starts_at_login(w.app_handle())
            {
                api.prevent_close();
                let _ = w.hide();
            }
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
