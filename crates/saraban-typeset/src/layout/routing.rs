//! The routing sheet (ใบเกษียนหนังสือ): what a clerk prints and clips to a received letter
//! so that its history travels with it — the receipt (เลขรับ, when, from whom, what), then
//! each routing step in order: the clerk's summary and proposal, the chief's order (who,
//! what, when), each hand-over, and what was done, each with who wrote it and when. An A4
//! page in the letter's margins; a long history goes on over more pages, never cut.

use super::super::font::FontStyle;
use super::super::frame::{mm, Color, Document, Frame, Item, Point, Shape, Size};
use super::super::paragraph::{Align, ParagraphSpec};
use super::super::Typesetter;
use super::{BOTTOM_MM, LEFT_MM, PAGE_H_MM, PAGE_W_MM, RIGHT_MM};
use saraban_thai::to_thai_digits;

const TOP_MM: f32 = 20.0;
/// The width of the labels of the receipt's fields.
const LABEL_MM: f32 = 32.0;
const RULE: f32 = 0.5;

/// One step of the sheet, as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetStep {
    /// What the step is (เสนอ, สั่งการ, ส่งต่อ, ดำเนินการแล้ว).
    pub heading: String,
    /// Its text, paragraphs parted by new lines.
    pub text: String,
    /// Who wrote it and when, as signed under it: `(นายสมชาย ใจดี) ๕ ธ.ค. ๒๕๖๙ ๑๐.๓๐ น.`
    pub signed: String,
}

/// What the sheet says, as printed (digits are made Thai here).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoutingSheet {
    /// The receiving office.
    pub agency: String,
    /// The receipt's fields, label and value, in order (เลขรับ, วันที่รับ, ที่, ลงวันที่, จาก,
    /// ถึง, เรื่อง, ชั้นความเร็ว, กำหนดเสร็จ …).
    pub fields: Vec<(String, String)>,
    /// The routing, oldest first.
    pub steps: Vec<SheetStep>,
    /// The foot of every page (where it was printed from).
    pub footer: String,
}

/// Lays the sheet out on as many A4 pages as it needs.
pub fn routing_sheet(ts: &Typesetter, sheet: &RoutingSheet) -> Document {
    let mut pager = Pager::new(ts, &sheet.footer);
    pager.centred("ใบเกษียนหนังสือ", FontStyle::Bold, 20.0);
    if !sheet.agency.trim().is_empty() {
        pager.centred(&sheet.agency, FontStyle::Regular, 16.0);
    }
    pager.gap(mm(3.0));
    pager.rule();
    for (label, value) in &sheet.fields {
        pager.labelled(label, value);
    }
    pager.gap(mm(2.0));
    pager.rule();
    if sheet.steps.is_empty() {
        pager.paragraph("ยังไม่มีการเสนอหรือสั่งการ", FontStyle::Regular, 0.0, Align::Left);
    }
    for step in &sheet.steps {
        pager.gap(mm(2.0));
        pager.paragraph(&step.heading, FontStyle::Bold, 0.0, Align::Left);
        for para in step.text.lines().filter(|l| !l.trim().is_empty()) {
            pager.paragraph(para.trim(), FontStyle::Regular, mm(10.0), Align::Left);
        }
        if !step.signed.trim().is_empty() {
            pager.paragraph(&step.signed, FontStyle::Regular, mm(10.0), Align::Right);
        }
    }
    Document {
        pages: pager.finish(),
        fonts: ts.fonts.clone(),
        title: "ใบเกษียนหนังสือ".into(),
        subject: "ทะเบียนหนังสือรับ".into(),
        author: String::new(),
        letter_data: None,
    }
}

/// Fills pages top to bottom, line by line.
struct Pager<'a> {
    ts: &'a Typesetter,
    footer: String,
    pitch: f32,
    ascent: f32,
    pages: Vec<Frame>,
    frame: Frame,
    rules: Vec<(f32, f32, f32, f32)>,
    y: f32,
}

const PAGE: Size = Size {
    w: PAGE_W_MM * super::super::frame::PT_PER_MM,
    h: PAGE_H_MM * super::super::frame::PT_PER_MM,
};

impl<'a> Pager<'a> {
    fn new(ts: &'a Typesetter, footer: &str) -> Self {
        let pitch = ts.profile.line_pitch;
        let size = ts.size(FontStyle::Regular, 16.0);
        let ascent = ts
            .fonts
            .regular
            .units(ts.fonts.regular.ascender as i32, size)
            .min(pitch);
        let mut p = Pager {
            ts,
            footer: footer.to_string(),
            pitch,
            ascent,
            pages: Vec::new(),
            frame: Frame::new(PAGE),
            rules: Vec::new(),
            y: mm(TOP_MM),
        };
        p.start();
        p
    }

    fn width(&self) -> f32 {
        mm(PAGE_W_MM - LEFT_MM - RIGHT_MM)
    }

    fn bottom(&self) -> f32 {
        mm(PAGE_H_MM - BOTTOM_MM)
    }

    fn start(&mut self) {
        self.y = mm(TOP_MM);
        let n = self.pages.len() + 1;
        if n > 1 {
            let mark = self.ts.line(
                &format!("ใบเกษียนหนังสือ (ต่อ) หน้า {}", to_thai_digits(&n.to_string())),
                FontStyle::Regular,
                self.ts.size(FontStyle::Regular, 14.0),
                Color::BLACK,
            );
            self.frame.push(
                Point::new(PAGE.w / 2.0 - mark.width / 2.0, self.y + self.ascent),
                Item::Text(mark),
            );
            self.y += self.pitch * 1.5;
        }
        if !self.footer.is_empty() {
            let foot = self.ts.line(
                &to_thai_digits(&self.footer),
                FontStyle::Regular,
                self.ts.size(FontStyle::Regular, 10.0),
                Color::BLACK,
            );
            self.frame.push(
                Point::new(mm(LEFT_MM), mm(PAGE_H_MM - 10.0)),
                Item::Text(foot),
            );
        }
    }

    fn close(&mut self) {
        let mut frame = std::mem::replace(&mut self.frame, Frame::new(PAGE));
        if !self.rules.is_empty() {
            frame.push(
                Point::new(0.0, 0.0),
                Item::Shape(Shape {
                    rects: std::mem::take(&mut self.rules),
                    color: Color::BLACK,
                }),
            );
        }
        self.pages.push(frame);
    }

    /// Room for `lines` more lines here, else a new page.
    fn room(&mut self, lines: usize) {
        if self.y + lines as f32 * self.pitch > self.bottom() {
            self.close();
            self.start();
        }
    }

    fn gap(&mut self, h: f32) {
        self.y += h;
    }

    fn rule(&mut self) {
        self.room(1);
        self.rules.push((mm(LEFT_MM), self.y, self.width(), RULE));
        self.y += mm(2.0);
    }

    fn centred(&mut self, text: &str, style: FontStyle, pt: f32) {
        let run = self.ts.line(
            &to_thai_digits(text),
            style,
            self.ts.size(style, pt),
            Color::BLACK,
        );
        let pitch = self.pitch * pt / 16.0;
        self.room(1);
        self.frame.push(
            Point::new(
                PAGE.w / 2.0 - run.width / 2.0,
                self.y + self.ascent * pt / 16.0,
            ),
            Item::Text(run),
        );
        self.y += pitch;
    }

    /// A paragraph set in the column from `indent`, each line placed, a page turned
    /// between lines where the page is full.
    fn paragraph(&mut self, text: &str, style: FontStyle, indent: f32, align: Align) {
        let text = to_thai_digits(text);
        let lines = self.ts.set_uncached(&ParagraphSpec {
            text: &text,
            style,
            size: self.ts.size(style, 16.0),
            width: self.width() - indent,
            first_indent: 0.0,
            rest_indent: 0.0,
            align,
            color: Color::BLACK,
        });
        for l in lines {
            self.room(1);
            self.frame.push(
                Point::new(mm(LEFT_MM) + indent + l.x, self.y + self.ascent),
                Item::Text(l.run),
            );
            self.y += self.pitch;
        }
    }

    /// A field of the receipt: its label in the left column, its value wrapped beside it.
    fn labelled(&mut self, label: &str, value: &str) {
        let value = to_thai_digits(value);
        let size = self.ts.size(FontStyle::Regular, 16.0);
        let lines = self.ts.set_uncached(&ParagraphSpec {
            text: if value.trim().is_empty() { "-" } else { &value },
            style: FontStyle::Regular,
            size,
            width: self.width() - mm(LABEL_MM),
            first_indent: 0.0,
            rest_indent: 0.0,
            align: Align::Left,
            color: Color::BLACK,
        });
        let label = self.ts.line(
            label,
            FontStyle::Bold,
            self.ts.size(FontStyle::Bold, 16.0),
            Color::BLACK,
        );
        self.room(1);
        self.frame.push(
            Point::new(mm(LEFT_MM), self.y + self.ascent),
            Item::Text(label),
        );
        for l in lines {
            self.room(1);
            self.frame.push(
                Point::new(mm(LEFT_MM + LABEL_MM) + l.x, self.y + self.ascent),
                Item::Text(l.run),
            );
            self.y += self.pitch;
        }
    }

    fn finish(mut self) -> Vec<Frame> {
        self.close();
        self.pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FontSet, Profile};

    impl Typesetter {
        fn for_tests() -> Typesetter {
            Typesetter::new(FontSet::bundled().expect("Laksaman"), Profile::default())
        }
    }

    fn sheet(steps: usize) -> RoutingSheet {
        RoutingSheet {
            agency: "องค์การบริหารส่วนตำบลบางรัก".into(),
            fields: vec![
                ("เลขรับ".into(), "12/2569".into()),
                ("เรื่อง".into(), "ขอเชิญประชุม".into()),
            ],
            steps: (0..steps)
                .map(|i| SheetStep {
                    heading: "สั่งการ".into(),
                    text: format!("ทราบ มอบกองคลังดำเนินการ ครั้งที่ {i}"),
                    signed: "(นายก อบต.) 5 ธ.ค. 2569".into(),
                })
                .collect(),
            footer: "ทะเบียนหนังสือรับ".into(),
        }
    }

    #[test]
    fn a_sheet_holds_the_receipt_and_every_step_in_order() {
        let ts = Typesetter::for_tests();
        let doc = routing_sheet(&ts, &sheet(3));
        assert_eq!(doc.pages.len(), 1);
        let text: Vec<String> = doc.pages[0].texts().map(|(_, r)| r.text.clone()).collect();
        assert!(text.iter().any(|t| t == "ใบเกษียนหนังสือ"));
        assert!(text.iter().any(|t| t.contains("๑๒/๒๕๖๙")), "{text:?}");
        let firsts: Vec<usize> = (0..3)
            .map(|i| {
                let want = format!("ครั้งที่ {}", to_thai_digits(&i.to_string()));
                text.iter()
                    .position(|t| t.contains(&want))
                    .expect("each step")
            })
            .collect();
        assert!(firsts.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_long_history_goes_on_over_pages_and_nothing_leaves_the_page() {
        let ts = Typesetter::for_tests();
        let doc = routing_sheet(&ts, &sheet(40));
        assert!(doc.pages.len() >= 2, "{}", doc.pages.len());
        let mut steps = 0;
        for page in &doc.pages {
            for (at, run) in page.texts() {
                assert!(at.y < mm(PAGE_H_MM - 5.0), "{} at {}", run.text, at.y);
                if run.text.contains("ทราบ มอบกองคลัง") {
                    steps += 1;
                    assert!(at.y <= mm(PAGE_H_MM - BOTTOM_MM) + 1.0);
                }
            }
        }
        assert_eq!(steps, 40);
    }
}
