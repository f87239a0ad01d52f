//! Contact details: name, email, phone, location and profile links.

use super::dates;
use qoder_domain::{Contact, Link, LinkKind};
use regex::Regex;
/// The ASCII patterns: cheap to build (see `dates::date_regex`).
use regex_lite::Regex as AsciiRegex;
use std::sync::LazyLock;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    // Internationalised addresses too (`françois.müller@société.fr`).
    Regex::new(r"\b[\p{L}\p{N}][\p{L}\p{N}._%+\-]*@[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?)*\.\p{L}{2,24}\b")
        .expect("email regex")
});

static EMAIL_ASCII: LazyLock<AsciiRegex> = LazyLock::new(|| {
    AsciiRegex::new(r"(?-u:\b)[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?-u:\b)")
        .expect("ascii email regex")
});

/// The ASCII twin of a pattern whose Unicode classes all sit inside brackets (`[\p{Lu}]`,
/// `[\p{L}.'\-]`): compiled in well under a millisecond instead of ~10 ms, for the (common)
/// all-ASCII text.
fn ascii_twin(pattern: &str) -> String {
    format!(
        "(?-u){}",
        pattern.replace(r"\p{Lu}", "A-Z").replace(r"\p{Ll}", "a-z").replace(r"\p{L}", "A-Za-z")
    )
}

static LOCATION_ASCII: LazyLock<AsciiRegex> =
    LazyLock::new(|| AsciiRegex::new(&ascii_twin(LOCATION_PATTERN)).expect("ascii location regex"));
static LOCATION_LOOSE_ASCII: LazyLock<AsciiRegex> = LazyLock::new(|| {
    AsciiRegex::new(&ascii_twin(LOCATION_LOOSE_PATTERN)).expect("ascii loose location regex")
});

fn location_match(s: &str) -> bool {
    if s.is_ascii() { LOCATION_ASCII.is_match(s) } else { LOCATION_ASCII.is_match(&ascii_shape(s)) }
}

fn location_loose_match(s: &str) -> bool {
    if s.is_ascii() {
        LOCATION_LOOSE_ASCII.is_match(s)
    } else {
        LOCATION_LOOSE_ASCII.is_match(&ascii_shape(s))
    }
}

/// A text the ASCII twin of a location pattern (whose Unicode classes are letters, upper- and
/// lowercase letters) answers for as the Unicode pattern would: every other letter stands in as
/// `A` (uppercase) or `a` (any other), every other character as DEL, which no class of those
/// patterns holds. "Zürich, Schweiz" → "Zarich, Schweiz", "São Paulo – SP" → "Sao Paulo \x7f SP".
/// Building the Unicode patterns cost ~30 M instructions each, paid in every fresh process
/// that met one non-ASCII candidate line.
fn ascii_shape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            c if c.is_ascii() => c,
            c if c.is_uppercase() => 'A',
            c if c.is_alphabetic() => 'a',
            _ => '\u{7f}',
        })
        .collect()
}

static PHONE: LazyLock<AsciiRegex> = LazyLock::new(|| {
    AsciiRegex::new(r"(?:\+\s?\d{1,3}[\s.\-]?)?(?:\(\s?\d{1,5}\s?\)[\s.\-]?)?\d[\d\s.\-]{5,16}\d(?:\s?(?:x|ext\.?)\s?\d{1,5})?")
        .expect("phone regex")
});

static URL: LazyLock<AsciiRegex> = LazyLock::new(|| {
    AsciiRegex::new(r"(?i)\b(?:https?://)?(?:www\.)?(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:com|org|net|io|dev|me|co|app|info|page|site|tech|xyz|ai|uk|de|fr|es|it|nl|se|no|dk|fi|pl|pt|br|ca|au|in|jp|cn|ru|ch|at|be|ie|nz|us|eu)(?:/[^\s|,;()<>]*)?")
        .expect("url regex")
});

const LOCATION_PATTERN: &str = r"^(?:[\p{Lu}][\p{L}.'\-]*(?:\s+[\p{Lu}\p{Ll}][\p{L}.'\-]*){0,3}),\s*(?:[\p{Lu}][\p{L}.'\-]*(?:\s+[\p{Lu}][\p{L}.'\-]*){0,3}|[A-Z]{2})(?:\s+\d{4,5}(?:-\d{4})?)?(?:,\s*[\p{Lu}][\p{L}.'\-]*(?:\s+[\p{Lu}][\p{L}.'\-]*){0,2})?$";

// Countries and regions people write after a city.
// The list is data: models/words/countries.txt.
use crate::words::COUNTRIES;

/// Separators people put between contact items on one line.
const SEPARATORS: &[char] = &[
    '|', '•', '·', '◦', '▪', '⋅', '●', '–', '—', '\t', '/', '✉', '☎', '📞', '📧', '⌂', '☏', '⚑',
    '✆', '📍', '🏠',
];

pub fn find_email(text: &str) -> Option<String> {
    let joined = join_wrapped_email(text);
    find_email_raw(&joined).map(|e| tidy_email(&e))
}

/// An address broken over two lines by a narrow column ("CHARLOTTE.NGUYEN@EXAM" / "PLE.COM"):
/// the line that ends in an `@` part without a dot is joined to the next line's first word
/// when that word ends the domain.
fn join_wrapped_email(text: &str) -> std::borrow::Cow<'_, str> {
    let lines: Vec<&str> = text.split('\n').collect();
    let wrapped = |a: &str, b: &str| {
        let last = a.trim_end().rsplit(char::is_whitespace).next().unwrap_or("");
        let first = b.trim_start().split(char::is_whitespace).next().unwrap_or("");
        last.split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty() && !d.contains('.'))
            && first.contains('.')
            && !first.contains('@')
            && first.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-')
    };
    if !lines.windows(2).any(|w| wrapped(w[0], w[1])) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if i + 1 < lines.len() && wrapped(lines[i], lines[i + 1]) {
            out.push(format!("{}{}", lines[i].trim_end(), lines[i + 1].trim_start()));
            i += 2;
        } else {
            out.push(lines[i].to_string());
            i += 1;
        }
    }
    std::borrow::Cow::Owned(out.join("\n"))
}

/// An address as found, without what a layout glued to it: a label and the number before it
/// ("7107Emailcallumf@…"), the next label after it ("…@example.orgAddressEdinburgh"); an address
/// set in capitals is written in lower case.
fn tidy_email(e: &str) -> String {
    let Some((local, domain)) = e.split_once('@') else { return e.to_string() };
    let mut local = local;
    for label in ["E-mail", "Email", "EMAIL", "Mail"] {
        if let Some(i) = local.find(label)
            && i > 0
            && local[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit() || c.is_lowercase() || c == ':')
            && local.len() > i + label.len()
        {
            local = &local[i + label.len()..];
            break;
        }
    }
    let mut domain = domain.to_string();
    if let Some((head, tld)) = domain.rsplit_once('.') {
        let cut = tld
            .char_indices()
            .zip(tld.chars().skip(1))
            .find(|((_, a), b)| a.is_lowercase() && b.is_uppercase())
            .map(|((i, a), _)| i + a.len_utf8());
        if let Some(cut) = cut.filter(|&c| c >= 2) {
            domain = format!("{head}.{}", &tld[..cut]);
        }
    }
    let out = format!("{local}@{domain}");
    if out.chars().any(char::is_uppercase) && !out.chars().any(char::is_lowercase) {
        out.to_lowercase()
    } else {
        out
    }
}

fn find_email_raw(text: &str) -> Option<String> {
    // The ASCII pattern compiles in a fraction of a millisecond, the Unicode one in ~20 ms:
    // the Unicode one is compiled and run only when the text around an ASCII match (or the
    // lack of one) says the address may hold other letters ("josé.garcía@…").
    let non_ascii_letter =
        |c: Option<char>| c.is_some_and(|c| !c.is_ascii() && c.is_alphanumeric());
    if let Some(m) = EMAIL_ASCII.find(text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if !non_ascii_letter(before) && !non_ascii_letter(after) {
            return Some(m.as_str().to_string());
        }
    } else if text.is_ascii() || !text.contains('@') {
        return None;
    }
    EMAIL.find(text).map(|m| m.as_str().to_string())
}

/// A phone number: 7–15 digits, not a date range or a year.
pub fn find_phone(text: &str) -> Option<String> {
    for m in PHONE.find_iter(text) {
        let s = m.as_str().trim();
        let digits = s.chars().filter(char::is_ascii_digit).count();
        if !(7..=15).contains(&digits) {
            continue;
        }
        if dates::find_range(s).is_some() && !s.starts_with('+') && !s.starts_with('(') {
            continue;
        }
        // Not part of an email, a URL or a longer word.
        // (A number that starts with "+" is an international phone even when the layout
        // glued it to the word before: "Paris, FranceP+33 6 12 34 16 16".)
        let before = text[..m.start()].chars().next_back();
        if matches!(before, Some(c) if c.is_alphanumeric() || c == '@' || c == '/')
            && !(s.starts_with('+') && before.is_some_and(char::is_alphabetic))
        {
            continue;
        }
        // "2019 - 2021" style pairs of years without other digits.
        let groups: Vec<&str> =
            s.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
        // An ISO date ("2024-08-01").
        if groups.len() == 3
            && groups[0].len() == 4
            && groups[0].starts_with(['1', '2'])
            && groups[1].len() == 2
            && groups[2].len() == 2
            && !s.starts_with(['+', '('])
        {
            continue;
        }
        if groups.len() == 2 && groups.iter().all(|g| g.len() == 4 && g.starts_with(['1', '2'])) {
            continue;
        }
        return Some(s.to_string());
    }
    None
}

fn link_kind(url: &str) -> LinkKind {
    let u = url.to_lowercase();
    if u.contains("linkedin.com") {
        LinkKind::Linkedin
    } else if u.contains("github.com") {
        LinkKind::Github
    } else if u.contains("gitlab.com") {
        LinkKind::Gitlab
    } else if u.contains("stackoverflow.com") {
        LinkKind::Stackoverflow
    } else if u.contains("twitter.com") || u.contains("x.com/") {
        LinkKind::Twitter
    } else {
        LinkKind::Portfolio
    }
}

/// Profile and portfolio links, normalised to `https://`.
pub fn find_links(text: &str) -> Vec<Link> {
    let mut links: Vec<Link> = Vec::new();
    // A link is kept only with a scheme ("://"), "www." or a path, and never spans lines (the
    // pattern has no white space in it): lines with neither '/' nor "www." are not searched.
    let candidates = text.split_inclusive('\n').filter(|line| {
        line.contains('/') || line.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"www."))
    });
    for line in candidates {
        for m in URL.find_iter(line) {
            // Skip the domain of an email address.
            if line[..m.start()].ends_with('@') {
                continue;
            }
            push_link(&mut links, m.as_str());
        }
    }
    links
}

/// Add the link `found` (as the pattern matched it) unless it is prose or already listed.
fn push_link(links: &mut Vec<Link>, found: &str) {
    let raw = found.trim_end_matches(['.', ',', ')']);
    let lower = raw.to_lowercase();
    let has_scheme = lower.starts_with("http");
    let has_path = raw.contains('/');
    if !has_scheme && !lower.starts_with("www.") && !has_path {
        return; // "Node.js", "ASP.NET", "example.com" in prose are not profile links
    }
    let url =
        if has_scheme { raw.replacen("http://", "https://", 1) } else { format!("https://{raw}") };
    if links.iter().any(|l| l.url.eq_ignore_ascii_case(&url)) {
        return;
    }
    links.push(Link { kind: link_kind(&url), url });
}

fn segments(line: &str) -> Vec<String> {
    line.split(|c: char| SEPARATORS.contains(&c))
        .flat_map(|s| s.split("   "))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A plausible person's name: 2–5 words of letters, capitalised, no digits or contact details.
pub fn looks_like_name(s: &str) -> bool {
    let s = s.trim();
    let words: Vec<&str> = s.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) || s.len() > 60 {
        return false;
    }
    if s.chars().any(|c| c.is_ascii_digit() || "@:/|,;()".contains(c)) {
        return false;
    }
    if super::sections::classify_heading(s).is_some() {
        return false;
    }
    let lower = s.to_lowercase();
    const NOT_NAMES: &[&str] =
        &["resume", "curriculum", "vitae", "contact", "page", "street", "avenue", "road"];
    if lower.split_whitespace().any(|w| NOT_NAMES.contains(&w) || ROLE_WORDS.contains(&w))
        || super::entries::names_a_role_or_org(s)
    {
        return false;
    }
    words.iter().all(|w| {
        let first = w.chars().next().unwrap_or(' ');
        (first.is_uppercase() || (w.len() <= 3 && first.is_lowercase() && w.ends_with(['.', ' '])))
            || ["van", "von", "de", "da", "del", "der", "di", "la", "le", "bin", "al", "dos", "du"]
                .contains(w)
    }) && words.iter().all(|w| w.chars().all(|c| c.is_alphabetic() || "-'’.".contains(c)))
}

/// Words that label a contact fact in a header ("Email", "Phone:").
const CONTACT_LABELS: &[&str] = &[
    "email",
    "e-mail",
    "mail",
    "phone",
    "tel",
    "tel.",
    "telephone",
    "mobile",
    "cell",
    "address",
    "web",
    "website",
    "linkedin",
    "github",
    "location",
    "portfolio",
];

// Words of job titles: a name has none, a title after a name has one.
// The list is data: models/words/contact_role_words.txt.
use crate::words::CONTACT_ROLE_WORDS as ROLE_WORDS;

/// Text that names a job title ("General Manager", "Senior Software Engineer").
fn names_a_role(s: &str) -> bool {
    let lower = s.to_lowercase();
    lower.split(|c: char| !c.is_alphabetic()).any(|w| ROLE_WORDS.contains(&w))
        || super::entries::names_a_role_or_org(s)
}

/// Credentials written after a name ("Jane Doe, MBA", "Amir Khan, P.Eng., PMP").
fn is_credential(s: &str) -> bool {
    let t: String = s.chars().filter(|c| c.is_alphanumeric()).collect();
    !t.is_empty()
        && t.len() <= 6
        && t.chars().filter(|c| c.is_uppercase()).count() >= 2
        && !s.contains(' ')
}

/// The person's name at the start of a header segment: the whole segment when it is a name, or
/// the name before contact facts on the same line ("Barry Allen (123) 456-7890", "Jo Park
/// jo@park.dev"), without a "Name:" label or trailing credentials ("Jane Doe, CPA").
pub fn name_in(segment: &str) -> Option<String> {
    let mut s = segment.trim();
    if let Some((label, rest)) = s.split_once(':')
        && label.trim().eq_ignore_ascii_case("name")
    {
        s = rest.trim();
    }
    // A label in capitals beside the name ("PERSONAL INFORMATION Lucía Romero", Europass).
    let caps = |w: &str| {
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase)
    };
    let words: Vec<&str> = s.split_whitespace().collect();
    let lead = words.iter().take_while(|w| caps(w)).count();
    if lead >= 1 && lead < words.len() {
        let rest = words[lead..].join(" ");
        if looks_like_name(&rest) {
            return Some(rest);
        }
    }
    if looks_like_name(s) {
        return Some(s.to_string());
    }
    // Cut at the first contact fact: a digit, `(`, `+`, `@`, a link.
    let lower = s.to_lowercase();
    let mut cut = s
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit() || matches!(c, '(' | '+' | '@' | '<' | '['))
        .map_or(s.len(), |(i, _)| i);
    for marker in ["http", "www.", "linkedin.", "github."] {
        if let Some(i) = lower.find(marker) {
            cut = cut.min(i);
        }
    }
    let mut head = s[..cut].trim();
    // An email glued to the name: drop the partial local part.
    if s[cut..].starts_with('@') {
        head = head.rsplit_once(' ').map_or("", |(h, _)| h).trim();
    }
    // A name with a place beside it on one line ("Diego Fernández Nairobi, Kenya", "Aleksander
    // Nowak Austin, TX"): the longest leading two to four words that read as a name, when the
    // rest is a place. Tried before credentials, so "Austin, TX" is not read as "…, TX".
    let words: Vec<&str> = head.split_whitespace().collect();
    let beside_place = (2..=words.len().saturating_sub(1).min(4)).rev().find_map(|n| {
        let name = words[..n].join(" ");
        let rest = words[n..].join(" ");
        (looks_like_name(&name) && looks_like_header_location(&rest)).then_some(name)
    });
    if beside_place.is_some() {
        return beside_place;
    }
    // "Jane Doe, MBA, PMP"; "Lerato Mokoena, General Manager" (the title after the name).
    if let Some((first, rest)) = head.split_once(',')
        && (rest.split(',').map(str::trim).filter(|p| !p.is_empty()).all(is_credential)
            || (looks_like_name(first) && names_a_role(rest)))
    {
        head = first.trim();
    }
    let mut head = head.trim_end_matches([',', '-', '–', '—', '|', ':', '·']).trim();
    // A label of the contact fact that follows ("Harpreet Gill Email harpreetg@…", a header
    // set as a table of labels and values beside the name).
    while let Some((rest, last)) = head.rsplit_once(' ') {
        if !CONTACT_LABELS.contains(&last.trim_end_matches(':').to_lowercase().as_str()) {
            break;
        }
        head = rest.trim_end();
    }
    looks_like_name(head).then(|| head.to_string())
}

/// A place as written in the contact block, where a "City, Region" segment needs no country
/// ("Leeds, West Yorkshire", "Brisbane QLD", "Singapore").
pub fn looks_like_header_location(s: &str) -> bool {
    let s = s.trim();
    if looks_like_location(s) || looks_like_postal_address(s) {
        return true;
    }
    if s.len() > 50 || s.contains('@') {
        return false;
    }
    if COUNTRIES.contains(&s.to_lowercase().as_str())
        || CITY_STATES.contains(&s.to_lowercase().as_str())
    {
        return true;
    }
    // "Brisbane QLD", "Toronto ON": a capitalised place and a 2–4 letter region code.
    let words: Vec<&str> = s.split_whitespace().collect();
    let code_last = words.len() >= 2
        && words.last().is_some_and(|w| {
            (2..=4).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase())
        });
    let loose = location_loose_match(s) || (code_last && !s.contains(','));
    loose
        && words.len() <= 6
        && !super::entries::names_a_role_or_org(s)
        && !is_skill_list(s)
        && !looks_like_name(s)
}

/// A postal address as a header prints it: comma-separated parts with a number (house or
/// postcode) ending in a country or a region code ("Langstrasse 121, 8004 Zürich, Switzerland",
/// "17 Ponsonby Road, Grey Lynn, Auckland 1021, New Zealand", "1 Main St, Austin, TX 78701").
fn looks_like_postal_address(s: &str) -> bool {
    if s.len() > 100 || s.contains(['@', ':']) || s.contains("http") {
        return false;
    }
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    if parts.len() < 2 || parts.iter().any(|p| p.is_empty() || p.len() > 40) {
        return false;
    }
    let last = parts[parts.len() - 1];
    let country = COUNTRIES.contains(&last.to_lowercase().as_str());
    let region = last
        .split_whitespace()
        .next()
        .is_some_and(|w| (2..=3).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase()));
    let numbered = parts[..parts.len() - 1].iter().any(|p| p.chars().any(|c| c.is_ascii_digit()));
    (country || region)
        && numbered
        && super::dates::find_range_or_date(s).is_none()
        && find_phone(s).is_none()
        && !super::entries::names_a_role_or_org(s)
}

const CITY_STATES: &[&str] =
    &["singapore", "hong kong", "monaco", "luxembourg", "macau", "dubai", "doha"];

const LOCATION_LOOSE_PATTERN: &str = r"^[\p{Lu}][\p{L}.'\-]*(?:\s+(?:de|del|da|do|la|le|am|an|upon|on|sur)?\s*[\p{Lu}][\p{L}.'\-]*){0,3},\s*[\p{Lu}][\p{L}.'\-]*(?:\s+[\p{Lu}][\p{L}.'\-]*){0,3}$|^[\p{Lu}][\p{L}.'\-]*(?:\s+[\p{Lu}][\p{L}.'\-]*){0,2}\s+[A-Z]{2,4}$";

fn is_skill_list(s: &str) -> bool {
    let taxonomy = crate::skills::Taxonomy::builtin();
    s.split(',').any(|p| taxonomy.lookup(p.trim()).is_some_and(|i| !taxonomy.get(i).ambiguous))
}

pub fn looks_like_location(s: &str) -> bool {
    let s = s.trim();
    if s.eq_ignore_ascii_case("remote") {
        return true;
    }
    if s.len() > 60 || !location_match(s) {
        return false;
    }
    // The last part names a country or is a region code ("TX", "NSW", "ON").
    let last = s.rsplit(',').next().unwrap_or("").trim();
    let last = last.split_whitespace().next().unwrap_or("");
    let last_full = s.rsplit(',').next().unwrap_or("").trim().to_lowercase();
    let code = (2..=3).contains(&last.len()) && last.chars().all(|c| c.is_ascii_uppercase());
    if !code && !COUNTRIES.contains(&last_full.as_str()) {
        return false;
    }
    if super::entries::names_a_role_or_org(s) {
        return false;
    }
    // "Python, Rust, Go" is a list of skills, not a place.
    !is_skill_list(s)
}

/// Contact details from the header block (the lines before the first heading), falling back to
/// the whole text for what the header lacks (two-column layouts put contact in a sidebar).
pub fn extract(header: &[String], all: &[String]) -> Contact {
    let header_text = header.join("\n");
    let all_text = all.join("\n");
    let email = find_email(&header_text).or_else(|| find_email(&all_text));
    // Two-column layouts put the contact block in a sidebar that can come after the main
    // column: look at every contact-like line, the first 40 first.
    let phone = find_phone(&header_text)
        .or_else(|| all.iter().take(40).find_map(|l| contact_line_phone(l)))
        .or_else(|| all.iter().skip(40).find_map(|l| contact_line_phone(l)));
    let mut links = find_links(&header_text);
    for l in find_links(&all_text) {
        if !links.iter().any(|x| x.url == l.url) && l.kind != LinkKind::Portfolio {
            links.push(l);
        }
    }
    let name = header
        .iter()
        .take(8)
        .flat_map(|l| segments(l).into_iter().take(1))
        .find_map(|s| name_in(&s))
        // A name set large over two lines at the top ("Zofia" / "Kamińska"), before any other
        // two capitalised words further down ("Epic EHR").
        .or_else(|| two_line_name(all, 3))
        .or_else(|| all.iter().take(12).find_map(|l| name_in(l.trim())))
        .or_else(|| two_line_name(all, 12));
    let not_name = |s: &String| !name.as_ref().is_some_and(|n| s.starts_with(n.as_str()));
    let location = header
        .iter()
        .take(12)
        .flat_map(|l| segments(l))
        .flat_map(|s| location_candidates(&s, name.as_deref()))
        .find(|s| looks_like_header_location(s) && not_name(s))
        .or_else(|| {
            all.iter()
                .take(30)
                .flat_map(|l| segments(l))
                .flat_map(|s| location_candidates(&s, name.as_deref()))
                .find(|s| looks_like_location(s) && not_name(s))
        });
    Contact { name, email, phone, location, links }
}

/// A name set over two lines ("Rahul" / "Deshpande") among the first `within` lines.
fn two_line_name(all: &[String], within: usize) -> Option<String> {
    all.iter().take(within).collect::<Vec<_>>().windows(2).find_map(|w| {
        let (a, b) = (w[0].trim(), w[1].trim());
        let single = |s: &str| {
            let n = s.split_whitespace().count();
            (1..=2).contains(&n) && !s.contains(['@', ':', ',', '|'])
        };
        (single(a) && single(b)).then(|| format!("{a} {b}")).filter(|n| looks_like_name(n))
    })
}

/// The ways a place can sit in a contact segment, most literal first: the segment itself;
/// without a label ("Location: Pune, India", "- Address: …"); after the person's name on the
/// same line ("Diego Fernández Nairobi, Kenya"); before a phone or email glued to it
/// ("Lisbon, Portugal +351 …"); its first two comma parts when a theme repeats the place
/// ("London, UK, London, UK"); and a country or city-state as the first word(s) ("Singapore
/// Summary").
fn location_candidates(segment: &str, name: Option<&str>) -> Vec<String> {
    let mut s = segment.trim().trim_start_matches(['📍', '⌂', '-', '•', '*']).trim();
    let mut out: Vec<String> = Vec::new();
    for label in ["location", "address", "based in", "city", "lives in", "residence"] {
        let lower = s.to_lowercase();
        if lower.starts_with(label) {
            s = s[label.len()..].trim_start_matches([':', ' ', '-']).trim();
            break;
        }
    }
    out.push(s.to_string());
    if let Some(n) = name
        && let Some(rest) = s.strip_prefix(n)
    {
        s = rest.trim_start_matches([',', ' ', '|', '·']).trim();
        out.push(s.to_string());
    }
    let cut = s
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit() || matches!(c, '+' | '@' | '(' | '|'))
        .map_or(s.len(), |(i, _)| i);
    if cut < s.len() {
        out.push(s[..cut].trim().trim_end_matches([',', '-', '·']).trim().to_string());
    }
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    if parts.len() >= 3 {
        out.push(format!("{}, {}", parts[0], parts[1]));
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    for n in [2, 1] {
        if words.len() > n {
            let head = words[..n].join(" ");
            let lower = head.to_lowercase();
            if COUNTRIES.contains(&lower.as_str()) || CITY_STATES.contains(&lower.as_str()) {
                out.push(head);
            }
        }
    }
    out.retain(|c| !c.is_empty());
    out
}

/// What the file's links say about the contact details: a `mailto:` address fills a missing
/// email or completes one the layout cut short ("lamini@mail.example.com" behind
/// "zdlamini@mail.example.com"), a `tel:` number a missing phone, and profile addresses
/// (LinkedIn, GitHub…) written only as a word ("LinkedIn") join the links.
pub fn apply_link_targets(contact: &mut Contact, targets: &[String]) {
    for t in targets {
        let lower = t.to_lowercase();
        if let Some(addr) = lower.strip_prefix("mailto:").map(|_| &t[7..]) {
            let addr = addr.split('?').next().unwrap_or("").trim();
            let Some(found) = find_email(addr) else { continue };
            match &contact.email {
                None => contact.email = Some(found),
                Some(e)
                    if {
                        let (e, f) = (e.to_lowercase(), found.to_lowercase());
                        e != f && (e.contains(&f) || f.contains(&e))
                    } =>
                {
                    contact.email = Some(found)
                }

                _ => {}
            }
        } else if lower.starts_with("tel:") {
            if contact.phone.is_none() {
                contact.phone = find_phone(t[4..].trim());
            }
        } else if lower.starts_with("http") || lower.starts_with("www.") {
            for l in find_links(t) {
                if l.kind != LinkKind::Portfolio
                    && !contact.links.iter().any(|x| x.url.eq_ignore_ascii_case(&l.url))
                {
                    contact.links.push(l);
                }
            }
        }
    }
}

/// A phone on a line that is about contact (labelled or short), so numbers in bullets are not
/// taken for phones.
fn contact_line_phone(line: &str) -> Option<String> {
    let lower = line.to_lowercase();
    let labelled = ["phone", "tel", "mobile", "cell", "mob"].iter().any(|k| lower.contains(k));
    // A line with an email address on it is a contact line too.
    let contact = labelled || line.split_whitespace().count() <= 6 || find_email(line).is_some();
    if contact { find_phone(line) } else { None }
}

/// Build this module's ASCII patterns now (see [`super::warm_up`]); the Unicode ones are built
/// only for text that needs them.
pub(crate) fn warm_up() {
    for re in [&EMAIL_ASCII, &LOCATION_ASCII, &LOCATION_LOOSE_ASCII, &PHONE, &URL] {
        LazyLock::force(re);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        for (text, expected) in [
            ("+1 (555) 123-4567", Some("+1 (555) 123-4567")),
            ("Phone: 555.123.4567", Some("555.123.4567")),
            ("+44 20 7946 0958 | London, UK", Some("+44 20 7946 0958")),
            ("+49 151 23456789", Some("+49 151 23456789")),
            ("(02) 9876 5432", Some("(02) 9876 5432")),
            ("+33 6 12 34 56 78", Some("+33 6 12 34 56 78")),
            ("2019 - 2021", None),
            ("Jan 2019 – Mar 2021", None),
            ("Improved latency by 35%", None),
            ("607.379.5733", Some("607.379.5733")),
            ("+91-98765-43210", Some("+91-98765-43210")),
            ("+44 (0) 20 7946 0958", Some("+44 (0) 20 7946 0958")),
            ("Barry Allen (123) 456-7890", Some("(123) 456-7890")),
            ("Paris, FranceP+33 6 12 34 16 16suda@example.net", Some("+33 6 12 34 16 16")),
        ] {
            assert_eq!(find_phone(text).as_deref(), expected, "{text:?}");
        }
    }

    #[test]
    fn names_and_locations() {
        assert!(looks_like_name("José Martínez-López"));
        assert!(looks_like_name("Nguyễn Thị Lan"));
        assert!(looks_like_name("ZOË BRONTË-KAUR"));
        assert!(looks_like_name("Ludwig van Beethoven"));
        assert!(!looks_like_name("Senior Software Engineer"));
        assert!(!looks_like_name("Work Experience"));
        assert!(!looks_like_name("jane@example.com"));
        assert!(looks_like_location("Austin, TX"));
        assert!(looks_like_location("São Paulo, Brazil"));
        assert!(looks_like_location("Remote"));
        assert!(!looks_like_location("Python, Rust, Go"));
    }

    #[test]
    fn names_beside_contact_facts() {
        for (seg, want) in [
            ("Barry Allen (123) 456-7890", Some("Barry Allen")),
            ("Jo Park jo.park@example.com", Some("Jo Park")),
            ("Jane Doe, MBA, PMP", Some("Jane Doe")),
            ("Name: Ravi Shankar", Some("Ravi Shankar")),
            ("Diego Fernández Nairobi, Kenya", Some("Diego Fernández")),
            ("Björn Lindqvist", Some("Björn Lindqvist")),
            ("PERSONAL INFORMATION Lucía Romero", Some("Lucía Romero")),
            ("Aleksander Nowak Austin, TX", Some("Aleksander Nowak")),
            ("Amara Okafor +234 803 123 4567", Some("Amara Okafor")),
            ("Lerato Mokoena, General Manager", Some("Lerato Mokoena")),
            ("Harpreet Gill Email harpreetg@example.org", Some("Harpreet Gill")),
            ("Sanne Bakker Phone: +31 6 1234 5678", Some("Sanne Bakker")),
            ("Smith, John", None),
            ("Senior Software Engineer", None),
            ("Professional Experience", None),
            ("12 Baker Street, London", None),
        ] {
            assert_eq!(name_in(seg).as_deref(), want, "{seg:?}");
        }
        assert_eq!(
            find_email("Mail: françois.müller@société.fr").as_deref(),
            Some("françois.müller@société.fr")
        );
        for (text, want) in [
            (
                "Phone+44 (0)131 506 7107Emailcallumf@example.orgAddressEdinburgh, UK",
                "callumf@example.org",
            ),
            (
                "MELBOURNE VIC\nCHARLOTTE.NGUYEN@EXAM\nPLE.COM\n0412 294 694",
                "charlotte.nguyen@example.com",
            ),
            ("jo.park@example.com", "jo.park@example.com"),
        ] {
            assert_eq!(find_email(text).as_deref(), Some(want), "{text:?}");
        }
        assert_eq!(find_phone("2019-09-01 TO 2020-06-01"), None);
        assert_eq!(find_phone("2024-08-01"), None);
    }

    #[test]
    fn a_name_over_two_lines_at_the_top_wins_over_two_words_further_down() {
        let all: Vec<String> = ["Zofia", "Kamińska", "Charge Nurse", "CORE SKILLS", "Epic EHR"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(extract(&[], &all).name.as_deref(), Some("Zofia Kamińska"));
    }

    #[test]
    fn postal_addresses_in_a_header_are_places() {
        for s in [
            "Langstrasse 121, 8004 Zürich, Switzerland",
            "17 Ponsonby Road, Grey Lynn, Auckland 1021, New Zealand",
            "Witte de Withstraat 61B, 3012 BN Rotterdam, Netherlands",
        ] {
            assert!(looks_like_header_location(s), "{s:?}");
        }
        for s in ["Acme Corp, 2019 - 2021, London, UK", "+44 20 7946 0958, London, UK"] {
            assert!(!looks_like_postal_address(s), "{s:?}");
        }
        let all: Vec<String> =
            ["GRACE LIU", "⌂ San Francisco, CA ☏ +1 (415) 467-6085 ✉ g.liu@example.net"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        assert_eq!(extract(&all, &all).location.as_deref(), Some("San Francisco, CA"));
    }

    #[test]
    fn header_block() {
        let header: Vec<String> = vec![
            "Søren Ødegård".into(),
            "Oslo, Norway | soren@example.no | +47 912 34 567".into(),
            "linkedin.com/in/sorenodegard · github.com/soren".into(),
        ];
        let c = extract(&header, &header);
        assert_eq!(c.name.as_deref(), Some("Søren Ødegård"));
        assert_eq!(c.email.as_deref(), Some("soren@example.no"));
        assert_eq!(c.phone.as_deref(), Some("+47 912 34 567"));
        assert_eq!(c.location.as_deref(), Some("Oslo, Norway"));
        assert_eq!(c.links.len(), 2);
        assert_eq!(c.links[0].url, "https://linkedin.com/in/sorenodegard");
        assert_eq!(c.links[0].kind, LinkKind::Linkedin);
    }
}
