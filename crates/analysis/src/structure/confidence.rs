//! How sure the parser is of what it read: one [`FieldConfidence`] per contact field and per
//! position's title, employer and dates, each with the line it came from and the reason, so the
//! app can ask the user to confirm what is uncertain instead of silently getting it wrong.

use super::contact;
use qoder_domain::{Contact, Experience, FieldConfidence};

/// The first line holding `value` (case-insensitive), with its index.
fn source<'a>(lines: &'a [String], value: &str) -> Option<(usize, &'a String)> {
    let v = value.to_lowercase();
    lines.iter().enumerate().find(|(_, l)| l.to_lowercase().contains(&v))
}

fn field(
    name: &str,
    value: Option<&str>,
    confidence: f32,
    line: Option<&String>,
    reason: &str,
) -> FieldConfidence {
    FieldConfidence {
        field: name.to_string(),
        value: value.map(str::to_string),
        confidence: (confidence * 100.0).round() / 100.0,
        source_line: line.cloned(),
        reason: reason.to_string(),
    }
}

/// Confidence of the contact fields. `header` is the block before the first heading; `all`
/// every line; `from_links` says the email came from the file's `mailto:` link.
pub fn of_contact(c: &Contact, header: &[String], all: &[String]) -> Vec<FieldConfidence> {
    let mut out = Vec::new();
    // Name.
    match &c.name {
        None => out.push(field("name", None, 0.0, None, "no line reads as a person's name")),
        Some(n) => {
            let (conf, reason, line) = match source(all, n) {
                Some((i, l)) if i <= 2 && l.trim() == n.as_str() => {
                    (0.95, "the name stands alone at the top of the resume", Some(l))
                }
                Some((i, l)) if i <= 2 => {
                    (0.8, "the name shares its line with other details", Some(l))
                }
                Some((_, l)) if header.iter().any(|h| h == l) => {
                    (0.75, "the name is in the header block, below other lines", Some(l))
                }
                Some((_, l)) => (0.55, "the name was not at the top of the resume", Some(l)),
                None => (0.5, "the name was put together from two lines", None),
            };
            // Two words in capitals that could be a heading, or one very common word pair,
            // are less sure than a name with mixed case.
            let conf = if n.split_whitespace().count() > 4 { conf - 0.2 } else { conf };
            out.push(field("name", Some(n), conf, line, reason));
        }
    }
    // Email.
    match &c.email {
        None => out.push(field("email", None, 0.0, None, "no email address found")),
        Some(e) => match source(all, e) {
            Some((_, l)) if header.iter().any(|h| h == l) => out.push(field(
                "email",
                Some(e),
                0.99,
                Some(l),
                "a well-formed address in the header",
            )),
            Some((_, l)) => out.push(field(
                "email",
                Some(e),
                0.9,
                Some(l),
                "a well-formed address below the header",
            )),
            None => out.push(field(
                "email",
                Some(e),
                0.85,
                None,
                "read from the file's email link, not from its text",
            )),
        },
    }
    // Phone.
    match &c.phone {
        None => out.push(field("phone", None, 0.0, None, "no phone number found")),
        Some(p) => {
            let digits = p.chars().filter(char::is_ascii_digit).count();
            let line = source(all, p).map(|(_, l)| l);
            let in_header = line.is_some_and(|l| header.iter().any(|h| h == l));
            let labelled = line.is_some_and(|l| {
                let lower = l.to_lowercase();
                ["phone", "tel", "mobile", "cell"].iter().any(|k| lower.contains(k))
            });
            let (conf, reason) = if (in_header || labelled) && (10..=13).contains(&digits) {
                (0.95, "a phone number on a contact line")
            } else if in_header || labelled {
                (0.8, "an unusual number of digits for a phone number")
            } else {
                (0.6, "a number on a short line outside the header")
            };
            out.push(field("phone", Some(p), conf, line, reason));
        }
    }
    // Location.
    if let Some(loc) = &c.location {
        let line = source(all, loc).map(|(_, l)| l);
        let in_header = line.is_some_and(|l| header.iter().any(|h| h == l));
        let (conf, reason) = if in_header && contact::looks_like_location(loc) {
            (0.9, "a city and region or country in the header")
        } else if in_header {
            (0.75, "a place in the header without a region or country")
        } else {
            (0.5, "a place found outside the header (it may be an employer's city)")
        };
        out.push(field("location", Some(loc), conf, line, reason));
    }
    out
}

/// Confidence of each position's title, employer and dates.
pub fn of_experience(jobs: &[Experience], all: &[String]) -> Vec<FieldConfidence> {
    let mut out = Vec::new();
    for (i, e) in jobs.iter().enumerate() {
        let dated = e.start.is_some() || e.end.is_some();
        let line_of =
            |v: &Option<String>| v.as_deref().and_then(|v| source(all, v)).map(|(_, l)| l);
        let title_line = line_of(&e.title);
        let (conf, reason) = match (&e.title, dated) {
            (None, _) => (0.0, "no job title found for this position"),
            (Some(t), true) if super::entries::names_a_role_or_org(t) => {
                (0.9, "a role word next to the position's dates")
            }
            (Some(_), true) => (0.65, "no role word (engineer, manager…) in the title"),
            (Some(_), false) => (0.55, "the position has no dates, so where it starts is a guess"),
        };
        out.push(field(
            &format!("experience[{i}].title"),
            e.title.as_deref(),
            conf,
            title_line,
            reason,
        ));
        let emp_line = line_of(&e.employer);
        let (conf, reason) = match &e.employer {
            None => (0.0, "no employer found for this position"),
            Some(m) if m.split_whitespace().count() > 6 || m.ends_with('.') => {
                (0.35, "the employer reads like a sentence")
            }
            Some(_) if emp_line.is_some() && emp_line == title_line => {
                (0.85, "on the same line as the title")
            }
            Some(_) if dated => (0.8, "next to the position's title and dates"),
            Some(_) => (0.55, "the position has no dates"),
        };
        out.push(field(
            &format!("experience[{i}].employer"),
            e.employer.as_deref(),
            conf,
            emp_line,
            reason,
        ));
        let dates = match (e.start, e.end, e.current) {
            (Some(s), _, true) => Some(format!("{} – present", s.iso())),
            (Some(s), Some(t), _) => Some(format!("{} – {}", s.iso(), t.iso())),
            (None, Some(t), _) => Some(t.iso()),
            (Some(s), None, false) => Some(s.iso()),
            _ => None,
        };
        let (conf, reason) = match (e.start, e.end, e.current) {
            (Some(_), Some(_), _) | (Some(_), None, true) => {
                (0.9, "a start and an end (or present)")
            }
            (None, Some(_), _) => (0.55, "only one date: taken as the end"),
            _ => (0.3, "no dates found for this position"),
        };
        out.push(field(
            &format!("experience[{i}].dates"),
            dates.as_deref(),
            conf,
            title_line,
            reason,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::parse_text;

    #[test]
    fn clear_fields_are_sure_and_missing_ones_ask() {
        let r = parse_text(
            "Ana Souza\nana@example.com | +351 912 345 678 | Lisbon, Portugal\n\nEXPERIENCE\nBackend Engineer, Talkdesk, 2019 – Present\n• Built pipelines\nPlumbing Wizardry\n• Fixed leaks",
        );
        let get = |f: &str| r.confidence.iter().find(|c| c.field == f).expect(f);
        assert!(!get("name").needs_confirmation(), "{:?}", get("name"));
        assert!(!get("email").needs_confirmation());
        assert!(!get("phone").needs_confirmation());
        assert!(!get("experience[0].title").needs_confirmation());
        assert_eq!(get("name").source_line.as_deref(), Some("Ana Souza"));
        let r = parse_text("SUMMARY\nI like building things.\n");
        let name = r.confidence.iter().find(|c| c.field == "name").expect("name");
        assert!(name.needs_confirmation());
        assert_eq!(name.value, None);
    }
}
