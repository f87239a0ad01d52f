//! Comparing two versions: section by section, lines (bullets) added, removed and changed, and
//! within a changed line the words that differ; plus the ATS score delta.

use crate::{Error, Result};
use qoder_domain::ids::VersionId;
use qoder_domain::version::{LineChange, SectionChange, SectionDiff, VersionDiff};
use qoder_domain::{ParsedResume, Section, SectionKind};
use qoder_store::{Store, version};
use std::collections::HashSet;

/// Lines of two versions are "the same bullet, edited" when this share of their words agree.
const SIMILAR: f64 = 0.5;
/// Beyond this many cells the line alignment falls back to set difference.
const MAX_LCS_CELLS: usize = 4_000_000;

pub fn compare(store: &Store, from: VersionId, to: VersionId) -> Result<VersionDiff> {
    let load = |id| {
        crate::correction::analysis(store.conn(), id)?
            .ok_or_else(|| Error::NotFound(format!("version {id} does not exist")))
    };
    let (_, a, ats_a) = load(from)?;
    let (_, b, ats_b) = load(to)?;
    Ok(VersionDiff {
        from,
        to,
        sections: diff_resumes(&a, &b),
        ats_score_from: ats_a.score,
        ats_score_to: ats_b.score,
        ats_delta: ats_b.score as i32 - ats_a.score as i32,
        match_score_delta: match_delta(store, from, to)?,
    })
}

/// Score of `to` minus score of `from` against the job description both were last matched with.
fn match_delta(store: &Store, from: VersionId, to: VersionId) -> Result<Option<f64>> {
    let sha = |id| -> Result<String> {
        Ok(version::get(store.conn(), id)?
            .ok_or_else(|| Error::NotFound(format!("version {id} does not exist")))?
            .sha256)
    };
    let scores = version::match_scores_same_jd(store.conn(), &sha(from)?, &sha(to)?)?;
    Ok(scores.map(|(a, b)| (b - a) as f64))
}

fn key(s: &Section) -> (SectionKind, String) {
    let heading =
        if s.kind == SectionKind::Custom { s.heading.trim().to_lowercase() } else { String::new() };
    (s.kind, heading)
}

fn clean(line: &str) -> String {
    line.trim().trim_start_matches(['•', '-', '*', '·', '–', '▪', '◦', '●']).trim().to_string()
}

fn lines(s: &Section) -> Vec<String> {
    s.lines.iter().map(|l| clean(l)).filter(|l| !l.is_empty()).collect()
}

/// The section-by-section diff of two parsed resumes, in the order of `b` then sections only `a` has.
pub fn diff_resumes(a: &ParsedResume, b: &ParsedResume) -> Vec<SectionDiff> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for sb in &b.sections {
        let k = key(sb);
        if !seen.insert(k.clone()) {
            continue;
        }
        match a.sections.iter().find(|sa| key(sa) == k) {
            Some(sa) => out.push(diff_section(sb, &lines(sa), &lines(sb))),
            None => out.push(SectionDiff {
                kind: sb.kind,
                heading: sb.heading.clone(),
                change: SectionChange::Added,
                added: lines(sb),
                removed: Vec::new(),
                changed: Vec::new(),
            }),
        }
    }
    for sa in &a.sections {
        let k = key(sa);
        if seen.insert(k) {
            out.push(SectionDiff {
                kind: sa.kind,
                heading: sa.heading.clone(),
                change: SectionChange::Removed,
                added: Vec::new(),
                removed: lines(sa),
                changed: Vec::new(),
            });
        }
    }
    out
}

fn diff_section(s: &Section, a: &[String], b: &[String]) -> SectionDiff {
    let (removed, added) = unmatched(a, b);
    let mut removed: Vec<String> = removed.into_iter().cloned().collect();
    let mut added: Vec<String> = added.into_iter().cloned().collect();
    let mut changed = Vec::new();
    // Pair each removed line with the most similar added line.
    let mut i = 0;
    while i < removed.len() {
        let best = added
            .iter()
            .enumerate()
            .map(|(j, l)| (j, similarity(&removed[i], l)))
            .filter(|(_, s)| *s >= SIMILAR)
            .max_by(|x, y| x.1.total_cmp(&y.1));
        match best {
            Some((j, _)) => {
                let from = removed.remove(i);
                let to = added.remove(j);
                let (wr, wa) = word_diff(&from, &to);
                changed.push(LineChange { from, to, words_removed: wr, words_added: wa });
            }
            None => i += 1,
        }
    }
    let change = if removed.is_empty() && added.is_empty() && changed.is_empty() {
        SectionChange::Unchanged
    } else {
        SectionChange::Changed
    };
    SectionDiff { kind: s.kind, heading: s.heading.clone(), change, added, removed, changed }
}

/// Items of `a` and of `b` outside their longest common subsequence.
fn unmatched<'a, T: PartialEq>(a: &'a [T], b: &'a [T]) -> (Vec<&'a T>, Vec<&'a T>) {
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > MAX_LCS_CELLS {
        return (
            a.iter().filter(|x| !b.contains(x)).collect(),
            b.iter().filter(|x| !a.contains(x)).collect(),
        );
    }
    let mut t = vec![0u32; (n + 1) * (m + 1)];
    let w = m + 1;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i * w + j] = if a[i] == b[j] {
                t[(i + 1) * w + j + 1] + 1
            } else {
                t[(i + 1) * w + j].max(t[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut ra, mut rb) = (Vec::new(), Vec::new());
    while i < n && j < m {
        if a[i] == b[j] {
            i += 1;
            j += 1;
        } else if t[(i + 1) * w + j] >= t[i * w + j + 1] {
            ra.push(&a[i]);
            i += 1;
        } else {
            rb.push(&b[j]);
            j += 1;
        }
    }
    ra.extend(a[i..].iter());
    rb.extend(b[j..].iter());
    (ra, rb)
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

fn similarity(a: &str, b: &str) -> f64 {
    let norm = |s: &str| -> HashSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (x, y) = (norm(a), norm(b));
    let union = x.union(&y).count();
    if union == 0 { 0.0 } else { x.intersection(&y).count() as f64 / union as f64 }
}

/// The words removed from `a` and added in `b`, in order.
pub fn word_diff(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
    let (wa, wb) = (words(a), words(b));
    let (r, ad) = unmatched(&wa, &wb);
    (r.into_iter().cloned().collect(), ad.into_iter().cloned().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resume(sections: &[(SectionKind, &str, &[&str])]) -> ParsedResume {
        ParsedResume {
            sections: sections
                .iter()
                .map(|(k, h, l)| Section {
                    kind: *k,
                    heading: h.to_string(),
                    lines: l.iter().map(|s| s.to_string()).collect(),
                })
                .collect(),
            ..ParsedResume::default()
        }
    }

    #[test]
    fn word_diffs() {
        for (a, b, rm, add) in [
            ("Built a Rust service", "Built a fast Rust service", vec![], vec!["fast"]),
            ("Led team of 4", "Led team of 6", vec!["4"], vec!["6"]),
            ("same", "same", vec![], vec![]),
        ] {
            let (r, ad) = word_diff(a, b);
            assert_eq!(
                (r, ad),
                (
                    rm.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                    add.iter().map(|s| s.to_string()).collect::<Vec<_>>()
                ),
                "{a} → {b}"
            );
        }
    }

    #[test]
    fn sections_bullets_and_words() {
        let a = resume(&[
            (SectionKind::Summary, "Summary", &["Backend engineer"]),
            (
                SectionKind::Experience,
                "Experience",
                &[
                    "• Built a Rust service handling 10k rps",
                    "• Wrote docs",
                    "• Mentored two juniors",
                ],
            ),
            (SectionKind::Interests, "Interests", &["Chess"]),
        ]);
        let b = resume(&[
            (SectionKind::Summary, "Summary", &["Backend engineer"]),
            (
                SectionKind::Experience,
                "Work",
                &[
                    "- Built a Rust service handling 50k rps",
                    "- Mentored two juniors",
                    "- Cut AWS cost by 30%",
                ],
            ),
            (SectionKind::Skills, "Skills", &["Rust, SQL"]),
        ]);
        let d = diff_resumes(&a, &b);
        let by = |k| d.iter().find(|s| s.kind == k).unwrap();
        assert_eq!(by(SectionKind::Summary).change, SectionChange::Unchanged);
        let e = by(SectionKind::Experience);
        assert_eq!(e.change, SectionChange::Changed);
        assert_eq!(e.added, vec!["Cut AWS cost by 30%"]);
        assert_eq!(e.removed, vec!["Wrote docs"]);
        assert_eq!(e.changed.len(), 1);
        assert_eq!(e.changed[0].words_removed, vec!["10k"]);
        assert_eq!(e.changed[0].words_added, vec!["50k"]);
        assert_eq!(by(SectionKind::Skills).change, SectionChange::Added);
        assert_eq!(by(SectionKind::Interests).change, SectionChange::Removed);
        assert_eq!(by(SectionKind::Interests).removed, vec!["Chess"]);
    }
}
