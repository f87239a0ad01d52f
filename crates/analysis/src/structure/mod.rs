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
    let contact = contact::extract(header, &all);

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

    let skills =
        find_skills(&segmented.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>(), taxonomy);
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
    let mut out: Vec<SkillMention> = Vec::new();
    let mut index: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for section in sections {
        let ctx = section.kind == SectionKind::Skills;
        for line in &section.lines {
            // "Languages: Python, Go" style labelled lists count as skills context.
            let list_ctx = ctx || line.matches([',', '|', '•', '·', ';']).count() >= 2;
            for f in taxonomy.find_in_line(line, list_ctx) {
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
