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
    // Inputs without a PDF header get one, so mutations mostly reach the PDF parser.
    let bytes = if data.starts_with(b"%PDF-") {
        data.to_vec()
    } else {
        let mut b = b"%PDF-1.7\n".to_vec();
        b.extend_from_slice(data);
        b
    };
    let limits = Limits { max_uncompressed_bytes: 8 * 1024 * 1024, ..Limits::default() };
    // Errors are fine; panics in our code, aborts, stack overflows and hangs are not.
    let _ = extract(&bytes, &limits);
});
