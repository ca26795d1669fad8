//! The appearance of an electronic signature (ลายมือชื่ออิเล็กทรอนิกส์) in the letter's
//! signature space: where a hand would sign, the words that it was signed electronically,
//! the signer's name as typed, their position and the time, in the letter's font, on a page
//! of exactly the space's size. The signing writes that page as the signature field's
//! appearance; the letter's own (ชื่อเต็ม) and position lines stay below it as printed.

use super::Geometry;
use crate::frame::{mm, Color, Document, Frame, Item, Point, Size};
use crate::{FontStyle, Typesetter};
use saraban_model::error::Result;

/// The side of the printed statement's QR code, quiet zone included (mm).
pub const STATEMENT_MM: f32 = 17.0;
/// Its distance from the bottom edge of the paper: clear of what printers cannot print.
pub const STATEMENT_BOTTOM_MM: f32 = 3.0;

/// Puts the QR code of a signed statement (`saraban-sign`'s `statement`) in the bottom
/// margin of the last page, at the right text edge: below the text (the margin is 2 cm),
/// clear of the secrecy mark (centred) and the file copy's initials (in the text area).
pub fn add_statement(doc: &mut Document, text: &str, g: Geometry) -> Result<()> {
    let side = mm(STATEMENT_MM);
    let shape = crate::qr::qr_shape_at(text, side, qrcode::EcLevel::L)?;
    if let Some(last) = doc.pages.last_mut() {
        let x = g.r() - side;
        let y = mm(g.page_h - STATEMENT_BOTTOM_MM) - side;
        last.push(Point::new(x, y), Item::Shape(shape));
    }
    Ok(())
}

/// The ink: the dark blue of a pen.
pub const INK: Color = Color(0.05, 0.12, 0.45);

/// What the appearance says, as printed (Thai digits already applied by the caller).
pub struct AppearanceText<'a> {
    /// The first line, e.g. ลงนามด้วยลายมือชื่ออิเล็กทรอนิกส์.
    pub heading: &'a str,
    /// The signer's name.
    pub name: &'a str,
    /// Their position (may be empty).
    pub position: &'a str,
    /// When, e.g. ๖ ธ.ค. ๒๕๖๙ ๑๐.๓๐ น.
    pub time: &'a str,
}

/// A page of `size` holding the appearance: the lines centred, each shrunk to the width.
pub fn appearance(ts: &Typesetter, text: &AppearanceText<'_>, size: Size) -> Document {
    let mut page = Frame::new(size);
    let lines: Vec<(&str, FontStyle)> = [
        (text.heading, FontStyle::Regular),
        (text.name, FontStyle::Bold),
        (text.position, FontStyle::Regular),
        (text.time, FontStyle::Regular),
    ]
    .into_iter()
    .filter(|(t, _)| !t.trim().is_empty())
    .collect();
    let pitch = size.h / lines.len().max(1) as f32;
    // The letter's 16 pt would not fit four lines in the space: as large as fits.
    let base = (pitch * 0.95).min(ts.size(FontStyle::Regular, 14.0));
    for (i, (line, style)) in lines.iter().enumerate() {
        let mut pt = if i == 0 { base * 0.8 } else { base };
        let mut run = ts.line(line, *style, pt, INK);
        while run.width > size.w - mm(1.0) && pt > 5.0 {
            pt -= 0.5;
            run = ts.line(line, *style, pt, INK);
        }
        let y = pitch * i as f32 + pitch * 0.78;
        page.push(Point::new((size.w - run.width) / 2.0, y), Item::Text(run));
    }
    Document {
        pages: vec![page],
        fonts: ts.fonts.clone(),
        title: "ลายมือชื่ออิเล็กทรอนิกส์".into(),
        subject: String::new(),
        author: String::new(),
        letter_data: None,
    }
}
