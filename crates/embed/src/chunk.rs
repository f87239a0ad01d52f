//! Splitting a long text into lines/bullets and sentences.

/// Bullet markers stripped from the start of a line.
const BULLETS: &[char] =
    &['•', '·', '▪', '◦', '‣', '-', '*', '–', '—', '●', '○', '■', '□', '➢', '►', '✓'];

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

fn strip_bullet(line: &str) -> &str {
    let rest = line.trim_start_matches(BULLETS);
    if rest.len() != line.len() {
        return rest.trim_start();
    }
    // "1." / "2)" numbering
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits <= 3 {
        let after = &line[digits..];
        if let Some(r) = after.strip_prefix('.').or_else(|| after.strip_prefix(')'))
            && r.starts_with(char::is_whitespace)
        {
            return r.trim_start();
        }
    }
    line
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
