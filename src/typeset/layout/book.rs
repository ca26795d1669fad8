//! The printed register (ทะเบียนหนังสือส่ง, แบบที่ 14): A4 landscape, the eight columns
//! with their heading repeated on every page, Thai digits, cells wrapped in their columns.

use super::super::font::FontStyle;
use super::super::frame::{mm, Color, Document, Frame, Item, Point, Shape, Size};
use super::super::paragraph::{Align, ParagraphSpec};
use super::super::Typesetter;
use crate::thai::to_thai_digits;

/// Column widths in millimetres (257 mm between 20 mm margins).
const WIDTHS: [f32; 8] = [18.0, 34.0, 28.0, 34.0, 36.0, 63.0, 22.0, 22.0];
const MARGIN: f32 = 20.0;
const TOP: f32 = 15.0;
const PAD: f32 = 1.2;
const RULE: f32 = 0.4;

/// Lays out the register book: `heading` on every page, then the column titles and rows,
/// and `footer` (the audit chain's head, so that a printed page can prove the file was not
/// rewritten later) at the foot of every page.
pub fn book(
    ts: &Typesetter,
    heading: &str,
    footer: &str,
    columns: &[&str; 8],
    rows: &[[String; 8]],
) -> Document {
    let page = Size {
        w: mm(297.0),
        h: mm(210.0),
    };
    let size = ts.size(FontStyle::Regular, 14.0);
    let bold = ts.size(FontStyle::Bold, 14.0);
    let pitch = ts.profile.line_pitch * 14.0 / 16.0;
    let ascent = ts
        .fonts
        .regular
        .units(ts.fonts.regular.ascender as i32, size)
        .min(pitch);
    let xs: Vec<f32> = WIDTHS
        .iter()
        .scan(mm(MARGIN), |x, w| {
            let at = *x;
            *x += mm(*w);
            Some(at)
        })
        .collect();
    let right = mm(297.0 - MARGIN);
    let set_cell = |text: &str, col: usize, style: FontStyle, align: Align| {
        ts.set(&ParagraphSpec {
            text,
            style,
            size: if style == FontStyle::Bold { bold } else { size },
            width: mm(WIDTHS[col]) - 2.0 * mm(PAD),
            first_indent: 0.0,
            rest_indent: 0.0,
            align,
            color: Color::BLACK,
        })
    };
    let head_cells: Vec<_> = columns
        .iter()
        .enumerate()
        .map(|(c, t)| set_cell(t, c, FontStyle::Bold, Align::Center))
        .collect();
    let head_h =
        head_cells.iter().map(|l| l.len()).max().unwrap_or(1) as f32 * pitch + 2.0 * mm(PAD);
    let bottom = mm(210.0 - 15.0);
    let mut pages: Vec<Frame> = Vec::new();
    let mut frame = Frame::new(page);
    let mut y = 0.0;
    let mut page_no = 0;
    let mut rules: Vec<(f32, f32, f32, f32)> = Vec::new();
    let start_page =
        |frame: &mut Frame, page_no: usize, rules: &mut Vec<(f32, f32, f32, f32)>| -> f32 {
            let title = ts.line(
                &format!("{heading}  หน้า {}", to_thai_digits(&page_no.to_string())),
                FontStyle::Bold,
                ts.size(FontStyle::Bold, 16.0),
                Color::BLACK,
            );
            frame.push(
                Point::new(
                    page.w / 2.0 - title.width / 2.0,
                    mm(TOP) + ascent * 16.0 / 14.0,
                ),
                Item::Text(title),
            );
            if !footer.is_empty() {
                let foot = ts.line(
                    footer,
                    FontStyle::Regular,
                    ts.size(FontStyle::Regular, 10.0),
                    Color::BLACK,
                );
                frame.push(Point::new(mm(MARGIN), mm(210.0 - 8.0)), Item::Text(foot));
            }
            let top = mm(TOP) + pitch * 1.6;
            for (c, lines) in head_cells.iter().enumerate() {
                for (k, l) in lines.iter().enumerate() {
                    frame.push(
                        Point::new(
                            xs[c] + mm(PAD) + l.x,
                            top + mm(PAD) + k as f32 * pitch + ascent,
                        ),
                        Item::Text(l.run.clone()),
                    );
                }
            }
            rules.push((mm(MARGIN), top, right - mm(MARGIN), RULE));
            rules.push((mm(MARGIN), top + head_h, right - mm(MARGIN), RULE));
            top + head_h
        };
    let close_page =
        |frame: &mut Frame, rules: &mut Vec<(f32, f32, f32, f32)>, top: f32, y: f32| {
            for x in xs.iter().copied().chain(std::iter::once(right)) {
                rules.push((x - RULE / 2.0, top, RULE, y - top));
            }
            frame.push(
                Point::new(0.0, 0.0),
                Item::Shape(Shape {
                    rects: std::mem::take(rules),
                    color: Color::BLACK,
                }),
            );
        };
    let mut table_top = 0.0;
    for row in rows {
        let cells: Vec<_> = row
            .iter()
            .enumerate()
            .map(|(c, t)| {
                set_cell(
                    &to_thai_digits(t),
                    c,
                    FontStyle::Regular,
                    if c == 0 { Align::Center } else { Align::Left },
                )
            })
            .collect();
        let h =
            cells.iter().map(|l| l.len().max(1)).max().unwrap_or(1) as f32 * pitch + 2.0 * mm(PAD);
        if page_no == 0 || y + h > bottom {
            if page_no > 0 {
                close_page(&mut frame, &mut rules, table_top, y);
                pages.push(std::mem::replace(&mut frame, Frame::new(page)));
            }
            page_no += 1;
            table_top = mm(TOP) + pitch * 1.6;
            y = start_page(&mut frame, page_no, &mut rules);
        }
        for (c, lines) in cells.iter().enumerate() {
            for (k, l) in lines.iter().enumerate() {
                frame.push(
                    Point::new(
                        xs[c] + mm(PAD) + l.x,
                        y + mm(PAD) + k as f32 * pitch + ascent,
                    ),
                    Item::Text(l.run.clone()),
                );
            }
        }
        y += h;
        rules.push((mm(MARGIN), y, right - mm(MARGIN), RULE));
    }
    if page_no == 0 {
        page_no = 1;
        table_top = mm(TOP) + pitch * 1.6;
        y = start_page(&mut frame, page_no, &mut rules);
    }
    close_page(&mut frame, &mut rules, table_top, y);
    pages.push(frame);
    Document {
        pages,
        fonts: ts.fonts.clone(),
        title: heading.to_string(),
        subject: "ทะเบียนหนังสือส่ง".into(),
        author: String::new(),
    }
}
