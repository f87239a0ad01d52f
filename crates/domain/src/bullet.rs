//! List markers: which characters start a list item, and taking them off a line. One definition
//! for every reader of resume and job text (the extractors, the entry parser, the JD parser, the
//! match report, the embedding chunker, the JSON Resume export).

/// Shapes that only ever mark a list item: they start one with or without a space after
/// ("•Built", "➢ Led").
pub const SHAPES: &[char] = &[
    '•', '◦', '▪', '▫', '■', '□', '●', '○', '◆', '◇', '❖', '➢', '➤', '►', '▶', '▸', '‣', '⁃', '✓',
    '✔', '★', '☆', '⦿', '⦾', '➔', '→', '∙', '⋅', '♦',
];

/// Dashes, a star and a middle dot: list marks that also begin ordinary text ("-5%", "*nix").
/// A line is cut from them wherever it is known to be an item; the extractors count them as
/// marks only when a space follows.
pub const DASHES: &[char] = &['-', '–', '—', '*', '·'];

/// Symbol- and Wingdings-font bullets, which PDF and DOCX text gives as private-use code points
/// (the extractors turn them into '•').
pub const PRIVATE_USE: &[char] = &[
    '\u{F0B7}', '\u{F0A7}', '\u{F0D8}', '\u{F076}', '\u{F0FC}', '\u{F06C}', '\u{F06E}', '\u{F0A8}',
];

/// Marks that start a list item only when a space follows: they also begin ordinary text
/// ("+44 20 7946 0958", ">5 years", "=>").
pub const SPACED: &[&str] = &["->", "=>", "+", ">"];

/// `c` marks a list item whether or not a space follows: a shape, a dash or a symbol-font
/// bullet.
pub fn is_glyph(c: char) -> bool {
    SHAPES.contains(&c) || DASHES.contains(&c) || PRIVATE_USE.contains(&c)
}

/// The mark at the start of `s` and its length in bytes: a glyph, or a spaced mark followed by
/// white space.
fn mark(s: &str) -> Option<usize> {
    for m in SPACED {
        if let Some(rest) = s.strip_prefix(m)
            && rest.starts_with(char::is_whitespace)
        {
            return Some(m.len());
        }
    }
    s.chars().next().filter(|&c| is_glyph(c)).map(char::len_utf8)
}

/// The line starts with a list mark ("--" is a rule, not a mark).
pub fn starts_item(line: &str) -> bool {
    let t = line.trim_start();
    mark(t).is_some() && !t.starts_with("--")
}

/// The line without the marks at its start (however many: "• - Built") and the white space
/// around it: "• Built X " → "Built X". A line without a mark is only trimmed.
pub fn strip(line: &str) -> &str {
    let mut t = line.trim_start();
    while let Some(n) = mark(t) {
        t = t[n..].trim_start();
    }
    t.trim_end()
}

/// One list marker at the start of a trimmed line, followed by a space (or ending the line): a
/// mark, or a number or letter ("1.", "12)", "a)"). Returns whether there was one and the rest,
/// trimmed. Stricter than [`strip`]: "•Python" keeps its glyph.
pub fn strip_marker(line: &str) -> (bool, &str) {
    let t = line.trim();
    let spaced = |rest: &str| rest.is_empty() || rest.starts_with(char::is_whitespace);
    for m in SPACED {
        if let Some(rest) = t.strip_prefix(m)
            && spaced(rest)
        {
            return (true, rest.trim());
        }
    }
    if let Some(c) = t.chars().next().filter(|&c| is_glyph(c))
        && spaced(&t[c.len_utf8()..])
    {
        return (true, t[c.len_utf8()..].trim());
    }
    match numbering(t) {
        Some(rest) => (true, rest.trim()),
        None => (false, t),
    }
}

/// The text after "1." / "12)" / "a)" and white space at the start of `t`, if there is some.
pub fn numbering(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let after = if (1..=3).contains(&digits) {
        t[digits..].strip_prefix('.').or_else(|| t[digits..].strip_prefix(')'))
    } else if b.len() > 1 && b[0].is_ascii_lowercase() && b[1] == b')' {
        Some(&t[2..])
    } else {
        None
    }?;
    let rest = after.trim_start();
    (rest.len() < after.len() && !rest.is_empty()).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_takes_off_every_leading_mark_and_keeps_text() {
        assert_eq!(strip("  • Built 3 services "), "Built 3 services");
        assert_eq!(strip("•Built"), "Built");
        assert_eq!(strip("• - Built"), "Built");
        assert_eq!(strip("\u{F0B7} Led a team"), "Led a team");
        assert_eq!(strip("+ Python"), "Python");
        assert_eq!(strip("-> Go"), "Go");
        // Not marks: a phone number, a comparison, plain text.
        assert_eq!(strip("+44 20 7946 0958"), "+44 20 7946 0958");
        assert_eq!(strip(">5 years"), ">5 years");
        assert_eq!(strip("Built X"), "Built X");
        assert_eq!(strip("•"), "");
    }

    #[test]
    fn every_kind_of_glyph_is_a_mark() {
        for c in SHAPES.iter().chain(DASHES).chain(PRIVATE_USE) {
            assert!(is_glyph(*c), "{c:?}");
            assert_eq!(strip(&format!("{c} Led a team")), "Led a team", "{c:?}");
        }
        assert_eq!(strip("★ Led a team"), "Led a team");
        assert_eq!(strip("\u{F0D8}Led a team"), "Led a team");
        assert!(!is_glyph('o') && !is_glyph('+') && !is_glyph('a'));
    }

    #[test]
    fn starts_item_knows_marks_but_not_rules_or_numbers() {
        assert!(starts_item("• Built"));
        assert!(starts_item("  -Built"));
        assert!(starts_item("+ Kafka"));
        assert!(!starts_item("-- signature"));
        assert!(!starts_item("+1 555 0100"));
        assert!(!starts_item("Built"));
        assert!(!starts_item(""));
    }

    #[test]
    fn strip_marker_needs_a_space_and_reads_numbering() {
        assert_eq!(strip_marker("- Python"), (true, "Python"));
        assert_eq!(strip_marker("=> Rust"), (true, "Rust"));
        assert_eq!(strip_marker("•"), (true, ""));
        assert_eq!(strip_marker("1. Design APIs"), (true, "Design APIs"));
        assert_eq!(strip_marker("12) Ship"), (true, "Ship"));
        assert_eq!(strip_marker("a) Own the roadmap"), (true, "Own the roadmap"));
        assert_eq!(strip_marker("•Python"), (false, "•Python"));
        assert_eq!(strip_marker("-5% churn"), (false, "-5% churn"));
        assert_eq!(strip_marker("2020. A year"), (false, "2020. A year"));
        assert_eq!(strip_marker("1.5 years"), (false, "1.5 years"));
        assert_eq!(strip_marker("Python"), (false, "Python"));
    }
}
