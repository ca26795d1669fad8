//! The office's incoming half (หนังสือรับ): a received file read into fields, confirmed,
//! stamped (ตรารับ) and numbered in the incoming register; its routing; the incoming book
//! and its export. Each method is a whole task of the clerk's, as the rest of `Office`.

use std::path::Path;

use chrono::{NaiveDateTime, Timelike};
use serde::Serialize;
use ts_rs::TS;

use super::{ExportFormat, Office, Press};
use crate::error::{Error, Result};
use crate::pdf::stamp::Placed;
use crate::received::{ReceivedFields, RoutingStep};
use crate::register::{NewReceipt, Receipt, ReceiptQuery, Routed, StampData};
use crate::typeset::layout::receipt::{StampText, STAMP};
use crate::typeset::layout::routing::{RoutingSheet, SheetStep};

pub use saraban_receive::{Reading, ReadingView, Spot};

/// A received file, as it arrived.
#[derive(Debug, Clone)]
pub struct ReceivedFile {
    /// Its name.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// How a letter is received.
#[derive(Debug, Clone, Default)]
pub struct ReceiveOptions {
    /// When it was received, Bangkok time (default: now).
    pub at: Option<NaiveDateTime>,
    /// The fields as the clerk confirmed them; `None`: as read from the file.
    pub fields: Option<ReceivedFields>,
    /// The clerk confirmed receiving a file received before.
    pub again: bool,
}

/// A receipt and where its stamp went.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Received {
    /// The new entry of the incoming register.
    pub receipt: Receipt,
    /// Whether the stamp went on a page put in front (no room at the top right).
    pub stamp_in_front: bool,
}

/// A received file opened in the app for the clerk to confirm: its name, how many letters
/// it brings (an e-mail may bring several; the first is read), and what was read.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Opened {
    /// The file's name.
    pub name: String,
    /// How many letters the file brings.
    pub letters: u32,
    /// What was read, and where.
    pub reading: ReadingView,
}

/// The columns of the incoming register book and export (แบบทะเบียนหนังสือรับ).
pub const INCOMING_COLUMNS: [&str; 8] = [
    "เลขทะเบียนรับ",
    "ที่",
    "ลงวันที่",
    "จาก",
    "ถึง",
    "เรื่อง",
    "การปฏิบัติ",
    "หมายเหตุ",
];

/// A receipt as a row of the book: its columns, printed.
pub fn incoming_row(r: &Receipt) -> [String; 8] {
    let date = r.fields.date.map(thai_date).unwrap_or_default();
    let action = r
        .routing
        .iter()
        .map(|s| s.step.line())
        .chain(r.replies.iter().map(|l| format!("ตอบแล้ว ที่ {}", l.number)))
        .collect::<Vec<_>>()
        .join(" / ");
    let mut note = r.note.clone();
    if let Some(u) = r.fields.urgency {
        note = format!("{} {note}", u.mark()).trim().to_string();
    }
    [
        r.receipt_text(),
        r.fields.number.clone(),
        date,
        r.fields.from.clone(),
        r.fields.to.clone(),
        r.fields.subject.clone(),
        action,
        note,
    ]
}

/// The letters a file brings: an e-mail's PDFs, or the file itself.
pub fn letters_in(name: &str, bytes: Vec<u8>) -> Result<Vec<ReceivedFile>> {
    saraban_receive::check_size(name, bytes.len() as u64)?;
    if saraban_receive::file_type(&bytes, name) == Some(saraban_receive::FileType::Eml) {
        return Ok(saraban_receive::eml::letters(&bytes, name)?
            .into_iter()
            .map(|a| ReceivedFile {
                name: a.name,
                bytes: a.bytes,
            })
            .collect());
    }
    Ok(vec![ReceivedFile {
        name: name.to_string(),
        bytes,
    }])
}

/// Reads a received file from disk (its size checked before it is read whole), with the
/// letters it brings.
pub fn read_files(path: &Path) -> Result<Vec<ReceivedFile>> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let meta = std::fs::metadata(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.is_file() {
        return Err(Error::input(
            "file",
            format!("{} ไม่ใช่ไฟล์", path.display()),
            format!("{} is not a file", path.display()),
        ));
    }
    saraban_receive::check_size(&name, meta.len())?;
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    letters_in(&name, bytes)
}

impl Press {
    /// Reads a received file into the fields for the clerk to confirm, with the digits of
    /// this press's letter font for a scan's digits (nothing is registered; the app reads
    /// on the press, never waiting for the register).
    pub fn read_received(&self, file: &ReceivedFile) -> Result<Reading> {
        let font = self.typesetter.fonts.regular.data.clone();
        saraban_receive::read(&file.bytes, &file.name, Some(&font))
    }
}

impl Office {
    /// Reads a received file into the fields for the clerk to confirm (nothing is
    /// registered).
    pub fn read_received(&self, file: &ReceivedFile) -> Result<Reading> {
        self.press.read_received(file)
    }

    /// The stamped copy of `reading`'s PDF: the receipt stamp where there is room at the
    /// top right of the first page, else on a page in front.
    pub fn stamp_received(&self, reading: &Reading, d: &StampData) -> Result<(Vec<u8>, Placed)> {
        stamp_with(&self.press, &self.stamp_agency(), reading, d)
    }

    /// The agency the stamp names: the office's.
    fn stamp_agency(&self) -> String {
        let agency = self.profile().map(|p| p.agency).unwrap_or_default();
        if agency.trim().is_empty() {
            "ส่วนราชการผู้รับ".to_string()
        } else {
            agency
        }
    }

    /// Receives a letter (ลงรับ): read, stamped and numbered in the incoming register in
    /// one transaction.
    pub fn receive(&mut self, file: &ReceivedFile, opts: &ReceiveOptions) -> Result<Received> {
        let reading = self.read_received(file)?;
        self.receive_read(file, &reading, opts)
    }

    /// [`Office::receive`] for a file already read (the app reads, the clerk confirms).
    pub fn receive_read(
        &mut self,
        file: &ReceivedFile,
        reading: &Reading,
        opts: &ReceiveOptions,
    ) -> Result<Received> {
        self.press.usable()?;
        let fields = opts
            .fields
            .clone()
            .unwrap_or_else(|| reading.fields.clone())
            .tidied();
        let new = NewReceipt {
            fields,
            read_by: reading.read_by,
            kind: reading.kind,
            file_name: file.name.clone(),
            original: file.bytes.clone(),
            received_at: opts.at,
            again: opts.again,
        };
        let mut in_front = false;
        let press = self.press.clone();
        let agency = self.stamp_agency();
        let register = self.register.as_mut().ok_or_else(super::no_register)?;
        let receipt = register.receive(&new, &mut |d: &StampData| {
            let (pdf, placed) = stamp_with(&press, &agency, reading, d)?;
            in_front = placed == Placed::InFront;
            Ok(pdf)
        })?;
        Ok(Received {
            receipt,
            stamp_in_front: in_front,
        })
    }
}

impl Office {
    /// One receipt of the incoming register, with its routing.
    pub fn receipt(&self, id: i64) -> Result<Receipt> {
        self.reg()?.receipt(id)
    }

    /// The receipt with this id or receipt number (`12/2569`, either digit form).
    pub fn find_receipt(&self, what: &str) -> Result<Receipt> {
        let reg = self.reg()?;
        reg.receipt(reg.find_receipt(what)?)
    }

    /// The received file byte for byte.
    pub fn received_original(&self, id: i64) -> Result<Vec<u8>> {
        self.reg()?.received_original(id)
    }

    /// The stamped copy of a received letter.
    pub fn received_stamped(&self, id: i64) -> Result<Vec<u8>> {
        self.reg()?.received_stamped(id)
    }

    /// Writes the stamped copy of a receipt to `out`. Returns its size.
    pub fn save_received_stamped(&self, id: i64, out: &Path) -> Result<usize> {
        let output = self.output(out)?;
        let bytes = self.received_stamped(id)?;
        output.commit(&bytes)?;
        Ok(bytes.len())
    }

    /// Records a routing step (เกษียน) of a receipt.
    pub fn route(&mut self, id: i64, step: &RoutingStep) -> Result<Routed> {
        self.reg_mut()?.route(id, step)
    }

    /// Cancels a receipt with a reason (its number is never reused).
    pub fn cancel_receipt(&mut self, id: i64, reason: &str) -> Result<Receipt> {
        let reg = self.reg_mut()?;
        reg.cancel_receipt(id, reason)?;
        reg.receipt(id)
    }

    /// A reply to a receipt (หนังสือตอบ): a new external letter of the office with the
    /// receipt's sender as its recipient, its subject, an อ้างถึง naming the letter received
    /// (ที่ and ลงวันที่), and the link to the receipt (`reply_to`) that the register keeps
    /// when the reply is issued.
    pub fn reply_letter(&self, receipt: i64) -> Result<crate::Letter> {
        let r = self.receipt(receipt)?;
        let mut letter = self.new_letter(crate::letter::Kind::External)?;
        let f = &r.fields;
        let date = f.date.map(thai_date).unwrap_or_default();
        let mut reference = format!("หนังสือ{}", f.from.trim());
        if !f.number.trim().is_empty() {
            reference.push_str(&format!(" ที่ {}", f.number.trim()));
        }
        if !date.is_empty() {
            reference.push_str(&format!(" ลงวันที่ {date}"));
        }
        letter.subject = (!f.subject.trim().is_empty()).then(|| f.subject.trim().to_string());
        letter.recipient = (!f.from.trim().is_empty()).then(|| f.from.trim().to_string());
        letter.references = vec![reference];
        letter.reply_to = Some(crate::letter::ReplyTo {
            receipt_number: r.receipt_number,
            year_be: r.year_be,
        });
        Ok(letter)
    }

    /// Finds receipts, newest first.
    pub fn search_receipts(&self, q: &ReceiptQuery) -> Result<Vec<Receipt>> {
        self.reg()?.search_receipts(q)
    }

    /// The receipts of a year (or all) in register order.
    pub fn receipts(&self, year_be: Option<i64>) -> Result<Vec<Receipt>> {
        let mut all = Vec::new();
        self.reg()?.each_receipt(year_be, &mut |r| {
            all.push(r);
            Ok(())
        })?;
        Ok(all)
    }

    /// The receipts still waiting for action past the days their urgency allows
    /// ([`crate::received::days_allowed`]) on `today`: not cancelled, not marked done.
    pub fn overdue(&self, today: chrono::NaiveDate) -> Result<Vec<Receipt>> {
        Ok(self
            .receipts(None)?
            .into_iter()
            .filter(|r| r.status == crate::register::ReceiptStatus::Received)
            .filter(|r| {
                !r.routing
                    .iter()
                    .any(|s| matches!(s.step, RoutingStep::Done { .. }))
            })
            .filter(|r| {
                let received = chrono::DateTime::parse_from_rfc3339(&r.received_at)
                    .map(|t| t.date_naive())
                    .unwrap_or(today);
                (today - received).num_days() > crate::received::days_allowed(r.fields.urgency)
            })
            .collect())
    }

    /// The incoming register (of a year, or all) as CSV or XLSX.
    pub fn export_incoming(&self, format: ExportFormat, year_be: Option<i64>) -> Result<Vec<u8>> {
        let receipts = self.receipts(year_be)?;
        match format {
            ExportFormat::Csv => {
                crate::register::table_csv(&INCOMING_COLUMNS, receipts.iter().map(incoming_row))
            }
            ExportFormat::Xlsx => crate::register::table_xlsx(
                &INCOMING_COLUMNS,
                "ทะเบียนหนังสือรับ",
                receipts.iter().map(|r| (incoming_row(r), r.fields.date)),
                "ทะเบียนหนังสือรับ",
            ),
        }
    }

    /// The incoming register of a year printed as its official form (แบบทะเบียนหนังสือรับ).
    pub fn incoming_book(&self, year_be: i64) -> Result<Vec<u8>> {
        let heading = format!(
            "ทะเบียนหนังสือรับ พ.ศ. {}",
            crate::thai::to_thai_digits(&year_be.to_string())
        );
        let footer = self.book_footer()?;
        let mut pager = crate::typeset::layout::book::BookPager::with_widths(
            &self.press.typesetter,
            &heading,
            &footer,
            &INCOMING_COLUMNS,
            crate::typeset::layout::book::INCOMING_WIDTHS,
        );
        let mut pdf = crate::pdf::stream::PageStream::new(
            Vec::new(),
            &self.press.typesetter.fonts,
            &heading,
            "ทะเบียนหนังสือรับ",
            "",
            &Default::default(),
        )?;
        // Row by row from the register, each page written as it fills: a busy year's book
        // is never held whole.
        self.reg()?.each_receipt(Some(year_be), &mut |r| {
            for page in pager.row(&incoming_row(&r)) {
                pdf.page(&page)?;
            }
            Ok(())
        })?;
        pdf.page(&pager.finish())?;
        pdf.finish()
    }

    /// The routing sheet of a receipt (ใบเกษียนหนังสือ) as a PDF: the receipt's fields, when
    /// it must be done by, and each routing step with who wrote it and when, to print and
    /// clip to the letter (see [`crate::typeset::layout::routing`]).
    pub fn routing_sheet(&self, id: i64) -> Result<Vec<u8>> {
        let r = self.receipt(id)?;
        let sheet = routing_sheet_of(&r, &self.stamp_agency(), &self.book_footer()?);
        let doc = crate::typeset::layout::routing::routing_sheet(&self.press.typesetter, &sheet);
        self.press.writer.write(&doc, &Default::default())
    }

    /// Writes a receipt's routing sheet to `out`. Returns its size.
    pub fn routing_sheet_to(&self, id: i64, out: &Path) -> Result<usize> {
        let output = self.output(out)?;
        let bytes = self.routing_sheet(id)?;
        output.commit(&bytes)?;
        Ok(bytes.len())
    }

    /// Writes the incoming book of a year to `out`. Returns its size.
    pub fn incoming_book_to(&self, year_be: i64, out: &Path) -> Result<usize> {
        let output = self.output(out)?;
        let bytes = self.incoming_book(year_be)?;
        output.commit(&bytes)?;
        Ok(bytes.len())
    }

    /// Exports the incoming register to `out`. Returns its size.
    pub fn export_incoming_to(
        &self,
        format: ExportFormat,
        year_be: Option<i64>,
        out: &Path,
    ) -> Result<usize> {
        let output = self.output(out)?;
        let bytes = self.export_incoming(format, year_be)?;
        output.commit(&bytes)?;
        Ok(bytes.len())
    }
}

/// When something was recorded (an RFC 3339 time), as a clerk writes it:
/// `๕ ธ.ค. ๒๕๖๙ ๑๐.๓๐ น.` (in Bangkok's time, as the register keeps it).
pub fn thai_when(at: &str) -> String {
    let bangkok = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    match chrono::DateTime::parse_from_rfc3339(at).map(|t| t.with_timezone(&bangkok)) {
        Ok(t) => format!("{} {}", thai_short_date(t.date_naive()), thai_time(&t)),
        Err(_) => at.to_string(),
    }
}

/// A date as a letter prints it: `๕ มีนาคม ๒๕๖๙`.
pub fn thai_date(d: chrono::NaiveDate) -> String {
    crate::thai::format_date(
        &crate::letter::LetterDate::from_naive(d),
        crate::letter::Digits::Thai,
    )
    .joined()
}

/// A date with its month abbreviated, as a stamp or a signature writes it: `๕ ธ.ค. ๒๕๖๙`.
pub fn thai_short_date(d: chrono::NaiveDate) -> String {
    crate::thai::to_thai_digits(&format!(
        "{} {} {}",
        chrono::Datelike::day(&d),
        crate::thai::date::MONTHS_SHORT[chrono::Datelike::month0(&d) as usize],
        chrono::Datelike::year(&d) + 543
    ))
}

/// A time of day as clerks write it: `๑๐.๓๐ น.`
fn thai_time(t: &impl Timelike) -> String {
    crate::thai::to_thai_digits(&format!("{:02}.{:02} น.", t.hour(), t.minute()))
}

/// What a receipt's routing sheet says.
pub fn routing_sheet_of(r: &Receipt, agency: &str, footer: &str) -> RoutingSheet {
    let f = &r.fields;
    let mut fields: Vec<(String, String)> = vec![
        ("เลขรับ".into(), r.receipt_text()),
        ("รับเมื่อ".into(), thai_when(&r.received_at)),
        ("ที่".into(), f.number.clone()),
        ("ลงวันที่".into(), f.date.map(thai_date).unwrap_or_default()),
        ("จาก".into(), f.from.clone()),
        ("ถึง".into(), f.to.clone()),
        ("เรื่อง".into(), f.subject.clone()),
    ];
    for (label, list) in [("อ้างถึง", &f.references), ("สิ่งที่ส่งมาด้วย", &f.enclosures)]
    {
        if !list.is_empty() {
            fields.push((label.into(), list.join(" / ")));
        }
    }
    let received = chrono::DateTime::parse_from_rfc3339(&r.received_at)
        .map(|t| t.date_naive())
        .ok();
    fields.push((
        "ชั้นความเร็ว".into(),
        f.urgency.map(|u| u.mark()).unwrap_or("ปกติ").to_string(),
    ));
    if let Some(day) = received {
        let due = day + chrono::Duration::days(crate::received::days_allowed(f.urgency));
        fields.push(("กำหนดเสร็จ".into(), thai_date(due)));
    }
    if !r.replies.is_empty() {
        let replies: Vec<String> = r
            .replies
            .iter()
            .map(|l| format!("ที่ {} ({})", l.number, l.date))
            .collect();
        fields.push(("ตอบแล้ว".into(), replies.join(" / ")));
    }
    if r.status == crate::register::ReceiptStatus::Cancelled {
        fields.push(("หมายเหตุ".into(), r.note.clone()));
    }
    let steps = r
        .routing
        .iter()
        .map(|s| {
            let recorded = format!("บันทึกโดย {} {}", s.by, thai_when(&s.at));
            let (heading, text, signed) = match &s.step {
                RoutingStep::Proposal { summary, proposal } => {
                    let mut text = String::new();
                    if !summary.trim().is_empty() {
                        text.push_str(&format!("สรุปเรื่อง {}\n", summary.trim()));
                    }
                    if !proposal.trim().is_empty() {
                        text.push_str(&format!("ข้อเสนอ {}", proposal.trim()));
                    }
                    ("เสนอ", text, recorded)
                }
                RoutingStep::Order { by, text, date } => (
                    "คำสั่งการ",
                    text.trim().to_string(),
                    format!("({}) {}", by.trim(), thai_short_date(*date)),
                ),
                RoutingStep::HandOver { to, note } => (
                    "ส่งต่อ",
                    format!("ส่ง {} {}", to.trim(), note.trim())
                        .trim()
                        .to_string(),
                    recorded,
                ),
                RoutingStep::Done { note } => ("ดำเนินการแล้ว", note.trim().to_string(), recorded),
            };
            SheetStep {
                heading: heading.into(),
                text,
                signed,
            }
        })
        .collect();
    RoutingSheet {
        agency: agency.to_string(),
        fields,
        steps,
        footer: footer.to_string(),
    }
}

/// The receipt stamp drawn by `press` on `reading`'s PDF (see [`Office::stamp_received`]).
fn stamp_with(
    press: &Press,
    agency: &str,
    reading: &Reading,
    d: &StampData,
) -> Result<(Vec<u8>, Placed)> {
    let date = thai_short_date(d.received_at.date());
    let time = thai_time(&d.received_at);
    let number = crate::thai::to_thai_digits(&d.receipt_number.to_string());
    let doc = crate::typeset::layout::receipt::stamp(
        &press.typesetter,
        &StampText {
            agency,
            number: &number,
            date: &date,
            time: &time,
        },
    );
    let mark = press.writer.write(&doc, &Default::default())?;
    let page = &reading.first_page;
    let file = tempfile::Builder::new()
        .prefix("saraban-stamp-")
        .suffix(".pdf")
        .tempfile()
        .map_err(|e| Error::Write {
            path: std::env::temp_dir(),
            source: e,
        })?;
    std::fs::write(file.path(), &reading.pdf).map_err(|e| Error::Write {
        path: file.path().to_path_buf(),
        source: e,
    })?;
    // Clear of every word read, by a little.
    let clear: Vec<saraban_receive::Rect> = page
        .word_boxes()
        .map(|r| saraban_receive::Rect {
            x0: r.x0 - 2.0,
            y0: r.y0 - 2.0,
            x1: r.x1 + 2.0,
            y1: r.y1 + 2.0,
        })
        .collect();
    let (w, h) = if page.w > 0.0 {
        (page.w, page.h)
    } else {
        (595.28, 841.89)
    };
    let margin = 5.0 * 72.0 / 25.4;
    match saraban_receive::room::find(file.path(), w, h, STAMP.w, STAMP.h, margin, &clear)? {
        Some(r) => crate::pdf::stamp::stamp_at(&reading.pdf, &mark, r.x0, r.y0),
        None => crate::pdf::stamp::stamp_in_front(&reading.pdf, &mark),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_bangkok_shows_them() {
        // A step recorded in UTC and a receipt recorded in Bangkok's time agree on paper.
        assert_eq!(
            thai_when("2026-12-05T19:59:00+00:00"),
            "๖ ธ.ค. ๒๕๖๙ ๐๒.๕๙ น."
        );
        assert_eq!(
            thai_when("2026-12-06T02:59:00+07:00"),
            "๖ ธ.ค. ๒๕๖๙ ๐๒.๕๙ น."
        );
        assert_eq!(thai_when("not a time"), "not a time");
    }
}
