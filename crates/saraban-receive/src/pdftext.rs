//! The text of a PDF, word by word with its box: poppler's `pdftotext -bbox-layout`, read
//! with an XML parser.

use std::path::Path;

use saraban_model::error::Error;

use crate::page::{Page, Rect, Word};
use crate::tools::{arg, run, LIMIT};

/// The pages of the PDF at `path` (at most `max_pages`), their words and boxes.
pub fn pages(path: &Path, max_pages: u32) -> Result<Vec<Page>, Error> {
    let last = max_pages.to_string();
    let xml = run(
        "pdftotext",
        &[
            "-q".as_ref(),
            "-enc".as_ref(),
            "UTF-8".as_ref(),
            "-bbox-layout".as_ref(),
            "-l".as_ref(),
            last.as_ref(),
            arg(path),
            "-".as_ref(),
        ],
        LIMIT,
    )?;
    parse(&String::from_utf8_lossy(&xml))
}

fn num(n: &roxmltree::Node<'_, '_>, name: &str) -> f32 {
    n.attribute(name)
        .and_then(|v| v.parse::<f32>().ok())
        .filter(|v| v.is_finite())
        .unwrap_or(0.0)
}

fn rect(n: &roxmltree::Node<'_, '_>) -> Rect {
    Rect {
        x0: num(n, "xMin"),
        y0: num(n, "yMin"),
        x1: num(n, "xMax"),
        y1: num(n, "yMax"),
    }
}

/// Reads pdftotext's XHTML.
pub(crate) fn parse(xml: &str) -> Result<Vec<Page>, Error> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(xml, opts).map_err(|e| {
        Error::input(
            "file",
            format!("อ่านข้อความในไฟล์ PDF ไม่ได้ ({e})"),
            format!("cannot read the PDF's text ({e})"),
        )
    })?;
    let mut pages = Vec::new();
    for p in doc.descendants().filter(|n| n.has_tag_name("page")) {
        let mut page = Page {
            w: num(&p, "width"),
            h: num(&p, "height"),
            lines: Vec::new(),
        };
        for line in p.descendants().filter(|n| n.has_tag_name("line")) {
            let words: Vec<Word> = line
                .children()
                .filter(|n| n.has_tag_name("word"))
                .map(|w| Word {
                    text: w.text().unwrap_or("").trim().to_string(),
                    rect: rect(&w),
                })
                .filter(|w| !w.text.is_empty())
                .collect();
            if !words.is_empty() {
                page.lines.push(words);
            }
        }
        pages.push(page);
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_their_boxes_are_read() {
        let xml = r#"<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><head><title></title></head><body>
<doc><page width="595.28" height="841.89"><flow><block xMin="85" yMin="162" xMax="246" yMax="188">
<line xMin="85" yMin="162" xMax="246" yMax="188">
<word xMin="85.0" yMin="162.0" xMax="95.4" yMax="188.5">ที่</word>
<word xMin="100.6" yMin="162.0" xMax="120.5" yMax="188.5">มท</word>
</line></block></flow></page></doc></body></html>"#;
        let pages = parse(xml).unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].lines[0][1].text, "มท");
        assert!((pages[0].w - 595.28).abs() < 0.01);
        assert!(parse("<not xml").is_err());
    }
}
