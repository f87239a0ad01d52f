//! Job-fit evaluation (tests/fit): orderings by kind, score bands and a ranking set, scored by
//! the keyword-only matcher (no embeddings) next to a TF-IDF cosine baseline computed here; and
//! monotonicity properties (removing a required skill, shortening a date range or dropping a
//! bullet never raises a score; adding a supporting bullet never lowers it) over the fit set and
//! the corpus resumes.
//!
//! See the figures with `cargo test -p qoder-analysis --test it fit:: -- --nocapture`.

use qoder_analysis::jd::parse_jd;
use qoder_analysis::matching::{MatchOptions, ResumeFacts, match_report};
use qoder_analysis::skills::Taxonomy;
use qoder_analysis::{AnalyzeOptions, analyze};
use qoder_domain::ParsedResume;
use qoder_domain::matching::{FitBand, JobDescription};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const TODAY: (i32, u8) = (2026, 11);

#[derive(Deserialize)]
struct Cases {
    orderings: Vec<Ordering>,
    bands: Vec<Band>,
    ranking: Vec<Ranking>,
}

#[derive(Deserialize)]
struct Ordering {
    jd: String,
    better: String,
    worse: String,
    kind: String,
    why: String,
}

#[derive(Deserialize)]
struct Band {
    jd: String,
    resume: String,
    min: u8,
    max: u8,
    why: String,
}

#[derive(Deserialize)]
struct Ranking {
    jd: String,
    natural: String,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn parse_resume(bytes: &[u8], name: &str) -> ParsedResume {
    let opts = AnalyzeOptions { today: TODAY, ..AnalyzeOptions::default() };
    analyze(bytes, &opts).unwrap_or_else(|e| panic!("{name}: {e}")).resume
}

struct Set {
    cases: Cases,
    jd_text: BTreeMap<String, String>,
    jds: BTreeMap<String, JobDescription>,
    resume_text: BTreeMap<String, String>,
    facts: BTreeMap<String, ResumeFacts>,
}

fn load() -> Set {
    let dir = root().join("fit");
    let cases: Cases = serde_json::from_str(&read(&dir.join("cases.json"))).unwrap();
    let list = |sub: &str| -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                out.insert(p.file_stem().unwrap().to_string_lossy().to_string(), read(&p));
            }
        }
        out
    };
    let jd_text = list("jds");
    let resume_text = list("resumes");
    let jds = jd_text.iter().map(|(k, t)| (k.clone(), parse_jd(t))).collect();
    let facts = resume_text
        .iter()
        .map(|(k, t)| (k.clone(), ResumeFacts::from_resume(&parse_resume(t.as_bytes(), k), TODAY)))
        .collect();
    Set { cases, jd_text, jds, resume_text, facts }
}

impl Set {
    fn score(&self, resume: &str, jd: &str) -> u8 {
        let f = self.facts.get(resume).unwrap_or_else(|| panic!("no resume {resume}"));
        let j = self.jds.get(jd).unwrap_or_else(|| panic!("no jd {jd}"));
        match_report(f, j, None, &MatchOptions::new(TODAY)).score
    }
}

/// TF-IDF cosine of two texts over a fixed document collection: the baseline.
struct Tfidf {
    idf: BTreeMap<String, f64>,
}

fn words(s: &str) -> Vec<String> {
    const STOP: &[&str] = &[
        "the", "and", "for", "with", "our", "your", "you", "from", "into", "that", "this", "are",
        "was", "were", "will", "all", "any", "its", "their", "per", "via", "of", "to", "in", "on",
        "a", "an", "as", "at", "by", "or", "we", "be", "is", "it", "up",
    ];
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '+' && c != '#')
        .filter(|w| w.chars().count() >= 2 && !STOP.contains(w))
        .map(str::to_string)
        .collect()
}

impl Tfidf {
    fn new<'a>(docs: impl IntoIterator<Item = &'a String>) -> Tfidf {
        let mut df: BTreeMap<String, f64> = BTreeMap::new();
        let mut n = 0.0;
        for d in docs {
            n += 1.0;
            for w in words(d).into_iter().collect::<BTreeSet<_>>() {
                *df.entry(w).or_default() += 1.0;
            }
        }
        let idf = df.into_iter().map(|(w, c)| (w, ((n + 1.0) / (c + 1.0)).ln() + 1.0)).collect();
        Tfidf { idf }
    }

    fn vector(&self, s: &str) -> BTreeMap<String, f64> {
        let mut v: BTreeMap<String, f64> = BTreeMap::new();
        for w in words(s) {
            *v.entry(w).or_default() += 1.0;
        }
        for (w, x) in v.iter_mut() {
            *x *= self.idf.get(w).copied().unwrap_or(1.0);
        }
        v
    }

    fn cosine(&self, a: &str, b: &str) -> f64 {
        let (va, vb) = (self.vector(a), self.vector(b));
        let dot: f64 = va.iter().filter_map(|(w, x)| vb.get(w).map(|y| x * y)).sum();
        let na: f64 = va.values().map(|x| x * x).sum::<f64>().sqrt();
        let nb: f64 = vb.values().map(|x| x * x).sum::<f64>().sqrt();
        if na == 0.0 || nb == 0.0 { 0.0 } else { dot / (na * nb) }
    }
}

#[test]
fn fit_set_orderings_bands_and_ranking_beat_tfidf() {
    let set = load();
    let docs: Vec<&String> = set.jd_text.values().chain(set.resume_text.values()).collect();
    let tfidf = Tfidf::new(docs.iter().copied());
    let cos = |resume: &str, jd: &str| tfidf.cosine(&set.resume_text[resume], &set.jd_text[jd]);

    // Orderings, per kind.
    let mut per_kind: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut wrong: Vec<String> = Vec::new();
    for o in &set.cases.orderings {
        let (b, w) = (set.score(&o.better, &o.jd), set.score(&o.worse, &o.jd));
        let ok = b > w;
        let base = cos(&o.better, &o.jd) > cos(&o.worse, &o.jd);
        let e = per_kind.entry(o.kind.as_str()).or_default();
        e.0 += 1;
        e.1 += usize::from(ok);
        e.2 += usize::from(base);
        if !ok {
            wrong.push(format!(
                "{} [{}]: {} {b} vs {} {w} ({})",
                o.jd, o.kind, o.better, o.worse, o.why
            ));
        }
    }
    println!("{:<24} {:>5} {:>8} {:>8}", "ordering kind", "cases", "scorer", "tf-idf");
    let (mut n, mut ok, mut base) = (0, 0, 0);
    for (k, (c, s, t)) in &per_kind {
        println!("{k:<24} {c:>5} {s:>8} {t:>8}");
        n += c;
        ok += s;
        base += t;
    }
    println!("{:<24} {n:>5} {ok:>8} {base:>8}", "overall");
    for w in &wrong {
        println!("  wrong: {w}");
    }

    // Bands.
    let mut band_ok = 0;
    for b in &set.cases.bands {
        let s = set.score(&b.resume, &b.jd);
        println!(
            "  band case {:<20} × {:<20} {s:>3} {:<13} expected {}–{}",
            b.resume,
            b.jd,
            FitBand::of(s).as_str(),
            b.min,
            b.max
        );
        if (b.min..=b.max).contains(&s) {
            band_ok += 1;
        } else {
            println!(
                "  band: {} × {} = {s} ({}), expected {}–{} ({})",
                b.resume,
                b.jd,
                FitBand::of(s).as_str(),
                b.min,
                b.max,
                b.why
            );
        }
    }
    println!("bands: {band_ok} of {}", set.cases.bands.len());

    // Ranking: the natural resume first among every resume of the set.
    let (mut first, mut base_first, mut rank_sum) = (0, 0, 0);
    for r in &set.cases.ranking {
        let mut scored: Vec<(u8, &String)> =
            set.facts.keys().map(|k| (set.score(k, &r.jd), k)).collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let nat = set.score(&r.natural, &r.jd);
        // ties count against: the natural resume must be strictly ahead
        let rank = 1 + scored.iter().filter(|(s, k)| *k != &r.natural && *s >= nat).count();
        rank_sum += rank;
        first += usize::from(rank == 1);
        let nat_cos = cos(&r.natural, &r.jd);
        let base_rank = 1 + set
            .resume_text
            .keys()
            .filter(|k| *k != &r.natural && cos(k, &r.jd) >= nat_cos)
            .count();
        base_first += usize::from(base_rank == 1);
        if rank != 1 {
            println!(
                "  ranking {}: {} ranks {rank} ({nat}); top: {:?}",
                r.jd,
                r.natural,
                &scored[..3.min(scored.len())]
            );
        }
    }
    // Speed: a new JD read and matched against an already read resume.
    let mut times: Vec<std::time::Duration> = Vec::new();
    for text in set.jd_text.values() {
        for f in set.facts.values() {
            let t0 = std::time::Instant::now();
            let jd = parse_jd(text);
            let _ = match_report(f, &jd, None, &MatchOptions::new(TODAY));
            times.push(t0.elapsed());
        }
    }
    times.sort();
    let p50 = times[times.len() / 2];
    println!(
        "speed: read a JD and match it, {} runs: p50 {:.2} ms, max {:.2} ms (this build)",
        times.len(),
        p50.as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
    assert!(p50.as_millis() < 100, "p50 {p50:?}");

    let nr = set.cases.ranking.len();
    println!(
        "ranking: natural first {first} of {nr} (mean rank {:.2}) among {} resumes; tf-idf first {base_first} of {nr}",
        rank_sum as f64 / nr as f64,
        set.facts.len()
    );

    for (k, (c, s, t)) in &per_kind {
        assert!(s >= t, "{k}: scorer {s} < tf-idf {t} of {c}");
    }
    assert!(ok > base, "orderings: scorer {ok} not ahead of tf-idf {base} of {n}");
    assert!(ok as f64 >= 0.9 * n as f64, "orderings: {ok} of {n}");
    assert!(first >= base_first.min(nr - 1), "ranking: scorer {first} vs tf-idf {base_first}");
    assert!(band_ok as f64 >= 0.8 * set.cases.bands.len() as f64, "bands: {band_ok}");
}

/// Removes every written form of the taxonomy skill `skill` from the resume (lines, bullets,
/// skills list, text): a resume without that skill and otherwise the same.
fn without_skill(r: &ParsedResume, skill: usize, tax: &Taxonomy) -> ParsedResume {
    let cut = |line: &str| -> String {
        let found = tax.find_in_line(line, true);
        let text: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut out = String::new();
        let mut at = 0;
        for f in found.iter().filter(|f| f.skill == skill) {
            if f.start >= at && f.end <= text.len() {
                out.push_str(&text[at..f.start]);
                at = f.end;
            }
        }
        out.push_str(&text[at..]);
        out
    };
    let mut r = r.clone();
    for s in &mut r.sections {
        for l in &mut s.lines {
            *l = cut(l);
        }
    }
    for e in &mut r.experience {
        for b in &mut e.bullets {
            *b = cut(b);
        }
    }
    r.skills.retain(|m| tax.lookup(&m.name) != Some(skill));
    r.text = r.text.lines().map(cut).collect::<Vec<_>>().join("\n");
    r
}

/// Every resume to apply the edits to: the fit set and the corpus (txt, pdf, docx).
fn all_resumes() -> Vec<(String, ParsedResume)> {
    let mut out = Vec::new();
    for sub in ["fit/resumes", "corpus/files"] {
        let dir = root().join(sub);
        let mut paths: Vec<PathBuf> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths {
            if !p.extension().is_some_and(|x| x == "txt" || x == "pdf" || x == "docx") {
                continue;
            }
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let opts = AnalyzeOptions { today: TODAY, ..AnalyzeOptions::default() };
            if let Ok(a) = analyze(&std::fs::read(&p).unwrap(), &opts) {
                out.push((name, a.resume));
            }
        }
    }
    out
}

fn all_jds() -> Vec<(String, JobDescription)> {
    let mut out = Vec::new();
    for sub in ["fit/jds", "corpus/jds"] {
        let dir = root().join(sub);
        let mut paths: Vec<PathBuf> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths.into_iter().filter(|p| p.extension().is_some_and(|x| x == "txt")) {
            out.push((p.file_name().unwrap().to_string_lossy().to_string(), parse_jd(&read(&p))));
        }
    }
    out
}

#[test]
fn edits_move_the_score_the_right_way() {
    let tax = Taxonomy::builtin();
    let opts = MatchOptions::new(TODAY);
    let resumes = all_resumes();
    let jds = all_jds();
    assert!(resumes.len() >= 40, "{} resumes", resumes.len());
    let score = |r: &ParsedResume, jd: &JobDescription| {
        match_report(&ResumeFacts::from_resume(r, TODAY), jd, None, &opts).score
    };
    let (mut checked, mut violations) = (0usize, Vec::<String>::new());
    for (ri, (rname, r)) in resumes.iter().enumerate() {
        // each resume against a few JDs (its neighbours in the list, so every JD is used)
        for (jname, jd) in jds.iter().cycle().skip(ri % jds.len()).take(4) {
            let base = score(r, jd);
            let mut check = |what: String, s: u8, must_not_rise: bool| {
                checked += 1;
                let bad = if must_not_rise { s > base } else { s < base };
                if bad {
                    violations.push(format!("{rname} × {jname}: {what}: {base} → {s}"));
                }
            };
            // remove each required skill the resume has
            let facts = ResumeFacts::from_resume(r, TODAY);
            for req in &jd.required {
                let Some(i) = tax.lookup(&req.name) else { continue };
                if facts.skills.iter().any(|s| s.skill == i) {
                    let s = score(&without_skill(r, i, tax), jd);
                    check(format!("without {}", req.name), s, true);
                }
            }
            // shorten each dated position by a year
            for k in 0..r.experience.len() {
                let mut e = r.clone();
                if let Some(st) = e.experience[k].start.as_mut() {
                    st.year += 1;
                    let s = score(&e, jd);
                    check(format!("position {k} a year shorter"), s, true);
                }
            }
            // drop each bullet of the first two positions
            for k in 0..r.experience.len().min(2) {
                for b in 0..r.experience[k].bullets.len() {
                    let mut e = r.clone();
                    let gone = e.experience[k].bullets.remove(b);
                    for s in &mut e.sections {
                        s.lines.retain(|l| l.trim() != gone.trim());
                    }
                    let s = score(&e, jd);
                    check(format!("without bullet \"{gone}\""), s, true);
                }
            }
            // add a bullet showing a required skill with a result
            if let (Some(req), Some(pos)) = (jd.required.first(), r.experience.first())
                && !pos.bullets.is_empty()
            {
                let mut e = r.clone();
                let line =
                    format!("Used {} in production work, cutting turnaround by 20%", req.name);
                e.experience[0].bullets.push(line.clone());
                if let Some(sec) =
                    e.sections.iter_mut().find(|s| s.kind == qoder_domain::SectionKind::Experience)
                {
                    sec.lines.push(line.clone());
                }
                e.text.push('\n');
                e.text.push_str(&line);
                let s = score(&e, jd);
                check(format!("with \"{line}\""), s, false);
            }
        }
    }
    println!("monotonicity: {checked} edits, {} violations", violations.len());
    for v in violations.iter().take(30) {
        println!("  {v}");
    }
    assert!(checked >= 500, "{checked} edits");
    assert!(
        violations.is_empty(),
        "{} of {checked} edits moved the score the wrong way",
        violations.len()
    );
}
