//! The painter: frames filled into a pixmap, with what does not change kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use saraban_typeset::emblem::PathSeg;
use saraban_typeset::{Color, FontFace, FontSet, Frame, Graphic, Item, Point};
use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, PixmapPaint, Transform};

use super::{encode_rgb, DrawError, PagePicture, MAX_SIDE};

/// What is kept of one font face, with the face's bytes (which keeps its address from
/// being reused by another face while the entry lives).
type GlyphPaths = (Arc<Vec<u8>>, Glyphs);

/// A face's glyph paths, and its glyphs drawn as coverage at the sizes and quarter-pixel
/// places met so far.
#[derive(Default)]
struct Glyphs {
    paths: HashMap<u16, Option<tiny_skia::Path>>,
    masks: HashMap<MaskKey, Option<GlyphMask>>,
    /// Bytes of coverage held in `masks`.
    mask_bytes: usize,
}

impl Glyphs {
    /// The glyph's coverage for `key` (`None` for a glyph that covers nothing), filled from
    /// its outline the first time; past [`MASK_BYTES`] the face starts again.
    fn mask(&mut self, face: &FontFace, key: MaskKey) -> Option<&GlyphMask> {
        if self.mask_bytes > MASK_BYTES && !self.masks.contains_key(&key) {
            self.masks.clear();
            self.mask_bytes = 0;
        }
        let Glyphs {
            paths,
            masks,
            mask_bytes,
        } = self;
        masks
            .entry(key)
            .or_insert_with(|| {
                let path = paths
                    .entry(key.glyph)
                    .or_insert_with(|| path_of(&face.outline(key.glyph)));
                let mask = path.as_ref().and_then(|p| glyph_mask(p, key));
                *mask_bytes += mask.as_ref().map_or(0, |m| m.coverage.len());
                mask
            })
            .as_ref()
    }
}

/// A glyph at a size (pixels per font unit, as bits) and a place within a pixel (quarters
/// of a pixel across and down).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct MaskKey {
    glyph: u16,
    scale: u32,
    qx: u8,
    qy: u8,
}

/// A glyph's coverage, 0–255 a pixel, and where its top left lies from the whole pixel
/// of its origin.
struct GlyphMask {
    left: i32,
    top: i32,
    width: usize,
    coverage: Vec<u8>,
}

/// How many bytes of glyph coverage a face keeps before it starts again: a page of text
/// at the usual zoom needs some 0.3 MB, at the largest zoom (3×) on a sharp screen (2×)
/// some 10 MB.
const MASK_BYTES: usize = 16 << 20;

/// An emblem drawn once at a size and sub-pixel place.
struct DrawnGraphic {
    graphic: Arc<Graphic>,
    key: (u32, u32, u32, u32),
    pixmap: Pixmap,
}

/// Draws pages, keeping glyph paths and drawn emblems between pages (see the crate docs).
#[derive(Default)]
pub struct Painter {
    glyphs: Mutex<Vec<GlyphPaths>>,
    graphics: Mutex<Vec<DrawnGraphic>>,
}

impl Painter {
    /// A painter with nothing kept yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes of glyph coverage kept, all faces together (what a clerk's zooming may
    /// grow: each face keeps at most [`MASK_BYTES`] and then starts again).
    #[cfg(test)]
    fn kept_coverage_bytes(&self) -> usize {
        self.glyphs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(_, g)| g.mask_bytes)
            .sum()
    }

    /// Forgets what it kept (fonts and emblems no longer in use).
    pub fn clear(&self) {
        self.glyphs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.graphics
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The page drawn at `px_per_pt` pixels per point on white paper.
    pub fn draw(&self, page: &Frame, fonts: &FontSet, px_per_pt: f32) -> Result<Pixmap, DrawError> {
        let (w, h) = (page.size.w * px_per_pt, page.size.h * px_per_pt);
        let too_big = !(w >= 1.0 && h >= 1.0 && w <= MAX_SIDE as f32 && h <= MAX_SIDE as f32);
        let size_error = DrawError::Size {
            width: w,
            height: h,
        };
        if too_big {
            return Err(size_error);
        }
        let mut pixmap = Pixmap::new(w.round() as u32, h.round() as u32).ok_or(size_error)?;
        pixmap.fill(tiny_skia::Color::WHITE);
        let page_ts = Transform::from_scale(px_per_pt, px_per_pt);
        for (at, item) in &page.items {
            match item {
                Item::Text(run) => {
                    let face = fonts.face(run.style);
                    let color = color_bytes(run.color);
                    // Font units, y up, to pixels, y down.
                    let scale = run.size / face.units_per_em.max(1) as f32 * px_per_pt;
                    self.with_glyphs(face, |kept| {
                        for g in &run.glyphs {
                            let (ix, qx) = quarters((at.x + g.x) * px_per_pt);
                            let (iy, qy) = quarters((at.y - g.y) * px_per_pt);
                            let key = MaskKey {
                                glyph: g.id,
                                scale: scale.to_bits(),
                                qx,
                                qy,
                            };
                            if let Some(mask) = kept.mask(face, key) {
                                blend(&mut pixmap, mask, ix, iy, color);
                            }
                        }
                    });
                }
                Item::Image { graphic, size } => {
                    self.draw_graphic(&mut pixmap, graphic, *at, *size, px_per_pt);
                }
                Item::Shape(shape) => {
                    let mut pb = PathBuilder::new();
                    for &(x, y, w, h) in &shape.rects {
                        if let Some(r) = tiny_skia::Rect::from_xywh(at.x + x, at.y + y, w, h) {
                            pb.push_rect(r);
                        }
                    }
                    if let Some(path) = pb.finish() {
                        pixmap.fill_path(
                            &path,
                            &paint(shape.color),
                            FillRule::Winding,
                            page_ts,
                            None,
                        );
                    }
                }
                Item::Slot { .. } => {}
            }
        }
        Ok(pixmap)
    }

    /// The page drawn (see [`Self::draw`]) as a PNG.
    pub fn picture(
        &self,
        page: &Frame,
        fonts: &FontSet,
        px_per_pt: f32,
    ) -> Result<PagePicture, DrawError> {
        let pixmap = self.draw(page, fonts, px_per_pt)?;
        let png = encode_rgb(&pixmap)?;
        Ok(PagePicture {
            width: pixmap.width(),
            height: pixmap.height(),
            png,
        })
    }

    fn with_glyphs<R>(&self, face: &FontFace, f: impl FnOnce(&mut Glyphs) -> R) -> R {
        let mut all = self.glyphs.lock().unwrap_or_else(|e| e.into_inner());
        let at = match all
            .iter()
            .position(|(data, _)| Arc::ptr_eq(data, &face.data))
        {
            Some(i) => i,
            None => {
                // A few faces at most (regular, bold; another office's font after a switch).
                if all.len() >= 8 {
                    all.remove(0);
                }
                all.push((face.data.clone(), Glyphs::default()));
                all.len() - 1
            }
        };
        f(&mut all[at].1)
    }

    fn draw_graphic(
        &self,
        pixmap: &mut Pixmap,
        graphic: &Arc<Graphic>,
        at: Point,
        size: saraban_typeset::Size,
        px_per_pt: f32,
    ) {
        // Drawn once at its pixel size and fraction of a pixel, then copied: the emblem's
        // thousands of path points are not filled again for every keystroke.
        let (x, y) = (at.x * px_per_pt, at.y * px_per_pt);
        let (fx, fy) = (x - x.floor(), y - y.floor());
        let key = (
            (size.w * px_per_pt).to_bits(),
            (size.h * px_per_pt).to_bits(),
            fx.to_bits(),
            fy.to_bits(),
        );
        let mut kept = self.graphics.lock().unwrap_or_else(|e| e.into_inner());
        let found = kept
            .iter()
            .position(|d| d.key == key && Arc::ptr_eq(&d.graphic, graphic));
        let i = match found {
            Some(i) => i,
            None => {
                let w = (size.w * px_per_pt + fx).ceil().max(1.0) as u32;
                let h = (size.h * px_per_pt + fy).ceil().max(1.0) as u32;
                let Some(mut own) = Pixmap::new(w.min(MAX_SIDE), h.min(MAX_SIDE)) else {
                    return;
                };
                paint_graphic(
                    &mut own,
                    graphic,
                    fx,
                    fy,
                    size.w * px_per_pt,
                    size.h * px_per_pt,
                );
                if kept.len() >= 4 {
                    kept.remove(0);
                }
                kept.push(DrawnGraphic {
                    graphic: graphic.clone(),
                    key,
                    pixmap: own,
                });
                kept.len() - 1
            }
        };
        pixmap.draw_pixmap(
            x.floor() as i32,
            y.floor() as i32,
            kept[i].pixmap.as_ref(),
            &PixmapPaint::default(),
            Transform::identity(),
            None,
        );
    }
}

/// `graphic` drawn alone, `w` by `h` pixels (the Word hand-off's emblem picture).
pub fn graphic_pixmap(graphic: &Graphic, w: u32, h: u32) -> Option<Pixmap> {
    let mut pixmap = Pixmap::new(w.min(MAX_SIDE), h.min(MAX_SIDE))?;
    paint_graphic(&mut pixmap, graphic, 0.0, 0.0, w as f32, h as f32);
    Some(pixmap)
}

/// Paints `graphic` into `into` at (`x`, `y`) pixels, `w` by `h` pixels large.
fn paint_graphic(into: &mut Pixmap, graphic: &Graphic, x: f32, y: f32, w: f32, h: f32) {
    match graphic {
        Graphic::Vector { paths, height, .. } => {
            // The paths are y down from the ink's top left, scaled alike both ways, as the
            // PDF writer scales them.
            let s = if *height > 0.0 { h / height } else { 1.0 };
            let ts = Transform::from_translate(x, y).pre_scale(s, s);
            for p in paths {
                let Some(path) = path_of(&p.segments) else {
                    continue;
                };
                let rule = if p.even_odd {
                    FillRule::EvenOdd
                } else {
                    FillRule::Winding
                };
                into.fill_path(&path, &paint(p.color), rule, ts, None);
            }
        }
        Graphic::Raster {
            data,
            width,
            height,
        } => {
            let Ok(img) = image::load_from_memory(data) else {
                return;
            };
            let rgba = img.to_rgba8();
            let Some(size) = tiny_skia::IntSize::from_wh(rgba.width(), rgba.height()) else {
                return;
            };
            // tiny-skia keeps premultiplied colours.
            let mut px = rgba.into_raw();
            for c in px.chunks_exact_mut(4) {
                let a = c[3] as u16;
                for v in &mut c[..3] {
                    *v = ((*v as u16 * a + 127) / 255) as u8;
                }
            }
            let Some(src) = Pixmap::from_vec(px, size) else {
                return;
            };
            let ts = Transform::from_translate(x, y)
                .pre_scale(w / (*width).max(1) as f32, h / (*height).max(1) as f32);
            let paint = PixmapPaint {
                quality: tiny_skia::FilterQuality::Bicubic,
                ..Default::default()
            };
            into.draw_pixmap(0, 0, src.as_ref(), &paint, ts, None);
        }
    }
}

/// A closed path from the typesetter's segments (`None` for an empty glyph: a space).
fn path_of(segs: &[PathSeg]) -> Option<tiny_skia::Path> {
    let mut pb = PathBuilder::new();
    for s in segs {
        match *s {
            PathSeg::MoveTo(x, y) => pb.move_to(x, y),
            PathSeg::LineTo(x, y) => pb.line_to(x, y),
            PathSeg::CubicTo(a, b, c, d, e, f) => pb.cubic_to(a, b, c, d, e, f),
            PathSeg::Close => pb.close(),
        }
    }
    pb.finish()
}

fn paint(c: Color) -> Paint<'static> {
    let [r, g, b] = color_bytes(c);
    let mut p = Paint::default();
    p.set_color_rgba8(r, g, b, 255);
    p.anti_alias = true;
    p
}

fn color_bytes(c: Color) -> [u8; 3] {
    let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    [byte(c.0), byte(c.1), byte(c.2)]
}

/// A place in pixels as its whole pixel and the nearest quarter within it.
fn quarters(v: f32) -> (i32, u8) {
    let q = (v * 4.0).round() as i64;
    (q.div_euclid(4) as i32, q.rem_euclid(4) as u8)
}

/// A glyph's path (font units, y up) filled as coverage at the key's size and place within
/// a pixel (`None` when it covers nothing: a space).
fn glyph_mask(path: &tiny_skia::Path, key: MaskKey) -> Option<GlyphMask> {
    let scale = f32::from_bits(key.scale);
    let (ox, oy) = (f32::from(key.qx) / 4.0, f32::from(key.qy) / 4.0);
    let b = path.bounds();
    // The outline's box in pixels from the origin's whole pixel, a pixel of margin round
    // it for the anti-aliased edge.
    let left = (b.left() * scale + ox).floor() as i32 - 1;
    let right = (b.right() * scale + ox).ceil() as i32 + 1;
    let top = (-b.bottom() * scale + oy).floor() as i32 - 1;
    let bottom = (-b.top() * scale + oy).ceil() as i32 + 1;
    let (w, h) = ((right - left) as u32, (bottom - top) as u32);
    if w > MAX_SIDE || h > MAX_SIDE {
        return None;
    }
    // Filled as the page's pixmap fills a path (tiny-skia's `Mask` anti-aliases thin
    // stems otherwise), black on nothing: its alpha is the coverage.
    let mut own = Pixmap::new(w, h)?;
    let ts = Transform::from_translate(ox - left as f32, oy - top as f32).pre_scale(scale, -scale);
    own.fill_path(path, &paint(Color::BLACK), FillRule::Winding, ts, None);
    Some(GlyphMask {
        left,
        top,
        width: w as usize,
        coverage: own.data().chunks_exact(4).map(|p| p[3]).collect(),
    })
}

/// Lays `color` on `pixmap` through a glyph's coverage, its origin at the whole pixel
/// (`x`, `y`): what filling the glyph's path there gives, without filling it again.
fn blend(pixmap: &mut Pixmap, mask: &GlyphMask, x: i32, y: i32, color: [u8; 3]) {
    let (pw, ph) = (pixmap.width() as i32, pixmap.height() as i32);
    let data = pixmap.data_mut();
    let (x0, y0) = (x + mask.left, y + mask.top);
    for (row, cov) in mask.coverage.chunks_exact(mask.width).enumerate() {
        let py = y0 + row as i32;
        if py < 0 || py >= ph {
            continue;
        }
        for (col, &a) in cov.iter().enumerate() {
            let px = x0 + col as i32;
            if a == 0 || px < 0 || px >= pw {
                continue;
            }
            let at = (py * pw + px) as usize * 4;
            let d = &mut data[at..at + 4];
            let (a, na) = (u32::from(a), 255 - u32::from(a));
            // Premultiplied source-over of an opaque colour at coverage `a`.
            for k in 0..3 {
                d[k] = ((u32::from(color[k]) * a + u32::from(d[k]) * na + 127) / 255) as u8;
            }
            d[3] = (a + (u32::from(d[3]) * na + 127) / 255) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saraban_typeset::frame::Shape;
    use saraban_typeset::FontSet;
    use saraban_typeset::Size;

    fn blank() -> Frame {
        Frame::new(Size { w: 100.0, h: 50.0 })
    }

    #[test]
    fn a_shape_is_filled_where_the_frame_puts_it() {
        let mut f = blank();
        f.push(
            Point::new(10.0, 10.0),
            Item::Shape(Shape {
                rects: vec![(0.0, 0.0, 10.0, 5.0)],
                color: Color::BLACK,
            }),
        );
        let fonts = FontSet::bundled().expect("the bundled font: bash scripts/setup.sh");
        let p = Painter::new().draw(&f, &fonts, 2.0).unwrap();
        assert_eq!((p.width(), p.height()), (200, 100));
        let at = |x: u32, y: u32| p.pixel(x, y).unwrap().red();
        assert_eq!(at(30, 25), 0, "inside the rectangle (20..40, 20..30 px)");
        assert_eq!(at(50, 25), 255, "beside it");
        assert_eq!(at(30, 35), 255, "below it");
    }

    /// Glyphs laid from their coverage, kept by size and quarter pixel, are the glyphs'
    /// outlines filled at that quarter pixel: a pixel differs by a level or two where
    /// overlapping glyphs blend, a few by one of tiny-skia's sixteen samples a pixel (the
    /// outline placed from another whole pixel rounds a hair differently); and the
    /// quarter is the nearest, an eighth of a pixel at most from the exact place (finer
    /// than tiny-skia's anti-aliasing, which samples a pixel four times across).
    #[test]
    fn glyphs_from_kept_coverage_are_their_outlines_filled_at_the_nearest_quarter_pixel() {
        use saraban_typeset::frame::{Glyph, TextRun};
        let fonts = FontSet::bundled().expect("the bundled font: bash scripts/setup.sh");
        let face = fonts.face(saraban_typeset::FontStyle::Regular);
        // The font's glyphs 20–200 (Latin and Thai, marks among them), overlapping, on
        // two lines, at places between pixels.
        let glyphs: Vec<Glyph> = (20u16..200)
            .map(|id| Glyph {
                id,
                x: (id - 20) as f32 * 9.137 % 180.0,
                y: if id < 110 { 0.0 } else { -19.31 },
                text: String::new(),
                outline: false,
            })
            .collect();
        let at = Point::new(5.33, 20.71);
        for px_per_pt in [1.0f32, 1.37, 2.0, 3.1] {
            let mut f = Frame::new(Size { w: 200.0, h: 60.0 });
            f.push(
                at,
                Item::Text(TextRun {
                    style: saraban_typeset::FontStyle::Regular,
                    size: 16.0,
                    color: Color::BLACK,
                    glyphs: glyphs.clone(),
                    text: String::new(),
                    width: 180.0,
                }),
            );
            let painter = Painter::new();
            let ours = painter.draw(&f, &fonts, px_per_pt).unwrap();
            // Drawn again, all of it from what was kept.
            assert!(painter.draw(&f, &fonts, px_per_pt).unwrap() == ours);
            let mut filled = Pixmap::new(ours.width(), ours.height()).unwrap();
            filled.fill(tiny_skia::Color::WHITE);
            let s = 16.0 / face.units_per_em as f32 * px_per_pt;
            for g in &glyphs {
                let Some(path) = path_of(&face.outline(g.id)) else {
                    continue;
                };
                let exact = ((at.x + g.x) * px_per_pt, (at.y - g.y) * px_per_pt);
                let (ix, qx) = quarters(exact.0);
                let (iy, qy) = quarters(exact.1);
                let placed = (
                    ix as f32 + f32::from(qx) / 4.0,
                    iy as f32 + f32::from(qy) / 4.0,
                );
                assert!((placed.0 - exact.0).abs() <= 0.125 + 1e-4);
                assert!((placed.1 - exact.1).abs() <= 0.125 + 1e-4);
                let ts = Transform::from_translate(placed.0, placed.1).pre_scale(s, -s);
                filled.fill_path(&path, &paint(Color::BLACK), FillRule::Winding, ts, None);
            }
            let inked = ours.data().chunks_exact(4).filter(|p| p[0] < 128).count();
            assert!(inked > 2_000, "{inked} inked pixels at {px_per_pt}");
            let diffs: Vec<u8> = ours
                .data()
                .iter()
                .zip(filled.data())
                .map(|(a, b)| a.abs_diff(*b))
                .collect();
            let worst = diffs.iter().copied().max().unwrap_or(0);
            let off = diffs.iter().filter(|&&d| d > 4).count();
            assert!(worst <= 17, "a pixel differs by {worst} at {px_per_pt}");
            assert!(
                off * 200 <= inked,
                "{off} pixel values differ by more than 4 at {px_per_pt} ({inked} inked)"
            );
        }
    }

    /// A clerk zooming in on a sharp screen does not grow the app without end: a face keeps
    /// at most `MASK_BYTES` of coverage, then starts again, and draws the same.
    #[test]
    fn the_kept_coverage_of_a_face_is_bounded_and_starting_again_draws_the_same() {
        use saraban_typeset::frame::{Glyph, TextRun};
        let fonts = FontSet::bundled().expect("the bundled font: bash scripts/setup.sh");
        // 280 glyphs, each at the sixteen quarter-pixel places, at 8 pixels a point: some
        // 4 500 coverages, 24 MB kept without a bound, half as much again as a face may.
        let glyphs: Vec<Glyph> = (20u16..300)
            .flat_map(|id| {
                (0..16).map(move |q| Glyph {
                    id,
                    x: (id % 7) as f32 * 11.0 + (q % 4) as f32 / 32.0,
                    y: -((id % 5) as f32 * 13.0) - (q / 4) as f32 / 32.0,
                    text: String::new(),
                    outline: false,
                })
            })
            .collect();
        let mut f = Frame::new(Size { w: 100.0, h: 100.0 });
        f.push(
            Point::new(5.0, 30.0),
            Item::Text(TextRun {
                style: saraban_typeset::FontStyle::Regular,
                size: 16.0,
                color: Color::BLACK,
                glyphs,
                text: String::new(),
                width: 90.0,
            }),
        );
        let painter = Painter::new();
        let first = painter.draw(&f, &fonts, 8.0).unwrap();
        let kept = painter.kept_coverage_bytes();
        assert!(kept <= MASK_BYTES + (1 << 20), "{kept} bytes kept");
        assert!(kept > MASK_BYTES / 8, "{kept} bytes kept");
        assert!(painter.draw(&f, &fonts, 8.0).unwrap() == first);
        assert!(Painter::new().draw(&f, &fonts, 8.0).unwrap() == first);
    }

    #[test]
    fn a_page_too_large_is_refused_not_allocated() {
        let fonts = FontSet::bundled().expect("the bundled font: bash scripts/setup.sh");
        let e = Painter::new().draw(&blank(), &fonts, 1000.0);
        assert!(matches!(e, Err(DrawError::Size { .. })));
        let e = Painter::new().draw(&blank(), &fonts, 0.0);
        assert!(matches!(e, Err(DrawError::Size { .. })));
    }

    #[test]
    fn a_picture_is_a_png_of_the_page() {
        let fonts = FontSet::bundled().expect("the bundled font: bash scripts/setup.sh");
        let pic = Painter::new().picture(&blank(), &fonts, 1.0).unwrap();
        assert!(pic.png.starts_with(b"\x89PNG"));
        let img = image::load_from_memory(&pic.png).unwrap();
        assert_eq!((img.width(), img.height()), (100, 50));
    }
}
