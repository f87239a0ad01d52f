//! File type from the bytes themselves (never the file name).

use super::ExtractError;
use qoder_domain::FileFormat;
use std::io::Cursor;

fn unsupported(detected: &str) -> ExtractError {
    ExtractError::Unsupported { detected: detected.to_string() }
}

/// The text encodings we accept for plain-text resumes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

/// Where `%PDF-` starts, if it does within the first kilobyte (some generators prepend junk).
pub fn pdf_header_offset(bytes: &[u8]) -> Option<usize> {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).position(|w| w == b"%PDF-")
}

pub fn detect(bytes: &[u8]) -> Result<FileFormat, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    if pdf_header_offset(bytes).is_some() {
        return Ok(FileFormat::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return detect_zip(bytes);
    }
    if bytes.starts_with(b"PK\x05\x06") {
        return Err(unsupported("an empty zip archive"));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(unsupported("legacy Word .doc: save it as .docx"));
    }
    let magic: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"II*\x00", "TIFF image"),
        (b"MM\x00*", "TIFF image"),
        (b"BM", "BMP image"),
        (b"{\\rtf", "RTF document: save it as .docx or PDF"),
        (b"%!PS", "PostScript document"),
        (b"\x7FELF", "executable program"),
        (b"MZ", "Windows executable"),
        (b"\x1F\x8B", "gzip archive"),
        (b"Rar!", "RAR archive"),
        (b"7z\xBC\xAF\x27\x1C", "7-Zip archive"),
        (b"RIFF", "RIFF media file"),
    ];
    for (m, name) in magic {
        if bytes.starts_with(m) {
            if *m == b"BM" && bytes.len() > 1 && looks_textual(bytes) {
                continue;
            }
            if *m == b"MZ" && looks_textual(bytes) {
                continue;
            }
            if *m == b"RIFF" && bytes.get(8..12) == Some(b"WEBP") {
                return Err(unsupported("WebP image"));
            }
            return Err(unsupported(name));
        }
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Err(unsupported("HEIC/MP4 media file"));
    }
    let enc = text_encoding(bytes)?;
    let head = super::txt::decode(&bytes[..bytes.len().min(2048)], enc);
    let start: String =
        head.chars().take(512).collect::<String>().trim_start().to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        return Err(unsupported("HTML page: print it to PDF"));
    }
    if start.starts_with("<?xml") && start.contains("<w:document") {
        return Err(unsupported("Word XML (flat .xml): save it as .docx"));
    }
    Ok(FileFormat::Txt)
}

fn looks_textual(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(4096)];
    std::str::from_utf8(sample).is_ok() && !sample.contains(&0)
}

fn detect_zip(bytes: &[u8]) -> Result<FileFormat, ExtractError> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ExtractError::Corrupt {
        format: "zip/DOCX".into(),
        detail: format!("unreadable zip archive: {e}"),
    })?;
    let names: Vec<&str> = archive.file_names().collect();
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("word/document.xml") {
        return Ok(FileFormat::Docx);
    }
    let detected = if has("xl/workbook.xml") {
        "Excel spreadsheet (.xlsx)"
    } else if has("ppt/presentation.xml") {
        "PowerPoint presentation (.pptx): export it as PDF"
    } else if has("mimetype") && has("content.xml") {
        let odt = bytes.windows(39).any(|w| w == b"application/vnd.oasis.opendocument.text");
        if odt {
            "OpenDocument text (.odt): save it as .docx or PDF"
        } else {
            "OpenDocument file (spreadsheet or presentation)"
        }
    } else if has("[Content_Types].xml") {
        "Office Open XML package without a Word document"
    } else if names.iter().any(|n| n.ends_with(".pages") || n.starts_with("Index/Document")) {
        "Apple Pages document: export it as PDF or .docx"
    } else {
        "zip archive, not a Word document"
    };
    Err(unsupported(detected))
}

/// Which text encoding the bytes are in, or `Unsupported` for binary data.
pub fn text_encoding(bytes: &[u8]) -> Result<TextEncoding, ExtractError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(TextEncoding::Utf8Bom);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Ok(TextEncoding::Utf16Le);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Ok(TextEncoding::Utf16Be);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        if printable_ratio(s) >= 0.95 {
            return Ok(TextEncoding::Utf8);
        }
        return Err(unsupported("binary data (control characters), not text"));
    }
    if bytes.contains(&0) {
        return Err(unsupported("binary data, not text"));
    }
    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    if printable_ratio(&s) >= 0.95 && mostly_letters(&s) {
        return Ok(TextEncoding::Windows1252);
    }
    Err(unsupported("binary data, not text"))
}

fn printable_ratio(s: &str) -> f64 {
    let mut total = 0usize;
    let mut ok = 0usize;
    for c in s.chars() {
        total += 1;
        if !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\u{0C}') {
            ok += 1;
        }
    }
    if total == 0 { 1.0 } else { ok as f64 / total as f64 }
}

/// Windows-1252 decodes every byte; real text is mostly ASCII letters, digits and spaces.
fn mostly_letters(s: &str) -> bool {
    let total = s.chars().count().max(1);
    let ascii = s
        .chars()
        .filter(|c| {
            c.is_ascii_alphanumeric() || c.is_ascii_whitespace() || c.is_ascii_punctuation()
        })
        .count();
    ascii as f64 / total as f64 >= 0.6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_with_junk_prefix() {
        let mut b = vec![b'x'; 300];
        b.extend_from_slice(b"%PDF-1.7\n");
        assert_eq!(detect(&b).unwrap(), FileFormat::Pdf);
        let mut far = vec![b'x'; 2000];
        far.extend_from_slice(b"%PDF-1.7\n");
        assert_eq!(detect(&far).unwrap(), FileFormat::Txt);
    }

    #[test]
    fn images_and_legacy() {
        let doc = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert_eq!(
            detect(&doc).unwrap_err(),
            ExtractError::Unsupported { detected: "legacy Word .doc: save it as .docx".into() }
        );
        for (b, want) in [
            (&b"\x89PNG\r\n\x1a\n...."[..], "PNG"),
            (&b"\xFF\xD8\xFF\xE0 JFIF"[..], "JPEG"),
            (&b"GIF89a...."[..], "GIF"),
            (&b"II*\x00...."[..], "TIFF"),
            (&b"{\\rtf1\\ansi hello}"[..], "RTF"),
            (&b"  <!DOCTYPE html><html></html>"[..], "HTML"),
        ] {
            match detect(b) {
                Err(ExtractError::Unsupported { detected }) => {
                    assert!(detected.contains(want), "{detected}")
                }
                other => panic!("{want}: {other:?}"),
            }
        }
    }

    #[test]
    fn text_encodings() {
        assert_eq!(text_encoding(b"Jane Doe\nEngineer").unwrap(), TextEncoding::Utf8);
        assert_eq!(text_encoding(b"\xEF\xBB\xBFJane").unwrap(), TextEncoding::Utf8Bom);
        assert_eq!(text_encoding(b"\xFF\xFEJ\x00").unwrap(), TextEncoding::Utf16Le);
        assert_eq!(text_encoding(b"\xFE\xFF\x00J").unwrap(), TextEncoding::Utf16Be);
        assert_eq!(
            text_encoding(b"Caf\xE9 manager, r\xE9sum\xE9").unwrap(),
            TextEncoding::Windows1252
        );
        assert!(text_encoding(&[0x00, 0x01, 0x02, 0x03, 0xFF, 0x80, 0x81, 0x00]).is_err());
    }
}
