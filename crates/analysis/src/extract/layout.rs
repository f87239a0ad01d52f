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

fn rows_of(mut glyphs: Vec<Glyph>) -> Vec<Row> {
    glyphs.retain(|g| g.x.is_finite() && g.y.is_finite() && g.size.is_finite() && g.w.is_finite());
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Row> = Vec::new();
    for g in glyphs {
        let tol = (g.size.abs() * 0.45).max(1.0);
        // Only the last few rows can match: glyphs are sorted by baseline.
        let found = rows.iter_mut().rev().take(3).find(|r| (r.y - g.y).abs() <= tol);
        match found {
            Some(r) => r.glyphs.push(g),
            None => rows.push(Row { y: g.y, glyphs: vec![g] }),
        }
    }
    for r in &mut rows {
        r.glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
        // Fake bold (the same glyph drawn twice, slightly offset) and overprinting.
        r.glyphs.dedup_by(|b, a| a.text == b.text && (a.x - b.x).abs() < a.size.abs() * 0.15);
    }
    rows.sort_by(|a, b| a.y.total_cmp(&b.y));
    rows
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
            let visible: Vec<&Glyph> =
                s.glyphs.iter().filter(|g| !g.text.trim().is_empty()).collect();
            visible.len() == 1
                && visible[0].text.chars().next().is_some_and(is_bullet_glyph)
                && g.x - s.x1 < 4.0 * s.size.max(1.0)
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

/// The text of a run of glyphs, with spaces where the gap between glyphs is word-sized
/// (`space_em` of the font size). Pages that draw their spaces as glyphs get a larger
/// threshold: there, font width tables (which are sometimes wrong) matter less than the spaces.
fn glyph_text(glyphs: &[Glyph], space_em: f64) -> String {
    let mut s = String::new();
    let mut last_end: Option<f64> = None;
    for g in glyphs {
        if let Some(end) = last_end {
            let gap = g.x - end;
            if gap > space_em * g.size.abs().max(1.0) && !s.ends_with(' ') {
                s.push(' ');
            }
        }
        if g.text.trim().is_empty() {
            if !s.is_empty() && !s.ends_with(' ') {
                s.push(' ');
            }
        } else {
            s.push_str(&g.text);
        }
        last_end = Some(match last_end {
            Some(e) if g.text.trim().is_empty() => e.max(g.x + g.w),
            _ => g.x + g.w,
        });
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

/// Lay out one page's glyphs into lines in reading order.
pub fn layout_page(glyphs: Vec<Glyph>) -> PageLayout {
    let body = body_size(&glyphs);
    let spaces = glyphs.iter().filter(|g| g.text == " ").count();
    let visible = glyphs.iter().filter(|g| !g.text.trim().is_empty()).count();
    let space_em = if spaces * 20 >= visible && spaces > 0 { 0.6 } else { 0.18 };
    let rows = rows_of(glyphs);
    if rows.is_empty() {
        return PageLayout { lines: Vec::new(), columns: 0 };
    }
    let cuts = gutters(&rows, body);
    let ncols = cuts.len() + 1;
    let col_of = |x: f64| cuts.iter().filter(|&&c| x >= c).count();

    // Each row: either it crosses a gutter (full width) or it is split into per-column pieces.
    enum Band {
        Full(Vec<Segment>),
        Columns(Vec<Vec<Vec<Segment>>>),
    }
    let mut bands: Vec<Band> = Vec::new();
    for row in &rows {
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
            text.push_str(&glyph_text(&s.glyphs, space_em));
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
}
