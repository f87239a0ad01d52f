//! The skills taxonomy (models/skills/skills.tsv, embedded) and finding skills in text.
//!
//! Matching respects word boundaries and context: "Go" the language is not found in "go-to",
//! "C" not in "C-level", "R" not in "R&D". Skills flagged `ambiguous` in the taxonomy count only
//! with their usual capitalisation and in a skills context; `acronym` skills match case-sensitively.

use qoder_domain::{SkillCategory, SkillKind};
use std::collections::HashMap;

mod raw;

pub use raw::key;

/// The built-in taxonomy as build.rs wrote it, compiled from models/skills/*.tsv: `SKILLS`,
/// `ALIASES`, `IMPLIES`, `PATTERNS`, two perfect hash tables (`INDEX`: lowercased spelling →
/// pattern ids in `INDEX_IDS`; `BY_NAME`: name or alias → skill) and `MAX_LEN`. The tables hold
/// no pointers: a string is a span of `TEXT` and a list a range of a flat array, so they are
/// read-only data the dynamic loader does not touch when a process starts.
mod table {
    use qoder_domain::{SkillCategory, SkillKind};

    /// A string: `TEXT[start..start + len]`.
    #[derive(Clone, Copy)]
    pub(super) struct S(u32, u32);

    /// A list: `start..start + len` of one of the flat arrays.
    #[derive(Clone, Copy)]
    pub(super) struct R(u32, u32);

    impl R {
        pub(super) fn of<T>(self, all: &'static [T]) -> &'static [T] {
            &all[self.0 as usize..(self.0 + self.1) as usize]
        }
    }

    pub(super) fn text(s: S) -> &'static str {
        &TEXT[s.0 as usize..(s.0 + s.1) as usize]
    }

    pub(super) struct StaticSkill {
        pub name: S,
        pub category: SkillCategory,
        pub kind: SkillKind,
        pub aliases: R,
        pub ambiguous: bool,
        pub acronym: bool,
        pub certification: bool,
        pub implies: R,
    }

    include!(concat!(env!("OUT_DIR"), "/skills_table.rs"));

    /// The slot of `key` in a perfect hash table written by build.rs (phf's scheme).
    fn slot(key: &str, hash_key: u64, disps: &[(u32, u32)], len: usize) -> usize {
        let hashes = phf_shared::hash(key, &hash_key);
        phf_shared::get_index(&hashes, disps, len) as usize
    }

    /// The pattern ids of a lowercased spelling.
    pub(super) fn index(spelling: &str) -> &'static [u32] {
        let (k, ids) = INDEX[slot(spelling, INDEX_KEY, &INDEX_DISPS, INDEX.len())];
        if text(k) == spelling { ids.of(&INDEX_IDS) } else { &[] }
    }

    /// The skill with this name or alias (as `key` normalises it).
    pub(super) fn by_name(name: &str) -> Option<u32> {
        let (k, i) = BY_NAME[slot(name, BY_NAME_KEY, &BY_NAME_DISPS, BY_NAME.len())];
        (text(k) == name).then_some(i)
    }
}

/// The TSV the built-in tables were compiled from (tests compare the two).
#[cfg(test)]
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
    tables: Tables,
}

/// The lookup tables: compiled into the binary for the built-in taxonomy, built by `parse`
/// for any other.
enum Tables {
    Builtin,
    Parsed {
        by_name: HashMap<String, usize>,
        /// Lowercased spelling → indexes into `patterns`.
        index: HashMap<String, Vec<u32>>,
        /// The longest spelling, in bytes.
        max_len: usize,
        /// For each pattern: (skill index, the form as written in the taxonomy).
        patterns: Vec<(usize, String)>,
    },
}

impl Tables {
    fn by_name(&self, k: &str) -> Option<usize> {
        match self {
            Tables::Builtin => table::by_name(k).map(|i| i as usize),
            Tables::Parsed { by_name, .. } => by_name.get(k).copied(),
        }
    }

    fn index(&self, spelling: &str) -> &[u32] {
        match self {
            Tables::Builtin => table::index(spelling),
            Tables::Parsed { index, .. } => {
                index.get(spelling).map(Vec::as_slice).unwrap_or_default()
            }
        }
    }

    fn max_len(&self) -> usize {
        match self {
            Tables::Builtin => table::MAX_LEN,
            Tables::Parsed { max_len, .. } => *max_len,
        }
    }

    fn pattern(&self, n: u32) -> (usize, &str) {
        match self {
            Tables::Builtin => {
                let (i, form) = table::PATTERNS[n as usize];
                (i as usize, table::text(form))
            }
            Tables::Parsed { patterns, .. } => {
                let (i, form) = &patterns[n as usize];
                (*i, form.as_str())
            }
        }
    }
}

/// A skill found in text: which skill, where (byte span in the line), and the text as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub skill: usize,
    pub start: usize,
    pub end: usize,
    pub surface: String,
}

#[derive(Debug, thiserror::Error)]
#[error("skills taxonomy line {line}: {message}")]
pub struct TaxonomyError {
    pub line: usize,
    pub message: String,
}

impl Taxonomy {
    /// The taxonomy built into the binary. Its lookup tables are static data (perfect hash maps
    /// written by build.rs); only the `skills` list is copied out, once.
    pub fn builtin() -> &'static Taxonomy {
        static T: std::sync::LazyLock<Taxonomy> = std::sync::LazyLock::new(|| Taxonomy {
            skills: table::SKILLS
                .iter()
                .map(|s| Skill {
                    name: table::text(s.name).to_string(),
                    category: s.category,
                    kind: s.kind,
                    aliases: s
                        .aliases
                        .of(&table::ALIASES)
                        .iter()
                        .map(|&a| table::text(a).to_string())
                        .collect(),
                    ambiguous: s.ambiguous,
                    acronym: s.acronym,
                    certification: s.certification,
                    implies: s.implies.of(&table::IMPLIES).iter().map(|&i| i as usize).collect(),
                })
                .collect(),
            tables: Tables::Builtin,
        });
        &T
    }

    /// Parse a taxonomy in the TSV format of models/skills/README.md.
    pub fn parse(tsv: &str) -> Result<Taxonomy, TaxonomyError> {
        let t = raw::parse(tsv, |c| SkillCategory::parse(c).is_some())
            .map_err(|(line, message)| TaxonomyError { line, message })?;
        let skills = t
            .skills
            .into_iter()
            .map(|s| Skill {
                name: s.name.to_string(),
                category: SkillCategory::parse(s.category).unwrap_or(SkillCategory::Other),
                kind: if s.soft { SkillKind::Soft } else { SkillKind::Hard },
                aliases: s.aliases.iter().map(|a| a.to_string()).collect(),
                ambiguous: s.ambiguous,
                acronym: s.acronym,
                certification: s.certification,
                implies: s.implies,
            })
            .collect();
        let index = t
            .index
            .into_iter()
            .map(|(k, ns)| (k, ns.into_iter().map(|n| n as u32).collect()))
            .collect();
        Ok(Taxonomy {
            skills,
            tables: Tables::Parsed {
                by_name: t.by_name,
                index,
                max_len: t.max_len,
                patterns: t.patterns,
            },
        })
    }

    /// A skill by its name or any alias, case-insensitively.
    pub fn lookup(&self, name: &str) -> Option<usize> {
        self.tables.by_name(&key(name))
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
        let mut spans: Vec<(u32, usize, usize)> = Vec::new();
        for start in (0..bytes.len()).filter(|&i| text.is_char_boundary(i) && !word_before(i)) {
            let last = (start + self.tables.max_len()).min(bytes.len());
            for end in start + 1..=last {
                if !text.is_char_boundary(end) {
                    continue;
                }
                if end < bytes.len() && word_at(end) && word_before(end) {
                    continue; // inside a word
                }
                spans.extend(
                    self.tables.index(&lowered[start..end]).iter().map(|&n| (n, start, end)),
                );
            }
        }
        for (n, start, end) in spans {
            let (skill, form) = self.tables.pattern(n);
            let surface = &text[start..end];
            let s = &self.skills[skill];
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
            cands.push(Found { skill, start, end, surface: surface.to_string() });
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

    /// The tables build.rs compiled into the binary are what `parse` makes of the same TSV.
    #[test]
    fn compiled_taxonomy_equals_parsed() {
        let built = Taxonomy::builtin();
        let parsed = Taxonomy::parse(TAXONOMY_TSV).unwrap();
        assert!(parsed.skills.len() > 3000);
        assert_eq!(built.skills, parsed.skills);
        let Tables::Parsed { by_name, index, max_len, patterns } = &parsed.tables else {
            panic!("parse builds its own tables")
        };
        assert!(matches!(built.tables, Tables::Builtin));
        assert_eq!(built.tables.max_len(), *max_len);
        assert_eq!(table::PATTERNS.len(), patterns.len());
        for (n, (i, form)) in patterns.iter().enumerate() {
            assert_eq!(built.tables.pattern(n as u32), (*i, form.as_str()), "pattern {n}");
        }
        assert_eq!(table::INDEX.len(), index.len());
        for (k, ns) in index {
            assert_eq!(built.tables.index(k), ns.as_slice(), "spelling {k:?}");
        }
        assert_eq!(table::BY_NAME.len(), by_name.len());
        for (k, &i) in by_name {
            assert_eq!(built.tables.by_name(k), Some(i), "name {k:?}");
        }
        assert_eq!(built.tables.index("no such skill spelling"), &[] as &[u32]);
        assert_eq!(built.lookup("no such skill"), None);
        for line in ["Python, Go, Kubernetes and AWS", "Skills: C++, R, SQL, .NET, Excel"] {
            assert_eq!(built.find_in_line(line, true), parsed.find_in_line(line, true), "{line}");
        }
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
