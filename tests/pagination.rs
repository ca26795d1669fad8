//! A letter long enough for three pages: page numbers, continuation words, the signature
//! block kept with the body, and text that still extracts exactly.

use crate::common;

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

/// Where a marker's text run sits, if anywhere: (page index, y in mm).
fn find_marker(doc: &saraban::typeset::Document, marker: &str) -> Option<(usize, f32)> {
    doc.pages.iter().enumerate().find_map(|(i, p)| {
        p.texts()
            .find(|(_, t)| t.text.contains(marker))
            .map(|(pt, _)| (i, to_mm(pt.y)))
    })
}

// Issue 17.2: no part of any kind loses text at the bottom of a page. Each list part is
// filled far beyond a page; every item's text must be on a page, inside it, or the letter
// refused with a message naming the part.
#[test]
fn every_part_far_beyond_a_page_flows_on_or_is_refused() {
    let office = common::office_with_emblem();
    let n = 70;
    let items = |part: &str| -> Vec<String> {
        (0..n)
            .map(|i| format!("MK{part}{i:03} หน่วยงานที่ได้รับสำเนาหนังสือฉบับนี้"))
            .collect()
    };
    let kinds = ["external", "memo", "stamped", "order", "announcement"];
    let parts = [
        "copies_to",
        "references",
        "enclosures",
        "recipients",
        "body",
        "positions",
        "qr",
    ];
    let mut tried = 0;
    for kind in kinds {
        for part in parts {
            let mut v = serde_json::json!({
                "kind": kind, "digits": "as_typed",
                "agency": {"name": "กรมส่งเสริมการปกครองท้องถิ่น", "address": ["ถนนนครราชสีมา"]},
                "number": {"prefix": "มท 0810.2"}, "subject": "ทดสอบ", "recipient": "ผู้ว่าราชการจังหวัด",
                "body": ["ข้อความ"],
                "signer": {"name": "นายทดสอบ ระบบ", "positions": ["อธิบดี"]},
                "owner": {"department": "กองคลัง", "phone": "0 2241 9000"},
            });
            if kind == "stamped" {
                v["stamp"] = serde_json::json!({"agency": "กรมส่งเสริมการปกครองท้องถิ่น"});
            }
            let list = items(part);
            match part {
                "copies_to" | "references" => v[part] = serde_json::json!(list),
                "enclosures" => {
                    v[part] = serde_json::json!(list
                        .iter()
                        .map(|t| serde_json::json!({"title": t, "quantity": "1 ชุด"}))
                        .collect::<Vec<_>>())
                }
                "recipients" => {
                    v["distribution"] =
                        serde_json::json!({"title": "บัญชีแนบท้าย", "recipients": list})
                }
                "body" => {
                    v["body"] = serde_json::json!(list
                        .iter()
                        .map(|t| serde_json::json!({"text": t, "style": "item"}))
                        .collect::<Vec<_>>())
                }
                "positions" => v["signer"]["positions"] = serde_json::json!(list),
                "qr" => {
                    v["qr"] = serde_json::json!(list
                        .iter()
                        .take(8)
                        .map(|t| serde_json::json!({"data": "https://example.org", "caption": t}))
                        .collect::<Vec<_>>())
                }
                _ => unreachable!(),
            }
            let letter = match saraban::Letter::from_json(&v.to_string()) {
                Ok(l) => l,
                // A part this kind does not have, or more than a letter may hold: refused
                // by name before any layout.
                Err(saraban::Error::Input(p)) => {
                    assert!(!p.is_empty());
                    continue;
                }
                Err(e) => panic!("{kind}/{part}: {e}"),
            };
            let doc = match office.typeset(&letter) {
                Ok(d) => d,
                Err(saraban::Error::Input(p)) => {
                    assert!(
                        p.iter().any(|p| !p.path.is_empty()),
                        "{kind}/{part}: refused without naming the part: {p:?}"
                    );
                    continue;
                }
                Err(e) => panic!("{kind}/{part}: {e}"),
            };
            tried += 1;
            let page_h = to_mm(doc.pages[0].size.h);
            let wanted = if part == "qr" { 8 } else { n };
            // Parts a kind does not print are not looked for (the form hides them).
            let printed = (0..wanted)
                .filter(|i| find_marker(&doc, &format!("MK{part}{i:03}")).is_some())
                .count();
            if printed == 0 {
                continue;
            }
            for i in 0..wanted {
                let marker = format!("MK{part}{i:03}");
                let (page, y) = find_marker(&doc, &marker)
                    .unwrap_or_else(|| panic!("{kind}/{part}: {marker} is missing from the pages"));
                assert!(
                    y > 5.0 && y < page_h - 5.0,
                    "{kind}/{part}: {marker} at {y:.1} mm on page {} of {page_h:.0} mm",
                    page + 1
                );
            }
        }
    }
    assert!(tried >= 20, "only {tried} kind/part pairs were laid out");
}

// Issue 17.2, as the review met it: the J.CLAIR circular with ever more สำเนาส่ง entries.
#[test]
fn every_copies_to_entry_of_a_real_letter_is_printed_at_any_count() {
    let office = common::office_with_emblem();
    for name in common::EXAMPLES {
        for n in (1..=80).step_by(1) {
            let mut l = common::letter(name);
            l.copies_to = (0..n)
                .map(|i| format!("MKC{i:03} ผู้ว่าราชการจังหวัด ทุกจังหวัด"))
                .collect();
            let doc = office.typeset(&l).unwrap();
            let page_h = to_mm(doc.pages[0].size.h);
            for i in 0..n {
                let marker = format!("MKC{i:03}");
                let (page, y) = find_marker(&doc, &marker)
                    .unwrap_or_else(|| panic!("{name} with {n}: {marker} missing"));
                assert!(
                    y < page_h - 5.0,
                    "{name} with {n}: {marker} at {y:.1} mm on page {}",
                    page + 1
                );
            }
        }
    }
}

// Issue 17.2, read as a clerk would: every สำเนาส่ง entry of a long list is in the PDF's text.
#[test]
fn a_long_copies_to_list_reads_back_whole_from_the_pdf() {
    let office = common::office_with_emblem();
    let mut l = common::letter("p4g-invitation");
    let markers: Vec<String> = (0..45)
        .map(|i| format!("MKC{}{}", (b'a' + i / 26) as char, (b'a' + i % 26) as char))
        .collect();
    l.copies_to = markers
        .iter()
        .map(|m| format!("{m} ผู้ว่าราชการจังหวัด"))
        .collect();
    let pdf = office.render(&l).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils: run scripts/setup.sh)");
    let text = String::from_utf8_lossy(&out.stdout);
    let lost: Vec<&String> = markers
        .iter()
        .filter(|m| !text.contains(m.as_str()))
        .collect();
    assert!(lost.is_empty(), "lost from the PDF: {lost:?}");
}
