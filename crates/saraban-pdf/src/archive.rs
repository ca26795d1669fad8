//! PDF/A-2b, the archival form government records are kept in (ISO 19005-2, level B: the
//! pages look the same in every reader, forever); PDF/A-3b (ISO 19005-3, the same rules)
//! when the letter's data is embedded ([`crate::attach`]): part 2 allows only PDF/A files
//! inside, part 3 any file, as an associated file with its relationship and media type.
//!
//! What the letter writer already does meets most of it: every font embedded (subset,
//! TrueType, with its `CIDToGIDMap`), no encryption, no scripts, no external content. What
//! this module adds to a written document:
//! - PDF 1.7 in the header;
//! - an sRGB output intent (`/GTS_PDFA1`), so the RGB the pages are drawn in means one
//!   colour everywhere; the ICC profile is made by Little CMS (`lcms2`);
//! - XMP metadata that says PDF/A-2b (`pdfaid:part` 2, `pdfaid:conformance` B) and repeats
//!   the Info dictionary exactly (title, author, subject, tool, producer, dates), as the
//!   standard asks; Info entries that XMP does not carry (`/Trapped`) are left out.

use lopdf::{dictionary, Document, Object, Stream, StringFormat};

use saraban_model::error::{Error, Result};

/// The output condition the pages are drawn for.
pub const OUTPUT_CONDITION: &str = "sRGB IEC61966-2.1";

/// What the Info dictionary and the XMP both say of the document.
pub(crate) struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub producer: &'a str,
    /// Seconds since 1970, UTC.
    pub created_unix: i64,
    /// The PDF/A part: 2, or 3 with embedded files.
    pub part: u8,
}

/// The sRGB profile as ICC bytes.
fn srgb_icc() -> Result<Vec<u8>> {
    lcms2::Profile::new_srgb()
        .icc()
        .map_err(|e| Error::Pdf(format!("cannot make the sRGB profile: {e}")))
}

/// Makes `doc` a PDF/A file (part 2 or 3) (see the module documentation).
pub(crate) fn make_archival(doc: &mut Document, meta: &Meta<'_>) -> Result<()> {
    doc.version = "1.7".into();
    let when = chrono::DateTime::from_timestamp(meta.created_unix, 0)
        .unwrap_or_default()
        .naive_utc();
    let pdf_date = when.format("D:%Y%m%d%H%M%SZ").to_string();
    let xmp_date = when.format("%Y-%m-%dT%H:%M:%SZ").to_string();

    // The Info dictionary, rewritten so that XMP can repeat it exactly.
    let text = |s: &str| {
        let mut data = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            data.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(data, StringFormat::Hexadecimal)
    };
    let mut info = dictionary! {
        "Title" => text(meta.title),
        "Creator" => text("Saraban"),
        "Producer" => text(meta.producer),
        "CreationDate" => Object::string_literal(pdf_date.clone()),
        "ModDate" => Object::string_literal(pdf_date),
    };
    if !meta.author.is_empty() {
        info.set("Author", text(meta.author));
    }
    if !meta.subject.is_empty() {
        info.set("Subject", text(meta.subject));
    }
    match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => {
            doc.objects.insert(id, Object::Dictionary(info));
        }
        Err(_) => {
            let id = doc.add_object(info);
            doc.trailer.set("Info", id);
        }
    }

    let xmp = xmp(meta, &xmp_date);
    let mut metadata = Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp.into_bytes(),
    );
    metadata.allows_compression = false;
    let metadata_id = doc.add_object(metadata);

    let icc = srgb_icc()?;
    let mut profile = Stream::new(dictionary! { "N" => 3 }, icc);
    let _ = profile.compress();
    let profile_id = doc.add_object(profile);
    let intent = dictionary! {
        "Type" => "OutputIntent",
        "S" => "GTS_PDFA1",
        "OutputConditionIdentifier" => Object::string_literal(OUTPUT_CONDITION),
        "Info" => Object::string_literal(OUTPUT_CONDITION),
        "DestOutputProfile" => profile_id,
    };

    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| Error::Pdf(format!("the PDF has no catalogue: {e}")))?;
    let catalog = doc
        .get_object_mut(root)
        .and_then(Object::as_dict_mut)
        .map_err(|e| Error::Pdf(format!("the PDF's catalogue is unreadable: {e}")))?;
    catalog.set("Metadata", metadata_id);
    catalog.set("OutputIntents", vec![Object::Dictionary(intent)]);
    Ok(())
}

/// The XMP packet: PDF/A identification and the Info dictionary's entries.
fn xmp(meta: &Meta<'_>, date: &str) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut dc = format!(
        "<dc:format>application/pdf</dc:format>\n\
         <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
        esc(meta.title)
    );
    if !meta.author.is_empty() {
        dc.push_str(&format!(
            "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
            esc(meta.author)
        ));
    }
    if !meta.subject.is_empty() {
        dc.push_str(&format!(
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
            esc(meta.subject)
        ));
    }
    format!(
        "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\" \
         xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" \
         xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n\
         <pdfaid:part>{}</pdfaid:part>\n\
         <pdfaid:conformance>B</pdfaid:conformance>\n\
         {dc}\
         <xmp:CreatorTool>Saraban</xmp:CreatorTool>\n\
         <xmp:CreateDate>{date}</xmp:CreateDate>\n\
         <xmp:ModifyDate>{date}</xmp:ModifyDate>\n\
         <xmp:MetadataDate>{date}</xmp:MetadataDate>\n\
         <pdf:Producer>{}</pdf:Producer>\n\
         </rdf:Description>\n\
         </rdf:RDF>\n\
         </x:xmpmeta>\n\
         <?xpacket end=\"w\"?>",
        meta.part,
        esc(meta.producer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_srgb_profile_is_an_rgb_display_profile() {
        let icc = srgb_icc().unwrap();
        assert_eq!(&icc[36..40], b"acsp", "ICC signature");
        assert_eq!(&icc[16..20], b"RGB ", "colour space");
        assert_eq!(
            u32::from_be_bytes(icc[0..4].try_into().unwrap()) as usize,
            icc.len()
        );
    }

    #[test]
    fn xmp_escapes_what_the_clerk_typed() {
        let x = xmp(
            &Meta {
                title: "ประชุม <ด่วน> & \"ลับ\"",
                author: "",
                subject: "",
                producer: "Saraban",
                created_unix: 0,
                part: 2,
            },
            "1970-01-01T00:00:00Z",
        );
        assert!(x.contains("ประชุม &lt;ด่วน&gt; &amp; &quot;ลับ&quot;"), "{x}");
        assert!(!x.contains("dc:creator"));
    }
}
