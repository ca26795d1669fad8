//! The printed register (ทะเบียนหนังสือส่ง, แบบที่ 14): A4 landscape, the eight columns
//! with their heading repeated on every page, Thai digits, cells wrapped in their columns.
//!
//! A register of a busy office holds tens of thousands of letters a year, so the book is
//! laid out one row at a time by [`BookPager`]: each finished page is handed out at once
//! (to be written and dropped), and memory does not grow with the number of rows.

use super::super::font::FontStyle;
use super::super::frame::{mm, Color, Document, Frame, Item, Point, Shape, Size};
use super::super::paragraph::{Align, ParagraphSpec};
use super::super::{SetLine, Typesetter};
use saraban_thai::to_thai_digits;
use std::collections::HashMap;
use std::sync::Arc;

/// How many set cells a pager keeps.
const CELL_CACHE: usize = 256;

/// Column widths in millimetres (257 mm between 20 mm margins): the outgoing register's.
pub const WIDTHS: [f32; 8] = [18.0, 34.0, 28.0, 34.0, 36.0, 63.0, 22.0, 22.0];

/// The incoming register's (แบบทะเบียนหนังสือรับ): its การปฏิบัติ holds the routing, which
/// is longer than the outgoing register's ส่งแล้ว.
pub const INCOMING_WIDTHS: [f32; 8] = [18.0, 32.0, 26.0, 32.0, 32.0, 55.0, 42.0, 20.0];
const MARGIN: f32 = 20.0;
const TOP: f32 = 15.0;
const PAD: f32 = 1.2;
const RULE: f32 = 0.4;
const PAGE: Size = Size {
    w: 297.0 * super::super::frame::PT_PER_MM,
    h: 210.0 * super::super::frame::PT_PER_MM,
};

/// Lays out the register book one row at a time (สมุดทะเบียนหนังสือส่ง): `heading` and the
/// column titles on every page, and `footer` (the audit chain's head, so that a printed page
/// can prove the file was not rewritten later) at the foot of every page.
pub struct BookPager<'a> {
    ts: &'a Typesetter,
    heading: String,
    footer: String,
    size: f32,
    pitch: f32,
    ascent: f32,
    xs: Vec<f32>,
    widths: [f32; 8],
    head_cells: Vec<Arc<Vec<SetLine>>>,
    head_h: f32,
    /// Cells set lately, by column and text: senders, recipients and dates repeat from
    /// row to row. Cleared when full, so that a long book does not grow it.
    cells: HashMap<(usize, String), Arc<Vec<SetLine>>>,
    frame: Frame,
    rules: Vec<(f32, f32, f32, f32)>,
    page_no: usize,
    y: f32,
}

impl<'a> BookPager<'a> {
    /// A pager for one book; no page is started until the first row (or [`Self::finish`]).
    pub fn new(ts: &'a Typesetter, heading: &str, footer: &str, columns: &[&str; 8]) -> Self {
        Self::with_widths(ts, heading, footer, columns, WIDTHS)
    }

    /// A pager whose columns are `widths` millimetres wide (257 in all).
    pub fn with_widths(
        ts: &'a Typesetter,
        heading: &str,
        footer: &str,
        columns: &[&str; 8],
        widths: [f32; 8],
    ) -> Self {
        let size = ts.size(FontStyle::Regular, 14.0);
        let bold = ts.size(FontStyle::Bold, 14.0);
        let pitch = ts.profile.line_pitch * 14.0 / 16.0;
        let ascent = ts
            .fonts
            .regular
            .units(ts.fonts.regular.ascender as i32, size)
            .min(pitch);
        let xs: Vec<f32> = widths
            .iter()
            .scan(mm(MARGIN), |x, w| {
                let at = *x;
                *x += mm(*w);
                Some(at)
            })
            .collect();
        let head_cells: Vec<_> = columns
            .iter()
            .enumerate()
            .map(|(c, t)| {
                Arc::new(ts.set_uncached(&cell_spec(
                    t,
                    widths[c],
                    FontStyle::Bold,
                    bold,
                    Align::Center,
                )))
            })
            .collect();
        let head_h =
            head_cells.iter().map(|l| l.len()).max().unwrap_or(1) as f32 * pitch + 2.0 * mm(PAD);
        BookPager {
            ts,
            heading: heading.to_string(),
            footer: footer.to_string(),
            size,
            pitch,
            ascent,
            xs,
            widths,
            head_cells,
            head_h,
            cells: HashMap::new(),
            frame: Frame::new(PAGE),
            rules: Vec::new(),
            page_no: 0,
            y: 0.0,
        }
    }

    /// Pages started so far.
    pub fn pages(&self) -> usize {
        self.page_no
    }

    fn table_top(&self) -> f32 {
        mm(TOP) + self.pitch * 1.6
    }

    fn right(&self) -> f32 {
        mm(297.0 - MARGIN)
    }

    /// Starts page `page_no + 1`: title, footer and column titles.
    fn start_page(&mut self) {
        self.page_no += 1;
        let ts = self.ts;
        let title = ts.line(
            &format!(
                "{}  หน้า {}",
                self.heading,
                to_thai_digits(&self.page_no.to_string())
            ),
            FontStyle::Bold,
            ts.size(FontStyle::Bold, 16.0),
            Color::BLACK,
        );
        self.frame.push(
            Point::new(
                PAGE.w / 2.0 - title.width / 2.0,
                mm(TOP) + self.ascent * 16.0 / 14.0,
            ),
            Item::Text(title),
        );
        if !self.footer.is_empty() {
            let foot = ts.line(
                &self.footer,
                FontStyle::Regular,
                ts.size(FontStyle::Regular, 10.0),
                Color::BLACK,
            );
            self.frame
                .push(Point::new(mm(MARGIN), mm(210.0 - 8.0)), Item::Text(foot));
        }
        let top = self.table_top();
        for (c, lines) in self.head_cells.iter().enumerate() {
            for (k, l) in lines.iter().enumerate() {
                self.frame.push(
                    Point::new(
                        self.xs[c] + mm(PAD) + l.x,
                        top + mm(PAD) + k as f32 * self.pitch + self.ascent,
                    ),
                    Item::Text(l.run.clone()),
                );
            }
        }
        let (left, right) = (mm(MARGIN), self.right());
        self.rules.push((left, top, right - left, RULE));
        self.rules
            .push((left, top + self.head_h, right - left, RULE));
        self.y = top + self.head_h;
    }

    /// Draws the column rules and hands out the page.
    fn close_page(&mut self) -> Frame {
        let (top, y) = (self.table_top(), self.y);
        for x in self.xs.iter().copied().chain(std::iter::once(self.right())) {
            self.rules.push((x - RULE / 2.0, top, RULE, y - top));
        }
        let mut frame = std::mem::replace(&mut self.frame, Frame::new(PAGE));
        frame.push(
            Point::new(0.0, 0.0),
            Item::Shape(Shape {
                rects: std::mem::take(&mut self.rules),
                color: Color::BLACK,
            }),
        );
        frame
    }

    /// Adds one row (its cells as printed, before Thai digits). Returns the pages this row
    /// filled, when it had to start new ones. A row taller than what is left of the page
    /// goes to the next; one taller than a whole page (a long cancellation reason) is split
    /// between its lines and goes on over as many pages as it needs: no line is ever lost
    /// below the bottom.
    pub fn row(&mut self, row: &[String; 8]) -> Vec<Frame> {
        let cells: Vec<_> = row
            .iter()
            .enumerate()
            .map(|(c, t)| self.cell(c, to_thai_digits(t)))
            .collect();
        let n = cells.iter().map(|l| l.len().max(1)).max().unwrap_or(1);
        let (pitch, pad) = (self.pitch, mm(PAD));
        let bottom = mm(210.0 - 15.0);
        let room = |y: f32| (((bottom - y - 2.0 * pad) / pitch) + 1e-3).floor().max(0.0) as usize;
        let mut done = Vec::new();
        if self.page_no == 0 {
            self.start_page();
        } else {
            let fresh = room(self.table_top() + self.head_h);
            // To the next page when it does not fit here but would there, or when not even
            // one of its lines fits here.
            if room(self.y) < n && (n <= fresh || room(self.y) == 0) {
                done.push(self.close_page());
                self.start_page();
            }
        }
        let mut from = 0;
        loop {
            let take = room(self.y).max(1).min(n - from);
            for (c, lines) in cells.iter().enumerate() {
                for (k, l) in lines.iter().enumerate().skip(from).take(take) {
                    self.frame.push(
                        Point::new(
                            self.xs[c] + pad + l.x,
                            self.y + pad + (k - from) as f32 * pitch + self.ascent,
                        ),
                        Item::Text(l.run.clone()),
                    );
                }
            }
            self.y += take as f32 * pitch + 2.0 * pad;
            let (left, right) = (mm(MARGIN), self.right());
            self.rules.push((left, self.y, right - left, RULE));
            from += take;
            if from >= n {
                break;
            }
            done.push(self.close_page());
            self.start_page();
        }
        done
    }

    /// A body cell, set once for as long as it stays in the pager's small cache.
    fn cell(&mut self, col: usize, text: String) -> Arc<Vec<SetLine>> {
        let key = (col, text);
        if let Some(hit) = self.cells.get(&key) {
            return hit.clone();
        }
        let align = if col == 0 { Align::Center } else { Align::Left };
        let lines = Arc::new(self.ts.set_uncached(&cell_spec(
            &key.1,
            self.widths[col],
            FontStyle::Regular,
            self.size,
            align,
        )));
        if self.cells.len() >= CELL_CACHE {
            self.cells.clear();
        }
        self.cells.insert(key, lines.clone());
        lines
    }

    /// The last page (the only one, with the headings and no rows, for an empty year).
    pub fn finish(mut self) -> Frame {
        if self.page_no == 0 {
            self.start_page();
        }
        self.close_page()
    }
}

fn cell_spec(
    text: &str,
    width_mm: f32,
    style: FontStyle,
    size: f32,
    align: Align,
) -> ParagraphSpec<'_> {
    ParagraphSpec {
        text,
        style,
        size,
        width: mm(width_mm) - 2.0 * mm(PAD),
        first_indent: 0.0,
        rest_indent: 0.0,
        align,
        color: Color::BLACK,
    }
}

/// Lays out the whole register book at once (for a small book, and the tests).
pub fn book(
    ts: &Typesetter,
    heading: &str,
    footer: &str,
    columns: &[&str; 8],
    rows: &[[String; 8]],
) -> Document {
    let mut pager = BookPager::new(ts, heading, footer, columns);
    let mut pages: Vec<Frame> = rows.iter().flat_map(|r| pager.row(r)).collect();
    pages.push(pager.finish());
    book_document(ts, heading, pages)
}

/// The document around the book's pages (its fonts and metadata).
pub fn book_document(ts: &Typesetter, heading: &str, pages: Vec<Frame>) -> Document {
    Document {
        pages,
        fonts: ts.fonts.clone(),
        title: heading.to_string(),
        subject: "ทะเบียนหนังสือส่ง".into(),
        author: String::new(),
        letter_data: None,
    }
}
