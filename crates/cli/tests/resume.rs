//! `qoder resume …` and `qoder data …` end to end: the real binary over a real data directory.

use std::path::Path;
use std::process::{Command, Output};

fn qoder(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qoder"))
        .args(args)
        .env("QODER_DATA_DIR", dir)
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = qoder(dir, args);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(dir, args)).unwrap()
}

fn write_resume(dir: &Path, file: &str, bullets: &[&str]) -> String {
    let mut s = String::from(
        "Jane Doe\njane.doe@example.com | +1 555 123 4567 | Boston, MA\n\nSummary\nBackend engineer.\n\nExperience\nAcme Corp — Senior Engineer, Jan 2020 – Present\n",
    );
    for b in bullets {
        s.push_str(&format!("• {b}\n"));
    }
    s.push_str(
        "\nEducation\nMIT, BSc Computer Science, 2012 – 2016\n\nSkills\nRust, SQL, Kubernetes\n",
    );
    let p = dir.join(file);
    std::fs::write(&p, s).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn import_versions_tag_note_pin_diff_export_cleanup() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    let files = tempfile::tempdir().unwrap();
    let f = files.path();
    let dir = data.as_path();

    let a = write_resume(f, "jane.txt", &["Built a Rust service handling 10k rps", "Wrote docs"]);
    let a_bytes = std::fs::read(&a).unwrap();
    let v1 = json(dir, &["resume", "import", &a, "--json"]);
    assert_eq!(v1["duplicate"], false);
    let id1 = v1["version"]["id"].as_str().unwrap().to_string();
    let family = v1["version"]["resume_id"].as_str().unwrap().to_string();
    let again = json(dir, &["resume", "import", &a, "--json"]);
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["version"]["id"], id1.as_str());

    let b = write_resume(
        f,
        "jane.txt",
        &["Built a Rust service handling 50k rps", "Cut AWS cost by 30%"],
    );
    let v2 = json(dir, &["resume", "import", &b, "--family", &family, "--json"]);
    let id2 = v2["version"]["id"].as_str().unwrap().to_string();
    assert_eq!(v2["version"]["seq"], 2);

    let t = json(dir, &["resume", "tag", &id2, "fintech", "backend", "--json"]);
    assert_eq!(t["tags"], serde_json::json!(["backend", "fintech"]));
    let n = json(dir, &["resume", "note", &id2, "Tailored for **Stripe**", "--json"]);
    assert_eq!(n["notes"], "Tailored for **Stripe**");
    let p = json(dir, &["resume", "pin", &id2, "--json"]);
    assert_eq!(p["pinned"], true);
    let versions = json(dir, &["resume", "versions", "--family", &family, "--json"]);
    assert_eq!(
        versions.as_array().unwrap().iter().map(|v| v["seq"].as_u64().unwrap()).collect::<Vec<_>>(),
        vec![2, 1]
    );

    let diff = json(dir, &["resume", "diff", &id1, &id2, "--json"]);
    let exp =
        diff["sections"].as_array().unwrap().iter().find(|s| s["kind"] == "experience").unwrap();
    assert_eq!(exp["change"], "changed");
    assert_eq!(exp["changed"][0]["words_removed"], serde_json::json!(["10k"]));
    assert_eq!(exp["changed"][0]["words_added"], serde_json::json!(["50k"]));
    let text = ok(dir, &["resume", "diff", &id1, &id2]);
    assert!(text.contains("ATS score:") && text.contains("words added: 50k"), "{text}");

    let out = f.join("orig.txt");
    ok(dir, &["resume", "export", &id1, "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read(&out).unwrap(), a_bytes);
    let jr: serde_json::Value =
        serde_json::from_str(&ok(dir, &["resume", "export", &id1, "--format", "json-resume"]))
            .unwrap();
    assert_eq!(jr["basics"]["email"], "jane.doe@example.com");
    assert!(ok(dir, &["resume", "export", &id1, "--format", "text"]).contains("Wrote docs"));

    // A job sends v1; with retention 1, cleanup keeps v4 (newest), v1 (sent with a job) and v2
    // (pinned), and removes v3.
    ok(dir, &["jobs", "add", "--title", "Rust Engineer", "--resume-version", &id1]);
    let c = write_resume(f, "jane.txt", &["Shipped feature three"]);
    ok(dir, &["resume", "import", &c]);
    let d4 = write_resume(f, "jane.txt", &["Shipped feature four"]);
    ok(dir, &["resume", "import", &d4]);
    let report = json(dir, &["resume", "cleanup", "--keep", "1", "--json"]);
    assert_eq!(report["retention_count"], 1);
    assert_eq!(
        report["removed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["seq"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        vec![3]
    );
    assert_eq!(report["kept_pinned"], serde_json::json!([id2]));
    assert_eq!(report["kept_referenced"], serde_json::json!([id1]));
    let text = ok(dir, &["resume", "cleanup"]);
    assert!(text.contains("0 version(s) removed"), "{text}");

    let zip = f.join("all.zip");
    let s = json(dir, &["data", "export", zip.to_str().unwrap(), "--json"]);
    assert_eq!(
        (s["jobs"].as_u64(), s["versions"].as_u64(), s["files"].as_u64()),
        (Some(1), Some(3), Some(3))
    );
    assert!(zip.exists());
    let hits = json(dir, &["data", "search", "stripe", "--json"]);
    assert_eq!(hits[0]["id"], id2.as_str());
}

#[test]
fn bad_resume_arguments() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    for (args, code, want) in [
        (&["resume", "import", "/nonexistent/cv.pdf"][..], 2, "cannot read /nonexistent/cv.pdf"),
        (&["resume", "tag", "0190zzzz", "x"], 2, "version id: must be an id or a prefix"),
        (
            &["resume", "diff", "01900000", "01900001"],
            2,
            "no resume_version has an id starting with 01900000",
        ),
        (&["resume", "cleanup", "--keep", "0"], 2, "retention: must be between 1 and 1000"),
    ] {
        let o = qoder(dir, args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}
