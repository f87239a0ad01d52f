//! Snapshots of the JD parser: title, seniority, years, education, required and preferred skills
//! (with accepted alternatives), certifications and responsibilities read from a dozen job
//! descriptions of tests/corpus/jds and tests/fit/jds. A change in what is read shows as a diff
//! of `snapshots/jd/NAME.txt`; accept an intended one with
//! `UPDATE_EXPECT=1 cargo test -p qoder-analysis --test it jd_snapshots`.

use expect_test::expect_file;
use qoder_analysis::jd::parse_jd;
use qoder_domain::matching::{JdSkill, JobDescription};
use std::fmt::Write as _;
use std::path::Path;

/// (snapshot name, file under the repository's tests/).
const JDS: &[(&str, &str)] = &[
    ("corpus-jd01-backend-rust", "corpus/jds/jd01-backend-rust.txt"),
    ("corpus-jd02-data-scientist", "corpus/jds/jd02-data-scientist.txt"),
    ("corpus-jd03-nurse-cardiology", "corpus/jds/jd03-nurse-cardiology.txt"),
    ("corpus-jd04-financial-controller", "corpus/jds/jd04-financial-controller.txt"),
    ("corpus-jd07-sre", "corpus/jds/jd07-sre.txt"),
    ("corpus-jd12-corporate-counsel", "corpus/jds/jd12-corporate-counsel.txt"),
    ("corpus-jd16-warehouse-forklift", "corpus/jds/jd16-warehouse-forklift.txt"),
    ("fit-account-executive", "fit/jds/account-executive.txt"),
    ("fit-backend-java", "fit/jds/backend-java.txt"),
    ("fit-eng-manager", "fit/jds/eng-manager.txt"),
    ("fit-math-teacher", "fit/jds/math-teacher.txt"),
    ("fit-rn-icu", "fit/jds/rn-icu.txt"),
    ("fit-senior-pm", "fit/jds/senior-pm.txt"),
];

fn skills(out: &mut String, label: &str, list: &[JdSkill]) {
    writeln!(out, "{label} ({}):", list.len()).unwrap();
    for s in list {
        write!(out, "- {} [{}]", s.name, s.category.as_str()).unwrap();
        if !s.alternatives.is_empty() {
            write!(out, " or {}", s.alternatives.join(" | ")).unwrap();
        }
        writeln!(out).unwrap();
    }
}

fn render(jd: &JobDescription) -> String {
    let mut out = String::new();
    writeln!(out, "title: {}", jd.title.as_deref().unwrap_or("-")).unwrap();
    writeln!(out, "seniority: {}", jd.seniority.map_or("-", |s| s.as_str())).unwrap();
    let years = match (jd.min_years, jd.max_years) {
        (Some(a), Some(b)) => format!("{a}..{b}"),
        (Some(a), None) => format!("{a}+"),
        (None, _) => "-".to_string(),
    };
    writeln!(out, "years: {years}").unwrap();
    match (jd.education, &jd.education_line) {
        (Some(e), Some(line)) => writeln!(out, "education: {} (\"{line}\")", e.as_str()).unwrap(),
        (Some(e), None) => writeln!(out, "education: {}", e.as_str()).unwrap(),
        (None, _) => writeln!(out, "education: -").unwrap(),
    }
    skills(&mut out, "required", &jd.required);
    skills(&mut out, "preferred", &jd.preferred);
    writeln!(out, "certifications: {}", jd.certifications.join(" | ")).unwrap();
    writeln!(out, "responsibilities ({}):", jd.responsibilities.len()).unwrap();
    for r in &jd.responsibilities {
        writeln!(out, "- {r}").unwrap();
    }
    if jd.truncated {
        writeln!(out, "truncated").unwrap();
    }
    out
}

#[test]
fn a_dozen_job_descriptions() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    for (name, file) in JDS {
        let path = tests.join(file);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        expect_file![format!("snapshots/jd/{name}.txt")].assert_eq(&render(&parse_jd(&text)));
    }
}
