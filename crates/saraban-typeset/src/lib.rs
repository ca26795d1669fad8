//! Typesetting: from a [`Letter`] to pages of positioned glyphs ([`Frame`]s).
//!
//! The path: every text the letter prints gets its digits localized, is shaped with harfrust
//! ([`shape`]), broken at Thai word ends ([`saraban_thai::LineBreaker`]) and justified
//! ([`paragraph`]); the layout of the letter's kind ([`layout`]) stacks the parts in the
//! official order and geometry and paginates them. Nothing here writes PDF: the result is a
//! [`Document`] of frames that [`saraban_pdf`] only has to draw.
//!
//! Why a crate of its own (`saraban-typeset`): where every glyph goes is decided here and
//! only here, from the letter model and Thai text below it. It cannot write a PDF or touch
//! a register (it does not depend on them), so the geometry tests read frames in mm.

pub mod color;
pub mod emblem;
pub mod font;
pub mod frame;
pub mod layout;
pub mod paragraph;
pub mod qr;
pub mod shape;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub use emblem::Graphic;
pub use font::{FontFace, FontSet, FontStyle};
pub use frame::{mm, to_mm, Color, Document, Frame, Item, Point, Size, TextRun};
pub use layout::{Geometry, LayoutOptions};
pub use paragraph::{Align, ParagraphSpec, SetLine};

use saraban_model::letter::Letter;
use saraban_thai::LineBreaker;

/// Settings of the office that change how letters are set.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Body size as a TH Sarabun point size (16 pt officially).
    pub body_pt: f32,
    /// Distance between baselines, in points: 17.6 pt is TH SarabunIT๙ single spacing at
    /// 16 pt, what DLA offices type with.
    pub line_pitch: f32,
    /// Print urgency and secrecy marks in red (off for black-and-white printers).
    pub color_marks: bool,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            body_pt: 16.0,
            line_pitch: 17.6,
            color_marks: true,
        }
    }
}

/// Cache key of a set paragraph: everything that changes its lines.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ParaKey {
    text: String,
    style: FontStyle,
    bits: [u32; 4],
    align: Align,
}

const CACHE_LIMIT: usize = 4096;

/// Typesets letters with one font set and one office profile. Keeps a cache of set
/// paragraphs, so that while a clerk types only the changed paragraph is set again.
pub struct Typesetter {
    /// The letter font.
    pub fonts: FontSet,
    /// The office settings.
    pub profile: Profile,
    breaker: LineBreaker,
    cache: Mutex<HashMap<ParaKey, Arc<Vec<SetLine>>>>,
}

/// The most pages one letter may run to (a longer text is an enclosure, not a letter).
pub const MAX_PAGES: usize = 50;

impl Typesetter {
    /// A typesetter with the given fonts and profile.
    pub fn new(fonts: FontSet, profile: Profile) -> Self {
        Typesetter {
            fonts,
            profile,
            breaker: LineBreaker::new(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Forgets every set paragraph (for cold measurements).
    pub fn clear_cache(&self) {
        if let Ok(mut c) = self.cache.lock() {
            c.clear();
        }
    }

    /// The point size in the document font for a TH Sarabun size.
    pub fn size(&self, style: FontStyle, sarabun_pt: f32) -> f32 {
        self.fonts.face(style).size_for(sarabun_pt)
    }

    /// The line breaker in use.
    pub fn breaker(&self) -> &LineBreaker {
        &self.breaker
    }

    /// Whether `text` was set before in some way (its lines are in the cache).
    pub fn has_set(&self, text: &str) -> bool {
        self.cache
            .lock()
            .map(|c| c.keys().any(|k| k.text == text))
            .unwrap_or(false)
    }

    /// Sets a paragraph, from the cache when the same text was set the same way before.
    pub fn set(&self, spec: &ParagraphSpec<'_>) -> Arc<Vec<SetLine>> {
        let key = ParaKey {
            text: spec.text.to_string(),
            style: spec.style,
            bits: [
                spec.size.to_bits(),
                spec.width.to_bits(),
                spec.first_indent.to_bits(),
                spec.rest_indent.to_bits(),
            ],
            align: spec.align,
        };
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            let mut lines = hit;
            if lines
                .first()
                .map(|l| l.run.color != spec.color)
                .unwrap_or(false)
            {
                let mut owned = (*lines).clone();
                owned.iter_mut().for_each(|l| l.run.color = spec.color);
                lines = Arc::new(owned);
            }
            return lines;
        }
        let lines = Arc::new(paragraph::set_paragraph(
            self.fonts.face(spec.style),
            &self.breaker,
            spec,
        ));
        if let Ok(mut c) = self.cache.lock() {
            if c.len() >= CACHE_LIMIT {
                c.clear();
            }
            c.insert(key, lines.clone());
        }
        lines
    }

    /// Sets a paragraph without the cache (for long runs of one-off text, such as the
    /// cells of a register book, that would only push the letter's paragraphs out of it).
    pub fn set_uncached(&self, spec: &ParagraphSpec<'_>) -> Vec<SetLine> {
        paragraph::set_paragraph(self.fonts.face(spec.style), &self.breaker, spec)
    }

    /// Sets text on one line without breaking it.
    pub fn line(&self, text: &str, style: FontStyle, size: f32, color: Color) -> TextRun {
        let spec = ParagraphSpec {
            text,
            style,
            size,
            width: f32::MAX / 4.0,
            first_indent: 0.0,
            rest_indent: 0.0,
            align: Align::Left,
            color,
        };
        paragraph::set_paragraph(self.fonts.face(style), &self.breaker, &spec)
            .into_iter()
            .next()
            .map(|l| l.run)
            .unwrap_or(TextRun {
                style,
                size,
                color,
                glyphs: Vec::new(),
                text: String::new(),
                width: 0.0,
            })
    }

    /// Width of text on one line, in points.
    pub fn measure(&self, text: &str, style: FontStyle, size: f32) -> f32 {
        self.line(text, style, size, Color::BLACK).width
    }

    /// Typesets a letter into pages. `emblem` is the office's Garuda; without one, its slot
    /// is left empty at the right size.
    pub fn typeset(
        &self,
        letter: &Letter,
        emblem: Option<Arc<Graphic>>,
    ) -> saraban_model::Result<Document> {
        layout::layout(self, letter, emblem, &LayoutOptions::default())
    }

    /// Typesets a letter for one kind of copy (the original, or the file copy).
    pub fn typeset_with(
        &self,
        letter: &Letter,
        emblem: Option<Arc<Graphic>>,
        opts: &LayoutOptions,
    ) -> saraban_model::Result<Document> {
        let doc = layout::layout(self, letter, emblem, opts)?;
        if doc.pages.len() > MAX_PAGES {
            return Err(saraban_model::Error::input(
                "body",
                format!(
                    "หนังสือยาว {} หน้า เกิน {MAX_PAGES} หน้า กรุณาแยกเป็นสิ่งที่ส่งมาด้วย",
                    doc.pages.len()
                ),
                format!(
                    "the letter runs to {} pages, more than {MAX_PAGES}; send the rest as enclosures",
                    doc.pages.len()
                ),
            ));
        }
        Ok(doc)
    }
}
