//! Frames: pages of positioned items, the only thing the PDF writer sees.
//!
//! Units are points (1/72 in) as `f32`, measured from the page's top-left corner with y
//! growing downwards, the way a clerk measures a page with a ruler. [`mm`] and [`to_mm`]
//! convert. Text items carry their glyphs already shaped, broken and justified, plus the
//! text they stand for, so the writer never decides where anything goes.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

pub use super::color::Color;
use super::emblem::Graphic;
use super::font::FontStyle;

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// Millimetres to points.
pub fn mm(v: f32) -> f32 {
    v * PT_PER_MM
}

/// Points to millimetres.
pub fn to_mm(v: f32) -> f32 {
    v / PT_PER_MM
}

/// A position on the page, in points from the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// From the left edge.
    pub x: f32,
    /// From the top edge, downwards.
    pub y: f32,
}

impl Point {
    /// A point from coordinates in points.
    pub fn new(x: f32, y: f32) -> Self {
        Point { x, y }
    }
}

/// A size in points.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Size {
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

/// One glyph of a text run.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the run's font.
    pub id: u16,
    /// Offset from the run's origin, in points (x to the right).
    pub x: f32,
    /// Offset from the baseline, in points (up is positive, as fonts measure it).
    pub y: f32,
    /// The text this glyph stands for when copied on its own (empty for a glyph whose
    /// text another glyph carries: the nikhahit of a decomposed ำ).
    pub text: String,
    /// Drawn as an outline rather than as text: a glyph that stands for no text, or a mark
    /// the font moves away from where the pen stands (over ป, ฝ, ฟ), whose text is then
    /// copied from an invisible glyph at the pen, so that readers find no gap to take
    /// for a space.
    pub outline: bool,
}

/// A line of shaped text in one font and size.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Regular or bold face of the document's font set.
    pub style: FontStyle,
    /// Font size in points (already multiplied by the font's size factor).
    pub size: f32,
    /// Ink colour.
    pub color: Color,
    /// Positioned glyphs.
    pub glyphs: Vec<Glyph>,
    /// Exactly what the clerk typed for this line (after the digit policy): what copy,
    /// search and pdftotext must give back.
    pub text: String,
    /// Width of the run's ink advance, in points.
    pub width: f32,
}

/// A filled shape: rectangles (QR code modules) or a closed path.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Closed polygons, in points relative to the item's position (y down).
    pub rects: Vec<(f32, f32, f32, f32)>,
    /// Fill colour.
    pub color: Color,
}

/// What can be placed on a page.
#[derive(Debug, Clone)]
pub enum Item {
    /// A line of text; the position is its baseline origin.
    Text(TextRun),
    /// An image (the emblem) scaled to `size`; the position is its top-left corner.
    Image { graphic: Arc<Graphic>, size: Size },
    /// Filled rectangles; the position is the top-left of their coordinate system.
    Shape(Shape),
    /// An empty box that marks a reserved area (the emblem slot when no emblem is set, the
    /// signature space). Not drawn; kept for tests and the editor.
    Slot { size: Size, role: SlotRole },
}

/// Why a reserved area exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotRole {
    /// Where the emblem goes (no emblem configured).
    Emblem,
    /// Space for the handwritten signature.
    Signature,
    /// Space for the red seal of the agency's name (ตราชื่อส่วนราชการ, a 45 mm circle).
    Seal,
    /// Space for the initials (ลายมือชื่อย่อ) beside the seal.
    Initials,
}

/// One page: its size and its items.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// Page size in points.
    pub size: Size,
    /// Items with their positions.
    pub items: Vec<(Point, Item)>,
}

impl Frame {
    /// An empty page.
    pub fn new(size: Size) -> Self {
        Frame {
            size,
            items: Vec::new(),
        }
    }

    /// Adds an item.
    pub fn push(&mut self, at: Point, item: Item) {
        self.items.push((at, item));
    }

    /// The text runs with their positions, in order.
    pub fn texts(&self) -> impl Iterator<Item = (Point, &TextRun)> {
        self.items.iter().filter_map(|(p, i)| match i {
            Item::Text(t) => Some((*p, t)),
            _ => None,
        })
    }

    /// The first text run whose text starts with `prefix`.
    pub fn find_text(&self, prefix: &str) -> Option<(Point, &TextRun)> {
        self.texts().find(|(_, t)| t.text.starts_with(prefix))
    }

    /// Feeds everything that decides how the page looks into `h`: its size and every item
    /// with its position, glyph ids, colours, shapes and pictures (not the reserved slots,
    /// which are not drawn). Two pages fed alike look alike, which is what lets the live
    /// preview redraw only the pages a keystroke changed.
    pub fn hash_look<H: Hasher>(&self, h: &mut H) {
        let f = |v: f32, h: &mut H| v.to_bits().hash(h);
        f(self.size.w, h);
        f(self.size.h, h);
        for (at, item) in &self.items {
            f(at.x, h);
            f(at.y, h);
            match item {
                Item::Text(run) => {
                    0u8.hash(h);
                    run.style.hash(h);
                    f(run.size, h);
                    hash_color(run.color, h);
                    run.text.hash(h);
                    for g in &run.glyphs {
                        g.id.hash(h);
                        f(g.x, h);
                        f(g.y, h);
                        g.text.hash(h);
                        g.outline.hash(h);
                    }
                }
                Item::Image { graphic, size } => {
                    1u8.hash(h);
                    f(size.w, h);
                    f(size.h, h);
                    graphic.hash_look(h);
                }
                Item::Shape(shape) => {
                    2u8.hash(h);
                    hash_color(shape.color, h);
                    for &(x, y, w, hh) in &shape.rects {
                        for v in [x, y, w, hh] {
                            f(v, h);
                        }
                    }
                }
                Item::Slot { .. } => 3u8.hash(h),
            }
        }
    }
}

fn hash_color<H: Hasher>(c: Color, h: &mut H) {
    for v in [c.0, c.1, c.2] {
        v.to_bits().hash(h);
    }
}

/// A typeset letter: its pages and what the PDF needs to know about it.
#[derive(Debug, Clone)]
pub struct Document {
    /// Pages in order.
    pub pages: Vec<Frame>,
    /// The fonts the text runs refer to.
    pub fonts: super::font::FontSet,
    /// Document title (the subject).
    pub title: String,
    /// Document subject line for the metadata (kind and number).
    pub subject: String,
    /// Author (the agency).
    pub author: String,
    /// The letter itself as JSON (`spec/letter-data.md`): embedded in the PDF, so that a
    /// receiving office reads its fields exactly instead of guessing them from the page.
    /// `None` for what is not a letter (a register book, a mark).
    pub letter_data: Option<String>,
}

impl Document {
    /// A fingerprint of each page's look (the fonts included): equal fingerprints, equal
    /// pages. Within one process only (the hasher is not stable across builds); the live
    /// preview compares them from one keystroke to the next and redraws only what changed.
    pub fn page_fingerprints(&self) -> Vec<u64> {
        let mut fonts = std::collections::hash_map::DefaultHasher::new();
        for face in [&self.fonts.regular, &self.fonts.bold] {
            face.name.hash(&mut fonts);
            face.data.len().hash(&mut fonts);
            face.data[..face.data.len().min(4096)].hash(&mut fonts);
        }
        let fonts = fonts.finish();
        self.pages
            .iter()
            .map(|page| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                fonts.hash(&mut h);
                page.hash_look(&mut h);
                h.finish()
            })
            .collect()
    }
}
