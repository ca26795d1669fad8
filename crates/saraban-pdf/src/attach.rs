//! The letter's own data inside its PDF (ข้อมูลหนังสือที่ฝังในไฟล์): the letter as JSON, in
//! the format of `spec/letter.schema.json`, embedded as an associated file of the document
//! (PDF 2.0 and PDF/A-3 "associated files", ISO 32000-2 §14.13), named
//! [`LETTER_DATA_NAME`]. `spec/letter-data.md` is the contract.
//!
//! Why: an office that receives a letter Saraban issued reads its number, date, sender,
//! subject and the rest exactly, instead of guessing them from the printed page. Any PDF
//! reader lists the file as an attachment (poppler's `pdfdetach -list`); nothing on the
//! pages changes.

use lopdf::{dictionary, Dictionary, Document, Object, Stream, StringFormat};

use saraban_model::error::{Error, Result};

/// The embedded file's name.
pub const LETTER_DATA_NAME: &str = "saraban-letter.json";

/// The embedded file's media type.
pub const LETTER_DATA_TYPE: &str = "application/json";

/// The largest letter data a received PDF may carry (a letter is a few kilobytes).
const MAX_DATA: usize = 4 << 20;

fn utf16(s: &str) -> Object {
    let mut data = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        data.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(data, StringFormat::Hexadecimal)
}

/// Embeds `json` into `doc` as the letter's data: an embedded file stream, its file
/// specification (`/AFRelationship /Source`: the pages were typeset from it), the
/// catalogue's `/AF` and its `/EmbeddedFiles` name tree. `pdf_date` is the document's
/// creation date (`D:…`), the file's `/ModDate`.
pub(crate) fn embed(doc: &mut Document, json: &str, pdf_date: &str) -> Result<()> {
    // Left uncompressed: the writer deflates it with the document's other streams.
    let file = Stream::new(
        dictionary! {
            "Type" => "EmbeddedFile",
            "Subtype" => Object::Name(LETTER_DATA_TYPE.as_bytes().to_vec()),
            "Params" => dictionary! {
                "Size" => json.len() as i64,
                "ModDate" => Object::string_literal(pdf_date),
            },
        },
        json.as_bytes().to_vec(),
    );
    let file_id = doc.add_object(file);
    let spec = dictionary! {
        "Type" => "Filespec",
        "F" => Object::string_literal(LETTER_DATA_NAME),
        "UF" => utf16(LETTER_DATA_NAME),
        "Desc" => utf16("ข้อมูลหนังสือ (Saraban letter data, spec/letter-data.md)"),
        "AFRelationship" => "Source",
        "EF" => dictionary! { "F" => file_id, "UF" => file_id },
    };
    let spec_id = doc.add_object(spec);
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| Error::Pdf(format!("the PDF has no catalogue: {e}")))?;
    let catalog = doc
        .get_object_mut(root)
        .and_then(Object::as_dict_mut)
        .map_err(|e| Error::Pdf(format!("the PDF's catalogue is unreadable: {e}")))?;
    catalog.set("AF", vec![Object::Reference(spec_id)]);
    catalog.set(
        "Names",
        dictionary! {
            "EmbeddedFiles" => dictionary! {
                "Names" => vec![Object::string_literal(LETTER_DATA_NAME), Object::Reference(spec_id)],
            },
        },
    );
    Ok(())
}

/// The letter data embedded in a PDF, if it carries any (a PDF Saraban issued): the JSON
/// as it was embedded. `None` for any other PDF, an encrypted or unreadable one, or data
/// that is not UTF-8 text of a sane size. Never panics on a hostile file.
pub fn letter_data(pdf: &[u8]) -> Option<String> {
    std::panic::catch_unwind(|| read_letter_data(pdf))
        .ok()
        .flatten()
}

fn read_letter_data(pdf: &[u8]) -> Option<String> {
    let doc = Document::load_mem(pdf).ok()?;
    if doc.is_encrypted() {
        return None;
    }
    let catalog = doc.catalog().ok()?;
    // The associated files first, then the name tree (a reader of either finds it).
    let mut specs: Vec<&Dictionary> = Vec::new();
    if let Ok(af) = catalog.get(b"AF").and_then(|o| deref(&doc, o)?.as_array()) {
        specs.extend(
            af.iter()
                .filter_map(|o| deref(&doc, o).ok()?.as_dict().ok()),
        );
    }
    if let Ok(tree) = catalog
        .get(b"Names")
        .and_then(|o| deref(&doc, o)?.as_dict())
        .and_then(|n| n.get(b"EmbeddedFiles"))
        .and_then(|o| deref(&doc, o)?.as_dict())
    {
        collect_names(&doc, tree, &mut specs, 0);
    }
    specs
        .into_iter()
        .filter(|s| names_letter_data(&doc, s))
        .find_map(|s| file_of(&doc, s))
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> lopdf::Result<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id),
        o => Ok(o),
    }
}

/// The file specifications of a name tree (its leaves' `/Names`, its `/Kids` to a depth).
fn collect_names<'a>(
    doc: &'a Document,
    node: &'a Dictionary,
    out: &mut Vec<&'a Dictionary>,
    depth: u32,
) {
    if depth > 8 {
        return;
    }
    if let Ok(names) = node.get(b"Names").and_then(|o| deref(doc, o)?.as_array()) {
        for pair in names.chunks(2) {
            if let Some(spec) = pair.get(1).and_then(|o| deref(doc, o).ok()?.as_dict().ok()) {
                out.push(spec);
            }
        }
    }
    if let Ok(kids) = node.get(b"Kids").and_then(|o| deref(doc, o)?.as_array()) {
        for kid in kids {
            if let Ok(kid) = deref(doc, kid).and_then(Object::as_dict) {
                collect_names(doc, kid, out, depth + 1);
            }
        }
    }
}

fn string_of(o: &Object) -> Option<String> {
    let Object::String(b, _) = o else {
        return None;
    };
    if let Some(rest) = b.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16(&units).ok();
    }
    String::from_utf8(b.clone()).ok()
}

fn names_letter_data(doc: &Document, spec: &Dictionary) -> bool {
    [b"UF".as_slice(), b"F".as_slice()].iter().any(|k| {
        spec.get(k)
            .ok()
            .and_then(|o| deref(doc, o).ok())
            .and_then(string_of)
            .is_some_and(|n| n == LETTER_DATA_NAME)
    })
}

fn file_of(doc: &Document, spec: &Dictionary) -> Option<String> {
    let ef = spec
        .get(b"EF")
        .and_then(|o| deref(doc, o)?.as_dict())
        .ok()?;
    let stream = ef
        .get(b"UF")
        .or_else(|_| ef.get(b"F"))
        .and_then(|o| deref(doc, o)?.as_stream())
        .ok()?;
    if stream.content.len() > MAX_DATA {
        return None;
    }
    // Only what Saraban writes: no filter or one FlateDecode, inflated to at most
    // MAX_DATA (a small stream that inflates to gigabytes is refused, not followed).
    let bytes = match stream
        .dict
        .get(b"Filter")
        .ok()
        .and_then(|o| deref(doc, o).ok())
    {
        None => stream.content.clone(),
        Some(f) if filter_is_flate(f) => {
            use std::io::Read;
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(stream.content.as_slice())
                .take(MAX_DATA as u64 + 1)
                .read_to_end(&mut out)
                .ok()?;
            out
        }
        Some(_) => return None,
    };
    if bytes.len() > MAX_DATA {
        return None;
    }
    String::from_utf8(bytes).ok()
}

fn filter_is_flate(f: &Object) -> bool {
    match f {
        Object::Name(n) => n == b"FlateDecode",
        Object::Array(a) => a.len() == 1 && matches!(&a[0], Object::Name(n) if n == b"FlateDecode"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_page() -> Document {
        let mut doc = Document::with_version("1.7");
        let pages = doc.new_object_id();
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        doc.trailer.set("Root", catalog);
        doc
    }

    fn saved(mut doc: Document) -> Vec<u8> {
        doc.compress();
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn what_is_embedded_is_read_back() {
        let mut doc = one_page();
        let json = "{\"format\":1,\"subject\":\"ทดสอบ\"}";
        embed(&mut doc, json, "D:20261205000000Z").unwrap();
        assert_eq!(letter_data(&saved(doc)).as_deref(), Some(json));
    }

    #[test]
    fn a_stream_that_inflates_past_the_limit_is_ignored() {
        let mut doc = one_page();
        // 40 MB of spaces deflate to a few tens of kilobytes.
        let big = " ".repeat(40 << 20);
        embed(&mut doc, &big, "D:20261205000000Z").unwrap();
        assert_eq!(letter_data(&saved(doc)), None);
    }

    #[test]
    fn another_files_name_is_not_the_letter() {
        let mut doc = one_page();
        embed(&mut doc, "{}", "D:20261205000000Z").unwrap();
        let mut bytes = saved(doc);
        // The same PDF with the name changed (same length) in both places.
        let from = LETTER_DATA_NAME.as_bytes();
        let to = b"saraban-letter.jsom";
        let mut i = 0;
        while let Some(p) = bytes[i..].windows(from.len()).position(|w| w == from) {
            bytes[i + p..i + p + from.len()].copy_from_slice(to);
            i += p + 1;
        }
        // UF is UTF-16: still the right name there, so it is found by UF.
        assert_eq!(letter_data(&bytes).as_deref(), Some("{}"));
    }
}
