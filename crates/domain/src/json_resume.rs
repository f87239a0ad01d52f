//! JSON Resume (https://jsonresume.org/schema, v1.0.0): the standard exchange format of a
//! parsed resume. Fields we cannot fill are left out rather than guessed.

use crate::resume::{LinkKind, ParsedResume, SectionKind};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct JsonResume {
    #[serde(rename = "$schema")]
    pub schema: String,
    pub basics: Basics,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub work: Vec<Work>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volunteer: Vec<Work>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub education: Vec<EducationEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<Award>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<Certificate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub publications: Vec<Publication>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<SkillGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<LanguageEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interests: Vec<Interest>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<Project>,
    pub meta: Meta,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Basics {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<Profile>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Profile {
    pub network: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Work {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct EducationEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub study_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Award {
    pub title: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Certificate {
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Publication {
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SkillGroup {
    pub name: String,
    pub keywords: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LanguageEntry {
    pub language: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fluency: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Interest {
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Project {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Meta {
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
}

pub const SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json";

/// Items of a list-like section: one per line, bullets stripped, empty lines dropped.
fn items(resume: &ParsedResume, kind: SectionKind) -> Vec<String> {
    resume
        .sections
        .iter()
        .filter(|s| s.kind == kind)
        .flat_map(|s| s.lines.iter())
        .map(|l| crate::bullet::strip(l).to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

impl From<&ParsedResume> for JsonResume {
    fn from(r: &ParsedResume) -> Self {
        let c = &r.contact;
        let profiles = c
            .links
            .iter()
            .filter(|l| l.kind != LinkKind::Portfolio)
            .map(|l| Profile {
                network: match l.kind {
                    LinkKind::Linkedin => "LinkedIn",
                    LinkKind::Github => "GitHub",
                    LinkKind::Gitlab => "GitLab",
                    LinkKind::Stackoverflow => "Stack Overflow",
                    LinkKind::Twitter => "Twitter",
                    LinkKind::Portfolio => "Website",
                }
                .to_string(),
                username: l
                    .url
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .filter(|u| !u.contains('.'))
                    .map(str::to_string),
                url: l.url.clone(),
            })
            .collect();
        let basics = Basics {
            name: c.name.clone(),
            label: r.experience.first().and_then(|e| e.title.clone()),
            email: c.email.clone(),
            phone: c.phone.clone(),
            url: c.links.iter().find(|l| l.kind == LinkKind::Portfolio).map(|l| l.url.clone()),
            summary: r.summary.clone(),
            location: c.location.as_ref().map(|loc| {
                let mut parts = loc.split(',').map(str::trim);
                Location {
                    address: None,
                    city: parts.next().map(str::to_string),
                    region: parts.next().map(str::to_string),
                    country_code: None,
                }
            }),
            profiles,
        };
        let work = r
            .experience
            .iter()
            .map(|e| Work {
                name: e.employer.clone(),
                position: e.title.clone(),
                location: e.location.clone(),
                start_date: e.start.map(|d| d.iso()),
                end_date: if e.current { None } else { e.end.map(|d| d.iso()) },
                highlights: e.bullets.clone(),
            })
            .collect();
        let education = r
            .education
            .iter()
            .map(|e| EducationEntry {
                institution: e.institution.clone(),
                area: e.field.clone(),
                study_type: e.degree.clone(),
                start_date: e.start.map(|d| d.iso()),
                end_date: e.end.map(|d| d.iso()),
                score: e.gpa.clone(),
            })
            .collect();
        let mut groups: Vec<SkillGroup> = Vec::new();
        for s in &r.skills {
            let name = s.category.as_str().replace('_', " ");
            match groups.iter_mut().find(|g| g.name == name) {
                Some(g) => g.keywords.push(s.name.clone()),
                None => groups.push(SkillGroup { name, keywords: vec![s.name.clone()] }),
            }
        }
        JsonResume {
            schema: SCHEMA_URL.to_string(),
            basics,
            work,
            volunteer: items(r, SectionKind::Volunteering)
                .into_iter()
                .map(|l| Work { highlights: vec![l], ..Work::default() })
                .collect(),
            education,
            awards: items(r, SectionKind::Awards)
                .into_iter()
                .map(|title| Award { title })
                .collect(),
            certificates: items(r, SectionKind::Certifications)
                .into_iter()
                .map(|name| Certificate { name })
                .collect(),
            publications: items(r, SectionKind::Publications)
                .into_iter()
                .map(|name| Publication { name })
                .collect(),
            skills: groups,
            languages: items(r, SectionKind::Languages)
                .into_iter()
                .flat_map(|l| split_languages(&l))
                .collect(),
            interests: items(r, SectionKind::Interests)
                .into_iter()
                .map(|name| Interest { name })
                .collect(),
            projects: items(r, SectionKind::Projects)
                .into_iter()
                .map(|name| Project { name, highlights: vec![] })
                .collect(),
            meta: Meta { version: "v1.0.0".to_string(), canonical: None },
        }
    }
}

/// "English (native), German – B2" → two entries with their fluency.
fn split_languages(line: &str) -> Vec<LanguageEntry> {
    line.split([',', ';', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            if let Some((lang, rest)) = p.split_once('(') {
                LanguageEntry {
                    language: lang.trim().to_string(),
                    fluency: Some(rest.trim_end_matches(')').trim().to_string()),
                }
            } else if let Some((lang, rest)) =
                p.split_once(" - ").or_else(|| p.split_once(" – ")).or_else(|| p.split_once(':'))
            {
                LanguageEntry {
                    language: lang.trim().to_string(),
                    fluency: Some(rest.trim().to_string()),
                }
            } else {
                LanguageEntry { language: p.to_string(), fluency: None }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resume::{Contact, Experience, Link, PartialDate, Section};

    #[test]
    fn exports_the_schema_fields() {
        let r = ParsedResume {
            contact: Contact {
                name: Some("Ana Souza".into()),
                email: Some("ana@example.com".into()),
                location: Some("Lisbon, Portugal".into()),
                links: vec![Link {
                    kind: LinkKind::Github,
                    url: "https://github.com/anasouza".into(),
                }],
                ..Contact::default()
            },
            experience: vec![Experience {
                employer: Some("Acme".into()),
                title: Some("Engineer".into()),
                start: Some(PartialDate { year: 2020, month: Some(3) }),
                current: true,
                bullets: vec!["Built things".into()],
                ..Experience::default()
            }],
            sections: vec![Section {
                kind: SectionKind::Languages,
                heading: "Languages".into(),
                lines: vec!["English (native), German - B2".into()],
            }],
            ..ParsedResume::default()
        };
        let j = serde_json::to_value(JsonResume::from(&r)).unwrap();
        assert_eq!(j["basics"]["name"], "Ana Souza");
        assert_eq!(j["basics"]["profiles"][0]["network"], "GitHub");
        assert_eq!(j["basics"]["profiles"][0]["username"], "anasouza");
        assert_eq!(j["basics"]["location"]["city"], "Lisbon");
        assert_eq!(j["work"][0]["startDate"], "2020-03");
        assert!(j["work"][0].get("endDate").is_none());
        assert_eq!(j["languages"][1]["language"], "German");
        assert_eq!(j["languages"][1]["fluency"], "B2");
        assert_eq!(j["meta"]["version"], "v1.0.0");
    }
}
