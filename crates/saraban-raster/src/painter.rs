//! The painter: frames filled into a pixmap, with what does not change kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use saraban_typeset::emblem::PathSeg;
use saraban_typeset::{Color, FontFace, FontSet, Frame, Graphic, Item, Point};
use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, PixmapPaint, Transform};

use super::{encode_rgb, DrawError, PagePicture, MAX_SIDE};

/// Glyph paths of one font face, kept with the face's bytes (which keeps its address
/// from being reused by another face while the entry lives).
type GlyphPaths = (Arc<Vec<u8>>, HashMap<u16, Option<tiny_skia::Path>>);

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
                    let paint = paint(run.color);
                    let s = run.size / face.units_per_em.max(1) as f32;
                    self.with_glyphs(face, |paths| {
                        for g in &run.glyphs {
                            let path = paths
                                .entry(g.id)
                                .or_insert_with(|| path_of(&face.outline(g.id)));
                            let Some(path) = path else { continue };
                            // Font units, y up, to page points, y down.
                            let ts = page_ts
                                .pre_translate(at.x + g.x, at.y - g.y)
                                .pre_scale(s, -s);
                            pixmap.fill_path(path, &paint, FillRule::Winding, ts, None);
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

    fn with_glyphs<R>(
        &self,
        face: &FontFace,
        f: impl FnOnce(&mut HashMap<u16, Option<tiny_skia::Path>>) -> R,
    ) -> R {
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
                all.push((face.data.clone(), HashMap::new()));
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
    let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    let mut p = Paint::default();
    p.set_color_rgba8(byte(c.0), byte(c.1), byte(c.2), 255);
    p.anti_alias = true;
    p
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
