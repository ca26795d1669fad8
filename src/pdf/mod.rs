//! Frames to PDF bytes with printpdf.
//!
//! printpdf is used only as a writer of glyphs that are already shaped and positioned:
//! its own text path does not shape Thai. Per document, each font is subset to the glyphs
//! used (allsorts) and named with a subset tag; each glyph carries its text for the
//! ToUnicode map, and each line is wrapped in one `/ActualText` span so that copy, search
//! and `pdftotext` give back exactly what the clerk typed (the shaper decomposes ำ and
//! reorders marks, which no per-glyph map can undo). The emblem is drawn as vector paths
//! when it came as SVG, QR codes as filled rectangles.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use printpdf::graphics::PaintMode;
use printpdf::{
    Codepoint, Color as PdfColor, DictItem, FontId, LinePoint, Mm, Op, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point as PdfPoint, Polygon, PolygonRing, Pt, RawImage,
    Rgb, TextItem, TextMatrix, WindingOrder, XObjectTransform,
};

use crate::error::{Error, Result};
use crate::typeset::emblem::{Graphic, PathSeg};
use crate::typeset::font::{FontFace, FontStyle};
use crate::typeset::frame::{to_mm, Color, Document, Item, Point, Shape, Size, TextRun};

/// Options of the written file.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// Creation date as Unix seconds; `None` uses the current time.
    pub created_unix: Option<i64>,
}

struct FontEntry {
    id: FontId,
    remap: HashMap<u16, u16>,
    text: BTreeMap<u16, String>,
}

/// Writes a typeset document as PDF bytes.
pub fn write(doc: &Document, opts: &PdfOptions) -> Result<Vec<u8>> {
    let mut pdf = PdfDocument::new(&doc.title);
    let now = match opts.created_unix {
        Some(t) => printpdf::OffsetDateTime::from_unix_timestamp(t)
            .unwrap_or_else(|_| printpdf::OffsetDateTime::now_utc()),
        None => printpdf::OffsetDateTime::now_utc(),
    };
    {
        let info = &mut pdf.metadata.info;
        info.document_title = doc.title.clone();
        info.author = doc.author.clone();
        info.subject = doc.subject.clone();
        info.creator = "Saraban".into();
        info.producer = format!("Saraban {}", env!("CARGO_PKG_VERSION"));
        info.creation_date = now.clone();
        info.modification_date = now.clone();
        info.metadata_date = now;
    }

    // Glyphs used per face, and the first non-empty text seen for each.
    let mut used: BTreeMap<FontStyle, (BTreeSet<u16>, BTreeMap<u16, String>)> = BTreeMap::new();
    for page in &doc.pages {
        for (_, t) in page.texts() {
            let entry = used.entry(t.style).or_default();
            for g in &t.glyphs {
                entry.0.insert(g.id);
                if !g.text.is_empty() {
                    entry.1.entry(g.id).or_insert_with(|| g.text.clone());
                }
            }
        }
    }
    // Regular and bold may be the same file: subset once per distinct face.
    let mut fonts: HashMap<FontStyle, FontEntry> = HashMap::new();
    let same_face = std::sync::Arc::ptr_eq(&doc.fonts.regular, &doc.fonts.bold);
    if same_face && used.len() > 1 {
        let mut merged: (BTreeSet<u16>, BTreeMap<u16, String>) = Default::default();
        for (_, (g, t)) in std::mem::take(&mut used) {
            merged.0.extend(g);
            for (k, v) in t {
                merged.1.entry(k).or_insert(v);
            }
        }
        let entry = add_font(&mut pdf, &doc.fonts.regular, &merged.0, merged.1)?;
        let bold = FontEntry {
            id: entry.id.clone(),
            remap: entry.remap.clone(),
            text: entry.text.clone(),
        };
        fonts.insert(FontStyle::Regular, entry);
        fonts.insert(FontStyle::Bold, bold);
    } else {
        for (style, (glyphs, text)) in used {
            let entry = add_font(&mut pdf, doc.fonts.face(style), &glyphs, text)?;
            fonts.insert(style, entry);
        }
    }

    let mut images: Vec<(*const Graphic, printpdf::XObjectId)> = Vec::new();
    let mut pages = Vec::with_capacity(doc.pages.len());
    for frame in &doc.pages {
        let page_h = frame.size.h;
        let mut ops = Vec::with_capacity(frame.items.len() * 64);
        for (at, item) in &frame.items {
            match item {
                Item::Text(run) => {
                    let Some(font) = fonts.get(&run.style) else {
                        continue;
                    };
                    text_ops(&mut ops, font, run, *at, page_h);
                }
                Item::Image { graphic, size } => {
                    image_ops(&mut pdf, &mut images, &mut ops, graphic, *at, *size, page_h)?;
                }
                Item::Shape(shape) => shape_ops(&mut ops, shape, *at, page_h),
                Item::Slot { .. } => {}
            }
        }
        pages.push(PdfPage::new(
            Mm(to_mm(frame.size.w)),
            Mm(to_mm(frame.size.h)),
            ops,
        ));
    }
    pdf.with_pages(pages);
    let mut warnings = Vec::new();
    let save = PdfSaveOptions {
        subset_fonts: false,
        ..Default::default()
    };
    let bytes = pdf.save(&save, &mut warnings);
    if bytes.len() < 64 {
        return Err(Error::Pdf("the PDF writer produced no output".into()));
    }
    Ok(bytes)
}

/// Subsets a face to `glyphs`, tags it, and adds it to the document.
fn add_font(
    pdf: &mut PdfDocument,
    face: &FontFace,
    glyphs: &BTreeSet<u16>,
    text: BTreeMap<u16, String>,
) -> Result<FontEntry> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};

    let ids: Vec<u16> = std::iter::once(0)
        .chain(glyphs.iter().copied().filter(|&g| g != 0))
        .collect();
    let fail = |what: &str| Error::Font {
        th: format!("ฝังฟอนต์ {} ลงใน PDF ไม่ได้ ({what})", face.name),
        en: format!("cannot embed the font {} in the PDF ({what})", face.name),
    };
    let fd = ReadScope::new(&face.data)
        .read::<FontData<'_>>()
        .map_err(|e| fail(&e.to_string()))?;
    let provider = fd.table_provider(0).map_err(|e| fail(&e.to_string()))?;
    let sub = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| fail(&e.to_string()))?;
    let remap: HashMap<u16, u16> = ids
        .iter()
        .enumerate()
        .map(|(i, &g)| (g, i as u16))
        .collect();
    let mut warnings = Vec::new();
    let mut parsed =
        ParsedFont::from_bytes(&sub, 0, &mut warnings).ok_or_else(|| fail("subset unreadable"))?;
    parsed.font_name = Some(format!(
        "{}+{}",
        subset_tag(&ids),
        face.name.replace(' ', "")
    ));
    let id = pdf.add_font(&parsed);
    let text = text
        .into_iter()
        .filter_map(|(g, t)| remap.get(&g).map(|&n| (n, t)))
        .collect();
    Ok(FontEntry { id, remap, text })
}

/// Six capital letters derived from the glyph set, as ISO 32000 asks of subset fonts.
fn subset_tag(ids: &[u16]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &g in ids {
        h ^= g as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (0..6)
        .map(|i| (b'A' + ((h >> (i * 5)) % 26) as u8) as char)
        .collect()
}

fn rgb(c: Color) -> PdfColor {
    PdfColor::Rgb(Rgb::new(c.0, c.1, c.2, None))
}

fn actual_text(text: &str) -> Op {
    let mut data = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        data.extend_from_slice(&u.to_be_bytes());
    }
    let mut map = BTreeMap::new();
    map.insert(
        "ActualText".to_string(),
        DictItem::String {
            data,
            literal: false,
        },
    );
    Op::BeginMarkedContentWithProperties {
        tag: "Span".into(),
        properties: DictItem::Dict { map },
    }
}

fn text_ops(ops: &mut Vec<Op>, font: &FontEntry, run: &TextRun, at: Point, page_h: f32) {
    if run.glyphs.is_empty() {
        return;
    }
    ops.push(Op::StartTextSection);
    ops.push(actual_text(&run.text));
    ops.push(Op::SetFont {
        font: PdfFontHandle::External(font.id.clone()),
        size: Pt(run.size),
    });
    ops.push(Op::SetFillColor {
        col: rgb(run.color),
    });
    let base_y = page_h - at.y;
    for g in &run.glyphs {
        let gid = font.remap.get(&g.id).copied().unwrap_or(0);
        let cid = font.text.get(&gid).cloned().unwrap_or_default();
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Raw([1.0, 0.0, 0.0, 1.0, at.x + g.x, base_y + g.y]),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(vec![Codepoint::with_cid(gid, 0.0, cid)])],
        });
    }
    ops.push(Op::EndMarkedContent);
    ops.push(Op::EndTextSection);
}

/// A path point, rounded to 1/20 pt (0.018 mm) (far below what a printer resolves) so that the
/// numbers in the file stay short: the emblem is thousands of them.
fn pt(x: f32, y: f32, bezier: bool) -> LinePoint {
    let r = |v: f32| (v * 20.0).round() / 20.0;
    LinePoint {
        p: PdfPoint {
            x: Pt(r(x)),
            y: Pt(r(y)),
        },
        bezier,
    }
}

fn shape_ops(ops: &mut Vec<Op>, shape: &Shape, at: Point, page_h: f32) {
    let rings = shape
        .rects
        .iter()
        .map(|&(x, y, w, h)| {
            let (x0, y0) = (at.x + x, page_h - at.y - y);
            PolygonRing {
                points: vec![
                    pt(x0, y0, false),
                    pt(x0 + w, y0, false),
                    pt(x0 + w, y0 - h, false),
                    pt(x0, y0 - h, false),
                ],
            }
        })
        .collect();
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetFillColor {
        col: rgb(shape.color),
    });
    ops.push(Op::DrawPolygon {
        polygon: Polygon {
            rings,
            mode: PaintMode::Fill,
            winding_order: WindingOrder::NonZero,
        },
    });
    ops.push(Op::RestoreGraphicsState);
}

#[allow(clippy::too_many_arguments)]
fn image_ops(
    pdf: &mut PdfDocument,
    images: &mut Vec<(*const Graphic, printpdf::XObjectId)>,
    ops: &mut Vec<Op>,
    graphic: &std::sync::Arc<Graphic>,
    at: Point,
    size: Size,
    page_h: f32,
) -> Result<()> {
    match graphic.as_ref() {
        Graphic::Vector { paths, height, .. } => {
            let s = if *height > 0.0 { size.h / height } else { 1.0 };
            let map = |x: f32, y: f32| (at.x + x * s, page_h - (at.y + y * s));
            ops.push(Op::SaveGraphicsState);
            for p in paths {
                let mut rings: Vec<PolygonRing> = Vec::new();
                let mut cur: Vec<LinePoint> = Vec::new();
                for seg in &p.segments {
                    match *seg {
                        PathSeg::MoveTo(x, y) => {
                            if cur.len() > 1 {
                                rings.push(PolygonRing {
                                    points: std::mem::take(&mut cur),
                                });
                            }
                            cur.clear();
                            let (a, b) = map(x, y);
                            cur.push(pt(a, b, false));
                        }
                        PathSeg::LineTo(x, y) => {
                            let (a, b) = map(x, y);
                            cur.push(pt(a, b, false));
                        }
                        PathSeg::CubicTo(x1, y1, x2, y2, x, y) => {
                            let (a, b) = map(x1, y1);
                            let (c, d) = map(x2, y2);
                            let (e, f) = map(x, y);
                            cur.push(pt(a, b, true));
                            cur.push(pt(c, d, true));
                            cur.push(pt(e, f, false));
                        }
                        PathSeg::Close => {}
                    }
                }
                if cur.len() > 1 {
                    rings.push(PolygonRing { points: cur });
                }
                ops.push(Op::SetFillColor { col: rgb(p.color) });
                ops.push(Op::DrawPolygon {
                    polygon: Polygon {
                        rings,
                        mode: PaintMode::Fill,
                        winding_order: if p.even_odd {
                            WindingOrder::EvenOdd
                        } else {
                            WindingOrder::NonZero
                        },
                    },
                });
            }
            ops.push(Op::RestoreGraphicsState);
        }
        Graphic::Raster {
            data,
            width,
            height,
        } => {
            let key = std::sync::Arc::as_ptr(graphic);
            let id = match images.iter().find(|(k, _)| *k == key) {
                Some((_, id)) => id.clone(),
                None => {
                    let mut warnings = Vec::new();
                    let img = RawImage::decode_from_bytes(data, &mut warnings).map_err(|e| {
                        Error::Emblem {
                            th: format!("ถอดรหัสรูปตราครุฑไม่ได้ ({e})"),
                            en: format!("cannot decode the emblem image ({e})"),
                        }
                    })?;
                    let id = pdf.add_image(&img);
                    images.push((key, id.clone()));
                    id
                }
            };
            let dpi = *width as f32 * 72.0 / size.w;
            let natural_h = *height as f32 * 72.0 / dpi;
            ops.push(Op::UseXobject {
                id,
                transform: XObjectTransform {
                    translate_x: Some(Pt(at.x)),
                    translate_y: Some(Pt(page_h - at.y - size.h)),
                    dpi: Some(dpi),
                    scale_y: Some(size.h / natural_h),
                    ..Default::default()
                },
            });
        }
    }
    Ok(())
}
