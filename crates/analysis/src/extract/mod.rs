//! Text extraction from untrusted PDF, DOCX and TXT bytes, under limits.
//!
//! The output is a list of visual lines in reading order with light layout hints, plus facts
//! about the document an ATS cares about (columns, tables, images, headers/footers).

use qoder_domain::{CodedError, DocumentFacts, ErrorCode, FileFormat};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Limits for parsing one untrusted file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest accepted file (the design allows 10 MB).
    pub max_bytes: u64,
    /// Wall time for extracting one file (enforced by the isolated worker's parent).
    pub timeout: Duration,
    /// Address-space limit of the isolated worker process.
    pub max_memory_bytes: u64,
    /// DOCX (zip) limits.
    pub max_zip_entries: usize,
    pub max_uncompressed_bytes: u64,
    pub max_compression_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            timeout: Duration::from_secs(15),
            max_memory_bytes: 1024 * 1024 * 1024,
            max_zip_entries: 2_000,
            max_uncompressed_bytes: 64 * 1024 * 1024,
            max_compression_ratio: 200,
        }
    }
}

/// One visual line of the document, in reading order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub text: String,
    /// 1-based page (PDF); 1 for formats without pages.
    pub page: u32,
    /// The line looks like a heading in the file itself: a heading style (DOCX), bold or
    /// clearly larger type than the body (PDF).
    pub heading_hint: bool,
    /// The line starts a list item (a bullet glyph or a DOCX numbering). A bullet glyph stays
    /// at the start of `text` (`"• Led a team"`); numbered DOCX paragraphs have no glyph.
    pub bullet: bool,
}

/// The text of a document and what was learned about its layout.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Extracted {
    pub lines: Vec<Line>,
    pub facts: DocumentFacts,
}

impl Extracted {
    pub fn text(&self) -> String {
        let mut s = String::new();
        for l in &self.lines {
            s.push_str(&l.text);
            s.push('\n');
        }
        s
    }
}

/// Why a file could not be read. Each variant maps to an [`ErrorCode`] and a message that tells
/// the user what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ExtractError {
    #[error(
        "the file is {size} bytes; the limit is {limit} bytes. Export a smaller file (images make PDFs large)"
    )]
    TooLarge { size: u64, limit: u64 },
    #[error("unsupported file type ({detected}); upload a PDF, DOCX or plain-text (.txt) file")]
    Unsupported { detected: String },
    #[error(
        "the PDF is password-protected; remove the password (print to a new PDF) and try again"
    )]
    Encrypted,
    #[error(
        "the PDF has no text layer ({pages} page(s) of images, probably a scan); export the resume as a text PDF from your editor, or upload the DOCX. OCR is not supported"
    )]
    NoTextLayer { pages: u32 },
    #[error("the file is damaged or not a valid {format}: {detail}")]
    Corrupt { format: String, detail: String },
    #[error("reading the file took longer than {seconds} s and was stopped")]
    Timeout { seconds: u64 },
    #[error("the file exceeds a safety limit: {detail}")]
    ResourceLimit { detail: String },
    #[error("the file holds no readable text")]
    Empty,
    #[error("internal error while reading the file: {detail}")]
    Internal { detail: String },
}

impl CodedError for ExtractError {
    fn code(&self) -> ErrorCode {
        match self {
            ExtractError::TooLarge { .. } => ErrorCode::FileTooLarge,
            ExtractError::Unsupported { .. } => ErrorCode::UnsupportedFileType,
            ExtractError::Encrypted => ErrorCode::EncryptedPdf,
            ExtractError::NoTextLayer { .. } => ErrorCode::NoTextLayer,
            ExtractError::Corrupt { .. } => ErrorCode::CorruptFile,
            ExtractError::Timeout { .. } => ErrorCode::Timeout,
            ExtractError::ResourceLimit { .. } => ErrorCode::ResourceLimit,
            ExtractError::Empty => ErrorCode::EmptyDocument,
            ExtractError::Internal { .. } => ErrorCode::Internal,
        }
    }
}

pub mod detect;
pub mod docx;
mod fonts;
mod forms;
pub mod isolate;
pub mod layout;
pub mod normalize;
pub mod pdf;
pub mod txt;

/// Stack for the extraction thread: parsers recurse, and a deep structure must hit their own
/// depth limits rather than the end of the stack.
const EXTRACT_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Which format the bytes are, from their magic bytes (never the file name).
pub fn detect_format(bytes: &[u8]) -> Result<FileFormat, ExtractError> {
    detect::detect(bytes)
}

/// Extract text in this process (panics are caught; use [`isolate`] for untrusted files).
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(ExtractError::TooLarge { size: bytes.len() as u64, limit: limits.max_bytes });
    }
    let format = detect_format(bytes)?;
    let run = || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match format {
            FileFormat::Pdf => pdf::extract(bytes),
            FileFormat::Docx => docx::extract(bytes, limits),
            FileFormat::Txt => txt::extract(bytes),
        }))
    };
    let outcome = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("qoder-extract".into())
            .stack_size(EXTRACT_STACK_BYTES)
            .spawn_scoped(scope, run)
            .map(|h| h.join())
    });
    let result = match outcome {
        Ok(Ok(Ok(r))) => r,
        Ok(Ok(Err(_))) | Ok(Err(_)) => Err(ExtractError::Corrupt {
            format: format.as_str().to_uppercase(),
            detail: "the parser crashed on this file".into(),
        }),
        // No thread available: run on this one.
        Err(_) => run().unwrap_or_else(|_| {
            Err(ExtractError::Corrupt {
                format: format.as_str().to_uppercase(),
                detail: "the parser crashed on this file".into(),
            })
        }),
    };
    let mut out = result?;
    out.facts.format = Some(format);
    out.facts.bytes = bytes.len() as u64;
    if out.lines.iter().all(|l| l.text.trim().is_empty()) {
        return Err(ExtractError::Empty);
    }
    Ok(out)
}
