//! The PDF side of a signature: an incremental update (ISO 32000-1, 7.5.6) appended to the
//! letter's bytes, which are kept exactly, so that every earlier signature still covers
//! what it signed. The update adds the signature dictionary, a signature field merged with
//! its widget (placed in the letter's signature block, its appearance a page the caller
//! drew, as a form XObject), the page's and the form's new entries, and a cross-reference
//! section with `/Prev`. The signature's `/Contents` is reserved as zeros; the SHA-256 of
//! every byte but those is handed to the signer, and its CMS written in their place.
//!
//! The same kind of update adds the document security store (DSS) of PAdES B-LT
//! ([`add_dss`]): certificates and OCSP answers a verifier needs without a network.
//!
//! lopdf reads the file; the update is written here, object by object, because lopdf's
//! writer (private) cannot reserve the signature's bytes.

use lopdf::{Dictionary, Document, Object, ObjectId};
use sha2_10::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use crate::err;
use saraban_model::Result;

/// Where the signature field goes and what it shows.
#[derive(Debug, Clone)]
pub struct Field {
    /// The page, counting from 0.
    pub page: usize,
    /// The field's rectangle in the page's coordinates (points, origin bottom left):
    /// x0, y0, x1, y1. All zeros: an invisible signature.
    pub rect: [f32; 4],
    /// A one-page PDF drawn into the rectangle (the signer's name, position, time):
    /// its first page becomes the field's appearance. `None`: nothing shown.
    pub appearance: Option<Vec<u8>>,
    /// The field's name (unique in the document).
    pub name: String,
}

/// What the signature dictionary says besides the signature.
#[derive(Debug, Clone, Default)]
pub struct SigInfo {
    /// The signer's name (/Name).
    pub name: Option<String>,
    /// Why (/Reason).
    pub reason: Option<String>,
    /// Where (/Location).
    pub location: Option<String>,
    /// The claimed signing time (/M), Unix seconds.
    pub time_unix: i64,
}

/// How many bytes the signature's `/Contents` reserves: a CMS with a chain of three RSA
/// 4096 certificates and a time-stamp token with its own chain fits with room to spare.
pub const RESERVED: usize = 32 * 1024;

fn broken(e: impl std::fmt::Display) -> saraban_model::Error {
    err(
        format!("เพิ่มลายมือชื่อลงในไฟล์ PDF ไม่ได้: {e}"),
        format!("cannot add a signature to the PDF: {e}"),
    )
}

/// The offset of the last cross-reference section (`startxref` at the end).
pub(crate) fn last_startxref(pdf: &[u8]) -> Option<usize> {
    let tail_start = pdf.len().saturating_sub(1024);
    let tail = &pdf[tail_start..];
    let pos = tail.windows(9).rposition(|w| w == b"startxref")?;
    let rest = std::str::from_utf8(&tail[pos + 9..]).ok()?;
    rest.split_whitespace().next()?.parse().ok()
}

/// An update being written: new and rewritten objects, then the cross-reference section.
struct Update<'a> {
    original: &'a [u8],
    doc: Document,
    next_id: u32,
    objects: BTreeMap<ObjectId, Vec<u8>>,
}

impl<'a> Update<'a> {
    fn new(original: &'a [u8]) -> Result<Update<'a>> {
        let doc = Document::load_mem(original).map_err(broken)?;
        if doc.trailer.get(b"Encrypt").is_ok() || doc.is_encrypted() {
            return Err(err(
                "ไฟล์ PDF นี้เข้ารหัสไว้ จึงลงนามไม่ได้",
                "this PDF is encrypted and cannot be signed",
            ));
        }
        let size = doc
            .trailer
            .get(b"Size")
            .and_then(|o| o.as_i64())
            .unwrap_or(0)
            .max(doc.max_id as i64 + 1) as u32;
        Ok(Update {
            original,
            doc,
            next_id: size,
            objects: BTreeMap::new(),
        })
    }

    fn new_id(&mut self) -> ObjectId {
        let id = (self.next_id, 0);
        self.next_id += 1;
        id
    }

    fn put(&mut self, id: ObjectId, body: Vec<u8>) {
        self.objects.insert(id, body);
    }

    fn put_object(&mut self, id: ObjectId, o: &Object) {
        let mut b = Vec::new();
        write_object(&mut b, o, &HashMap::new());
        self.put(id, b);
    }

    fn resolve(&self, o: &Object) -> Object {
        match o {
            Object::Reference(id) => self.doc.get_object(*id).cloned().unwrap_or(Object::Null),
            o => o.clone(),
        }
    }

    fn catalog_id(&self) -> Result<ObjectId> {
        self.doc
            .trailer
            .get(b"Root")
            .and_then(|o| o.as_reference())
            .map_err(broken)
    }

    /// The original, the new objects, the cross-reference section and the trailer.
    fn finish(self) -> Result<Vec<u8>> {
        let prev = last_startxref(self.original).ok_or_else(|| broken("no startxref"))?;
        let mut out = self.original.to_vec();
        if !out.ends_with(b"\n") {
            out.push(b'\n');
        }
        let mut offsets = BTreeMap::new();
        for (id, body) in &self.objects {
            offsets.insert(*id, out.len());
            writeln!(out, "{} {} obj", id.0, id.1).unwrap();
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(b"xref\n");
        let ids: Vec<ObjectId> = offsets.keys().copied().collect();
        let mut i = 0;
        while i < ids.len() {
            let mut j = i + 1;
            while j < ids.len() && ids[j].0 == ids[j - 1].0 + 1 {
                j += 1;
            }
            writeln!(out, "{} {}", ids[i].0, j - i).unwrap();
            for id in &ids[i..j] {
                write!(out, "{:010} {:05} n\r\n", offsets[id], id.1).unwrap();
            }
            i = j;
        }
        let mut trailer = Dictionary::new();
        trailer.set("Size", Object::Integer(self.next_id as i64));
        for key in [&b"Root"[..], b"Info", b"ID"] {
            if let Ok(v) = self.doc.trailer.get(key) {
                trailer.set(key.to_vec(), v.clone());
            }
        }
        trailer.set("Prev", Object::Integer(prev as i64));
        out.extend_from_slice(b"trailer\n");
        write_object(&mut out, &Object::Dictionary(trailer), &HashMap::new());
        write!(out, "\nstartxref\n{xref}\n%%EOF\n").unwrap();
        Ok(out)
    }
}

/// `original` with a new signature: `sign` gets the SHA-256 of the signed byte range and
/// returns the CMS (DER) to put in `/Contents`, at most `reserve` bytes.
pub fn sign(
    original: &[u8],
    field: &Field,
    info: &SigInfo,
    reserve: usize,
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>>,
) -> Result<Vec<u8>> {
    let mut up = Update::new(original)?;
    let pages = up.doc.get_pages();
    let page_id = *pages
        .values()
        .nth(field.page)
        .ok_or_else(|| broken(format!("no page {}", field.page + 1)))?;
    let catalog_id = up.catalog_id()?;

    // The signature dictionary, with its placeholders.
    let sig_id = up.new_id();
    let mut sig = Vec::new();
    sig.extend_from_slice(b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached");
    sig.extend_from_slice(b" /M ");
    write_object(
        &mut sig,
        &pdf_string(&pdf_date(info.time_unix)),
        &HashMap::new(),
    );
    for (key, value) in [
        ("Name", &info.name),
        ("Reason", &info.reason),
        ("Location", &info.location),
    ] {
        if let Some(v) = value {
            write!(sig, " /{key} ").unwrap();
            write_object(&mut sig, &pdf_string(v), &HashMap::new());
        }
    }
    sig.extend_from_slice(b"\n/ByteRange [0 ");
    sig.extend_from_slice(BYTE_RANGE_HOLE);
    sig.extend_from_slice(b"]\n/Contents <");
    sig.extend(std::iter::repeat_n(b'0', reserve * 2));
    sig.extend_from_slice(b"> >>");
    up.put(sig_id, sig);

    // The appearance.
    let ap_id = up.new_id();
    let w = (field.rect[2] - field.rect[0]).abs();
    let h = (field.rect[3] - field.rect[1]).abs();
    match &field.appearance {
        Some(mark) => import_form(&mut up, ap_id, mark, w, h)?,
        None => {
            let mut b = Vec::new();
            write!(
                b,
                "<< /Type /XObject /Subtype /Form /BBox [0 0 {} {}] /Resources << >> /Length 0 >>\nstream\n\nendstream",
                num(w),
                num(h)
            )
            .unwrap();
            up.put(ap_id, b);
        }
    }

    // The field, merged with its widget.
    let widget_id = up.new_id();
    let mut widget = Dictionary::new();
    widget.set("Type", Object::Name(b"Annot".to_vec()));
    widget.set("Subtype", Object::Name(b"Widget".to_vec()));
    widget.set("FT", Object::Name(b"Sig".to_vec()));
    widget.set("T", pdf_string(&field.name));
    widget.set("V", Object::Reference(sig_id));
    widget.set(
        "Rect",
        Object::Array(field.rect.iter().map(|v| Object::Real(*v)).collect()),
    );
    widget.set("P", Object::Reference(page_id));
    // Print (4) and locked (128): the widget prints, and a reader does not let it move.
    widget.set("F", Object::Integer(4 | 128));
    let mut ap = Dictionary::new();
    ap.set("N", Object::Reference(ap_id));
    widget.set("AP", Object::Dictionary(ap));
    up.put_object(widget_id, &Object::Dictionary(widget));

    // The page lists the widget among its annotations.
    let mut page = up.doc.get_dictionary(page_id).map_err(broken)?.clone();
    let mut annots = match page.get(b"Annots") {
        Ok(o) => match up.resolve(o) {
            Object::Array(a) => a,
            _ => Vec::new(),
        },
        Err(_) => Vec::new(),
    };
    annots.push(Object::Reference(widget_id));
    page.set("Annots", Object::Array(annots));
    up.put_object(page_id, &Object::Dictionary(page));

    // The form lists the field; SigFlags 3: signatures exist, append only.
    let mut catalog = up.doc.get_dictionary(catalog_id).map_err(broken)?.clone();
    let (form_ref, mut form) = match catalog.get(b"AcroForm") {
        Ok(Object::Reference(id)) => (
            Some(*id),
            up.doc.get_dictionary(*id).map_err(broken)?.clone(),
        ),
        Ok(Object::Dictionary(d)) => (None, d.clone()),
        _ => (None, Dictionary::new()),
    };
    let mut fields = match form.get(b"Fields") {
        Ok(o) => match up.resolve(o) {
            Object::Array(a) => a,
            _ => Vec::new(),
        },
        Err(_) => Vec::new(),
    };
    // A name already taken gets a number.
    fields.push(Object::Reference(widget_id));
    form.set("Fields", Object::Array(fields));
    form.set("SigFlags", Object::Integer(3));
    form.remove(b"NeedAppearances");
    match form_ref {
        Some(id) => up.put_object(id, &Object::Dictionary(form)),
        None => {
            let id = up.new_id();
            up.put_object(id, &Object::Dictionary(form));
            catalog.set("AcroForm", Object::Reference(id));
            up.put_object(catalog_id, &Object::Dictionary(catalog));
        }
    }

    let mut out = up.finish()?;
    fill(&mut out, original.len(), reserve, sign)?;
    Ok(out)
}

const BYTE_RANGE_HOLE: &[u8] = b"0000000000 0000000000 0000000000 ";

/// Finds the placeholders the update wrote after `from`, writes the byte range and the
/// signature.
fn fill(
    out: &mut [u8],
    from: usize,
    reserve: usize,
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>>,
) -> Result<()> {
    let find = |needle: &[u8], out: &[u8]| {
        out[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let range_at = find(b"/ByteRange [0 ", out).ok_or_else(|| broken("placeholder"))? + 14;
    let contents_at = find(b"/Contents <", out).ok_or_else(|| broken("placeholder"))? + 10;
    let contents_end = contents_at + reserve * 2 + 2;
    let len = out.len();
    let range = format!("{} {} {}", contents_at, contents_end, len - contents_end);
    if range.len() > BYTE_RANGE_HOLE.len() {
        return Err(broken("byte range too long"));
    }
    let mut hole = range.into_bytes();
    hole.resize(BYTE_RANGE_HOLE.len(), b' ');
    out[range_at..range_at + hole.len()].copy_from_slice(&hole);
    let mut h = Sha256::new();
    h.update(&out[..contents_at]);
    h.update(&out[contents_end..]);
    let cms = sign(&h.finalize())?;
    if cms.len() > reserve {
        return Err(broken(format!(
            "the signature takes {} bytes, {} are reserved",
            cms.len(),
            reserve
        )));
    }
    let hex: Vec<u8> = cms
        .iter()
        .flat_map(|b| {
            let s = format!("{b:02X}");
            s.into_bytes()
        })
        .collect();
    out[contents_at + 1..contents_at + 1 + hex.len()].copy_from_slice(&hex);
    Ok(())
}

/// `original` with a name typed in place of a signature (the 2564 amendment's typed
/// name): a stamp annotation showing `field`'s appearance, in an incremental update (no
/// cryptographic signature; the register records who typed it).
pub fn annotate(original: &[u8], field: &Field, contents: &str) -> Result<Vec<u8>> {
    let mut up = Update::new(original)?;
    let pages = up.doc.get_pages();
    let page_id = *pages
        .values()
        .nth(field.page)
        .ok_or_else(|| broken(format!("no page {}", field.page + 1)))?;
    let ap_id = up.new_id();
    let w = (field.rect[2] - field.rect[0]).abs();
    let h = (field.rect[3] - field.rect[1]).abs();
    let mark = field
        .appearance
        .as_ref()
        .ok_or_else(|| broken("a typed name needs its appearance"))?;
    import_form(&mut up, ap_id, mark, w, h)?;
    let annot_id = up.new_id();
    let mut annot = Dictionary::new();
    annot.set("Type", Object::Name(b"Annot".to_vec()));
    annot.set("Subtype", Object::Name(b"Stamp".to_vec()));
    annot.set("NM", pdf_string(&field.name));
    annot.set("Contents", pdf_string(contents));
    annot.set(
        "Rect",
        Object::Array(field.rect.iter().map(|v| Object::Real(*v)).collect()),
    );
    annot.set("P", Object::Reference(page_id));
    annot.set("F", Object::Integer(4 | 128));
    let mut ap = Dictionary::new();
    ap.set("N", Object::Reference(ap_id));
    annot.set("AP", Object::Dictionary(ap));
    up.put_object(annot_id, &Object::Dictionary(annot));
    let mut page = up.doc.get_dictionary(page_id).map_err(broken)?.clone();
    let mut annots = match page.get(b"Annots") {
        Ok(o) => match up.resolve(o) {
            Object::Array(a) => a,
            _ => Vec::new(),
        },
        Err(_) => Vec::new(),
    };
    annots.push(Object::Reference(annot_id));
    page.set("Annots", Object::Array(annots));
    up.put_object(page_id, &Object::Dictionary(page));
    up.finish()
}

/// `pdf` with a document security store (PAdES B-LT): the certificates, OCSP answers and
/// CRLs (DER) a verifier needs to check the signatures without a network. Earlier DSS
/// entries are kept.
pub fn add_dss(
    pdf: &[u8],
    certs: &[Vec<u8>],
    ocsps: &[Vec<u8>],
    crls: &[Vec<u8>],
) -> Result<Vec<u8>> {
    let mut up = Update::new(pdf)?;
    let catalog_id = up.catalog_id()?;
    let mut catalog = up.doc.get_dictionary(catalog_id).map_err(broken)?.clone();
    let mut dss = match catalog.get(b"DSS") {
        Ok(o) => match up.resolve(o) {
            Object::Dictionary(d) => d,
            _ => Dictionary::new(),
        },
        Err(_) => Dictionary::new(),
    };
    for (key, items) in [(&b"Certs"[..], certs), (b"OCSPs", ocsps), (b"CRLs", crls)] {
        if items.is_empty() {
            continue;
        }
        let mut list = match dss.get(key) {
            Ok(o) => match up.resolve(o) {
                Object::Array(a) => a,
                _ => Vec::new(),
            },
            Err(_) => Vec::new(),
        };
        for item in items {
            let id = up.new_id();
            let mut b = Vec::new();
            write!(b, "<< /Length {} >>\nstream\n", item.len()).unwrap();
            b.extend_from_slice(item);
            b.extend_from_slice(b"\nendstream");
            up.put(id, b);
            list.push(Object::Reference(id));
        }
        dss.set(key.to_vec(), Object::Array(list));
    }
    let dss_id = up.new_id();
    up.put_object(dss_id, &Object::Dictionary(dss));
    catalog.set("DSS", Object::Reference(dss_id));
    up.put_object(catalog_id, &Object::Dictionary(catalog));
    up.finish()
}

/// The first page of `mark` as the form XObject `id` (with every object its resources
/// reach, renumbered), its box `w` × `h`.
fn import_form(up: &mut Update<'_>, id: ObjectId, mark: &[u8], w: f32, h: f32) -> Result<()> {
    let over = Document::load_mem(mark).map_err(broken)?;
    let page = *over
        .get_pages()
        .values()
        .next()
        .ok_or_else(|| broken("the appearance has no page"))?;
    let content = over.get_page_content(page);
    let dict = over.get_dictionary(page).map_err(broken)?;
    let resources = match dict.get(b"Resources") {
        Ok(Object::Reference(r)) => over.get_object(*r).cloned().unwrap_or(Object::Null),
        Ok(o) => o.clone(),
        Err(_) => Object::Dictionary(Dictionary::new()),
    };
    // Everything the resources reach, each given a number in this file.
    let mut map: HashMap<ObjectId, ObjectId> = HashMap::new();
    let mut todo = Vec::new();
    collect_refs(&resources, &mut todo);
    while let Some(r) = todo.pop() {
        if map.contains_key(&r) {
            continue;
        }
        let new = up.new_id();
        map.insert(r, new);
        if let Ok(o) = over.get_object(r) {
            collect_refs(o, &mut todo);
        }
    }
    for (old, new) in &map {
        if let Ok(o) = over.get_object(*old) {
            let mut b = Vec::new();
            write_object(&mut b, o, &map);
            up.put(*new, b);
        }
    }
    let mut b = Vec::new();
    write!(
        b,
        "<< /Type /XObject /Subtype /Form /BBox [0 0 {} {}] /Resources ",
        num(w),
        num(h)
    )
    .unwrap();
    write_object(&mut b, &resources, &map);
    write!(b, " /Length {} >>\nstream\n", content.len()).unwrap();
    b.extend_from_slice(&content);
    b.extend_from_slice(b"\nendstream");
    up.put(id, b);
    Ok(())
}

fn collect_refs(o: &Object, out: &mut Vec<ObjectId>) {
    match o {
        Object::Reference(r) => out.push(*r),
        Object::Array(a) => a.iter().for_each(|o| collect_refs(o, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, o)| collect_refs(o, out)),
        Object::Stream(s) => s.dict.iter().for_each(|(_, o)| collect_refs(o, out)),
        _ => {}
    }
}

fn num(v: f32) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// A PDF text string: PDFDocEncoding when ASCII, else UTF-16BE with its byte-order mark.
pub(crate) fn pdf_string(s: &str) -> Object {
    if s.is_ascii() {
        Object::String(s.as_bytes().to_vec(), lopdf::StringFormat::Literal)
    } else {
        let mut b = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            b.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(b, lopdf::StringFormat::Hexadecimal)
    }
}

/// A PDF date (`D:YYYYMMDDHHmmSS+07'00'`), in Thailand's time.
pub(crate) fn pdf_date(unix: i64) -> String {
    let t = chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    t.format("D:%Y%m%d%H%M%S+07'00'").to_string()
}

/// Writes `o` in PDF syntax, references renumbered by `map` (those not in it kept).
fn write_object(out: &mut Vec<u8>, o: &Object, map: &HashMap<ObjectId, ObjectId>) {
    match o {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => write!(out, "{i}").unwrap(),
        Object::Real(r) => out.extend_from_slice(num(*r).as_bytes()),
        Object::Name(n) => {
            out.push(b'/');
            for &c in n {
                if c.is_ascii_alphanumeric() || b"-_.+*,:;@!$&'=~^`|".contains(&c) {
                    out.push(c);
                } else {
                    write!(out, "#{c:02X}").unwrap();
                }
            }
        }
        Object::String(s, _) => {
            if s.iter().all(|&c| (0x20..0x7f).contains(&c)) {
                out.push(b'(');
                for &c in s {
                    if matches!(c, b'(' | b')' | b'\\') {
                        out.push(b'\\');
                    }
                    out.push(c);
                }
                out.push(b')');
            } else {
                out.push(b'<');
                for c in s {
                    write!(out, "{c:02X}").unwrap();
                }
                out.push(b'>');
            }
        }
        Object::Array(a) => {
            out.push(b'[');
            for (i, o) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, o, map);
            }
            out.push(b']');
        }
        Object::Dictionary(d) => write_dict(out, d, map, None),
        Object::Stream(s) => {
            write_dict(out, &s.dict, map, Some(s.content.len()));
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&s.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference(r) => {
            let r = map.get(r).unwrap_or(r);
            write!(out, "{} {} R", r.0, r.1).unwrap();
        }
    }
}

fn write_dict(
    out: &mut Vec<u8>,
    d: &Dictionary,
    map: &HashMap<ObjectId, ObjectId>,
    length: Option<usize>,
) {
    out.extend_from_slice(b"<<");
    for (k, v) in d.iter() {
        if length.is_some() && k.as_slice() == b"Length" {
            continue;
        }
        out.push(b' ');
        write_object(out, &Object::Name(k.clone()), map);
        out.push(b' ');
        write_object(out, v, map);
    }
    if let Some(n) = length {
        write!(out, " /Length {n}").unwrap();
    }
    out.extend_from_slice(b" >>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_names_are_written_as_pdf_syntax() {
        let mut out = Vec::new();
        write_object(&mut out, &pdf_string("a(b)"), &HashMap::new());
        assert_eq!(out, b"(a\\(b\\))");
        out.clear();
        write_object(&mut out, &pdf_string("ก"), &HashMap::new());
        assert_eq!(out, b"<FEFF0E01>");
        out.clear();
        write_object(&mut out, &Object::Name(b"A B".to_vec()), &HashMap::new());
        assert_eq!(out, b"/A#20B");
    }

    #[test]
    fn a_date_is_in_thai_time() {
        assert_eq!(pdf_date(0), "D:19700101070000+07'00'");
    }
}
