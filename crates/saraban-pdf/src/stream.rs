//! A PDF written page by page, for documents too long to hold: the register book of a
//! busy office runs to thousands of pages.
//!
//! [`PageStream`] writes each page's content and page object to the output as soon as the
//! page is laid out, and keeps only what the file's end needs: the byte offset of every
//! object, the page references, and per font the codes given out (a glyph and its text
//! each). Fonts are subset and written last, when every glyph is known. Content streams use
//! codes given out as pages come, and a `CIDToGIDMap` maps them into the subset, so a page
//! can be written before the subset exists. Text is written as the letter writer writes it
//! ([`super`], "Copy and paste"): so copying from the book gives back the register's text
//! in every reader.
//!
//! Objects are written with pdf-writer, one object per chunk so that its offset is the
//! file position it starts at; the cross-reference table is written here.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::sync::Arc;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::writers::{Catalog, DocumentInfo};
use pdf_writer::{Chunk, Content, Date, Filter, Name, Rect, Ref, Settings, Str, TextStr};

use super::{
    content, em_width, outlined, subset_face, subset_ids, subset_tag, Codes, PdfOptions, FIRST_CODE,
};
use saraban_model::error::{Error, Result};
use saraban_typeset::emblem::PathSeg;
use saraban_typeset::font::{FontFace, FontSet, FontStyle};
use saraban_typeset::frame::{Frame, Item, Point, TextRun};

/// A font of the document: its face, the references its objects will have, and the codes
/// given out so far.
struct StreamFont {
    face: Arc<FontFace>,
    name: &'static [u8],
    type0: Ref,
    codes: Codes,
}

/// Writes a PDF to `W` one page at a time (see the module documentation).
pub struct PageStream<W: Write> {
    out: W,
    /// Bytes written so far (the offset of the next object).
    at: u64,
    /// Offset of object `i + 1`.
    offsets: Vec<u64>,
    pages_ref: Ref,
    page_refs: Vec<Ref>,
    fonts: Vec<StreamFont>,
    title: String,
    subject: String,
    author: String,
    created: Option<i64>,
}

fn settings() -> Settings {
    Settings { pretty: false }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    use flate2::write::ZlibEncoder;
    let mut enc = ZlibEncoder::new(
        Vec::with_capacity(data.len() / 3),
        flate2::Compression::new(6),
    );
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

/// A failed write; the caller that knows the file's name puts it in.
fn write_error(source: std::io::Error) -> Error {
    Error::Write {
        path: std::path::PathBuf::new(),
        source,
    }
}

impl<W: Write> PageStream<W> {
    /// Starts a PDF on `out` (its header is written at once) whose text uses `fonts`.
    pub fn new(
        out: W,
        fonts: &FontSet,
        title: &str,
        subject: &str,
        author: &str,
        opts: &PdfOptions,
    ) -> Result<Self> {
        let mut s = PageStream {
            out,
            at: 0,
            offsets: Vec::new(),
            pages_ref: Ref::new(1),
            page_refs: Vec::new(),
            fonts: Vec::new(),
            title: title.to_string(),
            subject: subject.to_string(),
            author: author.to_string(),
            created: opts.created_unix,
        };
        s.pages_ref = s.alloc();
        // Regular and bold may be one file: one font then serves both.
        let mut faces = vec![(&fonts.regular, b"F0")];
        if !Arc::ptr_eq(&fonts.regular, &fonts.bold) {
            faces.push((&fonts.bold, b"F1"));
        }
        for (face, name) in faces {
            let type0 = s.alloc();
            s.fonts.push(StreamFont {
                face: face.clone(),
                name,
                type0,
                codes: Codes::default(),
            });
        }
        s.raw(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(s)
    }

    /// A new object number (its offset is recorded when it is written).
    fn alloc(&mut self) -> Ref {
        self.offsets.push(0);
        Ref::new(self.offsets.len() as i32)
    }

    fn raw(&mut self, bytes: &[u8]) -> Result<()> {
        self.out.write_all(bytes).map_err(write_error)?;
        self.at += bytes.len() as u64;
        Ok(())
    }

    /// Writes a chunk that holds exactly the object `id`.
    fn put(&mut self, id: Ref, chunk: Chunk) -> Result<()> {
        self.offsets[id.get() as usize - 1] = self.at;
        self.raw(chunk.as_bytes())
    }

    fn font_index(&self, style: FontStyle) -> usize {
        match style {
            FontStyle::Bold if self.fonts.len() > 1 => 1,
            _ => 0,
        }
    }

    /// Pages written so far.
    pub fn pages(&self) -> usize {
        self.page_refs.len()
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.at
    }

    /// Writes one page. Text and rules only: a page with an image is refused (the book
    /// has none; letters go through the full writer).
    pub fn page(&mut self, frame: &Frame) -> Result<()> {
        let mut content = content::new_content(4096);
        let mut fonts_used = [false; 2];
        let page_h = frame.size.h;
        for (at, item) in &frame.items {
            match item {
                Item::Text(run) => {
                    let f = self.font_index(run.style);
                    if self.text(&mut content, f, run, *at, page_h) {
                        fonts_used[f] = true;
                    }
                }
                Item::Shape(shape) => content::rules(&mut content, shape, *at, page_h),
                Item::Image { .. } => {
                    return Err(Error::Pdf(
                        "the page-by-page PDF writer draws text and rules only".into(),
                    ))
                }
                Item::Slot { .. } => {}
            }
        }
        let data = deflate(&content.finish().into_vec());
        let content_ref = self.alloc();
        let mut chunk = Chunk::with_settings(settings());
        chunk.stream(content_ref, &data).filter(Filter::FlateDecode);
        self.put(content_ref, chunk)?;

        let page_ref = self.alloc();
        let mut chunk = Chunk::with_settings(settings());
        {
            let mut page = chunk.page(page_ref);
            page.media_box(Rect::new(0.0, 0.0, frame.size.w, frame.size.h))
                .parent(self.pages_ref)
                .contents(content_ref);
            let mut resources = page.resources();
            let mut fonts = resources.fonts();
            for (i, f) in self.fonts.iter().enumerate() {
                if fonts_used[i] {
                    fonts.pair(Name(f.name), f.type0);
                }
            }
        }
        self.put(page_ref, chunk)?;
        self.page_refs.push(page_ref);
        Ok(())
    }

    /// One text line (as the letter writer draws it, [`content::text_line`]), its
    /// outlines drawn in place. Returns whether it drew.
    fn text(
        &mut self,
        content: &mut Content,
        f: usize,
        run: &TextRun,
        at: Point,
        page_h: f32,
    ) -> bool {
        let font = &mut self.fonts[f];
        let face = font.face.clone();
        let codes = &mut font.codes;
        if !content::text_line(
            content,
            Name(font.name),
            |g, t| codes.code(g, t),
            &face,
            run,
            at,
            page_h,
        ) {
            return false;
        }
        draw_outlines(content, run, &face, at, page_h);
        true
    }

    /// Writes the fonts, the page tree, the catalogue and the cross-reference table, and
    /// returns the output.
    pub fn finish(mut self) -> Result<W> {
        let fonts = std::mem::take(&mut self.fonts);
        for font in &fonts {
            if !font.codes.pairs.is_empty() {
                self.font(font)?;
            }
        }
        let mut chunk = Chunk::with_settings(settings());
        chunk
            .pages(self.pages_ref)
            .kids(self.page_refs.iter().copied())
            .count(self.page_refs.len() as i32);
        self.put(self.pages_ref, chunk)?;

        let catalog = self.alloc();
        let mut chunk = Chunk::with_settings(settings());
        chunk
            .indirect(catalog)
            .start::<Catalog>()
            .pages(self.pages_ref);
        self.put(catalog, chunk)?;

        let info = self.alloc();
        let date = pdf_date(self.created);
        let mut chunk = Chunk::with_settings(settings());
        {
            let mut d = chunk.indirect(info).start::<DocumentInfo>();
            d.title(TextStr(&self.title));
            if !self.subject.is_empty() {
                d.subject(TextStr(&self.subject));
            }
            if !self.author.is_empty() {
                d.author(TextStr(&self.author));
            }
            d.creator(TextStr("Saraban"));
            d.producer(TextStr(concat!("Saraban ", env!("CARGO_PKG_VERSION"))));
            d.creation_date(date);
            d.modified_date(date);
        }
        self.put(info, chunk)?;

        let xref = self.at;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f\r\n", self.offsets.len() + 1);
        for off in &self.offsets {
            table.push_str(&format!("{off:010} 00000 n\r\n"));
        }
        table.push_str(&format!(
            "trailer\n<</Size {} /Root {} 0 R /Info {} 0 R>>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len() + 1,
            catalog.get(),
            info.get()
        ));
        self.raw(table.as_bytes())?;
        self.out.flush().map_err(write_error)?;
        Ok(self.out)
    }

    /// The objects of one font: Type 0 font, CID font, descriptor, subset file, glyph map
    /// and ToUnicode map.
    fn font(&mut self, font: &StreamFont) -> Result<()> {
        let face = &font.face;
        let pairs = &font.codes.pairs;
        let glyphs: BTreeSet<u16> = pairs.iter().map(|(g, _)| *g).collect();
        let ids = subset_ids(&glyphs);
        let file = subset_face(face, &ids)?;
        let base = format!("{}+{}", subset_tag(&ids), face.name.replace(' ', ""));
        let (cid, descriptor, file_ref, map_ref, cmap_ref) = (
            self.alloc(),
            self.alloc(),
            self.alloc(),
            self.alloc(),
            self.alloc(),
        );
        let info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };

        let mut chunk = Chunk::with_settings(settings());
        chunk
            .type0_font(font.type0)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap_ref);
        self.put(font.type0, chunk)?;

        let mut chunk = Chunk::with_settings(settings());
        {
            let mut c = chunk.cid_font(cid);
            c.subtype(CidFontType::Type2)
                .base_font(Name(base.as_bytes()))
                .system_info(info)
                .font_descriptor(descriptor)
                .default_width(0.0)
                .cid_to_gid_map_stream(map_ref);
            c.widths().consecutive(
                FIRST_CODE,
                pairs.iter().map(|(g, _)| em_width(face, *g) as f32),
            );
        }
        self.put(cid, chunk)?;

        let metrics = FaceMetrics::of(face);
        let mut chunk = Chunk::with_settings(settings());
        chunk
            .font_descriptor(descriptor)
            .name(Name(base.as_bytes()))
            .flags(FontFlags::SYMBOLIC)
            .bbox(metrics.bbox)
            .italic_angle(metrics.italic_angle)
            .ascent(metrics.ascent)
            .descent(metrics.descent)
            .cap_height(metrics.cap_height)
            .stem_v(80.0)
            .font_file2(file_ref);
        self.put(descriptor, chunk)?;

        let packed = deflate(&file);
        let mut chunk = Chunk::with_settings(settings());
        chunk
            .stream(file_ref, &packed)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), file.len() as i32);
        self.put(file_ref, chunk)?;

        let new_id: BTreeMap<u16, u16> = ids
            .iter()
            .enumerate()
            .map(|(new, &old)| (old, new as u16))
            .collect();
        let mut map = vec![0u8; (FIRST_CODE as usize + pairs.len()) * 2];
        for (i, (g, _)) in pairs.iter().enumerate() {
            let at = (FIRST_CODE as usize + i) * 2;
            let gid = new_id.get(g).copied().unwrap_or(0);
            map[at..at + 2].copy_from_slice(&gid.to_be_bytes());
        }
        let packed = deflate(&map);
        let mut chunk = Chunk::with_settings(settings());
        chunk.stream(map_ref, &packed).filter(Filter::FlateDecode);
        self.put(map_ref, chunk)?;

        let mut cmap = UnicodeCmap::new(Name(b"Saraban-UTF16"), info);
        for (i, (_, text)) in pairs.iter().enumerate() {
            let code = FIRST_CODE + i as u16;
            cmap.pair_with_multiple(code, text.chars());
        }
        let packed = deflate(&cmap.finish().into_vec());
        let mut chunk = Chunk::with_settings(settings());
        chunk.cmap(cmap_ref, &packed).filter(Filter::FlateDecode);
        self.put(cmap_ref, chunk)
    }
}

/// What a font descriptor says of a face, in thousandths of an em.
struct FaceMetrics {
    bbox: Rect,
    italic_angle: f32,
    ascent: f32,
    descent: f32,
    cap_height: f32,
}

impl FaceMetrics {
    fn of(face: &FontFace) -> FaceMetrics {
        let k = 1000.0 / face.units_per_em as f32;
        let ascent = face.ascender as f32 * k;
        let descent = face.descender as f32 * k;
        let parsed = ttf_parser::Face::parse(&face.data, 0).ok();
        let bbox = parsed
            .as_ref()
            .map(|f| {
                let b = f.global_bounding_box();
                Rect::new(
                    b.x_min as f32 * k,
                    b.y_min as f32 * k,
                    b.x_max as f32 * k,
                    b.y_max as f32 * k,
                )
            })
            .unwrap_or(Rect::new(0.0, descent, 1000.0, ascent));
        FaceMetrics {
            bbox,
            italic_angle: parsed.as_ref().map(|f| f.italic_angle()).unwrap_or(0.0),
            ascent,
            descent,
            cap_height: parsed
                .as_ref()
                .and_then(|f| f.capital_height())
                .map(|h| h as f32 * k)
                .unwrap_or(ascent * 0.7),
        }
    }
}

/// A PDF date (UTC) from Unix seconds, or now.
fn pdf_date(unix: Option<i64>) -> Date {
    use chrono::{Datelike, Timelike};
    let t = unix
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .unwrap_or_else(chrono::Utc::now);
    Date::new(t.year().clamp(0, 9999) as u16)
        .month(t.month() as u8)
        .day(t.day() as u8)
        .hour(t.hour() as u8)
        .minute(t.minute() as u8)
        .second(t.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// Draws the glyphs of a line that are drawn as outlines ([`super::outlined`]).
fn draw_outlines(content: &mut Content, run: &TextRun, face: &FontFace, at: Point, page_h: f32) {
    let mut any = false;
    for (gid, gx, gy, s) in outlined(run, face) {
        let segs = face.outline(gid);
        if segs.is_empty() {
            continue;
        }
        if !any {
            content.save_state();
            content.set_fill_rgb(run.color.0, run.color.1, run.color.2);
            any = true;
        }
        let (x0, y0) = (at.x + gx, page_h - at.y + gy);
        let p = |x: f32, y: f32| (x0 + x * s, y0 + y * s);
        for seg in segs {
            match seg {
                PathSeg::MoveTo(x, y) => {
                    let (x, y) = p(x, y);
                    content.move_to(x, y);
                }
                PathSeg::LineTo(x, y) => {
                    let (x, y) = p(x, y);
                    content.line_to(x, y);
                }
                PathSeg::CubicTo(a, b, c, d, x, y) => {
                    let ((a, b), (c, d), (x, y)) = (p(a, b), p(c, d), p(x, y));
                    content.cubic_to(a, b, c, d, x, y);
                }
                PathSeg::Close => {
                    content.close_path();
                }
            }
        }
    }
    if any {
        content.fill_nonzero();
        content.restore_state();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saraban_typeset::frame::{Color, Glyph, Size};

    /// Counts the bytes that reached the output, to see pages leave before the end.
    struct Counter(Vec<usize>, usize);
    impl Write for Counter {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.1 += b.len();
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.0.push(self.1);
            Ok(())
        }
    }

    #[test]
    fn each_page_reaches_the_output_before_the_next_is_made() {
        let fonts = saraban_typeset::font::FontSet::bundled().expect("the fonts set-up installs");
        let mut s = PageStream::new(
            Counter(vec![], 0),
            &fonts,
            "t",
            "",
            "",
            &PdfOptions::default(),
        )
        .unwrap();
        let mut sizes = Vec::new();
        for _ in 0..3 {
            let mut frame = Frame::new(Size { w: 100.0, h: 100.0 });
            let run = TextRun {
                style: FontStyle::Regular,
                size: 12.0,
                color: Color::BLACK,
                glyphs: vec![Glyph {
                    id: 3,
                    x: 0.0,
                    y: 0.0,
                    text: " ".into(),
                    outline: false,
                }],
                text: " ".into(),
                width: 3.0,
            };
            frame.push(Point::new(10.0, 10.0), Item::Text(run));
            s.page(&frame).unwrap();
            sizes.push(s.written());
        }
        assert!(
            sizes[0] > 0 && sizes[1] > sizes[0] && sizes[2] > sizes[1],
            "{sizes:?}"
        );
        let out = s.finish().unwrap();
        assert!(out.1 as u64 > sizes[2]);
    }
}
