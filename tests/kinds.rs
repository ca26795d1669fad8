//! Every letter kind in its official form: fixtures of our own render, their text comes
//! back from the PDF, and their geometry is right on the frames (±0.5 mm).

use crate::common;

use std::process::Command;

use saraban::typeset::frame::SlotRole;
use saraban::typeset::{to_mm, Document, Item, LayoutOptions, Point, TextRun};

const TOL: f32 = 0.5;
const KINDS: &[&str] = &["memo", "stamped", "order", "announcement"];

fn near(a: f32, b: f32, what: &str) {
    assert!(
        (a - b).abs() <= TOL,
        "{what}: {a:.2} mm, expected {b:.2} mm"
    );
}

fn text<'a>(doc: &'a Document, prefix: &str) -> (Point, &'a TextRun) {
    doc.pages[0]
        .find_text(prefix)
        .unwrap_or_else(|| panic!("no text starting with {prefix:?}"))
}

fn centre(p: Point, t: &TextRun) -> f32 {
    to_mm(p.x + t.width / 2.0)
}

fn emblem(doc: &Document) -> (Point, saraban::typeset::Size) {
    doc.pages[0]
        .items
        .iter()
        .find_map(|(p, i)| match i {
            Item::Image { size, .. } => Some((*p, *size)),
            _ => None,
        })
        .expect("emblem")
}

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.pdf");
    std::fs::write(&p, pdf).unwrap();
    let out = Command::new("pdftotext").arg(&p).arg("-").output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_kind_renders_and_its_text_comes_back() {
    let office = common::office_with_emblem();
    let expect: &[(&str, &[&str])] = &[
        (
            "memo",
            &[
                "บันทึกข้อความ",
                "ส่วนราชการ",
                "กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น โทร. ๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๒๒๑๒",
                "ที่",
                "มท ๐๘๑๐.๒/๔๕",
                "วันที่",
                "๒๐ พฤศจิกายน ๒๕๖๙",
                "เรื่อง",
                "ขออนุมัติเดินทางไปราชการ",
                "เรียน อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
                "จึงเรียนมาเพื่อโปรดพิจารณาอนุมัติ",
                "(นายสมชาย ใจดี)",
                "ผู้อำนวยการกองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น",
            ],
        ),
        (
            "stamped",
            &[
                "ที่ มท ๐๘๑๐.๒/๓๑๐",
                "ถึง สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดขอนแก่น",
                "สิ่งที่ส่งมาด้วย",
                "แบบรายงานผลการดำเนินงาน",
                "จำนวน ๑ ชุด",
                "กรมส่งเสริมการปกครองท้องถิ่น",
                "๒๐ พฤศจิกายน ๒๕๖๙",
                "โทร. ๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๒๒๑๒",
                "ไปรษณีย์อิเล็กทรอนิกส์ saraban@dla.go.th",
            ],
        ),
        (
            "order",
            &[
                "คำสั่งกรมส่งเสริมการปกครองท้องถิ่น",
                "ที่ ๑๒๓/๒๕๖๙",
                "เรื่อง แต่งตั้งคณะทำงานพัฒนาระบบสารบรรณอิเล็กทรอนิกส์",
                "๒. หัวหน้ากลุ่มงาน",
                "สั่ง ณ วันที่ ๒๐ พฤศจิกายน พ.ศ. ๒๕๖๙",
                "(นายสมศักดิ์ ตั้งใจ)",
                "รองอธิบดี ปฏิบัติราชการแทน",
                "อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
            ],
        ),
        (
            "announcement",
            &[
                "ประกาศกรมส่งเสริมการปกครองท้องถิ่น",
                "เรื่อง รายชื่อผู้มีสิทธิเข้ารับการอบรม",
                "ประกาศ ณ วันที่ ๒๐ พฤศจิกายน พ.ศ. ๒๕๖๙",
                "(นายประยูร รัตนเสนีย์)",
            ],
        ),
    ];
    for (name, fields) in expect {
        let l = common::letter(name);
        let got = pdftotext(&office.render(&l).unwrap());
        for f in *fields {
            assert!(
                got.contains(&squash(f)),
                "{name}: {f:?} missing from\n{got}"
            );
        }
        for b in &l.body {
            assert!(
                got.contains(&squash(b.text())),
                "{name}: body paragraph missing"
            );
        }
        assert!(
            !got.contains('.') || !got.contains("....."),
            "{name}: dotted leaders must not be text"
        );
    }
}

#[test]
fn memo_header_geometry() {
    let office = common::office_with_emblem();
    let doc = office.typeset(&common::letter("memo")).unwrap();
    let (p, size) = emblem(&doc);
    near(to_mm(size.h), 15.0, "memo emblem height");
    near(to_mm(p.x), 30.0, "memo emblem at the left margin");
    near(to_mm(p.y), 15.0, "memo emblem top");
    let (tp, title) = text(&doc, "บันทึกข้อความ");
    near(centre(tp, title), 105.0, "title centred");
    assert!(
        (title.size - doc.fonts.bold.size_for(29.0)).abs() < 0.01,
        "title 29 pt equivalent"
    );
    assert_eq!(title.style, saraban::typeset::FontStyle::Bold);
    for label in ["ส่วนราชการ", "ที่", "วันที่", "เรื่อง"]
    {
        let (lp, run) = doc.pages[0]
            .texts()
            .find(|(_, t)| t.text == label)
            .expect(label);
        assert_eq!(run.style, saraban::typeset::FontStyle::Bold, "{label} bold");
        assert!(
            (run.size - doc.fonts.bold.size_for(20.0)).abs() < 0.01,
            "{label} 20 pt equivalent"
        );
        if label != "วันที่" {
            near(to_mm(lp.x), 30.0, &format!("{label} at the left margin"));
        }
    }
    let (no, _) = doc.pages[0].texts().find(|(_, t)| t.text == "ที่").unwrap();
    let (date, _) = doc.pages[0].texts().find(|(_, t)| t.text == "วันที่").unwrap();
    near(no.y, date.y, "ที่ and วันที่ on one line (pt)");
    near(to_mm(date.x), 110.0, "วันที่ from the middle of the line");
    // Dotted leaders run to the right margin.
    let right_end = doc.pages[0]
        .items
        .iter()
        .filter_map(|(p, i)| match i {
            Item::Shape(s) => s
                .rects
                .iter()
                .map(|r| to_mm(p.x + r.0 + r.2))
                .reduce(f32::max),
            _ => None,
        })
        .fold(0.0f32, f32::max);
    assert!(
        (187.0..=190.0 + TOL).contains(&right_end),
        "dots reach the margin: {right_end}"
    );
    assert!(
        doc.pages[0].find_text("ขอแสดงความนับถือ").is_none(),
        "a memo has no closing"
    );
}

#[test]
fn memo_on_a5() {
    let mut l = common::letter("memo");
    l.paper = Some(saraban::letter::Paper::A5);
    let doc = common::office_with_emblem().typeset(&l).unwrap();
    near(to_mm(doc.pages[0].size.w), 148.0, "A5 width");
    near(to_mm(doc.pages[0].size.h), 210.0, "A5 height");
    let (tp, title) = text(&doc, "บันทึกข้อความ");
    near(centre(tp, title), 74.0, "title centred on A5");
    for page in &doc.pages {
        for (p, t) in page.texts() {
            assert!(
                to_mm(p.x + t.width) <= 148.0 - 12.0 + TOL,
                "{:?} inside the A5 margin",
                t.text
            );
        }
    }
}

#[test]
fn stamped_letter_seal_space_and_date() {
    let doc = common::office_with_emblem()
        .typeset(&common::letter("stamped"))
        .unwrap();
    let (p, size) = emblem(&doc);
    near(to_mm(size.h), 30.0, "emblem height");
    near(to_mm(p.x + size.w / 2.0), 105.0, "emblem centred");
    let (seal_at, seal) = doc.pages[0]
        .items
        .iter()
        .find_map(|(p, i)| match i {
            Item::Slot {
                size,
                role: SlotRole::Seal,
            } => Some((*p, *size)),
            _ => None,
        })
        .expect("space for the seal");
    near(to_mm(seal.w), 45.0, "seal diameter");
    near(to_mm(seal.h), 45.0, "seal diameter");
    assert!(doc.pages[0].items.iter().any(|(_, i)| matches!(
        i,
        Item::Slot {
            role: SlotRole::Initials,
            ..
        }
    )));
    let seal_centre = to_mm(seal_at.x + seal.w / 2.0);
    let (ap, agency) = doc.pages[0]
        .texts()
        .filter(|(_, t)| t.text == "กรมส่งเสริมการปกครองท้องถิ่น")
        .last()
        .unwrap();
    near(
        centre(ap, agency),
        seal_centre,
        "agency centred over the seal",
    );
    assert!(ap.y < seal_at.y, "agency above the seal");
    let (dp, date) = text(&doc, "๒๐ พฤศจิกายน ๒๕๖๙");
    near(centre(dp, date), seal_centre, "date centred under the seal");
    assert!(to_mm(dp.y) > to_mm(seal_at.y) + 45.0, "date under the seal");
    assert!(doc.pages[0].find_text("เรียน").is_none(), "no salutation");
    let (to, _) = text(&doc, "ถึง");
    near(to_mm(to.x), 30.0, "ถึง at the left margin");
    let (owner, _) = text(&doc, "ไปรษณีย์อิเล็กทรอนิกส์ saraban@dla.go.th");
    near(to_mm(owner.x), 30.0, "owner block at the left");
    assert!(owner.y > dp.y, "owner block below the date");
}

#[test]
fn order_and_announcement_headings_are_centred() {
    let office = common::office_with_emblem();
    let doc = office.typeset(&common::letter("order")).unwrap();
    for prefix in ["คำสั่งกรมส่งเสริม", "ที่ ๑๒๓/๒๕๖๙", "เรื่อง แต่งตั้ง"]
    {
        let (p, t) = text(&doc, prefix);
        near(
            centre(p, t),
            105.0,
            &format!("{prefix} centred under the Garuda"),
        );
    }
    let (first, _) = text(&doc, "๑. ผู้อำนวยการ");
    near(to_mm(first.x), 55.0, "item starts at the paragraph indent");
    let (wrapped, _) = text(&doc, "มีหน้าที่กำกับดูแล");
    assert!(
        to_mm(wrapped.x) > 55.0 + 2.0,
        "item text hangs after its number"
    );
    let (said, _) = text(&doc, "สั่ง ณ วันที่");
    near(to_mm(said.x), 55.0, "สั่ง ณ วันที่ from the paragraph indent");
    let (name, nrun) = text(&doc, "(นายสมศักดิ์ ตั้งใจ)");
    let (own, orun) = text(&doc, "รองอธิบดี ปฏิบัติราชการแทน");
    let (covered, crun) = text(&doc, "อธิบดีกรมส่งเสริมการปกครองท้องถิ่น");
    assert!(
        name.y < own.y && own.y < covered.y,
        "signing lines in the official order"
    );
    near(
        centre(own, orun),
        centre(name, nrun),
        "position centred under the name",
    );
    near(
        centre(covered, crun),
        centre(name, nrun),
        "covered position centred under the name",
    );

    let doc = office.typeset(&common::letter("announcement")).unwrap();
    let (p, t) = text(&doc, "ประกาศกรมส่งเสริม");
    near(centre(p, t), 105.0, "ประกาศ heading centred");
    assert!(
        doc.pages[0].find_text("ที่ ").is_none(),
        "an unnumbered announcement has no ที่ line"
    );
    assert!(doc.pages[0]
        .find_text("ประกาศ ณ วันที่ ๒๐ พฤศจิกายน พ.ศ. ๒๕๖๙")
        .is_some());
}

#[test]
fn file_copy_carries_the_initials_block() {
    let office = common::office_with_emblem();
    let mut l = common::letter("jclair-specialists");
    l.initials = Some(saraban::letter::Initials {
        drafter: Some("สมหญิง".into()),
        typist: Some("สมใจ".into()),
        proofreader: Some("สมชาย".into()),
        reviewer: None,
    });
    let original = office.typeset(&l).unwrap();
    assert!(
        original.pages[0].find_text("ร่าง สมหญิง").is_none(),
        "initials only on the file copy"
    );
    let copy = office
        .typesetter()
        .typeset_with(&l, None, &LayoutOptions { file_copy: true })
        .unwrap();
    let last = copy.pages.last().unwrap();
    let mut prev = 0.0;
    for line in ["ร่าง สมหญิง", "พิมพ์ สมใจ", "ทาน สมชาย"]
    {
        let (p, t) = last.find_text(line).unwrap_or_else(|| panic!("{line}"));
        assert!(
            to_mm(p.x + t.width) <= 190.0 + TOL && to_mm(p.x + t.width) > 170.0,
            "{line} at the right"
        );
        assert!(
            to_mm(p.y) > 250.0 && to_mm(p.y) < 277.0,
            "{line} at the bottom"
        );
        assert!(p.y > prev);
        prev = p.y;
    }
    assert!(copy.pages[0].find_text("สำเนาคู่ฉบับ").is_some());
}

#[test]
fn signer_forms() {
    use saraban::letter::{Acting, Signer};
    let s = Signer {
        name: "นายสมชาย ใจดี".into(),
        positions: vec![],
        position: Some("ผู้อำนวยการกองคลัง".into()),
        acting: Some(Acting::Acting),
        for_position: Some("รองอธิบดีกรมส่งเสริมการปกครองท้องถิ่น".into()),
    };
    assert_eq!(
        s.position_lines(),
        vec![
            "ผู้อำนวยการกองคลัง รักษาราชการแทน",
            "รองอธิบดีกรมส่งเสริมการปกครองท้องถิ่น"
        ]
    );
    let json =
        r#"{"kind":"external","body":["x"],"signer":{"name":"ก","acting":"รักษาการในตำแหน่ง"}}"#;
    match saraban::Letter::from_json(json) {
        Err(saraban::Error::Input(p)) => assert_eq!(p[0].path, "signer.for_position"),
        other => panic!("{other:?}"),
    }
    let bad = r#"{"kind":"external","body":["x"],"signer":{"name":"ก","acting":"แทน"}}"#;
    assert!(saraban::Letter::from_json(bad).is_err());
}

#[test]
fn check_is_clean_on_our_fixtures_and_finds_the_examples_mistakes() {
    let office = common::office_with_emblem();
    for name in KINDS {
        let findings = office.check(&common::letter(name));
        assert!(findings.is_empty(), "{name}: false findings {findings:?}");
    }
    let green = office.check(&common::letter("green-area-training"));
    assert!(
        green
            .iter()
            .any(|f| f.en.contains("ชุมขน") && f.en.contains("ชุมชน")),
        "{green:?}"
    );
    assert!(green
        .iter()
        .any(|f| f.path == "number.prefix" && f.en.contains("๐๘20.3")));
    let jclair = office.check(&common::letter("jclair-specialists"));
    assert!(jclair
        .iter()
        .any(|f| f.path == "body[1]" && f.en.contains("2๑")));
    assert!(jclair
        .iter()
        .any(|f| f.path == "subject" && f.en.contains("๒๕๖4")));
    let p4g = office.check(&common::letter("p4g-invitation"));
    assert!(
        p4g.iter()
            .any(|f| f.level == saraban::letter::check::Level::Error
                && f.en.contains("๒๐.๐๐ – ๒๐.๐๐"))
    );
}
