//! The character maps of PDF fonts (PDF 32000-1 §9.7.5 and §9.10.3): which bytes of a string
//! form one character code (`begincodespacerange`), which CID a code selects (`begincidrange`)
//! and which Unicode text a code stands for (`beginbfchar`, `beginbfrange`).
//!
//! This crate takes the place of crates.io's `adobe-cmap-parser` 0.4 (the workspace manifest
//! patches it in) and offers the part of its API that `pdf-extract` calls. The lexer is written
//! by hand: one pass over the bytes, no allocation per token. The parser-combinator lexer it
//! replaces cost ~37 million instructions on a two-page LaTeX resume, more than `pdftotext`'s
//! whole run, and it panicked on input it did not expect.
//!
//! Where the CMap format leaves room, this reader is lenient rather than strict, because a font
//! with a slightly odd CMap still has readable text:
//! - the counts before `beginbfchar` and friends are not trusted: entries are read up to the
//!   matching `end…` operator;
//! - an entry of an unexpected shape (a name where a string belongs, a range that runs
//!   backwards) is skipped, not an error;
//! - a destination string of any length in a `bfrange` is incremented in its last two bytes
//!   (the specification says the last byte; UTF-16 code units are two);
//! - a range maps at most [`MAX_RANGE`] codes, so a forged `<00000000> <FFFFFFFF>` cannot make
//!   four billion entries.
//!
//! The code-space width is in bytes (a two-byte range `<0000> <FFFF>` has width 2), the unit
//! `pdf-extract` compares it with.

use std::collections::HashMap;

/// Most codes one `bfrange` or `cidrange` entry may map: a full two-byte code space.
pub const MAX_RANGE: u32 = 0x1_0000;

/// A range of character codes of one byte width (`begincodespacerange`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeRange {
    /// Bytes per code.
    pub width: u32,
    pub start: u32,
    pub end: u32,
}

/// Codes `src_code_lo..=src_code_hi` select CIDs from `dst_CID_lo` on (`begincidrange`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_snake_case)] // The field name pdf-extract uses.
pub struct CIDRange {
    pub src_code_lo: u32,
    pub src_code_hi: u32,
    pub dst_CID_lo: u32,
}

/// An encoding CMap: how bytes become codes and codes become CIDs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ByteMapping {
    pub codespace: Vec<CodeRange>,
    pub cid: Vec<CIDRange>,
}

/// One token of a CMap. Strings borrow nothing: hex and literal strings are decoded.
#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    /// A hex `<…>` or literal `(…)` string, decoded to its bytes.
    Str(Vec<u8>),
    Int(i64),
    /// A number with a fraction; CMaps carry these only in places this reader skips.
    Real,
    Name,
    /// An operator or keyword (`begincmap`, `def`, `true`).
    Op(&'a [u8]),
    ArrayOpen,
    ArrayClose,
    /// `<<`, `>>`, `{`, `}`: structure this reader does not need.
    Other,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | 0x0C)
}

fn is_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The tokens of a CMap, one at a time.
struct Lexer<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn new(input: &'a [u8]) -> Self {
        Self { input, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn skip_white_and_comments(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(b) = self.peek() {
                    if b == b'\n' || b == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Bytes up to the next white space or delimiter.
    fn regular_run(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if is_white(b) || is_delimiter(b) {
                break;
            }
            self.pos += 1;
        }
        &self.input[start..self.pos]
    }

    /// `<…>` after the `<`: pairs of hex digits, white space ignored, an odd last digit
    /// padded with 0 (PDF 32000-1 §7.3.4.3).
    fn hex_string(&mut self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4);
        let mut high: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'>' {
                break;
            }
            if let Some(v) = hex_value(b) {
                match high.take() {
                    Some(h) => out.push(h << 4 | v),
                    None => high = Some(v),
                }
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        out
    }

    /// `(…)` after the `(`: balanced parentheses, backslash escapes (§7.3.4.2).
    fn literal_string(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' if depth == 0 => break,
                b')' => {
                    depth -= 1;
                    out.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(0x08),
                        b'f' => out.push(0x0C),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        self.pos += 1;
                                        v = v * 8 + u32::from(d - b'0');
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        // A backslash before an end of line continues the string.
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        out
    }

    fn next_token(&mut self) -> Option<Token<'a>> {
        self.skip_white_and_comments();
        let b = self.peek()?;
        self.pos += 1;
        Some(match b {
            b'<' if self.peek() == Some(b'<') => {
                self.pos += 1;
                Token::Other
            }
            b'>' if self.peek() == Some(b'>') => {
                self.pos += 1;
                Token::Other
            }
            b'<' => Token::Str(self.hex_string()),
            b'(' => Token::Str(self.literal_string()),
            b'[' => Token::ArrayOpen,
            b']' => Token::ArrayClose,
            b'/' => {
                self.regular_run();
                Token::Name
            }
            b'{' | b'}' | b'>' | b')' => Token::Other,
            _ => {
                self.pos -= 1;
                let run = self.regular_run();
                number(run).unwrap_or(Token::Op(run))
            }
        })
    }
}

/// A PostScript integer or real, or `None` for an operator.
fn number(run: &[u8]) -> Option<Token<'_>> {
    let digits = run.strip_prefix(b"+").or_else(|| run.strip_prefix(b"-")).unwrap_or(run);
    if digits.is_empty() || !digits.iter().all(|b| b.is_ascii_digit() || *b == b'.') {
        return None;
    }
    let dots = digits.iter().filter(|b| **b == b'.').count();
    if dots == 0 {
        std::str::from_utf8(run).ok()?.parse().ok().map(Token::Int)
    } else if dots == 1 && digits.len() > 1 {
        Some(Token::Real)
    } else {
        None
    }
}

/// The bytes of a string as one big-endian number (the last four bytes when longer).
fn as_code(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |code, b| code << 8 | u32::from(*b))
}

/// Calls `section` with the lexer positioned after each `begin` operator, for every section
/// that `begin` opens.
fn each_section<'a>(input: &'a [u8], begin: &[u8], mut section: impl FnMut(&mut Lexer<'a>, &[u8])) {
    let mut lexer = Lexer::new(input);
    let end = [b"end".as_slice(), &begin[b"begin".len()..]].concat();
    while let Some(token) = lexer.next_token() {
        if token == Token::Op(begin) {
            section(&mut lexer, &end);
        }
    }
}

/// The tokens of one section, up to its `end…` operator (or the end of input).
fn section_tokens<'a>(lexer: &mut Lexer<'a>, end: &[u8]) -> Vec<Token<'a>> {
    let mut tokens = Vec::new();
    while let Some(token) = lexer.next_token() {
        if token == Token::Op(end) {
            break;
        }
        tokens.push(token);
    }
    tokens
}

/// Adds `offset` to the last two bytes of a UTF-16BE destination (with a carry into the
/// bytes before when it is four bytes long, as for a surrogate pair).
fn offset_destination(start: &[u8], offset: u32) -> Vec<u8> {
    let mut out = start.to_vec();
    match out.len() {
        0 | 1 => {}
        4 => {
            let v = as_code(&out).wrapping_add(offset);
            out.copy_from_slice(&v.to_be_bytes());
        }
        n => {
            let last = u16::from_be_bytes([out[n - 2], out[n - 1]]).wrapping_add(offset as u16);
            out[n - 2..].copy_from_slice(&last.to_be_bytes());
        }
    }
    out
}

/// The ToUnicode map of a font: character code → UTF-16BE bytes of its text.
///
/// Never fails on content; the `Result` is kept for the API `pdf-extract` expects.
pub fn get_unicode_map(input: &[u8]) -> Result<HashMap<u32, Vec<u8>>, &'static str> {
    let mut map = HashMap::new();
    each_section(input, b"beginbfchar", |lexer, end| {
        let tokens = section_tokens(lexer, end);
        for pair in tokens.chunks_exact(2) {
            if let [Token::Str(src), Token::Str(dst)] = pair {
                map.insert(as_code(src), dst.clone());
            }
        }
    });
    each_section(input, b"beginbfrange", |lexer, end| {
        while let Some(token) = lexer.next_token() {
            let Token::Str(lo) = token else {
                if token == Token::Op(end) {
                    break;
                }
                continue;
            };
            let (Some(Token::Str(hi)), Some(dst)) = (lexer.next_token(), lexer.next_token()) else {
                break;
            };
            let (lo, hi) = (as_code(&lo), as_code(&hi));
            let valid = hi >= lo && hi - lo < MAX_RANGE;
            match dst {
                Token::Str(start) if valid => {
                    for code in lo..=hi {
                        map.insert(code, offset_destination(&start, code - lo));
                    }
                }
                Token::ArrayOpen => {
                    let mut n = 0;
                    while let Some(item) = lexer.next_token() {
                        match item {
                            Token::ArrayClose => break,
                            Token::Str(s) if valid && n <= hi - lo => {
                                map.insert(lo + n, s);
                                n += 1;
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    });
    Ok(map)
}

/// The encoding CMap of a composite font: its code space and CID ranges.
///
/// Never fails on content; the `Result` is kept for the API `pdf-extract` expects.
pub fn get_byte_mapping(input: &[u8]) -> Result<ByteMapping, &'static str> {
    let mut mapping = ByteMapping::default();
    each_section(input, b"begincodespacerange", |lexer, end| {
        for pair in section_tokens(lexer, end).chunks_exact(2) {
            if let [Token::Str(start), Token::Str(stop)] = pair
                && start.len() == stop.len()
                && (1..=4).contains(&start.len())
            {
                mapping.codespace.push(CodeRange {
                    width: start.len() as u32,
                    start: as_code(start),
                    end: as_code(stop),
                });
            }
        }
    });
    each_section(input, b"begincidrange", |lexer, end| {
        for triple in section_tokens(lexer, end).chunks_exact(3) {
            if let [Token::Str(lo), Token::Str(hi), Token::Int(cid)] = triple
                && let Ok(cid) = u32::try_from(*cid)
            {
                mapping.cid.push(CIDRange {
                    src_code_lo: as_code(lo),
                    src_code_hi: as_code(hi),
                    dst_CID_lo: cid,
                });
            }
        }
    });
    Ok(mapping)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ToUnicode CMap as TeX's and Word's PDF writers make them.
    const TO_UNICODE: &[u8] = b"%!PS-Adobe-3.0 Resource-CMap
/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
3 beginbfchar
<01> <0041>
<02><00660069> % a ligature: two UTF-16 units
<1C> <D835DC00>
endbfchar
2 beginbfrange
<20> <22> <0061>
<30> <32> [<0031> <0032> <0033>]
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
";

    fn text(map: &HashMap<u32, Vec<u8>>, code: u32) -> String {
        let units: Vec<u16> =
            map[&code].chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]])).collect();
        String::from_utf16(&units).expect("utf-16")
    }

    #[test]
    fn reads_chars_ranges_and_arrays() {
        let map = get_unicode_map(TO_UNICODE).expect("map");
        assert_eq!(map.len(), 9);
        assert_eq!(text(&map, 0x01), "A");
        assert_eq!(text(&map, 0x02), "fi");
        assert_eq!(text(&map, 0x1C), "𝐀");
        assert_eq!([text(&map, 0x20), text(&map, 0x21), text(&map, 0x22)], ["a", "b", "c"]);
        assert_eq!([text(&map, 0x30), text(&map, 0x32)], ["1", "3"]);
    }

    #[test]
    fn counts_are_not_trusted_and_odd_entries_are_skipped() {
        let cmap = b"1 beginbfchar <01> <0041> <02> /space <03> <0043> endbfchar
            1 beginbfrange <10> <0F> <0061> <40> <41> <00410042> endbfrange";
        let map = get_unicode_map(cmap).expect("map");
        // The pair with a name is skipped as a whole, which shifts the pairing after it:
        // `<02> /space` is dropped, `<03> <0043>` stays.
        assert_eq!(text(&map, 0x01), "A");
        assert!(!map.contains_key(&0x0F) && !map.contains_key(&0x10), "backwards range");
        assert_eq!([text(&map, 0x40), text(&map, 0x41)], ["AB", "AC"]);
    }

    #[test]
    fn a_forged_range_is_capped() {
        let map =
            get_unicode_map(b"beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange").expect("map");
        assert!(map.is_empty());
    }

    #[test]
    fn byte_mapping_widths_are_bytes() {
        let cmap = b"2 begincodespacerange <00> <80> <8140> <FFFF> endcodespacerange
            2 begincidrange <0000> <00FF> 1 <8140> <817E> 633 endcidrange";
        let m = get_byte_mapping(cmap).expect("mapping");
        assert_eq!(
            m.codespace,
            [
                CodeRange { width: 1, start: 0, end: 0x80 },
                CodeRange { width: 2, start: 0x8140, end: 0xFFFF }
            ]
        );
        assert_eq!(m.cid.len(), 2);
        assert_eq!(
            m.cid[1],
            CIDRange { src_code_lo: 0x8140, src_code_hi: 0x817E, dst_CID_lo: 633 }
        );
    }

    #[test]
    fn literal_strings_and_garbage_do_not_panic() {
        let map = get_unicode_map(b"beginbfchar (\\001) (\\000A) endbfchar").expect("map");
        assert_eq!(text(&map, 1), "A");
        for junk in [&b"<<<<((((\\"[..], b"beginbfrange <", b"beginbfchar ) ] } >> 1.2.3", b""] {
            let _ = get_unicode_map(junk);
            let _ = get_byte_mapping(junk);
        }
    }
}
