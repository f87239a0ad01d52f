//! Glyph widths of CID fonts put in the one form pdf-extract reads right.
//!
//! A CID font's `/W` array lists widths in two forms: `c [w1 w2 …]` (consecutive CIDs from `c`)
//! and `c_first c_last w` (every CID of the range has width `w`). pdf-extract 0.12 reads the
//! second form wrongly (it takes `c_first` as the last CID and as the width, and leaves the
//! range out), so every glyph of such a range falls back to the font's default width. Chromium
//! (Skia) writes runs of equal widths in the range form with `/DW 0`: those glyphs came out with
//! no width, the next glyph of a `Tj` string was drawn on top of them ("Acounting" for
//! "Accounting") and word gaps were judged wrongly ("D esign", "c ontact").
//!
//! Here every range entry is rewritten, in place, as the explicit array form before pdf-extract
//! reads the document. Bounded: a range longer than [`MAX_RANGE`] CIDs is left as it is.

use lopdf::{Document, Object};

/// Longest `c_first c_last w` range expanded (a CID font has at most 65,536 glyphs).
const MAX_RANGE: i64 = 65_536;

/// Rewrite the range entries of every CID font's `/W` array as explicit width arrays.
/// Returns how many ranges were rewritten.
pub fn expand_cid_width_ranges(doc: &mut Document) -> usize {
    // The /W arrays to rewrite: those held directly by a CIDFont dictionary, and those it refers
    // to by reference.
    let mut direct = Vec::new();
    let mut referenced = Vec::new();
    for (id, obj) in &doc.objects {
        let Ok(dict) = obj.as_dict() else { continue };
        let is_cid_font = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|s| s == b"CIDFontType0" || s == b"CIDFontType2");
        if !is_cid_font {
            continue;
        }
        match dict.get(b"W") {
            Ok(Object::Reference(r)) => referenced.push(*r),
            Ok(Object::Array(_)) => direct.push(*id),
            _ => {}
        }
    }
    let mut rewritten = 0;
    for id in direct {
        if let Ok(Object::Dictionary(dict)) = doc.get_object_mut(id)
            && let Ok(Object::Array(w)) = dict.get_mut(b"W")
        {
            rewritten += expand(w);
        }
    }
    for id in referenced {
        if let Ok(Object::Array(w)) = doc.get_object_mut(id) {
            rewritten += expand(w);
        }
    }
    rewritten
}

fn int(o: &Object) -> Option<i64> {
    match o {
        Object::Integer(i) => Some(*i),
        Object::Real(r) if r.fract() == 0.0 => Some(*r as i64),
        _ => None,
    }
}

fn is_number(o: &Object) -> bool {
    matches!(o, Object::Integer(_) | Object::Real(_))
}

/// Rewrite one `/W` array; returns the number of ranges expanded. An array it cannot read is
/// left untouched.
fn expand(w: &mut Vec<Object>) -> usize {
    let mut out = Vec::with_capacity(w.len());
    let mut rewritten = 0;
    let mut i = 0;
    while i < w.len() {
        match (w.get(i), w.get(i + 1), w.get(i + 2)) {
            (Some(first), Some(Object::Array(widths)), _) if int(first).is_some() => {
                out.push(first.clone());
                out.push(Object::Array(widths.clone()));
                i += 2;
            }
            (Some(first), Some(last), Some(width))
                if int(first).is_some() && int(last).is_some() && is_number(width) =>
            {
                let (a, b) = (int(first).unwrap_or(0), int(last).unwrap_or(0));
                if b < a || b - a >= MAX_RANGE {
                    return 0;
                }
                out.push(Object::Integer(a));
                out.push(Object::Array(vec![width.clone(); (b - a + 1) as usize]));
                rewritten += 1;
                i += 3;
            }
            _ => return 0, // not a /W array this module understands: leave it to pdf-extract
        }
    }
    if rewritten > 0 {
        *w = out;
    }
    rewritten
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn ranges_become_explicit_arrays_and_arrays_stay() {
        let mut w = vec![
            Object::Integer(3),
            Object::Array(vec![Object::Integer(278)]),
            Object::Integer(5),
            Object::Integer(7),
            Object::Integer(556),
        ];
        assert_eq!(expand(&mut w), 1);
        assert_eq!(
            w,
            vec![
                Object::Integer(3),
                Object::Array(vec![Object::Integer(278)]),
                Object::Integer(5),
                Object::Array(vec![Object::Integer(556); 3]),
            ]
        );
    }

    #[test]
    fn unreadable_or_huge_arrays_are_left_alone() {
        let mut bad = vec![Object::Integer(5), Object::Name(b"X".to_vec())];
        let before = bad.clone();
        assert_eq!(expand(&mut bad), 0);
        assert_eq!(bad, before);
        let mut huge = vec![Object::Integer(0), Object::Integer(10_000_000), Object::Integer(500)];
        assert_eq!(expand(&mut huge), 0);
        assert_eq!(huge.len(), 3);
    }

    #[test]
    fn direct_and_referenced_width_arrays_of_cid_fonts_are_rewritten() {
        let mut doc = Document::with_version("1.7");
        let w_ref = doc.add_object(Object::Array(vec![
            Object::Integer(1),
            Object::Integer(2),
            Object::Integer(600),
        ]));
        doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "W" => Object::Reference(w_ref),
        });
        let direct = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0",
            "W" => vec![Object::Integer(10), Object::Integer(10), Object::Integer(250)],
        });
        // Not a CID font: untouched even with a /W key.
        let other = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "TrueType",
            "W" => vec![Object::Integer(1), Object::Integer(2), Object::Integer(3)],
        });
        assert_eq!(expand_cid_width_ranges(&mut doc), 2);
        assert_eq!(
            doc.get_object(w_ref).unwrap().as_array().unwrap()[1],
            Object::Array(vec![Object::Integer(600); 2])
        );
        let d = doc.get_dictionary(direct).unwrap();
        assert_eq!(d.get(b"W").unwrap().as_array().unwrap().len(), 2);
        let o = doc.get_dictionary(other).unwrap();
        assert_eq!(o.get(b"W").unwrap().as_array().unwrap().len(), 3);
    }
}
