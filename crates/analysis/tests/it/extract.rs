//! Extraction from real files: PDFs written with lopdf or printed by Chromium, DOCX written
//! with the zip crate or pandoc, hostile archives, and the isolated worker process.

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};
use qoder_analysis::extract::isolate::{WorkerCommand, extract_isolated};
use qoder_analysis::extract::{ExtractError, Extracted, Limits, detect_format, extract};
use qoder_domain::CodedError;
use qoder_domain::{ErrorCode, FileFormat};
use std::io::Write;
use std::time::{Duration, Instant};

fn fixture(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn texts(e: &Extracted) -> Vec<&str> {
    e.lines.iter().map(|l| l.text.as_str()).collect()
}

fn limits() -> Limits {
    Limits::default()
}

fn worker() -> WorkerCommand {
    WorkerCommand { program: env!("CARGO_BIN_EXE_qoder-extract-worker").into(), args: Vec::new() }
}

// ---------------------------------------------------------------- PDF builders (lopdf)

/// One line of text to draw: (font resource, size, x, y from the bottom, PDF string bytes).
type Draw<'a> = (&'a str, f64, f64, f64, &'a [u8]);

fn pdf(pages: &[Vec<Draw<'_>>], image_on_pages: bool) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let f1 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let f2 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => dictionary! {
            "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![1.into(), Object::Name(b"fi".to_vec()), Object::Name(b"fl".to_vec()),
                Object::Name(b"ffi".to_vec()), Object::Name(b"bullet".to_vec())],
        },
    });
    let image = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![0, 255, 255, 0],
    ));
    let mut kids = Vec::new();
    for draws in pages {
        let mut ops = Vec::new();
        if image_on_pages {
            ops.push(Operation::new("q", vec![]));
            ops.push(Operation::new(
                "cm",
                vec![500.into(), 0.into(), 0.into(), 700.into(), 50.into(), 50.into()],
            ));
            ops.push(Operation::new("Do", vec![Object::Name(b"Im1".to_vec())]));
            ops.push(Operation::new("Q", vec![]));
        }
        for (font, size, x, y, text) in draws {
            ops.push(Operation::new("BT", vec![]));
            ops.push(Operation::new(
                "Tf",
                vec![Object::Name(font.as_bytes().to_vec()), (*size).into()],
            ));
            ops.push(Operation::new("Td", vec![(*x).into(), (*y).into()]));
            ops.push(Operation::new("Tj", vec![Object::string_literal(text.to_vec())]));
            ops.push(Operation::new("ET", vec![]));
        }
        let content = Content { operations: ops }.encode().unwrap();
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "Resources" => if image_on_pages {
                dictionary! { "Font" => dictionary! { "F1" => f1, "F2" => f2 }, "XObject" => dictionary! { "Im1" => image } }
            } else {
                dictionary! { "Font" => dictionary! { "F1" => f1, "F2" => f2 } }
            },
        });
        kids.push(page.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

// ---------------------------------------------------------------- DOCX builder (zip crate)

fn docx(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("[Content_Types].xml", opts).unwrap();
        z.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#).unwrap();
        for (name, body) in parts {
            z.start_file(*name, opts).unwrap();
            z.write_all(body.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn document_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
}

// ---------------------------------------------------------------- format detection, TXT

#[test]
fn detection_uses_bytes_and_names_the_type() {
    assert_eq!(detect_format(b"%PDF-1.4\n").unwrap(), FileFormat::Pdf);
    assert_eq!(detect_format(b"Jane Doe\nEngineer\n").unwrap(), FileFormat::Txt);
    let d = docx(&[("word/document.xml", &document_xml(""))]);
    assert_eq!(detect_format(&d).unwrap(), FileFormat::Docx);

    let cases: Vec<(Vec<u8>, &str)> = vec![
        (docx(&[("xl/workbook.xml", "<workbook/>")]), "Excel"),
        (docx(&[("ppt/presentation.xml", "<p/>")]), "PowerPoint"),
        (docx(&[("notes.txt", "hello")]), "Office Open XML package"),
        (
            vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
            "legacy Word .doc: save it as .docx",
        ),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), "PNG image"),
        (b"{\\rtf1\\ansi Jane}".to_vec(), "RTF"),
        (b"<!doctype html><html><body>Jane</body></html>".to_vec(), "HTML"),
        (vec![0u8, 159, 146, 150, 0, 1, 2, 3, 200, 201], "binary"),
    ];
    for (bytes, want) in cases {
        let e = extract(&bytes, &limits()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnsupportedFileType, "{want}: {e:?}");
        let ExtractError::Unsupported { detected } = &e else { panic!("{e:?}") };
        assert!(detected.contains(want), "{detected} should mention {want}");
    }
    let mut zip = docx(&[("readme.md", "x")]);
    // Not a Word document, not an Office package either.
    zip = {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            z.start_file("a.txt", zip::write::SimpleFileOptions::default()).unwrap();
            z.write_all(b"x").unwrap();
            z.finish().unwrap();
        }
        let _ = zip;
        buf.into_inner()
    };
    let ExtractError::Unsupported { detected } = extract(&zip, &limits()).unwrap_err() else {
        panic!()
    };
    assert_eq!(detected, "zip archive, not a Word document");
}

#[test]
fn size_and_empty_errors() {
    let small = Limits { max_bytes: 10, ..limits() };
    assert_eq!(
        extract(b"0123456789ABC", &small).unwrap_err(),
        ExtractError::TooLarge { size: 13, limit: 10 }
    );
    assert_eq!(extract(b"", &limits()).unwrap_err(), ExtractError::Empty);
    assert_eq!(extract(b" \r\n\t \n", &limits()).unwrap_err(), ExtractError::Empty);
    assert_eq!(extract(b"", &limits()).unwrap_err().code(), ErrorCode::EmptyDocument);
}

#[test]
fn txt_encodings_newlines_bullets() {
    let e =
        extract("\u{FEFF}Jane Doe\r\nSKILLS\r\n\u{2022}\tRust\r\n- Go\rLast".as_bytes(), &limits())
            .unwrap();
    assert_eq!(texts(&e), vec!["Jane Doe", "SKILLS", "• Rust", "- Go", "Last"]);
    assert!(e.lines[2].bullet && e.lines[3].bullet && !e.lines[0].bullet);
    assert_eq!(e.facts.format, Some(FileFormat::Txt));

    let mut be = vec![0xFE, 0xFF];
    for u in "Łukasz Nowak\nKraków".encode_utf16() {
        be.extend_from_slice(&u.to_be_bytes());
    }
    assert_eq!(texts(&extract(&be, &limits()).unwrap()), vec!["Łukasz Nowak", "Kraków"]);
    let cp1252 = b"Ren\xE9e M\xFCller \x96 Z\xFCrich\n\x95 Caf\xE9 \x93owner\x94";
    let e = extract(cp1252, &limits()).unwrap();
    assert_eq!(texts(&e), vec!["Renée Müller – Zürich", "• Café “owner”"]);
    assert!(e.lines[1].bullet);
    assert_eq!(e.facts.extractor, "text/windows-1252");
}

// ---------------------------------------------------------------- PDF

#[test]
fn pdf_one_column_order_heading_and_page_facts() {
    let p = pdf(
        &[vec![
            ("F1", 20.0, 72.0, 720.0, b"Jane Doe"),
            ("F1", 10.0, 72.0, 700.0, b"jane@example.com | Berlin"),
            ("F1", 14.0, 72.0, 670.0, b"Experience"),
            ("F1", 10.0, 72.0, 650.0, b"Staff Engineer, Acme GmbH"),
            ("F1", 10.0, 72.0, 636.0, b"Built the billing platform"),
            ("F1", 10.0, 72.0, 622.0, b"Led a team of six"),
        ]],
        false,
    );
    let e = extract(&p, &limits()).unwrap();
    assert_eq!(
        texts(&e),
        vec![
            "Jane Doe",
            "jane@example.com | Berlin",
            "Experience",
            "Staff Engineer, Acme GmbH",
            "Built the billing platform",
            "Led a team of six"
        ]
    );
    assert!(e.lines[0].heading_hint && e.lines[2].heading_hint && !e.lines[3].heading_hint);
    assert_eq!(e.facts.format, Some(FileFormat::Pdf));
    assert_eq!((e.facts.pages, e.facts.columns, e.facts.images), (Some(1), 1, 0));
    assert_eq!(e.facts.extractor, "pdf-extract+layout");
    assert!(e.lines.iter().all(|l| l.page == 1));
}

#[test]
fn pdf_two_columns_read_column_by_column() {
    let mut draws: Vec<Draw<'_>> =
        vec![("F1", 18.0, 50.0, 740.0, b"Sam Rivera - Product Designer")];
    let left: [&[u8]; 8] = [
        b"EXPERIENCE",
        b"Lead Designer, Figtree",
        b"Shipped the design system",
        b"Ran research with users",
        b"Designer, Brightside",
        b"Redesigned onboarding",
        b"EDUCATION",
        b"BA Design, 2015",
    ];
    let right: [&[u8]; 8] = [
        b"SKILLS",
        b"Figma",
        b"Sketch",
        b"Prototyping",
        b"HTML and CSS",
        b"LANGUAGES",
        b"English",
        b"Spanish",
    ];
    for i in 0..8 {
        let y = 700.0 - 16.0 * i as f64;
        draws.push(("F1", 10.0, 50.0, y, left[i]));
        draws.push(("F1", 10.0, 400.0, y, right[i]));
    }
    let e = extract(&pdf(&[draws], false), &limits()).unwrap();
    let t = texts(&e);
    assert_eq!(t[0], "Sam Rivera - Product Designer");
    let want: Vec<String> =
        left.iter().chain(right.iter()).map(|b| String::from_utf8_lossy(b).into_owned()).collect();
    assert_eq!(t[1..], want.iter().map(String::as_str).collect::<Vec<_>>()[..]);
    assert_eq!(e.facts.columns, 2);
}

#[test]
fn pdf_printed_by_chromium_two_column_fixture() {
    let e = extract(&fixture("two-column.pdf"), &limits()).unwrap();
    let t = texts(&e);
    assert_eq!(e.facts.columns, 2);
    let pos = |s: &str| {
        t.iter().position(|l| *l == s).unwrap_or_else(|| panic!("{s} missing from {t:#?}"))
    };
    // The main column is read to its end before the sidebar starts.
    assert!(pos("Amara Okafor") < pos("Experience"));
    assert!(pos("Moved nightly batch jobs to Airflow") < pos("Education"));
    assert!(pos("BSc Computer Science, University of Lagos, 2018") < pos("Skills"));
    assert!(pos("Skills") < pos("Python") && pos("Terraform") < pos("Languages"));
    assert!(e.lines[pos("Amara Okafor")].heading_hint);
}

#[test]
fn pdf_ligatures_and_bullet_glyphs() {
    // \x01 = fi, \x02 = fl, \x03 = ffi, \x04 = bullet (a /Differences encoding).
    let p = pdf(
        &[vec![
            ("F2", 10.0, 72.0, 700.0, b"\x04 E\x03cient work\x02ows"),
            ("F2", 10.0, 72.0, 686.0, b"\x04 Pro\x01table o\x03ce"),
            ("F1", 10.0, 72.0, 672.0, b"\x95 WinAnsi bullet"),
            ("F1", 10.0, 72.0, 658.0, b"Plain line"),
        ]],
        false,
    );
    let e = extract(&p, &limits()).unwrap();
    assert_eq!(
        texts(&e),
        vec!["• Efficient workflows", "• Profitable office", "• WinAnsi bullet", "Plain line"]
    );
    assert_eq!(e.lines.iter().map(|l| l.bullet).collect::<Vec<_>>(), vec![true, true, true, false]);
}

#[test]
fn pdf_running_headers_are_reported_once() {
    let page = |n: &'static [u8], body: &'static [u8]| -> Vec<Draw<'static>> {
        vec![
            ("F1", 9.0, 72.0, 760.0, b"Jane Doe - Resume"),
            ("F1", 10.0, 72.0, 700.0, body),
            ("F1", 10.0, 72.0, 686.0, b"More text here"),
            ("F1", 9.0, 72.0, 40.0, n),
        ]
    };
    let e = extract(
        &pdf(
            &[page(b"Page 1 of 2", b"First page body"), page(b"Page 2 of 2", b"Second page body")],
            false,
        ),
        &limits(),
    )
    .unwrap();
    assert_eq!(e.facts.pages, Some(2));
    assert!(e.facts.header_footer_text.contains(&"Jane Doe - Resume".to_string()), "{:?}", e.facts);
    assert_eq!(texts(&e).iter().filter(|t| **t == "Jane Doe - Resume").count(), 1);
    assert_eq!(e.lines.iter().find(|l| l.text == "Second page body").unwrap().page, 2);
}

#[test]
fn pdf_error_kinds() {
    assert_eq!(extract(&fixture("encrypted.pdf"), &limits()).unwrap_err(), ExtractError::Encrypted);
    assert_eq!(ExtractError::Encrypted.code(), ErrorCode::EncryptedPdf);
    // Only an owner password: opens with the empty user password.
    let e = extract(&fixture("owner-only.pdf"), &limits()).unwrap();
    assert!(texts(&e).contains(&"Amara Okafor"));

    // A scan: an image on every page and no text.
    let scan = pdf(&[vec![], vec![]], true);
    assert_eq!(extract(&scan, &limits()).unwrap_err(), ExtractError::NoTextLayer { pages: 2 });
    // No text and no images.
    assert_eq!(extract(&pdf(&[vec![]], false), &limits()).unwrap_err(), ExtractError::Empty);

    let garbage =
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a pdf at all\n%%EOF";
    let err = extract(garbage, &limits()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::CorruptFile, "{err:?}");
    let mut truncated = pdf(&[vec![("F1", 10.0, 72.0, 700.0, b"Hello there")]], false);
    truncated.truncate(truncated.len() / 3);
    let err = extract(&truncated, &limits()).unwrap_err();
    assert!(matches!(err.code(), ErrorCode::CorruptFile | ErrorCode::EmptyDocument), "{err:?}");
}

/// A page object holding a 10,000-deep nested array.
fn deeply_nested_pdf() -> Vec<u8> {
    let mut nest = String::new();
    nest.push_str(&"[".repeat(10_000));
    nest.push_str(&"]".repeat(10_000));
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Deep {nest} >>"
        ),
        "<< /Length 34 >>\nstream\nBT /F1 12 Tf 72 700 Td (Hi) Tj ET\nendstream".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objs.len() + 1)
            .as_bytes(),
    );
    out
}

/// A form XObject that draws itself (pdf-extract would recurse until the stack ends).
fn self_drawing_form_pdf() -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let form_id = doc.new_object_id();
    let font = doc.add_object(
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
    );
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Fx" => form_id }, "Font" => dictionary! { "F1" => font } },
        },
        b"BT /F1 12 Tf 72 700 Td (Looping form text) Tj ET /Fx Do".to_vec(),
    );
    doc.objects.insert(form_id, Object::Stream(form));
    let content = doc.add_object(Stream::new(
        dictionary! {},
        b"BT /F1 12 Tf 72 740 Td (Page text) Tj ET /Fx Do".to_vec(),
    ));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        "Resources" => dictionary! { "XObject" => dictionary! { "Fx" => form_id }, "Font" => dictionary! { "F1" => font } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn pdf_hostile_structures_do_not_crash_in_process() {
    // lopdf stops at nesting depth 100 and drops the page object.
    let err = extract(&deeply_nested_pdf(), &limits()).unwrap_err();
    assert!(
        matches!(&err, ExtractError::Corrupt { detail, .. } if detail.contains("no pages")),
        "{err:?}"
    );
    let r = extract(&self_drawing_form_pdf(), &limits());
    match r {
        Ok(e) => {
            assert!(e.facts.extractor.starts_with("lopdf"), "{}", e.facts.extractor);
            assert!(e.text().contains("Page text"));
        }
        Err(e) => assert_eq!(e.code(), ErrorCode::CorruptFile, "{e:?}"),
    }
}

// ---------------------------------------------------------------- DOCX

#[test]
fn docx_from_pandoc_fixture() {
    let e = extract(&fixture("resume.docx"), &limits()).unwrap();
    assert_eq!(
        texts(&e),
        vec![
            "Experience",
            "Platform Engineer, Northwind Traders, 2020 to 2024",
            "Automated deployments with Terraform and GitHub Actions",
            "Reduced on-call pages by half",
            "Skill Years",
            "Rust 4",
            "Go 6",
            "Education",
            "MSc Software Engineering, 2019"
        ]
    );
    assert!(e.lines[0].heading_hint && e.lines[7].heading_hint);
    assert!(e.lines[2].bullet && e.lines[3].bullet && !e.lines[1].bullet);
    assert_eq!((e.facts.tables, e.facts.format), (1, Some(FileFormat::Docx)));
}

#[test]
fn docx_headers_footers_textboxes_images_styles() {
    let body = document_xml(
        r#"<w:p><w:pPr><w:pStyle w:val="Kop1"/></w:pPr><w:r><w:t>Werkervaring</w:t></w:r></w:p>
           <w:p><w:r><w:t xml:space="preserve">Acme </w:t></w:r><w:r><w:tab/><w:t>2020</w:t></w:r></w:p>
           <w:p><w:r><w:drawing><wp:inline><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed="rId4"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>
           <w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>In a text box</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>
           <w:p><w:r><w:sym w:font="Symbol" w:char="F0B7"/><w:t xml:space="preserve"> Symbol bullet</w:t></w:r></w:p>
           <w:sectPr><w:cols w:num="2"/></w:sectPr>"#,
    );
    let styles = r#"<?xml version="1.0"?><w:styles xmlns:w="w"><w:style w:type="paragraph" w:styleId="Kop1"><w:name w:val="heading 1"/></w:style></w:styles>"#;
    let header = r#"<?xml version="1.0"?><w:hdr xmlns:w="w"><w:p><w:r><w:t>Jan Jansen | jan@example.nl</w:t></w:r></w:p></w:hdr>"#;
    let footer = r#"<?xml version="1.0"?><w:ftr xmlns:w="w"><w:p><w:r><w:t>Page </w:t></w:r><w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>"#;
    let d = docx(&[
        ("word/document.xml", &body),
        ("word/styles.xml", styles),
        ("word/header1.xml", header),
        ("word/footer1.xml", footer),
    ]);
    let e = extract(&d, &limits()).unwrap();
    assert_eq!(texts(&e), vec!["Werkervaring", "Acme 2020", "In a text box", "• Symbol bullet"]);
    assert!(e.lines[0].heading_hint && e.lines[3].bullet);
    assert_eq!(
        e.facts.header_footer_text,
        vec!["Jan Jansen | jan@example.nl".to_string(), "Page 1".to_string()]
    );
    assert_eq!((e.facts.images, e.facts.text_boxes, e.facts.columns), (1, 1, 2));
}

#[test]
fn docx_zip_bombs_are_rejected_fast() {
    for name in ["zip-bomb.docx", "lying-sizes.docx"] {
        let bytes = fixture(name);
        let t = Instant::now();
        let err = extract(&bytes, &limits()).unwrap_err();
        let took = t.elapsed();
        assert_eq!(err.code(), ErrorCode::ResourceLimit, "{name}: {err:?}");
        assert!(took < Duration::from_secs(1), "{name} took {took:?}");
    }
    // Too many entries.
    let many: Vec<(String, String)> =
        (0..50).map(|i| (format!("word/media/{i}.xml"), "x".to_string())).collect();
    let mut parts: Vec<(&str, &str)> = many.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let doc = document_xml("<w:p><w:r><w:t>Hi</w:t></w:r></w:p>");
    parts.push(("word/document.xml", &doc));
    let err = extract(&docx(&parts), &Limits { max_zip_entries: 20, ..limits() }).unwrap_err();
    assert!(
        matches!(&err, ExtractError::ResourceLimit { detail } if detail.contains("52 files")),
        "{err:?}"
    );
    // A total over the uncompressed budget.
    let err =
        extract(&docx(&parts), &Limits { max_uncompressed_bytes: 100, ..limits() }).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ResourceLimit);
}

#[test]
fn docx_billion_laughs_is_refused() {
    let mut dtd =
        String::from(r#"<!DOCTYPE w:document [<!ENTITY lol0 "lollollollollollollollollollol">"#);
    for i in 1..10 {
        let p = i - 1;
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"&lol{p};&lol{p};&lol{p};&lol{p};&lol{p};&lol{p};&lol{p};&lol{p};&lol{p};&lol{p};\">"
        ));
    }
    dtd.push_str("]>");
    let xml = format!(
        r#"<?xml version="1.0"?>{dtd}<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let t = Instant::now();
    let err = extract(&docx(&[("word/document.xml", &xml)]), &limits()).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(1));
    assert!(
        matches!(&err, ExtractError::Corrupt { detail, .. } if detail.contains("DOCTYPE")),
        "{err:?}"
    );

    // Without a DTD, an undeclared entity stays literal text.
    let xml = document_xml("<w:p><w:r><w:t>Tom &lol9; Jerry &amp; co</w:t></w:r></w:p>");
    let e = extract(&docx(&[("word/document.xml", &xml)]), &limits()).unwrap();
    assert_eq!(texts(&e), vec!["Tom &lol9; Jerry & co"]);
}

#[test]
fn docx_damaged_and_empty() {
    let err = extract(
        &docx(&[(
            "word/document.xml",
            "<w:document><w:body><w:p><w:r><w:t>Hi</w:t></w:r></w:p></w:body></w:document",
        )]),
        &limits(),
    );
    // Truncated XML: the text read so far, or a precise error.
    match err {
        Ok(e) => assert_eq!(texts(&e), vec!["Hi"]),
        Err(e) => assert_eq!(e.code(), ErrorCode::CorruptFile),
    }
    let empty =
        docx(&[("word/document.xml", &document_xml("<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>"))]);
    assert_eq!(extract(&empty, &limits()).unwrap_err(), ExtractError::Empty);
    let mut broken =
        docx(&[("word/document.xml", &document_xml("<w:p><w:r><w:t>Hi</w:t></w:r></w:p>"))]);
    let n = broken.len();
    broken.truncate(n - 30);
    assert_eq!(extract(&broken, &limits()).unwrap_err().code(), ErrorCode::CorruptFile);
}

// ---------------------------------------------------------------- isolation

#[test]
fn isolated_worker_matches_in_process() {
    for bytes in [fixture("two-column.pdf"), fixture("resume.docx"), b"Jane Doe\n- Rust\n".to_vec()]
    {
        let here = extract(&bytes, &limits()).unwrap();
        let there = extract_isolated(&bytes, &limits(), &worker()).unwrap();
        assert_eq!(here, there);
    }
    assert_eq!(
        extract_isolated(&fixture("encrypted.pdf"), &limits(), &worker()).unwrap_err(),
        ExtractError::Encrypted
    );
    assert_eq!(
        extract_isolated(&fixture("zip-bomb.docx"), &limits(), &worker()).unwrap_err().code(),
        ErrorCode::ResourceLimit
    );
}

#[test]
fn isolated_hostile_pdfs_give_specific_errors() {
    let err = extract_isolated(&deeply_nested_pdf(), &limits(), &worker()).unwrap_err();
    assert!(
        matches!(&err, ExtractError::Corrupt { detail, .. } if detail.contains("no pages")),
        "{err:?}"
    );
    let here = extract(&self_drawing_form_pdf(), &limits());
    assert_eq!(extract_isolated(&self_drawing_form_pdf(), &limits(), &worker()), here);
}

#[test]
fn isolated_memory_limit_is_enforced() {
    // The lying archive inflates 64 MB before the budget stops it: under a 48 MB address-space
    // cap the worker runs out of memory, and that is reported as a resource limit.
    let tight = Limits { max_memory_bytes: 48 * 1024 * 1024, ..limits() };
    let err = extract_isolated(&fixture("lying-sizes.docx"), &tight, &worker()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ResourceLimit, "{err:?}");
}

#[cfg(unix)]
#[test]
fn isolated_timeouts_and_crashes_are_mapped() {
    let sh = |script: &str| WorkerCommand {
        program: "/bin/sh".into(),
        args: vec!["-c".into(), script.into()],
    };
    let quick = Limits { timeout: Duration::from_millis(500), ..limits() };
    let t = Instant::now();
    let err = extract_isolated(b"Jane Doe", &quick, &sh("sleep 30")).unwrap_err();
    assert_eq!(err, ExtractError::Timeout { seconds: 1 });
    assert!(t.elapsed() < Duration::from_secs(5));

    let err =
        extract_isolated(b"Jane Doe", &limits(), &sh("cat >/dev/null; kill -SEGV $$")).unwrap_err();
    assert!(
        matches!(&err, ExtractError::Corrupt { detail, .. } if detail.contains("crashed")),
        "{err:?}"
    );

    let err = extract_isolated(
        b"Jane Doe",
        &limits(),
        &sh("cat >/dev/null; echo 'memory allocation of 4294967296 bytes failed' >&2; kill -ABRT $$"),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ResourceLimit);

    let err = extract_isolated(
        b"Jane Doe",
        &limits(),
        &sh("cat >/dev/null; echo \"thread 'x' has overflowed its stack\" >&2; kill -ABRT $$"),
    )
    .unwrap_err();
    assert!(
        matches!(&err, ExtractError::Corrupt { detail, .. } if detail.contains("stack")),
        "{err:?}"
    );

    let err =
        extract_isolated(b"Jane Doe", &limits(), &sh("cat >/dev/null; echo not json")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Internal);

    let missing = WorkerCommand { program: "/nonexistent/qoder".into(), args: vec![] };
    assert_eq!(
        extract_isolated(b"Jane Doe", &limits(), &missing).unwrap_err().code(),
        ErrorCode::Internal
    );
    // Obvious rejections never start a worker.
    assert_eq!(extract_isolated(b"", &limits(), &missing).unwrap_err(), ExtractError::Empty);
}
