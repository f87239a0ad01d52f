// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    // The app re-runs itself as the sandboxed parser of untrusted files (see
    // qoder_analysis::extract::isolate); that child never starts a window.
    if std::env::args().nth(1).as_deref() == Some(qoder_desktop::EXTRACT_WORKER_ARG) {
        return qoder_analysis::extract::isolate::worker_main();
    }
    qoder_desktop::run();
    std::process::ExitCode::SUCCESS
}
