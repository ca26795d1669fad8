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
    /// A year's receipt counter (the incoming register).
    ReceiptYear { year_be: i64, last: i64 },
    /// A received letter, every column.
    Received(Box<ReceivedRow>),
    /// A routing step of a received letter.
    Step(StepRow),
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

/// A received letter's row (ทะเบียนหนังสือรับ), every column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReceivedRow {
    pub id: i64,
    pub status: String,
    pub year_be: i64,
    pub receipt_number: i64,
    pub received_at: String,
    pub received_by: String,
    pub fields_json: String,
    pub read_by: String,
    pub kind: String,
    pub file_name: String,
    pub original: Vec<u8>,
    pub sha256: String,
    pub stamped: Vec<u8>,
    pub stamped_sha256: String,
    pub search_text: String,
    pub cancelled_at: Option<String>,
    pub cancelled_by: Option<String>,
    pub cancel_reason: Option<String>,
}

/// A routing step's row.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRow {
    pub id: i64,
    pub receipt_id: i64,
    pub at: String,
    pub by_user: String,
    pub step_json: String,
}

/// The columns of `received` in [`ReceivedRow`]'s order.
pub(crate) const RECEIVED_COLUMNS: &str = "id, status, year_be, receipt_number, received_at, received_by, fields_json, \
     read_by, kind, file_name, original, sha256, stamped, stamped_sha256, search_text, cancelled_at, cancelled_by, cancel_reason";

/// Where a register being filled gets its rows (see `Engine::load`): called once with a
/// sink, it hands the sink every row in order.
pub type RecordSource<'a> = dyn FnMut(&mut dyn FnMut(Record) -> saraban_model::Result<()>) -> saraban_model::Result<()>
    + 'a;
