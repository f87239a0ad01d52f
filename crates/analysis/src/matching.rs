//! The match report: how well a resume fits a job description, explained.
//!
//! Pure: the caller reads the resume once into [`ResumeFacts`], asks [`texts_to_embed`] which
//! texts need embeddings, computes the [`Similarities`] (qoder-core runs the model, with a cache)
//! and calls [`match_report`]. Without similarities the report is keyword-only (title and
//! responsibilities compared by shared words), and says so (`semantic: false`).
//!
//! The score is a weighted sum of named components (see [`Weights`]). Keyword stuffing does not
//! pay: each skill counts once however often it is written, and a skill that is only listed in a
//! skills section, with no line of experience behind it, earns [`LISTED_ONLY_CREDIT`] of a shown
//! one. Ties are broken by name, so the same inputs give the same report.

use crate::fit::{
    Family, Level, adjacent, family_of_title, level_of_bullets, level_of_title, level_seniority,
    scored_level,
};
use crate::jd::{education_in, seniority_of_title};
use crate::skills::Taxonomy;
use qoder_domain::matching::{
    BulletSupport, ComponentKind, EducationLevel, FitBand, FitFlag, FitFlagKind, JdSkill,
    JobDescription, MatchReport, MissingSkill, RelatedSkill, RelationKind, ResponsibilityFit,
    ScoreComponent, Seniority, SkillEvidence, SkillMatch, Suggestion, SuggestionKind,
};
use qoder_domain::{ParsedResume, SectionKind, SkillCategory, bullet};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// Default cosine above which a present skill counts as related to a missing one.
pub const SEMANTIC_SIMILARITY_THRESHOLD: f32 = 0.7;
/// Credit of a skill listed only in a skills section, relative to one shown in a bullet with a
/// result.
pub const LISTED_ONLY_CREDIT: f32 = 0.5;
/// Credit of a skill shown in experience (or projects, summary) without a result next to it.
pub const SHOWN_CREDIT: f32 = 0.85;
/// Highest score of a resume whose positions are all in another occupation family.
pub const FUNCTION_MISMATCH_CAP: u8 = 20;
/// Highest score of a resume whose positions are in a neighbouring family (a career switch).
pub const CAREER_SWITCH_CAP: u8 = 40;
/// Listed-only skills the job does not ask for that are tolerated (more, with few bullets
/// behind them, is keyword stuffing).
const STUFFING_ALLOWANCE: usize = 12;
/// Points taken per stuffed skill beyond the allowance, and at most.
const STUFFING_PER_SKILL: f32 = 0.6;
const STUFFING_MAX: f32 = 10.0;
/// For two skills of the same taxonomy category, the similarity threshold is lowered by this
/// much ("Rust"/"Go" are both languages: a closer call than "Rust"/"Nursing").
pub const SAME_CATEGORY_MARGIN: f32 = 0.2;
/// Below this cosine two taxonomy siblings are not offered as related.
const SIBLING_MIN_SIMILARITY: f32 = 0.3;
/// Credit of a missing skill for which a related skill is present.
pub const RELATED_CREDIT: f32 = 0.3;
/// Most bullets read from a resume.
const MAX_BULLETS: usize = 300;
/// Best-supporting bullets kept per responsibility.
const BEST_PER_RESPONSIBILITY: usize = 2;

/// Weights of the components (points out of their sum).
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    pub required_skills: f32,
    pub preferred_skills: f32,
    pub title_seniority: f32,
    pub experience_years: f32,
    pub education: f32,
    pub responsibility_fit: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            required_skills: 40.0,
            preferred_skills: 10.0,
            title_seniority: 15.0,
            experience_years: 10.0,
            education: 5.0,
            responsibility_fit: 20.0,
        }
    }
}

#[derive(Clone, Debug)]
pub struct MatchOptions {
    /// Today's (year, month): "Present" ends a position today.
    pub today: (i32, u8),
    pub threshold: f32,
    pub listed_only_credit: f32,
    pub weights: Weights,
}

impl MatchOptions {
    pub fn new(today: (i32, u8)) -> Self {
        MatchOptions {
            today,
            threshold: SEMANTIC_SIMILARITY_THRESHOLD,
            listed_only_credit: LISTED_ONLY_CREDIT,
            weights: Weights::default(),
        }
    }
}

/// One experience bullet with the position it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct Bullet {
    pub text: String,
    pub position: Option<String>,
}

/// A skill the resume has, with where.
#[derive(Clone, Debug, PartialEq)]
pub struct ResumeSkill {
    pub skill: usize,
    pub name: String,
    pub category: SkillCategory,
    pub evidence: Vec<SkillEvidence>,
    /// Written somewhere other than a skills list or the summary (experience, projects,
    /// certifications…).
    pub shown: bool,
    /// Shown in a line that also states a result (a number, "reduced", "grew"…).
    pub with_result: bool,
}

/// One position as matching reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct PositionFact {
    pub title: String,
    pub family: Option<Family>,
    /// The level the title claims.
    pub title_level: Level,
    /// The level its bullets show (team size, reports, budget).
    pub shown_level: Level,
    /// Months (start, end exclusive) when dated.
    pub span: Option<(i32, i32)>,
}

/// What matching needs from a resume, read once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResumeFacts {
    /// By name.
    pub skills: Vec<ResumeSkill>,
    pub bullets: Vec<Bullet>,
    /// Position titles, most recent first.
    pub titles: Vec<String>,
    pub years: Option<f32>,
    pub seniority: Option<Seniority>,
    pub education: Option<EducationLevel>,
    /// Positions, most recent first (those with a title, or read from the text).
    pub positions: Vec<PositionFact>,
    /// Titles were not parsed: they were read from short title-like lines of the text.
    pub titles_from_text: bool,
    /// No dated positions were parsed: the years are year ranges found in the text.
    pub years_from_text: bool,
    /// No degree was parsed: it was found in the text.
    pub education_from_text: bool,
    /// Lowercased text, for certification look-ups.
    text_lower: String,
}

impl ResumeFacts {
    pub fn from_resume(resume: &ParsedResume, today: (i32, u8)) -> ResumeFacts {
        Self::from_resume_with(resume, today, Taxonomy::builtin())
    }

    pub fn from_resume_with(
        resume: &ParsedResume,
        today: (i32, u8),
        tax: &Taxonomy,
    ) -> ResumeFacts {
        let mut by_skill: BTreeMap<usize, Vec<SkillEvidence>> = BTreeMap::new();
        for s in &resume.sections {
            let ctx = matches!(s.kind, SectionKind::Skills | SectionKind::Languages);
            for line in &s.lines {
                for f in tax.find_in_line(line, ctx) {
                    let ev = by_skill.entry(f.skill).or_default();
                    let e = SkillEvidence { section: s.kind, line: line.trim().to_string() };
                    if !ev.contains(&e) && ev.len() < 8 {
                        ev.push(e);
                    }
                }
            }
        }
        // Skills the parser reported that the line scan did not see (e.g. from a table).
        for m in &resume.skills {
            if let Some(i) = tax.lookup(&m.name) {
                let ev = by_skill.entry(i).or_default();
                if ev.is_empty() {
                    for sec in &m.sections {
                        ev.push(SkillEvidence { section: *sec, line: String::new() });
                    }
                }
            }
        }
        let mut skills: Vec<ResumeSkill> = by_skill
            .into_iter()
            .map(|(skill, evidence)| {
                let shown = evidence.iter().any(|e| !is_listing(e.section));
                let with_result =
                    evidence.iter().any(|e| !is_listing(e.section) && states_result(&e.line));
                let sk = tax.get(skill);
                ResumeSkill {
                    skill,
                    name: sk.name.clone(),
                    category: sk.category,
                    evidence,
                    shown,
                    with_result,
                }
            })
            .collect();
        skills.sort_by(|a, b| a.name.cmp(&b.name).then(a.skill.cmp(&b.skill)));

        let mut bullets: Vec<Bullet> = Vec::new();
        for e in &resume.experience {
            let position = match (&e.title, &e.employer) {
                (Some(t), Some(m)) => Some(format!("{t}, {m}")),
                (Some(t), None) => Some(t.clone()),
                (None, Some(m)) => Some(m.clone()),
                (None, None) => None,
            };
            for b in &e.bullets {
                let t = b.trim();
                if t.split_whitespace().count() >= 3 {
                    bullets.push(Bullet { text: t.to_string(), position: position.clone() });
                }
            }
        }
        for s in &resume.sections {
            let take = match s.kind {
                SectionKind::Projects | SectionKind::Volunteering => true,
                SectionKind::Experience => resume.experience.iter().all(|e| e.bullets.is_empty()),
                _ => false,
            };
            if take {
                for l in &s.lines {
                    let t = bullet::strip(l);
                    if t.split_whitespace().count() >= 5 && !bullets.iter().any(|b| b.text == t) {
                        bullets.push(Bullet { text: t.to_string(), position: None });
                    }
                }
            }
        }
        // Nothing parsed as experience: the sentences of the text stand in for bullets.
        if bullets.is_empty() {
            let skip: BTreeSet<&str> = resume
                .sections
                .iter()
                .filter(|s| {
                    matches!(
                        s.kind,
                        SectionKind::Skills
                            | SectionKind::Education
                            | SectionKind::Header
                            | SectionKind::Languages
                            | SectionKind::Interests
                    )
                })
                .flat_map(|s| s.lines.iter().map(|l| l.trim()))
                .collect();
            for l in resume.text.lines() {
                let t = bullet::strip(l);
                if t.split_whitespace().count() >= 6
                    && !skip.contains(l.trim())
                    && !bullets.iter().any(|b| b.text == t)
                {
                    bullets.push(Bullet { text: t.to_string(), position: None });
                    if bullets.len() >= MAX_BULLETS {
                        break;
                    }
                }
            }
        }
        bullets.truncate(MAX_BULLETS);

        let mut dated: Vec<(&qoder_domain::Experience, i32)> = resume
            .experience
            .iter()
            .map(|e| (e, end_months(e, today).unwrap_or(i32::MIN)))
            .collect();
        // most recent first; stable, so file order breaks ties
        dated.sort_by_key(|d| std::cmp::Reverse(d.1));
        let titles: Vec<String> = dated
            .iter()
            .filter_map(|(e, _)| e.title.clone())
            .filter(|t| !t.trim().is_empty())
            .collect();

        let today_m = today.0 * 12 + i32::from(today.1.clamp(1, 12)) - 1;
        let mut positions: Vec<PositionFact> = dated
            .iter()
            .filter_map(|(e, _)| {
                let title = e.title.as_deref().map(str::trim).filter(|t| !t.is_empty())?;
                let span = e.start.map(|st| {
                    let s = st.months(1);
                    let end = if e.current || e.end.is_some() {
                        end_months(e, today).unwrap_or(s)
                    } else {
                        s + 6
                    };
                    (s, end.max(s) + 1)
                });
                Some(PositionFact {
                    title: title.to_string(),
                    family: family_of_title(title),
                    title_level: level_of_title(title),
                    shown_level: level_of_bullets(e.bullets.iter().map(String::as_str)),
                    span: span.filter(|(s, e)| e - s < 12 * 60 && *s <= today_m + 1),
                })
            })
            .collect();
        let mut titles = titles;
        let mut titles_from_text = false;
        if titles.is_empty() {
            titles = titles_in_text(&resume.text);
            titles_from_text = !titles.is_empty();
            let all_bullets: Vec<&str> = bullets.iter().map(|b| b.text.as_str()).collect();
            let shown = level_of_bullets(all_bullets.iter().copied());
            positions = titles
                .iter()
                .map(|t| PositionFact {
                    title: t.clone(),
                    family: family_of_title(t),
                    title_level: level_of_title(t),
                    shown_level: shown,
                    span: None,
                })
                .collect();
        }

        let mut years = experience_years(resume, today);
        let mut years_from_text = false;
        if years.is_none() {
            years = years_in_text(resume, today);
            years_from_text = years.is_some();
        }
        let seniority = titles.first().and_then(|t| seniority_of_title(t)).or(match years {
            Some(y) if y >= 8.0 => Some(Seniority::Senior),
            Some(y) if y >= 3.0 => Some(Seniority::Mid),
            Some(y) if y >= 0.5 => Some(Seniority::Junior),
            _ => None,
        });

        let mut education = resume
            .education
            .iter()
            .filter_map(|e| {
                let text = format!(
                    "{} {}",
                    e.degree.as_deref().unwrap_or(""),
                    e.field.as_deref().unwrap_or("")
                );
                education_in(&text)
            })
            .max();
        if education.is_none()
            && let Some(s) = resume.section(SectionKind::Education)
        {
            education = s.lines.iter().filter_map(|l| education_in(l)).max();
        }
        let mut education_from_text = false;
        if education.is_none() {
            education = resume.text.lines().filter_map(degree_in_text).max();
            education_from_text = education.is_some();
        }
        ResumeFacts {
            skills,
            bullets,
            titles,
            years,
            seniority,
            education,
            positions,
            titles_from_text,
            years_from_text,
            education_from_text,
            text_lower: resume.text.to_lowercase(),
        }
    }

    fn skill(&self, idx: usize) -> Option<&ResumeSkill> {
        self.skills.iter().find(|s| s.skill == idx)
    }
}

/// A line that states a result: a number, a percentage, or a verb of change.
fn states_result(line: &str) -> bool {
    static RESULT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\d|%|\b(increas|reduc|improv|cut|sav|grew|grow|boost|decreas|lower|doubl|tripl|exceed|accelerat|shorten|eliminat)\w*")
            .expect("result regex")
    });
    RESULT.is_match(line)
}

/// Short lines of the text that read as job titles ("Senior Hadoop Engineer (2012 - 2017)"),
/// in text order, at most five: used when the parser found no position titles.
fn titles_in_text(text: &str) -> Vec<String> {
    static DATES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)[(\[]?\s*(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+)?(?:19|20)\d{2}.*$").expect("title dates regex")
    });
    let mut out: Vec<String> = Vec::new();
    for l in text.lines().take(400) {
        let t = l.trim().trim_matches(['#', '*', '_', '-', '•', '|']);
        let t = t.trim();
        let words = t.split_whitespace().count();
        if !(1..=10).contains(&words) || t.ends_with('.') || t.contains("  ") {
            continue;
        }
        // "Senior Hadoop Engineer (2012 - 2017)", "Nurse | St Mary's | 2019 – Present"
        let head = DATES.replace(t, "");
        let head = head.split(['|', '@', '—', '–', ',']).next().unwrap_or("").trim();
        let head = head.trim_end_matches(['(', '-', '*', ':']).trim();
        if head.is_empty() || head.contains(':') || head.split_whitespace().count() > 6 {
            continue;
        }
        if family_of_title(head).is_some() && !out.iter().any(|o| o == head) {
            out.push(head.to_string());
            if out.len() >= 5 {
                break;
            }
        }
    }
    out
}

/// Years covered by year ranges anywhere in the text outside education ("2012 - 2017",
/// "Mar 2019 – Present"), overlaps counted once: used when no dated position was parsed.
fn years_in_text(resume: &ParsedResume, today: (i32, u8)) -> Option<f32> {
    static RANGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b((?:19|20)\d{2})\s*(?:-|–|—|to|until)\s*(?:[a-z]{3,9}\.?\s+)?((?:19|20)\d{2}|present|current|now|today|date)\b")
            .expect("year range regex")
    });
    let education: BTreeSet<&str> = resume
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Education)
        .flat_map(|s| s.lines.iter().map(|l| l.trim()))
        .collect();
    let mut spans: Vec<(i32, i32)> = Vec::new();
    for l in resume.text.lines() {
        if education.contains(l.trim()) || education_in(l).is_some() {
            continue;
        }
        for c in RANGE.captures_iter(l) {
            let Some(start) = c.get(1).and_then(|m| m.as_str().parse::<i32>().ok()) else {
                continue;
            };
            let end = match c.get(2).map(|m| m.as_str().to_lowercase()) {
                Some(e) if e.chars().all(|c| c.is_ascii_digit()) => {
                    e.parse::<i32>().unwrap_or(start)
                }
                _ => today.0,
            };
            if end >= start && end - start < 50 && end <= today.0 {
                spans.push((start * 12, end * 12 + 12));
            }
        }
    }
    merged_years(spans)
}

/// Years covered by month spans (start, end exclusive), overlaps counted once.
fn merged_years(mut spans: Vec<(i32, i32)>) -> Option<f32> {
    if spans.is_empty() {
        return None;
    }
    spans.sort_unstable();
    let mut total = 0;
    let (mut cs, mut ce) = spans[0];
    for &(s, e) in &spans[1..] {
        if s <= ce {
            ce = ce.max(e);
        } else {
            total += ce - cs;
            (cs, ce) = (s, e);
        }
    }
    total += ce - cs;
    Some((total as f32 / 12.0 * 10.0).round() / 10.0)
}

/// A degree named in a line of the text (a degree word, not just "university").
fn degree_in_text(line: &str) -> Option<EducationLevel> {
    static DEGREE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(ph\.?\s?d|doctorate|master['’]?s?|msc|m\.sc|mba|bachelor['’]?s?|bsc|b\.sc|b\.a\.|b\.s\.|ba|bs|beng|associate['’]?s? degree|diploma|degree|high school|ged)\b")
            .expect("degree regex")
    });
    if line.len() > 300 || !DEGREE.is_match(line) {
        return None;
    }
    education_in(line)
}

/// Sections that claim a skill rather than show it: a skills list, the header, interests, and
/// the summary (a self-description; a summary copied from the posting proves nothing).
fn is_listing(kind: SectionKind) -> bool {
    matches!(
        kind,
        SectionKind::Skills | SectionKind::Header | SectionKind::Interests | SectionKind::Summary
    )
}

fn end_months(e: &qoder_domain::Experience, today: (i32, u8)) -> Option<i32> {
    let today_m = today.0 * 12 + i32::from(today.1.clamp(1, 12)) - 1;
    if e.current {
        return Some(today_m);
    }
    e.end.map(|d| d.months(12).min(today_m)).or(e.start.map(|d| d.months(1)))
}

/// Years covered by the dated positions, overlaps counted once.
pub fn experience_years(resume: &ParsedResume, today: (i32, u8)) -> Option<f32> {
    let mut spans: Vec<(i32, i32)> = Vec::new();
    for e in &resume.experience {
        let Some(start) = e.start else { continue };
        let s = start.months(1);
        let end = if e.current || e.end.is_some() {
            end_months(e, today).unwrap_or(s)
        } else {
            s + 6 // a start with no end: count half a year
        };
        if end >= s && end - s < 12 * 60 {
            spans.push((s, end + 1));
        }
    }
    if spans.is_empty() {
        return None;
    }
    spans.sort_unstable();
    let mut total = 0;
    let (mut cs, mut ce) = spans[0];
    for &(s, e) in &spans[1..] {
        if s <= ce {
            ce = ce.max(e);
        } else {
            total += ce - cs;
            (cs, ce) = (s, e);
        }
    }
    total += ce - cs;
    Some((total as f32 / 12.0 * 10.0).round() / 10.0)
}

/// The texts whose embeddings [`Similarities`] is made of, in the order its matrices use.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbedTexts {
    /// The JD skills the resume does not cover ([`unmatched_skills`], required then preferred)
    /// — rows of `Similarities::skills`.
    pub jd_skills: Vec<String>,
    /// Resume skills (as in `ResumeFacts::skills`) — columns of `Similarities::skills`.
    pub resume_skills: Vec<String>,
    /// JD responsibilities — rows of `Similarities::responsibilities`.
    pub responsibilities: Vec<String>,
    /// Resume bullets — columns of `Similarities::responsibilities`.
    pub bullets: Vec<String>,
    /// The JD title (if any) — compared with each of `resume_titles`.
    pub jd_title: Option<String>,
    pub resume_titles: Vec<String>,
}

pub fn texts_to_embed(
    resume: &ResumeFacts,
    jd: &JobDescription,
    opts: &MatchOptions,
) -> EmbedTexts {
    let all: Vec<&JdSkill> = jd.required.iter().chain(&jd.preferred).collect();
    EmbedTexts {
        jd_skills: unmatched_skills(resume, jd, opts)
            .into_iter()
            .map(|i| skill_text(&all[i].name, all[i].category))
            .collect(),
        resume_skills: resume.skills.iter().map(|s| skill_text(&s.name, s.category)).collect(),
        responsibilities: jd.responsibilities.clone(),
        bullets: resume.bullets.iter().map(|b| b.text.clone()).collect(),
        jd_title: jd.title.clone(),
        resume_titles: resume.titles.iter().take(3).cloned().collect(),
    }
}

/// The text a skill is embedded as: its name with its category ("PostgreSQL (database)"), which
/// places short or opaque names ("Jest", "SIEM") among their kind.
pub fn skill_text(name: &str, category: SkillCategory) -> String {
    format!("{name} ({})", category.as_str().replace('_', " "))
}

/// Cosine similarities, precomputed by the caller, laid out as [`EmbedTexts`] says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Similarities {
    pub skills: Vec<Vec<f32>>,
    pub responsibilities: Vec<Vec<f32>>,
    pub titles: Vec<f32>,
}

fn sim_at(m: &[Vec<f32>], i: usize, j: usize) -> Option<f32> {
    m.get(i).and_then(|r| r.get(j)).copied().filter(|v| v.is_finite())
}

fn clamp01(x: f32) -> f32 {
    if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) }
}

/// Maps a cosine onto 0–1 between `lo` (nothing) and `hi` (full).
fn ramp(x: f32, lo: f32, hi: f32) -> f32 {
    clamp01((x - lo) / (hi - lo))
}

struct SkillOutcome {
    matched: Option<SkillMatch>,
    missing: Option<MissingSkill>,
    credit: f32,
}

/// The resume skill that covers a JD skill, best first: (credit, rank: 0 the skill itself, 1 an
/// accepted alternative, 2 a narrower skill; the resume skill; the name to show as "via").
fn find_match<'f>(
    s: &JdSkill,
    facts: &'f ResumeFacts,
    opts: &MatchOptions,
    tax: &Taxonomy,
) -> Option<(f32, u8, &'f ResumeSkill, Option<String>)> {
    let credit_of = |r: &ResumeSkill| {
        if r.with_result {
            1.0
        } else if r.shown {
            SHOWN_CREDIT.max(opts.listed_only_credit)
        } else {
            opts.listed_only_credit
        }
    };
    let mut best: Option<(f32, u8, &'f ResumeSkill, Option<String>)> = None;
    let mut consider = |cand: (f32, u8, &'f ResumeSkill, Option<String>)| {
        let better = match &best {
            None => true,
            Some(b) => cand.0 > b.0 || (cand.0 == b.0 && (cand.1, &cand.2.name) < (b.1, &b.2.name)),
        };
        if better {
            best = Some(cand);
        }
    };
    let mut targets: Vec<(usize, u8)> = Vec::new();
    if let Some(i) = tax.lookup(&s.name) {
        targets.push((i, 0));
    }
    for a in &s.alternatives {
        if let Some(i) = tax.lookup(a) {
            targets.push((i, 1));
        }
    }
    for &(t, rank) in &targets {
        if let Some(r) = facts.skill(t) {
            let via = (rank > 0).then(|| r.name.clone());
            consider((credit_of(r), rank, r, via));
        }
        // a narrower skill demonstrates it (PostgreSQL shows SQL)
        for r in &facts.skills {
            if r.skill != t && tax.get(r.skill).implies.contains(&t) {
                consider((credit_of(r), 2, r, Some(r.name.clone())));
            }
        }
    }
    best
}

/// Positions (in required-then-preferred order) of the JD skills the resume does not cover:
/// only these need embeddings (to look for a related skill).
pub fn unmatched_skills(
    facts: &ResumeFacts,
    jd: &JobDescription,
    opts: &MatchOptions,
) -> Vec<usize> {
    unmatched_with(facts, jd, opts, Taxonomy::builtin())
}

fn unmatched_with(
    facts: &ResumeFacts,
    jd: &JobDescription,
    opts: &MatchOptions,
    tax: &Taxonomy,
) -> Vec<usize> {
    jd.required
        .iter()
        .chain(&jd.preferred)
        .enumerate()
        .filter(|(_, s)| find_match(s, facts, opts, tax).is_none())
        .map(|(i, _)| i)
        .collect()
}

fn judge_skill(
    s: &JdSkill,
    row: Option<usize>,
    required: bool,
    facts: &ResumeFacts,
    sims: Option<&Similarities>,
    opts: &MatchOptions,
    tax: &Taxonomy,
) -> SkillOutcome {
    let best = find_match(s, facts, opts, tax);
    if let Some((credit, _, r, via)) = best {
        return SkillOutcome {
            matched: Some(SkillMatch {
                skill: s.name.clone(),
                required,
                via,
                credit,
                listed_only: !r.shown,
                evidence: r.evidence.clone(),
            }),
            missing: None,
            credit,
        };
    }

    // Missing: is a related skill present?
    let mut related: Option<(f32, u8, String, RelationKind, Option<f32>)> = None;
    let mut consider_rel = |cand: (f32, u8, String, RelationKind, Option<f32>)| {
        let better = match &related {
            None => true,
            Some(b) => cand.0 > b.0 || (cand.0 == b.0 && (cand.1, &cand.2) < (b.1, &b.2)),
        };
        if better {
            related = Some(cand);
        }
    };
    let jd_idx = tax.lookup(&s.name);
    for (col, r) in facts.skills.iter().enumerate() {
        let sim = row.and_then(|row| sims.and_then(|m| sim_at(&m.skills, row, col)));
        if let Some(j) = jd_idx {
            let js = tax.get(j);
            let rs = tax.get(r.skill);
            let broader = js.implies.contains(&r.skill);
            // Siblings (both kinds of the same thing, same category) unless the embeddings say
            // they are far apart ("Web Accessibility" / "Full-Stack Development").
            let sibling = js.category == rs.category
                && js.implies.iter().any(|p| rs.implies.contains(p))
                && sim.is_none_or(|v| v >= SIBLING_MIN_SIMILARITY);
            if broader || sibling {
                consider_rel((
                    sim.unwrap_or(0.0).max(0.0) + 1.0,
                    0,
                    r.name.clone(),
                    RelationKind::Taxonomy,
                    sim,
                ));
                continue;
            }
        }
        // Spoken languages do not stand in for each other.
        let language = r.category == SkillCategory::Language
            || jd_idx.is_some_and(|j| tax.get(j).category == SkillCategory::Language);
        if let Some(v) = sim.filter(|_| !language) {
            let same_category = jd_idx.is_some_and(|j| tax.get(j).category == r.category);
            if v >= opts.threshold || (same_category && v >= opts.threshold - SAME_CATEGORY_MARGIN)
            {
                consider_rel((v, 1, r.name.clone(), RelationKind::Semantic, Some(v)));
            }
        }
    }
    let related = related.map(|(_, _, name, relation, similarity)| RelatedSkill {
        name,
        relation,
        similarity: similarity.map(|v| (v * 1000.0).round() / 1000.0),
    });
    let credit = if related.is_some() { RELATED_CREDIT } else { 0.0 };
    SkillOutcome {
        matched: None,
        missing: Some(MissingSkill { skill: s.name.clone(), required, related }),
        credit,
    }
}

fn content_words(s: &str) -> BTreeSet<String> {
    // The list is data: models/words/match_stop_words.txt.
    use crate::words::MATCH_STOP_WORDS as STOP;
    s.split(|c: char| !c.is_alphanumeric() && c != '+' && c != '#')
        .filter(|w| w.chars().count() >= 2)
        .map(|w| {
            let w = w.to_lowercase();
            let w = w.strip_suffix("ing").filter(|r| r.len() >= 3).map(str::to_string).unwrap_or(w);
            let w = w.strip_suffix("ed").filter(|r| r.len() >= 3).map(str::to_string).unwrap_or(w);
            w.strip_suffix('s').filter(|r| r.len() >= 3).map(str::to_string).unwrap_or(w)
        })
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

/// Share of `a`'s content words found in `b` (keyword fallback for similarity).
fn word_overlap(a: &str, b: &str) -> f32 {
    let wa = content_words(a);
    if wa.is_empty() {
        return 0.0;
    }
    let wb = content_words(b);
    wa.intersection(&wb).count() as f32 / wa.len() as f32
}

fn round1(x: f32) -> f32 {
    (x * 10.0).round() / 10.0
}

/// Builds the report. `sims` must be laid out as [`texts_to_embed`] returns for the same
/// `facts` and `jd`; `None` gives a keyword-only report.
pub fn match_report(
    facts: &ResumeFacts,
    jd: &JobDescription,
    sims: Option<&Similarities>,
    opts: &MatchOptions,
) -> MatchReport {
    match_report_with(facts, jd, sims, opts, Taxonomy::builtin())
}

pub fn match_report_with(
    facts: &ResumeFacts,
    jd: &JobDescription,
    sims: Option<&Similarities>,
    opts: &MatchOptions,
    tax: &Taxonomy,
) -> MatchReport {
    let w = &opts.weights;
    let mut flags: Vec<FitFlag> = Vec::new();
    let mut unknown: Vec<ComponentKind> = Vec::new();

    let mut skills = SkillLists::default();
    let unmatched = unmatched_with(facts, jd, opts, tax);
    let judge = SkillJudge { facts, sims, opts, tax, unmatched: &unmatched };
    let mut components = vec![
        judge.component(&jd.required, 0, true, w.required_skills, &mut skills),
        judge.component(&jd.preferred, jd.required.len(), false, w.preferred_skills, &mut skills),
    ];

    let function = FunctionView::read(facts, jd);
    flags.extend(function.inflation());
    components.push(title_seniority(facts, jd, sims, &function, w, &mut unknown));
    components.push(years_component(facts, jd, &function, w, &mut unknown));
    components.push(education(facts, jd, w, &mut unknown));
    let fits = responsibility_fits(facts, jd, sims);
    components.push(responsibility_component(facts, jd, sims, &fits, w));

    let total_weight: f32 = components.iter().filter(|c| c.applicable).map(|c| c.weight).sum();
    let total_points: f32 = components.iter().filter(|c| c.applicable).map(|c| c.points).sum();
    let mut raw = if total_weight > 0.0 { 100.0 * total_points / total_weight } else { 0.0 };
    if total_weight > 0.0
        && let Some((penalty, flag)) = stuffing(facts, jd, tax)
    {
        raw -= penalty;
        flags.push(flag);
    }
    let mut score = raw.round().clamp(0.0, 100.0) as u8;
    if let Some((cap, flag)) = function.cap() {
        flags.push(flag);
        score = score.min(cap);
    }
    for k in &unknown {
        flags.push(FitFlag {
            kind: FitFlagKind::Unknown,
            message: format!(
                "{}: not found in the resume, left out of the score (its weight is shared out)",
                k.as_str()
            ),
        });
    }
    for c in &mut components {
        c.points = round1(c.points);
    }

    let fits: Vec<ResponsibilityFit> = fits.into_iter().map(|(fit, _)| fit).collect();
    let SkillLists { matched, missing, related } = skills;
    let suggestions = suggestions(facts, jd, &matched, &missing, &related, &fits, sims.is_some());
    MatchReport {
        score,
        components,
        matched,
        missing,
        related,
        responsibilities: fits,
        suggestions,
        resume_years: facts.years,
        resume_seniority: facts.seniority,
        resume_education: facts.education,
        job: jd.clone(),
        semantic: sims.is_some(),
        threshold: opts.threshold,
        band: FitBand::of(score),
        job_function: function.job.map(|f| f.as_str().to_string()),
        resume_function: function.resume.map(|f| f.as_str().to_string()),
        resume_level: function.resume_level,
        unknown,
        flags,
    }
}

/// The JD skills judged so far: covered, missing, missing with a related skill present.
#[derive(Default)]
struct SkillLists {
    matched: Vec<SkillMatch>,
    missing: Vec<MissingSkill>,
    related: Vec<MissingSkill>,
}

/// What judging a JD skill needs.
struct SkillJudge<'a> {
    facts: &'a ResumeFacts,
    sims: Option<&'a Similarities>,
    opts: &'a MatchOptions,
    tax: &'a Taxonomy,
    /// [`unmatched_with`]: the rows of the skill similarities.
    unmatched: &'a [usize],
}

impl SkillJudge<'_> {
    /// The required (or preferred) skills component; `offset` is the list's position in
    /// required-then-preferred order. Each skill judged goes to `lists`.
    fn component(
        &self,
        list: &[JdSkill],
        offset: usize,
        required: bool,
        weight: f32,
        lists: &mut SkillLists,
    ) -> ScoreComponent {
        let kind =
            if required { ComponentKind::RequiredSkills } else { ComponentKind::PreferredSkills };
        let mut total = 0.0;
        let (mut shown, mut listed, mut rel, mut miss) = (0, 0, 0, 0);
        for (i, s) in list.iter().enumerate() {
            let row = self.unmatched.iter().position(|&u| u == offset + i);
            let o = judge_skill(s, row, required, self.facts, self.sims, self.opts, self.tax);
            total += o.credit;
            if let Some(m) = o.matched {
                if m.listed_only {
                    listed += 1
                } else {
                    shown += 1
                }
                lists.matched.push(m);
            }
            if let Some(m) = o.missing {
                if m.related.is_some() {
                    rel += 1;
                    lists.related.push(m);
                } else {
                    miss += 1;
                    lists.missing.push(m);
                }
            }
        }
        let n = list.len();
        let applicable = n > 0;
        let points = if applicable { weight * total / n as f32 } else { 0.0 };
        let evidence = if applicable {
            format!(
                "{} of {n} shown in experience, {listed} only listed (×{}), {rel} with a related skill (×{RELATED_CREDIT}), {miss} missing",
                shown, self.opts.listed_only_credit
            )
        } else {
            "the job names none".to_string()
        };
        ScoreComponent { kind, weight, points, applicable, evidence }
    }
}

/// The job's occupation family against each position's, and the level read from the position
/// that counts.
struct FunctionView<'f> {
    /// The job's family (from its title).
    job: Option<Family>,
    /// Positions with a known family.
    classified: Vec<&'f PositionFact>,
    /// Positions in the job's family, most recent first.
    same: Vec<&'f PositionFact>,
    /// Positions in a neighbouring family.
    near: Vec<&'f PositionFact>,
    /// Both the job's family and some position's are known.
    known: bool,
    /// The position the level is read from: the latest in the job's family, else the latest.
    relevant: Option<&'f PositionFact>,
    /// The resume's family as shown to the user.
    resume: Option<Family>,
    /// The level read from `relevant` (its title's claim, lowered when its bullets do not
    /// show that scope) and whether it was lowered.
    read_level: Level,
    inflated: bool,
    resume_level: Option<Seniority>,
}

impl<'f> FunctionView<'f> {
    fn read(facts: &'f ResumeFacts, jd: &JobDescription) -> Self {
        let job = jd.title.as_deref().and_then(family_of_title);
        let classified: Vec<&PositionFact> =
            facts.positions.iter().filter(|p| p.family.is_some()).collect();
        let same: Vec<&PositionFact> =
            classified.iter().copied().filter(|p| job.is_some() && p.family == job).collect();
        let near: Vec<&PositionFact> = classified
            .iter()
            .copied()
            .filter(|p| job.zip(p.family).is_some_and(|(a, b)| a != b && adjacent(a, b)))
            .collect();
        let known = job.is_some() && !classified.is_empty();
        let relevant: Option<&PositionFact> = same.first().copied().or(facts.positions.first());
        let resume = relevant.and_then(|p| p.family).or(classified.first().and_then(|p| p.family));
        let (read_level, inflated) = match relevant {
            Some(p) => scored_level(p.title_level, p.shown_level),
            None => (Level::Ic, false),
        };
        let resume_level = if facts.positions.is_empty() {
            facts.seniority
        } else {
            level_seniority(read_level, facts.seniority)
        };
        FunctionView {
            job,
            classified,
            same,
            near,
            known,
            relevant,
            resume,
            read_level,
            inflated,
            resume_level,
        }
    }

    /// The title claims more than its bullets show.
    fn inflation(&self) -> Option<FitFlag> {
        let p = self.relevant.filter(|_| self.inflated)?;
        Some(FitFlag {
            kind: FitFlagKind::TitleInflation,
            message: format!(
                "\"{}\" claims {} level; its bullets show {} scope (no team size, reports or budget): read as {}",
                p.title,
                p.title_level.as_str(),
                p.shown_level.as_str(),
                self.read_level.as_str()
            ),
        })
    }

    /// A different function caps the score; a neighbouring one (career switch) caps it lower
    /// than a same-function candidate would reach.
    fn cap(&self) -> Option<(u8, FitFlag)> {
        if !self.known || !self.same.is_empty() {
            return None;
        }
        let jf = self.job?;
        let (cap, kind, what) = if self.near.is_empty() {
            (FUNCTION_MISMATCH_CAP, FitFlagKind::FunctionMismatch, "a different function")
        } else {
            (
                CAREER_SWITCH_CAP,
                FitFlagKind::CareerSwitch,
                "a neighbouring function (career switch)",
            )
        };
        let theirs: Vec<&str> = {
            let mut v: Vec<&str> =
                self.classified.iter().filter_map(|p| p.family.map(Family::as_str)).collect();
            v.dedup();
            v
        };
        let flag = FitFlag {
            kind,
            message: format!(
                "the job is {}; your positions are {} — {what}: score capped at {cap}",
                jf.as_str(),
                theirs.join(", ")
            ),
        };
        Some((cap, flag))
    }
}

/// Title, function and seniority.
fn title_seniority(
    facts: &ResumeFacts,
    jd: &JobDescription,
    sims: Option<&Similarities>,
    function: &FunctionView<'_>,
    w: &Weights,
    unknown: &mut Vec<ComponentKind>,
) -> ScoreComponent {
    let title_fit = jd.title.as_deref().map(|t| title_fit(facts, t, sims, function));
    let seniority_fit = seniority_fit(jd, function);
    let from_text = if facts.titles_from_text { " (titles read from the text)" } else { "" };
    let (applicable, fit, evidence) = if facts.positions.is_empty() {
        unknown.push(ComponentKind::TitleSeniority);
        (false, 0.0, "unknown: no position titles found in the resume".to_string())
    } else {
        match (&title_fit, &seniority_fit) {
            (Some(t), Some(s)) => {
                (true, 0.7 * t.0 + 0.3 * s.0, format!("{}{from_text}; {}", t.1, s.1))
            }
            (Some(t), None) => (true, t.0, format!("{}{from_text}", t.1)),
            (None, Some(s)) => (true, s.0, s.1.clone()),
            _ => (false, 0.0, "the job has no title".to_string()),
        }
    };
    ScoreComponent {
        kind: ComponentKind::TitleSeniority,
        weight: w.title_seniority,
        points: if applicable { w.title_seniority * clamp01(fit) } else { 0.0 },
        applicable,
        evidence,
    }
}

/// How well the latest positions' titles fit the job title `t` (0–1), and how they were
/// compared.
fn title_fit(
    facts: &ResumeFacts,
    t: &str,
    sims: Option<&Similarities>,
    function: &FunctionView<'_>,
) -> (f32, String) {
    let semantic = sims
        .filter(|s| !s.titles.is_empty())
        .map(|s| s.titles.iter().copied().filter(|v| v.is_finite()).fold(f32::MIN, f32::max));
    let words = |p: &PositionFact| clamp01(word_overlap(t, &p.title) / 0.6);
    let like = |p: &PositionFact| match semantic {
        Some(best) => words(p).max(ramp(best, 0.3, 0.75)),
        None => words(p),
    };
    let mut best = 0.0f32;
    for (i, p) in facts.positions.iter().take(5).enumerate() {
        let recency = match i {
            0 => 1.0,
            1 => 0.9,
            _ => 0.8,
        };
        let fit = match (function.job, p.family) {
            (Some(a), Some(b)) if a == b => 0.75 + 0.25 * like(p),
            (Some(a), Some(b)) if adjacent(a, b) => 0.3 + 0.2 * like(p),
            (Some(_), Some(_)) => 0.1 * like(p),
            _ => like(p),
        };
        best = best.max(fit * recency);
    }
    let how = match (function.job, function.resume) {
        (Some(a), Some(b)) if a == b => format!("same function ({})", a.as_str()),
        (Some(a), Some(b)) => format!("job is {}, your positions are {}", a.as_str(), b.as_str()),
        _ => "function unclear; titles compared by words".to_string(),
    };
    (best, how)
}

/// How well the resume's level fits the level asked (0–1), when the job asks one. Under the
/// level asked: read on the evidence (more evidence never hurts). Over it: read on the title's
/// claim (dropping evidence never helps).
fn seniority_fit(jd: &JobDescription, function: &FunctionView<'_>) -> Option<(f32, String)> {
    let claimed = function.relevant.and_then(|p| {
        let words = seniority_of_title(&p.title);
        words.and(level_seniority(p.title_level, words))
    });
    let want_level = match jd.title.as_deref() {
        Some(t) => level_seniority(level_of_title(t), jd.seniority),
        None => jd.seniority,
    };
    want_level.map(|want| match (function.resume_level, claimed) {
        (Some(have), claimed) => {
            let under = (want.rank() - have.rank()).max(0);
            let over = claimed.map_or(0, |c| (c.rank() - want.rank()).max(0));
            let fit = match under {
                0 => 1.0,
                1 => 0.6,
                2 => 0.2,
                _ => 0.0,
            } * match over {
                0 => 1.0,
                1 => 0.8,
                2 => 0.5,
                _ => 0.3,
            };
            (fit, format!("asks {}, your positions show {}", want.as_str(), have.as_str()))
        }
        (None, _) => (0.5, format!("asks {}, your level is unclear", want.as_str())),
    })
}

/// Experience years: in the job's function when the positions say which.
fn years_component(
    facts: &ResumeFacts,
    jd: &JobDescription,
    function: &FunctionView<'_>,
    w: &Weights,
    unknown: &mut Vec<ComponentKind>,
) -> ScoreComponent {
    let in_function: Option<f32> = if function.known && !function.same.is_empty() {
        let spans = |ps: &[&PositionFact]| ps.iter().filter_map(|p| p.span).collect::<Vec<_>>();
        let s = merged_years(spans(&function.same));
        let n = merged_years(spans(&function.near));
        s.map(|s| s + 0.5 * n.unwrap_or(0.0))
    } else if function.known {
        merged_years(function.near.iter().filter_map(|p| p.span).collect())
            .map(|n| 0.5 * n)
            .or(Some(0.0))
    } else {
        None
    };
    let have = if function.known {
        in_function.map(|f| f.min(facts.years.unwrap_or(f)))
    } else {
        facts.years
    };
    let (applicable, fit, evidence) = match (jd.min_years, have) {
        (None, _) => (false, 0.0, "the job asks no number of years".to_string()),
        (Some(want), Some(have)) if facts.years.is_some() => {
            let fit = if want <= 0.0 { 1.0 } else { clamp01(have / want) };
            let how = if function.known {
                format!(
                    "{have} years in {} ({} in all)",
                    function.job.map_or("the function", Family::as_str),
                    facts.years.unwrap_or(0.0)
                )
            } else if facts.years_from_text {
                format!("year ranges in the text cover {have} years")
            } else {
                format!("your dated positions cover {have} years")
            };
            (true, fit, format!("asks {want}+ years; {how}"))
        }
        (Some(want), _) => {
            unknown.push(ComponentKind::ExperienceYears);
            (false, 0.0, format!("unknown: asks {want}+ years; no dates found in the resume"))
        }
    };
    ScoreComponent {
        kind: ComponentKind::ExperienceYears,
        weight: w.experience_years,
        points: if applicable { w.experience_years * fit } else { 0.0 },
        applicable,
        evidence,
    }
}

/// The degree asked against the resume's highest.
fn education(
    facts: &ResumeFacts,
    jd: &JobDescription,
    w: &Weights,
    unknown: &mut Vec<ComponentKind>,
) -> ScoreComponent {
    let from_text = if facts.education_from_text { " (found in the text)" } else { "" };
    let (applicable, fit, evidence) = match (jd.education, facts.education) {
        (None, _) => (false, 0.0, "the job asks no degree".to_string()),
        (Some(want), Some(have)) if have >= want => {
            (true, 1.0, format!("asks {}; you have {}{from_text}", want.as_str(), have.as_str()))
        }
        (Some(want), Some(have)) => {
            let gap = want as i32 - have as i32;
            let fit = if gap == 1 { 0.5 } else { 0.0 };
            (true, fit, format!("asks {}; you have {}{from_text}", want.as_str(), have.as_str()))
        }
        (Some(want), None) => {
            unknown.push(ComponentKind::Education);
            (false, 0.0, format!("unknown: asks {}; no degree found", want.as_str()))
        }
    };
    ScoreComponent {
        kind: ComponentKind::Education,
        weight: w.education,
        points: if applicable { w.education * fit } else { 0.0 },
        applicable,
        evidence,
    }
}

/// Each responsibility with its best-supporting bullets, and how well it is supported (0–1).
fn responsibility_fits(
    facts: &ResumeFacts,
    jd: &JobDescription,
    sims: Option<&Similarities>,
) -> Vec<(ResponsibilityFit, f32)> {
    let mut out = Vec::new();
    for (i, r) in jd.responsibilities.iter().enumerate() {
        let mut scored: Vec<(f32, usize)> = facts
            .bullets
            .iter()
            .enumerate()
            .map(|(j, b)| {
                let v = match sims {
                    Some(s) => sim_at(&s.responsibilities, i, j).unwrap_or(0.0),
                    None => word_overlap(r, &b.text),
                };
                (v, j)
            })
            .collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0).then_with(|| facts.bullets[a.1].text.cmp(&facts.bullets[b.1].text))
        });
        let best = scored.first().map_or(0.0, |x| x.0);
        let score = if sims.is_some() { ramp(best, 0.15, 0.55) } else { ramp(best, 0.1, 0.5) };
        let fit = ResponsibilityFit {
            responsibility: r.clone(),
            best: scored
                .iter()
                .take(BEST_PER_RESPONSIBILITY)
                .filter(|x| x.0 > 0.0)
                .map(|&(v, j)| BulletSupport {
                    bullet: facts.bullets[j].text.clone(),
                    position: facts.bullets[j].position.clone(),
                    similarity: (v * 1000.0).round() / 1000.0,
                })
                .collect(),
        };
        out.push((fit, score));
    }
    out
}

/// The responsibilities component: the mean support of the job's responsibilities.
fn responsibility_component(
    facts: &ResumeFacts,
    jd: &JobDescription,
    sims: Option<&Similarities>,
    fits: &[(ResponsibilityFit, f32)],
    w: &Weights,
) -> ScoreComponent {
    let fit_scores: Vec<f32> = fits.iter().map(|(_, s)| *s).collect();
    let applicable = !jd.responsibilities.is_empty();
    let fit =
        if applicable { fit_scores.iter().sum::<f32>() / fit_scores.len() as f32 } else { 0.0 };
    let covered = fit_scores.iter().filter(|f| **f >= 0.5).count();
    let evidence = if !applicable {
        "the job lists no responsibilities".to_string()
    } else if facts.bullets.is_empty() {
        "no experience bullets found in the resume".to_string()
    } else {
        format!(
            "{covered} of {} responsibilities well supported by a bullet ({})",
            fit_scores.len(),
            if sims.is_some() {
                "semantic similarity"
            } else {
                "shared words; embeddings not used"
            }
        )
    };
    ScoreComponent {
        kind: ComponentKind::ResponsibilityFit,
        weight: w.responsibility_fit,
        points: if applicable { w.responsibility_fit * fit } else { 0.0 },
        applicable,
        evidence,
    }
}

/// Keyword stuffing: many listed-only skills the job does not ask for, with few bullets. The
/// points taken and the flag that says why.
fn stuffing(facts: &ResumeFacts, jd: &JobDescription, tax: &Taxonomy) -> Option<(f32, FitFlag)> {
    let asked: BTreeSet<usize> = jd
        .required
        .iter()
        .chain(&jd.preferred)
        .flat_map(|s| std::iter::once(&s.name).chain(&s.alternatives))
        .filter_map(|n| tax.lookup(n))
        .collect();
    let stuffed = facts.skills.iter().filter(|r| !r.shown && !asked.contains(&r.skill)).count();
    let allowance = STUFFING_ALLOWANCE.max(2 * facts.bullets.len());
    if stuffed <= allowance {
        return None;
    }
    let penalty = ((stuffed - allowance) as f32 * STUFFING_PER_SKILL).min(STUFFING_MAX);
    let flag = FitFlag {
        kind: FitFlagKind::KeywordStuffing,
        message: format!(
            "{stuffed} skills are only listed, not asked by the job and not shown in any of {} bullets: −{penalty:.1} points",
            facts.bullets.len()
        ),
    };
    Some((penalty, flag))
}

fn suggestions(
    facts: &ResumeFacts,
    jd: &JobDescription,
    matched: &[SkillMatch],
    missing: &[MissingSkill],
    related: &[MissingSkill],
    fits: &[ResponsibilityFit],
    semantic: bool,
) -> Vec<Suggestion> {
    let mut out = Vec::new();
    for m in
        missing.iter().filter(|m| m.required).chain(missing.iter().filter(|m| !m.required)).take(6)
    {
        let (section, where_) = if m.required {
            (
                SectionKind::Experience,
                "in an experience bullet that shows where you used it, and in your skills list",
            )
        } else {
            (SectionKind::Skills, "to your skills list, or to a bullet if you used it at work")
        };
        out.push(Suggestion {
            kind: SuggestionKind::AddSkill,
            message: format!(
                "The job {} {}: if you have it, add it {where_}.",
                if m.required { "requires" } else { "prefers" },
                m.skill
            ),
            skill: Some(m.skill.clone()),
            section: Some(section),
            bullet: None,
            responsibility: None,
        });
    }
    for m in related.iter().take(4) {
        if let Some(r) = &m.related {
            out.push(Suggestion {
                kind: SuggestionKind::MentionRelated,
                message: format!(
                    "The job asks for {}; you show {}. If you have used {} add it; otherwise say in your summary how your {} experience transfers.",
                    m.skill, r.name, m.skill, r.name
                ),
                skill: Some(m.skill.clone()),
                section: Some(SectionKind::Summary),
                bullet: None,
                responsibility: None,
            });
        }
    }
    for m in matched.iter().filter(|m| m.listed_only && m.required).take(4) {
        out.push(Suggestion {
            kind: SuggestionKind::ShowSkill,
            message: format!(
                "{} is only listed in your skills: show it in an experience bullet (what you built with it and the result) — listed skills count for less than shown ones.",
                m.via.as_deref().unwrap_or(&m.skill)
            ),
            skill: Some(m.skill.clone()),
            section: Some(SectionKind::Experience),
            bullet: None,
            responsibility: None,
        });
    }
    let weak = if semantic { 0.35 } else { 0.3 };
    let mut weak_fits: Vec<&ResponsibilityFit> =
        fits.iter().filter(|f| f.best.first().is_none_or(|b| b.similarity < weak)).collect();
    weak_fits.sort_by(|a, b| {
        let sa = a.best.first().map_or(0.0, |x| x.similarity);
        let sb = b.best.first().map_or(0.0, |x| x.similarity);
        sa.total_cmp(&sb).then_with(|| a.responsibility.cmp(&b.responsibility))
    });
    for f in weak_fits.into_iter().take(3) {
        let (message, bullet) = match f.best.first() {
            Some(b) => (
                format!(
                    "No bullet clearly shows \"{}\". Your closest is \"{}\" ({:.2}): rewrite it (or add one) to show that work and its result.",
                    f.responsibility, b.bullet, b.similarity
                ),
                Some(b.bullet.clone()),
            ),
            None => (
                format!(
                    "No bullet shows \"{}\": add one describing that work and its result.",
                    f.responsibility
                ),
                None,
            ),
        };
        out.push(Suggestion {
            kind: SuggestionKind::StrengthenBullet,
            message,
            skill: None,
            section: Some(SectionKind::Experience),
            bullet,
            responsibility: Some(f.responsibility.clone()),
        });
    }
    if let (Some(want), Some(have)) = (jd.min_years, facts.years)
        && have < want
    {
        out.push(Suggestion {
            kind: SuggestionKind::Qualification,
            message: format!(
                "The job asks {want}+ years; your dated positions cover {have}. Check every position has start and end dates, and include relevant earlier work."
            ),
            skill: None,
            section: Some(SectionKind::Experience),
            bullet: None,
            responsibility: None,
        });
    }
    if let Some(want) = jd.education
        && facts.education.is_none_or(|h| h < want)
    {
        out.push(Suggestion {
            kind: SuggestionKind::Qualification,
            message: format!(
                "The job asks for a {} degree{}: make your highest degree explicit in Education.",
                want.as_str(),
                jd.education_line.as_deref().map(|l| format!(" (\"{l}\")")).unwrap_or_default()
            ),
            skill: None,
            section: Some(SectionKind::Education),
            bullet: None,
            responsibility: None,
        });
    }
    for c in &jd.certifications {
        let shown =
            matched.iter().any(|m| &m.skill == c) || facts.text_lower.contains(&c.to_lowercase());
        let missing_skill = missing.iter().chain(related).any(|m| &m.skill == c);
        if !shown && !missing_skill {
            out.push(Suggestion {
                kind: SuggestionKind::Qualification,
                message: format!(
                    "The job asks: \"{c}\". If you hold it, list it under Certifications."
                ),
                skill: None,
                section: Some(SectionKind::Certifications),
                bullet: None,
                responsibility: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jd::parse_jd;
    use qoder_domain::{Experience, PartialDate, Section};

    fn resume(skills_line: &str, bullets: &[&str]) -> ParsedResume {
        let exp = Experience {
            employer: Some("Acme".into()),
            title: Some("Senior Software Engineer".into()),
            start: Some(PartialDate { year: 2016, month: Some(1) }),
            end: None,
            current: true,
            bullets: bullets.iter().map(|b| b.to_string()).collect(),
            ..Experience::default()
        };
        ParsedResume {
            sections: vec![
                Section {
                    kind: SectionKind::Experience,
                    heading: "Experience".into(),
                    lines: bullets.iter().map(|b| b.to_string()).collect(),
                },
                Section {
                    kind: SectionKind::Skills,
                    heading: "Skills".into(),
                    lines: vec![skills_line.into()],
                },
            ],
            experience: vec![exp],
            ..ParsedResume::default()
        }
    }

    const JD: &str = "Senior Backend Engineer\n\nWhat you'll do\n- Build payment services in Rust\n\nRequirements\n- 5+ years of backend development\n- Rust\n- PostgreSQL\n- Kubernetes\n\nNice to have\n- gRPC\n";

    #[test]
    fn listing_never_beats_showing() {
        let jd = parse_jd(JD);
        let today = (2026, 11);
        let shown = resume(
            "Skills: Python",
            &[
                "Built payment services in Rust on Kubernetes",
                "Tuned PostgreSQL queries for the ledger",
            ],
        );
        let listed = resume(
            "Skills: Rust, PostgreSQL, Kubernetes, Rust, Rust, Kubernetes",
            &["Led the office party committee"],
        );
        let opts = MatchOptions::new(today);
        let a = match_report(&ResumeFacts::from_resume(&shown, today), &jd, None, &opts);
        let b = match_report(&ResumeFacts::from_resume(&listed, today), &jd, None, &opts);
        let req = |r: &MatchReport| {
            r.components.iter().find(|c| c.kind == ComponentKind::RequiredSkills).unwrap().points
        };
        assert!(req(&a) > req(&b), "{} vs {}", req(&a), req(&b));
        assert!((req(&b) - 40.0 * LISTED_ONLY_CREDIT).abs() < 0.11, "{}", req(&b));
        assert!(a.score > b.score);
        assert!(b.matched.iter().all(|m| m.listed_only));
        assert!(b.suggestions.iter().any(|s| s.kind == SuggestionKind::ShowSkill));
        assert_eq!(a.missing.iter().map(|m| m.skill.as_str()).collect::<Vec<_>>(), vec!["gRPC"]);
    }

    #[test]
    fn narrower_skill_matches_and_siblings_are_related() {
        let jd = parse_jd("Data Engineer\n\nRequirements\n- SQL\n- PostgreSQL\n");
        let today = (2026, 11);
        let r = resume("Skills: MySQL", &["Designed MySQL schemas for billing data"]);
        let rep = match_report(
            &ResumeFacts::from_resume(&r, today),
            &jd,
            None,
            &MatchOptions::new(today),
        );
        let sql = rep.matched.iter().find(|m| m.skill == "SQL").expect("SQL matched via MySQL");
        assert_eq!(sql.via.as_deref(), Some("MySQL"));
        let pg = rep.related.iter().find(|m| m.skill == "PostgreSQL").expect("PostgreSQL related");
        assert_eq!(pg.related.as_ref().unwrap().name, "MySQL");
    }

    /// Project and fallback lines lose the same list marks as every other reader's
    /// (`bullet::strip`): "— ", "▪", "+ " and "★" too, not only five hand-picked glyphs.
    #[test]
    fn project_lines_lose_every_list_mark() {
        let lines = [
            "— Built a payment ledger in Rust for five banks",
            "▪ Cut the nightly batch from four hours to forty minutes",
            "+ Wrote the on-call guide for the whole platform team",
            "• Led the migration of twelve services to Kubernetes",
        ];
        let r = ParsedResume {
            sections: vec![Section {
                kind: SectionKind::Projects,
                heading: "Projects".into(),
                lines: lines.iter().map(|l| l.to_string()).collect(),
            }],
            ..ParsedResume::default()
        };
        let texts: Vec<String> =
            ResumeFacts::from_resume(&r, (2026, 11)).bullets.into_iter().map(|b| b.text).collect();
        assert_eq!(
            texts,
            [
                "Built a payment ledger in Rust for five banks",
                "Cut the nightly batch from four hours to forty minutes",
                "Wrote the on-call guide for the whole platform team",
                "Led the migration of twelve services to Kubernetes",
            ]
        );
    }

    #[test]
    fn deterministic_and_bounded() {
        let jd = parse_jd(JD);
        let today = (2026, 11);
        let r = resume("Rust, Go", &["Built payment services in Rust", "Ran Kubernetes clusters"]);
        let f = ResumeFacts::from_resume(&r, today);
        let opts = MatchOptions::new(today);
        let a = match_report(&f, &jd, None, &opts);
        for _ in 0..3 {
            assert_eq!(a, match_report(&f, &jd, None, &opts));
        }
        assert!(a.score <= 100);
        let empty = match_report(
            &ResumeFacts::from_resume(&ParsedResume::default(), today),
            &parse_jd(""),
            None,
            &opts,
        );
        assert_eq!(empty.score, 0);
    }

    #[test]
    fn unknown_is_not_zero() {
        let jd = parse_jd(
            "Front-End Developer\n\nResponsibilities\n- Build user interfaces in React and TypeScript\n\nRequirements\n- 3+ years of front-end development\n- React\n- TypeScript\n- Bachelor's degree\n",
        );
        let today = (2026, 11);
        let opts = MatchOptions::new(today);
        let bullets = [
            "Built user interfaces in React and TypeScript for 12,000 clinics",
            "Cut page load time by 40% with code splitting",
        ];
        // the same resume with its position parsed, and with nothing but text and sections
        let parsed = resume("Skills: React, TypeScript", &bullets);
        let mut bare = parsed.clone();
        bare.experience.clear();
        bare.text = "**Front-End Developer (2019 - 2024)**\nBuilt user interfaces in React and TypeScript for 12,000 clinics\nCut page load time by 40% with code splitting\nBSc Computer Science, 2018\nSkills: React, TypeScript\n".into();
        let a = match_report(&ResumeFacts::from_resume(&parsed, today), &jd, None, &opts);
        let fb = ResumeFacts::from_resume(&bare, today);
        assert!(fb.titles_from_text && fb.years_from_text && fb.education_from_text, "{fb:?}");
        assert_eq!(fb.titles, vec!["Front-End Developer"]);
        let b = match_report(&fb, &jd, None, &opts);
        assert!(b.score + 10 >= a.score, "{} vs {}", b.score, a.score);
        // nothing to fall back on: the components are unknown, not zero
        let mut empty = parsed.clone();
        empty.experience.clear();
        empty.text = "Skills: React, TypeScript\nBuilt user interfaces in React and TypeScript for 12,000 clinics\n".into();
        let c = match_report(&ResumeFacts::from_resume(&empty, today), &jd, None, &opts);
        for k in [
            ComponentKind::TitleSeniority,
            ComponentKind::ExperienceYears,
            ComponentKind::Education,
        ] {
            assert!(c.unknown.contains(&k), "{k:?} {:?}", c.unknown);
            let comp = c.components.iter().find(|x| x.kind == k).unwrap();
            assert!(!comp.applicable && comp.evidence.starts_with("unknown"), "{comp:?}");
        }
        assert!(c.flags.iter().any(|f| f.kind == FitFlagKind::Unknown));
        assert!(c.score >= 60, "{}", c.score);
    }

    #[test]
    fn function_mismatch_is_capped_and_stuffing_flagged() {
        let today = (2026, 11);
        let opts = MatchOptions::new(today);
        let jd = parse_jd(
            "Registered Nurse\n\nRequirements\n- BLS\n- Patient care\n- 2+ years of nursing experience\n",
        );
        let mut r =
            resume("Skills: BLS, Patient care", &["Wrote Rust services for patient care apps"]);
        let rep = match_report(&ResumeFacts::from_resume(&r, today), &jd, None, &opts);
        assert!(rep.score <= FUNCTION_MISMATCH_CAP, "{}", rep.score);
        assert!(rep.flags.iter().any(|f| f.kind == FitFlagKind::FunctionMismatch));
        assert_eq!(rep.band, FitBand::NotAFit);
        // a long list of skills nobody asked for, with one bullet behind it
        r.sections[1].lines = vec!["Skills: Python, Java, Go, Kotlin, Swift, PHP, Ruby, Scala, Perl, Haskell, Elixir, Clojure, Dart, Lua, Julia, Fortran, COBOL, MATLAB".into()];
        let jd = parse_jd(JD);
        let stuffed = match_report(&ResumeFacts::from_resume(&r, today), &jd, None, &opts);
        assert!(
            stuffed.flags.iter().any(|f| f.kind == FitFlagKind::KeywordStuffing),
            "{:?}",
            stuffed.flags
        );
    }

    #[test]
    fn years_merge_overlaps() {
        let mut r = ParsedResume::default();
        let d = |y, m| Some(PartialDate { year: y, month: Some(m) });
        r.experience = vec![
            Experience { start: d(2018, 1), end: d(2020, 12), ..Experience::default() },
            Experience { start: d(2020, 1), end: d(2021, 12), ..Experience::default() },
        ];
        assert_eq!(experience_years(&r, (2026, 1)), Some(4.0));
    }
}
