//! # saraban-receive: reading a letter that arrived (หนังสือรับ)
//!
//! A received file — a PDF from another agency's system or from Saraban, a scan, a phone
//! photo, an e-mail — becomes the fields a clerk confirms before it is numbered in the
//! incoming register ([`read`]), with where on the page each was read ([`Spot`]):
//!
//! 1. a PDF Saraban issued carries the letter itself (`spec/letter-data.md`): its fields
//!    are exact;
//! 2. any other PDF with text: the official layout is read from its words and their
//!    boxes (poppler's `pdftotext`, [`fields`]);
//! 3. a scan (a PDF of images, or an image): OCR with Tesseract's Thai model, deskewed,
//!    the numbers and the date read again digit by digit ([`ocr`]); then the same reading.
//!
//! It also finds the empty room at the top right of the first page where the receipt
//! stamp goes ([`room`]) and makes a PDF of an image, so that every receipt has a PDF to
//! stamp.
//!
//! Why a crate of its own: reading untrusted files from outside the office is a stage
//! with its own programs (poppler, Tesseract, run in processes of their own with time
//! limits: [`tools`]) and its own failures; it depends on the letter model and the PDF
//! writer (for the embedded data and a PDF of an image), never on the register.

pub mod digits;
pub mod eml;
pub mod fields;
pub mod ocr;
pub mod page;
pub mod pdftext;
pub mod room;
pub mod tools;

use std::path::Path;

use serde::Serialize;

pub use fields::Spot;
pub use page::{Page, Rect};
use saraban_model::error::{Error, Result};
use saraban_model::letter::Letter;
use saraban_model::received::{ReadBy, ReceivedFields, ReceivedKind};

/// The largest file received (a scanned letter of many pages is a few megabytes).
pub const MAX_FILE: usize = 64 << 20;

/// The largest image read (pixels): a page at 600 dpi is 35 million.
pub const MAX_PIXELS: u64 = 60_000_000;

/// How many pages are read for the fields (the head of a letter is on its first page).
const PAGES_READ: u32 = 2;

/// What a received file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    Tiff,
    Eml,
}

/// What `bytes` (named `name`) are, by their first bytes (the name only for e-mail).
pub fn file_type(bytes: &[u8], name: &str) -> Option<FileType> {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Some(FileType::Pdf);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileType::Png);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileType::Jpeg);
    }
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        return Some(FileType::Tiff);
    }
    let lower = name.to_ascii_lowercase();
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    if lower.ends_with(".eml")
        || [
            "mime-version:",
            "content-type:",
            "from:",
            "received:",
            "subject:",
        ]
        .iter()
        .filter(|h| text.contains(*h))
        .count()
            >= 2
    {
        return Some(FileType::Eml);
    }
    None
}

/// A received file as read: its fields for the clerk to confirm, where each was read, and
/// the PDF the receipt stamp goes on.
#[derive(Debug, Clone)]
pub struct Reading {
    /// What the file is.
    pub kind: ReceivedKind,
    /// How the fields were read.
    pub read_by: ReadBy,
    /// The fields.
    pub fields: ReceivedFields,
    /// Where each field was read (page 0 is the first).
    pub spots: Vec<Spot>,
    /// The PDF to stamp: the file itself, or the PDF made of an image.
    pub pdf: Vec<u8>,
    /// The first page as read (size, words): where the stamp may go.
    pub first_page: Page,
    /// What the clerk should know about the reading (Thai, English), e.g. that OCR read it.
    pub note: Option<(String, String)>,
}

/// What the app shows of a reading (the PDF stays on the Rust side).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ReadingView {
    pub kind: ReceivedKind,
    pub read_by: ReadBy,
    pub fields: ReceivedFields,
    pub spots: Vec<Spot>,
    /// The note, in Thai.
    pub note: String,
}

impl Reading {
    /// What the app shows.
    pub fn view(&self) -> ReadingView {
        ReadingView {
            kind: self.kind,
            read_by: self.read_by,
            fields: self.fields.clone(),
            spots: self.spots.clone(),
            note: self.note.as_ref().map(|n| n.0.clone()).unwrap_or_default(),
        }
    }
}

fn unreadable(name: &str) -> Error {
    Error::input(
        "file",
        format!("ไฟล์ {name} ไม่ใช่หนังสือที่อ่านได้ (รับได้: PDF, ภาพ PNG JPEG TIFF หรืออีเมล .eml)"),
        format!("{name} is not a letter that can be read (accepted: PDF, a PNG, JPEG or TIFF image, or an .eml e-mail)"),
    )
}

/// Checks a file's size before it is read whole.
pub fn check_size(name: &str, size: u64) -> Result<()> {
    if size == 0 {
        return Err(Error::input(
            "file",
            format!("ไฟล์ {name} ว่างเปล่า (๐ ไบต์) ไม่มีหนังสือให้รับ"),
            format!("the file {name} is empty (0 bytes): there is no letter to receive"),
        ));
    }
    if size > MAX_FILE as u64 {
        return Err(Error::input(
            "file",
            format!(
                "ไฟล์ {name} ใหญ่ {} MB เกินกว่าที่หนังสือหนึ่งฉบับจะเป็น (ไม่เกิน {} MB) อาจเลือกไฟล์ผิด",
                saraban_thai::to_thai_digits(&(size >> 20).to_string()),
                saraban_thai::to_thai_digits(&(MAX_FILE >> 20).to_string())
            ),
            format!(
                "the file {name} is {} MB, more than a letter can be (at most {} MB); was it the right file?",
                size >> 20,
                MAX_FILE >> 20
            ),
        ));
    }
    Ok(())
}

/// Reads a received PDF or image (an e-mail is opened with [`eml::letters`] first).
/// `digit_font` is the office's letter font: a scan's Thai digits are read again by its
/// digits' shapes ([`digits`]).
pub fn read(bytes: &[u8], name: &str, digit_font: Option<&[u8]>) -> Result<Reading> {
    check_size(name, bytes.len() as u64)?;
    match file_type(bytes, name) {
        Some(FileType::Pdf) => read_pdf(bytes, name, digit_font),
        Some(FileType::Png | FileType::Jpeg | FileType::Tiff) => {
            read_image(bytes, name, digit_font)
        }
        Some(FileType::Eml) => Err(Error::input(
            "file",
            format!("{name} เป็นอีเมล: เปิดเพื่อรับไฟล์ PDF ที่แนบมาแต่ละไฟล์"),
            format!("{name} is an e-mail: open it to receive each PDF attached"),
        )),
        None => Err(unreadable(name)),
    }
}

/// A temporary copy of the bytes, for the programs that read files.
fn temp_file(bytes: &[u8], suffix: &str) -> Result<tempfile::NamedTempFile> {
    let mut f = tempfile::Builder::new()
        .prefix("saraban-received-")
        .suffix(suffix)
        .tempfile()
        .map_err(|e| Error::Write {
            path: std::env::temp_dir(),
            source: e,
        })?;
    std::io::Write::write_all(&mut f, bytes).map_err(|e| Error::Write {
        path: f.path().to_path_buf(),
        source: e,
    })?;
    Ok(f)
}

/// Whether a PDF is encrypted, and how many pages it has (poppler's `pdfinfo`).
fn pdf_info(path: &Path, name: &str) -> Result<(bool, u32)> {
    let out = tools::run("pdfinfo", &[tools::arg(path)], tools::LIMIT).map_err(|e| match e {
        Error::Input(_) => broken_pdf(name),
        e => e,
    })?;
    let text = String::from_utf8_lossy(&out);
    let field = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(k))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    Ok((
        field("Encrypted:").starts_with("yes"),
        field("Pages:").parse().unwrap_or(0),
    ))
}

fn broken_pdf(name: &str) -> Error {
    Error::input(
        "file",
        format!("ไฟล์ PDF {name} เสียหายหรือไม่สมบูรณ์ เปิดอ่านไม่ได้ กรุณาขอไฟล์ใหม่จากผู้ส่ง"),
        format!("the PDF {name} is damaged or incomplete and cannot be opened; ask the sender for it again"),
    )
}

fn read_pdf(bytes: &[u8], name: &str, digit_font: Option<&[u8]>) -> Result<Reading> {
    let file = temp_file(bytes, ".pdf")?;
    // An encrypted file names its encryption in its trailer; one with a user password
    // cannot even be opened by poppler to say so.
    let says_encrypt = bytes.windows(8).any(|w| w == b"/Encrypt");
    let (encrypted, pages) = match pdf_info(file.path(), name) {
        Ok(info) => info,
        Err(_) if says_encrypt => (true, 0),
        Err(e) => return Err(e),
    };
    if encrypted {
        return Err(Error::input(
            "file",
            format!("ไฟล์ PDF {name} ถูกเข้ารหัสหรือตั้งรหัสผ่านไว้ ลงรับและประทับตรารับไม่ได้ กรุณาขอฉบับที่ไม่เข้ารหัสจากผู้ส่ง"),
            format!("the PDF {name} is encrypted or password-protected and cannot be received and stamped; ask the sender for an unencrypted copy"),
        ));
    }
    if pages == 0 {
        return Err(broken_pdf(name));
    }
    let text_pages = pdftext::pages(file.path(), PAGES_READ).map_err(|e| match e {
        Error::Input(_) => broken_pdf(name),
        e => e,
    })?;
    let first_page = text_pages.first().cloned().unwrap_or_default();
    if let Some(letter) =
        saraban_pdf::attach::letter_data(bytes).and_then(|json| Letter::from_json(&json).ok())
    {
        // The sender's Saraban said what the letter is: exact. Where each field is on the
        // page still comes from the text, for the clerk to see.
        let (_, spots) = fields::read(&text_pages);
        return Ok(Reading {
            kind: ReceivedKind::Pdf,
            read_by: ReadBy::LetterData,
            fields: ReceivedFields::of_letter(&letter),
            spots,
            pdf: bytes.to_vec(),
            first_page,
            note: None,
        });
    }
    if first_page.has_text() {
        let (fields, spots) = fields::read(&text_pages);
        return Ok(Reading {
            kind: ReceivedKind::Pdf,
            read_by: ReadBy::Text,
            fields,
            spots,
            pdf: bytes.to_vec(),
            first_page,
            note: None,
        });
    }
    // Pages without text: a scan. Its first page is read by OCR.
    let image = ocr::render_page(file.path(), 1)?;
    let mut reading = ocr::read_image(&image, digit_font)?;
    reading.kind = ReceivedKind::ScannedPdf;
    reading.pdf = bytes.to_vec();
    // The page's size in points, for the stamp: the image's scale.
    reading.first_page = reading.first_page.scaled_to(first_page.w, first_page.h);
    reading.spots = reading
        .spots
        .into_iter()
        .map(|s| ocr::scale_spot(s, &image, first_page.w, first_page.h))
        .collect();
    Ok(reading)
}

fn read_image(bytes: &[u8], name: &str, digit_font: Option<&[u8]>) -> Result<Reading> {
    let image = ocr::decode(bytes, name)?;
    let pdf = saraban_pdf::scan::image_pdf(&image.gray, image.dpi)?;
    let mut reading = ocr::read_image(&image, digit_font)?;
    let (w, h) = saraban_pdf::scan::page_size(image.gray.width(), image.gray.height(), image.dpi);
    reading.first_page = reading.first_page.scaled_to(w, h);
    reading.spots = reading
        .spots
        .into_iter()
        .map(|s| ocr::scale_spot(s, &image, w, h))
        .collect();
    reading.kind = ReceivedKind::Image;
    reading.pdf = pdf;
    Ok(reading)
}
