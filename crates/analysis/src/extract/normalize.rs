//! Character-level clean-up shared by every format: ligatures, soft hyphens, odd spaces,
//! control characters, and bullet recognition (the glyphs are qoder-domain's `bullet` sets).

use qoder_domain::bullet;

/// Marks in extracted text besides `bullet`'s dashes that count only when a space follows:
/// Word's second-level bullet (a Courier New "o") and ">".
const SPACED_MARKS: &[char] = &['o', '>'];

/// Clean one line of text: ligatures expanded, soft hyphens and zero-width characters removed,
/// every kind of space (and tabs) turned into one ASCII space, control characters dropped,
/// private-use symbol-font bullets mapped to '•', and the ends trimmed.
pub fn clean_line(s: &str) -> String {
    fn push(out: &mut String, c: char) {
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            return;
        }
        out.push(c);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let piece: &str = match c {
            '\u{FB00}' => "ff",
            '\u{FB01}' => "fi",
            '\u{FB02}' => "fl",
            '\u{FB03}' => "ffi",
            '\u{FB04}' => "ffl",
            '\u{FB05}' | '\u{FB06}' => "st",
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
            | '\u{FFFD}' => "",
            '\t' | '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
                " "
            }
            // Symbol/Wingdings bullets extracted as private-use code points.
            c if bullet::PRIVATE_USE.contains(&c) => "•",
            c if c.is_control() => " ",
            c => {
                push(&mut out, c);
                continue;
            }
        };
        for pc in piece.chars() {
            push(&mut out, pc);
        }
    }
    let len = out.trim_end().len();
    out.truncate(len);
    out
}

/// Whether a cleaned line starts with a bullet glyph (the glyph stays in the text).
pub fn starts_with_bullet(line: &str) -> bool {
    let mut it = line.chars();
    let Some(first) = it.next() else {
        return false;
    };
    if bullet::SHAPES.contains(&first) {
        return it.next().is_some();
    }
    if bullet::DASHES.contains(&first) || SPACED_MARKS.contains(&first) {
        return it.next() == Some(' ') && it.next().is_some_and(|c| !c.is_whitespace());
    }
    false
}

/// Whether a character is a bullet glyph on its own (used to keep a lone bullet glyph together
/// with the text that follows it on the same baseline).
pub fn is_bullet_glyph(c: char) -> bool {
    bullet::SHAPES.contains(&c) || bullet::PRIVATE_USE.contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_and_spaces() {
        assert_eq!(
            clean_line("e\u{FB03}cient \u{FB01}nance\u{00A0}\u{00A0}of\u{FB02}ow"),
            "efficient finance offlow"
        );
        assert_eq!(clean_line("  co\u{00AD}operate\t\tnow  "), "cooperate now");
        assert_eq!(clean_line("a\u{2003}b\u{200B}c"), "a bc");
        assert_eq!(clean_line("\u{F0B7} Rust"), "• Rust");
        for &c in bullet::PRIVATE_USE {
            assert_eq!(clean_line(&format!("{c}Rust")), "•Rust", "{c:?}");
            assert!(is_bullet_glyph(c), "{c:?}");
        }
    }

    #[test]
    fn bullets() {
        assert!(starts_with_bullet("• Led a team"));
        assert!(starts_with_bullet("➢Shipped"));
        assert!(starts_with_bullet("- Built"));
        assert!(starts_with_bullet("– Built"));
        assert!(!starts_with_bullet("-5 degrees"));
        assert!(!starts_with_bullet("opened"));
        assert!(!starts_with_bullet("•"));
    }
}
