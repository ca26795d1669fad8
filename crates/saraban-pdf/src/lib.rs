//! Frames to PDF bytes with printpdf and pdf-writer.
//!
//! printpdf makes the document's objects: the fonts (their widths and ToUnicode maps, from
//! every code shown once), the emblem and glyph forms, the metadata; its own text path does
//! not shape Thai. Each page's content stream is written straight from the frames with
//! pdf-writer ([`content`]), as the page-by-page writer ([`stream`]) writes the book's, and
//! put in place of printpdf's. The emblem is drawn as vector paths when it came as SVG, QR
//! codes as filled rectangles.
//!
//! # Copy and paste
//!
//! What a reader copies must be what the clerk typed, in every reader: poppler, pdf.js
//! (the app's preview), MuPDF, pdfminer (`tests/copy.rs` checks all four). The shaper
//! decomposes ำ into ํ and า, moves the nikhahit before a tone mark, and moves marks
//! sideways over ป; each glyph carries the text it stands for (the typesetter decides, see
//! `Glyph::text` and `Glyph::outline`), and the writers make that true in every reader:
//! - a code per pair of glyph and text ([`Codes`]), each with its own ToUnicode entry, so the
//!   same glyph copies as ำ in one place and as ้ำ in another. Here code `i` is glyph `i`
//!   of the subset, which holds a glyph once per text it stands for;
//! - a glyph that stands for no text, or a mark moved sideways, is drawn as an outline, and
//!   the moved mark's text is shown invisibly where the pen stands ([`segments`],
//!   [`outlined`]): readers make up text for glyphs without ("3", "�", "(cid:51)") and take
//!   the gap a moved mark leaves for a space;
//! - each line is still wrapped in one `/ActualText` span: poppler reads it, and would
//!   otherwise take the spread of a justified Thai line for spaces between words.
//!
//! Fonts are subset to what is used (allsorts) and named with a subset tag.
//!
//! # Two cores
//!
//! A one-page letter's font program (28 KB) and its page (37 KB) each took about a third
//! of writing it, most of it in deflate. The font needs only the codes, known before any
//! page is drawn: each [`PdfWriter`] keeps a helper thread that cuts, reads and compresses
//! the fonts while the pages are drawn and compressed on the calling thread. One thread
//! for the writer's life, not one per document: starting, waiting for and joining a
//! thread per document took back most of the gain. Without a thread the same work runs
//! in turn, and the bytes written are the same either way.
//!
//! Why a crate of its own (`saraban-pdf`): it walks the typesetter's frames and decides
//! nothing about layout; it depends on `saraban-typeset` for the frames, never the other way.

use std::collections::{BTreeMap, BTreeSet, HashMap};

pub mod archive;
pub mod attach;
mod content;
pub mod scan;
pub mod stamp;
pub mod stream;

use pdf_writer::{Content, Name as PdfName};
use printpdf::{
    Codepoint, DictItem, ExternalStream, ExternalXObject, FontId, Mm, Op, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Pt, RawImage, TextItem,
};
use std::sync::{mpsc, Arc, Mutex, Weak};

use saraban_model::error::{Error, Result};
use saraban_thai::helper::{Helper, Job};
use saraban_typeset::emblem::{Graphic, PathSeg};
use saraban_typeset::font::{FontFace, FontStyle};
use saraban_typeset::frame::{to_mm, Document, Item, Point, Size, TextRun};

/// Options of the written file.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// Creation date as Unix seconds; `None` uses the current time.
    pub created_unix: Option<i64>,
    /// Write PDF/A (part 3 for a letter, whose data is embedded), the archival form ([`archive`]).
    pub pdfa: bool,
}

/// A font added to the document: its id and its codes (which are also the glyph ids of
/// its subset: code `i` is glyph `i`, a glyph copied once per text it stands for).
struct FontEntry {
    id: FontId,
    codes: Arc<Codes>,
}

/// Writes typeset documents as PDF, keeping what can be reused between documents: the
/// compressed drawing of each vector emblem (thousands of path points that would otherwise
/// be formatted and deflated again for every preview).
pub struct PdfWriter {
    forms: Mutex<Vec<FormEntry>>,
    /// The streams compressed before, shared with the helper.
    streams: Arc<Deflater>,
    /// The writer's second core: a thread that makes the fonts ready (cut, read and
    /// compressed) while the pages are drawn, started with the first document and ended
    /// with the writer. A thread started for each document cost a tenth of the document:
    /// starting it, waiting for it to run, and joining it.
    helper: Helper,
    /// The glyphs drawn as outlines, ready to be forms: per face (while it lives) and
    /// glyph. An outline is the font's, not the letter's: drawn, formatted and deflated
    /// once, where it was a twentieth of writing a letter each time.
    glyph_forms: Mutex<HashMap<(usize, u16), GlyphFormEntry>>,
}

/// A stored glyph form: the face it belongs to (while it lives) and the form (`None` for
/// a glyph without outline).
type GlyphFormEntry = (Weak<FontFace>, Option<Arc<GlyphForm>>);

/// A glyph's outline as a form's content, as stored (deflated where that made it
/// smaller), and its bounding box in font units.
struct GlyphForm {
    content: Vec<u8>,
    deflated: bool,
    bbox: [f32; 4],
}

impl Default for PdfWriter {
    fn default() -> Self {
        PdfWriter {
            forms: Mutex::default(),
            streams: Arc::default(),
            helper: Helper::new("pdf-fonts"),
            glyph_forms: Mutex::default(),
        }
    }
}

/// Compresses streams, keeping what can be reused.
#[derive(Default)]
struct Deflater {
    /// Compressed streams by a hash of their content: the font subset stays the same
    /// while a clerk edits a paragraph, so the preview need not deflate it again.
    deflated: Mutex<Vec<DeflatedEntry>>,
    /// How many streams were taken from `deflated` instead of deflated again.
    reused: std::sync::atomic::AtomicUsize,
    /// The compressors of the last document, kept for the next: making one allocates and
    /// clears its window and tables (a tenth of a cold render's deflating went to that).
    /// Two: the fonts are compressed on the helper while the pages are on this thread.
    compressors: Mutex<Vec<flate2::Compress>>,
}

/// A graphic (while it lives) and its compressed drawing.
type FormEntry = (Weak<Graphic>, Arc<Vec<u8>>);
/// Hash and length of a stream's content, and the content compressed.
type DeflatedEntry = (u64, usize, Compressed);
/// A stream's content compressed (shared with the writer's cache).
type Compressed = Arc<Vec<u8>>;

/// How many compressed streams the writer remembers, the least recently used forgotten
/// first: a letter of many pages, redrawn, finds all its pages (with eight, remembered in
/// the order they came, a letter of more than eight streams pushed out each of its own
/// before it came round again).
const DEFLATE_CACHE: usize = 32;

/// The smallest stream whose compressed bytes are remembered.
const DEFLATE_CACHE_FROM: usize = 1024;

/// Writes a typeset document as PDF bytes (with a writer of its own).
pub fn write(doc: &Document, opts: &PdfOptions) -> Result<Vec<u8>> {
    PdfWriter::default().write(doc, opts)
}

impl PdfWriter {
    /// A writer with an empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many streams this writer has taken from its cache instead of deflating them
    /// again, since it was made (what the tests and benches see of the cache).
    pub fn streams_reused(&self) -> usize {
        self.streams
            .reused
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Forgets the compressed streams of earlier documents (for cold measurements). The
    /// drawings of the office's emblem are kept: they belong to the office, not a letter.
    pub fn clear_cache(&self) {
        if let Ok(mut d) = self.streams.deflated.lock() {
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

    // Codes per face (regular and bold may be one file: then one font serves both).
    let same_face = Arc::ptr_eq(&doc.fonts.regular, &doc.fonts.bold);
    let face_of = |style: FontStyle| {
        if same_face {
            FontStyle::Regular
        } else {
            style
        }
    };
    let mut codes: BTreeMap<FontStyle, Codes> = BTreeMap::new();
    for page in &doc.pages {
        for (_, t) in page.texts() {
            let c = codes.entry(face_of(t.style)).or_default();
            for g in t.glyphs.iter().filter(|g| !g.text.is_empty()) {
                c.code(g.id, &g.text);
            }
        }
    }
    // The fonts' names and codes are known now. Their subsets are cut, read and compressed
    // on the writer's helper thread while the pages are drawn and compressed here: the
    // font was the larger part of writing a one-page letter (its 28 KB deflated).
    let mut fonts: HashMap<FontStyle, FontEntry> = HashMap::new();
    let mut wanted: Vec<(FontId, Arc<FontFace>, Vec<u16>)> = Vec::new();
    for (i, (style, c)) in codes.into_iter().enumerate() {
        // Named in order (`F1`, `F2` …; why: [`add_xobject`]).
        let id = FontId(format!("F{}", i + 1));
        let ids = std::iter::once(0)
            .chain(c.pairs.iter().map(|(g, _)| *g))
            .collect();
        wanted.push((id.clone(), doc.fonts.face(style).clone(), ids));
        let entry = FontEntry {
            id,
            codes: Arc::new(c),
        };
        if same_face {
            fonts.insert(
                FontStyle::Bold,
                FontEntry {
                    id: entry.id.clone(),
                    codes: entry.codes.clone(),
                },
            );
        }
        fonts.insert(style, entry);
    }
    let (tx, made) = mpsc::sync_channel(1);
    let streams = writer.streams.clone();
    let fonts_job: Job = Box::new(move || {
        let ready = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            wanted
                .iter()
                .map(|(id, face, ids)| prepare_font(&streams, id, face, ids))
                .collect::<Result<Vec<PreparedFont>>>()
        }));
        let _ = tx.send(ready.unwrap_or_else(|_| {
            Err(Error::Pdf(
                "the PDF writer failed while preparing the fonts".into(),
            ))
        }));
    });
    // Without a helper thread, the fonts are made ready here first.
    if let Err(job) = writer.helper.run(fonts_job) {
        job();
    }
    // Each page compressed as soon as it is drawn, while the fonts still are.
    let (contents, pages) = draw_pages(writer, doc, &mut pdf, &fonts)?;
    let contents: Vec<_> = contents
        .into_iter()
        .map(|c| {
            let z = writer.compressed(&c);
            (c, z)
        })
        .collect();
    let prepared = made
        .recv()
        .unwrap_or_else(|_| Err(Error::Pdf("the PDF writer's helper thread ended".into())))?;
    let mut precompressed = Vec::new();
    for font in prepared {
        pdf.resources
            .fonts
            .map
            .insert(font.id, printpdf::PdfFont::new(font.parsed));
        if let Some(c) = font.deflated {
            precompressed.push((font.program, c));
        }
    }
    pdf.with_pages(pages);
    let mut warnings = Vec::new();
    let save = PdfSaveOptions {
        subset_fonts: false,
        optimize: false,
        ..Default::default()
    };
    let mut lo = pdf.to_lopdf_document(&save, &mut warnings);
    put_contents(&mut lo, contents)?;
    only_true_metadata(&mut lo);
    if let Some(json) = &doc.letter_data {
        let date = chrono::DateTime::from_timestamp(now.unix_timestamp(), 0)
            .unwrap_or_default()
            .format("D:%Y%m%d%H%M%SZ")
            .to_string();
        attach::embed(&mut lo, json, &date)?;
    }
    compress_streams(writer, &mut lo, &precompressed);
    if opts.pdfa {
        archive::make_archival(
            &mut lo,
            &archive::Meta {
                title: &doc.title,
                author: &doc.author,
                subject: &doc.subject,
                producer: &format!("Saraban {}", env!("CARGO_PKG_VERSION")),
                created_unix: now.unix_timestamp(),
                // PDF/A-2 allows only PDF/A files inside; a letter's data makes it PDF/A-3.
                part: if doc.letter_data.is_some() { 3 } else { 2 },
            },
        )?;
    }
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| Error::Pdf(e.to_string()))?;
    if bytes.len() < 64 {
        return Err(Error::Pdf("the PDF writer produced no output".into()));
    }
    Ok(bytes)
}

/// Draws every page's content ([`content`]), adding the forms and images they use to
/// `pdf`. printpdf gets, on the first page, only one showing of every code of each font,
/// from which it makes the fonts' widths and ToUnicode maps; the pages' streams are later
/// put in place of its own.
fn draw_pages(
    writer: &PdfWriter,
    doc: &Document,
    pdf: &mut PdfDocument,
    fonts: &HashMap<FontStyle, FontEntry>,
) -> Result<(Vec<Vec<u8>>, Vec<PdfPage>)> {
    let mut images: Vec<(*const Graphic, printpdf::XObjectId)> = Vec::new();
    let mut forms = GlyphForms::default();
    let mut contents: Vec<Vec<u8>> = Vec::with_capacity(doc.pages.len());
    let mut pages = Vec::with_capacity(doc.pages.len());
    for frame in &doc.pages {
        let page_h = frame.size.h;
        let mut page = content::new_content(frame.items.len() * 192);
        for (at, item) in &frame.items {
            match item {
                Item::Text(run) => {
                    let Some(font) = fonts.get(&run.style) else {
                        continue;
                    };
                    let face = doc.fonts.face(run.style);
                    content::text_line(
                        &mut page,
                        PdfName(font.id.0.as_bytes()),
                        |g, t| font.codes.get(g, t).unwrap_or(0),
                        face,
                        run,
                        *at,
                        page_h,
                    );
                    draw_outlines(writer, &mut page, pdf, &mut forms, run, face, *at, page_h);
                }
                Item::Image { graphic, size } => {
                    draw_image(
                        writer,
                        pdf,
                        &mut images,
                        &mut page,
                        graphic,
                        *at,
                        *size,
                        page_h,
                    )?;
                }
                Item::Shape(shape) => content::rules(&mut page, shape, *at, page_h),
                Item::Slot { .. } => {}
            }
        }
        contents.push(page.finish().into_vec());
        let ops = if pages.is_empty() {
            every_code_once(fonts)
        } else {
            Vec::new()
        };
        pages.push(PdfPage::new(
            Mm(to_mm(frame.size.w)),
            Mm(to_mm(frame.size.h)),
            ops,
        ));
    }
    Ok((contents, pages))
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

/// A font made ready on the second core: its subset, read by printpdf, and the subset
/// compressed (`None` if deflating failed: then it is compressed with the other streams).
struct PreparedFont {
    id: FontId,
    parsed: ParsedFont,
    program: Vec<u8>,
    deflated: Option<Arc<Vec<u8>>>,
}

/// Subsets `face` to the glyphs `ids` (glyph `ids[i]` becomes glyph `i`, which is also
/// its code; `.notdef` is 0), names it with its subset tag, and compresses it.
fn prepare_font(
    streams: &Deflater,
    id: &FontId,
    face: &FontFace,
    ids: &[u16],
) -> Result<PreparedFont> {
    let program = subset_face(face, ids)?;
    let fail = |what: &str| font_error(face, what);
    let mut warnings = Vec::new();
    let mut parsed = ParsedFont::from_bytes(&program, 0, &mut warnings)
        .ok_or_else(|| fail("subset unreadable"))?;
    parsed.font_name = Some(format!(
        "{}+{}",
        subset_tag(ids),
        face.name.replace(' ', "")
    ));
    let deflated = streams.deflate(&program);
    Ok(PreparedFont {
        id: id.clone(),
        parsed,
        program,
        deflated,
    })
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

/// The tables a subset keeps: allsorts' PDF profile without `name`. A reader takes the
/// font's name from the PDF's font dictionary, never from the embedded file (ISO 32000-1,
/// 9.9, lists `name` among none of the tables a TrueType font needs there); in the letter
/// font it was 5.8 KB of the J.CLAIR letter's 33.7 KB subset, deflated for every letter.
/// The hinting tables (`cvt `, `fpgm`, `prep`) stay: printers and Windows' rasteriser use
/// them at small sizes.
const SUBSET_TABLES: [u32; 9] = [
    allsorts::tag::CMAP,
    allsorts::tag::HEAD,
    allsorts::tag::CVT,
    allsorts::tag::FPGM,
    allsorts::tag::HHEA,
    allsorts::tag::HMTX,
    allsorts::tag::MAXP,
    allsorts::tag::POST,
    allsorts::tag::PREP,
];

/// `face` cut down to the glyphs `ids` (a TrueType file for embedding), glyph `ids[i]`
/// becoming glyph `i`.
pub(crate) fn subset_face(face: &FontFace, ids: &[u16]) -> Result<Vec<u8>> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};

    let fail = |what: &str| font_error(face, what);
    // A damaged font can make the subsetter panic (an overflow in `glyf`): that is the
    // font's fault, said as such, never a crash of the app or the CLI.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let fd = ReadScope::new(&face.data)
            .read::<FontData<'_>>()
            .map_err(|e| fail(&e.to_string()))?;
        let provider = fd.table_provider(0).map_err(|e| fail(&e.to_string()))?;
        subset(
            &provider,
            ids,
            &SubsetProfile::Custom(SUBSET_TABLES.to_vec()),
            CmapTarget::Unicode,
        )
        .map_err(|e| fail(&e.to_string()))
    }))
    .unwrap_or_else(|_| Err(fail("ไฟล์ฟอนต์เสียหาย / the font file is damaged")))
}

/// Checks that every glyph of `face` can be embedded (subset) — what importing a font asks
/// before the font is stored, so that no later letter meets a glyph that breaks.
pub fn check_embeddable(face: &FontFace) -> Result<()> {
    let count = ttf_parser::Face::parse(&face.data, 0)
        .map(|f| f.number_of_glyphs())
        .map_err(|e| font_error(face, &e.to_string()))?;
    let ids: Vec<u16> = (0..count).collect();
    subset_face(face, &ids).map(drop)
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

/// The glyphs drawn as outlines in a document: one form per glyph, used wherever it is
/// drawn (an outline costs about a kilobyte; a use of its form, forty bytes).
#[derive(Default)]
struct GlyphForms(HashMap<(*const FontFace, u16), Option<printpdf::XObjectId>>);

impl GlyphForms {
    /// The form of glyph `gid` of `face` (`None` for a glyph without outline), added to
    /// the document the first time.
    fn get(
        &mut self,
        writer: &PdfWriter,
        pdf: &mut PdfDocument,
        face: &Arc<FontFace>,
        gid: u16,
    ) -> Option<printpdf::XObjectId> {
        self.0
            .entry((Arc::as_ptr(face), gid))
            .or_insert_with(|| {
                let form = writer.glyph_form(face, gid)?;
                Some(add_form(
                    pdf,
                    form.content.clone(),
                    form.bbox,
                    form.deflated,
                ))
            })
            .clone()
    }
}

impl PdfWriter {
    /// Glyph `gid` of `face` as a form's content (`None` for a glyph without outline),
    /// from the writer's store when it was drawn before.
    fn glyph_form(&self, face: &Arc<FontFace>, gid: u16) -> Option<Arc<GlyphForm>> {
        let key = (Arc::as_ptr(face) as usize, gid);
        let lock = || self.glyph_forms.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((owner, form)) = lock().get(&key) {
            if std::ptr::eq(owner.as_ptr(), Arc::as_ptr(face)) {
                return form.clone();
            }
        }
        let segs = face.outline(gid);
        let form = (!segs.is_empty()).then(|| {
            let (content, bbox) = outline_content(&segs);
            // As every other stream: deflated where that is worth it.
            Arc::new(match self.compressed(&content) {
                Some(z) => GlyphForm {
                    content: (*z).clone(),
                    deflated: true,
                    bbox,
                },
                None => GlyphForm {
                    content,
                    deflated: false,
                    bbox,
                },
            })
        });
        let mut forms = lock();
        // The glyphs of faces gone (a font replaced in the profile) are let go.
        forms.retain(|_, (owner, _)| owner.strong_count() > 0);
        forms.insert(key, (Arc::downgrade(face), form.clone()));
        form
    }
}

/// A glyph outline (font units, y up) as content that fills it, and its bounding box.
pub(crate) fn outline_content(segs: &[PathSeg]) -> (Vec<u8>, [f32; 4]) {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(segs.len() * 20);
    let mut bbox = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    let mut see = |x: f32, y: f32| {
        bbox[0] = bbox[0].min(x);
        bbox[1] = bbox[1].min(y);
        bbox[2] = bbox[2].max(x);
        bbox[3] = bbox[3].max(y);
    };
    for seg in segs {
        let _ = match *seg {
            PathSeg::MoveTo(x, y) => {
                see(x, y);
                writeln!(s, "{} {} m", x.round(), y.round())
            }
            PathSeg::LineTo(x, y) => {
                see(x, y);
                writeln!(s, "{} {} l", x.round(), y.round())
            }
            PathSeg::CubicTo(a, b, c, d, x, y) => {
                see(a, b);
                see(c, d);
                see(x, y);
                writeln!(
                    s,
                    "{} {} {} {} {} {} c",
                    a.round(),
                    b.round(),
                    c.round(),
                    d.round(),
                    x.round(),
                    y.round()
                )
            }
            PathSeg::Close => writeln!(s, "h"),
        };
    }
    s.push_str("f\n");
    if bbox[0] > bbox[2] {
        bbox = [0.0; 4];
    }
    (s.into_bytes(), bbox)
}

/// Draws the glyphs of a line that are drawn as outlines ([`outlined`]), each as a use of
/// its form.
#[allow(clippy::too_many_arguments)]
fn draw_outlines(
    writer: &PdfWriter,
    page: &mut Content,
    pdf: &mut PdfDocument,
    forms: &mut GlyphForms,
    run: &TextRun,
    face: &Arc<FontFace>,
    at: Point,
    page_h: f32,
) {
    let mut started = false;
    for (gid, gx, gy, s) in outlined(run, face) {
        let Some(id) = forms.get(writer, pdf, face, gid) else {
            continue;
        };
        if !started {
            page.save_state();
            page.set_fill_rgb(run.color.0, run.color.1, run.color.2);
            started = true;
        }
        content::use_form(
            page,
            PdfName(id.0.as_bytes()),
            [s, s],
            at.x + gx,
            page_h - at.y + gy,
        );
    }
    if started {
        page.restore_state();
    }
}

/// A glyph's advance in thousandths of an em, in whole units as the `/W` arrays give it:
/// what a PDF viewer advances by.
pub(crate) fn em_width(face: &FontFace, gid: u16) -> i64 {
    (face.advance(gid) as f64 * 1000.0 / face.units_per_em as f64) as i64
}

/// One baseline segment of a text line: where it starts (from the run's origin; y up from
/// the baseline), the `TJ` number before its first glyph, and the glyphs shown as text.
pub(crate) struct Segment {
    pub x: f32,
    pub y: f32,
    pub lead: f32,
    pub glyphs: Vec<Shown>,
}

/// A glyph shown as text: its index in the run, the `TJ` number that follows it, and
/// whether it is shown invisibly (the text of a glyph drawn as an outline).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shown {
    pub index: usize,
    pub after: f32,
    pub invisible: bool,
}

/// Splits a line where a glyph is raised or lowered from the baseline, and gives each glyph
/// the `TJ` number that moves the next one from where the font's advance leaves it to where
/// the typesetter put it (in thousandths of an em, rounded to 1/100; 0 when none is needed,
/// which the writers leave out).
///
/// Glyphs drawn as outlines ([`outlined`]) are not shown where they are drawn: one that
/// stands for no text is left out (the numbers around it carry its place), one that stands
/// for text is shown invisibly where the pen stands, then the pen goes back.
pub(crate) fn segments(run: &TextRun, face: &FontFace) -> Vec<Segment> {
    let to_em = 1000.0 / run.size as f64;
    let mut out = Vec::new();
    let shown_at = |g: &saraban_typeset::frame::Glyph| !g.outline;
    let mut i = 0;
    while i < run.glyphs.len() {
        // A segment: glyphs shown at one height; outlines go with the text around them.
        let y = run.glyphs[i..]
            .iter()
            .find(|g| shown_at(g))
            .map(|g| g.y)
            .unwrap_or(0.0);
        let mut j = i;
        while j < run.glyphs.len() && (!shown_at(&run.glyphs[j]) || run.glyphs[j].y == y) {
            j += 1;
        }
        let seg = &run.glyphs[i..j];
        let x0 = seg
            .iter()
            .find(|g| shown_at(g))
            .map(|g| g.x)
            .unwrap_or(seg[0].x);
        let mut pen = 0.0f64; // where the pen stands, in thousandths of an em from x0
        let mut lead = 0.0f64;
        let mut glyphs: Vec<Shown> = Vec::with_capacity(seg.len());
        // Moves the pen to `want` with the number after the last glyph shown.
        let mut go = |glyphs: &mut Vec<Shown>, pen: &mut f64, want: f64| {
            let o = ((*pen - want) * 100.0).round() / 100.0;
            if o != 0.0 {
                match glyphs.last_mut() {
                    Some(s) => s.after += o as f32,
                    None => lead += o,
                }
                *pen -= o;
            }
        };
        for (k, g) in seg.iter().enumerate() {
            if g.outline && g.text.is_empty() {
                continue;
            }
            if !g.outline {
                go(&mut glyphs, &mut pen, (g.x - x0) as f64 * to_em);
            }
            glyphs.push(Shown {
                index: i + k,
                after: 0.0,
                invisible: g.outline,
            });
            pen += em_width(face, g.id) as f64;
        }
        // Nothing follows the last glyph shown; an invisible one at the end needs no return.
        if let Some(last) = glyphs.last_mut() {
            last.after = 0.0;
        }
        if !glyphs.is_empty() {
            out.push(Segment {
                x: x0,
                y,
                lead: lead as f32,
                glyphs,
            });
        }
        i = j;
    }
    out
}

/// Glyphs drawn as filled outlines (see `Glyph::outline`), each with where it goes (from
/// the run's origin, y up) and the scale from font units to points.
pub(crate) fn outlined<'a>(
    run: &'a TextRun,
    face: &'a FontFace,
) -> impl Iterator<Item = (u16, f32, f32, f32)> + 'a {
    let scale = run.size / face.units_per_em as f32;
    run.glyphs
        .iter()
        .filter(|g| g.outline)
        .map(move |g| (g.id, g.x, g.y, scale))
}

/// The codes of one font in a PDF: one per pair of glyph and the text it stands for, so
/// that the same glyph is copied as different text in different places (the nikhahit is
/// ำ in นำ but ้ำ in น้ำ). Each code has its own entry in the ToUnicode map, so every reader
/// copies what the clerk typed, not only those that read `/ActualText`.
#[derive(Default)]
pub(crate) struct Codes {
    /// Per glyph, its texts and their codes (a glyph has one text, rarely a few).
    by_glyph: HashMap<u16, Vec<(String, u16)>>,
    /// Glyph and text of code `FIRST_CODE + i`.
    pub pairs: Vec<(u16, String)>,
}

/// The first code given to a glyph (code 0 stays `.notdef`).
pub(crate) const FIRST_CODE: u16 = 1;

impl Codes {
    /// The code of a glyph standing for `text`, given out on first use (0, `.notdef`,
    /// when all 65 535 are taken).
    pub fn code(&mut self, gid: u16, text: &str) -> u16 {
        if let Some(c) = self.get(gid, text) {
            return c;
        }
        let Ok(c) = u16::try_from(FIRST_CODE as usize + self.pairs.len()) else {
            return 0;
        };
        self.pairs.push((gid, text.to_string()));
        self.by_glyph
            .entry(gid)
            .or_default()
            .push((text.to_string(), c));
        c
    }

    /// The code given to a glyph standing for `text`, if any.
    pub fn get(&self, gid: u16, text: &str) -> Option<u16> {
        self.by_glyph
            .get(&gid)?
            .iter()
            .find(|(t, _)| t == text)
            .map(|&(_, c)| c)
    }
}

/// Adds a form XObject of `content` (already deflated when `deflated`) with its bounding
/// box, in the form's own units.
fn add_form(
    pdf: &mut PdfDocument,
    content: Vec<u8>,
    bbox: [f32; 4],
    deflated: bool,
) -> printpdf::XObjectId {
    let mut dict = BTreeMap::new();
    dict.insert("Type".to_string(), DictItem::Name(b"XObject".to_vec()));
    dict.insert("Subtype".to_string(), DictItem::Name(b"Form".to_vec()));
    dict.insert(
        "BBox".to_string(),
        DictItem::Array(bbox.iter().map(|&v| DictItem::Real(v)).collect()),
    );
    if deflated {
        dict.insert(
            "Filter".to_string(),
            DictItem::Name(b"FlateDecode".to_vec()),
        );
    }
    add_xobject(
        pdf,
        printpdf::XObject::External(ExternalXObject {
            stream: ExternalStream {
                dict,
                content,
                compress: false,
            },
            width: None,
            height: None,
            dpi: None,
        }),
    )
}

/// Adds an XObject under the next name in order (`X1`, `X2` …). Names of resources are
/// numbered in the order they are added, never printpdf's random ones: the same document
/// then writes the same bytes, so its page streams are deflated once and reused from the
/// writer's cache while the preview is redrawn, and a letter written twice is the same file.
fn add_xobject(pdf: &mut PdfDocument, x: printpdf::XObject) -> printpdf::XObjectId {
    let id = printpdf::XObjectId(format!("X{}", pdf.resources.xobjects.map.len() + 1));
    pdf.resources.xobjects.map.insert(id.clone(), x);
    id
}

/// Draws an emblem: a vector one as a form (its drawing deflated once per office), a
/// raster one as an image, each added to the document the first time.
#[allow(clippy::too_many_arguments)]
fn draw_image(
    writer: &PdfWriter,
    pdf: &mut PdfDocument,
    images: &mut Vec<(*const Graphic, printpdf::XObjectId)>,
    page: &mut Content,
    graphic: &Arc<Graphic>,
    at: Point,
    size: Size,
    page_h: f32,
) -> Result<()> {
    let key = Arc::as_ptr(graphic);
    let known = images
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, id)| id.clone());
    let first = known.is_none();
    let (id, scale) = match graphic.as_ref() {
        Graphic::Vector { width, height, .. } => {
            let id = match known {
                Some(id) => id,
                None => {
                    let content = (*writer.form_content(graphic)).clone();
                    add_form(pdf, content, [0.0, 0.0, *width, *height], true)
                }
            };
            let s = if *height > 0.0 { size.h / height } else { 1.0 };
            (id, [s, s])
        }
        Graphic::Raster { data, .. } => {
            let id = match known {
                Some(id) => id,
                None => {
                    let mut warnings = Vec::new();
                    let img = RawImage::decode_from_bytes(data, &mut warnings).map_err(|e| {
                        Error::Emblem {
                            th: format!("ถอดรหัสรูปตราครุฑไม่ได้ ({e})"),
                            en: format!("cannot decode the emblem image ({e})"),
                        }
                    })?;
                    add_xobject(pdf, printpdf::XObject::Image(img))
                }
            };
            // An image fills the unit square: scaled to the slot it is set in.
            (id, [size.w, size.h])
        }
    };
    if first {
        images.push((key, id.clone()));
    }
    content::use_form(
        page,
        PdfName(id.0.as_bytes()),
        scale,
        at.x,
        page_h - at.y - size.h,
    );
    Ok(())
}

/// What printpdf is given of the text: every code of each font shown once, from which it
/// writes the font's widths and its ToUnicode map (one text per code).
fn every_code_once(fonts: &HashMap<FontStyle, FontEntry>) -> Vec<Op> {
    let mut entries: Vec<&FontEntry> = fonts.values().collect();
    entries.sort_by(|a, b| a.id.0.cmp(&b.id.0));
    entries.dedup_by(|a, b| a.id == b.id);
    let mut ops = Vec::new();
    for font in entries.into_iter().filter(|f| !f.codes.pairs.is_empty()) {
        let codes = font
            .codes
            .pairs
            .iter()
            .enumerate()
            .map(|(i, (_, text))| Codepoint::with_cid(FIRST_CODE + i as u16, 0.0, text.clone()))
            .collect();
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(font.id.clone()),
            size: Pt(1.0),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(codes)],
        });
        ops.push(Op::EndTextSection);
    }
    ops
}

/// Puts each page's own content ([`content`]) in place of the stream printpdf wrote,
/// compressed where it comes with its compressed bytes.
fn put_contents(
    lo: &mut lopdf::Document,
    contents: Vec<(Vec<u8>, Option<Compressed>)>,
) -> Result<()> {
    let pages: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
    if pages.len() != contents.len() {
        return Err(Error::Pdf(format!(
            "the PDF writer made {} pages of {}",
            pages.len(),
            contents.len()
        )));
    }
    for (page, (bytes, compressed)) in pages.into_iter().zip(contents) {
        let id = lo
            .get_dictionary(page)
            .and_then(|d| d.get(b"Contents"))
            .and_then(|c| c.as_reference())
            .map_err(|e| Error::Pdf(format!("a page without its content ({e})")))?;
        let stream = lo
            .get_object_mut(id)
            .and_then(|o| o.as_stream_mut())
            .map_err(|e| Error::Pdf(format!("a page without its content ({e})")))?;
        match compressed {
            Some(c) => {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content((*c).clone());
            }
            None => stream.set_content(bytes),
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

/// Compresses every stream that is not compressed yet (the cached emblem already is):
/// with the bytes of `precompressed` where its first member is the stream's content (the
/// fonts, compressed on the second core), else through the writer's cache.
fn compress_streams(
    writer: &PdfWriter,
    doc: &mut lopdf::Document,
    precompressed: &[(Vec<u8>, Arc<Vec<u8>>)],
) {
    for obj in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = obj else {
            continue;
        };
        if stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let known = precompressed
            .iter()
            .find(|(raw, _)| *raw == stream.content)
            .map(|(_, c)| c.clone());
        let compressed = match known {
            Some(c) => smaller(&stream.content, Some(c)),
            None => writer.compressed(&stream.content),
        };
        if let Some(c) = compressed {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content((*c).clone());
        }
    }
}

/// `compressed` when storing it instead of `raw` is worth it: streams under 64 bytes are
/// stored as they are, and so is one that would not come out 20 bytes smaller (the
/// `/Filter` entry it needs).
fn smaller(raw: &[u8], compressed: Option<Compressed>) -> Option<Compressed> {
    compressed.filter(|c| raw.len() >= 64 && c.len() + 19 < raw.len())
}

impl PdfWriter {
    /// `data` compressed where storing it so is worth it ([`smaller`]), from the cache
    /// when it was compressed before.
    fn compressed(&self, data: &[u8]) -> Option<Compressed> {
        if data.len() < 64 {
            return None;
        }
        smaller(data, self.streams.deflate(data))
    }
}

impl Deflater {
    /// `data` compressed, from the cache when it was compressed before (`None` if
    /// deflating fails). Safe from two threads at once: each takes a compressor of its own.
    fn deflate(&self, data: &[u8]) -> Option<Arc<Vec<u8>>> {
        use std::hash::{Hash, Hasher};
        let key = (data.len() >= DEFLATE_CACHE_FROM).then(|| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            data.hash(&mut h);
            (h.finish(), data.len())
        });
        if let (Some((k, n)), Ok(mut cache)) = (key, self.deflated.lock()) {
            if let Some(at) = cache.iter().position(|(h, len, _)| *h == k && *len == n) {
                let entry = cache.remove(at);
                let c = entry.2.clone();
                cache.push(entry);
                self.reused
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return Some(c);
            }
        }
        // A compressor of an earlier stream: each new one would allocate and clear its
        // window and tables again (a tenth of a letter's render went to that).
        let mut z = self
            .compressors
            .lock()
            .ok()
            .and_then(|mut c| c.pop())
            .unwrap_or_else(|| {
                flate2::Compress::new(flate2::Compression::new(DEFLATE_LEVEL), true)
            });
        let c = deflate_with(&mut z, data).map(Arc::new);
        if let Ok(mut pool) = self.compressors.lock() {
            if pool.len() < 2 {
                pool.push(z);
            }
        }
        let c = c?;
        if let (Some((k, n)), Ok(mut cache)) = (key, self.deflated.lock()) {
            if cache.len() >= DEFLATE_CACHE {
                cache.remove(0);
            }
            cache.push((k, n, c.clone()));
        }
        Some(c)
    }
}

/// `data` as a zlib stream, with a compressor used before (`None` if it fails).
fn deflate_with(z: &mut flate2::Compress, data: &[u8]) -> Option<Vec<u8>> {
    z.reset();
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    loop {
        let read = z.total_in() as usize;
        match z.compress_vec(&data[read..], &mut out, flate2::FlushCompress::Finish) {
            Ok(flate2::Status::StreamEnd) => return Some(out),
            Ok(_) => out.reserve(out.capacity().max(4096)),
            Err(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saraban_typeset::font::FontSet;

    /// A glyph's outline is drawn once per face and writer: the second letter takes the
    /// same form; another face (even of the same file) has its own; a face let go takes
    /// its forms with it.
    #[test]
    fn a_glyph_outline_is_drawn_once_per_face() {
        let fonts = FontSet::bundled().expect("the fonts set-up installs");
        let face = fonts.regular.clone();
        let gid = (1..200u16)
            .find(|&g| !face.outline(g).is_empty())
            .expect("a glyph with an outline");
        let writer = PdfWriter::new();
        let first = writer.glyph_form(&face, gid).unwrap();
        let again = writer.glyph_form(&face, gid).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "drawn once");
        // What a reader gets back is the outline drawn now.
        let (content, bbox) = outline_content(&face.outline(gid));
        assert_eq!(first.bbox, bbox);
        let stored = if first.deflated {
            let mut out = Vec::new();
            std::io::Read::read_to_end(
                &mut flate2::read::ZlibDecoder::new(&first.content[..]),
                &mut out,
            )
            .unwrap();
            out
        } else {
            first.content.clone()
        };
        assert_eq!(stored, content);
        let other = Arc::new(
            FontFace::from_bytes(face.data.to_vec(), std::path::Path::new("again.ttf")).unwrap(),
        );
        let theirs = writer.glyph_form(&other, gid).unwrap();
        assert!(!Arc::ptr_eq(&first, &theirs), "a face of its own");
        drop(other);
        // The next glyph stored lets the glyphs of the face gone go.
        let next = (gid + 1..400u16)
            .find(|&g| !face.outline(g).is_empty())
            .expect("another glyph with an outline");
        let _ = writer.glyph_form(&face, next);
        let stored = writer.glyph_forms.lock().unwrap();
        assert_eq!(stored.len(), 2, "the glyphs of a face gone are let go");
        assert!(stored.values().all(|(owner, _)| owner.strong_count() > 0));
    }
}
