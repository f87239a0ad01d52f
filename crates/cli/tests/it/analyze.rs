//! End to end: the `qoder` binary on real files — output shape, exit codes and the specific
//! error for each kind of bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn corpus(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus").join(rel)
}

fn qoder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qoder")).args(args).output().expect("run qoder")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn analyze_prints_a_report_and_json_with_a_score() {
    let f = corpus("files/r01-software.pdf");
    let o = qoder(&["analyze", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.starts_with("ATS readiness: "), "{text}");
    assert!(text.contains("Contact details"), "{text}");

    let o = qoder(&["analyze", "--json", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let score = v["score"].as_u64().unwrap();
    assert!((1..=100).contains(&score));
    let checks = v["checks"].as_array().unwrap();
    let sum: u64 = checks.iter().map(|c| c["points"].as_u64().unwrap()).sum();
    assert_eq!(sum, score);
}

#[test]
fn parse_exports_json_resume_and_text() {
    let f = corpus("files/r03-nurse.docx");
    let o = qoder(&["parse", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["basics"]["name"], "Zoë Brontë-Kaur");
    assert!(v["$schema"].as_str().unwrap().contains("jsonresume"));
    assert!(!v["work"].as_array().unwrap().is_empty());

    let o = qoder(&["parse", "--format", "text", corpus("files/r08-sales.txt").to_str().unwrap()]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("Michael O'Brien"));
}

/// Each bad input exits 2 with the specific error code and a message that says what to do.
#[test]
fn bad_inputs_exit_2_with_a_specific_error() {
    for (file, code, words) in [
        ("bad/encrypted.pdf", "encrypted_pdf", "password"),
        ("bad/scanned-image-only.pdf", "no_text_layer", "scan"),
        ("bad/legacy-word97.doc", "unsupported_file_type", ".docx"),
        ("bad/png-renamed.pdf", "unsupported_file_type", "PNG"),
        ("bad/xlsx-renamed.docx", "unsupported_file_type", "upload"),
        ("bad/truncated.pdf", "corrupt_file", "damaged"),
        ("bad/empty.pdf", "empty_document", "no readable text"),
    ] {
        let o = qoder(&["analyze", corpus(file).to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(&format!("error[{code}]")), "{file}: {err}");
        assert!(err.to_lowercase().contains(&words.to_lowercase()), "{file}: {err}");
    }
}

#[test]
fn size_limit_missing_file_and_bad_arguments() {
    let f = corpus("files/r01-software.pdf");
    let o = Command::new(env!("CARGO_BIN_EXE_qoder"))
        .args(["analyze", f.to_str().unwrap()])
        .env("QODER_MAX_UPLOAD_BYTES", "1000")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("error[file_too_large]"), "{}", stderr(&o));

    let o = qoder(&["analyze", "/nonexistent/resume.pdf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read"), "{}", stderr(&o));

    let o = qoder(&["analyze"]);
    assert_eq!(o.status.code(), Some(2), "clap usage errors exit 2");
}

/// Each setting is checked the same way in the CLI and the app (qoder_core::Config): a bad value
/// names the variable and the rule.
#[test]
fn a_bad_setting_is_refused_with_its_name() {
    let f = corpus("files/r01-software.pdf");
    for (var, value) in [("QODER_MAX_UPLOAD_BYTES", "ten"), ("QODER_MAX_UPLOAD_BYTES", "0")] {
        let o = Command::new(env!("CARGO_BIN_EXE_qoder"))
            .args(["analyze", f.to_str().unwrap()])
            .env(var, value)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{var}={value}");
        assert!(
            stderr(&o).contains(&format!("error[validation]: {var}: must be a whole number")),
            "{}",
            stderr(&o)
        );
    }
}
