//! iCalendar (RFC 5545) export of upcoming interviews and reminders: CRLF line ends, lines
//! folded at 75 octets, text escaped, every event with UID and DTSTAMP, all times in UTC (so no
//! VTIMEZONE is needed).

use chrono::{DateTime, Duration, Utc};
use qoder_domain::job::{Interview, JobApplication, Reminder};
use std::collections::HashMap;

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Upcoming {
    pub calendar: String,
    pub interviews: usize,
    pub reminders: usize,
}

/// The calendar of interviews from `now` on and reminders due within `days`.
pub fn upcoming(
    store: &qoder_store::Store,
    now: DateTime<Utc>,
    days: u32,
) -> crate::Result<Upcoming> {
    let interviews = crate::schedule::upcoming_interviews(store, now)?;
    let reminders = crate::schedule::due(store, now, now + Duration::days(i64::from(days)))?;
    let mut jobs = HashMap::new();
    for id in interviews.iter().map(|i| i.job_id).chain(reminders.iter().filter_map(|r| r.job_id)) {
        if let std::collections::hash_map::Entry::Vacant(e) = jobs.entry(id) {
            e.insert(crate::job::show(store, id)?.job);
        }
    }
    Ok(Upcoming {
        calendar: calendar(&interviews, &reminders, &jobs, now),
        interviews: interviews.len(),
        reminders: reminders.len(),
    })
}

/// Escape a TEXT value (RFC 5545 §3.3.11).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Fold one content line at 75 octets without splitting a UTF-8 character (§3.1) and end it
/// with CRLF.
pub fn fold(line: &str, out: &mut String) {
    let mut len = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if len + n > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += n;
    }
    out.push_str("\r\n");
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The calendar: one VEVENT per interview (with a 30-minute alarm) and per reminder.
pub fn calendar(
    interviews: &[Interview],
    reminders: &[Reminder],
    jobs: &HashMap<qoder_domain::ids::JobId, JobApplication>,
    now: DateTime<Utc>,
) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//QoderResume//Job Tracker//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        "X-WR-CALNAME:QoderResume".into(),
    ];
    let stamp = utc(now);
    for i in interviews {
        let job = jobs.get(&i.job_id);
        let what = job.map(crate::schedule::job_label).unwrap_or_else(|| "job".into());
        let mut desc = vec![format!("Interview ({}) for {what}", i.kind.as_str())];
        if let Some(tz) = &i.timezone {
            let local = i.starts_at.format("%Y-%m-%d %H:%M UTC");
            desc.push(format!("Time zone: {tz} (starts {local})"));
        }
        if !i.interviewers.is_empty() {
            desc.push(format!("Interviewers: {}", i.interviewers.join(", ")));
        }
        if let Some(l) = &i.link {
            desc.push(format!("Link: {l}"));
        }
        if let Some(n) = &i.notes {
            desc.push(n.clone());
        }
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:interview-{}@qoder.local", i.id));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("DTSTART:{}", utc(i.starts_at)));
        lines.push(format!(
            "DTEND:{}",
            utc(i.starts_at + Duration::minutes(i64::from(i.duration_minutes)))
        ));
        lines.push(format!("SUMMARY:{}", escape(&format!("Interview: {what}"))));
        if let Some(loc) = i.location.as_ref().or(i.link.as_ref()) {
            lines.push(format!("LOCATION:{}", escape(loc)));
        }
        lines.push(format!("DESCRIPTION:{}", escape(&desc.join("\n"))));
        lines.push("CATEGORIES:INTERVIEW".into());
        lines.push("BEGIN:VALARM".into());
        lines.push("ACTION:DISPLAY".into());
        lines.push("TRIGGER:-PT30M".into());
        lines.push(format!("DESCRIPTION:{}", escape(&format!("Interview in 30 minutes: {what}"))));
        lines.push("END:VALARM".into());
        lines.push("END:VEVENT".into());
    }
    for r in reminders {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:reminder-{}@qoder.local", r.id));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("DTSTART:{}", utc(r.due_at)));
        lines.push("DURATION:PT15M".into());
        lines.push(format!("SUMMARY:{}", escape(&r.message)));
        let mut desc = format!("Reminder ({})", r.kind.as_str());
        if let Some(j) = r.job_id.and_then(|id| jobs.get(&id)) {
            desc.push_str(&format!("\n{}", crate::schedule::job_label(j)));
            if let Some(u) = &j.source_url {
                desc.push_str(&format!("\n{u}"));
            }
        }
        lines.push(format!("DESCRIPTION:{}", escape(&desc)));
        lines.push("CATEGORIES:REMINDER".into());
        lines.push("BEGIN:VALARM".into());
        lines.push("ACTION:DISPLAY".into());
        lines.push("TRIGGER:PT0M".into());
        lines.push(format!("DESCRIPTION:{}", escape(&r.message)));
        lines.push("END:VALARM".into());
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in &lines {
        fold(l, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unfold(s: &str) -> String {
        s.replace("\r\n ", "")
    }

    #[test]
    fn text_is_escaped() {
        for (input, want) in [
            ("a,b;c\\d", "a\\,b\\;c\\\\d"),
            ("line1\nline2", "line1\\nline2"),
            ("crlf\r\nend", "crlf\\nend"),
            ("plain", "plain"),
        ] {
            assert_eq!(escape(input), want, "{input:?}");
        }
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_char_boundaries() {
        for input in [
            "x".repeat(200),
            "é".repeat(100),
            format!("SUMMARY:{}", "日本語".repeat(40)),
            "short".into(),
        ] {
            let mut out = String::new();
            fold(&input, &mut out);
            assert!(out.ends_with("\r\n"));
            for line in out.split("\r\n").filter(|l| !l.is_empty()) {
                assert!(line.len() <= 75, "{} octets: {line}", line.len());
            }
            assert_eq!(unfold(&out).trim_end_matches("\r\n"), input);
        }
    }
}
