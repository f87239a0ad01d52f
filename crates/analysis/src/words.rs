//! Word lists the parsers and the ATS report read: one static slice per `models/words/*.txt`
//! file (`ACTION_VERBS` from `action_verbs.txt`, …), compiled in by build.rs, so the program
//! reads no file at run time. Edit the lists there. Public so that qoder-core's grounding guard
//! reads its lists (`GROUNDING_*`) the same way.

include!(concat!(env!("OUT_DIR"), "/words.rs"));

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Word lists longer than 20 entries live in models/words, not in the code of the crates
    /// that read text (domain, analysis, core; benches aside).
    #[test]
    fn no_long_word_list_in_code() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut long = Vec::new();
        let mut stack: Vec<_> = ["domain", "analysis", "core"]
            .iter()
            .map(|c| root.join("crates").join(c).join("src"))
            .collect();
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    if !p.ends_with("bin") {
                        stack.push(p);
                    }
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&p) else { continue };
                for (at, _) in text.match_indices(": &[&str] =") {
                    let body = &text[at..];
                    let body = &body[..body.find("];").unwrap_or(body.len())];
                    let entries = body.matches('"').count() / 2;
                    if entries > 20 {
                        let line = text[..at].lines().count();
                        long.push(format!("{}:{line} ({entries} entries)", p.display()));
                    }
                }
            }
        }
        assert!(long.is_empty(), "move these word lists to models/words: {long:?}");
    }
}
