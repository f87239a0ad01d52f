//! The UI's TypeScript types are generated from the Rust types (ts-rs) and committed in
//! ui/src/bindings. This test regenerates them and fails when the committed files differ;
//! `QODER_UPDATE_BINDINGS=1 cargo test -p qoder-desktop --test bindings` rewrites them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ts_rs::TS;

fn export_all(dir: &Path) {
    use qoder_desktop::dto::*;
    use qoder_desktop::events::*;
    use qoder_domain::dashboard::Dashboard;
    use qoder_domain::job::*;
    use qoder_domain::matching::{MatchRecord, MatchReport};
    use qoder_domain::version::*;
    macro_rules! export {
        ($($t:ty),* $(,)?) => {
            $(<$t>::export_all_to(dir).unwrap_or_else(|e| panic!("export {}: {e}", stringify!($t)));)*
        };
    }
    export!(
        qoder_domain::ErrorBody,
        AppInfo,
        Dashboard,
        VersionDetail,
        ImportResult,
        UploadBytes,
        UploadPath,
        ResumeFamily,
        CleanupReport,
        VersionDiff,
        MatchOutcome,
        MatchRecord,
        MatchReport,
        JobApplication,
        JobDetail,
        JobFilter,
        JobSort,
        PageRequest,
        Page<JobApplication>,
        JobStats,
        VendorSummary,
        JobForm,
        NewInterview,
        NewReminder,
        Settings,
        FileReport,
        SearchResult,
        UploadProgress,
        UploadCompleted,
        ResumeErrorEvent,
        JdProgress,
        JobEvent,
        AiStatus,
        AiPointsOutcome,
        SyncLogin,
        SyncPasswordChange,
        qoder_domain::sync::SyncStatus,
        qoder_domain::sync::SyncReport,
        qoder_domain::sync::SyncConflict,
    );
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "ts") {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                // ts-rs types u64 as `bigint`, but serde_json writes numbers, which JavaScript
                // reads as `number` (every count and size here is far below 2^53).
                let text = std::fs::read_to_string(&p).unwrap().replace("bigint", "number");
                out.insert(name, text);
            }
        }
    }
    out
}

#[test]
fn bindings_are_current() {
    let committed: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
    let tmp = tempfile::tempdir().unwrap();
    export_all(tmp.path());
    let fresh = read_dir(tmp.path());
    assert!(fresh.len() > 30, "only {} bindings generated", fresh.len());
    if std::env::var_os("QODER_UPDATE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(&committed);
        std::fs::create_dir_all(&committed).unwrap();
        for (name, text) in &fresh {
            std::fs::write(committed.join(name), text).unwrap();
        }
        return;
    }
    let old = read_dir(&committed);
    let stale: Vec<&String> = fresh
        .iter()
        .filter(|(n, t)| old.get(*n) != Some(t))
        .map(|(n, _)| n)
        .chain(old.keys().filter(|n| !fresh.contains_key(*n)))
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/bindings is out of date ({stale:?}); run QODER_UPDATE_BINDINGS=1 cargo test -p qoder-desktop --test bindings and commit"
    );
}
