//! Bulk screening through the core's seam: a cancel mid-run keeps the files read, a second
//! run reads only the rest (their parse times are unchanged), a zip with a bomb entry, and
//! knock-outs that flag without moving anyone.

use qoder_analysis::AnalyzeOptions;
use qoder_core::bulk::{self, BatchChoice, BulkRequest};
use qoder_core::{Config, Store};
use qoder_domain::bulk::{BatchState, BulkEvent, BulkSource, Criteria, KnockoutResult};
use qoder_domain::{CodedError, ErrorCode};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests")
}

fn opts() -> AnalyzeOptions {
    // In this process: the isolated worker is a binary of the front ends (tested by the CLI).
    Config::default().analyze_options(None, None)
}

fn request(source: BulkSource, jd: &str, criteria: Criteria) -> BulkRequest {
    BulkRequest {
        source,
        jd_text: std::fs::read_to_string(tests_dir().join(format!("fit/jds/{jd}.txt"))).unwrap(),
        criteria,
        concurrency: 2,
        semantic_top: 0,
        analyze: opts(),
        batch: BatchChoice::Continue,
    }
}

fn fit_folder(dir: &Path) {
    for e in std::fs::read_dir(tests_dir().join("fit/resumes")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
}

#[test]
fn a_cancelled_run_continues_without_parsing_done_files_again() {
    let data = tempfile::tempdir().unwrap();
    let cvs = tempfile::tempdir().unwrap();
    fit_folder(cvs.path());
    let total = std::fs::read_dir(cvs.path()).unwrap().count();
    let store = Mutex::new(Store::open(data.path()).unwrap());
    let req = request(
        BulkSource::Folder { path: cvs.path().to_string_lossy().into() },
        "senior-pm",
        Criteria::default(),
    );
    let cancel = AtomicBool::new(false);
    let mut finished = 0;
    let out = bulk::run(
        &store,
        None,
        None,
        &req,
        &mut |e| {
            if let BulkEvent::FileFinished { .. } = e {
                finished += 1;
                if finished == 4 {
                    cancel.store(true, Ordering::SeqCst);
                }
            }
        },
        &cancel,
    )
    .unwrap();
    assert!(out.cancelled);
    assert_eq!(out.view.batch.state, BatchState::Cancelled);
    let done = out.view.batch.counts.done as usize;
    assert!(done >= 4 && done < total, "{done} of {total}");
    assert!(out.view.candidates.is_empty(), "nothing is ranked before every file is read");
    let id = out.view.batch.id.clone();
    let before = qoder_store::bulk::parsed_at(store.lock().unwrap().conn(), &id).unwrap();
    assert_eq!(before.len(), done);

    let mut events = Vec::new();
    let out = bulk::run(&store, None, None, &req, &mut |e| events.push(e), &AtomicBool::new(false))
        .unwrap();
    assert!(!out.cancelled && out.resumed);
    assert_eq!(out.view.batch.id, id);
    assert_eq!(out.already_done as usize, done);
    assert_eq!(out.parsed_now as usize, total - done);
    assert_eq!(out.view.candidates.len(), total);
    assert_eq!(out.view.batch.state, BatchState::Done);
    let after = qoder_store::bulk::parsed_at(store.lock().unwrap().conn(), &id).unwrap();
    for (id, at) in &before {
        assert!(after.contains(&(*id, *at)), "candidate {id} was parsed again");
    }
    assert!(matches!(events[0], BulkEvent::Stage { .. }));
    assert!(events.iter().any(|e| matches!(e, BulkEvent::Started { resumed: true, .. })));
    assert!(matches!(events.last(), Some(BulkEvent::Finished { .. })));
    // The stages were timed; the ranking is best first, the senior PM at the top.
    let stages: Vec<&str> = out.stages.iter().map(|s| s.stage.as_str()).collect();
    assert_eq!(stages, ["collecting", "parsing", "scoring", "ranking"]);
    assert!(
        out.view.candidates[0].file.ends_with("senior-pm.txt"),
        "{}",
        out.view.candidates[0].file
    );
    // A new batch of the same input starts over.
    let fresh = BulkRequest { batch: BatchChoice::New, ..req };
    let out = bulk::run(&store, None, None, &fresh, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    assert_ne!(out.view.batch.id, id);
    assert_eq!(out.parsed_now as usize, total);
}

#[test]
fn a_zip_is_read_under_limits_and_a_bomb_entry_is_listed_not_inflated() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("cvs.zip");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, src) in [
            ("in/ml-engineer.txt", "fit/resumes/ml-engineer.txt"),
            ("in/chef.txt", "fit/resumes/chef.txt"),
            ("r20-ml-engineer.pdf", "corpus/files/r20-ml-engineer.pdf"),
            ("r22-chef.docx", "corpus/files/r22-chef.docx"),
        ] {
            z.start_file(name, o).unwrap();
            z.write_all(&std::fs::read(tests_dir().join(src)).unwrap()).unwrap();
        }
        // 8 MB of one byte: expands far more than 200x.
        z.start_file("bomb.txt", o).unwrap();
        z.write_all(&vec![b'a'; 8 * 1024 * 1024]).unwrap();
        z.start_file("__MACOSX/._chef.txt", o).unwrap();
        z.write_all(b"junk").unwrap();
        z.finish().unwrap();
    }
    let store = Mutex::new(Store::open(data.path()).unwrap());
    let criteria = Criteria {
        must_have: vec!["PyTorch".into(), "Kubernetes".into()],
        min_years: Some(4.0),
        certificates: vec!["AWS Certified Machine Learning".into()],
        statements: vec![],
    };
    let req = request(
        BulkSource::Zip { path: zip_path.to_string_lossy().into() },
        "ml-engineer",
        criteria,
    );
    let out = bulk::run(&store, None, None, &req, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    let v = &out.view;
    assert_eq!(v.candidates.len(), 4, "{:#?}", v.failed);
    assert_eq!(v.failed.len(), 1);
    assert!(v.failed[0].file.ends_with("cvs.zip!/bomb.txt"));
    assert_eq!(v.failed[0].error.as_ref().unwrap().code, ErrorCode::ResourceLimit);
    let top = &v.candidates[0];
    assert!(
        top.file.ends_with("!/in/ml-engineer.txt") || top.file.ends_with("!/r20-ml-engineer.pdf"),
        "{}",
        top.file
    );
    let chef = v.candidates.iter().find(|c| c.file.ends_with("!/in/chef.txt")).unwrap();
    assert!(chef.rank > top.rank);
    // The chef is flagged (no PyTorch) but still ranked, with the score the fit gives.
    assert!(chef.flagged);
    assert_eq!(chef.knockouts[0].result, KnockoutResult::NotMet);
    let ml = v.candidates.iter().find(|c| c.file.ends_with("!/in/ml-engineer.txt")).unwrap();
    assert_eq!(ml.knockouts[0].result, KnockoutResult::Met, "{:?}", ml.knockouts);
    assert!(ml.knockouts[0].evidence.is_some());
    // The job's skills each candidate shows and lacks are kept with it (the Screening table).
    assert!(!ml.matched_skills.is_empty(), "{ml:#?}");
    assert!(chef.missing_skills.len() > ml.missing_skills.len(), "{chef:#?}");
    let stored = bulk::show(&store.lock().unwrap(), &v.batch.id).unwrap();
    let again = stored.candidates.iter().find(|c| c.id == ml.id).unwrap();
    assert_eq!(again.matched_skills, ml.matched_skills);
    // A ranked candidate becomes a tracked job: the JD as the job, the candidate as contact.
    let job = bulk::track(&mut store.lock().unwrap(), &v.batch.id, ml.id).unwrap();
    assert_eq!(job.status, qoder_domain::job::JobStatus::Screening);
    let notes = job.notes.clone().unwrap_or_default();
    assert!(notes.contains(&format!("Score {}/100", ml.score.unwrap())), "{notes}");
    assert!(notes.contains("Shows: "), "{notes}");
    assert!(job.description.as_deref().is_some_and(|d| !d.is_empty()));
    let noted = bulk::show(&store.lock().unwrap(), &v.batch.id).unwrap();
    let noted = noted.candidates.iter().find(|c| c.id == ml.id).unwrap();
    assert!(noted.notes.contains(&job.id.to_string()), "{}", noted.notes);
    // A file that failed has no score to track.
    let e = bulk::track(&mut store.lock().unwrap(), &v.batch.id, v.failed[0].id).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation, "{e}");
    // No certifications section: the certificate cannot be judged.
    for c in &v.candidates {
        let cert = c.knockouts.iter().find(|k| k.criterion.starts_with("AWS")).unwrap();
        assert_ne!(cert.result, KnockoutResult::Met, "{}", c.file);
    }
    assert!(out.skipped.iter().any(|s| s.contains("__MACOSX")));
}

#[test]
fn an_empty_jd_or_folder_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let cvs = tempfile::tempdir().unwrap();
    let store = Mutex::new(Store::open(data.path()).unwrap());
    let mut req = request(
        BulkSource::Folder { path: cvs.path().to_string_lossy().into() },
        "frontend",
        Criteria::default(),
    );
    let e = bulk::run(&store, None, None, &req, &mut |_| {}, &AtomicBool::new(false)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation);
    req.jd_text = "  ".into();
    let e = bulk::run(&store, None, None, &req, &mut |_| {}, &AtomicBool::new(false)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation);
}
