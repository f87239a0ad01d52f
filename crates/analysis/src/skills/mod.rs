//! The skills taxonomy (models/skills/skills.tsv, embedded) and finding skills in text.
//!
//! Matching respects word boundaries and context: "Go" the language is not found in "go-to",
//! "C" not in "C-level", "R" not in "R&D". Skills flagged `ambiguous` in the taxonomy count only
//! with their usual capitalisation and in a skills context; `acronym` skills match case-sensitively.

use qoder_domain::{SkillCategory, SkillKind};
use std::collections::HashMap;
use std::sync::LazyLock;

const TAXONOMY_TSV: &str = include_str!(concat!(env!("OUT_DIR"), "/skills.tsv"));

/// One skill of the taxonomy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skill {
    pub name: String,
    pub category: SkillCategory,
    pub kind: SkillKind,
    pub aliases: Vec<String>,
    /// Needs context: counted only with its usual capitalisation in a skills context.
    pub ambiguous: bool,
    /// Matched case-sensitively (short all-caps names: "QA", "UX", "AR").
    pub acronym: bool,
    /// A certificate or licence (PMP, CKA, Registered Nurse): listed under certifications.
    pub certification: bool,
    /// Broader skills this one demonstrates (PostgreSQL → SQL).
    pub implies: Vec<usize>,
}

/// The taxonomy with its matcher.
pub struct Taxonomy {
    pub skills: Vec<Skill>,
    by_name: HashMap<String, usize>,
    /// Lowercased spelling → indexes into `patterns`.
    index: HashMap<String, Vec<usize>>,
    /// The longest spelling, in bytes.
    max_len: usize,
    /// For each pattern: (skill index, the form as written in the taxonomy).
    patterns: Vec<(usize, String)>,
}

/// A skill found in text: which skill, where (byte span in the line), and the text as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub skill: usize,
    pub start: usize,
    pub end: usize,
    pub surface: String,
}

/// Normalise a name for lookups: lowercase, collapsed whitespace.
pub fn key(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[derive(Debug, thiserror::Error)]
#[error("skills taxonomy line {line}: {message}")]
pub struct TaxonomyError {
    pub line: usize,
    pub message: String,
}

impl Taxonomy {
    /// The taxonomy built into the binary.
    pub fn builtin() -> &'static Taxonomy {
        static T: LazyLock<Taxonomy> = LazyLock::new(|| {
            Taxonomy::parse(TAXONOMY_TSV).expect("the embedded skills taxonomy is valid (tested)")
        });
        &T
    }

    /// Parse a taxonomy in the TSV format of models/skills/README.md.
    pub fn parse(tsv: &str) -> Result<Taxonomy, TaxonomyError> {
        let mut skills: Vec<Skill> = Vec::new();
        let mut implies_names: Vec<Vec<String>> = Vec::new();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        let mut header_seen = false;
        for (n, line) in tsv.lines().enumerate() {
            let line_no = n + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            if !header_seen {
                header_seen = true;
                if line.starts_with("name\t") {
                    continue;
                }
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let err = |message: String| TaxonomyError { line: line_no, message };
            let name = cols.first().map(|s| s.trim()).filter(|s| !s.is_empty());
            let Some(name) = name else { return Err(err("empty name".into())) };
            let category = cols
                .get(1)
                .and_then(|c| SkillCategory::parse(c.trim()))
                .ok_or_else(|| err(format!("unknown category {:?}", cols.get(1))))?;
            let kind = match cols.get(2).map(|s| s.trim()) {
                Some("soft") => SkillKind::Soft,
                Some("hard") | None | Some("") => SkillKind::Hard,
                Some(other) => return Err(err(format!("unknown kind {other:?}"))),
            };
            let list = |i: usize| -> Vec<String> {
                cols.get(i)
                    .map(|s| {
                        s.split('|')
                            .map(str::trim)
                            .filter(|a| !a.is_empty())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let aliases = list(3);
            let flags = list(4).join(",").to_lowercase();
            let idx = skills.len();
            if by_name.insert(key(name), idx).is_some() {
                return Err(err(format!("duplicate skill {name:?}")));
            }
            implies_names.push(list(5));
            skills.push(Skill {
                name: name.to_string(),
                category,
                kind,
                aliases,
                ambiguous: flags.contains("ambiguous"),
                acronym: flags.contains("acronym"),
                certification: flags.contains("certification"),
                implies: Vec::new(),
            });
        }
        // Aliases resolve to their skill unless they collide with a name (names win).
        let mut alias_map: HashMap<String, usize> = HashMap::new();
        for (i, s) in skills.iter().enumerate() {
            for a in &s.aliases {
                let k = key(a);
                if !by_name.contains_key(&k) {
                    alias_map.entry(k).or_insert(i);
                }
            }
        }
        for (i, names) in implies_names.into_iter().enumerate() {
            let mut implied = Vec::new();
            for n in names {
                if let Some(&j) = by_name.get(&key(&n))
                    && j != i
                {
                    implied.push(j);
                }
            }
            skills[i].implies = implied;
        }
        let mut patterns: Vec<(usize, String)> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, s) in skills.iter().enumerate() {
            for form in std::iter::once(&s.name).chain(s.aliases.iter()) {
                let k = key(form);
                if k.chars().count() < 1 {
                    continue;
                }
                let owner = by_name.get(&k).or_else(|| alias_map.get(&k)).copied().unwrap_or(i);
                if owner != i || seen.contains_key(&(k.clone() + "\u{0}" + form)) {
                    continue;
                }
                seen.insert(k.clone() + "\u{0}" + form, i);
                patterns.push((i, form.split_whitespace().collect::<Vec<_>>().join(" ")));
            }
        }
        // A hash index of the lowercased spellings: it builds in a few milliseconds (an
        // Aho-Corasick automaton over the same ~12,000 spellings took ~50 ms, paid at every start
        // of the CLI), and lookups are made only at word boundaries, where a skill can start.
        let mut index: HashMap<String, Vec<usize>> = HashMap::with_capacity(patterns.len());
        let mut max_len = 0;
        for (n, (_, p)) in patterns.iter().enumerate() {
            max_len = max_len.max(p.len());
            index.entry(p.to_ascii_lowercase()).or_default().push(n);
        }
        for (k, i) in alias_map {
            by_name.entry(k).or_insert(i);
        }
        Ok(Taxonomy { skills, by_name, index, max_len, patterns })
    }

    /// A skill by its name or any alias, case-insensitively.
    pub fn lookup(&self, name: &str) -> Option<usize> {
        self.by_name.get(&key(name)).copied()
    }

    pub fn get(&self, idx: usize) -> &Skill {
        &self.skills[idx]
    }

    /// Skills written in one line of text. `skills_context` says the line is in a skills section
    /// (or a list of skills), where ambiguous names count.
    pub fn find_in_line(&self, line: &str, skills_context: bool) -> Vec<Found> {
        let text: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut cands: Vec<Found> = Vec::new();
        let lowered = text.to_ascii_lowercase();
        let bytes = text.as_bytes();
        // Word characters, so candidate spans start and end only at word boundaries.
        let word_at = |i: usize| text[i..].chars().next().is_some_and(is_word);
        let word_before = |i: usize| text[..i].chars().next_back().is_some_and(is_word);
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        for start in (0..bytes.len()).filter(|&i| text.is_char_boundary(i) && !word_before(i)) {
            let last = (start + self.max_len).min(bytes.len());
            for end in start + 1..=last {
                if !text.is_char_boundary(end) {
                    continue;
                }
                if end < bytes.len() && word_at(end) && word_before(end) {
                    continue; // inside a word
                }
                if let Some(ns) = self.index.get(&lowered[start..end]) {
                    spans.extend(ns.iter().map(|&n| (n, start, end)));
                }
            }
        }
        for (n, start, end) in spans {
            let (skill, form) = &self.patterns[n];
            let surface = &text[start..end];
            let s = &self.skills[*skill];
            if !boundary_ok(&text, start, end, form) {
                continue;
            }
            // Case matters for short names, acronyms and ambiguous words ("Go" vs "go"), but only
            // for one-word spellings: "Helm charts" is "Helm Charts".
            let exact_case = surface == form || form.contains(' ');
            let short = form.chars().count() <= 2;
            if (s.acronym || short || s.ambiguous) && !exact_case {
                continue;
            }
            if s.ambiguous && !strict_boundary_ok(&text, start, end) {
                continue;
            }
            cands.push(Found { skill: *skill, start, end, surface: surface.to_string() });
        }
        // Longest non-overlapping matches win ("Amazon Web Services" over "Amazon").
        cands.sort_by(|a, b| a.start.cmp(&b.start).then((b.end - b.start).cmp(&(a.end - a.start))));
        let mut out: Vec<Found> = Vec::new();
        for c in cands {
            if out.iter().any(|o| c.start < o.end && o.start < c.end) {
                continue;
            }
            out.push(c);
        }
        // Ambiguous skills need context: a skills section, or other unambiguous skills nearby.
        let clear = out.iter().filter(|f| !self.skills[f.skill].ambiguous).count();
        if !skills_context && clear == 0 {
            out.retain(|f| !self.skills[f.skill].ambiguous);
        }
        out.sort_by_key(|f| f.start);
        out
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The match is a whole token: no letter or digit glued to either side ("Java" in "JavaScript",
/// "Node" in "Node.js").
fn boundary_ok(text: &str, start: usize, end: usize, form: &str) -> bool {
    let before = text[..start].chars().next_back();
    let mut after_chars = text[end..].chars();
    let after = after_chars.next();
    let after2 = after_chars.next();
    let form_starts_word = form.chars().next().is_some_and(is_word);
    let form_ends_word = form.chars().next_back().is_some_and(is_word);
    if !form_starts_word && before.is_some_and(is_word) {
        return false; // ".NET" in "example.net"
    }
    if form_starts_word
        && before.is_some_and(|c| is_word(c) || c == '.' || c == '#' || c == '+' || c == '@')
    {
        // "@" would be an email or handle; "." a domain or file extension.
        return false;
    }
    if form_ends_word {
        if after.is_some_and(|c| is_word(c) || c == '+' || c == '#' || c == '@') {
            return false;
        }
        // "Node" in "Node.js", "Go" in "Go.mod": a dot glued to more word characters.
        if after == Some('.') && after2.is_some_and(is_word) {
            return false;
        }
    }
    true
}

/// Stricter boundaries for ambiguous names: not in "go-to", "C-level", "R&D", "Go's".
fn strict_boundary_ok(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let mut after_chars = text[end..].chars();
    let after = after_chars.next();
    let after2 = after_chars.next();
    if matches!(before, Some('-' | '&' | '\'' | '’')) {
        return false;
    }
    if matches!(after, Some('&' | '\'' | '’')) {
        return false;
    }
    if after == Some('-') && after2.is_some_and(char::is_alphanumeric) {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "name\tcategory\tkind\taliases\tflags\timplies
Go\tprogramming_language\thard\tGolang\tambiguous\t
C\tprogramming_language\thard\t\tambiguous\t
C++\tprogramming_language\thard\tcpp\t\t
R\tprogramming_language\thard\t\tambiguous\t
Java\tprogramming_language\thard\t\t\t
JavaScript\tprogramming_language\thard\tJS|ECMAScript\t\t
Node.js\tframework\thard\tNodeJS|Node JS|node\t\tJavaScript
Kubernetes\tdevops\thard\tk8s|kube\t\t
PostgreSQL\tdatabase\thard\tPostgres\t\tSQL
SQL\tdatabase\thard\t\t\t
Amazon Web Services\tcloud\thard\tAWS\t\t
QA\ttesting\thard\tQuality Assurance\tacronym\t
Leadership\tsoft\tsoft\t\t\t
.NET\tframework\thard\tDotnet\tacronym\t
";

    fn names(t: &Taxonomy, line: &str, ctx: bool) -> Vec<String> {
        t.find_in_line(line, ctx).iter().map(|f| t.get(f.skill).name.clone()).collect()
    }

    #[test]
    fn word_boundaries_and_context() {
        let t = Taxonomy::parse(TSV).unwrap();
        let check = |line: &str, ctx: bool, expected: &[&str]| {
            assert_eq!(names(&t, line, ctx), expected, "{line:?}");
        };
        check("Python, Go, Kubernetes", false, &["Go", "Kubernetes"]);
        check("my go-to person for k8s", false, &["Kubernetes"]);
        check("Reported to the C-level on R&D spend", false, &[]);
        check("C-level reporting", true, &[]);
        check("Languages: C, C++, R", true, &["C", "C++", "R"]);
        check("I like to go hiking", true, &[]);
        check(
            "JavaScript and Java on Node.js with Postgres",
            false,
            &["JavaScript", "Java", "Node.js", "PostgreSQL"],
        );
        check(
            "Deployed on AWS and Amazon Web Services",
            false,
            &["Amazon Web Services", "Amazon Web Services"],
        );
        check("qa of the release; QA lead", false, &["QA"]);
        check("email me at go@example.com", true, &[]);
        check("see www.example.net for .NET", false, &[".NET"]);
        check("Strong leadership", false, &["Leadership"]);
    }

    #[test]
    fn lookups_and_implications() {
        let t = Taxonomy::parse(TSV).unwrap();
        let pg = t.lookup("postgres").unwrap();
        assert_eq!(t.get(pg).name, "PostgreSQL");
        assert_eq!(t.get(t.get(pg).implies[0]).name, "SQL");
        assert_eq!(t.lookup("K8S").map(|i| t.get(i).name.as_str()), Some("Kubernetes"));
        assert!(t.lookup("COBOL").is_none());
    }

    #[test]
    fn bad_taxonomy_lines_are_reported() {
        let e =
            Taxonomy::parse("name\tcategory\tkind\taliases\tflags\timplies\nX\tnope\thard\t\t\t\n")
                .err()
                .unwrap();
        assert_eq!(e.line, 2);
    }
}
