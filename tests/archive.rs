//! `--pdfa`: letters as PDF/A-3b (PDF/A-2b with the letter's data embedded), the archival form. No PDF/A validator can be installed
//! from the registries this project uses (veraPDF is a Java program from its own site), so
//! the rules of ISO 19005-2 level B that apply to what Saraban writes are checked one by
//! one here, on the file the real command writes; `qpdf --check` checks its syntax and
//! streams.

use crate::common;

use std::path::Path;
use std::process::Command;

use lopdf::{Document, Object};

fn dict<'a>(doc: &'a Document, o: &'a Object) -> &'a lopdf::Dictionary {
    match o {
        Object::Reference(id) => doc.get_dictionary(*id).unwrap(),
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        other => panic!("not a dictionary: {other:?}"),
    }
}

fn text(o: &Object) -> String {
    match o {
        Object::String(b, _) if b.starts_with(&[0xFE, 0xFF]) => String::from_utf16(
            &b[2..]
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        )
        .unwrap(),
        Object::String(b, _) => String::from_utf8_lossy(b).into_owned(),
        other => panic!("not a string: {other:?}"),
    }
}

/// The text of an XMP element (the first), or of the `rdf:li` inside it.
fn xmp_value(xmp: &str, tag: &str) -> Option<String> {
    let start = xmp.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = xmp[start..].find(&format!("</{tag}>"))? + start;
    let inner = &xmp[start..end];
    let inner = match inner.find("<rdf:li") {
        Some(li) => {
            let s = inner[li..].find('>')? + li + 1;
            let e = inner[s..].find("</rdf:li>")? + s;
            &inner[s..e]
        }
        None => inner,
    };
    Some(
        inner
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
    )
}

/// Checks the PDF/A-2b and PDF/A-3b rules that apply to a Saraban letter; returns what is wrong.
pub(crate) fn pdfa_problems(path: &Path) -> Vec<String> {
    let mut bad = Vec::new();
    let bytes = std::fs::read(path).unwrap();
    // 6.1.2: the header, then a comment of at least four bytes above 127.
    if !bytes.starts_with(b"%PDF-1.7\n%") && !bytes.starts_with(b"%PDF-1.7\r\n%") {
        bad.push(format!(
            "header {:?}",
            String::from_utf8_lossy(&bytes[..10])
        ));
    }
    let second = bytes.split(|&b| b == b'\n').nth(1).unwrap_or(&[]);
    if second.iter().filter(|&&b| b > 127).count() < 4 {
        bad.push("no binary comment after the header".into());
    }
    let doc = Document::load(path).unwrap();
    // 6.1.3: an ID in the trailer, no encryption.
    match doc.trailer.get(b"ID").and_then(Object::as_array) {
        Ok(ids) if ids.len() == 2 => {}
        _ => bad.push("no /ID of two strings in the trailer".into()),
    }
    if doc.trailer.get(b"Encrypt").is_ok() {
        bad.push("encrypted".into());
    }
    let catalog = doc.catalog().unwrap();
    // 6.2.3: an output intent with an RGB ICC profile (pages are drawn in DeviceRGB).
    match catalog.get(b"OutputIntents").and_then(Object::as_array) {
        Ok(intents) => {
            let pdfa: Vec<_> = intents
                .iter()
                .map(|i| dict(&doc, i))
                .filter(|d| d.get(b"S").and_then(Object::as_name).ok() == Some(b"GTS_PDFA1"))
                .collect();
            if pdfa.len() != 1 {
                bad.push(format!("{} GTS_PDFA1 output intents", pdfa.len()));
            }
            for d in pdfa {
                let id = d
                    .get(b"DestOutputProfile")
                    .and_then(Object::as_reference)
                    .unwrap();
                let s = doc.get_object(id).and_then(Object::as_stream).unwrap();
                let icc = s
                    .decompressed_content()
                    .unwrap_or_else(|_| s.content.clone());
                if s.dict.get(b"N").and_then(Object::as_i64).ok() != Some(3)
                    || icc.get(36..40) != Some(b"acsp")
                    || icc.get(16..20) != Some(b"RGB ")
                {
                    bad.push("the output profile is not an RGB ICC profile".into());
                }
                if d.get(b"OutputConditionIdentifier").is_err() {
                    bad.push("no OutputConditionIdentifier".into());
                }
            }
        }
        Err(_) => bad.push("no /OutputIntents".into()),
    }
    // 6.6.2: XMP metadata, unfiltered, identifying PDF/A-2b and repeating the Info
    // dictionary.
    let xmp = match catalog.get(b"Metadata").and_then(Object::as_reference) {
        Ok(id) => {
            let s = doc.get_object(id).and_then(Object::as_stream).unwrap();
            if s.dict.get(b"Filter").is_ok() {
                bad.push("the metadata stream is filtered".into());
            }
            if s.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"XML") {
                bad.push("the metadata stream is not /Subtype /XML".into());
            }
            String::from_utf8(s.content.clone()).unwrap()
        }
        Err(_) => {
            bad.push("no /Metadata".into());
            String::new()
        }
    };
    if !xmp.starts_with("<?xpacket begin=\"\u{FEFF}\"") || !xmp.ends_with("<?xpacket end=\"w\"?>") {
        bad.push("the XMP packet is not wrapped".into());
    }
    // A letter carries its data as an associated file (saraban_pdf::attach), which PDF/A-2
    // does not allow: it says PDF/A-3b, and ISO 19005-3 §6.8 holds for the file: it is
    // in the catalogue's /AF, its file specification has /F, /UF and /AFRelationship, its
    // stream a /Subtype (the media type) and /Params /ModDate.
    let af = catalog
        .get(b"AF")
        .and_then(Object::as_array)
        .map(|a| a.to_vec())
        .unwrap_or_default();
    let want_part = if af.is_empty() { "2" } else { "3" };
    if xmp_value(&xmp, "pdfaid:part").as_deref() != Some(want_part)
        || xmp_value(&xmp, "pdfaid:conformance").as_deref() != Some("B")
    {
        bad.push(format!("the XMP does not say PDF/A-{want_part}b"));
    }
    for spec in &af {
        let spec = dict(&doc, spec);
        for key in ["F", "UF", "AFRelationship", "EF"] {
            if spec.get(key.as_bytes()).is_err() {
                bad.push(format!("an associated file's specification has no /{key}"));
            }
        }
        if let Ok(ef) = spec.get(b"EF") {
            let file = match dict(&doc, ef).get(b"F") {
                Ok(Object::Reference(id)) => {
                    &doc.get_object(*id).unwrap().as_stream().unwrap().dict
                }
                _ => panic!("the embedded file is not a stream"),
            };
            if file.get(b"Subtype").and_then(Object::as_name).is_err() {
                bad.push("an embedded file has no /Subtype (media type)".into());
            }
            let params = file.get(b"Params").map(|p| dict(&doc, p));
            if params.map_or(true, |p| p.get(b"ModDate").is_err()) {
                bad.push("an embedded file has no /Params /ModDate".into());
            }
        }
    }
    let info = dict(&doc, doc.trailer.get(b"Info").unwrap());
    for (key, tag) in [
        ("Title", "dc:title"),
        ("Author", "dc:creator"),
        ("Subject", "dc:description"),
        ("Creator", "xmp:CreatorTool"),
        ("Producer", "pdf:Producer"),
    ] {
        let a = info.get(key.as_bytes()).ok().map(text);
        let b = xmp_value(&xmp, tag);
        if a != b {
            bad.push(format!("Info {key} {a:?} but XMP {tag} {b:?}"));
        }
    }
    for (key, tag) in [
        ("CreationDate", "xmp:CreateDate"),
        ("ModDate", "xmp:ModifyDate"),
    ] {
        // D:YYYYMMDDHHmmSSZ against YYYY-MM-DDTHH:mm:SSZ.
        let a = info.get(key.as_bytes()).ok().map(text).unwrap_or_default();
        let b = xmp_value(&xmp, tag)
            .unwrap_or_default()
            .replace(['-', ':', 'T'], "");
        if a.trim_start_matches("D:") != b {
            bad.push(format!("Info {key} {a:?} but XMP {tag} {b:?}"));
        }
    }
    for key in info
        .iter()
        .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
    {
        if ![
            "Title",
            "Author",
            "Subject",
            "Creator",
            "Producer",
            "CreationDate",
            "ModDate",
        ]
        .contains(&key.as_str())
        {
            bad.push(format!("Info /{key} has no XMP counterpart"));
        }
    }
    // 6.2.11: every font embedded; CID fonts of TrueType outlines with a CIDToGIDMap.
    // 6.1.7 and 6.6.1: no LZW, no JavaScript or launch actions.
    for (id, obj) in &doc.objects {
        let d = match obj {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        if let Ok(name) = d.get(b"Subtype").and_then(Object::as_name) {
            if name == b"CIDFontType2" && d.get(b"CIDToGIDMap").is_err() {
                bad.push(format!("CID font {id:?} without CIDToGIDMap"));
            }
            if matches!(
                name,
                b"CIDFontType2" | b"TrueType" | b"Type1" | b"CIDFontType0"
            ) {
                let fd = dict(&doc, d.get(b"FontDescriptor").unwrap());
                if !["FontFile", "FontFile2", "FontFile3"]
                    .iter()
                    .any(|k| fd.get(k.as_bytes()).is_ok())
                {
                    bad.push(format!("font {id:?} not embedded"));
                }
            }
        }
        for key in [&b"JavaScript"[..], b"JS", b"Launch"] {
            if d.get(key).is_ok() {
                bad.push(format!("{} in {id:?}", String::from_utf8_lossy(key)));
            }
        }
        if d.get(b"Filter").and_then(Object::as_name).ok() == Some(b"LZWDecode") {
            bad.push(format!("LZW in {id:?}"));
        }
    }
    // 6.2.11.8: the .notdef glyph is never shown (code 0 of our two-byte fonts).
    for (_, page) in doc.get_pages() {
        let content = doc.get_and_decode_page_content(page).unwrap();
        for op in content.operations {
            if op.operator == "Tj" || op.operator == "TJ" {
                let strings: Vec<&Vec<u8>> = op
                    .operands
                    .iter()
                    .flat_map(|o| match o {
                        Object::Array(a) => a.iter().collect::<Vec<_>>(),
                        o => vec![o],
                    })
                    .filter_map(|o| match o {
                        Object::String(b, _) => Some(b),
                        _ => None,
                    })
                    .collect();
                if strings.iter().any(|b| b.chunks(2).any(|c| c == [0, 0])) {
                    bad.push("the .notdef glyph is shown".into());
                }
            }
        }
    }
    // Syntax and streams, by an independent reader.
    let q = Command::new("qpdf").arg("--check").arg(path).output();
    match q {
        Ok(o) if o.status.success() => {}
        Ok(o) => bad.push(format!(
            "qpdf --check: {}",
            String::from_utf8_lossy(&o.stdout)
        )),
        Err(_) => common::missing_tool("qpdf"),
    }
    bad
}

#[test]
fn render_pdfa_writes_pdf_a_3b_with_the_letter_data() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("emblem.svg"), common::stand_in_emblem_svg()).unwrap();
    for name in ["jclair-specialists", "p4g-invitation", "memo"] {
        let letter = common::fixture(&format!("{name}.json"));
        let out = d.join(format!("{name}.pdf"));
        let o = common::saraban(
            &[
                "render",
                letter.to_str().unwrap(),
                "--emblem",
                "emblem.svg",
                "--pdfa",
                "-o",
                out.to_str().unwrap(),
            ],
            d,
        );
        assert!(o.status.success(), "{}", common::stderr(&o));
        let problems = pdfa_problems(&out);
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        // Still the same letter to a reader.
        let text = Command::new("pdftotext")
            .arg(&out)
            .arg("-")
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&text.stdout).contains("เรื่อง"));
    }
    // Without --pdfa, no claim is made.
    let letter = common::fixture("memo.json");
    let plain = d.join("plain.pdf");
    let o = common::saraban(
        &[
            "render",
            letter.to_str().unwrap(),
            "-o",
            plain.to_str().unwrap(),
        ],
        d,
    );
    assert!(o.status.success());
    let doc = Document::load(&plain).unwrap();
    assert!(doc.catalog().unwrap().get(b"Metadata").is_err());
    assert!(!pdfa_problems(&plain).is_empty());
}

#[test]
fn a_letter_issued_with_pdfa_is_kept_as_pdf_a() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = common::saraban(&["--db", "r.sqlite", "init"], d);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let mut l = common::letter("jclair-specialists");
    l.number.get_or_insert_with(Default::default).running = Default::default();
    let letter = d.join("l.json");
    std::fs::write(&letter, serde_json::to_string(&l).unwrap()).unwrap();
    let o = common::saraban(
        &[
            "--db",
            "r.sqlite",
            "issue",
            letter.to_str().unwrap(),
            "--pdfa",
            "--date",
            "2026-05-01",
            "-o",
            "issued.pdf",
        ],
        d,
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let problems = pdfa_problems(&d.join("issued.pdf"));
    assert!(problems.is_empty(), "{problems:#?}");
    // The register keeps the same file.
    let o = common::saraban(&["--db", "r.sqlite", "show", "1", "--pdf", "kept.pdf"], d);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert_eq!(
        std::fs::read(d.join("kept.pdf")).unwrap(),
        std::fs::read(d.join("issued.pdf")).unwrap()
    );
}
