//! The Garuda emblem (ตราครุฑ) and other pictures: loaded once, placed by the layout.
//!
//! Each office imports its own emblem file. An SVG is kept as vector paths (drawn crisply at
//! any size and small in the PDF); a PNG or JPEG is kept as its file bytes. Either way the
//! graphic knows its natural size, so the layout can make it exactly 30 mm (letters) or
//! 15 mm (memos) tall without stretching it. For an SVG the height is that of the ink, not
//! of the canvas, so a loosely cropped file still comes out the official size.

use std::path::Path;

use usvg::tiny_skia_path::{PathSegment, Point as SkPoint};

use super::color::Color;
use saraban_model::error::{Error, Result};

/// One segment of a vector path, in the graphic's own units (y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PathSeg {
    /// Start a subpath.
    MoveTo(f32, f32),
    /// Straight line.
    LineTo(f32, f32),
    /// Cubic Bézier: two control points and the end point.
    CubicTo(f32, f32, f32, f32, f32, f32),
    /// Close the subpath.
    Close,
}

/// A filled vector path.
#[derive(Debug, Clone, PartialEq)]
pub struct FilledPath {
    /// The outline.
    pub segments: Vec<PathSeg>,
    /// Fill colour.
    pub color: Color,
    /// Even-odd fill rule (otherwise non-zero).
    pub even_odd: bool,
}

/// The most pixels a side of a PNG or JPEG emblem may have.
pub const MAX_RASTER_SIDE: u32 = 4096;

/// A picture ready to be placed.
#[derive(Debug, Clone, PartialEq)]
pub enum Graphic {
    /// Vector paths, translated so that the ink's bounding box starts at (0, 0).
    Vector {
        /// The filled paths.
        paths: Vec<FilledPath>,
        /// Width of the ink.
        width: f32,
        /// Height of the ink.
        height: f32,
    },
    /// A PNG or JPEG file.
    Raster {
        /// The file's bytes.
        data: Vec<u8>,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
}

impl Graphic {
    /// Feeds what decides how the picture looks into `h` (see `Frame::hash_look`).
    pub fn hash_look<H: std::hash::Hasher>(&self, h: &mut H) {
        use std::hash::Hash;
        let f = |v: f32, h: &mut H| v.to_bits().hash(h);
        match self {
            Graphic::Vector {
                paths,
                width,
                height,
            } => {
                f(*width, h);
                f(*height, h);
                for p in paths {
                    for c in [p.color.0, p.color.1, p.color.2] {
                        f(c, h);
                    }
                    p.even_odd.hash(h);
                    for seg in &p.segments {
                        match *seg {
                            PathSeg::MoveTo(x, y) => [0.0, x, y].iter().for_each(|v| f(*v, h)),
                            PathSeg::LineTo(x, y) => [1.0, x, y].iter().for_each(|v| f(*v, h)),
                            PathSeg::CubicTo(a, b, c, d, e, g) => {
                                [2.0, a, b, c, d, e, g].iter().for_each(|v| f(*v, h))
                            }
                            PathSeg::Close => f(3.0, h),
                        }
                    }
                }
            }
            Graphic::Raster {
                data,
                width,
                height,
            } => {
                width.hash(h);
                height.hash(h);
                data.hash(h);
            }
        }
    }

    /// Width divided by height.
    pub fn aspect(&self) -> f32 {
        let (w, h) = match self {
            Graphic::Vector { width, height, .. } => (*width, *height),
            Graphic::Raster { width, height, .. } => (*width as f32, *height as f32),
        };
        if h > 0.0 {
            w / h
        } else {
            1.0
        }
    }

    /// Loads a PNG, JPEG or SVG file.
    pub fn load(path: &Path) -> Result<Graphic> {
        let data = std::fs::read(path).map_err(|e| {
            emblem_error(
                path,
                if e.kind() == std::io::ErrorKind::NotFound {
                    "ไม่พบไฟล์ (เลือกไฟล์ตราครุฑใหม่ในการตั้งค่า)".to_string()
                } else {
                    format!("อ่านไม่ได้ ({e})")
                },
                if e.kind() == std::io::ErrorKind::NotFound {
                    "file not found (choose the emblem file again in the settings)".to_string()
                } else {
                    format!("cannot be read ({e})")
                },
            )
        })?;
        Graphic::from_bytes(data, path)
    }

    /// Reads a picture from bytes; `path` is only used in messages.
    pub fn from_bytes(data: Vec<u8>, path: &Path) -> Result<Graphic> {
        if data.starts_with(b"\x89PNG") || data.starts_with(&[0xFF, 0xD8, 0xFF]) {
            let reader = image::ImageReader::new(std::io::Cursor::new(&data))
                .with_guessed_format()
                .map_err(|e| {
                    emblem_error(
                        path,
                        format!("อ่านรูปไม่ได้ ({e})"),
                        format!("cannot read the image ({e})"),
                    )
                })?;
            let (width, height) = reader.into_dimensions().map_err(|e| {
                emblem_error(
                    path,
                    format!("ไฟล์รูปเสียหาย ({e})"),
                    format!("the image is damaged ({e})"),
                )
            })?;
            if width == 0 || height == 0 {
                return Err(emblem_error(
                    path,
                    "รูปว่างเปล่า".into(),
                    "the image is empty".into(),
                ));
            }
            // Every issue decodes the picture: its size bounds the memory that takes. A
            // 3 cm emblem needs some 700 pixels at 600 dpi.
            if width > MAX_RASTER_SIDE || height > MAX_RASTER_SIDE {
                return Err(emblem_error(
                    path,
                    format!("รูปใหญ่ {width}×{height} พิกเซล เกิน {MAX_RASTER_SIDE} พิกเซลต่อด้าน กรุณาย่อรูป (ตราครุฑสูง 3 ซม. ใช้เพียงราว 700 พิกเซลที่ 600 dpi) หรือใช้ไฟล์ SVG"),
                    format!("the image is {width}×{height} pixels, more than {MAX_RASTER_SIDE} a side; scale it down (a 3 cm emblem needs about 700 pixels at 600 dpi) or use an SVG"),
                ));
            }
            return Ok(Graphic::Raster {
                data,
                width,
                height,
            });
        }
        let head = String::from_utf8_lossy(&data[..data.len().min(4096)]).to_string();
        if head.contains("<svg") {
            return vector_from_svg(&data, path);
        }
        Err(emblem_error(
            path,
            "ไม่ใช่ไฟล์ PNG, JPEG หรือ SVG".into(),
            "is not a PNG, JPEG or SVG file".into(),
        ))
    }
}

fn emblem_error(path: &Path, th: String, en: String) -> Error {
    Error::Emblem {
        th: format!("ไฟล์ตราครุฑ {}: {th}", path.display()),
        en: format!("emblem file {}: {en}", path.display()),
    }
}

fn vector_from_svg(data: &[u8], path: &Path) -> Result<Graphic> {
    // An emblem is drawn from its own paths only: an <image> is neither read from a file
    // (a FIFO would hang, /dev/zero eat memory) nor decoded from data, and no folder is
    // searched for resources.
    let options = usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(data, &options).map_err(|e| {
        emblem_error(
            path,
            format!("อ่าน SVG ไม่ได้ ({e})"),
            format!("cannot read the SVG ({e})"),
        )
    })?;
    let mut paths = Vec::new();
    collect(tree.root(), &mut paths);
    // Bounding box of the ink, from the on-curve and control points (the control points of
    // a traced outline lie within a hair of the curve).
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for p in &paths {
        for s in &p.segments {
            let pts: &[(f32, f32)] = &match *s {
                PathSeg::MoveTo(x, y) | PathSeg::LineTo(x, y) => vec![(x, y)],
                PathSeg::CubicTo(a, b, c, d, e, f) => vec![(a, b), (c, d), (e, f)],
                PathSeg::Close => vec![],
            };
            for &(x, y) in pts {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x);
                y1 = y1.max(y);
            }
        }
    }
    if paths.is_empty() || x1 <= x0 || y1 <= y0 {
        return Err(emblem_error(
            path,
            "ไม่มีภาพในไฟล์ SVG".into(),
            "the SVG draws nothing".into(),
        ));
    }
    for p in &mut paths {
        for s in &mut p.segments {
            *s = match *s {
                PathSeg::MoveTo(x, y) => PathSeg::MoveTo(x - x0, y - y0),
                PathSeg::LineTo(x, y) => PathSeg::LineTo(x - x0, y - y0),
                PathSeg::CubicTo(a, b, c, d, e, f) => {
                    PathSeg::CubicTo(a - x0, b - y0, c - x0, d - y0, e - x0, f - y0)
                }
                PathSeg::Close => PathSeg::Close,
            };
        }
    }
    Ok(Graphic::Vector {
        paths,
        width: x1 - x0,
        height: y1 - y0,
    })
}

fn collect(group: &usvg::Group, out: &mut Vec<FilledPath>) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => collect(g, out),
            usvg::Node::Path(p) if p.is_visible() => {
                let ts = p.abs_transform();
                if let Some(fill) = p.fill() {
                    if let Some(color) = paint_color(fill.paint()) {
                        out.push(FilledPath {
                            segments: segments(p.data(), ts),
                            color,
                            even_odd: fill.rule() == usvg::FillRule::EvenOdd,
                        });
                    }
                }
                if let Some(stroke) = p.stroke() {
                    if let (Some(color), Some(outline)) = (
                        paint_color(stroke.paint()),
                        p.data().stroke(&stroke.to_tiny_skia(), 4.0),
                    ) {
                        out.push(FilledPath {
                            segments: segments(&outline, ts),
                            color,
                            even_odd: false,
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

fn paint_color(p: &usvg::Paint) -> Option<Color> {
    match p {
        usvg::Paint::Color(c) => Some(Color(
            c.red as f32 / 255.0,
            c.green as f32 / 255.0,
            c.blue as f32 / 255.0,
        )),
        // Gradients and patterns have no place on an emblem; draw them black.
        _ => Some(Color::BLACK),
    }
}

fn segments(path: &usvg::tiny_skia_path::Path, ts: usvg::Transform) -> Vec<PathSeg> {
    let map = |p: SkPoint| {
        let mut q = p;
        ts.map_point(&mut q);
        (q.x, q.y)
    };
    let mut out = Vec::new();
    let mut last = (0.0f32, 0.0f32);
    for seg in path.segments() {
        match seg {
            PathSegment::MoveTo(p) => {
                last = map(p);
                out.push(PathSeg::MoveTo(last.0, last.1));
            }
            PathSegment::LineTo(p) => {
                last = map(p);
                out.push(PathSeg::LineTo(last.0, last.1));
            }
            PathSegment::QuadTo(c, p) => {
                // Raise the quadratic to a cubic.
                let c = map(c);
                let e = map(p);
                let c1 = (
                    last.0 + 2.0 / 3.0 * (c.0 - last.0),
                    last.1 + 2.0 / 3.0 * (c.1 - last.1),
                );
                let c2 = (e.0 + 2.0 / 3.0 * (c.0 - e.0), e.1 + 2.0 / 3.0 * (c.1 - e.1));
                out.push(PathSeg::CubicTo(c1.0, c1.1, c2.0, c2.1, e.0, e.1));
                last = e;
            }
            PathSegment::CubicTo(a, b, p) => {
                let a = map(a);
                let b = map(b);
                last = map(p);
                out.push(PathSeg::CubicTo(a.0, a.1, b.0, b.1, last.0, last.1));
            }
            PathSegment::Close => out.push(PathSeg::Close),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn an_svg_loads_nothing_beyond_itself() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.png");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        for href in [
            "/dev/zero",
            "fifo.png",
            "/etc/passwd",
            "data:image/png;base64,AAAA",
        ] {
            if href == "fifo.png" && !made {
                continue;
            }
            let svg = format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">
                <image href="{href}" xlink:href="{href}" width="100" height="100"/>
                <rect x="10" y="10" width="50" height="50" fill="black"/></svg>"#
            );
            // Read from the folder that holds the FIFO: a resolver that followed it would hang.
            let g = Graphic::from_bytes(svg.into_bytes(), &dir.path().join("e.svg")).unwrap();
            assert!(matches!(g, Graphic::Vector { .. }), "{href}");
        }
    }

    #[test]
    fn svg_ink_box_is_measured() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300">
            <rect x="50" y="20" width="100" height="200" fill="black"/></svg>"#;
        let g = Graphic::from_bytes(svg.to_vec(), Path::new("t.svg")).unwrap();
        match g {
            Graphic::Vector { width, height, .. } => {
                assert!((width - 100.0).abs() < 0.01 && (height - 200.0).abs() < 0.01);
            }
            _ => panic!("expected a vector graphic"),
        }
    }

    #[test]
    fn junk_and_missing_files_are_clear_errors() {
        let e = Graphic::from_bytes(b"hello".to_vec(), Path::new("x.gif")).unwrap_err();
        assert_eq!(e.exit_code(), 3);
        assert!(e.lines(saraban_model::Lang::En)[0].contains("not a PNG, JPEG or SVG"));
        let e = Graphic::from_bytes(b"\x89PNG\r\n\x1a\nbroken".to_vec(), Path::new("x.png"))
            .unwrap_err();
        assert!(e.lines(saraban_model::Lang::Th)[0].contains("ตราครุฑ"));
        assert!(Graphic::load(Path::new("/nonexistent.svg")).is_err());
    }
}
