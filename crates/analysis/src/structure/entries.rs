//! Experience and education entries: header lines anchored on dates, then bullets.

use super::contact::looks_like_location;
use super::dates::{self, DateRange};
use crate::words::{DEGREE_ABBREVIATIONS, DEGREES, INSTITUTION_WORDS, ORG_WORDS, TITLE_WORDS};
use qoder_domain::{Education, Experience, bullet};
use regex_lite::Regex;
use std::sync::LazyLock;

/// The line starts with a bullet glyph.
pub fn bullet_glyph(line: &str) -> bool {
    bullet::starts_item(line)
}

pub fn strip_bullet(line: &str) -> String {
    bullet::strip(line).to_string()
}

fn words_lower(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// Role words by their ending ("-ologist", "-ician", "-therapist", "-scientist"…). Only
/// endings that name roles: surnames end in "-ist" too (Lindqvist, Holmqvist).
fn role_by_suffix(w: &str) -> bool {
    // The list is data: models/words/role_endings.txt.
    use crate::words::ROLE_ENDINGS as ENDINGS;
    w.len() >= 6 && ENDINGS.iter().any(|e| w.ends_with(e))
}

fn title_score(s: &str) -> i32 {
    words_lower(s)
        .iter()
        .map(|w| w.trim_end_matches([',', '.', ':']).trim_matches('/'))
        .filter(|w| TITLE_WORDS.contains(w) || role_by_suffix(w))
        .count() as i32
}

fn org_score(s: &str) -> i32 {
    let lower = s.to_lowercase();
    let ws = words_lower(s);
    ORG_WORDS
        .iter()
        .filter(|o| if o.contains(' ') { lower.contains(*o) } else { ws.iter().any(|w| w == *o) })
        .count() as i32
}

/// Whether the text has a word naming a role or an organisation (so it is not a place).
pub fn names_a_role_or_org(s: &str) -> bool {
    title_score(s) > 0 || org_score(s) > 0
}

static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(?:\||•|·|◦|▪|—|–|\s-\s|\t|\s{3,}|\bat\b|@)\s*").expect("split regex")
});

/// Split on strong separators, then on commas unless the piece is a place ("Austin, TX").
fn split_parts(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    'pieces: for piece in SPLIT.split(text) {
        let piece = clean_part(piece);
        let parts: Vec<&str> = piece.split(", ").collect();
        // "Brightleaf Cosmetics, Sydney, NSW", "CTO, Snowflake, Nairobi, Kenya": an
        // organisation before a place. The place is the shortest tail that reads as one and does not start with a region code ("TX, USA" is
        // the tail of "Austin, TX, USA", not a place of its own).
        for k in (1..parts.len().saturating_sub(1)).rev() {
            let head = parts[k].trim();
            let code = head.len() <= 3 && head.chars().all(|c| c.is_ascii_uppercase());
            let tail = parts[k..].join(", ");
            if !code && looks_like_location(&tail) {
                // "San Francisco, California, United States": a state or province keeps its
                // city with it.
                // ("New York, NY" is a city and its state code: no.)
                let last = parts[parts.len() - 1].trim();
                let coded = last.len() <= 3 && last.chars().all(|c| c.is_ascii_uppercase());
                let k = if REGIONS.contains(&head.to_lowercase().as_str()) && !coded {
                    k - 1
                } else {
                    k
                };
                out.extend(parts[..k].iter().map(|p| clean_part(p)));
                out.push(clean_part(&parts[k..].join(", ")));
                continue 'pieces;
            }
        }
        if looks_like_location(&piece) {
            out.push(piece);
            continue;
        }
        out.extend(parts.into_iter().map(clean_part));
    }
    out
}

// States and provinces written out after a city ("Austin, Texas, United States").
// The list is data: models/words/regions.txt.
use crate::words::REGIONS;

fn clean_part(s: &str) -> String {
    s.trim()
        .trim_matches(|c: char| {
            c == ',' || c == '|' || c == '-' || c == '–' || c == '(' || c == ')'
        })
        .trim()
        .to_string()
}

/// The parts of an entry's header lines, with the date range cut out.
fn header_parts(lines: &[String], range: Option<&(usize, DateRange)>) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let mut text = line.clone();
        if let Some((li, r)) = range
            && *li == i
        {
            text = format!("{} {}", &line[..r.span.0], &line[r.span.1..]);
        }
        // A "Title, Employer" line wrapped by a narrow column ("Senior Software Engineer,
        // Northwind" / "Traders"): one or two capitalised words alone on the next line, that are
        // not a place, a role or a date, continue the employer.
        let continuation =
            i > 0 && range.is_none_or(|(li, _)| *li != i) && continues_header(&lines[i - 1], &text);
        if continuation && let Some(last) = parts.last_mut() {
            last.push(' ');
            last.push_str(text.trim());
            continue;
        }
        for p in split_parts(&text) {
            if p.chars().any(char::is_alphabetic) && !dates::has_date(&p) {
                parts.push(p);
            } else if p.chars().any(char::is_alphabetic) {
                // A part with a stray single date (e.g. "Graduated 2016"): keep the words.
                if let Some(r) = dates::find_range_or_date(&p) {
                    let rest = clean_part(&format!("{}{}", &p[..r.span.0], &p[r.span.1..]));
                    if rest.chars().any(char::is_alphabetic) {
                        parts.push(rest);
                    }
                }
            }
        }
    }
    parts
}

/// Whether `line` is the rest of a "Title, Employer" header line `prev` wrapped by a narrow
/// column ("Senior Software Engineer, Northwind" / "Traders"): one or two capitalised words
/// alone, not a place, a role or a date.
fn continues_header(prev: &str, line: &str) -> bool {
    let t = line.trim();
    prev.contains(',')
        && !prev.trim_end().ends_with(',')
        && !dates::has_date(prev)
        && (1..=2).contains(&t.split_whitespace().count())
        && t.split_whitespace().all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && split_parts(t).len() == 1
        && !dates::has_date(t)
        && !looks_like_location(t)
        && title_score(t) == 0
        && !super::sections::is_entry_label(t)
}

/// A block of lines that belongs to one entry: header lines and the lines after them.
struct Block {
    header: Vec<String>,
    body: Vec<String>,
    /// Which body lines were marked as list items by the file (a DOCX numbering).
    body_flags: Vec<bool>,
    range: Option<(usize, DateRange)>,
}

/// Whether a line reads like a sentence of description rather than an entry header.
fn is_prose(line: &str) -> bool {
    let words = line.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count();
    words > 12 || (words > 6 && line.trim_end().ends_with('.'))
}

/// A line that can be part of an entry's header (employer, title, location, dates) rather than
/// a description: short, not opening with an action verb, and naming a role, an organisation or
/// a place, or written in capitalised words.
fn headerish(line: &str) -> bool {
    if is_prose(line) || line.split_whitespace().count() > 10 {
        return false;
    }
    let first = line
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphabetic())
        .to_lowercase();
    if crate::ats::ACTION_VERBS.contains(&first.as_str()) {
        return false;
    }
    let words: Vec<&str> =
        line.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).collect();
    let capitalised = words
        .iter()
        .filter(|w| w.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase))
        .count();
    // A sentence of description: a verb in the past tense first ("Rolled out a manager
    // training programme…"), or mostly lower-case words.
    let past_tense = first.len() > 4 && first.ends_with("ed");
    if words.len() >= 5 && (past_tense || capitalised * 10 < words.len() * 3) {
        return false;
    }
    names_a_role_or_org(line)
        || split_parts(line).iter().any(|p| looks_like_location(p))
        || dates::has_date(line)
        || (!words.is_empty() && capitalised * 10 >= words.len() * 6)
}

/// Group a section's lines into entries. An entry's header is the run of short, non-bullet lines
/// around a date range; everything up to the next header is its body.
fn blocks(lines: &[String], bullet_flags: &[bool], single_dates: bool) -> Vec<Block> {
    let find = |l: &str| {
        if single_dates { dates::find_range_or_date(l) } else { dates::find_range(l) }
    };
    let is_bullet =
        |i: usize| bullet_flags.get(i).copied().unwrap_or(false) || bullet_glyph(&lines[i]);
    let anchors: Vec<usize> = (0..lines.len())
        .filter(|&i| !is_bullet(i) && find(&lines[i]).is_some() && !is_prose(&lines[i]))
        .collect();
    if anchors.is_empty() {
        return Vec::new();
    }
    // How many header lines come before the date line is a property of the layout, so it is
    // read from the first entry (the lines before the first date line, at most 2) and applied to
    // all: "Company / Title  Dates" has one, "Title  Dates / Company" has none.
    let lead = {
        let a0 = anchors[0];
        let mut n = 0;
        while n < 2 && n < a0 && !is_bullet(a0 - n - 1) && headerish(&lines[a0 - n - 1]) {
            n += 1;
        }
        n
    };
    let mut starts = Vec::with_capacity(anchors.len());
    for (k, &a) in anchors.iter().enumerate() {
        let floor = if k == 0 { 0 } else { anchors[k - 1] + 1 };
        let mut s = a;
        while s > floor && a - s < lead {
            let prev = s - 1;
            if is_bullet(prev) || !headerish(&lines[prev]) {
                break;
            }
            s = prev;
        }
        // A header line wrapped onto a second line counts as one.
        if s > floor
            && s < a
            && !is_bullet(s - 1)
            && headerish(&lines[s - 1])
            && continues_header(&lines[s - 1], &lines[s])
        {
            s -= 1;
        }
        starts.push(s);
    }
    let mut out = Vec::new();
    for (k, &a) in anchors.iter().enumerate() {
        let start = starts[k];
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let mut header: Vec<String> = lines[start..=a].to_vec();
        let mut body_start = a + 1;
        // One more header line after the date line when it is short and not a bullet
        // (Company / Title  Dates / Location).
        while body_start < end
            && header.len() < 4
            && !is_bullet(body_start)
            && headerish(&lines[body_start])
            && !super::sections::is_entry_label(&lines[body_start])
        {
            header.push(lines[body_start].clone());
            body_start += 1;
        }
        let li = a - start;
        let range = find(&lines[a]).map(|r| (li, r));
        let body_range = body_start.min(end)..end;
        let body_flags =
            body_range.clone().map(|i| bullet_flags.get(i).copied().unwrap_or(false)).collect();
        out.push(Block { header, body: lines[body_range].to_vec(), body_flags, range });
    }
    out
}

// Words that leave a sentence open at the end of a visual line.
// The list is data: models/words/open_endings.txt.
use crate::words::OPEN_ENDINGS;

/// The body's lines as bullets. A visual line continues the bullet above when it is not marked
/// as an item itself and either starts in lower case, follows an open ending ("… and an"), or —
/// in a list whose items are marked — is simply the next line of a marked item ("Introduced
/// gRPC between services and an affiliate-facing" / "REST gateway"). A word hyphenated across
/// the break is joined ("Imple-" / "mented").
static OPEN_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<start>(?:[a-z]{3,9}\.?\s+)?(?:19|20)\d{2}|(?:0?[1-9]|1[0-2])/(?:19|20)\d{2})\s*(?:–|—|-|to)\s*(?P<rest>.*)$")
        .expect("open range regex")
});
static RANGE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<end>present|current|now|today|ongoing|(?:[a-z]{3,9}\.?\s+)?(?:19|20)\d{2}|(?:0?[1-9]|1[0-2])/(?:19|20)\d{2})\b\s*(?P<rest>.*)$")
        .expect("range end regex")
});

static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(?\s*\d{1,2}\s*(?:years?|yrs?)(?:\s*,?\s*\d{1,2}\s*(?:months?|mos?))?\s*\)?|\(?\s*\d{1,2}\s*(?:months?|mos?)\s*\)?|\bless than a year\b")
        .expect("duration regex")
});

/// Lengths of service as LinkedIn prints them: a line of its own under an employer ("4 years
/// 2 months") is dropped, and one after a date range ("January 2022 - Present (2 years 11
/// months)") is cut off, so neither is read as an employer or a title.
fn drop_durations(lines: &[String], flags: &[bool]) -> (Vec<String>, Vec<bool>) {
    let mut out = Vec::with_capacity(lines.len());
    let mut out_flags = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        let whole = DURATION.find(t).is_some_and(|m| m.start() == 0 && m.end() == t.len());
        if whole {
            continue;
        }
        let mut text = l.clone();
        if let Some(r) = dates::find_range(l)
            && let Some(m) = DURATION.find(&l[r.span.1..])
            && l[r.span.1..r.span.1 + m.start()].trim().is_empty()
        {
            text = format!("{}{}", &l[..r.span.1], &l[r.span.1 + m.end()..]);
        }
        out.push(text);
        out_flags.push(flags.get(i).copied().unwrap_or(false));
    }
    (out, out_flags)
}

/// A date column that wraps its range over two lines (moderncv: "Oct 2024 – Chief Technology
/// Officer, Snowflake" / "Present ○ Owned a $22M budget"): the range is put back together on the
/// first line, after its text, and the end taken off the second.
fn join_split_ranges(lines: &[String], flags: &[bool]) -> (Vec<String>, Vec<bool>) {
    let mut out = lines.to_vec();
    let mut out_flags: Vec<bool> =
        (0..lines.len()).map(|i| flags.get(i).copied().unwrap_or(false)).collect();
    for i in 0..lines.len().saturating_sub(1) {
        if dates::find_range(&out[i]).is_some() {
            continue;
        }
        let Some(a) = OPEN_RANGE.captures(out[i].trim()) else { continue };
        let Some(b) = RANGE_END.captures(out[i + 1].trim()) else { continue };
        let range = format!("{} – {}", &a["start"], &b["end"]);
        if dates::find_range(&range).is_none() {
            continue;
        }
        let first = format!("{} {range}", a["rest"].trim());
        let second = b["rest"].trim().to_string();
        out[i] = first;
        out_flags[i + 1] = out_flags[i + 1] || bullet_glyph(&second);
        out[i + 1] = second;
    }
    (out, out_flags)
}

/// Entries without dates: a short header-like line (not a bullet, not a sentence) followed by
/// at least one bullet opens an entry; a second header line right after it joins the header.
fn undated_blocks(lines: &[String], bullet_flags: &[bool]) -> Vec<Block> {
    let is_bullet =
        |i: usize| bullet_flags.get(i).copied().unwrap_or(false) || bullet_glyph(&lines[i]);
    let opens = |i: usize| {
        !is_bullet(i)
            && headerish(&lines[i])
            && names_a_role_or_org(&lines[i])
            && (i + 1..(i + 3).min(lines.len())).any(is_bullet)
    };
    let mut starts: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if opens(i) {
            starts.push(i);
            // A second header line (Title / Company).
            if i + 1 < lines.len() && !is_bullet(i + 1) {
                i += 1;
            }
        }
        i += 1;
    }
    let mut out = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let mut h = s + 1;
        if h < end && !is_bullet(h) && headerish(&lines[h]) {
            h += 1;
        }
        let header = lines[s..h].to_vec();
        let body_flags = (h..end).map(|i| bullet_flags.get(i).copied().unwrap_or(false)).collect();
        out.push(Block { header, body: lines[h..end].to_vec(), body_flags, range: None });
    }
    out
}

fn bullets_of(body: &[String], flags: &[bool]) -> Vec<String> {
    let marked = |i: usize| flags.get(i).copied().unwrap_or(false) || bullet_glyph(&body[i]);
    let any_marked = (0..body.len()).any(marked);
    let mut out: Vec<String> = Vec::new();
    let mut last_marked = false;
    for (i, line) in body.iter().enumerate() {
        let text = strip_bullet(line);
        if text.is_empty() {
            continue;
        }
        let lower_start = text.chars().next().is_some_and(char::is_lowercase);
        let continues = match out.last() {
            None => false,
            Some(_) if marked(i) => false,
            Some(prev) => {
                let prev = prev.trim_end();
                let closed = prev.ends_with(['.', '!', '?', ':', ';']);
                let last_word = prev.rsplit(' ').next().unwrap_or("").to_lowercase();
                let open = prev.ends_with([',', '-', '–', '/', '&', '('])
                    || OPEN_ENDINGS.contains(&last_word.as_str());
                let labelled =
                    text.split_once(':').is_some_and(|(l, _)| l.split_whitespace().count() <= 3);
                // The employer line of the next role ("Acme Inc") after a finished bullet.
                let next_header = !open
                    && text.split_whitespace().count() <= 6
                    && org_score(&text) > 0
                    && title_score(&text) == 0
                    && !text.ends_with(['.', ','])
                    && text
                        .split_whitespace()
                        .all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()));
                lower_start
                    || (open && !closed)
                    || (any_marked && last_marked && !closed && !labelled && !next_header)
            }
        };
        if continues && let Some(last) = out.last_mut() {
            let hyphenated = last.ends_with('-')
                && last.chars().rev().nth(1).is_some_and(char::is_alphabetic)
                && lower_start;
            if hyphenated {
                last.pop();
            } else {
                last.push(' ');
            }
            last.push_str(&text);
        } else {
            out.push(text);
            last_marked = marked(i);
        }
    }
    out
}

/// Experience entries of an experience-like section.
pub fn experience(lines: &[String], bullet_flags: &[bool]) -> Vec<Experience> {
    // Dated positions; else positions dated by a single date ("Summer 2019"); else undated
    // positions (a header line above its bullets), so a section never reads as empty because
    // its dates were not found.
    let (lines, bullet_flags) = &drop_durations(lines, bullet_flags);
    let (lines, bullet_flags) = (&lines[..], &bullet_flags[..]);
    let (lines, bullet_flags) = &join_split_ranges(lines, bullet_flags);
    let (lines, bullet_flags) = (&lines[..], &bullet_flags[..]);
    let mut found = blocks(lines, bullet_flags, false);
    if found.is_empty() {
        found = blocks(lines, bullet_flags, true);
    }
    if found.is_empty() {
        found = undated_blocks(lines, bullet_flags);
    }
    found
        .into_iter()
        .map(|b| {
            let parts = header_parts(&b.header, b.range.as_ref());
            let mut e = Experience {
                start: b.range.as_ref().and_then(|(_, r)| r.start),
                end: b.range.as_ref().and_then(|(_, r)| r.end),
                current: b.range.as_ref().is_some_and(|(_, r)| r.current),
                bullets: bullets_of(&b.body, &b.body_flags),
                ..Experience::default()
            };
            let mut rest: Vec<String> = Vec::new();
            for p in parts {
                if e.location.is_none() && looks_like_location(&p) {
                    e.location = Some(p);
                } else {
                    rest.push(p);
                }
            }
            // Title: the part that reads most like a role; employer: the best organisation
            // among the others, else the first other part.
            let title_idx = rest
                .iter()
                .enumerate()
                .filter(|(_, p)| title_score(p) > 0)
                .max_by_key(|(i, p)| (title_score(p) - org_score(p), -(*i as i32)))
                .map(|(i, _)| i);
            if let Some(i) = title_idx {
                e.title = Some(rest.remove(i));
            }
            let org_idx = rest
                .iter()
                .enumerate()
                .max_by_key(|(i, p)| (org_score(p), -(*i as i32)))
                .map(|(i, _)| i);
            if let Some(i) = org_idx {
                e.employer = Some(rest.remove(i));
            }
            if e.title.is_none() && !rest.is_empty() {
                e.title = Some(rest.remove(0));
            }
            if e.location.is_none()
                && let Some(p) = rest.first()
                && p.split_whitespace().count() <= 3
                && p.chars().next().is_some_and(char::is_uppercase)
                && !names_a_role_or_org(p)
            {
                e.location = Some(p.clone());
            }
            e
        })
        .map(|mut e| {
            // "Keystone Builders, Singapore" read whole as a place when nothing else named the
            // employer: an organisation of two or more words before a country or region.
            if e.employer.is_none()
                && let Some(loc) = e.location.clone()
                && let Some((org, place)) = loc.rsplit_once(", ")
                && (org.split_whitespace().count() >= 2 || org_score(org) > 0)
                && !org.contains(',')
            {
                e.employer = Some(org.trim().to_string());
                e.location = Some(place.trim().to_string());
            }
            e
        })
        .fold(Vec::new(), |mut out: Vec<Experience>, mut e| {
            // Several roles at one employer: "Acme Corp" then "Senior Engineer 2021 – Present"
            // and "Engineer 2018 – 2021" under it. A role with a title and no employer of its
            // own, right after a role at a named employer, is at that employer.
            if e.employer.is_none()
                && e.title.is_some()
                && let Some(prev) = out.last()
            {
                e.employer = prev.employer.clone();
                if e.location.is_none() {
                    e.location = prev.location.clone();
                }
            }
            out.push(e);
            out
        })
}

static EDU_SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(?:\||•|·|◦|▪|—|–|\s-\s|\t|\s{3,}|,\s)\s*").expect("split regex")
});

static GPA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:c?gpa|grade point average)\s*[:\-]?\s*(\d(?:\.\d{1,2})?)(?:\s*/\s*(\d(?:\.\d{1,2})?))?|(\d\.\d{1,2})\s*/\s*4(?:\.0{1,2})?\b")
        .expect("gpa regex")
});

/// Abbreviations that are also words ("as", "be", "march"): only with dots or in capitals.
const RISKY_ABBREVIATIONS: &[&str] =
    &["as", "be", "ma", "med", "march", "aa", "ms", "bed", "dec", "bn"];

/// The position of the first word that starts a degree ("Bachelor", "B.Sc.", "LL.M.", "Laurea").
fn degree_start(part: &str) -> Option<usize> {
    let lower = part.to_lowercase();
    let original: Vec<&str> = part.split_whitespace().collect();
    let ws: Vec<&str> = lower.split_whitespace().collect();
    ws.iter().enumerate().position(|(i, w)| {
        let w = w.trim_matches(|c: char| c == ',' || c == '(' || c == ')' || c == ':');
        if DEGREES.contains(&w) || DEGREES.contains(&w.trim_end_matches('.')) {
            return true;
        }
        let undotted: String = w.chars().filter(|c| *c != '.').collect();
        if !DEGREE_ABBREVIATIONS.contains(&undotted.as_str()) {
            return false;
        }
        let orig = original.get(i).copied().unwrap_or("");
        !RISKY_ABBREVIATIONS.contains(&undotted.as_str())
            || orig.contains('.')
            || orig.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase())
    })
}

/// Whether the text names a degree or a school (so it is not a section heading).
pub fn names_a_degree_or_school(s: &str) -> bool {
    degree_start(s).is_some() || is_institution(s)
}

fn is_institution(part: &str) -> bool {
    let lower = part.to_lowercase();
    lower.split(|c: char| !c.is_alphanumeric() && c != '\'').any(|w| INSTITUTION_WORDS.contains(&w))
}

/// "Bachelor of Science in Computer Science" → ("Bachelor of Science", "Computer Science").
fn split_degree(part: &str) -> (String, Option<String>) {
    let p = part.trim();
    for sep in [" in ", ", ", " – ", " - ", ": ", " — "] {
        if let Some((d, f)) = p.split_once(sep) {
            let f = f.trim().trim_end_matches([',', '.']);
            if !f.is_empty() && degree_start(d).is_some() {
                return (d.trim().to_string(), Some(f.to_string()));
            }
        }
    }
    // "MSc Data Science", "BSc (Hons) Nursing", "B.S. Computer Science", "MBA".
    let words: Vec<&str> = p.split_whitespace().collect();
    if words.len() >= 2 {
        let mut n = 1;
        while n < words.len()
            && (words[n].starts_with('(')
                || ["of", "in", "hons", "honours", "honors"]
                    .contains(&words[n].to_lowercase().trim_matches(['(', ')']))
                || (words[n - 1].eq_ignore_ascii_case("of")))
        {
            n += 1;
        }
        let lower0 = words[0].to_lowercase();
        let abbrev = lower0.len() <= 6
            && !["bachelor", "master", "doctor", "associate"].iter().any(|x| lower0.starts_with(x));
        if abbrev && n < words.len() {
            let degree = words[..n].join(" ");
            let field = words[n..].join(" ").trim_start_matches("in ").to_string();
            return (degree, Some(field));
        }
    }
    (p.to_string(), None)
}

/// Education entries of an education-like section.
pub fn education(lines: &[String], bullet_flags: &[bool]) -> Vec<Education> {
    // Group by institution or degree lines: each line naming an institution starts a new entry
    // unless the current entry has no institution yet.
    let mut out: Vec<Education> = Vec::new();
    let mut current: Option<Education> = None;
    for (i, line) in lines.iter().enumerate() {
        let bullet = bullet_flags.get(i).copied().unwrap_or(false) || bullet_glyph(line);
        let text = strip_bullet(line);
        let range = dates::find_range_or_date(&text);
        let mut without_date = text.clone();
        if let Some(r) = range {
            without_date = format!("{} {}", &text[..r.span.0], &text[r.span.1..]);
        }
        let parts: Vec<String> = EDU_SPLIT
            .split(&without_date)
            .map(clean_part)
            .filter(|p| p.chars().any(char::is_alphabetic))
            .collect();
        let has_inst = parts.iter().any(|p| is_institution(p));
        let has_degree = parts.iter().any(|p| degree_start(p).is_some());
        let gpa = GPA.captures(&text).map(|c| {
            c.get(1).or_else(|| c.get(3)).map(|m| m.as_str().to_string()).unwrap_or_default()
        });
        let starts_new = match &current {
            None => has_inst || has_degree,
            Some(e) => {
                (has_inst && e.institution.is_some() && !bullet)
                    || (has_degree && e.degree.is_some() && !bullet && !has_inst)
            }
        };
        if starts_new && let Some(e) = current.take() {
            out.push(e);
        }
        if current.is_none() && (has_inst || has_degree) {
            current = Some(Education::default());
        }
        let Some(e) = current.as_mut() else { continue };
        for p in &parts {
            if e.institution.is_none()
                && is_institution(p)
                && degree_start(p)
                    .is_none_or(|_| !p.to_lowercase().starts_with(['b', 'm', 'p', 'd']))
            {
                e.institution = Some(p.clone());
            } else if e.degree.is_none() && degree_start(p).is_some() {
                let (d, f) = split_degree(p);
                e.degree = Some(d);
                if e.field.is_none() {
                    e.field = f;
                }
            } else if e.location.is_none() && looks_like_location(p) {
                e.location = Some(p.clone());
            } else if e.field.is_none()
                && e.degree.is_some()
                && !is_institution(p)
                && p.split_whitespace().count() <= 5
                && !p.to_lowercase().contains("gpa")
            {
                e.field = Some(p.trim_start_matches("in ").to_string());
            }
        }
        if let Some(r) = range
            && e.end.is_none()
        {
            e.start = r.start;
            e.end = r.end;
        }
        if e.gpa.is_none() {
            e.gpa = gpa.filter(|g| !g.is_empty());
        }
    }
    out.extend(current);
    out
}

/// Build this module's patterns now (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    for re in [&SPLIT, &OPEN_RANGE, &RANGE_END, &DURATION, &EDU_SPLIT, &GPA] {
        LazyLock::force(re);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qoder_domain::PartialDate;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
    }

    #[test]
    fn a_title_employer_line_wrapped_by_a_narrow_column_and_entry_labels() {
        let e = experience(
            &lines(
                "Staff Software Engineer, Polaris Cloud
                 June 2025 - Present
                 HIGHLIGHTS
                 Built a Go service that ingests 50k events per second into Kafka and ClickHouse
                 Senior Software Engineer, Northwind
                 Traders
                 January 2023 - May 2025
                 HIGHLIGHTS
                 Mentored five engineers and ran the weekly design review",
            ),
            &[],
        );
        assert_eq!(e.len(), 2, "{e:#?}");
        assert_eq!(e[0].title.as_deref(), Some("Staff Software Engineer"));
        assert_eq!(e[0].employer.as_deref(), Some("Polaris Cloud"));
        assert_eq!(e[1].title.as_deref(), Some("Senior Software Engineer"));
        assert_eq!(e[1].employer.as_deref(), Some("Northwind Traders"));
    }

    #[test]
    fn experience_entries_in_common_shapes() {
        // Title | Company | Place | Dates on one line.
        let e = experience(
            &lines(
                "Senior Software Engineer | Acme Corp | Austin, TX | Jan 2020 – Present
                 • Built a Rust service handling 2M requests/day
                 • Cut p99 latency by 35%
                 Data Analyst | Initech LLC | Dallas, TX | 2015–2017
                 Reported KPIs weekly to leadership and automated the reports with Python.",
            ),
            &[],
        );
        assert_eq!(e.len(), 2, "{e:#?}");
        assert_eq!(e[0].title.as_deref(), Some("Senior Software Engineer"));
        assert_eq!(e[0].employer.as_deref(), Some("Acme Corp"));
        assert_eq!(e[0].location.as_deref(), Some("Austin, TX"));
        assert!(e[0].current);
        assert_eq!(e[0].bullets.len(), 2);
        assert_eq!(e[1].title.as_deref(), Some("Data Analyst"));
        assert_eq!(e[1].employer.as_deref(), Some("Initech LLC"));
        assert_eq!(e[1].bullets.len(), 1);

        // Company on its own line above "Title, Dates"; bullets without glyphs.
        let e = experience(
            &lines(
                "Globex Inc
                 Software Engineer, Mar 2017 - Dec 2019
                 Wrote the billing system in Go
                 Ran the on-call rota for 12 engineers
                 Initech LLC
                 Data Analyst at Initech, 2015–2017
                 Reported KPIs weekly",
            ),
            &[],
        );
        assert_eq!(e.len(), 2, "{e:#?}");
        assert_eq!(e[0].employer.as_deref(), Some("Globex Inc"));
        assert_eq!(e[0].title.as_deref(), Some("Software Engineer"));
        assert_eq!(e[0].end, Some(PartialDate { year: 2019, month: Some(12) }));
        assert_eq!(e[0].bullets.len(), 2, "{e:#?}");
        assert_eq!(e[1].title.as_deref(), Some("Data Analyst"));

        // "Title  Dates" then "Company, Place"; the last bullet of an entry is not the next
        // entry's header.
        let e = experience(
            &lines(
                "Senior Engineering Lead Apr 2017 – Dec 2020
                 Camden Commerce, London
                 Ran the affiliate integrations workstream with 40 partner sites
                 Senior Software Engineer Feb 2014 – Mar 2017
                 Camden Commerce, London
                 Built search services in Java with Elasticsearch",
            ),
            &[],
        );
        assert_eq!(e.len(), 2, "{e:#?}");
        assert_eq!(e[0].title.as_deref(), Some("Senior Engineering Lead"));
        assert_eq!(e[0].employer.as_deref(), Some("Camden Commerce"));
        assert_eq!(e[0].location.as_deref(), Some("London"));
        assert_eq!(e[0].bullets.len(), 1);
        assert_eq!(e[1].title.as_deref(), Some("Senior Software Engineer"));
    }

    #[test]
    fn education_entries() {
        let l = lines(
            "University of Texas at Austin — Austin, TX
             Bachelor of Science in Computer Science, May 2016
             GPA: 3.8/4.0
             MSc Data Science, Universität Wien, 2018",
        );
        let e = education(&l, &[]);
        assert_eq!(e.len(), 2, "{e:#?}");
        assert_eq!(e[0].institution.as_deref(), Some("University of Texas at Austin"));
        assert_eq!(e[0].degree.as_deref(), Some("Bachelor of Science"));
        assert_eq!(e[0].field.as_deref(), Some("Computer Science"));
        assert_eq!(e[0].gpa.as_deref(), Some("3.8"));
        assert_eq!(e[1].degree.as_deref(), Some("MSc"));
        assert_eq!(e[1].field.as_deref(), Some("Data Science"));
        assert_eq!(e[1].institution.as_deref(), Some("Universität Wien"));
        assert_eq!(e[1].end, Some(PartialDate { year: 2018, month: None }));
    }
}
