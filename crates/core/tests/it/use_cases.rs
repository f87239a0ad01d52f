//! The use cases both front ends call (qoder-core's seam), over a real SQLite store: import with
//! progress and cancel, matching with history and trend, AI points without a provider and with
//! a provider that fails, the provider overview, and the one JD size limit.

use qoder_analysis::AnalyzeOptions;
use qoder_analysis::matching::MatchOptions;
use qoder_core::matching::{MatchRequest, StoredResume, run_match, stored_resume};
use qoder_core::resume::{Family, ImportSource, import_file};
use qoder_core::suggest::{AiPointsJob, ai_points, provider_overview};
use qoder_core::{Config, Store};
use qoder_domain::version::ImportStage;
use qoder_domain::{CodedError, ErrorCode};
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

const JD: &str = "Senior Backend Engineer\nRequirements\n- Rust\n- PostgreSQL\n- Kafka\n";

fn resume_txt() -> Vec<u8> {
    b"Jane Doe\njane.doe@example.com | +1 555 123 4567 | Boston, MA\n\nExperience\nAcme Corp \xe2\x80\x94 Senior Engineer, Jan 2020 \xe2\x80\x93 Present\n\xe2\x80\xa2 Built billing services in Rust and PostgreSQL\n\nEducation\nMIT, BSc Computer Science, 2012 \xe2\x80\x93 2016\n\nSkills\nRust, SQL, PostgreSQL\n".to_vec()
}

fn opts() -> AnalyzeOptions {
    Config::default().analyze_options(Some("jane.txt".into()), None)
}

#[test]
fn import_reports_each_stage_and_a_cancel_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Mutex::new(Store::open(dir.path()).unwrap());
    let mut seen = Vec::new();
    let out = import_file(
        &store,
        ImportSource::Bytes(resume_txt()),
        Family::Auto,
        &opts(),
        &Config::default(),
        &mut |stage, pct| seen.push((stage, pct)),
        &AtomicBool::new(false),
    )
    .unwrap()
    .expect("not cancelled");
    assert!(!out.duplicate);
    assert_eq!(
        seen,
        vec![
            (ImportStage::Reading, 5),
            (ImportStage::Extracting, 25),
            (ImportStage::Analysing, 70),
            (ImportStage::Saving, 90),
            (ImportStage::Saving, 100)
        ]
    );
    // Cancelled before the save: nothing new is stored.
    let mut other = resume_txt();
    other.extend_from_slice(b"\nCertifications\nAWS Solutions Architect\n");
    let cancelled = import_file(
        &store,
        ImportSource::Bytes(other),
        Family::New,
        &opts(),
        &Config::default(),
        &mut |_, _| {},
        &AtomicBool::new(true),
    )
    .unwrap();
    assert!(cancelled.is_none());
    assert_eq!(qoder_core::resume::versions(&store.lock().unwrap(), None).unwrap().len(), 1);
    // The same bytes again: the stored version, not a second one.
    let again = import_file(
        &store,
        ImportSource::Bytes(resume_txt()),
        Family::Auto,
        &opts(),
        &Config::default(),
        &mut |_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap()
    .unwrap();
    assert!(again.duplicate);
}

#[test]
fn import_refuses_a_large_file_before_reading_it_and_names_a_missing_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = Mutex::new(Store::open(dir.path()).unwrap());
    let mut o = opts();
    o.limits.max_bytes = 100;
    let path = dir.path().join("big.txt");
    std::fs::write(&path, resume_txt()).unwrap();
    let e = import_file(
        &store,
        ImportSource::Path(path),
        Family::Auto,
        &o,
        &Config::default(),
        &mut |_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::FileTooLarge);
    assert!(e.to_string().contains("the largest resume accepted is 100 bytes"), "{e}");
    let e = import_file(
        &store,
        ImportSource::Path(dir.path().join("nope.pdf")),
        Family::Auto,
        &opts(),
        &Config::default(),
        &mut |_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotFound);
}

fn imported(store: &Mutex<Store>) -> StoredResume {
    let out = import_file(
        store,
        ImportSource::Bytes(resume_txt()),
        Family::Auto,
        &opts(),
        &Config::default(),
        &mut |_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap()
    .unwrap();
    stored_resume(&store.lock().unwrap(), &out.version.id.to_string()).unwrap()
}

#[test]
fn matching_records_history_and_trend_for_any_resume() {
    let dir = tempfile::tempdir().unwrap();
    let store = Mutex::new(Store::open(dir.path()).unwrap());
    let stored = imported(&store);
    let opts = MatchOptions::new((2026, 11));
    let mut s = store.lock().unwrap();
    let req =
        MatchRequest { resume: &stored, jd_text: JD, job_id: None, opts: &opts, record: true };
    let first = run_match(Some(&mut s), None, None, &req).unwrap();
    assert_eq!(first.history.len(), 1);
    let second = run_match(Some(&mut s), None, None, &req).unwrap();
    assert_eq!(second.history.len(), 2);
    let t = second.trend.expect("two runs have a trend");
    assert_eq!((t.runs, t.first, t.last), (2, first.report.score, second.report.score));
    // A resume that is a file (not stored) against the same JD: its own history, the other
    // resume counted apart.
    let file =
        StoredResume { version_id: None, sha256: "f".repeat(64), label: "cv.txt".into(), ..stored };
    let req = MatchRequest { resume: &file, jd_text: JD, job_id: None, opts: &opts, record: true };
    let third = run_match(Some(&mut s), None, None, &req).unwrap();
    assert_eq!((third.history.len(), third.other_resumes), (1, 2));
    // Not recorded: the history is read, nothing is added.
    let req = MatchRequest { record: false, ..req };
    assert_eq!(run_match(Some(&mut s), None, None, &req).unwrap().history.len(), 1);
    // One JD limit for every front end.
    let long = "Rust ".repeat(qoder_core::config::MAX_JD_BYTES / 5 + 1);
    let req = MatchRequest { jd_text: &long, ..req };
    let e = run_match(Some(&mut s), None, None, &req).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation);
}

#[test]
fn ai_points_without_a_provider_say_so_and_keep_the_rule_based_suggestions() {
    let dir = tempfile::tempdir().unwrap();
    let store = Mutex::new(Store::open(dir.path()).unwrap());
    let stored = imported(&store);
    let mut s = store.lock().unwrap();
    let job = AiPointsJob {
        resume: &stored.resume,
        version: stored.version_id,
        jd_text: JD,
        context: "Ran Kafka clusters at Acme",
        stream: false,
    };
    let out = ai_points(&mut s, None, None, &Config::default().limits, &job, &mut |_| {}).unwrap();
    assert!(out.ai.is_none() && out.error.is_none());
    assert_eq!(out.notice.as_deref(), Some(qoder_core::suggest::NO_PROVIDER));
    assert!(!out.rule_based.is_empty(), "Kafka is missing: a rule-based suggestion says so");
    assert_eq!(out.job_title.as_deref(), Some("Senior Backend Engineer"));
    // The facts are kept with the version.
    let kept =
        qoder_core::suggest::stored_context(&s, &stored.version_id.unwrap().to_string()).unwrap();
    assert_eq!(kept, "Ran Kafka clusters at Acme");
    // The wire shape both front ends show.
    let v = serde_json::to_value(&out).unwrap();
    for k in ["ai", "notice", "error", "rule_based", "match_score", "job_title"] {
        assert!(v.get(k).is_some(), "{k} missing in {v}");
    }
}

#[test]
fn provider_overview_lists_configured_then_built_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let cfg = qoder_llm::ProviderConfig::new(
        qoder_llm::ProviderKind::OpenaiCompatible,
        Some("http://127.0.0.1:11434/v1"),
    )
    .unwrap();
    let cfg = qoder_llm::ProviderConfig { name: "local".into(), ..cfg };
    qoder_core::suggest::save_provider(&mut s, cfg).unwrap();
    let no_keychain =
        qoder_llm::secret::KeySource { env_override: None, keychain: false, session: None };
    let rows = provider_overview(&s, &no_keychain).unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names[0], "local");
    assert!(rows[0].configured && rows[0].active());
    // Built-ins without a key are listed but not asked (the router's rule).
    assert!(rows[1..].iter().all(|r| !r.configured && !r.active()), "{rows:?}");
    assert!(rows.iter().all(|r| r.key == qoder_domain::suggest::KeyState::None));
}
