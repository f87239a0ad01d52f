//! `qoder resume …` and `qoder data …` end to end: the real binary over a real data directory.

use crate::common;
use std::path::Path;
use std::process::Output;

fn qoder(dir: &Path, args: &[&str]) -> Output {
    common::qoder(dir, args, &[])
}

fn ok(dir: &Path, args: &[&str]) -> String {
    common::ok(dir, args, &[])
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

/// A resume whose first position's title has no role word: the parser asks to check it.
const UNSURE: &str = "Ana Souza\nana.souza@example.com | +351 912 345 678 | Lisbon, Portugal\n\nExperience\nGrowth Wizardry, Acme Corp, Jan 2020 – Present\n• Grew sign-ups by 40% with referral campaigns\n\nSkills\nSQL, Python\n";

#[test]
fn parse_marks_uncertain_fields_and_resume_correct_keeps_the_fix() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let file = dir.join("ana.txt");
    std::fs::write(&file, UNSURE).unwrap();
    let f = file.to_str().unwrap();

    // Text and JSON Resume: the document on stdout, a "please check" list on stderr.
    for format in ["text", "json-resume"] {
        let o = qoder(dir, &["parse", "--format", format, f]);
        assert!(o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("please check 1 field(s)"), "{format}: {err}");
        assert!(err.contains("experience[0].title: \"Growth Wizardry\"  confidence 0.65"), "{err}");
        assert!(err.contains("read from: Growth Wizardry, Acme Corp, Jan 2020 – Present"), "{err}");
        assert!(!String::from_utf8_lossy(&o.stdout).contains("please check"));
    }
    // JSON: the confidence of every field is in the output itself.
    let o = qoder(dir, &["parse", "--format", "json", f]);
    assert!(
        String::from_utf8_lossy(&o.stderr).is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let title = j["confidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "experience[0].title")
        .unwrap();
    assert_eq!(title["source_line"], "Growth Wizardry, Acme Corp, Jan 2020 – Present");

    let data = dir.join("data");
    let v = json(&data, &["resume", "import", f, "--json"]);
    let id = v["version"]["id"].as_str().unwrap().to_string();
    let o = qoder(
        &data,
        &[
            "resume",
            "correct",
            &id[..8],
            "--field",
            "experience[0].title",
            "--value",
            "Growth Marketing Manager",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("experience[0].title: Growth Marketing Manager (confirmed by you)"),
        "{out}"
    );
    assert!(String::from_utf8_lossy(&o.stderr).is_empty(), "nothing left to check");
    let c = json(
        &data,
        &["resume", "correct", &id, "--field", "name", "--value", "Ana Souza", "--json"],
    );
    assert_eq!(
        (c["confidence"].as_f64(), c["reason"].as_str()),
        (Some(1.0), Some("confirmed by you"))
    );
    let exported: serde_json::Value =
        serde_json::from_str(&ok(&data, &["resume", "export", &id, "--format", "json-resume"]))
            .unwrap();
    assert_eq!(exported["work"][0]["position"], "Growth Marketing Manager");

    // What cannot apply: exit 2, the field and the rule named.
    for (field, value, says) in [
        ("experience[3].title", "x", "1 position(s)"),
        ("experience[0].dates", "soon", "not a date range"),
        ("skills", "x", "unknown field"),
    ] {
        let o = qoder(&data, &["resume", "correct", &id, "--field", field, "--value", value]);
        assert_eq!(o.status.code(), Some(2), "{field}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(field) && err.contains(says), "{err}");
    }
}
