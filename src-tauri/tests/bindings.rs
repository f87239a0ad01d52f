//! The UI's contract with the shell is generated and committed in ui/src/bindings: the types
//! (ts-rs, from the Rust types), commands.ts (every registered command's name, argument names
//! and types and result, read from the `#[tauri::command]` signatures) and events.ts (every
//! event's name and payload, from `events::EVENTS`) and values.ts (every value of the closed sets
//! the UI lists, from the domain's `named_enum!` sets). This test regenerates them and fails when
//! the committed files differ; `QODER_UPDATE_BINDINGS=1 cargo test -p qoder-desktop --test
//! bindings` rewrites them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use ts_rs::TS;

fn export_all(dir: &Path) {
    use qoder_desktop::dto::*;
    use qoder_desktop::events::*;
    use qoder_domain::dashboard::Dashboard;
    use qoder_domain::job::*;
    use qoder_domain::matching::{MatchOutcome, MatchRecord, MatchReport};
    use qoder_domain::suggest::{AiPointsOutcome, AiReviewOutcome};
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
        JdProgress,
        PointsProgress,
        PointsDelta,
        ModelStatus,
        JobEvent,
        AiStatus,
        AiPointsOutcome,
        AiReviewOutcome,
        SyncLogin,
        SyncPasswordChange,
        qoder_domain::sync::SyncStatus,
        qoder_domain::sync::SyncReport,
        qoder_domain::sync::SyncConflict,
        qoder_domain::billing::AccountStatus,
        qoder_domain::billing::Plan,
        qoder_domain::billing::Invoice,
        qoder_domain::billing::FlagsResponse,
        BrowserPage,
        BulkStart,
        BulkRunReport,
        IdentityView,
        qoder_domain::bulk::BulkExportFormat,
        qoder_domain::resume::ExportFormat,
        BulkProgress,
        qoder_domain::bulk::BatchView,
        qoder_domain::bulk::BulkBatch,
        qoder_domain::bulk::BulkCandidate,
        qoder_domain::bulk::RecruiterStatus,
        qoder_domain::calendar::CalendarProvider,
        qoder_domain::calendar::CalendarStatus,
        qoder_domain::calendar::CalendarAccount,
        qoder_domain::calendar::CalendarSyncReport,
        qoder_domain::calendar::CalendarDisconnect,
        qoder_domain::calendar::RemoveEvents,
        qoder_domain::job::Notice,
        qoder_domain::job::NoticeKind,
        NoticesDue,
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
    std::fs::write(tmp.path().join("commands.ts"), commands_ts()).unwrap();
    std::fs::write(tmp.path().join("events.ts"), events_ts()).unwrap();
    std::fs::write(tmp.path().join("values.ts"), values_ts()).unwrap();
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

// ---- commands.ts and events.ts ---------------------------------------------------------------

/// Arguments Tauri fills in itself; the UI does not send them.
const INJECTED: &[&str] = &["AppHandle", "State", "Window", "WebviewWindow", "Webview"];

fn last_ident(path: &syn::Path) -> String {
    path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()
}

fn generic_args(seg: &syn::PathSegment) -> Vec<&syn::Type> {
    match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The TypeScript of a Rust argument or result type, and the generated types it names.
fn ts_type(ty: &syn::Type, imports: &mut BTreeSet<String>) -> String {
    match ty {
        syn::Type::Reference(r) => ts_type(&r.elem, imports),
        syn::Type::Tuple(t) if t.elems.is_empty() => "null".into(),
        syn::Type::Path(p) => {
            let seg = p.path.segments.last().expect("a type has a name");
            let name = seg.ident.to_string();
            let args = generic_args(seg);
            match name.as_str() {
                "String" | "str" => "string".into(),
                "bool" => "boolean".into(),
                "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize"
                | "f32" | "f64" => "number".into(),
                "Option" => format!("{} | null", ts_type(args[0], imports)),
                "Vec" => {
                    let inner = ts_type(args[0], imports);
                    if inner.contains(' ') { format!("({inner})[]") } else { format!("{inner}[]") }
                }
                "Box" | "CommandResult" => ts_type(args[0], imports),
                _ => {
                    imports.insert(name.clone());
                    if args.is_empty() {
                        name
                    } else {
                        let a: Vec<String> = args.iter().map(|t| ts_type(t, imports)).collect();
                        format!("{name}<{}>", a.join(", "))
                    }
                }
            }
        }
        _ => panic!("no TypeScript for a type that is not a path, reference or ()"),
    }
}

fn camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in s.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The commands registered in commands/mod.rs (`module::function`), in order.
fn registered(src: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(src.join("commands/mod.rs")).unwrap();
    let start = text.find("generate_handler![").expect("commands::handler uses generate_handler!");
    let body = &text[start + "generate_handler![".len()..];
    let body = &body[..body.find(']').unwrap()];
    body.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let (m, f) = s.split_once("::").expect("module::function");
            (m.to_string(), f.to_string())
        })
        .collect()
}

/// ui/src/bindings/commands.ts: one typed function per registered command, with the argument
/// names Tauri expects (camelCase) and the result type, read from the Rust signatures.
fn commands_ts() -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut imports = BTreeSet::new();
    let mut lines = Vec::new();
    let mut names = Vec::new();
    for (module, name) in registered(&src) {
        let file = syn::parse_file(
            &std::fs::read_to_string(src.join(format!("commands/{module}.rs"))).unwrap(),
        )
        .unwrap();
        let f = file
            .items
            .iter()
            .find_map(|i| match i {
                syn::Item::Fn(f) if f.sig.ident == name => Some(f),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{module}::{name} is registered but not found"));
        assert!(
            f.attrs.iter().any(|a| a.path().segments.iter().any(|s| s.ident == "command")),
            "{module}::{name} is registered without #[tauri::command]"
        );
        let ret = match &f.sig.output {
            syn::ReturnType::Default => "null".to_string(),
            syn::ReturnType::Type(_, t) => ts_type(t, &mut imports),
        };
        let mut params = Vec::new();
        let mut raw = false;
        for input in &f.sig.inputs {
            let syn::FnArg::Typed(pt) = input else { continue };
            let syn::Type::Path(tp) = &*pt.ty else { panic!("{name}: unsupported argument type") };
            let ty_name = last_ident(&tp.path);
            if INJECTED.contains(&ty_name.as_str()) {
                continue;
            }
            if ty_name == "Request" {
                raw = true;
                continue;
            }
            let syn::Pat::Ident(id) = &*pt.pat else { panic!("{name}: unnamed argument") };
            params.push((camel(&id.ident.to_string()), ts_type(&pt.ty, &mut imports)));
        }
        let fn_name = camel(&name);
        names.push(name.clone());
        let line = if raw {
            assert!(params.is_empty(), "{name}: a raw-body command takes no other arguments");
            format!(
                "    {fn_name}: (body: Uint8Array, headers: Record<string, string>) => call<{ret}>(\"{name}\", body, {{ headers }}),"
            )
        } else if params.is_empty() {
            format!("    {fn_name}: () => call<{ret}>(\"{name}\"),")
        } else {
            let sig: Vec<String> = params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
            let args: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
            format!(
                "    {fn_name}: ({}) => call<{ret}>(\"{name}\", {{ {} }}),",
                sig.join(", "),
                args.join(", ")
            )
        };
        lines.push(line);
    }
    let mut out = String::from(
        "// Generated by src-tauri/tests/bindings.rs from the #[tauri::command] signatures. Do not edit.\n\n",
    );
    for i in &imports {
        out.push_str(&format!("import type {{ {i} }} from \"./{i}\";\n"));
    }
    out.push_str(
        "\n/** How a command is invoked (Tauri's `invoke`, wrapped to turn failures into ApiError). */\n\
         export type Call = <T>(cmd: string, args?: Record<string, unknown> | Uint8Array, options?: { headers: Record<string, string> }) => Promise<T>;\n\n\
         /** Every command the app registers, typed from its Rust signature. */\n\
         export function commands(call: Call) {\n  return {\n",
    );
    for l in &lines {
        out.push_str(&l[2..]);
        out.push('\n');
    }
    out.push_str(
        "  };\n}\n\n/** The registered command names. */\nexport const COMMAND_NAMES = [\n",
    );
    for n in &names {
        out.push_str(&format!("  \"{n}\",\n"));
    }
    out.push_str("] as const;\n\n/** The headers of `resume_upload_bytes` (its body is the file's raw bytes). */\nexport const UPLOAD_HEADERS = {\n");
    use qoder_desktop::dto::{UPLOAD_FAMILY_ID, UPLOAD_FILE_NAME, UPLOAD_ID};
    for (k, v) in
        [("uploadId", UPLOAD_ID), ("fileName", UPLOAD_FILE_NAME), ("familyId", UPLOAD_FAMILY_ID)]
    {
        out.push_str(&format!("  {k}: \"{v}\",\n"));
    }
    out.push_str("} as const;\n");
    out
}

/// ui/src/bindings/events.ts: each event's name with its payload type (events::EVENTS).
fn events_ts() -> String {
    let mut out = String::from(
        "// Generated by src-tauri/tests/bindings.rs from qoder_desktop::events::EVENTS. Do not edit.\n\n",
    );
    let types: BTreeSet<&str> = qoder_desktop::events::EVENTS.iter().map(|(_, t)| *t).collect();
    for t in &types {
        out.push_str(&format!("import type {{ {t} }} from \"./{t}\";\n"));
    }
    out.push_str(
        "\n/** Every event the app emits, with its payload. */\nexport type EventPayloads = {\n",
    );
    for (name, t) in qoder_desktop::events::EVENTS {
        out.push_str(&format!("  \"{name}\": {t};\n"));
    }
    out.push_str("};\n\nexport const EVENT_NAMES = [\n");
    for (name, _) in qoder_desktop::events::EVENTS {
        out.push_str(&format!("  \"{name}\",\n"));
    }
    out.push_str("] as const;\n");
    out
}

/// ui/src/bindings/values.ts: every value of the closed sets the UI offers in a list or a
/// select, in the order Rust declares them (`named_enum!`'s `ALL`), so no screen spells them.
fn values_ts() -> String {
    use qoder_domain::job::{InterviewKind, JobStatus, RatePeriod, WorkMode};
    let sets: [(&str, &str, Vec<&str>); 4] = [
        ("JobStatus", "JOB_STATUSES", JobStatus::ALL.map(JobStatus::as_str).to_vec()),
        (
            "InterviewKind",
            "INTERVIEW_KINDS",
            InterviewKind::ALL.map(InterviewKind::as_str).to_vec(),
        ),
        ("RatePeriod", "RATE_PERIODS", RatePeriod::ALL.map(RatePeriod::as_str).to_vec()),
        ("WorkMode", "WORK_MODES", WorkMode::ALL.map(WorkMode::as_str).to_vec()),
    ];
    let mut out = String::from(
        "// Generated by src-tauri/tests/bindings.rs from the domain's named_enum! sets. Do not edit.\n\n",
    );
    for (t, _, _) in &sets {
        out.push_str(&format!("import type {{ {t} }} from \"./{t}\";\n"));
    }
    for (t, name, values) in &sets {
        let list: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
        out.push_str(&format!(
            "\n/** Every `{t}`, in declaration order. */\nexport const {name}: readonly {t}[] = [{}];\n",
            list.join(", ")
        ));
    }
    out
}

/// Every declared event has a listener in the UI (through `on(...)` in ui/src/lib/events.ts).
#[test]
fn every_event_is_listened_to() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src");
    let mut text = String::new();
    let mut stack = vec![ui];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                if n != "bindings" && n != "test" {
                    stack.push(p);
                }
            } else if (n.ends_with(".ts") || n.ends_with(".tsx")) && !n.contains(".test.") {
                text.push_str(&std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let unheard: Vec<&str> = qoder_desktop::events::EVENTS
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !text.contains(&format!("on(\"{n}\"")))
        .collect();
    assert!(unheard.is_empty(), "events without a listener in ui/src: {unheard:?}");
    assert!(!text.contains("listen("), "listen only through on(…) in ui/src/lib/events.ts");
}
