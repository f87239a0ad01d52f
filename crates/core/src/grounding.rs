//! The grounding guard: a generated text may only claim what the resume (or context the user
//! typed) states, and only for the employer, role and time the resume ties it to.
//!
//! The resume is read as **blocks**: a role block starts at a header line with a date (a job, an
//! education or certification entry, a board seat) and holds the lines under it; lines outside
//! any such entry (summary, skills, headings' free text) are global. A bullet that names an
//! employer, school or place from a block header is checked against that block only (plus the
//! global text and the context); one that names none must be backed within a single block.
//!
//! Claims, each needing its own evidence:
//! - **figures** with their meaning: a percentage, amount of money, multiple, length of time,
//!   data size, head count or count of a thing is backed only by the same quantity of the same
//!   kind (`25 engineers` is not backed by `25%`); a percentage, amount, multiple or time must
//!   also share a word of what it measures with the resume line; ranges (`5–10`) and
//!   approximations (`~20`, `20+`, `over 20`, `up to $25M`) are compared as such; a derived
//!   figure (3× for 200%) is not inferred;
//! - **years** must be in the block; **titles and board seats** ("as X", "served as", "Director",
//!   "VP", "board"…) must be in the block's own lines;
//! - **awards, promotions, certifications, degrees**: held back unless a line of the same kind
//!   backs them (a degree at the same level, a promotion stated or shown by two roles at one
//!   employer), even when they use only ordinary words;
//! - **skills** (qoder-analysis's taxonomy) must be shown, implied (PostgreSQL → SQL), written in
//!   the resume or context, and not tied only to another role;
//! - **names**: capitalised words (employers, products, institutions) must occur;
//! - **recombination**: words of a named bullet that the resume has only under other roles.
//!
//! [`Grounding::assess`] also proposes the bullet without its unbacked claims, checked again.

use qoder_analysis::skills::Taxonomy;
use qoder_domain::suggest::{GroundingIssue, GroundingKind};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}\p{N}][\p{L}\p{N}'’&.+#/-]*").expect("regex"));
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[[^\]]{0,40}\]").expect("regex"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(?:19|20)\d{2}\b").expect("regex"));
static NUMBER_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:a\s+)?(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen)\b")
        .expect("regex")
});
static TENS_UNITS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](one|two|three|four|five|six|seven|eight|nine)\b")
        .expect("regex")
});
static QTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<cur>[$€£])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(?P<mult>k|mm|m|bn|b|million|billion|thousand)\b)?(?P<plus>\+)?(?P<pct>\s?%|\s?percent\b|\s?per cent\b)?(?P<x>\s?x\b|×|-fold\b)?",
    )
    .expect("regex")
});
static TITLE_TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:served as|worked as|hired as|promoted to|appointed(?: as)?|became|named|role of|position of|as)\s+(?:an?\s+|the\s+|their\s+|his\s+|her\s+|its\s+)?([\p{L}][\p{L}'’&-]*(?:\s+(?:of\s+|for\s+)?[\p{L}][\p{L}'’&-]*){0,4})")
        .expect("regex")
});
static AWARD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:awards?|awarded|honou?rs?|honou?ree|honou?red|prizes?|medal\w*|winner|finalist|semifinalist|nominat\w*|of the year|rising star|president'?s club|dean'?s list|cum laude|scholarships?|accolades?|recogni[sz]ed|recognition|michelin|hall of fame)\b")
        .expect("regex")
});
static PROMOTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:promot\w*|rose to|elevated to|advanced to|moved up)\b").expect("regex")
});
static CERT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:certif\w*|licen[cs]\w*|credential\w*|accredit\w*|belt|admitted to the .{0,30}bar|bar admissions?)\b")
        .expect("regex")
});
static DEGREE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[Dd]egree|[Bb]achelor\w*|[Mm]aster'?s?\b(?: of| in| degree)|[Mm]asters|MBA|Ph\.?D\.?|[Dd]octor of|[Dd]octorate|Pharm\.?D|B\.?Sc?\.?|M\.?Sc?\.?|B\.A\.|BA\b|M\.A\.|MA\b|J\.D\.|JD\b|M\.D\.|BBA|BSN|MSN|MFA|M\.Arch|[Dd]iploma|[Gg]raduated|[Aa]ssociate degree|[Aa]lumn\w*)")
        .expect("regex")
});
static TEAM_CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:led|lead|leads|leading|managed|manage|manages|managing|supervis\w*|oversaw|oversee\w*|headed|heads|directed|ran|run|runs)\s+(?:a\s+|an\s+|the\s+|their\s+|my\s+)?(?:[\p{L}-]+\s+){0,2}(?:team|teams|staff|crew|department|squad|kitchen|organi[sz]ation|direct reports|reports)\b|\bpeople manager\b|\bdirect reports\b")
        .expect("regex")
});

// Words that name a role or rank: title claims must be backed within the role.
// The list is data: models/words/grounding_title_words.txt.
use qoder_analysis::words::GROUNDING_TITLE_WORDS as TITLE_WORDS;

// Rank words that are a title claim wherever they appear in a bullet.
// The list is data: models/words/grounding_rank_words.txt.
use qoder_analysis::words::GROUNDING_RANK_WORDS as RANK_WORDS;

// Capitalised words that are never names: calendar words and common business abbreviations.
// The list is data: models/words/grounding_not_names.txt.
use qoder_analysis::words::GROUNDING_NOT_NAMES as NOT_NAMES;

// Opening verbs that do not end in -ed.
// The list is data: models/words/grounding_opening_verbs.txt.
use qoder_analysis::words::GROUNDING_OPENING_VERBS as OPENING_VERBS;

// Words too common in resumes to tell what a figure measures (compared by 5-letter stem).
// The list is data: models/words/grounding_generic_stems.txt.
use qoder_analysis::words::GROUNDING_GENERIC_STEMS as GENERIC;

// The list is data: models/words/grounding_stop_words.txt.
use qoder_analysis::words::GROUNDING_STOP_WORDS as STOP;

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A crude stem: lowercase, possessive and plural dropped, first five letters.
fn stem(w: &str) -> String {
    let lw = w.to_lowercase();
    let lw = lw.trim_matches(|c: char| !c.is_alphanumeric());
    let lw = lw.trim_end_matches("'s").trim_end_matches("’s");
    let lw = if lw.len() > 4 && lw.ends_with("ies") {
        format!("{}y", &lw[..lw.len() - 3])
    } else if lw.len() > 3 && lw.ends_with('s') && !lw.ends_with("ss") {
        lw[..lw.len() - 1].to_string()
    } else {
        lw.to_string()
    };
    lw.chars().take(5).collect()
}

fn is_generic(st: &str) -> bool {
    GENERIC.contains(&st) || STOP.contains(&st)
}

/// Content stems of a text: words of three or more letters that say what something is.
fn content_stems(text: &str) -> HashSet<String> {
    WORD.find_iter(text)
        .map(|m| m.as_str())
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .flat_map(|w| {
            let mut v = vec![stem(w)];
            if w.contains('-') {
                v.extend(w.split('-').filter(|p| p.len() >= 3).map(stem));
            }
            v
        })
        .filter(|s| !is_generic(s))
        .collect()
}

fn singular(w: &str) -> String {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    if w == "people" || w == "staff" || w == "personnel" {
        return "people".into();
    }
    if w.len() > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..w.len() - 3]);
    }
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

// ---- quantities -------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum QKind {
    Percent,
    Money,
    Multiple,
    /// Seconds.
    Time,
    /// Bytes.
    Data,
    Year,
    People,
    /// A count of a thing, with the words after the figure.
    Count(Vec<String>),
    /// No unit at all.
    Plain,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Qual {
    Exact,
    /// over, more than, at least, N+.
    AtLeast,
    /// about, around, ~.
    About,
    /// up to, under, less than.
    AtMost,
}

#[derive(Clone, Debug)]
struct Qty {
    lo: f64,
    hi: f64,
    qual: Qual,
    kind: QKind,
    /// The factor the unit scaled the figure by (hours → seconds), for a unit shared by two.
    unit: f64,
    /// Byte span in the (normalised) text.
    start: usize,
    end: usize,
}

// The list is data: models/words/grounding_people_words.txt.
use qoder_analysis::words::GROUNDING_PEOPLE_WORDS as PEOPLE;

/// Synonyms of what a count counts.
fn count_noun(w: &str) -> String {
    let s = singular(w);
    match s.as_str() {
        "customer" | "client" | "subscriber" | "consumer" | "account" | "user" => "user".into(),
        "signup" | "sign-up" | "registration" => "signup".into(),
        "microservice" | "service" => "service".into(),
        _ => s,
    }
}

fn time_unit(w: &str) -> Option<f64> {
    Some(match w {
        "year" | "years" | "yr" | "yrs" => 31_536_000.0,
        "month" | "months" | "mo" => 2_592_000.0,
        "quarter" | "quarters" => 7_776_000.0,
        "week" | "weeks" | "wk" | "wks" => 604_800.0,
        "day" | "days" => 86_400.0,
        "hour" | "hours" | "hr" | "hrs" | "h" => 3_600.0,
        "minute" | "minutes" | "min" | "mins" => 60.0,
        "second" | "seconds" | "sec" | "secs" | "s" => 1.0,
        "ms" | "millisecond" | "milliseconds" => 0.001,
        _ => return None,
    })
}

fn data_unit(w: &str) -> Option<f64> {
    Some(match w {
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        "pb" => 1e15,
        _ => return None,
    })
}

/// Number words as digits ("eight" → "8", "a dozen" → "12"), lowercased. Byte offsets change;
/// callers use the result as their text.
fn normalise(text: &str) -> String {
    let lower = text.to_lowercase().replace(['–', '—', '−'], "-");
    let tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    let units = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    let lower = TENS_UNITS.replace_all(&lower, |c: &regex::Captures<'_>| {
        let t = tens.iter().position(|x| *x == &c[1]).unwrap_or(0) + 2;
        let u = units.iter().position(|x| *x == &c[2]).unwrap_or(0) + 1;
        (t * 10 + u).to_string()
    });
    NUMBER_WORD
        .replace_all(&lower, |c: &regex::Captures<'_>| {
            let d = match &c[1] {
                "two" => "2",
                "three" => "3",
                "four" => "4",
                "five" => "5",
                "six" => "6",
                "seven" => "7",
                "eight" => "8",
                "nine" => "9",
                "ten" => "10",
                "eleven" => "11",
                "twelve" => "12",
                "thirteen" => "13",
                "fourteen" => "14",
                "fifteen" => "15",
                "sixteen" => "16",
                "seventeen" => "17",
                "eighteen" => "18",
                "nineteen" => "19",
                "twenty" => "20",
                "thirty" => "30",
                "forty" => "40",
                "fifty" => "50",
                "sixty" => "60",
                "seventy" => "70",
                "eighty" => "80",
                "ninety" => "90",
                "hundred" => "100",
                _ => "12",
            };
            d.to_string()
        })
        .into_owned()
}

/// Words after a figure up to punctuation, a digit or four words, stop words skipped.
fn words_after(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let s = s.trim_start_matches(['-', ' ']);
    for tok in s.split([' ', '/']) {
        if tok.is_empty() {
            continue;
        }
        if tok.starts_with(|c: char| c.is_ascii_digit() || "(),;:.".contains(c)) {
            break;
        }
        let end_punct = tok.ends_with([',', ';', ':', '.', ')']);
        let w: String = tok.trim_matches(|c: char| !c.is_alphanumeric() && c != '-').to_string();
        if w.is_empty() || (w == "of" && out.is_empty()) {
            continue;
        }
        if STOP.contains(&w.as_str()) {
            break;
        }
        out.push(w);
        if end_punct || out.len() >= 3 {
            break;
        }
    }
    out
}

fn quantities(norm: &str) -> Vec<Qty> {
    let mut out: Vec<Qty> = Vec::new();
    for c in QTY.captures_iter(norm) {
        let m = c.get(0).expect("match");
        let num = c.name("num").expect("num");
        // Part of a word or code (p99, PGY-1, C-10, B2B) or an ordinal (2nd, 7th).
        let before = norm[..num.start()].chars().next_back();
        let before2 = norm[..num.start()].chars().rev().nth(1);
        if before.is_some_and(|b| b.is_alphanumeric() || b == '.')
            || (before == Some('-') && before2.is_some_and(char::is_alphabetic))
        {
            continue;
        }
        let after = norm[m.end()..].chars().next();
        let attached: String =
            norm[m.end()..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        if c.name("mult").is_none()
            && c.name("pct").is_none()
            && c.name("x").is_none()
            && after.is_some_and(char::is_alphabetic)
            && time_unit(&attached).is_none()
            && data_unit(&attached).is_none()
        {
            continue;
        }
        let raw = num.as_str().replace(',', "");
        let Ok(mut v) = raw.parse::<f64>() else { continue };
        let mult = c.name("mult").map(|x| x.as_str());
        v *= match mult {
            Some("k" | "thousand") => 1e3,
            Some("m" | "mm" | "million") => 1e6,
            Some("b" | "bn" | "billion") => 1e9,
            _ => 1.0,
        };
        let rest = &norm[m.end()..];
        let next = words_after(rest);
        let prev: Vec<&str> = norm[..m.start()]
            .split_whitespace()
            .rev()
            .take(3)
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '~'))
            .collect();
        let prev_text = norm[..m.start()].trim_end();
        let mut qual = Qual::Exact;
        if c.name("plus").is_some()
            || prev_text.ends_with("over")
            || prev_text.ends_with("more than")
            || prev_text.ends_with("at least")
            || prev_text.ends_with("upwards of")
            || prev_text.ends_with("exceeding")
        {
            qual = Qual::AtLeast;
        } else if prev_text.ends_with('~')
            || prev_text.ends_with('≈')
            || ["about", "around", "approximately", "roughly", "nearly", "almost", "some", "approx"]
                .iter()
                .any(|w| prev.first() == Some(w))
        {
            qual = Qual::About;
        } else if prev_text.ends_with("up to")
            || prev_text.ends_with("under")
            || prev_text.ends_with("less than")
            || prev_text.ends_with("fewer than")
            || prev_text.ends_with("below")
            || prev_text.ends_with("within")
        {
            qual = Qual::AtMost;
        }
        let first = next.first().map(String::as_str).unwrap_or("");
        let tight = rest.trim_start_matches(['-', ' ']);
        let tight: &str = tight.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("");
        let before_unit = v;
        let kind = if c.name("pct").is_some() {
            QKind::Percent
        } else if c.name("cur").is_some()
            || ["dollars", "usd", "eur", "euros", "pounds", "gbp"].contains(&first)
        {
            QKind::Money
        } else if c.name("x").is_some() {
            QKind::Multiple
        } else if let Some(u) = time_unit(tight) {
            v *= u;
            QKind::Time
        } else if let Some(u) = data_unit(tight) {
            v *= u;
            QKind::Data
        } else if mult.is_none()
            && !num.as_str().contains([',', '.'])
            && (1900.0..=2099.0).contains(&v)
            && !next.iter().any(|w| PEOPLE.contains(&singular(w).as_str()))
        {
            QKind::Year
        } else if next
            .iter()
            .any(|w| PEOPLE.contains(&singular(w).as_str()) || w.ends_with("person"))
            || rest.starts_with("-person")
            || prev.first().is_some_and(|p| {
                [
                    "team",
                    "teams",
                    "crew",
                    "staff",
                    "kitchen",
                    "organization",
                    "organisation",
                    "squad",
                    "headcount",
                    "department",
                    "shift",
                ]
                .contains(p)
            })
            || (prev.first() == Some(&"of")
                && prev.get(1).is_some_and(|p| {
                    [
                        "team",
                        "teams",
                        "crew",
                        "staff",
                        "kitchen",
                        "organization",
                        "organisation",
                        "squad",
                        "department",
                    ]
                    .contains(p)
                }))
        {
            QKind::People
        } else if next.is_empty() {
            QKind::Plain
        } else {
            QKind::Count(next.iter().map(|w| count_noun(w)).collect())
        };
        let unit = if before_unit != 0.0 { v / before_unit } else { 1.0 };
        out.push(Qty { lo: v, hi: v, qual, kind, unit, start: m.start(), end: m.end() });
    }
    // Ranges ("5-10 engineers", "6 to 8 vehicles", not "from 3 to 1"), and a unit written once
    // for two figures ("from 10 days to 6").
    let mut i = 0;
    while i + 1 < out.len() {
        let between = &norm[out[i].end..out[i + 1].start];
        let toks: Vec<&str> = between.split_whitespace().collect();
        // "5-10", "6 to 8", "10 days to 6": the link word, after at most two unit words.
        let joined = match toks.last() {
            Some(&l) if toks.len() <= 3 && ["-", "to", "and", "or"].contains(&l) => {
                if toks.len() == 1 { l } else { "unit" }
            }
            Some(&l) if toks.len() == 1 && l.ends_with('-') => "-",
            None if between.contains('-') || between.is_empty() => "-",
            _ => "none",
        };
        let from = norm[..out[i].start].trim_end().ends_with("from");
        let linked = joined != "none" && out[i].kind != QKind::Year;
        if linked {
            for (a, b) in [(i, i + 1), (i + 1, i)] {
                if out[a].kind == QKind::Plain && out[b].kind != QKind::Plain {
                    let (k, u) = (out[b].kind.clone(), out[b].unit);
                    out[a].lo *= u;
                    out[a].hi *= u;
                    out[a].unit = u;
                    out[a].kind = k;
                }
            }
            if !from && matches!(joined, "-" | "to") && out[i].kind == out[i + 1].kind {
                let hi = out[i + 1].hi;
                out[i].hi = hi;
                out[i].end = out[i + 1].end;
                out.remove(i + 1);
                continue;
            }
        }
        i += 1;
    }
    out
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Whether the resume figure `r` backs the bullet figure `q` by value.
fn value_backs(q: &Qty, r: &Qty) -> bool {
    let q_range = !same(q.lo, q.hi);
    let r_range = !same(r.lo, r.hi);
    if q_range {
        return r_range && same(q.lo, r.lo) && same(q.hi, r.hi);
    }
    let v = q.lo;
    match q.qual {
        Qual::Exact => {
            if r_range {
                same(v, r.lo) || same(v, r.hi)
            } else {
                same(v, r.lo)
            }
        }
        Qual::AtLeast => r.lo >= v - 1e-9 || same(r.hi, v),
        // "up to $80M" says the figure reached $80M: only that figure backs it.
        Qual::AtMost => same(r.hi, v),
        Qual::About => (r.lo - v).abs() <= 0.1 * v.abs() || (r.hi - v).abs() <= 0.1 * v.abs(),
    }
}

fn kind_backs(q: &QKind, r: &QKind) -> bool {
    match (q, r) {
        (QKind::Count(a), QKind::Count(b)) => a.iter().any(|x| {
            b.iter().any(|y| x == y || (x.len() >= 5 && y.len() >= 5 && x[..5] == y[..5]))
        }),
        (QKind::Plain, QKind::Count(_) | QKind::Plain | QKind::People | QKind::Time)
        | (QKind::Count(_) | QKind::People, QKind::Plain) => true,
        (a, b) => a == b,
    }
}

fn quantity_kind(k: &QKind) -> GroundingKind {
    match k {
        QKind::Percent | QKind::Multiple | QKind::Plain => GroundingKind::Number,
        QKind::Money => GroundingKind::Money,
        QKind::Time => GroundingKind::Duration,
        QKind::Year => GroundingKind::Date,
        QKind::People => GroundingKind::Team,
        QKind::Data | QKind::Count(_) => GroundingKind::Scale,
    }
}

fn kind_words(k: &QKind) -> &'static str {
    match k {
        QKind::Percent => "percentage",
        QKind::Money => "amount",
        QKind::Multiple => "multiple",
        QKind::Time => "length of time",
        QKind::Data => "data size",
        QKind::Year => "year",
        QKind::People => "number of people",
        QKind::Count(_) => "count",
        QKind::Plain => "figure",
    }
}

// ---- the resume as blocks ----------------------------------------------------------------------

#[derive(Default)]
struct Line {
    text: String,
    stems: HashSet<String>,
    qty: Vec<Qty>,
}

#[derive(Default)]
struct Block {
    /// A dated entry (job, education, certification, board seat); otherwise global text.
    role: bool,
    /// Header words (lowercased) that identify the entry: employer, school, place.
    names: HashSet<String>,
    /// The header as written, for messages.
    label: String,
    /// The section heading it sits under (lowercased), e.g. "licenses & certifications".
    heading: String,
    /// Lowercased, collapsed text.
    text: String,
    stems: HashSet<String>,
    lines: Vec<Line>,
}

impl Block {
    fn push_line(&mut self, raw: &str) {
        let norm = normalise(raw);
        let text = collapse(&norm);
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(&text);
        let stems = content_stems(raw);
        self.stems.extend(stems.iter().cloned());
        let qty = quantities(&text);
        self.lines.push(Line { text, stems, qty });
    }

    fn has_phrase(&self, phrase: &str) -> bool {
        has_phrase(&self.text, phrase)
    }
}

fn has_phrase(text: &str, phrase: &str) -> bool {
    let p = collapse(phrase).to_lowercase();
    if p.is_empty() {
        return true;
    }
    text.match_indices(&p).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + p.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric)
            && !after.is_some_and(|c| c.is_alphanumeric() && c != 's')
    })
}

/// Words that make a title a different, lesser one when they come before it.
const LESSER: &[&str] = &[
    "assistant",
    "associate",
    "deputy",
    "junior",
    "sous",
    "vice",
    "co",
    "apprentice",
    "trainee",
    "intern",
    "acting",
    "interim",
    "student",
];

fn has_title(text: &str, phrase: &str) -> bool {
    let p = collapse(phrase).to_lowercase();
    if p.is_empty() {
        return true;
    }
    text.match_indices(&p).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + p.len()..].chars().next();
        let prev_word =
            text[..i].split(|c: char| !c.is_alphanumeric()).rfind(|w| !w.is_empty()).unwrap_or("");
        let lesser = before.is_some_and(|c| c == ' ' || c == '-') && LESSER.contains(&prev_word);
        !(before.is_some_and(char::is_alphanumeric)
            || after.is_some_and(|c| c.is_alphanumeric() && c != 's')
            || lesser)
    })
}

fn is_bullet(line: &str) -> bool {
    line.starts_with(['-', '•', '*', '▪', '◦', '–', '·', '●', '○', '►', '✓'])
}

// The list is data: models/words/grounding_headings.txt.
use qoder_analysis::words::GROUNDING_HEADINGS as HEADINGS;

fn is_heading(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    let words = line.split_whitespace().count();
    let bare = line.trim_end_matches(':').trim().to_lowercase();
    !letters.is_empty()
        && !YEAR.is_match(line)
        && ((letters.len() <= 40 && letters.iter().all(|c| c.is_uppercase()) && words <= 5)
            || (words <= 4 && line.ends_with(':'))
            || HEADINGS.contains(&bare.as_str()))
}

/// Most of its words capitalised: a header line ("Tidewater Payments, Valencia").
fn title_case(line: &str) -> bool {
    let words: Vec<&str> = line
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .filter(|w| !["of", "and", "&", "the", "for", "in", "at", "de"].contains(w))
        .collect();
    !words.is_empty()
        && words.len() <= 10
        && words.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count() * 10
            >= words.len() * 6
        && !line.ends_with('.')
}

/// Lines as written, with a line that continues a sentence wrapped by the layout joined to the
/// one before ("cutting p99 latency from" / "180 ms to 35 ms").
fn unwrapped(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            out.push(String::new());
            continue;
        }
        let starts_low =
            line.chars().next().is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
        let date_line = line.chars().next().is_some_and(|c| c.is_ascii_digit())
            && YEAR.is_match(line)
            && line.split_whitespace().count() <= 6;
        if let Some(prev) = out.last_mut()
            && !prev.is_empty()
            && starts_low
            && !date_line
            && !prev.ends_with(['.', ';', ':', '!', '?'])
            && !is_heading(prev)
        {
            prev.push(' ');
            prev.push_str(line);
            continue;
        }
        out.push(line.to_string());
    }
    out
}

fn is_title_word(w: &str) -> bool {
    TITLE_WORDS.contains(&w)
}

/// Header words that identify an entry: capitalised words that are not titles or calendar words.
fn header_names(header: &str) -> HashSet<String> {
    WORD.find_iter(header)
        .map(|m| m.as_str())
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .map(|w| w.trim_end_matches(['.', ',']).to_lowercase())
        .map(|w| w.trim_end_matches("'s").trim_end_matches("’s").to_string())
        .filter(|w| {
            w.len() >= 2
                && !NOT_NAMES.contains(&w.as_str())
                && !is_title_word(w)
                && !w.chars().all(|c| c.is_ascii_digit())
        })
        .collect()
}

fn blocks_of(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = vec![Block::default()];
    let mut pending: Vec<&str> = Vec::new();
    let mut heading = String::new();
    let flush = |blocks: &mut Vec<Block>, pending: &mut Vec<&str>| {
        let b = blocks.last_mut().expect("block");
        for p in pending.drain(..) {
            b.push_line(p);
        }
    };
    let lines = unwrapped(text);
    // After a dated header, title-case lines still belong to it ("Tidewater Payments").
    let mut header_open = false;
    for line in lines.iter().map(|l| l.as_str()) {
        if line.is_empty() {
            continue;
        }
        if is_heading(line) {
            flush(&mut blocks, &mut pending);
            header_open = false;
            heading = line.to_lowercase();
            let mut b = Block { heading: heading.clone(), ..Default::default() };
            b.push_line(line);
            blocks.push(b);
        } else if is_bullet(line) {
            flush(&mut blocks, &mut pending);
            header_open = false;
            blocks.last_mut().expect("block").push_line(line);
        } else if YEAR.is_match(line) && line.split_whitespace().count() <= 24 {
            // A dated header: a new entry, with the title-case header lines just before it.
            // Body lines stay with the entry before.
            while pending.len() > 2 || pending.first().is_some_and(|p| !title_case(p)) {
                let first = pending.remove(0);
                blocks.last_mut().expect("block").push_line(first);
            }
            let header: Vec<&str> = pending.drain(..).chain(std::iter::once(line)).collect();
            let joined = header.join(" | ");
            let mut b = Block {
                role: true,
                names: header_names(&joined),
                label: collapse(&joined).chars().take(80).collect(),
                heading: heading.clone(),
                ..Default::default()
            };
            for h in header {
                b.push_line(h);
            }
            blocks.push(b);
            header_open = true;
        } else if header_open && title_case(line) && line.split_whitespace().count() <= 8 {
            let b = blocks.last_mut().expect("block");
            b.names.extend(header_names(line));
            b.label = collapse(&format!("{} | {line}", b.label)).chars().take(80).collect();
            b.push_line(line);
        } else {
            header_open = false;
            pending.push(line);
            if pending.len() > 2 {
                let first = pending.remove(0);
                blocks.last_mut().expect("block").push_line(first);
            }
        }
    }
    flush(&mut blocks, &mut pending);
    blocks.retain(|b| !b.lines.is_empty());
    blocks
}

// ---- the guard ---------------------------------------------------------------------------------

/// What the resume and the user's context back.
pub struct Grounding {
    blocks: Vec<Block>,
    context: Block,
    /// Every word of the resume and context, lowercased.
    words: HashSet<String>,
    stems: HashSet<String>,
    skills: HashSet<usize>,
    /// Skills shown (with implied ones) per block, by block index.
    block_skills: Vec<HashSet<usize>>,
    global_skills: HashSet<usize>,
    /// Initials of runs of capitalised words ("University of California" → "uc").
    initials: HashSet<String>,
    /// Words the resume writes in lowercase somewhere (ordinary words, not names).
    lower_words: HashSet<String>,
    taxonomy: &'static Taxonomy,
}

/// Which blocks a bullet is checked against.
struct Scope<'a> {
    roles: Vec<&'a Block>,
    globals: Vec<&'a Block>,
    context: &'a Block,
    /// The bullet names an entry (employer, school, place).
    named: bool,
}

impl<'a> Scope<'a> {
    fn all(&self) -> impl Iterator<Item = &'a Block> + '_ {
        self.roles.iter().chain(self.globals.iter()).copied().chain(std::iter::once(self.context))
    }

    /// Where role-bound facts (titles, years, awards) must be: the entry itself and the
    /// context; global text too when the bullet names no entry.
    fn bound(&self) -> Vec<&'a Block> {
        let mut v: Vec<&Block> = self.roles.clone();
        if !self.named || self.roles.is_empty() {
            v.extend(self.globals.iter().copied());
        }
        v.push(self.context);
        v
    }

    fn describe(&self) -> String {
        match self.roles.first() {
            Some(b) if self.named => format!(" for {}", b.label),
            _ => String::new(),
        }
    }
}

/// The check of one bullet: what is not backed and a version without it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Assessment {
    pub issues: Vec<GroundingIssue>,
    /// The bullet with the unbacked claims taken out, when that leaves a grounded sentence.
    pub without_claim: Option<String>,
}

fn degree_level(s: &str) -> Option<&'static str> {
    let l = s.to_lowercase();
    let l = l.trim_end_matches('.');
    if l.starts_with("bachelor")
        || ["b.s", "bs", "b.sc", "bsc", "b.a", "ba", "bba", "bsn"].contains(&l)
    {
        Some("bachelor")
    } else if l.starts_with("master")
        || ["m.s", "ms", "m.sc", "msc", "m.a", "ma", "mba", "msn", "mfa", "m.arch"].contains(&l)
    {
        Some("master")
    } else if l.starts_with("ph")
        || l.starts_with("doctor")
        || l.starts_with("pharm")
        || ["j.d", "jd", "m.d"].contains(&l)
    {
        Some("doctor")
    } else if l.starts_with("associate") {
        Some("associate")
    } else if l.starts_with("diploma") {
        Some("diploma")
    } else {
        None
    }
}

impl Grounding {
    /// What `resume_text` and `context` back. The context is what the user typed to add facts
    /// the resume lacks ("I used Kubernetes at Acme for two years").
    pub fn new(resume_text: &str, context: &str) -> Grounding {
        let taxonomy = Taxonomy::builtin();
        let blocks = blocks_of(resume_text);
        let mut ctx = Block::default();
        for l in context.lines().filter(|l| !l.trim().is_empty()) {
            ctx.push_line(l.trim());
        }
        let all = format!("{resume_text}\n{context}");
        let words = WORD.find_iter(&all).map(|m| m.as_str().to_lowercase()).collect();
        let stems = WORD.find_iter(&all).map(|m| stem(m.as_str())).collect();
        let implied = |mut set: HashSet<usize>| {
            let mut stack: Vec<usize> = set.iter().copied().collect();
            while let Some(s) = stack.pop() {
                for &i in &taxonomy.get(s).implies {
                    if set.insert(i) {
                        stack.push(i);
                    }
                }
            }
            set
        };
        let mut block_skills = Vec::new();
        let mut global_skills = HashSet::new();
        for b in &blocks {
            let mut set = HashSet::new();
            for l in &b.lines {
                for f in taxonomy.find_in_line(&l.text, true) {
                    set.insert(f.skill);
                }
            }
            let set = implied(set);
            if !b.role {
                global_skills.extend(set.iter().copied());
            }
            block_skills.push(set);
        }
        let mut skills = HashSet::new();
        for line in all.lines() {
            for f in taxonomy.find_in_line(line, true) {
                skills.insert(f.skill);
            }
        }
        let skills = implied(skills);
        let lower_words = WORD
            .find_iter(&all)
            .map(|m| m.as_str())
            .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
            .map(str::to_string)
            .collect();
        let mut initials = HashSet::new();
        for line in all.lines() {
            let mut run: Vec<char> = Vec::new();
            for w in line.split_whitespace() {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                if ["of", "and", "&", "for", "the"].contains(&w) && !run.is_empty() {
                    continue;
                }
                match w.chars().next() {
                    Some(c) if c.is_uppercase() => run.push(c),
                    _ => run.clear(),
                }
                for k in 2..=run.len().min(5) {
                    for st in 0..=run.len() - k {
                        initials.insert(run[st..st + k].iter().collect::<String>().to_lowercase());
                    }
                }
            }
        }
        Grounding {
            blocks,
            context: ctx,
            words,
            stems,
            skills,
            block_skills,
            global_skills,
            initials,
            lower_words,
            taxonomy,
        }
    }

    /// The blocks the resume was read as, one line each (for `grounding_bench` and debugging).
    #[doc(hidden)]
    pub fn describe_blocks(&self) -> String {
        self.blocks
            .iter()
            .map(|b| {
                let mut n: Vec<&String> = b.names.iter().collect();
                n.sort();
                format!(
                    "{} [{}] names {:?}: {}",
                    if b.role { "entry" } else { "global" },
                    b.heading,
                    n,
                    b.text.replace('\n', " / ")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn has_word(&self, w: &str) -> bool {
        let lw = w.to_lowercase();
        let trimmed = lw.trim_end_matches(['.', ',', '\'', '’']);
        let base = trimmed.trim_end_matches("'s").trim_end_matches("’s");
        (lw.len() <= 5 && w.chars().all(|c| c.is_ascii_uppercase()) && self.initials.contains(&lw))
            || self.words.contains(&lw)
            || self.words.contains(trimmed)
            || self.words.contains(base)
            || self.words.contains(base.trim_end_matches('s'))
            || self.words.contains(&format!("{base}s"))
            || has_phrase(
                &collapse(
                    &self.blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join("\n"),
                ),
                base,
            )
            || has_phrase(&self.context.text, base)
    }

    /// What in `bullet` the resume and context do not back; empty when grounded.
    pub fn check(&self, bullet: &str) -> Vec<GroundingIssue> {
        self.check_as(bullet, true)
    }

    /// What a sentence of free text about the resume (the AI review) claims that the resume
    /// does not back: the same checks as for a bullet, except "mostly new words" (a review's
    /// own wording is expected to be new).
    pub fn check_statement(&self, sentence: &str) -> Vec<GroundingIssue> {
        self.check_as(sentence, false)
    }

    fn check_as(&self, bullet: &str, bullet_rules: bool) -> Vec<GroundingIssue> {
        let text = PLACEHOLDER.replace_all(bullet, " ");
        let text = collapse(&text);
        let mut issues = self.global_checks(&text, bullet_rules);
        let scoped = self.scoped_checks(&text);
        for i in scoped {
            if !issues.iter().any(|x: &GroundingIssue| x.kind == i.kind && x.text == i.text) {
                issues.push(i);
            }
        }
        issues
    }

    /// [`check`](Self::check), plus the bullet without the unbacked claims when that is grounded.
    pub fn assess(&self, bullet: &str) -> Assessment {
        let issues = self.check(bullet);
        if issues.is_empty() {
            return Assessment { issues, without_claim: None };
        }
        let without_claim = self.without(bullet, &issues);
        Assessment { issues, without_claim }
    }

    /// Checks that do not depend on the entry: names, skills, hyphenated claims.
    fn global_checks(&self, text: &str, bullet_rules: bool) -> Vec<GroundingIssue> {
        let mut issues: Vec<GroundingIssue> = Vec::new();
        let mut push = |kind, t: &str, reason: String| {
            if !issues.iter().any(|i: &GroundingIssue| i.kind == kind && i.text == t) {
                issues.push(GroundingIssue { kind, text: t.to_string(), reason });
            }
        };
        let found = self.taxonomy.find_in_line(text, false);
        let mut skill_spans: Vec<(usize, usize)> = Vec::new();
        for f in &found {
            skill_spans.push((f.start, f.end));
            let code = f.surface.contains(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
                && f.surface.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
            let shown = self.skills.contains(&f.skill) && (!code || self.has_word(&f.surface));
            let written = self.has_word(&f.surface)
                || (!code && {
                    let st = content_stems(&f.surface);
                    !st.is_empty() && st.iter().all(|x| self.stems.contains(x))
                });
            if !shown && !written {
                let name = &self.taxonomy.get(f.skill).name;
                push(
                    GroundingKind::Skill,
                    &f.surface,
                    format!("the resume does not show {name}; add it as a fact if you have it"),
                );
            }
        }
        let mut sentence_start = true;
        for m in WORD.find_iter(text) {
            let w = m.as_str();
            let starts = sentence_start;
            let before = text[..m.start()].trim_end();
            sentence_start = false;
            let lw = w.to_lowercase();
            if w.contains('-')
                && w.chars().all(|c| c.is_alphabetic() || c == '-')
                && lw.ends_with("ed")
                && NUMBER_WORD.find(&lw).is_none()
            {
                // A compound claim ("first-chaired"): the word, or each part, must be there.
                let parts_there = lw.split('-').all(|p| p.len() < 3 || self.has_word(p));
                if !self.has_word(&lw)
                    && !parts_there
                    && !skill_spans.iter().any(|&(s, e)| m.start() < e && s < m.end())
                {
                    push(
                        GroundingKind::Name,
                        w,
                        format!("\"{w}\" is not in the resume or your facts"),
                    );
                    continue;
                }
            }
            // Figures ("40M", "3x") are the quantity check's business.
            if lw
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                .trim_end_matches(['.', ','])
                .chars()
                .all(|c| "kmbnx".contains(c))
                && lw.starts_with(|c: char| c.is_ascii_digit())
            {
                continue;
            }
            let opening =
                starts || before.ends_with(['.', ';', ':', '!', '?']) && !before.ends_with("..");
            // In free text the opening word of a sentence is capitalised whatever it is.
            if opening && !bullet_rules && !self.has_word(w) && w.chars().all(char::is_alphabetic) {
                continue;
            }
            if opening {
                let verb_like = lw.ends_with("ed") || OPENING_VERBS.contains(&lw.as_str());
                if verb_like || self.has_word(w) {
                    continue;
                }
            }
            let first = w.chars().next().unwrap_or(' ');
            let capitalised = first.is_uppercase()
                || (w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphabetic));
            if !capitalised || NOT_NAMES.contains(&lw.as_str()) {
                continue;
            }
            if skill_spans.iter().any(|&(s, e)| m.start() < e && s < m.end()) {
                continue;
            }
            if self.has_word(w) {
                continue;
            }
            push(GroundingKind::Name, w, format!("\"{w}\" is not in the resume or your facts"));
        }
        // Mostly new content in ordinary words ("a sous vide and fermentation program").
        let mut novel: Vec<&str> = Vec::new();
        let mut total = 0;
        for m in WORD.find_iter(text) {
            let w = m.as_str();
            let st = stem(w);
            if w.chars().filter(|c| c.is_alphabetic()).count() < 4 || is_generic(&st) {
                continue;
            }
            total += 1;
            if !self.stems.contains(&st)
                && !skill_spans.iter().any(|&(s, e)| m.start() < e && s < m.end())
                && !issues.iter().any(|i| i.text == w)
            {
                novel.push(w);
            }
        }
        if bullet_rules && novel.len() >= 3 && novel.len() * 2 >= total {
            let t = novel.join(", ");
            issues.push(GroundingIssue {
                kind: GroundingKind::Name,
                text: t.clone(),
                reason: format!("most of it is new to the resume ({t})"),
            });
        }
        issues
    }

    /// The entries a bullet names: the role blocks whose header has the most of its names, plus
    /// blocks for names those do not cover ("director of Zebra and Okta").
    fn named_blocks(&self, text: &str) -> Vec<usize> {
        // Skill names are tools, not entries, unless written as an employer ("at Canva",
        // "Salesforce's").
        let spans: Vec<(usize, usize)> = self
            .taxonomy
            .find_in_line(text, false)
            .iter()
            .filter(|f| {
                let before = text[..f.start].split_whitespace().next_back().unwrap_or("");
                let possessive = text[f.end..].starts_with("'s") || text[f.end..].starts_with("’s");
                !(possessive
                    || ["at", "for", "joined", "with"].contains(&before.to_lowercase().as_str()))
            })
            .map(|f| (f.start, f.end))
            .collect();
        let mut words: HashSet<String> = WORD
            .find_iter(text)
            .filter(|m| !spans.iter().any(|&(s, e)| m.start() < e && s < m.end()))
            // The opening word is capitalised anyway: a name only if the resume never writes
            // it in lowercase ("Research on …" is not "Microsoft Research").
            .filter(|m| m.start() > 0 || !self.lower_words.contains(&m.as_str().to_lowercase()))
            .map(|m| m.as_str())
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .map(|w| {
                w.trim_end_matches(['.', ','])
                    .to_lowercase()
                    .trim_end_matches("'s")
                    .trim_end_matches("’s")
                    .to_string()
            })
            .filter(|w| !is_title_word(w) && !NOT_NAMES.contains(&w.as_str()))
            .collect();
        words.retain(|w| self.blocks.iter().any(|b| b.role && b.names.contains(w)));
        let mut out = Vec::new();
        while !words.is_empty() {
            let mut best = 0;
            let mut pick = Vec::new();
            for (i, b) in self.blocks.iter().enumerate().filter(|(_, b)| b.role) {
                let n = words.iter().filter(|w| b.names.contains(*w)).count();
                if n == 0 || n < best {
                    continue;
                }
                if n > best {
                    best = n;
                    pick.clear();
                }
                pick.push(i);
            }
            if pick.is_empty() {
                break;
            }
            for &i in &pick {
                words.retain(|w| !self.blocks[i].names.contains(w));
            }
            out.extend(pick);
        }
        out
    }

    fn scoped_checks(&self, text: &str) -> Vec<GroundingIssue> {
        let globals: Vec<&Block> = self.blocks.iter().filter(|b| !b.role).collect();
        let named = self.named_blocks(text);
        if !named.is_empty() {
            let scope = Scope {
                roles: named.iter().map(|&i| &self.blocks[i]).collect(),
                globals,
                context: &self.context,
                named: true,
            };
            return self.check_in(text, &scope, &named);
        }
        let roles: Vec<usize> = (0..self.blocks.len()).filter(|&i| self.blocks[i].role).collect();
        let mut best: Option<Vec<GroundingIssue>> = None;
        let mut candidates: Vec<Vec<usize>> = roles.iter().map(|&i| vec![i]).collect();
        candidates.push(Vec::new());
        for c in candidates {
            let scope = Scope {
                roles: c.iter().map(|&i| &self.blocks[i]).collect(),
                globals: globals.clone(),
                context: &self.context,
                named: false,
            };
            let issues = self.check_in(text, &scope, &c);
            if best.as_ref().is_none_or(|b| issues.len() < b.len()) {
                let done = issues.is_empty();
                best = Some(issues);
                if done {
                    break;
                }
            }
        }
        best.unwrap_or_default()
    }

    fn check_in(&self, text: &str, scope: &Scope<'_>, role_idx: &[usize]) -> Vec<GroundingIssue> {
        let mut issues: Vec<GroundingIssue> = Vec::new();
        let mut push = |kind, t: &str, reason: String| {
            if !issues.iter().any(|i: &GroundingIssue| i.kind == kind && i.text == t) {
                issues.push(GroundingIssue { kind, text: t.to_string(), reason });
            }
        };
        let norm = collapse(&normalise(text));
        let bullet_stems = content_stems(text);
        let whr = scope.describe();

        // Figures with their meaning.
        for q in quantities(&norm) {
            let raw = norm[q.start..q.end].trim();
            if q.kind == QKind::Year {
                let y = raw.trim();
                if !scope.bound().iter().any(|b| b.text.contains(y)) {
                    push(
                        GroundingKind::Date,
                        raw,
                        format!("the resume does not give the year {y}{whr}"),
                    );
                }
                continue;
            }
            let needs_meaning = matches!(
                q.kind,
                QKind::Percent | QKind::Money | QKind::Multiple | QKind::Time | QKind::Plain
            );
            let backed = scope.all().any(|b| {
                b.lines.iter().any(|l| {
                    l.qty.iter().any(|r| {
                        kind_backs(&q.kind, &r.kind)
                            && value_backs(&q, r)
                            && (!(needs_meaning || r.kind == QKind::Plain)
                                || bullet_stems.is_empty()
                                || l.stems.iter().any(|s| bullet_stems.contains(s)))
                    })
                })
            });
            if !backed {
                let same_value_elsewhere = self
                    .blocks
                    .iter()
                    .chain(std::iter::once(&self.context))
                    .any(|b| b.lines.iter().any(|l| l.qty.iter().any(|r| value_backs(&q, r))));
                let reason = if same_value_elsewhere {
                    format!("the resume has {raw} but not as this {}{whr}", kind_words(&q.kind))
                } else {
                    format!("the resume does not give this {} ({raw}){whr}", kind_words(&q.kind))
                };
                push(quantity_kind(&q.kind), raw, reason);
            }
        }

        let bound = scope.bound();
        // A title is backed by the same title, not by a lesser one that ends with it
        // ("Store Manager" is not "Assistant Store Manager").
        let in_bound = |phrase: &str| bound.iter().any(|b| has_title(&b.text, phrase));

        // Titles: "as X", "served as X", and rank words anywhere.
        let mut title_spans: Vec<(usize, usize)> = Vec::new();
        for c in TITLE_TRIGGER.captures_iter(text) {
            let Some(m) = c.get(1) else { continue };
            // Cut the phrase at the first word that is not part of a title.
            let mut phrase: Vec<&str> = Vec::new();
            for w in m.as_str().split_whitespace() {
                let lw = w.to_lowercase();
                let lw = lw.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
                if [
                    "at", "in", "on", "for", "with", "to", "from", "by", "since", "and", "who",
                    "that", "during", "within", "after",
                ]
                .contains(&lw)
                {
                    break;
                }
                phrase.push(w);
            }
            while phrase
                .last()
                .is_some_and(|w| ["of", "the", "a"].contains(&w.to_lowercase().as_str()))
            {
                phrase.pop();
            }
            let last_title = phrase.iter().rposition(|w| {
                let lw = w.to_lowercase();
                let lw = lw.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
                is_title_word(&singular(lw))
            });
            let Some(last_title) = last_title else { continue };
            phrase.truncate(last_title + 1);
            let p = phrase.join(" ");
            title_spans.push((m.start(), m.start() + p.len()));
            if !in_bound(&p) && !in_bound(&singular(&p.to_lowercase())) {
                push(
                    GroundingKind::Title,
                    &p,
                    format!("the resume does not give the title \"{p}\"{whr}"),
                );
            }
        }
        for m in WORD.find_iter(text) {
            let lw = m.as_str().to_lowercase();
            let lw = singular(lw.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'));
            if !RANK_WORDS.contains(&lw.as_str())
                || title_spans.iter().any(|&(s, e)| m.start() >= s && m.start() < e)
            {
                continue;
            }
            // The rank word with the word before it when that is part of the title.
            let prev = text[..m.start()].split_whitespace().next_back().unwrap_or("");
            let phrase = if prev.chars().next().is_some_and(char::is_uppercase)
                && m.as_str().chars().next().is_some_and(char::is_uppercase)
                && !NOT_NAMES.contains(&prev.to_lowercase().as_str())
            {
                format!("{prev} {}", m.as_str())
            } else {
                m.as_str().to_string()
            };
            if !in_bound(&phrase) {
                push(
                    GroundingKind::Title,
                    &phrase,
                    format!("the resume does not give \"{phrase}\"{whr}"),
                );
            }
        }

        // Awards, promotions, certifications, degrees: a line of the same kind must back them.
        let kinds: [(&Regex, GroundingKind, &str); 3] = [
            (&AWARD, GroundingKind::Award, "award or honour"),
            (&CERT, GroundingKind::Certification, "certification or licence"),
            (&PROMOTION, GroundingKind::Promotion, "promotion"),
        ];
        let evidence: Vec<&Block> = scope.all().collect();
        for (re, kind, what) in kinds {
            let Some(m) = re.find(text) else { continue };
            // Awards and certifications may sit in their own (global) section; a promotion is
            // bound to the employer.
            let blocks: &[&Block] =
                if kind == GroundingKind::Promotion { &bound } else { &evidence };
            let names: Vec<String> = WORD
                .find_iter(text)
                .skip(1)
                .map(|w| w.as_str())
                .filter(|w| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        && w.chars().filter(|c| c.is_alphabetic()).count() >= 3
                })
                .map(stem)
                .filter(|s| !is_generic(s))
                .collect();
            let claim = stem_set_without(&bullet_stems, m.as_str());
            let trigger = m.as_str().to_lowercase();
            let specific = trigger.contains(' ');
            let global_stems = |st: &String| {
                scope.globals.iter().any(|g| g.stems.contains(st))
                    || scope.context.stems.contains(st)
            };
            let backed = blocks.iter().any(|b| {
                let block_kind = re.is_match(&b.heading);
                let line_backs = b.lines.iter().any(|l| {
                    (block_kind || re.is_match(&l.text))
                        && ((specific && l.text.contains(&trigger))
                            || claim.is_empty()
                            || claim.iter().any(|s| {
                                l.stems.contains(s)
                                    || (kind == GroundingKind::Promotion && b.stems.contains(s))
                            }))
                });
                // The names the claim gives belong to this entry or to no entry.
                line_backs
                    && names.iter().all(|n| {
                        b.stems.contains(n)
                            || b.names.iter().any(|x| &stem(x) == n)
                            || global_stems(n)
                    })
            }) || (kind == GroundingKind::Promotion
                && self.promotion_shown(scope, role_idx, text));
            if !backed {
                push(kind, m.as_str(), format!("the resume states no such {what}{whr}"));
            }
        }
        if let Some(m) = DEGREE.find(text) {
            let level = degree_level(m.as_str());
            let claim = stem_set_without(&bullet_stems, m.as_str());
            let backed = scope.all().any(|b| {
                b.lines.iter().any(|l| {
                    let cased = raw_case(l);
                    let line_levels: Vec<Option<&str>> =
                        DEGREE.find_iter(&cased).map(|x| degree_level(x.as_str())).collect();
                    !line_levels.is_empty()
                        && (level.is_none() || line_levels.contains(&level))
                        && claim
                            .iter()
                            .filter(|s| {
                                !["schoo", "unive", "colle", "degre", "progr", "studi", "gradu"]
                                    .contains(&s.as_str())
                            })
                            .all(|s| l.stems.contains(s) || b.stems.contains(s))
                })
            });
            if !backed {
                push(
                    GroundingKind::Degree,
                    m.as_str(),
                    format!("the resume lists no such degree (\"{}\")", m.as_str()),
                );
            }
        }

        // Leading people without a figure.
        if let Some(m) = TEAM_CLAIM.find(text) {
            let has_people_figure = quantities(&norm).iter().any(|q| q.kind == QKind::People);
            if !has_people_figure {
                let backed = scope.all().any(|b| {
                    b.lines.iter().any(|l| {
                        TEAM_CLAIM.is_match(&l.text)
                            || l.qty.iter().any(|q| q.kind == QKind::People)
                    }) || b.role
                        && [
                            "manager",
                            "lead",
                            "head",
                            "director",
                            "supervisor",
                            "chief",
                            "charge",
                            "foreman",
                            "executive chef",
                            "sous chef",
                            "vp",
                        ]
                        .iter()
                        .any(|t| b.has_phrase(t))
                });
                if !backed {
                    push(
                        GroundingKind::Team,
                        m.as_str(),
                        format!("the resume does not show you leading people{whr}"),
                    );
                }
            }
        }

        // Skills tied to another role only.
        if scope.named && !role_idx.is_empty() {
            for f in self.taxonomy.find_in_line(text, false) {
                let in_scope = role_idx.iter().any(|&i| self.block_skills[i].contains(&f.skill))
                    || self.global_skills.contains(&f.skill)
                    || has_phrase(&self.context.text, &f.surface)
                    || scope.all().any(|b| b.has_phrase(&f.surface))
                    || {
                        let st = content_stems(&f.surface);
                        !st.is_empty()
                            && st.iter().all(|x| scope.all().any(|b| b.stems.contains(x)))
                    };
                let entity = self
                    .blocks
                    .iter()
                    .any(|b| b.role && b.names.contains(&f.surface.to_lowercase()));
                if !in_scope && !entity && self.skills.contains(&f.skill) {
                    push(
                        GroundingKind::Role,
                        &f.surface,
                        format!("the resume ties {} to another role, not this one{whr}", f.surface),
                    );
                }
            }
            // Words of the bullet that the resume has only under other entries.
            let mut elsewhere: Vec<String> = Vec::new();
            for m in WORD.find_iter(text) {
                let s = stem(m.as_str());
                if s.chars().count() < 4 || is_generic(&s) || !bullet_stems.contains(&s) {
                    continue;
                }
                if scope.all().any(|b| b.stems.contains(&s)) {
                    continue;
                }
                let other = self
                    .blocks
                    .iter()
                    .enumerate()
                    .any(|(i, b)| b.role && !role_idx.contains(&i) && b.stems.contains(&s));
                if other && !elsewhere.iter().any(|e| stem(e) == s) {
                    elsewhere.push(m.as_str().to_string());
                }
            }
            if elsewhere.len() >= 2 {
                let t = elsewhere.join(", ");
                push(
                    GroundingKind::Role,
                    &t,
                    format!("the resume has \"{t}\" under another role, not this one{whr}"),
                );
            }
        }
        issues
    }

    /// A promotion is shown by two entries at the same employer with the claimed title in one.
    fn promotion_shown(&self, scope: &Scope<'_>, role_idx: &[usize], text: &str) -> bool {
        if role_idx.len() < 2 {
            return false;
        }
        let Some(to) = text.to_lowercase().split(" to ").nth(1).map(|s| s.to_string()) else {
            return false;
        };
        let title: Vec<&str> = to
            .split_whitespace()
            .take_while(|w| !["at", "in", "within", "after", "for", "on"].contains(w))
            .collect();
        // The entries must share a name the bullet gives (the employer).
        let named: Vec<String> = WORD
            .find_iter(text)
            .map(|m| m.as_str().to_lowercase())
            .filter(|w| !title.contains(&w.as_str()))
            .filter(|w| scope.roles.iter().all(|b| b.names.contains(w)))
            .collect();
        !named.is_empty()
            && !title.is_empty()
            && scope
                .roles
                .iter()
                .any(|b| b.lines.first().is_some_and(|l| has_phrase(&l.text, &title.join(" "))))
    }

    /// The bullet without the unbacked claims, when that leaves a grounded sentence.
    fn without(&self, bullet: &str, issues: &[GroundingIssue]) -> Option<String> {
        // An award, promotion, certification or degree is what the sentence is about: taking
        // its trigger word out leaves nonsense ("Won the … engineering for the rewrite").
        if issues.iter().any(|i| {
            matches!(
                i.kind,
                GroundingKind::Award
                    | GroundingKind::Promotion
                    | GroundingKind::Certification
                    | GroundingKind::Degree
            )
        }) {
            return None;
        }
        let mut text = PLACEHOLDER.replace_all(bullet, " ").into_owned();
        for issue in issues {
            let Some(pos) = text.find(issue.text.split(", ").next().unwrap_or(&issue.text)) else {
                continue;
            };
            text = cut_phrase(&text, pos, issue.text.len().min(text.len() - pos))?;
        }
        let text = tidy(&text);
        let before = content_stems(bullet).len();
        let after = content_stems(&text).len();
        if text.split_whitespace().count() < 4 || text == collapse(bullet) || after * 2 < before {
            return None;
        }
        self.check(&text).is_empty().then_some(text)
    }
}

/// Stems of the claim minus the trigger word's own.
fn stem_set_without(stems: &HashSet<String>, trigger: &str) -> HashSet<String> {
    let t: HashSet<String> = content_stems(trigger);
    stems.iter().filter(|s| !t.contains(*s)).cloned().collect()
}

fn raw_case(l: &Line) -> String {
    // Lines are stored lowercased; degree abbreviations are matched on an upper-cased copy for
    // the short forms (B.S., MBA) as well as the lowercase words.
    let up = l.text.to_uppercase();
    format!("{} {}", l.text, up)
}

const CUT_STARTS: &[&str] = &[
    "by",
    "of",
    "to",
    "at",
    "in",
    "for",
    "from",
    "with",
    "as",
    "on",
    "since",
    "and",
    "after",
    "within",
    "while",
    "across",
    "including",
];

/// Removes the phrase around `pos..pos+len`: from the preposition before it (at most four words
/// back) to the next preposition or punctuation.
fn cut_phrase(text: &str, pos: usize, len: usize) -> Option<String> {
    let before = &text[..pos];
    let words: Vec<(usize, &str)> = before
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - before.as_ptr() as usize, w))
        .collect();
    let mut start = pos;
    for (i, (off, w)) in words.iter().enumerate().rev().take(4) {
        let lw = w.to_lowercase();
        if CUT_STARTS.contains(&lw.as_str()) {
            start = *off;
            break;
        }
        if w.ends_with([',', ';']) {
            start = off + w.len();
            break;
        }
        if i == 0 {
            start = 0;
        }
    }
    let end_from = (pos + len).min(text.len());
    let after = &text[end_from..];
    let mut end = text.len();
    let mut off = 0;
    for w in after.split_inclusive(char::is_whitespace) {
        let core = w.trim().trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        if off > 0 && CUT_STARTS.contains(&core.as_str()) {
            end = end_from + off;
            break;
        }
        if w.trim_end().ends_with([',', ';', '.']) {
            end = end_from + off + w.trim_end().len();
            break;
        }
        off += w.len();
    }
    if start == 0 {
        // The claim opens the bullet: only an opening clause ("As X, …") can go.
        let clause = text[..end].trim_end();
        return clause
            .ends_with([',', ';'])
            .then(|| text[end..].trim_start_matches([',', ';', ' ']).to_string());
    }
    Some(format!("{} {}", &text[..start], &text[end..]))
}

fn tidy(text: &str) -> String {
    let mut t = collapse(text);
    for (a, b) in [(" ,", ","), (",,", ","), (" .", "."), ("( )", ""), (" ;", ";")] {
        t = t.replace(a, b);
    }
    let t = t.trim_matches(|c: char| c == ',' || c == ';' || c.is_whitespace()).to_string();
    let t =
        t.trim_end_matches(" and").trim_end_matches(" by").trim_end_matches(" with").to_string();
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(g: &Grounding, b: &str) -> Vec<GroundingKind> {
        g.check(b).iter().map(|i| i.kind).collect()
    }

    #[test]
    fn quantities_have_meaning() {
        let q = quantities(&normalise("led teams of 5-10 engineers, cut costs by $2.4M and 25%"));
        assert_eq!(q.len(), 3, "{q:?}");
        assert_eq!(q[0].kind, QKind::People);
        assert_eq!((q[0].lo, q[0].hi), (5.0, 10.0));
        assert_eq!(q[1].kind, QKind::Money);
        assert_eq!(q[1].lo, 2_400_000.0);
        assert_eq!(q[2].kind, QKind::Percent);
        let t = quantities(&normalise("from 10 days to six"));
        assert!(t.iter().all(|q| q.kind == QKind::Time), "{t:?}");
        let a = quantities(&normalise("over 20 engineers, ~300 orders, up to $25M"));
        assert_eq!(
            a.iter().map(|q| q.qual).collect::<Vec<_>>(),
            [Qual::AtLeast, Qual::About, Qual::AtMost]
        );
        assert!(quantities("p99 latency, pgy-1, c-10, 2nd").is_empty());
    }

    #[test]
    fn a_small_resume() {
        let g = Grounding::new(
            "Senior Engineer, Acme Corp, 2019 – 2023\n- Cut costs by 30% on AWS with PostgreSQL\n- Led teams of 5–10 engineers\nSkills: Rust, Go",
            "I also used Kubernetes at Acme",
        );
        assert!(
            g.check("Reduced AWS costs by 30% at Acme Corp").is_empty(),
            "{:?}",
            g.check("Reduced AWS costs by 30% at Acme Corp")
        );
        assert!(g.check("Wrote SQL queries on PostgreSQL for Rust services").is_empty());
        assert!(g.check("Deployed services to Kubernetes").is_empty());
        assert!(g.check("Improved throughput by [N]% with Rust").is_empty());
        assert_eq!(kinds(&g, "Cut costs by 45% on AWS"), [GroundingKind::Number]);
        assert_eq!(kinds(&g, "Led a team of 30 engineers at Acme Corp"), [GroundingKind::Team]);
        assert_eq!(kinds(&g, "Led a team of 30 engineers"), [GroundingKind::Team]);
        assert_eq!(kinds(&g, "Joined Acme Corp in 2017"), [GroundingKind::Date]);
        assert!(kinds(&g, "Built dashboards in Tableau").contains(&GroundingKind::Skill));
        assert_eq!(kinds(&g, "Moved payments to Stripe"), [GroundingKind::Name]);
        assert!(
            kinds(&g, "Promoted to Engineering Manager at Acme").contains(&GroundingKind::Title)
        );
        assert_eq!(
            kinds(&g, "Won the engineering excellence award at Acme Corp"),
            [GroundingKind::Award]
        );
    }

    #[test]
    fn without_the_claim() {
        let g = Grounding::new(
            "Senior Engineer, Acme Corp, 2019 – 2023\n- Cut costs by 30% on AWS\n- Led teams of 5–10 engineers rebuilding the billing service",
            "",
        );
        let a = g.assess("Rebuilt the billing service at Acme Corp, cutting costs by 45%");
        assert!(!a.issues.is_empty());
        assert_eq!(
            a.without_claim.as_deref(),
            Some("Rebuilt the billing service at Acme Corp, cutting costs")
        );
    }
}
