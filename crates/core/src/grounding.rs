//! The grounding guard: a generated bullet may only use employers, titles, years, figures and
//! skills that the resume (or context the user typed) contains.
//!
//! Checks, on the bullet with `[placeholders]` removed:
//! - **numbers**: every figure (`40k`, `$2.4M`, `131%`, `28–32`, number words like "four") must
//!   occur in the resume or context (thousands separators and currency signs ignored);
//! - **years**: every 19xx/20xx year must occur;
//! - **skills**: every taxonomy skill (qoder-analysis's matcher) must be shown by the resume, be
//!   implied by one it shows (PostgreSQL → SQL), or be written in it or the context;
//! - **titles**: "as / promoted to / hired as / served as X" must name a title the resume has;
//! - **names**: capitalised words that are not the sentence's opening verb, a month, a common
//!   business abbreviation or a skill must occur in the resume or context (employers, products,
//!   institutions).
//!
//! It cannot see a claim made of ordinary words ("national final" for "regional final"); the
//! labelled test set measures how much it catches (crates/core/tests/grounding.rs).

use qoder_analysis::skills::Taxonomy;
use qoder_domain::suggest::{GroundingIssue, GroundingKind};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[$€£]?\b\d+(?:[.,]\d+)*(?:\s?(?:%|k\b|m\b|bn\b|b\b|x\b))?").expect("regex")
});
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}\p{N}][\p{L}\p{N}'’&.+#/-]*").expect("regex"));
static TITLE_CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\b[Aa]s|\b[Pp]romoted to|\b[Hh]ired as|\b[Ss]erved as|\b[Rr]ole of|\b[Bb]ecame)\s+(?:an?\s+|the\s+)?((?:[A-Z][\w&-]*)(?:\s+(?:of\s+)?[A-Z][\w&-]*)*)",
    )
    .expect("regex")
});
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[[^\]]{0,40}\]").expect("regex"));

const NUMBER_WORDS: [(&str, &str); 21] = [
    ("one", "1"),
    ("two", "2"),
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("ten", "10"),
    ("eleven", "11"),
    ("twelve", "12"),
    ("fifteen", "15"),
    ("twenty", "20"),
    ("thirty", "30"),
    ("fifty", "50"),
    ("hundred", "100"),
    ("dozen", "12"),
    ("double", "2x"),
    ("triple", "3x"),
    ("tripled", "3x"),
];

/// Capitalised words that are never names: calendar words and common business abbreviations.
const NOT_NAMES: &[&str] = &[
    "i",
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "for",
    "to",
    "in",
    "on",
    "with",
    "by",
    "at",
    "q1",
    "q2",
    "q3",
    "q4",
    "h1",
    "h2",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "friday",
    "kpi",
    "kpis",
    "roi",
    "sla",
    "slas",
    "okr",
    "okrs",
    "p&l",
    "yoy",
    "mom",
    "ceo",
    "cto",
    "cfo",
    "coo",
    "vp",
    "vps",
    "b2b",
    "b2c",
    "saas",
    "eu",
    "us",
    "uk",
    "usd",
    "eur",
    "api",
    "apis",
    "ui",
    "ux",
    "it",
    "hr",
];

/// Common opening verbs that are not past participles ending in -ed.
const OPENING_VERBS: &[&str] = &[
    "led",
    "built",
    "ran",
    "grew",
    "won",
    "taught",
    "sold",
    "cut",
    "made",
    "wrote",
    "drove",
    "set",
    "brought",
    "took",
    "kept",
    "held",
    "met",
    "began",
    "spoke",
    "gave",
    "found",
    "chose",
    "rebuilt",
    "rewrote",
    "overhauled",
    "own",
    "owned",
    "lead",
    "build",
    "run",
    "drive",
    "teach",
    "shipped",
    "spearheaded",
    "co-led",
    "oversaw",
    "upheld",
    "sped",
    "fed",
    "hit",
    "beat",
    "put",
    "won",
    "sought",
    "brought",
    "bought",
    "thought",
    "caught",
    "understood",
    "undertook",
    "implement",
    "design",
    "develop",
    "manage",
    "create",
    "partner",
    "coach",
    "mentor",
    "use",
    "partnered",
    "raised",
    "reduced",
    "helped",
    "worked",
];

/// What the resume and the user's context back.
pub struct Grounding {
    /// Lowercased, whitespace-collapsed resume + context.
    text: String,
    words: HashSet<String>,
    numbers: HashSet<String>,
    skills: HashSet<usize>,
    taxonomy: &'static Taxonomy,
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A figure without currency signs and thousands separators, lowercased ("$2,400" → "2400").
fn norm_number(raw: &str) -> String {
    let t: String =
        raw.trim_start_matches(['$', '€', '£']).chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.to_lowercase();
    // "2,400" → "2400", but "2.4" stays.
    let digits_part: String =
        t.chars().take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.').collect();
    let rest = &t[digits_part.len()..];
    let grouped = digits_part.contains(',')
        && digits_part
            .split(',')
            .skip(1)
            .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()));
    let mut num =
        if grouped { digits_part.replace(',', "") } else { digits_part.replace(',', ".") };
    while num.ends_with('.') {
        num.pop();
    }
    format!("{num}{rest}")
}

/// The bare number of a normalised figure ("2.4m" → "2.4", "131%" → "131").
fn bare(n: &str) -> &str {
    n.trim_end_matches(|c: char| !c.is_ascii_digit())
}

fn numbers_in(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> =
        NUMBER.find_iter(text).map(|m| (m.as_str().to_string(), norm_number(m.as_str()))).collect();
    for w in WORD.find_iter(text) {
        let lw = w.as_str().to_lowercase();
        if let Some((_, d)) = NUMBER_WORDS.iter().find(|(word, _)| *word == lw) {
            out.push((w.as_str().to_string(), d.to_string()));
        }
    }
    out
}

fn is_year(n: &str) -> bool {
    n.len() == 4
        && (n.starts_with("19") || n.starts_with("20"))
        && n.chars().all(|c| c.is_ascii_digit())
}

impl Grounding {
    /// What `resume_text` and `context` back. The context is what the user typed to add facts
    /// the resume lacks ("I used Kubernetes at Acme for two years").
    pub fn new(resume_text: &str, context: &str) -> Grounding {
        let taxonomy = Taxonomy::builtin();
        let all = format!("{resume_text}\n{context}");
        let text = collapse(&all).to_lowercase();
        let words = WORD.find_iter(&all).map(|m| m.as_str().to_lowercase()).collect();
        let mut numbers = HashSet::new();
        for (_, n) in numbers_in(&all) {
            numbers.insert(bare(&n).to_string());
            numbers.insert(n);
        }
        let mut skills = HashSet::new();
        for line in all.lines() {
            for f in taxonomy.find_in_line(line, true) {
                skills.insert(f.skill);
            }
        }
        // Broader skills a shown one demonstrates (PostgreSQL → SQL), transitively.
        let mut stack: Vec<usize> = skills.iter().copied().collect();
        while let Some(s) = stack.pop() {
            for &i in &taxonomy.get(s).implies {
                if skills.insert(i) {
                    stack.push(i);
                }
            }
        }
        Grounding { text, words, numbers, skills, taxonomy }
    }

    fn has_phrase(&self, phrase: &str) -> bool {
        let p = collapse(phrase).to_lowercase();
        if p.is_empty() {
            return true;
        }
        self.text.match_indices(&p).any(|(i, _)| {
            let before = self.text[..i].chars().next_back();
            let after = self.text[i + p.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    }

    fn has_word(&self, w: &str) -> bool {
        let lw = w.to_lowercase();
        let trimmed = lw.trim_end_matches(['.', ',', '\'', '’']);
        self.words.contains(&lw)
            || self.words.contains(trimmed)
            || self.words.contains(trimmed.trim_end_matches("'s").trim_end_matches("’s"))
            || self.words.contains(trimmed.trim_end_matches('s'))
            || self.has_phrase(trimmed)
    }

    /// What in `bullet` the resume and context do not back; empty when grounded.
    pub fn check(&self, bullet: &str) -> Vec<GroundingIssue> {
        let text = PLACEHOLDER.replace_all(bullet, " ").into_owned();
        let mut issues: Vec<GroundingIssue> = Vec::new();
        let mut push = |kind, t: &str, reason: String| {
            if !issues.iter().any(|i: &GroundingIssue| i.kind == kind && i.text == t) {
                issues.push(GroundingIssue { kind, text: t.to_string(), reason });
            }
        };

        for (raw, n) in numbers_in(&text) {
            let b = bare(&n);
            if is_year(b) {
                if !self.numbers.contains(b) {
                    push(
                        GroundingKind::Date,
                        raw.trim(),
                        format!("the year {b} is not in the resume"),
                    );
                }
            } else if !self.numbers.contains(&n) && !self.numbers.contains(b) {
                push(
                    GroundingKind::Number,
                    raw.trim(),
                    format!("the figure {} is not in the resume or your context", raw.trim()),
                );
            }
        }

        let found = self.taxonomy.find_in_line(&text, false);
        let mut skill_spans: Vec<(usize, usize)> = Vec::new();
        let line = collapse(&text);
        for f in &found {
            skill_spans.push((f.start, f.end));
            if !self.skills.contains(&f.skill) && !self.has_phrase(&f.surface) {
                let name = &self.taxonomy.get(f.skill).name;
                push(
                    GroundingKind::Skill,
                    &f.surface,
                    format!("the resume does not show {name}; add it as context if you have it"),
                );
            }
        }

        for c in TITLE_CLAIM.captures_iter(&line) {
            if let Some(m) = c.get(1)
                && !self.has_phrase(m.as_str())
                && !skill_spans.iter().any(|&(s, e)| m.start() < e && s < m.end())
            {
                push(
                    GroundingKind::Title,
                    m.as_str(),
                    format!("the resume has no title \"{}\"", m.as_str()),
                );
            }
        }

        // Names: capitalised words outside skills, not at a sentence start.
        let mut sentence_start = true;
        for m in WORD.find_iter(&line) {
            let w = m.as_str();
            let starts = sentence_start;
            let before = line[..m.start()].trim_end();
            sentence_start = false;
            if starts || before.ends_with(['.', ';', ':', '!', '?']) && !before.ends_with("..") {
                let lw = w.to_lowercase();
                let verb_like = lw.ends_with("ed") || OPENING_VERBS.contains(&lw.as_str());
                if verb_like || self.has_word(w) {
                    continue;
                }
            }
            let first = w.chars().next().unwrap_or(' ');
            let capitalised = first.is_uppercase()
                || (w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphabetic));
            if !capitalised || NOT_NAMES.contains(&w.to_lowercase().as_str()) {
                continue;
            }
            if skill_spans.iter().any(|&(s, e)| m.start() < e && s < m.end()) {
                continue;
            }
            if self.has_word(w) {
                continue;
            }
            push(GroundingKind::Name, w, format!("\"{w}\" is not in the resume or your context"));
        }
        issues
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_normalise() {
        for (raw, n) in [
            ("$2,400", "2400"),
            ("$2.4M", "2.4m"),
            ("131%", "131%"),
            ("40k", "40k"),
            ("1,5", "1.5"),
        ] {
            assert_eq!(norm_number(raw), n, "{raw}");
        }
        assert_eq!(bare("2.4m"), "2.4");
    }

    #[test]
    fn a_small_resume() {
        let g = Grounding::new(
            "Senior Engineer, Acme Corp, 2019 – 2023\n- Cut costs by 30% on AWS with PostgreSQL\nSkills: Rust, Go",
            "I also used Kubernetes at Acme",
        );
        assert!(g.check("Reduced AWS costs by 30% at Acme Corp").is_empty());
        assert!(
            g.check("Wrote SQL queries on PostgreSQL for Rust services").is_empty(),
            "{:?}",
            g.check("Wrote SQL queries on PostgreSQL for Rust services")
        );
        assert!(g.check("Deployed services to Kubernetes").is_empty());
        assert!(g.check("Improved throughput by [N]% with Rust").is_empty());
        let kinds = |b: &str| g.check(b).iter().map(|i| i.kind).collect::<Vec<_>>();
        assert_eq!(kinds("Cut costs by 45% on AWS"), [GroundingKind::Number]);
        assert_eq!(kinds("Joined Acme Corp in 2017"), [GroundingKind::Date]);
        assert!(kinds("Built dashboards in Tableau").iter().all(|k| *k == GroundingKind::Skill));
        assert!(g.check("Built dashboards in Tableau").iter().any(|i| i.text == "Tableau"));
        assert_eq!(kinds("Moved payments to Stripe"), [GroundingKind::Name]);
        assert!(kinds("Promoted to Engineering Manager at Acme").contains(&GroundingKind::Title));
    }
}
