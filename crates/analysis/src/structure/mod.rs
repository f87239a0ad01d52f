//! From extracted lines to a structured resume: sections, contact, experience, education,
//! skills.

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

/// Build the skills taxonomy and compile every pattern the parser uses, so the first real parse
/// in a process does not pay for it.
pub fn warm_up() {
    let _ = parse_text(
        "Jo Doe\njo@example.com | +1 555 010 0000 | Austin, TX\nEXPERIENCE\nEngineer, Acme Inc, Jan 2020 - Present\n- Built 3 services in Rust\nEDUCATION\nBSc Computer Science, State University, 2019\nSKILLS\nRust, Go",
    );
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

pub fn parse_lines(
    lines: &[Line],
    facts: qoder_domain::DocumentFacts,
    taxonomy: &Taxonomy,
) -> ParsedResume {
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
    let skills = find_skills_masked(&sections_only, taxonomy, &names);
    ParsedResume {
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

/// Every taxonomy skill in the resume, with the sections it appears in and how often.
pub fn find_skills(sections: &[qoder_domain::Section], taxonomy: &Taxonomy) -> Vec<SkillMention> {
    find_skills_masked(sections, taxonomy, &[])
}

/// Industries: in prose they say where someone worked ("a B2B SaaS company", "e-commerce
/// retailer"), not what they can do; in a skills list they count.
const INDUSTRIES: &[&str] = &[
    "e-commerce",
    "ecommerce",
    "software as a service",
    "saas",
    "fintech",
    "healthtech",
    "edtech",
    "insurtech",
    "proptech",
    "retail",
    "banking",
    "insurance",
    "manufacturing",
    "logistics",
    "telecommunications",
    "hospitality",
    "construction",
    "pharmaceuticals",
    "automotive",
    "aerospace",
    "energy",
    "oil and gas",
    "media",
    "government",
    "non-profit",
    "nonprofit",
    "real estate",
    "consulting",
    "management consulting",
    "fashion",
    "gaming",
    "agriculture",
    "biotechnology",
    "food service",
    "public sector",
    "defense",
    "defence",
    "utilities",
    "transportation",
    "travel",
    "tourism",
    "education",
    "healthcare",
    "mining",
    "shipping",
];

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
