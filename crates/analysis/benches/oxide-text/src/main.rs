//! `oxide-text FILE.pdf`: print the text pdf_oxide extracts (all pages) to stdout.

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: oxide-text FILE.pdf");
        return std::process::ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    match pdf_oxide::PdfDocument::from_bytes(bytes).and_then(|d| d.extract_all_text()) {
        Ok(t) => {
            print!("{t}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
