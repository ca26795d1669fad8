//! The receipt stamp (ตรารับหนังสือ, แบบที่ ๑๒ of ระเบียบงานสารบรรณ): a box 5 × 2.5 cm with
//! the receiving agency's name and the lines เลขรับ, วันที่ and เวลา, filled in. Drawn as
//! vectors (ruled box, text in the letter font), in the blue of a stamp pad, on a page of
//! exactly its size: the PDF writer overlays that page where there is room on the letter.

use crate::frame::{mm, Color, Document, Frame, Item, Point, Shape, Size};
use crate::{FontStyle, Typesetter};

/// The stamp's size (แบบที่ ๑๒: 2.5 × 5 cm).
pub const STAMP: Size = Size {
    w: 50.0 * 72.0 / 25.4,
    h: 25.0 * 72.0 / 25.4,
};

/// The ink of the stamp.
pub const INK: Color = Color(0.05, 0.15, 0.6);

/// What the stamp says, as printed (Thai digits already applied by the caller).
pub struct StampText<'a> {
    /// The receiving agency (ส่วนราชการผู้รับ).
    pub agency: &'a str,
    /// เลขรับ, e.g. ๑๒/๒๕๖๙.
    pub number: &'a str,
    /// วันที่, e.g. ๕ ธ.ค. ๒๕๖๙.
    pub date: &'a str,
    /// เวลา, e.g. ๑๐.๓๐ น.
    pub time: &'a str,
}

/// A page of the stamp's size holding the stamp.
pub fn stamp(ts: &Typesetter, text: &StampText<'_>) -> Document {
    let mut page = Frame::new(STAMP);
    let line = 0.6f32;
    let (w, h) = (STAMP.w, STAMP.h);
    // The box: four thin filled bars.
    page.push(
        Point::new(0.0, 0.0),
        Item::Shape(Shape {
            rects: vec![
                (0.0, 0.0, w, line),
                (0.0, h - line, w, line),
                (0.0, 0.0, line, h),
                (w - line, 0.0, line, h),
            ],
            color: INK,
        }),
    );
    let pitch = h / 4.0;
    let size = ts.size(FontStyle::Regular, 12.0);
    let bold = ts.size(FontStyle::Bold, 12.0);
    // The agency, centred, shrunk to fit the box.
    let mut agency_size = bold;
    let mut agency = ts.line(text.agency, FontStyle::Bold, agency_size, INK);
    while agency.width > w - mm(3.0) && agency_size > 6.0 {
        agency_size -= 0.5;
        agency = ts.line(text.agency, FontStyle::Bold, agency_size, INK);
    }
    let baseline = |i: f32| pitch * i + pitch * 0.72;
    page.push(
        Point::new((w - agency.width) / 2.0, baseline(0.0)),
        Item::Text(agency),
    );
    for (i, (label, value)) in [
        ("เลขรับ", text.number),
        ("วันที่", text.date),
        ("เวลา", text.time),
    ]
    .into_iter()
    .enumerate()
    {
        let y = baseline(i as f32 + 1.0);
        let label = ts.line(label, FontStyle::Regular, size, INK);
        let value_x = mm(2.0) + mm(11.0);
        page.push(Point::new(mm(2.0), y), Item::Text(label));
        // The dotted line the value is written on.
        page.push(
            Point::new(value_x, y + 1.5),
            Item::Shape(Shape {
                rects: (0..((w - value_x - mm(2.0)) / 3.0) as usize)
                    .map(|k| (k as f32 * 3.0, 0.0, 1.0, 0.5))
                    .collect(),
                color: INK,
            }),
        );
        let mut vs = size;
        let mut run = ts.line(value, FontStyle::Regular, vs, INK);
        while run.width > w - value_x - mm(2.5) && vs > 6.0 {
            vs -= 0.5;
            run = ts.line(value, FontStyle::Regular, vs, INK);
        }
        page.push(Point::new(value_x + mm(1.0), y - 0.5), Item::Text(run));
    }
    Document {
        pages: vec![page],
        fonts: ts.fonts.clone(),
        title: "ตรารับ".into(),
        subject: String::new(),
        author: String::new(),
        letter_data: None,
    }
}
