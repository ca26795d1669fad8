//! `Office`: the one API every front end calls.
//!
//! An office has its profile (agency, units and their letter codes, owner blocks, signers),
//! its letter font, its own emblem file and its register. The desktop app keeps one
//! `Office` in its managed state; the CLI opens one per run. Each method is a whole task of
//! the clerk's — render a letter, proofread it, save a draft, issue, search, cancel, export —
//! so that a Tauri command and a CLI subcommand are each a few lines over the same call,
//! and neither reaches past this module into the register, the typesetter or the file
//! system.

mod app;
mod directory;
pub mod mail;
mod profile;
mod receive;
mod secrets;
pub mod sign;
pub mod statement;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::register::{Access, AuditProblem, IssueOptions, SearchQuery};
pub use profile::{courtesy_for, OfficeProfile, OfficeSetup, Unit};
pub use receive::{
    incoming_row, letters_in, read_files, routing_sheet_of, thai_date, thai_short_date, thai_when,
    Opened, Reading, ReadingView, ReceiveOptions, Received, ReceivedFile, Spot, INCOMING_COLUMNS,
};

use crate::error::{Error, Lang, Result};
use crate::fsutil::Output;
pub use crate::letter::check::proofread;
use crate::letter::check::Finding;
use crate::letter::{Kind, Letter};
use crate::pdf::{PdfOptions, PdfWriter};
use crate::raster::Painter;
use crate::register::{
    AuditReport, DraftInfo, DraftVersion, Entry, Hit, Issued, Register, REGISTER_COLUMNS,
};
use crate::typeset::{Document, FontFace, FontSet, Graphic, LayoutOptions, Profile, Typesetter};

/// What an office is started with. Files given here win over those stored in the register
/// (the CLI's `--font` and `--emblem`).
#[derive(Debug, Clone, Default)]
pub struct OfficeSettings {
    /// Font files: regular first, then optionally bold. Empty: the register's font, else
    /// the bundled Laksaman.
    pub fonts: Vec<PathBuf>,
    /// The emblem file (SVG, PNG or JPEG). None: the register's emblem, else an empty slot
    /// of the right size.
    pub emblem: Option<PathBuf>,
    /// Typesetting settings.
    pub profile: Profile,
    /// Write letters as PDF/A (PDF/A-3b: the letter's data is embedded), the archival form (rendered and issued alike).
    pub pdfa: bool,
}

/// Which copy of a letter to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PrintCopy {
    /// ต้นฉบับ: the copy that is sent.
    #[default]
    Original,
    /// สำเนาคู่ฉบับ: the file copy, with the initials of ผู้ร่าง / ผู้พิมพ์ / ผู้ทาน.
    FileCopy,
}

/// The register exported as a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// CSV with a byte-order mark (opens in Excel with Thai intact).
    Csv,
    /// An Excel workbook.
    Xlsx,
}

/// A page of search results and how many there are in all.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SearchPage {
    /// The letters of this page, newest first.
    pub hits: Vec<Hit>,
    /// How many letters the search finds in all — for a search by text, at most
    /// [`SEARCH_COUNT_CAP`]: with `more`, it finds more than that, and only the newest
    /// `total` are listed.
    #[ts(type = "number")]
    pub total: i64,
    /// The search finds more letters than `total` (not counted: a word in most letters of
    /// a register of a million would take seconds to count; a clerk narrows the search).
    pub more: bool,
}

/// How far a search by text counts its letters (and lists them, newest first): counting
/// a thousand matches takes a few milliseconds in a register of a million letters, all of
/// them up to a second and a half. A search without text (a year, a kind, the whole
/// register) is counted whole: its count comes from the indexes, not from the text.
pub const SEARCH_COUNT_CAP: i64 = 1_000;

/// The number a letter is about to get, for the clerk's confirmation.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NextNumber {
    /// As printed, e.g. `มท ๐๘๑๐.๒/ว ๑๒๓`.
    pub number: String,
    /// The running number.
    #[ts(type = "number")]
    pub running: i64,
    /// The date of issue, ISO (Asia/Bangkok).
    pub date: String,
}

/// A letter changed to another kind (เปลี่ยนชนิดหนังสือ): what it became, and the parts of
/// the old kind the new one has not, by their Thai names (they stay in the draft's history).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct KindChange {
    /// The letter as the new kind.
    pub letter: Letter,
    /// What was left out.
    pub dropped: Vec<String>,
}

impl KindChange {
    /// `letter` as `kind`.
    pub fn of(letter: Letter, kind: Kind) -> KindChange {
        let (letter, dropped) = letter.with_kind(kind);
        KindChange {
            letter,
            dropped: dropped.into_iter().map(String::from).collect(),
        }
    }
}

/// How a recipient is addressed: คำขึ้นต้น and คำลงท้าย.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Courtesy {
    /// คำขึ้นต้น, e.g. เรียน.
    pub salutation: String,
    /// คำลงท้าย, e.g. ขอแสดงความนับถือ.
    pub closing: String,
}

impl Courtesy {
    /// The courtesy for a recipient (ภาคผนวก ๒).
    pub fn for_recipient(recipient: &str) -> Courtesy {
        let (salutation, closing) = courtesy_for(recipient);
        Courtesy {
            salutation: salutation.into(),
            closing: closing.into(),
        }
    }
}

/// How far the printing of a register book has got (ความคืบหน้าการพิมพ์สมุดทะเบียน).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct BookProgress {
    /// Rows laid out so far.
    #[ts(type = "number")]
    pub rows: u64,
    /// Rows in the book.
    #[ts(type = "number")]
    pub total: u64,
    /// Pages written so far.
    pub pages: u32,
}

/// A writer that counts what passes through it.
struct CountingWriter<W> {
    inner: W,
    n: usize,
}

impl<W: std::io::Write> std::io::Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.n += n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// An error as a front end shows it: one Thai sentence, and the problems by field so that
/// the form can point at them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Failure {
    /// What went wrong and what to do, in Thai.
    pub message: String,
    /// The fields at fault (JSON paths such as `subject`, `body[2]`), with their message.
    pub problems: Vec<FieldProblem>,
}

/// One field at fault.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FieldProblem {
    /// JSON path of the field.
    pub path: String,
    /// What is wrong with it, in Thai.
    pub message: String,
}

impl From<&Error> for Failure {
    fn from(e: &Error) -> Failure {
        let problems = match e {
            Error::Input(ps) => ps
                .iter()
                .map(|p| FieldProblem {
                    path: p.path.clone(),
                    message: p.th.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        // A clerk reads the fields by the names the form gives them, never by JSON paths.
        let message = match e {
            Error::Input(ps) => ps
                .iter()
                .map(|p| match crate::letter::field_label(&p.path) {
                    Some(label) if !p.th.contains(&label) => format!("{label}: {}", p.th),
                    _ => p.th.clone(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            _ => e.lines(Lang::Th).join("\n"),
        };
        Failure { message, problems }
    }
}

/// The largest emblem or font file an office may import.
const MAX_IMPORTED_FILE: u64 = 16 * 1024 * 1024;

const PROFILE_KEY: &str = "profile";
const EMBLEM_KEY: &str = "emblem";
const EMBLEM_NAME_KEY: &str = "emblem.name";
const FONT_KEY: &str = "font.regular";
const FONT_BOLD_KEY: &str = "font.bold";
const FONT_NAME_KEY: &str = "font.name";

/// One office's letter service.
pub struct Office {
    press: Press,
    register: Option<Register>,
    layout_profile: Profile,
}

/// The office's press (โรงพิมพ์): what turns a letter into pages and PDF — the letter font,
/// the emblem, the layout, the PDF form — without the register.
///
/// Cheap to clone (its parts are shared) and safe to use from several threads at once: the
/// app renders its live preview on a press of its own while the register is busy (an
/// issue waiting for its server, a register book of thousands of pages), so that typing
/// never waits for the register. [`Office::press`] gives the office's current one.
#[derive(Clone)]
pub struct Press {
    typesetter: Arc<Typesetter>,
    writer: Arc<PdfWriter>,
    /// Draws the live preview's pages from the frames (glyph paths kept between keystrokes).
    painter: Arc<Painter>,
    emblem: Option<Arc<Graphic>>,
    /// How letters are written (PDF/A or not).
    pdf_options: PdfOptions,
    /// What is wrong with the font or emblem stored in the register, when one (imported
    /// by an older version) cannot be used: every letter is refused with this, saying how
    /// to import a good one, while the rest of the office (the profile, the register) works.
    stored_problem: Option<(String, String)>,
}

impl Press {
    /// Refuses letters while the stored font or emblem cannot be used.
    fn usable(&self) -> Result<()> {
        match &self.stored_problem {
            None => Ok(()),
            Some((th, en)) => Err(Error::Register {
                th: th.clone(),
                en: en.clone(),
            }),
        }
    }

    /// Lays out a letter into pages.
    pub fn typeset(&self, letter: &Letter) -> Result<Document> {
        self.lay_out(letter, PrintCopy::Original)
    }

    /// One copy of a letter laid out: what every render and the preview start from. The
    /// core refuses what it would not print, whichever front end asks.
    fn lay_out(&self, letter: &Letter, copy: PrintCopy) -> Result<Document> {
        self.usable()?;
        let letter = &letter.clone().validated()?;
        let opts = LayoutOptions {
            file_copy: copy == PrintCopy::FileCopy,
        };
        self.typesetter
            .typeset_with(letter, self.emblem.clone(), &opts)
    }

    /// Renders a letter to PDF bytes (the original).
    pub fn render(&self, letter: &Letter) -> Result<Vec<u8>> {
        self.render_copy(letter, PrintCopy::Original)
    }

    /// Renders one copy of a letter: the original, or the file copy (สำเนาคู่ฉบับ).
    pub fn render_copy(&self, letter: &Letter, copy: PrintCopy) -> Result<Vec<u8>> {
        let doc = self.lay_out(letter, copy)?;
        self.writer.write(&doc, &self.pdf_options)
    }

    /// The letter as a Word document (ส่งออก Word): the same parts in the same places,
    /// as paragraphs a chief can edit (`saraban_docx`). A draft is marked ร่าง and keeps
    /// the blanks for its number and day.
    pub fn docx(&self, letter: &Letter) -> Result<Vec<u8>> {
        self.usable()?;
        let letter = &letter.clone().validated()?;
        saraban_docx::write(&self.typesetter, letter, self.emblem.as_deref())
    }

    /// Draws a letter for the live preview (ตัวอย่างหนังสือ) at `px_per_pt` pixels per
    /// point: each page's fingerprint and size, and a picture of every page whose
    /// fingerprint is not the one `known` gives at its place (what the screen shows
    /// already, page by page; 0 for a page to draw again), so that typing at
    /// the end of a five-page letter draws one page, not five. The pictures come from the
    /// same frames the PDF is written from (`saraban_raster`): the preview is the PDF's
    /// glyphs at the PDF's places, without writing, parsing and drawing a PDF per keystroke.
    pub fn preview(&self, letter: &Letter, px_per_pt: f32, known: &[u64]) -> Result<Preview> {
        let doc = self.lay_out(letter, PrintCopy::Original)?;
        let fingerprints = doc.page_fingerprints();
        let mut pages = Vec::with_capacity(doc.pages.len());
        for (i, (frame, fingerprint)) in doc.pages.iter().zip(fingerprints).enumerate() {
            let picture = if known.get(i) == Some(&fingerprint) {
                None
            } else {
                let pic = self
                    .painter
                    .picture(frame, &doc.fonts, px_per_pt)
                    .map_err(|e| Error::Environment {
                        th: format!("วาดหน้าตัวอย่างหนังสือไม่ได้ ลองย่อการแสดงผลลง ({e})"),
                        en: format!("cannot draw the preview page; zoom out ({e})"),
                    })?;
                Some(pic.png)
            };
            pages.push(PreviewPage {
                fingerprint,
                width: (frame.size.w * px_per_pt).round().max(0.0) as u32,
                height: (frame.size.h * px_per_pt).round().max(0.0) as u32,
                picture,
            });
        }
        Ok(Preview { pages })
    }

    /// Proofreads a letter: what is missing or wrong, most serious first (see [`proofread`]).
    pub fn check(&self, letter: &Letter) -> Vec<Finding> {
        proofread(letter)
    }
}

/// One page of the live preview: see [`Press::preview`].
#[derive(Debug, Clone)]
pub struct PreviewPage {
    /// The page's look: a page whose fingerprint is the one it had before looks exactly as
    /// it did (valid within one process).
    pub fingerprint: u64,
    /// Its size in pixels at the scale asked for.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
    /// The page as a PNG; `None` when the screen shows it already.
    pub picture: Option<Vec<u8>>,
}

/// A letter drawn for the live preview (ตัวอย่างหนังสือ): see [`Press::preview`].
#[derive(Debug, Clone)]
pub struct Preview {
    /// The pages in order.
    pub pages: Vec<PreviewPage>,
}

impl Preview {
    /// The fingerprint of each page.
    pub fn fingerprints(&self) -> Vec<u64> {
        self.pages.iter().map(|p| p.fingerprint).collect()
    }

    /// The form the app sends to its page (`ui/src/lib/preview.ts` reads it): the page
    /// count (u32, little-endian); per page its fingerprint (u64), width, height and the
    /// length of its PNG (u32 each, 0 for a page not drawn again); then the PNGs in page
    /// order. One binary answer, no base64 in JSON.
    pub fn to_bytes(&self) -> Vec<u8> {
        let pngs: usize = self
            .pages
            .iter()
            .filter_map(|p| p.picture.as_ref())
            .map(Vec::len)
            .sum();
        let mut out = Vec::with_capacity(4 + 20 * self.pages.len() + pngs);
        out.extend_from_slice(&(self.pages.len() as u32).to_le_bytes());
        for p in &self.pages {
            out.extend_from_slice(&p.fingerprint.to_le_bytes());
            out.extend_from_slice(&p.width.to_le_bytes());
            out.extend_from_slice(&p.height.to_le_bytes());
            let len = p.picture.as_ref().map_or(0, Vec::len) as u32;
            out.extend_from_slice(&len.to_le_bytes());
        }
        for p in &self.pages {
            if let Some(png) = &p.picture {
                out.extend_from_slice(png);
            }
        }
        out
    }
}

/// The register check code (รหัสตรวจสอบทะเบียน) the book prints: the first eight hex digits
/// of the audit chain's head in two groups (`3f2a-91c0`), enough to compare with the audit
/// report (which gives it, and the whole hash) by eye, short enough to read aloud.
pub fn short_code(hash: &str) -> String {
    let h: String = hash
        .chars()
        .filter(|c| c.is_ascii_hexdigit())
        .take(8)
        .collect();
    match h.len() {
        8 => format!("{}-{}", &h[..4], &h[4..]),
        _ => h,
    }
}

/// The refusal to issue a letter with error findings: each finding, then what to do.
fn not_ready(findings: &[Finding]) -> Error {
    let mut problems: Vec<crate::error::InputProblem> = findings
        .iter()
        .map(|f| crate::error::InputProblem::new(f.path.clone(), f.th.clone(), f.en.clone()))
        .collect();
    problems.push(crate::error::InputProblem::new(
        "",
        format!(
            "ยังไม่ออกเลข: หนังสือมีข้อผิดพลาด {} รายการ แก้ให้ครบก่อน (ตรวจด้วย saraban check) เลขทะเบียนจึงไม่ถูกใช้ไปกับหนังสือที่ยังไม่พร้อม",
            crate::thai::to_thai_digits(&findings.len().to_string())
        ),
        format!(
            "not issued: the letter has {} error(s); correct them first (saraban check lists them), so that no register number is spent on a letter that is not ready",
            findings.len()
        ),
    ));
    Error::Input(problems)
}

fn no_register() -> Error {
    Error::Register {
        th: "ยังไม่ได้เปิดทะเบียน (เปิดโปรแกรมด้วยไฟล์ทะเบียน หรือระบุ --db)".into(),
        en: "no register is open (start with a register file, or give --db)".into(),
    }
}

fn read_limited(path: &Path, what: fn(&Path, String, String) -> Error) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.is_file() {
        return Err(what(
            path,
            "ไม่ใช่ไฟล์ธรรมดา".into(),
            "is not a regular file".into(),
        ));
    }
    if meta.len() > MAX_IMPORTED_FILE {
        return Err(what(
            path,
            format!("ไฟล์ใหญ่เกิน {} MB", MAX_IMPORTED_FILE >> 20),
            format!("the file is larger than {} MB", MAX_IMPORTED_FILE >> 20),
        ));
    }
    std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn emblem_problem(path: &Path, th: String, en: String) -> Error {
    Error::Emblem {
        th: format!("ไฟล์ตราครุฑ {}: {th}", path.display()),
        en: format!("emblem file {}: {en}", path.display()),
    }
}

fn font_problem(path: &Path, th: String, en: String) -> Error {
    Error::Font {
        th: format!("ไฟล์ฟอนต์ {}: {th}", path.display()),
        en: format!("font file {}: {en}", path.display()),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl Office {
    /// An office without a register: renders and proofreads letters (the CLI's `render`
    /// and `check`).
    pub fn new(settings: &OfficeSettings) -> Result<Office> {
        let fonts = FontSet::from_files(&settings.fonts)?;
        let emblem = match &settings.emblem {
            Some(p) => Some(Arc::new(Graphic::load(p)?)),
            None => None,
        };
        Ok(Office::assemble(fonts, emblem, None, settings))
    }

    /// Opens the existing register at `db` and the office it holds: its font and emblem,
    /// unless `settings` names others. A missing register is refused.
    pub fn open(db: &Path, settings: &OfficeSettings) -> Result<Office> {
        Office::with_register(settings, Register::open(db)?)
    }

    /// Opens the register at `db` as `access` says: [`Access::Create`] for the app's first
    /// run and `saraban init`, [`Access::Read`] for commands that only read (they work in a
    /// read-only folder), [`Access::Write`] for the rest (a missing register is refused).
    pub fn open_with(db: &Path, access: Access, settings: &OfficeSettings) -> Result<Office> {
        Office::with_register(settings, Register::open_with(db, access)?)
    }

    /// An office over a register already open (tests and benchmarks), with `settings`'
    /// files or else the register's own.
    pub fn with_register(settings: &OfficeSettings, register: Register) -> Result<Office> {
        // A stored font or emblem that cannot be used never locks the clerk out of the
        // register: the office opens, letters are refused until a good one is imported.
        let mut problem = None;
        let fonts = if settings.fonts.is_empty() {
            match stored_fonts(&register) {
                Ok(f) => f.map_or_else(FontSet::bundled, Ok)?,
                Err(e) => {
                    problem = Some(stored_problem(&e, "profile font"));
                    FontSet::bundled()?
                }
            }
        } else {
            FontSet::from_files(&settings.fonts)?
        };
        let emblem = match &settings.emblem {
            Some(p) => Some(Arc::new(Graphic::load(p)?)),
            None => match stored_emblem(&register) {
                Ok(g) => g.map(Arc::new),
                Err(e) => {
                    problem = problem.or(Some(stored_problem(&e, "profile emblem")));
                    None
                }
            },
        };
        let mut office = Office::assemble(fonts, emblem, Some(register), settings);
        office.press.stored_problem = problem;
        Ok(office)
    }

    /// Uses `emblem` for this session only, without storing it (tests, benchmarks).
    pub fn set_emblem(&mut self, emblem: Option<Graphic>) {
        self.press.emblem = emblem.map(Arc::new);
        if let Some(g) = &self.press.emblem {
            self.press.writer.prepare(g);
        }
    }

    fn assemble(
        fonts: FontSet,
        emblem: Option<Arc<Graphic>>,
        register: Option<Register>,
        settings: &OfficeSettings,
    ) -> Office {
        let profile = settings.profile.clone();
        let writer = PdfWriter::new();
        if let Some(g) = &emblem {
            writer.prepare(g);
        }
        Office {
            press: Press {
                typesetter: Arc::new(Typesetter::new(fonts, profile.clone())),
                writer: Arc::new(writer),
                painter: Arc::new(Painter::new()),
                emblem,
                pdf_options: PdfOptions {
                    created_unix: None,
                    pdfa: settings.pdfa,
                },
                stored_problem: None,
            },
            register,
            layout_profile: profile,
        }
    }

    /// An office on a second connection to this register, only to read, with the same
    /// press: the long reads (the register book, an export, the audit) run on it, so that
    /// they never hold up the clerk's work on this one (the app's drafts and issues go on
    /// meanwhile).
    pub fn reader(&self) -> Result<Office> {
        Ok(Office {
            press: self.press.clone(),
            register: Some(self.reg()?.reader()?),
            layout_profile: self.layout_profile.clone(),
        })
    }

    /// The office's press as it is now (font, emblem, layout): renders letters without the
    /// register, from any thread. A later import of a font or emblem is not seen by a
    /// press taken before it: take it again.
    pub fn press(&self) -> Press {
        self.press.clone()
    }

    /// Renders a test letter of every kind with `fonts` and `emblem`, within the bounds
    /// the file checks set, before they are stored: a font or emblem that cannot make a
    /// letter is refused at import instead of breaking every later issue. A panic in a
    /// parser is the file's fault and said as such.
    fn trial(&self, fonts: &FontSet, emblem: Option<Arc<Graphic>>) -> Result<()> {
        let typesetter = Typesetter::new(fonts.clone(), self.layout_profile.clone());
        let writer = PdfWriter::new();
        if let Some(g) = &emblem {
            writer.prepare(g);
        }
        let run = || -> Result<()> {
            for kind in ["external", "memo", "stamped", "order"] {
                let letter = Letter::from_json(&format!(
                    r#"{{"kind":"{kind}","number":{{"prefix":"มท ๐๘๑๐.๒","running":1}},"date":"2026-12-05",
                    "agency":{{"name":"กรมส่งเสริมการปกครองท้องถิ่น","address":["ถนนนครราชสีมา เขตดุสิต กทม. ๑๐๓๐๐"]}},
                    "subject":"ทดสอบฟอนต์และตราครุฑ ๐๑๒๓๔๕๖๗๘๙ 0123456789 ABC abc","recipient":"ผู้ว่าราชการจังหวัด ทุกจังหวัด",
                    "body":["กรมส่งเสริมการปกครองท้องถิ่นขอเรียนว่า ฯลฯ ภาษาไทย ก ข ฃ ค ฅ ฆ ง จ ฉ ช ซ ฌ ญ ฎ ฏ ฐ ฑ ฒ ณ ด ต ถ ท ธ น บ ป ผ ฝ พ ฟ ภ ม ย ร ฤ ล ฦ ว ศ ษ ส ห ฬ อ ฮ กั กิ กี กึ กื กุ กู เก แก โก ใก ไก ก่ ก้ ก๊ ก๋ ก็ ก์ กำ ๆ “ ” ( ) / . , - : %"],
                    "signer":{{"name":"นายทดสอบ ระบบ","positions":["อธิบดีกรมส่งเสริมการปกครองท้องถิ่น"]}}}}"#
                ))?;
                let doc =
                    typesetter.typeset_with(&letter, emblem.clone(), &LayoutOptions::default())?;
                writer.write(&doc, &self.press.pdf_options)?;
            }
            Ok(())
        };
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|_| {
            Err(Error::Font {
                th: "ทดลองพิมพ์หนังสือด้วยฟอนต์หรือตราครุฑนี้ไม่สำเร็จ (ไฟล์อาจเสียหาย) จึงไม่นำมาใช้".into(),
                en: "a test letter could not be made with this font or emblem (the file may be damaged), so it was not taken".into(),
            })
        })
    }

    fn reg(&self) -> Result<&Register> {
        self.register.as_ref().ok_or_else(no_register)
    }

    fn reg_mut(&mut self) -> Result<&mut Register> {
        self.register.as_mut().ok_or_else(no_register)
    }

    /// Checks an output path before any work is done, and opens its temporary: the open
    /// register's files are never a target (see [`Output`]).
    pub fn output(&self, out: &Path) -> Result<Output> {
        let protected = self
            .register
            .as_ref()
            .map(|r| r.own_files())
            .unwrap_or_default();
        Output::prepare(out, &protected)
    }

    /// The typesetter (for measurements and benchmarks).
    pub fn typesetter(&self) -> &Typesetter {
        &self.press.typesetter
    }

    /// Forgets set paragraphs, compressed streams and what the preview's painter kept
    /// (glyph outlines and coverage, drawn emblems), so that the next render or preview
    /// does all the work again (for cold measurements).
    pub fn clear_caches(&self) {
        self.press.typesetter.clear_cache();
        self.press.writer.clear_cache();
        self.press.painter.clear();
    }

    // ---- Letters: render and proofread -------------------------------------------------

    /// Lays out a letter into pages.
    pub fn typeset(&self, letter: &Letter) -> Result<Document> {
        self.press.typeset(letter)
    }

    /// Renders a letter to PDF bytes (the original).
    pub fn render(&self, letter: &Letter) -> Result<Vec<u8>> {
        self.press.render(letter)
    }

    /// Renders one copy of a letter: the original, or the file copy (สำเนาคู่ฉบับ).
    pub fn render_copy(&self, letter: &Letter, copy: PrintCopy) -> Result<Vec<u8>> {
        self.press.render_copy(letter, copy)
    }

    /// Renders a letter for the live preview, with a fingerprint per page (see
    /// [`Press::preview`]).
    pub fn preview(&self, letter: &Letter, px_per_pt: f32, known: &[u64]) -> Result<Preview> {
        self.press.preview(letter, px_per_pt, known)
    }

    /// Renders a letter and writes the PDF to `out` (whole or not at all). Returns its size.
    pub fn render_to(&self, letter: &Letter, copy: PrintCopy, out: &Path) -> Result<usize> {
        let output = self.output(out)?;
        let bytes = self.render_copy(letter, copy)?;
        output.commit(&bytes)?;
        Ok(bytes.len())
    }

    /// Proofreads a letter: what is missing or wrong, most serious first (see [`proofread`]).
    pub fn check(&self, letter: &Letter) -> Vec<Finding> {
        self.press.check(letter)
    }

    /// A new letter of `kind` with the office's defaults.
    pub fn new_letter(&self, kind: Kind) -> Result<Letter> {
        Ok(self.profile()?.new_letter(kind))
    }

    // ---- Drafts ------------------------------------------------------------------------

    /// Saves a draft: a new one when `id` is None, else a new version of draft `id` (an
    /// unchanged letter keeps no new version). Returns the draft's id, negative while the
    /// draft waits on this computer for the register's server.
    pub fn save_draft(&mut self, id: Option<i64>, letter: &Letter) -> Result<i64> {
        self.reg_mut()?.save_draft(id, letter)
    }

    /// The drafts, most recently saved first; with `filter`, only those whose subject or
    /// kind contains it (Thai and Arabic digits alike, Latin case ignored).
    pub fn drafts(&self, filter: &str) -> Result<Vec<DraftInfo>> {
        let all = self.reg()?.drafts()?;
        let needle = crate::register::fold(filter.trim());
        if needle.is_empty() {
            return Ok(all);
        }
        Ok(all
            .into_iter()
            .filter(|d| {
                crate::register::fold(&d.title).contains(&needle)
                    || crate::register::fold(d.kind.name()).contains(&needle)
                    || d.kind.thai_name().contains(filter.trim())
            })
            .collect())
    }

    /// Opens a draft: its latest version.
    pub fn open_draft(&self, id: i64) -> Result<Letter> {
        self.reg()?.open_draft(id)
    }

    /// A draft's saved versions, newest first.
    pub fn draft_versions(&self, id: i64) -> Result<Vec<DraftVersion>> {
        self.reg()?.draft_versions(id)
    }

    /// One saved version of a draft.
    pub fn draft_version(&self, id: i64, version: i64) -> Result<Letter> {
        self.reg()?.draft_version(id, version)
    }

    /// Makes an earlier version the current one (kept as the newest version).
    pub fn restore_draft(&mut self, id: i64, version: i64) -> Result<Letter> {
        self.reg_mut()?.restore_draft(id, version)
    }

    /// Deletes a draft with its versions.
    pub fn delete_draft(&mut self, id: i64) -> Result<()> {
        self.reg_mut()?.delete_draft(id)
    }

    /// Copies a draft into a new draft. Returns the new draft's id.
    pub fn duplicate_draft(&mut self, id: i64) -> Result<i64> {
        let reg = self.reg_mut()?;
        let letter = reg.open_draft(id)?;
        reg.save_draft(None, &letter)
    }

    // ---- Issuing -----------------------------------------------------------------------

    /// The number `letter` would get if it were issued now (on `date`, else today in
    /// Bangkok): what the confirmation shows.
    pub fn next_number(
        &self,
        letter: &Letter,
        date: Option<chrono::NaiveDate>,
    ) -> Result<NextNumber> {
        let date = date.unwrap_or_else(crate::thai::date::today);
        let letter = &letter.clone().validated()?;
        let (number, running) = self.reg()?.next_number(letter, date)?;
        Ok(NextNumber {
            number,
            running,
            date: date.to_string(),
        })
    }

    /// Issues a letter into the register: the next number of its series, the date, the
    /// final PDF rendered by this office, all in one transaction.
    pub fn issue(&mut self, letter: &Letter, opts: &IssueOptions) -> Result<Issued> {
        self.press.usable()?;
        // A draft is kept as the clerk left it; what takes a number is checked here, in
        // the core, whichever way it came (a file, the app, a stored draft).
        let letter = &letter.clone().validated()?;
        // Nor does a letter with errors take a number (a missing subject, an empty body,
        // a salutation that does not go with its closing…): the findings are the refusal.
        let blocking = crate::letter::check::blocking(letter);
        if !blocking.is_empty() {
            return Err(not_ready(&blocking));
        }
        // A reply names a receipt of this register: one that is not there is a mistake
        // the register would keep for good.
        if let Some(r) = letter.reply_to {
            let what = format!("{}/{}", r.receipt_number, r.year_be);
            self.reg()?.find_receipt(&what).map_err(|_| {
                Error::input(
                    "reply_to",
                    format!(
                        "หนังสือนี้ตอบหนังสือรับเลขรับ {} ซึ่งไม่มีในทะเบียนหนังสือรับ ตรวจเลขรับอีกครั้ง",
                        crate::thai::to_thai_digits(&what)
                    ),
                    format!("this letter answers receipt {what}, which is not in the incoming register; check the receipt number"),
                )
            })?;
        }
        // The signed statement every printed copy carries (statement.rs): without the
        // office's key (a folder that cannot be written), the letter is issued without it.
        let sealer = match self.statement_key() {
            Ok(k) => Some(k),
            Err(e) => {
                tracing::warn!("no statement key, the letter carries no signed statement: {e}");
                None
            }
        };
        let Office {
            register, press, ..
        } = self;
        let register = register.as_mut().ok_or_else(no_register)?;
        register.issue(letter, opts, |l| {
            let mut doc = press.typesetter.typeset_with(
                l,
                press.emblem.clone(),
                &LayoutOptions::default(),
            )?;
            if let Some((register_id, key)) = &sealer {
                let text = statement::statement_of(l, register_id, key)?;
                crate::typeset::layout::signature::add_statement(
                    &mut doc,
                    &text,
                    crate::typeset::layout::Geometry::for_letter(l),
                )?;
            }
            press.writer.write(&doc, &press.pdf_options)
        })
    }

    /// Issues a letter and writes its PDF to `out`. The path is checked before a number
    /// is taken; should writing fail after the issue, the error says which number was
    /// issued and how to fetch its PDF ([`Error::IssuedNotWritten`]).
    pub fn issue_to(&mut self, letter: &Letter, opts: &IssueOptions, out: &Path) -> Result<Issued> {
        let output = self.output(out)?;
        let issued = self.issue(letter, opts)?;
        let written = (|| -> Result<()> {
            // Tests make the disk fill up here, after the number is taken (see `fail`).
            fail::fail_point!("issue-write", |_| Err(Error::Write {
                path: out.to_path_buf(),
                source: std::io::Error::from_raw_os_error(28),
            }));
            output.commit(&self.issued_pdf(issued.id)?)
        })();
        match written {
            Ok(()) => Ok(issued),
            Err(cause) => Err(Error::IssuedNotWritten {
                number: issued.number,
                id: issued.id,
                cause: Box::new(cause),
            }),
        }
    }

    /// Issues the draft `id`: its letter becomes the issued letter.
    pub fn issue_draft(&mut self, id: i64, opts: &IssueOptions) -> Result<Issued> {
        let letter = self.reg()?.open_draft(id)?;
        let opts = IssueOptions {
            draft: Some(id),
            ..opts.clone()
        };
        self.issue(&letter, &opts)
    }

    /// One step of the upkeep an issue leaves for after its clerk has the number: moves a
    /// chunk of the letters waiting outside the search index into it when enough wait and
    /// no clerk is in line ([`Register::settle_search_index_step`]); how many moved, 0 when
    /// nothing is due. The app takes the steps in the background, one at a time between a
    /// clerk's actions; the command line after printing the number.
    pub fn after_issue_step(&mut self) -> Result<usize> {
        match self.register.as_mut() {
            Some(r) => r.settle_search_index_step(),
            None => Ok(0),
        }
    }

    /// Every step of [`Self::after_issue_step`] that is due ([`after_issue_steps`]).
    pub fn after_issue(&mut self) {
        after_issue_steps(|| self.after_issue_step());
    }

    // ---- The register --------------------------------------------------------------------

    /// Finds issued letters, newest first, a page at a time, with the total.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchPage> {
        let reg = self.reg()?;
        // A text is counted up to the cap (a common word matches half the register);
        // the filters alone are counted in full (an index range, quick).
        let by_text = q.text.as_deref().is_some_and(|t| !t.trim().is_empty());
        let upto = if by_text { SEARCH_COUNT_CAP + 1 } else { -1 };
        let (hits, n) = reg.search_counted(q, upto)?;
        let (total, more) = if by_text {
            (n.min(SEARCH_COUNT_CAP), n > SEARCH_COUNT_CAP)
        } else {
            (n, false)
        };
        Ok(SearchPage { hits, total, more })
    }

    /// The register entry with this id or number (e.g. `มท ๐๘๑๐.๒/ว ๑๒๓`).
    pub fn show(&self, id_or_number: &str) -> Result<Entry> {
        let reg = self.reg()?;
        reg.entry(reg.find(id_or_number)?)
    }

    /// One register entry.
    pub fn entry(&self, id: i64) -> Result<Entry> {
        self.reg()?.entry(id)
    }

    /// The PDF of an issued letter exactly as it was issued.
    pub fn issued_pdf(&self, id: i64) -> Result<Vec<u8>> {
        self.reg()?.pdf(id)
    }

    /// The PDF of an issued letter as it is handed out (saved, printed, shown, sent): the
    /// stored original or, once signed, its last signed copy; and when the letter was cancelled, that original with a red ยกเลิก and
    /// the register's note (reason, date) over every page. The register's bytes never
    /// change; `saraban show --pdf` still writes them exactly.
    pub fn handed_out_pdf(&self, id: i64) -> Result<Vec<u8>> {
        let reg = self.reg()?;
        let entry = reg.entry(id)?;
        if entry.status != crate::register::Status::Cancelled {
            // A signed letter is handed out as its last signed copy.
            return self.latest_pdf(id);
        }
        let original = reg.pdf(id)?;
        let letter = reg.issued_letter(id)?;
        let g = crate::typeset::layout::Geometry::for_letter(&letter);
        let size = crate::typeset::Size {
            w: crate::typeset::mm(g.page_w),
            h: crate::typeset::mm(g.page_h),
        };
        let mark =
            crate::typeset::layout::mark::cancelled(&self.press.typesetter, size, &entry.note);
        let mark = self.press.writer.write(&mark, &PdfOptions::default())?;
        crate::pdf::stamp::overlay(&original, &mark)
    }

    /// Writes the PDF of an issued letter as handed out ([`Office::handed_out_pdf`]) to
    /// `out`. Returns its size.
    pub fn save_handed_out_pdf(&self, id: i64, out: &Path) -> Result<usize> {
        let output = self.output(out)?;
        let bytes = self.handed_out_pdf(id)?;
        output.commit(&bytes)?;
        Ok(bytes.len())
    }

    /// Writes the PDF of an issued letter to `out`. Returns its size.
    pub fn save_issued_pdf(&self, id: i64, out: &Path) -> Result<usize> {
        let output = self.output(out)?;
        let bytes = self.issued_pdf(id)?;
        output.commit(&bytes)?;
        Ok(bytes.len())
    }

    /// The letter as it was issued.
    pub fn issued_letter(&self, id: i64) -> Result<Letter> {
        self.reg()?.issued_letter(id)
    }

    /// A letter as a Word document ([`Press::docx`]).
    pub fn docx(&self, letter: &Letter) -> Result<Vec<u8>> {
        self.press.docx(letter)
    }

    /// Writes a letter as a Word document to `out` (through a temporary and a rename, as
    /// every output). Returns its size.
    pub fn docx_to(&self, letter: &Letter, out: &Path) -> Result<usize> {
        let output = self.output(out)?;
        let bytes = self.docx(letter)?;
        output.commit(&bytes)?;
        Ok(bytes.len())
    }

    /// Cancels an issued letter with a reason; its number is never reused.
    pub fn cancel(&mut self, id: i64, reason: &str) -> Result<Entry> {
        let reg = self.reg_mut()?;
        reg.cancel(id, reason)?;
        reg.entry(id)
    }

    /// The register (of one Buddhist-Era year, or all) as CSV or XLSX bytes.
    pub fn export(&self, format: ExportFormat, year_be: Option<i64>) -> Result<Vec<u8>> {
        let entries = self.reg()?.entries(year_be)?;
        match format {
            ExportFormat::Csv => crate::register::csv_bytes(&entries),
            ExportFormat::Xlsx => crate::register::xlsx_bytes(&entries, "ทะเบียนหนังสือส่ง"),
        }
    }

    /// Exports the register to `out`. Returns the size written.
    pub fn export_to(
        &self,
        format: ExportFormat,
        year_be: Option<i64>,
        out: &Path,
    ) -> Result<usize> {
        let output = self.output(out)?;
        let bytes = self.export(format, year_be)?;
        output.commit(&bytes)?;
        Ok(bytes.len())
    }

    /// The register of a year printed as the official register form (A4 landscape).
    pub fn book(&self, year_be: i64) -> Result<Vec<u8>> {
        self.book_stream(year_be, Vec::new(), &mut |_| {})
    }

    /// Writes the register book of a year to `out` page by page (a year of any size in
    /// little memory), telling `progress` after every page. Returns `out`.
    pub fn book_stream<W: std::io::Write>(
        &self,
        year_be: i64,
        out: W,
        progress: &mut dyn FnMut(BookProgress),
    ) -> Result<W> {
        let reg = self.reg()?;
        let total = reg.count_entries(Some(year_be))?;
        let footer = self.book_footer()?;
        let heading = format!(
            "ทะเบียนหนังสือส่ง พ.ศ. {}",
            crate::thai::to_thai_digits(&year_be.to_string())
        );
        let mut pager = crate::typeset::layout::book::BookPager::new(
            &self.press.typesetter,
            &heading,
            &footer,
            &REGISTER_COLUMNS,
        );
        let mut pdf = crate::pdf::stream::PageStream::new(
            out,
            &self.press.typesetter.fonts,
            &heading,
            "ทะเบียนหนังสือส่ง",
            "",
            &PdfOptions::default(),
        )?;
        let mut rows = 0u64;
        reg.for_each_entry(Some(year_be), |entry| {
            for page in pager.row(&crate::register::export::row(&entry)) {
                pdf.page(&page)?;
                progress(BookProgress {
                    rows,
                    total,
                    pages: pdf.pages() as u32,
                });
            }
            rows += 1;
            Ok(())
        })?;
        pdf.page(&pager.finish())?;
        progress(BookProgress {
            rows,
            total,
            pages: pdf.pages() as u32,
        });
        pdf.finish()
    }

    /// The foot of every page of a register book: how many audit entries, the register's
    /// short code to compare with `saraban audit verify`, the date printed.
    pub(crate) fn book_footer(&self) -> Result<String> {
        let reg = self.reg()?;
        Ok(match reg.audit_head()? {
            // What a clerk reads: a Thai label and a short code to compare with the audit
            // report (`saraban audit verify` gives the whole hash), not 16 hex digits.
            Some((n, hash)) => format!(
                "บันทึกการตรวจสอบ {} รายการ  รหัสตรวจสอบทะเบียน {}  พิมพ์เมื่อ {}",
                crate::thai::to_thai_digits(&n.to_string()),
                short_code(&hash),
                receive::thai_date(crate::thai::date::today())
            ),
            None => String::new(),
        })
    }

    /// Writes the register book of a year to `out`. Returns its size.
    pub fn book_to(&self, year_be: i64, out: &Path) -> Result<usize> {
        self.book_to_with(year_be, out, &mut |_| {})
    }

    /// [`Office::book_to`], telling `progress` after every page.
    pub fn book_to_with(
        &self,
        year_be: i64,
        out: &Path,
        progress: &mut dyn FnMut(BookProgress),
    ) -> Result<usize> {
        let mut output = self.output(out)?;
        let size = {
            let file = std::io::BufWriter::with_capacity(1 << 16, output.file());
            let counted = CountingWriter { inner: file, n: 0 };
            let counted = self
                .book_stream(year_be, counted, progress)
                .map_err(|e| match e {
                    Error::Write { path, source } if path.as_os_str().is_empty() => Error::Write {
                        path: out.to_path_buf(),
                        source,
                    },
                    e => e,
                })?;
            let size = counted.n;
            if let Err(e) = counted.inner.into_inner() {
                return Err(Error::Write {
                    path: out.to_path_buf(),
                    source: e.into_error(),
                });
            }
            size
        };
        output.persist()?;
        Ok(size)
    }

    /// Writes a verified backup of the register to `out` (SQLite's online backup: clerks
    /// may keep working), with its anchor file beside it.
    pub fn backup(&self, out: &Path) -> Result<AuditReport> {
        let output = self.output(out)?;
        // The backup's anchor is a file written too: it goes through the same checks (a
        // register named like the backup's anchor is never written over).
        let anchor = self.output(&crate::register::anchor_path(out))?;
        self.reg()?.backup_to(output, anchor)
    }

    /// Replaces the register with a verified backup; one that would lose issued letters
    /// only when `force`.
    pub fn restore(&mut self, from: &Path, force: bool) -> Result<AuditReport> {
        self.reg_mut()?.restore_from(from, force)
    }

    /// What setting the register up should tell (Thai, English), e.g. how a server's roles
    /// stand to its guards; `None` when nothing.
    pub fn setup_note(&self) -> Result<Option<(String, String)>> {
        Ok(self.reg()?.setup_note())
    }

    /// Whether opening the register created it (`saraban init`'s message).
    pub fn register_created(&self) -> Result<bool> {
        Ok(self.reg()?.created())
    }

    /// Recomputes the audit chain and reports the first broken link.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        self.reg()?.verify_audit()
    }

    /// Writes `bytes` the front end produced (a letter exported as JSON) to `out`, whole
    /// or not at all.
    pub fn write_file(&self, out: &Path, bytes: &[u8]) -> Result<()> {
        self.output(out)?.commit(bytes)
    }

    /// Reads a letter file (JSON, UTF-8): see [`read_letter`].
    pub fn read_letter(&self, path: &Path) -> Result<Letter> {
        read_letter(path)
    }

    // ---- Settings ----------------------------------------------------------------------

    /// The office profile stored in the register (empty before the first run's form).
    pub fn profile(&self) -> Result<OfficeProfile> {
        let Some(reg) = &self.register else {
            return Ok(OfficeProfile::default());
        };
        match reg.setting(PROFILE_KEY)? {
            None => Ok(OfficeProfile::default()),
            Some(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::Register {
                th: format!("ข้อมูลสำนักงานในทะเบียนเสียหาย ({e}) กรุณากรอกใหม่ในการตั้งค่า"),
                en: format!("the office profile in the register is damaged ({e}); fill it in again in the settings"),
            }),
        }
    }

    /// The profile with the imported files, as the settings screen shows it.
    pub fn setup(&self) -> Result<OfficeSetup> {
        let reg = self.reg()?;
        let name = |key| setting_text(reg, key);
        let profile = self.profile()?;
        Ok(OfficeSetup {
            configured: profile.is_configured(),
            profile,
            emblem: name(EMBLEM_NAME_KEY)?,
            font: name(FONT_NAME_KEY)?,
            register: reg.path().display().to_string(),
            problem: None,
            installed_fonts: crate::typeset::font::installed_letter_fonts()
                .into_iter()
                .map(|(name, _)| name)
                .collect(),
        })
    }

    /// Imports an official letter font installed on this computer, by the name
    /// [`OfficeSetup::installed_fonts`] offered (the web view never hands over a path).
    pub fn use_installed_font(&mut self, name: &str) -> Result<()> {
        let found = crate::typeset::font::installed_letter_fonts()
            .into_iter()
            .find(|(n, _)| n == name);
        match found {
            Some((_, path)) => self.import_font(&path),
            None => Err(Error::Font {
                th: format!("ไม่พบฟอนต์ {name} ในเครื่องนี้แล้ว กรุณาเลือกไฟล์ฟอนต์เอง"),
                en: format!("the font {name} is no longer installed here; choose the font file"),
            }),
        }
    }

    /// Checks and stores the office profile.
    pub fn save_profile(&mut self, profile: &OfficeProfile) -> Result<()> {
        profile.validate()?;
        let json = serde_json::to_vec(profile).map_err(|e| Error::Pdf(e.to_string()))?;
        self.reg_mut()?
            .set_settings(&[(PROFILE_KEY, Some(json.as_slice()))])
    }

    /// Imports the office's emblem (ตราครุฑ) from an SVG, PNG or JPEG file: checked, stored
    /// in the register and used from the next render on.
    pub fn import_emblem(&mut self, path: &Path) -> Result<()> {
        let data = read_limited(path, emblem_problem)?;
        let graphic = Graphic::from_bytes(data.clone(), path)?;
        self.trial(
            &self.press.typesetter.fonts,
            Some(Arc::new(graphic.clone())),
        )
        .map_err(|e| {
            emblem_problem(
                path,
                e.lines(Lang::Th).join(" "),
                e.lines(Lang::En).join(" "),
            )
        })?;
        let name = file_name(path);
        self.reg_mut()?.set_settings(&[
            (EMBLEM_KEY, Some(data.as_slice())),
            (EMBLEM_NAME_KEY, Some(name.as_bytes())),
        ])?;
        let graphic = Arc::new(graphic);
        self.press.writer.prepare(&graphic);
        self.press.emblem = Some(graphic);
        self.press.stored_problem = None;
        Ok(())
    }

    /// Removes the emblem: letters print with its slot empty.
    pub fn remove_emblem(&mut self) -> Result<()> {
        self.reg_mut()?
            .set_settings(&[(EMBLEM_KEY, None), (EMBLEM_NAME_KEY, None)])?;
        self.press.emblem = None;
        self.press.stored_problem = None;
        Ok(())
    }

    /// The stored emblem file's bytes, to show it back.
    pub fn emblem_file(&self) -> Result<Option<Vec<u8>>> {
        self.reg()?.setting(EMBLEM_KEY)
    }

    /// Imports the letter font (a TH Sarabun file, say): the regular face from `path`, the
    /// bold one found beside it. Stored in the register and used from the next render on.
    pub fn import_font(&mut self, path: &Path) -> Result<()> {
        let regular = read_limited(path, font_problem)?;
        let set = FontSet::from_files(&[path.to_path_buf()])?;
        self.trial(&set, self.press.emblem.clone()).map_err(|e| {
            font_problem(
                path,
                e.lines(Lang::Th).join(" "),
                e.lines(Lang::En).join(" "),
            )
        })?;
        for face in [&set.regular, &set.bold] {
            crate::pdf::check_embeddable(face).map_err(|e| {
                font_problem(
                    path,
                    e.lines(Lang::Th).join(" "),
                    e.lines(Lang::En).join(" "),
                )
            })?;
        }
        let bold = if set.bold.path != set.regular.path {
            Some(set.bold.data.as_ref().clone())
        } else {
            None
        };
        self.reg_mut()?.set_settings(&[
            (FONT_KEY, Some(regular.as_slice())),
            (FONT_BOLD_KEY, bold.as_deref()),
            (FONT_NAME_KEY, Some(file_name(path).as_bytes())),
        ])?;
        self.press.typesetter = Arc::new(Typesetter::new(set, self.layout_profile.clone()));
        self.press.writer.clear_cache();
        self.press.stored_problem = None;
        Ok(())
    }

    /// Goes back to the bundled Laksaman.
    pub fn remove_font(&mut self) -> Result<()> {
        self.reg_mut()?.set_settings(&[
            (FONT_KEY, None),
            (FONT_BOLD_KEY, None),
            (FONT_NAME_KEY, None),
        ])?;
        self.press.typesetter = Arc::new(Typesetter::new(
            FontSet::bundled()?,
            self.layout_profile.clone(),
        ));
        self.press.writer.clear_cache();
        self.press.stored_problem = None;
        Ok(())
    }
}

/// The largest letter file read: far above what a letter may hold (see
/// [`crate::letter::MAX_TOTAL_CHARS`]), so that `/dev/zero` or a wrong file is refused at
/// once instead of filling the memory.
pub const MAX_LETTER_FILE: u64 = 16 * 1024 * 1024;

/// Reads at most `limit` bytes of `path`; a longer file is refused, said with its name.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let read_err = |source| Error::read(path, source);
    let f = std::fs::File::open(path).map_err(read_err)?;
    let mut bytes = Vec::new();
    f.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > limit {
        return Err(Error::input(
            "",
            format!(
                "ไฟล์ {} ใหญ่เกิน {} MB จึงไม่อ่าน (ตรวจว่าเลือกไฟล์ถูกต้อง)",
                path.display(),
                limit / (1024 * 1024)
            ),
            format!(
                "{} is larger than {} MB and was not read (is it the right file?)",
                path.display(),
                limit / (1024 * 1024)
            ),
        ));
    }
    Ok(bytes)
}

/// Reads a letter file (JSON, UTF-8), every problem named.
pub fn read_letter(path: &Path) -> Result<Letter> {
    let bytes = read_bounded(path, MAX_LETTER_FILE)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::input(
            "",
            format!(
                "ไฟล์ {} ไม่ได้เข้ารหัสเป็น UTF-8 (บันทึกไฟล์ใหม่เป็น UTF-8)",
                path.display()
            ),
            format!(
                "{} is not UTF-8 text (save it again as UTF-8)",
                path.display()
            ),
        )
    })?;
    Letter::from_json(&text)
}

pub use app::{app_register, app_settings, app_settings_path, switch_register, AppSettings};

/// The register the app and the CLI open by default: `$SARABAN_DB`, else the one chosen in
/// the app's settings, else `saraban/register.sqlite` in the user's data folder.
pub fn default_register_path() -> std::path::PathBuf {
    if std::env::var_os("SARABAN_DB").is_some() {
        return crate::register::default_path();
    }
    app_register().unwrap_or_else(crate::register::default_path)
}

/// Moves the register at `from` (a file or a `postgres://` URL, only read) into the empty
/// register at `to` (created when missing), and verifies it there (`saraban migrate`).
pub fn migrate_register(from: &Path, to: &Path) -> Result<crate::register::Migrated> {
    let source = Register::open_read_only(from)?;
    // The source is verified before the target is created: a refused move leaves nothing
    // behind.
    let report = crate::register::check_source(&*source)?;
    let mut target = Register::create(to)?;
    let moved = crate::register::migrate_verified(&*source, report, &mut *target);
    if moved.is_err() && target.created() {
        // A file this move created and could not fill is not left to be taken for a register.
        if let Some(file) = target.location().file().map(Path::to_path_buf) {
            let files = target.own_files();
            drop(target);
            for f in files.iter().chain(std::iter::once(&file)) {
                let _ = std::fs::remove_file(f);
            }
        }
    }
    moved
}

/// A stored setting that is text (the file names of the emblem and the font).
fn setting_text(reg: &Register, key: &str) -> Result<Option<String>> {
    Ok(reg
        .setting(key)?
        .map(|b| String::from_utf8_lossy(&b).into_owned()))
}

fn stored_fonts(reg: &Register) -> Result<Option<FontSet>> {
    let Some(regular) = reg.setting(FONT_KEY)? else {
        return Ok(None);
    };
    let name = setting_text(reg, FONT_NAME_KEY)?.unwrap_or_else(|| "font.ttf".into());
    let regular = Arc::new(FontFace::from_bytes(regular, Path::new(&name))?);
    let bold = match reg.setting(FONT_BOLD_KEY)? {
        Some(b) => Arc::new(FontFace::from_bytes(
            b,
            Path::new(&format!("{name} (bold)")),
        )?),
        None => regular.clone(),
    };
    Ok(Some(FontSet { regular, bold }))
}

/// What a stored font or emblem that cannot be used means for the clerk, and the command
/// (`saraban profile font|emblem`, or the settings screen) that replaces it.
fn stored_problem(e: &Error, command: &str) -> (String, String) {
    (
        format!(
            "ฟอนต์หรือตราครุฑที่เก็บไว้ในทะเบียนใช้ไม่ได้: {} กรุณานำเข้าไฟล์ใหม่ในหน้าตั้งค่า (หรือ saraban {command} ไฟล์)",
            e.lines(Lang::Th).join(" ")
        ),
        format!(
            "the font or emblem stored in the register cannot be used: {}; import a good file in the settings (or saraban {command} FILE)",
            e.lines(Lang::En).join(" ")
        ),
    )
}

fn stored_emblem(reg: &Register) -> Result<Option<Graphic>> {
    let Some(data) = reg.setting(EMBLEM_KEY)? else {
        return Ok(None);
    };
    let name = setting_text(reg, EMBLEM_NAME_KEY)?.unwrap_or_else(|| "emblem".into());
    Graphic::from_bytes(data, Path::new(&name)).map(Some)
}

/// Takes the steps an issue left for after its clerk has the number, each from `step`
/// ([`Office::after_issue_step`], which the app calls under the office's lock one step at
/// a time), until none is due. A failure is only logged: the letters stay searchable where
/// they wait.
pub fn after_issue_steps(mut step: impl FnMut() -> Result<usize>) {
    loop {
        match step() {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!("the search index was not settled: {e}");
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests;
