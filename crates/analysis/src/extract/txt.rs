//! Plain-text resumes: decode, normalise newlines, tabs and bullets.

use super::detect::{TextEncoding, text_encoding};
use super::normalize::{clean_line, starts_with_bullet};
use super::{ExtractError, Extracted, Line};
use qoder_domain::{DocumentFacts, FileFormat};

pub fn decode(bytes: &[u8], enc: TextEncoding) -> String {
    let (cow, _, _) = match enc {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => encoding_rs::UTF_8.decode(bytes),
        TextEncoding::Utf16Le => encoding_rs::UTF_16LE.decode(bytes),
        TextEncoding::Utf16Be => encoding_rs::UTF_16BE.decode(bytes),
        TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252.decode(bytes),
    };
    cow.into_owned()
}

pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let enc = text_encoding(bytes)?;
    let text = decode(bytes, enc);
    let text = text
        .replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}', '\u{0C}', '\u{0B}', '\u{85}'], "\n");
    let mut lines = Vec::new();
    for raw in text.split('\n') {
        let t = clean_line(raw);
        if t.is_empty() {
            continue;
        }
        let bullet = starts_with_bullet(&t);
        lines.push(Line { text: t, page: 1, heading_hint: false, bullet });
    }
    if lines.is_empty() {
        return Err(ExtractError::Empty);
    }
    let extractor = match enc {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => "text/utf-8",
        TextEncoding::Utf16Le => "text/utf-16le",
        TextEncoding::Utf16Be => "text/utf-16be",
        TextEncoding::Windows1252 => "text/windows-1252",
    };
    Ok(Extracted {
        lines,
        facts: DocumentFacts {
            format: Some(FileFormat::Txt),
            bytes: bytes.len() as u64,
            columns: 1,
            extractor: extractor.into(),
            ..Default::default()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_tabs_bullets_bom() {
        let e =
            extract(b"\xEF\xBB\xBFJane Doe\r\n\r\nSkills\r\n\t\xE2\x80\xA2 Rust\tGo\r\n- SQL\r\n")
                .unwrap();
        let t: Vec<_> = e.lines.iter().map(|l| (l.text.as_str(), l.bullet)).collect();
        assert_eq!(
            t,
            vec![("Jane Doe", false), ("Skills", false), ("• Rust Go", true), ("- SQL", true)]
        );
    }

    #[test]
    fn utf16_and_1252() {
        let mut b = vec![0xFF, 0xFE];
        for u in "Zoë Müller\nData".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(extract(&b).unwrap().text(), "Zoë Müller\nData\n");
        assert_eq!(extract(b"Caf\xE9 owner").unwrap().lines[0].text, "Café owner");
        assert_eq!(extract(b"  \r\n\t\n").unwrap_err(), ExtractError::Empty);
    }
}
