//! PDF resumes: lopdf parses the file, pdf-extract interprets the content streams and hands us
//! every glyph with its position ([`pdf_extract::OutputDev`]); [`super::layout`] turns glyphs
//! into lines in reading order.

use super::layout::{Glyph, PageLine, layout_page};
use super::normalize::{clean_line, starts_with_bullet};
use super::{ExtractError, Extracted, Line};
use lopdf::{Dictionary, Document, Object, ObjectId};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use qoder_domain::{DocumentFacts, FileFormat};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Name of the layout extractor in [`DocumentFacts::extractor`].
pub const EXTRACTOR: &str = "pdf-extract+layout";
/// The fallback when pdf-extract fails on a file.
pub const FALLBACK_EXTRACTOR: &str = "lopdf-extract_text";

/// Most glyphs we collect from one file (a resume has a few thousand).
const MAX_GLYPHS: usize = 2_000_000;
/// Deepest chain of form XObjects we let pdf-extract follow (it recurses without a limit).
const MAX_FORM_DEPTH: usize = 12;

fn corrupt(detail: impl Into<String>) -> ExtractError {
    ExtractError::Corrupt { format: "PDF".into(), detail: detail.into() }
}

/// Collects glyphs page by page.
#[derive(Default)]
pub struct GlyphCollector {
    pub pages: BTreeMap<u32, Vec<Glyph>>,
    current: u32,
    height: f64,
    llx: f64,
    count: usize,
    pub overflow: bool,
}

impl OutputDev for GlyphCollector {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.current = page_num;
        self.height = media_box.ury;
        self.llx = media_box.llx;
        self.pages.entry(page_num).or_default();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.count += 1;
        if self.count > MAX_GLYPHS {
            self.overflow = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        let sx = (trm.m11 * trm.m11 + trm.m12 * trm.m12).sqrt();
        let sy = (trm.m21 * trm.m21 + trm.m22 * trm.m22).sqrt();
        let size = (font_size * sy).abs();
        let w = (width * font_size * sx).abs();
        let g = Glyph {
            text: char.to_string(),
            x: trm.m31 - self.llx,
            y: self.height - trm.m32,
            w,
            size,
        };
        self.pages.entry(self.current).or_default().push(g);
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// What a walk over the page resources found.
#[derive(Default)]
struct ResourceScan {
    /// Distinct image XObjects in the document.
    images: HashSet<ObjectId>,
    /// Inline (direct) image XObjects.
    direct_images: u32,
    /// Pages that draw at least one image.
    image_pages: HashSet<u32>,
    /// A structure pdf-extract would recurse into forever (a form XObject that draws itself,
    /// a /Parent loop) or too deep.
    unsafe_structure: Option<String>,
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<(Option<ObjectId>, &'a Object)> {
    doc.dereference(o).ok()
}

fn scan_xobjects(
    doc: &Document,
    res: &Dictionary,
    page: u32,
    path: &mut Vec<ObjectId>,
    done: &mut HashSet<ObjectId>,
    scan: &mut ResourceScan,
) {
    let Some((_, xo)) = res.get(b"XObject").ok().and_then(|o| deref(doc, o)) else { return };
    let Ok(xo) = xo.as_dict() else { return };
    for (_, entry) in xo.iter() {
        let Some((id, obj)) = deref(doc, entry) else { continue };
        let Ok(stream) = obj.as_stream() else { continue };
        let subtype = stream.dict.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
        match subtype {
            b"Image" => {
                scan.image_pages.insert(page);
                match id {
                    Some(id) => {
                        scan.images.insert(id);
                    }
                    None => scan.direct_images += 1,
                }
            }
            b"Form" => {
                if let Some(id) = id {
                    if path.contains(&id) {
                        scan.unsafe_structure =
                            Some(format!("form XObject {} {} draws itself", id.0, id.1));
                        continue;
                    }
                    if path.len() >= MAX_FORM_DEPTH {
                        scan.unsafe_structure =
                            Some(format!("form XObjects nested deeper than {MAX_FORM_DEPTH}"));
                        continue;
                    }
                    if done.contains(&id) {
                        continue;
                    }
                    path.push(id);
                }
                let inner = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|o| deref(doc, o))
                    .and_then(|(_, o)| o.as_dict().ok());
                scan_xobjects(doc, inner.unwrap_or(res), page, path, done, scan);
                if let Some(id) = id {
                    path.pop();
                    done.insert(id);
                }
            }
            _ => {}
        }
    }
}

/// Most link targets read from one file.
const MAX_LINKS: usize = 200;

/// The URIs of the link annotations on every page (`/Annots` → `/Subtype /Link` → `/A /URI`),
/// without repeats.
fn link_targets(doc: &Document, pages: &BTreeMap<u32, ObjectId>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for &page_id in pages.values() {
        let Ok(page) = doc.get_dictionary(page_id) else { continue };
        let Some((_, annots)) = page.get(b"Annots").ok().and_then(|o| deref(doc, o)) else {
            continue;
        };
        let Ok(annots) = annots.as_array() else { continue };
        for a in annots.iter().take(MAX_LINKS) {
            let Some((_, a)) = deref(doc, a) else { continue };
            let Ok(a) = a.as_dict() else { continue };
            let Some((_, action)) = a.get(b"A").ok().and_then(|o| deref(doc, o)) else { continue };
            let Ok(action) = action.as_dict() else { continue };
            let Some((_, uri)) = action.get(b"URI").ok().and_then(|o| deref(doc, o)) else {
                continue;
            };
            let Ok(bytes) = uri.as_str() else { continue };
            let text = String::from_utf8_lossy(bytes).trim().to_string();
            if !text.is_empty() && text.len() <= 500 && !out.contains(&text) {
                out.push(text);
            }
            if out.len() >= MAX_LINKS {
                return out;
            }
        }
    }
    out
}

fn scan_document(doc: &Document, pages: &BTreeMap<u32, ObjectId>) -> ResourceScan {
    let mut scan = ResourceScan::default();
    for (&num, &page_id) in pages {
        // pdf-extract follows /Parent for inherited attributes without a loop check.
        let mut seen = HashSet::new();
        let mut node = doc.get_dictionary(page_id).ok();
        let mut depth = 0;
        while let Some(d) = node {
            depth += 1;
            match d.get(b"Parent").and_then(Object::as_reference) {
                Ok(parent) => {
                    if !seen.insert(parent) || depth > 64 {
                        scan.unsafe_structure = Some("the page tree loops (/Parent)".into());
                        break;
                    }
                    node = doc.get_dictionary(parent).ok();
                }
                Err(_) => break,
            }
        }
        let mut dicts: Vec<&Dictionary> = Vec::new();
        if let Ok((direct, ids)) = doc.get_page_resources(page_id) {
            dicts.extend(direct);
            dicts.extend(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
        }
        let mut done = HashSet::new();
        for d in dicts {
            scan_xobjects(doc, d, num, &mut Vec::new(), &mut done, &mut scan);
        }
    }
    scan
}

fn load(bytes: &[u8]) -> Result<Document, ExtractError> {
    let first = match catch_unwind(|| Document::load_mem(bytes)) {
        Ok(Ok(doc)) => return Ok(doc),
        Ok(Err(e)) => e.to_string(),
        Err(_) => "the PDF parser crashed on this file".to_string(),
    };
    // Junk before the header shifts every offset; retry from the header.
    if let Some(off) = super::detect::pdf_header_offset(bytes).filter(|&o| o > 0)
        && let Ok(Ok(doc)) = catch_unwind(|| Document::load_mem(&bytes[off..]))
    {
        return Ok(doc);
    }
    if has_encrypt_key(bytes) {
        return Err(ExtractError::Encrypted);
    }
    Err(corrupt(first))
}

fn has_encrypt_key(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

/// Extract text from PDF bytes in this process.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut doc = load(bytes)?;
    // lopdf opens files whose user password is empty by itself; anything else stays encrypted.
    if doc.is_encrypted() && !doc.was_encrypted() {
        return Err(ExtractError::Encrypted);
    }
    // Width ranges of CID fonts in the form pdf-extract reads right (see fonts.rs).
    super::fonts::expand_cid_width_ranges(&mut doc);
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(corrupt("the document has no pages"));
    }
    let page_count = pages.len() as u32;
    let scan = scan_document(&doc, &pages);
    let images = scan.images.len() as u32 + scan.direct_images;

    let mut facts = DocumentFacts {
        format: Some(FileFormat::Pdf),
        bytes: bytes.len() as u64,
        pages: Some(page_count),
        columns: 1,
        images,
        ..Default::default()
    };

    facts.link_targets = link_targets(&doc, &pages);

    let layout_result: Result<BTreeMap<u32, Vec<Glyph>>, String> = match &scan.unsafe_structure {
        Some(why) => Err(why.clone()),
        None => {
            let mut collector = GlyphCollector::default();
            // Form XObjects drawn in place, so their text keeps its position (see forms.rs).
            let inlined =
                catch_unwind(AssertUnwindSafe(|| super::forms::inline_forms(&doc, &pages)))
                    .ok()
                    .flatten();
            let target = inlined.as_ref().unwrap_or(&doc);
            let run =
                catch_unwind(AssertUnwindSafe(|| pdf_extract::output_doc(target, &mut collector)));
            match run {
                Ok(Ok(())) => Ok(collector.pages),
                Ok(Err(_)) if collector.overflow => {
                    return Err(ExtractError::ResourceLimit {
                        detail: format!("the PDF draws more than {MAX_GLYPHS} characters"),
                    });
                }
                Ok(Err(e)) => Err(e.to_string()),
                Err(_) => Err("pdf-extract crashed on this file".into()),
            }
        }
    };

    let lines = match layout_result {
        Ok(glyph_pages) => {
            facts.extractor = EXTRACTOR.into();
            let mut per_page: Vec<(u32, Vec<PageLine>)> = Vec::new();
            for (num, glyphs) in glyph_pages {
                let p = layout_page(glyphs);
                facts.columns = facts.columns.max(p.columns);
                per_page.push((num, p.lines));
            }
            facts.header_footer_text = strip_running_lines(&mut per_page);
            per_page
                .into_iter()
                .flat_map(|(page, ls)| {
                    ls.into_iter().map(move |l| Line {
                        text: l.text,
                        page,
                        heading_hint: l.heading,
                        bullet: l.bullet,
                    })
                })
                .collect::<Vec<_>>()
        }
        Err(why) => {
            facts.extractor = format!("{FALLBACK_EXTRACTOR} (pdf-extract failed: {why})");
            fallback_lines(&doc, &pages).map_err(|e| corrupt(format!("{why}; fallback: {e}")))?
        }
    };

    let chars: usize =
        lines.iter().map(|l| l.text.chars().filter(|c| c.is_alphanumeric()).count()).sum();
    if chars < 20 * page_count as usize && !scan.image_pages.is_empty() {
        return Err(ExtractError::NoTextLayer { pages: page_count });
    }
    if chars == 0 {
        return Err(ExtractError::Empty);
    }
    Ok(Extracted { lines, facts })
}

/// lopdf's own text extraction: no positions, but a separate code path from pdf-extract.
fn fallback_lines(doc: &Document, pages: &BTreeMap<u32, ObjectId>) -> Result<Vec<Line>, String> {
    let mut lines = Vec::new();
    for &num in pages.keys() {
        let text = match catch_unwind(AssertUnwindSafe(|| doc.extract_text(&[num]))) {
            Ok(Ok(t)) => t,
            Ok(Err(e)) => return Err(e.to_string()),
            Err(_) => return Err("lopdf crashed on this file".into()),
        };
        for raw in text.lines() {
            let t = clean_line(raw);
            if !t.is_empty() {
                let bullet = starts_with_bullet(&t);
                lines.push(Line { text: t, page: num, heading_hint: false, bullet });
            }
        }
    }
    Ok(lines)
}

/// A line's identity for header/footer matching: page numbers vary, the rest repeats.
fn running_key(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_digit() { '#' } else { c.to_ascii_lowercase() }).collect()
}

/// Lines repeated at the top or bottom of several pages are running headers/footers: keep the
/// first occurrence, drop the repeats, and return each repeat dropped (so the text of every page
/// is the body plus what was set aside).
fn strip_running_lines(pages: &mut [(u32, Vec<PageLine>)]) -> Vec<String> {
    if pages.len() < 2 {
        return Vec::new();
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (_, lines) in pages.iter() {
        let mut keys: HashSet<String> = HashSet::new();
        for l in lines.iter().take(2).chain(lines.iter().rev().take(2)) {
            keys.insert(running_key(&l.text));
        }
        for k in keys {
            *counts.entry(k).or_default() += 1;
        }
    }
    let need = if pages.len() == 2 { 2 } else { pages.len().div_ceil(2) };
    let running: HashSet<String> =
        counts.into_iter().filter(|(_, n)| *n >= need).map(|(k, _)| k).collect();
    let mut found = Vec::new();
    let mut seen_once: HashSet<String> = HashSet::new();
    for (_, lines) in pages.iter_mut() {
        let n = lines.len();
        let mut idx = 0;
        lines.retain(|l| {
            let i = idx;
            idx += 1;
            let edge = i < 2 || i + 2 >= n;
            let k = running_key(&l.text);
            if !edge || !running.contains(&k) {
                return true;
            }
            if seen_once.insert(k) {
                return true;
            }
            found.push(l.text.clone());
            false
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pl(t: &str) -> PageLine {
        PageLine { text: t.into(), heading: false, bullet: false, column: 0 }
    }

    #[test]
    fn running_headers_are_found_and_deduplicated() {
        let mut pages = vec![
            (1, vec![pl("Jane Doe - Resume"), pl("Experience"), pl("a"), pl("Page 1 of 2")]),
            (2, vec![pl("Jane Doe - Resume"), pl("Education"), pl("b"), pl("Page 2 of 2")]),
        ];
        let found = strip_running_lines(&mut pages);
        assert_eq!(found, vec!["Jane Doe - Resume".to_string(), "Page 2 of 2".to_string()]);
        assert_eq!(pages[0].1.len(), 4);
        let p2: Vec<&str> = pages[1].1.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(p2, vec!["Education", "b"]);
    }
}
