//! Pages as pixels: the live preview drawn from the typesetter's frames.
//!
//! The PDF writer walks the frames and writes what it finds; this crate walks the same
//! frames and fills the same shapes with [`tiny_skia`]: every glyph from the font's own
//! outline at the glyph's place, the emblem from its paths (or its pixels), the QR code's
//! modules. Nothing is decided here, so the preview is the PDF by construction — the same
//! glyphs at the same places (a test compares a page with poppler's drawing of the PDF).
//!
//! Why not draw the PDF in the page with pdf.js, as the app first did: the web process then
//! held a PDF parser, its worker, its font machinery and canvases, about 400 MB after a
//! morning of typing, and every keystroke paid a PDF write, a parse and a draw. Drawing the
//! frames costs a few milliseconds a page and the page receives one small PNG.
//!
//! A [`Painter`] keeps what does not change while a clerk types — each glyph's path, each
//! glyph filled once at its size and quarter-pixel place, the emblem drawn at its size — so
//! a keystroke pays for laying coverage on the page, not for reading fonts or filling
//! outlines (the J.CLAIR letter's page at the usual zoom: 20 ms with every outline filled
//! anew, 4 ms laid from kept coverage, PNG and layout included). A quarter pixel is finer than
//! tiny-skia's anti-aliasing samples a pixel across, so the page looks as if each outline
//! were filled at its exact place.

mod encode;
mod painter;

pub use encode::encode_rgb;
pub use painter::{graphic_pixmap, Painter};

/// The most pixels a side of a drawn page may have (A4 at 3× zoom on a 2× screen is about
/// 5 000 by 7 100): a larger drawing is refused rather than allocated.
pub const MAX_SIDE: u32 = 8192;

/// Why a page could not be drawn.
#[derive(Debug)]
pub enum DrawError {
    /// The page would be larger than [`MAX_SIDE`] or empty at this scale.
    Size { width: f32, height: f32 },
    /// The PNG encoder failed.
    Encode(String),
}

impl std::fmt::Display for DrawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DrawError::Size { width, height } => {
                write!(
                    f,
                    "a page of {width:.0} × {height:.0} pixels cannot be drawn"
                )
            }
            DrawError::Encode(e) => write!(f, "the page's picture cannot be written: {e}"),
        }
    }
}

impl std::error::Error for DrawError {}

/// A drawn page.
pub struct PagePicture {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The page as a PNG (RGB, fast compression: a page of text is a few tens of KB).
    pub png: Vec<u8>,
}
