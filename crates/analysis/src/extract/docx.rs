//! DOCX (Office Open XML) resumes: a zip archive checked against the limits before anything is
//! inflated, then `word/document.xml` read as a stream of XML events (no DTD, no entity
//! expansion).

use super::normalize::{clean_line, starts_with_bullet};
use super::{ExtractError, Extracted, Limits, Line};
use qoder_domain::{DocumentFacts, FileFormat};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{Cursor, Read};

fn corrupt(detail: impl Into<String>) -> ExtractError {
    ExtractError::Corrupt { format: "DOCX".into(), detail: detail.into() }
}

fn limit(detail: impl Into<String>) -> ExtractError {
    ExtractError::ResourceLimit { detail: detail.into() }
}

/// Entries below this size are not held to the compression-ratio limit (small XML parts
/// legitimately compress very well).
const RATIO_EXEMPT_BYTES: u64 = 256 * 1024;

/// Deepest nesting of paragraphs/tables we follow (Word itself nests a handful of levels).
const MAX_NESTING: usize = 64;

/// The zip archive, checked against the limits.
struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    budget: u64,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self, ExtractError> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| corrupt(format!("unreadable zip archive: {e}")))?;
        if zip.len() > limits.max_zip_entries {
            return Err(limit(format!(
                "the DOCX holds {} files; the limit is {}",
                zip.len(),
                limits.max_zip_entries
            )));
        }
        let mut names = Vec::with_capacity(zip.len());
        let mut declared: u64 = 0;
        for i in 0..zip.len() {
            let f = zip.by_index_raw(i).map_err(|e| corrupt(format!("bad zip entry {i}: {e}")))?;
            let size = f.size();
            let packed = f.compressed_size().max(1);
            declared = declared.saturating_add(size);
            if size > RATIO_EXEMPT_BYTES && size / packed > limits.max_compression_ratio {
                return Err(limit(format!(
                    "'{}' expands {}x ({} bytes from {}); the limit is {}x (a zip bomb?)",
                    f.name(),
                    size / packed,
                    size,
                    packed,
                    limits.max_compression_ratio
                )));
            }
            names.push(f.name().to_string());
        }
        if declared > limits.max_uncompressed_bytes {
            return Err(limit(format!(
                "the DOCX expands to {declared} bytes; the limit is {} bytes",
                limits.max_uncompressed_bytes
            )));
        }
        Ok(Self { zip, names, budget: limits.max_uncompressed_bytes })
    }

    /// Read one part through a reader capped at the remaining budget: declared sizes can lie.
    fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ExtractError> {
        let Some(real) = self.names.iter().find(|n| n.eq_ignore_ascii_case(name)).cloned() else {
            return Ok(None);
        };
        let f =
            self.zip.by_name(&real).map_err(|e| corrupt(format!("cannot open '{real}': {e}")))?;
        if f.encrypted() {
            return Err(ExtractError::Encrypted);
        }
        let mut buf = Vec::new();
        let mut capped = f.take(self.budget.saturating_add(1));
        capped.read_to_end(&mut buf).map_err(|e| {
            if e.kind() == std::io::ErrorKind::OutOfMemory {
                limit(format!("ran out of memory inflating '{real}'"))
            } else if e.to_string().to_ascii_lowercase().contains("password") {
                ExtractError::Encrypted
            } else {
                corrupt(format!("cannot inflate '{real}': {e}"))
            }
        })?;
        let n = buf.len() as u64;
        if n > self.budget {
            return Err(limit(format!(
                "'{real}' inflates past the {}-byte limit (its declared size was false)",
                self.budget
            )));
        }
        self.budget -= n;
        Ok(Some(buf))
    }
}

pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut pkg = Package::open(bytes, limits)?;
    let doc =
        pkg.read("word/document.xml")?.ok_or_else(|| corrupt("word/document.xml is missing"))?;
    let styles = match pkg.read("word/styles.xml")? {
        Some(s) => heading_styles(&s).unwrap_or_default(),
        None => HashMap::new(),
    };
    let mut facts = DocumentFacts {
        format: Some(FileFormat::Docx),
        bytes: bytes.len() as u64,
        columns: 1,
        extractor: "docx/quick-xml".into(),
        ..Default::default()
    };
    let body = parse_part(&doc, &styles, &mut facts, "word/document.xml")?;

    let mut hf_names: Vec<String> = pkg
        .names
        .iter()
        .filter(|n| {
            let l = n.to_ascii_lowercase();
            (l.starts_with("word/header") || l.starts_with("word/footer")) && l.ends_with(".xml")
        })
        .cloned()
        .collect();
    // Headers before footers, each in part order.
    hf_names.sort_by_key(|n| (n.to_ascii_lowercase().starts_with("word/footer"), n.clone()));
    for name in hf_names {
        if let Some(xml) = pkg.read(&name)? {
            let mut scratch = DocumentFacts::default();
            let lines = parse_part(&xml, &styles, &mut scratch, &name)?;
            facts.images += scratch.images;
            facts.text_boxes += scratch.text_boxes;
            for l in lines {
                if !facts.header_footer_text.contains(&l.text) {
                    facts.header_footer_text.push(l.text);
                }
            }
        }
    }
    if body.is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(Extracted { lines: body, facts })
}

fn local(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn attr(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| local(a.key.as_ref()) == key).map(|a| {
        a.unescape_value()
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned())
    })
}

fn reader(xml: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(xml);
    let cfg = r.config_mut();
    cfg.check_end_names = false;
    cfg.trim_text(false);
    r
}

fn xml_error(part: &str, e: impl std::fmt::Display) -> ExtractError {
    corrupt(format!("{part} is not well-formed XML: {e}"))
}

fn reject_doctype(part: &str) -> ExtractError {
    corrupt(format!(
        "{part} declares a DTD (<!DOCTYPE>), which Word never writes; entity declarations are refused"
    ))
}

/// Style ids whose style name is a heading or a title.
fn heading_styles(xml: &[u8]) -> Result<HashMap<String, bool>, ExtractError> {
    let mut r = reader(xml);
    let mut out = HashMap::new();
    let mut current: Option<String> = None;
    loop {
        match r.read_event().map_err(|e| xml_error("word/styles.xml", e))? {
            Event::DocType(_) => return Err(reject_doctype("word/styles.xml")),
            Event::Start(e) | Event::Empty(e) => match local(e.name().as_ref()) {
                b"style" => current = attr(&e, b"styleId"),
                b"name" => {
                    if let (Some(id), Some(name)) = (current.as_ref(), attr(&e, b"val")) {
                        out.insert(id.clone(), is_heading_name(&name) || is_heading_name(id));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn is_heading_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase().replace(' ', "");
    n.starts_with("heading") || n == "title" || n == "subtitle"
}

/// One paragraph being read.
#[derive(Default)]
struct Para {
    text: String,
    style_heading: bool,
    numbered: bool,
    runs_with_text: usize,
    bold_runs_with_text: usize,
    /// Line breaks inside the paragraph (w:br) split it into several lines.
    parts: Vec<String>,
}

#[derive(Default)]
struct Run {
    bold: bool,
    has_text: bool,
}

/// Where finished lines go: the document body, or the table cell being read.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<Vec<Line>>>,
}

struct State<'s> {
    styles: &'s HashMap<String, bool>,
    out: Vec<Line>,
    paras: Vec<Para>,
    tables: Vec<Table>,
    run: Option<Run>,
    in_rpr: bool,
    /// Depth inside elements whose content is skipped (mc:Fallback, w:instrText, w:delText).
    skip: usize,
    in_text: bool,
}

impl State<'_> {
    fn sink(&mut self) -> &mut Vec<Line> {
        if let Some(cell) =
            self.tables.last_mut().and_then(|t| t.rows.last_mut()).and_then(|r| r.last_mut())
        {
            return cell;
        }
        &mut self.out
    }

    fn finish_para(&mut self) {
        let Some(mut p) = self.paras.pop() else { return };
        let rest = std::mem::take(&mut p.text);
        p.parts.push(rest);
        let all_bold = p.runs_with_text > 0 && p.bold_runs_with_text == p.runs_with_text;
        let mut first = true;
        let mut lines = Vec::new();
        for part in &p.parts {
            let text = clean_line(part);
            if text.is_empty() {
                continue;
            }
            let short = text.chars().count() <= 60 && text.split_whitespace().count() <= 8;
            let heading = p.style_heading || (all_bold && short && p.parts.len() == 1);
            let bullet = (first && p.numbered) || starts_with_bullet(&text);
            first = false;
            lines.push(Line { text, page: 1, heading_hint: heading, bullet });
        }
        self.sink().extend(lines);
    }

    fn finish_row(&mut self) {
        // A row is resolved when its table closes.
    }

    fn finish_table(&mut self) {
        let Some(t) = self.tables.pop() else { return };
        let mut lines = Vec::new();
        for row in t.rows {
            let simple = row.iter().all(|c| c.len() <= 1) && row.iter().any(|c| !c.is_empty());
            if simple {
                let cells: Vec<&Line> = row.iter().filter_map(|c| c.first()).collect();
                let text = cells.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" ");
                lines.push(Line {
                    text,
                    page: 1,
                    heading_hint: cells.len() == 1 && cells[0].heading_hint,
                    bullet: cells.first().is_some_and(|l| l.bullet),
                });
            } else {
                for cell in row {
                    lines.extend(cell);
                }
            }
        }
        self.sink().extend(lines);
    }
}

/// Read one WordprocessingML part into lines, counting layout elements into `facts`.
fn parse_part(
    xml: &[u8],
    styles: &HashMap<String, bool>,
    facts: &mut DocumentFacts,
    part: &str,
) -> Result<Vec<Line>, ExtractError> {
    let mut r = reader(xml);
    let mut st = State {
        styles,
        out: Vec::new(),
        paras: Vec::new(),
        tables: Vec::new(),
        run: None,
        in_rpr: false,
        skip: 0,
        in_text: false,
    };
    loop {
        let ev = r.read_event().map_err(|e| xml_error(part, e))?;
        match ev {
            Event::DocType(_) => return Err(reject_doctype(part)),
            Event::Start(e) => {
                let name = local(e.name().as_ref()).to_vec();
                if st.skip > 0 {
                    st.skip += 1;
                    continue;
                }
                match name.as_slice() {
                    b"Fallback" | b"instrText" | b"delText" | b"delInstrText" => st.skip = 1,
                    b"p" => {
                        if st.paras.len() >= MAX_NESTING {
                            return Err(limit(format!(
                                "{part} nests paragraphs more than {MAX_NESTING} deep"
                            )));
                        }
                        st.paras.push(Para::default());
                    }
                    b"tbl" => {
                        if st.tables.len() >= MAX_NESTING {
                            return Err(limit(format!(
                                "{part} nests tables more than {MAX_NESTING} deep"
                            )));
                        }
                        facts.tables += 1;
                        st.tables.push(Table::default());
                    }
                    b"tr" => {
                        if let Some(t) = st.tables.last_mut() {
                            t.rows.push(Vec::new());
                        }
                    }
                    b"tc" => {
                        if let Some(row) = st.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                            row.push(Vec::new());
                        }
                    }
                    b"r" => st.run = Some(Run::default()),
                    b"rPr" => st.in_rpr = true,
                    b"t" => st.in_text = true,
                    b"txbxContent" => facts.text_boxes += 1,
                    _ => empty_element(&mut st, &e, &name, facts),
                }
            }
            Event::Empty(e) => {
                if st.skip > 0 {
                    continue;
                }
                let name = local(e.name().as_ref()).to_vec();
                match name.as_slice() {
                    b"p" => {
                        // An empty paragraph: nothing to emit.
                    }
                    _ => empty_element(&mut st, &e, &name, facts),
                }
            }
            Event::End(e) => {
                if st.skip > 0 {
                    st.skip -= 1;
                    continue;
                }
                match local(e.name().as_ref()) {
                    b"p" => st.finish_para(),
                    b"tbl" => st.finish_table(),
                    b"tr" => st.finish_row(),
                    b"r" => {
                        if let (Some(run), Some(p)) = (st.run.take(), st.paras.last_mut())
                            && run.has_text
                        {
                            p.runs_with_text += 1;
                            if run.bold {
                                p.bold_runs_with_text += 1;
                            }
                        }
                    }
                    b"rPr" => st.in_rpr = false,
                    b"t" => st.in_text = false,
                    _ => {}
                }
            }
            Event::Text(t) if st.in_text && st.skip == 0 => {
                push_text(&mut st, &unescape(&String::from_utf8_lossy(t.as_ref())));
            }
            Event::CData(t) if st.in_text && st.skip == 0 => {
                push_text(&mut st, &String::from_utf8_lossy(t.as_ref()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Unclosed elements in a damaged file: flush what was read.
    while !st.paras.is_empty() {
        st.finish_para();
    }
    while !st.tables.is_empty() {
        st.finish_table();
    }
    Ok(st.out)
}

/// Replace the five predefined XML entities and character references; anything else (an
/// entity no DTD may declare here) stays as written.
fn unescape(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest[1..].find(';').map(|e| e + 1).filter(|&e| e <= 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let rep = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ if name.starts_with("#x") || name.starts_with("#X") => {
                u32::from_str_radix(&name[2..], 16).ok().and_then(char::from_u32)
            }
            _ if name.starts_with('#') => name[1..].parse::<u32>().ok().and_then(char::from_u32),
            _ => None,
        };
        match rep {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn push_text(st: &mut State<'_>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(run) = st.run.as_mut()
        && !s.trim().is_empty()
    {
        run.has_text = true;
    }
    if let Some(p) = st.paras.last_mut() {
        p.text.push_str(s);
    }
}

/// Elements that matter whether written empty (`<w:b/>`) or with content.
fn empty_element(st: &mut State<'_>, e: &BytesStart<'_>, name: &[u8], facts: &mut DocumentFacts) {
    match name {
        b"pStyle" => {
            if let (Some(v), Some(p)) = (attr(e, b"val"), st.paras.last_mut()) {
                p.style_heading = st.styles.get(&v).copied().unwrap_or_else(|| is_heading_name(&v));
            }
        }
        b"numPr" => {
            if let Some(p) = st.paras.last_mut() {
                p.numbered = true;
            }
        }
        b"b" if st.in_rpr => {
            if let Some(run) = st.run.as_mut() {
                run.bold = !matches!(attr(e, b"val").as_deref(), Some("0" | "false" | "off"));
            }
        }
        b"tab" if st.run.is_some() => push_text(st, "\t"),
        b"br" | b"cr" => {
            if let Some(p) = st.paras.last_mut() {
                let part = std::mem::take(&mut p.text);
                p.parts.push(part);
            }
        }
        b"noBreakHyphen" => push_text(st, "-"),
        b"sym" => {
            let c = attr(e, b"char")
                .and_then(|h| u32::from_str_radix(&h, 16).ok())
                .map(|v| if v < 0x100 { v + 0xF000 } else { v })
                .and_then(char::from_u32);
            if let Some(c) = c {
                push_text(st, &c.to_string());
            }
        }
        b"blip" | b"imagedata" => facts.images += 1,
        b"cols" => {
            if let Some(n) = attr(e, b"num").and_then(|n| n.parse::<u32>().ok()) {
                facts.columns = facts.columns.max(n.clamp(1, 16));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> (Vec<Line>, DocumentFacts) {
        let xml = format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="w"><w:body>{body}</w:body></w:document>"#
        );
        let mut f = DocumentFacts::default();
        let lines =
            parse_part(xml.as_bytes(), &HashMap::new(), &mut f, "word/document.xml").unwrap();
        (lines, f)
    }

    #[test]
    fn runs_tabs_breaks_bullets_headings() {
        let (l, _) = parse(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Experience</w:t></w:r></w:p>
               <w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Acme</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:tab/><w:t xml:space="preserve"> Corp</w:t></w:r></w:p>
               <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Led &amp; shipped</w:t><w:br/><w:t>second line</w:t></w:r></w:p>
               <w:p><w:r><w:t>Plain </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>mixed</w:t></w:r></w:p>"#,
        );
        let got: Vec<_> = l.iter().map(|l| (l.text.as_str(), l.heading_hint, l.bullet)).collect();
        assert_eq!(
            got,
            vec![
                ("Experience", true, false),
                ("Acme Corp", true, false),
                ("Led & shipped", false, true),
                ("second line", false, false),
                ("Plain mixed", false, false)
            ]
        );
    }

    #[test]
    fn tables_textboxes_images_fallback() {
        let (l, f) = parse(
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Acme</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2019-2021</w:t></w:r></w:p></w:tc></w:tr>
               <w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>C</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
               <w:p><w:r><mc:AlternateContent><mc:Choice><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>
               <mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>
               <w:r><w:t>After</w:t></w:r></w:p>
               <w:p><w:r><w:drawing><pic:pic><a:blip r:embed="rId5"/></pic:pic></w:drawing></w:r></w:p>
               <w:p><w:r><w:instrText>HYPERLINK "x"</w:instrText></w:r><w:hyperlink><w:r><w:t>site.dev</w:t></w:r></w:hyperlink></w:p>"#,
        );
        let got: Vec<_> = l.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(got, vec!["Acme 2019-2021", "A", "B", "C", "Boxed", "After", "site.dev"]);
        assert_eq!((f.tables, f.text_boxes, f.images), (1, 1, 1));
    }

    #[test]
    fn doctype_is_refused() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><w:document><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"#;
        let mut f = DocumentFacts::default();
        let e =
            parse_part(xml.as_bytes(), &HashMap::new(), &mut f, "word/document.xml").unwrap_err();
        assert!(matches!(e, ExtractError::Corrupt { .. }), "{e:?}");
    }

    #[test]
    fn unknown_entity_is_not_expanded() {
        let (l, _) = parse(r#"<w:p><w:r><w:t>a &lol9; b</w:t></w:r></w:p>"#);
        assert_eq!(l[0].text, "a &lol9; b");
    }
}
