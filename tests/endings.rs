//! The end of a letter as a clerk signs it: room to sign even when the name is written by
//! hand, and never a page that holds only the closing, signature, contact block or QR codes.

use crate::common;

use saraban::letter::{BodyBlock, Letter, Qr, Signer};
use saraban::typeset::{to_mm, Document};

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The y (mm) of the first run on page `page` whose text starts with `prefix` (a
/// parenthesis alone only matches itself).
fn y_of(doc: &Document, page: usize, prefix: &str) -> f32 {
    to_mm(run(doc, page, prefix).0.y)
}

fn run<'a>(
    doc: &'a Document,
    page: usize,
    prefix: &str,
) -> (saraban::typeset::Point, &'a saraban::typeset::TextRun) {
    doc.pages[page]
        .texts()
        .find(|(_, t)| {
            if prefix.chars().count() == 1 {
                t.text == prefix
            } else {
                t.text.starts_with(prefix)
            }
        })
        .unwrap_or_else(|| panic!("no {prefix:?} on page {}", page + 1))
}

#[test]
fn a_letter_without_a_signer_name_keeps_room_to_sign() {
    let office = common::office_with_emblem();
    // The seed letter names no signer: the name and position are written by hand.
    let l = common::letter("p4g-invitation");
    assert!(l.signer.is_none());
    let doc = office.typeset(&l).unwrap();
    let last = doc.pages.len() - 1;
    let closing = y_of(&doc, last, "ขอแสดงความนับถือ");
    let name = y_of(&doc, last, "(");
    let owner = y_of(&doc, last, "กองพัฒนาและส่งเสริม");
    assert!(
        name - closing >= 18.0,
        "signature space {:.1} mm",
        name - closing
    );
    assert!(owner > name, "the contact block comes under the name line");
    let close = run(&doc, last, ")");
    let open = run(&doc, last, "(");
    let gap = to_mm(close.0.x - open.0.x - open.1.width);
    assert!(
        (gap - 50.0).abs() < 0.5,
        "a 50 mm blank for the name, {gap:.1}"
    );

    // A position and no name: the blank line, then the position.
    let mut l = l;
    l.signer = Some(Signer {
        positions: vec!["ผู้อำนวยการกองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น".into()],
        ..Default::default()
    });
    let doc = office.typeset(&l).unwrap();
    let last = doc.pages.len() - 1;
    let name = y_of(&doc, last, "(");
    let position = y_of(&doc, last, "ผู้อำนวยการกอง");
    assert!(position > name && position - name < 12.0);
    // And the schema takes such a signer.
    let json = serde_json::to_string(&l).unwrap();
    assert!(Letter::from_json(&json.replace("\"name\":\"\",", "")).is_ok());
}

/// The body texts as printed, squashed, to tell body lines from the letter's furniture.
fn body_texts(l: &Letter) -> Vec<String> {
    l.body
        .iter()
        .map(|b| squash(&saraban::thai::localize(b.text(), l.digits)))
        .collect()
}

#[test]
fn no_page_holds_only_the_ending() {
    let office = common::office_with_emblem();
    let filler = "องค์กรปกครองส่วนท้องถิ่นที่สนใจเข้าร่วมโครงการดังกล่าวสามารถลงทะเบียนได้ทางระบบออนไลน์ ";
    let mut checked = 0;
    let mut two_pages = 0;
    for kind in ["p4g-invitation", "stamped", "memo", "order", "announcement"] {
        let base = common::letter(kind);
        for words in 0..36 {
            let mut l = base.clone();
            l.qr = vec![Qr {
                data: "https://example.go.th/".into(),
                caption: Some("แบบตอบรับ".into()),
            }];
            let extra = filler.repeat(words);
            if let Some(BodyBlock::Text(t)) = l.body.first_mut() {
                t.push_str(&extra);
            }
            let doc = office.typeset(&l).unwrap();
            let pages = doc.pages.len() - usize::from(l.distribution.is_some());
            checked += 1;
            if pages < 2 {
                continue;
            }
            two_pages += 1;
            let bodies = body_texts(&l);
            let last = &doc.pages[pages - 1];
            let body_lines = last
                .texts()
                .filter(|(_, t)| {
                    let s = squash(&t.text);
                    s.chars().count() >= 4 && bodies.iter().any(|b| b.contains(&s))
                })
                .count();
            assert!(
                body_lines >= 2,
                "{kind} + {words} sentences: page {pages} holds {body_lines} body lines"
            );
        }
    }
    assert!(
        two_pages > 40,
        "{two_pages} of {checked} ran to a second page"
    );
}
