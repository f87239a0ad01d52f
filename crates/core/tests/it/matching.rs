//! Match quality on the labelled set (tests/corpus/pairs.json and orderings.json): precision and
//! recall of the missing-skill list against `expected_missing`, and how often the better fit
//! scores higher, printed and held above floors; plus determinism.
//!
//! Uses the embedding model in models/minilm (run models/fetch-minilm.sh first); see the
//! numbers with `cargo test -p qoder-core --test it matching:: -- --nocapture`.

use qoder_analysis::matching::{MatchOptions, ResumeFacts};
use qoder_analysis::skills::{Taxonomy, key};
use qoder_analysis::{AnalyzeOptions, analyze};
use qoder_core::matching::{Embeddings, ResumeVectors, embed_resume, match_texts};
use qoder_domain::matching::MatchReport;
use qoder_embed::{Embedder, default_model_dir};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const TODAY: (i32, u8) = (2026, 11);

/// Floors, set just under what the matcher reaches (see the printed figures).
const MIN_MISSING_PRECISION: f64 = 0.89;
const MIN_MISSING_RECALL: f64 = 0.87;
const MIN_ORDERING_ACCURACY: f64 = 0.97;
const MIN_KEYWORD_ORDERING_ACCURACY: f64 = 0.97;
/// Share of `expected_related` where the report names that very related skill.
const MIN_RELATED_RECALL: f64 = 0.37;

#[derive(Deserialize)]
struct Pair {
    resume: String,
    jd: String,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default)]
    preferred: Vec<String>,
    #[serde(default)]
    expected_missing: Vec<String>,
    #[serde(default)]
    expected_related: Vec<Related>,
}

#[derive(Deserialize)]
struct Related {
    missing: String,
    related_present: String,
}

#[derive(Deserialize)]
struct Ordering {
    resume: Option<String>,
    jd: Option<String>,
    better_jd: Option<String>,
    worse_jd: Option<String>,
    better_resume: Option<String>,
    worse_resume: Option<String>,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

fn embedder() -> Embedder {
    let dir = default_model_dir();
    match Embedder::load(&dir) {
        Ok(e) => e,
        Err(e) => panic!(
            "this test needs the embedding model in {}: run models/fetch-minilm.sh first ({e})",
            dir.display()
        ),
    }
}

fn resume_file(id: &str) -> PathBuf {
    let files = corpus().join("files");
    for ext in ["pdf", "docx", "txt"] {
        let p = files.join(format!("{id}.{ext}"));
        if p.is_file() {
            return p;
        }
    }
    panic!("no file for resume {id} in {}", files.display());
}

struct Matcher {
    embedder: Embedder,
    resumes: BTreeMap<String, (ResumeFacts, ResumeVectors)>,
    reports: BTreeMap<(String, String), MatchReport>,
}

impl Matcher {
    fn new() -> Self {
        Matcher { embedder: embedder(), resumes: BTreeMap::new(), reports: BTreeMap::new() }
    }

    fn report(&mut self, resume: &str, jd: &str) -> &MatchReport {
        let k = (resume.to_string(), jd.to_string());
        if !self.reports.contains_key(&k) {
            let e = Embeddings { embedder: &self.embedder, cache: None };
            if !self.resumes.contains_key(resume) {
                let bytes = std::fs::read(resume_file(resume)).unwrap();
                let opts = AnalyzeOptions { today: TODAY, ..AnalyzeOptions::default() };
                let a = analyze(&bytes, &opts).unwrap_or_else(|e| panic!("{resume}: {e}"));
                let facts = ResumeFacts::from_resume(&a.resume, TODAY);
                let vecs = embed_resume(&e, &facts).unwrap();
                self.resumes.insert(resume.to_string(), (facts, vecs));
            }
            let (facts, vecs) = &self.resumes[resume];
            let text =
                std::fs::read_to_string(corpus().join("jds").join(format!("{jd}.txt"))).unwrap();
            let r =
                match_texts(facts, &text, Some(&e), Some(vecs), &MatchOptions::new(TODAY)).unwrap();
            self.reports.insert(k.clone(), r);
        }
        &self.reports[&k]
    }
}

/// Canonical taxonomy name (so "AWS" and "Amazon Web Services" compare equal).
fn canon(tax: &Taxonomy, name: &str) -> String {
    tax.lookup(name).map_or_else(|| key(name), |i| key(&tax.get(i).name))
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[test]
fn missing_skills_and_orderings_on_the_labelled_set() {
    let tax = Taxonomy::builtin();
    let pairs: Vec<Pair> =
        serde_json::from_slice(&std::fs::read(corpus().join("pairs.json")).unwrap()).unwrap();
    let orderings: Vec<Ordering> =
        serde_json::from_slice(&std::fs::read(corpus().join("orderings.json")).unwrap()).unwrap();
    let mut m = Matcher::new();

    // Missing skills: end to end (the JD as parse_jd reads it), and restricted to the labelled
    // terms (the matching alone, whatever else the JD parser found).
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let (mut rtp, mut rfp) = (0, 0);
    let (mut rel_found, mut rel_total) = (0, 0);
    let mut errors: Vec<String> = Vec::new();
    for p in &pairs {
        let r = m.report(&p.resume, &p.jd).clone();
        let expected: BTreeSet<String> = p.expected_missing.iter().map(|s| canon(tax, s)).collect();
        let labelled: BTreeSet<String> =
            p.required.iter().chain(&p.preferred).map(|s| canon(tax, s)).collect();
        let got: BTreeSet<String> =
            r.missing.iter().chain(&r.related).map(|s| canon(tax, &s.skill)).collect();
        let t = expected.intersection(&got).count();
        tp += t;
        fp += got.difference(&expected).count();
        fn_ += expected.difference(&got).count();
        let got_l: BTreeSet<&String> = got.intersection(&labelled).collect();
        rtp += got_l.iter().filter(|g| expected.contains(**g)).count();
        rfp += got_l.iter().filter(|g| !expected.contains(**g)).count();
        let extra: Vec<&String> = got.difference(&expected).collect();
        let lost: Vec<&String> = expected.difference(&got).collect();
        if !extra.is_empty() || !lost.is_empty() {
            errors.push(format!("{} × {}: extra {extra:?}, not found {lost:?}", p.resume, p.jd));
        }
        for rel in &p.expected_related {
            rel_total += 1;
            let want = canon(tax, &rel.missing);
            if r.related.iter().any(|x| {
                canon(tax, &x.skill) == want
                    && x.related
                        .as_ref()
                        .is_some_and(|y| canon(tax, &y.name) == canon(tax, &rel.related_present))
            }) {
                rel_found += 1;
            }
        }
    }
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let rprecision = ratio(rtp, rtp + rfp);

    let mut correct = 0;
    let mut wrong: Vec<String> = Vec::new();
    for o in &orderings {
        let (better, worse) = match (&o.resume, &o.jd) {
            (Some(res), _) => (
                (res.clone(), o.better_jd.clone().unwrap()),
                (res.clone(), o.worse_jd.clone().unwrap()),
            ),
            (None, Some(jd)) => (
                (o.better_resume.clone().unwrap(), jd.clone()),
                (o.worse_resume.clone().unwrap(), jd.clone()),
            ),
            (None, None) => panic!("an ordering names neither a resume nor a JD"),
        };
        let b = m.report(&better.0, &better.1).score;
        let w = m.report(&worse.0, &worse.1).score;
        if b > w {
            correct += 1;
        } else {
            wrong.push(format!(
                "{} × {} = {b} vs {} × {} = {w}",
                better.0, better.1, worse.0, worse.1
            ));
        }
    }
    let accuracy = ratio(correct, orderings.len());

    // The same orderings without the model (the CLI's fallback when it is not installed).
    let keyword_score = |m: &Matcher, resume: &str, jd: &str| {
        let (facts, _) = &m.resumes[resume];
        let text = std::fs::read_to_string(corpus().join("jds").join(format!("{jd}.txt"))).unwrap();
        match_texts(facts, &text, None, None, &MatchOptions::new(TODAY)).unwrap().score
    };
    let mut keyword_correct = 0;
    for o in &orderings {
        let (better, worse) = match (&o.resume, &o.jd) {
            (Some(res), _) => (
                (res.as_str(), o.better_jd.as_deref().unwrap()),
                (res.as_str(), o.worse_jd.as_deref().unwrap()),
            ),
            (None, Some(jd)) => (
                (o.better_resume.as_deref().unwrap(), jd.as_str()),
                (o.worse_resume.as_deref().unwrap(), jd.as_str()),
            ),
            (None, None) => unreachable!("checked above"),
        };
        if keyword_score(&m, better.0, better.1) > keyword_score(&m, worse.0, worse.1) {
            keyword_correct += 1;
        }
    }
    let keyword_accuracy = ratio(keyword_correct, orderings.len());

    println!("missing-skill list over {} pairs (vs expected_missing):", pairs.len());
    println!(
        "  end to end:             precision {precision:.3}  recall {recall:.3}  (tp {tp}, fp {fp}, fn {fn_})"
    );
    println!("  labelled terms only:    precision {rprecision:.3}");
    println!("  related skill named:    {rel_found} of {rel_total} expected_related");
    println!("ordering accuracy: {correct} of {} = {accuracy:.3}", orderings.len());
    println!(
        "ordering accuracy keyword-only (no model): {keyword_correct} of {} = {keyword_accuracy:.3}",
        orderings.len()
    );
    for e in &errors {
        println!("  pair  {e}");
    }
    for w in &wrong {
        println!("  order {w}");
    }
    assert!(precision >= MIN_MISSING_PRECISION, "missing-skill precision {precision:.3}");
    assert!(recall >= MIN_MISSING_RECALL, "missing-skill recall {recall:.3}");
    assert!(accuracy >= MIN_ORDERING_ACCURACY, "ordering accuracy {accuracy:.3}");
    assert!(
        keyword_accuracy >= MIN_KEYWORD_ORDERING_ACCURACY,
        "keyword-only ordering accuracy {keyword_accuracy:.3}"
    );
    let related_recall = ratio(rel_found, rel_total);
    assert!(related_recall >= MIN_RELATED_RECALL, "related-skill recall {related_recall:.3}");
}

#[test]
fn same_inputs_give_the_same_report() {
    let embedder = embedder();
    let bytes = std::fs::read(resume_file("r01-software")).unwrap();
    let a = analyze(&bytes, &AnalyzeOptions { today: TODAY, ..AnalyzeOptions::default() }).unwrap();
    let jd = std::fs::read_to_string(corpus().join("jds/jd07-sre.txt")).unwrap();
    let run = || {
        let facts = ResumeFacts::from_resume(&a.resume, TODAY);
        let e = Embeddings { embedder: &embedder, cache: None };
        let r = match_texts(&facts, &jd, Some(&e), None, &MatchOptions::new(TODAY)).unwrap();
        serde_json::to_string(&r).unwrap()
    };
    let first = run();
    assert_eq!(first, run());
    assert_eq!(first, run());
}
