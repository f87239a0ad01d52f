//! The ATS readiness report: named checks whose weights sum to 100. Each check says what it
//! found (evidence) and what to change (fix), so every point of the score is traceable.

use qoder_domain::{
    AtsCheck, AtsReport, CheckStatus, FileFormat, LinkKind, ParsedResume, SectionKind, bullet,
};

pub(crate) use crate::words::ACTION_VERBS;
use crate::words::WEAK_OPENINGS;

pub const ENGINE: &str = concat!("qoder-analysis ", env!("CARGO_PKG_VERSION"));

/// Words in a file name that say it is not the final, named version.
const JUNK_FILE_WORDS: &[&str] =
    &["final", "copy", "(1)", "(2)", "untitled", "document", "draft", "v2", "v3", "new"];

// Number words that make a bullet measurable, as whole words in any case.
// The list is data: models/words/number_words.txt.
use crate::words::NUMBER_WORDS;

/// Whether a bullet states a measurable result: a digit or a number word ("doubled").
/// A scan rather than a pattern: a fresh process pays for every regex it compiles.
fn is_quantified(s: &str) -> bool {
    s.chars().any(char::is_numeric)
        || s.split(|c: char| !c.is_alphanumeric())
            .any(|w| w.len() <= 9 && NUMBER_WORDS.iter().any(|n| n.eq_ignore_ascii_case(w)))
}

/// Garbled or suspicious tokens in a text, at most `max`: `(cid:123)` placeholders, U+FFFD,
/// UTF-8 read as Latin-1 (`Ã©`, `â€`), runs of four or more symbols, and words of six or more
/// consonants in a row.
fn noise_tokens(text: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
    let mut k = 0;
    while k < chars.len() && out.len() < max {
        let (at, c) = chars[k];
        let rest = &text[at..];
        // (cid:123)
        if let Some(code) = rest.strip_prefix("(cid:") {
            let digits = code.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && code[digits..].starts_with(')') {
                out.push(&rest[..6 + digits]);
                k += 6 + digits;
                continue;
            }
        }
        if c == '\u{FFFD}' {
            out.push(&rest[..c.len_utf8()]);
            k += 1;
            continue;
        }
        if c == 'Ã' && k + 1 < chars.len() && chars[k + 1].1 != '\n' {
            out.push(&text[at..end_of(k + 2)]);
            k += 2;
            continue;
        }
        if rest.starts_with("â€") {
            out.push(&rest[.."â€".len()]);
            k += 2;
            continue;
        }
        // A run of symbols (neither space nor word characters).
        let run =
            chars[k..].iter().take_while(|&&(_, c)| !c.is_whitespace() && !is_word(c)).count();
        if run >= 4 {
            out.push(&text[at..end_of(k + run)]);
            k += run;
            continue;
        }
        // A word of consonants only, starting at a word boundary.
        if is_word(c) && (k == 0 || !is_word(chars[k - 1].1)) {
            let len = chars[k..].iter().take_while(|&&(_, c)| is_word(c)).count();
            let consonants = chars[k..k + len].iter().all(|&(_, c)| {
                c.is_ascii_lowercase() && !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
            });
            if len >= 6 && consonants {
                out.push(&text[at..end_of(k + len)]);
                k += len;
                continue;
            }
        }
        k += 1;
    }
    out
}

/// One check of the report: what it is called, the most points it gives, and how it scores.
struct Check {
    id: &'static str,
    title: &'static str,
    weight: u32,
    run: fn(&Input<'_>) -> Outcome,
}

/// What a check reads.
struct Input<'a> {
    r: &'a ParsedResume,
    /// (year, month).
    today: (i32, u8),
    /// Words of the whole text.
    total_words: usize,
}

/// What a check found: points (capped at its weight), one sentence, the evidence, and what to
/// change (dropped when every point is earned).
struct Outcome {
    points: u32,
    detail: String,
    evidence: Vec<String>,
    fix: Option<String>,
}

/// The checks, in report order.
const CHECKS: [Check; 9] = [
    Check { id: "text_layer", title: "Readable text", weight: 10, run: text_layer },
    Check {
        id: "section_headings",
        title: "Standard section headings",
        weight: 15,
        run: section_headings,
    },
    Check { id: "contact", title: "Contact details", weight: 15, run: contact },
    Check { id: "dates", title: "Dates of each position", weight: 10, run: dates },
    Check { id: "bullets", title: "Achievement bullets", weight: 20, run: bullets },
    Check { id: "layout", title: "ATS-friendly layout", weight: 10, run: layout },
    Check { id: "length", title: "Length", weight: 8, run: length },
    Check { id: "noise", title: "Clean text (no garbled characters)", weight: 6, run: noise },
    Check { id: "file", title: "File type and name", weight: 6, run: file },
];

const fn total_weight(checks: &[Check]) -> u32 {
    let mut sum = 0;
    let mut i = 0;
    while i < checks.len() {
        sum += checks[i].weight;
        i += 1;
    }
    sum
}

const _: () = assert!(total_weight(&CHECKS) == 100, "the ATS check weights must sum to 100");

impl Check {
    fn judge(&self, input: &Input<'_>) -> AtsCheck {
        let Outcome { points, detail, evidence, fix } = (self.run)(input);
        let weight = self.weight;
        let points = points.min(weight);
        let status = if points == weight {
            CheckStatus::Pass
        } else if points * 2 >= weight {
            CheckStatus::Warn
        } else {
            CheckStatus::Fail
        };
        let fix = if points == weight { None } else { fix };
        AtsCheck {
            id: self.id.to_string(),
            title: self.title.to_string(),
            weight,
            points,
            status,
            detail,
            evidence,
            fix,
        }
    }
}

fn words(text: &str) -> usize {
    text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
}

fn scaled(weight: u32, fraction: f64) -> u32 {
    (f64::from(weight) * fraction.clamp(0.0, 1.0)).round() as u32
}

fn all_bullets(r: &ParsedResume) -> Vec<String> {
    let mut b: Vec<String> = r.experience.iter().flat_map(|e| e.bullets.iter().cloned()).collect();
    if b.is_empty() {
        // No entries recognised: take the experience section's longer lines.
        b = r
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::Experience)
            .flat_map(|s| s.lines.iter())
            .map(|l| bullet::strip(l).to_string())
            .filter(|l| words(l) >= 5)
            .collect();
    }
    b
}

/// Score a parsed resume. `today` is (year, month).
pub fn report(r: &ParsedResume, today: (i32, u8)) -> AtsReport {
    let input = Input { r, today, total_words: words(&r.text) };
    let checks = CHECKS.iter().map(|c| c.judge(&input)).collect();
    AtsReport::from_checks(checks, ENGINE)
}

/// A text layer an ATS can read, with enough words.
fn text_layer(i: &Input<'_>) -> Outcome {
    let total_words = i.total_words;
    let detail = format!("{total_words} words of text were read from the file");
    let (points, fix) = match total_words {
        n if n >= 200 => (10, None),
        n if n >= 100 => (6, Some("The text is short: an ATS reads only the text layer; check that text is not in images, and describe each role in 3–6 bullets.".to_string())),
        _ => (2, Some("Very little text could be read. If the resume was exported as images or uses unusual fonts, export it again as a text PDF or DOCX from your editor.".to_string())),
    };
    Outcome { points, detail, evidence: vec![], fix }
}

/// Standard section headings.
fn section_headings(i: &Input<'_>) -> Outcome {
    let r = i.r;
    let has = |k: SectionKind| r.sections.iter().any(|s| s.kind == k);
    let headings: Vec<String> = r
        .sections
        .iter()
        .filter(|s| s.kind != SectionKind::Header)
        .map(|s| format!("{} → {}", s.heading, s.kind.as_str()))
        .collect();
    let mut points = 0;
    let mut missing = Vec::new();
    for (kind, w, name) in [
        (SectionKind::Experience, 6, "Experience"),
        (SectionKind::Education, 4, "Education"),
        (SectionKind::Skills, 4, "Skills"),
        (SectionKind::Summary, 1, "Summary"),
    ] {
        if has(kind) {
            points += w;
        } else {
            missing.push(name);
        }
    }
    let custom: Vec<&str> = r
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Custom)
        .map(|s| s.heading.as_str())
        .collect();
    let detail = if missing.is_empty() {
        "all standard sections were found under headings an ATS recognises".to_string()
    } else {
        format!("no heading an ATS recognises for: {}", missing.join(", "))
    };
    let mut fix = (!missing.is_empty()).then(|| {
        format!(
            "Add or rename headings to the standard words: {} (e.g. \"Work Experience\", \"Education\", \"Skills\", \"Summary\").",
            missing.join(", ")
        )
    });
    if !custom.is_empty() && fix.is_some() {
        fix = fix.map(|f| format!("{f} Unrecognised headings: {}.", custom.join(", ")));
    }
    Outcome { points, detail, evidence: headings, fix }
}

/// Contact details.
fn contact(i: &Input<'_>) -> Outcome {
    let c = &i.r.contact;
    let mut points = 0;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for (ok, w, label, value) in [
        (c.name.is_some(), 4, "name", c.name.clone()),
        (c.email.is_some(), 4, "email", c.email.clone()),
        (c.phone.is_some(), 4, "phone", c.phone.clone()),
        (c.location.is_some(), 2, "location (city, region)", c.location.clone()),
        (
            c.links.iter().any(|l| {
                matches!(
                    l.kind,
                    LinkKind::Linkedin | LinkKind::Github | LinkKind::Portfolio | LinkKind::Gitlab
                )
            }),
            1,
            "LinkedIn or portfolio link",
            c.links.first().map(|l| l.url.clone()),
        ),
    ] {
        if ok {
            points += w;
            found.push(format!("{label}: {}", value.unwrap_or_default()));
        } else {
            missing.push(label);
        }
    }
    let detail = if missing.is_empty() {
        "name, email, phone, location and a profile link were found".to_string()
    } else {
        format!("missing: {}", missing.join(", "))
    };
    let fix = Some(format!(
        "Put your {} in the body of the resume near your name (not in the page header or footer, which many ATSs skip).",
        missing.join(", ")
    ));
    Outcome { points, detail, evidence: found, fix }
}

/// Dates present and consistent (overlaps and gaps reported as facts).
fn dates(i: &Input<'_>) -> Outcome {
    let (r, today) = (i.r, i.today);
    let n = r.experience.len();
    let dated =
        r.experience.iter().filter(|e| e.start.is_some() && (e.end.is_some() || e.current)).count();
    let now = today.0 * 12 + i32::from(today.1) - 1;
    let mut facts = Vec::new();
    let mut inconsistent = 0;
    for e in &r.experience {
        let label =
            e.employer.clone().or_else(|| e.title.clone()).unwrap_or_else(|| "an entry".into());
        if let (Some(s), Some(end)) = (e.start, e.end)
            && end.months(12) < s.months(1)
        {
            inconsistent += 1;
            facts.push(format!("{label}: ends ({}) before it starts ({})", end.iso(), s.iso()));
        }
        if let Some(s) = e.start
            && s.months(1) > now
        {
            inconsistent += 1;
            facts.push(format!("{label}: starts in the future ({})", s.iso()));
        }
    }
    // Overlaps and gaps, as facts: they are the reader's to judge.
    let mut spans: Vec<(i32, i32, String)> = r
        .experience
        .iter()
        .filter_map(|e| {
            let s = e.start?.months(1);
            let end = if e.current { now } else { e.end?.months(12) };
            Some((s, end, e.employer.clone().or_else(|| e.title.clone()).unwrap_or_default()))
        })
        .collect();
    spans.sort();
    for w in spans.windows(2) {
        let (a, b2) = (&w[0], &w[1]);
        if b2.0 > a.1 + 6 {
            facts.push(format!("gap of {} months between {} and {}", b2.0 - a.1 - 1, a.2, b2.2));
        } else if b2.0 < a.1 - 1 {
            facts.push(format!("{} and {} overlap by {} months", a.2, b2.2, a.1 - b2.0));
        }
    }
    let (points, detail) = if n == 0 {
        (0, "no dated positions were recognised in an experience section".to_string())
    } else {
        let frac = dated as f64 / n as f64;
        let p = scaled(8, frac) + if inconsistent == 0 { 2 } else { 0 };
        (p, format!("{dated} of {n} positions have a start and an end (or \"Present\")"))
    };
    let fix = Some(if n == 0 {
        "List each position with its dates on the title line, e.g. \"Software Engineer, Acme — Jan 2020 – Present\".".to_string()
    } else {
        "Give every position a start and an end date in one format (e.g. \"Mar 2019 – Present\"); fix dates that end before they start.".to_string()
    });
    Outcome { points, detail, evidence: facts, fix }
}

/// Bullet quality: action verbs, quantified results, length.
fn bullets(i: &Input<'_>) -> Outcome {
    let bullets = all_bullets(i.r);
    let n = bullets.len();
    if n == 0 {
        return Outcome {
            points: 0,
            detail: "no bullet points describing your work were found".to_string(),
            evidence: vec![],
            fix: Some("Describe each role in 3–6 bullets that start with an action verb and state a measurable result (\"Cut onboarding time by 40% by …\").".to_string()),
        };
    }
    let first_word = |s: &str| {
        s.split_whitespace()
            .next()
            .unwrap_or("")
            .trim_matches(|c: char| !c.is_alphabetic())
            .to_lowercase()
    };
    let verbs = bullets.iter().filter(|s| ACTION_VERBS.contains(&first_word(s).as_str())).count();
    let weak: Vec<&String> =
        bullets.iter().filter(|s| WEAK_OPENINGS.contains(&first_word(s).as_str())).collect();
    let quantified = bullets.iter().filter(|s| is_quantified(s)).count();
    let bad_len: Vec<&String> = bullets
        .iter()
        .filter(|s| {
            let w = words(s);
            !(5..=40).contains(&w)
        })
        .collect();
    let p_verbs = scaled(8, verbs as f64 / n as f64 / 0.8);
    let p_quant = scaled(8, quantified as f64 / n as f64 / 0.5);
    let p_len = scaled(4, 1.0 - bad_len.len() as f64 / n as f64);
    let mut evidence: Vec<String> =
        weak.iter().take(3).map(|s| format!("weak opening: \"{s}\"")).collect();
    evidence.extend(
        bullets
            .iter()
            .filter(|s| !is_quantified(s))
            .take(3)
            .map(|s| format!("no measurable result: \"{s}\"")),
    );
    evidence.extend(bad_len.iter().take(2).map(|s| format!("length {} words: \"{s}\"", words(s))));
    Outcome {
        points: p_verbs + p_quant + p_len,
        detail: format!("{n} bullets: {verbs} start with an action verb, {quantified} state a number, {} are 5–40 words long", n - bad_len.len()),
        evidence,
        fix: Some("Start bullets with a strong verb (Led, Built, Reduced), add a number to at least half of them (%, $, time, volume, team size), and keep each to one or two lines.".to_string()),
    }
}

/// Layout an ATS can read: no tables, columns, text boxes, images, header/footer content.
fn layout(i: &Input<'_>) -> Outcome {
    let d = &i.r.document;
    let mut points: i32 = 10;
    let mut evidence = Vec::new();
    if d.columns > 1 {
        points -= 3;
        evidence.push(format!(
            "{} text columns on a page: many ATSs read across columns and mix lines",
            d.columns
        ));
    }
    if d.tables > 0 {
        points -= 3;
        evidence
            .push(format!("{} table(s): text in tables is often dropped or scrambled", d.tables));
    }
    if d.text_boxes > 0 {
        points -= 2;
        evidence.push(format!("{} text box(es): most ATSs skip text boxes", d.text_boxes));
    }
    if d.images > 0 {
        points -= 1;
        evidence
            .push(format!("{} image(s): images (photos, logos, skill bars) are ignored", d.images));
    }
    let hf_contact = d
        .header_footer_text
        .iter()
        .any(|t| t.contains('@') || t.chars().filter(char::is_ascii_digit).count() >= 7);
    if hf_contact {
        points -= 2;
        evidence
            .push("contact details in the page header/footer, which many ATSs skip".to_string());
    }
    let points = points.max(0) as u32;
    let detail = if evidence.is_empty() {
        "a single-column layout without tables, text boxes or images".to_string()
    } else {
        format!("{} layout element(s) that ATSs often misread", evidence.len())
    };
    Outcome {
        points,
        detail,
        evidence,
        fix: Some("Use one column, plain paragraphs and bullets; move text out of tables, text boxes and page headers/footers.".to_string()),
    }
}

/// Length in words and pages.
fn length(i: &Input<'_>) -> Outcome {
    let pages = i.r.document.pages;
    let (points, detail, fix) = match i.total_words {
        n if n < 250 => (
            3,
            format!("{n} words: short for most roles"),
            Some(
                "Aim for 400–900 words: add results to each role and a skills section.".to_string(),
            ),
        ),
        n if n <= 1000 => (8, format!("{n} words"), None),
        n if n <= 1400 => (
            5,
            format!("{n} words: long"),
            Some(
                "Trim to the last 10–15 years and the bullets most relevant to the job; 1–2 pages."
                    .to_string(),
            ),
        ),
        n => (
            2,
            format!("{n} words: very long"),
            Some(
                "Cut to 1–2 pages: recruiters skim, and long resumes bury the key results."
                    .to_string(),
            ),
        ),
    };
    let (points, detail, fix) = match pages {
        Some(p) if p > 3 => (
            points.min(3),
            format!("{detail}, {p} pages"),
            Some("Keep the resume to 1–2 pages (3 for long academic careers).".to_string()),
        ),
        Some(p) => (points, format!("{detail}, {p} page(s)"), fix),
        None => (points, detail, fix),
    };
    Outcome { points, detail, evidence: vec![], fix }
}

/// Spelling-like noise: broken characters, garbled encodings, letter runs.
fn noise(i: &Input<'_>) -> Outcome {
    let total_words = i.total_words;
    let noise = noise_tokens(&i.r.text, 50);
    let rate = noise.len() as f64 / (total_words.max(1) as f64) * 100.0;
    let points = if noise.is_empty() {
        6
    } else if rate < 1.0 {
        4
    } else if rate < 3.0 {
        2
    } else {
        0
    };
    Outcome {
        points,
        detail: format!("{} garbled or suspicious token(s) in {total_words} words", noise.len()),
        evidence: noise.into_iter().take(5).map(|t| format!("\"{t}\"")).collect(),
        fix: Some("Garbled characters usually come from symbol fonts or icons: use a standard font (Arial, Calibri, Georgia) and plain bullets, then export again.".to_string()),
    }
}

/// File type and name.
fn file(i: &Input<'_>) -> Outcome {
    let r = i.r;
    let mut points = 0;
    let mut evidence = Vec::new();
    let mut fixes = Vec::new();
    match r.document.format {
        Some(FileFormat::Docx) | Some(FileFormat::Pdf) => points += 3,
        Some(FileFormat::Txt) => {
            points += 2;
            fixes.push("Send a DOCX or a text PDF: plain text loses all formatting.");
        }
        None => {}
    }
    if let Some(f) = &r.document.format {
        evidence.push(format!("format: {}", f.as_str()));
    }
    match &r.document.file_name {
        Some(name) => {
            evidence.push(format!("file name: {name}"));
            let lower = name.to_lowercase();
            let stem = lower.rsplit_once('.').map(|(s, _)| s).unwrap_or(&lower);
            let surname = r
                .contact
                .name
                .as_ref()
                .and_then(|n| n.split_whitespace().last())
                .map(|s| s.to_lowercase());
            let has_name = surname.as_ref().is_some_and(|s| stem.contains(s.as_str()));
            let junk = JUNK_FILE_WORDS.iter().any(|j| stem.contains(j));
            if has_name && !junk {
                points += 3;
            } else if has_name || (stem.contains("resume") || stem.contains("cv")) && !junk {
                points += 2;
                fixes.push(
                    "Name the file after yourself and the document, e.g. \"Jane-Doe-Resume.pdf\".",
                );
            } else {
                fixes.push("Name the file after yourself, e.g. \"Jane-Doe-Resume.pdf\", without words like final, copy or draft.");
            }
        }
        None => points += 3,
    }
    Outcome {
        points,
        detail: "a DOCX or text PDF with a descriptive file name reads best".to_string(),
        evidence,
        fix: Some(fixes.join(" ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::parse_text;

    /// The scanners find what the patterns they replace found.
    #[test]
    fn scanners_agree_with_their_patterns() {
        let number = regex::Regex::new(r"(?i)(\d|\bone\b|\btwo\b|\bthree\b|\bfour\b|\bfive\b|\bsix\b|\bseven\b|\beight\b|\bnine\b|\bten\b|\bdozens?\b|\bhundreds?\b|\bthousands?\b|\bmillions?\b|\bdoubled\b|\btripled\b|\bhalved\b)").unwrap();
        let noise = regex::Regex::new(
            r"(\(cid:\d+\)|\x{FFFD}|Ã.|â€|[^\s\w]{4,}|\b[b-df-hj-np-tv-xz]{6,}\b)",
        )
        .unwrap();
        let texts = [
            "Cut costs by a third",
            "Doubled revenue",
            "Led ten engineers",
            "Tenacious lead",
            "Grew to 40M users",
            "Served thousands of customers; one-off",
            "Shipped twofold",
            "(cid:12)(cid:3) text (cid:) (cid:x)",
            "FranÃ§ois and â€œquotedâ€\u{9d} here",
            "bullets ●●●● and ★★★ and ----- and ...., ;;;;",
            "strngths rhythms bcdfgh bcdfghA xkcdxz_ bcdfgh1 Bcdfgh zzzzzzzzz",
            "bad \u{FFFD}\u{FFFD} glyphs Ã",
            "",
        ];
        for t in texts {
            assert_eq!(is_quantified(t), number.is_match(t), "{t:?}");
            let want: Vec<&str> = noise.find_iter(t).map(|m| m.as_str()).collect();
            assert_eq!(noise_tokens(t, 50), want, "{t:?}");
        }
    }

    const GOOD: &str = "Ana Souza
Lisbon, Portugal | ana.souza@example.com | +351 912 345 678 | linkedin.com/in/anasouza

SUMMARY
Backend engineer with 6 years of experience building event-driven systems for retail and telecom companies.

EXPERIENCE
Senior Backend Engineer — Talkdesk — Lisbon, Portugal
Mar 2021 – Present
• Built event pipelines in Kotlin and Kafka serving 40M events per day with 99.99% uptime
• Mentored 4 engineers, two of whom were promoted within a year
• Reduced cloud spend by 28% by right-sizing Kubernetes workloads and adding autoscaling
Backend Engineer, Farfetch, Jan 2018 – Feb 2021
• Migrated 12 services to Kubernetes, cutting deployment time from 2 hours to 10 minutes
• Designed the order-history API used by 3 mobile apps and 2M monthly users
• Led the PostgreSQL 9 to 13 upgrade with zero downtime across 40 databases

EDUCATION
Universidade de Lisboa
MSc in Computer Science, 2017

SKILLS
Kotlin, Java, Go, PostgreSQL, Kafka, Kubernetes, AWS, Terraform
";

    #[test]
    fn weights_sum_to_100_and_score_is_their_points() {
        let r = parse_text(GOOD);
        let a = report(&r, (2026, 11));
        assert_eq!(a.checks.iter().map(|c| c.weight).sum::<u32>(), 100);
        assert_eq!(a.score, a.checks.iter().map(|c| c.points).sum::<u32>());
        for c in &a.checks {
            assert!(c.points <= c.weight, "{c:?}");
            assert_eq!(c.fix.is_none(), c.points == c.weight, "{c:?}");
        }
    }

    #[test]
    fn a_good_resume_scores_well_and_a_weak_one_badly() {
        let good = report(&parse_text(GOOD), (2026, 11));
        let weak = report(
            &parse_text("John\nI worked at some places.\nResponsible for things.\n"),
            (2026, 11),
        );
        assert!(good.score >= 75, "{:#?}", good.checks);
        assert!(weak.score <= 35, "{:#?}", weak.checks);
        let contact = good.checks.iter().find(|c| c.id == "contact").unwrap();
        assert_eq!(contact.points, contact.weight, "{contact:?}");
        let sections = weak.checks.iter().find(|c| c.id == "section_headings").unwrap();
        assert!(sections.fix.as_deref().unwrap().contains("Experience"));
    }

    #[test]
    fn gaps_and_overlaps_are_reported_as_facts() {
        let text = "Jo Bloggs\njo@example.com\n\nEXPERIENCE\nEngineer, Acme Inc, Jan 2015 – Dec 2016\n• Built 3 things\nEngineer, Globex Inc, Jan 2019 – Mar 2020\n• Built 4 things\n";
        let a = report(&parse_text(text), (2026, 11));
        let dates = a.checks.iter().find(|c| c.id == "dates").unwrap();
        assert!(dates.evidence.iter().any(|e| e.contains("gap of 24 months")), "{dates:?}");
        assert_eq!(dates.points, dates.weight);
    }
}
