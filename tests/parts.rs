//! Parts of a letter a typographer looks at: the enclosure line, space around a list of
//! numbered items, and the blanks a draft's annex keeps for its number and day.

use crate::common;

use saraban::letter::{BodyBlock, Enclosure};
use saraban::typeset::layout::RIGHT_MM;
use saraban::typeset::{to_mm, Document};

fn lines_of(doc: &Document, page: usize) -> Vec<(f32, f32, f32, String)> {
    // (top y mm, x mm, right edge mm, text)
    doc.pages[page]
        .texts()
        .map(|(p, t)| (to_mm(p.y), to_mm(p.x), to_mm(p.x + t.width), t.text.clone()))
        .collect()
}

#[test]
fn only_the_last_line_of_an_enclosure_keeps_room_for_its_quantity() {
    let office = common::office_with_emblem();
    let mut l = common::letter("green-area-training");
    l.enclosures = vec![Enclosure {
        title: "รายละเอียดโครงการพัฒนาทักษะดิจิทัลการใช้เครื่องมือระบบรายงานการเพิ่มพื้นที่สีเขียวเมืองและชุมชนขององค์กรปกครองส่วนท้องถิ่น".into(),
        quantity: Some("จำนวน ๑ ฉบับ".into()),
    }];
    let doc = office.typeset(&l).unwrap();
    let lines = lines_of(&doc, 0);
    let (label_y, ..) = lines
        .iter()
        .find(|(_, _, _, t)| t == "สิ่งที่ส่งมาด้วย")
        .cloned()
        .unwrap();
    let qty = lines
        .iter()
        .find(|(_, _, _, t)| t == "จำนวน ๑ ฉบับ")
        .unwrap();
    let first = lines
        .iter()
        .find(|(y, x, _, t)| (*y - label_y).abs() < 0.1 && *x > 40.0 && t != "จำนวน ๑ ฉบับ")
        .unwrap();
    let qty_room = qty.2 - qty.1;
    // The first line runs past where the quantity starts (it has the whole column).
    assert!(
        first.2 > 210.0 - RIGHT_MM - qty_room,
        "first title line ends at {:.1} mm: {}",
        first.2,
        first.3
    );
    assert!(
        qty.0 > label_y,
        "the quantity stands on the title's last line"
    );
    assert!(
        (qty.2 - (210.0 - RIGHT_MM)).abs() < 0.3,
        "at the right margin"
    );
}

#[test]
fn a_list_of_items_has_space_after_it_as_before_it() {
    let office = common::office_with_emblem();
    let mut l = common::letter("order");
    l.body = vec![
        BodyBlock::Text("ย่อหน้าแรก".into()),
        serde_json::from_value(serde_json::json!({"text": "๑. ข้อแรก", "style": "item"})).unwrap(),
        serde_json::from_value(serde_json::json!({"text": "๒. ข้อสอง", "style": "item"})).unwrap(),
        BodyBlock::Text("ย่อหน้าหลังรายการ".into()),
        BodyBlock::Text("ย่อหน้าสุดท้าย".into()),
    ];
    let doc = office.typeset(&l).unwrap();
    let y = |t: &str| {
        lines_of(&doc, 0)
            .into_iter()
            .find(|(_, _, _, s)| s.starts_with(t))
            .unwrap()
            .0
    };
    let plain = y("ย่อหน้าสุดท้าย") - y("ย่อหน้าหลังรายการ");
    let before = y("๑. ข้อแรก") - y("ย่อหน้าแรก");
    let after = y("ย่อหน้าหลังรายการ") - y("๒. ข้อสอง");
    assert!(before > plain + 1.0, "space before the list");
    assert!(
        (after - before).abs() < 0.1,
        "the same space after it: {after:.2} vs {before:.2}"
    );
}

#[test]
fn a_draft_annex_leaves_blanks_for_its_number_and_day() {
    let office = common::office_with_emblem();
    let l = common::letter("green-area-training");
    assert!(l.number.as_ref().unwrap().running.is_none() && l.date.unwrap().day.is_none());
    let doc = office.typeset(&l).unwrap();
    let annex = doc.pages.last().unwrap();
    let sub = annex
        .texts()
        .find(|(_, t)| t.text.contains("ลงวันที่"))
        .map(|(_, t)| t.text.clone())
        .unwrap();
    assert!(
        sub.contains("/ว        "),
        "a blank after the series: {sub:?}"
    );
    assert!(
        sub.contains("ลงวันที่        มิถุนายน"),
        "a blank for the day: {sub:?}"
    );
}
