//! A page as read: its size and its words, each with its box (points, from the top left),
//! whether they came from the PDF's text or from OCR. Everything that reads the fields
//! works on this, so both ways in meet here.

use serde::Serialize;

/// A box on a page, in points from the top left.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, ts_rs::TS)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rect {
    /// The smallest box holding both.
    pub fn union(self, o: Rect) -> Rect {
        Rect {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }

    /// Height.
    pub fn h(&self) -> f32 {
        self.y1 - self.y0
    }

    /// Vertical centre.
    pub fn cy(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }

    /// Whether the two boxes share any area.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// A word and its box.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub rect: Rect,
}

/// One page as read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// Size in points.
    pub w: f32,
    pub h: f32,
    /// The words in the reader's order (lines of a block, blocks down the page).
    pub lines: Vec<Vec<Word>>,
}

impl Page {
    /// Whether the page has any text at all.
    pub fn has_text(&self) -> bool {
        self.lines
            .iter()
            .flatten()
            .any(|w| w.text.chars().any(char::is_alphanumeric))
    }

    /// The page measured in other units: the same words on a page `w` × `h` (a scan's
    /// pixels to the points of its PDF page).
    pub fn scaled_to(mut self, w: f32, h: f32) -> Page {
        let sx = w / self.w.max(1.0);
        let sy = h / self.h.max(1.0);
        for word in self.lines.iter_mut().flatten() {
            let r = &mut word.rect;
            *r = Rect {
                x0: r.x0 * sx,
                y0: r.y0 * sy,
                x1: r.x1 * sx,
                y1: r.y1 * sy,
            };
        }
        self.w = w;
        self.h = h;
        self
    }

    /// The boxes of every word (where the page has ink of text).
    pub fn word_boxes(&self) -> impl Iterator<Item = Rect> + '_ {
        self.lines.iter().flatten().map(|w| w.rect)
    }
}
