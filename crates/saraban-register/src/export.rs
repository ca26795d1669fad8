//! Export of the outgoing register (ทะเบียนหนังสือส่ง) as CSV and XLSX, with the columns of
//! ../shared/docs/letter-format.md §8.2.

use super::Entry;
use saraban_model::error::Error;
use saraban_model::letter::{Digits, LetterDate};
use saraban_thai::format_date;

/// The columns of แบบที่ 14, in order.
pub const REGISTER_COLUMNS: [&str; 8] = [
    "เลขทะเบียนส่ง",
    "ที่",
    "ลงวันที่",
    "จาก",
    "ถึง",
    "เรื่อง",
    "การปฏิบัติ",
    "หมายเหตุ",
];

/// One row of the register as text.
pub fn row(e: &Entry) -> [String; 8] {
    let date = LetterDate::parse(&e.date)
        .map(|d| format_date(&d, Digits::Thai).joined())
        .unwrap_or_default();
    [
        saraban_thai::to_thai_digits(&e.running.to_string()),
        e.number.clone(),
        date,
        e.from.clone(),
        e.recipient.clone(),
        e.subject.clone(),
        // การปฏิบัติ as the register on screen shows it (ส่งแล้ว, ยกเลิก).
        e.status.thai_name().to_string(),
        e.note.clone(),
    ]
}

/// CSV in UTF-8 with a byte-order mark, so that Excel opens the Thai text correctly.
pub fn csv_bytes(entries: &[Entry]) -> saraban_model::Result<Vec<u8>> {
    table_csv(&REGISTER_COLUMNS, entries.iter().map(row))
}

/// A table of eight columns as CSV with a byte-order mark (the outgoing and the incoming
/// register alike).
pub fn table_csv(
    columns: &[&str; 8],
    rows: impl Iterator<Item = [String; 8]>,
) -> saraban_model::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let fail = |e: csv::Error| Error::Pdf(format!("CSV: {e}"));
    w.write_record(columns).map_err(fail)?;
    for r in rows {
        w.write_record(r.iter().map(|c| csv_cell(c).into_owned()))
            .map_err(fail)?;
    }
    w.into_inner().map_err(|e| Error::Pdf(format!("CSV: {e}")))
}

/// A cell as a spreadsheet may read it: text a spreadsheet would take for a formula (it
/// begins with `=`, `+`, `-`, `@`, a tab or a carriage return, or their full-width forms)
/// gets a leading apostrophe, as OWASP's CSV-injection advice says, so that opening the
/// export never runs what someone typed into a subject. Only CSV needs it: XLSX cells are
/// written as strings.
pub fn csv_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}',
        ) => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// An Excel workbook: a Thai font, sized columns, the header row frozen.
pub fn xlsx_bytes(entries: &[Entry], title: &str) -> saraban_model::Result<Vec<u8>> {
    let dates: Vec<Option<chrono::NaiveDate>> = entries
        .iter()
        .map(|e| chrono::NaiveDate::parse_from_str(&e.date, "%Y-%m-%d").ok())
        .collect();
    table_xlsx(
        &REGISTER_COLUMNS,
        "ทะเบียนหนังสือส่ง",
        entries.iter().map(row).zip(dates),
        title,
    )
}

/// A table of eight columns as an Excel workbook (the outgoing and the incoming register
/// alike): each row with the date of its third column (ลงวันที่), if it has one.
pub fn table_xlsx(
    columns: &[&str; 8],
    sheet_name: &str,
    rows: impl Iterator<Item = ([String; 8], Option<chrono::NaiveDate>)>,
    title: &str,
) -> saraban_model::Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, FormatBorder, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| Error::Pdf(format!("XLSX: {e}"));
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name(sheet_name).map_err(fail)?;
    let font = "TH SarabunPSK";
    let head = Format::new()
        .set_font_name(font)
        .set_font_size(16)
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_text_wrap();
    let cell = Format::new()
        .set_font_name(font)
        .set_font_size(16)
        .set_border(FormatBorder::Thin)
        .set_text_wrap();
    let widths = [12.0, 22.0, 18.0, 28.0, 30.0, 50.0, 16.0, 24.0];
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(fail)?;
    }
    for (c, h) in columns.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *h, &head)
            .map_err(fail)?;
    }
    // ลงวันที่ is a date a spreadsheet can sort and filter, shown as the register writes
    // it: day, Thai month name, Buddhist-Era year, in Thai digits (Excel's D07041E locale).
    let date_cell = cell.clone().set_num_format("[$-D07041E]d mmmm yyyy");
    for (r, (cells, day)) in rows.enumerate() {
        for (c, v) in cells.iter().enumerate() {
            let at = (r as u32 + 1, c as u16);
            let date = (c == 2).then_some(day).flatten().and_then(|d| {
                use chrono::Datelike;
                rust_xlsxwriter::ExcelDateTime::from_ymd(
                    d.year() as u16,
                    d.month() as u8,
                    d.day() as u8,
                )
                .ok()
            });
            match date {
                Some(d) => sheet.write_datetime_with_format(at.0, at.1, &d, &date_cell),
                None => sheet.write_string_with_format(at.0, at.1, v, &cell),
            }
            .map_err(fail)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    let _ = title;
    wb.save_to_buffer().map_err(fail)
}
