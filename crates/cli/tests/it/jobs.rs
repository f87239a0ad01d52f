//! `qoder jobs …` end to end: the real binary over a real data directory.

use crate::common;
use std::path::Path;
use std::process::Output;

/// The tracker's files are parsed in this process (faster; isolation is tested elsewhere).
const IN_PROCESS: &[(&str, &str)] = &[("QODER_PARSE_IN_PROCESS", "1")];

fn qoder(dir: &Path, args: &[&str]) -> Output {
    common::qoder(dir, args, IN_PROCESS)
}

fn ok(dir: &Path, args: &[&str]) -> String {
    common::ok(dir, args, IN_PROCESS)
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(dir, args)).unwrap()
}

/// Bad input: exit 2, and stderr names the field and the rule.
fn bad(dir: &Path, args: &[&str], want: &str) {
    let o = qoder(dir, args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(want), "{args:?}: {err:?} should contain {want:?}");
}

#[test]
fn add_list_show_update_status_rm() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let id = ok(
        dir,
        &[
            "jobs",
            "add",
            "--title",
            "Rust Engineer",
            "--company",
            "Acme",
            "--vendor",
            "Hays",
            "--rate",
            "95/hour",
            "--status",
            "applied",
        ],
    )
    .trim()
    .to_string();
    let other = json(
        dir,
        &[
            "jobs",
            "add",
            "--title",
            "Go Developer",
            "--vendor",
            "hays",
            "--vendor-contact",
            "Jane <jane@hays.example>",
            "--rate",
            "650 GBP/day bill",
            "--mode",
            "remote",
            "--description",
            "Kubernetes and Go",
            "--json",
        ],
    );
    assert_eq!(other["vendor_name"], "Hays");
    assert_eq!(other["rate"]["kind"], "bill");

    let page = json(dir, &["jobs", "list", "--status", "applied", "--json"]);
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["id"], id.as_str());
    assert_eq!(
        page["items"][0]["rate"],
        serde_json::json!({"amount": 95.0, "currency": "USD", "period": "hour", "kind": "pay"})
    );
    let page = json(
        dir,
        &["jobs", "list", "--vendor", "AY", "--sort", "rate", "--order", "asc", "--json"],
    );
    let titles: Vec<&str> =
        page["items"].as_array().unwrap().iter().map(|j| j["title"].as_str().unwrap()).collect();
    assert_eq!(titles, vec!["Go Developer", "Rust Engineer"]);
    let page = json(dir, &["jobs", "list", "--text", "kubernetes", "--json"]);
    assert_eq!(page["total"], 1);

    ok(dir, &["jobs", "status", &id, "interviewing", "--note", "first call"]);
    let shown = json(dir, &["jobs", "show", &id[..13], "--json"]);
    let timeline: Vec<&str> =
        shown["timeline"].as_array().unwrap().iter().map(|c| c["to"].as_str().unwrap()).collect();
    assert_eq!(timeline, vec!["applied", "interviewing"]);
    assert_eq!(shown["timeline"][1]["note"], "first call");
    let text = ok(dir, &["jobs", "show", &id]);
    assert!(text.contains("applied → interviewing"), "{text}");

    let u =
        json(dir, &["jobs", "update", &id, "--notes", "call Friday", "--company", "", "--json"]);
    assert_eq!(u["notes"], "call Friday");
    assert!(u["company"].is_null());

    let stats = json(dir, &["jobs", "stats", "--json"]);
    assert_eq!(stats["total"], 2);
    assert_eq!(stats["by_status"]["interviewing"], 1);
    let vendors = json(dir, &["jobs", "vendors", "--json"]);
    assert_eq!(vendors[0]["name"], "Hays");
    assert_eq!(vendors[0]["jobs"], 2);

    ok(dir, &["jobs", "rm", &id]);
    let o = qoder(dir, &["jobs", "show", &id]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not_found"));
    let log = json(dir, &["data", "log", "--json"]);
    assert_eq!(log[0]["action"], "delete");
}

#[test]
fn bad_arguments_get_clear_errors() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    for (args, want) in [
        (&["jobs", "add", "--company", "Acme"][..], "title: is required"),
        (
            &["jobs", "add", "--title", "x", "--rate", "-5/hour"],
            "rate: amount must be a number ≥ 0",
        ),
        (
            &["jobs", "add", "--title", "x", "--rate", "95/week"],
            "rate: period must be one of hour, day, year",
        ),
        (
            &["jobs", "add", "--title", "x", "--status", "hired"],
            "invalid value 'hired' for '--status <STATUS>'",
        ),
        (
            &["jobs", "add", "--title", "x", "--url", "javascript:alert(1)"],
            "source_url: must be an http",
        ),
        (
            &["jobs", "add", "--title", "x", "--mode", "moon"],
            "mode: must be one of onsite, hybrid, remote",
        ),
        (&["jobs", "list", "--limit", "101"], "limit: must be between 1 and 100"),
        (&["jobs", "list", "--sort", "salary"], "[possible values: createdAt, updatedAt, jobTitle"),
        (&["jobs", "list", "--from", "last week"], "from: must be YYYY-MM-DD"),
        (&["jobs", "list", "--text", "!!!"], "text: must contain at least one letter or digit"),
        (&["jobs", "show", "zz"], "job id: must be an id or a prefix"),
        (
            &["jobs", "interview", "add", "0190", "--at", "2026-12-01 14:00"],
            "no job has an id starting with 0190",
        ),
        (&["jobs", "import", "/nonexistent.csv"], "cannot read /nonexistent.csv"),
    ] {
        bad(dir, args, want);
    }
}

#[test]
fn csv_export_import_and_calendar() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let id = ok(
        dir,
        &[
            "jobs",
            "add",
            "--title",
            "Rust Engineer",
            "--company",
            "Acme, Inc",
            "--status",
            "applied",
            "--notes",
            "multi\nline",
        ],
    )
    .trim()
    .to_string();
    ok(
        dir,
        &[
            "jobs",
            "interview",
            "add",
            &id,
            "--at",
            "2099-12-01 14:00",
            "--utc-offset",
            "+01:00",
            "--tz",
            "Europe/Paris",
            "--with",
            "Ada",
            "--with",
            "Alan",
            "--kind",
            "technical",
        ],
    );
    ok(
        dir,
        &[
            "jobs",
            "remind",
            "add",
            "--job",
            &id,
            "--kind",
            "deadline",
            "--at",
            "2099-11-30T09:00:00Z",
        ],
    );
    ok(dir, &["jobs", "remind", "add", "--job", &id, "--kind", "follow-up", "--after-days", "5"]);
    let due = json(dir, &["jobs", "remind", "list", "--days", "6", "--json"]);
    assert_eq!(due.as_array().unwrap().len(), 1, "{due}");
    assert_eq!(due[0]["kind"], "follow_up");

    let ics_path = dir.join("cal.ics");
    ok(dir, &["jobs", "ics", "--out", ics_path.to_str().unwrap(), "--days", "40000"]);
    let cal = std::fs::read_to_string(&ics_path).unwrap();
    assert!(cal.starts_with("BEGIN:VCALENDAR\r\n") && cal.ends_with("END:VCALENDAR\r\n"));
    assert!(cal.contains("DTSTART:20991201T130000Z\r\n"), "{cal}");
    assert_eq!(cal.matches("BEGIN:VEVENT").count(), 3, "{cal}");
    assert!(cal.split("\r\n").all(|l| l.len() <= 75));

    let csv_path = dir.join("jobs.csv");
    ok(dir, &["jobs", "export", "--out", csv_path.to_str().unwrap()]);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(csv.starts_with("id,title,company,"));
    assert!(csv.contains("\"Acme, Inc\""));
    let d2 = tempfile::tempdir().unwrap();
    let r = json(d2.path(), &["jobs", "import", csv_path.to_str().unwrap(), "--json"]);
    assert_eq!(r["created"], 1);
    let again = ok(d2.path(), &["jobs", "export"]);
    assert_eq!(again, csv);
    let bad_csv = dir.join("bad.csv");
    std::fs::write(&bad_csv, "title,status\nA,applied\nB,hired\n").unwrap();
    bad(
        d2.path(),
        &["jobs", "import", bad_csv.to_str().unwrap()],
        "csv row 3, status: must be one of",
    );
}

#[test]
fn a_newer_database_is_refused() {
    let d = tempfile::tempdir().unwrap();
    ok(d.path(), &["jobs", "list"]);
    let c = std::process::Command::new("sqlite3")
        .arg(d.path().join("qoder.sqlite"))
        .arg("PRAGMA user_version = 999;")
        .status();
    if c.is_err() {
        // No sqlite3 shell here: write the header field directly (offset 60, big-endian).
        let p = d.path().join("qoder.sqlite");
        let mut bytes = std::fs::read(&p).unwrap();
        bytes[60..64].copy_from_slice(&999u32.to_be_bytes());
        std::fs::write(&p, bytes).unwrap();
    }
    let o = qoder(d.path(), &["jobs", "list"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("incompatible_database") && err.contains("newer version"), "{err}");
}
