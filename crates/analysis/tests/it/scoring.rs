//! Scoring a parser against hand-labelled resumes, shared by the two accuracy tests: the
//! team's own corpus (`corpus`) and the unseen-maker corpus (`unseen`). A directory holds
//! `expected/*.json`, each naming the file it labels (relative to the directory).

use qoder_analysis::skills::Taxonomy;
use qoder_analysis::{AnalyzeOptions, analyze};
use qoder_domain::ParsedResume;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Expected {
    file: String,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    location: Option<String>,
    #[serde(default)]
    links: Vec<String>,
    #[serde(default)]
    sections: Vec<String>,
    #[serde(default)]
    experience: Vec<ExpectedJob>,
    #[serde(default)]
    education: Vec<ExpectedSchool>,
    #[serde(default)]
    skills: Vec<String>,
}

#[derive(Deserialize)]
struct ExpectedJob {
    employer: Option<String>,
    title: Option<String>,
    start: Option<String>,
    end: Option<String>,
}

#[derive(Deserialize)]
struct ExpectedSchool {
    institution: Option<String>,
    degree: Option<String>,
}

/// Counts for one field: exact-value accuracy, or set precision/recall.
#[derive(Default, Clone)]
pub struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Tally {
    fn add_set(&mut self, expected: &BTreeSet<String>, got: &BTreeSet<String>) {
        self.tp += expected.intersection(got).count();
        self.fp += got.difference(expected).count();
        self.fn_ += expected.difference(got).count();
    }
    fn add_value(
        &mut self,
        expected: Option<&str>,
        got: Option<&str>,
        same: impl Fn(&str, &str) -> bool,
    ) -> bool {
        match (expected, got) {
            (Some(e), Some(g)) if same(e, g) => {
                self.tp += 1;
                return true;
            }
            (Some(_), Some(_)) => {
                self.fp += 1;
                self.fn_ += 1;
            }
            (Some(_), None) => self.fn_ += 1,
            (None, Some(_)) => self.fp += 1,
            (None, None) => return true,
        }
        false
    }
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 { 1.0 } else { self.tp as f64 / (self.tp + self.fp) as f64 }
    }
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 { 1.0 } else { self.tp as f64 / (self.tp + self.fn_) as f64 }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

/// Whitespace and case folded; typographic quotes as plain ones (pandoc and LibreOffice print
/// "St. Brendan’s" for "St. Brendan's", which a reader takes as the same name).
fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201C}', '\u{201D}'], "\"")
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn url_key(s: &str) -> String {
    let s = s.to_lowercase();
    let s =
        s.trim_start_matches("https://").trim_start_matches("http://").trim_start_matches("www.");
    s.trim_end_matches('/').to_string()
}

fn canonical_skill(t: &Taxonomy, s: &str) -> String {
    t.lookup(s).map(|i| t.get(i).name.to_lowercase()).unwrap_or_else(|| norm(s))
}

/// Loose text match for entry fields: one contains the other after normalisation.
fn loosely(e: &str, g: &str) -> bool {
    let (e, g) = (norm(e), norm(g));
    !g.is_empty() && (e == g || e.contains(&g) || g.contains(&e))
}

fn date_key(d: Option<qoder_domain::PartialDate>, current: bool) -> Option<String> {
    if current {
        return Some("present".into());
    }
    d.map(|d| d.iso())
}

pub const FIELDS: [&str; 12] = [
    "name",
    "email",
    "phone",
    "location",
    "links",
    "sections",
    "exp.employer",
    "exp.title",
    "exp.dates",
    "edu.institution",
    "edu.degree",
    "skills",
];

/// Labelled files of one corpus directory: (expected json, the file it labels).
fn labelled(dir: &Path) -> Vec<(PathBuf, Expected)> {
    let Ok(rd) = std::fs::read_dir(dir.join("expected")) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = rd
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let exp: Expected = serde_json::from_slice(&std::fs::read(&p).expect("read expected"))
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (dir.join(&exp.file), exp)
        })
        .collect()
}

/// Scores one resume into `t`; returns a line of misses for the verbose report.
fn score(t: &mut [Tally], taxonomy: &Taxonomy, exp: &Expected, r: Option<&ParsedResume>) -> String {
    let mut miss = Vec::<String>::new();
    let empty = ParsedResume::default();
    let r = r.unwrap_or(&empty);
    let c = &r.contact;
    if !t[0].add_value(exp.name.as_deref(), c.name.as_deref(), |e, g| norm(e) == norm(g)) {
        miss.push(format!("name {:?} got {:?}", exp.name, c.name));
    }
    if !t[1].add_value(exp.email.as_deref(), c.email.as_deref(), |e, g| norm(e) == norm(g)) {
        miss.push(format!("email {:?} got {:?}", exp.email, c.email));
    }
    if !t[2].add_value(exp.phone.as_deref(), c.phone.as_deref(), |e, g| digits(e) == digits(g)) {
        miss.push(format!("phone {:?} got {:?}", exp.phone, c.phone));
    }
    if !t[3].add_value(exp.location.as_deref(), c.location.as_deref(), loosely) {
        miss.push(format!("location {:?} got {:?}", exp.location, c.location));
    }
    let el: BTreeSet<String> = exp.links.iter().map(|l| url_key(l)).collect();
    let gl: BTreeSet<String> = c.links.iter().map(|l| url_key(&l.url)).collect();
    t[4].add_set(&el, &gl);
    let es: BTreeSet<String> = exp.sections.iter().map(|s| s.to_string()).collect();
    let gs: BTreeSet<String> = r
        .sections
        .iter()
        .filter(|s| s.kind != qoder_domain::SectionKind::Header)
        .map(|s| s.kind.as_str().to_string())
        .collect();
    t[5].add_set(&es, &gs);
    if es != gs {
        miss.push(format!(
            "sections missing {:?} extra {:?}",
            es.difference(&gs).collect::<Vec<_>>(),
            gs.difference(&es).collect::<Vec<_>>()
        ));
    }
    for (k, e) in exp.experience.iter().enumerate() {
        // Pair by employer and title first: a promotion lists one employer twice.
        let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => loosely(a, b),
            _ => false,
        };
        // An exact title first: "Associate" is loosely "Senior Associate" too.
        let exact = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => norm(a) == norm(b),
            _ => false,
        };
        let g = r
            .experience
            .iter()
            .find(|g| same(&e.employer, &g.employer) && exact(&e.title, &g.title))
            .or_else(|| {
                r.experience
                    .iter()
                    .find(|g| same(&e.employer, &g.employer) && same(&e.title, &g.title))
            })
            .or_else(|| r.experience.iter().find(|g| same(&e.employer, &g.employer)))
            .or_else(|| r.experience.get(k));
        let ge = g.and_then(|g| g.employer.as_deref());
        let gt = g.and_then(|g| g.title.as_deref());
        let ok_e = t[6].add_value(e.employer.as_deref(), ge, loosely);
        let ok_t = t[7].add_value(e.title.as_deref(), gt, loosely);
        let want = format!(
            "{}..{}",
            e.start.clone().unwrap_or_default(),
            e.end.clone().unwrap_or_default()
        );
        let got = g.map(|g| {
            format!(
                "{}..{}",
                date_key(g.start, false).unwrap_or_default(),
                date_key(g.end, g.current).unwrap_or_default()
            )
        });
        let ok_d = t[8].add_value(Some(&want), got.as_deref(), |a, b| a == b);
        if !(ok_e && ok_t && ok_d) {
            miss.push(format!(
                "job {:?}/{:?} {want} got {ge:?}/{gt:?} {}",
                e.employer.as_deref().unwrap_or("-"),
                e.title.as_deref().unwrap_or("-"),
                got.unwrap_or_default()
            ));
        }
    }
    t[6].fp += r.experience.len().saturating_sub(exp.experience.len());
    for (k, e) in exp.education.iter().enumerate() {
        let g = r
            .education
            .iter()
            .find(|g| match (&e.institution, &g.institution) {
                (Some(a), Some(b)) => loosely(a, b),
                _ => false,
            })
            .or_else(|| r.education.get(k));
        let gi = g.and_then(|g| g.institution.as_deref());
        let gd = g.and_then(|g| g.degree.as_deref());
        let ok_i = t[9].add_value(e.institution.as_deref(), gi, loosely);
        let ok_d = t[10].add_value(e.degree.as_deref(), gd, loosely);
        if !(ok_i && ok_d) {
            miss.push(format!(
                "school {:?}/{:?} got {gi:?}/{gd:?}",
                e.institution.as_deref().unwrap_or("-"),
                e.degree.as_deref().unwrap_or("-")
            ));
        }
    }
    // Skills-section items: an expected item is found when our skills contain it as written or
    // in its canonical taxonomy form. Precision counts our skills that are not in the section
    // (skills found elsewhere in the text count against it, so read recall first).
    let gk: BTreeSet<String> = r.skills.iter().map(|s| s.name.to_lowercase()).collect();
    let mut found = BTreeSet::new();
    let mut missing = Vec::new();
    for s in &exp.skills {
        let (raw, canon) = (norm(s), canonical_skill(taxonomy, s));
        if gk.contains(&raw) || gk.contains(&canon) {
            t[11].tp += 1;
            found.insert(raw);
            found.insert(canon);
        } else {
            t[11].fn_ += 1;
            missing.push(s.as_str());
        }
    }
    t[11].fp += gk.difference(&found).count();
    if !missing.is_empty() {
        miss.push(format!("skills missing {missing:?}"));
    }
    miss.join("\n    ")
}

pub fn print_table(title: &str, n: usize, t: &[Tally]) {
    println!("\n{title}: {n} labelled resumes");
    println!("{:<16} {:>9} {:>9} {:>9}", "field", "precision", "recall", "f1");
    for (f, t) in FIELDS.iter().zip(t) {
        println!("{f:<16} {:>9.3} {:>9.3} {:>9.3}", t.precision(), t.recall(), t.f1());
    }
}

pub fn run_dir(dir: &Path, taxonomy: &Taxonomy, verbose: bool) -> (usize, Vec<Tally>) {
    let mut tallies = vec![Tally::default(); FIELDS.len()];
    let files = labelled(dir);
    for (path, exp) in &files {
        let Ok(bytes) = std::fs::read(path) else {
            println!("{}: not found, skipped (listed in the manifest only?)", path.display());
            continue;
        };
        let opts = AnalyzeOptions { today: (2026, 11), ..AnalyzeOptions::default() };
        let a = analyze(&bytes, &opts);
        if let Err(e) = &a {
            println!("{}: analyze failed: {e}", exp.file);
        }
        let miss = score(&mut tallies, taxonomy, exp, a.as_ref().ok().map(|a| &a.resume));
        if verbose && !miss.is_empty() {
            println!("{}:\n    {miss}", exp.file);
        }
    }
    (files.len(), tallies)
}
