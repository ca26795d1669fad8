//! A letter long enough for three pages: page numbers, continuation words, the signature
//! block kept with the body, and text that still extracts exactly.

mod common;

use saraban::letter::BodyBlock;
use saraban::typeset::to_mm;

fn long_letter() -> saraban::Letter {
    let mut l = common::letter("jclair-specialists");
    let paras: Vec<String> = l.body.iter().map(|b| b.text().to_string()).collect();
    let mut body = Vec::new();
    for _ in 0..5 {
        body.push(BodyBlock::Text(paras[0].clone()));
        body.push(BodyBlock::Text(paras[1].clone()));
    }
    body.push(BodyBlock::Text(paras[2].clone()));
    l.body = body;
    l
}

#[test]
fn three_pages_with_numbers_and_continuation_words() {
    let office = common::office_with_emblem();
    let doc = office.typeset(&long_letter()).unwrap();
    assert_eq!(doc.pages.len(), 3, "three pages");
    for (i, page) in doc.pages.iter().enumerate() {
        // Copied with U+2010 HYPHEN (see PAGE_DASH), printed as the same dash.
        let label = ["", "\u{2010} ๒ \u{2010}", "\u{2010} ๓ \u{2010}"][i];
        if i > 0 {
            let (p, t) = page
                .find_text(label)
                .unwrap_or_else(|| panic!("page {} has {label}", i + 1));
            assert!(
                (to_mm(p.x + t.width / 2.0) - 105.0).abs() < 0.5,
                "page number centred"
            );
            assert!(to_mm(p.y) < 30.0, "page number at the top");
        } else {
            assert!(
                page.find_text("\u{2010} ").is_none(),
                "no page number on page 1"
            );
        }
        let cont: Vec<_> = page
            .texts()
            .filter(|(_, t)| t.text.starts_with('/') && t.text.ends_with("..."))
            .collect();
        if i + 1 < doc.pages.len() {
            assert_eq!(cont.len(), 1, "continuation word on page {}", i + 1);
            let (p, t) = cont[0];
            assert!(
                (to_mm(p.x + t.width) - 190.0).abs() < 0.5,
                "continuation at the right margin"
            );
            assert!(to_mm(p.y) > 270.0, "continuation at the bottom");
            let word = t.text.trim_start_matches('/').trim_end_matches("...");
            // The first text of the next page (below its page number) starts with it.
            let next = &doc.pages[i + 1];
            let first = next
                .texts()
                .filter(|(_, t)| !t.text.starts_with("\u{2010} "))
                .min_by(|a, b| a.0.y.total_cmp(&b.0.y))
                .unwrap();
            assert!(
                first.1.text.starts_with(word),
                "/{word}... announces {:?}",
                first.1.text
            );
        } else {
            assert!(cont.is_empty(), "no continuation word on the last page");
        }
        // Nothing runs into the bottom margin except the continuation word.
        for (p, t) in page.texts() {
            if !t.text.starts_with('/') {
                assert!(to_mm(p.y) < 277.0, "{:?} at {:.1} mm", t.text, to_mm(p.y));
            }
        }
    }
    // The signature block never stands alone: body lines precede the closing on its page.
    let last = doc
        .pages
        .iter()
        .find(|p| p.find_text("ขอแสดงความนับถือ").is_some())
        .unwrap();
    let (closing, _) = last.find_text("ขอแสดงความนับถือ").unwrap();
    let before = last
        .texts()
        .filter(|(p, t)| p.y < closing.y && !t.text.starts_with("\u{2010} "))
        .count();
    assert!(
        before >= 2,
        "at least two body lines before the closing on its page"
    );
}

#[test]
fn three_page_text_still_extracts_exactly() {
    let office = common::office_with_emblem();
    let l = long_letter();
    let pdf = office.render(&l).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.pdf");
    std::fs::write(&p, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&p)
        .arg("-")
        .output()
        .unwrap();
    let text: String = String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for b in &l.body {
        let want: String = saraban::thai::localize(b.text(), l.digits)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        // Each paragraph comes back whole, possibly with a page's decorations inside it.
        let found = text.contains(&want) || {
            let stripped = text.replace("-๒-", "").replace("-๓-", "");
            let no_cont: String = strip_continuations(&stripped);
            no_cont.contains(&want)
        };
        assert!(
            found,
            "paragraph not extracted whole: {}",
            &want[..60.min(want.len())]
        );
    }
}

fn strip_continuations(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('/') {
        match rest[i..].find("...") {
            Some(j) if j < 40 => {
                out.push_str(&rest[..i]);
                rest = &rest[i + j + 3..];
            }
            _ => {
                out.push_str(&rest[..=i]);
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}
