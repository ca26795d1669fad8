//! Scans and photos: the image decoded within limits (an image bomb is refused before a
//! pixel is decoded), straightened (the skew that reads best, found by projection
//! profiles), cleaned of speckle, and read by Tesseract with its Thai model
//! (`tesseract-ocr-tha`); its words, with their boxes, are read as any page's are.
//!
//! Tesseract writes Thai as words without the spaces of the page: words are joined again
//! where the page has no gap between them, and ํ followed by า (how it writes ำ) becomes ำ.

use std::path::Path;

use image::{GrayImage, ImageReader, Luma};
use saraban_model::error::{Error, Result};
use saraban_model::received::{ReadBy, ReceivedKind};

use crate::digits::DigitShapes;
use crate::fields::{self, Spot};
use crate::page::{Page, Rect, Word};
use crate::tools::{arg, run, LIMIT};
use crate::Reading;

/// A page as an image, and its resolution.
pub struct Scan {
    pub gray: GrayImage,
    /// Dots per inch (taken from the size of an A4 page when the file does not say).
    pub dpi: f32,
}

fn image_error(name: &str, what: &str) -> Error {
    Error::input(
        "file",
        format!("เปิดภาพ {name} ไม่ได้ ({what}) ไฟล์อาจเสียหาย"),
        format!("the image {name} cannot be opened ({what}); it may be damaged"),
    )
}

/// Decodes an image, refusing one whose size would exhaust memory before decoding it.
pub fn decode(bytes: &[u8], name: &str) -> Result<Scan> {
    let reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| image_error(name, &e.to_string()))?;
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| image_error(name, &e.to_string()))?;
    if u64::from(w) * u64::from(h) > crate::MAX_PIXELS || w == 0 || h == 0 {
        return Err(Error::input(
            "file",
            format!(
                "ภาพ {name} ใหญ่ {} × {} จุด เกินกว่าภาพหนังสือหนึ่งหน้า (ไม่เกิน {} ล้านจุด) จึงไม่เปิด",
                saraban_thai::to_thai_digits(&w.to_string()),
                saraban_thai::to_thai_digits(&h.to_string()),
                saraban_thai::to_thai_digits(&(crate::MAX_PIXELS / 1_000_000).to_string())
            ),
            format!(
                "the image {name} is {w} × {h} pixels, more than a page of a letter (at most {} million): it was not opened",
                crate::MAX_PIXELS / 1_000_000
            ),
        ));
    }
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| image_error(name, &e.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(crate::MAX_PIXELS * 8);
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| image_error(name, &e.to_string()))?;
    let gray = img.to_luma8();
    // An A4 page 8.27 inches wide (or 11.69 on its side).
    let inches = if gray.width() > gray.height() {
        11.69
    } else {
        8.27
    };
    let dpi = (gray.width() as f32 / inches).clamp(50.0, 1200.0);
    Ok(Scan { gray, dpi })
}

/// Page `page` of a PDF as a 300 dpi grey image (poppler's `pdftoppm`).
pub fn render_page(pdf: &Path, page: u32) -> Result<Scan> {
    let n = page.to_string();
    let png = run(
        "pdftoppm",
        &[
            "-q".as_ref(),
            "-r".as_ref(),
            "300".as_ref(),
            "-gray".as_ref(),
            "-png".as_ref(),
            "-f".as_ref(),
            n.as_ref(),
            "-l".as_ref(),
            n.as_ref(),
            "-singlefile".as_ref(),
            arg(pdf),
        ],
        LIMIT,
    )?;
    let mut scan = decode(&png, "page")?;
    scan.dpi = 300.0;
    Ok(scan)
}

/// The skew of a page of text, in degrees: the angle whose rows of ink are sharpest.
pub fn skew_degrees(gray: &GrayImage) -> f32 {
    // Dark pixels of a copy about 800 pixels wide.
    let step = (gray.width() / 800).max(1);
    let mut dark: Vec<(f32, f32)> = Vec::new();
    for y in (0..gray.height()).step_by(step as usize) {
        for x in (0..gray.width()).step_by(step as usize) {
            if gray.get_pixel(x, y).0[0] < 110 {
                dark.push((x as f32 / step as f32, y as f32 / step as f32));
            }
        }
    }
    if dark.len() < 100 {
        return 0.0;
    }
    let rows = (gray.height() / step + 1) as usize * 2;
    let score = |deg: f32| {
        let (s, c) = deg.to_radians().sin_cos();
        let mut hist = vec![0u32; rows * 2];
        for (x, y) in &dark {
            let r = (y * c - x * s) as i64 + rows as i64;
            if let Some(v) = usize::try_from(r).ok().and_then(|r| hist.get_mut(r)) {
                *v += 1;
            }
        }
        hist.iter().map(|&v| (v as f64) * (v as f64)).sum::<f64>()
    };
    let mut best = (0.0f32, score(0.0));
    let mut deg = -6.0f32;
    while deg <= 6.0 {
        let s = score(deg);
        if s > best.1 {
            best = (deg, s);
        }
        deg += 0.25;
    }
    // Finer around the best.
    let coarse = best.0;
    let mut deg = coarse - 0.25;
    while deg <= coarse + 0.25 {
        let s = score(deg);
        if s > best.1 {
            best = (deg, s);
        }
        deg += 0.05;
    }
    best.0
}

/// The page straightened, cleaned and brought to 300 dpi for reading.
pub fn prepare(scan: &Scan) -> GrayImage {
    let deg = skew_degrees(&scan.gray);
    let straight = if deg.abs() >= 0.1 {
        // A positive skew runs down to the right; imageproc turns clockwise (as shown) by
        // a positive angle, so the page is turned back the other way.
        imageproc::geometric_transformations::rotate_about_center(
            &scan.gray,
            (-deg).to_radians(),
            imageproc::geometric_transformations::Interpolation::Bilinear,
            Luma([255]),
        )
    } else {
        scan.gray.clone()
    };
    let clean = straight;
    if scan.dpi < 280.0 {
        let f = 300.0 / scan.dpi;
        image::imageops::resize(
            &clean,
            (clean.width() as f32 * f) as u32,
            (clean.height() as f32 * f) as u32,
            image::imageops::FilterType::CatmullRom,
        )
    } else {
        clean
    }
}

/// Tesseract's words of a prepared page, as a page in pixels: the text of each line as
/// its plain-text output writes it (with the page's spaces), the boxes from its TSV, the
/// Thai digits read again by their shapes when `digits` are known.
fn tesseract(image: &GrayImage, dpi: f32, digits: Option<&DigitShapes>) -> Result<Page> {
    let dir = tempfile::Builder::new()
        .prefix("saraban-ocr-")
        .tempdir()
        .map_err(|e| Error::Write {
            path: std::env::temp_dir(),
            source: e,
        })?;
    let input = dir.path().join("page.png");
    image
        .save_with_format(&input, image::ImageFormat::Png)
        .map_err(|e| Error::Pdf(format!("cannot write the page for OCR: {e}")))?;
    let base = dir.path().join("out");
    let dpi = format!("{}", dpi.round() as u32);
    run(
        "tesseract",
        &[
            arg(&input),
            arg(&base),
            "-l".as_ref(),
            "tha+eng".as_ref(),
            "--psm".as_ref(),
            "6".as_ref(),
            "--dpi".as_ref(),
            dpi.as_ref(),
            "txt".as_ref(),
            "tsv".as_ref(),
        ],
        LIMIT,
    )?;
    let read = |ext: &str| {
        std::fs::read_to_string(dir.path().join(format!("out.{ext}"))).unwrap_or_default()
    };
    let fix = |text: &str, r: Rect, forced: bool| {
        digits.and_then(|d| {
            let rect = (
                r.x0.max(0.0) as u32,
                r.y0.max(0.0) as u32,
                r.x1.max(0.0) as u32,
                r.y1.max(0.0) as u32,
            );
            if forced {
                d.read_digits(image, rect)
            } else {
                d.reread(image, rect, text)
            }
        })
    };
    Ok(parse_tsv_fixing(
        &read("tsv"),
        &read("txt"),
        image.width() as f32,
        image.height() as f32,
        &fix,
    ))
}

/// Tesseract's TSV (a row per recognised unit: block, paragraph, line, box, text; for
/// Thai a character at a time) and its plain text (the same lines, with the spaces of the
/// page): words with their boxes.
#[cfg(test)]
pub(crate) fn parse_tsv(tsv: &str, txt: &str, w: f32, h: f32) -> Page {
    parse_tsv_fixing(tsv, txt, w, h, &|_, _, _| None)
}

/// How a run of units is read again: its text, its box, and whether it is read as digits
/// whatever Tesseract took it for (it stands where digits must be).
pub(crate) type Fix<'a> = &'a dyn Fn(&str, Rect, bool) -> Option<String>;

/// [`parse_tsv`], each run of Thai digits, and each unit that stands where digits must be,
/// given to `fix` to be read again.
pub(crate) fn parse_tsv_fixing(tsv: &str, txt: &str, w: f32, h: f32, fix: Fix<'_>) -> Page {
    let mut lines: Vec<Vec<Word>> = Vec::new();
    let mut key = (-1, -1, -1);
    for row in tsv.lines().skip(1) {
        let c: Vec<&str> = row.split('\t').collect();
        if c.len() < 12 || c[0] != "5" {
            continue;
        }
        let n = |i: usize| c[i].parse::<f32>().unwrap_or(0.0);
        let text = fix_text(c[11].trim());
        if text.is_empty() {
            continue;
        }
        let k = (
            c[2].parse::<i32>().unwrap_or(0),
            c[3].parse::<i32>().unwrap_or(0),
            c[4].parse::<i32>().unwrap_or(0),
        );
        if k != key {
            lines.push(Vec::new());
            key = k;
        }
        lines.last_mut().expect("pushed").push(Word {
            text,
            rect: Rect {
                x0: n(6),
                y0: n(7),
                x1: n(6) + n(8),
                y1: n(7) + n(9),
            },
        });
    }
    let texts: Vec<String> = txt
        .lines()
        .map(fix_text)
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let mut page = Page {
        w,
        h,
        lines: Vec::new(),
    };
    let mut heights: Vec<f32> = lines.iter().flatten().map(|w| w.rect.h()).collect();
    heights.sort_by(|a, b| a.total_cmp(b));
    let letter_h = heights.get(heights.len() / 2).copied().unwrap_or(20.0);
    let same_count = texts.len() == lines.len();
    for (i, mut units) in lines.into_iter().enumerate() {
        let before: String = units.iter().map(|u| u.text.as_str()).collect();
        fix_digit_runs(&mut units, fix);
        let after: String = units.iter().map(|u| u.text.as_str()).collect();
        units.retain(|u| !u.text.is_empty());
        let words = same_count
            .then(|| remap(&texts[i], &before, &after))
            .flatten()
            .and_then(|text| with_spaces(&units, &text))
            .unwrap_or_else(|| by_gaps(units, letter_h));
        // A word cannot start with a vowel or tone mark above or below (ท ี่, ส ํ า): such a
        // piece belongs to the word before it; then ํ + า across two units is ำ too.
        let mut merged: Vec<Word> = Vec::with_capacity(words.len());
        for w in words {
            let mark_first = w
                .text
                .chars()
                .next()
                .is_some_and(saraban_thai::is_thai_combining);
            match merged.last_mut() {
                Some(last) if mark_first || last.text.ends_with('\u{0E4D}') => {
                    last.text.push_str(&w.text);
                    last.rect = last.rect.union(w.rect);
                }
                _ => merged.push(w),
            }
        }
        let mut words = merged;
        for w in &mut words {
            w.text = fix_text(&w.text);
        }
        page.lines.push(words);
    }
    page
}

fn is_thai_digit(c: char) -> bool {
    ('๐'..='๙').contains(&c)
}

/// Whether a unit is all Thai digits.
fn all_thai_digits(text: &str) -> bool {
    !text.is_empty() && text.chars().all(is_thai_digit)
}

/// Whether a unit stands where a letter has digits and was read as something else (`we`
/// for ๘๙): short, no Thai letter, not Arabic digits, and after a letter code's `/` or
/// `/ว`, or next to a month's name (the day before it, the year after it).
fn digits_expected(units: &[Word], i: usize) -> bool {
    let t = units[i].text.as_str();
    let odd = t.chars().count() <= 5
        && !t.chars().any(|c| ('\u{0E01}'..='\u{0E4E}').contains(&c))
        && !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',');
    if !odd {
        return false;
    }
    let month = |w: &Word| {
        let k = crate::fields::skeleton(&w.text);
        saraban_thai::date::MONTHS
            .iter()
            .chain(saraban_thai::date::MONTHS_SHORT.iter())
            .any(|m| crate::fields::skeleton(m) == k)
    };
    let before = i.checked_sub(1).map(|j| &units[j]);
    // The two units before, as one: Tesseract may give `/` and `ว` a unit each.
    let tail: String = units[i.saturating_sub(2)..i]
        .iter()
        .map(|u| u.text.as_str())
        .collect();
    let after = units.get(i + 1);
    tail.ends_with('/')
        || tail.ends_with("/ว")
        || before.is_some_and(month)
        || after.is_some_and(month)
}

/// Gives each run of units that are all Thai digits to `fix`, and takes its reading (a
/// reading with more or fewer digits replaces the run's first unit and empties the rest);
/// a unit where digits must be is read as digits when it can be.
fn fix_digit_runs(units: &mut [Word], fix: Fix<'_>) {
    let mut i = 0;
    while i < units.len() {
        let t = &units[i].text;
        let digits_and_slash = t.contains('/')
            && t.chars().filter(|c| is_thai_digit(*c)).count() >= 2
            && t.chars().all(|c| is_thai_digit(c) || c == '/');
        if digits_and_slash {
            // A letter's number in one unit (๐๘๐๔/๕๙๔๓): its digits read by their shapes.
            if let Some(new) = fix(t, units[i].rect, false) {
                units[i].text = new;
            }
            i += 1;
            continue;
        }
        if !all_thai_digits(&units[i].text) {
            if digits_expected(units, i) {
                if let Some(new) = fix(&units[i].text, units[i].rect, true) {
                    units[i].text = new;
                }
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < units.len() && all_thai_digits(&units[i].text) {
            i += 1;
        }
        let run = &mut units[start..i];
        let text: String = run.iter().map(|u| u.text.as_str()).collect();
        let rect = run
            .iter()
            .map(|u| u.rect)
            .reduce(Rect::union)
            .unwrap_or_default();
        if let Some(new) = fix(&text, rect, false) {
            if new.chars().count() == text.chars().count() {
                let mut chars = new.chars();
                for u in run.iter_mut() {
                    let n = u.text.chars().count();
                    u.text = chars.by_ref().take(n).collect();
                }
            } else {
                run[0].text = new;
                run[0].rect = rect;
                for u in run.iter_mut().skip(1) {
                    u.text.clear();
                }
            }
        }
    }
}

/// The plain-text line `txt` with its characters (spaces aside) replaced one for one:
/// `before` was what they were, `after` what they are now.
fn remap(txt: &str, before: &str, after: &str) -> Option<String> {
    if txt.replace(' ', "") != before || before.chars().count() != after.chars().count() {
        return None;
    }
    let mut fixed = after.chars();
    Some(
        txt.chars()
            .map(|c| {
                if c == ' ' {
                    ' '
                } else {
                    fixed.next().unwrap_or(c)
                }
            })
            .collect(),
    )
}

/// A line's units grouped into the words of its text (the text without spaces must be
/// the units' text, in order).
fn with_spaces(units: &[Word], text: &str) -> Option<Vec<Word>> {
    let joined: String = units.iter().map(|u| u.text.as_str()).collect();
    if joined != text.replace(' ', "") {
        return None;
    }
    let mut out = Vec::new();
    let mut it = units.iter().peekable();
    for word in text.split_whitespace() {
        let want = word.chars().count();
        let mut got = 0;
        let mut rect: Option<Rect> = None;
        while got < want {
            let u = it.next()?;
            got += u.text.chars().count();
            rect = Some(rect.map_or(u.rect, |r| r.union(u.rect)));
        }
        out.push(Word {
            text: word.to_string(),
            rect: rect?,
        });
    }
    Some(out)
}

/// A line's units joined where they are closer than a space.
fn by_gaps(units: Vec<Word>, letter_h: f32) -> Vec<Word> {
    let mut joined: Vec<Word> = Vec::new();
    for w in units {
        match joined.last_mut() {
            Some(last) if w.rect.x0 - last.rect.x1 < letter_h * 0.3 => {
                last.text.push_str(&w.text);
                last.rect = last.rect.union(w.rect);
            }
            _ => joined.push(w),
        }
    }
    joined
}

/// What Tesseract writes differently from what was typed: ำ as ํ + า.
fn fix_text(t: &str) -> String {
    t.replace("\u{0E4D}\u{0E32}", "\u{0E33}")
}

/// Reads a scanned page: straightened, OCR, the digits again by their shapes in
/// `digit_font` (the office's letter font), the official layout.
pub fn read_image(scan: &Scan, digit_font: Option<&[u8]>) -> Result<Reading> {
    let prepared = prepare(scan);
    let dpi = scan.dpi.max(300.0);
    let shapes = digit_font.and_then(DigitShapes::new);
    // Words in the scan's own pixels.
    let page = tesseract(&prepared, dpi, shapes.as_ref())?
        .scaled_to(scan.gray.width() as f32, scan.gray.height() as f32);
    let today = saraban_thai::date::today();
    let (mut fields, mut spots) = fields::read_with(std::slice::from_ref(&page), Some(today));
    if fields.urgency.is_none() {
        if let Some((urgency, spot)) = urgency_mark(&prepared, dpi, scan, &spots)? {
            fields.urgency = Some(urgency);
            spots.push(spot);
        }
    }
    Ok(Reading {
        kind: ReceivedKind::Image,
        read_by: if page.has_text() {
            ReadBy::Ocr
        } else {
            ReadBy::Clerk
        },
        fields,
        spots,
        pdf: Vec::new(),
        first_page: page,
        note: Some((
            "อ่านจากภาพด้วยโปรแกรมอ่านตัวอักษร (OCR) กรุณาตรวจทานทุกช่อง โดยเฉพาะตัวเลข เลขที่ และวันที่ กับหนังสือจริง".into(),
            "read from the image by OCR: check every field against the letter, its numbers and date above all".into(),
        )),
    })
}

/// The urgency mark (ด่วน, ด่วนมาก, ด่วนที่สุด) read again on its own: large red letters
/// at the top left, above the letter's number, which Tesseract misreads when it reads
/// them with the page as one block of text. The band above the first field read, left of
/// the emblem, is read by itself.
fn urgency_mark(
    prepared: &GrayImage,
    dpi: f32,
    scan: &Scan,
    spots: &[Spot],
) -> Result<Option<(saraban_model::letter::Urgency, Spot)>> {
    let f = prepared.width() as f32 / scan.gray.width().max(1) as f32;
    let head = spots
        .iter()
        .filter(|s| matches!(s.field.as_str(), "number" | "from" | "date"))
        .map(|s| s.rect.y0 * f)
        .fold(f32::MAX, f32::min);
    if head == f32::MAX {
        return Ok(None);
    }
    let h = (head - 4.0).max(0.0) as u32;
    let w = (prepared.width() as f32 * 0.45) as u32;
    if h < 40 || w < 40 {
        return Ok(None);
    }
    // Ink or paper, then the specks of the scan taken away (the mark's letters are large):
    // on a band of grey paper texture Tesseract spends seconds reading noise.
    let mut band = image::imageops::crop_imm(prepared, 0, 0, w, h).to_image();
    for p in band.pixels_mut() {
        p.0[0] = if p.0[0] < 150 { 0 } else { 255 };
    }
    let band = imageproc::filter::median_filter(&band, 1, 1);
    let ink = band.pixels().filter(|p| p.0[0] == 0).count();
    if ink < 400 {
        return Ok(None);
    }
    let page = tesseract(&band, dpi, None)?;
    for line in &page.lines {
        let text: String = line.iter().map(|w| w.text.as_str()).collect();
        if let Some(u) = fields::urgency_of(&text) {
            let rect = line
                .iter()
                .map(|w| w.rect)
                .reduce(Rect::union)
                .unwrap_or_default();
            let rect = Rect {
                x0: rect.x0 / f,
                y0: rect.y0 / f,
                x1: rect.x1 / f,
                y1: rect.y1 / f,
            };
            return Ok(Some((
                u,
                Spot {
                    field: "urgency".into(),
                    page: 0,
                    rect,
                },
            )));
        }
    }
    Ok(None)
}

/// A spot read on a scan's pixels, in the points of the page it is on.
pub fn scale_spot(mut s: Spot, scan: &Scan, w: f32, h: f32) -> Spot {
    let sx = w / scan.gray.width().max(1) as f32;
    let sy = h / scan.gray.height().max(1) as f32;
    s.rect = Rect {
        x0: s.rect.x0 * sx,
        y0: s.rect.y0 * sy,
        x1: s.rect.x1 * sx,
        y1: s.rect.y1 * sy,
    };
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_skew_of_lines_is_found() {
        // Three dark bars turned 2 degrees.
        let mut img = GrayImage::from_pixel(800, 600, Luma([255]));
        for bar in [150.0f32, 300.0, 450.0] {
            for x in 50..750u32 {
                let y = bar + (x as f32 - 400.0) * 2.0f32.to_radians().tan();
                for dy in 0..6 {
                    img.put_pixel(x, (y as u32) + dy, Luma([0]));
                }
            }
        }
        let deg = skew_degrees(&img);
        assert!((deg - 2.0).abs() < 0.2, "{deg}");
        // Prepared for reading, the page is straight (not turned twice as far).
        let scan = Scan {
            gray: img,
            dpi: 300.0,
        };
        let straight = skew_degrees(&prepare(&scan));
        assert!(straight.abs() < 0.2, "still turned {straight}°");
    }

    #[test]
    fn tesseract_units_become_the_words_of_the_page() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
5\t1\t1\t1\t1\t1\t100\t50\t40\t30\t90\tเรื่อง\n\
5\t1\t1\t1\t1\t2\t160\t50\t60\t30\t90\tโครงการ\n\
5\t1\t1\t1\t1\t3\t221\t50\t60\t30\t90\tความร่วมมือ\n\
5\t1\t1\t1\t1\t4\t290\t50\t40\t30\t90\tประจํา\n";
        // With the plain text: its spaces make the words.
        let page = parse_tsv(tsv, "เรื่อง โครงการความร่วมมือ ประจํา\n", 1000.0, 1400.0);
        let words: Vec<&str> = page.lines[0].iter().map(|w| w.text.as_str()).collect();
        assert_eq!(words, ["เรื่อง", "โครงการความร่วมมือ", "ประจำ"]);
        assert_eq!(page.lines[0][1].rect.x0, 160.0);
        assert_eq!(page.lines[0][1].rect.x1, 281.0);
        // Without it (the lines do not match), by the gaps.
        let page = parse_tsv(tsv, "", 1000.0, 1400.0);
        let words: Vec<&str> = page.lines[0].iter().map(|w| w.text.as_str()).collect();
        assert_eq!(words, ["เรื่อง", "โครงการความร่วมมือ", "ประจำ"]);
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn an_image_bomb_is_refused_before_decoding() {
        // A PNG header that claims 100000 × 100000 pixels.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 0, 0, 0, 0]);
        let crc = crc32(&png[12..]);
        png.extend_from_slice(&crc.to_be_bytes());
        // A few bytes of image data: a decoder that read it all would need 10 GB.
        let idat = [
            b'I', b'D', b'A', b'T', 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01,
        ];
        png.extend_from_slice(&8u32.to_be_bytes());
        png.extend_from_slice(&idat);
        png.extend_from_slice(&crc32(&idat).to_be_bytes());
        let err = decode(&png, "bomb.png").err().expect("refused");
        let said = err.lines(saraban_model::Lang::Th).join(" ");
        assert!(said.contains("เกินกว่าภาพหนังสือหนึ่งหน้า"), "{said}");
    }
}
