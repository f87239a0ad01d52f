#![no_main]

use libfuzzer_sys::fuzz_target;
use qoder_analysis::extract::{Limits, extract};

fuzz_target!(
    init: {
        // `extract` catches panics from the parsers it wraps (pdf-extract and lopdf panic on
        // damaged files) and reports them as errors. A panic in our own code is a bug: abort
        // so libFuzzer records it.
        std::panic::set_hook(Box::new(|info| {
            let ours = info.location().is_some_and(|l| l.file().contains("crates/analysis"));
            if ours {
                eprintln!("{info}");
                std::process::abort();
            }
        }));
    },
    |data: &[u8]| {
    // Zip inputs (seeded with real DOCX files) exercise the archive checks; anything else is
    // taken as word/document.xml and stored in a fresh archive, so mutations reach the XML
    // reader instead of failing the zip CRC.
    let bytes = if data.starts_with(b"PK") { data.to_vec() } else { wrap_document_xml(data) };
    let limits = Limits { max_uncompressed_bytes: 8 * 1024 * 1024, ..Limits::default() };
    // Errors are fine; panics in our code, aborts, stack overflows and hangs are not.
    let _ = extract(&bytes, &limits);
});

fn wrap_document_xml(xml: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let ok = z.start_file("word/document.xml", stored).is_ok() && z.write_all(xml).is_ok();
    if !ok || z.finish().is_err() {
        return Vec::new();
    }
    buf.into_inner()
}
