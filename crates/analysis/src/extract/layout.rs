//! Page layout from positioned glyphs: words, lines by baseline, columns by vertical gutters,
//! and reading order (full-width bands top to bottom; inside a multi-column band, column by
//! column, left to right).

use super::normalize::{clean_line, is_bullet_glyph, starts_with_bullet};

/// One glyph as the PDF draws it, in page space with y growing downwards.
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    pub text: String,
    /// Left edge.
    pub x: f64,
    /// Baseline, from the top of the page.
    pub y: f64,
    /// Advance width.
    pub w: f64,
    /// Effective font size (text matrix and CTM applied).
    pub size: f64,
}

/// One laid-out line of a page.
#[derive(Clone, Debug, PartialEq)]
pub struct PageLine {
    pub text: String,
    pub heading: bool,
    pub bullet: bool,
    /// Column index (0 = leftmost) inside a multi-column band; 0 for full-width lines.
    pub column: u32,
}

/// The result for one page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageLayout {
    pub lines: Vec<PageLine>,
    /// Text columns found (1 for a classic layout).
    pub columns: u32,
}

/// A horizontal run of glyphs on one baseline with no large gap.
#[derive(Clone, Debug)]
struct Segment {
    glyphs: Vec<Glyph>,
    x0: f64,
    x1: f64,
    size: f64,
}

/// Glyphs sharing a baseline (may hold text from several columns).
#[derive(Clone, Debug)]
struct Row {
    glyphs: Vec<Glyph>,
    y: f64,
}

fn body_size(glyphs: &[Glyph]) -> f64 {
    // The most common size (rounded to 0.5 pt), weighted by glyph count.
    let mut counts: Vec<(i64, usize)> = Vec::new();
    for g in glyphs {
        if g.text.trim().is_empty() {
            continue;
        }
        let k = (g.size * 2.0).round() as i64;
        match counts.iter_mut().find(|(s, _)| *s == k) {
            Some((_, n)) => *n += 1,
            None => counts.push((k, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts.first().map(|(k, _)| *k as f64 / 2.0).unwrap_or(10.0)
}

fn rows_of(glyphs: Vec<Glyph>) -> Vec<Row> {
    // Each glyph keeps its place in the content stream: within a run of text, the order the
    // PDF draws glyphs in is the reading order even where a wrong advance width makes a glyph
    // start a little left of the one before ("CulinarAyr ts" for "Culinary Arts").
    let mut glyphs: Vec<(usize, Glyph)> = glyphs
        .into_iter()
        .enumerate()
        .filter(|(_, g)| {
            g.x.is_finite() && g.y.is_finite() && g.size.is_finite() && g.w.is_finite()
        })
        .collect();
    glyphs.sort_by(|(_, a), (_, b)| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<(f64, Vec<(usize, Glyph)>)> = Vec::new();
    for (seq, g) in glyphs {
        let tol = (g.size.abs() * 0.45).max(1.0);
        // Only the last few rows can match: glyphs are sorted by baseline.
        let found = rows.iter_mut().rev().take(3).find(|(y, _)| (y - g.y).abs() <= tol);
        match found {
            Some((_, r)) => r.push((seq, g)),
            None => rows.push((g.y, vec![(seq, g)])),
        }
    }
    let mut out: Vec<Row> = rows
        .into_iter()
        .map(|(y, mut r)| {
            r.sort_by(|(_, a), (_, b)| a.x.total_cmp(&b.x));
            // Fake bold (the same glyph drawn twice, slightly offset) and overprinting.
            r.dedup_by(|(_, b), (_, a)| {
                a.text == b.text && (a.x - b.x).abs() < a.size.abs() * 0.15
            });
            Row { y, glyphs: reading_order(r) }
        })
        .collect();
    out.sort_by(|a, b| a.y.total_cmp(&b.y));
    out
}

/// A row's glyphs in reading order: cut into runs where the content stream jumps back to the
/// left (a new text object) or far ahead to the right (a label, then a date set flush right,
/// then the title between them), each run kept in stream order, runs ordered left to right.
fn reading_order(mut row: Vec<(usize, Glyph)>) -> Vec<Glyph> {
    row.sort_by_key(|(seq, _)| *seq);
    let mut runs: Vec<Vec<Glyph>> = Vec::new();
    for (_, g) in row {
        let jump = runs.last().and_then(|r| r.last()).is_none_or(|p| {
            let size = p.size.abs().max(1.0);
            g.x < p.x - 0.6 * size || g.x > p.x + p.w + 3.0 * size
        });
        if jump {
            runs.push(vec![g]);
        } else if let Some(r) = runs.last_mut() {
            r.push(g);
        }
    }
    runs.sort_by(|a, b| a[0].x.total_cmp(&b[0].x));
    runs.concat()
}

/// Split a row at gaps wider than `gap_em` times the font size. Space glyphs travel with the
/// segment they follow (they mark word breaks) but never extend or split it.
fn segments(row: &Row, gap_em: f64) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for g in &row.glyphs {
        if g.text.trim().is_empty() {
            if let Some(s) = out.last_mut() {
                s.glyphs.push(g.clone());
            }
            continue;
        }
        let split = match out.last() {
            Some(s) => g.x - s.x1 > gap_em * s.size.max(g.size).max(1.0),
            None => true,
        };
        // A bullet glyph is set apart from its text by an indent: keep them together.
        let after_bullet = out.last().is_some_and(|s| {
            let mut visible = s.glyphs.iter().filter(|g| !g.text.trim().is_empty());
            g.x - s.x1 < 4.0 * s.size.max(1.0)
                && visible
                    .next()
                    .is_some_and(|v| v.text.chars().next().is_some_and(is_bullet_glyph))
                && visible.next().is_none()
        });
        if split && !after_bullet {
            out.push(Segment { glyphs: vec![g.clone()], x0: g.x, x1: g.x + g.w, size: g.size });
        } else if let Some(s) = out.last_mut() {
            s.x1 = s.x1.max(g.x + g.w);
            s.size = s.size.max(g.size);
            s.glyphs.push(g.clone());
        }
    }
    for s in &mut out {
        while s.glyphs.last().is_some_and(|g| g.text.trim().is_empty()) {
            s.glyphs.pop();
        }
    }
    out
}

/// Whether a row's text runs across the gutter at `cut`: a glyph straddles it, or the glyphs
/// on either side are only a word space apart.
fn crosses(row: &Row, cut: f64) -> bool {
    let mut left_end: Option<(f64, f64)> = None;
    let mut right_start: Option<f64> = None;
    for g in row.glyphs.iter().filter(|g| !g.text.trim().is_empty()) {
        let mid = g.x + g.w / 2.0;
        if g.x < cut - 0.5 && g.x + g.w > cut + 0.5 && g.w < 3.0 * g.size.max(1.0) {
            return true;
        }
        if mid < cut {
            let end = g.x + g.w;
            if left_end.is_none_or(|(e, _)| end > e) {
                left_end = Some((end, g.size));
            }
        } else if right_start.is_none_or(|x| g.x < x) {
            right_start = Some(g.x);
        }
    }
    match (left_end, right_start) {
        (Some((end, size)), Some(start)) => start - end < 0.6 * size.max(1.0),
        _ => false,
    }
}

/// Word gap above which two glyphs belong to different words, in em of the font size, once the
/// line's own letter pitch is taken out (a word space is 0.2–0.35 em; letter-spacing and wrong
/// width tables shift every gap of a line alike, so they cancel out).
const WORD_GAP_EM: f64 = 0.15;

/// Key of a glyph in [`Pitches`]: its text and its size to the half point.
fn pitch_key(g: &Glyph) -> (String, i64) {
    (g.text.clone(), (g.size * 2.0).round() as i64)
}

/// The smallest distance, in em, from each glyph (text and size) to the next glyph on the same
/// line, over a whole page: that glyph's true advance plus any letter-spacing (tracking), read
/// from the glyph positions rather than from the font's width table (which XeTeX and some
/// subset fonts get wrong). A word gap is a pitch clearly larger than that. This is how
/// pdftotext copes with letter-spaced text and fonts without a space glyph.
#[derive(Debug, Default)]
pub(crate) struct Pitches {
    min: std::collections::HashMap<(String, i64), (f64, u32)>,
    /// The page draws its word spaces as glyphs (at least one per 20 visible glyphs).
    spaces_drawn: bool,
}

impl Pitches {
    fn learn(rows: &[Row]) -> Pitches {
        let mut p = Pitches::default();
        let glyphs = rows.iter().flat_map(|r| &r.glyphs);
        let spaces = glyphs.clone().filter(|g| g.text.trim().is_empty()).count();
        let visible = glyphs.filter(|g| !g.text.trim().is_empty()).count();
        p.spaces_drawn = spaces > 0 && spaces * 20 >= visible;
        for row in rows {
            let mut prev: Option<&Glyph> = None;
            for g in &row.glyphs {
                if g.text.trim().is_empty() {
                    prev = None; // a drawn space: the pitch across it is not a letter pitch
                    continue;
                }
                if let Some(a) = prev {
                    let size = a.size.abs().max(1.0);
                    let pitch = (g.x - a.x) / size;
                    if pitch > 0.05 && pitch < 2.0 && (a.size - g.size).abs() < 0.5 {
                        let e = p.min.entry(pitch_key(a)).or_insert((f64::MAX, 0));
                        e.0 = e.0.min(pitch);
                        e.1 += 1;
                    }
                }
                prev = Some(g);
            }
        }
        p
    }

    /// The letter pitch of `g` in em: its minimum when seen at least three times; digits
    /// otherwise take the median pitch of digits (they share one advance in most fonts); other
    /// glyphs seen once or twice take their minimum when it is no wider than a letter of their
    /// kind plus a little (so that it is not a pitch across a word gap).
    /// The second value says whether the pitch was seen often enough (three times) to be sure.
    fn of(&self, g: &Glyph) -> Option<(f64, bool)> {
        let own = self.min.get(&pitch_key(g)).copied();
        if let Some((m, n)) = own
            && n >= 3
        {
            return Some((m, true));
        }
        let class = glyph_class(&g.text);
        let size = pitch_key(g).1;
        let mut same: Vec<f64> = self
            .min
            .iter()
            .filter(|((t, s), (_, n))| *s == size && *n >= 3 && glyph_class(t) == class)
            .map(|(_, (m, _))| *m)
            .collect();
        if same.len() < 3 {
            return None;
        }
        same.sort_by(f64::total_cmp);
        let median = same[same.len() / 2];
        match own {
            _ if class == 0 => Some((median, false)),
            Some((m, _)) if m - median < 0.4 => Some((m, false)),
            _ => None,
        }
    }
}

/// 0 digit, 1 lower-case letter, 2 upper-case letter, 3 anything else.
fn glyph_class(t: &str) -> u8 {
    match t.chars().next() {
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_lowercase() => 1,
        Some(c) if c.is_uppercase() => 2,
        _ => 3,
    }
}

/// The text of a run of glyphs, with spaces at drawn space glyphs and where the gap between
/// glyphs is word-sized. Two measures of a gap, each relative to the line itself:
/// * by width tables: the gap after the glyph's advance width, less the run's typical
///   letter-spacing (its lower-quartile gap), so letter-spaced text is not split letter by letter;
/// * by pitch: the distance to the next glyph less that glyph's learned letter pitch
///   ([`Pitches`]), which does not depend on width tables at all.
///
/// When the width tables agree with the positions (the run's gaps are tightly grouped), a break
/// needs both measures (a single wrong width cannot split a word); when they do not (XeTeX
/// fonts without a space glyph), the pitch decides.
fn glyph_text(glyphs: &[Glyph], pitches: &Pitches) -> String {
    let visible: Vec<&Glyph> = glyphs.iter().filter(|g| !g.text.trim().is_empty()).collect();
    let mut gaps: Vec<f64> = visible
        .windows(2)
        .map(|w| (w[1].x - (w[0].x + w[0].w)) / w[0].size.abs().max(1.0))
        .collect();
    gaps.sort_by(f64::total_cmp);
    let quantile = |q: f64| -> f64 {
        if gaps.is_empty() { 0.0 } else { gaps[((gaps.len() - 1) as f64 * q).round() as usize] }
    };
    // Letter-spacing can change within a line (a letter-spaced title, then "at Okonkwo &
    // Partners" set normally): each gap is judged against the gaps around it, the lower quartile
    // of the three pairs either side, or the line's lower quartile when that is larger.
    let raw: Vec<f64> = visible
        .windows(2)
        .map(|w| (w[1].x - (w[0].x + w[0].w)) / w[0].size.abs().max(1.0))
        .collect();
    let raw_pitch: Vec<Option<f64>> = visible
        .windows(2)
        .map(|w| pitches.of(w[0]).map(|(p, _)| (w[1].x - w[0].x) / w[0].size.abs().max(1.0) - p))
        .collect();
    let local = |k: usize, xs: &[Option<f64>]| -> f64 {
        let lo = k.saturating_sub(3);
        let hi = (k + 4).min(xs.len());
        let mut w: Vec<f64> = xs[lo..hi].iter().flatten().copied().collect();
        if w.is_empty() {
            return 0.0;
        }
        w.sort_by(f64::total_cmp);
        w[w.len() / 4]
    };
    let raw_opt: Vec<Option<f64>> = raw.iter().map(|g| Some(*g)).collect();
    let line_tracking = quantile(0.25).clamp(-0.1, 0.5);
    // Width tables that overstate every advance (gaps well below zero) or disagree glyph by
    // glyph (widely spread gaps) are not trusted.
    // A line can mix letter-spaced and normal text (a tracked title, then its dates): there the
    // gaps, each less its own neighbourhood's tracking, still sit at zero or clearly above it.
    let settled = |k: usize| {
        let r = raw[k] - local(k, &raw_opt).clamp(-0.1, 0.5);
        r.abs() < 0.05 || r > 2.0 * WORD_GAP_EM
    };
    let widths_agree = gaps.len() < 4
        || (quantile(0.75) - quantile(0.25) < 0.1 && quantile(0.25) > -0.1)
        || (quantile(0.25) > -0.1
            && (0..raw.len()).filter(|&k| settled(k)).count() * 5 >= raw.len() * 4);
    let mut s = String::new();
    let mut prev: Option<&Glyph> = None;
    let mut k = 0usize; // index of the pair (prev, g) among visible glyphs
    for g in glyphs {
        if g.text.trim().is_empty() {
            if !s.is_empty() && !s.ends_with(' ') {
                s.push(' ');
            }
            continue;
        }
        if let Some(a) = prev {
            let size = a.size.abs().max(1.0);
            let tracking = local(k, &raw_opt).clamp(-0.1, 0.5).max(line_tracking);
            let pitch_tracking = local(k, &raw_pitch).clamp(0.0, 0.5);
            let by_width = (g.x - (a.x + a.w)) / size - tracking;
            let by_pitch =
                pitches.of(a).map(|(p, sure)| ((g.x - a.x) / size - p - pitch_tracking, sure));
            k += 1;
            let word_break = match (widths_agree, by_pitch) {
                // Where the page draws its spaces, a geometric break needs both measures: a
                // wrong width for one glyph must not split words.
                (true, Some((p, true))) if pitches.spaces_drawn => {
                    by_width > WORD_GAP_EM && p > WORD_GAP_EM
                }
                // A glyph seen too rarely to know its pitch, on such a page: only a gap far
                // wider than a space breaks ("B eatriz" from one wrong width otherwise).
                (true, _) if pitches.spaces_drawn => by_width > 4.0 * WORD_GAP_EM,
                (true, _) => by_width > WORD_GAP_EM,
                (false, Some((p, _))) => p > WORD_GAP_EM,
                (false, None) => by_width > 1.3 * WORD_GAP_EM,
            };
            // A comma or semicolon before a letter ends a word however tight the setting.
            let punct = matches!(a.text.as_str(), "," | ";")
                && g.text.chars().next().is_some_and(char::is_alphabetic)
                && (g.x - a.x) / size > 0.1;
            if (word_break || punct) && !s.ends_with(' ') {
                s.push(' ');
            }
        }
        s.push_str(&g.text);
        prev = Some(g);
    }
    s
}

/// Find the x positions of vertical gutters: bands with (almost) no glyphs across most text
/// rows, with enough text on each side.
fn gutters(rows: &[Row], body: f64) -> Vec<f64> {
    let segs: Vec<Vec<Segment>> = rows.iter().map(|r| segments(r, 1.0)).collect();
    let (mut minx, mut maxx) = (f64::MAX, f64::MIN);
    for s in segs.iter().flatten() {
        minx = minx.min(s.x0);
        maxx = maxx.max(s.x1);
    }
    let text_rows = segs.iter().filter(|s| !s.is_empty()).count();
    if text_rows < 6 || maxx - minx < 100.0 {
        return Vec::new();
    }
    let bin = 2.0;
    let nbins = (((maxx - minx) / bin).ceil() as usize).clamp(1, 4000);
    let mut cover = vec![0usize; nbins];
    for row in &segs {
        let mut hit = vec![false; nbins];
        for s in row {
            let a = (((s.x0 - minx) / bin).floor().max(0.0) as usize).min(nbins - 1);
            let b = (((s.x1 - minx) / bin).ceil().max(0.0) as usize).min(nbins);
            for h in hit.iter_mut().take(b).skip(a) {
                *h = true;
            }
        }
        for (c, h) in cover.iter_mut().zip(hit) {
            if h {
                *c += 1;
            }
        }
    }
    let allowed = (text_rows as f64 * 0.12).floor() as usize;
    let min_width = (body * 1.2).max(8.0);
    let mut cuts = Vec::new();
    let mut i = 0;
    while i < nbins {
        if cover[i] <= allowed {
            let start = i;
            while i < nbins && cover[i] <= allowed {
                i += 1;
            }
            let (x0, x1) = (minx + start as f64 * bin, minx + i as f64 * bin);
            // Not the page margins: there must be text on both sides.
            if start > 0 && i < nbins && x1 - x0 >= min_width {
                let mid = (x0 + x1) / 2.0;
                let left = segs.iter().filter(|r| r.iter().any(|s| s.x1 <= mid)).count();
                let right = segs.iter().filter(|r| r.iter().any(|s| s.x0 >= mid)).count();
                let need = ((text_rows as f64) * 0.15).max(3.0) as usize;
                if left >= need && right >= need {
                    cuts.push(mid);
                }
            }
        } else {
            i += 1;
        }
    }
    cuts.truncate(3);
    cuts
}

/// Whether the text right of `cut` is a column of dates ("May 2022 - Jul 2025" beside each
/// position, right-aligned), possibly with the places of the positions: then the rows are read across, so each date stays on its
/// position's line, instead of as a column of its own after the main text.
fn date_column(rows: &[Row], cut: f64) -> bool {
    let mut sides = 0;
    let mut dated = 0;
    let mut placed = 0;
    for r in rows.iter().filter(|r| !crosses(r, cut)) {
        // Glyphs only (LaTeX draws no spaces): enough to tell a date or a place.
        let right: String =
            r.glyphs.iter().filter(|g| g.x >= cut).map(|g| g.text.as_str()).collect::<String>();
        let right = right.trim();
        if right.is_empty() {
            continue;
        }
        sides += 1;
        let lower = right.to_lowercase();
        let year = right.as_bytes().windows(4).any(|w| {
            w.iter().all(u8::is_ascii_digit) && (w.starts_with(b"19") || w.starts_with(b"20"))
        });
        let short = right.chars().count() <= 32;
        if short && (year || lower.contains("present")) {
            dated += 1;
        } else if short && right.contains(',') && !right.chars().any(|c| c.is_ascii_digit()) {
            // The place beside a position ("Paris, France"), as moderncv sets it.
            placed += 1;
        }
    }
    sides >= 2 && dated * 10 >= sides * 4 && (dated + placed) * 10 >= sides * 7
}

/// A margin of a few labels ("Work   Senior Talent Acquisition Partner"): rows whose short
/// first piece is set apart from the rest by a clear gap, where the rest starts at the left
/// edge that at least three other rows start at. The cut is just left of that edge.
fn label_margin(rows: &[Row]) -> Option<f64> {
    let segs: Vec<Vec<Segment>> = rows.iter().map(|r| segments(r, 1.0)).collect();
    let starts: Vec<f64> = segs.iter().filter_map(|s| s.first()).map(|s| s.x0).collect();
    if starts.len() < 6 {
        return None;
    }
    // (edge, the label is one short word-like piece on a well-aligned page)
    let mut edges: Vec<(f64, bool)> = Vec::new();
    for s in segs.iter().filter(|s| s.len() >= 2) {
        let visible: Vec<&Glyph> =
            s[0].glyphs.iter().filter(|g| !g.text.trim().is_empty()).collect();
        let edge = s[1].x0;
        let aligned = starts.iter().filter(|&&x| (x - edge).abs() <= 3.0).count();
        if visible.len() <= 24 && s[0].x1 < edge - 4.0 && aligned >= 3 {
            let lone = visible.len() <= 12
                && aligned >= 6
                && visible.iter().all(|g| g.text.chars().all(char::is_alphabetic));
            edges.push((edge, lone));
        }
    }
    let edge = edges.iter().map(|e| e.0).fold(f64::MAX, f64::min);
    let agreeing: Vec<&(f64, bool)> = edges.iter().filter(|e| (e.0 - edge).abs() <= 3.0).collect();
    // Two labels agree, or one word-like label beside a column that many rows align to.
    (agreeing.len() >= 2 || agreeing.first().is_some_and(|e| e.1)).then_some(edge - 2.0)
}

/// Whether the text left of `cut` is a margin of labels rather than a column: few rows
/// (at most 40 % of the rows right of it), each short, and most of them on a row that has
/// text right of the cut too (a section title or a date beside its entry). A sidebar has rows
/// of its own.
fn margin_column(rows: &[Row], cut: f64) -> bool {
    let (mut left, mut right, mut shared) = (0usize, 0usize, 0usize);
    for r in rows.iter().filter(|r| !crosses(r, cut)) {
        let l: String =
            r.glyphs.iter().filter(|g| g.x + g.w <= cut).map(|g| g.text.as_str()).collect();
        let has_right = r.glyphs.iter().any(|g| g.x >= cut && !g.text.trim().is_empty());
        let l = l.trim();
        if has_right {
            right += 1;
        }
        if l.is_empty() {
            continue;
        }
        if l.chars().filter(|c| !c.is_whitespace()).count() > 24 {
            return false;
        }
        left += 1;
        if has_right {
            shared += 1;
        }
    }
    left >= 1 && left * 5 <= right * 2 && shared * 10 >= left * 7
}

/// Lay out one page's glyphs into lines in reading order.
pub fn layout_page(glyphs: Vec<Glyph>) -> PageLayout {
    let body = body_size(&glyphs);
    let rows = rows_of(glyphs);
    let pitches = Pitches::learn(&rows);
    if rows.is_empty() {
        return PageLayout { lines: Vec::new(), columns: 0 };
    }
    let mut cuts = gutters(&rows, body);
    cuts.retain(|&c| !date_column(&rows, c));
    // A left margin of labels (moderncv's section titles and dates beside the text) is read
    // row by row, the label first, rather than as a column of its own.
    let mut margins: Vec<f64> = cuts.iter().copied().filter(|&c| margin_column(&rows, c)).collect();
    cuts.retain(|c| !margins.contains(c));
    // Labels too few to make a gutter of their own (JSON Resume "even": "Work", "Education"
    // beside the first line of each section).
    if margins.is_empty()
        && let Some(m) = label_margin(&rows)
        && !cuts.iter().any(|&c| c < m)
        && margin_column(&rows, m)
    {
        margins.push(m);
    }
    let ncols = cuts.len() + 1;
    let col_of = |x: f64| cuts.iter().filter(|&&c| x >= c).count();

    // Each row: either it crosses a gutter (full width) or it is split into per-column pieces.
    enum Band {
        Full(Vec<Segment>),
        Columns(Vec<Vec<Vec<Segment>>>),
    }
    let mut bands: Vec<Band> = Vec::new();
    // The band of the last margin label and its row, to join a label set over two rows
    // ("Professional" / "Background").
    let mut last_label: Option<(usize, usize)> = None;
    for (ri, row) in rows.iter().enumerate() {
        // A label in the left margin becomes a line of its own, before the rest of its row.
        if let Some(&m) = margins.first()
            && !crosses(row, m)
            && row.glyphs.iter().any(|g| g.x + g.w / 2.0 < m && !g.text.trim().is_empty())
        {
            let (l, r): (Vec<Glyph>, Vec<Glyph>) =
                row.glyphs.iter().cloned().partition(|g| g.x + g.w / 2.0 < m);
            let wordy =
                |gs: &[Glyph]| !gs.iter().any(|g| g.text.chars().any(|c| c.is_ascii_digit()));
            let left_words = wordy(&l);
            let segs = segments(&Row { glyphs: l, y: row.y }, 2.5);
            match last_label {
                // Only a label set over two lines in a row is joined, not the label of the next
                // section a blank line below ("SUMMARY" … "EXPERIENCE").
                Some((bi, prev_row))
                    if prev_row + 1 == ri
                        && left_words
                        && row.y - rows[prev_row].y
                            <= 1.6
                                * row.glyphs.iter().map(|g| g.size.abs()).fold(1.0, f64::max) =>
                {
                    if let Some(Band::Full(prev)) = bands.get_mut(bi) {
                        prev.extend(segs);
                    }
                }
                _ => {
                    last_label = left_words.then_some((bands.len(), ri));
                    bands.push(Band::Full(segs));
                }
            }
            if let Some((_, r0)) = last_label.as_mut() {
                *r0 = ri;
            }
            let segs = segments(&Row { glyphs: r, y: row.y }, 2.5);
            if !segs.is_empty() {
                bands.push(Band::Full(segs));
            }
            continue;
        }
        if cuts.is_empty() || cuts.iter().any(|&c| crosses(row, c)) {
            let segs = segments(row, 2.5);
            if !segs.is_empty() {
                bands.push(Band::Full(segs));
            }
            continue;
        }
        let mut per_col: Vec<Vec<Segment>> = vec![Vec::new(); ncols];
        let mut col_rows: Vec<Row> = vec![Row { glyphs: Vec::new(), y: row.y }; ncols];
        for g in &row.glyphs {
            col_rows[col_of(g.x + g.w / 2.0)].glyphs.push(g.clone());
        }
        for (c, r) in col_rows.iter().enumerate() {
            per_col[c] = segments(r, 2.5);
        }
        if per_col.iter().all(|c| c.is_empty()) {
            continue;
        }
        match bands.last_mut() {
            Some(Band::Columns(cols)) => {
                for (c, segs) in per_col.into_iter().enumerate() {
                    if !segs.is_empty() {
                        cols[c].push(segs);
                    }
                }
            }
            _ => {
                let mut cols: Vec<Vec<Vec<Segment>>> = vec![Vec::new(); ncols];
                for (c, segs) in per_col.into_iter().enumerate() {
                    if !segs.is_empty() {
                        cols[c].push(segs);
                    }
                }
                bands.push(Band::Columns(cols));
            }
        }
    }

    let mut lines = Vec::new();
    let mut used_cols = 1;
    let mk = |segs: &[Segment], column: u32| -> Option<PageLine> {
        let mut text = String::new();
        let mut size: f64 = 0.0;
        for (i, s) in segs.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&glyph_text(&s.glyphs, &pitches));
            size = size.max(s.size);
        }
        let text = clean_line(&text);
        if text.is_empty() {
            return None;
        }
        let bullet = starts_with_bullet(&text);
        let heading = size >= body * 1.15 && text.chars().count() <= 80;
        Some(PageLine { text, heading, bullet, column })
    };
    for band in bands {
        match band {
            Band::Full(segs) => lines.extend(mk(&segs, 0)),
            Band::Columns(cols) => {
                let filled = cols.iter().filter(|c| !c.is_empty()).count();
                // A band only counts as multi-column when it holds several rows per column.
                if filled > 1 && cols.iter().filter(|c| c.len() >= 2).count() > 1 {
                    used_cols = used_cols.max(filled);
                }
                for (ci, col) in cols.iter().enumerate() {
                    for segs in col {
                        lines.extend(mk(segs, ci as u32));
                    }
                }
            }
        }
    }
    PageLayout { lines, columns: used_cols as u32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs for `text` starting at (x, y), 0.5 em per character.
    fn word(text: &str, x: f64, y: f64, size: f64) -> Vec<Glyph> {
        let w = size * 0.5;
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph { text: c.to_string(), x: x + i as f64 * w, y, w, size })
            .collect()
    }

    #[test]
    fn a_run_that_jumps_far_right_and_back_reads_left_to_right() {
        // Drawn in this order: a label, the dates flush right, then the title between them.
        let mut g = word("Work", 20.0, 100.0, 10.0);
        g.extend(word("2021 - Present", 400.0, 100.0, 10.0));
        g.extend(word("Head Chef, Aubergine", 120.0, 100.0, 10.0));
        let row: Vec<(usize, Glyph)> = g.into_iter().enumerate().collect();
        let text: String = reading_order(row).iter().map(|g| g.text.as_str()).collect();
        assert_eq!(text, "WorkHead Chef, Aubergine2021 - Present");
    }

    #[test]
    fn one_column_words_and_heading() {
        let mut g = word("JANE DOE", 50.0, 40.0, 20.0);
        for i in 0..8 {
            g.extend(word(
                &format!("line {i} of the body text"),
                50.0,
                80.0 + 14.0 * i as f64,
                10.0,
            ));
        }
        let p = layout_page(g);
        assert_eq!(p.columns, 1);
        assert_eq!(p.lines[0].text, "JANE DOE");
        assert!(p.lines[0].heading);
        assert_eq!(p.lines[1].text, "line 0 of the body text");
        assert!(!p.lines[1].heading);
    }

    #[test]
    fn two_columns_read_left_then_right() {
        let mut g = word("Full Width Name Header Across The Page Top", 40.0, 30.0, 10.0);
        for i in 0..10 {
            let y = 60.0 + 14.0 * i as f64;
            g.extend(word(&format!("left {i}"), 40.0, y, 10.0));
            g.extend(word(&format!("right {i} text"), 320.0, y, 10.0));
        }
        let p = layout_page(g);
        assert_eq!(p.columns, 2);
        let t: Vec<&str> = p.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(t[0], "Full Width Name Header Across The Page Top");
        assert_eq!(t[1], "left 0");
        assert_eq!(t[10], "left 9");
        assert_eq!(t[11], "right 0 text");
        assert_eq!(t.len(), 21);
    }

    #[test]
    fn bullets_and_tab_stops_stay_on_one_line() {
        let mut g = word("•", 50.0, 50.0, 10.0);
        g.extend(word("Built things", 70.0, 50.0, 10.0));
        g.extend(word("Acme", 50.0, 70.0, 10.0));
        g.extend(word("2019", 500.0, 70.0, 10.0));
        let p = layout_page(g);
        assert_eq!(p.lines[0].text, "• Built things");
        assert!(p.lines[0].bullet);
        assert_eq!(p.lines[1].text, "Acme 2019");
    }

    /// Glyphs for a line of words with each glyph advanced by `adv(c)` em, `track` em of
    /// letter-spacing after every glyph, `space` em between words, no space glyphs drawn, and
    /// the width reported as `reported(c)` em (the font's width table, right or wrong).
    #[allow(clippy::too_many_arguments)]
    fn set_line(
        text: &str,
        y: f64,
        size: f64,
        track: f64,
        space: f64,
        adv: impl Fn(char) -> f64,
        reported: impl Fn(char) -> f64,
        draw_spaces: bool,
    ) -> Vec<Glyph> {
        let mut x = 40.0;
        let mut out = Vec::new();
        for (i, w) in text.split(' ').enumerate() {
            if i > 0 {
                if draw_spaces {
                    out.push(Glyph { text: " ".into(), x, y, w: space * size, size });
                }
                x += space * size;
            }
            for c in w.chars() {
                out.push(Glyph { text: c.to_string(), x, y, w: reported(c) * size, size });
                x += (adv(c) + track) * size;
            }
        }
        out
    }

    fn real_adv(c: char) -> f64 {
        match c {
            'i' | 'l' | 'j' | '.' | ',' | 'I' => 0.28,
            'm' | 'w' | 'M' | 'W' | '@' => 0.83,
            c if c.is_uppercase() => 0.68,
            _ => 0.5,
        }
    }

    fn page_text(g: Vec<Glyph>) -> Vec<String> {
        layout_page(g).lines.into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn letter_spaced_text_is_read_as_words() {
        // CSS letter-spacing: 0.25 em after every glyph (wider than a plain word space).
        let mut g = Vec::new();
        let lines = [
            "SENIOR SOFTWARE ENGINEER",
            "john.doe@email.com (555) 123-4567",
            "Built payment systems in Rust for millions of users",
        ];
        for (k, l) in lines.iter().enumerate() {
            g.extend(set_line(
                l,
                40.0 + 16.0 * k as f64,
                11.0,
                0.25,
                0.3,
                real_adv,
                real_adv,
                false,
            ));
        }
        assert_eq!(page_text(g), lines);
    }

    #[test]
    fn fonts_without_space_glyphs_and_wrong_widths_still_have_word_breaks() {
        // XeTeX-style: no space glyphs, and a width table that says 1 em for every glyph.
        let body = [
            "Debarghya Das worked at Cornell University",
            "Software engineer since January 2015 in New York",
            "Designed distributed systems and data pipelines",
            "Mentored interns and led design reviews weekly",
            "Phone 212 555 0199 from 2012 to 2019 and 2020 to 2024",
            "Led a team and shipped a product used by millions",
        ];
        let mut g = Vec::new();
        for (k, l) in body.iter().enumerate() {
            g.extend(set_line(
                l,
                40.0 + 14.0 * k as f64,
                10.0,
                0.0,
                0.33,
                real_adv,
                |_| 1.0,
                false,
            ));
        }
        assert_eq!(page_text(g), body);
    }

    #[test]
    fn one_wrong_width_does_not_split_a_word() {
        // The width table is wrong for 'L' only (too narrow: a fake gap after each L), on a
        // page that draws its spaces (Chromium).
        let body = [
            "PROFESSIONAL EXPERIENCE",
            "Lisbon Lab Lead at Lumen Labs",
            "Plain text line",
            "Managed a dedicated team and led weekly reviews",
        ];
        let mut g = Vec::new();
        for (k, l) in body.iter().enumerate() {
            let reported = |c| if c == 'L' { 0.2 } else { real_adv(c) };
            g.extend(set_line(l, 40.0 + 14.0 * k as f64, 10.0, 0.0, 0.3, real_adv, reported, true));
        }
        assert_eq!(page_text(g), body);
    }
}
