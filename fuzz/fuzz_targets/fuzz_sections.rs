#![no_main]

//! Structure parsing of arbitrary text: sections, contact, dates, entries, skills, the ATS report
//! and the JSON Resume export. None of it may panic or hang on any input.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let resume = qoder_analysis::structure::parse_text(&text);
    let report = qoder_analysis::ats::report(&resume, (2026, 11));
    assert!(report.score <= 100);
    let _ = qoder_domain::json_resume::JsonResume::from(&resume);
});
