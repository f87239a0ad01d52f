//! From extracted lines to a structured resume: sections, contact, experience, education,
//! skills.

pub mod confidence;
pub mod contact;
pub mod dates;
pub mod entries;
pub mod sections;

use crate::extract::{Extracted, Line};
use crate::skills::Taxonomy;
use qoder_domain::{ParsedResume, SectionKind, SkillMention};

/// Read the structure of a resume from its extracted lines.
pub fn parse(extracted: &Extracted, _today: (i32, u8)) -> ParsedResume {
    parse_lines(&extracted.lines, extracted.facts.clone(), Taxonomy::builtin())
}

/// Build the skills taxonomy and compile every pattern the parser uses on ASCII text, so the
/// first real parse in a process does not pay for it (`analyze` does this on another thread
/// while the parse worker reads the file).
pub fn warm_up() {
    let _ = Taxonomy::builtin();
    contact::warm_up();
    dates::warm_up();
    entries::warm_up();
    sections::warm_up();
}

/// Parse plain text (one visual line per line), e.g. a pasted resume.
pub fn parse_text(text: &str) -> ParsedResume {
    let lines: Vec<Line> = text
        .lines()
        .map(|l| Line {
            text: l.to_string(),
            page: 1,
            bullet: entries::bullet_glyph(l),
            heading_hint: false,
        })
        .collect();
    parse_lines(&lines, Default::default(), Taxonomy::builtin())
}

/// Markdown and letter-spacing taken off a line's text, so that a plain-text or Markdown
/// resume reads like any other: `## Experience` → `Experience`, `**Senior Engineer (2012 -
/// 2017)**` → `Senior Engineer (2012 - 2017)`, `[GitHub](https://github.com/x)` →
/// `GitHub https://github.com/x`, `J O H N  D O E` → `JOHN DOE`.
pub fn clean_markup(text: &str) -> String {
    let mut t = text.trim();
    let hashes = t.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
        t = t[hashes..].trim_start();
    }
    let mut out = t.replace("**", "").replace("__", "").replace('`', "");
    // Links: [text](url) → text url.
    while let Some(open) = out.find("](") {
        let Some(start) = out[..open].rfind('[') else { break };
        let Some(close) = out[open..].find(')').map(|i| open + i) else { break };
        let label = out[start + 1..open].to_string();
        let url = out[open + 2..close].to_string();
        let url = url.trim_start_matches("mailto:").trim_start_matches("tel:");
        let joined = if label.trim() == url.trim() || label.contains(url.trim()) {
            label.clone()
        } else {
            format!("{label} {url}")
        };
        out.replace_range(start..=close, &joined);
    }
    // Emphasis with single stars or underscores around words: "*Acme Corp*", "*Project
    // Engineer* — Feb 2023 – Present", "_Lead_".
    for mark in ['*', '_'] {
        out = strip_emphasis(&out, mark);
    }
    // Composed characters: LuaTeX and some PDF fonts draw "ö" as "o" + U+0308.
    use unicode_normalization::UnicodeNormalization;
    let out = unspace_letters(&out);
    if out.is_ascii() { out } else { out.nfc().collect() }
}

/// `*text*` → `text`: an opening mark at the start or after a space, followed by a non-space,
/// closed by a mark after a non-space and before a space, punctuation or the end. A list marker
/// ("* item") and marks inside words (snake_case, 2*3) stay.
fn strip_emphasis(s: &str, mark: char) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let opens = chars[i] == mark
            && (i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(')
            && chars.get(i + 1).is_some_and(|c| !c.is_whitespace() && *c != mark);
        if opens {
            let close = (i + 2..chars.len()).find(|&j| {
                chars[j] == mark
                    && !chars[j - 1].is_whitespace()
                    && chars.get(j + 1).is_none_or(|c| !c.is_alphanumeric())
            });
            if let Some(j) = close {
                out.extend(&chars[i + 1..j]);
                i = j + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Text set with letter-spacing and read glyph by glyph ("S E N I O R   E N G I N E E R",
/// "j o h n . d o e @ m a i l . c o m") joined back: words are the runs separated by two or
/// more spaces, or, when there are none, the whole run.
fn unspace_letters(text: &str) -> String {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let singles = tokens.iter().filter(|t| t.chars().count() == 1).count();
    if tokens.len() < 6 || singles * 10 < tokens.len() * 9 {
        return text.to_string();
    }
    if text.contains("  ") {
        text.split("  ")
            .map(|w| w.split_whitespace().collect::<String>())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        tokens.concat()
    }
}

/// Drop Markdown rules and turn setext underlines (`Experience` / `----------`) into a heading
/// hint on the line above.
fn clean_lines(lines: &[Line]) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for l in lines {
        let t = l.text.trim();
        let rule =
            t.len() >= 3 && t.chars().all(|c| matches!(c, '-' | '=' | '*' | '_' | '─' | '━'));
        // Page furniture ("Page 1 of 2", "- 2 -") is not resume content.
        let lower = t.to_lowercase();
        let page_mark = (lower.starts_with("page ")
            && lower
                .split_whitespace()
                .nth(1)
                .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit())))
            || (t.len() <= 9
                && t.trim_matches(|c: char| c == '-' || c == ' ')
                    .chars()
                    .all(|c| c.is_ascii_digit())
                && t.contains('-')
                && t.chars().any(|c| c.is_ascii_digit()));
        if page_mark && t.split_whitespace().count() <= 4 {
            continue;
        }
        if rule {
            if let Some(prev) = out.last_mut()
                && t.chars().all(|c| c == '-' || c == '=')
                && !prev.bullet
                && prev.text.split_whitespace().count() <= 5
            {
                prev.heading_hint = true;
            }
            continue;
        }
        let text = clean_markup(&l.text);
        // "**Title**" and "*Company*" are emphasis, not list items.
        let emphasis = t.starts_with("**")
            || t.starts_with("__")
            || (t.starts_with('*') && !t.starts_with("* "));
        let bullet = if emphasis {
            entries::bullet_glyph(&text)
        } else {
            l.bullet || entries::bullet_glyph(&text)
        };
        let hashes = t.chars().take_while(|&c| c == '#').count();
        let was_heading = (1..=6).contains(&hashes) && t[hashes..].starts_with(' ');
        out.push(Line { bullet, heading_hint: l.heading_hint || was_heading, text, ..l.clone() });
    }
    out
}

pub fn parse_lines(
    lines: &[Line],
    facts: qoder_domain::DocumentFacts,
    taxonomy: &Taxonomy,
) -> ParsedResume {
    let lines = &clean_lines(lines)[..];
    let segmented = sections::segment(lines);
    let all: Vec<String> =
        lines.iter().map(|l| l.text.trim().to_string()).filter(|l| !l.is_empty()).collect();
    let header = &segmented[0].0.lines;
    let mut contact = contact::extract(header, &all);
    // Contact details in a page header or footer (which many ATSs skip, and the ATS report says
    // so) are still the candidate's: read them when the body lacks them.
    if !facts.header_footer_text.is_empty() {
        let hf: Vec<String> = facts
            .header_footer_text
            .iter()
            .flat_map(|t| t.lines())
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        let extra = contact::extract(&hf, &hf);
        contact.name = contact.name.or(extra.name);
        contact.email = contact.email.or(extra.email);
        contact.phone = contact.phone.or(extra.phone);
        contact.location = contact.location.or(extra.location);
        for l in extra.links {
            if !contact.links.contains(&l) {
                contact.links.push(l);
            }
        }
    }

    contact::apply_link_targets(&mut contact, &facts.link_targets);

    let mut experience = Vec::new();
    let mut education = Vec::new();
    let mut summary_lines: Vec<String> = Vec::new();
    for (section, idx) in &segmented {
        let flags: Vec<bool> = idx.iter().map(|&i| lines[i].bullet).collect();
        match section.kind {
            SectionKind::Experience => {
                experience.extend(entries::experience(&section.lines, &flags))
            }
            SectionKind::Education => education.extend(entries::education(&section.lines, &flags)),
            SectionKind::Summary => summary_lines.extend(section.lines.iter().cloned()),
            _ => {}
        }
    }
    let summary = (!summary_lines.is_empty()).then(|| summary_lines.join(" "));

    // Organisation names are not skills ("Brisa Logistics", "Institute of Technology").
    let names: Vec<String> = experience
        .iter()
        .filter_map(|e: &qoder_domain::Experience| e.employer.clone())
        .chain(education.iter().filter_map(|e: &qoder_domain::Education| e.institution.clone()))
        .filter(|n| n.len() >= 3)
        .collect();
    let sections_only: Vec<qoder_domain::Section> =
        segmented.iter().map(|(s, _)| s.clone()).collect();
    let mut skills = find_skills_masked(&sections_only, taxonomy, &names);
    add_listed_items(&mut skills, &sections_only, taxonomy);
    let mut confidence = confidence::of_contact(&contact, header, &all);
    confidence.extend(confidence::of_experience(&experience, &all));
    ParsedResume {
        confidence,
        contact,
        summary,
        sections: segmented.into_iter().map(|(s, _)| s).collect(),
        experience,
        education,
        skills,
        document: facts,
        text: all.join("\n"),
    }
}

/// Proficiency and filler words that label an item rather than name one.
const LEVEL_WORDS: &[&str] = &[
    "proficient",
    "advanced",
    "intermediate",
    "beginner",
    "basic",
    "expert",
    "familiar",
    "native",
    "fluent",
    "working knowledge",
    "strong",
    "excellent",
    "good",
    "etc",
    "others",
    "and more",
];

/// The items of one skills-section line as written: the label ("Tools:") dropped, split on list
/// separators, "A and B" split when both are known skills, a parenthesised list kept apart from
/// its item ("Data Analysis (SQL, Python)" → "Data Analysis", "SQL", "Python").
pub fn list_items(line: &str, taxonomy: &Taxonomy) -> Vec<String> {
    let body = match line.split_once(':') {
        Some((label, rest)) if label.split_whitespace().count() <= 4 && !rest.trim().is_empty() => {
            rest
        }
        _ => line,
    };
    // Parenthesised lists become items of their own.
    let mut flat = String::new();
    let mut inner: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    for c in body.chars() {
        match c {
            '(' | '[' => {
                depth += 1;
                if depth == 1 {
                    cur.clear();
                    continue;
                }
            }
            ')' | ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    inner.push(std::mem::take(&mut cur));
                    continue;
                }
            }
            _ => {}
        }
        if depth > 0 { cur.push(c) } else { flat.push(c) }
    }
    let mut out: Vec<String> = Vec::new();
    let pieces = std::iter::once(flat.as_str()).chain(inner.iter().map(String::as_str));
    for piece in pieces {
        for raw in piece.split([',', ';', '|', '•', '·', '▪', '◦', '●', '\t']) {
            let item = raw
                .trim()
                .trim_start_matches(['-', '*', '–', '&'])
                .trim_end_matches(['.', '-', '–', '&', ':'])
                .trim();
            let both_known = |sep: &str| {
                item.split_once(sep).filter(|(a, b)| {
                    taxonomy.lookup(a.trim()).is_some() && taxonomy.lookup(b.trim()).is_some()
                })
            };
            if let Some((a, b)) = both_known(" and ").or_else(|| both_known(" & ")) {
                out.push(a.trim().to_string());
                out.push(b.trim().to_string());
            } else {
                let item = item.trim_start_matches("and ").trim();
                out.push(item.to_string());
            }
        }
    }
    out.retain(|i| {
        let lower = i.to_lowercase();
        let words = i.split_whitespace().count();
        (1..=5).contains(&words)
            && i.chars().count() <= 48
            && i.chars().any(char::is_alphabetic)
            && !LEVEL_WORDS.contains(&lower.as_str())
            && !dates::has_date(i)
            && !i.contains('@')
    });
    out
}

/// What a resume lists under a skills heading is a skill as written: items the taxonomy does
/// not know ("Full-Cycle Recruiting", "WMS Systems") are kept as uncategorised skills, so they
/// reach the JSON Resume export and the ATS checks; known ones are already in `skills` under
/// their canonical name.
fn add_listed_items(
    skills: &mut Vec<SkillMention>,
    sections: &[qoder_domain::Section],
    taxonomy: &Taxonomy,
) {
    let mut seen: std::collections::HashSet<String> = skills
        .iter()
        .flat_map(|s| {
            std::iter::once(s.name.to_lowercase())
                .chain(s.surface_forms.iter().map(|f| f.to_lowercase()))
        })
        .collect();
    for section in sections.iter().filter(|s| s.kind == SectionKind::Skills) {
        for line in join_wrapped(&section.lines, true) {
            // A sentence in a skills section ("Comfortable presenting to executives.") is not
            // a list of items.
            if !is_list_line(&line) && line.split_whitespace().count() > 5 {
                continue;
            }
            for item in list_items(&line, taxonomy) {
                let key = item.to_lowercase();
                if seen.contains(&key) {
                    continue;
                }
                seen.insert(key);
                if let Some(i) = taxonomy.lookup(&item) {
                    let sk = taxonomy.get(i);
                    if skills.iter().any(|m| m.name == sk.name) {
                        continue;
                    }
                    skills.push(SkillMention {
                        name: sk.name.clone(),
                        category: sk.category,
                        kind: sk.kind,
                        sections: vec![SectionKind::Skills],
                        count: 1,
                        surface_forms: vec![item],
                    });
                    continue;
                }
                skills.push(SkillMention {
                    name: item.clone(),
                    category: qoder_domain::SkillCategory::Other,
                    kind: qoder_domain::SkillKind::Hard,
                    sections: vec![SectionKind::Skills],
                    count: 1,
                    surface_forms: vec![item],
                });
            }
        }
    }
}

/// Every taxonomy skill in the resume, with the sections it appears in and how often.
pub fn find_skills(sections: &[qoder_domain::Section], taxonomy: &Taxonomy) -> Vec<SkillMention> {
    find_skills_masked(sections, taxonomy, &[])
}

// Industries: in prose they say where someone worked ("a B2B SaaS company", "e-commerce
// retailer"), not what they can do; in a skills list they count.
// The list is data: models/words/industries.txt.
use crate::words::INDUSTRIES;

/// Lists wrapped over several visual lines ("Cloud: AWS, Azure," / "Kubernetes, Helm") joined
/// back into one line, so a skill split across the wrap ("Stakeholder" / "Management") is whole.
fn join_wrapped(lines: &[String], skills_section: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        let t = line.trim();
        let continues = out.last().is_some_and(|prev: &String| {
            let prev = prev.trim_end();
            let open = prev.ends_with([',', '·', '|', ';', '•', '&', '/']);
            let labelled_prev =
                prev.split_once(':').is_some_and(|(l, _)| l.split_whitespace().count() <= 4);
            let labelled_next =
                t.split_once(':').is_some_and(|(l, _)| l.split_whitespace().count() <= 4);
            open || (skills_section && labelled_prev && !labelled_next && !prev.ends_with('.'))
        });
        match out.last_mut() {
            Some(prev) if continues => {
                prev.push(' ');
                prev.push_str(t);
            }
            _ => out.push(t.to_string()),
        }
    }
    out
}

/// A line that lists things ("Python, Go, Rust", "Tools: Jira | Figma") rather than a sentence
/// that happens to have commas: most of its comma- or bar-separated pieces are short.
fn is_list_line(line: &str) -> bool {
    let body = match line.split_once(':') {
        Some((label, rest)) if label.split_whitespace().count() <= 4 => rest,
        _ => line,
    };
    let pieces: Vec<&str> = body
        .split([',', '|', '•', '·', ';', '▪'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if pieces.len() < 3 && !(pieces.len() == 2 && body.len() < line.len()) {
        return false;
    }
    let short = pieces.iter().filter(|p| p.split_whitespace().count() <= 4).count();
    short * 10 >= pieces.len() * 7
}

/// A broad field word ("Logistics", "Banking", "Teaching") rather than a named tool or method:
/// in running prose it usually describes the industry, not a skill the candidate claims.
fn is_field_word(skill: &crate::skills::Skill) -> bool {
    use qoder_domain::SkillCategory as C;
    let one_word = !skill.name.contains([' ', '-', '/', '.', '+', '#']);
    let titlecase = skill.name.chars().skip(1).all(|c| c.is_lowercase());
    let proper_noun_category = matches!(
        skill.category,
        C::ProgrammingLanguage | C::Framework | C::Library | C::Database | C::Cloud | C::Tool
    );
    one_word && titlecase && !proper_noun_category && skill.kind == qoder_domain::SkillKind::Hard
}

/// Skills, ignoring the given organisation names. Where a skill is found decides whether it
/// counts: anything in a skills list does; a broad field word in prose, or a skill seen only in the
/// header or the education section (a degree's field, a job title), does not.
pub fn find_skills_masked(
    sections: &[qoder_domain::Section],
    taxonomy: &Taxonomy,
    org_names: &[String],
) -> Vec<SkillMention> {
    let mut out: Vec<SkillMention> = Vec::new();
    let mut index: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    // Skills seen in a list context, or in the prose of experience-like sections.
    let mut strong: std::collections::HashSet<usize> = std::collections::HashSet::new();
    for section in sections {
        let ctx = section.kind == SectionKind::Skills;
        for raw in &join_wrapped(&section.lines, ctx) {
            let mut line = raw.clone();
            for n in org_names {
                if line.contains(n.as_str()) {
                    line = line.replace(n.as_str(), " ");
                }
            }
            let line = &line;
            // "Languages: Python, Go" style labelled lists count as skills context.
            let list_ctx = ctx || is_list_line(line);
            for f in taxonomy.find_in_line(line, list_ctx) {
                let sk = taxonomy.get(f.skill);
                let prose_section = matches!(
                    section.kind,
                    SectionKind::Experience
                        | SectionKind::Projects
                        | SectionKind::Summary
                        | SectionKind::Volunteering
                        | SectionKind::Certifications
                        | SectionKind::Awards
                        | SectionKind::Publications
                        | SectionKind::Custom
                );
                if sk.category == qoder_domain::SkillCategory::Language || sk.certification {
                    // Spoken languages and certificates have sections of their own.
                    continue;
                }
                let industry = INDUSTRIES.contains(&sk.name.to_lowercase().as_str());
                if (list_ctx
                    && !matches!(
                        section.kind,
                        SectionKind::Languages | SectionKind::Certifications | SectionKind::Awards
                    ))
                    || (prose_section && !is_field_word(sk) && !industry)
                {
                    strong.insert(f.skill);
                }
                let skill = taxonomy.get(f.skill);
                let i = *index.entry(f.skill).or_insert_with(|| {
                    out.push(SkillMention {
                        name: skill.name.clone(),
                        category: skill.category,
                        kind: skill.kind,
                        sections: vec![],
                        count: 0,
                        surface_forms: vec![],
                    });
                    out.len() - 1
                });
                let m = &mut out[i];
                m.count += 1;
                if !m.sections.contains(&section.kind) {
                    m.sections.push(section.kind);
                }
                if !m.surface_forms.contains(&f.surface) {
                    m.surface_forms.push(f.surface);
                }
            }
        }
    }
    let mut by_pos: Vec<usize> = vec![usize::MAX; out.len()];
    for (&skill, &pos) in &index {
        by_pos[pos] = skill;
    }
    let mut pos = 0;
    out.retain(|_| {
        pos += 1;
        strong.contains(&by_pos[pos - 1])
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skills_list_items_as_labels_without_values() {
        let t = Taxonomy::builtin();
        assert_eq!(list_items("Rostering:", t), vec!["Rostering"]);
        assert_eq!(
            list_items("Food & Beverage Operations:", t),
            vec!["Food & Beverage Operations"]
        );
        assert_eq!(list_items("Tools: Figma, Miro", t), vec!["Figma", "Miro"]);
    }

    #[test]
    fn a_plain_text_resume() {
        let r = parse_text(
            "Ana Souza
Lisbon, Portugal | ana.souza@example.com | +351 912 345 678
linkedin.com/in/anasouza

SUMMARY
Backend engineer with 6 years of experience.

EXPERIENCE
Senior Backend Engineer — Talkdesk — Lisbon, Portugal
Mar 2021 – Present
• Built event pipelines in Kotlin and Kafka serving 40M events/day
• Mentored 4 engineers

Backend Engineer, Farfetch, 2018 – 2021
• Migrated services to Kubernetes, cutting costs by 30%

EDUCATION
Universidade de Lisboa
MSc in Computer Science, 2018

SKILLS
Kotlin, Java, Go, PostgreSQL, Kafka, Kubernetes, AWS
",
        );
        assert_eq!(r.contact.name.as_deref(), Some("Ana Souza"));
        assert_eq!(r.contact.email.as_deref(), Some("ana.souza@example.com"));
        assert_eq!(r.contact.phone.as_deref(), Some("+351 912 345 678"));
        assert_eq!(r.contact.location.as_deref(), Some("Lisbon, Portugal"));
        let kinds: Vec<SectionKind> = r.sections.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SectionKind::Header,
                SectionKind::Summary,
                SectionKind::Experience,
                SectionKind::Education,
                SectionKind::Skills
            ]
        );
        assert_eq!(r.experience.len(), 2, "{:#?}", r.experience);
        assert_eq!(r.experience[0].employer.as_deref(), Some("Talkdesk"));
        assert_eq!(r.experience[0].title.as_deref(), Some("Senior Backend Engineer"));
        assert!(r.experience[0].current);
        assert_eq!(r.experience[1].employer.as_deref(), Some("Farfetch"));
        assert_eq!(r.education.len(), 1);
        assert_eq!(r.education[0].degree.as_deref(), Some("MSc"));
        let skills: Vec<&str> = r.skills.iter().map(|s| s.name.as_str()).collect();
        for s in ["Kotlin", "Java", "Go", "PostgreSQL", "Kubernetes"] {
            assert!(skills.contains(&s), "{s} missing from {skills:?}");
        }
    }
}

/// Snapshot tests of the parsed structure for short inputs, one per failure class of real
/// resumes (issue 12): a rule change shows its effect on every case here. Update with
/// `UPDATE_EXPECT=1 cargo test -p qoder-analysis --lib structure::snapshots`.
#[cfg(test)]
mod snapshots {
    use super::parse_text;
    use expect_test::{Expect, expect};
    use std::fmt::Write;

    fn check(text: &str, want: Expect) {
        let r = parse_text(text);
        let mut out = String::new();
        let c = &r.contact;
        let _ = writeln!(
            out,
            "name={:?} email={:?} phone={:?} location={:?}",
            c.name, c.email, c.phone, c.location
        );
        for s in &r.sections {
            let _ = writeln!(out, "section {:?} {:?} ({} lines)", s.kind, s.heading, s.lines.len());
        }
        for e in &r.experience {
            let _ = writeln!(
                out,
                "job title={:?} employer={:?} location={:?} {:?}..{:?} current={}",
                e.title,
                e.employer,
                e.location,
                e.start.map(|d| d.iso()),
                e.end.map(|d| d.iso()),
                e.current
            );
            for b in &e.bullets {
                let _ = writeln!(out, "  - {b}");
            }
        }
        let skills: Vec<&str> = r.skills.iter().map(|s| s.name.as_str()).collect();
        let _ = writeln!(out, "skills={skills:?}");
        want.assert_eq(&out);
    }

    #[test]
    fn pipe_separated_positions_under_a_qualified_heading() {
        check(
            "Dana Whitfield
dana@example.com | 607.379.5733

EXECUTIVE EXPERIENCE
Snowflake | Chief Technology Officer | San Mateo, CA | 2019 - Present
• Grew engineering from 300 to 1,100 people
Oracle | Vice President, Engineering | Redwood City, CA | 2012 - 2019
• Ran the database cloud group
",
            expect![[r#"
                name=Some("Dana Whitfield") email=Some("dana@example.com") phone=Some("607.379.5733") location=Some("San Mateo, CA")
                section Header "" (2 lines)
                section Experience "EXECUTIVE EXPERIENCE" (4 lines)
                job title=Some("Chief Technology Officer") employer=Some("Snowflake") location=Some("San Mateo, CA") Some("2019")..None current=true
                  - Grew engineering from 300 to 1,100 people
                job title=Some("Vice President") employer=Some("Oracle") location=Some("Redwood City, CA") Some("2012")..Some("2019") current=false
                  - Ran the database cloud group
                skills=["Databases"]
            "#]],
        );
    }

    #[test]
    fn name_beside_contact_facts_and_markdown_positions() {
        check(
            "Barry Allen (123) 456-7890
barry.allen@example.com

## Experience

**Senior Hadoop Engineer (2012 - 2017)**
*Central City Labs*
- Built a 40-node Hadoop cluster for
  genomics research
- Cut batch times by 35%

## Skills
Hadoop, Spark, Full-Cycle Recruiting, Stakeholder Management, Docker and Kubernetes, Data Analysis (SQL, Python)
",
            expect![[r#"
                name=Some("Barry Allen") email=Some("barry.allen@example.com") phone=Some("(123) 456-7890") location=None
                section Header "" (2 lines)
                section Experience "Experience" (5 lines)
                section Skills "Skills" (1 lines)
                job title=Some("Senior Hadoop Engineer") employer=Some("Central City Labs") location=None Some("2012")..Some("2017") current=false
                  - Built a 40-node Hadoop cluster for genomics research
                  - Cut batch times by 35%
                skills=["Hadoop", "Apache Spark", "Recruiting", "Stakeholder Management", "Docker", "Kubernetes", "Data Analysis", "SQL", "Python"]
            "#]],
        );
    }

    #[test]
    fn wrapped_and_hyphenated_bullets() {
        check(
            "Mei Tan
mei.tan@example.com

Professional Experience
Backend Engineer, Acme Inc — Jan 2020 – Present
• Introduced gRPC between internal services and an affiliate-facing
REST gateway
• Imple-
mented blue-green deploys across 12 services
• Mentored 3 engineers
Acme Inc
Software Engineer  2018 – 2019
• Wrote the billing service
",
            expect![[r#"
                name=Some("Mei Tan") email=Some("mei.tan@example.com") phone=None location=None
                section Header "" (2 lines)
                section Experience "Professional Experience" (9 lines)
                job title=Some("Backend Engineer") employer=Some("Acme Inc") location=None Some("2020-01")..None current=true
                  - Introduced gRPC between internal services and an affiliate-facing REST gateway
                  - Implemented blue-green deploys across 12 services
                  - Mentored 3 engineers
                  - Acme Inc
                job title=Some("Software Engineer") employer=Some("Acme Inc") location=None Some("2018")..Some("2019") current=false
                  - Wrote the billing service
                skills=["Backend Development", "gRPC", "REST APIs"]
            "#]],
        );
    }

    #[test]
    fn title_at_company_and_international_contact() {
        check(
            "François Müller, PhD
françois.müller@société.fr · +33 6 12 34 56 78 · Lyon, France

Relevant Experience
Data Scientist at Société Générale (Mar 2019 – Feb 2023)
- Built credit-risk models in Python
Senior Analyst, BNP Paribas, since 2023
- Leads a team of 4 analysts
",
            expect![[r#"
                name=Some("François Müller") email=Some("françois.müller@société.fr") phone=Some("+33 6 12 34 56 78") location=Some("Lyon, France")
                section Header "" (2 lines)
                section Experience "Relevant Experience" (4 lines)
                job title=Some("Data Scientist") employer=Some("Société Générale") location=None Some("2019-03")..Some("2023-02") current=false
                  - Built credit-risk models in Python
                job title=Some("Senior Analyst") employer=Some("BNP Paribas") location=None Some("2023")..None current=true
                  - Leads a team of 4 analysts
                skills=["Risk Modeling", "Python"]
            "#]],
        );
    }

    #[test]
    fn linkedin_print_with_durations_and_roles_under_one_company() {
        check(
            "Jane Doe
Senior Product Manager at Stripe
San Francisco Bay Area
Experience
Stripe
4 years 2 months
Senior Product Manager
January 2022 - Present (2 years 11 months)
San Francisco, California, United States
Led the Billing roadmap.
Product Manager
November 2020 - January 2022 (1 year 3 months)
Launched invoicing.
Square
Associate Product Manager
June 2017 - October 2020 (3 years 5 months)
Owned seller onboarding.
Page 1 of 2
",
            expect![[r#"
                name=Some("Jane Doe") email=None phone=None location=Some("San Francisco, California, United States")
                section Header "" (3 lines)
                section Experience "Experience" (13 lines)
                job title=Some("Senior Product Manager") employer=Some("Stripe") location=Some("San Francisco, California, United States") Some("2022-01")..None current=true
                  - Led the Billing roadmap.
                job title=Some("Product Manager") employer=Some("Stripe") location=Some("San Francisco, California, United States") Some("2020-11")..Some("2022-01") current=false
                  - Launched invoicing.
                job title=Some("Associate Product Manager") employer=Some("Square") location=None Some("2017-06")..Some("2020-10") current=false
                  - Owned seller onboarding.
                skills=[]
            "#]],
        );
    }
}
