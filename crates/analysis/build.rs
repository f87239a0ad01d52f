//! Embeds the skills taxonomy: every `models/skills/*.tsv` file, in name order, concatenated.

use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/skills");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from("name\tcategory\tkind\taliases\tflags\timplies\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let text = std::fs::read_to_string(f).expect("skills taxonomy file is UTF-8");
        for line in text.lines() {
            if line.starts_with("name\t") {
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("skills.tsv");
    std::fs::write(dest, out).expect("write skills.tsv");
}
