//! Splitting a long text into lines/bullets and sentences.

use qoder_domain::bullet;

/// The pieces of `text` in order: each non-empty line (bullet marker removed), cut further after
/// sentence-ending punctuation (`.`, `!`, `?`, `;` followed by white space). Pieces without any
/// letter or digit are dropped. Every piece is a sub-slice of `text`.
pub fn split_segments(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.split(['\n', '\r', '\u{2028}', '\u{2029}']) {
        let line = strip_bullet(line.trim());
        let mut start = 0;
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let ends = matches!(c, '.' | '!' | '?' | ';' | '。')
                && chars.peek().is_some_and(|(_, n)| n.is_whitespace());
            if ends && !is_abbreviation(&line[start..i]) {
                push(&mut out, &line[start..i + c.len_utf8()]);
                start = i + c.len_utf8();
            }
        }
        push(&mut out, &line[start..]);
    }
    out
}

fn push<'a>(out: &mut Vec<&'a str>, piece: &'a str) {
    let piece = piece.trim();
    if piece.chars().any(char::is_alphanumeric) {
        out.push(piece);
    }
}

/// The line without its list marks ([`bullet::strip`]) or, when it has none, its numbering
/// ("1." / "2)").
fn strip_bullet(line: &str) -> &str {
    let rest = bullet::strip(line);
    if rest.len() != line.trim().len() {
        return rest;
    }
    bullet::numbering(rest).unwrap_or(rest)
}

/// True when the text before a period ends in a common abbreviation ("e.g", "Inc", "Dr").
fn is_abbreviation(before: &str) -> bool {
    let last = before.rsplit(char::is_whitespace).next().unwrap_or("");
    let last = last.trim_start_matches(['(', '"', '\'']).to_ascii_lowercase();
    matches!(
        last.as_str(),
        "e.g"
            | "i.e"
            | "etc"
            | "vs"
            | "inc"
            | "ltd"
            | "co"
            | "dr"
            | "mr"
            | "mrs"
            | "ms"
            | "jr"
            | "sr"
            | "st"
            | "no"
            | "approx"
            | "u.s"
            | "a.m"
            | "p.m"
    )
}

#[cfg(test)]
mod tests {
    use super::split_segments;

    fn check(input: &str, expected: &[&str]) {
        assert_eq!(split_segments(input), expected, "input: {input:?}");
    }

    #[test]
    fn segments() {
        check("", &[]);
        check("   \n\n  ", &[]);
        check("One sentence", &["One sentence"]);
        check("First. Second! Third? Fourth", &["First.", "Second!", "Third?", "Fourth"]);
        check("• Built X\n- Led Y\n* Cut Z", &["Built X", "Led Y", "Cut Z"]);
        check("1. Shipped v2\n2) Hired 3", &["Shipped v2", "Hired 3"]);
        check("Used e.g. Rust and Go. Then more.", &["Used e.g. Rust and Go.", "Then more."]);
        check("Version 2.5 shipped", &["Version 2.5 shipped"]);
        check("a; b", &["a;", "b"]);
        check("--- \n ... \n•", &[]);
        check("Ünïcode ✓ text. Ende", &["Ünïcode ✓ text.", "Ende"]);
    }
}
