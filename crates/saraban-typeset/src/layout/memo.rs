//! บันทึกข้อความ (memos): ../shared/docs/letter-format.md §2.2, §3.2.
//!
//! The Garuda 15 mm tall at the left margin, 15 mm from the top; the title บันทึกข้อความ
//! centred, bold 29 pt on a 35 pt line; the header labels ส่วนราชการ, ที่ and วันที่ (on one
//! line), เรื่อง, bold 20 pt, each value standing on a dotted line that runs to the margin;
//! then เรียน, the body and the signature, with no closing phrase. A4 or A5.

use std::sync::Arc;

use super::super::font::FontStyle;
use super::super::frame::{mm, Color, Frame, Item, Point, Shape};
use super::super::paragraph::{Align, ParagraphSpec};
use super::super::{Graphic, Typesetter};
use super::parts::{body, copies_to, label_gap, qr_codes, recipient_line, signature, PART_GAP};
use super::{
    decorate, finish, frames, paginate, place_emblem, urgency_run, Block, Flow, Geometry,
    LayoutOptions, PageArea, EMBLEM_TOP_MM, PAGE_NUMBER_TOP_MM,
};
use saraban_model::error::Result;
use saraban_model::letter::Letter;
use saraban_thai::format_date;

/// Height of the memo emblem (1.5 cm).
pub const MEMO_EMBLEM_MM: f32 = 15.0;
/// The title's size, as TH Sarabun points.
pub const TITLE_PT: f32 = 29.0;
/// The title's line height ("Exactly 35 pt").
pub const TITLE_LINE: f32 = 35.0;
/// The header labels' size, as TH Sarabun points.
pub const LABEL_PT: f32 = 20.0;

pub(crate) fn layout(
    ts: &Typesetter,
    letter: &Letter,
    emblem: Option<&Arc<Graphic>>,
    opts: &LayoutOptions,
) -> Result<Vec<Frame>> {
    let g = Geometry::for_letter(letter);
    let mut flow = Flow::new(ts, letter.digits);
    let (l, r, c) = (g.l(), g.r(), g.c());
    let gap = label_gap(&flow);
    let label_size = ts.size(FontStyle::Bold, LABEL_PT);
    let header_pitch = flow.pitch * LABEL_PT / 16.0;
    let header_ascent = flow.ascent * LABEL_PT / 16.0;

    // ส่วนราชการ: the owning unit, with its telephone and e-mail.
    let unit = letter.memo_unit(|s| flow.print(s).into_owned());
    let header = Header {
        ts,
        label_size,
        pitch: header_pitch,
        ascent: header_ascent,
        body_size: flow.size,
        r,
    };
    header.field(&mut flow, 0.0, "ส่วนราชการ", &unit.join(" "), l, r);

    // ที่ in the left half, วันที่ from the middle of the line.
    let mid = l + (r - l) / 2.0;
    let number = flow.print(&letter.number_text()).into_owned();
    let date = letter.date.map(|d| format_date(&d, letter.digits));
    let date_text = date
        .as_ref()
        .map(|d| d.month_year.clone())
        .unwrap_or_default();
    let (mut items, _) = header.labelled_run("ที่", &number, l, mid - gap);
    let (date_items, date_value_x) = header.labelled_run("วันที่", "", mid, r);
    items.extend(date_items);
    if let Some(d) = &date {
        // A draft's day is left blank on the dotted line.
        let x = if d.day.is_some() {
            date_value_x
        } else {
            date_value_x + mm(10.0)
        };
        let text = if d.day.is_some() {
            d.joined()
        } else {
            date_text
        };
        let run = ts.line(&text, FontStyle::Regular, flow.size, Color::BLACK);
        items.push((Point::new(x, header.ascent), Item::Text(run)));
    }
    flow.blocks.push(Block {
        space_before: 0.0,
        height: header.pitch,
        items,
        keep_with_next: true,
        flex: 0.0,
    });

    if let Some(s) = &letter.subject {
        let s = flow.print(s).into_owned();
        header.field(&mut flow, 0.0, "เรื่อง", &s, l, r);
    }
    if let Some(sal) = letter.salutation_or_default() {
        recipient_line(&mut flow, letter, sal, l, r, gap);
    }
    body(&mut flow, letter, l, r);
    signature(&mut flow, letter, None, c, r);
    copies_to(&mut flow, letter, l, r, gap, true);
    qr_codes(&mut flow, letter, r, None)?;

    let emblem_h = mm(MEMO_EMBLEM_MM);
    let top = mm(EMBLEM_TOP_MM);
    let area = PageArea {
        first_top: (top + emblem_h).max(top + TITLE_LINE) + PART_GAP,
        next_top: mm(PAGE_NUMBER_TOP_MM) + 2.0 * flow.pitch,
        bottom: g.bottom(),
    };
    let mut pages = frames(paginate(flow.take_blocks(), area), g.size());
    if let Some(first) = pages.first_mut() {
        let ew = emblem
            .map(|e| emblem_h * e.aspect())
            .unwrap_or(emblem_h * 0.92);
        place_emblem(first, emblem, l + ew / 2.0, top, emblem_h);
        let title_size = ts.size(FontStyle::Bold, TITLE_PT);
        let title = ts.line("บันทึกข้อความ", FontStyle::Bold, title_size, Color::BLACK);
        // Baseline where TH Sarabun's would fall on an "exactly 35 pt" line.
        let baseline = top + TITLE_LINE * 0.8;
        first.push(
            Point::new(c - title.width / 2.0, baseline),
            Item::Text(title),
        );
        if let Some(u) = letter.urgency {
            // Between the Garuda and the title, in red.
            let run = urgency_run(ts, u);
            first.push(Point::new(l + ew + mm(4.0), baseline), Item::Text(run));
        }
    }
    decorate(&flow, &mut pages, letter, g);
    finish(&flow, &mut pages, letter, g, opts);
    Ok(pages)
}

/// The memo's header lines: a bold label and a value on a dotted line.
struct Header<'t> {
    ts: &'t Typesetter,
    label_size: f32,
    pitch: f32,
    ascent: f32,
    body_size: f32,
    r: f32,
}

/// Dots of the leader: spacing and size in points.
const DOT_STEP: f32 = 2.6;
const DOT: f32 = 0.55;

impl Header<'_> {
    /// A label, and where its value starts; with the dotted line from there to `end`.
    fn labelled_run(
        &self,
        label: &str,
        value: &str,
        x: f32,
        end: f32,
    ) -> (Vec<(Point, Item)>, f32) {
        let label_run = self
            .ts
            .line(label, FontStyle::Bold, self.label_size, Color::BLACK);
        let vx = x + label_run.width + 0.3 * self.body_size;
        let mut items = vec![(Point::new(x, self.ascent), Item::Text(label_run))];
        items.push((
            Point::new(vx, self.ascent + 1.8),
            Item::Shape(dots(end - vx)),
        ));
        if !value.is_empty() {
            let run = self
                .ts
                .line(value, FontStyle::Regular, self.body_size, Color::BLACK);
            items.push((
                Point::new(vx + 0.2 * self.body_size, self.ascent),
                Item::Text(run),
            ));
        }
        (items, vx + 0.2 * self.body_size)
    }

    /// A whole header field: label, value wrapped under itself, dots under every line.
    fn field(
        &self,
        flow: &mut Flow<'_>,
        space_before: f32,
        label: &str,
        value: &str,
        l: f32,
        r: f32,
    ) {
        let (mut items, vx) = self.labelled_run(label, "", l, r);
        let lines = self.ts.set(&ParagraphSpec {
            text: value,
            style: FontStyle::Regular,
            size: self.body_size,
            width: r - vx,
            first_indent: 0.0,
            rest_indent: 0.0,
            align: Align::Left,
            color: Color::BLACK,
        });
        let mut iter = lines.iter();
        if let Some(first) = iter.next() {
            items.push((
                Point::new(vx + first.x, self.ascent),
                Item::Text(first.run.clone()),
            ));
        }
        flow.blocks.push(Block {
            space_before,
            height: self.pitch,
            items,
            keep_with_next: true,
            flex: 0.0,
        });
        for line in iter {
            let items = vec![
                (
                    Point::new(vx - 0.2 * self.body_size, self.ascent + 1.8),
                    Item::Shape(dots(self.r - vx + 0.2 * self.body_size)),
                ),
                (
                    Point::new(vx + line.x, self.ascent),
                    Item::Text(line.run.clone()),
                ),
            ];
            flow.blocks.push(Block {
                space_before: 0.0,
                height: self.pitch,
                items,
                keep_with_next: true,
                flex: 0.0,
            });
        }
    }
}

/// A dotted leader `width` long, as little squares (drawn, not typed: copying the text gives
/// no dots).
fn dots(width: f32) -> Shape {
    let n = (width / DOT_STEP).floor().max(0.0) as usize;
    Shape {
        rects: (0..n)
            .map(|i| (i as f32 * DOT_STEP, -DOT / 2.0, DOT, DOT))
            .collect(),
        color: Color::BLACK,
    }
}
