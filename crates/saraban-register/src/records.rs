//! A register's content as rows both engines understand: what [`Engine::dump`] gives and
//! [`Engine::load`] takes, so that a whole register moves from one engine to the other with
//! every id, number, PDF byte and audit hash as it was (`saraban migrate`).
//!
//! [`Engine::dump`]: super::Engine::dump
//! [`Engine::load`]: super::Engine::load

/// One row of a register.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A setting of the office profile (JSON, or an emblem or font file).
    Setting { key: String, value: Vec<u8> },
    /// A series of running numbers and its counter.
    Series(SeriesRow),
    /// A letter: draft, issued or cancelled.
    Letter(Box<LetterRow>),
    /// A saved version of a draft.
    Version(VersionRow),
    /// An audit entry, hashes as stored.
    Audit(AuditRow),
}

/// A series (ชุดเลขทะเบียน).
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    pub id: i64,
    pub prefix: String,
    pub kind: String,
    pub year_be: i64,
    pub last: i64,
}

/// A letter row, every column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LetterRow {
    pub id: i64,
    pub status: String,
    pub kind: String,
    pub title: String,
    pub recipient: String,
    pub sender: String,
    pub created_at: String,
    pub updated_at: String,
    pub letter_json: String,
    pub series_id: Option<i64>,
    pub year_be: Option<i64>,
    pub running: Option<i64>,
    pub number_text: Option<String>,
    pub issued_date: Option<String>,
    pub issued_at: Option<String>,
    pub issued_by: Option<String>,
    pub pdf: Option<Vec<u8>>,
    pub pdf_sha256: Option<String>,
    pub historical: i64,
    pub cancelled_at: Option<String>,
    pub cancelled_by: Option<String>,
    pub cancel_reason: Option<String>,
}

/// A saved version of a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionRow {
    pub id: i64,
    pub letter_id: i64,
    pub saved_at: String,
    pub letter_json: String,
}

/// An audit entry.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub action: String,
    pub letter_id: Option<i64>,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The columns of `letters` in [`LetterRow`]'s order (both engines name them alike).
pub(crate) const LETTER_COLUMNS: &str = "id, status, kind, title, recipient, sender, created_at, updated_at, letter_json, \
     series_id, year_be, running, number_text, issued_date, issued_at, issued_by, pdf, pdf_sha256, historical, \
     cancelled_at, cancelled_by, cancel_reason";
