//! Form XObjects inlined into their pages before pdf-extract reads them.
//!
//! pdf-extract runs a form XObject (`/Name Do`) as a fresh content stream: the current
//! transformation matrix at the `Do` and the form's own `/Matrix` are dropped, so every glyph
//! inside the form lands at the form's local coordinates. Chromium wraps text in forms for CSS
//! opacity and some transforms, so whole sidebars of HTML resumes came out on one wrong line
//! ("Paris, FranceP+33 6 12 34 16 16suda…"). Here each `Do` of a form is replaced, on a copy of
//! the page, by `q [Matrix cm] <the form's operations> Q`; the form's resources are merged into
//! the page's under new names (`qf3_F1`), so a form's `/F1` never collides with the page's.
//!
//! Bounded: forms nested at most [`MAX_DEPTH`] deep, a form that draws itself is left as is
//! (the resource scan in `pdf.rs` routes such files to the fallback anyway), at most
//! [`MAX_OPERATIONS`] operations per page.

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::BTreeMap;

/// Deepest nesting of forms inlined.
const MAX_DEPTH: usize = 8;
/// Most operations on one page after inlining.
const MAX_OPERATIONS: usize = 2_000_000;
/// Resource categories whose names operators refer to.
const CATEGORIES: &[&[u8]] =
    &[b"Font", b"XObject", b"ExtGState", b"ColorSpace", b"Pattern", b"Shading", b"Properties"];

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    doc.dereference(o).ok().map(|(_, o)| o)
}

/// The page's resources as one direct dictionary (own and inherited), categories direct too.
fn page_resources(doc: &Document, page_id: ObjectId) -> Dictionary {
    let mut out = Dictionary::new();
    let Ok((direct, inherited)) = doc.get_page_resources(page_id) else { return out };
    let mut dicts: Vec<&Dictionary> = Vec::new();
    dicts.extend(direct);
    dicts.extend(inherited.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
    // The nearest dictionary wins: merge from the farthest.
    for d in dicts.into_iter().rev() {
        for (k, v) in d.iter() {
            let v = deref(doc, v).cloned().unwrap_or_else(|| v.clone());
            match (out.get_mut(k), v) {
                (Ok(Object::Dictionary(have)), Object::Dictionary(more)) => {
                    for (kk, vv) in more.iter() {
                        have.set(kk.clone(), vv.clone());
                    }
                }
                (_, v) => out.set(k.clone(), v),
            }
        }
    }
    out
}

/// The dictionary `res[category]`, direct.
fn category<'a>(doc: &'a Document, res: &'a Dictionary, cat: &[u8]) -> Option<&'a Dictionary> {
    res.get(cat).ok().and_then(|o| deref(doc, o)).and_then(|o| o.as_dict().ok())
}

/// Which resource category an operator's name operand refers to, and the operand's index.
fn named_operand(op: &Operation) -> Option<(&'static [u8], usize)> {
    let last = op.operands.len().checked_sub(1)?;
    let cat: &'static [u8] = match op.operator.as_str() {
        "Tf" => b"Font",
        "Do" => b"XObject",
        "gs" => b"ExtGState",
        "cs" | "CS" => b"ColorSpace",
        "scn" | "SCN" => b"Pattern",
        "sh" => b"Shading",
        "BDC" | "DP" => b"Properties",
        _ => return None,
    };
    let idx = match op.operator.as_str() {
        "Tf" | "Do" | "gs" | "cs" | "CS" | "sh" => 0,
        _ => last,
    };
    matches!(op.operands.get(idx), Some(Object::Name(_))).then_some((cat, idx))
}

struct Inliner<'a> {
    doc: &'a Document,
    /// The page's merged resources, growing as forms are inlined.
    res: Dictionary,
    next: usize,
    ops: usize,
}

impl Inliner<'_> {
    /// `ops` run with resources `local`; forms among them expanded in place.
    fn expand(
        &mut self,
        ops: Vec<Operation>,
        local: &Dictionary,
        path: &mut Vec<ObjectId>,
        out: &mut Vec<Operation>,
    ) {
        for op in ops {
            self.ops += 1;
            if self.ops > MAX_OPERATIONS {
                return;
            }
            if op.operator == "Do"
                && path.len() < MAX_DEPTH
                && let Some(Object::Name(name)) = op.operands.first()
                && let Some(xo) = category(self.doc, local, b"XObject")
                && let Ok(entry) = xo.get(name)
                && let Ok((Some(id), Object::Stream(form))) = self.doc.dereference(entry)
                && form.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form")
                && !path.contains(&id)
                && let Ok(bytes) = form.get_plain_content()
                && let Ok(content) = Content::decode(&bytes)
            {
                let form_res = form
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|o| deref(self.doc, o))
                    .and_then(|o| o.as_dict().ok())
                    .cloned()
                    .unwrap_or_else(|| local.clone());
                let renamed = self.rename(content.operations, &form_res);
                out.push(Operation::new("q", vec![]));
                if let Ok(m) = form.dict.get(b"Matrix").and_then(Object::as_array)
                    && m.len() == 6
                {
                    out.push(Operation::new("cm", m.clone()));
                }
                path.push(id);
                let merged = self.res.clone();
                self.expand(renamed, &merged, path, out);
                path.pop();
                out.push(Operation::new("Q", vec![]));
                continue;
            }
            out.push(op);
        }
    }

    /// The form's names given a fresh prefix, and its resources added to the page's under them.
    fn rename(&mut self, mut ops: Vec<Operation>, form_res: &Dictionary) -> Vec<Operation> {
        self.next += 1;
        let prefix = format!("qf{}_", self.next);
        for cat in CATEGORIES {
            let Some(entries) = category(self.doc, form_res, cat) else { continue };
            let mut target = category(self.doc, &self.res, cat).cloned().unwrap_or_default();
            for (k, v) in entries.iter() {
                let mut nk = prefix.as_bytes().to_vec();
                nk.extend_from_slice(k);
                target.set(nk, v.clone());
            }
            self.res.set(cat.to_vec(), Object::Dictionary(target));
        }
        for op in &mut ops {
            if let Some((cat, idx)) = named_operand(op)
                && let Some(Object::Name(n)) = op.operands.get(idx)
                && category(self.doc, form_res, cat).is_some_and(|d| d.has(n))
            {
                let mut nk = prefix.as_bytes().to_vec();
                nk.extend_from_slice(n);
                op.operands[idx] = Object::Name(nk);
            }
        }
        ops
    }
}

/// Whether any page draws a form XObject (otherwise there is nothing to do).
fn draws_forms(doc: &Document, pages: &BTreeMap<u32, ObjectId>) -> bool {
    pages.values().any(|&p| {
        let res = page_resources(doc, p);
        category(doc, &res, b"XObject").is_some_and(|xo| {
            xo.iter().any(|(_, v)| {
                deref(doc, v).and_then(|o| o.as_stream().ok()).is_some_and(|s| {
                    s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form")
                })
            })
        })
    })
}

/// A copy of `doc` whose pages draw their forms' operations in place, or `None` when no page
/// draws a form (or a page's content cannot be read, in which case pdf-extract gets the file
/// as it is).
pub fn inline_forms(doc: &Document, pages: &BTreeMap<u32, ObjectId>) -> Option<Document> {
    if !draws_forms(doc, pages) {
        return None;
    }
    let mut copy = doc.clone();
    for &page_id in pages.values() {
        let bytes = doc.get_page_content(page_id).ok()?;
        let content = Content::decode(&bytes).ok()?;
        let res = page_resources(doc, page_id);
        let mut inliner = Inliner { doc, res: res.clone(), next: 0, ops: 0 };
        let mut out = Vec::with_capacity(content.operations.len());
        inliner.expand(content.operations, &res, &mut Vec::new(), &mut out);
        if inliner.next == 0 {
            continue; // no form on this page
        }
        let encoded = Content { operations: out }.encode().ok()?;
        let stream_id = copy.add_object(Stream::new(Dictionary::new(), encoded));
        let page = copy.get_dictionary_mut(page_id).ok()?;
        page.set("Contents", Object::Reference(stream_id));
        page.set("Resources", Object::Dictionary(inliner.res));
    }
    Some(copy)
}

#[cfg(test)]
mod tests {
    use lopdf::content::{Content, Operation};
    use lopdf::{Dictionary, Document, Object, Stream, dictionary};

    fn text(x: i64, y: i64, s: &str) -> Vec<Operation> {
        vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![x.into(), y.into()]),
            Operation::new("Tj", vec![Object::string_literal(s)]),
            Operation::new("ET", vec![]),
        ]
    }

    /// A page with a line at the top and one near the bottom, and between them a line drawn by
    /// a form XObject at its own y = 100, moved up by the page's `cm` to y = 600.
    fn pdf_with_a_moved_form() -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let form_ops = Content { operations: text(72, 100, "Second line from a form") };
        let form = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            },
            form_ops.encode().expect("encode"),
        );
        let form_id = doc.add_object(form);
        let mut ops = text(72, 700, "Top line of the page");
        ops.push(Operation::new("q", vec![]));
        ops.push(Operation::new(
            "cm",
            vec![1.into(), 0.into(), 0.into(), 1.into(), 0.into(), 500.into()],
        ));
        ops.push(Operation::new("Do", vec!["X1".into()]));
        ops.push(Operation::new("Q", vec![]));
        ops.extend(text(72, 300, "Third line near the bottom"));
        let content = doc.add_object(Stream::new(
            Dictionary::new(),
            Content { operations: ops }.encode().expect("encode"),
        ));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => font },
                "XObject" => dictionary! { "X1" => form_id },
            },
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("save");
        out
    }

    #[test]
    fn text_inside_a_form_keeps_the_position_the_page_gives_it() {
        let got = super::super::pdf::extract(&pdf_with_a_moved_form()).expect("extract");
        let lines: Vec<&str> = got.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            lines,
            ["Top line of the page", "Second line from a form", "Third line near the bottom"]
        );
    }
}
