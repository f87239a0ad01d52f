//! `qoder bulk`: a folder of real resumes (PDF, DOCX, TXT from the corpora, a duplicate, a
//! second file of the same person, a damaged PDF) screened against a real JD by the binary.

use crate::common::{ok, qoder};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests")
}

fn copy(from: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(tests_dir().join(from), to).unwrap_or_else(|e| panic!("copy {from}: {e}"));
}

/// The screening folder: the resume written for the frontend JD, unrelated ones, real PDF and
/// DOCX files, a byte-identical copy, the same person's other file, a damaged PDF, a note.
fn folder(root: &Path) -> PathBuf {
    let cvs = root.join("cvs");
    copy("fit/resumes/frontend.txt", &cvs.join("frontend.txt"));
    for r in ["chef", "nurse-icu", "electrician", "accountant", "warehouse-associate"] {
        copy(&format!("fit/resumes/{r}.txt"), &cvs.join(format!("{r}.txt")));
    }
    copy("corpus/files/r03-nurse.docx", &cvs.join("docx/r03-nurse.docx"));
    copy("corpus/files/r22-chef.docx", &cvs.join("docx/r22-chef.docx"));
    copy("corpus/files/r04-accountant.pdf", &cvs.join("pdf/r04-accountant.pdf"));
    copy("corpus/files/r31-warehouse.txt", &cvs.join("pdf/r31-warehouse.txt"));
    copy("unseen/files/u01-jr-even.pdf", &cvs.join("pdf/u01-jr-even.pdf"));
    // The same bytes under another name: read once.
    copy("fit/resumes/frontend.txt", &cvs.join("copies/frontend (1).txt"));
    // The same person, another version of the file (other bytes, same email and phone).
    let mut other = std::fs::read_to_string(tests_dir().join("fit/resumes/frontend.txt")).unwrap();
    other.push_str("\nLANGUAGES\nSwedish, English\n");
    std::fs::write(cvs.join("copies/frontend-2024.txt"), other).unwrap();
    copy("corpus/bad/truncated.pdf", &cvs.join("bad/truncated.pdf"));
    std::fs::write(cvs.join("notes.md"), "not a resume").unwrap();
    cvs
}

fn by_file<'a>(list: &'a [Value], suffix: &str) -> &'a Value {
    list.iter()
        .find(|c| c["file"].as_str().unwrap().ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix} in {list:#?}"))
}

fn position(list: &[Value], suffix: &str) -> usize {
    list.iter().position(|c| c["file"].as_str().unwrap().ends_with(suffix)).unwrap()
}

#[test]
fn a_folder_is_ranked_with_duplicates_failures_and_knockouts() {
    let data = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let cvs = folder(root.path());
    let jd = tests_dir().join("fit/jds/frontend.txt");
    let out = ok(
        data.path(),
        &[
            "bulk",
            "run",
            cvs.to_str().unwrap(),
            "--jd",
            jd.to_str().unwrap(),
            "--json",
            "--keyword-only",
            "--concurrency",
            "2",
            "--must-have",
            "React",
            "--min-years",
            "3",
            "--require",
            "authorized to work in the EU",
        ],
        &[],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let cands = v["candidates"].as_array().unwrap();
    // 14 files found; one byte-identical copy, one damaged PDF: 12 ranked.
    assert_eq!(v["batch"]["counts"]["total"], 14, "{out}");
    assert_eq!(cands.len(), 12, "{out}");
    // Ranked best first, ranks 1..n, scores 0–100 with components.
    for (i, c) in cands.iter().enumerate() {
        assert_eq!(c["rank"], i + 1);
        let s = c["score"].as_u64().unwrap();
        assert!(s <= 100);
        assert_eq!(c["components"].as_array().unwrap().len(), 6, "{c}");
        if i > 0 {
            assert!(s <= cands[i - 1]["score"].as_u64().unwrap());
        }
        assert!(Path::new(c["file"].as_str().unwrap()).is_absolute());
    }
    // The resume written for the posting ranks above every unrelated one, in its band
    // (tests/fit/cases.json: 60–100).
    let front = position(cands, "/cvs/frontend.txt");
    for other in [
        "chef.txt",
        "nurse-icu.txt",
        "electrician.txt",
        "accountant.txt",
        "r22-chef.docx",
        "r04-accountant.pdf",
    ] {
        assert!(front < position(cands, other), "frontend below {other}: {out}");
    }
    let f = &cands[front];
    assert!(f["score"].as_u64().unwrap() >= 60, "{f}");
    assert_eq!(f["name"], "Maya Lindqvist");
    // The identical copy is read once and listed with its original.
    let dups = v["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1);
    assert_eq!(dups[0]["duplicate_of"], f["id"]);
    assert!(f["duplicates"][0].as_str().unwrap().ends_with("frontend (1).txt"));
    // The same person's other file is ranked, and marked as the same person.
    let later = by_file(cands, "frontend-2024.txt");
    assert_eq!(later["same_person_as"], f["id"], "{later}");
    // The damaged PDF is listed with its specific error.
    let failed = v["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert!(failed[0]["file"].as_str().unwrap().ends_with("truncated.pdf"));
    assert_eq!(failed[0]["error"]["code"], "corrupt_file", "{}", failed[0]);
    assert!(v["skipped"][0].as_str().unwrap().ends_with("notes.md"));
    // Knock-outs flag and explain; they do not reorder or hide anyone.
    let chef = by_file(cands, "/cvs/chef.txt");
    let react = &chef["knockouts"][0];
    assert_eq!(
        (react["criterion"].as_str(), react["result"].as_str()),
        (Some("React"), Some("not_met"))
    );
    assert_eq!(chef["flagged"], true);
    assert_eq!(f["flagged"], false);
    assert_eq!(f["knockouts"][0]["result"], "met");
    assert_eq!(f["knockouts"][1]["result"], "met", "{}", f["knockouts"]);
    // Work authorisation is not stated in any of them: insufficient data, not a failure.
    for c in cands {
        assert_eq!(c["knockouts"][2]["result"], "insufficient_data", "{c}");
    }

    // list / show / status
    let id = v["batch"]["id"].as_str().unwrap().to_string();
    let list: Value =
        serde_json::from_str(&ok(data.path(), &["bulk", "list", "--json"], &[])).unwrap();
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["state"], "done");
    let fid = f["id"].as_i64().unwrap().to_string();
    let set: Value = serde_json::from_str(&ok(
        data.path(),
        &[
            "bulk",
            "status",
            &id[..13],
            &fid,
            "--set",
            "shortlisted",
            "--note",
            "strong React",
            "--json",
        ],
        &[],
    ))
    .unwrap();
    assert_eq!(set["recruiter_status"], "shortlisted");
    let shown: Value = serde_json::from_str(&ok(
        data.path(),
        &["bulk", "show", &id, "--json", "--status", "shortlisted"],
        &[],
    ))
    .unwrap();
    assert_eq!(shown["candidates"].as_array().unwrap().len(), 1);
    assert_eq!(shown["candidates"][0]["notes"], "strong React");
    let bad = qoder(data.path(), &["bulk", "status", &id, "999999", "--set", "rejected"], &[]);
    assert_eq!(bad.status.code(), Some(2));
    let text = ok(data.path(), &["bulk", "show", &id], &[]);
    assert!(text.contains("Maya Lindqvist") && text.contains("truncated.pdf"), "{text}");

    // The anonymised view hides the name, contact and school.
    let anon = ok(data.path(), &["bulk", "show", &id, "--json", "--anonymised"], &[]);
    for secret in ["Maya", "maya.lindqvist@example.com", "4567", "KTH Royal", "frontend.txt"] {
        assert!(!anon.contains(secret), "{secret} in the anonymised view");
    }

    // CSV: a header with the components, one row per file, the name in it.
    let csv_path = root.path().join("ranking.csv");
    ok(
        data.path(),
        &["bulk", "export", &id, "--format", "csv", "-o", csv_path.to_str().unwrap()],
        &[],
    );
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("rank,candidate_id,file,name,email,phone,score"), "{header}");
    assert!(
        header.contains("required_skills_points") && header.contains("responsibility_fit_weight")
    );
    // The job's skills each candidate shows and lacks, as the Screening table has them.
    assert!(header.contains(",matched_skills,missing_skills,"), "{header}");
    let best = csv.lines().nth(1).unwrap();
    assert!(best.contains("React") && best.contains("TypeScript"), "no matched skill: {best}");
    assert_eq!(csv.lines().count(), 1 + 14, "{csv}");
    assert!(csv.lines().nth(1).unwrap().starts_with("1,"));
    assert!(csv.contains("Maya Lindqvist") && csv.contains("corrupt_file"));

    // The best candidate into the job tracker.
    let top_id = v["candidates"][0]["id"].as_i64().unwrap().to_string();
    let job: Value =
        serde_json::from_str(&ok(data.path(), &["bulk", "track", &id, &top_id, "--json"], &[]))
            .unwrap();
    assert_eq!(job["status"], "screening", "{job}");
    assert!(job["notes"].as_str().unwrap().contains("/100"), "{job}");
    let jobs = ok(data.path(), &["jobs", "list", "--json"], &[]);
    assert!(jobs.contains(job["id"].as_str().unwrap()), "{jobs}");

    // XLSX: a real workbook whose sheet names the candidates; anonymised, it does not.
    let xlsx = root.path().join("ranking.xlsx");
    ok(
        data.path(),
        &["bulk", "export", &id, "--format", "xlsx", "-o", xlsx.to_str().unwrap()],
        &[],
    );
    let sheet = sheet_text(&xlsx);
    assert!(sheet.contains("Maya Lindqvist"), "{sheet}");
    assert!(sheet.contains("required_skills_points"));
    let anon_xlsx = root.path().join("anon.xlsx");
    ok(
        data.path(),
        &[
            "bulk",
            "export",
            &id,
            "--format",
            "xlsx",
            "-o",
            anon_xlsx.to_str().unwrap(),
            "--anonymised",
        ],
        &[],
    );
    let sheet = sheet_text(&anon_xlsx);
    assert!(!sheet.contains("Maya") && sheet.contains("candidate-"), "{sheet}");
}

/// The text of the first sheet of a workbook: its XML and the shared strings it points to.
fn sheet_text(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = String::new();
    for name in ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"] {
        if let Ok(mut f) = zip.by_name(name) {
            f.read_to_string(&mut out).unwrap();
        }
    }
    assert!(out.contains("<sheetData"), "no sheet in {}", path.display());
    out
}

/// A folder of `n` resumes made from the corpus with a byte changed in each (distinct hashes).
fn many(dir: &Path, n: usize) {
    let files: Vec<PathBuf> = std::fs::read_dir(tests_dir().join("fit/resumes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let src = &files[i % files.len()];
        let mut text = std::fs::read_to_string(src).unwrap();
        text.push_str(&format!("\nRef {i}\n"));
        std::fs::write(
            dir.join(format!("{i:03}-{}", src.file_name().unwrap().to_string_lossy())),
            text,
        )
        .unwrap();
    }
}

#[test]
fn a_run_killed_midway_continues_without_reading_done_files_again() {
    let data = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let cvs = root.path().join("many");
    many(&cvs, 40);
    let jd = tests_dir().join("fit/jds/backend-java.txt");
    let args = [
        "bulk",
        "run",
        cvs.to_str().unwrap(),
        "--jd",
        jd.to_str().unwrap(),
        "--keyword-only",
        "--concurrency",
        "1",
        "--json",
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_qoder"))
        .args(args)
        .env("QODER_DATA_DIR", data.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Kill it once a few files are reported read (a file reported is saved).
    let mut seen = 0;
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        if line.starts_with('[') && line.contains(" ok ") {
            seen += 1;
            if seen == 5 {
                child.kill().unwrap();
                break;
            }
        }
    }
    child.wait().unwrap();
    assert_eq!(seen, 5, "the run ended before it could be killed");

    let list: Value =
        serde_json::from_str(&ok(data.path(), &["bulk", "list", "--json"], &[])).unwrap();
    assert_eq!(list[0]["state"], "running", "{list}");
    let done_before = list[0]["counts"]["done"].as_u64().unwrap();
    assert!((5..40).contains(&done_before), "{list}");

    let v: Value = serde_json::from_str(&ok(data.path(), &args, &[])).unwrap();
    assert_eq!(v["resumed"], true);
    assert_eq!(v["already_done"].as_u64().unwrap(), done_before);
    assert_eq!(v["parsed_now"].as_u64().unwrap(), 40 - done_before, "{}", v["stages"]);
    assert_eq!(v["candidates"].as_array().unwrap().len(), 40);
    assert_eq!(v["batch"]["state"], "done");
    assert_eq!(v["batch"]["id"], list[0]["id"]);
    // The resume written for the JD is at the top.
    assert!(
        v["candidates"][0]["file"].as_str().unwrap().ends_with("backend-java.txt"),
        "{}",
        v["candidates"][0]["file"]
    );
    // A third run reads nothing.
    let again: Value = serde_json::from_str(&ok(data.path(), &args, &[])).unwrap();
    assert_eq!(again["parsed_now"], 0);
}

/// Ctrl-C (SIGINT) stops the run after the files being read: exit status 130, the batch
/// marked cancelled, and the same command continues it.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_and_the_run_continues() {
    let data = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let cvs = root.path().join("many");
    many(&cvs, 30);
    let jd = tests_dir().join("fit/jds/backend-java.txt");
    let args = [
        "bulk",
        "run",
        cvs.to_str().unwrap(),
        "--jd",
        jd.to_str().unwrap(),
        "--keyword-only",
        "--concurrency",
        "1",
        "--json",
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_qoder"))
        .args(args)
        .env("QODER_DATA_DIR", data.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = String::new();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        err.push_str(&line);
        err.push('\n');
        if line.starts_with("[3/") {
            let pid = child.id().to_string();
            assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
            break;
        }
    }
    for line in lines {
        err.push_str(&line.unwrap());
        err.push('\n');
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("stopping after the files being read"), "{err}");
    assert!(err.contains("cancelled after"), "{err}");

    let list: Value =
        serde_json::from_str(&ok(data.path(), &["bulk", "list", "--json"], &[])).unwrap();
    assert_eq!(list[0]["state"], "cancelled", "{list}");
    let done_before = list[0]["counts"]["done"].as_u64().unwrap();
    assert!((3..30).contains(&done_before), "{list}");
    let v: Value = serde_json::from_str(&ok(data.path(), &args, &[])).unwrap();
    assert_eq!(v["already_done"].as_u64().unwrap(), done_before);
    assert_eq!(v["batch"]["state"], "done");
}

#[test]
fn bad_input_is_refused_with_a_specific_error() {
    let data = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let jd = tests_dir().join("fit/jds/frontend.txt");
    let o = qoder(
        data.path(),
        &["bulk", "run", empty.path().to_str().unwrap(), "--jd", jd.to_str().unwrap()],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no resumes found"));
    let not_zip = empty.path().join("x.zip");
    std::fs::write(&not_zip, b"PK not really").unwrap();
    let o = qoder(
        data.path(),
        &["bulk", "run", not_zip.to_str().unwrap(), "--jd", jd.to_str().unwrap()],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("error[corrupt_file]"), "{o:?}");
    let o = qoder(data.path(), &["bulk", "show", "nope"], &[]);
    assert_eq!(o.status.code(), Some(2));
}
