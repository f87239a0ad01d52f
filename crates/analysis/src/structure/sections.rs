//! Section segmentation: which lines are headings, and what kind of section each one opens.

use crate::extract::Line;
use qoder_domain::{Section, SectionKind};
use std::sync::LazyLock;

/// Heading words people use, normalised (lowercase, `&` → `and`, no punctuation).
const HEADINGS: &[(SectionKind, &[&str])] = &[
    (
        SectionKind::Summary,
        &[
            "summary",
            "professional summary",
            "career summary",
            "executive summary",
            "summary of qualifications",
            "qualifications summary",
            "profile",
            "professional profile",
            "personal profile",
            "career profile",
            "about me",
            "about",
            "objective",
            "career objective",
            "professional objective",
            "personal statement",
            "overview",
            "professional overview",
            "introduction",
            "highlights",
            "career highlights",
            "hello",
            "hi",
            "who i am",
        ],
    ),
    (
        SectionKind::Experience,
        &[
            "experience",
            "work experience",
            "professional experience",
            "relevant experience",
            "employment",
            "employment history",
            "employment experience",
            "work history",
            "career history",
            "career",
            "career experience",
            "professional history",
            "professional background",
            "positions held",
            "experience history",
            "internships",
            "internship experience",
            "clinical experience",
            "teaching experience",
            "research experience",
            "industry experience",
            "military experience",
            "selected experience",
            "professional employment",
            "work",
            "where ive worked",
            "where i have worked",
            "experience and employment",
        ],
    ),
    (
        SectionKind::Education,
        &[
            "education",
            "academic background",
            "educational background",
            "education and training",
            "training and education",
            "academic qualifications",
            "academic history",
            "academics",
            "education history",
            "qualifications",
            "education and qualifications",
            "academic profile",
            "studies",
        ],
    ),
    (
        SectionKind::Skills,
        &[
            "skills",
            "technical skills",
            "key skills",
            "core skills",
            "core competencies",
            "competencies",
            "key competencies",
            "areas of expertise",
            "expertise",
            "technical expertise",
            "skills and abilities",
            "skills and expertise",
            "skills summary",
            "professional skills",
            "technologies",
            "technology",
            "tech stack",
            "tools",
            "tools and technologies",
            "technical proficiencies",
            "proficiencies",
            "skill set",
            "skillset",
            "hard skills",
            "soft skills",
            "computer skills",
            "it skills",
            "strengths",
            "abilities",
            "capabilities",
            "relevant skills",
            "technical summary",
            "toolbox",
            "toolkit",
            "tool kit",
            "what i use",
        ],
    ),
    (
        SectionKind::Projects,
        &[
            "projects",
            "personal projects",
            "selected projects",
            "key projects",
            "side projects",
            "academic projects",
            "relevant projects",
            "project experience",
            "open source",
            "open source contributions",
            "portfolio",
        ],
    ),
    (
        SectionKind::Certifications,
        &[
            "certifications",
            "certification",
            "certificates",
            "licenses",
            "licences",
            "licenses and certifications",
            "licences and certifications",
            "certifications and licenses",
            "certifications and licences",
            "professional certifications",
            "credentials",
            "accreditations",
            "courses",
            "courses and certifications",
            "certifications and training",
            "training",
            "professional development",
            "continuing education",
        ],
    ),
    (
        SectionKind::Awards,
        &[
            "awards",
            "honors",
            "honours",
            "awards and honors",
            "awards and honours",
            "honors and awards",
            "honours and awards",
            "achievements",
            "key achievements",
            "accomplishments",
            "recognition",
            "scholarships",
        ],
    ),
    (
        SectionKind::Publications,
        &[
            "publications",
            "selected publications",
            "papers",
            "research",
            "presentations",
            "talks",
            "patents",
            "publications and presentations",
        ],
    ),
    (SectionKind::Languages, &["languages", "language skills", "spoken languages", "language"]),
    (
        SectionKind::Volunteering,
        &[
            "volunteer",
            "volunteering",
            "volunteer experience",
            "volunteer work",
            "community involvement",
            "community service",
            "extracurricular activities",
            "activities",
            "leadership and volunteering",
        ],
    ),
    (
        SectionKind::Interests,
        &[
            "interests",
            "hobbies",
            "hobbies and interests",
            "personal interests",
            "outside interests",
        ],
    ),
    (SectionKind::References, &["references", "referees"]),
];

/// Lowercase, `&`/`+` → `and`, punctuation dropped, letter-spaced words ("E X P E R I E N C E")
/// joined, whitespace collapsed.
pub fn normalize_heading(text: &str) -> String {
    let t = text.trim().trim_end_matches([':', '.', '-', '–', '—']).trim();
    // Letter-spaced: every token is one letter.
    let tokens: Vec<&str> = t.split_whitespace().collect();
    let letter_spaced = tokens.len() >= 4 && tokens.iter().all(|w| w.chars().count() == 1);
    let t = if letter_spaced {
        // Words are separated by two or more spaces in letter-spaced text.
        t.split("  ")
            .map(|w| w.split_whitespace().collect::<String>())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        t.to_string()
    };
    let mut out = String::new();
    for w in t.split(|c: char| c.is_whitespace() || c == '/' || c == '|') {
        let w: String = w
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '&' || *c == '+')
            .collect::<String>()
            .to_lowercase();
        let w = if w == "&" || w == "+" { "and".to_string() } else { w.replace('&', " and ") };
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w);
    }
    out
}

/// The section kind a heading names, if it is one we know (also "Skills & Interests": the first).
pub fn classify_heading(text: &str) -> Option<SectionKind> {
    let n = normalize_heading(text);
    if n.is_empty() || n.len() > 60 {
        return None;
    }
    let lookup =
        |s: &str| HEADINGS.iter().find(|(_, names)| names.contains(&s)).map(|(kind, _)| *kind);
    if let Some(k) = lookup(&n) {
        return Some(k);
    }
    // "Education and Certifications", "Skills and Interests", "Relevant Work Experience".
    for part in n.split(" and ") {
        if let Some(k) = lookup(part.trim()) {
            return Some(k);
        }
    }
    let stripped = n
        .trim_start_matches("my ")
        .trim_start_matches("relevant ")
        .trim_start_matches("selected ")
        .trim_start_matches("additional ")
        .trim_start_matches("other ");
    if let Some(k) = lookup(stripped) {
        return Some(k);
    }
    qualified_heading(text, &n, &lookup)
}

/// Head nouns that name a section on their own, after any qualifier ("Executive Experience",
/// "Leadership Experience", "Professional Background", "Technical Skills Summary" is not one).
const HEAD_NOUNS: &[&str] = &[
    "experience",
    "employment",
    "history",
    "background",
    "education",
    "skills",
    "competencies",
    "expertise",
    "projects",
    "certifications",
    "certificates",
    "awards",
    "honors",
    "honours",
    "publications",
    "languages",
    "interests",
    "summary",
    "profile",
    "volunteering",
];

/// A short heading made of a qualifier and a known head ("Executive Experience", "Engineering
/// Leadership Experience", "Work & Volunteer History"): every word capitalised (or the line in
/// capitals), at most four words, no digits, and its last word a head noun that names a section
/// (alone or with the word before it). Sentences ("5 years of experience") do not qualify.
fn qualified_heading(
    text: &str,
    n: &str,
    lookup: &dyn Fn(&str) -> Option<SectionKind>,
) -> Option<SectionKind> {
    let words: Vec<&str> = n.split(' ').collect();
    // "Head of Customer Experience" is a role, not a heading.
    if !(2..=4).contains(&words.len())
        || n.chars().any(|c| c.is_ascii_digit())
        || words.iter().any(|w| ["of", "at", "with", "as"].contains(w))
    {
        return None;
    }
    let last = *words.last()?;
    if !HEAD_NOUNS.contains(&last) {
        return None;
    }
    let styled = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .filter(|w| !["and", "of", "&", "in", "for", "the"].contains(&w.to_lowercase().as_str()))
        .all(|w| w.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase));
    if !styled {
        return None;
    }
    let two = format!("{} {last}", words[words.len() - 2]);
    lookup(&two).or_else(|| lookup(last)).or(match last {
        "history" | "background" => Some(SectionKind::Experience),
        _ => None,
    })
}

fn is_upper_heading(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase())
}

/// Whether a line is a heading, and of which kind (`Custom` for unknown ones).
pub fn heading_kind(line: &Line) -> Option<SectionKind> {
    let text = line.text.trim();
    if text.is_empty() || line.bullet {
        return None;
    }
    // "Skills: Python, Rust" is a labelled line, not a heading.
    if text.split_once(':').is_some_and(|(_, rest)| !rest.trim().is_empty()) {
        return None;
    }
    if let Some(kind) = classify_heading(text) {
        return Some(kind);
    }
    if (is_upper_heading(text) || line.heading_hint)
        && let Some(kind) = classify_squashed(text)
    {
        return Some(kind);
    }
    let words = text.split_whitespace().count();
    if words > 6 || text.len() > 60 {
        return None;
    }
    // Unknown headings: styled or all-caps, short, plain words, and not a role or an employer
    // (job titles are often bold or in capitals).
    let plain_words = text.chars().all(|c| c.is_alphabetic() || " &/-'".contains(c));
    let capitalised = text.chars().next().is_some_and(char::is_uppercase);
    let styled = line.heading_hint && capitalised && words <= 4;
    let caps = is_upper_heading(text) && words <= 4;
    // Nor a skill ("PHP" wrapped onto its own line) or a degree ("BSW in Social Work").
    let skill = crate::skills::Taxonomy::builtin().lookup(text).is_some()
        || super::entries::names_a_degree_or_school(text);
    ((styled || caps) && plain_words && !skill && !super::entries::names_a_role_or_org(text))
        .then_some(SectionKind::Custom)
}

/// Headings whose letters were split or glued by a PDF's spacing ("PROFESSIONA L EXPERIENC E",
/// "SUMMA RY"): compare letters only.
fn classify_squashed(text: &str) -> Option<SectionKind> {
    if text.len() > 48 {
        return None;
    }
    let t = squash(text);
    if t.len() < 4 {
        return None;
    }
    let t_without_and = t.replace("and", "");
    SQUASHED_HEADINGS
        .iter()
        .find(|(_, without_and, whole)| *without_and == t_without_and || *whole == t)
        .map(|(kind, _, _)| *kind)
}

/// Letters only, lowercased: "PROFESSIONA L EXPERIENC E" → "professionalexperience".
fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect()
}

/// Every heading name squashed, once: (kind, without " and ", whole), in [`HEADINGS`] order.
static SQUASHED_HEADINGS: LazyLock<Vec<(SectionKind, String, String)>> = LazyLock::new(|| {
    HEADINGS
        .iter()
        .flat_map(|(kind, names)| {
            names.iter().map(|n| (*kind, squash(&n.replace(" and ", " ")), squash(n)))
        })
        .collect()
});

/// Build this module's tables now (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    LazyLock::force(&SQUASHED_HEADINGS);
}

/// Labels that introduce the bullets of one entry rather than a section.
pub(crate) fn is_entry_label(text: &str) -> bool {
    matches!(
        normalize_heading(text).as_str(),
        "highlights"
            | "key highlights"
            | "achievements"
            | "key achievements"
            | "accomplishments"
            | "key accomplishments"
            | "responsibilities"
            | "key responsibilities"
            | "selected achievements"
            | "impact"
            | "key results"
    )
}

/// Split lines into sections. The lines before the first heading form the `Header` section.
pub fn segment(lines: &[Line]) -> Vec<(Section, Vec<usize>)> {
    let mut out: Vec<(Section, Vec<usize>)> = vec![(
        Section { kind: SectionKind::Header, heading: String::new(), lines: vec![] },
        vec![],
    )];
    for (i, line) in lines.iter().enumerate() {
        // Custom (unknown) headings are only taken after the header block has content, so the
        // candidate's name in capitals is not mistaken for one.
        let kind = heading_kind(line)
            .filter(|k| *k != SectionKind::Custom || out.len() > 1 || out[0].0.lines.len() >= 2);
        // Labels inside an entry ("Highlights", "Key achievements", "Responsibilities") are
        // part of the experience, not sections of their own.
        let in_entries = out.last().is_some_and(|(s, _)| {
            matches!(
                s.kind,
                SectionKind::Experience
                    | SectionKind::Projects
                    | SectionKind::Volunteering
                    | SectionKind::Education
            )
        });
        let kind = kind.filter(|_| !(in_entries && is_entry_label(&line.text)));
        // Items of a skills list set in capitals ("COMPOUNDING" / "PHARMACY LAW", CSS
        // text-transform) are items, not unknown headings, unless set as headings are.
        let in_list = out
            .last()
            .is_some_and(|(s, _)| matches!(s.kind, SectionKind::Skills | SectionKind::Languages));
        let kind = kind.filter(|k| !(in_list && *k == SectionKind::Custom && !line.heading_hint));
        // An employer or school set large inside a section of entries ("Tidal Telecom" above
        // its place and dates) is an entry's first line, not a heading of its own.
        let dated_soon = lines[i + 1..(i + 4).min(lines.len())]
            .iter()
            .any(|l| super::dates::find_range_or_date(&l.text).is_some());
        let kind = kind.filter(|k| !(in_entries && *k == SectionKind::Custom && dated_soon));
        // A heading set over two lines ("Professional" / "Background" in a narrow margin).
        if let Some((last, _)) = out.last_mut()
            && last.kind == SectionKind::Custom
            && last.lines.is_empty()
            && line.text.split_whitespace().count() <= 3
        {
            let joined = format!("{} {}", last.heading, line.text.trim());
            if let Some(k) = classify_heading(&joined) {
                last.kind = k;
                last.heading = joined.trim_end_matches(':').to_string();
                continue;
            }
        }
        match kind {
            Some(kind) => out.push((
                Section {
                    kind,
                    heading: line.text.trim().trim_end_matches(':').trim().to_string(),
                    lines: vec![],
                },
                vec![],
            )),
            None => {
                if line.text.trim().is_empty() {
                    continue;
                }
                let last = out.last_mut().expect("non-empty");
                last.0.lines.push(line.text.trim().to_string());
                last.1.push(i);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Option<SectionKind>) {
        let line = Line { text: text.to_string(), page: 1, ..Line::default() };
        assert_eq!(heading_kind(&line), expected, "{text:?}");
    }

    #[test]
    fn headings() {
        use SectionKind::*;
        check("WORK EXPERIENCE", Some(Experience));
        check("Professional Experience:", Some(Experience));
        check("Employment History", Some(Experience));
        check("E X P E R I E N C E", Some(Experience));
        check("Education & Training", Some(Education));
        check("Academic Background", Some(Education));
        check("Technical Skills", Some(Skills));
        check("Core Competencies", Some(Skills));
        check("Licenses & Certifications", Some(Certifications));
        check("Skills & Interests", Some(Skills));
        check("About Me", Some(Summary));
        check("Volunteer Work", Some(Volunteering));
        check("Honors and Awards", Some(Awards));
        check("MISSION-CRITICAL WINS", Some(Custom));
        check("Skills: Python, Rust, Go", None);
        check("Led the experience redesign for 3 products", None);
        check("Acme Corp", None);
        check("PROFESSIONA L EXPERIENC E", Some(Experience));
        check("ED UC A TION", Some(Education));
        check("SENIOR DESIGN ENGINEER", None);
        check("EXECUTIVE EXPERIENCE", Some(Experience));
        check("Leadership Experience", Some(Experience));
        check("Professional Background", Some(Experience));
        check("Engineering Leadership Experience", Some(Experience));
        check("Volunteer Experience", Some(Volunteering));
        check("Technical Skills", Some(Skills));
        check("Selected Publications", Some(Publications));
        check("5 years of experience", None);
        check("Head of Customer Experience", None);
        check("## Experience", Some(Experience));
        check("**Work History**", Some(Experience));
    }

    #[test]
    fn normalization() {
        assert_eq!(normalize_heading("Education & Training:"), "education and training");
        assert_eq!(normalize_heading("W O R K   E X P E R I E N C E"), "work experience");
    }
}
