//! Reading a job description: title, seniority, years asked, required and preferred skills,
//! education, certifications and responsibilities.
//!
//! JD text is untrusted (pasted from anywhere): it is cut at [`MAX_JD_BYTES`], lines are bounded,
//! and nothing here panics on any input.
//!
//! Required vs preferred comes first from the section a skill is written in ("Requirements",
//! "Must have", "What you bring", "Essential", "Your profile" vs "Nice to have", "Preferred",
//! "Desirable", "It is an advantage if"), then from cues in its sentence ("… is a plus",
//! "ideally …", "(… preferred)"). Skills joined by "or" / "/" or given as examples in
//! parentheses ("CI/CD (Jenkins, GitHub Actions or GitLab CI)") are one requirement that any of
//! them satisfies.

use crate::skills::{Found, Taxonomy};
use qoder_domain::matching::{EducationLevel, JdSkill, JobDescription, Seniority};
use qoder_domain::{SkillCategory, bullet};
use regex::Regex;
use std::sync::LazyLock;

/// Longest JD text read; the rest is dropped (and `truncated` set).
pub const MAX_JD_BYTES: usize = 200 * 1024;
/// Longest line considered; longer lines are cut.
const MAX_LINE_BYTES: usize = 2_000;
/// Most responsibilities kept.
const MAX_RESPONSIBILITIES: usize = 40;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// Before any heading: title, company, intro.
    Intro,
    Required,
    Preferred,
    Responsibilities,
    /// About us, benefits, how to apply…
    Other,
}

/// Heading phrases, checked in this order (so "preferred qualifications" is preferred and
/// "about the role" is not the role's responsibilities).
const HEADINGS: &[(&str, Part)] = &[
    ("nice to have", Part::Preferred),
    ("even better", Part::Preferred),
    ("bonus points", Part::Preferred),
    ("extra points", Part::Preferred),
    ("stand out", Part::Preferred),
    ("a plus", Part::Preferred),
    ("would be a plus", Part::Preferred),
    ("we'd love", Part::Preferred),
    ("we would love", Part::Preferred),
    ("would be great", Part::Preferred),
    ("nice-to-have", Part::Preferred),
    ("good to have", Part::Preferred),
    ("preferred", Part::Preferred),
    ("bonus", Part::Preferred),
    ("pluses", Part::Preferred),
    ("plus if", Part::Preferred),
    ("desirable", Part::Preferred),
    ("advantage", Part::Preferred),
    ("appreciated", Part::Preferred),
    ("would be great", Part::Preferred),
    ("extra credit", Part::Preferred),
    ("optional", Part::Preferred),
    ("ideally", Part::Preferred),
    ("about the role", Part::Other),
    ("about the job", Part::Other),
    ("about the position", Part::Other),
    ("overview", Part::Other),
    ("about us", Part::Other),
    ("about the company", Part::Other),
    ("who we are", Part::Other),
    ("job summary", Part::Other),
    ("benefits", Part::Other),
    ("we offer", Part::Other),
    ("what we offer", Part::Other),
    ("perks", Part::Other),
    ("compensation", Part::Other),
    ("salary", Part::Other),
    ("how to apply", Part::Other),
    ("why join", Part::Other),
    ("our team", Part::Other),
    ("the team", Part::Other),
    ("requirement", Part::Required),
    ("what you'll need", Part::Required),
    ("what you will need", Part::Required),
    ("what you need", Part::Required),
    ("you'll need", Part::Required),
    ("you will need", Part::Required),
    ("ideal candidate", Part::Required),
    ("your background", Part::Required),
    ("key skills", Part::Required),
    ("must have", Part::Required),
    ("must-have", Part::Required),
    ("what you bring", Part::Required),
    ("what you'll bring", Part::Required),
    ("what you will bring", Part::Required),
    ("qualification", Part::Required),
    ("essential", Part::Required),
    ("your profile", Part::Required),
    ("profile", Part::Required),
    ("who you are", Part::Required),
    ("what we need", Part::Required),
    ("what we're looking for", Part::Required),
    ("what we are looking for", Part::Required),
    ("looking for", Part::Required),
    ("you have", Part::Required),
    ("you bring", Part::Required),
    ("about you", Part::Required),
    ("person specification", Part::Required),
    ("competenc", Part::Required),
    ("required", Part::Required),
    ("skills", Part::Required),
    ("experience", Part::Required),
    ("expertise", Part::Required),
    ("tech stack", Part::Required),
    ("responsibilit", Part::Responsibilities),
    ("what you'll do", Part::Responsibilities),
    ("what you will do", Part::Responsibilities),
    ("what you will be doing", Part::Responsibilities),
    ("what you'll be doing", Part::Responsibilities),
    ("the role", Part::Responsibilities),
    ("your role", Part::Responsibilities),
    ("in this role", Part::Responsibilities),
    ("your tasks", Part::Responsibilities),
    ("tasks", Part::Responsibilities),
    ("duties", Part::Responsibilities),
    ("missions", Part::Responsibilities),
    ("your mission", Part::Responsibilities),
    ("your impact", Part::Responsibilities),
    ("day to day", Part::Responsibilities),
    ("day-to-day", Part::Responsibilities),
    ("accountabilities", Part::Responsibilities),
    ("you will", Part::Responsibilities),
    ("you'll", Part::Responsibilities),
];

/// Cues anywhere in a line (outside parentheses) that make its skills preferred.
const LINE_CUES: &[&str] = &[
    "is a plus",
    "are a plus",
    "a big plus",
    "is a bonus",
    "a bonus",
    "nice to have",
    "nice-to-have",
    "is an advantage",
    "an advantage",
    "is preferred",
    "are preferred",
    "would be great",
    "would be a plus",
    "is desirable",
    "is appreciated",
    "are appreciated",
    "is welcome",
    "are welcome",
    "not required",
    "is optional",
];

/// In a parenthesis after a skill: the skills inside are accepted instead of it.
const ALTERNATIVE_CUES: &[&str] =
    &[" or ", "e.g", "such as", "similar", "equivalent", " like ", "for example", "i.e", "etc"];

/// Words that, after "or", make what follows an alternative ("or an equivalent warehouse").
const EQUIVALENT_WORDS: &[&str] =
    &["equivalent", "similar", "comparable", "alternative", "other", "related", "such as"];

/// A list after these is one requirement that any item satisfies.
const ONE_OF_CUES: &[&str] = &[
    "one or more of",
    "one or more of the following",
    "at least one of",
    "one of the following",
    "any of the following",
    "one of",
    "any of",
    "either",
];

/// Cues that make the skills of their own clause preferred ("Python, ideally with pandas").
const CLAUSE_CUES: &[&str] = &[
    "ideally",
    "preferably",
    "preferred",
    "a plus",
    "bonus",
    "optional",
    "desirable",
    "advantage",
];

/// Read a job description.
pub fn parse_jd(text: &str) -> JobDescription {
    parse_jd_with(text, Taxonomy::builtin())
}

struct Line {
    text: String,
    part: Part,
    bullet: bool,
}

/// [`parse_jd`] with a given taxonomy.
pub fn parse_jd_with(text: &str, tax: &Taxonomy) -> JobDescription {
    let mut jd = JobDescription::default();
    let text = if text.len() > MAX_JD_BYTES {
        jd.truncated = true;
        &text[..floor_char_boundary(text, MAX_JD_BYTES)]
    } else {
        text
    };
    let text = text.trim_start_matches('\u{feff}');

    // 1. Lines with the section each belongs to.
    let mut lines: Vec<Line> = Vec::new();
    let mut part = Part::Intro;
    let mut explicit_title: Option<String> = None;
    let mut title_next = false;
    for raw in text.lines() {
        let raw = &raw[..floor_char_boundary(raw, MAX_LINE_BYTES)];
        let collapsed = collapse(raw);
        if collapsed.is_empty() {
            continue;
        }
        let (bullet, body) = bullet::strip_marker(&collapsed);
        if body.is_empty() {
            continue;
        }
        if !bullet {
            // "## Job Title" alone on its line: the title is the next line.
            if title_next && explicit_title.is_none() {
                if !is_metadata(body) && !is_title_label(body) {
                    title_next = false;
                    if body.len() <= 160 && heading(body).is_none() {
                        explicit_title = Some(clean_title(body));
                        continue;
                    }
                }
            } else if explicit_title.is_none()
                && is_title_label(body)
                && lines.iter().all(|l| is_metadata(&l.text))
            {
                title_next = true;
                continue;
            }
            if let Some((label, rest)) = body.split_once(':') {
                let l = label.trim().trim_matches(MARKUP).trim().to_lowercase();
                let rest = rest.trim().trim_matches(MARKUP).trim();
                if is_title_label(&l) && !rest.is_empty() && explicit_title.is_none() {
                    explicit_title = Some(clean_title(rest));
                    continue;
                }
            }
            if let Some((p, rest)) = heading(body) {
                part = p;
                if let Some(rest) = rest {
                    lines.push(Line { text: rest.to_string(), part, bullet: false });
                }
                continue;
            }
        }
        // A paragraph after a list of requirements ("We offer a 4-day on-call rotation…") is
        // not one of them.
        if !bullet
            && matches!(part, Part::Required | Part::Preferred)
            && body.split_whitespace().count() >= 10
            && lines.last().is_some_and(|l| l.part == part && l.bullet)
        {
            part = Part::Other;
        }
        lines.push(Line { text: body.to_string(), part, bullet });
    }

    // 2. Title and seniority.
    jd.title = explicit_title.or_else(|| {
        lines
            .iter()
            .filter(|l| l.part == Part::Intro)
            .find(|l| !is_metadata(&l.text))
            .filter(|l| l.text.len() <= 160)
            .map(|l| clean_title(&l.text))
            .filter(|t| !t.is_empty())
    });
    jd.seniority = jd.title.as_deref().and_then(seniority_of_title);

    // 3. Skills, years, education, certifications.
    let has_requirements = lines.iter().any(|l| matches!(l.part, Part::Required | Part::Preferred));
    let mut required: Vec<JdSkill> = Vec::new();
    let mut preferred: Vec<JdSkill> = Vec::new();
    for l in &lines {
        let base = match l.part {
            Part::Required => Some(true),
            Part::Preferred => Some(false),
            // No requirement sections at all: every skill named outside "about us"/benefits
            // is taken as required.
            Part::Intro | Part::Responsibilities if !has_requirements => Some(true),
            _ => None,
        };
        let Some(base_required) = base else { continue };
        for (skill, is_required) in skills_of_line(&l.text, base_required, tax) {
            if is_required {
                required.push(skill);
            } else {
                preferred.push(skill);
            }
        }
    }
    // Tools named in the responsibilities count too: required when named in more than one line
    // or as the means of the work ("build dashboards in Power BI"), preferred otherwise.
    if has_requirements {
        let resp: Vec<Vec<(JdSkill, bool)>> = lines
            .iter()
            .filter(|l| l.part == Part::Responsibilities)
            .map(|l| skills_of_line(&l.text, true, tax))
            .collect();
        let mut lines_naming: std::collections::HashMap<String, usize> = Default::default();
        for line in &resp {
            let mut names: Vec<&str> = line
                .iter()
                .flat_map(|(s, _)| std::iter::once(&s.name).chain(&s.alternatives))
                .map(String::as_str)
                .collect();
            names.sort_unstable();
            names.dedup();
            for n in names {
                *lines_naming.entry(n.to_string()).or_default() += 1;
            }
        }
        for line in resp {
            for (skill, _) in line {
                // tools, not topics: "build dashboards in Power BI" counts, "ensure data
                // quality" or "mentoring" is a duty, not a skill to list
                let repeated = lines_naming.get(&skill.name).is_some_and(|n| *n >= 2);
                let data_tool =
                    matches!(skill.category, SkillCategory::Data | SkillCategory::Devops);
                if !(is_tool(skill.category) || (data_tool && repeated)) {
                    continue;
                }
                let known = required.iter().chain(&preferred).any(|x| x.name == skill.name);
                if known && !repeated {
                    continue;
                }
                if repeated || means_of_work(&skill.line, &skill.name, tax) {
                    required.push(skill);
                }
            }
        }
    }
    let (required, preferred) = dedupe(required, preferred);
    jd.required = required;
    jd.preferred = preferred;

    let req_lines = || lines.iter().filter(|l| matches!(l.part, Part::Required | Part::Preferred));
    let all_lines = || lines.iter();
    let years = req_lines().find_map(|l| years_in(&l.text)).or_else(|| {
        all_lines().filter(|l| mentions_experience(&l.text)).find_map(|l| years_in(&l.text))
    });
    if let Some((min, max)) = years {
        jd.min_years = Some(min);
        jd.max_years = max;
    }
    let edu = req_lines()
        .filter(|l| l.part == Part::Required)
        .chain(req_lines().filter(|l| l.part == Part::Preferred))
        .find_map(|l| education_in(&l.text).map(|e| (e, l.text.clone())))
        .or_else(|| {
            if has_requirements {
                None
            } else {
                all_lines().find_map(|l| education_in(&l.text).map(|e| (e, l.text.clone())))
            }
        });
    if let Some((level, line)) = edu {
        jd.education = Some(level);
        jd.education_line = Some(line);
    }
    let cert_source: Vec<&Line> =
        if has_requirements { req_lines().collect() } else { all_lines().collect() };
    for l in cert_source {
        for c in certifications_in(&l.text, tax) {
            if !jd.certifications.iter().any(|x| x.eq_ignore_ascii_case(&c)) {
                jd.certifications.push(c);
            }
        }
    }

    // 4. Responsibilities.
    jd.responsibilities = lines
        .iter()
        .filter(|l| l.part == Part::Responsibilities)
        .filter(|l| l.bullet || l.text.split_whitespace().count() >= 3)
        .map(|l| l.text.clone())
        .take(MAX_RESPONSIBILITIES)
        .collect();
    jd
}

/// Concrete technologies and products (named tools), as opposed to fields and duties.
fn is_tool(c: SkillCategory) -> bool {
    matches!(
        c,
        SkillCategory::ProgrammingLanguage
            | SkillCategory::Framework
            | SkillCategory::Library
            | SkillCategory::Database
            | SkillCategory::Cloud
            | SkillCategory::Tool
            | SkillCategory::Mobile
    )
}

/// "Build dashboards in Power BI", "using dbt", "with Kubernetes": the skill is how the work is
/// done.
fn means_of_work(line: &str, name: &str, tax: &Taxonomy) -> bool {
    let lower = line.to_lowercase();
    tax.find_in_line(line, true).iter().any(|f| {
        tax.get(f.skill).name == name && {
            let before = lower.get(..f.start).unwrap_or("").trim_end();
            ["in", "using", "with", "on", "via"].iter().any(|w| {
                before.ends_with(w)
                    && !before[..before.len() - w.len()]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric)
            })
        }
    })
}

/// Markdown emphasis and heading marks around a label or a title.
const MARKUP: &[char] = &['#', '*', '_', '=', '|', '`'];

/// "Job Title", "## Position", "**Role:**": a label whose value is the posting's title.
fn is_title_label(s: &str) -> bool {
    let l = s.trim().trim_matches(MARKUP).trim().trim_end_matches(':').trim().trim_matches(MARKUP);
    matches!(
        l.trim().to_lowercase().as_str(),
        "job title" | "title" | "position" | "role" | "job" | "position title" | "job name"
    )
}

/// A metadata line of a pasted posting, never its title: a URL, a location, a date, a salary,
/// an id ("URL:** https://…", "Location: Berlin", "Posted 3 days ago").
fn is_metadata(s: &str) -> bool {
    let l = s.trim().trim_matches(MARKUP).trim().to_lowercase();
    if l.contains("http://") || l.contains("https://") || l.starts_with("www.") {
        return true;
    }
    // The list is data: models/words/jd_labels.txt.
    use crate::words::JD_LABELS as LABELS;
    let label = l.split_once(':').map(|(a, _)| a.trim().trim_matches(MARKUP).trim());
    if label.is_some_and(|a| LABELS.contains(&a)) {
        return true;
    }
    l.starts_with("posted ") || l.starts_with("job id") || l.starts_with("req id")
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    let mut i = max;
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Is this line a section heading? Returns its part and, for "Nice to have: Kafka, gRPC", the
/// text after the colon.
fn heading(line: &str) -> Option<(Part, Option<&str>)> {
    let (label, rest) = match line.split_once(':') {
        Some((l, r)) if !r.trim().is_empty() => (l, Some(r.trim())),
        Some((l, _)) => (l, None),
        None => (line, None),
    };
    // "## Requirements", "**Nice to have**"
    let label_l = label
        .trim()
        .trim_matches(|c: char| matches!(c, '#' | '*' | '_' | '='))
        .trim()
        .to_lowercase();
    let words = label_l.split_whitespace().count();
    if words == 0 || words > 8 || label_l.len() > 70 {
        return None;
    }
    let ends_colon = line.trim_end().ends_with(':');
    let part = HEADINGS.iter().find(|(k, _)| contains_phrase(&label_l, k)).map(|(_, p)| *p);
    match (part, rest) {
        // "Nice to have: Kafka" — a known heading with inline content.
        (Some(p), Some(r)) if words <= 5 => Some((p, Some(r))),
        (Some(_), Some(_)) => None,
        // A heading alone on its line: short, and no sentence punctuation.
        (Some(p), None) if words <= 8 && !label_l.ends_with('.') => Some((p, None)),
        // An unknown short label ending with a colon: a section we do not read skills from.
        (None, None) if ends_colon && words <= 4 => Some((Part::Other, None)),
        _ => None,
    }
}

/// `phrase` occurs in `s` starting at a word start.
fn contains_phrase(s: &str, phrase: &str) -> bool {
    s.match_indices(phrase)
        .any(|(i, _)| i == 0 || !s[..i].chars().next_back().is_some_and(char::is_alphanumeric))
}

fn clean_title(s: &str) -> String {
    static MARKERS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s*\((?:m|f|w|d|x|h|all genders?|gn)(?:\s*/\s*(?:m|f|w|d|x|h))+\)|\s*\((?:cdi|cdd|full[- ]time|part[- ]time|permanent|contract|remote|hybrid)\)")
            .expect("title markers regex")
    });
    let s = s.trim().trim_matches(|c: char| matches!(c, '#' | '*' | '_' | '=')).trim();
    MARKERS.replace_all(s, "").trim().to_string()
}

/// The seniority a job title states.
pub fn seniority_of_title(title: &str) -> Option<Seniority> {
    static WORDS: LazyLock<Vec<(Regex, Seniority)>> = LazyLock::new(|| {
        [
            (r"\b(chief|cto|ceo|cfo|coo|cio|ciso|cmo|vp|vice president|svp|evp)\b", Seniority::Executive),
            (r"\b(director|head of)\b", Seniority::Director),
            (r"\bprincipal\b", Seniority::Principal),
            (r"\bstaff (engineer|software|data|scientist|designer|developer|ml|machine|product|security|site|backend|frontend|platform)", Seniority::Staff),
            (r"\b(senior|sr\.?|snr)\b", Seniority::Senior),
            (r"\b(lead|team lead|tech lead|leader)\b", Seniority::Lead),
            (r"\b(manager|supervisor)\b", Seniority::Manager),
            (r"\b(intern|internship|trainee|apprentice|werkstudent)\b", Seniority::Intern),
            (r"\b(junior|jr\.?|entry[- ]level|graduate|associate)\b", Seniority::Junior),
            (r"\b(mid[- ]level|intermediate|level (2|ii)|medior)\b", Seniority::Mid),
        ]
        .into_iter()
        .map(|(p, s)| (Regex::new(&format!("(?i){p}")).expect("seniority regex"), s))
        .collect()
    });
    WORDS.iter().find(|(re, _)| re.is_match(title)).map(|(_, s)| *s)
}

fn mentions_experience(s: &str) -> bool {
    let l = s.to_lowercase();
    l.contains("experience") || l.contains("background")
}

fn number_word(s: &str) -> Option<f32> {
    let n = match s.to_lowercase().as_str() {
        "one" | "a" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "fifteen" => 15.0,
        "twenty" => 20.0,
        d => d.parse::<f32>().ok().filter(|n| (0.0..=50.0).contains(n))?,
    };
    Some(n)
}

/// Years of experience asked in one line: (min, max of a range).
fn years_in(s: &str) -> Option<(f32, Option<f32>)> {
    static YEARS: LazyLock<Regex> = LazyLock::new(|| {
        let n = r"(\d{1,2}(?:\.\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)";
        Regex::new(&format!(
            r"(?i)\b{n}\s*(?:\+|plus)?\s*(?:(?:-|–|—|to)\s*{n}\s*)?\+?\s*(?:years?|yrs?)\b(?:['’]s?)?(\s+old)?"
        ))
        .expect("years regex")
    });
    for c in YEARS.captures_iter(s) {
        if c.get(3).is_some() {
            continue; // "years old"
        }
        let Some(min) = c.get(1).and_then(|m| number_word(m.as_str())) else { continue };
        let max = c.get(2).and_then(|m| number_word(m.as_str())).filter(|m| *m >= min);
        return Some((min, max));
    }
    None
}

/// The degree a line asks for: the lowest level it names ("Bachelor's or Master's" asks a
/// bachelor's).
pub(crate) fn education_in(s: &str) -> Option<EducationLevel> {
    static LEVELS: LazyLock<Vec<(Regex, EducationLevel)>> = LazyLock::new(|| {
        [
            (r"\b(ph\.?\s?d|doctorate|doctoral)\b", EducationLevel::Doctorate),
            (r"\b(master['’]s|masters|master of|master degree|master in|msc|m\.sc|m\.s\.|mba|ll\.?m|m\.eng|meng|postgraduate)\b", EducationLevel::Master),
            (r"\b(bachelor['’]?s?|bsc|b\.sc|b\.s\.|b\.a\.|beng|b\.eng|undergraduate|ba/bs|bs/ba|licence)\b|\bBS\b|\bBA in\b", EducationLevel::Bachelor),
            (r"\bassociate['’]?s? degree\b", EducationLevel::Associate),
            (r"\b(vocational|apprenticeship|trade school)\b", EducationLevel::Vocational),
            (r"\b(high school|secondary school|ged|a-levels?|baccalaur[ée]at)\b", EducationLevel::HighSchool),
        ]
        .into_iter()
        .map(|(p, l)| (Regex::new(&format!("(?i){p}")).expect("education regex"), l))
        .collect()
    });
    static DEGREE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(degree|university|diploma in)\b").expect("degree regex")
    });
    let found = LEVELS.iter().filter(|(re, _)| re.is_match(s)).map(|(_, l)| *l).min();
    found.or_else(|| DEGREE.is_match(s).then_some(EducationLevel::Bachelor))
}

fn certifications_in(s: &str, tax: &Taxonomy) -> Vec<String> {
    static CERT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(certif\w*|licen[cs]\w*|registration|registered|chartered|accredit\w*|admission to the \w+ bar|bar admission)")
            .expect("certification regex")
    });
    let line_is_cert = CERT.is_match(s) && years_in(s).is_none();
    let found = tax.find_in_line(s, true);
    let mut out: Vec<String> = found
        .iter()
        .map(|f| tax.get(f.skill))
        .filter(|sk| CERT.is_match(&sk.name) || sk.aliases.iter().any(|a| CERT.is_match(a)))
        .map(|sk| sk.name.clone())
        .collect();
    if out.is_empty() && line_is_cert {
        let t = s.trim().trim_end_matches('.');
        if t.len() <= 160 {
            out.push(t.to_string());
        }
    }
    out
}

static DOMAIN_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(background|industry|industries|sector)\b|^(experience|a background|work) (in|from|within) ")
        .expect("domain line regex")
});

/// The skills of one requirement line, each with whether it is required (given the section's
/// default `base_required` and the line's cues), alternatives grouped.
fn skills_of_line(line: &str, base_required: bool, tax: &Taxonomy) -> Vec<(JdSkill, bool)> {
    let text = collapse(line);
    let found = tax.find_in_line(&text, true);
    if found.is_empty() {
        return Vec::new();
    }
    // "Master's degree in statistics or mathematics": fields of study, not skills asked.
    if education_in(&text).is_some() {
        return Vec::new();
    }
    let years_line = years_in(&text).is_some();
    // "Payments or fintech background", "experience in medical devices" among the nice-to-haves:
    // the industry, not a skill ("Experience in Java" still counts).
    let industry_line = !base_required && DOMAIN_LINE.is_match(&text);
    let view = LineView::new(text);
    let groups = drop_broad_before_specific(group_requirements(&view, &found, tax), &view, tax);
    let mut out = Vec::new();
    for g in groups {
        let head = g[0];
        let category = tax.get(head.skill).category;
        if field_not_skill(category, industry_line, years_line) {
            continue;
        }
        let required = base_required && !view.preferred_at(head.start);
        out.push((requirement(&g, &view.text, tax), required));
    }
    out
}

/// One requirement line as grouping reads it: the collapsed text, its lowercase (at the same byte
/// offsets) and its parenthesised spans.
struct LineView {
    text: String,
    lower: String,
    parens: Vec<(usize, usize)>,
}

impl LineView {
    fn new(text: String) -> LineView {
        let lower = text.to_lowercase();
        // lowercase may change byte lengths for a few scripts: use it only when lengths agree
        let lower = if lower.len() == text.len() { lower } else { text.clone() };
        let parens = paren_spans(&text);
        LineView { text, lower, parens }
    }

    /// The parenthesis `pos` is in.
    fn in_paren(&self, pos: usize) -> Option<(usize, usize)> {
        self.parens.iter().find(|(a, b)| *a <= pos && pos < *b).copied()
    }

    /// A sentence (split at ";" and ". " outside parentheses) with a cue like "is a plus"
    /// makes all of its skills preferred.
    fn sentence_preferred(&self, pos: usize) -> bool {
        let lower = &self.lower;
        let sep = |i: usize, c: char| {
            self.in_paren(i).is_none()
                && (c == ';' || (c == '.' && lower[i + 1..].starts_with(' ')))
        };
        let start = lower
            .char_indices()
            .rev()
            .filter(|(i, c)| *i < pos && sep(*i, *c))
            .map(|(i, _)| i + 1)
            .next()
            .unwrap_or(0);
        let end = lower
            .char_indices()
            .find(|(i, c)| *i >= pos && sep(*i, *c))
            .map_or(lower.len(), |(i, _)| i);
        let mut outside = String::new();
        for (i, c) in lower[start..end].char_indices() {
            if self.in_paren(start + i).is_none() {
                outside.push(c);
            }
        }
        LINE_CUES.iter().any(|c| outside.contains(c))
    }

    /// The skill at `pos` is preferred by a cue: in its parenthesis, its sentence or its clause.
    fn preferred_at(&self, pos: usize) -> bool {
        match self.in_paren(pos) {
            Some((a, b)) => {
                let span = self.lower.get(a..b).unwrap_or("");
                CLAUSE_CUES.iter().any(|c| span.contains(c)) || self.sentence_preferred(pos)
            }
            None => self.sentence_preferred(pos) || clause_cued(&self.lower, pos, &self.parens),
        }
    }

    /// Where a "one of" list starts, if the line has one.
    fn one_of_start(&self) -> Option<usize> {
        let lower = &self.lower;
        ONE_OF_CUES
            .iter()
            .filter_map(|c| {
                lower.match_indices(c).find(|(i, _)| {
                    *i == 0 || !lower[..*i].chars().next_back().is_some_and(char::is_alphanumeric)
                })
            })
            .map(|(i, c)| i + c.len())
            .min()
    }
}

/// Groups the skills of a line into requirements: consecutive skills joined by "or" / "/" /
/// "and/or", or in parentheses after a skill, form one requirement.
fn group_requirements<'f>(
    view: &LineView,
    found: &'f [Found],
    tax: &Taxonomy,
) -> Vec<Vec<&'f Found>> {
    let mut groups: Vec<Vec<&Found>> = Vec::new();
    let one_of = view.one_of_start();
    // A parenthesis right after a skill ("CI/CD (Jenkins, GitHub Actions or GitLab CI)",
    // "Python (pandas, scikit-learn)", "PostgreSQL skills (schema design, …)"): its span, the
    // group of that skill, and the skill.
    let mut attached: Option<((usize, usize), usize, usize)> = None;
    let mut seen_span: Option<(usize, usize)> = None;
    for (i, f) in found.iter().enumerate() {
        if let Some(span) = view.in_paren(f.start) {
            if seen_span != Some(span) {
                seen_span = Some(span);
                attached = None;
                if i > 0
                    && view.in_paren(found[i - 1].start).is_none()
                    && !groups.is_empty()
                    && follows_skill(view, &found[i - 1], span)
                {
                    attached = Some((span, groups.len() - 1, found[i - 1].skill));
                }
            }
            if let Some((span, gi, head)) = attached {
                place_in_paren(view, &mut groups, (span, gi, head), f, tax);
                continue;
            }
        }
        if i > 0
            && joined(view, &found[i - 1], f, one_of)
            && let Some(g) = groups.last_mut()
        {
            g.push(f);
            continue;
        }
        groups.push(vec![f]);
    }
    groups
}

/// The parenthesis `span` comes right after the skill `prev` ("Python (…)", "PostgreSQL skills
/// (…)"), not after a list or a conjunction.
fn follows_skill(view: &LineView, prev: &Found, span: (usize, usize)) -> bool {
    let gap = view.lower.get(prev.end..span.0).unwrap_or("");
    let words: Vec<&str> = gap.split_whitespace().collect();
    prev.end <= span.0
        && words.len() <= 2
        && !gap.contains(',')
        && !words.iter().any(|w| matches!(*w, "and" | "&" | "or"))
}

/// A skill inside the parenthesis attached to the skill `head` of group `gi`: an example the JD
/// accepts instead (joins the group), a specific skill of the head's kind (a requirement of its
/// own), or a detail of the head ("schema design, query tuning"; dropped).
fn place_in_paren<'f>(
    view: &LineView,
    groups: &mut Vec<Vec<&'f Found>>,
    (span, gi, head): ((usize, usize), usize, usize),
    f: &'f Found,
    tax: &Taxonomy,
) {
    let inner = view.lower.get(span.0..span.1).unwrap_or("");
    // "Snowflake or an equivalent cloud data warehouse (Databricks, BigQuery)": the cue is before
    // the parenthesis.
    let before = view.lower.get(groups[gi][0].start..span.0).unwrap_or("");
    if ALTERNATIVE_CUES.iter().any(|c| inner.contains(c))
        || EQUIVALENT_WORDS.iter().any(|c| contains_phrase(before, c))
    {
        groups[gi].push(f);
    } else if tax.get(f.skill).implies.contains(&head) {
        groups.push(vec![f]);
    }
}

/// `f` is an alternative to the skill before it, `prev`: "A or B", "A / B", "A, B or similar",
/// "one of A, B and C".
fn joined(view: &LineView, prev: &Found, f: &Found, one_of: Option<usize>) -> bool {
    let lower = &view.lower;
    let gap = lower.get(prev.end..f.start).unwrap_or("");
    let gap = gap.trim_matches(|c: char| c == ',' || c.is_whitespace());
    let gap_words = gap.split_whitespace().count();
    // "Snowflake or an equivalent cloud data warehouse"
    let or_gap = gap == "or"
        || (gap.starts_with("or ")
            && (gap_words <= 3
                || (gap_words <= 6 && EQUIVALENT_WORDS.iter().any(|c| contains_phrase(gap, c)))));
    // "Postman, REST Assured or similar": a comma list closed by "or similar"
    let similar_list = gap.is_empty()
        && ["or similar", "or equivalent", "or comparable", "or other", "or alternative"]
            .iter()
            .any(|c| lower.contains(c))
        && lower.get(prev.end..f.start).is_some_and(|g| g.contains(','));
    // "one or more of: Python, Java, Go", "any of React, Vue or Angular"
    let one_of_list = one_of.is_some_and(|p| prev.start >= p)
        && matches!(gap, "" | "or" | "and" | "and/or" | "&")
        && !lower.get(prev.end..f.start).is_some_and(|g| g.contains(['.', ';', ':']));
    view.in_paren(f.start) == view.in_paren(prev.start)
        && (or_gap
            || similar_list
            || one_of_list
            || matches!(gap, "/" | "|" | "and/or" | "and / or"))
}

/// "Mobile testing with Appium": the specific skill is the requirement, not the broad one.
fn drop_broad_before_specific<'f>(
    groups: Vec<Vec<&'f Found>>,
    view: &LineView,
    tax: &Taxonomy,
) -> Vec<Vec<&'f Found>> {
    let mut keep = vec![true; groups.len()];
    for k in 0..groups.len().saturating_sub(1) {
        let (a, b) = (&groups[k], &groups[k + 1]);
        let a_last = a[a.len() - 1];
        let gap = view.lower.get(a_last.end..b[0].start).unwrap_or("").trim();
        if matches!(gap, "with" | "using" | "in" | "via" | "through")
            && tax.get(b[0].skill).implies.contains(&a[0].skill)
        {
            keep[k] = false;
        }
    }
    groups.into_iter().zip(keep).filter(|(_, k)| *k).map(|(g, _)| g).collect()
}

/// A skill of this category on this line names a field, not a skill asked: on an industry line
/// ("a fintech background") the business fields; on a years line ("4+ years in SRE, DevOps or
/// platform engineering") everything but concrete technologies ("3+ years with React" counts).
fn field_not_skill(category: SkillCategory, industry_line: bool, years_line: bool) -> bool {
    let industry = matches!(
        category,
        SkillCategory::Business
            | SkillCategory::Finance
            | SkillCategory::Healthcare
            | SkillCategory::Legal
            | SkillCategory::Engineering
            | SkillCategory::Education
            | SkillCategory::Other
    );
    let technology = matches!(
        category,
        SkillCategory::ProgrammingLanguage
            | SkillCategory::Framework
            | SkillCategory::Library
            | SkillCategory::Database
            | SkillCategory::Cloud
            | SkillCategory::Tool
            | SkillCategory::Mobile
    );
    (industry_line && industry) || (years_line && !technology)
}

/// The requirement a group stands for: its first skill, the others as accepted alternatives.
fn requirement(group: &[&Found], line: &str, tax: &Taxonomy) -> JdSkill {
    let sk = tax.get(group[0].skill);
    let mut alternatives: Vec<String> = Vec::new();
    for f in &group[1..] {
        let n = &tax.get(f.skill).name;
        if *n != sk.name && !alternatives.contains(n) {
            alternatives.push(n.clone());
        }
    }
    JdSkill { name: sk.name.clone(), category: sk.category, alternatives, line: line.to_string() }
}

/// Byte spans (start, end) of parenthesised text, outermost level.
fn paren_spans(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            ')' | ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push((start, i + 1));
                }
            }
            _ => {}
        }
    }
    if depth > 0 {
        out.push((start, s.len()));
    }
    out
}

/// The clause around `pos` (between commas/semicolons outside parentheses) has a preference cue.
fn clause_cued(lower: &str, pos: usize, parens: &[(usize, usize)]) -> bool {
    let is_sep = |i: usize, c: char| {
        matches!(c, ',' | ';') && !parens.iter().any(|(a, b)| *a <= i && i < *b)
    };
    let start = lower
        .char_indices()
        .rev()
        .filter(|(i, c)| *i < pos && is_sep(*i, *c))
        .map(|(i, _)| i + 1)
        .next()
        .unwrap_or(0);
    let end = lower
        .char_indices()
        .find(|(i, c)| *i >= pos && is_sep(*i, *c))
        .map_or(lower.len(), |(i, _)| i);
    let clause = lower.get(start..end).unwrap_or("");
    // text in parentheses inside the clause does not count
    let mut outside = String::new();
    for (i, c) in clause.char_indices() {
        if !parens.iter().any(|(a, b)| *a <= start + i && start + i < *b) {
            outside.push(c);
        }
    }
    CLAUSE_CUES.iter().any(|c| contains_phrase(&outside, c))
}

/// Merges repeats: a skill both required and preferred is required; alternatives are unioned.
fn dedupe(required: Vec<JdSkill>, preferred: Vec<JdSkill>) -> (Vec<JdSkill>, Vec<JdSkill>) {
    fn push(list: &mut Vec<JdSkill>, s: JdSkill) {
        if let Some(x) = list.iter_mut().find(|x| x.name == s.name) {
            for a in s.alternatives {
                if !x.alternatives.contains(&a) {
                    x.alternatives.push(a);
                }
            }
        } else {
            list.push(s);
        }
    }
    let mut req = Vec::new();
    for s in required {
        push(&mut req, s);
    }
    let mut pref = Vec::new();
    for s in preferred {
        if req.iter().any(|r| r.name == s.name) {
            continue;
        }
        push(&mut pref, s);
    }
    (req, pref)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[JdSkill]) -> Vec<&str> {
        v.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn sections_and_cues_split_required_from_preferred() {
        let jd = parse_jd(
            "Senior Backend Engineer (m/f/d)\nAcme\n\nWhat you'll do\n- Build services in Rust\n- Mentor engineers\n\nMust have\n- 5+ years of backend development\n- Rust\n- PostgreSQL, ideally with TimescaleDB\n- Kafka experience is a plus\n\nNice to have: gRPC, AWS\n\nBenefits\n- Python lunch club\n",
        );
        assert_eq!(jd.title.as_deref(), Some("Senior Backend Engineer"));
        assert_eq!(jd.seniority, Some(Seniority::Senior));
        assert_eq!(jd.min_years, Some(5.0));
        assert!(names(&jd.required).contains(&"Rust"), "{:?}", names(&jd.required));
        assert!(names(&jd.required).contains(&"PostgreSQL"));
        assert!(
            names(&jd.preferred).contains(&"Apache Kafka")
                || names(&jd.preferred).contains(&"Kafka"),
            "{:?}",
            names(&jd.preferred)
        );
        assert!(!names(&jd.required).iter().any(|n| n.contains("Kafka")));
        assert!(names(&jd.preferred).contains(&"gRPC"));
        assert!(
            !names(&jd.required).contains(&"Python") && !names(&jd.preferred).contains(&"Python")
        );
        assert_eq!(jd.responsibilities, vec!["Build services in Rust", "Mentor engineers"]);
    }

    #[test]
    fn alternatives_are_one_requirement() {
        let jd = parse_jd(
            "QA Engineer\n\nRequirements\n- Playwright or Cypress\n- CI/CD (Jenkins, GitHub Actions or GitLab CI)\n",
        );
        let pw = jd.required.iter().find(|s| s.name == "Playwright").expect("playwright");
        assert_eq!(pw.alternatives, vec!["Cypress"]);
        let ci = jd.required.iter().find(|s| s.name == "CI/CD").expect("ci/cd");
        assert!(ci.alternatives.len() >= 2, "{:?}", ci.alternatives);
        assert_eq!(jd.required.len(), 2, "{:?}", names(&jd.required));
    }

    #[test]
    fn industry_lines_drop_only_industries() {
        let jd = parse_jd(
            "Engineer\n\nRequirements\n- Experience in Java and Spring Boot\n- Strong background in statistics\n- Master's degree in Mathematics\n\nNice to have\n- Payments or fintech background\n- Experience in Kotlin\n",
        );
        assert!(names(&jd.required).contains(&"Java"), "{:?}", names(&jd.required));
        assert!(names(&jd.required).contains(&"Statistics"), "{:?}", names(&jd.required));
        assert!(!names(&jd.required).contains(&"Mathematics"));
        assert!(!names(&jd.preferred).contains(&"Payments"), "{:?}", names(&jd.preferred));
        assert!(!names(&jd.preferred).contains(&"Fintech"));
        assert!(names(&jd.preferred).contains(&"Kotlin"));
        assert_eq!(jd.education, Some(EducationLevel::Master));
    }

    #[test]
    fn more_heading_styles() {
        let jd = parse_jd(
            "## Backend Developer\n\n**About the job**\nWe use Python everywhere.\n\n## What You'll Need\n- Go\n- PostgreSQL\n\n**Bonus points**\n- Kafka\n\nEven better if you have:\n- Terraform\n",
        );
        assert_eq!(names(&jd.required), vec!["Go", "PostgreSQL"]);
        assert!(names(&jd.preferred).contains(&"Terraform"), "{:?}", names(&jd.preferred));
        assert!(!names(&jd.required).contains(&"Python"));
        assert_eq!(jd.preferred.len(), 2, "{:?}", names(&jd.preferred));
        assert_eq!(jd.title.as_deref(), Some("Backend Developer"));
    }

    #[test]
    fn years_phrasings() {
        let check =
            |s: &str, want: Option<(f32, Option<f32>)>| assert_eq!(years_in(s), want, "{s}");
        check("5+ years of experience", Some((5.0, None)));
        check("at least three years in SRE", Some((3.0, None)));
        check("3–5 years of professional experience", Some((3.0, Some(5.0))));
        check("Minimum 2 years post-registration experience", Some((2.0, None)));
        check("At least 6 years' experience from audit", Some((6.0, None)));
        check("1+ year of warehouse experience", Some((1.0, None)));
        check("must be 18 years old", None);
        check("no number here", None);
    }

    #[test]
    fn education_levels() {
        let check =
            |s: &str, want: Option<EducationLevel>| assert_eq!(education_in(s), want, "{s}");
        check("Master's degree in accounting", Some(EducationLevel::Master));
        check("Bachelor's or Master's in CS", Some(EducationLevel::Bachelor));
        check("Dutch law degree (LL.M.)", Some(EducationLevel::Master));
        check("High school diploma or GED", Some(EducationLevel::HighSchool));
        check("PhD in NLP", Some(EducationLevel::Doctorate));
        check("University degree in a quantitative field", Some(EducationLevel::Bachelor));
        check("Kubernetes", None);
    }

    #[test]
    fn seniority_words() {
        assert_eq!(seniority_of_title("Senior Staff Nurse"), Some(Seniority::Senior));
        assert_eq!(seniority_of_title("Staff Software Engineer"), Some(Seniority::Staff));
        assert_eq!(seniority_of_title("Head of Data"), Some(Seniority::Director));
        assert_eq!(seniority_of_title("Junior Developer"), Some(Seniority::Junior));
        assert_eq!(seniority_of_title("SOC Analyst – Level 2"), Some(Seniority::Mid));
        assert_eq!(seniority_of_title("Data Engineer"), None);
    }

    #[test]
    fn untrusted_text_never_panics_and_is_bounded() {
        for s in [
            "",
            "\u{feff}",
            "(((((",
            ")))) Requirements: (Rust or",
            "Requirements:\n- ééé (Rust / Go]] 99999999999999 years",
            "- \n-\n1.\n•",
        ] {
            let _ = parse_jd(s);
        }
        let big = "Requirements\n- Rust and PostgreSQL ü\n".repeat(20_000);
        let jd = parse_jd(&big);
        assert!(jd.truncated);
        assert_eq!(names(&jd.required), vec!["Rust", "PostgreSQL"]);
        let long_line = "é".repeat(300_000);
        let _ = parse_jd(&long_line);
    }

    fn all_names(jd: &JobDescription) -> Vec<String> {
        jd.required
            .iter()
            .chain(&jd.preferred)
            .flat_map(|s| std::iter::once(s.name.clone()).chain(s.alternatives.clone()))
            .collect()
    }

    #[test]
    fn or_lists_keep_every_named_tool() {
        let jd = parse_jd(
            "Analytics Engineer\n\nRequirements\n- SQL (preferred), dbt, DAX, Python or equivalent\n- Power BI, Tableau, Looker, or equivalent\n- Snowflake or an equivalent cloud data warehouse (Databricks, BigQuery, Redshift)\n- Experience with one or more of: Java, Go, Rust\n",
        );
        let all = all_names(&jd);
        for t in [
            "SQL",
            "dbt",
            "DAX",
            "Python",
            "Power BI",
            "Tableau",
            "Looker",
            "Snowflake",
            "Databricks",
            "BigQuery",
            "Amazon Redshift",
            "Java",
            "Go",
            "Rust",
        ] {
            assert!(all.iter().any(|n| n == t), "{t} not in {all:?}");
        }
        // "one or more of" is one requirement: any of them satisfies it
        let java = jd.required.iter().find(|s| s.name == "Java").expect("java");
        assert!(java.alternatives.contains(&"Go".to_string()), "{:?}", java.alternatives);
        assert!(!jd.required.iter().any(|s| s.name == "Go"));
        let snow = jd.required.iter().find(|s| s.name == "Snowflake").expect("snowflake");
        assert!(snow.alternatives.contains(&"Databricks".to_string()), "{:?}", snow.alternatives);
    }

    #[test]
    fn responsibility_tools_count() {
        let jd = parse_jd(
            "BI Developer\n\nResponsibilities\n- Build dashboards in Power BI\n- Maintain Power BI data models\n- Keep Jira tickets up to date\n\nRequirements\n- SQL\n",
        );
        assert!(names(&jd.required).contains(&"Power BI"), "{:?}", names(&jd.required));
        // named once, not as the means of the work: a duty, not a requirement
        assert!(
            !names(&jd.preferred).contains(&"Jira") && !names(&jd.required).contains(&"Jira"),
            "{:?} {:?}",
            names(&jd.required),
            names(&jd.preferred)
        );
    }

    #[test]
    fn title_skips_metadata() {
        let t = |s: &str| parse_jd(s).title;
        assert_eq!(
            t("**URL:** https://jobs.example.com/123\n**Location:** Berlin\n# Senior Data Analyst\n\nRequirements\n- SQL\n")
                .as_deref(),
            Some("Senior Data Analyst")
        );
        assert_eq!(
            t("## Job Title\nWarehouse Supervisor\n\n## Requirements\n- Forklift licence\n")
                .as_deref(),
            Some("Warehouse Supervisor")
        );
        assert_eq!(
            t("**Job Title:** Payroll Specialist\nRequirements\n- Excel\n").as_deref(),
            Some("Payroll Specialist")
        );
    }

    #[test]
    fn no_sections_means_everything_is_required() {
        let jd = parse_jd("Data Analyst\nWe need someone with SQL and Tableau; Python is a plus.");
        assert_eq!(names(&jd.required), vec!["SQL", "Tableau"]);
        assert_eq!(names(&jd.preferred), vec!["Python"]);
    }
}
