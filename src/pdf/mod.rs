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

pub mod stream;

use printpdf::graphics::PaintMode;
use printpdf::{
    Codepoint, Color as PdfColor, DictItem, ExternalStream, ExternalXObject, FontId, LinePoint, Mm,
    Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point as PdfPoint,
    Polygon, PolygonRing, Pt, RawImage, Rgb, TextItem, TextMatrix, WindingOrder, XObjectTransform,
};
use std::sync::{Arc, Mutex, Weak};

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

/// Writes typeset documents as PDF, keeping what can be reused between documents: the
/// compressed drawing of each vector emblem (thousands of path points that would otherwise
/// be formatted and deflated again for every preview).
#[derive(Default)]
pub struct PdfWriter {
    forms: Mutex<Vec<FormEntry>>,
    /// Compressed streams by a hash of their content: the font subset stays the same
    /// while a clerk edits a paragraph, so the preview need not deflate it again.
    deflated: Mutex<Vec<DeflatedEntry>>,
}

/// A graphic (while it lives) and its compressed drawing.
type FormEntry = (Weak<Graphic>, Arc<Vec<u8>>);
/// Hash and length of a stream's content, and the content compressed.
type DeflatedEntry = (u64, usize, Arc<Vec<u8>>);

/// How many compressed streams the writer remembers.
const DEFLATE_CACHE: usize = 8;

/// Writes a typeset document as PDF bytes (with a writer of its own).
pub fn write(doc: &Document, opts: &PdfOptions) -> Result<Vec<u8>> {
    PdfWriter::default().write(doc, opts)
}

impl PdfWriter {
    /// A writer with an empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets the compressed streams of earlier documents (for cold measurements). The
    /// drawings of the office's emblem are kept: they belong to the office, not a letter.
    pub fn clear_cache(&self) {
        if let Ok(mut d) = self.deflated.lock() {
            d.clear();
        }
    }

    /// Prepares the drawing of a graphic ahead of the first document that uses it.
    pub fn prepare(&self, graphic: &Arc<Graphic>) {
        if matches!(graphic.as_ref(), Graphic::Vector { .. }) {
            self.form_content(graphic);
        }
    }

    /// The compressed content stream of a vector graphic, from the cache when this
    /// graphic was drawn before.
    fn form_content(&self, graphic: &Arc<Graphic>) -> Arc<Vec<u8>> {
        if let Ok(mut forms) = self.forms.lock() {
            forms.retain(|(w, _)| w.strong_count() > 0);
            if let Some((_, bytes)) = forms
                .iter()
                .find(|(w, _)| std::ptr::eq(w.as_ptr(), Arc::as_ptr(graphic)))
            {
                return bytes.clone();
            }
        }
        let bytes = Arc::new(vector_form(graphic));
        if let Ok(mut forms) = self.forms.lock() {
            forms.push((Arc::downgrade(graphic), bytes.clone()));
        }
        bytes
    }

    /// Writes a typeset document as PDF bytes.
    pub fn write(&self, doc: &Document, opts: &PdfOptions) -> Result<Vec<u8>> {
        write_with(self, doc, opts)
    }
}

fn write_with(writer: &PdfWriter, doc: &Document, opts: &PdfOptions) -> Result<Vec<u8>> {
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
        info.creation_date = now;
        info.modification_date = now;
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
                    text_ops(&mut ops, font, doc.fonts.face(run.style), run, *at, page_h);
                }
                Item::Image { graphic, size } => {
                    image_ops(
                        writer,
                        &mut pdf,
                        &mut images,
                        &mut ops,
                        graphic,
                        *at,
                        *size,
                        page_h,
                    )?;
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
        optimize: false,
        ..Default::default()
    };
    let mut lo = pdf.to_lopdf_document(&save, &mut warnings);
    compress_streams(writer, &mut lo);
    only_true_metadata(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| Error::Pdf(e.to_string()))?;
    if bytes.len() < 64 {
        return Err(Error::Pdf("the PDF writer produced no output".into()));
    }
    Ok(bytes)
}

/// Leaves out of the Info dictionary what printpdf writes empty: an empty
/// `/GTS_PDFXVersion` makes readers call the file PDF/X (a claim it does not meet), and an
/// empty `/Identifier` or `/Keywords` says nothing.
fn only_true_metadata(lo: &mut lopdf::Document) {
    let Ok(id) = lo.trailer.get(b"Info").and_then(|o| o.as_reference()) else {
        return;
    };
    if let Ok(lopdf::Object::Dictionary(info)) = lo.get_object_mut(id) {
        let empty: Vec<Vec<u8>> = info
            .iter()
            .filter(|(_, v)| match v {
                lopdf::Object::String(s, _) => s.is_empty(),
                _ => false,
            })
            .map(|(k, _)| k.clone())
            .collect();
        for k in empty {
            info.remove(&k);
        }
        info.remove(b"GTS_PDFXVersion");
    }
}

/// Subsets a face to `glyphs`, tags it, and adds it to the document.
fn add_font(
    pdf: &mut PdfDocument,
    face: &FontFace,
    glyphs: &BTreeSet<u16>,
    text: BTreeMap<u16, String>,
) -> Result<FontEntry> {
    let ids = subset_ids(glyphs);
    let sub = subset_face(face, &ids)?;
    let fail = |what: &str| font_error(face, what);
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

/// The glyphs of a subset in their new order: `.notdef` first, then `glyphs` ascending.
pub(crate) fn subset_ids(glyphs: &BTreeSet<u16>) -> Vec<u16> {
    std::iter::once(0)
        .chain(glyphs.iter().copied().filter(|&g| g != 0))
        .collect()
}

fn font_error(face: &FontFace, what: &str) -> Error {
    Error::Font {
        th: format!("ฝังฟอนต์ {} ลงใน PDF ไม่ได้ ({what})", face.name),
        en: format!("cannot embed the font {} in the PDF ({what})", face.name),
    }
}

/// `face` cut down to the glyphs `ids` (a TrueType file for embedding), glyph `ids[i]`
/// becoming glyph `i`.
pub(crate) fn subset_face(face: &FontFace, ids: &[u16]) -> Result<Vec<u8>> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};

    let fail = |what: &str| font_error(face, what);
    let fd = ReadScope::new(&face.data)
        .read::<FontData<'_>>()
        .map_err(|e| fail(&e.to_string()))?;
    let provider = fd.table_provider(0).map_err(|e| fail(&e.to_string()))?;
    subset(&provider, ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| fail(&e.to_string()))
}

/// Six capital letters derived from the glyph set, as ISO 32000 asks of subset fonts.
pub(crate) fn subset_tag(ids: &[u16]) -> String {
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

/// One text line: one text matrix and one `TJ` array whose numbers move each glyph from
/// where the font's advance leaves it to where the typesetter put it (rounded to 1/100 of
/// a thousandth of an em, and left out when zero, to keep the stream short). A glyph
/// raised or lowered from the baseline starts a new segment with its own matrix.
fn text_ops(
    ops: &mut Vec<Op>,
    font: &FontEntry,
    face: &FontFace,
    run: &TextRun,
    at: Point,
    page_h: f32,
) {
    if run.glyphs.is_empty() || run.size <= 0.0 {
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
    for seg in segments(run, face) {
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Raw([1.0, 0.0, 0.0, 1.0, at.x + seg.x, base_y + seg.y]),
        });
        let items = seg
            .glyphs
            .iter()
            .map(|&(id, offset)| {
                let gid = font.remap.get(&id).copied().unwrap_or(0);
                let cid = font.text.get(&gid).cloned().unwrap_or_default();
                Codepoint::with_cid(gid, offset, cid)
            })
            .collect();
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(items)],
        });
    }
    ops.push(Op::EndMarkedContent);
    ops.push(Op::EndTextSection);
}

/// A glyph's advance in thousandths of an em, in whole units as the `/W` arrays give it:
/// what a PDF viewer advances by.
pub(crate) fn em_width(face: &FontFace, gid: u16) -> i64 {
    (face.advance(gid) as f64 * 1000.0 / face.units_per_em as f64) as i64
}

/// One baseline segment of a text line: where it starts (from the run's origin; y up from
/// the baseline) and its glyphs, each with the `TJ` number that follows it.
pub(crate) struct Segment {
    pub x: f32,
    pub y: f32,
    pub glyphs: Vec<(u16, f32)>,
}

/// Splits a line where a glyph is raised or lowered from the baseline, and gives each glyph
/// the `TJ` number that moves the next one from where the font's advance leaves it to where
/// the typesetter put it (in thousandths of an em, rounded to 1/100; 0 when none is needed,
/// which the writers leave out).
pub(crate) fn segments(run: &TextRun, face: &FontFace) -> Vec<Segment> {
    let to_em = 1000.0 / run.size as f64;
    let mut out = Vec::new();
    let mut i = 0;
    while i < run.glyphs.len() {
        let y = run.glyphs[i].y;
        let mut j = i;
        while j < run.glyphs.len() && run.glyphs[j].y == y {
            j += 1;
        }
        let seg = &run.glyphs[i..j];
        let x0 = seg[0].x;
        let mut pen = 0.0f64; // in thousandths of an em from x0
        let mut glyphs = Vec::with_capacity(seg.len());
        for (k, g) in seg.iter().enumerate() {
            pen += em_width(face, g.id) as f64;
            let offset = match seg.get(k + 1) {
                Some(next) => {
                    let want = (next.x - x0) as f64 * to_em;
                    let o = ((pen - want) * 100.0).round() / 100.0;
                    pen -= o;
                    if o == 0.0 {
                        0.0
                    } else {
                        o as f32
                    }
                }
                None => 0.0,
            };
            glyphs.push((g.id, offset));
        }
        out.push(Segment { x: x0, y, glyphs });
        i = j;
    }
    out
}

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
    writer: &PdfWriter,
    pdf: &mut PdfDocument,
    images: &mut Vec<(*const Graphic, printpdf::XObjectId)>,
    ops: &mut Vec<Op>,
    graphic: &std::sync::Arc<Graphic>,
    at: Point,
    size: Size,
    page_h: f32,
) -> Result<()> {
    match graphic.as_ref() {
        Graphic::Vector { width, height, .. } => {
            let content = writer.form_content(graphic);
            let mut dict = BTreeMap::new();
            dict.insert("Type".to_string(), DictItem::Name(b"XObject".to_vec()));
            dict.insert("Subtype".to_string(), DictItem::Name(b"Form".to_vec()));
            dict.insert(
                "BBox".to_string(),
                DictItem::Array(vec![
                    DictItem::Real(0.0),
                    DictItem::Real(0.0),
                    DictItem::Real(*width),
                    DictItem::Real(*height),
                ]),
            );
            dict.insert(
                "Filter".to_string(),
                DictItem::Name(b"FlateDecode".to_vec()),
            );
            let id = pdf.add_xobject(&ExternalXObject {
                stream: ExternalStream {
                    dict,
                    content: (*content).clone(),
                    compress: false,
                },
                width: None,
                height: None,
                dpi: None,
            });
            let s = if *height > 0.0 { size.h / height } else { 1.0 };
            ops.push(Op::UseXobject {
                id,
                transform: XObjectTransform {
                    translate_x: Some(Pt(at.x)),
                    translate_y: Some(Pt(page_h - at.y - size.h)),
                    scale_x: Some(s),
                    scale_y: Some(s),
                    ..Default::default()
                },
            });
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

/// A vector graphic as a deflated PDF content stream, in its own units with y up.
fn vector_form(graphic: &Graphic) -> Vec<u8> {
    use std::fmt::Write as _;
    let Graphic::Vector { paths, height, .. } = graphic else {
        return Vec::new();
    };
    let h = *height;
    let mut s = String::with_capacity(paths.iter().map(|p| p.segments.len() * 24).sum());
    // One decimal of the graphic's unit: the 300-unit emblem set 30 mm tall makes that 10 µm,
    // below a 600 dpi printer's dot. Written by hand: the emblem has thousands of numbers.
    fn num(s: &mut String, v: f32) {
        let tenths = (v * 10.0).round() as i64;
        if tenths < 0 {
            s.push('-');
        }
        let a = tenths.unsigned_abs();
        let _ = write!(s, "{}", a / 10);
        if !a.is_multiple_of(10) {
            s.push('.');
            s.push((b'0' + (a % 10) as u8) as char);
        }
        s.push(' ');
    }
    for p in paths {
        let _ = writeln!(s, "{} {} {} rg", p.color.0, p.color.1, p.color.2);
        for seg in &p.segments {
            match *seg {
                PathSeg::MoveTo(x, y) => {
                    num(&mut s, x);
                    num(&mut s, h - y);
                    s.push_str("m\n");
                }
                PathSeg::LineTo(x, y) => {
                    num(&mut s, x);
                    num(&mut s, h - y);
                    s.push_str("l\n");
                }
                PathSeg::CubicTo(a, b, c, d, e, f) => {
                    for (x, y) in [(a, b), (c, d), (e, f)] {
                        num(&mut s, x);
                        num(&mut s, h - y);
                    }
                    s.push_str("c\n");
                }
                PathSeg::Close => s.push_str("h\n"),
            }
        }
        s.push_str(if p.even_odd { "f*\n" } else { "f\n" });
    }
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(4));
    let _ = std::io::Write::write_all(&mut enc, s.as_bytes());
    enc.finish().unwrap_or_default()
}

/// Deflate level of the streams written for each document. lopdf's own choice is the
/// slowest (9); level 3 gives files 2 % larger in a third of the time, which matters when
/// the preview is rewritten on every pause in typing.
const DEFLATE_LEVEL: u32 = 3;

/// Compresses every stream that is not compressed yet (the cached emblem already is),
/// reusing the result for a stream compressed before.
fn compress_streams(writer: &PdfWriter, doc: &mut lopdf::Document) {
    use std::hash::{Hash, Hasher};
    for obj in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = obj else {
            continue;
        };
        if stream.dict.get(b"Filter").is_ok() || stream.content.len() < 64 {
            continue;
        }
        let cacheable = stream.content.len() >= 4096;
        let key = if cacheable {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            stream.content.hash(&mut h);
            Some((h.finish(), stream.content.len()))
        } else {
            None
        };
        let cached = key.and_then(|(k, n)| {
            writer
                .deflated
                .lock()
                .ok()?
                .iter()
                .find(|(h, len, _)| *h == k && *len == n)
                .map(|(_, _, c)| c.clone())
        });
        let compressed = match cached {
            Some(c) => c,
            None => {
                let mut enc = flate2::write::ZlibEncoder::new(
                    Vec::new(),
                    flate2::Compression::new(DEFLATE_LEVEL),
                );
                if std::io::Write::write_all(&mut enc, &stream.content).is_err() {
                    continue;
                }
                let Ok(c) = enc.finish() else { continue };
                let c = Arc::new(c);
                if let (Some((k, n)), Ok(mut cache)) = (key, writer.deflated.lock()) {
                    if cache.len() >= DEFLATE_CACHE {
                        cache.remove(0);
                    }
                    cache.push((k, n, c.clone()));
                }
                c
            }
        };
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content((*compressed).clone());
        }
    }
}
