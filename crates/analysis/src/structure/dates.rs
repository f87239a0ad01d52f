//! Dates as resumes write them: "Jan 2020 – Present", "01/2019 - 03/2021", "2018–2020",
//! "March 2017 to June 2019", "2021-04 – current", "Summer 2019".

use qoder_domain::PartialDate;
use regex_lite::Regex;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Dates are written in ASCII digits and English month names, and extraction has turned every
/// kind of space into an ASCII one: ASCII patterns (`regex_lite`, whose `\d`, `\s`, `\b` and
/// `(?i)` are ASCII) do, at a tenth of the cost of building `regex`'s Unicode automata in
/// every fresh process.
fn date_regex(pattern: &str) -> Result<Regex, regex_lite::Error> {
    Regex::new(pattern)
}

/// Every date form holds a year: four ASCII digits in a row, or an apostrophe and two ('19).
/// A line without one is passed over before any pattern runs (most lines of a resume).
fn may_hold_date(line: &str) -> bool {
    first_year_at(line).is_some()
}

/// Where the first year-like run of a line starts (its first digit, or the apostrophe).
fn first_year_at(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut run = 0;
    for (i, c) in b.iter().enumerate() {
        if c.is_ascii_digit() {
            run += 1;
            if run == 4 {
                return Some(i - 3);
            }
            if run == 2 && i >= 2 && b[i - 2] == b'\'' {
                return Some(i - 2);
            }
        } else {
            run = 0;
        }
    }
    None
}

/// Most bytes a match can start before the first year in it: "since September., 2019" has 18,
/// plus room for doubled spaces.
const MAX_DATE_PREFIX: usize = 48;

/// Where the patterns start searching a line: no match can start earlier than
/// [`MAX_DATE_PREFIX`] bytes before the line's first year, and a search costs per byte it
/// passes (a PikeVM runs every state over every byte). The patterns still see the text before
/// this point for `\b`.
fn search_from(line: &str) -> usize {
    let at = first_year_at(line).unwrap_or(0).saturating_sub(MAX_DATE_PREFIX);
    (0..=at).rev().find(|&i| line.is_char_boundary(i)).unwrap_or(0)
}

/// A date range found in a line, with the byte span it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    pub current: bool,
    pub span: (usize, usize),
}

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|fall|autumn|winter)";

static DATE: LazyLock<String> = LazyLock::new(|| {
    format!(
        r"(?:{MONTH}\.?,?\s*(?:'\d{{2}}|\d{{4}})|(?:19|20)\d{{2}}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b|(?:0?[1-9]|[12]\d|3[01])[/.](?:0?[1-9]|1[0-2])[/.](?:19|20)\d{{2}}|(?:0?[1-9]|1[0-2])\s*[/.]\s*(?:19|20)\d{{2}}|(?:19|20)\d{{2}}\s*[-/.]\s*(?:0[1-9]|1[0-2])\b|(?:19|20)\d{{2}})"
    )
});

static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    let d = DATE.as_str();
    date_regex(&format!(
        r"(?i)\b(?P<start>{d})\s*(?:-|–|—|‒|―|~|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s*(?P<end>{d}|present|current(?:ly)?|now|today|ongoing|date|to date)(?:\b|$)"
    ))
    .expect("date range regex")
});

static SINGLE: LazyLock<Regex> = LazyLock::new(|| {
    date_regex(&format!(r"(?i)\b(?P<d>{})(?:\b|$)", DATE.as_str())).expect("date regex")
});

static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    date_regex(&format!(r"(?i)^(?P<m>{MONTH})\.?,?\s*(?P<y>'\d{{2}}|\d{{4}})$")).expect("month")
});
static NUM_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    date_regex(r"^(?P<m>0?[1-9]|1[0-2])\s*[/.]\s*(?P<y>(?:19|20)\d{2})$").expect("mm/yyyy")
});
static YEAR_NUM_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    date_regex(r"^(?P<y>(?:19|20)\d{2})\s*[-/.]\s*(?P<m>0[1-9]|1[0-2])$").expect("yyyy-mm")
});

static FULL_ISO: LazyLock<Regex> = LazyLock::new(|| {
    date_regex(r"^(?P<y>(?:19|20)\d{2})-(?P<m>0[1-9]|1[0-2])-\d{2}$").expect("yyyy-mm-dd")
});
static FULL_DMY: LazyLock<Regex> = LazyLock::new(|| {
    date_regex(r"^(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>(?:19|20)\d{2})$").expect("dd/mm/yyyy")
});

/// A range whose end is left empty because it is ongoing ("2023-08-01 —", "Mar 2021 –" at the
/// end of a line): JSON Resume themes print a current position so.
static OPEN_END: LazyLock<Regex> = LazyLock::new(|| {
    date_regex(&format!(r"(?i)\b(?P<start>{})\s*(?:-|–|—)\s*$", DATE.as_str())).expect("open end")
});

fn month_number(name: &str) -> Option<u8> {
    let n = name.to_lowercase();
    let m = match n.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        "spr" => 3,
        "sum" => 6,
        "fal" | "aut" => 9,
        "win" => 1,
        _ => return None,
    };
    Some(m)
}

fn year_of(s: &str) -> Option<i32> {
    if let Some(short) = s.strip_prefix('\'') {
        let y: i32 = short.parse().ok()?;
        return Some(if y < 50 { 2000 + y } else { 1900 + y });
    }
    s.parse().ok()
}

/// Parse one date as written ("Jan 2020", "01/2020", "2020-01", "2020").
pub fn parse_date(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    if let Some(c) = MONTH_YEAR.captures(s) {
        return Some(PartialDate { year: year_of(&c["y"])?, month: month_number(&c["m"]) });
    }
    if let Some(c) = NUM_MONTH_YEAR.captures(s) {
        return Some(PartialDate { year: c["y"].parse().ok()?, month: c["m"].parse().ok() });
    }
    if let Some(c) = YEAR_NUM_MONTH.captures(s) {
        return Some(PartialDate { year: c["y"].parse().ok()?, month: c["m"].parse().ok() });
    }
    // Full dates: ISO "2023-08-01" and day-first or month-first "01/08/2023" (the month is
    // taken as the middle part when the first cannot be a month).
    if let Some(c) = FULL_ISO.captures(s) {
        return Some(PartialDate { year: c["y"].parse().ok()?, month: c["m"].parse().ok() });
    }
    if let Some(c) = FULL_DMY.captures(s) {
        let (a, b): (u8, u8) = (c["a"].parse().ok()?, c["b"].parse().ok()?);
        let month = if a > 12 {
            b
        } else if b > 12 {
            a
        } else {
            b
        };
        return Some(PartialDate { year: c["y"].parse().ok()?, month: Some(month) });
    }
    let y: i32 = s.parse().ok()?;
    (1940..=2100).contains(&y).then_some(PartialDate { year: y, month: None })
}

fn is_present(s: &str) -> bool {
    let s = s.trim().to_lowercase();
    matches!(
        s.as_str(),
        "present" | "current" | "currently" | "now" | "today" | "ongoing" | "date" | "to date"
    )
}

static SINCE: LazyLock<Regex> = LazyLock::new(|| {
    date_regex(&format!(r"(?i)\b(?:since|from)\s+(?P<start>{})(?:\b|$)", DATE.as_str()))
        .expect("since regex")
});

type Memo = RefCell<HashMap<String, Option<DateRange>>>;

thread_local! {
    /// The parser asks about the same line several times (contact, sections, entries): the
    /// answers of the pattern searches, per thread, for the last few thousand lines.
    static RANGES: Memo = RefCell::new(HashMap::new());
    static RANGES_OR_DATES: Memo = RefCell::new(HashMap::new());
}

/// Most lines a memo keeps before it starts afresh.
const MEMO_LINES: usize = 4096;

fn memoised(
    memo: &'static std::thread::LocalKey<Memo>,
    line: &str,
    find: fn(&str) -> Option<DateRange>,
) -> Option<DateRange> {
    if !may_hold_date(line) {
        return None;
    }
    if let Some(found) = memo.with(|m| m.borrow().get(line).copied()) {
        return found;
    }
    let found = find(line);
    memo.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MEMO_LINES {
            m.clear();
        }
        m.insert(line.to_string(), found);
    });
    found
}

/// The first date range in a line ("Jan 2020 – Present", "since 2019").
pub fn find_range(line: &str) -> Option<DateRange> {
    memoised(&RANGES, line, search_range)
}

fn search_range(line: &str) -> Option<DateRange> {
    let from = search_from(line);
    let Some(c) = RANGE.captures_at(line, from) else {
        let c = SINCE.captures_at(line, from).or_else(|| OPEN_END.captures_at(line, from))?;
        let whole = c.get(0)?;
        let start = parse_date(&c["start"]);
        start?;
        return Some(DateRange {
            start,
            end: None,
            current: true,
            span: (whole.start(), whole.end()),
        });
    };
    let whole = c.get(0)?;
    let start = parse_date(&c["start"]);
    let end_s = &c["end"];
    let current = is_present(end_s);
    let end = if current { None } else { parse_date(end_s) };
    start?;
    Some(DateRange { start, end, current, span: (whole.start(), whole.end()) })
}

/// A range, or a single date taken as the end (graduation "May 2016").
pub fn find_range_or_date(line: &str) -> Option<DateRange> {
    memoised(&RANGES_OR_DATES, line, search_range_or_date)
}

fn search_range_or_date(line: &str) -> Option<DateRange> {
    if let Some(r) = find_range(line) {
        return Some(r);
    }
    let c = SINGLE.captures_at(line, search_from(line))?;
    let m = c.name("d")?;
    let d = parse_date(m.as_str())?;
    Some(DateRange { start: None, end: Some(d), current: false, span: (m.start(), m.end()) })
}

/// Whether the line has any date at all.
pub fn has_date(line: &str) -> bool {
    may_hold_date(line) && SINGLE.is_match_at(line, search_from(line))
}

/// Build this module's patterns now (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    for re in [
        &RANGE,
        &SINGLE,
        &MONTH_YEAR,
        &NUM_MONTH_YEAR,
        &YEAR_NUM_MONTH,
        &FULL_ISO,
        &FULL_DMY,
        &OPEN_END,
        &SINCE,
    ] {
        LazyLock::force(re);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: Option<u8>) -> Option<PartialDate> {
        Some(PartialDate { year, month })
    }

    fn check(line: &str, start: Option<PartialDate>, end: Option<PartialDate>, current: bool) {
        let r = find_range(line).unwrap_or_else(|| panic!("no range in {line:?}"));
        assert_eq!((r.start, r.end, r.current), (start, end, current), "{line:?}");
    }

    /// Searching from [`search_from`] finds what searching the whole line finds.
    #[test]
    fn the_search_window_loses_no_match() {
        let mut ranges = 0;
        let long =
            "Led the migration of forty-two services to Kubernetes and cut costs by a third, ";
        for tail in [
            "Jan 2020 – Present",
            "since September 2019",
            "from Sept., 2019",
            "2018–2020",
            "01/2019 - 03/2021",
            "31.12.2019",
            "Summer '19 – Fall '20",
            "Mar 2021 –",
            "2021-04 – current",
            "in 1234 places and 2019",
        ] {
            for line in
                [tail.to_string(), format!("{long}{tail}"), format!("{long}{long}{tail} and more")]
            {
                let whole = RANGE
                    .captures(&line)
                    .or_else(|| SINCE.captures(&line))
                    .or_else(|| OPEN_END.captures(&line))
                    .map(|c| c.get(0).map(|m| (m.start(), m.end())));
                let from = search_from(&line);
                let window = RANGE
                    .captures_at(&line, from)
                    .or_else(|| SINCE.captures_at(&line, from))
                    .or_else(|| OPEN_END.captures_at(&line, from))
                    .map(|c| c.get(0).map(|m| (m.start(), m.end())));
                assert_eq!(window, whole, "{line:?}");
                ranges += usize::from(whole.is_some());
                let single = SINGLE.find(&line).map(|m| m.range());
                assert_eq!(SINGLE.find_at(&line, from).map(|m| m.range()), single, "{line:?}");
            }
        }
        // Every range three times, but the open one ("Mar 2021 –") only at the end of a line.
        assert_eq!(ranges, 8 * 3 - 1);
    }

    #[test]
    fn ranges_in_many_formats() {
        check("Jan 2020 – Present", d(2020, Some(1)), None, true);
        check("01/2019 - 03/2021", d(2019, Some(1)), d(2021, Some(3)), false);
        check("2018–2020", d(2018, None), d(2020, None), false);
        check("March 2017 to June 2019", d(2017, Some(3)), d(2019, Some(6)), false);
        check("2021-04 – current", d(2021, Some(4)), None, true);
        check("Acme Corp | Sept. 2015 — Dec. 2016", d(2015, Some(9)), d(2016, Some(12)), false);
        check("Summer 2019 - Fall 2019", d(2019, Some(6)), d(2019, Some(9)), false);
        check("Jun '18 - Aug '19", d(2018, Some(6)), d(2019, Some(8)), false);
        check("2019 – Now", d(2019, None), None, true);
        check("May 2014 - Aug 2016", d(2014, Some(5)), d(2016, Some(8)), false);
        check(
            "Kestrel Pumps GmbH 2021-06-01 — 2023-07-01",
            d(2021, Some(6)),
            d(2023, Some(7)),
            false,
        );
        check("Vantor Aerospace 2023-08-01 —", d(2023, Some(8)), None, true);
        check("15/03/2019 - 30/06/2021", d(2019, Some(3)), d(2021, Some(6)), false);
        check("Data Scientist since March 2021", d(2021, Some(3)), None, true);
    }

    #[test]
    fn not_ranges() {
        assert!(find_range("Increased revenue by 20-30%").is_none());
        assert!(find_range("Call 555-1234").is_none());
        assert!(find_range("Managed 12 to 15 people").is_none());
        assert!(find_range("Grew revenue from 2 -").is_none());
    }

    #[test]
    fn single_dates() {
        let r = find_range_or_date("B.Sc. Computer Science, May 2016").unwrap();
        assert_eq!(r.end, d(2016, Some(5)));
        assert_eq!(parse_date("2020"), d(2020, None));
        assert_eq!(parse_date("12/2020"), d(2020, Some(12)));
    }
}
