//! The live preview is drawn from the frames, not from the PDF (`saraban_raster`): it must
//! still be the PDF. Each page the press draws for the preview is compared with poppler's
//! drawing of the letter's PDF (`pdftoppm`) at the same resolution: every inked pixel of
//! one has ink at most a pixel away in the other. A word left out, a glyph of another font
//! or a line moved by half a point fails it; anti-aliasing does not.

use std::path::Path;
use std::process::Command;

use super::common;

/// 150 dots per inch: a line of 16 pt TH Sarabun is about 33 pixels tall.
const DPI: f32 = 150.0;

/// A grey page: width, height, one byte per pixel (0 black, 255 white).
struct Grey {
    w: usize,
    h: usize,
    px: Vec<u8>,
}

impl Grey {
    fn ink(&self, x: usize, y: usize) -> bool {
        self.px[y * self.w + x] < 128
    }
}

/// Page `page` of `pdf` as poppler draws it.
fn poppler(pdf: &[u8], page: u32, dir: &Path) -> Grey {
    let file = dir.join("letter.pdf");
    std::fs::write(&file, pdf).unwrap();
    let p = page.to_string();
    let out = dir.join("page");
    let ok = Command::new("pdftoppm")
        .args([
            "-gray",
            "-r",
            &DPI.to_string(),
            "-f",
            &p,
            "-l",
            &p,
            "-singlefile",
        ])
        .arg(&file)
        .arg(&out)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        common::missing_tool("pdftoppm (poppler-utils)");
    }
    let data = std::fs::read(dir.join("page.pgm")).unwrap();
    // P5, width, height, maxval, one whitespace, then the pixels.
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while data[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    Grey {
        w,
        h,
        px: data[i + 1..i + 1 + w * h].to_vec(),
    }
}

/// Page `page` (1-based) of the press's preview of `letter` at the same resolution.
fn preview(office: &saraban::Office, letter: &saraban::Letter, page: usize) -> Grey {
    let p = office.preview(letter, DPI / 72.0, &[]).unwrap();
    let png = p.pages[page - 1].picture.as_ref().unwrap();
    // SARABAN_KEEP_PREVIEW=DIR keeps each page drawn, to look at.
    if let Some(dir) = std::env::var_os("SARABAN_KEEP_PREVIEW") {
        let name = format!(
            "{}-{page}.png",
            letter
                .subject
                .as_deref()
                .unwrap_or("letter")
                .chars()
                .take(20)
                .collect::<String>()
        );
        std::fs::write(Path::new(&dir).join(name), png).unwrap();
    }
    let img = image::load_from_memory(png).unwrap().to_luma8();
    Grey {
        w: img.width() as usize,
        h: img.height() as usize,
        px: img.into_raw(),
    }
}

/// Inked pixels of `a` with no ink within one pixel in `b`.
fn unmatched(a: &Grey, b: &Grey) -> usize {
    let mut n = 0;
    for y in 0..a.h.min(b.h) {
        for x in 0..a.w.min(b.w) {
            if !a.ink(x, y) {
                continue;
            }
            let near = (y.saturating_sub(1)..=(y + 1).min(b.h - 1))
                .any(|yy| (x.saturating_sub(1)..=(x + 1).min(b.w - 1)).any(|xx| b.ink(xx, yy)));
            if !near {
                n += 1;
            }
        }
    }
    n
}

fn ink(g: &Grey) -> usize {
    g.px.iter().filter(|&&v| v < 128).count()
}

/// The two drawings of one page agree: sizes within a pixel, and at most 0.2 % of either's
/// ink without ink of the other beside it (a pixel or two where the two rasterisers round
/// a hairline differently).
fn assert_alike(name: &str, page: usize, ours: &Grey, theirs: &Grey) {
    assert!(
        ours.w.abs_diff(theirs.w) <= 1 && ours.h.abs_diff(theirs.h) <= 1,
        "{name} p{page}: {}×{} drawn, poppler {}×{}",
        ours.w,
        ours.h,
        theirs.w,
        theirs.h
    );
    let (a, b) = (unmatched(ours, theirs), unmatched(theirs, ours));
    let (ia, ib) = (ink(ours), ink(theirs));
    assert!(
        ia > 10_000,
        "{name} p{page}: a page with text ({ia} inked pixels)"
    );
    assert!(
        a * 500 <= ia && b * 500 <= ib,
        "{name} p{page}: {a} of {ia} inked pixels of the preview have no ink beside them in the PDF, {b} of {ib} the other way"
    );
}

#[test]
fn the_preview_is_the_pdf_pixel_for_pixel() {
    let office = common::office_with_emblem();
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "jclair-specialists",
        "memo",
        "stamped",
        "order",
        "p4g-invitation",
    ] {
        let letter = common::letter(name);
        let pdf = office.render(&letter).unwrap();
        let pages = office.preview(&letter, 1.0, &[]).unwrap().pages.len();
        for page in 1..=pages {
            let ours = preview(&office, &letter, page);
            let theirs = poppler(&pdf, page as u32, dir.path());
            assert_alike(name, page, &ours, &theirs);
        }
    }
}

/// The comparison sees what it must: a word more, or the page moved by half a point.
#[test]
fn the_pixel_comparison_sees_a_changed_word_and_a_shift() {
    let office = common::office_with_emblem();
    let dir = tempfile::tempdir().unwrap();
    let letter = common::letter("jclair-specialists");
    let pdf = office.render(&letter).unwrap();
    let theirs = poppler(&pdf, 1, dir.path());

    let mut other = letter.clone();
    other.subject.as_mut().unwrap().insert_str(0, "ด่วน ");
    let ours = preview(&office, &other, 1);
    let (a, ia) = (unmatched(&ours, &theirs), ink(&ours));
    assert!(a * 500 > ia, "a changed subject is seen: {a} of {ia}");

    let ours = preview(&office, &letter, 1);
    let shifted = Grey {
        w: ours.w,
        h: ours.h,
        px: (0..ours.h)
            .flat_map(|y| {
                let row = &ours.px[y * ours.w..(y + 1) * ours.w];
                std::iter::repeat_n(255u8, 2).chain(row[..ours.w - 2].iter().copied())
            })
            .collect(),
    };
    let (a, ia) = (unmatched(&shifted, &theirs), ink(&shifted));
    assert!(
        a * 500 > ia,
        "a page moved by two pixels is seen: {a} of {ia}"
    );
}

/// Every stream of a PDF but its XMP metadata (which carries the time of writing), as
/// stored (deflated), in the file's order.
fn streams_of(pdf: &[u8]) -> Vec<Vec<u8>> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|o| match o {
            lopdf::Object::Stream(s)
                if s.dict.get(b"Type").ok() != Some(&lopdf::Object::Name(b"Metadata".to_vec())) =>
            {
                Some(s.content.clone())
            }
            _ => None,
        })
        .collect()
}

/// The preview writes the same letter again and again: one office writing it twice gives
/// the same pages, fonts and emblem, stream for stream (its fonts and emblem named in
/// order, never at random, so a page's drawing is the same bytes each time and the writer
/// deflates it once and takes it from its cache after). Its compressor, kept from one
/// letter to the next, compresses as a new one would: with nothing cached, each stream is
/// the same bytes after another letter was written with it.
#[test]
fn one_office_writes_the_same_letter_to_the_same_streams() {
    let office = common::office_with_emblem();
    for name in ["jclair-specialists", "p4g-invitation"] {
        let letter = common::letter(name);
        let first = streams_of(&office.render(&letter).unwrap());
        assert!(first.len() >= 3, "{name}: pages, font, emblem");
        let again = streams_of(&office.render(&letter).unwrap());
        assert!(first == again, "{name}: written twice, other streams");
        office.clear_caches();
        let cold = streams_of(&office.render(&letter).unwrap());
        assert!(cold == first, "{name}: with nothing cached, other streams");
        let fresh = streams_of(&common::office_with_emblem().render(&letter).unwrap());
        assert!(
            fresh == first,
            "{name}: a new office's writer, other streams"
        );
    }
}

/// A long letter written again takes every page from the writer's cache: with eight
/// streams remembered in the order they came, a letter of more pages than that pushed out
/// each of its own before it came round again, and every page was deflated anew.
#[test]
fn a_long_letter_written_again_is_deflated_once() {
    use saraban::pdf::{PdfOptions, PdfWriter};
    let office = common::office_with_emblem();
    let mut long = common::letter("jclair-specialists");
    let body = long.body.clone();
    for _ in 0..29 {
        long.body.extend(body.iter().cloned());
    }
    let doc = office.typeset(&long).unwrap();
    assert!(doc.pages.len() >= 12, "{} pages", doc.pages.len());
    let writer = PdfWriter::new();
    let first = writer.write(&doc, &PdfOptions::default()).unwrap();
    let before = writer.streams_reused();
    let again = writer.write(&doc, &PdfOptions::default()).unwrap();
    let reused = writer.streams_reused() - before;
    assert!(
        reused > doc.pages.len(),
        "{reused} streams reused for {} pages",
        doc.pages.len()
    );
    assert!(streams_of(&first) == streams_of(&again));
}

/// One writer used from four threads at once (the app's preview while a letter is issued):
/// its helper thread makes each document's fonts ready in turn, two compressors work side
/// by side, and every document comes out stream for stream as a writer of its own writes
/// it — its font program compressed.
#[test]
fn one_writer_on_four_threads_writes_each_letter_as_alone() {
    use saraban::pdf::{PdfOptions, PdfWriter};
    let office = common::office_with_emblem();
    let docs: Vec<_> = [
        "jclair-specialists",
        "green-area-training",
        "p4g-invitation",
    ]
    .iter()
    .map(|n| office.typeset(&common::letter(n)).unwrap())
    .collect();
    let opts = PdfOptions::default();
    let alone: Vec<_> = docs
        .iter()
        .map(|d| PdfWriter::new().write(d, &opts).unwrap())
        .collect();
    for pdf in &alone {
        let doc = lopdf::Document::load_mem(pdf).unwrap();
        let font_files: Vec<_> = doc
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .filter(|s| s.dict.get(b"Length1").is_ok())
            .collect();
        assert!(!font_files.is_empty(), "a font program embedded");
        for f in font_files {
            assert_eq!(
                f.dict.get(b"Filter").unwrap().as_name().unwrap(),
                b"FlateDecode",
                "the font program compressed"
            );
        }
    }
    let alone: Vec<_> = alone.iter().map(|p| streams_of(p)).collect();
    let writer = PdfWriter::new();
    std::thread::scope(|s| {
        for t in 0..4 {
            let (writer, docs, alone, opts) = (&writer, &docs, &alone, &opts);
            s.spawn(move || {
                for round in 0..6 {
                    let i = (t + round) % docs.len();
                    if round % 3 == 2 {
                        writer.clear_cache();
                    }
                    let pdf = writer.write(&docs[i], opts).unwrap();
                    assert!(streams_of(&pdf) == alone[i], "thread {t}, round {round}");
                }
            });
        }
    });
}
