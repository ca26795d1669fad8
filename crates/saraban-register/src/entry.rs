//! One line of the register as its tables hold it: the columns an [`Entry`] is read from,
//! what the listing shows of a letter (เรื่อง, ถึง, จาก), a cancellation's หมายเหตุ, and
//! the hex of a hash.
//!
//! Issuing, searching and the audit all read these; this module reads none of them, which
//! keeps the arrows one way: `issue` → `audit` → `search` → `entry`.

use super::{Entry, Status};
use saraban_model::letter::{Letter, LetterDate};

/// The columns [`entry_row`] reads, in order.
const ENTRY_COLUMNS: &[&str] = &[
    "id",
    "status",
    "kind",
    "number_text",
    "running",
    "year_be",
    "issued_date",
    "title",
    "recipient",
    "sender",
    "cancelled_at",
    "cancel_reason",
    "pdf_sha256",
];

/// How many columns [`entry_row`] reads.
pub(crate) const ENTRY_WIDTH: usize = ENTRY_COLUMNS.len();

/// `SELECT a.id, a.status, …` for table alias `a` (without FROM).
pub(crate) fn entry_select(alias: &str) -> String {
    let cols: Vec<String> = ENTRY_COLUMNS
        .iter()
        .map(|c| format!("{alias}.{c}"))
        .collect();
    format!("SELECT {}", cols.join(", "))
}

pub(crate) fn entry_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    let status: Status = r.get(1)?;
    let note = if status == Status::Cancelled {
        cancel_note(r.get(10)?, r.get(11)?)
    } else {
        String::new()
    };
    Ok(Entry {
        id: r.get(0)?,
        status,
        kind: r.get::<_, crate::StoredKind>(2)?.0,
        number: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
        running: r.get::<_, Option<i64>>(4)?.unwrap_or_default(),
        year_be: r.get::<_, Option<i64>>(5)?.unwrap_or_default(),
        date: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        subject: r.get(7)?,
        recipient: r.get(8)?,
        from: r.get(9)?,
        note,
        sha256: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
    })
}

/// The หมายเหตุ of a cancelled entry: reason and date (Thai); who cancelled is in the audit.
pub(crate) fn cancel_note(at: Option<String>, why: Option<String>) -> String {
    let when = at
        .as_deref()
        .and_then(|a| LetterDate::parse(&a[..a.len().min(10)]).ok())
        .map(|d| saraban_thai::format_date(&d, saraban_model::letter::Digits::Thai).joined())
        .unwrap_or_default();
    // The computer's login name ("root") means nothing to a clerk: it stays in the audit.
    format!("ยกเลิก: {} ({when})", why.unwrap_or_default())
}

/// เรื่อง, ถึง and จาก of a letter, as the register lists them.
pub(crate) fn listing(l: &Letter) -> (String, String, String) {
    (
        l.subject.clone().unwrap_or_default(),
        l.recipient.clone().unwrap_or_default(),
        l.agency
            .as_ref()
            .map(|a| a.name.clone())
            .unwrap_or_default(),
    )
}

/// Bytes (a SHA-256 digest) as lower-case hex, as the register stores hashes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
