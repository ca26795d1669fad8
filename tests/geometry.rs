//! Geometry of the external letter, asserted on the frames in millimetres (±0.5 mm).

use crate::common;

use saraban::typeset::{to_mm, Document, Item, Point, TextRun};
use saraban::Letter;

const TOL: f32 = 0.5;

fn near(a: f32, b: f32, what: &str) {
    assert!(
        (a - b).abs() <= TOL,
        "{what}: {a:.2} mm, expected {b:.2} mm"
    );
}

fn text<'a>(doc: &'a Document, page: usize, prefix: &str) -> (Point, &'a TextRun) {
    doc.pages[page]
        .find_text(prefix)
        .unwrap_or_else(|| panic!("no text starting with {prefix:?} on page {}", page + 1))
}

fn full_letter() -> Letter {
    let mut l = common::letter("jclair-specialists");
    l.date = Some(saraban::letter::LetterDate::parse("2021-05-31").unwrap());
    l
}

#[test]
fn emblem_is_30mm_tall_centred_15mm_from_the_top() {
    let doc = common::office_with_emblem()
        .typeset(&full_letter())
        .unwrap();
    let (p, size) = doc.pages[0]
        .items
        .iter()
        .find_map(|(p, i)| match i {
            Item::Image { size, .. } => Some((*p, *size)),
            _ => None,
        })
        .expect("emblem placed");
    near(to_mm(size.h), 30.0, "emblem height");
    near(to_mm(p.y), 15.0, "emblem top");
    near(to_mm(p.x + size.w / 2.0), 105.0, "emblem centre");
    // The stand-in's ink is 100 × 120: never stretched.
    near(to_mm(size.w), 25.0, "emblem width keeps the aspect ratio");
    // Only page 1 carries it.
    assert!(doc
        .pages
        .iter()
        .skip(1)
        .all(|p| !p.items.iter().any(|(_, i)| matches!(i, Item::Image { .. }))));
}

#[test]
fn header_number_agency_and_date() {
    let doc = common::office_with_emblem()
        .typeset(&full_letter())
        .unwrap();
    let (num, _) = text(&doc, 0, "ที่ มท");
    near(to_mm(num.x), 30.0, "ที่ at the left margin");
    let (agency, run) = text(&doc, 0, "กรมส่งเสริมการปกครองท้องถิ่น");
    near(agency.y, num.y, "agency on the same line as ที่ (pt)");
    assert!(
        to_mm(agency.x) >= 105.0 - TOL,
        "agency block right of the centre line"
    );
    let (addr, addr_run) = text(&doc, 0, "ถนนนครราชสีมา");
    near(
        to_mm(addr.x),
        to_mm(agency.x),
        "address aligned with the agency name",
    );
    assert!(to_mm(addr.x + addr_run.width).max(to_mm(agency.x + run.width)) <= 190.0 + TOL);
    assert!(to_mm(num.y) > 45.0, "ที่ below the emblem");
    let (date, _) = text(&doc, 0, "๓๑ พฤษภาคม ๒๕๖๔");
    near(to_mm(date.x), 105.0, "date starts at the page centre line");
    assert!(date.y > addr.y, "date below the address block");
}

#[test]
fn draft_date_leaves_the_day_blank() {
    let doc = common::office_with_emblem()
        .typeset(&common::letter("jclair-specialists"))
        .unwrap();
    let (month, _) = text(&doc, 0, "เมษายน ๒๕๖๔");
    near(
        to_mm(month.x),
        115.0,
        "month after a 10 mm blank day from the centre line",
    );
    let (num, run) = text(&doc, 0, "ที่ มท ๐๘๑๐.๒/ว");
    assert_eq!(
        run.text, "ที่ มท ๐๘๑๐.๒/ว",
        "draft number has no running number"
    );
    near(to_mm(num.x), 30.0, "ที่");
}

#[test]
fn subject_wraps_under_its_value_not_the_label() {
    let doc = common::office_with_emblem()
        .typeset(&common::letter("green-area-training"))
        .unwrap();
    let (label, _) = text(&doc, 0, "เรื่อง");
    let (value, _) = text(&doc, 0, "ขอความอนุเคราะห์");
    near(label.y, value.y, "value on the label's line (pt)");
    let (second, _) = text(&doc, 0, "เครื่องมือระบบรายงาน");
    near(
        to_mm(second.x),
        to_mm(value.x),
        "wrapped subject line hangs under the value",
    );
    assert!(to_mm(value.x) > to_mm(label.x) + 5.0);
}

#[test]
fn enclosures_are_numbered_with_quantities_at_the_right_margin() {
    let doc = common::office_with_emblem()
        .typeset(&full_letter())
        .unwrap();
    let (one, _) = text(&doc, 0, "๑.");
    let (two, _) = text(&doc, 0, "๒.");
    near(to_mm(one.x), to_mm(two.x), "numbers aligned");
    let quantities: Vec<(Point, &TextRun)> = doc.pages[0]
        .texts()
        .filter(|(_, t)| t.text == "จำนวน ๑ ชุด")
        .collect();
    assert_eq!(quantities.len(), 2);
    for (p, t) in quantities {
        near(
            to_mm(p.x + t.width),
            190.0,
            "quantity ends at the right margin",
        );
    }
    let (label, _) = text(&doc, 0, "สิ่งที่ส่งมาด้วย");
    near(label.y, one.y, "first item on the label's line (pt)");
}

#[test]
fn body_indent_justification_closing_and_signature() {
    let doc = common::office_with_emblem()
        .typeset(&full_letter())
        .unwrap();
    let page = &doc.pages[0];
    let (first, _) = text(&doc, 0, "ด้วยกรมส่งเสริม");
    near(to_mm(first.x), 55.0, "first-line indent 2.5 cm");
    // Every justified body line ends at 190 mm; every line starts at 30 or 55 mm.
    let body_top = first.y;
    let (closing, closing_run) = text(&doc, 0, "ขอแสดงความนับถือ");
    let body: Vec<(Point, &TextRun)> = page
        .texts()
        .filter(|(p, _)| p.y >= body_top && p.y < closing.y)
        .collect();
    let mut justified = 0;
    for (i, (p, t)) in body.iter().enumerate() {
        let next_starts_paragraph = body
            .get(i + 1)
            .map(|(q, _)| (to_mm(q.x) - 55.0).abs() < TOL)
            .unwrap_or(true);
        if !next_starts_paragraph {
            near(
                to_mm(p.x + t.width),
                190.0,
                &format!("justified line {:?} right edge", t.text),
            );
            justified += 1;
        } else {
            assert!(
                to_mm(p.x + t.width) <= 190.0 + TOL,
                "last line stays inside"
            );
        }
    }
    assert!(justified >= 10, "{justified} justified lines");
    near(
        to_mm(closing.x),
        105.0,
        "closing starts at the page centre line",
    );
    let centre = closing.x + closing_run.width / 2.0;
    let (name, name_run) = text(&doc, 0, "(นายประยูร รัตนเสนีย์)");
    near(
        to_mm(name.x + name_run.width / 2.0),
        to_mm(centre),
        "name centred under the closing",
    );
    let (pos, pos_run) = text(&doc, 0, "อธิบดีกรมส่งเสริม");
    near(
        to_mm(pos.x + pos_run.width / 2.0),
        to_mm(centre),
        "position centred under the closing",
    );
    let gap = to_mm(name.y - closing.y);
    assert!(
        (23.0..26.0).contains(&gap),
        "signature space: closing to name baseline {gap:.1} mm"
    );
    let (owner, _) = text(&doc, 0, "กองพัฒนาและส่งเสริม");
    near(to_mm(owner.x), 30.0, "owner block at the left margin");
    assert!(owner.y > pos.y);
    let (phone, _) = text(&doc, 0, "โทร. ๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๒๒๑๒");
    near(to_mm(phone.x), 30.0, "phone at the left margin");
    assert_eq!(
        doc.pages.len(),
        1,
        "the J.CLAIR letter fits on one page, like LibreOffice's"
    );
}

#[test]
fn urgency_and_secrecy_marks_in_red() {
    let mut l = full_letter();
    l.urgency = Some(saraban::letter::Urgency::MostUrgent);
    l.secrecy = Some(saraban::letter::Secrecy::Confidential);
    let doc = common::office_with_emblem().typeset(&l).unwrap();
    let (u, run) = text(&doc, 0, "ด่วนที่สุด");
    near(to_mm(u.x), 30.0, "urgency at the left margin");
    let (num, _) = text(&doc, 0, "ที่ มท");
    assert!(u.y < num.y, "urgency above ที่");
    assert_eq!(run.color, saraban::typeset::Color::RED);
    assert!(
        run.size >= doc.fonts.bold.size_for(32.0) - 0.01,
        "at least 32 pt"
    );
    for page in &doc.pages {
        let marks: Vec<_> = page.texts().filter(|(_, t)| t.text == "ลับ").collect();
        assert_eq!(
            marks.len(),
            2,
            "secrecy mark at top and bottom of every page"
        );
        for (p, t) in marks {
            near(to_mm(p.x + t.width / 2.0), 105.0, "secrecy mark centred");
            assert_eq!(t.color, saraban::typeset::Color::RED);
        }
    }
}

#[test]
fn without_an_emblem_the_slot_is_kept() {
    let office = saraban::Office::new(&Default::default()).unwrap();
    let doc = office.typeset(&full_letter()).unwrap();
    let slot = doc.pages[0].items.iter().find_map(|(p, i)| match i {
        Item::Slot {
            size,
            role: saraban::typeset::frame::SlotRole::Emblem,
        } => Some((*p, *size)),
        _ => None,
    });
    let (p, size) = slot.expect("empty emblem slot");
    near(to_mm(size.h), 30.0, "slot height");
    near(to_mm(p.y), 15.0, "slot top");
}

#[test]
fn qr_codes_and_distribution_list() {
    let doc = common::office_with_emblem()
        .typeset(&common::letter("p4g-invitation"))
        .unwrap();
    let qr = doc
        .pages
        .last()
        .unwrap()
        .items
        .iter()
        .find(|(_, i)| matches!(i, Item::Shape(_)));
    assert!(qr.is_some(), "QR code drawn");
    let doc = common::office_with_emblem()
        .typeset(&common::letter("green-area-training"))
        .unwrap();
    let last = doc.pages.last().unwrap();
    assert!(
        last.find_text("บัญชีรายชื่อจังหวัดแนบท้ายหนังสือ").is_some(),
        "distribution list on its own page"
    );
    assert!(doc.pages[0].find_text("บัญชีรายชื่อ").is_none());
    assert_eq!(
        last.texts()
            .filter(|(_, t)| t.text.starts_with("ผู้ว่าราชการจังหวัด"))
            .count(),
        10
    );
}
