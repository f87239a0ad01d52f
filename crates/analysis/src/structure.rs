//! From extracted lines to a structured resume.

use crate::extract::Extracted;
use qoder_domain::ParsedResume;

pub fn parse(extracted: &Extracted, _today: (i32, u8)) -> ParsedResume {
    ParsedResume {
        text: extracted.text(),
        document: extracted.facts.clone(),
        ..ParsedResume::default()
    }
}
