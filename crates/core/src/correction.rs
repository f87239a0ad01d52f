//! A user's corrections of the parse, kept with the version: any contact field, or a position's
//! title, employer or dates. The parser's own result stays stored as it was; the corrections are
//! applied whenever a version's analysis is read ([`analysis`]), so matching, the ATS report and
//! exports all see the corrected values, and the corrected field's confidence becomes 1.0
//! ("confirmed by you").

use crate::{Error, Result};
use chrono::{DateTime, Datelike, Utc};
use qoder_analysis::structure::dates;
use qoder_domain::ids::VersionId;
use qoder_domain::version::VersionDetail;
use qoder_domain::{AtsReport, FieldConfidence, ParsedResume, PartialDate};
use qoder_store::correction::{self, Correction};
use qoder_store::{Connection, Store, activity, version};
use serde_json::json;

/// The reason a corrected or confirmed field gives.
pub const CONFIRMED: &str = "confirmed by you";

/// The longest value a correction takes.
const MAX_VALUE_CHARS: usize = 300;

/// What a field name points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Name,
    Email,
    Phone,
    Location,
    Title(usize),
    Employer(usize),
    Dates(usize),
}

fn target(field: &str) -> Option<Target> {
    Some(match field {
        "name" => Target::Name,
        "email" => Target::Email,
        "phone" => Target::Phone,
        "location" => Target::Location,
        _ => {
            let rest = field.strip_prefix("experience[")?;
            let (n, part) = rest.split_once("].")?;
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || n.len() > 4 {
                return None;
            }
            let i: usize = n.parse().ok()?;
            match part {
                "title" => Target::Title(i),
                "employer" => Target::Employer(i),
                "dates" => Target::Dates(i),
                _ => return None,
            }
        }
    })
}

/// A date range as the confidence list shows it: `2019-03 – present`, `2019 – 2021-06`.
fn show_dates(
    start: Option<PartialDate>,
    end: Option<PartialDate>,
    current: bool,
) -> Option<String> {
    match (start, end, current) {
        (Some(s), _, true) => Some(format!("{} – present", s.iso())),
        (Some(s), Some(t), _) => Some(format!("{} – {}", s.iso(), t.iso())),
        (None, Some(t), _) => Some(t.iso()),
        (Some(s), None, false) => Some(s.iso()),
        _ => None,
    }
}

fn none_if_empty(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// Apply one correction to a parsed resume. `Err` says, for the user, why it cannot be applied
/// (an unknown field, a position the resume does not have, a value that is not a date range…).
/// An empty value clears the field.
pub fn apply(r: &mut ParsedResume, field: &str, value: &str) -> Result<(), String> {
    let Some(t) = target(field) else {
        return Err(format!(
            "unknown field {field:?}: use name, email, phone, location, or experience[N].title, \
             experience[N].employer, experience[N].dates"
        ));
    };
    let v = none_if_empty(value);
    let position = |r: &mut ParsedResume, i: usize| -> Result<usize, String> {
        if i < r.experience.len() {
            Ok(i)
        } else {
            Err(format!(
                "the resume has {} position(s); experience[{i}] is not one of them (they count from 0)",
                r.experience.len()
            ))
        }
    };
    let shown = match t {
        Target::Name => {
            r.contact.name = v.clone();
            v
        }
        Target::Email => {
            if let Some(e) = &v
                && (e.contains(char::is_whitespace) || !e.contains('@') || e.starts_with('@'))
            {
                return Err(format!("{e:?} is not an email address"));
            }
            r.contact.email = v.clone();
            v
        }
        Target::Phone => {
            if let Some(p) = &v
                && p.chars().filter(char::is_ascii_digit).count() < 5
            {
                return Err(format!("{p:?} has too few digits for a phone number"));
            }
            r.contact.phone = v.clone();
            v
        }
        Target::Location => {
            r.contact.location = v.clone();
            v
        }
        Target::Title(i) => {
            let i = position(r, i)?;
            r.experience[i].title = v.clone();
            v
        }
        Target::Employer(i) => {
            let i = position(r, i)?;
            r.experience[i].employer = v.clone();
            v
        }
        Target::Dates(i) => {
            let i = position(r, i)?;
            let (start, end, current) = match &v {
                None => (None, None, false),
                Some(s) => match dates::find_range_or_date(s) {
                    Some(d) => (d.start, d.end, d.current),
                    None => {
                        return Err(format!(
                            "{s:?} is not a date range: write it like \"Jan 2020 – Present\" or \"2019-03 – 2021-06\""
                        ));
                    }
                },
            };
            let e = &mut r.experience[i];
            (e.start, e.end, e.current) = (start, end, current);
            show_dates(start, end, current)
        }
    };
    match r.confidence.iter_mut().find(|c| c.field == field) {
        Some(c) => {
            c.value = shown;
            c.confidence = 1.0;
            c.reason = CONFIRMED.to_string();
        }
        None => r.confidence.push(FieldConfidence {
            field: field.to_string(),
            value: shown,
            confidence: 1.0,
            source_line: None,
            reason: CONFIRMED.to_string(),
        }),
    }
    Ok(())
}

/// The month a version was analysed in: the ATS report is scored as of then.
fn month_of(t: DateTime<Utc>) -> (i32, u8) {
    (t.year(), t.month() as u8)
}

/// A version's analysis with the user's corrections applied: (text, parsed resume, ATS report).
/// With corrections the ATS report is scored again from the corrected resume, as of the month
/// the version was analysed. A stored correction that no longer applies is skipped.
pub fn analysis(
    conn: &Connection,
    id: VersionId,
) -> Result<Option<(String, ParsedResume, AtsReport)>> {
    let Some((text, mut parsed, ats)) = version::analysis(conn, id)? else { return Ok(None) };
    let corrections = correction::for_version(conn, id)?;
    if corrections.is_empty() {
        return Ok(Some((text, parsed, ats)));
    }
    for c in &corrections {
        if let Err(why) = apply(&mut parsed, &c.field, &c.value) {
            tracing::warn!(version = %id, field = %c.field, "stored correction skipped: {why}");
        }
    }
    let analysed = version::get(conn, id)?.map_or_else(Utc::now, |v| v.created_at);
    let ats = qoder_analysis::ats::report(&parsed, month_of(analysed));
    Ok(Some((text, parsed, ats)))
}

/// Correct (or, with the value as read, confirm) one parsed field of a stored version. The
/// correction replaces an earlier one of the same field and is kept with the version (and synced
/// with it). Returns the version's detail as now read.
pub fn correct_field(
    store: &mut Store,
    id: VersionId,
    field: &str,
    value: &str,
) -> Result<VersionDetail> {
    let value = value.trim();
    if value.chars().count() > MAX_VALUE_CHARS || value.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            format!("a value is at most {MAX_VALUE_CHARS} printable characters on one line"),
        ));
    }
    store.write(|tx| {
        let v = version::get(tx, id)?
            .ok_or_else(|| Error::NotFound(format!("version {id} does not exist")))?;
        let (_, mut parsed, _) = analysis(tx, id)?
            .ok_or_else(|| Error::NotFound(format!("version {id} does not exist")))?;
        apply(&mut parsed, field, value).map_err(|why| Error::invalid(field, why))?;
        correction::set(
            tx,
            id,
            &Correction {
                field: field.to_string(),
                value: value.to_string(),
                created_at: Utc::now(),
            },
        )?;
        // The versions list shows the stored score: keep it in step with the corrected report.
        let ats = qoder_analysis::ats::report(&parsed, month_of(v.created_at));
        version::set_ats_score(tx, id, ats.score)?;
        activity::log(tx, "resume_version", &id.to_string(), "correct", &json!({"field": field}))?;
        Ok::<_, Error>(())
    })?;
    crate::resume::detail(store, id)
}

/// The fields of a parse that ask the user to confirm them (under
/// [`FieldConfidence::CONFIRM_BELOW`]), in the parser's order.
pub fn needing_confirmation(r: &ParsedResume) -> Vec<&FieldConfidence> {
    r.confidence.iter().filter(|c| c.needs_confirmation()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed() -> ParsedResume {
        qoder_analysis::structure::parse_text(
            "Ana Souza\nana@example.com | +351 912 345 678 | Lisbon, Portugal\n\nEXPERIENCE\nBackend Engineer, Talkdesk, 2019 – Present\n• Built pipelines\nPlumbing Wizardry, Acme, 2015 – 2018\n• Fixed leaks",
        )
    }

    fn conf<'a>(r: &'a ParsedResume, f: &str) -> &'a FieldConfidence {
        r.confidence
            .iter()
            .find(|c| c.field == f)
            .unwrap_or_else(|| panic!("{f}: {:?}", r.confidence))
    }

    #[test]
    fn field_names() {
        assert_eq!(target("name"), Some(Target::Name));
        assert_eq!(target("experience[12].dates"), Some(Target::Dates(12)));
        for bad in [
            "Name",
            "experience[].title",
            "experience[x].title",
            "experience[0].bullets",
            "experience[0]title",
            "skills",
        ] {
            assert_eq!(target(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_correction_sets_the_value_and_confirms_it() {
        let mut r = parsed();
        assert!(r.experience.len() >= 2, "{:?}", r.experience);
        apply(&mut r, "name", "  Ana M. Souza ").unwrap();
        assert_eq!(r.contact.name.as_deref(), Some("Ana M. Souza"));
        let c = conf(&r, "name");
        assert_eq!(
            (c.value.as_deref(), c.confidence, c.reason.as_str()),
            (Some("Ana M. Souza"), 1.0, CONFIRMED)
        );
        assert_eq!(c.source_line.as_deref(), Some("Ana Souza"), "the line it was read from stays");

        apply(&mut r, "experience[1].title", "Plumbing Lead").unwrap();
        assert_eq!(r.experience[1].title.as_deref(), Some("Plumbing Lead"));
        assert!(!conf(&r, "experience[1].title").needs_confirmation());

        apply(&mut r, "experience[1].dates", "Mar 2014 to present").unwrap();
        let e = &r.experience[1];
        assert_eq!(
            (e.start, e.end, e.current),
            (Some(PartialDate { year: 2014, month: Some(3) }), None, true)
        );
        assert_eq!(conf(&r, "experience[1].dates").value.as_deref(), Some("2014-03 – present"));

        apply(&mut r, "location", "").unwrap();
        assert_eq!(r.contact.location, None, "an empty value clears the field");
    }

    #[test]
    fn what_cannot_be_applied_says_why() {
        let mut r = parsed();
        let before = r.clone();
        assert!(apply(&mut r, "hobbies", "x").unwrap_err().contains("unknown field"));
        assert!(apply(&mut r, "experience[7].title", "x").unwrap_err().contains("position(s)"));
        assert!(
            apply(&mut r, "experience[0].dates", "last summer")
                .unwrap_err()
                .contains("not a date range")
        );
        assert!(apply(&mut r, "email", "ana at example").unwrap_err().contains("not an email"));
        assert!(apply(&mut r, "phone", "12").unwrap_err().contains("digits"));
        assert_eq!(r, before, "a refused correction changes nothing");
    }
}
