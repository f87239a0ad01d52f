//! The taxonomy TSV read into plain data: strings, flags and indexes, no domain types.
//!
//! Shared by `Taxonomy::parse` (user-supplied taxonomies, tests) and by build.rs, which reads
//! the built-in taxonomy with this same code and writes it out as static tables, so the two
//! cannot drift apart. std only: build.rs includes this file with `#[path]`.

use std::collections::HashMap;

/// Normalise a name for lookups: lowercase, collapsed whitespace.
pub fn key(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// One taxonomy line.
pub struct RawSkill<'a> {
    pub name: &'a str,
    /// As written in the TSV (trimmed), e.g. `programming_language`.
    pub category: &'a str,
    pub soft: bool,
    pub aliases: Vec<&'a str>,
    pub ambiguous: bool,
    pub acronym: bool,
    pub certification: bool,
    pub implies: Vec<usize>,
}

/// A whole taxonomy with its lookup tables.
pub struct RawTaxonomy<'a> {
    pub skills: Vec<RawSkill<'a>>,
    /// `key(name or alias)` → skill index (names win over aliases).
    pub by_name: HashMap<String, usize>,
    /// ASCII-lowercased spelling → indexes into `patterns`, in pattern order.
    pub index: HashMap<String, Vec<usize>>,
    /// The longest spelling, in bytes.
    pub max_len: usize,
    /// For each pattern: (skill index, the form as written in the taxonomy).
    pub patterns: Vec<(usize, String)>,
}

/// Parse a taxonomy in the TSV format of models/skills/README.md. `category_ok` says whether a
/// category name is known. Errors are (line number, message).
pub fn parse<'a>(
    tsv: &'a str,
    category_ok: impl Fn(&str) -> bool,
) -> Result<RawTaxonomy<'a>, (usize, String)> {
    let mut skills: Vec<RawSkill<'a>> = Vec::new();
    let mut implies_names: Vec<Vec<&'a str>> = Vec::new();
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
        let cols: Vec<&'a str> = line.split('\t').collect();
        let err = |message: String| (line_no, message);
        let name = cols.first().map(|s| s.trim()).filter(|s| !s.is_empty());
        let Some(name) = name else { return Err(err("empty name".into())) };
        let category = cols
            .get(1)
            .map(|c| c.trim())
            .filter(|c| category_ok(c))
            .ok_or_else(|| err(format!("unknown category {:?}", cols.get(1))))?;
        let soft = match cols.get(2).map(|s| s.trim()) {
            Some("soft") => true,
            Some("hard") | None | Some("") => false,
            Some(other) => return Err(err(format!("unknown kind {other:?}"))),
        };
        let list = |i: usize| -> Vec<&'a str> {
            cols.get(i)
                .map(|s| s.split('|').map(str::trim).filter(|a| !a.is_empty()).collect())
                .unwrap_or_default()
        };
        let aliases = list(3);
        let flags = list(4).join(",").to_lowercase();
        let idx = skills.len();
        if by_name.insert(key(name), idx).is_some() {
            return Err(err(format!("duplicate skill {name:?}")));
        }
        implies_names.push(list(5));
        skills.push(RawSkill {
            name,
            category,
            soft,
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
            if let Some(&j) = by_name.get(&key(n))
                && j != i
            {
                implied.push(j);
            }
        }
        skills[i].implies = implied;
    }
    let mut patterns: Vec<(usize, String)> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (i, s) in skills.iter().enumerate() {
        for form in std::iter::once(&s.name).chain(s.aliases.iter()) {
            let k = key(form);
            if k.chars().count() < 1 {
                continue;
            }
            let owner = by_name.get(&k).or_else(|| alias_map.get(&k)).copied().unwrap_or(i);
            if owner != i || !seen.insert(k + "\u{0}" + form) {
                continue;
            }
            patterns.push((i, form.split_whitespace().collect::<Vec<_>>().join(" ")));
        }
    }
    // A hash index of the lowercased spellings; lookups are made only at word boundaries,
    // where a skill can start.
    let mut index: HashMap<String, Vec<usize>> = HashMap::with_capacity(patterns.len());
    let mut max_len = 0;
    for (n, (_, p)) in patterns.iter().enumerate() {
        max_len = max_len.max(p.len());
        index.entry(p.to_ascii_lowercase()).or_default().push(n);
    }
    for (k, i) in alias_map {
        by_name.entry(k).or_insert(i);
    }
    Ok(RawTaxonomy { skills, by_name, index, max_len, patterns })
}
