//! What docx-rs cannot say, written into its package: the text's language is Thai (Word then
//! breaks lines between Thai words and proofs them as Thai), body paragraphs are justified
//! the Thai way (`thaiDistribute`, กระจายแบบไทย, rather than stretching letters apart), and
//! page numbers use Thai digits where the letter does (`thaiNumbers`).
//!
//! Each change is an exact replacement of the markup docx-rs writes; a replacement that
//! finds nothing is an error (a newer docx-rs writing otherwise), never a silent loss.

use std::io::{Read, Write};

use saraban_model::error::{Error, Result};

fn problem(e: impl std::fmt::Display) -> Error {
    Error::Register {
        th: format!("เขียนไฟล์ Word ไม่ได้ ({e})"),
        en: format!("cannot write the Word file ({e})"),
    }
}

/// The language of every run unless a run says otherwise: Thai for Thai (a complex script
/// to Word: `bidi`), English for the Latin words of a letter (J.CLAIR, COVID-19), so that
/// neither is broken by the other's rules.
const LANG: &str = r#"<w:lang w:val="en-US" w:eastAsia="th-TH" w:bidi="th-TH" />"#;

/// Rewrites the package `docx`; `thai_digits` numbers its pages ๑ ๒ ๓.
pub(crate) fn finish(docx: &[u8], thai_digits: bool) -> Result<Vec<u8>> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(docx)).map_err(problem)?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).map_err(problem)?;
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).map_err(problem)?;
        let data = match name.as_str() {
            "word/styles.xml" => styles(&text(data)?)?.into_bytes(),
            "word/document.xml" => document(&text(data)?, thai_digits)?.into_bytes(),
            _ => data,
        };
        out.start_file(name, opts).map_err(problem)?;
        out.write_all(&data).map_err(problem)?;
    }
    Ok(out.finish().map_err(problem)?.into_inner())
}

fn text(data: Vec<u8>) -> Result<String> {
    String::from_utf8(data).map_err(problem)
}

/// Replaces `from` by `to` everywhere; at least once.
fn replace(s: &str, from: &str, to: &str) -> Result<String> {
    if !s.contains(from) {
        return Err(problem(format!("docx-rs wrote no {from}")));
    }
    Ok(s.replace(from, to))
}

fn styles(s: &str) -> Result<String> {
    // The document defaults' run properties end with the language.
    let end = "</w:rPr></w:rPrDefault>";
    if s.contains(end) {
        return replace(s, end, &format!("{LANG}{end}"));
    }
    replace(
        s,
        "<w:rPrDefault><w:rPr />",
        &format!("<w:rPrDefault><w:rPr>{LANG}</w:rPr>"),
    )
}

fn document(s: &str, thai_digits: bool) -> Result<String> {
    let mut s = s.to_string();
    if s.contains(r#"<w:jc w:val="distribute" />"#) {
        s = s.replace(
            r#"<w:jc w:val="distribute" />"#,
            r#"<w:jc w:val="thaiDistribute" />"#,
        );
    }
    if thai_digits {
        s = replace(&s, "<w:pgNumType ", r#"<w:pgNumType w:fmt="thaiNumbers" "#)?;
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_goes_last_in_the_defaults() {
        let s = styles(
            r#"<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="32" /></w:rPr></w:rPrDefault>"#,
        )
        .unwrap();
        assert!(
            s.contains(
                r#"<w:sz w:val="32" /><w:lang w:val="en-US" w:eastAsia="th-TH" w:bidi="th-TH" />"#
            ),
            "{s}"
        );
        let s = styles("<w:rPrDefault><w:rPr /></w:rPrDefault>").unwrap();
        assert!(s.contains("<w:rPr><w:lang"), "{s}");
        assert!(styles("<w:styles/>").is_err());
    }

    #[test]
    fn thai_justification_and_page_numbers() {
        let s = document(
            r#"<w:jc w:val="distribute" /><w:pgNumType w:start="1" />"#,
            true,
        )
        .unwrap();
        assert!(s.contains("thaiDistribute"), "{s}");
        assert!(s.contains(r#"w:fmt="thaiNumbers""#), "{s}");
        assert!(document("<w:body/>", true).is_err());
        assert_eq!(document("<w:body/>", false).unwrap(), "<w:body/>");
    }
}
